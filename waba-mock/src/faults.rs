//! Fault injection: scripted rules ("fail the next K requests of operation X with F"), seeded
//! random faults, and the Business Use Case rate limit ([`RateLimit`], which [`ThrottleConfig`]
//! is a shorthand for).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::limit::RateLimit;

/// What goes wrong with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Error 80008 (HTTP 400) with an `X-Business-Use-Case-Usage` header at `call_count` ≥ 100
    /// and `estimated_time_to_regain_access` > 0. Not applied.
    Throttle,
    /// HTTP 500 with Graph's error 2 ("An unexpected error has occurred…", `is_transient: true`).
    /// Not applied.
    ServerError,
    /// HTTP 400 with Graph's error 1 ("An unknown error occurred", `is_transient: true`). Not applied.
    Transient,
    /// HTTP 502 with an HTML page, as a proxy in front of Graph sends. Not applied.
    BadGateway,
    /// The request is applied and answered, but the connection closes halfway through the body
    /// (`Content-Length` promises the whole body).
    TruncatedBody,
    /// The connection closes without a response. Not applied.
    Drop,
    /// The request is applied, then the connection closes without a response.
    DropAfterApply,
    /// The response is delayed, then the request is handled normally.
    Latency,
}

impl FaultKind {
    /// Every kind, for counters.
    pub const ALL: [FaultKind; 8] = [
        FaultKind::Throttle,
        FaultKind::ServerError,
        FaultKind::Transient,
        FaultKind::BadGateway,
        FaultKind::TruncatedBody,
        FaultKind::Drop,
        FaultKind::DropAfterApply,
        FaultKind::Latency,
    ];

    /// Whether the request is handled (and its write applied) before the fault takes effect.
    pub fn applies_request(self) -> bool {
        matches!(
            self,
            FaultKind::TruncatedBody | FaultKind::DropAfterApply | FaultKind::Latency
        )
    }

    /// Parses the snake_case name (`drop_after_apply`).
    pub fn parse(name: &str) -> Option<FaultKind> {
        serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
    }
}

/// A scripted fault: the next `times` requests that match (after letting `skip` matching ones
/// through) get `fault`. Rules are tried in the order they were added; the first one that fires
/// wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// The fault to inject.
    pub fault: FaultKind,
    /// Only requests of this operation (the spec's `rust_name`, e.g. `CreatePhoneNumber`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Only requests to this object ID (the first path segment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    /// How many matching requests get the fault.
    #[serde(default = "one")]
    pub times: u64,
    /// How many matching requests pass untouched before the fault starts.
    #[serde(default)]
    pub skip: u64,
    /// Delay for [`FaultKind::Latency`], in milliseconds.
    #[serde(default)]
    pub latency_ms: u64,
    /// `estimated_time_to_regain_access` (minutes) of a [`FaultKind::Throttle`]; default 5.
    /// 0 models a throttle that clears by itself, which clients retry with backoff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regain_minutes: Option<u64>,
}

fn one() -> u64 {
    1
}

impl FaultRule {
    /// One request, any operation, no skip.
    pub fn new(fault: FaultKind) -> FaultRule {
        FaultRule {
            fault,
            operation: None,
            object_id: None,
            times: 1,
            skip: 0,
            latency_ms: 0,
            regain_minutes: None,
        }
    }

    /// Restricts the rule to an operation (`rust_name` from the spec).
    pub fn operation(mut self, rust_name: impl Into<String>) -> FaultRule {
        self.operation = Some(rust_name.into());
        self
    }

    /// Restricts the rule to requests to one object.
    pub fn object_id(mut self, id: impl Into<String>) -> FaultRule {
        self.object_id = Some(id.into());
        self
    }

    /// Faults `k` matching requests.
    pub fn times(mut self, k: u64) -> FaultRule {
        self.times = k;
        self
    }

    /// Lets `n` matching requests through first.
    pub fn skip(mut self, n: u64) -> FaultRule {
        self.skip = n;
        self
    }

    /// Sets `estimated_time_to_regain_access` (minutes) of a throttle fault.
    pub fn regain_minutes(mut self, minutes: u64) -> FaultRule {
        self.regain_minutes = Some(minutes);
        self
    }

    /// Sets the delay of a latency fault.
    pub fn latency_ms(mut self, ms: u64) -> FaultRule {
        self.latency_ms = ms;
        self
    }
}

/// A scripted rule as the mock holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveRule {
    /// Handle for removing it.
    pub id: u64,
    /// The rule.
    pub rule: FaultRule,
    /// Matching requests seen so far.
    pub matched: u64,
    /// Faults it injected so far.
    pub fired: u64,
}

/// Random faults, reproducible from `seed` (for a given order of requests).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomFaults {
    /// Seed of the generator.
    pub seed: u64,
    /// Probability of each fault per request; they must sum to at most 1.
    #[serde(default)]
    pub rates: Vec<FaultRate>,
    /// Delay added to every request not otherwise faulted, drawn uniformly from the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<LatencyRange>,
}

