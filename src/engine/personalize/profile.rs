//! The shopper's profile under a model: their events' field values, decayed, as shares, blended
//! with their group's (module docs of `personalize`).

use rustc_hash::FxHashMap;

use crate::catalog::Catalog;
use crate::personalization::GroupKey;
use crate::segments::segment_key;

use super::sort::sort_desc;
use super::{
    leaf, start_key, Context, Field, Model, Personalizer, Profile, Shares, MAX_EVENTS, MAX_SEARCHES, MAX_VALUES,
};

const DAY: f32 = 86_400.0;

impl Personalizer {
    /// The values of `field` a search names: those whose name appears in the query as whole
    /// words, ignoring the case of ASCII letters (Unicode case tables would add to the wasm).
    fn searched(&self, c: &Catalog, field: Field, query: &str, mut f: impl FnMut(u32)) {
        let names: Box<dyn Iterator<Item = &str>> = match field {
            Field::Brand => Box::new(c.brands().iter().map(String::as_str)),
            Field::Category => Box::new(c.category_names().iter().map(|s| leaf(s))),
            Field::Tag => Box::new(c.tag_names().iter().map(String::as_str)),
            Field::Column(i) => Box::new(self.columns[i as usize].vocab.iter().map(String::as_str)),
        };
        for (i, name) in names.enumerate() {
            if contains_words(query, name) {
                f(i as u32);
            }
        }
    }

    /// The profile of a context under model `m` (an index from [`Personalizer::model_index`]),
    /// as of `now` (Unix seconds).
    pub fn profile(&self, c: &Catalog, m: usize, ctx: &Context, now: i64, gap: i64) -> Profile {
        let Some(model) = self.models.get(m) else { return Profile::default() };
        let mut acc: Vec<(Field, FxHashMap<u32, f32>)> =
            model.used.iter().map(|&f| (f, FxHashMap::default())).collect();
        let mut events = 0.0f32;
        // (in the current session, age in seconds) -> decay, or None when not counted.
        let decay = |current: bool, at: Option<i64>| -> Option<f32> {
            if current {
                return model.in_session.then_some(1.0);
            }
            if !model.icp {
                return None;
            }
            let age = at.map_or(0.0, |t| (now - t).max(0) as f32 / DAY);
            let d = 1.0 - age / model.decay_days;
            (d > 0.0).then_some(d)
        };
        let current = |at: Option<i64>| at.is_some_and(|t| now - t <= gap);
        let mut add = |p: u32, kind: usize, d: f32| {
            let w = model.events[kind] * d;
            if w <= 0.0 {
                return;
            }
            events += d;
            for (f, map) in acc.iter_mut() {
                self.each_value(c, *f, p, |v| *map.entry(v).or_insert(0.0) += w);
            }
        };
        let look = |id: &str| c.index_of(id);
        for v in ctx.views.iter().take(MAX_EVENTS) {
            if let (Some(p), Some(d)) = (look(&v.id), decay(true, v.at)) {
                add(p, 0, d);
            }
        }
        for v in ctx.past_views.iter().take(MAX_EVENTS) {
            if let (Some(p), Some(d)) = (look(&v.id), decay(false, v.at)) {
                add(p, 0, d);
            }
        }
        for id in ctx.cart.iter().take(MAX_EVENTS) {
            if let (Some(p), Some(d)) = (look(id), decay(true, None)) {
                add(p, 1, d);
            }
        }
        for b in ctx.purchased.iter().take(MAX_EVENTS) {
            if let (Some(p), Some(d)) = (look(&b.id), decay(current(b.at), b.at)) {
                add(p, 2, d);
            }
        }
        if model.events[3] > 0.0 {
            for s in ctx.searches.iter().take(MAX_SEARCHES) {
                let Some(d) = decay(current(s.at), s.at) else { continue };
                let w = model.events[3] * d;
                let mut any = false;
                for (f, map) in acc.iter_mut() {
                    self.searched(c, *f, &s.query, |v| {
                        any = true;
                        *map.entry(v).or_insert(0.0) += w;
                    });
                }
                if any {
                    events += d;
                }
            }
        }
        let mut fields: Vec<(Field, Shares)> = acc
            .into_iter()
            .map(|(f, map)| {
                let total: f32 = map.values().sum();
                let mut v: Shares = map.into_iter().map(|(k, w)| (k, w / total)).collect();
                sort_desc(&mut v);
                v.truncate(MAX_VALUES);
                (f, v)
            })
            .collect();
        let mut own_weight = 1.0;
        let mut own_values = Vec::new();
        if model.igp {
            if let Some(group) = self.group_of(c, model, ctx) {
                own_weight = if self.group_until > 0.0 { events / (events + self.group_until) } else { 1.0 };
                own_values = fields.iter().map(|(f, vs)| (*f, vs.iter().map(|x| x.0).collect())).collect();
                for (f, own) in fields.iter_mut() {
                    let theirs = group.iter().find(|g| g.0 == *f).map_or(&[][..], |g| &g.1[..]);
                    *own = blend(own, theirs, own_weight);
                }
            }
        }
        Profile { fields, events, own_weight, own_values }
    }

    fn group_of<'a>(&self, c: &Catalog, model: &'a Model, ctx: &Context) -> Option<&'a Vec<(Field, Shares)>> {
        if let Some(s) = &ctx.segment {
            if let Some(g) = model.groups.get(&GroupKey::Segment(segment_key(s))) {
                return Some(g);
            }
        }
        let first = ctx.past_views.last().or(ctx.views.last()).and_then(|v| c.index_of(&v.id))?;
        model.groups.get(&start_key(c, first)?)
    }
}

/// `own × a + (1 - own) × theirs`, value by value, best first.
fn blend(own: &[(u32, f32)], theirs: &[(u32, f32)], a: f32) -> Shares {
    let mut out: Shares = own.iter().map(|&(v, s)| (v, a * s)).collect();
    for &(v, s) in theirs {
        match out.iter_mut().find(|x| x.0 == v) {
            Some(x) => x.1 += (1.0 - a) * s,
            None => out.push((v, (1.0 - a) * s)),
        }
    }
    sort_desc(&mut out);
    out.truncate(MAX_VALUES);
    out
}

/// Whether `words` (lowercase) occurs in `text` (lowercase) between word boundaries.
pub(super) fn contains_words(text: &str, words: &str) -> bool {
    // Bytes, so that no name is copied to lower case for each search; non-ASCII characters count
    // as letters (no Unicode tables in the wasm), and a match never starts inside one, since no
    // UTF-8 lead or ASCII byte equals a continuation byte.
    let (t, w) = (text.as_bytes(), words.as_bytes());
    if w.is_empty() || w.len() > t.len() {
        return false;
    }
    let boundary = |b: Option<&u8>| b.is_none_or(|b| b.is_ascii() && !b.is_ascii_alphanumeric());
    (0..=t.len() - w.len()).any(|i| {
        t[i..i + w.len()].eq_ignore_ascii_case(w)
            && boundary(i.checked_sub(1).map(|j| &t[j]))
            && boundary(t.get(i + w.len()))
    })
}
