//! # waba-api
//!
//! A typed, async client for Meta's **WhatsApp Business Management API**: the Graph API
//! endpoints that manage WhatsApp Business Accounts (WABAs). Models, typed IDs, handles and
//! request builders are generated at build time from a YAML spec of Meta's reference pages and
//! Meta's OpenAPI document of the WhatsApp Business Platform (the `waba-codegen` crate); the
//! runtime around them is small and hand-written on `reqwest` and `tokio`. Requests go to the
//! newest documented Graph API version, [`GRAPH_API_VERSION`], unless
//! [`ClientBuilder::api_version`] says otherwise.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use waba_api::ids::{BusinessId, UserId, WabaId};
//! use waba_api::models::{AssignedUserField, Task, WhatsAppBusinessAccountField as F};
//! use waba_api::{Client, Paginated};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder(std::env::var("WABA_ACCESS_TOKEN")?).build()?;
//! let waba_id: WabaId = "104996122399160".parse()?;
//! let business_id: BusinessId = "506914307656634".parse()?;
//!
//! // A handle names a node; nothing is sent until `send`.
//! let waba = client.waba(&waba_id);
//! let account = waba.get().fields([F::Name, F::BusinessVerificationStatus]).send().await?;
//! println!("{:?} {:?}", account.name, account.business_verification_status);
//!
//! // Every assigned user, one page at a time.
//! let users: Vec<_> = waba
//!     .assigned_users()
//!     .list(&business_id)
//!     .fields([AssignedUserField::Id, AssignedUserField::Tasks])
//!     .stream()
//!     .try_collect()
//!     .await?;
//!
//! // Give a user tasks; typed errors can be matched on.
//! let user_id: UserId = "1000000001".parse()?;
//! match waba.assigned_users().add(&user_id, [Task::Manage, Task::Develop]).send().await {
//!     Ok(r) => println!("success: {}", r.success),
//!     Err(e) if e.code() == Some(waba_api::ErrorCode::PermissionDenied) => eprintln!("no access: {e}"),
//!     Err(e) => return Err(e.into()),
//! }
//! # let _ = users;
//! # Ok(())
//! # }
//! ```
//!
//! ## Handles, builders and typed IDs
//!
//! The [`handles`] mirror Graph's tree. `client.waba(&id)` is a node, `.assigned_users()` one
//! of its edges, and each operation is one method: `get`, `update`, `delete` on a node; `list`,
//! `create`, `add`, `remove` on an edge; an action (`register`, …) is a method of its node
//! named after it. A method takes the required parameters (IDs first, borrowed) and returns
//! the operation's builder in [`ops`]; optional parameters are its chained setters, and
//! `.send().await` returns a [`Response`] that derefs to the decoded model and carries the
//! rate-limit [`Usage`].
//!
//! Every node has its own ID type in [`ids`] (`WabaId`, `BusinessId`, `UserId`,
//! `PhoneNumberId`, …): validated like [`GraphId`] (decimal digits only, so no input can
//! change a request's path or query), used for every `id` in responses, so one call's answer
//! feeds the next without parsing. An ID of another node does not fit:
//!
//! ```compile_fail
//! # async fn run(client: waba_api::Client) -> Result<(), waba_api::Error> {
//! let business_id: waba_api::ids::BusinessId = 506914307656634u64.into();
//! client.waba(&business_id).get().send().await?; // expected `&WabaId`, found `&BusinessId`
//! # Ok(())
//! # }
//! ```
//!
//! ```no_run
//! # async fn run(client: waba_api::Client) -> Result<(), waba_api::Error> {
//! let waba_id: waba_api::ids::WabaId = 104996122399160u64.into();
//! client.waba(&waba_id).get().send().await?;
//! # Ok(())
//! # }
//! ```
//!
//! ## Authentication and `appsecret_proof`
//!
//! [`Client::builder`] takes the access token (a system user's token for a business, or a
//! user's); it travels in the `Authorization` header, never in a URL. With
//! [`ClientBuilder::app_secret`] every request also carries `appsecret_proof` (HMAC-SHA256 of
//! the token with the app secret), which apps that require it need. Token, secret and proof
//! never appear in `Debug` output, error messages or `tracing` events.
//!
//! ## Paging
//!
//! Every list builder implements [`Paginated`] (bring it into scope): `.limit(n)`, the
//! cursors, `.stream()` (a `futures::Stream` of items, one page in memory) and `.pages()` (each
//! [`Page`] with its `paging` and, after `.summary(true)`, its `summary`). Further pages are
//! requested from the `after` cursor with this client's credentials, never by following a URL
//! from the response. [`Paginated::stream_with_summary`] streams the items and returns the
//! edge's summary (e.g. `total_count`) from the first page. Lists that take `filtering` take
//! typed conditions: [`models::Filter::on`] with a field selector, an operator and a
//! [`FilterValue`].
//!
//! ## Errors and retries
//!
//! One [`Error`] type. Graph's error envelope becomes [`GraphError`]: match on
//! [`Error::code`] (the generated [`ErrorCode`]), [`Error::subcode`], [`Error::is_throttled`]
//! or [`Error::graph`]. Transport failures carry a [`TransportKind`] and reqwest's error as
//! `source()`; a malformed body names the JSON path. Idempotent operations (GET, DELETE, POSTs
//! the spec marks idempotent) are retried per the client's [`RetryPolicy`] on throttling,
//! transient codes, 5xx and connection failures, with exponential backoff and jitter. A create
//! is never sent twice once it may have reached the server; such an error says so
//! ([`Error::may_have_been_applied`]).
//!
//! ## Throttling
//!
//! A real `80008` (too many calls to one WABA) comes with `X-Business-Use-Case-Usage`, whose
//! `estimated_time_to_regain_access` is usually a minute or more. The retry loop waits at
//! least that long, but not longer than [`RetryPolicy::max_delay`] (30 s by default): a
//! throttle that asks for longer is returned at once, so a request never sleeps for minutes
//! unseen. Then schedule the call for later from the error's usage:
//!
//! ```no_run
//! # async fn run(client: waba_api::Client, waba_id: waba_api::ids::WabaId) -> Result<(), waba_api::Error> {
//! match client.waba(&waba_id).get().send().await {
//!     Err(e) if e.is_throttled() => {
//!         let wait = e.usage().and_then(|u| u.regain_access_after_for(waba_id.as_str()));
//!         eprintln!("throttled; try again in {wait:?}");
//!     }
//!     other => drop(other?),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! ## Many WABAs: fleets, pacing and batches
//!
//! [`fleet::Fleet`] runs a job per WABA over thousands of them with bounded concurrency,
//! streaming each WABA's result as it completes. Its [`Pacer`] keeps every WABA within Graph's
//! rate-limit allowance (learned from the usage headers) and makes a throttled WABA wait instead
//! of fail; pacing is off for a plain client ([`Client::with_pacer`] turns it on). On a client
//! made with [`Client::with_batching`] (or a fleet with [`fleet::Fleet::batching`]), concurrent
//! calls of any operation share batch requests (up to 50 calls per HTTP request), each with its
//! own typed result; see [`batch`].
//!
//! ```no_run
//! use futures::StreamExt;
//! use waba_api::batch::Batching;
//! use waba_api::fleet::Fleet;
//! use waba_api::ids::{BusinessId, WabaId};
//! use waba_api::{Client, Paginated};
//!
//! # async fn run(client: Client, wabas: Vec<WabaId>, business: BusinessId) {
//! // Paced (each WABA within its allowance), 64 jobs at a time, calls grouped into batches.
//! let fleet = Fleet::new(&client).concurrency(64).batching(Batching::default());
//! let business = &business;
//! let mut results = fleet.run(wabas, |client, waba| async move {
//!     let (summary, _users) = client
//!         .waba(&waba)
//!         .assigned_users()
//!         .list(business)
//!         .stream_with_summary()
//!         .await?;
//!     Ok::<_, waba_api::Error>(summary.and_then(|s| s.total_count))
//! });
//! while let Some((waba, users)) = results.next().await {
//!     println!("{waba}: {users:?}"); // a throttled WABA arrives later, not as an error
//! }
//! # }
//! ```
//!
//! ## Testing your code against waba-mock
//!
//! `waba-mock` is a stateful fake Graph API built from the same spec: every operation of this
//! crate, seeded objects, `appsecret_proof` checks and fault injection. Start it in your tests
//! (a dev-dependency) and point the client at it:
//!
//! ```no_run
//! use waba_api::{Client, ids::WabaId};
//! use waba_mock::{FaultKind, FaultRule, MockConfig, MockServer};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = MockServer::start(MockConfig::default()).await?;
//! let seed = mock.seed().clone();
//! let client = Client::builder(&seed.access_token)
//!     .app_secret(&seed.app_secret)
//!     .base_url(mock.base_url())
//!     .build()?;
//! let waba_id: WabaId = seed.waba_ids[0].parse()?;
//! // Two throttling answers first: the client retries and succeeds.
//! mock.faults().add(FaultRule::new(FaultKind::Throttle).times(2).regain_minutes(0))?;
//! let waba = client.waba(&waba_id).get().send().await?;
//! assert_eq!(waba.meta().attempts(), 3);
//! mock.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! It also runs as a binary (`cargo run -p waba-mock -- --addr 127.0.0.1:PORT`) for tests in
//! other languages or processes.
//!
//! ## Keeping current
//!
//! When Meta's reference pages or OpenAPI document change, a maintainer runs `cargo xtask
//! regen`, reviews the change report and the generated-code diff, and releases: a new endpoint,
//! field or enum value is a change of data, with no code written by hand. Enums are open, so a
//! value Meta adds before that deserializes into `Unknown` and round-trips.
//!
//! ## TLS
//!
//! rustls with the aws-lc-rs crypto provider (feature `aws-lc`, the default) or ring
//! (`default-features = false, features = ["ring"]`: a much smaller C build).
//! [`ClientBuilder::http_client`] takes a [`reqwest::ClientBuilder`] (re-exported) for proxies
//! and custom roots; redirects are never followed.
#![deny(missing_docs)]

