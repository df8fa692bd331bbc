//! Self-tuning at build time: the `for_you` weights fitted to each store's own data.
//!
//! 1. **A validation split from the training events only.** The views are ordered by time and
//!    the most recent [`VALIDATION_SHARE`] of them are held out; a snapshot is built on the
//!    events before that time (the same build, `as_of` the cut).
//! 2. **Next-item cases**, as `edgerec evaluate next-item` makes them: for every held-out session
//!    and every position k >= 1, the first k views are the session so far and view k+1 is the
//!    target. At most [`MAX_CASES`] (every n-th session when there are more); with fewer than
//!    [`MIN_CASES`] the build does not tune and says so.
//! 3. **A coordinate search** over the weights in [`GRID`] (the share of a session item's own
//!    score against its neighbours', how fast older items fade, viewed together against viewed
//!    next, two hops, a popularity prior, bought together when the store has purchases): from
//!    the current weights, each weight in turn takes the value of its grid that maximises
//!    HR@20 + MRR@20 with the others fixed; later rounds try only the grid neighbours of each
//!    weight's value, until a round changes nothing (at most [`ROUNDS`] rounds). The search starts
//!    at the configured weights, so it never ends below them on the validation split.
//! 4. The final snapshot is built on every event and carries the fitted weights and their
//!    validation figures ([`TunedForYou`], the `for_you.tuned` section).

use std::time::Instant;

use rustc_hash::FxHashMap;

use super::{build, BuildOptions, BuildStats};
use crate::catalog::Catalog;
use crate::config::{ForYouParams, SessionShape, TunedForYou, WidgetConfig};
use crate::engine::{Context, Recommender, View};
use crate::evaluate::{rank_of, session_popularity, view_sessions};
use crate::ingest::events::{EventLog, VIEW};
use crate::popularity::PopularityKind;
use crate::snapshot::Snapshot;

/// Share of the training views (the most recent ones) held out to fit the weights.
pub const VALIDATION_SHARE: f64 = 0.1;
/// Fewer validation cases than this: the build does not tune.
pub const MIN_CASES: usize = 5_000;
/// At most this many validation cases are scored per weight setting.
pub const MAX_CASES: usize = 16_000;
/// Rounds of the coordinate search, at most.
pub const ROUNDS: usize = 4;
/// The list length the weights are fitted for (HR@20, MRR@20).
const K: usize = 20;

/// The weights (and refinements by session shape, [`SessionShape`]) searched, and the values
/// each may take.
pub const GRID: [(&str, &[f32]); 9] = [
    ("repeat_weight", &[0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0]),
    ("recency_decay", &[0.3, 0.5, 0.7, 0.8, 0.9, 1.0]),
    ("together_weight", &[0.0, 0.3, 0.5, 0.7, 1.0, 1.5]),
    ("hop_weight", &[0.0, 0.2, 0.3, 0.45, 0.7]),
    ("popular_weight", &[0.0, 0.01, 0.03]),
    ("bought_weight", &[0.0, 0.25, 0.5, 1.0]),
    ("latest_boost", &[1.0, 1.5, 2.0, 3.0]),
    ("next_decay", &[0.0, 0.4]),
    ("repeat_seen", &[1.0, 2.0]),
];

/// A point of the search: the weights and the refinements.
#[derive(Debug, Clone, PartialEq)]
struct Point {
    params: ForYouParams,
    shape: SessionShape,
}

impl Point {
    fn get(&self, name: &str) -> f32 {
        let shape = self.shape.values().into_iter().find(|(n, _)| *n == name).map(|(_, v)| v);
        shape.or_else(|| self.params.get(name)).unwrap_or(0.0)
    }

    fn set(&mut self, name: &str, v: f32) {
        if !self.shape.set(name, v) {
            self.params.set(name, v);
        }
    }

    fn key(&self) -> Vec<u32> {
        self.params.weights().iter().chain(self.shape.values().iter()).map(|(_, v)| v.to_bits()).collect()
    }
}

