//! The JavaScript request options as JSON: a context, a widget patch (overrides,
//! `recommendWith`) and filters each parse or fail without panicking, and whatever parses is
//! checked and run against the fixture.
#![no_main]

use edgerec::config::{Filters, WidgetPatch};
use edgerec::{Context, Overrides};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let rec = edgerec_fuzz::fixture();
    if let Ok(ctx) = serde_json::from_slice::<Context>(data) {
        edgerec_fuzz::exercise(rec, &ctx, &Overrides::default());
    }
    if let Ok(patch) = serde_json::from_slice::<WidgetPatch>(data) {
        edgerec_fuzz::exercise(rec, &edgerec_fuzz::sample_context(rec.catalog()), &patch);
        if let Ok(w) = patch.resolve(Some("fuzz"), None, &rec.snapshot().config.for_you) {
            let _ = rec.recommend_with(&w, &edgerec_fuzz::sample_context(rec.catalog()));
        }
    }
    if let Ok(filters) = serde_json::from_slice::<Filters>(data) {
        if filters.validate("filters").is_ok() {
            let patch = WidgetPatch { filters: Some(filters), ..Default::default() };
            edgerec_fuzz::exercise(rec, &edgerec_fuzz::sample_context(rec.catalog()), &patch);
        }
    }
});
