//! Pages rendered from Meta's OpenAPI document (the 2025 reference site).

use std::path::Path;

use super::blocks::Block;
use super::diag::Problems;
use super::page::ParsedPage;

/// Whether the blocks are such a page.
pub fn is_rendered(_blocks: &[Block]) -> bool {
    false
}

/// Reads one.
pub fn parse(_file: &Path, _blocks: &[Block], _problems: &mut Problems) -> Option<ParsedPage> {
    None
}
