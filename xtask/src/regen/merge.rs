//! Merging the pages of one endpoint (one page in several languages, and Meta's OpenAPI document)
//! into one document: the union of their fact lists, one fact per key chosen by [`rank`]
//! (structure from the OpenAPI document, prose from English pages), turned back into a document
//! by [`facts::to_doc`]. What the pages state differently or only partly is found on their fact
//! lists ([`differences`]) and reported with every source; documents that disagree with each
//! other likewise ([`disagreements`]).

use std::collections::{BTreeMap, HashMap};

use waba_codegen::spec::raw::{OrderedMap, PageDoc, RawParam};

use super::facts::{self, Class, Fact, Location};
use super::page::{ParsedPage, show};

/// The relative path of the document for `node` (and `edge`) inside the spec folder.
pub fn doc_path(node: &str, edge: Option<&str>) -> String {
    match edge {
        Some(e) => format!("edges/{node}.{e}.yaml"),
        None => format!("nodes/{node}.yaml"),
    }
}

/// What merging found besides the documents.
#[derive(Debug, Default)]
pub struct MergeNotes {
    /// Facts two pages state differently (the kept one first).
    pub conflicts: Vec<String>,
    /// Facts only some pages of an endpoint state (kept: the merge is a union).
    pub partial: Vec<String>,
    /// Parameters only pages give to an operation the OpenAPI document describes (not added:
    /// the document's parameter structure wins).
    pub page_only: Vec<String>,
}

/// Merges pages (sorted by file name) into one document per node or edge, keyed by path.
pub fn merge(pages: &[ParsedPage], notes: &mut MergeNotes) -> Vec<(String, PageDoc)> {
    let mut groups: BTreeMap<(String, Option<String>), Vec<&ParsedPage>> = BTreeMap::new();
    for p in pages {
        groups
            .entry((p.doc.node.clone(), p.doc.edge.clone()))
            .or_default()
            .push(p);
    }
    groups
        .into_iter()
        .map(|((node, edge), group)| {
            let path = doc_path(&node, edge.as_deref());
            differences(&path, &group, notes);
            let doc = merged(&path, &group, notes);
            (path, doc)
        })
        .collect()
}

/// The document the pages of one endpoint (labelled `label`) state together: every key of
/// their fact lists with the value [`choose`] picks, less the parameters [`page_only_params`]
/// leaves out and what contradicts the merged operations, turned back into a document.
fn merged(label: &str, pages: &[&ParsedPage], notes: &mut MergeNotes) -> PageDoc {
    let lists: Vec<(&ParsedPage, Vec<Fact>)> =
        pages.iter().map(|p| (*p, facts::of_page_doc(p))).collect();
    let left_out = page_only_params(label, &lists, notes);
    let mut chosen: Vec<Fact> = by_key(&lists)
        .into_iter()
        .filter(|(key, _)| !param_of(key).is_some_and(|q| left_out.iter().any(|l| l == q)))
        .filter_map(|(key, cands)| choose(key, &cands))
        .collect();
    let kinds: Vec<String> = chosen
        .iter()
        .filter(|f| f.key.starts_with("op "))
        .map(|f| f.value.clone())
        .collect();
    chosen.retain(|f| {
        let Some(kind) = f.key.strip_prefix("unsupported ").and_then(|k| k.rsplit(' ').next())
        else {
            return true;
        };
        let documented = kinds.iter().any(|k| k == kind);
        if documented {
            notes.conflicts.push(format!(
                "{label}: one page says {kind} is not supported, another documents it; kept the operation"
            ));
        }
        !documented
    });
    // An enum a page declared for a parameter goes when no type of the merged document names it
    // any more (the parameter was not added, or the document types it otherwise).
    let used = enums_named(chosen.iter());
    let of_params = enums_named(
        lists
            .iter()
            .flat_map(|(_, l)| l)
            .filter(|f| f.key.starts_with("param ")),
    );
    chosen.retain(|f| {
        let Some(name) = f.key.strip_prefix("enum ") else {
            return true;
        };
        let keep = used.iter().any(|u| u == name) || !of_params.iter().any(|u| u == name);
        if !keep {
            notes.page_only.push(format!(
                "{label}: enum `{name}` is named only by pages' parameter types that the document's replaced or that were not added; not added"
            ));
        }
        keep
    });
    let mut doc = facts::to_doc(&chosen);
    doc.sources = pages.iter().map(|p| p.name.clone()).collect();
    doc
}

