//! Attribution of carts and purchases to the widget clicks that led to them, and the statistics
//! of the report: Wilson intervals and the two-proportion z-test.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::catalog::Catalog;
use crate::ingest::events::{EventLog, Placement, CART, CLICK, IMPRESSION, NONE, PURCHASE};

/// The figures of one widget and variant.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Arm {
    /// Widget name.
    pub widget: String,
    /// Variant name (`-` when the events give none).
    pub variant: String,
    /// Products shown.
    pub impressions: u64,
    /// Clicks on them.
    pub clicks: u64,
    /// Clicks followed, in the same session, by an add-to-cart of the clicked product.
    pub carts: u64,
    /// Clicks followed, in the same session, by a purchase of the clicked product.
    pub purchases: u64,
    /// Revenue of the attributed purchase lines, in cents (quantity times unit price).
    pub revenue_cents: u64,
    /// Attributed purchase lines with no price in the event nor in the catalog.
    pub unpriced: u64,
}

impl Arm {
    /// Clicks per impression.
    pub fn ctr(&self) -> f64 {
        ratio(self.clicks, self.impressions)
    }

    /// Attributed add-to-carts per impression.
    pub fn cart_rate(&self) -> f64 {
        ratio(self.carts, self.impressions)
    }

    /// Attributed purchases per impression.
    pub fn conversion(&self) -> f64 {
        ratio(self.purchases, self.impressions)
    }

    /// Attributed revenue (in currency units) per thousand impressions.
    pub fn rpm(&self) -> f64 {
        ratio(self.revenue_cents, self.impressions) * 1000.0 / 100.0
    }

    /// Successes of a metric, per impression.
    pub fn successes(&self, m: Metric) -> u64 {
        match m {
            Metric::Ctr => self.clicks,
            Metric::Cart => self.carts,
            Metric::Conversion => self.purchases,
        }
    }
}

fn ratio(x: u64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        x as f64 / n as f64
    }
}

/// The rate an A/B verdict compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Metric {
    /// Click-through rate.
    Ctr,
    /// Attributed add-to-carts per impression.
    Cart,
    /// Attributed purchases per impression.
    Conversion,
}

impl Metric {
    /// Its name in the report.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Ctr => "CTR",
            Metric::Cart => "add-to-cart rate",
            Metric::Conversion => "conversion",
        }
    }
}

/// The attribution of an event log.
#[derive(Debug, Default)]
pub struct Attribution {
    /// Per widget and variant, sorted by widget then variant.
    pub arms: Vec<Arm>,
    /// Impression and click events without a widget (left out).
    pub unplaced: u64,
    /// Carts and purchases of products no widget click preceded in the session.
    pub unattributed: u64,
}

/// Attributes carts and purchases to clicks: within a session (its session id, or its user id
/// without one), in time order, a cart or purchase of a product goes to the last click on that
/// product before it (last click wins); each click counts at most one cart and one purchase,
/// and the revenue of every attributed purchase line.
pub fn attribute(log: &EventLog, catalog: &Catalog) -> Attribution {
    let kind_of = |name: &str| log.custom_kinds.iter().position(|k| k == name).map(|i| i as u16 + 3);
    let (impression, click) = (kind_of(IMPRESSION), kind_of(CLICK));
    let placement = |i: usize| -> Option<&Placement> {
        log.placements.binary_search_by_key(&(i as u32), |p| p.event).ok().map(|j| &log.placements[j])
    };
    let mut order: Vec<usize> = (0..log.events.len()).collect();
    let key = |i: usize| {
        let e = &log.events[i];
        if e.session != NONE {
            (0u8, e.session, e.ts)
        } else {
            (1u8, e.user, e.ts)
        }
    };
    order.sort_by_key(|&i| (key(i), i));
    let mut arm_of: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut arms: Vec<Arm> = Vec::new();
    let mut out = Attribution::default();
    // Clicks of the current session: (arm, carted, purchased); last click per product.
    let mut clicks: Vec<(usize, bool, bool)> = Vec::new();
    let mut last_click: FxHashMap<u32, usize> = FxHashMap::default();
    let mut session = None;
    for i in order {
        let e = &log.events[i];
        let k = key(i);
        if session != Some((k.0, k.1)) {
            session = Some((k.0, k.1));
            clicks.clear();
            last_click.clear();
        }
        let is_impression = Some(e.kind) == impression;
        if is_impression || Some(e.kind) == click {
            let Some(p) = placement(i).filter(|p| p.widget != NONE) else {
                out.unplaced += 1;
                continue;
            };
            let widget = log.widget_names[p.widget as usize].clone();
            let variant =
                if p.variant == NONE { "-".to_string() } else { log.variant_names[p.variant as usize].clone() };
            let a = *arm_of.entry((widget.clone(), variant.clone())).or_insert_with(|| {
                arms.push(Arm { widget, variant, ..Default::default() });
                arms.len() - 1
            });
            if is_impression {
                arms[a].impressions += 1;
            } else {
                arms[a].clicks += 1;
                clicks.push((a, false, false));
                last_click.insert(e.product, clicks.len() - 1);
            }
        } else if e.kind == CART || e.kind == PURCHASE {
            let Some(&c) = last_click.get(&e.product) else {
                out.unattributed += 1;
                continue;
            };
            let (a, carted, bought) = &mut clicks[c];
            let arm = &mut arms[*a];
            if e.kind == CART {
                arm.carts += u64::from(!*carted);
                *carted = true;
            } else {
                arm.purchases += u64::from(!*bought);
                *bought = true;
                match placement(i).and_then(|p| p.price).or_else(|| catalog.price(e.product)) {
                    Some(cents) => arm.revenue_cents += u64::from(cents) * u64::from(e.qty),
                    None => arm.unpriced += 1,
                }
            }
        }
    }
    out.arms = arm_of.into_values().map(|a| arms[a].clone()).collect();
    out
}

