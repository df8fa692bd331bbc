//! One widget: its resolved configuration and the built-in widgets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{check_range, err, Algorithm, ConfigError, Filters, ForYouParams, Source, Step, MAX_LIMIT};

/// `[widgets.NAME]`: one widget, fully resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WidgetConfig {
    /// What the widget computes.
    pub algorithm: Algorithm,
    /// The heading the storefront shows.
    pub title: String,
    /// How many items at most (1 to 100).
    pub limit: u32,
    /// Drop a candidate scoring below `threshold` times the best candidate of its step (0 to 1).
    pub threshold: f32,
    /// Further steps tried in order until `limit` items are found: sources, or editorial lists
    /// (`list:NAME`).
    pub fallback: Vec<Step>,
    /// Merchandising filters.
    pub filters: Filters,
    /// Leave out products the shopper already bought.
    pub exclude_purchased: bool,
    /// Products shown first, in this order, whatever the filters say.
    pub force_include: Vec<String>,
    /// Show forced products even when out of stock.
    pub force_include_out_of_stock: bool,
    /// This widget's own `for_you` weights (`[widgets.NAME.for_you]`, for_you widgets only),
    /// replacing the top-level `[for_you]` ones.
    pub for_you: Option<ForYouParams>,
    /// Answer nothing (the storefront leaves the box out) when the widget's own steps found
    /// nothing and only fallback steps filled the list.
    #[serde(default)]
    pub hide_when_fallback: bool,
    /// Answer nothing unless the widget's own steps found at least this many items (0: always
    /// answer), as Nosto's "min amount".
    #[serde(default)]
    pub min_own_items: u32,
    /// Re-rank the list by the shopper's affinities (`[personalization]`). On by default for
    /// discovery lists (those that leave out what the shopper bought), off for history lists
    /// (previously viewed, recurring, the segment lists, buy again).
    #[serde(default)]
    pub personalize: bool,
    /// The editorial list (`[lists.NAME]`) an `editorial` widget shows; every list, in name
    /// order, when unset.
    #[serde(default)]
    pub list: Option<String>,
    /// At most this many items of one brand (0: no cap). Applied as the list fills: an item over
    /// the cap is skipped and the list fills from further down. Force-included items count
    /// towards the cap but are always shown.
    #[serde(default)]
    pub max_per_brand: u32,
    /// At most this many items of one category (a product counts in each category it is
    /// assigned to; 0: no cap), like `max_per_brand`.
    #[serde(default)]
    pub max_per_category: u32,
    /// Vary the order of near-tied items (scores within 10% of each other, in one step) per day
    /// or per shopper session, deterministically.
    #[serde(default)]
    pub rotation: Rotation,
    /// The group of each submodel (`[submodels.NAME]`) the widget's own steps keep to: a value
    /// of the submodel's attribute, or `"$product"` for the current product's. A value in no
    /// group (or `$product` without a product, or one without a value) leaves that submodel out.
    #[serde(default, deserialize_with = "super::submodel::values", serialize_with = "super::submodel::write_values")]
    pub submodels: super::submodel::Picks,
    /// This widget's own similar-product weights (attribute to weight, summing to 100, as
    /// `[similarity] attributes`), for its `similar` steps; `None`: the shared `[similarity]`.
    /// The builder computes a neighbour table per distinct set, so a request cannot change them.
    #[serde(default)]
    pub similarity: Option<BTreeMap<String, u32>>,
}

/// How a widget varies the order of near-tied items (`rotation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rotation {
    /// Always the same order.
    #[default]
    Off,
    /// A new order each day (of the request's time), the same for every shopper that day.
    Day,
    /// A new order each shopper session: seeded by the context's `seed`, else by the time of
    /// the session's first view, else by the day.
    Session,
}

impl Rotation {
    /// Every rotation, in the order of the docs.
    pub const ALL: [Rotation; 3] = [Rotation::Off, Rotation::Day, Rotation::Session];

    /// The name used in edgerec.toml and JavaScript.
    pub fn name(self) -> &'static str {
        match self {
            Rotation::Off => "off",
            Rotation::Day => "day",
            Rotation::Session => "session",
        }
    }

    /// The rotation of that name.
    pub fn from_name(name: &str) -> Option<Rotation> {
        Rotation::ALL.into_iter().find(|r| r.name() == name)
    }
}

