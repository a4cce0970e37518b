//! The exact request each operation puts on the wire, and how each response decodes, against a
//! real HTTP server on 127.0.0.1.

mod support;

use support::{Reply, Server, TOKEN, client, hmac_hex, id};
use waba_api::GRAPH_API_VERSION as V;
use waba_api::Paginated;
use waba_api::models::{
    AssignedUserField, BusinessVerificationStatus, Filter, FilterOperator, OwnershipType, Task,
    WhatsAppBusinessAccountField as F,
};

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test]
async fn get_waba_wire_format_and_typed_decoding() {
    let server = Server::start().await;
    server.reply([Reply::json(
        200,
        r#"{"id":"123","name":"Acme","business_verification_status":"verified","ownership_type":"SOMETHING_NEW",
            "is_enabled_for_insights":true,"on_behalf_of_business_info":{"id":"9","name":"Partner"},"brand_new_key":[1,2]}"#,
    )
    .with_header("x-fb-trace-id", "TRACE1")
    .with_header("facebook-api-version", V)]);
    let c = client(&server);
    let r = c
        .waba(&id("123"))
        .get()
        .fields([F::Id, F::Name, F::BusinessVerificationStatus])
        .send()
        .await
        .unwrap();

    let req = &server.requests()[0];
    assert_eq!(req.method, "GET");
    assert_eq!(req.path, format!("/{V}/123"));
    assert_eq!(
        req.query_pairs(),
        pairs(&[("fields", "id,name,business_verification_status")])
    );
    assert_eq!(
        req.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(req.header("user-agent").unwrap().starts_with("waba-api/"));
    assert!(!req.query.contains(TOKEN));

    assert_eq!(r.id.as_str(), "123");
    assert_eq!(r.name.as_deref(), Some("Acme"));
    assert_eq!(
        r.business_verification_status,
        Some(BusinessVerificationStatus::Verified)
    );
    assert_eq!(r.is_enabled_for_insights, Some(true));
    assert_eq!(
        r.on_behalf_of_business_info
            .as_ref()
            .unwrap()
            .name
            .as_deref(),
        Some("Partner")
    );
    // An enum value Meta adds later is kept and serializes back unchanged.
    let own = r.ownership_type.clone().unwrap();
    assert_eq!(own.as_str(), "SOMETHING_NEW");
    assert!(!OwnershipType::KNOWN.contains(&own));
    // Keys the spec does not know are kept, not dropped.
    assert_eq!(r.extra["brand_new_key"], serde_json::json!([1, 2]));
    let back = serde_json::to_value(&*r).unwrap();
    assert_eq!(back["ownership_type"], "SOMETHING_NEW");
    assert_eq!(back["brand_new_key"], serde_json::json!([1, 2]));
    assert_eq!(r.meta().fbtrace_id(), Some("TRACE1"));
    assert_eq!(r.meta().api_version(), Some(V));
}