pub mod batch;
mod client;
mod error;
mod filter;
pub mod fleet;
mod id;
pub mod open_enum;
pub mod pacer;
mod page;
mod proof;
mod redact;
mod request;
mod response;
mod retry;
mod tls;
mod usage;

use id::typed_id;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/waba_generated.rs"));
}

#[cfg(test)]
mod fixture_structs;

/// The HTTP client crate waba-api is built on, for [`ClientBuilder::http_client`] and for
/// inspecting the `reqwest::Error` behind an [`Error::Transport`].
pub use reqwest;

pub use client::{BuildError, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES};
pub use error::{Error, GraphError, TransportKind};
pub use filter::FilterValue;
pub use generated::{ErrorCode, ErrorSubcode, GRAPH_API_VERSION, handles, ids, models, ops};
pub use id::{GraphId, InvalidId};
pub use open_enum::{UnknownCode, UnknownValue};
pub use pacer::{Pacer, PacerConfig, PacerStats};
pub use page::{
    Cursors, EdgeSummary, NoSummary, Page, PageParams, PageStream, Pages, Paginated, Paging,
    StreamWithSummary,
};
pub use request::{
    BodyEncoding, FieldSelector, Method, OperationSpec, ParamSpec, PathPart, Request,
};
pub use response::{Response, ResponseMeta};
pub use retry::RetryPolicy;
pub use usage::{AppUsage, BusinessUseCaseUsage, Usage};

/// The READMEs' examples compile as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;

#[cfg(test)]
mod snapshot {
    /// The code this crate compiles is the reviewed snapshot of the generator's output, so the
    /// snapshot is known to compile.
    #[test]
    fn generated_code_matches_snapshot() {
        let compiled = include_str!(concat!(env!("OUT_DIR"), "/waba_generated.rs"));
        let snapshot = include_str!("../../codegen/tests/snapshots/waba_generated.rs");
        assert!(
            compiled == snapshot,
            "regenerate and bless the snapshot: WABA_BLESS=1 cargo test -p waba-codegen --test snapshot"
        );
    }
}
