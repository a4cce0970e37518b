//! Graph behaviour of the mock, over HTTP on 127.0.0.1: routing, auth, validation, fields,
//! filtering, paging, summaries, state changes, errors and headers.

mod common;

use std::collections::HashSet;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use waba_mock::{MockConfig, MockServer, appsecret_proof};

#[tokio::test]
async fn node_read_honours_default_and_requested_fields() {
    let mock = start().await;
    let waba = &mock.seed().waba_ids[0];
    let r = get(&mock, waba, &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    let keys: HashSet<&str> = r
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from(["id", "name", "timezone_id", "message_template_namespace"])
    );
    assert_eq!(r.body["id"], waba.as_str());

    // Every documented field of the node has a value.
    let all = "account_review_status,analytics,audiences,business_verification_status,country,currency,dcc_config,is_enabled_for_insights,message_template_namespace,message_templates,name,on_behalf_of_business_info,ownership_type,phone_numbers,primary_business_location,primary_funding_id,purchase_order_number,schedules,subscribed_apps,timezone_id";
    let r = get(&mock, waba, &[("fields", all)]).await;
    for f in all.split(',') {
        assert!(!r.body[f].is_null(), "{f} missing in {}", r.body);
    }
    assert!(
        ["SELF_OWNED", "CLIENT_OWNED", "AGENCY_OWNED"]
            .contains(&r.body["ownership_type"].as_str().unwrap())
    );
    // A nested object holds its type's documented members only (OnBehalfOfBusinessInfo: id, name).
    let on_behalf = r.body["on_behalf_of_business_info"].as_object().unwrap();
    assert_eq!(
        on_behalf.keys().map(String::as_str).collect::<HashSet<_>>(),
        HashSet::from(["id", "name"])
    );
    assert_eq!(on_behalf["name"], "Mock Client Business 1");

    // `id` always (nested objects too, as on Graph), nested selections, and nothing else.
    let r = get(
        &mock,
        waba,
        &[("fields", "currency,on_behalf_of_business_info{name}")],
    )
    .await;
    let nested_id = r.body["on_behalf_of_business_info"]["id"].clone();
    assert!(nested_id.is_string());
    assert_eq!(
        r.body,
        json!({"id": waba, "currency": "USD", "on_behalf_of_business_info": {"id": nested_id, "name": "Mock Client Business 1"}})
    );

    // Unknown fields, and fields only an edge adds, are 100 naming the field.
    let r = get(&mock, waba, &[("fields", "name,bogus")]).await;
    assert_error(&r, 100, "OAuthException", None);
    assert!(
        r.message().contains("(bogus)") && r.message().contains("WhatsAppBusinessAccount"),
        "{}",
        r.message()
    );
    let r = get(&mock, waba, &[("fields", "permitted_tasks")]).await;
    assert_eq!(r.code(), 100);
    let r = get(&mock, waba, &[("fields", "name{x}")]).await;
    assert_eq!(r.code(), 100);
}

