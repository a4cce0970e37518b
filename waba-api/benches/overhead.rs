//! Request overhead of waba-api over raw `reqwest` + `serde_json` doing the same exchange.
//!
//! `cargo bench -p waba-api --bench overhead [-- OPTIONS]` (see `USAGE`). Both sides send the same
//! request (URL, `fields=` every field, `Authorization: Bearer`, form body for the POST) through a
//! pooled `reqwest::Client` configured alike, to the same server, and decode into the same
//! generated structs. Rounds alternate the order of the two sides (ABBA) so that drift of a noisy
//! machine falls on both; each round's ratio compares two neighbouring measurements.
//!
//! The server runs in this process on its own thread (a current-thread tokio runtime), apart from
//! the client's runtime. `--server static` (default) replays fixed bytes captured from waba-mock
//! (status, Graph's headers, body), so the server's cost is tiny and identical for both sides;
//! `--server mock` serves with waba-mock itself.
//!
//! `--only sdk-get|raw-get|sdk-post|raw-post --requests N` runs one side sequentially without
//! timing, for `valgrind --tool=callgrind` instruction counts; with `--in-flight C`, C requests
//! at a time (for `perf record` of the concurrent case). `rawurl-get|rawurl-post` is the baseline
//! holding its URLs parsed (a clone per request instead of a parse), as the SDK resolves paths
//! under a root it parsed once.

mod common;
use common::stats;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use waba_api::Client;
use waba_api::ids::{UserId, WabaId};
use waba_api::models::{
    SuccessResponse, Task, WhatsAppBusinessAccount, WhatsAppBusinessAccountField,
};

const USAGE: &str = "\
options: --server static|mock   (default static)
         --rounds R             measured rounds, each side once per round (default 9)
         --requests N           requests per side per round and case (default 2000)
         --concurrency C        requests in flight for the concurrent cases (default 64)
         --workers W            client runtime worker threads (default 2)
         --only SIDE            sdk-get|raw-get|sdk-post|raw-post (or rawurl-get|rawurl-post):
                                untimed, for callgrind / perf
         --in-flight C          with --only: requests in flight (default 1: sequential)";

struct Opts {
    mock: bool,
    rounds: usize,
    requests: usize,
    concurrency: usize,
    workers: usize,
    only: Option<String>,
    in_flight: usize,
}

fn opts() -> Opts {
    let mut o = Opts {
        mock: false,
        rounds: 9,
        requests: 2000,
        concurrency: 64,
        workers: 2,
        only: None,
        in_flight: 1,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| panic!("{a} needs a value\n{USAGE}"))
        };
        let num =
            |v: String| -> usize { v.parse().unwrap_or_else(|_| panic!("{v}: not a number")) };
        match a.as_str() {
            "--server" => o.mock = value() == "mock",
            "--rounds" => o.rounds = num(value()).max(1),
            "--requests" => o.requests = num(value()).max(1),
            "--concurrency" => o.concurrency = num(value()).max(1),
            "--workers" => o.workers = num(value()).max(1),
            "--only" => o.only = Some(value()),
            "--in-flight" => o.in_flight = num(value()).max(1),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            // `cargo bench` passes `--bench`; filters are not used.
            _ => {}
        }
    }
    o
}

/// What both sides need to know about the target.
#[derive(Clone)]
struct Target {
    base_url: String,
    token: String,
    waba: WabaId,
    user: UserId,
}

