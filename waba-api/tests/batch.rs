//! Batch requests against waba-mock: builders sent concurrently on a batching client share one
//! HTTP request and get typed results each; `null` items and failed batches follow the retry
//! rules of single calls (idempotent ones retried on their own, a create never sent again once
//! it may have been applied). Batches here form by `max_items`, never by timing (the linger is
//! longer than any test).

use std::time::Duration;

use waba_api::batch::Batching;
use waba_api::ids::{BusinessId, UserId, WabaId};
use waba_api::models::Task;
use waba_api::{Client, Error, ErrorCode, Pacer, Paginated, RetryPolicy};
use waba_mock::{FaultKind, FaultRule, MockConfig, MockServer};

mod support;
use support::mock_client;

async fn setup() -> (MockServer, Client) {
    let mock = MockServer::start(MockConfig {
        require_appsecret_proof: true,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let client = mock_client(
        &mock,
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(50),
        },
    );
    (mock, client)
}

fn batching(max_items: usize) -> Batching {
    Batching {
        max_items,
        linger: Duration::from_secs(600),
    }
}

fn id<T: std::str::FromStr<Err = waba_api::InvalidId>>(s: &str) -> T {
    s.parse().unwrap()
}

#[tokio::test]
async fn builders_share_one_request_with_typed_results_per_item() {
    let (mock, client) = setup().await;
    let s = mock.seed().clone();
    let pacer = Pacer::default();
    let batch = client.with_pacer(pacer.clone()).with_batching(batching(4));
    let (waba, user): (WabaId, UserId) = (id(&s.waba_ids[1]), id(&s.user_ids[20]));
    let (first, business, missing): (WabaId, BusinessId, WabaId) =
        (id(&s.waba_ids[0]), id(&s.business_id), id("999"));
    let (account, page, added, missing) = tokio::join!(
        batch.waba(&waba).get().send(),
        batch
            .waba(&first)
            .assigned_users()
            .list(&business)
            .limit(5)
            .send(),
        batch
            .waba(&waba)
            .assigned_users()
            .add(&user, [Task::Manage])
            .send(),
        batch.waba(&missing).get().send(),
    );
    assert_eq!(account.unwrap().id, waba);
    let page = page.unwrap();
    assert_eq!(page.data.len(), 5);
    assert!(page.paging.is_some());
    assert!(added.unwrap().success);
    // An item's own Graph error comes back typed, with its own status and usage.
    let e = missing.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidParameter), "{e}");
    let stats = mock.stats();
    assert_eq!(
        (stats.http_requests, stats.batches, stats.total_requests),
        (1, 1, 4)
    );
    // The proof travelled once, at the top level (the mock requires it of every call).
    // The pacer counted calls, not requests.
    assert_eq!(pacer.stats().calls, 4);
    mock.shutdown().await;
}

#[tokio::test]
async fn null_items_retry_if_idempotent_and_creates_are_never_sent_twice() {
    let (mock, client) = setup().await;
    let s = mock.seed().clone();
    let waba: WabaId = id(&s.waba_ids[0]);
    let batch = client.with_batching(batching(2));
    // Graph answers `null` for both: the create was applied, the read was not.
    mock.faults()
        .fail_next("CreatePhoneNumber", FaultKind::DropAfterApply, 1)
        .unwrap();
    mock.faults()
        .fail_next("GetWhatsAppBusinessAccount", FaultKind::Drop, 1)
        .unwrap();
    let (created, read) = tokio::join!(
        batch
            .waba(&waba)
            .phone_numbers()
            .create("1", "5550001", "Example Co")
            .send(),
        batch.waba(&waba).get().send(),
    );
    let e = created.unwrap_err();
    assert!(e.may_have_been_applied(), "{e}");
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
    assert_eq!(read.unwrap().id, waba, "the read was retried on its own");
    let stats = mock.stats();
    assert_eq!(stats.requests_of("CreatePhoneNumber"), 1, "not sent again");
    assert_eq!(stats.requests_of("GetWhatsAppBusinessAccount"), 2);
    assert_eq!(
        (stats.batches, stats.http_requests),
        (1, 2),
        "the retry went alone"
    );
    assert_eq!(stats.created_of("WhatsAppBusinessPhoneNumber"), 1);

    // The batch request as a whole is applied, then its connection drops: the create may have
    // been applied and is not re-sent; the read is retried.
    mock.faults()
        .add(FaultRule::new(FaultKind::DropAfterApply))
        .unwrap();
    let (created, read) = tokio::join!(
        batch
            .waba(&waba)
            .phone_numbers()
            .create("1", "5550002", "Example Co")
            .send(),
        batch.waba(&waba).get().send(),
    );
    assert!(created.unwrap_err().may_have_been_applied());
    assert!(read.is_ok());
    let stats = mock.stats();
    assert_eq!(stats.requests_of("CreatePhoneNumber"), 2);
    assert_eq!(stats.created_of("WhatsAppBusinessPhoneNumber"), 2);
    let numbers: Vec<String> = mock
        .created(waba.as_str(), "phone_numbers")
        .into_iter()
        .map(|c| c.params["phone_number"].clone())
        .collect();
    assert_eq!(numbers, ["5550001", "5550002"], "each once");

    // Refused as a whole before anything ran (a proxy's 502): each call gets the 502 (after
    // which a create cannot know whether it was applied, so it is not re-sent); the read is
    // retried.
    mock.faults()
        .add(FaultRule::new(FaultKind::BadGateway))
        .unwrap();
    let (created, read) = tokio::join!(
        batch
            .waba(&waba)
            .phone_numbers()
            .create("1", "5550003", "Example Co")
            .send(),
        batch.waba(&waba).get().send(),
    );
    let e = created.unwrap_err();
    assert_eq!(e.status(), Some(502), "{e}");
    assert!(read.is_ok());
    assert_eq!(
        mock.stats().requests_of("CreatePhoneNumber"),
        2,
        "never reached the mock"
    );
    assert_eq!(mock.stats().created_of("WhatsAppBusinessPhoneNumber"), 2);
    mock.shutdown().await;
}