#[tokio::test]
async fn paths_versions_and_unknown_objects() {
    let mock = start().await;
    let waba = mock.seed().waba_ids[0].clone();
    let token = mock.seed().access_token.clone();
    let c = client();
    let at = |path: &str| {
        c.get(format!("{}{path}", mock.base_url()))
            .bearer_auth(&token)
    };

    let r = send(at(&format!("/{waba}"))).await;
    assert_eq!(
        (r.status, r.header("facebook-api-version")),
        (StatusCode::OK, Some("v26.0"))
    );
    let r = send(at(&format!("/v23.0/{waba}"))).await;
    assert_eq!(
        (r.status, r.header("facebook-api-version")),
        (StatusCode::OK, Some("v23.0"))
    );

    for (path, unknown) in [
        (format!("/v20/{waba}"), "/v20/"),
        (format!("/v26.0/{waba}/bogus_edge"), "/bogus_edge"),
        (format!("/v26.0/{waba}/assigned_users/extra"), "/extra"),
        ("/v26.0/me".to_string(), "/me"),
        ("/v26.0/".to_string(), "/"),
    ] {
        let r = send(at(&path)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_error(&r, 2500, "OAuthException", None);
        assert!(
            r.message().starts_with("Unknown path components: ") && r.message().contains(unknown),
            "{path}: {}",
            r.message()
        );
    }

    for method in [Method::GET, Method::POST, Method::DELETE] {
        let r = call(
            &mock,
            method.clone(),
            "123456789/assigned_users",
            &[("business", "1")],
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_error(&r, 100, "GraphMethodException", Some(33));
        let verb = method.as_str().to_ascii_lowercase();
        assert!(
            r.message().starts_with(&format!(
                "Unsupported {verb} request. Object with ID '123456789' does not exist, cannot be loaded due to missing permissions, or does not support this operation"
            )),
            "{}",
            r.message()
        );
    }
    // An edge of another node type, and a method the node does not support.
    let business = mock.seed().business_id.clone();
    let r = get(&mock, &format!("{business}/assigned_users"), &[]).await;
    assert_eq!(r.code(), 100);
    assert!(
        r.message()
            .contains("nonexisting field (assigned_users) on node type (Business)")
    );
    let r = call(&mock, Method::DELETE, &waba, &[], &[]).await;
    assert_error(&r, 100, "GraphMethodException", Some(33));
    // The spec reads a Business node but does not update it.
    let r = get(&mock, &business, &[]).await;
    assert_eq!(
        (r.status, r.body["id"].as_str()),
        (StatusCode::OK, Some(business.as_str()))
    );
    let r = call(&mock, Method::POST, &business, &[], &[("name", "x")]).await;
    assert_error(&r, 100, "GraphMethodException", Some(33));
    assert_eq!(mock.stats().requests_of("unmatched"), 8);
}

#[tokio::test]
async fn tokens_and_appsecret_proofs() {
    let mock = start().await;
    let seed = mock.seed().clone();
    let waba_url = url(&mock, &seed.waba_ids[0]);
    let c = client();

    let r = send(c.get(&waba_url)).await;
    assert_error(&r, 104, "OAuthException", None);
    let r = send(c.get(&waba_url).bearer_auth("wrong")).await;
    assert_error(&r, 190, "OAuthException", None);
    let r = send(c.get(&waba_url).query(&[("access_token", "wrong")])).await;
    assert_eq!(r.code(), 190);
    let r = send(
        c.get(&waba_url)
            .query(&[("access_token", &seed.access_token)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);

    let proof = appsecret_proof(&seed.app_secret, &seed.access_token);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let timed = appsecret_proof(&seed.app_secret, &format!("{}|{now}", seed.access_token));
    let stale_time = "1000000000";
    let stale = appsecret_proof(
        &seed.app_secret,
        &format!("{}|{stale_time}", seed.access_token),
    );
    let with = |q: &[(&str, &str)]| c.get(&waba_url).bearer_auth(&seed.access_token).query(q);

    // Not required: a correct proof passes, a wrong one is still rejected.
    assert_eq!(
        send(with(&[("appsecret_proof", &proof)])).await.status,
        StatusCode::OK
    );
    let r = send(with(&[("appsecret_proof", "00")])).await;
    assert_error(&r, 100, "GraphMethodException", None);
    assert!(r.message().contains("Invalid appsecret_proof"));

    mock.set_require_appsecret_proof(true);
    let r = send(with(&[])).await;
    assert_error(&r, 100, "GraphMethodException", None);
    assert!(r.message().contains("require an appsecret_proof"));
    assert_eq!(
        send(with(&[("appsecret_proof", &proof)])).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(with(&[("appsecret_proof", &proof.to_uppercase())]))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        send(with(&[
            ("appsecret_proof", &timed),
            ("appsecret_time", &now)
        ]))
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        send(with(&[("appsecret_proof", &timed)])).await.code(),
        100,
        "timed proof without its time"
    );
    assert_eq!(
        send(with(&[
            ("appsecret_proof", &stale),
            ("appsecret_time", stale_time)
        ]))
        .await
        .code(),
        100
    );
    assert_eq!(
        send(with(&[
            ("appsecret_proof", &proof),
            ("appsecret_time", "x")
        ]))
        .await
        .code(),
        100
    );
    // The proof also works in a form body.
    let r = send(
        c.post(format!("{waba_url}/assigned_users"))
            .bearer_auth(&seed.access_token)
            .form(&[
                ("appsecret_proof", proof.as_str()),
                ("user", &seed.user_ids[0]),
                ("tasks", r#"["MANAGE"]"#),
            ]),
    )
    .await;
    assert_eq!(r.body, json!({"success": true}));
}

#[tokio::test]
async fn parameters_are_checked_against_spec_types() {
    let mock = start().await;
    let seed = mock.seed().clone();
    let waba = &seed.waba_ids[0];
    let users = format!("{waba}/assigned_users");
    let phones = format!("{waba}/phone_numbers");
    let user = seed.user_ids[0].as_str();
    /// Method, path, form, and what the message must say.
    type Case<'a> = (Method, &'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            Method::GET,
            &users,
            vec![],
            "The parameter business is required",
        ),
        (
            Method::GET,
            &users,
            vec![("business", "12x")],
            "Param business must be a numeric string",
        ),
        (
            Method::POST,
            &users,
            vec![("user", user)],
            "The parameter tasks is required",
        ),
        (
            Method::POST,
            &users,
            vec![("tasks", r#"["MANAGE"]"#)],
            "The parameter user is required",
        ),
        (
            Method::POST,
            &users,
            vec![("user", "abc"), ("tasks", r#"["MANAGE"]"#)],
            "Param user must be a valid ID",
        ),
        (
            Method::POST,
            &users,
            vec![("user", user), ("tasks", "MANAGE")],
            "Param tasks must be a JSON array",
        ),
        (
            Method::POST,
            &users,
            vec![("user", user), ("tasks", r#"["MANAGE","OWN"]"#)],
            "Param tasks[1] must be one of {MANAGE",
        ),
        (
            Method::POST,
            &users,
            vec![("user", user), ("tasks", "[1]")],
            "Param tasks[0]",
        ),
        (
            Method::DELETE,
            &users,
            vec![],
            "The parameter user is required",
        ),
        (
            Method::POST,
            &phones,
            vec![("phone_number", "5550100")],
            "The parameter cc is required",
        ),
        (
            Method::POST,
            &phones,
            vec![
                ("cc", "1"),
                ("phone_number", "5550100"),
                ("migrate_phone_number", "maybe"),
            ],
            "Param migrate_phone_number must be a boolean",
        ),
        (
            Method::POST,
            &phones,
            vec![("cc", "1"), ("phone_number", "5550100")],
            "The parameter verified_name is required",
        ),
        (
            Method::GET,
            &users,
            vec![("business", &seed.business_id), ("limit", "0")],
            "Param limit",
        ),
        (
            Method::GET,
            &users,
            vec![("business", &seed.business_id), ("limit", "101")],
            "Param limit",
        ),
        (
            Method::GET,
            &users,
            vec![("business", &seed.business_id), ("after", "nope")],
            "Param after is not a valid cursor",
        ),
        (
            Method::GET,
            &users,
            vec![("business", &seed.business_id), ("summary", "bogus")],
            "Unknown summary field (bogus)",
        ),
    ];
    for (method, path, form, want) in cases {
        let r = call(&mock, method.clone(), path, &[], &form).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{method} {form:?}");
        assert_error(&r, 100, "OAuthException", None);
        assert!(
            r.message().starts_with("(#100) ") && r.message().contains(want),
            "{method} {form:?}: {}",
            r.message()
        );
    }
    assert_eq!(
        mock.stats().writes_applied.len(),
        0,
        "no invalid write was applied"
    );
}

#[tokio::test]
async fn assigned_users_page_with_cursors_links_and_summary() {
    let mock = start().await;
    let seed = mock.seed().clone();
    let path = format!("{}/assigned_users", seed.waba_ids[0]);
    let business = seed.business_id.as_str();

    let first = get(
        &mock,
        &path,
        &[("business", business), ("summary", "total_count")],
    )
    .await;
    assert_eq!(first.body["summary"], json!({"total_count": 60}));
    assert!(first.body["paging"].get("previous").is_none());
    let item = &first.body["data"][0];
    assert_eq!(
        item.as_object().unwrap().len(),
        3,
        "default fields id, name, tasks: {item}"
    );
    assert!(item["tasks"].as_array().is_some_and(|t| !t.is_empty()));

    // Follow `next` (absolute URLs to the mock) until it disappears.
    let mut ids = Vec::new();
    let mut sizes = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..10 {
        let r = match &next {
            None => get(&mock, &path, &[("business", business)]).await,
            Some(u) => send(client().get(u).bearer_auth(&seed.access_token)).await,
        };
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let data = r.body["data"].as_array().unwrap();
        sizes.push(data.len());
        ids.extend(data.iter().map(|u| u["id"].as_str().unwrap().to_string()));
        next = r.body["paging"]["next"].as_str().map(str::to_string);
        if let Some(u) = &next {
            assert!(
                u.starts_with(&format!("{}/{VERSION}/{path}?", mock.base_url())),
                "{u}"
            );
        } else {
            break;
        }
    }
    assert_eq!(sizes, [25, 25, 10]);
    assert_eq!(ids, seed.user_ids, "every user once, in order");

    // Backwards from page 2, and `summary=true`, and the largest page.
    let p2 = get(
        &mock,
        &path,
        &[
            ("business", business),
            (
                "after",
                first.body["paging"]["cursors"]["after"].as_str().unwrap(),
            ),
        ],
    )
    .await;
    let prev = p2.body["paging"]["previous"].as_str().unwrap();
    let back = send(client().get(prev).bearer_auth(&seed.access_token)).await;
    assert_eq!(back.body["data"], first.body["data"]);
    let r = get(
        &mock,
        &path,
        &[
            ("business", business),
            ("limit", "100"),
            ("summary", "true"),
        ],
    )
    .await;
    assert_eq!(
        (
            r.body["data"].as_array().unwrap().len(),
            &r.body["summary"]["total_count"]
        ),
        (60, &json!(60))
    );
    assert!(r.body["paging"].get("next").is_none());
    // A WABA without users: empty data, no paging.
    let r = get(
        &mock,
        &format!("{}/assigned_users", seed.waba_ids[2]),
        &[("business", business)],
    )
    .await;
    assert_eq!(r.body, json!({"data": []}));
}

#[tokio::test]
async fn a_million_users_page_cheaply() {
    let mock = MockServer::start(MockConfig::default().users(1_000_000))
        .await
        .unwrap();
    let seed = mock.seed().clone();
    let path = format!("{}/assigned_users", seed.waba_ids[0]);
    let q = [
        ("business", seed.business_id.as_str()),
        ("limit", "100"),
        ("summary", "total_count"),
    ];
    let started = std::time::Instant::now();
    let mut next: Option<String> = None;
    let mut last_id = String::new();
    for _ in 0..20 {
        let r = match &next {
            None => get(&mock, &path, &q).await,
            Some(u) => send(client().get(u).bearer_auth(&seed.access_token)).await,
        };
        assert_eq!(r.body["summary"]["total_count"], 1_000_000);
        last_id = r.body["data"][99]["id"].as_str().unwrap().to_string();
        next = Some(r.body["paging"]["next"].as_str().unwrap().to_string());
    }
    // Users beyond the 60 named ones have generated IDs that the write endpoints accept.
    assert!(!seed.user_ids.contains(&last_id));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let r = call(&mock, Method::DELETE, &path, &[("user", &last_id)], &[]).await;
    assert_eq!(r.body, json!({"success": true}));
    let r = get(
        &mock,
        &path,
        &[
            ("business", &seed.business_id),
            ("summary", "true"),
            ("limit", "1"),
        ],
    )
    .await;
    assert_eq!(r.body["summary"]["total_count"], 999_999);
}

#[tokio::test]
async fn assigned_user_writes_change_state_idempotently() {
    let mock = start().await;
    let seed = mock.seed().clone();
    let waba = &seed.waba_ids[2]; // starts without users
    let path = format!("{waba}/assigned_users");
    let list = || async {
        get(&mock, &path, &[("business", &seed.business_id)])
            .await
            .body["data"]
            .clone()
    };
    let user = seed.user_ids[5].as_str();

    let r = call(
        &mock,
        Method::POST,
        &path,
        &[],
        &[("user", user), ("tasks", r#"["MANAGE","DEVELOP"]"#)],
    )
    .await;
    assert_eq!(r.body, json!({"success": true}));
    assert_eq!(
        list().await,
        json!([{"id": user, "name": "Mock User 6", "tasks": ["MANAGE", "DEVELOP"]}])
    );

    // Same tasks again: success, no state change. New tasks (Meta-docs quoting, in the query): replaced.
    call(
        &mock,
        Method::POST,
        &path,
        &[],
        &[("user", user), ("tasks", r#"["MANAGE","DEVELOP"]"#)],
    )
    .await;
    call(
        &mock,
        Method::POST,
        &path,
        &[("user", user), ("tasks", "['VIEW_COST']")],
        &[],
    )
    .await;
    assert_eq!(list().await[0]["tasks"], json!(["VIEW_COST"]));
    // A JSON body works too, and a user outside the named ones.
    let r = send(
        client()
            .post(url(&mock, &path))
            .bearer_auth(&seed.access_token)
            .json(&json!({"user": "987654321", "tasks": ["MESSAGING"]})),
    )
    .await;
    assert_eq!(r.body, json!({"success": true}));
    assert_eq!(list().await.as_array().unwrap().len(), 2);

    // DELETE with the user in the query, then in the form body; deleting again still succeeds.
    call(&mock, Method::DELETE, &path, &[("user", user)], &[]).await;
    call(&mock, Method::DELETE, &path, &[], &[("user", "987654321")]).await;
    let r = call(&mock, Method::DELETE, &path, &[("user", user)], &[]).await;
    assert_eq!(r.body, json!({"success": true}));
    assert_eq!(list().await, json!([]));

    let stats = mock.stats();
    assert_eq!(stats.writes_of("AddAssignedUser"), 4);
    assert_eq!(stats.state_changes["AddAssignedUser"], 3);
    assert_eq!(stats.writes_of("RemoveAssignedUser"), 3);
    assert_eq!(stats.state_changes["RemoveAssignedUser"], 2);

    // Seeded users: removing and re-adding one puts it back in its place with the new tasks.
    let seeded = format!("{}/assigned_users", seed.waba_ids[1]);
    let first = seed.user_ids[0].as_str();
    call(&mock, Method::DELETE, &seeded, &[("user", first)], &[]).await;
    let r = get(&mock, &seeded, &[("business", &seed.business_id)]).await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 2);
    call(
        &mock,
        Method::POST,
        &seeded,
        &[],
        &[("user", first), ("tasks", r#"["MANAGE_PHONE"]"#)],
    )
    .await;
    let r = get(&mock, &seeded, &[("business", &seed.business_id)]).await;
    assert_eq!(
        r.body["data"][0],
        json!({"id": first, "name": "Mock User 1", "tasks": ["MANAGE_PHONE"]})
    );
}

#[tokio::test]
async fn phone_numbers_are_stored_with_new_ids() {
    let mock = start().await;
    let waba = mock.seed().waba_ids[0].clone();
    let path = format!("{waba}/phone_numbers");
    let a = call(
        &mock,
        Method::POST,
        &path,
        &[],
        &[
            ("cc", "1"),
            ("phone_number", "5550100"),
            ("verified_name", "Acme"),
        ],
    )
    .await;
    let b = call(
        &mock,
        Method::POST,
        &path,
        &[
            ("cc", "44"),
            ("phone_number", "7700900"),
            ("verified_name", "Globex"),
        ],
        &[],
    )
    .await;
    // The document gives this create a JSON body, the form the SDK sends.
    let c = send(
        client()
            .post(url(&mock, &path))
            .bearer_auth(&mock.seed().access_token)
            .json(&json!({"cc": "1", "phone_number": "5550101", "verified_name": "Initech"})),
    )
    .await;
    let (ida, idb, idc) = (
        a.body["id"].as_str().unwrap(),
        b.body["id"].as_str().unwrap(),
        c.body["id"].as_str().unwrap(),
    );
    assert!(ida.bytes().all(|c| c.is_ascii_digit()) && ida != idb && idb != idc);
    assert_eq!(a.body.as_object().unwrap().len(), 1);
    let stored = mock.created(&waba, "phone_numbers");
    assert_eq!(
        stored.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        [ida, idb, idc]
    );
    assert_eq!(stored[0].params["verified_name"], "Acme");
    assert_eq!(stored[1].params["cc"], "44");
    assert_eq!(stored[2].params["verified_name"], "Initech");
    assert_eq!(mock.stats().created_of("WhatsAppBusinessPhoneNumber"), 3);
    assert!(
        mock.created(&mock.seed().waba_ids[1], "phone_numbers")
            .is_empty()
    );
}

#[tokio::test]
async fn client_wabas_filter_with_graph_operators() {
    let mock = start().await;
    let path = format!(
        "{}/client_whatsapp_business_accounts",
        mock.seed().business_id
    );
    let r = get(&mock, &path, &[]).await;
    let data = r.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    let keys: HashSet<&str> = data[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from(["id", "name", "currency", "timezone_id"])
    );

    let names = |r: &Resp| -> Vec<String> {
        r.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["ownership_type"].as_str().unwrap().to_string())
            .collect()
    };
    let filtered = |f: &'static str| {
        let path = path.clone();
        let mock = &mock;
        async move {
            get(
                mock,
                &path,
                &[
                    ("filtering", f),
                    ("fields", "ownership_type,permitted_tasks,name"),
                ],
            )
            .await
        }
    };
    let r = filtered(
        "[{'field':'ownership_type','operator':'IN','value':['SELF_OWNED','CLIENT_OWNED']}]",
    )
    .await;
    assert_eq!(names(&r), ["SELF_OWNED", "CLIENT_OWNED"]);
    assert!(r.body["data"][0]["permitted_tasks"].is_array());
    let r =
        filtered(r#"[{"field":"ownership_type","operator":"EQUAL","value":"AGENCY_OWNED"}]"#).await;
    assert_eq!(names(&r), ["AGENCY_OWNED"]);
    let r = filtered(r#"[{"field":"ownership_type","operator":"NOT_EQUAL","value":"SELF_OWNED"}]"#)
        .await;
    assert_eq!(names(&r), ["CLIENT_OWNED", "AGENCY_OWNED"]);
    let r = filtered(
        r#"[{"field":"ownership_type","operator":"NOT_IN","value":["SELF_OWNED","CLIENT_OWNED"]}]"#,
    )
    .await;
    assert_eq!(names(&r), ["AGENCY_OWNED"]);
    let r = filtered(r#"[{"field":"name","operator":"CONTAIN","value":"waba 2"}]"#).await;
    assert_eq!(r.body["data"][0]["name"], "Mock WABA 2");
    let r = filtered(r#"[{"field":"name","operator":"CONTAIN","value":"WABA"},{"field":"ownership_type","operator":"IN","value":["SELF_OWNED"]}]"#).await;
    assert_eq!(names(&r), ["SELF_OWNED"]);

    for (bad, want) in [
        (
            r#"[{"field":"bogus","operator":"IN","value":["X"]}]"#,
            "'bogus'",
        ),
        (
            r#"[{"field":"name","operator":"LIKE","value":"x"}]"#,
            "Param filtering[0].operator must be one of",
        ),
        (
            r#"[{"field":"name","operator":"IN","value":"x"}]"#,
            "needs a list",
        ),
        (
            r#"[{"field":"name","value":"x"}]"#,
            "must have the key `operator`",
        ),
        ("[{'field':", "Param filtering must be"),
    ] {
        let r = filtered(bad).await;
        assert_error(&r, 100, "OAuthException", None);
        assert!(r.message().contains(want), "{bad}: {}", r.message());
    }
}

#[tokio::test]
async fn responses_carry_graph_headers_and_waba_usage() {
    let mock = start().await;
    let seed = mock.seed().clone();
    let r = get(
        &mock,
        &format!("{}/client_whatsapp_business_accounts", seed.business_id),
        &[],
    )
    .await;
    assert!(
        r.header("x-business-use-case-usage").is_none(),
        "no WABA called yet"
    );
    assert!(r.header("x-fb-trace-id").is_some_and(|t| t.len() == 11));
    assert_eq!(r.header("facebook-api-version"), Some(VERSION));
    assert!(r.header_json("x-app-usage")["call_count"].is_u64());
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );

    let waba = &seed.waba_ids[1];
    let mut calls = Vec::new();
    for _ in 0..3 {
        let r = get(&mock, waba, &[]).await;
        let usage = r.header_json("x-business-use-case-usage");
        let entry = &usage[waba.as_str()][0];
        assert_eq!(entry["type"], "whatsapp_business_management");
        assert_eq!(entry["estimated_time_to_regain_access"], 0);
        for k in ["call_count", "total_cputime", "total_time"] {
            assert!(entry[k].is_u64(), "{k} in {usage}");
        }
        calls.push(entry["call_count"].as_u64().unwrap());
    }
    assert!(
        calls[0] >= 1 && calls.windows(2).all(|w| w[0] <= w[1]),
        "{calls:?}"
    );
    // Errors after auth on a WABA also carry it; trace IDs differ per request.
    let r = get(&mock, &format!("{waba}/assigned_users"), &[]).await;
    assert_eq!(r.code(), 100);
    assert!(r.header("x-business-use-case-usage").is_some());
    let other = get(&mock, waba, &[]).await;
    assert_ne!(other.header("x-fb-trace-id"), r.header("x-fb-trace-id"));
}

/// A JSON-body POST with a JSON answer.
async fn post_json(mock: &MockServer, path: &str, body: serde_json::Value) -> Resp {
    send(
        client()
            .post(url(mock, path))
            .bearer_auth(&mock.seed().access_token)
            .json(&body),
    )
    .await
}

#[tokio::test]
async fn creates_make_the_type_their_edge_lists_and_nothing_else() {
    let mock = start().await;
    let seed = mock.seed().clone();
    let waba = &seed.waba_ids[0];
    let schedules = format!("{waba}/schedules");
    let wabas_before = mock.objects_of("WhatsAppBusinessAccount").len();

    // `schedules` has no `creates` and no edge target: the new object is of the type its
    // listing pages through, not a second WABA.
    let r = post_json(
        &mock,
        &schedules,
        json!({"name": "Opening hours", "schedule_type": "BUSINESS_HOURS",
               "start_time": "09:00", "end_time": "17:00"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        mock.objects_of("WhatsAppBusinessAccountSchedule"),
        [id.as_str()]
    );
    assert_eq!(
        mock.objects_of("WhatsAppBusinessAccount").len(),
        wabas_before
    );
    let r = get(&mock, &schedules, &[("fields", "name,start_time")]).await;
    assert_eq!(
        r.body["data"],
        json!([{"id": id, "name": "Opening hours", "start_time": "09:00"}])
    );

    // `add_phone_numbers` answers an `id` the spec gives no type: answered, nothing stored.
    let before = mock.stats().created;
    let r = post_json(
        &mock,
        &format!("{}/add_phone_numbers", seed.business_id),
        json!({"phone_number": "+15550100"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["id"].is_string(), "{}", r.body);
    assert_eq!(mock.stats().created, before);
    assert_eq!(mock.objects_of("Business"), [seed.business_id.as_str()]);
}

#[tokio::test]
async fn a_template_deleted_by_hsm_id_leaves_the_listing() {
    let mock = start().await;
    let waba = mock.seed().waba_ids[0].clone();
    let templates = format!("{waba}/message_templates");
    let mut ids = Vec::new();
    for name in ["order_update", "welcome"] {
        let r = post_json(
            &mock,
            &templates,
            json!({"name": name, "category": "UTILITY", "language": "en_US"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    let listed = |r: &Resp| -> Vec<String> {
        r.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(listed(&get(&mock, &templates, &[]).await), ids);

    let r = call(
        &mock,
        Method::DELETE,
        &templates,
        &[("hsm_id", &ids[0])],
        &[],
    )
    .await;
    assert_eq!(r.body, json!({"success": true}));
    assert_eq!(listed(&get(&mock, &templates, &[]).await), [ids[1].clone()]);
    assert_eq!(mock.stats().state_changes.values().sum::<u64>(), 3);
    // Deleting it again changes nothing.
    let r = call(
        &mock,
        Method::DELETE,
        &templates,
        &[("hsm_id", &ids[0])],
        &[],
    )
    .await;
    assert_eq!(r.body, json!({"success": true}));
    assert_eq!(mock.stats().state_changes.values().sum::<u64>(), 3);
}
