//! Changes to a widget ([`WidgetPatch`]) and the one rule that layers them over a widget
//! ([`WidgetConfig::apply`]).

use serde::{Deserialize, Serialize};

use super::{err, Algorithm, ConfigError, Filters, ForYouParams, ForYouPatch, Rotation, Step, WidgetConfig};

/// Changes to a widget: every key of [`WidgetConfig`], each optional. It is what
/// `[widgets.NAME]` in edgerec.toml, a request's options and `recommendWith` give.
///
/// [`WidgetConfig::apply`] layers it over a base widget: the existing widget of that name
/// (built-in or from the snapshot), else the defaults of its algorithm ([`WidgetPatch::resolve`]).
///
/// - Every key given replaces the base's; `filters` merge field by field ([`Filters::merged`]):
///   a filter given replaces that filter, the others stay.
/// - `for_you` weights given replace those weights; the others are the widget's own weights when
///   it has some, else the shared `[for_you]` ones. Only a widget of the `for_you` algorithm has
///   weights ([`WidgetConfig::validate`] names `for_you` otherwise).
/// - A new `algorithm` keeps every key the base had set to something else than its old
///   algorithm's default (a custom title, limit, fallback, filters, ...); the keys that were the
///   old algorithm's defaults (title, fallback, exclude_purchased) become the new one's. A widget
///   that no longer runs `for_you` drops its own weights; one that no longer runs `editorial`
///   drops its `list`; one without a `similar` step any more drops its `similarity`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WidgetPatch {
    /// What the widget computes.
    pub algorithm: Option<Algorithm>,
    /// The heading the storefront shows.
    pub title: Option<String>,
    /// How many items at most (1 to 100).
    pub limit: Option<u32>,
    /// Relative relevance threshold (0 to 1).
    pub threshold: Option<f32>,
    /// Replaces the fallback chain (sources and `list:NAME` steps).
    pub fallback: Option<Vec<Step>>,
    /// Filters; each field set here replaces the widget's, the others stay.
    pub filters: Option<Filters>,
    /// Leave out products already bought.
    #[serde(alias = "excludePurchased")]
    pub exclude_purchased: Option<bool>,
    /// Replaces the force-included products.
    #[serde(alias = "forceInclude")]
    pub force_include: Option<Vec<String>>,
    /// Show forced products even when out of stock.
    #[serde(alias = "forceIncludeOutOfStock")]
    pub force_include_out_of_stock: Option<bool>,
    /// `for_you` weights; each one set here replaces the widget's (for_you widgets only).
    pub for_you: Option<ForYouPatch>,
    /// Answer nothing when only fallback steps filled the list.
    #[serde(alias = "hideWhenFallback")]
    pub hide_when_fallback: Option<bool>,
    /// Answer nothing unless the widget's own steps found this many items.
    #[serde(alias = "minOwnItems")]
    pub min_own_items: Option<u32>,
    /// Re-rank by the shopper's affinities (`[personalization]`).
    pub personalize: Option<bool>,
    /// At most this many items of one brand (0: no cap).
    #[serde(alias = "maxPerBrand")]
    pub max_per_brand: Option<u32>,
    /// At most this many items of one category (0: no cap).
    #[serde(alias = "maxPerCategory")]
    pub max_per_category: Option<u32>,
    /// Vary the order of near-tied items per day or per session.
    pub rotation: Option<Rotation>,
    /// The editorial list an `editorial` widget shows; `""` for every list.
    pub list: Option<String>,
    /// Submodel groups: each one given replaces the widget's for that submodel; `""` leaves
    /// that submodel out.
    #[serde(deserialize_with = "optional_values", serialize_with = "write_optional_values")]
    pub submodels: Option<super::submodel::Picks>,
    /// The widget's own similar-product weights (`similar` steps; edgerec.toml only: the builder
    /// computes their table).
    pub similarity: Option<std::collections::BTreeMap<String, u32>>,
}

fn optional_values<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<super::submodel::Picks>, D::Error> {
    super::submodel::values(d).map(Some)
}

fn write_optional_values<S: serde::Serializer>(v: &Option<super::submodel::Picks>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(p) => super::submodel::write_values(p, s),
        None => s.serialize_none(),
    }
}

