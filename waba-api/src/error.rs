//! The one error type of waba-api.

use std::fmt;

use crate::{ErrorCode, ResponseMeta, Usage};

/// Everything that can go wrong with a call. Match on the variant, or ask
/// [`is_retryable`](Error::is_retryable) / [`code`](Error::code). No variant ever holds the access
/// token, the app secret or the `appsecret_proof`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Graph answered with its error envelope.
    #[error("{0}")]
    Graph(Box<GraphError>),
    /// The request was not sent because it is invalid (e.g. a parameter could not be encoded).
    #[error("{operation}: invalid request: {reason}")]
    InvalidRequest {
        /// Operation name.
        operation: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The request failed in transit (connect, timeout, reset).
    #[error("{operation}: {kind} after {attempts} attempt(s){}: {message}", applied_note(*.may_have_been_applied))]
    Transport {
        /// Operation name.
        operation: &'static str,
        /// `connect`, `timeout` or `transport`.
        kind: &'static str,
        /// The transport's own message (URL removed).
        message: String,
        /// A write may have reached the server and been applied although no answer arrived.
        may_have_been_applied: bool,
        /// Attempts made.
        attempts: u32,
    },
    /// A non-success status without Graph's error envelope (e.g. an HTML 502 from a proxy).
    #[error("{operation}: HTTP {} without a Graph error body{}: {snippet}", .meta.status(), applied_note(*.may_have_been_applied))]
    Http {
        /// Operation name.
        operation: &'static str,
        /// Start of the body, secrets removed.
        snippet: String,
        /// A write may have been applied.
        may_have_been_applied: bool,
        /// Status and headers.
        meta: ResponseMeta,
    },
    /// The body was not what the operation returns: truncated or malformed JSON, or a wrong shape.
    #[error("{operation}: cannot decode HTTP {} response at `{path}`: {message}{}; body starts: {snippet}", .meta.status(), applied_note(*.may_have_been_applied))]
    Decode {
        /// Operation name.
        operation: &'static str,
        /// JSON path where decoding failed (`.` for the whole body).
        path: String,
        /// What was wrong there.
        message: String,
        /// Start of the body, secrets removed.
        snippet: String,
        /// The body ended early (a retry may cure it; a wrong shape will not).
        truncated: bool,
        /// A write may have been applied (its answer was unreadable).
        may_have_been_applied: bool,
        /// Status and headers.
        meta: ResponseMeta,
    },
    /// The response was larger than the client's limit.
    #[error("{operation}: response body larger than {limit} bytes{}", applied_note(*.may_have_been_applied))]
    TooLarge {
        /// Operation name.
        operation: &'static str,
        /// The limit.
        limit: usize,
        /// The write succeeded (its answer was just too large to read).
        may_have_been_applied: bool,
        /// Status and headers.
        meta: ResponseMeta,
    },
    /// Paging went wrong (e.g. Graph repeated a cursor, which would loop forever).
    #[error("{operation}: pagination stopped: {reason}")]
    Pagination {
        /// Operation name.
        operation: &'static str,
        /// What happened.
        reason: String,
    },
}

fn applied_note(applied: bool) -> &'static str {
    if applied {
        " (the write may have been applied)"
    } else {
        ""
    }
}

/// Graph's error envelope (`{"error": {…}}`) with the response it came in.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphError {
    /// Operation name.
    pub operation: &'static str,
    /// `code`, as the generated enum.
    pub code: ErrorCode,
    /// `error_subcode`.
    pub subcode: Option<i64>,
    /// `type`, e.g. `OAuthException`.
    pub kind: String,
    /// `message`.
    pub message: String,
    /// `error_user_title`.
    pub user_title: Option<String>,
    /// `error_user_msg`.
    pub user_message: Option<String>,
    /// `fbtrace_id`.
    pub fbtrace_id: Option<String>,
    /// `is_transient`: Meta says retrying may succeed.
    pub is_transient: bool,
    /// `error_data`: an object, or a JSON string decoded into one where possible.
    pub error_data: Option<serde_json::Value>,
    /// Attempts made.
    pub attempts: u32,
    /// A write that must not be repeated may have been applied although Graph reported an
    /// error (it failed on Graph's side: HTTP 5xx or a transient error).
    pub may_have_been_applied: bool,
    /// Status and headers (usage included).
    pub meta: ResponseMeta,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: Graph error {} ", self.operation, self.code.code())?;
        if let Some(s) = self.subcode {
            write!(f, "(subcode {s}) ")?;
        }
        write!(
            f,
            "{}: {} [HTTP {}",
            self.kind,
            self.message,
            self.meta.status()
        )?;
        if let Some(t) = &self.fbtrace_id {
            write!(f, ", fbtrace_id {t}")?;
        }
        write!(f, "]")
    }
}

impl GraphError {
    /// Whether waiting and retrying may succeed: a throttling or transient code, or `is_transient`.
    pub fn is_retryable(&self) -> bool {
        self.is_transient || self.code.is_throttling() || self.code.is_transient()
    }
}

impl Error {
    /// Whether the same call may succeed if made again later: throttling and transient Graph
    /// errors, 5xx answers, truncated bodies and transport failures. (The client retries these
    /// itself for idempotent operations; this tells what is left after its retries.) False when
    /// a write that must not be repeated may have been applied: check its effect first.
    pub fn is_retryable(&self) -> bool {
        if self.may_have_been_applied() {
            return false;
        }
        match self {
            Error::Graph(g) => g.is_retryable(),
            Error::Transport { .. } => true,
            Error::Http { meta, .. } => meta.status() >= 500 || meta.status() == 429,
            Error::Decode { truncated, .. } => *truncated,
            Error::InvalidRequest { .. } | Error::TooLarge { .. } | Error::Pagination { .. } => {
                false
            }
        }
    }

    /// The Graph error, if Graph sent one.
    pub fn graph(&self) -> Option<&GraphError> {
        match self {
            Error::Graph(g) => Some(g),
            _ => None,
        }
    }

    /// The Graph error code, if Graph sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        self.graph().map(|g| g.code)
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.meta().map(ResponseMeta::status)
    }

    /// Status, usage and trace id of the response, when one arrived.
    pub fn meta(&self) -> Option<&ResponseMeta> {
        match self {
            Error::Graph(g) => Some(&g.meta),
            Error::Http { meta, .. }
            | Error::Decode { meta, .. }
            | Error::TooLarge { meta, .. } => Some(meta),
            _ => None,
        }
    }

    /// The rate-limit usage reported with the failed response, when one arrived.
    pub fn usage(&self) -> Option<&Usage> {
        self.meta().map(ResponseMeta::usage)
    }

    /// Whether a write that must not be repeated (a create) may have been applied although the
    /// call failed: check before creating again (e.g. list the account's phone numbers).
    /// Always false for reads and for idempotent writes, which are safe to repeat.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Error::Graph(g) => g.may_have_been_applied,
            Error::Transport {
                may_have_been_applied,
                ..
            }
            | Error::Http {
                may_have_been_applied,
                ..
            }
            | Error::Decode {
                may_have_been_applied,
                ..
            }
            | Error::TooLarge {
                may_have_been_applied,
                ..
            } => *may_have_been_applied,
            Error::InvalidRequest { .. } | Error::Pagination { .. } => false,
        }
    }
}
