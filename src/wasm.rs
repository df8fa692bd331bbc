//! The WebAssembly binding: the only module with `#[wasm_bindgen]`. Thin wrappers that parse
//! JavaScript input, call the pure engine and session, and convert the output. Errors cross as
//! `Error` objects with a clear message; nothing here panics on user input.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::{Filters, Source, WidgetConfig};
use crate::engine::{self, Context, Overrides, View};
use crate::session::SessionState;
use crate::snapshot::FORMAT_VERSION;
use crate::time::format_timestamp;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** The name of a source list: why an item is in a widget. */
export type SourceName = "force_include" | "previously_viewed" | "bought_together" | "carted_together"
  | "viewed_together" | "for_you" | "most_viewed" | "most_viewed_in_category" | "most_purchased"
  | "most_purchased_in_category" | "popular" | "popular_in_category";

/** The algorithms a widget can run. */
export type AlgorithmName = "previously_viewed" | "upsell" | "cross_sell" | "also_viewed" | "also_bought"
  | "most_viewed" | "most_viewed_in_category" | "most_purchased" | "most_purchased_in_category"
  | "popular" | "popular_in_category" | "for_you";

/** Merchandising filters. Prices in currency units, discounts in percent. Every field optional. */
export interface Filters {
  brands?: string[]; excludeBrands?: string[];
  products?: string[]; excludeProducts?: string[];
  /** Full category paths ("Kitchen > Knives"); subcategories included. */
  categories?: string[]; excludeCategories?: string[];
  tags?: string[]; excludeTags?: string[];
  priceMin?: number; priceMax?: number;
  /** Products whose stock is not tracked always pass stock filters. */
  stockMin?: number; stockMax?: number;
  discountMin?: number; discountMax?: number;
  /** Inclusive date ranges, YYYY-MM-DD; a missing end is open. */
  added?: { from?: string; to?: string }[];
  addedWithinDays?: number;
  /** Show products whose tracked stock is 0 or less (default false). */
  showOutOfStock?: boolean;
}

/** One view in a session context, most recent first. `at` is Unix seconds. */
export interface ViewedItem { id: string; at?: number }

/** What `Session.context()` returns, and what `session` may be given as. */
export interface SessionContext { views: ViewedItem[]; cart: string[]; purchased: string[] }

/** Options of `Recommender.recommend`. */
export interface RecommendOptions {
  /** The product on the page. */
  product?: string;
  /** A Session (or its `context()`): views, cart and purchases come from it. */
  session?: Session | SessionContext;
  /** Without a session: views, oldest first. */
  viewed?: string[];
  /** Without a session: the cart. */
  cart?: string[];
  /** Without a session: past purchases, oldest first. */
  purchased?: string[];
  /** Current time, Unix seconds (default: now). */
  now?: number;
  /** How many items at most (1 to 100). */
  limit?: number;
  /** Relative relevance threshold, 0 to 1. */
  threshold?: number;
  /** Replaces the widget's fallback chain. */
  fallback?: SourceName[];
  /** Filters; each field given replaces the widget's. */
  filters?: Filters;
  excludePurchased?: boolean;
  forceInclude?: string[];
  forceIncludeOutOfStock?: boolean;
}

/** A recommended product with why it is there. */
export interface RecommendedItem {
  id: string; title: string; url: string; image: string; brand: string;
  price: number | null; compareAtPrice: number | null; discount: number; inStock: boolean;
  /** Relevance relative to the best item of the same step, in (0, 1]. */
  score: number;
  /** The list that produced the item. */
  reason: SourceName;
  /** The step of the widget's chain (0: force-included, then 1, 2, ...). */
  step: number;
  /** The page or session product that led to it. */
  because: string | null;
  /** The reason in words, for a tooltip. */
  explanation: string;
}

/** A widget's configuration (as in edgerec.toml, snake_case keys). */
export interface WidgetConfig {
  algorithm: AlgorithmName; title: string; limit: number; threshold: number; fallback: SourceName[];
  filters: { [key: string]: unknown }; exclude_purchased: boolean; force_include: string[];
  force_include_out_of_stock: boolean;
}

/** A widget and its name. */
export interface WidgetInfo extends WidgetConfig { name: string }

