//! waba-api end to end against waba-mock: every operation, state changes, Graph's errors and
//! each injected fault, with the mock's own counters compared with what the client saw.

use futures::TryStreamExt;
use waba_api::ids::{BusinessId, UserId, WabaId};
use waba_api::models::{
    Filter, FilterOperator, OwnershipType, Task, WhatsAppBusinessAccountField as F,
};
use waba_api::{Client, Error, ErrorCode, ErrorSubcode, FilterValue, Paginated, RetryPolicy};
use waba_mock::{FaultKind, FaultRule, MockConfig, MockServer, ThrottleConfig};

struct Env {
    mock: MockServer,
    client: Client,
    business: BusinessId,
    waba: WabaId,
    small_waba: WabaId,
    free_user: UserId,
}

fn retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: std::time::Duration::from_millis(5),
        max_delay: std::time::Duration::from_millis(200),
    }
}

async fn env() -> Env {
    let mock = MockServer::start(MockConfig::default())
        .await
        .expect("mock starts");
    let s = mock.seed().clone();
    let client = Client::builder(&s.access_token)
        .app_secret(&s.app_secret)
        .base_url(mock.base_url())
        .retry_policy(retries())
        .build()
        .unwrap();
    Env {
        business: s.business_id.parse().unwrap(),
        waba: s.waba_ids[0].parse().unwrap(),
        small_waba: s.waba_ids[1].parse().unwrap(),
        free_user: s.user_ids[10].parse().unwrap(),
        client,
        mock,
    }
}

#[tokio::test]
async fn reads_every_field_and_streams_every_page() {
    let e = env().await;
    let w = e
        .client
        .waba(&e.waba)
        .get()
        .fields(F::ALL)
        .send()
        .await
        .unwrap();
    assert_eq!(w.id, e.waba);
    assert!(w.name.is_some() && w.currency.is_some() && w.timezone_id.is_some());
    assert!(w.business_verification_status.is_some() && w.ownership_type.is_some());
    assert!(
        w.extra.is_empty(),
        "the mock sends only documented fields: {:?}",
        w.extra
    );

    let first = e
        .client
        .waba(&e.waba)
        .assigned_users()
        .list(&e.business)
        .summary(true)
        .send()
        .await
        .unwrap();
    assert_eq!(first.summary.as_ref().unwrap().total_count, Some(60));
    assert_eq!(first.data.len(), 25, "Graph's default limit");
    let all: Vec<_> = e
        .client
        .waba(&e.waba)
        .assigned_users()
        .list(&e.business)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 60);
    let mut ids: Vec<_> = all.iter().map(|u| u.id.clone()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 60, "no user twice across pages");
    assert_eq!(e.mock.stats().requests_of("ListAssignedUsers"), 1 + 3);
}

#[tokio::test]
async fn filtering_selects_by_ownership_type() {
    let e = env().await;
    let filter = |values: &[OwnershipType]| {
        Filter::on(
            F::OwnershipType,
            FilterOperator::In,
            FilterValue::list(values),
        )
    };
    let all = e
        .client
        .business(&e.business)
        .client_wabas()
        .list()
        .fields([F::Id, F::OwnershipType])
        .send()
        .await
        .unwrap();
    let own = e
        .client
        .business(&e.business)
        .client_wabas()
        .list()
        .fields([F::Id, F::OwnershipType, F::PermittedTasks])
        .filtering([filter(&[OwnershipType::SelfOwned])])
        .send()
        .await
        .unwrap();
    assert!(!own.data.is_empty() && own.data.len() < all.data.len());
    assert!(
        own.data
            .iter()
            .all(|w| w.ownership_type == Some(OwnershipType::SelfOwned))
    );
    assert!(own.data.iter().all(|w| w.permitted_tasks.is_some()));
}

#[tokio::test]
async fn writes_change_state() {
    let e = env().await;
    let list = || async {
        e.client
            .waba(&e.small_waba)
            .assigned_users()
            .list(&e.business)
            .stream()
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
    };
    let before = list().await.len();
    let r = e
        .client
        .waba(&e.small_waba)
        .assigned_users()
        .add(&e.free_user, [Task::Manage, Task::ViewCost])
        .send()
        .await
        .unwrap();
    assert!(r.success);
    let users = list().await;
    assert_eq!(users.len(), before + 1);
    let added = users.iter().find(|u| u.id == e.free_user).unwrap();
    assert_eq!(
        added.tasks.as_deref(),
        Some(&[Task::Manage, Task::ViewCost][..])
    );
    // Setting the same tasks again is idempotent.
    e.client
        .waba(&e.small_waba)
        .assigned_users()
        .add(&e.free_user, [Task::Manage, Task::ViewCost])
        .send()
        .await
        .unwrap();
    assert_eq!(list().await.len(), before + 1);
    assert!(
        e.client
            .waba(&e.small_waba)
            .assigned_users()
            .remove(&e.free_user)
            .send()
            .await
            .unwrap()
            .success
    );
    assert_eq!(list().await.len(), before);

    let created = e
        .client
        .waba(&e.small_waba)
        .phone_numbers()
        .create("44", "7700900123", "Tea & Co")
        .send()
        .await
        .unwrap();
    let stored = e.mock.created(e.small_waba.as_str(), "phone_numbers");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, created.id.as_str());
    assert_eq!(
        stored[0].params.get("verified_name").map(String::as_str),
        Some("Tea & Co")
    );
}

