//! Personalisation: a profile of the shopper's affinities, computed from the request's context
//! alone, re-ranks a list (docs/personalization.md).
//!
//! - **Profile.** Per field of the model (brand, category, tag, a catalog column), each value
//!   the shopper met gets `Σ event weight × decay` over their events; the field's values are then
//!   shares summing to 1. The current session's events (views, cart, purchases and searches
//!   within the session gap) count with decay 1 when `in_session` is on; stored history (past
//!   sessions' views, older purchases and searches) counts when `icp` is on, falling linearly
//!   from 1 today to 0 at `decay_days`. A search counts for every field value its words name.
//! - **Groups (IGP).** With `igp` on, the profile is blended with the group's (the segment's,
//!   else the cohort of the top-level category the shopper started in): with `n` events counted
//!   (each by its decay), the own profile weighs `n / (n + group_until_events)`.
//! - **Affinity** of a product: `Σ_field weight × share of its value` (the best of its values for
//!   categories and tags), with a category override's fields for products under that category.
//! - **Re-ranking.** Inside each step of a widget's chain, an item's `(1 - strength) × score +
//!   strength × affinity` orders it; the steps stay in order, force-included products and the
//!   history steps (previously viewed, recurring, segment lists) are never moved, and nothing is
//!   added that the list did not already pass through its filters and exclusions.

use rustc_hash::FxHashMap;

use crate::catalog::Catalog;
use crate::config::Source;
use crate::personalization::GroupKey;

use super::{Context, Recommendation};

mod build;
mod profile;
mod sort;

use sort::sort_desc;

/// Events of each context list the profile reads, most recent first.
const MAX_EVENTS: usize = 200;
/// Searches the profile reads, most recent first.
const MAX_SEARCHES: usize = 20;
/// Values kept per field of a profile, best first.
const MAX_VALUES: usize = 32;
/// An item's affinity from which its explanation mentions the profile.
const MENTION: f32 = 0.1;
/// An id that is no value.
const NONE: u32 = u32::MAX;

/// A field a profile holds affinities for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The brand.
    Brand,
    /// The assigned categories.
    Category,
    /// The tags.
    Tag,
    /// An extra catalog column (index into the personaliser's columns).
    Column(u16),
}

/// Why a product was moved: the field value the shopper is most drawn to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affinity {
    /// The field.
    pub field: Field,
    /// The value (brand, category or tag index, or column value id).
    pub value: u32,
    /// The product's affinity, in 0 to 1.
    pub score: f32,
    /// The value comes from the shopper's group (segment or cohort), not their own events: the
    /// explanation says "Shoppers like you …" rather than "You often …".
    pub from_group: bool,
}

/// One field's values with their shares, best first.
type Shares = Vec<(u32, f32)>;

/// A profile: per field, value shares; and how much is known.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Per field of the model, its values' shares (each field's summing to at most 1).
    pub fields: Vec<(Field, Shares)>,
    /// Events counted (each by its decay).
    pub events: f32,
    /// The weight of the shopper's own profile against their group's (1 without a group).
    pub own_weight: f32,
    /// When blended with a group: per field, the values the shopper's own events gave (the
    /// others come from the group alone). Empty when not blended.
    pub own_values: Vec<(Field, Vec<u32>)>,
}

impl Profile {
    /// Whether the profile knows nothing.
    pub fn is_empty(&self) -> bool {
        self.fields.iter().all(|(_, v)| v.is_empty())
    }

    /// Whether `v` of field `f` comes from the group alone.
    fn group_only(&self, f: Field, v: u32) -> bool {
        !self.own_values.is_empty() && !self.own_values.iter().any(|(g, vs)| *g == f && vs.contains(&v))
    }

    fn share(&self, f: Field, v: u32) -> f32 {
        self.fields.iter().find(|(g, _)| *g == f).and_then(|(_, vs)| vs.iter().find(|x| x.0 == v)).map_or(0.0, |x| x.1)
    }
}

/// A catalog column used as a field: its values and each product's value.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    vocab: Vec<String>,
    ids: FxHashMap<String, u32>,
    of: Vec<u32>,
}

#[derive(Debug, Clone)]
struct Model {
    name: String,
    fields: Vec<(Field, f32)>,
    /// (category, its fields), deepest categories first.
    overrides: Vec<(u32, Vec<(Field, f32)>)>,
    /// Every field of `fields` and the overrides.
    used: Vec<Field>,
    /// view, cart, purchase, search.
    events: [f32; 4],
    decay_days: f32,
    in_session: bool,
    icp: bool,
    igp: bool,
    groups: FxHashMap<GroupKey, Vec<(Field, Shares)>>,
}

/// The personalisation models of a snapshot, resolved against its catalog.
#[derive(Debug, Clone, Default)]
pub struct Personalizer {
    enabled: bool,
    strength: f32,
    group_until: f32,
    active: usize,
    models: Vec<Model>,
    columns: Vec<Column>,
}

