//! The change report: what regen changes in the spec, fact by fact, in lines a reviewer can
//! paste into a changelog (`enum Task (edges/…): -MESSAGING`), and which facts the overlay adds.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use waba_codegen::spec::raw::{OrderedMap, Overlay, PageDoc};

use super::facts::{self, Fact, Location};
use super::page::show;

/// The page-derived part of a spec folder: version and documents by relative path.
#[derive(Debug, Default, Clone)]
pub struct SpecDocs {
    /// `graph.yaml`'s version.
    pub version: Option<String>,
    /// `graph.yaml`'s API-wide error wordings.
    pub errors: OrderedMap<i64, String>,
    /// `nodes/*.yaml` and `edges/*.yaml`, keyed by relative path.
    pub docs: BTreeMap<String, PageDoc>,
}

fn text<T: Debug>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "(none)".into(), show)
}

/// A spec document's facts (details aside), located in the document.
fn doc_facts(path: &str, doc: &PageDoc) -> Vec<Fact> {
    let mut list = facts::of_doc(doc, &|_| Location::Spec(path.to_string()));
    list.retain(|f| !f.detail);
    list
}

/// Every fact that differs between `old` and `new`: per document, the difference of their fact
/// lists; error codes over all documents, as codegen's `ErrorCode` enum sees them.
pub fn changes(old: &SpecDocs, new: &SpecDocs) -> Vec<String> {
    let mut out = Vec::new();
    if old.version != new.version {
        out.push(format!(
            "graph version: {} -> {}",
            text(&old.version),
            text(&new.version)
        ));
    }
    let codes_of = |d: &SpecDocs| {
        d.errors
            .0
            .iter()
            .map(|(c, _)| *c)
            .collect::<BTreeSet<i64>>()
    };
    for code in codes_of(old).union(&codes_of(new)) {
        let (a, b) = (old.errors.get(code), new.errors.get(code));
        if a != b {
            out.push(format!(
                "graph error {code}: {} -> {}",
                a.map_or_else(|| "(none)".to_string(), show),
                b.map_or_else(|| "(none)".to_string(), show)
            ));
        }
    }
    let paths: BTreeSet<&String> = old.docs.keys().chain(new.docs.keys()).collect();
    let mut codes: [BTreeMap<String, String>; 2] = Default::default();
    for path in paths {
        let a = old
            .docs
            .get(path)
            .map(|d| doc_facts(path, d))
            .unwrap_or_default();
        let b = new
            .docs
            .get(path)
            .map(|d| doc_facts(path, d))
            .unwrap_or_default();
        for (side, list) in [&a, &b].into_iter().enumerate() {
            for f in list.iter().filter(|f| f.key.starts_with("error ")) {
                codes[side]
                    .entry(f.key.clone())
                    .or_insert_with(|| f.value.clone());
            }
        }
        match (old.docs.get(path), new.docs.get(path)) {
            (None, Some(d)) => out.push(format!(
                "{} ({path}): + ({} operations, {} fields, {} edges)",
                facts::endpoint(d),
                d.operations.len(),
                d.fields.len(),
                d.edges.len()
            )),
            (Some(d), None) => out.push(format!("{} ({path}): -", facts::endpoint(d))),
            _ => diff(path, &a, &b, &mut out),
        }
    }
    let [a, b] = codes;
    for (c, d) in &b {
        match a.get(c) {
            None => out.push(format!("{c}: + {}", show(d))),
            Some(old) if old != d => {
                out.push(format!("{c}: description {} -> {}", show(old), show(d)))
            }
            Some(_) => {}
        }
    }
    for c in a.keys().filter(|c| !b.contains_key(*c)) {
        out.push(format!("{c}: -"));
    }
    out
}

/// The changes from fact list `a` to `b` of one document (error descriptions are reported over
/// all documents instead).
fn diff(path: &str, a: &[Fact], b: &[Fact], out: &mut Vec<String>) {
    let index = |l: &[Fact]| -> BTreeMap<String, String> {
        l.iter()
            .filter(|f| !f.key.starts_with("error "))
            .map(|f| (f.key.clone(), f.value.clone()))
            .collect()
    };
    let (a, b) = (index(a), index(b));
    for (k, v) in &b {
        match a.get(k) {
            None if v.is_empty() => out.push(format!("{k} ({path}): +")),
            None => out.push(format!("{k} ({path}): + {}", show(v))),
            Some(old) if old == v => {}
            // Lists (enum values) change value by value: `enum Task (…): -MESSAGING`.
            Some(old) if k.starts_with("enum ") => {
                let (ov, nv): (Vec<&str>, Vec<&str>) =
                    (old.split(", ").collect(), v.split(", ").collect());
                let minus = ov
                    .iter()
                    .filter(|x| !nv.contains(x))
                    .map(|x| format!("-{x}"));
                let plus = nv
                    .iter()
                    .filter(|x| !ov.contains(x))
                    .map(|x| format!("+{x}"));
                out.push(format!(
                    "{k} ({path}): {}",
                    minus.chain(plus).collect::<Vec<_>>().join(" ")
                ));
            }
            Some(old) => out.push(format!("{k} ({path}): {} -> {}", show(old), show(v))),
        }
    }
    for k in a.keys().filter(|k| !b.contains_key(*k)) {
        out.push(format!("{k} ({path}): -"));
    }
}

