//! Submodels (`[submodels.NAME]`): a model split by one catalog attribute, so that a widget can
//! ask for "bought together, in similar colours" or "most popular for this age band". A
//! submodel groups the attribute's values: named groups of values (nominal attributes) or
//! ranges `[from, to)` (numeric ones, the last range including its `to`). A widget or request
//! selects a group per submodel (`submodels = { colors = "$product" }`): its own steps then
//! keep only products in every selected group; its fallback steps are not restricted.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::editorial::valid_name;
use super::{err, ConfigError, WidgetConfig};

/// The value that selects the current product's group.
pub const PRODUCT_VALUE: &str = "$product";
/// The most groups (or ranges) one submodel has.
pub const MAX_GROUPS: usize = 1000;
/// The most submodels a configuration defines.
pub const MAX_SUBMODELS: usize = 32;

/// `[submodels.NAME]`: groups of one attribute's values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submodel {
    /// The catalog attribute: `brand`, `price`, or an extra catalog column (`color`, `age`).
    pub attribute: String,
    /// Groups of values (nominal attributes), compared without regard to case:
    /// `[["lime", "green", "olive"], ["red", "crimson"]]`.
    #[serde(default)]
    pub groups: Vec<Vec<String>>,
    /// Ranges `[from, to)` of a numeric attribute, ascending and not overlapping; the last one
    /// includes its `to`.
    #[serde(default)]
    pub ranges: Vec<[f64; 2]>,
}

impl Submodel {
    /// Whether the attribute is numeric (the submodel has ranges).
    pub fn numeric(&self) -> bool {
        !self.ranges.is_empty()
    }

    /// The group a value falls in, if any: a nominal value by name (any case), a numeric one
    /// by range. `None` for a value in no group (the main model applies).
    pub fn group_of(&self, value: &str) -> Option<usize> {
        let value = value.trim();
        if self.numeric() {
            let x: f64 = value.parse().ok().filter(|x: &f64| x.is_finite())?;
            let last = self.ranges.len() - 1;
            self.ranges.iter().position(|r| x >= r[0] && (x < r[1] || (x == r[1] && self.ranges[last] == *r)))
        } else {
            self.groups.iter().position(|g| g.iter().any(|v| v.trim().eq_ignore_ascii_case(value)))
        }
    }

    /// A group in words, for answers (`lime, green, olive` or `12 to 36`).
    pub fn describe(&self, group: usize) -> String {
        if self.numeric() {
            let r = self.ranges[group];
            format!("{} to {}", r[0], r[1])
        } else {
            self.groups[group].join(", ")
        }
    }

    fn validate(&self, key: &str) -> Result<(), ConfigError> {
        if self.attribute.trim().is_empty() {
            return Err(err(format!("{key}.attribute"), "name the catalog attribute (`color`, `price`, ...)"));
        }
        match (self.groups.is_empty(), self.ranges.is_empty()) {
            (true, true) => return Err(err(key, "give `groups` (lists of values) or `ranges` ([from, to] pairs)")),
            (false, false) => return Err(err(key, "give `groups` or `ranges`, not both")),
            _ => {}
        }
        let n = self.groups.len().max(self.ranges.len());
        if n > MAX_GROUPS {
            return Err(err(key, format!("{n} groups is too many: allowed at most {MAX_GROUPS}")));
        }
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (i, g) in self.groups.iter().enumerate() {
            if g.is_empty() {
                return Err(err(format!("{key}.groups[{i}]"), "a group needs at least one value"));
            }
            for (j, v) in g.iter().enumerate() {
                let low = v.trim().to_ascii_lowercase();
                if low.is_empty() {
                    return Err(err(format!("{key}.groups[{i}][{j}]"), "a value is not empty"));
                }
                if let Some(first) = seen.insert(low, i) {
                    return Err(err(
                        format!("{key}.groups[{i}][{j}]"),
                        format!("\"{v}\" is already in groups[{first}]: a value selects one group"),
                    ));
                }
            }
        }
        for (i, r) in self.ranges.iter().enumerate() {
            if !(r[0].is_finite() && r[1].is_finite() && r[0] < r[1]) {
                return Err(err(
                    format!("{key}.ranges[{i}]"),
                    format!("[{}, {}]: `from` must be below `to`", r[0], r[1]),
                ));
            }
            if i > 0 && self.ranges[i - 1][1] > r[0] {
                return Err(err(format!("{key}.ranges[{i}]"), "ranges are ascending and do not overlap"));
            }
        }
        Ok(())
    }
}

/// Checks every `[submodels.NAME]`.
pub(super) fn validate_submodels(submodels: &BTreeMap<String, Submodel>) -> Result<(), ConfigError> {
    if submodels.len() > MAX_SUBMODELS {
        return Err(err("submodels", format!("{} submodels is too many: allowed {MAX_SUBMODELS}", submodels.len())));
    }
    for (name, s) in submodels {
        if !valid_name(name) {
            return Err(err(format!("submodels.{name}"), "submodel names use letters, digits, `_` and `-`"));
        }
        s.validate(&format!("submodels.{name}"))?;
    }
    Ok(())
}

