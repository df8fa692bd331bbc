//! The recommendation engine: pure functions from (snapshot, widget, context) to a ranked,
//! explained list. No IO, no clock, no randomness: the current time comes in with the context.
//!
//! A widget runs a chain of steps (its algorithm's sources, then its fallback sources). Each step
//! produces candidates with a score; a candidate is kept when it passes the hard exclusions (the
//! current product, the cart except in history lists, the global blacklist, products already
//! bought when the widget says so, products already listed, products the page's other widgets
//! show), the algorithm's constraint, the widget's filters and its brand and category caps, and
//! when its score is at least `threshold` times the best score of its step. Steps run until
//! `limit` items are found. Force-included products come first (step 0). Ties are broken by
//! product id, so results are deterministic; `rotation` re-orders near ties from a seed.

use std::collections::BTreeMap;
use std::fmt;

use rustc_hash::FxHashMap;

use crate::catalog::Catalog;
use crate::config::{ConfigError, Constraint, EditorialList, Source, WidgetConfig, WidgetPatch, MAX_LIMIT};
use crate::filter::CompiledFilter;
use crate::neighbours::{NeighbourKind, NeighbourTable};
use crate::popularity::{PopularityKind, PopularityList};
use crate::snapshot::{Snapshot, SnapshotError};
use editorial::Link;
use query::{Anchors, Query};

/// Session items the in-session list looks at, most recent first.
const MAX_SESSION_ITEMS: usize = 30;
/// Neighbours read per list of each two-hop source.
const HOP_READ: usize = 12;
/// Neighbours the in-session list reads per list of its heaviest item; lighter items read fewer,
/// down to `MIN_READ`.
const READ_PER_ITEM: usize = 20;
const MIN_READ: usize = 6;
/// Best sellers the in-session list mixes in as a popularity prior.
const PRIOR_ITEMS: usize = 50;
/// Purchase lines the in-session list reads, most recent first.
const MAX_PURCHASE_LINES: usize = 500;
/// First-order candidates whose own neighbours the in-session list adds (two hops).
const HOP_SOURCES: usize = 6;
/// Ids a context may carry per list; more are ignored.
pub const MAX_CONTEXT_IDS: usize = 1000;

/// Per-request changes to a widget's configuration: a [`WidgetPatch`], layered over the named
/// widget by [`WidgetConfig::apply`].
pub type Overrides = WidgetPatch;

/// One recommended product and why it is there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recommendation {
    /// The product (catalog index).
    pub product: u32,
    /// Relevance relative to the best candidate of the same step, in (0, 1].
    pub score: f32,
    /// The list that produced it.
    pub source: Source,
    /// The step of the widget's chain: 0 for force-included products, then 1, 2, ...
    pub step: u32,
    /// The session or page product that led to it, for lists built from neighbours.
    pub anchor: Option<u32>,
    /// The shopper's affinity that moved it up, when personalisation re-ranked the list and
    /// the affinity is worth saying.
    pub personal: Option<Affinity>,
    /// The editorial list it came from (index in name order), for `editorial` items.
    pub list: Option<u16>,
}

/// The engine's answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recommendations {
    /// The list, best first.
    pub items: Vec<Recommendation>,
    /// Context ids that are not in the snapshot's catalog (ignored).
    pub unknown_ids: Vec<String>,
    /// Whether only fallback steps filled the list (the widget's own steps found nothing), so
    /// that a storefront does not put the list under a heading that claims otherwise.
    pub from_fallback: bool,
    /// The heading that says where the list came from when it came from a fallback step (that
    /// step's title, "Popular right now", or an editorial list's); `None` when the widget's own
    /// title applies.
    pub fallback_title: Option<String>,
    /// Why the list was withheld (`hide_when_fallback`, `min_own_items`): the storefront leaves
    /// the box out.
    pub hidden: Option<&'static str>,
    /// Snapshot sections the widget's steps read that this snapshot does not have: their steps
    /// gave nothing and the chain went on.
    pub absent_sections: Vec<&'static str>,
    /// The submodel groups the widget's own steps kept to (`colors: lime, green, olive`); its
    /// fallback steps were not restricted.
    pub submodels: Vec<String>,
}

