//! Fuzzing of the docs importer: Meta's seed pages and real reference pages (`../shared/seeds`,
//! `../shared/pages`, required under `CI=true`) and the fixture pages in every format, mutated line-, token- and byte-wise, go
//! through the importer's whole per-page pipeline: format → lines → page parser → merge with
//! the other pages → YAML rendering.
//!
//! Properties, for every input: no panic, no hang; every problem reported names a line inside
//! the page.
//!
//! Size: `WABA_FUZZ_CASES` (default 1,000). Crashing inputs found so far are kept under
//! `xtask/tests/regressions/pages/` and replayed first.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};

use super::diag::Problems;
use super::{merge, openapi, page, render};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (file name, text) of every seed and fixture page.
fn pages() -> Vec<(String, String)> {
    let mut dirs = vec![
        manifest().join("tests/fixtures/pages/txt"),
        manifest().join("tests/fixtures/pages/md"),
        manifest().join("tests/fixtures/pages/html"),
    ];
    for shared in ["seeds", "pages"] {
        let dir = manifest().join("../../shared").join(shared);
        if dir.is_dir() {
            dirs.push(dir);
        } else {
            // No silent skip: CI must fuzz the real pages.
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{} is missing (CI=true): the fuzzer needs Meta's pages",
                dir.display()
            );
        }
    }
    let mut out = Vec::new();
    for d in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| super::format::Format::of(p).is_some())
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            out.push((name, std::fs::read_to_string(&f).unwrap()));
        }
    }
    out
}

const TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "<td>",
    "</td>",
    "<tr>",
    "<table>",
    "<pre>",
    "</pre>",
    "<code>",
    "<br>",
    "<!--",
    "-->",
    "<![CDATA[",
    "&",
    "&#",
    "&#x",
    "&#x110000;",
    "&#0;",
    "&amp;",
    "&lt;",
    "&nbsp;",
    "&#xD800;",
    "&#99999999999;",
    "<h2>",
    "<li>",
    "<script>",
    "=\"",
    "'",
    "|",
    "||",
    "| --- |",
    "```",
    "~~~",
    "`",
    "#",
    "## ",
    "* ",
    "- ",
    "1. ",
    "> ",
    "[",
    "](",
    "\\",
    "{",
    "}",
    "enum {",
    "Struct {",
    "list<",
    "list<list<",
    "map<",
    "Edge<",
    "/{",
    "}/",
    "/{id}",
    "GET ",
    "POST /",
    "DELETE /",
    "Graph API Reference v20.0",
    "v99.9",
    "Fields",
    "Parameters",
    "Reading",
    "Creating",
    "Updating",
    "Deleting",
    "Edges",
    "Error Codes",
    "Return Type",
    "Required",
    "必填",
    "必須",
    "obligatorio",
    "obrigatório",
    "\u{feff}",
    "\u{a0}",
    "\u{200b}",
    "\t",
    "\r",
    "\n",
    "\n\n",
    "0",
    "-1",
    "99999999999999999999",
    "é",
    "𝄞",
    "ß",
    "•",
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

/// Text edits on characters and whole lines, and splices from other pages.
fn mutate(seed: &str, other: &str, edits: &[Edit]) -> String {
    let mut s = seed.to_string();
    for e in edits {
        let tok = TOKENS[e.token as usize % TOKENS.len()];
        let at = floor_char(&s, e.at as usize % (s.len() + 1));
        let end = floor_char(&s, at + (e.len as usize % 64));
        let mut lines: Vec<&str> = s.lines().collect();
        let nl = lines.len().max(1);
        let li = e.at as usize % nl;
        let lj = e.len as usize % nl;
        let next = match e.kind % 11 {
            0 => {
                s.insert_str(at, tok);
                None
            }
            1 => {
                s.replace_range(at..end, "");
                None
            }
            2 => {
                s.replace_range(at..end, tok);
                None
            }
            3 => {
                s.truncate(at);
                None
            }
            4 if !lines.is_empty() => {
                lines.remove(li);
                Some(lines.join("\n"))
            }
            5 if !lines.is_empty() => {
                let l = lines[li];
                lines.insert(lj.min(lines.len()), l);
                Some(lines.join("\n"))
            }
            6 if !lines.is_empty() => {
                lines.swap(li, lj);
                Some(lines.join("\n"))
            }
            7 => {
                // A line of another page.
                let o: Vec<&str> = other.lines().collect();
                if !o.is_empty() && !lines.is_empty() {
                    lines.insert(li, o[e.len as usize % o.len()]);
                }
                Some(lines.join("\n"))
            }
            8 => {
                s.insert_str(at, &tok.repeat(e.len as usize % 3_000));
                None
            }
            9 => {
                let dup = s[at..end].to_string();
                s.insert_str(end, &dup);
                None
            }
            _ => {
                // A character replaced by an arbitrary one.
                if at < s.len() {
                    let c = char::from_u32(u32::from(e.len) * 17 % 0x3000).unwrap_or('?');
                    let next =
                        floor_char(&s, at + s[at..].chars().next().map_or(0, char::len_utf8));
                    s.replace_range(at..next, &c.to_string());
                }
                None
            }
        };
        if let Some(n) = next {
            s = n;
        }
    }
    s
}

