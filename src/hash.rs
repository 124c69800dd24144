//! Hashing: FNV-1a, stable across Rust versions, crates and runs (unlike
//! `DefaultHasher`), for content hashes in file names and cache keys; and
//! foldhash with a fixed seed for hash maps keyed by short strings on the
//! rebuild path, where SipHash's protection against flooding buys nothing
//! (the keys are the community's own paths and words) and costs time.
//! (A hand-written FNV map measured no faster than foldhash: BENCHMARKS.md.)

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;

/// FNV-1a, 64 bits.
pub struct Fnv(u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv::new()
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
    }
}

pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
pub type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_vectors() {
        let hash = |s: &str| {
            let mut h = Fnv::new();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }
}
