//! The deterministic seed data: who may call the mock and which objects exist at start-up.
//!
//! This is the one place that names node types and edges of the WhatsApp Business Management
//! spec (the business, its WABAs, their assigned users): everything else follows from the spec.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use waba_codegen::spec::Spec;

use crate::store::{Collection, Fields, Population};

/// The spec's node type of `business_id`.
const BUSINESS_NODE: &str = "Business";
/// The spec's node type of `waba_ids`.
const WABA_NODE: &str = "WhatsAppBusinessAccount";
/// The business's edge that lists the WABAs.
const CLIENT_WABAS_EDGE: &str = "client_whatsapp_business_accounts";
/// The WABAs' edge that lists the users assigned to them.
const ASSIGNED_USERS_EDGE: &str = "assigned_users";
/// The enum of tasks a user can have on a WABA.
const TASK_ENUM: &str = "Task";
/// First ID of generated business users (beyond the seed's named `user_ids`).
const GENERATED_USER_BASE: u64 = 400_000_000_000_000;
/// IDs of the one object the mock starts with of each node an operation starts at and the seed
/// names none of (the other ranges: WABAs 2…, users 3… and 4…, created 5…, callers 6…, values 7…/8…).
const STARTER_IDS: u64 = 910_000_000_000_001;

/// The objects and credentials the mock starts with. `--seed FILE` reads one from YAML or JSON
/// (the binary's start-up line is itself a valid seed file: its `base_url` is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seed {
    /// The only access token the mock accepts.
    pub access_token: String,
    /// The app secret `appsecret_proof` is keyed with.
    pub app_secret: String,
    /// The business (portfolio) whose client WABAs are `waba_ids`.
    pub business_id: String,
    /// The WhatsApp Business Accounts, in listing order.
    pub waba_ids: Vec<String>,
    /// The business's named users. Users beyond these (see `assigned_users`) get generated IDs.
    pub user_ids: Vec<String>,
    /// How many users each WABA has assigned at start-up: the first N users of the business
    /// (`user_ids`, then generated users). WABAs not listed have none. When a seed file leaves it
    /// out, the first WABA gets every user in `user_ids`.
    pub assigned_users: BTreeMap<String, u64>,
    /// Further objects, by spec node type (e.g. for a spec with other nodes): each gets the
    /// field values of its type.
    pub objects: BTreeMap<String, Vec<String>>,
}

/// One object of the seed: its ID, node type and the field values the seed gives it.
pub(crate) struct SeedObject {
    pub(crate) id: String,
    pub(crate) node: String,
    pub(crate) fields: Fields,
}

impl SeedObject {
    /// An object known only by its ID: the store fills its documented fields from their types.
    fn bare(id: &str, node: &str) -> SeedObject {
        let mut fields = Map::new();
        fields.insert("id".into(), Value::String(id.to_string()));
        SeedObject {
            id: id.to_string(),
            node: node.to_string(),
            fields,
        }
    }
}

/// The shape of a seed file: [`Seed`] plus the start-up line's `base_url`, which is ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    access_token: String,
    app_secret: String,
    business_id: String,
    waba_ids: Vec<String>,
    user_ids: Vec<String>,
    #[serde(default)]
    assigned_users: Option<BTreeMap<String, u64>>,
    #[serde(default)]
    objects: BTreeMap<String, Vec<String>>,
    #[serde(default, rename = "base_url")]
    _base_url: Option<serde::de::IgnoredAny>,
}

/// Number of named users in the default seed: enough for three pages at Graph's default limit.
const DEFAULT_USERS: u64 = 60;

impl Default for Seed {
    /// Token `mock-access-token`, secret `mock-app-secret`, business `100000000000001`, three
    /// WABAs (`200000000000001`…`3`), 60 users (`300000000000001`…`060`); the first WABA has all
    /// 60 users assigned, the second 3, the third none.
    fn default() -> Self {
        let waba_ids: Vec<String> = (1..=3)
            .map(|i| (200_000_000_000_000u64 + i).to_string())
            .collect();
        let user_ids = (1..=DEFAULT_USERS)
            .map(|i| (300_000_000_000_000u64 + i).to_string())
            .collect();
        let assigned_users = BTreeMap::from([
            (waba_ids[0].clone(), DEFAULT_USERS),
            (waba_ids[1].clone(), 3),
        ]);
        Seed {
            access_token: "mock-access-token".into(),
            app_secret: "mock-app-secret".into(),
            business_id: "100000000000001".into(),
            waba_ids,
            user_ids,
            assigned_users,
            objects: BTreeMap::new(),
        }
    }
}

