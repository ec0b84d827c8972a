//! Go `strconv.Unquote` for the double-quoted strings that `%q` prints.
//!
//! gocachehash quotes every payload with `strconv.Quote`, which escapes invalid UTF-8 as `\xNN`,
//! non-printable runes as `\uNNNN`/`\UNNNNNNNN`, and passes printable non-ASCII through verbatim.
//! The inverse here accepts everything `strconv.Unquote` accepts for a `"…"` literal (also octal
//! `\NNN` and `\'`, which `Quote` never emits) and returns raw bytes, because the quoted value may
//! hold bytes that are not UTF-8.

use std::borrow::Cow;

/// Why a quoted string could not be unquoted; `offset` is the byte offset inside the literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnquoteError {
    pub offset: usize,
    pub reason: &'static str,
}

/// Unquotes the body of a Go double-quoted literal (the text *between* the quotes).
///
/// Borrows when the body holds no escape, which is the common case for the raw parts of a line.
pub fn unquote_body(body: &[u8]) -> Result<Cow<'_, [u8]>, UnquoteError> {
    match memchr::memchr2(b'\\', b'"', body) {
        None => Ok(Cow::Borrowed(body)),
        Some(_) => {
            let mut out = Vec::with_capacity(body.len());
            unquote_into(body, &mut out)?;
            Ok(Cow::Owned(out))
        }
    }
}

/// Unquotes a whole literal including its surrounding `"` characters.
pub fn unquote(literal: &[u8]) -> Result<Cow<'_, [u8]>, UnquoteError> {
    match literal {
        [b'"', body @ .., b'"'] if !literal.is_empty() && literal.len() >= 2 => unquote_body(body)
            .map_err(|e| UnquoteError {
                offset: e.offset + 1,
                ..e
            }),
        _ => Err(UnquoteError {
            offset: 0,
            reason: "not a double-quoted string",
        }),
    }
}

/// Appends the unquoted bytes of `body` to `out`. Reuses the caller's buffer on hot paths.
pub fn unquote_into(body: &[u8], out: &mut Vec<u8>) -> Result<(), UnquoteError> {
    let mut i = 0;
    while i < body.len() {
        let Some(off) = memchr::memchr2(b'\\', b'"', &body[i..]) else {
            out.extend_from_slice(&body[i..]);
            return Ok(());
        };
        out.extend_from_slice(&body[i..i + off]);
        i += off;
        if body[i] == b'"' {
            return Err(UnquoteError {
                offset: i,
                reason: "unescaped '\"' inside a quoted string",
            });
        }
        let esc = i;
        let err = |reason| UnquoteError {
            offset: esc,
            reason,
        };
        let Some(&c) = body.get(i + 1) else {
            return Err(err("string ends inside an escape"));
        };
        i += 2;
        match c {
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'\'' => out.push(b'\''),
            b'x' => {
                let v = hex_digits(body, i, 2).ok_or(err("bad \\x escape"))?;
                out.push(v as u8);
                i += 2;
            }
            b'u' | b'U' => {
                let n = if c == b'u' { 4 } else { 8 };
                let v = hex_digits(body, i, n).ok_or(err("bad \\u escape"))?;
                let ch =
                    char::from_u32(v).ok_or(err("escape is not a valid Unicode code point"))?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                i += n;
            }
            b'0'..=b'7' => {
                let digits = body.get(i - 1..i + 2).ok_or(err("bad octal escape"))?;
                let mut v: u32 = 0;
                for &d in digits {
                    if !(b'0'..=b'7').contains(&d) {
                        return Err(err("bad octal escape"));
                    }
                    v = v * 8 + u32::from(d - b'0');
                }
                if v > 255 {
                    return Err(err("octal escape above \\377"));
                }
                out.push(v as u8);
                i += 2;
            }
            _ => return Err(err("unknown escape")),
        }
    }
    Ok(())
}

fn hex_digits(body: &[u8], at: usize, n: usize) -> Option<u32> {
    let digits = body.get(at..at + n)?;
    let mut v: u32 = 0;
    for &d in digits {
        v = v * 16 + (d as char).to_digit(16)?;
    }
    Some(v)
}

/// Quotes bytes the way Go's `strconv.Quote` does (used to show values exactly as Go printed them).
pub fn quote(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    push_escaped(bytes, &mut out);
    out.push('"');
    out
}

