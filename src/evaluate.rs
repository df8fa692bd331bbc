//! Offline evaluation with the protocols the research community uses, through the same engine
//! code the browser runs.
//!
//! - Next item: for every test session and every position k >= 1, the first k views are the
//!   session so far and view k+1 is the target; the list is the widget's top K. HR@K is the share
//!   of cases whose target is listed, MRR@K the mean of 1/rank (0 when not listed), NDCG@K the mean
//!   of 1/log2(rank+1); coverage is the share of the catalog recommended at least once.
//! - Basket: for each shopper of the future file, the widget's top K given the shopper's own
//!   past purchases (as the browser holds them); Recall@K = |hits| / |future basket|, NDCG@K with
//!   the ideal over the whole future basket (up to K), hit rate = share of shoppers with a hit.
//!
//! Baselines computed the same way: global popularity, in-session popularity (the session's own
//! items by count, then recency, then global popularity), and for baskets the shopper's own
//! most-bought items then the global best sellers.

use std::io::Write;
use std::time::Instant;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::config::WidgetConfig;
use crate::engine::{Context, Purchase, Recommender, View};
use crate::ingest::events::{EventLog, NONE, PURCHASE, VIEW};
use crate::popularity::PopularityKind;

pub mod personal;

/// Ranking metrics over cases with one or more relevant items.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    /// Cases scored.
    pub cases: u64,
    hits: u64,
    rr: f64,
    ndcg: f64,
    recall: f64,
    recommended: FxHashSet<u32>,
    latencies_us: Vec<f32>,
}

/// 1-based rank of `target` in `list`.
pub fn rank_of<T: PartialEq>(list: &[T], target: &T) -> Option<usize> {
    list.iter().position(|x| x == target).map(|i| i + 1)
}

/// DCG of a list whose relevant positions (1-based) are given.
fn dcg(ranks: impl Iterator<Item = usize>) -> f64 {
    ranks.map(|r| 1.0 / ((r + 1) as f64).log2()).sum()
}

impl Metrics {
    /// Scores one next-item case.
    pub fn add_single(&mut self, list: &[u32], target: u32) {
        self.cases += 1;
        self.recommended.extend(list.iter().copied());
        if let Some(r) = rank_of(list, &target) {
            self.hits += 1;
            self.rr += 1.0 / r as f64;
            self.ndcg += dcg(std::iter::once(r));
            self.recall += 1.0;
        }
    }

    /// Scores one basket case: `relevant` is the future basket (distinct items), `k` the cutoff.
    pub fn add_basket(&mut self, list: &[u32], relevant: &FxHashSet<u32>, k: usize) {
        self.cases += 1;
        self.recommended.extend(list.iter().copied());
        if relevant.is_empty() {
            return;
        }
        let hit_ranks: Vec<usize> =
            list.iter().enumerate().filter(|(_, p)| relevant.contains(p)).map(|(i, _)| i + 1).collect();
        if !hit_ranks.is_empty() {
            self.hits += 1;
            self.rr += 1.0 / hit_ranks[0] as f64;
        }
        self.recall += hit_ranks.len() as f64 / relevant.len() as f64;
        let ideal = dcg(1..=relevant.len().min(k));
        self.ndcg += dcg(hit_ranks.into_iter()) / ideal;
    }

    /// Records one query's latency.
    pub fn add_latency(&mut self, us: f32) {
        self.latencies_us.push(us);
    }

    fn mean(&self, x: f64) -> f64 {
        if self.cases == 0 {
            0.0
        } else {
            x / self.cases as f64
        }
    }

    /// Share of cases with at least one relevant item listed (HR@K; hit rate for baskets).
    pub fn hit_rate(&self) -> f64 {
        self.mean(self.hits as f64)
    }
    /// Mean reciprocal rank of the first relevant item.
    pub fn mrr(&self) -> f64 {
        self.mean(self.rr)
    }
    /// Mean NDCG.
    pub fn ndcg(&self) -> f64 {
        self.mean(self.ndcg)
    }
    /// Mean recall.
    pub fn recall(&self) -> f64 {
        self.mean(self.recall)
    }
    /// Share of `catalog` products recommended at least once.
    pub fn coverage(&self, catalog: usize) -> f64 {
        if catalog == 0 {
            0.0
        } else {
            self.recommended.len() as f64 / catalog as f64
        }
    }

