//! Graph's Business Use Case rate limit: a per-object allowance of calls per rolling window, on a
//! clock that can run faster than real time (so that an hour of Graph time fits in a test).
//!
//! Every call counted stays in its object's log for one window, whether it was allowed or not:
//! on Graph, calls made while throttled keep counting (`../shared/reference/graph-api.md` §2), so
//! a client that keeps calling stays throttled. The answers (usage percentages and
//! `estimated_time_to_regain_access`) are computed from these logs, so they are what a client
//! can rely on.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Graph's WhatsApp Business Management allowance: 200 calls per hour per app per WABA
/// (`../shared/reference/graph-api.md` §2, "Rate limiting").
pub const DEFAULT_OBJECT_CALLS: u64 = 200;
/// The allowance of an *active* WABA (one with a registered phone number): 5,000 calls per hour
/// per app (same source). Give it to particular WABAs with [`RateLimit::objects`].
pub const ACTIVE_WABA_CALLS: u64 = 5000;
/// Graph's limits are per rolling hour (same source).
pub const DEFAULT_WINDOW_SECS: u64 = 3600;
/// The app-wide allowance `X-App-Usage` reports against. Graph's app allowance depends on the
/// app's users; this default is large enough that only a test that lowers it comes near it.
pub const DEFAULT_APP_CALLS: u64 = 1_000_000;

/// The Business Use Case limit the mock enforces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Calls each object (WABA) may make per window; one more is answered with 80008.
    #[serde(default = "default_object_calls")]
    pub calls: u64,
    /// Allowances of particular objects, by ID (e.g. [`ACTIVE_WABA_CALLS`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub objects: BTreeMap<String, u64>,
    /// The rolling window, in Graph seconds.
    #[serde(default = "default_window")]
    pub window_secs: u64,
    /// Graph seconds per real second: 3600 runs an hour of Graph time in one second; 0 stops
    /// the clock (then only [`MockServer::advance_clock`](crate::MockServer::advance_clock)
    /// moves it).
    #[serde(default = "default_scale")]
    pub time_scale: f64,
    /// The app's allowance per window over every object, reported in `X-App-Usage` (never
    /// enforced: Graph applies the Business Use Case limit when both could apply).
    #[serde(default = "default_app_calls")]
    pub app_calls: u64,
}

fn default_object_calls() -> u64 {
    DEFAULT_OBJECT_CALLS
}
fn default_window() -> u64 {
    DEFAULT_WINDOW_SECS
}
fn default_scale() -> f64 {
    1.0
}
fn default_app_calls() -> u64 {
    DEFAULT_APP_CALLS
}

impl Default for RateLimit {
    /// Graph's defaults: 200 calls per WABA per rolling hour, in real time.
    fn default() -> Self {
        RateLimit {
            calls: DEFAULT_OBJECT_CALLS,
            objects: BTreeMap::new(),
            window_secs: DEFAULT_WINDOW_SECS,
            time_scale: 1.0,
            app_calls: DEFAULT_APP_CALLS,
        }
    }
}

impl RateLimit {
    /// Checks the settings.
    pub fn validate(&self) -> Result<(), String> {
        if self.calls == 0 || self.objects.values().any(|c| *c == 0) || self.app_calls == 0 {
            return Err("allowances must be at least 1 call".into());
        }
        if self.window_secs == 0 {
            return Err("window_secs must be at least 1".into());
        }
        if !self.time_scale.is_finite() || self.time_scale < 0.0 {
            return Err("time_scale must be a finite number ≥ 0".into());
        }
        Ok(())
    }

    fn allowance(&self, id: &str) -> u64 {
        self.objects.get(id).copied().unwrap_or(self.calls)
    }
}

/// What counting one call found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counted {
    /// The call is over the allowance: answer 80008.
    pub(crate) throttled: bool,
    /// Calls in the window, this one included, as a whole percentage of the allowance.
    pub(crate) percent: u64,
    /// Graph minutes until a call would be allowed again (0 when not throttled).
    pub(crate) regain_minutes: u64,
}

/// The Graph clock, in whole microseconds (so that moving it by hand is exact): real time since
/// `base_real`, scaled, plus `base_graph`.
#[derive(Debug)]
struct Clock {
    base_real: Instant,
    base_graph: u64,
    scale: f64,
}

impl Clock {
    fn now(&self) -> u64 {
        self.base_graph + (self.base_real.elapsed().as_micros() as f64 * self.scale) as u64
    }

    /// Changes the speed from now on (Graph time does not jump).
    fn set_scale(&mut self, scale: f64) {
        self.base_graph = self.now();
        self.base_real = Instant::now();
        self.scale = scale;
    }
}

#[derive(Debug)]
struct Logs {
    clock: Clock,
    /// Graph times of the calls of the last window, per object, oldest first.
    objects: HashMap<String, VecDeque<u64>>,
    /// Graph times of every counted call of the last window.
    app: VecDeque<u64>,
}

/// The call logs of a running mock, behind one short-held lock (never held across an await).
#[derive(Debug)]
pub(crate) struct Limiter {
    logs: Mutex<Logs>,
}

