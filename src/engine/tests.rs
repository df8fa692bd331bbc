//! Engine tests on a hand-built snapshot whose lists are known exactly.

use super::*;
use crate::catalog::{CatalogBuilder, ProductRecord};
use crate::config::{Algorithm, Config, Filters};
use crate::neighbours::Neighbours;
use crate::popularity::Popularity;
use crate::snapshot::Meta;

const PRODUCTS: &[(&str, &str, &str, u32, Option<i32>)] = &[
    ("apron", "Textiles", "Zed", 2000, None),
    ("board", "Kitchen > Boards", "Acme", 2500, Some(4)),
    ("knife-a", "Kitchen > Knives", "Acme", 5000, Some(10)),
    ("knife-b", "Kitchen > Knives", "Bolt", 8000, Some(3)),
    ("knife-c", "Kitchen > Knives", "Acme", 3000, None),
    ("knife-d", "Kitchen > Knives", "Acme", 12000, Some(0)),
    ("mug", "Kitchen > Cups", "", 1000, None),
    ("sharpener", "Kitchen > Tools", "Bolt", 1500, None),
];

fn idx(c: &Catalog, id: &str) -> u32 {
    c.index_of(id).unwrap_or_else(|| panic!("{id} is in the fixture"))
}

fn rows(c: &Catalog, lists: &[(&str, &[(&str, f32)])]) -> Vec<Vec<(u32, f32)>> {
    let mut rows = vec![Vec::new(); c.len()];
    for (from, to) in lists {
        rows[idx(c, from) as usize] = to.iter().map(|(id, s)| (idx(c, id), *s)).collect();
    }
    rows
}

pub(super) fn fixture_with(config: Config) -> Recommender {
    let mut b = CatalogBuilder::new();
    for &(id, cat, brand, price, stock) in PRODUCTS {
        b.push(ProductRecord {
            id: id.into(),
            title: id.to_uppercase(),
            categories: vec![cat.into()],
            brand: brand.into(),
            price: Some(price),
            stock,
            ..Default::default()
        });
    }
    let c = b.finish().unwrap();
    let bought = NeighbourTable::from_rows(&rows(
        &c,
        &[
            ("knife-a", &[("board", 0.9), ("knife-b", 0.5), ("sharpener", 0.4), ("knife-d", 0.3)]),
            ("board", &[("knife-a", 0.9), ("apron", 0.6)]),
            ("mug", &[("apron", 0.2)]),
        ],
    ));
    let viewed = NeighbourTable::from_rows(&rows(
        &c,
        &[
            ("knife-a", &[("knife-b", 0.8), ("knife-c", 0.7), ("knife-d", 0.6), ("apron", 0.2)]),
            ("knife-c", &[("mug", 0.7), ("knife-a", 0.7), ("board", 0.7)]),
        ],
    ));
    let carted = NeighbourTable::from_rows(&rows(&c, &[("knife-a", &[("sharpener", 0.5)])]));
    let next = NeighbourTable::from_rows(&rows(
        &c,
        &[("knife-a", &[("knife-b", 0.9)]), ("knife-b", &[("knife-d", 0.8), ("board", 0.4)])],
    ));

    let n = Neighbours { bought, viewed, carted, next, ..Default::default() };
    let mut pop = Popularity::default();
    let order: &[(&str, f32)] = &[
        ("mug", 10.0),
        ("board", 8.0),
        ("knife-c", 6.0),
        ("knife-b", 5.0),
        ("apron", 4.0),
        ("knife-a", 3.0),
        ("sharpener", 2.0),
        ("knife-d", 1.0),
    ];
    for kind in PopularityKind::ALL {
        let list = pop.list_mut(kind);
        list.global = order.iter().map(|&(id, s)| (idx(&c, id), s)).collect();
        for cat in 0..c.category_names().len() as u32 {
            list.by_category
                .push_row(order.iter().map(|&(id, s)| (idx(&c, id), s)).filter(|&(p, _)| c.in_category(p, cat)));
        }
    }
    Recommender::new(Snapshot {
        meta: Meta::default(),
        config,
        catalog: c,
        popularity: pop,
        neighbours: n,
        recent: Default::default(),
        bundles: Default::default(),
        recurring: Default::default(),
        segments: Default::default(),
        tuned: None,
        groups: Default::default(),
        similar_by: Vec::new(),
        absent: Vec::new(),
    })
}

