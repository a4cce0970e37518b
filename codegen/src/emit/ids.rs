//! One typed ID per node that has an ID (`WabaId`, `BusinessId`, …), named after the node's
//! short name.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::Rt;
use crate::names::upper_camel;
use crate::spec::model::{Returns, Spec};

/// The typed ID of `node`, if the node has one: it has an `id` field, is only referenced
/// (external nodes are an ID and raw JSON), or an operation starts at, creates or names it.
/// A node listing another's objects (`id_of`) has that node's ID.
pub(crate) fn ident(spec: &Spec, node: &str) -> Option<Ident> {
    let short = spec.short_names.iter().find(|s| s.node == node);
    if let Some(target) = short.and_then(|s| s.id_of.as_deref()) {
        return ident(spec, target);
    }
    let has_id = match spec.node(node) {
        Some(n) => n.fields.iter().any(|f| f.name == "id"),
        None => spec.external_nodes.iter().any(|e| e == node),
    } || spec.operations.iter().any(|op| {
        op.node == node
            || op.creates.as_deref() == Some(node)
            || op.params.iter().any(|p| p.id_of.as_deref() == Some(node))
    });
    has_id.then(|| format_ident!("{}Id", upper_camel(spec.short_name(node))))
}

/// `ids::WabaId` as seen from a sibling module of the generated file.
pub(crate) fn path(spec: &Spec, node: &str) -> Option<TokenStream> {
    ident(spec, node).map(|i| quote!(super::ids::#i))
}

/// The type a create's `{id}` answer is decoded into, named after the created node
/// (`PhoneNumberCreated`), so that its `id` is typed.
pub(crate) fn created_name(
    spec: &Spec,
    creates: Option<&str>,
    returns: &Returns,
) -> Option<String> {
    let Returns::Struct { fields, .. } = returns else {
        return None;
    };
    let node = creates?;
    ident(spec, node)?;
    fields
        .iter()
        .any(|f| f.name == "id")
        .then(|| format!("{}Created", upper_camel(spec.short_name(node))))
}

pub(crate) fn emit(spec: &Spec, rt: &Rt) -> TokenStream {
    let ids = spec.short_names.iter().filter(|s| s.id_of.is_none()).filter_map(|s| {
        let name = ident(spec, &s.node)?;
        let node = if spec.node(&s.node).is_some() {
            format!("[`{0}`](super::models::{0})", s.node)
        } else {
            format!("`{}`", s.node)
        };
        let doc = format!(
            "The ID of a {node} node: a validated [`GraphId`](crate::GraphId) that fits only where a {node} ID belongs."
        );
        Some(quote!(#rt::typed_id!(#name, #doc);))
    });
    quote!( #( #ids )* )
}
