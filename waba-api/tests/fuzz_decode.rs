//! Fuzzing of the response decoder: node, page and error JSON and the usage headers, through the
//! client's own response path (`Client::__interpret_response`, the code `send` runs once a body
//! has arrived), seeded with the responses waba-mock sends and mutated byte-, token- and
//! value-wise.
//!
//! Properties, for every input: no panic; a 2xx answer is a value or `Error::Decode`, any other
//! status `Error::Graph` or `Error::Http`; no error's `Display` or `Debug` text holds the access
//! token, the app secret or the `appsecret_proof`, even when the body or headers echo them.
//!
//! Size: `WABA_FUZZ_CASES` (default 20,000; the full run is 1,000,000). Crashing inputs found so
//! far are kept under `tests/regressions/decode/` and replayed first.

mod support;

use std::fmt::Debug;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use support::{APP_SECRET, TOKEN};
use waba_api::models::{AssignedUser, AssignedUsersSummary, PhoneNumberCreated, SuccessResponse};
use waba_api::models::{WhatsAppBusinessAccount, WhatsAppBusinessAccountField};
use waba_api::{Client, Error, OperationSpec, Page, ops};

/// Bodies as waba-mock (and Graph) sends them, per operation, plus error envelopes.
const NODE: &str = r#"{"id":"200000000000001","name":"Mock WABA 1","currency":"USD","timezone_id":"1","message_template_namespace":"ns_1","business_verification_status":"verified","ownership_type":"CLIENT_OWNED","is_enabled_for_insights":true,"country":"US","primary_funding_id":"1","purchase_order_number":"PO","on_behalf_of_business_info":{"id":"100000000000001","name":"Biz","status":"APPROVED","type":"INTERNAL"},"permitted_tasks":["MANAGE","DEVELOP"],"analytics":{"phone_numbers":[1,2.5,null,"x"],"nested":{"a":[{"b":{}}]}}}"#;
const USERS: &str = r#"{"data":[{"id":"300000000000001","name":"User 1","tasks":["MANAGE"]},{"id":"300000000000002","name":"User 2","tasks":["DEVELOP","MANAGE_TEMPLATES"]}],"paging":{"cursors":{"before":"MA==","after":"MQ=="},"next":"http://127.0.0.1:1/v20.0/200000000000001/assigned_users?business=100000000000001&limit=2&after=MQ%3D%3D&access_token=abc"},"summary":{"total_count":60}}"#;
const WABAS: &str = r#"{"data":[{"id":"200000000000001","name":"Mock WABA 1","ownership_type":"CLIENT_OWNED","permitted_tasks":["MANAGE"]},{"id":"200000000000002"}],"paging":{"cursors":{"before":"MA==","after":"MQ=="},"previous":"http://x/?before=MA%3D%3D"}}"#;
const SUCCESS: &str = r#"{"success":true}"#;
const CREATED: &str = r#"{"id":"500000000000001"}"#;
const ERR_THROTTLE: &str = r#"{"error":{"message":"(#80008) There have been too many calls to this WhatsApp Business account. Wait a bit and try again.","type":"OAuthException","code":80008,"error_subcode":2593048,"is_transient":false,"error_user_title":"Too many calls","error_user_msg":"Wait","fbtrace_id":"AbCdEf"}}"#;
const ERR_DATA: &str = r#"{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":"100","error_subcode":"33","error_data":"{\"blame_field_specs\":[[\"tasks\"]],\"details\":\"x\"}","fbtrace_id":"T"}}"#;
const ERR_TRANSIENT: &str = r#"{"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException","is_transient":true,"code":2,"error_data":{"messaging_product":"whatsapp","details":["a",{"b":1}]}}}"#;
const HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body></html>\r\n";

const APP_USAGE: &str = r#"{"call_count":28,"total_time":25,"total_cputime":25}"#;
const BUC_USAGE: &str = r#"{"200000000000001":[{"type":"whatsapp_business_management","call_count":100,"total_cputime":1,"total_time":2,"estimated_time_to_regain_access":5}],"1":[]}"#;

const BODIES: &[&str] = &[
    NODE,
    USERS,
    WABAS,
    SUCCESS,
    CREATED,
    ERR_THROTTLE,
    ERR_DATA,
    ERR_TRANSIENT,
    HTML,
];
const STATUSES: &[u16] = &[
    200, 201, 204, 299, 400, 401, 403, 404, 429, 500, 502, 503, 302, 100,
];

