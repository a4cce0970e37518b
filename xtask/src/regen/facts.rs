//! One fact list: a parsed page (or a spec document) flattened once into (key, value, location)
//! items, and back ([`to_doc`]). Expected-facts files, the merge of an endpoint's pages,
//! cross-document disagreements and the change report are operations on these lists.
//!
//! A key names what the fact is about, in a form every source can produce: `op GET
//! /{whats_app_business_account_id}/assigned_users`, `param POST /{…}/register backup.password`,
//! `enum Task`. A [`Location`] says where it was stated: a page's file and line today; an
//! OpenAPI document's file and JSON pointer for a second kind of source.

use std::fmt;
use std::path::PathBuf;

use waba_codegen::spec::raw::{
    BodyEncoding, OpKind, PageDoc, RawEdge, RawField, RawOperation, RawParam,
};

use super::page::ParsedPage;

/// Where a fact was stated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A page, at a 1-based line (0: the page as a whole).
    Page {
        /// The page file.
        file: PathBuf,
        /// The line.
        line: usize,
    },
    /// A structured document (an OpenAPI file), at a JSON pointer (`/paths/~1{Version}~1…`).
    /// Constructed by the OpenAPI source; pages never produce it.
    Pointer {
        /// The document file.
        file: PathBuf,
        /// RFC 6901 pointer.
        pointer: String,
    },
    /// A document of the spec folder as written (`edges/X.y.yaml`).
    Spec(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Page { file, line: 0 } => write!(f, "{}", file.display()),
            Location::Page { file, line } => write!(f, "{}:{line}", file.display()),
            Location::Pointer { file, pointer } => write!(f, "{}#{pointer}", file.display()),
            Location::Spec(path) => f.write_str(path),
        }
    }
}

/// What kind of statement a fact is: structure (what the API is) or prose about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Operations, parameters, types, enums, codes: what code is generated from.
    Structure,
    /// Descriptions, notes, requirements: documentation.
    Prose,
}

/// One fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// What it is about (see the module docs).
    pub key: String,
    /// What is stated.
    pub value: String,
    /// Structure or prose.
    pub class: Class,
    /// Carried so the list turns back into its document ([`to_doc`]): a title as such,
    /// sources, descriptions of fields and edges, a requirement's items, a body encoding.
    /// Merged like any other fact, but not rendered, compared between sources or reported:
    /// which facts are compared and reported is a decision of its own.
    pub detail: bool,
    /// Where.
    pub at: Location,
}

/// Where `p` states the fact keyed `k` (as in [`super::page::fact_key`]): its JSON pointer in a
/// structured document, else its line.
fn place(p: &ParsedPage, k: &str, line: usize) -> Location {
    match p.pointers.get(k) {
        Some(pointer) => Location::Pointer {
            file: p.file.clone(),
            pointer: pointer.clone(),
        },
        None => Location::Page {
            file: p.file.clone(),
            line: p.lines.get(k).copied().unwrap_or(line),
        },
    }
}

/// The facts of one parsed page (or OpenAPI document's endpoint), each where it is stated:
/// its document's ([`of_page_doc`]), its version, and the attributes it nests.
pub fn of_page(p: &ParsedPage) -> Vec<Fact> {
    let mut out = of_page_doc(p);
    if let Some((v, l)) = &p.version {
        out.insert(
            1,
            Fact {
                key: format!("version {}", endpoint(&p.doc)),
                value: v.clone(),
                class: Class::Structure,
                detail: false,
                at: place(p, "version", *l),
            },
        );
    }
    for n in &p.nested {
        let key = format!("{} {} {}", n.what, n.op, n.path);
        out.push(Fact {
            value: typed(n.param.ty.as_deref(), n.param.required),
            at: match &n.pointer {
                Some(pointer) => Location::Pointer {
                    file: p.file.clone(),
                    pointer: pointer.clone(),
                },
                None => Location::Page {
                    file: p.file.clone(),
                    line: n.line,
                },
            },
            class: Class::Structure,
            detail: false,
            key,
        });
    }
    out
}

/// The facts of a parsed page's document alone, each where the page states it.
pub fn of_page_doc(p: &ParsedPage) -> Vec<Fact> {
    of_doc(&p.doc, &|k| place(p, k, 0))
}

/// `Node` or `Node.edge`.
pub fn endpoint(doc: &PageDoc) -> String {
    match &doc.edge {
        Some(e) => format!("{}.{e}", doc.node),
        None => doc.node.clone(),
    }
}

