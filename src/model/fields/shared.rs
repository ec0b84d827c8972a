//! Fields that both compile and link keys hold (`(*Builder).buildActionID` and
//! `(*Builder).linkActionID`/`printLinkerConfig` in `cmd/go/internal/work/exec.go` print them
//! with the same format). Each table places them at its own position (`..shared::TRIMPATH`).
//! Also the salt every key starts with (`cmd/go/internal/cache/hash.go`, `hashSalt`).

use super::advice::Advice;
use super::spec::{About, Compare, Cut, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin::*, Portability::*};
use crate::model::{Category, Input};

/// `goos <goos> goarch <goarch>` (compile and linkShared keys).
pub const TARGET: FieldSpec = FieldSpec {
    name: "goos/goarch",
    matching: Match::Prefix("goos "),
    order: Order::Any,
    required: false,
    grammar: |r| {
        let goos = r.before(" goarch ")?;
        Some(Input::Target {
            goos,
            goarch: r.rest(),
        })
    },
    key: Key::Name,
    category: Category::Target,
    compare: Compare::Target,
    explain: Explain::Plain,
    about: About::new(
        "target operating system and architecture (default: the host's)",
        Environment,
        HostDependent,
    )
    .knob("GOOS, GOARCH")
    .overview("GOOS/GOARCH")
    .advice(&[GOOS, GOARCH]),
};

/// The target operating system differs.
pub const GOOS: Advice = Advice::plain(
    &["B05", "LS2", "M20", "F2", "2.12"],
    "the compiler generates code for the target operating system and selects files by their _GOOS suffixes and //go:build lines, so GOOS is in every compile and link key; it also changes what the go command does by itself: cross-compiling turns cgo off unless CGO_ENABLED=1 is set, and darwin (Go 1.22+), windows, android and ios link as pie by default, which compiles every package with -shared",
    "set the same GOOS on both sides (check `go env GOOS` on each machine: it comes from the environment or from `go env -w`, and defaults to the host's)",
);

/// The target architecture differs.
pub const GOARCH: Advice = Advice::plain(
    &["B05", "LS2", "M20", "F2"],
    "the compiler generates code for the target architecture and selects files by their _GOARCH suffixes and //go:build lines (assembly included), so GOARCH is in every compile and link key, and the architecture level variable changes with it (GOAMD64 for amd64, GOARM64 for arm64)",
    "set the same GOARCH on both sides (check `go env GOARCH` on each machine: it comes from the environment or from `go env -w`, and defaults to the host's)",
);

/// `import "<path>"`: the action's own import path.
pub const IMPORT_PATH: FieldSpec = FieldSpec {
    name: "import path",
    matching: Match::PrefixThen("import ", b'"'),
    order: Order::Any,
    required: false,
    grammar: |r| Some(Input::ImportPath(r.quoted()?)),
    key: Key::Name,
    category: Category::AbsolutePath,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new("the package's import path", GoCommand, Portable).advice(&[OWN_IMPORT_PATH]),
};

/// The action's own import path differs (GOPATH mode: `_/<absolute directory>`).
pub const OWN_IMPORT_PATH: Advice = Advice::plain(
    &["B06", "L03"],
    "the package's import path is compiled into its symbols; two matched actions differ in it only in GOPATH mode, where a package outside GOPATH (imported as `./x`, or named by its files) gets the import path `_/<its absolute directory>`",
    "build from the same absolute directory on both sides, or move the code into a module (go.mod), where import paths do not depend on the directory",
);

/// `omitdebug <b> standard <b> local <b> prefix "<p>"`.
pub const OMITDEBUG: FieldSpec = FieldSpec {
    name: "omitdebug",
    matching: Match::Prefix("omitdebug "),
    order: Order::Any,
    required: false,
    grammar: |r| {
        let omit_debug = r.boolean()?;
        r.tag(" standard ")?;
        let standard = r.boolean()?;
        r.tag(" local ")?;
        let local = r.boolean()?;
        r.tag(" prefix ")?;
        Some(Input::OmitDebug {
            omit_debug,
            standard,
            local,
            prefix: r.quoted()?,
        })
    },
    key: Key::Name,
    category: Category::GoCommand,
    compare: Compare::OmitDebug,
    explain: Explain::Plain,
    about: About::new(
        "whether debug information is omitted, whether the package is in the standard library, and GOPATH-mode relative imports",
        GoCommand,
        Portable,
    )
    .advice(&[GO_COMMAND, LOCAL_IMPORT]),
};

/// `omitdebug` (or `standard`) differs: another go subcommand.
pub const GO_COMMAND: Advice = Advice::plain(
    &["B07", "L04"],
    "go run, go tool and go test (without -c or a profile flag) build their programs without debug information (the compiler gets -dwarf=false, the linker -s -w), which the go command records as `omitdebug true`; go build and go test -c keep it, so the main package and the link of the two commands never share cache entries",
    "compare the same go command on both sides: a cache warmed by go build does not serve go run's main package and link, nor go test's test main that of go test -c",
);

/// `local`/`prefix` differ: a GOPATH-mode package imported by a relative path, elsewhere.
pub const LOCAL_IMPORT: Advice = Advice::plain(
    &["B07", "L04", "P5"],
    "in GOPATH mode a package imported by a relative path (`import \"./x\"`) or named by its files is compiled with `local true` and the prefix `_/<its absolute directory>`, so its key follows the directory it is in",
    "build from the same absolute directory on both sides, or move the code into a module (go.mod), where relative imports are not allowed",
);

