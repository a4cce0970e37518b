//! Markdown (front matter and MDX included) → [`Block`]s. Tables keep their cells (`<br>` breaks
//! a cell's lines: a parameter's name and type are one cell, `name<br>type`); fenced code is a
//! code block; a front-matter `title:` is the document's title; MDX `import`/`export` lines and
//! lone JSX tags are not page text.

use super::blocks::{Block, Kind, Lines, Row, Table, decode_entities, normalize};

/// Reads a Markdown page.
pub fn blocks(src: &str) -> Vec<Block> {
    let lines = logical_lines(src);
    let raw: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
    let mut r = Reader::default();
    let mut i = 0;
    if raw.first().is_some_and(|l| l.trim() == "---")
        && let Some(end) = raw.iter().skip(1).position(|l| l.trim() == "---")
    {
        for (k, l) in raw[1..=end].iter().enumerate() {
            if let Some(t) = l.trim().strip_prefix("title:") {
                let t = t.trim().trim_matches(['"', '\'']);
                r.push(lines[k + 1].0, Kind::Title(normalize(t)));
            }
        }
        i = end + 2;
    }
    let mut fence: Option<(&str, usize, Lines)> = None;
    let mut comment = false;
    while i < raw.len() {
        let no = lines[i].0;
        let line = raw[i];
        let t = line.trim();
        i += 1;
        if let Some((f, start, code)) = &mut fence {
            if t.starts_with(*f) {
                let (start, code) = (*start, std::mem::take(code));
                fence = None;
                r.push(start, Kind::Code(code));
            } else {
                code.push((no, line.trim_end().to_string()));
            }
            continue;
        }
        if comment || t.starts_with("<!--") {
            comment = !t.contains("-->");
            r.end();
            continue;
        }
        // An indented code block starts after a blank line, outside paragraphs and lists.
        if !t.is_empty()
            && (line.starts_with("    ") || line.starts_with('\t'))
            && r.para.is_none()
            && r.list.is_none()
            && r.table.is_none()
        {
            let mut code = vec![(no, line.trim_end().to_string())];
            while i < raw.len()
                && (raw[i].trim().is_empty()
                    || raw[i].starts_with("    ")
                    || raw[i].starts_with('\t'))
            {
                code.push((i + 1, raw[i].trim_end().to_string()));
                i += 1;
            }
            while code.last().is_some_and(|(_, l)| l.trim().is_empty()) {
                code.pop();
            }
            r.push(no, Kind::Code(code));
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            r.end();
            fence = Some((&t[..3], no, Vec::new()));
            continue;
        }
        if t.is_empty() || is_jsx(t) {
            r.end();
            continue;
        }
        if t.starts_with('|') {
            r.end_paragraph();
            if is_separator(t) {
                continue;
            }
            let header = raw.get(i).is_some_and(|n| is_separator(n.trim()));
            let cells: Vec<Vec<String>> = split_cells(t)
                .into_iter()
                .map(|c| {
                    split_br(c)
                        .into_iter()
                        .flat_map(code_span_first)
                        .map(inline)
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .collect();
            if header {
                r.end();
                let header = cells.into_iter().map(|c| c.join(" ")).collect();
                r.table = Some((
                    no,
                    Table {
                        header,
                        rows: Vec::new(),
                    },
                ));
                i += 1;
                continue;
            }
            if r.list.is_some() {
                r.end();
            }
            r.table
                .get_or_insert_with(|| (no, Table::default()))
                .1
                .rows
                .push(Row { line: no, cells });
            continue;
        }
        if let Some((level, h)) = heading(t) {
            r.end();
            r.push(no, Kind::Heading(level, inline(h)));
            continue;
        }
        if is_rule(t) {
            // A setext underline makes the paragraph above a heading; a thematic break ends it.
            let setext = match t.trim_start().chars().next() {
                Some('=') => Some(1),
                Some('-') if !t.contains(' ') => Some(2),
                _ => None,
            };
            match (setext, r.para.take()) {
                (Some(level), Some((start, text))) => {
                    r.push(start, Kind::Heading(level, text));
                }
                (_, para) => {
                    r.para = para;
                    r.end();
                }
            }
            continue;
        }
        if let Some(item) = list_item(t) {
            r.end_paragraph();
            if r.table.is_some() {
                r.end();
            }
            r.list
                .get_or_insert_with(|| (no, Vec::new()))
                .1
                .push((no, inline(item)));
            continue;
        }
        let t = t.trim_start_matches('>').trim();
        if r.list.is_some() || r.table.is_some() {
            r.end();
        }
        for (k, seg) in split_br(t).into_iter().enumerate() {
            if k > 0 {
                r.end_paragraph();
            }
            r.text(no, &inline(seg));
        }
    }
    if let Some((_, start, code)) = fence {
        r.push(start, Kind::Code(code));
    }
    r.end();
    r.out
}

/// The source's lines with their numbers, repaired where an HTML-to-text converter glued
/// structure together (outside code fences):
/// - a heading glued to the previous sentence (`guide.### Parameters`) starts its own line;
/// - a setext heading glued to the sentence above (`endpoint.Updating` over `---`) keeps only its
///   last word run: the sentence is a line of its own;
/// - a list glued to its lead-in sentence (`paths: * `/x``) starts its own line;
/// - a table row broken over several lines (no closing `|` yet) is joined with `<br>`.
fn logical_lines(src: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut fence = false;
    let mut row: Option<(usize, String)> = None;
    let src_lines: Vec<&str> = src.lines().collect();
    for (k, line) in src_lines.iter().enumerate() {
        let no = k + 1;
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        }
        if fence || t.starts_with("```") || t.starts_with("~~~") {
            out.push((no, line.to_string()));
            continue;
        }
        if let Some((_, r)) = &mut row {
            r.push_str("<br>");
            r.push_str(t);
            if t.ends_with('|') {
                out.extend(row.take());
            }
            continue;
        }
        if t.starts_with('|') && !t.ends_with('|') && t.len() > 1 {
            row = Some((no, t.to_string()));
            continue;
        }
        let underline = src_lines.get(k + 1).is_some_and(|n| {
            n.trim().len() >= 3 && n.trim().bytes().all(|b| b == b'-' || b == b'=')
        });
        let glued = if underline {
            glued_sentence_end(t)
        } else {
            glued_heading(t)
        };
        // A list glued to its lead-in sentence: `… the following paths: * `/x``.
        let glued = glued.or_else(|| t.find(": * ").map(|at| at + 2));
        match glued {
            // A blank line between: the parts are separate blocks.
            Some(at) => {
                out.push((no, t[..at].to_string()));
                out.push((no, String::new()));
                out.push((no, t[at..].to_string()));
            }
            None => out.push((no, line.to_string())),
        }
    }
    out.extend(row);
    out
}

/// The byte offset of `###` glued to a sentence end (`guide.### Parameters`).
fn glued_heading(t: &str) -> Option<usize> {
    let at = t.find("#")?;
    let hashes = t[at..].bytes().take_while(|&b| b == b'#').count();
    (at > 0
        && (1..=6).contains(&hashes)
        && t[at + hashes..].starts_with(' ')
        && t[..at].ends_with(['.', ')', ':', '`', '}']))
    .then_some(at)
}

/// The byte offset just after the last sentence end glued to a capitalized word
/// (`…this endpoint.Updating` → the offset of `Updating`).
fn glued_sentence_end(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    (1..b.len())
        .rev()
        .find(|&i| b[i].is_ascii_uppercase() && matches!(b[i - 1], b'.' | b'}'))
}

/// Builds blocks: the open paragraph, list or table ends at the next block.
#[derive(Default)]
struct Reader {
    out: Vec<Block>,
    para: Option<(usize, String)>,
    list: Option<(usize, Vec<(usize, String)>)>,
    table: Option<(usize, Table)>,
}

impl Reader {
    fn push(&mut self, line: usize, kind: Kind) {
        self.end();
        self.out.push(Block { line, kind });
    }

    fn text(&mut self, no: usize, s: &str) {
        if s.is_empty() {
            return;
        }
        match &mut self.para {
            Some((_, p)) => {
                p.push(' ');
                p.push_str(s);
            }
            None => self.para = Some((no, s.to_string())),
        }
    }

    fn end_paragraph(&mut self) {
        if let Some((line, text)) = self.para.take() {
            let text = normalize(&text);
            if !text.is_empty() {
                self.out.push(Block {
                    line,
                    kind: Kind::Paragraph(text),
                });
            }
        }
    }

    fn end(&mut self) {
        self.end_paragraph();
        if let Some((line, items)) = self.list.take() {
            self.out.push(Block {
                line,
                kind: Kind::List(items),
            });
        }
        if let Some((line, t)) = self.table.take() {
            self.out.push(Block {
                line,
                kind: Kind::Table(t),
            });
        }
    }
}

/// A cell line that opens with a code span and goes on (`` `name`string ``, `` `name` *type* ``)
/// holds two things, the span and the rest: two lines.
fn code_span_first(seg: &str) -> Vec<&str> {
    let t = seg.trim();
    if let Some(inner) = t.strip_prefix('`')
        && let Some(close) = inner.find('`')
    {
        let rest = inner[close + 1..].trim();
        if !rest.is_empty() {
            return vec![&t[..close + 2], rest];
        }
    }
    vec![seg]
}

/// A line that is only a JSX/MDX tag or an MDX `import`/`export` statement.
fn is_jsx(t: &str) -> bool {
    if t.starts_with("import ") || t.starts_with("export ") {
        return true;
    }
    let inner = t.strip_prefix("</").or_else(|| t.strip_prefix('<'));
    inner.is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
        && t.ends_with('>')
        && t.matches('<').count() == 1
}

fn heading(t: &str) -> Option<(u8, &str)> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some((hashes as u8, rest.trim().trim_end_matches('#').trim()))
}

