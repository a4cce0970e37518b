//! Fault soak: many calls of every operation against waba-mock while it injects ~10% faults
//! (throttling with usage headers, 5xx and transient Graph errors, HTML 502s, truncated bodies,
//! dropped connections before and after applying a write) and latency on every request.
//!
//! Asserts: every call ends in a value or a typed error (none hangs, none panics); idempotent
//! calls succeed within the retry budget unless Graph asked for a wait longer than the policy
//! allows; a phone-number create reaches the server exactly once per call, so the mock's own
//! count shows no duplicated creation, and every create the client was told failed without
//! `may_have_been_applied` really was not applied.
//!
//! Size: `WABA_SOAK_CALLS` (default 1,000, as in CI); the full run is
//! `WABA_SOAK_CALLS=10000 cargo test --release -p waba-api --test soak -- --nocapture`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use waba_api::models::{AssignedUserField, Task, WhatsAppBusinessAccountField as F};
use waba_api::{Client, Error, GraphId, Paginated, RetryPolicy};
use waba_mock::{
    FaultKind, FaultRate, FaultRule, LatencyRange, MockConfig, MockServer, RandomFaults,
};

const OPS: [&str; 7] = [
    "ListClientWhatsAppBusinessAccounts",
    "GetWhatsAppBusinessAccount",
    "ListAssignedUsers",
    "ListAssignedUsers(stream)",
    "AddAssignedUser",
    "RemoveAssignedUser",
    "CreatePhoneNumber",
];
const CREATE: usize = 6;
/// Longest a call may take (all its attempts and pages) before it counts as hung.
const HANG: Duration = Duration::from_secs(60);

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 8,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(100),
    }
}

