//! Arbitrary bytes: `parse_log` returns a log or an error, and never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;
use whymiss::parse::parse_log;

fuzz_target!(|data: &[u8]| {
    if let Ok(log) = parse_log(data) {
        // What every report asks of a log.
        for action in &log.actions {
            let _ = action.label();
            let _ = action.short_id();
            for input in action.inputs() {
                let _ = input.key();
            }
        }
        let _ = log.counts_by_kind();
        let _ = log.by_id();
    }
});
