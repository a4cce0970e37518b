//! Rustdoc text for generated items, from the spec's descriptions.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line of `text`.
pub(crate) fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| format!(" {l}").trim_end().to_string());
    quote! { #( #[doc = #lines] )* }
}

/// A description as a doc paragraph: first letter upper case, ends with a full stop, square
/// brackets escaped (rustdoc would read them as intra-doc links) except in Markdown links to a
/// web page, and bare URLs turned into autolinks.
pub(crate) fn sentence(text: &str) -> String {
    let escaped = escape_brackets(text.trim());
    let words: Vec<String> = escaped.split(' ').map(autolink).collect();
    let mut out = words.join(" ");
    if let Some(first) = out.chars().next() {
        out = first.to_uppercase().chain(out.chars().skip(1)).collect();
    }
    if !out.is_empty() && !out.ends_with(['.', '!', '?', ')', '>']) {
        out.push('.');
    }
    out
}

/// `text` with `[` and `]` escaped, except around `[label](http…)` links, kept as they are.
fn escape_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '['
            && let Some(link) = web_link(rest)
        {
            out.push_str(&rest[..link]);
            rest = &rest[link..];
            continue;
        }
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of the `[label](http…)` link `s` starts with, if it starts with one.
fn web_link(s: &str) -> Option<usize> {
    let close = s.find(']')?;
    let label = &s[1..close];
    let target = s[close + 1..].strip_prefix('(')?;
    if label.contains('[') || !target.starts_with("http") {
        return None;
    }
    let end = target.find(')')?;
    let url = &target[..end];
    (!url.contains(char::is_whitespace)).then_some(close + 2 + end + 1)
}

fn autolink(word: &str) -> String {
    if !word.starts_with("https://") {
        return word.to_string();
    }
    let url = word.trim_end_matches(['.', ',']);
    format!("<{url}>{}", &word[url.len()..])
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn sentences() {
        assert_eq!(sentence("business"), "Business.");
        assert_eq!(sentence("See [x]."), "See \\[x\\].");
        assert_eq!(
            sentence("refer to https://a.b/c."),
            "Refer to <https://a.b/c>."
        );
        assert_eq!(
            sentence("Guide: [Message Templates](https://a.b/t) and [x] (y)"),
            "Guide: [Message Templates](https://a.b/t) and \\[x\\] (y)"
        );
        assert_eq!(sentence("[a](b c)"), "\\[a\\](b c)");
    }
}
