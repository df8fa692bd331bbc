//! `Recommender`: a loaded snapshot answering requests from JavaScript.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::convert::{check_keys, parse_options, string_of, whole_of, widget_config};
use super::{js_err, parse_json, to_js, type_name};
use crate::engine;
use crate::snapshot::FORMAT_VERSION;
use crate::time::format_timestamp;

/// A snapshot ready to answer requests.
#[wasm_bindgen]
pub struct Recommender(pub(super) engine::Recommender);

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
