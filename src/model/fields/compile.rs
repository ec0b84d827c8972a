//! The fields of a compile key, in the order `(*Builder).buildActionID`
//! (`cmd/go/internal/work/exec.go`) writes them.

use super::advice::{Advice, Facts, Wording};
use super::spec::{About, Compare, Cut, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin::*, Portability::*};
use super::{buildinfo, shared};
use crate::model::{CLang, Category, FileInput, Input, Text};

/// The fields of `HASH[build <importpath>]`.
pub static COMPILE: &[FieldSpec] = &[
    FieldSpec {
        name: "compile",
        matching: Match::Line("compile"),
        order: Order::Once(10),
        required: true,
        grammar: |_| Some(Input::CompileAction),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new("marks a compile action", GoCommand, Portable)
            .advice(&[COMPILE_MARKER]),
    },
    FieldSpec {
        name: "dir",
        matching: Match::Prefix("dir "),
        order: Order::Once(20),
        required: false,
        grammar: |r| Some(Input::Dir(r.rest())),
        key: Key::Name,
        category: Category::AbsolutePath,
        compare: Compare::Dir,
        explain: Explain::Plain,
        about: About::new(
            "absolute package directory; in the key because -trimpath is off; differs on every machine with another checkout path",
            Location,
            MachineSpecific,
        )
        .knob("-trimpath (or the same checkout path everywhere)")
        .overview("dir (package directory)")
        .advice(&[DIR_CHECKOUT, DIR_MODULE_CACHE, DIR_VENDOR, DIR_GOPATH]),
    },
    FieldSpec {
        name: "module",
        matching: Match::Prefix("module "),
        order: Order::Once(20),
        required: false,
        grammar: |r| {
            let path = r.before_last("@")?;
            Some(Input::Module {
                path,
                version: r.rest(),
            })
        },
        key: Key::Name,
        category: Category::DependencyVersion,
        compare: Compare::Module,
        explain: Explain::Plain,
        about: About::new(
            "module path and version, recorded instead of the directory because -trimpath is on",
            GoMod,
            Portable,
        )
        .knob("the module's version in go.mod")
        .advice(&[MODULE_VERSION]),
    },
    FieldSpec {
        name: "go",
        matching: Match::Prefix("go "),
        order: Order::Once(30),
        required: false,
        grammar: |r| Some(Input::GoDirective(r.rest())),
        key: Key::Name,
        category: Category::GoVersion,
        compare: Compare::Value,
        explain: Explain::Plain,
        about: About::new(
            "the `go` line of the package's go.mod: language version and GODEBUG defaults",
            GoMod,
            Portable,
        )
        .knob("the go directive in go.mod")
        .advice(&[GO_LINE]),
    },
    FieldSpec {
        order: Order::Once(40),
        required: true,
        ..shared::TARGET
    },
    FieldSpec {
        order: Order::Once(50),
        required: true,
        ..shared::IMPORT_PATH
    },
    FieldSpec {
        order: Order::Once(60),
        required: true,
        ..shared::OMITDEBUG
    },
    FieldSpec {
        order: Order::Once(70),
        ..shared::TRIMPATH
    },
    FieldSpec {
        name: "forcelibrary",
        matching: Match::Line("forcelibrary"),
        order: Order::Once(80),
        required: false,
        grammar: |_| Some(Input::ForceLibrary),
        key: Key::Name,
        category: Category::GoCommand,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new(
            "compiled as a library (a package under go test)",
            GoCommand,
            Portable,
        )
        .advice(&[FORCELIBRARY]),
    },
    FieldSpec {
        name: "cgo",
        matching: Match::Prefix("cgo "),
        order: Order::Once(90),
        required: false,
        grammar: |r| Some(Input::CgoTool(r.quoted()?)),
        key: Key::Name,
        category: Category::Cgo,
        compare: Compare::CgoTool,
        explain: Explain::Plain,
        about: About::new(
            "version of the cgo tool (the package has cgo files)",
            Toolchain,
            HostDependent,
        )
        .knob("the Go release")
        .overview("toolchain version")
        .advice(&[CGO_ENABLED]),
    },
    FieldSpec {
        name: "CC",
        matching: Match::Prefix("CC="),
        order: Order::Once(100),
        // `CC=[exe] [cppflags] [cflags] [ldflags]`
        grammar: |r| c_compiler(CLang::C, r.lists()?, 4),
        about: C_COMPILER.about.overview("CC flags"),
        ..C_COMPILER
    },
    FieldSpec {
        name: "CC ID",
        matching: Match::Prefix("CC ID"),
        order: Order::Once(110),
        grammar: |r| c_compiler_id(CLang::C, r),
        about: C_COMPILER_ID.about.overview("CC ID (C compiler identity)"),
        ..C_COMPILER_ID
    },
    FieldSpec {
        name: "CXX",
        matching: Match::Prefix("CXX="),
        order: Order::Once(120),
        // `CXX=[exe] [cxxflags]`
        grammar: |r| c_compiler(CLang::Cxx, r.lists()?, 2),
        about: C_COMPILER.about.overview("CXX flags"),
        ..C_COMPILER
    },
    FieldSpec {
        name: "CXX ID",
        matching: Match::Prefix("CXX ID"),
        order: Order::Once(130),
        grammar: |r| c_compiler_id(CLang::Cxx, r),
        about: C_COMPILER_ID.about.overview("CXX ID (C compiler identity)"),
        ..C_COMPILER_ID
    },
    FieldSpec {
        name: "FC",
        matching: Match::Prefix("FC="),
        order: Order::Once(140),
        // `FC=[exe] [fflags]`
        grammar: |r| c_compiler(CLang::Fortran, r.lists()?, 2),
        about: C_COMPILER.about.overview("FC flags"),
        ..C_COMPILER
    },
    FieldSpec {
        name: "FC ID",
        matching: Match::Prefix("FC ID"),
        order: Order::Once(150),
        grammar: |r| c_compiler_id(CLang::Fortran, r),
        about: C_COMPILER_ID.about.overview("FC ID (C compiler identity)"),
        ..C_COMPILER_ID
    },
    FieldSpec {
        name: "cover",
        matching: Match::Prefix("cover "),
        order: Order::Once(160),
        required: false,
        grammar: |r| {
            let mode = r.quoted()?;
            r.tag(" ")?;
            Some(Input::Cover {
                mode,
                tool: r.quoted()?,
            })
        },
        key: Key::Name,
        category: Category::Instrumentation,
        compare: Compare::Cover,
        explain: Explain::Plain,
        about: About::new(
            "coverage instrumentation mode and cover tool version",
            Flag,
            Portable,
        )
        .knob("-cover, -covermode, -coverpkg")
        .advice(&[COVER, COVERMODE, COVERPKG]),
    },
    FieldSpec {
        name: "fuzz",
        matching: Match::Prefix("fuzz "),
        order: Order::Once(170),
        required: false,
        grammar: |r| Some(Input::Fuzz(r.list()?)),
        key: Key::Name,
        category: Category::Instrumentation,
        compare: Compare::Value,
        explain: Explain::Plain,
        about: About::new("fuzzing instrumentation", Flag, Portable)
            .knob("go test -fuzz")
            .advice(&[FUZZ]),
    },
    FieldSpec {
        name: "modinfo",
        matching: Match::Prefix("modinfo "),
        order: Order::Once(180),
        required: false,
        grammar: |r| Some(Input::ModInfo(r.build_info()?)),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::ModInfo,
        explain: Explain::ModInfo(
            About::new("build information stamped into the main package", Vcs, MachineSpecific)
                .knob("-buildvcs=false, or the same commit and a clean tree"),
        ),
        about: About::new(
            "build information stamped into the main package",
            Flag,
            Portable,
        )
        .knob("the build flags and go.mod")
        .overview("modinfo (VCS stamp)")
        .advice(buildinfo::ADVICE),
    },
    FieldSpec {
        name: "compile tool",
        matching: Match::Prefix("compile "),
        order: Order::Once(190),
        required: true,
        // gc: `compile <tool id> [forced gcflags] [gcflags]`; gccgo has the same shape.
        grammar: |r| {
            let (tool, mut lists) = r.tool_and_lists(2)?;
            let flags = lists.pop()?;
            Some(Input::CompileTool {
                tool,
                forced: lists.pop()?,
                flags,
            })
        },
        key: Key::Name,
        category: Category::Toolchain,
        compare: Compare::ToolFlags,
        explain: Explain::CompileTool,
        about: About::new("compiler version", Toolchain, HostDependent)
            .knob("the Go release; -gcflags")
            .overview("toolchain version")
            .advice(&[GCFLAGS, FORCED_GCFLAGS, RACE, MSAN, ASAN]),
    },
    FieldSpec {
        name: "pkgpath",
        matching: Match::Prefix("pkgpath "),
        order: Order::Once(200),
        grammar: |r| Some(Input::GccgoPkgPath(r.rest())),
        ..GCCGO_FIELD
    },
    FieldSpec {
        name: "ar",
        matching: Match::Prefix("ar "),
        order: Order::Once(210),
        grammar: |r| Some(Input::GccgoAr(r.quoted()?)),
        ..GCCGO_FIELD
    },
    FieldSpec {
        name: "asm",
        matching: Match::Prefix("asm "),
        order: Order::Once(220),
        required: false,
        // gc: `asm "<tool id>" [forced asmflags] [asmflags]`, right after the compile tool.
        grammar: |r| {
            let tool = r.quoted()?;
            r.tag(" ")?;
            let mut lists = r.lists()?;
            (lists.len() == 2).then_some(())?;
            let flags = lists.pop()?;
            Some(Input::AsmTool {
                tool,
                forced: lists.pop()?,
                flags,
            })
        },
        key: Key::Name,
        category: Category::Toolchain,
        compare: Compare::ToolFlags,
        explain: Explain::Plain,
        about: About::new(
            "assembler version and -asmflags (the package has .s files)",
            Toolchain,
            HostDependent,
        )
        .knob("the Go release; -asmflags")
        .overview("toolchain version")
        .advice(&[ASMFLAGS, FORCED_ASMFLAGS]),
    },
    FieldSpec {
        name: "asm",
        // gccgo: `asm "<tool id>"`.
        matching: Match::Prefix("asm "),
        order: Order::Once(220),
        grammar: |r| Some(Input::GccgoAsm(r.quoted()?)),
        ..GCCGO_FIELD
    },
    FieldSpec {
        order: Order::Once(230),
        ..shared::ARCH_ENV
    },
    FieldSpec {
        order: Order::Once(240),
        ..shared::EXPERIMENT
    },
    FieldSpec {
        name: "magic",
        matching: Match::Prefix("magic "),
        order: Order::Repeated(250),
        required: false,
        grammar: |r| {
            let key = r.before("=")?;
            Some(Input::Magic {
                key,
                value: r.rest(),
            })
        },
        key: Key::Named(Cut::First('=')),
        category: Category::DebugEnv,
        compare: Compare::Magic,
        explain: Explain::Plain,
        about: About::new(
            "compiler debug variable {}, read from the environment",
            Environment,
            Portable,
        )
        .knob("unset {}")
        .advice(&[DEBUG_VARIABLE]),
    },
    FieldSpec {
        name: "file",
        matching: Match::Prefix("file "),
        order: Order::Repeated(260),
        required: true,
        grammar: |r| {
            let name = r.before_last(" ")?;
            Some(Input::File(FileInput {
                name,
                id: r.rest(),
                path: None,
                hash: None,
            }))
        },
        key: Key::Named(Cut::Last(' ')),
        category: Category::Source,
        compare: Compare::File,
        explain: Explain::File,
        about: About::new(
            "content hash of {} (its content, not its path or time)",
            FileSystem,
            Portable,
        )
        .knob("the file's bytes")
        .advice(&[
            SOURCE_GO,
            SOURCE_TEST,
            SOURCE_C,
            SOURCE_SYSO,
            SOURCE_EMBED,
            FILES_BY_TAG,
            FILES_BY_CGO,
            FILES_BY_SETTING,
            FILES_ADDED,
            FILES_UNREAD,
            FILES_OTHER,
        ]),
    },
    FieldSpec {
        name: "import",
        matching: Match::Prefix("import "),
        order: Order::Repeated(270),
        required: false,
        // `import <path> <content id>`; the content ID is empty for `unsafe`.
        grammar: |r| {
            let path = r.before_last(" ")?;
            Some(Input::Import {
                path,
                content_id: r.rest(),
            })
        },
        key: Key::Named(Cut::Last(' ')),
        category: Category::Nondeterministic,
        compare: Compare::Dependency,
        explain: Explain::Dependency,
        about: About::new(
            "dependency {}: only the content of its compiled output counts, not its key",
            Dependency,
            Portable,
        )
        .advice(DEPENDENCY_OUTPUT),
    },
    FieldSpec {
        name: "pgofile",
        matching: Match::Prefix("pgofile "),
        order: Order::Repeated(270),
        required: false,
        grammar: |r| Some(Input::PgoFile(r.rest())),
        key: Key::Name,
        category: Category::Pgo,
        compare: Compare::Profile,
        explain: Explain::Plain,
        about: About::new("content of the PGO profile", FileSystem, Portable)
            .knob("-pgo, default.pgo")
            .advice(PGO_PROFILE),
    },
];

