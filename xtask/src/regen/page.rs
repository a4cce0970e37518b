//! Reading one page, as [`Line`]s, into the [`PageDoc`] of the node or edge it describes.
//!
//! A rendered page has no markup left, so structure comes from the localized phrases of
//! [`super::locale`]: section headings, table header rows and Meta's fixed sentences. Code
//! samples are whatever lies between a sample heading and the next recognized line. Anything
//! the parser does not understand is reported with its line; nothing is dropped silently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use waba_codegen::names::{snake, upper_camel};
use waba_codegen::spec::raw::{
    OpKind, PageDoc, RawEdge, RawField, RawOperation, RawParam, Requirements,
};

use super::diag::Problems;
use super::locale::{self, LOCALES, Match, Phrase, Pointer, Section, Table};
use super::text::{Format, Line};
use super::types::{self, InlineEnum};

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
    /// Line of localized prose about where to find the node's ID (the overlay carries it).
    pub id_note: Option<usize>,
}

/// Keys facts for [`ParsedPage::lines`]: `("param", "POST /{x}/y tasks")` → `param POST /{x}/y tasks`.
pub fn fact_key(kind: &str, what: &str) -> String {
    format!("{kind} {what}")
}

/// Reads the text `src` of the page at `file` in the format its name says. `None` when the name
/// is not a page's or the page cannot be placed; the reasons are in `problems`.
pub fn read(file: &Path, src: &str, problems: &mut Problems) -> Option<ParsedPage> {
    parse(file, &Format::of(file)?.lines(src), problems)
}

/// Reads one page. `None` when the page cannot be placed; the reasons are in `problems`.
pub fn parse(file: &Path, lines: &[Line], problems: &mut Problems) -> Option<ParsedPage> {
    let p = Parser {
        file,
        lines,
        i: 0,
        problems,
        doc: PageDoc::default(),
        facts: HashMap::new(),
        ops: Vec::new(),
        version: None,
        id_note: None,
    };
    p.run()
}

#[derive(Debug, Clone)]
enum Class {
    Blank,
    Code,
    Bullet(String),
    Text,
    Phrase(Phrase, Vec<(String, String)>),
    /// `data`, `paging`, `summary`: the parts of an edge read's result.
    Label,
}

