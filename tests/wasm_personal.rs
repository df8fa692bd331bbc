//! Personalisation through the wasm binding in Node (`wasm-pack test --node`), on
//! tests/fixtures/personal.snap (personalisation on, models "default" and "colour"): the
//! `personalize` option, `rec.personalize`, `session.search`, `session.profile` and their errors.
#![cfg(target_arch = "wasm32")]

use edgerec::wasm::{Recommender, Session};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn rec() -> Recommender {
    Recommender::from_bytes(include_bytes!("fixtures/personal.snap")).unwrap()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

fn list(v: &JsValue) -> Vec<JsValue> {
    v.dyn_ref::<Array>().unwrap().iter().collect()
}

fn strs(v: &[String]) -> JsValue {
    v.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into()
}

/// Ids of the catalog whose colour is `colour`, via `products()`.
fn coloured(r: &Recommender, colour: &str) -> Vec<String> {
    let page = r.products(Some(obj(&[("limit", 500.into())]))).unwrap();
    list(&get(&page, "items"))
        .into_iter()
        .filter(|p| get(&get(p, "attributes"), "color").as_string().as_deref() == Some(colour))
        .map(|p| get(&p, "id").as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn a_session_moves_a_widget_and_the_option_turns_it_off() {
    let r = rec();
    let session = Session::load(None);
    let reds = coloured(&r, "red");
    for id in &reds[..5] {
        session.view(id.clone().into()).unwrap();
    }
    let js: JsValue = session.into();
    let on = r.recommend("popular".into(), Some(obj(&[("session", js.clone())]))).unwrap();
    let off = r.recommend("popular".into(), Some(obj(&[("session", js), ("personalize", false.into())]))).unwrap();
    let moved: Vec<JsValue> =
        list(&on).into_iter().filter(|i| get(i, "personalized").as_bool() == Some(true)).collect();
    assert!(!moved.is_empty(), "some item is personalised");
    assert!(moved.iter().all(|i| get(i, "explanation").as_string().unwrap().contains(" · ")));
    assert!(list(&off).iter().all(|i| get(i, "personalized").as_bool() == Some(false)));
    let ids = |v: &JsValue| list(v).iter().map(|i| get(i, "id").as_string().unwrap()).collect::<Vec<_>>();
    assert_ne!(ids(&on), ids(&off));
    let bad = r.recommend("popular".into(), Some(obj(&[("personalize", "yes".into())]))).unwrap_err();
    assert_eq!(get(&bad, "key").as_string().as_deref(), Some("personalize"));
}

#[wasm_bindgen_test]
fn personalize_reranks_a_page_and_names_the_model() {
    let r = rec();
    let (reds, whites) = (coloured(&r, "red"), coloured(&r, "white"));
    let page: Vec<String> = whites.iter().take(4).chain(reds.iter().skip(10).take(4)).cloned().collect();
    let viewed = strs(&reds[..3]);
    let opts = obj(&[("viewed", viewed.clone()), ("model", "colour".into())]);
    let got = r.personalize(strs(&page), Some(opts)).unwrap();
    let got = list(&got);
    assert_eq!(got.len(), page.len());
    let first = get(&got[0], "id").as_string().unwrap();
    assert!(reds.contains(&first), "a red first: {first}");
    assert!(get(&got[0], "affinity").as_f64().unwrap() > 0.0);
    assert!(get(&got[0], "reason").as_string().unwrap_or_default().contains("red"));
    let err = r.personalize(strs(&page), Some(obj(&[("model", "nope".into())]))).unwrap_err();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("invalid_option"));
    assert_eq!(get(&err, "key").as_string().as_deref(), Some("model"));
    let err = r.personalize("P00001".into(), None).unwrap_err();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("invalid_argument"));
    let err = r.personalize(strs(&page), Some(obj(&[("limit", 3.into())]))).unwrap_err();
    assert_eq!(get(&err, "key").as_string().as_deref(), Some("limit"), "unknown keys are refused");
}

#[wasm_bindgen_test]
fn the_profile_shows_views_and_searches_and_clear_forgets_them() {
    let r = rec();
    let session = Session::load(None);
    let empty = session.profile(&r, None).unwrap();
    assert_eq!(get(&empty, "enabled").as_bool(), Some(true));
    assert_eq!(get(&empty, "events").as_f64(), Some(0.0));
    session.search("red".into()).unwrap();
    session.search("   ".into()).unwrap();
    let ctx = session.context().unwrap();
    assert_eq!(list(&get(&ctx, "searches")).len(), 1, "a blank search is ignored");
    let p = session.profile(&r, None).unwrap();
    let colour = list(&get(&p, "fields")).into_iter().find(|f| get(f, "field").as_string().as_deref() == Some("color"));
    let top = list(&get(&colour.expect("a color field"), "values"))[0].clone();
    assert_eq!(get(&top, "value").as_string().as_deref(), Some("red"));
    let via_rec = r.profile(Some(obj(&[("session", session.context().unwrap())]))).unwrap();
    assert_eq!(js_sys::JSON::stringify(&via_rec).unwrap(), js_sys::JSON::stringify(&p).unwrap());
    session.clear();
    assert_eq!(get(&session.profile(&r, None).unwrap(), "events").as_f64(), Some(0.0));
    let err = session.profile(&r, Some("nope".into())).unwrap_err();
    assert_eq!(get(&err, "key").as_string().as_deref(), Some("model"));
    assert!(session.search(3.into()).is_err());
}
