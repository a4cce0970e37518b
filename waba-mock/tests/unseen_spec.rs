//! Proof that no endpoint is special: the mock serves a spec it has never seen (the invented
//! GadgetWorkshop API of xtask's fixtures, plus a `gadgets` edge and a `Gadget` node added here)
//! with no code of its own for it. Created objects are listed, read, updated and deleted;
//! memberships are added and removed; Graph's validation applies to every operation.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use waba_mock::{MockConfig, MockServer, Seed};

const WORKSHOP: &str = "900000000000001";

/// A `gadgets` edge on GadgetWorkshop (list and create) and a `Gadget` node (read, update,
/// delete), in the form `cargo xtask regen` writes.
const GADGETS_EDGE: &str = "\
node: GadgetWorkshop
edge: gadgets
title: Gadget Workshop Gadgets
description: The gadgets built in a workshop.
operations:
- kind: read
  method: GET
  path: /{gadget_workshop_id}/gadgets
  description: Lists the gadgets of a workshop.
  returns: list<Gadget>
  summary_fields:
  - name: total_count
    type: unsigned int32
    description: Number of gadgets
  errors:
  - 100
- kind: create
  method: POST
  path: /{gadget_workshop_id}/gadgets
  description: Builds a gadget in a workshop.
  params:
  - name: name
    type: string
    required: true
    description: Name of the gadget
  - name: weight_grams
    type: unsigned int32
    description: Weight in grams
  - name: finish
    type: enum Finish
    description: Surface finish
  returns: 'Struct {id: numeric string}'
  creates: Gadget
  errors:
  - 100
enums:
  Finish:
  - MATTE
  - GLOSS
errors:
  100: Invalid parameter
";

const GADGET_NODE: &str = "\
node: Gadget
title: Gadget
description: A gadget built in a workshop.
fields:
- name: id
  type: numeric string
  description: ID of the gadget
- name: name
  type: string
  description: Name of the gadget
- name: weight_grams
  type: unsigned int32
  description: Weight in grams
- name: finish
  type: enum Finish
  description: Surface finish
- name: is_working
  type: bool
  description: Whether it works
operations:
- kind: read
  method: GET
  path: /{gadget_id}
  description: Returns a gadget.
  returns: Gadget
  errors:
  - 100
- kind: update
  method: POST
  path: /{gadget_id}
  description: Changes a gadget.
  params:
  - name: name
    type: string
    description: Name of the gadget
  - name: weight_grams
    type: unsigned int32
    description: Weight in grams
  returns: 'Struct {success: bool}'
  errors:
  - 100
- kind: delete
  method: DELETE
  path: /{gadget_id}
  description: Takes a gadget apart.
  returns: 'Struct {success: bool}'
  errors:
  - 100
enums:
  Finish:
  - MATTE
  - GLOSS
errors:
  100: Invalid parameter
";

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

/// The fixture spec plus the `gadgets` edge and the `Gadget` node.
fn workshop_spec() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../xtask/tests/fixtures/spec");
    copy_dir(&fixture, dir.path());
    let edit = |rel: &str, from: &str, to: &str| {
        let path = dir.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "nodes/GadgetWorkshop.yaml",
        "edges:\n",
        "edges:\n- target: Gadget\n  description: gadgets\n",
    );
    edit(
        "overlay.yaml",
        "      WorkshopBlueprint: blueprints\n",
        "      WorkshopBlueprint: blueprints\n      Gadget: gadgets\n",
    );
    std::fs::write(
        dir.path().join("edges/GadgetWorkshop.gadgets.yaml"),
        GADGETS_EDGE,
    )
    .unwrap();
    std::fs::write(dir.path().join("nodes/Gadget.yaml"), GADGET_NODE).unwrap();
    dir
}

