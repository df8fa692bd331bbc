//! Co-occurrence counting and neighbour scoring.
//!
//! A pair is counted once per basket (session or order) and its support is the number of
//! distinct shoppers whose baskets hold it: shoppers arrive in contiguous blocks, so remembering
//! the last shopper per pair deduplicates for free. Pairs supported by fewer than `min_count`
//! shoppers are dropped before scoring; the best K per product are kept, scored as follows
//! (choices measured on a validation split of the Diginetica training sessions, docs/quality.md):
//! - co-occurrence (viewed, carted, bought together): each basket adds `1/sqrt(distance)` for
//!   items `distance` positions apart, and row `a` scores `c(a,b) / (n(a)^0.75 n(b)^0.25)`, an
//!   asymmetric cosine that lets popular partners rank a little higher than plain cosine does;
//! - sequence ("viewed next"): each session adds `1/distance` (closest occurrence) and row `a`
//!   scores `w(a,b) / n(a)`, the share of `a`'s sessions that went on to `b`.
//!
//! `n(x)` is the number of baskets (sessions, orders) holding `x`.
//!
//! Weights are summed in fixed point ([`WEIGHT_ONE`] is 1.0), so a sum does not depend on the order
//! of its terms: the count tables an SQL engine writes ([`super::counts`]) give the same scores.

/// 1.0 in the fixed point of pair weights.
pub const WEIGHT_ONE: u64 = 1 << 20;
/// Weight of a co-occurrence `distance` positions apart: `1/sqrt(distance)` in fixed point
/// (index 0 unused; distances beyond 8 weigh as 8): `round(2^20 / sqrt(d))`.
pub const DISTANCE_WEIGHT: [u64; 9] = [1 << 20, 1 << 20, 741_455, 605_396, 524_288, 468_937, 428_079, 396_324, 370_728];
/// Weight of a transition `distance` steps apart in a sequence: `round(2^20 / distance)`.
pub fn step_weight(distance: usize) -> u64 {
    (WEIGHT_ONE + distance as u64 / 2) / distance as u64
}
/// Exponent of the row product's basket count in co-occurrence scores (0.5 would be cosine).
const CO_ALPHA: f32 = 0.75;

use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Copy)]
struct PairStat {
    weight: u64,
    shoppers: u32,
    last: u32,
}

/// One counted pair: its summed weight (fixed point, [`WEIGHT_ONE`]) and distinct shoppers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairCount {
    /// The first product (the smaller index of an undirected pair; the source of a directed one).
    pub a: u32,
    /// The second product.
    pub b: u32,
    /// Summed weight, fixed point.
    pub weight: u64,
    /// Distinct shoppers whose baskets hold the pair.
    pub shoppers: u32,
}

/// A pair kind's count table: baskets per product and the pairs kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairTable {
    /// Row `p`: the baskets (sessions, orders) holding product `p`.
    pub baskets: Vec<u32>,
    /// The pairs, each at most once.
    pub pairs: Vec<PairCount>,
    /// Whether `a -> b` is a direction ("viewed next") rather than an unordered pair.
    pub directed: bool,
}

impl PairTable {
    /// Scores the pairs supported by at least `min_count` shoppers and keeps the best `k` per
    /// product, best first (ties by product index). Returns the rows and the number of pairs kept.
    pub fn top_k(&self, min_count: u32, k: usize) -> (Vec<Vec<(u32, f32)>>, usize) {
        let n = self.baskets.len();
        let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
        let mut kept = 0;
        for pc in &self.pairs {
            if pc.shoppers < min_count {
                continue;
            }
            kept += 1;
            let (a, b) = (pc.a, pc.b);
            let weight = (pc.weight as f64 / WEIGHT_ONE as f64) as f32;
            let (na, nb) = (self.baskets[a as usize].max(1) as f32, self.baskets[b as usize].max(1) as f32);
            if self.directed {
                // P(b next | a): the share of a's sessions that went on to b.
                rows[a as usize].push((b, weight / na));
            } else {
                rows[a as usize].push((b, weight / (na.powf(CO_ALPHA) * nb.powf(1.0 - CO_ALPHA))));
                rows[b as usize].push((a, weight / (nb.powf(CO_ALPHA) * na.powf(1.0 - CO_ALPHA))));
            }
        }
        for row in &mut rows {
            if row.len() > k {
                row.select_nth_unstable_by(k, |x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                row.truncate(k);
            }
            row.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        }
        (rows, kept)
    }
}

/// Baskets (or sequences) gathered while walking the sessions, counted afterwards, in parallel.
#[derive(Debug, Default)]
pub struct Baskets {
    items: Vec<u32>,
    ends: Vec<u32>,
    shoppers: Vec<u32>,
}

impl Baskets {
    /// Appends a basket of `shopper`.
    pub fn push(&mut self, items: &[u32], shopper: u32) {
        self.items.extend_from_slice(items);
        self.ends.push(self.items.len() as u32);
        self.shoppers.push(shopper);
    }

