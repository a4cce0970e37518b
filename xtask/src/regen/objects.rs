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
use waba_codegen::spec::raw::{OrderedMap, PageDoc, RawParam, StructDoc};
use waba_codegen::spec::types::Type;

use super::facts::Class;
use super::merge::{enums_named_in, rank};
use super::page::{Nested, ParsedPage};

/// Types the object parameters of `docs` with struct documents built from the pages' nested
/// parameters, adding them to `structs`; returns a report line per struct made, and per enum
/// only nested attributes named that no struct took (the OpenAPI document typed their object).
pub fn from_nested_params(
    pages: &[ParsedPage],
    docs: &mut [(String, PageDoc)],
    structs: &mut Vec<StructDoc>,
) -> Vec<String> {
    let mut ranked: Vec<&ParsedPage> = pages.iter().collect();
    ranked.sort_by_key(|p| rank(p, Class::Structure));
    let mut made = Vec::new();
    for (path, doc) in docs.iter_mut() {
        let mut prefix = doc.node.clone();
        prefix.extend(doc.edge.as_deref().map(upper_camel));
        // The enums the endpoint's pages name only in nested attributes (of parameters, or of a
        // response a rendered page prints): they move into the structs that use them, or go.
        let mut nested_enums: Vec<String> = Vec::new();
        let first = structs.len();
        for op in &mut doc.operations {
            let key = format!("{} {}", op.method, op.path);
            // One row per attribute path, from the best-ranked page stating it.
            let mut rows: Vec<(&ParsedPage, &Nested)> = Vec::new();
            for p in &ranked {
                for n in p.nested.iter().filter(|n| n.what == "param" && n.op == key) {
                    if !rows.iter().any(|(_, r)| r.path == n.path) {
                        rows.push((p, n));
                    }
                }
            }
            nested_enums.extend(
                pages
                    .iter()
                    .flat_map(|p| &p.nested)
                    .filter(|n| n.op == key)
                    .filter_map(|n| n.param.ty.as_deref().and_then(enum_name))
                    .map(str::to_string),
            );
            let kind = op
                .kind
                .map_or_else(String::new, |k| upper_camel(k.as_str()));
            let object = Object {
                rows: &rows,
                enums: &doc.enums,
            };
            let before = structs.len();
            let outer = format!("{prefix}{kind}");
            for param in &mut op.params {
                if let Some(ty) = object.typed(&outer, &param.name, param.ty.as_deref(), structs) {
                    param.ty = Some(ty);
                }
            }
            made.extend(structs[before..].iter().map(|s| {
                format!(
                    "{}: attributes of `{key}` nested in an object parameter ({path})",
                    s.name
                )
            }));
            // Where the OpenAPI document nests the operation's attributes, those only pages
            // nest are not added (as for its top-level parameters).
            if rows.iter().any(|(p, _)| p.is_document()) {
                for (p, n) in rows.iter().filter(|(p, _)| !p.is_document()) {
                    made.push(format!(
                        "{path}: `param {key} {}` only on {}:{} ({}); the OpenAPI document nests the operation's attributes without it; not added",
                        n.path,
                        p.file.display(),
                        n.line,
                        p.locale
                    ));
                }
            }
        }
        let moved: Vec<&str> = structs[first..]
            .iter()
            .flat_map(|s| s.enums.0.iter().map(|(n, _)| n.as_str()))
            .collect();
        let used = enums_named_in(doc);
        doc.enums.0.retain(|(name, _)| {
            if !nested_enums.contains(name) || used.contains(name) {
                return true;
            }
            if !moved.contains(&name.as_str()) {
                made.push(format!(
                    "{path}: enum `{name}` is named only by attributes nested in a parameter or a response the OpenAPI document types; not added"
                ));
            }
            false
        });
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
    for (path, doc) in docs.iter_mut() {
        let mut prefix = doc.node.clone();
        prefix.extend(doc.edge.as_deref().map(upper_camel));
        let first = structs.len();
        for op in &mut doc.operations {
            // A type validation cannot read is left for validation to report.
            let Some(Ok(Type::Struct(mut members))) = op.returns.as_deref().map(Type::parse) else {
                continue;
            };
            let kind = op
                .kind
                .map_or_else(String::new, |k| upper_camel(k.as_str()));
            let outer = format!("{prefix}{kind}Response");
            let before = structs.len();
            for (name, ty) in &mut members {
                let at = Holder {
                    outer: &outer,
                    enums: &doc.enums,
                    sources: &doc.sources,
                };
                at.name_structs(name, ty, false, structs);
            }
            if structs.len() > before {
                op.returns = Some(Type::Struct(members).to_string());
                made.extend(structs[before..].iter().map(|s| {
                    format!(
                        "{}: a `Struct {{…}}` inside the return type of `{} {}` ({path})",
                        s.name, op.method, op.path
                    )
                }));
            }
        }
        drop_moved_enums(doc, &structs[first..]);
    }
    made
}

/// Where a `Struct {…}` sits: the type holding it, and the endpoint's enums and sources.
struct Holder<'a> {
    outer: &'a str,
    enums: &'a OrderedMap<String, Vec<String>>,
    sources: &'a [String],
}

