//! `BuildLog`: everything one gocachehash log says — actions, file hashes, subkeys, test-cache
//! decisions — and what was skipped on the way.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::Digest;
use super::action::{Action, ActionKind};
use super::text::Text;

/// `HASH <path>: <hex>`: the content hash of a file, printed the first time a process hashes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHash<'a> {
    pub line: u32,
    pub path: Text<'a>,
    pub sum: Digest,
}

/// `HASH <path>: <error>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHashError<'a> {
    pub line: u32,
    pub path: Text<'a>,
    pub error: Text<'a>,
}

/// `HASH subkey <parent> "<desc>" = <out>`: a key derived from an action ID (cached stdout,
/// generated files, test outputs). Not part of any action ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subkey<'a> {
    pub line: u32,
    pub parent: Digest,
    pub desc: Text<'a>,
    pub out: Digest,
    /// `sha256("subkey:" + parent + desc) == out`.
    pub verified: bool,
}

/// A `testcache:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCacheLine<'a> {
    pub line: u32,
    pub event: TestCacheEvent<'a>,
}

/// What a `testcache:` line says (`(*runCache).tryCacheWithID`, `(*runCache).saveOutput` and
/// `computeTestInputsID` in `cmd/go/internal/test/test.go` print them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestCacheEvent<'a> {
    /// `go test` without package arguments never caches.
    DisabledLocalDirectory,
    DisabledOutsideModule {
        package: Text<'a>,
    },
    /// A flag outside the cacheable set (`-count=1`, `-coverprofile`, …).
    DisabledByArgument {
        argument: Text<'a>,
    },
    /// `test ID <hex of the 20-char id> => <testResult hex>`.
    TestId {
        package: Text<'a>,
        binary_id: Text<'a>,
        test_id: Digest,
    },
    /// `test ID <hex> => input ID <hex> => <key>`: looking up the result for these inputs.
    InputsLookup {
        package: Text<'a>,
        test_id: Digest,
        inputs_id: Digest,
        key: Digest,
    },
    InputListNotFound {
        package: Text<'a>,
        detail: Text<'a>,
    },
    InputListMalformed {
        package: Text<'a>,
        detail: Option<Text<'a>>,
    },
    /// `input file <path>: <reason>` (e.g. "file used as input is too new").
    InputFileRejected {
        package: Text<'a>,
        path: Text<'a>,
        reason: Text<'a>,
    },
    CoverProfileMissing {
        package: Text<'a>,
        detail: Text<'a>,
    },
    CoverageMetadataChanged {
        package: Text<'a>,
        detail: Text<'a>,
    },
    OutputNotFound {
        package: Text<'a>,
        detail: Text<'a>,
    },
    OutputMalformed {
        package: Text<'a>,
    },
    OutputExpired {
        package: Text<'a>,
    },
    TestlogUnreadable {
        package: Text<'a>,
        detail: Text<'a>,
    },
    CoverProfileUnreadable {
        package: Text<'a>,
        detail: Text<'a>,
    },
    /// `save test ID <hex> => input ID <hex> => <key>`: the test ran and its result was stored.
    Save {
        package: Text<'a>,
        test_id: Digest,
        inputs_id: Digest,
        key: Digest,
    },
    Other(Text<'a>),
}

impl TestCacheEvent<'_> {
    /// The package the line is about, when it names one.
    pub fn package(&self) -> Option<&str> {
        use TestCacheEvent::*;
        match self {
            DisabledLocalDirectory | DisabledByArgument { .. } | Other(_) => None,
            DisabledOutsideModule { package }
            | TestId { package, .. }
            | InputsLookup { package, .. }
            | InputListNotFound { package, .. }
            | InputListMalformed { package, .. }
            | InputFileRejected { package, .. }
            | CoverProfileMissing { package, .. }
            | CoverageMetadataChanged { package, .. }
            | OutputNotFound { package, .. }
            | OutputMalformed { package }
            | OutputExpired { package }
            | TestlogUnreadable { package, .. }
            | CoverProfileUnreadable { package, .. }
            | Save { package, .. } => Some(package),
        }
    }
}

/// Counts of what the parser read and what it left aside.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogStats {
    pub bytes: u64,
    pub lines: u64,
    /// Lines of gocachehash output (`HASH…`).
    pub hash_lines: u64,
    pub test_cache_lines: u64,
    /// Lines that are not gocachehash output (compiler errors, `-x` traces, test output).
    pub skipped_lines: u64,
    /// The first few skipped lines: (line number, text).
    pub skipped_examples: Vec<(u32, String)>,
    /// gocachehash lines found after a log collector's prefix (timestamps and the like).
    pub decorated_lines: u64,
    /// `HASH[moduleIndex]` lines and blocks: package-loading index, not in any action key.
    pub module_index_lines: u64,
    pub module_index_blocks: u64,
    /// Compile or link blocks with the same name and verified key as an earlier one (`go install`
    /// hashes an up-to-date link twice); kept once.
    pub duplicate_blocks: u64,
}

