//! The grammar of a field, as the table writes it: a function over a [`Reader`], whose
//! primitives (`Q`, `L`, `hex64`, …) `parse` implements on the bytes of the log. A table entry
//! says which primitives follow its prefix and which typed input they make; it never sees an
//! escape sequence.
//!
//! A grammar must read the whole line: what it leaves unread makes the line unknown. Every
//! primitive either reads its production or reads nothing and returns `None`.

use super::super::{Digest, Input, ModInfo, StatInfo, Text};

/// A field's grammar: the text after its prefix, read into a typed input (`None`: the line does
/// not have this field's form).
pub type Grammar = for<'a> fn(&mut dyn Reader<'a>) -> Option<Input<'a>>;

/// The primitives of the field grammar (`Q` is a Go-quoted string, `L` a `%q`-printed
/// `[]string` such as `["-O2" "-g"]`).
pub trait Reader<'a> {
    /// Nothing left to read.
    fn is_empty(&self) -> bool;
    /// Everything left, verbatim.
    fn rest(&mut self) -> Text<'a>;
    /// Exactly `s`.
    fn tag(&mut self, s: &str) -> Option<()>;
    /// The text up to the first `sep`, and `sep`.
    fn before(&mut self, sep: &str) -> Option<Text<'a>>;
    /// The text up to the last `sep`, and `sep`.
    fn before_last(&mut self, sep: &str) -> Option<Text<'a>>;
    /// `"true" | "false"`.
    fn boolean(&mut self) -> Option<bool>;
    /// `Q`, unquoted.
    fn quoted(&mut self) -> Option<Text<'a>>;
    /// `Q` whose content is 32 raw bytes (an action ID printed with `%q`): the digest, or
    /// `Some(None)` when the string is not 32 bytes long.
    fn quoted_digest(&mut self) -> Option<Option<Digest>>;
    /// `L`.
    fn list(&mut self) -> Option<Vec<Text<'a>>>;
    /// `[ L { " " L } ]`: every list left.
    fn lists(&mut self) -> Option<Vec<Vec<Text<'a>>>>;
    /// `toolid " " L { " " L }` with exactly `n` lists: a tool ID (which may hold spaces)
    /// followed by the lists that end the line.
    fn tool_and_lists(&mut self, n: usize) -> Option<(Text<'a>, Vec<Vec<Text<'a>>>)>;
    /// `toolid " " L " " word` ending the line: a gc link tool line's tool ID, forced flags
    /// and link mode.
    fn tool_list_word(&mut self) -> Option<(Text<'a>, Vec<Text<'a>>, Text<'a>)>;
    /// `hex64`: a SHA-256 printed with `%x`.
    fn digest(&mut self) -> Option<Digest>;
    /// `Q` holding `debug.BuildInfo.String()`, read line by line.
    fn build_info(&mut self) -> Option<Box<ModInfo<'a>>>;
    /// `size " " mode " " mtime " " isdir` ending the line (`os.FileInfo` as `go test` hashes
    /// it; the time holds spaces).
    fn stat(&mut self) -> Option<StatInfo<'a>>;
}
