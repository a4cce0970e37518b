//! The `fields` parameter (selection and projection) and deterministic field values from spec types.

use serde_json::{Map, Value};
use waba_codegen::spec::Spec;
use waba_codegen::spec::model::{Field, Shape};
use waba_codegen::spec::types::Type;

/// One requested field, with an optional sub-selection (`a{b,c}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selection {
    pub(crate) name: String,
    pub(crate) sub: Option<Vec<Selection>>,
}

/// Parses `fields`: a comma list of names, each optionally followed by `{…}`. The error is the
/// text after `(#100) `.
pub(crate) fn parse(text: &str) -> Result<Vec<Selection>, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
    };
    let list = p.list()?;
    if p.pos != p.s.len() {
        return Err(format!(
            "Syntax error in fields: unexpected `{}`",
            &text[p.pos..]
        ));
    }
    Ok(list)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn list(&mut self) -> Result<Vec<Selection>, String> {
        let mut out = Vec::new();
        loop {
            self.skip_ws();
            let start = self.pos;
            while self
                .s
                .get(self.pos)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                self.pos += 1;
            }
            let name = String::from_utf8_lossy(&self.s[start..self.pos]).into_owned();
            self.skip_ws();
            if self.s.get(self.pos) == Some(&b'.') {
                // Modifiers (`.limit(5)`) apply to edges, and no node field here is an edge.
                return Err(format!(
                    "Field modifiers are not supported on field ({name})"
                ));
            }
            let sub = if self.s.get(self.pos) == Some(&b'{') {
                self.pos += 1;
                let sub = self.list()?;
                self.skip_ws();
                if self.s.get(self.pos) != Some(&b'}') {
                    return Err(format!(
                        "Syntax error in fields: missing `}}` after ({name})"
                    ));
                }
                self.pos += 1;
                self.skip_ws();
                Some(sub)
            } else {
                None
            };
            // Graph tolerates empty entries such as a trailing comma.
            if !name.is_empty() {
                out.push(Selection { name, sub });
            } else if sub.is_some() {
                return Err("Syntax error in fields: `{` without a field name".into());
            }
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                _ => return Ok(out),
            }
        }
    }
}