/** A catalog product. */
export interface Product {
  id: string; title: string; url: string; image: string; brand: string;
  price: number | null; compareAtPrice: number | null; discount: number;
  stock: number | null; inStock: boolean; categories: string[]; tags: string[];
  createdAt: string | null; attributes: { [name: string]: string };
}

/** A page of products. */
export interface ProductPage { total: number; items: Product[] }

/** A category of the catalog. */
export interface CategoryInfo { name: string; parent: string | null; depth: number }

/** Snapshot metadata. */
export interface SnapshotInfo {
  formatVersion: number; edgerecVersion: string; builtAt: string; asOf: string;
  products: number; categories: number; widgets: string[];
  /** What the snapshot learnt from: catalogRows, eventRows, rejectedRows, unknownProducts,
   * outsidePeriod, eventsUsed, views, carts, purchases, custom, sessions, orders, shoppers. */
  counts: { [name: string]: number };
  holdout: { days: number; cases: number; metrics: { [name: string]: number } } | null;
}

/** Options of `Session.load`. */
export interface SessionOptions {
  /** The localStorage key (default "edgerec:session"); one per store. */
  key?: string;
  /** "local" (default; falls back to memory when unavailable) or "memory". */
  storage?: "local" | "memory";
}

/** A cart line. */
export interface CartLine { id: string; quantity: number }
"#;

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(js_err)
}

fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

fn warn(msg: &str) {
    web_sys::console::warn_1(&JsValue::from_str(msg));
}

/// A snapshot ready to answer requests.
#[wasm_bindgen]
pub struct Recommender(engine::Recommender);

#[derive(Deserialize, Default)]
#[serde(default)]
struct SessionContextIn {
    views: Vec<View>,
    cart: Vec<String>,
    purchased: Vec<String>,
}

const OPTION_KEYS: &[&str] = &[
    "product",
    "session",
    "viewed",
    "cart",
    "purchased",
    "now",
    "limit",
    "threshold",
    "fallback",
    "filters",
    "excludePurchased",
    "forceInclude",
    "forceIncludeOutOfStock",
];

const FILTER_KEYS: &[&str] = &[
    "brands",
    "excludeBrands",
    "exclude_brands",
    "products",
    "excludeProducts",
    "exclude_products",
    "categories",
    "excludeCategories",
    "exclude_categories",
    "tags",
    "excludeTags",
    "exclude_tags",
    "priceMin",
    "price_min",
    "priceMax",
    "price_max",
    "stockMin",
    "stock_min",
    "stockMax",
    "stock_max",
    "discountMin",
    "discount_min",
    "discountMax",
    "discount_max",
    "added",
    "addedWithinDays",
    "added_within_days",
    "showOutOfStock",
    "show_out_of_stock",
];

/// serde-wasm-bindgen reads only the fields a struct knows, so a misspelt option would be
/// ignored without a word: name it instead.
fn check_keys(value: &JsValue, allowed: &[&str], what: &str) -> Result<(), JsError> {
    if !value.is_object() {
        return Ok(());
    }
    for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
        let k = key.as_string().unwrap_or_default();
        if !allowed.contains(&k.as_str()) {
            return Err(js_err(format!("unknown {what} \"{k}\"; allowed: {}", allowed.join(", "))));
        }
    }
    Ok(())
}

/// Deserialises `value`; on failure, names the first key that fails on its own (serde's
/// messages say what was expected but not where).
fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value.clone()).map_err(|e| {
        if value.is_object() {
            for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
                let one = Object::new();
                let v = Reflect::get(value, &key).unwrap_or(JsValue::UNDEFINED);
                let _ = Reflect::set(&one, &key, &v);
                if let Err(inner) = serde_wasm_bindgen::from_value::<T>(one.into()) {
                    let inner = inner.to_string();
                    let inner = inner.strip_prefix("Error: ").unwrap_or(&inner);
                    return js_err(format!("invalid {what} `{}`: {inner}", key.as_string().unwrap_or_default()));
                }
            }
        }
        let e = e.to_string();
        js_err(format!("invalid {what}s: {}", e.strip_prefix("Error: ").unwrap_or(&e)))
    })
}

fn string_of(key: &str, v: &JsValue) -> Result<Option<String>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| js_err(format!("invalid option `{key}`: expected a string")))
}

