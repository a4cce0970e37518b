//! An OpenAPI document as a YAML value walked with JSON pointers: lookup, `$ref` resolution with a
//! cycle guard, and the `X_1` duplicate schemas Meta's merged document carries.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_yaml::Value;

use super::super::diag::Problems;

/// How many `$ref`s one resolution may follow before it is called a cycle.
const MAX_REFS: usize = 32;

/// One parsed document.
pub struct Doc<'a> {
    /// The file (for locations).
    pub file: &'a Path,
    /// The whole document.
    pub root: &'a Value,
    /// Canonical name of each `components/schemas` entry (`X_1` → `X` when identical).
    names: BTreeMap<String, String>,
    /// `X_n` schemas that differ from `X`, reported when first used.
    differing: RefCell<BTreeSet<String>>,
}

/// RFC 6901 escaping of one pointer segment.
pub fn escape(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

/// One pointer segment as the name it escapes (the inverse of [`escape`]).
pub fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

/// `at` extended by one segment.
pub fn child(at: &str, seg: &str) -> String {
    format!("{at}/{}", escape(seg))
}

/// The mapping entry `key` of `v`, if `v` is a mapping holding it.
pub fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.as_mapping()?.get(key)
}

/// The string under `key`.
pub fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    get(v, key)?.as_str()
}

/// The string entries of a mapping, in document order (non-string keys are skipped).
pub fn entries(v: &Value) -> impl Iterator<Item = (&str, &Value)> {
    v.as_mapping()
        .into_iter()
        .flat_map(|m| m.iter())
        .filter_map(|(k, v)| Some((k.as_str()?, v)))
}

impl<'a> Doc<'a> {
    /// Wraps `root`, collapsing identical `X_1` schemas into `X`; differing ones are kept apart
    /// and reported where a kept operation first uses them.
    pub fn new(file: &'a Path, root: &'a Value) -> Self {
        let mut names = BTreeMap::new();
        let mut differing = BTreeSet::new();
        let schemas = get(root, "components").and_then(|c| get(c, "schemas"));
        for (name, schema) in schemas.into_iter().flat_map(entries) {
            let mut canon = name.to_string();
            if let Some((base, n)) = name.rsplit_once('_')
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && let Some(original) = schemas.and_then(|s| get(s, base))
            {
                if original == schema {
                    canon = base.to_string();
                } else {
                    differing.insert(name.to_string());
                }
            }
            names.insert(name.to_string(), canon);
        }
        Doc {
            file,
            root,
            names,
            differing: RefCell::new(differing),
        }
    }

    /// The canonical name of the component schema `name` (`X_1` → `X` when identical).
    pub fn canonical(&self, name: &str) -> String {
        self.names
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    /// The value at `pointer` (`""` is the root).
    pub fn at(&self, pointer: &str) -> Option<&'a Value> {
        let mut v = self.root;
        if pointer.is_empty() {
            return Some(v);
        }
        let rest = pointer.strip_prefix('/')?;
        for raw in rest.split('/') {
            let seg = unescape(raw);
            v = match v {
                Value::Mapping(m) => m.get(seg.as_str())?,
                Value::Sequence(s) => s.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// Follows `v`'s `$ref` chain (`v` is at `at`): the target and its pointer. A reference
    /// outside the document, a dangling one or a cycle is a located warning and `None`.
    pub fn resolve(
        &self,
        v: &'a Value,
        at: &str,
        problems: &mut Problems,
    ) -> Option<(&'a Value, String)> {
        let (mut v, mut at) = (v, at.to_string());
        let mut seen: Vec<String> = Vec::new();
        while let Some(r) = get(v, "$ref") {
            let Some(target) = r.as_str().and_then(|r| r.strip_prefix('#')) else {
                problems.warn_at(
                    self.file,
                    &at,
                    "`$ref` outside this document is not followed",
                );
                return None;
            };
            if seen.iter().any(|s| s == target) || seen.len() >= MAX_REFS {
                problems.warn_at(self.file, &at, format!("`$ref` cycle through #{target}"));
                return None;
            }
            seen.push(target.to_string());
            let Some(next) = self.at(target) else {
                problems.warn_at(self.file, &at, format!("`$ref` #{target} names nothing"));
                return None;
            };
            v = next;
            at = target.to_string();
        }
        Some((v, at))
    }

    /// The canonical name of the component schema a `$ref` names (`#/components/schemas/X_1` →
    /// `X` when identical to `X`; a differing `X_1` keeps its name and is reported once).
    pub fn schema_name(&self, reference: &str, problems: &mut Problems) -> Option<String> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        let name = unescape(name);
        if self.differing.borrow_mut().remove(&name) {
            let base = name.rsplit_once('_').map_or("", |(b, _)| b);
            problems.warn_at(
                self.file,
                &child("/components/schemas", &name),
                format!(
                    "schema `{name}` differs from `{base}` (#{}); kept apart as `{name}`",
                    child("/components/schemas", base)
                ),
            );
        }
        Some(self.names.get(&name).cloned().unwrap_or(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn pointers_escape_and_resolve() {
        let v = doc("paths:\n  /a/{B}:\n    get: {x: 1}\nl: [1, {$ref: '#/paths/~1a~1{B}/get'}]\n");
        let mut p = Problems::default();
        let d = Doc::new(Path::new("api.yaml"), &v);
        assert_eq!(child("/paths", "/a/{B}"), "/paths/~1a~1{B}");
        let r = d.at("/l/1").unwrap();
        let (t, at) = d.resolve(r, "/l/1", &mut p).unwrap();
        assert_eq!(at, "/paths/~1a~1{B}/get");
        assert_eq!(get(t, "x").and_then(Value::as_i64), Some(1));
        assert!(p.0.is_empty());
    }

    #[test]
    fn cycles_and_dangling_refs_are_located_warnings() {
        let v = doc(
            "a: {$ref: '#/b'}\nb: {$ref: '#/a'}\nc: {$ref: '#/nope'}\nd: {$ref: 'x.yaml#/a'}\n",
        );
        let mut p = Problems::default();
        let d = Doc::new(Path::new("api.yaml"), &v);
        for k in ["/a", "/c", "/d"] {
            assert!(d.resolve(d.at(k).unwrap(), k, &mut p).is_none());
        }
        let shown: Vec<String> = p.0.iter().map(ToString::to_string).collect();
        assert!(
            shown[0].starts_with("api.yaml#/a: warning: `$ref` cycle"),
            "{shown:?}"
        );
        assert!(shown[1].contains("#/c") && shown[1].contains("names nothing"));
        assert!(shown[2].contains("outside this document"));
    }

    #[test]
    fn identical_duplicates_collapse_and_differing_ones_are_reported() {
        let v = doc(
            "components:\n  schemas:\n    X: {type: string}\n    X_1: {type: string}\n    Y: {type: string}\n    Y_1: {type: integer}\n",
        );
        let mut p = Problems::default();
        let d = Doc::new(Path::new("api.yaml"), &v);
        assert_eq!(
            d.schema_name("#/components/schemas/X_1", &mut p).as_deref(),
            Some("X")
        );
        assert!(p.0.is_empty());
        for _ in 0..2 {
            assert_eq!(
                d.schema_name("#/components/schemas/Y_1", &mut p).as_deref(),
                Some("Y_1")
            );
        }
        assert_eq!(p.0.len(), 1);
        assert!(
            p.0[0]
                .to_string()
                .contains("#/components/schemas/Y_1: warning: schema `Y_1` differs")
        );
    }
}