fn leaf(path: &str) -> &str {
    path.rsplit(crate::catalog::LEVEL_SEPARATOR).next().unwrap_or(path)
}

/// The top-level category of a product's first category.
fn root_category(c: &Catalog, p: u32) -> Option<u32> {
    let mut cur = *c.categories(p).first()?;
    for _ in 0..c.category_names().len() {
        match c.category_parent(cur) {
            Some(up) => cur = up,
            None => return Some(cur),
        }
    }
    None
}

/// The group key of a shopper whose first event was on product `p` (their cohort).
pub fn start_key(c: &Catalog, p: u32) -> Option<GroupKey> {
    root_category(c, p).map(|r| GroupKey::Start(c.category_name(r).to_string()))
}

impl Personalizer {
    /// Whether personalisation is switched on.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The index of a model by name; the active one for `None`.
    pub fn model_index(&self, name: Option<&str>) -> Option<usize> {
        match name {
            None => Some(self.active).filter(|_| !self.models.is_empty()),
            Some(n) => self.models.iter().position(|m| m.name == n),
        }
    }

    /// The model names, in configuration order.
    pub fn model_names(&self) -> impl Iterator<Item = &str> {
        self.models.iter().map(|m| m.name.as_str())
    }

    /// The name of the active model.
    pub fn active_name(&self) -> Option<&str> {
        self.models.get(self.active).map(|m| m.name.as_str())
    }

    /// Calls `f` with each value of field `f` product `p` has.
    fn each_value(&self, c: &Catalog, field: Field, p: u32, mut f: impl FnMut(u32)) {
        match field {
            Field::Brand => c.brand(p).into_iter().for_each(f),
            Field::Category => c.categories(p).iter().for_each(|&x| f(x)),
            Field::Tag => c.tags(p).iter().for_each(|&x| f(x)),
            Field::Column(i) => {
                let v = self.columns[i as usize].of[p as usize];
                if v != NONE {
                    f(v)
                }
            }
        }
    }

    /// The name of a field value, for explanations and `session.profile()`.
    pub fn value_name<'a>(&'a self, c: &'a Catalog, field: Field, v: u32) -> &'a str {
        match field {
            Field::Brand => &c.brands()[v as usize],
            Field::Category => c.category_name(v),
            Field::Tag => c.tag_name(v),
            Field::Column(i) => &self.columns[i as usize].vocab[v as usize],
        }
    }

    /// The field's name in the configuration.
    pub fn field_name(&self, field: Field) -> &str {
        match field {
            Field::Brand => "brand",
            Field::Category => "category",
            Field::Tag => "tag",
            Field::Column(i) => &self.columns[i as usize].name,
        }
    }

    /// The affinity of product `p` under model `m`, in a list whose products all have the values
    /// `shared`, and the value that gives most of it: the shared values count in the score but are
    /// never the reason, since they move nothing inside the list (on the Shoes page, "You often
    /// browse Shoes" would explain no order).
    fn affinity_among(&self, c: &Catalog, m: usize, profile: &Profile, p: u32, shared: &[(Field, u32)]) -> Affinity {
        let mut best = Affinity { field: Field::Brand, value: NONE, score: 0.0, from_group: false };
        let mut top = 0.0f32;
        for &(f, w) in self.fields_for(c, m, p) {
            // The best share of the product's values, and the best of those not shared.
            let (mut share, mut reason, mut value) = (0.0f32, 0.0f32, NONE);
            self.each_value(c, f, p, |v| {
                let s = profile.share(f, v);
                share = share.max(s);
                if s > reason && !shared.contains(&(f, v)) {
                    reason = s;
                    value = v;
                }
            });
            best.score += w * share;
            if w * reason > top {
                top = w * reason;
                best.field = f;
                best.value = value;
            }
        }
        best.from_group = best.value != NONE && profile.group_only(best.field, best.value);
        best
    }

    /// The weighted fields for product `p` under model `m`: its deepest category override's, else
    /// the model's.
    fn fields_for(&self, c: &Catalog, m: usize, p: u32) -> &[(Field, f32)] {
        let model = &self.models[m];
        model.overrides.iter().find(|o| c.in_category(p, o.0)).map_or(&model.fields, |o| &o.1)
    }

    /// The field values every one of `products` has (none for fewer than two products).
    fn shared_values(&self, c: &Catalog, m: usize, products: &[u32]) -> Vec<(Field, u32)> {
        let [first, rest @ ..] = products else { return Vec::new() };
        if rest.is_empty() {
            return Vec::new();
        }
        let mut shared = Vec::new();
        for &f in &self.models[m].used {
            self.each_value(c, f, *first, |v| shared.push((f, v)));
        }
        for &p in rest {
            shared.retain(|&(f, v)| {
                let mut has = false;
                self.each_value(c, f, p, |x| has |= x == v);
                has
            });
        }
        shared
    }

