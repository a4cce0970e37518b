//! Conversions from wire names to Rust names, and the checks that they are valid identifiers.

/// `pending_need_more_info` / `MANAGE_TEMPLATES` / `assigned users` → `PendingNeedMoreInfo` /
/// `ManageTemplates` / `AssignedUsers`. Already-camel names (`WhatsAppBusinessAccount`) keep their
/// inner capitals.
pub fn upper_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let all_upper = word.chars().all(|c| !c.is_lowercase());
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            if all_upper {
                out.extend(chars.flat_map(char::to_lowercase));
            } else {
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// `ListAssignedUsers` → `list_assigned_users`; `WABAOnBehalf` → `waba_on_behalf`.
pub fn snake(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_uppercase();
            if i > 0 && (prev_lower || (prev_upper && next_lower)) && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// `assigned_users` → `assigned_user`; `phone_numbers` → `phone_number`.
pub fn singular(s: &str) -> String {
    if let Some(stem) = s.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = s
        .strip_suffix('s')
        .filter(|stem| !stem.ends_with('s') && !stem.ends_with('u'))
    {
        stem.to_string()
    } else {
        s.to_string()
    }
}

/// Rust's strict and reserved keywords (edition 2024): not identifiers unless written `r#…`.
const KEYWORDS: [&str; 52] = [
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `name` is a Rust keyword (a valid identifier only as `r#name`).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Why `name` cannot be a Rust identifier, if it cannot (keywords such as `type` included).
/// Checked by hand rather than with syn so that readers of the spec need no parser.
pub fn ident_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".into());
    }
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c == '_' || c.is_alphabetic());
    let valid = first_ok && name != "_" && chars.all(|c| c == '_' || c.is_alphanumeric());
    if !valid {
        Some(format!("`{name}` is not a valid Rust identifier"))
    } else if KEYWORDS.contains(&name) {
        Some(format!("`{name}` is a Rust keyword"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_names() {
        assert_eq!(upper_camel("pending_need_more_info"), "PendingNeedMoreInfo");
        assert_eq!(upper_camel("MANAGE_TEMPLATES"), "ManageTemplates");
        assert_eq!(upper_camel("assigned_users"), "AssignedUsers");
        assert_eq!(
            upper_camel("WhatsAppBusinessAccount"),
            "WhatsAppBusinessAccount"
        );
        assert_eq!(snake("ListAssignedUsers"), "list_assigned_users");
        assert_eq!(
            snake("WABAOnBehalfOfComputedInfo"),
            "waba_on_behalf_of_computed_info"
        );
        assert_eq!(
            snake("GetWhatsAppBusinessAccount"),
            "get_whats_app_business_account"
        );
        assert_eq!(singular("assigned_users"), "assigned_user");
        assert_eq!(singular("activities"), "activity");
        assert_eq!(singular("status"), "status");
        assert_eq!(ident_problem("type").unwrap(), "`type` is a Rust keyword");
        assert!(ident_problem("1abc").is_some());
        assert!(ident_problem("tasks").is_none());
    }
}