fn fixture() -> Recommender {
    fixture_with(Config::default())
}

fn ids(r: &Recommender, recs: &Recommendations) -> Vec<String> {
    recs.items.iter().map(|i| r.catalog().id(i.product).to_string()).collect()
}

fn ask(r: &Recommender, widget: &str, ctx: &Context, over: &Overrides) -> Vec<String> {
    ids(r, &r.recommend(widget, ctx, over).unwrap())
}

fn on(product: &str) -> Context {
    Context { product: Some(product.into()), ..Default::default() }
}

#[test]
fn upsell_keeps_same_category_at_or_above_the_price() {
    let r = fixture();
    let got = ask(&r, "upsell", &on("knife-a"), &Overrides::default());
    // knife-b is bought with knife-a and dearer; knife-d is out of stock, knife-c cheaper, board elsewhere.
    assert_eq!(got, ["knife-b"]);
    let first = r.recommend("upsell", &on("knife-a"), &Overrides::default()).unwrap().items[0];
    assert_eq!(
        (first.source, first.step, first.anchor),
        (Source::BoughtTogether, 1, Some(idx(r.catalog(), "knife-a")))
    );
    let shown = ask(
        &r,
        "upsell",
        &on("knife-a"),
        &Overrides {
            filters: Some(Filters { show_out_of_stock: Some(true), ..Default::default() }),
            ..Default::default()
        },
    );
    assert_eq!(shown, ["knife-b", "knife-d"]);
}

#[test]
fn upsell_falls_back_to_the_category_best_sellers() {
    let r = fixture();
    // knife-c has no bought/carted neighbours; viewed gives knife-a (5000 >= 3000).
    let got = r.recommend("upsell", &on("knife-c"), &Overrides::default()).unwrap();
    assert_eq!(ids(&r, &got), ["knife-a", "knife-b"]);
    assert_eq!(got.items[0].source, Source::ViewedTogether);
    assert_eq!(got.items[1].source, Source::MostPurchasedInCategory);
    assert_eq!(got.items[1].step, 4);
}

#[test]
fn cross_sell_takes_other_categories_then_fallbacks() {
    let r = fixture();
    let got = r.recommend("cross_sell", &on("knife-a"), &Overrides::default()).unwrap();
    assert_eq!(ids(&r, &got), ["board", "sharpener", "apron", "mug"]);
    let sources: Vec<Source> = got.items.iter().map(|i| i.source).collect();
    assert_eq!(
        sources,
        [Source::BoughtTogether, Source::BoughtTogether, Source::ViewedTogether, Source::MostPurchased]
    );
}

#[test]
fn cross_sell_on_the_cart_page_uses_the_cart() {
    let r = fixture();
    let ctx = Context { cart: vec!["board".into()], ..Default::default() };
    let got = ask(&r, "cross_sell", &ctx, &Overrides { limit: Some(2), ..Default::default() });
    // board's bought neighbours: knife-a (Kitchen > Knives), apron (Textiles); the cart itself is never shown.
    assert_eq!(got, ["knife-a", "apron"]);
}

#[test]
fn previously_viewed_is_most_recent_first_without_repeats_or_the_current_product() {
    let r = fixture();
    let ctx = Context::from_ids(Some("knife-d"), &["apron", "board", "apron", "mug", "knife-d"], &["board"], &[]);
    let got = ask(&r, "previously_viewed", &ctx, &Overrides::default());
    // Most recent first: knife-d (current, out), mug, apron, board (in the cart, still shown in history).
    assert_eq!(got, ["mug", "apron", "board"]);
}

