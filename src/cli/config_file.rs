//! `edgerec.toml`: reading it (on top of the built-in defaults) and printing the defaults.
//!
//! Every key is optional. `[training]` and `[for_you]` keys replace the defaults one by one;
//! `[training.weights]` adds to the default weights. Each `[widgets.NAME]` is a
//! [`WidgetPatch`] layered over the built-in widget of that name, or, for a new name, over the
//! defaults of its `algorithm` (which may be left out when the name is an algorithm's); see
//! `crate::config` for the rule. `default_widgets = false` starts from no widgets at all.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::Error;
use crate::config::{
    default_widgets, Algorithm, Config, EditorialList, ForYouParams, PersonalizationConfig, RecurringConfig,
    SegmentsConfig, SimilarityConfig, Submodel, TrainingConfig, TrendingConfig, WidgetPatch,
};

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
    similarity: Option<SimilarityConfig>,
    #[serde(default)]
    trending: TrendingConfig,
    #[serde(default)]
    recurring: RecurringConfig,
    #[serde(default)]
    segments: SegmentsConfig,
    #[serde(default)]
    personalization: PersonalizationConfig,
    #[serde(default)]
    lists: BTreeMap<String, EditorialList>,
    #[serde(default)]
    submodels: BTreeMap<String, Submodel>,
    #[serde(default)]
    widgets: BTreeMap<String, WidgetPatch>,
}

fn yes() -> bool {
    true
}

/// Parses configuration text on top of the defaults and validates it.
pub fn parse_config(text: &str) -> Result<Config, String> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut training = file.training;
    for (k, v) in TrainingConfig::default().weights {
        training.weights.entry(k).or_insert(v);
    }
    let mut widgets = if file.default_widgets { default_widgets() } else { BTreeMap::new() };
    for (name, patch) in file.widgets {
        let w =
            patch.resolve(Some(&name), widgets.get(&name), &file.for_you).map_err(|e| format!("widgets.{name}.{e}"))?;
        widgets.insert(name, w);
    }
    // An editorial widget that names a list and keeps the default heading shows the list's title.
    for w in widgets.values_mut() {
        let title = w.list.as_ref().and_then(|l| file.lists.get(l)).and_then(|l| l.title.as_ref());
        if let (Some(t), true) = (title, w.title == Algorithm::Editorial.default_title()) {
            w.title = t.clone();
        }
    }
    // `[similarity] attributes` replaces the default weights as a whole (they must sum to 100).
    let similarity = file.similarity.unwrap_or_default();
    let config = Config {
        blacklist: file.blacklist,
        training,
        for_you: file.for_you,
        similarity,
        trending: file.trending,
        recurring: file.recurring,
        segments: file.segments,
        personalization: file.personalization,
        lists: file.lists,
        submodels: file.submodels,
        widgets,
    };
    config.validate().map_err(|e| e.to_string())?;
    Ok(config)
}

