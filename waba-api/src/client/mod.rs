//! The client: credentials, settings, one pooled HTTP client, and the send path every operation
//! goes through. By job: `builder` (settings into a client), this module (the retry loop and
//! tracing around attempts), `exchange` (one HTTP exchange: credentials, encoding, transport
//! errors, reading the body), `batched` (an attempt as an item of a batch request), `interpret`
//! (a response into a value or an error) and `envelope` (Graph's error envelope).

mod batched;
mod builder;
mod envelope;
mod exchange;
mod interpret;

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use tracing::Instrument;

pub use builder::{BuildError, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES};

use crate::batch::{Batcher, Batching};
use crate::error::ErrorChain;
use crate::redact::Redactor;
use crate::retry::{may_retry, object_of, throttle_hint};
use crate::{Error, Pacer, Request, Response, RetryPolicy};

/// A client for the Graph API. Cheap to clone (an `Arc`), safe to share across tasks; every
/// clone uses the same connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Paces calls per business object (off unless asked for: [`Client::with_pacer`]).
    pacer: Option<Pacer>,
    /// Groups concurrent calls into batch requests ([`Client::with_batching`]).
    batcher: Option<Arc<Batcher>>,
}

struct Inner {
    http: reqwest::Client,
    auth: reqwest::header::HeaderValue,
    token: Secret,
    app_secret: Option<Secret>,
    timed_proof: bool,
    base_url: String,
    version: String,
    /// `{base_url}/{version}/`, parsed once: each request's URL is its path resolved against it
    /// (the scheme and host are not parsed again).
    api_root: reqwest::Url,
    retry: RetryPolicy,
    max_body: usize,
    redactor: Arc<Redactor>,
}

impl Inner {
    /// The URL of `path` (`/…`, as a [`Request`] has it), or its text if it does not parse
    /// (reqwest then reports it when the request is sent, as a transport error).
    fn url(&self, path: &str) -> Result<reqwest::Url, String> {
        // Resolved under the parsed root, the scheme and host are not parsed again. A path that
        // could read as something else (a scheme before `:`, a path from the host's root) takes
        // the long way.
        if let Some(rel) = path.strip_prefix('/')
            && !rel.starts_with(['/', '\\'])
            && !rel.contains(':')
            && let Ok(url) = self.api_root.join(rel)
        {
            return Ok(url);
        }
        let mut url =
            String::with_capacity(self.base_url.len() + self.version.len() + path.len() + 1);
        for part in [self.base_url.as_str(), "/", self.version.as_str(), path] {
            url.push_str(part);
        }
        reqwest::Url::parse(&url).map_err(|_| url)
    }
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
            .field("pacer", &self.pacer.as_ref().map(Pacer::config))
            .field("batching", &self.batcher.as_ref().map(|b| b.config))
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

    /// This client with its calls paced by `pacer` (shared by its clones): each call to a
    /// business object (the first ID of its path) waits for the object's allowance, and a call
    /// Graph throttles waits out `estimated_time_to_regain_access` and is sent again (a throttle
    /// is a refusal, so this holds for creates too) up to
    /// [`PacerConfig::max_throttle_waits`](crate::PacerConfig::max_throttle_waits) times. Off
    /// by default: a single call returns a long throttle to its caller at once (see
    /// [`RetryPolicy::max_delay`]). The [`fleet`](crate::fleet) helper turns it on.
    pub fn with_pacer(&self, pacer: Pacer) -> Client {
        Client {
            pacer: Some(pacer),
            ..self.clone()
        }
    }

    /// This client with its concurrent calls grouped into batch requests (see
    /// [`batch`](crate::batch)); its clones share the batches.
    pub fn with_batching(&self, batching: Batching) -> Client {
        Client {
            batcher: Some(Arc::new(Batcher::new(batching))),
            ..self.clone()
        }
    }

