//! Handles mirroring Graph's tree: `client.waba(&id)` is a node handle, `.assigned_users()` an
//! edge handle, and their methods start the operations' request builders. Where each operation
//! goes is decided in validation ([`Call`](crate::spec::model::Call)); this only emits it.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Rt, docs, ids, ops};
use crate::names::upper_camel;
use crate::spec::model::{Operation, Spec};

pub(crate) fn emit(spec: &Spec, rt: &Rt) -> TokenStream {
    let handles = spec.short_names.iter().filter_map(|s| {
        let node_ops: Vec<&Operation> = spec
            .operations
            .iter()
            .filter(|op| op.node == s.node)
            .collect();
        if node_ops.is_empty() {
            return None;
        }
        Some(node_handle(spec, &s.node, &s.short, &node_ops, rt))
    });
    quote!( #( #handles )* )
}

/// The handle type of node `short`, or of its edge.
fn handle_ident(short: &str, edge: Option<&str>) -> Ident {
    format_ident!(
        "{}{}Handle",
        upper_camel(short),
        edge.map(upper_camel).unwrap_or_default()
    )
}

fn node_handle(
    spec: &Spec,
    node: &str,
    short: &str,
    node_ops: &[&Operation],
    rt: &Rt,
) -> TokenStream {
    let id = ids::ident(spec, node).expect("an operation's node has a typed ID");
    let name = handle_ident(short, None);
    let accessor = format_ident!("{}", short);
    let own = node_ops
        .iter()
        .filter(|op| op.call.edge.is_none())
        .map(|op| method(spec, op, rt));
    let mut edges: Vec<&str> = Vec::new();
    for op in node_ops {
        if let Some(e) = op.call.edge.as_deref()
            && !edges.contains(&e)
        {
            edges.push(e);
        }
    }
    let edge_handles = edges.iter().map(|e| {
        let ident = handle_ident(short, Some(e));
        let method_name = format_ident!("{}", e);
        let methods = node_ops
            .iter()
            .filter(|op| op.call.edge.as_deref() == Some(*e))
            .map(|op| method(spec, op, rt));
        let doc = docs::attrs(&format!(
            "The `{e}` edge of a [`{node}`](super::models::{node}), from [`{name}::{e}`]."
        ));
        let accessor_doc = docs::attrs("This edge's operations. Sends nothing.");
        let handle = handle_struct(&doc, &ident, &id, rt);
        (
            quote! {
                #handle

                impl #ident<'_> {
                    #( #methods )*
                }
            },
            quote! {
                #accessor_doc
                pub fn #method_name(&self) -> #ident<'a> {
                    #ident { client: self.client, id: self.id }
                }
            },
        )
    });
    let (edge_types, edge_accessors): (Vec<_>, Vec<_>) = edge_handles.unzip();
    let doc = docs::attrs(&format!(
        "One [`{node}`](super::models::{node}): its operations and edges, from [`Client::{short}`](crate::Client::{short}). Borrows the client and the ID; sends nothing until a request's `send`."
    ));
    let client_doc = docs::attrs(&format!(
        "The [`{node}`](super::models::{node}) with ID `id`: a handle to its operations and edges. Sends nothing."
    ));
    let handle = handle_struct(&doc, &name, &id, rt);
    quote! {
        #handle

        impl<'a> #name<'a> {
            /// The node's ID.
            pub fn id(&self) -> &'a super::ids::#id {
                self.id
            }

            #( #own )*
            #( #edge_accessors )*
        }

        #( #edge_types )*

        impl #rt::Client {
            #client_doc
            pub fn #accessor<'a>(&'a self, id: &'a super::ids::#id) -> #name<'a> {
                #name { client: self, id }
            }
        }
    }
}

/// A handle type: borrows the client and the node's ID (a request builder copies what it
/// needs), so a handle costs nothing to make or copy.
fn handle_struct(doc: &TokenStream, name: &Ident, id: &Ident, rt: &Rt) -> TokenStream {
    quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a #rt::Client,
            id: &'a super::ids::#id,
        }
    }
}

/// The handle method that starts `op`'s builder.
fn method(spec: &Spec, op: &Operation, rt: &Rt) -> TokenStream {
    let builder = format_ident!("{}", op.rust_name);
    let method = format_ident!("{}", op.call.method);
    let args = ops::required_args(spec, op, rt);
    let decls = args.iter().map(|a| &a.decl);
    let idents = args.iter().map(|a| &a.ident);
    let doc = docs::attrs(&format!(
        "{}\n\nStarts [`ops::{}`](super::ops::{}) (`{} {}`); required parameters are arguments, optional ones its setters.",
        op.description
            .as_deref()
            .map(docs::sentence)
            .unwrap_or_default(),
        op.rust_name,
        op.rust_name,
        op.method,
        op.path,
    ));
    quote! {
        #doc
        pub fn #method(&self, #( #decls ),*) -> super::ops::#builder {
            super::ops::#builder::new(self.client, self.id, #( #idents ),*)
        }
    }
}
