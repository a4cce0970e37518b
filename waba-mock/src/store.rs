//! The mock's objects: one business, its WABAs, their assigned users and created phone numbers.
//!
//! Assigned users are computed from their index (a WABA starts with the first N users of the
//! business) plus a small overlay of changes, so a WABA with a million users costs a few bytes
//! and reading one page costs O(page).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use waba_codegen::spec::Spec;

use crate::fields;
use crate::seed::Seed;

/// First ID of generated business users (beyond the seed's named `user_ids`).
const GENERATED_USER_BASE: u64 = 400_000_000_000_000;
/// First ID handed to created objects (phone numbers).
const CREATED_ID_BASE: u64 = 500_000_000_000_001;

/// Everything that exists in the mock. The set of objects is fixed at start-up, so finding one
/// needs no lock; each WABA guards its own mutable state.
pub(crate) struct Store {
    pub(crate) business_id: String,
    pub(crate) business: Map<String, Value>,
    pub(crate) wabas: Vec<Waba>,
    waba_index: HashMap<String, usize>,
    users: Population,
    /// Task values a generated user gets (the spec's `Task` enum).
    task_values: Vec<String>,
    next_created_id: AtomicU64,
}

/// The type of an object the mock holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectKind {
    Business,
    Waba(usize),
}

impl ObjectKind {
    /// The spec node name of the object type.
    pub(crate) fn node(self) -> &'static str {
        match self {
            ObjectKind::Business => "Business",
            ObjectKind::Waba(_) => "WhatsAppBusinessAccount",
        }
    }
}

/// One WhatsApp Business Account.
pub(crate) struct Waba {
    pub(crate) id: String,
    /// Every field of the WABA node, including edge-added ones (`permitted_tasks`).
    pub(crate) fields: Map<String, Value>,
    pub(crate) assigned: RwLock<Assigned>,
    pub(crate) phone_numbers: Mutex<Vec<PhoneNumber>>,
    pub(crate) usage: Mutex<Usage>,
}

/// A phone number created with `POST /{waba}/phone_numbers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// The ID the mock returned.
    pub id: String,
    /// The parameters it was created with (`cc`, `phone_number`, `verified_name`, …).
    pub params: BTreeMap<String, String>,
}

/// A WABA's Business Use Case call accounting.
#[derive(Debug, Default)]
pub(crate) struct Usage {
    pub(crate) calls: u64,
    pub(crate) throttled_until: Option<Instant>,
}

/// The business's users: the named ones from the seed, then generated ones by index.
struct Population {
    named: Vec<String>,
    named_index: HashMap<String, u64>,
    total: u64,
}

impl Population {
    fn id(&self, k: u64) -> String {
        match self.named.get(k as usize) {
            Some(id) => id.clone(),
            None => (GENERATED_USER_BASE + k).to_string(),
        }
    }

    fn index_of(&self, id: &str) -> Option<u64> {
        if let Some(k) = self.named_index.get(id) {
            return Some(*k);
        }
        let k = id.parse::<u64>().ok()?.checked_sub(GENERATED_USER_BASE)?;
        (k >= self.named.len() as u64 && k < self.total).then_some(k)
    }
}

/// A WABA's assigned users: the first `base` business users, minus `removed`, with `tasks`
/// overrides, then users added later in `extra` (keyed by an insertion sequence so that
/// positions, and therefore cursors, stay stable when others are removed).
#[derive(Debug, Default)]
pub(crate) struct Assigned {
    base: u64,
    removed: HashSet<u64>,
    overrides: HashMap<u64, Vec<String>>,
    extra: BTreeMap<u64, (String, Vec<String>)>,
    extra_by_id: HashMap<String, u64>,
    next_seq: u64,
}

/// One assigned user, as listed.
pub(crate) struct UserRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) tasks: Vec<String>,
}

