//! Reading one page, as [`Block`]s, into the [`PageDoc`] of the node or edge it describes.
//!
//! Blocks keep what the source marked up (headings, tables, lists, code); what a block *means*
//! comes from the localized phrases of [`super::locale`]: section words, table headers and Meta's
//! fixed sentences, matched on headings and paragraphs alike (plain-text and OpenAPI-rendered
//! pages print section words as paragraphs). A page rendered from Meta's OpenAPI document is
//! read by [`super::rendered`]. Anything the parser does not understand is reported with its
//! line; nothing is dropped silently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use waba_codegen::names::{singular, snake, upper_camel};
use waba_codegen::spec::raw::{
    OpKind, PageDoc, RawEdge, RawField, RawOperation, RawParam, Requirements,
};

use super::blocks::{Block, Kind, Row};
use super::diag::Problems;
use super::format::Format;
use super::locale::{self, LOCALES, Match, Phrase, Pointer, Section, Table};
use super::nest;
use super::text::Cue;
use super::types::{self, InlineEnum, is_name};

/// What one page states, and where.
#[derive(Debug, Clone)]
pub struct ParsedPage {
    /// The page file (for diagnostics).
    pub file: PathBuf,
    /// The file's name (recorded in the document's `sources`).
    pub name: String,
    /// The locale whose phrases the page uses.
    pub locale: &'static str,
    /// The Graph API version the page states, and its line.
    pub version: Option<(String, usize)>,
    /// The facts, as a document of its own.
    pub doc: PageDoc,
    /// Line of each fact, keyed as in [`fact_key`] (for conflict reports).
    pub lines: HashMap<String, usize>,
    /// JSON pointer of each fact of a structured document (an OpenAPI file), keyed likewise;
    /// wins over `lines`.
    pub pointers: HashMap<String, String>,
    /// Line of localized prose about where to find the node's ID (the overlay carries it).
    pub id_note: Option<usize>,
    /// Attributes nested inside others as the page prints them (`backup` → `password`), and a
    /// response schema's attributes. Where no OpenAPI document types the object, a parameter's
    /// nested attributes become struct documents ([`super::objects`]); else they are compared
    /// with the document's and reported.
    pub nested: Vec<Nested>,
}

impl ParsedPage {
    /// Whether this was read from a structured document (Meta's OpenAPI file) rather than a page.
    pub fn is_document(&self) -> bool {
        !self.pointers.is_empty()
    }
}

/// A parameter nested inside another, or a response attribute.
#[derive(Debug, Clone)]
pub struct Nested {
    /// `param` or `response`.
    pub what: &'static str,
    /// The operation (`POST /{x_id}/register`).
    pub op: String,
    /// Dotted path from the top level (`backup.password`).
    pub path: String,
    /// The parameter itself.
    pub param: RawParam,
    /// Its line.
    pub line: usize,
    /// Its JSON pointer, in a structured document.
    pub pointer: Option<String>,
}

/// Keys facts for [`ParsedPage::lines`]: `("param", "POST /{x}/y tasks")` → `param POST /{x}/y tasks`.
pub fn fact_key(kind: &str, what: &str) -> String {
    format!("{kind} {what}")
}

/// Reads the text `src` of the page at `file` in the format its name says: one document per
/// endpoint the page documents (a classic page documents one). Empty when the name is not a
/// page's or the page cannot be placed; the reasons are in `problems`.
pub fn read(file: &Path, src: &str, problems: &mut Problems) -> Vec<ParsedPage> {
    let Some(format) = Format::of(file) else {
        return Vec::new();
    };
    let blocks = format.blocks(src, &cue, &types::looks_like_type);
    parse(file, &blocks, problems)
}

/// The localized phrase `text` is, if any (for [`super::rendered`]).
pub(super) fn phrase(text: &str) -> Option<(Phrase, Vec<(String, String)>)> {
    match classify_text(text, false) {
        Class::Phrase(p, caps) => Some((p, caps)),
        _ => None,
    }
}

/// What the plain-text reader needs to know of a line to infer tables.
fn cue(line: &str) -> Cue {
    match classify_text(line, true) {
        Class::Phrase(Phrase::Header(Table::Error), _) => Cue::Header { codes: true },
        Class::Phrase(Phrase::Header(_), _) => Cue::Header { codes: false },
        Class::Phrase(Phrase::Required, _) => Cue::Required,
        // A "default" marker is cell text (the parser drops it).
        Class::Phrase(Phrase::Default, _) => Cue::Plain,
        Class::Label => Cue::Label,
        Class::Phrase(..) => Cue::Boundary,
        _ => Cue::Plain,
    }
}

/// Reads one page's blocks (see [`read`]).
pub fn parse(file: &Path, blocks: &[Block], problems: &mut Problems) -> Vec<ParsedPage> {
    if super::rendered::is_rendered(blocks) {
        return super::rendered::parse(file, blocks, problems);
    }
    let p = Parser {
        file,
        blocks,
        chrome: chrome_mask(blocks),
        structural: Vec::new(),
        i: 0,
        problems,
        doc: PageDoc::default(),
        facts: HashMap::new(),
        ops: Vec::new(),
        version: None,
        id_note: None,
        nested: Vec::new(),
    };
    p.run().into_iter().collect()
}

#[derive(Debug, Clone)]
enum Class<'b> {
    /// The document title (metadata).
    Title,
    Code(&'b [(usize, String)]),
    List(&'b [(usize, String)]),
    /// A table, and which kind its header names (`None`: not one regen knows).
    Table(Option<Table>, &'b [Row]),
    Text,
    Phrase(Phrase, Vec<(String, String)>),
    /// `data`, `paging`, `summary`: the parts of an edge read's result.
    Label,
}

fn classify(block: &Block, edge_result: bool) -> Class<'_> {
    match &block.kind {
        Kind::Title(_) => Class::Title,
        Kind::Code(c) => Class::Code(c),
        Kind::List(items) => Class::List(items),
        Kind::Table(t) => {
            let header = t.header.join(" ");
            let kind = match classify_text(&header, false) {
                Class::Phrase(Phrase::Header(k), _) => Some(k),
                _ => None,
            };
            Class::Table(kind, &t.rows)
        }
        Kind::Heading(_, t) | Kind::Paragraph(t) => classify_text(t, edge_result),
    }
}

fn classify_text(text: &str, edge_result: bool) -> Class<'static> {
    if edge_result && matches!(text, "data" | "paging" | "summary") {
        return Class::Label;
    }
    for l in LOCALES {
        for &(phrase, pattern) in l.phrases {
            if let Some(caps) = matches(phrase, pattern, text) {
                return Class::Phrase(phrase, caps);
            }
        }
    }
    Class::Text
}

/// Trailing sentence punctuation, which renderings keep or drop.
fn trim_sentence(s: &str) -> &str {
    s.trim_end_matches(['.', '。', ':', ':', ' '])
}

fn matches(phrase: Phrase, pattern: &str, line: &str) -> Option<Vec<(String, String)>> {
    let hit = match phrase.matching(pattern) {
        Match::Exact => trim_sentence(line) == trim_sentence(pattern),
        Match::Compact => {
            let mut a = line.chars().filter(|c| !c.is_whitespace());
            let mut b = pattern.chars().filter(|c| !c.is_whitespace());
            loop {
                match (a.next(), b.next()) {
                    (None, None) => break true,
                    (x, y) if x == y => {}
                    _ => break false,
                }
            }
        }
        Match::Prefix => line.starts_with(pattern),
        Match::Contains => line.contains(pattern),
        Match::Template => {
            let mut caps = Vec::new();
            let pieces = pieces(trim_sentence(pattern));
            return (template(&pieces, trim_sentence(line), &mut caps)
                && caps.iter().all(|(k, v)| capture_ok(k, v)))
            .then_some(caps);
        }
    };
    hit.then(Vec::new)
}

