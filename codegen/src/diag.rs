//! Located problems in spec files: every error names file, line and column.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file the problem is in.
    pub file: PathBuf,
    /// 1-based line, or 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column, or 0 when unknown.
    pub column: usize,
    /// What is wrong, naming the offending name or value.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column.max(1))?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one run, in file order. Loading and validation collect all of them
/// instead of stopping at the first, so one build shows every mistake.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Whether no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(v)` when nothing was recorded, else every problem sorted by place.
    pub fn into_result<T>(mut self, v: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(v)
        } else {
            self.0.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            self.0.dedup();
            Err(self)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Finds where a key/value pair stands in a YAML source, so that problems found after
/// deserialization (which keeps no positions) can still name a line and column.
///
/// The spec is block-style YAML written by `cargo xtask regen` or by hand; a value is found as a
/// whole word after its key on one line. `nth` picks the nth such place (0-based), which the
/// validator counts in document order.
pub(crate) fn locate(src: &str, key: &str, value: &str, nth: usize) -> Option<(usize, usize)> {
    let mut seen = 0;
    for (i, line) in src.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let offset = indent + (trimmed.len() - body.len());
        let Some(rest) = strip_key(body, key) else {
            continue;
        };
        let rest_offset = offset + (body.len() - rest.len());
        if value.is_empty() {
            if seen == nth {
                return Some((i + 1, offset + 1));
            }
            seen += 1;
            continue;
        }
        let mut from = 0;
        while let Some(pos) = rest[from..].find(value) {
            let start = from + pos;
            let end = start + value.len();
            if is_boundary(rest, start, end) {
                if seen == nth {
                    let col = line[..rest_offset + start].chars().count() + 1;
                    return Some((i + 1, col));
                }
                seen += 1;
            }
            from = end;
        }
    }
    None
}

fn strip_key<'a>(body: &'a str, key: &str) -> Option<&'a str> {
    let unquoted = body.strip_prefix(key);
    let quoted = body
        .strip_prefix('\'')
        .or_else(|| body.strip_prefix('"'))
        .and_then(|b| b.strip_prefix(key))
        .and_then(|b| b.strip_prefix('\'').or_else(|| b.strip_prefix('"')));
    let rest = unquoted.or(quoted)?;
    rest.strip_prefix(':')
}

fn is_boundary(s: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let before = s[..start].chars().next_back().is_none_or(|c| !word(c));
    let after = s[end..].chars().next().is_none_or(|c| !word(c));
    before && after
}

/// A place in a spec file that is resolved to line and column only when a problem is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file the item was read from.
    pub file: PathBuf,
    pub(crate) key: String,
    pub(crate) value: String,
    pub(crate) nth: usize,
}

impl Origin {
    /// Whether the item comes from the hand-written overlay rather than from Meta's pages.
    pub fn is_curated(&self) -> bool {
        self.file.file_name().is_some_and(|n| n == crate::spec::OVERLAY_FILE)
    }

    /// The file name, for generated docs.
    pub fn file_name(&self) -> String {
        self.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    pub(crate) fn diagnostic(&self, sources: &crate::spec::Sources, message: String) -> Diagnostic {
        let (line, column) = sources
            .text(&self.file)
            .and_then(|src| locate(src, &self.key, &self.value, self.nth))
            .unwrap_or((0, 0));
        Diagnostic { file: self.file.clone(), line, column, message }
    }
}

pub(crate) fn file_diag(file: &Path, line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic { file: file.to_path_buf(), line, column, message }
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn finds_nth_value_after_key() {
        let src = "fields:\n- name: a\n  type: list<Foo>\n- name: b\n  type: Foo\n";
        assert_eq!(locate(src, "type", "Foo", 0), Some((3, 14)));
        assert_eq!(locate(src, "type", "Foo", 1), Some((5, 9)));
        assert_eq!(locate(src, "type", "Fo", 0), None);
        assert_eq!(locate(src, "name", "b", 0), Some((4, 9)));
    }

    #[test]
    fn finds_values_in_flow_sequences() {
        let src = "enums:\n  Task: [MANAGE, MANAGE_PHONE, manage]\n";
        assert_eq!(locate(src, "Task", "MANAGE", 0), Some((2, 10)));
        assert_eq!(locate(src, "Task", "manage", 0), Some((2, 32)));
    }
}
