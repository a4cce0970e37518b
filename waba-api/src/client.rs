//! The client: credentials, settings, one pooled HTTP client, and the send path every operation
//! goes through (auth, encoding, decoding, retries, tracing).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::error::{ErrorChain, GraphError};
use crate::proof::appsecret_proof;
use crate::redact::Redactor;
use crate::{
    Error, ErrorCode, ErrorSubcode, Method, Request, Response, ResponseMeta, RetryPolicy,
    TransportKind,
};

/// Meta's Graph API host.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";
/// Largest response body read by default (16 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 << 20;
const SNIPPET_CHARS: usize = 200;
/// Largest allocation made for a body before its bytes arrive.
const INITIAL_BODY_CAPACITY: usize = 1 << 20;

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

/// Why a [`ClientBuilder`] could not build.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The access token is empty or not valid in an HTTP header.
    #[error("the access token is empty or contains characters not allowed in an HTTP header")]
    InvalidToken,
    /// The API version is not of the form `vNN.N`.
    #[error("Graph API version {0:?} is not of the form vNN.N")]
    InvalidVersion(String),
    /// The base URL is not an http(s) URL without query or fragment.
    #[error("base URL {0:?} is not an http(s) URL without query or fragment")]
    InvalidBaseUrl(String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
}

/// Settings for a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    token: Secret,
    app_secret: Option<Secret>,
    timed_proof: bool,
    version: String,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    max_body: usize,
    http: Option<reqwest::ClientBuilder>,
}

