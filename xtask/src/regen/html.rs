//! HTML → [`Block`]s: a small tolerant reader (no DOM, no dependency).
//!
//! Headings, paragraphs, lists, tables (`<th>` rows are the header, `<br>` breaks a cell's
//! lines) and `<pre>` code keep their structure; `<title>` is the document title. Page chrome —
//! `<nav>`, `<aside>`, page-level `<header>`/`<footer>`, scripts, forms, and anything whose
//! class, id or role marks it as navigation, a table of contents or a cookie banner — is dropped
//! with its content. Malformed markup never fails: an unknown tag such as the `<string>` of an
//! unescaped `list<string>` stays text.

use super::blocks::{Block, Kind, Row, Table, decode_entities, normalize};

/// Reads an HTML page.
pub fn blocks(src: &str) -> Vec<Block> {
    let mut c = Converter::default();
    c.run(src);
    c.flush(usize::MAX);
    c.end_list();
    c.end_table();
    c.out
}

#[derive(Default)]
struct Converter {
    out: Vec<Block>,
    /// Open elements (lower-case names).
    stack: Vec<String>,
    /// Stack depth at which a dropped element opened.
    skip_at: Option<usize>,
    /// Inline text not yet placed in a block, and the line it starts on.
    cur: String,
    cur_no: usize,
    /// The open list and its items.
    list: Option<(usize, Vec<(usize, String)>)>,
    /// The open table, its current row and whether that row has only `<th>` cells.
    table: Option<(usize, Table)>,
    row: Option<(Row, bool)>,
    /// The open `<pre>`: its first line and lines.
    pre: Option<(usize, Vec<(usize, String)>)>,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];
/// Dropped with everything inside them.
const DROP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "nav", "aside", "form", "button",
    "select", "textarea", "object", "canvas", "video", "audio", "dialog",
];
const BLOCK: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "title",
    "ul",
    "head",
];
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
    "sup", "time", "tt", "u", "var", "picture", "colgroup", "option", "optgroup", "center",
];
/// Class / id fragments that mark chrome.
const CHROME_MARKS: &[&str] = &[
    "cookie",
    "consent",
    "sidebar",
    "sidenav",
    "side-nav",
    "breadcrumb",
    "on-this-page",
    "onthispage",
    "navbar",
    "site-footer",
    "site-header",
];
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "dialog",
    "search",
];

fn is_known(name: &str) -> bool {
    VOID.contains(&name) || DROP.contains(&name) || BLOCK.contains(&name) || INLINE.contains(&name)
}

struct Tag<'a> {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: &'a str,
}

impl Tag<'_> {
    /// Whether an end tag (or the end of its parent) closes this start tag: not void, not `<x/>`.
    fn has_end(&self) -> bool {
        !VOID.contains(&self.name.as_str()) && !self.self_closing
    }
}

impl Converter {
    fn run(&mut self, src: &str) {
        let mut line = 1usize;
        let mut rest = src;
        while !rest.is_empty() {
            let Some(lt) = rest.find('<') else {
                self.text(rest, line);
                break;
            };
            if lt > 0 {
                self.text(&rest[..lt], line);
                advance(&mut rest, &mut line, lt);
            }
            // `rest` starts with '<'.
            if let Some(body) = rest.strip_prefix("<!--") {
                let end = body.find("-->").map_or(rest.len(), |e| e + 4 + 3);
                advance(&mut rest, &mut line, end);
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                advance(&mut rest, &mut line, end);
                continue;
            }
            match parse_tag(rest) {
                Some((tag, len)) if is_known(&tag.name) => {
                    let start_line = line;
                    advance(&mut rest, &mut line, len);
                    self.tag(&tag, start_line);
                    if !tag.closing
                        && matches!(tag.name.as_str(), "script" | "style")
                        && !tag.self_closing
                    {
                        // Raw text: skip to the matching close tag without reading markup in it.
                        let close = format!("</{}", tag.name);
                        let end = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
                        advance(&mut rest, &mut line, end);
                    }
                }
                _ => {
                    self.text("<", line);
                    rest = &rest[1..];
                }
            }
        }
    }

