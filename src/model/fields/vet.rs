//! The fields of a vet key, in the order `(*Builder).vet` (`cmd/go/internal/work/exec.go`)
//! writes them.

use std::borrow::Cow;

use super::spec::{About, Compare, Cut, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin::*, Portability::*};
use crate::model::{Category, Input};

/// The fields of `HASH[vet <importpath>]`.
pub static VET: &[FieldSpec] = &[
    FieldSpec {
        name: "vet",
        matching: Match::Prefix("vet "),
        order: Order::Once(10),
        required: true,
        // `vet "<tool id or -vettool path>"`
        grammar: |r| Some(Input::VetTool(r.quoted()?)),
        key: Key::Name,
        category: Category::Toolchain,
        compare: Compare::Tool,
        explain: Explain::Plain,
        about: About::new(
            "vet tool version (or -vettool path)",
            Toolchain,
            HostDependent,
        )
        .knob("the Go release, -vettool")
        .overview("toolchain version"),
    },
    FieldSpec {
        name: "vetxonly",
        matching: Match::Prefix("vetxonly "),
        order: Order::Once(20),
        required: false,
        // 1.27+.
        grammar: |r| Some(Input::VetxOnly(r.boolean()?)),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new(
            "whether vet only computes facts for dependents",
            GoCommand,
            Portable,
        ),
    },
    FieldSpec {
        name: "vetflags",
        matching: Match::Prefix("vetflags "),
        order: Order::Once(30),
        required: true,
        grammar: |r| Some(Input::VetFlags(r.list()?)),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new("vet flags", Flag, Portable)
            .knob("go vet flags")
            .why("go vet's analyzer flags are in the key of every vet action (packages vetted only for their facts get vet's defaults, such as -unsafeptr=false), so vet with other flags re-runs on every package; compiles are not affected")
            .fix("run go vet with the same flags on both sides"),
    },
    FieldSpec {
        name: "pkg",
        matching: Match::Prefix("pkg "),
        order: Order::Once(40),
        required: true,
        // `pkg "<32 raw bytes>"`: the action ID of the package's compile, printed with %q.
        grammar: |r| Some(Input::VetPkg(r.quoted_digest()?)),
        key: Key::Name,
        category: Category::Nondeterministic,
        compare: Compare::VetPkg,
        explain: Explain::Plain,
        about: About::new(
            "the action ID of the package's compile",
            Dependency,
            Portable,
        ),
    },
    FieldSpec {
        name: "vetout",
        matching: Match::Prefix("vetout "),
        order: Order::Repeated(50),
        required: false,
        // `vetout "<import path>" <file hash of its vet facts>`
        grammar: |r| {
            let path = r.quoted()?;
            r.tag(" ")?;
            Some(Input::VetOut { path, id: r.rest() })
        },
        key: Key::Named(Cut::With(|_, input| {
            if let Input::VetOut { path, .. } = input {
                Some(Cow::Borrowed(path.as_ref()))
            } else {
                None
            }
        })),
        category: Category::Nondeterministic,
        compare: Compare::VetOut,
        explain: Explain::Dependency,
        about: About::new(
            "vet facts of dependency {} (their content)",
            Dependency,
            Portable,
        ),
    },
];