impl Holder<'_> {
    /// Replaces each `Struct {…}` in `ty`, the type of member `name` (`listed`: inside a list,
    /// so named by the singular), with a struct document of its own.
    fn name_structs(&self, name: &str, ty: &mut Type, listed: bool, structs: &mut Vec<StructDoc>) {
        match ty {
            Type::List(inner) => self.name_structs(name, inner, true, structs),
            Type::Map(inner) => self.name_structs(name, inner, listed, structs),
            Type::Struct(members) => {
                let word = if listed {
                    singular(name)
                } else {
                    name.to_string()
                };
                let own = format!("{}{}", self.outer, upper_camel(&word));
                let inner = Holder {
                    outer: &own,
                    ..*self
                };
                let mut fields = Vec::new();
                for (n, t) in members.iter_mut() {
                    inner.name_structs(n, t, false, structs);
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

/// Removes from `doc` the enums `made` structs took that no type of `doc` names any more.
fn drop_moved_enums(doc: &mut PageDoc, made: &[StructDoc]) {
    let used = enums_named_in(doc);
    doc.enums.0.retain(|(name, _)| {
        used.contains(name)
            || !made
                .iter()
                .any(|s| s.enums.0.iter().any(|(n, _)| n == name))
    });
}

/// The nested rows of one operation.
struct Object<'a, 'p> {
    rows: &'a [(&'p ParsedPage, &'p Nested)],
    /// The endpoint's merged enums.
    enums: &'a OrderedMap<String, Vec<String>>,
}

impl Object<'_, '_> {
    /// The type of the attribute at dotted `path` (printed `ty`) inside a type named `outer`:
    /// a struct when it is an object the rows give attributes for, `None` to keep `ty`.
    fn typed(
        &self,
        outer: &str,
        path: &str,
        ty: Option<&str>,
        structs: &mut Vec<StructDoc>,
    ) -> Option<String> {
        let list = match ty? {
            "list<json>" => true,
            "json" => false,
            _ => return None,
        };
        let last = path.rsplit('.').next().unwrap_or(path);
        let word = if list {
            singular(last)
        } else {
            last.to_string()
        };
        let name = format!("{outer}{}", upper_camel(&word));
        let inside = format!("{path}.");
        let children: Vec<&(&ParsedPage, &Nested)> = self
            .rows
            .iter()
            .filter(|(_, n)| {
                n.path
                    .strip_prefix(&inside)
                    .is_some_and(|rest| !rest.contains('.'))
            })
            .collect();
        if children.is_empty() || structs.iter().any(|s| s.name == name) {
            return None;
        }
        let mut fields = Vec::new();
        for (_, n) in &children {
            let mut f: RawParam = n.param.clone();
            if let Some(t) = self.typed(&name, &n.path, f.ty.as_deref(), structs) {
                f.ty = Some(t);
            }
            fields.push(f);
        }
        let mut sources: Vec<String> = Vec::new();
        for (p, _) in &children {
            if !sources.contains(&p.name) {
                sources.push(p.name.clone());
            }
        }
        let enums = enums_of(&fields, self.enums);
        structs.push(StructDoc {
            name: name.clone(),
            sources,
            fields,
            enums,
            ..StructDoc::default()
        });
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
        .filter_map(|f| f.ty.as_deref().and_then(enum_name))
    {
        let values = declared.0.iter().find(|(n, _)| n == name);
        if let Some((n, vs)) = values
            && !out.iter().any(|(o, _)| o == n)
        {
            out.push((n.clone(), vs.clone()));
        }
    }
    OrderedMap(out)
}

/// The enum a member's type names (`enum X`, `list<enum X>`).
fn enum_name(ty: &str) -> Option<&str> {
    let rest = &ty[ty.find("enum ")? + 5..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}
