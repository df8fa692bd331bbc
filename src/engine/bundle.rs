//! Bundles in answers: the `bundle` step of a chain (the products of the bundles that contain
//! the anchor, flat), and [`Recommender::bundles`] (the bundles themselves, as a product page's
//! "frequently bought together" box shows them: the current product always first).

use serde::Serialize;

use super::{Context, EngineError, Overrides, Recommender, Run};
use crate::config::Source;

/// One bundle offered on a product page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleOffer {
    /// Product indices: the current product first, then the others by index.
    pub products: Vec<u32>,
    /// Distinct shoppers who bought exactly this combination as one order.
    pub orders: u32,
    /// Sum of the products' prices, in cents (when every product has a price).
    pub price_cents: Option<u64>,
    /// Sum of their compare-at prices (or prices where there is none): the total before discount.
    pub compare_at_cents: Option<u64>,
}

/// The bundles for a product page, best first; empty with a reason when there are none.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct BundleAnswer {
    /// The bundles that contain the current product and pass the widget's rules, best first.
    pub bundles: Vec<BundleOffer>,
    /// Why there are none (`no_product`, `no_bundle`, `filtered`), so the storefront leaves the
    /// box out.
    pub reason: Option<&'static str>,
    /// Context ids that are not in the catalog.
    pub unknown_ids: Vec<String>,
}

impl Run<'_> {
    /// The `bundle` step: the other products of each bundle of the first anchor, best bundle
    /// first (a product in several bundles counts with its best one).
    pub(super) fn bundle(&mut self, source: Source, step: u32) {
        let Some(&a) = self.anchors.items.first() else { return };
        let b = &self.rec.snapshot.bundles;
        let cands: Vec<(u32, f32, Option<u32>)> = b
            .of(a)
            .iter()
            .flat_map(|&x| b.products(x).iter().map(move |&p| (p, b.orders[x as usize] as f32, Some(a))))
            .filter(|&(p, _, _)| p != a)
            .collect();
        let mut best: Vec<(u32, f32, Option<u32>)> = Vec::with_capacity(cands.len());
        for c in cands {
            match best.iter_mut().find(|x| x.0 == c.0) {
                Some(x) => x.1 = x.1.max(c.1),
                None => best.push(c),
            }
        }
        self.take_ranked(source, step, best);
    }
}

impl Recommender {
    /// The bundles of the context's current product for the named widget (normally `bundle`):
    /// every other product of a bundle must pass the widget's filters and exclusions (the
    /// blacklist, the cart, purchases when the widget excludes them) and be in the widget's
    /// submodel groups, else the bundle is left out.
    /// At most the widget's `limit` bundles.
    pub fn bundles(&self, widget: &str, ctx: &Context, overrides: &Overrides) -> Result<BundleAnswer, EngineError> {
        let config = self.widget_with(widget, overrides)?;
        let compiled = self.compile(config);
        let mut unknown = Vec::new();
        let q = self.resolve(ctx, &mut unknown);
        let Some(current) = q.current else {
            return Ok(BundleAnswer { reason: Some("no_product"), unknown_ids: unknown, ..Default::default() });
        };
        let anchors = self.anchors(&q);
        let limit = compiled.config.limit as usize;
        // A bundle keeps to the widget's submodel groups like any own step.
        let groups = compiled.selection.resolve(&self.submodels, q.current);
        let mut run = Run::new(self, &compiled, &q, &anchors, &groups, limit, true);
        run.restrict = !groups.is_empty();
        let b = &self.snapshot.bundles;
        let c = self.catalog();
        let mut out = Vec::new();
        for &x in b.of(current) {
            if out.len() >= limit {
                break;
            }
            let others: Vec<u32> = b.products(x).iter().copied().filter(|&p| p != current).collect();
            if !others.iter().all(|&p| run.eligible(p, false)) {
                continue;
            }
            let mut products = vec![current];
            products.extend(others);
            let sum =
                |f: &dyn Fn(u32) -> Option<u32>| products.iter().map(|&p| f(p).map(u64::from)).sum::<Option<u64>>();
            out.push(BundleOffer {
                orders: b.orders[x as usize],
                price_cents: sum(&|p| c.price(p)),
                compare_at_cents: sum(&|p| c.compare_at(p).or(c.price(p))),
                products,
            });
        }
        let reason = match (out.is_empty(), b.of(current).is_empty()) {
            (false, _) => None,
            (true, true) => Some("no_bundle"),
            (true, false) => Some("filtered"),
        };
        Ok(BundleAnswer { bundles: out, reason, unknown_ids: unknown })
    }
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use crate::bundles::Bundles;
    use crate::catalog::{CatalogBuilder, ProductRecord};
    use crate::config::{Config, Filters, WidgetPatch};
    use crate::engine::{Context, Recommender};
    use crate::snapshot::Snapshot;