impl Store {
    pub(crate) fn new(spec: &Spec, seed: &Seed) -> Store {
        let task_values = task_values(spec);
        let mut business = Map::new();
        business.insert("id".into(), Value::String(seed.business_id.clone()));
        if let Some(node) = spec.node("Business") {
            fields::fill(spec, &mut business, &node.fields, 0);
        }
        let wabas: Vec<Waba> = seed
            .waba_ids
            .iter()
            .enumerate()
            .map(|(i, id)| Waba {
                id: id.clone(),
                fields: waba_fields(spec, seed, id, i as u64, &task_values),
                assigned: RwLock::new(Assigned {
                    base: seed.assigned_users.get(id).copied().unwrap_or(0),
                    ..Assigned::default()
                }),
                phone_numbers: Mutex::new(Vec::new()),
                usage: Mutex::new(Usage::default()),
            })
            .collect();
        let waba_index = wabas
            .iter()
            .enumerate()
            .map(|(i, w)| (w.id.clone(), i))
            .collect();
        let users = Population {
            named: seed.user_ids.clone(),
            named_index: seed
                .user_ids
                .iter()
                .enumerate()
                .map(|(k, id)| (id.clone(), k as u64))
                .collect(),
            total: seed.population(),
        };
        Store {
            business_id: seed.business_id.clone(),
            business,
            wabas,
            waba_index,
            users,
            task_values,
            next_created_id: AtomicU64::new(CREATED_ID_BASE),
        }
    }

    /// What kind of object `id` is, if it exists.
    pub(crate) fn lookup(&self, id: &str) -> Option<ObjectKind> {
        if id == self.business_id {
            return Some(ObjectKind::Business);
        }
        self.waba_index.get(id).map(|i| ObjectKind::Waba(*i))
    }

    pub(crate) fn waba(&self, id: &str) -> Option<&Waba> {
        self.waba_index.get(id).map(|i| &self.wabas[*i])
    }

    /// A fresh ID for a created object.
    pub(crate) fn new_id(&self) -> String {
        self.next_created_id
            .fetch_add(1, Ordering::Relaxed)
            .to_string()
    }

    /// The tasks business user number `k` starts with: one or two values of the spec's enum.
    fn default_tasks(&self, k: u64) -> Vec<String> {
        let n = self.task_values.len() as u64;
        if n == 0 {
            return Vec::new();
        }
        let mut tasks = vec![self.task_values[(k % n) as usize].clone()];
        if k.is_multiple_of(3) && n > 1 {
            tasks.push(self.task_values[((k + 1) % n) as usize].clone());
        }
        tasks
    }

    /// Number of list positions (some may be empty after removals).
    pub(crate) fn user_positions(&self, a: &Assigned) -> u64 {
        a.base + a.next_seq
    }

    /// The user at list position `pos`, if one is there.
    pub(crate) fn user_at(&self, a: &Assigned, pos: u64) -> Option<UserRow> {
        if pos < a.base {
            if a.removed.contains(&pos) {
                return None;
            }
            let tasks = a
                .overrides
                .get(&pos)
                .cloned()
                .unwrap_or_else(|| self.default_tasks(pos));
            return Some(UserRow {
                id: self.users.id(pos),
                name: user_name(pos),
                tasks,
            });
        }
        let (id, tasks) = a.extra.get(&(pos - a.base))?;
        let name = match self.users.index_of(id) {
            Some(k) => user_name(k),
            None => format!("User {id}"),
        };
        Some(UserRow {
            id: id.clone(),
            name,
            tasks: tasks.clone(),
        })
    }

    /// Number of assigned users.
    pub(crate) fn user_count(&self, a: &Assigned) -> u64 {
        a.base - a.removed.len() as u64 + a.extra.len() as u64
    }

    /// Assigns `user` with `tasks`, replacing the tasks of a user already assigned. Returns
    /// whether anything changed.
    pub(crate) fn assign(&self, a: &mut Assigned, user: &str, tasks: Vec<String>) -> bool {
        if let Some(k) = self.users.index_of(user).filter(|k| *k < a.base) {
            let was_removed = a.removed.remove(&k);
            let defaults = self.default_tasks(k);
            let current = a.overrides.get(&k).unwrap_or(&defaults);
            if *current == tasks && !was_removed {
                return false;
            }
            if tasks == defaults {
                a.overrides.remove(&k);
            } else {
                a.overrides.insert(k, tasks);
            }
            return true;
        }
        if let Some(seq) = a.extra_by_id.get(user) {
            let entry = a.extra.get_mut(seq).expect("extra_by_id and extra agree");
            if entry.1 == tasks {
                return false;
            }
            entry.1 = tasks;
            return true;
        }
        let seq = a.next_seq;
        a.next_seq += 1;
        a.extra.insert(seq, (user.to_string(), tasks));
        a.extra_by_id.insert(user.to_string(), seq);
        true
    }

