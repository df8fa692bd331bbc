//! The session tracker in a real browser (`wasm-pack test --headless --chrome`): localStorage
//! persistence, reset of corrupt or foreign data without throwing, the storage event from other
//! tabs, memory fallback, purchase times kept across a reload for the `recurring` widget, and the
//! snapshot's session gap kept once a recommender set it.
#![cfg(target_arch = "wasm32")]

use edgerec::wasm::{Recommender, Session};
use js_sys::{Object, Reflect};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn opts(key: &str) -> JsValue {
    let o = Object::new();
    Reflect::set(&o, &"key".into(), &key.into()).unwrap();
    o.into()
}

fn views(s: &Session) -> Vec<String> {
    s.views().iter().map(|v| v.as_string().unwrap()).collect()
}

#[wasm_bindgen_test]
fn the_session_survives_a_reload() {
    let key = "edgerec-test:reload";
    storage().remove_item(key).unwrap();
    let s = Session::load(Some(opts(key)));
    assert_eq!(s.storage_mode(), "local");
    s.view("A".into()).unwrap();
    s.view("B".into()).unwrap();
    s.add_to_cart("C".into(), None).unwrap();
    s.purchase(js_sys::Array::of1(&"C".into()).into()).unwrap();
    drop(s);
    let again = Session::load(Some(opts(key)));
    assert_eq!(views(&again), ["B", "A"]);
    assert_eq!(again.purchased().length(), 1);
    let stored = storage().get_item(key).unwrap().unwrap();
    assert!(stored.contains("\"version\":1"), "{stored}");
    again.clear();
    assert!(views(&Session::load(Some(opts(key)))).is_empty());
}

#[wasm_bindgen_test]
fn corrupt_or_foreign_data_is_reset_without_throwing() {
    let key = "edgerec-test:corrupt";
    for garbage in [
        "{not json",
        "[1,2,3]",
        r#"{"version":99,"views":[]}"#,
        r#"{"version":1,"started":0,"last_active":0,"views":[{"id":"","at":0}],"cart":[],"purchases":[],"past":[]}"#,
    ] {
        storage().set_item(key, garbage).unwrap();
        let s = Session::load(Some(opts(key)));
        assert!(views(&s).is_empty(), "{garbage}");
        s.view("X".into()).unwrap();
        assert_eq!(views(&s), ["X"]);
        let stored = storage().get_item(key).unwrap().unwrap();
        assert!(stored.contains("\"X\""), "the reset state is saved: {stored}");
    }
    storage().remove_item(key).unwrap();
}

#[wasm_bindgen_test]
fn another_tab_updates_this_session() {
    let key = "edgerec-test:tabs";
    storage().remove_item(key).unwrap();
    let mine = Session::load(Some(opts(key)));
    let calls = Rc::new(Cell::new(0));
    let c = calls.clone();
    let cb = Closure::<dyn FnMut()>::new(move || c.set(c.get() + 1));
    mine.on_change(cb.as_ref().clone()).unwrap();
    // What another tab writes, and the event the browser then fires in this tab.
    let other = Session::load(Some(opts("edgerec-test:tabs-other")));
    other.view("FROM-OTHER-TAB".into()).unwrap();
    let written = storage().get_item("edgerec-test:tabs-other").unwrap().unwrap();
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(key));
    init.set_new_value(Some(&written));
    let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
    assert_eq!(views(&mine), ["FROM-OTHER-TAB"]);
    assert_eq!(calls.get(), 1);
    // Events for other keys, or with unreadable values, change nothing.
    init.set_key(Some("unrelated"));
    let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
    assert_eq!(calls.get(), 1);
    mine.view("LOCAL".into()).unwrap();
    assert_eq!(calls.get(), 2);
    storage().remove_item(key).unwrap();
    storage().remove_item("edgerec-test:tabs-other").unwrap();
}

#[wasm_bindgen_test]
fn memory_mode_touches_no_storage() {
    let o = Object::new();
    Reflect::set(&o, &"key".into(), &"edgerec-test:memory".into()).unwrap();
    Reflect::set(&o, &"storage".into(), &"memory".into()).unwrap();
    let s = Session::load(Some(o.into()));
    assert_eq!(s.storage_mode(), "memory");
    s.view("M".into()).unwrap();
    assert!(storage().get_item("edgerec-test:memory").unwrap().is_none());
}

#[wasm_bindgen_test]
fn a_full_storage_falls_back_to_memory_without_throwing() {
    let key = "edgerec-test:full";
    let st = storage();
    st.remove_item(key).unwrap();
    let s = Session::load(Some(opts(key)));
    assert_eq!(s.storage_mode(), "local");
    // Fill localStorage to its quota.
    let chunk = "x".repeat(512 * 1024);
    let mut fillers = Vec::new();
    for i in 0..200 {
        let k = format!("edgerec-test:filler-{i}");
        if st.set_item(&k, &chunk).is_err() {
            break;
        }
        fillers.push(k);
    }
    let small = "y".repeat(1024);
    let mut i = 0;
    while st.set_item(&format!("edgerec-test:small-{i}"), &small).is_ok() && i < 10_000 {
        i += 1;
    }
    // Recording now cannot be saved: the session carries on in memory.
    for n in 0..50 {
        s.view(format!("P-{n}-{}", "z".repeat(200)).into()).unwrap();
    }
    assert_eq!(s.storage_mode(), "memory");
    assert_eq!(views(&s).len(), 50);
    for k in fillers {
        st.remove_item(&k).unwrap();
    }
    for j in 0..=i {
        st.remove_item(&format!("edgerec-test:small-{j}")).unwrap();
    }
    st.remove_item(key).unwrap();
}