#[test]
fn the_cart_and_the_current_product_are_never_recommended() {
    let r = fixture();
    let ctx = Context { product: Some("knife-a".into()), cart: vec!["board".into()], ..Default::default() };
    let got = ask(&r, "also_bought", &ctx, &Overrides { limit: Some(20), ..Default::default() });
    assert!(!got.contains(&"board".to_string()) && !got.contains(&"knife-a".to_string()), "{got:?}");
    assert_eq!(got[..2], ["knife-b", "sharpener"]);
}

#[test]
fn threshold_is_relative_to_the_best_candidate_of_the_step() {
    let r = fixture();
    let over = Overrides { threshold: Some(0.5), fallback: Some(vec![]), ..Default::default() };
    let got = r.recommend("also_bought", &on("knife-a"), &over).unwrap();
    // 0.9 best: 0.5 >= 0.45 kept, 0.4 < 0.45 dropped.
    assert_eq!(ids(&r, &got), ["board", "knife-b"]);
    assert!((got.items[1].score - 0.5 / 0.9).abs() < 1e-3);
    assert_eq!(got.items[0].score, 1.0);
}

#[test]
fn fallback_fills_up_to_the_limit_without_repeats() {
    let r = fixture();
    let got = ask(&r, "also_bought", &on("knife-a"), &Overrides { limit: Some(7), ..Default::default() });
    assert_eq!(got.len(), 6, "8 products minus the current one minus the out-of-stock one: {got:?}");
    let mut dedup = got.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), got.len());
}

#[test]
fn filters_from_the_request_apply_to_every_step() {
    let r = fixture();
    let f = Filters { brands: Some(vec!["Acme".into()]), price_max: Some(40.0), ..Default::default() };
    let got = ask(&r, "also_viewed", &on("knife-a"), &Overrides { filters: Some(f), ..Default::default() });
    assert_eq!(got, ["knife-c", "board"]);
}

#[test]
fn force_include_comes_first_in_order_and_bypasses_filters() {
    let mut config = Config::default();
    let w = config.widgets.get_mut("also_bought").unwrap();
    w.force_include = vec!["mug".into(), "knife-d".into(), "nope".into(), "knife-a".into()];
    w.filters.brands = Some(vec!["Acme".into()]);
    let r = fixture_with(config);
    let got = r.recommend("also_bought", &on("knife-a"), &Overrides::default()).unwrap();
    // mug has no brand but is forced; knife-d is out of stock; knife-a is the current product.
    assert_eq!(ids(&r, &got)[..2], ["mug", "board"]);
    assert_eq!((got.items[0].source, got.items[0].step), (Source::ForceInclude, 0));
    let with_oos = ask(
        &r,
        "also_bought",
        &on("knife-a"),
        &Overrides { force_include_out_of_stock: Some(true), ..Default::default() },
    );
    assert_eq!(with_oos[..3], ["mug", "knife-d", "board"]);
}

#[test]
fn blacklist_and_purchases_are_excluded() {
    let config = Config { blacklist: vec!["board".into()], ..Default::default() };
    let r = fixture_with(config);
    let ctx = Context { product: Some("knife-a".into()), purchased: vec!["knife-b".into()], ..Default::default() };
    let got = ask(&r, "also_bought", &ctx, &Overrides::default());
    assert_eq!(got[0], "sharpener");
    assert!(!got.contains(&"board".to_string()) && !got.contains(&"knife-b".to_string()));
    let keep = ask(&r, "also_bought", &ctx, &Overrides { exclude_purchased: Some(false), ..Default::default() });
    assert_eq!(keep[0], "knife-b");
}

