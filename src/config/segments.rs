//! `[segments]`: the B2B segment models (a segment is a business account: a group of users).

use serde::{Deserialize, Serialize};

use super::{check_range, ConfigError};

/// What the builder writes for each segment, and whether it writes anything.
///
/// A segment's lists are written only when at least `training.min_count` distinct users of the
/// segment are in the events; anyone holding the segment id can read them (the edge worker can
/// require a signed segment token, docs/segments.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentsConfig {
    /// Off: no segment list is written, and the segment widgets fall back.
    pub enabled: bool,
    /// `segment_last_purchased` keeps purchases of the last `purchased_days` before the request
    /// (before the build's as-of time when the request comes later).
    pub purchased_days: u32,
    /// `segment_recurring` looks at the segment's purchases of the last `recurring_days`.
    pub recurring_days: u32,
    /// Products kept per segment list.
    pub list_size: u32,
}

impl Default for SegmentsConfig {
    fn default() -> Self {
        SegmentsConfig { enabled: true, purchased_days: 10, recurring_days: 180, list_size: 50 }
    }
}

impl SegmentsConfig {
    /// Checks the ranges.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        let range =
            |name: &str, v: u32, lo: f64, hi: f64| check_range(&format!("{key}.{name}"), Some(f64::from(v)), lo, hi);
        range("purchased_days", self.purchased_days, 1.0, 3650.0)?;
        range("recurring_days", self.recurring_days, 1.0, 3650.0)?;
        range("list_size", self.list_size, 1.0, 1000.0)
    }
}
