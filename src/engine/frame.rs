//! The framing of every record the durable log writes: a fixed header that checks itself,
//! then the payload.
//!
//! ```text
//! offset  size  field
//!      0     4  payload length, u32 little-endian
//!      4     8  version of the commit, u64 little-endian
//!     12     4  CRC-32 of the payload
//!     16     4  CRC-32 of bytes 0..16 (the header checks itself, so a corrupt length is
//!               never trusted)
//!     20     n  payload (a change set as JSON, or a checkpoint: binary, or JSON before format 2)
//! ```
//!
//! A checkpoint larger than one record's payload is written as consecutive records that all
//! carry its version; their payloads, in order, are its text.
//!
//! Reading is a pure function over the bytes of a file ([`scan`]), so every torn or flipped
//! byte can be tested without a file system.

/// Bytes of a record's header.
pub(crate) const HEADER: usize = 20;

/// The largest payload a record may carry (1 GiB): a larger length is corruption, not a
/// record, and is never allocated.
pub(crate) const MAX_PAYLOAD: usize = 1 << 30;

/// One record, framed.
pub(crate) fn encode(version: u64, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(&header_bytes(
        payload.len(),
        version,
        crc32fast::hash(payload),
    ));
    out.extend_from_slice(payload);
    out
}

/// The header of a record of `len` payload bytes with checksum `payload_crc`. Callers
/// refuse payloads above [`MAX_PAYLOAD`], so the length fits in the field.
pub(crate) fn header_bytes(len: usize, version: u64, payload_crc: u32) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[..4].copy_from_slice(&(len.min(MAX_PAYLOAD) as u32).to_le_bytes());
    h[4..12].copy_from_slice(&version.to_le_bytes());
    h[12..16].copy_from_slice(&payload_crc.to_le_bytes());
    let header_crc = crc32fast::hash(&h[..16]);
    h[16..].copy_from_slice(&header_crc.to_le_bytes());
    h
}

/// A record found in a file: its version and where its payload lies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) version: u64,
    pub(crate) payload: core::ops::Range<usize>,
}

/// Why reading stopped before the end of the bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The bytes end inside a header or a payload (a write that did not finish).
    Torn,
    /// The header's own checksum does not match.
    BadHeader,
    /// The payload's checksum does not match.
    BadPayload,
    /// The header claims more than [`MAX_PAYLOAD`] bytes.
    TooLong,
    /// The record's version is not the one after the previous record's.
    OutOfSequence {
        /// The version expected.
        expected: u64,
        /// The version found.
        found: u64,
    },
}

impl core::fmt::Display for Stop {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Stop::Torn => f.write_str("the record is cut short (a write that did not finish)"),
            Stop::BadHeader => f.write_str("the record's header fails its checksum"),
            Stop::BadPayload => f.write_str("the record's payload fails its checksum"),
            Stop::TooLong => f.write_str("the record claims an impossible length"),
            Stop::OutOfSequence { expected, found } => {
                write!(
                    f,
                    "expected the record of version {expected}, found {found}"
                )
            }
        }
    }
}

/// What [`scan`] read: the complete records, where the good prefix ends, and why it ended
/// early if it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scan {
    pub(crate) records: Vec<Found>,
    /// Bytes of the good prefix: every complete, checked record.
    pub(crate) good_len: usize,
    /// Why reading stopped before the end, if it did.
    pub(crate) stop: Option<Stop>,
    /// Whether a well-formed record follows the point where reading stopped: then the bad
    /// bytes are not a tail, and dropping them would lose records written after them.
    pub(crate) more_after: bool,
}

/// The header at `at`, if it is whole and checks: (payload length, version, payload CRC).
fn header(bytes: &[u8], at: usize) -> Option<(usize, u64, u32)> {
    let h = bytes.get(at..at.checked_add(HEADER)?)?;
    let word = |r: core::ops::Range<usize>| -> Option<u32> {
        Some(u32::from_le_bytes(h.get(r)?.try_into().ok()?))
    };
    let len = word(0..4)?;
    let version = u64::from_le_bytes(h.get(4..12)?.try_into().ok()?);
    let payload_crc = word(12..16)?;
    let header_crc = word(16..20)?;
    (crc32fast::hash(h.get(..16)?) == header_crc).then_some((len as usize, version, payload_crc))
}

/// Reads the records of `bytes` in order; the first must have version `first` and each
/// next one more. Reading stops at the first record that is cut short, fails a checksum or
/// breaks the sequence.
pub(crate) fn scan(bytes: &[u8], first: u64) -> Scan {
    scan_versions(bytes, first, 1)
}

