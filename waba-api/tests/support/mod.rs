//! A scripted HTTP/1.1 server on 127.0.0.1 for wire-format tests: it records every request
//! exactly as received and answers with the responses a test queues (including broken ones:
//! dropped connections and truncated bodies), so the client is exercised over real sockets.

#![allow(dead_code)] // each test file uses a different part of the support module

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Raw query string (percent-encoded as sent).
    pub query: String,
    pub headers: Vec<(String, String)>,
    /// Raw body.
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Decoded `application/x-www-form-urlencoded` pairs of the query.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        decode_form(&self.query)
    }

    /// Decoded form pairs of the body.
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        decode_form(&self.body)
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub enum Reply {
    Json {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Close the connection without answering.
    Drop,
    /// Announce `body.len() + 100` bytes, send `body`, close.
    Truncated { status: u16, body: String },
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply::Json {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Json { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    pub fn html(status: u16, body: &str) -> Self {
        Reply::Json {
            status,
            headers: vec![("content-type".into(), "text/html".into())],
            body: body.into(),
        }
    }

    pub fn graph_error(status: u16, code: i64, extra: &str) -> Self {
        Reply::json(
            status,
            format!(
                r#"{{"error":{{"message":"(#{code}) test error","type":"OAuthException","code":{code},"fbtrace_id":"TRACE"{extra}}}}}"#
            ),
        )
    }
}

#[derive(Clone)]
pub struct Server {
    pub base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
    fallback: Arc<Mutex<Reply>>,
}

impl Server {
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().expect("addr"));
        let server = Server {
            base_url,
            requests: Arc::default(),
            replies: Arc::default(),
            fallback: Arc::new(Mutex::new(Reply::json(500, r#"{"unscripted":true}"#))),
        };
        let s = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move { s.serve(stream).await });
            }
        });
        server
    }

    /// Queues replies, answered in order; after them every request gets the fallback.
    pub fn reply(&self, replies: impl IntoIterator<Item = Reply>) {
        self.replies.lock().unwrap().extend(replies);
    }

    pub fn fallback(&self, reply: Reply) {
        *self.fallback.lock().unwrap() = reply;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    async fn serve(&self, mut stream: TcpStream) {
        // One request per connection (`connection: close`) keeps the parser trivial.
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        let head_end = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let mut start = lines.next().unwrap_or_default().split(' ');
        let method = start.next().unwrap_or_default().to_string();
        let target = start.next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let len = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        while buf.len() < head_end + len {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = String::from_utf8_lossy(&buf[head_end..]).to_string();
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };
        self.requests.lock().unwrap().push(Recorded {
            method,
            path,
            query,
            headers,
            body,
        });
        let reply = self
            .replies
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| self.fallback.lock().unwrap().clone());
        let bytes = match reply {
            Reply::Drop => return,
            Reply::Json {
                status,
                headers,
                body,
            } => {
                let mut out = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                    body.len()
                );
                for (n, v) in headers {
                    out.push_str(&format!("{n}: {v}\r\n"));
                }
                out + "\r\n" + &body
            }
            Reply::Truncated { status, body } => format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len() + 100
            ),
        };
        let _ = stream.write_all(bytes.as_bytes()).await;
        let _ = stream.shutdown().await;
    }
}

fn decode_form(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (unescape(k), unescape(v))
        })
        .collect()
}

fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// A client for `server` with quick retries.
pub fn client(server: &Server) -> waba_api::Client {
    builder(server).build().expect("client")
}

pub fn builder(server: &Server) -> waba_api::ClientBuilder {
    waba_api::Client::builder(TOKEN)
        .base_url(&server.base_url)
        .retry_policy(fast_retries(4))
}

pub fn fast_retries(max_attempts: u32) -> waba_api::RetryPolicy {
    waba_api::RetryPolicy {
        max_attempts,
        base_delay: std::time::Duration::from_millis(5),
        max_delay: std::time::Duration::from_millis(200),
    }
}

pub const TOKEN: &str = "EAAGtesttoken0123456789SECRET";
pub const APP_SECRET: &str = "appsecret-0123456789abcdef";

pub fn id<T: std::str::FromStr<Err = waba_api::InvalidId>>(s: &str) -> T {
    s.parse().expect("test id")
}

