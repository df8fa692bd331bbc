//! Property tests: whatever the store, the events, the widget, the filters and the context, a
//! list never holds the current product, a repeat, a blacklisted, excluded or filtered-out
//! product, a cart item (outside history lists) or a purchase (when excluded), and never more
//! than the limit. Upsell items share the product's category and cost at least as much.
//!
//! The filter rules are checked against a second, naive implementation written here from the
//! definitions in docs/configuration.md, over the test's own plain product records: never
//! against the engine's `CompiledFilter`, which would be its own oracle.

use edgerec::build::{build, BuildOptions};
use edgerec::catalog::{CatalogBuilder, ProductRecord};
use edgerec::config::{
    Algorithm, Config, DateRange, EditorialList, Filters, Rotation, Source, Step, Submodel, WidgetConfig,
};
use edgerec::engine::Search;
use edgerec::engine::Timed;
use edgerec::ingest::events::{Event, EventLog, CART, NONE, PURCHASE, VIEW};
use edgerec::snapshot::{write_sections, Toc};
use edgerec::{Context, Overrides, Recommender, Snapshot, View};
use proptest::prelude::*;

const CATEGORIES: [&str; 5] = ["A > X", "A > Y", "B", "B > Z > W", "C"];
const BRANDS: [&str; 3] = ["", "Acme", "Bolt"];
/// Dates the `added` filter ranges are made of, with their day numbers (days since 1970-01-01,
/// worked out by hand, not by the crate): products are created on days 19000 to 19290.
const DATES: [(&str, i32); 6] = [
    ("2022-01-08", 19000),
    ("2022-02-01", 19024),
    ("2022-03-15", 19066),
    ("2022-05-01", 19113),
    ("2022-07-20", 19193),
    ("2022-10-01", 19266),
];

#[derive(Debug, Clone)]
struct Store {
    products: Vec<(usize, usize, Option<u32>, Option<i32>)>,
    events: Vec<(u8, u32, u32, u16)>,
    min_count: u32,
    blacklist: Vec<usize>,
}

fn store() -> impl Strategy<Value = Store> {
    (3usize..30)
        .prop_flat_map(|n| {
            let product = (
                0..CATEGORIES.len(),
                0..BRANDS.len(),
                proptest::option::of(100u32..10_000),
                proptest::option::of(-2i32..20),
            );
            let event = (0u8..6, 0u32..n as u32, 0u32..12, 0u16..3);
            (
                proptest::collection::vec(product, n),
                proptest::collection::vec(event, 0..300),
                1u32..4,
                proptest::collection::vec(0..n, 0..3),
            )
        })
        .prop_map(|(products, events, min_count, blacklist)| Store { products, events, min_count, blacklist })
}

/// A product as the test knows it, in plain fields: what the naive filter reads.
#[derive(Debug)]
struct Plain {
    id: String,
    category: &'static str,
    brand: &'static str,
    tags: Vec<&'static str>,
    /// Cents.
    price: Option<u32>,
    compare_at: Option<u32>,
    stock: Option<i32>,
    /// Days since 1970-01-01.
    created: i32,
}

fn plain(store: &Store) -> Vec<Plain> {
    let tags =
        |i: usize| [("sale", i % 3 == 0), ("new", i % 4 == 1)].into_iter().filter(|t| t.1).map(|t| t.0).collect();
    store
        .products
        .iter()
        .enumerate()
        .map(|(i, &(cat, brand, price, stock))| Plain {
            id: format!("p{i:02}"),
            category: CATEGORIES[cat],
            brand: BRANDS[brand],
            tags: tags(i),
            price,
            compare_at: price.map(|p| p + p / 4 * (i as u32 % 2)),
            stock,
            created: 19_000 + i as i32 * 10,
        })
        .collect()
}