#[tokio::test]
async fn graph_errors_are_typed() {
    let e = env().await;
    let s = e.mock.seed().clone();
    let err = e
        .client
        .waba(&"987654321".parse().unwrap())
        .get()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.subcode()),
        (
            Some(ErrorCode::InvalidParameter),
            Some(ErrorSubcode::ObjectNotFound)
        )
    );

    let wrong = Client::builder("not-the-token")
        .base_url(e.mock.base_url())
        .build()
        .unwrap();
    let err = wrong.waba(&e.waba).get().send().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidAccessToken));

    e.mock.set_require_appsecret_proof(true);
    let no_proof = Client::builder(&s.access_token)
        .base_url(e.mock.base_url())
        .build()
        .unwrap();
    let err = no_proof.waba(&e.waba).get().send().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidParameter), "{err}");
    let bad_proof = Client::builder(&s.access_token)
        .app_secret("wrong")
        .base_url(e.mock.base_url())
        .build()
        .unwrap();
    assert!(bad_proof.waba(&e.waba).get().send().await.is_err());
    let timed = Client::builder(&s.access_token)
        .app_secret(&s.app_secret)
        .timed_appsecret_proof(true)
        .base_url(e.mock.base_url())
        .build()
        .unwrap();
    timed.waba(&e.waba).get().send().await.unwrap();
    e.client.waba(&e.waba).get().send().await.unwrap();

    // A value outside the spec's enum is sent as-is; the mock rejects it like Graph would.
    let unknown: Task = "NOT_A_TASK".parse().unwrap();
    let err = e
        .client
        .waba(&e.small_waba)
        .assigned_users()
        .add(&e.free_user, [unknown])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidParameter));
    assert!(err.graph().unwrap().message.contains("tasks"), "{err}");
}

#[tokio::test]
async fn idempotent_calls_ride_out_every_fault_kind() {
    let e = env().await;
    let f = e.mock.faults();
    f.add(
        FaultRule::new(FaultKind::Throttle)
            .operation("GetWhatsAppBusinessAccount")
            .times(1)
            .regain_minutes(0),
    )
    .unwrap();
    f.fail_next("GetWhatsAppBusinessAccount", FaultKind::ServerError, 1)
        .unwrap();
    f.fail_next("GetWhatsAppBusinessAccount", FaultKind::TruncatedBody, 1)
        .unwrap();
    let r = e.client.waba(&e.waba).get().send().await.unwrap();
    assert_eq!(r.meta().attempts(), 4);

    f.fail_next("AddAssignedUser", FaultKind::BadGateway, 1)
        .unwrap();
    f.fail_next("AddAssignedUser", FaultKind::Transient, 1)
        .unwrap();
    f.fail_next("AddAssignedUser", FaultKind::DropAfterApply, 1)
        .unwrap();
    let r = e
        .client
        .waba(&e.small_waba)
        .assigned_users()
        .add(&e.free_user, [Task::Develop])
        .send()
        .await
        .unwrap();
    assert_eq!(r.meta().attempts(), 4);
    assert_eq!(
        e.mock.stats().state_changes.get("AddAssignedUser").copied(),
        Some(1),
        "the retried write changed state once"
    );

    f.fail_next("RemoveAssignedUser", FaultKind::Drop, 2)
        .unwrap();
    e.client
        .waba(&e.small_waba)
        .assigned_users()
        .remove(&e.free_user)
        .send()
        .await
        .unwrap();

    f.add(
        FaultRule::new(FaultKind::Latency)
            .operation("ListAssignedUsers")
            .latency_ms(50),
    )
    .unwrap();
    let page = e
        .client
        .waba(&e.waba)
        .assigned_users()
        .list(&e.business)
        .send()
        .await
        .unwrap();
    assert_eq!(page.meta().attempts(), 1);

    let stats = e.mock.stats();
    for kind in FaultKind::ALL {
        assert!(stats.faults_of(kind) >= 1, "{kind:?} was never injected");
    }
}

