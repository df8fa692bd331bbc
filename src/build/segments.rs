//! What each segment (business account) did lately: the lists of the segment models.
//!
//! A shopper's segment is the `segment` of their events (the last one given, in file order), or
//! the mapping file's (`edgerec build --segments`), which wins. Only segments with at least
//! `min_count` distinct users are written.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::config::SegmentsConfig;
use crate::ingest::events::{Event, EventLog, PURCHASE, VIEW};
use crate::segments::{segment_key, SegmentLists, SegmentRepurchase};
use crate::walk::{Observer, Shopper};

const DAY: i64 = 86_400;

/// The segment of each shopper (keyed as the builder keys shoppers), from the log.
pub fn shopper_segments(log: &EventLog, shopper_of: impl Fn(&Event) -> Option<u64>) -> FxHashMap<u64, u32> {
    let mut map = FxHashMap::default();
    for &(i, s) in &log.event_segments {
        if let Some(shopper) = log.events.get(i as usize).and_then(&shopper_of) {
            map.insert(shopper, s);
        }
    }
    for &(user, s) in &log.user_segments {
        map.insert(u64::from(user), s);
    }
    map
}

#[derive(Default)]
struct Acc {
    users: FxHashSet<u64>,
    viewed: FxHashMap<u32, i64>,
    /// (product) -> (time, units) of every purchase.
    bought: FxHashMap<u32, Vec<(i64, u32)>>,
}

/// Collects the training events of shoppers who are in a segment (the walk's
/// [`Shopper::segment`]).
#[derive(Default)]
pub struct SegmentWalk {
    acc: FxHashMap<u32, Acc>,
}

impl Observer for SegmentWalk {
    fn observe(&mut self, shopper: &Shopper<'_>) {
        if let Some((s, _)) = shopper.segment {
            shopper.iter().for_each(|e| self.observe_event(s, shopper.key, e));
        }
    }
}

impl SegmentWalk {
    /// Observes one training event of `shopper`, in segment `s` (an index of the names).
    pub fn observe_event(&mut self, s: u32, shopper: u64, e: &Event) {
        let a = self.acc.entry(s).or_default();
        a.users.insert(shopper);
        match e.kind {
            VIEW => {
                let t = a.viewed.entry(e.product).or_insert(e.ts);
                *t = (*t).max(e.ts);
            }
            PURCHASE => a.bought.entry(e.product).or_default().push((e.ts, e.qty)),
            _ => {}
        }
    }

    /// The lists of every segment with at least `min_count` users, as of `as_of`.
    pub fn finish(self, names: &[String], min_count: u32, as_of: i64, cfg: &SegmentsConfig) -> SegmentLists {
        let mut rows: Vec<(u64, Acc)> = self
            .acc
            .into_iter()
            .filter(|(_, a)| a.users.len() >= min_count as usize)
            .map(|(s, a)| (segment_key(&names[s as usize]), a))
            .collect();
        rows.sort_unstable_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0); // two ids with one hash: keep one (never seen in practice)
        let size = cfg.list_size as usize;
        let bought_from = as_of - i64::from(cfg.purchased_days) * DAY;
        let recurring_from = as_of - i64::from(cfg.recurring_days) * DAY;
        let mut out = SegmentLists::default();
        for (key, a) in rows {
            let mut viewed: Vec<(u32, i64)> = a.viewed.into_iter().collect();
            viewed.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            let mut last: Vec<(u32, i64)> = a
                .bought
                .iter()
                .filter_map(|(&p, b)| b.iter().map(|x| x.0).max().map(|t| (p, t)))
                .filter(|&(_, t)| t >= bought_from)
                .collect();
            last.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            let mut rec: Vec<SegmentRepurchase> =
                a.bought.iter().filter_map(|(&p, b)| repurchase(p, b, recurring_from)).collect();
            rec.sort_unstable_by_key(|r| r.product);
            let viewed = viewed.into_iter().take(size).map(|v| v.0);
            out.push(key, viewed, last.into_iter().take(size), rec.into_iter().take(size));
        }
        out
    }
}

