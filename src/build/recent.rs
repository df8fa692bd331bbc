//! New arrivals: the catalog's products by the day they were added, newest first, globally and
//! per category. Needs no events.

use crate::catalog::Catalog;
use crate::columns::Csr;
use crate::popularity::PopularityList;

/// The newest `size` products (and `category_size` per category) that have a `created_at`,
/// newest first, ties by id; the score is the day added (days since 1970-01-01).
pub fn recent_list(catalog: &Catalog, size: usize, category_size: usize) -> PopularityList {
    let mut dated: Vec<(u32, i32)> =
        (0..catalog.len() as u32).filter_map(|p| catalog.created(p).map(|d| (p, d))).collect();
    dated.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut buckets: Vec<Vec<(u32, f32)>> = vec![Vec::new(); catalog.category_names().len()];
    for &(p, d) in &dated {
        for &c in catalog.all_categories(p) {
            let b = &mut buckets[c as usize];
            if b.len() < category_size {
                b.push((p, d as f32));
            }
        }
    }
    let mut by_category = Csr::new();
    for b in buckets {
        by_category.push_row(b);
    }
    // A new vector, not an in-place collect of `dated`: AddressSanitizer reported a 32-byte read past
    // the end in the in-place specialisation (fuzz/ ingest_catalog; tests/fuzz_regressions.rs).
    let global = dated.iter().take(size).map(|&(p, d)| (p, d as f32)).collect();
    PopularityList { global, by_category }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogBuilder, ProductRecord};

    #[test]
    fn newest_first_with_ties_by_id_and_undated_products_left_out() {
        let mut b = CatalogBuilder::new();
        for (id, day, cat) in [("a", Some(10), "X"), ("b", Some(30), "X > Y"), ("c", None, "X"), ("d", Some(30), "Z")] {
            b.push(ProductRecord { id: id.into(), created: day, categories: vec![cat.into()], ..Default::default() });
        }
        let c = b.finish().unwrap();
        let l = recent_list(&c, 10, 1);
        let ids: Vec<&str> = l.global.iter().map(|&(p, _)| c.id(p)).collect();
        assert_eq!(ids, ["b", "d", "a"]);
        assert_eq!(l.global[0].1, 30.0);
        let x = c.category_index("X").unwrap();
        let row: Vec<&str> = l.by_category.row(x as usize).iter().map(|&(p, _)| c.id(p)).collect();
        assert_eq!(row, ["b"], "one per category, the newest (b is in X through X > Y)");
        assert_eq!(recent_list(&c, 2, 5).global.len(), 2);
    }
}