/// `CC=`, `CXX=`, `FC=`: the compiler command and its flag lists.
const C_COMPILER: FieldSpec = FieldSpec {
    name: "CC",
    matching: Match::Prefix("CC="),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::Cgo,
    compare: Compare::CCompiler,
    explain: Explain::UnlessAbsolutePath(
        About::new(
            "C compiler and its flags (CGO_CPPFLAGS, CGO_CFLAGS, CGO_LDFLAGS and #cgo directives); holds an absolute path (cgo expands ${SRCDIR}), which -trimpath does not remove",
            Environment,
            MachineSpecific,
        )
        .knob("#cgo directives without ${SRCDIR}, or the same checkout path"),
    ),
    about: About::new(
        "C compiler and its flags (CGO_CPPFLAGS, CGO_CFLAGS, CGO_LDFLAGS and #cgo directives)",
        Environment,
        HostDependent,
    )
    .knob("CC, CGO_CFLAGS and friends")
    .advice(&[C_COMMAND, C_FLAGS, C_FLAGS_SRCDIR]),
};

/// `CC ID="<version line>"`, or `CC ID ERROR="<error>"` (1.25+), and the CXX and FC forms.
const C_COMPILER_ID: FieldSpec = FieldSpec {
    name: "CC ID",
    matching: Match::Prefix("CC ID"),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::Cgo,
    compare: Compare::CCompilerId,
    explain: Explain::UnlessError(
        "the C compiler could not be identified; the error text is hashed",
    ),
    about: About::new(
        "identity of the C compiler (its version line): an upgrade rebuilds cgo packages",
        CCompiler,
        HostDependent,
    )
    .knob("the installed C compiler (CC)")
    .advice(&[C_IDENTITY, C_IDENTITY_ERROR]),
};

