//! A request as plain data: which operation, which path, which parameters. The generated builders
//! produce it; [`Client::send`](crate::Client::send) adds credentials and sends it.

use std::borrow::Cow;
use std::fmt;

use crate::GraphId;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: parameters go in the query string.
    Get,
    /// `POST`: parameters go in a form-encoded body, or a JSON one ([`BodyEncoding`]).
    Post,
    /// `DELETE`: parameters go in a form-encoded body.
    Delete,
}

impl Method {
    /// The method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// How a `POST` carries its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded` (Graph's default): every value as text, lists and
    /// objects as JSON text.
    Form,
    /// `application/json`: the parameters are the members of one JSON object, each with its
    /// JSON type (numbers, booleans, nested objects and lists). Inside a batch, where Graph
    /// carries each request's body as a form string, the same members travel form-encoded.
    Json,
}

/// What the runtime knows of an operation (generated from the spec: each builder's `SPEC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// Builder name, e.g. `ListAssignedUsers`.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/{whats_app_business_account_id}/assigned_users`.
    pub path: &'static str,
    /// The node type the path starts at (whose ID fills the path), e.g. `WhatsAppBusinessAccount`.
    pub node: &'static str,
    /// Sending it twice has the effect of sending it once, so failures may be retried.
    pub idempotent: bool,
    /// It returns a page of an edge.
    pub paginated: bool,
    /// How a `POST` carries the parameters (`GET` always sends them in the query string).
    pub body: BodyEncoding,
    /// Permissions the reference page requires.
    pub permissions: &'static [&'static str],
    /// Error codes the reference page lists.
    pub errors: &'static [i64],
    /// Parameters (path parameters excluded), in the spec's order. `GET` sends them in the
    /// query string, `DELETE` in a form body, `POST` in the body [`body`](Self::body) names.
    pub params: &'static [ParamSpec],
}

/// A parameter of an operation, as the spec describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// Wire name.
    pub name: &'static str,
    /// Spec type, e.g. `array<enum Task>`.
    pub ty: &'static str,
    /// Whether Graph rejects a request without it.
    pub required: bool,
    /// A valid value as a form carries it (text for scalars, JSON text for lists, maps and
    /// objects, with every required member of a struct), derived from the type (an enum's
    /// first value, a list of one example, a `oneOf`'s first alternative with its tag, …); for
    /// generic callers such as tests that exercise every operation (see
    /// [`Request::example`]).
    pub example: &'static str,
}

impl OperationSpec {
    /// A write that must not be sent twice (a create): a failure after it may have reached the
    /// server leaves the caller to check whether it happened.
    pub fn is_unrepeatable_write(&self) -> bool {
        self.method != Method::Get && !self.idempotent
    }
}

/// A field-selector enum of a node (generated), for the `fields` parameter.
pub trait FieldSelector {
    /// The field's wire name.
    fn as_str(&self) -> &'static str;
}

/// One request, ready to send. Holds no credentials: the client adds the token (as a header)
/// and the `appsecret_proof` when it sends.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    spec: &'static OperationSpec,
    path: String,
    params: Vec<(Cow<'static, str>, Value)>,
    invalid: Option<String>,
}

/// A parameter's value: its form text, and whether that text is JSON (a number, a boolean, a
/// list or an object) rather than a string, so that a JSON body can give it its type.
#[derive(Clone, PartialEq, Eq)]
struct Value {
    text: String,
    json: bool,
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.text.fmt(f)
    }
}

