//! Edge listings: `filtering`, cursor paging (`limit`, `after`, `before`) and `summary`.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Graph's default and largest page size.
pub(crate) const DEFAULT_LIMIT: u64 = 25;
pub(crate) const MAX_LIMIT: u64 = 100;

const CURSOR_PREFIX: &str = "waba-mock:";

/// An opaque cursor for list position `pos`.
pub(crate) fn cursor(pos: u64) -> String {
    hex::encode(format!("{CURSOR_PREFIX}{pos}"))
}

/// The position a cursor names.
pub(crate) fn decode_cursor(c: &str) -> Option<u64> {
    let bytes = hex::decode(c).ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix(CURSOR_PREFIX)?
        .parse()
        .ok()
}

/// Positions `0..len` of a listing, some of which may be empty (removed items).
pub(crate) trait Source {
    fn len(&self) -> u64;
    /// Number of items (positions that are not empty), in O(1).
    fn total(&self) -> u64;
    fn item(&self, pos: u64) -> Option<Map<String, Value>>;
}

/// One `filtering` condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Filter {
    field: String,
    operator: String,
    /// The value as a whole.
    value: Operand,
    /// The elements of a list value (empty for a scalar).
    list: Vec<Operand>,
}

/// A filter value (or an element of a list value) in the forms comparisons use, computed once.
#[derive(Debug, Clone, PartialEq)]
struct Operand {
    text: String,
    lower: String,
    number: Option<f64>,
}

impl Operand {
    fn new(v: &Value) -> Operand {
        let text = text(v).into_owned();
        Operand {
            lower: text.to_lowercase(),
            number: text.parse::<f64>().ok(),
            text,
        }
    }
}

/// Parses `filtering` (already parsed and checked against the spec's `list<Filter>` type) and
/// checks that every field is one the items have and every operator gets the value shape it
/// needs.
pub(crate) fn parse_filters(
    filtering: &Value,
    fields: &[impl AsRef<str>],
) -> Result<Vec<Filter>, String> {
    let Value::Array(items) = filtering else {
        return Err("Param filtering must be a JSON array".into());
    };
    let mut out = Vec::new();
    for item in items {
        let field = item
            .get("field")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let operator = item
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let value = item.get("value").cloned().unwrap_or(Value::Null);
        if !fields.iter().any(|f| f.as_ref() == field) {
            return Err(format!(
                "Filtering field '{field}' with operation '{operator}' is not supported"
            ));
        }
        let needs_list = matches!(
            operator.as_str(),
            "IN" | "NOT_IN" | "IN_RANGE" | "NOT_IN_RANGE" | "ANY" | "ALL" | "NONE"
        );
        if needs_list && !value.is_array() {
            return Err(format!(
                "Filter operator '{operator}' on field '{field}' needs a list value"
            ));
        }
        if operator.ends_with("IN_RANGE") && value.as_array().is_some_and(|a| a.len() != 2) {
            return Err(format!(
                "Filter operator '{operator}' on field '{field}' needs [low, high]"
            ));
        }
        let list = value
            .as_array()
            .map(|a| a.iter().map(Operand::new).collect())
            .unwrap_or_default();
        out.push(Filter {
            field,
            operator,
            value: Operand::new(&value),
            list,
        });
    }
    Ok(out)
}

/// Scalars compare as text, so that `"5"` equals `5` as Graph's form values do.
fn text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        other => Cow::Owned(other.to_string()),
    }
}

/// Numbers compare as numbers when both sides are numeric, else as text.
fn order(a: &str, b: &Operand) -> Option<std::cmp::Ordering> {
    match (a.parse::<f64>(), b.number) {
        (Ok(x), Some(y)) => x.partial_cmp(&y),
        _ => Some(a.cmp(&b.text)),
    }
}

