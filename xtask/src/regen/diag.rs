//! Problems found while reading pages. Every one names its file and line (or JSON pointer): regen never drops a
//! page or a section silently.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was skipped or guessed; the spec is still written.
    Warning,
    /// The pages cannot be turned into a spec; nothing is written.
    Error,
}

/// One problem, at `file:line` (line 0 when it concerns the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Warning or error.
    pub severity: Severity,
    /// The file it is in.
    pub file: PathBuf,
    /// 1-based line, or 0.
    pub line: usize,
    /// A JSON pointer into a structured document (an OpenAPI file), in place of a line.
    pub pointer: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(p) = &self.pointer {
            write!(f, "#{p}")?;
        } else if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, ": {kind}: {}", self.message)
    }
}

/// The problems of one run.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Records a warning.
    pub fn warn(&mut self, file: &Path, line: usize, message: impl Into<String>) {
        self.push(Severity::Warning, file, line, message.into());
    }

    /// Records codegen's diagnostic `d` as a warning, prefixed with what regen does about it.
    pub fn warn_diag(&mut self, d: &waba_codegen::diag::Diagnostic, outcome: &str) {
        self.warn(&d.file, d.line, format!("{outcome}: {}", d.message));
    }

    /// Records an error.
    pub fn error(&mut self, file: &Path, line: usize, message: impl Into<String>) {
        self.push(Severity::Error, file, line, message.into());
    }

    /// Records a warning at a JSON pointer of a structured document.
    pub fn warn_at(&mut self, file: &Path, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Warning, file, 0, message.into());
        self.point(pointer);
    }

    /// Records an error at a JSON pointer of a structured document.
    pub fn error_at(&mut self, file: &Path, pointer: &str, message: impl Into<String>) {
        self.push(Severity::Error, file, 0, message.into());
        self.point(pointer);
    }

    fn point(&mut self, pointer: &str) {
        if let Some(p) = self.0.last_mut() {
            p.pointer = Some(pointer.to_string());
        }
    }

    fn push(&mut self, severity: Severity, file: &Path, line: usize, message: String) {
        self.0.push(Problem {
            severity,
            file: file.to_path_buf(),
            line,
            pointer: None,
            message,
        });
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|p| p.severity == Severity::Error)
    }
}
