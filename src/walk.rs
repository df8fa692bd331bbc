//! The one walk over a log's shoppers and their sessions.
//!
//! Everything that reads shoppers or sessions from events goes through it: the build (every
//! model that observes shoppers), the tuning and holdout replays, `edgerec evaluate` and
//! `edgerec predict`. So a session is one thing everywhere:
//!
//! - **A shopper** is the user id, else the session id. An event with neither has no shopper: it
//!   is not one of its own, or a single anonymous visitor would meet `min_count` alone.
//! - **A session** is the events of one session id; a shopper's events without one are cut at
//!   `session_gap_minutes` of inactivity, the gap the snapshot records and the browser's Session
//!   cuts at ([`crate::session::SessionState::set_gap`]).
//!
//! Inside a shopper, events are ordered by session id, then time, then file position (so that
//! equal times keep the log's order and a walk is deterministic).

use rustc_hash::FxHashMap;

use crate::ingest::events::{Event, NONE};

/// An event with its shopper key and its position in the log.
pub type Keyed = (u64, u32, Event);

/// The shopper key of an event ([module docs](self)): the user id, else `1 << 32 | session id`;
/// `None` for an event with neither.
pub fn shopper_of(e: &Event) -> Option<u64> {
    if e.user != NONE {
        Some(u64::from(e.user))
    } else if e.session != NONE {
        Some((1 << 32) | u64::from(e.session))
    } else {
        None
    }
}

/// What learns from shoppers: a model's part of the build looks at each shopper of the walk in
/// turn, keeping only numbers, and finishes into its count table or section afterwards.
pub trait Observer {
    /// Looks at one shopper.
    fn observe(&mut self, shopper: &Shopper<'_>);
}

/// A log's events grouped by shopper, each shopper's in session and time order.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    events: Vec<Keyed>,
    gap: i64,
    segment_of: FxHashMap<u64, u32>,
    segment_names: Vec<String>,
}

impl Walk {
    /// The walk over `events` (already keyed by [`shopper_of`]), sorted unless they are in
    /// order, cutting sessions without an id at `gap` seconds.
    pub fn new(mut events: Vec<Keyed>, gap: i64) -> Walk {
        let key = |(s, i, e): &Keyed| (*s, e.session, e.ts, *i);
        // Logs are often already grouped by session and in time order: then there is nothing to sort.
        if !events.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
            events.sort_unstable_by_key(key);
        }
        Walk { events, gap, ..Default::default() }
    }

    /// The walk over the events of `log` that `keep` accepts and that have a shopper.
    pub fn of(log: &[Event], gap: i64, keep: impl Fn(&Event) -> bool) -> Walk {
        let keyed = log
            .iter()
            .enumerate()
            .filter(|(_, e)| keep(e))
            .filter_map(|(i, e)| shopper_of(e).map(|s| (s, i as u32, *e)))
            .collect();
        Walk::new(keyed, gap)
    }

    /// Gives shoppers their segment: `of` maps a shopper key to an index of `names`.
    pub fn with_segments(mut self, of: FxHashMap<u64, u32>, names: &[String]) -> Walk {
        self.segment_of = of;
        self.segment_names = names.to_vec();
        self
    }

    /// The session gap, in seconds.
    pub fn gap(&self) -> i64 {
        self.gap
    }

    /// Whether any shopper has a segment.
    pub fn has_segments(&self) -> bool {
        !self.segment_of.is_empty()
    }

    /// Every observer looks at every shopper, in key order; returns the number of shoppers.
    pub fn run(&self, observers: &mut [&mut dyn Observer]) -> u64 {
        let mut n = 0;
        for shopper in self.shoppers() {
            for o in observers.iter_mut() {
                o.observe(&shopper);
            }
            n += 1;
        }
        n
    }

    /// Every event, shopper by shopper.
    pub fn events(&self) -> &[Keyed] {
        &self.events
    }

    /// The shoppers, in key order.
    pub fn shoppers(&self) -> impl Iterator<Item = Shopper<'_>> + '_ {
        self.events.chunk_by(|a, b| a.0 == b.0).enumerate().map(|(no, events)| {
            let key = events[0].0;
            let segment =
                self.segment_of.get(&key).and_then(|&s| self.segment_names.get(s as usize).map(|n| (s, n.as_str())));
            Shopper { key, no: no as u32, events, gap: self.gap, segment }
        })
    }
}

/// One shopper's events, in session and time order.
#[derive(Debug, Clone, Copy)]
pub struct Shopper<'a> {
    /// The key ([`shopper_of`]).
    pub key: u64,
    /// Their number in the walk (0, 1, ...): what distinct-shopper counts count.
    pub no: u32,
    /// Their events.
    pub events: &'a [Keyed],
    /// The session gap, in seconds.
    pub gap: i64,
    /// Their segment (a business account) if the walk knows segments: its index among the
    /// walk's segment names, and the name.
    pub segment: Option<(u32, &'a str)>,
}

