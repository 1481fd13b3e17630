//! Seed 002, sections 17.1.1 and 17.1.2 (and seed 001's `download1`/`download2`): download the
//! flags of the 20 most populous countries one after the other, then with a thread pool's
//! `map`, and compare the times. Downloading is waiting on the network, so twenty threads wait
//! side by side and the pool finishes in about the time of the slowest download.
//!
//! ```text
//! cargo run --release --example flags                        # both ways, built-in server
//! cargo run --example flags -- --mode pool --delay-ms 500    # a slower "network"
//! cargo run --example flags -- --base-url http://flupy.org/data/flags --dest downloads
//! ```
//!
//! The seed downloads from `http://flupy.org/data/flags/{cc}/{cc}.gif`. So that the example
//! runs anywhere, it starts its own server on 127.0.0.1 (a free port) that answers
//! `GET /flags/{cc}/{cc}.gif` with a small GIF after `--delay-ms` (default 100), as a distant
//! server would. `--base-url URL` downloads from `URL/{cc}/{cc}.gif` instead (plain HTTP).
//!
//! Options: `--mode sequential|pool|both` (default both), `--dest DIR` (where the files go;
//! default a new directory under the system's temp directory).
//!
//! What the seed printed (the pool's order is whichever download finished first):
//!
//! ```text
//! BD BR CD CN DE EG ET FR ID IN IR JP MX NG PH PK RU TR US VN
//! 20 flags downloaded in 18.29s
//! FR EG BR JP CD USIR  IN TR RU BD NG ID DE MX ET PKCN  PH VN
//! 20 flags downloaded in 1.47s
//! ```

use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use cogen::pool::ThreadPoolExecutor;

type BoxError = Box<dyn Error + Send + Sync>;

/// Python: `POP20_CC = ('CN IN US ID BR PK NG BD RU JP MX PH VN ET EG DE IR TR CD FR').split()`
const POP20_CC: [&str; 20] = [
    "CN", "IN", "US", "ID", "BR", "PK", "NG", "BD", "RU", "JP", "MX", "PH", "VN", "ET", "EG", "DE",
    "IR", "TR", "CD", "FR",
];

/// Python: `MAX_WORKERS = 20`
const MAX_WORKERS: usize = 20;

/// Where the flags come from and where they go: the seed's `BASE_URL` and `DEST_DIR`, and one
/// HTTP agent shared by all threads.
struct Flags {
    base_url: String,
    dest_dir: PathBuf,
    agent: ureq::Agent,
}

impl Flags {
    fn new(base_url: String, dest_dir: PathBuf) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        Flags {
            base_url,
            dest_dir,
            agent: ureq::Agent::new_with_config(config),
        }
    }

    /// Python: `def save_flag(img, filename)`
    fn save_flag(&self, img: &[u8], filename: &str) -> std::io::Result<()> {
        std::fs::write(self.dest_dir.join(filename), img)
    }

    /// Python: `def get_flag(cc)`: `requests.get(f"{BASE_URL}/{cc.lower()}/{cc.lower()}.gif")`
    fn get_flag(&self, cc: &str) -> Result<Vec<u8>, ureq::Error> {
        let cc = cc.to_lowercase();
        let url = format!("{}/{cc}/{cc}.gif", self.base_url);
        // One connection per flag, as the seed's `requests.get` opens one per call. It also
        // frees tiny_http's thread for the connection as soon as the request is read: with
        // keep-alive, that thread waits for the next request, and a burst of new connections
        // can then queue behind busy threads (tiny_http 0.12's pool counts idle threads late).
        self.agent
            .get(&url)
            .header("Connection", "close")
            .call()?
            .body_mut()
            .read_to_vec()
    }

    /// Python: `def download_one(cc)`: get, show, save, and give the code back.
    fn download_one(&self, cc: &'static str) -> Result<&'static str, BoxError> {
        let image = self
            .get_flag(cc)
            .map_err(|error| format!("{cc}: {error}"))?;
        show(cc);
        self.save_flag(&image, &format!("{}.gif", cc.to_lowercase()))?;
        Ok(cc)
    }
}