/// gccgo's own lines (`pkgpath`, `ar`, `asm`).
const GCCGO_FIELD: FieldSpec = FieldSpec {
    name: "pkgpath",
    matching: Match::Prefix("pkgpath "),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::Toolchain,
    compare: Compare::Tool,
    explain: Explain::Plain,
    about: About::new("gccgo toolchain setting", Toolchain, HostDependent)
        .knob("-compiler=gccgo")
        .advice(&[GCCGO]),
};

/// `<exe list> <flag lists…>` with `n` lists in all.
fn c_compiler(lang: CLang, mut lists: Vec<Vec<Text<'_>>>, n: usize) -> Option<Input<'_>> {
    (lists.len() == n).then_some(())?;
    let exe = lists.remove(0);
    Some(Input::CCompiler {
        lang,
        exe,
        flags: lists,
    })
}

/// `("=" | " ERROR=") Q` after `CC ID`.
fn c_compiler_id<'a>(lang: CLang, r: &mut dyn super::grammar::Reader<'a>) -> Option<Input<'a>> {
    let error = if r.tag(" ERROR=").is_some() {
        true
    } else {
        r.tag("=")?;
        false
    };
    Some(Input::CCompilerId {
        lang,
        id: r.quoted()?,
        error,
    })
}

// ---- advice: why each kind of difference misses the cache, and the fix ----