/// The facts of several pages grouped by key, in first-seen order.
fn by_key<'a, 'p>(
    lists: &'a [(&'p ParsedPage, Vec<Fact>)],
) -> Vec<(&'a str, Vec<(&'p ParsedPage, &'a Fact)>)> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<(&str, Vec<(&ParsedPage, &Fact)>)> = Vec::new();
    for (p, list) in lists {
        for f in list {
            let i = *index.entry(&f.key).or_insert_with(|| {
                out.push((&f.key, Vec::new()));
                out.len() - 1
            });
            out[i].1.push((*p, f));
        }
    }
    out
}

/// The class a fact ranks by: a title is prose although the `endpoint` fact that shows it is
/// structure.
fn class_of(f: &Fact) -> Class {
    if f.key.starts_with("endpoint ") {
        Class::Prose
    } else {
        f.class
    }
}

/// One key's fact from the pages that state it (`cands`, in page order), by [`rank`]: a type
/// by [`pick_type`], an enum's values as a union, an operation's kind from the sources that
/// state one; every other key states one value, or none (a list item: the union of keys).
fn choose(key: &str, cands: &[(&ParsedPage, &Fact)]) -> Option<Fact> {
    let (_, best) = cands.iter().min_by_key(|(p, f)| rank(p, class_of(f)))?;
    let value = match key.split(' ').next().unwrap_or_default() {
        "field" | "added" | "summary" | "param" => {
            let parts: Vec<(&ParsedPage, (Option<&str>, bool))> = cands
                .iter()
                .map(|(p, f)| (*p, facts::type_of(&f.value)))
                .collect();
            let ty = pick_type(
                parts
                    .iter()
                    .filter_map(|(p, (t, _))| t.map(|t| (*p, t)))
                    .collect(),
            );
            let required = pick_by(
                Class::Structure,
                parts.iter().map(|(p, (_, r))| (*p, *r)).collect(),
            );
            facts::typed(ty, required.unwrap_or(false))
        }
        "enum" => enum_values(cands.iter().map(|(_, f)| *f)).join(", "),
        "op" => pick_by(
            Class::Structure,
            cands
                .iter()
                .filter(|(_, f)| !f.value.is_empty())
                .map(|(p, f)| (*p, f.value.clone()))
                .collect(),
        )
        .unwrap_or_default(),
        _ => best.value.clone(),
    };
    Some(Fact {
        key: key.to_string(),
        value,
        ..(*best).clone()
    })
}

/// The enums the type facts among `facts` name (of fields, parameters, added and summary
/// fields, return shapes).
fn enums_named<'a>(facts: impl Iterator<Item = &'a Fact>) -> Vec<String> {
    facts
        .filter(|f| {
            let kind = f.key.split(' ').next().unwrap_or_default();
            matches!(
                kind,
                "field" | "param" | "added" | "summary" | "returns" | "creates"
            )
        })
        .flat_map(|f| enum_names(&f.value))
        .collect()
}

/// The enums the types of `doc` name.
pub(super) fn enums_named_in(doc: &PageDoc) -> Vec<String> {
    enums_named(facts::of_doc(doc, &|_| Location::Spec(String::new())).iter())
}

/// The values of `enum` facts, each once, in first-seen order.
fn enum_values<'a>(facts: impl Iterator<Item = &'a Fact>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in facts.flat_map(|f| facts::values(&f.value)) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// `METHOD /path name` of a parameter's fact (`param …`, `param-description …`).
fn param_of(key: &str) -> Option<&str> {
    key.strip_prefix("param ")
        .or_else(|| key.strip_prefix("param-description "))
}