/// Stands for no type in a [`typed`] value (no Graph type has that name).
const UNTYPED: &str = "untyped";

/// The value of a typed member's fact: `type[, required]`.
pub fn typed(ty: Option<&str>, required: bool) -> String {
    let ty = ty.unwrap_or(UNTYPED);
    if required {
        format!("{ty}, required")
    } else {
        ty.to_string()
    }
}

/// The type and required flag a [`typed`] value states.
pub fn type_of(value: &str) -> (Option<&str>, bool) {
    let (ty, required) = match value.strip_suffix(", required") {
        Some(ty) => (ty, true),
        None => (value, false),
    };
    ((ty != UNTYPED).then_some(ty), required)
}

/// The values an `enum` fact lists (its value joins them with `, `).
pub fn values(value: &str) -> impl Iterator<Item = &str> {
    value.split(", ").filter(|v| !v.is_empty())
}

const OP_KINDS: [OpKind; 4] = [OpKind::Read, OpKind::Create, OpKind::Update, OpKind::Delete];

fn op_kind(name: &str) -> Option<OpKind> {
    OP_KINDS.into_iter().find(|k| k.as_str() == name)
}

const BODIES: [(BodyEncoding, &str); 2] =
    [(BodyEncoding::Form, "form"), (BodyEncoding::Json, "json")];

/// The facts being listed, and how to locate one by its page key.
struct Sink<'a> {
    out: Vec<Fact>,
    at: &'a dyn Fn(&str) -> Location,
}

impl Sink<'_> {
    fn push(&mut self, class: Class, detail: bool, key: String, value: String, page_key: &str) {
        let at = (self.at)(page_key);
        self.out.push(Fact {
            key,
            value,
            class,
            detail,
            at,
        });
    }

    fn stated(&mut self, class: Class, key: String, value: String, page_key: &str) {
        self.push(class, false, key, value, page_key);
    }

    fn detail(&mut self, class: Class, key: String, value: String, page_key: &str) {
        self.push(class, true, key, value, page_key);
    }

    /// A field (`kind` `field`), or a field an operation adds (`added`, `summary`), of `owner`.
    fn field(&mut self, kind: &str, owner: &str, f: &RawField, page_key: &str) {
        let key = format!("{owner} {}", f.name);
        let ty = typed(f.ty.as_deref(), false);
        self.stated(Class::Structure, format!("{kind} {key}"), ty, page_key);
        if let Some(d) = &f.description {
            let key = format!("{kind}-description {key}");
            self.detail(Class::Prose, key, d.clone(), page_key);
        }
    }
}

/// The facts of a document; `at` locates a fact by its page key (`op GET /x`, `field id`, …).
/// [`to_doc`] turns them back into the document.
pub fn of_doc(doc: &PageDoc, at: &dyn Fn(&str) -> Location) -> Vec<Fact> {
    use Class::{Prose, Structure};
    let ep = endpoint(doc);
    let mut s = Sink {
        out: Vec::new(),
        at,
    };
    s.stated(
        Structure,
        format!("endpoint {ep}"),
        doc.title.clone().unwrap_or_default(),
        "title ",
    );
    // The endpoint fact shows the title; this one also tells an empty title from none.
    if let Some(t) = &doc.title {
        s.detail(Prose, format!("title {ep}"), t.clone(), "title ");
    }
    for name in &doc.sources {
        s.detail(
            Prose,
            format!("source {ep} {name}"),
            String::new(),
            "title ",
        );
    }
    if let Some(d) = &doc.description {
        s.stated(
            Prose,
            format!("description {ep}"),
            d.clone(),
            "description ",
        );
    }
    for r in &doc.rate_limits {
        s.stated(
            Prose,
            format!("rate-limit {ep} {r}"),
            String::new(),
            &format!("rate {r}"),
        );
    }
    for f in &doc.fields {
        s.field("field", &doc.node, f, &format!("field {}", f.name));
    }
    for e in &doc.edges {
        let key = format!("{} {}", doc.node, e.target);
        let page_key = format!("edge {}", e.target);
        let target = format!("Edge<{}>", e.target);
        s.stated(Structure, format!("edge {key}"), target, &page_key);
        if let Some(n) = &e.name {
            s.stated(Prose, format!("edge-name {key}"), n.clone(), &page_key);
        }
        if let Some(d) = &e.description {
            s.detail(
                Prose,
                format!("edge-description {key}"),
                d.clone(),
                &page_key,
            );
        }
    }
    for o in &doc.operations {
        operation(o, &mut s);
    }
    for k in &doc.unsupported {
        s.stated(
            Structure,
            format!("unsupported {ep} {}", k.as_str()),
            String::new(),
            &format!("unsupported {}", k.as_str()),
        );
    }
    for (name, values) in &doc.enums.0 {
        s.stated(
            Structure,
            format!("enum {name}"),
            values.join(", "),
            &format!("enum {name}"),
        );
    }
    for (code, desc) in &doc.errors.0 {
        s.stated(
            Prose,
            format!("error {code}"),
            desc.clone(),
            &format!("error {code}"),
        );
    }
    for n in &doc.notes {
        s.stated(
            Prose,
            format!("note {ep} {n}"),
            String::new(),
            &format!("note {n}"),
        );
    }
    s.out
}

