//! `Recommender`: a loaded snapshot answering requests from JavaScript.

use wasm_bindgen::prelude::*;

use super::convert::{arg_error, list_options, parse_options, parse_profile_options, widget_patch};
use super::{parse_json, to_js, type_name, ErrorCode, Thrown};
use crate::config::ConfigError;
use crate::engine;
use crate::snapshot::FORMAT_VERSION;
use crate::time::format_timestamp;

/// A snapshot ready to answer requests.
#[wasm_bindgen]
pub struct Recommender(pub(super) engine::Recommender);

/// A widget that does not validate: `invalid_option`, naming the key.
fn config_error(e: ConfigError) -> Thrown {
    Thrown::new(ErrorCode::InvalidOption, format!("invalid option `{}`: {}", e.key, e.message)).key(&e.key)
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
fn items_to_js(rec: &engine::Recommender, items: &[engine::Recommendation]) -> Result<JsValue, JsValue> {
    parse_json(&items_json(rec, items))
}

#[wasm_bindgen]
impl Recommender {
    /// Validates (magic, version, checksum, contents) and loads a snapshot. Throws an `Error`
    /// saying what is wrong and how to fix it.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Recommender, JsValue> {
        engine::Recommender::from_bytes(bytes)
            .map(Recommender)
            .map_err(|e| Thrown::new(ErrorCode::InvalidSnapshot, e).into())
    }

    /// The list of a widget for a page and a session.
    #[wasm_bindgen(unchecked_return_type = "RecommendedItem[]")]
    pub fn recommend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] widget: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let Some(widget) = widget.as_string() else {
            return Err(
                arg_error(format!("recommend: the widget name must be a string, got {}", type_name(&widget))).into()
            );
        };
        let (ctx, over) = parse_options(&options.unwrap_or(JsValue::UNDEFINED), self.0.session_gap())?;
        let r = self.0.recommend(&widget, &ctx, &over).map_err(Thrown::from)?;
        items_to_js(&self.0, &r.items)
    }

    /// The same list as `recommend`, as a JSON array string: for servers and workers that send
    /// it on, which saves building JS objects only to serialise them again.
    #[wasm_bindgen(js_name = recommendJson)]
    pub fn recommend_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] widget: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: Option<JsValue>,
    ) -> Result<String, JsValue> {
        let Some(widget) = widget.as_string() else {
            return Err(arg_error(format!(
                "recommendJson: the widget name must be a string, got {}",
                type_name(&widget)
            ))
            .into());
        };
        let (ctx, over) = parse_options(&options.unwrap_or(JsValue::UNDEFINED), self.0.session_gap())?;
        let r = self.0.recommend(&widget, &ctx, &over).map_err(Thrown::from)?;
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
    ) -> Result<JsValue, JsValue> {
        let (name, patch) = widget_patch(&widget)?;
        let (ctx, over) = parse_options(&options.unwrap_or(JsValue::UNDEFINED), self.0.session_gap())?;
        let shared = &self.0.snapshot().config.for_you;
        // Over the snapshot's widget of that name when there is one, else its algorithm's defaults.
        let existing = name.as_deref().and_then(|n| self.0.widget(n));
        let mut config = patch.resolve(name.as_deref(), existing, shared).map_err(config_error)?;
        if !over.is_empty() {
            // The widget's own errors first: the request's patch could hide them.
            config.validate("").map_err(config_error)?;
            config.apply(&over, shared);
        }
        let r = self.0.recommend_with(&config, &ctx).map_err(Thrown::from)?;
        items_to_js(&self.0, &r.items)
    }

    /// Re-ranks a list the storefront already has (a category page, search results) by the
    /// shopper's profile: the same ids, each with its affinity and the reason it moved. With
    /// personalisation off in the snapshot, or nothing known of the shopper, the order is kept.
    #[wasm_bindgen(unchecked_return_type = "PersonalizedId[]")]
    pub fn personalize(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PersonalizeOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let Some(arr) = ids.dyn_ref::<js_sys::Array>() else {
            return Err(
                arg_error(format!("personalize: expected an array of product ids, got {}", type_name(&ids))).into()
            );
        };
        let mut list = Vec::with_capacity(arr.length() as usize);
        for (i, x) in arr.iter().enumerate() {
            let Some(id) = x.as_string() else {
                return Err(arg_error(format!("personalize: ids[{i}] is a {}, not a product id", type_name(&x))).into());
            };
            list.push(id);
        }
        let (ctx, model) =
            parse_profile_options("personalize", &options.unwrap_or(JsValue::UNDEFINED), self.0.session_gap())?;
        let out = self.0.personalize(&list, &ctx, model.as_deref()).map_err(Thrown::from)?;
        to_js(|s| crate::json::array(s, &out, |s, p| p.write_json(s)))
    }

    /// What the device knows of the shopper, as the personalisation model sees it: per field
    /// (brand, category, ...) the values with their shares. Computed from the session each time;
    /// never stored or sent.
    #[wasm_bindgen(unchecked_return_type = "ProfileView")]
    pub fn profile(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "PersonalizeOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let (ctx, model) =
            parse_profile_options("profile", &options.unwrap_or(JsValue::UNDEFINED), self.0.session_gap())?;
        let view = self.0.profile_view(&ctx, model.as_deref()).map_err(Thrown::from)?;
        to_js(|s| view.write_json(s))
    }

    /// The widgets of the snapshot with their configuration.
    #[wasm_bindgen(unchecked_return_type = "WidgetInfo[]")]
    pub fn widgets(&self) -> Result<JsValue, JsValue> {
        to_js(|out| {
            crate::json::array(out, self.0.widget_names(), |out, n| {
                self.0.widget(n).expect("listed").write_json(Some(n), out)
            })
        })
    }

    /// The snapshot's editorial lists (`[lists.NAME]`), in name order, with their products as
    /// configured (ids the catalog does not know included).
    #[wasm_bindgen(unchecked_return_type = "EditorialList[]")]
    pub fn lists(&self) -> Result<JsValue, JsValue> {
        to_js(|out| {
            crate::json::array(out, &self.0.snapshot().config.lists, |out, (name, l)| {
                let mut o = crate::json::Object::new(out);
                o.str("name", name).opt_str("title", l.title.as_deref()).strs("products", &l.products);
                o.end();
            })
        })
    }

    /// The snapshot's submodels (`[submodels.NAME]`), in name order: the attribute and its
    /// groups of values (nominal) or ranges `[from, to]` (numeric).
    #[wasm_bindgen(unchecked_return_type = "SubmodelInfo[]")]
    pub fn submodels(&self) -> Result<JsValue, JsValue> {
        to_js(|out| {
            crate::json::array(out, &self.0.snapshot().config.submodels, |out, (name, s)| {
                let mut o = crate::json::Object::new(out);
                o.str("name", name).str("attribute", &s.attribute);
                crate::json::array(o.key("groups"), &s.groups, |out, g| {
                    crate::json::array(out, g, |out, v| crate::json::string(out, v))
                });
                crate::json::array(o.key("ranges"), &s.ranges, |out, r| {
                    crate::json::array(out, r, |out, x| crate::json::decimal(out, *x, 6))
                });
                o.end();
            })
        })
    }

    /// Snapshot metadata.
    #[wasm_bindgen(unchecked_return_type = "SnapshotInfo")]
    pub fn info(&self) -> Result<JsValue, JsValue> {
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
                .strs("widgets", &self.0.widget_names().collect::<Vec<_>>())
                .int("sessionGapMinutes", i64::from(s.config.training.session_gap_minutes));
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
            match &s.tuned {
                Some(t) => t.write_json(o.key("tuned")),
                None => o.key("tuned").push_str("null"),
            }
            o.end();
        })
    }

    /// One product, or `undefined` when it is not in the catalog.
    #[wasm_bindgen(unchecked_return_type = "Product | undefined")]
    pub fn product(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Result<JsValue, JsValue> {
        let Some(id) = id.as_string() else {
            return Err(arg_error(format!("product: expected a product id string, got {}", type_name(&id))).into());
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
    ) -> Result<JsValue, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let o = list_options(&options)?;
        let limit = o.limit.unwrap_or(24).min(500) as usize;
        let offset = o.offset.unwrap_or(0) as usize;
        let Some((total, page)) = self.0.list_products(o.category.as_deref(), offset, limit) else {
            let msg = format!("unknown category \"{}\"", o.category.unwrap_or_default());
            return Err(Thrown::new(ErrorCode::UnknownCategory, msg).key("category").into());
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
    pub fn categories(&self) -> Result<JsValue, JsValue> {
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
