#![no_main]
//! Fuzz target: `pestle::fuzzing::link`; the first line is the folder the
//! link is written in, the rest the destination.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (dir, dest) = text.split_once('\n').unwrap_or(("eps", text));
        pestle::fuzzing::link(dir, dest);
    }
});
