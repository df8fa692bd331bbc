//! The shopper's session as the device keeps it: views with times, the cart, purchases, and a
//! bounded history of past sessions. Pure: the caller passes the time in and decides where the
//! state is stored (the browser binding uses one localStorage key).
//!
//! A new session starts after the state's `gap` seconds without activity ([`SESSION_GAP`] until
//! the binding sets the snapshot's `session_gap_minutes`, so that the device cuts sessions where
//! the builder did); the cart and purchases carry over, the views of the ended session move to the history. Every list is bounded, so the
//! stored state stays a few kilobytes. The serialised form carries [`SESSION_VERSION`]; a state
//! that does not pass [`SessionState::is_valid`] is reset by the binding, never trusted.

use serde::{Deserialize, Serialize};

use crate::engine::{Context, Purchase, Search, View};

/// The version of the stored session format.
pub const SESSION_VERSION: u32 = 1;
/// Seconds of inactivity that end a session, until a snapshot says otherwise (the builder's
/// default `session_gap_minutes`).
pub const SESSION_GAP: i64 = 30 * 60;
/// The shortest gap a state accepts (a minute, the configuration's smallest).
pub const MIN_GAP: i64 = 60;
/// The longest gap a state accepts (a week).
pub const MAX_GAP: i64 = 7 * 86_400;
/// Views kept for the current session.
pub const MAX_VIEWS: usize = 100;
/// Distinct products kept in the cart.
pub const MAX_CART: usize = 100;
/// Purchase lines kept.
pub const MAX_PURCHASES: usize = 500;
/// Purchases older than this many seconds are forgotten (a year).
pub const PURCHASE_RETENTION: i64 = 365 * 86_400;
/// Past sessions kept.
pub const MAX_PAST_SESSIONS: usize = 10;
/// Views kept per past session.
pub const MAX_PAST_VIEWS: usize = 20;
/// Searches kept.
pub const MAX_SEARCHES: usize = 20;
/// The longest search kept (longer ones are cut at a character boundary).
pub const MAX_QUERY_LEN: usize = 200;
/// The most units of one product a cart line holds.
pub const MAX_QUANTITY: u32 = 1_000_000;
/// The longest product id accepted (longer ones are ignored).
pub const MAX_ID_LEN: usize = 256;

/// One viewed product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Product id.
    pub id: String,
    /// Unix seconds.
    pub at: i64,
}

/// One cart line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// Product id.
    pub id: String,
    /// Units.
    pub quantity: u32,
    /// When it was last changed (Unix seconds).
    pub at: i64,
}

/// One bought product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bought {
    /// Product id.
    pub id: String,
    /// Units.
    pub quantity: u32,
    /// Unix seconds.
    pub at: i64,
}

/// One search the storefront recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Searched {
    /// The words searched for.
    pub query: String,
    /// Unix seconds.
    pub at: i64,
}

/// A session that ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastSession {
    /// When it started (Unix seconds).
    pub started: i64,
    /// When its last activity was.
    pub ended: i64,
    /// Its views, oldest first (at most [`MAX_PAST_VIEWS`], the latest ones).
    pub views: Vec<String>,
}

/// Everything the device remembers of the shopper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    /// [`SESSION_VERSION`].
    pub version: u32,
    /// When the current session started (Unix seconds).
    pub started: i64,
    /// The last activity (Unix seconds).
    pub last_active: i64,
    /// The current session's views, oldest first.
    pub views: Vec<Seen>,
    /// The cart, in the order items were added.
    pub cart: Vec<CartLine>,
    /// Purchases, oldest first.
    pub purchases: Vec<Bought>,
    /// Ended sessions, oldest first.
    pub past: Vec<PastSession>,
    /// Searches, oldest first (personalisation reads them; states from before they were kept
    /// have none).
    #[serde(default)]
    pub searches: Vec<Searched>,
    /// Seconds of inactivity that end a session (states from before it was kept have
    /// [`SESSION_GAP`]).
    #[serde(default = "default_gap")]
    pub gap: i64,
}

fn default_gap() -> i64 {
    SESSION_GAP
}

impl Default for SessionState {
    fn default() -> Self {
        SessionState::new(0)
    }
}

fn usable(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN
}

