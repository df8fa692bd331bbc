//! `[similarity]`: which catalog attributes make two products similar, and how much each weighs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{err, ConfigError};

/// The attributes the `similar` model compares, with weights summing to 100. Keys are
/// `category`, `brand`, `title`, `price`, `tags` or the name of any extra catalog column
/// (`color`). The defaults weigh the category and brand more than title words and price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimilarityConfig {
    /// Attribute name to weight (0 to 100, summing to 100).
    pub attributes: BTreeMap<String, u32>,
    /// Similar products kept per product.
    pub neighbours: u32,
}

impl Default for SimilarityConfig {
    fn default() -> Self {
        let attributes = [("category", 40), ("brand", 30), ("title", 20), ("price", 10)];
        SimilarityConfig { attributes: attributes.iter().map(|&(k, v)| (k.to_string(), v)).collect(), neighbours: 10 }
    }
}

impl SimilarityConfig {
    /// Checks the weights (summing to 100) and the list size.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        check_attributes(&format!("{key}.attributes"), &self.attributes)?;
        if self.neighbours == 0 || self.neighbours > 200 {
            return Err(err(
                format!("{key}.neighbours"),
                format!("{} is out of range: allowed 1 to 200", self.neighbours),
            ));
        }
        Ok(())
    }
}

/// Checks similarity weights (`[similarity] attributes`, a widget's `similarity`): attribute
/// names, weights summing to 100; `key` names the table.
pub fn check_attributes(key: &str, attributes: &BTreeMap<String, u32>) -> Result<(), ConfigError> {
    let sum: u64 = attributes.values().map(|&w| u64::from(w)).sum();
    if sum != 100 {
        let given: Vec<String> = attributes.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        return Err(err(key, format!("the weights must sum to 100, these sum to {sum} ({})", given.join(", "))));
    }
    if let Some(name) = attributes.keys().find(|k| k.is_empty() || k.trim() != k.as_str()) {
        return Err(err(key, format!("\"{name}\" is not an attribute name")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_must_sum_to_100() {
        assert!(SimilarityConfig::default().validate("similarity").is_ok());
        let mut c = SimilarityConfig::default();
        c.attributes.insert("color".into(), 10);
        let e = c.validate("similarity").unwrap_err();
        assert_eq!(e.key, "similarity.attributes");
        assert!(e.message.contains("sum to 110") && e.message.contains("color = 10"), "{e}");
        c.neighbours = 0;
        c.attributes.remove("color");
        assert_eq!(c.validate("similarity").unwrap_err().key, "similarity.neighbours");
    }

    #[test]
    fn a_widgets_own_weights_sum_to_100_and_need_a_similar_step() {
        use crate::config::{Algorithm, Source, WidgetConfig};
        let mut w = WidgetConfig::for_algorithm(Algorithm::Similar);
        w.similarity = Some([("color".to_string(), 60), ("category".to_string(), 40)].into());
        assert!(w.validate("widgets.colour").is_ok());
        w.similarity.as_mut().unwrap().insert("brand".into(), 5);
        let e = w.validate("widgets.colour").unwrap_err();
        assert_eq!(e.key, "widgets.colour.similarity");
        assert!(e.message.contains("sum to 105"), "{e}");
        // Any widget with a `similar` step may have them; one without may not.
        let mut w = WidgetConfig::for_algorithm(Algorithm::Popular);
        w.similarity = Some([("color".to_string(), 100)].into());
        assert_eq!(w.validate("widgets.p").unwrap_err().key, "widgets.p.similarity");
        w.fallback.push(Source::Similar.into());
        assert!(w.validate("widgets.p").is_ok());
    }
}
