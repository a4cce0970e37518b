//! Helpers shared by the HTTP tests: a client and JSON requests against a running mock.

#![allow(dead_code)] // each test binary uses a different subset

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use waba_mock::{MockConfig, MockServer};

pub const VERSION: &str = "v26.0";

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    /// The error code, or 0 for a success.
    pub fn code(&self) -> i64 {
        self.body["error"]["code"].as_i64().unwrap_or(0)
    }

    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn header_json(&self, name: &str) -> Value {
        serde_json::from_str(self.header(name).unwrap_or("null")).unwrap()
    }
}

pub async fn start() -> MockServer {
    MockServer::start(MockConfig::default()).await.unwrap()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap()
}

/// `{base}/{VERSION}/{path}`.
pub fn url(mock: &MockServer, path: &str) -> String {
    format!("{}/{VERSION}/{path}", mock.base_url())
}

/// Sends a request with the seed's Bearer token; `form` goes in the body.
pub async fn call(
    mock: &MockServer,
    method: Method,
    path: &str,
    query: &[(&str, &str)],
    form: &[(&str, &str)],
) -> Resp {
    let req = client()
        .request(method, url(mock, path))
        .bearer_auth(&mock.seed().access_token)
        .query(query);
    let req = if form.is_empty() { req } else { req.form(form) };
    send(req).await
}

pub async fn get(mock: &MockServer, path: &str, query: &[(&str, &str)]) -> Resp {
    call(mock, Method::GET, path, query, &[]).await
}

pub async fn send(req: reqwest::RequestBuilder) -> Resp {
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Resp {
        status,
        headers,
        body,
    }
}

/// Asserts Graph's error envelope: exactly these keys, the code, type and subcode.
pub fn assert_error(r: &Resp, code: i64, kind: &str, subcode: Option<i64>) {
    assert_eq!(r.code(), code, "{}", r.body);
    let e = r.body["error"].as_object().unwrap();
    assert_eq!(e["type"], kind, "{}", r.body);
    assert_eq!(
        e.get("error_subcode").and_then(Value::as_i64),
        subcode,
        "{}",
        r.body
    );
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(
        e["fbtrace_id"].as_str(),
        r.header("x-fb-trace-id"),
        "trace id in body and header"
    );
    for k in e.keys() {
        assert!(
            [
                "message",
                "type",
                "code",
                "error_subcode",
                "fbtrace_id",
                "is_transient"
            ]
            .contains(&k.as_str()),
            "unexpected key {k}"
        );
    }
}