/// `compile` differs: never between two compile keys.
pub const COMPILE_MARKER: Advice = Advice::plain(
    &["B01"],
    "`compile` is the first line of every compile key and the same in all of them, so two matched compile actions cannot differ in it",
    "nothing to change in the build: whymiss paired two different kinds of actions; please report it with both logs",
);

/// The main module's checkout is at another path.
pub const DIR_CHECKOUT: Advice = Advice::plain(
    &["B03", "P6"],
    "without -trimpath the compiler records each package's absolute directory in its object file (debug information, file names in panics), so `dir` is in the key of every package outside GOROOT; the checkout is at another path on the two sides, so every package in it, and everything importing one, is rebuilt",
    "build with -trimpath on both sides (GOFLAGS=-trimpath), or check out to the same absolute path on both (for example /src in the container and on CI)",
);

/// The module cache is at another path (GOMODCACHE, or GOPATH/HOME, differs).
pub const DIR_MODULE_CACHE: Advice = Advice::plain(
    &["B03", "P1"],
    "dependencies are compiled from the module cache (GOMODCACHE, by default $GOPATH/pkg/mod with GOPATH defaulting to $HOME/go), and without -trimpath each package's directory is in its key; the module caches are at different paths, so every dependency, and everything importing one, is rebuilt",
    "set the same GOMODCACHE on both sides (for example GOMODCACHE=/go/pkg/mod in the image and on CI; when it is the default, the sides have different HOMEs or GOPATHs), or build with -trimpath on both sides; building from the same checkout path does not help",
);