fn operation(o: &RawOperation, s: &mut Sink) {
    use Class::{Prose, Structure};
    let op = format!("{} {}", o.method, o.path);
    let op_key = format!("op {op}");
    let kind = o.kind.map_or("", |k| k.as_str());
    s.stated(Structure, op_key.clone(), kind.to_string(), &op_key);
    if let Some(d) = &o.description {
        s.stated(
            Prose,
            format!("op-description {op}"),
            d.clone(),
            &format!("op-description {op}"),
        );
    }
    if let Some(r) = &o.requirements {
        let text = format!(
            "permissions [{}]; ids [{}]; token {}",
            r.permissions.join(", "),
            r.ids.join(", "),
            r.token.as_deref().unwrap_or("-")
        );
        s.stated(Prose, format!("requirements {op}"), text, &op_key);
        // The text above is for reading; an ID may itself hold `, `.
        for p in &r.permissions {
            s.detail(
                Prose,
                format!("permission {op} {p}"),
                String::new(),
                &op_key,
            );
        }
        for id in &r.ids {
            s.detail(
                Prose,
                format!("required-id {op} {id}"),
                String::new(),
                &op_key,
            );
        }
        if let Some(t) = &r.token {
            s.detail(Prose, format!("token {op}"), t.clone(), &op_key);
        }
    }
    for p in &o.params {
        let k = format!("param {op} {}", p.name);
        s.stated(Structure, k.clone(), typed(p.ty.as_deref(), p.required), &k);
        if let Some(d) = &p.description {
            s.stated(
                Prose,
                format!("param-description {op} {}", p.name),
                d.clone(),
                &k,
            );
        }
    }
    if let Some(r) = &o.returns {
        s.stated(Structure, format!("returns {op}"), r.clone(), &op_key);
    }
    if let Some(c) = &o.creates {
        s.stated(Structure, format!("creates {op}"), c.clone(), &op_key);
    }
    if let Some((_, name)) = BODIES.iter().find(|(b, _)| Some(*b) == o.body) {
        s.detail(Structure, format!("body {op}"), name.to_string(), &op_key);
    }
    for (what, fields) in [("added", &o.added_fields), ("summary", &o.summary_fields)] {
        for f in fields {
            s.field(what, &op, f, &format!("{what} {op} {}", f.name));
        }
    }
    if o.read_after_write {
        s.stated(
            Structure,
            format!("read-after-write {op}"),
            String::new(),
            &op_key,
        );
    }
    for c in &o.errors {
        s.stated(
            Structure,
            format!("error-code {op} {c}"),
            String::new(),
            &format!("error {c}"),
        );
    }
}

/// The kinds of fact [`operation`] makes.
const OPERATION_FACTS: [&str; 17] = [
    "op",
    "op-description",
    "requirements",
    "permission",
    "required-id",
    "token",
    "param",
    "param-description",
    "returns",
    "creates",
    "body",
    "added",
    "added-description",
    "summary",
    "summary-description",
    "read-after-write",
    "error-code",
];

