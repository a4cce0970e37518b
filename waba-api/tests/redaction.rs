//! The access token, the app secret and the `appsecret_proof` appear in no URL, log line,
//! `Debug` string or error message.

mod support;

use support::{APP_SECRET, Capture, Reply, Server, TOKEN, id};

#[tokio::test]
async fn secrets_never_leak() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::start().await;
    let proof = support::hmac_hex(APP_SECRET, TOKEN);
    // A hostile server echoes every credential back in bodies, messages and links.
    let echo = format!(
        "token {TOKEN} secret {APP_SECRET} proof {proof} access_token={TOKEN}&appsecret_proof={proof}"
    );
    server.reply([
        Reply::json(200, r#"{"id":"1","name":"ok"}"#),
        Reply::json(400, format!(r#"{{"error":{{"message":"{echo}","type":"OAuthException","code":190,"error_user_msg":"{echo}","error_data":"{echo}"}}}}"#)),
        Reply::html(502, &echo),
        Reply::json(200, format!(r#"{{"data":[{{"id":"1","tasks":"{echo}"}}]}}"#)),
        Reply::json(400, r#"{"error":{"message":"throttled","type":"OAuthException","code":80008}}"#),
        Reply::json(200, r#"{"success":true}"#),
        Reply::Drop,
    ]);
    let c = support::builder(&server)
        .app_secret(APP_SECRET)
        .retry_policy(waba_api::RetryPolicy::none())
        .build()
        .unwrap();
    let mut texts = vec![format!("{c:?}")];
    let ok = c.waba(&id("1")).get().send().await.unwrap();
    texts.push(format!("{ok:?}"));
    for e in [
        c.waba(&id("1")).get().send().await.unwrap_err(),
        c.waba(&id("1")).get().send().await.unwrap_err(),
        c.waba(&id("1"))
            .assigned_users()
            .list(&id("2"))
            .send()
            .await
            .unwrap_err(),
        c.waba(&id("1"))
            .assigned_users()
            .add(&id("2"), [waba_api::models::Task::Manage])
            .send()
            .await
            .unwrap_err(),
    ] {
        texts.push(format!("{e}"));
        texts.push(format!("{e:?}"));
    }
    texts.push(format!(
        "{:?}",
        c.waba(&id("1"))
            .assigned_users()
            .remove(&id("2"))
            .send()
            .await
            .unwrap()
    ));
    let dropped = c
        .waba(&id("1"))
        .phone_numbers()
        .create("1", "2", "Example Co")
        .send()
        .await
        .unwrap_err();
    texts.push(format!("{dropped} {dropped:?}"));
    texts.push(format!(
        "{:?}",
        c.waba(&id("1"))
            .assigned_users()
            .list(&id("2"))
            .to_request()
    ));
    texts.push(format!(
        "{:?}",
        waba_api::Client::builder(TOKEN).app_secret(APP_SECRET)
    ));
    let logs = capture.text();
    assert!(
        logs.contains("graph_request"),
        "tracing captured nothing:\n{logs}"
    );
    texts.push(logs);

    for (i, text) in texts.iter().enumerate() {
        for secret in [TOKEN, APP_SECRET, proof.as_str()] {
            assert!(!text.contains(secret), "text {i} leaks {secret}:\n{text}");
        }
    }
    // The token only ever travels in the Authorization header, never in a URL.
    for r in server.requests() {
        assert!(!r.path.contains(TOKEN) && !r.query.contains(TOKEN), "{r:?}");
        assert!(!r.query.contains(APP_SECRET) && !r.body.contains(APP_SECRET));
    }
}