impl Client {
    /// A builder with an access token (a system-user or user token).
    pub fn builder(access_token: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            token: Secret(access_token.into()),
            app_secret: None,
            timed_proof: false,
            version: crate::GRAPH_API_VERSION.to_string(),
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("waba-api/", env!("CARGO_PKG_VERSION")).to_string(),
            retry: RetryPolicy::default(),
            max_body: DEFAULT_MAX_RESPONSE_BYTES,
            http: None,
        }
    }

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

    /// One HTTP exchange.
    #[allow(clippy::result_large_err)] // the crate's `Error`, as `send` returns it
    async fn attempt<T: DeserializeOwned>(
        &self,
        request: &Request,
        attempt: u32,
        span: &tracing::Span,
    ) -> Result<Response<T>, Error> {
        let i = &self.inner;
        let spec = request.spec();
        let unrepeatable = spec.is_unrepeatable_write();
        let mut url =
            String::with_capacity(i.base_url.len() + i.version.len() + request.path().len() + 1);
        for part in [i.base_url.as_str(), "/", i.version.as_str(), request.path()] {
            url.push_str(part);
        }
        let mut params: Vec<(&str, &str)> = request.params().collect();
        let (proof, time);
        // A time-stamped proof changes per attempt; the client's redactor only knows the plain one.
        let mut timed_proof = None;
        if let Some(secret) = &i.app_secret {
            let t = i.timed_proof.then(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            });
            proof = appsecret_proof(&secret.0, &i.token.0, t);
            params.push(("appsecret_proof", &proof));
            if let Some(t) = t {
                time = t.to_string();
                params.push(("appsecret_time", &time));
                timed_proof = Some(proof.clone());
            }
        }
        let builder = match spec.method {
            Method::Get => i.http.get(&url).query(&params),
            Method::Post => i.http.post(&url).form(&params),
            Method::Delete => i.http.delete(&url).form(&params),
        };
        let transport =
            |kind: TransportKind, e: Option<reqwest::Error>, meta: Option<ResponseMeta>| {
                Error::Transport {
                    operation: spec.name,
                    kind,
                    // A connect failure means nothing reached the server, so nothing can have been
                    // applied; a refused redirect is an answer that did not process the request.
                    may_have_been_applied: unrepeatable
                        && !matches!(kind, TransportKind::Connect | TransportKind::Redirect),
                    attempts: attempt,
                    meta,
                    source: e.map(|e| transport_source(e, &i.redactor, timed_proof.as_deref())),
                }
            };
        let mut response = match builder
            .header(reqwest::header::AUTHORIZATION, i.auth.clone())
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => {
                let kind = if e.is_connect() {
                    TransportKind::Connect
                } else if e.is_timeout() {
                    TransportKind::Timeout
                } else {
                    TransportKind::Request
                };
                return Err(transport(kind, Some(e), None));
            }
        };
        let status = response.status().as_u16();
        let meta = ResponseMeta::new(
            status,
            attempt,
            // Moved out, not copied: the body is read from `response` without them.
            std::mem::take(response.headers_mut()),
            i.redactor.clone(),
            timed_proof.clone(),
        );
        span.record("status", status);
        // Reading the trace id parses the response's headers: only when someone is listening.
        if !span.is_disabled()
            && let Some(t) = meta.fbtrace_id()
        {
            span.record("fbtrace_id", t);
        }
        // Never followed, whatever the HTTP client's own policy (see `TransportKind::Redirect`).
        if (300..400).contains(&status) {
            return Err(transport(TransportKind::Redirect, None, Some(meta)));
        }
        let body = match read_body(response, i.max_body).await {
            Ok(b) => b,
            Err(BodyError::TooLarge) => {
                return Err(Error::TooLarge {
                    operation: spec.name,
                    limit: i.max_body,
                    // A write answered with success was applied, however large the answer.
                    may_have_been_applied: unrepeatable && (200..300).contains(&status),
                    meta,
                });
            }
            Err(BodyError::Transport(e)) => {
                let kind = if e.is_timeout() {
                    TransportKind::Timeout
                } else {
                    TransportKind::Body
                };
                return Err(transport(kind, Some(e), Some(meta)));
            }
        };
        self.interpret(request, status, meta, &body, timed_proof.as_deref())
    }

    /// The response half of an attempt: a success decoded as `T`, or the error it carries.
    #[allow(clippy::result_large_err)] // the crate's `Error`, as `send` returns it
    fn interpret<T: DeserializeOwned>(
        &self,
        request: &Request,
        status: u16,
        meta: ResponseMeta,
        body: &[u8],
        timed_proof: Option<&str>,
    ) -> Result<Response<T>, Error> {
        let spec = request.spec();
        // Only a write that must not be repeated needs the caller to check whether it happened.
        let unrepeatable = spec.is_unrepeatable_write();
        let redact = |s: &str| self.inner.redactor.redact(s, timed_proof);
        if (200..300).contains(&status) {
            return match decode::<T>(body) {
                Ok(value) => Ok(Response::new(value, meta)),
                Err(f) => Err(Error::Decode {
                    operation: spec.name,
                    // Keys of a hostile body land in the path: redacted and bounded.
                    path: clip(redact(&f.path), SNIPPET_CHARS),
                    message: redact(&f.message),
                    snippet: redact(&snippet(body)),
                    truncated: f.truncated,
                    may_have_been_applied: unrepeatable,
                    meta,
                }),
            };
        }
        if let Some(mut g) = graph_error(body, spec.name, meta.clone(), &redact) {
            // Graph's own failure (5xx, transient) may come after the write happened; a throttle
            // is a refusal up front, even when Graph marks it transient.
            g.may_have_been_applied = unrepeatable
                && !g.code.is_throttling()
                && (status >= 500 || g.is_transient || g.code.is_transient());
            return Err(Error::Graph(Box::new(g)));
        }
        Err(Error::Http {
            operation: spec.name,
            snippet: redact(&snippet(body)),
            may_have_been_applied: unrepeatable && status >= 500,
            meta,
        })
    }

    /// Not part of the API (hidden, may change): runs the response half of the send path (usage
    /// headers, status, decoding as `T`, Graph's error envelope, redaction) on a response given
    /// as parts, so that the fuzz tests reach the decoder without a socket.
    #[doc(hidden)]
    pub fn __interpret_response<T: DeserializeOwned>(
        &self,
        spec: &'static crate::OperationSpec,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Result<Response<T>, Error> {
        let meta = ResponseMeta::new(
            status,
            1,
            headers.clone(),
            self.inner.redactor.clone(),
            None,
        );
        let request = Request::new(spec, &[&crate::GraphId::from(1u64)]);
        self.interpret(&request, status, meta, body, None)
    }
}

/// Whether the retry policy may send `request` again after `error`: the error must be one a
/// retry can cure, and the request idempotent — or never sent (a connect failure).
fn may_retry(request: &Request, error: &Error) -> bool {
    let unsent = matches!(
        error,
        Error::Transport {
            kind: TransportKind::Connect,
            ..
        }
    );
    (request.spec().idempotent || unsent) && error.is_retryable()
}

