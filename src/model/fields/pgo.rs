//! The fields of a PGO preprocessing key (Go 1.23+), in the order `(*Builder).pgoActionID`
//! (`cmd/go/internal/work/action.go`) writes them.

use super::advice::Advice;
use super::compile::PGO_PROFILE;
use super::spec::{About, Compare, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin::*, Portability::*};
use crate::model::{Category, Input};

/// The fields of `HASH[preprocess PGO profile <path>]`.
pub static PGO: &[FieldSpec] = &[
    FieldSpec {
        name: "preprocess PGO profile",
        matching: Match::Line("preprocess PGO profile"),
        order: Order::Any,
        required: false,
        grammar: |_| Some(Input::PgoAction),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new("marks PGO profile preprocessing", GoCommand, Portable)
            .advice(&[PGO_MARKER]),
    },
    FieldSpec {
        name: "preprofile",
        matching: Match::Prefix("preprofile "),
        order: Order::Any,
        required: false,
        grammar: |r| Some(Input::PreprofileTool(r.rest())),
        key: Key::Name,
        category: Category::Toolchain,
        compare: Compare::Tool,
        explain: Explain::Plain,
        about: About::new("preprofile tool version", Toolchain, HostDependent)
            .knob("the Go release")
            .overview("toolchain version")
            .advice(&[PREPROFILE_TOOL]),
    },
    FieldSpec {
        name: "input",
        matching: Match::Prefix("input "),
        order: Order::Any,
        required: false,
        // `input "<file hash of the raw profile>"`
        grammar: |r| Some(Input::PgoInput(r.quoted()?)),
        key: Key::Name,
        category: Category::Pgo,
        compare: Compare::Profile,
        explain: Explain::Plain,
        about: About::new("content of the PGO profile", FileSystem, Portable)
            .knob("-pgo, default.pgo")
            .advice(PGO_PROFILE),
    },
];

// ---- advice ----

/// `preprocess PGO profile` differs: never between two preprocessing keys.
pub const PGO_MARKER: Advice = Advice::plain(
    &["P01"],
    "`preprocess PGO profile` is the first line of every profile preprocessing key (Go 1.23+), so two matched preprocessing actions cannot differ in it",
    "nothing to change in the build: whymiss paired a profile preprocessing with another kind of action; please report it with both logs",
);

/// The preprofile tool's ID without a release version.
pub const PREPROFILE_TOOL: Advice = Advice::plain(
    &["P02"],
    "the preprofile tool's identity is in the key of the profile preprocessing, and it carries no release version here (a development build of Go), so it is identified by its build ID",
    "use the same Go installation on both sides",
);
