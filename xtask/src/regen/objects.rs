//! Struct documents for the objects pages nest: in parameters, and in return types.
//!
//! A page may list the attributes of an object parameter below it (a template's `components`
//! → `buttons` → `otp_type`; [`super::nest`] re-nests a classic page's flattened table). Where
//! the merged operation still types such a parameter `json` or `list<json>` (no OpenAPI
//! document gives it a struct), its attributes become a struct document named like the
//! document's inline objects: node, edge, operation kind, then each object's name on the way in
//! (a list's items by the singular), e.g. `WhatsAppBusinessAccountUpsertMessageTemplatesCreateComponentButton`.
//!
//! Likewise a `Struct {…}` a page prints inside a return type (`Struct {data: list<Struct {id:
//! …}>}`; the spec's anonymous return structure has one level) becomes a struct document named
//! after the operation's response and the member that holds it
//! (`…UpsertMessageTemplatesCreateResponseData`).

use waba_codegen::names::{singular, upper_camel};
use waba_codegen::spec::raw::{OrderedMap, PageDoc, RawOperation, RawParam, StructDoc};
use waba_codegen::spec::types::Type;

use super::merge::{choose_attribute, enum_names, enums_named_in};
use super::page::{Nested, ParsedPage};

/// Types the object parameters of `docs` with struct documents built from the pages' nested
/// parameters, adding them to `structs`; returns a report line per struct made, per attribute
/// not added, and per enum only nested attributes named that no struct took.
pub fn from_nested_params(
    pages: &[ParsedPage],
    docs: &mut [(String, PageDoc)],
    structs: &mut Vec<StructDoc>,
) -> Vec<String> {
    let mut made = Vec::new();
    for (path, doc) in docs.iter_mut() {
        // The enums the endpoint's pages name only in nested attributes (of parameters, or of a
        // response a rendered page prints): they move into the structs that use them, or go.
        let mut nested_enums: Vec<String> = Vec::new();
        let first = structs.len();
        for op in &mut doc.operations {
            let key = format!("{} {}", op.method, op.path);
            let stated: Vec<(&ParsedPage, &Nested)> = pages
                .iter()
                .flat_map(|p| p.nested.iter().map(move |n| (p, n)))
                .filter(|(_, n)| n.op == key)
                .collect();
            nested_enums.extend(
                stated
                    .iter()
                    .filter_map(|(_, n)| n.param.ty.as_deref())
                    .flat_map(enum_names),
            );
            let rows = NestedRows::of(&stated);
            let outer = type_prefix(&doc.node, doc.edge.as_deref(), op);
            let mut made_here = Made::default();
            for param in &mut op.params {
                let ty = param.ty.as_deref();
                if let Some(ty) =
                    rows.typed(&outer, &param.name, ty, &doc.enums, structs, &mut made_here)
                {
                    param.ty = Some(ty);
                }
            }
            made.extend(made_here.structs.iter().map(|name| {
                format!("{name}: attributes of `{key}` nested in an object parameter ({path})")
            }));
            made.extend(made_here.problems);
            // Where the OpenAPI document nests the operation's attributes, those only pages
            // nest are not added (as for its top-level parameters).
            if rows.0.iter().any(|r| r.in_document) {
                let only_pages = rows
                    .0
                    .iter()
                    .filter(|r| !r.in_document && !made_here.used.iter().any(|u| u == r.path));
                for r in only_pages {
                    made.push(format!(
                        "{path}: `param {key} {}` only on {}; the OpenAPI document nests the operation's attributes without it; not added",
                        r.path,
                        r.at.join(", ")
                    ));
                }
            }
        }
        drop_unnamed_enums(path, doc, &structs[first..], &nested_enums, &mut made);
    }
    made
}

/// Names the `Struct {…}` types nested in the return types of `docs` (see the module docs),
/// adding a struct document for each to `structs`; returns a report line per struct made.
pub fn from_return_structs(
    docs: &mut [(String, PageDoc)],
    structs: &mut Vec<StructDoc>,
) -> Vec<String> {
    let mut made = Vec::new();
    let mut clashes = Vec::new();
    for (path, doc) in docs.iter_mut() {
        let first = structs.len();
        for op in &mut doc.operations {
            // A type validation cannot read is left for validation to report.
            let Some(Ok(Type::Struct(mut members))) = op.returns.as_deref().map(Type::parse) else {
                continue;
            };
            let outer = format!(
                "{}Response",
                type_prefix(&doc.node, doc.edge.as_deref(), op)
            );
            let before = structs.len();
            let printed = Type::Struct(members.clone());
            let at = Holder {
                outer: &outer,
                enums: &doc.enums,
                sources: &doc.sources,
            };
            for (name, ty) in &mut members {
                at.name_structs(name, ty, false, structs, &mut clashes);
            }
            let named = Type::Struct(members);
            if named != printed {
                op.returns = Some(named.to_string());
                made.extend(structs[before..].iter().map(|s| {
                    format!(
                        "{}: a `Struct {{…}}` inside the return type of `{} {}` ({path})",
                        s.name, op.method, op.path
                    )
                }));
            }
        }
        drop_unnamed_enums(path, doc, &structs[first..], &[], &mut made);
    }
    made.extend(clashes);
    made
}

