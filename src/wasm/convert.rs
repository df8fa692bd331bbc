//! Reading JavaScript arguments and options into engine types: the request options into a
//! [`Context`] and a [`WidgetPatch`], `recommendWith`'s widget into a [`WidgetPatch`]. A key set to
//! `undefined` or `null` is not given; an unknown key is an error naming it. Every error is an
//! `invalid_option` naming the key at fault (`filters.priceMax`), or an `invalid_argument`.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use std::cell::RefCell;
use std::rc::Rc;

use super::session::{Inner, SESSIONS};
use super::{now_secs, type_name, ErrorCode, Thrown};
use crate::config::{DateRange, Filters, ForYouParams, ForYouPatch, Rotation, Source, Step, WidgetPatch};
use crate::engine::{Context, Search, Timed};

/// A positional argument of the wrong type: `invalid_argument`.
pub(super) fn arg_error(msg: impl std::fmt::Display) -> Thrown {
    Thrown::new(ErrorCode::InvalidArgument, msg)
}

/// ``invalid option `key`: msg``, naming the key.
pub(super) fn bad_option(key: &str, msg: &str) -> Thrown {
    Thrown::new(ErrorCode::InvalidOption, format!("invalid option `{key}`: {msg}")).key(key)
}

/// A quantity argument: a whole number from `min` to 1,000,000.
pub(super) fn quantity_arg(what: &str, q: &JsValue, min: f64) -> Result<u32, Thrown> {
    match q.as_f64() {
        Some(x) if x.fract() == 0.0 && (min..=1_000_000.0).contains(&x) => Ok(x as u32),
        Some(x) => Err(arg_error(format!(
            "{what}: the quantity must be a whole number from {min} to 1000000, not {}",
            crate::config::show_number(x)
        ))),
        None => Err(arg_error(format!("{what}: the quantity must be a number, got {}", type_name(q)))),
    }
}

/// A product id argument: a non-empty string of at most 256 characters.
pub(super) fn id_arg(what: &str, v: &JsValue) -> Result<String, Thrown> {
    match v.as_string() {
        Some(s) if !s.is_empty() && s.len() <= crate::session::MAX_ID_LEN => Ok(s),
        Some(_) => Err(arg_error(format!("{what}: a product id is 1 to {} characters", crate::session::MAX_ID_LEN))),
        None => Err(arg_error(format!("{what}: expected a product id string, got {}", type_name(v)))),
    }
}

pub(super) fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && !v.is_array()
}

