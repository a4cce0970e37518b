//! Meta's OpenAPI 3.1 document as a second kind of source: each operation the document lists
//! (and `sources.yaml`'s path patterns keep) becomes the same [`ParsedPage`] a reference page
//! gives — node, edge, operation kind, parameters, return shape, nested attributes, enums, error
//! codes — so facts, merge and the report treat both sources alike. Every fact is located by the
//! document's file and a JSON pointer.
//!
//! Read as a YAML value and walked with pointers ([`doc`]): `$ref` chains are followed with a
//! cycle guard, `allOf` parts are merged, `oneOf`/`anyOf` collapse when their variants share a
//! type, identical `X_1` duplicate schemas collapse into `X`. Object schemas the kept
//! operations reach become struct documents ([`Read::structs`]; naming: [`Reader::inline_name`]),
//! `additionalProperties` a `map<string, T>`, a mixed `oneOf` a struct of alternatives; a
//! request body records its encoding (form or JSON). What the spec cannot say (a multipart
//! body, a body that is not an object, properties beside `oneOf`) is a located warning.

mod doc;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
#[cfg(test)]
use std::path::PathBuf;

use serde_yaml::Value;
use waba_codegen::names::{singular, upper_camel};
use waba_codegen::spec::raw::{
    BodyEncoding, OpKind, PageDoc, RawAlternative, RawField, RawOperation, RawParam, StructDoc,
};

use super::diag::Problems;
use super::page::{self, Nested, ParsedPage};
use doc::{Doc, child, entries, escape, get, str_of, unescape};

/// How deep nested attributes are followed (Meta's deepest documented nesting is 5).
const MAX_DEPTH: usize = 8;

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

/// Which paths of a document are read: `sources.yaml`'s patterns. `*` matches one path segment,
/// `**` any number (none included); an empty `include` keeps every path.
#[derive(Debug, Clone, Default)]
pub struct PathFilter {
    /// Kept when one matches.
    pub include: Vec<String>,
    /// Dropped when one matches (wins over `include`).
    pub exclude: Vec<String>,
}

impl PathFilter {
    /// Whether `path` is read.
    pub fn keeps(&self, path: &str) -> bool {
        let hit = |p: &String| glob(&segs(p), &segs(path));
        (self.include.is_empty() || self.include.iter().any(hit)) && !self.exclude.iter().any(hit)
    }
}

fn segs(p: &str) -> Vec<&str> {
    p.split('/').filter(|s| !s.is_empty()).collect()
}

fn glob(pat: &[&str], path: &[&str]) -> bool {
    match pat.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|i| glob(rest, &path[i..])),
        Some((p, rest)) => path
            .split_first()
            .is_some_and(|(s, tail)| (*p == "*" || p == s) && glob(rest, tail)),
    }
}

/// Whether `src` reads as an OpenAPI document (a top-level `openapi:` key in its first lines).
pub fn is_openapi(src: &str) -> bool {
    src.lines()
        .take(20)
        .any(|l| l.starts_with("openapi:") || l.starts_with("\"openapi\":"))
}

/// What one document gives: one parsed "page" per node or edge, and how many operations the
/// filter left out.
#[derive(Debug, Default)]
pub struct Read {
    /// One per endpoint, in path order.
    pub pages: Vec<ParsedPage>,
    /// Operations kept.
    pub kept: usize,
    /// Operations the filter dropped.
    pub excluded: usize,
    /// The object types the kept operations use (named and inline schemas), transitively.
    pub structs: Vec<StructDoc>,
}

/// Reads the OpenAPI document `src` of `file`; problems are located by JSON pointer.
pub fn read(file: &Path, src: &str, filter: &PathFilter, problems: &mut Problems) -> Read {
    let root: Value = match serde_yaml::from_str(src) {
        Ok(v) => v,
        Err(e) => {
            let line = e.location().map_or(0, |l| l.line());
            problems.error(file, line, format!("not a YAML/JSON document: {e}"));
            return Read::default();
        }
    };
    if str_of(&root, "openapi").is_none_or(|v| !v.starts_with('3')) {
        problems.error_at(file, "/openapi", "not an OpenAPI 3 document");
        return Read::default();
    }
    let doc = Doc::new(file, &root);
    let version = get(&root, "info")
        .and_then(|i| str_of(i, "version"))
        .map(str::to_string)
        .filter(|v| page::version_in(v).is_some());
    if version.is_none() {
        problems.warn_at(
            file,
            "/info/version",
            "no Graph API version (`vNN.N`) stated",
        );
    }
    let mut r = Reader {
        doc: &doc,
        problems,
        version,
        pages: Vec::new(),
        nodes: HashMap::new(),
        node_names: BTreeSet::new(),
        structs: Vec::new(),
        sink: Sink::Page(0),
    };
    let mut out = Read::default();
    let Some(paths) = get(&root, "paths") else {
        r.problems.error_at(file, "/paths", "document has no paths");
        return out;
    };
    r.node_schemas(paths, filter);
    for (path, item) in entries(paths) {
        let at = child("/paths", path);
        for (method, op) in entries(item) {
            if !METHODS.contains(&method) {
                continue;
            }
            if !filter.keeps(path) {
                out.excluded += 1;
                continue;
            }
            if r.operation(
                path,
                item,
                &method.to_ascii_uppercase(),
                op,
                &child(&at, method),
            ) {
                out.kept += 1;
            }
        }
    }
    r.build_structs();
    out.structs = used(&r.pages, r.structs.into_iter().map(|s| s.doc).collect());
    out.pages = r.pages;
    out
}

/// The structs the endpoint documents name, and those these name, transitively. Reading
/// records more (a paged read's `paging`, a response attribute listed for the report) that no
/// written document refers to; they are left out.
fn used(pages: &[ParsedPage], structs: Vec<StructDoc>) -> Vec<StructDoc> {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            .map(str::to_string)
            .collect()
    };
    let mut todo: Vec<String> = Vec::new();
    for d in pages.iter().map(|p| &p.doc) {
        let fields = d.fields.iter().map(|f| f.ty.as_deref());
        for o in &d.operations {
            let params = o.params.iter().map(|p| p.ty.as_deref());
            let added = o.added_fields.iter().chain(&o.summary_fields);
            let shapes = [o.returns.as_deref(), o.creates.as_deref()];
            for t in params
                .chain(added.map(|f| f.ty.as_deref()))
                .chain(shapes)
                .flatten()
            {
                todo.extend(words(t));
            }
        }
        for t in fields.flatten() {
            todo.extend(words(t));
        }
    }
    let mut keep: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = todo.pop() {
        let Some(s) = structs.iter().find(|s| s.name == name) else {
            continue;
        };
        if !keep.insert(name) {
            continue;
        }
        let types = s.fields.iter().filter_map(|f| f.ty.as_deref());
        for t in types.chain(s.one_of.iter().map(|a| a.ty.as_str())) {
            todo.extend(words(t));
        }
    }
    structs
        .into_iter()
        .filter(|s| keep.contains(&s.name))
        .collect()
}

/// Whether a schema is read as a struct: an object with properties (or `allOf` parts), or a
/// choice (`oneOf`/`anyOf`) of types.
fn is_struct(s: &Value) -> bool {
    get(s, "properties").is_some()
        || get(s, "allOf").is_some_and(|a| a.as_sequence().is_some_and(|a| a.len() > 1))
        || get(s, "oneOf").is_some()
        || get(s, "anyOf").is_some()
}

/// Where an enum met while reading a type is declared.
#[derive(Debug, Clone, Copy)]
enum Sink {
    /// The endpoint document (index into the pages).
    Page(usize),
    /// Nowhere: attributes listed for the report only (their struct declares the enum).
    Discard,
    /// The struct being read (index into the structs).
    Struct(usize),
}

/// A struct document being made: recorded when a type names it, read afterwards.
struct Pending<'a> {
    doc: StructDoc,
    /// Its schema and the schema's pointer (the component schema's own, for a named one).
    schema: &'a Value,
    at: String,
    /// Pointer of each inline enum's values (for conflict reports).
    pointers: HashMap<String, String>,
    done: bool,
}