enum Piece<'a> {
    Lit(&'a str),
    Hole(&'a str),
}

fn pieces(pattern: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            out.push(Piece::Lit(&rest[..open]));
        }
        out.push(Piece::Hole(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Lit(rest));
    }
    out
}

fn template(pieces: &[Piece<'_>], s: &str, caps: &mut Vec<(String, String)>) -> bool {
    match pieces.split_first() {
        None => s.is_empty(),
        Some((Piece::Lit(l), rest)) => s.strip_prefix(l).is_some_and(|r| template(rest, r, caps)),
        Some((Piece::Hole(name), rest)) => match rest.first() {
            None => {
                let v = s.trim();
                if v.is_empty() {
                    return false;
                }
                caps.push((name.to_string(), v.to_string()));
                true
            }
            Some(Piece::Lit(next)) => {
                for (at, _) in s.match_indices(next) {
                    if at == 0 {
                        continue;
                    }
                    caps.push((name.to_string(), s[..at].trim().to_string()));
                    if template(rest, &s[at..], caps) {
                        return true;
                    }
                    caps.pop();
                }
                false
            }
            Some(Piece::Hole(_)) => false,
        },
    }
}

fn capture_ok(name: &str, v: &str) -> bool {
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match name {
        "path" => v.starts_with('/') && !v.contains(' '),
        "method" => matches!(v, "GET" | "POST" | "DELETE"),
        "node" | "other" | "edge" => ident(v),
        _ => !v.is_empty(),
    }
}

fn cap<'c>(caps: &'c [(String, String)], name: &str) -> Option<&'c str> {
    caps.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| matches!(c as u32, 0x3000..=0x30FF | 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF))
}

/// An operation section while it is read.
#[derive(Debug)]
struct OpDraft {
    kind: OpKind,
    line: usize,
    unsupported: Option<usize>,
    description: Option<(String, usize)>,
    pointer: Option<(String, String)>,
    post_paths: Vec<String>,
    sample_path: Option<(String, usize)>,
    sample_method: Option<String>,
    /// The version in a sample's URL (`graph.facebook.com/v19.0/…`, `GET /v26.0/…`).
    sample_version: Option<(String, usize)>,
    requirements: Requirements,
    params: Vec<(RawParam, usize)>,
    /// Parameters nested in others (a flattened table re-nested): dotted path, parameter, line.
    nested: Vec<(String, RawParam, usize)>,
    returns: Option<String>,
    return_text: Vec<(String, usize)>,
    creates: Option<String>,
    added_fields: Vec<(RawField, usize)>,
    summary_fields: Vec<(RawField, usize)>,
    read_after_write: bool,
    errors: Vec<i64>,
    documented: bool,
}

impl OpDraft {
    /// A `kind` section whose heading is on line `line`, before any of its content is read.
    fn new(kind: OpKind, line: usize) -> Self {
        OpDraft {
            kind,
            line,
            unsupported: None,
            description: None,
            pointer: None,
            post_paths: Vec::new(),
            sample_path: None,
            sample_method: None,
            sample_version: None,
            requirements: Requirements::default(),
            params: Vec::new(),
            nested: Vec::new(),
            returns: None,
            return_text: Vec::new(),
            creates: None,
            added_fields: Vec::new(),
            summary_fields: Vec::new(),
            read_after_write: false,
            errors: Vec::new(),
            documented: false,
        }
    }
}

impl OpDraft {
    /// A line of a request sample: the first path and method shown are the operation's.
    fn sample(&mut self, text: &str, no: usize) {
        // Converters escape `_` even inside code (`message\_template\_previews`).
        let text = &text.replace("\\_", "_");
        // Samples may call several versions (`v15.0` and `v19.0`): the newest is the page's.
        if let Some(v) = sample_version(text)
            && self
                .sample_version
                .as_ref()
                .is_none_or(|(old, _)| version_number(&v) > version_number(old))
        {
            self.sample_version = Some((v, no));
        }
        if self.sample_path.is_none() {
            self.sample_path = sample_path(text).map(|p| (p, no));
        }
        if self.sample_method.is_none() {
            self.sample_method = sample_method(text);
        }
    }
}

/// Where the rows of a field table go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldTarget {
    Node,
    Added,
    Summary,
}

/// A name / type / description table row as the parser reads it.
struct Item {
    name: String,
    ty: Option<String>,
    description: Vec<String>,
    required: bool,
    no: usize,
}

struct Parser<'a> {
    file: &'a Path,
    blocks: &'a [Block],
    /// Blocks inside a chrome section (see [`chrome_mask`]).
    chrome: Vec<bool>,
    /// Headings no locale knows that head an operation by their structure (see
    /// [`structural_ops`]), and the operation's kind if their section shows one.
    structural: Vec<(usize, Option<OpKind>)>,
    i: usize,
    problems: &'a mut Problems,
    doc: PageDoc,
    facts: HashMap<String, usize>,
    ops: Vec<OpDraft>,
    version: Option<(String, usize)>,
    id_note: Option<usize>,
    nested: Vec<Nested>,
}

impl<'a> Parser<'a> {
    fn warn(&mut self, no: usize, msg: impl Into<String>) {
        self.problems.warn(self.file, no, msg);
    }

    fn fact(&mut self, kind: &str, what: &str, no: usize) {
        self.facts.entry(fact_key(kind, what)).or_insert(no);
    }