pub(super) fn is_nothing(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

const OPTION_KEYS: &[&str] = &[
    "product",
    "session",
    "viewed",
    "cart",
    "purchased",
    "segment",
    "now",
    "exclude",
    "seed",
    "limit",
    "threshold",
    "fallback",
    "filters",
    "excludePurchased",
    "forceInclude",
    "forceIncludeOutOfStock",
    "hideWhenFallback",
    "minOwnItems",
    "personalize",
    "maxPerBrand",
    "maxPerCategory",
    "rotation",
    "list",
    "submodels",
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

/// Every own key of the object `value`, with its value.
fn entries(value: &JsValue) -> Vec<(String, JsValue)> {
    let keys = Object::keys(value.unchecked_ref::<Object>());
    keys.iter()
        .map(|key| {
            let v = Reflect::get(value, &key).unwrap_or(JsValue::UNDEFINED);
            (key.as_string().unwrap_or_default(), v)
        })
        .collect()
}

/// The keys of `value` given a value (not `undefined` or `null`), with their values; an unknown
/// one is `unknown {what} "k"; allowed: ...`, its `key` the path `prefix` + `k`.
pub(super) fn given_keys(
    value: &JsValue,
    allowed: &[&str],
    what: &str,
    prefix: &str,
) -> Result<Vec<(String, JsValue)>, Thrown> {
    let mut out = Vec::new();
    for (k, v) in entries(value) {
        if !allowed.contains(&k.as_str()) {
            let msg = format!("unknown {what} \"{k}\"; allowed: {}", allowed.join(", "));
            return Err(Thrown::new(ErrorCode::InvalidOption, msg).key(&format!("{prefix}{k}")));
        }
        if !is_nothing(&v) {
            out.push((k, v));
        }
    }
    Ok(out)
}

/// Reads filters (camelCase or snake_case keys) from a JS object; every key was checked.
fn filters_from_js(v: &JsValue, path: &str) -> Result<Filters, Thrown> {
    if !is_plain_object(v) {
        return Err(bad_option(path, "expected an object"));
    }
    let mut f = Filters::default();
    for (k, x) in given_keys(v, FILTER_KEYS, "filter", &format!("{path}."))? {
        let name = format!("{path}.{k}");
        let list = |x: &JsValue| strings_of(&name, x, "strings").map(Some);
        match k.as_str() {
            "brands" => f.brands = list(&x)?,
            "excludeBrands" | "exclude_brands" => f.exclude_brands = list(&x)?,
            "products" => f.products = list(&x)?,
            "excludeProducts" | "exclude_products" => f.exclude_products = list(&x)?,
            "categories" => f.categories = list(&x)?,
            "excludeCategories" | "exclude_categories" => f.exclude_categories = list(&x)?,
            "tags" => f.tags = list(&x)?,
            "excludeTags" | "exclude_tags" => f.exclude_tags = list(&x)?,
            "priceMin" | "price_min" => f.price_min = Some(number_of(&name, &x)?),
            "priceMax" | "price_max" => f.price_max = Some(number_of(&name, &x)?),
            "stockMin" | "stock_min" => f.stock_min = Some(integer_of(&name, &x)?),
            "stockMax" | "stock_max" => f.stock_max = Some(integer_of(&name, &x)?),
            "discountMin" | "discount_min" => f.discount_min = Some(number_of(&name, &x)?),
            "discountMax" | "discount_max" => f.discount_max = Some(number_of(&name, &x)?),
            "addedWithinDays" | "added_within_days" => f.added_within_days = Some(whole_of(&name, &x)?),
            "showOutOfStock" | "show_out_of_stock" => f.show_out_of_stock = Some(bool_of(&name, &x)?),
            _ => f.added = Some(date_ranges(&name, &x)?),
        }
    }
    Ok(f)
}

/// `added`: an array of `{ from?, to? }` (YYYY-MM-DD strings).
fn date_ranges(name: &str, v: &JsValue) -> Result<Vec<DateRange>, Thrown> {
    let bad = || bad_option(name, "expected an array of { from?: \"YYYY-MM-DD\", to?: \"YYYY-MM-DD\" }");
    let arr = v.dyn_ref::<Array>().ok_or_else(bad)?;
    let mut out = Vec::new();
    for (i, r) in arr.iter().enumerate() {
        if !is_plain_object(&r) {
            return Err(bad());
        }
        let mut range = DateRange::default();
        let path = format!("{name}[{i}]");
        for (k, x) in given_keys(&r, &["from", "to"], "date range key", &format!("{path}."))? {
            let s = string_of(&format!("{path}.{k}"), &x)?;
            if k == "from" {
                range.from = Some(s);
            } else {
                range.to = Some(s);
            }
        }
        out.push(range);
    }
    Ok(out)
}

fn number_of(key: &str, v: &JsValue) -> Result<f64, Thrown> {
    v.as_f64().filter(|x| x.is_finite()).ok_or_else(|| bad_option(key, "expected a number"))
}

fn integer_of(key: &str, v: &JsValue) -> Result<i64, Thrown> {
    let x = number_of(key, v)?;
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Ok(x as i64)
    } else {
        Err(bad_option(key, "expected a whole number"))
    }
}

pub(super) fn whole_of(key: &str, v: &JsValue) -> Result<u32, Thrown> {
    let x = number_of(key, v)?;
    if x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&x) {
        Ok(x as u32)
    } else {
        Err(bad_option(key, "expected a whole number"))
    }
}

