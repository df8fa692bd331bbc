//! Repurchase intervals: how often shoppers buy a product again, as the `recurring` snapshot
//! section holds them. Population figures only: each kept product has at least `min_count`
//! distinct shoppers who bought it twice or more behind it, and no shopper's dates are stored.

use serde::{Deserialize, Serialize};

/// Seconds in a day.
const DAY: f32 = 86_400.0;

/// The products bought at regular intervals, sorted by catalog index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Intervals {
    /// Catalog indices, strictly increasing.
    pub products: Vec<u32>,
    /// The typical interval in days: the median over shoppers of each one's median gap.
    pub days: Vec<f32>,
    /// The interquartile range of the shoppers' gaps, in days.
    pub spread: Vec<f32>,
    /// Distinct shoppers who bought the product at least twice.
    pub shoppers: Vec<u32>,
}

/// One product's interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Typical days between two purchases.
    pub days: f32,
    /// Interquartile range of the shoppers' gaps, days.
    pub spread: f32,
    /// Distinct shoppers behind it.
    pub shoppers: u32,
}

impl Intervals {
    /// The number of products with an interval.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Adds a product; products must come in increasing index order.
    pub fn push(&mut self, p: u32, i: Interval) {
        debug_assert!(self.products.last().is_none_or(|&l| l < p));
        self.products.push(p);
        self.days.push(i.days);
        self.spread.push(i.spread);
        self.shoppers.push(i.shoppers);
    }

    /// The interval of product `p`, if it is bought regularly.
    pub fn of(&self, p: u32) -> Option<Interval> {
        let i = self.products.binary_search(&p).ok()?;
        Some(Interval { days: self.days[i], spread: self.spread[i], shoppers: self.shoppers[i] })
    }

    /// Checks the columns against a catalog of `products` products.
    pub fn check(&self, products: usize) -> Result<(), String> {
        let n = self.products.len();
        if self.days.len() != n || self.spread.len() != n || self.shoppers.len() != n {
            return Err("the columns have different lengths".into());
        }
        if self.products.windows(2).any(|w| w[0] >= w[1]) {
            return Err("products are not strictly increasing".into());
        }
        if self.products.last().is_some_and(|&p| p as usize >= products) {
            return Err("a product index is past the catalog".into());
        }
        if self.days.iter().chain(&self.spread).any(|d| !d.is_finite() || *d < 0.0) || self.days.contains(&0.0) {
            return Err("an interval is not a positive number of days".into());
        }
        Ok(())
    }
}

/// How due a product is, `(now - last) / interval`, when it is to be shown: from `show_from`
/// to `stop_after` intervals after the last purchase (`None` before and after).
pub fn due(now: i64, last: i64, interval_days: f32, show_from: f32, stop_after: f32) -> Option<f32> {
    let r = (now - last) as f32 / DAY / interval_days;
    // Due now scores 1; overdue still ranks above just-due, up to stop_after.
    (show_from..=stop_after).contains(&r).then_some(r.max(f32::MIN_POSITIVE))
}

/// The median of sorted values (`None` when empty).
pub fn median(sorted: &[f32]) -> Option<f32> {
    quantile(sorted, 0.5)
}

/// The `q` quantile of sorted values, linearly interpolated.
pub fn quantile(sorted: &[f32], q: f32) -> Option<f32> {
    let last = sorted.len().checked_sub(1)?;
    let x = q * last as f32;
    let (lo, hi) = (x.floor() as usize, x.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo as f32))
}

/// Calls `push` with the gap between each purchase and the previous one kept, from times sorted
/// ascending; a purchase less than `day` after the previous kept one is the same purchase.
fn distinct_gaps<T: Copy + PartialOrd + std::ops::Sub<Output = T>>(sorted: &[T], day: T, mut push: impl FnMut(T)) {
    let mut last: Option<T> = None;
    for &t in sorted {
        match last {
            Some(l) if t - l < day => {}
            Some(l) => {
                push(t - l);
                last = Some(t);
            }
            None => last = Some(t),
        }
    }
}

/// Gaps in days between distinct purchases (purchases less than a day after the previous kept
/// one count as the same purchase), from times in Unix seconds sorted ascending.
pub fn gaps_days(sorted_times: &[i64], out: &mut Vec<f32>) {
    out.clear();
    distinct_gaps(sorted_times, 86_400, |g| out.push(g as f32 / DAY));
}

/// [`gaps_days`] in seconds, from `u32` Unix seconds (what the engine keeps small: it sorts
/// `u32`s only, so the wasm carries one sort).
pub fn gaps_secs(sorted_times: &[u32], out: &mut Vec<u32>) {
    out.clear();
    distinct_gaps(sorted_times, 86_400, |g| out.push(g));
}

/// The median of gaps in seconds sorted ascending, in days (`None` when empty).
pub fn median_days(sorted_gaps: &[u32]) -> Option<f32> {
    let n = sorted_gaps.len();
    let (a, b) = (*sorted_gaps.get((n.max(1) - 1) / 2)?, sorted_gaps[n / 2]);
    Some((a as f32 + b as f32) / 2.0 / DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_merge_purchases_within_a_day() {
        let d = 86_400;
        let mut g = Vec::new();
        gaps_days(&[0, 3600, 10 * d, 10 * d + 5, 30 * d], &mut g);
        assert_eq!(g, [10.0, 20.0]);
    }

    #[test]
    fn gaps_in_seconds_and_their_median_in_days() {
        let d = 86_400;
        let mut g = Vec::new();
        gaps_secs(&[0, 3600, 10 * d, 10 * d + 5, 30 * d, 34 * d], &mut g);
        assert_eq!(g, [10 * d, 20 * d, 4 * d]);
        g.sort_unstable();
        assert_eq!(median_days(&g), Some(10.0));
        assert_eq!(median_days(&[d, 3 * d]), Some(2.0));
        assert_eq!(median_days(&[]), None);
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
        assert_eq!(quantile(&[0.0, 10.0], 0.25), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn check_refuses_bad_columns() {
        let mut i = Intervals::default();
        i.push(1, Interval { days: 30.0, spread: 2.0, shoppers: 3 });
        assert!(i.check(2).is_ok());
        assert!(i.check(1).unwrap_err().contains("past the catalog"));
        i.days[0] = f32::NAN;
        assert!(i.check(2).is_err());
        i.days[0] = 30.0;
        i.products.push(0);
        assert!(i.check(5).unwrap_err().contains("different lengths"));
    }
}
