//! Criterion benchmarks of the engine: snapshot decode and per-widget queries, with and without
//! filters, on the committed fixture store. `cargo bench --features cli --bench engine`.
//! For the 100,000-product figures use `edgerec bench` (scripts/bench.sh).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use edgerec::cli::bench::{bench_filters, generate};
use edgerec::{Overrides, Recommender, Snapshot};

const FIXTURE: &[u8] = include_bytes!("../tests/fixtures/small.snap");

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

criterion_group!(benches, engine);
criterion_main!(benches);
