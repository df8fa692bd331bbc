//! Whole answers for renderers: the heading and state of a widget's list, the bundles of a
//! product page, and the algorithm table.

use wasm_bindgen::prelude::*;

use super::convert::{arg_error, parse_options};
use super::recommender::Recommender;
use super::{parse_json, to_js, type_name, Thrown};

impl Recommender {
    fn answer_string(&self, what: &str, widget: &JsValue, options: Option<JsValue>) -> Result<String, JsValue> {
        let Some(name) = widget.as_string() else {
            return Err(
                arg_error(format!("{what}: the widget name must be a string, got {}", type_name(widget))).into()
            );
        };
        let (ctx, over) = parse_options(&options.unwrap_or(JsValue::UNDEFINED), self.0.session_gap())?;
        let title = self.0.widget_with(&name, &over).map_err(Thrown::from)?.title;
        let r = self.0.recommend(&name, &ctx, &over).map_err(Thrown::from)?;
        let mut out = String::with_capacity(256 + r.items.len() * 400);
        self.0.write_answer_json(&name, &title, &r, &mut out);
        Ok(out)
    }
}

#[wasm_bindgen]
impl Recommender {
    /// A widget's list with what a renderer needs around it: the heading to show (`title`: the
    /// widget's own, or the fallback step's when only fallbacks filled the list), `fromFallback`,
    /// `hidden` (the box should be left out), `absentSections` and the `items`. Same options as
    /// `recommend`.
    #[wasm_bindgen(unchecked_return_type = "WidgetAnswer")]
    pub fn answer(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] widget: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        parse_json(&self.answer_string("answer", &widget, options)?)
    }

    /// `answer` as a JSON string (for workers that send it on).
    #[wasm_bindgen(js_name = answerJson)]
    pub fn answer_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] widget: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: Option<JsValue>,
    ) -> Result<String, JsValue> {
        self.answer_string("answerJson", &widget, options)
    }

    /// The bundles of the page's product (exact combinations bought as one order), best first,
    /// through the widget's rules (`bundle` unless `options.widget` names another): each with its
    /// products (the current one first), how many shoppers bought it, and its totals. Empty
    /// with a `reason` when there is none, so the storefront leaves the box out.
    #[wasm_bindgen(unchecked_return_type = "BundlesAnswer")]
    pub fn bundles(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions & { widget?: string }")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let mut name = "bundle".to_string();
        let opts = if options.is_object() {
            let w = js_sys::Reflect::get(&options, &JsValue::from_str("widget")).unwrap_or(JsValue::UNDEFINED);
            if let Some(n) = w.as_string() {
                name = n;
            } else if !w.is_undefined() && !w.is_null() {
                return Err(arg_error(format!("bundles: `widget` must be a string, got {}", type_name(&w))).into());
            }
            let copy = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
            let _ = js_sys::Reflect::delete_property(&copy, &JsValue::from_str("widget"));
            copy.into()
        } else {
            options
        };
        let (ctx, over) = parse_options(&opts, self.0.session_gap())?;
        let title = self.0.widget_with(&name, &over).map_err(Thrown::from)?.title;
        let a = self.0.bundles(&name, &ctx, &over).map_err(Thrown::from)?;
        to_js(|out| self.0.write_bundles_json(&name, &title, &a, out))
    }
}

/// The algorithm and source tables: every algorithm a widget can run (name, default title,
/// steps, fallback, constraint, doc) and every source (name, heading, snapshot sections). The
/// preview page and storefront code read these instead of copying them.
#[wasm_bindgen(unchecked_return_type = "AlgorithmTable")]
pub fn algorithms() -> Result<JsValue, JsValue> {
    to_js(crate::engine::write_algorithms_json)
}