/// How a log ends before the go command finished writing it (`head -n`, `head -c`, a killed
/// build, a CI log cut at its size limit): see [`BuildLog::truncated`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Truncation {
    /// The number of the log's last line, counted like every other line number of the log
    /// (1-based, from the start of the bytes given to the parser).
    pub last_line: u32,
    /// The last line stops without a newline in the middle of a gocachehash line (a `HASH` or
    /// `testcache:` line that does not end as such a line ends: an unterminated quote, a hex
    /// digest cut short, an opening line). It is left out: not parsed, not counted as noise.
    /// A complete last line that only lacks its newline is parsed as usual.
    pub cut_line: bool,
    /// Indices into [`BuildLog::actions`], in log order, of the actions the log ends inside:
    /// blocks opened and never summed, and blocks written to after their last result (the
    /// lines Go was still writing). Their fields are whatever lines the log holds, not proven
    /// by any SHA-256 (those never summed are unverified, with a reason saying the log ends
    /// first), so they must not be compared as if complete. An action missing from one side
    /// because the log ends before it opens is not listed: it is simply not there. This may
    /// include a `testInputs` or `open` block Go abandoned earlier in the log (a test input
    /// too new to cache, cmd/go/internal/test/test.go, computeTestInputsID), which a cut log
    /// cannot tell from one cut off.
    pub incomplete: Vec<usize>,
}

impl Truncation {
    /// `it ends at line 501 in the middle of a line inside 1 block`: where and how the log is
    /// cut off, for one line of a report.
    pub fn describe(&self) -> String {
        format!(
            "it ends at line {}{}{}",
            self.last_line,
            if self.cut_line {
                " in the middle of a line"
            } else {
                ""
            },
            match self.incomplete.len() {
                0 => String::new(),
                1 => " inside 1 block".to_string(),
                n => format!(" inside {n} blocks"),
            }
        )
    }
}

/// A parsed gocachehash log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BuildLog<'a> {
    /// Salts seen (the go command's version), in order of first appearance. More than one only
    /// in a concatenation of logs from several toolchains.
    pub go_versions: Vec<Text<'a>>,
    /// Actions in the order their blocks opened.
    pub actions: Vec<Action<'a>>,
    pub file_hashes: Vec<FileHash<'a>>,
    pub file_errors: Vec<FileHashError<'a>>,
    pub subkeys: Vec<Subkey<'a>>,
    pub test_cache: Vec<TestCacheLine<'a>>,
    /// The test-result cache per tested package, linked from `test_cache` and the test blocks.
    pub tests: super::TestCache,
    pub stats: LogStats,
    /// `Some` when the log ends before the go command finished writing it: its last line is
    /// cut (see [`Truncation::cut_line`]), or it ends inside a block Go always finishes (every
    /// kind but `testInputs` and `open`, which Go abandons on some errors). `None` for a log
    /// that ends between blocks, even if cut there: nothing in the log shows it.
    pub truncated: Option<Truncation>,
}

impl<'a> BuildLog<'a> {
    /// The go command's version (`go1.27.3`), from the first salt.
    pub fn go_version(&self) -> Option<&str> {
        self.go_versions.first().map(|v| v.as_ref())
    }

    /// Actions whose label (name, ` [test]`, ` #n`) or name is `name`.
    pub fn find(&self, name: &str) -> Vec<&Action<'a>> {
        let by_label: Vec<_> = self.actions.iter().filter(|a| a.label() == name).collect();
        if !by_label.is_empty() {
            return by_label;
        }
        self.actions.iter().filter(|a| a.name == name).collect()
    }

    /// Number of actions per kind, in display order.
    pub fn counts_by_kind(&self) -> BTreeMap<ActionKind, usize> {
        let mut counts = BTreeMap::new();
        for a in &self.actions {
            *counts.entry(a.kind).or_insert(0) += 1;
        }
        counts
    }

    /// Actions whose lines are not proven by their SHA-256.
    pub fn unverified(&self) -> impl Iterator<Item = &Action<'a>> {
        self.actions.iter().filter(|a| !a.is_verified())
    }

    /// Whether the log ends inside action `index` (of `actions`): see [`Truncation::incomplete`].
    pub fn is_incomplete(&self, index: usize) -> bool {
        self.truncated
            .as_ref()
            .is_some_and(|t| t.incomplete.binary_search(&index).is_ok())
    }

    /// Actions by action ID (the digest printed as their result).
    pub fn by_id(&self) -> FxHashMap<Digest, &Action<'a>> {
        self.actions
            .iter()
            .filter_map(|a| a.id.map(|id| (id, a)))
            .collect()
    }
}
