//! Plain text (a page as a browser renders it) → [`Block`]s. Each line is a paragraph and runs
//! of `•` lines are lists. Plain text has lost its tables, so this is the one place where
//! tables are inferred: from a header line to the next recognized line, rows are cut at blank
//! lines, at a name followed by a type, and after a "required" marker.
//!
//! Which lines are table headers, markers or section words is localized knowledge the caller
//! passes in as a [`Cue`] function, so this reader knows no language.

use super::blocks::{Block, Kind, Row, Table, normalize};
use super::types::is_name;

/// What the caller recognizes a line as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// Nothing: page text.
    Plain,
    /// A table header row; `codes` when the table lists error codes (`368The action …`).
    Header {
        /// An error-code table.
        codes: bool,
    },
    /// A "required" marker, which ends its row.
    Required,
    /// A label that ends a table unless a type follows it (`data`, `paging`, `summary`).
    Label,
    /// Any other recognized line (a section word): ends a table.
    Boundary,
}

/// Reads a plain-text page; `cue` recognizes localized lines and `is_type` type syntax.
pub fn blocks(src: &str, cue: &dyn Fn(&str) -> Cue, is_type: &dyn Fn(&str) -> bool) -> Vec<Block> {
    let lines: Vec<(usize, String)> = src
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, normalize(l)))
        .collect();
    read(&lines, cue, is_type)
}

