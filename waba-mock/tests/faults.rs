//! Fault injection over HTTP: every fault kind, scripted and seeded random faults, per-WABA
//! throttling, the accounting of what was applied, and the control API.

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use waba_mock::{
    FaultKind, FaultRate, FaultRule, FaultSource, LatencyRange, MockConfig, MockServer,
    RandomFaults, ThrottleConfig,
};

fn create_phone(mock: &MockServer, n: u32) -> reqwest::RequestBuilder {
    client()
        .post(url(
            mock,
            &format!("{}/phone_numbers", mock.seed().waba_ids[0]),
        ))
        .bearer_auth(&mock.seed().access_token)
        .form(&[
            ("cc", "1".to_string()),
            ("phone_number", format!("555010{n}")),
            ("verified_name", "Acme".to_string()),
        ])
}

#[tokio::test]
async fn throttles_each_waba_after_n_calls() {
    let config = MockConfig {
        throttle: Some(ThrottleConfig {
            after_calls: 3,
            regain_after_secs: 1,
        }),
        ..MockConfig::default()
    };
    let mock = MockServer::start(config).await.unwrap();
    let [w1, w2, ..] = &mock.seed().waba_ids.clone()[..] else {
        unreachable!()
    };
    let mut usage = Vec::new();
    for _ in 0..3 {
        let r = get(&mock, w1, &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        usage.push(
            r.header_json("x-business-use-case-usage")[w1.as_str()][0]["call_count"]
                .as_u64()
                .unwrap(),
        );
    }
    assert!(usage.iter().all(|c| *c < 100), "{usage:?}");
    let r = get(&mock, w1, &[]).await;
    assert_error(&r, 80008, "OAuthException", None);
    assert!(
        r.message()
            .starts_with("(#80008) There have been too many calls"),
        "{}",
        r.message()
    );
    assert_eq!(r.body["error"]["is_transient"], true);
    let entry = &r.header_json("x-business-use-case-usage")[w1.as_str()][0];
    assert!(entry["call_count"].as_u64().unwrap() >= 100, "{entry}");
    assert!(
        entry["estimated_time_to_regain_access"].as_u64().unwrap() > 0,
        "{entry}"
    );
    // Writes are throttled too and not applied; another WABA is unaffected.
    let r = call(
        &mock,
        Method::DELETE,
        &format!("{w1}/assigned_users"),
        &[("user", &mock.seed().user_ids[0])],
        &[],
    )
    .await;
    assert_eq!(r.code(), 80008);
    assert_eq!(get(&mock, w2, &[]).await.status, StatusCode::OK);
    let stats = mock.stats();
    assert_eq!(stats.faults_of(FaultKind::Throttle), 2);
    assert!(
        stats
            .fault_log
            .iter()
            .all(|f| f.source == FaultSource::Throttle && !f.executed && !f.state_changed)
    );
    assert_eq!(stats.writes_applied.len(), 0);

    // Access comes back after the regain time, or at once when usage is reset.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(get(&mock, w1, &[]).await.status, StatusCode::OK);
    for _ in 0..3 {
        get(&mock, w1, &[]).await;
    }
    assert_eq!(get(&mock, w1, &[]).await.code(), 80008);
    mock.reset_usage();
    assert_eq!(get(&mock, w1, &[]).await.status, StatusCode::OK);
    mock.faults().set_throttle(None);
    for _ in 0..5 {
        assert_eq!(get(&mock, w1, &[]).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn error_faults_answer_like_graph_or_a_proxy_and_apply_nothing() {
    let mock = start().await;
    let waba = mock.seed().waba_ids[0].clone();
    for kind in [
        FaultKind::ServerError,
        FaultKind::Transient,
        FaultKind::Throttle,
        FaultKind::BadGateway,
    ] {
        mock.faults()
            .fail_next("CreatePhoneNumber", kind, 1)
            .unwrap();
        let r = send(create_phone(&mock, 1)).await;
        match kind {
            FaultKind::ServerError => {
                assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
                assert_error(&r, 2, "OAuthException", None);
                assert_eq!(r.body["error"]["is_transient"], true);
            }
            FaultKind::Transient => {
                assert_eq!(r.status, StatusCode::BAD_REQUEST);
                assert_error(&r, 1, "OAuthException", Some(99));
                assert_eq!(r.body["error"]["is_transient"], true);
            }
            FaultKind::Throttle => {
                assert_error(&r, 80008, "OAuthException", None);
                let entry = &r.header_json("x-business-use-case-usage")[waba.as_str()][0];
                assert!(entry["call_count"].as_u64().unwrap() >= 100);
                assert!(entry["estimated_time_to_regain_access"].as_u64().unwrap() > 0);
            }
            _ => {
                assert_eq!(r.status, StatusCode::BAD_GATEWAY);
                assert!(r.header("content-type").unwrap().starts_with("text/html"));
                assert!(
                    r.body
                        .as_str()
                        .unwrap()
                        .contains("<h1>502 Bad Gateway</h1>")
                );
            }
        }
    }
    // The next request is clean, and only it created a number.
    let r = send(create_phone(&mock, 2)).await;
    assert_eq!(r.status, StatusCode::OK);
    let stats = mock.stats();
    assert_eq!(stats.created_of("WhatsAppBusinessPhoneNumber"), 1);
    assert_eq!(stats.requests_of("CreatePhoneNumber"), 5);
    assert_eq!(stats.fault_log.len(), 4);
    assert!(
        stats
            .fault_log
            .iter()
            .all(|f| !f.executed && !f.state_changed)
    );
    for kind in [
        FaultKind::ServerError,
        FaultKind::Transient,
        FaultKind::Throttle,
        FaultKind::BadGateway,
    ] {
        assert_eq!(stats.faults_of(kind), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn dropped_connections_before_and_after_applying() {
    let mock = start().await;
    mock.faults()
        .fail_next("CreatePhoneNumber", FaultKind::Drop, 1)
        .unwrap();
    mock.faults()
        .add(
            FaultRule::new(FaultKind::DropAfterApply)
                .operation("CreatePhoneNumber")
                .skip(1),
        )
        .unwrap();

    let err = create_phone(&mock, 1).send().await.unwrap_err();
    assert!(!err.is_status() && err.status().is_none(), "{err:?}");
    assert_eq!(
        mock.stats().created_of("WhatsAppBusinessPhoneNumber"),
        0,
        "dropped before applying"
    );
    // The drop-after-apply rule lets one request through first.
    let ok = send(create_phone(&mock, 2)).await;
    assert_eq!(ok.status, StatusCode::OK);
    let err = create_phone(&mock, 3).send().await.unwrap_err();
    assert!(err.status().is_none(), "{err:?}");

    let stats = mock.stats();
    assert_eq!(
        stats.created_of("WhatsAppBusinessPhoneNumber"),
        2,
        "the client saw one id but two numbers exist"
    );
    assert_eq!(
        mock.created(&mock.seed().waba_ids[0], "phone_numbers")
            .len(),
        2
    );
    let log: Vec<(FaultKind, bool, bool)> = stats
        .fault_log
        .iter()
        .map(|f| (f.fault, f.executed, f.state_changed))
        .collect();
    assert_eq!(
        log,
        [
            (FaultKind::Drop, false, false),
            (FaultKind::DropAfterApply, true, true)
        ]
    );
    assert_eq!(
        stats.fault_log[1].operation.as_deref(),
        Some("CreatePhoneNumber")
    );
    // The server keeps serving after dropping connections.
    assert_eq!(send(create_phone(&mock, 4)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn truncated_bodies_break_mid_response_after_applying() {
    let mock = start().await;
    let seed = mock.seed().clone();
    let path = format!("{}/assigned_users", seed.waba_ids[2]);
    mock.faults()
        .fail_next("AddAssignedUser", FaultKind::TruncatedBody, 1)
        .unwrap();
    let resp = client()
        .post(url(&mock, &path))
        .bearer_auth(&seed.access_token)
        .form(&[
            ("user", seed.user_ids[0].as_str()),
            ("tasks", r#"["MANAGE"]"#),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let declared = resp.content_length().unwrap();
    assert_eq!(declared, json!({"success": true}).to_string().len() as u64);
    assert!(resp.bytes().await.is_err(), "the body stops halfway");
    // The write happened.
    let r = get(&mock, &path, &[("business", &seed.business_id)]).await;
    assert_eq!(r.body["data"][0]["id"], seed.user_ids[0].as_str());
    let rec = &mock.stats().fault_log[0];
    assert_eq!(
        (rec.fault, rec.executed, rec.state_changed),
        (FaultKind::TruncatedBody, true, true)
    );
}

#[tokio::test]
async fn latency_delays_then_answers() {
    let mock = start().await;
    let waba = mock.seed().waba_ids[0].clone();
    mock.faults()
        .add(
            FaultRule::new(FaultKind::Latency)
                .object_id(&waba)
                .latency_ms(300),
        )
        .unwrap();
    let started = Instant::now();
    let r = get(&mock, &waba, &[]).await;
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.status, StatusCode::OK);
    let rec = &mock.stats().fault_log[0];
    assert_eq!(
        (rec.fault, rec.executed, rec.object_id.as_deref()),
        (FaultKind::Latency, true, Some(waba.as_str()))
    );
    assert!(
        mock.faults()
            .add(FaultRule::new(FaultKind::Latency))
            .is_err(),
        "latency needs a delay"
    );
    assert!(
        mock.faults()
            .fail_next("NoSuchOperation", FaultKind::Drop, 1)
            .unwrap_err()
            .contains("NoSuchOperation")
    );
}

/// Status codes (0 for a dropped connection) of `n` GETs.
async fn statuses(mock: &MockServer, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        let r = client()
            .get(url(mock, &mock.seed().waba_ids[0]))
            .bearer_auth(&mock.seed().access_token)
            .send()
            .await;
        out.push(match r {
            Ok(r) => {
                let s = r.status().as_u16();
                let _ = r.bytes().await;
                s
            }
            Err(_) => 0,
        });
    }
    out
}

#[tokio::test]
async fn random_faults_are_seeded_and_counted() {
    let random = RandomFaults {
        seed: 42,
        rates: vec![
            FaultRate {
                fault: FaultKind::ServerError,
                rate: 0.25,
                operation: None,
            },
            FaultRate {
                fault: FaultKind::Drop,
                rate: 0.1,
                operation: None,
            },
            FaultRate {
                fault: FaultKind::Latency,
                rate: 0.1,
                operation: None,
            },
            FaultRate {
                fault: FaultKind::Drop,
                rate: 0.5,
                operation: Some("CreatePhoneNumber".into()),
            },
        ],
        latency: Some(LatencyRange {
            min_ms: 1,
            max_ms: 5,
        }),
    };
    let mock = MockServer::start(MockConfig {
        random_faults: Some(random.clone()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let first = statuses(&mock, 60).await;
    mock.faults().set_random(Some(random)).unwrap();
    let second = statuses(&mock, 60).await;
    assert_eq!(first, second, "same seed, same faults");
    let errors = first.iter().filter(|s| **s == 500).count() as u64;
    let drops = first.iter().filter(|s| **s == 0).count() as u64;
    assert!(errors > 0 && drops > 0 && errors + drops < 60, "{first:?}");

    let stats = mock.stats();
    assert_eq!(stats.faults_of(FaultKind::ServerError), 2 * errors);
    assert_eq!(
        stats.faults_of(FaultKind::Drop),
        2 * drops,
        "operation-specific rates do not apply to reads"
    );
    assert!(stats.faults_of(FaultKind::Latency) > 0);
    assert!(
        stats
            .fault_log
            .iter()
            .all(|f| f.source == FaultSource::Random)
    );
    mock.faults().set_random(None).unwrap();
    assert!(statuses(&mock, 10).await.iter().all(|s| *s == 200));
}

#[tokio::test]
async fn control_api_drives_faults_and_state() {
    let mock = start().await;
    let c = client();
    let base = format!("{}/__mock", mock.base_url());
    let seed: Value = c
        .get(format!("{base}/seed"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(seed, serde_json::to_value(mock.seed()).unwrap());

    // Fail the 2nd and 3rd phone number creations with 500, via HTTP.
    let rule =
        json!({"fault": "server_error", "operation": "CreatePhoneNumber", "skip": 1, "times": 2});
    let r: Value = c
        .post(format!("{base}/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = r["id"].as_u64().unwrap();
    let view: Value = c
        .get(format!("{base}/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["rules"][0]["id"], id);
    assert_eq!(view["rules"][0]["rule"]["fault"], "server_error");
    let mut got = Vec::new();
    for n in 0..4 {
        got.push(
            create_phone(&mock, n)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    assert_eq!(got, [200, 500, 500, 200]);
    let view: Value = c
        .get(format!("{base}/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["rules"], json!([]), "spent rules are gone");
    assert_eq!(
        c.delete(format!("{base}/faults/{id}"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    let bad = json!({"fault": "server_error", "operation": "Nope"});
    let r = c
        .post(format!("{base}/faults"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = c
        .put(format!("{base}/faults/random"))
        .json(&json!({"seed": 1, "rates": [{"fault": "drop", "rate": 2.0}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let stats: Value = c
        .get(format!("{base}/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["created"]["WhatsAppBusinessPhoneNumber"], 2);
    assert_eq!(stats["faults"]["server_error"], 2);
    assert_eq!(stats["requests"]["CreatePhoneNumber"], 4);
    let phones: Value = c
        .get(format!(
            "{base}/objects/{}/phone_numbers",
            mock.seed().waba_ids[0]
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(phones.as_array().unwrap().len(), 2);
    assert_eq!(
        c.get(format!("{base}/objects/1/phone_numbers"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    // Throttle, usage reset, proof requirement and stats reset over HTTP.
    let ok = |r: reqwest::Response| assert_eq!(r.status(), StatusCode::NO_CONTENT);
    ok(c.put(format!("{base}/faults/throttle"))
        .json(&json!({"after_calls": 1}))
        .send()
        .await
        .unwrap());
    let waba = mock.seed().waba_ids[1].clone();
    assert_eq!(get(&mock, &waba, &[]).await.status, StatusCode::OK);
    assert_eq!(get(&mock, &waba, &[]).await.code(), 80008);
    ok(c.delete(format!("{base}/usage")).send().await.unwrap());
    assert_eq!(get(&mock, &waba, &[]).await.status, StatusCode::OK);
    ok(c.put(format!("{base}/faults/throttle"))
        .json(&Value::Null)
        .send()
        .await
        .unwrap());
    ok(c.put(format!("{base}/appsecret_proof"))
        .json(&json!({"required": true}))
        .send()
        .await
        .unwrap());
    assert_eq!(get(&mock, &waba, &[]).await.code(), 100);
    ok(c.put(format!("{base}/appsecret_proof"))
        .json(&json!({"required": false}))
        .send()
        .await
        .unwrap());
    ok(c.put(format!("{base}/faults/random"))
        .json(&json!({"seed": 3, "rates": [{"fault": "bad_gateway", "rate": 1.0}]}))
        .send()
        .await
        .unwrap());
    assert_eq!(get(&mock, &waba, &[]).await.status, StatusCode::BAD_GATEWAY);
    ok(c.delete(format!("{base}/faults")).send().await.unwrap());
    assert_eq!(get(&mock, &waba, &[]).await.status, StatusCode::OK);
    ok(c.delete(format!("{base}/stats")).send().await.unwrap());
    let stats: Value = c
        .get(format!("{base}/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["total_requests"], 0);
    mock.shutdown().await;
}
