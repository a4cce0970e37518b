//! The one error type of waba-api.

use std::fmt;

use crate::{ErrorCode, ErrorSubcode, ResponseMeta, Usage};

/// Everything that can go wrong with a call. Match on the variant, or ask
/// [`code`](Error::code), [`subcode`](Error::subcode), [`is_throttled`](Error::is_throttled),
/// [`is_retryable`](Error::is_retryable), [`graph`](Error::graph). No variant ever holds the access
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
    /// No usable answer: the connection failed or broke, the attempt timed out, or the server
    /// answered with a redirect, which is never followed. The transport's own error (a
    /// `reqwest::Error` with its URL removed) is the [`source`](std::error::Error::source).
    #[error("{operation}: {kind} after {attempts} attempt(s){}{}", status_note(.meta.as_ref()), applied_note(*.may_have_been_applied))]
    Transport {
        /// Operation name.
        operation: &'static str,
        /// What failed.
        kind: TransportKind,
        /// A write may have reached the server and been applied although no answer arrived.
        may_have_been_applied: bool,
        /// Attempts made.
        attempts: u32,
        /// Status and headers, when an answer started: a redirect, or a body cut off.
        meta: Option<ResponseMeta>,
        /// The transport's error, when there is one (none for a refused redirect): downcast it
        /// to `reqwest::Error` for details. It holds no URL, so no `appsecret_proof`.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
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

/// What went wrong in transit ([`Error::Transport`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made (refused, name resolution, TLS handshake): nothing reached
    /// the server, so even a create is safe to send again.
    Connect,
    /// The attempt took longer than the client's timeout.
    Timeout,
    /// The connection broke while the request was sent or its answer awaited (e.g. a reset).
    Request,
    /// The answer's status arrived but its body could not be read to the end.
    Body,
    /// The server answered with a redirect (3xx). The client never follows one, whatever HTTP
    /// client it was given: following would re-send a write's body, and the query with its
    /// `appsecret_proof`, to whatever host `Location` names.
    Redirect,
}

impl TransportKind {
    /// Whether trying again may cure it (everything but a redirect, which would come again).
    pub fn is_retryable(self) -> bool {
        self != TransportKind::Redirect
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "connection failed",
            TransportKind::Timeout => "timed out",
            TransportKind::Request => "connection broke",
            TransportKind::Body => "response body cut off",
            TransportKind::Redirect => "redirect refused",
        })
    }
}

fn status_note(meta: Option<&ResponseMeta>) -> String {
    meta.map_or_else(String::new, |m| format!(" (HTTP {})", m.status()))
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
    /// `error_subcode`, as the generated enum.
    pub subcode: Option<ErrorSubcode>,
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
        write!(f, "{}: Graph error {} ", self.operation, self.code.as_i64())?;
        if let Some(s) = self.subcode {
            write!(f, "(subcode {}) ", s.as_i64())?;
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

    /// Whether this is a rate limit (a throttling code): back off before calling again; the
    /// usage headers tell how long ([`ResponseMeta::usage`]).
    pub fn is_throttled(&self) -> bool {
        self.code.is_throttling()
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
            Error::Transport { kind, .. } => kind.is_retryable(),
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

    /// The Graph error subcode, if Graph sent one.
    pub fn subcode(&self) -> Option<ErrorSubcode> {
        self.graph().and_then(|g| g.subcode)
    }

    /// Whether the call was refused for a rate limit: a Graph throttling code
    /// ([`GraphError::is_throttled`]), or HTTP 429 without Graph's envelope (e.g. from a proxy).
    pub fn is_throttled(&self) -> bool {
        match self {
            Error::Graph(g) => g.is_throttled(),
            Error::Http { meta, .. } => meta.status() == 429,
            _ => false,
        }
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
            Error::Transport { meta, .. } => meta.as_ref(),
            Error::InvalidRequest { .. } | Error::Pagination { .. } => None,
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

/// An error and its causes on one line (`a: b: c`), for logs.
pub(crate) struct ErrorChain<'a>(pub(crate) &'a (dyn std::error::Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}
