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
            Method::Delete => Behaviour::RemoveMember {
                key: key_param(op).or_else(|| optional_id_param(op)),
            },
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

/// The node type a POST to an edge creates: the spec's `creates`, else, when the operation
/// answers an `id`, the edge's target or the type its listing pages through. Without either
/// the spec does not say what the new ID is, and the operation is not modelled as a create
/// (it must not make an object of the edge's own node type).
fn created_node(spec: &Spec, op: &Operation, edge: &str) -> Option<String> {
    if let Some(c) = &op.creates {
        return Some(c.clone());
    }
    let answers_id = match &op.returns {
        Returns::Struct { fields, .. } => fields.iter().any(|f| f.name == "id"),
        _ => false,
    };
    if !answers_id {
        return None;
    }
    edge_target(spec, &op.node, edge).or_else(|| listed_node(spec, &op.node, edge))
}

/// The node type a GET of `node`'s edge `edge` answers pages of.
fn listed_node(spec: &Spec, node: &str, edge: &str) -> Option<String> {
    spec.operations
        .iter()
        .filter(|o| o.node == node && o.edge.as_deref() == Some(edge) && o.method == Method::Get)
        .find_map(|o| match &o.returns {
            Returns::Page { item, .. } => Some(item.clone()),
            _ => None,
        })
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

/// A DELETE may name its member with an optional ID parameter instead (a template by
/// `hsm_id`); without it the caller is the member, as for a required key.
fn optional_id_param(op: &Operation) -> Option<String> {
    op.params
        .iter()
        .find(|p| matches!(p.ty, Type::Id | Type::NumericString))
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

    fn create(node: &str) -> Behaviour {
        Behaviour::CreateObject { node: node.into() }
    }

    fn add(key: Option<&str>) -> Behaviour {
        Behaviour::AddMember {
            key: key.map(Into::into),
        }
    }

    fn remove(key: Option<&str>) -> Behaviour {
        Behaviour::RemoveMember {
            key: key.map(Into::into),
        }
    }

    /// Every operation of the spec, in its order, with the behaviour reviewed for it.
    #[test]
    fn every_spec_operation_gets_the_behaviour_its_shape_implies() {
        use Behaviour::{DeleteNode, ListEdge, ReadNode, Respond, UpdateNode};
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
        let want: Vec<(String, Behaviour)> = [
            (
                "GET /{application_id}/connected_client_businesses",
                ListEdge,
            ),
            ("POST /{application_id}/whatsapp_business_solution", Respond),
            (
                "GET /{application_id}/whatsapp_business_solutions",
                ListEdge,
            ),
            ("GET /{business_id}", ReadNode),
            // Answers an `id` of a type the spec does not name (no `creates`, no listing).
            ("POST /{business_id}/add_phone_numbers", Respond),
            (
                "GET /{business_id}/client_whatsapp_business_accounts",
                ListEdge,
            ),
            ("GET /{business_id}/extendedcredits", ListEdge),
            ("POST /{business_id}/onboard_partners_to_mm_lite", Respond),
            (
                "GET /{business_id}/owned_whatsapp_business_accounts",
                ListEdge,
            ),
            ("GET /{business_id}/preverified_numbers", ListEdge),
            ("POST /{business_id}/share_preverified_numbers", Respond),
            ("GET /{obo_mobility_intent_id}", ReadNode),
            (
                "GET /{system_user_id}/assigned_whatsapp_business_accounts",
                ListEdge,
            ),
            (
                "GET /{user_id}/assigned_whatsapp_business_accounts",
                ListEdge,
            ),
            ("GET /{whats_app_account_number_id}", ReadNode),
            ("GET /{whats_app_business_account_id}", ReadNode),
            ("POST /{whats_app_business_account_id}", UpdateNode),
            ("GET /{whats_app_business_account_id}/activities", ListEdge),
            (
                "DELETE /{whats_app_business_account_id}/assigned_users",
                remove(Some("user")),
            ),
            (
                "GET /{whats_app_business_account_id}/assigned_users",
                ListEdge,
            ),
            // Kind `create` in the document; it adds the member `user`.
            (
                "POST /{whats_app_business_account_id}/assigned_users",
                add(Some("user")),
            ),
            ("GET /{whats_app_business_account_id}/dcc_config", ListEdge),
            (
                "GET /{whats_app_business_account_id}/in_progress_onbehalf_request",
                ListEdge,
            ),
            (
                "GET /{whats_app_business_account_id}/message_template_previews",
                ListEdge,
            ),
            // Dissociates the template named by `hsm_id` (by `name` alone: nothing to key on).
            (
                "DELETE /{whats_app_business_account_id}/message_templates",
                remove(Some("hsm_id")),
            ),
            (
                "GET /{whats_app_business_account_id}/message_templates",
                ListEdge,
            ),
            (
                "POST /{whats_app_business_account_id}/message_templates",
                create("WhatsAppMessageTemplate"),
            ),
            (
                "POST /{whats_app_business_account_id}/obo_mobility_intent",
                Respond,
            ),
            (
                "GET /{whats_app_business_account_id}/phone_numbers",
                ListEdge,
            ),
            (
                "POST /{whats_app_business_account_id}/phone_numbers",
                create("WhatsAppBusinessPhoneNumber"),
            ),
            ("GET /{whats_app_business_account_id}/schedules", ListEdge),
            // Creates the type the edge lists (no `creates`, no edge target).
            (
                "POST /{whats_app_business_account_id}/schedules",
                create("WhatsAppBusinessAccountSchedule"),
            ),
            (
                "POST /{whats_app_business_account_id}/set_obo_mobility_intent",
                Respond,
            ),
            (
                "POST /{whats_app_business_account_id}/set_solution_migration_intent",
                Respond,
            ),
            ("GET /{whats_app_business_account_id}/solutions", ListEdge),
            (
                "DELETE /{whats_app_business_account_id}/subscribed_apps",
                remove(None),
            ),
            (
                "GET /{whats_app_business_account_id}/subscribed_apps",
                ListEdge,
            ),
            (
                "POST /{whats_app_business_account_id}/subscribed_apps",
                add(None),
            ),
            (
                "GET /{whats_app_business_account_id}/template_performance_metrics",
                ListEdge,
            ),
            // Answers a list of template IDs; nothing is stored.
            (
                "POST /{whats_app_business_account_id}/upsert_message_templates",
                Respond,
            ),
            ("GET /{whats_app_business_bot_id}", ReadNode),
            ("GET /{whats_app_business_phone_number_id}", ReadNode),
            ("POST /{whats_app_business_phone_number_id}", UpdateNode),
            (
                "GET /{whats_app_business_phone_number_id}/business_compliance_info",
                ListEdge,
            ),
            // Writes to a listed edge without a key: one record per caller, read back by the GET.
            (
                "POST /{whats_app_business_phone_number_id}/business_compliance_info",
                add(None),
            ),
            (
                "POST /{whats_app_business_phone_number_id}/conversational_automation",
                Respond,
            ),
            (
                "POST /{whats_app_business_phone_number_id}/deregister",
                Respond,
            ),
            (
                "GET /{whats_app_business_phone_number_id}/official_business_account",
                Respond,
            ),
            (
                "POST /{whats_app_business_phone_number_id}/official_business_account",
                Respond,
            ),
            (
                "POST /{whats_app_business_phone_number_id}/register",
                Respond,
            ),
            (
                "POST /{whats_app_business_phone_number_id}/request_code",
                Respond,
            ),
            (
                "GET /{whats_app_business_phone_number_id}/settings",
                Respond,
            ),
            (
                "POST /{whats_app_business_phone_number_id}/settings",
                Respond,
            ),
            (
                "POST /{whats_app_business_phone_number_id}/verify_code",
                Respond,
            ),
            (
                "GET /{whats_app_business_phone_number_id}/whatsapp_business_encryption",
                ListEdge,
            ),
            (
                "POST /{whats_app_business_phone_number_id}/whatsapp_business_encryption",
                add(None),
            ),
            (
                "GET /{whats_app_business_phone_number_id}/whatsapp_business_profile",
                ListEdge,
            ),
            (
                "POST /{whats_app_business_phone_number_id}/whatsapp_business_profile",
                add(None),
            ),
            (
                "GET /{whats_app_business_phone_number_id}/whatsapp_commerce_settings",
                ListEdge,
            ),
            (
                "POST /{whats_app_business_phone_number_id}/whatsapp_commerce_settings",
                add(None),
            ),
            (
                "DELETE /{whats_app_business_pre_verified_phone_number_id}",
                DeleteNode,
            ),
            (
                "GET /{whats_app_business_pre_verified_phone_number_id}",
                ReadNode,
            ),
            (
                "GET /{whats_app_business_pre_verified_phone_number_id}/partners",
                ListEdge,
            ),
            (
                "POST /{whats_app_business_pre_verified_phone_number_id}/request_code",
                Respond,
            ),
            (
                "POST /{whats_app_business_pre_verified_phone_number_id}/verify_code",
                Respond,
            ),
            ("GET /{whats_app_business_profile_id}", ReadNode),
            ("POST /{whats_app_business_profile_id}", UpdateNode),
            ("GET /{whats_app_business_solution_id}", ReadNode),
            ("POST /{whats_app_business_solution_id}/accept", Respond),
            (
                "POST /{whats_app_business_solution_id}/accept_deactivation_request",
                Respond,
            ),
            (
                "GET /{whats_app_business_solution_id}/access_token",
                Respond,
            ),
            ("POST /{whats_app_business_solution_id}/reject", Respond),
            (
                "POST /{whats_app_business_solution_id}/reject_deactivation_request",
                Respond,
            ),
            (
                "POST /{whats_app_business_solution_id}/send_deactivation_request",
                Respond,
            ),
            ("GET /{whats_app_message_template_id}", ReadNode),
            ("POST /{whats_app_message_template_id}", UpdateNode),
            ("GET /{whats_app_message_template_id}/compare", ListEdge),
            ("GET /{whats_app_solution_migration_intent_id}", ReadNode),
        ]
        .into_iter()
        .map(|(op, b)| (op.to_string(), b))
        .collect();
        assert_eq!(got, want);
    }
}
