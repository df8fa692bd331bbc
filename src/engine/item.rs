//! The shape every consumer returns for a recommended product: the CLI's `--json`, the wasm
//! package and the edge worker all serialise [`Item`], so the three agree field for field.

use serde::Serialize;

use super::{Recommendation, Recommender};
use crate::config::Source;

/// A recommended product, ready for display, with why it is there.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// Product id.
    pub id: String,
    /// Display name.
    pub title: String,
    /// Product page URL.
    pub url: String,
    /// Image URL.
    pub image: String,
    /// Brand.
    pub brand: String,
    /// Price in currency units.
    pub price: Option<f64>,
    /// Compare-at (list) price in currency units.
    pub compare_at_price: Option<f64>,
    /// Discount in whole percent (0 when none).
    pub discount: u32,
    /// Whether the product can be bought (stock not tracked, or above 0).
    pub in_stock: bool,
    /// Relevance relative to the best item of the same step, in (0, 1].
    pub score: f32,
    /// The list that produced the item (`bought_together`, `most_purchased`, ...).
    pub reason: &'static str,
    /// The step of the widget's chain (0: force-included, then 1, 2, ...).
    pub step: u32,
    /// The product of the page or session that led to it, if any.
    pub because: Option<String>,
    /// The reason in words, for a tooltip.
    pub explanation: String,
}

/// A catalog product for display (product pages, listings, the merchandiser preview).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductInfo {
    /// Product id.
    pub id: String,
    /// Display name.
    pub title: String,
    /// Product page URL.
    pub url: String,
    /// Image URL.
    pub image: String,
    /// Brand.
    pub brand: String,
    /// Price in currency units.
    pub price: Option<f64>,
    /// Compare-at (list) price in currency units.
    pub compare_at_price: Option<f64>,
    /// Discount in whole percent.
    pub discount: u32,
    /// Units in stock; `None` when not tracked.
    pub stock: Option<i32>,
    /// Whether the product can be bought.
    pub in_stock: bool,
    /// Assigned category paths.
    pub categories: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Day added (`YYYY-MM-DD`).
    pub created_at: Option<String>,
    /// Extra attributes from the catalog's other columns.
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// The reason in words (`Bought together with Chef Knife`).
pub fn explanation(source: Source, anchor_title: Option<&str>) -> String {
    let with = |s: &str| match anchor_title {
        Some(t) if !t.is_empty() => format!("{s} {t}"),
        _ => format!("{s} this product"),
    };
    match source {
        Source::ForceInclude => "Featured by the store".into(),
        Source::PreviouslyViewed => "You viewed this recently".into(),
        Source::BoughtTogether => with("Often bought together with"),
        Source::CartedTogether => with("Often added to cart with"),
        Source::ViewedTogether => match anchor_title {
            Some(t) if !t.is_empty() => format!("Shoppers who viewed {t} also viewed this"),
            _ => "Shoppers who viewed this product also viewed this".into(),
        },
        Source::ForYou => match anchor_title {
            Some(t) if !t.is_empty() => format!("Because you looked at {t}"),
            _ => "Based on your visit".into(),
        },
        Source::MostViewed => "Among the most viewed".into(),
        Source::MostViewedInCategory => "Among the most viewed in this category".into(),
        Source::MostPurchased => "A best seller".into(),
        Source::MostPurchasedInCategory => "A best seller in this category".into(),
        Source::Popular => "Popular right now".into(),
        Source::PopularInCategory => "Popular in this category".into(),
    }
}

fn money(cents: Option<u32>) -> Option<f64> {
    cents.map(|c| f64::from(c) / 100.0)
}

