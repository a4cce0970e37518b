//! `.stream()` over 0, 1, 2 and many pages; it stops only when `next` is absent, continues from
//! the `after` cursor with its own credentials, and refuses to loop on a repeated cursor.

mod support;

use futures::{StreamExt, TryStreamExt};
use support::{Reply, Server, TOKEN, client, id};
use waba_api::{Error, Paginated};

fn page(ids: std::ops::Range<u32>, after: Option<&str>, next: bool) -> Reply {
    let data: Vec<String> = ids
        .map(|i| format!(r#"{{"id":"{i}","name":"u{i}","tasks":["MANAGE"]}}"#))
        .collect();
    let mut paging = String::from(r#""cursors":{"before":"B""#);
    if let Some(a) = after {
        paging.push_str(&format!(r#","after":"{a}""#));
    }
    paging.push('}');
    if next {
        // A foreign host and a token in the link: the stream must follow neither.
        paging.push_str(
            r#","next":"https://evil.invalid/v1.0/1/assigned_users?access_token=STOLEN&after=X""#,
        );
    }
    Reply::json(
        200,
        format!(r#"{{"data":[{}],"paging":{{{paging}}}}}"#, data.join(",")),
    )
}

async fn collect(server: &Server) -> Result<Vec<String>, Error> {
    client(server)
        .waba(&id("10"))
        .assigned_users()
        .list(&id("20"))
        .limit(3)
        .stream()
        .map_ok(|u| u.id.to_string())
        .try_collect()
        .await
}

#[tokio::test]
async fn zero_items() {
    let server = Server::start().await;
    server.reply([Reply::json(200, r#"{"data":[]}"#)]);
    assert!(collect(&server).await.unwrap().is_empty());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn one_page() {
    let server = Server::start().await;
    server.reply([page(0..3, Some("A1"), false)]);
    assert_eq!(collect(&server).await.unwrap(), ["0", "1", "2"]);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn two_pages_continue_from_after_with_own_credentials() {
    let server = Server::start().await;
    server.reply([page(0..3, Some("A1"), true), page(3..4, Some("A2"), false)]);
    assert_eq!(collect(&server).await.unwrap(), ["0", "1", "2", "3"]);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[1].path,
        format!("/{}/10/assigned_users", waba_api::GRAPH_API_VERSION),
        "the foreign `next` URL is not followed"
    );
    let q = reqs[1].query_pairs();
    assert!(q.contains(&("after".into(), "A1".into())), "{q:?}");
    assert!(q.contains(&("business".into(), "20".into())));
    assert!(q.contains(&("limit".into(), "3".into())));
    assert!(!reqs[1].query.contains("STOLEN"));
    assert_eq!(
        reqs[1].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn many_pages_including_an_empty_one_with_next() {
    let server = Server::start().await;
    let mut replies = Vec::new();
    for p in 0..20u32 {
        // Page 7 is empty but has `next`: Graph may filter a page empty; only `next` ends the list.
        let range = if p == 7 { 0..0 } else { p * 3..p * 3 + 3 };
        replies.push(page(range, Some(&format!("C{p}")), p < 19));
    }
    server.reply(replies);
    let ids = collect(&server).await.unwrap();
    assert_eq!(ids.len(), 19 * 3);
    assert_eq!(server.requests().len(), 20);
}

#[tokio::test]
async fn repeated_cursor_stops_with_an_error_after_the_items() {
    let server = Server::start().await;
    server.reply([
        page(0..2, Some("SAME"), true),
        page(2..4, Some("SAME"), true),
    ]);
    server.fallback(page(9..10, Some("SAME"), true));
    let items: Vec<_> = client(&server)
        .waba(&id("10"))
        .assigned_users()
        .list(&id("20"))
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 5, "{items:?}");
    assert!(items[..4].iter().all(Result::is_ok));
    match &items[4] {
        Err(Error::Pagination { reason, .. }) => assert!(reason.contains("repeated a cursor")),
        other => panic!("expected a pagination error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn next_without_cursor_is_an_error() {
    let server = Server::start().await;
    server.reply([page(0..1, None, true)]);
    let err = collect(&server).await.unwrap_err();
    assert!(matches!(err, Error::Pagination { .. }), "{err:?}");
}

#[tokio::test]
async fn an_error_mid_stream_ends_it() {
    let server = Server::start().await;
    server.reply([page(0..2, Some("A"), true)]);
    server.fallback(Reply::graph_error(400, 100, ""));
    let items: Vec<_> = client(&server)
        .waba(&id("10"))
        .assigned_users()
        .list(&id("20"))
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[2].as_ref().unwrap_err().code(),
        Some(waba_api::ErrorCode::InvalidParameter)
    );
}

#[tokio::test]
async fn client_wabas_stream_too() {
    let server = Server::start().await;
    server.reply([
        Reply::json(
            200,
            r#"{"data":[{"id":"1"}],"paging":{"cursors":{"after":"x"},"next":"n"}}"#,
        ),
        Reply::json(
            200,
            r#"{"data":[{"id":"2"}],"paging":{"cursors":{"after":"y"}}}"#,
        ),
    ]);
    let ids: Vec<String> = client(&server)
        .business(&id("5"))
        .client_wabas()
        .list()
        .stream()
        .map_ok(|w| w.id.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1", "2"]);
}

#[tokio::test]
async fn stream_with_summary_gives_the_count_then_every_item() {
    let server = Server::start().await;
    let first = r#"{"data":[{"id":"1"},{"id":"2"}],"paging":{"cursors":{"after":"A1"},"next":"https://x.invalid/"},"summary":{"total_count":3}}"#;
    server.reply([
        Reply::json(200, first),
        Reply::json(200, r#"{"data":[{"id":"3"}],"summary":{"total_count":3}}"#),
    ]);
    let (summary, users) = client(&server)
        .waba(&id("10"))
        .assigned_users()
        .list(&id("20"))
        .stream_with_summary()
        .await
        .unwrap();
    assert_eq!(summary.unwrap().total_count, Some(3));
    assert_eq!(
        server.requests().len(),
        1,
        "the items are still fetched lazily"
    );
    let ids: Vec<String> = users
        .map_ok(|u| u.id.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["1", "2", "3"]);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert!(
        reqs[0]
            .query_pairs()
            .contains(&("summary".into(), "total_count".into()))
    );
    assert!(
        reqs[1]
            .query_pairs()
            .contains(&("after".into(), "A1".into()))
    );
}

#[tokio::test]
async fn stream_with_summary_reports_a_failed_first_page() {
    let server = Server::start().await;
    server.reply([Reply::graph_error(400, 100, "")]);
    let err = client(&server)
        .waba(&id("10"))
        .assigned_users()
        .list(&id("20"))
        .stream_with_summary()
        .await
        .expect_err("the first page failed");
    assert_eq!(err.code(), Some(waba_api::ErrorCode::InvalidParameter));
}
