//! Fault soak: many calls of every operation of `waba_api::ops::OPERATIONS` (requests built
//! from the spec's data, listings also read to their end) against waba-mock while it injects ~10% faults
//! (throttling with usage headers, 5xx and transient Graph errors, HTML 502s, truncated bodies,
//! dropped connections before and after applying a write) and latency on every request.
//!
//! Asserts: every call ends in a value or a typed error (none hangs, none panics); idempotent
//! calls succeed within the retry budget unless Graph asked for a wait longer than the policy
//! allows, or an earlier attempt of a node delete (each call deletes an object of its own)
//! already deleted its object, so that the retry is answered 100/33 as Graph answers it; a
//! create reaches the server exactly once per call, so the mock's own count shows no duplicated
//! creation, and every create the client was told failed without `may_have_been_applied`
//! really was not applied.
//!
//! Size: `WABA_SOAK_CALLS` (default 1,000, as in CI); the full run is
//! `WABA_SOAK_CALLS=10000 cargo test --release -p waba-api --test soak -- --nocapture`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use waba_api::{Client, Error, OperationSpec, PageStream, RetryPolicy, ops};
use waba_mock::{FaultKind, FaultRule, LatencyRange, MockConfig, MockServer, RandomFaults};

mod support;
use support::{deletes_node, edge_of, example_request, example_request_on, soak_fault_rates};

/// One kind of call: an operation of the spec, once more as a stream for a listing.
#[derive(Debug, Clone, Copy)]
struct Call {
    spec: &'static OperationSpec,
    stream: bool,
}

impl Call {
    fn all() -> Vec<Call> {
        let mut calls = Vec::new();
        for spec in ops::OPERATIONS {
            calls.push(Call {
                spec,
                stream: false,
            });
            if spec.paginated {
                calls.push(Call { spec, stream: true });
            }
        }
        calls
    }

    fn label(&self) -> String {
        format!(
            "{}{}",
            self.spec.name,
            if self.stream { "(stream)" } else { "" }
        )
    }

    /// A create: it must reach the server at most once per call.
    fn creates(&self) -> bool {
        self.spec.is_unrepeatable_write()
    }
}

/// The parameter a create is told apart by: its first required text parameter (else its first
/// text parameter), set to a value unique to the call.
fn marker(spec: &OperationSpec) -> Option<&'static str> {
    let text = || spec.params.iter().filter(|p| p.ty == "string");
    text()
        .find(|p| p.required)
        .or_else(|| text().next())
        .map(|p| p.name)
}

/// Longest a call may take (all its attempts and pages) before it counts as hung.
const HANG: Duration = Duration::from_secs(60);

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 8,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(100),
    }
}

/// What one call ended in.
#[derive(Debug)]
struct Outcome {
    op: usize,
    /// `Ok` or the error kind (`graph 80008`, `http 502`, `transport`, …).
    result: Result<(), String>,
    /// For an error: it carries Graph's wait hint beyond the policy's `max_delay`.
    long_wait: bool,
    may_have_been_applied: bool,
    /// A node delete that an earlier attempt applied (its answer lost, the connection dropped
    /// or the body cut): the retry found its object gone, as Graph answers then.
    deleted_by_earlier_attempt: bool,
    attempts: u32,
    /// For a create: the marker value sent and the id returned.
    created: Option<(String, Option<String>)>,
}

fn kind(e: &Error) -> String {
    match e {
        Error::Graph(g) => format!("graph {}", g.code.as_i64()),
        Error::Http { meta, .. } => format!("http {}", meta.status()),
        Error::Transport { kind, .. } => format!("transport {kind:?}"),
        Error::Decode { truncated, .. } => format!("decode truncated={truncated}"),
        Error::TooLarge { .. } => "too large".into(),
        Error::Pagination { .. } => "pagination".into(),
        Error::InvalidRequest { .. } => "invalid request".into(),
        _ => "other".into(),
    }
}

fn attempts_of(e: &Error) -> u32 {
    match e {
        Error::Graph(g) => g.attempts,
        Error::Transport { attempts, .. } => *attempts,
        other => other.meta().map_or(1, |m| m.attempts()),
    }
}

