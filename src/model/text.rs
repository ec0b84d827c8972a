//! Text taken from a log.

use std::borrow::Cow;

/// Text from the log: borrowed when it needed no unescaping, owned otherwise. Bytes that are not
/// UTF-8 are shown as `\xNN` (see `parse::unquote::bytes_to_text`).
pub type Text<'a> = Cow<'a, str>;
