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
        let hex: &[u8; 64] = hex.try_into().ok()?;
        // Branch-free: every digit is looked up, and one check at the end rejects the digest if
        // any byte was not a digit. Digests are most of what a log's lines end with.
        let mut out = [0u8; 32];
        let mut invalid = 0u8;
        for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            let (hi, lo) = (HEX_VALUE[pair[0] as usize], HEX_VALUE[pair[1] as usize]);
            invalid |= hi | lo;
            *byte = (hi << 4) | (lo & 0x0f);
        }
        (invalid & NOT_HEX == 0).then_some(Digest(out))
    }

    /// `buildid.HashToString`: base64url (no padding) of the first 15 bytes, 20 characters. This
    /// is how action IDs and file hashes appear inside build IDs and `file`/`packagemain` lines.
    pub fn short(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.0[..15])
    }

    /// [`short`](Self::short) as its 20 ASCII bytes, without allocating.
    pub fn short_bytes(&self) -> [u8; 20] {
        let mut out = [0u8; 20];
        let n = URL_SAFE_NO_PAD
            .encode_slice(&self.0[..15], &mut out)
            .expect("15 bytes are 20 base64 characters");
        debug_assert_eq!(n, 20);
        out
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

/// Marks a byte that is not a lowercase hex digit in [`HEX_VALUE`].
const NOT_HEX: u8 = 0x80;

/// The value of each lowercase hex digit; `NOT_HEX` for every other byte.
const HEX_VALUE: [u8; 256] = {
    let mut table = [NOT_HEX; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'f' => c - b'a' + 10,
            _ => NOT_HEX,
        };
        b += 1;
    }
    table
};

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
        // `HashToString` in cmd/internal/buildid/buildid.go: base64url of the first 15 bytes,
        // b64url(a32d0dd4f806aeb45beef1729cd034e1…[:15]) = "oy0N1PgGrrRb7vFynNA0".
        let d =
            Digest::from_hex(b"a32d0dd4f806aeb45beef1729cd034e100000000000000000000000000000000")
                .unwrap();
        assert_eq!(d.short(), "oy0N1PgGrrRb7vFynNA0");
        assert_eq!(&d.short_bytes(), b"oy0N1PgGrrRb7vFynNA0");
    }

    #[test]
    fn from_hex_rejects_uppercase_and_wrong_length() {
        assert!(Digest::from_hex(&[b'A'; 64]).is_none());
        for bad in [b'g', b'/', b':', b'`', b' ', 0x80, 0xff] {
            let mut hex = [b'0'; 64];
            hex[63] = bad;
            assert!(Digest::from_hex(&hex).is_none(), "{bad:#x}");
        }
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