fn main() {
    let o = opts();
    let (target, _server) = start_server(o.mock);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(o.workers)
        .enable_all()
        .build()
        .expect("client runtime");
    let sdk = Client::builder(target.token.clone())
        .base_url(target.base_url.clone())
        .build()
        .expect("sdk client");
    let raw = Raw::new(&target);
    if let Some(side) = &o.only {
        rt.block_on(only(side, o.requests, o.in_flight, &sdk, &raw, &target));
        return;
    }
    println!(
        "server: {}; client runtime: {} worker threads; {} requests per side per round; {} rounds (+1 warm-up); concurrent = {} in flight",
        if o.mock {
            "waba-mock (in-process, own thread)"
        } else {
            "static replay of waba-mock's bytes (in-process, own thread)"
        },
        o.workers,
        o.requests,
        o.rounds,
        o.concurrency
    );
    let cases: [(&str, bool, usize); 4] = [
        ("GET  sequential", true, 1),
        ("GET  concurrent", true, o.concurrency),
        ("POST sequential", false, 1),
        ("POST concurrent", false, o.concurrency),
    ];
    println!(
        "| case | raw reqwest req/s median (min–max) | waba-api req/s median (min–max) | time overhead median (min…max) | raw CPU µs/req | waba-api CPU µs/req | CPU overhead median (min…max) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, get, conc) in cases {
        let mut raw_rates = Vec::new();
        let mut sdk_rates = Vec::new();
        let mut overheads = Vec::new();
        let (mut raw_cpu, mut sdk_cpu, mut cpu_overheads) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..=o.rounds {
            // (requests per wall-clock second, process CPU µs per request)
            let run = |use_sdk: bool| {
                let cpu0 = cpu_time();
                let t = rt.block_on(timed(use_sdk, get, conc, o.requests, &sdk, &raw, &target));
                let cpu = cpu_time() - cpu0;
                (
                    o.requests as f64 / t.as_secs_f64(),
                    cpu.as_secs_f64() * 1e6 / o.requests as f64,
                )
            };
            // ABBA: alternate which side goes first.
            let (r, s) = if round % 2 == 0 {
                let r = run(false);
                (r, run(true))
            } else {
                let s = run(true);
                (run(false), s)
            };
            if round == 0 {
                continue; // warm-up: connections, allocator, caches
            }
            raw_rates.push(r.0);
            sdk_rates.push(s.0);
            // Overhead = extra time per request relative to raw = raw_rate / sdk_rate - 1.
            overheads.push((r.0 / s.0 - 1.0) * 100.0);
            raw_cpu.push(r.1);
            sdk_cpu.push(s.1);
            cpu_overheads.push((s.1 / r.1 - 1.0) * 100.0);
        }
        let (rm, rlo, rhi) = stats(&raw_rates);
        let (sm, slo, shi) = stats(&sdk_rates);
        let (om, olo, ohi) = stats(&overheads);
        let (rc, _, _) = stats(&raw_cpu);
        let (sc, _, _) = stats(&sdk_cpu);
        let (cm, clo, chi) = stats(&cpu_overheads);
        println!(
            "| {name} | {rm:.0} ({rlo:.0}–{rhi:.0}) | {sm:.0} ({slo:.0}–{shi:.0}) | {om:+.1}% ({olo:+.1}…{ohi:+.1}%) | {rc:.1} | {sc:.1} | {cm:+.1}% ({clo:+.1}…{chi:+.1}%) |"
        );
    }
}

/// CPU time of the whole process (client, server thread and the kernel's work for both).
fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

async fn timed(
    use_sdk: bool,
    get: bool,
    concurrency: usize,
    n: usize,
    sdk: &Client,
    raw: &Raw,
    t: &Target,
) -> Duration {
    let start = Instant::now();
    if concurrency == 1 {
        for _ in 0..n {
            one(use_sdk, get, sdk, raw, t).await;
        }
    } else {
        let next = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::with_capacity(concurrency);
        for _ in 0..concurrency {
            let (next, sdk, raw, t) = (next.clone(), sdk.clone(), raw.clone(), t.clone());
            tasks.push(tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < n {
                    one(use_sdk, get, &sdk, &raw, &t).await;
                }
            }));
        }
        for task in tasks {
            task.await.expect("bench task");
        }
    }
    start.elapsed()
}

async fn one(use_sdk: bool, get: bool, sdk: &Client, raw: &Raw, t: &Target) {
    match (use_sdk, get) {
        (true, true) => {
            let w = sdk
                .waba(&t.waba)
                .get()
                .fields(WhatsAppBusinessAccountField::ALL.iter().copied())
                .send()
                .await
                .expect("sdk GET");
            std::hint::black_box(w.into_inner());
        }
        (false, true) => {
            std::hint::black_box(raw.get_waba().await);
        }
        (true, false) => {
            let r = sdk
                .waba(&t.waba)
                .assigned_users()
                .add(&t.user, [Task::Manage])
                .send()
                .await
                .expect("sdk POST");
            assert!(r.success);
            std::hint::black_box(r.into_inner());
        }
        (false, false) => {
            let r = raw.add_user().await;
            assert!(r.success);
            std::hint::black_box(r);
        }
    }
}

async fn only(side: &str, n: usize, in_flight: usize, sdk: &Client, raw: &Raw, t: &Target) {
    let (use_sdk, get) = match side {
        "sdk-get" => (true, true),
        "raw-get" | "rawurl-get" => (false, true),
        "sdk-post" => (true, false),
        "raw-post" | "rawurl-post" => (false, false),
        other => panic!(
            "--only {other}: not one of sdk-get, raw-get, rawurl-get, sdk-post, raw-post, rawurl-post"
        ),
    };
    let raw = Raw {
        parsed: side.starts_with("rawurl"),
        ..raw.clone()
    };
    timed(use_sdk, get, in_flight, n, sdk, &raw, t).await;
}

/// The baseline: what a careful user writes with reqwest and serde_json alone.
#[derive(Clone)]
struct Raw {
    http: reqwest::Client,
    auth: reqwest::header::HeaderValue,
    waba_url: String,
    users_url: String,
    /// `rawurl-*`: send to these (cloned) instead of parsing the strings above per request.
    parsed: bool,
    waba: reqwest::Url,
    users: reqwest::Url,
    fields: String,
    user: String,
}

