//! Reading JavaScript arguments and options into engine types.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::session::SESSIONS;
use super::{js_err, now_secs, type_name};
use crate::config::{Filters, Source, WidgetConfig};
use crate::engine::{Context, Overrides, View};

/// A quantity argument: a whole number from `min` to 1,000,000.
pub(super) fn quantity_arg(what: &str, q: &JsValue, min: f64) -> Result<u32, JsError> {
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
pub(super) fn id_arg(what: &str, v: &JsValue) -> Result<String, JsError> {
    match v.as_string() {
        Some(s) if !s.is_empty() && s.len() <= crate::session::MAX_ID_LEN => Ok(s),
        Some(_) => Err(js_err(format!("{what}: a product id is 1 to {} characters", crate::session::MAX_ID_LEN))),
        None => Err(js_err(format!("{what}: expected a product id string, got {}", type_name(v)))),
    }
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
pub(super) fn check_keys(value: &JsValue, allowed: &[&str], what: &str) -> Result<(), JsError> {
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
pub(super) fn filters_from_js(v: &JsValue) -> Result<Filters, JsError> {
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
pub(super) fn date_ranges(name: &str, v: &JsValue) -> Result<Option<Vec<crate::config::DateRange>>, JsError> {
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

pub(super) fn integer_of(key: &str, v: &JsValue) -> Result<Option<i64>, JsError> {
    match number_of(key, v)? {
        Some(x) if x.fract() == 0.0 && x.abs() < 9e15 => Ok(Some(x as i64)),
        Some(_) => Err(js_err(format!("invalid option `{key}`: expected a whole number"))),
        None => Ok(None),
    }
}

pub(super) fn string_of(key: &str, v: &JsValue) -> Result<Option<String>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| js_err(format!("invalid option `{key}`: expected a string")))
}

pub(super) fn ids_of(key: &str, v: &JsValue) -> Result<Vec<String>, JsError> {
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
pub(super) fn sources_of(v: &JsValue) -> Result<Vec<Source>, JsError> {
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

pub(super) fn number_of(key: &str, v: &JsValue) -> Result<Option<f64>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_f64()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or_else(|| js_err(format!("invalid option `{key}`: expected a number")))
}

pub(super) fn bool_of(key: &str, v: &JsValue) -> Result<Option<bool>, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool().map(Some).ok_or_else(|| js_err(format!("invalid option `{key}`: expected true or false")))
}

pub(super) fn whole_of(key: &str, v: &JsValue) -> Result<Option<u32>, JsError> {
    match number_of(key, v)? {
        Some(x) if x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&x) => Ok(Some(x as u32)),
        Some(_) => Err(js_err(format!("invalid option `{key}`: expected a whole number"))),
        None => Ok(None),
    }
}

/// Reads `options` into an engine context and overrides, looking only at the keys present (each
/// read crosses the JS boundary). `session` may be a `Session` (its state is read directly) or a
/// plain `SessionContext`.
pub(super) fn parse_options(options: &JsValue) -> Result<(Context, Overrides), JsError> {
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
pub(super) fn session_into(v: &JsValue, ctx: &mut Context) -> Result<(), JsError> {
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
pub(super) fn widget_config(v: &JsValue) -> Result<WidgetConfig, JsError> {
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
pub(super) fn for_you_slot<'a>(p: &'a mut crate::config::ForYouParams, k: &str) -> &'a mut f32 {
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