/// The start of the type names made for an operation's objects, as the OpenAPI document's
/// inline objects are named: node, edge, operation kind (`WhatsAppBusinessAccountUpsertMessageTemplatesCreate`).
fn type_prefix(node: &str, edge: Option<&str>, op: &RawOperation) -> String {
    let mut out = node.to_string();
    out.extend(edge.map(upper_camel));
    out.extend(op.kind.map(|k| upper_camel(k.as_str())));
    out
}

/// The name of the type a member `name` of type `outer` holds (`listed`: the items of a list,
/// named by the singular): `outer` + the member in UpperCamel.
fn member_type_name(outer: &str, name: &str, listed: bool) -> String {
    let word = if listed {
        singular(name)
    } else {
        name.to_string()
    };
    format!("{outer}{}", upper_camel(&word))
}

/// Drops from `doc` (at `path`) the enums no type of it names any more: those the structs
/// `made` for it took, silently, and those only nested attributes named (`nested`), reported
/// when no struct took them.
fn drop_unnamed_enums(
    path: &str,
    doc: &mut PageDoc,
    made: &[StructDoc],
    nested: &[String],
    report: &mut Vec<String>,
) {
    let used = enums_named_in(doc);
    doc.enums.0.retain(|(name, _)| {
        let moved = made.iter().any(|s| s.enums.0.iter().any(|(n, _)| n == name));
        if used.contains(name) || !(moved || nested.contains(name)) {
            return true;
        }
        if !moved {
            report.push(format!(
                "{path}: enum `{name}` is named only by nested attributes that were not added (their object is typed by the OpenAPI document, or not at all); not added"
            ));
        }
        false
    });
}

/// Where a `Struct {…}` sits: the type holding it, and the endpoint's enums and sources.
struct Holder<'a> {
    outer: &'a str,
    enums: &'a OrderedMap<String, Vec<String>>,
    sources: &'a [String],
}

impl Holder<'_> {
    /// Replaces each `Struct {…}` in `ty`, the type of member `name` (`listed`: inside a list,
    /// so named by the singular), with a struct document of its own; a struct whose name is
    /// taken is typed json and said in `clashes`.
    fn name_structs(
        &self,
        name: &str,
        ty: &mut Type,
        listed: bool,
        structs: &mut Vec<StructDoc>,
        clashes: &mut Vec<String>,
    ) {
        match ty {
            Type::List(inner) => self.name_structs(name, inner, true, structs, clashes),
            Type::Map(inner) => self.name_structs(name, inner, listed, structs, clashes),
            Type::Struct(members) => {
                let own = member_type_name(self.outer, name, listed);
                if structs.iter().any(|s| s.name == own) {
                    // Two structs of one name would be one type: this one stays untyped.
                    clashes.push(format!(
                        "{own}: a struct of this name exists already; the `Struct {{…}}` of `{name}` is typed json"
                    ));
                    *ty = Type::Json;
                    return;
                }
                let inner = Holder {
                    outer: &own,
                    ..*self
                };
                let mut fields = Vec::new();
                for (n, t) in members.iter_mut() {
                    inner.name_structs(n, t, false, structs, clashes);
                    fields.push(RawParam {
                        name: n.clone(),
                        ty: Some(t.to_string()),
                        ..RawParam::default()
                    });
                }
                structs.push(StructDoc {
                    name: own.clone(),
                    sources: self.sources.to_vec(),
                    enums: enums_of(&fields, self.enums),
                    fields,
                    ..StructDoc::default()
                });
                *ty = Type::Object(own);
            }
            _ => {}
        }
    }
}

/// The nested parameters of one operation: one row per attribute path, chosen across the pages
/// that state it ([`choose_attribute`]).
struct NestedRows<'p>(Vec<NestedRow<'p>>);

