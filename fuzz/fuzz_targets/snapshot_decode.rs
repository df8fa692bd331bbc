//! A whole snapshot file: decoding never panics, and what decodes can be recommended from.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = edgerec::snapshot::Toc::read(data);
    let _ = edgerec::Snapshot::decode_meta(data);
    let _ = edgerec::Snapshot::section_sizes(data);
    if let Ok(snapshot) = edgerec::Snapshot::decode(data) {
        edgerec_fuzz::exercise_snapshot(snapshot);
    }
});