impl SessionState {
    /// An empty state starting at `now`.
    pub fn new(now: i64) -> SessionState {
        SessionState {
            version: SESSION_VERSION,
            started: now,
            last_active: now,
            views: Vec::new(),
            cart: Vec::new(),
            purchases: Vec::new(),
            past: Vec::new(),
            searches: Vec::new(),
            gap: SESSION_GAP,
        }
    }

    /// Sets the inactivity gap (seconds, clamped to [`MIN_GAP`]..=[`MAX_GAP`]); returns whether it
    /// changed. It applies from the next activity or context on: nothing is re-cut.
    pub fn set_gap(&mut self, seconds: i64) -> bool {
        let g = seconds.clamp(MIN_GAP, MAX_GAP);
        let changed = g != self.gap;
        self.gap = g;
        changed
    }

    /// Whether a deserialised state is one this version wrote and within its bounds.
    pub fn is_valid(&self) -> bool {
        self.version == SESSION_VERSION
            && self.views.len() <= MAX_VIEWS
            && self.cart.len() <= MAX_CART
            && self.purchases.len() <= MAX_PURCHASES
            && self.past.len() <= MAX_PAST_SESSIONS
            && self.past.iter().all(|p| p.views.len() <= MAX_PAST_VIEWS && p.views.iter().all(|v| usable(v)))
            && self.views.iter().all(|v| usable(&v.id))
            && self.cart.iter().all(|c| usable(&c.id) && c.quantity > 0)
            && self.purchases.iter().all(|b| usable(&b.id) && b.quantity > 0)
            && self.searches.len() <= MAX_SEARCHES
            && self.searches.iter().all(|q| !q.query.is_empty() && q.query.len() <= MAX_QUERY_LEN)
            && (MIN_GAP..=MAX_GAP).contains(&self.gap)
    }

    /// Whether the current session has expired at `now`.
    pub fn expired(&self, now: i64) -> bool {
        now - self.last_active > self.gap
    }

    /// Ends the current session if it expired, then records activity at `now`.
    /// Returns whether a new session started.
    pub fn touch(&mut self, now: i64) -> bool {
        let rotated = self.expired(now);
        if rotated {
            if !self.views.is_empty() {
                let skip = self.views.len().saturating_sub(MAX_PAST_VIEWS);
                self.past.push(PastSession {
                    started: self.started,
                    ended: self.last_active,
                    views: self.views.iter().skip(skip).map(|v| v.id.clone()).collect(),
                });
                if self.past.len() > MAX_PAST_SESSIONS {
                    self.past.remove(0);
                }
            }
            self.views.clear();
            self.started = now;
        }
        self.last_active = self.last_active.max(now);
        let horizon = now - PURCHASE_RETENTION;
        self.purchases.retain(|b| b.at >= horizon);
        rotated
    }

    /// Records a product view.
    pub fn view(&mut self, id: &str, now: i64) {
        if !usable(id) {
            return;
        }
        self.touch(now);
        self.views.push(Seen { id: id.to_string(), at: now });
        if self.views.len() > MAX_VIEWS {
            self.views.remove(0);
        }
    }

    /// Adds units to the cart (a new line, or more of an existing one).
    pub fn add_to_cart(&mut self, id: &str, quantity: u32, now: i64) {
        if !usable(id) || quantity == 0 {
            return;
        }
        self.touch(now);
        match self.cart.iter_mut().find(|c| c.id == id) {
            Some(line) => {
                line.quantity = line.quantity.saturating_add(quantity).min(MAX_QUANTITY);
                line.at = now;
            }
            None => {
                if self.cart.len() >= MAX_CART {
                    self.cart.remove(0);
                }
                self.cart.push(CartLine { id: id.to_string(), quantity: quantity.min(MAX_QUANTITY), at: now });
            }
        }
    }

    /// Sets a cart line's quantity in place (0 removes it; a product not in the cart is added).
    pub fn set_quantity(&mut self, id: &str, quantity: u32, now: i64) {
        if quantity == 0 {
            return self.remove_from_cart(id, now);
        }
        if !usable(id) {
            return;
        }
        self.touch(now);
        match self.cart.iter_mut().find(|c| c.id == id) {
            Some(line) => {
                line.quantity = quantity.min(MAX_QUANTITY);
                line.at = now;
            }
            None => self.add_to_cart(id, quantity, now),
        }
    }

