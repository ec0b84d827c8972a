//! The fields of the test cache's keys (`cmd/go/internal/test/test.go`): the test result
//! (`(*runCache).tryCacheWithID`), the inputs a test read (`computeTestInputsID`) and their
//! nested blocks (`hashGetenv`, `hashOpen`, `hashStat`, `hashWriteStat`), the coverage
//! metadata key, and the generated test main (`cmd/go/internal/list/list.go`, `runList`).

use std::borrow::Cow;

use super::advice::{Advice, Facts, Wording};
use super::spec::{About, Compare, Cut, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin::*, Portability::*};
use crate::model::{Category, Input};

/// The fields of `HASH[testResult]`.
pub static TEST_RESULT: &[FieldSpec] = &[FieldSpec {
    name: "test binary",
    matching: Match::Prefix("test binary "),
    order: Order::Any,
    required: false,
    // `test binary <id> args [flags] execcmd [cmd]`, without a newline.
    grammar: |r| {
        let id = r.before(" args ")?;
        let args = r.list()?;
        r.tag(" execcmd ")?;
        Some(Input::TestBinary {
            id,
            args,
            execcmd: r.list()?,
        })
    },
    key: Key::Name,
    category: Category::TestFlags,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new(
        "the test binary (its link's action ID) and the cacheable test flags",
        GoCommand,
        Portable,
    )
    .knob("anything that changes the test binary; -run, -short, -v, -timeout, …")
    .advice(&[TEST_FLAGS, TEST_EXEC, TEST_CACHING]),
}];

/// The fields of `HASH[testInputs]`: `<op> <name> <hash of the nested block>`.
pub static TEST_INPUTS: &[FieldSpec] = &[
    FieldSpec {
        name: "env",
        matching: Match::Prefix("env "),
        grammar: |r| {
            let name = r.before_last(" ")?;
            Some(Input::TestEnv {
                name,
                hash: r.digest()?,
            })
        },
        category: Category::TestEnv,
        about: About::new(
            "environment variable {}, read by the test: its value is hashed",
            TestRun,
            HostDependent,
        )
        .knob("{}")
        .advice(&[
            TEST_ENV,
            TEST_ENV_ONE_SIDE,
            TEST_TMPDIR,
            TEST_GOTMPDIR,
            TEST_PWD,
            TEST_USER,
            TEST_GODEBUG,
        ]),
        ..TEST_FILE
    },
    FieldSpec {
        name: "chdir",
        matching: Match::Prefix("chdir "),
        grammar: |r| {
            let path = r.before_last(" ")?;
            Some(Input::TestChdir {
                path,
                hash: r.digest()?,
            })
        },
        ..TEST_FILE
    },
    FieldSpec {
        name: "stat",
        matching: Match::Prefix("stat "),
        grammar: |r| {
            let path = r.before_last(" ")?;
            Some(Input::TestStat {
                path,
                hash: r.digest()?,
            })
        },
        ..TEST_FILE
    },
    FieldSpec {
        name: "open",
        matching: Match::Prefix("open "),
        grammar: |r| {
            let path = r.before_last(" ")?;
            Some(Input::TestOpen {
                path,
                hash: r.digest()?,
            })
        },
        ..TEST_FILE
    },
];

/// A file or directory a test used, by path.
const TEST_FILE: FieldSpec = FieldSpec {
    name: "open",
    matching: Match::Prefix("open "),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Named(Cut::Last(' ')),
    category: Category::TestFile,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new(
        "{}, used by the test: its size, mode and modification time are hashed (mtimes differ after every fresh checkout)",
        TestRun,
        MachineSpecific,
    )
    .knob("the file, and its modification time")
    .advice(&[
        TEST_FILE_CHANGED,
        TEST_INPUT_MOVED,
        TEST_INPUT_ONE_SIDE,
        TEST_TOO_NEW,
        TEST_REJECTED,
    ]),
};

/// The fields of `HASH[open]` and `HASH[stat]`.
pub static STAT: &[FieldSpec] = &[
    FieldSpec {
        name: "stat",
        matching: Match::Prefix("stat "),
        // `stat <size> <mode> <mtime> <isdir>`
        grammar: |r| Some(Input::Stat(r.stat()?)),
        ..FILE_INFO
    },
    FieldSpec {
        name: "err",
        matching: Match::Prefix("err "),
        grammar: |r| Some(Input::StatError(r.rest())),
        ..FILE_INFO
    },
    FieldSpec {
        name: "file",
        matching: Match::Prefix("file "),
        // A directory entry: `file <name> stat …` or `file <name> err <error>`.
        grammar: |r| match r.before_last(" stat ") {
            Some(name) => Some(Input::DirEntry {
                name,
                stat: Some(r.stat()?),
                error: None,
            }),
            None => {
                let name = r.before(" err ")?;
                Some(Input::DirEntry {
                    name,
                    stat: None,
                    error: Some(r.rest()),
                })
            }
        },
        key: Key::Named(Cut::With(|_, input| {
            if let Input::DirEntry { name, .. } = input {
                Some(Cow::Borrowed(name.as_ref()))
            } else {
                None
            }
        })),
        ..FILE_INFO
    },
];

