//! Merging the pages of one endpoint (one page in several languages) into one document: the
//! union of their facts, English text preferred, every disagreement reported with both sources.

use std::collections::BTreeMap;
use std::fmt::Debug;

use waba_codegen::spec::raw::{
    OrderedMap, PageDoc, RawEdge, RawField, RawOperation, RawParam, Requirements,
};

use super::facts::{self, Location};
use super::page::{ParsedPage, fact_key, show};

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

fn at(p: &ParsedPage, key: &str) -> String {
    match p.lines.get(key) {
        Some(line) => format!("{}:{line} ({})", p.file.display(), p.locale),
        None => format!("{} ({})", p.file.display(), p.locale),
    }
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

impl<'p> Merger<'_, 'p> {
    /// The value of an English page if one states it, else the first; others that differ are
    /// reported.
    fn pick<T: Clone + PartialEq + Debug>(
        &mut self,
        what: &str,
        key: &str,
        cands: From<'p, T>,
    ) -> Option<T> {
        let winner = cands
            .iter()
            .find(|(p, _)| p.locale == "en")
            .or_else(|| cands.first())?
            .clone();
        for (p, v) in &cands {
            if *v != winner.1 {
                self.notes.conflicts.push(format!(
                    "{}: {what} differs: {} has {}; {} has {}; kept the first",
                    self.label,
                    at(winner.0, key),
                    show(&winner.1),
                    at(p, key),
                    show(v)
                ));
            }
        }
        Some(winner.1)
    }

    fn partial(&mut self, what: &str, key: &str, have: &[&'p ParsedPage], all: &[&'p ParsedPage]) {
        if have.len() == all.len() {
            return;
        }
        let with: Vec<String> = have.iter().map(|p| at(p, key)).collect();
        let without: Vec<String> = all
            .iter()
            .filter(|p| !have.iter().any(|h| std::ptr::eq(*h, **p)))
            .map(|p| format!("{} ({})", p.name, p.locale))
            .collect();
        self.notes.partial.push(format!(
            "{}: {what} only in {}, not in {}; kept",
            self.label,
            with.join(", "),
            without.join(", ")
        ));
    }

    fn union<T: Clone + PartialEq + 'p>(lists: impl IntoIterator<Item = &'p Vec<T>>) -> Vec<T> {
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

    fn doc(mut self) -> PageDoc {
        let pages = self.pages;
        let first = &pages[0].doc;
        let title = self.pick(
            "title",
            &fact_key("title", ""),
            pages
                .iter()
                .filter_map(|p| p.doc.title.clone().map(|t| (*p, t)))
                .collect(),
        );
        let description = self.pick(
            "description",
            &fact_key("description", ""),
            pages
                .iter()
                .filter_map(|p| p.doc.description.clone().map(|t| (*p, t)))
                .collect(),
        );
        let fields = self.fields(
            "field",
            "field",
            &pages
                .iter()
                .map(|p| (*p, p.doc.fields.as_slice()))
                .collect::<Vec<_>>(),
            pages,
        );
        let edges = self.edges(pages);
        let operations = self.operations(pages);
        let mut unsupported = Self::union(pages.iter().map(|p| &p.doc.unsupported));
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
        let enums = self.enums(pages);
        let errors = self.errors(pages);
        PageDoc {
            node: first.node.clone(),
            edge: first.edge.clone(),
            title,
            sources: pages.iter().map(|p| p.name.clone()).collect(),
            description,
            rate_limits: Self::union(pages.iter().map(|p| &p.doc.rate_limits)),
            fields,
            edges,
            operations,
            unsupported,
            enums,
            errors,
            notes: Self::union(pages.iter().map(|p| &p.doc.notes)),
        }
    }

    fn fields(
        &mut self,
        what: &str,
        kind: &str,
        items: &[(&'p ParsedPage, &'p [RawField])],
        all: &[&'p ParsedPage],
    ) -> Vec<RawField> {
        let mut out = Vec::new();
        for (name, cands) in keyed(items, |f| f.name.clone()) {
            let key = fact_key(kind, &name);
            let have: Vec<_> = cands.iter().map(|(p, _)| *p).collect();
            self.partial(&format!("{what} `{name}`"), &key, &have, all);
            let ty = self.pick(
                &format!("type of {what} `{name}`"),
                &key,
                cands
                    .iter()
                    .filter_map(|(p, f)| f.ty.clone().map(|t| (*p, t)))
                    .collect(),
            );
            let description = self.pick(
                &format!("description of {what} `{name}`"),
                &key,
                cands
                    .iter()
                    .filter_map(|(p, f)| f.description.clone().map(|t| (*p, t)))
                    .collect(),
            );
            out.push(RawField {
                name,
                ty,
                description,
            });
        }
        out
    }

    fn edges(&mut self, pages: &[&'p ParsedPage]) -> Vec<RawEdge> {
        let items: Vec<_> = pages.iter().map(|p| (*p, p.doc.edges.as_slice())).collect();
        let mut out = Vec::new();
        for (target, cands) in keyed(&items, |e| e.target.clone()) {
            let key = fact_key("edge", &target);
            let have: Vec<_> = cands.iter().map(|(p, _)| *p).collect();
            self.partial(&format!("edge to `{target}`"), &key, &have, pages);
            let name = self.pick(
                &format!("name of the edge to `{target}`"),
                &key,
                cands
                    .iter()
                    .filter_map(|(p, e)| e.name.clone().map(|t| (*p, t)))
                    .collect(),
            );
            let description = self.pick(
                &format!("description of the edge to `{target}`"),
                &key,
                cands
                    .iter()
                    .filter_map(|(p, e)| e.description.clone().map(|t| (*p, t)))
                    .collect(),
            );
            out.push(RawEdge {
                name,
                target,
                description,
            });
        }
        out
    }

    fn operations(&mut self, pages: &[&'p ParsedPage]) -> Vec<RawOperation> {
        let items: Vec<_> = pages
            .iter()
            .map(|p| (*p, p.doc.operations.as_slice()))
            .collect();
        let mut out = Vec::new();
        for ((method, path), cands) in keyed(&items, |o| (o.method.clone(), o.path.clone())) {
            let op = format!("{method} {path}");
            let key = fact_key("op", &op);
            let have: Vec<_> = cands.iter().map(|(p, _)| *p).collect();
            self.partial(&format!("operation `{op}`"), &key, &have, pages);
            let kind = self.pick(
                &format!("kind of `{op}`"),
                &key,
                cands
                    .iter()
                    .filter_map(|(p, o)| o.kind.map(|k| (*p, k)))
                    .collect(),
            );
            let description = self.pick(
                &format!("description of `{op}`"),
                &fact_key("op-description", &op),
                cands
                    .iter()
                    .filter_map(|(p, o)| o.description.clone().map(|d| (*p, d)))
                    .collect(),
            );
            let reqs: Vec<(&'p ParsedPage, &'p Requirements)> = cands
                .iter()
                .filter_map(|(p, o)| o.requirements.as_ref().map(|r| (*p, r)))
                .collect();
            let requirements = (!reqs.is_empty()).then(|| Requirements {
                permissions: Self::union(reqs.iter().map(|(_, r)| &r.permissions)),
                ids: Self::union(reqs.iter().map(|(_, r)| &r.ids)),
                token: None,
            });
            let requirements = requirements.map(|mut r| {
                r.token = self.pick(
                    &format!("token of `{op}`"),
                    &key,
                    reqs.iter()
                        .filter_map(|(p, r)| r.token.clone().map(|t| (*p, t)))
                        .collect(),
                );
                r
            });
            let params = self.params(&op, &cands);
            let returns = self.pick(
                &format!("return type of `{op}`"),
                &key,
                cands
                    .iter()
                    .filter_map(|(p, o)| o.returns.clone().map(|t| (*p, t)))
                    .collect(),
            );
            let creates = self.pick(
                &format!("created type of `{op}`"),
                &key,
                cands
                    .iter()
                    .filter_map(|(p, o)| o.creates.clone().map(|t| (*p, t)))
                    .collect(),
            );
            let added: Vec<_> = cands
                .iter()
                .map(|(p, o)| (*p, o.added_fields.as_slice()))
                .collect();
            let added_fields = self.fields(
                &format!("field `{op}` adds"),
                &format!("added {op}"),
                &added,
                &have,
            );
            let summary: Vec<_> = cands
                .iter()
                .map(|(p, o)| (*p, o.summary_fields.as_slice()))
                .collect();
            let summary_fields = self.fields(
                &format!("summary field of `{op}`"),
                &format!("summary {op}"),
                &summary,
                &have,
            );
            let raw_pages: Vec<_> = cands
                .iter()
                .filter(|(_, o)| o.read_after_write)
                .map(|(p, _)| *p)
                .collect();
            if !raw_pages.is_empty() {
                self.partial(
                    &format!("read-after-write of `{op}`"),
                    &key,
                    &raw_pages,
                    &have,
                );
            }
            let mut errors: Vec<i64> = Vec::new();
            for (_, o) in &cands {
                for code in &o.errors {
                    if !errors.contains(code) {
                        errors.push(*code);
                        let with: Vec<_> = cands
                            .iter()
                            .filter(|(_, o)| o.errors.contains(code))
                            .map(|(p, _)| *p)
                            .collect();
                        self.partial(
                            &format!("error {code} of `{op}`"),
                            &fact_key("error", &code.to_string()),
                            &with,
                            &have,
                        );
                    }
                }
            }
            out.push(RawOperation {
                kind,
                method,
                path,
                description,
                requirements,
                params,
                returns,
                creates,
                added_fields,
                summary_fields,
                read_after_write: !raw_pages.is_empty(),
                errors,
            });
        }
        out
    }

    fn params(&mut self, op: &str, cands: &[(&'p ParsedPage, &'p RawOperation)]) -> Vec<RawParam> {
        let items: Vec<_> = cands
            .iter()
            .map(|(p, o)| (*p, o.params.as_slice()))
            .collect();
        let have: Vec<_> = cands.iter().map(|(p, _)| *p).collect();
        let mut out = Vec::new();
        for (name, ps) in keyed(&items, |p| p.name.clone()) {
            let key = fact_key("param", &format!("{op} {name}"));
            let with: Vec<_> = ps.iter().map(|(p, _)| *p).collect();
            self.partial(&format!("parameter `{name}` of `{op}`"), &key, &with, &have);
            let ty = self.pick(
                &format!("type of parameter `{name}` of `{op}`"),
                &key,
                ps.iter()
                    .filter_map(|(p, x)| x.ty.clone().map(|t| (*p, t)))
                    .collect(),
            );
            let required = self.pick(
                &format!("required flag of parameter `{name}` of `{op}`"),
                &key,
                ps.iter().map(|(p, x)| (*p, x.required)).collect(),
            );
            let description = self.pick(
                &format!("description of parameter `{name}` of `{op}`"),
                &key,
                ps.iter()
                    .filter_map(|(p, x)| x.description.clone().map(|t| (*p, t)))
                    .collect(),
            );
            out.push(RawParam {
                name,
                ty,
                required: required.unwrap_or(false),
                description,
            });
        }
        out
    }

    fn enums(&mut self, pages: &[&'p ParsedPage]) -> OrderedMap<String, Vec<String>> {
        let items: Vec<_> = pages
            .iter()
            .map(|p| (*p, p.doc.enums.0.as_slice()))
            .collect();
        let mut out = Vec::new();
        for (name, cands) in keyed(&items, |(n, _)| n.clone()) {
            let have: Vec<_> = cands.iter().map(|(p, _)| *p).collect();
            let mut values: Vec<String> = Vec::new();
            for (_, (_, vs)) in &cands {
                for v in vs {
                    if !values.contains(v) {
                        values.push(v.clone());
                        let with: Vec<_> = cands
                            .iter()
                            .filter(|(_, (_, vs))| vs.contains(v))
                            .map(|(p, _)| *p)
                            .collect();
                        self.partial(
                            &format!("value {v} of enum {name}"),
                            &fact_key("enum", &format!("{name} {v}")),
                            &with,
                            &have,
                        );
                    }
                }
            }
            out.push((name, values));
        }
        OrderedMap(out)
    }

    fn errors(&mut self, pages: &[&'p ParsedPage]) -> OrderedMap<i64, String> {
        let items: Vec<_> = pages
            .iter()
            .map(|p| (*p, p.doc.errors.0.as_slice()))
            .collect();
        let mut out = Vec::new();
        for (code, cands) in keyed(&items, |(c, _)| *c) {
            let key = fact_key("error", &code.to_string());
            let desc = self.pick(
                &format!("description of error {code}"),
                &key,
                cands.iter().map(|(p, (_, d))| (*p, d.clone())).collect(),
            );
            out.push((code, desc.unwrap_or_default()));
        }
        OrderedMap(out)
    }
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
                } else if let Some(code) = key.strip_prefix("error ") {
                    if let Some(vb) = vb.filter(|vb| *vb != va) {
                        out.push(format!(
                            "error {code}: {pa} says {}; {pb} says {}",
                            show(va),
                            show(vb)
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