#[test]
fn popularity_lists_and_category_scope() {
    let r = fixture();
    assert_eq!(
        ask(&r, "most_purchased", &Context::default(), &Overrides { limit: Some(3), ..Default::default() }),
        ["mug", "board", "knife-c"]
    );
    let got =
        ask(&r, "popular_in_category", &on("knife-b"), &Overrides { fallback: Some(vec![]), ..Default::default() });
    assert_eq!(got, ["knife-c", "knife-a"]);
}

#[test]
fn for_you_uses_the_whole_session_and_offers_viewed_products_again() {
    let r = fixture();
    let ctx = Context::from_ids(None, &["knife-a", "knife-b"], &[], &[]);
    let got = r.recommend("for_you", &ctx, &Overrides { fallback: Some(vec![]), ..Default::default() }).unwrap();
    let names = ids(&r, &got);
    assert_eq!(names[0], "knife-b", "the most recent view scores its repeat weight plus knife-a's transition");
    assert!(names.contains(&"knife-a".to_string()), "viewed products are candidates: {names:?}");
    assert!(names.contains(&"board".to_string()));
    assert!(got.items.iter().all(|i| i.source == Source::ForYou && i.anchor.is_some()));
}

#[test]
fn unknown_widget_and_ids() {
    let r = fixture();
    let e = r.recommend("nope", &Context::default(), &Overrides::default()).unwrap_err();
    assert!(e.to_string().contains("unknown widget \"nope\"") && e.to_string().contains("upsell"), "{e}");
    let got = r
        .recommend("also_bought", &Context::from_ids(Some("ghost"), &["ghost2"], &[], &[]), &Overrides::default())
        .unwrap();
    assert_eq!(got.unknown_ids, ["ghost", "ghost2"]);
    assert_eq!(got.items.len(), 7, "falls back to the best sellers in stock: {:?}", ids(&r, &got));
}

#[test]
fn invalid_overrides_are_refused() {
    let r = fixture();
    let e =
        r.recommend("popular", &Context::default(), &Overrides { limit: Some(0), ..Default::default() }).unwrap_err();
    assert_eq!(e.to_string(), "invalid option `limit`: 0 is out of range: allowed 1 to 100");
    let e = r
        .recommend("popular", &Context::default(), &Overrides { threshold: Some(2.0), ..Default::default() })
        .unwrap_err();
    assert!(e.to_string().contains("threshold"), "{e}");
}

#[test]
fn an_anchor_taken_from_the_session_is_not_offered_back() {
    let r = fixture();
    // No product on the page: upsell anchors on the latest view, knife-c, and never lists it.
    let ctx = Context::from_ids(Some("not-in-catalog"), &["knife-c"], &[], &[]);
    let got = ask(&r, "upsell", &ctx, &Overrides { limit: Some(20), ..Default::default() });
    assert!(!got.contains(&"knife-c".to_string()), "{got:?}");
    assert_eq!(got[0], "knife-a");
    // previously_viewed and for_you may list session items.
    assert_eq!(ask(&r, "previously_viewed", &ctx, &Overrides::default()), ["knife-c"]);
}

#[test]
fn ties_are_broken_by_product_id() {
    let r = fixture();
    let mut w = WidgetConfig::for_algorithm(Algorithm::AlsoViewed);
    w.fallback = vec![];
    // knife-c's viewed row holds mug, knife-a and board at the same score, in that order.
    let a = ids(&r, &r.recommend_with(&w, &on("knife-c")).unwrap());
    assert_eq!(a, ["board", "knife-a", "mug"]);
    assert_eq!(a, ids(&r, &r.recommend_with(&w, &on("knife-c")).unwrap()));
}

