//! Fuzzing of the spec loader and validator: the real `spec/` files, one of them mutated per
//! case (line edits, YAML token splices, truncation, value edits on the parsed YAML), go through
//! the loader's `parse_yaml` and the validator exactly as `spec::load` runs them; a spec that
//! still validates is also emitted as Rust.
//!
//! Properties, for every input: no panic, no hang; a rejected spec yields at least one located
//! diagnostic whose line lies inside the file.
//!
//! The struct fixture (`tests/fixtures/structs`: value types, maps, oneOf types, JSON bodies)
//! is fuzzed the same way (`fuzz_struct_fixture`), its `structs/` documents included.
//!
//! Size: `WABA_FUZZ_CASES` (default 5,000). Crashing inputs found so far are kept under
//! `tests/regressions/spec/<spec file name>/` and replayed first.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use waba_codegen::spec::raw::{GraphDoc, Overlay, PageDoc, StructDoc};
use waba_codegen::spec::{
    DOC_DIRS, GRAPH_FILE, OVERLAY_FILE, RawSpec, STRUCTS_DIR, Sources, parse_yaml, validate,
};

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn struct_fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/structs")
}

/// The real spec's files: (path, text), graph and overlay first.
fn spec_files() -> Vec<(PathBuf, String)> {
    files_of(&spec_dir())
}

/// A spec folder's files: (path, text), graph and overlay first.
fn files_of(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = vec![dir.join(GRAPH_FILE), dir.join(OVERLAY_FILE)];
    for sub in DOC_DIRS {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut more: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        more.sort();
        files.extend(more);
    }
    files
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p).unwrap();
            (p, t)
        })
        .collect()
}

const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "  ",
    "\t",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "<<: *a",
    "!!binary ",
    "!tag ",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "'",
    "\"",
    "\\",
    "# ",
    "~",
    "null",
    "0x1F",
    ".inf",
    "-.nan",
    "9223372036854775808",
    "-1",
    "0",
    "yes",
    "\n",
    "\r\n",
    "\u{feff}",
    "é",
    "𝄞",
    "必填",
    "name: ",
    "type: ",
    "required: ",
    "params:\n",
    "fields:\n",
    "enums:\n",
    "returns: ",
    "errors:\n",
    "path: ",
    "method: ",
    "edge: ",
    "node: ",
    "kind: ",
    "creates: ",
    "operations:\n",
    "list<string>",
    "list<",
    "enum {A, B}",
    "enum {",
    "map<string, int>",
    "Struct {",
    "int64",
    "AssignedUser",
    "WhatsAppBusinessAccount",
    "/{id}/",
    "/{",
    "{whats_app_business_account_id}",
    "POST",
    "GET",
    "DELETE",
    "read",
    "create",
    "80008",
    "rust_name: ",
    "rust_names:\n",
    "variant_names:\n",
    "field_types:\n",
    "external: true",
    "always: true",
    "idempotent: true",
];

#[derive(Debug, Clone)]
struct Edit {
    kind: u8,
    at: u32,
    len: u16,
    token: u16,
}

fn edit() -> impl Strategy<Value = Edit> {
    (any::<u8>(), any::<u32>(), any::<u16>(), any::<u16>()).prop_map(|(kind, at, len, token)| {
        Edit {
            kind,
            at,
            len,
            token,
        }
    })
}

