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

fn message(e: JsValue) -> String {
    assert!(e.is_instance_of::<js_sys::Error>(), "an Error is thrown");
    get(&e, "message").as_string().unwrap()
}

/// The `code` and `key` of a thrown error (`key` empty when the error has none).
fn code_and_key(e: &JsValue) -> (String, String) {
    (get(e, "code").as_string().unwrap(), get(e, "key").as_string().unwrap_or_default())
}

fn rec() -> Recommender {
    Recommender::from_bytes(FIXTURE).unwrap()
}

fn ask(r: &Recommender, widget: &str, options: JsValue) -> Result<JsValue, String> {
    r.recommend(widget.into(), Some(options)).map_err(message)
}

#[wasm_bindgen_test]
fn loads_a_snapshot_and_describes_it() {
    let rec = rec();
    let info = rec.info().unwrap();
    assert_eq!(get(&info, "products").as_f64(), Some(300.0));
    assert_eq!(get(&info, "formatVersion").as_f64(), Some(f64::from(edgerec::snapshot::FORMAT_VERSION)));
    assert!(get(&get(&info, "counts"), "views").as_f64().unwrap() > 1000.0);
    assert!(get(&info, "holdout").is_null());
    assert!(get(&info, "tuned").is_null(), "the fixture's build tuned nothing");
    let widgets = rec.widgets().unwrap();
    let names: Vec<String> =
        widgets.dyn_ref::<Array>().unwrap().iter().map(|w| get(&w, "name").as_string().unwrap()).collect();
    assert!(names.contains(&"upsell".to_string()) && names.contains(&"buy_again".to_string()));
    let buy_again = widgets
        .dyn_ref::<Array>()
        .unwrap()
        .iter()
        .find(|w| get(w, "name").as_string().unwrap() == "buy_again")
        .unwrap();
    assert_eq!(get(&get(&buy_again, "for_you"), "popular_weight").as_f64(), Some(1.5));
    let p = rec.product("P00001".into()).unwrap();
    assert_eq!(get(&p, "id").as_string().unwrap(), "P00001");
    assert!(get(&p, "categories").dyn_ref::<Array>().unwrap().length() >= 1);
    assert!(rec.product("nope".into()).unwrap().is_undefined());
    let page = rec.products(Some(obj(&[("category", "Kitchen".into()), ("limit", 5.into())]))).unwrap();
    assert_eq!(get(&page, "items").dyn_ref::<Array>().unwrap().length(), 5);
    assert!(get(&page, "total").as_f64().unwrap() > 5.0);
    let cats = rec.categories().unwrap();
    let first = cats.dyn_ref::<Array>().unwrap().get(0);
    assert!(get(&first, "parent").is_null() && get(&first, "depth").as_f64() == Some(0.0));
}

#[wasm_bindgen_test]
fn refuses_damaged_snapshots_with_a_reason() {
    let e = message(Recommender::from_bytes(&FIXTURE[..100]).err().unwrap());
    assert!(e.contains("truncated") || e.contains("cut short"), "{e}");
    let mut bad = FIXTURE.to_vec();
    bad[5000] ^= 0x10;
    assert!(message(Recommender::from_bytes(&bad).err().unwrap()).contains("checksum"));
    assert!(message(Recommender::from_bytes(b"<!doctype html>").err().unwrap()).contains("not an edgerec snapshot"));
}