/// Escapes like `strconv.Quote` without the surrounding quotes.
pub fn push_escaped(bytes: &[u8], out: &mut String) {
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            match ch {
                '\x07' => out.push_str("\\a"),
                '\x08' => out.push_str("\\b"),
                '\x0c' => out.push_str("\\f"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\x0b' => out.push_str("\\v"),
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                c if is_go_printable(c) => out.push(c),
                c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
                c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push_str(&format!("\\U{:08x}", c as u32)),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
}

/// An approximation of Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and
/// the ASCII space. Used only for display, never for parsing.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    // Format characters (soft hyphen, zero-width joiners, BOM, bidi marks) are escaped by Go.
    !matches!(c as u32, 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e | 0x200b..=0x200f
        | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff | 0xfff9..=0xfffb
        | 0xe000..=0xf8ff | 0xf0000..=0x10ffff)
}

/// Makes a display string of bytes that may not be UTF-8: valid text passes unchanged, and each
/// byte of an invalid sequence becomes `\xNN`, so nothing is lost or silently replaced.
pub fn bytes_to_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 8);
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            Cow::Owned(out)
        }
    }
}

/// [`bytes_to_text`] of bytes the caller owns: valid UTF-8 is kept without a copy.
pub fn bytes_into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| bytes_to_text(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uq(s: &str) -> Vec<u8> {
        unquote(s.as_bytes()).unwrap().into_owned()
    }

    #[test]
    fn plain_body_is_borrowed() {
        assert!(matches!(
            unquote_body(b"dir /a/b"),
            Ok(Cow::Borrowed(b"dir /a/b"))
        ));
    }

    #[test]
    fn simple_escapes() {
        assert_eq!(
            uq(r#""a\tb\n\\\"\a\b\f\r\v""#),
            b"a\tb\n\\\"\x07\x08\x0c\r\x0b"
        );
    }

    #[test]
    fn hex_escape_keeps_non_utf8_bytes() {
        assert_eq!(uq(r#""caf\xff\x01""#), b"caf\xff\x01");
    }

    #[test]
    fn raw_utf8_passes_through() {
        assert_eq!(uq("\"café ˠ\""), "café ˠ".as_bytes());
    }

    #[test]
    fn unicode_escapes() {
        assert_eq!(uq(r#""\u00ad\U0001F600""#), "\u{ad}\u{1F600}".as_bytes());
    }

    #[test]
    fn octal_and_single_quote() {
        assert_eq!(uq(r#""\101\377\'""#), b"A\xff'");
        assert!(unquote(br#""\400""#).is_err());
    }

    #[test]
    fn errors_carry_offsets() {
        assert_eq!(unquote(br#""ab\q""#).unwrap_err().offset, 3);
        assert!(unquote(br#""ab\"#).is_err());
        assert!(unquote(br#""a"b""#).is_err());
        assert!(unquote(br#"ab"#).is_err());
        assert!(unquote(br#"""#).is_err());
        assert!(unquote(br#""\x4""#).is_err());
        assert!(unquote(br#""\ud800""#).is_err());
    }

    #[test]
    fn double_quoted_vet_pkg_line() {
        // vet prints `pkg %q` of 32 raw bytes, and Hash.Write quotes that again.
        let once = uq(r#""pkg \"ˠ$\\xc5\\xf9\"\n""#);
        assert_eq!(once, "pkg \"ˠ$\\xc5\\xf9\"\n".as_bytes());
        let twice = unquote(&once[4..once.len() - 1]).unwrap();
        assert_eq!(&*twice, &[0xcb, 0xa0, b'$', 0xc5, 0xf9]);
    }

    #[test]
    fn quote_round_trips() {
        for s in [
            &b"caf\xc3\xa9 \xff\x01\ttab"[..],
            b"\"q\"\\",
            "\u{ad}x".as_bytes(),
            b"",
        ] {
            let q = quote(s);
            assert_eq!(&*unquote(q.as_bytes()).unwrap(), s, "{q}");
        }
        assert_eq!(quote("café \u{ff}".as_bytes()), "\"café ÿ\"");
    }

    #[test]
    fn bytes_to_text_escapes_only_invalid_bytes() {
        assert_eq!(bytes_to_text(b"a\xffb"), "a\\xffb");
        assert!(matches!(bytes_to_text(b"ok"), Cow::Borrowed("ok")));
    }
}
