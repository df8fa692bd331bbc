//! The stored session state (JSON): parsing and validation never panic; a state that passes
//! `is_valid` can be used (every update, the context, the JSON it writes back, which parses to
//! the same state).
#![no_main]

use edgerec::session::SessionState;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut state) = serde_json::from_slice::<SessionState>(data) else { return };
    if !state.is_valid() {
        return;
    }
    let mut json = String::new();
    state.write_json(&mut json);
    let back: SessionState = serde_json::from_str(&json).expect("write_json writes JSON that parses");
    assert_eq!(back, state, "write_json round trip");
    let rec = edgerec_fuzz::fixture();
    // The clock is the caller's, so a real time (1970 to 2100); the stored times are untrusted.
    let clock = |t: i64| (0..=4_102_444_800).contains(&t);
    let gap = edgerec::session::SESSION_GAP + 1;
    let times = [state.last_active, state.last_active.saturating_add(gap), 1_790_000_000, 1_790_000_000 + gap];
    for now in times.into_iter().filter(|&t| clock(t)) {
        let mut s = state.clone();
        s.touch(now);
        let _ = s.recent_views(now);
        let ctx = s.context(Some("P00001"), now);
        edgerec_fuzz::exercise(rec, &ctx, &Default::default());
        s.view("P00002", now);
        s.add_to_cart("P00003", 2, now);
        s.set_quantity("P00003", u32::MAX, now);
        s.purchase(&["P00003", "P00004"], now);
        s.remove_from_cart("P00003", now);
        assert!(s.is_valid(), "an update made a valid state invalid");
    }
    state.clear(0);
});