/// The facts the pages of one endpoint (labelled `label`) state differently or only partly,
/// found on their fact lists. A fact missing from a page counts only where that page states
/// its scope (a parameter of an operation the page documents); an enum's values count one by
/// one.
fn differences(label: &str, pages: &[&ParsedPage], notes: &mut MergeNotes) {
    let lists: Vec<(&ParsedPage, Vec<Fact>)> = pages
        .iter()
        .map(|p| {
            (
                *p,
                facts::of_page(p)
                    .into_iter()
                    .filter(|f| !f.detail)
                    .collect(),
            )
        })
        .collect();
    let at = |p: &ParsedPage, f: &Fact| format!("{} ({})", f.at, p.locale);
    let mut keys: Vec<&str> = Vec::new();
    for (_, l) in &lists {
        for f in l {
            if !keys.contains(&f.key.as_str()) {
                keys.push(&f.key);
            }
        }
    }
    for key in keys {
        let having: Vec<(&ParsedPage, &Fact)> = lists
            .iter()
            .filter_map(|(p, l)| l.iter().find(|f| f.key == key).map(|f| (*p, f)))
            .collect();
        let Some(&(wp, win)) = having.iter().min_by_key(|(p, f)| rank(p, class_of(f))) else {
            continue;
        };
        // A parameter only pages give to a POST the document describes is not merged;
        // [`page_only_params`] reports it.
        if key
            .strip_prefix("param ")
            .and_then(|k| k.split(' ').next())
            .is_some_and(document_owns_params)
            && !having.iter().any(|(p, _)| p.is_document())
            && let Some(op) = scope(key)
            && lists
                .iter()
                .any(|(p, l)| p.is_document() && l.iter().any(|f| f.key == op))
        {
            continue;
        }
        let partial = |what: &str, with: &[(&ParsedPage, &Fact)], notes: &mut MergeNotes| {
            let scope = scope(key);
            let without: Vec<String> = lists
                .iter()
                .filter(|(p, l)| {
                    !with.iter().any(|(h, _)| std::ptr::eq(*h, *p))
                        && scope.as_ref().is_none_or(|s| l.iter().any(|f| f.key == *s))
                })
                .map(|(p, _)| format!("{} ({})", p.name, p.locale))
                .collect();
            if !without.is_empty() {
                let with: Vec<String> = with.iter().map(|(p, f)| at(p, f)).collect();
                notes.partial.push(format!(
                    "{label}: {what} only in {}, not in {}; kept",
                    with.join(", "),
                    without.join(", ")
                ));
            }
        };
        if key.starts_with("enum ") {
            for v in enum_values(having.iter().map(|(_, f)| *f)) {
                let with: Vec<(&ParsedPage, &Fact)> = having
                    .iter()
                    .filter(|(_, f)| f.value.split(", ").any(|x| x == v))
                    .copied()
                    .collect();
                let without = having.len() - with.len();
                if without > 0 {
                    partial(&format!("value {v} of `{key}`"), &with, notes);
                }
            }
            continue;
        }
        for (p, f) in &having {
            if f.value != win.value {
                // A type fact reads `type[, required]`; a narrower type wins (see `pick_type`).
                let ty = |v: &str| v.split(", ").next().unwrap_or_default().to_string();
                let kept = if refines(&ty(&f.value), &ty(&win.value)) {
                    "kept the second's type (narrower)"
                } else {
                    "kept the first"
                };
                notes.conflicts.push(format!(
                    "{label}: `{key}` differs: {} has {}; {} has {}; {kept}",
                    at(wp, win),
                    show(&win.value),
                    at(p, f),
                    show(&f.value)
                ));
            }
        }
        if win.class == Class::Structure
            && !key.starts_with("endpoint ")
            && !key.starts_with("version ")
            && having.len() < lists.len()
        {
            partial(&format!("`{key}`"), &having, notes);
        }
    }
}

/// The fact a fact belongs to (`param GET /x y` → `op GET /x`), if not the whole endpoint.
fn scope(key: &str) -> Option<String> {
    let (kind, rest) = key.split_once(' ')?;
    if !matches!(
        kind,
        "param" | "returns" | "creates" | "added" | "summary" | "read-after-write" | "error-code"
    ) {
        return None;
    }
    let mut words = rest.split(' ');
    let (method, path) = (words.next()?, words.next()?);
    Some(format!("op {method} {path}"))
}