/// What calls need: the client, the mock, the object each call is made on and the expected
/// length of each listing read to its end.
struct Ctx {
    client: Client,
    mock: Arc<MockServer>,
    calls: Vec<Call>,
    /// By call: reads go to the first object of the node type, writes to the second (so that
    /// listings read to their end keep their length), both chosen before the soak starts.
    on: Vec<waba_api::GraphId>,
    /// By node type: the objects node deletes remove, one per call (call `i` is the
    /// `i / calls.len()`th of its kind).
    delete_targets: HashMap<&'static str, Vec<String>>,
    listed: HashMap<&'static str, usize>,
}

impl Ctx {
    /// The object call `i` is made on.
    fn object(&self, i: usize) -> waba_api::GraphId {
        let spec = self.calls[i % self.calls.len()].spec;
        if deletes_node(spec) {
            let targets = &self.delete_targets[spec.node];
            targets[i / self.calls.len()].parse().unwrap()
        } else {
            self.on[i % self.calls.len()].clone()
        }
    }
}

/// A request of `call` (call number `i`) on `id`.
fn request(call: Call, id: &waba_api::GraphId, i: usize) -> waba_api::Request {
    let mut request = example_request_on(call.spec, id, None);
    if call.creates()
        && let Some(m) = marker(call.spec)
    {
        request.text(m, format!("soak{i}"));
    }
    if call.stream {
        request.text("limit", "25");
    }
    request
}

