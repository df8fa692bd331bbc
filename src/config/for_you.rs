//! The weights of the in-session `for_you` list.

use serde::{Deserialize, Serialize};

use super::{err, ConfigError};

/// `[for_you]`: how the in-session list weighs the session's events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "cli", serde(default))]
pub struct ForYouParams {
    /// Weight of the i-th most recent session item is `recency_decay ^ i`.
    pub recency_decay: f32,
    /// Weight of "viewed next" transitions.
    pub next_weight: f32,
    /// Weight of "viewed in the same session" neighbours.
    pub together_weight: f32,
    /// Weight of products bought or carted together.
    pub bought_weight: f32,
    /// Score given to a product already in the session (shoppers come back to what they viewed).
    pub repeat_weight: f32,
    /// A cart item counts as this many views.
    pub cart_boost: f32,
    /// Weight of past purchases' neighbours (bought together, viewed next...).
    pub purchase_weight: f32,
    /// Each purchase line weighs `purchase_decay^j`, j = 0 for the most recent line, so an item's
    /// weight blends how often and how lately it was bought.
    pub purchase_decay: f32,
    /// Score of a past purchase itself ("buy again"; only listed when the widget does not
    /// exclude purchases).
    pub rebuy_weight: f32,
    /// Weight of two-hop neighbours (neighbours of the best candidates); 0 turns them off.
    pub hop_weight: f32,
    /// Weight of the popularity prior: the best sellers join the candidates with this share of
    /// their popularity relative to the top seller.
    pub popular_weight: f32,
}

impl ForYouParams {
    /// Weights for repeat purchases, tuned on a validation split of the Ta Feng grocery baskets
    /// (docs/quality.md): past purchases by frequency with a gentle recency decay, their
    /// bought-together neighbours a little, and the best sellers as a prior.
    pub fn buy_again() -> ForYouParams {
        ForYouParams {
            purchase_weight: 0.05,
            purchase_decay: 0.995,
            rebuy_weight: 1.0,
            popular_weight: 1.5,
            ..ForYouParams::default()
        }
    }
}

impl Default for ForYouParams {
    fn default() -> Self {
        ForYouParams {
            recency_decay: 0.7,
            next_weight: 0.7,
            together_weight: 0.5,
            bought_weight: 0.5,
            repeat_weight: 0.5,
            cart_boost: 2.0,
            purchase_weight: 0.3,
            purchase_decay: 0.98,
            rebuy_weight: 1.0,
            hop_weight: 0.3,
            popular_weight: 0.0,
        }
    }
}

impl ForYouParams {
    /// Appends the weights as a JSON object (snake_case keys, as in edgerec.toml).
    pub fn write_json(&self, out: &mut String) {
        let f = |x: f32| f64::from(x);
        crate::json::Object::new(out)
            .num("recency_decay", f(self.recency_decay), 6)
            .num("next_weight", f(self.next_weight), 6)
            .num("together_weight", f(self.together_weight), 6)
            .num("bought_weight", f(self.bought_weight), 6)
            .num("repeat_weight", f(self.repeat_weight), 6)
            .num("cart_boost", f(self.cart_boost), 6)
            .num("purchase_weight", f(self.purchase_weight), 6)
            .num("purchase_decay", f(self.purchase_decay), 6)
            .num("rebuy_weight", f(self.rebuy_weight), 6)
            .num("hop_weight", f(self.hop_weight), 6)
            .num("popular_weight", f(self.popular_weight), 6)
            .end();
    }
}

impl ForYouParams {
    /// Checks that every weight is a number of 0 or more; `key` is the table's dotted key.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        for (name, v) in [
            ("recency_decay", self.recency_decay),
            ("next_weight", self.next_weight),
            ("together_weight", self.together_weight),
            ("bought_weight", self.bought_weight),
            ("repeat_weight", self.repeat_weight),
            ("cart_boost", self.cart_boost),
            ("purchase_weight", self.purchase_weight),
            ("purchase_decay", self.purchase_decay),
            ("rebuy_weight", self.rebuy_weight),
            ("hop_weight", self.hop_weight),
            ("popular_weight", self.popular_weight),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(err(format!("{key}.{name}"), "must be a number of 0 or more"));
            }
        }
        Ok(())
    }
}
