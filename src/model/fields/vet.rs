//! The fields of a vet key, in the order `(*Builder).vet` (`cmd/go/internal/work/exec.go`)
//! writes them.

use std::borrow::Cow;

use super::advice::{Advice, Wording};
use super::compile::DEPENDENCY_OUTPUT;
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
        .overview("toolchain version")
        .advice(&[VETTOOL]),
    },
    FieldSpec {
        name: "vetxonly",
        matching: Match::Prefix("vetxonly "),
        order: Order::Once(20),
        required: false,
        // 1.27+.
        grammar: |r| Some(Input::VetxOnly(r.boolean()?)),
        key: Key::Name,
        category: Category::GoCommand,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new(
            "whether vet only computes facts for dependents",
            GoCommand,
            Portable,
        )
        .advice(&[VETXONLY]),
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
            .advice(&[VETFLAGS]),
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
        )
        .advice(DEPENDENCY_OUTPUT),
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
        )
        .advice(DEPENDENCY_OUTPUT),
    },
];

// ---- advice: why each kind of difference misses the cache, and the fix ----

/// `-vettool` differs (a path, or a tool without a release version).
pub const VETTOOL: Advice = Advice::plain(
    &["V01"],
    "the analysis tool's identity is in every vet key: cmd/vet's version, or the program -vettool names, so another vet tool (or the same one at another path) vets every package again",
    "run go vet with the same -vettool (or none) on both sides",
);

/// `vetxonly` differs (Go 1.27+).
pub const VETXONLY: Advice = Advice::plain(
    &["V02"],
    "since Go 1.27 the vet key says whether vet only computes facts for the packages importing this one (a dependency) or reports its diagnostics (a package named on the command line), so vetting another set of packages changes it",
    "vet the same packages on both sides",
);

/// The analyzer flags differ.
pub const VETFLAGS: Advice = Advice {
    rows: &["V03"],
    why: Wording::Since {
        minor: 26,
        before: "go vet's analyzer flags are in the key of every vet action (packages vetted only for their facts get vet's defaults, such as -unsafeptr=false), so vet with other flags runs again on every package; compiles are not affected, and before Go 1.26 only the facts of dependencies are looked up in the cache",
        since: "go vet's analyzer flags are in the key of every vet action, so vet with other flags runs again on every package (compiles are not affected); since Go 1.26 plain go vet adds -json and go test's vet step does not, so go vet and go test never share vet results",
    },
    fix: Wording::Plain(
        "run go vet with the same flags on both sides, and compare go vet with go vet, go test with go test",
    ),
};
