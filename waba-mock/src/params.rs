//! Request parameters: gathered from the query string and the body, checked against spec types.

use serde_json::Value;
use waba_codegen::spec::Spec;
use waba_codegen::spec::model::Shape;
use waba_codegen::spec::types::Type;

/// The parameters of one request, in arrival order: body first, then the query string, so that
/// a body value wins over a query value of the same name.
#[derive(Debug, Default)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
    /// How many of `pairs` came from the body (they come first).
    body_len: usize,
    /// The members of a JSON body with their JSON types, checked strictly against the spec.
    json: Vec<(String, Value)>,
}

impl Params {
    /// Parses a form-encoded or JSON body and a query string.
    pub(crate) fn parse(
        query: Option<&str>,
        body: &[u8],
        json_body: bool,
    ) -> Result<Params, String> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut json = Vec::new();
        if json_body && !body.is_empty() {
            let Value::Object(map) = serde_json::from_slice(body)
                .map_err(|e| format!("the JSON body is invalid: {e}"))?
            else {
                return Err("the JSON body must be an object".into());
            };
            // Graph treats a JSON body like form fields; nested values travel as JSON text.
            for (k, v) in map {
                let text = match &v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                pairs.push((k.clone(), text));
                json.push((k, v));
            }
        } else {
            pairs.extend(form_urlencoded::parse(body).into_owned());
        }
        let body_len = pairs.len();
        if let Some(q) = query {
            pairs.extend(form_urlencoded::parse(q.as_bytes()).into_owned());
        }
        Ok(Params {
            pairs,
            body_len,
            json,
        })
    }

    /// Member `name` of a JSON body, with its JSON type.
    pub(crate) fn json_member(&self, name: &str) -> Option<&Value> {
        self.json.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query-string pairs (what a `next` link repeats).
    pub(crate) fn query_pairs(&self) -> &[(String, String)] {
        &self.pairs[self.body_len..]
    }
}

/// Turns the single-quoted pseudo-JSON of Meta's docs (`[{'field':'x','value':['A']}]`) into
/// JSON. Text already in JSON passes through unchanged.
pub(crate) fn normalize_quotes(text: &str) -> String {
    if !text.contains('\'') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars();
    // The quote char of the string we are in, if any.
    let mut in_str: Option<char> = None;
    while let Some(c) = chars.next() {
        match (in_str, c) {
            (None, '\'') => {
                in_str = Some('\'');
                out.push('"');
            }
            (None, '"') => {
                in_str = Some('"');
                out.push('"');
            }
            (Some(q), '\\') => {
                let next = chars.next();
                match (q, next) {
                    ('\'', Some('\'')) => out.push('\''),
                    (_, Some(n)) => {
                        out.push('\\');
                        out.push(n);
                    }
                    (_, None) => out.push('\\'),
                }
            }
            (Some('\''), '"') => out.push_str("\\\""),
            (Some(q), c) if c == q => {
                in_str = None;
                out.push('"');
            }
            (_, c) => out.push(c),
        }
    }
    out
}

/// Parses a JSON parameter value, accepting single-quoted pseudo-JSON.
pub(crate) fn parse_json(text: &str) -> Option<Value> {
    serde_json::from_str(&normalize_quotes(text)).ok()
}

/// Checks a raw parameter value against its spec type. The error is the text after `(#100) `.
/// A JSON-typed value comes back parsed, for the handler to use.
pub(crate) fn check_raw(
    spec: &Spec,
    name: &str,
    ty: &Type,
    raw: &str,
) -> Result<Option<Value>, String> {
    if is_json_type(ty) {
        match parse_json(raw) {
            Some(v) => check_json(spec, name, ty, &v, false).map(|()| Some(v)),
            None => Err(must_be(name, ty)),
        }
    } else {
        check_json(spec, name, ty, &Value::String(raw.to_string()), false).map(|()| None)
    }
}

/// Whether a form carries values of `ty` as JSON text (lists, maps, objects).
pub(crate) fn is_json_type(ty: &Type) -> bool {
    matches!(
        ty,
        Type::List(_)
            | Type::Map(_)
            | Type::Node(_)
            | Type::Object(_)
            | Type::Struct(_)
            | Type::Json
    )
}

