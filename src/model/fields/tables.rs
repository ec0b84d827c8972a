//! Which table a block kind's lines are read with, and the entry of a line no table knows.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::advice::Advice;
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

/// Every table, by the block it reads, and the entry of unknown lines: every kind of line
/// whymiss knows. (A function: a static initializer would copy the tables, and entries are
/// told apart by address.)
pub fn tables() -> [(&'static str, &'static [FieldSpec]); 12] {
    [
        ("build", compile::COMPILE),
        ("link", link::LINK),
        ("vet", vet::VET),
        ("preprocess PGO profile", pgo::PGO),
        ("testResult", test::TEST_RESULT),
        ("testInputs", test::TEST_INPUTS),
        ("open/stat", test::STAT),
        ("getenv", test::GETENV),
        ("covermeta", test::COVERMETA),
        ("testmain", test::TESTMAIN),
        ("gccCompilerID", gcc::GCC),
        ("any", std::slice::from_ref(&UNKNOWN)),
    ]
}

/// The first field of `table` that a line (without its newline) is: the first whose prefix it
/// has, else the first without a fixed prefix that takes it (see [`Match`]). The fields after
/// it with the same `Match` are its alternatives.
pub fn lookup(table: &'static [FieldSpec], line: &[u8]) -> Option<usize> {
    Finder::new(table).find(line)
}

/// [`lookup`] for many lines of one table: every line of every block is looked up, so a line is
/// compared only with the fields whose prefix starts with its first byte.
#[derive(Clone, Copy)]
pub struct Finder {
    table: &'static [FieldSpec],
    index: Option<&'static Index>,
}

impl Finder {
    pub fn new(table: &'static [FieldSpec]) -> Finder {
        Finder {
            table,
            index: Index::of(table),
        }
    }

    /// The table it finds fields in.
    pub fn table(self) -> &'static [FieldSpec] {
        self.table
    }

    /// See [`lookup`].
    #[inline]
    pub fn find(self, line: &[u8]) -> Option<usize> {
        let table = self.table;
        let Some(index) = self.index else {
            return table
                .iter()
                .position(|f| f.matching.has_prefix() && f.matches(line))
                .or_else(|| {
                    table
                        .iter()
                        .position(|f| !f.matching.has_prefix() && f.matches(line))
                });
        };
        let candidates = line.first().map_or(&[][..], |&b| index.starting_with(b));
        for list in [candidates, &index.unprefixed] {
            for &i in list {
                let i = usize::from(i);
                if table[i].matches(line) {
                    return Some(i);
                }
            }
        }
        None
    }
}

/// A table's fields by the first byte of their prefix, in table order.
pub(super) struct Index {
    table: &'static [FieldSpec],
    /// `by_byte[starts[b]..starts[b + 1]]`: the fields whose prefix starts with byte `b`.
    starts: [u16; 257],
    by_byte: Vec<u16>,
    /// The fields without a fixed prefix.
    unprefixed: Vec<u16>,
}

impl Index {
    fn new(table: &'static [FieldSpec]) -> Index {
        // The prefixed fields sorted by first byte, in table order within a byte.
        let mut keyed: Vec<(u8, u16)> = (0..table.len() as u16)
            .filter_map(|i| {
                let first = table[usize::from(i)].matching.prefix().as_bytes().first()?;
                Some((*first, i))
            })
            .collect();
        keyed.sort_unstable();
        let by_byte: Vec<u16> = keyed.iter().map(|&(_, i)| i).collect();
        let mut starts = [0u16; 257];
        for (b, start) in starts.iter_mut().enumerate() {
            *start = keyed.partition_point(|&(first, _)| usize::from(first) < b) as u16;
        }
        let unprefixed = (0..table.len() as u16)
            .filter(|&i| !table[usize::from(i)].matching.has_prefix())
            .collect();
        Index {
            table,
            starts,
            by_byte,
            unprefixed,
        }
    }

    fn starting_with(&self, b: u8) -> &[u16] {
        let b = usize::from(b);
        &self.by_byte[usize::from(self.starts[b])..usize::from(self.starts[b + 1])]
    }

    /// The index of one of the tables [`table`] returns.
    fn of(table: &'static [FieldSpec]) -> Option<&'static Index> {
        static INDEXES: OnceLock<Vec<Index>> = OnceLock::new();
        INDEXES
            .get_or_init(|| {
                ActionKind::ALL
                    .iter()
                    .map(|&kind| self::table(kind))
                    .filter(|t| !t.is_empty())
                    .fold(Vec::<&'static [FieldSpec]>::new(), |mut seen, t| {
                        if !seen.iter().any(|s| std::ptr::eq(*s, t)) {
                            seen.push(t);
                        }
                        seen
                    })
                    .into_iter()
                    .map(Index::new)
                    .collect()
            })
            .iter()
            .find(|i| std::ptr::eq(i.table, table))
    }
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
    )
    .advice(&[UNKNOWN_LINE]),
};

/// A line no table knows.
pub const UNKNOWN_LINE: Advice = Advice::plain(
    &["W3"],
    "this line is part of the key, but whymiss does not know what it means (a Go release newer than whymiss, or a line from a patched toolchain): the sides differ in it",
    "make the sides agree on what this line records, and report the line so whymiss can learn it",
);