impl WidgetPatch {
    /// Whether nothing is changed.
    pub fn is_empty(&self) -> bool {
        *self == WidgetPatch::default()
    }

    /// The widget this patch makes when named `name`: layered over `existing` (the widget of that
    /// name so far) when there is one, else over the defaults of its `algorithm`, or of the
    /// algorithm the name is when it names one. The error's key is relative (`algorithm`).
    pub fn resolve(
        &self,
        name: Option<&str>,
        existing: Option<&WidgetConfig>,
        shared_for_you: &ForYouParams,
    ) -> Result<WidgetConfig, ConfigError> {
        let mut w = match existing {
            Some(w) => w.clone(),
            None => match self.algorithm.or_else(|| name.and_then(Algorithm::from_name)) {
                Some(a) => WidgetConfig::for_algorithm(a),
                None => {
                    let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
                    return Err(err("algorithm", format!("missing; allowed: {}", names.join(", "))));
                }
            },
        };
        w.apply(self, shared_for_you);
        Ok(w)
    }
}

impl WidgetConfig {
    /// Layers `patch` over this widget (the rule is on [`WidgetPatch`]); `shared_for_you` (the
    /// top-level `[for_you]`) is what weights the widget does not have of its own default to.
    pub fn apply(&mut self, patch: &WidgetPatch, shared_for_you: &ForYouParams) {
        if let Some(a) = patch.algorithm {
            self.switch_algorithm(a);
        }
        if let Some(v) = &patch.title {
            self.title = v.clone();
        }
        if let Some(v) = patch.limit {
            self.limit = v;
        }
        if let Some(v) = patch.threshold {
            self.threshold = v;
        }
        if let Some(v) = &patch.fallback {
            self.fallback = v.clone();
        }
        if let Some(v) = &patch.filters {
            self.filters = self.filters.merged(v);
        }
        if let Some(v) = patch.exclude_purchased {
            self.exclude_purchased = v;
        }
        if let Some(v) = &patch.force_include {
            self.force_include = v.clone();
        }
        if let Some(v) = patch.force_include_out_of_stock {
            self.force_include_out_of_stock = v;
        }
        if let Some(v) = patch.hide_when_fallback {
            self.hide_when_fallback = v;
        }
        if let Some(v) = patch.min_own_items {
            self.min_own_items = v;
        }
        if let Some(v) = patch.personalize {
            self.personalize = v;
        }
        if let Some(v) = patch.max_per_brand {
            self.max_per_brand = v;
        }
        if let Some(v) = patch.max_per_category {
            self.max_per_category = v;
        }
        if let Some(v) = patch.rotation {
            self.rotation = v;
        }
        if let Some(v) = &patch.list {
            self.list = Some(v.clone()).filter(|v| !v.is_empty());
        }
        for (k, v) in patch.submodels.iter().flatten() {
            super::submodel::put(&mut self.submodels, k.clone(), v.clone());
        }
        self.submodels.retain(|(_, v)| !v.is_empty());
        match &patch.similarity {
            Some(a) => self.similarity = Some(a.clone()),
            None if !self.runs_similar() => self.similarity = None,
            None => {}
        }
        match &patch.for_you {
            Some(p) => self.for_you.get_or_insert_with(|| shared_for_you.clone()).apply(p),
            None if !self.runs_for_you() => self.for_you = None,
            None => {}
        }
    }

    /// Whether the widget's chain has a `similar` step (its own `similarity` weights apply to it).
    pub fn runs_similar(&self) -> bool {
        self.chain().contains(&Step::Source(super::Source::Similar))
    }

    /// Whether the widget's own `for_you` weights are used: its algorithm is `for_you`.
    pub fn runs_for_you(&self) -> bool {
        self.algorithm == Algorithm::ForYou
    }

