//! HTML → page lines: a small tolerant converter (no DOM, no dependency).
//!
//! It keeps the text a browser shows, in the line structure of the text rendering: blocks are
//! separated by blank lines, table cells are blocks of their own (a header row is one line),
//! `<pre>` is code. Page chrome — `<nav>`, `<aside>`, page-level `<header>`/`<footer>`,
//! scripts, forms, and anything whose class, id or role marks it as navigation, a table of
//! contents or a cookie banner — is dropped with its content. Malformed markup never fails:
//! an unknown tag such as the `<string>` of an unescaped `list<string>` stays text.

use super::text::{Line, LineSink, decode_entities};

/// Converts an HTML page.
pub fn to_lines(src: &str) -> Vec<Line> {
    let mut c = Converter::default();
    c.run(src);
    c.out.finish()
}

#[derive(Default)]
struct Converter {
    out: LineSink,
    /// Open elements (lower-case names).
    stack: Vec<String>,
    /// Stack depth at which a dropped element opened.
    skip_at: Option<usize>,
    /// Text of the `<th>` cells of the current row, joined into one header line at row end.
    header_cells: Vec<String>,
    header_no: usize,
    /// Text captured while inside a `<th>`.
    capture: Option<String>,
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

    fn in_pre(&self) -> bool {
        self.stack.iter().any(|t| t == "pre")
    }

    fn in_cell(&self) -> bool {
        self.stack.iter().any(|t| t == "td" || t == "th")
    }

    fn text(&mut self, raw: &str, line: usize) {
        if self.skipping() {
            return;
        }
        let decoded = decode_entities(raw);
        if let Some(buf) = &mut self.capture {
            buf.push_str(&decoded);
            return;
        }
        if self.in_pre() {
            for (k, piece) in decoded.split('\n').enumerate() {
                if k > 0 {
                    self.out.newline();
                }
                self.out.code_text(piece, line + k);
            }
            return;
        }
        // Text starts on the line of its first visible character.
        let lead = decoded.len() - decoded.trim_start().len();
        let no = line + decoded[..lead].matches('\n').count();
        self.out.text(&decoded.replace('\n', " "), no);
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

    /// The break a block element makes: a new line inside a table cell, a blank line elsewhere.
    fn block_break(&mut self, line: usize) {
        if self.in_cell() {
            self.out.newline();
        } else {
            self.out.blank(line);
        }
    }

    fn open(&mut self, name: &str, line: usize) {
        match name {
            "br" => {
                if let Some(buf) = &mut self.capture {
                    buf.push(' ');
                } else {
                    self.out.newline();
                }
            }
            "hr" => self.out.blank(line),
            "th" => {
                self.header_no = line;
                self.capture = Some(String::new());
            }
            "td" | "tr" | "table" => self.out.blank(line),
            "li" => {
                self.out.newline();
                self.out.text("• ", line);
            }
            "p" => self.out.blank(line),
            _ if BLOCK.contains(&name) => self.block_break(line),
            _ => {}
        }
    }

    fn close(&mut self, name: &str, line: usize) {
        match name {
            "th" => {
                if let Some(buf) = self.capture.take() {
                    self.header_cells.push(super::text::normalize(&buf));
                }
            }
            "tr" | "table" | "thead" => {
                if !self.header_cells.is_empty() {
                    self.out.blank(self.header_no);
                    let cells = std::mem::take(&mut self.header_cells);
                    self.out.text(&cells.join(" "), self.header_no);
                }
                self.out.blank(line);
            }
            "td" | "p" => self.out.blank(line),
            "li" => self.out.newline(),
            _ if BLOCK.contains(&name) => self.block_break(line),
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

    fn texts(src: &str) -> Vec<String> {
        to_lines(src)
            .into_iter()
            .filter(|l| !l.text.is_empty())
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn drops_chrome_and_keeps_content() {
        let html = r#"<html><head><title>T</title><script>var a = "<p>x</p>";</script></head><body>
<nav><a href="/">Home</a></nav><div class="cookie-banner">Accept cookies</div>
<main><h1>Page</h1><p>Some &lt;b&gt; text</p>
<table><tr><th>Field</th><th>Description</th></tr>
<tr><td><code>a_b</code><br>list<string></td><td><p>Desc</p><div>Required</div></td></tr></table>
<pre>curl -X GET
  x</pre></main><footer>Footer</footer></body></html>"#;
        assert_eq!(
            texts(html),
            [
                "T",
                "Page",
                "Some <b> text",
                "Field Description",
                "a_b",
                "list<string>",
                "Desc",
                "Required",
                "curl -X GET",
                "x"
            ]
        );
    }

    #[test]
    fn line_numbers_follow_the_source() {
        let lines = to_lines("<p>a</p>\n\n<p>\nb</p>");
        let b = lines.iter().find(|l| l.text == "b").map(|l| l.no);
        assert_eq!(b, Some(4));
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
        ] {
            let _ = to_lines(s);
        }
    }
}
