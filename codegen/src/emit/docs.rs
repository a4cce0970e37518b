//! Rustdoc text for generated items, from the spec's descriptions.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line of `text`.
pub(crate) fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| format!(" {l}").trim_end().to_string());
    quote! { #( #[doc = #lines] )* }
}

/// A description as a doc paragraph: first letter upper case, ends with a full stop, square
/// brackets escaped (rustdoc would read them as links) and bare URLs turned into autolinks.
pub(crate) fn sentence(text: &str) -> String {
    let escaped = text.trim().replace('[', "\\[").replace(']', "\\]");
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
    }
}
