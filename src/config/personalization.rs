//! `[personalization]`: how lists are re-ranked by the shopper's affinities, computed on the
//! device from the Session (docs/personalization.md).
//!
//! A model says which product fields a shopper has affinities for (brand, category, tag, or any
//! extra catalog column such as `color`), how much each counts, which events build them and how
//! fast they fade. At most [`MAX_MODELS`] models are declared; `active` names the one applied,
//! and a widget or a request may name another (an A/B test of two models needs no rebuild).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{check_range, err, ConfigError};

/// The most models one configuration declares (one default and two custom).
pub const MAX_MODELS: usize = 3;
/// The fields every catalog has; any other field names an extra catalog column.
pub const BUILT_IN_FIELDS: [&str; 3] = ["brand", "category", "tag"];
/// The events a profile is built from: views, cart additions, purchases, and searches the
/// storefront records with `session.search(query)`.
pub const EVENTS: [&str; 4] = ["view", "cart", "purchase", "search"];

/// `[personalization]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonalizationConfig {
    /// Off: lists depend only on relevance, popularity and merchandising rules. Off by default,
    /// so that upgrading changes no list until a merchandiser turns it on.
    pub enabled: bool,
    /// The model applied (a key of `models`).
    pub active: String,
    /// How far a profile may move an item, 0 to 1: an item's score becomes
    /// `(1 - strength) * relevance + strength * affinity`.
    pub strength: f32,
    /// Events (each counted by its decay) at which the shopper's own profile fully replaces
    /// their group's: with `n` events, the own profile weighs `n / (n + group_until_events)`.
    pub group_until_events: f32,
    /// The models, by name.
    pub models: BTreeMap<String, PersonalizationModel>,
}

impl Default for PersonalizationConfig {
    fn default() -> Self {
        PersonalizationConfig {
            enabled: false,
            active: "default".to_string(),
            strength: 0.3,
            group_until_events: 5.0,
            models: [("default".to_string(), PersonalizationModel::default())].into_iter().collect(),
        }
    }
}

/// `[personalization.models.NAME]`: one personalisation model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonalizationModel {
    /// Field name to weight (summing to 100): `brand`, `category`, `tag` or an extra catalog
    /// column (`color`).
    pub fields: BTreeMap<String, u32>,
    /// Event kind to weight (summing to 100): `view`, `cart`, `purchase`, `search`.
    pub events: BTreeMap<String, u32>,
    /// Events older than this many days do not count; inside the window an event's weight falls
    /// linearly from 1 (now) to 0 (the window's start).
    pub decay_days: f32,
    /// Count the current session's events at once.
    pub in_session: bool,
    /// Count the shopper's stored history (past sessions, purchases, searches).
    pub icp: bool,
    /// When the shopper's own data is sparse, use their group's profile (their segment, else
    /// the cohort of the top-level category they started in), written by the builder.
    pub igp: bool,
    /// Category-wise overrides: for a product in (or under) a category named here, that
    /// category's fields and weights are used instead of the global ones.
    pub categories: BTreeMap<String, CategoryFields>,
}

impl Default for PersonalizationModel {
    fn default() -> Self {
        let map = |pairs: &[(&str, u32)]| pairs.iter().map(|&(k, v)| (k.to_string(), v)).collect();
        PersonalizationModel {
            fields: map(&[("brand", 50), ("category", 50)]),
            events: map(&[("purchase", 50), ("cart", 30), ("view", 20)]),
            decay_days: 30.0,
            in_session: true,
            icp: true,
            igp: true,
            categories: BTreeMap::new(),
        }
    }
}

/// `[personalization.models.NAME.categories."PATH"]`: the fields of one category's products.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CategoryFields {
    /// Field name to weight (summing to 100).
    pub fields: BTreeMap<String, u32>,
}

fn check_weights(key: &str, weights: &BTreeMap<String, u32>, allowed: Option<&[&str]>) -> Result<(), ConfigError> {
    for name in weights.keys() {
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            return Err(err(format!("{key}.{name}"), "is not a field name (letters, digits, `_`, `-`)"));
        }
        if let Some(allowed) = allowed.filter(|a| !a.contains(&name.as_str())) {
            return Err(err(format!("{key}.{name}"), format!("unknown event: allowed {}", allowed.join(", "))));
        }
    }
    let sum: u64 = weights.values().map(|&w| u64::from(w)).sum();
    if sum != 100 {
        let given: Vec<String> = weights.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        return Err(err(key, format!("the weights must sum to 100, these sum to {sum} ({})", given.join(", "))));
    }
    Ok(())
}

