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
    /// `POST`: parameters go in a form-encoded body.
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
    /// Permissions the reference page requires.
    pub permissions: &'static [&'static str],
    /// Error codes the reference page lists.
    pub errors: &'static [i64],
    /// Parameters (path parameters excluded), in the spec's order. `GET` sends them in the
    /// query string, `POST` and `DELETE` in a form body.
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
    /// A valid value as sent (text for scalars, JSON text for lists and objects), derived from
    /// the type (an enum's first value, a list of one example, …); for generic callers such as
    /// tests that exercise every operation.
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
    params: Vec<(Cow<'static, str>, String)>,
    invalid: Option<String>,
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
            Ok(v) => self.set(name, v),
            Err(e) => {
                self.invalid
                    .get_or_insert_with(|| format!("parameter `{name}` cannot be encoded: {e}"));
            }
        }
    }

    /// Sets parameter `name` to a text value as it is (IDs, strings, enum values, numbers).
    pub fn text(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<String>) {
        self.set(name.into(), value.into());
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

    /// Replaces or adds a parameter.
    pub(crate) fn set(&mut self, name: Cow<'static, str>, value: String) {
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
            .map(|(_, v)| v.as_str())
    }

    /// Every parameter, in the order set.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params.iter().map(|(n, v)| (n.as_ref(), v.as_str()))
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

fn encode<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    // Serializing straight to text avoids building a `Value` tree; only a JSON string needs
    // its quotes and escapes undone.
    let json = serde_json::to_string(value)?;
    Ok(match json.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(&json)?,
        _ if json == "null" => String::new(),
        _ => json,
    })
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
        r.param("bad", &std::collections::BTreeMap::from([((1, 2), 3)]));
        assert!(r.invalid().unwrap().contains("parameter `bad`"), "{r:?}");
    }
}
