//! The fields of a PGO preprocessing key (Go 1.23+), in the order `(*Builder).pgoActionID`
//! (`cmd/go/internal/work/action.go`) writes them.

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
        about: About::new("marks PGO profile preprocessing", GoCommand, Portable),
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
            .overview("toolchain version"),
    },
    FieldSpec {
        name: "input",
        matching: Match::Prefix("input "),
        order: Order::Any,
        required: false,
        // `input "<file hash of the raw profile>"`
        grammar: |r| Some(Input::PgoInput(r.quoted()?)),
        key: Key::Name,
        category: Category::Source,
        compare: Compare::Profile,
        explain: Explain::Plain,
        about: About::new("content of the PGO profile", FileSystem, Portable)
            .knob("-pgo, default.pgo"),
    },
];