/// The document a list of [`of_doc`]'s facts states: its inverse. Facts are read in order; one
/// about a member not stated yet (a description before its field) states the member too. Other
/// keys (a page's version: [`of_page`]) are not the document's and are passed over.
pub fn to_doc(facts: &[Fact]) -> PageDoc {
    let mut doc = PageDoc::default();
    for f in facts {
        let Some((kind, rest)) = f.key.split_once(' ') else {
            continue;
        };
        // What follows the endpoint, node or operation the key names first.
        let after = |words: usize| rest.splitn(words + 1, ' ').nth(words).unwrap_or_default();
        let value = f.value.clone();
        match kind {
            "endpoint" => {
                let (node, edge) = match rest.split_once('.') {
                    Some((n, e)) => (n, Some(e.to_string())),
                    None => (rest, None),
                };
                doc.node = node.to_string();
                doc.edge = edge;
            }
            "title" => doc.title = Some(value),
            "source" => doc.sources.push(after(1).to_string()),
            "description" => doc.description = Some(value),
            "rate-limit" => doc.rate_limits.push(after(1).to_string()),
            "field" | "field-description" => field(&mut doc.fields, kind, after(1), &value),
            "edge" | "edge-name" | "edge-description" => {
                let target = after(1);
                let new = || RawEdge {
                    target: target.to_string(),
                    ..RawEdge::default()
                };
                let stated = |e: &RawEdge| e.target == target;
                match kind {
                    "edge" => doc.edges.push(new()),
                    "edge-name" => last(&mut doc.edges, stated, new).name = Some(value),
                    _ => last(&mut doc.edges, stated, new).description = Some(value),
                }
            }
            "unsupported" => doc.unsupported.extend(op_kind(after(1))),
            "enum" => doc.enums.0.push((
                rest.to_string(),
                values(&value).map(str::to_string).collect(),
            )),
            "error" => doc.errors.0.extend(rest.parse().ok().map(|c| (c, value))),
            "note" => doc.notes.push(after(1).to_string()),
            kind if OPERATION_FACTS.contains(&kind) => {
                let mut words = rest.splitn(3, ' ');
                let method = words.next().unwrap_or_default().to_string();
                let path = words.next().unwrap_or_default().to_string();
                operation_fact(&mut doc.operations, kind, method, path, after(2), value);
            }
            _ => {}
        }
    }
    doc
}

/// The last item `is` finds, or a new one `new` makes, appended.
fn last<T>(items: &mut Vec<T>, is: impl Fn(&T) -> bool, new: impl FnOnce() -> T) -> &mut T {
    let i = items.iter().rposition(is).unwrap_or_else(|| {
        items.push(new());
        items.len() - 1
    });
    &mut items[i]
}

/// A `field` (`added`, `summary`) fact, or its `…-description`, read into `fields`.
fn field(fields: &mut Vec<RawField>, kind: &str, name: &str, value: &str) {
    let new = || RawField {
        name: name.to_string(),
        ..RawField::default()
    };
    if kind.ends_with("-description") {
        last(fields, |f| f.name == name, new).description = Some(value.to_string());
    } else {
        fields.push(RawField {
            ty: type_of(value).0.map(str::to_string),
            ..new()
        });
    }
}

/// A fact about operation `method` `path` (`what`: the member it names, if any) read into `ops`.
fn operation_fact(
    ops: &mut Vec<RawOperation>,
    kind: &str,
    method: String,
    path: String,
    what: &str,
    value: String,
) {
    if kind == "op" {
        ops.push(RawOperation {
            kind: op_kind(&value),
            method,
            path,
            ..RawOperation::default()
        });
        return;
    }
    let o = last(
        ops,
        |o| o.method == method && o.path == path,
        || RawOperation {
            method: method.clone(),
            path: path.clone(),
            ..RawOperation::default()
        },
    );
    let what = what.to_string();
    match kind {
        "op-description" => o.description = Some(value),
        "requirements" => {
            o.requirements.get_or_insert_default();
        }
        "permission" => o
            .requirements
            .get_or_insert_default()
            .permissions
            .push(what),
        "required-id" => o.requirements.get_or_insert_default().ids.push(what),
        "token" => o.requirements.get_or_insert_default().token = Some(value),
        "param" => {
            let (ty, required) = type_of(&value);
            o.params.push(RawParam {
                name: what,
                ty: ty.map(str::to_string),
                required,
                description: None,
            });
        }
        "param-description" => {
            let new = || RawParam {
                name: what.clone(),
                ..RawParam::default()
            };
            last(&mut o.params, |p| p.name == what, new).description = Some(value);
        }
        "returns" => o.returns = Some(value),
        "creates" => o.creates = Some(value),
        "body" => o.body = BODIES.iter().find(|(_, n)| *n == value).map(|(b, _)| *b),
        "read-after-write" => o.read_after_write = true,
        "error-code" => o.errors.extend(what.parse::<i64>().ok()),
        "added" | "added-description" => field(&mut o.added_fields, kind, &what, &value),
        "summary" | "summary-description" => field(&mut o.summary_fields, kind, &what, &value),
        _ => {}
    }
}