    /// Runs `to` instead: the keys that were the old algorithm's defaults become the new one's.
    fn switch_algorithm(&mut self, to: Algorithm) {
        let (old, new) = (WidgetConfig::for_algorithm(self.algorithm), WidgetConfig::for_algorithm(to));
        if self.title == old.title {
            self.title = new.title;
        }
        if self.fallback == old.fallback {
            self.fallback = new.fallback;
        }
        if self.exclude_purchased == old.exclude_purchased {
            self.exclude_purchased = new.exclude_purchased;
        }
        if self.personalize == old.personalize {
            self.personalize = new.personalize;
        }
        if to != Algorithm::Editorial {
            self.list = None;
        }
        self.algorithm = to;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch_limit(limit: u32) -> WidgetPatch {
        WidgetPatch { limit: Some(limit), ..WidgetPatch::default() }
    }

    #[test]
    fn a_patch_keeps_every_key_it_does_not_set() {
        let shared = ForYouParams::default();
        let w = patch_limit(5).resolve(Some("buy_again"), Some(&WidgetConfig::buy_again()), &shared).unwrap();
        assert_eq!(w, WidgetConfig { limit: 5, ..WidgetConfig::buy_again() });
        // Naming the algorithm the widget already runs changes nothing.
        let same = WidgetPatch { algorithm: Some(Algorithm::ForYou), ..WidgetPatch::default() };
        assert_eq!(same.resolve(None, Some(&w), &shared).unwrap(), w);
    }

    #[test]
    fn a_new_algorithm_keeps_custom_keys_and_takes_its_own_defaults() {
        let shared = ForYouParams::default();
        let to = |a: Algorithm, base: &WidgetConfig| {
            WidgetPatch { algorithm: Some(a), ..WidgetPatch::default() }.resolve(None, Some(base), &shared).unwrap()
        };
        let w = to(Algorithm::Popular, &WidgetConfig::buy_again());
        assert_eq!((w.title.as_str(), w.limit, w.exclude_purchased), ("Buy it again", 10, false));
        assert_eq!(w.fallback, Algorithm::Popular.default_fallback());
        assert_eq!(w.for_you, None, "a popular widget has no for_you weights");
        w.validate("w").unwrap();

        let mut upsell = WidgetConfig::for_algorithm(Algorithm::Upsell);
        upsell.threshold = 0.25;
        let w = to(Algorithm::CrossSell, &upsell);
        assert_eq!(w, WidgetConfig { threshold: 0.25, ..WidgetConfig::for_algorithm(Algorithm::CrossSell) });
    }

    #[test]
    fn weights_layer_over_the_widgets_own_else_the_shared_ones() {
        let shared = ForYouParams { recency_decay: 0.4, ..ForYouParams::default() };
        let hop = WidgetPatch {
            for_you: Some(ForYouPatch { hop_weight: Some(0.0), ..ForYouPatch::default() }),
            ..WidgetPatch::default()
        };
        let w = hop.resolve(Some("buy_again"), Some(&WidgetConfig::buy_again()), &shared).unwrap();
        assert_eq!(w.for_you, Some(ForYouParams { hop_weight: 0.0, ..ForYouParams::buy_again() }));
        let w = hop.resolve(Some("for_you"), None, &shared).unwrap();
        assert_eq!(w.for_you, Some(ForYouParams { hop_weight: 0.0, ..shared.clone() }));

        let e = hop.resolve(Some("popular"), None, &shared).unwrap().validate("widgets.popular").unwrap_err();
        assert_eq!(e.key, "widgets.popular.for_you");
        assert!(e.message.contains("for_you algorithm"), "{e}");
    }

    #[test]
    fn filters_merge_field_by_field() {
        let mut base = WidgetConfig::for_algorithm(Algorithm::Popular);
        base.filters = Filters { brands: Some(vec!["Acme".into()]), price_max: Some(50.0), ..Filters::default() };
        let patch = WidgetPatch {
            filters: Some(Filters { price_max: Some(20.0), ..Filters::default() }),
            ..WidgetPatch::default()
        };
        let w = patch.resolve(None, Some(&base), &ForYouParams::default()).unwrap();
        assert_eq!(
            w.filters,
            Filters { brands: Some(vec!["Acme".into()]), price_max: Some(20.0), ..Filters::default() }
        );
    }

    #[test]
    fn a_new_widget_needs_an_algorithm() {
        let shared = ForYouParams::default();
        let e = patch_limit(3).resolve(Some("mine"), None, &shared).unwrap_err();
        assert_eq!(e.key, "algorithm");
        assert!(e.message.starts_with("missing; allowed: previously_viewed, upsell"), "{e}");
        let w = patch_limit(3).resolve(Some("upsell"), None, &shared).unwrap();
        assert_eq!(w, WidgetConfig { limit: 3, ..WidgetConfig::for_algorithm(Algorithm::Upsell) });
    }
}