    fn rec() -> Recommender {
        let mut b = CatalogBuilder::new();
        for (id, price, brand) in [("tent", 20000, "A"), ("pad", 3000, "A"), ("stove", 5000, "B"), ("mug", 800, "B")] {
            b.push(ProductRecord { id: id.into(), price: Some(price), brand: brand.into(), ..Default::default() });
        }
        let catalog = b.finish().unwrap();
        let i = |id: &str| catalog.index_of(id).unwrap();
        let mut pair = vec![i("tent"), i("pad")];
        pair.sort_unstable();
        let mut three = vec![i("tent"), i("stove"), i("mug")];
        three.sort_unstable();
        let bundles = Bundles::from_counted(catalog.len(), vec![(pair, 5), (three, 3)]);
        Recommender::new(Snapshot { catalog, bundles, config: Config::default(), ..Default::default() })
    }

    fn on(id: &str) -> Context {
        Context::from_ids(Some(id), &[], &[], &[])
    }

    #[test]
    fn bundles_of_the_current_product_best_first_with_totals() {
        let r = rec();
        let a = r.bundles("bundle", &on("tent"), &Default::default()).unwrap();
        assert_eq!(a.reason, None);
        let ids: Vec<Vec<&str>> =
            a.bundles.iter().map(|b| b.products.iter().map(|&p| r.catalog().id(p)).collect()).collect();
        assert_eq!(ids, [vec!["tent", "pad"], vec!["tent", "mug", "stove"]]);
        assert_eq!(a.bundles[0].orders, 5);
        assert_eq!(a.bundles[0].price_cents, Some(23000));
        assert_eq!(a.bundles[1].price_cents, Some(25800));
        assert_eq!(r.bundles("bundle", &on("mug"), &Default::default()).unwrap().bundles.len(), 1);
    }

    #[test]
    fn a_bundle_with_a_filtered_product_is_left_out_and_none_says_why() {
        let r = rec();
        let only_a = WidgetPatch {
            filters: Some(Filters { brands: Some(vec!["A".into()]), ..Default::default() }),
            ..Default::default()
        };
        let a = r.bundles("bundle", &on("tent"), &only_a).unwrap();
        assert_eq!(a.bundles.len(), 1, "the stove and the mug are brand B");
        let a = r.bundles("bundle", &on("stove"), &only_a).unwrap();
        assert_eq!((a.bundles.len(), a.reason), (0, Some("filtered")));
        let mut b = CatalogBuilder::new();
        b.push(ProductRecord { id: "alone".into(), ..Default::default() });
        let r2 = Recommender::new(Snapshot { catalog: b.finish().unwrap(), ..Default::default() });
        assert_eq!(r2.bundles("bundle", &on("alone"), &Default::default()).unwrap().reason, Some("no_bundle"));
        assert_eq!(r.bundles("bundle", &Context::default(), &Default::default()).unwrap().reason, Some("no_product"));
    }

    #[test]
    fn the_flat_bundle_list_ranks_by_the_best_bundle() {
        let r = rec();
        let got = r.recommend("bundle", &on("tent"), &Default::default()).unwrap();
        let ids: Vec<&str> = got.items.iter().map(|i| r.catalog().id(i.product)).collect();
        assert_eq!(ids, ["pad", "mug", "stove"]);
        assert!(got.items.iter().all(|i| i.source == crate::config::Source::Bundle));
    }
}
