//! `edgerec.toml`: reading it (on top of the built-in defaults) and printing the defaults.
//!
//! Every key is optional. `[training]` and `[for_you]` keys replace the defaults one by one;
//! `[training.weights]` adds to the default weights. Each `[widgets.NAME]` replaces the built-in
//! widget of that name; a widget named after an algorithm runs that algorithm unless it says
//! otherwise. `default_widgets = false` starts from no widgets at all.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::Error;
use crate::config::{default_widgets, Algorithm, Config, Filters, ForYouParams, Source, TrainingConfig, WidgetConfig};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default = "yes")]
    default_widgets: bool,
    #[serde(default)]
    blacklist: Vec<String>,
    #[serde(default)]
    training: TrainingConfig,
    #[serde(default)]
    for_you: ForYouParams,
    #[serde(default)]
    widgets: BTreeMap<String, WidgetFile>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WidgetFile {
    algorithm: Option<Algorithm>,
    title: Option<String>,
    limit: Option<u32>,
    threshold: Option<f32>,
    fallback: Option<Vec<Source>>,
    #[serde(default)]
    filters: Filters,
    exclude_purchased: Option<bool>,
    #[serde(default)]
    force_include: Vec<String>,
    force_include_out_of_stock: Option<bool>,
    for_you: Option<ForYouParams>,
}

/// Parses configuration text on top of the defaults and validates it.
pub fn parse_config(text: &str) -> Result<Config, String> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut training = file.training;
    for (k, v) in TrainingConfig::default().weights {
        training.weights.entry(k).or_insert(v);
    }
    let mut widgets = if file.default_widgets { default_widgets() } else { BTreeMap::new() };
    for (name, w) in file.widgets {
        let Some(algorithm) = w.algorithm.or_else(|| Algorithm::from_name(&name)) else {
            let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
            return Err(format!("widgets.{name}.algorithm: missing; allowed: {}", names.join(", ")));
        };
        let mut c = WidgetConfig::for_algorithm(algorithm);
        if let Some(v) = w.title {
            c.title = v;
        }
        if let Some(v) = w.limit {
            c.limit = v;
        }
        if let Some(v) = w.threshold {
            c.threshold = v;
        }
        if let Some(v) = w.fallback {
            c.fallback = v;
        }
        c.filters = w.filters;
        if let Some(v) = w.exclude_purchased {
            c.exclude_purchased = v;
        }
        c.force_include = w.force_include;
        if let Some(v) = w.force_include_out_of_stock {
            c.force_include_out_of_stock = v;
        }
        if let Some(v) = w.for_you {
            c.for_you = Some(v);
        }
        widgets.insert(name, c);
    }
    let config = Config { blacklist: file.blacklist, training, for_you: file.for_you, widgets };
    config.validate().map_err(|e| e.to_string())?;
    Ok(config)
}

/// Reads and validates a configuration file.
pub fn load_config(path: &Path) -> Result<Config, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    parse_config(&text).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// The documented defaults, as printed by `edgerec config`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("default_config.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_defaults_are_the_defaults() {
        assert_eq!(parse_config(DEFAULT_CONFIG_TOML).unwrap(), Config::default());
        assert_eq!(parse_config("").unwrap(), Config::default());
    }

    #[test]
    fn widgets_and_weights_merge_with_the_defaults() {
        let c = parse_config(
            r#"
            blacklist = ["gift-card"]
            [training]
            min_count = 5
            [training.weights]
            wishlist = 2.0
            [widgets.upsell]
            limit = 4
            [widgets.new_arrivals]
            algorithm = "popular"
            title = "New in"
            [widgets.new_arrivals.filters]
            added_within_days = 30
            "#,
        )
        .unwrap();
        assert_eq!(c.training.min_count, 5);
        assert_eq!(c.training.weights["wishlist"], 2.0);
        assert_eq!(c.training.weights["purchase"], 5.0);
        assert_eq!(c.widgets["upsell"].limit, 4);
        assert_eq!(c.widgets["upsell"].algorithm, Algorithm::Upsell);
        assert_eq!(c.widgets["new_arrivals"].filters.added_within_days, Some(30));
        assert!(c.widgets.contains_key("cross_sell"));
        assert_eq!(c.blacklist, ["gift-card"]);
    }

    #[test]
    fn errors_name_the_key_and_the_allowed_values() {
        let e = parse_config("[widgets.x]\nalgorithm = \"upsel\"\n").unwrap_err();
        assert!(e.contains("upsel") && e.contains("`upsell`") && e.contains("line 2"), "{e}");
        let e = parse_config("[widgets.mine]\nlimit = 3\n").unwrap_err();
        assert!(e.starts_with("widgets.mine.algorithm: missing; allowed: previously_viewed"), "{e}");
        let e = parse_config("[training]\nmin_cont = 3\n").unwrap_err();
        assert!(e.contains("min_cont") && e.contains("min_count"), "{e}");
        let e = parse_config("[widgets.upsell]\nlimit = 500\n").unwrap_err();
        assert_eq!(e, "widgets.upsell.limit: 500 is out of range: allowed 1 to 100");
        let e = parse_config("[widgets.upsell]\nfallback = [\"popular\", \"nope\"]\n").unwrap_err();
        assert!(e.contains("nope") && e.contains("`most_purchased`"), "{e}");
        let e = parse_config("default_widgets = false\n").unwrap();
        assert!(e.widgets.is_empty());
    }
}
