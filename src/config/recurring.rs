//! `[recurring]`: when a product bought regularly is due again (the `recurring` model).

use serde::{Deserialize, Serialize};

use super::{check_range, err, ConfigError};

/// How the builder learns repurchase intervals and when the engine shows a product again.
///
/// The builder keeps a product when at least `training.min_count` distinct shoppers bought it
/// twice or more, its typical interval (the median over those shoppers of each one's median gap)
/// is at least `min_period_days`, and the pattern is regular: the interquartile range of the
/// shoppers' gaps is at most `max_spread` times the interval. The engine shows a product from
/// `show_from` intervals after its last purchase to `stop_after` intervals; a shopper who bought
/// it `personal_purchases` times or more is ranked by their own median gap instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecurringConfig {
    /// Shortest interval kept, in days (purchases closer than a day count as one).
    pub min_period_days: f32,
    /// Largest interquartile range of the shoppers' gaps, as a share of the interval.
    pub max_spread: f32,
    /// Share of the interval after the last purchase from which the product is shown.
    pub show_from: f32,
    /// Intervals after the last purchase past which a product is too overdue to be shown.
    pub stop_after: f32,
    /// Purchases of one product from which the shopper's own interval wins.
    pub personal_purchases: u32,
}

impl Default for RecurringConfig {
    fn default() -> Self {
        RecurringConfig {
            min_period_days: 4.0,
            max_spread: 1.0,
            show_from: 0.8,
            stop_after: 3.0,
            personal_purchases: 3,
        }
    }
}

impl RecurringConfig {
    /// Checks the ranges.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        let range = |name: &str, v: f64, lo: f64, hi: f64| check_range(&format!("{key}.{name}"), Some(v), lo, hi);
        range("min_period_days", f64::from(self.min_period_days), 1.0, 3650.0)?;
        range("max_spread", f64::from(self.max_spread), 0.0, 10.0)?;
        range("show_from", f64::from(self.show_from), 0.0, 1.0)?;
        range("stop_after", f64::from(self.stop_after), 1.0, 100.0)?;
        if self.stop_after < self.show_from {
            return Err(err(format!("{key}.stop_after"), "must be at least show_from".to_string()));
        }
        range("personal_purchases", f64::from(self.personal_purchases), 2.0, 100.0)
    }
}
