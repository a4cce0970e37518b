//! `waba-mock` binary: prints one JSON line with the seed data, then serves until SIGINT/SIGTERM.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use waba_mock::{
    FaultKind, FaultRate, FaultRule, LatencyRange, MockConfig, MockServer, RandomFaults, RateLimit,
    Seed, ThrottleConfig,
};

const USAGE: &str = "\
usage: waba-mock [options]

  --addr ADDR                  listen address (default 127.0.0.1:0)
  --spec DIR                   spec folder (default: the spec compiled into this binary)
  --seed FILE                  YAML/JSON seed (same shape as the start-up line)
  --users N                    assigned users on the first WABA (generated beyond the seed's)
  --require-appsecret-proof    reject requests without a valid appsecret_proof
  --rate-limit N               enforce Graph's Business Use Case limit: N calls per WABA per
                               window (Graph: 200 an hour; 5,000 for a WABA with a registered
                               number), error 80008 past it
  --object-limit ID=N          allowance of one WABA (repeatable; implies --rate-limit 200)
  --window-secs S              the rolling window in Graph seconds (default 3600)
  --time-scale X               Graph seconds per real second (3600: an hour per second)
  --app-limit N                the app's allowance per window, reported in X-App-Usage
  --throttle-after N           shorthand: a rate limit of N calls per window of
  --throttle-regain-secs S     S seconds (default 60), in real time
  --fault KIND=RATE            random fault probability per request (repeatable)
  --fault-seed N               seed of the random faults (default 0)
  --latency-ms MIN[-MAX]       delay every request by MIN..MAX ms (seeded)
  --fail-next KIND[:K[:OP]]    fault the next K (default 1) requests [of operation OP] (repeatable);
                               a latency rule is written latency=MS, a throttle may set its
                               estimated_time_to_regain_access as throttle=MINUTES (default 5)

fault kinds: throttle, server_error, transient, bad_gateway, truncated_body, drop,
drop_after_apply, latency (random latency comes from --latency-ms)

The first line on stdout is {base_url, access_token, app_secret, business_id, waba_ids,
user_ids}; logs go to stderr (RUST_LOG, default warn). SIGINT or SIGTERM stops the server.
";

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
            println!("{USAGE}\n{}", waba_mock::control::HELP);
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
    // Installed before the start-up line is printed: a signal sent as soon as the line is read
    // must reach these handlers, not the default action that kills the process.
    let signals = match Signals::install() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("waba-mock: cannot install signal handlers: {e}");
            return ExitCode::FAILURE;
        }
    };
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
    signals.wait().await;
    mock.shutdown().await;
    ExitCode::SUCCESS
}

/// SIGTERM and SIGINT, caught from the moment they are installed.
#[cfg(unix)]
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn install() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
        }
    }
}

/// Ctrl-C (the only stop signal elsewhere).
#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn install() -> std::io::Result<Signals> {
        Ok(Signals)
    }

    async fn wait(self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `Ok(None)` for `--help`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<MockConfig>, String> {
    let mut config = MockConfig::default();
    let mut seed_file: Option<PathBuf> = None;
    let mut users: Option<u64> = None;
    let mut throttle_after: Option<u64> = None;
    let mut regain = waba_mock::DEFAULT_REGAIN_SECS;
    let mut limit: Option<RateLimit> = None;
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
            "--spec" => config.spec_dir = Some(PathBuf::from(value()?)),
            "--seed" => seed_file = Some(PathBuf::from(value()?)),
            "--users" => users = Some(number(&flag, &value()?)?),
            "--require-appsecret-proof" => config.require_appsecret_proof = true,
            "--throttle-after" => throttle_after = Some(number(&flag, &value()?)?),
            "--throttle-regain-secs" => regain = number(&flag, &value()?)?,
            "--rate-limit" => {
                limit.get_or_insert_with(RateLimit::default).calls = number(&flag, &value()?)?
            }
            "--window-secs" => {
                limit.get_or_insert_with(RateLimit::default).window_secs = number(&flag, &value()?)?
            }
            "--app-limit" => {
                limit.get_or_insert_with(RateLimit::default).app_calls = number(&flag, &value()?)?
            }
            "--time-scale" => {
                let v = value()?;
                limit.get_or_insert_with(RateLimit::default).time_scale =
                    v.parse().map_err(|e| format!("--time-scale {v}: {e}"))?;
            }
            "--object-limit" => {
                let v = value()?;
                let (id, n) = v.split_once('=').ok_or("--object-limit takes ID=N")?;
                limit
                    .get_or_insert_with(RateLimit::default)
                    .objects
                    .insert(id.to_string(), number(&flag, n)?);
            }
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
                // `latency=MS` carries the delay of a latency rule, `throttle=MINUTES` the
                // regain time of a throttle.
                let (kind, arg) = match kind.split_once('=') {
                    Some((k, n)) => (kind_of(k)?, Some(number(&flag, n)?)),
                    None => (kind_of(kind)?, None),
                };
                let mut rule = FaultRule::new(kind);
                match (kind, arg) {
                    (_, None) => {}
                    (FaultKind::Latency, Some(ms)) => rule = rule.latency_ms(ms),
                    (FaultKind::Throttle, Some(minutes)) => rule = rule.regain_minutes(minutes),
                    (other, Some(_)) => {
                        return Err(format!(
                            "--fail-next {v}: only latency=MS and throttle=MINUTES take a value, not {other:?}"
                        ));
                    }
                }
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
    if let Some(l) = &limit {
        l.validate().map_err(|e| format!("rate limit: {e}"))?;
    }
    config.rate_limit = limit;
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
