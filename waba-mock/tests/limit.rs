//! The Business Use Case rate limit (rolling window, time scale, usage headers, 80008 with a
//! truthful regain time) and the batch endpoint, over HTTP. The rate limit's clock is stopped
//! (`time_scale: 0`) and moved by hand, so nothing here depends on how fast the machine is.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use waba_mock::{FaultKind, MockConfig, MockServer, RateLimit};

fn frozen(calls: u64) -> RateLimit {
    RateLimit {
        calls,
        time_scale: 0.0,
        app_calls: 10,
        ..RateLimit::default()
    }
}

fn buc(r: &Resp, waba: &str) -> Value {
    r.header_json("x-business-use-case-usage")[waba][0].clone()
}

#[tokio::test]
async fn allowance_per_rolling_window_with_truthful_regain_and_usage() {
    let mut limit = frozen(3);
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    let [w1, w2, ..] = &mock.seed().waba_ids.clone()[..] else {
        unreachable!()
    };
    limit.objects = BTreeMap::from([(w2.clone(), 5)]);
    mock.faults().set_rate_limit(Some(limit)).unwrap();

    let mut pct = Vec::new();
    for _ in 0..3 {
        let r = get(&mock, w1, &[]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        pct.push(buc(&r, w1)["call_count"].as_u64().unwrap());
    }
    assert_eq!(
        pct,
        [34, 67, 99],
        "percent of the allowance, 100 only when throttled"
    );
    let r = get(&mock, w1, &[]).await;
    assert_eq!(r.code(), 80008, "{}", r.body);
    let e = buc(&r, w1);
    assert_eq!(e["call_count"], 134, "{e}");
    assert_eq!(
        e["estimated_time_to_regain_access"], 60,
        "the first calls leave in an hour"
    );
    // X-App-Usage follows the app's count (app_calls 10): four calls so far.
    assert_eq!(r.header_json("x-app-usage")["call_count"], 40);

    // Calls made while throttled count: had it stopped at minute 20, access would have come
    // back at minute 60; its calls of minutes 20 and 40 keep it throttled until minute 80.
    mock.advance_clock(Duration::from_secs(20 * 60));
    for _ in 0..2 {
        let r = get(&mock, w1, &[]).await;
        assert_eq!(buc(&r, w1)["estimated_time_to_regain_access"], 40);
    }
    mock.advance_clock(Duration::from_secs(20 * 60));
    let r = get(&mock, w1, &[]).await;
    assert_eq!(
        buc(&r, w1)["estimated_time_to_regain_access"],
        40,
        "minute 40"
    );
    mock.advance_clock(Duration::from_secs(25 * 60));
    let r = get(&mock, w1, &[]).await;
    assert_eq!(r.code(), 80008);
    assert_eq!(
        buc(&r, w1)["estimated_time_to_regain_access"],
        15,
        "minute 65"
    );
    mock.advance_clock(Duration::from_secs(15 * 60));
    assert_eq!(
        get(&mock, w1, &[]).await.status,
        StatusCode::OK,
        "minute 80"
    );

    // Another WABA has its own allowance (5).
    for _ in 0..5 {
        assert_eq!(get(&mock, w2, &[]).await.status, StatusCode::OK);
    }
    assert_eq!(get(&mock, w2, &[]).await.code(), 80008);

    // The control API sets the limit and moves the clock.
    let c = client();
    let base = format!("{}/__mock", mock.base_url());
    let r = c
        .put(format!("{base}/rate_limit"))
        .json(&json!({"calls": 1, "time_scale": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let w3 = &mock.seed().waba_ids[2];
    assert_eq!(get(&mock, w3, &[]).await.status, StatusCode::OK);
    assert_eq!(get(&mock, w3, &[]).await.code(), 80008);
    let r = c
        .post(format!("{base}/clock"))
        .json(&json!({"advance_secs": 3600}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(get(&mock, w3, &[]).await.status, StatusCode::OK);
    let bad = c
        .put(format!("{base}/rate_limit"))
        .json(&json!({"calls": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let view: Value = c
        .get(format!("{base}/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["rate_limit"]["calls"], 1, "{view}");
    mock.shutdown().await;
}

/// `POST /{version}/` (or `/`) with `batch=`.
async fn batch(mock: &MockServer, root: &str, items: &Value, extra: &[(&str, &str)]) -> Resp {
    let items = items.to_string();
    let mut form = vec![("batch", items.as_str())];
    form.extend_from_slice(extra);
    send(
        client()
            .post(format!("{}{root}", mock.base_url()))
            .bearer_auth(&mock.seed().access_token)
            .form(&form),
    )
    .await
}

fn item_body(item: &Value) -> Value {
    serde_json::from_str(item["body"].as_str().unwrap()).unwrap()
}

fn item_header<'a>(item: &'a Value, name: &str) -> Option<&'a str> {
    item["headers"]
        .as_array()?
        .iter()
        .find(|h| h["name"] == name)?["value"]
        .as_str()
}

#[tokio::test]
async fn batch_runs_each_item_like_a_request_of_its_own() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    mock.set_require_appsecret_proof(true);
    let s = mock.seed().clone();
    // The second WABA has 3 users assigned: adding and removing the 11th changes state twice.
    let (waba, other, user) = (&s.waba_ids[0], &s.waba_ids[1], &s.user_ids[10]);
    let proof = waba_mock::appsecret_proof(&s.app_secret, &s.access_token);
    let items = json!([
        {"method": "GET", "relative_url": format!("{VERSION}/{waba}?fields=id,name")},
        {"method": "GET", "relative_url": format!("{waba}/assigned_users?business={}&limit=2", s.business_id)},
        {"method": "POST", "relative_url": format!("{other}/assigned_users"), "body": format!("user={user}&tasks=%5B%22MANAGE%22%5D")},
        {"method": "DELETE", "relative_url": format!("{other}/assigned_users"), "body": format!("user={user}")},
        {"method": "GET", "relative_url": "999/nothing"},
    ]);
    let r = batch(
        &mock,
        &format!("/{VERSION}/"),
        &items,
        &[("appsecret_proof", &proof)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let answers = r.body.as_array().unwrap();
    assert_eq!(answers.len(), 5);
    let codes: Vec<u64> = answers
        .iter()
        .map(|a| a["code"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [200, 200, 200, 200, 400]);
    assert_eq!(item_body(&answers[0])["id"], waba.as_str());
    assert_eq!(item_body(&answers[1])["data"].as_array().unwrap().len(), 2);
    assert_eq!(item_body(&answers[2])["success"], true);
    assert_eq!(item_body(&answers[4])["error"]["code"], 2500);
    // Each item carries its own usage, counted per call.
    let usage: Value =
        serde_json::from_str(item_header(&answers[1], "x-business-use-case-usage").unwrap())
            .unwrap();
    assert!(
        usage[waba.as_str()][0]["call_count"].as_u64().is_some(),
        "{usage}"
    );
    let stats = mock.stats();
    assert_eq!(
        (stats.http_requests, stats.batches, stats.total_requests),
        (1, 1, 5)
    );
    assert_eq!(stats.requests_of("AddAssignedUser"), 1);
    assert_eq!(stats.state_changes.values().sum::<u64>(), 2);

    // Without the proof the batch is refused as a whole; unversioned root works too.
    let r = batch(&mock, "/", &items, &[]).await;
    assert_eq!(r.code(), 100, "{}", r.body);
    // More than 50 items, or a malformed item, is error 100 naming the problem.
    let many = Value::Array(vec![json!({"method": "GET", "relative_url": waba}); 51]);
    let r = batch(&mock, "/", &many, &[("appsecret_proof", &proof)]).await;
    assert_eq!(r.code(), 100);
    assert!(r.message().contains("51"), "{}", r.message());
    let r = batch(
        &mock,
        "/",
        &json!([{"method": "GET"}]),
        &[("appsecret_proof", &proof)],
    )
    .await;
    assert!(
        r.message().contains("batch[0].relative_url"),
        "{}",
        r.message()
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn batch_items_count_against_the_limit_and_lost_answers_are_null() {
    let mock = MockServer::start(MockConfig::default()).await.unwrap();
    mock.faults().set_rate_limit(Some(frozen(3))).unwrap();
    let s = mock.seed().clone();
    let waba = &s.waba_ids[0];
    let items = Value::Array(vec![json!({"method": "GET", "relative_url": waba}); 4]);
    let r = batch(&mock, "/", &items, &[]).await;
    let codes: Vec<u64> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_u64().unwrap())
        .collect();
    assert_eq!(
        codes,
        [200, 200, 200, 400],
        "the 4th item is over the allowance"
    );
    assert_eq!(item_body(&r.body[3])["error"]["code"], 80008);
    mock.faults().clear();

    // A create whose answer is lost is applied and answered `null`; a dropped one is not
    // applied; a faulted item fails alone.
    mock.faults()
        .fail_next("CreatePhoneNumber", FaultKind::DropAfterApply, 1)
        .unwrap();
    mock.faults()
        .fail_next("CreatePhoneNumber", FaultKind::Drop, 1)
        .unwrap();
    mock.faults()
        .fail_next("GetWhatsAppBusinessAccount", FaultKind::ServerError, 1)
        .unwrap();
    let create = |n: u32| json!({"method": "POST", "relative_url": format!("{waba}/phone_numbers"), "body": format!("cc=1&phone_number=55501{n}&verified_name=Acme")});
    let items = json!([create(1), create(2), create(3), {"method": "GET", "relative_url": waba}]);
    let r = batch(&mock, "/", &items, &[]).await;
    let a = r.body.as_array().unwrap();
    assert_eq!((a[0].is_null(), a[1].is_null()), (true, true), "{}", r.body);
    assert_eq!(a[2]["code"], 200);
    assert_eq!(a[3]["code"], 500);
    assert_eq!(mock.stats().created_of("WhatsAppBusinessPhoneNumber"), 2);
    let numbers: Vec<String> = mock
        .created(waba, "phone_numbers")
        .into_iter()
        .map(|c| c.params["phone_number"].clone())
        .collect();
    assert_eq!(numbers, ["555011", "555013"]);

    // A fault on the batch request as a whole: dropped after applying its items.
    mock.faults()
        .add(waba_mock::FaultRule::new(FaultKind::DropAfterApply))
        .unwrap();
    let r = client()
        .post(format!("{}/", mock.base_url()))
        .bearer_auth(&s.access_token)
        .form(&[("batch", json!([create(4)]).to_string())])
        .send()
        .await;
    assert!(r.is_err(), "dropped");
    assert_eq!(mock.stats().created_of("WhatsAppBusinessPhoneNumber"), 3);
    mock.shutdown().await;
}