fn ids_of(key: &str, v: &JsValue) -> Result<Vec<String>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(js_err(format!("invalid option `{key}`: expected an array of product ids")));
    };
    let mut out = Vec::with_capacity(arr.length() as usize);
    for x in arr.iter() {
        out.push(x.as_string().ok_or_else(|| js_err(format!("invalid option `{key}`: expected an array of strings")))?);
    }
    Ok(out)
}

fn number_of(key: &str, v: &JsValue) -> Result<Option<f64>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_f64()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or_else(|| js_err(format!("invalid option `{key}`: expected a number")))
}

fn bool_of(key: &str, v: &JsValue) -> Result<Option<bool>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool().map(Some).ok_or_else(|| js_err(format!("invalid option `{key}`: expected true or false")))
}

fn whole_of(key: &str, v: &JsValue) -> Result<Option<u32>, JsError> {
    match number_of(key, v)? {
        Some(x) if x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&x) => Ok(Some(x as u32)),
        Some(_) => Err(js_err(format!("invalid option `{key}`: expected a whole number"))),
        None => Ok(None),
    }
}

/// Reads `options` into an engine context and overrides, looking only at the keys present (each
/// read crosses the JS boundary). `session` may be a `Session` (its state is read directly) or a
/// plain `SessionContext`.
fn parse_options(options: &JsValue) -> Result<(Context, Overrides), JsError> {
    let mut ctx = Context::default();
    let mut over = Overrides::default();
    let mut now = None;
    if !(options.is_undefined() || options.is_null()) {
        if !options.is_object() || options.is_array() {
            return Err(JsError::new("options must be an object like { product: \"SKU-1\", limit: 8 }"));
        }
        let (mut viewed, mut cart, mut purchased) = (None, None, None);
        for key in Object::keys(options.unchecked_ref::<Object>()).iter() {
            let k = key.as_string().unwrap_or_default();
            let v = Reflect::get(options, &key).unwrap_or(JsValue::UNDEFINED);
            match k.as_str() {
                "product" => ctx.product = string_of("product", &v)?,
                "session" => session_into(&v, &mut ctx)?,
                "viewed" => viewed = Some(ids_of("viewed", &v)?),
                "cart" => cart = Some(ids_of("cart", &v)?),
                "purchased" => purchased = Some(ids_of("purchased", &v)?),
                "now" => now = number_of("now", &v)?,
                "limit" => over.limit = whole_of("limit", &v)?,
                "threshold" => over.threshold = number_of("threshold", &v)?.map(|x| x as f32),
                "fallback" if !v.is_undefined() => over.fallback = Some(from_js::<Vec<Source>>(&v, "fallback")?),
                "filters" if v.is_object() => {
                    check_keys(&v, FILTER_KEYS, "filter")?;
                    over.filters = Some(from_js::<Filters>(&v, "filter")?);
                }
                "filters" if v.is_undefined() || v.is_null() => {}
                "filters" => return Err(JsError::new("invalid option `filters`: expected an object")),
                "excludePurchased" => over.exclude_purchased = bool_of("excludePurchased", &v)?,
                "forceInclude" => over.force_include = Some(ids_of("forceInclude", &v)?),
                "forceIncludeOutOfStock" => over.force_include_out_of_stock = bool_of("forceIncludeOutOfStock", &v)?,
                "fallback" => {}
                other => {
                    return Err(js_err(format!("unknown option \"{other}\"; allowed: {}", OPTION_KEYS.join(", "))))
                }
            }
        }
        if let Some(v) = viewed {
            ctx.views = v.into_iter().rev().map(|id| View { id, at: None }).collect();
        }
        if let Some(v) = cart {
            ctx.cart = v;
        }
        if let Some(v) = purchased {
            ctx.purchased = v.into_iter().rev().collect();
        }
    }
    ctx.now = Some(now.map_or_else(now_secs, |n| n as i64));
    Ok((ctx, over))
}