/// Why a request cannot be answered.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// No widget of that name.
    UnknownWidget {
        /// The name asked for.
        name: String,
        /// The names available.
        available: Vec<String>,
    },
    /// An override is out of range.
    InvalidOption(ConfigError),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::UnknownWidget { name, available } => {
                write!(f, "unknown widget \"{name}\": this snapshot has {}", available.join(", "))
            }
            EngineError::InvalidOption(e) => write!(f, "invalid option `{}`: {}", e.key, e.message),
        }
    }
}

impl std::error::Error for EngineError {}

/// A widget with its filters compiled against the catalog.
#[derive(Debug, Clone)]
struct Compiled {
    config: WidgetConfig,
    chain: Vec<Link>,
    filter: CompiledFilter,
    force: Vec<u32>,
    selection: submodel::Selection,
    /// The `similar` table of the widget's own weights (an index into the snapshot's
    /// `similar_by`); `None`: the shared one.
    similar: Option<usize>,
}

impl Compiled {
    fn new(
        config: WidgetConfig,
        catalog: &Catalog,
        lists: &BTreeMap<String, EditorialList>,
        submodels: &[submodel::Table],
        similar_by: &[crate::neighbours::SimilarBy],
    ) -> Compiled {
        let filter = CompiledFilter::compile(&config.filters, catalog);
        let force = config.force_include.iter().filter_map(|id| catalog.index_of(id)).collect();
        let chain = config.chain().iter().map(|s| editorial::link(s, config.list.as_deref(), lists)).collect();
        let selection = submodel::Selection::compile(&config.submodels, submodels);
        let similar = config.similarity.as_ref().and_then(|a| similar_by.iter().position(|s| s.attributes == *a));
        Compiled { chain, filter, force, selection, similar, config }
    }
}

/// A decoded snapshot ready to answer requests.
#[derive(Debug, Clone)]
pub struct Recommender {
    snapshot: Snapshot,
    widgets: BTreeMap<String, Compiled>,
    blacklist: Vec<u32>,
    personalizer: Personalizer,
    lists: Vec<editorial::List>,
    submodels: Vec<submodel::Table>,
}

impl Recommender {
    /// Prepares a decoded snapshot: compiles every widget's filters.
    pub fn new(snapshot: Snapshot) -> Recommender {
        let catalog = &snapshot.catalog;
        let lists = &snapshot.config.lists;
        let submodels = submodel::tables(&snapshot.config.submodels, catalog);
        let widgets = snapshot
            .config
            .widgets
            .iter()
            .map(|(name, w)| (name.clone(), Compiled::new(w.clone(), catalog, lists, &submodels, &snapshot.similar_by)))
            .collect();
        let mut blacklist: Vec<u32> = snapshot.config.blacklist.iter().filter_map(|id| catalog.index_of(id)).collect();
        blacklist.sort_unstable();
        blacklist.dedup();
        let personalizer = Personalizer::new(&snapshot.config.personalization, &snapshot.groups, catalog);
        let lists = editorial::resolve(lists, catalog);
        Recommender { snapshot, widgets, blacklist, personalizer, lists, submodels }
    }