/// docs/configuration.md's filters, written the plain way: whether `p` passes every filter set
/// in `f` on day `today`.
fn naive_passes(f: &Filters, p: &Plain, today: i64) -> bool {
    let listed = |list: &Option<Vec<String>>, v: &str| list.as_ref().map(|l| l.iter().any(|x| x == v));
    // "products in these categories or their subcategories (full paths)".
    let in_any = |list: &Option<Vec<String>>| {
        list.as_ref().map(|l| l.iter().any(|c| p.category == c || p.category.starts_with(&format!("{c} > "))))
    };
    let has_tag = |list: &Option<Vec<String>>| list.as_ref().map(|l| l.iter().any(|t| p.tags.contains(&t.as_str())));
    let tracked_out = p.stock.is_some_and(|s| s <= 0);
    if tracked_out && f.show_out_of_stock != Some(true) {
        return false;
    }
    // A product without a brand is in no brand list.
    let brand = Some(p.brand).filter(|b| !b.is_empty());
    if f.brands.is_some() && brand.is_none_or(|b| listed(&f.brands, b) != Some(true)) {
        return false;
    }
    if brand.is_some_and(|b| listed(&f.exclude_brands, b) == Some(true)) {
        return false;
    }
    if listed(&f.products, &p.id) == Some(false) || listed(&f.exclude_products, &p.id) == Some(true) {
        return false;
    }
    if in_any(&f.categories) == Some(false) || in_any(&f.exclude_categories) == Some(true) {
        return false;
    }
    if has_tag(&f.tags) == Some(false) || has_tag(&f.exclude_tags) == Some(true) {
        return false;
    }
    // Prices in currency units, inclusive; no price fails a price filter.
    let units = p.price.map(|c| f64::from(c) / 100.0);
    if f.price_min.is_some() || f.price_max.is_some() {
        let Some(x) = units else { return false };
        if f.price_min.is_some_and(|m| x < m - 1e-9) || f.price_max.is_some_and(|m| x > m + 1e-9) {
            return false;
        }
    }
    // Untracked stock always passes.
    if let Some(st) = p.stock.map(i64::from) {
        if f.stock_min.is_some_and(|m| st < m) || f.stock_max.is_some_and(|m| st > m) {
            return false;
        }
    }
    // 1 - price / compare_at_price, in percent; no compare-at price (or none above the price) is 0 %.
    let discount = match (p.price, p.compare_at) {
        (Some(a), Some(b)) if b > a => (1.0 - f64::from(a) / f64::from(b)) * 100.0,
        _ => 0.0,
    };
    if f.discount_min.is_some_and(|m| discount < m - 1e-9) || f.discount_max.is_some_and(|m| discount > m + 1e-9) {
        return false;
    }
    let day = |d: &Option<String>| d.as_ref().map(|d| DATES.iter().find(|x| x.0 == d).expect("a test date").1);
    if let Some(ranges) = &f.added {
        let inside = |r: &DateRange| {
            day(&r.from).is_none_or(|lo| lo <= p.created) && day(&r.to).is_none_or(|hi| p.created <= hi)
        };
        if !ranges.iter().any(inside) {
            return false;
        }
    }
    if f.added_within_days.is_some_and(|n| i64::from(p.created) < today - i64::from(n)) {
        return false;
    }
    true
}

fn by_id<'a>(products: &'a [Plain], id: &str) -> &'a Plain {
    products.iter().find(|p| p.id == id).expect("a product of the store")
}

/// The request's day, as docs/configuration.md defines it: the context's time, else the
/// snapshot's as-of time.
fn today(rec: &Recommender, ctx: &Context) -> i64 {
    ctx.now.unwrap_or(rec.snapshot().meta.as_of).div_euclid(86_400)
}

fn make(store: &Store) -> Recommender {
    make_with(store, false)
}

