//! `fetchSnapshot`: loading a snapshot over HTTP.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{thrown, ErrorCode, Recommender, Thrown};

/// A fetch that failed: `fetch_failed`.
fn failed(msg: impl std::fmt::Display) -> Thrown {
    Thrown::new(ErrorCode::FetchFailed, msg)
}
use crate::engine;

/// Fetches a snapshot over HTTP and loads it. By default the request revalidates with the
/// server (`cache: "no-cache"`): the browser sends its ETag / Last-Modified and a `304 Not
/// Modified` reuses the cached bytes, so a deployed snapshot is picked up at once without
/// downloading an unchanged one again. Pass `"default"` to honour `Cache-Control: max-age`.
#[wasm_bindgen(js_name = fetchSnapshot)]
pub async fn fetch_snapshot(url: String, cache: Option<String>) -> Result<Recommender, JsValue> {
    let global = js_sys::global();
    let fetch: Function = Reflect::get(&global, &JsValue::from_str("fetch"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| failed("fetchSnapshot needs a global fetch (browsers, workers, Node 18+)"))?;
    let init = js_sys::Object::new();
    let _ = Reflect::set(&init, &"cache".into(), &JsValue::from_str(cache.as_deref().unwrap_or("no-cache")));
    let promise: js_sys::Promise = fetch
        .call2(&global, &JsValue::from_str(&url), &init)
        .map_err(|e| failed(format!("fetching {url} failed: {}", thrown(&e))))?
        .dyn_into()
        .map_err(|_| failed("fetch did not return a promise"))?;
    let response = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| failed(format!("fetching {url} failed: {}", thrown(&e))))?;
    let get = |k: &str| Reflect::get(&response, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    if get("ok").as_bool() != Some(true) {
        let status = get("status").as_f64().unwrap_or(0.0);
        return Err(failed(format!(
            "fetching {url}: HTTP {status} {}",
            get("statusText").as_string().unwrap_or_default()
        ))
        .into());
    }
    let array_buffer: Function = get("arrayBuffer").dyn_into().map_err(|_| failed("the response has no body"))?;
    let body: js_sys::Promise = array_buffer
        .call0(&response)
        .map_err(|_| failed("reading the response failed"))?
        .dyn_into()
        .map_err(|_| failed("reading the response failed"))?;
    let buf = wasm_bindgen_futures::JsFuture::from(body).await.map_err(|_| failed(format!("reading {url} failed")))?;
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    engine::Recommender::from_bytes(&bytes)
        .map(Recommender)
        .map_err(|e| Thrown::new(ErrorCode::InvalidSnapshot, format!("{url}: {e}")).into())
}