const FILE_INFO: FieldSpec = FieldSpec {
    name: "stat",
    matching: Match::Prefix("stat "),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::TestFile,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new(
        "size, mode and modification time of a file",
        TestRun,
        MachineSpecific,
    )
    .advice(&[
        TEST_MTIME,
        TEST_TIME_ZONE,
        TEST_FILE_MISSING,
        TEST_DIR_ENTRIES,
    ]),
};

/// The fields of `HASH[getenv]`: a presence byte, then (when set) the value as a second write,
/// which the parser joins into one field.
pub static GETENV: &[FieldSpec] = &[
    FieldSpec {
        matching: Match::Line("\u{0}"),
        grammar: |_| Some(Input::EnvUnset),
        ..ENV_VALUE
    },
    FieldSpec {
        matching: Match::Line("\u{1}"),
        grammar: |r| Some(Input::EnvValue(r.rest())),
        ..ENV_VALUE
    },
];

const ENV_VALUE: FieldSpec = FieldSpec {
    name: "value",
    matching: Match::Line("\u{0}"),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::TestEnv,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new("value of an environment variable", TestRun, HostDependent)
        .advice(&[TEST_ENV_UNSET]),
};

/// The fields of `HASH[covermeta]` (Go 1.26+, `(*runCache).tryCacheWithID`).
pub static COVERMETA: &[FieldSpec] = &[FieldSpec {
    name: "dep",
    matching: Match::Prefix("dep "),
    order: Order::Any,
    required: false,
    // `dep <build action id>` of each covered package.
    grammar: |r| Some(Input::CoverMetaDep(r.rest())),
    key: Key::Named(Cut::All),
    category: Category::Instrumentation,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new(
        "a covered package's build action ID (-coverpkg)",
        Dependency,
        Portable,
    )
    .advice(&[COVERAGE_METADATA]),
}];

/// The fields of `HASH[testmain]` (`go list -test`): a marker line, then the whole generated
/// `_testmain.go` in one write.
pub static TESTMAIN: &[FieldSpec] = &[
    FieldSpec {
        name: "testmain",
        matching: Match::Line("testmain"),
        grammar: |_| Some(Input::TestmainAction),
        ..GENERATED
    },
    FieldSpec {
        name: "source",
        matching: Match::Any,
        grammar: |r| Some(Input::TestmainSource(r.rest())),
        ..GENERATED
    },
];

const GENERATED: FieldSpec = FieldSpec {
    name: "testmain",
    matching: Match::Line("testmain"),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::Other,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new("generated test main (go list -test)", GoCommand, Portable)
        .advice(&[TEST_MAIN]),
};

// ---- advice: why each kind of difference misses the cache, and the fix ----

/// The cacheable test flags differ.
pub const TEST_FLAGS: Advice = Advice::plain(
    &["T01", "2.17"],
    "the cacheable test flags (-run, -short, -v, -timeout, …) are part of a cached test result's key, and the go command adds some by itself: -test.timeout=10m0s unless -timeout is given, and -test.v=test2json for go test -json (gotestsum, IDEs) where go test -v passes -test.v=true, so go test, go test -v and go test -json never share results",
    "pass the same test flags on both sides and run go test the same way (plain, -v or -json); GOFLAGS may add flags: compare `go env GOFLAGS`",
);

/// `-exec` differs.
pub const TEST_EXEC: Advice = Advice::plain(
    &["T01"],
    "the program that runs the test binary (-exec, or a go_GOOS_GOARCH_exec found in PATH when testing for another target) is part of a cached test result's key",
    "run go test with the same -exec (or none) on both sides",
);

/// Test caching off on one side.
pub const TEST_CACHING: Advice = Advice {
    rows: &["T01", "T13"],
    why: Wording::With(test_caching_why),
    fix: Wording::With(test_caching_fix),
};

