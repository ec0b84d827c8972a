//! Text from input (logs, capture headers, go's output, file names) on a terminal: every control
//! character and every invisible character that can reorder or hide text is shown escaped
//! (`\x1b`, `\u{9b}`, `\u{202e}`), never raw, so a crafted log cannot set the window title,
//! clear the screen, write the clipboard (OSC 52) or disguise what it says.
//!
//! Two layers:
//! * [`Untrusted`] / [`escape`]: renderers wrap each piece of input they print, so it stays
//!   escaped even when colour is on.
//! * [`TerminalSafe`]: the writer every text report goes through (`crate::run` installs it).
//!   It passes newlines, tabs and, only when colour is on, the SGR colour sequences that
//!   `owo-colors` writes; everything else that is unsafe is escaped. A renderer that forgets
//!   [`Untrusted`] therefore still cannot emit a raw escape sequence other than a colour.
//!
//! JSON is escaped by serde_json for C0 characters; [`JsonFormatter`] adds DEL, C1 and the
//! invisible characters as `\uXXXX`, so JSON too holds nothing that a terminal acts on.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io::{self, Write};

pub use crate::model::is_invisible;

/// `s` with every [`is_invisible`] character escaped (`\n`, `\t`, `\r`, `\x1b`, `\x7f`,
/// `\u{9b}`, `\u{202e}`); borrowed when there is nothing to escape.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_invisible) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if is_invisible(c) && (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if is_invisible(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// A piece of input for a text report: displays [`escape`]d (and honours width and alignment,
/// `{:<12}`).
#[derive(Debug, Clone, Copy)]
pub struct Untrusted<'a>(pub &'a str);

impl fmt::Display for Untrusted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&escape(self.0))
    }
}

/// A writer that lets through only what is safe for a terminal: text, newlines and tabs, and
/// (when `colour` is set) SGR sequences `ESC [ digits-and-semicolons m`. Any other control or
/// invisible character, and any byte that is not UTF-8, is written escaped.
pub struct TerminalSafe<'w> {
    inner: &'w mut dyn Write,
    colour: bool,
    /// The start of a UTF-8 character or an escape sequence cut by the end of a write.
    pending: Vec<u8>,
}

impl<'w> TerminalSafe<'w> {
    pub fn new(inner: &'w mut dyn Write, colour: bool) -> TerminalSafe<'w> {
        TerminalSafe {
            inner,
            colour,
            pending: Vec::new(),
        }
    }

    /// Escapes `bytes` into `out`; returns how many trailing bytes were held back because the
    /// next write may complete them.
    fn filter(&self, bytes: &[u8], out: &mut Vec<u8>, last: bool) -> usize {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == 0x1b && self.colour {
                match sgr_len(&bytes[i..]) {
                    Some(n) => {
                        out.extend_from_slice(&bytes[i..i + n]);
                        i += n;
                        continue;
                    }
                    None if !last && could_be_sgr(&bytes[i..]) => return bytes.len() - i,
                    None => {}
                }
            }
            if b < 0x80 {
                if b == b'\n' || b == b'\t' || !(b < 0x20 || b == 0x7f) {
                    out.push(b);
                } else {
                    let _ = write!(out, "\\x{b:02x}");
                }
                i += 1;
                continue;
            }
            let want = match b {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            if i + want > bytes.len() && !last {
                return bytes.len() - i;
            }
            match std::str::from_utf8(&bytes[i..(i + want).min(bytes.len())]) {
                Ok(text) => {
                    let c = text.chars().next().expect("one character");
                    if is_invisible(c) {
                        let mut s = String::new();
                        push_escaped(&mut s, c);
                        out.extend_from_slice(s.as_bytes());
                    } else {
                        out.extend_from_slice(text.as_bytes());
                    }
                    i += want;
                }
                Err(_) => {
                    let _ = write!(out, "\\x{b:02x}");
                    i += 1;
                }
            }
        }
        0
    }

    fn write_filtered(&mut self, bytes: &[u8], last: bool) -> io::Result<()> {
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(bytes);
        let mut out = Vec::with_capacity(data.len() + 16);
        let held = self.filter(&data, &mut out, last);
        self.pending = data[data.len() - held..].to_vec();
        self.inner.write_all(&out)
    }
}

impl Write for TerminalSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_filtered(buf, false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.write_filtered(&[], true)?;
        }
        self.inner.flush()
    }
}