/// Dependencies from vendor/ on one side, from the module cache on the other.
pub const DIR_VENDOR: Advice = Advice::plain(
    &["B03", "P3", "2.7"],
    "one side compiles dependencies from the main module's vendor/ directory and the other from the module cache: the go command switches to -mod=vendor by itself when vendor/ exists and go.mod's go line is 1.14 or later, and without -trimpath the directory is in each dependency's key",
    "vendor on both sides (commit vendor/, or run `go mod vendor` on both) or on neither (no vendor/ directory, or -mod=mod on both); -trimpath hides the directory, but since Go 1.23 the build information still lists the dependencies' checksums only without vendoring",
);

/// GOPATH mode: GOPATH differs.
pub const DIR_GOPATH: Advice = Advice::plain(
    &["B03", "P5", "2.14"],
    "the packages are built in GOPATH mode (no go.mod, or GO111MODULE=off) from $GOPATH/src, GOPATH defaulting to $HOME/go, and without -trimpath each package's directory is in its key; the GOPATHs differ",
    "set the same GOPATH (or the same HOME) on both sides, build with -trimpath, or move the code into a module (go.mod)",
);

/// A dependency's version differs (its `module` line, its module-cache directory, or its
/// `dep` line in the build information).
pub const MODULE_VERSION: Advice = Advice::plain(
    &["B02", "M03", "P2"],
    "a dependency's module version decides its source: with -trimpath it is recorded as module@version in its packages' keys, without it as part of their module-cache directory, and every main package's build information lists it; everything importing the module is rebuilt",
    "use the same go.mod and go.sum on both sides (and the same vendor/ tree): a `go get` or `go mod tidy` on one side, or a `replace` line, changes them",
);

/// The `go` line of a module's go.mod.
pub const GO_LINE: Advice = Advice::plain(
    &["B04"],
    "the `go` line of a module's go.mod sets the language version the compiler enforces (-lang, such as the per-iteration loop variables of 1.22) and the GODEBUG defaults; it is hashed as written into every compile of the module, so `go 1.21` and `go 1.21.0` are different keys",
    "build the same go.mod on both sides: a `go get`, `go mod tidy` or `go work` run by a newer toolchain may have rewritten the go line on one side; a dependency's go line changes with its version",
);

/// `forcelibrary` on one side: a command tested on one side, built on the other.
pub const FORCELIBRARY: Advice = Advice::plain(
    &["B09"],
    "go test compiles a package main it tests as a library (`forcelibrary`), so a command tested on one side and built on the other has different compile keys",
    "compare the same go command on both sides (go test against go test, go build against go build)",
);

/// cgo on one side only (its lines, or `CGO_ENABLED` in the build information).
pub const CGO_ENABLED: Advice = Advice::plain(
    &["B10", "M18", "2.3"],
    "cgo is on on one side only: with cgo, packages with cgo files (your own, and net, os/user and runtime/cgo in the standard library) are preprocessed by cgo and compiled with the C compiler, without it their pure-Go files are used, so their file sets and keys differ, and those of everything above them; when CGO_ENABLED is not set the go command decides by itself: cgo is off when cross-compiling and, since Go 1.20, when CC is unset and no C compiler (gcc, or clang on darwin) is found in PATH",
    "set CGO_ENABLED explicitly and identically on both sides (compare `go env CGO_ENABLED`); an image without gcc builds with cgo off unless CGO_ENABLED=1 is set and a C compiler installed",
);

/// The C compiler command (`CC`, `CXX`, `FC`) differs.
pub const C_COMMAND: Advice = Advice::plain(
    &["B11", "B14", "B17"],
    "the {} command is hashed as written into every cgo package's key, so another compiler, or the same compiler named differently (gcc against /usr/bin/gcc), misses",
    "set {} to the same string on both sides, or leave it unset on both (the default is gcc, or clang on darwin and the BSDs; g++ and gfortran for CXX and FC)",
);

/// A C flag list (`CGO_CFLAGS`, …, and the package's `#cgo` directives) differs.
pub const C_FLAGS: Advice = Advice::plain(
    &["B11", "B14", "B17", "M19", "2.4"],
    "{} (the environment or go env value, followed by the package's #cgo directives) is passed to the C compiler and hashed into every cgo package's key; an empty value means the default (-O2 -g, empty for CGO_CPPFLAGS), and any other value replaces it verbatim",
    "leave {} unset on both sides or set the same string (compare `go env {}`); mind that \"-g -O2\", which older `go env` printed and CI configurations copy, is not the default \"-O2 -g\"",
);

