//! The date parser on arbitrary text: no panic, and a date it accepts prints back as a date
//! it accepts again.
#![no_main]

use hdv::load::cell::parse_date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(d) = parse_date(text)
    {
        let iso = d.format("%Y-%m-%d").to_string();
        assert_eq!(parse_date(&iso), Some(d));
    }
});
