//! The `recurring` step: from the shopper's own timed purchases, the products bought regularly
//! whose next purchase is due.
//!
//! For each product the shopper bought (purchases without a time are ignored), the interval is
//! the shopper's own median gap when they bought it on at least `personal_purchases` distinct
//! days (and that gap is at least `min_period_days`), else the population interval from the
//! snapshot's `recurring` section; a product with neither is not recurring. With `r` the time
//! since the last purchase over the interval, the product is a candidate while
//! `show_from <= r <= stop_after`, scored by `r`: the more due, the higher. Buying it again
//! resets `r` to zero, so it leaves the list until it is due again.

use super::Run;
use crate::config::Source;
use crate::recurring::{due, gaps_secs, median_days};

impl Run<'_> {
    /// Candidates of the `recurring` step, unordered.
    pub(super) fn recurring(&mut self, source: Source, step: u32) {
        let cfg = &self.rec.snapshot.config.recurring;
        let intervals = &self.rec.snapshot.recurring;
        // Times as u32 seconds and products as u32: the engine sorts nothing else (one sort in
        // the wasm). A context holds at most MAX_CONTEXT_IDS purchases.
        let timed: Vec<(u32, u32)> =
            self.q.purchase_times.iter().filter_map(|&(p, at)| Some((p, u32::try_from(at?).ok()?))).collect();
        let mut products: Vec<u32> = timed.iter().map(|t| t.0).collect();
        products.sort_unstable();
        products.dedup();
        // Each product's purchase times, bucketed in one pass (products[i]'s are
        // flat[start[i]..start[i + 1]]), so the step is O(n log n) in the purchases.
        let slot = |p: u32| products.binary_search(&p).unwrap_or(0);
        let mut start = vec![0usize; products.len() + 1];
        for t in &timed {
            start[slot(t.0) + 1] += 1;
        }
        for i in 0..products.len() {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut flat = vec![0u32; timed.len()];
        for t in &timed {
            let i = slot(t.0);
            flat[next[i]] = t.1;
            next[i] += 1;
        }
        let mut gaps = Vec::new();
        let mut cands = Vec::new();
        for (i, &p) in products.iter().enumerate() {
            let times = &mut flat[start[i]..start[i + 1]];
            times.sort_unstable();
            gaps_secs(times, &mut gaps);
            gaps.sort_unstable();
            let personal = median_days(&gaps)
                .filter(|&g| gaps.len() + 1 >= cfg.personal_purchases as usize && g >= cfg.min_period_days);
            let Some(days) = personal.or_else(|| intervals.of(p).map(|i| i.days)) else { continue };
            let last = i64::from(times[times.len() - 1]);
            if let Some(r) = due(self.q.now, last, days, cfg.show_from, cfg.stop_after) {
                cands.push((p, r, None));
            }
        }
        self.take_ranked(source, step, cands);
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::test_catalog;
    use crate::config::{Algorithm, WidgetConfig};
    use crate::engine::{Context, Overrides, Recommender, Timed};
    use crate::recurring::{Interval, Intervals};
    use crate::snapshot::Snapshot;

    const DAY: i64 = 86_400;

    /// Products 0..4; `coffee` (0) is bought every 100 days by the population, `filters` (1)
    /// every 30, `tent` (2) has no interval.
    fn rec() -> Recommender {
        let mut recurring = Intervals::default();
        recurring.push(0, Interval { days: 100.0, spread: 10.0, shoppers: 5 });
        recurring.push(1, Interval { days: 30.0, spread: 3.0, shoppers: 5 });
        let mut s =
            Snapshot { catalog: test_catalog(&["coffee", "filters", "tent", "mug"]), recurring, ..Default::default() };
        s.config.widgets.insert("recurring".into(), WidgetConfig::for_algorithm(Algorithm::Recurring));
        Recommender::new(s)
    }

    fn bought(items: &[(&str, i64)]) -> Vec<Timed> {
        items.iter().map(|&(id, day)| Timed { id: id.into(), at: Some(day * DAY) }).collect()
    }

    fn due(r: &Recommender, purchased: &[(&str, i64)], today: i64) -> Vec<String> {
        let ctx = Context { purchased: bought(purchased), now: Some(today * DAY), ..Default::default() };
        let out = r.recommend("recurring", &ctx, &Overrides::default()).unwrap();
        out.items.iter().filter(|i| i.step == 1).map(|i| r.catalog().id(i.product).to_string()).collect()
    }

    #[test]
    fn a_hundred_day_pattern_shows_from_day_eighty_and_resets_when_bought() {
        let r = rec();
        assert!(due(&r, &[("coffee", 0)], 79).is_empty(), "79% of the interval");
        assert_eq!(due(&r, &[("coffee", 0)], 80), ["coffee"]);
        // Bought again on day 92: not due until day 172.
        let again = [("coffee", 92), ("coffee", 0)];
        assert!(due(&r, &again, 93).is_empty());
        assert!(due(&r, &again, 171).is_empty());
        assert_eq!(due(&r, &again, 172), ["coffee"]);
    }

    #[test]
    fn long_overdue_products_stop_being_shown() {
        let r = rec();
        assert_eq!(due(&r, &[("coffee", 0)], 300), ["coffee"], "three intervals: still shown");
        assert!(due(&r, &[("coffee", 0)], 301).is_empty(), "past stop_after = 3");
    }

    #[test]
    fn ranked_by_how_due_and_only_products_with_an_interval() {
        let r = rec();
        // Day 100: coffee is exactly due (r = 1.0), filters bought day 55 is at r = 1.5.
        let got = due(&r, &[("tent", 10), ("filters", 55), ("coffee", 0)], 100);
        assert_eq!(got, ["filters", "coffee"]);
    }

    #[test]
    fn a_clear_personal_interval_wins_over_the_population() {
        let r = rec();
        // This shopper buys coffee every 20 days (3 purchases): due from day 56, not day 120.
        let mine = [("coffee", 40), ("coffee", 20), ("coffee", 0)];
        assert!(due(&r, &mine, 55).is_empty());
        assert_eq!(due(&r, &mine, 56), ["coffee"]);
        // Two purchases are not enough: the population's 100 days apply.
        assert!(due(&r, &[("coffee", 20), ("coffee", 0)], 56).is_empty());
        // A personal rhythm of a product the population does not buy regularly counts too.
        assert_eq!(due(&r, &[("mug", 20), ("mug", 10), ("mug", 0)], 28), ["mug"]);
    }

    #[test]
    fn interleaved_purchases_of_several_products_keep_each_ones_rhythm() {
        let r = rec();
        // Coffee every 20 days and mugs every 9, bought in one mixed history (most recent
        // first), with an untimed line between: each product's own gaps decide.
        let mut history = bought(&[("mug", 45), ("coffee", 40), ("mug", 36), ("mug", 27), ("coffee", 20)]);
        history.push(Timed::untimed("coffee"));
        history.extend(bought(&[("mug", 18), ("coffee", 0)]));
        let ctx = |today: i64| Context { purchased: history.clone(), now: Some(today * DAY), ..Default::default() };
        let ids = |today: i64| {
            let out = r.recommend("recurring", &ctx(today), &Overrides::default()).unwrap();
            out.items.iter().filter(|i| i.step == 1).map(|i| r.catalog().id(i.product).to_string()).collect::<Vec<_>>()
        };
        // Day 53: the mug (last day 45, every 9: due from 45 + 7.2) is due, coffee (last 40,
        // every 20: from 56) is not.
        assert_eq!(ids(52), Vec::<String>::new());
        assert_eq!(ids(53), ["mug"]);
        assert_eq!(ids(56), ["mug", "coffee"], "the mug is more overdue");
    }

    #[test]
    fn untimed_purchases_and_the_cart_are_ignored_or_excluded() {
        let r = rec();
        let ctx = Context { purchased: vec![Timed::untimed("coffee")], now: Some(500 * DAY), ..Default::default() };
        let out = r.recommend("recurring", &ctx, &Overrides::default()).unwrap();
        assert!(out.items.iter().all(|i| i.step != 1));
        let ctx = Context {
            purchased: bought(&[("coffee", 0)]),
            cart: vec!["coffee".into()],
            now: Some(90 * DAY),
            ..Default::default()
        };
        let out = r.recommend("recurring", &ctx, &Overrides::default()).unwrap();
        assert!(out.items.iter().all(|i| i.step != 1), "already in the cart");
    }
}