/// The importer's per-page work on `src` read as `name`, merged with `others`.
fn import(name: &str, src: &str, others: &[page::ParsedPage]) {
    let mut problems = Problems::default();
    let parsed = page::read(Path::new(name), src, &mut problems);
    let max_line = src.lines().count() + 1;
    for p in &problems.0 {
        let _ = p.to_string();
        assert!(p.line <= max_line, "{p} is past the end ({max_line} lines)");
    }
    let mut all: Vec<page::ParsedPage> = others.to_vec();
    all.extend(parsed);
    let mut notes = merge::MergeNotes::default();
    let docs = merge::merge(&all, &mut notes);
    let _ = merge::disagreements(&docs);
    for (_, doc) in &docs {
        render(doc).expect("a merged document renders");
    }
}

fn parse_all(pages: &[(String, String)]) -> Vec<page::ParsedPage> {
    pages
        .iter()
        .flat_map(|(name, src)| page::read(Path::new(name), src, &mut Problems::default()))
        .collect()
}

fn cases(default: u32) -> u32 {
    std::env::var("WABA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Replays kept crashing inputs (`tests/regressions/pages/*.{txt,md,html}`).
#[test]
fn regressions_pages() {
    let others = parse_all(&pages());
    let dir = manifest().join("tests/regressions/pages");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let src = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        import(&name, &src, &[]);
        import(&name, &src, &others);
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}

#[test]
fn fuzz_pages() {
    let pages = pages();
    // Merged cases merge with the seeds and fixtures (the corpus pages would make each such
    // case render dozens of documents).
    let small: Vec<(String, String)> = pages
        .iter()
        .filter(|(_, src)| src.len() < 20_000)
        .cloned()
        .collect();
    let parsed = parse_all(&small);
    let n = cases(1_000);
    let mut runner = TestRunner::new(Config {
        cases: n,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        max_shrink_iters: 5_000,
        ..Config::default()
    });
    let strategy = (
        0..pages.len(),
        0..pages.len(),
        0usize..3,
        prop::collection::vec(edit(), 1..8),
        any::<u8>(),
    );
    let started = std::time::Instant::now();
    let slowest = std::cell::RefCell::new((std::time::Duration::ZERO, 0, String::new()));
    let result = runner.run(&strategy, |(which, other, as_format, edits, merged)| {
        let (name, src) = &pages[which];
        let text = mutate(src, &pages[other].1, &edits);
        // Mostly in its own format, sometimes read as another one.
        let name = match as_format {
            0 | 1 => name.clone(),
            _ => format!("{name}.{}", ["txt", "md", "html", "mdx"][other % 4]),
        };
        let t = std::time::Instant::now();
        // One case in eight is merged with every other page (slower: it renders them all).
        import(&name, &text, if merged % 8 == 0 { &parsed } else { &[] });
        let took = t.elapsed();
        if took > slowest.borrow().0 {
            *slowest.borrow_mut() = (took, text.len(), name.clone());
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "fuzz_pages: {n} executions in {:.1?} over {} pages, no failure; slowest case {:?}",
        started.elapsed(),
        pages.len(),
        slowest.borrow()
    );
}

/// Arbitrary bytes (read lossily) as a page of each format.
#[test]
fn fuzz_bytes() {
    let mut runner = TestRunner::new(Config {
        cases: cases(600),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    });
    let strategy = (0usize..3, prop::collection::vec(any::<u8>(), 0..400));
    let result = runner.run(&strategy, |(format, bytes)| {
        let name = ["x.txt", "x.md", "x.html"][format];
        import(name, &String::from_utf8_lossy(&bytes), &[]);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Replacements the OpenAPI fuzzer puts in place of a subtree.
const OPENAPI_SUBTREES: &[&str] = &[
    "null",
    "7",
    "x",
    "[]",
    "{}",
    "{$ref: '#/paths'}",
    "{$ref: '#/components/schemas/Loop'}",
    "{$ref: '#/'}",
    "{$ref: '#/components/schemas/~2'}",
    "{type: array}",
    "{type: [null, integer]}",
    "{allOf: [{$ref: '#/components/schemas/Loop'}, 3]}",
    "{oneOf: []}",
    "{enum: [1, null, {a: b}]}",
    "{properties: {a: {$ref: '#/components/schemas/Thing'}}}",
    "{content: {application/json: {schema: {type: object, additionalProperties: true}}}}",
];

/// Every node of `v` as a path of keys/indices.
fn node_paths(
    v: &serde_yaml::Value,
    here: &mut Vec<serde_yaml::Value>,
    out: &mut Vec<Vec<serde_yaml::Value>>,
) {
    out.push(here.clone());
    match v {
        serde_yaml::Value::Mapping(m) => {
            for (k, c) in m {
                here.push(k.clone());
                node_paths(c, here, out);
                here.pop();
            }
        }
        serde_yaml::Value::Sequence(s) => {
            for (i, c) in s.iter().enumerate() {
                here.push(serde_yaml::Value::from(i as u64));
                node_paths(c, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'v>(
    v: &'v mut serde_yaml::Value,
    path: &[serde_yaml::Value],
) -> Option<&'v mut serde_yaml::Value> {
    let Some((k, rest)) = path.split_first() else {
        return Some(v);
    };
    let next = match v {
        serde_yaml::Value::Mapping(m) => m.get_mut(k)?,
        serde_yaml::Value::Sequence(s) => s.get_mut(usize::try_from(k.as_u64()?).ok()?)?,
        _ => return None,
    };
    node_mut(next, rest)
}

/// The OpenAPI reader on its fixture mutated structurally (subtrees replaced by odd values or
/// by other subtrees) and textually: no panic, no hang, and a merge and render of what it gives.
#[test]
fn fuzz_openapi() {
    let seed: serde_yaml::Value = serde_yaml::from_str(openapi::tests::DOC).unwrap();
    let mut paths = Vec::new();
    node_paths(&seed, &mut Vec::new(), &mut paths);
    let mut runner = TestRunner::new(Config {
        cases: cases(1_000),
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    });
    let strategy = (
        prop::collection::vec((any::<usize>(), any::<usize>(), any::<bool>()), 1..6),
        prop::collection::vec(edit(), 0..3),
    );
    let filter = openapi::PathFilter::default();
    let result = runner.run(&strategy, |(swaps, edits)| {
        let mut doc = seed.clone();
        for (at, with, other) in swaps {
            let replacement = if other {
                node_mut(&mut seed.clone(), &paths[with % paths.len()]).map(|v| v.clone())
            } else {
                serde_yaml::from_str(OPENAPI_SUBTREES[with % OPENAPI_SUBTREES.len()]).ok()
            };
            if let (Some(slot), Some(r)) =
                (node_mut(&mut doc, &paths[at % paths.len()]), replacement)
            {
                *slot = r;
            }
        }
        let text = serde_yaml::to_string(&doc).unwrap_or_default();
        let text = mutate(&text, openapi::tests::DOC, &edits);
        let mut problems = Problems::default();
        let read = openapi::read(Path::new("api.yaml"), &text, &filter, &mut problems);
        for p in &problems.0 {
            let _ = p.to_string();
        }
        let mut notes = merge::MergeNotes::default();
        let docs = merge::merge(&read.pages, &mut notes);
        let _ = merge::disagreements(&docs);
        for (_, d) in &docs {
            render(d).expect("a merged document renders");
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
