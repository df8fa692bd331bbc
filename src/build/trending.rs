//! Trending: products whose recent demand rises fastest against their own longer baseline.
//!
//! For each product, `r` is its weighted demand (events weighted by `[training.weights]`, times
//! the quantity) in the last `window_days` before the as-of time, and `b` its demand in the
//! `baseline_days` before that. The demand expected in the window is `e = b · window / days`,
//! where `days` is the part of the baseline the product existed for (its `created_at`, when
//! given). The score is `(r − e) / √(e + 1)`: how many "standard deviations" (Poisson) the
//! window is above what the baseline predicts, so a product that sells 50 a week every week does
//! not trend and one that goes from 2 to 20 does.
//!
//! A product younger than the window has no baseline of its own: its `e` is what the products of
//! its (first) category sold on average over the same number of days, so a new product trends
//! when it starts faster than its category's products do (predictive popularity).
//!
//! Confidence and privacy floor: a product trends only when at least `min_shoppers` distinct
//! shoppers (never fewer than `training.min_count`) gave it demand in the window, so one lucky
//! sale does not trend and no entry rests on fewer shoppers than the privacy floor.

use crate::catalog::Catalog;
use crate::columns::Csr;
use crate::ingest::events::Event;
use crate::popularity::PopularityList;
use crate::time::DAY;

/// The windows and floor of the trending model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendingParams {
    /// Days of recent demand.
    pub window_days: u32,
    /// Days of baseline before the window.
    pub baseline_days: u32,
    /// Distinct shoppers a product needs in the window.
    pub min_shoppers: u32,
}

/// The trending list (global and per category), best first, from events sorted or not, each
/// with its shopper key. `weights[kind]` weighs each event kind.
pub fn trending_list<'a>(
    events: impl Iterator<Item = (u64, &'a Event)>,
    weights: &[f64],
    catalog: &Catalog,
    as_of: i64,
    p: TrendingParams,
    size: usize,
    category_size: usize,
) -> PopularityList {
    let counts = trend_counts(events, weights, catalog.len(), as_of, p);
    trending_from(&counts, catalog, as_of, p, size, category_size)
}

/// The trending count table: per product, the weighted demand in the window and in the baseline
/// before it, and the distinct shoppers behind the window's demand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrendCounts {
    /// Row `q`: demand in the last `window_days`.
    pub recent: Vec<f64>,
    /// Row `q`: demand in the `baseline_days` before the window.
    pub baseline: Vec<f64>,
    /// Row `q`: distinct shoppers behind `recent`.
    pub shoppers: Vec<u32>,
}

/// Counts the demand of `n` products in the window and the baseline (see [`trending_list`]).
pub fn trend_counts<'a>(
    events: impl Iterator<Item = (u64, &'a Event)>,
    weights: &[f64],
    n: usize,
    as_of: i64,
    p: TrendingParams,
) -> TrendCounts {
    let window_start = as_of - i64::from(p.window_days) * DAY;
    let baseline_start = window_start - i64::from(p.baseline_days) * DAY;
    let mut recent = vec![0.0f64; n];
    let mut baseline = vec![0.0f64; n];
    let mut shoppers: Vec<(u32, u64)> = Vec::new();
    for (shopper, e) in events {
        if e.ts > as_of || e.ts < baseline_start {
            continue;
        }
        let w = weights.get(e.kind as usize).copied().unwrap_or(0.0) * f64::from(e.qty.max(1));
        if w <= 0.0 {
            continue;
        }
        if e.ts >= window_start {
            recent[e.product as usize] += w;
            shoppers.push((e.product, shopper));
        } else {
            baseline[e.product as usize] += w;
        }
    }
    shoppers.sort_unstable();
    shoppers.dedup();
    let mut distinct = vec![0u32; n];
    for &(product, _) in &shoppers {
        distinct[product as usize] += 1;
    }
    TrendCounts { recent, baseline, shoppers: distinct }
}