    /// The affinities of `products`, each naming a value that varies among them.
    fn affinities(&self, c: &Catalog, m: usize, profile: &Profile, products: &[u32]) -> Vec<Affinity> {
        let shared = self.shared_values(c, m, products);
        products.iter().map(|&p| self.affinity_among(c, m, profile, p, &shared)).collect()
    }

    /// Re-ranks a widget's items inside each step (module docs); items of force-include and
    /// history steps keep their places; each moved item records its affinity.
    pub fn rerank(&self, c: &Catalog, m: usize, profile: &Profile, items: &mut [Recommendation]) {
        let s = self.strength;
        let mut start = 0;
        while start < items.len() {
            let step = items[start].step;
            let mut end = start + 1;
            while end < items.len() && items[end].step == step {
                end += 1;
            }
            if !is_history(items[start].source) {
                let block = &mut items[start..end];
                let products: Vec<u32> = block.iter().map(|r| r.product).collect();
                let affinities = self.affinities(c, m, profile, &products);
                let moved: Vec<Recommendation> = block
                    .iter()
                    .zip(&affinities)
                    .map(|(r, a)| Recommendation { personal: mentioned(a), ..*r })
                    .collect();
                // (position, blend); equal blends keep the list's order.
                let mut keyed: Vec<(u32, f32)> = moved
                    .iter()
                    .zip(&affinities)
                    .enumerate()
                    .map(|(i, (r, a))| (i as u32, (1.0 - s) * r.score + s * a.score))
                    .collect();
                sort_desc(&mut keyed);
                for (dst, (i, _)) in block.iter_mut().zip(keyed) {
                    *dst = moved[i as usize];
                }
            }
            start = end;
        }
    }

    /// Re-ranks a list the storefront gives (catalog indices, `None` for unknown ids, in the
    /// storefront's order): relevance falls linearly with the position, `1 - i / n`. Returns the
    /// positions in the new order, each with its affinity score (0 for unknown ids) and the
    /// affinity an explanation mentions.
    pub fn rerank_list(
        &self,
        c: &Catalog,
        m: usize,
        profile: &Profile,
        list: &[Option<u32>],
    ) -> Vec<(usize, f32, Option<Affinity>)> {
        let n = list.len().max(1) as f32;
        let s = self.strength;
        let known: Vec<u32> = list.iter().flatten().copied().collect();
        let mut of_known = self.affinities(c, m, profile, &known).into_iter();
        let affinities: Vec<Option<Affinity>> = list.iter().map(|p| p.and_then(|_| of_known.next())).collect();
        let mut keyed: Vec<(u32, f32)> = affinities
            .iter()
            .enumerate()
            .map(|(i, a)| (i as u32, (1.0 - s) * (1.0 - i as f32 / n) + s * a.map_or(0.0, |a| a.score)))
            .collect();
        sort_desc(&mut keyed);
        keyed
            .into_iter()
            .map(|(i, _)| {
                let a = affinities[i as usize].as_ref();
                (i as usize, a.map_or(0.0, |a| a.score), a.and_then(mentioned))
            })
            .collect()
    }

    /// The words an explanation adds for an affinity: `[" · ", and the reason in pieces]`
    /// (`You often choose Fleetfoot`, `Your usual color: red`; from the group's profile,
    /// `Shoppers like you choose Fleetfoot`).
    pub fn explain<'a>(&'a self, c: &'a Catalog, a: &Affinity) -> [&'a str; 5] {
        let v = self.value_name(c, a.field, a.value);
        if a.from_group {
            return match a.field {
                Field::Brand => [" · ", "Shoppers like you choose ", v, "", ""],
                Field::Category => [" · ", "Shoppers like you browse ", leaf(v), "", ""],
                Field::Tag => [" · ", "Shoppers like you pick ", v, "", ""],
                Field::Column(i) => [" · ", "Popular with shoppers like you: ", &self.columns[i as usize].name, " ", v],
            };
        }
        match a.field {
            Field::Brand => [" · ", "You often choose ", v, "", ""],
            Field::Category => [" · ", "You often browse ", leaf(v), "", ""],
            Field::Tag => [" · ", "You often pick ", v, "", ""],
            Field::Column(i) => [" · ", "Your usual ", &self.columns[i as usize].name, ": ", v],
        }
    }
}

/// The affinity an explanation mentions: one with a reason and enough score.
fn mentioned(a: &Affinity) -> Option<Affinity> {
    (a.score >= MENTION && a.value != NONE).then_some(*a)
}

/// Whether a step's items keep their order: force-included products and the history lists.
pub fn is_history(source: Source) -> bool {
    matches!(
        source,
        Source::ForceInclude
            | Source::PreviouslyViewed
            | Source::Recurring
            | Source::SegmentLastViewed
            | Source::SegmentLastPurchased
            | Source::SegmentRecurring
    )
}

#[cfg(test)]
mod tests;
