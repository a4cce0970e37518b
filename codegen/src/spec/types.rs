//! The type grammar of the spec: the types Meta prints on its reference pages.

use std::fmt;

/// A spec type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// `string`
    String,
    /// `numeric string`: a decimal number sent as a string (IDs, funding IDs).
    NumericString,
    /// `UID`: a user or object ID.
    Id,
    /// `bool` / `boolean`
    Bool,
    /// `int32`
    Int32,
    /// `unsigned int32`
    UInt32,
    /// `int64`
    Int64,
    /// `float`
    Float,
    /// `datetime`: Graph's `2017-04-06T22:04:21+0000` text.
    DateTime,
    /// `json`: any JSON value (curated; for fields whose shape the pages leave open).
    Json,
    /// `list<T>` / `array<T>`
    List(Box<Type>),
    /// `enum Name`: a named enum of the spec.
    Enum(String),
    /// `map<string, T>`: a JSON object with string keys and values of one type.
    Map(Box<Type>),
    /// A node type name, e.g. `WABAOnBehalfOfComputedInfo`. The parser gives every bare
    /// UpperCamel name as a node; validation turns the names of `structs/` documents into
    /// [`Type::Object`].
    Node(String),
    /// A named value type of `spec/structs/` (fields, or `oneOf` alternatives).
    Object(String),
    /// `Struct {name: type, …}`: an anonymous return structure.
    Struct(Vec<(String, Type)>),
}

impl Type {
    /// Parses a type as written in the spec.
    pub fn parse(text: &str) -> Result<Type, String> {
        let mut p = Parser {
            s: text,
            pos: 0,
            depth: 0,
        };
        let ty = p.ty()?;
        p.skip_ws();
        if p.pos != p.s.len() {
            return Err(format!(
                "unexpected `{}` after type in `{text}`",
                &p.s[p.pos..]
            ));
        }
        Ok(ty)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::NumericString => f.write_str("numeric string"),
            Type::Id => f.write_str("UID"),
            Type::Bool => f.write_str("bool"),
            Type::Int32 => f.write_str("int32"),
            Type::UInt32 => f.write_str("unsigned int32"),
            Type::Int64 => f.write_str("int64"),
            Type::Float => f.write_str("float"),
            Type::DateTime => f.write_str("datetime"),
            Type::Json => f.write_str("json"),
            Type::List(t) => write!(f, "list<{t}>"),
            Type::Map(t) => write!(f, "map<string, {t}>"),
            Type::Enum(n) => write!(f, "enum {n}"),
            Type::Node(n) | Type::Object(n) => f.write_str(n),
            Type::Struct(fs) => {
                f.write_str("Struct {")?;
                for (i, (n, t)) in fs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, " {n}: {t}")?;
                }
                f.write_str(" }")
            }
        }
    }
}

