//! The test-result cache: for each tested package, the key of its cached result (the test
//! binary's ID and the cacheable flags, `testResult`) and the run-time inputs the test read
//! (`testInputs` and its nested `getenv`/`open`/`stat` blocks), with what `go test` decided
//! (`testcache:` lines). In `cmd/go/internal/test/test.go`: `(*runCache).tryCacheWithID` keys
//! the result and prints the decisions, `computeTestInputsID` hashes what the test read.

use super::{Digest, StatInfo};

/// One tested package in one log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TestRun {
    pub package: String,
    /// `HashToString` of the `link <pkg>.test` action ID: names the test binary.
    pub binary_id: Option<String>,
    /// The first-level key, `HASH[testResult]`: binary ID + cacheable flags.
    pub test_id: Option<Digest>,
    /// The cacheable `-test.*` flags in the key (`-test.run=…`, `-test.timeout=10m0s`, …).
    pub args: Vec<String>,
    /// `-exec` command, when used.
    pub execcmd: Vec<String>,
    /// The second-level key, `HASH[testInputs]`: what the test read at run time.
    pub inputs_id: Option<Digest>,
    pub inputs: Vec<TestInput>,
    /// The result came from the cache (`(cached)`).
    pub cached: bool,
    /// The test ran and its result was stored.
    pub saved: bool,
    /// Why the cache did not have the result, in `go test`'s words.
    pub miss: Option<String>,
    /// Why the result could be neither looked up nor stored: a file the test read was rejected
    /// (`input file <path>: file used as input is too new`, modified within 2 s of the run).
    pub rejected: Option<RejectedInput>,
    /// Lines of the `testcache:` events about this package.
    pub lines: Vec<u32>,
}

/// A file `go test` refused to key a result on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedInput {
    pub path: String,
    /// In `go test`'s words (`file used as input is too new`).
    pub reason: String,
}

impl RejectedInput {
    /// The file was modified less than 2 s (`modTimeCutoff`) before the test read it.
    pub fn too_new(&self) -> bool {
        self.reason.contains("too new")
    }
}

/// An input a test read, as recorded in its input list (`testlog`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestInput {
    pub op: InputOp,
    /// Variable name, or absolute path.
    pub name: String,
    /// Hash of the nested block (`getenv`, `stat`, `open`).
    pub hash: Digest,
    pub detail: InputDetail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputOp {
    /// `os.Getenv`/`LookupEnv`.
    Env,
    /// `os.Chdir`.
    Chdir,
    /// `os.Stat`/`Lstat`.
    Stat,
    /// `os.Open` of a file or directory.
    Open,
}

impl InputOp {
    pub fn as_str(self) -> &'static str {
        match self {
            InputOp::Env => "env",
            InputOp::Chdir => "chdir",
            InputOp::Stat => "stat",
            InputOp::Open => "open",
        }
    }
}

/// What the nested block says about the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputDetail {
    /// The variable is not set.
    Unset,
    /// The variable's value.
    Value(String),
    /// The variable's value, redacted: the first 12 hex digits of its SHA-256.
    Redacted(String),
    /// Size, mode, modification time (local time of the go command), directory flag.
    Stat(StatInfo<'static>),
    /// A directory: its own stat and each entry's.
    Dir {
        stat: StatInfo<'static>,
        entries: Vec<(String, Option<StatInfo<'static>>)>,
    },
    /// The open or stat failed.
    Error(String),
    /// The nested block is not in the log.
    NotPrinted,
}

/// Test-cache facts that hold for the whole `go test` run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TestCache {
    pub runs: Vec<TestRun>,
    /// Why caching was off for the whole run: `-test.count=1` (a non-cacheable argument), or
    /// `local directory mode` (go test without package arguments).
    pub disabled: Vec<String>,
}
