//! Pages in any format become the same list of [`Line`]s, each remembering where it came from,
//! so one parser serves text, Markdown and HTML and every problem names the source line.

use std::path::Path;

/// One line of page text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line in the source file.
    pub no: usize,
    /// The text, white space collapsed and trimmed; empty for a blank line.
    pub text: String,
    /// Whether the source marked it as code (a Markdown fence, an HTML `<pre>`); plain text
    /// cannot say, so there code is recognized by the section it is in.
    pub code: bool,
}

/// The page formats regen reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text as a browser renders the page (the seeds).
    Text,
    /// Markdown.
    Markdown,
    /// HTML.
    Html,
}

impl Format {
    /// The format a file's extension names, if regen reads it.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// Turns a page's source into lines.
    pub fn lines(self, src: &str) -> Vec<Line> {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        match self {
            Format::Text => src
                .lines()
                .enumerate()
                .map(|(i, l)| Line {
                    no: i + 1,
                    text: normalize(l),
                    code: false,
                })
                .collect(),
            Format::Markdown => super::markdown::to_lines(src),
            Format::Html => super::html::to_lines(src),
        }
    }
}

/// Collapses every run of white space (no-break spaces included) into one space and trims.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Collects output lines for the Markdown and HTML converters.
#[derive(Debug, Default)]
pub struct LineSink {
    lines: Vec<Line>,
    cur: String,
    cur_no: usize,
    cur_code: bool,
}

impl LineSink {
    /// Appends text to the current line; `no` is the source line the text starts on.
    pub fn text(&mut self, s: &str, no: usize) {
        if self.cur.trim().is_empty() {
            self.cur_no = no;
        }
        self.cur.push_str(s);
    }

    /// Appends code text to the current line (an HTML `<pre>`).
    pub fn code_text(&mut self, s: &str, no: usize) {
        self.text(s, no);
        self.cur_code = true;
    }

    /// Ends the current line (nothing happens when it is empty).
    pub fn newline(&mut self) {
        let text = normalize(&self.cur);
        if !text.is_empty() {
            self.lines.push(Line {
                no: self.cur_no.max(1),
                text,
                code: self.cur_code,
            });
        }
        self.cur.clear();
        self.cur_code = false;
    }

    /// Ends the current line and separates what follows by one blank line.
    pub fn blank(&mut self, no: usize) {
        self.newline();
        if self.lines.last().is_some_and(|l| !l.text.is_empty()) {
            self.lines.push(Line {
                no: no.max(1),
                text: String::new(),
                code: false,
            });
        }
    }

    /// Adds one line of code.
    pub fn code(&mut self, s: &str, no: usize) {
        self.newline();
        let text = normalize(s);
        if !text.is_empty() {
            self.lines.push(Line {
                no: no.max(1),
                text,
                code: true,
            });
        }
    }

    /// The lines collected.
    pub fn finish(mut self) -> Vec<Line> {
        self.newline();
        self.lines
    }
}

/// Decodes HTML character references; unknown ones stay as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    "hellip" => Some('…'),
                    "mdash" => Some('—'),
                    "ndash" => Some('–'),
                    "lsquo" => Some('‘'),
                    "rsquo" => Some('’'),
                    "ldquo" => Some('“'),
                    "rdquo" => Some('”'),
                    "bull" => Some('•'),
                    "copy" => Some('©'),
                    _ => None,
                }
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_decodes() {
        assert_eq!(normalize("  a \u{a0} b\t"), "a b");
        assert_eq!(
            decode_entities("list&lt;string&gt; &amp;x &#39;q&#x27; &bogus; &"),
            "list<string> &x 'q' &bogus; &"
        );
    }
}
