//! The messages between a process pool and its workers, and their frames.
//!
//! A frame is a little-endian `u32` length and that many bytes; a message is a tag byte and
//! fixed-width fields, with byte strings prefixed by their `u32` length. Task arguments and
//! results inside are postcard-encoded by [`Registry`](crate::pool::Registry). Anything else
//! (a short read, a length over the limit, an unknown tag, bytes left over) is an error that
//! names what was wrong, never a panic.

use std::fmt;
use std::io::{self, Read, Write};

use crate::pool::task::WIRE_VERSION as VERSION;

/// The first bytes of a worker's hello: what is talking is a cogen worker.
const MAGIC: &[u8; 8] = b"cogen-pw";

const HELLO: u8 = 1;
const INIT: u8 = 2;
const RUN: u8 = 3;
const EXIT: u8 = 4;
const DONE: u8 = 5;
const INIT_FAILED: u8 = 6;

/// From the pool to a worker.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ToWorker {
    /// Run the initializer (task `task` on the one argument in `arguments`) before any task.
    Init { task: u32, arguments: Vec<u8> },
    /// Run task `task` on each of the `count` arguments (a postcard sequence) in turn and
    /// answer with one `Done`.
    Run {
        job: u64,
        task: u32,
        count: u32,
        arguments: Vec<u8>,
    },
    /// Exit once the tasks received before this are done.
    Exit,
}

/// From a worker to the pool.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FromWorker {
    /// The first message: who the worker is and which tasks it knows.
    Hello { fingerprint: u64, pid: u32 },
    /// The results of a `Run`, one per argument (a postcard sequence of
    /// `Result<R, WireFailure>`).
    Done { job: u64, results: Vec<u8> },
    /// The initializer panicked (with this message); the worker exits.
    InitFailed(String),
}

/// A frame could not be read.
#[derive(Debug)]
pub(crate) enum FrameError {
    /// The stream ended or failed inside a frame.
    Truncated { expected: usize, got: usize },
    /// The length prefix is over the limit.
    Oversized { len: usize, limit: usize },
    /// Reading failed.
    Io(io::Error),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Truncated { expected, got } => {
                write!(f, "a truncated frame ({got} of {expected} bytes)")
            }
            FrameError::Oversized { len, limit } => {
                write!(f, "a frame of {len} bytes, over the limit of {limit}")
            }
            FrameError::Io(error) => write!(f, "a read error: {error}"),
        }
    }
}

/// Reads one frame's body; `Ok(None)` when the stream ends cleanly between frames.
pub(crate) fn read_frame(
    reader: &mut impl Read,
    limit: usize,
) -> Result<Option<Vec<u8>>, FrameError> {
    let mut prefix = [0u8; 4];
    let got = read_full(reader, &mut prefix).map_err(FrameError::Io)?;
    if got == 0 {
        return Ok(None);
    }
    if got < prefix.len() {
        return Err(FrameError::Truncated { expected: 4, got });
    }
    let len = u32::from_le_bytes(prefix) as usize;
    if len > limit {
        return Err(FrameError::Oversized { len, limit });
    }
    // Grown as bytes arrive, so a lying prefix under the limit costs no more than was sent.
    let mut body = Vec::with_capacity(len.min(64 * 1024));
    let got = reader
        .take(len as u64)
        .read_to_end(&mut body)
        .map_err(FrameError::Io)?;
    if got < len {
        return Err(FrameError::Truncated {
            expected: len + 4,
            got: got + 4,
        });
    }
    Ok(Some(body))
}

/// Fills `buffer` unless the stream ends first; returns how many bytes were read.
fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// A frame being built: the length prefix is filled in by [`Frame::finish`].
pub(crate) struct Frame(Vec<u8>);

impl Frame {
    fn new(tag: u8) -> Self {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&[0; 4]);
        bytes.push(tag);
        Frame(bytes)
    }

    fn u32(mut self, value: u32) -> Self {
        self.0.extend_from_slice(&value.to_le_bytes());
        self
    }

    fn u64(mut self, value: u64) -> Self {
        self.0.extend_from_slice(&value.to_le_bytes());
        self
    }

    fn bytes(self, value: &[u8]) -> Self {
        let mut frame = self.u32(u32::try_from(value.len()).expect("checked against the limit"));
        frame.0.extend_from_slice(value);
        frame
    }

    /// The frame's bytes, prefix included; its body's length, to check against the limit.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let len = u32::try_from(self.0.len() - 4).unwrap_or(u32::MAX);
        self.0[..4].copy_from_slice(&len.to_le_bytes());
        self.0
    }
}