/// Graph's wait hint for a throttled call: only the throttle of the object this call went to
/// (the first path segment) is worth waiting for.
fn throttle_hint(request: &Request, error: &Error) -> Option<Duration> {
    let g = error.graph().filter(|g| g.code.is_throttling())?;
    let object_id = request.path().split('/').nth(1).unwrap_or_default();
    g.meta.usage().regain_access_after_for(object_id)
}

enum BodyError {
    TooLarge,
    Transport(reqwest::Error),
}

async fn read_body(mut response: reqwest::Response, max: usize) -> Result<Vec<u8>, BodyError> {
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(BodyError::TooLarge);
    }
    // The announced length only sizes the first allocation, capped: a server may lie about it,
    // and a large `max_response_bytes` must not become one huge allocation up front.
    let announced = response.content_length().map_or(1024, |n| n as usize);
    let mut body = Vec::with_capacity(announced.min(INITIAL_BODY_CAPACITY));
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > max {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Why a body did not decode: the JSON path, the message, and whether the body was cut short
/// (which a retry may cure, unlike a wrong shape).
struct DecodeFailure {
    path: String,
    message: String,
    truncated: bool,
}

/// Decodes JSON, reporting the JSON path where it failed.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    // Tracking the path costs an allocation per key on every response, so only a body that fails
    // to decode is decoded a second time with tracking (same deserializer, same error).
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(_) => decode_tracked(body),
    }
}

/// [`decode`] with the JSON path of the failure.
fn decode_tracked<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    let fail = |path: String, e: serde_json::Error| DecodeFailure {
        path,
        truncated: e.classify() == serde_json::error::Category::Eof,
        message: e.to_string(),
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        fail(path, e.into_inner())
    })?;
    de.end().map_err(|e| fail(".".to_string(), e))?;
    Ok(value)
}

/// Graph's error envelope, if the body is one.
fn graph_error(
    body: &[u8],
    operation: &'static str,
    meta: ResponseMeta,
    redact: &dyn Fn(&str) -> String,
) -> Option<GraphError> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let e = value.get("error")?.as_object()?;
    let int = |k: &str| match e.get(k)? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    };
    let text = |k: &str| e.get(k).and_then(|v| v.as_str()).map(redact);
    let code = int("code")?;
    let error_data = e.get("error_data").map(|d| match d {
        // Meta's own SDKs accept `error_data` as an object or as a JSON-encoded string.
        serde_json::Value::String(s) => match serde_json::from_str(s) {
            Ok(v) => redact_json(v, redact),
            Err(_) => serde_json::Value::String(redact(s)),
        },
        other => redact_json(other.clone(), redact),
    });
    Some(GraphError {
        operation,
        code: ErrorCode::from_i64(code),
        subcode: int("error_subcode").map(ErrorSubcode::from_i64),
        kind: text("type").unwrap_or_default(),
        message: text("message").unwrap_or_default(),
        user_title: text("error_user_title"),
        user_message: text("error_user_msg"),
        fbtrace_id: text("fbtrace_id").or_else(|| meta.fbtrace_id().map(str::to_string)),
        is_transient: e
            .get("is_transient")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        error_data,
        attempts: meta.attempts(),
        may_have_been_applied: false,
        meta,
    })
}

/// `value` with credentials removed from every string and key (`error_data` is free-form).
fn redact_json(value: serde_json::Value, redact: &dyn Fn(&str) -> String) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(redact(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| redact_json(v, redact)).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (redact(&k), redact_json(v, redact)))
                .collect(),
        ),
        other => other,
    }
}

/// The first characters of a body, on one line.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut s: String = text
        .chars()
        .take(SNIPPET_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > SNIPPET_CHARS {
        s.push('…');
    }
    s
}

/// `text` cut to `max` characters (marked with `…` when cut).
fn clip(mut text: String, max: usize) -> String {
    if let Some((i, _)) = text.char_indices().nth(max) {
        text.truncate(i);
        text.push('…');
    }
    text
}

/// The transport's error as an error source: without its URL (the query may carry
/// `appsecret_proof`). Should its text still hold a credential, only the redacted text is kept.
fn transport_source(
    e: reqwest::Error,
    redactor: &Redactor,
    timed_proof: Option<&str>,
) -> Box<dyn std::error::Error + Send + Sync> {
    let e = e.without_url();
    let shown = format!("{}\n{e:?}", ErrorChain(&e));
    if redactor.redact(&shown, timed_proof) == shown {
        Box::new(e)
    } else {
        Box::new(RedactedError(
            redactor.redact(&ErrorChain(&e).to_string(), timed_proof),
        ))
    }
}

