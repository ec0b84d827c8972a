//! What a difference in the build information means, setting by setting: the `modinfo` line
//! of a main package's compile key is the whole `runtime/debug.BuildInfo` text, which
//! `(*Package).setBuildInfo` (`cmd/go/internal/load/pkg.go`) fills. Settings that repeat a key
//! input of their own (`-gcflags`, `GOOS`, `CGO_CFLAGS`, …) are explained by that input's
//! advice; these are the settings only the build information holds.

use super::advice::Advice;

/// `path`: the main package's import path.
pub const MAIN_PATH: Advice = Advice::plain(
    &["M01"],
    "the build information starts with the main package's import path, which is `command-line-arguments` when the program is built from files named on the command line (go run main.go) and the package's import path otherwise",
    "name the main package the same way on both sides (by its directory or import path, not by its files)",
);

/// `mod`: the main module's version (from VCS since Go 1.24).
pub const MAIN_VERSION: Advice = Advice::plain(
    &["M02", "2.1"],
    "since Go 1.24 go build derives the main module's version from the checkout (the tag, or a pseudo-version of the commit, with +dirty for uncommitted or untracked changes) and records it in the main package's build information, so another commit or a dirty tree changes the main package's key and re-links the binary",
    "build the same commit with a clean tree on both sides (git status empty, untracked files included), or pass -buildvcs=false on both (the version stays (devel))",
);

/// A dependency's checksum present on one side only (vendoring, Go 1.23+) or different.
pub const DEPENDENCY_SUM: Advice = Advice::plain(
    &["M03", "2.7"],
    "the build information lists each dependency with its go.sum checksum, except since Go 1.23 under -mod=vendor, which the go command turns on by itself when vendor/ exists and go.mod's go line is 1.14 or later: one side builds from vendor/, the other from the module cache",
    "vendor on both sides or on neither (commit vendor/, or build with -mod=mod on both), and use the same go.sum",
);

/// `vcs`, `vcs.revision`, `vcs.time`, `vcs.modified`: VCS stamping.
pub const VCS_STAMP: Advice = Advice::plain(
    &["M24", "2.1"],
    "-buildvcs defaults to auto: go build stamps a main package built inside a repository with the commit (vcs.revision, vcs.time) and whether the tree has uncommitted or untracked changes (vcs.modified), so another commit or a dirty tree changes the main package's key and re-links the binary; without .git (a Docker build context) or without git in PATH it silently stamps nothing",
    "build the same commit with a clean tree on both sides (git status empty, untracked files included), or pass -buildvcs=false on both (GOFLAGS=-buildvcs=false)",
);

/// `-tags` in the build information.
pub const TAGS: Advice = Advice::plain(
    &["M15"],
    "the build tags select files by their //go:build lines and are recorded, comma-joined in the order given, in the main package's build information, so even -tags a,b against -tags b,a differ there",
    "pass the same -tags, in the same order, on both sides (GOFLAGS may carry -tags: compare `go env GOFLAGS`)",
);

/// `GOFIPS140` in the build information.
pub const FIPS140: Advice = Advice::plain(
    &["M23"],
    "GOFIPS140 (Go 1.24+) selects the FIPS 140-3 cryptographic module: it is recorded in the build information, adds fips140=on to the default GODEBUG settings, and a version other than latest compiles crypto/internal/fips140 from a frozen snapshot",
    "set the same GOFIPS140 on both sides (unset means off; check `go env GOFIPS140`, which go env -w may set)",
);

/// `-linkshared` in the build information.
pub const LINKSHARED: Advice = Advice::plain(
    &["M06", "L16"],
    "-linkshared links against shared libraries built with -buildmode=shared and makes the go command compile every package with -dynlink, so it changes every key",
    "pass -linkshared on both sides or on neither",
);

/// `-compiler` in the build information.
pub const COMPILER: Advice = Advice::plain(
    &["M07"],
    "-compiler selects gc or gccgo, two different toolchains whose outputs are never shared",
    "use the same -compiler on both sides",
);

/// `-pgo` with two absolute paths: the same profile at another path.
pub const PGO_PATH: Advice = Advice::plain(
    &["M13", "P10"],
    "without -trimpath the build information records the PGO profile's absolute path (-pgo=auto uses the main package's default.pgo), so the same profile in another checkout changes the main package's key",
    "build with -trimpath on both sides (it records only the profile's base name), or from the same path",
);

/// A build setting this whymiss does not know.
pub const UNKNOWN_SETTING: Advice = Advice::plain(
    &["B22"],
    "every setting in the build information is part of the main package's key; this one (`{}`) is not one whymiss knows (a newer Go?)",
    "make the setting the same on both sides (`go version -m <binary>` shows the build information)",
);

/// A line of the build information of another form.
pub const OTHER_LINE: Advice = Advice::plain(
    &["B22"],
    "the whole build information text is part of the main package's key, and it has a line of a form whymiss does not know on one side",
    "compare `go version -m` of the two binaries and make the builds agree on that line",
);

/// Everything the `modinfo` field's own settings can say.
pub const ADVICE: &[Advice] = &[
    MAIN_PATH,
    MAIN_VERSION,
    DEPENDENCY_SUM,
    VCS_STAMP,
    TAGS,
    FIPS140,
    LINKSHARED,
    COMPILER,
    PGO_PATH,
    UNKNOWN_SETTING,
    OTHER_LINE,
];
