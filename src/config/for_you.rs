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
    /// The weights' names, as in edgerec.toml, in declaration order.
    pub const NAMES: [&'static str; 11] = [
        "recency_decay",
        "next_weight",
        "together_weight",
        "bought_weight",
        "repeat_weight",
        "cart_boost",
        "purchase_weight",
        "purchase_decay",
        "rebuy_weight",
        "hop_weight",
        "popular_weight",
    ];

    /// Every weight with its name, in the order of [`ForYouParams::NAMES`].
    pub fn weights(&self) -> [(&'static str, f32); 11] {
        let mut copy = self.clone();
        let values = copy.weights_mut().map(|w| *w);
        std::array::from_fn(|i| (Self::NAMES[i], values[i]))
    }

    /// Every weight, in the order of [`ForYouParams::NAMES`].
    fn weights_mut(&mut self) -> [&mut f32; 11] {
        [
            &mut self.recency_decay,
            &mut self.next_weight,
            &mut self.together_weight,
            &mut self.bought_weight,
            &mut self.repeat_weight,
            &mut self.cart_boost,
            &mut self.purchase_weight,
            &mut self.purchase_decay,
            &mut self.rebuy_weight,
            &mut self.hop_weight,
            &mut self.popular_weight,
        ]
    }

    /// Sets the weight called `name` (as in [`ForYouParams::NAMES`]); false when there is none.
    pub fn set(&mut self, name: &str, value: f32) -> bool {
        match Self::NAMES.iter().position(|n| *n == name) {
            Some(i) => {
                *self.weights_mut()[i] = value;
                true
            }
            None => false,
        }
    }

    /// The weight called `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<f32> {
        self.weights().into_iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Replaces each weight that `patch` sets.
    pub fn apply(&mut self, patch: &ForYouPatch) {
        for (slot, new) in self.weights_mut().into_iter().zip(patch.weights()) {
            if let Some(v) = new {
                *slot = v;
            }
        }
    }

    /// Appends the weights as a JSON object (snake_case keys, as in edgerec.toml).
    pub fn write_json(&self, out: &mut String) {
        let mut o = crate::json::Object::new(out);
        for (name, v) in self.weights() {
            o.num(name, f64::from(v), 6);
        }
        o.end();
    }

    /// Checks that every weight is a number of 0 or more; `key` is the table's dotted key.
    pub fn validate(&self, key: &str) -> Result<(), ConfigError> {
        for (name, v) in self.weights() {
            if !(v.is_finite() && v >= 0.0) {
                return Err(err(format!("{key}.{name}"), "must be a number of 0 or more"));
            }
        }
        Ok(())
    }
}

/// How the shape of the session changes the in-session list's weights: refinements that only the
/// build's tuning sets (part of [`TunedForYou`]; edgerec.toml has no key for them). The default
/// changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SessionShape {
    /// The latest view's neighbours count this many times (position-aware: 1 is the decay alone).
    pub latest_boost: f32,
    /// "Viewed next" neighbours of the i-th most recent view weigh `next_decay^i` (transitions
    /// fade faster than co-views); 0: `recency_decay^i`, like the other neighbours.
    pub next_decay: f32,
    /// In a session that already came back to a product (one viewed twice), the session items'
    /// own scores count this many times: such sessions return more (a repeat-vs-explore mixture).
    pub repeat_seen: f32,
}

impl Default for SessionShape {
    fn default() -> Self {
        SessionShape { latest_boost: 1.0, next_decay: 0.0, repeat_seen: 1.0 }
    }
}