/// An error's text with credentials removed (its causes folded in).
#[derive(Debug)]
struct RedactedError(String);

impl fmt::Display for RedactedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RedactedError {}

impl ClientBuilder {
    /// The app secret: every request then carries `appsecret_proof`.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(Secret(secret.into()));
        self
    }

    /// Use the time-stamped proof (`appsecret_proof` of `token|time` plus `appsecret_time`).
    pub fn timed_appsecret_proof(mut self, on: bool) -> Self {
        self.timed_proof = on;
        self
    }

    /// The Graph API version, e.g. `v21.0` (default: the spec's, [`GRAPH_API_VERSION`](crate::GRAPH_API_VERSION)).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// Where requests go (default [`DEFAULT_BASE_URL`]); for proxies and local servers.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Timeout of one attempt, from connecting to the end of the body (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` (default `waba-api/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Retry policy (default [`RetryPolicy::default`]; [`RetryPolicy::none`] turns retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Largest response body accepted (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_body = max;
        self
    }

    /// Build the HTTP client from this `reqwest::ClientBuilder` (for proxies, root
    /// certificates, a resolver, pool settings, …). Its own timeouts and user agent then apply,
    /// not [`timeout`](Self::timeout), [`connect_timeout`](Self::connect_timeout) and
    /// [`user_agent`](Self::user_agent). Its redirect policy is replaced: redirects are never
    /// followed (a followed redirect would re-send a write's body, and the query with its
    /// `appsecret_proof`, to whatever host `Location` names); a 3xx answer is returned as
    /// [`TransportKind::Redirect`]. A builder rather than a built `reqwest::Client`, because a
    /// built client's redirect policy can no longer be changed.
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let mut auth = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", self.token.0))
            .map_err(|_| BuildError::InvalidToken)?;
        if self.token.0.trim().is_empty() {
            return Err(BuildError::InvalidToken);
        }
        // Keeps the header out of hyper's and reqwest's debug output.
        auth.set_sensitive(true);
        if !valid_version(&self.version) {
            return Err(BuildError::InvalidVersion(self.version));
        }
        let base_url = self.base_url.trim_end_matches('/').to_string();
        match reqwest::Url::parse(&base_url) {
            Ok(u)
                if matches!(u.scheme(), "http" | "https")
                    && u.query().is_none()
                    && u.fragment().is_none() => {}
            _ => return Err(BuildError::InvalidBaseUrl(self.base_url)),
        }
        let http = self.http.unwrap_or_else(|| {
            reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
        });
        crate::tls::ensure_provider();
        let http = http
            // A redirect would re-send a write's body, and the query (with its
            // appsecret_proof) to whatever host `Location` names.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| BuildError::Http(e.without_url().to_string()))?;
        let plain_proof = self
            .app_secret
            .as_ref()
            .map(|s| appsecret_proof(&s.0, &self.token.0, None));
        let redactor = Redactor::new(
            [
                Some(self.token.0.clone()),
                self.app_secret.as_ref().map(|s| s.0.clone()),
                plain_proof,
            ]
            .into_iter()
            .flatten(),
        );
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                auth,
                redactor: Arc::new(redactor),
                token: self.token,
                app_secret: self.app_secret,
                timed_proof: self.timed_proof,
                base_url,
                version: self.version,
                retry: self.retry,
                max_body: self.max_body,
            }),
        })
    }
}

fn valid_version(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('v') else {
        return false;
    };
    let mut parts = rest.split('.');
    let digits = |p: Option<&str>| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    digits(parts.next()) && digits(parts.next()) && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(valid_version("v20.0"));
        assert!(!valid_version("20.0"));
        assert!(!valid_version("v20"));
        assert!(!valid_version("v20.0/../x"));
    }

    #[test]
    fn decode_reports_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct S {
            data: Vec<T>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            n: u32,
        }
        let f = decode::<S>(br#"{"data":[{"n":1},{"n":"x"}]}"#)
            .err()
            .unwrap();
        assert_eq!(f.path, "data[1].n");
        assert!(f.message.contains("invalid type"), "{}", f.message);
        assert!(!f.truncated);
        let f = decode::<S>(br#"{"data":[{"n":1}"#).err().unwrap();
        assert!(f.path.starts_with("data"), "{}", f.path);
        assert!(f.truncated);
    }
}
