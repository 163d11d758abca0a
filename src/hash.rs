//! Hashes: [`hash_of`] for comparing things within one run (serve's
//! fingerprints, ETags), and [`content_hash`] for names that must be the
//! same on every machine and Rust version (search index files).

use std::hash::{Hash, Hasher};

/// A hash of anything hashable, stable within one run of pestle.
pub(crate) fn hash_of(value: &(impl Hash + ?Sized)) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// FNV-1a, 64 bits, as ten hex digits: a content hash that is the same on
/// every platform and Rust version, for file names.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:010x}", h >> 24)
}