/// The trending list from its count table (see [`trending_list`]).
pub fn trending_from(
    counts: &TrendCounts,
    catalog: &Catalog,
    as_of: i64,
    p: TrendingParams,
    size: usize,
    category_size: usize,
) -> PopularityList {
    let n = catalog.len();
    let (recent, baseline, distinct) = (&counts.recent, &counts.baseline, &counts.shoppers);
    let as_of_day = as_of.div_euclid(DAY);
    let window = f64::from(p.window_days.max(1));
    let baseline_days = f64::from(p.baseline_days);
    // Days of the baseline each product existed for; None: younger than the window.
    let alive = |q: usize| -> Option<f64> {
        let Some(created) = catalog.created(q as u32) else { return Some(baseline_days) };
        let age = (as_of_day - i64::from(created)) as f64;
        let in_baseline = (age - window).min(baseline_days);
        (in_baseline >= 1.0).then_some(in_baseline)
    };
    // Per category: the mean demand per day of its established products (for the young ones).
    let nc = catalog.category_names().len();
    let (mut cat_sum, mut cat_n) = (vec![0.0f64; nc], vec![0u32; nc]);
    for q in 0..n {
        if let (Some(days), Some(&c)) = (alive(q), catalog.categories(q as u32).first()) {
            cat_sum[c as usize] += (recent[q] + baseline[q]) / (days + window);
            cat_n[c as usize] += 1;
        }
    }
    let mut scored: Vec<(u32, f32)> = Vec::new();
    for q in 0..n {
        if distinct[q] < p.min_shoppers || recent[q] <= 0.0 {
            continue;
        }
        let expected = match alive(q) {
            Some(days) => baseline[q] * window / days,
            None => {
                let age = catalog
                    .created(q as u32)
                    .map_or(window, |c| ((as_of_day - i64::from(c)) as f64).clamp(1.0, window));
                let c = catalog.categories(q as u32).first().map(|&c| c as usize);
                c.filter(|&c| cat_n[c] > 0).map_or(0.0, |c| cat_sum[c] / f64::from(cat_n[c]) * age)
            }
        };
        let score = (recent[q] - expected) / (expected + 1.0).sqrt();
        if score > 0.0 {
            scored.push((q as u32, score as f32));
        }
    }
    scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut buckets: Vec<Vec<(u32, f32)>> = vec![Vec::new(); nc];
    for &(q, s) in &scored {
        for &c in catalog.all_categories(q) {
            let b = &mut buckets[c as usize];
            if b.len() < category_size {
                b.push((q, s));
            }
        }
    }
    let mut by_category = Csr::new();
    for b in buckets {
        by_category.push_row(b);
    }
    scored.truncate(size);
    PopularityList { global: scored, by_category }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogBuilder, ProductRecord};
    use crate::ingest::events::{NONE, PURCHASE, VIEW};

    const AS_OF: i64 = 20_000 * DAY;

    fn ev(product: u32, day_before: i64, kind: u16) -> Event {
        Event { ts: AS_OF - day_before * DAY, product, user: NONE, session: NONE, order: NONE, qty: 1, kind }
    }

    fn catalog(created: &[Option<i32>]) -> Catalog {
        let mut b = CatalogBuilder::new();
        for (i, c) in created.iter().enumerate() {
            b.push(ProductRecord {
                id: format!("p{i}"),
                categories: vec!["Shoes".into()],
                created: *c,
                ..Default::default()
            });
        }
        b.finish().unwrap()
    }

    const P: TrendingParams = TrendingParams { window_days: 7, baseline_days: 28, min_shoppers: 3 };
    const W: [f64; 3] = [1.0, 0.0, 0.0]; // views weigh 1

    /// `k` views of `product`, each by its own shopper, `day` days before as-of.
    fn views(out: &mut Vec<(u64, Event)>, product: u32, day: i64, k: usize) {
        for _ in 0..k {
            let s = out.len() as u64;
            out.push((s, ev(product, day, VIEW)));
        }
    }

    fn run(cat: &Catalog, evs: &[(u64, Event)]) -> PopularityList {
        trending_list(evs.iter().map(|(s, e)| (*s, e)), &W, cat, AS_OF, P, 10, 10)
    }

    #[test]
    fn a_rise_trends_and_steady_demand_does_not() {
        let cat = catalog(&[None, None]);
        let mut evs = Vec::new();
        // p0: 4 a week for four weeks, then 20 this week. e = 16 * 7 / 28 = 4; (20 - 4) / sqrt(5).
        for week in 1..=4 {
            views(&mut evs, 0, week * 7 + 1, 4);
        }
        views(&mut evs, 0, 1, 20);
        // p1: 10 a week, every week: e = 10, r = 10, score 0.
        for week in 0..=4 {
            views(&mut evs, 1, week * 7 + 1, 10);
        }
        let l = run(&cat, &evs);
        assert_eq!(l.global.len(), 1, "{:?}", l.global);
        assert_eq!(l.global[0].0, 0);
        assert!((l.global[0].1 - (16.0 / 5f32.sqrt())).abs() < 1e-4, "{}", l.global[0].1);
        assert_eq!(l.by_category.row(cat.category_index("Shoes").unwrap() as usize).len(), 1);
    }

    #[test]
    fn fewer_shoppers_than_the_floor_do_not_trend() {
        let cat = catalog(&[None]);
        // Ten purchases this week, all by one shopper: weight 0 for purchases here, and the views
        // of two shoppers are below the floor of three.
        let mut evs: Vec<(u64, Event)> = (0..10).map(|_| (7, ev(0, 1, PURCHASE))).collect();
        evs.push((1, ev(0, 1, VIEW)));
        evs.push((2, ev(0, 2, VIEW)));
        evs.push((2, ev(0, 3, VIEW)));
        assert!(run(&cat, &evs).global.is_empty());
        evs.push((3, ev(0, 2, VIEW)));
        assert_eq!(run(&cat, &evs).global.len(), 1, "three distinct shoppers meet the floor");
    }

    #[test]
    fn a_new_product_is_compared_with_its_category_at_the_same_age() {
        let today = (AS_OF / DAY) as i32;
        // p0, p1 established (1 view a day each over 35 days); p2 added 3 days ago with 12 views,
        // p3 added 3 days ago with 3 views (what an established product does in 3 days).
        let cat = catalog(&[None, None, Some(today - 3), Some(today - 3)]);
        let mut evs = Vec::new();
        for d in 1..=35 {
            views(&mut evs, 0, d, 1);
            views(&mut evs, 1, d, 1);
        }
        views(&mut evs, 2, 1, 12);
        views(&mut evs, 3, 1, 3);
        let l = run(&cat, &evs);
        // Established: a view a day on days 1..=35 before as-of, e = 28 * 7 / 28 = 7, r = 7: no trend.
        // p2: e = 1 a day * 3 days = 3; (12 - 3) / 2 = 4.5. p3: (3 - 3) / 2 = 0: no trend.
        let ids: Vec<u32> = l.global.iter().map(|&(p, _)| p).collect();
        assert_eq!(ids, vec![2]);
        assert!((l.global[0].1 - 4.5).abs() < 1e-4, "{}", l.global[0].1);
    }
}
