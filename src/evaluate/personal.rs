//! `edgerec evaluate next-item --personalize`: a widget's lists with and without the snapshot's
//! active personalisation model, on the same cases, each asked with the context the browser's
//! Session would hold at that moment (docs/personalization.md, "Measured lift").
//!
//! Every shopper (their user id, else their session id) is replayed event by event, in time
//! order, through a [`SessionState`]: their training events first (the stored history the
//! profile reads: past sessions' views, the cart, purchases), then their held-out ones. Before
//! each held-out event that is a case, the widget is asked with `state.context(None, t)`, once
//! with personalisation off and once on: the two lists differ only by the re-ranking.
//! - [`Target::View`]: every held-out view whose session (as the Session cuts it, by the gap)
//!   already has a view, as in the next-item protocol; the target is the viewed product.
//! - [`Target::Purchase`]: every held-out order (its lines at one time); the targets are its
//!   products, NDCG@K with the ideal over the order as the basket protocol has it.

use std::time::Instant;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::{Metrics, Scores};
use crate::config::WidgetConfig;
use crate::engine::Recommender;
use crate::ingest::events::{Event, CART, PURCHASE, VIEW};
use crate::popularity::PopularityKind;
use crate::session::SessionState;
use crate::walk::shopper_of as shopper;

/// What a case predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The next product viewed in the session.
    View,
    /// The products of the next order.
    Purchase,
}

/// The comparison: the widget without and with personalisation, and a popularity baseline.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Not personalised, personalised, popularity (most viewed, or best sellers for orders).
    pub rows: Vec<Scores>,
    /// Cases whose personalised list differs from the plain one.
    pub changed: u64,
    /// NDCG@K of the plain and the personalised lists on those cases alone (where all the lift is).
    pub changed_ndcg: (f64, f64),
    /// Distinct shoppers with at least one case.
    pub shoppers: u64,
}

/// A shopper's events: (time, held out, event).
type Timeline = Vec<(i64, bool, Event)>;

/// Applies one event to the Session, as the storefront records it.
pub fn record(state: &mut SessionState, id: &str, e: &Event) {
    match e.kind {
        VIEW => state.view(id, e.ts),
        CART => state.add_to_cart(id, e.qty.max(1), e.ts),
        PURCHASE => state.purchase(&[id], e.ts),
        _ => {}
    }
}

