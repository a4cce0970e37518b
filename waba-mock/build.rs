//! Compiles the spec into the binary: every YAML file under `spec/` (a symlink to the workspace's
//! spec folder, so that a packaged crate carries its own copy) becomes an `include_str!` entry of
//! `$OUT_DIR/spec_files.rs`, so the mock runs wherever it is installed.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dir = manifest.join("spec");
    let dir = dir.canonicalize().unwrap_or(dir);
    // Cargo scans a directory given here recursively.
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    if let Err(e) = collect(&dir, &mut files) {
        println!(
            "cargo::error=cannot read the spec folder {}: {e}",
            dir.display()
        );
        return;
    }
    files.sort();
    let mut code = String::from(
        "/// (path under spec/, text) of every spec file, in path order.\npub(crate) const SPEC_FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        let rel: Vec<String> = path
            .strip_prefix(&dir)
            .expect("collected under dir")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        code.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            rel.join("/"),
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo")).join("spec_files.rs");
    if std::fs::read_to_string(&out).ok().as_deref() != Some(code.as_str()) {
        std::fs::write(&out, code).expect("OUT_DIR is writable");
    }
}

/// Every `.yaml` file under `dir`, recursively.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}
