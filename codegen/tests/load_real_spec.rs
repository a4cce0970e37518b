//! The real spec loads cleanly and carries every fact of the five seed pages
//! (shared/seeds/000…004). The expectations are written out here on purpose: if the spec (or a
//! regen) loses a field, an edge, an enum value, a parameter or an error code, this test fails.

use std::path::PathBuf;

use waba_codegen::spec::Spec;
use waba_codegen::spec::model::{Operation, Returns};

fn spec() -> Spec {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec");
    match waba_codegen::spec::load(&dir) {
        Ok((spec, _)) => spec,
        Err(d) => panic!("spec has problems:\n{d}"),
    }
}

fn op<'s>(spec: &'s Spec, method: &str, path: &str) -> &'s Operation {
    spec.operations
        .iter()
        .find(|o| o.method.as_str() == method && o.path == path)
        .unwrap_or_else(|| panic!("no operation {method} {path}"))
}

const WABA_ID: &str = "/{whats_app_business_account_id}";
const ASSIGNED: &str = "/{whats_app_business_account_id}/assigned_users";
const PHONES: &str = "/{whats_app_business_account_id}/phone_numbers";
const CLIENTS: &str = "/{business_id}/client_whatsapp_business_accounts";

#[test]
fn version() {
    assert_eq!(spec().version, "v20.0");
}

/// 002: the WhatsApp Business Account node page.
#[test]
fn waba_fields() {
    let spec = spec();
    let waba = spec.node("WhatsAppBusinessAccount").unwrap();
    let want = [
        // Curated: Graph returns `id` with every node; the page's `analytics` has no type.
        ("id", "numeric string"),
        ("analytics", "json"),
        (
            "business_verification_status",
            "enum BusinessVerificationStatus",
        ),
        ("country", "string"),
        ("currency", "string"),
        ("is_enabled_for_insights", "bool"),
        ("message_template_namespace", "string"),
        ("name", "string"),
        ("on_behalf_of_business_info", "WABAOnBehalfOfComputedInfo"),
        ("ownership_type", "enum OwnershipType"),
        ("primary_funding_id", "numeric string"),
        ("purchase_order_number", "string"),
        ("timezone_id", "string"),
        // 000/003: added to each account the client_whatsapp_business_accounts edge returns.
        // The page prints `list<string>`; the overlay types it (`field_types`).
        ("permitted_tasks", "list<enum Task>"),
    ];
    let got: Vec<(String, String)> = waba
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.ty.to_string()))
        .collect();
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    assert_eq!(got, want);
    let added = waba
        .fields
        .iter()
        .find(|f| f.name == "permitted_tasks")
        .unwrap();
    assert_eq!(added.added_by.as_deref(), Some(CLIENTS));
    assert_eq!(
        added.description.as_deref(),
        Some("Tasks that are assignable to users on this asset")
    );
}