/// An absolute path from `${SRCDIR}` in a C flag list.
pub const C_FLAGS_SRCDIR: Advice = Advice::plain(
    &["B11", "P9"],
    "cgo expands ${SRCDIR} in #cgo directives to the package's absolute directory, and C flags are hashed as they are, so a flag such as -I${SRCDIR}/include follows the checkout path; -trimpath does not remove it",
    "include headers by their path relative to the package (`#include \"include/foo.h\"`: the go command passes -I <package directory> to the C compiler outside the key) instead of -I${SRCDIR}/include; for -L${SRCDIR}/lib, build from the same absolute path on both sides",
);

/// The C compiler's identity (`CC ID`) differs.
pub const C_IDENTITY: Advice = Advice::plain(
    &["B12", "B15", "B18"],
    "the C compiler's identity (the version line of `$CC -### -x c -c -`) is hashed into every cgo package's key, the standard library's runtime/cgo, net and os/user included, so another C compiler release rebuilds them (a distribution suffix, 12.2.0-14 against 12.2.0-14+deb12u1, counts)",
    "use the same C compiler release on both sides (the same base image or package version)",
);

/// The C compiler could not be identified on one side.
pub const C_IDENTITY_ERROR: Advice = Advice::plain(
    &["B13", "B16", "B19"],
    "the C compiler could not be run or identified on one side: since Go 1.25 the go command hashes the error instead of the compiler's identity (before 1.25 it leaves the identity line out), so that side's cgo packages have other keys",
    "fix the C compiler on that side: `$CC -### -x c -c -` must run and print a version line (is CC set to a compiler that exists, and is it in PATH?)",
);

/// Coverage on one side only.
pub const COVER: Advice = Advice::plain(
    &["B20", "M11"],
    "coverage rewrites each covered package's source before compiling it, so instrumented and plain builds never share entries; coverage is often on one side only (go test -coverprofile in CI against plain go test locally)",
    "keep coverage runs and plain runs as separate jobs, each with its own warm cache, or pass the same coverage flags on both sides",
);

/// The coverage mode differs.
pub const COVERMODE: Advice = Advice::plain(
    &["B20"],
    "the coverage mode (set, count or atomic) decides the counters compiled into each covered package; -race turns the default mode into atomic",
    "pass the same -covermode (and the same -race) on both sides",
);

/// `-coverpkg` differs.
pub const COVERPKG: Advice = Advice::plain(
    &["B20", "T02"],
    "-coverpkg decides which packages are compiled with coverage counters (and, since Go 1.26, whose coverage metadata a cached test result depends on)",
    "pass the same -coverpkg pattern on both sides",
);

/// `fuzz` on one side.
pub const FUZZ: Advice = Advice::plain(
    &["B21"],
    "go test -fuzz compiles the packages under test with coverage counters for the fuzzer (libfuzzer instrumentation), so fuzzing and ordinary test runs build different objects",
    "compare runs with the same -fuzz setting",
);

/// The package's own -gcflags differ.
pub const GCFLAGS: Advice = Advice {
    rows: &["B23", "M09"],
    why: Wording::Plain(
        "-gcflags are compiler arguments, hashed into the key of every package they reach: `-gcflags=X` reaches only the packages named on the command line, `-gcflags=all=X` every package, the standard library included",
    ),
    fix: Wording::With(gcflags_fix),
};

fn gcflags_fix(facts: &Facts) -> String {
    if facts.volatile {
        "a value that changes on every build recompiles every package -gcflags reaches: move it to -ldflags -X, which only re-links"
    } else if facts.pattern_differs {
        "pass the same -gcflags with the same package pattern on both sides: here the flags reach the standard library on one side only, so one side used all= (or a pattern matching it)"
    } else {
        "pass the same -gcflags on both sides, with the same package pattern (`-gcflags=-N` and `-gcflags=all=-N` reach different packages)"
    }
    .to_string()
}

/// Compiler flags the go command forces for a build mode.
pub const FORCED_GCFLAGS: Advice = Advice::plain(
    &["B23", "2.12"],
    "the go command adds compiler flags of its own for the build mode (-shared for pie, c-shared and plugin, -dynlink for -linkshared), so every package is compiled differently; darwin (Go 1.22+), windows, android and ios build pie by default",
    "pass the same -buildmode (or none, for the same GOOS) on both sides",
);