fn proof() -> String {
    use hmac::{KeyInit, Mac};
    let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(APP_SECRET.as_bytes()).unwrap();
    m.update(TOKEN.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// Text a mutation may splice in: JSON structure, odd numbers and strings, and the credentials
/// (a hostile or buggy server echoing them).
fn tokens() -> Vec<String> {
    let mut t: Vec<String> = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u",
        "\\ud800",
        "\\u0000",
        "null",
        "true",
        "-1",
        "0",
        "1e400",
        "-0.0",
        "18446744073709551616",
        "4294967296",
        "9.99e-999",
        "\"\"",
        "{\"error\":{\"code\":",
        "\"code\":1",
        "\"code\":\"80008\"",
        "\"error_data\":\"{\\\"a\\\":",
        "\"is_transient\":true",
        "\"data\":",
        "\"paging\":{\"cursors\":{\"after\":",
        "\"next\":",
        "\"summary\":",
        "\"total_count\":",
        "\"success\":",
        "\"id\":",
        "\"tasks\":",
        "é",
        "𝄞",
        "\u{feff}",
        "\u{0}",
        "\r\n",
        "<html>",
        "access_token=",
        "appsecret_proof=",
        "&",
        "=",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for secret in [TOKEN.to_string(), APP_SECRET.to_string(), proof()] {
        t.push(secret.clone());
        t.push(format!("\"{secret}\""));
        t.push(format!("\"{secret}\":\"{secret}\""));
        t.push(format!("access_token={secret}"));
    }
    t
}

/// One edit of an input; applied in order, each against the result of the one before.
#[derive(Debug, Clone)]
struct Edit {
    kind: u8,
    at: u32,
    len: u16,
    token: u16,
}

fn edit() -> impl Strategy<Value = Edit> {
    (any::<u8>(), any::<u32>(), any::<u16>(), any::<u16>()).prop_map(|(kind, at, len, token)| {
        Edit {
            kind,
            at,
            len,
            token,
        }
    })
}

fn floor_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Applies `edits` to `seed`: text edits (insert, delete, duplicate, truncate, replace, repeat a
/// token up to deep nesting) and value edits (replace the n-th JSON value, when it parses).
fn mutate(seed: &str, edits: &[Edit], tokens: &[String]) -> String {
    let mut s = seed.to_string();
    for e in edits {
        let tok = tokens[e.token as usize % tokens.len()].as_str();
        let at = floor_char(&s, e.at as usize % (s.len() + 1));
        let end = floor_char(&s, at + (e.len as usize % 48));
        match e.kind % 9 {
            0 => s.insert_str(at, tok),
            1 => s.replace_range(at..end, ""),
            2 => {
                let dup = s[at..end].to_string();
                s.insert_str(end, &dup);
            }
            3 => s.truncate(at),
            4 => s.replace_range(at..end, tok),
            5 => {
                // Deep nesting and long runs: up to 5,000 repeats.
                let n = e.len as usize % 5_000;
                s.insert_str(at, &tok.repeat(n));
            }
            6 => {
                let open = ["[", "{\"a\":", "{\"error\":", "{\"data\":["][e.token as usize % 4];
                let n = 100 + e.len as usize % 400;
                s.insert_str(at, &open.repeat(n));
            }
            _ => {
                if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&s) {
                    let mut k = e.at as usize % 64;
                    replace_nth(&mut v, &mut k, &value_for(tok, e.len));
                    s = v.to_string();
                }
            }
        }
    }
    s
}

fn value_for(tok: &str, n: u16) -> serde_json::Value {
    use serde_json::json;
    match n % 8 {
        0 => serde_json::from_str(tok).unwrap_or_else(|_| json!(tok)),
        1 => json!(tok),
        2 => json!(i64::MIN + i64::from(n)),
        3 => json!(u64::MAX - u64::from(n)),
        4 => json!(f64::from(n) / 7.0),
        5 => json!([tok, {tok: tok}]),
        6 => json!({ tok: [n] }),
        _ => serde_json::Value::Null,
    }
}

fn replace_nth(v: &mut serde_json::Value, k: &mut usize, with: &serde_json::Value) -> bool {
    if *k == 0 {
        *v = with.clone();
        return true;
    }
    *k -= 1;
    match v {
        serde_json::Value::Array(a) => a.iter_mut().any(|x| replace_nth(x, k, with)),
        serde_json::Value::Object(o) => o.values_mut().any(|x| replace_nth(x, k, with)),
        _ => false,
    }
}

/// A header value as a server could send it: bytes HTTP allows (others replaced by `?`).
fn header_value(s: &str) -> HeaderValue {
    let bytes: Vec<u8> = s
        .bytes()
        .map(|b| {
            if b == b'\t' || (b >= 0x20 && b != 0x7f) {
                b
            } else {
                b'?'
            }
        })
        .collect();
    HeaderValue::from_bytes(&bytes).expect("sanitized header bytes")
}

/// One response to decode.
#[derive(Debug, Clone)]
struct Input {
    op: usize,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn input() -> impl Strategy<Value = Input> {
    let toks = tokens();
    (
        0usize..6,
        0usize..BODIES.len(),
        0usize..STATUSES.len(),
        prop::collection::vec(edit(), 0..6),
        prop::collection::vec(edit(), 0..3),
        prop::collection::vec(edit(), 0..3),
        any::<u8>(),
    )
        .prop_map(
            move |(op, body, status, body_edits, app_edits, buc_edits, flags)| {
                let mut headers = Vec::new();
                if flags & 1 != 0 {
                    headers.push(("x-app-usage".into(), mutate(APP_USAGE, &app_edits, &toks)));
                }
                if flags & 2 != 0 {
                    headers.push((
                        "x-business-use-case-usage".into(),
                        mutate(BUC_USAGE, &buc_edits, &toks),
                    ));
                }
                if flags & 4 != 0 {
                    let t = &toks[flags as usize % toks.len()];
                    headers.push(("x-fb-trace-id".into(), format!("Ab{t}")));
                    headers.push(("facebook-api-version".into(), format!("v20.0{t}")));
                }
                // Sometimes the body of another operation, sometimes the one it returns.
                let seed = if flags & 8 != 0 {
                    BODIES[op.min(4) + [0, 1, 2, 3, 3, 4][op] - op.min(4)]
                } else {
                    BODIES[body]
                };
                let mut bytes = mutate(seed, &body_edits, &toks).into_bytes();
                if flags & 16 != 0 && !bytes.is_empty() {
                    // Invalid UTF-8 inside a body.
                    let at = (flags as usize * 31) % bytes.len();
                    bytes[at] = 0xff;
                }
                Input {
                    op,
                    status: STATUSES[status],
                    headers,
                    body: bytes,
                }
            },
        )
}

struct Target {
    client: Client,
    secrets: Vec<String>,
}

impl Target {
    fn new() -> Target {
        let client = Client::builder(TOKEN)
            .app_secret(APP_SECRET)
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        Target {
            client,
            secrets: vec![TOKEN.to_string(), APP_SECRET.to_string(), proof()],
        }
    }

    fn check(&self, input: &Input) {
        let mut headers = HeaderMap::new();
        for (n, v) in &input.headers {
            headers.append(
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                header_value(v),
            );
        }
        let specs: [&'static OperationSpec; 6] = [
            &ops::ListClientWhatsAppBusinessAccounts::SPEC,
            &ops::GetWhatsAppBusinessAccount::SPEC,
            &ops::RemoveAssignedUser::SPEC,
            &ops::ListAssignedUsers::SPEC,
            &ops::AddAssignedUser::SPEC,
            &ops::CreatePhoneNumber::SPEC,
        ];
        let spec = specs[input.op];
        match input.op {
            0 => self.run::<Page<WhatsAppBusinessAccount>>(spec, input, &headers),
            1 => self.run::<WhatsAppBusinessAccount>(spec, input, &headers),
            2 | 4 => self.run::<SuccessResponse>(spec, input, &headers),
            3 => self.run::<Page<AssignedUser, AssignedUsersSummary>>(spec, input, &headers),
            _ => self.run::<PhoneNumberCreated>(spec, input, &headers),
        }
        // The usage headers alone, as a caller reads them.
        let usage = waba_api::Usage::from_headers(&headers);
        let _ = (
            usage.regain_access_after(),
            usage.max_percent(),
            format!("{usage:?}"),
        );
    }

    fn run<T: DeserializeOwned + Debug>(
        &self,
        spec: &'static OperationSpec,
        input: &Input,
        headers: &HeaderMap,
    ) {
        let r = self
            .client
            .__interpret_response::<T>(spec, input.status, headers, &input.body);
        let ok_status = (200..300).contains(&input.status);
        match &r {
            Ok(v) => {
                assert!(ok_status, "a value from HTTP {}", input.status);
                let _ = format!("{v:?}");
            }
            Err(e) => {
                match e {
                    Error::Decode { .. } => assert!(ok_status, "{e:?}"),
                    Error::Graph(_) | Error::Http { .. } => assert!(!ok_status, "{e:?}"),
                    other => panic!("unexpected error kind {other:?}"),
                }
                assert_eq!(e.status(), Some(input.status));
                let _ = (
                    e.is_retryable(),
                    e.may_have_been_applied(),
                    e.code(),
                    e.usage(),
                );
                let text = format!("{e}\n{e:?}");
                for s in &self.secrets {
                    if let Some(at) = text.find(s.as_str()) {
                        let from = floor_char(&text, at.saturating_sub(300));
                        let to = floor_char(&text, at + 300);
                        panic!("error text leaks {s}: …{}…", &text[from..to]);
                    }
                }
            }
        }
    }
}

fn cases(default: u32) -> u32 {
    std::env::var("WABA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Replays the kept crashing inputs: `<op index>.<status>.<name>.body`, with an optional
/// `.headers` file beside it (`name: value` lines).
#[test]
fn regressions_decode() {
    let target = Target::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/decode");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "body") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut parts = name.split('.');
        let op: usize = parts.next().unwrap().parse().unwrap();
        let status: u16 = parts.next().unwrap().parse().unwrap();
        let headers = std::fs::read_to_string(path.with_extension("headers"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once(": "))
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let body = std::fs::read(&path).unwrap();
        target.check(&Input {
            op,
            status,
            headers,
            body,
        });
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}

#[test]
fn fuzz_decode() {
    let target = Target::new();
    let n = cases(20_000);
    let mut runner = TestRunner::new(Config {
        cases: n,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        max_shrink_iters: 20_000,
        ..Config::default()
    });
    let started = std::time::Instant::now();
    let result = runner.run(&input(), |i| {
        target.check(&i);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "fuzz_decode: {n} executions in {:.1?}, no failure",
        started.elapsed()
    );
    // Every field selector is printable (the decoder's counterpart on the request side).
    let _ = WhatsAppBusinessAccountField::ALL;
}