struct NestedRow<'p> {
    /// Dotted path from the top level.
    path: &'p str,
    /// The attribute as chosen.
    param: RawParam,
    /// Where each page states it (`file:line (locale)`).
    at: Vec<String>,
    /// The pages that state it (a struct's `sources`).
    pages: Vec<String>,
    /// Whether an OpenAPI document states it.
    in_document: bool,
}

/// What typing one operation's parameters made and used.
#[derive(Default)]
struct Made {
    /// Struct names made.
    structs: Vec<String>,
    /// Attribute paths a struct took.
    used: Vec<String>,
    /// Report lines for attributes that could not be used.
    problems: Vec<String>,
}

impl<'p> NestedRows<'p> {
    fn of(stated: &[(&'p ParsedPage, &'p Nested)]) -> Self {
        let mut paths: Vec<&str> = Vec::new();
        for (_, n) in stated.iter().filter(|(_, n)| n.what == "param") {
            if !paths.contains(&n.path.as_str()) {
                paths.push(&n.path);
            }
        }
        let rows = paths
            .into_iter()
            .filter_map(|path| {
                let cands: Vec<(&ParsedPage, &Nested)> = stated
                    .iter()
                    .filter(|(_, n)| n.what == "param" && n.path == path)
                    .copied()
                    .collect();
                let chosen: Vec<(&ParsedPage, &RawParam)> =
                    cands.iter().map(|(p, n)| (*p, &n.param)).collect();
                let mut pages: Vec<String> = Vec::new();
                for (p, _) in &cands {
                    if !pages.contains(&p.name) {
                        pages.push(p.name.clone());
                    }
                }
                Some(NestedRow {
                    path,
                    param: choose_attribute(&chosen)?,
                    at: cands
                        .iter()
                        .map(|(p, n)| format!("{}:{} ({})", p.file.display(), n.line, p.locale))
                        .collect(),
                    pages,
                    in_document: cands.iter().any(|(p, _)| p.is_document()),
                })
            })
            .collect();
        NestedRows(rows)
    }

    /// The type of the attribute at dotted `path` (printed `ty`) inside a type named `outer`:
    /// a struct when it is an object the rows give attributes for, `None` to keep `ty`.
    fn typed(
        &self,
        outer: &str,
        path: &str,
        ty: Option<&str>,
        enums: &OrderedMap<String, Vec<String>>,
        structs: &mut Vec<StructDoc>,
        made: &mut Made,
    ) -> Option<String> {
        let list = match ty? {
            "list<json>" => true,
            "json" => false,
            _ => return None,
        };
        let last = path.rsplit('.').next().unwrap_or(path);
        let name = member_type_name(outer, last, list);
        let inside = format!("{path}.");
        let children: Vec<&NestedRow<'_>> = self
            .0
            .iter()
            .filter(|r| {
                r.path
                    .strip_prefix(&inside)
                    .is_some_and(|rest| !rest.contains('.'))
            })
            .collect();
        if children.is_empty() {
            return None;
        }
        if structs.iter().any(|s| s.name == name) {
            made.problems.push(format!(
                "{name}: a struct of this name exists already; `{path}` stays {} and the attributes pages nest in it are not added",
                ty.unwrap_or_default()
            ));
            return None;
        }
        let mut fields = Vec::new();
        let mut sources: Vec<String> = Vec::new();
        for r in &children {
            let mut f = r.param.clone();
            if let Some(t) = self.typed(&name, r.path, f.ty.as_deref(), enums, structs, made) {
                f.ty = Some(t);
            }
            fields.push(f);
            made.used.push(r.path.to_string());
            for p in &r.pages {
                if !sources.contains(p) {
                    sources.push(p.clone());
                }
            }
        }
        structs.push(StructDoc {
            name: name.clone(),
            sources,
            enums: enums_of(&fields, enums),
            fields,
            ..StructDoc::default()
        });
        made.structs.push(name.clone());
        Some(if list { format!("list<{name}>") } else { name })
    }
}