impl Default for Limiter {
    fn default() -> Self {
        Limiter {
            logs: Mutex::new(Logs {
                clock: Clock {
                    base_real: Instant::now(),
                    base_graph: 0,
                    scale: 1.0,
                },
                objects: HashMap::new(),
                app: VecDeque::new(),
            }),
        }
    }
}

/// Drops the calls that left the window ending at `now`.
fn expire(log: &mut VecDeque<u64>, now: u64, window: u64) {
    while log.front().is_some_and(|t| t + window <= now) {
        log.pop_front();
    }
}

fn window_micros(limit: &RateLimit) -> u64 {
    limit.window_secs.saturating_mul(1_000_000)
}

/// Whole percent, rounded up so that an object that has been called never reports 0.
fn percent(calls: u64, allowance: u64) -> u64 {
    calls.saturating_mul(100).div_ceil(allowance.max(1))
}

impl Limiter {
    fn logs(&self) -> std::sync::MutexGuard<'_, Logs> {
        self.logs.lock().expect("rate limit lock")
    }

    /// Follows a new setting's time scale.
    pub(crate) fn set_scale(&self, scale: f64) {
        self.logs().clock.set_scale(scale);
    }

    /// Moves the Graph clock forward.
    pub(crate) fn advance(&self, by: Duration) {
        self.logs().clock.base_graph += by.as_micros() as u64;
    }

    /// Forgets every call (lifts every throttle).
    pub(crate) fn reset(&self) {
        let mut logs = self.logs();
        logs.objects.clear();
        logs.app.clear();
    }

    /// Counts a call to object `id` under `limit`; `enforce` false only reports (and never
    /// reports the 100 % that tells a client to stop).
    pub(crate) fn count(&self, id: &str, limit: &RateLimit, enforce: bool) -> Counted {
        let mut logs = self.logs();
        let now = logs.clock.now();
        let window = window_micros(limit);
        let log = logs.objects.entry(id.to_string()).or_default();
        expire(log, now, window);
        let allowance = limit.allowance(id);
        let before = log.len() as u64;
        log.push_back(now);
        let calls = before + 1;
        if !enforce || before < allowance {
            // A call that is allowed never reports the 100 that means "throttled".
            return Counted {
                throttled: false,
                percent: percent(calls, allowance).min(99),
                regain_minutes: 0,
            };
        }
        // Access comes back once all but `allowance - 1` of these calls have left the window:
        // when the call at position `calls - allowance` (oldest first) does.
        let leaves = log[(calls - allowance) as usize] + window;
        let minutes = leaves.saturating_sub(now).div_ceil(60_000_000);
        Counted {
            throttled: true,
            percent: percent(calls, allowance).max(100),
            regain_minutes: minutes.max(1),
        }
    }

    /// Counts a call against the app's allowance; returns its usage percentage.
    pub(crate) fn count_app(&self, limit: &RateLimit) -> u64 {
        let mut logs = self.logs();
        let now = logs.clock.now();
        expire(&mut logs.app, now, window_micros(limit));
        logs.app.push_back(now);
        percent(logs.app.len() as u64, limit.app_calls).min(99)
    }

    /// The app's usage percentage now, without counting a call.
    pub(crate) fn app_percent(&self, limit: &RateLimit) -> u64 {
        let mut logs = self.logs();
        let now = logs.clock.now();
        expire(&mut logs.app, now, window_micros(limit));
        percent(logs.app.len() as u64, limit.app_calls).min(99)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(calls: u64) -> RateLimit {
        RateLimit {
            calls,
            time_scale: 0.0,
            ..RateLimit::default()
        }
    }

    #[test]
    fn rolling_window_counts_throttled_calls_and_tells_when_access_returns() {
        let l = Limiter::default();
        let lim = limit(3);
        l.set_scale(0.0);
        let pct: Vec<u64> = (0..3).map(|_| l.count("1", &lim, true).percent).collect();
        assert_eq!(pct, [34, 67, 99]);
        l.advance(Duration::from_secs(600));
        let c = l.count("1", &lim, true);
        // The first call leaves the window 60 minutes after it was made: 50 minutes from now.
        assert_eq!((c.throttled, c.percent, c.regain_minutes), (true, 134, 50));
        // Another object has its own allowance.
        assert!(!l.count("2", &lim, true).throttled);
        // Calls made while throttled count: two more, ten minutes apart.
        for _ in 0..2 {
            l.advance(Duration::from_secs(600));
            assert!(l.count("1", &lim, true).throttled);
        }
        // An hour after the first calls they are gone, but the three throttled ones fill the
        // window: access returns when the one of minute 20 leaves (minute 80).
        l.advance(Duration::from_secs(1800));
        let c = l.count("1", &lim, true);
        assert_eq!((c.throttled, c.regain_minutes), (true, 20), "{c:?}");
        l.advance(Duration::from_secs(20 * 60));
        let c = l.count("1", &lim, true);
        assert!(!c.throttled, "{c:?}");
        // Reporting only: never throttled, never 100.
        let c = l.count("3", &limit(1), false);
        let c2 = l.count("3", &limit(1), false);
        assert_eq!((c.throttled, c2.throttled, c2.percent), (false, false, 99));
    }
}
