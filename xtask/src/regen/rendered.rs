//! Pages rendered from Meta's OpenAPI document (the 2025 reference site): one
//! `## GET|POST|DELETE /{Version}/{ID}/…` section per operation, with header, path and query
//! parameters, a request body and responses by HTTP status. Parameters and schema attributes are
//! printed as a paragraph with name and type glued (`pinstring·required`), then their
//! description; "Show child attributes" opens the attributes of the one above.
//!
//! The rendering does not say where a nested attribute list ends. Nesting is closed when an
//! attribute repeats a name already at its level; otherwise an attribute stays at the level of
//! the one before it (a scalar or a list of scalars opens no level). Where that guess matters, the expected
//! facts of the page say so; Meta's OpenAPI document ([`super::openapi`]) states the real nesting. Each page is split into one [`ParsedPage`] per endpoint it documents.

use std::collections::HashMap;
use std::path::Path;

use waba_codegen::spec::raw::{OpKind, PageDoc, RawField, RawOperation, RawParam};

use super::blocks::{Block, Kind};
use super::diag::Problems;
use super::locale::{LOCALES, Part, Phrase};
use super::page::{self, Nested, ParsedPage, fact_key, join, locale_of, version_in};
use super::types;

/// Whether the blocks are such a page: a second-level heading is a method and a path.
pub fn is_rendered(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| match &b.kind {
        Kind::Heading(2, t) => operation_heading(t).is_some(),
        _ => false,
    })
}

/// `GET /{Version}/{WABA-ID}/schedules` → (`GET`, the path).
fn operation_heading(t: &str) -> Option<(&str, &str)> {
    let (m, p) = t.split_once(' ')?;
    (matches!(m, "GET" | "POST" | "DELETE") && p.starts_with('/') && !p.contains(' '))
        .then_some((m, p))
}

/// One attribute (parameter, body or response property) as printed.
#[derive(Debug, Clone)]
struct Attr {
    name: String,
    ty: String,
    required: bool,
    description: Vec<String>,
    line: usize,
    /// Names of the attributes it is nested in, outermost first.
    parents: Vec<String>,
}

/// The operation section being read.
struct Op {
    method: String,
    path: String,
    line: usize,
    description: Option<String>,
    params: Vec<Attr>,
    body: Vec<Attr>,
    /// The 2xx response's schema name and attributes.
    returns: Option<String>,
    result: Vec<Attr>,
}

/// Where attributes currently go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Into_ {
    Nowhere,
    Header,
    Path,
    Query,
    Body,
    Success,
    Failure,
}

