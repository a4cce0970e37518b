//! Types as Meta prints them, and the naming of the enums they print inline.

use waba_codegen::names::{singular, upper_camel};

/// An enum a type printed inline: its name and values (empty for a bare `enum`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineEnum {
    /// UpperCamel name derived from the field or parameter.
    pub name: String,
    /// Values in page order.
    pub values: Vec<String>,
}

const PRIMITIVES: &[&str] = &[
    "string",
    "numeric string",
    "bool",
    "boolean",
    "UID",
    "int",
    "int32",
    "int64",
    "unsigned int32",
    "unsigned int64",
    "uint32",
    "uint64",
    "float",
    "double",
    "datetime",
    "timestamp",
    "json",
    "enum",
];

/// Whether `s` reads as a parameter or field name (`a_b`, `a.b`) or an `Edge<…>` row.
pub fn is_name(s: &str) -> bool {
    s.starts_with("Edge<")
        || (s
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
}

/// Whether `s` reads as a type (so a line under a parameter name is its type, not prose).
pub fn looks_like_type(s: &str) -> bool {
    let s = s.trim();
    if PRIMITIVES.contains(&s) {
        return true;
    }
    for open in [
        "list<", "array<", "map<", "Edge<", "enum {", "enum{", "Struct {", "Struct{",
    ] {
        if s.starts_with(open) {
            return true;
        }
    }
    // A node type name: one UpperCamel word.
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Rewrites the inline enum in `ty` (`enum {a, b}`, or bare `enum`) into a named one, naming it
/// after `owner` (the field or parameter): `tasks` + `array<enum {…}>` → `array<enum Task>`.
/// Returns the rewritten type, the enum, and a problem if the type could not be read fully.
pub fn name_enums(ty: &str, owner: &str) -> (String, Option<InlineEnum>, Option<String>) {
    let t = super::blocks::normalize(ty);
    let Some(at) = find_enum_keyword(&t) else {
        return (t, None, None);
    };
    let before = &t[..at];
    let after = t[at + 4..].trim_start();
    let in_list = before.trim_end().ends_with('<');
    let base = if in_list {
        singular(owner)
    } else {
        owner.to_string()
    };
    let name = upper_camel(&base);
    let (values, rest, problem) = match after.strip_prefix('{') {
        Some(inner) => match inner.find('}') {
            Some(close) => {
                let values: Vec<String> = inner[..close]
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect();
                (values, inner[close + 1..].to_string(), None)
            }
            None => (
                Vec::new(),
                String::new(),
                Some(format!("enum in type `{t}` has no closing `}}`")),
            ),
        },
        None => (Vec::new(), after.to_string(), None),
    };
    let mut problem = problem;
    if name.is_empty() {
        problem = Some(format!(
            "cannot name the enum of type `{t}`: its owner `{owner}` gives no name"
        ));
    }
    if find_enum_keyword(&rest).is_some() {
        problem = Some(format!(
            "type `{t}` prints more than one enum; only the first is named"
        ));
    }
    let rewritten = format!("{before}enum {name}{rest}");
    (rewritten, Some(InlineEnum { name, values }), problem)
}

/// Whether a printed type is an object or a list of objects whose attributes a page may list
/// below it (`JSON object`, `array<JSON object>`).
pub fn is_object(ty: &str) -> bool {
    let (t, _) = normalize(&super::blocks::normalize(ty));
    matches!(t.as_str(), "json" | "list<json>")
}

/// A type as a classic page prints it, in the spec's grammar. A word the grammar cannot read
/// (or reads as a node no page documents: `URI`, `Object`) is rewritten where its meaning is
/// clear enough
/// (`datetime/timestamp` → `datetime`, `URI` → `string`, `JSON object` → `json`, `… ID` →
/// `numeric string`, lists of those → `list<…>`), and the note says what was read into it; the
/// rest is kept as printed (validation names it). `None` when nothing was rewritten.
pub fn normalize(ty: &str) -> (String, Option<String>) {
    let mut notes = Vec::new();
    let out = rewrite(ty.trim(), &mut notes);
    if notes.is_empty() {
        (ty.to_string(), None)
    } else {
        (out, Some(notes.join("; ")))
    }
}

fn rewrite(t: &str, notes: &mut Vec<String>) -> String {
    for open in ["array<", "list<"] {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix('>')) {
            return format!("list<{}>", rewrite(inner.trim(), notes));
        }
    }
    let lower = t.to_ascii_lowercase();
    let (to, why) = match lower.as_str() {
        "datetime/timestamp" | "timestamp" => (
            "datetime",
            "a point in time; whether Graph sends ISO 8601 text or UNIX seconds is not printed",
        ),
        "uri" | "url" => ("string", "a URI, carried as text"),
        "phone number string" => ("string", "a phone number, carried as text"),
        "json object" | "object" => ("json", "the page prints no structure for it"),
        "double" => ("float", "a floating-point number"),
        "integer" => ("int32", "Graph's integers are 32-bit unless printed int64"),
        "uint32" => ("unsigned int32", "the same type, spelled out"),
        "uint64" | "unsigned int64" => (
            "int64",
            "an unsigned 64-bit integer; the grammar has no unsigned 64-bit type",
        ),
        _ if lower.ends_with(" id") => ("numeric string", "a Graph object ID"),
        _ => return t.to_string(),
    };
    notes.push(format!("`{t}` read as `{to}` ({why})"));
    to.to_string()
}

/// Byte offset of the keyword `enum` as a word of `t`.
fn find_enum_keyword(t: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = t[from..].find("enum") {
        let at = from + rel;
        let before_ok = t[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c == '<' || c == ' ' || c == ',');
        let after_ok = t[at + 4..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '{' || c == '>' || c == ',');
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// A return type as printed (`Struct { success: bool, }` over several lines, `List [ … ]`) in
/// canonical one-line form `Struct {success: bool}`, `list<…>`; inline enums of its fields are
/// named after them.
pub fn return_type(text: &str) -> Result<(String, Vec<InlineEnum>), String> {
    let t = super::blocks::normalize(text);
    let Some(at) = t.find("Struct") else {
        if looks_like_type(&t) && !t.contains(' ') || t.starts_with("list<") {
            return Ok((t, Vec::new()));
        }
        return Err(format!("cannot read return type `{t}`"));
    };
    let mut enums = Vec::new();
    let ty = printed(&t[at..], "", &t, &mut enums)?;
    Ok((ty, enums))
}

/// One printed type of a return type `whole`, for the field `owner`.
fn printed(
    t: &str,
    owner: &str,
    whole: &str,
    enums: &mut Vec<InlineEnum>,
) -> Result<String, String> {
    let t = t.trim().trim_end_matches(',').trim();
    let between = |body: &str, open: char, close: char| -> Result<String, String> {
        body.trim()
            .strip_prefix(open)
            .and_then(|b| b.rfind(close).map(|c| b[..c].to_string()))
            .ok_or_else(|| {
                format!("cannot read return type `{whole}`: expected `{open}…{close}` in `{t}`")
            })
    };
    if let Some(body) = t.strip_prefix("Struct") {
        let inner = between(body, '{', '}')?;
        let mut fields = Vec::new();
        for part in split_top_level(&inner) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (name, ty) = part.split_once(':').ok_or_else(|| {
                format!("cannot read `{part}` in return type `{whole}`: expected `name: type`")
            })?;
            let name = name.trim();
            fields.push(format!("{name}: {}", printed(ty, name, whole, enums)?));
        }
        if fields.is_empty() {
            return Err(format!("return type `{whole}` has no fields"));
        }
        return Ok(format!("Struct {{{}}}", fields.join(", ")));
    }
    if let Some(body) = t.strip_prefix("List") {
        let inner = between(body, '[', ']')?;
        return Ok(format!(
            "list<{}>",
            printed(&inner, &singular(owner), whole, enums)?
        ));
    }
    let (ty, e, problem) = name_enums(t, owner);
    if let Some(p) = problem {
        return Err(p);
    }
    enums.extend(e);
    Ok(ty)
}

/// Splits on commas outside `<…>` and `{…}`.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '<' | '{' | '[' => depth += 1,
            '>' | '}' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use waba_codegen::spec::types::Type;

    #[test]
    fn names_inline_enums() {
        let (t, e, p) = name_enums("array<enum {A, B_C}>", "tasks");
        assert_eq!(t, "array<enum Task>");
        assert_eq!(
            e,
            Some(InlineEnum {
                name: "Task".into(),
                values: vec!["A".into(), "B_C".into()]
            })
        );
        assert!(p.is_none());
        let (t, e, _) = name_enums("enum", "ownership_type");
        assert_eq!(t, "enum OwnershipType");
        assert_eq!(e.map(|e| e.values.len()), Some(0));
        assert_eq!(name_enums("numeric string", "x").0, "numeric string");
        assert!(name_enums("enum {A", "x").2.is_some());
    }

    #[test]
    fn normalizes_printed_types_into_the_grammar() {
        // What the grammar reads is kept as printed, synonyms included.
        for t in [
            "int",
            "boolean",
            "array<string>",
            "list<enum Task>",
            "numeric string",
        ] {
            assert_eq!(normalize(t), (t.to_string(), None), "{t}");
        }
        let cases = [
            (
                "datetime/timestamp",
                "datetime",
                "`datetime/timestamp` read as `datetime`",
            ),
            ("URI", "string", "`URI` read as `string` (a URI"),
            ("phone number string", "string", "a phone number"),
            ("JSON object", "json", "no structure"),
            ("Object", "json", "no structure"),
            (
                "array<JSON object>",
                "list<json>",
                "`JSON object` read as `json`",
            ),
            (
                "array<EntWhatsAppBusinessHSM ID>",
                "list<numeric string>",
                "`EntWhatsAppBusinessHSM ID` read as `numeric string` (a Graph object ID)",
            ),
            (
                "whatsapp business hsm ID",
                "numeric string",
                "a Graph object ID",
            ),
            ("uint64", "int64", "no unsigned 64-bit type"),
        ];
        for (printed, want, note) in cases {
            let (got, why) = normalize(printed);
            assert_eq!(got, want, "{printed}");
            let why = why.unwrap_or_default();
            assert!(why.contains(note), "{printed}: {why}");
            assert!(Type::parse(&got).is_ok(), "{got}");
        }
        // Unknown words stay as printed (validation names them); nothing is guessed.
        assert_eq!(
            normalize("frobnicator thing"),
            ("frobnicator thing".into(), None)
        );
    }

    #[test]
    fn reads_struct_return_types() {
        assert_eq!(
            return_type("Struct { success: bool, }").map(|r| r.0),
            Ok("Struct {success: bool}".to_string())
        );
        assert_eq!(
            return_type("Struct {id: numeric string, state: enum {on, off}}").map(|r| r.0),
            Ok("Struct {id: numeric string, state: enum State}".to_string())
        );
        assert!(return_type("Struct {").is_err());
    }
}
