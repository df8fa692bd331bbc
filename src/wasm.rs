//! The WebAssembly binding: the only module with `#[wasm_bindgen]`. Thin wrappers that parse
//! JavaScript input, call the pure engine and session, and convert the output. Errors cross as
//! `Error` objects with a clear message; nothing here panics on user input.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
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
export interface SessionContext {
  views: ViewedItem[]; cart: string[]; purchased: string[];
  /** Filled by `Session.context()`; ignored when given to `recommend`. */
  product?: string | null; now?: number;
}

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
  /** The widget's own weights (for_you algorithm only); null: the snapshot's [for_you]. */
  for_you: ForYouWeights | null;
}

/** Weights of the for_you algorithm (as in edgerec.toml's [for_you]). */
export interface ForYouWeights {
  recency_decay: number; next_weight: number; together_weight: number; bought_weight: number;
  repeat_weight: number; cart_boost: number; purchase_weight: number; purchase_decay: number;
  rebuy_weight: number; hop_weight: number; popular_weight: number;
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

/// A quantity argument: a whole number from `min` to 1,000,000.
fn quantity_arg(what: &str, q: &JsValue, min: f64) -> Result<u32, JsError> {
    match q.as_f64() {
        Some(x) if x.fract() == 0.0 && (min..=1_000_000.0).contains(&x) => Ok(x as u32),
        Some(x) => Err(js_err(format!(
            "{what}: the quantity must be a whole number from {min} to 1000000, not {}",
            crate::config::show_number(x)
        ))),
        None => Err(js_err(format!("{what}: the quantity must be a number, got {}", type_name(q)))),
    }
}

/// A product id argument: a non-empty string of at most 256 characters.
fn id_arg(what: &str, v: &JsValue) -> Result<String, JsError> {
    match v.as_string() {
        Some(s) if !s.is_empty() && s.len() <= crate::session::MAX_ID_LEN => Ok(s),
        Some(_) => Err(js_err(format!("{what}: a product id is 1 to {} characters", crate::session::MAX_ID_LEN))),
        None => Err(js_err(format!("{what}: expected a product id string, got {}", type_name(v)))),
    }
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

/// A snapshot ready to answer requests.
#[wasm_bindgen]
pub struct Recommender(engine::Recommender);

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

/// Reads filters (camelCase or snake_case keys) from a JS object; every key was checked.
fn filters_from_js(v: &JsValue) -> Result<Filters, JsError> {
    check_keys(v, FILTER_KEYS, "filter")?;
    let mut f = Filters::default();
    for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
        let k = key.as_string().unwrap_or_default();
        let x = Reflect::get(v, &key).unwrap_or(JsValue::UNDEFINED);
        let name = format!("filters.{k}");
        let list = |x: &JsValue| -> Result<Option<Vec<String>>, JsError> {
            if x.is_undefined() || x.is_null() {
                Ok(None)
            } else {
                ids_of(&name, x).map(Some)
            }
        };
        match k.as_str() {
            "brands" => f.brands = list(&x)?,
            "excludeBrands" | "exclude_brands" => f.exclude_brands = list(&x)?,
            "products" => f.products = list(&x)?,
            "excludeProducts" | "exclude_products" => f.exclude_products = list(&x)?,
            "categories" => f.categories = list(&x)?,
            "excludeCategories" | "exclude_categories" => f.exclude_categories = list(&x)?,
            "tags" => f.tags = list(&x)?,
            "excludeTags" | "exclude_tags" => f.exclude_tags = list(&x)?,
            "priceMin" | "price_min" => f.price_min = number_of(&name, &x)?,
            "priceMax" | "price_max" => f.price_max = number_of(&name, &x)?,
            "stockMin" | "stock_min" => f.stock_min = integer_of(&name, &x)?,
            "stockMax" | "stock_max" => f.stock_max = integer_of(&name, &x)?,
            "discountMin" | "discount_min" => f.discount_min = number_of(&name, &x)?,
            "discountMax" | "discount_max" => f.discount_max = number_of(&name, &x)?,
            "addedWithinDays" | "added_within_days" => f.added_within_days = whole_of(&name, &x)?,
            "showOutOfStock" | "show_out_of_stock" => f.show_out_of_stock = bool_of(&name, &x)?,
            _ => f.added = date_ranges(&name, &x)?,
        }
    }
    Ok(f)
}

/// `added`: an array of `{ from?, to? }` (YYYY-MM-DD strings).
fn date_ranges(name: &str, v: &JsValue) -> Result<Option<Vec<crate::config::DateRange>>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let bad = || {
        js_err(format!(
            "invalid option `{name}`: expected an array of {{ from?: \"YYYY-MM-DD\", to?: \"YYYY-MM-DD\" }}"
        ))
    };
    let arr = v.dyn_ref::<Array>().ok_or_else(bad)?;
    let mut out = Vec::new();
    for r in arr.iter() {
        if !r.is_object() {
            return Err(bad());
        }
        check_keys(&r, &["from", "to"], "date range key")?;
        let get = |k: &str| Reflect::get(&r, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
        out.push(crate::config::DateRange { from: string_of(name, &get("from"))?, to: string_of(name, &get("to"))? });
    }
    Ok(Some(out))
}

fn integer_of(key: &str, v: &JsValue) -> Result<Option<i64>, JsError> {
    match number_of(key, v)? {
        Some(x) if x.fract() == 0.0 && x.abs() < 9e15 => Ok(Some(x as i64)),
        Some(_) => Err(js_err(format!("invalid option `{key}`: expected a whole number"))),
        None => Ok(None),
    }
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
        let what = if key.starts_with("filters.") { "strings" } else { "product ids" };
        return Err(js_err(format!("invalid option `{key}`: expected an array of {what}")));
    };
    let mut out = Vec::with_capacity(arr.length() as usize);
    for x in arr.iter() {
        out.push(x.as_string().ok_or_else(|| js_err(format!("invalid option `{key}`: expected an array of strings")))?);
    }
    Ok(out)
}

