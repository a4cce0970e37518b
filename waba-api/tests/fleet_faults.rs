//! Faults at fleet scale: the fleet helper over many WABAs while waba-mock enforces Graph's
//! limit (on a fast clock) and injects the soak's faults (throttles, 5xx, transient errors, HTML
//! 502s, truncated bodies, connections dropped before and after applying), once with single
//! requests and once with batch requests.
//!
//! Asserts: every WABA yields exactly one result; every read and idempotent write ends in
//! success (the retry policy covers the faults, the pacer waits out throttles); no create is
//! duplicated: each WABA holds at most one created phone number, the one its create reported,
//! none when the create failed without `may_have_been_applied`; a create reached the mock once,
//! plus once more for each time the mock refused it with a throttle (refused before applying).
//!
//! Size: `WABA_FLEET_WABAS` (default 60, as in CI); the full run is
//! `WABA_FLEET_WABAS=1000 cargo test --release -p waba-api --test fleet_faults -- --nocapture`.

use std::collections::HashSet;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use waba_api::batch::Batching;
use waba_api::fleet::Fleet;
use waba_api::ids::{BusinessId, UserId, WabaId};
use waba_api::models::Task;
use waba_api::{Client, Error, Pacer, PacerConfig, Paginated, RetryPolicy};
use waba_mock::{FaultKind, LatencyRange, MockConfig, MockServer, RandomFaults, RateLimit, Seed};

mod support;
use support::{mock_client, soak_fault_rates};

const USERS: u64 = 6;

/// What one WABA's job ended in.
#[derive(Debug)]
struct JobResult {
    /// The reads and idempotent writes: `Err` with the first failure.
    idempotent: Result<(), String>,
    /// The phone number sent, and the create's outcome: the new ID, or whether the failed
    /// create may have been applied.
    create: (String, Result<String, bool>),
}

async fn job(
    client: Client,
    waba: WabaId,
    business: &BusinessId,
    user: &UserId,
    n: usize,
) -> JobResult {
    let waba = client.waba(&waba);
    let idempotent = async {
        waba.get().send().await?;
        let users: Vec<_> = waba
            .assigned_users()
            .list(business)
            .limit(2)
            .stream()
            .try_collect()
            .await?;
        assert_eq!(users.len() as u64, USERS, "every user, once");
        waba.assigned_users()
            .add(user, [Task::Manage])
            .send()
            .await?;
        waba.assigned_users().remove(user).send().await?;
        Ok::<(), Error>(())
    }
    .await
    .map_err(|e| e.to_string());
    let number = format!("5550{n:06}");
    let create = waba
        .phone_numbers()
        .create("1", number.clone(), "Example Co")
        .send()
        .await
        .map(|r| r.into_inner().id.as_str().to_string())
        .map_err(|e| e.may_have_been_applied());
    JobResult {
        idempotent,
        create: (number, create),
    }
}

async fn fleet_under_faults(batching: bool) {
    let wabas: u64 = std::env::var("WABA_FLEET_WABAS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(60);
    let mock = MockServer::start(MockConfig {
        seed: Seed::fleet(wabas, USERS),
        require_appsecret_proof: true,
        // An hour of Graph time per second; 20 calls per WABA per hour.
        rate_limit: Some(RateLimit {
            calls: 20,
            time_scale: 3600.0,
            ..RateLimit::default()
        }),
        random_faults: Some(RandomFaults {
            seed: 0xf1ee7,
            rates: soak_fault_rates(),
            latency: Some(LatencyRange {
                min_ms: 0,
                max_ms: 2,
            }),
        }),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let s = mock.seed().clone();
    let client = mock_client(
        &mock,
        RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(100),
        },
    );
    let business: BusinessId = s.business_id.parse().unwrap();
    // A business user none of the WABAs has (each has the first 6).
    let user: UserId = s.user_ids[40].parse().unwrap();
    let (business, user) = (&business, &user);
    let index: std::collections::HashMap<String, usize> = s
        .waba_ids
        .iter()
        .enumerate()
        .map(|(i, w)| (w.clone(), i))
        .collect();
    let mut fleet = Fleet::new(&client)
        .pacer(Pacer::new(PacerConfig {
            window: Duration::from_secs(1),
            ..PacerConfig::default()
        }))
        .concurrency(64);
    if batching {
        fleet = fleet.batching(Batching::default());
    }
    let ids: Vec<WabaId> = s.waba_ids.iter().map(|w| w.parse().unwrap()).collect();
    let results: Vec<(WabaId, JobResult)> = fleet
        .run(ids, |client, waba| {
            let n = index[waba.as_str()];
            job(client, waba, business, user, n)
        })
        .collect()
        .await;

    // Every WABA's result, once.
    assert_eq!(results.len() as u64, wabas);
    let seen: HashSet<&str> = results.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(seen.len() as u64, wabas);
    let stats = mock.stats();
    let mut acknowledged = 0;
    let mut unknown = 0;
    for (waba, r) in &results {
        assert_eq!(r.idempotent, Ok(()), "{waba}");
        let created = mock.created(waba.as_str(), "phone_numbers");
        assert!(created.len() <= 1, "{waba}: created twice: {created:?}");
        let (number, outcome) = &r.create;
        match outcome {
            Ok(id) => {
                acknowledged += 1;
                assert_eq!(created.len(), 1, "{waba}");
                assert_eq!(&created[0].id, id);
                assert_eq!(&created[0].params["phone_number"], number);
            }
            Err(false) => assert!(created.is_empty(), "{waba}: reported not applied"),
            Err(true) => unknown += 1,
        }
    }
    let creates_throttled = stats
        .fault_log
        .iter()
        .filter(|f| {
            f.fault == FaultKind::Throttle
                && !f.executed
                && f.operation.as_deref() == Some("CreatePhoneNumber")
        })
        .count() as u64;
    assert!(
        stats.requests_of("CreatePhoneNumber") <= wabas + creates_throttled,
        "a create is sent again only after a throttle refused it"
    );
    let injected: u64 = stats.faults.values().sum();
    assert!(injected > 0, "faults were injected");
    eprintln!(
        "fleet faults (batch {batching}): {wabas} WABAs, {} Graph calls in {} HTTP requests ({} batches), faults {:?}; creates: {acknowledged} acknowledged, {unknown} may have been applied, {} in the store",
        stats.total_requests,
        stats.http_requests,
        stats.batches,
        stats.faults,
        stats.created_of("WhatsAppBusinessPhoneNumber"),
    );
    if batching {
        assert!(stats.batches > 0);
    }
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_under_faults_single_requests() {
    fleet_under_faults(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_under_faults_batched() {
    fleet_under_faults(true).await;
}