/// Fills the context from a `Session` (through the registry, without a JS round trip) or from a
/// plain `SessionContext` object.
fn session_into(v: &JsValue, ctx: &mut Context) -> Result<(), JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(());
    }
    if let Some(id) = Reflect::get(v, &JsValue::from_str("__edgerecSession")).ok().and_then(|x| x.as_f64()) {
        let inner =
            SESSIONS.with(|r| r.borrow().iter().find(|(i, _)| f64::from(*i) == id).and_then(|(_, w)| w.upgrade()));
        let Some(inner) = inner else {
            return Err(JsError::new("invalid option `session`: this Session was freed"));
        };
        let s = inner.borrow().state.context(None, now_secs());
        ctx.views = s.views;
        ctx.cart = s.cart;
        ctx.purchased = s.purchased;
        return Ok(());
    }
    let s: SessionContextIn = from_js(v, "session field")?;
    ctx.views = s.views;
    ctx.cart = s.cart;
    ctx.purchased = s.purchased;
    Ok(())
}

/// Items as JS objects: one JSON string crosses the boundary, parsed by the engine's JSON.parse
/// (far cheaper than setting each property from Rust).
fn items_to_js(rec: &engine::Recommender, items: &[engine::Recommendation]) -> Result<JsValue, JsError> {
    let mut out = String::with_capacity(64 + items.len() * 400);
    out.push('[');
    for (i, r) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        rec.describe(r).write_json(&mut out);
    }
    out.push(']');
    js_sys::JSON::parse(&out).map_err(|_| JsError::new("internal error: invalid JSON for items"))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Info<'a> {
    format_version: u32,
    edgerec_version: &'a str,
    built_at: String,
    as_of: String,
    products: usize,
    categories: usize,
    widgets: Vec<&'a str>,
    counts: &'a crate::snapshot::InputCounts,
    holdout: Option<&'a crate::snapshot::Holdout>,
}

#[derive(Serialize)]
struct WidgetInfo<'a> {
    name: &'a str,
    #[serde(flatten)]
    config: &'a WidgetConfig,
}

#[derive(Serialize)]
struct CategoryInfo<'a> {
    name: &'a str,
    parent: Option<&'a str>,
    depth: usize,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
struct ListOptions {
    category: Option<String>,
    offset: Option<usize>,
    limit: Option<usize>,
}

