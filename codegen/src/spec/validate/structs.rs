//! Value types (`spec/structs/<Name>.yaml`): records with required and optional members, and
//! `oneOf` types with their alternatives and discriminator.

use std::collections::{HashMap, HashSet};

use super::{Curated, FieldDecl, Known, RustNames, TypeAt, Validator, nth};
use crate::diag::Origin;
use crate::names::{ident_problem, upper_camel};
use crate::spec::load::RawSpec;
use crate::spec::model::{Alternative, Field, Shape, StructType};
use crate::spec::raw::{OrderedMap, StructDoc};
use crate::spec::types::Type;

impl Validator<'_> {
    /// Every struct document, lowered once all type names are known.
    pub(super) fn structs(
        &mut self,
        raw: &RawSpec,
        ov: &Curated<'_>,
        known: &Known,
    ) -> Vec<StructType> {
        let list = ov.top.key("structs");
        for (name, _) in &ov.doc.structs.0 {
            if !raw.structs.iter().any(|(_, d)| &d.name == name) {
                let msg = format!(
                    "overlay names struct `{name}`, which no document under structs/ declares"
                );
                self.error(&list.key(name), msg);
            }
        }
        let mut out: Vec<StructType> = Vec::new();
        for (path, doc) in &raw.structs {
            let top = Origin::file(path);
            let origin = top.at("struct", &doc.name, 0);
            if let Some(first) = out.iter().find(|s| s.name == doc.name) {
                let msg = format!(
                    "struct `{}` is already described by {}",
                    doc.name,
                    first.origin.file_name()
                );
                self.error(&origin, msg);
                continue;
            }
            if let Some(p) = ident_problem(&doc.name) {
                self.error(&origin, format!("struct name {p}"));
            }
            let shape = if doc.one_of.is_empty() {
                if let Some(d) = &doc.discriminator {
                    let msg = format!(
                        "struct `{}` has a discriminator `{d}` but no `one_of` alternatives",
                        doc.name
                    );
                    self.error(&top.at("discriminator", d, 0), msg);
                }
                Shape::Fields(self.struct_fields(&top, doc, ov, known))
            } else {
                if !doc.fields.is_empty() {
                    let msg = format!(
                        "struct `{}` has both `fields` and `one_of`: a oneOf type is one of its alternatives",
                        doc.name
                    );
                    self.error(&top.key("fields"), msg);
                }
                self.one_of(&top, doc, known)
            };
            let id_of = self.struct_id_of(ov, doc, &shape, known);
            out.push(StructType {
                name: doc.name.clone(),
                description: doc.description.clone(),
                shape,
                id_of,
                origin,
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        self.no_direct_cycles(&out);
        out
    }

    /// A struct that holds itself through members that are not lists or maps would have
    /// infinite size in Rust: reported (once per cycle, at its first struct by name) rather than
    /// generated.
    fn no_direct_cycles(&mut self, structs: &[StructType]) {
        let direct = |s: &StructType| -> Vec<(String, String)> {
            let held = |ty: &Type| match ty {
                Type::Object(n) => Some(n.clone()),
                _ => None,
            };
            match &s.shape {
                Shape::Fields(fields) => fields
                    .iter()
                    .filter_map(|f| held(&f.ty).map(|n| (f.name.clone(), n)))
                    .collect(),
                Shape::OneOf { alternatives, .. } => alternatives
                    .iter()
                    .filter_map(|a| held(&a.ty).map(|n| (a.variant.clone(), n)))
                    .collect(),
            }
        };
        let by_name: HashMap<&str, &StructType> =
            structs.iter().map(|s| (s.name.as_str(), s)).collect();
        let members: HashMap<&str, Vec<(String, String)>> = structs
            .iter()
            .map(|s| (s.name.as_str(), direct(s)))
            .collect();
        let cyclic = on_cycles(&members);
        let mut reported: Vec<&str> = Vec::new();
        // Only a struct on a cycle can hold itself: the search below (a path per start) runs
        // for those alone, so a long chain of structs costs linear time, not cubic.
        for start in structs.iter().filter(|s| cyclic.contains(s.name.as_str())) {
            // Depth-first over direct members; each entry carries the (member, type) steps
            // that led to it.
            let mut stack: Vec<(&str, Vec<(String, String)>)> = vec![(&start.name, Vec::new())];
            let mut seen: HashSet<String> = HashSet::new();
            while let Some((name, path)) = stack.pop() {
                let Some(held) = members.get(name) else {
                    continue;
                };
                for (member, target) in held.iter().cloned() {
                    let mut steps = path.clone();
                    steps.push((member, target.clone()));
                    if target == start.name {
                        if steps.iter().any(|(_, t)| reported.contains(&t.as_str())) {
                            continue;
                        }
                        let shown: Vec<String> = steps
                            .iter()
                            .map(|(m, t)| format!("`{m}` → `{t}`"))
                            .collect();
                        let msg = format!(
                            "struct `{}` holds itself through {}: a value type cannot contain itself \
                             except through a list or a map",
                            start.name,
                            shown.join(", ")
                        );
                        self.error(&start.origin, msg);
                        reported.push(&start.name);
                    } else if seen.insert(target.clone())
                        && let Some(t) = by_name.get(target.as_str())
                    {
                        stack.push((&t.name, steps));
                    }
                }
            }
        }
    }

    /// The overlay's `id_of` for struct `doc`: a node of the spec, for a record with an `id`.
    fn struct_id_of(
        &mut self,
        ov: &Curated<'_>,
        doc: &StructDoc,
        shape: &Shape,
        known: &Known,
    ) -> Option<String> {
        let target = ov.doc.structs.get(&doc.name)?.id_of.clone()?;
        let at = ov.top.key("structs").key(&doc.name).key("id_of");
        let has_id = matches!(shape, Shape::Fields(fs) if fs.iter().any(|f| f.name == "id"));
        let problem = if !known.nodes.contains(&target) && !known.external.contains(&target) {
            Some(format!("`{target}` is not a node of the spec"))
        } else if !has_id {
            Some(format!("struct `{}` has no `id` member", doc.name))
        } else {
            None
        };
        match problem {
            Some(p) => {
                self.error(&at, format!("id_of: {p}"));
                None
            }
            None => Some(target),
        }
    }

    fn struct_fields(
        &mut self,
        top: &Origin,
        doc: &StructDoc,
        ov: &Curated<'_>,
        known: &Known,
    ) -> Vec<Field> {
        let no_names = OrderedMap::default();
        let names_at = ov.top.key("structs").key(&doc.name).key("rust_names");
        let names = RustNames {
            map: ov
                .doc
                .structs
                .get(&doc.name)
                .map_or(&no_names, |o| &o.rust_names),
            at: names_at.clone(),
            owner: format!("struct `{}`", doc.name),
        };
        for (wire, _) in &names.map.0 {
            if !doc.fields.iter().any(|f| &f.name == wire) {
                let msg = format!(
                    "overlay gives a Rust name to field `{wire}`, which struct `{}` does not have",
                    doc.name
                );
                self.error(&names_at.key(wire), msg);
            }
        }
        let list = top.key("fields");
        let mut fields: Vec<Field> = Vec::new();
        for (i, f) in doc.fields.iter().enumerate() {
            let at = list.at("name", &f.name, nth(&doc.fields, i, |f| &f.name));
            let Some(ty) = self.typed(&at, &f.name, f.ty.as_deref(), &names.owner, "") else {
                continue;
            };
            let decl = FieldDecl {
                at,
                name: &f.name,
                ty,
                description: f.description.clone(),
                always: f.required,
                added_by: None,
            };
            let Some(field) = self.field(decl, &names, known) else {
                continue;
            };
            if let Some(first) = fields.iter().find(|g| g.rust_name == field.rust_name) {
                let msg = if first.name == field.name {
                    format!("duplicate field `{}` in struct `{}`", field.name, doc.name)
                } else {
                    format!(
                        "fields `{}` and `{}` of struct `{}` both become `{}`",
                        first.name, field.name, doc.name, field.rust_name
                    )
                };
                self.error(&field.origin, msg);
                continue;
            }
            fields.push(field);
        }
        fields
    }

    fn one_of(&mut self, top: &Origin, doc: &StructDoc, known: &Known) -> Shape {
        let list = top.key("one_of");
        let mut alternatives: Vec<Alternative> = Vec::new();
        let mut variants: HashSet<String> = HashSet::new();
        for (i, alt) in doc.one_of.iter().enumerate() {
            let at = list.at("type", &alt.ty, nth(&doc.one_of, i, |a| &a.ty));
            let ty_at = TypeAt {
                base: at.clone(),
                key: "type".into(),
            };
            let Some(ty) = self.parse_type(&ty_at, &alt.ty, known, false) else {
                continue;
            };
            let variant = match &ty {
                Type::Node(n) | Type::Object(n) => n.clone(),
                other => upper_camel(&other.to_string()),
            };
            if variant == "Unknown" || !variants.insert(variant.clone()) {
                let msg = format!(
                    "alternative `{}` of struct `{}` gives variant name `{variant}`, which is {}",
                    alt.ty,
                    doc.name,
                    if variant == "Unknown" {
                        "kept for values no alternative matches"
                    } else {
                        "already used by another alternative"
                    }
                );
                self.error(&at, msg);
            }
            match (&doc.discriminator, &alt.tag) {
                (Some(d), None) => {
                    let msg = format!(
                        "alternative `{}` of struct `{}` has no `tag` (the value of `{d}` that selects it)",
                        alt.ty, doc.name
                    );
                    self.error(&at, msg);
                }
                (None, Some(tag)) => {
                    let msg = format!(
                        "alternative `{}` of struct `{}` has tag `{tag}` but the struct has no `discriminator`",
                        alt.ty, doc.name
                    );
                    self.error(&at.key("tag"), msg);
                }
                (Some(_), Some(tag))
                    if alternatives.iter().any(|a| a.tag.as_ref() == Some(tag)) =>
                {
                    let msg = format!(
                        "tag `{tag}` selects two alternatives of struct `{}`",
                        doc.name
                    );
                    self.error(&at.key("tag"), msg);
                }
                _ => {}
            }
            alternatives.push(Alternative {
                variant,
                ty,
                tag: alt.tag.clone(),
            });
        }
        Shape::OneOf {
            alternatives,
            discriminator: doc.discriminator.clone(),
        }
    }
}

/// The structs of `members` (struct → its direct members' struct types) that lie on a cycle or
/// lead to one: what remains after repeatedly removing the structs all of whose members are
/// gone (a chain is removed entirely, in linear time).
fn on_cycles<'a>(members: &HashMap<&'a str, Vec<(String, String)>>) -> HashSet<&'a str> {
    let mut left: HashMap<&str, usize> = members
        .iter()
        .map(|(name, held)| {
            let n = held
                .iter()
                .filter(|(_, t)| members.contains_key(t.as_str()))
                .count();
            (*name, n)
        })
        .collect();
    let mut holders: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, held) in members {
        for (_, t) in held {
            if let Some((t, _)) = members.get_key_value(t.as_str()) {
                holders.entry(*t).or_default().push(*name);
            }
        }
    }
    let mut done: Vec<&str> = left
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| *k)
        .collect();
    while let Some(name) = done.pop() {
        left.remove(name);
        for h in holders.get(name).into_iter().flatten() {
            if let Some(n) = left.get_mut(h) {
                *n -= 1;
                if *n == 0 {
                    done.push(h);
                }
            }
        }
    }
    left.into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_structs_on_or_into_a_cycle_remain() {
        let edge = |t: &str| vec![("m".to_string(), t.to_string())];
        // A chain A → B → C, and D → E → D with F → D leading into that cycle.
        let members: HashMap<&str, Vec<(String, String)>> = HashMap::from([
            ("A", edge("B")),
            ("B", edge("C")),
            ("C", Vec::new()),
            ("D", edge("E")),
            ("E", edge("D")),
            ("F", edge("D")),
        ]);
        let mut got: Vec<&str> = on_cycles(&members).into_iter().collect();
        got.sort_unstable();
        assert_eq!(got, ["D", "E", "F"]);
    }
}