/// Python: `def show(text): print(text, end=' '); sys.stdout.flush()`
fn show(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = write!(stdout, "{text} ");
    let _ = stdout.flush();
}

/// Section 17.1.1: one flag after the other.
fn download_many_sequential(
    flags: &Arc<Flags>,
    cc_list: &[&'static str],
) -> Result<usize, BoxError> {
    for cc in sorted(cc_list) {
        flags.download_one(cc)?;
    }
    Ok(cc_list.len())
}

/// Section 17.1.2: `with ThreadPoolExecutor(workers) as executor:
/// res = executor.map(download_one, sorted(cc_list))`
fn download_many_pool(flags: &Arc<Flags>, cc_list: &[&'static str]) -> Result<usize, BoxError> {
    let workers = MAX_WORKERS.min(cc_list.len());
    let executor = ThreadPoolExecutor::with_max_workers(workers);
    let flags = Arc::clone(flags);
    let res = executor.map(move |cc| flags.download_one(cc), sorted(cc_list));
    // Python's `len(list(res))`; a download's error, or its panic, is the result's error.
    let mut count = 0;
    for result in res {
        result??;
        count += 1;
    }
    Ok(count)
}

fn sorted(cc_list: &[&'static str]) -> Vec<&'static str> {
    let mut sorted = cc_list.to_vec();
    sorted.sort_unstable();
    sorted
}

/// Python: `def main(download_many)`: time it and print the count.
fn main_with(
    download_many: fn(&Arc<Flags>, &[&'static str]) -> Result<usize, BoxError>,
    flags: &Arc<Flags>,
) -> Result<Duration, BoxError> {
    let t0 = Instant::now();
    let count = download_many(flags, &POP20_CC)?;
    let elapsed = t0.elapsed();
    println!(
        "\n{count} flags downloaded in {:.2}s",
        elapsed.as_secs_f64()
    );
    Ok(elapsed)
}

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("flags: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nflags: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: Options) -> Result<(), BoxError> {
    // The built-in server lives until the end of `run`.
    let server;
    let base_url = match options.base_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            server = FlagServer::start(options.delay)?;
            println!(
                "Serving flags at {} after {} ms",
                server.base_url,
                options.delay.as_millis()
            );
            server.base_url.clone()
        }
    };
    let dest_dir = match options.dest {
        Some(dir) => dir,
        None => std::env::temp_dir().join(format!("cogen-flags-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dest_dir)?;
    println!("Saving them in {}", dest_dir.display());
    let flags = Arc::new(Flags::new(base_url, dest_dir));

    let mut sequential = None;
    if options.mode != Mode::Pool {
        println!("\n-- sequential (17.1.1)");
        sequential = Some(main_with(download_many_sequential, &flags)?);
    }
    if options.mode != Mode::Sequential {
        println!("\n-- ThreadPoolExecutor with {MAX_WORKERS} workers, map (17.1.2)");
        let pool = main_with(download_many_pool, &flags)?;
        if let Some(sequential) = sequential {
            let speed_up = sequential.as_secs_f64() / pool.as_secs_f64();
            println!("\nThe pool was {speed_up:.1} times as fast.");
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The built-in flag server: a stand-in for flupy.org.
// ---------------------------------------------------------------------------------------------

/// How many requests the server answers at once: more than the downloads in flight.
const HANDLERS: usize = 32;

/// An HTTP server on 127.0.0.1 that answers `GET /flags/{cc}/{cc}.gif` with [`flag_gif`]
/// after a delay, and anything else with 404. Its handlers are tasks of a cogen pool; dropping
/// the server stops them.
struct FlagServer {
    server: Arc<tiny_http::Server>,
    base_url: String,
    _handlers: ThreadPoolExecutor,
}

impl FlagServer {
    fn start(delay: Duration) -> Result<Self, BoxError> {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0")?);
        let port = server
            .server_addr()
            .to_ip()
            .ok_or("the server has no IP address")?
            .port();
        let handlers = ThreadPoolExecutor::with_max_workers(HANDLERS);
        for _ in 0..HANDLERS {
            let server = Arc::clone(&server);
            // Each handler answers requests until `unblock` (see `drop`); its future is not
            // needed.
            let _detached = handlers.submit(move || {
                while let Ok(request) = server.recv() {
                    answer(request, delay);
                }
            })?;
        }
        Ok(FlagServer {
            server,
            base_url: format!("http://127.0.0.1:{port}/flags"),
            _handlers: handlers,
        })
    }
}

impl Drop for FlagServer {
    fn drop(&mut self) {
        // One `unblock` ends one handler's `recv`; then the pool's drop waits for them all.
        for _ in 0..HANDLERS {
            self.server.unblock();
        }
    }
}

fn answer(request: tiny_http::Request, delay: Duration) {
    let flag = (*request.method() == tiny_http::Method::Get)
        .then(|| country_of(request.url()))
        .flatten();
    // A failed answer means the client went away: nothing to do.
    let _ = match flag {
        Some(cc) => {
            thread::sleep(delay);
            let content_type =
                tiny_http::Header::from_bytes("Content-Type", "image/gif").expect("a valid header");
            request.respond(tiny_http::Response::from_data(flag_gif(&cc)).with_header(content_type))
        }
        None => request.respond(tiny_http::Response::empty(404)),
    };
}

/// `/flags/br/br.gif` -> `BR`: two lowercase letters, twice.
fn country_of(path: &str) -> Option<String> {
    let (dir, file) = path.strip_prefix("/flags/")?.split_once('/')?;
    let valid = dir.len() == 2 && dir.bytes().all(|b| b.is_ascii_lowercase());
    (valid && file.strip_suffix(".gif") == Some(dir)).then(|| dir.to_uppercase())
}

/// A valid one-pixel GIF for the country `cc`, with a colour made from its letters and the
/// comment `flag of CC`.
fn flag_gif(cc: &str) -> Vec<u8> {
    let comment = format!("flag of {cc}");
    let letters = cc.as_bytes();
    let mut gif = Vec::with_capacity(64);
    gif.extend_from_slice(b"GIF89a");
    // Logical screen 1x1, a global colour table of 2 colours.
    gif.extend_from_slice(&[1, 0, 1, 0, 0x80, 0, 0]);
    gif.extend_from_slice(&[letters[0], letters[1], 0x80, 0, 0, 0]);
    // Comment extension.
    gif.extend_from_slice(&[0x21, 0xFE, comment.len() as u8]);
    gif.extend_from_slice(comment.as_bytes());
    gif.push(0);
    // Image descriptor 1x1 at (0, 0), then its LZW data: clear, colour 0, end.
    gif.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
    gif.extend_from_slice(&[2, 2, 0x44, 0x01, 0]);
    gif.push(0x3B); // trailer
    gif
}

// ---------------------------------------------------------------------------------------------
// The command line.
// ---------------------------------------------------------------------------------------------

const USAGE: &str = "usage: flags [--mode sequential|pool|both] [--delay-ms MS] \
                     [--base-url URL] [--dest DIR]";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sequential,
    Pool,
    Both,
}

struct Options {
    mode: Mode,
    delay: Duration,
    base_url: Option<String>,
    dest: Option<PathBuf>,
}

impl Options {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut options = Options {
            mode: Mode::Both,
            delay: Duration::from_millis(100),
            base_url: None,
            dest: None,
        };
        let mut delay_given = false;
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--mode" => {
                    options.mode = match value()?.as_str() {
                        "sequential" => Mode::Sequential,
                        "pool" => Mode::Pool,
                        "both" => Mode::Both,
                        other => return Err(format!("--mode: unknown mode {other}")),
                    }
                }
                "--delay-ms" => {
                    let ms = value()?;
                    let ms = ms
                        .parse()
                        .map_err(|_| format!("--delay-ms: not a number: {ms}"))?;
                    options.delay = Duration::from_millis(ms);
                    delay_given = true;
                }
                "--base-url" => options.base_url = Some(value()?),
                "--dest" => options.dest = Some(Path::new(&value()?).to_path_buf()),
                other => return Err(format!("unknown argument: {other}")),
            }
        }
        if delay_given && options.base_url.is_some() {
            return Err("--delay-ms is for the built-in server, not with --base-url".to_string());
        }
        Ok(options)
    }
}
