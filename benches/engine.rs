//! Criterion benchmarks of the engine: snapshot decode and per-widget queries, with and without
//! filters, on the committed fixture store, and personalisation on its personalised twin
//! (tests/fixtures/personal.snap). `cargo bench --features cli --bench engine`.
//! For the 100,000-product figures use `edgerec bench` (scripts/bench.sh).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use edgerec::cli::bench::{bench_filters, generate, with_history};
use edgerec::{Overrides, Recommender, Snapshot};

const FIXTURE: &[u8] = include_bytes!("../tests/fixtures/small.snap");
const PERSONAL: &[u8] = include_bytes!("../tests/fixtures/personal.snap");

fn engine(c: &mut Criterion) {
    c.bench_function("decode small.snap", |b| b.iter(|| Snapshot::decode(black_box(FIXTURE)).unwrap()));
    let snapshot = Snapshot::decode(FIXTURE).unwrap();
    let contexts: Vec<_> = generate(&snapshot, 200, 1).iter().map(|c| c.context()).collect();
    let filters = Overrides { filters: Some(bench_filters(&snapshot)), ..Default::default() };
    let rec = Recommender::new(snapshot);
    for widget in ["upsell", "cross_sell", "also_bought", "for_you", "previously_viewed", "popular_in_category"] {
        let mut i = 0;
        c.bench_function(&format!("recommend {widget}"), |b| {
            b.iter(|| {
                i = (i + 1) % contexts.len();
                rec.recommend(widget, black_box(&contexts[i]), &Overrides::default()).unwrap()
            })
        });
        c.bench_function(&format!("recommend {widget} with filters"), |b| {
            b.iter(|| {
                i = (i + 1) % contexts.len();
                rec.recommend(widget, black_box(&contexts[i]), &filters).unwrap()
            })
        });
    }
}

/// Personalisation on tests/fixtures/personal.snap: a storefront list of 100 ids re-ranked, and
/// a discovery widget re-ranked, for shoppers with a session and a stored history.
fn personalization(c: &mut Criterion) {
    let rec = Recommender::new(Snapshot::decode(PERSONAL).unwrap());
    let plain: Vec<_> = generate(rec.snapshot(), 200, 2).iter().map(|c| c.context()).collect();
    let contexts = with_history(&plain);
    let ids: Vec<String> = (0..100.min(rec.catalog().len() as u32)).map(|p| rec.catalog().id(p).to_string()).collect();
    let mut i = 0;
    c.bench_function("personalize 100 ids", |b| {
        b.iter(|| {
            i = (i + 1) % contexts.len();
            rec.personalize(black_box(&ids), &contexts[i], None).unwrap()
        })
    });
    c.bench_function("recommend popular, personalised", |b| {
        b.iter(|| {
            i = (i + 1) % contexts.len();
            rec.recommend("popular", black_box(&contexts[i]), &Overrides::default()).unwrap()
        })
    });
}

criterion_group!(benches, engine, personalization);
criterion_main!(benches);
