//! Node structs, open enums, field selectors, edge lists and response shapes.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Rt, docs, ids, rust_types};
use crate::spec::model::{Alternative, Field, Node, Returns, Shape, Spec, StructType};

/// Every model of the spec, in a stable order.
pub(crate) fn emit(spec: &Spec, rt: &Rt) -> TokenStream {
    let nodes = spec.nodes.iter().map(|n| node(spec, n, rt));
    let enums = spec.enums.iter().map(|e| open_enum(e, rt));
    let structs = spec.structs.iter().map(|s| value_type(spec, s));
    // Return shapes are named after their fields; two operations may share one.
    let mut shapes: BTreeMap<String, TokenStream> = BTreeMap::new();
    for op in &spec.operations {
        match &op.returns {
            Returns::Struct { name, fields } => {
                let created = op.creates.as_deref();
                let (name, id_ty) = match ids::created_name(spec, created, &op.returns) {
                    Some(n) => (n, created.and_then(|c| ids::path(spec, c))),
                    None => (name.clone(), None),
                };
                let doc = format!(
                    "The `{}` structure Graph returns from `{} {}` and other operations of the same shape.",
                    crate::spec::types::Type::Struct(
                        fields
                            .iter()
                            .map(|f| (f.name.clone(), f.ty.clone()))
                            .collect()
                    ),
                    op.method,
                    op.path
                );
                shapes
                    .entry(name.clone())
                    .or_insert_with(|| record(&name, &doc, fields, false, id_ty.as_ref()));
            }
            Returns::Page {
                summary: Some(name),
                summary_fields,
                ..
            } => {
                let doc = format!(
                    "The `summary` of `{} {}`: aggregate information about the edge, returned when the request asks for it.",
                    op.method, op.path
                );
                shapes.entry(name.clone()).or_insert_with(|| {
                    let record = record(name, &doc, summary_fields, true, None);
                    let ident = format_ident!("{}", name);
                    quote! {
                        #record
                        impl #rt::EdgeSummary for #ident {}
                    }
                });
            }
            _ => {}
        }
    }
    let shapes = shapes.into_values();
    quote! {
        #( #nodes )*
        #( #enums )*
        #( #structs )*
        #( #shapes )*
    }
}

fn node(spec: &Spec, n: &Node, rt: &Rt) -> TokenStream {
    let mut doc = n
        .description
        .as_deref()
        .map(docs::sentence)
        .unwrap_or_else(|| format!("The `{}` node.", n.name));
    if let Some(note) = &n.id_note {
        doc.push_str(&format!("\n\n{}", docs::sentence(note)));
    }
    if !n.rate_limits.is_empty() {
        doc.push_str("\n\nSubject to Business Use Case rate limits");
        if let Some(class) = &n.rate_limit_class {
            doc.push_str(&format!(" (class `{class}`)"));
        }
        doc.push(':');
        for r in &n.rate_limits {
            doc.push_str(&format!("\n- {}", r.replace('{', "`{").replace('}', "}`")));
        }
    }
    for note in &n.notes {
        doc.push_str(&format!("\n\n{}", docs::sentence(note)));
    }
    if let Some(r) = &n.reference {
        doc.push_str(&format!("\n\nReference: <{r}>"));
    }
    let id_ty = ids::path(spec, &n.name);
    let body = record_fields(&n.fields, true, id_ty.as_ref());
    let name = format_ident!("{}", n.name);
    let doc = docs::attrs(&doc);
    // Only nodes that some operation returns can be read with `fields=`.
    let returned = spec.operations.iter().any(|op| match &op.returns {
        Returns::Node(r) | Returns::Page { item: r, .. } => *r == n.name,
        Returns::Struct { .. } | Returns::Object(_) | Returns::Json => false,
    });
    let selector = if returned {
        field_selector(n, rt)
    } else {
        TokenStream::new()
    };
    let edges = edge_list(spec, n);
    let derives = derives(&n.fields, true, id_ty.as_ref());
    let constructor = constructor(&n.name, &n.fields, id_ty.as_ref());
    quote! {
        #doc
        #derives
        pub struct #name {
            #body
        }
        #constructor
        #selector
        #edges
    }
}

