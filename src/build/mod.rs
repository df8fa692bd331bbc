//! Aggregation: from a catalog and an event log to a [`Snapshot`].
//!
//! 1. Keep the events inside the training period (and outside excluded periods), up to the as-of
//!    time (the newest event, or `--as-of`).
//! 2. Walk them by shopper (user id, else the session) and session (session id, else cut at
//!    `session_gap_minutes` of inactivity per user): the one walk of [`crate::walk`], which every
//!    model that learns from shoppers observes ([`crate::walk::Observer`]); purchases form
//!    baskets by order id, else by session.
//! 3. Count popularity per product (time-decayed, inside the timeframe) and pairs per basket
//!    (viewed / carted / bought together, viewed next), each with its distinct-shopper support.
//! 4. Keep what at least `min_count` shoppers support; rank, score and cut to the configured sizes.
//!
//! No shopper, session or order id reaches the snapshot: they are numbers here and dropped after.

pub mod cooccurrence;
pub mod counts;
pub mod journeys;
pub mod personalization;
pub mod popularity;
pub mod recent;
pub mod recurring;
pub mod segments;
pub mod sessions;
pub mod similar;
pub mod trending;
pub mod tune;

use crate::catalog::Catalog;
use crate::config::{Config, DateRange};
use crate::ingest::events::{Event, EventLog, CART, CUSTOM, PURCHASE, VIEW};
use crate::neighbours::NeighbourKind;
use crate::popularity::PopularityKind;
use crate::snapshot::{InputCounts, Snapshot};
use crate::time::{parse_date, DAY};
use crate::walk::{shopper_of, Observer, Walk};

use cooccurrence::PairCounts;
pub use counts::{pack, CountTables};

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The configuration (training parameters and widgets).
    pub config: Config,
    /// Train as of this time (Unix seconds): later events are left out. Default: the newest event.
    pub as_of: Option<i64>,
    /// The time to record as the build time (Unix seconds).
    pub built_at: i64,
}

/// What the build did, for the summary.
#[derive(Debug, Clone, Default)]
pub struct BuildStats {
    /// Input counts (also stored in the snapshot).
    pub counts: InputCounts,
    /// Distinct pairs counted and kept, per neighbour kind.
    pub pairs: Vec<(NeighbourKind, usize, usize)>,
    /// Products on each global popularity list.
    pub listed: Vec<(PopularityKind, usize)>,
    /// Events left out because they have neither a user nor a session id. The readers reject
    /// such rows ([`crate::ingest::events::NO_SHOPPER`]), so only a log made in code has them.
    pub without_shopper: u64,
}

fn in_range(range: &DateRange, day: i64) -> bool {
    let lo = range.from.as_deref().and_then(|d| parse_date(d).ok()).unwrap_or(i64::MIN);
    let hi = range.to.as_deref().and_then(|d| parse_date(d).ok()).unwrap_or(i64::MAX);
    lo <= day && day <= hi
}

/// Builds a snapshot from a catalog and events.
pub fn build(catalog: Catalog, log: &EventLog, opts: &BuildOptions) -> (Snapshot, BuildStats) {
    let (snapshot, stats, _) = build_with_counts(catalog, log, opts);
    (snapshot, stats)
}