impl WidgetConfig {
    /// The widget an algorithm gets by default.
    pub fn for_algorithm(algorithm: Algorithm) -> WidgetConfig {
        WidgetConfig {
            algorithm,
            title: algorithm.default_title().to_string(),
            limit: 8,
            threshold: 0.0,
            fallback: algorithm.default_fallback(),
            filters: Filters { added_within_days: algorithm.spec().max_age_days, ..Filters::default() },
            exclude_purchased: algorithm.spec().excludes_purchased,
            force_include: Vec::new(),
            force_include_out_of_stock: false,
            for_you: None,
            hide_when_fallback: false,
            min_own_items: 0,
            // An editorial list keeps the merchandiser's order unless the widget says otherwise.
            personalize: algorithm.spec().excludes_purchased && algorithm != Algorithm::Editorial,
            list: None,
            max_per_brand: 0,
            max_per_category: 0,
            rotation: Rotation::Off,
            submodels: Vec::new(),
            similarity: None,
        }
    }

    /// The built-in "Buy it again" widget: the in-session list tuned for repeat purchases (how
    /// often and how lately each product was bought, then best sellers), purchases allowed.
    pub fn buy_again() -> WidgetConfig {
        WidgetConfig {
            title: "Buy it again".to_string(),
            limit: 10,
            exclude_purchased: false,
            personalize: false,
            for_you: Some(ForYouParams::buy_again()),
            ..WidgetConfig::for_algorithm(Algorithm::ForYou)
        }
    }

    /// The steps in order: the algorithm's own, then the fallback (repeats removed).
    pub fn chain(&self) -> Vec<Step> {
        let mut chain: Vec<Step> = Vec::with_capacity(4);
        let own = self.algorithm.steps().iter().map(|&s| Step::Source(s));
        for s in own.chain(self.fallback.iter().cloned()) {
            if s != Step::Source(Source::ForceInclude) && !chain.contains(&s) {
                chain.push(s);
            }
        }
        chain
    }
}

/// The widgets every snapshot has unless its config says `default_widgets = false`: one per
/// algorithm, named after it, and `buy_again`.
pub fn default_widgets() -> BTreeMap<String, WidgetConfig> {
    let mut w: BTreeMap<String, WidgetConfig> =
        Algorithm::ALL.into_iter().map(|a| (a.name().to_string(), WidgetConfig::for_algorithm(a))).collect();
    w.insert("buy_again".to_string(), WidgetConfig::buy_again());
    w
}

impl WidgetConfig {
    /// Appends the widget as a JSON object (snake_case keys, as in edgerec.toml), with `name`
    /// first when given.
    pub fn write_json(&self, name: Option<&str>, out: &mut String) {
        let mut o = crate::json::Object::new(out);
        if let Some(n) = name {
            o.str("name", n);
        }
        o.str("algorithm", self.algorithm.name())
            .str("title", &self.title)
            .int("limit", i64::from(self.limit))
            .num("threshold", f64::from(self.threshold), 6)
            .strs("fallback", &self.fallback.iter().map(Step::to_string).collect::<Vec<_>>())
            .opt_str("list", self.list.as_deref());
        self.filters.write_json(o.key("filters"));
        o.bool("exclude_purchased", self.exclude_purchased)
            .strs("force_include", &self.force_include)
            .bool("force_include_out_of_stock", self.force_include_out_of_stock)
            .bool("hide_when_fallback", self.hide_when_fallback)
            .int("min_own_items", i64::from(self.min_own_items))
            .bool("personalize", self.personalize)
            .int("max_per_brand", i64::from(self.max_per_brand))
            .int("max_per_category", i64::from(self.max_per_category))
            .str("rotation", self.rotation.name());
        let mut subs = crate::json::Object::new(o.key("submodels"));
        for (k, v) in &self.submodels {
            subs.str(k, v);
        }
        subs.end();
        match &self.similarity {
            Some(a) => {
                let mut so = crate::json::Object::new(o.key("similarity"));
                for (k, v) in a {
                    so.int(k, i64::from(*v));
                }
                so.end();
            }
            None => o.key("similarity").push_str("null"),
        }
        match &self.for_you {
            Some(p) => p.write_json(o.key("for_you")),
            None => o.key("for_you").push_str("null"),
        }
        o.end();
    }
}