impl Seed {
    /// The default seed with `n` WABAs (`200000000000001`…), each with the business's first
    /// `users` users assigned: a fleet for scale tests and benchmarks.
    pub fn fleet(n: u64, users: u64) -> Seed {
        let waba_ids: Vec<String> = (1..=n)
            .map(|i| (200_000_000_000_000u64 + i).to_string())
            .collect();
        let assigned_users = waba_ids.iter().map(|w| (w.clone(), users)).collect();
        Seed {
            waba_ids,
            assigned_users,
            ..Seed::default()
        }
    }

    /// Parses a seed from YAML or JSON text (JSON is YAML).
    pub fn from_text(text: &str) -> Result<Seed, String> {
        let file: SeedFile = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let assigned_users = match file.assigned_users {
            Some(map) => map,
            None => file
                .waba_ids
                .first()
                .map(|w| BTreeMap::from([(w.clone(), file.user_ids.len() as u64)]))
                .unwrap_or_default(),
        };
        let seed = Seed {
            access_token: file.access_token,
            app_secret: file.app_secret,
            business_id: file.business_id,
            waba_ids: file.waba_ids,
            user_ids: file.user_ids,
            assigned_users,
            objects: file.objects,
        };
        seed.validate()?;
        Ok(seed)
    }

    /// Reads a seed file.
    pub fn load(path: &Path) -> Result<Seed, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Seed::from_text(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Checks what the mock relies on: numeric, distinct IDs and a token to accept.
    pub fn validate(&self) -> Result<(), String> {
        if self.access_token.is_empty() {
            return Err("access_token must not be empty".into());
        }
        let mut seen = HashSet::new();
        for (what, id) in self.named_ids() {
            if !is_numeric_id(id) {
                return Err(format!("{what}: `{id}` is not a numeric ID"));
            }
            if !seen.insert(id.as_str()) {
                return Err(format!("{what}: ID `{id}` appears twice"));
            }
        }
        for waba in self.assigned_users.keys() {
            if !self.waba_ids.contains(waba) {
                return Err(format!("assigned_users: `{waba}` is not one of waba_ids"));
            }
        }
        Ok(())
    }

    /// The number of business users: named ones plus as many generated ones as the largest
    /// assignment needs.
    pub(crate) fn population_size(&self) -> u64 {
        let named = self.user_ids.len() as u64;
        self.assigned_users
            .values()
            .copied()
            .max()
            .unwrap_or(0)
            .max(named)
    }

    /// The business users.
    pub(crate) fn population(&self) -> Population {
        Population::new(
            self.user_ids.clone(),
            self.population_size(),
            GENERATED_USER_BASE,
            user_fields,
        )
    }

    /// The objects the mock starts with, with the fields the seed knows (the store gives the
    /// rest of each node's documented fields values from their types).
    pub(crate) fn objects(&self, spec: &Spec) -> Vec<SeedObject> {
        let mut out = vec![SeedObject::bare(&self.business_id, BUSINESS_NODE)];
        let tasks: Vec<String> = spec
            .enum_type(TASK_ENUM)
            .map(|e| e.values.iter().map(|v| v.wire.clone()).collect())
            .unwrap_or_default();
        for (i, id) in self.waba_ids.iter().enumerate() {
            out.push(SeedObject {
                id: id.clone(),
                node: WABA_NODE.into(),
                fields: self.waba_fields(id, i as u64, &tasks),
            });
        }
        for (node, ids) in &self.objects {
            for id in ids {
                out.push(SeedObject::bare(id, node));
            }
        }
        // Every node an operation starts at exists at least once, so that each operation can
        // be called on a fresh mock (`GET /{phone_number_id}`, `POST /{solution_id}/accept`, …).
        let mut starts: Vec<&str> = spec.operations.iter().map(|o| o.node.as_str()).collect();
        starts.sort_unstable();
        starts.dedup();
        let named: HashSet<&str> = self.named_ids().map(|(_, id)| id.as_str()).collect();
        let mut next = STARTER_IDS;
        for node in starts {
            if out.iter().any(|o| o.node == node) {
                continue;
            }
            while named.contains(next.to_string().as_str()) {
                next += 1;
            }
            out.push(SeedObject::bare(&next.to_string(), node));
            next += 1;
        }
        out
    }

    /// Every ID the seed names, with the field naming it.
    fn named_ids(&self) -> impl Iterator<Item = (&'static str, &String)> {
        std::iter::once(("business_id", &self.business_id))
            .chain(self.waba_ids.iter().map(|id| ("waba_ids", id)))
            .chain(self.user_ids.iter().map(|id| ("user_ids", id)))
            .chain(self.objects.values().flatten().map(|id| ("objects", id)))
    }

    /// The edges the mock starts with: the business lists its WABAs, each WABA its first N
    /// business users.
    pub(crate) fn collections(&self) -> Vec<((String, String), Collection)> {
        let mut out = vec![(
            (self.business_id.clone(), CLIENT_WABAS_EDGE.to_string()),
            Collection::of(self.waba_ids.iter().cloned()),
        )];
        for (waba, n) in &self.assigned_users {
            out.push((
                (waba.clone(), ASSIGNED_USERS_EDGE.to_string()),
                Collection::population(*n),
            ));
        }
        out
    }

    /// Realistic values for the fields of WABA number `i` that the seed knows.
    fn waba_fields(&self, id: &str, i: u64, tasks: &[String]) -> Fields {
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
        let status = if i.is_multiple_of(2) {
            "verified"
        } else {
            "pending"
        };
        obj.insert(
            "business_verification_status".into(),
            Value::String(status.into()),
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
        obj.insert(
            "on_behalf_of_business_info".into(),
            Value::Object(on_behalf),
        );
        obj
    }
}

/// The fields of business user number `k` (beyond its ID).
fn user_fields(k: u64) -> Fields {
    let mut f = Map::new();
    f.insert("name".into(), Value::String(format!("Mock User {}", k + 1)));
    f
}

/// What the binary prints as its first line and [`crate::MockServer::seed`] returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedInfo {
    /// Where the mock listens, e.g. `http://127.0.0.1:41234` (no trailing slash, no version).
    pub base_url: String,
    /// The access token to send.
    pub access_token: String,
    /// The app secret to compute `appsecret_proof` with.
    pub app_secret: String,
    /// The business ID.
    pub business_id: String,
    /// The WABA IDs.
    pub waba_ids: Vec<String>,
    /// The named business users (generated users are not listed).
    pub user_ids: Vec<String>,
    /// The seed's further objects by node type (left out when there are none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub objects: BTreeMap<String, Vec<String>>,
}

/// Digits only, not empty: what Graph accepts as an object ID.
pub(crate) fn is_numeric_id(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_seed_is_valid_and_startup_line_round_trips() {
        let seed = Seed::default();
        seed.validate().unwrap();
        assert_eq!(seed.population_size(), 60);
        let info = SeedInfo {
            base_url: "http://127.0.0.1:1".into(),
            access_token: seed.access_token.clone(),
            app_secret: seed.app_secret.clone(),
            business_id: seed.business_id.clone(),
            waba_ids: seed.waba_ids.clone(),
            user_ids: seed.user_ids.clone(),
            objects: BTreeMap::new(),
        };
        let back = Seed::from_text(&serde_json::to_string(&info).unwrap()).unwrap();
        assert_eq!(
            back.assigned_users,
            BTreeMap::from([(seed.waba_ids[0].clone(), 60)])
        );
    }

    /// The seed gives only documented fields (nested members included): what it stores is
    /// served as is, so a field the spec dropped would reach clients undocumented.
    #[test]
    fn seeded_fields_are_documented_fields_of_their_node() {
        use waba_codegen::spec::model::Shape;
        use waba_codegen::spec::types::Type;
        let spec = crate::load_spec(None).unwrap();
        for obj in Seed::default().objects(&spec) {
            let node = spec.node(&obj.node).unwrap();
            // Graph answers `id` with every node, documented or not.
            for (name, value) in obj.fields.iter().filter(|(k, _)| *k != "id") {
                let field = node.fields.iter().find(|f| &f.name == name);
                let field =
                    field.unwrap_or_else(|| panic!("{}.{name} is not documented", obj.node));
                let Value::Object(members) = value else {
                    continue;
                };
                let Type::Object(ty) = &field.ty else {
                    panic!("{}.{name} is an object, typed {}", obj.node, field.ty);
                };
                let Some(Shape::Fields(documented)) = spec.struct_type(ty).map(|s| &s.shape) else {
                    panic!("{ty} has no fields");
                };
                for m in members.keys() {
                    assert!(
                        documented.iter().any(|f| &f.name == m),
                        "{}.{name}.{m} is not a field of {ty}",
                        obj.node
                    );
                }
            }
        }
    }

    #[test]
    fn rejects_bad_seeds() {
        let base =
            "access_token: t\napp_secret: s\nbusiness_id: '1'\nwaba_ids: ['2']\nuser_ids: ['3']\n";
        assert!(Seed::from_text(base).is_ok());
        assert!(
            Seed::from_text(&format!("{base}extra: 1\n"))
                .unwrap_err()
                .contains("extra")
        );
        assert!(
            Seed::from_text(&base.replace("'3'", "'x3'"))
                .unwrap_err()
                .contains("numeric")
        );
        assert!(
            Seed::from_text(&base.replace("'3'", "'2'"))
                .unwrap_err()
                .contains("twice")
        );
        let bad = format!("{base}assigned_users: {{'9': 1}}\n");
        assert!(
            Seed::from_text(&bad)
                .unwrap_err()
                .contains("not one of waba_ids")
        );
        let big = format!("{base}assigned_users: {{'2': 1000000}}\n");
        assert_eq!(Seed::from_text(&big).unwrap().population_size(), 1_000_000);
    }
}
