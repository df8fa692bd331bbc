//! Property tests: whatever the store, the events, the widget, the filters and the context, a
//! list never holds the current product, a repeat, a blacklisted, excluded or filtered-out
//! product, a cart item (outside history lists) or a purchase (when excluded), and never more
//! than the limit. Upsell items share the product's category and cost at least as much.

use edgerec::build::{build, BuildOptions};
use edgerec::catalog::{CatalogBuilder, ProductRecord};
use edgerec::config::{Algorithm, Config, Filters, Source, WidgetConfig};
use edgerec::filter::CompiledFilter;
use edgerec::ingest::events::{Event, EventLog, CART, NONE, PURCHASE, VIEW};
use edgerec::snapshot::{write_sections, Toc};
use edgerec::{Context, Overrides, Recommender, Snapshot, View};
use proptest::prelude::*;

const CATEGORIES: [&str; 5] = ["A > X", "A > Y", "B", "B > Z > W", "C"];
const BRANDS: [&str; 3] = ["", "Acme", "Bolt"];

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

fn make(store: &Store) -> Recommender {
    let mut b = CatalogBuilder::new();
    for (i, &(cat, brand, price, stock)) in store.products.iter().enumerate() {
        b.push(ProductRecord {
            id: format!("p{i:02}"),
            categories: vec![CATEGORIES[cat].into()],
            brand: BRANDS[brand].into(),
            price,
            compare_at: price.map(|p| p + p / 4 * (i as u32 % 2)),
            stock,
            created: Some(19_000 + i as i32 * 10),
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
    let (snapshot, _) = build(catalog, &log, &BuildOptions { config, as_of: None, built_at: 0 });
    // Round-trip through the file format, as every real consumer does.
    Recommender::new(Snapshot::decode(&snapshot.encode()).unwrap())
}

fn filters() -> impl Strategy<Value = Filters> {
    let ids = proptest::collection::vec((0usize..30).prop_map(|i| format!("p{i:02}")), 0..4);
    (
        proptest::option::of(proptest::collection::vec(
            proptest::sample::select(BRANDS[1..].to_vec()).prop_map(String::from),
            1..2,
        )),
        proptest::option::of(ids.clone()),
        proptest::option::of(proptest::collection::vec(
            proptest::sample::select(vec!["A", "B > Z", "C", "Nope"]).prop_map(String::from),
            1..2,
        )),
        proptest::option::of(0.0f64..60.0),
        proptest::option::of(30.0f64..120.0),
        proptest::option::of(any::<bool>()),
        proptest::option::of(0.0f64..30.0),
        proptest::option::of(-1i64..10),
    )
        .prop_map(
            |(
                brands,
                exclude_products,
                categories,
                price_min,
                price_max,
                show_out_of_stock,
                discount_min,
                stock_min,
            )| Filters {
                brands,
                exclude_products,
                categories,
                price_min,
                price_max,
                show_out_of_stock,
                discount_min,
                stock_min,
                ..Default::default()
            },
        )
}

fn context() -> impl Strategy<Value = Context> {
    let id = (0usize..32).prop_map(|i| format!("p{i:02}"));
    (
        proptest::option::of(id.clone()),
        proptest::collection::vec(id.clone(), 0..8),
        proptest::collection::vec(id.clone(), 0..3),
        proptest::collection::vec(id, 0..3),
    )
        .prop_map(|(product, views, cart, purchased)| Context {
            product,
            views: views.into_iter().map(|id| View { id, at: None }).collect(),
            cart,
            purchased,
            now: None,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn lists_obey_every_rule(
        store in store(),
        algorithm in proptest::sample::select(Algorithm::ALL.to_vec()),
        fallback in proptest::collection::vec(proptest::sample::select(Source::ALL[1..].to_vec()), 0..4),
        f in filters(),
        ctx in context(),
        limit in 1u32..12,
        threshold in 0.0f32..1.0,
        force in proptest::collection::vec((0usize..32).prop_map(|i| format!("p{i:02}")), 0..3),
        exclude_purchased in any::<bool>(),
    ) {
        let rec = make(&store);
        let c = rec.catalog();
        let mut w = WidgetConfig::for_algorithm(algorithm);
        w.fallback = fallback;
        w.filters = f.clone();
        w.limit = limit;
        w.threshold = threshold;
        w.force_include = force.clone();
        w.exclude_purchased = exclude_purchased;
        if f.validate("filters").is_err() {
            // Contradictory filters (price_min above price_max) are refused, never half-applied.
            prop_assert!(matches!(rec.recommend_with(&w, &ctx), Err(edgerec::EngineError::InvalidOption(_))));
            return Ok(());
        }
        let got = rec.recommend_with(&w, &ctx).unwrap();
        let compiled = CompiledFilter::compile(&f, c);
        prop_assert!(got.items.len() <= limit as usize);
        let mut seen = std::collections::HashSet::new();
        let current = ctx.product.as_deref().and_then(|id| c.index_of(id));
        for item in &got.items {
            let p = item.product;
            let id = c.id(p).to_string();
            prop_assert!(seen.insert(p), "repeat {id}");
            prop_assert!(Some(p) != current, "current product {id}");
            prop_assert!(!rec.snapshot().config.blacklist.contains(&id), "blacklisted {id}");
            if exclude_purchased {
                prop_assert!(!ctx.purchased.contains(&id), "purchased {id}");
            }
            if item.source != Source::PreviouslyViewed {
                prop_assert!(!ctx.cart.contains(&id), "cart item {id} from {:?}", item.source);
            }
            prop_assert!(item.score > 0.0 && item.score <= 1.0);
            if item.source == Source::ForceInclude {
                prop_assert!(force.contains(&id));
                prop_assert_eq!(item.step, 0);
            } else {
                prop_assert!(compiled.passes(c, p, 0), "{id} fails the filters {f:?}");
                if let Some(list) = &f.exclude_products {
                    prop_assert!(!list.contains(&id));
                }
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
        // Deterministic.
        prop_assert_eq!(rec.recommend_with(&w, &ctx).unwrap(), got);
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
            let compiled = CompiledFilter::compile(&rec.widget(&name).unwrap().filters.merged(&f), rec.catalog());
            for i in &got.items {
                prop_assert!(compiled.passes(rec.catalog(), i.product, 0));
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

}
