//! Located problems in spec files: every error names file, line and column.

use std::fmt;
use std::ops::Range;
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
            self.0
                .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
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

/// One step of an [`Origin`]: the `nth` (0-based) place, inside the part of the file the steps
/// before it found, where `key` stands with `value` (or just `key`, when `value` is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    key: String,
    value: String,
    nth: usize,
}

/// A place in a spec file that is resolved to line and column only when a problem is reported.
///
/// serde_yaml keeps no positions after deserialization, so a place is described the way a reader
/// would find it: a path of keys from the top of the file, e.g. `operations` → the second
/// `path: /{id}/edge` → `params` → `name: user`. Each step searches only inside the item the step
/// before found, so equal names in different items never get mixed up, and `nth` counts equal
/// items within one list in the order the validator reads them, which is the order of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file the item was read from.
    pub file: PathBuf,
    steps: Vec<Step>,
}

impl Origin {
    /// The file as a whole (a problem located here reports line 0).
    pub(crate) fn file(file: &Path) -> Origin {
        Origin {
            file: file.to_path_buf(),
            steps: Vec::new(),
        }
    }

    /// The `nth` place where `key` stands with `value` inside this one.
    pub(crate) fn at(&self, key: &str, value: &str, nth: usize) -> Origin {
        let mut steps = self.steps.clone();
        steps.push(Step {
            key: key.to_string(),
            value: value.to_string(),
            nth,
        });
        Origin {
            file: self.file.clone(),
            steps,
        }
    }

    /// Where `key` stands inside this place.
    pub(crate) fn key(&self, key: &str) -> Origin {
        self.at(key, "", 0)
    }

    /// Whether the item comes from the hand-written overlay rather than from Meta's pages.
    pub fn is_curated(&self) -> bool {
        self.file
            .file_name()
            .is_some_and(|n| n == crate::spec::OVERLAY_FILE)
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
            .and_then(|src| locate(src, &self.steps))
            .unwrap_or((0, 0));
        file_diag(&self.file, line, column, message)
    }
}

/// Follows `steps` through `src` and returns the 1-based line and column of the last step found:
/// when a step cannot be found (unusual formatting), the enclosing item is the best place left.
fn locate(src: &str, steps: &[Step]) -> Option<(usize, usize)> {
    let lines: Vec<Line<'_>> = src.lines().map(Line::new).collect();
    let mut scope = Scope {
        lines: 0..lines.len(),
        has_parent: false,
    };
    let mut found = None;
    for step in steps {
        let Some(hit) = find_step(&lines, &scope, step) else {
            break;
        };
        found = Some((hit.line + 1, hit.column));
        scope = hit.scope;
    }
    found
}

/// One line of YAML source, split where block-style YAML puts its structure.
struct Line<'a> {
    text: &'a str,
    /// Columns of leading spaces.
    indent: usize,
    /// Byte offset of the line's content after any `- ` sequence markers.
    body: usize,
    /// Whether the line starts a sequence item (`- …`).
    item: bool,
    /// Blank or comment-only: belongs to no item.
    blank: bool,
}

