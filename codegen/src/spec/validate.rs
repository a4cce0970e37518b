//! Lowering the raw documents into the validated [`Spec`], collecting every problem.
//!
//! Problems are reported at an [`Origin`]: a path of keys through the file down to the offending
//! item. Where a list may hold equal entries, the origin also says which of them it means
//! ([`nth`]), counted over the list as deserialized, which is the order of the text.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::OVERLAY_FILE;
use super::load::{RawSpec, Sources};
use super::model::*;
use super::raw::{
    BodyEncoding, OpKind, OrderedMap, Overlay, OverlayNode, OverlayOperation, PageDoc,
    RawOperation, RawParam,
};
use super::types::Type;
use crate::diag::{Diagnostics, Origin};
use crate::names::{ident_problem, is_keyword, singular, upper_camel};

mod calls;
mod rename;
mod structs;

/// Validates `raw` into a [`Spec`].
pub fn validate(raw: &RawSpec, sources: &Sources) -> Result<Spec, Diagnostics> {
    let type_names = raw
        .overlay
        .as_ref()
        .map(|(_, o)| o.type_names.clone())
        .unwrap_or_default();
    let (renamed, unused) = rename::apply(raw, &type_names);
    let raw = &renamed;
    let empty = Overlay::default();
    let overlay = match &raw.overlay {
        Some((path, doc)) => Curated {
            doc,
            top: Origin::file(path),
        },
        None => Curated {
            doc: &empty,
            top: Origin::file(Path::new(OVERLAY_FILE)),
        },
    };
    let mut v = Validator {
        sources,
        diags: Diagnostics::default(),
    };
    for name in unused {
        let at = overlay.top.key("type_names").key(&name);
        v.error(
            &at,
            format!("`type_names` renames `{name}`, which no document declares"),
        );
    }
    let spec = v.spec(raw, &overlay);
    v.diags.into_result(spec)
}

struct Validator<'a> {
    sources: &'a Sources,
    diags: Diagnostics,
}

/// The overlay and the origin of its top level.
struct Curated<'r> {
    doc: &'r Overlay,
    top: Origin,
}

/// A node while it is being assembled from its page document and the overlay.
struct NodeDraft<'r> {
    node: Node,
    page: Option<(Origin, &'r PageDoc)>,
    curated: Option<(Origin, &'r OverlayNode)>,
}

/// One operation, merged over every document that describes it (a node page may repeat an edge
/// page's call); the document that owns it most ([`owner_score`]) gives its facts.
struct OpDraft<'r> {
    owner_score: u8,
    op: &'r RawOperation,
    origin: Origin,
    node: String,
    extra: Vec<(&'r RawOperation, Origin)>,
}

/// The names types may refer to.
struct Known {
    nodes: BTreeSet<String>,
    external: BTreeSet<String>,
    structs: BTreeSet<String>,
    enums: BTreeSet<String>,
    error_codes: BTreeSet<i64>,
}

/// Where a type is written: under `key` inside `base` (`type:` of a field, `returns:`, or a
/// field's entry under the overlay's `field_types`).
struct TypeAt {
    base: Origin,
    key: String,
}

/// The overlay's `rust_names` that apply to some fields or parameters.
struct RustNames<'r> {
    map: &'r OrderedMap<String, String>,
    at: Origin,
    owner: String,
}

/// A field as declared anywhere, before its type is checked.
struct FieldDecl<'r> {
    at: Origin,
    name: &'r str,
    ty: (&'r str, TypeAt),
    description: Option<String>,
    always: bool,
    added_by: Option<String>,
}