/// Reads one page into one document per endpoint.
pub fn parse(file: &Path, blocks: &[Block], problems: &mut Problems) -> Vec<ParsedPage> {
    let name = file
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let locale = locale_of(blocks);
    let mut title: Option<(String, usize)> = None;
    let mut version: Option<(String, usize)> = None;
    let mut ops: Vec<Op> = Vec::new();
    let mut into = Into_::Nowhere;
    // Nesting: names at each open level, and the attribute that opened it.
    let mut levels: Vec<(String, Vec<String>)> = Vec::new();
    let mut top: Vec<String> = Vec::new();
    let mut last: Option<String> = None;
    let mut last_leaf = false;
    let mut pending_label: Option<(String, usize)> = None;
    let mut in_op = false;
    let mut listed: Vec<(String, usize)> = Vec::new();
    let mut op_done = false;
    let mut description: Option<String> = None;
    for b in blocks {
        let text = match &b.kind {
            Kind::Heading(level, t) => {
                if *level <= 2 {
                    in_op = false;
                    op_done = true;
                    if let Some((m, p)) = operation_heading(t) {
                        ops.push(Op {
                            method: m.to_string(),
                            path: p.to_string(),
                            line: b.line,
                            description: None,
                            params: Vec::new(),
                            body: Vec::new(),
                            returns: None,
                            result: Vec::new(),
                        });
                        in_op = true;
                        op_done = false;
                        into = Into_::Nowhere;
                    } else if *level == 1 && title.is_none() {
                        title = Some((t.clone(), b.line));
                    }
                    continue;
                }
                t
            }
            Kind::Paragraph(t) => t,
            Kind::Title(t) => {
                if version.is_none() {
                    version = version_in(t).map(|v| (v, b.line));
                }
                continue;
            }
            Kind::List(items) => {
                if let Some(a) = current(&mut ops, into) {
                    a.description.extend(items.iter().map(|i| i.1.clone()));
                }
                continue;
            }
            // The page's endpoint list: `| GET | /{Version}/{WABA-ID}/schedules |`.
            Kind::Table(t) if !in_op => {
                for row in &t.rows {
                    let cell = |i: usize| row.cells.get(i).and_then(|c| c.first());
                    if let (Some(m), Some(p)) = (cell(0), cell(1))
                        && operation_heading(&format!("{m} {p}")).is_some()
                    {
                        listed.push((format!("{m} {p}"), row.line));
                    }
                }
                continue;
            }
            Kind::Table(_) | Kind::Code(_) => continue,
        };
        if !in_op {
            if version.is_none() && text.starts_with('v') {
                version = version_in(text).map(|v| (v, b.line));
            } else if ops.is_empty() && page::phrase(text).is_none() && !text.starts_with('|') {
                let d = description.get_or_insert_with(String::new);
                if !d.is_empty() {
                    d.push(' ');
                }
                d.push_str(text);
            }
            continue;
        }
        let Some(op) = ops.last_mut() else { continue };
        match page::phrase(text).map(|(p, _)| p) {
            Some(Phrase::Part(part)) => {
                op_done = true;
                into = match part {
                    Part::HeaderParams => Into_::Header,
                    Part::PathParams => Into_::Path,
                    Part::QueryParams => Into_::Query,
                    Part::RequestBody => Into_::Body,
                    Part::Responses => Into_::Failure,
                    Part::Authentication | Part::Chrome => Into_::Nowhere,
                };
                levels.clear();
                top.clear();
                last = None;
                pending_label = None;
                continue;
            }
            // A request sample's heading: the description is over.
            Some(Phrase::Section(_)) => {
                op_done = true;
                into = Into_::Nowhere;
                continue;
            }
            Some(Phrase::ShowChildren) => {
                // A scalar (an enum's values) or a list of scalars (its `x[]string` item lines)
                // has no attributes: no level opens.
                if let Some(l) = last.take()
                    && !last_leaf
                {
                    levels.push((l, Vec::new()));
                }
                continue;
            }
            Some(Phrase::Schema) => {
                if into == Into_::Success && op.returns.is_none() {
                    let schema = text.split_once(':').map_or("", |(_, s)| s.trim());
                    op.returns = Some(schema.to_string());
                }
                continue;
            }
            Some(Phrase::ContentType | Phrase::Chrome) => continue,
            _ => {}
        }
        // A page in a locale without these labels is read by its structure: a status code
        // starts a response, an attribute outside any part is a request parameter; the short
        // paragraph before either is a label no locale knows, reported where it stands.
        // (Outside any part, a status code counts only after such a label: the request sample
        // prints status tabs too.)
        let status = text.len() == 3
            && text.bytes().all(|c| c.is_ascii_digit())
            && (into != Into_::Nowhere || pending_label.is_some());
        let structural = into == Into_::Nowhere && (status || attribute(text).is_some());
        if structural && let Some((label, line)) = pending_label.take() {
            problems.warn(
                file,
                line,
                format!(
                    "`{label}` is no label of a known locale; what follows is read by its structure"
                ),
            );
        }
        if status {
            into = if text.starts_with('2') {
                Into_::Success
            } else {
                Into_::Failure
            };
            levels.clear();
            top.clear();
            last = None;
            continue;
        }
        if let Some((name, ty, required, unknown)) = attribute(text) {
            if into == Into_::Nowhere {
                into = Into_::Body;
            }
            if let Some(mark) = unknown {
                problems.warn(
                    file,
                    b.line,
                    format!(
                        "`·{mark}` is no required marker of a known locale; read as one by its `·`"
                    ),
                );
            }
            // `data[]` is the item of the array `data` printed above it: the same level.
            if name.ends_with("[]") {
                last = None;
                continue;
            }
            // A name already at the open level belongs to an outer one.
            while let Some((_, names)) = levels.last() {
                if names.contains(&name) {
                    levels.pop();
                } else {
                    break;
                }
            }
            let names = match levels.last_mut() {
                Some((_, names)) => names,
                None => &mut top,
            };
            names.push(name.clone());
            let attr = Attr {
                name: name.clone(),
                ty,
                required,
                description: Vec::new(),
                line: b.line,
                parents: levels.iter().map(|(n, _)| n.clone()).collect(),
            };
            last_leaf = is_leaf(&attr.ty);
            last = Some(name);
            match into {
                Into_::Path | Into_::Query | Into_::Header => op.params.push(attr),
                // Read by structure: a header or path parameter by its name's shape.
                Into_::Body if is_transport(&attr.name) => op.params.push(attr),
                Into_::Body => op.body.push(attr),
                Into_::Success => op.result.push(attr),
                Into_::Failure | Into_::Nowhere => {}
            }
            continue;
        }
        // A label-like paragraph (a few words, no punctuation) ends the description.
        if into == Into_::Nowhere
            && text.split(' ').count() <= 3
            && !text.contains(['.', ',', ':', ';', '/', '{'])
        {
            op_done = true;
            pending_label = Some((text.clone(), b.line));
            continue;
        }
        match current(&mut ops, into) {
            Some(a) => a.description.push(text.clone()),
            // The operation's description: its wrapped paragraphs up to a "Use Cases:" label.
            None if into == Into_::Nowhere && !op_done => {
                if let Some(op) = ops.last_mut() {
                    if text.ends_with(':') {
                        op_done = true;
                    } else {
                        let d = op.description.get_or_insert_with(String::new);
                        if !d.is_empty() {
                            d.push(' ');
                        }
                        d.push_str(text);
                    }
                }
            }
            None => {}
        }
    }
    // Every operation the endpoint list names has its section (none is dropped unseen).
    for (op, line) in &listed {
        if !ops
            .iter()
            .any(|o| format!("{} {}", o.method, o.path) == *op)
        {
            problems.warn(
                file,
                *line,
                format!("the endpoint list names `{op}` but no section documents it"),
            );
        }
    }
    if ops.is_empty() {
        problems.error(file, 1, "cannot place page: it has no operation sections");
        return Vec::new();
    }
    let title = title.map(|(t, _)| t);
    // One document per endpoint, in the order the page shows them.
    let mut out: Vec<ParsedPage> = Vec::new();
    for op in ops {
        let Some((node, edge)) = place(&op.path) else {
            problems.error(
                file,
                op.line,
                format!(
                    "cannot place operation `{} {}`: its path does not start with a known node ID",
                    op.method, op.path
                ),
            );
            continue;
        };
        let idx = match out
            .iter()
            .position(|p| p.doc.node == node && p.doc.edge == edge)
        {
            Some(i) => i,
            None => {
                out.push(ParsedPage {
                    file: file.to_path_buf(),
                    name: name.clone(),
                    locale,
                    version: version.clone(),
                    doc: PageDoc {
                        node: node.clone(),
                        edge: edge.clone(),
                        title: title.clone(),
                        description: description.clone(),
                        ..PageDoc::default()
                    },
                    lines: HashMap::new(),
                    pointers: HashMap::new(),
                    id_note: None,
                    nested: Vec::new(),
                });
                out.len() - 1
            }
        };
        add(&mut out[idx], op, file, problems);
    }
    out
}

