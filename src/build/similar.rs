//! Content similarity: products alike by their catalog attributes, learnt from the catalog alone.
//!
//! Each attribute gives a similarity in 0..=1 between two products, and the score is the
//! weighted mean of the attributes both products have (weights from `[similarity]`, summing to
//! 100):
//!
//! | attribute | similarity |
//! |---|---|
//! | `category` | shared categories (ancestors included) over the larger of the two sets: `Home > Kitchen > Knives` and `Home > Kitchen > Boards` share 2 of 3 |
//! | `brand` | 1 when equal |
//! | `title` | cosine of the titles' TF-IDF word vectors (words of two or more letters or digits, lower-cased) |
//! | `price` | 1 at equal prices, falling linearly with the log of the ratio to 0 at twice (or half) the price |
//! | `tags` | Jaccard index of the tag sets |
//! | any extra column (`color`, ...) | 1 when the values are equal, ignoring case |
//!
//! Candidates come from an inverted index (products sharing a leaf category, the brand, a title
//! word or a tag). A posting list longer than [`WINDOW`] is read only in the window of products
//! closest in price, so a 10,000-product category costs as much as a small one; only a product's
//! [`TITLE_WORDS`] rarest title words find candidates, and none in more than a twentieth of the
//! catalog (every word still counts in the score). Products
//! need no events: a product added today gets its similar products at the next build.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::catalog::Catalog;
use crate::neighbours::NeighbourTable;

/// Products read from each posting list: the ones closest in price.
pub const WINDOW: usize = 32;
/// Title words per product that find candidates: its rarest ones.
pub const TITLE_WORDS: usize = 3;

/// One attribute that similarity compares.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Attribute {
    /// Shared categories.
    Category,
    /// Same brand.
    Brand,
    /// Title words (TF-IDF cosine).
    Title,
    /// Price closeness.
    Price,
    /// Shared tags (Jaccard).
    Tags,
    /// An extra catalog column, equal values.
    Extra(String),
}

impl Attribute {
    /// The attribute a `[similarity]` key names: the built-in names, else an extra column.
    pub fn parse(name: &str) -> Attribute {
        match name {
            "category" => Attribute::Category,
            "brand" => Attribute::Brand,
            "title" => Attribute::Title,
            "price" => Attribute::Price,
            "tags" => Attribute::Tags,
            other => Attribute::Extra(other.to_string()),
        }
    }
}

/// Per-product data the scores read, computed once.
struct Features {
    /// Title word vector: (word id, weight), sorted by word, unit length.
    title: Vec<Vec<(u32, f32)>>,
    /// Extra columns compared, per product: value id + 1 (0: not set), one per extra attribute.
    extras: Vec<Vec<u32>>,
    /// log2 of the price (NaN: no price, or 0).
    log_price: Vec<f32>,
}

fn words(title: &str) -> impl Iterator<Item = String> + '_ {
    title.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).map(str::to_lowercase)
}

/// Top `k` similar products per product, by the weighted attributes. Weights need not be
/// normalised; attributes with weight 0 are ignored. Deterministic; `threads` workers.
pub fn similar_table(catalog: &Catalog, weights: &BTreeMap<String, u32>, k: usize, threads: usize) -> NeighbourTable {
    let n = catalog.len();
    let attrs: Vec<(Attribute, f32)> =
        weights.iter().filter(|(_, &w)| w > 0).map(|(name, &w)| (Attribute::parse(name), w as f32)).collect();
    if n == 0 || k == 0 || attrs.is_empty() {
        return NeighbourTable::from_rows(&vec![Vec::new(); n]);
    }
    let features = features(catalog, &attrs);
    let postings = postings(catalog, &attrs, &features);
    let by = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let row_of = |(seen, cands): &mut (Vec<u32>, Vec<u32>), p: usize| {
        let p = p as u32;
        cands.clear();
        for list in postings.of(p) {
            for &q in window(list, catalog, p) {
                if q != p && seen[q as usize] != p {
                    seen[q as usize] = p;
                    cands.push(q);
                }
            }
        }
        let mut scored: Vec<(u32, f32)> =
            cands.iter().map(|&q| (q, score(catalog, &attrs, &features, p, q))).filter(|&(_, s)| s > 0.0).collect();
        if scored.len() > k {
            scored.select_nth_unstable_by(k, by);
            scored.truncate(k);
        }
        scored.sort_unstable_by(by);
        scored
    };
    let init = || (vec![u32::MAX; n], Vec::new());
    let rows: Vec<Vec<(u32, f32)>> = if threads <= 1 {
        let mut scratch = init();
        (0..n).map(|p| row_of(&mut scratch, p)).collect()
    } else {
        use rayon::prelude::*;
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
        pool.install(|| (0..n).into_par_iter().map_init(init, row_of).collect())
    };
    NeighbourTable::from_rows(&rows)
}