impl Validator<'_> {
    fn error(&mut self, at: &Origin, message: String) {
        let d = at.diagnostic(self.sources, message);
        self.diags.push(d);
    }

    fn spec(&mut self, raw: &RawSpec, ov: &Curated<'_>) -> Spec {
        let version = self.version(raw);
        self.unique_keys(raw, ov);
        let (mut nodes, external) = self.nodes(raw, ov);
        let enums = self.enums(raw, ov);
        self.unique_type_names(raw, &nodes, &external, &enums);
        let known = Known {
            nodes: nodes.keys().cloned().collect(),
            external: external.clone(),
            // A struct with a node's or an enum's name is reported once (above); references keep
            // meaning the node or enum.
            structs: raw
                .structs
                .iter()
                .map(|(_, d)| d.name.clone())
                .filter(|n| !nodes.contains_key(n) && !external.contains(n))
                .collect(),
            enums: enums.iter().map(|e| e.name.clone()).collect(),
            error_codes: raw
                .pages
                .iter()
                .flat_map(|(_, d)| d.errors.0.iter().map(|(c, _)| *c))
                .chain(ov.doc.errors.0.iter().map(|(c, _)| *c))
                .collect(),
        };
        for draft in nodes.values_mut() {
            self.node_body(draft, ov, &known);
        }
        let structs = self.structs(raw, ov, &known);
        let (mut operations, added) = self.operations(raw, ov, &nodes, &known);
        same_shapes_are_value_types(&mut operations, &structs);
        let short_names = self.short_names(ov, &nodes, &external, raw);
        self.calls(ov, &mut operations, &nodes, &short_names);
        self.add_edge_fields(&mut nodes, added);
        self.check_default_fields(ov, &operations, &nodes);
        self.check_id_of(ov, &operations, &nodes);
        for draft in nodes.values() {
            self.check_members(draft);
        }
        let errors = self.error_codes(raw, ov);
        let subcodes = self.error_subcodes(ov);
        Spec {
            version,
            nodes: nodes.into_values().map(|d| d.node).collect(),
            external_nodes: external.into_iter().collect(),
            enums,
            structs,
            operations,
            errors,
            subcodes,
            short_names,
        }
    }

    fn version(&mut self, raw: &RawSpec) -> String {
        let Some((path, g)) = &raw.graph else {
            return String::new();
        };
        let number = |p: Option<&str>| {
            p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        let ok = g.version.strip_prefix('v').is_some_and(|rest| {
            let mut parts = rest.split('.');
            number(parts.next()) && number(parts.next()) && parts.next().is_none()
        });
        if !ok {
            let at = Origin::file(path).at("version", &g.version, 0);
            self.error(
                &at,
                format!(
                    "Graph API version `{}` is not of the form vNN.N (e.g. v20.0)",
                    g.version
                ),
            );
        }
        g.version.clone()
    }

    /// YAML lets a mapping repeat a key and serde keeps both; a repeated key is always a slip.
    fn unique_keys(&mut self, raw: &RawSpec, ov: &Curated<'_>) {
        for (path, doc) in &raw.pages {
            let top = Origin::file(path);
            self.unique(&top.key("enums"), "enums", &doc.enums);
            self.unique(&top.key("errors"), "errors", &doc.errors);
        }
        for (path, doc) in &raw.structs {
            self.unique(&Origin::file(path).key("enums"), "enums", &doc.enums);
        }
        let o = ov.doc;
        self.unique(&ov.top.key("nodes"), "nodes", &o.nodes);
        self.unique(&ov.top.key("enums"), "enums", &o.enums);
        self.unique(
            &ov.top.key("variant_names"),
            "variant_names",
            &o.variant_names,
        );
        self.unique(&ov.top.key("errors"), "errors", &o.errors);
        self.unique(&ov.top.key("structs"), "structs", &o.structs);
        for (name, os) in &o.structs.0 {
            let at = ov.top.key("structs").key(name);
            self.unique(&at.key("rust_names"), "rust_names", &os.rust_names);
        }
        self.unique(
            &ov.top.key("error_subcodes"),
            "error_subcodes",
            &o.error_subcodes,
        );
        for (name, on) in &o.nodes.0 {
            let at = ov.top.key("nodes").key(name);
            self.unique(&at.key("field_types"), "field_types", &on.field_types);
            self.unique(&at.key("rust_names"), "rust_names", &on.rust_names);
            self.unique(&at.key("edge_names"), "edge_names", &on.edge_names);
        }
        for (name, renames) in &o.variant_names.0 {
            self.unique(&ov.top.key("variant_names").key(name), name, renames);
        }
        for (i, op) in o.operations.iter().enumerate() {
            self.unique(
                &overlay_op_origin(ov, i).key("rust_names"),
                "rust_names",
                &op.rust_names,
            );
        }
    }

    fn unique<K: PartialEq + ToString, V>(
        &mut self,
        at: &Origin,
        section: &str,
        map: &OrderedMap<K, V>,
    ) {
        for i in 0..map.0.len() {
            if nth(&map.0, i, |(k, _)| k) == 1 {
                let key = map.0[i].0.to_string();
                self.error(
                    &at.at(&key, "", 1),
                    format!("`{key}` is listed twice under `{section}`"),
                );
            }
        }
    }

    /// A struct may not take the name of a node or an enum: a bare type name must say one thing.
    fn unique_type_names(
        &mut self,
        raw: &RawSpec,
        nodes: &BTreeMap<String, NodeDraft<'_>>,
        external: &BTreeSet<String>,
        enums: &[EnumType],
    ) {
        for (path, doc) in &raw.structs {
            let name = &doc.name;
            let other = if let Some(n) = nodes.get(name) {
                Some(format!("node `{name}` ({})", n.node.origin.file_name()))
            } else if external.contains(name) {
                Some(format!("external node `{name}` ({OVERLAY_FILE})"))
            } else if enums.iter().any(|e| &e.name == name) {
                Some(format!("enum `{name}`"))
            } else {
                None
            };
            if let Some(other) = other {
                let at = Origin::file(path).at("struct", name, 0);
                self.error(
                    &at,
                    format!("struct `{name}` has the name of {other}: type names must be unique"),
                );
            }
        }
    }

    /// Nodes with a model (page documents, then overlay-only ones) and external nodes.
    fn nodes<'r>(
        &mut self,
        raw: &'r RawSpec,
        ov: &Curated<'r>,
    ) -> (BTreeMap<String, NodeDraft<'r>>, BTreeSet<String>) {
        let mut nodes: BTreeMap<String, NodeDraft<'r>> = BTreeMap::new();
        for (path, doc) in raw.pages.iter().filter(|(_, d)| d.edge.is_none()) {
            let top = Origin::file(path);
            let origin = top.at("node", &doc.node, 0);
            if let Some(first) = nodes.get(&doc.node) {
                let msg = format!(
                    "node `{}` is already described by {}",
                    doc.node,
                    first.node.origin.file_name()
                );
                self.error(&origin, msg);
                continue;
            }
            let mut node = new_node(&doc.node, doc.description.clone(), origin);
            node.rate_limits = doc.rate_limits.clone();
            node.notes = doc.notes.clone();
            nodes.insert(
                doc.node.clone(),
                NodeDraft {
                    node,
                    page: Some((top, doc)),
                    curated: None,
                },
            );
        }
        let mut external = BTreeSet::new();
        let list = ov.top.key("nodes");
        for (i, (name, on)) in ov.doc.nodes.0.iter().enumerate() {
            let origin = list.at(name, "", nth(&ov.doc.nodes.0, i, |(k, _)| k));
            if on.external {
                if nodes.contains_key(name) {
                    self.error(
                        &origin,
                        format!("node `{name}` is marked external but a page documents it"),
                    );
                }
                external.insert(name.clone());
                continue;
            }
            match nodes.get_mut(name) {
                Some(d) => d.curated = Some((origin, on)),
                None => {
                    let node = new_node(name, on.description.clone(), origin.clone());
                    nodes.insert(
                        name.clone(),
                        NodeDraft {
                            node,
                            page: None,
                            curated: Some((origin, on)),
                        },
                    );
                }
            }
        }
        for (name, d) in &nodes {
            if let Some(p) = ident_problem(name) {
                self.error(&d.node.origin, format!("node name {p}"));
            }
        }
        (nodes, external)
    }

    /// Enums: the union of every document's values, first declaration first.
    fn enums(&mut self, raw: &RawSpec, ov: &Curated<'_>) -> Vec<EnumType> {
        let mut enums: BTreeMap<String, (Origin, Vec<EnumValue>)> = BTreeMap::new();
        let declared = raw
            .pages
            .iter()
            .map(|(p, d)| (Origin::file(p).key("enums"), &d.enums))
            .chain(
                raw.structs
                    .iter()
                    .map(|(p, d)| (Origin::file(p).key("enums"), &d.enums)),
            )
            .chain(std::iter::once((ov.top.key("enums"), &ov.doc.enums)));
        for (list, map) in declared {
            for (name, wires) in &map.0 {
                let (_, values) = enums
                    .entry(name.clone())
                    .or_insert_with(|| (list.key(name), Vec::new()));
                for (i, wire) in wires.iter().enumerate() {
                    if values.iter().all(|v| &v.wire != wire) {
                        let origin = list.at(name, wire, nth(wires, i, |w| w));
                        values.push(EnumValue {
                            variant: upper_camel(wire),
                            wire: wire.clone(),
                            origin,
                        });
                    }
                }
            }
        }
        let renamed = self.rename_variants(ov, &mut enums);
        enums
            .into_iter()
            .map(|(name, (decl, values))| {
                self.check_enum(&name, &decl, &values, &renamed);
                EnumType { name, values }
            })
            .collect()
    }

    /// Applies the overlay's `variant_names`; returns where each renamed value's variant is written.
    fn rename_variants(
        &mut self,
        ov: &Curated<'_>,
        enums: &mut BTreeMap<String, (Origin, Vec<EnumValue>)>,
    ) -> HashMap<(String, String), Origin> {
        let mut renamed = HashMap::new();
        for (name, renames) in &ov.doc.variant_names.0 {
            let at = ov.top.key("variant_names").key(name);
            let Some((_, values)) = enums.get_mut(name) else {
                self.error(
                    &at,
                    format!("overlay renames values of enum `{name}`, which no document declares"),
                );
                continue;
            };
            for (wire, variant) in &renames.0 {
                match values.iter_mut().find(|v| &v.wire == wire) {
                    Some(v) => {
                        v.variant = variant.clone();
                        renamed.insert((name.clone(), wire.clone()), at.key(wire));
                    }
                    None => self.error(
                        &at.key(wire),
                        format!("overlay renames `{wire}`, which is not a value of enum `{name}`"),
                    ),
                }
            }
        }
        renamed
    }

    fn check_enum(
        &mut self,
        name: &str,
        decl: &Origin,
        values: &[EnumValue],
        renamed: &HashMap<(String, String), Origin>,
    ) {
        if let Some(p) = ident_problem(name) {
            self.error(decl, format!("enum name {p}"));
        }
        if values.is_empty() {
            self.error(
                decl,
                format!("enum `{name}` has no values (add them under `enums:` in {OVERLAY_FILE})"),
            );
        }
        let mut by_variant: HashMap<&str, &EnumValue> = HashMap::new();
        for v in values {
            let at = renamed
                .get(&(name.to_string(), v.wire.clone()))
                .unwrap_or(&v.origin);
            let fix = format!("give it a variant name under `variant_names` in {OVERLAY_FILE}");
            if v.variant.is_empty() || v.variant == "Unknown" {
                let msg = format!(
                    "enum `{name}` value `{}` gives no usable variant name; {fix}",
                    v.wire
                );
                self.error(at, msg);
            } else if let Some(p) = ident_problem(&v.variant) {
                self.error(
                    at,
                    format!(
                        "enum `{name}` value `{}` gives an unusable variant name: {p}; {fix}",
                        v.wire
                    ),
                );
            }
            match by_variant.get(v.variant.as_str()) {
                Some(first) => {
                    let msg = format!(
                        "enum `{name}` values `{}` and `{}` collide: both become variant `{}`; {fix}",
                        first.wire, v.wire, v.variant
                    );
                    self.error(at, msg);
                }
                None => {
                    by_variant.insert(&v.variant, v);
                }
            }
        }
    }

    /// A node's fields and edges, from its page and the overlay.
    fn node_body(&mut self, draft: &mut NodeDraft<'_>, ov: &Curated<'_>, known: &Known) {
        let empty = OverlayNode::default();
        let name = draft.node.name.clone();
        let (node_at, on) = match &draft.curated {
            Some((at, on)) => (at.clone(), *on),
            None => (ov.top.key("nodes").key(&name), &empty),
        };
        let names = RustNames {
            map: &on.rust_names,
            at: node_at.key("rust_names"),
            owner: format!("node `{name}`"),
        };
        let mut fields = Vec::new();
        let curated_fields = node_at.key("fields");
        // An overlay field the page also lists refines the page's (type, `always`,
        // description) rather than repeating it.
        let page_field = |name: &str| {
            draft.page.as_ref().and_then(|(top, doc)| {
                let i = doc.fields.iter().position(|f| f.name == name)?;
                let at = top.key("fields").at("name", name, 0);
                Some((&doc.fields[i], at))
            })
        };
        let mut refined: Vec<&str> = Vec::new();
        for (i, f) in on.fields.iter().enumerate() {
            let at = curated_fields.at("name", &f.name, nth(&on.fields, i, |f| &f.name));
            let page = page_field(&f.name);
            let mut description = f.description.clone();
            let ty = match (&f.ty, &page) {
                (None, Some((pf, page_at))) if pf.ty.is_some() => {
                    let ty = pf.ty.as_deref();
                    self.typed(page_at, &f.name, ty, &names.owner, "")
                }
                _ => self.typed(&at, &f.name, f.ty.as_deref(), &names.owner, ""),
            };
            if let Some((pf, _)) = &page {
                if !refined.contains(&pf.name.as_str()) {
                    refined.push(&pf.name);
                }
                if description.is_none() {
                    description = pf.description.clone();
                }
            }
            let Some(ty) = ty else {
                continue;
            };
            let decl = FieldDecl {
                at,
                name: &f.name,
                ty,
                description,
                always: f.always,
                added_by: None,
            };
            fields.extend(self.field(decl, &names, known));
        }
        if let Some((top, doc)) = &draft.page {
            let page = self.page_fields(top, doc, &node_at, on, &names, known);
            fields.extend(
                page.into_iter()
                    .filter(|f| !refined.contains(&f.name.as_str())),
            );
            draft.node.edges = self.edges(top, doc, &node_at, on, known);
        }
        let d = &mut draft.node;
        d.fields = fields;
        d.reference = on.reference.clone();
        d.id_note = on.id_note.clone();
        d.rate_limit_class = on.rate_limit_class.clone();
        if d.description.is_none() {
            d.description = on.description.clone();
        }
    }

    fn page_fields(
        &mut self,
        top: &Origin,
        doc: &PageDoc,
        node_at: &Origin,
        on: &OverlayNode,
        names: &RustNames<'_>,
        known: &Known,
    ) -> Vec<Field> {
        let list = top.key("fields");
        let typed_at = node_at.key("field_types");
        let mut fields = Vec::new();
        for (i, f) in doc.fields.iter().enumerate() {
            let at = list.at("name", &f.name, nth(&doc.fields, i, |f| &f.name));
            // A type the page does not print may come from the overlay's `field_types`.
            let ty = match (&f.ty, on.field_types.get(&f.name)) {
                (Some(t), _) => Some((
                    t.as_str(),
                    TypeAt {
                        base: at.clone(),
                        key: "type".into(),
                    },
                )),
                (None, Some(t)) => Some((
                    t.as_str(),
                    TypeAt {
                        base: typed_at.clone(),
                        key: f.name.clone(),
                    },
                )),
                (None, None) => None,
            };
            let hint = format!(
                " (give it one under `field_types` for node `{}` in {OVERLAY_FILE})",
                doc.node
            );
            let Some((text, ty_at)) = ty else {
                self.typed(&at, &f.name, None, &names.owner, &hint);
                continue;
            };
            let decl = FieldDecl {
                at,
                name: &f.name,
                ty: (text, ty_at),
                description: f.description.clone(),
                always: false,
                added_by: None,
            };
            fields.extend(self.field(decl, names, known));
        }
        for (field, ty) in &on.field_types.0 {
            let at = typed_at.key(field);
            match doc.fields.iter().find(|f| &f.name == field) {
                None => self.error(
                    &at,
                    format!(
                        "overlay types field `{field}`, which node `{}` does not have",
                        doc.node
                    ),
                ),
                Some(f) if f.ty.is_some() => {
                    let msg = format!(
                        "overlay types field `{field}` as `{ty}` but its page already gives a type"
                    );
                    self.error(&at, msg);
                }
                Some(_) => {}
            }
        }
        fields
    }

    fn edges(
        &mut self,
        top: &Origin,
        doc: &PageDoc,
        node_at: &Origin,
        on: &OverlayNode,
        known: &Known,
    ) -> Vec<Edge> {
        let list = top.key("edges");
        let named_at = node_at.key("edge_names");
        let mut edges = Vec::new();
        for (i, e) in doc.edges.iter().enumerate() {
            let origin = list.at("target", &e.target, nth(&doc.edges, i, |e| &e.target));
            let (name, curated) = match (&e.name, on.edge_names.get(&e.target)) {
                (Some(n), _) => (n.clone(), false),
                (None, Some(n)) => (n.clone(), true),
                (None, None) => {
                    let msg = format!(
                        "edge to `{}` of node `{}` has no name: add it under `edge_names` in {OVERLAY_FILE}",
                        e.target, doc.node
                    );
                    self.error(&origin, msg);
                    continue;
                }
            };
            if !known.nodes.contains(&e.target) && !known.external.contains(&e.target) {
                let msg = format!(
                    "unknown type `{}` (edge target of `{}`){}",
                    e.target,
                    doc.node,
                    known.suggest(&e.target)
                );
                self.error(&origin, msg);
            }
            if let Some(p) = ident_problem(&name) {
                let at = if curated {
                    named_at.key(&e.target)
                } else {
                    origin.clone()
                };
                self.error(&at, format!("edge name {p}"));
            }
            edges.push(Edge {
                name,
                target: e.target.clone(),
                description: e.description.clone(),
                name_curated: curated,
                origin,
            });
        }
        for (target, _) in &on.edge_names.0 {
            if !doc.edges.iter().any(|e| &e.target == target) {
                let msg = format!(
                    "overlay names an edge to `{target}` that node `{}` does not have",
                    doc.node
                );
                self.error(&named_at.key(target), msg);
            }
        }
        edges
    }

    /// The type of a field, or a problem naming the field when it has none.
    fn typed<'t>(
        &mut self,
        at: &Origin,
        name: &str,
        ty: Option<&'t str>,
        owner: &str,
        hint: &str,
    ) -> Option<(&'t str, TypeAt)> {
        match ty {
            Some(t) => Some((
                t,
                TypeAt {
                    base: at.clone(),
                    key: "type".into(),
                },
            )),
            None => {
                self.error(at, format!("field `{name}` of {owner} has no type{hint}"));
                None
            }
        }
    }

    fn field(&mut self, d: FieldDecl<'_>, names: &RustNames<'_>, known: &Known) -> Option<Field> {
        let rust_name = self.rust_name(&d.at, "field", d.name, names);
        let (text, ty_at) = d.ty;
        let ty = self.parse_type(&ty_at, text, known, false)?;
        Some(Field {
            name: d.name.to_string(),
            rust_name,
            ty,
            description: d.description,
            always: d.always,
            added_by: d.added_by,
            origin: d.at,
        })
    }

    /// The Rust name of a field or parameter: its wire name, unless the overlay gives another.
    fn rust_name(&mut self, at: &Origin, what: &str, wire: &str, names: &RustNames<'_>) -> String {
        match names.map.get(&wire.to_string()) {
            Some(rust) => {
                if let Some(p) = ident_problem(rust) {
                    let msg = format!("Rust name for {what} `{wire}` of {}: {p}", names.owner);
                    self.error(&names.at.key(wire), msg);
                }
                rust.clone()
            }
            None => {
                let rust = keyword_safe(wire);
                if let Some(p) = ident_problem(&rust) {
                    let msg = format!(
                        "{what} name {p}; give it a Rust name under `rust_names` for {} in {OVERLAY_FILE}",
                        names.owner
                    );
                    self.error(at, msg);
                }
                rust
            }
        }
    }

    /// Parses a type and checks every name it refers to.
    fn parse_type(
        &mut self,
        at: &TypeAt,
        text: &str,
        known: &Known,
        allow_struct: bool,
    ) -> Option<Type> {
        let ty = match Type::parse(text) {
            Ok(ty) => resolve(ty, known),
            Err(msg) => {
                self.error(&at.base.at(&at.key, text, 0), msg);
                return None;
            }
        };
        let mut refs = Vec::new();
        references(&ty, &mut refs);
        let mut ok = true;
        for (i, (name, is_enum)) in refs.iter().enumerate() {
            let origin = at.base.at(&at.key, name, nth(&refs, i, |(n, _)| *n));
            let problem = if *is_enum {
                (!known.enums.contains(*name))
                    .then(|| format!("unknown enum `{name}` in type `{text}`"))
            } else if known.external.contains(*name) {
                Some(format!(
                    "type `{name}` is an external node without a model; it can only be an edge target"
                ))
            } else if !known.nodes.contains(*name) && !known.structs.contains(*name) {
                Some(format!(
                    "unknown type `{name}` in type `{text}`{}",
                    known.suggest(name)
                ))
            } else {
                None
            };
            if let Some(msg) = problem {
                self.error(&origin, msg);
                ok = false;
            }
        }
        if matches!(ty, Type::Struct(_)) && !allow_struct {
            self.error(
                &at.base.at(&at.key, "Struct", 0),
                format!("`{text}`: `Struct {{…}}` is only allowed as a return type"),
            );
            ok = false;
        }
        ok.then_some(ty)
    }

    /// Every operation, merged by method and path, with the fields edge reads add to the nodes
    /// they return.
    fn operations(
        &mut self,
        raw: &RawSpec,
        ov: &Curated<'_>,
        nodes: &BTreeMap<String, NodeDraft<'_>>,
        known: &Known,
    ) -> (Vec<Operation>, Vec<(String, Field)>) {
        let drafts = self.op_drafts(raw, known);
        let mut used = vec![false; ov.doc.operations.len()];
        let mut operations = Vec::new();
        let mut name_at = Vec::new();
        // Whether each operation's name is derived (not the overlay's `rust_name`).
        let mut derived = Vec::new();
        let mut added = Vec::new();
        for ((path, method), d) in drafts {
            let i = ov
                .doc
                .operations
                .iter()
                .position(|o| o.path == path && o.method.eq_ignore_ascii_case(&method));
            let empty = OverlayOperation::default();
            let (ov_at, ov_op) = match i {
                Some(i) => {
                    used[i] = true;
                    (overlay_op_origin(ov, i), &ov.doc.operations[i])
                }
                None => (ov.top.key("operations"), &empty),
            };
            let curated = CuratedOp {
                at: ov_at,
                op: ov_op,
            };
            if let Some((op, at)) = self.operation(&d, &method, &curated, nodes, known, &mut added)
            {
                operations.push(op);
                name_at.push(at);
                derived.push(ov_op.rust_name.is_none());
            }
        }
        self.unused_overlay_ops(ov, &used);
        qualify_shared_names(&mut operations, &derived, &ov.doc.short_names.nodes);
        self.unique_op_names(&operations, &name_at);
        (operations, added)
    }

    /// Each curated default field is a field the operation returns (its node's own, or one the
    /// operation adds).
    fn check_default_fields(
        &mut self,
        ov: &Curated<'_>,
        operations: &[Operation],
        nodes: &BTreeMap<String, NodeDraft<'_>>,
    ) {
        for (i, o) in ov.doc.operations.iter().enumerate() {
            let Some(op) = operations
                .iter()
                .find(|op| op.path == o.path && op.method.as_str().eq_ignore_ascii_case(&o.method))
            else {
                continue;
            };
            let item = match &op.returns {
                Returns::Node(n) | Returns::Page { item: n, .. } => nodes.get(n),
                Returns::Struct { .. } | Returns::Object(_) | Returns::Json => None,
            };
            let at = overlay_op_origin(ov, i).key("default_fields");
            for name in &o.default_fields {
                let known = item.is_some_and(|d| {
                    d.node.fields.iter().any(|f| {
                        f.name == *name && f.added_by.as_deref().is_none_or(|p| p == op.path)
                    })
                });
                if !known {
                    let msg = format!(
                        "default field `{name}` is not a field `{} {}` returns",
                        op.method, op.path
                    );
                    self.error(&at, msg);
                }
            }
        }
    }

    /// An overlay `id_of` names a node of the spec that borrows no ID itself, and the node that
    /// borrows is not one an operation starts at (its handle would need an ID of its own).
    fn check_id_of(
        &mut self,
        ov: &Curated<'_>,
        operations: &[Operation],
        nodes: &BTreeMap<String, NodeDraft<'_>>,
    ) {
        let borrows = |n: &str| {
            ov.doc
                .nodes
                .get(&n.to_string())
                .is_some_and(|o| o.id_of.is_some())
        };
        for (name, on) in &ov.doc.nodes.0 {
            let Some(target) = &on.id_of else { continue };
            let at = ov.top.key("nodes").key(name).key("id_of");
            let problem = if target == name {
                Some(format!("`{name}` names itself"))
            } else if !nodes.contains_key(target) {
                Some(format!("`{target}` is not a node of the spec"))
            } else if borrows(target) {
                Some(format!(
                    "`{target}` borrows its ID from another node itself; name that node"
                ))
            } else {
                operations.iter().find(|op| op.node == *name).map(|op| {
                    format!(
                        "`{name}` is where `{} {}` starts, so it needs an ID of its own",
                        op.method.as_str(),
                        op.path
                    )
                })
            };
            if let Some(p) = problem {
                self.error(&at, format!("id_of: {p}"));
            }
        }
    }

    /// Two operations with one Rust name: reported where the later of the two names is written,
    /// which is the one most likely just added.
    fn unique_op_names(&mut self, operations: &[Operation], name_at: &[Origin]) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, op) in operations.iter().enumerate() {
            let Some(&j) = first.get(op.rust_name.as_str()) else {
                first.insert(&op.rust_name, i);
                continue;
            };
            let other = &operations[j];
            let msg = format!(
                "operation name `{}` is used by both `{} {}` and `{} {}`",
                op.rust_name, other.method, other.path, op.method, op.path
            );
            let place = |d: &crate::diag::Diagnostic| (d.file.clone(), d.line, d.column);
            let here = name_at[i].diagnostic(self.sources, msg.clone());
            let there = name_at[j].diagnostic(self.sources, msg);
            self.diags.push(if place(&there) > place(&here) {
                there
            } else {
                here
            });
        }
    }

    fn op_drafts<'r>(
        &mut self,
        raw: &'r RawSpec,
        known: &Known,
    ) -> BTreeMap<(String, String), OpDraft<'r>> {
        let mut ops: BTreeMap<(String, String), OpDraft<'r>> = BTreeMap::new();
        for (path, doc) in &raw.pages {
            let top = Origin::file(path);
            if !known.nodes.contains(&doc.node) {
                let msg = format!(
                    "unknown node `{}` (declare it in {OVERLAY_FILE} or add its page)",
                    doc.node
                );
                self.error(&top.at("node", &doc.node, 0), msg);
            }
            let list = top.key("operations");
            for (i, op) in doc.operations.iter().enumerate() {
                let origin = list.at("path", &op.path, nth(&doc.operations, i, |o| &o.path));
                let score = owner_score(doc, &op.path);
                let key = (op.path.clone(), op.method.to_ascii_uppercase());
                let Some(d) = ops.get_mut(&key) else {
                    let draft = OpDraft {
                        owner_score: score,
                        op,
                        origin,
                        node: doc.node.clone(),
                        extra: Vec::new(),
                    };
                    ops.insert(key, draft);
                    continue;
                };
                if score > d.owner_score {
                    let old_op = std::mem::replace(&mut d.op, op);
                    let old_origin = std::mem::replace(&mut d.origin, origin);
                    d.extra.push((old_op, old_origin));
                    d.owner_score = score;
                    d.node = doc.node.clone();
                } else {
                    d.extra.push((op, origin));
                }
            }
        }
        ops
    }

    fn unused_overlay_ops(&mut self, ov: &Curated<'_>, used: &[bool]) {
        let ops = &ov.doc.operations;
        for (i, o) in ops.iter().enumerate() {
            let at = overlay_op_origin(ov, i);
            let same =
                |p: &OverlayOperation| p.path == o.path && p.method.eq_ignore_ascii_case(&o.method);
            if ops[..i].iter().any(same) {
                self.error(
                    &at,
                    format!("overlay lists operation `{} {}` twice", o.method, o.path),
                );
            } else if !used[i] {
                self.error(
                    &at,
                    format!(
                        "overlay operation `{} {}` matches no documented operation",
                        o.method, o.path
                    ),
                );
            }
        }
    }

    /// Lowers one operation; also returns where its Rust name is written.
    fn operation(
        &mut self,
        d: &OpDraft<'_>,
        method: &str,
        ov: &CuratedOp<'_>,
        nodes: &BTreeMap<String, NodeDraft<'_>>,
        known: &Known,
        added: &mut Vec<(String, Field)>,
    ) -> Option<(Operation, Origin)> {
        let op = d.op;
        let call = format!("{method} {}", op.path);
        let Some(method) = Method::from_name(method) else {
            let msg = format!(
                "unsupported HTTP method `{}` in `{call}` (expected GET, POST or DELETE)",
                op.method
            );
            self.error(&d.origin.at("method", &op.method, 0), msg);
            return None;
        };
        let Some((path_params, edge)) = split_path(&op.path) else {
            let msg = format!(
                "path `{}` is not of the form /{{node_id}} or /{{node_id}}/edge",
                op.path
            );
            self.error(&d.origin, msg);
            return None;
        };
        let kind = op.kind.unwrap_or(match method {
            Method::Get => OpKind::Read,
            Method::Delete => OpKind::Delete,
            Method::Post => OpKind::Update,
        });
        let params = self.params(d, ov, &call, known);
        let (rust_name, name_at) = match &ov.op.rust_name {
            Some(n) => (n.clone(), ov.at.at("rust_name", n, 0)),
            None => (
                default_op_name(kind, &d.node, edge.as_deref()),
                d.origin.clone(),
            ),
        };
        if let Some(p) = ident_problem(&rust_name) {
            self.error(&name_at, format!("operation name {p}"));
        }
        let returns = self.returns(d, ov, &call, edge.as_deref(), nodes, known, added)?;
        if let Some(c) = &op.creates
            && !known.nodes.contains(c)
            && !known.external.contains(c)
        {
            let msg = format!(
                "unknown type `{c}` (created by `{call}`){}",
                known.suggest(c)
            );
            self.error(&d.origin.at("creates", c, 0), msg);
        }
        let errors = self.op_errors(d, &call, known);
        let body = op.body.unwrap_or(BodyEncoding::Form);
        if body == BodyEncoding::Json && method != Method::Post {
            let msg = format!("`{call}` has `body: json`, but only a POST carries a JSON body");
            self.error(&d.origin.at("body", "json", 0), msg);
        }
        let req = op.requirements.clone().unwrap_or_default();
        let operation = Operation {
            rust_name,
            kind,
            method,
            path: op.path.clone(),
            path_params,
            node: d.node.clone(),
            edge,
            // Set once every operation is known (`calls`): an edge's role depends on its siblings.
            call: Call {
                edge: None,
                method: String::new(),
            },
            description: ov.op.description.clone().or_else(|| op.description.clone()),
            permissions: req.permissions,
            ids: req.ids,
            token: req.token,
            params,
            returns,
            creates: op.creates.clone(),
            read_after_write: op.read_after_write
                || d.extra.iter().any(|(o, _)| o.read_after_write),
            idempotent: ov.op.idempotent.unwrap_or(method != Method::Post),
            default_fields: ov.op.default_fields.clone(),
            errors,
            body,
            origin: d.origin.clone(),
        };
        Some((operation, name_at))
    }

    /// The owner's parameters, then those only another page of the same call documents, then
    /// the overlay's.
    fn params(
        &mut self,
        d: &OpDraft<'_>,
        ov: &CuratedOp<'_>,
        call: &str,
        known: &Known,
    ) -> Vec<Param> {
        let names = RustNames {
            map: &ov.op.rust_names,
            at: ov.at.key("rust_names"),
            owner: format!("`{call}`"),
        };
        let required = &ov.op.required;
        let mut params: Vec<Param> = Vec::new();
        // Names as written, typed or not, so that a parameter missing its type is not also
        // reported as unknown to the overlay.
        let mut declared: Vec<&str> = Vec::new();
        let documented =
            std::iter::once((d.op, &d.origin)).chain(d.extra.iter().map(|(o, at)| (*o, at)));
        for (n, (op, origin)) in documented.enumerate() {
            let list = origin.key("params");
            for (i, p) in op.params.iter().enumerate() {
                let at = list.at("name", &p.name, nth(&op.params, i, |p| &p.name));
                let repeated = op.params[..i].iter().any(|q| q.name == p.name);
                if repeated {
                    self.error(
                        &at,
                        format!("parameter `{}` of `{call}` is listed twice", p.name),
                    );
                }
                if repeated || (n > 0 && declared.contains(&p.name.as_str())) {
                    continue;
                }
                declared.push(&p.name);
                if GENERIC_PARAMS.contains(&p.name.as_str()) {
                    continue;
                }
                let curated = !p.required && required.contains(&p.name);
                if let Some(mut param) = self.param(at, p, &names, known) {
                    param.required |= curated;
                    param.curated = curated;
                    params.push(param);
                }
            }
        }
        let list = ov.at.key("params");
        for (i, p) in ov.op.params.iter().enumerate() {
            let at = list.at("name", &p.name, nth(&ov.op.params, i, |p| &p.name));
            if declared.contains(&p.name.as_str()) {
                self.error(
                    &at,
                    format!(
                        "overlay adds parameter `{}` to `{call}`, which already has it",
                        p.name
                    ),
                );
                continue;
            }
            declared.push(&p.name);
            if let Some(mut param) = self.param(at, p, &names, known) {
                param.curated = true;
                params.push(param);
            }
        }
        for r in required {
            if !declared.contains(&r.as_str()) {
                self.error(
                    &ov.at.at("required", r, 0),
                    format!("overlay marks unknown parameter `{r}` of `{call}` required"),
                );
            }
        }
        for (wire, _) in &ov.op.rust_names.0 {
            if !declared.contains(&wire.as_str()) {
                self.error(&names.at.key(wire), format!("overlay gives a Rust name to parameter `{wire}`, which `{call}` does not have"));
            }
        }
        params
    }

    fn param(
        &mut self,
        at: Origin,
        p: &RawParam,
        names: &RustNames<'_>,
        known: &Known,
    ) -> Option<Param> {
        let rust_name = self.rust_name(&at, "parameter", &p.name, names);
        let Some(text) = &p.ty else {
            self.error(
                &at,
                format!("parameter `{}` of {} has no type", p.name, names.owner),
            );
            return None;
        };
        let ty = self.parse_type(
            &TypeAt {
                base: at,
                key: "type".into(),
            },
            text,
            known,
            false,
        )?;
        Some(Param {
            name: p.name.clone(),
            rust_name,
            ty,
            required: p.required,
            description: p.description.clone(),
            curated: false,
            id_of: None,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn returns(
        &mut self,
        d: &OpDraft<'_>,
        ov: &CuratedOp<'_>,
        call: &str,
        edge: Option<&str>,
        nodes: &BTreeMap<String, NodeDraft<'_>>,
        known: &Known,
        added: &mut Vec<(String, Field)>,
    ) -> Option<Returns> {
        let op = d.op;
        let Some(text) = &op.returns else {
            self.error(&d.origin, format!("operation `{call}` has no return type"));
            return None;
        };
        let at = TypeAt {
            base: d.origin.clone(),
            key: "returns".into(),
        };
        match self.parse_type(&at, text, known, true)? {
            Type::Node(n) => Some(Returns::Node(n)),
            Type::Object(n) => Some(Returns::Object(n)),
            Type::Json => Some(Returns::Json),
            Type::List(inner) => match *inner {
                Type::Node(item) => {
                    let empty = OverlayNode::default();
                    let (item_at, item_on) = match nodes.get(&item).and_then(|n| n.curated.as_ref())
                    {
                        Some((at, on)) => (at.clone(), *on),
                        None => (d.origin.clone(), &empty),
                    };
                    let names = RustNames {
                        map: &item_on.rust_names,
                        at: item_at.key("rust_names"),
                        owner: format!("node `{item}`"),
                    };
                    for field in self.op_fields(
                        d,
                        Some(ov),
                        "added_fields",
                        &names,
                        Some(op.path.clone()),
                        known,
                    ) {
                        added.push((item.clone(), field));
                    }
                    let no_names = OrderedMap::default();
                    let names = RustNames {
                        map: &no_names,
                        at: d.origin.clone(),
                        owner: format!("the summary of `{call}`"),
                    };
                    let summary_fields =
                        self.op_fields(d, None, "summary_fields", &names, None, known);
                    let summary = (!summary_fields.is_empty())
                        .then(|| format!("{}Summary", upper_camel(edge.unwrap_or_default())));
                    Some(Returns::Page {
                        item,
                        summary,
                        summary_fields,
                    })
                }
                other => {
                    self.error(
                        &at.base.at("returns", text, 0),
                        format!("list return type must be a list of nodes, not `{other}`"),
                    );
                    None
                }
            },
            Type::Struct(fs) => {
                let mut name = format!(
                    "{}Response",
                    fs.iter().map(|(n, _)| upper_camel(n)).collect::<String>()
                );
                // A value type of structs/ may hold the name already (the OpenAPI document's
                // `SuccessResponse`): the anonymous shape takes the next free one.
                if known.structs.contains(&name) || known.nodes.contains(&name) {
                    name = format!("{}Shape", name.trim_end_matches("Response"));
                }
                let mut fields = Vec::new();
                for (i, (n, ty)) in fs.iter().enumerate() {
                    let origin = d.origin.at("returns", n, nth(&fs, i, |(n, _)| n));
                    if fs[..i].iter().any(|(m, _)| m == n) {
                        self.error(
                            &origin,
                            format!("field `{n}` appears twice in the return type of `{call}`"),
                        );
                    } else if let Some(p) = ident_problem(n) {
                        self.error(&origin, format!("return field name {p}"));
                    }
                    let (name, ty) = (n.clone(), ty.clone());
                    fields.push(Field {
                        rust_name: n.clone(),
                        name,
                        ty,
                        description: None,
                        always: true,
                        added_by: None,
                        origin,
                    });
                }
                Some(Returns::Struct { name, fields })
            }
            other => {
                self.error(
                    &at.base.at("returns", text, 0),
                    format!("unsupported return type `{other}`"),
                );
                None
            }
        }
    }

    /// The `added_fields` or `summary_fields` of an edge read.
    fn op_fields(
        &mut self,
        d: &OpDraft<'_>,
        curated: Option<&CuratedOp<'_>>,
        key: &str,
        names: &RustNames<'_>,
        added_by: Option<String>,
        known: &Known,
    ) -> Vec<Field> {
        let list = if key == "added_fields" {
            &d.op.added_fields
        } else {
            &d.op.summary_fields
        };
        if let Some(c) = curated {
            for (name, _) in &c.op.field_types.0 {
                if !list.iter().any(|f| f.name == *name) {
                    let msg =
                        format!("`field_types` names `{name}`, which this operation does not add");
                    self.error(&c.at.key("field_types").key(name), msg);
                }
            }
        }
        let at_list = d.origin.key(key);
        let mut fields = Vec::new();
        for (i, f) in list.iter().enumerate() {
            let at = at_list.at("name", &f.name, nth(list, i, |f| &f.name));
            let retyped = curated.and_then(|c| {
                let ty = c.op.field_types.get(&f.name)?;
                let at = TypeAt {
                    base: c.at.key("field_types"),
                    key: f.name.clone(),
                };
                Some((ty.as_str(), at))
            });
            let ty = match retyped {
                Some(t) => t,
                None => match self.typed(&at, &f.name, f.ty.as_deref(), &names.owner, "") {
                    Some(t) => t,
                    None => continue,
                },
            };
            let decl = FieldDecl {
                at,
                name: &f.name,
                ty,
                description: f.description.clone(),
                always: false,
                added_by: added_by.clone(),
            };
            fields.extend(self.field(decl, names, known));
        }
        fields
    }

    /// The error codes of every page's description of the call; each must be described.
    fn op_errors(&mut self, d: &OpDraft<'_>, call: &str, known: &Known) -> Vec<i64> {
        let mut errors = Vec::new();
        let documented =
            std::iter::once((d.op, &d.origin)).chain(d.extra.iter().map(|(o, at)| (*o, at)));
        for (op, origin) in documented {
            for code in &op.errors {
                if errors.contains(code) {
                    continue;
                }
                if !known.error_codes.contains(code) {
                    let msg =
                        format!("`{call}` lists error code {code}, which no error table describes");
                    self.error(&origin.at("errors", &code.to_string(), 0), msg);
                }
                errors.push(*code);
            }
        }
        errors
    }

    /// Adds the fields edge reads add to the nodes they return.
    fn add_edge_fields(
        &mut self,
        nodes: &mut BTreeMap<String, NodeDraft<'_>>,
        added: Vec<(String, Field)>,
    ) {
        for (node, field) in added {
            let Some(d) = nodes.get_mut(&node) else {
                continue;
            };
            match d.node.fields.iter().find(|f| f.name == field.name) {
                Some(existing) if existing.ty == field.ty => {}
                Some(existing) => {
                    let msg = format!(
                        "field `{}` added to `{node}` as `{}` but the node has it as `{}`",
                        field.name, field.ty, existing.ty
                    );
                    self.error(&field.origin, msg);
                }
                None => d.node.fields.push(field),
            }
        }
    }

    /// Field and edge names must be unique in a node, and every `rust_names` entry must be used.
    fn check_members(&mut self, d: &NodeDraft<'_>) {
        let node = &d.node;
        let mut fields: HashMap<&str, &Field> = HashMap::new();
        for f in &node.fields {
            match fields.get(f.rust_name.as_str()) {
                Some(first) if first.name == f.name => {
                    self.error(
                        &f.origin,
                        format!("duplicate field `{}` in node `{}`", f.name, node.name),
                    );
                }
                Some(first) => {
                    let msg = format!(
                        "fields `{}` and `{}` of node `{}` both become `{}`",
                        first.name, f.name, node.name, f.rust_name
                    );
                    self.error(&f.origin, msg);
                }
                None => {
                    fields.insert(&f.rust_name, f);
                }
            }
        }
        let mut edges: HashMap<&str, &Edge> = HashMap::new();
        for e in &node.edges {
            match edges.get(e.name.as_str()) {
                Some(first) => {
                    let msg = format!(
                        "duplicate edge `{}` in node `{}` (to `{}` and to `{}`)",
                        e.name, node.name, first.target, e.target
                    );
                    let at = match &d.curated {
                        Some((at, _)) if e.name_curated => at.key("edge_names").key(&e.target),
                        _ => e.origin.clone(),
                    };
                    self.error(&at, msg);
                }
                None => {
                    edges.insert(&e.name, e);
                }
            }
        }
        if let Some((at, on)) = &d.curated {
            for (wire, _) in &on.rust_names.0 {
                if !node.fields.iter().any(|f| &f.name == wire) {
                    let msg = format!(
                        "overlay gives a Rust name to field `{wire}`, which node `{}` does not have",
                        node.name
                    );
                    self.error(&at.key("rust_names").key(wire), msg);
                }
            }
        }
    }

    /// Error codes: the union of `graph.yaml`'s and every page's table, then the overlay's names,
    /// descriptions and classes.
    fn error_codes(&mut self, raw: &RawSpec, ov: &Curated<'_>) -> Vec<ErrorCode> {
        let mut errors: BTreeMap<i64, (ErrorCode, Origin)> = BTreeMap::new();
        // The API-wide wordings first (the first wording of a code is kept): a document's
        // wording is its endpoint's own.
        let tables = raw
            .graph
            .iter()
            .map(|(path, g)| (path, &g.errors))
            .chain(raw.pages.iter().map(|(path, d)| (path, &d.errors)));
        for (path, table) in tables {
            let list = Origin::file(path).key("errors");
            for (code, desc) in &table.0 {
                let at = list.key(&code.to_string());
                if self.positive(*code, &at) {
                    errors
                        .entry(*code)
                        .or_insert_with(|| (new_error(*code, Some(desc.clone()), false), at));
                }
            }
        }
        let list = ov.top.key("errors");
        for (code, oe) in &ov.doc.errors.0 {
            let at = list.key(&code.to_string());
            if !self.positive(*code, &at) {
                continue;
            }
            let (e, name_at) = errors
                .entry(*code)
                .or_insert_with(|| (new_error(*code, None, true), at.clone()));
            if let Some(n) = &oe.name {
                e.variant = n.clone();
                *name_at = at;
            }
            // A curated description is the API-wide meaning (Graph's error guides); the pages'
            // and the document's wordings are one endpoint's.
            if oe.description.is_some() {
                e.description = oe.description.clone();
            }
            if oe.class.is_some() {
                e.class = oe.class;
            }
        }
        self.code_variants(
            "error code",
            errors
                .iter()
                .map(|(code, (e, at))| (*code, e.variant.as_str(), at)),
        );
        errors.into_values().map(|(e, _)| e).collect()
    }

    /// Named error subcodes: the overlay's list.
    fn error_subcodes(&mut self, ov: &Curated<'_>) -> Vec<ErrorSubcode> {
        let list = ov.top.key("error_subcodes");
        let mut subcodes: BTreeMap<i64, (ErrorSubcode, Origin)> = BTreeMap::new();
        for (code, os) in &ov.doc.error_subcodes.0 {
            let at = list.key(&code.to_string());
            if self.positive(*code, &at) {
                let s = ErrorSubcode {
                    code: *code,
                    variant: os.name.clone(),
                    description: os.description.clone(),
                };
                subcodes.entry(*code).or_insert((s, at));
            }
        }
        self.code_variants(
            "error subcode",
            subcodes
                .iter()
                .map(|(code, (s, at))| (*code, s.variant.as_str(), at)),
        );
        subcodes.into_values().map(|(s, _)| s).collect()
    }

    /// Every variant name of a code enum is an identifier, and no two codes share one.
    fn code_variants<'a>(
        &mut self,
        what: &str,
        codes: impl Iterator<Item = (i64, &'a str, &'a Origin)>,
    ) {
        let mut variants: HashMap<&str, i64> = HashMap::new();
        for (code, variant, at) in codes {
            if let Some(p) = ident_problem(variant) {
                self.error(at, format!("{what} {code}: variant name {p}"));
            }
            if let Some(other) = variants.insert(variant, code) {
                self.error(
                    at,
                    format!("{what}s {other} and {code} both use variant name `{variant}`"),
                );
            }
        }
    }

    fn positive(&mut self, code: i64, at: &Origin) -> bool {
        if code <= 0 {
            self.error(at, format!("error code {code} is not a positive number"));
        }
        code > 0
    }
}

impl Known {
    /// ` (did you mean `X`?)` for a name one or two typos away from a known one.
    fn suggest(&self, name: &str) -> String {
        let all = self
            .nodes
            .iter()
            .chain(&self.external)
            .chain(&self.structs)
            .chain(&self.enums);
        match all
            .map(|k| (edit_distance(name, k), k))
            .filter(|(d, _)| *d <= 2)
            .min()
        {
            Some((_, k)) => format!(" (did you mean `{k}`?)"),
            None => String::new(),
        }
    }
}

/// Levenshtein distance, for suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The overlay's entry for one operation and where it stands.
struct CuratedOp<'r> {
    at: Origin,
    op: &'r OverlayOperation,
}