    /// Removes a product from the cart.
    pub fn remove_from_cart(&mut self, id: &str, now: i64) {
        self.touch(now);
        self.cart.retain(|c| c.id != id);
    }

    /// Records an order: each product (with the cart's quantity when it is in the cart) is
    /// bought, and leaves the cart.
    pub fn purchase(&mut self, ids: &[&str], now: i64) {
        self.touch(now);
        for &id in ids.iter().filter(|id| usable(id)) {
            let quantity = self.cart.iter().find(|c| c.id == id).map_or(1, |c| c.quantity);
            self.purchases.push(Bought { id: id.to_string(), quantity, at: now });
            self.cart.retain(|c| c.id != id);
        }
        if self.purchases.len() > MAX_PURCHASES {
            let extra = self.purchases.len() - MAX_PURCHASES;
            self.purchases.drain(..extra);
        }
    }

    /// Records a search (blank ones are ignored; long ones are cut to [`MAX_QUERY_LEN`] bytes).
    pub fn search(&mut self, query: &str, now: i64) {
        let q = query.trim();
        if q.is_empty() {
            return;
        }
        let mut end = q.len().min(MAX_QUERY_LEN);
        while !q.is_char_boundary(end) {
            end -= 1;
        }
        self.touch(now);
        self.searches.push(Searched { query: q[..end].to_string(), at: now });
        if self.searches.len() > MAX_SEARCHES {
            self.searches.remove(0);
        }
    }

    /// Forgets everything the shopper did (the gap stays).
    pub fn clear(&mut self, now: i64) {
        let gap = self.gap;
        *self = SessionState::new(now);
        self.gap = gap;
    }

    /// The current session's views, most recent first (no repeats, without ended sessions'
    /// views when the session has expired at `now`).
    pub fn recent_views(&self, now: i64) -> Vec<&str> {
        if self.expired(now) {
            return Vec::new();
        }
        let mut out: Vec<&str> = Vec::with_capacity(self.views.len());
        for v in self.views.iter().rev() {
            if !out.contains(&v.id.as_str()) {
                out.push(&v.id);
            }
        }
        out
    }

    /// The engine's context for a page showing `product` at `now`.
    pub fn context(&self, product: Option<&str>, now: i64) -> Context {
        let seen = |v: &Seen| View { id: v.id.clone(), at: Some(v.at) };
        let (views, mut past_views) = if self.expired(now) {
            (Vec::new(), self.views.iter().rev().map(seen).collect())
        } else {
            (self.views.iter().rev().map(seen).collect(), Vec::new())
        };
        for p in self.past.iter().rev() {
            past_views.extend(p.views.iter().rev().map(|id| View { id: id.clone(), at: Some(p.ended) }));
        }
        Context {
            product: product.map(String::from),
            views,
            past_views,
            searches: self.searches.iter().rev().map(|q| Search { query: q.query.clone(), at: Some(q.at) }).collect(),
            cart: self.cart.iter().map(|c| c.id.clone()).collect(),
            purchased: self.purchases.iter().rev().map(|b| Purchase { id: b.id.clone(), at: Some(b.at) }).collect(),
            segment: None,
            now: Some(now),
            exclude: Vec::new(),
            // The session's start seeds `rotation = "session"`; a new session rotates anew.
            seed: (!self.expired(now)).then_some(self.started as u64),
        }
    }
}

impl SessionState {
    /// Appends the stored form as JSON (the same shape as its serde form).
    pub fn write_json(&self, out: &mut String) {
        use crate::json::{array, Object};
        let mut o = Object::new(out);
        o.int("version", i64::from(self.version)).int("started", self.started).int("last_active", self.last_active);
        array(o.key("views"), &self.views, |out, v| Object::new(out).str("id", &v.id).int("at", v.at).end());
        array(o.key("cart"), &self.cart, |out, c| {
            Object::new(out).str("id", &c.id).int("quantity", i64::from(c.quantity)).int("at", c.at).end()
        });
        array(o.key("purchases"), &self.purchases, |out, b| {
            Object::new(out).str("id", &b.id).int("quantity", i64::from(b.quantity)).int("at", b.at).end()
        });
        array(o.key("past"), &self.past, |out, p| {
            Object::new(out).int("started", p.started).int("ended", p.ended).strs("views", &p.views).end()
        });
        array(o.key("searches"), &self.searches, |out, q| {
            Object::new(out).str("query", &q.query).int("at", q.at).end()
        });
        o.int("gap", self.gap);
        o.end();
    }
}

