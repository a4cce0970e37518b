//! Graph's error envelope (`{"error": {…}}`) into a [`GraphError`], credentials removed.

use crate::error::GraphError;
use crate::redact::redact_json;
use crate::{ErrorCode, ErrorSubcode, ResponseMeta};

/// Graph's error envelope, if the body is one.
pub(super) fn graph_error(
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
