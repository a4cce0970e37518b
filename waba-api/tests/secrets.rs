//! Secret hygiene against waba-mock: with a recognizable access token and app secret, every
//! operation (`waba_api::ops::OPERATIONS`) and every error kind the client has is driven while
//! everything is logged at TRACE, reqwest's and hyper's own `log`/`tracing` records included
//! (captured the way `RUST_LOG=trace` would show them). Neither secret nor the
//! `appsecret_proof` (plain or timed) may appear in any log line, any `Debug`/`Display` text of
//! a client, request, response or error, or in anything the mock stored.
//!
//! One test per binary: it installs the global subscriber (and the `log` bridge).

use std::collections::BTreeSet;
use std::time::Duration;

use futures::TryStreamExt;
use waba_api::ids::{BusinessId, WabaId};
use waba_api::{
    Client, Error, OperationSpec, PageStream, PathPart, Request, RetryPolicy, TransportKind, ops,
};
use waba_mock::{FaultKind, FaultRule, MockConfig, MockServer, Seed};

mod support;
use support::{Capture, example_request, hmac_hex};

const TOKEN: &str = "EAAGsecrettokenZZZ0123456789QQQ";
const WRONG_TOKEN: &str = "EAAGwrongtokenYYY9876543210PPP";
const APP_SECRET: &str = "appsecretXXX0123456789abcdefWWW";

/// Every text that must stay clean, with where it came from.
#[derive(Default)]
struct Texts(Vec<(String, String)>);

impl Texts {
    fn push(&mut self, what: impl Into<String>, text: String) {
        self.0.push((what.into(), text));
    }
    fn result<T: std::fmt::Debug>(&mut self, what: &str, r: &Result<T, Error>) {
        match r {
            Ok(v) => self.push(what, format!("{v:?}")),
            Err(e) => {
                // The causes too: a transport error keeps reqwest's error as its source.
                let mut text = format!("{e}\n{e:?}");
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    text.push_str(&format!("\n{s}\n{s:?}"));
                    source = s.source();
                }
                self.push(what, text)
            }
        }
    }
}

/// Error kinds seen, by variant name.
fn variant(e: &Error) -> &'static str {
    match e {
        Error::Graph(_) => "Graph",
        Error::InvalidRequest { .. } => "InvalidRequest",
        Error::Transport { .. } => "Transport",
        Error::Http { .. } => "Http",
        Error::Decode { .. } => "Decode",
        Error::TooLarge { .. } => "TooLarge",
        Error::Pagination { .. } => "Pagination",
        _ => "other",
    }
}

