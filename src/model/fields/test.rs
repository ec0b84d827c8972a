//! The fields of the test cache's keys (`cmd/go/internal/test/test.go`): the test result
//! (`(*runCache).tryCacheWithID`), the inputs a test read (`computeTestInputsID`) and their
//! nested blocks (`hashGetenv`, `hashOpen`, `hashStat`, `hashWriteStat`), the coverage
//! metadata key, and the generated test main (`cmd/go/internal/list/list.go`, `runList`).

use std::borrow::Cow;

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
    .knob("anything that changes the test binary; -run, -short, -v, -timeout, …"),
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
        .knob("{}"),
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
    .knob("the file, and its modification time"),
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
    ),
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
    about: About::new("value of an environment variable", TestRun, HostDependent),
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
    ),
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
    about: About::new("generated test main (go list -test)", GoCommand, Portable),
};
