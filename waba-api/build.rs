//! Generates the models and request builders from the YAML spec into `OUT_DIR`.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    // In the workspace `spec` is a symlink to the root `spec/`; in the packaged crate it is a copy.
    let spec_dir = manifest.join("spec");
    // Report the real files (not the symlinked path) so errors point where a maintainer edits.
    let spec_dir = spec_dir.canonicalize().unwrap_or(spec_dir);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("waba_generated.rs");

    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed={}", spec_dir.display());
    match waba_codegen::Config::new(&spec_dir).generate_to(&out) {
        Ok(output) => {
            for input in &output.inputs {
                println!("cargo::rerun-if-changed={}", input.display());
            }
            for sub in waba_codegen::spec::DOC_DIRS {
                println!("cargo::rerun-if-changed={}", spec_dir.join(sub).display());
            }
        }
        Err(e) => {
            // One readable line per problem (file:line:column: message), no panic, no backtrace.
            // `cargo::error` fails the build by itself; exiting 0 keeps cargo from adding a dump
            // of this script's output below the message.
            for line in e.to_string().lines() {
                println!("cargo::error={line}");
            }
        }
    }
}
