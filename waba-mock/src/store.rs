//! The mock's state, in the spec's terms: objects by ID (each with its node type and field
//! values) and edge collections keyed by (object ID, edge name).
//!
//! A collection's members are IDs with membership fields (what the write that added them set,
//! e.g. a user's tasks on an account). Its first `base` members can be a range of a generated
//! population (the seed's business users, millions if asked) that costs nothing until changed:
//! they are computed from their position, with a small overlay of removals and changes, so
//! reading one page costs O(page) and positions (and therefore cursors) stay stable.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// First ID handed to created objects.
const CREATED_ID_BASE: u64 = 500_000_000_000_001;

/// Field values of one object or member.
pub(crate) type Fields = Map<String, Value>;

/// Everything that exists in the mock.
pub(crate) struct Store {
    state: RwLock<State>,
    population: Population,
    next_created_id: AtomicU64,
}

/// The mutable part of the store, behind one lock (held for one request at most, never across
/// an await).
#[derive(Default)]
pub(crate) struct State {
    objects: HashMap<String, Object>,
    collections: HashMap<(String, String), Collection>,
}

/// One object: its node type and its fields.
pub(crate) struct Object {
    pub(crate) node: String,
    pub(crate) fields: Fields,
    /// For an object a request created: the parameters it was created with.
    pub(crate) created: Option<Created>,
}

/// An object created by a request (`POST` to an edge), as the control API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    /// The ID the mock returned.
    pub id: String,
    /// The parameters it was created with, as sent (`cc`, `phone_number`, …).
    pub params: BTreeMap<String, String>,
}

/// A generated population of IDs (the seed's business users): named ones first, then
/// generated ones by index.
pub(crate) struct Population {
    named: Vec<String>,
    named_index: HashMap<String, u64>,
    total: u64,
    generated_base: u64,
    /// The fields of member `k` (beyond `id`).
    fields: fn(u64) -> Fields,
}

impl Population {
    pub(crate) fn new(
        named: Vec<String>,
        total: u64,
        generated_base: u64,
        fields: fn(u64) -> Fields,
    ) -> Population {
        let named_index = named
            .iter()
            .enumerate()
            .map(|(k, id)| (id.clone(), k as u64))
            .collect();
        Population {
            named,
            named_index,
            total,
            generated_base,
            fields,
        }
    }

    fn id(&self, k: u64) -> String {
        match self.named.get(k as usize) {
            Some(id) => id.clone(),
            None => (self.generated_base + k).to_string(),
        }
    }

    fn index_of(&self, id: &str) -> Option<u64> {
        if let Some(k) = self.named_index.get(id) {
            return Some(*k);
        }
        let k = id.parse::<u64>().ok()?.checked_sub(self.generated_base)?;
        (k >= self.named.len() as u64 && k < self.total).then_some(k)
    }

    fn member(&self, k: u64) -> Fields {
        let mut f = (self.fields)(k);
        f.insert("id".into(), Value::String(self.id(k)));
        f
    }
}

/// The members of one edge of one object: population members `0..base` (minus `removed`,
/// with changed membership fields in `changed`), then members added later in `added` (keyed by
/// an insertion sequence so that positions stay stable when others go).
#[derive(Debug, Default)]
pub(crate) struct Collection {
    base: u64,
    removed: HashSet<u64>,
    changed: HashMap<u64, Fields>,
    added: BTreeMap<u64, (String, Fields)>,
    added_by_id: HashMap<String, u64>,
    next_seq: u64,
}

impl Collection {
    /// A collection of the first `base` population members.
    pub(crate) fn population(base: u64) -> Collection {
        Collection {
            base,
            ..Collection::default()
        }
    }

    /// A collection of `ids`, in order, with no membership fields.
    pub(crate) fn of(ids: impl IntoIterator<Item = String>) -> Collection {
        let mut c = Collection::default();
        for id in ids {
            c.put(&id, Fields::new());
        }
        c
    }

    /// Number of list positions (some may be empty after removals).
    pub(crate) fn positions(&self) -> u64 {
        self.base + self.next_seq
    }

    /// Number of members.
    pub(crate) fn len(&self) -> u64 {
        self.base - self.removed.len() as u64 + self.added.len() as u64
    }

    /// The member at position `pos`: its ID, its population index (if it has one) and its
    /// membership fields, `None` when the position is empty. `default` gives the membership
    /// fields population member `k` starts with.
    pub(crate) fn member(
        &self,
        population: &Population,
        pos: u64,
        default: impl Fn(u64) -> Fields,
    ) -> Option<(String, Fields)> {
        if pos < self.base {
            if self.removed.contains(&pos) {
                return None;
            }
            let fields = self
                .changed
                .get(&pos)
                .cloned()
                .unwrap_or_else(|| default(pos));
            return Some((population.id(pos), fields));
        }
        self.added
            .get(&(pos - self.base))
            .map(|(id, f)| (id.clone(), f.clone()))
    }