impl<'a> Shopper<'a> {
    /// The shopper's events alone, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a Event> + Clone + 'a {
        self.events.iter().map(|(_, _, e)| e)
    }

    /// The shopper's sessions ([module docs](self)).
    pub fn sessions(&self) -> impl Iterator<Item = &'a [Keyed]> + 'a {
        let gap = self.gap;
        self.events.chunk_by(move |(_, _, prev), (_, _, cur)| {
            if prev.session != NONE {
                cur.session == prev.session
            } else {
                cur.session == NONE && cur.ts - prev.ts <= gap
            }
        })
    }

    /// Each event with the number of its session among the shopper's (0, 1, ...).
    pub fn numbered(&self) -> impl Iterator<Item = (u32, &'a Event)> + 'a {
        self.sessions().enumerate().flat_map(|(n, s)| s.iter().map(move |(_, _, e)| (n as u32, e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::events::{CART, VIEW};

    fn ev(ts: i64, user: u32, session: u32, kind: u16, product: u32) -> Event {
        Event { ts, user, session, kind, product, qty: 1, order: NONE }
    }

    fn products(s: &[Keyed]) -> Vec<u32> {
        s.iter().map(|(_, _, e)| e.product).collect()
    }

    #[test]
    fn shoppers_are_users_else_sessions_and_events_without_either_are_nobody() {
        let log = [
            ev(10, 7, NONE, VIEW, 1),
            ev(5, NONE, 3, VIEW, 2),
            ev(1, 7, NONE, VIEW, 3),
            ev(2, NONE, NONE, VIEW, 4),
            ev(6, NONE, 3, CART, 5),
        ];
        let walk = Walk::of(&log, 1800, |_| true);
        let shoppers: Vec<(u64, Vec<u32>)> = walk.shoppers().map(|s| (s.key, products(s.events))).collect();
        assert_eq!(shoppers, vec![(7, vec![3, 1]), ((1 << 32) | 3, vec![2, 5])]);
        assert_eq!(walk.events().len(), 4, "the event with no shopper is left out");
        let views = Walk::of(&log, 1800, |e| e.kind == VIEW);
        assert_eq!(views.events().len(), 3);
        let numbers: Vec<u32> = walk.shoppers().map(|s| s.no).collect();
        assert_eq!(numbers, vec![0, 1]);
    }

    #[test]
    fn observers_see_every_shopper_with_their_segment() {
        struct Seen(Vec<(u64, Option<String>, usize)>);
        impl Observer for Seen {
            fn observe(&mut self, s: &Shopper<'_>) {
                self.0.push((s.key, s.segment.map(|x| x.1.to_string()), s.events.len()));
            }
        }
        let log = [ev(1, 2, NONE, VIEW, 1), ev(2, 2, NONE, VIEW, 2), ev(3, 5, NONE, VIEW, 3)];
        let of: FxHashMap<u64, u32> = [(5, 0)].into_iter().collect();
        let walk = Walk::of(&log, 1800, |_| true).with_segments(of, &["acme".to_string()]);
        let (mut a, mut b) = (Seen(Vec::new()), Seen(Vec::new()));
        assert_eq!(walk.run(&mut [&mut a, &mut b]), 2);
        assert_eq!(a.0, vec![(2, None, 2), (5, Some("acme".to_string()), 1)]);
        assert_eq!(a.0, b.0);
    }

    #[test]
    fn sessions_follow_the_session_id_else_the_gap() {
        let gap = 30 * 60;
        let log = [
            // User 1: session 9 (one session whatever the pause), then (sorted after it)
            // sessionless events 20 and then 40 minutes apart: two sessions.
            ev(0, 1, 9, VIEW, 1),
            ev(7_200, 1, 9, VIEW, 2),
            ev(10_000, 1, NONE, VIEW, 3),
            ev(11_200, 1, NONE, VIEW, 4),
            ev(13_600, 1, NONE, CART, 5),
            // Equal times keep the file order.
            ev(13_600, 1, NONE, VIEW, 6),
        ];
        let walk = Walk::of(&log, gap, |_| true);
        let shopper = walk.shoppers().next().unwrap();
        let sessions: Vec<Vec<u32>> = shopper.sessions().map(products).collect();
        assert_eq!(sessions, vec![vec![1, 2], vec![3, 4], vec![5, 6]]);
        let numbers: Vec<u32> = shopper.numbered().map(|(n, _)| n).collect();
        assert_eq!(numbers, vec![0, 0, 1, 1, 2, 2]);
        let walk = Walk::of(&log, 45 * 60, |_| true);
        let wider: Vec<Vec<u32>> = walk.shoppers().next().unwrap().sessions().map(products).collect();
        assert_eq!(wider, vec![vec![1, 2], vec![3, 4, 5, 6]], "a 45-minute gap keeps the 40-minute pause");
    }

    #[test]
    fn sorted_logs_are_not_resorted_and_unsorted_ones_are() {
        let log = [ev(3, 1, NONE, VIEW, 1), ev(1, 1, NONE, VIEW, 2), ev(2, 0, NONE, VIEW, 3)];
        let walk = Walk::of(&log, 1800, |_| true);
        let order: Vec<(u64, i64)> = walk.events().iter().map(|(s, _, e)| (*s, e.ts)).collect();
        assert_eq!(order, vec![(0, 2), (1, 1), (1, 3)]);
    }
}
