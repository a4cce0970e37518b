//! `cargo xtask`: maintainer tasks for waba-api (see `cargo xtask help`).
//!
//! Flags are parsed by hand to keep this crate quick to build.
#![deny(missing_docs)]

mod regen;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask regen --from DIR... [--openapi FILE]... [--out DIR] [--spec DIR] [--check] [--fetch]
       cargo xtask facts PAGE...

  regen   rebuild spec/graph.yaml, spec/nodes/ and spec/edges/ from Meta's reference pages
          (text, Markdown or HTML files in DIR) and Meta's OpenAPI document (the paths
          sources.yaml includes); spec/overlay.yaml is read, never written

  --from DIR   folder of pages and OpenAPI documents; repeatable (with --fetch: the first
               receives the downloads)
  --openapi FILE  an OpenAPI document to read besides the folders'; repeatable
  --out DIR    write the spec there instead of the spec folder
  --spec DIR   the spec folder holding overlay.yaml and sources.yaml (default: <workspace>/spec)
  --check      write nothing; exit 1 with the change report when the spec is not what the pages produce
  --fetch      first download the pages listed in sources.yaml into --from

  facts   print what regen reads from each page or OpenAPI document alone (the format of
          xtask/tests/expected/)

exit status: 0 fresh/written, 1 --check found changes or the result does not validate, 2 errors";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Regen(opts)) => ExitCode::from(regen::run(&opts).code()),
        Ok(Command::Facts(pages)) => ExitCode::from(regen::print_facts(&pages).code()),
        Err(msg) => {
            eprintln!("error: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

enum Command {
    Help,
    Regen(regen::Options),
    Facts(Vec<PathBuf>),
}

/// The workspace root: xtask lives one level below it.
fn project_root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}

fn parse(args: &[String]) -> Result<Command, String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    match cmd.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "regen" => {
            let mut from = Vec::new();
            let mut openapi = Vec::new();
            let mut out = None;
            let mut spec = None;
            let (mut check, mut fetch) = (false, false);
            let mut it = rest.iter();
            while let Some(arg) = it.next() {
                let (flag, inline) = match arg.split_once('=') {
                    Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                    _ => (arg.as_str(), None),
                };
                let mut value = || {
                    inline
                        .clone()
                        .or_else(|| it.next().cloned())
                        .ok_or(format!("{flag} needs a value"))
                };
                match flag {
                    "--from" => from.push(PathBuf::from(value()?)),
                    "--openapi" => openapi.push(PathBuf::from(value()?)),
                    "--out" => out = Some(PathBuf::from(value()?)),
                    "--spec" => spec = Some(PathBuf::from(value()?)),
                    "--check" => check = true,
                    "--fetch" => fetch = true,
                    "-h" | "--help" => return Ok(Command::Help),
                    other => return Err(format!("unknown argument `{other}`")),
                }
            }
            if from.is_empty() {
                return Err("regen needs --from DIR".into());
            }
            Ok(Command::Regen(regen::Options {
                from,
                openapi,
                spec: spec.unwrap_or_else(|| project_root().join("spec")),
                out,
                check,
                fetch,
            }))
        }
        "facts" if !rest.is_empty() => Ok(Command::Facts(rest.iter().map(PathBuf::from).collect())),
        "facts" => Err("facts needs at least one PAGE".into()),
        other => Err(format!("unknown command `{other}`")),
    }
}