/// A segment's regular purchase of product `p`: bought on at least two days since `from`; the
/// average demand per day is the units bought before the last purchase over the days from the
/// first purchase to the last, and the last purchase lasts its units at that rate.
fn repurchase(p: u32, buys: &[(i64, u32)], from: i64) -> Option<SegmentRepurchase> {
    let mut b: Vec<(i64, u32)> = buys.iter().copied().filter(|x| x.0 >= from).collect();
    b.sort_unstable();
    // Purchases less than a day after the previous one are one purchase (several users of the
    // account ordering for the same need, or one order split in lines).
    let mut merged: Vec<(i64, u32)> = Vec::new();
    for (t, q) in b {
        match merged.last_mut() {
            Some(m) if t - m.0 < DAY => m.1 += q,
            _ => merged.push((t, q)),
        }
    }
    let (first, last) = (merged.first()?, merged.last()?);
    if merged.len() < 2 {
        return None;
    }
    let before: u32 = merged[..merged.len() - 1].iter().map(|m| m.1).sum();
    let days = (last.0 - first.0) as f32 / DAY as f32;
    let per_day = before as f32 / days;
    let interval_days = last.1 as f32 / per_day;
    (interval_days.is_finite() && interval_days > 0.0).then_some(SegmentRepurchase {
        product: p,
        last: last.0,
        interval_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::events::NONE;

    fn ev(user: u32, product: u32, kind: u16, day: f64, qty: u32) -> Event {
        Event { ts: (day * DAY as f64) as i64, product, user, session: NONE, order: NONE, qty, kind }
    }

    fn lists(events: &[Event], segment_of_user: &[(u32, u32)], min_count: u32, as_of_day: i64) -> SegmentLists {
        let of: FxHashMap<u64, u32> = segment_of_user.iter().map(|&(u, s)| (u64::from(u), s)).collect();
        let mut w = SegmentWalk::default();
        for e in events {
            if let Some(&s) = of.get(&u64::from(e.user)) {
                w.observe_event(s, u64::from(e.user), e);
            }
        }
        let names = vec!["acme".to_string(), "globex".to_string()];
        w.finish(&names, min_count, as_of_day * DAY, &SegmentsConfig::default())
    }

    #[test]
    fn last_viewed_and_bought_newest_first_bought_within_ten_days() {
        // Users 0, 1, 2 are Acme; user 3 is Globex (too few users to be written).
        let e = [
            ev(0, 5, VIEW, 1.0, 1),
            ev(1, 6, VIEW, 3.0, 1),
            ev(2, 5, VIEW, 4.0, 1), // 5 again: its latest view counts
            ev(0, 7, PURCHASE, 85.0, 1),
            ev(1, 8, PURCHASE, 95.0, 1),
            ev(2, 9, PURCHASE, 89.9, 1), // 10.1 days before day 100: out of the window
            ev(3, 1, VIEW, 2.0, 1),
        ];
        let s = lists(&e, &[(0, 0), (1, 0), (2, 0), (3, 1)], 3, 100);
        assert_eq!(s.keys, [segment_key("acme")]);
        assert_eq!(s.viewed.row(0), [5, 6]);
        let bought: Vec<u32> = s.purchased(0).map(|b| b.0).collect();
        assert_eq!(bought, [8], "bought within the last 10 days only");
        assert!(lists(&e, &[(0, 0), (1, 0), (2, 0)], 4, 100).is_empty(), "fewer than min_count users");
    }

    #[test]
    fn recurring_interval_from_the_average_demand_per_day() {
        // Acme buys 2 units on day 0, 2 on day 10 (by another user), 2 on day 20: 4 units in
        // 20 days before the last purchase, 0.2 a day: the last 2 units last 10 days.
        let e = [
            ev(0, 4, PURCHASE, 0.0, 2),
            ev(1, 4, PURCHASE, 10.0, 2),
            ev(2, 4, PURCHASE, 20.0, 2),
            ev(2, 4, PURCHASE, 20.1, 0), // the same day: merged
            ev(0, 3, PURCHASE, 5.0, 1),  // once: not recurring
        ];
        let s = lists(&e, &[(0, 0), (1, 0), (2, 0)], 3, 30);
        let r: Vec<SegmentRepurchase> = s.recurring(0).collect();
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].product, r[0].last), (4, 20 * DAY));
        assert!((r[0].interval_days - 10.0).abs() < 1e-4, "{}", r[0].interval_days);
        // Three times the units last three times as long.
        let mut big = e;
        big[2].qty = 6;
        big[3].qty = 0;
        let r = lists(&big, &[(0, 0), (1, 0), (2, 0)], 3, 30).recurring(0).next().unwrap();
        assert!((r.interval_days - 30.0).abs() < 1e-3, "{}", r.interval_days);
    }
}