/// The enums `fields` name, with the values `declared` gives them.
fn enums_of(
    fields: &[RawParam],
    declared: &OrderedMap<String, Vec<String>>,
) -> OrderedMap<String, Vec<String>> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for name in fields
        .iter()
        .filter_map(|f| f.ty.as_deref())
        .flat_map(enum_names)
    {
        let values = declared.0.iter().find(|(n, _)| *n == name);
        if let Some((n, vs)) = values
            && !out.iter().any(|(o, _)| o == n)
        {
            out.push((n.clone(), vs.clone()));
        }
    }
    OrderedMap(out)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::PathBuf;

    use waba_codegen::spec::raw::{OpKind, RawOperation};

    use super::*;

    const OP: &str = "POST /{x_id}/things";

    fn param(name: &str, ty: &str) -> RawParam {
        RawParam {
            name: name.into(),
            ty: Some(ty.into()),
            ..RawParam::default()
        }
    }

    /// A page of the `things` edge of node `X` whose POST takes `top` and nests `nested`
    /// (dotted path, type); `document`: read from an OpenAPI document.
    fn page(
        file: &str,
        top: &[(&str, &str)],
        nested: &[(&str, &str)],
        document: bool,
    ) -> ParsedPage {
        let mut pointers = HashMap::new();
        if document {
            pointers.insert("op".to_string(), "/paths/p/post".to_string());
        }
        ParsedPage {
            file: PathBuf::from(file),
            name: file.into(),
            locale: "en",
            version: None,
            doc: PageDoc {
                node: "X".into(),
                edge: Some("things".into()),
                operations: vec![RawOperation {
                    kind: Some(OpKind::Create),
                    method: "POST".into(),
                    path: "/{x_id}/things".into(),
                    params: top.iter().map(|(n, t)| param(n, t)).collect(),
                    ..RawOperation::default()
                }],
                ..PageDoc::default()
            },
            lines: HashMap::new(),
            pointers,
            id_note: None,
            nested: nested
                .iter()
                .enumerate()
                .map(|(i, (path, ty))| Nested {
                    what: "param",
                    op: OP.into(),
                    path: path.to_string(),
                    param: param(path.rsplit('.').next().unwrap(), ty),
                    line: 10 + i,
                    pointer: None,
                })
                .collect(),
        }
    }

    fn merged(top: &[(&str, &str)]) -> Vec<(String, PageDoc)> {
        vec![("edges/X.things.yaml".into(), page("m", top, &[], false).doc)]
    }

    #[test]
    fn nested_attributes_become_structs_chosen_across_pages() {
        let pages = [
            page(
                "a.md",
                &[("items", "list<json>")],
                &[
                    ("items.kind", "string"),
                    ("items.sub", "json"),
                    ("items.sub.n", "int64"),
                ],
                false,
            ),
            page(
                "b.txt",
                &[("items", "list<json>")],
                &[("items.kind", "enum Kind")],
                false,
            ),
        ];
        let mut docs = merged(&[("items", "list<json>")]);
        let mut structs = Vec::new();
        let report = from_nested_params(&pages, &mut docs, &mut structs);
        let op = &docs[0].1.operations[0];
        assert_eq!(op.params[0].ty.as_deref(), Some("list<XThingsCreateItem>"));
        let item = structs
            .iter()
            .find(|s| s.name == "XThingsCreateItem")
            .unwrap();
        // The narrower `enum Kind` of b.txt refines a.md's `string`, as merge chooses.
        assert_eq!(item.fields[0].ty.as_deref(), Some("enum Kind"));
        assert_eq!(item.fields[1].ty.as_deref(), Some("XThingsCreateItemSub"));
        assert_eq!(item.sources, ["a.md", "b.txt"]);
        assert_eq!(report.len(), 2, "{report:?}");
    }

    #[test]
    fn a_taken_struct_name_is_reported_and_the_parameter_stays_json() {
        let pages = [page(
            "a.md",
            &[("items", "list<json>")],
            &[("items.kind", "string")],
            false,
        )];
        let mut docs = merged(&[("items", "list<json>")]);
        let mut structs = vec![StructDoc {
            name: "XThingsCreateItem".into(),
            ..StructDoc::default()
        }];
        let report = from_nested_params(&pages, &mut docs, &mut structs);
        assert_eq!(
            docs[0].1.operations[0].params[0].ty.as_deref(),
            Some("list<json>")
        );
        assert_eq!(structs.len(), 1);
        assert!(report[0].contains("exists already"), "{report:?}");
    }

    #[test]
    fn where_the_document_nests_only_unused_page_attributes_are_reported_with_every_page() {
        let pages = [
            page(
                "api.yaml",
                &[("items", "list<XItem>")],
                &[("items.kind", "string")],
                true,
            ),
            page(
                "a.md",
                &[("items", "list<json>")],
                &[("items.kind", "string"), ("items.extra", "string")],
                false,
            ),
            page("b.md", &[], &[("items.extra", "string")], false),
        ];
        let mut docs = merged(&[("items", "list<XItem>")]);
        let report = from_nested_params(&pages, &mut docs, &mut Vec::new());
        assert_eq!(report.len(), 1, "{report:?}");
        assert!(
            report[0].contains("items.extra` only on a.md:11 (en), b.md:10 (en)"),
            "{report:?}"
        );
    }
}
