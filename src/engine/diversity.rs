//! Diversity and rotation: a widget's caps on items of one brand or one category
//! (`max_per_brand`, `max_per_category`), applied as the list fills so that it fills from
//! further down, and `rotation`, which re-orders near-tied items per day or per session,
//! deterministically from a seed.

use super::personalize::is_history;
use super::{Context, Recommendation, Run};
use crate::config::Rotation;

/// Items of one step whose scores are within this fraction of the first of their run are
/// near-tied: rotation may swap them.
pub const ROTATION_TIE: f32 = 0.1;

impl Run<'_> {
    /// Whether `p` would put more than the widget allows of one brand or one category in the
    /// list. Products with no brand are never over the brand cap.
    pub(super) fn over_cap(&self, p: u32) -> bool {
        let (per_brand, per_category) = (self.w.config.max_per_brand as usize, self.w.config.max_per_category as usize);
        if per_brand == 0 && per_category == 0 {
            return false;
        }
        let c = self.catalog();
        if per_brand > 0 {
            if let Some(b) = c.brand(p) {
                if self.out.iter().filter(|r| c.brand(r.product) == Some(b)).count() >= per_brand {
                    return true;
                }
            }
        }
        per_category > 0
            && c.categories(p)
                .iter()
                .any(|cat| self.out.iter().filter(|r| c.categories(r.product).contains(cat)).count() >= per_category)
    }
}

