//! What the mock does for an operation, derived from what the spec says of it (method, node,
//! edge, parameters, return shape, `creates`), never from its name.

use waba_codegen::spec::Spec;
use waba_codegen::spec::model::{Method, Operation, Param, Returns};
use waba_codegen::spec::types::Type;

/// The behaviour of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Behaviour {
    /// `GET /{id}`: the object's stored fields, projected by `fields`.
    ReadNode,
    /// `POST /{id}`: parameters named like fields of the node overwrite them.
    UpdateNode,
    /// `DELETE /{id}`: the object goes, and leaves every edge it was listed in.
    DeleteNode,
    /// `GET /{id}/{edge}` answering a page: the edge's members, paged, filtered, summarized.
    ListEdge,
    /// `POST /{id}/{edge}` answering an `id`: a new object of type `node`, reachable by its ID
    /// and listed by the edge.
    CreateObject {
        /// The created node type.
        node: String,
    },
    /// `POST /{id}/{edge}` with nothing to create on an edge that can be listed or removed
    /// from: adds a member (or changes its membership fields), keyed by `key`.
    AddMember {
        /// The parameter naming the member; `None`: the caller itself is the member (e.g.
        /// subscribing the calling app).
        key: Option<String>,
    },
    /// `DELETE /{id}/{edge}`: removes the member keyed by `key` (as [`Behaviour::AddMember`]).
    RemoveMember {
        /// The parameter naming the member; `None`: the caller.
        key: Option<String>,
    },
    /// Anything else (an action such as `POST /{id}/register`, or a read of an edge that
    /// answers one structure): answers from the return type and changes nothing.
    Respond,
}

impl Behaviour {
    /// Derives the behaviour of `op`.
    pub(crate) fn of(spec: &Spec, op: &Operation) -> Behaviour {
        let Some(edge) = op.edge.as_deref() else {
            return match op.method {
                Method::Get => Behaviour::ReadNode,
                Method::Delete => Behaviour::DeleteNode,
                Method::Post => Behaviour::UpdateNode,
            };
        };
        match op.method {
            Method::Get if matches!(op.returns, Returns::Page { .. }) => Behaviour::ListEdge,
            Method::Get => Behaviour::Respond,
            Method::Delete => Behaviour::RemoveMember { key: key_param(op) },
            Method::Post => {
                if let Some(node) = created_node(spec, op, edge) {
                    Behaviour::CreateObject { node }
                } else if key_param(op).is_some() || is_collection(spec, op, edge) {
                    Behaviour::AddMember { key: key_param(op) }
                } else {
                    Behaviour::Respond
                }
            }
        }
    }
}

/// The node type a POST to an edge creates: the spec's `creates`, else the edge's target when
/// the operation answers an `id`.
fn created_node(spec: &Spec, op: &Operation, edge: &str) -> Option<String> {
    if let Some(c) = &op.creates {
        return Some(c.clone());
    }
    let answers_id = match &op.returns {
        Returns::Struct { fields, .. } => fields.iter().any(|f| f.name == "id"),
        _ => false,
    };
    answers_id.then(|| edge_target(spec, &op.node, edge).unwrap_or_else(|| op.node.clone()))
}

/// The target type of `node`'s edge `edge`, when the spec documents the node.
pub(crate) fn edge_target(spec: &Spec, node: &str, edge: &str) -> Option<String> {
    spec.node(node)?
        .edges
        .iter()
        .find(|e| e.name == edge)
        .map(|e| e.target.clone())
}

/// The parameter that names a member: the first required ID parameter.
fn key_param(op: &Operation) -> Option<String> {
    op.params
        .iter()
        .find(|p| p.required && p.ty == Type::Id)
        .map(|p| p.name.clone())
}

/// Whether the edge holds members: another operation of it lists or removes them.
fn is_collection(spec: &Spec, op: &Operation, edge: &str) -> bool {
    spec.operations.iter().any(|o| {
        o.node == op.node
            && o.edge.as_deref() == Some(edge)
            && (o.method == Method::Delete || matches!(o.returns, Returns::Page { .. }))
    })
}

/// The membership parameters of an edge: those of its [`Behaviour::AddMember`] operation other
/// than the key. Listed members show them as fields.
pub(crate) fn membership_params<'s>(spec: &'s Spec, node: &str, edge: &str) -> Vec<&'s Param> {
    spec.operations
        .iter()
        .filter(|o| o.node == node && o.edge.as_deref() == Some(edge))
        .find_map(|o| match Behaviour::of(spec, o) {
            Behaviour::AddMember { key } => Some(
                o.params
                    .iter()
                    .filter(|p| Some(&p.name) != key.as_ref())
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_operation_gets_the_behaviour_its_shape_implies() {
        let spec = crate::load_spec(None).unwrap();
        let got: Vec<(String, Behaviour)> = spec
            .operations
            .iter()
            .map(|op| {
                (
                    format!("{} {}", op.method, op.path),
                    Behaviour::of(&spec, op),
                )
            })
            .collect();
        let key = Some("user".to_string());
        assert_eq!(
            got,
            [
                (
                    "GET /{business_id}/client_whatsapp_business_accounts".into(),
                    Behaviour::ListEdge
                ),
                (
                    "GET /{whats_app_business_account_id}".into(),
                    Behaviour::ReadNode
                ),
                (
                    "DELETE /{whats_app_business_account_id}/assigned_users".into(),
                    Behaviour::RemoveMember { key: key.clone() }
                ),
                (
                    "GET /{whats_app_business_account_id}/assigned_users".into(),
                    Behaviour::ListEdge
                ),
                (
                    "POST /{whats_app_business_account_id}/assigned_users".into(),
                    Behaviour::AddMember { key }
                ),
                (
                    "POST /{whats_app_business_account_id}/phone_numbers".into(),
                    Behaviour::CreateObject {
                        node: "WhatsAppBusinessPhoneNumber".into()
                    }
                ),
            ]
        );
    }
}