/// What tuning did, for the build's summary.
#[derive(Debug, Clone, PartialEq)]
pub enum Tuning {
    /// Weights were fitted (they are also in the snapshot), in this many seconds (the
    /// validation build and the search).
    Fitted(TunedForYou, f32),
    /// No weights were fitted, and why (the defaults or the configured weights are used).
    Skipped(String),
}

/// Builds a snapshot like [`build`], and when `tune` is set first fits the `for_you` weights on a
/// validation split of the training events (module docs). `None` when `tune` is off.
pub fn build_tuned(
    catalog: Catalog,
    log: &EventLog,
    opts: &BuildOptions,
    tune: bool,
) -> (Snapshot, BuildStats, Option<Tuning>) {
    let t0 = Instant::now();
    let tuning = tune.then(|| match fit(&catalog, log, opts) {
        Ok(t) => Tuning::Fitted(t, t0.elapsed().as_secs_f32()),
        Err(why) => Tuning::Skipped(why),
    });
    let (mut snapshot, stats) = build(catalog, log, opts);
    if let Some(Tuning::Fitted(t, _)) = &tuning {
        snapshot.tuned = Some(t.clone());
    }
    (snapshot, stats, tuning)
}

/// One next-item case: the session so far (as the engine's context) and the view that followed.
struct Case {
    ctx: Context,
    /// The session so far, oldest first (for the in-session baseline).
    prefix: Vec<u32>,
    target: u32,
}

/// Fits the weights, or says why it did not.
fn fit(catalog: &Catalog, log: &EventLog, opts: &BuildOptions) -> Result<TunedForYou, String> {
    let Some(widget) = opts.config.widgets.get("for_you") else {
        return Err("the configuration has no for_you widget".into());
    };
    if widget.for_you.is_some() {
        return Err("the for_you widget has weights of its own ([widgets.for_you.for_you])".into());
    }
    let newest = log.events.iter().map(|e| e.ts).max().unwrap_or(0);
    let as_of = opts.as_of.unwrap_or(newest);
    let mut times: Vec<i64> = log.events.iter().filter(|e| e.kind == VIEW && e.ts <= as_of).map(|e| e.ts).collect();
    if times.is_empty() {
        return Err("the events hold no views".into());
    }
    times.sort_unstable();
    let cutoff = times[((times.len() as f64) * (1.0 - VALIDATION_SHARE)) as usize];
    if cutoff <= times[0] {
        return Err("the views span too little time to hold the most recent out".into());
    }
    let mut held = EventLog::new();
    held.events = log.events.iter().filter(|e| e.ts >= cutoff && e.ts <= as_of).copied().collect();
    let sessions = view_sessions(&held, i64::from(opts.config.training.session_gap_minutes) * 60);
    let total: usize = sessions.iter().map(|(_, s)| s.len().saturating_sub(1)).sum();
    if total < MIN_CASES {
        return Err(format!(
            "the most recent {:.0}% of the views give {} next-item cases, fewer than the {} tuning needs; the for_you list keeps the configured weights",
            VALIDATION_SHARE * 100.0,
            thousands(total),
            thousands(MIN_CASES)
        ));
    }
    let train_opts = BuildOptions { as_of: Some(cutoff - 1), ..opts.clone() };
    let (snapshot, _) = build(catalog.clone(), log, &train_opts);
    let mut rec = Recommender::new(snapshot);
    let c = rec.catalog();
    let every = total.div_ceil(MAX_CASES);
    let mut cases = Vec::new();
    for (_, seq) in sessions.iter().step_by(every) {
        for pos in 1..seq.len() {
            let views = seq[..pos].iter().rev().map(|&p| View { id: c.id(p).to_string(), at: None }).collect();
            cases.push(Case {
                ctx: Context { views, ..Default::default() },
                prefix: seq[..pos].to_vec(),
                target: seq[pos],
            });
        }
    }
    let popular: Vec<u32> =
        rec.snapshot().popularity.list(PopularityKind::Views).global.iter().take(K).map(|&(p, _)| p).collect();
    let (mut hits, mut rr) = (0.0f64, 0.0f64);
    for case in &cases {
        if let Some(r) = rank_of(&session_popularity(&case.prefix, &popular, K), &case.target) {
            hits += 1.0;
            rr += 1.0 / r as f64;
        }
    }
    let n = cases.len().max(1) as f64;
    let in_session = ((hits / n) as f32, (rr / n) as f32);

    let mut w = widget.clone();
    w.limit = K as u32;
    let has_bought = rec.snapshot().neighbours.bought.entries() + rec.snapshot().neighbours.carted.entries() > 0;
    let mut search = Search { rec: &mut rec, widget: w, cases: &cases, seen: FxHashMap::default() };
    let start = Point { params: opts.config.for_you.clone(), shape: SessionShape::default() };
    let defaults = search.score(&start);
    let (mut best, mut best_score) = (start, defaults);
    for round in 0..ROUNDS {
        let mut changed = false;
        for (name, grid) in GRID {
            if name == "bought_weight" && !has_bought {
                continue;
            }
            let now = best.get(name);
            let at = grid.iter().position(|v| *v == now);
            let tries: Vec<f32> = match (round, at) {
                (0, _) | (_, None) => grid.to_vec(),
                (_, Some(i)) => {
                    [i.checked_sub(1), Some(i + 1)].into_iter().flatten().filter_map(|j| grid.get(j).copied()).collect()
                }
            };
            for v in tries {
                let mut p = best.clone();
                p.set(name, v);
                let s = search.score(&p);
                if objective(s) > objective(best_score) {
                    (best, best_score, changed) = (p, s, true);
                }
            }
        }
        if !changed {
            break;
        }
    }
    Ok(TunedForYou {
        params: best.params,
        shape: best.shape,
        cases: cases.len() as u64,
        fitted: best_score,
        defaults,
        in_session,
        evaluations: search.seen.len() as u32,
    })
}

