//! A stable digest of a model's meaning, for replicas to compare their state.
//!
//! The digest hashes the model's canonical document (the export is sorted and independent
//! of insertion order, see [`ModelDocument::from_model`]) in its compact JSON form with
//! 128-bit FNV-1a, a hash defined by its constants alone: the same model gives the same
//! digest on any machine and with any build that writes the same document version.

use core::fmt;

use crate::document::ModelDocument;
use crate::model::Model;

/// A 128-bit digest of a model's meaning; see [`Model::digest`].
///
/// # Examples
///
/// ```
/// let mut a = orgperm::Model::new();
/// a.add_user("lee", None)?;
/// a.add_user("dana", Some("lee"))?;
/// let mut b = orgperm::Model::new();
/// b.add_user("lee", None)?;
/// b.add_user("dana", Some("lee"))?;
/// assert_eq!(a.digest(), b.digest());
/// assert_eq!(a.digest().to_string().len(), 32);
/// b.add_user("kim", None)?;
/// assert_ne!(a.digest(), b.digest());
/// # Ok::<(), orgperm::ModelError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest(u128);

impl Digest {
    /// The digest as a number.
    pub fn as_u128(self) -> u128 {
        self.0
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

/// 128-bit FNV-1a over everything written to it.
struct Fnv128(u128);

const FNV_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const FNV_PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

impl std::io::Write for Fnv128 {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Model {
    /// The digest of the model's meaning: equal for two models that export the same
    /// document, whatever order they were built in, on any machine. Replicas fed the same
    /// change sets compare their version and digest to check they agree.
    ///
    /// Cost: one pass over the model's document, streamed (no copy of the JSON is kept).
    ///
    /// # Examples
    ///
    /// ```
    /// let model = orgperm::Model::new();
    /// assert_eq!(model.digest(), orgperm::Model::new().digest());
    /// ```
    pub fn digest(&self) -> Digest {
        let mut hasher = Fnv128(FNV_OFFSET);
        // The hasher never fails and the document holds only plain data, so serializing
        // into it cannot fail.
        let _ = serde_json::to_writer(&mut hasher, &ModelDocument::from_model(self));
        Digest(hasher.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn fnv_1a_128_matches_its_published_test_vectors() {
        let hash = |s: &[u8]| {
            let mut h = Fnv128(FNV_OFFSET);
            h.write_all(s).unwrap();
            h.0
        };
        assert_eq!(hash(b""), FNV_OFFSET);
        assert_eq!(hash(b"a"), 0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964);
        assert_eq!(hash(b"foobar"), 0x343e_1662_793c_64bf_6f0d_3597_ba44_6f18);
    }
}
