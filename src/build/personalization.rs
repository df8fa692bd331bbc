//! Group profiles for the personalisation models' IGP step: each shopper's profile, computed
//! by the engine's own code from their views and purchases as of the build time, averaged over
//! the shoppers of a group (their segment, and the cohort of the top-level category their first
//! event was in). Only groups of at least `min_count` shoppers, and values at least `min_count`
//! of them have, are kept (crate::personalization).

use rustc_hash::FxHashMap;

use crate::catalog::Catalog;
use crate::config::PersonalizationConfig;
use crate::engine::{personalize_start_key, Context, Personalizer, Timed};
use crate::ingest::events::{Event, PURCHASE, VIEW};
use crate::personalization::{FieldShares, GroupKey, GroupProfile, GroupProfiles, ModelGroups, MAX_GROUP_VALUES};
use crate::segments::segment_key;
use crate::walk::{Observer, Shopper};

/// Events of each kind read per shopper, most recent first (as the device reads at most).
const PER_SHOPPER: usize = 200;

#[derive(Default)]
struct Acc {
    shoppers: u32,
    /// (field, value) -> (sum of shares, shoppers with it).
    values: FxHashMap<(String, String), (f64, u32)>,
}

impl Observer for GroupWalk<'_> {
    fn observe(&mut self, s: &Shopper<'_>) {
        self.observe_events(s.iter(), s.segment.map(|x| x.1), s.gap);
    }
}

/// Collects group profiles while the builder walks its shoppers.
pub struct GroupWalk<'a> {
    catalog: &'a Catalog,
    personalizer: Personalizer,
    models: Vec<String>,
    as_of: i64,
    acc: Vec<FxHashMap<GroupKey, Acc>>,
}

impl<'a> GroupWalk<'a> {
    /// A walk for the models of `config` that use group profiles; `None` when personalisation
    /// is off or no model does.
    pub fn new(config: &PersonalizationConfig, catalog: &'a Catalog, as_of: i64) -> Option<Self> {
        let models: Vec<String> = config.models.iter().filter(|(_, m)| m.igp).map(|(n, _)| n.clone()).collect();
        if !config.enabled || models.is_empty() {
            return None;
        }
        let personalizer = Personalizer::new(config, &GroupProfiles::default(), catalog);
        let acc = models.iter().map(|_| FxHashMap::default()).collect();
        Some(GroupWalk { catalog, personalizer, models, as_of, acc })
    }

    /// Observes one shopper's events (in time order within sessions), their segment's name and
    /// the session gap.
    pub fn observe_events<'e>(
        &mut self,
        events: impl Iterator<Item = &'e Event> + Clone,
        segment: Option<&str>,
        gap: i64,
    ) {
        let c = self.catalog;
        let first = events.clone().min_by_key(|e| e.ts).map(|e| e.product);
        let mut keys: Vec<GroupKey> = Vec::with_capacity(2);
        if let Some(s) = segment {
            keys.push(GroupKey::Segment(segment_key(s)));
        }
        if let Some(k) = first.and_then(|p| personalize_start_key(c, p)) {
            keys.push(k);
        }
        if keys.is_empty() {
            return;
        }
        let mut timed: Vec<(i64, u16, u32)> =
            events.filter(|e| e.kind == VIEW || e.kind == PURCHASE).map(|e| (e.ts, e.kind, e.product)).collect();
        timed.sort_unstable_by_key(|t| std::cmp::Reverse(t.0));
        let list = |kind: u16| -> Vec<Timed> {
            timed
                .iter()
                .filter(|e| e.1 == kind)
                .take(PER_SHOPPER)
                .map(|e| Timed { id: c.id(e.2).to_string(), at: Some(e.0) })
                .collect()
        };
        let ctx =
            Context { past_views: list(VIEW), purchased: list(PURCHASE), now: Some(self.as_of), ..Default::default() };
        for (m, name) in self.models.iter().enumerate() {
            let Some(i) = self.personalizer.model_index(Some(name)) else { continue };
            let profile = self.personalizer.profile(c, i, &ctx, self.as_of, gap);
            if profile.is_empty() {
                continue;
            }
            for key in &keys {
                let acc = self.acc[m].entry(key.clone()).or_default();
                acc.shoppers += 1;
                for (f, values) in &profile.fields {
                    let field = self.personalizer.field_name(*f);
                    for &(v, share) in values {
                        let k = (field.to_string(), self.personalizer.value_name(c, *f, v).to_string());
                        let e = acc.values.entry(k).or_insert((0.0, 0));
                        e.0 += f64::from(share);
                        e.1 += 1;
                    }
                }
            }
        }
    }

    /// The group profiles with at least `min_count` shoppers, values of at least `min_count`.
    pub fn finish(self, min_count: u32) -> GroupProfiles {
        let mut out = GroupProfiles::default();
        for (model, groups) in self.models.into_iter().zip(self.acc) {
            let mut kept: Vec<GroupProfile> = Vec::new();
            for (key, acc) in groups {
                if acc.shoppers < min_count {
                    continue;
                }
                let mut by_field: FxHashMap<String, Vec<(String, f32)>> = FxHashMap::default();
                for ((field, value), (sum, users)) in acc.values {
                    if users >= min_count {
                        by_field.entry(field).or_default().push((value, (sum / f64::from(acc.shoppers)) as f32));
                    }
                }
                let mut fields: Vec<FieldShares> = by_field
                    .into_iter()
                    .map(|(field, mut values)| {
                        values.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                        values.truncate(MAX_GROUP_VALUES);
                        FieldShares { field, values }
                    })
                    .collect();
                fields.sort_by(|a, b| a.field.cmp(&b.field));
                if !fields.is_empty() {
                    kept.push(GroupProfile { key, shoppers: acc.shoppers, fields });
                }
            }
            kept.sort_by(|a, b| a.key.cmp(&b.key));
            out.models.push(ModelGroups { model, groups: kept });
        }
        out
    }
}
