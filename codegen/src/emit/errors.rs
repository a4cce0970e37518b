//! The `ErrorCode` and `ErrorSubcode` enums: every documented Graph error code and every named
//! subcode. A number the spec does not know becomes `Unknown`, which only the runtime can build,
//! so a known number is only ever its named variant.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Rt, docs};
use crate::spec::model::Spec;
use crate::spec::raw::ErrorClass;

pub(crate) fn emit(spec: &Spec, rt: &Rt) -> TokenStream {
    let codes: Vec<_> = spec
        .errors
        .iter()
        .map(|e| {
            let mut d = format!("`{}`", e.code);
            if let Some(desc) = &e.description {
                d.push_str(&format!(": {}", docs::sentence(desc)));
            }
            Entry {
                variant: format_ident!("{}", e.variant),
                code: e.code,
                description: e.description.as_deref(),
                doc: d,
            }
        })
        .collect();
    let subcodes: Vec<_> = spec
        .subcodes
        .iter()
        .map(|s| Entry {
            variant: format_ident!("{}", s.variant),
            code: s.code,
            description: Some(&s.description),
            doc: format!("`{}`: {}", s.code, docs::sentence(&s.description)),
        })
        .collect();
    let error_code = code_enum(
        rt,
        &format_ident!("ErrorCode"),
        "A Graph API error code (`error.code` of Graph's error envelope).\n\n\
         Generated from every code the reference pages list, plus the rate-limit and outage codes \
         the runtime must recognise.",
        &codes,
    );
    let error_subcode = code_enum(
        rt,
        &format_ident!("ErrorSubcode"),
        "A Graph API error subcode (`error.error_subcode` of Graph's error envelope), which \
         narrows a code down.\n\n\
         Generated from the subcodes the spec names (Graph's error-handling guide).",
        &subcodes,
    );
    let of_class = |class: ErrorClass| -> Vec<_> {
        spec.errors
            .iter()
            .filter(|e| e.class == Some(class))
            .map(|e| format_ident!("{}", e.variant))
            .collect()
    };
    // `matches!` needs at least one pattern; a spec without such codes answers `false`.
    let any_of = |vs: Vec<Ident>| {
        if vs.is_empty() {
            quote!(false)
        } else {
            quote!(matches!(self, #( ErrorCode::#vs )|*))
        }
    };
    let throttling = any_of(of_class(ErrorClass::Throttling));
    let transient = any_of(of_class(ErrorClass::Transient));
    quote! {
        #error_code

        impl ErrorCode {
            /// A rate limit: the call may succeed after backing off.
            pub fn is_throttling(self) -> bool {
                #throttling
            }

            /// A temporary failure on Meta's side: the call may succeed when retried.
            pub fn is_transient(self) -> bool {
                #transient
            }
        }

        #error_subcode
    }
}

/// One named number of a code enum.
struct Entry<'a> {
    variant: Ident,
    code: i64,
    description: Option<&'a str>,
    doc: String,
}

/// An open enum of numbers: the named variants, `Unknown` for any other number, the conversions
/// both ways, the description and `Display` (`#463 (The access token has expired)`).
fn code_enum(rt: &Rt, name: &Ident, doc: &str, entries: &[Entry<'_>]) -> TokenStream {
    let doc = docs::attrs(doc);
    let variants: Vec<_> = entries.iter().map(|e| &e.variant).collect();
    let codes: Vec<_> = entries
        .iter()
        .map(|e| proc_macro2::Literal::i64_unsuffixed(e.code))
        .collect();
    let descriptions = entries.iter().map(|e| match e.description {
        Some(d) => quote!(Some(#d)),
        None => quote!(None),
    });
    let docs = entries.iter().map(|e| docs::attrs(&e.doc));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants, )*
            /// A number the spec does not name. Only [`from_i64`](Self::from_i64) builds it, and
            /// never for a named number, so matching the named variants is enough.
            Unknown(#rt::UnknownCode),
        }

        impl #name {
            /// The variant for a number: the named one if the spec knows it, else `Unknown`.
            pub fn from_i64(code: i64) -> Self {
                match code {
                    #( #codes => #name::#variants, )*
                    other => #name::Unknown(#rt::UnknownCode::new(other)),
                }
            }

            /// The number.
            pub fn as_i64(self) -> i64 {
                match self {
                    #( #name::#variants => #codes, )*
                    #name::Unknown(code) => code.get(),
                }
            }

            /// Meta's description, when the spec has one.
            pub fn description(self) -> Option<&'static str> {
                match self {
                    #( #name::#variants => #descriptions, )*
                    #name::Unknown(_) => None,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #rt::open_enum::fmt_code(f, self.as_i64(), self.description())
            }
        }
    }
}