fn is_rule(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 2
        && (t.chars().all(|c| c == '-')
            || t.chars().all(|c| c == '=')
            || (t.len() >= 3 && (t.chars().all(|c| c == '*') || t.chars().all(|c| c == '_'))))
}

fn list_item(t: &str) -> Option<&str> {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some(rest);
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 10 {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

fn is_separator(t: &str) -> bool {
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Splits a table row on unescaped pipes (outside backticks).
fn split_cells(t: &str) -> Vec<&str> {
    let inner = t.strip_prefix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let mut start = 0;
    let mut in_code = false;
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => in_code = !in_code,
            '|' if !in_code => {
                cells.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = &inner[start..];
    if !last.trim().is_empty() {
        cells.push(last);
    }
    cells.into_iter().map(str::trim).collect()
}

/// Splits on `<br>`, `<br/>` and `<br />`.
fn split_br(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        let lower = rest.to_ascii_lowercase();
        match lower.find("<br") {
            Some(p) => match lower[p..].find('>') {
                Some(close)
                    if lower[p + 3..p + close]
                        .trim()
                        .trim_end_matches('/')
                        .trim()
                        .is_empty() =>
                {
                    parts.push(&rest[..p]);
                    rest = &rest[p + close + 1..];
                }
                _ => {
                    parts.push(rest);
                    break;
                }
            },
            None => {
                parts.push(rest);
                break;
            }
        }
    }
    parts
}

/// Inline Markdown → plain text: code spans, emphasis markers, links, images and escapes.
fn inline(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '`' => i += 1,
            '*' if chars.get(i + 1) == Some(&'*') => i += 2,
            '_' if chars.get(i + 1) == Some(&'_') => i += 2,
            '*' if emphasis_edge(&chars, i) => i += 1,
            '!' if chars.get(i + 1) == Some(&'[') => match link(&chars, i + 1) {
                Some((_, end)) => i = end,
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '[' => match link(&chars, i) {
                Some((text, end)) => {
                    out.push_str(&inline(&text));
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    decode_entities(&out)
}

/// A `*` that opens or closes emphasis: white space (or the line's edge) on exactly one side.
fn emphasis_edge(chars: &[char], i: usize) -> bool {
    let before = i
        .checked_sub(1)
        .and_then(|p| chars.get(p))
        .is_none_or(|c| c.is_whitespace());
    let after = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
    before != after
}

/// `[text](url)` starting at `open`: the text and the index after `)`.
fn link(chars: &[char], open: usize) -> Option<(String, usize)> {
    let mut depth = 0usize;
    let mut close = None;
    for (k, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = Some(k);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars.iter().skip(close + 2).position(|&c| c == ')')? + close + 2;
    Some((chars[open + 1..close].iter().collect(), end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Kind> {
        blocks(src).into_iter().map(|b| b.kind).collect()
    }

    #[test]
    fn tables_headings_and_inline() {
        let md = "---\ntitle: Graph API Reference v25.0: X\n---\n# Title\n\n| Field | Description |\n| --- | --- |\n| `a_b`<br>`list<string>` | Some **bold** [link](http://x) text |\n";
        assert_eq!(
            kinds(md),
            [
                Kind::Title("Graph API Reference v25.0: X".into()),
                Kind::Heading(1, "Title".into()),
                Kind::Table(Table {
                    header: vec!["Field".into(), "Description".into()],
                    rows: vec![Row {
                        line: 8,
                        cells: vec![
                            vec!["a_b".into(), "list<string>".into()],
                            vec!["Some bold link text".into()]
                        ]
                    }]
                })
            ]
        );
    }

    #[test]
    fn fences_setext_lists_and_mdx() {
        let b = kinds(
            "import X from 'y'\n<Tabs>\nTitle\n=====\none\ntwo\n\n```\ncurl x\n```\n- item\n* * *\n",
        );
        assert_eq!(
            b,
            [
                Kind::Heading(1, "Title".into()),
                Kind::Paragraph("one two".into()),
                Kind::Code(vec![(9, "curl x".into())]),
                Kind::List(vec![(11, "item".into())]),
            ]
        );
    }
}
