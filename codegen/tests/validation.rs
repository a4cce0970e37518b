//! Every kind of spec problem is reported with its message and its place (file, line, column),
//! all problems of a run are collected, and no input makes the loader panic.
//!
//! Most cases copy a base spec into a temporary folder and make one edit, so each test shows the
//! mistake in context; a few use tiny hand-written specs. The base is a frozen fixture,
//! `tests/fixtures/seed_spec` (the six-operation spec regen wrote from the seed pages, Graph v20.0),
//! not the real `spec/`: regenerating `spec/` must not move these tests' anchors and locations.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

fn base_spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed_spec")
}

/// A copy of the base spec in a temporary folder.
struct SpecCopy {
    dir: TempDir,
}

impl SpecCopy {
    fn new() -> SpecCopy {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&base_spec(), dir.path());
        SpecCopy { dir }
    }

    /// An empty spec folder.
    fn empty() -> SpecCopy {
        SpecCopy {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// Replaces the only occurrence of `from` in `file` by `to`.
    fn edit(&self, file: &str, from: &str, to: &str) -> &SpecCopy {
        let path = self.path(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` must occur exactly once in {file}"
        );
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self
    }

    fn write(&self, file: &str, bytes: impl AsRef<[u8]>) -> &SpecCopy {
        let path = self.path(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    fn remove(&self, file: &str) -> &SpecCopy {
        std::fs::remove_file(self.path(file)).unwrap();
        self
    }

    /// Every diagnostic as (file relative to the spec folder, line, column, message).
    fn diags(&self) -> Vec<(String, usize, usize, String)> {
        match waba_codegen::spec::load(self.dir.path()) {
            Ok(_) => Vec::new(),
            Err(d) => {
                d.0.into_iter()
                    .map(|d| {
                        let file = d.file.strip_prefix(self.dir.path()).unwrap_or(&d.file);
                        (
                            file.to_string_lossy().into_owned(),
                            d.line,
                            d.column,
                            d.message,
                        )
                    })
                    .collect()
            }
        }
    }

    /// Asserts exactly these diagnostics, in this order.
    #[track_caller]
    fn expect(&self, want: &[(&str, usize, usize, &str)]) {
        let got = self.diags();
        let want: Vec<_> = want
            .iter()
            .map(|(f, l, c, m)| (f.to_string(), *l, *c, m.to_string()))
            .collect();
        assert_eq!(
            got,
            want,
            "\ngot:\n{}",
            got.iter().map(|d| format!("{d:?}\n")).collect::<String>()
        );
    }

    #[track_caller]
    fn expect_clean(&self) {
        self.expect(&[]);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

const WABA: &str = "nodes/WhatsAppBusinessAccount.yaml";
const ASSIGNED: &str = "edges/WhatsAppBusinessAccount.assigned_users.yaml";
const PHONES: &str = "edges/WhatsAppBusinessAccount.phone_numbers.yaml";
const CLIENTS: &str = "edges/Business.client_whatsapp_business_accounts.yaml";
const OVERLAY: &str = "overlay.yaml";
const GRAPH: &str = "graph.yaml";

#[test]
fn the_unedited_copy_is_clean() {
    SpecCopy::new().expect_clean();
}

// --- Reading and parsing -------------------------------------------------------------------

#[test]
fn yaml_syntax_error() {
    SpecCopy::new()
        .edit(
            WABA,
            "- name: country\n  type: string",
            "- name: country\n  type: [string",
        )
        .expect(&[(
            WABA,
            17,
            9,
            "fields[2].type: invalid type: sequence, expected a string",
        )]);
    SpecCopy::new()
        .edit(
            GRAPH,
            "version: v20.0",
            "version: v20.0\n  bad: indentation",
        )
        .expect(&[(
            GRAPH,
            3,
            6,
            "mapping values are not allowed in this context",
        )]);
}

#[test]
fn unknown_key() {
    SpecCopy::new()
        .edit(
            WABA,
            "- name: country\n  type: string",
            "- name: country\n  typ: string",
        )
        .expect(&[(
            WABA,
            17,
            3,
            "fields[2]: unknown field `typ`, expected one of `name`, `type`, `description`",
        )]);
    SpecCopy::new().edit(OVERLAY, "    rate_limit_class:", "    rate_limit_klass:").expect(&[(
        OVERLAY,
        35,
        5,
        "nodes.WhatsAppBusinessAccount: unknown field `rate_limit_klass`, expected one of `external`, `description`, \
         `reference`, `id_note`, `fields`, `field_types`, `rust_names`, `edge_names`, `rate_limit_class`, `id_of`",
    )]);
}

#[test]
fn missing_graph_yaml() {
    let spec = SpecCopy::new();
    spec.remove(GRAPH).expect(&[(
        GRAPH,
        0,
        0,
        "missing spec file (it holds the Graph API version)",
    )]);
}

#[test]
fn unknown_spec_file() {
    SpecCopy::new().write("overlays.yaml", "nodes: {}\n").expect(&[(
        "overlays.yaml",
        0,
        0,
        "unknown spec file `overlays.yaml`: expected graph.yaml, overlay.yaml, sources.yaml or a document under nodes/, edges/ or structs/",
    )]);
}

#[test]
fn document_in_the_wrong_folder() {
    let spec = SpecCopy::new();
    let text = std::fs::read_to_string(spec.path(PHONES)).unwrap();
    spec.remove(PHONES).write("nodes/WhatsAppBusinessAccount.phone_numbers.yaml", text).expect(&[(
        "nodes/WhatsAppBusinessAccount.phone_numbers.yaml",
        3,
        7,
        "edge document (edge `phone_numbers` of node `WhatsAppBusinessAccount`) under nodes/: move it to edges/",
    )]);
}

#[test]
fn bad_version() {
    SpecCopy::new()
        .edit(GRAPH, "version: v20.0", "version: 20.0")
        .expect(&[(
            GRAPH,
            2,
            10,
            "Graph API version `20.0` is not of the form vNN.N (e.g. v20.0)",
        )]);
}

// --- Types ---------------------------------------------------------------------------------

#[test]
fn unknown_type_reference() {
    SpecCopy::new().edit(CLIENTS, "returns: list<WhatsAppBusinessAccount>", "returns: list<WhatsAppBusinesAccount>").expect(&[(
        CLIENTS,
        21,
        17,
        "unknown type `WhatsAppBusinesAccount` in type `list<WhatsAppBusinesAccount>` (did you mean `WhatsAppBusinessAccount`?)",
    )]);
    SpecCopy::new().edit(WABA, "type: WABAOnBehalfOfComputedInfo", "type: WABAOnBehalfComputedInfo").expect(&[(
        WABA,
        32,
        9,
        "unknown type `WABAOnBehalfComputedInfo` in type `WABAOnBehalfComputedInfo` (did you mean `WABAOnBehalfOfComputedInfo`?)",
    )]);
}

#[test]
fn unknown_enum_reference() {
    // The POST of assigned_users is on both the node page and the edge page; the edge page owns it.
    SpecCopy::new()
        .edit(
            ASSIGNED,
            "type: array<enum Task>",
            "type: array<enum Tasks>",
        )
        .expect(&[(
            ASSIGNED,
            47,
            22,
            "unknown enum `Tasks` in type `array<enum Tasks>`",
        )]);
}

#[test]
fn malformed_type_grammar() {
    SpecCopy::new()
        .edit(
            PHONES,
            "- name: migrate_phone_number\n    type: boolean",
            "- name: migrate_phone_number\n    type: list<boolean",
        )
        .expect(&[(PHONES, 18, 11, "expected `>` in `list<boolean`")]);
    SpecCopy::new()
        .edit(
            PHONES,
            "returns: 'Struct {id: numeric string}'",
            "returns: 'Struct {id: numeric}'",
        )
        .expect(&[(
            PHONES,
            29,
            13,
            "expected `numeric string` in `Struct {id: numeric}`",
        )]);
}

#[test]
fn field_and_param_without_a_type() {
    SpecCopy::new().edit(WABA, "- name: country\n  type: string\n", "- name: country\n").expect(&[(
        WABA,
        16,
        9,
        "field `country` of node `WhatsAppBusinessAccount` has no type (give it one under `field_types` for node \
         `WhatsAppBusinessAccount` in overlay.yaml)",
    )]);
    SpecCopy::new()
        .edit(PHONES, "- name: cc\n    type: string\n", "- name: cc\n")
        .expect(&[(
            PHONES,
            14,
            11,
            "parameter `cc` of `POST /{whats_app_business_account_id}/phone_numbers` has no type",
        )]);
}

#[test]
fn external_node_used_as_a_field_type() {
    SpecCopy::new().edit(WABA, "type: WABAOnBehalfOfComputedInfo", "type: list<ProductCatalog>").expect(&[(
        WABA,
        32,
        14,
        "type `ProductCatalog` is an external node without a model; it can only be an edge target",
    )]);
}

#[test]
fn struct_outside_a_return_type() {
    SpecCopy::new()
        .edit(
            WABA,
            "- name: country\n  type: string",
            "- name: country\n  type: 'Struct {a: string}'",
        )
        .expect(&[(
            WABA,
            17,
            10,
            "`Struct {a: string}`: `Struct {…}` is only allowed as a return type",
        )]);
}

// --- Names ---------------------------------------------------------------------------------

#[test]
fn duplicate_field_names() {
    SpecCopy::new()
        .edit(WABA, "- name: currency\n", "- name: country\n")
        .expect(&[(
            WABA,
            19,
            9,
            "duplicate field `country` in node `WhatsAppBusinessAccount`",
        ), (
            OVERLAY,
            117,
            3,
            "default field `currency` is not a field `GET /{business_id}/client_whatsapp_business_accounts` returns",
        )]);
}

#[test]
fn duplicate_edge() {
    SpecCopy::new().edit(OVERLAY, "ProductCatalog: product_catalogs", "ProductCatalog: dataset").expect(&[(
        OVERLAY,
        31,
        7,
        "duplicate edge `dataset` in node `WhatsAppBusinessAccount` (to `Dataset` and to `ProductCatalog`)",
    )]);
}

#[test]
fn duplicate_operation_name() {
    SpecCopy::new().edit(OVERLAY, "rust_name: RemoveAssignedUser", "rust_name: AddAssignedUser").expect(&[(
        OVERLAY,
        141,
        14,
        "operation name `AddAssignedUser` is used by both `DELETE /{whats_app_business_account_id}/assigned_users` \
         and `POST /{whats_app_business_account_id}/assigned_users`",
    )]);
}

#[test]
fn field_named_like_a_keyword_and_its_rust_name() {
    // A keyword gets a trailing underscore by itself; the overlay may name it otherwise.
    let spec = SpecCopy::new();
    spec.edit(WABA, "- name: country\n", "- name: type\n")
        .expect_clean();
    let rust_name = |spec: &SpecCopy| {
        let (spec, _) = waba_codegen::spec::load(spec.dir.path()).unwrap();
        let node = spec.node("WhatsAppBusinessAccount").unwrap();
        let field = node.fields.iter().find(|f| f.name == "type").unwrap();
        field.rust_name.clone()
    };
    assert_eq!(rust_name(&spec), "type_");
    spec.edit(
        OVERLAY,
        "    rate_limit_class:",
        "    rust_names: {type: kind}\n    rate_limit_class:",
    )
    .expect_clean();
    assert_eq!(rust_name(&spec), "kind");
}

#[test]
fn param_named_like_a_keyword_and_its_rust_name() {
    let spec = SpecCopy::new();
    spec.edit(PHONES, "- name: preverified_id", "- name: type")
        .expect_clean();
    let param_name = |spec: &SpecCopy| {
        let (spec, _) = waba_codegen::spec::load(spec.dir.path()).unwrap();
        let op = spec
            .operations
            .iter()
            .find(|o| o.rust_name == "CreatePhoneNumber")
            .unwrap();
        op.params
            .iter()
            .find(|p| p.name == "type")
            .unwrap()
            .rust_name
            .clone()
    };
    assert_eq!(param_name(&spec), "type_");
    spec.edit(
        OVERLAY,
        "  required: [cc, phone_number]",
        "  required: [cc, phone_number]\n  rust_names: {type: kind}",
    )
    .expect_clean();
    assert_eq!(param_name(&spec), "kind");
}

#[test]
fn bad_rust_name_in_the_overlay() {
    SpecCopy::new()
        .edit(WABA, "- name: country\n", "- name: type\n")
        .edit(OVERLAY, "    rate_limit_class:", "    rust_names: {type: self}\n    rate_limit_class:")
        // The entry sits inside a flow mapping, so the place is its `rust_names:` line.
        .expect(&[(
            OVERLAY,
            35,
            5,
            "Rust name for field `type` of node `WhatsAppBusinessAccount`: `self` is a Rust keyword",
        )]);
}

#[test]
fn enum_values_that_collide_after_case_conversion() {
    SpecCopy::new().edit(WABA, "  Task:\n  - MANAGE\n", "  Task:\n  - MANAGE\n  - manage\n").expect(&[(
        WABA,
        145,
        5,
        "enum `Task` values `MANAGE` and `manage` collide: both become variant `Manage`; give it a variant name under \
         `variant_names` in overlay.yaml",
    )]);
    SpecCopy::new().edit(WABA, "  - pending_need_more_info\n", "  - pending_need_more_info\n  - PENDING_NEED_MORE_INFO\n").expect(&[(
        WABA,
        138,
        5,
        "enum `BusinessVerificationStatus` values `pending_need_more_info` and `PENDING_NEED_MORE_INFO` collide: both \
         become variant `PendingNeedMoreInfo`; give it a variant name under `variant_names` in overlay.yaml",
    )]);
}

#[test]
fn enum_value_that_becomes_a_keyword_and_its_variant_name() {
    // The base overlay already renames OwnershipType's SELF; without the rename it is an error.
    SpecCopy::new().edit(OVERLAY, "variant_names:\n  OwnershipType:\n    SELF: SelfOwned\n", "").expect(&[(
        OVERLAY,
        102,
        47,
        "enum `OwnershipType` value `SELF` gives an unusable variant name: `Self` is a Rust keyword; give \
         it a variant name under `variant_names` in overlay.yaml",
    )]);
    let (spec, _) = waba_codegen::spec::load(&base_spec()).unwrap();
    let own = spec.enum_type("OwnershipType").unwrap();
    assert_eq!(
        own.values
            .iter()
            .find(|v| v.wire == "SELF")
            .unwrap()
            .variant,
        "SelfOwned"
    );
}

#[test]
fn empty_enum() {
    SpecCopy::new()
        .edit(
            OVERLAY,
            "  OwnershipType: [CLIENT_OWNED, ON_BEHALF_OF, SELF]\n",
            "",
        )
        .edit(
            OVERLAY,
            "variant_names:\n  OwnershipType:\n    SELF: SelfOwned\n",
            "",
        )
        .expect(&[(
            WABA,
            142,
            3,
            "enum `OwnershipType` has no values (add them under `enums:` in overlay.yaml)",
        )]);
}

// --- Operations ----------------------------------------------------------------------------

#[test]
fn bad_path_template() {
    SpecCopy::new().edit(PHONES, "path: /{whats_app_business_account_id}/phone_numbers", "path: /{whats-app-business-account-id}/phone_numbers").expect(&[
        (
            PHONES,
            11,
            9,
            "path `/{whats-app-business-account-id}/phone_numbers` is not of the form /{node_id} or /{node_id}/edge",
        ),
        (
            OVERLAY,
            145,
            9,
            "overlay operation `POST /{whats_app_business_account_id}/phone_numbers` matches no documented operation",
        ),
    ]);
}

#[test]
fn overlay_entries_that_match_nothing() {
    SpecCopy::new()
        .edit(OVERLAY, "  path: /{whats_app_business_account_id}/phone_numbers", "  path: /{whats_app_business_account_id}/phone_number")
        .expect(&[(
            OVERLAY,
            145,
            9,
            "overlay operation `POST /{whats_app_business_account_id}/phone_number` matches no documented operation",
        )]);
    SpecCopy::new().edit(OVERLAY, "      WhatsAppApplication: subscribed_apps", "      WhatsAppApp: subscribed_apps").expect(&[
        (
            WABA,
            71,
            11,
            "edge to `WhatsAppApplication` of node `WhatsAppBusinessAccount` has no name: add it under `edge_names` in overlay.yaml",
        ),
        (OVERLAY, 33, 7, "overlay names an edge to `WhatsAppApp` that node `WhatsAppBusinessAccount` does not have"),
    ]);
    SpecCopy::new().edit(OVERLAY, "required: [cc, phone_number]", "required: [cc, phone_numbr]").expect(&[(
        OVERLAY,
        148,
        18,
        "overlay marks unknown parameter `phone_numbr` of `POST /{whats_app_business_account_id}/phone_numbers` required",
    )]);
    SpecCopy::new()
        .edit(
            OVERLAY,
            "    SELF: SelfOwned",
            "    SELF: SelfOwned\n    OTHER: Other",
        )
        .expect(&[(
            OVERLAY,
            108,
            5,
            "overlay renames `OTHER`, which is not a value of enum `OwnershipType`",
        )]);
    SpecCopy::new()
        .edit(
            OVERLAY,
            "      analytics: json",
            "      analytics: json\n      analytic: json",
        )
        .expect(&[(
            OVERLAY,
            19,
            7,
            "overlay types field `analytic`, which node `WhatsAppBusinessAccount` does not have",
        )]);
    SpecCopy::new()
        .edit(OVERLAY, "    rate_limit_class:", "    rust_names:\n      typ: kind\n    rate_limit_class:")
        .expect(&[(
            OVERLAY,
            36,
            7,
            "overlay gives a Rust name to field `typ`, which node `WhatsAppBusinessAccount` does not have",
        )]);
}

#[test]
fn the_same_key_twice() {
    SpecCopy::new()
        .edit(
            OVERLAY,
            "  Filter:\n",
            "  AssignedUser:\n    description: again\n  Filter:\n",
        )
        .expect(&[(
            OVERLAY,
            69,
            3,
            "`AssignedUser` is listed twice under `nodes`",
        )]);
}

#[test]
fn error_codes_that_no_table_describes() {
    SpecCopy::new().edit(PHONES, "  - 200\nunsupported", "  - 200\n  - 4242\nunsupported").expect(&[(
        PHONES,
        35,
        5,
        "`POST /{whats_app_business_account_id}/phone_numbers` lists error code 4242, which no error table describes",
    )]);
}

#[test]
fn error_variant_names_that_collide() {
    SpecCopy::new()
        .edit(
            OVERLAY,
            "104: {name: IncorrectSignature}",
            "104: {name: InvalidParameter}",
        )
        .expect(&[(
            OVERLAY,
            152,
            3,
            "error codes 100 and 104 both use variant name `InvalidParameter`",
        )]);
}

#[test]
fn error_subcode_variant_names_that_collide_or_are_not_identifiers() {
    SpecCopy::new()
        .edit(
            OVERLAY,
            "467: {name: InvalidAccessToken,",
            "467: {name: SessionExpired,",
        )
        .edit(OVERLAY, "492: {name: InvalidSession,", "492: {name: self,")
        .expect(&[
            (
                OVERLAY,
                178,
                3,
                "error subcodes 463 and 467 both use variant name `SessionExpired`",
            ),
            (
                OVERLAY,
                179,
                3,
                "error subcode 492: variant name `self` is a Rust keyword",
            ),
        ]);
}

// --- Locations follow the text -------------------------------------------------------------

#[test]
fn equal_names_in_different_operations_are_told_apart() {
    // `user` is a parameter of both the POST and the DELETE of assigned_users; the validator
    // reads the DELETE first (operations are ordered by path, then method), yet each problem
    // must point at its own line.
    SpecCopy::new()
        .edit(ASSIGNED, "    type: UID\n    required: true\n    description: Business user ID\n  returns: 'Struct {success: bool}'\n  errors:\n  - 100\nunsupported",
            "    type: UUID\n    required: true\n    description: Business user ID\n  returns: 'Struct {success: bool}'\n  errors:\n  - 100\nunsupported")
        .expect(&[(ASSIGNED, 65, 11, "unknown type `UUID` in type `UUID`")]);
}

#[test]
fn all_problems_are_collected_and_sorted_by_place() {
    SpecCopy::new()
        .edit(PHONES, "creates: WhatsAppBusinessPhoneNumber", "creates: WhatsAppBusinessPhoneNumbr")
        .edit(WABA, "type: enum OwnershipType", "type: enum Ownership")
        .edit(WABA, "- name: timezone_id\n  type: string", "- name: timezone_id\n  type: strin")
        .expect(&[
            (
                PHONES,
                30,
                12,
                "unknown type `WhatsAppBusinessPhoneNumbr` (created by `POST /{whats_app_business_account_id}/phone_numbers`) \
                 (did you mean `WhatsAppBusinessPhoneNumber`?)",
            ),
            (WABA, 35, 14, "unknown enum `Ownership` in type `enum Ownership`"),
            (WABA, 44, 9, "unknown type `strin`"),
            // The field with no valid type is no field the reads return.
            (
                OVERLAY,
                113,
                3,
                "default field `timezone_id` is not a field `GET /{whats_app_business_account_id}` returns",
            ),
            (
                OVERLAY,
                117,
                3,
                "default field `timezone_id` is not a field `GET /{business_id}/client_whatsapp_business_accounts` returns",
            ),
        ]);
}

// --- Garbage never panics ------------------------------------------------------------------

#[test]
fn garbage_input_gives_diagnostics_not_panics() {
    // serde_yaml stops at its recursion limit, but takes minutes to get through 100,000 levels.
    let deep_yaml = format!(
        "node: X\nnotes: {}{}\n",
        "[".repeat(1_000),
        "]".repeat(1_000)
    );
    let deep_type = format!(
        "node: X\nfields:\n- name: a\n  type: {}string{}\n",
        "list<".repeat(100_000),
        ">".repeat(100_000)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("binary", (0..=255u8).cycle().take(4096).collect()),
        ("empty", Vec::new()),
        ("a list", b"- node: X\n- node: Y\n".to_vec()),
        ("a scalar", b"just text".to_vec()),
        ("deep yaml", deep_yaml.into_bytes()),
        ("deep type", deep_type.into_bytes()),
        (
            "huge error code",
            b"node: X\nerrors:\n  99999999999999999999999999: big\n".to_vec(),
        ),
        (
            "negative error code",
            b"node: WhatsAppBusinessAccount\nerrors:\n  -5: negative\n".to_vec(),
        ),
        ("not utf-8", b"node: X\ntitle: caf\xe9\n".to_vec()),
        ("tabs", b"node: X\n\tfields: []\n".to_vec()),
        (
            "anchors",
            b"node: &a X\nedge: *a\nfields: &f [{name: a, type: string}]\n".to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        for file in ["nodes/Junk.yaml", GRAPH, OVERLAY] {
            let spec = SpecCopy::new();
            spec.write(file, &bytes);
            let diags = spec.diags();
            assert!(
                !diags.is_empty() || name == "empty" && file == OVERLAY,
                "{name} in {file}: no diagnostic"
            );
        }
    }
}

#[test]
fn garbage_details() {
    SpecCopy::new()
        .write("nodes/Junk.yaml", b"node: X\ntitle: caf\xe9\n")
        .expect(&[("nodes/Junk.yaml", 2, 11, "spec file is not valid UTF-8")]);
    SpecCopy::new()
        .write("nodes/Junk.yaml", "- node: X\n")
        .expect(&[(
            "nodes/Junk.yaml",
            1,
            1,
            "invalid type: sequence, expected struct PageDoc",
        )]);
    SpecCopy::new().write("nodes/Junk.yaml", "").expect(&[(
        "nodes/Junk.yaml",
        1,
        1,
        "missing field `node`",
    )]);
    SpecCopy::new()
        .write(
            "nodes/Junk.yaml",
            "node: X\nerrors:\n  99999999999999999999999999: big\n",
        )
        .expect(&[(
            "nodes/Junk.yaml",
            3,
            3,
            "errors: invalid type: integer `99999999999999999999999999` as u128, expected i64",
        )]);
    SpecCopy::new()
        .edit(
            PHONES,
            "  100: Invalid parameter",
            "  -100: Invalid parameter",
        )
        .expect(&[(PHONES, 40, 3, "error code -100 is not a positive number")]);
}

// --- Tiny hand-written specs ---------------------------------------------------------------

#[test]
fn minimal_spec_loads() {
    let spec = SpecCopy::empty();
    spec.write(GRAPH, "version: v1.0\n").write(
        "nodes/Thing.yaml",
        "node: Thing\nfields:\n- name: id\n  type: numeric string\noperations:\n- method: GET\n  path: /{thing_id}\n  returns: Thing\n",
    );
    spec.expect_clean();
    let (loaded, _) = waba_codegen::spec::load(spec.dir.path()).unwrap();
    assert_eq!(loaded.operations[0].rust_name, "GetThing");
}

#[test]
fn missing_spec_folder() {
    let spec = SpecCopy::empty();
    let missing = spec.path("nope");
    let err = waba_codegen::spec::load(&missing).unwrap_err();
    assert_eq!(err.0.len(), 1);
    assert_eq!(err.0[0].file, missing);
    assert!(
        err.0[0].message.starts_with("cannot read spec folder: "),
        "{}",
        err.0[0].message
    );
}

// --- Handles ---------------------------------------------------------------------------------

#[test]
fn short_names_are_checked() {
    SpecCopy::new()
        .edit(
            OVERLAY,
            "    AssignedUser: user\n",
            "    AssignedUsr: user\n    Business: Biz\n",
        )
        .expect(&[
            (OVERLAY, 186, 5, "short name for unknown node `AssignedUsr`"),
            (OVERLAY, 187, 5, "short name `Biz` is not snake_case"),
        ]);
    SpecCopy::new()
        .edit(OVERLAY, "    AssignedUser: user\n", "    AssignedUser: waba\n")
        .expect(&[(
            OVERLAY,
            185,
            5,
            "nodes `AssignedUser` and `WhatsAppBusinessAccount` have one short name `waba`: give one of them another under `short_names.nodes`",
        )]);
    SpecCopy::new()
        .edit(
            OVERLAY,
            "    client_whatsapp_business_accounts: client_wabas",
            "    client_accounts: client_wabas",
        )
        .expect(&[(
            OVERLAY,
            191,
            5,
            "short name for unknown edge `client_accounts`",
        )]);
}

#[test]
fn two_operations_on_one_handle_method() {
    SpecCopy::new()
        .edit(
            OVERLAY,
            "  rust_name: RemoveAssignedUser\n",
            "  rust_name: RemoveAssignedUser\n  handle_method: add\n",
        )
        // Reported at the later operation (path, then method order).
        .expect(&[(
            OVERLAY,
            133,
            9,
            "`POST /{whats_app_business_account_id}/assigned_users` and `DELETE /{whats_app_business_account_id}/assigned_users` would be one handle method `add`: set `handle_method` for one of them in the overlay",
        )]);
}

#[test]
fn field_types_name_added_fields() {
    SpecCopy::new()
        .edit(
            OVERLAY,
            "    tasks: list<enum Task>",
            "    taks: list<enum Task>",
        )
        .expect(&[(
            OVERLAY,
            131,
            5,
            "`field_types` names `taks`, which this operation does not add",
        )]);
    SpecCopy::new()
        .edit(
            OVERLAY,
            "    tasks: list<enum Task>",
            "    tasks: list<enum Tusk>",
        )
        .expect(&[(
            OVERLAY,
            131,
            22,
            "unknown enum `Tusk` in type `list<enum Tusk>`",
        )]);
}

/// New edges need no code: an edge that holds objects becomes an edge handle whose methods are
/// named by the operation kind; an edge that holds nothing becomes an action on its node,
/// named after the edge; an ID parameter named after a node takes that node's typed ID.
#[test]
fn new_edges_get_handles_from_their_data() {
    let copy = SpecCopy::new();
    copy.write(
        "edges/WhatsAppBusinessAccount.subscribed_apps.yaml",
        "node: WhatsAppBusinessAccount
edge: subscribed_apps
operations:
- kind: read
  method: GET
  path: /{whats_app_business_account_id}/subscribed_apps
  returns: list<Business>
- kind: update
  method: POST
  path: /{whats_app_business_account_id}/subscribed_apps
  returns: 'Struct {success: bool}'
- kind: delete
  method: DELETE
  path: /{whats_app_business_account_id}/subscribed_apps
  returns: 'Struct {success: bool}'
",
    )
    .write(
        "edges/WhatsAppBusinessAccount.assign_owner.yaml",
        "node: WhatsAppBusinessAccount
edge: assign_owner
operations:
- kind: update
  method: POST
  path: /{whats_app_business_account_id}/assign_owner
  params:
  - name: business
    type: numeric string
    required: true
  - name: note
    type: string
  returns: 'Struct {success: bool}'
",
    );
    copy.expect_clean();
    let (spec, _) = waba_codegen::spec::load(copy.dir.path()).unwrap();
    let call = |path: &str, method: &str| {
        let op = spec
            .operations
            .iter()
            .find(|o| o.path == path && o.method.as_str() == method)
            .unwrap();
        (op.call.edge.clone(), op.call.method.clone())
    };
    let apps = "/{whats_app_business_account_id}/subscribed_apps";
    assert_eq!(
        call(apps, "GET"),
        (Some("subscribed_apps".into()), "list".into())
    );
    assert_eq!(
        call(apps, "POST"),
        (Some("subscribed_apps".into()), "add".into())
    );
    assert_eq!(
        call(apps, "DELETE"),
        (Some("subscribed_apps".into()), "remove".into())
    );
    let action = "/{whats_app_business_account_id}/assign_owner";
    assert_eq!(call(action, "POST"), (None, "assign_owner".into()));
    let code = waba_codegen::emit::render(&spec, "crate").unwrap();
    assert!(code.contains("pub fn subscribed_apps(&self) -> WabaSubscribedAppsHandle"));
    assert!(code.contains("pub struct WabaSubscribedAppsHandle"));
    let signature = code
        .split("pub fn assign_owner(")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("an action method on the WABA handle");
    // The required ID is a borrowed typed ID; the optional `note` is a setter, not an argument.
    assert_eq!(
        signature.split_whitespace().collect::<Vec<_>>(),
        ["&self,", "business:", "&super::ids::BusinessId,"]
    );
}

// --- Value types (structs/) ----------------------------------------------------------------

const BACKUP: &str = "structs/Backup.yaml";

/// The base spec plus one struct document, used by a field of the WABA node.
fn with_struct(doc: &str) -> SpecCopy {
    let spec = SpecCopy::new();
    spec.write(BACKUP, doc)
        .edit(WABA, "type: WABAOnBehalfOfComputedInfo", "type: Backup");
    spec
}

#[test]
fn struct_documents_load_and_resolve() {
    let spec = with_struct(
        "struct: Backup\nfields:\n- name: password\n  type: string\n  required: true\n- name: data\n  type: map<string, list<enum Task>>\n- name: ref\n  type: string\n",
    );
    spec.expect_clean();
    let (loaded, _) = waba_codegen::spec::load(spec.dir.path()).unwrap();
    let backup = loaded.struct_type("Backup").unwrap();
    let waba_codegen::spec::model::Shape::Fields(fields) = &backup.shape else {
        panic!("a record");
    };
    let names: Vec<_> = fields
        .iter()
        .map(|f| (f.rust_name.as_str(), f.always, f.ty.to_string()))
        .collect();
    assert_eq!(
        names,
        [
            ("password", true, "string".to_string()),
            ("data", false, "map<string, list<enum Task>>".to_string()),
            ("ref_", false, "string".to_string())
        ]
    );
}

#[test]
fn unknown_struct_type() {
    with_struct("struct: Backup\nfields:\n- name: owner\n  type: BackupOwner\n").expect(&[(
        BACKUP,
        4,
        9,
        "unknown type `BackupOwner` in type `BackupOwner`",
    )]);
    with_struct("struct: Backup\nfields:\n- name: owner\n  type: Bakup\n").expect(&[(
        BACKUP,
        4,
        9,
        "unknown type `Bakup` in type `Bakup` (did you mean `Backup`?)",
    )]);
}

#[test]
fn struct_names_clash_with_nodes_enums_and_each_other() {
    SpecCopy::new()
        .write("structs/Task.yaml", "struct: Task\nfields: []\n")
        .expect(&[(
            "structs/Task.yaml",
            1,
            9,
            "struct `Task` has the name of enum `Task`: type names must be unique",
        )]);
    SpecCopy::new()
        .write(
            "structs/WhatsAppBusinessAccount.yaml",
            "struct: WhatsAppBusinessAccount\n",
        )
        .expect(&[(
            "structs/WhatsAppBusinessAccount.yaml",
            1,
            9,
            "struct `WhatsAppBusinessAccount` has the name of node `WhatsAppBusinessAccount` (WhatsAppBusinessAccount.yaml): type names must be unique",
        )]);
    SpecCopy::new()
        .write("structs/Backup.yaml", "struct: Backup\n")
        .write("structs/Backup2.yaml", "struct: Backup\n")
        .expect(&[(
            "structs/Backup2.yaml",
            1,
            9,
            "struct `Backup` is in structs/Backup2.yaml: name the file Backup.yaml",
        )]);
    SpecCopy::new()
        .write("structs/Backup.yaml", "struct: Backup\n")
        .write("structs/Backup.yml", "struct: Backup\n")
        .expect(&[(
            "structs/Backup.yml",
            1,
            9,
            "struct `Backup` is already described by Backup.yaml",
        )]);
}

#[test]
fn struct_enums_join_the_spec_enums() {
    // A struct's inline enum is one more declaration: values merge, names must stay usable.
    with_struct(
        "struct: Backup\nfields:\n- name: task\n  type: enum Task\nenums:\n  Task:\n  - ARCHIVE\n",
    )
    .expect_clean();
    with_struct("struct: Backup\nfields:\n- name: kind\n  type: enum BackupKind\nenums:\n  BackupKind:\n  - a-b\n  - A_B\n")
        .expect(&[(
            BACKUP,
            8,
            5,
            "enum `BackupKind` values `a-b` and `A_B` collide: both become variant `AB`; give it a variant name under `variant_names` in overlay.yaml",
        )]);
}

#[test]
fn one_of_rules() {
    let head = "struct: Backup\none_of:\n";
    with_struct(&format!("{head}- type: string\n  tag: A\n- type: Bakup\n"))
        .expect(&[(
            BACKUP,
            4,
            3,
            "alternative `string` of struct `Backup` has tag `A` but the struct has no `discriminator`",
        ), (
            BACKUP,
            5,
            9,
            "unknown type `Bakup` in type `Bakup` (did you mean `Backup`?)",
        )]);
    with_struct(&format!("{head}- type: string\n  tag: A\n- type: list<string>\ndiscriminator: kind\n"))
        .expect(&[(
            BACKUP,
            5,
            9,
            "alternative `list<string>` of struct `Backup` has no `tag` (the value of `kind` that selects it)",
        )]);
    with_struct(&format!("{head}- type: string\n- type: string\nfields:\n- name: x\n  type: string\n"))
        .expect(&[(
            BACKUP,
            4,
            9,
            "alternative `string` of struct `Backup` gives variant name `String`, which is already used by another alternative",
        ), (
            BACKUP,
            5,
            1,
            "struct `Backup` has both `fields` and `one_of`: a oneOf type is one of its alternatives",
        )]);
}

#[test]
fn json_bodies_only_on_posts() {
    SpecCopy::new()
        .edit(
            ASSIGNED,
            "  method: GET\n",
            "  method: GET\n  body: json\n",
        )
        .expect(&[(
            ASSIGNED,
            11,
            9,
            "`GET /{whats_app_business_account_id}/assigned_users` has `body: json`, but only a POST carries a JSON body",
        )]);
}

#[test]
fn overlay_fields_refine_the_page_field_of_the_same_name() {
    let spec = SpecCopy::new();
    spec.edit(
        OVERLAY,
        "(returned by Graph with every node).\n",
        "(returned by Graph with every node).\n    - name: currency\n      always: true\n      description: Curated.\n",
    );
    spec.expect_clean();
    let (loaded, _) = waba_codegen::spec::load(spec.dir.path()).unwrap();
    let node = loaded.node("WhatsAppBusinessAccount").unwrap();
    let currency: Vec<_> = node
        .fields
        .iter()
        .filter(|f| f.name == "currency")
        .collect();
    assert_eq!(currency.len(), 1);
    assert!(currency[0].always);
    assert_eq!(currency[0].ty.to_string(), "string");
    assert_eq!(currency[0].description.as_deref(), Some("Curated."));
}

#[test]
fn overlay_names_struct_members() {
    let spec = with_struct("struct: Backup\nfields:\n- name: ref\n  type: string\n");
    let overlay = std::fs::read_to_string(spec.path(OVERLAY)).unwrap();
    let lines = overlay.lines().count();
    spec.write(
        OVERLAY,
        format!("{overlay}structs:\n  Backup:\n    rust_names:\n      ref: reference\n"),
    );
    spec.expect_clean();
    let (loaded, _) = waba_codegen::spec::load(spec.dir.path()).unwrap();
    let waba_codegen::spec::model::Shape::Fields(fields) =
        &loaded.struct_type("Backup").unwrap().shape
    else {
        panic!("a record");
    };
    assert_eq!(fields[0].rust_name, "reference");
    spec.write(
        OVERLAY,
        format!(
            "{overlay}structs:\n  Backup:\n    rust_names:\n      rf: reference\n  Bakup: {{}}\n"
        ),
    );
    spec.expect(&[
        (
            OVERLAY,
            lines + 4,
            7,
            "overlay gives a Rust name to field `rf`, which struct `Backup` does not have",
        ),
        (
            OVERLAY,
            lines + 5,
            3,
            "overlay names struct `Bakup`, which no document under structs/ declares",
        ),
    ]);
}

#[test]
fn a_struct_may_hold_itself_only_through_a_list_or_a_map() {
    with_struct("struct: Backup\nfields:\n- name: parts\n  type: list<Backup>\n- name: byname\n  type: map<string, Backup>\n")
        .expect_clean();
    let spec = with_struct("struct: Backup\nfields:\n- name: part\n  type: BackupPart\n");
    spec.write(
        "structs/BackupPart.yaml",
        "struct: BackupPart\none_of:\n- type: Backup\n- type: string\n",
    )
    .expect(&[(
        BACKUP,
        1,
        9,
        "struct `Backup` holds itself through `part` → `BackupPart`, `Backup` → `Backup`: a value type cannot contain itself except through a list or a map",
    )]);
}

// --- Borrowed IDs (overlay `id_of`) ----------------------------------------------------------

#[test]
fn id_of_names_a_node_of_the_spec() {
    SpecCopy::new()
        .edit(
            OVERLAY,
            "    description: A business user assigned to a WhatsApp Business Account.\n",
            "    description: A business user assigned to a WhatsApp Business Account.\n    id_of: BusinessUsr\n",
        )
        .expect(&[(
            OVERLAY,
            46,
            5,
            "id_of: `BusinessUsr` is not a node of the spec",
        )]);
}

#[test]
fn a_node_operations_start_at_keeps_its_own_id() {
    SpecCopy::new()
        .edit(
            OVERLAY,
            "    # The pages state where to find a WABA's ID only in their localized prose.\n",
            "    id_of: AssignedUser\n",
        )
        .expect(&[(
            OVERLAY,
            6,
            5,
            "id_of: `WhatsAppBusinessAccount` is where `GET /{whats_app_business_account_id}` starts, so it needs an ID of its own",
        )]);
}

#[test]
fn a_struct_borrows_the_id_of_a_node_when_it_has_an_id() {
    let spec = with_struct("struct: Backup\nfields:\n- name: id\n  type: string\n");
    let overlay = std::fs::read_to_string(spec.path(OVERLAY)).unwrap();
    let lines = overlay.lines().count();
    spec.write(
        OVERLAY,
        format!("{overlay}structs:\n  Backup: {{id_of: WhatsAppBusinessAccount}}\n"),
    );
    spec.expect_clean();
    let (loaded, _) = waba_codegen::spec::load(spec.dir.path()).unwrap();
    assert_eq!(
        loaded.struct_type("Backup").unwrap().id_of.as_deref(),
        Some("WhatsAppBusinessAccount")
    );
    // An unknown node, and a struct without an `id` member.
    spec.write(
        OVERLAY,
        format!("{overlay}structs:\n  Backup: {{id_of: Wabba}}\n"),
    );
    spec.expect(&[(
        OVERLAY,
        lines + 2,
        3,
        "id_of: `Wabba` is not a node of the spec",
    )]);
    spec.write(
        BACKUP,
        "struct: Backup\nfields:\n- name: ref\n  type: string\n",
    );
    spec.write(
        OVERLAY,
        format!("{overlay}structs:\n  Backup: {{id_of: WhatsAppBusinessAccount}}\n"),
    );
    spec.expect(&[(
        OVERLAY,
        lines + 2,
        3,
        "id_of: struct `Backup` has no `id` member",
    )]);
}
