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
use crate::config::{PersonalizationConfig, PersonalizationModel, Source};
use crate::personalization::{GroupKey, GroupProfiles};
use crate::segments::segment_key;

use super::{Context, Recommendation};

const DAY: f32 = 86_400.0;
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
    /// Resolves the configured models, their fields and their group profiles against `catalog`.
    /// A field or category the catalog does not have is left out (the builder refuses them).
    pub fn new(config: &PersonalizationConfig, groups: &GroupProfiles, catalog: &Catalog) -> Personalizer {
        let mut columns: Vec<Column> = Vec::new();
        for name in config.fields() {
            if crate::config::BUILT_IN_FIELDS.contains(&name) {
                continue;
            }
            let Some(k) = catalog.attribute_names().iter().position(|a| a == name) else { continue };
            let values: Vec<&str> = (0..catalog.len() as u32)
                .map(|p| catalog.attributes(p).find(|(n, _)| *n == catalog.attribute_names()[k]).map_or("", |x| x.1))
                .collect();
            // Value ids in first-seen order (no sort: each sort is a copy of the sort in the wasm).
            let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
            let mut vocab: Vec<String> = Vec::new();
            let of = values
                .iter()
                .map(|&v| {
                    if v.is_empty() {
                        return NONE;
                    }
                    *ids.entry(v).or_insert_with(|| {
                        vocab.push(v.to_string());
                        vocab.len() as u32 - 1
                    })
                })
                .collect();
            let ids = ids.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            columns.push(Column { name: name.to_string(), vocab, ids, of });
        }
        let field_of = |name: &str| -> Option<Field> {
            match name {
                "brand" => Some(Field::Brand),
                "category" => Some(Field::Category),
                "tag" => Some(Field::Tag),
                n => columns.iter().position(|c| c.name == n).map(|i| Field::Column(i as u16)),
            }
        };
        let weights = |m: &std::collections::BTreeMap<String, u32>| -> Vec<(Field, f32)> {
            m.iter().filter(|(_, &w)| w > 0).filter_map(|(k, &w)| Some((field_of(k)?, w as f32 / 100.0))).collect()
        };
        let mut models = Vec::new();
        for (name, m) in &config.models {
            let mut overrides: Vec<(u32, Vec<(Field, f32)>)> = m
                .categories
                .iter()
                .filter_map(|(path, c)| Some((catalog.category_index(path)?, weights(&c.fields))))
                .collect();
            let depth = |c: u32| catalog.category_name(c).matches(crate::catalog::LEVEL_SEPARATOR).count();
            // Deepest first (a handful: an insertion sort).
            for i in 1..overrides.len() {
                let mut j = i;
                while j > 0 && depth(overrides[j - 1].0) < depth(overrides[j].0) {
                    overrides.swap(j - 1, j);
                    j -= 1;
                }
            }
            let fields = weights(&m.fields);
            let mut used: Vec<Field> = Vec::new();
            for f in fields.iter().chain(overrides.iter().flat_map(|o| &o.1)).map(|f| f.0) {
                if !used.contains(&f) {
                    used.push(f);
                }
            }
            let mut model = Model {
                name: name.clone(),
                fields,
                overrides,
                used,
                events: event_weights(m),
                decay_days: m.decay_days,
                in_session: m.in_session,
                icp: m.icp,
                igp: m.igp,
                groups: FxHashMap::default(),
            };
            if let Some(g) = groups.of(name) {
                for group in &g.groups {
                    let mut fields = Vec::new();
                    for fs in &group.fields {
                        let Some(f) = field_of(&fs.field) else { continue };
                        let value = |v: &str| match f {
                            Field::Brand => catalog.brand_index(v),
                            Field::Category => catalog.category_index(v),
                            Field::Tag => catalog.tag_index(v),
                            Field::Column(i) => columns[i as usize].ids.get(v).copied(),
                        };
                        fields.push((f, fs.values.iter().filter_map(|(v, s)| Some((value(v)?, *s))).collect()));
                    }
                    model.groups.insert(group.key.clone(), fields);
                }
            }
            models.push(model);
        }
        let active = models.iter().position(|m| m.name == config.active).unwrap_or(0);
        Personalizer {
            enabled: config.enabled && !models.is_empty(),
            strength: config.strength,
            group_until: config.group_until_events,
            active,
            models,
            columns,
        }
    }

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

    /// The values of `field` a search names: those whose name appears in the query as whole
    /// words, ignoring the case of ASCII letters (Unicode case tables would add to the wasm).
    fn searched(&self, c: &Catalog, field: Field, query: &str, mut f: impl FnMut(u32)) {
        let names: Box<dyn Iterator<Item = &str>> = match field {
            Field::Brand => Box::new(c.brands().iter().map(String::as_str)),
            Field::Category => Box::new(c.category_names().iter().map(|s| leaf(s))),
            Field::Tag => Box::new(c.tag_names().iter().map(String::as_str)),
            Field::Column(i) => Box::new(self.columns[i as usize].vocab.iter().map(String::as_str)),
        };
        for (i, name) in names.enumerate() {
            if contains_words(query, name) {
                f(i as u32);
            }
        }
    }

    /// The profile of a context under model `m` (an index from [`Personalizer::model_index`]),
    /// as of `now` (Unix seconds).
    pub fn profile(&self, c: &Catalog, m: usize, ctx: &Context, now: i64, gap: i64) -> Profile {
        let Some(model) = self.models.get(m) else { return Profile::default() };
        let mut acc: Vec<(Field, FxHashMap<u32, f32>)> =
            model.used.iter().map(|&f| (f, FxHashMap::default())).collect();
        let mut events = 0.0f32;
        // (in the current session, age in seconds) -> decay, or None when not counted.
        let decay = |current: bool, at: Option<i64>| -> Option<f32> {
            if current {
                return model.in_session.then_some(1.0);
            }
            if !model.icp {
                return None;
            }
            let age = at.map_or(0.0, |t| (now - t).max(0) as f32 / DAY);
            let d = 1.0 - age / model.decay_days;
            (d > 0.0).then_some(d)
        };
        let current = |at: Option<i64>| at.is_some_and(|t| now - t <= gap);
        let mut add = |p: u32, kind: usize, d: f32| {
            let w = model.events[kind] * d;
            if w <= 0.0 {
                return;
            }
            events += d;
            for (f, map) in acc.iter_mut() {
                self.each_value(c, *f, p, |v| *map.entry(v).or_insert(0.0) += w);
            }
        };
        let look = |id: &str| c.index_of(id);
        for v in ctx.views.iter().take(MAX_EVENTS) {
            if let (Some(p), Some(d)) = (look(&v.id), decay(true, v.at)) {
                add(p, 0, d);
            }
        }
        for v in ctx.past_views.iter().take(MAX_EVENTS) {
            if let (Some(p), Some(d)) = (look(&v.id), decay(false, v.at)) {
                add(p, 0, d);
            }
        }
        for id in ctx.cart.iter().take(MAX_EVENTS) {
            if let (Some(p), Some(d)) = (look(id), decay(true, None)) {
                add(p, 1, d);
            }
        }
        for b in ctx.purchased.iter().take(MAX_EVENTS) {
            if let (Some(p), Some(d)) = (look(&b.id), decay(current(b.at), b.at)) {
                add(p, 2, d);
            }
        }
        if model.events[3] > 0.0 {
            for s in ctx.searches.iter().take(MAX_SEARCHES) {
                let Some(d) = decay(current(s.at), s.at) else { continue };
                let w = model.events[3] * d;
                let mut any = false;
                for (f, map) in acc.iter_mut() {
                    self.searched(c, *f, &s.query, |v| {
                        any = true;
                        *map.entry(v).or_insert(0.0) += w;
                    });
                }
                if any {
                    events += d;
                }
            }
        }
        let mut fields: Vec<(Field, Shares)> = acc
            .into_iter()
            .map(|(f, map)| {
                let total: f32 = map.values().sum();
                let mut v: Shares = map.into_iter().map(|(k, w)| (k, w / total)).collect();
                sort_desc(&mut v);
                v.truncate(MAX_VALUES);
                (f, v)
            })
            .collect();
        let mut own_weight = 1.0;
        let mut own_values = Vec::new();
        if model.igp {
            if let Some(group) = self.group_of(c, model, ctx) {
                own_weight = if self.group_until > 0.0 { events / (events + self.group_until) } else { 1.0 };
                own_values = fields.iter().map(|(f, vs)| (*f, vs.iter().map(|x| x.0).collect())).collect();
                for (f, own) in fields.iter_mut() {
                    let theirs = group.iter().find(|g| g.0 == *f).map_or(&[][..], |g| &g.1[..]);
                    *own = blend(own, theirs, own_weight);
                }
            }
        }
        Profile { fields, events, own_weight, own_values }
    }

    fn group_of<'a>(&self, c: &Catalog, model: &'a Model, ctx: &Context) -> Option<&'a Vec<(Field, Shares)>> {
        if let Some(s) = &ctx.segment {
            if let Some(g) = model.groups.get(&GroupKey::Segment(segment_key(s))) {
                return Some(g);
            }
        }
        let first = ctx.past_views.last().or(ctx.views.last()).and_then(|v| c.index_of(&v.id))?;
        model.groups.get(&start_key(c, first)?)
    }

    /// The affinity of product `p` under model `m` and the value that gives most of it.
    pub fn affinity(&self, c: &Catalog, m: usize, profile: &Profile, p: u32) -> Affinity {
        let model = &self.models[m];
        let fields = model.overrides.iter().find(|o| c.in_category(p, o.0)).map_or(&model.fields, |o| &o.1);
        let mut best = Affinity { field: Field::Brand, value: NONE, score: 0.0, from_group: false };
        let mut top = 0.0f32;
        for &(f, w) in fields {
            let mut share = 0.0f32;
            let mut value = NONE;
            self.each_value(c, f, p, |v| {
                let s = profile.share(f, v);
                if s > share {
                    share = s;
                    value = v;
                }
            });
            best.score += w * share;
            if w * share > top {
                top = w * share;
                best.field = f;
                best.value = value;
            }
        }
        best.from_group = best.value != NONE && profile.group_only(best.field, best.value);
        best
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
                let moved: Vec<Recommendation> = block
                    .iter()
                    .map(|r| {
                        let a = self.affinity(c, m, profile, r.product);
                        let personal = (a.score >= MENTION && a.value != NONE).then_some(a);
                        Recommendation { personal, ..*r }
                    })
                    .collect();
                // (position, blend); equal blends keep the list's order.
                let mut keyed: Vec<(u32, f32)> = moved
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (i as u32, (1.0 - s) * r.score + s * r.personal.map_or(0.0, |a| a.score)))
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
    /// positions in the new order with each one's affinity.
    pub fn rerank_list(
        &self,
        c: &Catalog,
        m: usize,
        profile: &Profile,
        list: &[Option<u32>],
    ) -> Vec<(usize, Option<Affinity>)> {
        let n = list.len().max(1) as f32;
        let s = self.strength;
        let affinities: Vec<Option<Affinity>> =
            list.iter().map(|p| p.map(|p| self.affinity(c, m, profile, p))).collect();
        let mut keyed: Vec<(u32, f32)> = affinities
            .iter()
            .enumerate()
            .map(|(i, a)| (i as u32, (1.0 - s) * (1.0 - i as f32 / n) + s * a.map_or(0.0, |a| a.score)))
            .collect();
        sort_desc(&mut keyed);
        keyed
            .into_iter()
            .map(|(i, _)| (i as usize, affinities[i as usize].filter(|a| a.score >= MENTION && a.value != NONE)))
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

fn event_weights(m: &PersonalizationModel) -> [f32; 4] {
    let mut w = [0.0; 4];
    for (i, name) in crate::config::EVENTS.iter().enumerate() {
        w[i] = m.events.get(*name).map_or(0.0, |&x| x as f32 / 100.0);
    }
    w
}

/// `own × a + (1 - own) × theirs`, value by value, best first.
fn blend(own: &[(u32, f32)], theirs: &[(u32, f32)], a: f32) -> Shares {
    let mut out: Shares = own.iter().map(|&(v, s)| (v, a * s)).collect();
    for &(v, s) in theirs {
        match out.iter_mut().find(|x| x.0 == v) {
            Some(x) => x.1 += (1.0 - a) * s,
            None => out.push((v, (1.0 - a) * s)),
        }
    }
    sort_desc(&mut out);
    out.truncate(MAX_VALUES);
    out
}

/// An `(id, value)` pair.
type Pair = (u32, f32);

/// Sorts `(id, value)` pairs by value, highest first, then by id. A plain merge sort: core's
/// sort is 10 KB of wasm per element type and comparison; this is a few hundred bytes.
fn sort_desc(v: &mut [Pair]) {
    let before = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)).is_lt();
    let n = v.len();
    if n < 2 {
        return;
    }
    let mut buf = v.to_vec();
    let mut width = 1;
    // Each pass merges runs of `width` from `src` into `dst`; the two swap roles.
    let mut from_v = true;
    while width < n {
        let (src, dst): (&[Pair], &mut [Pair]) = if from_v { (&*v, &mut buf[..]) } else { (&buf[..], &mut *v) };
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut dst[start..end] {
                if j >= end || (i < mid && !before(&src[j], &src[i])) {
                    *slot = src[i];
                    i += 1;
                } else {
                    *slot = src[j];
                    j += 1;
                }
            }
            start = end;
        }
        from_v = !from_v;
        width *= 2;
    }
    if !from_v {
        v.copy_from_slice(&buf);
    }
}

/// Whether `words` (lowercase) occurs in `text` (lowercase) between word boundaries.
fn contains_words(text: &str, words: &str) -> bool {
    // Bytes, so that no name is copied to lower case for each search; non-ASCII characters count
    // as letters (no Unicode tables in the wasm), and a match never starts inside one, since no
    // UTF-8 lead or ASCII byte equals a continuation byte.
    let (t, w) = (text.as_bytes(), words.as_bytes());
    if w.is_empty() || w.len() > t.len() {
        return false;
    }
    let boundary = |b: Option<&u8>| b.is_none_or(|b| b.is_ascii() && !b.is_ascii_alphanumeric());
    (0..=t.len() - w.len()).any(|i| {
        t[i..i + w.len()].eq_ignore_ascii_case(w)
            && boundary(i.checked_sub(1).map(|j| &t[j]))
            && boundary(t.get(i + w.len()))
    })
}

#[cfg(test)]
#[path = "personalize_tests.rs"]
mod tests;
