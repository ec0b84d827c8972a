//! The C compiler identity probe, `(*Builder).gccCompilerID` (`cmd/go/internal/work/exec.go`):
//! its writes are not newline-terminated, so each write is a field.

use super::advice::Advice;
use super::spec::{About, Compare, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin::*, Portability::*};
use crate::model::{Category, Input};

/// The fields of `HASH[gccCompilerID]`.
pub static GCC: &[FieldSpec] = &[
    FieldSpec {
        name: "gccCompilerID identity",
        matching: Match::PrefixThen("gccCompilerID ", b'['),
        // `gccCompilerID [exe…] "<version line>"`
        grammar: |r| {
            let exe = r.list()?;
            r.tag(" ")?;
            Some(Input::GccIdentity {
                exe,
                id: r.quoted()?,
            })
        },
        ..PROBE
    },
    FieldSpec {
        name: "gccCompilerID",
        matching: Match::Prefix("gccCompilerID "),
        // `gccCompilerID "<exe>"`: the lookup key.
        grammar: |r| Some(Input::GccLookup(r.quoted()?)),
        ..PROBE
    },
];

const PROBE: FieldSpec = FieldSpec {
    name: "gccCompilerID",
    matching: Match::Prefix("gccCompilerID "),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::Cgo,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new("C compiler identity probe", CCompiler, HostDependent)
        .knob("CC")
        .advice(&[GCC_PROBE]),
};

/// The probe's lines: not an action key.
pub const GCC_PROBE: Advice = Advice::plain(
    &["G01", "G02"],
    "the gccCompilerID block keys a small cache entry that remembers the C compiler's identity and which flags it supports, as long as the compiler binary is unchanged; it is not the key of any build action, so it never causes a miss by itself (the identity reaches the keys through `CC ID`)",
    "nothing to change for this block; a C compiler difference shows in the compile keys' `CC ID` lines",
);