/// The store's recommender, with `[personalization]` on (brand and category affinities, the
/// default model, strength 0.6 so that re-ranking moves items often) when `personalised`.
fn make_with(store: &Store, personalised: bool) -> Recommender {
    let mut b = CatalogBuilder::new();
    for p in plain(store) {
        b.push(ProductRecord {
            id: p.id,
            categories: vec![p.category.into()],
            brand: p.brand.into(),
            tags: p.tags.into_iter().map(String::from).collect(),
            price: p.price,
            compare_at: p.compare_at,
            stock: p.stock,
            created: Some(p.created),
            ..Default::default()
        });
    }
    let catalog = b.finish().unwrap();
    let mut log = EventLog::new();
    for (i, &(kind, product, shopper, session)) in store.events.iter().enumerate() {
        let kind = match kind {
            0..=2 => VIEW,
            3 | 4 => CART,
            _ => PURCHASE,
        };
        let order = if kind == PURCHASE { shopper * 3 + u32::from(session) } else { NONE };
        log.events.push(Event {
            ts: 1_700_000_000 + i as i64 * 60,
            product,
            user: shopper,
            session: shopper * 3 + u32::from(session),
            order,
            qty: 1,
            kind,
        });
    }
    let mut config = Config::default();
    config.training.min_count = store.min_count;
    config.blacklist = store.blacklist.iter().map(|i| format!("p{i:02}")).collect();
    config.personalization.enabled = personalised;
    // Two editorial lists, with repeats and an id not in the catalog: the blacklist, filters and
    // context drawn for each case decide what of them may be shown.
    for (name, ids) in [("picks", &[7, 3, 25, 3, 0, 99, 12, 18][..]), ("more", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])] {
        let products = ids.iter().map(|i| format!("p{i:02}")).collect();
        config.lists.insert(name.into(), EditorialList { products, title: Some(name.to_uppercase()) });
    }
    config.personalization.strength = 0.6;
    // Two submodels: brands (Acme | Bolt; no brand is in no group) and price bands.
    let brands = vec![vec!["Acme".to_string()], vec!["Bolt".to_string()]];
    config.submodels.insert("brands".into(), Submodel { attribute: "brand".into(), groups: brands, ranges: vec![] });
    let ranges = PRICE_BANDS.to_vec();
    config.submodels.insert("price".into(), Submodel { attribute: "price".into(), groups: vec![], ranges });
    // A widget with its own similarity weights, so the build writes a second similar table.
    let mut by_brand = edgerec::config::WidgetConfig::for_algorithm(Algorithm::Similar);
    by_brand.similarity = Some(brand_weights());
    config.widgets.insert("similar_brand".into(), by_brand);
    let (snapshot, _) = build(catalog, &log, &BuildOptions { config, as_of: None, built_at: 0 });
    // Round-trip through the file format, as every real consumer does.
    Recommender::new(Snapshot::decode(&snapshot.encode()).unwrap())
}

/// The similarity weights of the store's `similar_brand` widget.
fn brand_weights() -> std::collections::BTreeMap<String, u32> {
    [("brand".to_string(), 70), ("category".to_string(), 30)].into()
}

/// The `price` submodel's bands, in currency units.
const PRICE_BANDS: [[f64; 2]; 3] = [[0.0, 25.0], [25.0, 50.0], [50.0, 100.0]];

/// A submodel selection: (submodel, value); values in no group and `$product` included.
fn submodel_pick() -> impl Strategy<Value = Option<(&'static str, &'static str)>> {
    let brands = proptest::sample::select(vec!["$product", "Acme", "bolt", "Umbra"]).prop_map(|v| ("brands", v));
    let price = proptest::sample::select(vec!["$product", "10", "25", "99.5", "100", "250"]).prop_map(|v| ("price", v));
    proptest::option::of(prop_oneof![brands, price])
}

/// Whether product `p` is in the group `value` selects, by the rule in docs/configuration.md;
/// `None` when the value selects no group (the main model).
fn naive_group_holds(
    c: &edgerec::catalog::Catalog,
    current: Option<u32>,
    (name, value): (&str, &str),
    p: u32,
) -> Option<bool> {
    let price = |q: u32| c.price(q).map(|cents| f64::from(cents) / 100.0);
    let band = |x: f64| PRICE_BANDS.iter().position(|r| x >= r[0] && (x < r[1] || (x == r[1] && r[1] == 100.0)));
    if name == "brands" {
        let brand = if value == "$product" { c.brand_name(current?).to_string() } else { value.to_string() };
        let known = ["acme", "bolt"].contains(&brand.to_ascii_lowercase().as_str());
        known.then(|| c.brand_name(p).eq_ignore_ascii_case(&brand))
    } else {
        let x = if value == "$product" { price(current?)? } else { value.parse().ok()? };
        let b = band(x)?;
        Some(price(p).and_then(band) == Some(b))
    }
}