    /// The baskets with their shoppers, in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = (&[u32], u32)> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).zip(&self.shoppers).map(|((a, &b), &sh)| (&self.items[a as usize..b as usize], sh))
    }

    /// The number of baskets.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is no basket.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Per product: whether at least `min_count` distinct shoppers hold it in a basket. A pair
    /// can only be supported by `min_count` shoppers when both its products are.
    fn frequent(&self, products: usize, min_count: u32) -> Vec<bool> {
        let mut shoppers = vec![0u32; products];
        let mut last = vec![u32::MAX; products];
        // Shoppers arrive in contiguous blocks, so the last shopper seen per product dedupes.
        for (b, shopper) in self.iter() {
            for &p in b {
                let i = p as usize;
                if last[i] != shopper {
                    last[i] = shopper;
                    shoppers[i] += 1;
                }
            }
        }
        shoppers.into_iter().map(|n| n >= min_count).collect()
    }

    /// An upper bound of the pair occurrences counting would make, to size the table once.
    fn occurrences(&self, window: usize) -> usize {
        self.iter().map(|(b, _)| (b.len() * window.min(b.len().saturating_sub(1))).min(b.len() * b.len() / 2)).sum()
    }
}

/// Counts of item pairs, undirected (co-occurrence) or directed (sequence).
#[derive(Debug)]
pub struct PairCounts {
    pairs: FxHashMap<u64, PairStat>,
    /// Baskets containing each product.
    pub item_baskets: Vec<u32>,
    directed: bool,
    scratch: Vec<(u64, u64)>,
    /// Products whose pairs are counted (empty: all).
    frequent: Vec<bool>,
}