    /// Decodes, validates and prepares snapshot bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Recommender, SnapshotError> {
        Snapshot::decode(bytes).map(Recommender::new)
    }

    /// The snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.snapshot.catalog
    }

    /// Widget names, sorted.
    pub fn widget_names(&self) -> impl Iterator<Item = &str> {
        self.widgets.keys().map(String::as_str)
    }

    /// A widget's configuration.
    pub fn widget(&self, name: &str) -> Option<&WidgetConfig> {
        self.widgets.get(name).map(|c| &c.config)
    }

    /// Recommends for the named widget of the snapshot, with optional per-request overrides.
    pub fn recommend(
        &self,
        widget: &str,
        ctx: &Context,
        overrides: &Overrides,
    ) -> Result<Recommendations, EngineError> {
        let compiled = self.compiled(widget)?;
        if overrides.is_empty() {
            return Ok(self.run(compiled, ctx));
        }
        let config = self.patched(compiled, overrides)?;
        Ok(self.run(&self.compile(config), ctx))
    }

    /// The named widget with per-request overrides layered over it ([`WidgetConfig::apply`], with
    /// the snapshot's `[for_you]`) and checked: what [`Recommender::recommend`] runs.
    pub fn widget_with(&self, widget: &str, overrides: &Overrides) -> Result<WidgetConfig, EngineError> {
        self.patched(self.compiled(widget)?, overrides)
    }

    fn compiled(&self, widget: &str) -> Result<&Compiled, EngineError> {
        self.widgets.get(widget).ok_or_else(|| EngineError::UnknownWidget {
            name: widget.to_string(),
            available: self.widgets.keys().cloned().collect(),
        })
    }

    fn patched(&self, compiled: &Compiled, overrides: &Overrides) -> Result<WidgetConfig, EngineError> {
        let mut config = compiled.config.clone();
        config.apply(overrides, self.snapshot.for_you_params());
        self.check(&config)?;
        Ok(config)
    }

    /// A request's widget checked: its own keys, and the lists it names against the snapshot's.
    fn check(&self, w: &WidgetConfig) -> Result<(), EngineError> {
        w.validate("")
            .and_then(|_| w.validate_lists("", &self.snapshot.config.lists))
            .and_then(|_| w.validate_submodels("", &self.snapshot.config.submodels))
            .and_then(|_| self.check_similarity(w))
            .map_err(|e| EngineError::InvalidOption(option_key(e)))
    }

    /// Similarity weights are computed by the builder: a request may only name a set this
    /// snapshot has a table for (the shared `[similarity]` or a widget's).
    fn check_similarity(&self, w: &WidgetConfig) -> Result<(), ConfigError> {
        let Some(a) = &w.similarity else { return Ok(()) };
        let s = &self.snapshot;
        if *a == s.config.similarity.attributes || s.similar_by.iter().any(|t| t.attributes == *a) {
            return Ok(());
        }
        let message = "similarity weights are computed by `edgerec build`: this snapshot has no table for \
                       these; set `similarity` on the widget in edgerec.toml and build again";
        Err(ConfigError { key: "similarity".to_string(), message: message.to_string() })
    }

    fn compile(&self, config: WidgetConfig) -> Compiled {
        let s = &self.snapshot;
        Compiled::new(config, self.catalog(), &s.config.lists, &self.submodels, &s.similar_by)
    }

    /// Recommends for an ad-hoc widget configuration (the merchandiser preview).
    pub fn recommend_with(&self, widget: &WidgetConfig, ctx: &Context) -> Result<Recommendations, EngineError> {
        self.check(widget)?;
        Ok(self.run(&self.compile(widget.clone()), ctx))
    }

    fn run(&self, w: &Compiled, ctx: &Context) -> Recommendations {
        let mut unknown = Vec::new();
        let q = self.resolve(ctx, &mut unknown);
        let anchors = self.anchors(&q);
        let limit = w.config.limit.min(MAX_LIMIT) as usize;
        let exclude_anchors = w.config.algorithm.spec().excludes_anchors;
        // Personalised, the chain gathers more candidates than it shows, to re-rank from.
        let profile = self.widget_profile(w, ctx, q.now);
        // So does a rotating one, so that near ties at the end of the list rotate in and out.
        let rotation = diversity::rotation_seed(w.config.rotation, ctx, q.today);
        let pool = if profile.is_some() {
            (limit * 3).max(limit + 10)
        } else if rotation.is_some() {
            (limit * 2).max(limit + 8)
        } else {
            limit
        };
        // The submodel groups the widget's own steps keep to.
        let groups = w.selection.resolve(&self.submodels, q.current);
        let own_steps = w.config.algorithm.steps().len() as u32;
        let mut run = Run::new(self, w, &q, &anchors, &groups, pool, exclude_anchors);
        run.force_include();
        for (i, &link) in w.chain.iter().enumerate() {
            if run.out.len() >= pool {
                break;
            }
            run.restrict = !groups.is_empty() && (i as u32) < own_steps;
            run.step(link, i as u32 + 1);
        }
        let mut items = run.out;
        if let Some((m, profile)) = profile {
            self.personalizer.rerank(self.catalog(), m, &profile, &mut items);
        }
        if let Some(seed) = rotation {
            diversity::rotate(&mut items, seed);
        }
        items.truncate(limit);
        let own = items.iter().filter(|r| (1..=own_steps).contains(&r.step)).count();
        let fallback_item = items.iter().find(|r| r.step > own_steps);
        let from_fallback = own == 0 && fallback_item.is_some();
        let fallback_title = fallback_item.filter(|_| from_fallback).map(|r| self.heading(r).to_string());
        let hidden = if w.config.hide_when_fallback && from_fallback {
            Some("hide_when_fallback")
        } else if own < w.config.min_own_items as usize {
            Some("min_own_items")
        } else {
            None
        };
        if hidden.is_some() {
            items.clear();
        }
        let absent = &self.snapshot.absent;
        let mut absent_sections: Vec<&'static str> = Vec::new();
        if !absent.is_empty() {
            for s in w.chain.iter().flat_map(|l| l.0.spec().sections) {
                if absent.contains(s) && !absent_sections.contains(s) {
                    absent_sections.push(s);
                }
            }
        }
        let submodels = submodel::describe(&self.submodels, &groups);
        Recommendations {
            items,
            unknown_ids: unknown,
            from_fallback,
            fallback_title,
            hidden,
            absent_sections,
            submodels,
        }
    }
}

