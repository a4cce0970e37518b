//! A generation run (feature `emit`): spec folder in, formatted Rust out.

use std::path::{Path, PathBuf};

use crate::{Diagnostics, diag, emit, spec, write_if_changed};

/// What one generation run produced.
#[derive(Debug, Clone)]
pub struct Output {
    /// The generated Rust source, formatted, starting with an `@generated` header.
    pub code: String,
    /// Every spec file read (for `cargo:rerun-if-changed`).
    pub inputs: Vec<PathBuf>,
}

/// Settings of a generation run (prost-build style: `&mut self` setters, then [`Config::generate`]).
#[derive(Debug, Clone)]
pub struct Config {
    spec_dir: PathBuf,
    runtime_path: String,
}

impl Config {
    /// A run over the spec folder `spec_dir`.
    pub fn new(spec_dir: impl Into<PathBuf>) -> Self {
        Config {
            spec_dir: spec_dir.into(),
            runtime_path: "crate".into(),
        }
    }

    /// The Rust path at which the generated code finds the hand-written runtime (`Client`,
    /// `GraphId`, …). Default `crate`, as in `waba-api`.
    pub fn runtime_path(&mut self, path: impl Into<String>) -> &mut Self {
        self.runtime_path = path.into();
        self
    }

    /// Loads, validates and generates.
    pub fn generate(&self) -> Result<Output, Diagnostics> {
        let (spec, sources) = spec::load(&self.spec_dir)?;
        let code = emit::render(&spec, &self.runtime_path).map_err(|e| {
            // Only a bad `runtime_path` or a generator bug makes tokens that do not parse.
            let message = format!("generated code does not parse: {e}");
            Diagnostics(vec![diag::file_diag(&self.spec_dir, 0, 0, message)])
        })?;
        Ok(Output {
            code,
            inputs: sources.paths().map(Path::to_path_buf).collect(),
        })
    }

    /// Generates into `out`, rewriting the file only when its bytes change so that an unchanged
    /// spec never triggers a rebuild of the including crate.
    pub fn generate_to(&self, out: &Path) -> Result<Output, GenerateError> {
        let output = self.generate().map_err(GenerateError::Spec)?;
        write_if_changed(out, output.code.as_bytes()).map_err(|source| GenerateError::Write {
            path: out.to_path_buf(),
            source,
        })?;
        Ok(output)
    }
}

/// Why [`Config::generate_to`] failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec has problems.
    #[error("{0}")]
    Spec(Diagnostics),
    /// The output file could not be written.
    #[error("{}: cannot write generated code: {source}", .path.display())]
    Write {
        /// The output file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}