/// `new(required fields…)`: the fields Graph always sends (a struct's required members) are
/// arguments, the rest start empty.
fn constructor(type_name: &str, fields: &[Field], id_ty: Option<&TokenStream>) -> TokenStream {
    let name = format_ident!("{}", type_name);
    let required: Vec<_> = fields.iter().filter(|f| f.always).collect();
    let args = required.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        let ty = field_type(f, id_ty);
        quote!(#ident: #ty)
    });
    let inits = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        if f.always {
            quote!(#ident)
        } else {
            quote!(#ident: None)
        }
    });
    let doc = format!("A `{type_name}` with its required fields; the others start empty.");
    quote! {
        impl #name {
            #[doc = #doc]
            pub fn new(#( #args ),*) -> Self {
                #name { #( #inits, )* extra: serde_json::Map::new() }
            }
        }
    }
}

/// A named struct for a summary or a return shape.
fn record(
    name: &str,
    doc: &str,
    fields: &[Field],
    optional: bool,
    id_ty: Option<&TokenStream>,
) -> TokenStream {
    let ident = format_ident!("{}", name);
    let doc = docs::attrs(doc);
    let body = record_fields(fields, optional, id_ty);
    let derives = derives(fields, optional, id_ty);
    quote! {
        #doc
        #derives
        pub struct #ident {
            #body
        }
    }
}

