//! Reading `spec/` from disk: the one place that knows file names and YAML.

use std::path::{Path, PathBuf};

use super::raw::{GraphDoc, Overlay, PageDoc, StructDoc};
use crate::diag::{Diagnostic, Diagnostics, Origin, file_diag};

/// The hand-written overlay file.
pub const OVERLAY_FILE: &str = "overlay.yaml";
/// The page-derived file with API-wide facts.
pub const GRAPH_FILE: &str = "graph.yaml";
/// The list of reference pages `cargo xtask regen --fetch` downloads (not read by codegen).
pub const SOURCES_FILE: &str = "sources.yaml";
/// Folders holding one page-derived document per node or edge.
pub const PAGE_DIRS: [&str; 2] = ["nodes", "edges"];
/// The folder holding one document per value type (`spec/structs/<Name>.yaml`).
pub const STRUCTS_DIR: &str = "structs";
/// Every folder of documents: the page folders and the struct folder.
pub const DOC_DIRS: [&str; 3] = ["nodes", "edges", STRUCTS_DIR];

/// The text of every file read, kept to turn problems into line and column numbers.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<(PathBuf, String)>,
}

impl Sources {
    /// The text of `file`, if it was read.
    pub fn text(&self, file: &Path) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p == file)
            .map(|(_, t)| t.as_str())
    }

    /// Every file read, in reading order (for `cargo:rerun-if-changed`).
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(p, _)| p.as_path())
    }

    /// Records a file's text.
    pub fn add(&mut self, path: PathBuf, text: String) {
        self.files.push((path, text));
    }
}

/// The documents of a spec folder, as written.
#[derive(Debug, Clone, Default)]
pub struct RawSpec {
    /// `graph.yaml`.
    pub graph: Option<(PathBuf, GraphDoc)>,
    /// Node and edge documents, in path order.
    pub pages: Vec<(PathBuf, PageDoc)>,
    /// `overlay.yaml`.
    pub overlay: Option<(PathBuf, Overlay)>,
    /// Value types (`structs/*.yaml`), in path order.
    pub structs: Vec<(PathBuf, StructDoc)>,
}

/// Parses one YAML document, turning serde_yaml's error into a located diagnostic.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        let mut msg = e.to_string();
        // serde_yaml appends the position we already report in front of the message.
        if let Some(cut) = msg.find(" at line ") {
            msg.truncate(cut);
        }
        file_diag(path, line, column, msg)
    })
}

/// Parses one spec document, keeping its text for locations; a problem is recorded in `diags`
/// and gives `None`.
fn parse_doc<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: String,
    diags: &mut Diagnostics,
    sources: &mut Sources,
) -> Option<T> {
    let doc = parse_yaml::<T>(path, &text).map_err(|d| diags.push(d)).ok();
    sources.add(path.to_path_buf(), text);
    doc
}

/// Reads every spec file under `dir`. Collects every problem rather than stopping at the first.
pub fn read_dir(dir: &Path) -> Result<(RawSpec, Sources), Diagnostics> {
    let mut diags = Diagnostics::default();
    let folder_problem = |dir: &Path, e: std::io::Error| {
        file_diag(dir, 0, 0, format!("cannot read spec folder: {e}"))
    };
    let top = match list_yaml(dir) {
        Ok(files) => files,
        Err(e) => {
            diags.push(folder_problem(dir, e));
            return Err(diags);
        }
    };
    let mut paths = top;
    for sub in DOC_DIRS {
        let sub_dir = dir.join(sub);
        if !sub_dir.is_dir() {
            continue;
        }
        match list_yaml(&sub_dir) {
            Ok(files) => paths.extend(files),
            Err(e) => diags.push(folder_problem(&sub_dir, e)),
        }
    }
    // A graph.yaml that is there but unreadable has its own diagnostic already.
    let graph_listed = paths.contains(&dir.join(GRAPH_FILE));
    let mut files = Vec::new();
    for path in paths {
        match read_text(&path) {
            Ok(text) => files.push((path, text)),
            Err(d) => diags.push(d),
        }
    }
    classify(dir, files, graph_listed, diags)
}

/// Reads a spec held in memory (a spec compiled into a binary): `files` are (path relative to
/// the spec folder, with `/` separators, text) pairs; `dir` is the folder named in diagnostics.
pub fn read_texts(dir: &Path, files: &[(&str, &str)]) -> Result<(RawSpec, Sources), Diagnostics> {
    let files: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(rel, text)| {
            (
                rel.split('/').fold(dir.to_path_buf(), |p, s| p.join(s)),
                text.to_string(),
            )
        })
        .collect();
    let graph_listed = files.iter().any(|(p, _)| *p == dir.join(GRAPH_FILE));
    classify(dir, files, graph_listed, Diagnostics::default())
}