/// The attribute the description paragraphs now go to.
fn current(ops: &mut [Op], into: Into_) -> Option<&mut Attr> {
    let op = ops.last_mut()?;
    match into {
        Into_::Path | Into_::Query | Into_::Header => op.params.last_mut(),
        Into_::Body => op.body.last_mut(),
        Into_::Success => op.result.last_mut(),
        Into_::Failure | Into_::Nowhere => None,
    }
}

/// The node and edge of a path such as `/{Version}/{WABA-ID}/schedules`.
fn place(path: &str) -> Option<(String, Option<String>)> {
    let node = page::node_of_path(path)?;
    let edge = page::path_segments(path).nth(1).map(str::to_string);
    Some((node, edge))
}

/// Records an operation in its endpoint's document.
fn add(page: &mut ParsedPage, op: Op, file: &Path, problems: &mut Problems) {
    let node = page.doc.node.clone();
    let own = page::own_path(&node, page.doc.edge.as_deref());
    let kind = page::kind_of(&op.method, page.doc.edge.is_some());
    let key = format!("{} {own}", op.method);
    if page
        .doc
        .operations
        .iter()
        .any(|o| o.method == op.method && o.path == own)
    {
        problems.warn(
            file,
            op.line,
            format!("operation `{key}` documented twice on one page; the first is kept"),
        );
        return;
    }
    fact(page, "op", &key, op.line);
    let mut params = Vec::new();
    // Path parameters are in the path; header parameters are transport (token, user agent).
    let query = op.params.iter().filter(|a| {
        !a.name.contains('-')
            && !a
                .name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
    });
    for a in query.chain(op.body.iter()) {
        let ty = typed(page, a, file, problems);
        let p = RawParam {
            name: a.name.clone(),
            ty: Some(ty),
            required: a.required,
            description: join(&a.description),
        };
        if a.parents.is_empty() {
            fact(page, "param", &format!("{key} {}", a.name), a.line);
            params.push(p);
        } else {
            let path = format!("{}.{}", a.parents.join("."), a.name);
            fact(page, "param", &format!("{key} {path}"), a.line);
            page.nested.push(Nested {
                what: "param",
                op: key.clone(),
                path,
                param: p,
                line: a.line,
                pointer: None,
            });
        }
    }
    // The return shape: the success schema's attributes.
    for a in &op.result {
        let mut path = a.parents.clone();
        path.push(a.name.clone());
        let ty = typed(page, a, file, problems);
        page.nested.push(Nested {
            what: "response",
            op: key.clone(),
            path: path.join("."),
            param: RawParam {
                name: a.name.clone(),
                ty: Some(ty),
                required: a.required,
                description: join(&a.description),
            },
            line: a.line,
            pointer: None,
        });
    }
    let returns = match op.returns.as_deref() {
        Some("object") => op
            .result
            .iter()
            .find(|a| a.parents.is_empty() && a.name == "data")
            .and_then(|a| a.ty.strip_prefix("list<").map(|_| a.ty.clone())),
        Some(s) if !s.is_empty() => Some(s.to_string()),
        _ => None,
    };
    if page.doc.edge.is_none() && kind == OpKind::Read {
        // Reading a node returns the node: its response attributes are the node's fields.
        for a in op.result.iter().filter(|a| a.parents.is_empty()) {
            if page.doc.fields.iter().any(|f| f.name == a.name) {
                continue;
            }
            let ty = typed(page, a, file, problems);
            fact(page, "field", &a.name, a.line);
            page.doc.fields.push(RawField {
                name: a.name.clone(),
                ty: Some(ty),
                description: join(&a.description),
            });
        }
    }
    page.doc.operations.push(RawOperation {
        kind: Some(kind),
        method: op.method,
        path: own,
        description: op.description,
        requirements: None,
        params,
        returns: if page.doc.edge.is_none() && kind == OpKind::Read {
            Some(node)
        } else {
            returns
        },
        creates: None,
        added_fields: Vec::new(),
        summary_fields: Vec::new(),
        read_after_write: false,
        errors: Vec::new(),
        body: None,
    });
}

