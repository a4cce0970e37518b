//! Merging the pages of one endpoint (one page in several languages, and Meta's OpenAPI document)
//! into one document: the union of their facts, the value of each chosen by [`rank`] (structure
//! from the OpenAPI document, prose from English pages). What the pages state differently or only partly
//! is found on their fact lists ([`differences`]) and reported with every source; documents that
//! disagree with each other likewise ([`disagreements`]).

use std::collections::BTreeMap;
use std::fmt::Debug;

use waba_codegen::spec::raw::{
    OrderedMap, PageDoc, RawEdge, RawField, RawOperation, RawParam, Requirements,
};

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
            let doc = Merger {
                label: path.clone(),
                notes: &mut *notes,
                pages: &group,
            }
            .doc();
            (path, doc)
        })
        .collect()
}

struct Merger<'a, 'p> {
    label: String,
    notes: &'a mut MergeNotes,
    pages: &'a [&'p ParsedPage],
}

type From<'p, T> = Vec<(&'p ParsedPage, T)>;

/// The facts the pages of one endpoint (labelled `label`) state differently or only partly,
/// found on their fact lists. A fact missing from a page counts only where that page states
/// its scope (a parameter of an operation the page documents); an enum's values count one by
/// one.
fn differences(label: &str, pages: &[&ParsedPage], notes: &mut MergeNotes) {
    let lists: Vec<(&ParsedPage, Vec<Fact>)> =
        pages.iter().map(|p| (*p, facts::of_page(p))).collect();
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
        // A title is prose although the `endpoint` fact that carries it is structure.
        let class = |f: &Fact| {
            if key.starts_with("endpoint ") {
                Class::Prose
            } else {
                f.class
            }
        };
        let Some(&(wp, win)) = having.iter().min_by_key(|(p, f)| rank(p, class(f))) else {
            continue;
        };
        // A parameter only pages give to a POST the document describes is not merged;
        // [`document_params`] reports it.
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
            let mut values: Vec<&str> = Vec::new();
            for (_, f) in &having {
                for v in f.value.split(", ").filter(|v| !v.is_empty()) {
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
            }
            for v in values {
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

/// Items of several pages grouped by key, in first-seen order.
fn keyed<'p, T, K: PartialEq>(
    items: &[(&'p ParsedPage, &'p [T])],
    key: impl Fn(&T) -> K,
) -> Vec<(K, From<'p, &'p T>)> {
    let mut out: Vec<(K, From<'p, &'p T>)> = Vec::new();
    for (p, list) in items {
        for t in list.iter() {
            let k = key(t);
            match out.iter_mut().find(|(k2, _)| *k2 == k) {
                Some((_, v)) => v.push((*p, t)),
                None => out.push((k, vec![(*p, t)])),
            }
        }
    }
    out
}

/// Source precedence, lowest first (stated in the report header and README's regen section):
/// structure (types, required flags, operation kinds, return shapes) comes from the OpenAPI
/// document, then English pages, then other pages; prose (titles, descriptions) from English
/// pages, then the document, then other pages. Among equals the first (by file name) wins.
/// Lists (operations, fields, enum values, error codes) are unions; so are parameters, except
/// that an operation the document describes has the document's parameters only (a parameter
/// only pages list is reported, not added: [`document_params`]).
pub fn rank(p: &ParsedPage, class: Class) -> u8 {
    match (class, p.is_document(), p.locale == "en") {
        (Class::Structure, true, _) | (Class::Prose, false, true) => 0,
        (Class::Structure, false, true) | (Class::Prose, true, _) => 1,
        _ => 2,
    }
}

/// The prose value of the best-ranked source ([`differences`] reports the others).
fn pick<T: Clone>(cands: Vec<(&ParsedPage, T)>) -> Option<T> {
    pick_by(Class::Prose, cands)
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
            .filter_map(|(code, cands)| pick(cands).map(|t| (code, t)))
            .collect(),
    )
}

/// The structure value of the best-ranked source.
fn pick_structure<T: Clone>(cands: Vec<(&ParsedPage, T)>) -> Option<T> {
    pick_by(Class::Structure, cands)
}

/// A type: the structure rule's, unless another source refines it (the document's `string` for
/// what a page types `numeric string`, `UID`, `datetime` or `enum Task`, also inside lists): a
/// narrower type says more and contradicts nothing.
fn pick_type(mut cands: Vec<(&ParsedPage, String)>) -> Option<String> {
    // Stable: among equal ranks the first stated comes first, as `pick_structure` takes it.
    cands.sort_by_key(|(p, _)| rank(p, Class::Structure));
    let best = cands.first()?.1.clone();
    Some(
        cands
            .into_iter()
            .map(|(_, t)| t)
            .find(|t| refines(t, &best))
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

/// Every value of the lists, once, in first-seen order.
fn union<'p, T: Clone + PartialEq + 'p>(lists: impl IntoIterator<Item = &'p Vec<T>>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for l in lists {
        for v in l {
            if !out.contains(v) {
                out.push(v.clone());
            }
        }
    }
    out
}

impl<'p> Merger<'_, 'p> {
    fn doc(self) -> PageDoc {
        let pages = self.pages;
        let first = &pages[0].doc;
        let each = |f: fn(&PageDoc) -> Option<&String>| {
            pick(
                pages
                    .iter()
                    .filter_map(|p| f(&p.doc).map(|t| (*p, t.clone())))
                    .collect(),
            )
        };
        let items: Vec<_> = pages
            .iter()
            .map(|p| (*p, p.doc.fields.as_slice()))
            .collect();
        let fields = fields(&items);
        let operations = operations(pages, &self.label, self.notes);
        let mut unsupported = union(pages.iter().map(|p| &p.doc.unsupported));
        unsupported.retain(|kind| {
            let documented = operations.iter().any(|o| o.kind == Some(*kind));
            if documented {
                self.notes.conflicts.push(format!(
                    "{}: one page says {} is not supported, another documents it; kept the operation",
                    self.label,
                    kind.as_str()
                ));
            }
            !documented
        });
        let mut doc = PageDoc {
            node: first.node.clone(),
            edge: first.edge.clone(),
            title: each(|d| d.title.as_ref()),
            sources: pages.iter().map(|p| p.name.clone()).collect(),
            description: each(|d| d.description.as_ref()),
            rate_limits: union(pages.iter().map(|p| &p.doc.rate_limits)),
            fields,
            edges: edges(pages),
            operations,
            unsupported,
            enums: enums(pages),
            errors: errors(pages),
            notes: union(pages.iter().map(|p| &p.doc.notes)),
        };
        // An enum a page declared for a parameter goes when no type of the merged document
        // names it any more (the parameter was not added, or the document types it otherwise).
        let used = enums_named(&doc);
        let of_params: Vec<String> = pages
            .iter()
            .flat_map(|p| &p.doc.operations)
            .flat_map(|o| &o.params)
            .filter_map(|q| q.ty.as_deref())
            .flat_map(enum_names)
            .collect();
        doc.enums.0.retain(|(name, _)| {
            let keep = used.contains(name) || !of_params.contains(name);
            if !keep {
                self.notes.page_only.push(format!(
                    "{}: enum `{name}` is named only by pages' parameter types that the document's replaced or that were not added; not added",
                    self.label
                ));
            }
            keep
        });
        doc
    }
}

/// The enums a type names (`list<enum Task>` → `Task`).
fn enum_names(ty: &str) -> Vec<String> {
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

/// The enums the types of `doc` name (fields, parameters, return shapes, added and summary
/// fields).
pub(super) fn enums_named(doc: &PageDoc) -> Vec<String> {
    let mut types: Vec<&str> = doc.fields.iter().filter_map(|f| f.ty.as_deref()).collect();
    for o in &doc.operations {
        types.extend(o.params.iter().filter_map(|q| q.ty.as_deref()));
        types.extend(o.added_fields.iter().filter_map(|f| f.ty.as_deref()));
        types.extend(o.summary_fields.iter().filter_map(|f| f.ty.as_deref()));
        types.extend(o.returns.as_deref());
        types.extend(o.creates.as_deref());
    }
    types.into_iter().flat_map(enum_names).collect()
}

fn fields<'p>(items: &[(&'p ParsedPage, &'p [RawField])]) -> Vec<RawField> {
    keyed(items, |f| f.name.clone())
        .into_iter()
        .map(|(name, cands)| RawField {
            name,
            ty: pick_type(
                cands
                    .iter()
                    .filter_map(|(p, f)| f.ty.clone().map(|t| (*p, t)))
                    .collect(),
            ),
            description: pick(
                cands
                    .iter()
                    .filter_map(|(p, f)| f.description.clone().map(|t| (*p, t)))
                    .collect(),
            ),
        })
        .collect()
}

fn edges(pages: &[&ParsedPage]) -> Vec<RawEdge> {
    let items: Vec<_> = pages.iter().map(|p| (*p, p.doc.edges.as_slice())).collect();
    keyed(&items, |e| e.target.clone())
        .into_iter()
        .map(|(target, cands)| RawEdge {
            name: pick(
                cands
                    .iter()
                    .filter_map(|(p, e)| e.name.clone().map(|t| (*p, t)))
                    .collect(),
            ),
            target,
            description: pick(
                cands
                    .iter()
                    .filter_map(|(p, e)| e.description.clone().map(|t| (*p, t)))
                    .collect(),
            ),
        })
        .collect()
}

fn operations(pages: &[&ParsedPage], label: &str, notes: &mut MergeNotes) -> Vec<RawOperation> {
    let items: Vec<_> = pages
        .iter()
        .map(|p| (*p, p.doc.operations.as_slice()))
        .collect();
    let mut out = Vec::new();
    for ((method, path), cands) in keyed(&items, |o| (o.method.clone(), o.path.clone())) {
        let params = params(&document_params(&cands, label, notes));
        let reqs: Vec<(&ParsedPage, &Requirements)> = cands
            .iter()
            .filter_map(|(p, o)| o.requirements.as_ref().map(|r| (*p, r)))
            .collect();
        let requirements = (!reqs.is_empty()).then(|| Requirements {
            permissions: union(reqs.iter().map(|(_, r)| &r.permissions)),
            ids: union(reqs.iter().map(|(_, r)| &r.ids)),
            token: pick(
                reqs.iter()
                    .filter_map(|(p, r)| r.token.clone().map(|t| (*p, t)))
                    .collect(),
            ),
        });
        let added: Vec<_> = cands
            .iter()
            .map(|(p, o)| (*p, o.added_fields.as_slice()))
            .collect();
        let summary: Vec<_> = cands
            .iter()
            .map(|(p, o)| (*p, o.summary_fields.as_slice()))
            .collect();
        out.push(RawOperation {
            kind: pick_structure(
                cands
                    .iter()
                    .filter_map(|(p, o)| o.kind.map(|k| (*p, k)))
                    .collect(),
            ),
            method,
            path,
            description: pick(
                cands
                    .iter()
                    .filter_map(|(p, o)| o.description.clone().map(|d| (*p, d)))
                    .collect(),
            ),
            requirements,
            params,
            body: pick_structure(
                cands
                    .iter()
                    .filter_map(|(p, o)| o.body.map(|b| (*p, b)))
                    .collect(),
            ),
            returns: pick_structure(
                cands
                    .iter()
                    .filter_map(|(p, o)| o.returns.clone().map(|t| (*p, t)))
                    .collect(),
            ),
            creates: pick_structure(
                cands
                    .iter()
                    .filter_map(|(p, o)| o.creates.clone().map(|t| (*p, t)))
                    .collect(),
            ),
            added_fields: fields(&added),
            summary_fields: fields(&summary),
            read_after_write: cands.iter().any(|(_, o)| o.read_after_write),
            errors: union(cands.iter().map(|(_, o)| &o.errors)),
        });
    }
    out
}

/// Whether, for an operation of `method` the OpenAPI document describes, the document's
/// parameters alone count: only a request body nests (classic pages flatten it into one table);
/// a read's or a delete's query parameters are flat on every page, so they stay a union.
fn document_owns_params(method: &str) -> bool {
    method == "POST"
}

/// The parameters of one operation's sources that take part in the merge. Where an OpenAPI
/// document describes a POST, its parameters' structure is the document's: a parameter
/// only pages list (a classic page prints nested attributes such as a template's `components`
/// → `buttons` → `url` as one flat table) is reported with its page line and not added.
/// Elsewhere (no document, or query parameters) every source's parameters are merged (a union).
fn document_params<'p>(
    cands: &[(&'p ParsedPage, &'p RawOperation)],
    label: &str,
    notes: &mut MergeNotes,
) -> Vec<(&'p ParsedPage, Vec<RawParam>)> {
    let documents: Vec<&(&ParsedPage, &RawOperation)> =
        cands.iter().filter(|(p, _)| p.is_document()).collect();
    let owned = cands.iter().any(|(_, o)| document_owns_params(&o.method));
    if documents.is_empty() || !owned {
        return cands.iter().map(|(p, o)| (*p, o.params.clone())).collect();
    }
    let in_document = |name: &str| {
        documents
            .iter()
            .any(|(_, o)| o.params.iter().any(|q| q.name == name))
    };
    let mut reported: Vec<&str> = Vec::new();
    for (p, o) in cands.iter().filter(|(p, _)| !p.is_document()) {
        for q in o.params.iter().filter(|q| !in_document(&q.name)) {
            if reported.contains(&q.name.as_str()) {
                continue;
            }
            reported.push(&q.name);
            let key = format!("param {} {} {}", o.method, o.path, q.name);
            let at = facts::of_page(p)
                .into_iter()
                .find(|f| f.key == key)
                .map_or_else(|| p.file.display().to_string(), |f| f.at.to_string());
            // Where the document nests an attribute of that name, say where.
            let op = format!("{} {}", o.method, o.path);
            let nested: Vec<String> = documents
                .iter()
                .flat_map(|(d, _)| d.nested.iter())
                .filter(|n| n.what == "param" && n.op == op)
                .filter(|n| n.path.rsplit('.').next() == Some(q.name.as_str()))
                .map(|n| format!("`{}`", n.path))
                .collect();
            let hint = if nested.is_empty() {
                "without it".to_string()
            } else {
                format!("and nests it as {}", nested.join(", "))
            };
            notes.page_only.push(format!(
                "{label}: `{key}` only on {at} ({}); the OpenAPI document describes the operation {hint}; not added",
                p.locale
            ));
        }
    }
    cands
        .iter()
        .map(|(p, o)| {
            let kept = if p.is_document() {
                o.params.clone()
            } else {
                o.params
                    .iter()
                    .filter(|q| in_document(&q.name))
                    .cloned()
                    .collect()
            };
            (*p, kept)
        })
        .collect()
}