/// [`build`], also returning the count tables the snapshot was packed from.
pub fn build_with_counts(catalog: Catalog, log: &EventLog, opts: &BuildOptions) -> (Snapshot, BuildStats, CountTables) {
    let config = &opts.config;
    let t = &config.training;
    let n = catalog.len();
    let mut counts = InputCounts {
        event_rows: log.report.rows,
        rejected_rows: log.report.rejected_total(),
        unknown_products: log.unknown_products,
        ..Default::default()
    };

    // 1. The training period.
    let newest = log.events.iter().map(|e| e.ts).max().unwrap_or(0);
    let as_of = opts.as_of.unwrap_or(newest);
    // (shopper, file position, event): the position keeps the order of equal keys deterministic.
    let mut events: Vec<(u64, u32, Event)> = Vec::with_capacity(log.events.len());
    let mut without_shopper = 0;
    for (i, e) in log.events.iter().enumerate() {
        let day = e.ts.div_euclid(DAY);
        let inside = e.ts <= as_of
            && t.period.as_ref().is_none_or(|p| in_range(p, day))
            && !t.exclude_periods.iter().any(|p| in_range(p, day));
        match shopper_of(e) {
            None => without_shopper += 1,
            Some(shopper) if inside => events.push((shopper, i as u32, *e)),
            Some(_) => counts.outside_period += 1,
        }
    }
    counts.events_used = events.len() as u64;
    let gap = i64::from(t.session_gap_minutes) * 60;
    let segment_of =
        if config.segments.enabled { segments::shopper_segments(log, shopper_of) } else { Default::default() };
    let walk = Walk::new(events, gap).with_segments(segment_of, &log.segment_names);

    // 2 and 3. Walk shoppers and their sessions: every model that learns from shoppers observes
    // each one in turn.
    let weight_of = |kind: u16| -> f64 {
        let name = match kind {
            VIEW => "view",
            CART => "cart",
            PURCHASE => "purchase",
            k => log.custom_kinds[(k - CUSTOM) as usize].as_str(),
        };
        f64::from(t.weights.get(name).copied().unwrap_or(0.0))
    };
    let kind_weights: Vec<f64> = (0..CUSTOM + log.custom_kinds.len() as u16).map(weight_of).collect();
    let mut lists = sessions::SessionCounts::new(
        n,
        sessions::TallyParams {
            kind_weights: kind_weights.clone(),
            as_of,
            timeframe_start: as_of - i64::from(t.timeframe_days) * DAY,
            recent_start: as_of - i64::from(t.recent_days) * DAY,
            half_life_days: t.half_life_days,
        },
        counts,
    );
    let mut journeys = journeys::UltimatelyBought::new(n, t.journey_days);
    let mut repurchases = recurring::Repurchases::default();
    let mut segment_walk = segments::SegmentWalk::default();
    let mut group_walk = personalization::GroupWalk::new(&config.personalization, &catalog, as_of);
    {
        let mut observers: Vec<&mut dyn Observer> = vec![&mut lists, &mut journeys, &mut repurchases];
        if walk.has_segments() {
            observers.push(&mut segment_walk);
        }
        if let Some(g) = group_walk.as_mut() {
            observers.push(g);
        }
        lists.counts.shoppers = walk.run(&mut observers);
    }
    let counts = std::mem::take(&mut lists.counts);

    // 4. The count tables (pairs counted on two threads: views and carts on one, sequences and
    // orders on the other), then keep, score and cut them: `pack`, which `edgerec pack` runs too.
    let (min, next_window, window) = (t.min_count, t.next_window as usize, t.max_session_items as usize);
    let (view_seqs, cart_baskets, bought_baskets) = (&lists.view_seqs, &lists.cart_baskets, &lists.bought_baskets);
    let count = |kind: NeighbourKind, c: PairCounts| (kind, c.len(), c.table(min));
    let (first, second) = std::thread::scope(|s| {
        let helper = s.spawn(|| {
            [
                count(NeighbourKind::ViewedTogether, PairCounts::count_distinct(n, view_seqs, window, min)),
                count(NeighbourKind::CartedTogether, PairCounts::count_baskets(n, cart_baskets, window, min)),
            ]
        });
        let mine = [
            count(NeighbourKind::BoughtTogether, PairCounts::count_baskets(n, bought_baskets, window, min)),
            count(NeighbourKind::ViewedNext, PairCounts::count_sequences(n, view_seqs, next_window, min)),
        ];
        (helper.join().expect("pair counting does not panic"), mine)
    });
    let mut counted = Vec::new();
    let mut pair_tables = Vec::new();
    for (kind, c, table) in first.into_iter().chain(second) {
        counted.push((kind, c));
        pair_tables.push((kind, table));
    }
    let tr = &config.trending;
    let params = trending::TrendingParams {
        window_days: tr.window_days,
        baseline_days: tr.baseline_days,
        min_shoppers: tr.min_shoppers.max(min),
    };
    let trend = trending::trend_counts(walk.events().iter().map(|(s, _, e)| (*s, e)), &kind_weights, n, as_of, params);
    let used = walk.events().iter().map(|(_, _, e)| e.ts);
    let tables = CountTables {
        as_of,
        events_from: used.clone().min().unwrap_or(0),
        events_to: used.max().unwrap_or(0),
        counts: counts.clone(),
        popularity: vec![
            (PopularityKind::Views, lists.views.counts()),
            (PopularityKind::Carts, lists.carts.counts()),
            (PopularityKind::Purchases, lists.purchases.counts()),
            (PopularityKind::Popular, lists.popular.counts()),
        ],
        pairs: pair_tables,
        journeys: journeys.counts(min),
        bundles: journeys::bundle_counts(bought_baskets, min),
        trending: trend,
        recurring: repurchases.gaps(min),
    };
    let segments = segment_walk.finish(&log.segment_names, min, as_of, &config.segments);
    let groups = group_walk.map(|g| g.finish(min)).unwrap_or_default();
    let (mut snapshot, packed) = counts::pack(catalog, config, &tables, opts.built_at);
    snapshot.segments = segments;
    snapshot.groups = groups;
    let mut pairs: Vec<(NeighbourKind, usize, usize)> = counted
        .iter()
        .map(|&(kind, c)| (kind, c, packed.kept.iter().find(|k| k.0 == kind).map_or(0, |k| k.1)))
        .collect();
    pairs.sort_by_key(|p| NeighbourKind::ALL.iter().position(|k| *k == p.0));
    let stats = BuildStats { counts, pairs, listed: packed.listed, without_shopper };
    (snapshot, stats, tables)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogBuilder, ProductRecord};
    use crate::config::DateRange;
    use crate::ingest::events::{Event, NONE};
    use crate::time::{days_from_civil, DAY};

    fn catalog() -> Catalog {
        let mut b = CatalogBuilder::new();
        for id in ["old", "new", "x"] {
            b.push(ProductRecord { id: id.into(), ..Default::default() });
        }
        b.finish().unwrap()
    }

    /// Ten shoppers view `old` on `old_day` and `new` on `new_day`, each in their own session.
    fn log(old_day: i64, new_day: i64) -> EventLog {
        let mut log = EventLog::new();
        for s in 0..10u32 {
            for (p, day) in [(0u32, old_day), (1, new_day)] {
                let ts = day * DAY + 3600;
                log.events.push(Event {
                    ts,
                    product: p,
                    user: NONE,
                    session: s * 2 + p,
                    order: NONE,
                    qty: 1,
                    kind: VIEW,
                });
            }
        }
        log
    }

    #[test]
    fn popularity_decays_with_the_half_life() {
        let d = days_from_civil(2024, 6, 1);
        let (snap, _) = build(catalog(), &log(d - 28, d), &BuildOptions::default());
        let views = &snap.popularity.views.global;
        assert_eq!(views[0].0, 1, "the recent product first");
        // 28 days at a 14-day half-life: a quarter, give or take the hour of the day.
        let ratio = views[1].1 / views[0].1;
        assert!((ratio - 0.25).abs() < 0.01, "{ratio}");
        let mut config = Config::default();
        config.training.half_life_days = 0.0;
        let (snap, _) = build(catalog(), &log(d - 28, d), &BuildOptions { config, ..Default::default() });
        assert_eq!(snap.popularity.views.global[0].1, snap.popularity.views.global[1].1, "no decay: equal");
    }

    #[test]
    fn training_period_exclusions_and_as_of_leave_events_out() {
        let d = days_from_civil(2024, 6, 1);
        let mut config = Config::default();
        config.training.exclude_periods =
            vec![DateRange { from: Some(crate::time::format_date(d - 1)), to: Some(crate::time::format_date(d)) }];
        let (snap, stats) =
            build(catalog(), &log(d - 28, d), &BuildOptions { config: config.clone(), ..Default::default() });
        assert_eq!(stats.counts.outside_period, 10);
        assert_eq!(snap.popularity.views.global.len(), 1, "only the old product is left");
        config.training.exclude_periods.clear();
        config.training.period = Some(DateRange { from: Some(crate::time::format_date(d - 7)), to: None });
        let (_, stats) = build(catalog(), &log(d - 28, d), &BuildOptions { config, ..Default::default() });
        assert_eq!(stats.counts.outside_period, 10);
        let (snap, stats) =
            build(catalog(), &log(d - 28, d), &BuildOptions { as_of: Some((d - 1) * DAY), ..Default::default() });
        assert_eq!(stats.counts.outside_period, 10, "events after --as-of are left out");
        assert_eq!(snap.meta.as_of, (d - 1) * DAY);
    }

    #[test]
    fn min_count_is_the_number_of_distinct_shoppers() {
        let mut log = EventLog::new();
        // One user views old and new together in five sessions: a single shopper.
        for s in 0..5u32 {
            for p in [0u32, 1] {
                log.events.push(Event {
                    ts: 1000 + i64::from(s) * 10_000 + i64::from(p),
                    product: p,
                    user: 7,
                    session: s,
                    order: NONE,
                    qty: 1,
                    kind: VIEW,
                });
            }
        }
        let (snap, _) = build(catalog(), &log, &BuildOptions::default());
        assert_eq!(snap.neighbours.viewed.entries(), 0, "five sessions of one shopper are not three shoppers");
        assert!(snap.popularity.views.global.is_empty());
    }

    #[test]
    fn events_without_a_user_or_session_are_no_shoppers() {
        let mut log = EventLog::new();
        // Three id-less views of `old` (perhaps one visitor) and of `new` together, an hour apart.
        for s in 0..3i64 {
            for p in [0u32, 1] {
                log.events.push(Event {
                    ts: 1000 + s * 3600 + i64::from(p),
                    product: p,
                    user: NONE,
                    session: NONE,
                    order: NONE,
                    qty: 1,
                    kind: VIEW,
                });
            }
        }
        let (snap, stats) = build(catalog(), &log, &BuildOptions::default());
        assert!(snap.popularity.views.global.is_empty(), "{:?}", snap.popularity.views.global);
        assert_eq!(snap.neighbours.viewed.entries(), 0);
        assert_eq!((stats.without_shopper, stats.counts.shoppers, stats.counts.events_used), (6, 0, 0));
    }
}