fn fact(page: &mut ParsedPage, kind: &str, what: &str, line: usize) {
    page.lines.entry(fact_key(kind, what)).or_insert(line);
}

/// The attribute's type in spec syntax; an inline `One of "A", "B"` becomes a named enum.
fn typed(page: &mut ParsedPage, a: &Attr, file: &Path, problems: &mut Problems) -> String {
    let (ty, e, problem) = types::name_enums(&a.ty, &a.name);
    if let Some(p) = problem {
        problems.warn(file, a.line, p);
    }
    let (ty, guessed) = types::normalize(&ty);
    if let Some(note) = guessed {
        problems.warn(file, a.line, format!("type of `{}`: {note}", a.name));
    }
    if let Some(e) = e
        && let Some(w) = page::add_enum(&mut page.doc, &mut page.lines, e, a.line)
    {
        problems.warn(file, a.line, w);
    }
    ty
}

/// A glued attribute: name, type, whether it is marked required, and the marker's word when no
/// locale knows it (`·erforderlich`: still a marker, by its `·`).
type Attribute = (String, String, bool, Option<String>);

/// Splits `pinstring·required` into (`pin`, `string`, true, None); `None` for prose.
fn attribute(text: &str) -> Option<Attribute> {
    let mut t = text.trim();
    let mut required = false;
    let mut unknown = None;
    if let Some((rest, mark)) = t.rsplit_once('·') {
        let known = LOCALES.iter().any(|l| {
            l.phrases.iter().any(|&(phrase, m)| {
                phrase == Phrase::RequiredMark && m.trim_start_matches('·') == mark
            })
        });
        if !known {
            unknown = Some(mark.to_string());
        }
        t = rest.trim_end();
        required = true;
    }
    // A constraint after the type: `integer [min: 60, max: 60]`.
    if let Some(at) = t.find(" [") {
        t = t[..at].trim_end();
    }
    for (i, _) in t.char_indices().skip(1) {
        let (name, ty) = t.split_at(i);
        if !is_attr_name(name) {
            if name.contains(' ') {
                return None;
            }
            continue;
        }
        if let Some(ty) = primitive(ty) {
            return Some((name.to_string(), ty, required, unknown));
        }
    }
    // A schema-typed attribute: `backupWhatsAppBusinessAccountBackup`.
    let at = t
        .char_indices()
        .find(|&(i, c)| {
            i > 0
                && c.is_ascii_uppercase()
                && t[..i]
                    .ends_with(|p: char| p.is_ascii_lowercase() || p.is_ascii_digit() || p == ']')
        })?
        .0;
    let (name, ty) = t.split_at(at);
    (name.starts_with(|c: char| c.is_ascii_lowercase())
        && is_attr_name(name)
        && ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '[' || c == ']'))
    .then(|| {
        (
            name.to_string(),
            ty.trim_end_matches("[]").to_string(),
            required,
            unknown,
        )
    })
}

