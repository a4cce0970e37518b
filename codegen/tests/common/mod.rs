//! Shared by the snapshot tests.

use std::path::Path;

/// Compares `code` with the reviewed snapshot at `path`, or writes it there under `WABA_BLESS`;
/// `test` is the test target that blesses it.
pub fn assert_snapshot(path: &Path, code: &str, test: &str) {
    if std::env::var_os("WABA_BLESS").is_some() {
        std::fs::write(path, code).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != code {
        let first = expected.lines().zip(code.lines()).position(|(a, b)| a != b);
        panic!(
            "generated code differs from {} (first differing line: {:?}).\n\
             Review the change and bless it with `WABA_BLESS=1 cargo test -p waba-codegen --test {test}`.",
            path.display(),
            first.map(|l| l + 1)
        );
    }
}