/// The flags `go test` caches results with, by release (`(*runCache).tryCacheWithID`,
/// `cmd/go/internal/test/test.go`): -fullpath since 1.23, -skip since 1.25, and since 1.25
/// -coverprofile and -outputdir are accepted without being keyed.
pub fn cacheable_test_flags(go_minor: Option<u32>) -> String {
    let minor = go_minor.unwrap_or(u32::MAX);
    let mut flags = vec!["-benchtime", "-cpu", "-list", "-parallel", "-run", "-short"];
    if minor >= 25 {
        flags.push("-skip");
    }
    flags.extend(["-timeout", "-failfast", "-v"]);
    if minor >= 23 {
        flags.push("-fullpath");
    }
    if minor >= 25 {
        flags.extend(["-coverprofile", "-outputdir"]);
    }
    flags.join(", ")
}

fn release(go_minor: Option<u32>) -> String {
    go_minor.map_or_else(|| "this Go release".to_string(), |m| format!("Go 1.{m}"))
}

fn test_caching_why(facts: &Facts) -> String {
    format!(
        "go test caches results only when every test flag is cacheable, which in {} are {}; any other flag, such as -count=1 or -cpuprofile, turns caching off for the whole run, as does go test without package arguments",
        release(facts.go_minor),
        cacheable_test_flags(facts.go_minor)
    )
}

fn test_caching_fix(facts: &Facts) -> String {
    let mut fix = "drop the non-cacheable flag where a cached result is wanted (-count=1 exists to bypass the cache), or run such jobs separately".to_string();
    match facts.go_minor {
        Some(m) if m < 23 => fix.push_str(
            "; -coverprofile and -skip (cacheable since Go 1.25) and -fullpath (since 1.23) turn caching off in this release: upgrade, or run coverage in a separate job",
        ),
        Some(m) if m < 25 => fix.push_str(
            "; -coverprofile and -skip turn caching off before Go 1.25: upgrade, or run coverage in a separate job",
        ),
        _ => {}
    }
    fix
}

/// An environment variable the test read differs.
pub const TEST_ENV: Advice = Advice::plain(
    &["T04"],
    "the value of every environment variable a test reads (os.Getenv and os.LookupEnv, also through os.TempDir, os.UserHomeDir or os.Getwd) is part of its cached result's key, and {} differs",
    "give go test the same {} on both sides, or keep the test from reading it",
);

/// An environment variable the test read on one side only.
pub const TEST_ENV_ONE_SIDE: Advice = Advice::plain(
    &["T04"],
    "the test read {} on one side only (other code, flags or environment made it take another path), and every variable a test reads is part of its cached result's key",
    "find what makes the test behave differently on the two sides; whether it reads {} follows",
);

/// TMPDIR, read by t.TempDir, os.MkdirTemp, os.CreateTemp, os.TempDir.
pub const TEST_TMPDIR: Advice = Advice::plain(
    &["T04", "P8", "T12"],
    "the test reads TMPDIR (t.TempDir, os.MkdirTemp, os.CreateTemp and os.TempDir do), and go test keys a cached result on the value of every environment variable the test read; CI systems often give every job its own TMPDIR, so such tests miss in every job (one project raised its test-cache hit rate from 75% to 91–93% by fixing this)",
    "set TMPDIR to the same fixed directory for go test on both sides (TMPDIR=/tmp; on GitHub Actions in the job's env), and leave GOTMPDIR unset or equal: since Go 1.26 t.TempDir reads GOTMPDIR first",
);

/// GOTMPDIR, read by t.TempDir since Go 1.26.
pub const TEST_GOTMPDIR: Advice = Advice::plain(
    &["T04", "P8", "T12"],
    "since Go 1.26 t.TempDir reads GOTMPDIR before TMPDIR, and the test log records it, so its value is part of the cached result's key",
    "leave GOTMPDIR unset for go test on both sides, or set it to the same fixed directory",
);

/// PWD, which the go command sets to the package directory.
pub const TEST_PWD: Advice = Advice::plain(
    &["T04", "P11"],
    "the go command sets PWD to the package directory when it runs a test, and os.Getwd reads it, so a test that asks for its working directory (directly or through a library) is keyed on the checkout path, -trimpath or not",
    "run the tests from the same absolute checkout path on both sides",
);

/// HOME, USER and the like: the user running the test.
pub const TEST_USER: Advice = Advice::plain(
    &["T04"],
    "the test reads {} (os.UserHomeDir and os.UserCacheDir read HOME, and without cgo os/user reads USER and HOME), so its cached result is keyed on the user running it",
    "run go test as the same user, or with the same fixed {} for the test job, on both sides",
);