/// Tables a marked-up page printed flattened, one cell per paragraph (`Campo`, `Descrição`,
/// `permitted_tasks`, `list<string>`, …): runs of paragraphs are plain text, read as such.
pub fn infer_tables(
    blocks: Vec<Block>,
    cue: &dyn Fn(&str) -> Cue,
    is_type: &dyn Fn(&str) -> bool,
) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut run: Vec<(usize, String)> = Vec::new();
    let flush = |run: &mut Vec<(usize, String)>, out: &mut Vec<Block>| {
        if run
            .iter()
            .any(|(_, t)| matches!(cue(t), Cue::Header { .. }))
            || header_pair(run, cue)
        {
            out.extend(read(run, cue, is_type));
        } else {
            out.extend(
                run.iter()
                    .filter(|(_, t)| !t.is_empty())
                    .map(|(line, t)| Block {
                        line: *line,
                        kind: Kind::Paragraph(t.clone()),
                    }),
            );
        }
        run.clear();
    };
    for b in blocks {
        match b.kind {
            Kind::Paragraph(t) => {
                // A blank line between paragraphs, as plain text has them.
                run.push((b.line, t));
                run.push((b.line, String::new()));
            }
            kind => {
                flush(&mut run, &mut out);
                out.push(Block { line: b.line, kind });
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Whether two neighbouring lines of `run` form a table header (`Campo` + `Descrição`).
fn header_pair(run: &[(usize, String)], cue: &dyn Fn(&str) -> Cue) -> bool {
    let texts: Vec<&str> = run
        .iter()
        .map(|(_, t)| t.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    texts
        .windows(2)
        .any(|w| matches!(cue(&format!("{} {}", w[0], w[1])), Cue::Header { .. }))
}

/// The plain-text reading of `lines` (blank lines included, as they separate table rows).
fn read(
    lines: &[(usize, String)],
    cue: &dyn Fn(&str) -> Cue,
    is_type: &dyn Fn(&str) -> bool,
) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (no, text) = &lines[i];
        i += 1;
        if text.is_empty() {
            continue;
        }
        // A header whose cells were printed on two lines.
        let next = lines[i..]
            .iter()
            .position(|(_, l)| !l.is_empty())
            .map(|k| i + k);
        let mut header = text.clone();
        let mut kind = cue(text);
        if !matches!(kind, Cue::Header { .. })
            && let Some(k) = next
        {
            let pair = format!("{text} {}", lines[k].1);
            if let h @ Cue::Header { .. } = cue(&pair) {
                kind = h;
                header = pair;
                i = k + 1;
            }
        }
        if let Cue::Header { codes } = kind {
            let start = i;
            while i < lines.len() {
                let t = &lines[i].1;
                let ends = match cue(t) {
                    Cue::Plain | Cue::Required => false,
                    Cue::Label => {
                        let next = lines[i + 1..].iter().find(|(_, l)| !l.is_empty());
                        !next.is_some_and(|(_, l)| is_type(l))
                    }
                    Cue::Header { .. } | Cue::Boundary => true,
                };
                if ends {
                    break;
                }
                i += 1;
            }
            let body = &lines[start..i];
            let rows = if codes {
                code_rows(body)
            } else {
                rows(body, cue, is_type)
            };
            out.push(Block {
                line: *no,
                kind: Kind::Table(Table {
                    header: vec![header],
                    rows,
                }),
            });
            continue;
        }
        if let Some(item) = bullet(text) {
            let item = (*no, item.to_string());
            match out.last_mut() {
                Some(Block {
                    kind: Kind::List(items),
                    ..
                }) if lines[i - 2..i - 1]
                    .iter()
                    .all(|(_, l)| l.is_empty() || bullet(l).is_some()) =>
                {
                    items.push(item)
                }
                _ => out.push(Block {
                    line: *no,
                    kind: Kind::List(vec![item]),
                }),
            }
            continue;
        }
        out.push(Block {
            line: *no,
            kind: Kind::Paragraph(text.clone()),
        });
    }
    out
}

fn bullet(t: &str) -> Option<&str> {
    t.strip_prefix('•')
        .or_else(|| t.strip_prefix('·'))
        .map(str::trim)
}

/// Rows of a name / description table: cell 0 is the name (and type), cell 1 the description
/// (ending with the required marker when there is one).
fn rows(
    body: &[(usize, String)],
    cue: &dyn Fn(&str) -> Cue,
    is_type: &dyn Fn(&str) -> bool,
) -> Vec<Row> {
    let required = |l: &str| cue(l) == Cue::Required;
    // Runs of lines between blank lines; a marker is a run of its own.
    let mut runs: Vec<Vec<&(usize, String)>> = Vec::new();
    let mut cur: Vec<&(usize, String)> = Vec::new();
    for l in body {
        if l.1.is_empty() || required(&l.1) {
            if !cur.is_empty() {
                runs.push(std::mem::take(&mut cur));
            }
            if !l.1.is_empty() {
                runs.push(vec![l]);
            }
        } else {
            cur.push(l);
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    let mut rows: Vec<Row> = Vec::new();
    for run in runs {
        let first = run[0];
        if required(&first.1) {
            if let Some(r) = rows.last_mut()
                && let Some(desc) = r.cells.get_mut(1)
            {
                desc.push(first.1.clone());
            }
            continue;
        }
        // A type on its own (each cell a paragraph) belongs to the name-only row above it.
        if run.len() == 1
            && is_type(&first.1)
            && let Some(r) = rows.last_mut()
            && r.cells[0].len() == 1
            && r.cells[1].is_empty()
        {
            r.cells[0].push(first.1.clone());
            continue;
        }
        let typed_head = run.len() >= 2 && is_name(&first.1) && is_type(&run[1].1);
        let starts_row = rows.is_empty()
            || typed_head
            || first.1.starts_with("Edge<")
            || (run.len() == 1
                && is_name(&first.1)
                && rows
                    .last()
                    .is_some_and(|r| r.cells[1].iter().any(|l| !required(l))));
        let texts = |ls: &[&(usize, String)]| ls.iter().map(|l| l.1.clone()).collect::<Vec<_>>();
        if starts_row {
            let split = if typed_head { 2 } else { 1 };
            rows.push(Row {
                line: first.0,
                cells: vec![texts(&run[..split]), texts(&run[split..])],
            });
        } else if let Some(r) = rows.last_mut() {
            r.cells[1].extend(texts(&run));
        }
    }
    rows
}

/// Rows of an error-code table: each line starting with digits begins a row
/// (`368The action …` → `368` | `The action …`); other lines continue the description.
fn code_rows(body: &[(usize, String)]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for (no, t) in body.iter().filter(|(_, t)| !t.is_empty()) {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        match rows.last_mut() {
            Some(r) if digits == 0 => r.cells[1].push(t.clone()),
            _ => rows.push(Row {
                line: *no,
                cells: vec![
                    vec![t[..digits].to_string()],
                    vec![t[digits..].trim().to_string()],
                ],
            }),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(l: &str) -> Cue {
        match l {
            "Field Description" => Cue::Header { codes: false },
            "Error Description" => Cue::Header { codes: true },
            "Required" => Cue::Required,
            "paging" => Cue::Label,
            "Fields" => Cue::Boundary,
            _ => Cue::Plain,
        }
    }

    #[test]
    fn infers_rows_of_name_type_and_code_tables() {
        let src = "Field Description\nid\nstring\n\nThe ID\n\nname\nstring\n\nThe name\nRequired\npaging\nError Description\n100Invalid\nparameter\nFields\n• a\n• b\n";
        let b = blocks(src, &cue, &|t| t == "string");
        let Kind::Table(t) = &b[0].kind else {
            panic!("{b:?}")
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            t.rows[1].cells,
            [vec!["name", "string"], vec!["The name", "Required"]]
        );
        assert_eq!(b[1].kind, Kind::Paragraph("paging".into()));
        let Kind::Table(e) = &b[2].kind else {
            panic!("{b:?}")
        };
        assert_eq!(e.rows[0].cells, [vec!["100"], vec!["Invalid", "parameter"]]);
        assert_eq!(
            b[4].kind,
            Kind::List(vec![(17, "a".into()), (18, "b".into())])
        );
    }
}