struct Reader<'d, 'a, 'p> {
    doc: &'d Doc<'a>,
    problems: &'p mut Problems,
    version: Option<String>,
    pages: Vec<ParsedPage>,
    /// Canonical component-schema name → node, for the schemas node reads return.
    nodes: HashMap<String, String>,
    /// Every node the kept paths name (a struct never takes one of these names).
    node_names: BTreeSet<String>,
    structs: Vec<Pending<'a>>,
    /// Where inline enums go while a type is read.
    sink: Sink,
}

/// An object schema's properties (`allOf` parts merged) and its required names.
struct Props<'a> {
    list: Vec<(String, &'a Value, String)>,
    required: Vec<String>,
}

impl<'a> Reader<'_, 'a, '_> {
    fn file(&self) -> &'a Path {
        self.doc.file
    }

    /// The nodes the kept paths name, and the schema each node read returns: that schema is
    /// the node wherever it is referenced, never a struct.
    fn node_schemas(&mut self, paths: &'a Value, filter: &PathFilter) {
        for (path, item) in entries(paths) {
            let Some(node) = page::node_of_path(path).filter(|_| filter.keeps(path)) else {
                continue;
            };
            self.node_names.insert(node.clone());
            if page::path_segments(path).nth(1).is_some() {
                continue;
            }
            let responses = get(item, "get").and_then(|op| get(op, "responses"));
            for (status, r) in responses.into_iter().flat_map(entries) {
                if !status.starts_with('2') {
                    continue;
                }
                // Quiet: the operation's own reading reports what is wrong here.
                let Some((r, _)) = self.doc.resolve(r, "", &mut Problems::default()) else {
                    continue;
                };
                let reference = get(r, "content")
                    .into_iter()
                    .flat_map(entries)
                    .find(|(k, _)| k.contains("json"))
                    .and_then(|(_, m)| get(m, "schema"))
                    .and_then(|s| str_of(s, "$ref"))
                    .and_then(|r| r.strip_prefix("#/components/schemas/"));
                if let Some(name) = reference {
                    let name = unescape(name);
                    self.nodes.insert(self.doc.canonical(&name), node.clone());
                }
            }
        }
    }

    /// The page of `node`/`edge`, made on first use.
    fn page(&mut self, node: &str, edge: Option<&str>, title_at: Option<&str>) -> usize {
        if let Some(i) = self
            .pages
            .iter()
            .position(|p| p.doc.node == node && p.doc.edge.as_deref() == edge)
        {
            return i;
        }
        let file = self.file().to_path_buf();
        // The document merges sub-specs under the first one's `info.title`: an endpoint's title
        // is the summary of its first operation.
        let title = title_at
            .and_then(|at| self.doc.at(at))
            .and_then(Value::as_str);
        let mut pointers = HashMap::new();
        if let Some(at) = title_at.filter(|_| title.is_some()) {
            pointers.insert("title ".to_string(), at.to_string());
        }
        pointers.insert("version".to_string(), "/info/version".to_string());
        self.pages.push(ParsedPage {
            name: file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            file,
            locale: "en",
            version: self.version.clone().map(|v| (v, 0)),
            doc: PageDoc {
                node: node.to_string(),
                edge: edge.map(str::to_string),
                title: title.map(str::to_string),
                ..PageDoc::default()
            },
            lines: HashMap::new(),
            pointers,
            id_note: None,
            nested: Vec::new(),
        });
        self.pages.len() - 1
    }

    /// Records one operation; false when it cannot be placed.
    fn operation(
        &mut self,
        path: &str,
        item: &'a Value,
        method: &str,
        op: &'a Value,
        at: &str,
    ) -> bool {
        let Some(node) = page::node_of_path(path) else {
            let first = page::path_segments(path).next().unwrap_or_default();
            self.problems.warn_at(
                self.file(),
                at,
                format!("path starts with `{first}`, which names no known node (the ID table of regen/page.rs); operation skipped"),
            );
            return false;
        };
        let mut rest = page::path_segments(path).skip(1);
        let edge = rest.next().map(str::to_string);
        if rest.next().is_some() {
            self.problems.warn_at(
                self.file(),
                at,
                "path is deeper than node/edge; the spec cannot place it yet; operation skipped",
            );
            return false;
        }
        let own = page::own_path(&node, edge.as_deref());
        let kind = page::kind_of(method, edge.is_some());
        let key = format!("{method} {own}");
        let pi = self.page(&node, edge.as_deref(), Some(&child(at, "summary")));
        self.sink = Sink::Page(pi);
        if self.pages[pi]
            .doc
            .operations
            .iter()
            .any(|o| o.method == method && o.path == own)
        {
            self.problems.warn_at(
                self.file(),
                at,
                format!("operation `{key}` stated twice (merged sub-specs); the first is kept"),
            );
            return false;
        }
        self.point(pi, format!("op {key}"), at);
        let description = str_of(op, "description")
            .or_else(|| str_of(op, "summary"))
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty());
        let mut o = RawOperation {
            kind: Some(kind),
            method: method.to_string(),
            path: own,
            description,
            ..RawOperation::default()
        };
        // Path-level parameters first, then the operation's (OpenAPI's order of precedence).
        let lists = [
            (
                get(item, "parameters"),
                at.rsplit_once('/').map_or("", |(p, _)| p).to_string(),
            ),
            (get(op, "parameters"), at.to_string()),
        ];
        for (list, base) in lists {
            let Some(list) = list.and_then(Value::as_sequence) else {
                continue;
            };
            for (i, p) in list.iter().enumerate() {
                let p_at = child(&child(&base, "parameters"), &i.to_string());
                self.parameter(pi, &key, &mut o, p, &p_at);
            }
        }
        if let Some(body) = get(op, "requestBody") {
            self.body(pi, &key, &mut o, body, &child(at, "requestBody"));
        }
        if let Some(responses) = get(op, "responses") {
            self.responses(pi, &key, &mut o, responses, &child(at, "responses"));
        }
        self.pages[pi].doc.operations.push(o);
        true
    }

    fn point(&mut self, pi: usize, key: String, at: &str) {
        self.pages[pi]
            .pointers
            .entry(key)
            .or_insert_with(|| at.to_string());
    }

    fn parameter(&mut self, pi: usize, key: &str, o: &mut RawOperation, p: &'a Value, at: &str) {
        let Some((p, p_at)) = self.doc.resolve(p, at, self.problems) else {
            return;
        };
        let (Some(name), Some(place)) = (str_of(p, "name"), str_of(p, "in")) else {
            self.problems.warn_at(
                self.file(),
                &p_at,
                "parameter without `name` or `in`; skipped",
            );
            return;
        };
        // Path parameters are in the path; header parameters are transport (token, user agent).
        if place != "query" {
            if !matches!(place, "path" | "header" | "cookie") {
                self.problems.warn_at(
                    self.file(),
                    &p_at,
                    format!("parameter `in: {place}` unknown; skipped"),
                );
            }
            return;
        }
        if o.params.iter().any(|q| q.name == name) {
            return;
        }
        let ty = match get(p, "schema") {
            Some(s) => self.ty(s, &child(&p_at, "schema"), name, 0),
            None => "string".to_string(),
        };
        self.point(pi, format!("param {key} {name}"), &p_at);
        o.params.push(RawParam {
            name: name.to_string(),
            ty: Some(ty),
            required: get(p, "required").and_then(Value::as_bool).unwrap_or(false),
            description: text(p),
        });
    }

    fn body(&mut self, pi: usize, key: &str, o: &mut RawOperation, body: &'a Value, at: &str) {
        let Some((body, at)) = self.doc.resolve(body, at, self.problems) else {
            return;
        };
        let content_at = child(&at, "content");
        let Some(content) = get(body, "content") else {
            self.problems.warn_at(
                self.file(),
                &at,
                "request body without content; no parameters read",
            );
            return;
        };
        let media = [
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/json",
        ]
        .into_iter()
        .find(|m| get(content, m).is_some());
        let Some(media) = media else {
            let kinds: Vec<&str> = entries(content).map(|(k, _)| k).collect();
            self.problems.warn_at(
                self.file(),
                &content_at,
                format!("request body media types {kinds:?} not read (form or JSON expected)"),
            );
            return;
        };
        let m_at = child(&content_at, media);
        o.body = match media {
            "application/json" => Some(BodyEncoding::Json),
            "application/x-www-form-urlencoded" => Some(BodyEncoding::Form),
            _ => {
                // A file upload: the spec's body encodings are form and JSON.
                self.problems.warn_at(
                    self.file(),
                    &m_at,
                    format!("`{key}` takes a multipart body (a file upload), which the spec cannot express (form or json); its parameters are recorded, no body encoding"),
                );
                None
            }
        };
        let Some(schema) = get(content, media).and_then(|m| get(m, "schema")) else {
            return;
        };
        let s_at = child(&m_at, "schema");
        let Some(props) = self.props(schema, &s_at) else {
            let resolved = self.doc.resolve(schema, &s_at, &mut Problems::default());
            let choice = resolved.and_then(|(s, _)| {
                ["oneOf", "anyOf"]
                    .into_iter()
                    .find_map(|k| get(s, k).and_then(Value::as_sequence).map(|v| (k, v)))
            });
            let what = match choice {
                // Named by its alternatives: a struct for the choice itself is never written.
                Some((k, alts)) => {
                    let names: Vec<&str> = alts
                        .iter()
                        .map(|a| {
                            str_of(a, "$ref")
                                .and_then(|r| r.rsplit('/').next())
                                .unwrap_or("an inline schema")
                        })
                        .collect();
                    format!("a choice (`{k}`) of {}", names.join(", "))
                }
                None => format!("`{}`", self.ty(schema, &s_at, "body", 0)),
            };
            self.problems.warn_at(
                self.file(),
                &s_at,
                format!("request body is {what}, not an object with properties (the members an operation's parameters are made of); no parameters read"),
            );
            return;
        };
        for (name, schema, p_at) in props.list {
            if o.params.iter().any(|q| q.name == name) {
                continue;
            }
            let ty = self.ty(schema, &p_at, &name, 0);
            self.point(pi, format!("param {key} {name}"), &p_at);
            o.params.push(RawParam {
                required: props.required.contains(&name),
                description: self.described(schema, &p_at),
                name: name.clone(),
                ty: Some(ty),
            });
            self.nested(pi, "param", key, &name, schema, &p_at, 1, &mut Vec::new());
        }
    }

    fn responses(
        &mut self,
        pi: usize,
        key: &str,
        o: &mut RawOperation,
        responses: &'a Value,
        at: &str,
    ) {
        for (status, r) in entries(responses) {
            let r_at = child(at, status);
            let Some((r, r_at)) = self.doc.resolve(r, &r_at, self.problems) else {
                continue;
            };
            if status.starts_with('2') {
                if o.returns.is_some() {
                    continue;
                }
                let Some((media, m)) = get(r, "content")
                    .into_iter()
                    .flat_map(entries)
                    .find(|(k, _)| k.contains("json"))
                else {
                    continue;
                };
                let Some(schema) = get(m, "schema") else {
                    continue;
                };
                let s_at = child(&child(&child(&r_at, "content"), media), "schema");
                o.returns = Some(self.shape(pi, o, schema, &s_at));
                // A node read returns the node: its schema's properties are the node's fields.
                let node_read = o.kind == Some(OpKind::Read) && self.pages[pi].doc.edge.is_none();
                if let Some(props) = self.props(schema, &s_at) {
                    for (name, schema, p_at) in props.list {
                        // A node read's attributes are the node's fields (their enums are the
                        // endpoint's); others are listed for the report only.
                        let sink = self.sink;
                        if !node_read {
                            self.sink = Sink::Discard;
                        }
                        let ty = self.ty(schema, &p_at, &name, 0);
                        self.sink = sink;
                        if node_read && !self.pages[pi].doc.fields.iter().any(|f| f.name == name) {
                            self.point(pi, format!("field {name}"), &p_at);
                            let description = self.described(schema, &p_at);
                            self.pages[pi].doc.fields.push(RawField {
                                name: name.clone(),
                                ty: Some(ty.clone()),
                                description,
                            });
                        }
                        let param = RawParam {
                            required: props.required.contains(&name),
                            description: self.described(schema, &p_at),
                            name: name.clone(),
                            ty: Some(ty),
                        };
                        self.push_nested(pi, "response", key, name.clone(), param, &p_at);
                        self.nested(
                            pi,
                            "response",
                            key,
                            &name,
                            schema,
                            &p_at,
                            1,
                            &mut Vec::new(),
                        );
                    }
                }
            } else {
                let mut codes = Vec::new();
                error_codes(r, 0, &mut codes);
                for (c, message) in codes {
                    if !o.errors.contains(&c) {
                        o.errors.push(c);
                    }
                    if self.pages[pi].doc.errors.get(&c).is_none() {
                        self.pages[pi].doc.errors.0.push((c, message));
                        self.point(pi, format!("error {c}"), &r_at);
                    }
                }
            }
        }
    }

    fn push_nested(
        &mut self,
        pi: usize,
        what: &'static str,
        key: &str,
        path: String,
        param: RawParam,
        at: &str,
    ) {
        let pg = &mut self.pages[pi];
        if pg
            .nested
            .iter()
            .any(|n| n.what == what && n.op == key && n.path == path)
        {
            return;
        }
        pg.nested.push(Nested {
            what,
            op: key.to_string(),
            path,
            param,
            line: 0,
            pointer: Some(at.to_string()),
        });
    }

    /// The attributes nested inside `schema` (at `at`, itself the attribute `prefix`).
    #[allow(clippy::too_many_arguments)]
    fn nested(
        &mut self,
        pi: usize,
        what: &'static str,
        key: &str,
        prefix: &str,
        schema: &'a Value,
        at: &str,
        depth: usize,
        stack: &mut Vec<String>,
    ) {
        if depth > MAX_DEPTH {
            self.problems.warn_at(
                self.file(),
                at,
                format!("attributes nested deeper than {MAX_DEPTH} levels not read"),
            );
            return;
        }
        let Some((s, s_at)) = self.doc.resolve(schema, at, self.problems) else {
            return;
        };
        // Lists nest their items' attributes under the list's name, as the pages print them.
        let (s, s_at) = match (str_of(s, "type"), get(s, "items")) {
            (Some("array"), Some(items)) => {
                match self
                    .doc
                    .resolve(items, &child(&s_at, "items"), self.problems)
                {
                    Some(r) => r,
                    None => return,
                }
            }
            _ => (s, s_at),
        };
        if stack.contains(&s_at) {
            return; // A recursive schema: its attributes are already listed above.
        }
        let Some(props) = self.props(s, &s_at) else {
            return;
        };
        stack.push(s_at);
        // Listed for the report only: the struct documents declare these members' enums.
        let sink = std::mem::replace(&mut self.sink, Sink::Discard);
        for (name, schema, p_at) in props.list {
            let ty = self.ty(schema, &p_at, &name, 0);
            let path = format!("{prefix}.{name}");
            let param = RawParam {
                required: props.required.contains(&name),
                description: self.described(schema, &p_at),
                name: name.clone(),
                ty: Some(ty),
            };
            self.push_nested(pi, what, key, path.clone(), param, &p_at);
            self.nested(pi, what, key, &path, schema, &p_at, depth + 1, stack);
        }
        self.sink = sink;
        stack.pop();
    }

    /// The return shape of a success schema, as the pages state it: the node for a node read,
    /// `list<Item>` for a page of nodes (`data` list beside `paging`/`summary`), `Struct
    /// {success: bool}` for an action, `Struct {id: numeric string}` for a create; else the
    /// schema's own type (a named struct).
    fn shape(&mut self, pi: usize, o: &RawOperation, schema: &'a Value, at: &str) -> String {
        // The schema's own type is named only when it is the shape: a node read's schema is
        // the node, a `{success}` or a page of nodes names no struct.
        let Some(props) = self.props(schema, at) else {
            return self.ty(schema, at, "response", 0);
        };
        let names: Vec<&str> = props.list.iter().map(|(n, _, _)| n.as_str()).collect();
        let node_read = o.kind == Some(OpKind::Read) && self.pages[pi].doc.edge.is_none();
        if node_read {
            return self.pages[pi].doc.node.clone();
        }
        match names.as_slice() {
            ["success"] => return "Struct {success: bool}".into(),
            ["id"] => return "Struct {id: numeric string}".into(),
            _ => {}
        }
        let paged = names.contains(&"data")
            && names
                .iter()
                .all(|n| matches!(*n, "data" | "paging" | "summary"));
        if paged && let Some((_, data, d_at)) = props.list.iter().find(|(n, _, _)| n == "data") {
            let ty = self.ty(data, d_at, "data", 0);
            if ty.starts_with("list<") {
                return ty;
            }
        }
        self.ty(schema, at, "response", 0)
    }

    /// The properties of an object schema, `allOf` parts merged; `None` when not an object.
    fn props(&mut self, schema: &'a Value, at: &str) -> Option<Props<'a>> {
        self.props_at(schema, at, 0)
    }

    fn props_at(&mut self, schema: &'a Value, at: &str, depth: usize) -> Option<Props<'a>> {
        if depth > MAX_DEPTH {
            self.problems.warn_at(
                self.file(),
                at,
                "`allOf` nested too deep (a cycle?); not read further",
            );
            return None;
        }
        let (s, s_at) = self.doc.resolve(schema, at, self.problems)?;
        let mut out = Props {
            list: Vec::new(),
            required: Vec::new(),
        };
        let mut any = false;
        if let Some(parts) = get(s, "allOf").and_then(Value::as_sequence) {
            for (i, part) in parts.iter().enumerate() {
                let part_at = child(&child(&s_at, "allOf"), &i.to_string());
                if let Some(p) = self.props_at(part, &part_at, depth + 1) {
                    any = true;
                    for item in p.list {
                        if !out.list.iter().any(|(n, _, _)| *n == item.0) {
                            out.list.push(item);
                        }
                    }
                    out.required.extend(p.required);
                }
            }
        }
        if let Some(props) = get(s, "properties") {
            any = true;
            let p_at = child(&s_at, "properties");
            for (name, v) in entries(props) {
                if !out.list.iter().any(|(n, _, _)| n == name) {
                    out.list.push((name.to_string(), v, child(&p_at, name)));
                }
            }
        }
        if let Some(req) = get(s, "required").and_then(Value::as_sequence) {
            out.required
                .extend(req.iter().filter_map(Value::as_str).map(str::to_string));
        }
        any.then_some(out)
    }

    fn described(&mut self, schema: &'a Value, at: &str) -> Option<String> {
        text(schema).or_else(|| {
            let (s, _) = self.doc.resolve(schema, at, &mut Problems::default())?;
            text(s)
        })
    }

    /// `schema` in the spec's type grammar: a named object schema by its name (a node's
    /// schema by the node's name), an inline object by the name [`Reader::inline_name`] derives
    /// from its pointer (both recorded as struct documents), `additionalProperties` as
    /// `map<string, T>`, a mixed `oneOf`/`anyOf` as a struct of alternatives, an inline enum as
    /// `enum Owner` (values recorded), an untyped `type: object` as `json`.
    fn ty(&mut self, schema: &'a Value, at: &str, owner: &str, depth: usize) -> String {
        if depth > MAX_DEPTH {
            self.problems
                .warn_at(self.file(), at, "type nested too deep; typed json");
            return "json".into();
        }
        if let Some(r) = str_of(schema, "$ref") {
            let Some((target, t_at)) = self.doc.resolve(schema, at, self.problems) else {
                return "json".into();
            };
            let Some(name) = self.doc.schema_name(r, self.problems) else {
                return self.ty(target, &t_at, owner, depth + 1);
            };
            if let Some(node) = self.nodes.get(&name) {
                return node.clone();
            }
            if get(target, "enum").is_some() {
                return self.enumeration(&upper_camel(&name), target, &t_at);
            }
            if is_struct(target) {
                let canon = child("/components/schemas", &name);
                return self.structure(upper_camel(&name), target, &canon);
            }
            return self.ty(target, &t_at, owner, depth + 1);
        }
        if get(schema, "enum").is_some() {
            return self.enumeration(&self.enum_name(at, owner), schema, at);
        }
        for alt in ["oneOf", "anyOf"] {
            if let Some(vs) = get(schema, alt).and_then(Value::as_sequence) {
                let a_at = child(at, alt);
                let tys: Vec<String> = vs
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.ty(v, &child(&a_at, &i.to_string()), owner, depth + 1))
                    .filter(|t| t != "null")
                    .collect();
                return match tys.split_first() {
                    Some((first, rest)) if rest.iter().all(|t| t == first) => first.clone(),
                    None => "json".into(),
                    _ => {
                        match self.inline_name(at) {
                            Some(name) => self.structure(name, schema, at),
                            None => {
                                self.problems.warn_at(self.file(), &a_at, format!("`{alt}` of {tys:?} has no place to be named from; typed json"));
                                "json".into()
                            }
                        }
                    }
                };
            }
        }
        if let Some(parts) = get(schema, "allOf").and_then(Value::as_sequence) {
            if let [one] = parts.as_slice() {
                return self.ty(one, &child(&child(at, "allOf"), "0"), owner, depth + 1);
            }
            if self.props(schema, at).is_some()
                && let Some(name) = self.inline_name(at)
            {
                return self.structure(name, schema, at);
            }
            self.problems.warn_at(
                self.file(),
                at,
                "`allOf` of parts without properties cannot be expressed by the spec's types; typed json",
            );
            return "json".into();
        }
        // OpenAPI 3.1 allows `type: [string, "null"]`: the non-null type.
        let kind = match get(schema, "type") {
            Some(Value::String(s)) => Some(s.as_str()),
            Some(Value::Sequence(ts)) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
            _ => None,
        };
        let format = str_of(schema, "format");
        match kind {
            Some("string") => match format {
                Some("date-time") => "datetime".into(),
                _ => "string".into(),
            },
            Some("integer") => match format {
                Some("int64") => "int64".into(),
                _ => "int".into(),
            },
            Some("number") => "float".into(),
            Some("boolean") => "bool".into(),
            Some("null") => "null".into(),
            Some("array") => match get(schema, "items") {
                Some(items) => format!(
                    "list<{}>",
                    self.ty(items, &child(at, "items"), owner, depth + 1)
                ),
                None => "list<json>".into(),
            },
            Some("object") | None if get(schema, "properties").is_some() => {
                if get(schema, "additionalProperties").is_some_and(|a| a.as_bool() != Some(false)) {
                    self.problems.warn_at(self.file(), &child(at, "additionalProperties"), "`additionalProperties` beside `properties` cannot be expressed by a struct; only the properties are kept");
                }
                match self.inline_name(at) {
                    Some(name) => self.structure(name, schema, at),
                    None => {
                        self.problems.warn_at(
                            self.file(),
                            at,
                            "an inline object here has no place to be named from; typed json",
                        );
                        "json".into()
                    }
                }
            }
            Some("object") | None => match get(schema, "additionalProperties") {
                Some(Value::Bool(true)) => "map<string, json>".into(),
                Some(Value::Mapping(m)) if m.is_empty() => "map<string, json>".into(),
                Some(v @ Value::Mapping(_)) => format!(
                    "map<string, {}>",
                    self.ty(v, &child(at, "additionalProperties"), owner, depth + 1)
                ),
                // `type: object` and nothing more: the document leaves it untyped.
                _ => "json".into(),
            },
            Some(other) => {
                self.problems.warn_at(
                    self.file(),
                    at,
                    format!("unknown schema type `{other}`; typed json"),
                );
                "json".into()
            }
        }
    }

    /// The struct `name` for the object (or `oneOf`) schema at `at`, recorded on first sight and
    /// read later ([`Reader::build_structs`]). One schema has one name; another schema under a
    /// name already taken gets the next free `{name}{n}`, reported with both pointers.
    fn structure(&mut self, name: String, schema: &'a Value, at: &str) -> String {
        if let Some(s) = self.structs.iter().find(|s| s.at == at) {
            return s.doc.name.clone();
        }
        // A type name is one UpperCamel word (`_` or `1x` as a schema name gives none).
        if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
            self.problems.warn_at(
                self.file(),
                at,
                format!(
                    "no type name derives from `{name}` (an UpperCamel word is needed); typed json"
                ),
            );
            return "json".into();
        }
        let mut candidate = name.clone();
        let mut n = 1;
        loop {
            let taken = self.structs.iter().find(|s| s.doc.name == candidate);
            match taken {
                None if !self.node_names.contains(&candidate) => break,
                // The same inline object printed twice (one name, equal schemas): one struct.
                Some(s) if s.schema == schema => return candidate,
                other => {
                    n += 1;
                    let next = format!("{name}{n}");
                    let first = other.map_or_else(
                        || format!("the node `{candidate}`"),
                        |s| format!("the differing schema at #{}", s.at),
                    );
                    self.problems.warn_at(
                        self.file(),
                        at,
                        format!("struct name `{candidate}` is taken by {first}; this schema is named `{next}`"),
                    );
                    candidate = next;
                }
            }
        }
        let source = format!(
            "{}#{at}",
            self.file()
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        );
        self.structs.push(Pending {
            doc: StructDoc {
                name: candidate.clone(),
                sources: vec![source],
                ..StructDoc::default()
            },
            schema,
            at: at.to_string(),
            pointers: HashMap::new(),
            done: false,
        });
        candidate
    }

    /// The name of an inline object, from its pointer: the place it hangs from (a component
    /// schema's struct or node name; an operation's node and edge, then `Create`/`Update`/
    /// `Delete` for its request body, that or `Read` + `Response` for its response, nothing
    /// for a node read's response (it is the node); a parameter's name; a component response
    /// or request body by its name) followed by each property on the way in UpperCamel; a list's items take the singular of the list's name (`Item` when the list
    /// has none), a map's values `Value`, the n-th alternative of a `oneOf`/`anyOf` `Option{n}`.
    /// `None` for a place no name derives from (a parameter's schema: its owner names it).
    fn inline_name(&self, at: &str) -> Option<String> {
        let segs: Vec<String> = at.split('/').skip(1).map(unescape).collect();
        let seg = |i: usize| segs.get(i).map(String::as_str);
        let (mut words, rest): (Vec<String>, usize) = match (seg(0), seg(1)) {
            (Some("components"), Some("schemas")) => {
                let name = seg(2)?;
                let canon = self.doc.canonical(name);
                let base = self
                    .nodes
                    .get(&canon)
                    .cloned()
                    .unwrap_or_else(|| upper_camel(&canon));
                (vec![base], 3)
            }
            (Some("components"), Some("responses" | "requestBodies")) => {
                (vec![upper_camel(seg(2)?)], 3)
            }
            (Some("paths"), Some(path)) => {
                let node = page::node_of_path(path)?;
                let edge = page::path_segments(path).nth(1).map(upper_camel);
                let mut w = vec![node];
                w.extend(edge);
                let method = seg(2)?;
                let on_edge = page::path_segments(path).nth(1).is_some();
                let kind = page::kind_of(method, on_edge);
                let word = upper_camel(kind.as_str());
                match seg(3) {
                    Some("requestBody") => w.push(word),
                    // A node read's response is the node.
                    Some("responses") if kind == OpKind::Read && !on_edge => {}
                    Some("responses") => w.push(format!("{word}Response")),
                    Some("parameters") => {
                        let p = self.doc.at(&format!(
                            "/paths/{}/{method}/parameters/{}",
                            escape(path),
                            seg(4)?
                        ))?;
                        let p = self.doc.resolve(p, at, &mut Problems::default())?.0;
                        w.push(upper_camel(str_of(p, "name")?));
                    }
                    _ => return None,
                }
                (w, 4)
            }
            _ => return None,
        };
        let mut last: Option<String> = None;
        let mut i = rest;
        while i < segs.len() {
            match segs[i].as_str() {
                "properties" => {
                    let p = segs.get(i + 1)?;
                    words.push(upper_camel(p));
                    last = Some(p.clone());
                    i += 2;
                }
                "items" => {
                    match last.take() {
                        Some(p) => {
                            words.pop();
                            words.push(upper_camel(&singular(&p)));
                        }
                        None => words.push("Item".into()),
                    }
                    i += 1;
                }
                "additionalProperties" => {
                    words.push("Value".into());
                    last = None;
                    i += 1;
                }
                "oneOf" | "anyOf" => {
                    let n: usize = segs.get(i + 1)?.parse().ok()?;
                    words.push(format!("Option{}", n.saturating_add(1)));
                    last = None;
                    i += 2;
                }
                "allOf" => i += 2,
                // `content/{media}/schema`, `{status}`, `schema`: no word.
                _ => i += 1,
            }
        }
        Some(words.concat())
    }

    /// The name of an inline enum at `at` used by `owner`: the owner's name, prefixed with the
    /// component schema that holds it (`CallingSettingsResponse` + `status`), since the
    /// document's schemas reuse property names (`status`) for unrelated value sets; inside an
    /// inline object, prefixed with that object's struct name. An operation's own parameters
    /// keep the owner's name alone, as the pages name them.
    fn enum_name(&self, at: &str, owner: &str) -> String {
        let component = at
            .strip_prefix("/components/schemas/")
            .and_then(|r| r.split('/').next())
            .map(unescape);
        if let Some(h) = component {
            return upper_camel(&format!("{h}_{owner}"));
        }
        let holder = member_of(at)
            .filter(|p| p.contains("/properties/"))
            .and_then(|p| self.inline_name(p));
        match holder {
            Some(h) => format!("{h}{}", upper_camel(owner)),
            None => upper_camel(owner),
        }
    }

    /// Reads every struct recorded so far, and those their members name, transitively.
    fn build_structs(&mut self) {
        while let Some(i) = self.structs.iter().position(|s| !s.done) {
            self.structs[i].done = true;
            let (schema, at) = (self.structs[i].schema, self.structs[i].at.clone());
            let saved = std::mem::replace(&mut self.sink, Sink::Struct(i));
            let description = self.described(schema, &at);
            let (s, s_at) = self
                .doc
                .resolve(schema, &at, self.problems)
                .unwrap_or((schema, at.clone()));
            let mut one_of = Vec::new();
            let mut discriminator = None;
            for alt in ["oneOf", "anyOf"] {
                let Some(vs) = get(s, alt).and_then(Value::as_sequence) else {
                    continue;
                };
                let a_at = child(&s_at, alt);
                let d = get(s, "discriminator");
                discriminator = d
                    .and_then(|d| str_of(d, "propertyName"))
                    .map(str::to_string);
                let mapping: Vec<(&str, &str)> = d
                    .and_then(|d| get(d, "mapping"))
                    .into_iter()
                    .flat_map(entries)
                    .filter_map(|(k, v)| Some((k, v.as_str()?)))
                    .collect();
                for (n, v) in vs.iter().enumerate() {
                    let ty = self.ty(v, &child(&a_at, &n.to_string()), "option", 0);
                    if ty == "null" {
                        continue;
                    }
                    // The tag: the mapping's key for this `$ref`, else (OpenAPI's default) the
                    // schema's name when a discriminator is declared.
                    let tag = str_of(v, "$ref").and_then(|r| {
                        mapping
                            .iter()
                            .find(|(_, m)| *m == r)
                            .map(|(k, _)| k.to_string())
                            .or_else(|| {
                                discriminator
                                    .as_ref()
                                    .and(r.rsplit('/').next().map(str::to_string))
                            })
                    });
                    if tag.is_none() && discriminator.is_some() {
                        self.problems.warn_at(
                            self.file(),
                            &child(&a_at, &n.to_string()),
                            format!("alternative `{ty}` has no `discriminator` value (neither a `mapping` entry nor a named schema); it can only be told apart by its shape"),
                        );
                    }
                    one_of.push(RawAlternative { ty, tag });
                }
                break;
            }
            let mut fields = Vec::new();
            if let Some(props) = self.props(schema, &at) {
                if !one_of.is_empty() {
                    self.problems.warn_at(
                        self.file(),
                        &s_at,
                        "properties beside `oneOf`/`anyOf` cannot be expressed (a struct has fields or alternatives); the alternatives are kept",
                    );
                } else {
                    for (name, v, p_at) in props.list {
                        let ty = self.ty(v, &p_at, &name, 0);
                        fields.push(RawParam {
                            required: props.required.contains(&name),
                            description: self.described(v, &p_at),
                            name,
                            ty: Some(ty),
                        });
                    }
                }
            }
            let doc = &mut self.structs[i].doc;
            doc.description = description;
            doc.fields = fields;
            doc.one_of = one_of;
            doc.discriminator = discriminator;
            self.sink = saved;
        }
    }

    /// Records the enum `name` (values of `schema`) where the type being read is declared (the
    /// endpoint's document, or the struct being read), and returns its type.
    fn enumeration(&mut self, name: &str, schema: &Value, at: &str) -> String {
        let values: Vec<String> = get(schema, "enum")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            })
            .collect();
        let (enums, pointers) = match self.sink {
            Sink::Discard => return format!("enum {name}"),
            Sink::Page(pi) => match self.pages.get_mut(pi) {
                Some(pg) => (&mut pg.doc.enums, &mut pg.pointers),
                None => return format!("enum {name}"),
            },
            Sink::Struct(i) => match self.structs.get_mut(i) {
                Some(s) => (&mut s.doc.enums, &mut s.pointers),
                None => return format!("enum {name}"),
            },
        };
        match enums.0.iter().find(|(n, _)| n == name) {
            Some((_, old)) if *old != values => {
                let first = pointers
                    .get(&format!("enum {name}"))
                    .cloned()
                    .unwrap_or_default();
                self.problems.warn_at(
                    self.doc.file,
                    at,
                    format!("enum `{name}` has other values at #{first}; the first are kept"),
                );
            }
            Some(_) => {}
            None => {
                enums.0.push((name.to_string(), values));
                pointers.insert(format!("enum {name}"), at.to_string());
            }
        }
        format!("enum {name}")
    }
}