/// `-race` on one side.
pub const RACE: Advice = Advice::plain(
    &["B23", "L07", "M14", "2.12"],
    "-race instruments every package (the compiler gets -race, the linker the race runtime, and coverage becomes atomic) and needs cgo, so race and plain builds never share entries",
    "keep race and plain builds as separate jobs, each with its own warm cache, or pass -race on both sides",
);

/// `-msan` on one side.
pub const MSAN: Advice = Advice::plain(
    &["B23", "L07", "M12", "2.12"],
    "-msan instruments every package for the C memory sanitizer (the go command forces -msan on the compiler and linker, and needs cgo), so sanitized and plain builds never share entries",
    "pass -msan on both sides or on neither",
);

/// `-asan` on one side.
pub const ASAN: Advice = Advice::plain(
    &["B23", "L07", "M04", "2.12"],
    "-asan instruments every package for the C address sanitizer (the go command forces -asan on the compiler and linker, and needs cgo), so sanitized and plain builds never share entries",
    "pass -asan on both sides or on neither",
);

/// The package's own -asmflags differ.
pub const ASMFLAGS: Advice = Advice::plain(
    &["B24", "M05"],
    "-asmflags are assembler arguments, hashed into the key of every package with assembly they reach (`-asmflags=X` the packages named on the command line, `-asmflags=all=X` every package)",
    "pass the same -asmflags on both sides, with the same package pattern",
);

/// Assembler flags the go command forces for a build mode.
pub const FORCED_ASMFLAGS: Advice = Advice::plain(
    &["B24", "2.12"],
    "the go command adds assembler flags of its own for the build mode (-shared, -dynlink), so every package with assembly is assembled differently",
    "pass the same -buildmode and -linkshared (or none, for the same GOOS) on both sides; the assembler's forced flags follow",
);

/// gccgo's own lines.
pub const GCCGO: Advice = Advice::plain(
    &["B28", "B29", "B30", "B31", "L13", "M07", "M08"],
    "gccgo builds hash gccgo's own identity, its archiver (AR), the package's symbol prefix and the assembler, so another gccgo installation or setting misses",
    "use the same gccgo release, AR and -gccgoflags on both sides",
);

/// A compiler debugging variable (`GOSSAFUNC`, …).
pub const DEBUG_VARIABLE: Advice = Advice::plain(
    &["B27"],
    "{} is a compiler debugging variable: the go command reads it from its own environment (not from go env -w) and hashes it into every compile, since it changes what the compiler does or writes",
    "unset {} on the side that has it (a leftover export in a shell profile or a CI configuration)",
);

/// A Go source file's content.
pub const SOURCE_GO: Advice = Advice::plain(
    &["B32"],
    "every source file is hashed by content (not by path or time), so the package is recompiled, and its dependents only when its compiled output changes: the sides build different bytes of this file",
    "build the same bytes on both sides: the same commit without uncommitted edits, generated files generated deterministically (no timestamps, a stable order) or committed, and the same line endings (git core.autocrlf)",
);

/// A test file's content (under go test).
pub const SOURCE_TEST: Advice = Advice::plain(
    &["B32", "2.16"],
    "under go test the package is compiled with its _test.go files, each hashed by content, so an edit to a test file recompiles the test variant of the package and relinks its test binary",
    "build the same test files on both sides (the same commit, no uncommitted edits)",
);

/// A C, C++, Fortran, header or assembly file's content.
pub const SOURCE_C: Advice = Advice::plain(
    &["B32"],
    "the package's C, C++, Fortran, header and assembly files are hashed by content like its Go files, so a changed header or .s file recompiles the package",
    "build the same C and assembly sources on both sides (the same commit; headers generated before the build generated identically)",
);

/// A .syso file's content.
pub const SOURCE_SYSO: Advice = Advice::plain(
    &["B32", "2.16"],
    "a .syso file in the package directory is linked into every program using the package and hashed by content; generators of Windows resources (goversioninfo, rsrc) often write a timestamp into it",
    "generate the .syso file deterministically (without timestamps) or commit it, so both sides have the same bytes",
);

/// An embedded file's content.
pub const SOURCE_EMBED: Advice = Advice::plain(
    &["B32", "2.16"],
    "files matched by //go:embed are hashed by content into the package's key, so a front-end build or any step that writes into an embedded directory changes it",
    "embed the same bytes on both sides: build the embedded assets deterministically before go build, or commit them",
);

/// Files selected on one side only by a build tag.
pub const FILES_BY_TAG: Advice = Advice::plain(
    &["B32", "M15", "F1"],
    "build tags are not hashed themselves: they select which files a package compiles (by their //go:build lines), and the list of files is in the key; the build tag `{}` selects these files on one side only",
    "pass the same -tags on both sides (check GOFLAGS too: `go env GOFLAGS` may carry -tags)",
);

