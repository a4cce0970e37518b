//! Hostile input, proven against waba-mock: IDs that try to leave their path segment are
//! rejected before anything is sent; parameter values with `&`, `=`, quotes, newlines,
//! `%2F`, `#`, `?` and non-ASCII travel encoded and arrive exactly as given (the mock stores the
//! parameters an object was created with, for every create of `waba_api::ops::OPERATIONS`); an
//! oversized response is refused with a typed
//! error. (Deeply nested and truncated JSON is covered by tests/errors.rs and the decoder fuzz
//! regressions: waba-mock only sends well-formed bodies.)

use std::collections::BTreeMap;

use waba_api::ids::WabaId;
use waba_api::models::{Filter, FilterOperator, WhatsAppBusinessAccountField as F};
use waba_api::{Client, Error, GraphId, Paginated, RetryPolicy, ops};
use waba_mock::{MockConfig, MockServer};

mod support;

const HOSTILE_IDS: &[&str] = &[
    "123/456",
    "123/../456",
    "..",
    "../me",
    "1?fields=access_token",
    "1#frag",
    "1%2F2",
    "%2e%2e",
    "1 2",
    " 1",
    "1\n2",
    "1\r\nHost: evil",
    "١٢٣",
    "１２３",
    "12\u{0}",
    "-1",
    "1.5",
    "0x10",
    "",
    "99999999999999999999999999999999999",
];

const HOSTILE_VALUES: &[&str] = &[
    "a&b=c",
    "&access_token=evil",
    "x&appsecret_proof=00",
    "=",
    "==&&",
    "\"quoted\" 'single'",
    "line1\nline2\r\nline3",
    "%2F%26%3D",
    "a+b c",
    "#fragment?query=1",
    "../../me",
    "Ünïcödé ☕ 日本語 𝄞",
    "\u{0}nul",
    "\t tab",
    "<script>alert(1)</script>",
    "{\"json\":[1,2]}",
];

