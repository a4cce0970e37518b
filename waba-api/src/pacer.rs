//! The pacer: spends each business object's (WABA's) rate-limit allowance without exceeding it.
//!
//! Graph counts every call to a WABA against a Business Use Case allowance per rolling window
//! (by default 200 calls an hour per app per WABA, 5,000 for a WABA with a registered number)
//! and reports the usage in `X-Business-Use-Case-Usage` as percentages; a call over the allowance
//! fails with 80008 and an `estimated_time_to_regain_access`, and calls made while throttled keep
//! counting. The pacer learns each object's allowance from those percentages and lets a call go
//! only while the calls of the last window stay under `target_percent` of it; an object Graph
//! throttles anyway waits out its regain time while other objects' calls proceed.
//!
//! **How it counts.** Each object has a ring of [`BUCKETS`]` + 1` counters, one per
//! `window / BUCKETS` of time: a call counts in the bucket of the moment it was let go, and the
//! calls "in the window" are those of every bucket the window touches (the oldest one whole), so
//! the count never falls below what Graph's rolling window holds; it stays exact enough to use
//! ~98 % of a window's time. The allowance is learned while all of the object's calls are within
//! one window of its first call: after `n` answered calls Graph reports `p` % used, so the
//! allowance is at least `100·n/p` (Graph rounds percentages up; when it says more, e.g. because
//! another process uses the same app, the estimate only gets lower). A throttle starts the
//! learning over. Later, a report at or above `target_percent` (someone else is spending the
//! allowance) holds the object for a bucket.
//! Objects whose answers carry no usage for them (a business,
//! or a server that sends no headers) are not paced. `X-App-Usage` at or above `target_percent`
//! slows every call by one bucket.
//!
//! **Cost.** State is one small record per object seen (~400 bytes), never freed while the pacer
//! lives. Lookups go through [`SHARDS`] independently locked maps (held for a lookup, never
//! across an await); calls to one object queue on that object's own async lock while they wait
//! for their slot (a sleep until the computed time, no polling); different objects never wait
//! for each other.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::Usage;

/// Buckets per window: the window's resolution (a call is counted for up to a bucket longer
/// than Graph counts it, so 1/BUCKETS of each window's time goes unused).
pub const BUCKETS: u32 = 64;
/// Independently locked parts of the object map.
pub const SHARDS: usize = 16;
const RING: usize = BUCKETS as usize + 1;

/// Settings of a [`Pacer`].
#[derive(Debug, Clone, PartialEq)]
pub struct PacerConfig {
    /// Graph's rolling window (an hour). Shorter only against a server whose clock runs faster
    /// than real time (waba-mock's `--time-scale`): `estimated_time_to_regain_access` minutes are
    /// scaled by `window / 1 h` too.
    pub window: Duration,
    /// The share of each allowance to use, in percent (default 95): calls go only while the
    /// window holds fewer than this share of the learned allowance.
    pub target_percent: u32,
    /// How many throttles of one call the client waits out before returning the error
    /// (default 8). They do not count against the retry policy's attempts.
    pub max_throttle_waits: u32,
}

impl Default for PacerConfig {
    fn default() -> Self {
        PacerConfig {
            window: Duration::from_secs(3600),
            target_percent: 95,
            max_throttle_waits: 8,
        }
    }
}

/// What a pacer has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PacerStats {
    /// Objects seen.
    pub objects: u64,
    /// Calls let go.
    pub calls: u64,
    /// Calls that had to wait for their slot.
    pub waited: u64,
    /// Throttles reported by Graph (each makes its object wait out the regain time).
    pub throttles: u64,
}

