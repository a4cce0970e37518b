//! The real spec loads cleanly and carries every fact of the five seed pages
//! (shared/seeds/000…004), merged with the reference pages (shared/pages) and Meta's OpenAPI
//! document (shared/openapi) by regen's precedence: structure from the document, prose from
//! English pages, then the document. The expectations are written out here on purpose: if the
//! spec (or a regen) loses an operation, a field, an edge, an enum value, a parameter or an error
//! code, this test fails.

use std::path::PathBuf;

use waba_codegen::spec::Spec;
use waba_codegen::spec::model::{ErrorCode, Operation, Returns};

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

fn error_code(spec: &Spec, code: i64) -> &ErrorCode {
    spec.errors
        .iter()
        .find(|e| e.code == code)
        .unwrap_or_else(|| panic!("no error code {code}"))
}

const WABA_ID: &str = "/{whats_app_business_account_id}";
const ASSIGNED: &str = "/{whats_app_business_account_id}/assigned_users";
const PHONES: &str = "/{whats_app_business_account_id}/phone_numbers";
const CLIENTS: &str = "/{business_id}/client_whatsapp_business_accounts";

#[test]
fn version() {
    // The newest documented version: the v26.0 subscribed_apps page is newer than the
    // document's v23.0.
    assert_eq!(spec().version, "v26.0");
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
        // The page (002) prints `WABAOnBehalfOfComputedInfo`; the document's type wins.
        ("on_behalf_of_business_info", "OnBehalfOfBusinessInfo"),
        ("ownership_type", "enum OwnershipType"),
        ("primary_funding_id", "numeric string"),
        ("purchase_order_number", "string"),
        ("timezone_id", "string"),
        // Only the document's WABA schema has these.
        ("account_review_status", "enum AccountReviewStatus"),
        ("primary_business_location", "string"),
        ("audiences", "list<string>"),
        ("subscribed_apps", "list<SubscribedApp>"),
        ("schedules", "list<BusinessSchedule>"),
        ("dcc_config", "DCCConfig"),
        ("message_templates", "list<MessageTemplate>"),
        ("phone_numbers", "list<PhoneNumber>"),
        // 000/003: added to each account the client_whatsapp_business_accounts edge returns.
        // The page prints `list<string>`; the overlay types it (`field_types`).
        ("permitted_tasks", "list<enum Task>"),
        // Added by the system user's assigned_whatsapp_business_accounts page (v25), untyped
        // there and not typed by the overlay.
        ("tasks", "list<string>"),
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
    // Every target is declared: a node of the spec (the pages and the document describe four of
    // them now) or an external node.
    let (nodes, external): (Vec<&str>, Vec<&str>) = waba
        .edges
        .iter()
        .map(|e| e.target.as_str())
        .partition(|t| spec.node(t).is_some());
    assert_eq!(
        nodes,
        [
            "WhatsAppBusinessDirectConnectionExternalConfig",
            "WhatsAppBusinessAccountMessageTemplatePreview",
            "WhatsAppBusinessSolution",
            "WhatsAppBusinessHSMWhatsAppBusinessPerformanceMetrics",
        ]
    );
    assert_eq!(
        external,
        [
            "WhatsAppBusinessActivityHistory",
            "WABACallAnalytics",
            "WABAConversationAnalytics",
            "Dataset",
            "WhatsAppBusinessHSM",
            "WhatsAppBusinessAccountPaymentConfiguration",
            "WhatsAppBusinessAccountPaymentConfigurations",
            "WhatsAppBusinessAccountToNumberCurrentStatus",
            "ProductCatalog",
            "WhatsAppApplication",
        ]
    );
    for t in external {
        assert!(
            spec.external_nodes.iter().any(|e| e == t),
            "edge target {t} must be declared"
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
    // Prose from English pages first: the v23 node page (en) wins over the seed page 002, whose
    // chrome is zh-CN, and over the document's tag text ("APIs for managing …").
    assert_eq!(
        waba.description.as_deref(),
        Some(
            "API for managing WhatsApp Business Account details and configuration. This endpoint \
             allows businesses to retrieve and manage their WhatsApp Business Account information, \
             including account details, status, and configuration settings. This is essential for \
             managing WhatsApp Business messaging capabilities and account lifecycle."
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
    // Enum values are a union: the document's upper-case values, then the page's (002).
    assert_eq!(
        values("BusinessVerificationStatus"),
        [
            "VERIFIED",
            "UNVERIFIED",
            "PENDING",
            "REJECTED",
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
            // The document's WhatsAppBusinessAccountPermissionTask (named Task by the overlay's
            // type_names) adds these.
            "VIEW_INSIGHTS",
            "RECEIVE_INCOMING_MESSAGES",
            "MANAGE_BILLING",
            "MANAGE_USERS",
            "FULL_CONTROL",
        ]
    );
    // The page prints `enum` without values (002); the document lists four, and the filtering
    // example of 000/003 adds SELF.
    assert_eq!(
        values("OwnershipType"),
        [
            "SELF_OWNED",
            "CLIENT_OWNED",
            "AGENCY_OWNED",
            "ON_BEHALF_OF",
            "SELF"
        ]
    );
}

/// A parameter's name, type and whether it is required.
type ParamFact = (&'static str, &'static str, bool);

/// Every operation of the spec by method, path and name, in the spec's order.
#[test]
fn all_operations() {
    let spec = spec();
    let got: Vec<(&str, &str, &str)> = spec
        .operations
        .iter()
        .map(|o| (o.method.as_str(), o.path.as_str(), o.rust_name.as_str()))
        .collect();
    let want = [
        (
            "GET",
            "/{application_id}/connected_client_businesses",
            "ListConnectedClientBusinesses",
        ),
        (
            "POST",
            "/{application_id}/whatsapp_business_solution",
            "CreateWhatsappBusinessSolution",
        ),
        (
            "GET",
            "/{application_id}/whatsapp_business_solutions",
            "ListWhatsappBusinessSolutions",
        ),
        ("GET", "/{business_id}", "GetBusiness"),
        (
            "POST",
            "/{business_id}/add_phone_numbers",
            "CreateAddPhoneNumber",
        ),
        (
            "GET",
            "/{business_id}/client_whatsapp_business_accounts",
            "ListClientWhatsAppBusinessAccounts",
        ),
        (
            "GET",
            "/{business_id}/extendedcredits",
            "ListExtendedcredits",
        ),
        (
            "POST",
            "/{business_id}/onboard_partners_to_mm_lite",
            "CreateOnboardPartnersToMmLite",
        ),
        (
            "GET",
            "/{business_id}/owned_whatsapp_business_accounts",
            "ListOwnedWhatsappBusinessAccounts",
        ),
        (
            "GET",
            "/{business_id}/preverified_numbers",
            "ListPreverifiedNumbers",
        ),
        (
            "POST",
            "/{business_id}/share_preverified_numbers",
            "CreateSharePreverifiedNumber",
        ),
        ("GET", "/{obo_mobility_intent_id}", "GetOBOMobilityIntent"),
        (
            "GET",
            "/{system_user_id}/assigned_whatsapp_business_accounts",
            "ListSystemUserAssignedWhatsappBusinessAccounts",
        ),
        (
            "GET",
            "/{user_id}/assigned_whatsapp_business_accounts",
            "ListBusinessUserAssignedWhatsappBusinessAccounts",
        ),
        (
            "GET",
            "/{whats_app_account_number_id}",
            "GetWhatsAppAccountNumber",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}",
            "GetWhatsAppBusinessAccount",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}",
            "UpdateWhatsAppBusinessAccount",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/activities",
            "ListActivities",
        ),
        (
            "DELETE",
            "/{whats_app_business_account_id}/assigned_users",
            "RemoveAssignedUser",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/assigned_users",
            "ListAssignedUsers",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}/assigned_users",
            "AddAssignedUser",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/dcc_config",
            "ListDccConfig",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/in_progress_onbehalf_request",
            "ListInProgressOnbehalfRequest",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/message_template_previews",
            "ListMessageTemplatePreviews",
        ),
        (
            "DELETE",
            "/{whats_app_business_account_id}/message_templates",
            "DeleteMessageTemplate",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/message_templates",
            "ListMessageTemplates",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}/message_templates",
            "CreateMessageTemplate",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}/obo_mobility_intent",
            "CreateOboMobilityIntent",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/phone_numbers",
            "ListPhoneNumbers",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}/phone_numbers",
            "CreatePhoneNumber",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/schedules",
            "ListSchedules",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}/schedules",
            "CreateSchedule",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}/set_obo_mobility_intent",
            "CreateSetOboMobilityIntent",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}/set_solution_migration_intent",
            "CreateSetSolutionMigrationIntent",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/solutions",
            "ListSolutions",
        ),
        (
            "DELETE",
            "/{whats_app_business_account_id}/subscribed_apps",
            "DeleteSubscribedApp",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/subscribed_apps",
            "ListSubscribedApps",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}/subscribed_apps",
            "CreateSubscribedApp",
        ),
        (
            "GET",
            "/{whats_app_business_account_id}/template_performance_metrics",
            "ListTemplatePerformanceMetrics",
        ),
        (
            "POST",
            "/{whats_app_business_account_id}/upsert_message_templates",
            "CreateUpsertMessageTemplate",
        ),
        (
            "GET",
            "/{whats_app_business_bot_id}",
            "GetWhatsAppBusinessBot",
        ),
        (
            "GET",
            "/{whats_app_business_phone_number_id}",
            "GetWhatsAppBusinessPhoneNumber",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}",
            "UpdateWhatsAppBusinessPhoneNumber",
        ),
        (
            "GET",
            "/{whats_app_business_phone_number_id}/business_compliance_info",
            "ListBusinessComplianceInfo",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/business_compliance_info",
            "CreateBusinessComplianceInfo",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/conversational_automation",
            "CreateConversationalAutomation",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/deregister",
            "CreateDeregister",
        ),
        (
            "GET",
            "/{whats_app_business_phone_number_id}/official_business_account",
            "ListOfficialBusinessAccount",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/official_business_account",
            "CreateOfficialBusinessAccount",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/register",
            "CreateRegister",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/request_code",
            "CreatePhoneNumberRequestCode",
        ),
        (
            "GET",
            "/{whats_app_business_phone_number_id}/settings",
            "ListSettings",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/settings",
            "CreateSetting",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/verify_code",
            "CreatePhoneNumberVerifyCode",
        ),
        (
            "GET",
            "/{whats_app_business_phone_number_id}/whatsapp_business_encryption",
            "ListWhatsappBusinessEncryption",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/whatsapp_business_encryption",
            "CreateWhatsappBusinessEncryption",
        ),
        (
            "GET",
            "/{whats_app_business_phone_number_id}/whatsapp_business_profile",
            "ListWhatsappBusinessProfile",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/whatsapp_business_profile",
            "CreateWhatsappBusinessProfile",
        ),
        (
            "GET",
            "/{whats_app_business_phone_number_id}/whatsapp_commerce_settings",
            "ListWhatsappCommerceSettings",
        ),
        (
            "POST",
            "/{whats_app_business_phone_number_id}/whatsapp_commerce_settings",
            "CreateWhatsappCommerceSetting",
        ),
        (
            "DELETE",
            "/{whats_app_business_pre_verified_phone_number_id}",
            "DeleteWhatsAppBusinessPreVerifiedPhoneNumber",
        ),
        (
            "GET",
            "/{whats_app_business_pre_verified_phone_number_id}",
            "GetWhatsAppBusinessPreVerifiedPhoneNumber",
        ),
        (
            "GET",
            "/{whats_app_business_pre_verified_phone_number_id}/partners",
            "ListPartners",
        ),
        (
            "POST",
            "/{whats_app_business_pre_verified_phone_number_id}/request_code",
            "CreatePreverifiedNumberRequestCode",
        ),
        (
            "POST",
            "/{whats_app_business_pre_verified_phone_number_id}/verify_code",
            "CreatePreverifiedNumberVerifyCode",
        ),
        (
            "GET",
            "/{whats_app_business_profile_id}",
            "GetWhatsAppBusinessProfile",
        ),
        (
            "POST",
            "/{whats_app_business_profile_id}",
            "UpdateWhatsAppBusinessProfile",
        ),
        (
            "GET",
            "/{whats_app_business_solution_id}",
            "GetWhatsAppBusinessSolution",
        ),
        (
            "POST",
            "/{whats_app_business_solution_id}/accept",
            "CreateAccept",
        ),
        (
            "POST",
            "/{whats_app_business_solution_id}/accept_deactivation_request",
            "CreateAcceptDeactivationRequest",
        ),
        (
            "GET",
            "/{whats_app_business_solution_id}/access_token",
            "ListAccessToken",
        ),
        (
            "POST",
            "/{whats_app_business_solution_id}/reject",
            "CreateReject",
        ),
        (
            "POST",
            "/{whats_app_business_solution_id}/reject_deactivation_request",
            "CreateRejectDeactivationRequest",
        ),
        (
            "POST",
            "/{whats_app_business_solution_id}/send_deactivation_request",
            "CreateSendDeactivationRequest",
        ),
        (
            "GET",
            "/{whats_app_message_template_id}",
            "GetWhatsAppMessageTemplate",
        ),
        (
            "POST",
            "/{whats_app_message_template_id}",
            "UpdateWhatsAppMessageTemplate",
        ),
        (
            "GET",
            "/{whats_app_message_template_id}/compare",
            "ListCompare",
        ),
        (
            "GET",
            "/{whats_app_solution_migration_intent_id}",
            "GetWhatsAppSolutionMigrationIntent",
        ),
    ];
    assert_eq!(got, want);
}

