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
