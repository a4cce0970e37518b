//! Which reader a page file needs, and the one call that turns a page's source into
//! [`Block`]s. The readers know nothing of each other; this module picks one.

use std::path::Path;

use super::blocks::Block;
use super::text::Cue;
use super::{html, markdown, text};

/// The page formats regen reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text as a browser renders the page (the seeds).
    Text,
    /// Markdown, with or without front matter, and MDX.
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
            "md" | "markdown" | "mdx" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// Reads a page's source; `cue` and `is_type` serve the plain-text reader's table inference.
    ///
    /// A `.txt` page saved by an HTML-to-text converter is Markdown (fenced code, `---`/`===`
    /// underlined or `#` headings): it is read as Markdown, so its real tables are kept. Tables a
    /// page flattened into one paragraph per cell are plain text: [`text::infer_tables`].
    pub fn blocks(
        self,
        src: &str,
        cue: &dyn Fn(&str) -> Cue,
        is_type: &dyn Fn(&str) -> bool,
    ) -> Vec<Block> {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        match self {
            Format::Text if is_markdown(src) => {
                text::infer_tables(markdown::blocks(src), cue, is_type)
            }
            Format::Text => text::blocks(src, cue, is_type),
            Format::Markdown => text::infer_tables(markdown::blocks(src), cue, is_type),
            Format::Html => text::infer_tables(html::blocks(src), cue, is_type),
        }
    }
}

/// Whether a text page carries Markdown structure: a code fence, or a heading underline
/// (`===`/`---`) or `### ` heading at the start of a line.
fn is_markdown(src: &str) -> bool {
    src.lines().any(|l| {
        let t = l.trim_end();
        t.starts_with("```")
            || t.starts_with("## ")
            || t.starts_with("### ")
            || (t.len() >= 3 && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-')))
    })
}
