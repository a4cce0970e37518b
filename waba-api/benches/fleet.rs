//! Fleet scale: W WABAs each needing the same K calls, against waba-mock enforcing L calls per
//! WABA per rolling window on a fast clock, run three ways in the same run: the paced fleet
//! helper, the same with batch requests, and a naive fan-out at the same concurrency.
//!
//! `cargo bench -p waba-api --bench fleet [-- --quick] [-- --wabas W --window-secs S]`
//!
//! The job (read-heavy): read the WABA, list its 56 assigned users 2 a page (28 pages), add a
//! user and remove it: K = 31 calls. The mock allows L = 10 calls per window, so a WABA needs
//! at least `floor((K - 1) / L)` = 3 windows: that is the limit-bound minimum M (every WABA in
//! parallel: the concurrency is W). Efficiency = M / T. The mock runs in a child process of
//! this binary (fresh for each run); the peak RSS is this (client) process's, taken right after
//! the paced run. The last line is the paced run's.

mod common;
use common::peak_kib;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use waba_api::batch::Batching;
use waba_api::fleet::Fleet;
use waba_api::ids::{BusinessId, UserId, WabaId};
use waba_api::models::Task;
use waba_api::{Client, Error, Pacer, PacerConfig, Paginated, RetryPolicy};

const USERS: u64 = 56;
const PAGE: u32 = 2;
/// Calls per WABA: the node, 28 pages, add, remove.
const K: u64 = 1 + USERS / PAGE as u64 + 2;
const LIMIT: u64 = 10;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve-mock") {
        return serve_mock(&args[1..]);
    }
    let quick = args.iter().any(|a| a == "--quick");
    let value = |flag: &str| {
        let i = args.iter().position(|a| a == flag)?;
        args.get(i + 1).map(|v| v.parse::<f64>().expect("a number"))
    };
    let wabas = value("--wabas").map_or(if quick { 200 } else { 1000 }, |w| w as u64);
    let window = value("--window-secs").unwrap_or(if quick { 3.0 } else { 10.0 });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let minimum = ((K - 1) / LIMIT) as f64 * window;
    println!(
        "{wabas} WABAs x {K} calls (node, {} pages of assigned users, add, remove); waba-mock allows {LIMIT} calls per WABA per window of {window} s (an hour of Graph time); concurrency {wabas}",
        USERS / PAGE as u64
    );
    println!(
        "| run | Graph calls | HTTP requests | time s | minimum s | efficiency | throttled | WABAs failed |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut last = String::new();
    for mode in [Mode::Paced, Mode::Batched, Mode::Naive] {
        let r = runtime.block_on(run(mode, wabas, window));
        let rss = peak_kib() as f64 / 1024.0;
        // A run that lost WABAs did not do the work: no efficiency.
        let efficiency = match r.failed {
            0 => format!("{:.1}%", minimum / r.secs * 100.0),
            _ => "-".into(),
        };
        println!(
            "| {} | {} | {} | {:.1} | {:.1} | {efficiency} | {} | {} |",
            mode.name(),
            r.calls,
            r.requests,
            r.secs,
            minimum,
            r.throttled,
            r.failed
        );
        if mode == Mode::Paced {
            last = format!(
                "fleet: {wabas} wabas, {} calls, {} requests, {:.1} s (limit-bound minimum {minimum:.1} s), efficiency {:.1}%, throttled {}, peak RSS {rss:.1} MiB",
                r.calls,
                r.requests,
                r.secs,
                minimum / r.secs * 100.0,
                r.throttled
            );
        }
    }
    println!("{last}");
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Paced,
    Batched,
    Naive,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Paced => "paced fleet helper",
            Mode::Batched => "paced + batch",
            Mode::Naive => "naive fan-out",
        }
    }
}

struct Outcome {
    calls: u64,
    requests: u64,
    secs: f64,
    throttled: u64,
    failed: usize,
}

