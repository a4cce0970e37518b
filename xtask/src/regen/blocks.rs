//! The document blocks every page reader produces ([`super::text`], [`super::markdown`],
//! [`super::html`]) and the page parser reads: headings, paragraphs, lists, tables and code,
//! each with the 1-based source line it starts on. A leaf module: it imports no reader.

/// One block of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 1-based line in the source file where the block starts.
    pub line: usize,
    /// What the block is.
    pub kind: Kind,
}

/// Texts with their 1-based source lines.
pub type Lines = Vec<(usize, String)>;

/// The kinds of block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The document's own title (Markdown front matter `title:`, HTML `<title>`): metadata that
    /// may carry the Graph API version, never a section.
    Title(String),
    /// A heading and its level (1–6).
    Heading(u8, String),
    /// A paragraph, white space collapsed.
    Paragraph(String),
    /// A list: its items, each with its line.
    List(Lines),
    /// A table with its real structure.
    Table(Table),
    /// Code, one entry per source line.
    Code(Lines),
}

/// A table: header cells and body rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The header row's cells (empty when the table has none).
    pub header: Vec<String>,
    /// The body rows.
    pub rows: Vec<Row>,
}

/// One table row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// 1-based line where the row starts.
    pub line: usize,
    /// Each cell's lines (a cell breaks lines at `<br>`); empty lines are dropped.
    pub cells: Vec<Vec<String>>,
}

impl Block {
    /// A heading's or paragraph's text.
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Heading(_, t) | Kind::Paragraph(t) => Some(t),
            _ => None,
        }
    }
}

/// Collapses every run of white space (no-break and zero-width spaces included) into one space
/// and trims.
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
        let decoded = end.and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
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

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        return u32::from_str_radix(num, 16).ok().and_then(char::from_u32);
    }
    if let Some(num) = name.strip_prefix('#') {
        return num.parse::<u32>().ok().and_then(char::from_u32);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "bull" => '•',
        "copy" => '©',
        "middot" => '·',
        _ => return None,
    })
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
