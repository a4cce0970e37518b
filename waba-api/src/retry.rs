//! Retry policy: exponential backoff with jitter, honouring Graph's own wait hint.

use std::time::Duration;

use crate::{Error, Request, TransportKind};

/// When and how long to retry. Only idempotent operations are retried (GET, DELETE and POSTs the
/// spec marks idempotent); a request that never left the machine (connect failure) is retried
/// for every operation, since it cannot have been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most attempts per call, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubles each time.
    pub base_delay: Duration,
    /// Longest single wait. Graph's `estimated_time_to_regain_access` (in minutes) for the object
    /// a call went to is honoured: the retry waits at least that long. If it is longer than this,
    /// the error is returned at once instead of sleeping for minutes; a real 80008 throttle
    /// usually says 1 minute or more, so with the default (30 s) it comes back to the caller with
    /// its usage (`err.usage().regain_access_after_for(waba)`) to schedule the call later.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before attempt `attempt + 1`, or `None` to stop. `hint` is Graph's wait hint.
    pub(crate) fn delay(&self, attempt: u32, hint: Option<Duration>) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let exp = self
            .base_delay
            .saturating_mul(1u32 << (attempt - 1).min(16));
        let backoff = exp.min(self.max_delay);
        // "Equal jitter" (half fixed, half random) keeps retries of many tasks out of lockstep.
        let jittered = backoff / 2 + backoff.mul_f64(jitter() / 2.0);
        match hint {
            Some(h) if h > self.max_delay => None,
            Some(h) => Some(h.max(jittered)),
            None => Some(jittered),
        }
    }
}

/// Whether the retry policy may send `request` again after `error`: the error must be one a
/// retry can cure, and the request idempotent — or never sent (a connect failure).
pub(crate) fn may_retry(request: &Request, error: &Error) -> bool {
    let unsent = matches!(
        error,
        Error::Transport {
            kind: TransportKind::Connect,
            ..
        }
    );
    (request.spec().idempotent || unsent) && error.is_retryable()
}

/// Graph's wait hint for a throttled call: only the throttle of the object this call went to
/// (the first path segment) is worth waiting for.
pub(crate) fn throttle_hint(request: &Request, error: &Error) -> Option<Duration> {
    let g = error.graph().filter(|g| g.code.is_throttling())?;
    g.meta.usage().regain_access_after_for(object_of(request))
}

/// The business object a call is counted against: the first ID of its path.
pub(crate) fn object_of(request: &Request) -> &str {
    request.path().split('/').nth(1).unwrap_or_default()
}

/// A number in [0, 1) from the standard library's per-process random hash keys.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_and_stops() {
        let p = RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        let d1 = p.delay(1, None).unwrap();
        assert!(
            d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100),
            "{d1:?}"
        );
        let d2 = p.delay(2, None).unwrap();
        assert!(
            d2 >= Duration::from_millis(100) && d2 <= Duration::from_millis(200),
            "{d2:?}"
        );
        assert_eq!(p.delay(3, None), None);
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(60))),
            None,
            "hint beyond max_delay gives up"
        );
        assert!(
            p.delay(1, Some(Duration::from_millis(900))).unwrap() >= Duration::from_millis(900)
        );
        assert_eq!(RetryPolicy::none().delay(1, None), None);
    }
}
