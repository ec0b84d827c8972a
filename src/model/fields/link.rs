//! The fields of a link key, in the order `(*Builder).linkActionID` and `printLinkerConfig`
//! (`cmd/go/internal/work/exec.go`) write them; `(*Builder).linkSharedActionID` writes a
//! `linkShared` key from the same lines (its own are `linkShared`, `goos …` and `top`).

use super::advice::{Advice, Facts, Wording};
use super::compile::DEPENDENCY_OUTPUT;
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
        about: About::new("marks a link action", GoCommand, Portable).advice(&[LINK_MARKER]),
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
        about: About::new("marks a shared-library link", GoCommand, Portable)
            .advice(&[LINKSHARED_MARKER]),
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
        .overview("GOOS/GOARCH")
        .advice(&[BUILDMODE]),
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
        .knob("go.mod go/godebug lines, //go:debug")
        .advice(&[GODEBUG_DEFAULTS, GODEBUG_DIRECTIVE, GODEBUG_WORKSPACE]),
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
        .overview("toolchain version")
        .advice(&[FORCED_LDFLAGS]),
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
        about: About::new("-ldflags (including -X values)", Flag, Portable)
            .knob("-ldflags")
            .advice(&[LDFLAGS]),
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
        .overview("GOROOT (link)")
        .advice(&[GOROOT_MOVED]),
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
            .knob("GO_EXTLINK_ENABLED")
            .advice(&[EXTERNAL_LINKING]),
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
        )
        .advice(DEPENDENCY_OUTPUT),
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
    )
    .advice(DEPENDENCY_OUTPUT),
};

// ---- advice: why each kind of difference misses the cache, and the fix ----

/// `link` differs: never between two link keys.
pub const LINK_MARKER: Advice = Advice::plain(
    &["L01"],
    "`link` is the first line of every link key and the same in all of them, so two matched link actions cannot differ in it",
    "nothing to change in the build: whymiss paired a link with another kind of action; please report it with both logs",
);

/// `linkShared` differs: never between two shared-library links.
pub const LINKSHARED_MARKER: Advice = Advice::plain(
    &["LS1", "LS3"],
    "`linkShared` is the first line of every -buildmode=shared link key, so two matched shared-library links cannot differ in it",
    "nothing to change in the build: whymiss paired a shared-library link with another kind of action; please report it with both logs",
);

/// The build mode differs (as requested, or as resolved for the target).
pub const BUILDMODE: Advice = Advice::plain(
    &["L02", "L07", "M06", "2.12"],
    "the build mode decides how code is generated and linked (pie, c-shared and plugin compile every package position-independent), and the -buildmode flag is hashed as written, so -buildmode=exe and no -buildmode differ in the link even where both link an executable",
    "pass the same -buildmode (or none) on both sides; without one, darwin (Go 1.22+), windows, android and ios default to pie",
);

/// Linker flags the go command forces (not for instrumentation).
pub const FORCED_LDFLAGS: Advice = Advice::plain(
    &["L07", "2.12"],
    "the go command adds linker flags of its own for some build modes (-linkshared adds -linkshared -w), so the link differs although the user's -ldflags do not",
    "pass the same -buildmode and -linkshared on both sides",
);

/// The -ldflags differ: recorded in the build information only without -trimpath.
pub const LDFLAGS: Advice = Advice {
    rows: &["L08", "M10"],
    why: Wording::Trimpath {
        trimmed: "-ldflags go to the linker only: with -trimpath they are left out of the main package's build information, so a changed value only re-links; every compile stays cached",
        untrimmed: "-ldflags go to the linker and, without -trimpath, are also recorded in the main package's build information (`build -ldflags=…`), so a changed value recompiles the main package and re-links; every other compile stays cached",
    },
    fix: Wording::With(ldflags_fix),
};

fn ldflags_fix(facts: &Facts) -> String {
    match (facts.volatile, facts.both_trimpath) {
        (true, true) => "a value that changes on every build (a version, commit or date) is well placed in -ldflags -X: with -trimpath it costs only the link; never put it in -gcflags",
        (true, false) => "a value that changes on every build (a version, commit or date) is well placed in -ldflags -X, but without -trimpath it also recompiles the main package: build with -trimpath to keep it to the link; never put it in -gcflags",
        (false, _) => "pass the same -ldflags on both sides (GOFLAGS may carry -ldflags: compare `go env GOFLAGS`)",
    }
    .to_string()
}

/// GOROOT (GOROOT_FINAL before 1.23) differs: Go installed at another path.
pub const GOROOT_MOVED: Advice = Advice {
    rows: &["L11", "P4", "2.13"],
    why: Wording::Since {
        minor: 23,
        before: "before Go 1.23 the link key records GOROOT_FINAL (by default the GOROOT; a distribution may set it), which the linker writes into the binary for the standard library's source paths, so a Go installed at another path re-links every binary (compiles are not affected)",
        since: "without -trimpath the linker records the GOROOT, where the standard library's sources are, in every binary, so a Go installed at another path re-links every binary (compiles are not affected)",
    },
    fix: Wording::Since {
        minor: 23,
        before: "install Go at the same path on both sides, or set the same GOROOT_FINAL, or build with -trimpath",
        since: "install Go at the same path on both sides (for example /usr/local/go), or build with -trimpath; only links (go run, go install, test binaries) are affected",
    },
};

/// `GO_EXTLINK_ENABLED` differs.
pub const EXTERNAL_LINKING: Advice = Advice::plain(
    &["L12"],
    "GO_EXTLINK_ENABLED forces (1) or forbids (0) linking with the external C linker, instead of letting the linker decide (external when cgo packages are linked); the go command reads it from the environment or the go env file and hashes it into every link",
    "set the same GO_EXTLINK_ENABLED on both sides (normally unset; check `go env GO_EXTLINK_ENABLED`)",
);

/// The default GODEBUG settings differ, and the go lines differ too (or cannot be compared).
pub const GODEBUG_DEFAULTS: Advice = Advice::plain(
    &["L05", "M17", "2.2"],
    "the default GODEBUG settings are linked into every binary (since Go 1.24 in the link key, before through the main package's build information); they come from the main module's go line, godebug lines in go.mod or go.work, //go:debug directives in the main package, GOFIPS140 and the toolchain's table of defaults",
    "use the same go line, godebug lines and //go:debug directives on both sides",
);

/// The default GODEBUG settings differ although no compile's go line does.
pub const GODEBUG_WORKSPACE: Advice = Advice::plain(
    &["L05", "2.2", "2.8"],
    "the default GODEBUG settings differ although every compile's go line is the same, so the main module's go line did not decide them: in workspace mode (a go.work in the directory or above it, or GOWORK set) go.work's go line does, and godebug lines in go.mod or go.work, //go:debug directives and GOFIPS140 change them too",
    "compare `go env GOWORK` on both sides: use the same go.work on both, or GOWORK=off on both; then compare the godebug lines, //go:debug directives and GOFIPS140",
);

/// The default GODEBUG settings differ, and so does a source file of the main package.
pub const GODEBUG_DIRECTIVE: Advice = Advice::plain(
    &["L05", "M17", "2.2"],
    "the default GODEBUG settings are linked into the binary, and a //go:debug directive in the main package (or, for a test binary, in its test files) changes them: a source file of the main package differs too, so the directive is likely in it",
    "use the same //go:debug directives on both sides (the same main package sources)",
);