/// A `tracing` writer that keeps everything written, for asserting on log text.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hex HMAC-SHA256, computed independently of the client, to check `appsecret_proof`.
pub fn hmac_hex(key: &str, msg: &str) -> String {
    use hmac::{KeyInit, Mac};
    let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    m.update(msg.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// A request of operation `spec` against waba-mock, built from the spec's data alone: the path
/// ID is [`object_for`]'s, and every required parameter but `without` carries the spec's example
/// value (typed, so that a JSON body carries numbers as numbers). Tests that exercise every
/// operation of `waba_api::ops::OPERATIONS` build their requests here, never by name.
pub fn example_request(
    mock: &waba_mock::MockServer,
    spec: &'static waba_api::OperationSpec,
    without: Option<&str>,
) -> waba_api::Request {
    example_request_on(spec, &object_for(mock, spec), without)
}

/// [`example_request`] on the object `id`.
pub fn example_request_on(
    spec: &'static waba_api::OperationSpec,
    id: &waba_api::GraphId,
    without: Option<&str>,
) -> waba_api::Request {
    let mut request = request_for(spec, id);
    for p in spec
        .params
        .iter()
        .filter(|p| p.required && Some(p.name) != without)
    {
        request.example(p);
    }
    request
}

/// The object an example call of `spec` is made on: for a node delete, the first delete target
/// (see [`with_write_objects`]) the mock still holds; for every other operation, the first
/// object of its node type that no node delete may remove.
pub fn object_for(
    mock: &waba_mock::MockServer,
    spec: &'static waba_api::OperationSpec,
) -> waba_api::GraphId {
    let deletes = deletes_node(spec);
    mock.objects_of(spec.node)
        .into_iter()
        .find(|id| is_delete_target(id) == deletes)
        .unwrap_or_else(|| {
            panic!(
                "the mock holds no {} for {}{}",
                spec.node,
                spec.name,
                if deletes {
                    " left to delete (seed them with support::with_write_objects)"
                } else {
                    ""
                }
            )
        })
        .parse()
        .unwrap()
}

/// Whether `spec` deletes the object it is called on (`DELETE /{id}`, no edge): afterwards the
/// object is gone for every other call, so node deletes get objects of their own.
pub fn deletes_node(spec: &waba_api::OperationSpec) -> bool {
    spec.method == waba_api::Method::Delete && edge_of(spec).is_none()
}

/// IDs from here on are objects only node deletes are sent to (above every range the mock
/// gives IDs from).
const DELETE_TARGETS: u64 = 990_000_000_000_000;
/// IDs of the objects the other calls of a node-deleted type are made on.
const KEPT: u64 = 980_000_000_000_000;

fn is_delete_target(id: &str) -> bool {
    id.parse::<u64>().is_ok_and(|n| n >= DELETE_TARGETS)
}

/// `seed` plus, for every node type a write (`POST`, `DELETE`) is called on, two objects of
/// its own: the first for reads, the second for writes, so that writes leave the listings reads
/// count alone (a seed that names objects of a type replaces the mock's one starter object of
/// it); and for every node type an operation deletes, `delete_targets` objects only node
/// deletes are sent to, one per delete that may be applied.
pub fn with_write_objects(mut seed: waba_mock::Seed, delete_targets: u64) -> waba_mock::Seed {
    let mut written: Vec<&waba_api::OperationSpec> = waba_api::ops::OPERATIONS
        .iter()
        .copied()
        .filter(|s| s.method != waba_api::Method::Get)
        .collect();
    // Node deletes first, so that each node type is seen once, with its targets.
    written.sort_by_key(|s| (!deletes_node(s), s.node));
    let (mut kept, mut target) = (KEPT, DELETE_TARGETS);
    let mut seen = std::collections::HashSet::new();
    for spec in written {
        if !seen.insert(spec.node) {
            continue;
        }
        let ids = seed.objects.entry(spec.node.to_string()).or_default();
        for _ in 0..2 {
            kept += 1;
            ids.push(kept.to_string());
        }
        if deletes_node(spec) {
            for _ in 0..delete_targets {
                target += 1;
                ids.push(target.to_string());
            }
        }
    }
    seed
}

/// The delete targets the mock was seeded with for node type `node`, in order.
pub fn delete_targets(mock: &waba_mock::MockServer, node: &str) -> Vec<String> {
    let mut ids: Vec<String> = mock
        .seed()
        .objects
        .get(node)
        .into_iter()
        .flatten()
        .filter(|id| is_delete_target(id))
        .cloned()
        .collect();
    ids.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    ids
}

/// The objects of `spec`'s node type the mock holds that no node delete removes.
pub fn kept_objects(mock: &waba_mock::MockServer, spec: &waba_api::OperationSpec) -> Vec<String> {
    mock.objects_of(spec.node)
        .into_iter()
        .filter(|id| !is_delete_target(id))
        .collect()
}

/// A request of `spec` whose path template has `id` in its one placeholder (every path of the
/// spec starts at the node it is called on), split here the way the generator splits it.
pub fn request_for(
    spec: &'static waba_api::OperationSpec,
    id: &waba_api::GraphId,
) -> waba_api::Request {
    let (head, rest) = spec
        .path
        .split_once('{')
        .expect("a path with a placeholder");
    let (_, tail) = rest.split_once('}').expect("a closed placeholder");
    assert!(!tail.contains('{'), "{}: one placeholder", spec.path);
    let mut parts = vec![waba_api::PathPart::Text(head), waba_api::PathPart::Id(id)];
    if !tail.is_empty() {
        parts.push(waba_api::PathPart::Text(tail));
    }
    waba_api::Request::new(spec, &parts)
}

/// The edge an operation's path names (`/{id}/edge`), if any.
pub fn edge_of(spec: &waba_api::OperationSpec) -> Option<&'static str> {
    spec.path
        .rsplit_once('/')
        .map(|(_, e)| e)
        .filter(|e| !e.starts_with('{'))
}

/// The soak's random faults (~10% of requests): throttles with a 5-minute regain, 5xx and
/// transient Graph errors, HTML 502s, truncated bodies, connections dropped before and after
/// applying.
pub fn soak_fault_rates() -> Vec<waba_mock::FaultRate> {
    use waba_mock::FaultKind;
    [
        (FaultKind::Throttle, 0.010),
        (FaultKind::ServerError, 0.020),
        (FaultKind::Transient, 0.015),
        (FaultKind::BadGateway, 0.015),
        (FaultKind::TruncatedBody, 0.015),
        (FaultKind::Drop, 0.015),
        (FaultKind::DropAfterApply, 0.010),
    ]
    .into_iter()
    .map(|(fault, rate)| waba_mock::FaultRate {
        fault,
        rate,
        operation: None,
    })
    .collect()
}

/// A client of `mock` with its seed's token and app secret (so every call carries
/// `appsecret_proof`) and this retry policy.
pub fn mock_client(
    mock: &waba_mock::MockServer,
    policy: waba_api::RetryPolicy,
) -> waba_api::Client {
    let s = mock.seed();
    waba_api::Client::builder(&s.access_token)
        .app_secret(&s.app_secret)
        .base_url(mock.base_url())
        .retry_policy(policy)
        .build()
        .unwrap()
}
