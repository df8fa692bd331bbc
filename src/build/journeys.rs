//! What a shopper's journey teaches: "ultimately bought" (viewed the anchor, then bought another
//! product within `journey_days`) and bundles (exact combinations bought as one order).
//!
//! Both observe one shopper at a time from the builder's walk, keep only numbers, and finish
//! into a section; every kept entry has at least `min_count` distinct shoppers behind it.

use rustc_hash::FxHashMap;

use super::cooccurrence::Baskets;
use crate::bundles::{Bundles, MAX_BUNDLE};
use crate::ingest::events::{Event, NONE, PURCHASE, VIEW};
use crate::neighbours::NeighbourTable;
use crate::walk::{Observer, Shopper};

/// Views read per purchase, most recent first: a shopper's last 50 views before buying.
const VIEWS_PER_PURCHASE: usize = 50;

/// Counts "viewed p, then bought q" per distinct shopper.
///
/// A view of `p` counts for a purchase of `q` when it is at most `journey_days` before it (the
/// journey spans the shopper's sessions; a shopper without a user id is one session), `p != q`,
/// and `p` was not bought in the same order as `q` (then `q` completes `p`; it is not the
/// alternative chosen). Purchases without an order id form one order per session, as the walk
/// cuts sessions (crate::walk).
#[derive(Debug, Default)]
pub struct UltimatelyBought {
    window: i64,
    pairs: FxHashMap<(u32, u32), u32>,
    viewers: Vec<u32>,
    buyers: Vec<u32>,
    views: Vec<(i64, u32)>,
    mine: Vec<(u32, u32)>,
    seen: Vec<u32>,
}

impl Observer for UltimatelyBought {
    fn observe(&mut self, s: &Shopper<'_>) {
        self.observe_numbered(s.numbered());
    }
}

impl UltimatelyBought {
    /// A counter for `products` products and `journey_days` long journeys.
    pub fn new(products: usize, journey_days: u32) -> UltimatelyBought {
        UltimatelyBought {
            window: i64::from(journey_days) * crate::time::DAY,
            viewers: vec![0; products],
            buyers: vec![0; products],
            ..Default::default()
        }
    }

    /// Observes every event of one shopper (any order), each with the number of its session.
    pub fn observe_numbered<'a>(&mut self, events: impl Iterator<Item = (u32, &'a Event)>) {
        self.views.clear();
        let mut purchases: Vec<(u32, &Event)> = Vec::new();
        for (session, e) in events {
            match e.kind {
                VIEW => self.views.push((e.ts, e.product)),
                PURCHASE => purchases.push((session, e)),
                _ => {}
            }
        }
        self.count_viewers();
        if purchases.is_empty() {
            return;
        }
        self.views.sort_unstable();
        purchases.sort_unstable_by_key(|(_, e)| (e.ts, e.product));
        let same_order = |(sa, a): &(u32, &Event), (sb, b): &(u32, &Event)| {
            if a.order != NONE || b.order != NONE {
                a.order == b.order
            } else {
                sa == sb
            }
        };
        self.mine.clear();
        for purchase in &purchases {
            let q = purchase.1;
            let end = self.views.partition_point(|&(ts, _)| ts <= q.ts);
            let start = self.views[..end].partition_point(|&(ts, _)| ts < q.ts - self.window);
            for &(_, p) in self.views[start..end].iter().rev().take(VIEWS_PER_PURCHASE) {
                if p != q.product && !purchases.iter().any(|o| o.1.product == p && same_order(o, purchase)) {
                    self.mine.push((p, q.product));
                }
            }
        }
        self.mine.sort_unstable();
        self.mine.dedup();
        for &pair in &self.mine {
            *self.pairs.entry(pair).or_default() += 1;
        }
        self.seen.clear();
        self.seen.extend(purchases.iter().map(|(_, e)| e.product));
        self.seen.sort_unstable();
        self.seen.dedup();
        for &q in &self.seen {
            self.buyers[q as usize] += 1;
        }
    }

    fn count_viewers(&mut self) {
        self.seen.clear();
        self.seen.extend(self.views.iter().map(|&(_, p)| p));
        self.seen.sort_unstable();
        self.seen.dedup();
        for &p in &self.seen {
            self.viewers[p as usize] += 1;
        }
    }

    /// The count table: the (viewed, bought) pairs with at least `min_count` shoppers, sorted,
    /// and the viewers and buyers of every product.
    pub fn counts(self, min_count: u32) -> JourneyCounts {
        let mut pairs: Vec<(u32, u32, u32)> =
            self.pairs.iter().filter(|(_, &n)| n >= min_count).map(|(&(p, q), &n)| (p, q, n)).collect();
        pairs.sort_unstable();
        JourneyCounts { pairs, viewers: self.viewers, buyers: self.buyers }
    }

    /// [`JourneyCounts::finish`] of [`UltimatelyBought::counts`].
    pub fn finish(self, min_count: u32, k: usize) -> NeighbourTable {
        self.counts(min_count).finish(min_count, k)
    }
}