#[tokio::test]
async fn list_client_wabas_sends_filtering_as_json() {
    let server = Server::start().await;
    server.reply([Reply::json(200, r#"{"data":[{"id":"1","name":"A","permitted_tasks":["MANAGE"]}],"paging":{"cursors":{"before":"b","after":"a"}}}"#)]);
    let c = client(&server);
    let filter = Filter::on(
        F::OwnershipType,
        FilterOperator::In,
        [OwnershipType::SelfOwned, OwnershipType::ClientOwned],
    );
    let page = c
        .business(&id("77"))
        .client_wabas()
        .list()
        .fields([F::Id, F::Name, F::OwnershipType])
        .filtering([filter])
        .limit(10)
        .send()
        .await
        .unwrap();
    let req = &server.requests()[0];
    assert_eq!(
        req.path,
        format!("/{V}/77/client_whatsapp_business_accounts")
    );
    assert_eq!(
        req.query_pairs(),
        pairs(&[
            (
                "filtering",
                r#"[{"field":"ownership_type","operator":"IN","value":["SELF_OWNED","CLIENT_OWNED"]}]"#
            ),
            ("fields", "id,name,ownership_type"),
            ("limit", "10"),
        ])
    );
    assert_eq!(
        page.data[0].permitted_tasks.as_deref(),
        Some(&[waba_api::models::Task::Manage][..])
    );
    assert_eq!(
        page.next_cursor(),
        None,
        "no `next`: last page even though an after cursor exists"
    );
}

#[tokio::test]
async fn list_assigned_users_sends_business_paging_and_summary() {
    let server = Server::start().await;
    server.reply([Reply::json(
        200,
        r#"{"data":[{"id":"5","name":"Ann","tasks":["MANAGE","MESSAGING"]}],"paging":{"cursors":{"before":"B","after":"A"},"next":"https://elsewhere.invalid/x?access_token=LEAK"},"summary":{"total_count":42}}"#,
    )]);
    let c = client(&server);
    let page = c
        .waba(&id("123"))
        .assigned_users()
        .list(&id("456"))
        .fields([AssignedUserField::Id, AssignedUserField::Tasks])
        .limit(1)
        .after("CUR")
        .summary(true)
        .send()
        .await
        .unwrap();
    let req = &server.requests()[0];
    assert_eq!(req.path, format!("/{V}/123/assigned_users"));
    assert_eq!(
        req.query_pairs(),
        pairs(&[
            ("business", "456"),
            ("fields", "id,tasks"),
            ("limit", "1"),
            ("after", "CUR"),
            ("summary", "total_count")
        ])
    );
    assert_eq!(page.summary.as_ref().unwrap().total_count, Some(42));
    assert_eq!(
        page.data[0].tasks.as_deref(),
        Some(
            &[
                waba_api::models::Task::Manage,
                waba_api::models::Task::Messaging
            ][..]
        )
    );
    assert_eq!(page.next_cursor(), Some("A"));
    assert!(
        !format!("{page:?}").contains("LEAK"),
        "paging links are redacted in Debug"
    );
}

#[tokio::test]
async fn add_assigned_user_posts_form_with_json_list() {
    let server = Server::start().await;
    server.reply([Reply::json(200, r#"{"success":true}"#)]);
    let c = client(&server);
    let unknown: Task = "NEW_TASK".parse().unwrap();
    let r = c
        .waba(&id("123"))
        .assigned_users()
        .add(&id("999"), [Task::Manage, Task::Develop, unknown])
        .send()
        .await
        .unwrap();
    assert!(r.success);
    let req = &server.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, format!("/{V}/123/assigned_users"));
    assert_eq!(req.query, "");
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        req.form_pairs(),
        pairs(&[
            ("tasks", r#"["MANAGE","DEVELOP","NEW_TASK"]"#),
            ("user", "999")
        ])
    );
}

#[tokio::test]
async fn remove_assigned_user_sends_delete_with_form() {
    let server = Server::start().await;
    server.reply([Reply::json(200, r#"{"success":true}"#)]);
    let r = client(&server)
        .waba(&id("123"))
        .assigned_users()
        .remove(&id("999"))
        .send()
        .await
        .unwrap();
    assert!(r.success);
    let req = &server.requests()[0];
    assert_eq!(req.method, "DELETE");
    assert_eq!(req.path, format!("/{V}/123/assigned_users"));
    assert_eq!(req.form_pairs(), pairs(&[("user", "999")]));
}

#[tokio::test]
async fn create_phone_number_encodes_strings_safely() {
    let server = Server::start().await;
    server.reply([Reply::json(200, r#"{"id":"1906385232743451"}"#)]);
    let r = client(&server)
        .waba(&id("123"))
        .phone_numbers()
        .create("1", "555 0100&x=y", "Acme \"Café\"\nLtd")
        .migrate_phone_number(true)
        .preverified_id("77")
        .send()
        .await
        .unwrap();
    assert_eq!(r.id.as_str(), "1906385232743451");
    let req = &server.requests()[0];
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("POST", format!("/{V}/123/phone_numbers").as_str())
    );
    // The document gives this create an `application/json` body: one JSON object whose members
    // keep their types (the bool stays a bool) and whose strings arrive exactly, nothing in the URL.
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.query, "");
    let body: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&req.body).unwrap_or_else(|e| panic!("{e}: {}", req.body));
    let expected = serde_json::json!({
        "cc": "1",
        "phone_number": "555 0100&x=y",
        "verified_name": "Acme \"Café\"\nLtd",
        "migrate_phone_number": true,
        "preverified_id": "77",
    });
    assert_eq!(serde_json::Value::Object(body.clone()), expected);
    assert_eq!(body["migrate_phone_number"], serde_json::Value::Bool(true));
    assert_eq!(body["verified_name"].as_str(), Some("Acme \"Café\"\nLtd"));
    // Each member once (a parsed object would hide a repeated key).
    for key in body.keys() {
        assert_eq!(
            req.body.matches(&format!("\"{key}\":")).count(),
            1,
            "{key}: {}",
            req.body
        );
    }
}

#[tokio::test]
async fn appsecret_proof_in_query_for_get_and_in_body_for_writes() {
    let server = Server::start().await;
    server.fallback(Reply::json(200, r#"{"id":"1","success":true}"#));
    let c = support::builder(&server)
        .app_secret(support::APP_SECRET)
        .build()
        .unwrap();
    c.waba(&id("1")).get().send().await.unwrap();
    c.waba(&id("1"))
        .assigned_users()
        .remove(&id("2"))
        .send()
        .await
        .unwrap();
    let timed = support::builder(&server)
        .app_secret(support::APP_SECRET)
        .timed_appsecret_proof(true)
        .build()
        .unwrap();
    timed.waba(&id("1")).get().send().await.unwrap();

    let expected = hmac_hex(support::APP_SECRET, TOKEN);
    let reqs = server.requests();
    assert_eq!(
        reqs[0].query_pairs(),
        pairs(&[("appsecret_proof", &expected)])
    );
    assert_eq!(
        reqs[1].form_pairs(),
        pairs(&[("user", "2"), ("appsecret_proof", &expected)])
    );
    let q = reqs[2].query_pairs();
    let time = &q.iter().find(|(k, _)| k == "appsecret_time").unwrap().1;
    let proof = &q.iter().find(|(k, _)| k == "appsecret_proof").unwrap().1;
    assert_eq!(
        proof,
        &hmac_hex(support::APP_SECRET, &format!("{TOKEN}|{time}"))
    );
}

#[tokio::test]
async fn version_and_base_url_overrides() {
    let server = Server::start().await;
    server.reply([Reply::json(200, r#"{"id":"1"}"#)]);
    let c = support::builder(&server)
        .base_url(format!("{}/proxy/", server.base_url))
        .api_version("v23.0")
        .build()
        .unwrap();
    c.waba(&id("1")).get().send().await.unwrap();
    assert_eq!(server.requests()[0].path, "/proxy/v23.0/1");
    assert!(
        waba_api::Client::builder("t")
            .api_version("23.0")
            .build()
            .is_err()
    );
    assert!(
        waba_api::Client::builder("t")
            .base_url("ftp://x")
            .build()
            .is_err()
    );
    assert!(waba_api::Client::builder("").build().is_err());
    assert!(waba_api::Client::builder("bad\ntoken").build().is_err());
}