/// Source precedence, lowest first (stated in the report header and README's regen section):
/// structure (types, required flags, operation kinds, return shapes) comes from the OpenAPI
/// document, then English pages, then other pages; prose (titles, descriptions) from English
/// pages, then the document, then other pages. Among equals the first (by file name) wins.
/// Lists (operations, fields, enum values, error codes) are unions; so are parameters, except
/// that an operation the document describes has the document's parameters only (a parameter
/// only pages list is reported, not added: [`page_only_params`]).
pub fn rank(p: &ParsedPage, class: Class) -> u8 {
    match (class, p.is_document(), p.locale == "en") {
        (Class::Structure, true, _) | (Class::Prose, false, true) => 0,
        (Class::Structure, false, true) | (Class::Prose, true, _) => 1,
        _ => 2,
    }
}

/// One wording per error code over every source, by the prose rule (English pages, then the
/// document, then other locales): the API-wide table of `graph.yaml`.
pub fn error_wordings(pages: &[ParsedPage]) -> OrderedMap<i64, String> {
    let mut by: BTreeMap<i64, Vec<(&ParsedPage, String)>> = BTreeMap::new();
    for p in pages {
        for (code, text) in &p.doc.errors.0 {
            by.entry(*code)
                .or_default()
                .push((p, text.trim().to_string()));
        }
    }
    OrderedMap(
        by.into_iter()
            .filter_map(|(code, cands)| pick_by(Class::Prose, cands).map(|t| (code, t)))
            .collect(),
    )
}

/// A type: the structure rule's, unless another source refines it (the document's `string` for
/// what a page types `numeric string`, `UID`, `datetime` or `enum Task`, also inside lists): a
/// narrower type says more and contradicts nothing.
fn pick_type<'a>(mut cands: Vec<(&ParsedPage, &'a str)>) -> Option<&'a str> {
    // Stable: among equal ranks the first stated comes first, as `pick_by` takes it.
    cands.sort_by_key(|(p, _)| rank(p, Class::Structure));
    let best = cands.first()?.1;
    Some(
        cands
            .into_iter()
            .map(|(_, t)| t)
            .find(|t| refines(t, best))
            .unwrap_or(best),
    )
}

/// Whether `narrow` is `wide` with more said: `string` made an ID, a date or an enum.
fn refines(narrow: &str, wide: &str) -> bool {
    let inner = |t: &str| {
        ["list<", "array<"]
            .iter()
            .find_map(|p| t.strip_prefix(p)?.strip_suffix('>'))
            .map(str::to_string)
    };
    match (inner(narrow), inner(wide)) {
        (Some(n), Some(w)) => refines(&n, &w),
        (None, None) => {
            wide == "string"
                && (matches!(narrow, "numeric string" | "UID" | "datetime")
                    || narrow.starts_with("enum "))
        }
        _ => false,
    }
}

fn pick_by<T: Clone>(class: Class, cands: Vec<(&ParsedPage, T)>) -> Option<T> {
    cands
        .into_iter()
        .min_by_key(|(p, _)| rank(p, class))
        .map(|(_, v)| v)
}

/// One attribute as several pages state it (a nested parameter), chosen as a parameter is:
/// type and required flag by the structure rule ([`pick_type`] lets a narrower type refine),
/// description by the prose rule.
pub(super) fn choose_attribute(cands: &[(&ParsedPage, &RawParam)]) -> Option<RawParam> {
    let name = cands.first()?.1.name.clone();
    let ty = pick_type(
        cands
            .iter()
            .filter_map(|(p, a)| a.ty.as_deref().map(|t| (*p, t)))
            .collect(),
    );
    let required = pick_by(
        Class::Structure,
        cands.iter().map(|(p, a)| (*p, a.required)).collect(),
    );
    let description = pick_by(
        Class::Prose,
        cands
            .iter()
            .filter_map(|(p, a)| a.description.clone().map(|d| (*p, d)))
            .collect(),
    );
    Some(RawParam {
        name,
        ty: ty.map(str::to_string),
        required: required.unwrap_or(false),
        description,
    })
}