/// A fallback chain: an array of source names.
fn sources_of(v: &JsValue) -> Result<Vec<Source>, JsError> {
    let allowed = || Source::ALL[1..].iter().map(|s| s.name()).collect::<Vec<_>>().join(", ");
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(js_err(format!("invalid option `fallback`: expected an array of source names ({})", allowed())));
    };
    let mut out = Vec::new();
    for x in arr.iter() {
        let name = x.as_string().unwrap_or_else(|| format!("a {}", type_name(&x)));
        match Source::ALL[1..].iter().find(|s| s.name() == name) {
            Some(&s) => out.push(s),
            None => {
                return Err(js_err(format!(
                    "invalid option `fallback`: \"{name}\" is not a source; allowed: {}",
                    allowed()
                )))
            }
        }
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
                "fallback" if !v.is_undefined() && !v.is_null() => over.fallback = Some(sources_of(&v)?),
                "filters" if v.is_object() && !v.is_array() => over.filters = Some(filters_from_js(&v)?),
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
    if !v.is_object() || v.is_array() {
        return Err(JsError::new("invalid option `session`: expected a Session or { views, cart, purchased }"));
    }
    match Reflect::get(v, &JsValue::from_str("__edgerecSession")) {
        Ok(x) if x.as_f64().is_some() => {
            let id = x.as_f64().unwrap_or(-1.0);
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
        // The getter of a freed Session throws.
        Err(_) => return Err(JsError::new("invalid option `session`: this Session was freed")),
        Ok(_) => {}
    }
    check_keys(v, &["views", "cart", "purchased", "product", "now"], "session field")?;
    let get = |k: &str| Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let views = get("views");
    if !views.is_undefined() && !views.is_null() {
        let Some(arr) = views.dyn_ref::<Array>() else {
            return Err(JsError::new("invalid session field `views`: expected an array of { id }"));
        };
        ctx.views = arr
            .iter()
            .map(|x| {
                let id = if x.is_string() {
                    x
                } else {
                    Reflect::get(&x, &JsValue::from_str("id")).unwrap_or(JsValue::UNDEFINED)
                };
                id.as_string()
                    .map(|id| View { id, at: None })
                    .ok_or_else(|| JsError::new("invalid session field `views`: expected an array of { id }"))
            })
            .collect::<Result<_, _>>()?;
    }
    ctx.cart = ids_of("session.cart", &get("cart"))?;
    ctx.purchased = ids_of("session.purchased", &get("purchased"))?;
    Ok(())
}

/// Items as a JSON array.
fn items_json(rec: &engine::Recommender, items: &[engine::Recommendation]) -> String {
    let mut out = String::with_capacity(64 + items.len() * 400);
    out.push('[');
    for (i, r) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        rec.write_item_json(r, &mut out);
    }
    out.push(']');
    out
}