async fn call(ctx: Arc<Ctx>, i: usize) -> Outcome {
    let op = i % ctx.calls.len();
    let c = ctx.calls[op];
    let id = ctx.object(i);
    let request = request(c, &id, i);
    let mut created = None;
    let r: Result<u32, Error> = if c.stream {
        PageStream::<serde_json::Value>::new(ctx.client.clone(), request)
            .try_collect::<Vec<_>>()
            .await
            .map(|items| {
                assert_eq!(
                    items.len(),
                    ctx.listed[c.spec.name],
                    "every item, once: {}",
                    c.label()
                );
                1
            })
    } else {
        let sent = marker(c.spec)
            .and_then(|m| request.get(m))
            .map(str::to_string);
        let r = ctx.client.send::<serde_json::Value>(request).await;
        if c.creates()
            && let Some(sent) = sent
        {
            let id = r
                .as_ref()
                .ok()
                .and_then(|r| r["id"].as_str().map(str::to_string));
            created = Some((sent, id));
        }
        r.map(|r| r.meta().attempts())
    };
    match r {
        Ok(attempts) => Outcome {
            op,
            result: Ok(()),
            long_wait: false,
            may_have_been_applied: false,
            deleted_by_earlier_attempt: false,
            attempts,
            created,
        },
        Err(e) => {
            // Every error renders (no panic in Display/Debug).
            let _ = format!("{e} {e:?}");
            let long_wait = e
                .usage()
                .and_then(|u| u.regain_access_after())
                .is_some_and(|d| d > policy().max_delay);
            let deleted_by_earlier_attempt = deletes_node(c.spec)
                && attempts_of(&e) > 1
                && matches!(&e, Error::Graph(g)
                    if g.code.as_i64() == 100 && g.subcode.map(|s| s.as_i64()) == Some(33))
                && !ctx.mock.objects_of(c.spec.node).contains(&id.to_string());
            Outcome {
                op,
                result: Err(kind(&e)),
                long_wait,
                may_have_been_applied: e.may_have_been_applied(),
                deleted_by_earlier_attempt,
                attempts: attempts_of(&e),
                created,
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_soak() {
    let calls: usize = std::env::var("WABA_SOAK_CALLS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000);
    let concurrency: usize = std::env::var("WABA_SOAK_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    // Node deletes get objects of their own, one per call.
    let per_kind = (calls / Call::all().len() + 1) as u64;
    let mock = MockServer::start(MockConfig {
        require_appsecret_proof: true,
        seed: support::with_write_objects(waba_mock::Seed::default(), per_kind),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let seed = mock.seed().clone();
    let client = Client::builder(seed.access_token.clone())
        .app_secret(seed.app_secret.clone())
        .base_url(mock.base_url())
        .retry_policy(policy())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    // Each listing's length, read before any fault is on.
    let mut listed = HashMap::new();
    for spec in ops::OPERATIONS.iter().filter(|s| s.paginated) {
        let items = PageStream::<serde_json::Value>::new(
            client.clone(),
            example_request(&mock, spec, None),
        )
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
        listed.insert(spec.name, items.len());
    }
    mock.faults()
        .set_random(Some(RandomFaults {
            seed: 0x5eed,
            rates: soak_fault_rates(),
            latency: Some(LatencyRange {
                min_ms: 0,
                max_ms: 3,
            }),
        }))
        .unwrap();
    mock.reset_stats();
    let calls_of_kind = Call::all();
    let on = calls_of_kind
        .iter()
        .map(|c| match c.spec.method {
            waba_api::Method::Get => support::object_for(&mock, c.spec),
            _ => {
                let ids = support::kept_objects(&mock, c.spec);
                ids[1.min(ids.len() - 1)].parse().unwrap()
            }
        })
        .collect();
    let delete_targets = ops::OPERATIONS
        .iter()
        .filter(|s| deletes_node(s))
        .map(|s| (s.node, support::delete_targets(&mock, s.node)))
        .collect();
    let mock = Arc::new(mock);
    let ctx = Arc::new(Ctx {
        client,
        mock: mock.clone(),
        calls: calls_of_kind,
        on,
        delete_targets,
        listed,
    });
    let retryable: Vec<&str> = ctx
        .calls
        .iter()
        .filter(|c| !c.creates())
        .map(|c| c.spec.name)
        .collect();

    let started = Instant::now();
    let outcomes: Arc<Mutex<Vec<Outcome>>> = Arc::default();
    let mut hung = 0usize;
    let mut panicked = 0usize;
    let mut scripted_throttles = 0u64;
    let mut tasks = futures::stream::iter(0..calls)
        .map(|i| {
            // Besides the random faults: now and then a throttle that clears at once (regain 0),
            // which the client backs off from and retries.
            if i % 97 == 0 {
                let rule = FaultRule::new(FaultKind::Throttle)
                    .operation(retryable[(i / 97) % retryable.len()])
                    .regain_minutes(0)
                    .times(2);
                mock.faults().add(rule).unwrap();
                scripted_throttles += 2;
            }
            let (ctx, out) = (ctx.clone(), outcomes.clone());
            tokio::spawn(async move {
                match tokio::time::timeout(HANG, call(ctx, i)).await {
                    Ok(o) => {
                        out.lock().unwrap().push(o);
                        true
                    }
                    Err(_) => false,
                }
            })
        })
        .buffer_unordered(concurrency);
    while let Some(joined) = tasks.next().await {
        match joined {
            Ok(true) => {}
            Ok(false) => hung += 1,
            Err(e) if e.is_panic() => panicked += 1,
            Err(e) => panic!("task failed: {e}"),
        }
    }
    drop(tasks);
    let elapsed = started.elapsed();
    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    let stats = mock.stats();

    // Client side, per operation: values and typed errors by kind.
    let mut table: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut retried = 0u64;
    let mut idempotent_failures = Vec::new();
    for o in &outcomes {
        let key = match &o.result {
            Ok(()) => "ok".to_string(),
            Err(k) if o.may_have_been_applied => format!("{k} (may have been applied)"),
            Err(k) if o.deleted_by_earlier_attempt => {
                format!("{k} (deleted by an earlier attempt)")
            }
            Err(k) if o.long_wait => format!("{k} (regain beyond max_delay)"),
            Err(k) => k.clone(),
        };
        *table
            .entry(ctx.calls[o.op].label())
            .or_default()
            .entry(key)
            .or_default() += 1;
        if o.attempts > 1 {
            retried += 1;
        }
        if !ctx.calls[o.op].creates()
            && o.result.is_err()
            && !o.long_wait
            && !o.deleted_by_earlier_attempt
        {
            idempotent_failures.push(o);
        }
    }
    println!(
        "soak: {calls} calls ({} concurrent) in {elapsed:.1?}; {} requests reached the mock",
        concurrency, stats.total_requests
    );
    println!(
        "faults injected: {:?} (+{} scripted regain-0 throttles armed)",
        stats.faults, scripted_throttles
    );
    let fault_total: u64 = stats
        .faults
        .iter()
        .filter(|(k, _)| **k != FaultKind::Latency)
        .map(|(_, n)| n)
        .sum();
    println!(
        "non-latency faults: {fault_total} of {} requests ({:.1}%); calls retried: {retried}",
        stats.total_requests,
        100.0 * fault_total as f64 / stats.total_requests.max(1) as f64
    );
    for (op, kinds) in &table {
        println!("  {op:<36} {kinds:?}");
    }

    assert_eq!(panicked, 0, "calls panicked");
    assert_eq!(hung, 0, "calls hung past {HANG:?}");
    assert_eq!(outcomes.len(), calls, "every call ended");
    assert!(
        idempotent_failures.is_empty(),
        "idempotent calls failed within the retry budget: {idempotent_failures:#?}"
    );
    assert!(
        fault_total * 100 >= stats.total_requests * 5,
        "the soak injected too few faults to mean anything"
    );

    // Creates: each call reached the server exactly once (never re-sent), and the server's
    // store agrees with what the client was told.
    let mut checked_creates = 0;
    let mut answered_only = Vec::new();
    for (op, c) in ctx.calls.iter().enumerate().filter(|(_, c)| c.creates()) {
        let spec = c.spec;
        let creates: Vec<&Outcome> = outcomes.iter().filter(|o| o.op == op).collect();
        let connect_failures = creates
            .iter()
            .filter(|o| o.result.as_ref().is_err_and(|k| k == "transport Connect"))
            .count() as u64;
        assert_eq!(
            stats.requests_of(spec.name),
            creates.len() as u64 - connect_failures,
            "a {} was sent more than once",
            spec.name
        );
        for o in &creates {
            assert_eq!(o.attempts, 1, "a create was retried: {o:?}");
        }
        let (Some(edge), Some(m)) = (edge_of(spec), marker(spec)) else {
            continue;
        };
        let owner = ctx.on[op].to_string();
        let store = mock.created(&owner, edge);
        if store.is_empty() {
            // A write the mock answers without creating an object (an action's `{id}`, a
            // solution's `solution_id`): sent once per call (above), nothing stored to match.
            answered_only.push(spec.name);
            continue;
        }
        let mut by_marker: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in &store {
            by_marker
                .entry(p.params[m].as_str())
                .or_default()
                .push(p.id.as_str());
        }
        let duplicated: Vec<_> = by_marker.iter().filter(|(_, v)| v.len() > 1).collect();
        assert!(duplicated.is_empty(), "created twice: {duplicated:?}");
        let mut unacknowledged = 0u64;
        for o in &creates {
            let (sent, id) = o.created.as_ref().unwrap();
            let stored = by_marker.get(sent.as_str());
            match (&o.result, id) {
                (Ok(()), Some(id)) => assert_eq!(stored, Some(&vec![id.as_str()]), "{o:?}"),
                (Err(_), _) if o.may_have_been_applied => {
                    unacknowledged += u64::from(stored.is_some())
                }
                (Err(_), _) => assert!(stored.is_none(), "applied but reported as not: {o:?}"),
                other => panic!("{other:?}"),
            }
        }
        let ok_creates = creates.iter().filter(|o| o.result.is_ok()).count() as u64;
        assert_eq!(store.len() as u64, ok_creates + unacknowledged);
        assert!(store.len() <= creates.len());
        checked_creates += store.len();
        println!(
            "{}: {} calls, {} requests, {} created ({} acknowledged, {} applied but unacknowledged: the caller was told may_have_been_applied), 0 duplicated",
            spec.name,
            creates.len(),
            stats.requests_of(spec.name),
            store.len(),
            ok_creates,
            unacknowledged
        );
    }
    println!("answered without creating an object: {answered_only:?}");
    let created: u64 = stats.created.values().sum();
    assert_eq!(
        created, checked_creates as u64,
        "every created object was checked"
    );
    assert!(checked_creates > 0, "no create stored an object to check");
    drop(ctx);
    let mock = Arc::into_inner(mock).expect("no call holds the mock any more");
    mock.shutdown().await;
}
