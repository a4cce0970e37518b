//! One HTTP exchange: the URL, the credentials (token header, `appsecret_proof`), the
//! parameters by method, transport errors, a refused redirect, and the body read within the
//! client's limit.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::Client;
use crate::error::ErrorChain;
use crate::proof::appsecret_proof;
use crate::redact::Redactor;
use crate::{
    BodyEncoding, Error, Method, OperationSpec, Request, Response, ResponseMeta, TransportKind,
};

/// Largest allocation made for a body before its bytes arrive.
const INITIAL_BODY_CAPACITY: usize = 1 << 20;

impl Client {
    /// One HTTP exchange.
    #[allow(clippy::result_large_err)] // the crate's `Error`, as `send` returns it
    pub(super) async fn attempt<T: DeserializeOwned>(
        &self,
        request: &Request,
        attempt: u32,
        span: &tracing::Span,
    ) -> Result<Response<T>, Error> {
        let i = &self.inner;
        let spec = request.spec();
        let url = i.url(request.path());
        // A time-stamped proof changes per attempt; the client's redactor only knows the plain one.
        let proof = self.proof();
        let timed_proof = proof.timed();
        let params = Params {
            request,
            proof: &proof,
        };
        let method = match spec.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let builder = match url {
            Ok(url) => i.http.request(method, url),
            Err(text) => i.http.request(method, text),
        };
        let builder = match spec.method {
            Method::Get => builder.query(&params),
            Method::Post if spec.body == BodyEncoding::Json => {
                // The proof's members join the JSON object; they never go in the URL.
                let extra: Vec<(&str, &str)> = proof.pairs().collect();
                builder
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(request.json_body(&extra))
            }
            Method::Post | Method::Delete => builder.form(&params),
        };
        let transport =
            |kind: TransportKind, e: Option<reqwest::Error>, meta: Option<ResponseMeta>| {
                let source = e.map(|e| transport_source(e, &i.redactor, timed_proof.as_deref()));
                transport_error(spec, kind, attempt, meta, source)
            };
        let mut response = match builder
            .header(reqwest::header::AUTHORIZATION, i.auth.clone())
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => return Err(transport(send_failure(&e), Some(e), None)),
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
        // The HTTP client's redirect policy is always `none` (set in `build`), so a 3xx arrives
        // here: an error, never followed (see `TransportKind::Redirect`).
        if (300..400).contains(&status) {
            return Err(transport(TransportKind::Redirect, None, Some(meta)));
        }
        let body = match read_body(response, i.max_body).await {
            Ok(b) => b,
            Err(BodyError::TooLarge) => {
                return Err(too_large_error(spec, i.max_body, status, meta));
            }
            Err(BodyError::Transport(e)) => {
                return Err(transport(body_failure(&e), Some(e), Some(meta)));
            }
        };
        self.interpret(request, status, meta, &body, timed_proof.as_deref())
    }
}

impl Client {
    /// The `appsecret_proof` (and `appsecret_time`) of one HTTP request, if the client has an
    /// app secret.
    pub(super) fn proof(&self) -> Proof {
        let i = &self.inner;
        let Some(secret) = &i.app_secret else {
            return Proof::None;
        };
        if !i.timed_proof {
            return Proof::Plain(appsecret_proof(&secret.0, &i.token.0, None));
        }
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Proof::Timed(
            appsecret_proof(&secret.0, &i.token.0, Some(t)),
            t.to_string(),
        )
    }
}

/// The proof parameters of one HTTP request.
pub(super) enum Proof {
    None,
    Plain(String),
    /// The proof and its `appsecret_time`.
    Timed(String, String),
}

impl Proof {
    /// The time-stamped proof, which the client's redactor cannot know in advance.
    pub(super) fn timed(&self) -> Option<String> {
        match self {
            Proof::Timed(p, _) => Some(p.clone()),
            _ => None,
        }
    }

    /// The parameters to send alongside the request's own.
    pub(super) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        let (proof, time) = match self {
            Proof::None => (None, None),
            Proof::Plain(p) => (Some(p.as_str()), None),
            Proof::Timed(p, t) => (Some(p.as_str()), Some(t.as_str())),
        };
        let proof = proof.map(|p| ("appsecret_proof", p));
        let time = time.map(|t| ("appsecret_time", t));
        proof.into_iter().chain(time)
    }
}

/// A request's parameters and its proof, serialized as pairs (query or form) straight from where
/// they are, without collecting them first.
struct Params<'a> {
    request: &'a Request,
    proof: &'a Proof,
}

impl serde::Serialize for Params<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.request.params().chain(self.proof.pairs()))
    }
}

/// The error of an attempt that got no usable answer, whether it went alone or in a batch.
pub(super) fn transport_error(
    spec: &'static OperationSpec,
    kind: TransportKind,
    attempt: u32,
    meta: Option<ResponseMeta>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
) -> Error {
    Error::Transport {
        operation: spec.name,
        kind,
        // A connect failure means nothing reached the server, so nothing can have been
        // applied; a refused redirect is an answer that did not process the request.
        may_have_been_applied: spec.is_unrepeatable_write()
            && !matches!(kind, TransportKind::Connect | TransportKind::Redirect),
        attempts: attempt,
        meta,
        source,
    }
}

