//! One fact list: a parsed page (or a spec document) flattened once into (key, value, location)
//! items. Expected-facts files, cross-document disagreements and the change report are
//! operations on these lists.
//!
//! A key names what the fact is about, in a form every source can produce: `op GET
//! /{whats_app_business_account_id}/assigned_users`, `param POST /{…}/register backup.password`,
//! `enum Task`. A [`Location`] says where it was stated: a page's file and line today; an
//! OpenAPI document's file and JSON pointer for a second kind of source.

use std::fmt;
use std::path::PathBuf;

use waba_codegen::spec::raw::{PageDoc, RawOperation, RawParam};

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

/// The facts of one parsed page (or OpenAPI document's endpoint), each where it is stated.
pub fn of_page(p: &ParsedPage) -> Vec<Fact> {
    let line = |k: &str| place(p, k, 0);
    let mut out = of_doc(&p.doc, &line);
    if let Some((v, l)) = &p.version {
        out.insert(
            1,
            Fact {
                key: format!("version {}", endpoint(&p.doc)),
                value: v.clone(),
                class: Class::Structure,
                at: place(p, "version", *l),
            },
        );
    }
    for n in &p.nested {
        let key = format!("{} {} {}", n.what, n.op, n.path);
        out.push(Fact {
            value: param_value(&n.param),
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
            key,
        });
    }
    out
}

/// `Node` or `Node.edge`.
pub fn endpoint(doc: &PageDoc) -> String {
    match &doc.edge {
        Some(e) => format!("{}.{e}", doc.node),
        None => doc.node.clone(),
    }
}

fn param_value(p: &RawParam) -> String {
    let ty = p.ty.as_deref().unwrap_or("untyped");
    if p.required {
        format!("{ty}, required")
    } else {
        ty.to_string()
    }
}

/// The facts of a document; `at` locates a fact by its page key (`op GET /x`, `field id`, …).
pub fn of_doc(doc: &PageDoc, at: &dyn Fn(&str) -> Location) -> Vec<Fact> {
    let ep = endpoint(doc);
    let mut out = Vec::new();
    let mut push = |class: Class, key: String, value: String, page_key: &str| {
        out.push(Fact {
            key,
            value,
            class,
            at: at(page_key),
        })
    };
    use Class::{Prose, Structure};
    push(
        Structure,
        format!("endpoint {ep}"),
        doc.title.clone().unwrap_or_default(),
        "title ",
    );
    if let Some(d) = &doc.description {
        push(
            Prose,
            format!("description {ep}"),
            d.clone(),
            "description ",
        );
    }
    for r in &doc.rate_limits {
        push(
            Prose,
            format!("rate-limit {ep} {r}"),
            String::new(),
            &format!("rate {r}"),
        );
    }
    for f in &doc.fields {
        let k = format!("field {}", f.name);
        push(
            Structure,
            format!("field {} {}", doc.node, f.name),
            f.ty.clone().unwrap_or_else(|| "untyped".into()),
            &k,
        );
    }
    for e in &doc.edges {
        let name = e.name.clone().unwrap_or_else(|| e.target.clone());
        push(
            Structure,
            format!("edge {} {name}", doc.node),
            format!("Edge<{}>", e.target),
            &format!("edge {}", e.target),
        );
    }
    for o in &doc.operations {
        operation(o, &mut push);
    }
    for k in &doc.unsupported {
        push(
            Structure,
            format!("unsupported {ep} {}", k.as_str()),
            String::new(),
            &format!("unsupported {}", k.as_str()),
        );
    }
    for (name, values) in &doc.enums.0 {
        push(
            Structure,
            format!("enum {name}"),
            values.join(", "),
            &format!("enum {name}"),
        );
    }
    for (code, desc) in &doc.errors.0 {
        push(
            Prose,
            format!("error {code}"),
            desc.clone(),
            &format!("error {code}"),
        );
    }
    for n in &doc.notes {
        push(
            Prose,
            format!("note {ep} {n}"),
            String::new(),
            &format!("note {n}"),
        );
    }
    out
}

fn operation(o: &RawOperation, push: &mut dyn FnMut(Class, String, String, &str)) {
    use Class::{Prose, Structure};
    let op = format!("{} {}", o.method, o.path);
    let kind = o.kind.map_or("", |k| k.as_str());
    push(
        Structure,
        format!("op {op}"),
        kind.to_string(),
        &format!("op {op}"),
    );
    if let Some(d) = &o.description {
        push(
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
        push(
            Prose,
            format!("requirements {op}"),
            text,
            &format!("op {op}"),
        );
    }
    for p in &o.params {
        let k = format!("param {op} {}", p.name);
        push(Structure, k.clone(), param_value(p), &k);
        if let Some(d) = &p.description {
            push(
                Prose,
                format!("param-description {op} {}", p.name),
                d.clone(),
                &k,
            );
        }
    }
    if let Some(r) = &o.returns {
        push(
            Structure,
            format!("returns {op}"),
            r.clone(),
            &format!("op {op}"),
        );
    }
    if let Some(c) = &o.creates {
        push(
            Structure,
            format!("creates {op}"),
            c.clone(),
            &format!("op {op}"),
        );
    }
    for (what, fields) in [("added", &o.added_fields), ("summary", &o.summary_fields)] {
        for f in fields {
            let k = format!("{what} {op} {}", f.name);
            push(
                Structure,
                k.clone(),
                f.ty.clone().unwrap_or_else(|| "untyped".into()),
                &k,
            );
        }
    }
    if o.read_after_write {
        push(
            Structure,
            format!("read-after-write {op}"),
            String::new(),
            &format!("op {op}"),
        );
    }
    for c in &o.errors {
        push(
            Structure,
            format!("error-code {op} {c}"),
            String::new(),
            &format!("error {c}"),
        );
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
    for f in facts.iter().filter(|f| f.class == Class::Structure) {
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
    use super::*;

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