    /// The pacer, if calls are paced.
    pub fn pacer(&self) -> Option<&Pacer> {
        self.pacer.as_ref()
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
        let sent = self.send_with_retries(&request, &span);
        // Without a span, no wrapper entering and leaving it on every poll.
        if span.is_none() {
            sent.await
        } else {
            sent.instrument(span.clone()).await
        }
    }

    /// `span` is passed down rather than looked up: `Span::current()` costs a dispatcher lookup.
    async fn send_with_retries<T: DeserializeOwned>(
        &self,
        request: &Request,
        span: &tracing::Span,
    ) -> Result<Response<T>, Error> {
        let mut attempt = 0;
        // Throttles the pacer waited out: they do not use up the retry policy's attempts.
        let mut throttle_waits = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Some(p) = &self.pacer {
                p.acquire(object_of(request)).await;
            }
            let result = match &self.batcher {
                // Only first attempts join batches: a retry goes on its own.
                Some(b) if attempt == 1 => self.attempt_batched::<T>(b, request, attempt).await,
                _ => self.attempt::<T>(request, attempt, span).await,
            };
            if let Some(p) = &self.pacer
                && paced_retry(p, request, &result, &mut throttle_waits)
            {
                continue;
            }
            let error = match result {
                Ok(r) => return Ok(r),
                Err(e) => e,
            };
            let delay = if may_retry(request, &error) {
                self.inner
                    .retry
                    .delay(attempt - throttle_waits, throttle_hint(request, &error))
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

/// Tells the pacer what an attempt's answer said; `true` when the call was throttled and is to
/// be sent again once the pacer lets it (a throttle is a refusal before anything is applied).
fn paced_retry<T>(
    pacer: &Pacer,
    request: &Request,
    result: &Result<Response<T>, Error>,
    throttle_waits: &mut u32,
) -> bool {
    let object = object_of(request);
    let usage = match result {
        Ok(r) => Some(r.usage()),
        Err(e) => e.usage(),
    };
    if let Some(u) = usage {
        pacer.observe(object, u);
    }
    let Err(e) = result else {
        return false;
    };
    if !e.is_throttled() || e.may_have_been_applied() {
        return false;
    }
    if usage
        .and_then(|u| u.regain_access_after_for(object))
        .is_none()
    {
        // No regain time for this object: it waits a bucket before trying again.
        pacer.throttled(object, None);
    }
    if *throttle_waits >= pacer.config().max_throttle_waits {
        return false;
    }
    *throttle_waits += 1;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base_url: &str) -> Client {
        Client::builder("token")
            .base_url(base_url)
            .build()
            .expect("client")
    }

    #[test]
    fn a_path_resolves_under_the_base_url_and_version() {
        // `{V}` stands for the spec's version, the client's default.
        for (base, path, url) in [
            (
                "http://127.0.0.1:8080",
                "/123/assigned_users",
                "http://127.0.0.1:8080/{V}/123/assigned_users",
            ),
            (
                "https://graph.example/",
                "/123",
                "https://graph.example/{V}/123",
            ),
            (
                "http://h/proxy/graph",
                "/1/a/b",
                "http://h/proxy/graph/{V}/1/a/b",
            ),
            // The long way (could read as a scheme or a host-relative path): same URL as the text.
            ("http://h", "/x:1/y", "http://h/{V}/x:1/y"),
            ("http://h", "//x/y", "http://h/{V}//x/y"),
            // Resolved as parsing the whole text would (dot segments, escapes, a trailing `/`).
            ("http://h", "/1/../2/./e", "http://h/{V}/2/e"),
            ("http://h", "/1/a%2Fb c", "http://h/{V}/1/a%2Fb%20c"),
            ("http://h", "/1/", "http://h/{V}/1/"),
        ] {
            let url = url.replace("{V}", crate::GRAPH_API_VERSION);
            let c = client(base);
            let got = c.inner.url(path).expect(path);
            assert_eq!(got.as_str(), url, "{base} {path}");
            let joined = format!("{}/{}{path}", c.base_url(), c.api_version());
            assert_eq!(got, reqwest::Url::parse(&joined).unwrap(), "{base} {path}");
        }
    }
}