    fn skipping(&self) -> bool {
        self.skip_at.is_some()
    }

    fn in_cell(&self) -> bool {
        self.stack.iter().any(|t| t == "td" || t == "th")
    }

    fn heading_level(&self) -> Option<u8> {
        self.stack.iter().rev().find_map(|t| match t.as_bytes() {
            [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
            _ => None,
        })
    }

    fn text(&mut self, raw: &str, line: usize) {
        if self.skipping() {
            return;
        }
        let decoded = decode_entities(raw);
        if let Some((_, code)) = &mut self.pre {
            for (k, piece) in decoded.split('\n').enumerate() {
                match code.last_mut() {
                    Some((_, last)) if k == 0 => last.push_str(piece),
                    _ => code.push((line + k, piece.to_string())),
                }
            }
            return;
        }
        // Text starts on the line of its first visible character.
        let lead = decoded.len() - decoded.trim_start().len();
        if self.cur.trim().is_empty() {
            self.cur_no = line + decoded[..lead].matches('\n').count();
        }
        self.cur.push_str(&decoded);
    }

    /// Places the pending inline text: a cell line, a list item, a heading, the title or a
    /// paragraph, by the innermost open element.
    fn flush(&mut self, _line: usize) {
        let text = normalize(&std::mem::take(&mut self.cur));
        if text.is_empty() {
            return;
        }
        let no = self.cur_no.max(1);
        if self.in_cell()
            && let Some((row, _)) = &mut self.row
        {
            if let Some(cell) = row.cells.last_mut() {
                cell.push(text);
            }
            return;
        }
        if self.stack.iter().any(|t| t == "li")
            && let Some((_, items)) = &mut self.list
        {
            items.push((no, text));
            return;
        }
        let kind = if let Some(level) = self.heading_level() {
            Kind::Heading(level, text)
        } else if self.stack.last().is_some_and(|t| t == "title") {
            Kind::Title(text)
        } else {
            Kind::Paragraph(text)
        };
        self.out.push(Block { line: no, kind });
    }

    fn end_list(&mut self) {
        if let Some((line, items)) = self.list.take()
            && !items.is_empty()
        {
            self.out.push(Block {
                line,
                kind: Kind::List(items),
            });
        }
    }

    fn end_row(&mut self) {
        let Some((row, all_th)) = self.row.take() else {
            return;
        };
        let Some((_, table)) = &mut self.table else {
            return;
        };
        if all_th && table.header.is_empty() && table.rows.is_empty() {
            table.header = row.cells.into_iter().map(|c| c.join(" ")).collect();
        } else if row.cells.iter().any(|c| !c.is_empty()) {
            table.rows.push(row);
        }
    }

    fn end_table(&mut self) {
        self.end_row();
        if let Some((line, table)) = self.table.take() {
            self.out.push(Block {
                line,
                kind: Kind::Table(table),
            });
        }
    }

    fn is_chrome(&self, tag: &Tag<'_>) -> bool {
        if DROP.contains(&tag.name.as_str()) {
            return true;
        }
        // `header` and `footer` are page chrome unless they belong to the article itself.
        if matches!(tag.name.as_str(), "header" | "footer")
            && !self.stack.iter().any(|t| t == "main" || t == "article")
        {
            return true;
        }
        if attr(tag.attrs, "hidden").is_some()
            || attr(tag.attrs, "aria-hidden").is_some_and(|v| v == "true")
        {
            return true;
        }
        if attr(tag.attrs, "role")
            .is_some_and(|r| CHROME_ROLES.contains(&r.to_ascii_lowercase().as_str()))
        {
            return true;
        }
        let marks = format!(
            "{} {}",
            attr(tag.attrs, "class").unwrap_or_default(),
            attr(tag.attrs, "id").unwrap_or_default()
        )
        .to_ascii_lowercase();
        marks.split_whitespace().any(|w| {
            CHROME_MARKS.iter().any(|m| w.contains(m))
                || w == "toc"
                || w.starts_with("toc-")
                || w.ends_with("-toc")
        })
    }

    fn tag(&mut self, tag: &Tag<'_>, line: usize) {
        let name = tag.name.as_str();
        if tag.closing {
            let Some(pos) = self.stack.iter().rposition(|t| t == name) else {
                return;
            };
            if self.skip_at.is_some_and(|at| pos <= at) {
                self.skip_at = None;
                self.stack.truncate(pos);
                return;
            }
            if self.skipping() {
                self.stack.truncate(pos);
                return;
            }
            // Closing an element also closes what was left open inside it.
            while self.stack.len() > pos {
                if let Some(open) = self.stack.pop() {
                    self.close(&open, line);
                }
            }
            return;
        }
        if self.skipping() {
            if tag.has_end() {
                self.stack.push(name.to_string());
            }
            return;
        }
        if self.is_chrome(tag) {
            if tag.has_end() {
                self.skip_at = Some(self.stack.len());
                self.stack.push(name.to_string());
            }
            return;
        }
        // Implied ends: a new row, cell, item or paragraph closes the open one.
        let implied: &[&str] = match name {
            "tr" => &["tr", "td", "th"],
            "td" | "th" => &["td", "th"],
            "li" => &["li"],
            "p" => &["p"],
            _ => &[],
        };
        while self
            .stack
            .last()
            .is_some_and(|top| implied.contains(&top.as_str()))
        {
            if let Some(open) = self.stack.pop() {
                self.close(&open, line);
            }
        }
        self.open(name, line);
        if tag.has_end() {
            self.stack.push(name.to_string());
        }
    }

    fn open(&mut self, name: &str, line: usize) {
        match name {
            "br" | "hr" => self.flush(line),
            "table" => {
                self.flush(line);
                self.end_list();
                self.end_table();
                self.table = Some((line, Table::default()));
            }
            "tr" => {
                self.flush(line);
                self.end_row();
                if self.table.is_none() {
                    self.table = Some((line, Table::default()));
                }
                self.row = Some((
                    Row {
                        line,
                        cells: Vec::new(),
                    },
                    true,
                ));
            }
            "td" | "th" => {
                self.flush(line);
                if self.row.is_none() {
                    self.open("tr", line);
                }
                if let Some((row, all_th)) = &mut self.row {
                    row.cells.push(Vec::new());
                    *all_th &= name == "th";
                }
            }
            "ul" | "ol" => {
                self.flush(line);
                if !self.stack.iter().any(|t| t == "li") {
                    self.end_list();
                    self.list = Some((line, Vec::new()));
                }
            }
            "li" => {
                self.flush(line);
                if self.list.is_none() {
                    self.list = Some((line, Vec::new()));
                }
            }
            "pre" => {
                self.flush(line);
                self.pre = Some((line, Vec::new()));
            }
            _ if BLOCK.contains(&name) => self.flush(line),
            _ => {}
        }
    }

    fn close(&mut self, name: &str, line: usize) {
        match name {
            "pre" => {
                if let Some((start, code)) = self.pre.take() {
                    self.out.push(Block {
                        line: start,
                        kind: Kind::Code(code),
                    });
                }
            }
            "tr" => {
                self.flush(line);
                self.end_row();
            }
            "table" => {
                self.flush(line);
                self.end_table();
            }
            "ul" | "ol" => {
                self.flush(line);
                if !self.stack.iter().any(|t| t == "li") {
                    self.end_list();
                }
            }
            // The element is already off the stack: place its text as what it was.
            "li" | "td" | "th" | "title" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.stack.push(name.to_string());
                self.flush(line);
                self.stack.pop();
            }
            _ if BLOCK.contains(&name) => self.flush(line),
            _ => {}
        }
    }
}