/// The seed a widget's rotation uses for this request, or `None` when it does not rotate.
/// `day` is the request's day number.
pub(super) fn rotation_seed(rotation: Rotation, ctx: &Context, day: i64) -> Option<u64> {
    let day_seed = (day as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    match rotation {
        Rotation::Off => None,
        Rotation::Day => Some(day_seed),
        Rotation::Session => Some(
            ctx.seed
                .or_else(|| ctx.views.last().and_then(|v| v.at).map(|t| t as u64 ^ 0x5851_F42D))
                .unwrap_or(day_seed),
        ),
    }
}

/// Re-orders each run of near-tied items of one step by a hash of `seed` and the product: the
/// same seed gives the same order. Force-included items, the history lists (previously viewed,
/// recurring, the segment lists) and items that personalisation moved for a reason stay where
/// they are; the others of a run share the remaining places.
pub(super) fn rotate(items: &mut [Recommendation], seed: u64) {
    let mut i = 0;
    while i < items.len() {
        let (step, top) = (items[i].step, items[i].score);
        let mut j = i + 1;
        while j < items.len() && items[j].step == step && items[j].score >= top * (1.0 - ROTATION_TIE) {
            j += 1;
        }
        if !is_history(items[i].source) && j - i > 1 {
            let places: Vec<usize> = (i..j).filter(|&k| items[k].personal.is_none()).collect();
            let mut movable: Vec<(u64, Recommendation)> =
                places.iter().map(|&k| (mix(seed ^ u64::from(items[k].product)), items[k])).collect();
            // An insertion sort: runs of ties are short, and it adds less to the wasm than a
            // sort instantiated for this type.
            for a in 1..movable.len() {
                let mut b = a;
                while b > 0 && movable[b - 1].0 > movable[b].0 {
                    movable.swap(b - 1, b);
                    b -= 1;
                }
            }
            for (k, (_, r)) in places.into_iter().zip(movable) {
                items[k] = r;
            }
        }
        i = j;
    }
}

/// SplitMix64's finaliser: a well-spread hash of a 64-bit value.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::super::tests::fixture_with;
    use super::super::{Context, Overrides, Recommender};
    use crate::config::{Config, Rotation};

    fn ask(r: &Recommender, widget: &str, ctx: &Context, over: Overrides) -> Vec<String> {
        let got = r.recommend(widget, ctx, &Overrides { fallback: Some(vec![]), ..over }).unwrap();
        got.items.iter().map(|i| r.catalog().id(i.product).to_string()).collect()
    }

    fn fixture() -> Recommender {
        fixture_with(Config::default())
    }

    // Best sellers of the fixture: mug (no brand, Cups), board (Acme, Boards), knife-c (Acme,
    // Knives), knife-b (Bolt, Knives), apron (Zed, Textiles), knife-a (Acme, Knives),
    // sharpener (Bolt, Tools), knife-d (Acme, Knives, out of stock).

    #[test]
    fn a_brand_cap_fills_from_further_down_and_counts_force_included_items() {
        let r = fixture();
        let none = Context::default();
        let capped = Overrides { limit: Some(5), max_per_brand: Some(1), ..Default::default() };
        assert_eq!(ask(&r, "popular", &none, capped.clone()), ["mug", "board", "knife-b", "apron"]);
        let two = Overrides { max_per_brand: Some(2), ..capped.clone() };
        assert_eq!(ask(&r, "popular", &none, two), ["mug", "board", "knife-c", "knife-b", "apron"]);
        // A force-included Acme product is shown and uses up Acme's one place.
        let forced = Overrides { force_include: Some(vec!["knife-a".into()]), limit: Some(4), ..capped };
        assert_eq!(ask(&r, "popular", &none, forced), ["knife-a", "mug", "knife-b", "apron"]);
    }

    #[test]
    fn a_category_cap_counts_each_assigned_category() {
        let r = fixture();
        let capped = Overrides { limit: Some(5), max_per_category: Some(1), ..Default::default() };
        assert_eq!(ask(&r, "popular", &Context::default(), capped), ["mug", "board", "knife-c", "apron", "sharpener"]);
        let e = r
            .recommend("popular", &Context::default(), &Overrides { max_per_category: Some(101), ..Default::default() })
            .unwrap_err();
        assert_eq!(e.to_string(), "invalid option `max_per_category`: 101 is out of range: allowed 0 (no cap) to 100");
    }

    #[test]
    fn products_other_widgets_show_are_left_out_even_when_force_included() {
        let r = fixture();
        let ctx = Context { exclude: vec!["mug".into(), "board".into()], ..Default::default() };
        let over = Overrides { limit: Some(3), force_include: Some(vec!["mug".into()]), ..Default::default() };
        assert_eq!(ask(&r, "popular", &ctx, over), ["knife-c", "knife-b", "apron"]);
    }

    #[test]
    fn rotation_reorders_exact_ties_by_day_and_by_session_seed() {
        let r = fixture();
        // On knife-c, board, knife-a and mug were all viewed together with it at 0.7.
        let order = |rotation: Rotation, day: i64, seed: Option<u64>| {
            let ctx = Context { product: Some("knife-c".into()), now: Some(day * 86_400), seed, ..Default::default() };
            ask(&r, "also_viewed", &ctx, Overrides { rotation: Some(rotation), ..Default::default() })
        };
        let mut days = std::collections::BTreeSet::new();
        for day in 20_000..20_030 {
            let o = order(Rotation::Day, day, None);
            let mut sorted = o.clone();
            sorted.sort();
            assert_eq!(sorted, ["board", "knife-a", "mug"], "day {day}: a rotation only re-orders");
            assert_eq!(o, order(Rotation::Day, day, Some(7)), "one order per day, whatever the session");
            assert_eq!(order(Rotation::Off, day, None), ["board", "knife-a", "mug"], "off: ties by id");
            days.insert(o);
        }
        assert!(days.len() >= 3, "30 days show several orders: {days:?}");
        let seeds: std::collections::BTreeSet<_> = (0..30).map(|s| order(Rotation::Session, 20_000, Some(s))).collect();
        assert!(seeds.len() >= 3, "sessions show several orders: {seeds:?}");
        assert_eq!(order(Rotation::Session, 20_000, Some(5)), order(Rotation::Session, 20_001, Some(5)));
    }

    #[test]
    fn rotation_never_swaps_items_further_apart_than_the_tie() {
        let r = fixture();
        // On knife-a: knife-b 0.8, knife-c 0.7, apron 0.2 (knife-d is out of stock): scores
        // 1, 0.875, 0.25, none within 10% of the one before.
        for day in 20_000..20_030 {
            let ctx = Context { product: Some("knife-a".into()), now: Some(day * 86_400), ..Default::default() };
            let over = Overrides { rotation: Some(Rotation::Day), ..Default::default() };
            assert_eq!(ask(&r, "also_viewed", &ctx, over), ["knife-b", "knife-c", "apron"], "day {day}");
        }
    }
}