/// Files selected by the `cgo` constraint.
pub const FILES_BY_CGO: Advice = Advice::plain(
    &["B32", "F3"],
    "files with a `cgo` or `!cgo` build constraint (and files with import \"C\") are compiled only with cgo on or off, and the list of files is in the key: cgo was on on one side only, possibly by the go command's own default (off when cross-compiling or when no C compiler is found)",
    "set CGO_ENABLED explicitly and identically on both sides",
);

/// Files selected by another setting the constraints name (an experiment, an architecture level,
/// -race).
pub const FILES_BY_SETTING: Advice = Advice::plain(
    &["B32", "F7"],
    "the files' build constraints name `{}`, a tag the go command sets from a setting (GOEXPERIMENT, the architecture level, -race, the compiler), which differs between the sides, so the package compiles other files",
    "use the same setting on both sides (compare `go env` and the build flags)",
);

/// Files without any build constraint on one side only: the checkouts differ.
pub const FILES_ADDED: Advice = Advice::plain(
    &["B32", "F4"],
    "these files have no build constraint, so no setting selects them: they exist on one side only (another commit, a file generated during the build, or an untracked file), and the list of files is in the package's key",
    "build the same checkout on both sides: commit or remove the files (check `git status` and .dockerignore), and generate files before the build on both sides",
);

/// Files on one side only whose constraints whymiss could not read.
pub const FILES_UNREAD: Advice = Advice::plain(
    &["B32", "F5"],
    "the packages compile other files on the two sides, and the list of files is in each package's key; the files are not on this machine, so whymiss cannot read their build constraints, and their names carry no GOOS or GOARCH suffix: most likely one -tags difference, else files present in one checkout only",
    "pass the same -tags on both sides and build the same checkout; run whymiss where the sources are to name the setting",
);

/// Files on one side only that no single setting whymiss knows selects.
pub const FILES_OTHER: Advice = Advice::plain(
    &["B32", "F8"],
    "the package compiles other files on the two sides, and the list of files is in its key; no single setting whymiss knows selects exactly these files (several settings at once, or files added together with a setting change)",
    "compare -tags, GOOS/GOARCH, CGO_ENABLED and the checkouts of the two sides for this package",
);

/// A dependency reference whose dependency did not change: non-determinism.
pub const NONDETERMINISTIC: Advice = Advice::plain(
    &["B34", "L14", "L15", "L16", "LS4", "V04", "V05"],
    "this dependency's compiled output differs although its key is identical: its compile is not reproducible, or it read an input Go does not hash (a C header or library outside the package, a file generated during the build)",
    "look for inputs outside the key in that package (cgo system headers and libraries, generators that depend on the environment) and make its build reproducible",
);

/// A dependency reference whose dependency is in neither log.
pub const NOT_BUILT: Advice = Advice::plain(
    &["B34", "L14"],
    "this dependency's output differs, but its own compile is in neither log (its result came from the cache, or the logs are incomplete), so whymiss cannot tell why",
    "capture both sides from an empty cache (GOCACHE=$(mktemp -d)), or with -a, so every compile is logged",
);

/// What the dependency references (`import`, `packagefile`, vet's `pkg`, …) say.
pub const DEPENDENCY_OUTPUT: &[Advice] = &[NONDETERMINISTIC, NOT_BUILT];

/// The PGO profile on one side only (default.pgo, -pgo=auto).
pub const PGO_ONE_SIDE: Advice = Advice::plain(
    &["B33", "B35", "P03", "M13", "2.6"],
    "profile-guided optimisation is on on one side only: -pgo defaults to auto, which uses a default.pgo found in the main package's directory for every package of the program, standard library included, so the profile is in every compile key (and since Go 1.23 a `preprocess PGO profile` action runs)",
    "commit default.pgo so both sides have it, or remove it; or build with -pgo=off on both sides",
);

/// The PGO profile's content differs.
pub const PGO_CONTENT: Advice = Advice::plain(
    &["B33", "B35", "P03"],
    "the compiler inlines and devirtualises according to the PGO profile, so the profile's content is in the key of every package of the program, standard library included; the two profiles differ",
    "use the same profile on both sides (commit default.pgo, or pass the same -pgo=file)",
);

/// What the PGO lines (`pgofile`, the preprocessing `input`) say.
pub const PGO_PROFILE: &[Advice] = &[PGO_ONE_SIDE, PGO_CONTENT];