fn filters() -> impl Strategy<Value = Filters> {
    // Each filter is set a quarter of the time, so that lists are rarely filtered to nothing.
    fn some<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
        proptest::option::weighted(0.25, s)
    }
    fn names(from: &'static [&'static str]) -> impl Strategy<Value = Option<Vec<String>>> {
        some(proptest::collection::vec(proptest::sample::select(from).prop_map(String::from), 1..3))
    }
    let ids =
        |n: std::ops::Range<usize>| some(proptest::collection::vec((0usize..30).prop_map(|i| format!("p{i:02}")), n));
    let date = proptest::option::of(proptest::sample::select(DATES.map(|d| d.0).to_vec()).prop_map(String::from));
    let ranges =
        some(proptest::collection::vec((date.clone(), date).prop_map(|(from, to)| DateRange { from, to }), 1..3));
    const CATS: &[&str] = &["A", "A > X", "B > Z", "C", "Nope"];
    (
        (names(&["Acme", "Bolt", "Nobody"]), names(&["Acme", "Nobody"]), ids(1..8), ids(0..4)),
        (names(CATS), names(CATS), names(&["sale", "new", "Nope"]), names(&["sale", "Nope"])),
        (some(0.0f64..60.0), some(30.0f64..120.0), some(-1i64..10), some(0i64..20)),
        (some(0.0f64..30.0), some(0.0f64..30.0), ranges, some(0u32..800), proptest::option::of(any::<bool>())),
    )
        .prop_map(|(names, groups, ranges, more)| {
            let (brands, exclude_brands, products, exclude_products) = names;
            let (categories, exclude_categories, tags, exclude_tags) = groups;
            let (price_min, price_max, stock_min, stock_max) = ranges;
            let (discount_min, discount_max, added, added_within_days, show_out_of_stock) = more;
            Filters {
                brands,
                exclude_brands,
                products,
                exclude_products,
                categories,
                exclude_categories,
                tags,
                exclude_tags,
                price_min,
                price_max,
                stock_min,
                stock_max,
                discount_min,
                discount_max,
                added,
                added_within_days,
                show_out_of_stock,
            }
        })
}

/// A product id of the store, or (p30, p31) of none.
fn id_of() -> impl Strategy<Value = String> + Clone {
    (0usize..32).prop_map(|i| format!("p{i:02}"))
}

fn context() -> impl Strategy<Value = Context> {
    let id = id_of();
    (
        proptest::option::of(id.clone()),
        proptest::collection::vec(id.clone(), 0..8),
        proptest::collection::vec(id.clone(), 0..3),
        // Purchases with a time in 2022-2023 or none.
        proptest::collection::vec((id, proptest::option::of(1_640_995_200i64..1_704_067_200)), 0..3),
        // The request's time: the snapshot's as-of time when absent, else a day in 2023.
        proptest::option::of(1_672_531_200i64..1_704_067_200),
        // Stored history and searches, which only personalisation reads; what other widgets of
        // the page show; a rotation seed.
        (
            proptest::collection::vec(id_of(), 0..6),
            proptest::collection::vec(proptest::sample::select(BRANDS.to_vec()), 0..2),
            proptest::collection::vec(id_of(), 0..3),
            proptest::option::of(any::<u64>()),
        ),
    )
        .prop_map(|(product, views, cart, purchased, now, (past, searches, exclude, seed))| Context {
            product,
            views: views.into_iter().map(|id| View { id, at: None }).collect(),
            past_views: past.into_iter().map(|id| View { id, at: None }).collect(),
            searches: searches.into_iter().map(|q| Search { query: q.to_string(), at: None }).collect(),
            cart,
            purchased: purchased.into_iter().map(|(id, at)| Timed { id, at }).collect(),
            segment: None,
            now,
            exclude,
            seed,
        })
}

/// Every fallback step: the sources and the editorial lists.
fn steps() -> Vec<Step> {
    let lists = ["picks", "more"].map(|l| Step::List(l.into()));
    Source::ALL[1..].iter().map(|&s| Step::Source(s)).chain(lists).collect()
}