fn rates() -> Vec<FaultRate> {
    [
        (FaultKind::Throttle, 0.010),
        (FaultKind::ServerError, 0.020),
        (FaultKind::Transient, 0.015),
        (FaultKind::BadGateway, 0.015),
        (FaultKind::TruncatedBody, 0.015),
        (FaultKind::Drop, 0.015),
        (FaultKind::DropAfterApply, 0.010),
    ]
    .into_iter()
    .map(|(fault, rate)| FaultRate {
        fault,
        rate,
        operation: None,
    })
    .collect()
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
    attempts: u32,
    /// For a create: the phone number sent and the id returned.
    phone: Option<(String, Option<String>)>,
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

struct Ids {
    business: GraphId,
    waba: GraphId,
    write_waba: GraphId,
    users: Vec<GraphId>,
}

async fn call(c: Client, ids: Arc<Ids>, i: usize) -> Outcome {
    let op = i % OPS.len();
    let user = ids.users[i % ids.users.len()].clone();
    let mut phone = None;
    let r: Result<u32, Error> = match op {
        0 => c
            .list_client_whats_app_business_accounts(ids.business.clone())
            .fields([F::Id, F::Name, F::OwnershipType])
            .send()
            .await
            .map(|r| r.meta().attempts()),
        1 => c
            .get_whats_app_business_account(ids.waba.clone())
            .fields(F::ALL.iter().copied())
            .send()
            .await
            .map(|r| r.meta().attempts()),
        2 => c
            .list_assigned_users(ids.waba.clone(), ids.business.clone())
            .summary(true)
            .limit(10)
            .send()
            .await
            .map(|r| r.meta().attempts()),
        3 => c
            .list_assigned_users(ids.waba.clone(), ids.business.clone())
            .fields([AssignedUserField::Id, AssignedUserField::Tasks])
            .limit(25)
            .stream()
            .try_collect::<Vec<_>>()
            .await
            .map(|users| {
                assert_eq!(users.len(), 60, "every user of the WABA, once");
                1
            }),
        4 => c
            .add_assigned_user(ids.write_waba.clone(), [Task::Manage, Task::Develop], user)
            .send()
            .await
            .map(|r| r.meta().attempts()),
        5 => c
            .remove_assigned_user(ids.write_waba.clone(), user)
            .send()
            .await
            .map(|r| r.meta().attempts()),
        _ => {
            let number = format!("555{i:07}");
            let r = c
                .create_phone_number(ids.write_waba.clone(), "1", number.clone())
                .verified_name(format!("Soak {i}"))
                .send()
                .await;
            phone = Some((number, r.as_ref().ok().map(|r| r.id.clone())));
            r.map(|r| r.meta().attempts())
        }
    };
    match r {
        Ok(attempts) => Outcome {
            op,
            result: Ok(()),
            long_wait: false,
            may_have_been_applied: false,
            attempts,
            phone,
        },
        Err(e) => {
            // Every error renders (no panic in Display/Debug).
            let _ = format!("{e} {e:?}");
            let long_wait = e
                .usage()
                .and_then(|u| u.regain_access_after())
                .is_some_and(|d| d > policy().max_delay);
            Outcome {
                op,
                result: Err(kind(&e)),
                long_wait,
                may_have_been_applied: e.may_have_been_applied(),
                attempts: attempts_of(&e),
                phone,
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
    let mock = MockServer::start(MockConfig {
        require_appsecret_proof: true,
        random_faults: Some(RandomFaults {
            seed: 0x5eed,
            rates: rates(),
            latency: Some(LatencyRange {
                min_ms: 0,
                max_ms: 3,
            }),
        }),
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
    let ids = Arc::new(Ids {
        business: seed.business_id.parse().unwrap(),
        waba: seed.waba_ids[0].parse().unwrap(),
        write_waba: seed.waba_ids[1].parse().unwrap(),
        users: seed.user_ids.iter().map(|u| u.parse().unwrap()).collect(),
    });

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
                    .operation(OPS[(i / 97) % 6].trim_end_matches("(stream)"))
                    .regain_minutes(0)
                    .times(2);
                mock.faults().add(rule).unwrap();
                scripted_throttles += 2;
            }
            let (c, ids, out) = (client.clone(), ids.clone(), outcomes.clone());
            tokio::spawn(async move {
                match tokio::time::timeout(HANG, call(c, ids, i)).await {
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
    let mut table: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    let mut retried = 0u64;
    let mut idempotent_failures = Vec::new();
    for o in &outcomes {
        let key = match &o.result {
            Ok(()) => "ok".to_string(),
            Err(k) if o.may_have_been_applied => format!("{k} (may have been applied)"),
            Err(k) if o.long_wait => format!("{k} (regain beyond max_delay)"),
            Err(k) => k.clone(),
        };
        *table.entry(OPS[o.op]).or_default().entry(key).or_default() += 1;
        if o.attempts > 1 {
            retried += 1;
        }
        if o.op != CREATE && o.result.is_err() && !o.long_wait {
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
    let creates: Vec<&Outcome> = outcomes.iter().filter(|o| o.op == CREATE).collect();
    let connect_failures = creates
        .iter()
        .filter(|o| o.result.as_ref().is_err_and(|k| k == "transport Connect"))
        .count() as u64;
    assert_eq!(
        stats.requests_of("CreatePhoneNumber"),
        creates.len() as u64 - connect_failures,
        "a phone-number create was sent more than once"
    );
    for o in &creates {
        assert_eq!(o.attempts, 1, "a create was retried: {o:?}");
    }
    let store = mock.phone_numbers(&seed.waba_ids[1]);
    let mut by_number: HashMap<&str, Vec<&str>> = HashMap::new();
    for p in &store {
        by_number
            .entry(p.params["phone_number"].as_str())
            .or_default()
            .push(p.id.as_str());
    }
    let duplicated: Vec<_> = by_number.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(duplicated.is_empty(), "created twice: {duplicated:?}");
    let mut unacknowledged = 0u64;
    for o in &creates {
        let (number, id) = o.phone.as_ref().unwrap();
        let stored = by_number.get(number.as_str());
        match (&o.result, id) {
            (Ok(()), Some(id)) => assert_eq!(stored, Some(&vec![id.as_str()]), "{o:?}"),
            (Err(_), _) if o.may_have_been_applied => unacknowledged += u64::from(stored.is_some()),
            (Err(_), _) => assert!(stored.is_none(), "applied but reported as not: {o:?}"),
            other => panic!("{other:?}"),
        }
    }
    let ok_creates = creates.iter().filter(|o| o.result.is_ok()).count() as u64;
    assert_eq!(stats.phone_numbers_created(), store.len() as u64);
    assert_eq!(stats.phone_numbers_created(), ok_creates + unacknowledged);
    assert!(stats.phone_numbers_created() <= creates.len() as u64);
    println!(
        "creates: {} calls, {} requests, {} created ({} acknowledged, {} applied but unacknowledged: the caller was told may_have_been_applied), 0 duplicated",
        creates.len(),
        stats.requests_of("CreatePhoneNumber"),
        stats.phone_numbers_created(),
        ok_creates,
        unacknowledged
    );
    mock.shutdown().await;
}