    /// Latency percentile in microseconds.
    pub fn latency(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let mut v = self.latencies_us.clone();
        v.sort_unstable_by(f32::total_cmp);
        f64::from(v[((v.len() - 1) as f64 * q).round() as usize])
    }
}

/// The figures of one list (model or baseline) on one protocol.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scores {
    /// What produced the lists.
    pub name: String,
    /// Cases (next item) or shoppers (basket).
    pub cases: u64,
    /// HR@K (next item) or hit rate (basket).
    pub hit_rate: f64,
    /// MRR@K.
    pub mrr: f64,
    /// NDCG@K.
    pub ndcg: f64,
    /// Recall@K (equals HR@K for next item).
    pub recall: f64,
    /// Share of the catalog recommended at least once.
    pub coverage: f64,
    /// Query latency p50 (microseconds), for the engine's lists.
    pub p50_us: f64,
    /// Query latency p99.
    pub p99_us: f64,
}

impl Scores {
    fn of(name: &str, m: &Metrics, catalog: usize) -> Scores {
        Scores {
            name: name.to_string(),
            cases: m.cases,
            hit_rate: m.hit_rate(),
            mrr: m.mrr(),
            ndcg: m.ndcg(),
            recall: m.recall(),
            coverage: m.coverage(catalog),
            p50_us: m.latency(0.5),
            p99_us: m.latency(0.99),
        }
    }
}

/// Sessions of a log as the walk cuts them (crate::walk: the session id, else the `gap` in
/// seconds): (session key, viewed products in time order), sessions without a view left out.
///
/// The key is the session id, else `1 << 32 | user` with the session's number among the user's
/// above bit 33 (`key & 0xffff_ffff` is the user then); sessions are in key order.
pub fn view_sessions(log: &EventLog, gap: i64) -> Vec<(u64, Vec<u32>)> {
    let walk = crate::walk::Walk::of(&log.events, gap, |_| true);
    let mut out: Vec<(u64, Vec<u32>)> = Vec::new();
    for shopper in walk.shoppers() {
        for (n, session) in shopper.sessions().enumerate() {
            let views: Vec<u32> =
                session.iter().filter(|(_, _, e)| e.kind == VIEW).map(|(_, _, e)| e.product).collect();
            if views.is_empty() {
                continue;
            }
            let e = &session[0].2;
            let key = if e.session != NONE {
                u64::from(e.session)
            } else {
                ((n as u64) << 33) | (1 << 32) | u64::from(e.user)
            };
            out.push((key, views));
        }
    }
    out.sort_unstable_by_key(|(k, _)| *k);
    out
}

/// Per user, their purchase lines in time order.
pub fn purchases_by_user(log: &EventLog) -> FxHashMap<u32, Vec<(i64, u32)>> {
    let mut by: FxHashMap<u32, Vec<(i64, usize, u32)>> = FxHashMap::default();
    for (i, e) in log.events.iter().enumerate() {
        if e.kind == PURCHASE && e.user != NONE {
            by.entry(e.user).or_default().push((e.ts, i, e.product));
        }
    }
    by.into_iter()
        .map(|(u, mut v)| {
            v.sort_unstable();
            (u, v.into_iter().map(|(t, _, p)| (t, p)).collect())
        })
        .collect()
}

/// One replayed next-item case.
struct Replayed<'a> {
    /// The session's key and views.
    key: u64,
    seq: &'a [u32],
    /// Views so far: the target is `seq[pos]`.
    pos: usize,
    /// The widget's list.
    list: &'a [u32],
    /// The query's latency in microseconds.
    us: f32,
}

