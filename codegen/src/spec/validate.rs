//! Lowering the raw documents into the validated [`Spec`], collecting every problem.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::load::{RawSpec, Sources};
use super::model::*;
use super::raw::{OpKind, OverlayNode, PageDoc, RawOperation, RawParam};
use super::types::Type;
use crate::diag::{Diagnostic, Diagnostics, Origin, file_diag};
use crate::names::{ident_problem, singular, upper_camel};

/// Validates `raw` into a [`Spec`].
pub fn validate(raw: &RawSpec, sources: &Sources) -> Result<Spec, Diagnostics> {
    let mut v = Validator {
        sources,
        diags: Diagnostics::default(),
        seen: HashMap::new(),
    };
    let spec = v.run(raw);
    v.diags.into_result(spec)
}

struct Validator<'a> {
    sources: &'a Sources,
    diags: Diagnostics,
    /// How often each (file, key, value) was met, so each origin finds its own occurrence.
    seen: HashMap<(PathBuf, String, String), usize>,
}

/// A node while it is being assembled from page documents and the overlay.
struct NodeDraft {
    node: Node,
    overlay: Option<OverlayNode>,
}

struct OpDraft {
    owner_score: u8,
    op: RawOperation,
    file: PathBuf,
    node: String,
    sources: Vec<String>,
    origin: Origin,
    extra: Vec<(PathBuf, RawOperation)>,
}

