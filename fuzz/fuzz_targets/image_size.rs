#![no_main]
//! Fuzz target: `pestle::fuzzing::image_size` on arbitrary bytes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pestle::fuzzing::image_size(data);
});
