//! Request builders: required parameters are constructor arguments (a request without them does
//! not compile), optional ones chained setters, then `.send().await`; list builders implement
//! the runtime's `Paginated` (paging setters, `.stream()`, `.pages()`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Rt, docs, ids, rust_types};
use crate::spec::model::{BodyEncoding, Method, Operation, Param, Returns, Shape, Spec};
use crate::spec::types::Type;

pub(crate) fn emit(spec: &Spec, rt: &Rt) -> TokenStream {
    let builders = spec.operations.iter().map(|op| builder(spec, op, rt));
    let names: Vec<_> = spec
        .operations
        .iter()
        .map(|op| format_ident!("{}", op.rust_name))
        .collect();
    let returns: Vec<_> = spec
        .operations
        .iter()
        .map(|op| return_type(spec, op, rt))
        .collect();
    let wire_names = spec.operations.iter().map(|op| &op.rust_name);
    quote! {
        #( #builders )*

        /// Every operation of the spec, in path then method order.
        pub const OPERATIONS: &[&#rt::OperationSpec] = &[ #( &#names::SPEC ),* ];

        /// Sends a request of any operation of [`OPERATIONS`] (built as data, e.g. from
        /// [`OperationSpec::params`](#rt::OperationSpec::params)) and decodes the answer into
        /// the type that operation's builder returns; the typed response comes back boxed.
        /// For tests that drive every operation from its data (hidden: the handles are the API).
        #[doc(hidden)]
        pub async fn send_any(
            client: &#rt::Client,
            request: #rt::Request,
        ) -> Result<Box<dyn std::fmt::Debug + Send + Sync>, #rt::Error> {
            fn boxed<T: std::fmt::Debug + Send + Sync + 'static>(
                r: #rt::Response<T>,
            ) -> Box<dyn std::fmt::Debug + Send + Sync> {
                Box::new(r)
            }
            match request.spec().name {
                #( #wire_names => client.send::<#returns>(request).await.map(boxed), )*
                other => Err(#rt::Error::InvalidRequest {
                    operation: request.spec().name,
                    reason: format!("`{other}` is not an operation of this crate"),
                }),
            }
        }
    }
}