/// Spaces calls per business object so that each stays under its rate-limit allowance (see the
/// [module docs](self)). Cheap to clone; clones share state. Give it to a client with
/// [`Client::with_pacer`](crate::Client::with_pacer) (the [`fleet`](crate::fleet) helper does),
/// or call [`acquire`](Pacer::acquire) before each call and [`observe`](Pacer::observe) its
/// answer's usage yourself.
#[derive(Clone, Debug)]
pub struct Pacer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: PacerConfig,
    bucket: Duration,
    epoch: Instant,
    hasher: RandomState,
    shards: Vec<Mutex<HashMap<Box<str>, Arc<Slot>>>>,
    app_percent: AtomicU32,
    objects: AtomicU64,
    calls: AtomicU64,
    waited: AtomicU64,
    throttles: AtomicU64,
}

/// One object: a queue for callers waiting for a slot, and its counts.
#[derive(Debug, Default)]
struct Slot {
    queue: tokio::sync::Mutex<()>,
    state: Mutex<Window>,
}

#[derive(Debug)]
struct Window {
    /// Calls per bucket; bucket `i` is at `counts[i % RING]`, valid for `newest - BUCKETS ..= newest`.
    counts: [u32; RING],
    newest: u64,
    /// The learned allowance (calls per window); `None` until usage for the object is seen.
    allowance: Option<u32>,
    /// Answers seen since `first`, while learning (all of them within one window).
    answered: u32,
    first: Option<Instant>,
    /// No call before this (a throttle's regain time, or pressure).
    blocked_until: Option<Instant>,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            counts: [0; RING],
            newest: 0,
            allowance: None,
            answered: 0,
            first: None,
            blocked_until: None,
        }
    }
}

impl Window {
    /// Moves the ring to bucket `idx`, zeroing the buckets that left it.
    fn advance(&mut self, idx: u64) {
        if idx <= self.newest {
            return;
        }
        let from = self.newest.max(idx.saturating_sub(RING as u64)) + 1;
        for i in from..=idx {
            self.counts[(i % RING as u64) as usize] = 0;
        }
        self.newest = idx;
    }

    /// Calls in the window ending in bucket `newest` (its oldest bucket counted whole).
    fn in_window(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// How many buckets from now until fewer than `cap` calls are in the window (0: now).
    fn buckets_to_wait(&self, cap: u32) -> u64 {
        let mut count = self.in_window();
        // Bucket `j` leaves the window when bucket `j + RING` starts; buckets before 0 are empty.
        let oldest = self.newest as i64 - BUCKETS as i64;
        let mut k = 0;
        while count >= cap && k < RING as u64 {
            let j = oldest + k as i64;
            if j >= 0 {
                count -= self.counts[(j as u64 % RING as u64) as usize];
            }
            k += 1;
        }
        k
    }
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new(PacerConfig::default())
    }
}

impl Pacer {
    /// A pacer with these settings.
    pub fn new(config: PacerConfig) -> Pacer {
        let bucket = (config.window / BUCKETS).max(Duration::from_micros(1));
        Pacer {
            inner: Arc::new(Inner {
                config,
                bucket,
                // One bucket back, so that bucket indices of "now" are never 0 (the ring's
                // `newest` starts at 0 and only moves forward).
                epoch: Instant::now() - bucket,
                hasher: RandomState::new(),
                shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
                app_percent: AtomicU32::new(0),
                objects: AtomicU64::new(0),
                calls: AtomicU64::new(0),
                waited: AtomicU64::new(0),
                throttles: AtomicU64::new(0),
            }),
        }
    }

    /// The settings.
    pub fn config(&self) -> &PacerConfig {
        &self.inner.config
    }

    /// Counters so far.
    pub fn stats(&self) -> PacerStats {
        let i = &self.inner;
        PacerStats {
            objects: i.objects.load(Ordering::Relaxed),
            calls: i.calls.load(Ordering::Relaxed),
            waited: i.waited.load(Ordering::Relaxed),
            throttles: i.throttles.load(Ordering::Relaxed),
        }
    }