impl Recommender {
    /// A product for display.
    pub fn product_info(&self, p: u32) -> ProductInfo {
        let c = self.catalog();
        ProductInfo {
            id: c.id(p).to_string(),
            title: c.title(p).to_string(),
            url: c.url(p).to_string(),
            image: c.image(p).to_string(),
            brand: c.brand_name(p).to_string(),
            price: money(c.price(p)),
            compare_at_price: money(c.compare_at(p)),
            discount: c.discount_percent(p).round() as u32,
            stock: c.stock(p),
            in_stock: !c.out_of_stock(p),
            categories: c.categories(p).iter().map(|&x| c.category_name(x).to_string()).collect(),
            tags: c.tags(p).iter().map(|&t| c.tag_name(t).to_string()).collect(),
            created_at: c.created(p).map(|d| crate::time::format_date(i64::from(d))),
            attributes: c.attributes(p).map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    /// Products of a category (with subcategories; all products without one), best sellers
    /// first (by the blended popularity list), then by id; a page of them and the total.
    pub fn list_products(&self, category: Option<&str>, offset: usize, limit: usize) -> Option<(usize, Vec<u32>)> {
        let c = self.catalog();
        let cat = match category {
            Some(name) => Some(c.category_index(name)?),
            None => None,
        };
        let ranked: &[(u32, f32)] = match cat {
            Some(x) => self.snapshot().popularity.popular.by_category.row(x as usize),
            None => &self.snapshot().popularity.popular.global,
        };
        // Ranked products first, in rank order, then the others in id order.
        let mut members: Vec<u32> = ranked.iter().map(|&(p, _)| p).collect();
        let listed: rustc_hash::FxHashSet<u32> = members.iter().copied().collect();
        members
            .extend((0..c.len() as u32).filter(|&p| !listed.contains(&p) && cat.is_none_or(|x| c.in_category(p, x))));
        let total = members.len();
        Some((total, members.into_iter().skip(offset).take(limit).collect()))
    }

    /// The display form of a recommendation.
    pub fn describe(&self, r: &Recommendation) -> Item {
        let c = self.catalog();
        let p = r.product;
        let anchor_title = r.anchor.map(|a| if c.title(a).is_empty() { c.id(a) } else { c.title(a) });
        let explanation = explanation(r.source, anchor_title);
        Item {
            id: c.id(p).to_string(),
            title: c.title(p).to_string(),
            url: c.url(p).to_string(),
            image: c.image(p).to_string(),
            brand: c.brand_name(p).to_string(),
            price: money(c.price(p)),
            compare_at_price: money(c.compare_at(p)),
            discount: c.discount_percent(p).round() as u32,
            in_stock: !c.out_of_stock(p),
            score: r.score,
            reason: r.source.name(),
            step: r.step,
            because: r.anchor.map(|a| c.id(a).to_string()),
            explanation,
        }
    }
}

/// Appends `s` as a JSON string literal. Runs of characters that need no escape are copied as
/// slices (pushing char by char is several times slower, in wasm above all).
pub fn json_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // Only ASCII bytes stop the scan, so `start..i` is on character boundaries.
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Appends a non-negative number with at most `decimals` decimals, using integer formatting only
/// (keeps float formatting out of the hot path and the WebAssembly build's fast path).
fn json_decimal(out: &mut String, x: f64, decimals: u32) {
    use std::fmt::Write;
    if !x.is_finite() {
        out.push_str("null");
        return;
    }
    let scale = 10u64.pow(decimals);
    let neg = x < 0.0;
    let v = (x.abs() * scale as f64).round() as u64;
    if neg && v > 0 {
        out.push('-');
    }
    let _ = write!(out, "{}", v / scale);
    let mut frac = v % scale;
    if frac > 0 {
        let mut digits = decimals;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        let _ = write!(out, ".{:0width$}", frac, width = digits as usize);
    }
}

fn json_opt_decimal(out: &mut String, x: Option<f64>, decimals: u32) {
    match x {
        Some(v) => json_decimal(out, v, decimals),
        None => out.push_str("null"),
    }
}

fn json_key(out: &mut String, first: &mut bool, key: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
}

impl Item {
    /// Appends the item as a JSON object (the same fields and values as its serde form, with
    /// prices to the cent and scores to 1e-6).
    pub fn write_json(&self, out: &mut String) {
        use std::fmt::Write;
        let mut f = true;
        out.push('{');
        for (k, v) in [
            ("id", &self.id),
            ("title", &self.title),
            ("url", &self.url),
            ("image", &self.image),
            ("brand", &self.brand),
        ] {
            json_key(out, &mut f, k);
            json_string(out, v);
        }
        json_key(out, &mut f, "price");
        json_opt_decimal(out, self.price, 2);
        json_key(out, &mut f, "compareAtPrice");
        json_opt_decimal(out, self.compare_at_price, 2);
        json_key(out, &mut f, "discount");
        let _ = write!(out, "{}", self.discount);
        json_key(out, &mut f, "inStock");
        out.push_str(if self.in_stock { "true" } else { "false" });
        json_key(out, &mut f, "score");
        json_decimal(out, f64::from(self.score), 6);
        json_key(out, &mut f, "reason");
        json_string(out, self.reason);
        json_key(out, &mut f, "step");
        let _ = write!(out, "{}", self.step);
        json_key(out, &mut f, "because");
        match &self.because {
            Some(b) => json_string(out, b),
            None => out.push_str("null"),
        }
        json_key(out, &mut f, "explanation");
        json_string(out, &self.explanation);
        out.push('}');
    }
}

impl ProductInfo {
    /// Appends the product as a JSON object (the same fields and values as its serde form).
    pub fn write_json(&self, out: &mut String) {
        use std::fmt::Write;
        let mut f = true;
        out.push('{');
        for (k, v) in [
            ("id", &self.id),
            ("title", &self.title),
            ("url", &self.url),
            ("image", &self.image),
            ("brand", &self.brand),
        ] {
            json_key(out, &mut f, k);
            json_string(out, v);
        }
        json_key(out, &mut f, "price");
        json_opt_decimal(out, self.price, 2);
        json_key(out, &mut f, "compareAtPrice");
        json_opt_decimal(out, self.compare_at_price, 2);
        json_key(out, &mut f, "discount");
        let _ = write!(out, "{}", self.discount);
        json_key(out, &mut f, "stock");
        match self.stock {
            Some(n) => {
                let _ = write!(out, "{n}");
            }
            None => out.push_str("null"),
        }
        json_key(out, &mut f, "inStock");
        out.push_str(if self.in_stock { "true" } else { "false" });
        for (k, list) in [("categories", &self.categories), ("tags", &self.tags)] {
            json_key(out, &mut f, k);
            out.push('[');
            for (i, v) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, v);
            }
            out.push(']');
        }
        json_key(out, &mut f, "createdAt");
        match &self.created_at {
            Some(d) => json_string(out, d),
            None => out.push_str("null"),
        }
        json_key(out, &mut f, "attributes");
        out.push('{');
        for (i, (k, v)) in self.attributes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string(out, k);
            out.push(':');
            json_string(out, v);
        }
        out.push_str("}}");
    }
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::*;

    #[test]
    fn hand_written_json_matches_serde() {
        let rec = Recommender::from_bytes(include_bytes!("../../tests/fixtures/small.snap")).unwrap();
        let ctx = crate::engine::Context::from_ids(Some("P00001"), &["P00002", "P00001"], &[], &[]);
        let mut checked = 0;
        for w in ["cross_sell", "previously_viewed", "for_you", "popular"] {
            for r in rec.recommend(w, &ctx, &Default::default()).unwrap().items {
                let item = rec.describe(&r);
                let mut s = String::new();
                item.write_json(&mut s);
                let mine: serde_json::Value = serde_json::from_str(&s).unwrap();
                let theirs = serde_json::to_value(&item).unwrap();
                for (k, v) in theirs.as_object().unwrap() {
                    let m = &mine[k];
                    match (v.as_f64(), m.as_f64()) {
                        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-5, "{k}: {a} vs {b}"),
                        _ => assert_eq!(m, v, "{k}"),
                    }
                }
                assert_eq!(mine.as_object().unwrap().len(), theirs.as_object().unwrap().len());
                checked += 1;
            }
        }
        assert!(checked > 20);
        for p in 0..rec.catalog().len() as u32 {
            let info = rec.product_info(p);
            let mut s = String::new();
            info.write_json(&mut s);
            assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), serde_json::to_value(&info).unwrap());
        }
    }

    #[test]
    fn strings_and_numbers_are_escaped_and_exact() {
        let mut s = String::new();
        let tricky = "a\"b\\c\nd\u{1}\u{1f}\u{2028}é\t\r😀";
        json_string(&mut s, tricky);
        assert_eq!(serde_json::from_str::<String>(&s).unwrap(), tricky);
        for (x, want) in [(12.5, "12.5"), (0.1 + 0.2, "0.3"), (19.99, "19.99"), (3.0, "3"), (0.0, "0")] {
            let mut s = String::new();
            json_decimal(&mut s, x, 2);
            assert_eq!(s, want);
        }
    }
}
