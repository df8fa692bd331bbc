//! Merchandising filters compiled against a catalog: names become sorted index lists once, so
//! checking a candidate is integer comparisons and binary searches.

use crate::catalog::Catalog;
use crate::config::Filters;
use crate::time::{parse_date, DAY};

/// [`Filters`] resolved to catalog indices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompiledFilter {
    brands: Option<Vec<u32>>,
    exclude_brands: Vec<u32>,
    products: Option<Vec<u32>>,
    exclude_products: Vec<u32>,
    categories: Option<Vec<u32>>,
    exclude_categories: Vec<u32>,
    tags: Option<Vec<u32>>,
    exclude_tags: Vec<u32>,
    price_min: Option<u32>,
    price_max: Option<u32>,
    stock_min: Option<i64>,
    stock_max: Option<i64>,
    discount_min: Option<f64>,
    discount_max: Option<f64>,
    added: Option<Vec<(i32, i32)>>,
    added_within_days: Option<u32>,
    show_out_of_stock: bool,
    /// Whether any attribute check is needed beyond stock (a fast path for the common case).
    any: bool,
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v.dedup();
    v
}

fn resolve(names: &Option<Vec<String>>, find: impl Fn(&str) -> Option<u32>) -> Option<Vec<u32>> {
    names.as_ref().map(|n| sorted(n.iter().filter_map(|s| find(s)).collect()))
}

fn cents(v: f64, round_up: bool) -> u32 {
    let c = v * 100.0;
    let c = if round_up { (c - 1e-6).ceil() } else { (c + 1e-6).floor() };
    c.clamp(0.0, u32::MAX as f64) as u32
}