/// A page's summary type: the generated one, or `NoSummary` for an edge without one.
fn summary_type(summary: Option<&str>, rt: &Rt) -> TokenStream {
    match summary {
        Some(s) => {
            let s = format_ident!("{}", s);
            quote!(models::#s)
        }
        None => quote!(#rt::NoSummary),
    }
}

/// The type a successful call of `op` decodes into.
fn return_type(spec: &Spec, op: &Operation, rt: &Rt) -> TokenStream {
    match &op.returns {
        Returns::Node(n) => {
            let n = format_ident!("{}", n);
            quote!(models::#n)
        }
        Returns::Page { item, summary, .. } => {
            let item = format_ident!("{}", item);
            let summary = summary_type(summary.as_deref(), rt);
            quote!(#rt::Page<models::#item, #summary>)
        }
        Returns::Object(n) => {
            let n = format_ident!("{}", n);
            quote!(models::#n)
        }
        Returns::Json => quote!(serde_json::Value),
        Returns::Struct { name, .. } => {
            let name = ids::created_name(spec, op.creates.as_deref(), &op.returns)
                .unwrap_or_else(|| name.clone());
            let n = format_ident!("{}", name);
            quote!(models::#n)
        }
    }
}

fn builder(spec: &Spec, op: &Operation, rt: &Rt) -> TokenStream {
    let name = format_ident!("{}", op.rust_name);
    let doc = docs::attrs(&op_doc(spec, op));

    let path_ids: Vec<_> = op
        .path_params
        .iter()
        .map(|p| format_ident!("{}", p))
        .collect();
    let node_id = ids::path(spec, &op.node).expect("an operation's node has a typed ID");
    let required = required_params(op);
    let optional: Vec<_> = op.params.iter().filter(|p| !p.required).collect();

    let req_idents: Vec<_> = required
        .iter()
        .map(|p| format_ident!("{}", p.rust_name))
        .collect();
    let req_stored: Vec<_> = required
        .iter()
        .map(|p| param_id(spec, p).unwrap_or_else(|| rust_types::request(&p.ty, rt)))
        .collect();
    let req_args = required_args(spec, op, rt);
    let req_arg_decls: Vec<_> = req_args.iter().map(|a| &a.decl).collect();
    let req_convs: Vec<_> = req_args.iter().map(|a| &a.init).collect();
    // On the wire in the page's order, whatever the argument order.
    let req_sets: Vec<_> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let ident = format_ident!("{}", p.rust_name);
            set_param(
                op,
                &p.name,
                &quote!(self.#ident),
                &quote!(&self.#ident),
                &p.ty,
            )
        })
        .collect();
    let opt_sets: Vec<_> = optional
        .iter()
        .map(|p| set_param(op, &p.name, &quote!(v), &quote!(v), &p.ty))
        .collect();

    let opt_idents: Vec<_> = optional
        .iter()
        .map(|p| format_ident!("{}", p.rust_name))
        .collect();
    let opt_stored: Vec<_> = optional
        .iter()
        .map(|p| param_id(spec, p).unwrap_or_else(|| rust_types::request(&p.ty, rt)))
        .collect();
    let opt_setters = optional.iter().map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        // An ID is borrowed as a typed ID, as a required one is.
        let (arg, conv) = match param_id(spec, p) {
            Some(id) => (quote!(&#id), quote!(v.clone())),
            None => rust_types::argument(&p.ty, rt, &quote!(v)),
        };
        let mut d = p
            .description
            .as_deref()
            .map(docs::sentence)
            .unwrap_or_else(|| format!("Sets `{}`.", p.name));
        d.push_str(&format!(
            "\n\nGraph parameter `{}` (`{}`, optional).",
            p.name, p.ty
        ));
        let d = docs::attrs(&d);
        quote! {
            #d
            pub fn #ident(mut self, v: #arg) -> Self {
                self.#ident = Some(#conv);
                self
            }
        }
    });

    let ret = return_type(spec, op, rt);
    let (selector_node, page) = match &op.returns {
        Returns::Node(n) => (Some(n.clone()), None),
        Returns::Page { item, summary, .. } => {
            let item_ident = format_ident!("{}", item);
            let summary_ty = summary_type(summary.as_deref(), rt);
            (Some(item.clone()), Some((item_ident, summary_ty)))
        }
        Returns::Struct { .. } | Returns::Object(_) | Returns::Json => (None, None),
    };

    let mut extra_fields = Vec::new();
    let mut extra_init = Vec::new();
    let mut extra_methods = Vec::new();
    let mut extra_params = Vec::new();
    if let Some(node) = &selector_node {
        let sel = format_ident!("{}Field", node);
        let doc = format!(
            "Which fields of [`{node}`](models::{node}) to return (`fields=`). Without it Graph returns its default fields."
        );
        extra_fields.push(quote!(fields: Vec<models::#sel>,));
        extra_init.push(quote!(fields: Vec::new(),));
        extra_methods.push(quote! {
            #[doc = #doc]
            pub fn fields(mut self, fields: impl IntoIterator<Item = models::#sel>) -> Self {
                self.fields = fields.into_iter().collect();
                self
            }
        });
        extra_params.push(quote!(request.fields(&self.fields);));
    }
    // A list's paging settings and streams come from the runtime's `Paginated`.
    let paginated = page.map(|(item, summary_ty)| {
        extra_fields.push(quote!(paging: #rt::PageParams,));
        extra_init.push(quote!(paging: #rt::PageParams::default(),));
        extra_params.push(quote!(self.paging.apply(&mut request);));
        quote! {
            impl #rt::Paginated for #name {
                type Item = models::#item;
                type Summary = #summary_ty;

                fn client(&self) -> &#rt::Client {
                    &self.client
                }

                fn paging_mut(&mut self) -> &mut #rt::PageParams {
                    &mut self.paging
                }

                fn first_request(&self) -> #rt::Request {
                    self.to_request()
                }
            }
        }
    });

    let path_parts = path_parts(&op.path, rt);
    let spec_const = operation_spec(spec, op, rt);
    let send_doc = docs::attrs(&format!(
        "Sends `{} {}` and decodes the response.",
        op.method, op.path
    ));
    let new_request = quote!(#rt::Request::new(&Self::SPEC, &[ #( #path_parts ),* ]));
    // A request without parameters is the new request itself.
    let to_request = if req_sets.is_empty() && opt_sets.is_empty() && extra_params.is_empty() {
        new_request
    } else {
        quote! {
            let mut request = #new_request;
            #( #req_sets )*
            #( if let Some(v) = &self.#opt_idents { #opt_sets } )*
            #( #extra_params )*
            request
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #name {
            client: #rt::Client,
            #( #path_ids: #rt::GraphId, )*
            #( #req_idents: #req_stored, )*
            #( #opt_idents: Option<#opt_stored>, )*
            #( #extra_fields )*
        }

        impl #name {
            #spec_const

            /// A request with its required parameters (the handles call it).
            pub(crate) fn new(client: &#rt::Client, #( #path_ids: &#node_id, )* #( #req_arg_decls ),*) -> Self {
                #name {
                    client: client.clone(),
                    #( #path_ids: #path_ids.graph_id().clone(), )*
                    #( #req_convs, )*
                    #( #opt_idents: None, )*
                    #( #extra_init )*
                }
            }

            #( #opt_setters )*
            #( #extra_methods )*

            /// The HTTP request this builder describes (method, path, parameters), without sending it.
            pub fn to_request(&self) -> #rt::Request {
                #to_request
            }

            #send_doc
            pub async fn send(self) -> Result<#rt::Response<#ret>, #rt::Error> {
                self.client.send(self.to_request()).await
            }
        }

        #paginated

    }
}

/// The required parameters in argument order: IDs first (`add(&user, tasks)`), then the others
/// in the page's order.
pub(crate) fn required_params(op: &Operation) -> Vec<&Param> {
    let (ids, rest): (Vec<&Param>, Vec<&Param>) = op
        .params
        .iter()
        .filter(|p| p.required)
        .partition(|p| p.id_of.is_some());
    ids.into_iter().chain(rest).collect()
}

/// One argument of a builder's constructor and of the handle method that calls it.
pub(crate) struct Arg {
    /// `user: &super::ids::UserId`
    pub decl: TokenStream,
    /// The argument's name.
    pub ident: proc_macro2::Ident,
    /// The builder field's initializer: `user: user.clone()`, or the name alone.
    init: TokenStream,
}

/// The required arguments of `op` in order: IDs are borrowed typed IDs; lists take any
/// iterator, text anything `Into<String>`.
pub(crate) fn required_args(spec: &Spec, op: &Operation, rt: &Rt) -> Vec<Arg> {
    required_params(op)
        .into_iter()
        .map(|p| {
            let ident = format_ident!("{}", p.rust_name);
            if let Some(id) = param_id(spec, p) {
                return Arg {
                    decl: quote!(#ident: &#id),
                    init: quote!(#ident: #ident.clone()),
                    ident,
                };
            }
            let value = quote!(#ident);
            let (arg, conv) = rust_types::argument(&p.ty, rt, &value);
            // Field init shorthand where no conversion is needed.
            let init = if conv.to_string() == value.to_string() {
                quote!(#ident)
            } else {
                quote!(#ident: #conv)
            };
            Arg {
                decl: quote!(#ident: #arg),
                init,
                ident,
            }
        })
        .collect()
}

/// The typed ID a parameter takes, if it names a node.
fn param_id(spec: &Spec, p: &Param) -> Option<TokenStream> {
    p.id_of.as_deref().and_then(|n| ids::path(spec, n))
}

/// The path template split into literal text and the builder's ID fields, here rather than
/// at run time, so a request always has its whole path: `/{business_id}/edge` becomes
/// `Text("/")`, `Id(&self.business_id)`, `Text("/edge")`.
fn path_parts(template: &str, rt: &Rt) -> Vec<TokenStream> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some((text, after)) = rest.split_once('{') {
        // Validation admits only closed `{param}`s; anything else stays text.
        let Some((param, tail)) = after.split_once('}') else {
            break;
        };
        if !text.is_empty() {
            parts.push(quote!(#rt::PathPart::Text(#text)));
        }
        let id = format_ident!("{}", param);
        parts.push(quote!(#rt::PathPart::Id(&self.#id)));
        rest = tail;
    }
    if !rest.is_empty() {
        parts.push(quote!(#rt::PathPart::Text(#rest)));
    }
    parts
}

/// The statement that puts parameter `wire` into `request`: text as it is for text-like
/// scalars (`value` is the place); numbers and booleans as text in a form and as JSON values in
/// a JSON body; lists and objects as JSON (`reference` borrows them).
fn set_param(
    op: &Operation,
    wire: &str,
    value: &TokenStream,
    reference: &TokenStream,
    ty: &Type,
) -> TokenStream {
    match ty {
        Type::String | Type::DateTime | Type::NumericString | Type::Id | Type::Enum(_) => {
            quote!(request.text(#wire, #value.as_str());)
        }
        Type::Bool | Type::Int32 | Type::UInt32 | Type::Int64 | Type::Float
            if op.body == BodyEncoding::Form =>
        {
            quote!(request.text(#wire, #value.to_string());)
        }
        _ => quote!(request.param(#wire, #reference);),
    }
}

fn operation_spec(spec: &Spec, op: &Operation, rt: &Rt) -> TokenStream {
    let name = &op.rust_name;
    let method = match op.method {
        Method::Get => quote!(Get),
        Method::Post => quote!(Post),
        Method::Delete => quote!(Delete),
    };
    let path = &op.path;
    let idempotent = op.idempotent;
    let paginated = matches!(op.returns, Returns::Page { .. });
    let permissions = &op.permissions;
    let node = &op.node;
    let body = match op.body {
        BodyEncoding::Form => quote!(Form),
        BodyEncoding::Json => quote!(Json),
    };
    let params = op.params.iter().map(|p| {
        let (name, ty, required) = (&p.name, p.ty.to_string(), p.required);
        let example = example(spec, &p.ty);
        quote!(#rt::ParamSpec { name: #name, ty: #ty, required: #required, example: #example })
    });
    let errors = op
        .errors
        .iter()
        .map(|c| proc_macro2::Literal::i64_unsuffixed(*c));
    quote! {
        /// What the runtime knows of this operation.
        pub const SPEC: #rt::OperationSpec = #rt::OperationSpec {
            name: #name,
            method: #rt::Method::#method,
            path: #path,
            node: #node,
            idempotent: #idempotent,
            paginated: #paginated,
            body: #rt::BodyEncoding::#body,
            permissions: &[ #( #permissions ),* ],
            errors: &[ #( #errors ),* ],
            params: &[ #( #params ),* ],
        };
    }
}

/// A valid value of type `ty` as a parameter carries it: text for scalars, JSON text for lists
/// and objects.
fn example(spec: &Spec, ty: &Type) -> String {
    match ty {
        Type::List(_)
        | Type::Map(_)
        | Type::Node(_)
        | Type::Object(_)
        | Type::Struct(_)
        | Type::Json => example_json(spec, ty, 0),
        Type::String => "example".into(),
        Type::NumericString | Type::Id => "1234567890".into(),
        Type::Bool => "true".into(),
        Type::Int32 | Type::UInt32 | Type::Int64 => "1".into(),
        Type::Float => "1.5".into(),
        Type::DateTime => "2024-01-01T00:00:00+0000".into(),
        Type::Enum(e) => spec
            .enum_type(e)
            .and_then(|e| e.values.first())
            .map_or_else(|| "example".into(), |v| v.wire.clone()),
    }
}

/// `ty`'s example as JSON: a list of one example, an object with the fields Graph always
/// returns (a filter's `field`, `operator`, `value`, …) or a struct requires, a `oneOf`'s first
/// alternative with its tag. Nesting stops at a few levels.
fn example_json(spec: &Spec, ty: &Type, depth: usize) -> String {
    let object = |fields: Vec<(&str, &Type)>| {
        let members: Vec<(String, String)> = fields
            .into_iter()
            .filter(|_| depth < 4)
            .map(|(n, t)| (n.to_string(), example_json(spec, t, depth + 1)))
            .collect();
        json_object(&members)
    };
    // A struct's required members; `tag` sets a `oneOf` discriminator to the value that selects it.
    let record = |fields: &[crate::spec::model::Field], tag: Option<(&str, &str)>| {
        let mut members: Vec<(String, String)> = tag
            .map(|(d, t)| (d.to_string(), json_string(t)))
            .into_iter()
            .collect();
        for f in fields.iter().filter(|f| f.always && depth < 4) {
            if tag.is_none_or(|(d, _)| d != f.name) {
                members.push((f.name.clone(), example_json(spec, &f.ty, depth + 1)));
            }
        }
        json_object(&members)
    };
    match ty {
        Type::List(inner) => format!("[{}]", example_json(spec, inner, depth + 1)),
        Type::Map(inner) => json_object(&[("key".into(), example_json(spec, inner, depth + 1))]),
        Type::Object(n) => match spec.struct_type(n).map(|s| &s.shape) {
            Some(Shape::Fields(fields)) => record(fields, None),
            Some(Shape::OneOf {
                alternatives,
                discriminator,
            }) => match alternatives.first() {
                Some(alt) => {
                    let fields = match &alt.ty {
                        Type::Object(n) => match spec.struct_type(n).map(|s| &s.shape) {
                            Some(Shape::Fields(f)) => Some(f),
                            _ => None,
                        },
                        _ => None,
                    };
                    match (fields, discriminator, &alt.tag) {
                        (Some(f), Some(d), Some(t)) => record(f, Some((d, t))),
                        _ => example_json(spec, &alt.ty, depth + 1),
                    }
                }
                None => "{}".into(),
            },
            None => "{}".into(),
        },
        Type::Node(n) => object(
            spec.node(n)
                .map(|n| {
                    n.fields
                        .iter()
                        .filter(|f| f.always)
                        .map(|f| (f.name.as_str(), &f.ty))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        Type::Struct(fields) => object(fields.iter().map(|(n, t)| (n.as_str(), t)).collect()),
        Type::Json => "{}".into(),
        Type::Bool | Type::Int32 | Type::UInt32 | Type::Int64 | Type::Float => example(spec, ty),
        _ => json_string(&example(spec, ty)),
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_object(members: &[(String, String)]) -> String {
    let members: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}:{v}", json_string(k)))
        .collect();
    format!("{{{}}}", members.join(","))
}

fn op_doc(spec: &Spec, op: &Operation) -> String {
    let mut d = op
        .description
        .as_deref()
        .map(docs::sentence)
        .unwrap_or_default();
    d.push_str(&format!(
        "\n\n`{} {}` (Graph API {}).",
        op.method, op.path, spec.version
    ));
    if !op.permissions.is_empty() {
        let perms: Vec<_> = op.permissions.iter().map(|p| format!("`{p}`")).collect();
        d.push_str(&format!("\n\n**Permissions:** {}.", perms.join(", ")));
    }
    if let Some(t) = &op.token {
        d.push_str(&format!("\n**Token:** {t}."));
    }
    if !op.ids.is_empty() {
        d.push_str(&format!("\n**Needs:** {}.", op.ids.join("; ")));
    }
    if !op.errors.is_empty() {
        let errs: Vec<_> = op
            .errors
            .iter()
            .map(|c| match spec.errors.iter().find(|e| e.code == *c) {
                Some(e) => format!("[`{}`](crate::ErrorCode::{})", c, e.variant),
                None => c.to_string(),
            })
            .collect();
        d.push_str(&format!("\n\n**Errors:** {}.", errs.join(", ")));
    }
    if matches!(op.returns, Returns::Page { .. }) {
        d.push_str(
            "\n\n**Paging:** `.limit(n)`, the cursors, `.stream()` and `.pages()` come from \
             [`Paginated`](crate::Paginated) (`use waba_api::Paginated;`).",
        );
    }
    if let Some(c) = &op.creates {
        d.push_str(&format!("\n\nCreates a `{c}`."));
    }
    if op.read_after_write {
        d.push_str("\n\nSupports read-after-write.");
    }
    d.push_str(if op.idempotent {
        "\n\n**Retries:** idempotent, so throttled, transient and connection failures are retried per the client's retry policy."
    } else {
        "\n\n**Retries:** not idempotent: never sent twice once it may have reached the server; such a failure reports that it may have been applied."
    });
    d.push_str(&super::examples::section(spec, op));
    d
}
