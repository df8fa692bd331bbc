//! The wasm binding in Node (`wasm-pack test --node`): loading snapshots, recommending with
//! options and sessions, and clear errors for bad input. Browser-only behaviour (localStorage)
//! is in tests/wasm_browser.rs.
#![cfg(target_arch = "wasm32")]

use edgerec::wasm::{Recommender, Session};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

const FIXTURE: &[u8] = include_bytes!("fixtures/small.snap");

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn strs(v: &[&str]) -> JsValue {
    v.iter().map(|s| JsValue::from_str(s)).collect::<Array>().into()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

fn ids(list: &JsValue) -> Vec<String> {
    list.dyn_ref::<Array>().unwrap().iter().map(|i| get(&i, "id").as_string().unwrap()).collect()
}

fn message(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    get(&v, "message").as_string().unwrap()
}

#[wasm_bindgen_test]
fn loads_a_snapshot_and_describes_it() {
    let rec = Recommender::from_bytes(FIXTURE).unwrap();
    let info = rec.info().unwrap();
    assert_eq!(get(&info, "products").as_f64(), Some(300.0));
    assert_eq!(get(&info, "formatVersion").as_f64(), Some(1.0));
    assert!(get(&get(&info, "counts"), "views").as_f64().unwrap() > 1000.0);
    let widgets = rec.widgets().unwrap();
    let names: Vec<String> =
        widgets.dyn_ref::<Array>().unwrap().iter().map(|w| get(&w, "name").as_string().unwrap()).collect();
    assert!(names.contains(&"upsell".to_string()) && names.contains(&"for_you".to_string()));
    let p = rec.product("P00001").unwrap();
    assert_eq!(get(&p, "id").as_string().unwrap(), "P00001");
    assert!(get(&p, "categories").dyn_ref::<Array>().unwrap().length() >= 1);
    assert!(rec.product("nope").unwrap().is_undefined());
    let page = rec.products(obj(&[("category", "Kitchen".into()), ("limit", 5.into())])).unwrap();
    assert_eq!(get(&page, "items").dyn_ref::<Array>().unwrap().length(), 5);
    assert!(get(&page, "total").as_f64().unwrap() > 5.0);
}

#[wasm_bindgen_test]
fn refuses_damaged_snapshots_with_a_reason() {
    let e = message(Recommender::from_bytes(&FIXTURE[..100]).err().unwrap());
    assert!(e.contains("truncated"), "{e}");
    let mut bad = FIXTURE.to_vec();
    bad[5000] ^= 0x10;
    assert!(message(Recommender::from_bytes(&bad).err().unwrap()).contains("checksum"));
    assert!(message(Recommender::from_bytes(b"<!doctype html>").err().unwrap()).contains("not an edgerec snapshot"));
}

#[wasm_bindgen_test]
fn recommends_with_options_and_explains_each_item() {
    let rec = Recommender::from_bytes(FIXTURE).unwrap();
    let opts =
        obj(&[("product", "P00001".into()), ("viewed", strs(&["P00003", "P00002", "P00001"])), ("limit", 4.into())]);
    let list = rec.recommend("cross_sell", opts).unwrap();
    let got = ids(&list);
    assert_eq!(got.len(), 4);
    assert!(!got.contains(&"P00001".to_string()));
    let first = list.dyn_ref::<Array>().unwrap().get(0);
    for key in ["title", "url", "image", "reason", "explanation"] {
        assert!(get(&first, key).as_string().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert!(get(&first, "score").as_f64().unwrap() > 0.0);

    let viewed = rec
        .recommend(
            "previously_viewed",
            obj(&[
                ("product", "P00004".into()),
                ("viewed", strs(&["P00001", "P00002", "P00003", "P00004"])),
                ("filters", obj(&[("showOutOfStock", true.into())])),
            ]),
        )
        .unwrap();
    assert_eq!(ids(&viewed), ["P00003", "P00002", "P00001"]);

    let cheap =
        rec.recommend("popular", obj(&[("limit", 20.into()), ("filters", obj(&[("priceMax", 20.into())]))])).unwrap();
    let prices: Vec<f64> =
        cheap.dyn_ref::<Array>().unwrap().iter().map(|i| get(&i, "price").as_f64().unwrap()).collect();
    assert!(!prices.is_empty() && prices.iter().all(|p| *p <= 20.0), "{prices:?}");
}

#[wasm_bindgen_test]
fn bad_options_get_clear_errors() {
    let rec = Recommender::from_bytes(FIXTURE).unwrap();
    assert!(message(rec.recommend("nope", JsValue::UNDEFINED).err().unwrap()).contains("unknown widget \"nope\""));
    let e = message(rec.recommend("popular", obj(&[("filters", obj(&[("priceMx", 3.into())]))])).err().unwrap());
    assert!(e.contains("priceMx"), "{e}");
    let e = message(rec.recommend("popular", obj(&[("filters", obj(&[("priceMin", "cheap".into())]))])).err().unwrap());
    assert!(e.starts_with("invalid filter `priceMin`: invalid type: string \"cheap\""), "{e}");
    let e = message(rec.recommend("popular", obj(&[("limit", "8".into())])).err().unwrap());
    assert!(e.starts_with("invalid option `limit`"), "{e}");
    let e = message(rec.recommend("popular", obj(&[("limit", 0.into())])).err().unwrap());
    assert!(e.contains("limit"), "{e}");
    let e = message(rec.recommend("popular", JsValue::from_str("P00001")).err().unwrap());
    assert!(e.contains("options must be an object"), "{e}");
}

#[wasm_bindgen_test]
fn a_session_object_feeds_the_context() {
    let rec = Recommender::from_bytes(FIXTURE).unwrap();
    // Node has no localStorage: the session lives in memory.
    let session = Session::load(JsValue::UNDEFINED);
    assert_eq!(session.storage_mode(), "memory");
    for id in ["P00001", "P00002", "P00003"] {
        session.view(id);
    }
    session.add_to_cart("P00002", Some(2));
    let views: Vec<String> = session.views().iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(views, ["P00003", "P00002", "P00001"]);
    let js_session: JsValue = session.into();
    let list = rec
        .recommend(
            "previously_viewed",
            obj(&[("session", js_session.clone()), ("filters", obj(&[("showOutOfStock", true.into())]))]),
        )
        .unwrap();
    // The cart item stays in the history list, most recent first.
    assert_eq!(ids(&list), ["P00003", "P00002", "P00001"]);
    let list = rec.recommend("also_viewed", obj(&[("session", js_session), ("limit", 20.into())])).unwrap();
    assert!(!ids(&list).contains(&"P00002".to_string()), "cart items are never recommended");
}

#[wasm_bindgen_test]
fn a_plain_session_context_works_too() {
    let rec = Recommender::from_bytes(FIXTURE).unwrap();
    let views: JsValue =
        [obj(&[("id", "P00005".into())]), obj(&[("id", "P00006".into())])].iter().collect::<Array>().into();
    let ctx = obj(&[("views", views), ("cart", strs(&[])), ("purchased", strs(&["P00007"]))]);
    let list = rec.recommend("for_you", obj(&[("session", ctx)])).unwrap();
    assert!(!ids(&list).is_empty());
    assert!(!ids(&list).contains(&"P00007".to_string()), "purchases are excluded by default");
}