/// Runs one operation, built from the spec's data (`support::example_request`); a listing is
/// read to its end, two items a page. Returns the error when it failed.
async fn run(
    c: &Client,
    mock: &MockServer,
    op: &'static OperationSpec,
    texts: &mut Texts,
) -> Option<Error> {
    let mut request = example_request(mock, op, None);
    if op.paginated {
        request.text("limit", "2");
        let r = PageStream::<serde_json::Value>::new(c.clone(), request)
            .try_collect::<Vec<_>>()
            .await;
        texts.result(op.name, &r);
        return r.err();
    }
    let r = ops::send_any(c, request).await;
    texts.result(op.name, &r);
    r.err()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_any_log_text_error_or_stored_value() {
    use tracing_subscriber::util::SubscriberInitExt;
    let capture = Capture::default();
    let writer = capture.clone();
    // As `RUST_LOG=trace`: every target, reqwest's and hyper's included; the `log` records of
    // dependencies come through tracing-log's bridge, which `try_init` installs.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish()
        .try_init()
        .expect("the only subscriber of this test binary");

    let mock = MockServer::start(MockConfig {
        require_appsecret_proof: true,
        // Node deletes get objects of their own: each call of one below may remove its object.
        seed: support::with_write_objects(
            Seed {
                access_token: TOKEN.into(),
                app_secret: APP_SECRET.into(),
                ..Seed::default()
            },
            16,
        ),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let waba: WabaId = mock.seed().waba_ids[0].parse().unwrap();
    let business: BusinessId = mock.seed().business_id.parse().unwrap();
    let builder = |token: &str| {
        Client::builder(token)
            .app_secret(APP_SECRET)
            .base_url(mock.base_url())
            .retry_policy(RetryPolicy::none())
            .timeout(Duration::from_secs(5))
    };
    let client = builder(TOKEN).build().unwrap();
    let timed = builder(TOKEN).timed_appsecret_proof(true).build().unwrap();
    let mut texts = Texts::default();
    let mut kinds: BTreeSet<&'static str> = BTreeSet::new();
    texts.push("client", format!("{client:?} {timed:?}"));
    texts.push("builder", format!("{:?}", builder(TOKEN)));

    // Every operation succeeds, with the plain and the timed proof.
    for c in [&client, &timed] {
        for op in ops::OPERATIONS {
            let e = run(c, &mock, op, &mut texts).await;
            assert!(e.is_none(), "{}: {e:?}", op.name);
        }
    }
    texts.push(
        "request",
        format!(
            "{:?}",
            client
                .waba(&waba)
                .assigned_users()
                .list(&business)
                .to_request()
        ),
    );

    // Every injected fault on every operation (retries off, so each surfaces as an error).
    let faults = [
        FaultKind::Throttle,
        FaultKind::ServerError,
        FaultKind::Transient,
        FaultKind::BadGateway,
        FaultKind::TruncatedBody,
        FaultKind::Drop,
        FaultKind::DropAfterApply,
    ];
    for op in ops::OPERATIONS {
        for f in faults {
            mock.faults()
                .add(FaultRule::new(f).operation(op.name).times(1))
                .unwrap();
            let e = run(&client, &mock, op, &mut texts).await;
            let e = e.unwrap_or_else(|| panic!("{} with {f:?} succeeded", op.name));
            kinds.insert(variant(&e));
        }
    }

    // Graph's own errors: an unknown object, a wrong token, a missing proof.
    let missing: WabaId = "999999999999".parse().unwrap();
    let r = client.waba(&missing).get().send().await;
    texts.result("unknown object", &r);
    kinds.insert(variant(&r.unwrap_err()));
    let wrong = builder(WRONG_TOKEN).build().unwrap();
    for op in ops::OPERATIONS {
        let e = run(&wrong, &mock, op, &mut texts)
            .await
            .expect("wrong token");
        assert_eq!(e.status(), Some(400), "{e}");
    }
    let no_proof = Client::builder(TOKEN)
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    for op in ops::OPERATIONS {
        let e = run(&no_proof, &mock, op, &mut texts).await;
        assert!(e.is_some(), "the mock requires appsecret_proof");
    }

    // The client's own error kinds: a body of another shape, a body over the limit, a request
    // that cannot be sent, a timeout and nothing listening.
    let req = client.waba(&waba).get().to_request();
    let r = client.send::<Vec<u32>>(req.clone()).await;
    texts.result("decode", &r);
    kinds.insert(variant(&r.unwrap_err()));
    let small = builder(TOKEN).max_response_bytes(16).build().unwrap();
    let r = small.send::<serde_json::Value>(req.clone()).await;
    texts.result("too large", &r);
    kinds.insert(variant(&r.unwrap_err()));
    let mut invalid = Request::new(
        &ops::GetWhatsAppBusinessAccount::SPEC,
        &[PathPart::Text("/"), PathPart::Id(waba.graph_id())],
    );
    // JSON object keys must be strings: this parameter cannot be encoded.
    invalid.param("bad", &std::collections::BTreeMap::from([((1, 2), 3)]));
    let r = client.send::<serde_json::Value>(invalid).await;
    texts.result("invalid", &r);
    kinds.insert(variant(&r.unwrap_err()));
    mock.faults()
        .add(
            FaultRule::new(FaultKind::Latency)
                .operation("GetWhatsAppBusinessAccount")
                .latency_ms(1_500),
        )
        .unwrap();
    let hasty = builder(TOKEN)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let r = hasty.send::<serde_json::Value>(req.clone()).await;
    texts.result("timeout", &r);
    assert!(
        matches!(
            r,
            Err(Error::Transport {
                kind: TransportKind::Timeout,
                ..
            })
        ),
        "{r:?}"
    );
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let nowhere = Client::builder(TOKEN)
        .app_secret(APP_SECRET)
        .base_url(format!("http://{addr}"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let r = nowhere.send::<serde_json::Value>(req).await;
    texts.result("connect", &r);
    kinds.insert(variant(&r.unwrap_err()));
    // `Pagination` (a repeated cursor) cannot come from the mock, whose cursors are correct;
    // tests/redaction.rs and tests/paging.rs drive it against the scripted server.
    let expected: BTreeSet<&str> = [
        "Graph",
        "InvalidRequest",
        "Transport",
        "Http",
        "Decode",
        "TooLarge",
    ]
    .into();
    assert_eq!(
        kinds, expected,
        "every error kind but Pagination was driven"
    );

    // What the mock stored comes from the request parameters: no credential among them.
    for op in ops::OPERATIONS {
        if let Some(edge) = support::edge_of(op) {
            for owner in mock.objects_of(op.node) {
                for p in mock.created(&owner, edge) {
                    texts.push("stored object", format!("{p:?}"));
                }
            }
        }
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    mock.shutdown().await;

    let logs = capture.text();
    assert!(logs.contains("graph_request"), "no client span captured");
    assert!(
        logs.contains("reqwest") || logs.contains("hyper"),
        "no reqwest/hyper record captured: the TRACE capture would prove nothing"
    );
    let lines = logs.lines().count();
    texts.push("logs", logs);

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut secrets = vec![
        TOKEN.to_string(),
        WRONG_TOKEN.to_string(),
        APP_SECRET.to_string(),
        hmac_hex(APP_SECRET, TOKEN),
        hmac_hex(APP_SECRET, WRONG_TOKEN),
    ];
    // Timed proofs of the last minute.
    for t in now.saturating_sub(60)..=now {
        secrets.push(hmac_hex(APP_SECRET, &format!("{TOKEN}|{t}")));
    }
    for (what, text) in &texts.0 {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{what} leaks {s}:\n{text}");
        }
    }
    println!(
        "{} texts and {lines} log lines checked; error kinds driven: {kinds:?}",
        texts.0.len()
    );
}
