//! What repeat purchases teach: each product's repurchase interval (the `recurring` model).
//!
//! Observes one shopper at a time from the builder's walk: for every product the shopper bought
//! on two or more distinct days, the median gap between them. The population interval is the
//! median of those shoppers' gaps; a product is kept when at least `min_count` shoppers are
//! behind it, the interval is at least `min_period_days`, and the pattern is regular (the
//! interquartile range of the shoppers' gaps at most `max_spread` times the interval).

use rustc_hash::FxHashMap;

use crate::config::RecurringConfig;
use crate::ingest::events::{Event, PURCHASE};
use crate::recurring::{gaps_days, median, quantile, Interval, Intervals};
use crate::walk::{Observer, Shopper};

/// Collects each repeat buyer's typical gap per product.
#[derive(Debug, Default)]
pub struct Repurchases {
    gaps: FxHashMap<u32, Vec<f32>>,
    mine: Vec<(u32, i64)>,
    times: Vec<i64>,
    scratch: Vec<f32>,
}

impl Observer for Repurchases {
    fn observe(&mut self, s: &Shopper<'_>) {
        self.observe_events(s.iter());
    }
}

impl Repurchases {
    /// Observes every event of one shopper (any order).
    pub fn observe_events<'a>(&mut self, events: impl Iterator<Item = &'a Event>) {
        self.mine.clear();
        self.mine.extend(events.filter(|e| e.kind == PURCHASE).map(|e| (e.product, e.ts)));
        if self.mine.len() < 2 {
            return;
        }
        self.mine.sort_unstable();
        let mut i = 0;
        while i < self.mine.len() {
            let p = self.mine[i].0;
            let end = i + self.mine[i..].partition_point(|m| m.0 == p);
            self.times.clear();
            self.times.extend(self.mine[i..end].iter().map(|m| m.1));
            gaps_days(&self.times, &mut self.scratch);
            if !self.scratch.is_empty() {
                self.scratch.sort_unstable_by(f32::total_cmp);
                if let Some(m) = median(&self.scratch) {
                    self.gaps.entry(p).or_default().push(m);
                }
            }
            i = end;
        }
    }

    /// The count table: `(product, one repeat buyer's median gap in days)`, sorted, for the
    /// products with at least `min_count` repeat buyers.
    pub fn gaps(&self, min_count: u32) -> Vec<(u32, f32)> {
        let mut rows: Vec<(u32, f32)> = self
            .gaps
            .iter()
            .filter(|(_, g)| g.len() >= min_count as usize)
            .flat_map(|(&p, g)| g.iter().map(move |&d| (p, d)))
            .collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        rows
    }

    /// Repurchases from a count table (see [`Repurchases::gaps`]).
    pub fn from_gaps(rows: &[(u32, f32)]) -> Repurchases {
        let mut r = Repurchases::default();
        for &(p, d) in rows {
            r.gaps.entry(p).or_default().push(d);
        }
        r
    }

    /// The regular products, each from at least `min_count` shoppers.
    pub fn finish(self, min_count: u32, config: &RecurringConfig) -> Intervals {
        let mut rows: Vec<(u32, Vec<f32>)> =
            self.gaps.into_iter().filter(|(_, g)| g.len() >= min_count as usize).collect();
        rows.sort_unstable_by_key(|r| r.0);
        let mut out = Intervals::default();
        for (p, mut g) in rows {
            g.sort_unstable_by(f32::total_cmp);
            let (Some(days), Some(q1), Some(q3)) = (median(&g), quantile(&g, 0.25), quantile(&g, 0.75)) else {
                continue;
            };
            let spread = q3 - q1;
            if days >= config.min_period_days && spread <= config.max_spread * days {
                out.push(p, Interval { days, spread, shoppers: g.len() as u32 });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::events::NONE;

    const DAY: i64 = 86_400;

    fn buy(product: u32, day: i64) -> Event {
        Event { ts: day * DAY, product, user: 0, session: NONE, order: NONE, qty: 1, kind: PURCHASE }
    }

    fn learn(shoppers: &[Vec<Event>], min_count: u32) -> Intervals {
        let mut r = Repurchases::default();
        for s in shoppers {
            r.observe_events(s.iter());
        }
        r.finish(min_count, &RecurringConfig::default())
    }

    #[test]
    fn the_interval_is_the_median_of_the_shoppers_gaps() {
        // Product 0: shoppers with 28, 30 and 32 days between purchases.
        let s: Vec<Vec<Event>> =
            [28, 30, 32].iter().map(|&g| vec![buy(0, 1), buy(0, 1 + g), buy(0, 1 + 2 * g)]).collect();
        let i = learn(&s, 3);
        assert_eq!(i.products, [0]);
        let got = i.of(0).unwrap();
        assert_eq!((got.days, got.shoppers), (30.0, 3));
        assert_eq!(got.spread, 2.0, "quartiles 29 and 31");
        assert!(learn(&s, 4).is_empty(), "fewer than min_count shoppers");
    }

    #[test]
    fn short_irregular_and_single_purchases_are_left_out() {
        // Every 2 days: below the 4-day minimum period.
        let short: Vec<Vec<Event>> = (0..3).map(|_| vec![buy(0, 0), buy(0, 2), buy(0, 4)]).collect();
        assert!(learn(&short, 3).is_empty());
        // 5, 50 and 200 days: the spread is larger than the interval.
        let wild: Vec<Vec<Event>> = [5, 50, 200, 10].iter().map(|&g| vec![buy(1, 0), buy(1, g)]).collect();
        assert!(learn(&wild, 3).is_empty());
        // Bought once each, or twice on the same day: no gap.
        let once: Vec<Vec<Event>> = (0..5).map(|_| vec![buy(2, 0), Event { ts: 10, ..buy(2, 0) }]).collect();
        assert!(learn(&once, 3).is_empty());
    }
}