/// Moves `rest` on by `n` bytes, counting the newlines skipped into `line`.
fn advance(rest: &mut &str, line: &mut usize, n: usize) {
    let r = *rest;
    *line += r[..n].matches('\n').count();
    *rest = &r[n..];
}

/// Parses the tag at the start of `s` (which begins with `<`): the tag and its length in bytes.
fn parse_tag(s: &str) -> Option<(Tag<'_>, usize)> {
    let after = &s[1..];
    let (closing, body) = match after.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, after),
    };
    let name_len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let raw_name = &body[..name_len];
    // Real markup spells tags in one case; `<Dataset>` in `Edge<Dataset>` is text.
    if raw_name != raw_name.to_ascii_lowercase() && raw_name != raw_name.to_ascii_uppercase() {
        return None;
    }
    let attrs_start = name_len;
    let bytes = body.as_bytes();
    let mut quote: Option<u8> = None;
    let mut end = None;
    for (k, &b) in bytes.iter().enumerate().skip(attrs_start) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => {
                end = Some(k);
                break;
            }
            None if b == b'<' => return None,
            None => {}
        }
    }
    let end = end?;
    let attrs = &body[attrs_start..end];
    let self_closing = attrs.trim_end().ends_with('/');
    let len = 1 + usize::from(closing) + end + 1;
    Some((
        Tag {
            name: raw_name.to_ascii_lowercase(),
            closing,
            self_closing,
            attrs,
        },
        len,
    ))
}