fn rotation_of(key: &str, v: &JsValue) -> Result<Rotation, Thrown> {
    v.as_string().and_then(|r| Rotation::from_name(&r)).ok_or_else(|| {
        let names: Vec<&str> = Rotation::ALL.iter().map(|r| r.name()).collect();
        bad_option(key, &format!("expected one of {}", names.join(", ")))
    })
}

pub(super) fn string_of(key: &str, v: &JsValue) -> Result<String, Thrown> {
    v.as_string().ok_or_else(|| bad_option(key, "expected a string"))
}

fn bool_of(key: &str, v: &JsValue) -> Result<bool, Thrown> {
    v.as_bool().ok_or_else(|| bad_option(key, "expected true or false"))
}

/// An array of strings (`what`: "strings", "product ids").
fn strings_of(key: &str, v: &JsValue, what: &str) -> Result<Vec<String>, Thrown> {
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(bad_option(key, &format!("expected an array of {what}")));
    };
    let mut out = Vec::with_capacity(arr.length() as usize);
    for (i, x) in arr.iter().enumerate() {
        out.push(x.as_string().ok_or_else(|| bad_option(&format!("{key}[{i}]"), "expected a string"))?);
    }
    Ok(out)
}

fn ids_of(key: &str, v: &JsValue) -> Result<Vec<String>, Thrown> {
    strings_of(key, v, "product ids")
}

/// An array of product ids or `{ id, at }` objects (`at` in Unix seconds, optional), in the
/// order given.
fn timed_of(key: &str, v: &JsValue) -> Result<Vec<Timed>, Thrown> {
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(bad_option(key, "expected an array of product ids or { id, at }"));
    };
    let mut out = Vec::with_capacity(arr.length() as usize);
    for (i, x) in arr.iter().enumerate() {
        if let Some(id) = x.as_string() {
            out.push(Timed::untimed(id));
            continue;
        }
        let at_key = format!("{key}[{i}]");
        if !is_plain_object(&x) {
            return Err(bad_option(&at_key, "expected a product id or { id, at }"));
        }
        let field = |name: &str| Reflect::get(&x, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        let id = string_of(&format!("{at_key}.id"), &field("id"))?;
        let at = field("at");
        let at = if is_nothing(&at) { None } else { Some(integer_of(&format!("{at_key}.at"), &at)?) };
        out.push(Timed { id, at });
    }
    Ok(out)
}

/// Searches: an array of query strings or `{ query, at }`, most recent first; at most
/// `MAX_SEARCHES` are read, each cut to `MAX_QUERY_LEN` bytes (as the Session keeps them).
fn searches_of(key: &str, v: &JsValue) -> Result<Vec<Search>, Thrown> {
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(bad_option(key, "expected an array of search strings or { query, at }"));
    };
    let mut out = Vec::new();
    for (i, x) in arr.iter().take(crate::session::MAX_SEARCHES).enumerate() {
        let at_key = format!("{key}[{i}]");
        let (query, at) = match x.as_string() {
            Some(q) => (q, None),
            None if is_plain_object(&x) => {
                let field = |name: &str| Reflect::get(&x, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
                let at = field("at");
                let at = if is_nothing(&at) { None } else { Some(integer_of(&format!("{at_key}.at"), &at)?) };
                (string_of(&format!("{at_key}.query"), &field("query"))?, at)
            }
            None => return Err(bad_option(&at_key, "expected a search string or { query, at }")),
        };
        let mut end = query.len().min(crate::session::MAX_QUERY_LEN);
        while !query.is_char_boundary(end) {
            end -= 1;
        }
        out.push(Search { query: query[..end].to_string(), at });
    }
    Ok(out)
}