/// Replays every next-item case of `sessions` through the widget (at `k` items) and hands each
/// to `f`.
fn replay(
    rec: &Recommender,
    widget: &WidgetConfig,
    sessions: &[(u64, Vec<u32>)],
    k: usize,
    mut f: impl FnMut(Replayed<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let c = rec.catalog();
    let mut w = widget.clone();
    w.limit = k as u32;
    let mut list: Vec<u32> = Vec::with_capacity(k);
    for (key, seq) in sessions {
        for pos in 1..seq.len() {
            let ctx = Context {
                views: seq[..pos].iter().rev().map(|&p| View { id: c.id(p).to_string(), at: None }).collect(),
                ..Default::default()
            };
            let t = Instant::now();
            let r = rec.recommend_with(&w, &ctx).expect("validated widget");
            let us = t.elapsed().as_nanos() as f32 / 1000.0;
            list.clear();
            list.extend(r.items.iter().map(|i| i.product));
            f(Replayed { key: *key, seq, pos, list: &list, us })?;
        }
    }
    Ok(())
}

/// The `k` most viewed products: the popularity baseline, and what in-session popularity fills with.
fn most_viewed(rec: &Recommender, k: usize) -> Vec<u32> {
    rec.snapshot().popularity.list(PopularityKind::Views).global.iter().take(k).map(|&(p, _)| p).collect()
}

/// Runs the next-item protocol: the widget's lists, plus the popularity and in-session
/// popularity baselines. `names` turns a session key into its id for `predictions`
/// (`session_id,position,target,rank,items`).
pub fn next_item(
    rec: &Recommender,
    name: &str,
    widget: &WidgetConfig,
    sessions: &[(u64, Vec<u32>)],
    k: usize,
    names: &dyn Fn(u64) -> String,
    mut predictions: Option<&mut dyn Write>,
) -> std::io::Result<Vec<Scores>> {
    let c = rec.catalog();
    let popular = most_viewed(rec, k);
    let (mut model, mut pop, mut in_session) = (Metrics::default(), Metrics::default(), Metrics::default());
    if let Some(out) = predictions.as_deref_mut() {
        writeln!(out, "session_id,position,target,rank,items")?;
    }
    replay(rec, widget, sessions, k, |r| {
        let (pos, target) = (r.pos, r.seq[r.pos]);
        model.add_latency(r.us);
        model.add_single(r.list, target);
        if let Some(out) = predictions.as_deref_mut() {
            let rank = rank_of(r.list, &target).map(|r| r.to_string()).unwrap_or_default();
            let items: Vec<&str> = r.list.iter().map(|&p| c.id(p)).collect();
            writeln!(out, "{},{pos},{},{rank},{}", csv_field(&names(r.key)), csv_field(c.id(target)), items.join(" "))?;
        }
        pop.add_single(&popular, target);
        in_session.add_single(&session_popularity(&r.seq[..pos], &popular, k), target);
        Ok(())
    })?;
    Ok(vec![
        Scores::of(&format!("{name} (edgerec)"), &model, c.len()),
        Scores::of("popularity (most viewed)", &pop, c.len()),
        Scores::of("in-session popularity", &in_session, c.len()),
    ])
}

/// One next-item case as the HTML report sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseRecord {
    /// Views in the session so far (k: the target is view k+1).
    pub position: u32,
    /// Views in the whole session.
    pub session_len: u32,
    /// Rank of the target in the widget's list (1-based), if listed.
    pub rank: Option<u32>,
    /// Rank of the target in the in-session popularity baseline, if listed.
    pub baseline_rank: Option<u32>,
    /// The query's latency in microseconds.
    pub us: f32,
}

/// Replays the next-item cases like [`next_item`] and returns each case (for the HTML report).
pub fn next_item_cases(
    rec: &Recommender,
    widget: &WidgetConfig,
    sessions: &[(u64, Vec<u32>)],
    k: usize,
) -> Vec<CaseRecord> {
    let popular = most_viewed(rec, k);
    let mut out = Vec::new();
    let _ = replay(rec, widget, sessions, k, |r| {
        let target = r.seq[r.pos];
        let rank = rank_of(r.list, &target).map(|x| x as u32);
        let baseline_rank = rank_of(&session_popularity(&r.seq[..r.pos], &popular, k), &target).map(|x| x as u32);
        let (position, session_len) = (r.pos as u32, r.seq.len() as u32);
        out.push(CaseRecord { position, session_len, rank, baseline_rank, us: r.us });
        Ok(())
    });
    out
}

