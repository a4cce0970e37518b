//! The change report: what regen changes in the spec, fact by fact, in lines a reviewer can
//! paste into a changelog (`enum Task (edges/…): -MESSAGING`), and which facts the overlay adds.

use std::collections::BTreeMap;
use std::fmt::Debug;

use waba_codegen::spec::raw::{Overlay, PageDoc, RawField, RawOperation, Requirements};

use super::page::{clip, show};

/// The page-derived part of a spec folder: version and documents by relative path.
#[derive(Debug, Default, Clone)]
pub struct SpecDocs {
    /// `graph.yaml`'s version.
    pub version: Option<String>,
    /// `nodes/*.yaml` and `edges/*.yaml`, keyed by relative path.
    pub docs: BTreeMap<String, PageDoc>,
}

fn label(doc: &PageDoc) -> String {
    match &doc.edge {
        Some(e) => format!("{}.{e}", doc.node),
        None => doc.node.clone(),
    }
}

fn text<T: Debug>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "(none)".into(), show)
}

/// Every fact that differs between `old` and `new`.
pub fn changes(old: &SpecDocs, new: &SpecDocs) -> Vec<String> {
    let mut out = Vec::new();
    if old.version != new.version {
        out.push(format!(
            "graph version: {} -> {}",
            text(&old.version),
            text(&new.version)
        ));
    }
    let paths: std::collections::BTreeSet<&String> =
        old.docs.keys().chain(new.docs.keys()).collect();
    for path in paths {
        match (old.docs.get(path), new.docs.get(path)) {
            (None, Some(d)) => out.push(format!(
                "{} {} ({path}): + ({} operations, {} fields, {} edges)",
                if d.edge.is_some() { "edge" } else { "node" },
                label(d),
                d.operations.len(),
                d.fields.len(),
                d.edges.len()
            )),
            (Some(d), None) => out.push(format!(
                "{} {} ({path}): -",
                if d.edge.is_some() { "edge" } else { "node" },
                label(d)
            )),
            (Some(a), Some(b)) => doc(path, a, b, &mut out),
            (None, None) => {}
        }
    }
    // Error codes across all documents, as codegen's `ErrorCode` enum sees them.
    let codes = |s: &SpecDocs| {
        let mut m: BTreeMap<i64, String> = BTreeMap::new();
        for d in s.docs.values() {
            for (c, desc) in &d.errors.0 {
                m.entry(*c).or_insert_with(|| desc.clone());
            }
        }
        m
    };
    let (a, b) = (codes(old), codes(new));
    for (c, d) in &b {
        match a.get(c) {
            None => out.push(format!("error {c}: + {}", show(d))),
            Some(old) if old != d => out.push(format!(
                "error {c}: description {} -> {}",
                show(old),
                show(d)
            )),
            Some(_) => {}
        }
    }
    for c in a.keys().filter(|c| !b.contains_key(c)) {
        out.push(format!("error {c}: -"));
    }
    out
}

fn list_diff<T: PartialEq + Debug>(what: &str, a: &[T], b: &[T], out: &mut Vec<String>) {
    let plus: Vec<String> = b
        .iter()
        .filter(|v| !a.contains(v))
        .map(|v| format!("+{}", plain(v)))
        .collect();
    let minus: Vec<String> = a
        .iter()
        .filter(|v| !b.contains(v))
        .map(|v| format!("-{}", plain(v)))
        .collect();
    if !plus.is_empty() || !minus.is_empty() {
        out.push(format!(
            "{what}: {}",
            minus.into_iter().chain(plus).collect::<Vec<_>>().join(" ")
        ));
    }
}

/// Debug text without the quotes around plain words, so enum values read `+MESSAGING`.
fn plain<T: Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) if !inner.contains(' ') => inner.to_string(),
        _ => clip(&s),
    }
}

fn scalar<T: PartialEq + Debug>(what: &str, a: &Option<T>, b: &Option<T>, out: &mut Vec<String>) {
    if a != b {
        out.push(format!("{what}: {} -> {}", text(a), text(b)));
    }
}

