//! Just enough HTTP/1.1 for the flag downloads, on async-io's TCP (for cogen's event loop) and
//! on std's (for threads): one GET per connection, and a flag server on the event loop that
//! holds each request for a delay. Shared by `examples/flags.rs` (the async client) and
//! `benches/runtime.rs` (both clients and the server, at 10,000 connections).
#![allow(dead_code)] // each includer uses its part

use std::error::Error;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use async_io::Async;
use futures_lite::{AsyncReadExt, AsyncWriteExt};

pub type BoxError = Box<dyn Error + Send + Sync>;

fn request(host: &str, path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
}

/// GET `path` from `address` on the event loop: the status and the body.
pub async fn http_get(
    address: SocketAddr,
    host: &str,
    path: &str,
) -> Result<(u16, Vec<u8>), BoxError> {
    let mut stream = Async::<TcpStream>::connect(address).await?;
    stream.write_all(request(host, path).as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    parse_response(&response)
}

/// GET `path` from `address`, blocking this thread: the status and the body.
pub fn http_get_blocking(
    address: SocketAddr,
    host: &str,
    path: &str,
) -> Result<(u16, Vec<u8>), BoxError> {
    let mut stream = TcpStream::connect(address)?;
    stream.write_all(request(host, path).as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    parse_response(&response)
}

/// The status and the body of a whole response (`Content-Length`, chunked, or up to the end
/// of the connection).
pub fn parse_response(response: &[u8]) -> Result<(u16, Vec<u8>), BoxError> {
    let head_end = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or("an HTTP response without a header end")?;
    let head = std::str::from_utf8(&response[..head_end])?;
    let body = &response[head_end + 4..];
    let status = head
        .split("\r\n")
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or("an HTTP response without a status")?;
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    };
    if header("Transfer-Encoding").is_some_and(|coding| coding.eq_ignore_ascii_case("chunked")) {
        return Ok((status, dechunk(body)?));
    }
    match header("Content-Length") {
        Some(length) => {
            let length: usize = length.parse()?;
            let body = body
                .get(..length)
                .ok_or("the connection closed inside the body")?;
            Ok((status, body.to_vec()))
        }
        None => Ok((status, body.to_vec())),
    }
}

/// Decodes a chunked body: hexadecimal size, CRLF, data, CRLF, ..., a zero-size chunk.
fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, BoxError> {
    let mut decoded = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|window| window == b"\r\n")
            .ok_or("a chunk without its size line")?;
        let size_line = std::str::from_utf8(&body[..line_end])?;
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Ok(decoded);
        }
        decoded.extend_from_slice(body.get(..size).ok_or("a chunk cut short")?);
        body = body.get(size + 2..).ok_or("a chunk cut short")?;
    }
}

/// Serves flags on cogen's event loop until the process ends: each connection is a task that
/// reads the request head, waits `delay` (a distant server), and answers 200 with a small body.
/// Thousands of connections wait at once on one thread.
pub async fn serve_flags(listener: TcpListener, delay: Duration) -> Result<(), BoxError> {
    let listener = Async::new(listener)?;
    loop {
        let (stream, _) = listener.accept().await?;
        // Detached: each connection ends on its own.
        drop(cogen::rt::spawn(async move {
            let _ = answer(stream, delay).await;
        }));
    }
}

async fn answer(mut stream: Async<TcpStream>, delay: Duration) -> Result<(), BoxError> {
    let mut head = Vec::with_capacity(256);
    let mut buffer = [0; 256];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..read]);
    }
    cogen::rt::sleep(delay).await;
    let body = b"GIF89a, or near enough";
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.write_all(body).await?;
    Ok(())
}