/// Checks a selection against the fields allowed in its context (`node` names the type in the
/// error, as Graph does).
pub(crate) fn validate(
    spec: &Spec,
    sel: &[Selection],
    allowed: &[Field],
    node: &str,
) -> Result<(), String> {
    for s in sel {
        let Some(f) = allowed.iter().find(|f| f.name == s.name) else {
            return Err(format!(
                "Tried accessing nonexisting field ({}) on node type ({node})",
                s.name
            ));
        };
        if let Some(sub) = &s.sub {
            match &f.ty {
                Type::Node(n) => {
                    if let Some(target) = spec.node(n) {
                        validate(spec, sub, &target.fields, n)?;
                    }
                }
                Type::Object(n) => {
                    if let Some(Shape::Fields(members)) = spec.struct_type(n).map(|s| &s.shape) {
                        validate(spec, sub, members, n)?;
                    }
                }
                other => {
                    return Err(format!(
                        "Field ({}) of type {other} has no subfields",
                        s.name
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Keeps the selected fields of `obj`; `id` is always kept.
pub(crate) fn project(obj: &Map<String, Value>, sel: &[Selection]) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(id) = obj.get("id") {
        out.insert("id".into(), id.clone());
    }
    for s in sel {
        let Some(v) = obj.get(&s.name) else { continue };
        let v = match (&s.sub, v) {
            (Some(sub), Value::Object(inner)) => Value::Object(project(inner, sub)),
            _ => v.clone(),
        };
        out.insert(s.name.clone(), v);
    }
    out
}

/// A selection of plain names (the defaults of an operation).
pub(crate) fn plain(names: &[&str]) -> Vec<Selection> {
    names
        .iter()
        .map(|n| Selection {
            name: (*n).to_string(),
            sub: None,
        })
        .collect()
}

/// Fills every field of `fields` that `obj` lacks with a deterministic value for object number
/// `index`, so that any field the spec documents (now or later) has data.
pub(crate) fn fill(spec: &Spec, obj: &mut Map<String, Value>, fields: &[Field], index: u64) {
    for (ordinal, f) in fields.iter().enumerate() {
        if !obj.contains_key(&f.name) {
            let v = synth(spec, &f.name, &f.ty, index, ordinal as u64);
            obj.insert(f.name.clone(), v);
        }
    }
}

/// A deterministic value of field `f` for object number `index`.
pub(crate) fn value(spec: &Spec, f: &Field, index: u64) -> Value {
    synth(spec, &f.name, &f.ty, index, 0)
}

/// A deterministic value of type `ty` for field (or parameter) `name`, number `ordinal` of its
/// object, of object number `index`.
pub(crate) fn synth(spec: &Spec, name: &str, ty: &Type, index: u64, ordinal: u64) -> Value {
    synth_at(spec, name, ty, index, ordinal, 0)
}

fn synth_at(spec: &Spec, name: &str, ty: &Type, index: u64, ordinal: u64, depth: u32) -> Value {
    match ty {
        Type::String if name != "id" => Value::String(format!("{name} {}", index + 1)),
        // An object's `id` is a Graph ID (decimal text) whatever type a document prints for it.
        Type::String | Type::NumericString | Type::Id => {
            Value::String((800_000_000_000_000 + index * 1000 + ordinal).to_string())
        }
        Type::Bool => Value::Bool(index.is_multiple_of(2)),
        Type::Int32 | Type::UInt32 | Type::Int64 => Value::from(index + 1),
        Type::Float => Value::from(index as f64 + 0.5),
        Type::DateTime => Value::String(format!("2024-05-{:02}T10:00:00+0000", 1 + index % 28)),
        Type::Json => Value::Object(Map::new()),
        // One item, and every third object a second one (the next value of an enum).
        Type::List(inner) => {
            let mut items = vec![synth_at(spec, name, inner, index, ordinal, depth)];
            if index.is_multiple_of(3) {
                let next = synth_at(spec, name, inner, index + 1, ordinal, depth);
                if !items.contains(&next) {
                    items.push(next);
                }
            }
            Value::Array(items)
        }
        Type::Enum(e) => match spec.enum_type(e) {
            Some(en) if !en.values.is_empty() => Value::String(
                en.values[(index % en.values.len() as u64) as usize]
                    .wire
                    .clone(),
            ),
            _ => Value::Null,
        },
        Type::Node(n) => {
            let mut obj = Map::new();
            // Node types may refer to each other; a few levels are plenty for a mock.
            if let Some(node) = spec.node(n).filter(|_| depth < 3) {
                for (i, f) in node.fields.iter().enumerate() {
                    obj.insert(
                        f.name.clone(),
                        synth_at(
                            spec,
                            &f.name,
                            &f.ty,
                            index,
                            ordinal * 100 + i as u64,
                            depth + 1,
                        ),
                    );
                }
            }
            Value::Object(obj)
        }
        Type::Map(inner) => Value::Object(Map::from_iter([(
            "key".to_string(),
            synth_at(spec, name, inner, index, ordinal, depth + 1),
        )])),
        Type::Object(n) => match spec.struct_type(n).map(|s| &s.shape) {
            // Every member, required or not, so that a response shows the whole type.
            Some(Shape::Fields(fields)) if depth < 4 => Value::Object(
                fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let ord = ordinal * 100 + i as u64;
                        let v = synth_at(spec, &f.name, &f.ty, index, ord, depth + 1);
                        (f.name.clone(), v)
                    })
                    .collect(),
            ),
            Some(Shape::OneOf {
                alternatives,
                discriminator,
            }) if depth < 4 => match alternatives.first() {
                Some(a) => {
                    let mut v = synth_at(spec, name, &a.ty, index, ordinal, depth + 1);
                    if let (Some(d), Some(tag), Value::Object(o)) = (discriminator, &a.tag, &mut v)
                    {
                        o.insert(d.clone(), Value::String(tag.clone()));
                    }
                    v
                }
                None => Value::Object(Map::new()),
            },
            _ => Value::Object(Map::new()),
        },
        Type::Struct(fields) => Value::Object(
            fields
                .iter()
                .enumerate()
                .map(|(i, (n, t))| {
                    (
                        n.clone(),
                        synth_at(spec, n, t, index, ordinal * 100 + i as u64, depth + 1),
                    )
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_graph_field_lists() {
        let sel = parse("id, name,on_behalf_of_business_info{name,status},").unwrap();
        assert_eq!(sel.len(), 3);
        assert_eq!(sel[2].sub.as_ref().unwrap()[1].name, "status");
        assert!(parse("a{b").unwrap_err().contains("missing"));
        assert!(parse("a.limit(2)").unwrap_err().contains("modifiers"));
        assert!(parse("a b").unwrap_err().contains("unexpected"));
        assert!(parse("{b}").is_err());
    }

    #[test]
    fn projection_keeps_id_and_subfields() {
        let obj: Map<String, Value> =
            serde_json::from_str(r#"{"id":"1","name":"n","x":2,"o":{"id":"9","a":1,"b":2}}"#)
                .unwrap();
        let out = project(&obj, &parse("x,o{a},missing").unwrap());
        assert_eq!(
            Value::Object(out),
            serde_json::json!({"id":"1","x":2,"o":{"id":"9","a":1}})
        );
    }
}
