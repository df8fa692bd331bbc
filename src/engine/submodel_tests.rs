//! Submodels on the engine's hand-built fixture (src/engine/tests.rs): brands and price bands,
//! whose groups and lists are known exactly.

use super::tests::fixture_with;
use super::*;
use crate::config::{Config, Submodel};

/// The fixture with a `brands` submodel (Acme | Bolt, Zed) and a `price` one (0-30, 30-100,
/// 100-200), and an `also_bought` widget without fallback.
fn fixture() -> Recommender {
    let mut c = Config::default();
    let g = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    c.submodels.insert(
        "brands".into(),
        Submodel {
            attribute: "brand".into(),
            groups: vec![g(&["Acme"]), g(&["Bolt", "Zed"]), g(&["Nobody"])],
            ranges: vec![],
        },
    );
    c.submodels.insert(
        "price".into(),
        Submodel {
            attribute: "price".into(),
            groups: vec![],
            ranges: vec![[0.0, 30.0], [30.0, 100.0], [100.0, 200.0]],
        },
    );
    c.widgets.get_mut("also_bought").unwrap().fallback = vec![];
    fixture_with(c)
}

fn ask(r: &Recommender, subs: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
    let over = Overrides {
        submodels: Some(subs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
        ..Default::default()
    };
    let ctx = Context { product: Some("knife-a".into()), ..Default::default() };
    let got = r.recommend("also_bought", &ctx, &over).unwrap();
    (got.items.iter().map(|i| r.catalog().id(i.product).to_string()).collect(), got.submodels)
}

#[test]
fn a_submodel_keeps_the_models_own_candidates_in_one_group() {
    let r = fixture();
    // knife-a's bought-together list: board (Acme, 25), knife-b (Bolt, 80), sharpener (Bolt, 15),
    // knife-d (Acme, out of stock).
    assert_eq!(ask(&r, &[]).0, ["board", "knife-b", "sharpener"]);
    assert_eq!(ask(&r, &[("brands", "$product")]), (vec!["board".into()], vec!["brands: Acme".into()]));
    assert_eq!(ask(&r, &[("brands", "ZED")]).0, ["knife-b", "sharpener"], "a value selects its group, any case");
    assert_eq!(
        ask(&r, &[("brands", "Umbra")]),
        (vec!["board".into(), "knife-b".into(), "sharpener".into()], vec![]),
        "a value in no group: the main model"
    );
    assert_eq!(ask(&r, &[("price", "$product")]).0, ["knife-b"], "knife-a costs 50: the 30-100 band");
    assert_eq!(ask(&r, &[("price", "30")]).0, ["knife-b"], "[from, to): 30 is in the second band");
    assert_eq!(
        ask(&r, &[("price", "200")]).0,
        Vec::<String>::new(),
        "the last band includes its `to`: nothing bought with knife-a costs 100-200"
    );
    // Several submodels: products in all of them.
    assert_eq!(
        ask(&r, &[("brands", "Bolt"), ("price", "10")]),
        (vec!["sharpener".into()], vec!["brands: Bolt, Zed".into(), "price: 0 to 30".into()])
    );
}

#[test]
fn an_empty_group_gives_nothing_and_the_fallback_runs_unrestricted() {
    let r = fixture();
    let over = Overrides {
        submodels: Some([("brands".to_string(), "Nobody".to_string())].into()),
        fallback: Some(vec![Source::Popular.into()]),
        limit: Some(3),
        ..Default::default()
    };
    let got =
        r.recommend("also_bought", &Context { product: Some("knife-a".into()), ..Default::default() }, &over).unwrap();
    assert!(got.from_fallback, "no product is by Nobody: only the fallback filled the list");
    let ids: Vec<&str> = got.items.iter().map(|i| r.catalog().id(i.product)).collect();
    // Popular, unrestricted by brand: mug has no brand, board is Acme.
    assert_eq!(ids, ["mug", "board", "knife-c"]);
}

#[test]
fn without_a_current_product_the_product_value_leaves_the_submodel_out() {
    let r = fixture();
    let over =
        Overrides { submodels: Some([("brands".to_string(), "$product".to_string())].into()), ..Default::default() };
    let ctx = Context { cart: vec!["knife-a".into()], ..Default::default() };
    let got = r.recommend("also_bought", &ctx, &over).unwrap();
    assert!(got.submodels.is_empty());
    assert!(!got.items.is_empty(), "the cart anchors the list, unrestricted");
}

#[test]
fn unknown_submodels_and_bad_values_are_refused_by_key() {
    let r = fixture();
    let bad = |k: &str, v: &str| {
        let over = Overrides { submodels: Some([(k.to_string(), v.to_string())].into()), ..Default::default() };
        match r.recommend("also_bought", &Context::default(), &over) {
            Err(EngineError::InvalidOption(e)) => e.key,
            other => panic!("{k}={v}: {other:?}"),
        }
    };
    assert_eq!(bad("colors", "red"), "submodels.colors");
    assert_eq!(bad("price", "cheap"), "submodels.price");
}