/// The enums a type names (`list<enum Task>` → `Task`).
pub(super) fn enum_names(ty: &str) -> Vec<String> {
    ty.split("enum ")
        .skip(1)
        .filter_map(|rest| {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// Whether, for an operation of `method` the OpenAPI document describes, the document's
/// parameters alone count: only a request body nests (a page's reading of its nesting is a
/// guess where the document states it); a read's or a delete's query parameters are flat on
/// every page, so they stay a union.
fn document_owns_params(method: &str) -> bool {
    method == "POST"
}

/// The parameters (`METHOD /path name`) left out of the merge, each reported. Where an OpenAPI
/// document describes a POST, its parameters' structure is the document's: a top-level
/// parameter only pages list is reported with its page line and not added (their nested
/// attributes: [`super::objects`]).
/// Elsewhere (no document, or query parameters) every source's parameters are merged (a union).
fn page_only_params(
    label: &str,
    lists: &[(&ParsedPage, Vec<Fact>)],
    notes: &mut MergeNotes,
) -> Vec<String> {
    let states = |l: &[Fact], key: &str| l.iter().any(|f| f.key == key);
    let mut ops: Vec<&str> = Vec::new();
    for f in lists.iter().flat_map(|(_, l)| l) {
        if let Some(op) = f.key.strip_prefix("op ")
            && !ops.contains(&op)
        {
            ops.push(op);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for op in ops {
        let op_key = format!("op {op}");
        let documents: Vec<&ParsedPage> = lists
            .iter()
            .filter(|(p, l)| p.is_document() && states(l, &op_key))
            .map(|(p, _)| *p)
            .collect();
        if documents.is_empty() || !op.split(' ').next().is_some_and(document_owns_params) {
            continue;
        }
        let in_document = |key: &str| lists.iter().any(|(p, l)| p.is_document() && states(l, key));
        let prefix = format!("param {op} ");
        for (p, l) in lists.iter().filter(|(p, _)| !p.is_document()) {
            for f in l.iter().filter(|f| f.key.starts_with(&prefix)) {
                let name = &f.key[prefix.len()..];
                let param = format!("{op} {name}");
                if out.contains(&param) || in_document(&f.key) {
                    continue;
                }
                // Where the document nests an attribute of that name, say where.
                let nested: Vec<String> = documents
                    .iter()
                    .flat_map(|d| d.nested.iter())
                    .filter(|n| n.what == "param" && n.op == op)
                    .filter(|n| n.path.rsplit('.').next() == Some(name))
                    .map(|n| format!("`{}`", n.path))
                    .collect();
                let hint = if nested.is_empty() {
                    "without it".to_string()
                } else {
                    format!("and nests it as {}", nested.join(", "))
                };
                notes.page_only.push(format!(
                    "{label}: `{}` only on {} ({}); the OpenAPI document describes the operation {hint}; not added",
                    f.key, f.at, p.locale
                ));
                out.push(param);
            }
        }
    }
    out
}

/// Facts that two documents state differently (the same enum, error code or operation in two
/// documents), found on their fact lists. codegen resolves them (enums: union; operations: the
/// edge's own page wins), but a reviewer should see them.
pub fn disagreements(docs: &[(String, PageDoc)]) -> Vec<String> {
    let lists: Vec<(&String, BTreeMap<String, String>)> = docs
        .iter()
        .map(|(path, d)| {
            let facts = facts::of_doc(d, &|_| Location::Spec(path.clone()));
            let stated = facts.into_iter().filter(|f| !f.detail);
            (path, stated.map(|f| (f.key, f.value)).collect())
        })
        .collect();
    let mut out = Vec::new();
    // An error code's wording differs per endpoint ("Business not found", "Application not
    // found"): one line per code that has several, not one per pair of documents.
    let mut wordings: BTreeMap<i64, BTreeMap<&str, Vec<&String>>> = BTreeMap::new();
    for (path, facts) in &lists {
        for (key, value) in facts {
            if let Some(code) = key.strip_prefix("error ").and_then(|c| c.parse().ok()) {
                wordings
                    .entry(code)
                    .or_default()
                    .entry(value.as_str())
                    .or_default()
                    .push(path);
            }
        }
    }
    for (code, by) in &wordings {
        if by.len() > 1 {
            let docs: usize = by.values().map(Vec::len).sum();
            let shown: Vec<String> = by
                .iter()
                .take(2)
                .map(|(text, paths)| format!("{} ({})", show(text), paths[0]))
                .collect();
            out.push(format!(
                "error {code}: {} wordings in {docs} documents, e.g. {}",
                by.len(),
                shown.join(" and ")
            ));
        }
    }
    for (i, (pa, a)) in lists.iter().enumerate() {
        for (pb, b) in &lists[i + 1..] {
            for (key, va) in a {
                let vb = b.get(key);
                if let Some(name) = key.strip_prefix("enum ") {
                    let Some(vb) = vb.filter(|vb| !va.is_empty() && !vb.is_empty()) else {
                        continue;
                    };
                    let (xa, xb): (Vec<&str>, Vec<&str>) =
                        (va.split(", ").collect(), vb.split(", ").collect());
                    for v in xa.iter().filter(|v| !xb.contains(v)) {
                        out.push(format!(
                            "enum {name}: {v} in {pa} but not in {pb} (codegen takes the union)"
                        ));
                    }
                    for v in xb.iter().filter(|v| !xa.contains(v)) {
                        out.push(format!(
                            "enum {name}: {v} in {pb} but not in {pa} (codegen takes the union)"
                        ));
                    }
                } else if let Some(op) = key.strip_prefix("op ")
                    && b.contains_key(key)
                {
                    out.extend(operation_disagreements(op, (pa, a), (pb, b)));
                }
            }
        }
    }
    out
}

/// Parameters and error codes of operation `op`, stated by both documents, that differ.
fn operation_disagreements(
    op: &str,
    (pa, a): (&String, &BTreeMap<String, String>),
    (pb, b): (&String, &BTreeMap<String, String>),
) -> Vec<String> {
    let mut out = Vec::new();
    let param = format!("param {op} ");
    let error = format!("error-code {op} ");
    for (x, y, px, py, first) in [(a, b, pa, pb, true), (b, a, pb, pa, false)] {
        for (key, vx) in x {
            if let Some(name) = key.strip_prefix(&param) {
                match y.get(key) {
                    None => out.push(format!(
                        "operation `{op}`: parameter `{name}` in {px} but not in {py}"
                    )),
                    Some(vy) if first && vy != vx => out.push(format!(
                        "operation `{op}`: parameter `{name}` is {vx} in {px} but {vy} in {py}"
                    )),
                    Some(_) => {}
                }
            } else if let Some(code) = key.strip_prefix(&error)
                && !y.contains_key(key)
            {
                out.push(format!(
                    "operation `{op}`: error {code} in {px} but not in {py}"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    #[test]
    fn error_wordings_are_one_line_per_code() {
        let doc = |node: &str, text: &str| {
            let mut d = PageDoc {
                node: node.into(),
                ..PageDoc::default()
            };
            d.errors.0.push((100, text.to_string()));
            (format!("nodes/{node}.yaml"), d)
        };
        let docs = [
            doc("A", "A not found"),
            doc("B", "B not found"),
            doc("C", "A not found"),
        ];
        assert_eq!(
            super::disagreements(&docs),
            [
                "error 100: 2 wordings in 3 documents, e.g. \"A not found\" (nodes/A.yaml) and \"B not found\" (nodes/B.yaml)"
            ]
        );
    }

    #[test]
    fn a_narrower_type_refines_string_and_nothing_else() {
        assert!(super::refines("numeric string", "string"));
        assert!(super::refines("list<enum Task>", "array<string>"));
        assert!(super::refines("datetime", "string"));
        assert!(!super::refines("int32", "string"));
        assert!(!super::refines("string", "numeric string"));
        assert!(!super::refines("list<numeric string>", "string"));
    }
    use std::path::PathBuf;

    use waba_codegen::spec::raw::{RawOperation, RawParam};

    use super::super::page::Nested;
    use super::*;

    fn source(file: &str, locale: &'static str, params: &[&str], document: bool) -> ParsedPage {
        let op = RawOperation {
            method: "POST".into(),
            path: "/{x_id}/things".into(),
            params: params
                .iter()
                .map(|n| RawParam {
                    name: n.to_string(),
                    ty: Some("string".into()),
                    ..RawParam::default()
                })
                .collect(),
            ..RawOperation::default()
        };
        let mut lines = HashMap::new();
        let mut pointers = HashMap::new();
        for (i, n) in params.iter().enumerate() {
            let key = super::super::page::fact_key("param", &format!("POST /{{x_id}}/things {n}"));
            if document {
                pointers.insert(key, format!("/paths/p/post/{n}"));
            } else {
                lines.insert(key, 10 + i);
            }
        }
        ParsedPage {
            file: PathBuf::from(file),
            name: file.to_string(),
            locale,
            version: None,
            doc: PageDoc {
                node: "X".into(),
                edge: Some("things".into()),
                operations: vec![op],
                ..PageDoc::default()
            },
            lines,
            pointers,
            id_note: None,
            nested: if document {
                vec![Nested {
                    what: "param",
                    op: "POST /{x_id}/things".into(),
                    path: "a.flat".into(),
                    param: RawParam::default(),
                    line: 0,
                    pointer: None,
                }]
            } else {
                Vec::new()
            },
        }
    }

    fn names(docs: &[(String, PageDoc)]) -> Vec<&str> {
        docs[0].1.operations[0]
            .params
            .iter()
            .map(|p| p.name.as_str())
            .collect()
    }

    #[test]
    fn a_described_operation_takes_the_documents_parameters_and_reports_the_pages_others() {
        let pages = [
            source("a.md", "en", &["a", "flat"], false),
            source("api.yaml", "en", &["a"], true),
        ];
        let mut notes = MergeNotes::default();
        let docs = merge(&pages, &mut notes);
        assert_eq!(names(&docs), ["a"]);
        assert_eq!(notes.page_only.len(), 1, "{:?}", notes.page_only);
        assert_eq!(
            notes.page_only[0],
            "edges/X.things.yaml: `param POST /{x_id}/things flat` only on a.md:11 (en); the OpenAPI document describes the operation and nests it as `a.flat`; not added"
        );
        // Not also a "kept" partial fact.
        assert!(
            !notes.partial.iter().any(|p| p.contains("things flat`")),
            "{:?}",
            notes.partial
        );
    }

    #[test]
    fn an_enum_only_a_parameter_not_added_names_goes_with_it() {
        let mut page = source("a.md", "en", &["a", "flat"], false);
        page.doc.operations[0].params[1].ty = Some("list<enum Flat>".into());
        page.doc.enums = OrderedMap(vec![("Flat".into(), vec!["A".into()])]);
        let mut notes = MergeNotes::default();
        let docs = merge(&[page.clone()], &mut notes);
        // Without a document the parameter and its enum stay.
        assert_eq!(docs[0].1.enums.0.len(), 1);
        let docs = merge(&[page, source("api.yaml", "en", &["a"], true)], &mut notes);
        assert!(docs[0].1.enums.is_empty());
        assert!(
            notes.page_only.contains(&"edges/X.things.yaml: enum `Flat` is named only by pages' parameter types that the document's replaced or that were not added; not added".to_string()),
            "{:?}",
            notes.page_only
        );
    }

    #[test]
    fn a_reads_query_filters_are_a_union_even_where_the_document_describes_it() {
        let mut pages = [
            source("a.md", "en", &["a", "name_or_content"], false),
            source("api.yaml", "en", &["a"], true),
        ];
        for p in &mut pages {
            p.doc.operations[0].method = "GET".into();
        }
        let mut notes = MergeNotes::default();
        let docs = merge(&pages, &mut notes);
        assert_eq!(names(&docs), ["a", "name_or_content"]);
        assert!(notes.page_only.is_empty(), "{:?}", notes.page_only);
        // Kept, and said to be stated by the page alone.
        assert!(
            notes
                .partial
                .iter()
                .any(|p| p.contains("things name_or_content` only in a.md")),
            "{:?}",
            notes.partial
        );
    }

    #[test]
    fn without_a_document_parameters_are_a_union() {
        let pages = [
            source("a.md", "en", &["a"], false),
            source("b.md", "ja", &["b"], false),
        ];
        let mut notes = MergeNotes::default();
        let docs = merge(&pages, &mut notes);
        assert_eq!(names(&docs), ["a", "b"]);
        assert!(notes.page_only.is_empty());
    }
}