    fn class_at(&self, k: usize, edge_result: bool) -> Class<'a> {
        if self.chrome[k] {
            return Class::Phrase(Phrase::Chrome, Vec::new());
        }
        match self.structural.iter().find(|(at, _)| *at == k) {
            Some((_, Some(kind))) => return Class::Phrase(Phrase::Op(*kind), Vec::new()),
            // A section this page's structure cannot read: it ends the one above.
            Some((_, None)) => return Class::Phrase(Phrase::Section(Section::Unread), Vec::new()),
            None => {}
        }
        classify(&self.blocks[k], edge_result)
    }

    fn no(&self, k: usize) -> usize {
        self.blocks[k].line
    }

    fn run(mut self) -> Option<ParsedPage> {
        let n = self.blocks.len();
        let mut first_op = (0..n)
            .find(|&k| matches!(self.class_at(k, false), Class::Phrase(Phrase::Op(_), _)))
            .unwrap_or(n);
        if first_op == n {
            // No operation heading in any known locale: read the page by its structure.
            self.structural = structural_ops(self.blocks);
            for (k, kind) in self.structural.clone() {
                let word = self.blocks[k].text().unwrap_or_default().to_string();
                let how = match kind {
                    Some(kind) => format!(
                        "read as a {} operation by its request sample",
                        kind.as_str()
                    ),
                    None => "it shows no request: its section is not read".to_string(),
                };
                self.warn(
                    self.no(k),
                    format!("`{word}` is no section word of a known locale; {how}"),
                );
            }
            first_op = self.structural.first().map_or(n, |(k, _)| *k);
        }
        // The last selector before the first operation: chrome above may mention it too.
        let selector = (0..first_op).rev().find(|&k| {
            matches!(
                self.class_at(k, false),
                Class::Phrase(Phrase::VersionSelector, _)
            )
        });
        // Everything above the version selector is site chrome; a version and title glued to
        // the selector (`Graph API Versionv19.0Whats App …`) are read from it.
        let mut title: Option<(String, usize)> = None;
        if let Some(s) = selector {
            let text = self.blocks[s].text().unwrap_or_default();
            let rest = strip_selector(text);
            let (version, rest) = split_version(rest);
            if let Some(v) = version {
                self.version = Some((v, self.no(s)));
            }
            if !rest.is_empty() {
                title = Some((rest.to_string(), self.no(s)));
            }
        }
        let start = selector.map_or(0, |s| s + 1);
        let texts: Vec<usize> = (start..first_op)
            .filter(|&k| matches!(self.class_at(k, false), Class::Text))
            .collect();
        // A marked-up page names itself in its top heading; a plain one in its first line.
        let heading = texts
            .iter()
            .filter_map(|&k| match &self.blocks[k].kind {
                Kind::Heading(level, _) => Some((*level, k)),
                _ => None,
            })
            .min_by_key(|&(level, k)| (level, k))
            .map(|(_, k)| k);
        let title_at = heading.or_else(|| texts.first().copied());
        if title.is_none() {
            title = title_at.map(|k| {
                (
                    self.blocks[k].text().unwrap_or_default().to_string(),
                    self.no(k),
                )
            });
        }
        let Some((title, title_no)) = title else {
            let no = self.blocks.get(start).map_or(1, |b| b.line);
            self.problems.error(
                self.file,
                no,
                "cannot place page: no title line (expected the node or edge name before the first operation heading)",
            );
            return None;
        };
        let title = strip_title_chrome(&title);
        for k in 0..title_at.map_or(start, |t| t + 1).max(start) {
            let text = match &self.blocks[k].kind {
                Kind::Title(t) | Kind::Heading(_, t) | Kind::Paragraph(t) => t,
                _ => continue,
            };
            if let Some(v) = version_in(text) {
                self.version.get_or_insert((v, self.blocks[k].line));
            }
        }
        self.doc.title = Some(title.clone());
        self.fact("title", "", title_no);
        self.i = title_at.map_or(start, |k| k + 1).max(start);
        self.intro();
        while self.i < n {
            match self.class_at(self.i, false) {
                Class::Phrase(Phrase::Op(kind), _) => self.op(kind),
                Class::Phrase(Phrase::Section(Section::SupportedValues), _) => {
                    self.supported_values()
                }
                _ => self.stray(),
            }
        }
        if self.version.is_none() {
            // No title states it: the newest version the request samples call.
            self.version = self
                .ops
                .iter()
                .filter_map(|o| o.sample_version.clone())
                .max_by_key(|(v, _)| version_number(v));
        }
        let locale = locale_of(self.blocks);
        let (node, edge) = self.place(&title, title_no)?;
        self.doc.node = node.clone();
        self.doc.edge = edge.clone();
        self.finish_ops(&node, edge.as_deref());
        Some(ParsedPage {
            name: self
                .file
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            file: self.file.to_path_buf(),
            locale,
            version: self.version,
            doc: self.doc,
            lines: self.facts,
            pointers: HashMap::new(),
            id_note: self.id_note,
            nested: self.nested,
        })
    }

    /// Blocks that belong to no section: chrome is skipped, anything else reported.
    fn stray(&mut self) {
        let k = self.i;
        self.i += 1;
        match self.class_at(k, false) {
            // Chrome, and unread sections' headings (reported where they were found).
            Class::Title | Class::Phrase(Phrase::Chrome | Phrase::Section(Section::Unread), _) => {}
            _ => self.not_understood(k, "outside any section"),
        }
    }

    fn not_understood(&mut self, k: usize, place: &str) {
        let text = match &self.blocks[k].kind {
            Kind::Title(t) | Kind::Heading(_, t) | Kind::Paragraph(t) => t.clone(),
            Kind::List(items) => items.first().map(|i| i.1.clone()).unwrap_or_default(),
            Kind::Table(t) if t.header.is_empty() => t
                .rows
                .first()
                .map(|r| {
                    r.cells
                        .iter()
                        .map(|c| c.join(" "))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .unwrap_or_default(),
            Kind::Table(t) => t.header.join(" | "),
            Kind::Code(c) => c.first().map(|c| c.1.clone()).unwrap_or_default(),
        };
        let no = self.no(k);
        self.warn(no, format!("block {place} ignored: `{}`", clip(&text)));
    }

    /// Between the title and the first operation: description, rate limits, pointers.
    fn intro(&mut self) {
        while self.i < self.blocks.len() {
            let k = self.i;
            let no = self.no(k);
            match self.class_at(k, false) {
                Class::Phrase(
                    Phrase::Op(_) | Phrase::Section(Section::SupportedValues | Section::Unread),
                    _,
                ) => {
                    return;
                }
                Class::Title | Class::Phrase(Phrase::Chrome | Phrase::SeeAlso, _) => self.i += 1,
                Class::Phrase(Phrase::IdNote, _) => {
                    self.id_note.get_or_insert(no);
                    self.i += 1;
                }
                Class::Phrase(Phrase::RateLimits, _) => {
                    self.i += 1;
                    if let Some(Class::List(items)) =
                        (self.i < self.blocks.len()).then(|| self.class_at(self.i, false))
                    {
                        for (bno, b) in items {
                            self.fact("rate", b, *bno);
                            self.doc.rate_limits.push(b.clone());
                        }
                        self.i += 1;
                    }
                }
                Class::Text => {
                    let text = self.blocks[k].text().unwrap_or_default().to_string();
                    self.i += 1;
                    if has_cjk(&text) {
                        self.warn(
                            no,
                            format!(
                                "localized prose not kept (pages state facts in English): `{}`",
                                clip(&text)
                            ),
                        );
                    } else if self.doc.description.is_none() {
                        self.doc.description = Some(text);
                        self.fact("description", "", no);
                    } else {
                        self.not_understood(k, "in the page introduction");
                    }
                }
                _ => {
                    self.i += 1;
                    self.not_understood(k, "in the page introduction");
                }
            }
        }
    }

    /// One operation section, from its heading to the next one.
    fn op(&mut self, kind: OpKind) {
        let mut op = OpDraft::new(kind, self.no(self.i));
        self.i += 1;
        let mut section: Option<Section> = None;
        let mut edge_result = false;
        let mut target = FieldTarget::Node;
        while self.i < self.blocks.len() {
            let k = self.i;
            let no = self.no(k);
            let class = self.class_at(k, edge_result);
            if let Class::Phrase(
                Phrase::Op(_) | Phrase::Section(Section::SupportedValues | Section::Unread),
                _,
            ) = class
            {
                break;
            }
            self.i += 1;
            let text = self.blocks[k].text().unwrap_or_default().to_string();
            match class {
                Class::Title | Class::Phrase(Phrase::Chrome, _) => {}
                Class::Code(code) if section == Some(Section::ReturnType) => op
                    .return_text
                    .extend(code.iter().map(|(n, t)| (t.trim().to_string(), *n))),
                Class::Text if section == Some(Section::ReturnType) => {
                    op.return_text.push((text, no))
                }
                // Samples: under a sample heading, or anywhere when the page is read by its
                // structure (its sample headings are in no known locale either).
                Class::Code(code)
                    if matches!(section, Some(Section::CodeSample | Section::Example))
                        || !self.structural.is_empty() =>
                {
                    for (n, line) in code {
                        op.sample(line, *n);
                    }
                }
                Class::Text if section == Some(Section::CodeSample) => op.sample(&text, no),
                Class::Code(_) => {}
                Class::Phrase(Phrase::Section(s), _) => {
                    section = Some(s);
                    edge_result = false;
                    target = FieldTarget::Node;
                }
                Class::Phrase(Phrase::Unsupported, _) => op.unsupported = Some(no),
                Class::Phrase(Phrase::Pointer(pk), caps) => {
                    let (Some(method), Some(path)) = (cap(&caps, "method"), cap(&caps, "path"))
                    else {
                        continue;
                    };
                    op.pointer = Some((method.to_string(), path.to_string()));
                    op.documented = true;
                    if op.description.is_none() {
                        op.description = english_pointer(pk, &caps).map(|d| (d, no));
                    }
                }
                Class::Phrase(Phrase::PostPaths, _) => {
                    op.documented = true;
                    // The paths follow, as paragraphs or list items.
                    while self.i < self.blocks.len() {
                        let paths: Vec<String> = match &self.blocks[self.i].kind {
                            Kind::Paragraph(t) => vec![t.clone()],
                            Kind::List(items) => items.iter().map(|i| i.1.clone()).collect(),
                            _ => break,
                        };
                        if !paths.iter().all(|p| p.starts_with('/') && !p.contains(' ')) {
                            break;
                        }
                        op.post_paths.extend(paths);
                        self.i += 1;
                    }
                }
                Class::Phrase(Phrase::Creates, caps) => {
                    op.creates = cap(&caps, "node").map(str::to_string);
                    op.documented = true;
                }
                Class::Phrase(Phrase::ReadAfterWrite, _) => {
                    op.read_after_write = true;
                    // Converters glue the return type to this sentence.
                    if section == Some(Section::ReturnType) && text.contains("Struct") {
                        op.return_text.push((text, no));
                    }
                }
                Class::Phrase(Phrase::NoParams, _) => op.documented = true,
                Class::Phrase(Phrase::EdgeResult, _) => edge_result = true,
                Class::Phrase(Phrase::ListOf, caps) => {
                    if let Some(node) = cap(&caps, "node") {
                        op.returns = Some(format!("list<{node}>"));
                        op.documented = true;
                    }
                }
                Class::Phrase(Phrase::AddedFields, _) => target = FieldTarget::Added,
                Class::Phrase(Phrase::SummaryNote, _) => target = FieldTarget::Summary,
                Class::Phrase(Phrase::PagingNote, _) => {}
                Class::Label => {
                    target = if text == "summary" {
                        FieldTarget::Summary
                    } else {
                        FieldTarget::Added
                    };
                }
                Class::Table(Some(table), rows) => {
                    op.documented = true;
                    self.table(table, no, rows, section, target, edge_result, &mut op);
                }
                // A table whose header no locale knows, listing codes: an error table.
                Class::Table(None, rows)
                    if !rows.is_empty()
                        && rows.iter().all(|r| {
                            r.cells.first().and_then(|c| c.first()).is_some_and(|c| {
                                !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit())
                            })
                        }) =>
                {
                    self.warn(no, "table header is no header of a known locale; read as error codes by its first column");
                    self.table(
                        Table::Error,
                        no,
                        rows,
                        section,
                        target,
                        edge_result,
                        &mut op,
                    );
                }
                Class::Phrase(Phrase::Header(table), _) => {
                    // A header with no rows under it (plain text).
                    op.documented = true;
                    self.table(table, no, &[], section, target, edge_result, &mut op);
                }
                Class::List(items) if section == Some(Section::Requirements) => {
                    for (_, b) in items {
                        requirement(&mut op.requirements, b.clone());
                    }
                }
                Class::Text if section.is_none() && op.description.is_none() && !has_cjk(&text) => {
                    op.description = Some((text, no));
                    op.documented = true;
                }
                // The JSON shape an edge read prints above its parts, e.g. `{ "data": [], … }`.
                Class::Text if edge_result && text.starts_with('{') => {}
                _ => self.not_understood(k, &format!("in the {} section", kind.as_str())),
            }
        }
        self.ops.push(op);
    }

    /// A table whose header (on line `header_no`) names its kind.
    #[allow(clippy::too_many_arguments)]
    fn table(
        &mut self,
        table: Table,
        header_no: usize,
        rows: &[Row],
        section: Option<Section>,
        target: FieldTarget,
        edge_result: bool,
        op: &mut OpDraft,
    ) {
        if rows.is_empty() {
            self.warn(header_no, "table has a header but no rows");
        }
        match table {
            Table::Error => self.error_rows(rows, op),
            Table::Param => {
                if section != Some(Section::Parameters) {
                    self.warn(header_no, "parameter table outside a Parameters section");
                }
                self.param_rows(header_no, rows, op);
            }
            Table::Field => {
                for r in self.items(rows) {
                    let ty = r.ty.as_deref().map(|t| self.typed(t, &r.name, r.no, false));
                    if r.required {
                        self.warn(
                            r.no,
                            format!("field `{}` is marked required; fields cannot be", r.name),
                        );
                    }
                    let f = RawField {
                        name: r.name,
                        ty,
                        description: join(&r.description),
                    };
                    match target {
                        FieldTarget::Added => op.added_fields.push((f, r.no)),
                        FieldTarget::Summary => op.summary_fields.push((f, r.no)),
                        FieldTarget::Node if edge_result => {
                            self.warn(r.no, format!("field `{}` of an edge read not under `data` or `summary`; taken as added to each node", f.name));
                            op.added_fields.push((f, r.no));
                        }
                        FieldTarget::Node => {
                            self.fact("field", &f.name, r.no);
                            if self.doc.fields.iter().any(|x| x.name == f.name) {
                                self.warn(
                                    r.no,
                                    format!("field `{}` listed twice; the first is kept", f.name),
                                );
                            } else {
                                self.doc.fields.push(f);
                            }
                        }
                    }
                }
            }
            Table::Edge => {
                for r in self.items(rows) {
                    let inner = |s: &str| {
                        s.strip_prefix("Edge<")
                            .and_then(|s| s.strip_suffix('>'))
                            .map(str::to_string)
                    };
                    let (name, target) = match (inner(&r.name), r.ty.as_deref().and_then(inner)) {
                        (Some(t), _) => (None, t),
                        (None, Some(t)) => (Some(r.name.clone()), t),
                        (None, None) => {
                            self.warn(
                                r.no,
                                format!("edge `{}` has no `Edge<Type>`; skipped", r.name),
                            );
                            continue;
                        }
                    };
                    self.fact("edge", &target, r.no);
                    self.doc.edges.push(RawEdge {
                        name,
                        target,
                        description: join(&r.description),
                    });
                }
            }
        }
    }

    /// A parameter table's rows, re-nested where the page flattened nested attributes into
    /// the one table ([`nest`]): top-level rows become the operation's parameters, the others
    /// nested parameters (their inline enums named by their path: `components.buttons.type` →
    /// `ComponentButtonType`).
    fn param_rows(&mut self, header_no: usize, rows: &[Row], op: &mut OpDraft) {
        let items = self.items(rows);
        let shape: Vec<nest::Row<'_>> = items
            .iter()
            .map(|r| nest::Row {
                name: &r.name,
                object: r.ty.as_deref().is_some_and(types::is_object),
            })
            .collect();
        let nesting = nest::parents(&shape).unwrap_or_else(|| {
            self.warn(
                header_no,
                format!("parameter table lists attributes of objects, but no order says where each belongs (or it has over {} rows); read flat", nest::MAX_ROWS),
            );
            nest::Nesting::flat(items.len())
        });
        let parents = &nesting.parents;
        let paths = nesting.paths(&shape.iter().map(|r| r.name).collect::<Vec<_>>());
        let nested: Vec<&str> = (0..items.len())
            .filter(|&k| parents[k].is_some())
            .map(|k| paths[k].as_str())
            .collect();
        if !nested.is_empty() {
            self.warn(
                header_no,
                format!(
                    "parameter table prints nested attributes flat; read as {} by name order and repeated names",
                    nested.join(", ")
                ),
            );
        }
        for &k in &nesting.too_deep {
            self.warn(
                items[k].no,
                format!(
                    "`{}` would open a level deeper than {}; the rows after it are read beside it",
                    paths[k],
                    nest::MAX_DEPTH
                ),
            );
        }
        for &k in &nesting.repeated {
            self.warn(
                items[k].no,
                format!(
                    "`{}` is listed twice at one level; both rows are read as one attribute, as two pages stating it are",
                    paths[k]
                ),
            );
        }
        for (k, (r, path)) in items.iter().zip(paths).enumerate() {
            // An object whose attributes the table lists has a structure after all.
            let structured = parents.contains(&Some(k));
            let ty =
                r.ty.as_deref()
                    .map(|t| self.typed(t, &path, r.no, structured));
            let p = RawParam {
                name: r.name.clone(),
                ty,
                required: r.required,
                description: join(&r.description),
            };
            if parents[k].is_some() {
                op.nested.push((path, p, r.no));
            } else {
                op.params.push((p, r.no));
            }
        }
    }

    /// The rows of a name / description table: cell 0 holds the name and (on its next line)
    /// the type; a "required" marker may close any cell.
    fn items(&mut self, rows: &[Row]) -> Vec<Item> {
        let mut out = Vec::new();
        for row in rows {
            let mut required = false;
            let mut lines: Vec<Vec<String>> = Vec::new();
            for cell in &row.cells {
                let mut kept = Vec::new();
                for l in cell {
                    match classify_text(l, false) {
                        Class::Phrase(Phrase::Required, _) => required = true,
                        Class::Phrase(Phrase::Default, _) => {}
                        _ => kept.push(l.clone()),
                    }
                }
                lines.push(kept);
            }
            let mut cells = lines.into_iter();
            let head = cells.next().unwrap_or_default();
            let Some(name) = head.first().cloned() else {
                self.warn(row.line, "table row without a name ignored");
                continue;
            };
            if !is_name(&name) {
                self.warn(
                    row.line,
                    format!("table row does not start with a name: `{}`", clip(&name)),
                );
            }
            let mut description: Vec<String> = head[1..].iter().skip(1).cloned().collect();
            let ty = head.get(1).cloned();
            description.extend(cells.flatten());
            out.push(Item {
                name,
                ty,
                description,
                required,
                no: row.line,
            });
        }
        out
    }

    fn error_rows(&mut self, rows: &[Row], op: &mut OpDraft) {
        for row in rows {
            let code = row
                .cells
                .first()
                .and_then(|c| c.first())
                .map_or("", String::as_str);
            let desc = row
                .cells
                .iter()
                .skip(1)
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            let no = row.line;
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                self.warn(
                    no,
                    format!(
                        "error table row without a code ignored: `{}`",
                        clip(&format!("{code} {desc}"))
                    ),
                );
                continue;
            }
            let Ok(code) = code.parse::<i64>() else {
                self.warn(
                    no,
                    format!("error code `{code}` is out of range; row skipped"),
                );
                continue;
            };
            if op.errors.contains(&code) {
                self.warn(no, format!("error code {code} listed twice in one table"));
                continue;
            }
            op.errors.push(code);
            self.fact("error", &code.to_string(), no);
            match self.doc.errors.0.iter().find(|(c, _)| *c == code) {
                Some((_, old)) if *old != desc => {
                    let old = old.clone();
                    self.warn(no, format!("error {code} described differently on one page: `{}` vs `{}`; the first is kept", clip(&old), clip(&desc)));
                }
                Some(_) => {}
                None => self.doc.errors.0.push((code, desc)),
            }
        }
    }

    /// Names the inline enum of `ty` after `owner` and records its values in the document. An
    /// attribute nested in objects (`components.buttons.type`) names it by its place: the
    /// singular of each object around it, then its own name (`ComponentButtonType`).
    /// `structured`: the page lists the attributes of this object (no note that it prints none).
    fn typed(&mut self, ty: &str, owner: &str, no: usize, structured: bool) -> String {
        let mut words: Vec<&str> = owner.split('.').collect();
        let last = words.pop().unwrap_or_default();
        let base: Vec<String> = words
            .into_iter()
            .map(singular)
            .chain(std::iter::once(last.to_string()))
            .collect();
        let (ty, e, problem) = types::name_enums(ty, &base.join("_"));
        if let Some(p) = problem {
            self.warn(no, p);
        }
        let (ty, guessed) = types::normalize(&ty);
        if let Some(note) = guessed.filter(|_| !structured) {
            self.warn(no, format!("type of `{owner}`: {note}"));
        } else if !types::looks_like_type(&ty) && !ty.starts_with("enum ") && !ty.contains("<enum ")
        {
            self.warn(
                no,
                format!("unfamiliar type `{ty}` of `{owner}`; kept as printed"),
            );
        }
        if let Some(e) = e {
            self.add_enum(e, no);
        }
        ty
    }

    fn add_enum(&mut self, e: InlineEnum, no: usize) {
        if let Some(w) = add_enum(&mut self.doc, &mut self.facts, e, no) {
            self.warn(no, w);
        }
    }

    /// The page's closing "Supported values" notes: pairs of a short title and its text.
    fn supported_values(&mut self) {
        self.i += 1;
        let mut blocks: Vec<(String, usize)> = Vec::new();
        while self.i < self.blocks.len() {
            let k = self.i;
            match self.class_at(k, false) {
                Class::Phrase(Phrase::Op(_), _) => break,
                Class::Title | Class::Phrase(Phrase::Chrome, _) => self.i += 1,
                Class::Text => {
                    blocks.push((
                        self.blocks[k].text().unwrap_or_default().to_string(),
                        self.no(k),
                    ));
                    self.i += 1;
                }
                Class::List(items) => {
                    blocks.extend(items.iter().map(|(n, t)| (t.clone(), *n)));
                    self.i += 1;
                }
                _ => break,
            }
        }
        let mut it = blocks.into_iter().peekable();
        while let Some((text, no)) = it.next() {
            let is_title = !text.ends_with(['.', '。', ':', ':']) && text.split(' ').count() <= 4;
            let note = match (is_title, it.peek()) {
                (true, Some(_)) => match it.next() {
                    Some((body, _)) => format!("{text}: {body}"),
                    None => text,
                },
                _ => text,
            };
            self.fact("note", &note, no);
            self.doc.notes.push(note);
        }
    }

    /// Which node or edge the page describes: from its request paths and its title.
    fn place(&mut self, title: &str, title_no: usize) -> Option<(String, Option<String>)> {
        let samples: Vec<(String, usize)> = self
            .ops
            .iter()
            .filter_map(|o| o.sample_path.clone())
            .chain(
                self.ops
                    .iter()
                    .flat_map(|o| o.post_paths.iter().map(|p| (p.clone(), o.line))),
            )
            .collect();
        let edge_of = |p: &str| path_segments(p).nth(1).map(str::to_string);
        let mut edge = None;
        let mut node_page = false;
        for (path, no) in &samples {
            match (edge_of(path), &edge) {
                (Some(e), None) if !node_page => edge = Some((e, *no)),
                (Some(e), Some((first, _))) if e != *first => {
                    let first = first.clone();
                    self.warn(*no, format!("request path `{path}` names edge `{e}`, but the page's first request names `{first}`"));
                }
                (None, None) => node_page = true,
                _ => {}
            }
        }
        if samples.is_empty() {
            self.warn(
                title_no,
                "page shows no request path; placed by its title alone",
            );
            // An edge page without samples still names its edge in its pointer sentences.
            edge = self
                .ops
                .iter()
                .filter_map(|o| o.pointer.as_ref().and_then(|(_, p)| edge_of(p)))
                .find(|e| title_ends_with(title, e).is_some())
                .map(|e| (e, title_no));
        }
        // The node: named by the ID its request paths start with, else by the title.
        let by_path = samples
            .iter()
            .find_map(|(p, no)| node_of_path(p).map(|n| (n, *no)));
        let by_title = match &edge {
            Some((e, _)) => title_ends_with(title, e),
            None => Some(title.to_string()),
        }
        .map(|w| upper_camel(&w))
        .filter(|n| is_node_name(n));
        let node = match (by_path, by_title) {
            (Some((n, no)), Some(t)) if n != t => {
                self.warn(no, format!("request path places the page on node `{n}`, its title `{title}` reads as `{t}`; the path wins"));
                n
            }
            (Some((n, _)), _) | (None, Some(n)) => n,
            (None, None) => {
                let msg = match &edge {
                    Some((e, _)) => format!(
                        "cannot place page: its request path names edge `{e}` but neither its ID placeholder nor its title `{title}` names the node"
                    ),
                    None => format!("cannot place page: title `{title}` gives no node name"),
                };
                self.problems
                    .error(self.file, edge.as_ref().map_or(title_no, |e| e.1), msg);
                return None;
            }
        };
        if let Some((e, no)) = &edge
            && !e
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            self.problems.error(
                self.file,
                *no,
                format!("cannot place page: edge name `{e}` is not snake_case"),
            );
            return None;
        }
        // The sample's ID placeholder should spell the node (`WHATSAPP-BUSINESS-ACCOUNT-ID`).
        let want = squash(&format!("{}id", snake(&node)));
        for o in &self.ops {
            if let Some((p, no)) = &o.sample_path {
                let first = path_segments(p).next().unwrap_or_default();
                if !first.starts_with('{')
                    && squash(first) != want
                    && node_of_path(p).as_deref() != Some(node.as_str())
                {
                    self.problems.warn(
                        self.file,
                        *no,
                        format!("request path `{p}` does not start with the ID of `{node}`"),
                    );
                }
            }
        }
        Some((node, edge.map(|(e, _)| e)))
    }

    fn finish_ops(&mut self, node: &str, edge: Option<&str>) {
        let id = format!("{{{}_id}}", snake(node));
        let own_path = own_path(node, edge);
        for op in std::mem::take(&mut self.ops) {
            let kind = op.kind;
            if let Some(no) = op.unsupported {
                if op.documented {
                    self.warn(
                        no,
                        format!(
                            "{} section says the operation is not supported but also documents it",
                            kind.as_str()
                        ),
                    );
                }
                self.fact("unsupported", kind.as_str(), no);
                if !self.doc.unsupported.contains(&kind) {
                    self.doc.unsupported.push(kind);
                }
                continue;
            }
            if !op.documented && op.description.is_none() && op.sample_path.is_none() {
                self.warn(
                    op.line,
                    format!("{} section is empty; no operation recorded", kind.as_str()),
                );
                continue;
            }
            let (method, path) = match (&op.pointer, op.post_paths.first(), &op.sample_path) {
                (Some((m, p)), _, _) => (m.clone(), p.clone()),
                (None, Some(p), _) => ("POST".to_string(), p.clone()),
                (None, None, Some((p, _))) => {
                    let rest: Vec<&str> = path_segments(p).skip(1).collect();
                    let path = std::iter::once(id.as_str())
                        .chain(rest)
                        .collect::<Vec<_>>()
                        .join("/");
                    (
                        op.sample_method
                            .clone()
                            .unwrap_or_else(|| default_method(kind).into()),
                        format!("/{path}"),
                    )
                }
                (None, None, None) => (default_method(kind).to_string(), own_path.clone()),
            };
            let key = format!("{method} {path}");
            if self
                .doc
                .operations
                .iter()
                .any(|o| o.method == method && o.path == path)
            {
                self.warn(
                    op.line,
                    format!("operation `{key}` documented twice on one page; the first is kept"),
                );
                continue;
            }
            self.fact("op", &key, op.line);
            if let Some((_, no)) = &op.description {
                self.fact("op-description", &key, *no);
            }
            let mut returns = op.returns.clone();
            if !op.return_text.is_empty() {
                let text: Vec<&str> = op.return_text.iter().map(|(t, _)| t.as_str()).collect();
                let no = op.return_text[0].1;
                match types::return_type(&text.join(" ")) {
                    Ok((ty, enums)) => {
                        for e in enums {
                            self.add_enum(e, no);
                        }
                        returns = Some(ty);
                    }
                    Err(msg) => self.warn(no, msg),
                }
            }
            if returns.is_none() && kind == OpKind::Read && edge.is_none() && path == own_path {
                // Reading a node returns the node; the page says so only by being its page.
                returns = Some(node.to_string());
            }
            for (p, no) in &op.params {
                self.fact("param", &format!("{key} {}", p.name), *no);
            }
            for (path, param, line) in op.nested {
                self.fact("param", &format!("{key} {path}"), line);
                self.nested.push(Nested {
                    what: "param",
                    op: key.clone(),
                    path,
                    param,
                    line,
                    pointer: None,
                });
            }
            for (f, no) in &op.added_fields {
                self.fact("added", &format!("{key} {}", f.name), *no);
            }
            for (f, no) in &op.summary_fields {
                self.fact("summary", &format!("{key} {}", f.name), *no);
            }
            let req = op.requirements;
            let requirements =
                (!req.permissions.is_empty() || !req.ids.is_empty() || req.token.is_some())
                    .then_some(req);
            self.doc.operations.push(RawOperation {
                kind: Some(kind),
                method,
                path,
                description: op.description.map(|(d, _)| d),
                requirements,
                params: op.params.into_iter().map(|(p, _)| p).collect(),
                returns,
                creates: op.creates,
                added_fields: op.added_fields.into_iter().map(|(f, _)| f).collect(),
                summary_fields: op.summary_fields.into_iter().map(|(f, _)| f).collect(),
                read_after_write: op.read_after_write,
                errors: op.errors,
                body: None,
            });
        }
    }
}