async fn start() -> (MockServer, Client) {
    let mock = MockServer::start(MockConfig {
        require_appsecret_proof: true,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let s = mock.seed().clone();
    let client = Client::builder(&s.access_token)
        .app_secret(&s.app_secret)
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    (mock, client)
}

#[tokio::test]
async fn hostile_ids_are_rejected_before_sending() {
    let (mock, _client) = start().await;
    for bad in HOSTILE_IDS {
        let err = GraphId::new(*bad).expect_err(bad);
        let msg = err.to_string();
        assert!(msg.starts_with("invalid Graph ID"), "{bad:?}: {msg}");
        assert!(
            !msg.contains('\n') && !msg.contains('\r'),
            "one line: {msg:?}"
        );
        assert!(msg.len() < 200, "bounded: {msg}");
        assert!(bad.parse::<GraphId>().is_err());
        assert!(GraphId::try_from(bad.to_string()).is_err());
        // IDs inside a response are validated too.
        let json = serde_json::to_string(bad).unwrap();
        assert!(serde_json::from_str::<GraphId>(&json).is_err(), "{bad:?}");
        // Typed IDs validate as GraphId does, in requests and in responses.
        assert!(bad.parse::<WabaId>().is_err());
        assert!(serde_json::from_str::<WabaId>(&json).is_err(), "{bad:?}");
    }
    assert_eq!(mock.stats().total_requests, 0, "nothing was sent");
    // The longest valid ID and every digit still work, and reach the intended path: the mock
    // answers "unknown object" for exactly that ID. (Many node types share `GET /{id}`, so the
    // mock cannot tell which operation an unknown object's read was: its message names the ID.)
    let (mock, client) = start().await;
    let long = "9".repeat(32);
    let id = WabaId::new(long.clone()).unwrap();
    let err = client.waba(&id).get().send().await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    match &err {
        Error::Graph(g) => {
            assert_eq!(g.code.as_i64(), 100, "{err}");
            assert!(
                g.message
                    .contains(&format!("Object with ID '{long}' does not exist")),
                "{err}"
            );
        }
        other => panic!("{other:?}"),
    }
    let log = mock.stats();
    assert_eq!(log.total_requests, 1, "{log:?}");
}

#[tokio::test]
async fn hostile_parameter_values_arrive_exactly_as_given() {
    let (mock, client) = start().await;
    let s = mock.seed().clone();
    // Every create of the spec: each text parameter carries a hostile value, the other required
    // ones their example. Where the mock creates an object (it stores the parameters an object
    // was created with), it is the one answered and its parameters are exactly those sent;
    // writes the mock only answers (an action's `{id}`, a solution's `solution_id`, a write on
    // the node itself) only have to be accepted.
    let (mut created, mut accepted_only) = (0, Vec::new());
    for spec in ops::OPERATIONS.iter().filter(|o| o.is_unrepeatable_write()) {
        let edge = support::edge_of(spec);
        let owner_id = support::object_for(&mock, spec);
        let owner = owner_id.to_string();
        for (i, v) in HOSTILE_VALUES.iter().enumerate() {
            let mut request = support::request_for(spec, &owner_id);
            let mut expected = BTreeMap::new();
            for p in spec.params {
                let value = match (p.ty, p.required) {
                    ("string", _) => {
                        let value = format!("{v}{i}");
                        request.text(p.name, value.clone());
                        value
                    }
                    // The example with its type (a JSON body is typed); the mock keeps a
                    // non-string value as its JSON text, which is what the request holds.
                    (_, true) => {
                        request.example(p);
                        request.get(p.name).expect("an example").to_string()
                    }
                    _ => continue,
                };
                expected.insert(p.name.to_string(), value);
            }
            let stored =
                |mock: &MockServer| edge.map_or_else(Vec::new, |e| mock.created(&owner, e));
            let before = stored(&mock).len();
            let r = client
                .send::<serde_json::Value>(request)
                .await
                .unwrap_or_else(|e| panic!("{} {v:?}: {e}", spec.name));
            let new = stored(&mock).split_off(before);
            let [object] = &new[..] else {
                assert!(new.is_empty(), "{} {v:?}: {new:?}", spec.name);
                accepted_only.push(spec.name);
                continue;
            };
            assert_eq!(Some(object.id.as_str()), r["id"].as_str(), "{}", spec.name);
            assert_eq!(
                object.params, expected,
                "{} {v:?}: no parameter was split or added",
                spec.name
            );
            created += 1;
        }
        let stats = mock.stats();
        assert_eq!(
            stats.requests_of(spec.name),
            HOSTILE_VALUES.len() as u64,
            "each call reached the intended route once, authenticated: {stats:?}"
        );
    }
    assert!(
        created > 0,
        "the spec has no create to carry hostile values"
    );
    assert_eq!(mock.stats().created.values().sum::<u64>(), created);
    accepted_only.dedup();
    println!(
        "{created} creates stored exactly what was sent; accepted, creating nothing: {accepted_only:?}"
    );

    // In a GET's query string too: a filter whose value is hostile reaches the mock as one
    // `filtering` parameter, so the listing is filtered (to nothing) rather than broken.
    for v in HOSTILE_VALUES {
        let page = client
            .business(&s.business_id.parse().unwrap())
            .client_wabas()
            .list()
            .fields([F::Id, F::Name])
            .filtering([Filter {
                field: "name".into(),
                operator: FilterOperator::Equal,
                value: serde_json::json!(v),
                extra: Default::default(),
            }])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{v:?}: {e}"));
        assert!(page.data.is_empty(), "{v:?} matched {:?}", page.data);
    }
    let stats = mock.stats();
    assert_eq!(
        stats.requests_of("ListClientWhatsAppBusinessAccounts"),
        HOSTILE_VALUES.len() as u64
    );
    assert!(stats.fault_log.is_empty());
}

#[tokio::test]
async fn oversized_responses_are_refused() {
    let mock = MockServer::start(MockConfig::default().users(200))
        .await
        .unwrap();
    let s = mock.seed().clone();
    let client = Client::builder(&s.access_token)
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::none())
        .max_response_bytes(4 * 1024)
        .build()
        .unwrap();
    let err = client
        .waba(&s.waba_ids[0].parse().unwrap())
        .assigned_users()
        .list(&s.business_id.parse().unwrap())
        .limit(100)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::TooLarge { limit: 4096, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("larger than 4096 bytes"), "{err}");
    // A page under the limit is fine with the same client.
    let page = client
        .waba(&s.waba_ids[0].parse().unwrap())
        .assigned_users()
        .list(&s.business_id.parse().unwrap())
        .limit(3)
        .send()
        .await
        .unwrap();
    assert_eq!(page.data.len(), 3);
}