/// `trimpath`: `-trimpath` is set.
pub const TRIMPATH: FieldSpec = FieldSpec {
    name: "trimpath",
    matching: Match::Line("trimpath"),
    order: Order::Any,
    required: false,
    grammar: |_| Some(Input::Trimpath),
    key: Key::Name,
    category: Category::Trimpath,
    compare: Compare::Trimpath,
    explain: Explain::Plain,
    about: About::new("-trimpath is on: paths are not recorded", Flag, Portable)
        .knob("-trimpath")
        .advice(&[TRIMPATH_ONE_SIDE]),
};

/// -trimpath on one side only.
pub const TRIMPATH_ONE_SIDE: Advice = Advice::plain(
    &["B08", "L06", "M16", "B02", "L11"],
    "-trimpath makes the compiler and linker record module@version instead of absolute directories, which changes every object file, so `trimpath` is in every compile and link key (standard library included) and the package directory (`dir`) is replaced by the module's version",
    "use -trimpath on both sides or on neither; it often comes from GOFLAGS, which `go env -w GOFLAGS=-trimpath` puts in the go env file: compare `go env GOFLAGS` on both machines (an empty GOFLAGS= in the environment does not override the file; GOENV=off or `go env -u GOFLAGS` does)",
);

/// `<KEY>=<value>`: the architecture variable (GOAMD64, GOARM, …), or `=` when the architecture
/// has none (or, before Go 1.23, for arm64 and riscv64). `cmd/go/internal/cfg`, `GetArchEnv`.
pub const ARCH_ENV: FieldSpec = FieldSpec {
    name: "arch env",
    matching: Match::ArchEnv,
    order: Order::Any,
    required: false,
    grammar: |r| {
        let key = r.before("=")?;
        Some(Input::ArchEnv {
            key,
            value: r.rest(),
        })
    },
    key: Key::Subject(Cut::First('=')),
    category: Category::Target,
    compare: Compare::ArchEnv,
    explain: Explain::UnlessNamed(About::new(
        "architecture variable (none for this architecture)",
        Environment,
        Portable,
    )),
    about: About::new(
        "architecture level ({}): which instructions the compiler may use",
        Environment,
        Portable,
    )
    .knob("{}")
    .advice(&[ARCH_LEVEL, NO_ARCH_VAR]),
};

/// The architecture level (GOAMD64, GOARM64, …) differs.
pub const ARCH_LEVEL: Advice = Advice::plain(
    &["B25", "L09", "M21"],
    "{} is the architecture level: it tells the compiler which instructions it may use (GOAMD64=v3 allows AVX2 and BMI2) and sets build tags such as amd64.v3, so it is in every compile and link key; its default (v1 for GOAMD64) is baked into the toolchain build",
    "set the same {} on both sides (check `go env {}`: it may come from `go env -w` or a CI image; raising it on one machine for speed splits the cache)",
);

/// The `=` line (no architecture variable) against a named one.
pub const NO_ARCH_VAR: Advice = Advice::plain(
    &["B25", "L09"],
    "the architecture variable line is `=` when the target architecture has no level variable (and, before Go 1.23, for arm64 and riscv64), so it differs when one side targets another architecture or runs an older release",
    "set the same GOARCH and use the same Go release on both sides",
);

/// `GOEXPERIMENT="<list>"`: the non-default experiments.
pub const EXPERIMENT: FieldSpec = FieldSpec {
    name: "GOEXPERIMENT",
    matching: Match::Prefix("GOEXPERIMENT="),
    order: Order::Any,
    required: false,
    grammar: |r| Some(Input::Experiment(r.quoted()?)),
    key: Key::Name,
    category: Category::Experiment,
    compare: Compare::Experiment,
    explain: Explain::Plain,
    about: About::new("non-default GOEXPERIMENT settings", Environment, Portable)
        .knob("GOEXPERIMENT")
        .advice(&[EXPERIMENTS]),
};

/// The experiments differ (the `GOEXPERIMENT=` lines or the `X:` suffix of tool IDs).
pub const EXPERIMENTS: Advice = Advice::plain(
    &["B26", "L10", "M22", "B23"],
    "GOEXPERIMENT switches compiler and runtime features and sets goexperiment.* build tags, so the experiments that differ from the platform's defaults are hashed into every compile and link key and into each tool's ID (`X:…`); a toolchain built with GOEXPERIMENT set (a distribution's boringcrypto or systemcrypto build) carries its experiments by default, without any setting",
    "set the same GOEXPERIMENT on both sides (compare `go env GOEXPERIMENT` and `go version`, which shows a baked-in experiment as X:…): use the same toolchain build, or set GOEXPERIMENT explicitly on both (GOEXPERIMENT=noX turns a baked-in X off)",
);

/// The go command's version (the salt) and every tool version: the Go release.
pub const RELEASE: Advice = Advice::plain(
    &[
        "S1", "B10", "B20", "B23", "B24", "B28", "L07", "L13", "V01", "P02", "F6", "2.10",
    ],
    "every key starts with the go command's version and hashes the version of each tool it runs (compile, asm, cgo, link, vet), so a cache written by one Go release is never read by another",
    "run the same Go release on both sides (compare `go version`): pin it with GOTOOLCHAIN=go1.X.Y or a `toolchain` line in go.mod, and the same image or installer; with the default GOTOOLCHAIN=auto, a go.mod `go` or `toolchain` line newer than the installed Go makes the go command download and run that release instead",
);

/// A tool whose ID carries no release version (a development build of Go): the Go
/// installations differ.
pub const DEVEL_TOOL: Advice = Advice::plain(
    &["B23", "B24", "B10", "L07", "B20"],
    "a tool's ID is its version line, or its build ID when it carries no release version (a development build of Go, a toolchain built from modified sources), and it is in every key the tool's output is under, so another build of the tool never shares entries",
    "use the same Go installation on both sides (the same build of the same sources)",
);
