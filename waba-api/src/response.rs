//! A decoded response with what Graph said about it (status, usage, trace id).

use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use reqwest::header::{HeaderMap, HeaderName};

use crate::Usage;
use crate::redact::Redactor;

/// Facts about one HTTP response, kept on successes and errors alike. The usage headers and
/// trace id are read (and cleaned of credentials) only when first asked for, so a call that
/// never looks at them does not pay for them.
#[derive(Clone)]
pub struct ResponseMeta {
    status: u16,
    attempts: u32,
    raw: Arc<Raw>,
}

struct Raw {
    /// The response's headers, moved out of it (no copy); looked up only when asked for.
    headers: HeaderMap,
    redactor: Arc<Redactor>,
    /// The attempt's time-stamped proof, which the client's redactor cannot know in advance.
    extra_secret: Option<String>,
    parsed: OnceLock<Parsed>,
}

#[derive(PartialEq, Eq)]
struct Parsed {
    usage: Usage,
    fbtrace_id: Option<String>,
    api_version: Option<String>,
}

// Static names: a lookup by `&str` would parse and validate the name on every response.
static X_FB_TRACE_ID: HeaderName = HeaderName::from_static("x-fb-trace-id");
static FACEBOOK_API_VERSION: HeaderName = HeaderName::from_static("facebook-api-version");
static X_APP_USAGE: HeaderName = HeaderName::from_static("x-app-usage");
static X_BUSINESS_USE_CASE_USAGE: HeaderName = HeaderName::from_static("x-business-use-case-usage");

impl ResponseMeta {
    pub(crate) fn new(
        status: u16,
        attempts: u32,
        headers: HeaderMap,
        redactor: Arc<Redactor>,
        extra_secret: Option<String>,
    ) -> Self {
        let raw = Raw {
            headers,
            redactor,
            extra_secret,
            parsed: OnceLock::new(),
        };
        ResponseMeta {
            status,
            attempts,
            raw: Arc::new(raw),
        }
    }

    /// HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// How many attempts the call took (1 when not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The rate-limit usage headers (`X-App-Usage`, `X-Business-Use-Case-Usage`).
    pub fn usage(&self) -> &Usage {
        &self.parsed().usage
    }

    /// `x-fb-trace-id`, for Meta support.
    pub fn fbtrace_id(&self) -> Option<&str> {
        self.parsed().fbtrace_id.as_deref()
    }

    /// `facebook-api-version`: the version that served the call.
    pub fn api_version(&self) -> Option<&str> {
        self.parsed().api_version.as_deref()
    }

    fn parsed(&self) -> &Parsed {
        self.raw.parsed.get_or_init(|| {
            let r = &self.raw;
            // A proxy or a hostile server may echo credentials in any header.
            let clean = |s: &str| r.redactor.redact(s, r.extra_secret.as_deref());
            let text =
                |name: &HeaderName| r.headers.get(name).and_then(|v| v.to_str().ok()).map(clean);
            let mut usage = Usage::from_values(
                r.headers.get(&X_APP_USAGE),
                r.headers.get(&X_BUSINESS_USE_CASE_USAGE),
            );
            for p in &mut usage.problems {
                *p = clean(p);
                tracing::warn!(problem = %p, "unreadable usage header");
            }
            for b in &mut usage.business_use_case {
                b.object_id = clean(&b.object_id);
                b.kind = clean(&b.kind);
            }
            Parsed {
                usage,
                fbtrace_id: text(&X_FB_TRACE_ID),
                api_version: text(&FACEBOOK_API_VERSION),
            }
        })
    }
}

impl Default for ResponseMeta {
    fn default() -> Self {
        ResponseMeta::new(0, 0, HeaderMap::new(), Arc::default(), None)
    }
}

impl PartialEq for ResponseMeta {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.attempts == other.attempts
            && self.parsed() == other.parsed()
    }
}

impl Eq for ResponseMeta {}

impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("status", &self.status)
            .field("attempts", &self.attempts)
            .field("fbtrace_id", &self.fbtrace_id())
            .field("api_version", &self.api_version())
            .field("usage", self.usage())
            .finish()
    }
}

/// A successful, decoded response. Derefs to the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    value: T,
    meta: ResponseMeta,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, meta: ResponseMeta) -> Self {
        Response { value, meta }
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Status, usage headers, trace id and attempts.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// The rate-limit usage Graph reported with this response.
    pub fn usage(&self) -> &Usage {
        self.meta.usage()
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