/// The "ultimately bought" count table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JourneyCounts {
    /// (viewed p, then bought q, distinct shoppers).
    pub pairs: Vec<(u32, u32, u32)>,
    /// Row `p`: the distinct shoppers who viewed `p`.
    pub viewers: Vec<u32>,
    /// Row `q`: the distinct shoppers who bought `q`.
    pub buyers: Vec<u32>,
}

impl JourneyCounts {
    /// Top `k` per viewed product, kept with `min_count` shoppers, scored by
    /// `n / sqrt(viewers(p) · buyers(q))` (how much more often than chance the journey ends in q).
    pub fn finish(&self, min_count: u32, k: usize) -> NeighbourTable {
        let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); self.viewers.len()];
        for &(p, q, n) in &self.pairs {
            if n >= min_count {
                let denom = (f64::from(self.viewers[p as usize]) * f64::from(self.buyers[q as usize])).sqrt();
                rows[p as usize].push((q, (f64::from(n) / denom.max(1.0)) as f32));
            }
        }
        for row in &mut rows {
            row.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            row.truncate(k);
        }
        NeighbourTable::from_rows(&rows)
    }
}

/// Bundles from the build's orders: every order of 2 to 4 distinct products is a combination;
/// one kept with `min_count` distinct shoppers.
pub fn bundles(products: usize, orders: &Baskets, min_count: u32) -> Bundles {
    Bundles::from_counted(products, bundle_counts(orders, min_count))
}

/// The bundles count table: (sorted products, distinct shoppers) of every combination of 2 to 4
/// products bought as one order by at least `min_count` shoppers, sorted.
pub fn bundle_counts(orders: &Baskets, min_count: u32) -> Vec<(Vec<u32>, u32)> {
    let mut all: Vec<(Vec<u32>, u32)> = orders
        .iter()
        .filter(|(items, _)| (2..=MAX_BUNDLE).contains(&items.len()))
        .map(|(items, shopper)| {
            let mut v = items.to_vec();
            v.sort_unstable();
            (v, shopper)
        })
        .filter(|(v, _)| v.windows(2).all(|w| w[0] != w[1]))
        .collect();
    all.sort_unstable();
    all.dedup();
    let mut counted: Vec<(Vec<u32>, u32)> = Vec::new();
    for (items, _) in all {
        match counted.last_mut() {
            Some((last, n)) if *last == items => *n += 1,
            _ => counted.push((items, 1)),
        }
    }
    counted.retain(|(_, n)| *n >= min_count);
    counted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DAY;

    fn ev(kind: u16, product: u32, day: i64, order: u32) -> Event {
        Event { ts: day * DAY, product, user: 1, session: day as u32, order, qty: 1, kind }
    }

    #[test]
    fn viewed_then_bought_within_the_window_not_in_the_same_order() {
        let mut u = UltimatelyBought::new(4, 7);
        for _ in 0..3 {
            // Viewed 0 and 1 on day 10; bought 2 on day 12 with 1 in the same order; bought 3 on
            // day 30 (too late for the views of day 10).
            u.observe_numbered(
                [
                    ev(VIEW, 0, 10, NONE),
                    ev(VIEW, 1, 10, NONE),
                    ev(PURCHASE, 2, 12, 7),
                    ev(PURCHASE, 1, 12, 7),
                    ev(PURCHASE, 3, 30, 8),
                ]
                .iter()
                .map(|e| (e.session, e)),
            );
        }
        let t = u.finish(3, 10);
        let row0: Vec<u32> = t.neighbours(0).map(|(q, _)| q).collect();
        assert_eq!(row0, vec![1, 2], "0 led to 1 and 2 (bought together with each other, not with 0)");
        assert_eq!(t.neighbours(1).map(|(q, _)| q).collect::<Vec<_>>(), Vec::<u32>::new(), "1 was bought with 2");
        assert_eq!(t.neighbours(2).len(), 0);
    }

    #[test]
    fn fewer_shoppers_than_min_count_keep_nothing() {
        let mut u = UltimatelyBought::new(2, 7);
        for _ in 0..2 {
            u.observe_numbered([ev(VIEW, 0, 1, NONE), ev(PURCHASE, 1, 2, 5)].iter().map(|e| (e.session, e)));
        }
        assert_eq!(u.finish(3, 10).entries(), 0);
    }

    #[test]
    fn bundles_are_exact_combinations_of_distinct_shoppers() {
        let mut b = Baskets::default();
        for shopper in 0..3 {
            b.push(&[2, 0], shopper);
        }
        b.push(&[0, 2], 0); // the same shopper again: still three shoppers
        b.push(&[0, 2, 1], 4); // another combination
        for shopper in 0..3 {
            b.push(&[0, 1, 2, 3, 4], shopper); // five products: not a bundle
        }
        let x = bundles(5, &b, 3);
        assert_eq!(x.len(), 1);
        assert_eq!(x.products(0), &[0, 2]);
        assert_eq!(x.orders, [3]);
        assert_eq!(x.of(2), &[0]);
        assert!(x.of(1).is_empty());
    }
}
