//! The deterministic seed data: who may call the mock and which objects exist at start-up.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

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
        }
    }
}

impl Seed {
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
        let ids = std::iter::once(("business_id", &self.business_id))
            .chain(self.waba_ids.iter().map(|id| ("waba_ids", id)))
            .chain(self.user_ids.iter().map(|id| ("user_ids", id)));
        for (what, id) in ids {
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
    pub(crate) fn population(&self) -> u64 {
        let named = self.user_ids.len() as u64;
        self.assigned_users
            .values()
            .copied()
            .max()
            .unwrap_or(0)
            .max(named)
    }
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
        assert_eq!(seed.population(), 60);
        let info = SeedInfo {
            base_url: "http://127.0.0.1:1".into(),
            access_token: seed.access_token.clone(),
            app_secret: seed.app_secret.clone(),
            business_id: seed.business_id.clone(),
            waba_ids: seed.waba_ids.clone(),
            user_ids: seed.user_ids.clone(),
        };
        let back = Seed::from_text(&serde_json::to_string(&info).unwrap()).unwrap();
        assert_eq!(
            back.assigned_users,
            BTreeMap::from([(seed.waba_ids[0].clone(), 60)])
        );
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
        assert_eq!(Seed::from_text(&big).unwrap().population(), 1_000_000);
    }
}