/// A validation error of a request's options, keyed like the option (`filters.price_min`).
fn option_key(mut e: ConfigError) -> ConfigError {
    e.key = e.key.trim_start_matches('.').to_string();
    e
}

fn intersects(a: &[u32], b: &[u32]) -> bool {
    a.iter().any(|x| b.binary_search(x).is_ok())
}

fn by_score(a: &(u32, f32, Option<u32>), b: &(u32, f32, Option<u32>)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// One request in progress.
struct Run<'a> {
    rec: &'a Recommender,
    w: &'a Compiled,
    q: &'a Query,
    anchors: &'a Anchors,
    out: Vec<Recommendation>,
    limit: usize,
    exclude_anchors: bool,
    /// The submodel groups of the request, and whether the current step keeps to them.
    groups: &'a [(u16, u16)],
    restrict: bool,
}

impl<'a> Run<'a> {
    /// A run of widget `w` for request `q`, up to `limit` items, keeping to no submodel group
    /// until a step sets `restrict`.
    #[inline(always)]
    fn new(
        rec: &'a Recommender,
        w: &'a Compiled,
        q: &'a Query,
        anchors: &'a Anchors,
        groups: &'a [(u16, u16)],
        limit: usize,
        exclude_anchors: bool,
    ) -> Run<'a> {
        Run { rec, w, q, anchors, out: Vec::with_capacity(limit), limit, exclude_anchors, groups, restrict: false }
    }

    fn catalog(&self) -> &Catalog {
        &self.rec.snapshot.catalog
    }

    /// The rules no list may break.
    fn allowed(&self, p: u32, history: bool) -> bool {
        if self.exclude_anchors && self.anchors.items.contains(&p) {
            // Anchored on the cart or the latest view, a list never offers the anchor itself.
            return false;
        }
        if Some(p) == self.q.current
            || (!history && self.q.cart_sorted.binary_search(&p).is_ok())
            || self.rec.blacklist.binary_search(&p).is_ok()
            || (self.w.config.exclude_purchased && self.q.purchased_sorted.binary_search(&p).is_ok())
            || self.q.exclude_sorted.binary_search(&p).is_ok()
        {
            return false;
        }
        !self.out.iter().any(|r| r.product == p)
    }

    fn meets_constraint(&self, p: u32) -> bool {
        let c = self.catalog();
        match self.w.config.algorithm.constraint() {
            Constraint::None => true,
            Constraint::SameCategoryPricier => {
                intersects(&self.anchors.first_categories, c.all_categories(p))
                    && match self.anchors.first_price {
                        Some(min) => c.price(p).is_some_and(|price| price >= min),
                        None => true,
                    }
            }
            Constraint::OtherCategory => !intersects(&self.anchors.categories, c.all_categories(p)),
        }
    }

    fn eligible(&self, p: u32, history: bool) -> bool {
        self.allowed(p, history)
            && self.meets_constraint(p)
            && self.w.filter.passes(self.catalog(), p, self.q.today)
            && (!self.restrict || submodel::contains(&self.rec.submodels, self.groups, p))
            && !self.over_cap(p)
    }

    fn force_include(&mut self) {
        for &p in &self.w.force {
            if self.out.len() >= self.limit {
                return;
            }
            let stock_ok = self.w.config.force_include_out_of_stock || !self.catalog().out_of_stock(p);
            if stock_ok && self.allowed(p, false) {
                self.out.push(Recommendation {
                    product: p,
                    score: 1.0,
                    source: Source::ForceInclude,
                    step: 0,
                    anchor: None,
                    personal: None,
                    list: None,
                });
            }
        }
    }

    /// Takes candidates (best first) until the list is full or the threshold is crossed.
    fn take(&mut self, source: Source, step: u32, candidates: impl Iterator<Item = (u32, f32, Option<u32>)>) {
        self.take_from(source, step, candidates, &mut None);
    }

    /// Takes `products` in their order (a history or a stored list), scored `(n - i) / n` so
    /// that `threshold` keeps the head of the list.
    fn take_in_order(&mut self, source: Source, step: u32, products: &[u32]) {
        let n = products.len() as f32;
        self.take(source, step, products.iter().enumerate().map(|(i, &p)| (p, (n - i as f32) / n, None)));
    }

    /// Like `take`, carrying the step's best score across calls; false once nothing more can
    /// be taken (the list is full or the threshold was crossed).
    fn take_from(
        &mut self,
        source: Source,
        step: u32,
        candidates: impl Iterator<Item = (u32, f32, Option<u32>)>,
        best: &mut Option<f32>,
    ) -> bool {
        let history = source == Source::PreviouslyViewed;
        for (p, score, anchor) in candidates {
            if self.out.len() >= self.limit {
                return false;
            }
            if score.is_nan() || score <= 0.0 || !self.eligible(p, history) {
                continue;
            }
            let top = *best.get_or_insert(score);
            if score < self.w.config.threshold * top {
                return false;
            }
            let score = (score / top).min(1.0);
            self.out.push(Recommendation { product: p, score, source, step, anchor, personal: None, list: None });
        }
        self.out.len() < self.limit
    }

    /// Takes from unordered candidates (each product once), ordering only as much of them as
    /// the list can still use: a few times the free places, then more if filters rejected many.
    fn take_ranked(&mut self, source: Source, step: u32, mut cands: Vec<(u32, f32, Option<u32>)>) {
        if self.restrict {
            // Out of the submodel groups before ranking, which then orders only what may be taken.
            cands.retain(|c| submodel::contains(&self.rec.submodels, self.groups, c.0));
        }
        let mut best = None;
        let mut start = 0;
        while start < cands.len() && self.out.len() < self.limit {
            let rest = &mut cands[start..];
            let want = ((self.limit - self.out.len()) * 4 + 16).min(rest.len());
            if want < rest.len() {
                rest.select_nth_unstable_by(want, by_score);
            }
            rest[..want].sort_unstable_by(by_score);
            if !self.take_from(source, step, rest[..want].iter().copied(), &mut best) {
                return;
            }
            start += want;
        }
    }

    fn step(&mut self, (source, list): Link, step: u32) {
        let pop = |kind: PopularityKind| self.rec.snapshot.popularity.list(kind);
        match source {
            Source::ForceInclude => {}
            Source::PreviouslyViewed => {
                let mut seen: Vec<u32> = Vec::with_capacity(self.q.views.len());
                for &p in &self.q.views {
                    if !seen.contains(&p) {
                        seen.push(p);
                    }
                }
                self.take_in_order(source, step, &seen);
            }
            Source::BoughtTogether => self.neighbours(source, step, NeighbourKind::BoughtTogether),
            Source::CartedTogether => self.neighbours(source, step, NeighbourKind::CartedTogether),
            Source::ViewedTogether => self.neighbours(source, step, NeighbourKind::ViewedTogether),
            Source::ForYou => {
                let c = self.for_you();
                self.take_ranked(source, step, c);
            }
            Source::MostViewed => self.global(source, step, pop(PopularityKind::Views)),
            Source::MostPurchased => self.global(source, step, pop(PopularityKind::Purchases)),
            Source::Popular => self.global(source, step, pop(PopularityKind::Popular)),
            Source::MostViewedInCategory => self.in_category(source, step, pop(PopularityKind::Views)),
            Source::MostPurchasedInCategory => self.in_category(source, step, pop(PopularityKind::Purchases)),
            Source::PopularInCategory => self.in_category(source, step, pop(PopularityKind::Popular)),
            Source::Similar => {
                let s = &self.rec.snapshot;
                let table = match self.w.similar {
                    Some(i) => &s.similar_by[i].table,
                    None => s.neighbours.table(NeighbourKind::Similar),
                };
                self.neighbours_in(source, step, table);
            }
            Source::MostCarted => self.global(source, step, pop(PopularityKind::Carts)),
            Source::MostCartedInCategory => self.in_category(source, step, pop(PopularityKind::Carts)),
            Source::RecentlyAdded => self.global(source, step, &self.rec.snapshot.recent),
            Source::RecentlyAddedInCategory => self.in_category(source, step, &self.rec.snapshot.recent),
            Source::Trending => self.global(source, step, pop(PopularityKind::Trending)),
            Source::TrendingInCategory => self.in_category(source, step, pop(PopularityKind::Trending)),
            Source::UltimatelyBought => self.neighbours(source, step, NeighbourKind::UltimatelyBought),
            Source::Bundle => self.bundle(source, step),
            Source::Recurring => self.recurring(source, step),
            Source::SegmentLastViewed | Source::SegmentLastPurchased | Source::SegmentRecurring => {
                self.segment(source, step)
            }
            Source::Editorial => self.editorial(step, list),
        }
    }

    fn global(&mut self, source: Source, step: u32, list: &PopularityList) {
        self.take(source, step, list.global.iter().map(|&(p, s)| (p, s, None)));
    }

    fn in_category(&mut self, source: Source, step: u32, list: &PopularityList) {
        let cats = &self.anchors.categories;
        if cats.len() == 1 {
            let row = list.by_category.row(cats[0] as usize);
            return self.take(source, step, row.iter().map(|&(p, s)| (p, s, None)));
        }
        let mut merged: Vec<(u32, f32, Option<u32>)> = Vec::new();
        for &c in cats {
            for &(p, s) in list.by_category.row(c as usize) {
                match merged.iter_mut().find(|m| m.0 == p) {
                    Some(m) => m.1 = m.1.max(s),
                    None => merged.push((p, s, None)),
                }
            }
        }
        self.take_ranked(source, step, merged);
    }

    fn neighbours(&mut self, source: Source, step: u32, kind: NeighbourKind) {
        self.neighbours_in(source, step, self.rec.snapshot.neighbours.table(kind));
    }

    fn neighbours_in(&mut self, source: Source, step: u32, table: &NeighbourTable) {
        let anchors = &self.anchors.items;
        let cands: Vec<(u32, f32, Option<u32>)> = match anchors.as_slice() {
            [] => return,
            [a] => table.neighbours(*a).map(|(p, s)| (p, s, Some(*a))).collect(),
            _ => {
                let mut acc: FxHashMap<u32, (f32, u32, f32)> = FxHashMap::default();
                for &a in anchors.iter().take(MAX_SESSION_ITEMS) {
                    for (p, s) in table.neighbours(a) {
                        let e = acc.entry(p).or_insert((0.0, a, 0.0));
                        e.0 += s;
                        if s > e.2 {
                            e.1 = a;
                            e.2 = s;
                        }
                    }
                }
                acc.into_iter().map(|(p, (s, a, _))| (p, s, Some(a))).collect()
            }
        };
        self.take_ranked(source, step, cands);
    }
}

mod answer;
mod bundle;
mod context;
mod diversity;
mod editorial;
mod for_you;
mod item;
mod personal;
mod personalize;
mod query;
mod recurring;
mod scratch;
mod segments;
mod submodel;

pub use answer::write_algorithms_json;
pub use bundle::{BundleAnswer, BundleOffer};
pub use context::{Context, Purchase, Search, Timed, View};
pub use item::{explanation, Item, ProductInfo};
pub use personal::{PersonalizedId, ProfileView};
pub use personalize::{start_key as personalize_start_key, Affinity, Field, Personalizer, Profile};

#[cfg(test)]
mod submodel_tests;
#[cfg(test)]
mod tests;