fn default_method(kind: OpKind) -> &'static str {
    match kind {
        OpKind::Read => "GET",
        OpKind::Create | OpKind::Update => "POST",
        OpKind::Delete => "DELETE",
    }
}

/// `s` without case and separators: `WHATSAPP-BUSINESS-ACCOUNT-ID` → `whatsappbusinessaccountid`.
pub(super) fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The blocks of chrome sections ("On this page"): from the section word to the next heading
/// or version selector, or, where a list follows the word, that list.
fn chrome_mask(blocks: &[Block]) -> Vec<bool> {
    let mut mask = vec![false; blocks.len()];
    let mut k = 0;
    while k < blocks.len() {
        if matches!(
            classify(&blocks[k], false),
            Class::Phrase(Phrase::ChromeSection, _)
        ) {
            mask[k] = true;
            let lists_only = matches!(blocks.get(k + 1).map(|b| &b.kind), Some(Kind::List(_)));
            k += 1;
            while k < blocks.len() {
                let ends = match &blocks[k].kind {
                    Kind::Heading(..) | Kind::Title(_) => true,
                    Kind::List(_) => false,
                    _ if lists_only => true,
                    _ => matches!(
                        classify(&blocks[k], false),
                        Class::Phrase(Phrase::VersionSelector, _)
                    ),
                };
                if ends {
                    break;
                }
                mask[k] = true;
                k += 1;
            }
        } else {
            k += 1;
        }
    }
    mask
}

