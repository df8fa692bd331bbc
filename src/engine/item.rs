//! The shape every consumer returns for a recommended product: the CLI's `--json`, the wasm
//! package and the edge worker all serialise [`Item`], so the three agree field for field.

use serde::Serialize;

use super::{Recommendation, Recommender};
use crate::config::Source;
use crate::json;

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
    /// Whether the shopper's profile moved it up (the explanation then says why).
    pub personalized: bool,
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

/// The reason in words (`Often bought together with Chef Knife`).
pub fn explanation(source: Source, anchor_title: Option<&str>) -> String {
    explanation_parts(source, anchor_title, false).concat()
}

/// The reason in words as (before, the anchor's title, after), so it can be written without
/// formatting a string. `own_history`: the product is its own anchor (the shopper's history).
fn explanation_parts(source: Source, anchor_title: Option<&str>, own_history: bool) -> [&str; 3] {
    if source == Source::ForYou && own_history {
        return ["From your own history: you viewed or bought it", "", ""];
    }
    let e = source.spec().explain;
    match (e.anchored, anchor_title.filter(|t| !t.is_empty())) {
        (Some((before, after)), Some(t)) => [before, t, after],
        _ => [e.plain, "", ""],
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

    /// The reason of a recommendation in words, in pieces: the list's reason, then the
    /// profile's when personalisation moved it.
    fn explanation_of(&self, r: &Recommendation) -> [&str; 8] {
        let c = self.catalog();
        // A product that is its own anchor comes from the shopper's own history.
        let own = r.anchor == Some(r.product);
        let anchor_title = match r.source {
            // An editorial item's reason names its list.
            Source::Editorial => self.list_title(r),
            _ => r.anchor.filter(|_| !own).map(|a| if c.title(a).is_empty() { c.id(a) } else { c.title(a) }),
        };
        let [a, b, d] = explanation_parts(r.source, anchor_title, own);
        let [e, f, g, h, i] = r.personal.map_or([""; 5], |p| self.personalizer.explain(c, &p));
        [a, b, d, e, f, g, h, i]
    }

    /// Appends a recommendation's display form as JSON, straight from the catalog: the same
    /// fields and values as `describe(r)`'s serde form, with prices to the cent and scores to
    /// 1e-6, without building the `Item`.
    pub fn write_item_json(&self, r: &Recommendation, out: &mut String) {
        let c = self.catalog();
        let p = r.product;
        let mut o = json::Object::new(out);
        o.str("id", c.id(p))
            .str("title", c.title(p))
            .str("url", c.url(p))
            .str("image", c.image(p))
            .str("brand", c.brand_name(p))
            .opt_num("price", money(c.price(p)), 2)
            .opt_num("compareAtPrice", money(c.compare_at(p)), 2)
            .int("discount", c.discount_percent(p).round() as i64)
            .bool("inStock", !c.out_of_stock(p))
            .num("score", f64::from(r.score), 6)
            .str("reason", r.source.name())
            .int("step", i64::from(r.step))
            .opt_str("because", r.anchor.map(|a| c.id(a)));
        json::string_parts(o.key("explanation"), &self.explanation_of(r));
        o.bool("personalized", r.personal.is_some());
        o.end();
    }

    /// The display form of a recommendation.
    pub fn describe(&self, r: &Recommendation) -> Item {
        let c = self.catalog();
        let p = r.product;
        let explanation = self.explanation_of(r).concat();
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
            personalized: r.personal.is_some(),
        }
    }
}

impl ProductInfo {
    /// Appends the product as a JSON object (the same fields and values as its serde form).
    pub fn write_json(&self, out: &mut String) {
        let mut o = json::Object::new(out);
        o.str("id", &self.id)
            .str("title", &self.title)
            .str("url", &self.url)
            .str("image", &self.image)
            .str("brand", &self.brand)
            .opt_num("price", self.price, 2)
            .opt_num("compareAtPrice", self.compare_at_price, 2)
            .int("discount", i64::from(self.discount))
            .opt_num("stock", self.stock.map(f64::from), 0)
            .bool("inStock", self.in_stock)
            .strs("categories", &self.categories)
            .strs("tags", &self.tags)
            .opt_str("createdAt", self.created_at.as_deref());
        let attrs = o.key("attributes");
        let mut a = json::Object::new(attrs);
        for (k, v) in &self.attributes {
            a.str(k, v);
        }
        a.end();
        o.end();
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
                rec.write_item_json(&r, &mut s);
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
}