fn intersects(sorted_row: &[u32], wanted: &[u32]) -> bool {
    // Both lists are short and sorted: merge them.
    let (mut i, mut j) = (0, 0);
    while i < sorted_row.len() && j < wanted.len() {
        match sorted_row[i].cmp(&wanted[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

impl CompiledFilter {
    /// Compiles `filters` against `catalog`. Names that the catalog does not know match nothing:
    /// an include list of unknown brands lets no product through; an exclude list of unknown
    /// brands excludes nothing. Date ranges that do not parse are ignored (configs are validated
    /// before they get here).
    pub fn compile(filters: &Filters, catalog: &Catalog) -> CompiledFilter {
        let brands = resolve(&filters.brands, |s| catalog.brand_index(s));
        let exclude_brands = resolve(&filters.exclude_brands, |s| catalog.brand_index(s)).unwrap_or_default();
        let products = resolve(&filters.products, |s| catalog.index_of(s));
        let exclude_products = resolve(&filters.exclude_products, |s| catalog.index_of(s)).unwrap_or_default();
        let categories = resolve(&filters.categories, |s| catalog.category_index(s));
        let exclude_categories =
            resolve(&filters.exclude_categories, |s| catalog.category_index(s)).unwrap_or_default();
        let tags = resolve(&filters.tags, |s| catalog.tag_index(s));
        let exclude_tags = resolve(&filters.exclude_tags, |s| catalog.tag_index(s)).unwrap_or_default();
        let added = filters.added.as_ref().map(|ranges| {
            ranges
                .iter()
                .map(|r| {
                    let lo = r.from.as_deref().and_then(|d| parse_date(d).ok()).map_or(i32::MIN, |d| d as i32);
                    let hi = r.to.as_deref().and_then(|d| parse_date(d).ok()).map_or(i32::MAX, |d| d as i32);
                    (lo, hi)
                })
                .collect()
        });
        let mut f = CompiledFilter {
            brands,
            exclude_brands,
            products,
            exclude_products,
            categories,
            exclude_categories,
            tags,
            exclude_tags,
            price_min: filters.price_min.map(|v| cents(v, true)),
            price_max: filters.price_max.map(|v| cents(v, false)),
            stock_min: filters.stock_min,
            stock_max: filters.stock_max,
            discount_min: filters.discount_min,
            discount_max: filters.discount_max,
            added,
            added_within_days: filters.added_within_days,
            show_out_of_stock: filters.show_out_of_stock.unwrap_or(false),
            any: false,
        };
        f.any = f.brands.is_some()
            || !f.exclude_brands.is_empty()
            || f.products.is_some()
            || !f.exclude_products.is_empty()
            || f.categories.is_some()
            || !f.exclude_categories.is_empty()
            || f.tags.is_some()
            || !f.exclude_tags.is_empty()
            || f.price_min.is_some()
            || f.price_max.is_some()
            || f.stock_min.is_some()
            || f.stock_max.is_some()
            || f.discount_min.is_some()
            || f.discount_max.is_some()
            || f.added.is_some()
            || f.added_within_days.is_some();
        f
    }

    /// Whether out-of-stock products may be shown.
    pub fn shows_out_of_stock(&self) -> bool {
        self.show_out_of_stock
    }

    /// Whether product `p` passes every filter; `today` (days since 1970-01-01) anchors
    /// `added_within_days`.
    pub fn passes(&self, c: &Catalog, p: u32, today: i64) -> bool {
        if !self.show_out_of_stock && c.out_of_stock(p) {
            return false;
        }
        if !self.any {
            return true;
        }
        if let Some(list) = &self.products {
            if list.binary_search(&p).is_err() {
                return false;
            }
        }
        if self.exclude_products.binary_search(&p).is_ok() {
            return false;
        }
        let brand = c.brand(p);
        if let Some(list) = &self.brands {
            if brand.is_none_or(|b| list.binary_search(&b).is_err()) {
                return false;
            }
        }
        if let Some(b) = brand {
            if self.exclude_brands.binary_search(&b).is_ok() {
                return false;
            }
        }
        let cats = c.all_categories(p);
        if let Some(list) = &self.categories {
            if !intersects(cats, list) {
                return false;
            }
        }
        if intersects(cats, &self.exclude_categories) {
            return false;
        }
        let tags = c.tags(p);
        if let Some(list) = &self.tags {
            if !intersects(tags, list) {
                return false;
            }
        }
        if intersects(tags, &self.exclude_tags) {
            return false;
        }
        if self.price_min.is_some() || self.price_max.is_some() {
            let Some(price) = c.price(p) else { return false };
            if self.price_min.is_some_and(|m| price < m) || self.price_max.is_some_and(|m| price > m) {
                return false;
            }
        }
        if let Some(stock) = c.stock(p) {
            let s = i64::from(stock);
            if self.stock_min.is_some_and(|m| s < m) || self.stock_max.is_some_and(|m| s > m) {
                return false;
            }
        }
        if self.discount_min.is_some() || self.discount_max.is_some() {
            let d = c.discount_percent(p);
            if self.discount_min.is_some_and(|m| d + 1e-9 < m) || self.discount_max.is_some_and(|m| d - 1e-9 > m) {
                return false;
            }
        }
        if self.added.is_some() || self.added_within_days.is_some() {
            let Some(day) = c.created(p) else { return false };
            if let Some(ranges) = &self.added {
                if !ranges.iter().any(|&(lo, hi)| lo <= day && day <= hi) {
                    return false;
                }
            }
            if let Some(n) = self.added_within_days {
                if i64::from(day) < today - i64::from(n) {
                    return false;
                }
            }
        }
        true
    }
}

/// The day number of a Unix time.
pub fn day_of(t: i64) -> i64 {
    t.div_euclid(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogBuilder, ProductRecord};
    use crate::config::DateRange;
    use crate::time::days_from_civil;

    fn catalog() -> Catalog {
        let mut b = CatalogBuilder::new();
        let day = |m| Some(days_from_civil(2024, m, 1) as i32);
        let rows = [
            ("p1", "Acme", "Home > Kitchen", "sale", Some(1000), Some(2000), Some(5), day(1)),
            ("p2", "Bolt", "Home > Garden", "", Some(2500), None, Some(0), day(3)),
            ("p3", "", "Toys", "new|sale", None, None, None, day(6)),
            ("p4", "Acme", "Home", "", Some(4000), Some(4400), Some(100), None),
        ];
        for (id, brand, cat, tags, price, was, stock, created) in rows {
            b.push(ProductRecord {
                id: id.into(),
                brand: brand.into(),
                categories: vec![cat.into()],
                tags: tags.split('|').filter(|t| !t.is_empty()).map(String::from).collect(),
                price,
                compare_at: was,
                stock,
                created,
                ..Default::default()
            });
        }
        b.finish().unwrap()
    }

    fn passing(f: Filters) -> Vec<&'static str> {
        let c = catalog();
        let cf = CompiledFilter::compile(&f, &c);
        let today = days_from_civil(2024, 6, 10);
        ["p1", "p2", "p3", "p4"].into_iter().filter(|id| cf.passes(&c, c.index_of(id).unwrap(), today)).collect()
    }

    fn list(v: &[&str]) -> Option<Vec<String>> {
        Some(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn out_of_stock_is_hidden_unless_asked() {
        assert_eq!(passing(Filters::default()), ["p1", "p3", "p4"]);
        assert_eq!(passing(Filters { show_out_of_stock: Some(true), ..Default::default() }), ["p1", "p2", "p3", "p4"]);
    }

    #[test]
    fn brands_products_categories_tags() {
        assert_eq!(passing(Filters { brands: list(&["Acme"]), ..Default::default() }), ["p1", "p4"]);
        assert_eq!(passing(Filters { brands: list(&["Unknown"]), ..Default::default() }), [] as [&str; 0]);
        assert_eq!(passing(Filters { exclude_brands: list(&["Acme", "Unknown"]), ..Default::default() }), ["p3"]);
        assert_eq!(passing(Filters { products: list(&["p3", "p4"]), ..Default::default() }), ["p3", "p4"]);
        assert_eq!(passing(Filters { exclude_products: list(&["p1"]), ..Default::default() }), ["p3", "p4"]);
        assert_eq!(
            passing(Filters { categories: list(&["Home"]), ..Default::default() }),
            ["p1", "p4"],
            "subcategories count"
        );
        assert_eq!(
            passing(Filters { exclude_categories: list(&["Home > Kitchen"]), ..Default::default() }),
            ["p3", "p4"]
        );
        assert_eq!(passing(Filters { tags: list(&["sale"]), ..Default::default() }), ["p1", "p3"]);
        assert_eq!(passing(Filters { exclude_tags: list(&["new"]), ..Default::default() }), ["p1", "p4"]);
    }

    #[test]
    fn ranges() {
        assert_eq!(passing(Filters { price_min: Some(10.0), price_max: Some(39.99), ..Default::default() }), ["p1"]);
        assert_eq!(passing(Filters { price_max: Some(40.0), ..Default::default() }), ["p1", "p4"]);
        assert_eq!(
            passing(Filters { stock_min: Some(6), ..Default::default() }),
            ["p3", "p4"],
            "untracked stock passes"
        );
        assert_eq!(passing(Filters { stock_max: Some(5), ..Default::default() }), ["p1", "p3"]);
        assert_eq!(passing(Filters { discount_min: Some(5.0), ..Default::default() }), ["p1", "p4"]);
        assert_eq!(passing(Filters { discount_min: Some(20.0), ..Default::default() }), ["p1"]);
        assert_eq!(passing(Filters { discount_max: Some(0.0), ..Default::default() }), ["p3"]);
    }

    #[test]
    fn date_added_ranges_are_inclusive_and_several() {
        let r = |from: &str, to: &str| DateRange { from: Some(from.into()), to: Some(to.into()) };
        let f = Filters {
            added: Some(vec![r("2024-01-01", "2024-01-01"), r("2024-05-01", "2024-12-31")]),
            ..Default::default()
        };
        assert_eq!(passing(f), ["p1", "p3"]);
        let open = Filters {
            added: Some(vec![DateRange { from: Some("2024-02-01".into()), to: None }]),
            ..Default::default()
        };
        assert_eq!(passing(open), ["p3"]);
        assert_eq!(passing(Filters { added_within_days: Some(30), ..Default::default() }), ["p3"]);
    }
}
