//! Fluent Python, sections 17.1.1 and 17.1.2 (and a futures tutorial's `download1`/`download2`): download the
//! flags of the 20 most populous countries one after the other, then with a thread pool's
//! `map`, and compare the times. Downloading is waiting on the network, so twenty threads wait
//! side by side and the pool finishes in about the time of the slowest download. Then seed
//! 003's section 18.2 with section 17.5's care: the same downloads as tasks on cogen's event
//! loop over async TCP, a progress bar, at most `--concurrency` requests at once, and errors
//! counted per flag instead of stopping the run.
//!
//! ```text
//! cargo run --release --example flags                        # all three ways, built-in server
//! cargo run --example flags -- --mode pool --delay-ms 500    # a slower "network"
//! cargo run --example flags -- --mode async --missing CD,IR --concurrency 5
//! cargo run --example flags -- --base-url http://flupy.org/data/flags --dest downloads
//! ```
//!
//! The seed downloads from `http://flupy.org/data/flags/{cc}/{cc}.gif`. So that the example
//! runs anywhere, it starts its own server on 127.0.0.1 (a free port) that answers
//! `GET /flags/{cc}/{cc}.gif` with a small GIF after `--delay-ms` (default 100), as a distant
//! server would, and 404 for the codes given to `--missing`. `--base-url URL` downloads from
//! `URL/{cc}/{cc}.gif` instead (plain HTTP).
//!
//! Options: `--mode sequential|pool|async|both|all` (default all; both is sequential and
//! pool), `--dest DIR` (where the files go; default a new directory under the system's temp
//! directory), `--concurrency N` (the async mode's cap on requests in flight; default 20, the
//! pool's workers), `--missing CC,CC` (the built-in server answers 404 for those; with
//! `--mode async`, which reports them, as the sequential and pool modes of 17.1 stop at the
//! first error).
//!
//! What the seed printed (the pool's order is whichever download finished first):
//!
//! ```text
//! BD BR CD CN DE EG ET FR ID IN IR JP MX NG PH PK RU TR US VN
//! 20 flags downloaded in 18.29s
//! FR EG BR JP CD USIR  IN TR RU BD NG ID DE MX ET PKCN  PH VN
//! 20 flags downloaded in 1.47s
//! ```

use std::collections::HashSet;
use std::error::Error;
use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use cogen::pool::ThreadPoolExecutor;
use cogen::rt::{Queue, Semaphore, TaskGroup, timeout, to_thread};
use indicatif::{ProgressBar, ProgressStyle};

#[path = "common/http.rs"]
mod http;
use http::http_get;

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

// ---------------------------------------------------------------------------------------------
// Fluent Python, section 18.2 (flags_asyncio.py), with 17.5's progress bar, cap and per-flag errors.
// ---------------------------------------------------------------------------------------------

/// Python: `MAX_CONCUR_REQ`: the default cap on the async mode's requests in flight.
const DEFAULT_CONCURRENCY: usize = MAX_WORKERS;

/// How long one async download may take.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// Why one flag did not arrive: 17.5 counts these instead of stopping.
#[derive(Debug)]
enum FlagError {
    /// The server answered 404 (Python: `HTTPStatus.not_found`).
    NotFound,
    /// Anything else (Python: `HTTPStatus.error`), with what went wrong.
    Failed(String),
}

/// Where the async downloads go: the server's address, resolved once, and the paths' prefix.
struct AsyncFlags {
    address: SocketAddr,
    host: String,
    path_prefix: String,
    dest_dir: PathBuf,
}

impl AsyncFlags {
    fn new(base_url: &str, dest_dir: &Path) -> Result<Self, BoxError> {
        let rest = base_url
            .strip_prefix("http://")
            .ok_or("the async mode speaks plain HTTP: --base-url must start with http://")?;
        let (host, path_prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let authority = if host.contains(':') {
            host.to_string()
        } else {
            format!("{host}:80")
        };
        let address = authority
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| format!("{host}: no address"))?;
        Ok(AsyncFlags {
            address,
            host: host.to_string(),
            path_prefix: format!("/{path_prefix}").trim_end_matches('/').to_string(),
            dest_dir: dest_dir.to_path_buf(),
        })
    }

