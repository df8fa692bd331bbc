//! Configuration: how the builder trains (`[training]`) and what each widget serves (`[widgets.NAME]`).
//!
//! The same structures are read from `edgerec.toml` by the builder, stored in the snapshot, and
//! overridden per request by the engine's callers. Field names are `snake_case`; JavaScript callers
//! may use the `camelCase` spelling of any field (`priceMax` for `price_max`).
//!
//! Every widget runs a chain of [`Source`]s: the steps of its [`Algorithm`], then its `fallback`
//! list, until `limit` items are found. The filters, exclusions and the algorithm's own constraint
//! (upsell: same category, same price or higher; cross-sell: another category) apply to every step.
//!
//! Changes to a widget, from edgerec.toml, a request or a preview, are one [`WidgetPatch`] type,
//! layered over a widget by [`WidgetConfig::apply`] (the rule is on [`WidgetPatch`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

mod algorithm;
mod editorial;
mod filters;
mod for_you;
mod patch;
mod personalization;
mod recurring;
mod segments;
mod similarity;
mod sources;
mod submodel;
mod trending;
mod widget;

pub use algorithm::{Algorithm, AlgorithmSpec, Constraint, Source, ALGORITHMS};
pub use editorial::{EditorialList, Step, MAX_LIST_PRODUCTS};
pub use filters::Filters;
pub use for_you::{ForYouParams, ForYouPatch, SessionShape, TunedForYou};
pub use patch::WidgetPatch;
pub use personalization::{
    CategoryFields, PersonalizationConfig, PersonalizationModel, BUILT_IN_FIELDS, EVENTS, MAX_MODELS,
};
pub use recurring::RecurringConfig;
pub use segments::SegmentsConfig;
pub use similarity::SimilarityConfig;
pub use sources::{Explain, SourceSpec, SOURCES};
pub use submodel::{put as put_submodel, Picks, Submodel, MAX_GROUPS, MAX_SUBMODELS, PRODUCT_VALUE};
pub use trending::TrendingConfig;
pub use widget::{default_widgets, Rotation, WidgetConfig};

/// The most items one widget returns, whatever the configuration or request asks.
pub const MAX_LIMIT: u32 = 100;

/// Everything a snapshot's `edgerec.toml` configures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "cli", serde(default))]
pub struct Config {
    /// Products that no widget ever shows, by id (a global blacklist).
    pub blacklist: Vec<String>,
    /// How the builder turns events into lists.
    pub training: TrainingConfig,
    /// Tuning of the in-session `for_you` list.
    pub for_you: ForYouParams,
    /// What makes products similar (the `similar` model).
    pub similarity: SimilarityConfig,
    /// How rising products are found (the `trending` model).
    pub trending: TrendingConfig,
    /// When a product bought regularly is due again (the `recurring` model).
    pub recurring: RecurringConfig,
    /// The B2B segment models.
    pub segments: SegmentsConfig,
    /// Re-ranking by the shopper's affinities, on the device.
    pub personalization: PersonalizationConfig,
    /// Editorial lists (`[lists.NAME]`), by name.
    pub lists: BTreeMap<String, EditorialList>,
    /// Submodels (`[submodels.NAME]`): attribute groups a widget can restrict its model to.
    pub submodels: BTreeMap<String, Submodel>,
    /// The widgets, by name.
    pub widgets: BTreeMap<String, WidgetConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            blacklist: Vec::new(),
            training: TrainingConfig::default(),
            for_you: ForYouParams::default(),
            similarity: SimilarityConfig::default(),
            trending: TrendingConfig::default(),
            recurring: RecurringConfig::default(),
            segments: SegmentsConfig::default(),
            personalization: PersonalizationConfig::default(),
            lists: BTreeMap::new(),
            submodels: BTreeMap::new(),
            widgets: default_widgets(),
        }
    }
}

/// A date range, both ends inclusive, as `YYYY-MM-DD`; a missing end is open.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    /// First day included.
    pub from: Option<String>,
    /// Last day included.
    pub to: Option<String>,
}

