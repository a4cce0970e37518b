//! The validated spec: what the emitters read. Every name here is known to resolve and to make
//! a valid Rust identifier.

pub use super::raw::BodyEncoding;
use super::raw::{ErrorClass, OpKind};
use super::types::Type;
use crate::diag::Origin;

/// The whole validated spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Graph API version the pages document, e.g. `v20.0`.
    pub version: String,
    /// Nodes with a model of their own, in name order.
    pub nodes: Vec<Node>,
    /// Nodes only referenced (edge targets, created objects), in name order.
    pub external_nodes: Vec<String>,
    /// Enums, in name order.
    pub enums: Vec<EnumType>,
    /// Value types of `structs/` (records and `oneOf` types), in name order.
    pub structs: Vec<StructType>,
    /// Operations, in path then method order.
    pub operations: Vec<Operation>,
    /// Error codes, in code order.
    pub errors: Vec<ErrorCode>,
    /// Named error subcodes, in code order.
    pub subcodes: Vec<ErrorSubcode>,
    /// Every node (with a model or external) and its short name, in node order.
    pub short_names: Vec<ShortName>,
}

/// A node's short snake_case name: its handle (`client.waba(..)`) and typed ID (`WabaId`).
#[derive(Debug, Clone)]
pub struct ShortName {
    /// Node type, e.g. `WhatsAppBusinessAccount`.
    pub node: String,
    /// Short name, e.g. `waba`.
    pub short: String,
    /// The node whose objects these are (overlay `id_of`): this node's ID is that node's typed
    /// ID, and it has none of its own.
    pub id_of: Option<String>,
}

/// Where an operation sits among the handles: `client.{node}(&id)[.{edge}()].{method}(..)`.
#[derive(Debug, Clone)]
pub struct Call {
    /// The edge handle's method (short edge name); `None` for a method of the node handle
    /// (the node's own operations, and actions such as `register`).
    pub edge: Option<String>,
    /// The method that starts the request, e.g. `list`, `add`, `register`.
    pub method: String,
}

impl Spec {
    /// The node named `name`, if it has a model.
    pub fn node(&self, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.name == name)
    }

    /// The short name of node `name` (every node has one).
    pub fn short_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.short_names
            .iter()
            .find(|s| s.node == name)
            .map_or(name, |s| s.short.as_str())
    }

    /// The enum named `name`.
    pub fn enum_type(&self, name: &str) -> Option<&EnumType> {
        self.enums.iter().find(|e| e.name == name)
    }

    /// The value type named `name`.
    pub fn struct_type(&self, name: &str) -> Option<&StructType> {
        self.structs.iter().find(|s| s.name == name)
    }
}

/// A value type (`spec/structs/<Name>.yaml`): an object without ID, edges or field selection.
#[derive(Debug, Clone)]
pub struct StructType {
    /// Type name, e.g. `TemplateComponent`.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Its members, or its alternatives.
    pub shape: Shape,
    /// The node whose ID its `id` member is (curated).
    pub id_of: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
}

/// What a value type holds.
#[derive(Debug, Clone)]
pub enum Shape {
    /// A record: named members; `always` marks the members the schema requires.
    Fields(Vec<Field>),
    /// A `oneOf` type: exactly one of the alternatives.
    OneOf {
        /// The alternatives, in document order.
        alternatives: Vec<Alternative>,
        /// The member whose text value selects the alternative (every alternative then has a
        /// tag); without one, alternatives are tried in order.
        discriminator: Option<String>,
    },
}

/// One alternative of a `oneOf` type.
#[derive(Debug, Clone)]
pub struct Alternative {
    /// Rust variant name (the struct's name, or the type's name in UpperCamelCase).
    pub variant: String,
    /// Its type.
    pub ty: Type,
    /// The discriminator value that selects it.
    pub tag: Option<String>,
}

/// A Graph node (an object with fields).
#[derive(Debug, Clone)]
pub struct Node {
    /// Type name, e.g. `WhatsAppBusinessAccount`.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Meta reference URL (curated).
    pub reference: Option<String>,
    /// Where to find the node's ID (curated, from localized prose).
    pub id_note: Option<String>,
    /// Fields, in page order (curated ones first), including fields edges add.
    pub fields: Vec<Field>,
    /// Edges, in page order.
    pub edges: Vec<Edge>,
    /// Calls the page lists as Business Use Case rate limited.
    pub rate_limits: Vec<String>,
    /// Rate-limit class (curated).
    pub rate_limit_class: Option<String>,
    /// Notes the page states.
    pub notes: Vec<String>,
    /// Where the node is declared.
    pub origin: Origin,
}

