//! edgerec.toml: parsing and validation never panic, and an accepted configuration is one a
//! snapshot can carry (it survives the snapshot's own validation) and recommend with.
#![no_main]

use edgerec::cli::parse_config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(config) = parse_config(text) else { return };
    let mut snapshot = edgerec_fuzz::fixture().snapshot().clone();
    snapshot.config = config;
    match edgerec::Snapshot::decode(&snapshot.encode()) {
        Ok(decoded) => edgerec_fuzz::exercise_snapshot(decoded),
        Err(e) => panic!("an accepted edgerec.toml makes a snapshot that does not decode: {e}"),
    }
});
