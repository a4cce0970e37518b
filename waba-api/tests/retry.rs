//! Retry rules: idempotent calls retry throttling, transient, 5xx and connection failures; a
//! non-idempotent create is never sent twice once it may have reached the server.

mod support;

use std::time::Duration;

use support::{Reply, Server, client, id};
use waba_api::{Error, ErrorCode, RetryPolicy, TransportKind};

const THROTTLED: &str = r#"{"error":{"message":"(#80008) too many calls","type":"OAuthException","code":80008,"error_subcode":2593048,"fbtrace_id":"T"}}"#;

fn usage(minutes: u32) -> String {
    format!(
        r#"{{"123":[{{"type":"whatsapp_business_management","call_count":100,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":{minutes}}}]}}"#
    )
}

#[tokio::test]
async fn get_retries_throttling_then_succeeds() {
    let server = Server::start().await;
    server.reply([
        Reply::json(400, THROTTLED).with_header("x-business-use-case-usage", &usage(0)),
        Reply::graph_error(500, 2, r#","is_transient":true"#),
        Reply::json(200, r#"{"id":"123"}"#),
    ]);
    let r = client(&server).waba(&id("123")).get().send().await.unwrap();
    assert_eq!(r.meta().attempts(), 3);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn get_retries_5xx_html_and_dropped_connections() {
    let server = Server::start().await;
    server.reply([
        Reply::html(503, "<html>busy</html>"),
        Reply::Drop,
        Reply::json(200, r#"{"id":"1"}"#),
    ]);
    let r = client(&server).waba(&id("1")).get().send().await.unwrap();
    assert_eq!(r.meta().attempts(), 3);
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = Server::start().await;
    server.fallback(Reply::json(400, THROTTLED));
    let c = support::builder(&server)
        .retry_policy(support::fast_retries(3))
        .build()
        .unwrap();
    let err = c.waba(&id("1")).get().send().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::WhatsAppBusinessRateLimit));
    assert!(err.is_throttled());
    assert_eq!(err.graph().unwrap().attempts, 3);
    assert_eq!(server.requests().len(), 3);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn regain_access_beyond_max_delay_returns_at_once() {
    let server = Server::start().await;
    server
        .fallback(Reply::json(400, THROTTLED).with_header("x-business-use-case-usage", &usage(5)));
    let err = client(&server)
        .waba(&id("123"))
        .get()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        server.requests().len(),
        1,
        "a 5-minute wait is not slept through"
    );
    assert_eq!(
        err.usage().unwrap().regain_access_after(),
        Some(Duration::from_secs(300))
    );
}

#[tokio::test]
async fn non_retryable_codes_are_not_retried() {
    let server = Server::start().await;
    server.fallback(Reply::graph_error(400, 190, ""));
    let err = client(&server)
        .waba(&id("1"))
        .get()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidAccessToken));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = Server::start().await;
    server.fallback(Reply::json(400, THROTTLED));
    let c = support::builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    c.waba(&id("1")).get().send().await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn idempotent_post_and_delete_are_retried() {
    let server = Server::start().await;
    server.reply([
        Reply::html(502, "bad gateway"),
        Reply::json(200, r#"{"success":true}"#),
        Reply::Drop,
        Reply::json(200, r#"{"success":true}"#),
    ]);
    let c = client(&server);
    assert!(
        c.waba(&id("1"))
            .assigned_users()
            .add(&id("2"), [waba_api::models::Task::Manage])
            .send()
            .await
            .unwrap()
            .success
    );
    assert!(
        c.waba(&id("1"))
            .assigned_users()
            .remove(&id("2"))
            .send()
            .await
            .unwrap()
            .success
    );
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn phone_number_create_is_never_resent_after_a_5xx() {
    let server = Server::start().await;
    server.fallback(Reply::graph_error(500, 2, r#","is_transient":true"#));
    let err = client(&server)
        .waba(&id("1"))
        .phone_numbers()
        .create("1", "5550100", "Example Co")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    // Graph failed on its side: the number may exist, so a blind retry could create a second.
    assert!(err.may_have_been_applied(), "{err}");
    assert!(
        !err.is_retryable(),
        "check the account's numbers before creating again"
    );
    assert_eq!(err.code(), Some(waba_api::ErrorCode::ApiService));

    let server = Server::start().await;
    server.fallback(Reply::html(502, "<html>proxy</html>"));
    let err = client(&server)
        .waba(&id("1"))
        .phone_numbers()
        .create("1", "5550100", "Example Co")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert!(err.may_have_been_applied());
    assert!(err.to_string().contains("may have been applied"), "{err}");
}

#[tokio::test]
async fn phone_number_create_is_never_resent_after_a_dropped_connection() {
    let server = Server::start().await;
    server.fallback(Reply::Drop);
    let err = client(&server)
        .waba(&id("1"))
        .phone_numbers()
        .create("1", "5550100", "Example Co")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1, "the server saw it once");
    assert!(
        matches!(
            err,
            Error::Transport {
                may_have_been_applied: true,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn phone_number_create_throttled_is_not_resent() {
    let server = Server::start().await;
    // Graph marks some throttles transient; a throttle still means nothing was applied.
    server.fallback(Reply::json(
        400,
        THROTTLED.replace("\"code\":80008", "\"code\":80008,\"is_transient\":true"),
    ));
    let err = client(&server)
        .waba(&id("1"))
        .phone_numbers()
        .create("1", "5550100", "Example Co")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(err.code(), Some(ErrorCode::WhatsAppBusinessRateLimit));
    assert!(err.graph().unwrap().is_transient);
    assert!(!err.may_have_been_applied(), "{err}");
}

#[tokio::test]
async fn connect_failures_are_retried_even_for_creates() {
    // A port with no listener: nothing can reach a server, so retrying cannot duplicate a write.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    // A token of realistic length: a one-letter token is found in any text, so the client would
    // keep only a redacted copy of the cause.
    let c = waba_api::Client::builder("EAAtesttoken0123")
        .base_url(format!("http://{addr}"))
        .retry_policy(support::fast_retries(3))
        .build()
        .unwrap();
    let err = c
        .waba(&id("1"))
        .phone_numbers()
        .create("1", "5550100", "Example Co")
        .send()
        .await
        .unwrap_err();
    // The cause is kept: reqwest's own error, without its URL.
    let cause = std::error::Error::source(&err)
        .and_then(|s| s.downcast_ref::<reqwest::Error>())
        .expect("reqwest's error is the source");
    assert!(cause.is_connect() && cause.url().is_none(), "{cause:?}");
    match err {
        Error::Transport {
            kind,
            attempts,
            may_have_been_applied,
            ..
        } => {
            assert_eq!(kind, TransportKind::Connect);
            assert_eq!(attempts, 3);
            assert!(!may_have_been_applied);
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    // Following one would re-send a write's body, and the query (with its proof) to another host.
    let server = Server::start().await;
    let elsewhere = Server::start().await;
    server.fallback(Reply::json(307, "{}").with_header(
        "location",
        &format!(
            "{}/{}/1/phone_numbers",
            elsewhere.base_url,
            waba_api::GRAPH_API_VERSION
        ),
    ));
    let err = client(&server)
        .waba(&id("1"))
        .phone_numbers()
        .create("1", "5550100", "Example Co")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(307));
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Redirect,
                may_have_been_applied: false,
                source: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(server.requests().len(), 1);
    assert!(elsewhere.requests().is_empty());

    // A supplied reqwest builder whose policy follows redirects (reqwest's default) gets the
    // no-redirect policy too.
    let err = support::builder(&server)
        .http_client(waba_api::reqwest::Client::builder())
        .build()
        .unwrap()
        .waba(&id("1"))
        .phone_numbers()
        .create("1", "5550100", "Example Co")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Redirect,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 2);
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn only_the_called_objects_throttle_delays_a_retry() {
    // Another WABA's 5-minute throttle must not stop a retry of this WABA's call.
    let server = Server::start().await;
    server.reply([
        Reply::json(400, THROTTLED).with_header("x-business-use-case-usage", r#"{"999":[{"type":"whatsapp_business_management","call_count":100,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":5}]}"#),
        Reply::json(200, r#"{"id":"123"}"#),
    ]);
    let r = client(&server).waba(&id("123")).get().send().await.unwrap();
    assert_eq!(r.meta().attempts(), 2);
}

#[tokio::test]
async fn a_create_answered_too_large_was_applied() {
    let server = Server::start().await;
    server.fallback(Reply::json(
        200,
        format!(r#"{{"id":"1","pad":"{}"}}"#, "x".repeat(4096)),
    ));
    let c = support::builder(&server)
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let err = c
        .waba(&id("1"))
        .phone_numbers()
        .create("1", "5550100", "Example Co")
        .send()
        .await
        .unwrap_err();
    assert!(err.may_have_been_applied() && !err.is_retryable(), "{err}");
    // The same answer to an idempotent write needs no such warning.
    let err = c
        .waba(&id("1"))
        .assigned_users()
        .remove(&id("2"))
        .send()
        .await
        .unwrap_err();
    assert!(!err.may_have_been_applied(), "{err}");
}
