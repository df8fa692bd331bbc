//! Personalisation on a built snapshot (tests/fixtures/personal.snap: the small demo store with
//! tests/fixtures/personal.toml): group profiles (IGP) for sparse shoppers, their weight falling
//! as the shopper's own events grow, a second model by name, and no change with it off.

use edgerec::engine::{Context, Overrides, Recommender, Search, Timed};

fn personal() -> Recommender {
    Recommender::from_bytes(include_bytes!("fixtures/personal.snap")).unwrap()
}

fn plain() -> Recommender {
    Recommender::from_bytes(include_bytes!("fixtures/small.snap")).unwrap()
}

/// The catalog's ids whose `field` column is `value`, in catalog order.
fn with(r: &Recommender, field: &str, value: &str) -> Vec<String> {
    let c = r.catalog();
    (0..c.len() as u32)
        .filter(|&p| r.product_info(p).attributes.iter().any(|(k, v)| k == field && v == value))
        .map(|p| c.id(p).to_string())
        .collect()
}

fn views(ids: &[String]) -> Context {
    Context { views: ids.iter().rev().map(Timed::untimed).collect(), ..Default::default() }
}

fn ids(r: &Recommender, widget: &str, ctx: &Context, over: &Overrides) -> Vec<String> {
    r.recommend(widget, ctx, over).unwrap().items.iter().map(|i| r.catalog().id(i.product).to_string()).collect()
}

#[test]
fn switched_off_per_request_the_lists_are_the_unpersonalised_snapshots() {
    let (p, q) = (personal(), plain());
    let red = with(&p, "color", "red");
    let off = Overrides { personalize: Some(false), ..Default::default() };
    for widget in ["popular", "for_you", "also_viewed", "most_viewed_in_category"] {
        let ctx = Context { product: Some(red[0].clone()), ..views(&red[1..4]) };
        assert_eq!(ids(&p, widget, &ctx, &off), ids(&q, widget, &ctx, &Overrides::default()), "{widget}");
    }
    // And on, it moves something for a shopper who viewed red products.
    let ctx = views(&red[..6]);
    assert_ne!(ids(&p, "popular", &ctx, &Overrides::default()), ids(&q, "popular", &ctx, &Overrides::default()));
}

#[test]
fn a_sparse_shopper_leans_on_the_group_and_a_rich_one_on_their_own_events() {
    let r = personal();
    let first = r.catalog().id(0).to_string();
    let sparse = r.profile_view(&views(std::slice::from_ref(&first)), None).unwrap();
    let rich_ids: Vec<String> = std::iter::repeat_n(first.clone(), 30).collect();
    let rich = r.profile_view(&views(&rich_ids), None).unwrap();
    assert!(sparse.enabled && sparse.model == "default");
    assert!(sparse.own_weight < 0.3, "one view: mostly the group ({})", sparse.own_weight);
    assert!(rich.own_weight > 0.8, "thirty views: mostly their own ({})", rich.own_weight);
    // The group gives the sparse shopper brands they never met, said as the group's.
    let brands = |v: &edgerec::engine::ProfileView| v.fields.iter().find(|f| f.field == "brand").unwrap().values.len();
    assert!(brands(&sparse) > brands(&rich) || brands(&sparse) > 1, "group brands blended in");
    let got = r.recommend("popular", &views(std::slice::from_ref(&first)), &Overrides::default()).unwrap();
    let items: Vec<_> = got.items.iter().map(|i| r.describe(i)).collect();
    assert!(items.iter().any(|i| i.explanation.contains("Shoppers like you")), "{items:#?}");
    assert!(items.iter().all(|i| !i.explanation.contains("You often") || i.personalized));
}

#[test]
fn a_named_model_reranks_a_storefront_list_by_its_own_fields() {
    let r = personal();
    let red = with(&r, "color", "red");
    let white = with(&r, "color", "white");
    // A category page of whites then reds; the shopper viewed reds outside Kitchen.
    let outside: Vec<String> = red
        .iter()
        .filter(|id| {
            !r.product_info(r.catalog().index_of(id).unwrap()).categories.iter().any(|c| c.starts_with("Kitchen"))
        })
        .cloned()
        .collect();
    let page: Vec<String> = white.iter().take(5).chain(outside.iter().skip(3).take(5)).cloned().collect();
    let ctx = views(&outside[..3]);
    let got = r.personalize(&page, &ctx, Some("colour")).unwrap();
    let mut sorted = got.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    assert_eq!(got.len(), page.len());
    sorted.sort();
    let mut want = page.clone();
    want.sort();
    assert_eq!(sorted, want, "a permutation of the page");
    let top: Vec<&str> = got.iter().take(5).map(|p| p.id.as_str()).collect();
    assert!(top.iter().all(|id| outside.iter().any(|r| r == id)), "reds first: {got:?}");
    assert!(got[0].reason.as_deref().unwrap_or("").contains("red"), "{:?}", got[0]);
    // A search naming a colour counts under the default model (search weight 10).
    let searched = Context { searches: vec![Search { query: "red".into(), at: None }], ..Default::default() };
    let v = r.profile_view(&searched, None).unwrap();
    let colours = v.fields.iter().find(|f| f.field == "color").unwrap();
    assert_eq!(colours.values.first().map(|x| x.0.as_str()), Some("red"), "{v:?}");
    let err = r.personalize(&page, &ctx, Some("nope")).unwrap_err().to_string();
    assert!(err.contains("nope") && err.contains("colour") && err.contains("default"), "{err}");
}