/// Reads and validates a configuration file.
pub fn load_config(path: &Path) -> Result<Config, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    parse_config(&text).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Whether the configuration file sets `[for_you]` weights itself (then the build does not tune
/// them). An unreadable file sets nothing here: [`load_config`] reports it.
pub fn sets_for_you(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    toml::from_str::<toml::Table>(&text).is_ok_and(|t| t.contains_key("for_you"))
}

/// The documented defaults, as printed by `edgerec config`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("default_config.toml");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Algorithm, WidgetConfig};
    use crate::engine::Recommender;
    use crate::snapshot::Snapshot;

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

    #[test]
    fn a_partial_widget_starts_from_the_built_in_one() {
        let c = parse_config("[widgets.buy_again]\nlimit = 5\n").unwrap();
        assert_eq!(c.widgets["buy_again"], WidgetConfig { limit: 5, ..WidgetConfig::buy_again() });
        // Naming the algorithm it runs already keeps its title and tuned weights.
        let c = parse_config("[widgets.buy_again]\nalgorithm = \"for_you\"\n").unwrap();
        assert_eq!(c.widgets["buy_again"], WidgetConfig::buy_again());
        // One weight given: the other tuned weights stay.
        let c = parse_config("[widgets.buy_again.for_you]\nhop_weight = 0.0\n").unwrap();
        assert_eq!(c.widgets["buy_again"].for_you, Some(ForYouParams { hop_weight: 0.0, ..ForYouParams::buy_again() }));
        // A widget without weights of its own takes the file's [for_you] for the others.
        let c = parse_config("[for_you]\nrecency_decay = 0.4\n[widgets.for_you.for_you]\nhop_weight = 0.0\n").unwrap();
        let want = ForYouParams { recency_decay: 0.4, hop_weight: 0.0, ..ForYouParams::default() };
        assert_eq!(c.widgets["for_you"].for_you, Some(want));
        // Another algorithm: custom keys stay, the old algorithm's defaults become the new one's.
        let c = parse_config("[widgets.buy_again]\nalgorithm = \"most_purchased\"\n").unwrap();
        let w = &c.widgets["buy_again"];
        assert_eq!(
            (w.title.as_str(), w.limit, w.exclude_purchased, w.for_you.as_ref()),
            ("Buy it again", 10, false, None)
        );
        // Without the built-in widgets there is nothing to start from but the algorithm.
        let c = parse_config("default_widgets = false\n[widgets.buy_again]\nalgorithm = \"for_you\"\n").unwrap();
        assert_eq!(c.widgets["buy_again"], WidgetConfig::for_algorithm(Algorithm::ForYou));
        let e = parse_config("default_widgets = false\n[widgets.buy_again]\nlimit = 5\n").unwrap_err();
        assert!(e.starts_with("widgets.buy_again.algorithm: missing; allowed: previously_viewed"), "{e}");
    }

    #[test]
    fn weights_on_a_widget_that_does_not_run_for_you_are_refused() {
        let e = parse_config("[widgets.popular.for_you]\nhop_weight = 1.0\n").unwrap_err();
        assert_eq!(e, "widgets.popular.for_you: only a widget of the for_you algorithm has weights");
        let e = parse_config("[widgets.buy_again.for_you]\nhop = 1.0\n").unwrap_err();
        assert!(e.contains("unknown field `hop`") && e.contains("`hop_weight`"), "{e}");
    }

    #[test]
    fn a_request_and_the_file_layer_a_patch_alike() {
        let base = "[for_you]\nrecency_decay = 0.4\n";
        let mut snapshot = Snapshot::decode(include_bytes!("../../tests/fixtures/small.snap")).unwrap();
        snapshot.config = parse_config(base).unwrap();
        let rec = Recommender::new(snapshot);
        for (name, patch) in [
            ("buy_again", "limit = 5\n"),
            ("buy_again", "algorithm = \"popular\"\ntitle = \"Again\"\n"),
            ("buy_again", "for_you = { popular_weight = 2.0 }\n"),
            ("for_you", "for_you = { hop_weight = 0.0 }\nfallback = []\n"),
            ("upsell", "limit = 3\nfilters = { price_min = 10.0, tags = [\"eco\"] }\n"),
            ("upsell", "algorithm = \"cross_sell\"\nforce_include = [\"P00001\"]\n"),
        ] {
            let from_file = parse_config(&format!("{base}[widgets.{name}]\n{patch}")).unwrap();
            let per_request: WidgetPatch = toml::from_str(patch).unwrap();
            assert_eq!(rec.widget_with(name, &per_request).unwrap(), from_file.widgets[name], "{name}: {patch}");
        }
        let e = rec.widget_with("popular", &toml::from_str("for_you = { hop_weight = 1.0 }").unwrap()).unwrap_err();
        assert_eq!(e.to_string(), "invalid option `for_you`: only a widget of the for_you algorithm has weights");
    }

    #[test]
    fn the_example_in_configuration_md_is_valid_and_layered() {
        let doc = include_str!("../../docs/configuration.md");
        let example = doc.split("```toml\n").nth(1).and_then(|b| b.split("```").next()).unwrap();
        let c = parse_config(example).unwrap();
        assert_eq!(c.widgets["buy_again"], WidgetConfig { limit: 5, ..WidgetConfig::buy_again() });
        let upsell = WidgetConfig { limit: 6, threshold: 0.2, ..WidgetConfig::for_algorithm(Algorithm::Upsell) };
        assert_eq!(c.widgets["upsell"], upsell);
    }
}