fn key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl PairCounts {
    /// Counts every basket of `baskets` (each a list of distinct items). Pairs with a product
    /// held by fewer than `min_count` shoppers are not counted: they could not be kept.
    pub fn count_baskets(products: usize, baskets: &Baskets, window: usize, min_count: u32) -> PairCounts {
        let mut c = PairCounts::prepared(products, false, baskets, window, min_count);
        for (b, shopper) in baskets.iter() {
            c.add_basket(b, shopper, window);
        }
        c
    }

    /// Counts the distinct items of every sequence as a basket (viewed together).
    pub fn count_distinct(products: usize, sequences: &Baskets, window: usize, min_count: u32) -> PairCounts {
        let mut c = PairCounts::prepared(products, false, sequences, window, min_count);
        let mut distinct = Vec::new();
        for (seq, shopper) in sequences.iter() {
            distinct_in_order(seq, &mut distinct);
            c.add_basket(&distinct, shopper, window);
        }
        c
    }

    /// Counts every sequence as "viewed next" transitions.
    pub fn count_sequences(products: usize, sequences: &Baskets, window: usize, min_count: u32) -> PairCounts {
        let mut c = PairCounts::prepared(products, true, sequences, window, min_count);
        for (seq, shopper) in sequences.iter() {
            c.add_sequence(seq, shopper, window);
        }
        c
    }

    /// Empty counts that will count only the pairs of products `input` gives at least
    /// `min_count` shoppers, with the table sized for `input` once.
    fn prepared(products: usize, directed: bool, input: &Baskets, window: usize, min_count: u32) -> PairCounts {
        let mut c = PairCounts::new(products, directed);
        c.frequent = input.frequent(products, min_count);
        c.pairs.reserve(input.occurrences(window) / 4);
        c
    }

    /// Empty counts over `products` products.
    pub fn new(products: usize, directed: bool) -> PairCounts {
        PairCounts {
            pairs: FxHashMap::default(),
            item_baskets: vec![0; products],
            directed,
            scratch: Vec::new(),
            frequent: Vec::new(),
        }
    }

    /// Whether pairs with product `p` are counted.
    #[inline]
    fn counted(&self, p: u32) -> bool {
        self.frequent.get(p as usize).is_none_or(|f| *f)
    }

    /// Distinct pairs counted so far.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether no pair was counted.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    fn bump(&mut self, k: u64, w: u64, shopper: u32) {
        let e = self.pairs.entry(k).or_insert(PairStat { weight: 0, shoppers: 0, last: u32::MAX });
        e.weight += w;
        if e.last != shopper {
            e.last = shopper;
            e.shoppers += 1;
        }
    }

    /// Counts one basket of distinct items: every pair at most `window` positions apart, once.
    pub fn add_basket(&mut self, items: &[u32], shopper: u32, window: usize) {
        debug_assert!(!self.directed);
        for &p in items {
            self.item_baskets[p as usize] += 1;
        }
        for i in 0..items.len() {
            if !self.counted(items[i]) {
                continue;
            }
            for j in (i + 1)..items.len().min(i + window + 1) {
                if !self.counted(items[j]) {
                    continue;
                }
                let (a, b) = (items[i].min(items[j]), items[i].max(items[j]));
                self.bump(key(a, b), DISTANCE_WEIGHT[(j - i).min(DISTANCE_WEIGHT.len() - 1)], shopper);
            }
        }
    }

    /// Counts one sequence (consecutive repeats already collapsed): `a -> b` for every `b` at most
    /// `window` steps after `a`, weighted `1 / distance`, once per sequence (the closest occurrence).
    pub fn add_sequence(&mut self, seq: &[u32], shopper: u32, window: usize) {
        debug_assert!(self.directed);
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        for i in 0..seq.len() {
            if !self.counted(seq[i]) {
                continue;
            }
            for j in (i + 1)..seq.len().min(i + window + 1) {
                if seq[i] != seq[j] && self.counted(seq[j]) {
                    scratch.push((key(seq[i], seq[j]), step_weight(j - i)));
                }
            }
        }
        scratch.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        scratch.dedup_by_key(|e| e.0);
        let mut first = seq.to_vec();
        first.sort_unstable();
        first.dedup();
        for p in first {
            self.item_baskets[p as usize] += 1;
        }
        for &(k, w) in &scratch {
            self.bump(k, w, shopper);
        }
        self.scratch = scratch;
    }

    /// The count table: the pairs supported by at least `min_count` shoppers, sorted, and the
    /// baskets per product.
    pub fn table(&self, min_count: u32) -> PairTable {
        let mut pairs: Vec<PairCount> = self
            .pairs
            .iter()
            .filter(|(_, st)| st.shoppers >= min_count)
            .map(|(&k, st)| PairCount { a: (k >> 32) as u32, b: k as u32, weight: st.weight, shoppers: st.shoppers })
            .collect();
        pairs.sort_unstable_by_key(|p| (p.a, p.b));
        PairTable { baskets: self.item_baskets.clone(), pairs, directed: self.directed }
    }

    /// [`PairTable::top_k`] of [`PairCounts::table`].
    pub fn top_k(&self, min_count: u32, k: usize) -> (Vec<Vec<(u32, f32)>>, usize) {
        self.table(min_count).top_k(min_count, k)
    }
}

