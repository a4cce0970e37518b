//! The YAML documents of `spec/` exactly as written on disk (serde types, no validation).
//!
//! Two kinds of document exist. A [`PageDoc`] holds what Meta's reference pages state about one
//! node or one edge; `cargo xtask regen` writes these (`spec/nodes/*.yaml`, `spec/edges/*.yaml`,
//! `spec/graph.yaml`). The [`Overlay`] (`spec/overlay.yaml`) holds curated facts the pages lose
//! or never state; it is hand-written and regen never rewrites it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map that keeps the order its keys were written in (YAML mappings are ordered text, and
/// regen must write back the order the page used).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderedMap<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for OrderedMap<K, V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<K: PartialEq, V> OrderedMap<K, V> {
    /// The value under `key`, if any.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Serialize, V: Serialize> Serialize for OrderedMap<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de, K: Deserialize<'de> + PartialEq, V: Deserialize<'de>> Deserialize<'de>
    for OrderedMap<K, V>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de> + PartialEq, V: Deserialize<'de>> serde::de::Visitor<'de>
            for Visit<K, V>
        {
            type Value = OrderedMap<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<K, V>()? {
                    out.push((k, v));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// `spec/graph.yaml`: facts about the API as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GraphDoc {
    /// The Graph API version the pages document, e.g. `v20.0`.
    pub version: String,
    /// One wording per error code for the API as a whole (the `ErrorCode` enum's docs), chosen
    /// across every source by regen's prose precedence; each document keeps its own wording.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub errors: OrderedMap<i64, String>,
}

/// What the reference page(s) of one node or one edge state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageDoc {
    /// The node the page describes, or the node that owns the edge.
    pub node: String,
    /// The edge the page describes; absent for a node page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge: Option<String>,
    /// The page title as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The page files this document was read from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The page's opening description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Calls the page lists as subject to Business Use Case rate limits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rate_limits: Vec<String>,
    /// The node's fields (node pages).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<RawField>,
    /// The node's edges (node pages).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<RawEdge>,
    /// The operations the page documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<RawOperation>,
    /// Operation kinds the page says cannot be performed on this endpoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<OpKind>,
    /// Enums the page prints inline, named by the field or parameter that uses them.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub enums: OrderedMap<String, Vec<String>>,
    /// The page's error-code tables (code → description), merged over its operations.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub errors: OrderedMap<i64, String>,
    /// Other statements of the page worth keeping (e.g. "Supported values").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A field as a page prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    /// Wire name.
    pub name: String,
    /// Type as Meta prints it (`string`, `numeric string`, `list<string>`, `enum Name`, …).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// English description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An edge as a node page lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEdge {
    /// Edge name, when the page shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The node type the edge leads to (`Edge<Target>`).
    pub target: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The four sections of a Graph reference page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    /// Reading (GET).
    Read,
    /// Creating (POST to an edge).
    Create,
    /// Updating (POST).
    Update,
    /// Deleting (DELETE).
    Delete,
}

impl OpKind {
    /// The lowercase name used in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Read => "read",
            OpKind::Create => "create",
            OpKind::Update => "update",
            OpKind::Delete => "delete",
        }
    }
}

/// An operation as a page documents it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    /// read, create, update or delete.
    pub kind: Option<OpKind>,
    /// HTTP method.
    pub method: String,
    /// Path template, e.g. `/{whats_app_business_account_id}/assigned_users`.
    pub path: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Permissions, IDs and token kind the page requires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirements: Option<Requirements>,
    /// Parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<RawParam>,
    /// Return type: a node, `list<Node>` for an edge read, or `Struct {name: type, …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// The node type a create operation makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creates: Option<String>,
    /// Fields an edge read adds to each returned node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added_fields: Vec<RawField>,
    /// Fields of the edge's `summary`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub summary_fields: Vec<RawField>,
    /// Whether the page says the endpoint supports read-after-write.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_after_write: bool,
    /// Error codes listed for this operation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<i64>,
    /// How the parameters travel: absent for Graph's default (query string for GET and
    /// DELETE, form body for POST), `json` where the document gives `application/json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyEncoding>,
}

/// How a POST carries its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded`: scalars as text, lists and objects as JSON text.
    Form,
    /// `application/json`: the parameters are the members of one JSON object, typed.
    Json,
}

/// Requirements block of an operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// Permissions (e.g. `whatsapp_business_management`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    /// IDs the caller needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// Token kind, as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// A parameter as a page documents it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParam {
    /// Wire name.
    pub name: String,
    /// Type as printed.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Whether the page marks it required.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `spec/structs/<Name>.yaml`: an object type that request bodies, responses or fields use, as
/// the OpenAPI document's schemas define it (a value, not a Graph node: no ID, no edges).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructDoc {
    /// Type name (UpperCamelCase), e.g. `WhatsAppBusinessAccountBackup`.
    #[serde(rename = "struct")]
    pub name: String,
    /// The documents (and schemas) it was read from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Members: wire name, type, whether the schema requires it, description.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<RawParam>,
    /// For a `oneOf` type: its alternatives (then `fields` is empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<RawAlternative>,
    /// For a `oneOf` type: the member whose value tells the alternatives apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// Enums the schema declares inline, named by the member that uses them.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub enums: OrderedMap<String, Vec<String>>,
}

