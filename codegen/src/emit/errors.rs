//! The `ErrorCode` enum: every documented Graph error code.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use crate::spec::model::Spec;
use crate::spec::raw::ErrorClass;

pub(crate) fn emit(spec: &Spec) -> TokenStream {
    let variants: Vec<_> = spec
        .errors
        .iter()
        .map(|e| format_ident!("{}", e.variant))
        .collect();
    let codes: Vec<_> = spec
        .errors
        .iter()
        .map(|e| proc_macro2::Literal::i64_unsuffixed(e.code))
        .collect();
    let descriptions: Vec<_> = spec
        .errors
        .iter()
        .map(|e| match &e.description {
            Some(d) => quote!(Some(#d)),
            None => quote!(None),
        })
        .collect();
    let docs = spec.errors.iter().map(|e| {
        let mut d = format!("`{}`", e.code);
        if let Some(desc) = &e.description {
            d.push_str(&format!(": {}", docs::sentence(desc)));
        }
        if e.curated {
            d.push_str(" *(curated: no seed page lists this code)*");
        }
        docs::attrs(&d)
    });
    let of_class = |class: ErrorClass| -> Vec<_> {
        spec.errors
            .iter()
            .filter(|e| e.class == Some(class))
            .map(|e| format_ident!("{}", e.variant))
            .collect()
    };
    // `matches!` needs at least one pattern; a spec without such codes answers `false`.
    let any_of = |vs: Vec<proc_macro2::Ident>| {
        if vs.is_empty() {
            quote!(false)
        } else {
            quote!(matches!(self, #( ErrorCode::#vs )|*))
        }
    };
    let throttling = any_of(of_class(ErrorClass::Throttling));
    let transient = any_of(of_class(ErrorClass::Transient));
    quote! {
        /// A Graph API error code (`error.code` of Graph's error envelope).
        ///
        /// Generated from every code the reference pages list, plus the rate-limit and outage codes
        /// the runtime must recognise. Codes the spec does not know are kept in [`ErrorCode::Other`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #( #docs #variants, )*
            /// A code the spec does not document.
            Other(i64),
        }

        impl ErrorCode {
            /// The variant for a numeric code.
            pub fn from_code(code: i64) -> Self {
                match code {
                    #( #codes => ErrorCode::#variants, )*
                    other => ErrorCode::Other(other),
                }
            }

            /// The numeric code.
            pub fn code(self) -> i64 {
                match self {
                    #( ErrorCode::#variants => #codes, )*
                    ErrorCode::Other(code) => code,
                }
            }

            /// Meta's description of the code, when the spec has one.
            pub fn description(self) -> Option<&'static str> {
                match self {
                    #( ErrorCode::#variants => #descriptions, )*
                    ErrorCode::Other(_) => None,
                }
            }

            /// A rate limit: the call may succeed after backing off.
            pub fn is_throttling(self) -> bool {
                #throttling
            }

            /// A temporary failure on Meta's side: the call may succeed when retried.
            pub fn is_transient(self) -> bool {
                #transient
            }
        }

        impl std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self.description() {
                    Some(d) => write!(f, "#{} ({d})", self.code()),
                    None => write!(f, "#{}", self.code()),
                }
            }
        }
    }
}
