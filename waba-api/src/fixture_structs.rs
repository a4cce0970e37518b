//! The code generated from codegen's struct fixture (`codegen/tests/fixtures/structs`: value
//! types, maps, `oneOf` types, JSON bodies), compiled into this crate's unit tests: the real spec
//! has none of these shapes yet, so this is where the generator's output for them is
//! type-checked against the runtime and sent over real HTTP, to a scripted server (the exact
//! wire format) and to waba-mock serving the fixture (the mock accepts it, and rejects a body
//! whose members lack their JSON types).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{Client, Error, RetryPolicy};

/// The reviewed snapshot of the fixture's generated code (`WABA_BLESS=1 cargo test -p
/// waba-codegen --test structs` rewrites it); only part of it is exercised here.
#[allow(dead_code, unreachable_pub, clippy::all)]
mod generated {
    include!("../../codegen/tests/snapshots/structs_generated.rs");
}

use generated::ids::ShopId;
use generated::models::{
    BodyComponent, BodyExample, Component, Contact, EmailContact, HeaderComponent, HeaderFormat,
    OpeningHours, PhoneContact, ShopField, ShopSettings, TemplateStatus,
};

const SHOP: &str = "900000000000042";

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/structs")
}

fn components() -> Vec<Component> {
    let mut header = HeaderComponent::new("HEADER".into(), HeaderFormat::Text);
    header.text = Some("Our summer sale".into());
    let mut body = BodyComponent::new("BODY".into(), "Hi {{1}}, {{2}} off today".into());
    body.example = Some(BodyExample::new(vec![vec!["Ada".into(), "25%".into()]]));
    vec![
        Component::HeaderComponent(header),
        Component::BodyComponent(body),
    ]
}

/// One HTTP exchange with a scripted server: the request's head and body as received.
struct Captured {
    head: String,
    body: Vec<u8>,
}

/// A server that answers one request with `answer` (JSON) and hands back what it received.
async fn scripted(answer: &'static str) -> (String, tokio::task::JoinHandle<Captured>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let (head_end, length) = loop {
            let n = socket.read(&mut chunk).await.unwrap();
            assert!(n > 0, "connection closed before the request head ended");
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                break (i + 4, length);
            }
        };
        while buf.len() < head_end + length {
            let n = socket.read(&mut chunk).await.unwrap();
            assert!(n > 0, "connection closed before the body ended");
            buf.extend_from_slice(&chunk[..n]);
        }
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        );
        socket.write_all(reply.as_bytes()).await.unwrap();
        Captured {
            head: String::from_utf8_lossy(&buf[..head_end]).into_owned(),
            body: buf[head_end..head_end + length].to_vec(),
        }
    });
    (base, task)
}