/// `Default` only where every required field has one (open enums have no default value).
fn derives(fields: &[Field], optional: bool, id_ty: Option<&TokenStream>) -> TokenStream {
    use crate::spec::types::Type;
    let required = fields.iter().filter(|f| f.always || !optional);
    // Nor do typed IDs: an empty ID is not valid.
    let no_default = |f: &Field| {
        matches!(f.ty, Type::Enum(_) | Type::Node(_) | Type::Object(_))
            || (id_ty.is_some() && f.name == "id")
    };
    if !required.into_iter().any(no_default) {
        quote!(#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)])
    }
}

/// Struct fields: `Option` unless Graph always sends the field, plus a map that keeps every key
/// the spec does not know so that nothing in a response is silently dropped.
fn record_fields(fields: &[Field], optional: bool, id_ty: Option<&TokenStream>) -> TokenStream {
    let fields = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust_name);
        let ty = field_type(f, id_ty);
        let mut doc = f
            .description
            .as_deref()
            .map(docs::sentence)
            .unwrap_or_default();
        if let Some(path) = &f.added_by {
            doc.push_str(&format!(
                "\n\nOnly returned when read through `GET {path}`."
            ));
        }
        doc.push_str(&format!("\n\nGraph type: `{}`.", f.ty));
        let doc = docs::attrs(doc.trim_start());
        let wire = &f.name;
        let rename = (f.rust_name != f.name).then(|| quote!(#[serde(rename = #wire)]));
        if f.always || !optional {
            quote! { #doc #rename pub #ident: #ty, }
        } else {
            quote! {
                #doc
                #rename
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub #ident: Option<#ty>,
            }
        }
    });
    quote! {
        #( #fields )*
        /// Keys the spec does not describe, kept as received (and sent back as they are).
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

/// A field's Rust type; the `id` of a node with a typed ID is that ID.
fn field_type(f: &Field, id_ty: Option<&TokenStream>) -> TokenStream {
    match id_ty {
        Some(id) if f.name == "id" => id.clone(),
        _ => rust_types::response(&f.ty, &TokenStream::new()),
    }
}

/// A value type of `structs/`: a record (required members plain, the others `Option`), or a
/// `oneOf` enum.
fn value_type(spec: &Spec, s: &StructType) -> TokenStream {
    let doc = s
        .description
        .as_deref()
        .map(docs::sentence)
        .unwrap_or_else(|| format!("The `{}` object.", s.name));
    match &s.shape {
        Shape::Fields(fields) => {
            let id_ty = s.id_of.as_deref().and_then(|n| ids::path(spec, n));
            let record = record(&s.name, &doc, fields, true, id_ty.as_ref());
            let constructor = constructor(&s.name, fields, id_ty.as_ref());
            quote! {
                #record
                #constructor
            }
        }
        Shape::OneOf {
            alternatives,
            discriminator,
        } => one_of(&s.name, &doc, alternatives, discriminator.as_deref()),
    }
}

/// A `oneOf` type: one variant per alternative and `Unknown` keeping any other value as
/// received. With a discriminator its text value picks the variant (an unknown tag is
/// `Unknown`; a known tag whose value does not fit its type is an error, not a guess);
/// without one the alternatives are tried in order and the first that decodes wins.
fn one_of(
    name: &str,
    doc: &str,
    alternatives: &[Alternative],
    discriminator: Option<&str>,
) -> TokenStream {
    let ident = format_ident!("{}", name);
    let variants: Vec<_> = alternatives
        .iter()
        .map(|a| format_ident!("{}", a.variant))
        .collect();
    let types: Vec<_> = alternatives
        .iter()
        .map(|a| rust_types::response(&a.ty, &TokenStream::new()))
        .collect();
    let variant_docs = alternatives.iter().map(|a| match (&a.tag, discriminator) {
        (Some(t), Some(d)) => format!(" `{}`, selected by `{d}: {t}`.", a.ty),
        _ => format!(" `{}`.", a.ty),
    });
    let how = match discriminator {
        Some(d) => format!(
            "Decoding reads member `{d}`: its value selects the alternative (a value of a known \
             tag that does not fit its alternative is an error); a tag no alternative has \
             becomes [`{name}::Unknown`]."
        ),
        None => format!(
            "The document gives no discriminator: decoding tries the alternatives in the order \
             listed and keeps the first that fits (list the most specific first); a value none \
             fits becomes [`{name}::Unknown`]."
        ),
    };
    let doc = docs::attrs(&format!(
        "{doc}

One of several shapes. {how}"
    ));
    let decode = match discriminator {
        Some(d) => {
            let tags = alternatives
                .iter()
                .map(|a| a.tag.clone().unwrap_or_default());
            quote! {
                match value.get(#d).and_then(serde_json::Value::as_str) {
                    #( Some(#tags) => serde_json::from_value(value)
                        .map(#ident::#variants)
                        .map_err(serde::de::Error::custom), )*
                    _ => Ok(#ident::Unknown(value)),
                }
            }
        }
        None => quote! {
            #(
                if let Ok(v) = <#types as serde::Deserialize>::deserialize(&value) {
                    return Ok(#ident::#variants(v));
                }
            )*
            Ok(#ident::Unknown(value))
        },
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #ident {
            #( #[doc = #variant_docs] #variants(#types), )*
            /// A value no alternative describes, kept as received (and sent back unchanged).
            Unknown(serde_json::Value),
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( #ident::#variants(v) => serde::Serialize::serialize(v, s), )*
                    #ident::Unknown(v) => serde::Serialize::serialize(v, s),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                #decode
            }
        }
    }
}

fn field_selector(n: &Node, rt: &Rt) -> TokenStream {
    let name = format_ident!("{}Field", n.name);
    let doc = format!(
        "A field of [`{}`], for the `fields` parameter of requests that return it.",
        n.name
    );
    let variants: Vec<_> = n
        .fields
        .iter()
        .map(|f| format_ident!("{}", crate::names::upper_camel(&f.name)))
        .collect();
    let wires: Vec<_> = n.fields.iter().map(|f| f.name.as_str()).collect();
    let docs = n.fields.iter().map(|f| match &f.added_by {
        Some(path) => format!(" `{}`: only when read through `GET {path}`.", f.name),
        None => format!(" `{}`", f.name),
    });
    // Fields an edge adds are not fields of the node itself: Graph rejects them on a node read.
    let own_fields: Vec<_> = n.fields.iter().filter(|f| f.added_by.is_none()).collect();
    let own: Vec<_> = own_fields
        .iter()
        .map(|f| format_ident!("{}", crate::names::upper_camel(&f.name)))
        .collect();
    let count = proc_macro2::Literal::usize_unsuffixed(own.len());
    let all_doc = docs::attrs(&format!(
        "Every field of the node itself, for `.fields({name}::ALL)`: {}. Fields only an edge read adds are left out (Graph rejects them on a node read).",
        own_fields
            .iter()
            .map(|f| format!("`{}`", f.name))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #variants, )*
        }

        impl #name {
            #all_doc
            pub const ALL: [#name; #count] = [ #( #name::#own ),* ];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self { #( #name::#variants => #wires, )* }
            }
        }

        impl #rt::FieldSelector for #name {
            fn as_str(&self) -> &'static str {
                #name::as_str(*self)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn edge_list(spec: &Spec, n: &Node) -> TokenStream {
    if n.edges.is_empty() {
        return TokenStream::new();
    }
    let name = format_ident!("{}Edge", n.name);
    let doc = format!(
        "The edges of [`{}`]: `GET /{{id}}/{{edge}}` or `fields={{edge}}` reach them.",
        n.name
    );
    let variants: Vec<_> = n
        .edges
        .iter()
        .map(|e| format_ident!("{}", crate::names::upper_camel(&e.name)))
        .collect();
    let wires: Vec<_> = n.edges.iter().map(|e| e.name.as_str()).collect();
    let targets: Vec<_> = n.edges.iter().map(|e| e.target.as_str()).collect();
    let docs = n.edges.iter().map(|e| {
        let mut d = format!("`{}` → `{}`", e.name, e.target);
        if let Some(desc) = e.description.as_ref().filter(|d| **d != e.name) {
            d.push_str(&format!(": {}", docs::sentence(desc)));
        }
        if !spec.external_nodes.contains(&e.target) {
            d.push_str(&format!(" See [`{}`].", e.target));
        }
        docs::attrs(&d)
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants, )*
        }

        impl #name {
            /// Every edge the spec documents.
            pub const ALL: &'static [#name] = &[ #( #name::#variants ),* ];

            /// The edge name (its path segment).
            pub fn as_str(self) -> &'static str {
                match self { #( #name::#variants => #wires, )* }
            }

            /// The Graph type of the nodes the edge leads to.
            pub fn target(self) -> &'static str {
                match self { #( #name::#variants => #targets, )* }
            }
        }
    }
}

fn open_enum(e: &crate::spec::model::EnumType, rt: &Rt) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let variants: Vec<_> = e
        .values
        .iter()
        .map(|v| format_ident!("{}", v.variant))
        .collect();
    let wires: Vec<_> = e.values.iter().map(|v| v.wire.as_str()).collect();
    let docs = e.values.iter().map(|v| format!(" `{}`", v.wire));
    let doc = format!(
        "The `{}` enum of the spec.\n\nOpen: a value this version of waba-api does not know deserializes into \
         [`{}::Unknown`], keeps its text and serializes back unchanged, so a new value from Meta never breaks a \
         response. Parse a string with [`str::parse`] to send a value the spec does not list yet.",
        e.name, e.name
    );
    let doc = docs::attrs(&doc);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #variants, )*
            /// A value the spec does not document, kept as received.
            Unknown(#rt::UnknownValue),
        }

        impl #name {
            /// Every value the spec documents.
            pub const KNOWN: &'static [#name] = &[ #( #name::#variants ),* ];

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #wires, )*
                    #name::Unknown(v) => v.as_str(),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    #( #wires => #name::#variants, )*
                    other => #name::Unknown(#rt::UnknownValue::new(other)),
                })
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #rt::open_enum::deserialize(d)
            }
        }
    }
}
