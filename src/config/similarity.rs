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
        let sum: u64 = self.attributes.values().map(|&w| u64::from(w)).sum();
        if sum != 100 {
            let given: Vec<String> = self.attributes.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            return Err(err(
                format!("{key}.attributes"),
                format!("the weights must sum to 100, these sum to {sum} ({})", given.join(", ")),
            ));
        }
        if let Some(name) = self.attributes.keys().find(|k| k.is_empty() || k.trim() != k.as_str()) {
            return Err(err(format!("{key}.attributes"), format!("\"{name}\" is not an attribute name")));
        }
        if self.neighbours == 0 || self.neighbours > 200 {
            return Err(err(
                format!("{key}.neighbours"),
                format!("{} is out of range: allowed 1 to 200", self.neighbours),
            ));
        }
        Ok(())
    }
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
}