async fn start_workshop(spec: &Path) -> MockServer {
    MockServer::start(MockConfig {
        spec_dir: Some(spec.to_path_buf()),
        seed: Seed {
            objects: BTreeMap::from([("GadgetWorkshop".to_string(), vec![WORKSHOP.to_string()])]),
            ..Seed::default()
        },
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

fn ids(r: &Resp) -> Vec<String> {
    r.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data: {}", r.body))
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn created_objects_are_listed_read_updated_and_deleted() {
    let spec = workshop_spec();
    let mock = start_workshop(spec.path()).await;
    let gadgets = format!("{WORKSHOP}/gadgets");

    // The workshop itself: a node read with values from the spec's types.
    let r = get(
        &mock,
        WORKSHOP,
        &[("fields", "display_name,bench_count,banner_color")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], WORKSHOP);
    assert!(r.body["bench_count"].is_u64(), "{}", r.body);
    assert!(["crimson", "teal", "ochre"].contains(&r.body["banner_color"].as_str().unwrap()));

    // Create.
    let r = call(
        &mock,
        Method::POST,
        &gadgets,
        &[],
        &[
            ("name", "Widget"),
            ("weight_grams", "120"),
            ("finish", "MATTE"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body, json!({ "id": id }));
    let created = mock.created(WORKSHOP, "gadgets");
    assert_eq!(created.len(), 1);
    assert_eq!(
        (created[0].id.as_str(), created[0].params["name"].as_str()),
        (id.as_str(), "Widget")
    );
    assert_eq!(mock.stats().created_of("Gadget"), 1);

    // The list shows it (default fields: id and name), with a summary.
    let r = get(&mock, &gadgets, &[("summary", "total_count")]).await;
    assert_eq!(
        r.body["data"],
        json!([{ "id": id, "name": "Widget" }]),
        "{}",
        r.body
    );
    assert_eq!(r.body["summary"], json!({ "total_count": 1 }));

    // Read: the values it was created with, typed; the others from the spec's types.
    let r = get(
        &mock,
        &id,
        &[("fields", "name,weight_grams,finish,is_working")],
    )
    .await;
    assert_eq!(r.body["name"], "Widget");
    assert_eq!(r.body["weight_grams"], 120);
    assert_eq!(r.body["finish"], "MATTE");
    assert!(r.body["is_working"].is_boolean(), "{}", r.body);

    // Update (JSON body too): later reads and the list show the new values.
    let r = call(&mock, Method::POST, &id, &[], &[("name", "Sprocket")]).await;
    assert_eq!(r.body, json!({ "success": true }));
    let r = send(
        client()
            .post(url(&mock, &id))
            .bearer_auth(&mock.seed().access_token)
            .json(&json!({ "weight_grams": 95 })),
    )
    .await;
    assert_eq!(r.body, json!({ "success": true }));
    let r = get(&mock, &id, &[("fields", "name,weight_grams")]).await;
    assert_eq!(
        r.body,
        json!({ "id": id, "name": "Sprocket", "weight_grams": 95 })
    );
    let r = get(&mock, &gadgets, &[("fields", "weight_grams")]).await;
    assert_eq!(r.body["data"], json!([{ "id": id, "weight_grams": 95 }]));

    // A second one pages after the first.
    let r = call(&mock, Method::POST, &gadgets, &[], &[("name", "Gizmo")]).await;
    let second = r.body["id"].as_str().unwrap().to_string();
    let r = get(&mock, &gadgets, &[("limit", "1")]).await;
    assert_eq!(ids(&r), [id.as_str()]);
    let after = r.body["paging"]["cursors"]["after"]
        .as_str()
        .unwrap()
        .to_string();
    let r = get(&mock, &gadgets, &[("limit", "1"), ("after", &after)]).await;
    assert_eq!(ids(&r), [second.as_str()]);

    // Delete: gone from reads and from the list.
    let r = call(&mock, Method::DELETE, &id, &[], &[]).await;
    assert_eq!(r.body, json!({ "success": true }));
    let r = get(&mock, &id, &[]).await;
    assert_error(&r, 100, "GraphMethodException", Some(33));
    let r = get(&mock, &gadgets, &[]).await;
    assert_eq!(ids(&r), [second]);
    let stats = mock.stats();
    assert_eq!(stats.state_changes["CreateGadget"], 2, "{stats:?}");
}

#[tokio::test]
async fn memberships_are_added_changed_and_removed() {
    let spec = workshop_spec();
    let mock = start_workshop(spec.path()).await;
    let tinkerers = format!("{WORKSHOP}/tinkerers");
    let guild = [("guild", "42")];
    let r = get(&mock, &tinkerers, &guild).await;
    assert_eq!(r.body["data"], json!([]), "{}", r.body);

    let add = |who: &'static str, skills: &'static str| {
        let mock = &mock;
        let tinkerers = tinkerers.clone();
        async move {
            call(
                mock,
                Method::POST,
                &tinkerers,
                &[],
                &[("tinkerer", who), ("skills", skills)],
            )
            .await
        }
    };
    assert_eq!(
        add("777", r#"["WELD","WELD","PAINT"]"#).await.body,
        json!({ "success": true })
    );
    add("778", r#"["SKETCH"]"#).await;
    add("777", r#"["SOLDER"]"#).await;
    let r = get(&mock, &tinkerers, &[("guild", "42"), ("fields", "skills")]).await;
    assert_eq!(
        r.body["data"],
        json!([{ "id": "777", "skills": ["SOLDER"] }, { "id": "778", "skills": ["SKETCH"] }])
    );

    let r = call(
        &mock,
        Method::DELETE,
        &tinkerers,
        &[("tinkerer", "777")],
        &[],
    )
    .await;
    assert_eq!(r.body, json!({ "success": true }));
    let r = get(&mock, &tinkerers, &guild).await;
    assert_eq!(ids(&r), ["778"]);

    // An edge whose created type the spec does not document keeps what it was created with.
    let blueprints = format!("{WORKSHOP}/blueprints");
    let r = call(
        &mock,
        Method::POST,
        &blueprints,
        &[],
        &[("title", "Rotor"), ("layers", r#"["ink"]"#)],
    )
    .await;
    assert!(r.body["id"].is_string(), "{}", r.body);
    assert_eq!(
        mock.created(WORKSHOP, "blueprints")[0].params["title"],
        "Rotor"
    );
}

#[tokio::test]
async fn graph_validation_applies_to_every_operation() {
    let spec = workshop_spec();
    let mock = start_workshop(spec.path()).await;
    let gadgets = format!("{WORKSHOP}/gadgets");
    let post = |path: String, form: Vec<(&'static str, &'static str)>| {
        let mock = &mock;
        async move { call(mock, Method::POST, &path, &[], &form).await }
    };
    let cases = [
        // Missing, empty, outside the enum, malformed number.
        (gadgets.clone(), vec![("weight_grams", "1")], "name"),
        (gadgets.clone(), vec![("name", "")], "name"),
        (
            gadgets.clone(),
            vec![("name", "x"), ("finish", "SHINY")],
            "finish",
        ),
        (
            gadgets.clone(),
            vec![("name", "x"), ("weight_grams", "-3")],
            "weight_grams",
        ),
        (
            format!("{WORKSHOP}/tinkerers"),
            vec![("tinkerer", "1"), ("skills", "WELD")],
            "skills",
        ),
        (
            format!("{WORKSHOP}/tinkerers"),
            vec![("tinkerer", "x1"), ("skills", "[]")],
            "tinkerer",
        ),
        (
            format!("{WORKSHOP}/blueprints"),
            vec![("title", "t"), ("layers", "{}")],
            "layers",
        ),
    ];
    for (path, form, names) in cases {
        let r = post(path.clone(), form.clone()).await;
        assert_error(&r, 100, "OAuthException", None);
        assert!(
            r.message().contains(names),
            "{path} {form:?}: {}",
            r.message()
        );
    }
    // Unknown field, wrong node type for an edge, unknown ID.
    let r = get(&mock, &gadgets, &[("fields", "colour")]).await;
    assert!(
        r.message().contains("(colour)") && r.message().contains("Gadget"),
        "{}",
        r.message()
    );
    let made = post(gadgets.clone(), vec![("name", "g")]).await;
    let id = made.body["id"].as_str().unwrap();
    let r = get(&mock, &format!("{id}/tinkerers"), &[("guild", "1")]).await;
    assert_error(&r, 100, "OAuthException", None);
    assert!(
        r.message()
            .contains("nonexisting field (tinkerers) on node type (Gadget)"),
        "{}",
        r.message()
    );
    let r = get(&mock, "123456789", &[]).await;
    assert_error(&r, 100, "GraphMethodException", Some(33));
    assert!(mock.stats().writes_applied.get("CreateGadget") == Some(&1));
}

#[tokio::test]
async fn every_node_an_operation_starts_at_exists_once_without_a_seed_entry() {
    let spec = workshop_spec();
    let mock = start_workshop(spec.path()).await;
    // The seed names the workshop only; `GET /{gadget_id}` starts at Gadget, so one exists.
    assert_eq!(mock.objects_of("GadgetWorkshop"), [WORKSHOP]);
    let gadgets = mock.objects_of("Gadget");
    assert_eq!(gadgets.len(), 1, "{gadgets:?}");
    let r = get(&mock, &gadgets[0], &[("fields", "name,weight_grams")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], gadgets[0].as_str());
    assert!(r.body["weight_grams"].is_u64(), "{}", r.body);
}
