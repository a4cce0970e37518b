//! The spec: YAML documents on disk ([`raw`]), their loader, and the validated [`model`].

pub mod model;
pub mod raw;
pub mod types;

mod load;
mod validate;

pub use load::{
    DOC_DIRS, GRAPH_FILE, OVERLAY_FILE, PAGE_DIRS, RawSpec, SOURCES_FILE, STRUCTS_DIR, Sources,
    parse_yaml, read_dir, read_texts,
};
pub use model::Spec;
/// Validates documents already in memory (regen validates the spec it is about to write).
pub use validate::validate;

use std::path::Path;

use crate::diag::Diagnostics;

/// Reads and validates the spec folder `dir`. On success also returns the texts read (for
/// `rerun-if-changed`); on failure every problem found, each with file, line and column.
pub fn load(dir: &Path) -> Result<(Spec, Sources), Diagnostics> {
    let (raw, sources) = read_dir(dir)?;
    let spec = validate(&raw, &sources)?;
    Ok((spec, sources))
}

/// Validates a spec held in memory (see [`read_texts`]); `dir` is the folder named in
/// diagnostics.
pub fn load_texts(dir: &Path, files: &[(&str, &str)]) -> Result<(Spec, Sources), Diagnostics> {
    let (raw, sources) = read_texts(dir, files)?;
    let spec = validate(&raw, &sources)?;
    Ok((spec, sources))
}