/// GODEBUG: since Go 1.23 an input of every test.
pub const TEST_GODEBUG: Advice = Advice::plain(
    &["T03"],
    "since Go 1.23 the value of GODEBUG is an input of every test result, so GODEBUG=gocachehash=1 (or any other setting) on one side changes every test key: the observer effect",
    "compare runs made with the same GODEBUG; whymiss's own runs add the same settings on both sides",
);

/// A file the test read differs in size or mode.
pub const TEST_FILE_CHANGED: Advice = Advice::plain(
    &["T05", "T06", "T07"],
    "go test keys a cached result on the size, mode and modification time of every file the test opens or stats inside the module (and of each directory it changes into), not on their content; this one's size or mode differs",
    "make the file identical on both sides (the same commit, test data generated the same way), or keep tests from reading files that change between runs",
);

/// The same test input at another absolute path: a moved checkout.
pub const TEST_INPUT_MOVED: Advice = Advice::plain(
    &["T05", "T06", "T07", "P11"],
    "a cached test result is keyed on the absolute path of every file the test opens or stats and of each directory it changes into, -trimpath or not, so the same test run from another checkout path runs again",
    "run the tests from the same absolute path on both sides (for example /src in the container and on CI)",
);

/// An input the test read on one side only.
pub const TEST_INPUT_ONE_SIDE: Advice = Advice::plain(
    &["T05", "T06", "T07", "T04"],
    "the test read this input on one side only (other code, flags or environment made it take another path), and the list of inputs a test read is part of its cached result's key",
    "find what makes the test behave differently on the two sides (the other differences listed here, or its flags and environment); the list of inputs follows",
);

/// A file modified less than 2 s before the test ran.
pub const TEST_TOO_NEW: Advice = Advice::plain(
    &["T07"],
    "go test neither stores nor reuses a result when a regular file the test opened was modified less than 2 seconds before the test ran (it might still be changing), so tests run right after a checkout, a copy or a generator step miss",
    "let 2 seconds pass between writing the files a test reads and running it (or give them an older modification time); the next run caches",
);

/// A file go test could not key.
pub const TEST_REJECTED: Advice = Advice::plain(
    &["T07", "T10"],
    "go test neither stores nor reuses a result when it cannot key a file the test read",
    "make the file readable, and stable while the test runs, on both sides (go test gives its reason above)",
);

/// Only a file's modification time differs.
pub const TEST_MTIME: Advice = Advice::plain(
    &["T09", "T06", "T07"],
    "go test keys a cached result on the modification time of each file the test opens or stats (not its content), and a fresh checkout or copy gives every file a new time, so the result is not reused (golang/go#58571)",
    "restore modification times after checkout (git restore-mtime, or touch -d from the commit time for the test data), or accept the re-run",
);

/// The same instant printed in another time zone.
pub const TEST_TIME_ZONE: Advice = Advice::plain(
    &["T09"],
    "go test hashes file modification times as the go command prints them, in its local time zone: these are the same instant in another zone, so the sides ran go test with different TZ",
    "run go test with the same TZ on both sides (for example TZ=UTC)",
);

/// A file the test read exists (or is readable) on one side only.
pub const TEST_FILE_MISSING: Advice = Advice::plain(
    &["T10"],
    "a file the test opened or stat'ed is missing (or unreadable) on one side, and go test hashes the error in its place",
    "make the file exist, or not, alike on both sides",
);

/// A directory the test listed has other entries.
pub const TEST_DIR_ENTRIES: Advice = Advice::plain(
    &["T11"],
    "opening a directory (os.ReadDir, filepath.Walk) keys the result on each entry's name, size, mode and time, so a file added to or removed from the directory (an untracked file in testdata) changes it",
    "give the directory the same contents on both sides (clean the checkout; look for ignored files in testdata)",
);

/// An environment variable unset on one side, set (perhaps empty) on the other.
pub const TEST_ENV_UNSET: Advice = Advice::plain(
    &["T08"],
    "go test tells an unset variable from one set to the empty string: {} is unset on one side and set on the other",
    "unset {} on both sides or set it on both",
);

/// The coverage metadata key (not compared).
pub const COVERAGE_METADATA: Advice = Advice::plain(
    &["T02"],
    "since Go 1.26 a test run with -coverpkg hashes the build keys of the covered packages into a covermeta key, so a change in any covered package runs the test again for its coverage",
    "fix the covered packages' own causes, and pass the same -coverpkg on both sides",
);

/// The generated test main of go list -test (not compared).
pub const TEST_MAIN: Advice = Advice::plain(
    &["X01"],
    "go list -test stores the generated test main in the cache under this key; no build key depends on it, so it never causes a miss",
    "nothing to change for this block",
);
