//! What the mock did: requests per operation, faults injected, writes applied, objects created.
//! Tests compare this with what the client saw.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::faults::{FaultKind, FaultSource};

/// Fault records kept at most; later ones are only counted (long benchmark runs stay bounded).
const FAULT_LOG_CAP: usize = 100_000;

/// One injected fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRecord {
    /// The request's sequence number (1-based, in arrival order).
    pub request: u64,
    /// The operation (`rust_name`), when the path matched one.
    pub operation: Option<String>,
    /// The object the path named.
    pub object_id: Option<String>,
    /// The fault.
    pub fault: FaultKind,
    /// Where it came from.
    pub source: FaultSource,
    /// Whether the mock handled the request (validated and, for writes, ran it) before or
    /// despite the fault.
    pub executed: bool,
    /// Whether handling it changed state (the write took effect although the client may not
    /// have seen the answer).
    pub state_changed: bool,
}

/// A snapshot of the counters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Graph calls received (control API calls excluded): each item of a batch is one call,
    /// as Graph counts them against the limits.
    pub total_requests: u64,
    /// HTTP requests received (control API calls excluded): a batch is one.
    pub http_requests: u64,
    /// Of those, batch requests (`POST /` with `batch=`).
    pub batches: u64,
    /// Requests per operation `rust_name`; requests matching none count under `unmatched`.
    pub requests: BTreeMap<String, u64>,
    /// Injected faults per kind.
    pub faults: BTreeMap<FaultKind, u64>,
    /// Each injected fault, in order (the first 100,000).
    pub fault_log: Vec<FaultRecord>,
    /// Write requests that succeeded, per operation (whether or not the client saw the answer).
    pub writes_applied: BTreeMap<String, u64>,
    /// Writes that changed state, per operation (setting the same tasks twice changes it once).
    pub state_changes: BTreeMap<String, u64>,
    /// Objects created, per node type (e.g. `WhatsAppBusinessPhoneNumber`).
    pub created: BTreeMap<String, u64>,
}

impl Stats {
    /// Requests of one operation.
    pub fn requests_of(&self, operation: &str) -> u64 {
        self.requests.get(operation).copied().unwrap_or(0)
    }

    /// Faults of one kind.
    pub fn faults_of(&self, kind: FaultKind) -> u64 {
        self.faults.get(&kind).copied().unwrap_or(0)
    }

    /// Successful writes of one operation.
    pub fn writes_of(&self, operation: &str) -> u64 {
        self.writes_applied.get(operation).copied().unwrap_or(0)
    }

    /// Objects of one node type really created (creates that took effect).
    pub fn created_of(&self, node: &str) -> u64 {
        self.created.get(node).copied().unwrap_or(0)
    }
}

/// Lock-free counters indexed by operation (the spec's order; the last slot is `unmatched`).
pub(crate) struct Counters {
    op_names: Vec<String>,
    total: AtomicU64,
    http: AtomicU64,
    batches: AtomicU64,
    requests: Vec<AtomicU64>,
    writes: Vec<AtomicU64>,
    changes: Vec<AtomicU64>,
    faults: Vec<AtomicU64>,
    created: Mutex<BTreeMap<String, u64>>,
    log: Mutex<Vec<FaultRecord>>,
}

fn zeros(n: usize) -> Vec<AtomicU64> {
    (0..n).map(|_| AtomicU64::new(0)).collect()
}

impl Counters {
    pub(crate) fn new(op_names: Vec<String>) -> Counters {
        let n = op_names.len() + 1;
        Counters {
            op_names,
            total: AtomicU64::new(0),
            http: AtomicU64::new(0),
            batches: AtomicU64::new(0),
            requests: zeros(n),
            writes: zeros(n),
            changes: zeros(n),
            faults: zeros(FaultKind::ALL.len()),
            created: Mutex::new(BTreeMap::new()),
            log: Mutex::new(Vec::new()),
        }
    }

    fn slot(&self, op: Option<usize>) -> usize {
        op.unwrap_or(self.op_names.len())
    }

    /// Counts an HTTP request and returns its sequence number.
    pub(crate) fn http_request(&self) -> u64 {
        self.http.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Counts a batch request.
    pub(crate) fn batch(&self) {
        self.batches.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a Graph call and returns its sequence number.
    pub(crate) fn request(&self, op: Option<usize>) -> u64 {
        self.requests[self.slot(op)].fetch_add(1, Ordering::Relaxed);
        self.total.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub(crate) fn write(&self, op: usize, changed: bool, created: Option<&str>) {
        self.writes[op].fetch_add(1, Ordering::Relaxed);
        if changed {
            self.changes[op].fetch_add(1, Ordering::Relaxed);
        }
        if let Some(node) = created {
            *self
                .created
                .lock()
                .expect("created lock")
                .entry(node.to_string())
                .or_default() += 1;
        }
    }

    pub(crate) fn fault(&self, record: FaultRecord) {
        let i = FaultKind::ALL
            .iter()
            .position(|k| *k == record.fault)
            .expect("every kind is in ALL");
        self.faults[i].fetch_add(1, Ordering::Relaxed);
        let mut log = self.log.lock().expect("fault log lock");
        if log.len() < FAULT_LOG_CAP {
            log.push(record);
        }
    }

    pub(crate) fn snapshot(&self) -> Stats {
        let by_op = |v: &[AtomicU64]| -> BTreeMap<String, u64> {
            v.iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let n = c.load(Ordering::Relaxed);
                    let name = self.op_names.get(i).map_or("unmatched", String::as_str);
                    (n > 0).then(|| (name.to_string(), n))
                })
                .collect()
        };
        Stats {
            total_requests: self.total.load(Ordering::Relaxed),
            http_requests: self.http.load(Ordering::Relaxed),
            batches: self.batches.load(Ordering::Relaxed),
            requests: by_op(&self.requests),
            faults: FaultKind::ALL
                .iter()
                .zip(&self.faults)
                .filter_map(|(k, c)| {
                    let n = c.load(Ordering::Relaxed);
                    (n > 0).then_some((*k, n))
                })
                .collect(),
            fault_log: self.log.lock().expect("fault log lock").clone(),
            writes_applied: by_op(&self.writes),
            state_changes: by_op(&self.changes),
            created: self.created.lock().expect("created lock").clone(),
        }
    }

    pub(crate) fn reset(&self) {
        for c in [&self.requests, &self.writes, &self.changes, &self.faults]
            .into_iter()
            .flatten()
        {
            c.store(0, Ordering::Relaxed);
        }
        for c in [&self.total, &self.http, &self.batches] {
            c.store(0, Ordering::Relaxed);
        }
        self.created.lock().expect("created lock").clear();
        self.log.lock().expect("fault log lock").clear();
    }
}
