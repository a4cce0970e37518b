//! # waba-api
//!
//! A typed, async client for Meta's **WhatsApp Business Management API**: the Graph API
//! endpoints that manage WhatsApp Business Accounts (WABAs). The models and request builders are
//! generated at build time from the YAML spec in `spec/` (see the `waba-codegen` crate); the
//! runtime around them is small and hand-written on `reqwest` and `tokio`.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use waba_api::models::{AssignedUserField, Task, WhatsAppBusinessAccountField};
//! use waba_api::{Client, GraphId, Paginated};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder(std::env::var("WABA_ACCESS_TOKEN")?).build()?;
//! let waba: GraphId = "104996122399160".parse()?;
//! let business: GraphId = "506914307656634".parse()?;
//!
//! // Read a WABA with typed fields.
//! let account = client
//!     .get_whats_app_business_account(waba.clone())
//!     .fields([WhatsAppBusinessAccountField::Name, WhatsAppBusinessAccountField::BusinessVerificationStatus])
//!     .send()
//!     .await?;
//! println!("{:?} {:?}", account.name, account.business_verification_status);
//!
//! // Every assigned user, one page at a time.
//! let users: Vec<_> = client
//!     .list_assigned_users(waba.clone(), business)
//!     .fields([AssignedUserField::Id, AssignedUserField::Tasks])
//!     .stream()
//!     .try_collect()
//!     .await?;
//!
//! // Give a user tasks; typed errors can be matched on.
//! let user: GraphId = "1000000001".parse()?;
//! match client.add_assigned_user(waba, [Task::Manage, Task::Develop], user).send().await {
//!     Ok(r) => println!("success: {}", r.success),
//!     Err(e) if e.code() == Some(waba_api::ErrorCode::PermissionDenied) => eprintln!("no access: {e}"),
//!     Err(e) => return Err(e.into()),
//! }
//! # let _ = users;
//! # Ok(())
//! # }
//! ```
//!
//! - **Builders**: required parameters are arguments of the client method (a request without
//!   them does not compile), optional ones chained setters; `.send().await` returns a
//!   [`Response`] that derefs to the value and carries the rate-limit [`Usage`].
//! - **Pagination**: every list builder implements [`Paginated`]: `.limit(n)`, the cursors,
//!   `.stream()` (a `futures::Stream` of items) and `.pages()`.
//! - **Errors**: one [`Error`] type; Graph's envelope becomes [`GraphError`] with the generated
//!   [`ErrorCode`]; [`Error::is_retryable`].
//! - **Open enums**: a value Meta adds later deserializes into `Unknown` and round-trips.
//! - **Retries**: throttling, transient and connection failures of idempotent operations, with
//!   backoff, jitter and Graph's `estimated_time_to_regain_access` ([`RetryPolicy`]).
//! - **TLS**: rustls, with the aws-lc-rs crypto provider (feature `aws-lc`, the default) or
//!   ring (`default-features = false, features = ["ring"]`: a much smaller C build, about 30 %
//!   less CPU for a clean build). [`ClientBuilder::http_client`] takes a [`reqwest::ClientBuilder`]
//!   (re-exported) for proxies and custom roots; redirects are never followed.
//! - **Secrets**: the token travels in the `Authorization` header; token, app secret and
//!   `appsecret_proof` never appear in `Debug` output, errors or tracing.
//! - **Fleets**: [`fleet::Fleet`] runs a job per WABA over thousands of them with bounded
//!   concurrency, streaming each WABA's result as it completes; its [`Pacer`] keeps every WABA
//!   within Graph's rate-limit allowance (learned from the usage headers) and makes a throttled
//!   WABA wait instead of fail. Pacing is off for a plain client ([`Client::with_pacer`] turns
//!   it on).
//! - **Batches**: on a client made with [`Client::with_batching`], concurrent calls of any
//!   operation share batch requests (up to 50 calls per HTTP request), each with its own typed
//!   result; see [`batch`].
//!
//! ## Many WABAs
//!
//! ```no_run
//! use futures::StreamExt;
//! use waba_api::batch::Batching;
//! use waba_api::fleet::Fleet;
//! use waba_api::{Client, GraphId, Paginated};
//!
//! # async fn run(client: Client, wabas: Vec<GraphId>, business: GraphId) {
//! // Paced (each WABA within its allowance), 64 jobs at a time, calls grouped into batches.
//! let fleet = Fleet::new(&client).concurrency(64).batching(Batching::default());
//! let mut results = fleet.run(wabas, |client, waba| {
//!     let business = business.clone();
//!     async move {
//!         let users = client.list_assigned_users(waba, business).summary(true).send().await?;
//!         Ok::<_, waba_api::Error>(users.summary.as_ref().and_then(|s| s.total_count))
//!     }
//! });
//! while let Some((waba, users)) = results.next().await {
//!     println!("{waba}: {users:?}"); // a throttled WABA arrives later, not as an error
//! }
//! # }
//! ```
#![deny(missing_docs)]

pub mod batch;
mod client;
mod error;
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

mod generated {
    include!(concat!(env!("OUT_DIR"), "/waba_generated.rs"));
}

/// The HTTP client crate waba-api is built on, for [`ClientBuilder::http_client`] and for
/// inspecting the `reqwest::Error` behind an [`Error::Transport`].
pub use reqwest;

pub use client::{BuildError, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES};
pub use error::{Error, GraphError, TransportKind};
pub use generated::{ErrorCode, ErrorSubcode, GRAPH_API_VERSION, models, ops};
pub use id::{GraphId, InvalidId};
pub use open_enum::{UnknownCode, UnknownValue};
pub use pacer::{Pacer, PacerConfig, PacerStats};
pub use page::{
    Cursors, EdgeSummary, NoSummary, Page, PageParams, PageStream, Pages, Paginated, Paging,
};
pub use request::{FieldSelector, Method, OperationSpec, ParamSpec, PathPart, Request};
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