impl WidgetConfig {
    /// Checks limits, threshold and filters; `key` is the widget's dotted key.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(err(
                format!("{key}.limit"),
                format!("{} is out of range: allowed 1 to {MAX_LIMIT}", self.limit),
            ));
        }
        check_range(&format!("{key}.threshold"), Some(self.threshold as f64), 0.0, 1.0)?;
        if self.min_own_items > self.limit {
            return Err(err(
                format!("{key}.min_own_items"),
                format!("{} is more than the widget's limit ({})", self.min_own_items, self.limit),
            ));
        }
        for (name, cap) in [("max_per_brand", self.max_per_brand), ("max_per_category", self.max_per_category)] {
            if cap > MAX_LIMIT {
                return Err(err(
                    format!("{key}.{name}"),
                    format!("{cap} is out of range: allowed 0 (no cap) to {MAX_LIMIT}"),
                ));
            }
        }
        if self.fallback.contains(&Step::Source(Source::ForceInclude)) {
            return Err(err(
                format!("{key}.fallback"),
                "force_include is not a fallback step: list the products in force_include",
            ));
        }
        if let Some(a) = &self.similarity {
            if !self.runs_similar() {
                return Err(err(
                    format!("{key}.similarity"),
                    "only a widget with a `similar` step (its algorithm's or a fallback) has similarity weights",
                ));
            }
            super::similarity::check_attributes(&format!("{key}.similarity"), a)?;
        }
        if let Some(f) = &self.for_you {
            if !self.runs_for_you() {
                return Err(err(format!("{key}.for_you"), "only a widget of the for_you algorithm has weights"));
            }
            f.validate(&format!("{key}.for_you"))?;
        }
        self.filters.validate(&format!("{key}.filters"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "cli")]
    use crate::config::DateRange;

    #[cfg(feature = "cli")]
    #[test]
    fn widget_json_matches_serde() {
        let mut widgets = default_widgets();
        let w = widgets.get_mut("upsell").unwrap();
        w.filters = Filters {
            brands: Some(vec!["A\"x".into()]),
            price_min: Some(10.5),
            stock_max: Some(-3),
            added: Some(vec![DateRange { from: Some("2024-01-01".into()), to: None }]),
            added_within_days: Some(7),
            show_out_of_stock: Some(true),
            ..Default::default()
        };
        w.force_include = vec!["p1".into()];
        for (name, w) in &widgets {
            let mut s = String::new();
            w.write_json(Some(name), &mut s);
            let mine: serde_json::Value = serde_json::from_str(&s).unwrap();
            let mut theirs = serde_json::to_value(w).unwrap();
            // serde writes unset filters as null; the writer leaves them out.
            theirs["filters"].as_object_mut().unwrap().retain(|_, v| !v.is_null());
            theirs.as_object_mut().unwrap().insert("name".into(), serde_json::json!(name));
            let close = |a: &serde_json::Value, b: &serde_json::Value| match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-6,
                _ => a == b,
            };
            for (k, v) in theirs.as_object().unwrap() {
                if let (Some(a), Some(b)) = (mine[k].as_object(), v.as_object()) {
                    assert_eq!(a.len(), b.len(), "{name}.{k}");
                    for (kk, vv) in b {
                        assert!(close(&a[kk], vv), "{name}.{k}.{kk}: {} vs {vv}", a[kk]);
                    }
                } else {
                    assert!(close(&mine[k], v), "{name}.{k}: {} vs {v}", mine[k]);
                }
            }
        }
    }

    #[test]
    fn chain_has_no_repeats() {
        let mut w = WidgetConfig::for_algorithm(Algorithm::Upsell);
        w.fallback = vec![Source::ViewedTogether.into(), Source::Popular.into(), Source::Popular.into()];
        let want = [Source::BoughtTogether, Source::CartedTogether, Source::ViewedTogether, Source::Popular];
        assert_eq!(w.chain(), want.map(Step::Source));
    }
}