/// The structure facts of a struct document read from `file`: each member (`struct S field
/// m = type[, required]`), alternative (`struct S one-of = type[, tag t]`), discriminator and
/// inline enum, located by the schema's JSON pointer.
pub fn of_struct(file: &std::path::Path, s: &waba_codegen::spec::raw::StructDoc) -> Vec<Fact> {
    let pointer = s
        .sources
        .first()
        .and_then(|src| src.split_once('#'))
        .map_or_else(String::new, |(_, p)| p.to_string());
    let fact = |key: String, value: String| Fact {
        key,
        value,
        class: Class::Structure,
        detail: false,
        at: Location::Pointer {
            file: file.to_path_buf(),
            pointer: pointer.clone(),
        },
    };
    let mut out = Vec::new();
    for f in &s.fields {
        let mut v = f.ty.clone().unwrap_or_default();
        if f.required {
            v.push_str(", required");
        }
        out.push(fact(format!("struct {} field {}", s.name, f.name), v));
    }
    if let Some(d) = &s.discriminator {
        out.push(fact(format!("struct {} discriminator", s.name), d.clone()));
    }
    for a in &s.one_of {
        let v = match &a.tag {
            Some(t) => format!("{}, tag {t}", a.ty),
            None => a.ty.clone(),
        };
        out.push(fact(format!("struct {} one-of", s.name), v));
    }
    for (name, values) in &s.enums.0 {
        out.push(fact(format!("enum {name}"), values.join(", ")));
    }
    out
}