/// A header or path parameter's name (`Authorization`, `WABA-ID`): capitalized or hyphenated,
/// unlike the snake_case names of query and body parameters.
fn is_transport(name: &str) -> bool {
    name.contains('-') || name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// `string`, `enum {…}`, `list<list<int>>`: a type whose values have no attributes.
fn is_leaf(ty: &str) -> bool {
    let mut t = ty;
    while let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
        t = inner;
    }
    matches!(t, "string" | "int" | "bool" | "float") || t.starts_with("enum {")
}

fn is_attr_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '[' | ']' | '.'))
}

/// A printed type in spec syntax, if `ty` is one.
fn primitive(ty: &str) -> Option<String> {
    let base = ty.split(" (").next().unwrap_or(ty);
    let simple = match base {
        "string" => Some("string"),
        "integer" => Some("int"),
        "boolean" => Some("bool"),
        "number" => Some("float"),
        // The rendered page prints no members: untyped here (the document has them).
        "object" => Some("json"),
        _ => None,
    };
    if let Some(s) = simple {
        return Some(s.to_string());
    }
    if let Some(item) = ty.strip_prefix("array of ") {
        let inner = primitive(item).unwrap_or_else(|| item.trim().to_string());
        return Some(format!("list<{inner}>"));
    }
    if let Some(values) = ty.strip_prefix("One of ") {
        let values: Vec<&str> = values
            .split(',')
            .map(|v| v.trim().trim_matches('"'))
            .collect();
        return Some(format!("enum {{{}}}", values.join(", ")));
    }
    // A constant: `"whatsapp"`.
    if ty.len() >= 2
        && ty.starts_with('"')
        && ty.ends_with('"')
        && !ty[1..ty.len() - 1].contains('"')
    {
        return Some(format!("enum {{{}}}", &ty[1..ty.len() - 1]));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_glued_attributes() {
        let a = |t: &str| attribute(t).map(|(n, ty, r, _)| format!("{n}|{ty}|{r}"));
        assert_eq!(a("pinstring·required").as_deref(), Some("pin|string|true"));
        assert_eq!(
            a("Phone-Number-IDstring·required").as_deref(),
            Some("Phone-Number-ID|string|true")
        );
        assert_eq!(
            a("backupWhatsAppBusinessAccountBackup").as_deref(),
            Some("backup|WhatsAppBusinessAccountBackup|false")
        );
        assert_eq!(
            a("meta_store_retention_minutesinteger [min: 60, max: 60]").as_deref(),
            Some("meta_store_retention_minutes|int|false")
        );
        assert_eq!(
            a("code_methodOne of \"SMS\", \"VOICE\"·required").as_deref(),
            Some("code_method|enum {SMS, VOICE}|true")
        );
        assert_eq!(
            a("messaging_product\"whatsapp\"·required").as_deref(),
            Some("messaging_product|enum {whatsapp}|true")
        );
        assert_eq!(
            a("dataarray of SubscribedApp·required").as_deref(),
            Some("data|list<SubscribedApp>|true")
        );
        assert_eq!(
            a("emailstring (email)").as_deref(),
            Some("email|string|false")
        );
        assert_eq!(a("Array of subscribed applications"), None);
        assert_eq!(a("GraphAPIError"), None);
        assert_eq!(a("200"), None);
    }
}
