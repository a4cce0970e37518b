//! `.stream()` over many assigned users: items per second and the client's peak memory.
//!
//! `cargo bench -p waba-api --bench stream [-- --sizes 1000,100000,1000000 --runs 3]`. For each
//! size and run this binary starts two children of itself: a waba-mock serving N generated users
//! (`--serve-mock N`), and a client (`--client …`) that streams every user in pages of 100 and
//! reports its own peak RSS (`getrusage(RUSAGE_SELF).ru_maxrss`). Each size gets fresh processes,
//! so sizes cannot contaminate each other and the mock's memory is never in the client's figure.

mod common;
use common::{peak_kib, stats};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use futures::TryStreamExt;
use waba_api::ids::{BusinessId, WabaId};
use waba_api::{Client, Paginated};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--serve-mock") => serve_mock(args[1].parse().expect("--serve-mock N")),
        Some("--client") => client(&args[1..]),
        _ => parent(&args),
    }
}

fn value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1).map(String::as_str)
}

fn parent(args: &[String]) {
    let sizes: Vec<u64> = value(args, "--sizes")
        .unwrap_or("1000,100000,1000000")
        .split(',')
        .map(|s| s.parse().expect("--sizes: numbers"))
        .collect();
    let runs: usize = value(args, "--runs").map_or(3, |r| r.parse().expect("--runs N"));
    let me = std::env::current_exe().expect("own path");
    println!(
        "client and waba-mock in separate child processes; pages of 100; {runs} runs per size (fresh processes each)"
    );
    println!(
        "| users | items/s median (min–max) | client peak RSS MiB median (min–max) | RSS before streaming MiB | growth during stream MiB |"
    );
    println!("|---|---|---|---|---|");
    for &n in &sizes {
        let mut rates = Vec::new();
        let mut peaks = Vec::new();
        let mut befores = Vec::new();
        for _ in 0..runs {
            let mut mock = Command::new(&me)
                .args(["--serve-mock", &n.to_string()])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("start the mock child");
            let mut line = String::new();
            BufReader::new(mock.stdout.take().expect("mock stdout"))
                .read_line(&mut line)
                .expect("mock start-up line");
            let seed: serde_json::Value = serde_json::from_str(&line).expect("start-up JSON");
            let s = |k: &str| seed[k].as_str().expect("seed field").to_string();
            let out = Command::new(&me)
                .args([
                    "--client".to_string(),
                    s("base_url"),
                    s("access_token"),
                    seed["waba_ids"][0].as_str().expect("waba").to_string(),
                    s("business_id"),
                ])
                .stderr(Stdio::inherit())
                .output()
                .expect("run the client child");
            // Closing its stdin stops the mock; kill it too in case it did not notice.
            drop(mock.stdin.take());
            let _ = mock.kill();
            let _ = mock.wait();
            assert!(out.status.success(), "client child failed");
            let r: serde_json::Value =
                serde_json::from_slice(&out.stdout).expect("client result JSON");
            let items = r["items"].as_u64().expect("items");
            assert!(items >= n, "streamed {items} of {n} users");
            rates.push(items as f64 / r["secs"].as_f64().expect("secs"));
            peaks.push(r["peak_kib"].as_f64().expect("peak") / 1024.0);
            befores.push(r["before_kib"].as_f64().expect("before") / 1024.0);
        }
        let (rm, rlo, rhi) = stats(&rates);
        let (pm, plo, phi) = stats(&peaks);
        let (bm, _, _) = stats(&befores);
        println!(
            "| {n} | {rm:.0} ({rlo:.0}–{rhi:.0}) | {pm:.1} ({plo:.1}–{phi:.1}) | {bm:.1} | {:.1} |",
            pm - bm
        );
    }
}

/// The child serving the mock: prints the start-up line, serves until stdin closes.
fn serve_mock(users: u64) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mock = waba_mock::MockServer::start(waba_mock::MockConfig::default().users(users))
            .await
            .expect("waba-mock starts");
        let line = serde_json::to_string(mock.seed()).expect("seed JSON");
        let mut out = std::io::stdout();
        writeln!(out, "{line}").expect("stdout");
        out.flush().expect("stdout");
        // Blocks until the parent closes our stdin (or dies).
        tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin().read_line(&mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
        })
        .await
        .expect("stdin watcher");
        mock.shutdown().await;
    });
}

/// The child streaming: prints `{"items", "secs", "peak_kib", "before_kib"}`.
fn client(args: &[String]) {
    let [base_url, token, waba, business] = args else {
        panic!("--client BASE_URL TOKEN WABA BUSINESS");
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let c = Client::builder(token.clone())
        .base_url(base_url.clone())
        .build()
        .expect("client");
    let waba: WabaId = waba.parse().expect("waba id");
    let business: BusinessId = business.parse().expect("business id");
    let before = peak_kib();
    let start = Instant::now();
    let items = rt.block_on(async {
        let mut stream = c
            .waba(&waba)
            .assigned_users()
            .list(&business)
            .limit(100)
            .stream();
        let mut n = 0u64;
        while let Some(user) = stream.try_next().await.expect("stream item") {
            std::hint::black_box(user);
            n += 1;
        }
        n
    });
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_kib();
    println!(
        "{}",
        serde_json::json!({"items": items, "secs": secs, "peak_kib": peak, "before_kib": before})
    );
}
