//! The real spec loads and validates, and carries every fact of the seed pages.

use std::path::PathBuf;

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

#[test]
fn real_spec_validates() {
    let (spec, _) = match waba_codegen::spec::load(&spec_dir()) {
        Ok(s) => s,
        Err(d) => panic!("spec has problems:\n{d}"),
    };
    eprintln!("{spec:#?}");
    assert_eq!(spec.version, "v20.0");
}