/// The pointer of the object whose member is at `at` (`…/properties/m`, `…/properties/m/items`
/// → `…`).
fn member_of(at: &str) -> Option<&str> {
    let mut p = at;
    while let Some(rest) = p.strip_suffix("/items") {
        p = rest;
    }
    let (parent, _) = p.rsplit_once('/')?;
    parent.strip_suffix("/properties")
}

/// A description, trimmed; `None` when empty.
fn text(v: &Value) -> Option<String> {
    str_of(v, "description")
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|d| !d.is_empty())
}

/// Graph error codes an error response's examples show (`error: {code: N, message: …}`), each
/// with the example's message as its description.
fn error_codes(v: &Value, depth: usize, out: &mut Vec<(i64, String)>) {
    if depth > MAX_DEPTH * 2 {
        return;
    }
    match v {
        Value::Mapping(m) => {
            let error = m.get("error");
            if let Some(c) = error.and_then(|e| get(e, "code")).and_then(Value::as_i64)
                && !out.iter().any(|(k, _)| *k == c)
            {
                let message = error.and_then(|e| str_of(e, "message")).unwrap_or_default();
                out.push((c, message.trim().to_string()));
            }
            for (k, v) in m {
                if k.as_str() != Some("schema") {
                    error_codes(v, depth + 1, out);
                }
            }
        }
        Value::Sequence(s) => s.iter().for_each(|v| error_codes(v, depth + 1, out)),
        _ => {}
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The reader's fixture (also the fuzzer's seed).
    pub(in super::super) const DOC: &str = include_str!("../../tests/fixtures/openapi/mini.yaml");

    fn read_doc(src: &str, filter: &PathFilter) -> (Read, Vec<String>) {
        let mut p = Problems::default();
        let r = read(Path::new("api.yaml"), src, filter, &mut p);
        (r, p.0.iter().map(ToString::to_string).collect())
    }

    fn filter() -> PathFilter {
        PathFilter {
            include: vec!["/{Version}/**".into()],
            exclude: vec!["**/skipped".into()],
        }
    }

    #[test]
    fn globs_match_segments() {
        let f = filter();
        assert!(f.keeps("/{Version}/{WABA-ID}/things"));
        assert!(!f.keeps("/{Version}/{WABA-ID}/skipped"));
        assert!(!f.keeps("/whatsapp/webhooks"));
        let g = PathFilter {
            include: vec![],
            exclude: vec!["/{Version}/{Flow-ID}/**".into(), "**/x/*".into()],
        };
        assert!(!g.keeps("/{Version}/{Flow-ID}"));
        assert!(!g.keeps("/{Version}/{Flow-ID}/assets"));
        assert!(!g.keeps("/a/x/b"));
        assert!(g.keeps("/a/x"));
    }

    #[test]
    fn operations_become_page_documents() {
        let (r, problems) = read_doc(DOC, &filter());
        assert_eq!((r.kept, r.excluded), (3, 1));
        // `{WABA-ID}` and `{WhatsApp-Business-Account-ID}` are one node.
        let places: Vec<(&str, Option<&str>)> = r
            .pages
            .iter()
            .map(|p| (p.doc.node.as_str(), p.doc.edge.as_deref()))
            .collect();
        assert_eq!(
            places,
            [
                ("WhatsAppBusinessAccount", Some("things")),
                ("WhatsAppBusinessAccount", None)
            ]
        );
        let things = &r.pages[0];
        assert_eq!(things.doc.title.as_deref(), Some("List things"));
        assert_eq!(things.version.as_ref().map(|v| v.0.as_str()), Some("v23.0"));
        let facts = super::super::facts::render(&super::super::facts::of_page(things));
        let want = "\
endpoint WhatsAppBusinessAccount.things = List things
version WhatsAppBusinessAccount.things = v23.0
op GET /{whats_app_business_account_id}/things = read
param GET /{whats_app_business_account_id}/things limit = int
param GET /{whats_app_business_account_id}/things sort = enum Sort
returns GET /{whats_app_business_account_id}/things = list<Thing>
error-code GET /{whats_app_business_account_id}/things 100
op POST /{whats_app_business_account_id}/things = create
param POST /{whats_app_business_account_id}/things kind = enum BaseKind
param POST /{whats_app_business_account_id}/things name = string, required
param POST /{whats_app_business_account_id}/things count = int64
param POST /{whats_app_business_account_id}/things when = datetime
param POST /{whats_app_business_account_id}/things either = string
param POST /{whats_app_business_account_id}/things mixed = WhatsAppBusinessAccountThingsCreateMixed
returns POST /{whats_app_business_account_id}/things = Struct {id: numeric string}
enum Sort = a.asc, a.desc
enum BaseKind = X, Y
response GET /{whats_app_business_account_id}/things data = list<Thing>
response GET /{whats_app_business_account_id}/things data.id = string, required
response GET /{whats_app_business_account_id}/things data.tags = map<string, string>
response POST /{whats_app_business_account_id}/things id = string
";
        assert_eq!(facts, want);
        // Facts are located by JSON pointer.
        let located = super::super::facts::of_page(things);
        let param = located
            .iter()
            .find(|f| f.key.ends_with("things name"))
            .unwrap();
        assert_eq!(
            param.at.to_string(),
            "api.yaml#/paths/~1{Version}~1{WABA-ID}~1things/post/requestBody/content/application~1x-www-form-urlencoded/schema/allOf/1/properties/name"
        );
        assert_eq!(
            things.doc.operations[1].params[1].description.as_deref(),
            Some("The name.")
        );
        let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
        assert!(
            has("~1{Unknown-ID}/get: warning: path starts with `{Unknown-ID}`"),
            "{problems:#?}"
        );
        // Maps, mixed `oneOf`s and JSON bodies are expressible now: no warning.
        assert!(!has("cannot be expressed"), "{problems:#?}");
        assert!(!has("JSON"), "{problems:#?}");
        // A choice whose inline alternative has no discriminator value says so.
        assert!(
            has(
                "#/components/schemas/Pet/oneOf/1: warning: alternative `PetOption2` has no `discriminator` value"
            ),
            "{problems:#?}"
        );
        // The form body is marked form, the JSON body json.
        assert_eq!(things.doc.operations[1].body, Some(BodyEncoding::Form));
        assert_eq!(r.pages[1].doc.operations[0].body, Some(BodyEncoding::Json));
        assert_eq!(things.doc.operations[0].body, None);
        // The identical `Things_1` collapsed into `Things` without a report.
        assert!(!has("Things_1"));
    }

    #[test]
    fn recursive_schemas_end_and_node_reads_give_fields() {
        let (r, _) = read_doc(DOC, &filter());
        let node = &r.pages[1];
        let nested: Vec<&str> = node.nested.iter().map(|n| n.path.as_str()).collect();
        assert_eq!(nested, ["loop.next", "loop.n", "success"]);
        // The recursive struct names itself; the choice names its alternatives (an inline one
        // by its place) and their tags.
        let get = |n: &str| r.structs.iter().find(|s| s.name == n);
        assert_eq!(
            get("Loop").map(|s| s.fields[0].ty.as_deref()),
            Some(Some("Loop"))
        );
        let pet = get("Pet").expect("Pet");
        let alts: Vec<(&str, Option<&str>)> = pet
            .one_of
            .iter()
            .map(|a| (a.ty.as_str(), a.tag.as_deref()))
            .collect();
        assert_eq!(alts, [("Loop", Some("loop")), ("PetOption2", None)]);
        let option = get("PetOption2").expect("inline alternative");
        assert_eq!(option.fields[1].ty.as_deref(), Some("map<string, json>"));
        assert_eq!(option.enums.0[0].0, "PetKind");
        // An action on a node returns `{success}`.
        assert_eq!(
            node.doc.operations[0].returns.as_deref(),
            Some("Struct {success: bool}")
        );
        let get = DOC.replace(
            "    post:\n      summary: Update the account",
            "    get:\n      summary: Read the account",
        );
        let (r, _) = read_doc(&get, &filter());
        let fields: Vec<&str> = r.pages[1]
            .doc
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(fields, ["success"]);
        // A node read returns the node.
        assert_eq!(
            r.pages[1].doc.operations[0].returns.as_deref(),
            Some("WhatsAppBusinessAccount")
        );
    }

    /// Object schemas the kept operations reach become struct documents.
    const STRUCTS: &str = r#"
openapi: 3.1.0
info: {version: v23.0}
paths:
  /{Version}/{Phone-Number-ID}:
    get:
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/PhoneNode'}}}}
  /{Version}/{WABA-ID}/things:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                owner: {$ref: '#/components/schemas/PhoneNode'}
                backup: {$ref: '#/components/schemas/Backup_1'}
                other: {$ref: '#/components/schemas/Other_1'}
                components:
                  type: array
                  items:
                    type: object
                    properties:
                      kind: {type: string, enum: [HEADER, BODY]}
                      example: {type: object, properties: {text: {type: string}}}
                labels: {type: object, additionalProperties: {$ref: '#/components/schemas/Backup'}}
                extra: {type: object}
                pet: {$ref: '#/components/schemas/Pet'}
                tree: {$ref: '#/components/schemas/Tree'}
      responses:
        '200':
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}, made: {type: boolean}}}
  /{Version}/{WABA-ID}/lists:
    get:
      responses:
        '200': {content: {application/json: {schema: {type: object, properties: {data: {type: array, items: {$ref: '#/components/schemas/Backup'}}, paging: {$ref: '#/components/schemas/Paging'}}}}}}
  /{Version}/{WABA-ID}/uploads:
    post:
      requestBody: {content: {multipart/form-data: {schema: {type: object, properties: {file: {type: string}}}}}}
      responses: {}
