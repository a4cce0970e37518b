//! `waba-mock`: a mock of Meta's Graph API for the WhatsApp Business Management endpoints,
//! driven by the same YAML spec (`spec/`) that `waba-api` is generated from, so that mock and
//! client cannot drift apart.
//!
//! Routes, parameters, types, enum values, fields and error messages come from the spec (read
//! once at start-up with `waba_codegen::spec::load`). The mock behaves like Graph: `/vNN.N/`
//! prefixes, Bearer or `access_token` auth (104 / 190), `appsecret_proof` (plain or timed),
//! parameter validation (100), `fields`, `filtering`, cursor paging, `summary`, unknown objects
//! (100/33), Graph's error envelope and its usage headers. What each operation does follows
//! from its shape in the spec (read or update a node, list an edge, create an object in it, add
//! or remove a member, an action): objects by ID and edge collections persist for the life of
//! the server, and a spec with other nodes and edges needs no mock code.
//!
//! Faults can be injected by [`MockConfig`], through [`MockServer::faults`], or over HTTP under
//! `/__mock/` (see [`control`]): scripted ([`FaultRule`]: "fail the next K requests of operation
//! X with F"), seeded random ([`RandomFaults`]). Graph's Business Use Case limit is enforced by
//! [`RateLimit`]: an allowance per WABA per rolling window, on a clock that can run faster than
//! real time (`time_scale`), with usage headers computed from the calls counted and 80008 past
//! the allowance ([`ThrottleConfig`] is a shorthand). The batch endpoint (`POST /` with
//! `batch=`) runs up to 50 calls per HTTP request. Every injected fault, every state change and
//! HTTP requests apart from Graph calls are counted in [`Stats`].
//!
//! ```no_run
//! # async fn demo() {
//! use waba_mock::{FaultKind, MockConfig, MockServer};
//! let mock = MockServer::start(MockConfig::default()).await.unwrap();
//! let url = format!("{}/v26.0/{}", mock.base_url(), mock.seed().waba_ids[0]);
//! mock.faults().fail_next("CreatePhoneNumber", FaultKind::DropAfterApply, 1).unwrap();
//! // … drive a client against `url` with `mock.seed().access_token` …
//! assert_eq!(mock.stats().created_of("WhatsAppBusinessPhoneNumber"), 0);
//! mock.shutdown().await;
//! # }
//! ```
#![deny(missing_docs)]

mod behaviour;
pub mod control;
mod errors;
mod faults;
mod fields;
mod graph;
mod handle;
mod limit;
mod listing;
mod params;
mod seed;
mod server;
mod stats;
mod store;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use faults::{
    ActiveRule, DEFAULT_REGAIN_SECS, FaultKind, FaultRate, FaultRule, FaultSource, FaultsView,
    LatencyRange, RandomFaults, ThrottleConfig,
};
pub use graph::appsecret_proof;
pub use limit::{
    ACTIVE_WABA_CALLS, DEFAULT_APP_CALLS, DEFAULT_OBJECT_CALLS, DEFAULT_WINDOW_SECS, RateLimit,
};
pub use seed::{Seed, SeedInfo};
pub use stats::{FaultRecord, Stats};
pub use store::Created;

use graph::App;

/// The spec compiled into the mock (`build.rs` embeds every file of the workspace's `spec/`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/spec_files.rs"));
}

/// Loads the spec folder `dir`, or without one the spec compiled into the mock.
pub fn load_spec(
    dir: Option<&Path>,
) -> Result<waba_codegen::spec::Spec, waba_codegen::Diagnostics> {
    let loaded = match dir {
        Some(dir) => waba_codegen::spec::load(dir),
        None => waba_codegen::spec::load_texts(Path::new("spec"), embedded::SPEC_FILES),
    };
    loaded.map(|(spec, _)| spec)
}

/// How to start a mock.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Where to listen; port 0 picks a free one. Default `127.0.0.1:0`.
    pub addr: SocketAddr,
    /// The spec folder. Default `None`: the spec compiled into the mock (see [`load_spec`]).
    pub spec_dir: Option<PathBuf>,
    /// Credentials and objects. Default [`Seed::default`].
    pub seed: Seed,
    /// Reject requests without a valid `appsecret_proof`.
    pub require_appsecret_proof: bool,
    /// Throttle each WABA after N calls (shorthand for `rate_limit`; ignored when that is set).
    pub throttle: Option<ThrottleConfig>,
    /// Graph's Business Use Case limit. Default `None`: calls are counted and reported in the
    /// usage headers against an active WABA's allowance, never throttled.
    pub rate_limit: Option<RateLimit>,
    /// Seeded random faults.
    pub random_faults: Option<RandomFaults>,
    /// Scripted faults armed at start-up.
    pub rules: Vec<FaultRule>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            spec_dir: None,
            seed: Seed::default(),
            require_appsecret_proof: false,
            throttle: None,
            rate_limit: None,
            random_faults: None,
            rules: Vec::new(),
        }
    }
}

impl MockConfig {
    /// Gives the first WABA `n` assigned users (generated beyond the seed's `user_ids`; cheap
    /// even for millions).
    pub fn users(mut self, n: u64) -> Self {
        if let Some(first) = self.seed.waba_ids.first() {
            self.seed.assigned_users.insert(first.clone(), n);
        }
        self
    }
}

