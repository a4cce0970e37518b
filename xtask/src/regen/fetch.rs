//! `spec/sources.yaml` ([`load`]) and `regen --fetch`: downloads the pages and OpenAPI documents
//! it lists into the `--from` folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::diag::Problems;

/// `spec/sources.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    #[serde(default)]
    pages: Vec<SourcePage>,
    /// OpenAPI documents.
    #[serde(default)]
    pub openapi: Vec<SourceOpenApi>,
}

/// One OpenAPI document: where it lies in a `--from` folder, where `--fetch` gets it, and which
/// of its paths regen reads.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceOpenApi {
    /// File name inside a `--from` folder.
    pub path: String,
    /// Public URL.
    pub url: String,
    /// Path patterns read (`*` one segment, `**` any); empty: all.
    #[serde(default)]
    pub include: Vec<String>,
    /// Path patterns not read.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// Reads `sources.yaml`; problems name its line.
pub fn load(sources: &Path, problems: &mut Problems) -> Option<(String, SourcesFile)> {
    let text = match std::fs::read_to_string(sources) {
        Ok(t) => t,
        Err(e) => {
            problems.error(sources, 0, format!("cannot read the list of sources: {e}"));
            return None;
        }
    };
    match serde_yaml::from_str(&text) {
        Ok(l) => Some((text, l)),
        Err(e) => {
            let line = e.location().map_or(0, |l| l.line());
            problems.error(
                sources,
                line,
                format!("cannot read the list of sources: {e}"),
            );
            None
        }
    }
}

/// One page to download.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcePage {
    url: String,
    locale: String,
}

/// A downloaded page and the locale `sources.yaml` declares for it.
#[derive(Debug)]
pub struct Fetched {
    /// Where it was written.
    pub path: PathBuf,
    /// The declared locale.
    pub locale: String,
}

/// Downloads every page listed in `sources` into `into` as `NNN_<hash of URL>.<ext>` (the
/// extension from the response's content type), replacing files of the same name. Problems
/// name the line of `sources` that lists the page.
pub fn fetch(sources: &Path, into: &Path, problems: &mut Problems) -> Vec<Fetched> {
    let Some((text, list)) = load(sources, problems) else {
        return Vec::new();
    };
    if let Err(e) = std::fs::create_dir_all(into) {
        problems.error(into, 0, format!("cannot create the page folder: {e}"));
        return Vec::new();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            problems.error(
                sources,
                0,
                format!("cannot start the download runtime: {e}"),
            );
            return Vec::new();
        }
    };
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .user_agent("waba-api-xtask-regen")
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            problems.error(sources, 0, format!("cannot build the HTTP client: {e}"));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, page) in list.pages.iter().enumerate() {
        let line = text
            .lines()
            .position(|l| l.contains(&page.url))
            .map_or(0, |p| p + 1);
        if !super::locale::LOCALES.iter().any(|l| l.code == page.locale) {
            problems.warn(
                sources,
                line,
                format!("locale `{}` is not in regen's phrase table", page.locale),
            );
        }
        match runtime.block_on(download(&client, &page.url)) {
            Ok((bytes, ext)) => {
                let path = into.join(format!("{i:03}_{:016x}.{ext}", fnv1a(page.url.as_bytes())));
                match std::fs::write(&path, &bytes) {
                    Ok(()) => out.push(Fetched {
                        path,
                        locale: page.locale.clone(),
                    }),
                    Err(e) => {
                        problems.error(&path, 0, format!("cannot write downloaded page: {e}"))
                    }
                }
            }
            Err(e) => problems.error(sources, line, format!("cannot download {}: {e}", page.url)),
        }
    }
    for doc in &list.openapi {
        let line = text
            .lines()
            .position(|l| l.contains(&doc.url))
            .map_or(0, |p| p + 1);
        let name = Path::new(&doc.path).file_name().map(PathBuf::from);
        let Some(name) = name else {
            problems.error(sources, line, format!("`{}` is no file name", doc.path));
            continue;
        };
        match runtime.block_on(download(&client, &doc.url)) {
            Ok((bytes, _)) => {
                let path = into.join(name);
                if let Err(e) = std::fs::write(&path, &bytes) {
                    problems.error(&path, 0, format!("cannot write downloaded document: {e}"));
                }
            }
            Err(e) => problems.error(sources, line, format!("cannot download {}: {e}", doc.url)),
        }
    }
    out
}

async fn download(
    client: &reqwest::Client,
    url: &str,
) -> Result<(Vec<u8>, &'static str), reqwest::Error> {
    let resp = client.get(url).send().await?.error_for_status()?;
    let ctype = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let ext = if ctype.contains("html") {
        "html"
    } else if ctype.contains("markdown") {
        "md"
    } else {
        "txt"
    };
    Ok((resp.bytes().await?.to_vec(), ext))
}

/// FNV-1a: a stable file name per URL without a hashing dependency.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