/// How deep `list<…>` and `Struct {…}` may nest. Meta's types nest two levels at most; the limit
/// turns a runaway type into an error instead of a stack overflow.
const MAX_DEPTH: usize = 16;

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn skip_ws(&mut self) {
        while self.s[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.s[self.pos..].chars().next().map_or(1, char::len_utf8);
        }
    }

    fn eat(&mut self, tok: &str) -> bool {
        self.skip_ws();
        if self.s[self.pos..].starts_with(tok) {
            self.pos += tok.len();
            true
        } else {
            false
        }
    }

    fn word(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let rest: &'a str = &self.s[self.pos..];
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some(&rest[..len])
    }

    fn ty(&mut self) -> Result<Type, String> {
        if self.depth == MAX_DEPTH {
            return Err(format!(
                "type nests deeper than {MAX_DEPTH} levels in `{}`",
                self.s
            ));
        }
        self.depth += 1;
        let ty = self.ty_inner();
        self.depth -= 1;
        ty
    }

    fn ty_inner(&mut self) -> Result<Type, String> {
        let start = self.pos;
        let Some(word) = self.word() else {
            return Err(format!("expected a type in `{}`", self.s));
        };
        Ok(match word {
            "string" => Type::String,
            "numeric" => {
                if self.word() != Some("string") {
                    return Err(format!("expected `numeric string` in `{}`", self.s));
                }
                Type::NumericString
            }
            "unsigned" => {
                if self.word() != Some("int32") {
                    return Err(format!("expected `unsigned int32` in `{}`", self.s));
                }
                Type::UInt32
            }
            "UID" => Type::Id,
            "bool" | "boolean" => Type::Bool,
            "int32" | "int" => Type::Int32,
            "int64" => Type::Int64,
            "float" => Type::Float,
            "datetime" => Type::DateTime,
            "json" => Type::Json,
            "list" | "array" => {
                if !self.eat("<") {
                    return Err(format!("expected `<` after `{word}` in `{}`", self.s));
                }
                let inner = self.ty()?;
                if !self.eat(">") {
                    return Err(format!("expected `>` in `{}`", self.s));
                }
                Type::List(Box::new(inner))
            }
            "map" => {
                if !self.eat("<") {
                    return Err(format!("expected `<` after `map` in `{}`", self.s));
                }
                if self.word() != Some("string") || !self.eat(",") {
                    return Err(format!(
                        "expected `map<string, T>` (JSON object keys are strings) in `{}`",
                        self.s
                    ));
                }
                let inner = self.ty()?;
                if !self.eat(">") {
                    return Err(format!("expected `>` in `{}`", self.s));
                }
                Type::Map(Box::new(inner))
            }
            "enum" => {
                self.skip_ws();
                if self.s[self.pos..].starts_with('{') {
                    return Err(format!(
                        "inline enum in `{}`: declare its values under `enums:` and write `enum Name`",
                        self.s
                    ));
                }
                match self.word() {
                    Some(name) => Type::Enum(name.to_string()),
                    None => return Err(format!("`enum` without a name in `{}`", self.s)),
                }
            }
            "Struct" => {
                if !self.eat("{") {
                    return Err(format!("expected `{{` after `Struct` in `{}`", self.s));
                }
                let mut fields = Vec::new();
                loop {
                    if self.eat("}") {
                        break;
                    }
                    let Some(name) = self.word().map(str::to_string) else {
                        return Err(format!("expected a field name in `{}`", self.s));
                    };
                    if !self.eat(":") {
                        return Err(format!("expected `:` after `{name}` in `{}`", self.s));
                    }
                    fields.push((name, self.ty()?));
                    if !self.eat(",") && !self.s[self.pos..].trim_start().starts_with('}') {
                        return Err(format!("expected `,` or `}}` in `{}`", self.s));
                    }
                }
                Type::Struct(fields)
            }
            w if w.starts_with(|c: char| c.is_ascii_uppercase()) => Type::Node(w.to_string()),
            w => {
                self.pos = start;
                return Err(format!("unknown type `{w}`"));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Type;

    #[test]
    fn parses_meta_types() {
        assert_eq!(Type::parse("numeric string"), Ok(Type::NumericString));
        assert_eq!(Type::parse("unsigned int32"), Ok(Type::UInt32));
        assert_eq!(
            Type::parse("array<enum Task>"),
            Ok(Type::List(Box::new(Type::Enum("Task".into()))))
        );
        assert_eq!(
            Type::parse("Struct {success: bool,}"),
            Ok(Type::Struct(vec![("success".into(), Type::Bool)]))
        );
        assert_eq!(
            Type::parse("Struct {id: numeric string}"),
            Ok(Type::Struct(vec![("id".into(), Type::NumericString)]))
        );
        assert!(Type::parse("list<string").is_err());
        assert!(
            Type::parse("enum {A, B}")
                .unwrap_err()
                .contains("inline enum")
        );
        assert!(
            Type::parse("strng")
                .unwrap_err()
                .contains("unknown type `strng`")
        );
        let deep = format!("{}string{}", "list<".repeat(100_000), ">".repeat(100_000));
        assert!(
            Type::parse(&deep)
                .unwrap_err()
                .starts_with("type nests deeper than 16 levels")
        );
        assert_eq!(
            Type::parse("map<string, list<Button>>"),
            Ok(Type::Map(Box::new(Type::List(Box::new(Type::Node(
                "Button".into()
            ))))))
        );
        assert!(
            Type::parse("map<int32, string>")
                .unwrap_err()
                .contains("map<string, T>")
        );
        assert!(Type::parse("map<string, bool").is_err());
        for t in [
            "map<string, int64>",
            "list<string>",
            "enum Task",
            "Struct { success: bool }",
            "numeric string",
        ] {
            assert_eq!(Type::parse(t).unwrap().to_string(), t);
        }
    }
}
