//! Rust types for spec types, in responses (models) and in requests (builder arguments).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Rt;
use crate::spec::types::Type;

/// The Rust type of a response field. `models` is the path prefix of generated models.
pub(crate) fn response(ty: &Type, models: &TokenStream) -> TokenStream {
    match ty {
        Type::String | Type::NumericString | Type::Id | Type::DateTime => quote!(String),
        Type::Bool => quote!(bool),
        Type::Int32 => quote!(i32),
        Type::UInt32 => quote!(u32),
        Type::Int64 => quote!(i64),
        Type::Float => quote!(f64),
        Type::Json => quote!(serde_json::Value),
        Type::List(t) => {
            let t = response(t, models);
            quote!(Vec<#t>)
        }
        // A string-keyed object; `BTreeMap` so that its members serialize in one stable order.
        Type::Map(t) => {
            let t = response(t, models);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        Type::Enum(n) | Type::Node(n) | Type::Object(n) => {
            let n = format_ident!("{}", n);
            quote!(#models #n)
        }
        // Validation allows `Struct {…}` only as a return type, which becomes a named model.
        Type::Struct(_) => quote!(serde_json::Value),
    }
}

/// The Rust type a request parameter is stored as. IDs are validated [`GraphId`]s.
pub(crate) fn request(ty: &Type, rt: &Rt) -> TokenStream {
    match ty {
        Type::NumericString | Type::Id => quote!(#rt::GraphId),
        Type::List(t) => {
            let t = request(t, rt);
            quote!(Vec<#t>)
        }
        Type::Map(t) => {
            let t = request(t, rt);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        other => response(other, &quote!(models::)),
    }
}

/// How a builder method takes a value of this type: the argument type, and `value` (the
/// argument) converted to the stored type.
pub(crate) fn argument(ty: &Type, rt: &Rt, value: &TokenStream) -> (TokenStream, TokenStream) {
    match ty {
        Type::String | Type::DateTime => (quote!(impl Into<String>), quote!(#value.into())),
        Type::List(t) => {
            let item = request(t, rt);
            (
                quote!(impl IntoIterator<Item = #item>),
                quote!(#value.into_iter().collect()),
            )
        }
        other => (request(other, rt), value.clone()),
    }
}
