//! Which table a block kind's lines are read with, and the entry of a line no table knows.

use std::borrow::Cow;

use super::spec::{About, Compare, Cut, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin, Portability};
use super::{compile, gcc, link, pgo, test, vet};
use crate::model::{ActionKind, Category, Input};

/// The field table of a block kind (empty for a block whymiss does not know: every line of it
/// is [`UNKNOWN`]).
pub fn table(kind: ActionKind) -> &'static [FieldSpec] {
    match kind {
        ActionKind::Build => compile::COMPILE,
        ActionKind::Link | ActionKind::LinkShared => link::LINK,
        ActionKind::Vet => vet::VET,
        ActionKind::Pgo => pgo::PGO,
        ActionKind::TestResult => test::TEST_RESULT,
        ActionKind::TestInputs => test::TEST_INPUTS,
        ActionKind::Open | ActionKind::Stat => test::STAT,
        ActionKind::Getenv => test::GETENV,
        ActionKind::CoverMeta => test::COVERMETA,
        ActionKind::Testmain => test::TESTMAIN,
        ActionKind::GccCompilerId => gcc::GCC,
        ActionKind::Other => &[],
    }
}

/// The first field of `table` that a line (without its newline) is: the first whose prefix it
/// has, else the first without a fixed prefix that takes it (see [`Match`]). The fields after
/// it with the same `Match` are its alternatives.
pub fn lookup(table: &'static [FieldSpec], line: &[u8]) -> Option<usize> {
    table
        .iter()
        .position(|f| f.matching.has_prefix() && f.matches(line))
        .or_else(|| {
            table
                .iter()
                .position(|f| !f.matching.has_prefix() && f.matches(line))
        })
}

/// The entry of a line that no field of its block's table reads (a field a newer Go added, or a
/// line of an unknown block): kept verbatim, reported as `unknown <first word>`, still part of
/// the key.
pub static UNKNOWN: FieldSpec = FieldSpec {
    name: "unknown",
    matching: Match::Any,
    order: Order::Any,
    required: false,
    grammar: |r| Some(Input::Unknown(r.rest())),
    // The whole line is the value: it has no prefix.
    key: Key::Named(Cut::With(|line, _| {
        Some(Cow::Borrowed(line.split([' ', '=']).next().unwrap_or("")))
    })),
    category: Category::Other,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new(
        "a line this version of whymiss does not know (a newer Go?): it is part of the key all the same",
        Origin::Unknown,
        Portability::Portable,
    ),
};
