//! A field: one logical line of a block, typed, with the table entry that read it.

use std::borrow::Cow;

use super::fields::FieldSpec;
use super::input::Input;
use super::text::Text;

/// One logical line of a block: its text exactly as Go wrote it (without the final newline),
/// the line number of its first write in the log, its typed meaning, and the table entry that
/// read it ([`UNKNOWN`](super::fields::UNKNOWN) when none could).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    pub line: u32,
    pub text: Text<'a>,
    pub input: Input<'a>,
    pub spec: &'static FieldSpec,
}

impl Field<'_> {
    /// A stable name for the field, used to line up the two sides of a comparison: the same
    /// field of the same action has the same key in both logs (`dir`, `file greet.go`,
    /// `import fmt`, `GOAMD64`, `CC`, `magic GOSSAFUNC`, …).
    pub fn key(&self) -> Cow<'_, str> {
        self.spec.key.of(self.spec.name, self.value(), &self.input)
    }

    /// What a repeated field is about (`greet.go` of `file greet.go <id>`, `fmt` of
    /// `import fmt <id>`), when its key names it.
    pub fn subject(&self) -> Option<Cow<'_, str>> {
        self.spec.key.subject(self.value(), &self.input)
    }

    /// The text after the field's prefix (`/a/b` of `dir /a/b`).
    pub fn value(&self) -> &str {
        self.spec.value_of(&self.text)
    }
}
