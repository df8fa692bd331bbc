//! Aggregation: from a catalog and an event log to a [`Snapshot`].
//!
//! 1. Keep the events inside the training period (and outside excluded periods), up to the as-of
//!    time (the newest event, or `--as-of`).
//! 2. Group them by shopper (user id, else the session) and session (session id, else cut at
//!    `session_gap_minutes` of inactivity per user); purchases form baskets by order id, else by
//!    session.
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
pub mod similar;
pub mod trending;
pub mod tune;

use crate::catalog::Catalog;
use crate::config::{Config, DateRange};
use crate::ingest::events::{Event, EventLog, CART, CUSTOM, NONE, PURCHASE, VIEW};
use crate::neighbours::NeighbourKind;
use crate::popularity::PopularityKind;
use crate::snapshot::{InputCounts, Snapshot};
use crate::time::{parse_date, DAY};

use cooccurrence::{distinct_in_order, Baskets, PairCounts};
pub use counts::{pack, CountTables};
use popularity::Tally;

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

/// Sorting key: shopper, then session, then time. A shopper is the user, else the session; an
/// event with neither has no shopper (it is not one of its own: a single anonymous visitor would
/// then meet `min_count` alone).
pub(crate) fn shopper_of(e: &Event) -> Option<u64> {
    if e.user != NONE {
        Some(u64::from(e.user))
    } else if e.session != NONE {
        Some((1 << 32) | u64::from(e.session))
    } else {
        None
    }
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
    // Logs are often already grouped by session and in time order: then there is nothing to sort.
    let key = |(s, i, e): &(u64, u32, Event)| (*s, e.session, e.ts, *i);
    if !events.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        events.sort_unstable_by_key(key);
    }

    // 2 and 3. Walk shoppers and their sessions.
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
    let timeframe_start = as_of - i64::from(t.timeframe_days) * DAY;
    let recent_start = as_of - i64::from(t.recent_days) * DAY;
    let half_life = f64::from(t.half_life_days) * DAY as f64;
    let decay = |ts: i64| if half_life > 0.0 { 0.5f64.powf((as_of - ts) as f64 / half_life) } else { 1.0 };
    let gap = i64::from(t.session_gap_minutes) * 60;
    let window = t.max_session_items as usize;

    let mut views_t = Tally::new(n);
    let mut carts_t = Tally::new(n);
    let mut purchases_t = Tally::new(n);
    let mut popular_t = Tally::new(n);
    // Baskets first; the pairs are counted afterwards, on two threads.
    let mut view_seqs = Baskets::default();
    let mut cart_baskets = Baskets::default();
    let mut bought_baskets = Baskets::default();

    let mut seq: Vec<u32> = Vec::new();
    let mut cart_items: Vec<u32> = Vec::new();
    let mut loose: Vec<u32> = Vec::new();
    let mut orders: Vec<(u32, u32)> = Vec::new();
    let mut basket: Vec<u32> = Vec::new();
    let mut scratch: Vec<u32> = Vec::new();

    let mut journeys = journeys::UltimatelyBought::new(n, t.journey_days, gap);
    let mut repurchases = recurring::Repurchases::default();
    let segment_of =
        if config.segments.enabled { segments::shopper_segments(log, shopper_of) } else { Default::default() };
    let mut segment_walk = segments::SegmentWalk::new(&segment_of);
    let mut group_walk = personalization::GroupWalk::new(&config.personalization, &catalog, as_of, gap);
    let mut shopper_no: u32 = 0;
    let mut i = 0;
    while i < events.len() {
        let shopper_key = events[i].0;
        let mut end = i;
        while end < events.len() && events[end].0 == shopper_key {
            end += 1;
        }
        let block = &events[i..end];
        i = end;
        let shopper = shopper_no;
        shopper_no += 1;
        orders.clear();
        journeys.observe(block.iter().map(|(_, _, e)| e));
        repurchases.observe(block.iter().map(|(_, _, e)| e));
        if !segment_of.is_empty() {
            block.iter().for_each(|(s, _, e)| segment_walk.observe(*s, e));
        }
        if let Some(g) = group_walk.as_mut() {
            let segment = segment_of.get(&shopper_key).map(|&s| log.segment_names[s as usize].as_str());
            g.observe(block.iter().map(|(_, _, e)| e), segment);
        }

        let mut s = 0;
        while s < block.len() {
            // One session: same session id; without one, cut at the inactivity gap.
            let first = &block[s].2;
            let mut e = s + 1;
            while e < block.len() {
                let (prev, cur) = (&block[e - 1].2, &block[e].2);
                let same = if first.session != NONE {
                    cur.session == first.session
                } else {
                    cur.session == NONE && cur.ts - prev.ts <= gap
                };
                if !same {
                    break;
                }
                e += 1;
            }
            let session = &block[s..e];
            s = e;
            counts.sessions += 1;

            seq.clear();
            cart_items.clear();
            loose.clear();
            for (_, _, ev) in session {
                let w = kind_weights[ev.kind as usize];
                let in_frame = ev.ts >= timeframe_start;
                let d = if in_frame { decay(ev.ts) } else { 0.0 };
                match ev.kind {
                    VIEW => {
                        counts.views += 1;
                        if seq.last() != Some(&ev.product) {
                            seq.push(ev.product);
                        }
                        if in_frame {
                            views_t.add(ev.product, d, shopper);
                        }
                    }
                    CART => {
                        counts.carts += 1;
                        cart_items.push(ev.product);
                        if in_frame {
                            carts_t.add(ev.product, d, shopper);
                        }
                    }
                    PURCHASE => {
                        counts.purchases += 1;
                        if ev.order != NONE {
                            orders.push((ev.order, ev.product));
                        } else {
                            loose.push(ev.product);
                        }
                        if ev.ts >= recent_start {
                            purchases_t.add(ev.product, f64::from(ev.qty), shopper);
                        }
                    }
                    _ => counts.custom += 1,
                }
                if in_frame && w > 0.0 {
                    let units = if ev.kind == PURCHASE { f64::from(ev.qty) } else { 1.0 };
                    popular_t.add(ev.product, w * d * units, shopper);
                }
            }
            if !seq.is_empty() {
                view_seqs.push(&seq, shopper);
            }
            distinct_in_order(&cart_items, &mut scratch);
            std::mem::swap(&mut cart_items, &mut scratch);
            if !cart_items.is_empty() {
                cart_baskets.push(&cart_items, shopper);
            }
            distinct_in_order(&loose, &mut scratch);
            std::mem::swap(&mut loose, &mut scratch);
            if !loose.is_empty() {
                counts.orders += 1;
                bought_baskets.push(&loose, shopper);
            }
        }
        // Orders of this shopper, across sessions.
        orders.sort_unstable();
        let mut o = 0;
        while o < orders.len() {
            let id = orders[o].0;
            basket.clear();
            while o < orders.len() && orders[o].0 == id {
                basket.push(orders[o].1);
                o += 1;
            }
            basket.dedup();
            counts.orders += 1;
            bought_baskets.push(&basket, shopper);
        }
    }
    counts.shoppers = u64::from(shopper_no);

    // 4. The count tables (pairs counted on two threads: views and carts on one, sequences and
    // orders on the other), then keep, score and cut them: `pack`, which `edgerec pack` runs too.
    let (min, next_window) = (t.min_count, t.next_window as usize);
    let count = |kind: NeighbourKind, c: PairCounts| (kind, c.len(), c.table(min));
    let (first, second) = std::thread::scope(|s| {
        let helper = s.spawn(|| {
            [
                count(NeighbourKind::ViewedTogether, PairCounts::count_distinct(n, &view_seqs, window, min)),
                count(NeighbourKind::CartedTogether, PairCounts::count_baskets(n, &cart_baskets, window, min)),
            ]
        });
        let mine = [
            count(NeighbourKind::BoughtTogether, PairCounts::count_baskets(n, &bought_baskets, window, min)),
            count(NeighbourKind::ViewedNext, PairCounts::count_sequences(n, &view_seqs, next_window, min)),
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
    let trend = trending::trend_counts(events.iter().map(|(s, _, e)| (*s, e)), &kind_weights, n, as_of, params);
    let used = events.iter().map(|(_, _, e)| e.ts);
    let tables = CountTables {
        as_of,
        events_from: used.clone().min().unwrap_or(0),
        events_to: used.max().unwrap_or(0),
        counts: counts.clone(),
        popularity: vec![
            (PopularityKind::Views, views_t.counts()),
            (PopularityKind::Carts, carts_t.counts()),
            (PopularityKind::Purchases, purchases_t.counts()),
            (PopularityKind::Popular, popular_t.counts()),
        ],
        pairs: pair_tables,
        journeys: journeys.counts(min),
        bundles: journeys::bundle_counts(&bought_baskets, min),
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
    use crate::ingest::events::Event;
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
