//! The workbook loader on arbitrary bytes: it must return findings, never panic, and stay
//! within its memory limits.
#![no_main]

use hdv::contract::Source;
use hdv::load::parse_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let prisons = vec!["gent".to_string(), "brugge".to_string()];
    for source in [Source::Detenties, Source::Deelname, Source::Middelen] {
        let (batch, diags) = parse_bytes(source, "fuzz.xlsx", data, &prisons);
        // A batch comes only without errors.
        assert!(batch.is_none() || !diags.has_errors());
    }
});
