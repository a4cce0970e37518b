//! Where each operation sits among the generated handles, and the short names they use.
//!
//! A node is reached as `client.{short}(&id)`; an edge that holds objects (one the node lists,
//! or one with a read or a create) as `.{edge}()` on that handle, whose methods are named by
//! the operation's kind: `list`/`get` (read), `create`, `add` (update), `remove` (delete). An
//! edge that holds nothing (`register`, `request_code`) is an action: a method of the node
//! handle named after the edge. The node's own operations are `get`, `update`, `delete`. The
//! overlay's `short_names` shorten node and edge names, and an operation's `handle_method`
//! replaces the derived method name.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Curated, NodeDraft, RawSpec, Validator, overlay_op_origin};
use crate::diag::Origin;
use crate::names::{ident_problem, snake};
use crate::spec::model::{Call, Method, Operation, Returns, ShortName};
use crate::spec::raw::OpKind;
use crate::spec::types::Type;

impl Validator<'_> {
    /// Every node's short name: the overlay's, else the node's own name in snake_case. Checks
    /// the overlay's table: known nodes and edges, snake_case identifiers, no name used twice.
    pub(super) fn short_names(
        &mut self,
        ov: &Curated<'_>,
        nodes: &BTreeMap<String, NodeDraft<'_>>,
        external: &BTreeSet<String>,
        raw: &RawSpec,
    ) -> Vec<ShortName> {
        let table = &ov.doc.short_names;
        let at = ov.top.key("short_names");
        self.unique(&at.key("nodes"), "short_names.nodes", &table.nodes);
        self.unique(&at.key("edges"), "short_names.edges", &table.edges);
        for (node, short) in &table.nodes.0 {
            let here = at.key("nodes").key(node);
            if !nodes.contains_key(node) && !external.contains(node) {
                self.error(&here, format!("short name for unknown node `{node}`"));
            }
            self.check_short(&here, short);
        }
        // Edges as written, so that a problem elsewhere in an edge's document is not repeated here.
        let edges: BTreeSet<&str> = raw
            .pages
            .iter()
            .flat_map(|(_, d)| d.operations.iter())
            .filter_map(|o| o.path.split('/').nth(2))
            .chain(
                nodes
                    .values()
                    .flat_map(|d| d.node.edges.iter().map(|e| e.name.as_str())),
            )
            .collect();
        for (edge, short) in &table.edges.0 {
            let here = at.key("edges").key(edge);
            if !edges.contains(edge.as_str()) {
                self.error(&here, format!("short name for unknown edge `{edge}`"));
            }
            self.check_short(&here, short);
        }
        let mut out: Vec<ShortName> = nodes
            .keys()
            .chain(external)
            .map(|node| ShortName {
                node: node.clone(),
                short: table
                    .nodes
                    .get(node)
                    .cloned()
                    .unwrap_or_else(|| snake(node)),
                id_of: ov.doc.nodes.get(node).and_then(|o| o.id_of.clone()),
            })
            .collect();
        out.sort_by(|a, b| a.node.cmp(&b.node));
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for s in &out {
            if let Some(other) = seen.insert(&s.short, &s.node) {
                let msg = format!(
                    "nodes `{other}` and `{}` have one short name `{}`: give one of them another under `short_names.nodes`",
                    s.node, s.short
                );
                // At the table's entry for one of the two (the other may be derived).
                let listed = [s.node.as_str(), other]
                    .into_iter()
                    .find(|n| table.nodes.get(&n.to_string()).is_some());
                let here = listed.map_or_else(|| at.key("nodes"), |n| at.key("nodes").key(n));
                self.error(&here, msg);
            }
        }
        out
    }

    fn check_short(&mut self, at: &Origin, short: &str) {
        let problem = ident_problem(short)
            .or_else(|| (snake(short) != short).then(|| format!("`{short}` is not snake_case")));
        if let Some(p) = problem {
            self.error(at, format!("short name {p}"));
        }
    }

    /// Sets each operation's [`Call`] and the node its ID parameters name; two operations
    /// reached by one method of one handle are an error at the later one's overlay entry.
    pub(super) fn calls(
        &mut self,
        ov: &Curated<'_>,
        operations: &mut [Operation],
        nodes: &BTreeMap<String, NodeDraft<'_>>,
        short_names: &[ShortName],
    ) {
        let holds_objects: BTreeSet<(String, String)> = operations
            .iter()
            .filter(|o| o.kind == OpKind::Read || o.creates.is_some())
            .filter_map(|o| Some((o.node.clone(), o.edge.clone()?)))
            .chain(nodes.values().flat_map(|d| {
                d.node
                    .edges
                    .iter()
                    .map(|e| (d.node.name.clone(), e.name.clone()))
            }))
            .collect();
        let by_short: HashMap<&str, &str> = short_names
            .iter()
            .map(|s| (s.short.as_str(), s.node.as_str()))
            .chain(
                short_names
                    .iter()
                    .map(|s| (s.node.as_str(), s.node.as_str())),
            )
            .collect();
        let snake_names: HashMap<String, &str> = short_names
            .iter()
            .map(|s| (snake(&s.node), s.node.as_str()))
            .collect();
        let mut taken: HashMap<(String, Option<String>, String), String> = HashMap::new();
        for op in operations.iter_mut() {
            let i = ov.doc.operations.iter().position(|o| {
                o.path == op.path && op.method.as_str().eq_ignore_ascii_case(&o.method)
            });
            let at = i.map_or_else(|| op.origin.clone(), |i| overlay_op_origin(ov, i));
            let edge_short = |e: &str| {
                ov.doc
                    .short_names
                    .edges
                    .get(&e.to_string())
                    .cloned()
                    .unwrap_or_else(|| e.to_string())
            };
            let derived = match op.edge.as_deref() {
                None => Call {
                    edge: None,
                    method: node_method(op.kind).into(),
                },
                Some(e) if holds_objects.contains(&(op.node.clone(), e.to_string())) => Call {
                    edge: Some(edge_short(e)),
                    method: edge_method(op).into(),
                },
                Some(e) => Call {
                    edge: None,
                    method: match op.method {
                        Method::Post => edge_short(e),
                        _ => format!("{}_{}", node_method(op.kind), edge_short(e)),
                    },
                },
            };
            let custom = i.and_then(|i| ov.doc.operations[i].handle_method.clone());
            if let Some(m) = &custom
                && let Some(p) = ident_problem(m)
            {
                self.error(&at.key("handle_method"), format!("handle method {p}"));
            }
            op.call = Call {
                method: custom.unwrap_or(derived.method),
                ..derived
            };
            let key = (
                op.node.clone(),
                op.call.edge.clone(),
                op.call.method.clone(),
            );
            if let Some(other) = taken.insert(key, format!("{} {}", op.method, op.path)) {
                let msg = format!(
                    "`{} {}` and `{other}` would be one handle method `{}`: set `handle_method` for one of them in the overlay",
                    op.method, op.path, op.call.method
                );
                self.error(&at, msg);
            }
            for p in &mut op.params {
                if matches!(p.ty, Type::Id | Type::NumericString) {
                    let base = p.name.strip_suffix("_id").unwrap_or(&p.name);
                    p.id_of = by_short
                        .get(base)
                        .map(|n| n.to_string())
                        .or_else(|| snake_names.get(base).map(|n| n.to_string()));
                }
            }
        }
    }
}

/// The method of a node's own operation.
fn node_method(kind: OpKind) -> &'static str {
    match kind {
        OpKind::Read => "get",
        OpKind::Create => "create",
        OpKind::Update => "update",
        OpKind::Delete => "delete",
    }
}

/// The method of an operation on an edge that holds objects.
fn edge_method(op: &Operation) -> &'static str {
    match op.kind {
        OpKind::Read if matches!(op.returns, Returns::Page { .. }) => "list",
        OpKind::Read => "get",
        OpKind::Create => "create",
        OpKind::Update => "add",
        OpKind::Delete => "remove",
    }
}