#[test]
fn waba_edges() {
    let spec = spec();
    let waba = spec.node("WhatsAppBusinessAccount").unwrap();
    let want = [
        ("activities", "WhatsAppBusinessActivityHistory"),
        ("call_analytics", "WABACallAnalytics"),
        ("conversation_analytics", "WABAConversationAnalytics"),
        ("dataset", "Dataset"),
        (
            "dcc_config",
            "WhatsAppBusinessDirectConnectionExternalConfig",
        ),
        (
            "message_template_previews",
            "WhatsAppBusinessAccountMessageTemplatePreview",
        ),
        ("message_templates", "WhatsAppBusinessHSM"),
        (
            "payment_configuration",
            "WhatsAppBusinessAccountPaymentConfiguration",
        ),
        (
            "payment_configurations",
            "WhatsAppBusinessAccountPaymentConfigurations",
        ),
        (
            "phone_numbers",
            "WhatsAppBusinessAccountToNumberCurrentStatus",
        ),
        ("product_catalogs", "ProductCatalog"),
        ("solutions", "WhatsAppBusinessSolution"),
        ("subscribed_apps", "WhatsAppApplication"),
        (
            "template_performance_metrics",
            "WhatsAppBusinessHSMWhatsAppBusinessPerformanceMetrics",
        ),
    ];
    let got: Vec<(&str, &str)> = waba
        .edges
        .iter()
        .map(|e| (e.name.as_str(), e.target.as_str()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(waba.edges.len(), 14);
    for e in &waba.edges {
        assert!(
            spec.external_nodes.contains(&e.target),
            "edge target {} must be declared",
            e.target
        );
    }
    let descriptions: Vec<&str> = waba
        .edges
        .iter()
        .map(|e| e.description.as_deref().unwrap())
        .collect();
    assert!(
        descriptions.contains(&"The phone numbers that belong to the WhatsApp Business Account")
    );
    assert!(
        descriptions
            .contains(&"List of apps that are subscribed to webhooks updates for this WABA")
    );
}

#[test]
fn waba_page_facts() {
    let spec = spec();
    let waba = spec.node("WhatsAppBusinessAccount").unwrap();
    assert_eq!(
        waba.description.as_deref(),
        Some(
            "Represents a specific WhatsApp Business Account (WABA). Make the API call to the WABA ID."
        )
    );
    assert_eq!(
        waba.rate_limits,
        [
            "GET, POST, and DELETE calls to /{whats-app-business-account-id}/assigned_users",
            "GET calls to /{whats-app-business-account-id}",
        ]
    );
    assert_eq!(waba.notes.len(), 2);
    assert!(waba.notes[0].contains("currencies") && waba.notes[1].contains("timezone ids"));
    assert!(
        waba.id_note
            .as_deref()
            .unwrap()
            .contains("Business Settings")
    );
}

#[test]
fn enums() {
    let spec = spec();
    let values = |name: &str| -> Vec<String> {
        spec.enum_type(name)
            .unwrap_or_else(|| panic!("no enum {name}"))
            .values
            .iter()
            .map(|v| v.wire.clone())
            .collect()
    };
    assert_eq!(
        values("BusinessVerificationStatus"),
        [
            "expired",
            "failed",
            "ineligible",
            "not_verified",
            "pending",
            "pending_need_more_info",
            "pending_submission",
            "rejected",
            "revoked",
            "verified",
        ]
    );
    assert_eq!(
        values("Task"),
        [
            "MANAGE",
            "DEVELOP",
            "MANAGE_TEMPLATES",
            "MANAGE_PHONE",
            "VIEW_COST",
            "MANAGE_EXTENSIONS",
            "VIEW_PHONE_ASSETS",
            "MANAGE_PHONE_ASSETS",
            "VIEW_TEMPLATES",
            "MESSAGING",
        ]
    );
    // The page prints `enum` without values (002); the filtering example of 000/003 shows SELF
    // and CLIENT_OWNED.
    assert_eq!(
        values("OwnershipType"),
        ["CLIENT_OWNED", "ON_BEHALF_OF", "SELF"]
    );
}

/// A parameter's name, type and whether it is required.
type ParamFact = (&'static str, &'static str, bool);

/// Every operation of the five pages, with its parameters.
#[test]
fn operations_and_params() {
    let spec = spec();
    let want: &[(&str, &str, &[ParamFact])] = &[
        ("GET", WABA_ID, &[]),
        ("GET", CLIENTS, &[("filtering", "list<Filter>", false)]),
        ("GET", ASSIGNED, &[("business", "numeric string", true)]),
        (
            "POST",
            ASSIGNED,
            &[("tasks", "list<enum Task>", true), ("user", "UID", true)],
        ),
        ("DELETE", ASSIGNED, &[("user", "UID", true)]),
        (
            "POST",
            PHONES,
            &[
                // `cc` and `phone_number` are required by the overlay, not by the page.
                ("cc", "string", true),
                ("migrate_phone_number", "bool", false),
                ("phone_number", "string", true),
                ("preverified_id", "string", false),
                ("verified_name", "string", false),
            ],
        ),
    ];
    assert_eq!(spec.operations.len(), want.len());
    for (method, path, params) in want {
        let o = op(&spec, method, path);
        let got: Vec<(&str, String, bool)> = o
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.ty.to_string(), p.required))
            .collect();
        let want: Vec<(&str, String, bool)> = params
            .iter()
            .map(|(n, t, r)| (*n, t.to_string(), *r))
            .collect();
        assert_eq!(got, want, "{method} {path}");
    }
    let curated: Vec<&str> = op(&spec, "POST", PHONES)
        .params
        .iter()
        .filter(|p| p.curated)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(curated, ["cc", "phone_number"]);
    assert!(op(&spec, "GET", CLIENTS).params[0].curated);
}

#[test]
fn operation_details() {
    let spec = spec();
    let names: Vec<(&str, &str, &str)> = spec
        .operations
        .iter()
        .map(|o| (o.method.as_str(), o.path.as_str(), o.rust_name.as_str()))
        .collect();
    assert!(names.contains(&("GET", WABA_ID, "GetWhatsAppBusinessAccount")));
    assert!(names.contains(&("GET", CLIENTS, "ListClientWhatsAppBusinessAccounts")));
    assert!(names.contains(&("GET", ASSIGNED, "ListAssignedUsers")));
    assert!(names.contains(&("POST", ASSIGNED, "AddAssignedUser")));
    assert!(names.contains(&("DELETE", ASSIGNED, "RemoveAssignedUser")));
    assert!(names.contains(&("POST", PHONES, "CreatePhoneNumber")));

    let perms = [
        "whatsapp_business_management",
        "whatsapp_business_messaging",
        "public_profile",
    ];
    for (method, path, token) in [
        ("GET", WABA_ID, "USER ACCESS TOKEN"),
        ("GET", ASSIGNED, "USER ACCESS TOKEN"),
        (
            "GET",
            CLIENTS,
            "ADMIN SYSTEM USER ACCESS TOKEN for the business",
        ),
    ] {
        let o = op(&spec, method, path);
        assert_eq!(o.permissions, perms, "{method} {path}");
        assert_eq!(o.token.as_deref(), Some(token), "{method} {path}");
    }
    assert!(op(&spec, "POST", ASSIGNED).read_after_write);
    assert!(op(&spec, "POST", PHONES).read_after_write);
    assert!(!op(&spec, "DELETE", ASSIGNED).read_after_write);
    assert_eq!(
        op(&spec, "POST", PHONES).creates.as_deref(),
        Some("WhatsAppBusinessPhoneNumber")
    );
    assert_eq!(op(&spec, "GET", ASSIGNED).node, "WhatsAppBusinessAccount");
    assert_eq!(op(&spec, "GET", CLIENTS).node, "Business");
}