/// In a page whose operation headings no locale knows: the headings one level below the page
/// title, each with the kind its section's request sample gives (`curl -X POST …/{id}/edge`),
/// or `None` when it shows no request (it still ends the section above it).
fn structural_ops(blocks: &[Block]) -> Vec<(usize, Option<OpKind>)> {
    let levels: Vec<u8> = blocks
        .iter()
        .filter_map(|b| match b.kind {
            Kind::Heading(l, _) => Some(l),
            _ => None,
        })
        .collect();
    let Some(&top) = levels.iter().min() else {
        return Vec::new();
    };
    let Some(&level) = levels.iter().filter(|&&l| l > top).min() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, b) in blocks.iter().enumerate() {
        if b.kind != Kind::Heading(level, b.text().unwrap_or_default().to_string()) {
            continue;
        }
        let mut draft = OpDraft::new(OpKind::Read, b.line);
        let mut curl = false;
        for next in &blocks[k + 1..] {
            match &next.kind {
                Kind::Heading(l, _) if *l <= level => break,
                Kind::Code(code) => {
                    for (n, t) in code {
                        draft.sample(t, *n);
                        curl |= t.trim_start().starts_with("curl");
                    }
                }
                // Samples some pages print as paragraphs.
                Kind::Paragraph(t) if t.starts_with("curl ") => {
                    draft.sample(t, next.line);
                    curl = true;
                }
                _ => {}
            }
        }
        // `curl URL` without `-X` is a GET.
        let method = draft
            .sample_method
            .or_else(|| curl.then(|| "GET".to_string()));
        let kind = match (method.as_deref(), draft.sample_path) {
            (Some("GET"), Some(_)) => Some(OpKind::Read),
            (Some("DELETE"), Some(_)) => Some(OpKind::Delete),
            (Some(_), Some((path, _))) if path_segments(&path).nth(1).is_some() => {
                Some(OpKind::Create)
            }
            (Some(_), Some(_)) => Some(OpKind::Update),
            _ => None,
        };
        out.push((k, kind));
    }
    out
}