components:
  schemas:
    PhoneNode: {type: object, properties: {id: {type: string}}}
    Backup: {type: object, required: [password], properties: {password: {type: string, description: Secret.}}}
    Backup_1: {type: object, required: [password], properties: {password: {type: string, description: Secret.}}}
    Other: {type: object, properties: {a: {type: string}}}
    Other_1: {type: object, properties: {a: {type: integer}}}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: type, mapping: {cat: '#/components/schemas/Cat'}}
    Cat: {type: object, properties: {type: {type: string}, lives: {type: integer}}}
    Dog: {type: object, properties: {type: {type: string}}}
    Tree: {type: object, properties: {children: {type: array, items: {$ref: '#/components/schemas/Tree'}}}}
    Paging: {type: object, properties: {next: {type: string}}}
"#;

    #[test]
    fn object_schemas_become_struct_documents() {
        let (r, problems) = read_doc(STRUCTS, &PathFilter::default());
        let mut names: Vec<&str> = r.structs.iter().map(|s| s.name.as_str()).collect();
        names.sort_unstable();
        // Named schemas keep their name (`Backup_1` is `Backup`); inline ones are named from
        // their place; the node read's schema is the node, never a struct; `Paging` (beside a
        // page's `data`) is named by no written document, so it is not written.
        assert_eq!(
            names,
            [
                "Backup",
                "Cat",
                "Dog",
                "Other1",
                "Pet",
                "Tree",
                "WhatsAppBusinessAccountThingsCreateComponent",
                "WhatsAppBusinessAccountThingsCreateComponentExample",
                "WhatsAppBusinessAccountThingsCreateResponse",
            ],
            "{problems:#?}"
        );
        let op = &r.pages[1].doc.operations[0];
        let ty = |n: &str| {
            op.params
                .iter()
                .find(|p| p.name == n)
                .and_then(|p| p.ty.clone())
                .unwrap()
        };
        assert_eq!(ty("owner"), "WhatsAppBusinessPhoneNumber");
        assert_eq!(ty("backup"), "Backup");
        assert_eq!(ty("other"), "Other1");
        assert_eq!(
            ty("components"),
            "list<WhatsAppBusinessAccountThingsCreateComponent>"
        );
        assert_eq!(ty("labels"), "map<string, Backup>");
        // `type: object` and nothing more: untyped in the document.
        assert_eq!(ty("extra"), "json");
        assert_eq!(op.body, Some(BodyEncoding::Json));
        assert_eq!(
            op.returns.as_deref(),
            Some("WhatsAppBusinessAccountThingsCreateResponse")
        );
        let get = |n: &str| r.structs.iter().find(|s| s.name == n).unwrap();
        let backup = get("Backup");
        assert_eq!(backup.fields.len(), 1);
        assert!(backup.fields[0].required);
        assert_eq!(backup.fields[0].description.as_deref(), Some("Secret."));
        assert_eq!(backup.sources, ["api.yaml#/components/schemas/Backup"]);
        // Inline enums live in the struct that declares them; nested objects are structs too.
        let component = get("WhatsAppBusinessAccountThingsCreateComponent");
        let fields: Vec<(&str, Option<&str>)> = component
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.ty.as_deref()))
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "kind",
                    Some("enum WhatsAppBusinessAccountThingsCreateComponentKind")
                ),
                (
                    "example",
                    Some("WhatsAppBusinessAccountThingsCreateComponentExample")
                )
            ]
        );
        assert_eq!(
            component.enums.0,
            [(
                "WhatsAppBusinessAccountThingsCreateComponentKind".to_string(),
                vec!["HEADER".to_string(), "BODY".to_string()]
            )]
        );
        // Declared by the struct only, not also by the endpoint document.
        assert!(
            r.pages[1].doc.enums.is_empty(),
            "{:?}",
            r.pages[1].doc.enums
        );
        // oneOf: alternatives, the discriminator, tags from the mapping or the schema name.
        let pet = get("Pet");
        assert_eq!(pet.discriminator.as_deref(), Some("type"));
        let alts: Vec<(&str, Option<&str>)> = pet
            .one_of
            .iter()
            .map(|a| (a.ty.as_str(), a.tag.as_deref()))
            .collect();
        assert_eq!(alts, [("Cat", Some("cat")), ("Dog", Some("Dog"))]);
        assert!(pet.fields.is_empty());
        // A cycle ends: the struct names itself.
        assert_eq!(get("Tree").fields[0].ty.as_deref(), Some("list<Tree>"));
        let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
        // The differing duplicate is reported with both pointers, once.
        assert!(
            has(
                "#/components/schemas/Other_1: warning: schema `Other_1` differs from `Other` (#/components/schemas/Other)"
            ),
            "{problems:#?}"
        );
        assert_eq!(problems.iter().filter(|p| p.contains("Other_1")).count(), 1);
        assert!(!has("Backup_1"));
        // A file upload cannot be said; located.
        assert!(has(
            "~1uploads/post/requestBody/content/multipart~1form-data: warning: `POST /{whats_app_business_account_id}/uploads` takes a multipart body"
        ));
        assert_eq!(
            r.pages[2].doc.operations[0].returns.as_deref(),
            Some("list<Backup>")
        );
        assert_eq!(r.pages[3].doc.operations[0].body, None);
    }

    #[test]
    fn a_struct_name_taken_by_another_schema_is_numbered_and_reported() {
        // Edge `a` + member `create_x` and edge `a_create` + member `x` give one name.
        let op = |m: &str, y: &str| {
            format!(
                "    post:\n      requestBody: {{content: {{application/json: {{schema: {{type: object, properties: {{{m}: {{type: object, properties: {{{y}: {{type: string}}}}}}}}}}}}}}}}\n      responses: {{}}\n"
            )
        };
        let src = format!(
            "openapi: 3.1.0\ninfo: {{version: v23.0}}\npaths:\n  /{{Version}}/{{WABA-ID}}/a:\n{}  /{{Version}}/{{WABA-ID}}/a_create:\n{}",
            op("create_x", "p"),
            op("x", "q")
        );
        let (r, problems) = read_doc(&src, &PathFilter::default());
        let names: Vec<&str> = r.structs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "WhatsAppBusinessAccountACreateCreateX",
                "WhatsAppBusinessAccountACreateCreateX2"
            ],
            "{problems:#?}"
        );
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].starts_with("api.yaml#/paths/~1{Version}~1{WABA-ID}~1a_create/post/requestBody/content/application~1json/schema/properties/x: warning: struct name `WhatsAppBusinessAccountACreateCreateX` is taken by the differing schema at #/paths/~1{Version}~1{WABA-ID}~1a/post/"), "{problems:#?}");
    }

    #[test]
    fn a_schema_name_that_gives_no_type_name_is_json_with_a_warning() {
        let src = "openapi: 3.1.0\ninfo: {version: v23.0}\npaths:\n  /{Version}/{WABA-ID}/x:\n    post:\n      requestBody: {content: {application/json: {schema: {type: object, properties: {a: {$ref: '#/components/schemas/_'}}}}}}\n      responses: {}\ncomponents: {schemas: {_: {type: object, properties: {b: {type: string}}}}}\n";
        let (r, problems) = read_doc(src, &PathFilter::default());
        assert!(r.structs.is_empty());
        assert_eq!(
            r.pages[0].doc.operations[0].params[0].ty.as_deref(),
            Some("json")
        );
        assert!(
            problems[0].starts_with(
                "api.yaml#/components/schemas/_: warning: no type name derives from ``"
            ),
            "{problems:?}"
        );
    }

    #[test]
    fn bad_documents_are_located_errors() {
        for (src, want) in [
            ("a: [", "api.yaml:2: error: not a YAML/JSON document"),
            (
                "openapi: 2.0\n",
                "api.yaml#/openapi: error: not an OpenAPI 3 document",
            ),
            (
                "openapi: 3.1.0\ninfo: {version: v1}\n",
                "api.yaml#/paths: error: document has no paths",
            ),
        ] {
            let (r, problems) = read_doc(src, &PathFilter::default());
            assert!(r.pages.is_empty());
            assert!(
                problems.iter().any(|p| p.starts_with(want)),
                "{src}: {problems:?}"
            );
        }
        let weird = "openapi: 3.1.0\ninfo: {version: v23.0}\npaths:\n  /{Version}/{WABA-ID}/x:\n    get:\n      parameters: [{$ref: '#/nope'}, {in: query}, 7]\n      requestBody: {$ref: '#/paths'}\n      responses: {'200': {content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}}\ncomponents: {schemas: {A: {$ref: '#/components/schemas/A'}}}\n";
        let (r, problems) = read_doc(weird, &PathFilter::default());
        assert_eq!(r.kept, 1);
        assert!(
            problems.iter().any(|p| p.contains("#/nope names nothing")),
            "{problems:?}"
        );
        assert!(problems.iter().any(|p| p.contains("`$ref` cycle")));
    }

    /// Meta's document: the 72 management operations, none placed twice, no errors.
    #[test]
    fn metas_document_gives_the_management_operations() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/openapi");
        let file = dir.join("business-messaging-api_v23.0.yaml");
        if !file.is_file() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{} is missing (CI=true)",
                file.display()
            );
            return;
        }
        let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/sources.yaml");
        let mut p = Problems::default();
        let sources = super::super::fetch::load(&spec, &mut p).unwrap().1;
        let s = &sources.openapi[0];
        let filter = PathFilter {
            include: s.include.clone(),
            exclude: s.exclude.clone(),
        };
        let src = std::fs::read_to_string(&file).unwrap();
        let r = read(&file, &src, &filter, &mut p);
        assert!(!p.has_errors(), "{:?}", p.0);
        assert_eq!((r.kept, r.excluded), (72, 41));
        let ops: usize = r.pages.iter().map(|p| p.doc.operations.len()).sum();
        assert_eq!(ops, 72);
        // Every type name the documents and structs use is a node or a struct written here,
        // and every struct written is used.
        let nodes: BTreeSet<&str> = r.pages.iter().map(|p| p.doc.node.as_str()).collect();
        let structs: BTreeSet<&str> = r.structs.iter().map(|s| s.name.as_str()).collect();
        let mut types: Vec<String> = Vec::new();
        for d in r.pages.iter().map(|p| &p.doc) {
            types.extend(d.fields.iter().filter_map(|f| f.ty.clone()));
            for o in &d.operations {
                types.extend(o.params.iter().filter_map(|p| p.ty.clone()));
                types.extend(o.returns.clone());
            }
        }
        for s in &r.structs {
            types.extend(s.fields.iter().filter_map(|f| f.ty.clone()));
            types.extend(s.one_of.iter().map(|a| a.ty.clone()));
        }
        let mut named = BTreeSet::new();
        for t in &types {
            let t = t.replace("enum ", "enum:");
            for w in t.split(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != ':') {
                if w.starts_with(|c: char| c.is_ascii_uppercase()) && w != "Struct" && w != "UID" {
                    named.insert(w.to_string());
                }
            }
        }
        let unknown: Vec<&String> = named
            .iter()
            .filter(|n| !nodes.contains(n.as_str()) && !structs.contains(n.as_str()))
            .collect();
        assert!(unknown.is_empty(), "{unknown:?}");
        let unused: Vec<&&str> = structs.iter().filter(|s| !named.contains(**s)).collect();
        assert!(unused.is_empty(), "{unused:?}");
        assert!(r.structs.len() > 70, "{}", r.structs.len());
    }
}