impl SessionShape {
    /// The refinements' names, as the tuning reports them.
    pub const NAMES: [&'static str; 3] = ["latest_boost", "next_decay", "repeat_seen"];

    fn slots(&mut self) -> [&mut f32; 3] {
        [&mut self.latest_boost, &mut self.next_decay, &mut self.repeat_seen]
    }

    /// Every refinement with its name.
    pub fn values(&self) -> [(&'static str, f32); 3] {
        let mut copy = *self;
        let v = copy.slots().map(|x| *x);
        std::array::from_fn(|i| (Self::NAMES[i], v[i]))
    }

    /// Sets the refinement called `name`; false when there is none.
    pub fn set(&mut self, name: &str, value: f32) -> bool {
        match Self::NAMES.iter().position(|n| *n == name) {
            Some(i) => {
                *self.slots()[i] = value;
                true
            }
            None => false,
        }
    }
}

/// The `for_you` weights fitted to a store at build time (the `for_you.tuned` snapshot section):
/// `edgerec build` holds out the most recent part of the training events, searches the weights
/// that rank its next views best, and stores them with the figures of that validation split. The
/// engine uses them for every `for_you` widget without weights of its own, unless edgerec.toml
/// sets `[for_you]` (then nothing is tuned).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TunedForYou {
    /// The fitted weights.
    pub params: ForYouParams,
    /// The fitted refinements by session shape.
    pub shape: SessionShape,
    /// Next-item cases of the validation split the weights were fitted on.
    pub cases: u64,
    /// Validation HR@20 and MRR@20 of the fitted weights.
    pub fitted: (f32, f32),
    /// Validation HR@20 and MRR@20 of the built-in default weights.
    pub defaults: (f32, f32),
    /// Validation HR@20 and MRR@20 of the session's own items by count, then popularity.
    pub in_session: (f32, f32),
    /// Weight settings evaluated by the search.
    pub evaluations: u32,
}

impl TunedForYou {
    /// Appends what the build fitted as JSON (`rec.info().tuned`): `weights`, `shape`, `cases`,
    /// `evaluations`, the fitted weights' validation `hr20` and `mrr20`, and the same figures
    /// for the `defaults` and for `inSession` (the session's own items, then popularity).
    pub fn write_json(&self, out: &mut String) {
        use crate::json::Object;
        let figures = |out: &mut String, (hr, mrr): (f32, f32)| {
            Object::new(out).num("hr20", f64::from(hr), 6).num("mrr20", f64::from(mrr), 6).end();
        };
        let mut o = Object::new(out);
        self.params.write_json(o.key("weights"));
        let mut shape = Object::new(o.key("shape"));
        for (name, v) in self.shape.values() {
            shape.num(name, f64::from(v), 6);
        }
        shape.end();
        o.int("cases", self.cases as i64).int("evaluations", i64::from(self.evaluations));
        o.num("hr20", f64::from(self.fitted.0), 6).num("mrr20", f64::from(self.fitted.1), 6);
        figures(o.key("defaults"), self.defaults);
        figures(o.key("inSession"), self.in_session);
        o.end();
    }

    /// Checks the stored weights (a decoded section).
    pub fn check(&self) -> Result<(), String> {
        self.params.validate("for_you.tuned").map_err(|e| e.to_string())?;
        match self.shape.values().into_iter().find(|(_, v)| !(v.is_finite() && *v >= 0.0)) {
            Some((name, v)) => Err(format!("for_you.tuned.{name}: {v} is not a number of 0 or more")),
            None => Ok(()),
        }
    }
}

/// Changes to a widget's `for_you` weights (`[widgets.NAME.for_you]`): each weight given replaces
/// the one the widget runs with, the others stay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForYouPatch {
    /// See [`ForYouParams::recency_decay`].
    pub recency_decay: Option<f32>,
    /// See [`ForYouParams::next_weight`].
    pub next_weight: Option<f32>,
    /// See [`ForYouParams::together_weight`].
    pub together_weight: Option<f32>,
    /// See [`ForYouParams::bought_weight`].
    pub bought_weight: Option<f32>,
    /// See [`ForYouParams::repeat_weight`].
    pub repeat_weight: Option<f32>,
    /// See [`ForYouParams::cart_boost`].
    pub cart_boost: Option<f32>,
    /// See [`ForYouParams::purchase_weight`].
    pub purchase_weight: Option<f32>,
    /// See [`ForYouParams::purchase_decay`].
    pub purchase_decay: Option<f32>,
    /// See [`ForYouParams::rebuy_weight`].
    pub rebuy_weight: Option<f32>,
    /// See [`ForYouParams::hop_weight`].
    pub hop_weight: Option<f32>,
    /// See [`ForYouParams::popular_weight`].
    pub popular_weight: Option<f32>,
}

impl ForYouPatch {
    /// Every weight, in the order of [`ForYouParams::NAMES`].
    pub fn weights(&self) -> [Option<f32>; 11] {
        [
            self.recency_decay,
            self.next_weight,
            self.together_weight,
            self.bought_weight,
            self.repeat_weight,
            self.cart_boost,
            self.purchase_weight,
            self.purchase_decay,
            self.rebuy_weight,
            self.hop_weight,
            self.popular_weight,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "cli")]
    #[test]
    fn each_weight_is_set_by_its_own_name() {
        let base = ForYouParams::default();
        for (i, name) in ForYouParams::NAMES.into_iter().enumerate() {
            let patch: ForYouPatch = serde_json::from_str(&format!("{{\"{name}\": 7.5}}")).unwrap();
            let mut p = base.clone();
            p.apply(&patch);
            for (j, ((n, v), (_, was))) in p.weights().into_iter().zip(base.weights()).enumerate() {
                assert_eq!(n, ForYouParams::NAMES[j]);
                assert_eq!(v, if i == j { 7.5 } else { was }, "{name} set {n}");
            }
            let json: serde_json::Value = serde_json::to_value(&p).unwrap();
            assert_eq!(json[name], 7.5, "{name}");
        }
    }

    #[test]
    fn validation_names_the_weight() {
        let p = ForYouParams { hop_weight: -1.0, ..ForYouParams::default() };
        assert_eq!(p.validate("for_you").unwrap_err().key, "for_you.hop_weight");
    }
}