/// The structure facts as `key = value` lines (the expected-facts format).
pub fn render(facts: &[Fact]) -> String {
    let mut out = String::new();
    for f in facts
        .iter()
        .filter(|f| f.class == Class::Structure && !f.detail)
    {
        out.push_str(&f.key);
        if !f.value.is_empty() {
            out.push_str(" = ");
            out.push_str(&f.value);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;
    use waba_codegen::spec::raw::{OrderedMap, Requirements};

    use super::super::diag::Problems;
    use super::super::merge::{self, MergeNotes};
    use super::*;

    fn round_trip(doc: &PageDoc) -> PageDoc {
        to_doc(&of_doc(doc, &|_| Location::Spec(String::new())))
    }

    /// Every document of Meta's pages and OpenAPI document (every path of it), every merge of
    /// them, and every document of the spec folder come back from their facts unchanged.
    #[test]
    fn a_document_comes_back_from_its_facts() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut docs = Vec::new();
        let mut pages = Vec::new();
        for shared in ["seeds", "pages", "openapi"] {
            let dir = manifest.join("../../shared").join(shared);
            if !dir.is_dir() {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "{} is missing (CI=true)",
                    dir.display()
                );
                continue;
            }
            let (mut documents, mut structs) = (Vec::new(), Default::default());
            let mut problems = Problems::default();
            pages.extend(super::super::read_pages(
                &dir,
                &[],
                &mut documents,
                &mut structs,
                &mut problems,
            ));
            assert!(!problems.has_errors(), "{:?}", problems.0);
        }
        docs.extend(pages.iter().map(|p| p.doc.clone()));
        let merged = merge::merge(&pages, &mut MergeNotes::default());
        docs.extend(merged.into_iter().map(|(_, d)| d));
        for dir in ["nodes", "edges"] {
            for e in std::fs::read_dir(manifest.join("../spec").join(dir)).unwrap() {
                let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
                docs.push(serde_yaml::from_str(&text).unwrap());
            }
        }
        for d in &docs {
            assert_eq!(&round_trip(d), d);
        }
    }

    /// Words as keys carry them: no space in a node, edge, method or path; neither `.` in a
    /// node nor in an edge.
    fn word() -> impl Strategy<Value = String> {
        "[a-z_{}/]{1,6}"
    }

    /// Text as descriptions, notes and names carry it (spaces, commas, empty).
    fn text() -> impl Strategy<Value = String> {
        "[a-zA-Z ,.<>]{0,8}"
    }

    /// A type as pages print it; never `untyped`, never ending in `, required`.
    fn ty() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![
            Just("string".to_string()),
            Just("map<string, string>".to_string()),
            Just("list<enum Task>".to_string()),
            text().prop_filter("a type", |t| { t != UNTYPED && !t.ends_with(", required") }),
        ])
    }

    fn fields() -> impl Strategy<Value = Vec<RawField>> {
        prop::collection::vec(
            (text(), ty(), proptest::option::of(text())).prop_map(|(name, ty, description)| {
                RawField {
                    name,
                    ty,
                    description,
                }
            }),
            0..3,
        )
    }

    fn operation() -> impl Strategy<Value = RawOperation> {
        let requirements = proptest::option::of(
            (
                prop::collection::vec(text(), 0..3),
                prop::collection::vec(text(), 0..3),
                proptest::option::of(text()),
            )
                .prop_map(|(permissions, ids, token)| Requirements {
                    permissions,
                    ids,
                    token,
                }),
        );
        let params = prop::collection::vec(
            (text(), ty(), any::<bool>(), proptest::option::of(text())).prop_map(
                |(name, ty, required, description)| RawParam {
                    name,
                    ty,
                    required,
                    description,
                },
            ),
            0..3,
        );
        (
            (
                proptest::option::of(prop::sample::select(OP_KINDS.to_vec())),
                prop::sample::select(vec!["GET", "POST", "DELETE"]),
                word(),
                proptest::option::of(text()),
                requirements,
                params,
            ),
            (
                proptest::option::of(text()),
                proptest::option::of(text()),
                fields(),
                fields(),
                any::<bool>(),
                prop::collection::vec(any::<i64>(), 0..3),
                proptest::option::of(prop::sample::select(vec![
                    BodyEncoding::Form,
                    BodyEncoding::Json,
                ])),
            ),
        )
            .prop_map(
                |(
                    (kind, method, path, description, requirements, params),
                    (
                        returns,
                        creates,
                        added_fields,
                        summary_fields,
                        read_after_write,
                        errors,
                        body,
                    ),
                )| RawOperation {
                    kind,
                    method: method.to_string(),
                    path,
                    description,
                    requirements,
                    params,
                    returns,
                    creates,
                    added_fields,
                    summary_fields,
                    read_after_write,
                    errors,
                    body,
                },
            )
    }

    fn page_doc() -> impl Strategy<Value = PageDoc> {
        let values = prop::collection::vec("[A-Z_.]{1,4}", 0..3);
        (
            (
                "[A-Z][a-zA-Z]{0,5}",
                proptest::option::of("[a-z_]{1,6}"),
                proptest::option::of(text()),
                prop::collection::vec(text(), 0..2),
                proptest::option::of(text()),
                prop::collection::vec(text(), 0..2),
                fields(),
            ),
            (
                prop::collection::vec(
                    (
                        proptest::option::of(text()),
                        text(),
                        proptest::option::of(text()),
                    ),
                    0..3,
                ),
                prop::collection::vec(operation(), 0..3),
                prop::collection::vec(prop::sample::select(OP_KINDS.to_vec()), 0..2),
                prop::collection::vec((text(), values), 0..2),
                prop::collection::vec((any::<i64>(), text()), 0..2),
                prop::collection::vec(text(), 0..2),
            ),
        )
            .prop_map(
                |(
                    (node, edge, title, sources, description, rate_limits, fields),
                    (edges, operations, unsupported, enums, errors, notes),
                )| PageDoc {
                    node,
                    edge,
                    title,
                    sources,
                    description,
                    rate_limits,
                    fields,
                    edges: edges
                        .into_iter()
                        .map(|(name, target, description)| RawEdge {
                            name,
                            target,
                            description,
                        })
                        .collect(),
                    operations,
                    unsupported,
                    enums: OrderedMap(enums),
                    errors: OrderedMap(errors),
                    notes,
                },
            )
    }

    proptest! {
        // Like the fuzzers: a failure is reported, not saved beside the sources.
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Any document (repeated members included) comes back from its facts.
        #[test]
        fn any_document_comes_back_from_its_facts(doc in page_doc()) {
            prop_assert_eq!(round_trip(&doc), doc);
        }
    }

    #[test]
    fn locations_name_line_or_pointer() {
        let page = Location::Page {
            file: "p.md".into(),
            line: 7,
        };
        let doc = Location::Pointer {
            file: "api.yaml".into(),
            pointer: "/paths/~1{Version}~1{WABA-ID}/get".into(),
        };
        assert_eq!(page.to_string(), "p.md:7");
        assert_eq!(
            doc.to_string(),
            "api.yaml#/paths/~1{Version}~1{WABA-ID}/get"
        );
        assert_eq!(
            Location::Spec("nodes/X.yaml".into()).to_string(),
            "nodes/X.yaml"
        );
    }
}
