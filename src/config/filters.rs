//! Merchandising filters as configured (compiled against a catalog in `crate::filter`).

use serde::{Deserialize, Serialize};

use super::{check_dates, check_range, err, show_number, ConfigError, DateRange};

/// Merchandising filters. Every field is optional; a request's filters replace the widget's
/// field by field. Prices are in the catalog's currency units, discounts in percent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    /// Only these brands.
    pub brands: Option<Vec<String>>,
    /// Never these brands.
    #[serde(alias = "excludeBrands")]
    pub exclude_brands: Option<Vec<String>>,
    /// Only these products (ids).
    pub products: Option<Vec<String>>,
    /// Never these products (ids).
    #[serde(alias = "excludeProducts")]
    pub exclude_products: Option<Vec<String>>,
    /// Only products in one of these categories or their subcategories (full paths, `A > B`).
    pub categories: Option<Vec<String>>,
    /// Never products in these categories or their subcategories.
    #[serde(alias = "excludeCategories")]
    pub exclude_categories: Option<Vec<String>>,
    /// Only products with one of these tags.
    pub tags: Option<Vec<String>>,
    /// Never products with one of these tags.
    #[serde(alias = "excludeTags")]
    pub exclude_tags: Option<Vec<String>>,
    /// Lowest price, inclusive. Products without a price fail a price filter.
    #[serde(alias = "priceMin")]
    pub price_min: Option<f64>,
    /// Highest price, inclusive.
    #[serde(alias = "priceMax")]
    pub price_max: Option<f64>,
    /// Lowest stock, inclusive. Products whose stock is not tracked always pass.
    #[serde(alias = "stockMin")]
    pub stock_min: Option<i64>,
    /// Highest stock, inclusive. Products whose stock is not tracked always pass.
    #[serde(alias = "stockMax")]
    pub stock_max: Option<i64>,
    /// Lowest discount in percent (`1 - price / compare_at_price`); no compare-at price is 0 %.
    #[serde(alias = "discountMin")]
    pub discount_min: Option<f64>,
    /// Highest discount in percent.
    #[serde(alias = "discountMax")]
    pub discount_max: Option<f64>,
    /// Only products added to the catalog inside one of these date ranges (inclusive).
    pub added: Option<Vec<DateRange>>,
    /// Only products added in the last N days before the request's time.
    #[serde(alias = "addedWithinDays")]
    pub added_within_days: Option<u32>,
    /// Show products whose tracked stock is 0 or less (off by default).
    #[serde(alias = "showOutOfStock")]
    pub show_out_of_stock: Option<bool>,
}

impl Filters {
    /// `self` with every field that `over` sets replaced by `over`'s value.
    pub fn merged(&self, over: &Filters) -> Filters {
        macro_rules! pick {
            ($($f:ident),*) => { Filters { $($f: over.$f.clone().or_else(|| self.$f.clone())),* } };
        }
        pick!(
            brands,
            exclude_brands,
            products,
            exclude_products,
            categories,
            exclude_categories,
            tags,
            exclude_tags,
            price_min,
            price_max,
            stock_min,
            stock_max,
            discount_min,
            discount_max,
            added,
            added_within_days,
            show_out_of_stock
        )
    }
}

impl Filters {
    /// Appends the filters as a JSON object with the keys that are set (snake_case).
    pub fn write_json(&self, out: &mut String) {
        let mut o = crate::json::Object::new(out);
        for (k, v) in [
            ("brands", &self.brands),
            ("exclude_brands", &self.exclude_brands),
            ("products", &self.products),
            ("exclude_products", &self.exclude_products),
            ("categories", &self.categories),
            ("exclude_categories", &self.exclude_categories),
            ("tags", &self.tags),
            ("exclude_tags", &self.exclude_tags),
        ] {
            if let Some(list) = v {
                o.strs(k, list);
            }
        }
        for (k, v) in [
            ("price_min", self.price_min),
            ("price_max", self.price_max),
            ("discount_min", self.discount_min),
            ("discount_max", self.discount_max),
        ] {
            if let Some(x) = v {
                o.num(k, x, 6);
            }
        }
        for (k, v) in [
            ("stock_min", self.stock_min),
            ("stock_max", self.stock_max),
            ("added_within_days", self.added_within_days.map(i64::from)),
        ] {
            if let Some(x) = v {
                o.int(k, x);
            }
        }
        if let Some(ranges) = &self.added {
            crate::json::array(o.key("added"), ranges, |out, r| {
                crate::json::Object::new(out).opt_str("from", r.from.as_deref()).opt_str("to", r.to.as_deref()).end();
            });
        }
        if let Some(b) = self.show_out_of_stock {
            o.bool("show_out_of_stock", b);
        }
        o.end();
    }
}

impl Filters {
    /// Checks ranges and dates; `key` is the filters' own dotted key.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        let k = |f: &str| format!("{key}.{f}");
        for (name, v) in [("price_min", self.price_min), ("price_max", self.price_max)] {
            check_range(&k(name), v, 0.0, 1e9)?;
        }
        for (name, v) in [("discount_min", self.discount_min), ("discount_max", self.discount_max)] {
            check_range(&k(name), v, 0.0, 100.0)?;
        }
        if let (Some(a), Some(b)) = (self.price_min, self.price_max) {
            if a > b {
                return Err(err(k("price_min"), format!("{} is above price_max {}", show_number(a), show_number(b))));
            }
        }
        if let (Some(a), Some(b)) = (self.stock_min, self.stock_max) {
            if a > b {
                return Err(err(k("stock_min"), format!("{a} is above stock_max {b}")));
            }
        }
        for (i, r) in self.added.iter().flatten().enumerate() {
            check_dates(&format!("{key}.added[{i}]"), r)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_filters_take_each_set_field_from_the_override() {
        let base = Filters { price_min: Some(10.0), brands: Some(vec!["A".into()]), ..Default::default() };
        let over = Filters { price_min: Some(20.0), tags: Some(vec!["x".into()]), ..Default::default() };
        let m = base.merged(&over);
        assert_eq!(m.price_min, Some(20.0));
        assert_eq!(m.brands, Some(vec!["A".into()]));
        assert_eq!(m.tags, Some(vec!["x".into()]));
    }
}
