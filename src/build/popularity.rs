//! Popularity counting: per product, per list kind, a score and the number of distinct shoppers
//! behind it; then the global and per-category top lists of products with enough shoppers.

use crate::catalog::Catalog;
use crate::columns::Csr;
use crate::popularity::{Popularity, PopularityKind, PopularityList};

/// Per-product scores and shopper support for one list kind.
#[derive(Debug, Clone)]
pub struct Tally {
    score: Vec<f64>,
    shoppers: Vec<u32>,
    last: Vec<u32>,
}

impl Tally {
    /// Zero counts for `n` products.
    pub fn new(n: usize) -> Tally {
        Tally { score: vec![0.0; n], shoppers: vec![0; n], last: vec![u32::MAX; n] }
    }

    /// Adds `w` to product `p` for `shopper` (shoppers arrive in contiguous blocks).
    pub fn add(&mut self, p: u32, w: f64, shopper: u32) {
        let i = p as usize;
        self.score[i] += w;
        if self.last[i] != shopper {
            self.last[i] = shopper;
            self.shoppers[i] += 1;
        }
    }

    /// The count table: `(product, score, shoppers)` of every product with a score or a shopper.
    pub fn counts(&self) -> Vec<(u32, f64, u32)> {
        (0..self.score.len())
            .filter(|&i| self.score[i] != 0.0 || self.shoppers[i] > 0)
            .map(|i| (i as u32, self.score[i], self.shoppers[i]))
            .collect()
    }

    /// A tally of `n` products from a count table (see [`Tally::counts`]); later rows of a
    /// product add to earlier ones.
    pub fn from_counts(n: usize, rows: &[(u32, f64, u32)]) -> Tally {
        let mut t = Tally::new(n);
        for &(p, score, shoppers) in rows {
            t.score[p as usize] += score;
            t.shoppers[p as usize] += shoppers;
        }
        t
    }

    /// Products with a positive score and at least `min_count` shoppers, best first (ties by id).
    pub fn ranked(&self, min_count: u32) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = (0..self.score.len())
            .filter(|&i| self.score[i] > 0.0 && self.shoppers[i] >= min_count)
            .map(|i| (i as u32, self.score[i] as f32))
            .collect();
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// Builds one list: the global top `size` and each category's top `category_size`.
pub fn list(tally: &Tally, catalog: &Catalog, min_count: u32, size: usize, category_size: usize) -> PopularityList {
    let ranked = tally.ranked(min_count);
    let nc = catalog.category_names().len();
    let mut buckets: Vec<Vec<(u32, f32)>> = vec![Vec::new(); nc];
    for &(p, s) in &ranked {
        for &c in catalog.all_categories(p) {
            let b = &mut buckets[c as usize];
            if b.len() < category_size {
                b.push((p, s));
            }
        }
    }
    let mut by_category = Csr::new();
    for b in buckets {
        by_category.push_row(b);
    }
    PopularityList { global: ranked.into_iter().take(size).collect(), by_category }
}

/// Builds every list from its tally.
pub fn lists(
    tallies: &[(PopularityKind, &Tally)],
    catalog: &Catalog,
    min_count: u32,
    size: usize,
    category_size: usize,
) -> Popularity {
    let mut p = Popularity::default();
    for &(kind, tally) in tallies {
        *p.list_mut(kind) = list(tally, catalog, min_count, size, category_size);
    }
    p
}