/// A fallback chain: an array of source names and `list:NAME` steps.
fn steps_of(v: &JsValue) -> Result<Vec<Step>, Thrown> {
    let allowed = || Source::ALL[1..].iter().map(|s| s.name()).collect::<Vec<_>>().join(", ");
    let Some(arr) = v.dyn_ref::<Array>() else {
        return Err(bad_option("fallback", &format!("expected an array of source names ({})", allowed())));
    };
    let mut out = Vec::new();
    for x in arr.iter() {
        let name = x.as_string().unwrap_or_else(|| format!("a {}", type_name(&x)));
        if let Some(list) = name.strip_prefix("list:") {
            out.push(Step::List(list.to_string()));
            continue;
        }
        match Source::ALL[1..].iter().find(|s| s.name() == name) {
            Some(&s) => out.push(Step::Source(s)),
            None => {
                let msg = format!("\"{name}\" is not a source; allowed: {}, or list:NAME", allowed());
                return Err(bad_option("fallback", &msg));
            }
        }
    }
    Ok(out)
}

/// The context keys of an options object, read in any order and applied together: `viewed`,
/// `cart`, `purchased` and `segment`, when given, replace the session's.
#[derive(Default)]
struct ContextKeys {
    /// A live `Session`, read in `apply` at the request's time.
    live: Option<Rc<RefCell<Inner>>>,
    viewed: Option<Vec<Timed>>,
    cart: Option<Vec<String>>,
    purchased: Option<Vec<Timed>>,
    segment: Option<String>,
    now: Option<f64>,
    seed: Option<u64>,
    exclude: Option<Vec<String>>,
}

