//! Each error kind, decoded from real HTTP responses.

mod support;

use support::{Reply, Server, client, id};
use waba_api::{Error, ErrorCode, ErrorSubcode, RetryPolicy, TransportKind};

fn no_retry(server: &Server) -> waba_api::Client {
    support::builder(server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn graph_envelope_becomes_typed_error_with_usage() {
    let server = Server::start().await;
    server.reply([Reply::json(
        400,
        r#"{"error":{"message":"(#100) Unsupported get request.","type":"GraphMethodException","code":100,"error_subcode":33,
            "error_user_title":"T","error_user_msg":"M","fbtrace_id":"AbC","is_transient":false,
            "error_data":"{\"messaging_product\":\"whatsapp\",\"details\":\"d\"}"}}"#,
    )
    .with_header("x-business-use-case-usage", r#"{"123":[{"type":"whatsapp_business_management","call_count":7,"total_cputime":1,"total_time":2,"estimated_time_to_regain_access":0}]}"#)
    .with_header("x-app-usage", r#"{"call_count":3,"total_time":4,"total_cputime":5}"#)]);
    let err = no_retry(&server)
        .waba(&id("123"))
        .get()
        .send()
        .await
        .unwrap_err();
    let g = err.graph().expect("graph error");
    assert_eq!(g.code, ErrorCode::InvalidParameter);
    assert_eq!(err.code(), Some(ErrorCode::InvalidParameter));
    assert_eq!(g.subcode, Some(ErrorSubcode::ObjectNotFound));
    assert_eq!(err.subcode(), Some(ErrorSubcode::ObjectNotFound));
    assert!(!err.is_throttled());
    assert_eq!(g.kind, "GraphMethodException");
    assert_eq!(g.user_title.as_deref(), Some("T"));
    assert_eq!(g.user_message.as_deref(), Some("M"));
    assert_eq!(g.fbtrace_id.as_deref(), Some("AbC"));
    assert_eq!(
        g.error_data.as_ref().unwrap()["details"],
        "d",
        "error_data given as a JSON string is decoded"
    );
    assert_eq!(err.status(), Some(400));
    let usage = err.usage().unwrap();
    assert_eq!(usage.business_use_case[0].call_count, 7);
    assert_eq!(usage.app.unwrap().total_cputime, 5);
    assert!(!err.is_retryable());
    assert!(
        err.to_string()
            .contains("Graph error 100 (subcode 33) GraphMethodException"),
        "{err}"
    );
}

#[tokio::test]
async fn unknown_code_and_object_error_data_are_kept() {
    let server = Server::start().await;
    server.reply([Reply::json(500, r#"{"error":{"message":"x","type":"T","code":131000,"is_transient":true,"error_data":{"details":"d"}}}"#)]);
    let err = no_retry(&server)
        .waba(&id("1"))
        .get()
        .send()
        .await
        .unwrap_err();
    let g = err.graph().unwrap();
    match g.code {
        ErrorCode::Unknown(code) => assert_eq!(code.get(), 131000),
        other => panic!("131000 is not in the spec, got {other:?}"),
    }
    assert_eq!(g.code, ErrorCode::from_i64(131000));
    assert_eq!(g.code.as_i64(), 131000);
    assert!(g.is_transient);
    assert!(err.is_retryable());
    assert_eq!(g.error_data.as_ref().unwrap()["details"], "d");
}

#[tokio::test]
async fn html_from_a_proxy_is_an_http_error_with_snippet() {
    let server = Server::start().await;
    server.reply([Reply::html(
        502,
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    )]);
    let err = no_retry(&server)
        .waba(&id("1"))
        .get()
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Http { snippet, meta, .. } => {
            assert_eq!(meta.status(), 502);
            assert!(snippet.contains("502 Bad Gateway"));
        }
        other => panic!("expected Http, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert!(!err.is_throttled());
}

#[tokio::test]
async fn a_429_without_graphs_envelope_is_throttled() {
    let server = Server::start().await;
    server.reply([Reply::html(429, "<html>Too Many Requests</html>")]);
    let err = no_retry(&server)
        .waba(&id("1"))
        .get()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    assert!(err.is_throttled() && err.is_retryable(), "{err}");
    assert_eq!(err.code(), None);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_path() {
    let server = Server::start().await;
    server.reply([Reply::json(
        200,
        r#"{"data":[{"id":"1","name":"A"},{"id":"2","na"#,
    )]);
    let err = no_retry(&server)
        .waba(&id("1"))
        .assigned_users()
        .list(&id("2"))
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            path,
            message,
            snippet,
            meta,
            ..
        } => {
            assert!(path.starts_with("data[1]"), "{path}");
            assert!(message.contains("EOF"), "{message}");
            assert!(snippet.starts_with(r#"{"data":"#));
            assert_eq!(meta.status(), 200);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_shape_names_the_json_path() {
    let server = Server::start().await;
    server.reply([Reply::json(
        200,
        r#"{"data":[{"id":"1","tasks":"MANAGE"}]}"#,
    )]);
    let err = no_retry(&server)
        .waba(&id("1"))
        .assigned_users()
        .list(&id("2"))
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Decode { path, .. } => assert_eq!(path, "data[0].tasks"),
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(err.to_string().contains("`data[0].tasks`"), "{err}");
}

#[tokio::test]
async fn body_cut_off_by_the_connection_is_a_transport_error() {
    let server = Server::start().await;
    server.reply([Reply::Truncated {
        status: 200,
        body: r#"{"id":"1""#.into(),
    }]);
    let err = no_retry(&server)
        .waba(&id("1"))
        .get()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { .. } | Error::Decode { .. }),
        "{err:?}"
    );
    if let Error::Transport { kind, .. } = &err {
        // The status arrived before the body broke off: it is kept.
        assert_eq!(*kind, TransportKind::Body, "{err:?}");
        assert_eq!(err.status(), Some(200));
        assert!(std::error::Error::source(&err).is_some());
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn oversized_response_is_rejected() {
    let server = Server::start().await;
    server.reply([Reply::json(
        200,
        format!(r#"{{"id":"1","name":"{}"}}"#, "x".repeat(10_000)),
    )]);
    let c = support::builder(&server)
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let err = c.waba(&id("1")).get().send().await.unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { limit: 1024, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn deeply_nested_json_is_an_error_not_a_crash() {
    let server = Server::start().await;
    let deep = format!(
        r#"{{"id":"1","analytics":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    server.reply([Reply::json(200, deep)]);
    let err = client(&server)
        .waba(&id("1"))
        .get()
        .send()
        .await
        .unwrap_err();
    match err {
        Error::Decode { message, .. } => assert!(message.contains("recursion limit"), "{message}"),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn success_false_and_empty_list_decode() {
    let server = Server::start().await;
    server.reply([
        Reply::json(200, r#"{"success":false}"#),
        Reply::json(200, r#"{"data":[]}"#),
    ]);
    let c = client(&server);
    assert!(
        !c.waba(&id("1"))
            .assigned_users()
            .remove(&id("2"))
            .send()
            .await
            .unwrap()
            .success
    );
    assert!(
        c.waba(&id("1"))
            .assigned_users()
            .list(&id("2"))
            .send()
            .await
            .unwrap()
            .data
            .is_empty()
    );
}