impl ToWorker {
    pub(crate) fn encode(&self) -> Vec<u8> {
        match self {
            ToWorker::Init { task, arguments } => Frame::new(INIT).u32(*task).bytes(arguments),
            ToWorker::Run {
                job,
                task,
                count,
                arguments,
            } => Frame::new(RUN)
                .u64(*job)
                .u32(*task)
                .u32(*count)
                .bytes(arguments),
            ToWorker::Exit => Frame::new(EXIT),
        }
        .finish()
    }

    pub(crate) fn decode(body: &[u8]) -> Result<Self, String> {
        let mut cursor = Cursor::new(body);
        let message = match cursor.u8()? {
            INIT => ToWorker::Init {
                task: cursor.u32()?,
                arguments: cursor.bytes()?.to_vec(),
            },
            RUN => ToWorker::Run {
                job: cursor.u64()?,
                task: cursor.u32()?,
                count: cursor.u32()?,
                arguments: cursor.bytes()?.to_vec(),
            },
            EXIT => ToWorker::Exit,
            tag => return Err(format!("an unknown message tag {tag}")),
        };
        cursor.end()?;
        Ok(message)
    }
}

impl FromWorker {
    pub(crate) fn encode(&self) -> Vec<u8> {
        match self {
            FromWorker::Hello { fingerprint, pid } => Frame::new(HELLO)
                .bytes(MAGIC)
                .u32(VERSION)
                .u64(*fingerprint)
                .u32(*pid),
            FromWorker::Done { job, results } => Frame::new(DONE).u64(*job).bytes(results),
            FromWorker::InitFailed(message) => Frame::new(INIT_FAILED).bytes(message.as_bytes()),
        }
        .finish()
    }

    pub(crate) fn decode(body: &[u8]) -> Result<Self, String> {
        let mut cursor = Cursor::new(body);
        let message = match cursor.u8()? {
            HELLO => {
                if cursor.bytes()? != MAGIC {
                    return Err("a hello without cogen's magic bytes".to_string());
                }
                let version = cursor.u32()?;
                if version != VERSION {
                    return Err(format!(
                        "a worker speaking protocol {version}, not {VERSION}"
                    ));
                }
                FromWorker::Hello {
                    fingerprint: cursor.u64()?,
                    pid: cursor.u32()?,
                }
            }
            DONE => FromWorker::Done {
                job: cursor.u64()?,
                results: cursor.bytes()?.to_vec(),
            },
            INIT_FAILED => {
                let bytes = cursor.bytes()?;
                FromWorker::InitFailed(cursor.text(bytes)?)
            }
            tag => return Err(format!("an unknown message tag {tag}")),
        };
        cursor.end()?;
        Ok(message)
    }
}

/// A `Run` frame whose arguments are written straight into it by `fill` (no copy of them).
pub(crate) fn run_frame<E>(
    job: u64,
    task: u32,
    count: u32,
    fill: impl FnOnce(Vec<u8>) -> Result<Vec<u8>, E>,
) -> Result<Vec<u8>, E> {
    let Frame(head) = Frame::new(RUN).u64(job).u32(task).u32(count).u32(0);
    let start = head.len();
    let mut frame = fill(head)?;
    let len = u32::try_from(frame.len() - start).unwrap_or(u32::MAX);
    frame[start - 4..start].copy_from_slice(&len.to_le_bytes());
    Ok(Frame(frame).finish())
}

/// Reads fields off a message body, failing on a short one.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn new(body: &'a [u8]) -> Self {
        Cursor { rest: body }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.rest.len() < n {
            return Err(format!(
                "a message cut short ({} bytes left where {n} were due)",
                self.rest.len()
            ));
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, String> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes(bytes.try_into().expect("4 bytes")))
    }

    fn u64(&mut self) -> Result<u64, String> {
        let bytes = self.take(8)?;
        Ok(u64::from_le_bytes(bytes.try_into().expect("8 bytes")))
    }

    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let len = self.u32()? as usize;
        self.take(len)
    }

    fn text(&self, bytes: &[u8]) -> Result<String, String> {
        String::from_utf8(bytes.to_vec()).map_err(|_| "a message that is not UTF-8".to_string())
    }

    fn end(&self) -> Result<(), String> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{} unexpected bytes after a message",
                self.rest.len()
            ))
        }
    }
}

