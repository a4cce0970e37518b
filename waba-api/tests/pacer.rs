//! The pacer against waba-mock enforcing Graph's limit on a fast clock (an hour of Graph time per
//! second). Asserted are counts and invariants, never durations: every call ends in success,
//! the allowance learned never exceeds the real one, and every throttle the mock sent reached
//! the pacer (on a loaded machine a call can arrive later than the pacer planned, so a
//! throttle may happen; it must then be waited out, not lost).

use futures::StreamExt;
use waba_api::{Pacer, PacerConfig, Usage};
use waba_mock::{MockConfig, MockServer, RateLimit, Seed};

const ALLOWANCE: u64 = 6;
const CALLS: usize = 15;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paced_calls_stay_within_each_wabas_allowance() {
    let mock = MockServer::start(MockConfig {
        seed: Seed::fleet(20, 0),
        rate_limit: Some(RateLimit {
            calls: ALLOWANCE,
            time_scale: 3600.0,
            ..RateLimit::default()
        }),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let s = mock.seed().clone();
    let pacer = Pacer::new(PacerConfig {
        window: std::time::Duration::from_secs(1),
        ..PacerConfig::default()
    });
    let http = reqwest::Client::new();
    let ok: Vec<usize> = futures::stream::iter(s.waba_ids.clone())
        .map(|waba| {
            let (pacer, http, s) = (pacer.clone(), http.clone(), s.clone());
            async move {
                let mut ok = 0;
                while ok < CALLS {
                    pacer.acquire(&waba).await;
                    let r = http
                        .get(format!(
                            "{}/{}/{waba}",
                            s.base_url,
                            waba_api::GRAPH_API_VERSION
                        ))
                        .bearer_auth(&s.access_token)
                        .send()
                        .await
                        .unwrap();
                    // Usage (and a throttle's regain time) teach the pacer.
                    pacer.observe(&waba, &Usage::from_headers(r.headers()));
                    if r.status().is_success() {
                        ok += 1;
                    }
                }
                ok
            }
        })
        .buffer_unordered(20)
        .collect()
        .await;
    assert_eq!(ok, vec![CALLS; 20], "every WABA's calls succeeded");
    let stats = mock.stats();
    let throttled = stats.faults_of(waba_mock::FaultKind::Throttle);
    assert_eq!(
        stats.total_requests,
        (20 * CALLS) as u64 + throttled,
        "each throttled call was retried once the WABA had access again"
    );
    assert_eq!(pacer.stats().throttles, throttled);
    assert_eq!(pacer.stats().objects, 20);
    for w in &s.waba_ids {
        let a = pacer.allowance(w).unwrap();
        assert!((1..=ALLOWANCE as u32).contains(&a), "learned {a} for {w}");
    }
}
