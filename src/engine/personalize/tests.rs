//! Personalisation rules on the engine's hand-built fixture (engine/tests.rs): popular is
//! mug, board, knife-c, knife-b, apron, knife-a, sharpener (knife-d is out of stock); knife-b
//! and the sharpener are Bolt's.

use super::super::tests::fixture_with;
use super::super::{Context, Overrides, Recommender, Timed};
use crate::config::{Config, PersonalizationConfig};

fn brand_only(f: impl FnOnce(&mut PersonalizationConfig)) -> Recommender {
    let mut c = Config::default();
    c.personalization.enabled = true;
    let m = c.personalization.models.get_mut("default").unwrap();
    m.fields = [("brand".to_string(), 100)].into();
    f(&mut c.personalization);
    c.validate().unwrap();
    fixture_with(c)
}

fn popular(r: &Recommender, ctx: &Context, over: &Overrides) -> Vec<String> {
    let got = r.recommend("popular", ctx, over).unwrap();
    got.items.iter().map(|i| r.catalog().id(i.product).to_string()).collect()
}

/// The latest view (the mug, no brand) is the anchor and left out; the two before are Bolt's.
fn viewed_bolt() -> Context {
    let views = ["mug", "knife-b", "sharpener"].iter().map(|&id| Timed::untimed(id)).collect();
    Context { views, ..Default::default() }
}

/// Popular without the anchor.
const SESSION: [&str; 6] = ["board", "knife-c", "knife-b", "apron", "knife-a", "sharpener"];
const PLAIN: [&str; 7] = ["mug", "board", "knife-c", "knife-b", "apron", "knife-a", "sharpener"];

#[test]
fn off_by_default_and_per_widget() {
    let r = fixture_with(Config::default());
    assert_eq!(popular(&r, &viewed_bolt(), &Overrides::default()), SESSION);
    let r = brand_only(|_| {});
    let off = Overrides { personalize: Some(false), ..Default::default() };
    assert_eq!(popular(&r, &viewed_bolt(), &off), SESSION);
}

#[test]
fn affinity_blends_with_relevance_and_says_so() {
    let r = brand_only(|_| {});
    // (1 - 0.3) x relevance + 0.3 x affinity (Bolt's share is 1): knife-b 0.74 passes board
    // 0.7, the sharpener 0.475 passes apron 0.35.
    assert_eq!(
        popular(&r, &viewed_bolt(), &Overrides::default()),
        ["knife-b", "board", "knife-c", "sharpener", "apron", "knife-a"]
    );
    let got = r.recommend("popular", &viewed_bolt(), &Overrides::default()).unwrap();
    let item = r.describe(&got.items[0]);
    assert!(item.personalized && item.explanation.ends_with(" · You often choose Bolt"), "{}", item.explanation);
    assert!(!r.describe(&got.items[1]).personalized);
}

#[test]
fn force_included_products_keep_their_place() {
    let r = brand_only(|_| {});
    let over = Overrides { force_include: Some(vec!["apron".into()]), ..Default::default() };
    let got = popular(&r, &viewed_bolt(), &over);
    assert_eq!(got[..3], ["apron", "knife-b", "board"]);
}

#[test]
fn in_session_and_stored_history_switches() {
    let r = brand_only(|p| p.models.get_mut("default").unwrap().in_session = false);
    assert_eq!(popular(&r, &viewed_bolt(), &Overrides::default()), SESSION);
    let now = 100 * 86_400;
    let past = |days: i64| Context {
        past_views: vec![Timed { id: "knife-b".into(), at: Some(now - days * 86_400) }],
        now: Some(now),
        ..Default::default()
    };
    let r = brand_only(|_| {});
    assert_eq!(popular(&r, &past(2), &Overrides::default())[1], "knife-b");
    // Older than decay_days (30): forgotten.
    assert_eq!(popular(&r, &past(40), &Overrides::default()), PLAIN);
    let r = brand_only(|p| p.models.get_mut("default").unwrap().icp = false);
    assert_eq!(popular(&r, &past(2), &Overrides::default()), PLAIN);
}

#[test]
fn a_storefront_list_is_reranked_with_reasons() {
    let r = brand_only(|_| {});
    let list: Vec<String> = ["mug", "board", "knife-b", "nope"].iter().map(|s| s.to_string()).collect();
    let got = r.personalize(&list, &viewed_bolt(), None).unwrap();
    let ids: Vec<&str> = got.iter().map(|g| g.id.as_str()).collect();
    // Relevance by position 1, 0.75, 0.5, 0.25: knife-b 0.35 + 0.3 passes board 0.525, not the mug 0.7.
    assert_eq!(ids, ["mug", "knife-b", "board", "nope"]);
    assert_eq!(got[1].reason.as_deref(), Some("You often choose Bolt"));
    assert!(r.personalize(&list, &viewed_bolt(), Some("summer")).is_err());
    let empty = r.personalize(&list, &Context::default(), None).unwrap();
    assert_eq!(empty.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), ["mug", "board", "knife-b", "nope"]);
}

#[test]
fn the_merge_sort_orders_by_value_then_id() {
    let mut seed = 7u64;
    for n in [0usize, 1, 2, 3, 5, 8, 31, 64, 100, 257] {
        let mut v: Vec<(u32, f32)> = (0..n)
            .map(|i| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (i as u32, ((seed >> 33) % 7) as f32 / 7.0)
            })
            .collect();
        let mut want = v.clone();
        want.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        super::sort_desc(&mut v);
        assert_eq!(v, want, "n = {n}");
    }
}

#[test]
fn searches_match_whole_words_in_any_ascii_case() {
    use super::profile::contains_words;
    assert!(contains_words("red running shoes", "Red"));
    assert!(contains_words("RED", "red"));
    assert!(contains_words("shoes, Blue Fjord!", "blue fjord"));
    assert!(!contains_words("shredded", "red"), "inside a word");
    assert!(!contains_words("reds", "red"));
    assert!(!contains_words("red", ""), "an empty name matches nothing");
    assert!(!contains_words("re", "red"));
    // Non-ASCII letters are letters: no word boundary next to them.
    assert!(!contains_words("éred", "red"));
    assert!(contains_words("crème brûlée", "Crème"));
    assert!(contains_words("a ñandú b", "ñandú"));
}

#[test]
fn a_reason_names_what_varies_in_the_list_not_what_all_share() {
    let r = brand_only(|p| {
        let m = p.models.get_mut("default").unwrap();
        m.fields = [("category".to_string(), 60), ("brand".to_string(), 40)].into();
    });
    let views = ["knife-a", "knife-c", "knife-b"].iter().map(|&id| Timed::untimed(id)).collect();
    let ctx = Context { views, ..Default::default() };
    // The knives page: every product is a knife, so "You often browse Knives" explains no order.
    let list: Vec<String> = ["knife-b", "knife-a", "knife-c"].iter().map(|s| s.to_string()).collect();
    let got = r.personalize(&list, &ctx, None).unwrap();
    let reasons: Vec<&str> = got.iter().filter_map(|g| g.reason.as_deref()).collect();
    assert!(reasons.contains(&"You often choose Acme"), "{reasons:?}");
    assert!(reasons.iter().all(|r| !r.contains("Knives")), "{reasons:?}");
    // With a board in the list the category varies, and the knives' reason is the category again.
    let mixed: Vec<String> = ["board", "knife-a"].iter().map(|s| s.to_string()).collect();
    let got = r.personalize(&mixed, &ctx, None).unwrap();
    let knife = got.iter().find(|g| g.id == "knife-a").unwrap();
    assert_eq!(knife.reason.as_deref(), Some("You often browse Knives"));
}