    /// Unassigns `user`. Returns whether it was assigned.
    pub(crate) fn unassign(&self, a: &mut Assigned, user: &str) -> bool {
        if let Some(k) = self.users.index_of(user).filter(|k| *k < a.base) {
            a.overrides.remove(&k);
            return a.removed.insert(k);
        }
        match a.extra_by_id.remove(user) {
            Some(seq) => a.extra.remove(&seq).is_some(),
            None => false,
        }
    }
}

fn user_name(k: u64) -> String {
    format!("Mock User {}", k + 1)
}

/// The values of the enum the spec types `tasks` with (on assigned_users), e.g. `Task`.
fn task_values(spec: &Spec) -> Vec<String> {
    use waba_codegen::spec::types::Type;
    spec.operations
        .iter()
        .filter(|op| op.edge.as_deref() == Some("assigned_users"))
        .flat_map(|op| &op.params)
        .find_map(|p| match &p.ty {
            Type::List(inner) if p.name == "tasks" => match inner.as_ref() {
                Type::Enum(e) => spec.enum_type(e),
                _ => None,
            },
            _ => None,
        })
        .map(|e| e.values.iter().map(|v| v.wire.clone()).collect())
        .unwrap_or_default()
}

/// Every documented field of WABA number `i`: realistic values for the fields the mock knows,
/// then a value from the field's spec type for any other.
fn waba_fields(spec: &Spec, seed: &Seed, id: &str, i: u64, tasks: &[String]) -> Map<String, Value> {
    const CURRENCIES: [&str; 4] = ["USD", "EUR", "BRL", "INR"];
    const COUNTRIES: [&str; 4] = ["US", "DE", "BR", "IN"];
    // Graph's numeric timezone IDs (America/Los_Angeles, Europe/Berlin, America/Sao_Paulo, Asia/Kolkata).
    const TIMEZONES: [&str; 4] = ["1", "71", "27", "94"];
    let pick = |xs: &[&str; 4]| Value::String(xs[(i % 4) as usize].to_string());
    let digest = Sha256::digest(id.as_bytes());
    let h = hex::encode(&digest[..16]);
    let namespace = format!(
        "{}_{}_{}_{}_{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    );
    let mut obj = Map::new();
    obj.insert("id".into(), Value::String(id.to_string()));
    obj.insert("name".into(), Value::String(format!("Mock WABA {}", i + 1)));
    obj.insert("currency".into(), pick(&CURRENCIES));
    obj.insert("country".into(), pick(&COUNTRIES));
    obj.insert("timezone_id".into(), pick(&TIMEZONES));
    obj.insert(
        "message_template_namespace".into(),
        Value::String(namespace),
    );
    obj.insert(
        "purchase_order_number".into(),
        Value::String(format!("PO-{}", 1000 + i)),
    );
    obj.insert(
        "business_verification_status".into(),
        Value::String(
            if i.is_multiple_of(2) {
                "verified"
            } else {
                "pending"
            }
            .into(),
        ),
    );
    let permitted: Vec<Value> = tasks
        .iter()
        .take(tasks.len().saturating_sub(i as usize).max(1))
        .cloned()
        .map(Value::String)
        .collect();
    obj.insert("permitted_tasks".into(), Value::Array(permitted));
    let mut on_behalf = Map::new();
    on_behalf.insert(
        "id".into(),
        Value::String((700_000_000_000_000 + i).to_string()),
    );
    on_behalf.insert(
        "name".into(),
        Value::String(format!("Mock Client Business {}", i + 1)),
    );
    on_behalf.insert(
        "owner_business_id".into(),
        Value::String(seed.business_id.clone()),
    );
    on_behalf.insert("status".into(), Value::String("APPROVED".into()));
    obj.insert(
        "on_behalf_of_business_info".into(),
        Value::Object(on_behalf),
    );
    if let Some(node) = spec.node("WhatsAppBusinessAccount") {
        // Keep only what the spec documents, so projection and validation agree.
        obj.retain(|k, _| node.fields.iter().any(|f| &f.name == k));
        fields::fill(spec, &mut obj, &node.fields, i);
    }
    obj
}
