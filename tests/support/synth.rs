//! Synthetic gocachehash logs that verify: blocks whose printed SHA-256 is that of their
//! inputs, as `cmd/go/internal/cache/hash.go` prints them, for tests that need a key of a
//! precise shape (one field differing) that no real build makes on demand.

use sha2::Digest as _;

/// Go's `%q` of `s`, as gocachehash prints a payload.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\x07' => out.push_str("\\a"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The SHA-256 of the payloads, in hex.
pub fn sum(payloads: &[&str]) -> String {
    let mut sha = sha2::Sha256::new();
    for p in payloads {
        sha.update(p.as_bytes());
    }
    sha.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A gocachehash block that verifies: its inputs and their SHA-256.
pub fn block(name: &str, payloads: &[&str]) -> String {
    let mut text = format!("HASH[{name}]\n");
    for p in payloads {
        text.push_str(&format!("HASH[{name}]: {}\n", go_quote(p)));
    }
    text.push_str(&format!("HASH[{name}]: {}\n", sum(payloads)));
    text
}

/// A block of salted lines: the salt, then each line with its newline.
pub fn keyed(name: &str, salt: &str, lines: &[&str]) -> String {
    let with_newlines: Vec<String> = lines.iter().map(|l| format!("{l}\n")).collect();
    let mut payloads: Vec<&str> = vec![salt];
    payloads.extend(with_newlines.iter().map(String::as_str));
    block(name, &payloads)
}

/// `buildid.HashToString` of a hex digest: base64url of its first 15 bytes.
pub fn short_id(hex: &str) -> String {
    use base64::Engine as _;
    let bytes: Vec<u8> = (0..15)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