/// Checks a member of a JSON body: its JSON type must be the spec type's (a number for an
/// integer, a boolean for a bool), as Graph reads a typed body. A JSON-typed value comes back
/// for the handler to use.
pub(crate) fn check_member(
    spec: &Spec,
    name: &str,
    ty: &Type,
    v: &Value,
) -> Result<Option<Value>, String> {
    check_json(spec, name, ty, v, true)?;
    Ok(is_json_type(ty).then(|| v.clone()))
}

/// Checks a JSON value against a spec type. Unless `strict`, strings stand in for scalars as
/// form values do.
pub(crate) fn check_json(
    spec: &Spec,
    name: &str,
    ty: &Type,
    v: &Value,
    strict: bool,
) -> Result<(), String> {
    let text = match v {
        Value::String(s) if !strict || !is_number_or_bool(ty) => Some(s.as_str()),
        _ => None,
    };
    let ok = match ty {
        Type::String => text.is_some(),
        Type::DateTime => text.is_some_and(|s| !s.is_empty()),
        Type::NumericString | Type::Id => match v {
            Value::Number(n) => n.is_u64(),
            _ => text.is_some_and(crate::seed::is_numeric_id),
        },
        Type::Bool => v.is_boolean() || matches!(text, Some("true" | "false")),
        Type::Int32 => int_in(v, text, i32::MIN as i64, i32::MAX as i64),
        Type::UInt32 => int_in(v, text, 0, u32::MAX as i64),
        Type::Int64 => int_in(v, text, i64::MIN, i64::MAX),
        Type::Float => v.is_number() || text.is_some_and(|s| s.parse::<f64>().is_ok()),
        Type::Json => true,
        Type::Enum(e) => {
            let values = spec
                .enum_type(e)
                .map(|e| e.values.as_slice())
                .unwrap_or_default();
            let Some(s) = text else {
                return Err(must_be(name, ty));
            };
            if values.iter().any(|v| v.wire == s) {
                true
            } else {
                let list: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                return Err(format!(
                    "Param {name} must be one of {{{}}} - got \"{s}\"",
                    list.join(", ")
                ));
            }
        }
        Type::List(inner) => {
            let Value::Array(items) = v else {
                return Err(must_be(name, ty));
            };
            for (i, item) in items.iter().enumerate() {
                check_json(spec, &format!("{name}[{i}]"), inner, item, strict)?;
            }
            true
        }
        Type::Node(n) => {
            let Value::Object(map) = v else {
                return Err(must_be(name, ty));
            };
            // External nodes have no known fields: any object will do.
            if let Some(node) = spec.node(n) {
                for (k, val) in map {
                    let Some(f) = node.fields.iter().find(|f| &f.name == k) else {
                        return Err(format!("Param {name} has an unknown key `{k}` (type {n})"));
                    };
                    check_json(spec, &format!("{name}.{k}"), &f.ty, val, strict)?;
                }
                if let Some(f) = node
                    .fields
                    .iter()
                    .find(|f| f.always && !map.contains_key(&f.name))
                {
                    return Err(format!("Param {name} must have the key `{}`", f.name));
                }
            }
            true
        }
        Type::Map(inner) => {
            let Value::Object(map) = v else {
                return Err(must_be(name, ty));
            };
            for (k, val) in map {
                check_json(spec, &format!("{name}.{k}"), inner, val, strict)?;
            }
            true
        }
        Type::Object(n) => return check_object(spec, name, n, v, strict),
        Type::Struct(fields) => {
            let Value::Object(map) = v else {
                return Err(must_be(name, ty));
            };
            for (k, fty) in fields {
                match map.get(k) {
                    Some(val) => check_json(spec, &format!("{name}.{k}"), fty, val, strict)?,
                    None => return Err(format!("Param {name} must have the key `{k}`")),
                }
            }
            true
        }
    };
    if ok { Ok(()) } else { Err(must_be(name, ty)) }
}

fn is_number_or_bool(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool | Type::Int32 | Type::UInt32 | Type::Int64 | Type::Float
    )
}