/// One fault's probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRate {
    /// The fault (`latency` draws its delay from [`RandomFaults::latency`]).
    pub fault: FaultKind,
    /// Probability per request, 0 to 1.
    pub rate: f64,
    /// Only requests of this operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

/// Inclusive delay range in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyRange {
    /// Shortest delay.
    pub min_ms: u64,
    /// Longest delay.
    pub max_ms: u64,
}

impl RandomFaults {
    /// Checks rates and ranges.
    pub fn validate(&self) -> Result<(), String> {
        let mut sum = 0.0;
        for r in &self.rates {
            if !(0.0..=1.0).contains(&r.rate) {
                return Err(format!("rate of {:?} must be between 0 and 1", r.fault));
            }
            sum += r.rate;
        }
        if sum > 1.0 + 1e-9 {
            return Err(format!("fault rates sum to {sum}, more than 1"));
        }
        if let Some(l) = self.latency
            && l.min_ms > l.max_ms
        {
            return Err("latency min_ms is greater than max_ms".into());
        }
        if self.latency.is_none()
            && self
                .rates
                .iter()
                .any(|r| r.fault == FaultKind::Latency && r.rate > 0.0)
        {
            return Err("a latency rate needs a latency range".into());
        }
        Ok(())
    }
}

/// Throttle each WABA after `after_calls` calls (Graph's Business Use Case limit, error 80008):
/// shorthand for a [`RateLimit`] of `after_calls` per window of `regain_after_secs`, in real time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottleConfig {
    /// Calls a WABA may make before it is throttled.
    pub after_calls: u64,
    /// The window its calls count in, in seconds: a throttled WABA gets access back once enough
    /// of its calls have left it.
    #[serde(default = "default_regain")]
    pub regain_after_secs: u64,
}

/// How long a throttled WABA stays throttled unless configured (seconds).
pub const DEFAULT_REGAIN_SECS: u64 = 60;

impl From<ThrottleConfig> for RateLimit {
    fn from(t: ThrottleConfig) -> RateLimit {
        RateLimit {
            calls: t.after_calls.max(1),
            window_secs: t.regain_after_secs.max(1),
            ..RateLimit::default()
        }
    }
}

fn default_regain() -> u64 {
    DEFAULT_REGAIN_SECS
}

/// Where an injected fault came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultSource {
    /// A scripted rule, by its id.
    Rule(u64),
    /// The seeded random generator.
    Random,
    /// The rate limit.
    Throttle,
}

/// A fault chosen for one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chosen {
    pub(crate) kind: FaultKind,
    pub(crate) source: FaultSource,
    pub(crate) delay: Duration,
    /// `estimated_time_to_regain_access` of a throttle, when the rule sets one.
    pub(crate) regain_minutes: Option<u64>,
}

/// The fault configuration of a running mock. Each part has its own short-held lock; none is
/// held across an await.
#[derive(Debug, Default)]
pub(crate) struct Controller {
    rules: Mutex<Rules>,
    random: Mutex<Option<(RandomFaults, StdRng)>>,
    limit: Mutex<Option<Arc<RateLimit>>>,
}

#[derive(Debug, Default)]
struct Rules {
    next_id: u64,
    active: Vec<ActiveRule>,
}

/// Everything configured, as the control API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultsView {
    /// Scripted rules still able to fire, in order.
    pub rules: Vec<ActiveRule>,
    /// Random faults.
    pub random: Option<RandomFaults>,
    /// The Business Use Case rate limit (a [`ThrottleConfig`] shows as one).
    pub rate_limit: Option<RateLimit>,
}

impl Controller {
    pub(crate) fn add_rule(&self, rule: FaultRule) -> u64 {
        let mut rules = self.rules.lock().expect("fault rules lock");
        rules.next_id += 1;
        let id = rules.next_id;
        rules.active.push(ActiveRule {
            id,
            rule,
            matched: 0,
            fired: 0,
        });
        id
    }

    pub(crate) fn remove_rule(&self, id: u64) -> bool {
        let mut rules = self.rules.lock().expect("fault rules lock");
        let before = rules.active.len();
        rules.active.retain(|r| r.id != id);
        rules.active.len() != before
    }

    pub(crate) fn set_random(&self, random: Option<RandomFaults>) -> Result<(), String> {
        if let Some(r) = &random {
            r.validate()?;
        }
        *self.random.lock().expect("random faults lock") = random.map(|r| {
            let rng = StdRng::seed_from_u64(r.seed);
            (r, rng)
        });
        Ok(())
    }

    pub(crate) fn set_rate_limit(&self, limit: Option<RateLimit>) -> Result<(), String> {
        if let Some(l) = &limit {
            l.validate()?;
        }
        *self.limit.lock().expect("rate limit lock") = limit.map(Arc::new);
        Ok(())
    }

