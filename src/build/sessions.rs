//! What the list and neighbour models learn from each session of the walk: the popularity
//! tallies (most viewed, carted, purchased, popular) and the baskets the pair counts are made
//! of (view sequences, carts, orders).
//!
//! A view sequence drops repeated consecutive views; a cart basket and a loose-purchase basket
//! keep each product once, in order. Purchases with an order id form one basket per order (across
//! sessions); those without one, one basket per session.

use super::cooccurrence::{distinct_in_order, Baskets};
use super::popularity::Tally;
use crate::ingest::events::{CART, NONE, PURCHASE, VIEW};
use crate::snapshot::InputCounts;
use crate::time::DAY;
use crate::walk::{Observer, Shopper};

/// The time windows and weights of the tallies.
#[derive(Debug, Clone)]
pub struct TallyParams {
    /// Each event kind's weight on the `popular` list (custom kinds after the built-in ones).
    pub kind_weights: Vec<f64>,
    /// The build's as-of time.
    pub as_of: i64,
    /// Events before this count on no view, cart or popular tally.
    pub timeframe_start: i64,
    /// Purchases before this count on no purchase tally.
    pub recent_start: i64,
    /// The time decay's half-life in days (0: no decay).
    pub half_life_days: f32,
}

impl TallyParams {
    fn decay(&self, ts: i64) -> f64 {
        let half_life = f64::from(self.half_life_days) * DAY as f64;
        if half_life > 0.0 {
            0.5f64.powf((self.as_of - ts) as f64 / half_life)
        } else {
            1.0
        }
    }
}

/// The tallies and baskets, filled shopper by shopper.
pub struct SessionCounts {
    params: TallyParams,
    /// The build's input counts, to which the walk adds the events, sessions and orders it saw.
    pub counts: InputCounts,
    /// Views per product.
    pub views: Tally,
    /// Cart additions per product.
    pub carts: Tally,
    /// Units bought per product.
    pub purchases: Tally,
    /// The weighted `popular` score per product.
    pub popular: Tally,
    /// Each session's view sequence.
    pub view_seqs: Baskets,
    /// Each session's cart.
    pub cart_baskets: Baskets,
    /// Each order (or session's loose purchases).
    pub bought_baskets: Baskets,
    seq: Vec<u32>,
    cart_items: Vec<u32>,
    loose: Vec<u32>,
    orders: Vec<(u32, u32)>,
    basket: Vec<u32>,
    scratch: Vec<u32>,
}

impl SessionCounts {
    /// Empty tallies for `products` products, adding to `counts`.
    pub fn new(products: usize, params: TallyParams, counts: InputCounts) -> SessionCounts {
        SessionCounts {
            params,
            counts,
            views: Tally::new(products),
            carts: Tally::new(products),
            purchases: Tally::new(products),
            popular: Tally::new(products),
            view_seqs: Baskets::default(),
            cart_baskets: Baskets::default(),
            bought_baskets: Baskets::default(),
            seq: Vec::new(),
            cart_items: Vec::new(),
            loose: Vec::new(),
            orders: Vec::new(),
            basket: Vec::new(),
            scratch: Vec::new(),
        }
    }
}

impl Observer for SessionCounts {
    fn observe(&mut self, s: &Shopper<'_>) {
        let shopper = s.no;
        let p = &self.params;
        let counts = &mut self.counts;
        self.orders.clear();
        for session in s.sessions() {
            counts.sessions += 1;
            self.seq.clear();
            self.cart_items.clear();
            self.loose.clear();
            for (_, _, ev) in session {
                let w = p.kind_weights[ev.kind as usize];
                let in_frame = ev.ts >= p.timeframe_start;
                let d = if in_frame { p.decay(ev.ts) } else { 0.0 };
                match ev.kind {
                    VIEW => {
                        counts.views += 1;
                        if self.seq.last() != Some(&ev.product) {
                            self.seq.push(ev.product);
                        }
                        if in_frame {
                            self.views.add(ev.product, d, shopper);
                        }
                    }
                    CART => {
                        counts.carts += 1;
                        self.cart_items.push(ev.product);
                        if in_frame {
                            self.carts.add(ev.product, d, shopper);
                        }
                    }
                    PURCHASE => {
                        counts.purchases += 1;
                        if ev.order != NONE {
                            self.orders.push((ev.order, ev.product));
                        } else {
                            self.loose.push(ev.product);
                        }
                        if ev.ts >= p.recent_start {
                            self.purchases.add(ev.product, f64::from(ev.qty), shopper);
                        }
                    }
                    _ => counts.custom += 1,
                }
                if in_frame && w > 0.0 {
                    let units = if ev.kind == PURCHASE { f64::from(ev.qty) } else { 1.0 };
                    self.popular.add(ev.product, w * d * units, shopper);
                }
            }
            if !self.seq.is_empty() {
                self.view_seqs.push(&self.seq, shopper);
            }
            distinct_in_order(&self.cart_items, &mut self.scratch);
            std::mem::swap(&mut self.cart_items, &mut self.scratch);
            if !self.cart_items.is_empty() {
                self.cart_baskets.push(&self.cart_items, shopper);
            }
            distinct_in_order(&self.loose, &mut self.scratch);
            std::mem::swap(&mut self.loose, &mut self.scratch);
            if !self.loose.is_empty() {
                counts.orders += 1;
                self.bought_baskets.push(&self.loose, shopper);
            }
        }
        // Orders of this shopper, across sessions.
        self.orders.sort_unstable();
        for order in self.orders.chunk_by(|a, b| a.0 == b.0) {
            self.basket.clear();
            self.basket.extend(order.iter().map(|o| o.1));
            self.basket.dedup();
            counts.orders += 1;
            self.bought_baskets.push(&self.basket, shopper);
        }
    }
}