impl PersonalizationConfig {
    /// Checks the rules that need no catalog: weights summing to 100, known events, at most
    /// three models, `active` naming one. [`PersonalizationConfig::check_catalog`] checks the
    /// field and category names against a catalog.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        check_range(&format!("{key}.strength"), Some(f64::from(self.strength)), 0.0, 1.0)?;
        check_range(&format!("{key}.group_until_events"), Some(f64::from(self.group_until_events)), 0.0, 1000.0)?;
        if self.models.len() > MAX_MODELS {
            let names: Vec<&str> = self.models.keys().map(String::as_str).collect();
            return Err(err(
                format!("{key}.models"),
                format!(
                    "at most {MAX_MODELS} models (one default and two custom); {} are declared: {}",
                    names.len(),
                    names.join(", ")
                ),
            ));
        }
        if !self.models.contains_key(&self.active) {
            let names: Vec<&str> = self.models.keys().map(String::as_str).collect();
            return Err(err(
                format!("{key}.active"),
                format!("\"{}\" names no model; the models are: {}", self.active, names.join(", ")),
            ));
        }
        for (name, m) in &self.models {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                return Err(err(format!("{key}.models.{name}"), "model names use letters, digits, `_` and `-`"));
            }
            let mk = format!("{key}.models.{name}");
            check_weights(&format!("{mk}.fields"), &m.fields, None)?;
            check_weights(&format!("{mk}.events"), &m.events, Some(&EVENTS))?;
            check_range(&format!("{mk}.decay_days"), Some(f64::from(m.decay_days)), 1.0, 3650.0)?;
            for (path, c) in &m.categories {
                check_weights(&format!("{mk}.categories.\"{path}\".fields"), &c.fields, None)?;
            }
        }
        Ok(())
    }

    /// Checks that every field is a built-in field or one of `columns` (the catalog's extra
    /// columns) and every category override names a category (`has_category`).
    pub fn check_catalog(
        &self,
        key: &str,
        columns: &[String],
        has_category: impl Fn(&str) -> bool,
    ) -> Result<(), ConfigError> {
        let check = |k: String, fields: &BTreeMap<String, u32>| {
            for f in fields.keys() {
                if !BUILT_IN_FIELDS.contains(&f.as_str()) && !columns.contains(f) {
                    let mut known: Vec<&str> = BUILT_IN_FIELDS.to_vec();
                    known.extend(columns.iter().map(String::as_str));
                    return Err(err(format!("{k}.{f}"), format!("unknown field: allowed {}", known.join(", "))));
                }
            }
            Ok(())
        };
        for (name, m) in &self.models {
            let mk = format!("{key}.models.{name}");
            check(format!("{mk}.fields"), &m.fields)?;
            for (path, c) in &m.categories {
                let ck = format!("{mk}.categories.\"{path}\"");
                if !has_category(path) {
                    return Err(err(ck, "names no category of the catalog"));
                }
                check(format!("{ck}.fields"), &c.fields)?;
            }
        }
        Ok(())
    }

    /// Every field any model uses, sorted and without repeats.
    pub fn fields(&self) -> Vec<&str> {
        // BTreeMap keys are sorted already: merge them without a sort (smaller wasm).
        let mut f: Vec<&str> = Vec::new();
        for k in self
            .models
            .values()
            .flat_map(|m| m.fields.keys().chain(m.categories.values().flat_map(|c| c.fields.keys())))
        {
            if let Err(i) = f.binary_search(&k.as_str()) {
                f.insert(i, k);
            }
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut PersonalizationConfig)) -> ConfigError {
        let mut c = PersonalizationConfig::default();
        f(&mut c);
        c.validate("personalization").unwrap_err()
    }

    #[test]
    fn each_rule_names_its_key() {
        PersonalizationConfig::default().validate("personalization").unwrap();
        let e = with(|c| *c.models.get_mut("default").unwrap().fields.get_mut("brand").unwrap() = 60);
        assert_eq!(e.key, "personalization.models.default.fields");
        assert!(e.message.contains("sum to 110") && e.message.contains("brand = 60"), "{e}");
        let e = with(|c| {
            c.models.get_mut("default").unwrap().events.insert("wishlist".into(), 0);
        });
        assert_eq!(e.key, "personalization.models.default.events.wishlist");
        assert!(e.message.contains("view, cart, purchase, search"), "{e}");
        let e = with(|c| c.active = "summer".into());
        assert_eq!(e.key, "personalization.active");
        assert!(e.message.contains("\"summer\"") && e.message.contains("default"), "{e}");
        let e = with(|c| {
            for n in ["a", "b", "c"] {
                c.models.insert(n.into(), PersonalizationModel::default());
            }
        });
        assert_eq!(e.key, "personalization.models");
        assert!(e.message.contains("at most 3"), "{e}");
        let e = with(|c| c.strength = 1.5);
        assert_eq!(e.key, "personalization.strength");
        let e = with(|c| {
            let fields = [("size".to_string(), 70)].into_iter().collect();
            c.models.get_mut("default").unwrap().categories.insert("Fashion".into(), CategoryFields { fields });
        });
        assert_eq!(e.key, "personalization.models.default.categories.\"Fashion\".fields");
    }

    #[test]
    fn fields_are_checked_against_the_catalog() {
        let mut c = PersonalizationConfig::default();
        c.models.get_mut("default").unwrap().fields = [("brand".to_string(), 50), ("colour".to_string(), 50)].into();
        c.validate("personalization").unwrap();
        let columns = vec!["color".to_string(), "size".to_string()];
        let e = c.check_catalog("personalization", &columns, |_| true).unwrap_err();
        assert_eq!(e.key, "personalization.models.default.fields.colour");
        assert!(e.message.contains("brand, category, tag, color, size"), "{e}");
        c.models.get_mut("default").unwrap().fields = [("color".to_string(), 100)].into();
        c.check_catalog("personalization", &columns, |_| true).unwrap();
        c.models.get_mut("default").unwrap().categories.insert("Toys".into(), CategoryFields::default());
        let e = c.check_catalog("personalization", &columns, |p| p == "Fashion").unwrap_err();
        assert_eq!(e.key, "personalization.models.default.categories.\"Toys\"");
        assert_eq!(c.fields(), ["color"]);
    }
}
