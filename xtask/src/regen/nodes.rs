//! Which types are Graph nodes: decisions regen takes over the merged documents, before they
//! are written.
//!
//! - An edge read answers a page of objects whose fields a caller selects (`fields=`): the
//!   document's item schema of such a page is a node (its own document under `nodes/`), not a
//!   value type under `structs/`.
//! - A node an operation starts at (`/{User-ID}/…`) is a node even when no page or schema
//!   describes it: it gets a document with what is known (its name), so it has a typed ID and a
//!   handle.

use std::collections::BTreeSet;

use waba_codegen::spec::raw::{PageDoc, RawField, StructDoc};

use super::merge::doc_path;

/// Moves the structs that pages of an edge read are made of into node documents of `docs`
/// (kept sorted by path); returns their names.
pub fn promote_page_items(
    docs: &mut Vec<(String, PageDoc)>,
    structs: &mut Vec<StructDoc>,
) -> Vec<String> {
    let items: BTreeSet<String> = docs
        .iter()
        .flat_map(|(_, d)| &d.operations)
        .filter_map(|o| {
            o.returns
                .as_deref()?
                .strip_prefix("list<")?
                .strip_suffix('>')
                .map(str::to_string)
        })
        .collect();
    let mut moved = Vec::new();
    for name in items {
        let Some(i) = structs
            .iter()
            .position(|s| s.name == *name && s.one_of.is_empty())
        else {
            continue;
        };
        let path = doc_path(&name, None);
        if docs.iter().any(|(p, _)| *p == path) {
            continue;
        }
        let s = structs.remove(i);
        moved.push(s.name.clone());
        docs.push((
            path,
            PageDoc {
                node: s.name,
                sources: s.sources,
                description: s.description,
                fields: s
                    .fields
                    .into_iter()
                    .map(|f| RawField {
                        name: f.name,
                        ty: f.ty,
                        description: f.description,
                    })
                    .collect(),
                enums: s.enums,
                ..PageDoc::default()
            },
        ));
    }
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    moved
}

/// Adds a bare node document for every node an edge document belongs to that has none and that
/// `known` (the overlay's nodes) does not declare; returns their names.
pub fn declare_path_nodes(
    docs: &mut Vec<(String, PageDoc)>,
    known: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let owners: BTreeSet<String> = docs
        .iter()
        .filter(|(_, d)| d.edge.is_some())
        .map(|(_, d)| d.node.clone())
        .collect();
    let mut added = Vec::new();
    for node in owners {
        let path = doc_path(&node, None);
        if known(&node) || docs.iter().any(|(p, _)| *p == path) {
            continue;
        }
        let sources = docs
            .iter()
            .filter(|(_, d)| d.node == node)
            .flat_map(|(_, d)| d.sources.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        docs.push((
            path,
            PageDoc {
                node: node.clone(),
                sources,
                ..PageDoc::default()
            },
        ));
        added.push(node);
    }
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use waba_codegen::spec::raw::{RawOperation, RawParam};

    fn edge(node: &str, edge: &str, returns: &str) -> (String, PageDoc) {
        (
            doc_path(node, Some(edge)),
            PageDoc {
                node: node.into(),
                edge: Some(edge.into()),
                sources: vec![format!("{node}.md")],
                operations: vec![RawOperation {
                    method: "GET".into(),
                    path: format!("/{{x}}/{edge}"),
                    returns: Some(returns.into()),
                    ..RawOperation::default()
                }],
                ..PageDoc::default()
            },
        )
    }

    #[test]
    fn page_items_become_nodes_and_path_starts_get_documents() {
        let mut docs = vec![
            edge("Shop", "widgets", "list<Widget>"),
            edge("Shop", "profile", "ShopProfile"),
        ];
        let field = |n: &str| RawParam {
            name: n.into(),
            ty: Some("string".into()),
            required: true,
            description: Some(format!("The {n}.")),
        };
        let mut structs = vec![
            StructDoc {
                name: "ShopProfile".into(),
                fields: vec![field("about")],
                ..StructDoc::default()
            },
            StructDoc {
                name: "Widget".into(),
                sources: vec!["api.yaml#/components/schemas/Widget".into()],
                fields: vec![field("id"), field("name")],
                ..StructDoc::default()
            },
        ];
        assert_eq!(promote_page_items(&mut docs, &mut structs), ["Widget"]);
        assert_eq!(
            structs.len(),
            1,
            "a value type answered alone stays a struct"
        );
        // The documents stay sorted by path: the new node document comes after the edges.
        let paths: Vec<_> = docs.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "edges/Shop.profile.yaml",
                "edges/Shop.widgets.yaml",
                "nodes/Widget.yaml"
            ]
        );
        let (_, widget) = &docs[2];
        assert_eq!(widget.node, "Widget");
        assert_eq!(widget.sources, ["api.yaml#/components/schemas/Widget"]);
        let names: Vec<_> = widget.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["id", "name"]);

        let added = declare_path_nodes(&mut docs, &|n| n == "Declared");
        assert_eq!(added, ["Shop"]);
        assert!(
            docs.iter()
                .any(|(p, d)| p == "nodes/Shop.yaml" && d.sources == ["Shop.md"])
        );
        docs.retain(|(p, _)| p != "nodes/Shop.yaml");
        docs.push(edge("Declared", "things", "list<Widget>"));
        assert_eq!(
            declare_path_nodes(&mut docs, &|n| n == "Declared"),
            ["Shop"]
        );
    }
}