/// One line per group of facts the overlay supplies. `id_notes` are the page lines that state
/// a node's ID location only in localized prose.
pub fn curated(overlay: &Overlay, docs: &SpecDocs, id_notes: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut external = Vec::new();
    for (name, n) in &overlay.nodes.0 {
        if n.external {
            external.push(name.as_str());
            continue;
        }
        let mut parts = Vec::new();
        if n.description.is_some() {
            parts.push("description".to_string());
        }
        if n.reference.is_some() {
            parts.push("reference".to_string());
        }
        if n.id_note.is_some() {
            let mut s = "id_note".to_string();
            if !id_notes.is_empty() {
                s.push_str(&format!(
                    " (pages state it only in localized prose: {})",
                    id_notes.join(", ")
                ));
            }
            parts.push(s);
        }
        if !n.fields.is_empty() {
            parts.push(format!(
                "fields {}",
                n.fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for (f, t) in &n.field_types.0 {
            parts.push(format!("type of {f}: {t}"));
        }
        for (f, r) in &n.rust_names.0 {
            parts.push(format!("Rust name of {f}: {r}"));
        }
        if !n.edge_names.is_empty() {
            parts.push(format!("{} edge names", n.edge_names.0.len()));
        }
        if let Some(c) = &n.rate_limit_class {
            parts.push(format!("rate-limit class {c}"));
        }
        let page = docs
            .docs
            .values()
            .any(|d| d.edge.is_none() && d.node == *name);
        out.push(format!(
            "node {name}{}: {}",
            if page { "" } else { " (no page)" },
            parts.join("; ")
        ));
    }
    if !external.is_empty() {
        out.push(format!(
            "external nodes (edge targets without a page): {}",
            external.join(", ")
        ));
    }
    for (name, values) in &overlay.enums.0 {
        let bare = docs
            .docs
            .values()
            .any(|d| d.enums.get(name).is_some_and(Vec::is_empty));
        out.push(format!(
            "enum {name}: {}{}",
            values.join(", "),
            if bare {
                " (the pages print it without values)"
            } else {
                ""
            }
        ));
    }
    for (name, renames) in &overlay.variant_names.0 {
        for (wire, variant) in &renames.0 {
            out.push(format!("enum {name}: variant name {variant} for {wire}"));
        }
    }
    for o in &overlay.operations {
        let mut parts = Vec::new();
        if let Some(n) = &o.rust_name {
            parts.push(format!("name {n}"));
        }
        if let Some(i) = o.idempotent {
            parts.push(format!("idempotent: {i}"));
        }
        if !o.params.is_empty() {
            parts.push(format!(
                "params {}",
                o.params
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !o.required.is_empty() {
            parts.push(format!("required {}", o.required.join(", ")));
        }
        for (field, ty) in &o.field_types.0 {
            parts.push(format!("field {field}: {ty}"));
        }
        if let Some(m) = &o.handle_method {
            parts.push(format!("handle method {m}"));
        }
        out.push(format!(
            "operation {} {}: {}",
            o.method,
            o.path,
            parts.join("; ")
        ));
    }
    let page_codes: Vec<i64> = docs
        .docs
        .values()
        .flat_map(|d| d.errors.0.iter().map(|(c, _)| *c))
        .collect();
    let named = overlay
        .errors
        .0
        .iter()
        .filter(|(_, e)| e.name.is_some())
        .count();
    let classed = overlay
        .errors
        .0
        .iter()
        .filter(|(_, e)| e.class.is_some())
        .count();
    let extra: Vec<String> = overlay
        .errors
        .0
        .iter()
        .filter(|(c, _)| !page_codes.contains(c))
        .map(|(c, _)| c.to_string())
        .collect();
    if !overlay.errors.is_empty() {
        out.push(format!(
            "errors: variant names for {named} codes, retry classes for {classed}; codes no page lists: {}",
            if extra.is_empty() { "none".to_string() } else { extra.join(", ") }
        ));
    }
    let short = &overlay.short_names;
    if !short.nodes.is_empty() || !short.edges.is_empty() {
        let pairs: Vec<String> = short
            .nodes
            .0
            .iter()
            .chain(&short.edges.0)
            .map(|(from, to)| format!("{from} -> {to}"))
            .collect();
        out.push(format!("short names: {}", pairs.join(", ")));
    }
    if !overlay.error_subcodes.is_empty() {
        let codes: Vec<String> = overlay
            .error_subcodes
            .0
            .iter()
            .map(|(c, _)| c.to_string())
            .collect();
        out.push(format!("error subcodes named: {}", codes.join(", ")));
    }
    out
}
