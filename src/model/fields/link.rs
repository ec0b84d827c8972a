//! The fields of a link key, in the order `(*Builder).linkActionID` and `printLinkerConfig`
//! (`cmd/go/internal/work/exec.go`) write them; `(*Builder).linkSharedActionID` writes a
//! `linkShared` key from the same lines (its own are `linkShared`, `goos …` and `top`).

use super::shared;
use super::spec::{About, Compare, Cut, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin::*, Portability::*};
use crate::model::{Category, Input};

/// The fields of `HASH[link <importpath>]` and `HASH[linkShared]`.
pub static LINK: &[FieldSpec] = &[
    FieldSpec {
        name: "link",
        matching: Match::Line("link"),
        order: Order::Once(10),
        required: true,
        grammar: |_| Some(Input::LinkAction),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new("marks a link action", GoCommand, Portable),
    },
    FieldSpec {
        name: "linkShared",
        matching: Match::Line("linkShared"),
        order: Order::Any,
        required: false,
        grammar: |_| Some(Input::LinkSharedAction),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new("marks a shared-library link", GoCommand, Portable),
    },
    FieldSpec {
        name: "buildmode",
        matching: Match::Prefix("buildmode "),
        order: Order::Once(20),
        required: true,
        grammar: |r| {
            let buildmode = r.before(" goos ")?;
            let goos = r.before(" goarch ")?;
            Some(Input::LinkTarget {
                buildmode,
                goos,
                goarch: r.rest(),
            })
        },
        key: Key::Name,
        category: Category::Target,
        compare: Compare::Target,
        explain: Explain::Plain,
        about: About::new(
            "build mode and target (default: the host's OS and architecture)",
            Environment,
            HostDependent,
        )
        .knob("-buildmode, GOOS, GOARCH")
        .overview("GOOS/GOARCH"),
    },
    // linkShared only.
    shared::TARGET,
    FieldSpec {
        order: Order::Once(30),
        required: true,
        ..shared::IMPORT_PATH
    },
    FieldSpec {
        order: Order::Once(40),
        required: true,
        ..shared::OMITDEBUG
    },
    FieldSpec {
        name: "defaultgodebug",
        matching: Match::Prefix("defaultgodebug "),
        order: Order::Once(50),
        required: false,
        grammar: |r| Some(Input::DefaultGodebug(r.quoted()?)),
        key: Key::Name,
        category: Category::Godebug,
        compare: Compare::DefaultGodebug,
        explain: Explain::Plain,
        about: About::new(
            "default GODEBUG settings (from the go.mod go line, godebug lines, //go:debug directives and the toolchain)",
            GoMod,
            Portable,
        )
        .knob("go.mod go/godebug lines, //go:debug"),
    },
    FieldSpec {
        order: Order::Once(60),
        ..shared::TRIMPATH
    },
    FieldSpec {
        name: "link tool",
        matching: Match::Prefix("link "),
        order: Order::Once(70),
        required: true,
        // gc: `link <tool id> [forced ldflags] <ld buildmode>`; gccgo: `link <id> <mode>`.
        grammar: |r| match r.tool_list_word() {
            Some((tool, forced, buildmode)) => Some(Input::LinkTool {
                tool,
                forced: Some(forced),
                buildmode,
            }),
            None => {
                let tool = r.before_last(" ")?;
                Some(Input::LinkTool {
                    tool,
                    forced: None,
                    buildmode: r.rest(),
                })
            }
        },
        key: Key::Name,
        category: Category::Toolchain,
        compare: Compare::LinkTool,
        explain: Explain::Plain,
        about: About::new(
            "linker version, forced linker flags and link mode",
            Toolchain,
            HostDependent,
        )
        .knob("the Go release")
        .overview("toolchain version"),
    },
    FieldSpec {
        name: "linkflags",
        matching: Match::Prefix("linkflags "),
        order: Order::Once(80),
        required: false,
        grammar: |r| Some(Input::LinkFlags(r.list()?)),
        key: Key::Name,
        category: Category::LinkerFlags,
        compare: Compare::LinkFlags,
        explain: Explain::Plain,
        about: About::new("-ldflags (including -X values)", Flag, Portable).knob("-ldflags"),
    },
    FieldSpec {
        order: Order::Once(90),
        ..shared::ARCH_ENV
    },
    FieldSpec {
        order: Order::Once(100),
        ..shared::EXPERIMENT
    },
    FieldSpec {
        name: "GOROOT",
        matching: Match::Prefix("GOROOT="),
        order: Order::Once(110),
        required: false,
        // 1.21–1.22: GOROOT_FINAL or `$GOROOT`; 1.23+: the GOROOT, empty with -trimpath.
        grammar: |r| Some(Input::Goroot(r.rest())),
        key: Key::Name,
        category: Category::AbsolutePath,
        compare: Compare::Goroot,
        explain: Explain::UnlessTrimmed(
            About::new("GOROOT, hidden by -trimpath", Flag, Portable).knob("-trimpath"),
        ),
        about: About::new(
            "absolute GOROOT path recorded by the linker; differs when Go is installed elsewhere",
            Location,
            MachineSpecific,
        )
        .knob("-trimpath, or the same Go installation path")
        .overview("GOROOT (link)"),
    },
    FieldSpec {
        name: "GO_EXTLINK_ENABLED",
        matching: Match::Prefix("GO_EXTLINK_ENABLED="),
        order: Order::Once(120),
        required: false,
        grammar: |r| Some(Input::ExtLinkEnabled(r.rest())),
        key: Key::Name,
        category: Category::LinkerFlags,
        compare: Compare::Value,
        explain: Explain::Plain,
        about: About::new("GO_EXTLINK_ENABLED (external linking)", Environment, Portable)
            .knob("GO_EXTLINK_ENABLED"),
    },
    FieldSpec {
        name: "packagefile",
        matching: Match::Prefix("packagefile "),
        order: Order::Repeated(130),
        grammar: |r| {
            let path = r.before_last("=")?;
            Some(Input::PackageFile {
                path,
                content_id: r.rest(),
            })
        },
        ..LINKED_PACKAGE
    },
    FieldSpec {
        name: "packagemain",
        matching: Match::Prefix("packagemain "),
        order: Order::Repeated(130),
        required: false,
        // `packagemain <action id>/<content id>`: the main package's full build ID.
        grammar: |r| {
            let action_id = r.before("/")?;
            Some(Input::PackageMain {
                action_id,
                content_id: r.rest(),
            })
        },
        key: Key::Name,
        category: Category::Nondeterministic,
        compare: Compare::PackageMain,
        explain: Explain::Plain,
        about: About::new(
            "the main package's full build ID (its action ID too): the link reruns whenever the main package's key changes, even if its output does not",
            Dependency,
            Portable,
        ),
    },
    FieldSpec {
        name: "packageshlib",
        matching: Match::Prefix("packageshlib "),
        order: Order::Repeated(130),
        grammar: |r| {
            let path = r.before_last("=")?;
            Some(Input::PackageShlib {
                path,
                content_id: r.rest(),
            })
        },
        ..LINKED_PACKAGE
    },
    FieldSpec {
        // linkShared only: the packages named on the command line.
        name: "top",
        matching: Match::Prefix("top "),
        order: Order::Any,
        grammar: |r| {
            let path = r.before_last("=")?;
            Some(Input::Top {
                path,
                content_id: r.rest(),
            })
        },
        ..LINKED_PACKAGE
    },
];

/// `packagefile <path>=<content id>` and its kin: a package linked in, by its output.
const LINKED_PACKAGE: FieldSpec = FieldSpec {
    name: "packagefile",
    matching: Match::Prefix("packagefile "),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Named(Cut::Last('=')),
    category: Category::Nondeterministic,
    compare: Compare::Dependency,
    explain: Explain::Dependency,
    about: About::new(
        "linked package {}: only the content of its compiled output counts",
        Dependency,
        Portable,
    ),
};