impl Filter {
    fn matches(&self, item: &Map<String, Value>) -> bool {
        use std::cmp::Ordering::*;
        let got = item.get(&self.field).unwrap_or(&Value::Null);
        let list = &self.list;
        // A list field (e.g. tasks) matches a scalar condition when any element does.
        let elems: Vec<Cow<str>> = match got {
            Value::Array(a) => a.iter().map(text).collect(),
            v => vec![text(v)],
        };
        let any = |f: &dyn Fn(&str) -> bool| elems.iter().any(|e| f(e));
        let in_list = |e: &str| list.iter().any(|v| v.text == e);
        let in_range = |e: &str| {
            list.len() == 2
                && matches!(order(e, &list[0]), Some(Greater | Equal))
                && matches!(order(e, &list[1]), Some(Less | Equal))
        };
        let contains = |e: &str| e.to_lowercase().contains(&self.value.lower);
        let cmp = |e: &str| order(e, &self.value);
        match self.operator.as_str() {
            "EQUAL" => any(&|e| e == self.value.text),
            "NOT_EQUAL" => !any(&|e| e == self.value.text),
            "IN" => any(&in_list),
            "NOT_IN" => !any(&in_list),
            "CONTAIN" => any(&contains),
            "NOT_CONTAIN" => !any(&contains),
            "GREATER_THAN" => any(&|e| cmp(e) == Some(Greater)),
            "GREATER_THAN_OR_EQUAL" => any(&|e| matches!(cmp(e), Some(Greater | Equal))),
            "LESS_THAN" => any(&|e| cmp(e) == Some(Less)),
            "LESS_THAN_OR_EQUAL" => any(&|e| matches!(cmp(e), Some(Less | Equal))),
            "IN_RANGE" => any(&in_range),
            "NOT_IN_RANGE" => !any(&in_range),
            "ANY" => any(&in_list),
            "ALL" => list.iter().all(|v| elems.iter().any(|e| *e == v.text)),
            "NONE" => !any(&in_list),
            // The spec's FilterOperator enum has been checked already; a value added to it later
            // that the mock cannot evaluate matches nothing rather than everything.
            _ => false,
        }
    }
}

/// What the client asked of a listing.
pub(crate) struct Request {
    pub(crate) limit: u64,
    pub(crate) after: Option<u64>,
    pub(crate) before: Option<u64>,
    pub(crate) filters: Vec<Filter>,
}

/// One page: items with their positions, and whether items exist before and after it.
pub(crate) struct Page {
    pub(crate) items: Vec<(u64, Map<String, Value>)>,
    pub(crate) has_before: bool,
    pub(crate) has_after: bool,
}

fn hit(src: &dyn Source, filters: &[Filter], pos: u64) -> Option<Map<String, Value>> {
    src.item(pos)
        .filter(|it| filters.iter().all(|f| f.matches(it)))
}

fn any_in(src: &dyn Source, filters: &[Filter], mut range: impl Iterator<Item = u64>) -> bool {
    range.any(|p| hit(src, filters, p).is_some())
}

/// Reads one page. Without filters this costs O(page) plus skipped removed positions.
pub(crate) fn page(src: &dyn Source, req: &Request) -> Page {
    let len = src.len();
    let mut items = Vec::new();
    if let (None, Some(before)) = (req.after, req.before) {
        let mut pos = before.min(len);
        while pos > 0 && (items.len() as u64) < req.limit {
            pos -= 1;
            if let Some(it) = hit(src, &req.filters, pos) {
                items.push((pos, it));
            }
        }
        items.reverse();
        let first = items.first().map_or(pos, |(p, _)| *p);
        let has_before = any_in(src, &req.filters, (0..first).rev());
        let has_after = before < len && any_in(src, &req.filters, before..len);
        return Page {
            items,
            has_before,
            has_after,
        };
    }
    let start = req.after.map_or(0, |a| a.saturating_add(1));
    let mut pos = start;
    while pos < len && (items.len() as u64) < req.limit {
        if let Some(it) = hit(src, &req.filters, pos) {
            items.push((pos, it));
        }
        pos += 1;
    }
    let has_after = any_in(src, &req.filters, pos..len);
    let first = items.first().map_or(start, |(p, _)| *p);
    let has_before = any_in(src, &req.filters, (0..first.min(len)).rev());
    Page {
        items,
        has_before,
        has_after,
    }
}