/// The value of attribute `name` (empty for a bare attribute), if present.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && bytes[i] != b'='
            && bytes[i] != b'/'
        {
            i += 1;
        }
        let key = &attrs[start..i];
        let mut value = String::new();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                i += 1;
                let vs = i;
                while i < bytes.len() && bytes[i] != q {
                    i += 1;
                }
                value = attrs[vs..i].to_string();
                i += 1;
            } else {
                let vs = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = attrs[vs..i].to_string();
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(decode_entities(&value));
        }
        if key.is_empty() && i == start {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_chrome_and_keeps_structure() {
        let html = r#"<html><head><title>T</title><script>var a = "<p>x</p>";</script></head><body>
<nav><a href="/">Home</a></nav><div class="cookie-banner">Accept cookies</div>
<main><h1>Page</h1><p>Some &lt;b&gt; text</p>
<table><tr><th>Field</th><th>Description</th></tr>
<tr><td><code>a_b</code><br>list<string></td><td><p>Desc</p><div>Required</div></td></tr></table>
<ul><li>one</li><li>two</ul>
<pre>curl -X GET
  x</pre></main><footer>Footer</footer></body></html>"#;
        let kinds: Vec<Kind> = blocks(html).into_iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Title("T".into()),
                Kind::Heading(1, "Page".into()),
                Kind::Paragraph("Some <b> text".into()),
                Kind::Table(Table {
                    header: vec!["Field".into(), "Description".into()],
                    rows: vec![Row {
                        line: 5,
                        cells: vec![
                            vec!["a_b".into(), "list<string>".into()],
                            vec!["Desc".into(), "Required".into()]
                        ]
                    }]
                }),
                Kind::List(vec![(6, "one".into()), (6, "two".into())]),
                Kind::Code(vec![(7, "curl -X GET".into()), (8, "  x".into())]),
            ]
        );
    }

    #[test]
    fn line_numbers_follow_the_source() {
        let b = blocks("<p>a</p>\n\n<p>\nb</p>");
        assert_eq!(b[1].line, 4);
    }

    #[test]
    fn malformed_markup_does_not_panic() {
        for s in [
            "<",
            "<a",
            "<a href='x",
            "</p></div>",
            "<!--",
            "<p>é<",
            "<td>x<th>y</tr>",
            "&#xD800;",
            "<br/><br>",
            "<li><ul><li>x</ul>",
        ] {
            let _ = blocks(s);
        }
    }
}