/// Appends an engine context as JSON (`Session.context()`).
pub fn write_context_json(c: &Context, out: &mut String) {
    use crate::json::{array, Object};
    let mut o = Object::new(out);
    o.opt_str("product", c.product.as_deref());
    array(o.key("views"), &c.views, |out, v| {
        Object::new(out).str("id", &v.id).opt_num("at", v.at.map(|t| t as f64), 0).end()
    });
    array(o.key("past_views"), &c.past_views, |out, v| {
        Object::new(out).str("id", &v.id).opt_num("at", v.at.map(|t| t as f64), 0).end()
    });
    array(o.key("searches"), &c.searches, |out, q| {
        Object::new(out).str("query", &q.query).opt_num("at", q.at.map(|t| t as f64), 0).end()
    });
    o.strs("cart", &c.cart);
    array(o.key("purchased"), &c.purchased, |out, b| {
        Object::new(out).str("id", &b.id).opt_num("at", b.at.map(|t| t as f64), 0).end()
    });
    o.opt_str("segment", c.segment.as_deref()).opt_num("now", c.now.map(|t| t as f64), 0);
    o.strs("exclude", &c.exclude).opt_num("seed", c.seed.map(|t| t as f64), 0);
    o.end();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_are_kept_most_recent_first_in_the_context() {
        let mut s = SessionState::new(0);
        for (i, id) in ["a", "b", "a", "c"].into_iter().enumerate() {
            s.view(id, i as i64 * 10);
        }
        assert_eq!(s.recent_views(40), vec!["c", "a", "b"]);
        let ctx = s.context(Some("d"), 40);
        assert_eq!(ctx.views.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(), ["c", "a", "b", "a"]);
        assert_eq!(ctx.product.as_deref(), Some("d"));
        assert_eq!(ctx.now, Some(40));
    }

    #[test]
    fn a_new_session_starts_after_thirty_minutes_and_keeps_cart_and_purchases() {
        let mut s = SessionState::new(0);
        s.view("a", 0);
        s.add_to_cart("x", 2, 10);
        s.purchase(&["y"], 20);
        let later = 20 + SESSION_GAP + 1;
        assert!(s.recent_views(later).is_empty(), "an expired session shows no views");
        s.view("b", later);
        assert_eq!(s.recent_views(later), vec!["b"]);
        assert_eq!(s.past.len(), 1);
        assert_eq!(s.past[0].views, ["a"]);
        assert_eq!(s.cart.len(), 1);
        assert_eq!(s.purchases.len(), 1);
        // Activity within the gap keeps the session going.
        s.view("c", later + SESSION_GAP);
        assert_eq!(s.recent_views(later + SESSION_GAP), vec!["c", "b"]);
    }

    #[test]
    fn the_gap_a_snapshot_sets_decides_where_a_session_ends() {
        let mut s = SessionState::new(0);
        s.view("a", 0);
        assert!(s.set_gap(45 * 60), "45 minutes is a change");
        assert!(!s.set_gap(45 * 60), "the same gap again is not");
        // 40 minutes later: past the default 30, within 45.
        assert_eq!(s.recent_views(40 * 60), vec!["a"]);
        s.view("b", 40 * 60);
        assert!(s.past.is_empty(), "no new session within the 45-minute gap");
        s.view("c", 40 * 60 + 45 * 60 + 1);
        assert_eq!(s.past.len(), 1, "a new session after 45 minutes");
        // Out-of-range gaps are clamped, and a stored out-of-range gap is refused.
        s.set_gap(0);
        assert_eq!(s.gap, MIN_GAP);
        s.set_gap(i64::MAX);
        assert_eq!(s.gap, MAX_GAP);
        s.gap = MAX_GAP + 1;
        assert!(!s.is_valid());
        s.gap = 45 * 60;
        s.clear(10_000);
        assert_eq!(s.gap, 45 * 60, "clear keeps the gap");
    }

    #[test]
    fn cart_and_purchase() {
        let mut s = SessionState::new(0);
        s.add_to_cart("x", 1, 0);
        s.add_to_cart("x", 2, 1);
        s.add_to_cart("y", 1, 2);
        s.add_to_cart("z", 0, 2);
        assert_eq!(s.cart.iter().map(|c| (c.id.as_str(), c.quantity)).collect::<Vec<_>>(), [("x", 3), ("y", 1)]);
        s.set_quantity("x", 5, 2);
        s.set_quantity("y", 0, 2);
        s.set_quantity("z", 1, 2);
        assert_eq!(
            s.cart.iter().map(|c| (c.id.as_str(), c.quantity)).collect::<Vec<_>>(),
            [("x", 5), ("z", 1)],
            "in place"
        );
        s.remove_from_cart("z", 3);
        s.add_to_cart("y", 1, 3);
        s.remove_from_cart("y", 3);
        s.purchase(&["x", "w"], 4);
        assert!(s.cart.is_empty());
        assert_eq!(s.purchases.iter().map(|b| (b.id.as_str(), b.quantity)).collect::<Vec<_>>(), [("x", 5), ("w", 1)]);
        let ctx = s.context(None, 5);
        let ids: Vec<(&str, Option<i64>)> = ctx.purchased.iter().map(|b| (b.id.as_str(), b.at)).collect();
        assert_eq!(ids, [("w", Some(4)), ("x", Some(4))]);
    }

    #[test]
    fn everything_is_bounded() {
        let mut s = SessionState::new(0);
        for i in 0..(MAX_VIEWS + 50) {
            s.view(&format!("p{i}"), i as i64);
        }
        assert_eq!(s.views.len(), MAX_VIEWS);
        assert_eq!(s.views[0].id, "p50");
        for i in 0..(MAX_PURCHASES + 10) {
            s.purchase(&[&format!("q{i}")], 1000);
        }
        assert_eq!(s.purchases.len(), MAX_PURCHASES);
        let mut t = 2000;
        for _ in 0..(MAX_PAST_SESSIONS + 3) {
            t += SESSION_GAP + 1;
            for i in 0..30 {
                s.view(&format!("v{i}"), t);
            }
        }
        assert_eq!(s.past.len(), MAX_PAST_SESSIONS);
        assert!(s.past.iter().all(|p| p.views.len() <= MAX_PAST_VIEWS));
        s.view(&"x".repeat(MAX_ID_LEN + 1), t);
        s.view("", t);
        assert!(s.is_valid());
        // Purchases older than a year are forgotten.
        s.touch(1000 + PURCHASE_RETENTION + 1);
        assert!(s.purchases.is_empty());
    }

    #[cfg(feature = "cli")]
    #[test]
    fn json_matches_serde() {
        let mut s = SessionState::new(100);
        s.view("a\"1", 100);
        s.add_to_cart("b", 2, 101);
        s.purchase(&["b", "c"], 102);
        s.view("d", 102 + SESSION_GAP + 1);
        s.set_gap(20 * 60);
        let mut out = String::new();
        s.write_json(&mut out);
        assert_eq!(serde_json::from_str::<SessionState>(&out).unwrap(), s);
        // A state stored before the gap was kept reads as the default gap.
        let old = out.replace(",\"gap\":1200", "");
        assert_ne!(old, out);
        assert_eq!(serde_json::from_str::<SessionState>(&old).unwrap().gap, SESSION_GAP);
        let ctx = s.context(Some("x"), 5000);
        let mut out = String::new();
        write_context_json(&ctx, &mut out);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap(), serde_json::to_value(&ctx).unwrap());
    }

    #[test]
    fn validity_checks_version_and_bounds() {
        let mut s = SessionState::new(0);
        assert!(s.is_valid());
        s.version = 99;
        assert!(!s.is_valid());
        let mut s = SessionState::new(0);
        s.cart.push(CartLine { id: String::new(), quantity: 1, at: 0 });
        assert!(!s.is_valid());
    }
}