fn params(cands: &[(&ParsedPage, Vec<RawParam>)]) -> Vec<RawParam> {
    let items: Vec<_> = cands.iter().map(|(p, ps)| (*p, ps.as_slice())).collect();
    keyed(&items, |p| p.name.clone())
        .into_iter()
        .map(|(name, ps)| RawParam {
            name,
            ty: pick_type(
                ps.iter()
                    .filter_map(|(p, x)| x.ty.clone().map(|t| (*p, t)))
                    .collect(),
            ),
            required: pick_structure(ps.iter().map(|(p, x)| (*p, x.required)).collect())
                .unwrap_or(false),
            description: pick(
                ps.iter()
                    .filter_map(|(p, x)| x.description.clone().map(|t| (*p, t)))
                    .collect(),
            ),
        })
        .collect()
}

fn enums(pages: &[&ParsedPage]) -> OrderedMap<String, Vec<String>> {
    let items: Vec<_> = pages
        .iter()
        .map(|p| (*p, p.doc.enums.0.as_slice()))
        .collect();
    OrderedMap(
        keyed(&items, |(n, _)| n.clone())
            .into_iter()
            .map(|(name, cands)| (name, union(cands.iter().map(|(_, (_, vs))| vs))))
            .collect(),
    )
}

fn errors(pages: &[&ParsedPage]) -> OrderedMap<i64, String> {
    let items: Vec<_> = pages
        .iter()
        .map(|p| (*p, p.doc.errors.0.as_slice()))
        .collect();
    OrderedMap(
        keyed(&items, |(c, _)| *c)
            .into_iter()
            .map(|(code, cands)| {
                let desc = pick(cands.iter().map(|(p, (_, d))| (*p, d.clone())).collect());
                (code, desc.unwrap_or_default())
            })
            .collect(),
    )
}

/// Facts that two documents state differently (the same enum, error code or operation in two
/// documents), found on their fact lists. codegen resolves them (enums: union; operations: the
/// edge's own page wins), but a reviewer should see them.
pub fn disagreements(docs: &[(String, PageDoc)]) -> Vec<String> {
    let lists: Vec<(&String, BTreeMap<String, String>)> = docs
        .iter()
        .map(|(path, d)| {
            let facts = facts::of_doc(d, &|_| Location::Spec(path.clone()));
            (path, facts.into_iter().map(|f| (f.key, f.value)).collect())
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