/// The distinct items of `src` in first-occurrence order.
pub fn distinct_in_order(src: &[u32], out: &mut Vec<u32>) {
    out.clear();
    if src.len() <= 32 {
        for &p in src {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    } else {
        let mut seen = rustc_hash::FxHashSet::default();
        out.extend(src.iter().copied().filter(|p| seen.insert(*p)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_need_enough_distinct_shoppers() {
        let mut c = PairCounts::new(4, false);
        // Shopper 0 has two baskets with (0, 1): one shopper only.
        c.add_basket(&[0, 1], 0, 50);
        c.add_basket(&[1, 0], 0, 50);
        c.add_basket(&[0, 1, 2], 1, 50);
        c.add_basket(&[2, 3], 2, 50);
        let (rows, kept) = c.top_k(2, 10);
        assert_eq!(kept, 1, "only (0, 1) has two shoppers");
        assert_eq!(rows[0].len(), 1);
        assert_eq!(rows[0][0].0, 1);
        // 3 adjacent co-occurrences / (3^0.75 * 3^0.25)
        assert!((rows[0][0].1 - 1.0).abs() < 1e-6);
        assert!(rows[3].is_empty());
        let (rows, kept) = c.top_k(1, 10);
        assert_eq!(kept, 4);
        // Row 2 (in 2 baskets): 3 adjacent once (n=1), 1 adjacent once (n=3), 0 two apart (n=3).
        let want = [
            (3, 1.0 / 2f32.powf(0.75)),
            (1, 1.0 / (2f32.powf(0.75) * 3f32.powf(0.25))),
            (0, std::f32::consts::FRAC_1_SQRT_2 / (2f32.powf(0.75) * 3f32.powf(0.25))),
        ];
        assert_eq!(rows[2].len(), 3);
        for ((p, s), (wp, ws)) in rows[2].iter().zip(want) {
            assert_eq!(*p, wp, "best first");
            assert!((s - ws).abs() < 1e-6, "{p}: {s} vs {ws}");
        }
    }

    #[test]
    fn baskets_count_like_direct_calls() {
        let mut b = Baskets::default();
        b.push(&[0, 1, 2], 0);
        b.push(&[], 1);
        b.push(&[2, 1, 2, 3], 1);
        assert_eq!(b.len(), 3);
        assert_eq!(
            b.iter().map(|(x, s)| (x.to_vec(), s)).collect::<Vec<_>>(),
            vec![(vec![0, 1, 2], 0), (vec![], 1), (vec![2, 1, 2, 3], 1)]
        );
        let from = PairCounts::count_distinct(4, &b, 50, 1).top_k(1, 10).0;
        let mut direct = PairCounts::new(4, false);
        direct.add_basket(&[0, 1, 2], 0, 50);
        direct.add_basket(&[2, 1, 3], 1, 50);
        assert_eq!(from, direct.top_k(1, 10).0);
        let next = PairCounts::count_sequences(4, &b, 5, 1).top_k(1, 10).0;
        assert!(next[2].iter().any(|r| r.0 == 1) && next[1].iter().any(|r| r.0 == 2));
    }

    #[test]
    fn window_bounds_long_baskets() {
        let mut c = PairCounts::new(5, false);
        c.add_basket(&[0, 1, 2, 3, 4], 0, 2);
        let (rows, _) = c.top_k(1, 10);
        assert_eq!(rows[0].iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn sequences_are_directed_and_weighted_by_distance() {
        let mut c = PairCounts::new(3, true);
        c.add_sequence(&[0, 1, 2, 1], 0, 5);
        c.add_sequence(&[0, 2], 1, 5);
        let (rows, _) = c.top_k(1, 10);
        // 0->1: 1.0 (shopper 0); 0->2: 0.5 + 1.0.
        let r0: Vec<_> = rows[0].iter().map(|r| r.0).collect();
        assert_eq!(r0, vec![2, 1]);
        assert!(rows[1].iter().any(|r| r.0 == 2), "1 -> 2 counted");
        assert!(rows[2].iter().any(|r| r.0 == 1), "2 -> 1 counted");
        let (rows, _) = c.top_k(2, 10);
        assert_eq!(rows[0].iter().map(|r| r.0).collect::<Vec<_>>(), vec![2], "only 0 -> 2 has two shoppers");
    }
}
