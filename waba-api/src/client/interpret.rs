//! A response into a value or an error: a success decoded as the operation's type (with the JSON
//! path of a failure), Graph's error envelope, or a bare HTTP error; every text redacted.

use serde::de::DeserializeOwned;

use super::Client;
use super::envelope::graph_error;
use crate::{Error, Request, Response, ResponseMeta};

const SNIPPET_CHARS: usize = 200;

impl Client {
    /// The response half of an attempt: a success decoded as `T`, or the error it carries.
    #[allow(clippy::result_large_err)] // the crate's `Error`, as `send` returns it
    pub(super) fn interpret<T: DeserializeOwned>(
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
        let request = Request::new(spec, &[crate::PathPart::Text("/1")]);
        self.interpret(&request, status, meta, body, None)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
