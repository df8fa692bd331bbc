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

    /// How many groups (or ranges) it has.
    pub fn group_count(&self) -> usize {
        self.groups.len().max(self.ranges.len())
    }

    /// The group a value falls in, if any: a nominal value by name (any case), a numeric one
    /// by range. `None` for a value in no group (the main model applies).
    pub fn group_of(&self, value: &str) -> Option<usize> {
        let value = value.trim();
        if self.numeric() {
            self.group_of_number(parse_number(value)?)
        } else {
            self.groups.iter().position(|g| g.iter().any(|v| v.trim().eq_ignore_ascii_case(value)))
        }
    }

    /// The range a number falls in, if any (`[from, to)`, the last range including its `to`).
    pub fn group_of_number(&self, x: f64) -> Option<usize> {
        let last = self.ranges.len().checked_sub(1)?;
        self.ranges.iter().enumerate().position(|(i, r)| x >= r[0] && (x < r[1] || (x == r[1] && i == last)))
    }

    /// A group in words, for answers (`lime, green, olive` or `12 to 36`).
    pub fn describe(&self, group: usize) -> String {
        if self.numeric() {
            let r = self.ranges[group];
            format!("{} to {}", number(r[0]), number(r[1]))
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
        let n = self.group_count();
        if n > MAX_GROUPS {
            return Err(err(key, format!("{n} groups is too many: allowed at most {MAX_GROUPS}")));
        }
        for (i, g) in self.groups.iter().enumerate() {
            if g.is_empty() {
                return Err(err(format!("{key}.groups[{i}]"), "a group needs at least one value"));
            }
            for (j, v) in g.iter().enumerate() {
                let v = v.trim();
                if v.is_empty() {
                    return Err(err(format!("{key}.groups[{i}][{j}]"), "a value is not empty"));
                }
                // The first group holding the value, when it is an earlier one (or earlier in this one).
                let same = |w: &String| w.trim().eq_ignore_ascii_case(v);
                let first =
                    self.groups[..i].iter().position(|h| h.iter().any(same)).or((g[..j].iter().any(same)).then_some(i));
                if let Some(first) = first {
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
                    format!("[{}, {}]: `from` must be below `to`", number(r[0]), number(r[1])),
                ));
            }
            if i > 0 && self.ranges[i - 1][1] > r[0] {
                return Err(err(format!("{key}.ranges[{i}]"), "ranges are ascending and do not overlap"));
            }
        }
        Ok(())
    }
}

/// A number written as `[-]digits[.digits]` (what ranges compare; no exponent). Parsed with
/// integer arithmetic, which keeps the float parser out of the wasm.
pub fn parse_number(s: &str) -> Option<f64> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty() || whole.len() + frac.len() > 18 {
        return None;
    }
    let mut m: u64 = 0;
    for c in whole.bytes().chain(frac.bytes()) {
        if !c.is_ascii_digit() {
            return None;
        }
        m = m * 10 + u64::from(c - b'0');
    }
    let x = m as f64 / 10f64.powi(frac.len() as i32);
    Some(if neg { -x } else { x })
}

/// A number in words without float formatting (up to 6 decimals).
fn number(x: f64) -> String {
    let mut s = String::new();
    crate::json::decimal(&mut s, x, 6);
    s
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
            if s.numeric() && value != PRODUCT_VALUE && parse_number(value.trim()).is_none() {
                return Err(err(k, format!("\"{value}\" is not a number (`{}` has ranges)", s.attribute)));
            }
        }
        Ok(())
    }
}

/// A widget's submodel selections: (submodel, value) pairs sorted by name, each name once. A
/// sorted `Vec` rather than a map keeps a second map type's code out of the wasm; TOML, JSON and
/// the snapshot write it as a map.
pub type Picks = Vec<(String, String)>;

/// Sets `name` to `value` in `picks`, keeping them sorted.
pub fn put(picks: &mut Picks, name: String, value: String) {
    match picks.binary_search_by(|(k, _)| k.as_str().cmp(&name)) {
        Ok(i) => picks[i].1 = value,
        Err(i) => picks.insert(i, (name, value)),
    }
}

/// Reads [`Picks`] from a map whose values are strings or (in TOML and JSON) numbers, kept as
/// their text.
pub(super) fn values<'de, D: Deserializer<'de>>(d: D) -> Result<Picks, D::Error> {
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
    struct M;
    impl<'de> serde::de::Visitor<'de> for M {
        type Value = Picks;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a table of submodel names to values")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Picks, A::Error> {
            let mut out = Picks::new();
            while let Some((k, v)) = map.next_entry::<String, Loose>()? {
                put(&mut out, k, v.0);
            }
            Ok(out)
        }
    }
    d.deserialize_map(M)
}

/// Writes [`Picks`] as a map.
pub(super) fn write_values<S: serde::Serializer>(picks: &Picks, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(picks.iter().map(|(k, v)| (k, v)))
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
        assert_eq!(age.group_of("1e2"), None, "no exponents");
        assert_eq!(age.group_of("5.99"), Some(1));
        assert_eq!(parse_number("-2.5"), Some(-2.5));
        assert_eq!(parse_number("+7"), Some(7.0));
        assert_eq!(parse_number("."), None);
        assert_eq!(parse_number("1.2.3"), None);
        assert_eq!(parse_number(".5"), Some(0.5));
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
        put(&mut w.submodels, "colors".into(), PRODUCT_VALUE.into());
        put(&mut w.submodels, "age".into(), "2".into());
        assert!(w.validate_submodels("widgets.w", &m).is_ok());
        put(&mut w.submodels, "age".into(), "two".into());
        assert_eq!(w.validate_submodels("widgets.w", &m).unwrap_err().key, "widgets.w.submodels.age");
        put(&mut w.submodels, "sizes".into(), "M".into());
        let e = w.validate_submodels("widgets.w", &m).unwrap_err();
        assert_eq!(e.key, "widgets.w.submodels.age");
        w.submodels.retain(|(k, _)| k != "age");
        let e = w.validate_submodels("widgets.w", &m).unwrap_err();
        assert_eq!(
            (e.key.as_str(), e.message.as_str()),
            ("widgets.w.submodels.sizes", "no submodel \"sizes\"; submodels: age, colors")
        );
    }
}
