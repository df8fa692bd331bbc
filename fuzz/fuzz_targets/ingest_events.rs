//! events.csv / .ndjson, plain or gzip (the first byte picks: see `ingest_input`), against the
//! fixture's catalog: reading never panics, and accepted events build a snapshot that decodes.
#![no_main]

use std::path::Path;

use edgerec::ingest::events::EventLog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((opened, name, strict)) = edgerec_fuzz::ingest_input(data) else { return };
    let catalog = edgerec_fuzz::fixture().catalog();
    let mut log = EventLog::new();
    if log.read_in(opened, Path::new(name), catalog, strict).is_ok() && !log.events.is_empty() {
        edgerec_fuzz::build_and_decode(catalog.clone(), &log);
    }
});