impl Raw {
    fn new(t: &Target) -> Self {
        // The settings waba-api's ClientBuilder uses by default.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("waba-api/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("raw client");
        let fields = WhatsAppBusinessAccountField::ALL
            .iter()
            .map(|f| waba_api::FieldSelector::as_str(f))
            .collect::<Vec<_>>()
            .join(",");
        let mut auth =
            reqwest::header::HeaderValue::from_str(&format!("Bearer {}", t.token)).expect("token");
        auth.set_sensitive(true);
        let root = format!("{}/{}/{}", t.base_url, waba_api::GRAPH_API_VERSION, t.waba);
        Raw {
            http,
            auth,
            users_url: format!("{root}/assigned_users"),
            parsed: false,
            waba: reqwest::Url::parse(&root).expect("url"),
            users: reqwest::Url::parse(&format!("{root}/assigned_users")).expect("url"),
            waba_url: root,
            fields,
            user: t.user.to_string(),
        }
    }

    async fn get_waba(&self) -> WhatsAppBusinessAccount {
        let r = if self.parsed {
            self.http.get(self.waba.clone())
        } else {
            self.http.get(&self.waba_url)
        };
        let r = r
            .query(&[("fields", self.fields.as_str())])
            .header(reqwest::header::AUTHORIZATION, self.auth.clone())
            .send()
            .await
            .expect("raw GET");
        assert!(r.status().is_success(), "raw GET: {}", r.status());
        let body = r.bytes().await.expect("raw GET body");
        serde_json::from_slice(&body).expect("raw GET decode")
    }

    async fn add_user(&self) -> SuccessResponse {
        let r = if self.parsed {
            self.http.post(self.users.clone())
        } else {
            self.http.post(&self.users_url)
        };
        let r = r
            .form(&[("tasks", r#"["MANAGE"]"#), ("user", self.user.as_str())])
            .header(reqwest::header::AUTHORIZATION, self.auth.clone())
            .send()
            .await
            .expect("raw POST");
        assert!(r.status().is_success(), "raw POST: {}", r.status());
        let body = r.bytes().await.expect("raw POST body");
        serde_json::from_slice(&body).expect("raw POST decode")
    }
}

/// Keeps the server thread alive; dropping it ends the process's server at exit.
struct ServerThread {
    _thread: std::thread::JoinHandle<()>,
}

/// Starts waba-mock on its own thread; with `!mock`, captures its answers to the two requests and
/// serves those bytes from a minimal HTTP/1.1 server instead.
fn start_server(mock: bool) -> (Target, ServerThread) {
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let m = waba_mock::MockServer::start(waba_mock::MockConfig::default())
                .await
                .expect("waba-mock starts");
            let s = m.seed();
            let target = Target {
                base_url: s.base_url.clone(),
                token: s.access_token.clone(),
                waba: s.waba_ids[0].parse().expect("waba id"),
                user: s.user_ids[0].parse().expect("user id"),
            };
            if mock {
                tx.send(target.clone()).expect("main thread waits");
                std::future::pending::<()>().await;
            }
            let raw = Raw::new(&target);
            let get = capture(
                raw.http
                    .get(&raw.waba_url)
                    .query(&[("fields", raw.fields.as_str())]),
                &raw,
            )
            .await;
            let post = capture(
                raw.http
                    .post(&raw.users_url)
                    .form(&[("tasks", r#"["MANAGE"]"#), ("user", raw.user.as_str())]),
                &raw,
            )
            .await;
            m.shutdown().await;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("addr");
            tx.send(Target {
                base_url: format!("http://{addr}"),
                ..target
            })
            .expect("main thread waits");
            let replies = Arc::new((get, post));
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(static_conn(sock, replies.clone()));
            }
        });
    });
    let target = rx.recv().expect("server thread starts");
    (target, ServerThread { _thread: thread })
}

/// One full HTTP/1.1 response (head and body) as waba-mock sent it, with its own content-length.
async fn capture(req: reqwest::RequestBuilder, raw: &Raw) -> Vec<u8> {
    let r = req
        .header(reqwest::header::AUTHORIZATION, raw.auth.clone())
        .send()
        .await
        .expect("capture");
    assert!(r.status().is_success(), "capture: {}", r.status());
    let mut head = format!("HTTP/1.1 {}\r\n", r.status());
    for (name, value) in r.headers() {
        if matches!(
            name.as_str(),
            "content-length" | "transfer-encoding" | "connection" | "date"
        ) {
            continue;
        }
        head.push_str(&format!(
            "{}: {}\r\n",
            name,
            value.to_str().expect("ascii header")
        ));
    }
    let body = r.bytes().await.expect("capture body");
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&body);
    bytes
}

/// Serves one keep-alive connection: GETs get the WABA, everything else the POST reply.
async fn static_conn(mut sock: tokio::net::TcpStream, replies: Arc<(Vec<u8>, Vec<u8>)>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let _ = sock.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    loop {
        // Wait for a whole head, then for the body its content-length announces.
        let head_end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = std::str::from_utf8(&buf[..head_end]).unwrap_or("");
        let is_get = head.starts_with("GET ");
        let body_len: usize = head
            .split("\r\n")
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0);
        while buf.len() < head_end + body_len {
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..head_end + body_len);
        let reply = if is_get { &replies.0 } else { &replies.1 };
        if sock.write_all(reply).await.is_err() {
            return;
        }
    }
}
