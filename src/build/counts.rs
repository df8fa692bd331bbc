//! The count tables: everything the builder learns from events, as plain tables, and [`pack`],
//! which turns them (with the catalog and the configuration) into the snapshot.
//!
//! `edgerec build` counts them in memory from its shopper walk and packs them; `edgerec pack`
//! reads the same tables from files an SQL engine wrote (`edgerec sql`, docs/scale-out.md), so a
//! warehouse can do the expensive part (the group-bys over every event) and both paths give the
//! same snapshot. Every table holds numbers only: products, counts and scores, never a shopper,
//! session or order id; the rows backed by fewer than `min_count` distinct shoppers are left out
//! (the popularity, basket and trending rows keep their shopper count, and `pack` applies
//! `min_count` again).

use super::cooccurrence::PairTable;
use super::journeys::JourneyCounts;
use super::popularity::{self as pop, Tally};
use super::recurring::Repurchases;
use super::trending::{self, TrendCounts, TrendingParams};
use super::{recent, similar};
use crate::bundles::{Bundles, MAX_BUNDLE};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::neighbours::{NeighbourKind, NeighbourTable, Neighbours};
use crate::popularity::PopularityKind;
use crate::snapshot::{InputCounts, Meta, Snapshot};

/// The pair kinds counted from baskets, in the order of [`CountTables::pairs`].
pub const PAIR_KINDS: [NeighbourKind; 4] = [
    NeighbourKind::ViewedTogether,
    NeighbourKind::CartedTogether,
    NeighbourKind::BoughtTogether,
    NeighbourKind::ViewedNext,
];

/// A popularity count table: `(product, score, shoppers)` rows.
pub type ProductCounts = Vec<(u32, f64, u32)>;

/// Everything [`pack`] needs besides the catalog and the configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountTables {
    /// The time trained as of (Unix seconds).
    pub as_of: i64,
    /// The oldest and newest event used.
    pub events_from: i64,
    /// See `events_from`.
    pub events_to: i64,
    /// The input counts for the snapshot's metadata.
    pub counts: InputCounts,
    /// Per popularity kind ([`PopularityKind::ALL`] order, trending and new arrivals excepted):
    /// `(product, score, shoppers)`.
    pub popularity: Vec<(PopularityKind, ProductCounts)>,
    /// Per pair kind ([`PAIR_KINDS`]): baskets per product and pairs.
    pub pairs: Vec<(NeighbourKind, PairTable)>,
    /// "Ultimately bought": pairs, viewers and buyers.
    pub journeys: JourneyCounts,
    /// Exact combinations bought as one order: (sorted products, shoppers).
    pub bundles: Vec<(Vec<u32>, u32)>,
    /// Trending: demand in the window and the baseline, shoppers in the window.
    pub trending: TrendCounts,
    /// Recurring: (product, one repeat buyer's median gap in days).
    pub recurring: Vec<(u32, f32)>,
}

/// The popularity kinds of the count tables (the event-counted ones).
pub const POPULARITY_KINDS: [PopularityKind; 4] =
    [PopularityKind::Views, PopularityKind::Carts, PopularityKind::Purchases, PopularityKind::Popular];

/// What [`pack`] kept, for the build summary.
#[derive(Debug, Clone, Default)]
pub struct Packed {
    /// Pairs kept per pair kind.
    pub kept: Vec<(NeighbourKind, usize)>,
    /// Products on each global popularity list.
    pub listed: Vec<(PopularityKind, usize)>,
}

/// The snapshot of `catalog` from its count tables: scores, top K, lists, cut to the configured
/// sizes; similar products and new arrivals from the catalog alone. Sections the count tables do
/// not feed (segments, tuned weights) are left at their defaults.
pub fn pack(catalog: Catalog, config: &Config, tables: &CountTables, built_at: i64) -> (Snapshot, Packed) {
    let t = &config.training;
    let n = catalog.len();
    let (min, k) = (t.min_count, t.neighbours as usize);
    let mut neighbours = Neighbours::default();
    let mut kept = Vec::new();
    for (kind, table) in &tables.pairs {
        let (rows, count) = table.top_k(min, k);
        kept.push((*kind, count));
        *neighbours.table_mut(*kind) = NeighbourTable::from_rows(&rows);
    }
    let mut journeys = tables.journeys.clone();
    journeys.viewers.resize(n, 0);
    journeys.buyers.resize(n, 0);
    *neighbours.table_mut(NeighbourKind::UltimatelyBought) = journeys.finish(min, k);
    let sim = &config.similarity;
    *neighbours.table_mut(NeighbourKind::Similar) =
        similar::similar_table(&catalog, &sim.attributes, sim.neighbours as usize, 2);
    // One more table per distinct set of widget weights (`[widgets.NAME] similarity`).
    let mut similar_by: Vec<crate::neighbours::SimilarBy> = Vec::new();
    for a in config.widgets.values().filter_map(|w| w.similarity.as_ref()) {
        if *a != sim.attributes && !similar_by.iter().any(|s| s.attributes == *a) {
            let table = similar::similar_table(&catalog, a, sim.neighbours as usize, 2);
            similar_by.push(crate::neighbours::SimilarBy { attributes: a.clone(), table });
        }
    }

    let tallies: Vec<(PopularityKind, Tally)> =
        tables.popularity.iter().map(|(kind, rows)| (*kind, Tally::from_counts(n, rows))).collect();
    let refs: Vec<(PopularityKind, &Tally)> = tallies.iter().map(|(k, t)| (*k, t)).collect();
    let (size, category_size) = (t.list_size as usize, t.category_list_size as usize);
    let mut popularity = pop::lists(&refs, &catalog, min, size, category_size);
    let tr = &config.trending;
    let params = TrendingParams {
        window_days: tr.window_days,
        baseline_days: tr.baseline_days,
        min_shoppers: tr.min_shoppers.max(min),
    };
    let mut trend = tables.trending.clone();
    trend.recent.resize(n, 0.0);
    trend.baseline.resize(n, 0.0);
    trend.shoppers.resize(n, 0);
    popularity.trending = trending::trending_from(&trend, &catalog, tables.as_of, params, size, category_size);
    let listed = PopularityKind::ALL.iter().map(|&k| (k, popularity.list(k).global.len())).collect();

    let combos: Vec<(Vec<u32>, u32)> = tables
        .bundles
        .iter()
        .filter(|(items, shoppers)| *shoppers >= min && (2..=MAX_BUNDLE).contains(&items.len()))
        .map(|(items, shoppers)| {
            let mut v = items.clone();
            v.sort_unstable();
            (v, *shoppers)
        })
        .filter(|(v, _)| v.windows(2).all(|w| w[0] != w[1]))
        .collect();
    let bundles = Bundles::from_counted(n, combos);
    let recurring = Repurchases::from_gaps(&tables.recurring).finish(min, &config.recurring);
    let recent = recent::recent_list(&catalog, size, category_size);
    let meta = Meta {
        edgerec_version: env!("CARGO_PKG_VERSION").to_string(),
        built_at,
        as_of: tables.as_of,
        events_from: tables.events_from,
        events_to: tables.events_to,
        counts: tables.counts.clone(),
        holdout: None,
    };
    let snapshot = Snapshot {
        meta,
        config: config.clone(),
        catalog,
        popularity,
        neighbours,
        recent,
        bundles,
        recurring,
        similar_by,
        ..Default::default()
    };
    (snapshot, Packed { kept, listed })
}
