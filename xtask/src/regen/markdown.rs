//! Markdown → page lines. Headings, list items, paragraphs and table cells become the lines a
//! browser would show; fenced code is marked as code.
//!
//! Table rows follow the text rendering of Meta's tables: a header row is one line, every body
//! cell is its own block, and `<br>` inside a cell breaks lines (a parameter's name and type are
//! one cell, `name<br>type`).

use super::text::Line;
use super::text::{LineSink, decode_entities};

/// Converts a Markdown page.
pub fn to_lines(src: &str) -> Vec<Line> {
    let raw: Vec<&str> = src.lines().collect();
    let mut out = LineSink::default();
    let mut i = 0;
    // YAML front matter is metadata, not page text.
    if raw.first().is_some_and(|l| l.trim() == "---")
        && let Some(end) = raw.iter().skip(1).position(|l| l.trim() == "---")
    {
        i = end + 2;
    }
    let mut fence: Option<&str> = None;
    let mut in_paragraph = false;
    while i < raw.len() {
        let no = i + 1;
        let line = raw[i];
        let t = line.trim();
        i += 1;
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
                out.blank(no);
            } else {
                out.code(line, no);
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            in_paragraph = false;
            out.blank(no);
            continue;
        }
        if t.is_empty() {
            in_paragraph = false;
            out.blank(no);
            continue;
        }
        if t.starts_with('|') {
            in_paragraph = false;
            let header = raw.get(i).is_some_and(|n| is_separator(n.trim()));
            if is_separator(t) {
                continue;
            }
            let cells = split_cells(t);
            out.blank(no);
            if header {
                let joined: Vec<String> = cells.iter().map(|c| inline(c)).collect();
                out.text(&joined.join(" "), no);
                out.blank(no);
                i += 1;
                continue;
            }
            for cell in cells {
                for (k, seg) in split_br(cell).into_iter().enumerate() {
                    if k > 0 {
                        out.newline();
                    }
                    if seg.trim().is_empty() {
                        out.blank(no);
                    } else {
                        out.text(&inline(seg), no);
                    }
                }
                out.blank(no);
            }
            continue;
        }
        if let Some(h) = heading(t) {
            in_paragraph = false;
            out.blank(no);
            out.text(&inline(h), no);
            out.blank(no);
            continue;
        }
        if is_rule(t) {
            // A setext underline or a thematic break: either way the block ends here.
            in_paragraph = false;
            out.blank(no);
            continue;
        }
        if let Some(item) = list_item(t) {
            in_paragraph = false;
            out.newline();
            out.text(&format!("• {}", inline(item)), no);
            out.newline();
            continue;
        }
        let t = t.trim_start_matches('>').trim();
        // Paragraph text wrapped over several source lines is one rendered line.
        if in_paragraph {
            out.text(" ", no);
        } else {
            out.newline();
        }
        for (k, seg) in split_br(t).into_iter().enumerate() {
            if k > 0 {
                out.newline();
            }
            out.text(&inline(seg), no);
        }
        in_paragraph = true;
    }
    out.finish()
}

fn heading(t: &str) -> Option<&str> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some(rest.trim().trim_end_matches('#').trim())
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

    fn texts(src: &str) -> Vec<String> {
        to_lines(src).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn tables_headings_and_inline() {
        let md = "# Title\n\n| Field | Description |\n| --- | --- |\n| `a_b`<br>`list<string>` | Some **bold** [link](http://x) text |\n";
        assert_eq!(
            texts(md),
            [
                "Title",
                "",
                "Field Description",
                "",
                "a_b",
                "list<string>",
                "",
                "Some bold link text",
                ""
            ]
        );
    }

    #[test]
    fn fences_are_code_and_paragraphs_join() {
        let lines = to_lines("one\ntwo\n\n```\ncurl x\n```\n- item\n");
        assert_eq!(lines[0].text, "one two");
        assert!(lines.iter().any(|l| l.code && l.text == "curl x"));
        assert!(lines.iter().any(|l| l.text == "• item"));
    }
}