/// Runs the comparison (module docs) of `widget` at `k` items: `train` are the events the
/// snapshot was built from, `test` the held-out ones, interned alike.
pub fn compare(
    rec: &Recommender,
    name: &str,
    widget: &WidgetConfig,
    train: &[Event],
    test: &[Event],
    target: Target,
    k: usize,
) -> Comparison {
    let c = rec.catalog();
    let (mut off, mut on) = (widget.clone(), widget.clone());
    off.limit = k as u32;
    off.personalize = false;
    on.limit = k as u32;
    on.personalize = true;
    let kind = if target == Target::View { PopularityKind::Views } else { PopularityKind::Purchases };
    let popular: Vec<u32> = rec.snapshot().popularity.list(kind).global.iter().take(k).map(|&(p, _)| p).collect();
    // Each shopper of the held-out events with all their events: (time, held out, event).
    let keys: FxHashSet<u64> = test.iter().filter_map(shopper).collect();
    let mut by: FxHashMap<u64, Timeline> = FxHashMap::default();
    for (held, events) in [(false, train), (true, test)] {
        for e in events {
            if let Some(s) = shopper(e).filter(|s| keys.contains(s)) {
                by.entry(s).or_default().push((e.ts, held, *e));
            }
        }
    }
    let mut shoppers: Vec<(u64, Timeline)> = by.into_iter().collect();
    shoppers.sort_unstable_by_key(|s| s.0);
    let (mut m_off, mut m_on, mut m_pop) = (Metrics::default(), Metrics::default(), Metrics::default());
    let (mut d_off, mut d_on) = (Metrics::default(), Metrics::default());
    let (mut changed, mut with_cases) = (0u64, 0u64);
    let ask = |w: &WidgetConfig, ctx: &crate::engine::Context, m: &mut Metrics| -> Vec<u32> {
        let t = Instant::now();
        let r = rec.recommend_with(w, ctx).expect("validated widget");
        m.add_latency(t.elapsed().as_nanos() as f32 / 1000.0);
        r.items.iter().map(|i| i.product).collect()
    };
    for (_, mut events) in shoppers {
        // Stable: a shopper's events at one time keep their file order, training first.
        events.sort_by_key(|&(t, held, _)| (t, held));
        let mut state = SessionState::new(events[0].0);
        // Cut where the build did, as the browser's Session does once a recommender set it.
        state.set_gap(rec.session_gap());
        let cases_before = m_off.cases;
        let mut i = 0;
        while i < events.len() {
            let (t, held, e) = events[i];
            // The order's lines: held-out purchases at this time with this order id.
            let mut end = i + 1;
            let relevant: Option<FxHashSet<u32>> = match target {
                Target::View if held && e.kind == VIEW && !state.recent_views(t).is_empty() => {
                    Some([e.product].into_iter().collect())
                }
                Target::Purchase if held && e.kind == PURCHASE => {
                    while end < events.len() && {
                        let (t2, h2, e2) = events[end];
                        t2 == t && h2 && e2.kind == PURCHASE && e2.order == e.order
                    } {
                        end += 1;
                    }
                    Some(events[i..end].iter().map(|x| x.2.product).collect())
                }
                _ => None,
            };
            if let Some(relevant) = relevant {
                let ctx = state.context(None, t);
                let plain = ask(&off, &ctx, &mut m_off);
                let personal = ask(&on, &ctx, &mut m_on);
                if plain != personal {
                    changed += 1;
                    d_off.add_basket(&plain, &relevant, k);
                    d_on.add_basket(&personal, &relevant, k);
                }
                m_off.add_basket(&plain, &relevant, k);
                m_on.add_basket(&personal, &relevant, k);
                m_pop.add_basket(&popular, &relevant, k);
            }
            for (_, _, e) in &events[i..end] {
                record(&mut state, c.id(e.product), e);
            }
            i = end;
        }
        with_cases += u64::from(m_off.cases > cases_before);
    }
    let baseline = if target == Target::View { "popularity (most viewed)" } else { "global best sellers" };
    Comparison {
        rows: vec![
            Scores::of(&format!("{name}, not personalised"), &m_off, c.len()),
            Scores::of(&format!("{name}, personalised"), &m_on, c.len()),
            Scores::of(baseline, &m_pop, c.len()),
        ],
        changed,
        changed_ndcg: (d_off.ndcg(), d_on.ndcg()),
        shoppers: with_cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogBuilder, ProductRecord};
    use crate::config::Config;
    use crate::ingest::events::{EventLog, NONE};

    const DAY: i64 = 86_400;

    fn ev(ts: i64, user: u32, session: u32, kind: u16, product: u32, order: u32) -> Event {
        Event { ts, product, user, session, order, qty: 1, kind }
    }

    /// Products 0-2 are brand X, 3-5 brand Y; anonymous shoppers make Y's the popular ones.
    /// Shopper 0 viewed and bought X's in training.
    fn store(strength: f32) -> (Recommender, Vec<Event>) {
        let mut b = CatalogBuilder::new();
        for i in 0..6 {
            let brand = if i < 3 { "X" } else { "Y" };
            b.push(ProductRecord { id: format!("p{i}"), brand: brand.into(), ..Default::default() });
        }
        let mut train = Vec::new();
        for s in 0..20u32 {
            for p in [3, 4, 5, 3, 4, 0, 1, 2] {
                train.push(ev(5 * DAY + i64::from(s) * 60, NONE, 100 + s, VIEW, p, NONE));
            }
        }
        train.push(ev(10 * DAY, 0, 1, VIEW, 0, NONE));
        train.push(ev(10 * DAY + 60, 0, 1, VIEW, 1, NONE));
        train.push(ev(10 * DAY + 120, 0, 1, PURCHASE, 1, 7));
        let mut config = Config::default();
        config.training.min_count = 1;
        config.personalization.enabled = true;
        config.personalization.strength = strength;
        let m = config.personalization.models.get_mut("default").unwrap();
        m.fields = [("brand".to_string(), 100)].into();
        m.igp = false;
        config.validate().unwrap();
        let mut log = EventLog::new();
        log.events = train.clone();
        let opts = crate::build::BuildOptions { config, as_of: None, built_at: 0 };
        let (snapshot, _, _) = crate::build::tune::build_tuned(b.finish().unwrap(), &log, &opts, false);
        (Recommender::new(snapshot), train)
    }

    #[test]
    fn cases_follow_the_session_and_the_history_moves_the_list() {
        let (rec, train) = store(1.0);
        let w = rec.widget("popular").unwrap().clone();
        let t = 20 * DAY;
        // Shopper 0 comes back: a first view (no case), two more (two cases), then an order of two
        // lines; an hour later a new session's first view (no case). Shopper 9, anonymous, has one
        // view (no case).
        let test = vec![
            ev(t, 0, 2, VIEW, 3, NONE),
            ev(t + 60, 0, 2, VIEW, 2, NONE),
            ev(t + 120, 0, 2, VIEW, 0, NONE),
            ev(t + 180, 0, 2, PURCHASE, 2, 8),
            ev(t + 180, 0, 2, PURCHASE, 0, 8),
            ev(t + 3 * 3600, 0, 3, VIEW, 4, NONE),
            ev(t, NONE, 9, VIEW, 5, NONE),
        ];
        let views = compare(&rec, "popular", &w, &train, &test, Target::View, 3);
        assert_eq!(views.rows.iter().map(|r| r.cases).collect::<Vec<_>>(), [2, 2, 2]);
        assert_eq!(views.shoppers, 1);
        // The X's the shopper chose before are pulled into the three places the Y's hold.
        assert!(views.changed > 0);
        assert!(views.rows[1].ndcg > views.rows[0].ndcg, "{:?}", views.rows);
        let orders = compare(&rec, "popular", &w, &train, &test, Target::Purchase, 3);
        assert_eq!(orders.rows[0].cases, 1, "one order of two lines");
        assert!(orders.rows[1].recall >= orders.rows[0].recall);
        // Without personalisation's strength, the lists are the same.
        let (rec, train) = store(0.0);
        let same = compare(&rec, "popular", &w, &train, &test, Target::View, 3);
        assert_eq!((same.changed, same.rows[0].ndcg), (0, same.rows[1].ndcg));
    }

    #[test]
    fn shoppers_are_users_else_sessions() {
        let e = |user, session| Event { ts: 0, product: 0, user, session, order: NONE, qty: 1, kind: VIEW };
        assert_eq!(shopper(&e(3, 9)), Some(3));
        assert_eq!(shopper(&e(NONE, 9)), Some((1 << 32) | 9));
        assert_eq!(shopper(&e(NONE, NONE)), None);
    }
}
