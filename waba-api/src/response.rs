//! A decoded response with what Graph said about it (status, usage, trace id).

use std::ops::Deref;

use crate::Usage;

/// Facts about one HTTP response, kept on successes and errors alike.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseMeta {
    /// HTTP status.
    pub status: u16,
    /// Rate-limit usage headers.
    pub usage: Usage,
    /// `x-fb-trace-id`, for Meta support.
    pub fbtrace_id: Option<String>,
    /// `facebook-api-version`: the version that served the call.
    pub api_version: Option<String>,
    /// How many attempts the call took (1 when not retried).
    pub attempts: u32,
}

impl ResponseMeta {
    pub(crate) fn from_response(
        status: u16,
        headers: &reqwest::header::HeaderMap,
        attempts: u32,
    ) -> Self {
        let text = |name: &reqwest::header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        ResponseMeta {
            status,
            usage: Usage::from_headers(headers),
            fbtrace_id: text(&X_FB_TRACE_ID),
            api_version: text(&FACEBOOK_API_VERSION),
            attempts,
        }
    }
}

// Static names: a lookup by `&str` would parse and validate the name on every response.
static X_FB_TRACE_ID: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("x-fb-trace-id");
static FACEBOOK_API_VERSION: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("facebook-api-version");

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
        &self.meta.usage
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