/// Sorts the texts of a spec folder into its documents: top-level files first, then the
/// documents under `nodes/`, `edges/` and `structs/`, each in the order given.
fn classify(
    dir: &Path,
    files: Vec<(PathBuf, String)>,
    graph_listed: bool,
    mut diags: Diagnostics,
) -> Result<(RawSpec, Sources), Diagnostics> {
    let mut sources = Sources::default();
    let mut raw = RawSpec::default();
    let (top, pages): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|(p, _)| p.parent() == Some(dir));
    for (path, text) in top {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match name.as_str() {
            GRAPH_FILE => {
                raw.graph = parse_doc::<GraphDoc>(&path, text, &mut diags, &mut sources).map(|doc| (path, doc));
            }
            OVERLAY_FILE => {
                raw.overlay = parse_doc::<Overlay>(&path, text, &mut diags, &mut sources).map(|doc| (path, doc));
            }
            SOURCES_FILE => {}
            _ => diags.push(file_diag(
                &path,
                0,
                0,
                format!(
                    "unknown spec file `{name}`: expected {GRAPH_FILE}, {OVERLAY_FILE}, {SOURCES_FILE} or a document under nodes/, edges/ or structs/"
                ),
            )),
        }
    }
    if !graph_listed {
        diags.push(file_diag(
            &dir.join(GRAPH_FILE),
            0,
            0,
            "missing spec file (it holds the Graph API version)".into(),
        ));
    }
    for sub in PAGE_DIRS {
        let sub_dir = dir.join(sub);
        for (path, text) in pages
            .iter()
            .filter(|(p, _)| p.parent() == Some(sub_dir.as_path()))
        {
            if let Some(doc) = parse_doc::<PageDoc>(path, text.clone(), &mut diags, &mut sources) {
                diags.0.extend(misplaced(path, sub, &doc, &sources));
                raw.pages.push((path.clone(), doc));
            }
        }
    }
    let structs_dir = dir.join(STRUCTS_DIR);
    for (path, text) in pages
        .iter()
        .filter(|(p, _)| p.parent() == Some(structs_dir.as_path()))
    {
        if let Some(doc) = parse_doc::<StructDoc>(path, text.clone(), &mut diags, &mut sources) {
            diags.0.extend(misnamed_struct(path, &doc, &sources));
            raw.structs.push((path.clone(), doc));
        }
    }
    if let Some((path, _)) = pages.iter().find(|(p, _)| {
        !DOC_DIRS
            .iter()
            .any(|sub| p.parent() == Some(dir.join(sub).as_path()))
    }) {
        diags.push(file_diag(
            path,
            0,
            0,
            "spec file outside nodes/, edges/ and structs/".into(),
        ));
    }
    diags.into_result((raw, sources))
}

/// Reads a spec file, locating the first byte that is not UTF-8.
fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| file_diag(path, 0, 0, format!("cannot read spec file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        file_diag(path, line, column, "spec file is not valid UTF-8".into())
    })
}

/// A node document under `edges/` or an edge document under `nodes/`: the folder tells readers
/// (and regen) what a file holds, so it must agree with the document.
fn misplaced(path: &Path, dir: &str, doc: &PageDoc, sources: &Sources) -> Option<Diagnostic> {
    let top = Origin::file(path);
    match (dir, &doc.edge) {
        ("nodes", Some(edge)) => Some(top.at("edge", edge, 0).diagnostic(
            sources,
            format!(
                "edge document (edge `{edge}` of node `{}`) under nodes/: move it to edges/",
                doc.node
            ),
        )),
        ("edges", None) => Some(top.at("node", &doc.node, 0).diagnostic(
            sources,
            format!(
                "node document (node `{}`, no `edge:`) under edges/: move it to nodes/",
                doc.node
            ),
        )),
        _ => None,
    }
}

/// A struct document must be named after its type (`structs/<Name>.yaml`), so that regen and
/// readers find a type's file from its name.
fn misnamed_struct(path: &Path, doc: &StructDoc, sources: &Sources) -> Option<Diagnostic> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned())?;
    (stem != doc.name).then(|| {
        Origin::file(path).at("struct", &doc.name, 0).diagnostic(
            sources,
            format!(
                "struct `{}` is in structs/{stem}.yaml: name the file {}.yaml",
                doc.name, doc.name
            ),
        )
    })
}

/// `*.yaml` files directly in `dir`, sorted by name so the result never depends on the file system.
fn list_yaml(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