#[wasm_bindgen_test]
fn recommends_with_options_and_explains_each_item() {
    let rec = rec();
    let opts =
        obj(&[("product", "P00001".into()), ("viewed", strs(&["P00003", "P00002", "P00001"])), ("limit", 4.into())]);
    let list = ask(&rec, "cross_sell", opts).unwrap();
    let got = ids(&list);
    assert_eq!(got.len(), 4);
    assert!(!got.contains(&"P00001".to_string()));
    let first = list.dyn_ref::<Array>().unwrap().get(0);
    for key in ["title", "url", "image", "reason", "explanation"] {
        assert!(get(&first, key).as_string().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert!(get(&first, "score").as_f64().unwrap() > 0.0);

    let history = obj(&[
        ("product", "P00004".into()),
        ("viewed", strs(&["P00001", "P00002", "P00003", "P00004"])),
        ("filters", obj(&[("showOutOfStock", true.into())])),
    ]);
    assert_eq!(ids(&ask(&rec, "previously_viewed", history).unwrap()), ["P00003", "P00002", "P00001"]);

    let cheap =
        ask(&rec, "popular", obj(&[("limit", 20.into()), ("filters", obj(&[("priceMax", 20.into())]))])).unwrap();
    let prices: Vec<f64> =
        cheap.dyn_ref::<Array>().unwrap().iter().map(|i| get(&i, "price").as_f64().unwrap()).collect();
    assert!(!prices.is_empty() && prices.iter().all(|p| *p <= 20.0), "{prices:?}");
    let fallback = ask(
        &rec,
        "also_bought",
        obj(&[("product", "P00001".into()), ("fallback", strs(&["most_viewed"])), ("limit", 30.into())]),
    )
    .unwrap();
    let reasons: Vec<String> =
        fallback.dyn_ref::<Array>().unwrap().iter().map(|i| get(&i, "reason").as_string().unwrap()).collect();
    assert!(reasons.iter().all(|r| r == "bought_together" || r == "most_viewed"), "{reasons:?}");
    assert!(rec.recommend("popular".into(), None).is_ok(), "options are optional");
}

#[wasm_bindgen_test]
fn bad_options_get_clear_errors() {
    let rec = rec();
    let e = ask(&rec, "nope", JsValue::UNDEFINED).unwrap_err();
    assert!(e.contains("unknown widget \"nope\""), "{e}");
    let e = ask(&rec, "popular", obj(&[("filters", obj(&[("priceMx", 3.into())]))])).unwrap_err();
    assert!(e.starts_with("unknown filter \"priceMx\"; allowed: brands"), "{e}");
    let e = ask(&rec, "popular", obj(&[("filters", obj(&[("priceMin", "cheap".into())]))])).unwrap_err();
    assert_eq!(e, "invalid option `filters.priceMin`: expected a number");
    let e = ask(&rec, "popular", obj(&[("limit", "8".into())])).unwrap_err();
    assert_eq!(e, "invalid option `limit`: expected a number");
    let e = ask(&rec, "popular", obj(&[("limit", 2.5.into())])).unwrap_err();
    assert_eq!(e, "invalid option `limit`: expected a whole number");
    let e = ask(&rec, "popular", obj(&[("limit", 0.into())])).unwrap_err();
    assert_eq!(e, "invalid option `limit`: 0 is out of range: allowed 1 to 100");
    let e = ask(&rec, "popular", obj(&[("filters", obj(&[("priceMin", 50.into()), ("priceMax", 10.into())]))]))
        .unwrap_err();
    assert_eq!(e, "invalid option `filters.price_min`: 50 is above price_max 10");
    let e = ask(&rec, "popular", JsValue::from_str("P00001")).unwrap_err();
    assert!(e.contains("options must be an object"), "{e}");
    let e = ask(&rec, "popular", obj(&[("colour", "red".into())])).unwrap_err();
    assert!(e.starts_with("unknown option \"colour\"; allowed: product, session"), "{e}");
    let e = ask(&rec, "popular", obj(&[("fallback", strs(&["most_viewed", "popularr"]))])).unwrap_err();
    assert!(
        e.starts_with("invalid option `fallback`: \"popularr\" is not a source; allowed: previously_viewed"),
        "{e}"
    );
    let e = ask(&rec, "popular", obj(&[("fallback", "x".into())])).unwrap_err();
    assert!(e.starts_with("invalid option `fallback`: expected an array"), "{e}");
    let e = ask(&rec, "popular", obj(&[("viewed", strs(&["a"])), ("cart", 5.into())])).unwrap_err();
    assert!(e.starts_with("invalid option `cart`"), "{e}");
    let e = message(rec.recommend(JsValue::from(5), None).err().unwrap());
    assert_eq!(e, "recommend: the widget name must be a string, got number");
    let e = message(rec.product(JsValue::from(42)).err().unwrap());
    assert_eq!(e, "product: expected a product id string, got number");
    let e = message(rec.products(Some(obj(&[("categry", "Kitchen".into())]))).err().unwrap());
    assert!(e.starts_with("unknown option \"categry\""), "{e}");
}

#[wasm_bindgen_test]
fn recommend_with_takes_a_partial_widget_and_checks_its_keys() {
    let rec = rec();
    let w = obj(&[("algorithm", "popular".into()), ("limit", 3.into()), ("filters", obj(&[("price_max", 30.into())]))]);
    let list = rec.recommend_with(w, None).unwrap();
    assert_eq!(ids(&list).len(), 3);
    let e =
        message(rec.recommend_with(obj(&[("algorithm", "popular".into()), ("bogus", 1.into())]), None).err().unwrap());
    assert!(e.starts_with("unknown widget key \"bogus\""), "{e}");
    let e = message(
        rec.recommend_with(obj(&[("algorithm", "popular".into()), ("filters", obj(&[("price_mx", 1.into())]))]), None)
            .err()
            .unwrap(),
    );
    assert!(e.starts_with("unknown filter \"price_mx\""), "{e}");
    let e = message(rec.recommend_with(obj(&[("algorithm", "upsel".into())]), None).err().unwrap());
    assert!(e.starts_with("invalid option `algorithm`: expected one of previously_viewed"), "{e}");
    let e = message(rec.recommend_with(obj(&[("limit", 3.into())]), None).err().unwrap());
    assert!(e.starts_with("invalid option `algorithm`: missing; allowed: previously_viewed"), "{e}");
    let e = message(
        rec.recommend_with(obj(&[("algorithm", "for_you".into()), ("for_you", obj(&[("hop", 1.into())]))]), None)
            .err()
            .unwrap(),
    );
    assert!(e.starts_with("unknown for_you key \"hop\""), "{e}");
}

#[wasm_bindgen_test]
fn a_session_object_feeds_the_context() {
    let rec = rec();
    // Node has no localStorage: the session lives in memory.
    let session = Session::load(None);
    assert_eq!(session.storage_mode(), "memory");
    for id in ["P00001", "P00002", "P00003"] {
        session.view(id.into()).unwrap();
    }
    session.add_to_cart("P00002".into(), Some((2.0).into())).unwrap();
    let views: Vec<String> = session.views().iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(views, ["P00003", "P00002", "P00001"]);
    let js_session: JsValue = session.into();
    let opts = obj(&[("session", js_session.clone()), ("filters", obj(&[("showOutOfStock", true.into())]))]);
    // The cart item stays in the history list, most recent first.
    assert_eq!(ids(&ask(&rec, "previously_viewed", opts).unwrap()), ["P00003", "P00002", "P00001"]);
    let list = ask(&rec, "also_viewed", obj(&[("session", js_session), ("limit", 20.into())])).unwrap();
    assert!(!ids(&list).contains(&"P00002".to_string()), "cart items are never recommended");
}

#[wasm_bindgen_test]
fn session_arguments_are_checked() {
    let s = Session::load(None);
    assert_eq!(message(s.view(JsValue::from(42)).err().unwrap()), "view: expected a product id string, got number");
    assert_eq!(message(s.view("".into()).err().unwrap()), "view: a product id is 1 to 256 characters");
    let e = message(s.purchase("P00001".into()).err().unwrap());
    assert_eq!(e, "purchase: expected an array of product ids, got string");
    let e = message(s.add_to_cart("P00001".into(), Some((-1.0).into())).err().unwrap());
    assert_eq!(e, "addToCart: the quantity must be a whole number from 1 to 1000000, not -1");
    assert!(s.add_to_cart("P00001".into(), Some((2.5).into())).is_err());
    s.add_to_cart("P00001".into(), None).unwrap();
    s.add_to_cart("P00002".into(), Some((3.0).into())).unwrap();
    s.set_quantity("P00001".into(), (4.0).into()).unwrap();
    let cart = s.cart().unwrap();
    let lines: Vec<(String, f64)> = cart
        .dyn_ref::<Array>()
        .unwrap()
        .iter()
        .map(|l| (get(&l, "id").as_string().unwrap(), get(&l, "quantity").as_f64().unwrap()))
        .collect();
    assert_eq!(lines, [("P00001".to_string(), 4.0), ("P00002".to_string(), 3.0)], "set in place, order kept");
    s.set_quantity("P00002".into(), (0.0).into()).unwrap();
    assert_eq!(s.cart().unwrap().dyn_ref::<Array>().unwrap().length(), 1);
    s.purchase(strs(&["P00001"])).unwrap();
    assert_eq!(s.purchased().length(), 1);
}

#[wasm_bindgen_test]
fn a_freed_session_is_named_as_such() {
    let rec = rec();
    let s = Session::load(None);
    let js: JsValue = s.into();
    // What `session.free()` does in JS.
    let free: js_sys::Function = get(&js, "free").dyn_into().unwrap();
    free.call0(&js).unwrap();
    let e = ask(&rec, "for_you", obj(&[("session", js)])).unwrap_err();
    assert_eq!(e, "invalid option `session`: this Session was freed");
}

#[wasm_bindgen_test]
fn a_plain_session_context_works_too() {
    let rec = rec();
    let views: JsValue =
        [obj(&[("id", "P00005".into())]), obj(&[("id", "P00006".into())])].iter().collect::<Array>().into();
    let ctx = obj(&[("views", views), ("cart", strs(&[])), ("purchased", strs(&["P00007"]))]);
    let list = ask(&rec, "for_you", obj(&[("session", ctx)])).unwrap();
    assert!(!ids(&list).is_empty());
    assert!(!ids(&list).contains(&"P00007".to_string()), "purchases are excluded by default");
    let e = ask(&rec, "for_you", obj(&[("session", obj(&[("view", strs(&["P00005"]))]))])).unwrap_err();
    assert!(e.starts_with("unknown session field \"view\""), "{e}");
}

#[wasm_bindgen_test]
fn more_arguments_are_checked() {
    let rec = rec();
    let s = Session::load(None);
    let e = message(s.add_to_cart("P00001".into(), Some("2".into())).err().unwrap());
    assert_eq!(e, "addToCart: the quantity must be a number, got string");
    let e = message(s.set_quantity("P00001".into(), JsValue::UNDEFINED).err().unwrap());
    assert_eq!(e, "setQuantity: the quantity must be a number, got undefined");
    assert_eq!(message(s.on_change(5.into()).err().unwrap()), "onChange: expected a function");
    assert!(message(rec.products(Some(5.into())).err().unwrap()).starts_with("products: options must be an object"));
    let with = |pairs: &[(&str, JsValue)]| rec.recommend_with(obj(pairs), None).map_err(message);
    let e = with(&[("algorithm", "for_you".into()), ("for_you", 5.into())]).unwrap_err();
    assert_eq!(e, "invalid option `for_you`: expected an object of weights");
    let e = with(&[("algorithm", "popular".into()), ("for_you", obj(&[]))]).unwrap_err();
    assert!(e.starts_with("invalid option `for_you`: "), "{e}");
    let e = with(&[("algorithm", "for_you".into()), ("for_you", obj(&[("hop_weight", "x".into())]))]).unwrap_err();
    assert_eq!(e, "invalid option `for_you.hop_weight`: expected a number");
    let e = with(&[("algorithm", "popular".into()), ("exclude_purchased", 1.into())]).unwrap_err();
    assert_eq!(e, "invalid option `exclude_purchased`: expected true or false");
}

#[wasm_bindgen_test]
fn buy_again_lists_what_was_bought_most() {
    let rec = rec();
    let purchased = obj(&[("purchased", strs(&["P00002", "P00001", "P00001"]))]);
    let items = ask(&rec, "buy_again", purchased).unwrap();
    let first = items.dyn_ref::<Array>().unwrap().get(0);
    assert_eq!(get(&first, "id").as_string().unwrap(), "P00001", "bought twice: the first to buy again");
    assert_eq!(get(&first, "explanation").as_string().unwrap(), "From your own history: you viewed or bought it");
    assert!(ids(&items).contains(&"P00002".to_string()));
}

#[wasm_bindgen_test]
fn recommend_json_is_the_same_list_as_a_string() {
    let rec = rec();
    let opts = || Some(obj(&[("product", "P00001".into()), ("viewed", strs(&["P00003", "P00001"]))]));
    let objects = rec.recommend("cross_sell".into(), opts()).unwrap();
    let text = rec.recommend_json("cross_sell".into(), opts()).unwrap();
    let parsed = js_sys::JSON::parse(&text).unwrap();
    assert_eq!(js_sys::JSON::stringify(&parsed).unwrap(), js_sys::JSON::stringify(&objects).unwrap());
    assert!(message(rec.recommend_json("nope".into(), None).err().unwrap()).contains("unknown widget"));
}

/// A session whose views are P00001, P00002, P00003 and whose cart holds P00002.
fn viewed_and_carted() -> JsValue {
    let session = Session::load(None);
    for id in ["P00001", "P00002", "P00003"] {
        session.view(id.into()).unwrap();
    }
    session.add_to_cart("P00002".into(), None).unwrap();
    session.into()
}

#[wasm_bindgen_test]
fn undefined_or_null_options_are_not_given() {
    let rec = rec();
    let session = viewed_and_carted();
    let show = || ("filters", obj(&[("showOutOfStock", true.into())]));
    for nothing in [JsValue::UNDEFINED, JsValue::NULL] {
        // `viewed: undefined` keeps the session's views.
        let opts = obj(&[("session", session.clone()), ("viewed", nothing.clone()), show()]);
        assert_eq!(ids(&ask(&rec, "previously_viewed", opts).unwrap()), ["P00003", "P00002", "P00001"], "{nothing:?}");
        // `viewed` and `cart` set to undefined keep the session's: the same list as without
        // them, not the one of an empty list.
        for key in ["viewed", "cart"] {
            let list = |extra: &[(&str, JsValue)]| {
                let mut pairs = vec![("session", session.clone()), ("limit", 20.into())];
                pairs.extend(extra.iter().cloned());
                ids(&ask(&rec, "for_you", obj(&pairs)).unwrap())
            };
            let kept = list(&[]);
            assert_eq!(list(&[(key, nothing.clone())]), kept, "{key}: {nothing:?}");
            assert_ne!(list(&[(key, strs(&[]))]), kept, "{key}: an empty list is another context");
        }
        // `forceInclude: undefined` keeps the widget's force-includes.
        let widget = obj(&[("algorithm", "popular".into()), ("force_include", strs(&["P00299"]))]);
        let list = rec.recommend_with(widget, Some(obj(&[("forceInclude", nothing.clone())]))).unwrap();
        let first = list.dyn_ref::<Array>().unwrap().get(0);
        assert_eq!(get(&first, "id").as_string().unwrap(), "P00299", "{nothing:?}");
        assert_eq!(get(&first, "reason").as_string().unwrap(), "force_include");
        // A filter set to undefined is not given either; a widget key too.
        let opts = obj(&[("limit", 3.into()), ("filters", obj(&[("priceMax", nothing.clone())]))]);
        assert_eq!(ids(&ask(&rec, "popular", opts).unwrap()).len(), 3);
        let w = obj(&[("algorithm", "popular".into()), ("title", nothing.clone())]);
        assert!(rec.recommend_with(w, None).is_ok());
    }
}

#[wasm_bindgen_test]
fn unknown_keys_are_rejected_by_name_at_any_depth() {
    let rec = rec();
    let fail = |opts: JsValue| rec.recommend("popular".into(), Some(opts)).err().unwrap();
    let e = fail(obj(&[("filters", obj(&[("priceMx", 3.into())]))]));
    assert_eq!(code_and_key(&e), ("invalid_option".to_string(), "filters.priceMx".to_string()));
    let range = obj(&[("from", "2024-01-01".into()), ("too", "2024-02-01".into())]);
    let added: JsValue = [range].iter().collect::<Array>().into();
    let e = fail(obj(&[("filters", obj(&[("added", added)]))]));
    assert_eq!(code_and_key(&e).1, "filters.added[0].too");
    assert!(message(e).starts_with("unknown date range key \"too\"; allowed: from, to"));
    let e = fail(obj(&[("session", obj(&[("views", strs(&["P00001"])), ("carts", strs(&[]))]))]));
    assert_eq!(code_and_key(&e).1, "session.carts");
    assert!(message(e).starts_with("unknown session field \"carts\""));
    let e = fail(obj(&[("colour", JsValue::NULL)]));
    assert_eq!(code_and_key(&e).1, "colour", "an unknown key is an error even when null");
    let e = fail(obj(&[("viewed", strs(&["P00001"])), ("cart", [JsValue::from(5)].iter().collect::<Array>().into())]));
    assert_eq!(code_and_key(&e).1, "cart[0]");
    assert_eq!(message(e), "invalid option `cart[0]`: expected a string");
}

#[wasm_bindgen_test]
fn every_error_has_a_stable_code() {
    let rec = rec();
    let code = |e: JsValue| code_and_key(&e).0;
    assert_eq!(code(rec.recommend("nope".into(), None).err().unwrap()), "unknown_widget");
    assert_eq!(code(rec.recommend(5.into(), None).err().unwrap()), "invalid_argument");
    assert_eq!(code(Recommender::from_bytes(&FIXTURE[..100]).err().unwrap()), "invalid_snapshot");
    let e = rec.recommend("popular".into(), Some(obj(&[("limit", 0.into())]))).err().unwrap();
    assert_eq!(code_and_key(&e), ("invalid_option".to_string(), "limit".to_string()));
    let e = rec.products(Some(obj(&[("category", "Nowhere".into())]))).err().unwrap();
    assert_eq!(code_and_key(&e), ("unknown_category".to_string(), "category".to_string()));
    assert_eq!(code(Session::load(None).view(5.into()).err().unwrap()), "invalid_argument");
    let names: Vec<&str> = edgerec::wasm::ErrorCode::ALL.iter().map(|c| c.name()).collect();
    for c in ["unknown_widget", "invalid_argument", "invalid_snapshot", "invalid_option", "unknown_category"] {
        assert!(names.contains(&c), "{c} is in ErrorCode::ALL");
    }
}

#[wasm_bindgen_test]
fn limits_are_the_engines() {
    let l = edgerec::wasm::limits().unwrap();
    assert_eq!(get(&l, "maxIdsPerList").as_f64(), Some(edgerec::engine::MAX_CONTEXT_IDS as f64));
    assert_eq!(get(&l, "maxIdLength").as_f64(), Some(edgerec::session::MAX_ID_LEN as f64));
    assert_eq!(get(&l, "maxLimit").as_f64(), Some(f64::from(edgerec::config::MAX_LIMIT)));
}

#[wasm_bindgen_test]
fn answer_says_where_the_list_came_from() {
    let r = rec();
    let a = r.answer(JsValue::from_str("popular"), Some(obj(&[("product", "P00001".into())]))).unwrap();
    assert_eq!(get(&a, "title").as_string().unwrap(), "Popular right now");
    assert_eq!(get(&a, "fromFallback"), JsValue::FALSE);
    assert!(get(&a, "hidden").is_null());
    assert!(!ids(&get(&a, "items")).is_empty());
    // The same list as recommend().
    let list = r.recommend(JsValue::from_str("popular"), Some(obj(&[("product", "P00001".into())]))).unwrap();
    assert_eq!(ids(&get(&a, "items")), ids(&list));
    // hideWhenFallback withholds a list that only fallbacks filled: find such a product.
    let mut checked = 0;
    for i in 1..=300 {
        let id = format!("P{i:05}");
        let opts = || obj(&[("product", JsValue::from_str(&id)), ("hideWhenFallback", JsValue::TRUE)]);
        let plain =
            r.answer(JsValue::from_str("also_bought"), Some(obj(&[("product", JsValue::from_str(&id))]))).unwrap();
        if get(&plain, "fromFallback") == JsValue::TRUE {
            assert_ne!(get(&plain, "title").as_string().unwrap(), "Frequently bought together", "{id}");
            let hidden = r.answer(JsValue::from_str("also_bought"), Some(opts())).unwrap();
            assert_eq!(get(&hidden, "hidden").as_string().unwrap(), "hide_when_fallback");
            assert!(ids(&get(&hidden, "items")).is_empty());
            checked += 1;
        }
    }
    assert!(checked > 0, "the fixture has products without bought-together neighbours");
}

#[wasm_bindgen_test]
fn bundles_and_the_algorithm_table() {
    let r = rec();
    let mut found = 0;
    for i in 1..=300 {
        let id = format!("P{i:05}");
        let a = r.bundles(Some(obj(&[("product", JsValue::from_str(&id))]))).unwrap();
        let bundles: Array = get(&a, "bundles").dyn_into().unwrap();
        if bundles.length() == 0 {
            assert!(get(&a, "reason").is_string(), "{id}: an empty answer says why");
            continue;
        }
        found += 1;
        let first = bundles.get(0);
        let items = ids(&get(&first, "items"));
        assert_eq!(items[0], id, "the current product comes first");
        assert!((2..=4).contains(&items.len()));
        assert!(get(&first, "orders").as_f64().unwrap() >= 3.0, "min_count shoppers");
    }
    assert!(found > 0, "the demo store plants bundles");
    let e = r.bundles(Some(obj(&[("product", "P00001".into()), ("widget", 5.into())]))).unwrap_err();
    assert_eq!(code_and_key(&e).0, "invalid_argument");
    let t = edgerec::wasm::algorithms().unwrap();
    let algos: Array = get(&t, "algorithms").dyn_into().unwrap();
    let names: Vec<String> = algos.iter().map(|a| get(&a, "name").as_string().unwrap()).collect();
    assert!(names.contains(&"bundle".to_string()) && names.contains(&"upsell".to_string()));
    assert_eq!(
        names.len(),
        r.widgets().unwrap().dyn_ref::<Array>().unwrap().length() as usize - 1,
        "one widget per algorithm, plus buy_again"
    );
}

#[wasm_bindgen_test]
fn recurring_reads_purchase_times_from_options_and_from_a_session() {
    let r = rec();
    let now = (js_sys::Date::now() / 1000.0).floor();
    let day = 86_400.0;
    let bought = |id: &str, days_ago: f64| {
        let p = obj(&[("id", id.into()), ("at", (now - days_ago * day).into())]);
        obj(&[("purchased", Array::of1(&p).into()), ("now", now.into())])
    };
    // The fixture's demo store plants one product bought every two weeks: 13 days after a
    // purchase it is due, 5 days after it is not; a bare id has no time and gives nothing.
    let due: Vec<String> = (1..=300)
        .map(|i| format!("P{i:05}"))
        .filter(|id| ids(&ask(&r, "recurring", bought(id, 13.0)).unwrap()) == [id.clone()])
        .collect();
    assert_eq!(due.len(), 1, "one planted recurring product: {due:?}");
    let id = due[0].as_str();
    assert!(ids(&ask(&r, "recurring", bought(id, 5.0)).unwrap()).is_empty());
    let untimed = obj(&[("purchased", strs(&[id])), ("now", (now + 13.0 * day).into())]);
    assert!(ids(&ask(&r, "recurring", untimed).unwrap()).is_empty());
    // A Session records the time of a purchase; 13 days later the product is due.
    let session = Session::load(None);
    session.purchase(strs(&[id])).unwrap();
    let later = obj(&[("session", session.into()), ("now", (now + 13.0 * day).into())]);
    assert_eq!(ids(&ask(&r, "recurring", later).unwrap()), [id]);
}

/// The fixture with one editorial list (an id not in the catalog included).
fn rec_with_a_list() -> Recommender {
    let mut s = edgerec::Snapshot::decode(FIXTURE).unwrap();
    let products = ["P00010", "nope", "P00003", "P00007"].map(String::from).to_vec();
    s.config
        .lists
        .insert("staff".into(), edgerec::config::EditorialList { products, title: Some("Staff picks".into()) });
    Recommender::from_bytes(&s.encode()).unwrap()
}

#[wasm_bindgen_test]
fn editorial_lists_are_listed_and_chosen_per_request() {
    let rec = rec_with_a_list();
    let lists = rec.lists().unwrap();
    let first = lists.dyn_ref::<Array>().unwrap().get(0);
    assert_eq!(get(&first, "name").as_string().as_deref(), Some("staff"));
    assert_eq!(get(&first, "title").as_string().as_deref(), Some("Staff picks"));
    assert_eq!(get(&first, "products").dyn_into::<Array>().unwrap().length(), 4);
    let got = ask(&rec, "editorial", obj(&[("list", "staff".into()), ("fallback", strs(&[]))])).unwrap();
    assert_eq!(ids(&got), ["P00010", "P00003", "P00007"]);
    assert_eq!(
        get(&got.dyn_ref::<Array>().unwrap().get(0), "explanation").as_string().as_deref(),
        Some("Picked by our team: Staff picks")
    );
    // As a fallback step of another widget, and in recommendWith.
    let got = ask(&rec, "also_bought", obj(&[("fallback", strs(&["list:staff"]))])).unwrap();
    let first = got.dyn_ref::<Array>().unwrap().get(0);
    assert_eq!(
        (get(&first, "reason").as_string().as_deref(), get(&first, "step").as_f64()),
        (Some("editorial"), Some(2.0))
    );
    let w = obj(&[
        ("algorithm", "editorial".into()),
        ("list", "staff".into()),
        ("fallback", strs(&[])),
        ("limit", 2.into()),
    ]);
    assert_eq!(ids(&rec.recommend_with(w, None).unwrap()), ["P00010", "P00003"]);
    let e = ask(&rec, "editorial", obj(&[("list", "winter".into())])).unwrap_err();
    assert_eq!(e, "invalid option `list`: no list \"winter\"; lists: staff");
    let e = ask(&rec, "popular", obj(&[("fallback", strs(&["list:winter"]))])).unwrap_err();
    assert_eq!(e, "invalid option `fallback[0]`: no list \"winter\"; lists: staff");
}

#[wasm_bindgen_test]
fn exclude_caps_and_rotation_are_request_options() {
    let rec = rec();
    let limit = || ("limit", JsValue::from(10));
    let plain = ids(&ask(&rec, "popular", obj(&[limit()])).unwrap());
    let shown = strs(&plain[..4].iter().map(String::as_str).collect::<Vec<_>>());
    let rest = ids(&ask(&rec, "popular", obj(&[limit(), ("exclude", shown.clone())])).unwrap());
    assert_eq!(rest[..6], plain[4..], "the list moves up past what other widgets show");
    // `exclude` is kept whatever the order of the keys, a session context included.
    let session = Session::load(None);
    let with_session =
        ids(&ask(&rec, "popular", obj(&[limit(), ("exclude", shown), ("session", session.context().unwrap())]))
            .unwrap());
    assert_eq!(with_session, rest);
    let brands = |list: &JsValue| {
        list.dyn_ref::<Array>().unwrap().iter().map(|i| get(&i, "brand").as_string().unwrap()).collect::<Vec<_>>()
    };
    let capped = brands(&ask(&rec, "popular", obj(&[("limit", 20.into()), ("maxPerBrand", 1.into())])).unwrap());
    let distinct: std::collections::HashSet<_> = capped.iter().collect();
    assert!(!capped.is_empty() && distinct.len() == capped.len(), "one per brand: {capped:?}");
    let day = |d: f64| {
        ids(&ask(&rec, "popular", obj(&[limit(), ("rotation", "day".into()), ("now", (d * 86_400.0).into())])).unwrap())
    };
    assert_eq!(day(20_400.0), day(20_400.0), "one order per day");
    let e = rec.recommend("popular".into(), Some(obj(&[("rotation", "hourly".into())]))).unwrap_err();
    assert_eq!(code_and_key(&e), ("invalid_option".to_string(), "rotation".to_string()));
    assert_eq!(message(e), "invalid option `rotation`: expected one of off, day, session");
    let w = obj(&[("algorithm", "popular".into()), ("max_per_category", 101.into())]);
    let e = rec.recommend_with(w, None).unwrap_err();
    assert_eq!(code_and_key(&e).1, "max_per_category");
}

/// The fixture built with a 45-minute session gap.
fn rec_with_a_45_minute_gap() -> Recommender {
    let mut s = edgerec::Snapshot::decode(FIXTURE).unwrap();
    s.config.training.session_gap_minutes = 45;
    Recommender::from_bytes(&s.encode()).unwrap()
}

#[wasm_bindgen_test]
fn a_session_cuts_where_the_snapshot_cut() {
    let (r30, r45) = (rec(), rec_with_a_45_minute_gap());
    assert_eq!(get(&r30.info().unwrap(), "sessionGapMinutes").as_f64(), Some(30.0));
    assert_eq!(get(&r45.info().unwrap(), "sessionGapMinutes").as_f64(), Some(45.0));
    let session = Session::load(None);
    session.view("P00001".into()).unwrap();
    let gap = |s: &Session| get(&s.to_json().unwrap(), "gap").as_f64();
    assert_eq!(gap(&session), Some(1800.0), "30 minutes until a recommender says otherwise");
    let js: JsValue = session.into();
    // Forty minutes on: past a 30-minute gap, within a 45-minute one.
    let later = js_sys::Date::now() / 1000.0 + 40.0 * 60.0;
    let ask_at = |r: &Recommender| {
        let opts = obj(&[
            ("session", js.clone()),
            ("now", later.into()),
            ("filters", obj(&[("showOutOfStock", true.into())])),
        ]);
        r.answer(JsValue::from_str("previously_viewed"), Some(opts)).unwrap()
    };
    let a = ask_at(&r30);
    let own = get(&a, "fromFallback") == JsValue::FALSE && !ids(&get(&a, "items")).is_empty();
    assert!(!own, "the session ended: nothing of its own to show");
    let a = ask_at(&r45);
    assert_eq!(get(&a, "fromFallback"), JsValue::FALSE, "the same session is still going");
    assert_eq!(ids(&get(&a, "items")), ["P00001"]);
    let to_json: js_sys::Function = get(&js, "toJSON").dyn_into().unwrap();
    assert_eq!(get(&to_json.call0(&js).unwrap(), "gap").as_f64(), Some(2700.0), "adopted and kept");
    // Before any recommender, the gap can be asked for; an impossible one is refused with a
    // warning and the defaults used.
    let s = Session::load(Some(obj(&[("gapMinutes", 45.into())])));
    assert_eq!(gap(&s), Some(2700.0));
    let s = Session::load(Some(obj(&[("gapMinutes", 0.into())])));
    assert_eq!(gap(&s), Some(1800.0));
}

#[wasm_bindgen_test]
fn info_reports_the_for_you_weights_the_build_fitted() {
    use edgerec::config::{ForYouParams, SessionShape, TunedForYou};
    let mut s = edgerec::Snapshot::decode(FIXTURE).unwrap();
    let params = ForYouParams { repeat_weight: 4.0, recency_decay: 0.25, ..Default::default() };
    s.tuned = Some(TunedForYou {
        params,
        shape: SessionShape { latest_boost: 1.5, ..Default::default() },
        cases: 5_000,
        fitted: (0.5, 0.25),
        defaults: (0.375, 0.125),
        in_session: (0.25, 0.0625),
        evaluations: 40,
    });
    let r = Recommender::from_bytes(&s.encode()).unwrap();
    let t = get(&r.info().unwrap(), "tuned");
    let n = |v: &JsValue, k: &str| get(v, k).as_f64().unwrap();
    assert_eq!(n(&get(&t, "weights"), "repeat_weight"), 4.0);
    assert_eq!(n(&get(&t, "weights"), "recency_decay"), 0.25);
    assert_eq!(n(&get(&t, "shape"), "latest_boost"), 1.5);
    assert_eq!(n(&get(&t, "shape"), "next_decay"), 0.0);
    assert_eq!((n(&t, "cases"), n(&t, "evaluations")), (5000.0, 40.0));
    assert_eq!((n(&t, "hr20"), n(&t, "mrr20")), (0.5, 0.25));
    assert_eq!((n(&get(&t, "defaults"), "hr20"), n(&get(&t, "defaults"), "mrr20")), (0.375, 0.125));
    assert_eq!((n(&get(&t, "inSession"), "hr20"), n(&get(&t, "inSession"), "mrr20")), (0.25, 0.0625));
    // Every weight is reported, under the names edgerec.toml uses.
    let keys: Vec<String> =
        Object::keys(get(&t, "weights").unchecked_ref::<Object>()).iter().map(|k| k.as_string().unwrap()).collect();
    assert_eq!(keys, ForYouParams::NAMES);
}

/// The fixture with a `colors` submodel (its catalog has a `color` column) and a `price` one.
fn rec_with_submodels() -> Recommender {
    let mut s = edgerec::Snapshot::decode(FIXTURE).unwrap();
    let g = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let groups = vec![g(&["red"]), g(&["blue", "green"]), g(&["white", "natural"]), g(&["black", "grey"])];
    s.config
        .submodels
        .insert("colors".into(), edgerec::config::Submodel { attribute: "color".into(), groups, ranges: vec![] });
    let ranges = vec![[0.0, 50.0], [50.0, 150.0], [150.0, 100_000.0]];
    s.config
        .submodels
        .insert("price".into(), edgerec::config::Submodel { attribute: "price".into(), groups: vec![], ranges });
    Recommender::from_bytes(&s.encode()).unwrap()
}

#[wasm_bindgen_test]
fn submodels_are_listed_and_keep_a_list_to_one_group() {
    let r = rec_with_submodels();
    let list = r.submodels().unwrap();
    let names: Vec<String> =
        list.dyn_ref::<Array>().unwrap().iter().map(|s| get(&s, "name").as_string().unwrap()).collect();
    assert_eq!(names, ["colors", "price"]);
    let colors = list.dyn_ref::<Array>().unwrap().get(0);
    assert_eq!(get(&colors, "attribute").as_string().unwrap(), "color");
    assert_eq!(get(&colors, "groups").dyn_ref::<Array>().unwrap().length(), 4);
    let price = list.dyn_ref::<Array>().unwrap().get(1);
    assert_eq!(js_sys::JSON::stringify(&get(&price, "ranges")).unwrap(), "[[0,50],[50,150],[150,100000]]");
    let color = |id: &str| {
        let p = r.product(id.into()).unwrap();
        get(&get(&p, "attributes"), "color").as_string().unwrap_or_default()
    };
    let group = |c: &str| {
        ["red|", "blue|green", "white|natural", "black|grey"].iter().position(|g| g.split('|').any(|x| x == c))
    };
    // Find products whose viewed-together list mixes colour groups: the submodel keeps its group.
    let mut checked = 0;
    for i in 1..=300 {
        let id = format!("P{i:05}");
        let ask = |subs: Option<JsValue>| {
            let mut pairs = vec![("product", JsValue::from_str(&id)), ("fallback", Array::new().into())];
            if let Some(s) = subs {
                pairs.push(("submodels", s));
            }
            r.answer(JsValue::from_str("also_viewed"), Some(obj(&pairs))).unwrap()
        };
        let plain = ids(&get(&ask(None), "items"));
        let mine = group(&color(&id));
        if mine.is_none() || plain.iter().all(|p| group(&color(p)) == mine) {
            continue;
        }
        let a = ask(Some(obj(&[("colors", "$product".into())])));
        let kept = ids(&get(&a, "items"));
        assert!(kept.iter().all(|p| group(&color(p)) == mine), "{id}: {kept:?}");
        let applied: Vec<String> =
            get(&a, "submodels").dyn_ref::<Array>().unwrap().iter().map(|s| s.as_string().unwrap()).collect();
        assert_eq!(applied.len(), 1);
        assert!(applied[0].starts_with("colors: ") && applied[0].contains(&color(&id)), "{applied:?}");
        // A number selects a price band; both submodels: products in both groups.
        let both = ask(Some(obj(&[("colors", "$product".into()), ("price", 60.into())])));
        for p in ids(&get(&both, "items")) {
            let price = get(&r.product(p.as_str().into()).unwrap(), "price").as_f64().unwrap();
            assert!((50.0..150.0).contains(&price) && group(&color(&p)) == mine, "{p} at {price}");
        }
        checked += 1;
        if checked == 3 {
            break;
        }
    }
    assert_eq!(checked, 3, "the fixture has viewed-together lists across colour groups");
    // Bad selections are refused with the key.
    let bad = |subs: JsValue| {
        let e = r.recommend("also_viewed".into(), Some(obj(&[("submodels", subs)]))).unwrap_err();
        code_and_key(&e)
    };
    assert_eq!(bad(obj(&[("sizes", "M".into())])), ("invalid_option".into(), "submodels.sizes".into()));
    assert_eq!(bad(obj(&[("price", "cheap".into())])), ("invalid_option".into(), "submodels.price".into()));
    assert_eq!(bad(obj(&[("colors", JsValue::TRUE)])), ("invalid_option".into(), "submodels.colors".into()));
    assert_eq!(bad("colors".into()).1, "submodels");
}

#[wasm_bindgen_test]
fn a_widgets_own_similarity_reads_its_own_table_and_requests_cannot_invent_one() {
    use edgerec::neighbours::{NeighbourTable, SimilarBy};
    let mut s = edgerec::Snapshot::decode(FIXTURE).unwrap();
    let weights: std::collections::BTreeMap<String, u32> = [("brand".to_string(), 100)].into();
    // A hand-made table for those weights: P00001's only similar product is P00007.
    let mut rows = vec![Vec::new(); s.catalog.len()];
    rows[s.catalog.index_of("P00001").unwrap() as usize] = vec![(s.catalog.index_of("P00007").unwrap(), 1.0)];
    s.similar_by.push(SimilarBy { attributes: weights.clone(), table: NeighbourTable::from_rows(&rows) });
    let mut w = s.config.widgets["similar"].clone();
    w.similarity = Some(weights);
    w.fallback = vec![];
    s.config.widgets.insert("same_brand".into(), w);
    let r = Recommender::from_bytes(&s.encode()).unwrap();
    let opts = || obj(&[("product", "P00001".into()), ("filters", obj(&[("showOutOfStock", true.into())]))]);
    assert_eq!(ids(&ask(&r, "same_brand", opts()).unwrap()), ["P00007"]);
    assert_ne!(ids(&ask(&r, "similar", opts()).unwrap()), ["P00007"], "the shared table is another");
    let info = r.widgets().unwrap();
    let mine = info.dyn_ref::<Array>().unwrap().iter().find(|w| get(w, "name") == "same_brand").unwrap();
    assert_eq!(get(&get(&mine, "similarity"), "brand").as_f64(), Some(100.0));
    // recommendWith may name weights the snapshot has a table for, not others.
    let with = |weights: JsValue| {
        let widget =
            obj(&[("algorithm", "similar".into()), ("similarity", weights), ("fallback", Array::new().into())]);
        r.recommend_with(widget, Some(opts()))
    };
    assert_eq!(ids(&with(obj(&[("brand", 100.into())])).unwrap()), ["P00007"]);
    let e = with(obj(&[("color", 100.into())])).unwrap_err();
    assert_eq!(code_and_key(&e), ("invalid_option".into(), "similarity".into()));
    assert!(message(e).contains("computed by `edgerec build`"));
    let e = with(obj(&[("brand", "lots".into())])).unwrap_err();
    assert_eq!(code_and_key(&e).1, "similarity.brand");
}