#[wasm_bindgen]
impl Recommender {
    /// Validates (magic, version, checksum, contents) and loads a snapshot. Throws an `Error`
    /// saying what is wrong and how to fix it.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Recommender, JsError> {
        engine::Recommender::from_bytes(bytes).map(Recommender).map_err(js_err)
    }

    /// The list of a widget for a page and a session.
    #[wasm_bindgen(unchecked_return_type = "RecommendedItem[]")]
    pub fn recommend(
        &self,
        widget: &str,
        #[wasm_bindgen(unchecked_param_type = "RecommendOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let (ctx, over) = parse_options(&options)?;
        let r = self.0.recommend(widget, &ctx, &over).map_err(js_err)?;
        items_to_js(&self.0, &r.items)
    }

    /// The list of an ad-hoc widget configuration (for previews): same options as `recommend`.
    #[wasm_bindgen(js_name = recommendWith, unchecked_return_type = "RecommendedItem[]")]
    pub fn recommend_with(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WidgetConfig")] widget: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RecommendOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let config: WidgetConfig =
            serde_wasm_bindgen::from_value(widget).map_err(|e| js_err(format!("invalid widget configuration: {e}")))?;
        let (ctx, over) = parse_options(&options)?;
        let r = self.0.recommend_with(&over.apply(&config), &ctx).map_err(js_err)?;
        items_to_js(&self.0, &r.items)
    }

    /// The widgets of the snapshot with their configuration.
    #[wasm_bindgen(unchecked_return_type = "WidgetInfo[]")]
    pub fn widgets(&self) -> Result<JsValue, JsError> {
        let list: Vec<WidgetInfo> =
            self.0.widget_names().map(|n| WidgetInfo { name: n, config: self.0.widget(n).expect("listed") }).collect();
        to_js(&list)
    }

    /// Snapshot metadata.
    #[wasm_bindgen(unchecked_return_type = "SnapshotInfo")]
    pub fn info(&self) -> Result<JsValue, JsError> {
        let s = self.0.snapshot();
        to_js(&Info {
            format_version: FORMAT_VERSION,
            edgerec_version: &s.meta.edgerec_version,
            built_at: format_timestamp(s.meta.built_at),
            as_of: format_timestamp(s.meta.as_of),
            products: s.catalog.len(),
            categories: s.catalog.category_names().len(),
            widgets: self.0.widget_names().collect(),
            counts: &s.meta.counts,
            holdout: s.meta.holdout.as_ref(),
        })
    }

    /// One product, or `undefined` when it is not in the catalog.
    #[wasm_bindgen(unchecked_return_type = "Product | undefined")]
    pub fn product(&self, id: &str) -> Result<JsValue, JsError> {
        match self.0.catalog().index_of(id) {
            Some(p) => {
                let mut out = String::with_capacity(512);
                self.0.product_info(p).write_json(&mut out);
                js_sys::JSON::parse(&out).map_err(|_| JsError::new("internal error: invalid JSON for a product"))
            }
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// A page of products, best sellers first; `category` includes its subcategories.
    #[wasm_bindgen(unchecked_return_type = "ProductPage")]
    pub fn products(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ category?: string; offset?: number; limit?: number } | undefined")]
        options: JsValue,
    ) -> Result<JsValue, JsError> {
        let o: ListOptions = if options.is_undefined() || options.is_null() {
            ListOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| js_err(format!("invalid options: {e}")))?
        };
        let limit = o.limit.unwrap_or(24).min(500);
        let Some((total, page)) = self.0.list_products(o.category.as_deref(), o.offset.unwrap_or(0), limit) else {
            return Err(js_err(format!("unknown category \"{}\"", o.category.unwrap_or_default())));
        };
        let mut out = format!("{{\"total\":{total},\"items\":[");
        for (i, p) in page.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.0.product_info(p).write_json(&mut out);
        }
        out.push_str("]}");
        js_sys::JSON::parse(&out).map_err(|_| JsError::new("internal error: invalid JSON for products"))
    }

    /// Every category, sorted by path.
    #[wasm_bindgen(unchecked_return_type = "CategoryInfo[]")]
    pub fn categories(&self) -> Result<JsValue, JsError> {
        let c = self.0.catalog();
        let list: Vec<CategoryInfo> = (0..c.category_names().len() as u32)
            .map(|i| CategoryInfo {
                name: c.category_name(i),
                parent: c.category_parent(i).map(|p| c.category_name(p)),
                depth: c.category_name(i).matches(crate::catalog::LEVEL_SEPARATOR).count(),
            })
            .collect();
        to_js(&list)
    }
}