fn classify(line: &Line, edge_result: bool) -> Class {
    if line.text.is_empty() {
        return Class::Blank;
    }
    if line.code {
        return Class::Code;
    }
    if let Some(rest) = line
        .text
        .strip_prefix('•')
        .or_else(|| line.text.strip_prefix('·'))
    {
        return Class::Bullet(rest.trim().to_string());
    }
    if edge_result && matches!(line.text.as_str(), "data" | "paging" | "summary") {
        return Class::Label;
    }
    for l in LOCALES {
        for &(phrase, pattern) in l.phrases {
            if let Some(caps) = matches(phrase, pattern, &line.text) {
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
            let a: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            let b: String = pattern.chars().filter(|c| !c.is_whitespace()).collect();
            a == b
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

fn is_name(s: &str) -> bool {
    s.starts_with("Edge<")
        || (s
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
}

fn is_required(line: &Line) -> bool {
    matches!(classify(line, false), Class::Phrase(Phrase::Required, _))
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
    requirements: Requirements,
    params: Vec<(RawParam, usize)>,
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
            requirements: Requirements::default(),
            params: Vec::new(),
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

/// Where the rows of a field table go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldTarget {
    Node,
    Added,
    Summary,
}

struct Row {
    name: String,
    ty: Option<String>,
    description: Vec<String>,
    required: bool,
    no: usize,
}

struct Parser<'a> {
    file: &'a Path,
    lines: &'a [Line],
    i: usize,
    problems: &'a mut Problems,
    doc: PageDoc,
    facts: HashMap<String, usize>,
    ops: Vec<OpDraft>,
    version: Option<(String, usize)>,
    id_note: Option<usize>,
}

impl Parser<'_> {
    fn warn(&mut self, no: usize, msg: impl Into<String>) {
        self.problems.warn(self.file, no, msg);
    }

    fn fact(&mut self, kind: &str, what: &str, no: usize) {
        self.facts.entry(fact_key(kind, what)).or_insert(no);
    }

    fn line(&self, k: usize) -> &Line {
        &self.lines[k]
    }

    fn class_at(&self, k: usize, edge_result: bool) -> Class {
        classify(&self.lines[k], edge_result)
    }

    fn run(mut self) -> Option<ParsedPage> {
        let n = self.lines.len();
        let first_op = (0..n)
            .find(|&k| matches!(self.class_at(k, false), Class::Phrase(Phrase::Op(_), _)))
            .unwrap_or(n);
        let selector = (0..first_op).find(|&k| {
            matches!(
                self.class_at(k, false),
                Class::Phrase(Phrase::VersionSelector, _)
            )
        });
        // Everything above the version selector is site chrome.
        let start = selector.map_or(0, |s| s + 1);
        let Some(title_at) =
            (start..first_op).find(|&k| matches!(self.class_at(k, false), Class::Text))
        else {
            let no = self.lines.get(start).map_or(1, |l| l.no);
            self.problems.error(
                self.file,
                no,
                "cannot place page: no title line (expected the node or edge name before the first operation heading)",
            );
            return None;
        };
        for k in 0..title_at {
            if let Some(v) = version_in(&self.lines[k].text) {
                self.version.get_or_insert((v, self.lines[k].no));
            }
        }
        let title = self.line(title_at).text.clone();
        let title_no = self.line(title_at).no;
        self.doc.title = Some(title.clone());
        self.fact("title", "", title_no);
        self.i = title_at + 1;
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
        let locale = self.locale();
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
            id_note: self.id_note,
        })
    }

    /// The locale whose own phrases (those no other locale shares) the page uses most.
    fn locale(&self) -> &'static str {
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
            let score = self
                .lines
                .iter()
                .filter(|line| !line.code && !line.text.is_empty())
                .filter(|line| {
                    own.iter()
                        .any(|&(p, t)| matches(p, t, &line.text).is_some())
                })
                .count();
            if score > best.0 {
                best = (score, l.code);
            }
        }
        best.1
    }

    /// Lines that belong to no section: chrome is skipped, anything else reported.
    fn stray(&mut self) {
        let k = self.i;
        self.i += 1;
        match self.class_at(k, false) {
            Class::Blank | Class::Phrase(Phrase::Chrome, _) => {}
            Class::Phrase(Phrase::ChromeSection, _) => self.skip_chrome_list(),
            _ => {
                let (no, text) = (self.line(k).no, self.line(k).text.clone());
                self.warn(
                    no,
                    format!("line outside any section ignored: `{}`", clip(&text)),
                );
            }
        }
    }

    fn skip_chrome_list(&mut self) {
        while self.i < self.lines.len()
            && matches!(
                self.class_at(self.i, false),
                Class::Blank | Class::Bullet(_)
            )
        {
            self.i += 1;
        }
    }

    /// Between the title and the first operation: description, rate limits, pointers.
    fn intro(&mut self) {
        while self.i < self.lines.len() {
            let k = self.i;
            let (no, text) = (self.line(k).no, self.line(k).text.clone());
            match self.class_at(k, false) {
                Class::Phrase(Phrase::Op(_) | Phrase::Section(Section::SupportedValues), _) => {
                    return;
                }
                Class::Blank | Class::Phrase(Phrase::Chrome | Phrase::SeeAlso, _) => self.i += 1,
                Class::Phrase(Phrase::ChromeSection, _) => {
                    self.i += 1;
                    self.skip_chrome_list();
                }
                Class::Phrase(Phrase::IdNote, _) => {
                    self.id_note.get_or_insert(no);
                    self.i += 1;
                }
                Class::Phrase(Phrase::RateLimits, _) => {
                    self.i += 1;
                    while self.i < self.lines.len() {
                        match self.class_at(self.i, false) {
                            Class::Blank => self.i += 1,
                            Class::Bullet(b) => {
                                let bno = self.line(self.i).no;
                                self.fact("rate", &b, bno);
                                self.doc.rate_limits.push(b);
                                self.i += 1;
                            }
                            _ => break,
                        }
                    }
                }
                Class::Text if self.doc.description.is_none() && !has_cjk(&text) => {
                    self.doc.description = Some(text);
                    self.fact("description", "", no);
                    self.i += 1;
                }
                Class::Text if has_cjk(&text) => {
                    self.warn(
                        no,
                        format!(
                            "localized prose not kept (pages state facts in English): `{}`",
                            clip(&text)
                        ),
                    );
                    self.i += 1;
                }
                _ => {
                    self.warn(
                        no,
                        format!(
                            "line in the page introduction not understood, ignored: `{}`",
                            clip(&text)
                        ),
                    );
                    self.i += 1;
                }
            }
        }
    }

    /// One operation section, from its heading to the next one.
    fn op(&mut self, kind: OpKind) {
        let mut op = OpDraft::new(kind, self.line(self.i).no);
        self.i += 1;
        let mut section: Option<Section> = None;
        let mut edge_result = false;
        let mut target = FieldTarget::Node;
        while self.i < self.lines.len() {
            let k = self.i;
            let (no, text) = (self.line(k).no, self.line(k).text.clone());
            let class = self.class_at(k, edge_result);
            if let Class::Phrase(Phrase::Op(_) | Phrase::Section(Section::SupportedValues), _) =
                class
            {
                break;
            }
            self.i += 1;
            match class {
                Class::Blank | Class::Phrase(Phrase::Chrome, _) => {}
                Class::Code | Class::Text if section == Some(Section::ReturnType) => {
                    op.return_text.push((text, no))
                }
                Class::Code | Class::Text if section == Some(Section::CodeSample) => {
                    if op.sample_path.is_none() {
                        op.sample_path = sample_path(&text).map(|p| (p, no));
                    }
                    if op.sample_method.is_none() {
                        op.sample_method = sample_method(&text);
                    }
                }
                Class::Code => {}
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
                    while self.i < self.lines.len() {
                        // The paths follow one a line, bare or as list items.
                        let l = self.line(self.i);
                        let path = l.text.trim_start_matches(['•', '·']).trim();
                        if l.text.is_empty() {
                            self.i += 1;
                        } else if path.starts_with('/') && !path.contains(' ') {
                            op.post_paths.push(path.to_string());
                            self.i += 1;
                        } else {
                            break;
                        }
                    }
                }
                Class::Phrase(Phrase::Creates, caps) => {
                    op.creates = cap(&caps, "node").map(str::to_string);
                    op.documented = true;
                }
                Class::Phrase(Phrase::ReadAfterWrite, _) => op.read_after_write = true,
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
                Class::Phrase(Phrase::Header(table), _) => {
                    op.documented = true;
                    self.table(table, no, section, target, edge_result, &mut op);
                }
                Class::Phrase(Phrase::ChromeSection, _) => self.skip_chrome_list(),
                Class::Bullet(b) if section == Some(Section::Requirements) => {
                    requirement(&mut op.requirements, b)
                }
                Class::Text if section.is_none() && op.description.is_none() && !has_cjk(&text) => {
                    op.description = Some((text, no));
                    op.documented = true;
                }
                // The JSON shape an edge read prints above its parts, e.g. `{ "data": [], … }`.
                Class::Text if edge_result && text.starts_with('{') => {}
                _ => self.warn(
                    no,
                    format!(
                        "line in the {} section not understood, ignored: `{}`",
                        kind.as_str(),
                        clip(&text)
                    ),
                ),
            }
        }
        self.ops.push(op);
    }

    /// A table starting at its header line; its rows run to the next recognized line.
    fn table(
        &mut self,
        table: Table,
        header_no: usize,
        section: Option<Section>,
        target: FieldTarget,
        edge_result: bool,
        op: &mut OpDraft,
    ) {
        let mut body: Vec<Line> = Vec::new();
        while self.i < self.lines.len() {
            match self.class_at(self.i, edge_result) {
                Class::Blank
                | Class::Text
                | Class::Code
                | Class::Bullet(_)
                | Class::Phrase(Phrase::Required, _) => {
                    body.push(self.line(self.i).clone());
                    self.i += 1;
                }
                _ => break,
            }
        }
        match table {
            Table::Error => self.error_rows(&body, header_no, op),
            Table::Param => {
                let rows = self.table_rows(&body, header_no);
                if section != Some(Section::Parameters) {
                    self.warn(header_no, "parameter table outside a Parameters section");
                }
                for r in rows {
                    let ty = r.ty.as_deref().map(|t| self.typed(t, &r.name, r.no));
                    let p = RawParam {
                        name: r.name,
                        ty,
                        required: r.required,
                        description: join(&r.description),
                    };
                    op.params.push((p, r.no));
                }
            }
            Table::Field => {
                let rows = self.table_rows(&body, header_no);
                for r in rows {
                    let ty = r.ty.as_deref().map(|t| self.typed(t, &r.name, r.no));
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
                let rows = self.table_rows(&body, header_no);
                for r in rows {
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

    /// The rows of a name/type/description table whose header is on line `header_no`.
    fn table_rows(&mut self, body: &[Line], header_no: usize) -> Vec<Row> {
        let rows = self.rows(body);
        if rows.is_empty() {
            self.warn(header_no, "table has a header but no rows");
        }
        rows
    }

    /// Rows of a name/type/description table (see the module docs of `markdown` for the shape).
    fn rows(&mut self, body: &[Line]) -> Vec<Row> {
        let mut blocks: Vec<Vec<&Line>> = Vec::new();
        let mut cur: Vec<&Line> = Vec::new();
        for l in body {
            if l.text.is_empty() || is_required(l) {
                if !cur.is_empty() {
                    blocks.push(std::mem::take(&mut cur));
                }
                // The marker ends its row, even when the next row follows without a blank line.
                if !l.text.is_empty() {
                    blocks.push(vec![l]);
                }
            } else {
                cur.push(l);
            }
        }
        if !cur.is_empty() {
            blocks.push(cur);
        }
        let mut rows: Vec<Row> = Vec::new();
        for mut block in blocks {
            let mut required = false;
            while block.last().is_some_and(|l| is_required(l)) {
                block.pop();
                required = true;
            }
            let Some(first) = block.first() else {
                if let Some(r) = rows.last_mut() {
                    r.required = true;
                }
                continue;
            };
            let typed_head =
                block.len() >= 2 && is_name(&first.text) && types::looks_like_type(&block[1].text);
            let starts_row = rows.is_empty()
                || typed_head
                || first.text.starts_with("Edge<")
                || (block.len() == 1
                    && is_name(&first.text)
                    && rows.last().is_some_and(|r| !r.description.is_empty()));
            if starts_row {
                if !is_name(&first.text) {
                    self.warn(
                        first.no,
                        format!(
                            "table row does not start with a name: `{}`",
                            clip(&first.text)
                        ),
                    );
                }
                let ty = typed_head.then(|| block[1].text.clone());
                let rest = if typed_head { &block[2..] } else { &block[1..] };
                rows.push(Row {
                    name: first.text.clone(),
                    ty,
                    description: rest.iter().map(|l| l.text.clone()).collect(),
                    required,
                    no: first.no,
                });
            } else if let Some(r) = rows.last_mut() {
                r.description.extend(block.iter().map(|l| l.text.clone()));
                r.required |= required;
            }
        }
        rows
    }

    fn error_rows(&mut self, body: &[Line], header_no: usize, op: &mut OpDraft) {
        let mut rows: Vec<(i64, String, usize)> = Vec::new();
        for l in body.iter().filter(|l| !l.text.is_empty()) {
            let digits = l.text.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                let Ok(code) = l.text[..digits].parse::<i64>() else {
                    self.warn(
                        l.no,
                        format!(
                            "error code `{}` is out of range; row skipped",
                            &l.text[..digits]
                        ),
                    );
                    continue;
                };
                rows.push((code, l.text[digits..].trim().to_string(), l.no));
            } else if let Some(last) = rows.last_mut() {
                if !last.1.is_empty() {
                    last.1.push(' ');
                }
                last.1.push_str(&l.text);
            } else {
                self.warn(
                    l.no,
                    format!(
                        "error table row without a code ignored: `{}`",
                        clip(&l.text)
                    ),
                );
            }
        }
        if rows.is_empty() {
            self.warn(header_no, "error table has a header but no rows");
        }
        for (code, desc, no) in rows {
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

    /// Names the inline enum of `ty` after `owner` and records its values in the document.
    fn typed(&mut self, ty: &str, owner: &str, no: usize) -> String {
        let (ty, e, problem) = types::name_enums(ty, owner);
        if let Some(p) = problem {
            self.warn(no, p);
        }
        if !types::looks_like_type(&ty) && !ty.starts_with("enum ") && !ty.contains("<enum ") {
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
        self.fact("enum", &e.name, no);
        for v in &e.values {
            self.fact("enum", &format!("{} {v}", e.name), no);
        }
        match self.doc.enums.0.iter_mut().find(|(n, _)| *n == e.name) {
            Some((_, values)) => {
                if *values != e.values && !e.values.is_empty() && !values.is_empty() {
                    self.problems.warn(
                        self.file,
                        no,
                        format!(
                            "enum {} is printed twice with different values; the union is kept",
                            e.name
                        ),
                    );
                }
                for v in e.values {
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
            }
            None => self.doc.enums.0.push((e.name, e.values)),
        }
    }

    /// The page's closing "Supported values" notes: pairs of a short title and its text.
    fn supported_values(&mut self) {
        self.i += 1;
        let mut blocks: Vec<(String, usize)> = Vec::new();
        while self.i < self.lines.len() {
            let k = self.i;
            match self.class_at(k, false) {
                Class::Phrase(Phrase::Op(_), _) => break,
                Class::Blank | Class::Phrase(Phrase::Chrome, _) => self.i += 1,
                Class::Phrase(Phrase::ChromeSection, _) => {
                    self.i += 1;
                    self.skip_chrome_list();
                }
                Class::Text | Class::Bullet(_) => {
                    blocks.push((self.line(k).text.clone(), self.line(k).no));
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
        let edge_of = |p: &str| {
            p.split('/')
                .filter(|s| !s.is_empty())
                .nth(1)
                .map(str::to_string)
        };
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
        let node_words = match &edge {
            Some((e, no)) => match title_ends_with(title, e) {
                Some(rest) => rest,
                None => {
                    self.problems.error(
                        self.file,
                        *no,
                        format!("cannot place page: its request path names edge `{e}` but its title `{title}` does not end with it"),
                    );
                    return None;
                }
            },
            None => title.to_string(),
        };
        let node = upper_camel(&node_words);
        if node.is_empty()
            || !node.chars().all(|c| c.is_ascii_alphanumeric())
            || !node.starts_with(|c: char| c.is_ascii_uppercase())
        {
            self.problems.error(
                self.file,
                title_no,
                format!("cannot place page: title `{title}` gives no node name"),
            );
            return None;
        }
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
                let first = p.split('/').find(|s| !s.is_empty()).unwrap_or_default();
                if !first.starts_with('{') && squash(first) != want {
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
        let own_path = match edge {
            Some(e) => format!("/{id}/{e}"),
            None => format!("/{id}"),
        };
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
                    let rest: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).skip(1).collect();
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
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
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
fn version_in(text: &str) -> Option<String> {
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
    let at = text.find("\"/")?;
    let rest = &text[at + 1..];
    let end = rest[1..].find('"')? + 1;
    let path = &rest[..end];
    path.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '{' | '}'))
        .then(|| path.trim_end_matches('/').to_string())
        .filter(|p| p.len() > 1)
}

/// The HTTP method of a code sample line (`curl -X POST`, `HTTPMethod:@"POST"`).
fn sample_method(text: &str) -> Option<String> {
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

fn join(parts: &[String]) -> Option<String> {
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
        let Class::Phrase(Phrase::Pointer(Pointer::Update), caps) = classify(
            &Line {
                no: 1,
                text: line.into(),
                code: false,
            },
            false,
        ) else {
            panic!("not a pointer")
        };
        assert_eq!(cap(&caps, "path"), Some("/{widget_id}/parts"));
        assert_eq!(
            english_pointer(Pointer::Update, &caps).as_deref(),
            Some(line)
        );
        let bad = "You can update a Widget by making a FETCH request to /{widget_id}/parts.";
        assert!(matches!(
            classify(
                &Line {
                    no: 1,
                    text: bad.into(),
                    code: false
                },
                false
            ),
            Class::Text
        ));
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