impl ContextKeys {
    /// Reads `k` when it is a context key; `Ok(false)` when it is not.
    fn read(&mut self, k: &str, v: &JsValue, ctx: &mut Context) -> Result<bool, Thrown> {
        match k {
            "product" => ctx.product = Some(string_of("product", v)?),
            "session" => self.live = session_into(v, ctx)?,
            "viewed" => self.viewed = Some(timed_of("viewed", v)?),
            "cart" => self.cart = Some(ids_of("cart", v)?),
            "purchased" => self.purchased = Some(timed_of("purchased", v)?),
            "segment" => self.segment = Some(string_of("segment", v)?),
            "now" => self.now = Some(number_of("now", v)?),
            "exclude" => self.exclude = Some(ids_of("exclude", v)?),
            "seed" => self.seed = Some(integer_of("seed", v)? as u64),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Applies the keys over the session's context; a live Session adopts `gap` (the snapshot's
    /// session gap, in seconds) first, so the device cuts sessions where the builder did.
    fn apply(self, ctx: &mut Context, gap: i64) {
        let now = self.now.map_or_else(now_secs, |n| n as i64);
        if let Some(inner) = self.live {
            let mut i = inner.borrow_mut();
            if i.state.set_gap(gap) {
                i.save();
            }
            let s = i.state.context(None, now);
            ctx.views = s.views;
            ctx.past_views = s.past_views;
            ctx.searches = s.searches;
            ctx.cart = s.cart;
            ctx.purchased = s.purchased;
            ctx.segment = s.segment;
            ctx.seed = s.seed;
        }
        if let Some(v) = self.viewed {
            ctx.views = v.into_iter().rev().collect();
        }
        if let Some(v) = self.cart {
            ctx.cart = v;
        }
        if let Some(v) = self.purchased {
            ctx.purchased = v.into_iter().rev().collect();
        }
        if self.segment.is_some() {
            ctx.segment = self.segment;
        }
        if self.seed.is_some() {
            ctx.seed = self.seed;
        }
        if let Some(v) = self.exclude {
            ctx.exclude = v;
        }
        ctx.now = Some(now);
    }
}

/// Reads `options` into an engine context and a patch of the widget, looking only at the keys
/// given a value (each read crosses the JS boundary). `session` may be a `Session` (its state is
/// read directly) or a plain `SessionContext`; `viewed`, `cart` and `purchased`, when given,
/// replace the session's.
/// Reads `recommend`'s options; `gap` is the snapshot's session gap in seconds.
pub(super) fn parse_options(options: &JsValue, gap: i64) -> Result<(Context, WidgetPatch), Thrown> {
    let mut ctx = Context::default();
    let mut over = WidgetPatch::default();
    let mut keys = ContextKeys::default();
    if !is_nothing(options) {
        if !is_plain_object(options) {
            return Err(arg_error("options must be an object like { product: \"SKU-1\", limit: 8 }"));
        }
        for (k, v) in given_keys(options, OPTION_KEYS, "option", "")? {
            if keys.read(&k, &v, &mut ctx)? {
                continue;
            }
            match k.as_str() {
                "limit" => over.limit = Some(whole_of("limit", &v)?),
                "threshold" => over.threshold = Some(number_of("threshold", &v)? as f32),
                "fallback" => over.fallback = Some(steps_of(&v)?),
                "list" => over.list = Some(string_of("list", &v)?),
                "filters" => over.filters = Some(filters_from_js(&v, "filters")?),
                "excludePurchased" => over.exclude_purchased = Some(bool_of("excludePurchased", &v)?),
                "forceInclude" => over.force_include = Some(ids_of("forceInclude", &v)?),
                "hideWhenFallback" => over.hide_when_fallback = Some(bool_of("hideWhenFallback", &v)?),
                "minOwnItems" => over.min_own_items = Some(whole_of("minOwnItems", &v)?),
                "personalize" => over.personalize = Some(bool_of("personalize", &v)?),
                "maxPerBrand" => over.max_per_brand = Some(whole_of("maxPerBrand", &v)?),
                "maxPerCategory" => over.max_per_category = Some(whole_of("maxPerCategory", &v)?),
                "rotation" => over.rotation = Some(rotation_of("rotation", &v)?),
                "submodels" => over.submodels = Some(submodels_of(&v)?),
                _ => over.force_include_out_of_stock = Some(bool_of("forceIncludeOutOfStock", &v)?),
            }
        }
    }
    keys.apply(&mut ctx, gap);
    Ok((ctx, over))
}

/// Reads the options of `personalize` and `profile`: the shopper's context (`session`, `viewed`,
/// `cart`, `purchased`, `segment`, `now`) and `model`, a personalisation model by name.
/// Reads `personalize`'s and `profile`'s options; `gap` as for [`parse_options`].
pub(super) fn parse_profile_options(
    what: &str,
    options: &JsValue,
    gap: i64,
) -> Result<(Context, Option<String>), Thrown> {
    const KEYS: &[&str] = &["session", "viewed", "cart", "purchased", "segment", "now", "model"];
    let mut ctx = Context::default();
    let mut keys = ContextKeys::default();
    let mut model = None;
    if !is_nothing(options) {
        if !is_plain_object(options) {
            return Err(arg_error(format!("{what}: options must be an object like {{ session }}")));
        }
        for (k, v) in given_keys(options, KEYS, "option", "")? {
            if !keys.read(&k, &v, &mut ctx)? {
                model = Some(string_of("model", &v)?);
            }
        }
    }
    keys.apply(&mut ctx, gap);
    Ok((ctx, model))
}

/// Finds a live `Session` (through the registry, without a JS round trip; `ContextKeys::apply`
/// reads it) or fills the context from a plain `SessionContext` object.
fn session_into(v: &JsValue, ctx: &mut Context) -> Result<Option<Rc<RefCell<Inner>>>, Thrown> {
    if !is_plain_object(v) {
        return Err(bad_option("session", "expected a Session or { views, cart, purchased }"));
    }
    match Reflect::get(v, &JsValue::from_str("__edgerecSession")) {
        Ok(x) if x.as_f64().is_some() => {
            let id = x.as_f64().unwrap_or(-1.0);
            let inner =
                SESSIONS.with(|r| r.borrow().iter().find(|(i, _)| f64::from(*i) == id).and_then(|(_, w)| w.upgrade()));
            return match inner {
                Some(inner) => Ok(Some(inner)),
                None => Err(bad_option("session", "this Session was freed")),
            };
        }
        // The getter of a freed Session throws.
        Err(_) => return Err(bad_option("session", "this Session was freed")),
        Ok(_) => {}
    }
    ctx.views.clear();
    ctx.past_views.clear();
    ctx.searches.clear();
    ctx.cart.clear();
    ctx.purchased.clear();
    let fields =
        ["views", "past_views", "searches", "cart", "purchased", "segment", "exclude", "seed", "product", "now"];
    for (k, x) in given_keys(v, &fields, "session field", "session.")? {
        match k.as_str() {
            "views" => ctx.views = timed_of("session.views", &x)?,
            "past_views" => ctx.past_views = timed_of("session.past_views", &x)?,
            "searches" => ctx.searches = searches_of("session.searches", &x)?,
            "cart" => ctx.cart = ids_of("session.cart", &x)?,
            "purchased" => ctx.purchased = timed_of("session.purchased", &x)?,
            "segment" if !is_nothing(&x) => ctx.segment = Some(string_of("session.segment", &x)?),
            "seed" => ctx.seed = Some(integer_of("session.seed", &x)? as u64),
            "exclude" => ctx.exclude = ids_of("session.exclude", &x)?,
            // Filled in by `Session.context()`; ignored here.
            _ => {}
        }
    }
    Ok(None)
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
    "hide_when_fallback",
    "min_own_items",
    "personalize",
    "max_per_brand",
    "max_per_category",
    "rotation",
    "list",
    "submodels",
    "similarity",
];

/// A widget configuration from JS (snake_case keys as in edgerec.toml): its `name`, if given,
/// and the other keys as a patch.
pub(super) fn widget_patch(v: &JsValue) -> Result<(Option<String>, WidgetPatch), Thrown> {
    if !is_plain_object(v) {
        return Err(arg_error("recommendWith: expected a widget configuration object like { algorithm: \"upsell\" }"));
    }
    let mut name = None;
    let mut p = WidgetPatch::default();
    for (k, x) in given_keys(v, WIDGET_KEYS, "widget key", "")? {
        match k.as_str() {
            "name" => name = Some(string_of("name", &x)?),
            "algorithm" => {
                let a = x.as_string().and_then(|a| crate::config::Algorithm::from_name(&a));
                p.algorithm = Some(a.ok_or_else(|| {
                    let names: Vec<&str> = crate::config::Algorithm::ALL.iter().map(|a| a.name()).collect();
                    bad_option("algorithm", &format!("expected one of {}", names.join(", ")))
                })?);
            }
            "title" => p.title = Some(string_of("title", &x)?),
            "limit" => p.limit = Some(whole_of("limit", &x)?),
            "threshold" => p.threshold = Some(number_of("threshold", &x)? as f32),
            "fallback" => p.fallback = Some(steps_of(&x)?),
            "list" => p.list = Some(string_of("list", &x)?),
            "filters" => p.filters = Some(filters_from_js(&x, "filters")?),
            "exclude_purchased" => p.exclude_purchased = Some(bool_of("exclude_purchased", &x)?),
            "force_include" => p.force_include = Some(ids_of("force_include", &x)?),
            "force_include_out_of_stock" => {
                p.force_include_out_of_stock = Some(bool_of("force_include_out_of_stock", &x)?)
            }
            "hide_when_fallback" => p.hide_when_fallback = Some(bool_of("hide_when_fallback", &x)?),
            "min_own_items" => p.min_own_items = Some(whole_of("min_own_items", &x)?),
            "personalize" => p.personalize = Some(bool_of("personalize", &x)?),
            "max_per_brand" => p.max_per_brand = Some(whole_of("max_per_brand", &x)?),
            "max_per_category" => p.max_per_category = Some(whole_of("max_per_category", &x)?),
            "rotation" => p.rotation = Some(rotation_of("rotation", &x)?),
            "submodels" => p.submodels = Some(submodels_of(&x)?),
            "similarity" => p.similarity = Some(weights_of(&x)?),
            _ => p.for_you = Some(for_you_patch(&x)?),
        }
    }
    Ok((name, p))
}

/// A `similarity` object of whole-number weights (`{ color: 60, category: 40 }`).
fn weights_of(v: &JsValue) -> Result<std::collections::BTreeMap<String, u32>, Thrown> {
    if !is_plain_object(v) {
        return Err(bad_option("similarity", "expected an object of weights like { color: 60, category: 40 }"));
    }
    let mut out = std::collections::BTreeMap::new();
    for (k, x) in entries(v) {
        let w = whole_of(&format!("similarity.{k}"), &x)?;
        out.insert(k, w);
    }
    Ok(out)
}

/// A `submodels` object: `{ colors: "$product", age: 4 }` (a value is a string or a number;
/// which names exist is checked against the snapshot).
fn submodels_of(v: &JsValue) -> Result<crate::config::Picks, Thrown> {
    if !is_plain_object(v) {
        return Err(bad_option("submodels", "expected an object like { colors: \"$product\" }"));
    }
    let mut out = crate::config::Picks::new();
    for (k, x) in entries(v) {
        let value = match (x.as_string(), x.as_f64()) {
            (Some(s), _) => s,
            // JS writes the number, which keeps Rust's float formatting out of the wasm.
            (None, Some(n)) if n.is_finite() => {
                js_sys::Number::from(n).to_string_with_radix(10).map(String::from).unwrap_or_default()
            }
            _ => {
                return Err(bad_option(
                    &format!("submodels.{k}"),
                    "expected a value (string or number) or \"$product\"",
                ))
            }
        };
        crate::config::put_submodel(&mut out, k, value);
    }
    Ok(out)
}

/// A `for_you` object of weights (keys as in edgerec.toml's `[for_you]`).
fn for_you_patch(v: &JsValue) -> Result<ForYouPatch, Thrown> {
    if !is_plain_object(v) {
        return Err(bad_option("for_you", "expected an object of weights"));
    }
    let mut p = ForYouPatch::default();
    for (k, x) in given_keys(v, &ForYouParams::NAMES, "for_you key", "for_you.")? {
        let w = Some(number_of(&format!("for_you.{k}"), &x)? as f32);
        match k.as_str() {
            "recency_decay" => p.recency_decay = w,
            "next_weight" => p.next_weight = w,
            "together_weight" => p.together_weight = w,
            "bought_weight" => p.bought_weight = w,
            "repeat_weight" => p.repeat_weight = w,
            "cart_boost" => p.cart_boost = w,
            "purchase_weight" => p.purchase_weight = w,
            "purchase_decay" => p.purchase_decay = w,
            "rebuy_weight" => p.rebuy_weight = w,
            "hop_weight" => p.hop_weight = w,
            _ => p.popular_weight = w,
        }
    }
    Ok(p)
}

/// The options of `Recommender.products`.
#[derive(Default)]
pub(super) struct ListOptions {
    /// Only this category and its subcategories.
    pub category: Option<String>,
    /// Products skipped.
    pub offset: Option<u32>,
    /// Products listed (default 24, at most 500).
    pub limit: Option<u32>,
}

/// Reads `products`' options; `undefined` or `null` is the defaults.
pub(super) fn list_options(v: &JsValue) -> Result<ListOptions, Thrown> {
    let mut o = ListOptions::default();
    if is_nothing(v) {
        return Ok(o);
    }
    if !is_plain_object(v) {
        return Err(arg_error("products: options must be an object like { category: \"Kitchen\", limit: 24 }"));
    }
    for (k, x) in given_keys(v, &["category", "offset", "limit"], "option", "")? {
        match k.as_str() {
            "category" => o.category = Some(string_of("category", &x)?),
            "offset" => o.offset = Some(whole_of("offset", &x)?),
            _ => o.limit = Some(whole_of("limit", &x)?),
        }
    }
    Ok(o)
}
