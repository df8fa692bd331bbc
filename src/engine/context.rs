//! What a request says about the shopper and the page: [`Context`].

use serde::{Deserialize, Serialize};

/// A product the shopper viewed or bought, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timed {
    /// The product.
    pub id: String,
    /// When (Unix seconds), if known.
    #[serde(default)]
    pub at: Option<i64>,
}

impl Timed {
    /// A product with no known time.
    pub fn untimed(id: impl Into<String>) -> Timed {
        Timed { id: id.into(), at: None }
    }
}

impl From<&str> for Timed {
    fn from(id: &str) -> Timed {
        Timed::untimed(id)
    }
}

/// One view in the shopper's session.
pub type View = Timed;

/// A search the shopper made (what the storefront records with `session.search(query)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Search {
    /// The words searched for.
    pub query: String,
    /// When (Unix seconds), if known.
    #[serde(default)]
    pub at: Option<i64>,
}
/// One purchase of a product (an id appears once per time it was bought).
pub type Purchase = Timed;

/// What the engine knows of the shopper and the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Context {
    /// The product on the page, if any.
    pub product: Option<String>,
    /// The session's views, most recent first.
    pub views: Vec<View>,
    /// Views of the shopper's past sessions, most recent first (personalisation's stored
    /// history; no list model reads them).
    pub past_views: Vec<View>,
    /// The shopper's searches, most recent first (personalisation only).
    pub searches: Vec<Search>,
    /// Products in the cart.
    pub cart: Vec<String>,
    /// Products bought before, most recent first, with when if known; an id appears once per
    /// time it was bought.
    pub purchased: Vec<Purchase>,
    /// The shopper's segment (a business account), for the segment models.
    pub segment: Option<String>,
    /// The current time (Unix seconds); the snapshot's as-of time when absent.
    pub now: Option<i64>,
    /// Products to leave out of every list: what other widgets of the page already show, so
    /// that two boxes never show the same product.
    pub exclude: Vec<String>,
    /// The seed of `rotation = "session"` (any number that stays the same for a session).
    pub seed: Option<u64>,
}

impl Context {
    /// A context from ids, with `viewed` oldest first as a storefront records them.
    pub fn from_ids(product: Option<&str>, viewed_oldest_first: &[&str], cart: &[&str], purchased: &[&str]) -> Context {
        Context {
            product: product.map(String::from),
            views: viewed_oldest_first.iter().rev().map(|&id| Timed::untimed(id)).collect(),
            past_views: Vec::new(),
            searches: Vec::new(),
            cart: cart.iter().map(|s| s.to_string()).collect(),
            purchased: purchased.iter().map(|&id| Timed::untimed(id)).collect(),
            segment: None,
            now: None,
            exclude: Vec::new(),
            seed: None,
        }
    }
}