/// The error of an answer over the client's size limit, whether it came alone or for a batch.
pub(super) fn too_large_error(
    spec: &'static OperationSpec,
    limit: usize,
    status: u16,
    meta: ResponseMeta,
) -> Error {
    Error::TooLarge {
        operation: spec.name,
        limit,
        // A write answered with success was applied, however large the answer.
        may_have_been_applied: spec.is_unrepeatable_write() && (200..300).contains(&status),
        meta,
    }
}

/// What kind of failure a request that got no answer is.
pub(super) fn send_failure(e: &reqwest::Error) -> TransportKind {
    if e.is_connect() {
        TransportKind::Connect
    } else if e.is_timeout() {
        TransportKind::Timeout
    } else {
        TransportKind::Request
    }
}

/// What kind of failure a body that could not be read to its end is.
pub(super) fn body_failure(e: &reqwest::Error) -> TransportKind {
    if e.is_timeout() {
        TransportKind::Timeout
    } else {
        TransportKind::Body
    }
}

pub(super) enum BodyError {
    TooLarge,
    Transport(reqwest::Error),
}

pub(super) async fn read_body(
    mut response: reqwest::Response,
    max: usize,
) -> Result<Bytes, BodyError> {
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(BodyError::TooLarge);
    }
    // A small answer usually arrives as one chunk: kept as it is, not copied.
    let Some(first) = response.chunk().await.map_err(BodyError::Transport)? else {
        return Ok(Bytes::new());
    };
    if first.len() > max {
        return Err(BodyError::TooLarge);
    }
    let Some(second) = response.chunk().await.map_err(BodyError::Transport)? else {
        return Ok(first);
    };
    // The announced length only sizes the first allocation, capped: a server may lie about it,
    // and a large `max_response_bytes` must not become one huge allocation up front.
    let announced = response.content_length().map_or(1024, |n| n as usize);
    let mut body = Vec::with_capacity(announced.min(INITIAL_BODY_CAPACITY));
    let mut chunk = Some(second);
    body.extend_from_slice(&first);
    while let Some(c) = chunk {
        if body.len() + c.len() > max {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&c);
        chunk = response.chunk().await.map_err(BodyError::Transport)?;
    }
    Ok(body.into())
}

/// The transport's error as an error source: without its URL (the query may carry
/// `appsecret_proof`). Should its text still hold a credential, only the redacted text is kept.
pub(super) fn transport_source(
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
pub(super) struct RedactedError(pub(super) String);

impl fmt::Display for RedactedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RedactedError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real transport error: a connection to a port nobody listens on.
    async fn refused() -> reqwest::Error {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        crate::tls::ensure_provider();
        reqwest::Client::new()
            .get(format!("http://{addr}/x?appsecret_proof=p"))
            .send()
            .await
            .unwrap_err()
    }

    /// A response whose body arrives as HTTP/1.1 chunks written apart, so that the client reads
    /// it in several pieces.
    async fn chunked(chunks: &'static [&'static str]) -> reqwest::Response {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await.unwrap();
            sock.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                .await
                .unwrap();
            for c in chunks {
                let piece = format!("{:x}\r\n{c}\r\n", c.len());
                sock.write_all(piece.as_bytes()).await.unwrap();
                sock.flush().await.unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            sock.write_all(b"0\r\n\r\n").await.unwrap();
        });
        crate::tls::ensure_provider();
        reqwest::Client::new()
            .get(format!("http://{addr}/"))
            .send()
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_body_in_pieces_is_read_whole_and_within_the_limit() {
        let body = read_body(chunked(&["{\"a\":", "[1,2,", "3]}"]).await, 100)
            .await
            .ok()
            .unwrap();
        assert_eq!(&body[..], br#"{"a":[1,2,3]}"#);
        let one = read_body(chunked(&["{}"]).await, 100).await.ok().unwrap();
        assert_eq!(&one[..], b"{}");
        let empty = read_body(chunked(&[]).await, 100).await.ok().unwrap();
        assert!(empty.is_empty());
        // No announced length: the limit is checked as the pieces arrive (first, later).
        for pieces in [&["0123456789ab"][..], &["0123", "4567", "89ab"][..]] {
            let err = read_body(chunked(pieces).await, 10).await.err().unwrap();
            assert!(matches!(err, BodyError::TooLarge), "{pieces:?}");
        }
    }

    #[tokio::test]
    async fn the_source_is_reqwests_error_without_its_url() {
        let source = transport_source(refused().await, &Redactor::new(["SECRET".into()]), None);
        let e = source.downcast_ref::<reqwest::Error>().expect("kept as is");
        assert!(e.is_connect() && e.url().is_none(), "{e:?}");
    }

    #[tokio::test]
    async fn a_source_whose_text_holds_a_credential_is_kept_only_redacted() {
        // "error" stands for a credential the transport's text happens to contain.
        let redactor = Redactor::new(["error".to_string()]);
        let source = transport_source(refused().await, &redactor, None);
        assert!(source.downcast_ref::<reqwest::Error>().is_none());
        let text = format!("{source}\n{source:?}");
        assert!(
            !text.contains("error") && text.contains("[redacted]"),
            "{text}"
        );
    }
}