/// `[training]`: what the builder counts and keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "cli", serde(default))]
pub struct TrainingConfig {
    /// Weight of each event kind in the blended `popular` list: `view`, `cart`, `purchase` (per
    /// unit), and any custom event name (`wishlist`, ...). Unlisted custom events weigh 0.
    pub weights: BTreeMap<String, f32>,
    /// Popularity counts events of the last `timeframe_days` before the as-of time.
    pub timeframe_days: u32,
    /// An event `half_life_days` old counts half as much as one at the as-of time (0: no decay).
    pub half_life_days: f32,
    /// `most_purchased` counts units bought in the last `recent_days`.
    pub recent_days: u32,
    /// A pair or list entry is kept only when at least this many distinct shoppers support it.
    pub min_count: u32,
    /// Neighbours kept per product and list kind (K).
    pub neighbours: u32,
    /// Length of the global popularity lists.
    pub list_size: u32,
    /// Length of each category's popularity lists.
    pub category_list_size: u32,
    /// Events without a session id are cut into sessions at this many minutes of inactivity.
    pub session_gap_minutes: u32,
    /// Pairs are counted between items at most this many distinct items apart in a session
    /// (bounds the cost of very long sessions).
    pub max_session_items: u32,
    /// "Viewed next" links a view to the views at most this many steps after it.
    pub next_window: u32,
    /// "Ultimately bought" links a view to the shopper's purchases at most this many days later.
    pub journey_days: u32,
    /// Only events inside this period are used (optional).
    pub period: Option<DateRange>,
    /// Events inside these periods are ignored (promotions, outages, bot attacks).
    pub exclude_periods: Vec<DateRange>,
    /// Keep the model as it is: `edgerec build` refuses to retrain (exit code 3) and `edgerec
    /// rebuild` does nothing, unless given `--force`.
    pub frozen: bool,
    /// `edgerec rebuild` retrains once the snapshot is this many days old (0: at every run), or
    /// when the configuration changed.
    pub every_days: u32,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        let mut weights = BTreeMap::new();
        weights.insert("view".to_string(), 1.0);
        weights.insert("cart".to_string(), 3.0);
        weights.insert("purchase".to_string(), 5.0);
        TrainingConfig {
            weights,
            timeframe_days: 90,
            half_life_days: 14.0,
            recent_days: 30,
            min_count: 3,
            neighbours: 30,
            list_size: 500,
            category_list_size: 100,
            session_gap_minutes: 30,
            max_session_items: 50,
            next_window: 5,
            journey_days: 7,
            period: None,
            exclude_periods: Vec::new(),
            frozen: false,
            every_days: 7,
        }
    }
}

/// What is wrong with a configuration, naming the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The dotted key (`widgets.upsell.threshold`).
    pub key: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

fn err(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError { key: key.into(), message: message.into() }
}

/// A number for a message: whole numbers as such, others to at most 4 decimals. Written with
/// integer formatting only, which keeps float formatting code out of the WebAssembly build.
pub fn show_number(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "infinity".into()
        } else {
            "-infinity".into()
        };
    }
    let scaled = (x.abs() * 10_000.0).round();
    if scaled >= 9e15 {
        return if x < 0.0 { "-a huge number".into() } else { "a huge number".into() };
    }
    let scaled = scaled as u64;
    let sign = if x < 0.0 && scaled > 0 { "-" } else { "" };
    let (int, frac) = (scaled / 10_000, scaled % 10_000);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let digits = format!("{frac:04}");
    format!("{sign}{int}.{}", digits.trim_end_matches('0'))
}

fn check_range(key: &str, v: Option<f64>, lo: f64, hi: f64) -> Result<(), ConfigError> {
    match v {
        Some(x) if !(lo..=hi).contains(&x) => Err(err(
            key,
            format!("{} is out of range: allowed {} to {}", show_number(x), show_number(lo), show_number(hi)),
        )),
        _ => Ok(()),
    }
}

fn check_dates(key: &str, range: &DateRange) -> Result<(), ConfigError> {
    let mut bounds = [None, None];
    for (i, (end, value)) in [("from", &range.from), ("to", &range.to)].into_iter().enumerate() {
        if let Some(v) = value {
            bounds[i] = Some(
                crate::time::parse_date(v)
                    .map_err(|e| err(format!("{key}.{end}"), format!("\"{v}\": {e} (expected YYYY-MM-DD)")))?,
            );
        }
    }
    if let [Some(a), Some(b)] = bounds {
        if a > b {
            return Err(err(key, "`from` is after `to`"));
        }
    }
    Ok(())
}

