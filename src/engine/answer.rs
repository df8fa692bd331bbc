//! Whole answers as JSON, for renderers that need more than the items: the heading that says
//! where the list came from, whether it is withheld, the bundles of a product page, and the
//! algorithm table itself (so storefront code and the preview page never copy it).

use super::{BundleAnswer, Recommendations, Recommender};
use crate::config::{Constraint, ALGORITHMS, SOURCES};
use crate::json::{self, Object};

impl Recommender {
    /// The answer of widget `name` (configured as `title`) as a JSON object: `widget`, `title`
    /// (the heading to show: the widget's own, or the title of the fallback step that filled the
    /// list), `widgetTitle`, `fromFallback`, `hidden` (why the list is withheld, or null),
    /// `absentSections`, `submodels` (the groups the widget's own steps kept to), `unknownIds`
    /// and `items`.
    pub fn write_answer_json(&self, name: &str, title: &str, r: &Recommendations, out: &mut String) {
        let mut o = Object::new(out);
        o.str("widget", name)
            .str("title", r.fallback_title.as_deref().unwrap_or(title))
            .str("widgetTitle", title)
            .bool("fromFallback", r.from_fallback)
            .opt_str("hidden", r.hidden)
            .strs("absentSections", &r.absent_sections)
            .strs("submodels", &r.submodels)
            .strs("unknownIds", &r.unknown_ids);
        json::array(o.key("items"), &r.items, |out, item| self.write_item_json(item, out));
        o.end();
    }

    /// A product page's bundles as a JSON object: `widget`, `title`, `reason` (why there are
    /// none, or null), `unknownIds` and `bundles`, each with `orders`, `price` and
    /// `compareAtPrice` (totals in currency units, null when a product has no price) and
    /// `items` (products, the current one first).
    pub fn write_bundles_json(&self, name: &str, title: &str, a: &BundleAnswer, out: &mut String) {
        let money = |c: Option<u64>| c.map(|c| c as f64 / 100.0);
        let mut o = Object::new(out);
        o.str("widget", name).str("title", title).opt_str("reason", a.reason).strs("unknownIds", &a.unknown_ids);
        json::array(o.key("bundles"), &a.bundles, |out, b| {
            let mut bo = Object::new(out);
            bo.int("orders", i64::from(b.orders)).opt_num("price", money(b.price_cents), 2).opt_num(
                "compareAtPrice",
                money(b.compare_at_cents),
                2,
            );
            json::array(bo.key("items"), &b.products, |out, &p| self.product_info(p).write_json(out));
            bo.end();
        });
        o.end();
    }
}

/// The algorithm and source tables as JSON: `{ algorithms: [{ name, title, steps, fallback,
/// constraint, excludesAnchors, maxAgeDays, doc }], sources: [{ name, title, sections }] }`.
pub fn write_algorithms_json(out: &mut String) {
    let mut o = Object::new(out);
    json::array(o.key("algorithms"), ALGORITHMS.iter(), |out, a| {
        let names = |s: &[crate::config::Source]| s.iter().map(|s| s.name()).collect::<Vec<_>>();
        let mut ao = Object::new(out);
        ao.str("name", a.name)
            .str("title", a.title)
            .strs("steps", &names(a.steps))
            .strs("fallback", &names(a.fallback))
            .str(
                "constraint",
                match a.constraint {
                    Constraint::None => "none",
                    Constraint::SameCategoryPricier => "same_category_pricier",
                    Constraint::OtherCategory => "other_category",
                },
            )
            .bool("excludesAnchors", a.excludes_anchors)
            .opt_num("maxAgeDays", a.max_age_days.map(f64::from), 0)
            .str("doc", a.doc);
        ao.end();
    });
    json::array(o.key("sources"), SOURCES.iter(), |out, s| {
        Object::new(out).str("name", s.name).str("title", s.title).strs("sections", s.sections).end();
    });
    o.end();
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::*;
    use crate::engine::Context;

    #[test]
    fn the_answer_names_its_heading_and_items() {
        let rec = Recommender::from_bytes(include_bytes!("../../tests/fixtures/small.snap")).unwrap();
        let ctx = Context::from_ids(Some("P00001"), &[], &[], &[]);
        let r = rec.recommend("popular", &ctx, &Default::default()).unwrap();
        let mut s = String::new();
        rec.write_answer_json("popular", "Popular right now", &r, &mut s);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["title"], "Popular right now");
        assert_eq!(v["fromFallback"], false);
        assert!(v["hidden"].is_null());
        assert_eq!(v["items"].as_array().unwrap().len(), r.items.len());
        let fake = crate::engine::Recommendations {
            from_fallback: true,
            fallback_title: Some("Best sellers".into()),
            hidden: Some("hide_when_fallback"),
            ..Default::default()
        };
        let mut s = String::new();
        rec.write_answer_json("also_bought", "Frequently bought together", &fake, &mut s);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(
            (v["title"].as_str(), v["widgetTitle"].as_str()),
            (Some("Best sellers"), Some("Frequently bought together"))
        );
        assert_eq!(v["hidden"], "hide_when_fallback");
    }

    #[test]
    fn the_algorithm_table_lists_every_row() {
        let mut s = String::new();
        write_algorithms_json(&mut s);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        let names: Vec<&str> =
            v["algorithms"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(names, ALGORITHMS.iter().map(|a| a.name).collect::<Vec<_>>());
        assert_eq!(v["sources"].as_array().unwrap().len(), SOURCES.len());
        let upsell = &v["algorithms"][1];
        assert_eq!(upsell["constraint"], "same_category_pricier");
        assert_eq!(upsell["steps"][0], "bought_together");
    }
}