/// The items by how often they occur (ties: the latest occurrence first), then `fill`, up to
/// `k` without repeats.
fn most_frequent_then(items: impl Iterator<Item = u32>, fill: &[u32], k: usize) -> Vec<u32> {
    let mut counts: Vec<(u32, usize, usize)> = Vec::new();
    for (i, p) in items.enumerate() {
        match counts.iter_mut().find(|c| c.0 == p) {
            Some(c) => {
                c.1 += 1;
                c.2 = i;
            }
            None => counts.push((p, 1, i)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
    let mut out: Vec<u32> = counts.into_iter().map(|c| c.0).take(k).collect();
    for &p in fill {
        if out.len() >= k {
            break;
        }
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The session's own items by count (ties: most recent first), then the popular list.
pub fn session_popularity(session: &[u32], popular: &[u32], k: usize) -> Vec<u32> {
    most_frequent_then(session.iter().copied(), popular, k)
}

/// The shopper's own most-bought items (ties: most recent), then the global best sellers.
pub fn own_most_bought(history: &[(i64, u32)], best_sellers: &[u32], k: usize) -> Vec<u32> {
    most_frequent_then(history.iter().map(|&(_, p)| p), best_sellers, k)
}

/// Each shopper's purchase lines in time order: the past the list may use, the future it is
/// scored against.
#[derive(Debug, Default)]
pub struct Shoppers {
    /// Past purchases (the shopper's own history, as the browser holds it).
    pub history: FxHashMap<u32, Vec<(i64, u32)>>,
    /// The next basket.
    pub future: FxHashMap<u32, Vec<(i64, u32)>>,
}

/// Runs the basket protocol (`predictions`: `user_id,rank,product_id,score`). The widget may
/// list products the shopper bought before (repeat buying is the point of a basket list).
pub fn basket(
    rec: &Recommender,
    name: &str,
    widget: &WidgetConfig,
    shoppers: &Shoppers,
    k: usize,
    names: &dyn Fn(u32) -> String,
    mut predictions: Option<&mut dyn Write>,
) -> std::io::Result<Vec<Scores>> {
    let c = rec.catalog();
    let mut w = widget.clone();
    w.limit = k as u32;
    w.exclude_purchased = false;
    let best: Vec<u32> =
        rec.snapshot().popularity.list(PopularityKind::Purchases).global.iter().take(k).map(|&(p, _)| p).collect();
    let (mut model, mut global, mut own) = (Metrics::default(), Metrics::default(), Metrics::default());
    if let Some(out) = predictions.as_deref_mut() {
        writeln!(out, "user_id,rank,product_id,score")?;
    }
    let (history, future) = (&shoppers.history, &shoppers.future);
    let mut users: Vec<&u32> = future.keys().collect();
    users.sort_unstable();
    let empty = Vec::new();
    for user in users {
        let relevant: FxHashSet<u32> = future[user].iter().map(|&(_, p)| p).collect();
        let past = history.get(user).unwrap_or(&empty);
        let ctx = Context {
            purchased: past.iter().rev().map(|&(t, p)| Purchase { id: c.id(p).to_string(), at: Some(t) }).collect(),
            ..Default::default()
        };
        let t = Instant::now();
        let r = rec.recommend_with(&w, &ctx).expect("validated widget");
        model.add_latency(t.elapsed().as_nanos() as f32 / 1000.0);
        let list: Vec<u32> = r.items.iter().map(|i| i.product).collect();
        model.add_basket(&list, &relevant, k);
        if let Some(out) = predictions.as_deref_mut() {
            for (i, item) in r.items.iter().enumerate() {
                writeln!(
                    out,
                    "{},{},{},{:.6}",
                    csv_field(&names(*user)),
                    i + 1,
                    csv_field(c.id(item.product)),
                    item.score
                )?;
            }
        }
        global.add_basket(&best, &relevant, k);
        own.add_basket(&own_most_bought(past, &best, k), &relevant, k);
    }
    Ok(vec![
        Scores::of(&format!("{name} (edgerec)"), &model, c.len()),
        Scores::of("global best sellers", &global, c.len()),
        Scores::of("own most-bought, then global", &own, c.len()),
    ])
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// `edgerec build --holdout-days N`: trains on everything before the last `days` days (fitting
/// the `for_you` weights on that part when `tune` is set, as the real build does), scores the
/// held-out days (next item with `for_you` at K = 20; `also_bought` hits within orders of two or
/// more products), and returns the figures to store in the final snapshot's metadata.
pub fn holdout(
    catalog: &crate::catalog::Catalog,
    log: &EventLog,
    opts: &crate::build::BuildOptions,
    days: u32,
    tune: bool,
) -> Option<crate::snapshot::Holdout> {
    let newest = log.events.iter().map(|e| e.ts).max()?;
    let end = opts.as_of.unwrap_or(newest);
    let cutoff = end - i64::from(days) * crate::time::DAY;
    let train_opts = crate::build::BuildOptions { as_of: Some(cutoff - 1), ..opts.clone() };
    let (snapshot, _, _) = crate::build::tune::build_tuned(catalog.clone(), log, &train_opts, tune);
    let rec = Recommender::new(snapshot);
    let mut held = EventLog::new();
    held.events = log.events.iter().filter(|e| e.ts >= cutoff && e.ts <= end).copied().collect();
    held.custom_kinds = log.custom_kinds.clone();
    let mut metrics = std::collections::BTreeMap::new();
    let mut cases = 0;
    if let Some(widget) = rec.widget("for_you").cloned() {
        let sessions = view_sessions(&held, rec.session_gap());
        let rows = next_item(&rec, "for_you", &widget, &sessions, 20, &|_| String::new(), None).ok()?;
        let m = &rows[0];
        cases += m.cases;
        metrics.insert("for_you.hr@20".to_string(), m.hit_rate);
        metrics.insert("for_you.mrr@20".to_string(), m.mrr);
        metrics.insert("for_you.ndcg@20".to_string(), m.ndcg);
        metrics.insert("for_you.coverage".to_string(), m.coverage);
        metrics.insert("popularity.hr@20".to_string(), rows[1].hit_rate);
        metrics.insert("next_item.cases".to_string(), m.cases as f64);
    }
    if let Some(widget) = rec.widget("also_bought").cloned() {
        // Orders (or sessions' purchases) of two or more distinct products.
        let mut baskets: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for e in held.events.iter().filter(|e| e.kind == PURCHASE) {
            let key = if e.order != NONE {
                u64::from(e.order)
            } else if e.session != NONE {
                (1 << 32) | u64::from(e.session)
            } else {
                continue;
            };
            let b = baskets.entry(key).or_default();
            if !b.contains(&e.product) {
                b.push(e.product);
            }
        }
        let (mut tried, mut hits) = (0u64, 0u64);
        let c = rec.catalog();
        for b in baskets.values().filter(|b| b.len() >= 2) {
            for &a in b {
                let ctx = Context { product: Some(c.id(a).to_string()), ..Default::default() };
                let r = rec.recommend_with(&widget, &ctx).ok()?;
                tried += 1;
                if r.items.iter().any(|i| i.product != a && b.contains(&i.product)) {
                    hits += 1;
                }
            }
        }
        if tried > 0 {
            cases += tried;
            metrics.insert(format!("also_bought.hit@{}", widget.limit), hits as f64 / tried as f64);
            metrics.insert("also_bought.cases".to_string(), tried as f64);
        }
    }
    Some(crate::snapshot::Holdout { days, cases, metrics })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_item_metrics_match_hand_computed_values() {
        let mut m = Metrics::default();
        m.add_single(&[5, 7, 9], 7); // rank 2
        m.add_single(&[5, 7, 9], 5); // rank 1
        m.add_single(&[5, 7, 9], 1); // miss
        m.add_single(&[1, 2, 3], 3); // rank 3
        assert_eq!(m.cases, 4);
        assert!((m.hit_rate() - 0.75).abs() < 1e-12);
        assert!((m.mrr() - (0.5 + 1.0 + 0.0 + 1.0 / 3.0) / 4.0).abs() < 1e-12);
        let ndcg = (1.0 / 3f64.log2() + 1.0 + 0.0 + 1.0 / 4f64.log2()) / 4.0;
        assert!((m.ndcg() - ndcg).abs() < 1e-12);
        assert!((m.coverage(10) - 0.6).abs() < 1e-12, "5, 7, 9, 1, 2, 3 of 10");
    }

    #[test]
    fn basket_metrics_match_hand_computed_values() {
        let mut m = Metrics::default();
        let basket: FxHashSet<u32> = [1, 2, 3, 4].into_iter().collect();
        m.add_basket(&[9, 1, 8, 3], &basket, 4); // hits at 2 and 4 of 4 relevant
        let empty_hit: FxHashSet<u32> = [7].into_iter().collect();
        m.add_basket(&[1, 2], &empty_hit, 4); // no hit
        assert!((m.recall() - (0.5 + 0.0) / 2.0).abs() < 1e-12);
        assert!((m.hit_rate() - 0.5).abs() < 1e-12);
        let ideal = 1.0 + 1.0 / 3f64.log2() + 0.5 + 1.0 / 5f64.log2();
        let got = (1.0 / 3f64.log2() + 1.0 / 5f64.log2()) / ideal;
        assert!((m.ndcg() - got / 2.0).abs() < 1e-12);
    }

    #[test]
    fn baselines() {
        assert_eq!(session_popularity(&[4, 5, 4, 6], &[9, 4, 8], 4), vec![4, 6, 5, 9]);
        assert_eq!(own_most_bought(&[(1, 3), (2, 3), (3, 2), (4, 1)], &[7, 3], 4), vec![3, 1, 2, 7]);
    }
}