/// Items as JS objects: one JSON string crosses the boundary, parsed by the engine's JSON.parse
/// (far cheaper than setting each property from Rust).
fn items_to_js(rec: &engine::Recommender, items: &[engine::Recommendation]) -> Result<JsValue, JsError> {
    parse_json(&items_json(rec, items))
}

const WIDGET_KEYS: &[&str] = &[
    "name",
    "algorithm",
    "title",
    "limit",
    "threshold",
    "fallback",
    "filters",
    "exclude_purchased",
    "force_include",
    "force_include_out_of_stock",
    "for_you",
];

const FOR_YOU_KEYS: &[&str] = &[
    "recency_decay",
    "next_weight",
    "together_weight",
    "bought_weight",
    "repeat_weight",
    "cart_boost",
    "purchase_weight",
    "purchase_decay",
    "rebuy_weight",
    "hop_weight",
    "popular_weight",
];

/// A widget configuration from JS (snake_case keys as in edgerec.toml): the keys given, on top
/// of the defaults of its algorithm.
fn widget_config(v: &JsValue) -> Result<WidgetConfig, JsError> {
    if !v.is_object() || v.is_array() {
        return Err(JsError::new(
            "recommendWith: expected a widget configuration object like { algorithm: \"upsell\" }",
        ));
    }
    check_keys(v, WIDGET_KEYS, "widget key")?;
    let get = |k: &str| Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let algorithm =
        get("algorithm").as_string().and_then(|a| crate::config::Algorithm::from_name(&a)).ok_or_else(|| {
            let names: Vec<&str> = crate::config::Algorithm::ALL.iter().map(|a| a.name()).collect();
            js_err(format!("invalid widget key `algorithm`: expected one of {}", names.join(", ")))
        })?;
    let mut w = WidgetConfig::for_algorithm(algorithm);
    let filters = get("filters");
    let for_you = get("for_you");
    if !for_you.is_undefined() && !for_you.is_null() {
        if !for_you.is_object() || for_you.is_array() {
            return Err(JsError::new("invalid option `for_you`: expected an object of weights"));
        }
        if algorithm != crate::config::Algorithm::ForYou {
            return Err(JsError::new("invalid option `for_you`: only a widget of the for_you algorithm has weights"));
        }
        check_keys(&for_you, FOR_YOU_KEYS, "for_you key")?;
    }
    if let Some(x) = string_of("title", &get("title"))? {
        w.title = x;
    }
    if let Some(x) = whole_of("limit", &get("limit"))? {
        w.limit = x;
    }
    if let Some(x) = number_of("threshold", &get("threshold"))? {
        w.threshold = x as f32;
    }
    let fallback = get("fallback");
    if !fallback.is_undefined() && !fallback.is_null() {
        w.fallback = sources_of(&fallback)?;
    }
    if filters.is_object() && !filters.is_array() {
        w.filters = filters_from_js(&filters)?;
    } else if !filters.is_undefined() && !filters.is_null() {
        return Err(JsError::new("invalid widget key `filters`: expected an object"));
    }
    if let Some(x) = bool_of("exclude_purchased", &get("exclude_purchased"))? {
        w.exclude_purchased = x;
    }
    let force = get("force_include");
    if !force.is_undefined() {
        w.force_include = ids_of("force_include", &force)?;
    }
    if let Some(x) = bool_of("force_include_out_of_stock", &get("force_include_out_of_stock"))? {
        w.force_include_out_of_stock = x;
    }
    if for_you.is_object() {
        let mut p = crate::config::ForYouParams::default();
        for k in FOR_YOU_KEYS {
            if let Some(x) = number_of(
                &format!("for_you.{k}"),
                &Reflect::get(&for_you, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED),
            )? {
                *for_you_slot(&mut p, k) = x as f32;
            }
        }
        w.for_you = Some(p);
    }
    Ok(w)
}