#[tokio::test]
async fn phone_number_create_is_sent_once_whatever_happens() {
    let e = env().await;
    let f = e.mock.faults();
    let mut calls = 0;
    for kind in [
        FaultKind::DropAfterApply,
        FaultKind::Drop,
        FaultKind::ServerError,
        FaultKind::BadGateway,
        FaultKind::TruncatedBody,
    ] {
        f.fail_next("CreatePhoneNumber", kind, 1).unwrap();
        let err = e
            .client
            .waba(&e.small_waba)
            .phone_numbers()
            .create("1", format!("555010{calls}"), "Example Co")
            .send()
            .await
            .unwrap_err();
        calls += 1;
        assert_eq!(
            e.mock.stats().requests_of("CreatePhoneNumber"),
            calls,
            "{kind:?} made the client re-send a create"
        );
        let applied = kind.applies_request();
        assert_eq!(
            e.mock.created(e.small_waba.as_str(), "phone_numbers").len() as u64,
            e.mock.stats().created_of("WhatsAppBusinessPhoneNumber")
        );
        if applied {
            assert!(err.may_have_been_applied(), "{kind:?}: {err}");
        }
        assert!(
            matches!(
                err,
                Error::Transport { .. }
                    | Error::Graph(_)
                    | Error::Http { .. }
                    | Error::Decode { .. }
            ),
            "{err:?}"
        );
    }
    // Two faults applied the create (drop after apply, truncated body); the others did not.
    assert_eq!(e.mock.stats().created_of("WhatsAppBusinessPhoneNumber"), 2);
}

#[tokio::test]
async fn a_throttled_waba_reports_when_to_come_back() {
    let e = env().await;
    e.mock.faults().set_throttle(Some(ThrottleConfig {
        after_calls: 2,
        regain_after_secs: 120,
    }));
    for _ in 0..2 {
        e.client.waba(&e.waba).get().send().await.unwrap();
    }
    let err = e.client.waba(&e.waba).get().send().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::WhatsAppBusinessRateLimit));
    let usage = err.usage().unwrap();
    assert_eq!(usage.business_use_case[0].object_id, e.waba.as_str());
    assert!(usage.max_percent() >= 100);
    assert!(usage.regain_access_after().is_some());
    assert_eq!(
        err.graph().unwrap().attempts,
        1,
        "a wait of minutes is not slept through"
    );
    // Another WABA is not affected.
    e.client.waba(&e.small_waba).get().send().await.unwrap();
}

#[tokio::test]
async fn pages_keep_summary_and_links_lose_credentials() {
    let e = env().await;
    let pages: Vec<_> = e
        .client
        .waba(&e.waba)
        .assigned_users()
        .list(&e.business)
        .summary(true)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.data.len()).collect::<Vec<_>>(),
        [25, 25, 10]
    );
    assert!(
        pages
            .iter()
            .all(|p| p.summary.as_ref().and_then(|s| s.total_count) == Some(60))
    );
    let next = pages[0]
        .paging
        .as_ref()
        .and_then(|p| p.next.as_deref())
        .expect("a next link");
    assert!(
        next.contains("after=") && next.contains("business="),
        "{next}"
    );
    assert!(
        !next.contains("appsecret_proof") && !next.contains("access_token"),
        "{next}"
    );
}

#[tokio::test]
async fn listed_objects_open_their_nodes_handles() {
    // An edge read names its items' type apart from the node (`WhatsAppBusinessAccountPhoneNumber`
    // for a WABA's phone numbers), but each item's `id` is the node's typed ID: it opens the
    // node's handle as it is.
    let e = env().await;
    let waba = e.client.waba(&e.waba);
    waba.phone_numbers()
        .create("44", "7700900124", "Listed & Co")
        .send()
        .await
        .unwrap();
    let numbers: Vec<_> = waba
        .phone_numbers()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(!numbers.is_empty());
    for listed in &numbers {
        let id = listed.id.as_ref().expect("Graph sends each object's id");
        let node = e.client.phone_number(id).get().send().await.unwrap();
        assert_eq!(node.id.as_ref(), Some(id));
    }
    waba.message_templates()
        .create()
        .name("listed_template")
        .language("en_US")
        .send()
        .await
        .unwrap();
    let templates: Vec<_> = waba
        .message_templates()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(!templates.is_empty());
    for listed in &templates {
        let id = listed.id.as_ref().expect("Graph sends each object's id");
        let node = e.client.message_template(id).get().send().await.unwrap();
        assert_eq!(node.id.as_ref(), Some(id));
    }
    // The classic pages' `hsm_id` is the same ID: a listed template is deleted by it.
    let gone = templates[0].id.as_ref().unwrap();
    let deleted = waba
        .message_templates()
        .remove()
        .hsm_id(gone)
        .send()
        .await
        .unwrap();
    assert!(deleted.success);
    let left: Vec<_> = waba
        .message_templates()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(left.len(), templates.len() - 1);
    assert!(left.iter().all(|t| t.id.as_ref() != Some(gone)));
}