    /// Python: `async def get_flag(cc)`: one GET over a new connection, on the loop.
    async fn get_flag(&self, cc: &str) -> Result<Vec<u8>, FlagError> {
        let cc = cc.to_lowercase();
        let path = format!("{}/{cc}/{cc}.gif", self.path_prefix);
        let (status, body) = timeout(DOWNLOAD_TIMEOUT, http_get(self.address, &self.host, &path))
            .await
            .map_err(|_| FlagError::Failed("timed out".into()))?
            .map_err(|error| FlagError::Failed(error.to_string()))?;
        match status {
            200 => Ok(body),
            404 => Err(FlagError::NotFound),
            other => Err(FlagError::Failed(format!("HTTP {other}"))),
        }
    }

    /// Python: `async def download_one(cc, semaphore)`: at most `semaphore`'s count of
    /// requests at once; the file is written on the default executor, off the loop (18.3).
    async fn download_one(
        self: Rc<Self>,
        cc: &'static str,
        semaphore: Rc<Semaphore>,
    ) -> Result<&'static str, FlagError> {
        let image = {
            let _permit = semaphore.acquire().await;
            self.get_flag(cc).await?
        };
        let path = self.dest_dir.join(format!("{}.gif", cc.to_lowercase()));
        to_thread(move || std::fs::write(path, image))
            .await
            .map_err(|error| FlagError::Failed(error.to_string()))?
            .map_err(|error| FlagError::Failed(error.to_string()))?;
        Ok(cc)
    }
}