fn floor_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Applies text edits (characters and whole lines) and value edits on the parsed YAML.
fn mutate(seed: &str, edits: &[Edit]) -> String {
    let mut s = seed.to_string();
    for e in edits {
        let tok = TOKENS[e.token as usize % TOKENS.len()];
        let at = floor_char(&s, e.at as usize % (s.len() + 1));
        let end = floor_char(&s, at + (e.len as usize % 40));
        let mut lines: Vec<String> = s.lines().map(str::to_string).collect();
        let nl = lines.len().max(1);
        let li = e.at as usize % nl;
        let lj = e.len as usize % nl;
        match e.kind % 12 {
            0 => s.insert_str(at, tok),
            1 => s.replace_range(at..end, ""),
            2 => s.replace_range(at..end, tok),
            3 => s.truncate(at),
            4 if !lines.is_empty() => {
                lines.remove(li);
                s = lines.join("\n");
            }
            5 if !lines.is_empty() => {
                let l = lines[li].clone();
                lines.insert(lj.min(lines.len()), l);
                s = lines.join("\n");
            }
            6 if !lines.is_empty() => {
                lines.swap(li, lj);
                s = lines.join("\n");
            }
            7 if !lines.is_empty() => {
                // Indent or dedent a line.
                let l = &mut lines[li];
                if e.token % 2 == 0 {
                    l.insert_str(0, &" ".repeat(1 + e.len as usize % 4));
                } else {
                    let n = l.len() - l.trim_start().len();
                    l.replace_range(..n.min(1 + e.len as usize % 4), "");
                }
                s = lines.join("\n");
            }
            8 => s.insert_str(at, &tok.repeat(e.len as usize % 2_000)),
            9 => {
                let dup = s[at..end].to_string();
                s.insert_str(end, &dup);
            }
            _ => {
                if let Ok(mut v) = serde_yaml::from_str::<serde_yaml::Value>(&s) {
                    let mut k = e.at as usize % 200;
                    let with = value_for(tok, e.len);
                    if replace_nth(&mut v, &mut k, &with)
                        && let Ok(t) = serde_yaml::to_string(&v)
                    {
                        s = t;
                    }
                }
            }
        }
    }
    s
}

fn value_for(tok: &str, n: u16) -> serde_yaml::Value {
    use serde_yaml::Value;
    match n % 7 {
        0 => serde_yaml::from_str(tok).unwrap_or_else(|_| Value::String(tok.into())),
        1 => Value::String(tok.into()),
        2 => Value::Number((i64::MAX - i64::from(n)).into()),
        3 => Value::Bool(n & 1 == 0),
        4 => Value::Sequence(vec![Value::String(tok.into()); 1 + n as usize % 3]),
        5 => {
            let mut m = serde_yaml::Mapping::new();
            m.insert(Value::String(tok.into()), Value::Null);
            Value::Mapping(m)
        }
        _ => Value::Null,
    }
}

fn replace_nth(v: &mut serde_yaml::Value, k: &mut usize, with: &serde_yaml::Value) -> bool {
    if *k == 0 {
        *v = with.clone();
        return true;
    }
    *k -= 1;
    match v {
        serde_yaml::Value::Sequence(a) => a.iter_mut().any(|x| replace_nth(x, k, with)),
        serde_yaml::Value::Mapping(m) => m.iter_mut().any(|(_, x)| replace_nth(x, k, with)),
        serde_yaml::Value::Tagged(t) => replace_nth(&mut t.value, k, with),
        _ => false,
    }
}

/// A spec file, as text and as the loader parses it.
struct File {
    path: PathBuf,
    text: String,
    doc: Doc,
}

#[derive(Clone)]
enum Doc {
    Graph(GraphDoc),
    Overlay(Overlay),
    Page(PageDoc),
    Struct(StructDoc),
}

fn parse(path: &Path, text: &str) -> Result<Doc, waba_codegen::Diagnostic> {
    let name = path.file_name().unwrap().to_string_lossy();
    if name == GRAPH_FILE {
        parse_yaml::<GraphDoc>(path, text).map(Doc::Graph)
    } else if name == OVERLAY_FILE {
        parse_yaml::<Overlay>(path, text).map(Doc::Overlay)
    } else if path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == STRUCTS_DIR)
    {
        parse_yaml::<StructDoc>(path, text).map(Doc::Struct)
    } else {
        parse_yaml::<PageDoc>(path, text).map(Doc::Page)
    }
}

fn parsed(files: Vec<(PathBuf, String)>) -> Vec<File> {
    files
        .into_iter()
        .map(|(path, text)| {
            let doc = parse(&path, &text).unwrap();
            File { path, text, doc }
        })
        .collect()
}

/// The last line a diagnostic of `text` may name: YAML breaks lines at `\r\n`, `\r` and `\n`
/// (Rust's `lines()` does not count a lone `\r`), and libyaml reports an error found at the
/// end of the input on the line after the last one.
fn last_line(text: &str) -> usize {
    let b = text.as_bytes();
    let breaks = (0..b.len())
        .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
        .count();
    breaks + 2
}