/// ID placeholders of request paths (compared as by [`squash`]) and the node each names. The
/// paths a page shows place it, whatever its title or chrome says.
const ID_NODES: &[(&str, &str)] = &[
    ("whatsappbusinessaccountid", "WhatsAppBusinessAccount"),
    ("wabaid", "WhatsAppBusinessAccount"),
    ("businessid", "Business"),
    ("phonenumberid", "WhatsAppBusinessPhoneNumber"),
    (
        "whatsappbusinessphonenumberid",
        "WhatsAppBusinessPhoneNumber",
    ),
    ("userid", "User"),
    ("systemuserid", "SystemUser"),
    ("whatsappmessagetemplateid", "WhatsAppMessageTemplate"),
    ("templateid", "WhatsAppMessageTemplate"),
    // Placeholders only Meta's OpenAPI document uses.
    ("applicationid", "Application"),
    ("solutionid", "WhatsAppBusinessSolution"),
    (
        "preverifiedphonenumberid",
        "WhatsAppBusinessPreVerifiedPhoneNumber",
    ),
    ("migrationintentid", "WhatsAppSolutionMigrationIntent"),
    ("whatsappaccountnumberid", "WhatsAppAccountNumber"),
    ("obomobilityintentid", "OBOMobilityIntent"),
    ("wababotid", "WhatsAppBusinessBot"),
    ("whatsappbusinessprofileid", "WhatsAppBusinessProfile"),
];