impl Drop for TerminalSafe<'_> {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let _ = self.write_filtered(&[], true);
        }
    }
}

/// `ESC [ [0-9;]* m` at the start of `s`: its length.
fn sgr_len(s: &[u8]) -> Option<usize> {
    let body = s.strip_prefix(b"\x1b[")?;
    let params = body
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b';')
        .count();
    (body.get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// Whether `s` (starting with ESC) is a prefix of an SGR sequence that was cut short.
fn could_be_sgr(s: &[u8]) -> bool {
    s.len() < 16
        && match s.get(1) {
            None => true,
            Some(b'[') => s[2..].iter().all(|b| b.is_ascii_digit() || *b == b';'),
            Some(_) => false,
        }
}

/// serde_json's pretty formatter, with DEL, C1 and the invisible characters of
/// [`is_invisible`] written as `\uXXXX` (serde_json escapes only C0, `"` and `\`). The JSON
/// means the same; it just holds nothing a terminal would act on.
pub struct JsonFormatter(serde_json::ser::PrettyFormatter<'static>);

impl JsonFormatter {
    pub fn new() -> JsonFormatter {
        JsonFormatter(serde_json::ser::PrettyFormatter::new())
    }
}

impl Default for JsonFormatter {
    fn default() -> JsonFormatter {
        JsonFormatter::new()
    }
}

impl serde_json::ser::Formatter for JsonFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_invisible(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // Layout: as the pretty formatter does it.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_characters_are_escaped() {
        assert_eq!(escape("plain /x/é → ok"), "plain /x/é → ok");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(
            escape("a\x1b]52;c;aGk=\x07b\x1b[2J\u{9b}1m\u{202e}cba\u{2066}\x7f\n\t"),
            "a\\x1b]52;c;aGk=\\x07b\\x1b[2J\\u{9b}1m\\u{202e}cba\\u{2066}\\x7f\\n\\t"
        );
        assert_eq!(format!("[{:<6}]", Untrusted("\x1b")), "[\\x1b  ]");
    }

    fn through(colour: bool, chunks: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut w = TerminalSafe::new(&mut out, colour);
            for c in chunks {
                w.write_all(c).unwrap();
            }
            w.flush().unwrap();
        }
        out
    }

    #[test]
    fn the_writer_passes_layout_and_colour_only() {
        let text = "ok\tline\n\x1b[1;31mred\x1b[0m \x1b]0;title\x07 \u{9b}2J \u{202e}x\n";
        assert_eq!(
            String::from_utf8(through(false, &[text.as_bytes()])).unwrap(),
            "ok\tline\n\\x1b[1;31mred\\x1b[0m \\x1b]0;title\\x07 \\u{9b}2J \\u{202e}x\n"
        );
        assert_eq!(
            String::from_utf8(through(true, &[text.as_bytes()])).unwrap(),
            "ok\tline\n\x1b[1;31mred\x1b[0m \\x1b]0;title\\x07 \\u{9b}2J \\u{202e}x\n"
        );
        // Only SGR: other CSI sequences are escaped even with colour on.
        assert_eq!(through(true, &[b"\x1b[2J\x1b[?25l"]), b"\\x1b[2J\\x1b[?25l");
    }

    #[test]
    fn the_writer_handles_characters_and_sequences_cut_between_writes() {
        let bytes = "é\u{9b}\u{202e}\x1b[31mx".as_bytes();
        for cut in 0..bytes.len() {
            let (a, b) = bytes.split_at(cut);
            assert_eq!(
                String::from_utf8(through(true, &[a, b])).unwrap(),
                "é\\u{9b}\\u{202e}\x1b[31mx",
                "cut at {cut}"
            );
        }
        // Invalid UTF-8 and an unfinished sequence at the very end.
        assert_eq!(
            through(true, &[b"a\xff\xc3", b"\x1b["]),
            b"a\\xff\\xc3\\x1b["
        );
    }

    #[test]
    fn json_holds_no_raw_control_or_invisible_character() {
        let value = serde_json::json!({"k\u{202e}": "a\x1b\x7f\u{9b}\u{2066}b\u{1F600}"});
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, JsonFormatter::new());
        serde::Serialize::serialize(&value, &mut ser).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.chars().any(|c| is_invisible(c) && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains(r#""a\u001b\u007f\u009b\u2066b😀""#), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
