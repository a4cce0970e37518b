//! Graph's error envelope and the errors the mock answers with.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

/// A Graph error, rendered as `{"error":{"message","type","code","error_subcode"?,"fbtrace_id","is_transient"?}}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GraphError {
    pub(crate) status: StatusCode,
    pub(crate) code: i64,
    pub(crate) subcode: Option<i64>,
    pub(crate) kind: &'static str,
    pub(crate) message: String,
    pub(crate) transient: Option<bool>,
}

const OAUTH: &str = "OAuthException";
const METHOD: &str = "GraphMethodException";

impl GraphError {
    fn new(code: i64, kind: &'static str, message: String) -> GraphError {
        GraphError {
            status: StatusCode::BAD_REQUEST,
            code,
            subcode: None,
            kind,
            message,
            transient: None,
        }
    }

    /// 100: a parameter is missing or invalid; `detail` follows Graph's `(#100) ` prefix.
    pub(crate) fn param(detail: impl Into<String>) -> GraphError {
        GraphError::new(100, OAUTH, format!("(#100) {}", detail.into()))
    }

    /// 100/33: the object does not exist, is not visible, or does not support the method.
    pub(crate) fn unsupported(method: &str, id: &str) -> GraphError {
        GraphError {
            subcode: Some(33),
            ..GraphError::new(
                100,
                METHOD,
                format!(
                    "Unsupported {} request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
                    method.to_ascii_lowercase()
                ),
            )
        }
    }

    /// 2500: the path is not one Graph knows.
    pub(crate) fn unknown_path(rest: &str) -> GraphError {
        GraphError::new(2500, OAUTH, format!("Unknown path components: /{rest}"))
    }

    /// 104: no access token at all.
    pub(crate) fn no_token() -> GraphError {
        GraphError::new(
            104,
            OAUTH,
            "An access token is required to request this resource.".into(),
        )
    }

    /// 190: a token the mock does not know.
    pub(crate) fn bad_token() -> GraphError {
        GraphError::new(
            190,
            OAUTH,
            "Invalid OAuth access token - Cannot parse access token".into(),
        )
    }

    /// 100 (GraphMethodException): a missing or wrong `appsecret_proof`.
    pub(crate) fn proof(message: &str) -> GraphError {
        GraphError::new(100, METHOD, message.into())
    }

    /// 80008: the WABA's Business Use Case limit is reached; `message` comes from the spec.
    pub(crate) fn throttled(message: &str) -> GraphError {
        GraphError {
            transient: Some(true),
            ..GraphError::new(80008, OAUTH, format!("(#80008) {message}"))
        }
    }

    /// 2 with HTTP 500: a temporary server failure.
    pub(crate) fn server_error() -> GraphError {
        GraphError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            transient: Some(true),
            ..GraphError::new(
                2,
                OAUTH,
                "An unexpected error has occurred. Please retry your request later.".into(),
            )
        }
    }

    /// 1 with HTTP 400 and `is_transient: true`.
    pub(crate) fn transient() -> GraphError {
        GraphError {
            subcode: Some(99),
            transient: Some(true),
            ..GraphError::new(1, OAUTH, "An unknown error occurred".into())
        }
    }

    /// The JSON body.
    pub(crate) fn body(&self, fbtrace_id: &str) -> Value {
        let mut e = Map::new();
        e.insert("message".into(), json!(self.message));
        e.insert("type".into(), json!(self.kind));
        e.insert("code".into(), json!(self.code));
        if let Some(s) = self.subcode {
            e.insert("error_subcode".into(), json!(s));
        }
        if let Some(t) = self.transient {
            e.insert("is_transient".into(), json!(t));
        }
        e.insert("fbtrace_id".into(), json!(fbtrace_id));
        json!({ "error": e })
    }
}