/// The path of a node's own operations, or an edge's: `/{node_id}`, `/{node_id}/edge`.
pub(super) fn own_path(node: &str, edge: Option<&str>) -> String {
    let id = format!("{{{}_id}}", snake(node));
    match edge {
        Some(e) => format!("/{id}/{e}"),
        None => format!("/{id}"),
    }
}

/// The kind of an operation no source names: a GET reads, a DELETE deletes, a POST on an edge
/// creates and one on a node updates (`method` in any case).
pub(super) fn kind_of(method: &str, on_edge: bool) -> OpKind {
    if method.eq_ignore_ascii_case("GET") {
        OpKind::Read
    } else if method.eq_ignore_ascii_case("DELETE") {
        OpKind::Delete
    } else if on_edge {
        OpKind::Create
    } else {
        OpKind::Update
    }
}

/// The node whose ID the request path `p` starts with (`/{WABA-ID}/…`, `/<TEMPLATE_ID>/…`);
/// a leading `{Version}` or `vNN.N` segment is skipped.
pub(super) fn node_of_path(p: &str) -> Option<String> {
    let first = path_segments(p).next()?;
    let id = squash(first);
    ID_NODES
        .iter()
        .find(|(k, _)| *k == id)
        .map(|(_, n)| n.to_string())
}

/// A request path's segments without a leading version (`{Version}`, `v23.0`, `LATEST-VERSION`).
pub(super) fn path_segments(p: &str) -> impl Iterator<Item = &str> {
    let mut segs = p.split('/').filter(|s| !s.is_empty()).peekable();
    if segs
        .peek()
        .is_some_and(|s| squash(s).ends_with("version") || version_in(s).is_some())
    {
        segs.next();
    }
    segs
}

fn is_node_name(n: &str) -> bool {
    !n.is_empty()
        && n.chars().all(|c| c.is_ascii_alphanumeric())
        && n.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The text after a version-selector phrase (`Graph API Versionv19.0Whats App …` → `v19.0Whats App …`).
fn strip_selector(text: &str) -> &str {
    for l in LOCALES {
        for &(phrase, pattern) in l.phrases {
            if phrase == Phrase::VersionSelector
                && let Some(at) = text.find(pattern)
            {
                return text[at + pattern.len()..].trim();
            }
        }
    }
    text
}

/// A leading `vNN.N` and the rest.
fn split_version(text: &str) -> (Option<String>, &str) {
    let Some(rest) = text.strip_prefix('v') else {
        return (None, text);
    };
    let major = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = &rest[major..];
    let Some(minor_src) = after.strip_prefix('.') else {
        return (None, text);
    };
    let minor = minor_src.bytes().take_while(u8::is_ascii_digit).count();
    if major == 0 || minor == 0 {
        return (None, text);
    }
    let end = 1 + major + 1 + minor;
    (Some(text[..end].to_string()), text[end..].trim())
}

/// A title without the site's framing: `Graph API Reference v19.0: X - Documentation - Meta for
/// Developers` → `X`.
fn strip_title_chrome(title: &str) -> String {
    let mut t = title;
    if let Some((head, rest)) = t.split_once(": ")
        && version_in(head).is_some()
    {
        t = rest;
    }
    if let Some((head, _)) = t.split_once(" - Documentation") {
        t = head;
    }
    t.trim().to_string()
}

/// The locale whose own phrases (those no other locale shares) the blocks use most.
pub(super) fn locale_of(blocks: &[Block]) -> &'static str {
    let mut best = (0usize, LOCALES[0].code);
    for l in LOCALES {
        let own: Vec<(Phrase, &str)> = l
            .phrases
            .iter()
            .copied()
            .filter(|(_, t)| {
                !LOCALES
                    .iter()
                    .any(|o| o.code != l.code && o.phrases.iter().any(|(_, x)| x == t))
            })
            .collect();
        let score = blocks
            .iter()
            .filter_map(Block::text)
            .filter(|text| own.iter().any(|&(p, t)| matches(p, t, text).is_some()))
            .count();
        if score > best.0 {
            best = (score, l.code);
        }
    }
    best.1
}

/// The title without the trailing words of `edge` (`Whats App Business Account Assigned Users`
/// minus `assigned_users`), compared without case and separators.
fn title_ends_with(title: &str, edge: &str) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let target = squash(edge);
    for cut in (1..words.len()).rev() {
        if squash(&words[cut..].concat()) == target {
            return Some(words[..cut].join(" "));
        }
    }
    None
}

/// `vNN.N` in a chrome line such as `Graph API Reference v20.0: …`.
pub(super) fn version_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == ':' || c == ',')
        .find_map(|w| {
            let rest = w.strip_prefix('v')?;
            let (major, minor) = rest.split_once('.')?;
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            (digits(major) && digits(minor)).then(|| w.to_string())
        })
}

