//! catalog.csv / .ndjson, plain or gzip (the first byte picks: see `ingest_input`): reading never
//! panics, and an accepted catalog builds a snapshot that decodes.
#![no_main]

use std::path::Path;

use edgerec::ingest::catalog::read_catalog_in;
use edgerec::ingest::events::EventLog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((opened, name, strict)) = edgerec_fuzz::ingest_input(data) else { return };
    if let Ok((catalog, _report)) = read_catalog_in(opened, Path::new(name), strict, &mut |_, _| {}) {
        edgerec_fuzz::build_and_decode(catalog, &EventLog::new());
    }
});