#[test]
fn a_request_may_change_any_key_by_the_layering_rule() {
    let r = fixture();
    let ctx = Context::from_ids(None, &["knife-a"], &[], &[]);
    // popular asked to run most_purchased is the built-in most_purchased widget (same fallback).
    let over = Overrides { algorithm: Some(Algorithm::MostPurchased), ..Default::default() };
    assert_eq!(r.widget_with("popular", &over).unwrap().fallback, r.widget("most_purchased").unwrap().fallback);
    assert_eq!(ask(&r, "popular", &ctx, &over), ask(&r, "most_purchased", &ctx, &Overrides::default()));
    // Per-request weights: only the one given changes, on a for_you widget only.
    let hop = Overrides {
        for_you: Some(crate::config::ForYouPatch { hop_weight: Some(0.0), ..Default::default() }),
        ..Default::default()
    };
    let w = r.widget_with("for_you", &hop).unwrap();
    assert_eq!(w.for_you, Some(crate::config::ForYouParams { hop_weight: 0.0, ..Default::default() }));
    let e = r.recommend("popular", &ctx, &hop).unwrap_err();
    assert_eq!(e.to_string(), "invalid option `for_you`: only a widget of the for_you algorithm has weights");
}

#[test]
fn a_list_filled_by_fallback_steps_says_so_with_that_steps_title() {
    let r = fixture();
    // knife-c was never bought with anything: also_bought's own step finds nothing.
    let got = r.recommend("also_bought", &on("knife-c"), &Overrides::default()).unwrap();
    assert!(!got.items.is_empty());
    assert!(got.from_fallback);
    assert_eq!(got.fallback_title.as_deref(), Some("Best sellers in this category"));
    assert_eq!(got.items[0].source, Source::MostPurchasedInCategory);
    // knife-a was: its own title applies, even where fallbacks fill the rest.
    let got = r.recommend("also_bought", &on("knife-a"), &Overrides { limit: Some(8), ..Default::default() }).unwrap();
    assert!(!got.from_fallback && got.fallback_title.is_none());
    assert!(got.items.iter().any(|i| i.step > 1), "fallbacks fill the rest of the list");
    assert_eq!(got.hidden, None);
}

#[test]
fn hide_when_fallback_and_min_own_items_withhold_the_list() {
    let r = fixture();
    let hide = Overrides { hide_when_fallback: Some(true), ..Default::default() };
    let got = r.recommend("also_bought", &on("knife-c"), &hide).unwrap();
    assert!(got.items.is_empty());
    assert_eq!(got.hidden, Some("hide_when_fallback"));
    assert_eq!(r.recommend("also_bought", &on("knife-a"), &hide).unwrap().items[0].source, Source::BoughtTogether);
    // knife-a has four bought-together neighbours; three of them pass for also_bought.
    let min = |n| Overrides { min_own_items: Some(n), ..Default::default() };
    let own = r.recommend("also_bought", &on("knife-a"), &Overrides::default()).unwrap();
    let own = own.items.iter().filter(|i| i.step == 1).count() as u32;
    assert!(own >= 2);
    assert!(r.recommend("also_bought", &on("knife-a"), &min(own)).unwrap().hidden.is_none());
    assert_eq!(r.recommend("also_bought", &on("knife-a"), &min(own + 1)).unwrap().hidden, Some("min_own_items"));
    let e = r.recommend(
        "also_bought",
        &on("knife-a"),
        &Overrides { limit: Some(2), min_own_items: Some(3), ..Default::default() },
    );
    assert!(e.is_err(), "more own items than the limit is refused");
}

#[test]
fn a_snapshot_without_a_models_section_falls_back_and_names_it() {
    let mut s = fixture().snapshot().clone();
    s.neighbours.bought = NeighbourTable::default();
    s.absent = vec!["neighbours.bought_together"];
    let r = Recommender::new(s);
    let got = r.recommend("also_bought", &on("knife-a"), &Overrides::default()).unwrap();
    assert_eq!(got.absent_sections, ["neighbours.bought_together"]);
    assert!(got.from_fallback && !got.items.is_empty());
    assert!(r.recommend("also_viewed", &on("knife-a"), &Overrides::default()).unwrap().absent_sections.is_empty());
}