    fn slot(&self, object_id: &str) -> Arc<Slot> {
        let i = &self.inner;
        let shard = &i.shards[(i.hasher.hash_one(object_id) as usize) % SHARDS];
        let mut map = shard.lock().expect("pacer shard lock");
        if let Some(s) = map.get(object_id) {
            return s.clone();
        }
        i.objects.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(Slot::default());
        map.insert(object_id.into(), slot.clone());
        slot
    }

    fn bucket_of(&self, t: Instant) -> u64 {
        (t.saturating_duration_since(self.inner.epoch).as_nanos() / self.inner.bucket.as_nanos())
            as u64
    }

    fn start_of(&self, bucket: u64) -> Instant {
        let nanos = self.inner.bucket.as_nanos().saturating_mul(bucket as u128);
        self.inner.epoch + Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// Waits until a call to `object_id` may go, and counts it. Calls to one object are let go
    /// in the order they asked.
    pub async fn acquire(&self, object_id: &str) {
        let i = &self.inner;
        i.calls.fetch_add(1, Ordering::Relaxed);
        if i.app_percent.load(Ordering::Relaxed) >= i.config.target_percent {
            i.waited.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(i.bucket).await;
        }
        let slot = self.slot(object_id);
        let _turn = slot.queue.lock().await;
        let mut waited = false;
        loop {
            let until = {
                let now = Instant::now();
                let mut w = slot.state.lock().expect("pacer state lock");
                let idx = self.bucket_of(now);
                w.advance(idx);
                let blocked = w.blocked_until.filter(|b| *b > now);
                let wait = match (blocked, w.allowance) {
                    (Some(b), _) => Some(b),
                    (None, Some(allowance)) => {
                        let cap =
                            (allowance as u64 * i.config.target_percent as u64 / 100).max(1) as u32;
                        match w.buckets_to_wait(cap) {
                            0 => None,
                            k => Some(self.start_of(idx + k)),
                        }
                    }
                    (None, None) => None,
                };
                match wait {
                    None => {
                        w.counts[(idx % RING as u64) as usize] += 1;
                        if w.first.is_none() {
                            w.first = Some(now);
                        }
                        break;
                    }
                    Some(until) => until,
                }
            };
            waited = true;
            tokio::time::sleep_until(until).await;
        }
        if waited {
            i.waited.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Learns from the usage headers of an answer to a call to `object_id` (success or error).
    /// A throttle reported for the object (`estimated_time_to_regain_access` > 0) blocks its
    /// calls until then.
    pub fn observe(&self, object_id: &str, usage: &Usage) {
        let i = &self.inner;
        if let Some(app) = usage.app {
            let p = app.call_count.max(app.total_time).max(app.total_cputime);
            i.app_percent.store(p, Ordering::Relaxed);
        }
        let mine = usage
            .business_use_case
            .iter()
            .filter(|b| b.object_id == object_id);
        let percent = mine
            .clone()
            .map(|b| b.call_count.max(b.total_time).max(b.total_cputime))
            .max();
        let Some(percent) = percent else {
            return;
        };
        let regain = usage.regain_access_after_for(object_id);
        let slot = self.slot(object_id);
        let now = Instant::now();
        let mut w = slot.state.lock().expect("pacer state lock");
        w.advance(self.bucket_of(now));
        if let Some(regain) = regain {
            drop(w);
            self.throttled(object_id, Some(regain));
            return;
        }
        let learning = w
            .first
            .is_some_and(|f| now.duration_since(f) < i.config.window);
        if learning {
            w.answered += 1;
            if percent > 0 {
                // Graph rounds up: `percent` ≥ 100·answered/allowance, so this is a lower bound.
                let bound = (w.answered as u64 * 100 / percent as u64).max(1) as u32;
                w.allowance = Some(w.allowance.map_or(bound, |a| a.max(bound)));
            }
        } else if w.allowance.is_none() {
            // Nothing learned in the first window: learn again from the next call.
            w.first = None;
            w.answered = 0;
        }
        // Past learning, a report this high means someone else spends the allowance too: give
        // it a bucket to drain.
        if percent >= i.config.target_percent.max(1) && !learning {
            let until = now + i.bucket;
            w.blocked_until = Some(w.blocked_until.map_or(until, |b| b.max(until)));
        }
    }

    /// Graph throttled a call to `object_id`: its calls wait `regain` (Graph's
    /// `estimated_time_to_regain_access`, scaled to the configured window; one bucket when
    /// Graph gave none), and its allowance is learned again from the calls after that (the
    /// estimate may have been too high; the new one starts from the window Graph reports,
    /// refused calls included, so it can only be lower than the real allowance).
    pub fn throttled(&self, object_id: &str, regain: Option<Duration>) {
        let i = &self.inner;
        i.throttles.fetch_add(1, Ordering::Relaxed);
        let wait = regain.map_or(i.bucket, |r| {
            r.mul_f64(i.config.window.as_secs_f64() / 3600.0)
        });
        let slot = self.slot(object_id);
        let now = Instant::now();
        let mut w = slot.state.lock().expect("pacer state lock");
        w.advance(self.bucket_of(now));
        w.allowance = None;
        w.first = None;
        w.answered = 0;
        let until = now + wait;
        w.blocked_until = Some(w.blocked_until.map_or(until, |b| b.max(until)));
    }

    /// The allowance learned for `object_id` (calls per window), if any.
    pub fn allowance(&self, object_id: &str) -> Option<u32> {
        let i = &self.inner;
        let shard = &i.shards[(i.hasher.hash_one(object_id) as usize) % SHARDS];
        let slot = shard
            .lock()
            .expect("pacer shard lock")
            .get(object_id)?
            .clone();
        slot.state.lock().expect("pacer state lock").allowance
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_counts_the_window_and_finds_the_first_free_bucket() {
        let mut w = Window::default();
        w.advance(10);
        w.counts[10 % RING] = 3;
        w.advance(20);
        w.counts[20 % RING] = 2;
        assert_eq!(w.in_window(), 5);
        assert_eq!(w.buckets_to_wait(6), 0);
        // Bucket 10 leaves the window when bucket 10 + RING starts.
        assert_eq!(w.buckets_to_wait(5), 10 + RING as u64 - 20);
        w.advance(10 + RING as u64);
        assert_eq!(w.in_window(), 2);
        w.advance(1000);
        assert_eq!(w.in_window(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn learns_the_allowance_and_waits_for_the_window() {
        let p = Pacer::new(PacerConfig {
            window: Duration::from_secs(3200),
            target_percent: 100,
            ..PacerConfig::default()
        });
        let usage = |pct: u32| Usage {
            business_use_case: vec![crate::BusinessUseCaseUsage {
                object_id: "7".into(),
                call_count: pct,
                ..Default::default()
            }],
            ..Usage::default()
        };
        let start = Instant::now();
        // Allowance 4: 25 %, 50 %, 75 % after one, two, three calls.
        for n in 1..=3 {
            p.acquire("7").await;
            p.observe("7", &usage(25 * n));
        }
        assert_eq!(p.allowance("7"), Some(4));
        p.acquire("7").await;
        assert_eq!(Instant::now(), start, "four calls fit in the window");
        p.acquire("7").await;
        // The fifth waits until the bucket of the first four has left the window (a bucket is
        // 3200 s / BUCKETS, and the pacer starts counting one bucket back).
        let bucket = Duration::from_secs(3200) / BUCKETS;
        assert_eq!(Instant::now() - start, bucket * RING as u32);
        // An object without usage is not paced; a throttle blocks its object only.
        p.observe("8", &Usage::default());
        p.throttled("7", Some(Duration::from_secs(60)));
        let t = Instant::now();
        p.acquire("8").await;
        assert_eq!(Instant::now(), t);
        p.acquire("7").await;
        assert!(
            Instant::now() - t >= Duration::from_secs(53),
            "a scaled minute"
        );
        assert_eq!(p.stats().throttles, 1);
    }
}
