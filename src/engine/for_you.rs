//! The in-session list (`for_you`, and `buy_again` with its own weights): neighbours of every
//! session item, recent ones weighing more, two hops, the session items themselves, past
//! purchases and a popularity prior, summed into a per-thread score array.

use super::scratch::Scratch;
use super::*;
use crate::config::{ForYouParams, SessionShape};

/// The anchor of a candidate that no session item led to (the popularity prior).
const NO_ANCHOR: u32 = u32::MAX;

impl Snapshot {
    /// The weights of a `for_you` widget without weights of its own: those the build fitted to
    /// the store ([`Snapshot::tuned`]), else the configuration's `[for_you]`.
    pub fn for_you_params(&self) -> &ForYouParams {
        self.tuned.as_ref().map_or(&self.config.for_you, |t| &t.params)
    }
}

impl Recommender {
    /// Replaces the snapshot's fitted `for_you` weights (the build's tuning tries each setting
    /// through the engine this way).
    pub fn set_tuned(&mut self, tuned: Option<crate::config::TunedForYou>) {
        self.snapshot.tuned = tuned;
    }
}

impl Run<'_> {
    /// The in-session list: neighbours of every session item, recent ones weighing more, and the
    /// session items themselves (shoppers come back to them).
    pub(super) fn for_you(&self) -> Vec<(u32, f32, Option<u32>)> {
        let params = self.w.config.for_you.as_ref().unwrap_or(self.rec.snapshot.for_you_params());
        // The refinements by session shape come with the fitted weights only.
        let shape = match (&self.w.config.for_you, &self.rec.snapshot.tuned) {
            (None, Some(t)) => t.shape,
            _ => SessionShape::default(),
        };
        let n = &self.rec.snapshot.neighbours;
        let mut items: Vec<(u32, f32)> = Vec::with_capacity(MAX_SESSION_ITEMS);
        let mut w = 1.0f32;
        for &p in self.q.views.iter().take(MAX_SESSION_ITEMS) {
            items.push((p, w));
            w *= params.recency_decay;
        }
        for &p in self.q.cart.iter().rev().take(MAX_SESSION_ITEMS) {
            items.push((p, params.cart_boost));
        }
        // Past purchases: each line adds purchase_decay^j (j = 0 for the most recent line), so an
        // item's weight blends how often and how lately it was bought.
        let mut bought: Vec<(u32, f32)> = Vec::new();
        let mut lw = 1.0f32;
        for &p in self.q.purchased.iter().take(MAX_PURCHASE_LINES) {
            if let Some(b) = bought.iter_mut().find(|b| b.0 == p) {
                b.1 += lw;
            } else {
                bought.push((p, lw));
            }
            lw *= params.purchase_decay;
        }
        bought.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        bought.truncate(MAX_SESSION_ITEMS);
        // Per product: its score and the session item that contributed most (its anchor).
        Scratch::with(self.catalog().len(), |acc| {
            let tables: [(&NeighbourTable, f32); 4] = [
                (&n.next, params.next_weight),
                (&n.viewed, params.together_weight),
                (&n.bought, params.bought_weight),
                (&n.carted, params.bought_weight),
            ];
            // A session that already came back to a product is likelier to come back again.
            let views = self.q.views.len().min(MAX_SESSION_ITEMS);
            let mut seen: Vec<u32> = items[..views].iter().map(|x| x.0).collect();
            seen.sort_unstable();
            seen.dedup();
            let own_factor = if seen.len() < views { shape.repeat_seen } else { 1.0 };
            // (item, weight of its neighbours, of its "viewed next" ones, its own score): a session
            // item comes back with repeat_weight, a past purchase with rebuy_weight.
            let sources = items
                .iter()
                .enumerate()
                .map(|(at, &(p, w))| {
                    if at >= views {
                        return (p, w, w, params.repeat_weight * w);
                    }
                    let boost = if at == 0 { shape.latest_boost } else { 1.0 };
                    let next = if shape.next_decay > 0.0 { shape.next_decay.powi(at as i32) } else { w };
                    (p, w * boost, next * boost, params.repeat_weight * own_factor * w)
                })
                .chain(bought.iter().map(|&(p, w)| {
                    (p, params.purchase_weight * w, params.purchase_weight * w, params.rebuy_weight * w)
                }));
            let top_w = items.iter().chain(bought.iter()).map(|x| x.1).fold(0.0f32, f32::max).max(f32::MIN_POSITIVE);
            for (i, w, next_w, own) in sources {
                acc.add(i, own, i);
                if w == 0.0 {
                    continue;
                }
                // Older, lighter items only add their best neighbours: their tail would not move the
                // ranking, and reading it is most of the work.
                let read = ((w / top_w).sqrt() * READ_PER_ITEM as f32)
                    .ceil()
                    .clamp(MIN_READ as f32, READ_PER_ITEM as f32) as usize;
                for (t, (table, tw)) in tables.into_iter().enumerate() {
                    if tw == 0.0 {
                        continue;
                    }
                    let w = if t == 0 { next_w } else { w };
                    for (p, s) in table.neighbours(i).take(read) {
                        acc.add(p, w * tw * s, i);
                    }
                }
            }
            if params.hop_weight > 0.0 && acc.len() > 0 {
                // Two hops: the neighbours of the best first-order candidates, which reaches products
                // that pruned pairs (min_count) leave unlinked to the session itself.
                let mut in_session: Vec<u32> = items.iter().map(|i| i.0).collect();
                in_session.sort_unstable();
                let mut hop: Vec<(u32, f32, u32)> = Vec::with_capacity(HOP_SOURCES + 1);
                for (p, slot) in acc.entries() {
                    let (s, a) = (slot.score, slot.anchor);
                    if hop.len() == HOP_SOURCES && s < hop[HOP_SOURCES - 1].1 {
                        continue;
                    }
                    if in_session.binary_search(&p).is_ok() {
                        continue;
                    }
                    if hop.len() < HOP_SOURCES
                        || by_score(&(p, s, None), &(hop[hop.len() - 1].0, hop[hop.len() - 1].1, None)).is_lt()
                    {
                        let at = hop.partition_point(|h| by_score(&(h.0, h.1, None), &(p, s, None)).is_lt());
                        hop.insert(at, (p, s, a));
                        hop.truncate(HOP_SOURCES);
                    }
                }
                for (c, cs, a) in hop {
                    for (table, tw) in &tables[..2] {
                        for (p, s) in table.neighbours(c).take(HOP_READ) {
                            acc.add(p, params.hop_weight * cs * tw * s, a);
                        }
                    }
                }
            }
            if params.popular_weight > 0.0 {
                // A popularity prior: the best sellers compete with weak neighbours on score instead
                // of waiting for the fallback step.
                let list = &self.rec.snapshot.popularity.popular.global;
                if let Some(&(_, top)) = list.first() {
                    for &(p, ps) in list.iter().take(PRIOR_ITEMS) {
                        acc.add(p, params.popular_weight * ps / top, NO_ANCHOR);
                    }
                }
            }
            acc.entries().map(|(p, slot)| (p, slot.score, (slot.anchor != NO_ANCHOR).then_some(slot.anchor))).collect()
        })
    }
}