fn features(catalog: &Catalog, attrs: &[(Attribute, f32)]) -> Features {
    let n = catalog.len();
    let mut title = vec![Vec::new(); n];
    if attrs.iter().any(|(a, _)| *a == Attribute::Title) {
        let mut vocab: FxHashMap<String, u32> = FxHashMap::default();
        let mut df: Vec<u32> = Vec::new();
        let mut tf: Vec<Vec<(u32, f32)>> = Vec::with_capacity(n);
        for p in 0..n as u32 {
            let mut counts: BTreeMap<u32, f32> = BTreeMap::new();
            for w in words(catalog.title(p)) {
                let next = vocab.len() as u32;
                let id = *vocab.entry(w).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                *counts.entry(id).or_default() += 1.0;
            }
            for &id in counts.keys() {
                df[id as usize] += 1;
            }
            tf.push(counts.into_iter().collect());
        }
        for (p, row) in tf.into_iter().enumerate() {
            let mut v: Vec<(u32, f32)> =
                row.into_iter().map(|(id, c)| (id, c * (n as f32 / df[id as usize] as f32).ln().max(0.0))).collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, w)| *w /= norm);
                v.retain(|&(_, w)| w > 0.0);
            } else {
                v.clear();
            }
            title[p] = v;
        }
    }
    let extra_names: Vec<&str> = attrs
        .iter()
        .filter_map(|(a, _)| match a {
            Attribute::Extra(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let mut values: FxHashMap<String, u32> = FxHashMap::default();
    let extras = (0..n as u32)
        .map(|p| {
            let mut row = vec![0; extra_names.len()];
            for (name, value) in catalog.attributes(p) {
                if let Some(i) = extra_names.iter().position(|x| *x == name) {
                    let next = values.len() as u32;
                    row[i] = *values.entry(value.trim().to_lowercase()).or_insert(next) + 1;
                }
            }
            row
        })
        .collect();
    let log_price =
        (0..n as u32).map(|p| catalog.price(p).filter(|&c| c > 0).map_or(f32::NAN, |c| (c as f32).log2())).collect();
    Features { title, extras, log_price }
}

/// Posting lists, each sorted by price (unpriced last), and the lists each product reads.
struct Postings {
    lists: Vec<Vec<u32>>,
    of_product: Vec<Vec<u32>>,
}

impl Postings {
    fn of(&self, p: u32) -> impl Iterator<Item = &[u32]> {
        self.of_product[p as usize].iter().map(move |&l| self.lists[l as usize].as_slice())
    }
}

fn postings(catalog: &Catalog, attrs: &[(Attribute, f32)], features: &Features) -> Postings {
    let n = catalog.len();
    let mut keys: FxHashMap<(u8, u32), u32> = FxHashMap::default();
    let mut lists: Vec<Vec<u32>> = Vec::new();
    let mut of_product: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut add = |key: (u8, u32), p: u32| {
        let next = lists.len() as u32;
        let l = *keys.entry(key).or_insert(next);
        if l as usize == lists.len() {
            lists.push(Vec::new());
        }
        lists[l as usize].push(p);
        of_product[p as usize].push(l);
    };
    let has = |a: &Attribute| attrs.iter().any(|(x, _)| x == a);
    let mut title_df: FxHashMap<u32, u32> = FxHashMap::default();
    for v in &features.title {
        for &(w, _) in v {
            *title_df.entry(w).or_default() += 1;
        }
    }
    let common = (n / 20).max(WINDOW) as u32;
    for p in 0..n as u32 {
        // Leaf categories; ancestors would make every product a candidate of every other.
        if has(&Attribute::Category) || has(&Attribute::Price) {
            for &c in catalog.categories(p) {
                add((0, c), p);
            }
        }
        if has(&Attribute::Brand) {
            if let Some(b) = catalog.brand(p) {
                add((1, b), p);
            }
        }
        let mut rare: Vec<(u32, u32)> = features.title[p as usize]
            .iter()
            .map(|&(w, _)| (title_df[&w], w))
            .filter(|&(df, _)| df <= common)
            .collect();
        rare.sort_unstable();
        for &(_, w) in rare.iter().take(TITLE_WORDS) {
            add((2, w), p);
        }
        if has(&Attribute::Tags) {
            for &t in catalog.tags(p) {
                add((3, t), p);
            }
        }
        for (i, &v) in features.extras[p as usize].iter().enumerate() {
            if v > 0 {
                add((4 + i.min(250) as u8, v), p);
            }
        }
    }
    let price_key = |p: u32| (catalog.price(p).map_or(u64::MAX, u64::from), p);
    for l in &mut lists {
        l.sort_unstable_by_key(|&p| price_key(p));
    }
    Postings { lists, of_product }
}

/// The part of a posting list that `p` reads: all of it, or the [`WINDOW`] closest in price.
fn window<'a>(list: &'a [u32], catalog: &Catalog, p: u32) -> &'a [u32] {
    if list.len() <= WINDOW {
        return list;
    }
    let key = |q: u32| (catalog.price(q).map_or(u64::MAX, u64::from), q);
    let at = list.partition_point(|&q| key(q) < key(p));
    let start = at.saturating_sub(WINDOW / 2).min(list.len() - WINDOW);
    &list[start..start + WINDOW]
}

fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s.min(1.0)
}

/// The weighted mean similarity of `p` and `q` over the attributes both have.
fn score(catalog: &Catalog, attrs: &[(Attribute, f32)], f: &Features, p: u32, q: u32) -> f32 {
    let (mut sum, mut weight) = (0.0f32, 0.0f32);
    let mut extra = 0;
    for (a, w) in attrs {
        let s = match a {
            Attribute::Category => {
                let (x, y) = (catalog.all_categories(p), catalog.all_categories(q));
                (!x.is_empty() && !y.is_empty()).then(|| shared(x, y) as f32 / x.len().max(y.len()) as f32)
            }
            Attribute::Brand => match (catalog.brand(p), catalog.brand(q)) {
                (Some(x), Some(y)) => Some(if x == y { 1.0 } else { 0.0 }),
                _ => None,
            },
            Attribute::Title => {
                let (x, y) = (&f.title[p as usize], &f.title[q as usize]);
                (!x.is_empty() && !y.is_empty()).then(|| cosine(x, y))
            }
            Attribute::Price => {
                let (x, y) = (f.log_price[p as usize], f.log_price[q as usize]);
                (!x.is_nan() && !y.is_nan()).then(|| (1.0 - (x - y).abs()).max(0.0))
            }
            Attribute::Tags => {
                let (x, y) = (catalog.tags(p), catalog.tags(q));
                (!x.is_empty() && !y.is_empty()).then(|| {
                    let s = shared(x, y);
                    s as f32 / (x.len() + y.len() - s) as f32
                })
            }
            Attribute::Extra(_) => {
                let (x, y) = (f.extras[p as usize][extra], f.extras[q as usize][extra]);
                extra += 1;
                (x > 0 && y > 0).then_some(if x == y { 1.0 } else { 0.0 })
            }
        };
        if let Some(s) = s {
            sum += w * s;
            weight += w;
        }
    }
    if weight > 0.0 {
        // Attributes one of the two lacks count as dissimilar, so that a product sharing only
        // its price band with another does not rank first.
        let total: f32 = attrs.iter().map(|(_, w)| w).sum();
        sum / total
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogBuilder, ProductRecord};

    fn product(id: &str, title: &str, brand: &str, category: &str, price: u32, color: &str) -> ProductRecord {
        ProductRecord {
            id: id.into(),
            title: title.into(),
            brand: brand.into(),
            categories: vec![category.into()],
            price: Some(price),
            attributes: vec![("color".into(), color.into())],
            ..Default::default()
        }
    }

    fn catalog() -> Catalog {
        let mut b = CatalogBuilder::new();
        b.push(product("a", "Chef knife 20 cm", "Steelco", "Home > Kitchen > Knives", 5000, "black"));
        b.push(product("b", "Chef knife 16 cm", "Steelco", "Home > Kitchen > Knives", 4500, "black"));
        b.push(product("c", "Bread knife", "Other", "Home > Kitchen > Knives", 2000, "red"));
        b.push(product("d", "Cutting board", "Steelco", "Home > Kitchen > Boards", 5000, "black"));
        b.push(product("e", "Trail shoe", "Fleetfoot", "Outdoor > Shoes", 9000, "red"));
        b.finish().unwrap()
    }

    fn weights(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
        pairs.iter().map(|&(k, v)| (k.to_string(), v)).collect()
    }

    #[test]
    fn scores_are_the_weighted_mean_of_the_attributes() {
        let c = catalog();
        let attrs: Vec<(Attribute, f32)> = vec![(Attribute::Category, 40.0), (Attribute::Brand, 60.0)];
        let f = features(&c, &attrs);
        let (a, b, d, e) = (0, 1, 3, 4);
        // a and b: same leaf (3 of 3 categories shared) and brand.
        assert!((score(&c, &attrs, &f, a, b) - 1.0).abs() < 1e-6);
        // a and d: 2 of 3 categories, same brand: 0.4 * 2/3 + 0.6.
        assert!((score(&c, &attrs, &f, a, d) - (0.4 * 2.0 / 3.0 + 0.6)).abs() < 1e-6);
        assert_eq!(score(&c, &attrs, &f, a, e), 0.0);
        let price = vec![(Attribute::Price, 1.0)];
        let f = features(&c, &price);
        assert!((score(&c, &price, &f, a, d) - 1.0).abs() < 1e-6, "equal prices");
        assert!(score(&c, &price, &f, a, 2).abs() < 1e-6, "2.5 times the price is past the band");
        let b_ratio = 1.0 - (5000.0f32 / 4500.0).ln() / std::f32::consts::LN_2;
        assert!((score(&c, &price, &f, a, b) - b_ratio).abs() < 1e-6);
    }

    #[test]
    fn the_table_ranks_by_score_and_never_lists_the_product_itself() {
        let c = catalog();
        let t = similar_table(&c, &weights(&[("category", 40), ("brand", 30), ("title", 20), ("price", 10)]), 3, 2);
        let row: Vec<u32> = t.neighbours(0).map(|(q, _)| q).collect();
        assert_eq!(row[0], 1, "the other Steelco chef knife first: {row:?}");
        assert!(!row.contains(&0));
        assert!(!row.contains(&4), "a shoe shares nothing with a knife");
        assert!(t.neighbours(4).len() == 0, "nothing is like the only shoe");
        let scores: Vec<f32> = t.neighbours(0).map(|(_, s)| s).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    }

    #[test]
    fn extra_columns_compare_values_ignoring_case() {
        let c = catalog();
        let t = similar_table(&c, &weights(&[("color", 100)]), 5, 1);
        let row: Vec<u32> = t.neighbours(2).map(|(q, _)| q).collect();
        assert_eq!(row, vec![4], "the only other red product");
    }

    #[test]
    fn big_posting_lists_read_the_window_closest_in_price() {
        let mut b = CatalogBuilder::new();
        for i in 0..1000u32 {
            b.push(ProductRecord {
                id: format!("p{i:05}"),
                categories: vec!["Big".into()],
                price: Some(1000 + i),
                ..Default::default()
            });
        }
        let c = b.finish().unwrap();
        let t = similar_table(&c, &weights(&[("category", 50), ("price", 50)]), 4, 2);
        let p = c.index_of("p00500").unwrap();
        let row: Vec<String> = t.neighbours(p).map(|(q, _)| c.id(q).to_string()).collect();
        assert_eq!(row.len(), 4);
        for id in &row {
            let i: i64 = id[1..].parse().unwrap();
            assert!((i - 500).abs() <= 2, "{row:?}");
        }
    }

    #[test]
    fn one_thread_and_two_give_the_same_table() {
        let c = catalog();
        let w = weights(&[("category", 40), ("brand", 30), ("title", 20), ("price", 10)]);
        assert_eq!(similar_table(&c, &w, 3, 1), similar_table(&c, &w, 3, 2));
    }
}