/// The field of a `for_you` weight by its config name (one of `FOR_YOU_KEYS`).
fn for_you_slot<'a>(p: &'a mut crate::config::ForYouParams, k: &str) -> &'a mut f32 {
    match k {
        "recency_decay" => &mut p.recency_decay,
        "next_weight" => &mut p.next_weight,
        "together_weight" => &mut p.together_weight,
        "bought_weight" => &mut p.bought_weight,
        "repeat_weight" => &mut p.repeat_weight,
        "cart_boost" => &mut p.cart_boost,
        "purchase_weight" => &mut p.purchase_weight,
        "purchase_decay" => &mut p.purchase_decay,
        "rebuy_weight" => &mut p.rebuy_weight,
        "hop_weight" => &mut p.hop_weight,
        _ => &mut p.popular_weight,
    }
}

#[derive(Default)]
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
        #[wasm_bindgen(unchecked_param_type = "string")] widget: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let Some(widget) = widget.as_string() else {
            return Err(js_err(format!("recommend: the widget name must be a string, got {}", type_name(&widget))));
        };
        let (ctx, over) = parse_options(&options.unwrap_or(JsValue::UNDEFINED))?;
        let r = self.0.recommend(&widget, &ctx, &over).map_err(js_err)?;
        items_to_js(&self.0, &r.items)
    }

    /// The same list as `recommend`, as a JSON array string: for servers and workers that send
    /// it on, which saves building JS objects only to serialise them again.
    #[wasm_bindgen(js_name = recommendJson)]
    pub fn recommend_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] widget: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: Option<JsValue>,
    ) -> Result<String, JsError> {
        let Some(widget) = widget.as_string() else {
            return Err(js_err(format!("recommendJson: the widget name must be a string, got {}", type_name(&widget))));
        };
        let (ctx, over) = parse_options(&options.unwrap_or(JsValue::UNDEFINED))?;
        let r = self.0.recommend(&widget, &ctx, &over).map_err(js_err)?;
        Ok(items_json(&self.0, &r.items))
    }

    /// The list of an ad-hoc widget configuration (for previews): same options as `recommend`.
    #[wasm_bindgen(js_name = recommendWith, unchecked_return_type = "RecommendedItem[]")]
    pub fn recommend_with(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "Partial<Omit<WidgetInfo, \"for_you\">> & { algorithm: AlgorithmName; for_you?: Partial<ForYouWeights> | null }"
        )]
        widget: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let config = widget_config(&widget)?;
        let (ctx, over) = parse_options(&options.unwrap_or(JsValue::UNDEFINED))?;
        let r = self.0.recommend_with(&over.apply(&config), &ctx).map_err(js_err)?;
        items_to_js(&self.0, &r.items)
    }

    /// The widgets of the snapshot with their configuration.
    #[wasm_bindgen(unchecked_return_type = "WidgetInfo[]")]
    pub fn widgets(&self) -> Result<JsValue, JsError> {
        to_js(|out| {
            crate::json::array(out, self.0.widget_names(), |out, n| {
                self.0.widget(n).expect("listed").write_json(Some(n), out)
            })
        })
    }

    /// Snapshot metadata.
    #[wasm_bindgen(unchecked_return_type = "SnapshotInfo")]
    pub fn info(&self) -> Result<JsValue, JsError> {
        let s = self.0.snapshot();
        let c = &s.meta.counts;
        to_js(|out| {
            let mut o = crate::json::Object::new(out);
            o.int("formatVersion", i64::from(FORMAT_VERSION))
                .str("edgerecVersion", &s.meta.edgerec_version)
                .str("builtAt", &format_timestamp(s.meta.built_at))
                .str("asOf", &format_timestamp(s.meta.as_of))
                .int("products", s.catalog.len() as i64)
                .int("categories", s.catalog.category_names().len() as i64)
                .strs("widgets", &self.0.widget_names().collect::<Vec<_>>());
            let mut counts = crate::json::Object::new(o.key("counts"));
            for (k, v) in [
                ("catalogRows", c.catalog_rows),
                ("eventRows", c.event_rows),
                ("rejectedRows", c.rejected_rows),
                ("unknownProducts", c.unknown_products),
                ("outsidePeriod", c.outside_period),
                ("eventsUsed", c.events_used),
                ("views", c.views),
                ("carts", c.carts),
                ("purchases", c.purchases),
                ("custom", c.custom),
                ("sessions", c.sessions),
                ("orders", c.orders),
                ("shoppers", c.shoppers),
            ] {
                counts.int(k, v as i64);
            }
            counts.end();
            match &s.meta.holdout {
                Some(h) => {
                    let mut ho = crate::json::Object::new(o.key("holdout"));
                    ho.int("days", i64::from(h.days)).int("cases", h.cases as i64);
                    let mut m = crate::json::Object::new(ho.key("metrics"));
                    for (k, v) in &h.metrics {
                        m.num(k, *v, 6);
                    }
                    m.end();
                    ho.end();
                }
                None => o.key("holdout").push_str("null"),
            }
            o.end();
        })
    }

    /// One product, or `undefined` when it is not in the catalog.
    #[wasm_bindgen(unchecked_return_type = "Product | undefined")]
    pub fn product(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Result<JsValue, JsError> {
        let Some(id) = id.as_string() else {
            return Err(js_err(format!("product: expected a product id string, got {}", type_name(&id))));
        };
        match self.0.catalog().index_of(&id) {
            Some(p) => {
                let mut out = String::with_capacity(512);
                self.0.product_info(p).write_json(&mut out);
                parse_json(&out)
            }
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// A page of products, best sellers first; `category` includes its subcategories.
    #[wasm_bindgen(unchecked_return_type = "ProductPage")]
    pub fn products(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ category?: string; offset?: number; limit?: number }")]
        options: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let o: ListOptions = if options.is_undefined() || options.is_null() {
            ListOptions::default()
        } else if !options.is_object() || options.is_array() {
            return Err(JsError::new("products: options must be an object like { category: \"Kitchen\", limit: 24 }"));
        } else {
            check_keys(&options, &["category", "offset", "limit"], "option")?;
            let get = |k: &str| Reflect::get(&options, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
            ListOptions {
                category: string_of("category", &get("category"))?,
                offset: whole_of("offset", &get("offset"))?.map(|x| x as usize),
                limit: whole_of("limit", &get("limit"))?.map(|x| x as usize),
            }
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
        parse_json(&out)
    }

    /// Every category, sorted by path.
    #[wasm_bindgen(unchecked_return_type = "CategoryInfo[]")]
    pub fn categories(&self) -> Result<JsValue, JsError> {
        let c = self.0.catalog();
        to_js(|out| {
            crate::json::array(out, 0..c.category_names().len() as u32, |out, i| {
                crate::json::Object::new(out)
                    .str("name", c.category_name(i))
                    .opt_str("parent", c.category_parent(i).map(|p| c.category_name(p)))
                    .int("depth", c.category_name(i).matches(crate::catalog::LEVEL_SEPARATOR).count() as i64)
                    .end()
            })
        })
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
        .map_err(|e| js_err(format!("fetching {url} failed: {}", thrown(&e))))?
        .dyn_into()
        .map_err(|_| JsError::new("fetch did not return a promise"))?;
    let response = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| js_err(format!("fetching {url} failed: {}", thrown(&e))))?;
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
        let mut text = String::with_capacity(1024);
        self.state.write_json(&mut text);
        if storage.set_item(&self.key, &text).is_err() {
            warn("edgerec: localStorage is full or unavailable; the session is kept in memory from now on");
            self.storage = None;
        }
    }
}

/// Reads a stored session (the shape `SessionState::write_json` writes); `None` when any field
/// is missing or of the wrong type.
fn state_from_js(v: &JsValue) -> Option<SessionState> {
    use crate::session::{Bought, CartLine, PastSession, Seen};
    fn get(v: &JsValue, k: &str) -> JsValue {
        Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    }
    fn int(v: &JsValue, k: &str) -> Option<i64> {
        get(v, k).as_f64().filter(|x| x.fract() == 0.0 && x.abs() < 9e15).map(|x| x as i64)
    }
    fn text(v: &JsValue, k: &str) -> Option<String> {
        get(v, k).as_string()
    }
    fn list<T>(v: &JsValue, k: &str, max: usize, f: impl Fn(&JsValue) -> Option<T>) -> Option<Vec<T>> {
        let a = get(v, k).dyn_into::<Array>().ok()?;
        if a.length() as usize > max {
            return None;
        }
        a.iter().map(|x| f(&x)).collect()
    }
    if !v.is_object() || v.is_array() {
        return None;
    }
    let qty = |x: &JsValue| int(x, "quantity").filter(|q| (1..=i64::from(u32::MAX)).contains(q)).map(|q| q as u32);
    Some(SessionState {
        version: int(v, "version").and_then(|x| u32::try_from(x).ok())?,
        started: int(v, "started")?,
        last_active: int(v, "last_active")?,
        views: list(v, "views", crate::session::MAX_VIEWS, |x| Some(Seen { id: text(x, "id")?, at: int(x, "at")? }))?,
        cart: list(v, "cart", crate::session::MAX_CART, |x| {
            Some(CartLine { id: text(x, "id")?, quantity: qty(x)?, at: int(x, "at")? })
        })?,
        purchases: list(v, "purchases", crate::session::MAX_PURCHASES, |x| {
            Some(Bought { id: text(x, "id")?, quantity: qty(x)?, at: int(x, "at")? })
        })?,
        past: list(v, "past", crate::session::MAX_PAST_SESSIONS, |x| {
            Some(PastSession {
                started: int(x, "started")?,
                ended: int(x, "ended")?,
                views: list(x, "views", crate::session::MAX_PAST_VIEWS, |s| s.as_string())?,
            })
        })?,
    })
}

/// Calls the change listeners; one's error must not break the session or the others.
fn notify(listeners: &[Function]) {
    for f in listeners {
        if let Err(e) = f.call0(&JsValue::NULL) {
            warn(&format!("edgerec: a Session.onChange listener threw: {}", thrown(&e)));
        }
    }
}

/// Parses a stored session; `Err` says why it was not usable.
fn parse_state(text: &str) -> Result<SessionState, String> {
    let v = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_string())?;
    let state = state_from_js(&v).ok_or_else(|| "not an edgerec session".to_string())?;
    if !state.is_valid() {
        return Err(format!(
            "version {} or bounds not supported (this edgerec writes version {})",
            state.version,
            crate::session::SESSION_VERSION
        ));
    }
    Ok(state)
}

impl Drop for Session {
    fn drop(&mut self) {
        // A freed Session stops following other tabs.
        if let (Some(cb), Some(w)) = (&self._on_storage, web_sys::window()) {
            let _ = w.remove_event_listener_with_callback("storage", cb.as_ref().unchecked_ref());
        }
    }
}

/// The shopper's session, kept on the device (localStorage when available, memory otherwise).
/// It never throws into the page: corrupt or foreign stored data is reset with a console warning.
#[wasm_bindgen]
pub struct Session {
    id: u32,
    inner: Rc<RefCell<Inner>>,
    _on_storage: Option<Closure<dyn FnMut(web_sys::StorageEvent)>>,
}

#[derive(Default)]
struct SessionOptions {
    key: Option<String>,
    storage: Option<String>,
}

#[wasm_bindgen]
impl Session {
    /// Loads the session from localStorage (or starts one in memory) and follows changes made
    /// by other tabs of the same store.
    pub fn load(#[wasm_bindgen(unchecked_optional_param_type = "SessionOptions")] options: Option<JsValue>) -> Session {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let o: SessionOptions = if options.is_object() {
            check_keys(&options, &["key", "storage"], "session option")
                .and_then(|_| {
                    let get = |k: &str| Reflect::get(&options, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
                    Ok(SessionOptions {
                        key: string_of("key", &get("key"))?,
                        storage: string_of("storage", &get("storage"))?,
                    })
                })
                .unwrap_or_else(|e| {
                    let e: JsValue = e.into();
                    warn(&format!("edgerec: {}; using the default session options", thrown(&e)));
                    SessionOptions::default()
                })
        } else {
            SessionOptions::default()
        };
        if let Some(s) = o.storage.as_deref().filter(|s| !matches!(*s, "local" | "memory")) {
            warn(&format!("edgerec: session storage \"{s}\" is not \"local\" or \"memory\"; using \"local\""));
        }
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
                    notify(&listeners);
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
        notify(&listeners);
    }

    /// Records a product view. Throws when `id` is not a product id string.
    pub fn view(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Result<(), JsError> {
        let id = id_arg("view", &id)?;
        self.update(|s, now| s.view(&id, now));
        Ok(())
    }

    /// Adds units of a product to the cart (default 1; a whole number from 1 to 1,000,000).
    #[wasm_bindgen(js_name = addToCart)]
    pub fn add_to_cart(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] quantity: Option<JsValue>,
    ) -> Result<(), JsError> {
        let id = id_arg("addToCart", &id)?;
        let q = match quantity.filter(|q| !q.is_undefined() && !q.is_null()) {
            None => 1,
            Some(q) => quantity_arg("addToCart", &q, 1.0)?,
        };
        self.update(|s, now| s.add_to_cart(&id, q, now));
        Ok(())
    }

    /// Sets the quantity of a cart line in place (0 removes it).
    #[wasm_bindgen(js_name = setQuantity)]
    pub fn set_quantity(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] quantity: JsValue,
    ) -> Result<(), JsError> {
        let id = id_arg("setQuantity", &id)?;
        let q = quantity_arg("setQuantity", &quantity, 0.0)?;
        self.update(|s, now| s.set_quantity(&id, q, now));
        Ok(())
    }

    /// Removes a product from the cart.
    #[wasm_bindgen(js_name = removeFromCart)]
    pub fn remove_from_cart(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<(), JsError> {
        let id = id_arg("removeFromCart", &id)?;
        self.update(|s, now| s.remove_from_cart(&id, now));
        Ok(())
    }

    /// Records an order of these products (they leave the cart, with their cart quantities).
    pub fn purchase(&self, #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue) -> Result<(), JsError> {
        let Some(arr) = ids.dyn_ref::<Array>() else {
            return Err(js_err(format!("purchase: expected an array of product ids, got {}", type_name(&ids))));
        };
        let ids: Vec<String> = arr.iter().map(|v| id_arg("purchase", &v)).collect::<Result<_, _>>()?;
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        self.update(|s, now| s.purchase(&refs, now));
        Ok(())
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
        to_js(|out| {
            crate::json::array(out, &i.state.cart, |out, c| {
                crate::json::Object::new(out).str("id", &c.id).int("quantity", i64::from(c.quantity)).end()
            })
        })
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
        to_js(|out| crate::session::write_context_json(&i.state.context(None, now_secs()), out))
    }

    /// Where the session is kept: "local" or "memory".
    #[wasm_bindgen(getter, js_name = storageMode, unchecked_return_type = "\"local\" | \"memory\"")]
    pub fn storage_mode(&self) -> String {
        if self.inner.borrow().storage.is_some() { "local" } else { "memory" }.into()
    }

    /// Calls `callback` after every change, including changes made in other tabs.
    #[wasm_bindgen(js_name = onChange)]
    pub fn on_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "() => void")] callback: JsValue,
    ) -> Result<(), JsError> {
        let Ok(f) = callback.dyn_into::<Function>() else {
            return Err(JsError::new("onChange: expected a function"));
        };
        self.inner.borrow_mut().listeners.push(f);
        Ok(())
    }

    /// Stops calling `callback`.
    #[wasm_bindgen(js_name = offChange)]
    pub fn off_change(&self, callback: &Function) {
        self.inner.borrow_mut().listeners.retain(|f| !Object::is(f, callback));
    }

    /// The stored form (versioned), for debugging.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsError> {
        to_js(|out| self.inner.borrow().state.write_json(out))
    }
}
