//! `edgerec bench`'s personalisation figures: `personalize` of a storefront's list of 100 ids and
//! every widget with personalisation on. A snapshot built without `[personalization]` is
//! measured with it switched on (the default model: brand and category affinities, no group
//! profiles), so that any store gives the figures.

use super::super::Error;
use super::{summarise, Latency};
use crate::engine::{Context, Recommender};
use crate::snapshot::Snapshot;

/// Ids in a storefront list (a category page's worth).
pub const LIST_IDS: usize = 100;

/// The recommender with personalisation on, and whether the snapshot had it on already.
pub fn personalised(snapshot: &Snapshot) -> (Recommender, bool) {
    let was_on = snapshot.config.personalization.enabled;
    let mut s = snapshot.clone();
    s.config.personalization.enabled = true;
    (Recommender::new(s), was_on)
}

/// The contexts with stored history: the views of the next context as past views, so that a
/// profile has both in-session and past events.
pub fn with_history(ctxs: &[Context]) -> Vec<Context> {
    (0..ctxs.len())
        .map(|i| {
            let next = &ctxs[(i + 1) % ctxs.len()];
            Context { past_views: next.views.clone(), ..ctxs[i].clone() }
        })
        .collect()
}

/// Times `personalize` of [`LIST_IDS`] ids from the popularity list (a different window per
/// context) over the contexts, after a warm-up pass.
pub fn measure_list(rec: &Recommender, ctxs: &[Context]) -> Result<Latency, Error> {
    let c = rec.catalog();
    let popular = &rec.snapshot().popularity.popular.global;
    let ids: Vec<String> = if popular.len() >= LIST_IDS {
        popular.iter().map(|&(p, _)| c.id(p).to_string()).collect()
    } else {
        (0..c.len() as u32).map(|p| c.id(p).to_string()).collect()
    };
    let window = |i: usize| {
        let start = (i * 37) % ids.len().saturating_sub(LIST_IDS).max(1);
        &ids[start..(start + LIST_IDS).min(ids.len())]
    };
    for (i, ctx) in ctxs.iter().enumerate().take(200) {
        rec.personalize(window(i), ctx, None)?;
    }
    let mut times = Vec::with_capacity(ctxs.len());
    let mut items = 0;
    for (i, ctx) in ctxs.iter().enumerate() {
        let list = window(i);
        let t = std::time::Instant::now();
        let out = rec.personalize(list, ctx, None)?;
        times.push(t.elapsed().as_nanos() as f64 / 1000.0);
        items += out.len();
    }
    Ok(summarise(times, items))
}