    /// Adds `id` with membership `fields`, or replaces the fields of a member already there
    /// (a removed population member comes back in its place). Returns whether anything changed.
    fn put_in(
        &mut self,
        population: &Population,
        id: &str,
        fields: Fields,
        default: impl Fn(u64) -> Fields,
    ) -> bool {
        if let Some(k) = population.index_of(id).filter(|k| *k < self.base) {
            let was_removed = self.removed.remove(&k);
            let defaults = default(k);
            let current = self.changed.get(&k).unwrap_or(&defaults);
            if *current == fields && !was_removed {
                return false;
            }
            if fields == defaults {
                self.changed.remove(&k);
            } else {
                self.changed.insert(k, fields);
            }
            return true;
        }
        self.put(id, fields)
    }

    /// Adds `id` after the others, or replaces its fields.
    fn put(&mut self, id: &str, fields: Fields) -> bool {
        if let Some(seq) = self.added_by_id.get(id) {
            let entry = self
                .added
                .get_mut(seq)
                .expect("added_by_id and added agree");
            if entry.1 == fields {
                return false;
            }
            entry.1 = fields;
            return true;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.added.insert(seq, (id.to_string(), fields));
        self.added_by_id.insert(id.to_string(), seq);
        true
    }

    /// Removes member `id`. Returns whether it was a member.
    fn remove(&mut self, population: &Population, id: &str) -> bool {
        if let Some(k) = population.index_of(id).filter(|k| *k < self.base) {
            self.changed.remove(&k);
            return self.removed.insert(k);
        }
        match self.added_by_id.remove(id) {
            Some(seq) => self.added.remove(&seq).is_some(),
            None => false,
        }
    }
}

impl Store {
    pub(crate) fn new(population: Population) -> Store {
        Store {
            state: RwLock::new(State::default()),
            population,
            next_created_id: AtomicU64::new(CREATED_ID_BASE),
        }
    }

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().expect("store lock")
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().expect("store lock")
    }

    pub(crate) fn population(&self) -> &Population {
        &self.population
    }

    /// A fresh ID for a created object.
    pub(crate) fn new_id(&self) -> String {
        self.next_created_id
            .fetch_add(1, Ordering::Relaxed)
            .to_string()
    }

    /// The node type of object `id`, if it exists.
    pub(crate) fn node_of(&self, id: &str) -> Option<String> {
        self.read().objects.get(id).map(|o| o.node.clone())
    }
}

impl State {
    pub(crate) fn object(&self, id: &str) -> Option<&Object> {
        self.objects.get(id)
    }

    /// The IDs of the objects of node type `node`, in ID order.
    pub(crate) fn ids_of(&self, node: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .objects
            .iter()
            .filter(|(_, o)| o.node == node)
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        ids
    }

    pub(crate) fn object_mut(&mut self, id: &str) -> Option<&mut Object> {
        self.objects.get_mut(id)
    }

    pub(crate) fn insert(&mut self, id: String, object: Object) {
        self.objects.insert(id, object);
    }

    pub(crate) fn collection(&self, owner: &str, edge: &str) -> Option<&Collection> {
        self.collections.get(&(owner.to_string(), edge.to_string()))
    }

    pub(crate) fn set_collection(&mut self, owner: &str, edge: &str, c: Collection) {
        self.collections
            .insert((owner.to_string(), edge.to_string()), c);
    }

    /// Adds `id` to the edge `edge` of `owner` (see [`Collection::put_in`]).
    pub(crate) fn put_member(
        &mut self,
        population: &Population,
        (owner, edge): (&str, &str),
        id: &str,
        fields: Fields,
        default: impl Fn(u64) -> Fields,
    ) -> bool {
        self.collections
            .entry((owner.to_string(), edge.to_string()))
            .or_default()
            .put_in(population, id, fields, default)
    }

    /// Removes `id` from the edge `edge` of `owner`. Returns whether it was a member.
    pub(crate) fn remove_member(
        &mut self,
        population: &Population,
        (owner, edge): (&str, &str),
        id: &str,
    ) -> bool {
        self.collections
            .get_mut(&(owner.to_string(), edge.to_string()))
            .is_some_and(|c| c.remove(population, id))
    }

    /// Deletes object `id`: it goes, and leaves every collection it was a member of.
    pub(crate) fn delete(&mut self, population: &Population, id: &str) -> bool {
        let existed = self.objects.remove(id).is_some();
        for c in self.collections.values_mut() {
            c.remove(population, id);
        }
        self.collections.retain(|(owner, _), _| owner != id);
        existed
    }

    /// The objects created in the edge `edge` of `owner`, in creation order.
    pub(crate) fn created_in(&self, owner: &str, edge: &str) -> Vec<Created> {
        let Some(c) = self.collection(owner, edge) else {
            return Vec::new();
        };
        c.added
            .values()
            .filter_map(|(id, _)| self.objects.get(id)?.created.clone())
            .collect()
    }

    /// The fields of the thing with ID `id`: a stored object, or a population member.
    pub(crate) fn fields_of(&self, population: &Population, id: &str) -> Option<Fields> {
        match self.objects.get(id) {
            Some(o) => Some(o.fields.clone()),
            None => population.index_of(id).map(|k| population.member(k)),
        }
    }
}
