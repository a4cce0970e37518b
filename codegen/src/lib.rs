//! `waba-codegen` turns the YAML spec of Meta's WhatsApp Business Management API (`spec/`) into
//! the Rust models and request builders of `waba-api`.
//!
//! Data flows one way: YAML ([`spec::raw`]) → validated model ([`spec::Spec`]) → token streams
//! (`emit`) → `prettyplease` text. `waba-api`'s build script and the snapshot tests go through
//! `Config`.
//!
//! Feature `emit` (default) holds the code generator (`emit`, `Config`) and its dependencies
//! (quote, proc-macro2, syn, prettyplease). Crates that only read the spec (waba-mock, xtask)
//! turn it off; the spec model, loader and validator are always there.
#![deny(missing_docs)]

pub mod diag;
#[cfg(feature = "emit")]
pub mod emit;
#[cfg(feature = "emit")]
mod generate;
pub mod names;
pub mod spec;

use std::path::Path;

pub use diag::{Diagnostic, Diagnostics};
#[cfg(feature = "emit")]
pub use generate::{Config, GenerateError, Output};

/// Writes `bytes` to `path` unless the file already holds exactly them.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
}