/// The standard normal distribution's cumulative probability (Abramowitz and Stegun 7.1.26
/// through erf; absolute error below 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly =
        t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// The two-sided critical value of a confidence level (1.96 for 0.95), by bisection.
pub fn z_critical(confidence: f64) -> f64 {
    let target = 0.5 + confidence / 2.0;
    let (mut lo, mut hi) = (0.0, 10.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if normal_cdf(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// The Wilson score interval of `x` successes in `n` trials at critical value `z`.
pub fn wilson(x: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n_f = n as f64;
    let p = x.min(n) as f64 / n_f;
    let z2 = z * z;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = z * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The pooled two-proportion z statistic of `x1/n1` against `x2/n2`.
pub fn two_proportion_z(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
    if n1 == 0 || n2 == 0 {
        return 0.0;
    }
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1 + n2) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 {
        0.0
    } else {
        (p1 - p2) / se
    }
}

/// The verdict of one A/B test: the best two variants of a widget on a metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The widget.
    pub widget: String,
    /// `B wins`, `not yet` or `no difference`.
    pub verdict: String,
    /// The comparison in words (rates, z, the level).
    pub detail: String,
}

/// The verdict per widget with two or more variants: the best variant against the runner-up
/// wins when the z-test is significant at `confidence`; there is "no difference" when the
/// interval of the difference lies within `min_effect` (relative) of the runner-up's rate; else
/// "not yet" (more impressions needed).
pub fn verdicts(arms: &[Arm], metric: Metric, confidence: f64, min_effect: f64) -> Vec<Verdict> {
    let z_crit = z_critical(confidence);
    let mut by_widget: BTreeMap<&str, Vec<&Arm>> = BTreeMap::new();
    for a in arms {
        by_widget.entry(a.widget.as_str()).or_default().push(a);
    }
    let rate = |a: &Arm| ratio(a.successes(metric), a.impressions);
    let mut out = Vec::new();
    for (widget, mut variants) in by_widget {
        if variants.len() < 2 {
            continue;
        }
        variants.sort_by(|a, b| rate(b).total_cmp(&rate(a)).then(a.variant.cmp(&b.variant)));
        let (best, next) = (variants[0], variants[1]);
        let (x1, n1, x2, n2) = (best.successes(metric), best.impressions, next.successes(metric), next.impressions);
        let z = two_proportion_z(x1, n1, x2, n2);
        let (p1, p2) = (rate(best), rate(next));
        let se = if n1 == 0 || n2 == 0 {
            f64::INFINITY
        } else {
            (p1 * (1.0 - p1) / n1 as f64 + p2 * (1.0 - p2) / n2 as f64).sqrt()
        };
        let (lo, hi) = (p1 - p2 - z_crit * se, p1 - p2 + z_crit * se);
        let bound = min_effect * p2;
        let verdict = if n1 > 0 && n2 > 0 && z >= z_crit {
            format!("{} wins", best.variant)
        } else if p2 > 0.0 && -bound <= lo && hi <= bound {
            "no difference".to_string()
        } else {
            "not yet".to_string()
        };
        let level = confidence * 100.0;
        let detail = format!(
            "{} {}: {:.2}% ({x1} of {n1}) against {} {:.2}% ({x2} of {n2}); z = {z:.2}, {level:.0}% level needs {z_crit:.2}; difference {:+.2} to {:+.2} points",
            metric.label(),
            best.variant,
            p1 * 100.0,
            next.variant,
            p2 * 100.0,
            lo * 100.0,
            hi * 100.0
        );
        out.push(Verdict { widget: widget.to_string(), verdict, detail });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_and_z_match_published_values() {
        assert!((z_critical(0.95) - 1.959_964).abs() < 1e-4);
        assert!((z_critical(0.99) - 2.575_829).abs() < 1e-4);
        // Wilson 95% for 10 of 100: 0.0552 to 0.1744 (Newcombe 1998, table I style figures).
        let (lo, hi) = wilson(10, 100, 1.959_964);
        assert!((lo - 0.0552).abs() < 1e-4 && (hi - 0.1744).abs() < 1e-4, "{lo} {hi}");
        // 200/1000 against 150/1000: pooled 0.175, se 0.016993, z 2.942.
        assert!((two_proportion_z(200, 1000, 150, 1000) - 2.942).abs() < 1e-3);
    }

    fn arm(variant: &str, impressions: u64, clicks: u64) -> Arm {
        Arm { widget: "w".into(), variant: variant.into(), impressions, clicks, ..Default::default() }
    }

    #[test]
    fn verdicts_say_wins_not_yet_or_no_difference() {
        let v = |a: &[Arm]| verdicts(a, Metric::Ctr, 0.95, 0.1)[0].verdict.clone();
        assert_eq!(v(&[arm("A", 1000, 150), arm("B", 1000, 200)]), "B wins");
        assert_eq!(v(&[arm("A", 100, 15), arm("B", 100, 20)]), "not yet");
        assert_eq!(v(&[arm("A", 1_000_000, 100_000), arm("B", 1_000_000, 100_300)]), "no difference");
        assert!(verdicts(&[arm("A", 10, 1)], Metric::Ctr, 0.95, 0.1).is_empty(), "one variant: no test");
    }
}