/// The mock child: `--serve-mock WABAS WINDOW_SECS`; prints its seed line, serves until stdin
/// closes.
fn serve_mock(args: &[String]) {
    let wabas: u64 = args[0].parse().expect("wabas");
    let window: f64 = args[1].parse().expect("window");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let mock = waba_mock::MockServer::start(waba_mock::MockConfig {
            seed: waba_mock::Seed::fleet(wabas, USERS),
            rate_limit: Some(waba_mock::RateLimit {
                calls: LIMIT,
                time_scale: waba_mock::DEFAULT_WINDOW_SECS as f64 / window,
                ..waba_mock::RateLimit::default()
            }),
            ..waba_mock::MockConfig::default()
        })
        .await
        .expect("mock starts");
        let line = serde_json::to_string(mock.seed()).expect("seed line");
        println!("{line}");
        std::io::stdout().flush().expect("flush");
        tokio::task::spawn_blocking(|| {
            let mut s = String::new();
            let _ = std::io::stdin().read_line(&mut s);
        })
        .await
        .expect("stdin");
        mock.shutdown().await;
    });
}

struct MockChild {
    child: Child,
    seed: serde_json::Value,
}

impl MockChild {
    fn start(wabas: u64, window: f64) -> MockChild {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .args(["--serve-mock", &wabas.to_string(), &window.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the mock child");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("seed line");
        MockChild {
            child,
            seed: serde_json::from_str(&line).expect("seed JSON"),
        }
    }

    fn field(&self, key: &str) -> &str {
        self.seed[key].as_str().expect("seed field")
    }

    async fn stats(&self) -> serde_json::Value {
        reqwest::get(format!("{}/__mock/stats", self.field("base_url")))
            .await
            .expect("stats")
            .json()
            .await
            .expect("stats JSON")
    }
}

impl Drop for MockChild {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

async fn run(mode: Mode, wabas: u64, window: f64) -> Outcome {
    let mock = MockChild::start(wabas, window);
    let client = Client::builder(mock.field("access_token"))
        .base_url(mock.field("base_url"))
        .retry_policy(RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(200),
        })
        .build()
        .expect("client");
    let business: BusinessId = mock.field("business_id").parse().expect("id");
    // A business user assigned to no WABA (each has the first 56).
    let user: UserId = mock.seed["user_ids"][59]
        .as_str()
        .expect("60 users")
        .parse()
        .expect("id");
    let ids: Vec<WabaId> = mock.seed["waba_ids"]
        .as_array()
        .expect("wabas")
        .iter()
        .map(|w| w.as_str().expect("id").parse().expect("id"))
        .collect();
    let job = move |client: Client, waba: WabaId| {
        let (business, user) = (business.clone(), user.clone());
        async move { job(&client, &waba, &business, &user).await }
    };
    let pacer = Pacer::new(PacerConfig {
        window: Duration::from_secs_f64(window),
        ..PacerConfig::default()
    });
    let concurrency = wabas as usize;
    let start = Instant::now();
    let results: Vec<(WabaId, Result<(), Error>)> = match mode {
        Mode::Naive => {
            futures::stream::iter(ids)
                .map(|waba| {
                    let fut = job(client.clone(), waba.clone());
                    async move { (waba, fut.await) }
                })
                .buffer_unordered(concurrency)
                .collect()
                .await
        }
        Mode::Paced | Mode::Batched => {
            let mut fleet = Fleet::new(&client).pacer(pacer).concurrency(concurrency);
            if mode == Mode::Batched {
                fleet = fleet.batching(Batching::default());
            }
            fleet.run(ids, job).collect().await
        }
    };
    let secs = start.elapsed().as_secs_f64();
    let stats = mock.stats().await;
    let n = |k: &str| stats[k].as_u64().unwrap_or(0);
    Outcome {
        calls: n("total_requests"),
        requests: n("http_requests"),
        secs,
        throttled: stats["faults"]["throttle"].as_u64().unwrap_or(0),
        failed: results.iter().filter(|(_, r)| r.is_err()).count(),
    }
}

/// The job: the node, every page of assigned users, one user added and removed.
async fn job(
    client: &Client,
    waba: &WabaId,
    business: &BusinessId,
    user: &UserId,
) -> Result<(), Error> {
    let waba = client.waba(waba);
    waba.get().send().await?;
    let pages: Vec<_> = waba
        .assigned_users()
        .list(business)
        .limit(PAGE)
        .pages()
        .try_collect()
        .await?;
    assert_eq!(pages.len() as u64, USERS / PAGE as u64);
    waba.assigned_users()
        .add(user, [Task::Manage])
        .send()
        .await?;
    waba.assigned_users().remove(user).send().await?;
    Ok(())
}
