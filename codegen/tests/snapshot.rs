//! The generated code of the real spec, kept as a reviewed snapshot: any change to the spec or
//! the generator shows up as a diff of `tests/snapshots/waba_generated.rs`.
//!
//! To accept a change: `WABA_BLESS=1 cargo test -p waba-codegen --test snapshot`, then review
//! and commit the diff. `waba-api` includes this same text, so the snapshot also compiles (its
//! `generated_code_matches_snapshot` test checks they are identical).

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
    if std::env::var_os("WABA_BLESS").is_some() {
        std::fs::write(&path, &code).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != code {
        let first = expected.lines().zip(code.lines()).position(|(a, b)| a != b);
        panic!(
            "generated code differs from {} (first differing line: {:?}).\n\
             Review the change and bless it with `WABA_BLESS=1 cargo test -p waba-codegen --test snapshot`.",
            path.display(),
            first.map(|l| l + 1)
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let first = render();
    for _ in 0..3 {
        assert_eq!(render(), first);
    }
}