/// Fetches a snapshot over HTTP and loads it. By default the request revalidates with the
/// server (`cache: "no-cache"`): the browser sends its ETag / Last-Modified and a `304 Not
/// Modified` reuses the cached bytes, so a deployed snapshot is picked up at once without
/// downloading an unchanged one again. Pass `"default"` to honour `Cache-Control: max-age`.
#[wasm_bindgen(js_name = fetchSnapshot)]
pub async fn fetch_snapshot(url: String, cache: Option<String>) -> Result<Recommender, JsError> {
    let global = js_sys::global();
    let fetch: Function = Reflect::get(&global, &JsValue::from_str("fetch"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| JsError::new("fetchSnapshot needs a global fetch (browsers, workers, Node 18+)"))?;
    let init = js_sys::Object::new();
    let _ = Reflect::set(&init, &"cache".into(), &JsValue::from_str(cache.as_deref().unwrap_or("no-cache")));
    let promise: js_sys::Promise = fetch
        .call2(&global, &JsValue::from_str(&url), &init)
        .map_err(|_| js_err(format!("fetching {url} failed to start")))?
        .dyn_into()
        .map_err(|_| JsError::new("fetch did not return a promise"))?;
    let response = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|e| {
        js_err(format!("fetching {url} failed: {}", e.as_string().unwrap_or_else(|| "network error".into())))
    })?;
    let get = |k: &str| Reflect::get(&response, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    if get("ok").as_bool() != Some(true) {
        let status = get("status").as_f64().unwrap_or(0.0);
        return Err(js_err(format!(
            "fetching {url}: HTTP {status} {}",
            get("statusText").as_string().unwrap_or_default()
        )));
    }
    let array_buffer: Function = get("arrayBuffer").dyn_into().map_err(|_| JsError::new("the response has no body"))?;
    let body: js_sys::Promise = array_buffer
        .call0(&response)
        .map_err(|_| JsError::new("reading the response failed"))?
        .dyn_into()
        .map_err(|_| JsError::new("reading the response failed"))?;
    let buf = wasm_bindgen_futures::JsFuture::from(body).await.map_err(|_| js_err(format!("reading {url} failed")))?;
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    engine::Recommender::from_bytes(&bytes).map(Recommender).map_err(|e| js_err(format!("{url}: {e}")))
}

thread_local! {
    /// Live sessions by id, so `recommend({ session })` reads a Session's state directly.
    static SESSIONS: RefCell<Vec<(u32, std::rc::Weak<RefCell<Inner>>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_SESSION: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

struct Inner {
    state: SessionState,
    key: String,
    storage: Option<web_sys::Storage>,
    listeners: Vec<Function>,
}

impl Inner {
    fn save(&mut self) {
        let Some(storage) = &self.storage else { return };
        let text = to_js(&self.state).ok().and_then(|v| js_sys::JSON::stringify(&v).ok()).and_then(|s| s.as_string());
        if let Some(text) = text {
            if storage.set_item(&self.key, &text).is_err() {
                warn("edgerec: localStorage is full or unavailable; the session is kept in memory from now on");
                self.storage = None;
            }
        }
    }
}

/// Parses a stored session; `Err` says why it was not usable.
fn parse_state(text: &str) -> Result<SessionState, String> {
    let v = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_string())?;
    let state: SessionState = serde_wasm_bindgen::from_value(v).map_err(|e| e.to_string())?;
    if !state.is_valid() {
        return Err(format!(
            "version {} or bounds not supported (this edgerec writes version {})",
            state.version,
            crate::session::SESSION_VERSION
        ));
    }
    Ok(state)
}

/// The shopper's session, kept on the device (localStorage when available, memory otherwise).
/// It never throws into the page: corrupt or foreign stored data is reset with a console warning.
#[wasm_bindgen]
pub struct Session {
    id: u32,
    inner: Rc<RefCell<Inner>>,
    _on_storage: Option<Closure<dyn FnMut(web_sys::StorageEvent)>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct SessionOptions {
    key: Option<String>,
    storage: Option<String>,
}

#[derive(Serialize)]
struct CartLineOut<'a> {
    id: &'a str,
    quantity: u32,
}

#[wasm_bindgen]
impl Session {
    /// Loads the session from localStorage (or starts one in memory) and follows changes made
    /// by other tabs of the same store.
    pub fn load(#[wasm_bindgen(unchecked_param_type = "SessionOptions | undefined")] options: JsValue) -> Session {
        let o: SessionOptions = if options.is_object() {
            serde_wasm_bindgen::from_value(options).unwrap_or_else(|e| {
                warn(&format!("edgerec: invalid session options ({e}); using the defaults"));
                SessionOptions::default()
            })
        } else {
            SessionOptions::default()
        };
        let key = o.key.unwrap_or_else(|| "edgerec:session".into());
        let window = web_sys::window();
        let storage = if o.storage.as_deref() == Some("memory") {
            None
        } else {
            // Throws (SecurityError) when storage is disabled: then memory.
            window.as_ref().and_then(|w| w.local_storage().ok().flatten())
        };
        let now = now_secs();
        let mut reset = false;
        let state = match storage.as_ref().and_then(|s| s.get_item(&key).ok().flatten()) {
            None => SessionState::new(now),
            Some(text) => parse_state(&text).unwrap_or_else(|why| {
                warn(&format!("edgerec: the stored session under \"{key}\" was unreadable ({why}) and was reset"));
                reset = true;
                SessionState::new(now)
            }),
        };
        let inner = Rc::new(RefCell::new(Inner { state, key: key.clone(), storage, listeners: Vec::new() }));
        if reset {
            inner.borrow_mut().save();
        }
        let on_storage = match (&window, inner.borrow().storage.is_some()) {
            (Some(w), true) => {
                let weak = Rc::downgrade(&inner);
                let cb = Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
                    let Some(inner) = weak.upgrade() else { return };
                    // `key` is null when another tab cleared the whole storage.
                    let k = e.key();
                    if k.as_deref().is_some_and(|k| k != key) {
                        return;
                    }
                    let next = match e.new_value() {
                        None => SessionState::new(now_secs()),
                        Some(text) => match parse_state(&text) {
                            Ok(s) => s,
                            Err(_) => return,
                        },
                    };
                    let mut i = inner.borrow_mut();
                    i.state = next;
                    let listeners = i.listeners.clone();
                    drop(i);
                    for f in listeners {
                        let _ = f.call0(&JsValue::NULL);
                    }
                });
                let _ = w.add_event_listener_with_callback("storage", cb.as_ref().unchecked_ref());
                Some(cb)
            }
            _ => None,
        };
        let id = NEXT_SESSION.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        });
        SESSIONS.with(|r| {
            let mut r = r.borrow_mut();
            r.retain(|(_, w)| w.strong_count() > 0);
            r.push((id, Rc::downgrade(&inner)));
        });
        Session { id, inner, _on_storage: on_storage }
    }

    /// Identifies this session to `Recommender.recommend` (internal).
    #[wasm_bindgen(getter, js_name = __edgerecSession, skip_typescript)]
    pub fn registry_id(&self) -> u32 {
        self.id
    }

    fn update(&self, f: impl FnOnce(&mut SessionState, i64)) {
        let mut i = self.inner.borrow_mut();
        f(&mut i.state, now_secs());
        i.save();
        let listeners = i.listeners.clone();
        drop(i);
        for l in listeners {
            // A listener's own error must not break the session.
            let _ = l.call0(&JsValue::NULL);
        }
    }

    /// Records a product view.
    pub fn view(&self, id: &str) {
        self.update(|s, now| s.view(id, now));
    }

    /// Adds units of a product to the cart (default 1).
    #[wasm_bindgen(js_name = addToCart)]
    pub fn add_to_cart(&self, id: &str, quantity: Option<u32>) {
        self.update(|s, now| s.add_to_cart(id, quantity.unwrap_or(1), now));
    }

    /// Removes a product from the cart.
    #[wasm_bindgen(js_name = removeFromCart)]
    pub fn remove_from_cart(&self, id: &str) {
        self.update(|s, now| s.remove_from_cart(id, now));
    }

    /// Records an order of these products (they leave the cart).
    pub fn purchase(&self, ids: Vec<String>) {
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        self.update(|s, now| s.purchase(&refs, now));
    }

    /// Forgets everything (views, cart, purchases, history).
    pub fn clear(&self) {
        self.update(|s, now| s.clear(now));
    }

    /// The current session's views, most recent first, without repeats.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn views(&self) -> Array {
        let i = self.inner.borrow();
        i.state.recent_views(now_secs()).into_iter().map(JsValue::from_str).collect()
    }

    /// The cart.
    #[wasm_bindgen(unchecked_return_type = "CartLine[]")]
    pub fn cart(&self) -> Result<JsValue, JsError> {
        let i = self.inner.borrow();
        let lines: Vec<CartLineOut> =
            i.state.cart.iter().map(|c| CartLineOut { id: &c.id, quantity: c.quantity }).collect();
        to_js(&lines)
    }

    /// Products bought, most recent first (an id once per purchase).
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn purchased(&self) -> Array {
        let i = self.inner.borrow();
        i.state.purchases.iter().rev().map(|b| JsValue::from_str(&b.id)).collect()
    }

    /// The context the engine reads (views most recent first, cart, purchases).
    #[wasm_bindgen(unchecked_return_type = "SessionContext")]
    pub fn context(&self) -> Result<JsValue, JsError> {
        let i = self.inner.borrow();
        to_js(&i.state.context(None, now_secs()))
    }

    /// Where the session is kept: "local" or "memory".
    #[wasm_bindgen(getter, js_name = storageMode)]
    pub fn storage_mode(&self) -> String {
        if self.inner.borrow().storage.is_some() { "local" } else { "memory" }.into()
    }

    /// Calls `callback` after every change, including changes made in other tabs.
    #[wasm_bindgen(js_name = onChange)]
    pub fn on_change(&self, callback: Function) {
        self.inner.borrow_mut().listeners.push(callback);
    }

    /// Stops calling `callback`.
    #[wasm_bindgen(js_name = offChange)]
    pub fn off_change(&self, callback: &Function) {
        self.inner.borrow_mut().listeners.retain(|f| !Object::is(f, callback));
    }

    /// The stored form (versioned), for debugging.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.borrow().state)
    }
}
