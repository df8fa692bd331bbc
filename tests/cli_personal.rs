//! The `edgerec` command and personalisation: `inspect` lists the models and the active one,
//! `build --reuse` switches the active model with no re-count of events and refuses, naming the
//! key, what would need one (on tests/fixtures/personal.snap, built from personal.toml).

use std::path::Path;

mod common;
use common::{fails, ok, p};

const SNAP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/personal.snap");
const TOML: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/personal.toml");

fn inspect(snap: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&["inspect", snap, "--json"])).unwrap()
}

/// personal.toml with `from` replaced by `to` (which must be in it), written into `dir`.
fn edited(dir: &Path, from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(TOML).unwrap();
    assert!(text.contains(from), "personal.toml has {from:?}");
    let path = dir.join("edited.toml");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn inspect_lists_the_models_and_the_active_one() {
    let text = ok(&["inspect", SNAP]);
    assert!(text.contains("personal   on, active model \"default\", strength 0.5"), "{text}");
    assert!(text.contains("default (active): fields brand 50, category 30, color 20;"), "{text}");
    assert!(text.contains("colour: fields color 100;") && text.contains("\"Kitchen\": fields brand 100"), "{text}");
    let v = inspect(SNAP);
    let models = v["personalization"]["models"].as_array().unwrap();
    let names: Vec<&str> = models.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["colour", "default"]);
    // The default model uses group profiles and the builder wrote some; colour has igp = false.
    assert!(models[1]["groupProfiles"].as_u64().unwrap() > 0, "{}", models[1]);
    assert_eq!(models[0]["groupProfiles"], 0);
}

#[test]
fn build_reuse_switches_the_active_model_without_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("colour.snap");
    let config = edited(dir.path(), "active = \"default\"", "active = \"colour\"");
    let said = ok(&["build", "--reuse", SNAP, "--config", p(&config), "--out", p(&out)]);
    assert!(said.contains("personalization.active changed"), "{said}");
    let (old, new) = (inspect(SNAP), inspect(p(&out)));
    assert_eq!(new["personalization"]["active"], "colour");
    // Everything counted is as it was.
    for key in ["counts", "neighbours", "popularity", "products", "builtAt"] {
        assert_eq!(old[key], new[key], "{key}");
    }
    assert_eq!(old["personalization"]["models"], new["personalization"]["models"]);
    // And the lists now follow the colour model: a shopper who viewed products of one colour.
    let lists = |snap: &str| {
        ok(&["recommend", "--snapshot", snap, "--widget", "popular", "--viewed", &viewed_of_one_colour(), "--json"])
    };
    assert_ne!(lists(SNAP), lists(p(&out)), "the active model changed the list");
}

/// Six products of the fixture's first colour, comma-separated.
fn viewed_of_one_colour() -> String {
    let rec = edgerec::Recommender::from_bytes(&std::fs::read(SNAP).unwrap()).unwrap();
    let c = rec.catalog();
    let colour = |p: u32| rec.product_info(p).attributes.into_iter().find(|(k, _)| k == "color").map(|(_, v)| v);
    let first = (0..c.len() as u32).find_map(colour).expect("a coloured product");
    let ids: Vec<&str> =
        (0..c.len() as u32).filter(|&p| colour(p).as_ref() == Some(&first)).map(|p| c.id(p)).take(6).collect();
    ids.join(",")
}

#[test]
fn build_reuse_refuses_what_needs_a_recount_and_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.snap");
    std::fs::copy(SNAP, &out).unwrap();
    let before = std::fs::read(&out).unwrap();
    let cases = [
        (
            "fields = { brand = 50, category = 30, color = 20 }",
            "fields = { brand = 60, category = 20, color = 20 }",
            "personalization.models.default.fields",
        ),
        ("[personalization]", "[training]\nmin_count = 4\n\n[personalization]", "training.min_count"),
        ("icp = false\nigp = false", "icp = false\nigp = true", "personalization.models.colour"),
    ];
    for (from, to, key) in cases {
        let config = edited(dir.path(), from, to);
        let err = fails(&["build", "--reuse", p(&out), "--config", p(&config), "--out", p(&out)]);
        assert!(err.contains(key) && err.contains("drop --reuse"), "{key}: {err}");
        assert_eq!(std::fs::read(&out).unwrap(), before, "{key}: the old snapshot is intact");
    }
    // Without --reuse, a build still needs its inputs.
    assert!(fails(&["build", "--out", p(&out)]).contains("--catalog"));
    assert!(fails(&["build", "--reuse", SNAP, "--catalog", TOML, "--out", p(&out)]).contains("cannot be used with"));
}
