//! Batch requests: calls sent concurrently on a batching client share HTTP requests (Graph's
//! `batch` parameter, up to 50 calls each).
//!
//! A call on a client made with [`Client::with_batching`](crate::Client::with_batching) is
//! queued; the first call of a batch waits [`Batching::linger`] for others (or until
//! [`Batching::max_items`] are queued), then one `POST /{version}/` carries them all, with the
//! token in the `Authorization` header and `appsecret_proof` once, at the top level. Each call
//! gets its own answer (`{code, headers, body}`) and goes on as if it had been sent alone: its
//! status, usage headers and body are decoded into the operation's type or an [`Error`], and the
//! retry policy applies to it alone: a retry is sent on its own, not in a batch. What may be
//! retried follows from the error as for any call:
//!
//! - an item Graph answers with `null` (it did not finish in time) is an
//!   [`Error::Transport`] of kind `timeout`; idempotent calls retry it, a create reports
//!   `may_have_been_applied` and is never sent again;
//! - when the batch request itself fails (connection lost, truncated answer, 5xx) every call in
//!   it gets that failure; a create in it may have been applied, so it is not re-sent.
//!
//! An operation whose spec says `body: json` ([`BodyEncoding::Json`](crate::BodyEncoding))
//! travels in a batch like any other: Graph's batch format carries each call's `body` as a
//! form-encoded string, so its members go form-encoded there (strings as text, numbers and
//! booleans as text, lists and objects as JSON text), which is the encoding Graph accepts for
//! every parameter; sent alone, the same call has a JSON body.
//!
//! Graph counts every call of a batch against the limits, and so does the
//! [`Pacer`](crate::Pacer): each call waits for its own object's slot before it is queued.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use tokio::sync::{Notify, oneshot};

use crate::{Error, OperationSpec};

/// Graph's largest batch.
pub const MAX_BATCH_ITEMS: usize = 50;

/// How a batching client groups calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batching {
    /// Most calls per batch (1 to [`MAX_BATCH_ITEMS`]; default 50).
    pub max_items: usize,
    /// How long the first call of a batch waits for others (default 2 ms).
    pub linger: Duration,
}

impl Default for Batching {
    fn default() -> Self {
        Batching {
            max_items: MAX_BATCH_ITEMS,
            linger: Duration::from_millis(2),
        }
    }
}

/// One call as a batch item: `{method, relative_url, body?}` (no credentials).
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) method: &'static str,
    pub(crate) relative_url: String,
    pub(crate) body: Option<String>,
}

/// The answer to one item.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    /// The batch request's time-stamped proof (to keep out of error texts).
    pub(crate) proof: Option<String>,
}

/// What became of one item: its answer, or an error of the whole batch for this call.
pub(crate) type Outcome = Result<Answer, Error>;

pub(crate) struct Pending {
    pub(crate) item: Item,
    pub(crate) spec: &'static OperationSpec,
    pub(crate) attempt: u32,
    pub(crate) reply: oneshot::Sender<Outcome>,
}

/// The queue of a batching client.
pub(crate) struct Batcher {
    pub(crate) config: Batching,
    queue: Mutex<Vec<Pending>>,
    full: Notify,
}

impl Batcher {
    pub(crate) fn new(mut config: Batching) -> Batcher {
        config.max_items = config.max_items.clamp(1, MAX_BATCH_ITEMS);
        Batcher {
            config,
            queue: Mutex::new(Vec::new()),
            full: Notify::new(),
        }
    }

    /// Queues a call; `true` when it is the first of a new batch (the caller then starts the
    /// flush).
    pub(crate) fn push(&self, pending: Pending) -> bool {
        let mut q = self.queue.lock().expect("batch queue lock");
        let first = q.is_empty();
        q.push(pending);
        if q.len() >= self.config.max_items {
            self.full.notify_one();
        }
        first
    }

    /// Waits for the batch to fill or linger out, then hands out batches until the queue is
    /// empty.
    pub(crate) async fn next_batches(self: &Arc<Self>) -> Vec<Vec<Pending>> {
        tokio::select! {
            _ = tokio::time::sleep(self.config.linger) => {}
            _ = self.full.notified() => {}
        }
        let mut q = self.queue.lock().expect("batch queue lock");
        let mut batches = Vec::new();
        while !q.is_empty() {
            let n = q.len().min(self.config.max_items);
            batches.push(q.drain(..n).collect());
        }
        batches
    }
}

/// The `batch=` parameter for these items.
pub(crate) fn encode(items: &[Pending]) -> String {
    let list: Vec<Value> = items
        .iter()
        .map(|p| {
            let mut o = serde_json::Map::new();
            o.insert("method".into(), p.item.method.into());
            o.insert("relative_url".into(), p.item.relative_url.clone().into());
            if let Some(b) = &p.item.body {
                o.insert("body".into(), b.clone().into());
            }
            Value::Object(o)
        })
        .collect();
    Value::Array(list).to_string()
}

/// Splits Graph's answer to a batch of `n` items: `Some(answer)` per item, `None` for `null`.
/// The error says why the body is not a JSON array of `n` items.
pub(crate) fn decode(body: &[u8], n: usize) -> Result<Vec<Option<Answer>>, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Array(items) = value else {
        return Err("not a JSON array".into());
    };
    if items.len() != n {
        return Err(format!("{} answers for {n} requests", items.len()));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::Null => Ok(None),
            Value::Object(o) => {
                let status = o
                    .get("code")
                    .and_then(Value::as_u64)
                    .and_then(|c| u16::try_from(c).ok())
                    .ok_or_else(|| format!("[{i}].code is not a status"))?;
                let mut headers = HeaderMap::new();
                for h in o
                    .get("headers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let name = h.get("name").and_then(Value::as_str);
                    let value = h.get("value").and_then(Value::as_str);
                    if let (Some(n), Some(v)) = (name, value)
                        && let (Ok(n), Ok(v)) = (HeaderName::try_from(n), HeaderValue::try_from(v))
                    {
                        headers.append(n, v);
                    }
                }
                let body = match o.get("body") {
                    Some(Value::String(s)) => s.clone().into_bytes(),
                    None | Some(Value::Null) => Vec::new(),
                    Some(other) => other.to_string().into_bytes(),
                };
                Ok(Some(Answer {
                    status,
                    headers,
                    body,
                    proof: None,
                }))
            }
            _ => Err(format!("[{i}] is not an object")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_answers_and_nulls() {
        let body = br#"[{"code":200,"headers":[{"name":"x-app-usage","value":"{}"}],"body":"{\"id\":\"1\"}"},null]"#;
        let a = decode(body, 2).unwrap();
        let first = a[0].as_ref().unwrap();
        assert_eq!(first.status, 200);
        assert_eq!(first.body, br#"{"id":"1"}"#);
        assert!(first.headers.contains_key("x-app-usage"));
        assert!(a[1].is_none());
        assert!(decode(body, 3).is_err());
        assert!(decode(b"{}", 1).is_err());
        assert!(decode(br#"[{"headers":[]}]"#, 1).is_err());
    }
}