#[test]
fn return_types() {
    let spec = spec();
    assert!(
        matches!(&op(&spec, "GET", WABA_ID).returns, Returns::Node(n) if n == "WhatsAppBusinessAccount")
    );
    match &op(&spec, "GET", CLIENTS).returns {
        Returns::Page {
            item,
            summary,
            summary_fields,
        } => {
            assert_eq!(item, "WhatsAppBusinessAccount");
            assert_eq!(*summary, None);
            assert!(summary_fields.is_empty());
        }
        other => panic!("{other:?}"),
    }
    match &op(&spec, "GET", ASSIGNED).returns {
        Returns::Page {
            item,
            summary,
            summary_fields,
        } => {
            assert_eq!(item, "AssignedUser");
            assert_eq!(summary.as_deref(), Some("AssignedUsersSummary"));
            let got: Vec<(&str, String)> = summary_fields
                .iter()
                .map(|f| (f.name.as_str(), f.ty.to_string()))
                .collect();
            assert_eq!(got, [("total_count", "unsigned int32".to_string())]);
        }
        other => panic!("{other:?}"),
    }
    for (method, path, want_name, want_fields) in [
        ("POST", ASSIGNED, "SuccessResponse", [("success", "bool")]),
        ("DELETE", ASSIGNED, "SuccessResponse", [("success", "bool")]),
        ("POST", PHONES, "IdResponse", [("id", "numeric string")]),
    ] {
        match &op(&spec, method, path).returns {
            Returns::Struct { name, fields } => {
                assert_eq!(name, want_name);
                let got: Vec<(&str, String)> = fields
                    .iter()
                    .map(|f| (f.name.as_str(), f.ty.to_string()))
                    .collect();
                let want: Vec<(&str, String)> = want_fields
                    .iter()
                    .map(|(n, t)| (*n, t.to_string()))
                    .collect();
                assert_eq!(got, want, "{method} {path}");
            }
            other => panic!("{method} {path}: {other:?}"),
        }
    }
    // 001: `tasks` is added to each assigned user the edge returns, typed by the overlay.
    let user = spec.node("AssignedUser").unwrap();
    let tasks = user.fields.iter().find(|f| f.name == "tasks").unwrap();
    assert_eq!(tasks.ty.to_string(), "list<enum Task>");
    assert_eq!(tasks.added_by.as_deref(), Some(ASSIGNED));
}

/// The error codes each page lists for each operation, and their descriptions.
#[test]
fn error_codes() {
    let spec = spec();
    for (method, path, codes) in [
        (
            "GET",
            WABA_ID,
            &[200008, 100, 80008, 200, 200005, 190, 2500][..],
        ),
        ("GET", CLIENTS, &[368, 200, 190, 100, 80008, 104]),
        ("GET", ASSIGNED, &[100, 200, 190, 80008]),
        // The node page (002) adds 80008 to the edge page's (001) list.
        ("POST", ASSIGNED, &[100, 200, 80008]),
        ("DELETE", ASSIGNED, &[100]),
        ("POST", PHONES, &[100, 200]),
    ] {
        assert_eq!(op(&spec, method, path).errors, codes, "{method} {path}");
    }
    let described = [
        (100, "Invalid parameter"),
        (104, "Incorrect signature"),
        (190, "Invalid OAuth 2.0 Access Token"),
        (200, "Permissions error"),
        (
            368,
            "The action attempted has been deemed abusive or is otherwise disallowed",
        ),
        (2500, "Error parsing graph query"),
        (
            80008,
            "There have been too many calls to this WhatsApp Business account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
        ),
        (
            200005,
            "Template Insights are not available yet for this WhatsApp Business account",
        ),
        (
            200008,
            "WhatsApp Business Account has no linked phone numbers.",
        ),
    ];
    for (code, description) in described {
        let e = spec
            .errors
            .iter()
            .find(|e| e.code == code)
            .unwrap_or_else(|| panic!("no error code {code}"));
        assert_eq!(
            e.description.as_deref(),
            Some(description),
            "error code {code}"
        );
        assert!(!e.curated, "error code {code} comes from a page");
    }
}
