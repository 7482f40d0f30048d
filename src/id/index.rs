//! The hash index of an interner: open addressing over 12-byte buckets, each holding a
//! 64-bit key and the dense id, so a lookup of a numeric id reads one bucket (usually one
//! cache line) and nothing else.
//!
//! The key of a canonical decimal id below 2⁶³ (the vendors' numeric ids, up to 19 digits,
//! no leading zero) is its value, which names it exactly: a match needs no second load. Any
//! other id's key is a keyed hash of its bytes with the top bit set, so the two kinds never
//! meet, and a match is confirmed against the id's bytes (one more load, only then).
//!
//! Bucket positions come from a keyed folded multiply of the key, seeded per table, so ids
//! chosen to collide cannot be known in advance. Linear probing; the table is at most 3/4
//! full and doubles past that, so every probe sequence ends at an empty bucket.

use core::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;

/// Marks a key that is a hash of the id's bytes, not a decimal value.
const HASHED: u64 = 1 << 63;
/// The id of an empty bucket (dense ids stay below `NONE`).
const EMPTY: u32 = super::NONE;

/// One bucket: the key in two halves (4-byte alignment keeps a bucket at 12 bytes) and the
/// dense id.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    key: [u32; 2],
    id: u32,
}

impl Bucket {
    const EMPTY: Bucket = Bucket {
        key: [0; 2],
        id: EMPTY,
    };

    #[inline(always)]
    fn key(&self) -> u64 {
        u64::from(self.key[0]) | (u64::from(self.key[1]) << 32)
    }
}

/// The index from ids' keys to dense ids.
#[derive(Clone, Debug)]
pub(super) struct IdIndex {
    /// A power of two long (or empty).
    buckets: Vec<Bucket>,
    len: usize,
    hasher: DefaultHashBuilder,
    /// Seeds of the position mix.
    seeds: [u64; 2],
}

impl Default for IdIndex {
    fn default() -> Self {
        let hasher = DefaultHashBuilder::default();
        let seeds = [hasher.hash_one(0u64), hasher.hash_one(1u64) | 1];
        IdIndex {
            buckets: Vec::new(),
            len: 0,
            hasher,
            seeds,
        }
    }
}

impl IdIndex {
    /// The key of an id's bytes.
    #[inline(always)]
    pub(super) fn key(&self, name: &[u8]) -> u64 {
        match decimal(name) {
            Some(v) => v,
            None => self.hasher.hash_one(name) | HASHED,
        }
    }

    /// Whether a key names its id exactly (no need to compare the bytes).
    #[inline(always)]
    pub(super) fn is_exact(key: u64) -> bool {
        key & HASHED == 0
    }

    #[inline(always)]
    fn position(&self, key: u64) -> usize {
        let [a, b] = self.seeds;
        let p = u128::from(key ^ a) * u128::from(b);
        ((p as u64) ^ ((p >> 64) as u64)) as usize
    }

    /// The dense id under `key`; for a hashed key, the first whose bytes `same` confirms.
    #[inline]
    pub(super) fn get(&self, key: u64, same: impl Fn(u32) -> bool) -> Option<u32> {
        let mask = self.buckets.len().checked_sub(1)?;
        let exact = Self::is_exact(key);
        let mut at = self.position(key) & mask;
        // At most every bucket; the table is never full, so an empty one ends it first.
        for _ in 0..self.buckets.len() {
            let b = self.buckets.get(at)?;
            if b.id == EMPTY {
                return None;
            }
            if b.key() == key && (exact || same(b.id)) {
                return Some(b.id);
            }
            at = (at + 1) & mask;
        }
        None
    }

    /// Adds `id` under `key` (the caller checked that its id is not present).
    pub(super) fn insert(&mut self, key: u64, id: u32) {
        if (self.len + 1) * 4 > self.buckets.len() * 3 {
            self.grow();
        }
        self.place(key, id);
        self.len += 1;
    }

    fn place(&mut self, key: u64, id: u32) {
        let Some(mask) = self.buckets.len().checked_sub(1) else {
            return;
        };
        let mut at = self.position(key) & mask;
        for _ in 0..self.buckets.len() {
            match self.buckets.get_mut(at) {
                Some(b) if b.id == EMPTY => {
                    *b = Bucket {
                        key: [key as u32, (key >> 32) as u32],
                        id,
                    };
                    return;
                }
                Some(_) => at = (at + 1) & mask,
                None => return,
            }
        }
    }

