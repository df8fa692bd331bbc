//! `[trending]`: the windows and the confidence floor of the trending model.

use serde::{Deserialize, Serialize};

use super::{err, ConfigError};

/// How the builder finds products whose demand is rising (the `trending` model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrendingConfig {
    /// Days of recent demand, before the as-of time.
    pub window_days: u32,
    /// Days of baseline, before the window.
    pub baseline_days: u32,
    /// Distinct shoppers a product needs in the window to trend (never fewer than
    /// `training.min_count`), so that one lucky sale does not trend.
    pub min_shoppers: u32,
}

impl Default for TrendingConfig {
    fn default() -> Self {
        TrendingConfig { window_days: 7, baseline_days: 30, min_shoppers: 5 }
    }
}

impl TrendingConfig {
    /// Checks the windows.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        if self.window_days == 0 || self.window_days > 365 {
            return Err(err(
                format!("{key}.window_days"),
                format!("{} is out of range: allowed 1 to 365", self.window_days),
            ));
        }
        if self.baseline_days < self.window_days || self.baseline_days > 3650 {
            return Err(err(
                format!("{key}.baseline_days"),
                format!("{} is out of range: allowed window_days ({}) to 3650", self.baseline_days, self.window_days),
            ));
        }
        Ok(())
    }
}