/// What the async run tells: the codes saved (in the order they finished) and the failures.
#[derive(Default)]
struct Tally {
    saved: Vec<&'static str>,
    not_found: Vec<&'static str>,
    failed: Vec<(&'static str, String)>,
}

/// Fluent Python's `download_many` (18.2, 17.5), as a Python 3.11+ programmer writes it:
///
/// ```python
/// async def download_many(cc_list, concurrency):
///     semaphore = asyncio.Semaphore(concurrency)
///     finished = asyncio.Queue()
///     async def download(cc):
///         await finished.put((cc, await download_one(cc, semaphore)))
///     async with asyncio.TaskGroup() as group:
///         for cc in sorted(cc_list):
///             group.create_task(download(cc))
///         for _ in cc_list:                      # the progress bar, fed by the queue
///             cc, outcome = await finished.get()
///             ...
/// ```
///
/// Every flag is a task of one group, which none outlives; the semaphore caps the requests in
/// flight; the queue carries each outcome to the body, which drives the progress bar.
fn download_many_async(
    flags: &Rc<AsyncFlags>,
    cc_list: &[&'static str],
    concurrency: usize,
) -> Tally {
    cogen::rt::run(async {
        let semaphore = Rc::new(Semaphore::new(concurrency));
        let finished = Rc::new(Queue::new(0));
        let codes = sorted(cc_list);
        let total = codes.len();
        TaskGroup::scope(async |group| {
            for cc in codes {
                let (flags, semaphore, finished) = (
                    Rc::clone(flags),
                    Rc::clone(&semaphore),
                    Rc::clone(&finished),
                );
                group.spawn(async move {
                    let outcome = flags.download_one(cc, semaphore).await;
                    finished
                        .put_nowait((cc, outcome))
                        .unwrap_or_else(|_| unreachable!("the queue has no limit"));
                });
            }
            // A bar on stderr when it is a terminal; the codes print as they finish otherwise.
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                    .expect("a valid progress template"),
            );
            let mut tally = Tally::default();
            for _ in 0..total {
                let (cc, outcome) = finished.get().await.expect("never shut down");
                match outcome {
                    Ok(cc) => {
                        if bar.is_hidden() {
                            show(cc);
                        }
                        tally.saved.push(cc);
                    }
                    Err(FlagError::NotFound) => tally.not_found.push(cc),
                    Err(FlagError::Failed(error)) => tally.failed.push((cc, error)),
                }
                bar.set_message(cc);
                bar.inc(1);
            }
            bar.finish_and_clear();
            if !bar.is_hidden() {
                print!(
                    "{}",
                    tally
                        .saved
                        .iter()
                        .map(|cc| format!("{cc} "))
                        .collect::<String>()
                );
            }
            tally
        })
        .await
        .unwrap_or_else(|error| panic!("a download task failed: {error}"))
    })
}

/// Runs the async mode and reports as 17.5's `final_report` does.
fn main_async(flags: &Rc<AsyncFlags>, concurrency: usize) -> Duration {
    let t0 = Instant::now();
    let tally = download_many_async(flags, &POP20_CC, concurrency);
    let elapsed = t0.elapsed();
    println!(
        "\n{} flags downloaded in {:.2}s",
        tally.saved.len(),
        elapsed.as_secs_f64()
    );
    if !tally.not_found.is_empty() {
        let mut codes = tally.not_found;
        codes.sort_unstable();
        println!("{} not found: {}", codes.len(), codes.join(" "));
    }
    if !tally.failed.is_empty() {
        let plural = if tally.failed.len() == 1 { "" } else { "s" };
        println!("{} error{plural}:", tally.failed.len());
        for (cc, error) in tally.failed {
            println!("  {cc}: {error}");
        }
    }
    elapsed
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
    let server = match options.base_url {
        Some(_) => None,
        None => Some(FlagServer::start(options.delay, options.missing.clone())?),
    };
    let base_url = match (&server, options.base_url) {
        (Some(server), _) => {
            println!(
                "Serving flags at {} after {} ms",
                server.base_url,
                options.delay.as_millis()
            );
            server.base_url.clone()
        }
        (None, Some(url)) => url.trim_end_matches('/').to_string(),
        (None, None) => unreachable!("no server without a base URL"),
    };
    let dest_dir = match options.dest {
        Some(dir) => dir,
        None => std::env::temp_dir().join(format!("cogen-flags-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dest_dir)?;
    println!("Saving them in {}", dest_dir.display());
    let async_flags = Rc::new(AsyncFlags::new(&base_url, &dest_dir)?);
    let flags = Arc::new(Flags::new(base_url, dest_dir));

    let mut sequential = None;
    if matches!(options.mode, Mode::Sequential | Mode::Both | Mode::All) {
        println!("\n-- sequential (17.1.1)");
        sequential = Some(main_with(download_many_sequential, &flags)?);
    }
    if matches!(options.mode, Mode::Pool | Mode::Both | Mode::All) {
        println!("\n-- ThreadPoolExecutor with {MAX_WORKERS} workers, map (17.1.2)");
        let pool = main_with(download_many_pool, &flags)?;
        if let Some(sequential) = sequential {
            let speed_up = sequential.as_secs_f64() / pool.as_secs_f64();
            println!("\nThe pool was {speed_up:.1} times as fast.");
        }
    }
    if matches!(options.mode, Mode::Async | Mode::All) {
        println!(
            "\n-- cogen::rt tasks, at most {} requests at once (18.2, 17.5)",
            options.concurrency
        );
        if let Some(server) = &server {
            server.reset_peak();
        }
        let elapsed = main_async(&async_flags, options.concurrency);
        if let Some(server) = &server {
            println!(
                "The server saw at most {} requests at once.",
                server.peak_in_flight()
            );
        }
        if let Some(sequential) = sequential {
            let speed_up = sequential.as_secs_f64() / elapsed.as_secs_f64();
            println!("\nThe async run was {speed_up:.1} times as fast as the sequential one.");
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
/// after a delay (404 for the codes it was told are missing), and anything else with 404. Its
/// handlers are tasks of a cogen pool; dropping the server stops them. It counts the requests
/// it answers at once, so that the async mode's cap can be seen from the server's side.
struct FlagServer {
    server: Arc<tiny_http::Server>,
    base_url: String,
    load: Arc<Load>,
    _handlers: ThreadPoolExecutor,
}

/// Requests being answered now, and the most at once since the last reset.
#[derive(Default)]
struct Load {
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

impl FlagServer {
    fn start(delay: Duration, missing: HashSet<String>) -> Result<Self, BoxError> {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0")?);
        let port = server
            .server_addr()
            .to_ip()
            .ok_or("the server has no IP address")?
            .port();
        let handlers = ThreadPoolExecutor::with_max_workers(HANDLERS);
        let load = Arc::new(Load::default());
        let missing = Arc::new(missing);
        for _ in 0..HANDLERS {
            let server = Arc::clone(&server);
            let (load, missing) = (Arc::clone(&load), Arc::clone(&missing));
            // Each handler answers requests until `unblock` (see `drop`); its future is not
            // needed.
            let _detached = handlers.submit(move || {
                while let Ok(request) = server.recv() {
                    let now = load.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    load.peak.fetch_max(now, Ordering::SeqCst);
                    let response = answer(&request, delay, &missing);
                    // Counted out before the client can have its answer: counted after, a
                    // request whose client had already moved on to its next one was seen as
                    // still in flight, and the peak overstated the client's concurrency.
                    load.in_flight.fetch_sub(1, Ordering::SeqCst);
                    // A failed answer means the client went away: nothing to do.
                    let _ = request.respond(response);
                }
            })?;
        }
        Ok(FlagServer {
            server,
            base_url: format!("http://127.0.0.1:{port}/flags"),
            load,
            _handlers: handlers,
        })
    }

    fn reset_peak(&self) {
        self.load.peak.store(0, Ordering::SeqCst);
    }

    fn peak_in_flight(&self) -> usize {
        self.load.peak.load(Ordering::SeqCst)
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

/// The response to `request`: its flag after `delay`, or 404.
fn answer(
    request: &tiny_http::Request,
    delay: Duration,
    missing: &HashSet<String>,
) -> tiny_http::ResponseBox {
    let flag = (*request.method() == tiny_http::Method::Get)
        .then(|| country_of(request.url()))
        .flatten();
    match flag {
        Some(cc) if !missing.contains(&cc) => {
            thread::sleep(delay);
            let content_type =
                tiny_http::Header::from_bytes("Content-Type", "image/gif").expect("a valid header");
            tiny_http::Response::from_data(flag_gif(&cc))
                .with_header(content_type)
                .boxed()
        }
        Some(_) => {
            thread::sleep(delay);
            tiny_http::Response::empty(404).boxed()
        }
        None => tiny_http::Response::empty(404).boxed(),
    }
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

const USAGE: &str = "usage: flags [--mode sequential|pool|async|both|all] [--delay-ms MS] \
                     [--base-url URL] [--dest DIR] [--concurrency N] [--missing CC,CC,...]";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sequential,
    Pool,
    Async,
    /// Sequential and pool: Fluent Python 17.1's two runs.
    Both,
    All,
}

struct Options {
    mode: Mode,
    delay: Duration,
    base_url: Option<String>,
    dest: Option<PathBuf>,
    concurrency: usize,
    missing: HashSet<String>,
}

impl Options {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut options = Options {
            mode: Mode::All,
            delay: Duration::from_millis(100),
            base_url: None,
            dest: None,
            concurrency: DEFAULT_CONCURRENCY,
            missing: HashSet::new(),
        };
        let mut delay_given = false;
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--mode" => {
                    options.mode = match value()?.as_str() {
                        "sequential" => Mode::Sequential,
                        "pool" => Mode::Pool,
                        "async" => Mode::Async,
                        "both" => Mode::Both,
                        "all" => Mode::All,
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
                "--concurrency" => {
                    let n = value()?;
                    options.concurrency = n
                        .parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or(format!("--concurrency: not a positive number: {n}"))?;
                }
                "--missing" => {
                    for cc in value()?.split(',') {
                        let valid = cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_alphabetic());
                        if !valid {
                            return Err(format!("--missing: not a country code: {cc}"));
                        }
                        options.missing.insert(cc.to_uppercase());
                    }
                }
                other => return Err(format!("unknown argument: {other}")),
            }
        }
        if options.base_url.is_some() && (delay_given || !options.missing.is_empty()) {
            return Err(
                "--delay-ms and --missing are for the built-in server, not with --base-url"
                    .to_string(),
            );
        }
        if !options.missing.is_empty() && options.mode != Mode::Async {
            return Err(
                "--missing needs --mode async: the sequential and pool runs of 17.1 stop at \
                 the first missing flag"
                    .to_string(),
            );
        }
        Ok(options)
    }
}