#[wasm_bindgen_test]
fn purchase_times_survive_a_reload_and_time_the_recurring_widget() {
    let rec = Recommender::from_bytes(include_bytes!("fixtures/small.snap")).unwrap();
    let now = (js_sys::Date::now() / 1000.0).floor();
    let ask = |session: &JsValue, days_later: f64| {
        let o = Object::new();
        Reflect::set(&o, &"session".into(), session).unwrap();
        Reflect::set(&o, &"now".into(), &(now + days_later * 86_400.0).into()).unwrap();
        let list: js_sys::Array = rec.recommend("recurring".into(), Some(o.into())).unwrap().dyn_into().unwrap();
        list.iter().map(|i| Reflect::get(&i, &"id".into()).unwrap().as_string().unwrap()).collect::<Vec<_>>()
    };
    // Find the fixture's planted recurring product: bought today, due in 13 days.
    let key = "edgerec-test:recurring";
    let mut found = None;
    for i in 1..=300 {
        let id = format!("P{i:05}");
        storage().remove_item(key).unwrap();
        let s = Session::load(Some(opts(key)));
        s.purchase(js_sys::Array::of1(&id.clone().into()).into()).unwrap();
        drop(s);
        // A new page: the session comes back from localStorage with the purchase's time.
        let again: JsValue = Session::load(Some(opts(key))).into();
        if ask(&again, 13.0) == [id.clone()] {
            assert!(ask(&again, 5.0).is_empty(), "{id}: not due 5 days after");
            found = Some(id);
            break;
        }
    }
    storage().remove_item(key).unwrap();
    assert!(found.is_some(), "the fixture plants a product bought every two weeks");
}

#[wasm_bindgen_test]
fn searches_survive_a_reload_and_a_session_stored_before_them_still_loads() {
    let key = "edgerec-test:searches";
    storage().remove_item(key).unwrap();
    let s = Session::load(Some(opts(key)));
    s.view("P00002".into()).unwrap();
    s.search("red knife".into()).unwrap();
    drop(s);
    let again = Session::load(Some(opts(key)));
    let ctx = again.context().unwrap();
    let searches = js_sys::Array::from(&Reflect::get(&ctx, &"searches".into()).unwrap());
    assert_eq!(searches.length(), 1);
    assert_eq!(Reflect::get(&searches.get(0), &"query".into()).unwrap().as_string().as_deref(), Some("red knife"));
    // The stored form of a version before searches: no `searches` key; kept, not reset.
    let old =
        r#"{"version":1,"started":1,"last_active":1,"views":[{"id":"A","at":1}],"cart":[],"purchases":[],"past":[]}"#;
    storage().set_item(key, old).unwrap();
    let old_session = Session::load(Some(opts(key)));
    let stored = js_sys::JSON::stringify(&old_session.to_json().unwrap()).unwrap().as_string().unwrap();
    assert!(stored.contains("\"id\":\"A\""), "kept: {stored}");
    // A searches list of the wrong shape is refused as a whole (reset).
    let bad = r#"{"version":1,"started":1,"last_active":1,"views":[{"id":"A","at":1}],"cart":[],"purchases":[],"past":[],"searches":[{"q":1}]}"#;
    storage().set_item(key, bad).unwrap();
    let reset = Session::load(Some(opts(key)));
    let stored = js_sys::JSON::stringify(&reset.to_json().unwrap()).unwrap().as_string().unwrap();
    assert!(!stored.contains("\"id\":\"A\""), "reset: {stored}");
    storage().remove_item(key).unwrap();
}

#[wasm_bindgen_test]
fn the_snapshots_session_gap_is_kept_across_a_reload() {
    let key = "edgerec-test:gap";
    storage().remove_item(key).unwrap();
    let mut snap = edgerec::Snapshot::decode(include_bytes!("fixtures/small.snap")).unwrap();
    snap.config.training.session_gap_minutes = 45;
    let rec = Recommender::from_bytes(&snap.encode()).unwrap();
    let s = Session::load(Some(opts(key)));
    s.view("P00001".into()).unwrap();
    let o = Object::new();
    Reflect::set(&o, &"session".into(), &JsValue::from(s)).unwrap();
    rec.recommend("previously_viewed".into(), Some(o.into())).unwrap();
    // Stored by the recommend call itself, so the next page cuts sessions at 45 minutes at once.
    let stored = storage().get_item(key).unwrap().unwrap();
    assert!(stored.contains("\"gap\":2700"), "{stored}");
    let again = Session::load(Some(opts(key)));
    assert_eq!(Reflect::get(&again.to_json().unwrap(), &"gap".into()).unwrap().as_f64(), Some(2700.0));
    // A gap out of bounds, or not a number, is refused as a whole (reset to the default).
    for bad in ["0", "\"45\"", "999999999"] {
        let text = format!(
            r#"{{"version":1,"started":1,"last_active":1,"views":[{{"id":"A","at":1}}],"cart":[],"purchases":[],"past":[],"gap":{bad}}}"#
        );
        storage().set_item(key, &text).unwrap();
        let reset = Session::load(Some(opts(key)));
        assert!(views(&reset).is_empty(), "gap {bad}: reset");
        assert_eq!(Reflect::get(&reset.to_json().unwrap(), &"gap".into()).unwrap().as_f64(), Some(1800.0));
    }
    storage().remove_item(key).unwrap();
}
