//! Editorial lists (`[lists.NAME]`): products a merchandiser names, in order, which a widget of
//! the `editorial` algorithm shows (`list = "NAME"`), or any widget as a fallback step
//! (`fallback = ["list:NAME", "popular"]`).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{err, Algorithm, ConfigError, Source, WidgetConfig, MAX_LIMIT};

/// The most products one list names.
pub const MAX_LIST_PRODUCTS: usize = MAX_LIMIT as usize * 10;

/// `[lists.NAME]`: a named static list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditorialList {
    /// Product ids, in the order shown.
    pub products: Vec<String>,
    /// The heading shown when the list fills a widget ("Summer sale"), and in each item's reason.
    #[serde(default)]
    pub title: Option<String>,
}

/// One step of a widget's `fallback`: a source (`"popular"`) or an editorial list
/// (`"list:summer_sale"`). Written as that string in TOML, JSON and the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A source.
    Source(Source),
    /// The editorial list of that name.
    List(String),
}

impl From<Source> for Step {
    fn from(s: Source) -> Step {
        Step::Source(s)
    }
}

impl Step {
    /// Reads `popular` or `list:NAME`; the error lists what is allowed.
    pub fn parse(s: &str) -> Result<Step, String> {
        if let Some(name) = s.strip_prefix("list:") {
            return Ok(Step::List(name.to_string()));
        }
        // force_include parses, so that validation can say where those products go instead.
        Source::from_name(s).map(Step::Source).ok_or_else(|| {
            let names: Vec<String> = Source::ALL[1..].iter().map(|s| format!("`{}`", s.name())).collect();
            format!("unknown fallback step `{s}`, expected `list:NAME` or one of {}", names.join(", "))
        })
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Source(s) => f.write_str(s.name()),
            Step::List(name) => write!(f, "list:{name}"),
        }
    }
}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Step, D::Error> {
        Step::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Names use letters, digits, `_` and `-` (widgets and lists alike).
pub(super) fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Checks each list's name and length.
pub(super) fn validate_lists(lists: &BTreeMap<String, EditorialList>) -> Result<(), ConfigError> {
    for (name, l) in lists {
        if !valid_name(name) {
            return Err(err(format!("lists.{name}"), "list names use letters, digits, `_` and `-`"));
        }
        if l.products.len() > MAX_LIST_PRODUCTS {
            return Err(err(
                format!("lists.{name}.products"),
                format!("{} products is too many: allowed at most {MAX_LIST_PRODUCTS}", l.products.len()),
            ));
        }
    }
    Ok(())
}

impl WidgetConfig {
    /// Checks that the lists the widget names (`list`, `list:NAME` fallback steps) exist in
    /// `lists`; `key` is the widget's dotted key.
    pub fn validate_lists(&self, key: &str, lists: &BTreeMap<String, EditorialList>) -> Result<(), ConfigError> {
        let missing = |k: String, name: &str| {
            let have: Vec<&str> = lists.keys().map(String::as_str).collect();
            let have = if have.is_empty() { "there are no [lists]".to_string() } else { have.join(", ") };
            err(k, format!("no list \"{name}\"; lists: {have}"))
        };
        if let Some(name) = &self.list {
            if self.algorithm != Algorithm::Editorial {
                return Err(err(format!("{key}.list"), "only a widget of the editorial algorithm reads a list"));
            }
            if !lists.contains_key(name) {
                return Err(missing(format!("{key}.list"), name));
            }
        }
        for (i, s) in self.fallback.iter().enumerate() {
            if let Step::List(name) = s {
                if !lists.contains_key(name) {
                    return Err(missing(format!("{key}.fallback[{i}]"), name));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn steps_read_and_write_as_strings() {
        assert_eq!(Step::parse("popular"), Ok(Step::Source(Source::Popular)));
        assert_eq!(Step::parse("list:summer_sale"), Ok(Step::List("summer_sale".into())));
        assert_eq!(Step::List("x".into()).to_string(), "list:x");
        let e = Step::parse("popularr").unwrap_err();
        assert!(e.contains("`popularr`") && e.contains("`list:NAME`") && e.contains("`most_viewed`"), "{e}");
    }

    #[test]
    fn unknown_lists_and_bad_names_are_errors_naming_the_key() {
        let mut c = Config::default();
        c.lists.insert("summer_sale".into(), EditorialList { products: vec!["a".into()], title: None });
        let mut w = WidgetConfig::for_algorithm(Algorithm::Popular);
        w.fallback = vec![Step::List("summer_salee".into()), Source::Popular.into()];
        c.widgets.insert("home".into(), w);
        let e = c.validate().unwrap_err();
        assert_eq!(e.to_string(), "widgets.home.fallback[0]: no list \"summer_salee\"; lists: summer_sale");

        c.widgets.get_mut("home").unwrap().fallback = vec![Step::List("summer_sale".into())];
        c.validate().unwrap();
        c.widgets.get_mut("home").unwrap().list = Some("summer_sale".into());
        assert_eq!(c.validate().unwrap_err().key, "widgets.home.list");
        c.widgets.get_mut("editorial").unwrap().list = Some("nope".into());
        c.widgets.get_mut("home").unwrap().list = None;
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "widgets.editorial.list: no list \"nope\"; lists: summer_sale"
        );

        let mut c = Config::default();
        c.lists.insert("bad name".into(), EditorialList::default());
        assert_eq!(c.validate().unwrap_err().key, "lists.bad name");
        let mut c = Config::default();
        c.lists.insert("big".into(), EditorialList { products: vec!["p".into(); 1001], title: None });
        assert_eq!(c.validate().unwrap_err().key, "lists.big.products");
    }
}