/// A field of a node, a summary or a return structure.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name.
    pub name: String,
    /// Rust identifier.
    pub rust_name: String,
    /// Type.
    pub ty: Type,
    /// Description.
    pub description: Option<String>,
    /// Graph always returns it.
    pub always: bool,
    /// The operation path that adds this field to its node (edge-added fields).
    pub added_by: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
}

/// An edge of a node.
#[derive(Debug, Clone)]
pub struct Edge {
    /// Edge name (path segment).
    pub name: String,
    /// Target node type.
    pub target: String,
    /// Description.
    pub description: Option<String>,
    /// The name came from the overlay because the rendered page dropped it.
    pub name_curated: bool,
    /// Where the edge is declared.
    pub origin: Origin,
}

/// An open enum.
#[derive(Debug, Clone)]
pub struct EnumType {
    /// Type name.
    pub name: String,
    /// Values, in first-declared order.
    pub values: Vec<EnumValue>,
}

/// One value of an enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Wire string.
    pub wire: String,
    /// Rust variant name.
    pub variant: String,
    /// Where it is declared (first declaration).
    pub origin: Origin,
}

/// The HTTP method of an operation: the three Graph's management endpoints use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method for its upper-case name, if it is one of the three.
    pub fn from_name(name: &str) -> Option<Method> {
        match name {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Builder type name, e.g. `ListAssignedUsers`.
    pub rust_name: String,
    /// Page section it is documented in.
    pub kind: OpKind,
    /// HTTP method.
    pub method: Method,
    /// Path template.
    pub path: String,
    /// Path parameter names, in order.
    pub path_params: Vec<String>,
    /// The node the path starts at.
    pub node: String,
    /// The edge, for edge operations.
    pub edge: Option<String>,
    /// How the handles reach it.
    pub call: Call,
    /// Description.
    pub description: Option<String>,
    /// Permissions the page requires.
    pub permissions: Vec<String>,
    /// IDs the page says the caller needs.
    pub ids: Vec<String>,
    /// Token kind the page requires.
    pub token: Option<String>,
    /// Parameters (path parameters excluded).
    pub params: Vec<Param>,
    /// What a successful call returns.
    pub returns: Returns,
    /// The node type a create makes.
    pub creates: Option<String>,
    /// The endpoint supports read-after-write.
    pub read_after_write: bool,
    /// Sending it twice is the same as sending it once (retries allowed).
    pub idempotent: bool,
    /// Fields a read returns when the request names none (curated; empty when not stated).
    pub default_fields: Vec<String>,
    /// Documented error codes.
    pub errors: Vec<i64>,
    /// How a POST carries the parameters (form unless the spec says `body: json`).
    pub body: BodyEncoding,
    /// Where it is declared.
    pub origin: Origin,
}

/// A request parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Wire name.
    pub name: String,
    /// Rust identifier.
    pub rust_name: String,
    /// Type.
    pub ty: Type,
    /// Whether the request is invalid without it.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// Comes from the overlay (or its requiredness does).
    pub curated: bool,
    /// For an ID parameter named after a node (`user`, `business`), that node: the parameter
    /// takes its typed ID.
    pub id_of: Option<String>,
}

/// What an operation returns.
#[derive(Debug, Clone)]
pub enum Returns {
    /// A node.
    Node(String),
    /// A page of nodes from an edge.
    Page {
        /// Item node type.
        item: String,
        /// Generated summary type name, when the edge has a summary.
        summary: Option<String>,
        /// Summary fields.
        summary_fields: Vec<Field>,
    },
    /// A value type of `structs/`.
    Object(String),
    /// Any JSON value (`returns: json`): only where the document itself leaves the answer
    /// untyped.
    Json,
    /// An anonymous structure, named after its fields (e.g. `SuccessResponse`).
    Struct {
        /// Generated type name.
        name: String,
        /// Fields.
        fields: Vec<Field>,
    },
}

/// A named `error_subcode` (curated).
#[derive(Debug, Clone)]
pub struct ErrorSubcode {
    /// Numeric subcode.
    pub code: i64,
    /// Variant name.
    pub variant: String,
    /// What it means (English).
    pub description: String,
}

/// A documented Graph error code.
#[derive(Debug, Clone)]
pub struct ErrorCode {
    /// Numeric code.
    pub code: i64,
    /// Variant name.
    pub variant: String,
    /// Description (English).
    pub description: Option<String>,
    /// Retry class.
    pub class: Option<ErrorClass>,
    /// Only the overlay lists it.
    pub curated: bool,
}