    pub(crate) fn rate_limit(&self) -> Option<Arc<RateLimit>> {
        self.limit.lock().expect("rate limit lock").clone()
    }

    pub(crate) fn clear(&self) {
        self.rules.lock().expect("fault rules lock").active.clear();
        *self.random.lock().expect("random faults lock") = None;
        *self.limit.lock().expect("rate limit lock") = None;
    }

    pub(crate) fn view(&self) -> FaultsView {
        FaultsView {
            rules: self.rules.lock().expect("fault rules lock").active.clone(),
            random: self
                .random
                .lock()
                .expect("random faults lock")
                .as_ref()
                .map(|(r, _)| r.clone()),
            rate_limit: self.rate_limit().map(|l| (*l).clone()),
        }
    }

    /// Picks the fault for a request to `object_id` of `operation`: a scripted rule first, else
    /// a random draw.
    pub(crate) fn choose(
        &self,
        operation: Option<&str>,
        object_id: Option<&str>,
    ) -> Option<Chosen> {
        {
            let mut rules = self.rules.lock().expect("fault rules lock");
            let mut fired = None;
            for r in rules.active.iter_mut() {
                let matches = r
                    .rule
                    .operation
                    .as_deref()
                    .is_none_or(|o| Some(o) == operation)
                    && r.rule
                        .object_id
                        .as_deref()
                        .is_none_or(|o| Some(o) == object_id);
                if !matches {
                    continue;
                }
                r.matched += 1;
                if r.matched > r.rule.skip && r.fired < r.rule.times {
                    r.fired += 1;
                    fired = Some(Chosen {
                        kind: r.rule.fault,
                        source: FaultSource::Rule(r.id),
                        delay: Duration::from_millis(r.rule.latency_ms),
                        regain_minutes: r.rule.regain_minutes,
                    });
                    break;
                }
            }
            // Spent rules go, so that the view shows only what can still fire.
            rules.active.retain(|r| r.fired < r.rule.times);
            if fired.is_some() {
                return fired;
            }
        }
        let mut random = self.random.lock().expect("random faults lock");
        let (cfg, rng) = random.as_mut()?;
        // One draw per request keeps the sequence reproducible whatever the rates are.
        let draw: f64 = rng.random();
        let delay = match cfg.latency {
            Some(l) => Duration::from_millis(rng.random_range(l.min_ms..=l.max_ms)),
            None => Duration::ZERO,
        };
        let mut acc = 0.0;
        for r in &cfg.rates {
            if r.operation.as_deref().is_some_and(|o| Some(o) != operation) {
                continue;
            }
            acc += r.rate;
            if draw < acc {
                return Some(Chosen {
                    kind: r.fault,
                    source: FaultSource::Random,
                    delay,
                    regain_minutes: None,
                });
            }
        }
        (delay > Duration::ZERO).then_some(Chosen {
            kind: FaultKind::Latency,
            source: FaultSource::Random,
            delay,
            regain_minutes: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_skip_then_fire_k_times_for_their_operation_only() {
        let c = Controller::default();
        c.add_rule(
            FaultRule::new(FaultKind::Drop)
                .operation("CreatePhoneNumber")
                .skip(1)
                .times(2),
        );
        let kinds: Vec<Option<FaultKind>> = [
            "CreatePhoneNumber",
            "ListAssignedUsers",
            "CreatePhoneNumber",
            "CreatePhoneNumber",
            "CreatePhoneNumber",
        ]
        .iter()
        .map(|op| c.choose(Some(op), None).map(|f| f.kind))
        .collect();
        assert_eq!(
            kinds,
            [
                None,
                None,
                Some(FaultKind::Drop),
                Some(FaultKind::Drop),
                None
            ]
        );
        assert!(c.view().rules.is_empty());
    }

    #[test]
    fn random_faults_are_reproducible_and_respect_rates() {
        let cfg = RandomFaults {
            seed: 7,
            rates: vec![FaultRate {
                fault: FaultKind::ServerError,
                rate: 0.3,
                operation: None,
            }],
            latency: None,
        };
        let run = || {
            let c = Controller::default();
            c.set_random(Some(cfg.clone())).unwrap();
            (0..1000)
                .map(|_| c.choose(None, None).is_some())
                .collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let n = a.iter().filter(|x| **x).count();
        assert!((200..400).contains(&n), "{n}");
        let bad = RandomFaults {
            rates: vec![
                FaultRate {
                    fault: FaultKind::Drop,
                    rate: 0.8,
                    operation: None
                };
                2
            ],
            ..cfg
        };
        assert!(bad.validate().unwrap_err().contains("sum"));
        assert_eq!(
            FaultKind::parse("drop_after_apply"),
            Some(FaultKind::DropAfterApply)
        );
    }
}
