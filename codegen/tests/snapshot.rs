//! The generated code of the real spec, kept as a reviewed snapshot: any change to the spec or
//! the generator shows up as a diff of `tests/snapshots/waba_generated.rs`.
//!
//! To accept a change: `WABA_BLESS=1 cargo test -p waba-codegen --test snapshot`, then review
//! and commit the diff. `waba-api` includes this same text, so the snapshot also compiles (its
//! `generated_code_matches_snapshot` test checks they are identical).

mod common;

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn render() -> String {
    match waba_codegen::Config::new(root().join("spec")).generate() {
        Ok(out) => out.code,
        Err(d) => panic!("the real spec has problems:\n{d}"),
    }
}

#[test]
fn generated_code_matches_snapshot() {
    let code = render();
    let path = root().join("codegen/tests/snapshots/waba_generated.rs");
    common::assert_snapshot(&path, &code, "snapshot");
}

#[test]
fn generation_is_deterministic() {
    let first = render();
    for _ in 0..3 {
        assert_eq!(render(), first);
    }
}