/// One alternative of a `oneOf` type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlternative {
    /// Its type (a struct name, or any spec type).
    #[serde(rename = "type")]
    pub ty: String,
    /// The discriminator's value that selects it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// `spec/overlay.yaml`: curated facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Per-node additions, and nodes the pages only reference.
    #[serde(default)]
    pub nodes: OrderedMap<String, OverlayNode>,
    /// Enum values the pages do not print.
    #[serde(default)]
    pub enums: OrderedMap<String, Vec<String>>,
    /// Rust variant names for enum values whose own name is not a valid identifier
    /// (`SELF` would become the keyword `Self`): enum → wire value → variant.
    #[serde(default)]
    pub variant_names: OrderedMap<String, OrderedMap<String, String>>,
    /// Per-operation additions, matched by method and path.
    #[serde(default)]
    pub operations: Vec<OverlayOperation>,
    /// Error codes the runtime must know beyond the pages', and names/classes for all codes.
    #[serde(default)]
    pub errors: OrderedMap<i64, OverlayError>,
    /// Named `error_subcode` values (stated by Graph's guides, listed by no reference page).
    #[serde(default)]
    pub error_subcodes: OrderedMap<i64, OverlaySubcode>,
    /// Short names of nodes and edges for the generated handles and typed IDs.
    #[serde(default)]
    pub short_names: ShortNames,
    /// Rust names for enum and struct types whose documented name is long (the OpenAPI
    /// document's `WhatsAppBusinessAccountPermissionTask` is the pages' `Task`): documented
    /// name → Rust name. Every reference to the type follows.
    #[serde(default)]
    pub type_names: OrderedMap<String, String>,
    /// Per value type (`structs/`) additions.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub structs: OrderedMap<String, OverlayStruct>,
}

/// Curated facts about one value type of `structs/`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayStruct {
    /// Rust names for members whose automatic name (`type` → `type_`) is not the one wanted.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub rust_names: OrderedMap<String, String>,
    /// The node whose ID the struct's `id` member is (a template create's answer, a business
    /// named inside another object): typed as that node's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_of: Option<String>,
}

/// Short snake_case names for handles (`client.waba(..)`) and typed IDs (`WabaId`); a node or
/// edge not listed keeps its own name (snake_case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortNames {
    /// Node type → short name.
    #[serde(default)]
    pub nodes: OrderedMap<String, String>,
    /// Edge name → short name.
    #[serde(default)]
    pub edges: OrderedMap<String, String>,
}

/// Curated facts about one node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayNode {
    /// The node is only referenced here (an edge target); it gets no model of its own.
    #[serde(default, skip_serializing_if = "is_false")]
    pub external: bool,
    /// Description when no page gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Meta reference URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Where to find the node's ID (stated only in localized prose on the pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_note: Option<String>,
    /// Fields the pages do not list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<OverlayField>,
    /// Types for page fields printed without one.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub field_types: OrderedMap<String, String>,
    /// Rust names for wire names that are not valid identifiers (e.g. `type`).
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub rust_names: OrderedMap<String, String>,
    /// Edge names keyed by target type, where the rendered page dropped them.
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub edge_names: OrderedMap<String, String>,
    /// Rate-limit class of the node's calls (e.g. `business_use_case`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit_class: Option<String>,
    /// The node whose objects these are: an edge read may list a node's objects under a type
    /// of its own (the phone numbers of a WABA as `WhatsAppBusinessAccountPhoneNumber`); their
    /// `id` is then that node's typed ID, so it opens the node's handle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_of: Option<String>,
}

/// A curated field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayField {
    /// Wire name.
    pub name: String,
    /// Type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Graph always returns it, so the model holds it without `Option`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub always: bool,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Curated facts about one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayOperation {
    /// HTTP method of the operation this applies to.
    pub method: String,
    /// Path template of the operation this applies to.
    pub path: String,
    /// Name of the generated builder (UpperCamelCase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// A description to use instead of the page's, where the page's is boilerplate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether sending it twice has the effect of sending it once (so it may be retried).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotent: Option<bool>,
    /// Parameters the page omits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<RawParam>,
    /// Parameters that are required although the page does not mark them so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// The fields Graph returns when a read names none (`fields=` absent), as its examples show.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default_fields: Vec<String>,
    /// Rust names for parameter wire names that are not valid identifiers (e.g. `type`).
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub rust_names: OrderedMap<String, String>,
    /// Types for fields an edge read adds, where the page prints a plain `string` for values
    /// it documents as an enum elsewhere (e.g. `tasks: list<enum Task>`).
    #[serde(default, skip_serializing_if = "OrderedMap::is_empty")]
    pub field_types: OrderedMap<String, String>,
    /// The handle method's name, where the one derived from the operation's kind does not fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle_method: Option<String>,
}

/// How the runtime treats an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorClass {
    /// A rate limit: back off and retry.
    Throttling,
    /// A temporary failure: retry.
    Transient,
}

/// A named `error_subcode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlaySubcode {
    /// Variant name in the generated `ErrorSubcode` enum.
    pub name: String,
    /// What it means.
    pub description: String,
}

/// Curated facts about one error code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayError {
    /// Variant name in the generated `ErrorCode` enum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description: the code's API-wide meaning, over any one endpoint's wording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Retry class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<ErrorClass>,
}
