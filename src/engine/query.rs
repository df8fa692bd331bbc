//! A request's context resolved against the catalog ([`Query`]) and its anchors ([`Anchors`]).

use super::{Context, Recommender, MAX_CONTEXT_IDS};
use crate::filter::day_of;

/// The context resolved to catalog indices.
#[derive(Debug, Default)]
pub(super) struct Query {
    pub(super) current: Option<u32>,
    /// Views, most recent first.
    pub(super) views: Vec<u32>,
    pub(super) cart: Vec<u32>,
    pub(super) cart_sorted: Vec<u32>,
    /// Purchases, most recent first, with repeats.
    pub(super) purchased: Vec<u32>,
    pub(super) purchased_sorted: Vec<u32>,
    /// Purchases with their times, as given.
    pub(super) purchase_times: Vec<(u32, Option<i64>)>,
    /// The request's time (Unix seconds).
    pub(super) now: i64,
    /// The row of the request's segment in the snapshot's segment lists.
    pub(super) segment: Option<usize>,
    pub(super) today: i64,
    /// Products other widgets of the page show, sorted.
    pub(super) exclude_sorted: Vec<u32>,
}

/// The anchors of a request and what the constraints compare against.
pub(super) struct Anchors {
    pub(super) items: Vec<u32>,
    /// The assigned categories of every anchor, sorted.
    pub(super) categories: Vec<u32>,
    /// The first anchor's assigned categories and price (upsell compares against these).
    pub(super) first_categories: Vec<u32>,
    pub(super) first_price: Option<u32>,
}

impl Recommender {
    pub(super) fn resolve(&self, ctx: &Context, unknown: &mut Vec<String>) -> Query {
        let c = self.catalog();
        let mut look = |id: &str| {
            let p = c.index_of(id);
            if p.is_none() {
                unknown.push(id.to_string());
            }
            p
        };
        let current = ctx.product.as_deref().and_then(&mut look);
        let views: Vec<u32> = ctx.views.iter().take(MAX_CONTEXT_IDS).filter_map(|v| look(&v.id)).collect();
        let cart: Vec<u32> = ctx.cart.iter().take(MAX_CONTEXT_IDS).filter_map(|id| look(id)).collect();
        let purchase_times: Vec<(u32, Option<i64>)> =
            ctx.purchased.iter().take(MAX_CONTEXT_IDS).filter_map(|b| Some((look(&b.id)?, b.at))).collect();
        let purchased: Vec<u32> = purchase_times.iter().map(|b| b.0).collect();
        let exclude: Vec<u32> = ctx.exclude.iter().take(MAX_CONTEXT_IDS).filter_map(|id| look(id)).collect();
        let now = ctx.now.unwrap_or(self.snapshot.meta.as_of);
        let sorted = |v: &[u32]| {
            let mut s = v.to_vec();
            s.sort_unstable();
            s.dedup();
            s
        };
        Query {
            current,
            cart_sorted: sorted(&cart),
            purchased_sorted: sorted(&purchased),
            views,
            cart,
            purchased,
            purchase_times,
            now,
            segment: ctx.segment.as_deref().and_then(|s| self.snapshot.segments.row_of(s)),
            today: day_of(now),
            exclude_sorted: sorted(&exclude),
        }
    }

    pub(super) fn anchors(&self, q: &Query) -> Anchors {
        let items: Vec<u32> = if let Some(p) = q.current {
            vec![p]
        } else if !q.cart.is_empty() {
            let mut seen = Vec::with_capacity(q.cart.len());
            for &p in q.cart.iter().rev() {
                if !seen.contains(&p) {
                    seen.push(p);
                }
            }
            seen
        } else {
            q.views.first().copied().into_iter().collect()
        };
        let c = self.catalog();
        let mut categories: Vec<u32> = items.iter().flat_map(|&p| c.categories(p).iter().copied()).collect();
        categories.sort_unstable();
        categories.dedup();
        let first = items.first().copied();
        Anchors {
            first_categories: first.map(|p| c.categories(p).to_vec()).unwrap_or_default(),
            first_price: first.and_then(|p| c.price(p)),
            categories,
            items,
        }
    }
}
