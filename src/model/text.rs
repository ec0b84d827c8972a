//! Text taken from a log.

use std::borrow::Cow;

/// Text from the log: borrowed when it needed no unescaping, owned otherwise. Bytes that are not
/// UTF-8 are shown as `\xNN` (see `parse::unquote::bytes_to_text`).
pub type Text<'a> = Cow<'a, str>;

/// Characters that must not reach a terminal raw: control characters (C0, DEL, C1 including
/// U+009B CSI) and invisible formatting characters (soft hyphen, zero-width characters, line and
/// paragraph separators, bidirectional marks, embeddings, overrides and isolates, the BOM).
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{ad}' | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}' | '\u{feff}')
}