/// A value of struct type `n`: every required member present, no member the struct does not
/// have, each of its type; a `oneOf` value fits the alternative its tag selects (or, without a
/// discriminator, any alternative).
fn check_object(spec: &Spec, name: &str, n: &str, v: &Value, strict: bool) -> Result<(), String> {
    let ty = Type::Object(n.to_string());
    let Some(st) = spec.struct_type(n) else {
        return Err(must_be(name, &ty));
    };
    match &st.shape {
        Shape::Fields(fields) => {
            let Value::Object(map) = v else {
                return Err(must_be(name, &ty));
            };
            for (k, val) in map {
                let Some(f) = fields.iter().find(|f| &f.name == k) else {
                    return Err(format!("Param {name} has an unknown key `{k}` (type {n})"));
                };
                check_json(spec, &format!("{name}.{k}"), &f.ty, val, strict)?;
            }
            match fields
                .iter()
                .find(|f| f.always && !map.contains_key(&f.name))
            {
                Some(f) => Err(format!("Param {name} must have the key `{}`", f.name)),
                None => Ok(()),
            }
        }
        Shape::OneOf {
            alternatives,
            discriminator: Some(d),
        } => {
            let tag = v.get(d).and_then(Value::as_str);
            match tag.and_then(|t| alternatives.iter().find(|a| a.tag.as_deref() == Some(t))) {
                Some(a) => check_json(spec, name, &a.ty, v, strict),
                _ => {
                    let tags: Vec<&str> = alternatives
                        .iter()
                        .filter_map(|a| a.tag.as_deref())
                        .collect();
                    Err(format!(
                        "Param {name}.{d} must be one of {{{}}} (type {n})",
                        tags.join(", ")
                    ))
                }
            }
        }
        Shape::OneOf {
            alternatives,
            discriminator: None,
        } => {
            let mut first = None;
            for a in alternatives {
                match check_json(spec, name, &a.ty, v, strict) {
                    Ok(()) => return Ok(()),
                    Err(e) => {
                        first.get_or_insert(e);
                    }
                }
            }
            Err(first.unwrap_or_else(|| must_be(name, &ty)))
        }
    }
}

fn int_in(v: &Value, text: Option<&str>, min: i64, max: i64) -> bool {
    let n = match v {
        Value::Number(n) => n.as_i64(),
        _ => text.and_then(|s| s.parse::<i64>().ok()),
    };
    n.is_some_and(|n| (min..=max).contains(&n))
}

/// Graph-style "Param x must be …" for a type.
fn must_be(name: &str, ty: &Type) -> String {
    let what = match ty {
        Type::String => "a string".to_string(),
        Type::NumericString => "a numeric string".to_string(),
        Type::Id => "a valid ID (digits only)".to_string(),
        Type::Bool => "a boolean (true or false)".to_string(),
        Type::Int32 => "a 32-bit integer".to_string(),
        Type::UInt32 => "a non-negative 32-bit integer".to_string(),
        Type::Int64 => "a 64-bit integer".to_string(),
        Type::Float => "a number".to_string(),
        Type::DateTime => "a datetime".to_string(),
        Type::Json => "valid JSON".to_string(),
        Type::List(inner) => format!("a JSON array of {inner}"),
        Type::Enum(e) => format!("a string of enum {e}"),
        Type::Node(n) | Type::Object(n) => format!("a JSON object of type {n}"),
        Type::Map(inner) => format!("a JSON object of {inner} values"),
        Type::Struct(_) => format!("a JSON object ({ty})"),
    };
    format!("Param {name} must be {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_quotes_become_json() {
        let meta = "[{'field':'ownership_type','operator':'IN','value':['SELF','CLIENT_OWNED']}]";
        let v: Value = serde_json::from_str(&normalize_quotes(meta)).unwrap();
        assert_eq!(v[0]["value"][1], "CLIENT_OWNED");
        assert_eq!(normalize_quotes(r#"["a'b"]"#), r#"["a'b"]"#);
        assert_eq!(
            normalize_quotes(r#"['say "hi"', 'it\'s']"#),
            r#"["say \"hi\"", "it's"]"#
        );
    }

    #[test]
    fn body_wins_over_query_and_json_bodies_flatten() {
        let p = Params::parse(
            Some("user=1&x=q"),
            b"user=2&tasks=%5B%22MANAGE%22%5D",
            false,
        )
        .unwrap();
        assert_eq!(p.get("user"), Some("2"));
        assert_eq!(p.get("tasks"), Some(r#"["MANAGE"]"#));
        assert_eq!(p.query_pairs().len(), 2);
        let p = Params::parse(None, br#"{"user":"5","tasks":["MANAGE"]}"#, true).unwrap();
        assert_eq!(p.get("tasks"), Some(r#"["MANAGE"]"#));
        assert!(Params::parse(None, b"[1]", true).is_err());
    }
}