fn doc(path: &str, a: &PageDoc, b: &PageDoc, out: &mut Vec<String>) {
    let l = label(b);
    scalar(&format!("title {l}"), &a.title, &b.title, out);
    scalar(
        &format!("description {l}"),
        &a.description,
        &b.description,
        out,
    );
    list_diff(
        &format!("rate limits {l}"),
        &a.rate_limits,
        &b.rate_limits,
        out,
    );
    fields(&format!("field {l}."), &a.fields, &b.fields, out);
    for e in &b.edges {
        match a.edges.iter().find(|x| x.target == e.target) {
            None => out.push(format!("edge {l} -> {}: +", e.target)),
            Some(x) => {
                scalar(
                    &format!("edge {l} -> {} name", e.target),
                    &x.name,
                    &e.name,
                    out,
                );
                scalar(
                    &format!("edge {l} -> {} description", e.target),
                    &x.description,
                    &e.description,
                    out,
                );
            }
        }
    }
    for e in a
        .edges
        .iter()
        .filter(|x| !b.edges.iter().any(|e| e.target == x.target))
    {
        out.push(format!("edge {l} -> {}: -", e.target));
    }
    for o in &b.operations {
        let name = format!("operation {} {} ({path})", o.method, o.path);
        match a
            .operations
            .iter()
            .find(|x| x.method == o.method && x.path == o.path)
        {
            None => out.push(format!("{name}: +")),
            Some(x) => operation(&name, x, o, out),
        }
    }
    for o in a.operations.iter().filter(|x| {
        !b.operations
            .iter()
            .any(|o| o.method == x.method && o.path == x.path)
    }) {
        out.push(format!("operation {} {} ({path}): -", o.method, o.path));
    }
    list_diff(
        &format!("unsupported {l}"),
        &a.unsupported,
        &b.unsupported,
        out,
    );
    for (name, vb) in &b.enums.0 {
        match a.enums.get(name) {
            None => out.push(format!("enum {name} ({path}): + [{}]", vb.join(", "))),
            Some(va) => list_diff(&format!("enum {name} ({path})"), va, vb, out),
        }
    }
    for (name, _) in a.enums.0.iter().filter(|(n, _)| b.enums.get(n).is_none()) {
        out.push(format!("enum {name} ({path}): -"));
    }
    list_diff(&format!("notes {l}"), &a.notes, &b.notes, out);
}

fn fields(prefix: &str, a: &[RawField], b: &[RawField], out: &mut Vec<String>) {
    for f in b {
        match a.iter().find(|x| x.name == f.name) {
            None => out.push(format!("{prefix}{}: +", f.name)),
            Some(x) => {
                scalar(&format!("{prefix}{} type", f.name), &x.ty, &f.ty, out);
                scalar(
                    &format!("{prefix}{} description", f.name),
                    &x.description,
                    &f.description,
                    out,
                );
            }
        }
    }
    for f in a.iter().filter(|x| !b.iter().any(|f| f.name == x.name)) {
        out.push(format!("{prefix}{}: -", f.name));
    }
}

fn operation(name: &str, a: &RawOperation, b: &RawOperation, out: &mut Vec<String>) {
    scalar(&format!("{name} kind"), &a.kind, &b.kind, out);
    scalar(
        &format!("{name} description"),
        &a.description,
        &b.description,
        out,
    );
    let empty = Requirements::default();
    let (ra, rb) = (
        a.requirements.as_ref().unwrap_or(&empty),
        b.requirements.as_ref().unwrap_or(&empty),
    );
    list_diff(
        &format!("{name} permissions"),
        &ra.permissions,
        &rb.permissions,
        out,
    );
    list_diff(&format!("{name} required IDs"), &ra.ids, &rb.ids, out);
    scalar(&format!("{name} token"), &ra.token, &rb.token, out);
    for p in &b.params {
        let pn = format!("param {} of {name}", p.name);
        match a.params.iter().find(|x| x.name == p.name) {
            None => out.push(format!("{pn}: +")),
            Some(x) => {
                scalar(&format!("{pn} type"), &x.ty, &p.ty, out);
                if x.required != p.required {
                    out.push(format!("{pn} required: {} -> {}", x.required, p.required));
                }
                scalar(
                    &format!("{pn} description"),
                    &x.description,
                    &p.description,
                    out,
                );
            }
        }
    }
    for p in a
        .params
        .iter()
        .filter(|x| !b.params.iter().any(|p| p.name == x.name))
    {
        out.push(format!("param {} of {name}: -", p.name));
    }
    scalar(&format!("{name} returns"), &a.returns, &b.returns, out);
    scalar(&format!("{name} creates"), &a.creates, &b.creates, out);
    fields(
        &format!("added field of {name}: "),
        &a.added_fields,
        &b.added_fields,
        out,
    );
    fields(
        &format!("summary field of {name}: "),
        &a.summary_fields,
        &b.summary_fields,
        out,
    );
    if a.read_after_write != b.read_after_write {
        out.push(format!(
            "{name} read-after-write: {} -> {}",
            a.read_after_write, b.read_after_write
        ));
    }
    list_diff(&format!("{name} errors"), &a.errors, &b.errors, out);
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
