//! The WebAssembly binding: the only module with `#[wasm_bindgen]`. Thin wrappers that parse
//! JavaScript input, call the pure engine and session, and convert the output. Errors cross as
//! `Error` objects with a clear message, a stable `code` ([`ErrorCode`]) and, when an option is
//! at fault, its `key`; nothing here panics on user input.

mod answers;
mod convert;
mod fetch;
mod recommender;
mod session;
mod types;

pub use answers::algorithms;
pub use fetch::fetch_snapshot;
pub use recommender::Recommender;
pub use session::Session;

pub use crate::error_code::ErrorCode;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// An error on its way to JavaScript, thrown as an `Error` with `code` and, when set, `key`.
#[derive(Debug)]
struct Thrown {
    code: ErrorCode,
    key: Option<String>,
    message: String,
}

impl Thrown {
    fn new(code: ErrorCode, message: impl std::fmt::Display) -> Thrown {
        Thrown::text(code, &message.to_string())
    }

    #[inline(never)]
    fn text(code: ErrorCode, message: &str) -> Thrown {
        Thrown { code, key: None, message: clean(message) }
    }

    /// The option at fault.
    fn key(mut self, key: &str) -> Thrown {
        self.key = Some(key.to_string());
        self
    }
}

impl From<Thrown> for JsValue {
    fn from(t: Thrown) -> JsValue {
        let e = js_sys::Error::new(&t.message);
        let _ = Reflect::set(&e, &JsValue::from_str("code"), &JsValue::from_str(t.code.name()));
        if let Some(k) = &t.key {
            let _ = Reflect::set(&e, &JsValue::from_str("key"), &JsValue::from_str(k));
        }
        e.into()
    }
}

impl From<crate::engine::EngineError> for Thrown {
    fn from(e: crate::engine::EngineError) -> Thrown {
        match &e {
            crate::engine::EngineError::UnknownWidget { .. } => Thrown::new(ErrorCode::UnknownWidget, &e),
            crate::engine::EngineError::InvalidOption(c) => Thrown::new(ErrorCode::InvalidOption, &e).key(&c.key),
        }
    }
}

/// The bounds the engine applies to a request, for servers that check requests before passing
/// them on: `maxIdsPerList` (ids read per list: viewed, cart, purchased; the rest are ignored),
/// `maxIdLength` (characters of a product id) and `maxLimit` (items of one list).
#[wasm_bindgen(unchecked_return_type = "Limits")]
pub fn limits() -> Result<JsValue, JsValue> {
    to_js(|out| {
        crate::json::Object::new(out)
            .int("maxIdsPerList", crate::engine::MAX_CONTEXT_IDS as i64)
            .int("maxIdLength", crate::session::MAX_ID_LEN as i64)
            .int("maxLimit", i64::from(crate::config::MAX_LIMIT))
            .end()
    })
}

/// A message without the `Error: ` prefixes that JS errors add when they cross into Rust.
fn clean(s: &str) -> String {
    let mut t = s;
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
fn parse_json(json: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(json).map_err(|_| Thrown::new(ErrorCode::Internal, "internal error: invalid JSON").into())
}

/// Builds a JSON value with `f` and parses it on the JS side.
fn to_js(f: impl FnOnce(&mut String)) -> Result<JsValue, JsValue> {
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
