//! Value types (`spec/structs/`), maps, `oneOf` types and JSON bodies, on the fixture spec in
//! `tests/fixtures/structs` (an invented `Shop` node whose template components mirror Meta's):
//! the validated model, and the generated code as a reviewed snapshot
//! (`tests/snapshots/structs_generated.rs`; `WABA_BLESS=1 cargo test -p waba-codegen --test
//! structs` re-blesses it).

mod common;

use std::path::PathBuf;

use waba_codegen::spec::model::{BodyEncoding, Returns, Shape};
use waba_codegen::spec::types::Type;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/structs")
}

fn load() -> waba_codegen::spec::Spec {
    match waba_codegen::spec::load(&fixture()) {
        Ok((spec, _)) => spec,
        Err(d) => panic!("the fixture spec has problems:\n{d}"),
    }
}

#[test]
fn the_model_has_structs_one_ofs_maps_and_json_bodies() {
    let spec = load();
    let names: Vec<&str> = spec.structs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "BodyComponent",
            "BodyExample",
            "Component",
            "Contact",
            "EmailContact",
            "HeaderComponent",
            "OpeningHours",
            "PhoneContact",
            "ShopSettings",
            "TemplateResult"
        ]
    );
    let Shape::Fields(settings) = &spec.struct_type("ShopSettings").unwrap().shape else {
        panic!("ShopSettings is a record");
    };
    let required: Vec<(&str, bool)> = settings
        .iter()
        .map(|f| (f.name.as_str(), f.always))
        .collect();
    assert_eq!(
        required,
        [
            ("currency", true),
            ("timezone_id", false),
            ("tags", false),
            ("hours", false),
            ("contact", false)
        ]
    );
    assert_eq!(
        settings[3].ty,
        Type::Map(Box::new(Type::Object("OpeningHours".into())))
    );
    let Shape::OneOf {
        alternatives,
        discriminator,
    } = &spec.struct_type("Component").unwrap().shape
    else {
        panic!("Component is a oneOf");
    };
    assert_eq!(discriminator.as_deref(), Some("type"));
    let alts: Vec<(&str, Option<&str>)> = alternatives
        .iter()
        .map(|a| (a.variant.as_str(), a.tag.as_deref()))
        .collect();
    assert_eq!(
        alts,
        [
            ("HeaderComponent", Some("HEADER")),
            ("BodyComponent", Some("BODY"))
        ]
    );
    // Struct enums join the spec's enums.
    assert!(spec.enum_type("HeaderFormat").is_some());
    assert!(spec.enum_type("TemplateStatus").is_some());

    let create = spec
        .operations
        .iter()
        .find(|o| o.path.ends_with("/templates"))
        .unwrap();
    assert_eq!(create.body, BodyEncoding::Json);
    assert!(matches!(&create.returns, Returns::Object(n) if n == "TemplateResult"));
    let kw = create.params.iter().find(|p| p.name == "type").unwrap();
    assert_eq!(kw.rust_name, "type_");
    let read = spec
        .operations
        .iter()
        .find(|o| o.path == "/{shop_id}" && o.method.as_str() == "GET")
        .unwrap();
    assert_eq!(read.body, BodyEncoding::Form);
    // An answer the document leaves untyped is any JSON value.
    let insights = spec
        .operations
        .iter()
        .find(|o| o.path.ends_with("/insights"))
        .unwrap();
    assert!(matches!(insights.returns, Returns::Json));

    // The overlay's `id` refines the page's `id` (one field, always returned, typed as the page).
    let shop = spec.node("Shop").unwrap();
    let ids: Vec<_> = shop.fields.iter().filter(|f| f.name == "id").collect();
    assert_eq!(ids.len(), 1);
    assert!(ids[0].always);
    assert_eq!(ids[0].description.as_deref(), Some("ID of the shop."));
    let node_type = shop.fields.iter().find(|f| f.name == "type").unwrap();
    assert_eq!(node_type.rust_name, "type_");
    assert_eq!(
        shop.fields
            .iter()
            .find(|f| f.name == "settings")
            .unwrap()
            .ty,
        Type::Object("ShopSettings".into())
    );
}

#[test]
fn generated_code_matches_snapshot() {
    let code = match waba_codegen::Config::new(fixture()).generate() {
        Ok(out) => out.code,
        Err(d) => panic!("the fixture spec has problems:\n{d}"),
    };
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/structs_generated.rs");
    common::assert_snapshot(&path, &code, "structs");
}