fn overlay_op_origin(ov: &Curated<'_>, i: usize) -> Origin {
    let ops = &ov.doc.operations;
    ov.top
        .key("operations")
        .at("path", &ops[i].path, nth(ops, i, |o| &o.path))
}

/// How many items before `items[i]` have the same key: with the key, this tells which of equal
/// entries an origin means, counted in the order of the file.
fn nth<'t, T, K: PartialEq + ?Sized + 't>(
    items: &'t [T],
    i: usize,
    key: impl Fn(&'t T) -> &'t K,
) -> usize {
    let k = key(&items[i]);
    items[..i].iter().filter(|x| key(x) == k).count()
}

/// Spec types (enums and nodes) a type refers to, in order, each marked whether it is an enum.
fn references<'t>(ty: &'t Type, out: &mut Vec<(&'t str, bool)>) {
    match ty {
        Type::Enum(n) => out.push((n, true)),
        Type::Node(n) | Type::Object(n) => out.push((n, false)),
        Type::List(t) | Type::Map(t) => references(t, out),
        Type::Struct(fs) => fs.iter().for_each(|(_, t)| references(t, out)),
        _ => {}
    }
}

/// The parser reads every bare UpperCamel name as a node; the names of struct documents are
/// value types.
fn resolve(ty: Type, known: &Known) -> Type {
    match ty {
        Type::Node(n) if known.structs.contains(&n) => Type::Object(n),
        Type::List(t) => Type::List(Box::new(resolve(*t, known))),
        Type::Map(t) => Type::Map(Box::new(resolve(*t, known))),
        Type::Struct(fs) => Type::Struct(
            fs.into_iter()
                .map(|(n, t)| (n, resolve(t, known)))
                .collect(),
        ),
        other => other,
    }
}

/// The automatic Rust name of a wire name: a Rust keyword gets a trailing underscore (`type` →
/// `type_`, as progenitor and prost do); an overlay `rust_names` entry still wins.
fn keyword_safe(wire: &str) -> String {
    if is_keyword(wire) {
        format!("{wire}_")
    } else {
        wire.to_string()
    }
}

/// `/{node_id}` or `/{node_id}/edge` → the path parameter and the edge.
fn split_path(path: &str) -> Option<(Vec<String>, Option<String>)> {
    let mut segments = path.strip_prefix('/')?.split('/');
    let param = segments.next()?.strip_prefix('{')?.strip_suffix('}')?;
    let edge = segments.next();
    if ident_problem(param).is_some()
        || segments.next().is_some()
        || edge.is_some_and(|e| ident_problem(e).is_some())
    {
        return None;
    }
    Some((vec![param.to_string()], edge.map(str::to_string)))
}

/// An anonymous return shape with exactly the members of a record value type (`Struct {success:
/// bool}` and the document's `SuccessResponse`) is that type, not a second one of the same
/// shape. A create's `{id}` keeps its shape: its `id` is typed as the created node's.
fn same_shapes_are_value_types(operations: &mut [Operation], structs: &[StructType]) {
    for op in operations.iter_mut().filter(|op| op.creates.is_none()) {
        let Returns::Struct { fields, .. } = &op.returns else {
            continue;
        };
        let same = structs.iter().find(|s| match &s.shape {
            Shape::Fields(members) => {
                members.len() == fields.len()
                    && members.iter().all(|m| {
                        m.always && fields.iter().any(|f| f.name == m.name && f.ty == m.ty)
                    })
            }
            Shape::OneOf { .. } => false,
        });
        if let Some(s) = same {
            op.returns = Returns::Object(s.name.clone());
        }
    }
}

fn new_node(name: &str, description: Option<String>, origin: Origin) -> Node {
    Node {
        name: name.to_string(),
        description,
        reference: None,
        id_note: None,
        fields: Vec::new(),
        edges: Vec::new(),
        rate_limits: Vec::new(),
        rate_limit_class: None,
        notes: Vec::new(),
        origin,
    }
}

fn new_error(code: i64, description: Option<String>, curated: bool) -> ErrorCode {
    ErrorCode {
        code,
        variant: format!("Code{code}"),
        description,
        class: None,
        curated,
    }
}

/// How strongly a document owns an operation: the edge's own page beats a node page that
/// mentions the same call.
fn owner_score(doc: &PageDoc, path: &str) -> u8 {
    let last = path.rsplit('/').next().unwrap_or_default();
    match &doc.edge {
        Some(e) if e == last => 2,
        None if path.matches('/').count() == 1 => 2,
        _ => 1,
    }
}

/// Graph's parameters of every read: the runtime's builders set them (`.fields(..)`, and for
/// pages `.limit(..)` and the cursors), so a document listing them adds no operation parameter.
const GENERIC_PARAMS: [&str; 4] = ["fields", "limit", "after", "before"];

fn default_op_name(kind: OpKind, node: &str, edge: Option<&str>) -> String {
    qualified_op_name(kind, node, edge, "")
}

/// An edge operation's derived name with `owner` (UpperCamelCase) before the edge:
/// `List{owner}{Edge}`; a node's own operations already carry the node.
fn qualified_op_name(kind: OpKind, node: &str, edge: Option<&str>, owner: &str) -> String {
    match (kind, edge) {
        (OpKind::Read, None) => format!("Get{node}"),
        (OpKind::Read, Some(e)) => format!("List{owner}{}", upper_camel(e)),
        (OpKind::Create, Some(e)) => format!("Create{owner}{}", upper_camel(&singular(e))),
        (OpKind::Update, Some(e)) => format!("Update{owner}{}", upper_camel(&singular(e))),
        (OpKind::Delete, Some(e)) => format!("Delete{owner}{}", upper_camel(&singular(e))),
        (k, None) => format!("{}{node}", upper_camel(k.as_str())),
    }
}

/// Edges of the same name on different nodes (`request_code` of a phone number and of a
/// pre-verified number) derive one name; each such operation names its node too
/// (`CreatePhoneNumberRequestCode`), by the node's short name. Curated names stay as written.
fn qualify_shared_names(
    operations: &mut [Operation],
    derived: &[bool],
    short_names: &OrderedMap<String, String>,
) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for (op, _) in operations.iter().zip(derived).filter(|(_, d)| **d) {
        *count.entry(op.rust_name.clone()).or_default() += 1;
    }
    for (op, _) in operations.iter_mut().zip(derived).filter(|(_, d)| **d) {
        if count.get(&op.rust_name).copied().unwrap_or(0) > 1 {
            let short = short_names
                .get(&op.node)
                .map_or_else(|| op.node.clone(), |s| upper_camel(s));
            op.rust_name = qualified_op_name(op.kind, &op.node, op.edge.as_deref(), &short);
        }
    }
}