/// The steps whose items personalisation leaves in place (docs/personalization.md): force-included
/// products and the history lists.
const KEEP_ORDER: [Source; 6] = [
    Source::ForceInclude,
    Source::PreviouslyViewed,
    Source::Recurring,
    Source::SegmentLastViewed,
    Source::SegmentLastPurchased,
    Source::SegmentRecurring,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn lists_obey_every_rule(
        store in store(),
        algorithm in proptest::sample::select(Algorithm::ALL.to_vec()),
        fallback in proptest::collection::vec(proptest::sample::select(steps()), 0..4),
        list in proptest::option::of(proptest::sample::select(vec!["picks", "more"])),
        f in filters(),
        ctx in context(),
        limit in 1u32..12,
        threshold in 0.0f32..1.0,
        force in proptest::collection::vec((0usize..32).prop_map(|i| format!("p{i:02}")), 0..3),
        exclude_purchased in any::<bool>(),
        personalised in any::<bool>(),
        (max_per_brand, max_per_category, rotation) in (0u32..3, 0u32..3, proptest::sample::select(Rotation::ALL.to_vec())),
        pick in submodel_pick(),
        own_similarity in any::<bool>(),
    ) {
        let rec = make_with(&store, personalised);
        let c = rec.catalog();
        let mut w = WidgetConfig::for_algorithm(algorithm);
        w.fallback = fallback;
        w.list = list.filter(|_| algorithm == Algorithm::Editorial).map(String::from);
        w.filters = f.clone();
        w.limit = limit;
        w.threshold = threshold;
        w.force_include = force.clone();
        w.exclude_purchased = exclude_purchased;
        w.max_per_brand = max_per_brand;
        w.max_per_category = max_per_category;
        w.rotation = rotation;
        if let Some((name, value)) = pick {
            edgerec::config::put_submodel(&mut w.submodels, name.into(), value.into());
        }
        // The widget's own similar table, when it has a similar step.
        if own_similarity && w.runs_similar() {
            w.similarity = Some(brand_weights());
        }
        if f.validate("filters").is_err() {
            // Contradictory filters (price_min above price_max) are refused, never half-applied.
            prop_assert!(matches!(rec.recommend_with(&w, &ctx), Err(edgerec::EngineError::InvalidOption(_))));
            return Ok(());
        }
        let got = rec.recommend_with(&w, &ctx).unwrap();
        let products = plain(&store);
        let day = today(&rec, &ctx);
        prop_assert!(got.items.len() <= limit as usize);
        let mut seen = std::collections::HashSet::new();
        let current = ctx.product.as_deref().and_then(|id| c.index_of(id));
        for item in &got.items {
            let p = item.product;
            let id = c.id(p).to_string();
            prop_assert!(seen.insert(p), "repeat {id}");
            prop_assert!(Some(p) != current, "current product {id}");
            prop_assert!(!rec.snapshot().config.blacklist.contains(&id), "blacklisted {id}");
            prop_assert!(!ctx.exclude.contains(&id), "{id} is shown by another widget");
            if exclude_purchased {
                prop_assert!(!ctx.purchased.iter().any(|b| b.id == id), "purchased {id}");
            }
            if item.source != Source::PreviouslyViewed {
                prop_assert!(!ctx.cart.contains(&id), "cart item {id} from {:?}", item.source);
            }
            prop_assert!(item.score > 0.0 && item.score <= 1.0);
            if item.source == Source::ForceInclude {
                prop_assert!(force.contains(&id));
                prop_assert_eq!(item.step, 0);
            } else {
                prop_assert!(naive_passes(&f, by_id(&products, &id), day), "{id} fails the filters {f:?}");
            }
            // The widget's own steps keep to the submodel group; force-included products and
            // fallback steps do not.
            let own = (1..=algorithm.steps().len() as u32).contains(&item.step);
            if let (true, Some(pick)) = (own, pick) {
                let held = naive_group_holds(c, current, pick, p);
                prop_assert!(held != Some(false), "{id} (step {}) is outside the {pick:?} group", item.step);
            }
            if algorithm == Algorithm::Upsell && item.source != Source::ForceInclude {
                // The anchor: the current product, else the latest cart item, else the latest view.
                let anchor = current
                    .or_else(|| ctx.cart.iter().rev().find_map(|id| c.index_of(id)))
                    .or_else(|| ctx.views.iter().find_map(|v| c.index_of(&v.id)));
                let Some(a) = anchor else {
                    prop_assert!(false, "upsell without an anchor offered {id}");
                    unreachable!()
                };
                let shares = c.categories(a).iter().any(|&cat| c.in_category(p, cat));
                prop_assert!(shares, "upsell {id} outside the category of {}", c.id(a));
                if let Some(min) = c.price(a) {
                    prop_assert!(c.price(p).is_some_and(|x| x >= min), "upsell {id} cheaper than {}", c.id(a));
                }
            }
        }
        // The caps: a brand or category over its cap only by force-included products (which
        // count towards the cap but are always shown).
        let free = |same: &dyn Fn(u32) -> bool, cap: u32| {
            let n = got.items.iter().filter(|i| same(i.product)).count();
            let free = got.items.iter().any(|i| same(i.product) && i.source != Source::ForceInclude);
            cap == 0 || !free || n <= cap as usize
        };
        for item in &got.items {
            let p = item.product;
            if let Some(b) = c.brand(p) {
                prop_assert!(free(&|q| c.brand(q) == Some(b), max_per_brand), "brand of {} over {max_per_brand}", c.id(p));
            }
            for &cat in c.categories(p) {
                let same = |q: u32| c.categories(q).contains(&cat);
                prop_assert!(free(&same, max_per_category), "category of {} over {max_per_category}", c.id(p));
            }
        }
        // Deterministic.
        prop_assert_eq!(&rec.recommend_with(&w, &ctx).unwrap(), &got);
        // Personalisation re-ranks, but never moves force-included products or the items of
        // history lists (docs/personalization.md): the list's leading run of them is the same
        // with it switched off for the widget.
        let mut off = w.clone();
        off.personalize = false;
        let before = rec.recommend_with(&off, &ctx).unwrap();
        let pinned = before.items.iter().take_while(|i| KEEP_ORDER.contains(&i.source)).count();
        prop_assert_eq!(&got.items[..pinned.min(got.items.len())], &before.items[..pinned], "pinned items moved");
    }

    #[test]
    fn a_filtered_popular_list_is_the_ranking_through_the_naive_filter(
        store in store(),
        f in filters(),
        ctx in context(),
        limit in 1u32..12,
        exclude_purchased in any::<bool>(),
    ) {
        // Both ways: every product the naive filter lets through is listed, in ranking order,
        // until the limit; no other is.
        let rec = make(&store);
        prop_assume!(f.validate("filters").is_ok());
        let mut w = WidgetConfig::for_algorithm(Algorithm::Popular);
        w.fallback = vec![];
        w.filters = f.clone();
        w.limit = limit;
        w.threshold = 0.0;
        w.exclude_purchased = exclude_purchased;
        let got: Vec<String> =
            rec.recommend_with(&w, &ctx).unwrap().items.iter().map(|i| rec.catalog().id(i.product).to_string()).collect();
        let (products, day) = (plain(&store), today(&rec, &ctx));
        let known = |id: &String| products.iter().any(|p| &p.id == id);
        // The anchor, left out of its list: the page's product, else every cart item, else the
        // latest view (docs/javascript.md).
        let mut excluded: Vec<String> = ctx.product.iter().filter(|id| known(id)).cloned().collect();
        if excluded.is_empty() {
            excluded.extend(ctx.views.iter().map(|v| v.id.clone()).find(|id| known(id)).filter(|_| ctx.cart.iter().all(|id| !known(id))));
        }
        excluded.extend(ctx.cart.iter().cloned());
        excluded.extend(ctx.exclude.iter().cloned());
        excluded.extend(rec.snapshot().config.blacklist.iter().cloned());
        if exclude_purchased {
            excluded.extend(ctx.purchased.iter().map(|b| b.id.clone()));
        }
        let want: Vec<String> = rec
            .snapshot()
            .popularity
            .popular
            .global
            .iter()
            .filter(|&&(_, score)| score > 0.0)
            .map(|&(p, _)| rec.catalog().id(p).to_string())
            .filter(|id| !excluded.contains(id) && naive_passes(&f, by_id(&products, id), day))
            .take(limit as usize)
            .collect();
        prop_assert_eq!(got, want, "filters {:?}", f);
    }

    #[test]
    fn named_widgets_with_overrides_obey_the_same_rules(store in store(), ctx in context(), f in filters()) {
        let rec = make(&store);
        let names: Vec<String> = rec.widget_names().map(String::from).collect();
        for name in names {
            let over = Overrides { filters: Some(f.clone()), ..Default::default() };
            let merged = rec.widget(&name).unwrap().filters.merged(&f);
            if merged.validate("filters").is_err() {
                prop_assert!(matches!(rec.recommend(&name, &ctx, &over), Err(edgerec::EngineError::InvalidOption(_))));
                continue;
            }
            let got = rec.recommend(&name, &ctx, &over).unwrap();
            let mut ids: Vec<u32> = got.items.iter().map(|i| i.product).collect();
            let n = ids.len();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), n);
            let products = plain(&store);
            for i in got.items.iter().filter(|i| i.source != Source::ForceInclude) {
                let p = by_id(&products, rec.catalog().id(i.product));
                prop_assert!(naive_passes(&merged, p, today(&rec, &ctx)), "{name}: {} fails {merged:?}", p.id);
            }
        }
    }

    #[test]
    fn snapshot_decoding_never_panics(store in store(), cuts in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8)) {
        let bytes = make(&store).snapshot().encode();
        // Raw damage: caught by a checksum or the table of contents.
        let mut damaged = bytes.clone();
        for (i, v) in &cuts {
            let at = i.index(damaged.len());
            damaged[at] ^= v | 1;
        }
        prop_assert!(Snapshot::decode(&damaged).is_err());
        let at = cuts[0].0.index(bytes.len());
        prop_assert!(Snapshot::decode(&bytes[..at]).is_err());
        // Damage inside one section, rewritten with valid checksums, so that the section's decoder
        // and the checks between sections see it: refused or decoded, never a panic.
        let toc = Toc::read(&bytes).unwrap();
        let mut parts: Vec<(String, u32, Vec<u8>)> = toc
            .entries
            .iter()
            .map(|e| (e.name.clone(), e.version, toc.section(&bytes, &e.name).unwrap().unwrap().to_vec()))
            .collect();
        let target = cuts[0].1 as usize % parts.len();
        let section = &mut parts[target].2;
        for (i, v) in &cuts[1..] {
            if section.is_empty() {
                break;
            }
            let at = i.index(section.len());
            match v % 4 {
                0 => section.truncate(at),
                1 => section.insert(at, *v),
                _ => section[at] ^= v | 1,
            }
        }
        let parts: Vec<(&str, u32, Vec<u8>)> = parts.iter().map(|(n, v, b)| (n.as_str(), *v, b.clone())).collect();
        let rewritten = write_sections(&parts);
        prop_assert!(Toc::read(&rewritten).is_ok(), "the damage reaches past the checksums");
        let _ = Snapshot::decode(&rewritten);
    }


    #[test]
    fn personalize_returns_the_ids_it_was_given_reordered(
        store in store(),
        ctx in context(),
        ids in proptest::collection::vec(id_of(), 0..24),
        personalised in any::<bool>(),
    ) {
        let rec = make_with(&store, personalised);
        let got = rec.personalize(&ids, &ctx, None).unwrap();
        let mut out: Vec<&str> = got.iter().map(|p| p.id.as_str()).collect();
        if !personalised {
            // Switched off in the snapshot: the storefront's order, untouched, with no reasons.
            prop_assert_eq!(&out, &ids.iter().map(String::as_str).collect::<Vec<_>>());
            prop_assert!(got.iter().all(|p| p.reason.is_none()));
        }
        // Same ids, same count of each (unknown ids and repeats included): a permutation.
        let mut given: Vec<&str> = ids.iter().map(String::as_str).collect();
        out.sort_unstable();
        given.sort_unstable();
        prop_assert_eq!(out, given);
        // Unknown ids (p30, p31) have no affinity.
        prop_assert!(got.iter().filter(|p| rec.catalog().index_of(&p.id).is_none()).all(|p| p.affinity == 0.0 && p.reason.is_none()));
    }
}