/// Number of items matching the filters.
pub(crate) fn count(src: &dyn Source, filters: &[Filter]) -> u64 {
    (0..src.len())
        .filter(|p| hit(src, filters, *p).is_some())
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::parse_json;
    use serde_json::json;

    /// `parse_filters` on the raw parameter text, as the handler's check parses it.
    fn parse_raw(raw: &str, fields: &[&str]) -> Result<Vec<Filter>, String> {
        parse_filters(&parse_json(raw).unwrap_or(Value::Null), fields)
    }

    struct Nums(u64);
    impl Source for Nums {
        fn len(&self) -> u64 {
            self.0
        }
        fn total(&self) -> u64 {
            self.0 - self.0 / 5
        }
        fn item(&self, pos: u64) -> Option<Map<String, Value>> {
            // Every 5th position is empty, like a removed user.
            (pos % 5 != 4).then(|| json!({"id": pos.to_string(), "n": pos, "tags": ["a", if pos.is_multiple_of(2) { "even" } else { "odd" }]}).as_object().unwrap().clone())
        }
    }

    fn ids(p: &Page) -> Vec<u64> {
        p.items.iter().map(|(pos, _)| *pos).collect()
    }

    #[test]
    fn pages_forward_and_back_skipping_holes() {
        let src = Nums(12);
        let req = |after, before| Request {
            limit: 4,
            after,
            before,
            filters: vec![],
        };
        let p1 = page(&src, &req(None, None));
        assert_eq!(
            (ids(&p1), p1.has_before, p1.has_after),
            (vec![0, 1, 2, 3], false, true)
        );
        let p2 = page(&src, &req(Some(3), None));
        assert_eq!(
            (ids(&p2), p2.has_before, p2.has_after),
            (vec![5, 6, 7, 8], true, true)
        );
        let p3 = page(&src, &req(Some(8), None));
        assert_eq!((ids(&p3), p3.has_after), (vec![10, 11], false));
        let back = page(&src, &req(None, Some(10)));
        assert_eq!(
            (ids(&back), back.has_before, back.has_after),
            (vec![5, 6, 7, 8], true, true)
        );
        assert_eq!(decode_cursor(&cursor(42)), Some(42));
        assert_eq!(decode_cursor("zz"), None);
    }

    #[test]
    fn filters_use_graph_operators() {
        let src = Nums(10);
        let run = |f: &str| {
            let filters = parse_raw(f, &["n", "tags"]).unwrap();
            count(&src, &filters)
        };
        assert_eq!(
            run(r#"[{"field":"n","operator":"GREATER_THAN","value":5}]"#),
            3
        ); // 6 7 8
        assert_eq!(run("[{'field':'n','operator':'IN','value':['1','2']}]"), 2);
        assert_eq!(run("[{'field':'n','operator':'NOT_IN','value':[1,2]}]"), 6);
        assert_eq!(
            run("[{'field':'tags','operator':'EQUAL','value':'even'}]"),
            4
        ); // 0 2 6 8
        assert_eq!(
            run("[{'field':'tags','operator':'CONTAIN','value':'OD'}]"),
            4
        );
        assert_eq!(
            run("[{'field':'n','operator':'IN_RANGE','value':[2,6]}]"),
            4
        );
        assert_eq!(
            run("[{'field':'tags','operator':'ALL','value':['a','odd']}]"),
            4
        );
        assert_eq!(run("[{'field':'n','operator':'NOT_EQUAL','value':'0'}]"), 7);
        assert!(
            parse_raw("[{'field':'x','operator':'IN','value':[]}]", &["n"])
                .unwrap_err()
                .contains("'x'")
        );
        assert!(parse_raw("[{'field':'n','operator':'IN','value':1}]", &["n"]).is_err());
    }
}
