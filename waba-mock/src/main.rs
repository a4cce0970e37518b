//! `waba-mock` binary: prints one JSON line with the seed data, then serves until SIGINT/SIGTERM.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use waba_mock::{
    FaultKind, FaultRate, FaultRule, LatencyRange, MockConfig, MockServer, RandomFaults, Seed,
    ThrottleConfig,
};

const USAGE: &str = "\
usage: waba-mock [options]

  --addr ADDR                  listen address (default 127.0.0.1:0)
  --spec DIR                   spec folder (default: the workspace's spec/)
  --seed FILE                  YAML/JSON seed (same shape as the start-up line)
  --users N                    assigned users on the first WABA (generated beyond the seed's)
  --require-appsecret-proof    reject requests without a valid appsecret_proof
  --throttle-after N           error 80008 after N calls per WABA
  --throttle-regain-secs S     how long a WABA stays throttled (default 60)
  --fault KIND=RATE            random fault probability per request (repeatable)
  --fault-seed N               seed of the random faults (default 0)
  --latency-ms MIN[-MAX]       delay every request by MIN..MAX ms (seeded)
  --fail-next KIND[:K[:OP]]    fault the next K (default 1) requests [of operation OP] (repeatable);
                               a latency rule is written latency=MS

fault kinds: throttle, server_error, transient, bad_gateway, truncated_body, drop,
drop_after_apply, latency (random latency comes from --latency-ms)

The first line on stdout is {base_url, access_token, app_secret, business_id, waba_ids,
user_ids}; logs go to stderr (RUST_LOG, default warn). Control API under /__mock/.";

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Some(c)) => c,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("waba-mock: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("waba-mock: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: MockConfig) -> ExitCode {
    let mock = match MockServer::start(config).await {
        Ok(m) => m,
        Err(e) => {
            eprintln!("waba-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    let line = serde_json::to_string(mock.seed()).expect("seed info serializes");
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").and_then(|_| out.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    drop(out);
    tracing::info!(base_url = mock.base_url(), "waba-mock listening");
    if let Err(e) = wait_for_signal().await {
        eprintln!("waba-mock: cannot wait for signals: {e}");
        return ExitCode::FAILURE;
    }
    mock.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(unix)]
async fn wait_for_signal() -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_signal() -> std::io::Result<()> {
    tokio::signal::ctrl_c().await
}

/// `Ok(None)` for `--help`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<MockConfig>, String> {
    let mut config = MockConfig::default();
    let mut seed_file: Option<PathBuf> = None;
    let mut users: Option<u64> = None;
    let mut throttle_after: Option<u64> = None;
    let mut regain = waba_mock::DEFAULT_REGAIN_SECS;
    let mut random = RandomFaults {
        seed: 0,
        rates: Vec::new(),
        latency: None,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--addr" => config.addr = value()?.parse().map_err(|e| format!("--addr: {e}"))?,
            "--spec" => config.spec_dir = PathBuf::from(value()?),
            "--seed" => seed_file = Some(PathBuf::from(value()?)),
            "--users" => users = Some(number(&flag, &value()?)?),
            "--require-appsecret-proof" => config.require_appsecret_proof = true,
            "--throttle-after" => throttle_after = Some(number(&flag, &value()?)?),
            "--throttle-regain-secs" => regain = number(&flag, &value()?)?,
            "--fault-seed" => random.seed = number(&flag, &value()?)?,
            "--fault" => {
                let v = value()?;
                let (kind, rate) = v.split_once('=').ok_or("--fault takes KIND=RATE")?;
                let rate: f64 = rate.parse().map_err(|e| format!("--fault {v}: {e}"))?;
                random.rates.push(FaultRate {
                    fault: kind_of(kind)?,
                    rate,
                    operation: None,
                });
            }
            "--latency-ms" => {
                let v = value()?;
                let (min, max) = v.split_once('-').unwrap_or((&v, &v));
                random.latency = Some(LatencyRange {
                    min_ms: number(&flag, min)?,
                    max_ms: number(&flag, max)?,
                });
            }
            "--fail-next" => {
                let v = value()?;
                let mut parts = v.splitn(3, ':');
                let kind = parts.next().unwrap_or_default();
                // `latency=MS` carries the delay of a latency rule.
                let (kind, ms) = match kind.split_once('=') {
                    Some((k, ms)) => (k, number(&flag, ms)?),
                    None => (kind, 0),
                };
                let mut rule = FaultRule::new(kind_of(kind)?).latency_ms(ms);
                if let Some(k) = parts.next() {
                    rule = rule.times(number(&flag, k)?);
                }
                if let Some(op) = parts.next() {
                    rule = rule.operation(op);
                }
                config.rules.push(rule);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if let Some(path) = seed_file {
        config.seed = Seed::load(&path)?;
    }
    if let Some(n) = users {
        config = config.users(n);
    }
    config.throttle = throttle_after.map(|after_calls| ThrottleConfig {
        after_calls,
        regain_after_secs: regain,
    });
    if !random.rates.is_empty() || random.latency.is_some() {
        random.validate()?;
        config.random_faults = Some(random);
    }
    Ok(Some(config))
}

fn number(flag: &str, v: &str) -> Result<u64, String> {
    v.parse().map_err(|e| format!("{flag} {v}: {e}"))
}

fn kind_of(name: &str) -> Result<FaultKind, String> {
    FaultKind::parse(name).ok_or_else(|| format!("unknown fault kind `{name}`"))
}