/// 12345 as "12,345".
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the search maximises: HR@20 + MRR@20.
fn objective((hr, mrr): (f32, f32)) -> f32 {
    hr + mrr
}

/// Scores weight settings on the validation cases, each setting once.
struct Search<'a> {
    rec: &'a mut Recommender,
    widget: WidgetConfig,
    cases: &'a [Case],
    seen: FxHashMap<Vec<u32>, (f32, f32)>,
}

impl Search<'_> {
    /// HR@20 and MRR@20 of `point` on the validation cases, on two threads: the engine runs
    /// with `point` as the snapshot's fitted weights.
    fn score(&mut self, point: &Point) -> (f32, f32) {
        let key = point.key();
        if let Some(&s) = self.seen.get(&key) {
            return s;
        }
        self.rec.set_tuned(Some(TunedForYou {
            params: point.params.clone(),
            shape: point.shape,
            cases: 0,
            fitted: (0.0, 0.0),
            defaults: (0.0, 0.0),
            in_session: (0.0, 0.0),
            evaluations: 0,
        }));
        let half = self.cases.len().div_ceil(2).max(1);
        let (rec, w) = (&*self.rec, &self.widget);
        let part = |cases: &[Case]| {
            let (mut hits, mut rr) = (0u64, 0.0f64);
            for case in cases {
                let r = rec.recommend_with(w, &case.ctx).expect("the for_you widget validates");
                if let Some(rank) = r.items.iter().position(|i| i.product == case.target) {
                    hits += 1;
                    rr += 1.0 / (rank + 1) as f64;
                }
            }
            (hits, rr)
        };
        let ((h1, r1), (h2, r2)) = std::thread::scope(|s| {
            let mut chunks = self.cases.chunks(half);
            let first = chunks.next().unwrap_or(&[]);
            let second = chunks.next().unwrap_or(&[]);
            let other = s.spawn(move || part(second));
            (part(first), other.join().expect("scoring does not panic"))
        });
        let n = self.cases.len().max(1) as f64;
        let s = (((h1 + h2) as f64 / n) as f32, ((r1 + r2) / n) as f32);
        self.seen.insert(key, s);
        s
    }
}
