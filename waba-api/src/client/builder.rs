//! Settings into a [`Client`]: validation of the token, version and base URL, and the one
//! pooled HTTP client (never following redirects).

use std::sync::Arc;
use std::time::Duration;

use super::{Client, Inner, Secret};
use crate::RetryPolicy;
use crate::proof::appsecret_proof;
use crate::redact::Redactor;

/// Meta's Graph API host.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";
/// Largest response body read by default (16 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 << 20;

/// Why a [`ClientBuilder`] could not build.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The access token is empty or not valid in an HTTP header.
    #[error("the access token is empty or contains characters not allowed in an HTTP header")]
    InvalidToken,
    /// The API version is not of the form `vNN.N`.
    #[error("Graph API version {0:?} is not of the form vNN.N")]
    InvalidVersion(String),
    /// The base URL is not an http(s) URL without query or fragment.
    #[error("base URL {0:?} is not an http(s) URL without query or fragment")]
    InvalidBaseUrl(String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
}

/// Settings for a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    token: Secret,
    app_secret: Option<Secret>,
    timed_proof: bool,
    version: String,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    max_body: usize,
    http: Option<reqwest::ClientBuilder>,
}

impl Client {
    /// A builder with an access token (a system-user or user token).
    pub fn builder(access_token: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            token: Secret(access_token.into()),
            app_secret: None,
            timed_proof: false,
            version: crate::GRAPH_API_VERSION.to_string(),
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("waba-api/", env!("CARGO_PKG_VERSION")).to_string(),
            retry: RetryPolicy::default(),
            max_body: DEFAULT_MAX_RESPONSE_BYTES,
            http: None,
        }
    }
}

impl ClientBuilder {
    /// The app secret: every request then carries `appsecret_proof`.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(Secret(secret.into()));
        self
    }

    /// Use the time-stamped proof (`appsecret_proof` of `token|time` plus `appsecret_time`).
    pub fn timed_appsecret_proof(mut self, on: bool) -> Self {
        self.timed_proof = on;
        self
    }

    /// The Graph API version, e.g. `v21.0` (default: the spec's, [`GRAPH_API_VERSION`](crate::GRAPH_API_VERSION)).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// Where requests go (default [`DEFAULT_BASE_URL`]); for proxies and local servers.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Timeout of one attempt, from connecting to the end of the body (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` (default `waba-api/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Retry policy (default [`RetryPolicy::default`]; [`RetryPolicy::none`] turns retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Largest response body accepted (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_body = max;
        self
    }

    /// Build the HTTP client from this `reqwest::ClientBuilder` (for proxies, root
    /// certificates, a resolver, pool settings, …). Its own timeouts and user agent then apply,
    /// not [`timeout`](Self::timeout), [`connect_timeout`](Self::connect_timeout) and
    /// [`user_agent`](Self::user_agent). Its redirect policy is replaced: redirects are never
    /// followed (a followed redirect would re-send a write's body, and the query with its
    /// `appsecret_proof`, to whatever host `Location` names); a 3xx answer is returned as
    /// [`TransportKind::Redirect`](crate::TransportKind::Redirect). A builder rather than a built `reqwest::Client`, because a
    /// built client's redirect policy can no longer be changed.
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let mut auth = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", self.token.0))
            .map_err(|_| BuildError::InvalidToken)?;
        if self.token.0.trim().is_empty() {
            return Err(BuildError::InvalidToken);
        }
        // Keeps the header out of hyper's and reqwest's debug output.
        auth.set_sensitive(true);
        if !valid_version(&self.version) {
            return Err(BuildError::InvalidVersion(self.version));
        }
        let base_url = self.base_url.trim_end_matches('/').to_string();
        match reqwest::Url::parse(&base_url) {
            Ok(u)
                if matches!(u.scheme(), "http" | "https")
                    && u.query().is_none()
                    && u.fragment().is_none() => {}
            _ => return Err(BuildError::InvalidBaseUrl(self.base_url)),
        }
        let Ok(api_root) = reqwest::Url::parse(&format!("{base_url}/{}/", self.version)) else {
            return Err(BuildError::InvalidBaseUrl(self.base_url));
        };
        let http = self.http.unwrap_or_else(|| {
            reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
        });
        crate::tls::ensure_provider();
        let http = http
            // A redirect would re-send a write's body, and the query (with its
            // appsecret_proof) to whatever host `Location` names.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| BuildError::Http(e.without_url().to_string()))?;
        let plain_proof = self
            .app_secret
            .as_ref()
            .map(|s| appsecret_proof(&s.0, &self.token.0, None));
        let redactor = Redactor::new(
            [
                Some(self.token.0.clone()),
                self.app_secret.as_ref().map(|s| s.0.clone()),
                plain_proof,
            ]
            .into_iter()
            .flatten(),
        );
        Ok(Client {
            pacer: None,
            batcher: None,
            inner: Arc::new(Inner {
                http,
                auth,
                redactor: Arc::new(redactor),
                token: self.token,
                app_secret: self.app_secret,
                timed_proof: self.timed_proof,
                base_url,
                version: self.version,
                api_root,
                retry: self.retry,
                max_body: self.max_body,
            }),
        })
    }
}

fn valid_version(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('v') else {
        return false;
    };
    let mut parts = rest.split('.');
    let digits = |p: Option<&str>| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    digits(parts.next()) && digits(parts.next()) && parts.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(valid_version("v20.0"));
        assert!(!valid_version("20.0"));
        assert!(!valid_version("v20"));
        assert!(!valid_version("v20.0/../x"));
    }
}