/// Why a mock did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The spec folder has problems.
    #[error("spec: {0}")]
    Spec(waba_codegen::Diagnostics),
    /// The seed is unusable.
    #[error("seed: {0}")]
    Seed(String),
    /// A fault setting is invalid.
    #[error("faults: {0}")]
    Faults(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// A running mock. Dropping it stops the server; [`MockServer::shutdown`] also waits for it.
pub struct MockServer {
    app: Arc<App>,
    info: SeedInfo,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Loads the spec, binds `config.addr` and starts serving on the current tokio runtime.
    pub async fn start(config: MockConfig) -> Result<MockServer, StartError> {
        let spec = load_spec(config.spec_dir.as_deref()).map_err(StartError::Spec)?;
        config.seed.validate().map_err(StartError::Seed)?;
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.addr,
            source,
        })?;
        let base_url = format!("http://{addr}");
        let app = Arc::new(App::new(
            spec,
            config.seed,
            config.require_appsecret_proof,
            base_url,
        ));
        let info = app.seed_info();
        {
            let faults = Faults(&app);
            let limit = config.rate_limit.or(config.throttle.map(RateLimit::from));
            faults.set_rate_limit(limit).map_err(StartError::Faults)?;
            faults
                .set_random(config.random_faults)
                .map_err(StartError::Faults)?;
            for rule in config.rules {
                faults.add(rule).map_err(StartError::Faults)?;
            }
        }
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, app.clone(), stopped));
        Ok(MockServer {
            app,
            info,
            addr,
            stop,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash or version.
    pub fn base_url(&self) -> &str {
        &self.info.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Credentials and IDs (the binary's start-up line).
    pub fn seed(&self) -> &SeedInfo {
        &self.info
    }

    /// Fault injection.
    pub fn faults(&self) -> Faults<'_> {
        Faults(&self.app)
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.app.counters.snapshot()
    }

    /// Zeroes the counters and empties the fault log.
    pub fn reset_stats(&self) {
        self.app.counters.reset();
    }

    /// Forgets every WABA's call count (and ends any throttling).
    pub fn reset_usage(&self) {
        self.app.reset_usage();
    }

    /// Moves the rate limit's Graph clock forward by `by` (Graph time), e.g. to let a throttle
    /// expire in a test whose clock is stopped (`time_scale: 0.0`).
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.app.limiter.advance(by);
    }

    /// The objects requests created in the edge `edge` of object `id` (e.g. the phone numbers
    /// of a WABA), in creation order; empty for an unknown object.
    pub fn created(&self, id: &str, edge: &str) -> Vec<Created> {
        self.app.created(id, edge).unwrap_or_default()
    }

    /// The IDs of the objects of spec node type `node` (seeded or created), in numeric order.
    pub fn objects_of(&self, node: &str) -> Vec<String> {
        self.app.store.read().ids_of(node)
    }

    /// Turns the `appsecret_proof` requirement on or off.
    pub fn set_require_appsecret_proof(&self, required: bool) {
        self.app.set_require_proof(required);
    }

    /// Stops accepting connections, lets requests in flight finish (up to 5 s) and returns.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// The fault controls of a running mock.
pub struct Faults<'a>(&'a App);

impl Faults<'_> {
    /// Arms a scripted rule; returns its id. Fails for an operation the spec does not have.
    pub fn add(&self, rule: FaultRule) -> Result<u64, String> {
        self.0.check_rule(&rule)?;
        Ok(self.0.faults.add_rule(rule))
    }

    /// Fails the next `k` requests of `operation` (the spec's `rust_name`) with `kind`.
    pub fn fail_next(&self, operation: &str, kind: FaultKind, k: u64) -> Result<u64, String> {
        self.add(FaultRule::new(kind).operation(operation).times(k))
    }

    /// Removes a rule; false if it had already fired out or never existed.
    pub fn remove(&self, id: u64) -> bool {
        self.0.faults.remove_rule(id)
    }

    /// Replaces the random faults (None turns them off). The generator restarts from the seed.
    pub fn set_random(&self, random: Option<RandomFaults>) -> Result<(), String> {
        if let Some(r) = &random {
            self.0.check_random(r)?;
        }
        self.0.faults.set_random(random)
    }

    /// Replaces the rate limit by "throttle after N calls" (None turns it off).
    pub fn set_throttle(&self, throttle: Option<ThrottleConfig>) {
        self.0
            .set_rate_limit(throttle.map(RateLimit::from))
            .expect("a throttle converts to a valid rate limit");
    }

    /// Replaces the rate limit (None: report usage, never throttle). Fails for an invalid one.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) -> Result<(), String> {
        self.0.set_rate_limit(limit)
    }

    /// Removes every rule, random fault and the rate limit, and lifts throttles in effect
    /// (every call count starts again from 0).
    pub fn clear(&self) {
        self.0.faults.clear();
        self.0.limiter.set_scale(1.0);
        self.0.reset_usage();
    }

    /// What is configured.
    pub fn view(&self) -> FaultsView {
        self.0.faults.view()
    }
}
