//! The WebAssembly binding: the only module with `#[wasm_bindgen]`. Thin wrappers that parse
//! JavaScript input, call the pure engine and session, and convert the output. Errors cross as
//! `Error` objects with a clear message; nothing here panics on user input.

mod convert;
mod fetch;
mod recommender;
mod session;
mod types;

pub use fetch::fetch_snapshot;
pub use recommender::Recommender;
pub use session::Session;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&clean(e))
}

/// A message without the `Error: ` prefixes that JS errors add when they cross into Rust.
fn clean(e: impl std::fmt::Display) -> String {
    let s = e.to_string();
    let mut t = s.as_str();
    while let Some(rest) = t.strip_prefix("Error: ") {
        t = rest;
    }
    t.to_string()
}

/// The message of a thrown JS value.
fn thrown(e: &JsValue) -> String {
    Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

fn type_name(v: &JsValue) -> String {
    v.js_typeof().as_string().unwrap_or_default()
}

/// One JSON string across the boundary, parsed by the JS engine.
fn parse_json(json: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(json).map_err(|_| JsError::new("internal error: invalid JSON"))
}

/// Builds a JSON value with `f` and parses it on the JS side.
fn to_js(f: impl FnOnce(&mut String)) -> Result<JsValue, JsError> {
    let mut out = String::with_capacity(256);
    f(&mut out);
    parse_json(&out)
}

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

fn warn(msg: &str) {
    web_sys::console::warn_1(&JsValue::from_str(msg));
}