impl Validator<'_> {
    fn origin(&mut self, file: &Path, key: &str, value: &str) -> Origin {
        let slot = self
            .seen
            .entry((file.to_path_buf(), key.to_string(), value.to_string()))
            .or_insert(0);
        let nth = *slot;
        *slot += 1;
        Origin {
            file: file.to_path_buf(),
            key: key.to_string(),
            value: value.to_string(),
            nth,
        }
    }

    fn error(&mut self, at: &Origin, message: String) {
        let d = at.diagnostic(self.sources, message);
        self.diags.push(d);
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn run(&mut self, raw: &RawSpec) -> Spec {
        let version = match &raw.graph {
            Some((path, g)) => {
                let ok = g.version.strip_prefix('v').is_some_and(|rest| {
                    let mut parts = rest.split('.');
                    let major = parts
                        .next()
                        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                    let minor = parts
                        .next()
                        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                    major && minor && parts.next().is_none()
                });
                if !ok {
                    let o = self.origin(path, "version", &g.version);
                    self.error(
                        &o,
                        format!("Graph API version `{}` is not of the form vNN.N", g.version),
                    );
                }
                g.version.clone()
            }
            None => String::new(),
        };
        let empty_overlay = Default::default();
        let (overlay_path, overlay) = match &raw.overlay {
            Some((p, o)) => (p.clone(), o),
            None => (PathBuf::from(super::OVERLAY_FILE), &empty_overlay),
        };

        // Nodes: page documents first, then overlay-only nodes.
        let mut nodes: BTreeMap<String, NodeDraft> = BTreeMap::new();
        let mut external: BTreeMap<String, Origin> = BTreeMap::new();
        for (path, doc) in &raw.pages {
            if doc.edge.is_none() {
                if nodes.contains_key(&doc.node) {
                    let o = self.origin(path, "node", &doc.node);
                    self.error(
                        &o,
                        format!("node `{}` is described by two node documents", doc.node),
                    );
                    continue;
                }
                let origin = self.origin(path, "node", &doc.node);
                let node = Node {
                    name: doc.node.clone(),
                    description: doc.description.clone(),
                    reference: None,
                    id_note: None,
                    fields: Vec::new(),
                    edges: Vec::new(),
                    rate_limits: doc.rate_limits.clone(),
                    rate_limit_class: None,
                    notes: doc.notes.clone(),
                    origin,
                };
                nodes.insert(
                    doc.node.clone(),
                    NodeDraft {
                        node,
                        overlay: None,
                    },
                );
            }
        }
        for (name, on) in &overlay.nodes.0 {
            let origin = self.origin(&overlay_path, name, "");
            if on.external {
                if nodes.contains_key(name) {
                    self.error(
                        &origin,
                        format!("node `{name}` is marked external but a page documents it"),
                    );
                }
                external.insert(name.clone(), origin);
                continue;
            }
            match nodes.get_mut(name) {
                Some(d) => d.overlay = Some(on.clone()),
                None => {
                    let node = Node {
                        name: name.clone(),
                        description: on.description.clone(),
                        reference: None,
                        id_note: None,
                        fields: Vec::new(),
                        edges: Vec::new(),
                        rate_limits: Vec::new(),
                        rate_limit_class: None,
                        notes: Vec::new(),
                        origin,
                    };
                    nodes.insert(
                        name.clone(),
                        NodeDraft {
                            node,
                            overlay: Some(on.clone()),
                        },
                    );
                }
            }
        }
        for name in nodes.keys() {
            if let Some(p) = ident_problem(name) {
                let o = nodes[name].node.origin.clone();
                self.error(&o, format!("node name {p}"));
            }
        }

        // Enums: the union of every document's values, first declaration first.
        let mut enums: BTreeMap<String, Vec<EnumValue>> = BTreeMap::new();
        let mut enum_decl: BTreeMap<String, Origin> = BTreeMap::new();
        let enum_sources = raw
            .pages
            .iter()
            .map(|(p, d)| (p.clone(), d.enums.0.clone()))
            .chain(std::iter::once((
                overlay_path.clone(),
                overlay.enums.0.clone(),
            )));
        for (path, list) in enum_sources {
            for (name, values) in list {
                let decl = self.origin(&path, &name, "");
                enum_decl.entry(name.clone()).or_insert(decl.clone());
                let entry = enums.entry(name.clone()).or_default();
                for wire in values {
                    let origin = self.origin(&path, &name, &wire);
                    if entry.iter().any(|v| v.wire == wire) {
                        continue;
                    }
                    entry.push(EnumValue {
                        variant: upper_camel(&wire),
                        wire,
                        origin,
                    });
                }
            }
        }
        for (name, renames) in &overlay.variant_names.0 {
            for (wire, variant) in &renames.0 {
                let origin = self.origin(&overlay_path, wire, "");
                match enums
                    .get_mut(name)
                    .and_then(|vs| vs.iter_mut().find(|v| &v.wire == wire))
                {
                    Some(v) => v.variant = variant.clone(),
                    None => self.error(
                        &origin,
                        format!("overlay renames `{wire}`, which is not a value of enum `{name}`"),
                    ),
                }
            }
        }
        let mut enum_types = Vec::new();
        for (name, values) in enums {
            let decl = enum_decl[&name].clone();
            if let Some(p) = ident_problem(&name) {
                self.error(&decl, format!("enum name {p}"));
            }
            if values.is_empty() {
                self.error(
                    &decl,
                    format!(
                        "enum `{name}` has no values (add them under `enums:` in {})",
                        super::OVERLAY_FILE
                    ),
                );
            }
            let mut by_variant: HashMap<&str, &EnumValue> = HashMap::new();
            for v in &values {
                if let Some(p) = ident_problem(&v.variant).filter(|_| !v.variant.is_empty()) {
                    self.error(
                        &v.origin,
                        format!("enum `{name}` value `{}` gives variant name {p}", v.wire),
                    );
                } else if v.variant.is_empty() || v.variant == "Unknown" {
                    self.error(
                        &v.origin,
                        format!(
                            "enum `{name}` value `{}` gives no usable variant name",
                            v.wire
                        ),
                    );
                }
                if let Some(first) = by_variant.get(v.variant.as_str()) {
                    self.error(
                        &v.origin,
                        format!(
                            "enum `{name}` values `{}` and `{}` collide: both become variant `{}`",
                            first.wire, v.wire, v.variant
                        ),
                    );
                } else {
                    by_variant.insert(&v.variant, v);
                }
            }
            enum_types.push(EnumType { name, values });
        }

        let known = Known {
            nodes: nodes.keys().cloned().collect(),
            external: external.keys().cloned().collect(),
            enums: enum_types.iter().map(|e| e.name.clone()).collect(),
        };

        // Node fields and edges.
        for (path, doc) in &raw.pages {
            if doc.edge.is_some() {
                continue;
            }
            let Some(draft) = nodes.get(&doc.node) else {
                continue;
            };
            if draft.node.origin.file != *path {
                continue;
            }
            let on = draft.overlay.clone().unwrap_or_default();
            let mut fields = Vec::new();
            let mut edges = Vec::new();
            for f in &on.fields {
                if let Some(field) = self.field(
                    FieldAt::one(&overlay_path),
                    f.name.as_str(),
                    f.ty.as_deref(),
                    f.description.clone(),
                    f.always,
                    None,
                    &on,
                    &known,
                ) {
                    fields.push(field);
                }
            }
            for f in &doc.fields {
                // A type the page does not print may come from the overlay's `field_types`.
                let (type_file, ty) = match &f.ty {
                    Some(t) => (path.as_path(), Some(t.clone())),
                    None => (overlay_path.as_path(), on.field_types.get(&f.name).cloned()),
                };
                let at = FieldAt {
                    name_file: path,
                    type_file,
                };
                if let Some(field) = self.field(
                    at,
                    &f.name,
                    ty.as_deref(),
                    f.description.clone(),
                    false,
                    None,
                    &on,
                    &known,
                ) {
                    fields.push(field);
                }
            }
            for e in &doc.edges {
                let target_origin = self.origin(path, "target", &e.target);
                let (name, curated) = match (&e.name, on.edge_names.get(&e.target)) {
                    (Some(n), _) => (n.clone(), false),
                    (None, Some(n)) => (n.clone(), true),
                    (None, None) => {
                        self.error(
                            &target_origin,
                            format!(
                                "edge to `{}` of node `{}` has no name: add it under `edge_names` in {}",
                                e.target, doc.node, super::OVERLAY_FILE
                            ),
                        );
                        continue;
                    }
                };
                if !known.nodes.contains(&e.target) && !known.external.contains(&e.target) {
                    self.error(
                        &target_origin,
                        format!(
                            "unknown type `{}` (edge target of `{}`)",
                            e.target, doc.node
                        ),
                    );
                }
                edges.push(Edge {
                    name,
                    target: e.target.clone(),
                    description: e.description.clone(),
                    name_curated: curated,
                    origin: target_origin,
                });
            }
            for (target, _) in &on.edge_names.0 {
                if !doc.edges.iter().any(|e| &e.target == target) {
                    let o = self.origin(&overlay_path, target, "");
                    self.error(
                        &o,
                        format!(
                            "overlay names an edge to `{target}` that node `{}` does not have",
                            doc.node
                        ),
                    );
                }
            }
            let d = nodes.get_mut(&doc.node).expect("draft exists");
            d.node.fields = fields;
            d.node.edges = edges;
            d.node.reference = on.reference.clone();
            d.node.id_note = on.id_note.clone();
            d.node.rate_limit_class = on.rate_limit_class.clone();
            if d.node.description.is_none() {
                d.node.description = on.description.clone();
            }
        }
        // Overlay-only nodes.
        let overlay_only: Vec<String> = nodes
            .iter()
            .filter(|(_, d)| d.node.origin.is_curated())
            .map(|(n, _)| n.clone())
            .collect();
        for name in overlay_only {
            let on = nodes[&name].overlay.clone().unwrap_or_default();
            let mut fields = Vec::new();
            for f in &on.fields {
                if let Some(field) = self.field(
                    FieldAt::one(&overlay_path),
                    &f.name,
                    f.ty.as_deref(),
                    f.description.clone(),
                    f.always,
                    None,
                    &on,
                    &known,
                ) {
                    fields.push(field);
                }
            }
            let d = nodes.get_mut(&name).expect("draft exists");
            d.node.fields = fields;
            d.node.reference = on.reference.clone();
            d.node.id_note = on.id_note.clone();
        }

        // Operations, merged by method and path.
        let mut ops: BTreeMap<(String, String), OpDraft> = BTreeMap::new();
        for (path, doc) in &raw.pages {
            if !known.nodes.contains(&doc.node) {
                let o = self.origin(path, "node", &doc.node);
                self.error(
                    &o,
                    format!(
                        "unknown node `{}` (declare it in {} or add its page)",
                        doc.node,
                        super::OVERLAY_FILE
                    ),
                );
            }
            for op in &doc.operations {
                let origin = self.origin(path, "path", &op.path);
                let key = (op.path.clone(), op.method.to_ascii_uppercase());
                let score = owner_score(doc, &op.path);
                match ops.get_mut(&key) {
                    Some(d) => {
                        for s in &doc.sources {
                            if !d.sources.contains(s) {
                                d.sources.push(s.clone());
                            }
                        }
                        if score > d.owner_score {
                            let old = std::mem::replace(&mut d.op, op.clone());
                            let old_file = std::mem::replace(&mut d.file, path.clone());
                            d.extra.push((old_file, old));
                            d.owner_score = score;
                            d.node = doc.node.clone();
                            d.origin = origin;
                        } else {
                            d.extra.push((path.clone(), op.clone()));
                        }
                    }
                    None => {
                        ops.insert(
                            key,
                            OpDraft {
                                owner_score: score,
                                op: op.clone(),
                                file: path.clone(),
                                node: doc.node.clone(),
                                sources: doc.sources.clone(),
                                origin,
                                extra: Vec::new(),
                            },
                        );
                    }
                }
            }
        }
        let mut operations = Vec::new();
        let mut added: Vec<(String, Field)> = Vec::new();
        let mut used_overlay_ops = vec![false; overlay.operations.len()];
        for ((path_key, method), d) in ops {
            let ov_index = overlay
                .operations
                .iter()
                .position(|o| o.path == path_key && o.method.eq_ignore_ascii_case(&method));
            if let Some(i) = ov_index {
                used_overlay_ops[i] = true;
            }
            let ov = ov_index
                .map(|i| overlay.operations[i].clone())
                .unwrap_or_default();
            if let Some(op) = self.operation(&d, &method, &ov, &overlay_path, &known, &mut added) {
                operations.push(op);
            }
        }
        for (i, used) in used_overlay_ops.iter().enumerate() {
            if !used {
                let o = &overlay.operations[i];
                let origin = self.origin(&overlay_path, "path", &o.path);
                self.error(
                    &origin,
                    format!(
                        "overlay operation `{} {}` matches no documented operation",
                        o.method, o.path
                    ),
                );
            }
        }
        let mut names: HashMap<String, Origin> = HashMap::new();
        for op in &operations {
            if let Some(first) = names.get(&op.rust_name) {
                let msg = format!(
                    "operation name `{}` is used twice (first at {})",
                    op.rust_name,
                    first.file.display()
                );
                self.error(&op.origin, msg);
            } else {
                names.insert(op.rust_name.clone(), op.origin.clone());
            }
        }
        // Fields edges add to the nodes they return.
        for (node_name, field) in added {
            let Some(d) = nodes.get_mut(&node_name) else {
                continue;
            };
            match d.node.fields.iter().find(|f| f.name == field.name) {
                Some(existing) if existing.ty == field.ty => {}
                Some(existing) => {
                    let msg = format!(
                        "field `{}` added to `{node_name}` as `{}` but the node has it as `{}`",
                        field.name, field.ty, existing.ty
                    );
                    let o = field.origin.clone();
                    self.error(&o, msg);
                }
                None => d.node.fields.push(field),
            }
        }
        for d in nodes.values() {
            let mut seen: HashMap<&str, &Field> = HashMap::new();
            let mut dup = Vec::new();
            for f in &d.node.fields {
                if seen.insert(f.rust_name.as_str(), f).is_some() {
                    dup.push((
                        f.origin.clone(),
                        format!("duplicate field `{}` in node `{}`", f.name, d.node.name),
                    ));
                }
            }
            let mut seen_edges: HashMap<&str, ()> = HashMap::new();
            for e in &d.node.edges {
                if seen_edges.insert(e.name.as_str(), ()).is_some() {
                    dup.push((
                        e.origin.clone(),
                        format!("duplicate edge `{}` in node `{}`", e.name, d.node.name),
                    ));
                }
            }
            for (o, m) in dup {
                self.error(&o, m);
            }
        }

        // Error codes: union of every page table, then the overlay's names and classes.
        let mut errors: BTreeMap<i64, ErrorCode> = BTreeMap::new();
        for (_, doc) in &raw.pages {
            for (code, desc) in &doc.errors.0 {
                errors.entry(*code).or_insert_with(|| ErrorCode {
                    code: *code,
                    variant: format!("Code{code}"),
                    description: Some(desc.clone()),
                    class: None,
                    curated: false,
                });
            }
        }
        for (code, oe) in &overlay.errors.0 {
            let origin = self.origin(&overlay_path, &code.to_string(), "");
            let e = errors.entry(*code).or_insert_with(|| ErrorCode {
                code: *code,
                variant: format!("Code{code}"),
                description: None,
                class: None,
                curated: true,
            });
            if let Some(n) = &oe.name {
                e.variant = n.clone();
            }
            if e.description.is_none() {
                e.description = oe.description.clone();
            }
            if oe.class.is_some() {
                e.class = oe.class;
            }
            if let Some(p) = ident_problem(&e.variant) {
                let msg = format!("error code {code}: variant name {p}");
                self.error(&origin, msg);
            }
        }
        let mut variants: HashMap<String, i64> = HashMap::new();
        for e in errors.values() {
            if let Some(other) = variants.insert(e.variant.clone(), e.code) {
                let msg = format!(
                    "error codes {other} and {} both use variant name `{}`",
                    e.code, e.variant
                );
                self.push(file_diag(&overlay_path, 0, 0, msg));
            }
        }
        for op in &operations {
            for code in &op.errors {
                if !errors.contains_key(code) {
                    let msg = format!(
                        "operation `{}` lists error code {code} that no error table describes",
                        op.rust_name
                    );
                    self.error(&op.origin, msg);
                }
            }
        }

        Spec {
            version,
            nodes: nodes.into_values().map(|d| d.node).collect(),
            external_nodes: external.into_keys().collect(),
            enums: enum_types,
            operations,
            errors: errors.into_values().collect(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        at: FieldAt<'_>,
        name: &str,
        ty: Option<&str>,
        description: Option<String>,
        always: bool,
        added_by: Option<String>,
        on: &OverlayNode,
        known: &Known,
    ) -> Option<Field> {
        let origin = self.origin(at.name_file, "name", name);
        let rust_name = on
            .rust_names
            .get(&name.to_string())
            .cloned()
            .unwrap_or_else(|| name.to_string());
        if let Some(p) = ident_problem(&rust_name) {
            self.error(
                &origin,
                format!(
                    "field name {p}; give it a Rust name under `rust_names` for its node in {}",
                    super::OVERLAY_FILE
                ),
            );
        }
        let Some(ty_text) = ty else {
            self.error(
                &origin,
                format!(
                    "field `{name}` has no type (give one under `field_types` in {})",
                    super::OVERLAY_FILE
                ),
            );
            return None;
        };
        let ty = self.parse_type(at.type_file, ty_text, known, false)?;
        Some(Field {
            name: name.to_string(),
            rust_name,
            ty,
            description,
            always,
            added_by,
            origin,
        })
    }

    /// Parses a type and checks every name it refers to.
    fn parse_type(
        &mut self,
        file: &Path,
        text: &str,
        known: &Known,
        allow_struct: bool,
    ) -> Option<Type> {
        let key = "type";
        match Type::parse(text) {
            Ok(ty) => {
                let mut ok = true;
                for name in ty
                    .references()
                    .into_iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
                {
                    let origin = self.origin(file, key, &name);
                    let is_enum =
                        matches!(&ty, Type::Enum(n) if *n == name) || contains_enum(&ty, &name);
                    if is_enum {
                        if !known.enums.contains(&name) {
                            self.error(&origin, format!("unknown enum `{name}` in type `{text}`"));
                            ok = false;
                        }
                    } else if known.external.contains(&name) {
                        self.error(&origin, format!("type `{name}` is an external node without a model; it can only be an edge target"));
                        ok = false;
                    } else if !known.nodes.contains(&name) {
                        self.error(&origin, format!("unknown type `{name}` in type `{text}`"));
                        ok = false;
                    }
                }
                if matches!(ty, Type::Struct(_)) && !allow_struct {
                    let origin = self.origin(file, key, "Struct");
                    self.error(
                        &origin,
                        "`Struct {…}` is only allowed as a return type".into(),
                    );
                    ok = false;
                }
                ok.then_some(ty)
            }
            Err(msg) => {
                let first = text
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .find(|w| !w.is_empty())
                    .unwrap_or(text);
                let origin = self.origin(file, key, first);
                self.error(&origin, msg);
                None
            }
        }
    }

    fn param(&mut self, file: &Path, p: &RawParam, curated: bool, known: &Known) -> Option<Param> {
        let origin = self.origin(file, "name", &p.name);
        if let Some(problem) = ident_problem(&p.name) {
            self.error(&origin, format!("parameter name {problem}"));
        }
        let Some(ty_text) = &p.ty else {
            self.error(&origin, format!("parameter `{}` has no type", p.name));
            return None;
        };
        let ty = self.parse_type(file, ty_text, known, false)?;
        Some(Param {
            name: p.name.clone(),
            rust_name: p.name.clone(),
            ty,
            required: p.required,
            description: p.description.clone(),
            curated,
        })
    }

    fn operation(
        &mut self,
        d: &OpDraft,
        method: &str,
        ov: &super::raw::OverlayOperation,
        overlay_path: &Path,
        known: &Known,
        added: &mut Vec<(String, Field)>,
    ) -> Option<Operation> {
        let op = &d.op;
        if !matches!(method, "GET" | "POST" | "DELETE") {
            self.error(
                &d.origin,
                format!("unsupported HTTP method `{}`", op.method),
            );
            return None;
        }
        let segments: Vec<&str> = op.path.split('/').skip(1).collect();
        let mut path_params = Vec::new();
        let mut edge = None;
        let mut bad = !op.path.starts_with('/') || segments.is_empty();
        for (i, s) in segments.iter().enumerate() {
            if let Some(p) = s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if ident_problem(p).is_some() || i != 0 {
                    bad = true;
                }
                path_params.push(p.to_string());
            } else if i == 1 && ident_problem(s).is_none() {
                edge = Some(s.to_string());
            } else {
                bad = true;
            }
        }
        if bad || path_params.is_empty() || segments.len() > 2 {
            self.error(
                &d.origin,
                format!(
                    "path `{}` is not of the form /{{node_id}} or /{{node_id}}/edge",
                    op.path
                ),
            );
            return None;
        }
        let kind = op.kind.unwrap_or(match method {
            "GET" => OpKind::Read,
            "DELETE" => OpKind::Delete,
            _ => OpKind::Update,
        });
        let mut params = Vec::new();
        for p in &op.params {
            let mut p = p.clone();
            let curated = !p.required && ov.required.contains(&p.name);
            p.required |= ov.required.contains(&p.name);
            if let Some(mut param) = self.param(&d.file, &p, false, known) {
                param.curated = curated;
                params.push(param);
            }
        }
        // Parameters only another page of the same endpoint documents are kept too.
        for (file, other) in &d.extra {
            for p in &other.params {
                if params.iter().any(|q| q.name == p.name) {
                    // Still consume its origin so later lookups in that file stay aligned.
                    let _ = self.origin(file, "name", &p.name);
                    if let Some(ty) = p.ty.as_deref().and_then(|t| Type::parse(t).ok()) {
                        for r in ty.references() {
                            let _ = self.origin(file, "type", r);
                        }
                    }
                    continue;
                }
                if let Some(param) = self.param(file, p, false, known) {
                    params.push(param);
                }
            }
        }
        for p in &ov.params {
            if params.iter().any(|q| q.name == p.name) {
                let o = self.origin(overlay_path, "name", &p.name);
                self.error(
                    &o,
                    format!(
                        "overlay adds parameter `{}` that the page already documents",
                        p.name
                    ),
                );
                continue;
            }
            if let Some(param) = self.param(overlay_path, p, true, known) {
                params.push(param);
            }
        }
        for r in &ov.required {
            if !params.iter().any(|p| &p.name == r) {
                let o = self.origin(overlay_path, "required", r);
                self.error(
                    &o,
                    format!(
                        "overlay marks unknown parameter `{r}` of `{method} {}` required",
                        op.path
                    ),
                );
            }
        }
        let rust_name = ov
            .rust_name
            .clone()
            .unwrap_or_else(|| default_op_name(kind, &d.node, edge.as_deref()));
        if let Some(p) = ident_problem(&rust_name) {
            self.error(&d.origin, format!("operation name {p}"));
        }
        let returns = match &op.returns {
            None => {
                self.error(
                    &d.origin,
                    format!("operation `{method} {}` has no return type", op.path),
                );
                return None;
            }
            Some(text) => {
                let ty = self.parse_type(&d.file, text, known, true)?;
                match ty {
                    Type::Node(n) => Returns::Node(n),
                    Type::List(inner) => match *inner {
                        Type::Node(item) => {
                            let edge_name = edge.clone().unwrap_or_default();
                            for f in &op.added_fields {
                                let on = OverlayNode::default();
                                if let Some(field) = self.field(
                                    FieldAt::one(&d.file),
                                    &f.name,
                                    f.ty.as_deref(),
                                    f.description.clone(),
                                    false,
                                    Some(op.path.clone()),
                                    &on,
                                    known,
                                ) {
                                    added.push((item.clone(), field));
                                }
                            }
                            let mut summary_fields = Vec::new();
                            for f in &op.summary_fields {
                                let on = OverlayNode::default();
                                if let Some(field) = self.field(
                                    FieldAt::one(&d.file),
                                    &f.name,
                                    f.ty.as_deref(),
                                    f.description.clone(),
                                    false,
                                    None,
                                    &on,
                                    known,
                                ) {
                                    summary_fields.push(field);
                                }
                            }
                            let summary = (!summary_fields.is_empty())
                                .then(|| format!("{}Summary", upper_camel(&edge_name)));
                            Returns::Page {
                                item,
                                summary,
                                summary_fields,
                            }
                        }
                        other => {
                            self.error(
                                &d.origin,
                                format!("list return type must be a list of nodes, not `{other}`"),
                            );
                            return None;
                        }
                    },
                    Type::Struct(fs) => {
                        let name = format!(
                            "{}Response",
                            fs.iter().map(|(n, _)| upper_camel(n)).collect::<String>()
                        );
                        let fields = fs
                            .into_iter()
                            .map(|(n, ty)| Field {
                                rust_name: n.clone(),
                                name: n,
                                ty,
                                description: None,
                                always: true,
                                added_by: None,
                                origin: d.origin.clone(),
                            })
                            .collect();
                        Returns::Struct { name, fields }
                    }
                    other => {
                        self.error(&d.origin, format!("unsupported return type `{other}`"));
                        return None;
                    }
                }
            }
        };
        if let Some(c) = op
            .creates
            .as_ref()
            .filter(|c| !known.nodes.contains(c) && !known.external.contains(c))
        {
            let o = self.origin(&d.file, "creates", c);
            self.error(
                &o,
                format!("unknown type `{c}` (created by `{method} {}`)", op.path),
            );
        }
        let mut errors = op.errors.clone();
        for (_, other) in &d.extra {
            for c in &other.errors {
                if !errors.contains(c) {
                    errors.push(*c);
                }
            }
        }
        let req = op.requirements.clone().unwrap_or_default();
        Some(Operation {
            rust_name,
            kind,
            method: method.to_string(),
            path: op.path.clone(),
            path_params,
            node: d.node.clone(),
            edge,
            description: op.description.clone(),
            permissions: req.permissions,
            ids: req.ids,
            token: req.token,
            params,
            returns,
            creates: op.creates.clone(),
            read_after_write: op.read_after_write
                || d.extra.iter().any(|(_, o)| o.read_after_write),
            idempotent: ov.idempotent.unwrap_or(method != "POST"),
            errors,
            sources: d.sources.clone(),
            origin: d.origin.clone(),
        })
    }
}

struct Known {
    nodes: Vec<String>,
    external: Vec<String>,
    enums: Vec<String>,
}

fn contains_enum(ty: &Type, name: &str) -> bool {
    match ty {
        Type::Enum(n) => n == name,
        Type::List(t) => contains_enum(t, name),
        Type::Struct(fs) => fs.iter().any(|(_, t)| contains_enum(t, name)),
        _ => false,
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

fn default_op_name(kind: OpKind, node: &str, edge: Option<&str>) -> String {
    match (kind, edge) {
        (OpKind::Read, None) => format!("Get{node}"),
        (OpKind::Read, Some(e)) => format!("List{}", upper_camel(e)),
        (OpKind::Create, Some(e)) => format!("Create{}", upper_camel(&singular(e))),
        (OpKind::Update, Some(e)) => format!("Update{}", upper_camel(&singular(e))),
        (OpKind::Delete, Some(e)) => format!("Delete{}", upper_camel(&singular(e))),
        (k, None) => format!("{}{node}", upper_camel(k.as_str())),
    }
}

/// Where a field's name and its type are written (a page field's type may be curated).
#[derive(Clone, Copy)]
struct FieldAt<'a> {
    name_file: &'a Path,
    type_file: &'a Path,
}

impl<'a> FieldAt<'a> {
    fn one(file: &'a Path) -> Self {
        FieldAt {
            name_file: file,
            type_file: file,
        }
    }
}