#[tokio::test]
async fn a_json_body_operation_sends_one_typed_json_object() {
    let (base, server) =
        scripted(r#"{"id":"1234","status":"PENDING","category":"MARKETING"}"#).await;
    let client = Client::builder("token-abc")
        .app_secret("secret-xyz")
        .base_url(&base)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let shop: ShopId = SHOP.parse().unwrap();
    let response = client
        .shop(&shop)
        .templates()
        .create("summer_sale", components())
        .priority(3)
        .allow_category_change(true)
        .type_("MARKETING")
        .send()
        .await
        .unwrap();
    assert_eq!(response.id, "1234");
    assert_eq!(response.status, TemplateStatus::Pending);
    assert_eq!(response.category.as_deref(), Some("MARKETING"));

    let got = server.await.unwrap();
    let head = got.head.to_ascii_lowercase();
    let request_line = head.lines().next().unwrap().to_string();
    assert!(
        request_line.starts_with(&format!(
            "post /{}/{SHOP}/templates ",
            crate::GRAPH_API_VERSION.to_ascii_lowercase()
        )),
        "{request_line}"
    );
    assert!(!request_line.contains("appsecret_proof"), "{request_line}");
    assert!(
        head.contains("\r\ncontent-type: application/json\r\n"),
        "{head}"
    );
    let body: Value = serde_json::from_slice(&got.body).unwrap();
    let proof = body["appsecret_proof"]
        .as_str()
        .expect("the proof is a body member");
    assert_eq!(proof.len(), 64);
    let mut members = body.as_object().unwrap().clone();
    members.remove("appsecret_proof");
    assert_eq!(
        Value::Object(members),
        json!({
            "name": "summer_sale",
            "components": [
                {"type": "HEADER", "format": "TEXT", "text": "Our summer sale"},
                {"type": "BODY", "text": "Hi {{1}}, {{2}} off today", "example": {"body_text": [["Ada", "25%"]]}}
            ],
            "priority": 3,
            "allow_category_change": true,
            "type": "MARKETING"
        })
    );
}

async fn fixture_mock() -> waba_mock::MockServer {
    waba_mock::MockServer::start(waba_mock::MockConfig {
        spec_dir: Some(fixture_dir()),
        seed: waba_mock::Seed {
            objects: BTreeMap::from([("Shop".to_string(), vec![SHOP.to_string()])]),
            ..waba_mock::Seed::default()
        },
        require_appsecret_proof: true,
        ..waba_mock::MockConfig::default()
    })
    .await
    .unwrap()
}

fn mock_client(mock: &waba_mock::MockServer) -> Client {
    let seed = mock.seed();
    Client::builder(&seed.access_token)
        .app_secret(&seed.app_secret)
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn waba_mock_accepts_json_bodies_with_structs_maps_and_one_ofs() {
    let mock = fixture_mock().await;
    let client = mock_client(&mock);
    let shop: ShopId = SHOP.parse().unwrap();

    let created = client
        .shop(&shop)
        .templates()
        .create("summer_sale", components())
        .priority(3)
        .allow_category_change(false)
        .send()
        .await
        .unwrap();
    assert!(
        TemplateStatus::KNOWN.contains(&created.status),
        "{created:?}"
    );
    // A create answering a struct answers the new object's ID in it.
    assert_eq!(mock.objects_of("MessageTemplate"), vec![created.id.clone()]);

    let mut settings = ShopSettings::new("EUR".into());
    settings.timezone_id = Some(47);
    settings.tags = Some(vec!["shoes".into()]);
    settings.hours = Some(BTreeMap::from([(
        "monday".to_string(),
        OpeningHours::new("09:00".into(), "18:00".into()),
    )]));
    settings.contact = Some(Contact::EmailContact(EmailContact::new(
        "shop@example.com".into(),
    )));
    let updated = client
        .shop(&shop)
        .update(settings.clone())
        .labels(BTreeMap::from([("tier".to_string(), "gold".to_string())]))
        .send()
        .await
        .unwrap();
    assert!(updated.success);

    // The read answers the stored settings, decoded into the generated types.
    let read = client
        .shop(&shop)
        .get()
        .fields([ShopField::Settings, ShopField::Type])
        .send()
        .await
        .unwrap();
    assert!(read.type_.is_some(), "{read:?}");
    // A struct-typed field takes a sub-selection of its members, as a node does.
    let mut request = client.shop(&shop).get().to_request();
    request.text("fields", "settings{currency,hours}");
    let answer = client.send::<Value>(request).await.unwrap();
    assert_eq!(
        answer["settings"],
        json!({"currency": "EUR", "hours": {"monday": {"open": "09:00", "close": "18:00"}}})
    );
    let mut request = client.shop(&shop).get().to_request();
    request.text("fields", "settings{currency,opening}");
    let e = client.send::<Value>(request).await.unwrap_err();
    assert!(
        e.to_string()
            .contains("Tried accessing nonexisting field (opening) on node type (ShopSettings)"),
        "{e}"
    );
    assert_eq!(read.settings.as_ref(), Some(&settings));

    // The same members with a number sent as a JSON string: Graph reads a typed body, so does
    // the mock.
    let mut request = client
        .shop(&shop)
        .templates()
        .create("summer_sale", components())
        .to_request();
    request.text("priority", "3");
    let e = client.send::<Value>(request).await.unwrap_err();
    match &e {
        Error::Graph(g) => {
            assert_eq!(g.code.as_i64(), 100, "{e}");
            assert!(
                g.message
                    .contains("Param priority must be a 32-bit integer"),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }

    // A component whose tag selects no alternative, and one missing a required member.
    for (component, problem) in [
        (
            json!({"type": "FOOTER", "text": "x"}),
            "components[0].type must be one of {HEADER, BODY}",
        ),
        (json!({"type": "BODY"}), "must have the key `text`"),
    ] {
        let mut request = client.shop(&shop).templates().create("t", []).to_request();
        request.param("components", &json!([component]));
        let e = client.send::<Value>(request).await.unwrap_err();
        assert!(e.to_string().contains(problem), "{e}");
    }
}

#[tokio::test]
async fn every_fixture_operation_succeeds_with_every_parameter_at_its_example() {
    // The examples `OperationSpec` carries must be valid values of their types (a struct with
    // its required members, a oneOf alternative with its tag, a map), typed in a JSON body.
    let mock = fixture_mock().await;
    let client = mock_client(&mock);
    let id: crate::GraphId = SHOP.parse().unwrap();
    for spec in generated::ops::OPERATIONS {
        let (head, tail) = spec.path.split_once('{').unwrap();
        let (_, tail) = tail.split_once('}').unwrap();
        let mut parts = vec![crate::PathPart::Text(head), crate::PathPart::Id(&id)];
        if !tail.is_empty() {
            parts.push(crate::PathPart::Text(tail));
        }
        let mut request = crate::Request::new(spec, &parts);
        for p in spec.params {
            request.example(p);
        }
        assert!(request.invalid().is_none(), "{}: {request:?}", spec.name);
        generated::ops::send_any(&client, request)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
    }
    assert_eq!(mock.stats().total_requests, 4);
}

#[tokio::test]
async fn an_untyped_answer_is_a_json_value() {
    let mock = fixture_mock().await;
    let client = mock_client(&mock);
    let shop: ShopId = SHOP.parse().unwrap();
    let answer: Value = client
        .shop(&shop)
        .insights()
        .get(["reach".to_string()])
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(answer.is_object(), "{answer}");
}

#[tokio::test]
async fn in_a_batch_a_json_body_operation_travels_form_encoded() {
    let mock = fixture_mock().await;
    // Two items flush the batch at once; the long linger only keeps the two together on a
    // loaded machine.
    let client = mock_client(&mock).with_batching(crate::batch::Batching {
        max_items: 2,
        linger: std::time::Duration::from_secs(10),
    });
    let shop: ShopId = SHOP.parse().unwrap();
    let handle = client.shop(&shop);
    let (a, b) = tokio::join!(
        handle
            .templates()
            .create("a", components())
            .priority(1)
            .send(),
        handle.update(ShopSettings::new("USD".into())).send(),
    );
    assert!(TemplateStatus::KNOWN.contains(&a.unwrap().status));
    assert!(b.unwrap().success);
    // Both calls went in one batch request.
    assert_eq!(mock.stats().requests_of("CreateTemplate"), 1);
    assert_eq!(mock.stats().requests_of("UpdateShop"), 1);
    assert_eq!(mock.stats().batches, 1);
}

#[test]
fn one_of_types_decode_by_tag_or_in_order_and_keep_unknown_values() {
    let tagged: Vec<Component> = serde_json::from_value(json!([
        {"type": "HEADER", "format": "IMAGE"},
        {"type": "BUTTONS", "buttons": [{"type": "URL"}]}
    ]))
    .unwrap();
    match &tagged[0] {
        Component::HeaderComponent(h) => assert_eq!(h.format, HeaderFormat::Image),
        other => panic!("{other:?}"),
    }
    let unknown = json!({"type": "BUTTONS", "buttons": [{"type": "URL"}]});
    assert_eq!(tagged[1], Component::Unknown(unknown.clone()));
    assert_eq!(serde_json::to_value(&tagged[1]).unwrap(), unknown);
    // A known tag whose value does not fit is an error, not a guess.
    let e = serde_json::from_value::<Component>(json!({"type": "BODY"})).unwrap_err();
    assert!(e.to_string().contains("missing field `text`"), "{e}");

    let contacts: Vec<Contact> = serde_json::from_value(json!([
        {"phone": "+15550001"},
        {"email": "a@example.com"},
        {"fax": "+15550002"}
    ]))
    .unwrap();
    assert_eq!(
        contacts[0],
        Contact::PhoneContact(PhoneContact::new("+15550001".into()))
    );
    assert_eq!(
        contacts[1],
        Contact::EmailContact(EmailContact::new("a@example.com".into()))
    );
    assert_eq!(contacts[2], Contact::Unknown(json!({"fax": "+15550002"})));
    // Members the spec does not list survive a round trip.
    let with_extra = json!({"phone": "+1", "extension": "12"});
    let c: Contact = serde_json::from_value(with_extra.clone()).unwrap();
    assert_eq!(serde_json::to_value(&c).unwrap(), with_extra);
}