/// As [`scan`], with each version `step` more than the one before: 0 for the pieces of one
/// checkpoint, which all carry its version.
pub(crate) fn scan_versions(bytes: &[u8], first: u64, step: u64) -> Scan {
    let mut records = Vec::new();
    let mut at = 0usize;
    let mut expected = first;
    let stop = loop {
        if at == bytes.len() {
            break None;
        }
        if bytes.len() - at < HEADER {
            break Some(Stop::Torn);
        }
        let Some((len, version, payload_crc)) = header(bytes, at) else {
            break Some(Stop::BadHeader);
        };
        if len > MAX_PAYLOAD {
            break Some(Stop::TooLong);
        }
        let start = at + HEADER;
        let Some(payload) = bytes.get(start..start + len) else {
            break Some(Stop::Torn);
        };
        if crc32fast::hash(payload) != payload_crc {
            break Some(Stop::BadPayload);
        }
        if version != expected {
            break Some(Stop::OutOfSequence {
                expected,
                found: version,
            });
        }
        records.push(Found {
            version,
            payload: start..start + len,
        });
        at = start + len;
        expected = version.saturating_add(step);
    };
    let more_after = match stop {
        None => false,
        // A whole record with the wrong version is never a torn write.
        Some(Stop::OutOfSequence { .. }) => true,
        Some(_) => well_formed_record_after(bytes, at, expected),
    };
    Scan {
        records,
        good_len: at,
        stop,
        more_after,
    }
}

/// Whether a record with a checking header and payload and a version at least `expected`
/// starts anywhere after `bad` (the header's own checksum makes a false find at a random
/// offset a one-in-four-billion event, and the payload's checksum another).
fn well_formed_record_after(bytes: &[u8], bad: usize, expected: u64) -> bool {
    let mut at = bad + 1;
    while at + HEADER <= bytes.len() {
        if let Some((len, version, payload_crc)) = header(bytes, at) {
            let start = at + HEADER;
            let whole = len <= MAX_PAYLOAD
                && bytes
                    .get(start..start.saturating_add(len))
                    .is_some_and(|p| crc32fast::hash(p) == payload_crc);
            if whole && version >= expected {
                return true;
            }
        }
        at += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(versions: core::ops::RangeInclusive<u64>) -> Vec<u8> {
        versions
            .flat_map(|v| encode(v, format!("payload {v}").as_bytes()))
            .collect()
    }

    #[test]
    fn complete_records_read_back_in_order() {
        let bytes = log(1..=3);
        let scan = scan(&bytes, 1);
        assert_eq!(scan.stop, None);
        assert_eq!(scan.good_len, bytes.len());
        let read: Vec<_> = scan
            .records
            .iter()
            .map(|r| (r.version, &bytes[r.payload.clone()]))
            .collect();
        assert_eq!(
            read,
            [
                (1, &b"payload 1"[..]),
                (2, &b"payload 2"[..]),
                (3, &b"payload 3"[..])
            ]
        );
    }

    #[test]
    fn every_cut_inside_the_last_record_keeps_exactly_the_ones_before() {
        let bytes = log(1..=3);
        let last = encode(3, b"payload 3").len();
        let before = bytes.len() - last;
        for cut in before + 1..bytes.len() {
            let scan = scan(&bytes[..cut], 1);
            assert_eq!(scan.records.len(), 2, "cut at {cut}");
            assert_eq!(scan.good_len, before);
            assert_eq!(scan.stop, Some(Stop::Torn), "cut at {cut}");
            assert!(!scan.more_after);
        }
    }

    #[test]
    fn every_flipped_bit_of_the_last_record_is_detected() {
        let bytes = log(1..=3);
        let before = bytes.len() - encode(3, b"payload 3").len();
        for byte in before..bytes.len() {
            for bit in 0..8 {
                let mut bad = bytes.clone();
                bad[byte] ^= 1 << bit;
                let scan = scan(&bad, 1);
                assert_eq!(scan.records.len(), 2, "byte {byte} bit {bit}");
                assert_eq!(scan.good_len, before);
                assert!(scan.stop.is_some());
                assert!(!scan.more_after, "byte {byte} bit {bit}");
            }
        }
    }

    #[test]
    fn a_bad_record_followed_by_good_ones_is_not_a_tail() {
        let mut bytes = log(1..=3);
        bytes[HEADER + 2] ^= 0x10; // the first record's payload
        let scan = scan(&bytes, 1);
        assert_eq!(scan.records, []);
        assert_eq!(scan.stop, Some(Stop::BadPayload));
        assert!(scan.more_after);
    }

    #[test]
    fn a_gap_in_the_versions_stops_reading() {
        let mut bytes = log(1..=1);
        bytes.extend(encode(3, b"x"));
        let scan = scan(&bytes, 1);
        assert_eq!(scan.records.len(), 1);
        assert_eq!(
            scan.stop,
            Some(Stop::OutOfSequence {
                expected: 2,
                found: 3
            })
        );
        assert!(scan.more_after);
    }

    #[test]
    fn an_impossible_length_is_never_trusted() {
        let mut bytes = encode(1, b"x");
        bytes[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        let h = crc32fast::hash(&bytes[..16]).to_le_bytes();
        bytes[16..20].copy_from_slice(&h);
        assert_eq!(scan(&bytes, 1).stop, Some(Stop::TooLong));
    }
}