impl<'a> Line<'a> {
    fn new(text: &'a str) -> Line<'a> {
        let trimmed = text.trim_start();
        let mut body = trimmed;
        while let Some(rest) = body
            .strip_prefix("- ")
            .or_else(|| (body == "-").then_some(""))
        {
            body = rest.trim_start();
        }
        Line {
            text,
            indent: text.len() - trimmed.len(),
            body: text.len() - body.len(),
            item: body.len() != trimmed.len(),
            blank: trimmed.is_empty() || trimmed.starts_with('#'),
        }
    }

    /// The byte offset of the text after `key:` when this line's content starts with that key.
    fn after_key(&self, key: &str) -> Option<usize> {
        let body = &self.text[self.body..];
        let unquoted = body.strip_prefix(key);
        let quoted = ['\'', '"']
            .into_iter()
            .find_map(|q| body.strip_prefix(q)?.strip_prefix(key)?.strip_prefix(q));
        let rest = unquoted.or(quoted)?.strip_prefix(':')?;
        (rest.is_empty() || rest.starts_with(char::is_whitespace))
            .then(|| self.text.len() - rest.len())
    }

    /// The 1-based column of byte offset `byte`, counted in characters.
    fn column(&self, byte: usize) -> usize {
        self.text[..byte].chars().count() + 1
    }

    fn key_column(&self) -> usize {
        self.column(self.body)
    }
}

/// The lines a step searches. With a parent (a key whose value the lines are), the parent's own
/// line is not searched.
struct Scope {
    lines: Range<usize>,
    has_parent: bool,
}

struct Hit {
    line: usize,
    column: usize,
    /// Where the next step searches.
    scope: Scope,
}

fn find_step(lines: &[Line<'_>], scope: &Scope, step: &Step) -> Option<Hit> {
    // Only keys of the scope's own level count, so a deeper `errors:` or a deeper key that
    // happens to equal a node name is never taken for the one sought.
    let first = scope.lines.start + usize::from(scope.has_parent);
    let own = || (first..scope.lines.end).filter(|&i| !lines[i].blank);
    let level = own().map(|i| lines[i].key_column()).min()?;
    let mut seen = 0;
    for i in own().filter(|&i| lines[i].key_column() == level) {
        let line = &lines[i];
        let Some(rest) = line.after_key(&step.key) else {
            continue;
        };
        if step.value.is_empty() {
            if seen == step.nth {
                let lines = i..block_end(lines, i, scope.lines.end);
                return Some(Hit {
                    line: i,
                    column: line.key_column(),
                    scope: Scope {
                        lines,
                        has_parent: true,
                    },
                });
            }
            seen += 1;
            continue;
        }
        // The value stands after the key, or below it as a block sequence (`- VALUE` lines).
        let below = if line.text[rest..].trim().is_empty() {
            i + 1..block_end(lines, i, scope.lines.end)
        } else {
            i..i + 1
        };
        for j in below {
            let from = if j == i { rest } else { lines[j].body };
            for at in value_positions(&lines[j].text[from..], &step.value) {
                if seen == step.nth {
                    let column = lines[j].column(from + at);
                    let scope = match enclosing_item(lines, i, scope.lines.start) {
                        Some(item) => Scope {
                            lines: item..block_end(lines, item, scope.lines.end),
                            has_parent: false,
                        },
                        None => Scope {
                            lines: i..block_end(lines, i, scope.lines.end),
                            has_parent: true,
                        },
                    };
                    return Some(Hit {
                        line: j,
                        column,
                        scope,
                    });
                }
                seen += 1;
            }
        }
    }
    None
}

/// Byte offsets where `value` stands in `s` as a whole YAML scalar or as a whole name inside a
/// type (`Foo` in `list<Foo>`, not in `FooBar`; `/{id}` not inside `/{id}/edge`).
fn value_positions<'s>(s: &'s str, value: &'s str) -> impl Iterator<Item = usize> + 's {
    let delimits =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "[]{},:<>'\"#".contains(c));
    s.match_indices(value).map(|(at, _)| at).filter(move |&at| {
        delimits(s[..at].chars().next_back()) && delimits(s[at + value.len()..].chars().next())
    })
}

/// The line after the last line of the node that starts at line `start`: a sequence item ends
/// at the next line indented no deeper than its `-`; a key's value ends at the next line indented
/// no deeper than the key, except that a key's sequence may sit at the key's own indent.
fn block_end(lines: &[Line<'_>], start: usize, limit: usize) -> usize {
    let head = &lines[start];
    let key_indent = head.key_column() - 1;
    (start + 1..limit)
        .find(|&i| {
            let l = &lines[i];
            !l.blank
                && if head.item {
                    l.indent <= head.indent
                } else {
                    l.indent < key_indent || (l.indent == key_indent && !l.item)
                }
        })
        .unwrap_or(limit)
}

/// The sequence item that line `at` belongs to, if it is part of one (`path:` of an operation).
fn enclosing_item(lines: &[Line<'_>], at: usize, floor: usize) -> Option<usize> {
    let line = &lines[at];
    if line.item {
        return Some(at);
    }
    let key_column = line.key_column();
    (floor..at)
        .rev()
        .filter(|&i| !lines[i].blank)
        .find(|&i| lines[i].indent < key_column - 1)
        .filter(|&i| lines[i].item && lines[i].key_column() == key_column)
}

pub(crate) fn file_diag(file: &Path, line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_path_buf(),
        line,
        column,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::Origin;
    use std::path::Path;

    fn at(src: &str, o: Origin) -> Option<(usize, usize)> {
        super::locate(src, &o.steps)
    }

    fn top() -> Origin {
        Origin::file(Path::new("x.yaml"))
    }

    #[test]
    fn finds_nth_value_after_key() {
        let src = "fields:\n- name: a\n  type: list<Foo>\n- name: b\n  type: Foo\n";
        let fields = top().key("fields");
        assert_eq!(
            at(src, fields.at("name", "a", 0).at("type", "Foo", 0)),
            Some((3, 14))
        );
        assert_eq!(
            at(src, fields.at("name", "b", 0).at("type", "Foo", 0)),
            Some((5, 9))
        );
        assert_eq!(at(src, fields.at("name", "b", 0)), Some((4, 9)));
        // A step that is not found leaves the place of the enclosing item.
        assert_eq!(
            at(src, fields.at("name", "b", 0).at("type", "Fo", 0)),
            Some((4, 9))
        );
        assert_eq!(at(src, top().at("type", "Fo", 0)), None);
    }

    #[test]
    fn searches_inside_the_item_found() {
        let src = "operations:\n- method: GET\n  path: /{id}/edge\n  params:\n  - name: user\n- method: DELETE\n  path: /{id}/edge\n  params:\n  - name: user\n    type: UID\n- path: /{id}\n";
        let ops = top().key("operations");
        let second = ops.at("path", "/{id}/edge", 1);
        assert_eq!(at(src, second.clone()), Some((7, 9)));
        assert_eq!(
            at(src, second.key("params").at("name", "user", 0)),
            Some((9, 11))
        );
        assert_eq!(
            at(
                src,
                second
                    .key("params")
                    .at("name", "user", 0)
                    .at("type", "UID", 0)
            ),
            Some((10, 11))
        );
        // `/{id}` is a whole value, not the start of `/{id}/edge`.
        assert_eq!(at(src, ops.at("path", "/{id}", 0)), Some((11, 9)));
    }

    #[test]
    fn finds_values_in_flow_and_block_sequences() {
        let src = "enums:\n  Task: [MANAGE, MANAGE_PHONE, manage]\n  Other:\n  - A\n  - 'B'\n";
        let enums = top().key("enums");
        assert_eq!(at(src, enums.at("Task", "MANAGE", 0)), Some((2, 10)));
        assert_eq!(at(src, enums.at("Task", "manage", 0)), Some((2, 32)));
        assert_eq!(at(src, enums.at("Other", "B", 0)), Some((5, 6)));
        assert_eq!(at(src, enums.key("Other")), Some((3, 3)));
    }
}