impl Config {
    /// Checks every value that the types alone do not constrain.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let t = &self.training;
        if t.min_count == 0 {
            return Err(err("training.min_count", "0 is out of range: allowed 1 or more (3 is the industry default)"));
        }
        if t.neighbours == 0 || t.neighbours > 1000 {
            return Err(err("training.neighbours", format!("{} is out of range: allowed 1 to 1000", t.neighbours)));
        }
        if t.list_size == 0 || t.category_list_size == 0 {
            return Err(err("training.list_size", "list sizes must be at least 1"));
        }
        if !(t.half_life_days >= 0.0 && t.half_life_days.is_finite()) {
            return Err(err("training.half_life_days", "must be 0 (no decay) or a positive number of days"));
        }
        if t.timeframe_days == 0 || t.recent_days == 0 || t.session_gap_minutes == 0 {
            return Err(err("training", "timeframe_days, recent_days and session_gap_minutes must be at least 1"));
        }
        if t.max_session_items < 2 {
            return Err(err("training.max_session_items", "must be at least 2"));
        }
        if t.journey_days == 0 || t.journey_days > 365 {
            return Err(err("training.journey_days", format!("{} is out of range: allowed 1 to 365", t.journey_days)));
        }
        if t.next_window == 0 || t.next_window > 50 {
            return Err(err("training.next_window", format!("{} is out of range: allowed 1 to 50", t.next_window)));
        }
        for (name, w) in &t.weights {
            if !(w.is_finite() && *w >= 0.0) {
                return Err(err(format!("training.weights.{name}"), "must be a number of 0 or more"));
            }
        }
        if let Some(p) = &t.period {
            check_dates("training.period", p)?;
        }
        for (i, p) in t.exclude_periods.iter().enumerate() {
            check_dates(&format!("training.exclude_periods[{i}]"), p)?;
        }
        self.for_you.validate("for_you")?;
        self.similarity.validate("similarity")?;
        self.trending.validate("trending")?;
        self.recurring.validate("recurring")?;
        self.segments.validate("segments")?;
        self.personalization.validate("personalization")?;
        editorial::validate_lists(&self.lists)?;
        submodel::validate_submodels(&self.submodels)?;
        for (name, w) in &self.widgets {
            if !editorial::valid_name(name) {
                return Err(err(format!("widgets.{name}"), "widget names use letters, digits, `_` and `-`"));
            }
            w.validate(&format!("widgets.{name}"))?;
            w.validate_lists(&format!("widgets.{name}"), &self.lists)?;
            w.validate_submodels(&format!("widgets.{name}"), &self.submodels)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_cover_every_algorithm() {
        let c = Config::default();
        c.validate().unwrap();
        for a in Algorithm::ALL {
            let w = &c.widgets[a.name()];
            assert_eq!(w.algorithm, a);
            assert_eq!(Algorithm::from_name(a.name()), Some(a));
            assert!(!w.chain().is_empty());
        }
    }

    #[test]
    fn numbers_in_messages() {
        assert_eq!(show_number(2.0), "2");
        assert_eq!(show_number(1.5), "1.5");
        assert_eq!(show_number(-0.125), "-0.125");
        assert_eq!(show_number(1e9), "1000000000");
        assert_eq!(show_number(49.775359788512084), "49.7754");
        assert_eq!(show_number(f64::NAN), "NaN");
    }

    #[test]
    fn validation_names_the_key() {
        let mut c = Config::default();
        c.widgets.get_mut("upsell").unwrap().threshold = 1.5;
        let e = c.validate().unwrap_err();
        assert_eq!(e.key, "widgets.upsell.threshold");
        assert!(e.message.contains("allowed 0 to 1"), "{e}");

        let mut c = Config::default();
        c.widgets.get_mut("popular").unwrap().filters.added =
            Some(vec![DateRange { from: Some("2024-02-30".into()), to: None }]);
        let e = c.validate().unwrap_err();
        assert_eq!(e.key, "widgets.popular.filters.added[0].from");

        let mut c = Config::default();
        c.training.min_count = 0;
        assert_eq!(c.validate().unwrap_err().key, "training.min_count");
    }
}