/// The operations of the five seed pages, with their parameters.
#[test]
fn operations_and_params() {
    let spec = spec();
    let want: &[(&str, &str, &[ParamFact])] = &[
        ("GET", WABA_ID, &[]),
        (
            "GET",
            CLIENTS,
            &[
                // The document adds `business_type` and `find`; Graph's generic read parameters
                // (fields, limit, before, after) are the runtime's, not the operation's.
                ("business_type", "list<enum BusinessType>", false),
                ("find", "string", false),
                ("filtering", "list<Filter>", false),
            ],
        ),
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
                // `cc` is required by the overlay; the document requires `phone_number` and
                // `verified_name`.
                ("cc", "string", true),
                ("migrate_phone_number", "bool", false),
                ("phone_number", "string", true),
                ("preverified_id", "string", false),
                ("verified_name", "string", true),
            ],
        ),
    ];
    assert_eq!(spec.operations.len(), 78);
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
    assert_eq!(curated, ["cc"]);
    let curated: Vec<&str> = op(&spec, "GET", CLIENTS)
        .params
        .iter()
        .filter(|p| p.curated)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(curated, ["filtering"]);
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
    // The anonymous `{success}` shape has exactly the members of the document's
    // `SuccessResponse` (structs/): it is that value type, not a second type of one shape.
    for (method, path) in [("POST", ASSIGNED), ("DELETE", ASSIGNED)] {
        match &op(&spec, method, path).returns {
            Returns::Object(name) => assert_eq!(name, "SuccessResponse", "{method} {path}"),
            other => panic!("{method} {path}: {other:?}"),
        }
    }
    // A create's `{id}` keeps its shape (its `id` is typed as the created node's).
    for (method, path, want_name, want_fields) in
        [("POST", PHONES, "IdResponse", [("id", "numeric string")])]
    {
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

/// The error codes the pages and the document list for each operation (a union: the pages'
/// codes first), and their descriptions.
#[test]
fn error_codes() {
    let spec = spec();
    for (method, path, codes) in [
        (
            "GET",
            WABA_ID,
            &[200008, 100, 80008, 200, 200005, 190, 2500, 803, 4, 2][..],
        ),
        ("GET", CLIENTS, &[368, 200, 190, 100, 80008, 104, 803, 4, 2]),
        ("GET", ASSIGNED, &[100, 200, 190, 80008, 803, 4, 2]),
        // The node page (002) adds 80008 to the edge page's (001) and the document's list.
        ("POST", ASSIGNED, &[100, 200, 190, 803, 4, 2, 80008]),
        ("DELETE", ASSIGNED, &[100, 190, 200, 803, 4, 2]),
        ("POST", PHONES, &[100, 200, 190, 803, 4, 2]),
    ] {
        assert_eq!(op(&spec, method, path).errors, codes, "{method} {path}");
    }
    let described = [
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
        let e = error_code(&spec, code);
        assert_eq!(
            e.description.as_deref(),
            Some(description),
            "error code {code}"
        );
        assert!(!e.curated, "error code {code} comes from a page");
    }
}

/// The generic codes' descriptions come from the English seed pages, not from the document's
/// per-operation example messages (prose: English pages, then the document: `graph.yaml`'s
/// table), and a curated description (Graph's error guides) is the API-wide meaning.
#[test]
fn generic_error_descriptions_follow_the_english_pages() {
    let spec = spec();
    for (code, description) in [
        (100, "Invalid parameter"),
        (104, "Incorrect signature"),
        (190, "Invalid OAuth 2.0 Access Token"),
        (200, "Permissions error"),
        (613, "Calls to this API have exceeded the rate limit"),
        (2, "API Service (temporary downtime)"),
    ] {
        let e = error_code(&spec, code);
        assert_eq!(
            e.description.as_deref(),
            Some(description),
            "error code {code}"
        );
    }
}
