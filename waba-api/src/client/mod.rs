//! The client: credentials, settings, one pooled HTTP client, and the send path every operation
//! goes through. By job: `builder` (settings into a client), this module (the retry loop and
//! tracing around attempts), `exchange` (one HTTP exchange: credentials, encoding, transport
//! errors, reading the body), `interpret` (a response into a value or an error) and `envelope`
//! (Graph's error envelope).

mod builder;
mod envelope;
mod exchange;
mod interpret;

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use tracing::Instrument;

pub use builder::{BuildError, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES};

use crate::error::ErrorChain;
use crate::redact::Redactor;
use crate::retry::{may_retry, throttle_hint};
use crate::{Error, Request, Response, RetryPolicy};

/// A client for the Graph API. Cheap to clone (an `Arc`), safe to share across tasks; every
/// clone uses the same connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    auth: reqwest::header::HeaderValue,
    token: Secret,
    app_secret: Option<Secret>,
    timed_proof: bool,
    base_url: String,
    version: String,
    retry: RetryPolicy,
    max_body: usize,
    redactor: Arc<Redactor>,
}

/// A credential: never printed, not even by `Debug`.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &i.base_url)
            .field("version", &i.version)
            .field("access_token", &i.token)
            .field(
                "app_secret",
                &i.app_secret.as_ref().map(|_| Secret(String::new())),
            )
            .field("timed_appsecret_proof", &i.timed_proof)
            .field("retry", &i.retry)
            .field("max_response_bytes", &i.max_body)
            .finish()
    }
}

impl Client {
    /// The Graph API version requests use.
    pub fn api_version(&self) -> &str {
        &self.inner.version
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and decodes the response as `T`, retrying per the retry policy.
    /// The generated builders' `send()` calls this.
    pub async fn send<T: DeserializeOwned>(&self, request: Request) -> Result<Response<T>, Error> {
        let spec = request.spec();
        if let Some(reason) = request.invalid() {
            return Err(Error::InvalidRequest {
                operation: spec.name,
                reason: reason.to_string(),
            });
        }
        // Checked first: with no subscriber, even a disabled span costs a `log` probe per call.
        let span = if !tracing::level_enabled!(tracing::Level::DEBUG) {
            tracing::Span::none()
        } else {
            tracing::debug_span!(
                "graph_request",
                operation = spec.name,
                method = spec.method.as_str(),
                path = spec.path,
                status = tracing::field::Empty,
                attempt = tracing::field::Empty,
                fbtrace_id = tracing::field::Empty,
            )
        };
        self.send_with_retries(&request, &span)
            .instrument(span.clone())
            .await
    }

    /// `span` is passed down rather than looked up: `Span::current()` costs a dispatcher lookup.
    async fn send_with_retries<T: DeserializeOwned>(
        &self,
        request: &Request,
        span: &tracing::Span,
    ) -> Result<Response<T>, Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let error = match self.attempt::<T>(request, attempt, span).await {
                Ok(r) => return Ok(r),
                Err(e) => e,
            };
            let delay = if may_retry(request, &error) {
                self.inner
                    .retry
                    .delay(attempt, throttle_hint(request, &error))
            } else {
                None
            };
            match delay {
                Some(d) => {
                    tracing::warn!(attempt, delay_ms = d.as_millis() as u64, error = %ErrorChain(&error), "retrying");
                    tokio::time::sleep(d).await;
                }
                None => {
                    tracing::debug!(attempt, error = %ErrorChain(&error), "request failed");
                    return Err(error);
                }
            }
        }
    }
}
