//! Codegen time for the real spec and for synthetic specs 10× and 100× its size.
//!
//! `cargo bench -p waba-codegen --bench codegen [-- --scales 1,10,100 --runs 9]`. A synthetic spec
//! of scale K holds K copies of every node, edge, struct, enum and curated overlay entry of `spec/`, each
//! copy's identifiers renamed (`WhatsAppBusinessAccount` → `WhatsAppBusinessAccountCopy3`,
//! `assigned_users` → `assigned_users_copy3`, `{business_id}` → `{business_copy3_id}`, …), written
//! to a temporary folder; it must validate like the real one. Phases, each timed on its own:
//! read (files + YAML), validate, emit (`quote` tokens), format (`syn` parse + `prettyplease`),
//! and the whole `Config::generate()`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_yaml::Value;
use waba_codegen::spec;

fn value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1).map(String::as_str)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scales: Vec<usize> = value(&args, "--scales")
        .unwrap_or("1,10,100")
        .split(',')
        .map(|s| s.parse().expect("--scales: numbers"))
        .collect();
    let runs: usize = value(&args, "--runs").map_or(9, |r| r.parse().expect("--runs N"));
    let real = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"));
    let tmp = tempfile::tempdir().expect("tempdir");

    println!("{runs} runs per scale (+1 warm-up); median (min–max) in ms");
    println!(
        "| spec | pages | spec bytes | output lines | read+parse | validate | emit tokens | format | generate() total | total per page vs 1× |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut per_page_1x = None;
    for &k in &scales {
        let dir = if k == 1 {
            real.clone()
        } else {
            let d = tmp.path().join(format!("x{k}"));
            synthesize(&real, &d, k);
            d
        };
        let bytes = spec_bytes(&dir);
        let mut phases: [Vec<f64>; 5] = Default::default();
        let mut lines = 0;
        let mut pages = 0;
        for run in 0..=runs {
            let t = Instant::now();
            let (raw, sources) = spec::read_dir(&dir).unwrap_or_else(|d| panic!("{d}"));
            let read = t.elapsed();
            let t = Instant::now();
            let model = spec::validate(&raw, &sources).unwrap_or_else(|d| panic!("{d}"));
            let validate = t.elapsed();
            let t = Instant::now();
            let tokens = waba_codegen::emit::tokens(&model, "crate").expect("tokens");
            let emit = t.elapsed();
            let t = Instant::now();
            let file: syn::File = syn::parse2(tokens).expect("generated code parses");
            let text = prettyplease::unparse(&file);
            let format = t.elapsed();
            let t = Instant::now();
            let out = waba_codegen::Config::new(&dir)
                .generate()
                .unwrap_or_else(|d| panic!("{d}"));
            let total = t.elapsed();
            std::hint::black_box(&text);
            lines = out.code.lines().count();
            pages = raw.pages.len();
            if run == 0 {
                continue; // warm-up: page cache, allocator
            }
            for (v, d) in phases.iter_mut().zip([read, validate, emit, format, total]) {
                v.push(ms(d));
            }
        }
        let cells: Vec<String> = phases
            .iter()
            .map(|v| {
                let (m, lo, hi) = stats(v);
                format!("{m:.2} ({lo:.2}–{hi:.2})")
            })
            .collect();
        let per_page = stats(&phases[4]).0 / pages as f64;
        let base = *per_page_1x.get_or_insert(per_page);
        println!(
            "| {}× | {pages} | {bytes} | {lines} | {} | {:.2}× |",
            k,
            cells.join(" | "),
            per_page / base
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn spec_bytes(dir: &Path) -> u64 {
    let mut n = 0;
    for sub in ["", "nodes", "edges", "structs"] {
        for e in std::fs::read_dir(dir.join(sub))
            .expect("spec dir")
            .flatten()
        {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "yaml") {
                n += e.metadata().map_or(0, |m| m.len());
            }
        }
    }
    n
}

/// Median, min, max.
fn stats(v: &[f64]) -> (f64, f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let n = s.len();
    let median = if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    };
    (median, s[0], s[n - 1])
}

/// Writes a spec `k` times the size of `real` into `out`.
fn synthesize(real: &Path, out: &Path, k: usize) {
    let read = |p: &Path| std::fs::read_to_string(p).expect("spec file");
    let mut pages: Vec<(String, String)> = Vec::new(); // (sub/file name, text)
    for sub in spec::DOC_DIRS {
        let mut files: Vec<_> = std::fs::read_dir(real.join(sub))
            .expect("page dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        files.sort();
        for f in files {
            pages.push((sub.to_string(), read(&f)));
        }
    }
    let overlay_text = read(&real.join(spec::OVERLAY_FILE));
    let overlay: Value = serde_yaml::from_str(&overlay_text).expect("overlay YAML");

    // Identifiers one copy renames: node, enum and edge names, operation names, path parameters.
    let mut camel = BTreeSet::new();
    let mut snake = BTreeSet::new();
    let mut path_params = BTreeSet::new();
    for (_, text) in &pages {
        let doc: Value = serde_yaml::from_str(text).expect("page YAML");
        let name = doc["node"].as_str().or_else(|| doc["struct"].as_str());
        camel.insert(name.expect("node or struct").to_string());
        if let Some(e) = doc["edge"].as_str() {
            snake.insert(e.to_string());
        }
        if let Some(m) = doc["enums"].as_mapping() {
            camel.extend(m.keys().filter_map(Value::as_str).map(str::to_string));
        }
        for op in doc["operations"].as_sequence().into_iter().flatten() {
            path_params.extend(braced(op["path"].as_str().unwrap_or_default()));
        }
    }
    for section in ["nodes", "enums", "variant_names"] {
        if let Some(m) = overlay[section].as_mapping() {
            camel.extend(m.keys().filter_map(Value::as_str).map(str::to_string));
        }
    }
    for op in overlay["operations"].as_sequence().into_iter().flatten() {
        if let Some(n) = op["rust_name"].as_str() {
            camel.insert(n.to_string());
        }
        path_params.extend(braced(op["path"].as_str().unwrap_or_default()));
    }

    let rename = |copy: usize| -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        if copy == 0 {
            return m;
        }
        for c in &camel {
            m.insert(c.clone(), format!("{c}Copy{copy}"));
        }
        for s in &snake {
            m.insert(s.clone(), format!("{s}_copy{copy}"));
        }
        for p in &path_params {
            let stem = p.strip_suffix("_id").unwrap_or(p);
            m.insert(p.clone(), format!("{stem}_copy{copy}_id"));
        }
        m
    };

    for sub in spec::DOC_DIRS {
        std::fs::create_dir_all(out.join(sub)).expect("mkdir");
    }
    std::fs::copy(real.join(spec::GRAPH_FILE), out.join(spec::GRAPH_FILE)).expect("graph.yaml");
    let mut merged = overlay.clone();
    for copy in 0..k {
        let map = rename(copy);
        for (sub, text) in &pages {
            let text = replace_idents(text, &map);
            let doc: Value = serde_yaml::from_str(&text).expect("renamed page YAML");
            let own = doc["node"].as_str().or_else(|| doc["struct"].as_str());
            let mut name = own.expect("node or struct").to_string();
            if let Some(e) = doc["edge"].as_str() {
                name = format!("{name}.{e}");
            }
            std::fs::write(out.join(sub).join(format!("{name}.yaml")), text).expect("write page");
        }
        if copy == 0 {
            continue;
        }
        let o: Value =
            serde_yaml::from_str(&replace_idents(&overlay_text, &map)).expect("renamed overlay");
        for section in ["nodes", "enums", "variant_names"] {
            if let (Some(dst), Some(src)) = (
                merged[section].as_mapping_mut(),
                o[section].as_mapping().cloned(),
            ) {
                dst.extend(src);
            }
        }
        if let (Some(dst), Some(src)) = (
            merged["operations"].as_sequence_mut(),
            o["operations"].as_sequence().cloned(),
        ) {
            dst.extend(src);
        }
        // `errors` name codes, which are global: one copy of them.
    }
    std::fs::write(
        out.join(spec::OVERLAY_FILE),
        serde_yaml::to_string(&merged).expect("overlay YAML"),
    )
    .expect("write overlay");
}

/// The `{name}` parameters of a path.
fn braced(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(p, _)| p.to_string()))
        .collect()
}

/// Replaces whole identifiers (maximal runs of ASCII letters, digits and `_`) found in `map`.
fn replace_idents(text: &str, map: &BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let word = &rest[..end];
        out.push_str(map.get(word).map_or(word, String::as_str));
        rest = &rest[end..];
    }
    out
}