/// The request path of a code sample line: the URL after `graph.facebook.com/VERSION`, or an
/// SDK's quoted graph path (`"/BUSINESS-ID/client_whatsapp_business_accounts"`).
fn sample_path(text: &str) -> Option<String> {
    let stop = |c: char| matches!(c, '?' | '\'' | '"' | ' ' | '\\' | '&');
    if let Some(at) = text.find("graph.facebook.com/") {
        let rest = &text[at + "graph.facebook.com/".len()..];
        let rest = &rest[..rest.find(stop).unwrap_or(rest.len())];
        let mut segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        if segs
            .first()
            .is_some_and(|s| s.contains("VERSION") || version_in(s).is_some())
        {
            segs.remove(0);
        }
        return (!segs.is_empty()).then(|| format!("/{}", segs.join("/")));
    }
    // Request syntax: `GET /<WHATSAPP_MESSAGE_TEMPLATE_ID>/compare`.
    if let Some((m, rest)) = text.trim().split_once(' ')
        && matches!(m, "GET" | "POST" | "DELETE")
        && rest.starts_with('/')
    {
        let path = rest.split(['?', ' ']).next().unwrap_or_default();
        return (path.len() > 1).then(|| path.to_string());
    }
    let at = text.find("\"/")?;
    let rest = &text[at + 1..];
    let end = rest[1..].find('"')? + 1;
    let path = &rest[..end];
    path.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '{' | '}'))
        .then(|| path.trim_end_matches('/').to_string())
        .filter(|p| p.len() > 1)
}

/// `v19.0` → (19, 0), for ordering versions.
pub(super) fn version_number(v: &str) -> (u32, u32) {
    let (a, b) = v
        .trim_start_matches('v')
        .split_once('.')
        .unwrap_or((v, "0"));
    (a.parse().unwrap_or(0), b.parse().unwrap_or(0))
}

/// The version segment of a sample request line's path.
fn sample_version(text: &str) -> Option<String> {
    let path = match text.find("graph.facebook.com/") {
        Some(at) => &text[at + "graph.facebook.com".len()..],
        None => text.trim().split_once(' ')?.1,
    };
    let first = path.split('/').find(|s| !s.is_empty())?;
    version_in(first.trim_matches('`'))
}

/// The HTTP method of a code sample line (`curl -X POST`, `HTTPMethod:@"POST"`).
fn sample_method(text: &str) -> Option<String> {
    if let Some((m, rest)) = text.trim().split_once(' ')
        && matches!(m, "GET" | "POST" | "DELETE")
        && rest.starts_with('/')
    {
        return Some(m.to_string());
    }
    let after = text
        .split_once("-X ")
        .map(|(_, r)| r)
        .or_else(|| text.split_once("HTTPMethod:@\"").map(|(_, r)| r))?;
    let word: String = after.chars().take_while(char::is_ascii_uppercase).collect();
    matches!(word.as_str(), "GET" | "POST" | "DELETE").then_some(word)
}

/// Sorts a requirement bullet into permissions, IDs or the token kind.
fn requirement(req: &mut Requirements, bullet: String) {
    if let Some(p) = bullet.strip_suffix(" permission") {
        req.permissions.push(p.trim().to_string());
    } else if bullet.to_ascii_uppercase().contains("ACCESS TOKEN") && req.token.is_none() {
        req.token = Some(bullet);
    } else {
        req.ids.push(bullet);
    }
}

fn english_pointer(kind: Pointer, caps: &[(String, String)]) -> Option<String> {
    let mut out = locale::english(Phrase::Pointer(kind))?.to_string();
    for (k, v) in caps {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    Some(out)
}

/// Records enum `e` (printed on line `no`) in `doc`, with its facts' lines; a warning when the
/// document already has it with other values (the union is kept).
pub(super) fn add_enum(
    doc: &mut PageDoc,
    lines: &mut HashMap<String, usize>,
    e: InlineEnum,
    no: usize,
) -> Option<String> {
    lines.entry(fact_key("enum", &e.name)).or_insert(no);
    for v in &e.values {
        lines
            .entry(fact_key("enum", &format!("{} {v}", e.name)))
            .or_insert(no);
    }
    match doc.enums.0.iter_mut().find(|(n, _)| *n == e.name) {
        Some((_, values)) => {
            let differ = *values != e.values && !e.values.is_empty() && !values.is_empty();
            for v in e.values {
                if !values.contains(&v) {
                    values.push(v);
                }
            }
            differ.then(|| {
                format!(
                    "enum {} is printed twice with different values; the union is kept",
                    e.name
                )
            })
        }
        None => {
            doc.enums.0.push((e.name, e.values));
            None
        }
    }
}

/// Description lines as one text, `None` when there are none.
pub(super) fn join(parts: &[String]) -> Option<String> {
    let s = parts.join(" ");
    (!s.is_empty()).then_some(s)
}

/// A line shortened for messages.
pub fn clip(s: &str) -> String {
    if s.chars().count() <= 80 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(79).collect::<String>())
    }
}

/// A value's debug text, shortened for messages.
pub fn show<T: std::fmt::Debug>(v: &T) -> String {
    clip(&format!("{v:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_capture_and_validate() {
        let line = "You can update a Widget by making a POST request to /{widget_id}/parts.";
        let Class::Phrase(Phrase::Pointer(Pointer::Update), caps) = classify_text(line, false)
        else {
            panic!("not a pointer")
        };
        assert_eq!(cap(&caps, "path"), Some("/{widget_id}/parts"));
        assert_eq!(
            english_pointer(Pointer::Update, &caps).as_deref(),
            Some(line)
        );
        let bad = "You can update a Widget by making a FETCH request to /{widget_id}/parts.";
        assert!(matches!(classify_text(bad, false), Class::Text));
    }

    #[test]
    fn reads_titles_from_chrome() {
        assert_eq!(
            strip_title_chrome(
                "Graph API Reference v19.0: Whats App Business Account Phone Numbers - Documentation - Meta for Developers"
            ),
            "Whats App Business Account Phone Numbers"
        );
        assert_eq!(
            split_version(strip_selector(
                "Graph API Versionv19.0Whats App Message Template Compare"
            )),
            (Some("v19.0".into()), "Whats App Message Template Compare")
        );
        assert_eq!(
            node_of_path("/{Version}/{WABA-ID}/schedules").as_deref(),
            Some("WhatsAppBusinessAccount")
        );
        assert_eq!(
            node_of_path("/<WHATSAPP_MESSAGE_TEMPLATE_ID>/compare").as_deref(),
            Some("WhatsAppMessageTemplate")
        );
        assert_eq!(
            sample_path("GET /<X_ID>/compare?template_ids=1").as_deref(),
            Some("/<X_ID>/compare")
        );
    }

    #[test]
    fn places_titles_and_samples() {
        assert_eq!(
            title_ends_with(
                "Whats App Business Account Assigned Users",
                "assigned_users"
            )
            .as_deref(),
            Some("Whats App Business Account")
        );
        assert_eq!(
            title_ends_with(
                "Business Client Whatsapp Business Accounts",
                "client_whatsapp_business_accounts"
            )
            .as_deref(),
            Some("Business")
        );
        assert_eq!(
            sample_path("'https://graph.facebook.com/LATEST-VERSION/BUSINESS-ID/things' \\")
                .as_deref(),
            Some("/BUSINESS-ID/things")
        );
        assert_eq!(
            sample_path("  \"/WIDGET-ID/parts\",").as_deref(),
            Some("/WIDGET-ID/parts")
        );
        assert_eq!(
            sample_method("curl -i -X DELETE \\").as_deref(),
            Some("DELETE")
        );
        assert_eq!(
            version_in("Graph API Reference v20.0: Foo").as_deref(),
            Some("v20.0")
        );
    }
}
