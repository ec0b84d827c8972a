//! What `whymiss why` found: one value every renderer reads.

use crate::diff::{Comparison, Status};
use crate::model::{BackendRequest, BackendSummary, Outcome, Record, Work};

/// An earlier record, as `why` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    pub id: i64,
    pub started_ms: i64,
    pub command: String,
}

/// Why an action ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The same key was observed in an earlier record, so the inputs did not change: the cache
    /// did not have the entry (evicted or trimmed, never stored or uploaded, another cache, a
    /// cache that was not restored).
    SameKey {
        earlier: RecordRef,
        /// What became of it then (ran and stored, served from the cache, or failed).
        then: Outcome,
        /// The cache program acknowledged storing this key in that record (or a later one)
        /// and now answered a miss: it lost the entry.
        lost_by_backend: Option<i64>,
    },
    /// The key changed since the most recent record in which the action existed: the
    /// comparison with that record (`group`, an index into [`WhyReport::changed`]) says which
    /// input, and whether this action is a root cause or knock-on.
    Changed {
        group: usize,
        status: Option<Status>,
    },
    /// The key changed, but the earlier record holds only the action's key, not its inputs.
    ChangedInputsUnknown { earlier: RecordRef },
    /// The action was never observed before (a new package, a first build), or not in the
    /// record given with `--against`.
    New,
}

impl Reason {
    pub fn as_str(&self) -> &'static str {
        match self {
            Reason::SameKey {
                lost_by_backend: Some(_),
                ..
            } => "lost-by-backend",
            Reason::SameKey { .. } => "same-key",
            Reason::Changed { .. } | Reason::ChangedInputsUnknown { .. } => "key-changed",
            Reason::New => "new",
        }
    }
}

/// One action that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// The invocation (1, 2, …) of the record.
    pub invocation: u32,
    pub name: String,
    /// The label the comparison uses (`build p [test]`).
    pub label: String,
    pub work: Work,
    /// The key in hex (all 32 bytes when known).
    pub key: String,
    pub outcome: Outcome,
    /// go test's words for why it did not use a cached result.
    pub detail: Option<String>,
    pub duration_ms: Option<u64>,
    pub reason: Reason,
}

/// Changed keys of one invocation, compared with one earlier invocation.
#[derive(Debug, Clone)]
pub struct ChangedGroup {
    pub against: RecordRef,
    /// The invocations compared: of the earlier record, of this one.
    pub against_invocation: u32,
    pub invocation: u32,
    /// Restricted to the actions that ran and what caused them.
    pub comparison: Comparison,
}

/// What the cache program did in one invocation, and what `why` makes of it.
#[derive(Debug, Clone)]
pub struct BackendView {
    pub invocation: u32,
    pub summary: BackendSummary,
    /// Keys (actions' or auxiliary entries') the program answered a miss for although it had
    /// acknowledged storing them in an earlier record: (key, that record).
    pub lost: Vec<(BackendRequest, i64)>,
    /// Gets and puts that failed or were never answered.
    pub errors: Vec<BackendRequest>,
    /// Requests slower than [`crate::record::collect::SLOW_US`], slowest first.
    pub slow: Vec<BackendRequest>,
}

/// Counts for the headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WhySummary {
    /// Compiles and test runs (what the cache can serve).
    pub actions: usize,
    pub hits: usize,
    pub ran: usize,
    pub tests: usize,
    pub tests_cached: usize,
    /// Links: `go build` and `go test` never cache executables.
    pub links: usize,
    pub links_ran: usize,
    pub same_key: usize,
    pub lost_by_backend: usize,
    pub changed: usize,
    pub new: usize,
}

/// Everything `why` says about one record.
#[derive(Debug, Clone)]
pub struct WhyReport {
    pub record: Record,
    pub summary: WhySummary,
    /// Every action that ran, in invocation order, compiles before tests.
    pub misses: Vec<Miss>,
    pub changed: Vec<ChangedGroup>,
    pub backends: Vec<BackendView>,
    pub notes: Vec<String>,
}