/// A piece of a request path. The generator splits each operation's path template into these
/// (`/`, the node's ID, `/assigned_users`), so a built request always has its whole path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPart<'a> {
    /// Literal text of the template.
    Text(&'static str),
    /// A node ID: digits only, so it cannot leave its path segment.
    Id(&'a GraphId),
}

impl Request {
    /// A request for `spec` whose path is `parts` joined.
    pub fn new(spec: &'static OperationSpec, parts: &[PathPart<'_>]) -> Self {
        let mut path = String::with_capacity(spec.path.len() + 16);
        for part in parts {
            path.push_str(match part {
                PathPart::Text(t) => t,
                PathPart::Id(id) => id.as_str(),
            });
        }
        Request {
            spec,
            path,
            params: Vec::new(),
            invalid: None,
        }
    }

    /// Sets parameter `name`, encoded as Graph expects: strings, numbers and booleans as text,
    /// lists and objects as JSON text (`tasks=["MANAGE","DEVELOP"]`).
    pub fn param<T: serde::Serialize + ?Sized>(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: &T,
    ) {
        let name = name.into();
        match encode(value) {
            Ok(v) => self.set_value(name, v),
            Err(e) => {
                self.invalid
                    .get_or_insert_with(|| format!("parameter `{name}` cannot be encoded: {e}"));
            }
        }
    }

    /// Sets parameter `name` to a text value as it is (IDs, strings, enum values). A JSON body
    /// sends it as a JSON string; use [`param`](Self::param) for numbers and booleans.
    pub fn text(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        self.set(name.into(), value.into());
    }

    /// Sets parameter `p` to its spec example ([`ParamSpec::example`]) with the example's type:
    /// text for text-like types, JSON for the others (numbers, booleans, lists, maps, objects).
    /// For generic callers that build every operation from its data.
    pub fn example(&mut self, p: &ParamSpec) {
        let text_like = ["string", "numeric string", "UID", "datetime"].contains(&p.ty)
            || p.ty.starts_with("enum ");
        if text_like {
            self.text(p.name, p.example);
        } else {
            match serde_json::from_str::<serde_json::Value>(p.example) {
                Ok(v) => self.param(p.name, &v),
                Err(e) => {
                    self.invalid.get_or_insert_with(|| {
                        format!("the example of parameter `{}` is not JSON: {e}", p.name)
                    });
                }
            }
        }
    }

    /// Sets `fields` to the comma list of `fields`; nothing when empty (Graph's defaults).
    pub fn fields<F: FieldSelector>(&mut self, fields: &[F]) {
        if fields.is_empty() {
            return;
        }
        let len = fields.iter().map(|f| f.as_str().len() + 1).sum();
        let mut list = String::with_capacity(len);
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            list.push_str(f.as_str());
        }
        self.set("fields".into(), list);
    }

    /// Replaces or adds a text parameter.
    pub(crate) fn set(&mut self, name: Cow<'static, str>, text: String) {
        self.set_value(name, Value { text, json: false });
    }

    fn set_value(&mut self, name: Cow<'static, str>, value: Value) {
        match self.params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.params.push((name, value)),
        }
    }

    /// Removes a parameter.
    pub(crate) fn remove(&mut self, name: &str) {
        self.params.retain(|(n, _)| n != name);
    }

    /// The operation.
    pub fn spec(&self) -> &'static OperationSpec {
        self.spec
    }

    /// HTTP method.
    pub fn method(&self) -> Method {
        self.spec.method
    }

    /// The path with IDs filled in, without version prefix.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Parameter `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.text.as_str())
    }

    /// Every parameter as form text, in the order set.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params
            .iter()
            .map(|(n, v)| (n.as_ref(), v.text.as_str()))
    }

    /// The JSON body of the request: one object whose members are the parameters (strings as
    /// JSON strings, the rest with their JSON type), then `extra` text members (the client's
    /// `appsecret_proof`).
    pub fn json_body(&self, extra: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(64);
        out.push('{');
        let params = self
            .params
            .iter()
            .map(|(n, v)| (n.as_ref(), v.text.as_str(), v.json));
        let extra = extra.iter().map(|(n, v)| (*n, *v, false));
        for (i, (name, text, json)) in params.chain(extra).enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_string(&mut out, name);
            out.push(':');
            if json {
                out.push_str(text);
            } else {
                push_json_string(&mut out, text);
            }
        }
        out.push('}');
        out
    }

    /// Why the request cannot be sent, if it cannot.
    pub fn invalid(&self) -> Option<&str> {
        self.invalid.as_deref()
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.spec.name)
            .field("method", &self.spec.method)
            .field("path", &self.path)
            .field("params", &self.params)
            .finish()
    }
}

fn encode<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, serde_json::Error> {
    // Serializing straight to text avoids building a `Value` tree; only a JSON string needs
    // its quotes and escapes undone.
    let json = serde_json::to_string(value)?;
    Ok(match json.as_bytes().first() {
        Some(b'"') => Value {
            text: serde_json::from_str::<String>(&json)?,
            json: false,
        },
        _ if json == "null" => Value {
            text: String::new(),
            json: false,
        },
        _ => Value {
            text: json,
            json: true,
        },
    })
}

fn push_json_string(out: &mut String, s: &str) {
    // Serializing a `&str` cannot fail.
    if let Ok(quoted) = serde_json::to_string(s) {
        out.push_str(&quoted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SPEC: OperationSpec = OperationSpec {
        name: "T",
        method: Method::Post,
        path: "/{a_id}/edge",
        node: "A",
        idempotent: true,
        paginated: false,
        body: BodyEncoding::Form,
        permissions: &[],
        errors: &[],
        params: &[],
    };

    #[test]
    fn encodes_like_graph() {
        let id = GraphId::from(12u64);
        let mut r = Request::new(
            &SPEC,
            &[
                PathPart::Text("/"),
                PathPart::Id(&id),
                PathPart::Text("/edge"),
            ],
        );
        r.param("tasks", &["MANAGE", "DEVELOP"]);
        r.param("flag", &true);
        r.param("n", &7u32);
        r.param("s", "a&b=c\n\"");
        r.param("n", &8u32);
        assert_eq!(r.path(), "/12/edge");
        let params: Vec<_> = r.params().collect();
        assert_eq!(
            params,
            [
                ("tasks", r#"["MANAGE","DEVELOP"]"#),
                ("flag", "true"),
                ("n", "8"),
                ("s", "a&b=c\n\"")
            ]
        );
        assert!(r.invalid().is_none());
        // JSON object keys must be strings.
        assert_eq!(
            r.json_body(&[("appsecret_proof", "p")]),
            r#"{"tasks":["MANAGE","DEVELOP"],"flag":true,"n":8,"s":"a&b=c\n\"","appsecret_proof":"p"}"#
        );
        r.text("t", "7");
        assert!(
            r.json_body(&[]).ends_with(r#","t":"7"}"#),
            "text stays a string"
        );
        r.param("bad", &std::collections::BTreeMap::from([((1, 2), 3)]));
        assert!(r.invalid().unwrap().contains("parameter `bad`"), "{r:?}");
    }
}
