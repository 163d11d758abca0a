#![no_main]
//! Fuzz target: `pestle::fuzzing::site_yaml` on arbitrary UTF-8 text.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pestle::fuzzing::site_yaml(text);
    }
});
