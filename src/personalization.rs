//! Group profiles: the `personalization` snapshot section, read by the personalisation models'
//! IGP ("individual group profile") step when a shopper's own data is sparse.
//!
//! A group is a segment (a business account, stored as its [`crate::segments::segment_key`]
//! hash) or a cohort: the shoppers who started in the same top-level category. A group's profile
//! is, per field, the mean over its shoppers of each shopper's share of that value (each shopper
//! counts once, however much they did). A group is written only when at least
//! `training.min_count` distinct shoppers are in it, and a value only when at least `min_count`
//! of them have it; no shopper id, and nothing fewer shoppers did, is in the section.

use serde::{Deserialize, Serialize};

/// Values kept per field and group, best first.
pub const MAX_GROUP_VALUES: usize = 20;

/// Which shoppers a group profile describes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum GroupKey {
    /// The users of one segment, by [`crate::segments::segment_key`].
    Segment(u64),
    /// The shoppers whose first event was in this top-level category (its full name).
    Start(String),
}

/// One field of a group profile: values (brand names, category paths, tags, column values) with
/// the group's mean share of each, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldShares {
    /// The field (`brand`, `category`, `tag` or a catalog column).
    pub field: String,
    /// (value, share in 0 to 1), best first.
    pub values: Vec<(String, f32)>,
}

/// One group's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupProfile {
    /// The group.
    pub key: GroupKey,
    /// Distinct shoppers in it (at least `min_count`).
    pub shoppers: u32,
    /// The fields of the model, each with its values.
    pub fields: Vec<FieldShares>,
}

/// The group profiles of one personalisation model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelGroups {
    /// The model's name (a key of `[personalization.models]`).
    pub model: String,
    /// Its groups, in key order.
    pub groups: Vec<GroupProfile>,
}

/// The `personalization` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupProfiles {
    /// One entry per model of the configuration that was built.
    pub models: Vec<ModelGroups>,
}

impl GroupProfiles {
    /// Whether there is no group profile at all.
    pub fn is_empty(&self) -> bool {
        self.models.iter().all(|m| m.groups.is_empty())
    }

    /// Group profiles of `model`, if built.
    pub fn of(&self, model: &str) -> Option<&ModelGroups> {
        self.models.iter().find(|m| m.model == model)
    }

    /// Checks what the types do not: shares are numbers in 0 to 1, lists are bounded.
    pub fn check(&self) -> Result<(), String> {
        for m in &self.models {
            for g in &m.groups {
                for f in &g.fields {
                    if f.values.len() > MAX_GROUP_VALUES {
                        return Err(format!("model {}: a group has more than {MAX_GROUP_VALUES} values", m.model));
                    }
                    if f.values.iter().any(|(_, s)| !(0.0..=1.0).contains(s)) {
                        return Err(format!("model {}: a group share is not a number in 0 to 1", m.model));
                    }
                }
            }
        }
        Ok(())
    }
}