impl WidgetConfig {
    /// Checks that the submodels the widget selects exist in `submodels` and that a numeric
    /// one is given a number (or `$product`); `key` is the widget's dotted key.
    pub fn validate_submodels(&self, key: &str, submodels: &BTreeMap<String, Submodel>) -> Result<(), ConfigError> {
        for (name, value) in &self.submodels {
            let k = format!("{key}.submodels.{name}");
            let Some(s) = submodels.get(name) else {
                let have: Vec<&str> = submodels.keys().map(String::as_str).collect();
                let have = if have.is_empty() { "there are no [submodels]".to_string() } else { have.join(", ") };
                return Err(err(k, format!("no submodel \"{name}\"; submodels: {have}")));
            };
            if value.trim().is_empty() {
                return Err(err(k, format!("give a value of `{}` or \"{PRODUCT_VALUE}\"", s.attribute)));
            }
            if s.numeric() && value != PRODUCT_VALUE && value.trim().parse::<f64>().map_or(true, |x| !x.is_finite()) {
                return Err(err(k, format!("\"{value}\" is not a number (`{}` has ranges)", s.attribute)));
            }
        }
        Ok(())
    }
}

/// A submodel value as TOML or JSON give it: a string, or a number (kept as its text).
/// Binary forms (the snapshot) hold the string.
pub(super) fn values<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    struct Loose(String);
    impl<'de> Deserialize<'de> for Loose {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Loose;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a value (string or number) or \"$product\"")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Loose, E> {
                    Ok(Loose(v.to_string()))
                }
                fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Loose, E> {
                    Ok(Loose(v.to_string()))
                }
                fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Loose, E> {
                    Ok(Loose(v.to_string()))
                }
                fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Loose, E> {
                    Ok(Loose(v.to_string()))
                }
            }
            if d.is_human_readable() {
                d.deserialize_any(V)
            } else {
                d.deserialize_str(V)
            }
        }
    }
    let m: BTreeMap<String, Loose> = BTreeMap::deserialize(d)?;
    Ok(m.into_iter().map(|(k, v)| (k, v.0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colors() -> Submodel {
        let g = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        Submodel {
            attribute: "color".into(),
            groups: vec![g(&["lime", "green", "olive"]), g(&["red", "crimson"])],
            ranges: vec![],
        }
    }

    #[test]
    fn values_select_their_group() {
        let c = colors();
        assert_eq!(c.group_of("Green"), Some(0), "any case");
        assert_eq!(c.group_of(" crimson "), Some(1));
        assert_eq!(c.group_of("blue"), None, "in no group: the main model");
        let age =
            Submodel { attribute: "age".into(), groups: vec![], ranges: vec![[0.0, 3.0], [3.0, 6.0], [6.0, 12.0]] };
        assert_eq!(age.group_of("0"), Some(0));
        assert_eq!(age.group_of("3"), Some(1), "[from, to): 3 is in the second range");
        assert_eq!(age.group_of("12"), Some(2), "the last range includes its `to`");
        assert_eq!(age.group_of("12.5"), None);
        assert_eq!(age.group_of("-1"), None);
        assert_eq!(age.group_of("three"), None);
        assert_eq!(age.describe(1), "3 to 6");
        assert_eq!(c.describe(1), "red, crimson");
    }

    #[test]
    fn bad_submodels_name_the_key() {
        let mut m = BTreeMap::new();
        m.insert("colors".to_string(), colors());
        assert!(validate_submodels(&m).is_ok());
        m.get_mut("colors").unwrap().groups[1].push("LIME".into());
        let e = validate_submodels(&m).unwrap_err();
        assert_eq!(e.key, "submodels.colors.groups[1][2]");
        assert!(e.message.contains("already in groups[0]"), "{}", e.message);
        let age = |ranges: Vec<[f64; 2]>| Submodel { attribute: "age".into(), groups: vec![], ranges };
        m.insert("colors".into(), age(vec![[0.0, 5.0], [4.0, 8.0]]));
        assert_eq!(validate_submodels(&m).unwrap_err().key, "submodels.colors.ranges[1]");
        m.insert("colors".into(), age(vec![[5.0, 5.0]]));
        assert_eq!(validate_submodels(&m).unwrap_err().key, "submodels.colors.ranges[0]");
        m.insert("colors".into(), Submodel { attribute: "age".into(), ..Default::default() });
        assert!(validate_submodels(&m).unwrap_err().message.contains("give `groups`"));
    }

    #[test]
    fn a_widget_names_existing_submodels_with_fitting_values() {
        let mut m = BTreeMap::new();
        m.insert("colors".to_string(), colors());
        m.insert("age".to_string(), Submodel { attribute: "age".into(), groups: vec![], ranges: vec![[0.0, 3.0]] });
        let mut w = WidgetConfig::for_algorithm(crate::config::Algorithm::AlsoBought);
        w.submodels.insert("colors".into(), PRODUCT_VALUE.into());
        w.submodels.insert("age".into(), "2".into());
        assert!(w.validate_submodels("widgets.w", &m).is_ok());
        w.submodels.insert("age".into(), "two".into());
        assert_eq!(w.validate_submodels("widgets.w", &m).unwrap_err().key, "widgets.w.submodels.age");
        w.submodels.insert("sizes".into(), "M".into());
        let e = w.validate_submodels("widgets.w", &m).unwrap_err();
        assert_eq!(e.key, "widgets.w.submodels.age");
        w.submodels.remove("age");
        let e = w.validate_submodels("widgets.w", &m).unwrap_err();
        assert_eq!(
            (e.key.as_str(), e.message.as_str()),
            ("widgets.w.submodels.sizes", "no submodel \"sizes\"; submodels: age, colors")
        );
    }
}
