//! One section of the fixture replaced by the input (the first byte picks which), written with
//! valid checksums so the section's own decoder and checks see it.
#![no_main]

use edgerec::snapshot::{Toc, SECTIONS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, section)) = data.split_first() else { return };
    let toc = Toc::read(edgerec_fuzz::FIXTURE).expect("the fixture has a table of contents");
    let target = SECTIONS[which as usize % SECTIONS.len()].name;
    let sections: Vec<(&str, u32, Vec<u8>)> = toc
        .entries
        .iter()
        .map(|e| {
            let bytes = match e.name == target {
                true => section.to_vec(),
                false => toc.section(edgerec_fuzz::FIXTURE, &e.name).expect("fixture section").unwrap().to_vec(),
            };
            (e.name.as_str(), e.version, bytes)
        })
        .collect();
    let file = edgerec::snapshot::write_sections(&sections);
    if let Ok(snapshot) = edgerec::Snapshot::decode(&file) {
        edgerec_fuzz::exercise_snapshot(snapshot);
    }
});
