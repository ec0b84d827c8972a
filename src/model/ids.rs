//! The identifiers that appear in gocachehash output: 32-byte SHA-256 digests (action IDs, file
//! hashes, subkeys) and their 20-character `buildid.HashToString` form used in build IDs.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Serialize, Serializer};

/// A SHA-256 digest as printed in `HASH[...]: <64 hex>` result, file-hash and subkey lines.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// Parses exactly 64 lowercase hexadecimal digits, as Go's `%x` prints them.
    pub fn from_hex(hex: &[u8]) -> Option<Digest> {
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            out[i] = (lower_hex_value(pair[0])? << 4) | lower_hex_value(pair[1])?;
        }
        Some(Digest(out))
    }

    /// `buildid.HashToString`: base64url (no padding) of the first 15 bytes, 20 characters. This
    /// is how action IDs and file hashes appear inside build IDs and `file`/`packagemain` lines.
    pub fn short(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.0[..15])
    }

    /// The first 12 hex digits, enough to tell digests apart in a report.
    pub fn abbrev(&self) -> String {
        self.to_string()[..12].to_owned()
    }
}

/// True if `b` is a lowercase hex digit (Go's `%x` never prints uppercase).
pub fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

fn lower_hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.abbrev())
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// True if `s` looks like a `HashToString` value: 20 base64url characters.
pub fn is_short_id(s: &str) -> bool {
    s.len() == 20
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_to_string_matches_go() {
        // Reference §8: b64url(a32d0dd4f806aeb45beef1729cd034e1…[:15]) = "oy0N1PgGrrRb7vFynNA0".
        let d =
            Digest::from_hex(b"a32d0dd4f806aeb45beef1729cd034e100000000000000000000000000000000")
                .unwrap();
        assert_eq!(d.short(), "oy0N1PgGrrRb7vFynNA0");
    }

    #[test]
    fn from_hex_rejects_uppercase_and_wrong_length() {
        assert!(Digest::from_hex(&[b'A'; 64]).is_none());
        assert!(Digest::from_hex(&[b'a'; 63]).is_none());
        assert!(Digest::from_hex(&[b'a'; 64]).is_some());
    }

    #[test]
    fn display_round_trips() {
        let hex = "d8a50964d13331e2658e19eb5550aa934586ef5f918b2d3196eabf7c46fc0a4b";
        assert_eq!(Digest::from_hex(hex.as_bytes()).unwrap().to_string(), hex);
        assert_eq!(
            Digest::from_hex(hex.as_bytes()).unwrap().short(),
            "2KUJZNEzMeJljhnrVVCq"
        );
    }
}