    /// Doubles the table (16 buckets at first) and places every bucket again: the keys are
    /// in the buckets, so no id's bytes are read.
    fn grow(&mut self) {
        let size = (self.buckets.len() * 2).max(16);
        let old = core::mem::replace(&mut self.buckets, vec![Bucket::EMPTY; size]);
        for b in old.into_iter().filter(|b| b.id != EMPTY) {
            self.place(b.key(), b.id);
        }
    }

    /// Heap bytes held.
    pub(super) fn heap_bytes(&self) -> usize {
        self.buckets.capacity() * core::mem::size_of::<Bucket>()
    }
}

/// The value of a canonical decimal id below 2⁶³: ASCII digits only, no leading zero unless
/// it is `"0"`, at most 19 digits. Eight digits at a time are checked and combined in one
/// word.
#[inline(always)]
fn decimal(name: &[u8]) -> Option<u64> {
    if name.is_empty() || name.len() > 19 || (name.len() > 1 && name.first() == Some(&b'0')) {
        return None;
    }
    let mut value: u64 = 0;
    let mut eights = name.chunks_exact(8);
    for chunk in eights.by_ref() {
        value = value * 100_000_000 + eight_digits(chunk)?;
    }
    for &c in eights.remainder() {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        value = value * 10 + u64::from(d);
    }
    (value & HASHED == 0).then_some(value)
}

/// The value of exactly eight ASCII digits (most significant first), or `None` when a byte
/// is not a digit.
#[inline(always)]
fn eight_digits(chunk: &[u8]) -> Option<u64> {
    let word = u64::from_le_bytes(chunk.try_into().ok()?);
    // Every byte 0x30..=0x39: the high nibble is 3, and adding 6 keeps it 3 (no byte carries
    // into the next, since each is at most 0x3f).
    const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    if word & HIGH != THREES || (word + 0x0606_0606_0606_0606) & HIGH != THREES {
        return None;
    }
    // Little-endian: the first digit is the lowest byte. Pairs, then fours, then eight.
    let mut x = word - THREES;
    x = (x * 10 + (x >> 8)) & 0x00ff_00ff_00ff_00ff;
    x = (x * 100 + (x >> 16)) & 0x0000_ffff_0000_ffff;
    x = (x * 10_000 + (x >> 32)) & 0x0000_0000_ffff_ffff;
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_takes_canonical_digits_below_two_to_the_63_only() {
        for (text, want) in [
            ("0", Some(0)),
            ("7", Some(7)),
            ("12345678", Some(12_345_678)),
            ("123456789", Some(123_456_789)),
            ("9223372036854775807", Some(i64::MAX as u64)),
            ("1000000000000000003", Some(1_000_000_000_000_000_003)),
            ("9223372036854775808", None),
            ("9999999999999999999", None),
            ("10000000000000000000", None),
            ("", None),
            ("00", None),
            ("07", None),
            ("1234567a", None),
            ("12345678:", None),
            ("/2345678", None),
            ("1234:678", None),
            ("-1", None),
            ("+1", None),
            (" 1", None),
        ] {
            assert_eq!(decimal(text.as_bytes()), want, "{text:?}");
        }
        for v in [
            1u64,
            9,
            10,
            99_999_999,
            100_000_000,
            4_000_000_000_000_054_300,
        ] {
            assert_eq!(decimal(v.to_string().as_bytes()), Some(v));
        }
    }

    #[test]
    fn every_bucket_is_found_again_across_growth_and_collisions() {
        let mut index = IdIndex::default();
        let keys: Vec<u64> = (0..5_000u64)
            .map(|i| {
                if i % 3 == 0 {
                    i * 1_000_003
                } else {
                    index.key(format!("k{i}").as_bytes())
                }
            })
            .collect();
        for (id, &k) in keys.iter().enumerate() {
            index.insert(k, id as u32);
        }
        assert!(index.buckets.len().is_power_of_two());
        assert!(index.len * 4 <= index.buckets.len() * 3);
        for (id, &k) in keys.iter().enumerate() {
            assert_eq!(index.get(k, |i| i == id as u32), Some(id as u32));
        }
        // A hashed key is confirmed by the bytes: a refusing check finds nothing.
        let hashed = keys.get(1).copied().unwrap_or_default();
        assert_eq!(index.get(hashed, |_| false), None);
        assert_eq!(index.get(3, |_| true), None);
        assert_eq!(IdIndex::default().get(0, |_| true), None);
    }
}