/// Writes a whole frame (one `write_all` of prefix and body together).
pub(crate) fn write_frame(writer: &mut impl Write, frame: &[u8]) -> io::Result<()> {
    writer.write_all(frame)?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(frame: &[u8]) -> &[u8] {
        &frame[4..]
    }

    #[test]
    fn messages_round_trip() {
        let to_worker = [
            ToWorker::Init {
                task: 3,
                arguments: vec![1, 2],
            },
            ToWorker::Run {
                job: 1 << 40,
                task: 7,
                count: 2,
                arguments: vec![9; 300],
            },
            ToWorker::Exit,
        ];
        for message in to_worker {
            let frame = message.encode();
            assert_eq!(
                frame[..4],
                u32::try_from(frame.len() - 4).unwrap().to_le_bytes()
            );
            assert_eq!(ToWorker::decode(body(&frame)).unwrap(), message);
        }
        let from_worker = [
            FromWorker::Hello {
                fingerprint: 0xdead_beef_0bad_f00d,
                pid: 4242,
            },
            FromWorker::Done {
                job: 5,
                results: vec![1, 2, 3],
            },
            FromWorker::InitFailed("no".into()),
        ];
        for message in from_worker {
            let frame = message.encode();
            assert_eq!(FromWorker::decode(body(&frame)).unwrap(), message);
        }
    }

    #[test]
    fn every_prefix_of_a_message_is_an_error_not_a_panic() {
        let frame = FromWorker::Done {
            job: 1,
            results: vec![1, 2, 3],
        }
        .encode();
        let body = body(&frame);
        for cut in 0..body.len() {
            assert!(FromWorker::decode(&body[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = body.to_vec();
        longer.push(0);
        assert!(
            FromWorker::decode(&longer)
                .unwrap_err()
                .contains("unexpected bytes")
        );
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(
            FromWorker::decode(&[99])
                .unwrap_err()
                .contains("unknown message tag")
        );
        assert!(FromWorker::decode(&[]).is_err());
        let mut hello = FromWorker::Hello {
            fingerprint: 1,
            pid: 2,
        }
        .encode();
        hello[9] = b'X'; // a magic byte
        assert!(
            FromWorker::decode(body(&hello))
                .unwrap_err()
                .contains("magic")
        );
        // A huge length with no bytes behind it allocates nothing and fails.
        let lying = [DONE, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
        assert!(
            FromWorker::decode(&lying)
                .unwrap_err()
                .contains("cut short")
        );
    }

    #[test]
    fn a_run_frame_built_in_place_is_the_encoded_message() {
        let built = run_frame::<()>(9, 2, 3, |mut frame| {
            frame.extend_from_slice(&[7, 8, 9, 10]);
            Ok(frame)
        })
        .unwrap();
        let message = ToWorker::Run {
            job: 9,
            task: 2,
            count: 3,
            arguments: vec![7, 8, 9, 10],
        };
        assert_eq!(built, message.encode());
    }

    #[test]
    fn frames_are_checked() {
        let frame = ToWorker::Exit.encode();
        let mut stream = &frame[..];
        assert_eq!(read_frame(&mut stream, 16).unwrap().unwrap(), [EXIT]);
        assert!(read_frame(&mut stream, 16).unwrap().is_none());
        let mut short = &frame[..3];
        assert!(matches!(
            read_frame(&mut short, 16),
            Err(FrameError::Truncated {
                expected: 4,
                got: 3
            })
        ));
        let mut cut = &[5, 0, 0, 0, 1, 2][..];
        assert!(matches!(
            read_frame(&mut cut, 16),
            Err(FrameError::Truncated {
                expected: 9,
                got: 6
            })
        ));
        let mut huge = &[0xff, 0xff, 0xff, 0x7f][..];
        assert!(matches!(
            read_frame(&mut huge, 1 << 20),
            Err(FrameError::Oversized { .. })
        ));
    }
}