/// The loader's and validator's work on the spec with `files[which]` replaced by `text`.
/// Returns whether the result validated.
fn check(files: &[File], which: usize, text: &str, emit: bool) -> bool {
    let mut raw = RawSpec::default();
    let mut sources = Sources::default();
    let lines = last_line(text);
    let path = &files[which].path;
    let mutated = match parse(path, text) {
        Ok(d) => d,
        Err(d) => {
            let _ = d.to_string();
            assert!(d.line <= lines, "{d} is past the end");
            return false;
        }
    };
    for (i, f) in files.iter().enumerate() {
        let (t, doc) = if i == which {
            (text, mutated.clone())
        } else {
            (f.text.as_str(), f.doc.clone())
        };
        sources.add(f.path.clone(), t.to_string());
        match doc {
            Doc::Graph(d) => raw.graph = Some((f.path.clone(), d)),
            Doc::Overlay(d) => raw.overlay = Some((f.path.clone(), d)),
            Doc::Page(d) => raw.pages.push((f.path.clone(), d)),
            Doc::Struct(d) => raw.structs.push((f.path.clone(), d)),
        }
    }
    let lines = |p: &Path| sources.text(p).map_or(0, last_line);
    match validate(&raw, &sources) {
        Ok(spec) => {
            if emit {
                // The emitter may reject what it cannot render, but must not panic.
                let _ = waba_codegen::emit::render(&spec, "crate");
            }
            true
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "rejected without a diagnostic");
            for d in &diags.0 {
                let _ = d.to_string();
                assert!(d.line <= lines(&d.file), "{d} is past the end");
            }
            false
        }
    }
}

fn cases(default: u32) -> u32 {
    std::env::var("WABA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

#[test]
fn real_spec_validates_through_the_harness() {
    let files = parsed(spec_files());
    for (i, f) in files.iter().enumerate() {
        assert!(check(&files, i, &f.text, true), "{}", f.path.display());
    }
}

/// Replays kept crashing inputs: `tests/regressions/spec/<spec file name>/<case>.yaml` replaces
/// the spec file of that name (e.g. `overlay.yaml/1.yaml`).
#[test]
fn regressions_spec() {
    let files = parsed(spec_files());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/spec");
    let mut n = 0;
    for (which, f) in files.iter().enumerate() {
        let Ok(entries) = std::fs::read_dir(dir.join(f.path.file_name().unwrap())) else {
            continue;
        };
        for entry in entries {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            check(&files, which, &text, true);
            n += 1;
        }
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}

#[test]
fn struct_fixture_validates_through_the_harness() {
    let files = parsed(files_of(&struct_fixture_dir()));
    assert!(files.iter().any(|f| matches!(f.doc, Doc::Struct(_))));
    for (i, f) in files.iter().enumerate() {
        assert!(check(&files, i, &f.text, true), "{}", f.path.display());
    }
}

#[test]
fn fuzz_spec() {
    fuzz("fuzz_spec", &parsed(spec_files()));
}

#[test]
fn fuzz_struct_fixture() {
    fuzz(
        "fuzz_struct_fixture",
        &parsed(files_of(&struct_fixture_dir())),
    );
}

fn fuzz(name: &str, files: &[File]) {
    let n = cases(5_000);
    let mut runner = TestRunner::new(Config {
        cases: n,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        max_shrink_iters: 5_000,
        ..Config::default()
    });
    let count = files.len();
    let strategy = (0..count, prop::collection::vec(edit(), 1..6), any::<u8>());
    let started = std::time::Instant::now();
    let valid = std::cell::Cell::new(0u32);
    let result = runner.run(&strategy, |(which, edits, flags)| {
        let text = mutate(&files[which].text, &edits);
        if check(files, which, &text, flags % 64 == 0) {
            valid.set(valid.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "{name}: {n} executions in {:.1?} ({} still valid), no failure",
        started.elapsed(),
        valid.get()
    );
}
