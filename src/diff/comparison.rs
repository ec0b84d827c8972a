//! The outcome of comparing two logs: one [`Comparison`] value that every renderer reads.

use serde::Serialize;

use super::class::Class;
use super::graph::ActionGraph;
use crate::model::{Attribution, Category, Mode, SideInfo};

/// How the compared keys were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComparisonMode {
    /// Both sides were real builds: dependencies are referenced by their output, and the
    /// knock-on count is exact.
    Exact,
    /// Both sides were dry runs (`go build -n`): the root causes are exact, the knock-on count
    /// an upper bound.
    Dry,
    /// One side each: the root causes compare; knock-on is an upper bound.
    Mixed,
}

impl ComparisonMode {
    /// The mode of a comparison of sides computed in modes `a` and `b` (`None`: not known, and
    /// the log has no dependency reference to tell; such a side does not decide).
    pub fn of(a: Option<Mode>, b: Option<Mode>) -> ComparisonMode {
        match (a.or(b), b.or(a)) {
            (Some(Mode::Dry), Some(Mode::Dry)) => ComparisonMode::Dry,
            (Some(Mode::Exact), Some(Mode::Exact)) | (None, None) => ComparisonMode::Exact,
            (Some(Mode::Dry), Some(Mode::Exact))
            | (Some(Mode::Exact), Some(Mode::Dry))
            | (Some(_), None)
            | (None, Some(_)) => ComparisonMode::Mixed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ComparisonMode::Exact => "exact",
            ComparisonMode::Dry => "dry",
            ComparisonMode::Mixed => "mixed",
        }
    }

    /// Whether a knock-on count can only be an upper bound.
    pub fn knock_on_is_bound(self) -> bool {
        self != ComparisonMode::Exact
    }
}

/// What the comparison says about the cache. The exit status is the verdict's, through the
/// gate ([`super::gate::Gate::decide`]): 0 same, 1 differ or unmatched, 2 inconclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every action was built on both sides, with the same key: the cache would hit.
    Same,
    /// At least one action built on both sides has another key (proven by the printed IDs).
    Differ,
    /// The keys of the actions built on both sides match, but some actions were built on one
    /// side only, so one side's cache cannot answer for them.
    Unmatched,
    /// The comparison cannot be trusted: [`Comparison::doubts`] says why.
    Inconclusive,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::Differ => "differ",
            Verdict::Unmatched => "unmatched",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// One side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::A => "A",
            Side::B => "B",
        }
    }
}

/// The go command a log is of, as far as a comparison needs to tell: commands whose keys are
/// not meant to match (`go vet` and `go test` compile main packages as libraries, `go run`
/// drops debug information).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GoCommand {
    /// `go build`, `go install`.
    Build,
    /// `go run`.
    Run,
    /// `go test` (also `go test -c`).
    Test,
    /// `go vet`.
    Vet,
    /// `go list` (`-export`, `-test`).
    List,
}

impl GoCommand {
    pub fn as_str(self) -> &'static str {
        match self {
            GoCommand::Build => "go build",
            GoCommand::Run => "go run",
            GoCommand::Test => "go test",
            GoCommand::Vet => "go vet",
            GoCommand::List => "go list",
        }
    }
}

/// Why a comparison cannot be trusted: each makes the verdict [`Verdict::Inconclusive`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doubt {
    pub kind: DoubtKind,
    /// One line saying what is wrong and what to do, naming the side by its label.
    pub message: String,
}

/// What kind of doubt, for code that branches on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DoubtKind {
    /// The side's log is cut off (`head`, a CI log's size limit, a killed build): it ends
    /// inside `incomplete` blocks, which are left out of the comparison, at line `last_line`.
    /// `--allow-truncated` turns it into a note ([`Comparison::accept_truncated`]).
    Truncated {
        side: Side,
        last_line: u32,
        incomplete: usize,
    },
    /// The side's go command failed, so it may not have hashed every action it would have.
    BuildFailed { side: Side, status: i32 },
    /// The side's log holds no compile, link or vet key.
    NoActions { side: Side },
    /// No action was built on both sides.
    NothingInCommon,
    /// The logs are of different go commands, whose keys are not meant to match.
    DifferentCommands { a: GoCommand, b: GoCommand },
    /// Actions whose keys differ as printed, but whose blocks are not proven by their SHA-256
    /// (a corrupt or edited log, a block without its result), and nothing proven differs.
    Unproven { actions: Vec<String> },
    /// The test-result keys differ, but the logs do not say of which tested package (no
    /// `testcache:` lines, and the blocks cannot be traced to a test binary).
    TestsUnattributed,
}

impl DoubtKind {
    /// The kind's name on the wire (kebab-case).
    pub fn as_str(&self) -> &'static str {
        match self {
            DoubtKind::Truncated { .. } => "truncated",
            DoubtKind::BuildFailed { .. } => "build-failed",
            DoubtKind::NoActions { .. } => "no-actions",
            DoubtKind::NothingInCommon => "nothing-in-common",
            DoubtKind::DifferentCommands { .. } => "different-commands",
            DoubtKind::Unproven { .. } => "unproven",
            DoubtKind::TestsUnattributed => "tests-unattributed",
        }
    }

    /// The side the doubt is about, when it is about one.
    pub fn side(&self) -> Option<Side> {
        match self {
            DoubtKind::Truncated { side, .. }
            | DoubtKind::BuildFailed { side, .. }
            | DoubtKind::NoActions { side } => Some(*side),
            DoubtKind::NothingInCommon
            | DoubtKind::DifferentCommands { .. }
            | DoubtKind::Unproven { .. }
            | DoubtKind::TestsUnattributed => None,
        }
    }
}

/// How an action's key relates to the other side's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// An input other than a dependency reference differs.
    RootCause,
    /// Only dependency references differ, and each such dependency itself differs.
    KnockOn,
    /// A dependency's output differs although its own key is identical (or it is absent).
    Nondeterministic,
    OnlyA,
    OnlyB,
    /// The printed IDs differ (or one is missing), but a side's block is not proven by its
    /// SHA-256, so what differs is not known: its lines give no cause.
    Unproven,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::RootCause => "root-cause",
            Status::KnockOn => "knock-on",
            Status::Nondeterministic => "nondeterministic",
            Status::OnlyA => "only-a",
            Status::OnlyB => "only-b",
            Status::Unproven => "unproven",
        }
    }
}

/// One token of a token-level comparison of a long value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// `equal`, `a` (only in A) or `b` (only in B).
    pub side: TokenSide,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenSide {
    Equal,
    A,
    B,
}

/// A field of one action whose value differs (`a`/`b` are `None` where the field is absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub field: String,
    pub a: Option<String>,
    pub b: Option<String>,
    /// Which cause explains it (index into `Comparison::causes`); `None` for dependency references.
    pub cause: Option<usize>,
    /// For dependency references: the import path they name.
    pub dependency: Option<String>,
}

/// One input difference shared by one or more actions, with why it matters and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    pub category: Category,
    /// The field as Go names it (`dir`, `GOAMD64`, `modinfo -ldflags`, `CC flags`, …).
    pub field: String,
    pub a: Option<String>,
    pub b: Option<String>,
    /// For paths: the prefix that, rewritten, turns every A value into its B value.
    pub rewrite: Option<(String, String)>,
    /// For long values: which tokens differ.
    pub tokens: Vec<Token>,
    /// Labels of the actions it affects directly (as root causes), in topological order.
    pub actions: Vec<String>,
    /// Why this input is in the key.
    pub why: String,
    /// How to make the two sides agree.
    pub fix: Option<String>,
    /// The rows of `docs/key-inputs.md` the why and fix condense (`B03`, `P1`).
    pub rows: &'static [&'static str],
    /// Related differences folded into this cause (a toolchain change also changes the
    /// standard library's files, -trimpath also drops `dir`, …).
    pub also: Vec<String>,
    /// Position of its first affected action in dependency order (for sorting).
    pub order: usize,
    /// What the cause is about, as code branches on it (`field` is its name).
    pub class: Class,
    /// The outcome of re-running the comparison with the cause's fix applied; `None` when
    /// whymiss did not try (logs from elsewhere, `--no-verify`, keys that are the same).
    pub verification: Option<Verification>,
    /// `whymiss check`: which varied factors produce it (`None` elsewhere).
    pub variation: Option<Attribution>,
}

/// Whether applying a cause's fix made the keys match, as found by re-running the comparison
/// with the fix applied (a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub status: VerifyStatus,
    /// The fix tried, by name (`trimpath`, `env`, `flag`, `toolchain`, `buildvcs`,
    /// `gomodcache`); `None` when none was tried.
    pub fix: Option<&'static str>,
    /// What was changed, as a phrase: `with -trimpath on both sides`.
    pub change: Option<String>,
    /// The cause's actions.
    pub actions: usize,
    /// Of those, how many still have an input of their own that differs (`not-enough`).
    pub still_differ: usize,
    /// Of those, how many differ only through dependencies after the fix.
    pub through_dependencies: usize,
    /// The causes of the re-run comparison that still touch the cause's actions: category and
    /// field.
    pub remaining: Vec<(Category, String)>,
    /// The sentence the report prints.
    pub message: String,
}

/// The outcome of a fix's verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerifyStatus {
    /// With the fix, no action of the cause has an input of its own that differs.
    Verified,
    /// With the fix, some action of the cause still differs in an input of its own.
    NotEnough,
    /// No mechanical fix: it needs the source edited, or only a real build can check it.
    NotTried,
    /// The re-run could not be made or failed.
    Failed,
}

impl VerifyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyStatus::Verified => "verified",
            VerifyStatus::NotEnough => "not-enough",
            VerifyStatus::NotTried => "not-tried",
            VerifyStatus::Failed => "failed",
        }
    }
}

/// One action that is not identical on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDiff {
    /// The block name exactly as Go printed it.
    pub name: String,
    /// The name plus ` [test]` / ` #n` where needed to tell same-name actions apart.
    pub label: String,
    pub kind: &'static str,
    pub status: Status,
    pub a_id: Option<String>,
    pub b_id: Option<String>,
    pub differences: Vec<Difference>,
    /// Labels of the differing dependencies that changed this action's inputs.
    pub caused_by: Vec<String>,
    /// Either side's block could not be verified by SHA-256.
    pub unverified: bool,
}

/// Counts for the headline, all of actions (a cause may touch several actions; the number of
/// causes is `Comparison::causes.len()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Actions present on both sides: `same` + `differ`.
    pub compared: usize,
    pub same: usize,
    /// `root_cause` + `knock_on` + `nondeterministic` + `unproven`.
    pub differ: usize,
    pub only_a: usize,
    pub only_b: usize,
    /// Actions with an input of their own that differs.
    pub root_cause: usize,
    pub knock_on: usize,
    pub nondeterministic: usize,
    /// Actions whose printed IDs differ but whose blocks are not proven.
    pub unproven: usize,
    /// `knock_on` counts actions that differ through a reference that names a dependency's key
    /// (a dry run): a real build may stop at a dependency whose output did not change, so it
    /// is an upper bound.
    pub knock_on_upper_bound: bool,
}

/// A setting that differs between how the two sides were produced (from live runs or capture
/// headers): the go binary, a go env value, the directory, an override, the arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingDiff {
    pub setting: String,
    pub a: Option<String>,
    pub b: Option<String>,
}

/// Everything a renderer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub a: SideInfo,
    pub b: SideInfo,
    /// Dry runs, real builds, or one of each.
    pub mode: ComparisonMode,
    pub verdict: Verdict,
    /// Why the verdict is inconclusive (empty otherwise).
    pub doubts: Vec<Doubt>,
    pub summary: Summary,
    /// Settings that differ between the sides, shown first.
    pub settings: Vec<SettingDiff>,
    /// Root causes in dependency order: the first divergent action's first.
    pub causes: Vec<Cause>,
    /// Every action that is not identical, root causes first, in dependency order.
    pub actions: Vec<ActionDiff>,
    /// Every compared action, identical ones too, with the dependency edges between them.
    pub graph: ActionGraph,
    pub notes: Vec<String>,
    /// At least one side's build failed, so some actions may be missing.
    pub partial: bool,
}

impl Comparison {
    /// `--allow-truncated`: a side cut off is no longer a doubt but a note, and the verdict is
    /// what the complete actions say (the incomplete ones are left out either way). Actions the
    /// cut-off log never reached are still actions built on one side only, so a log cut short
    /// of the other is `unmatched`, never `same`.
    pub fn accept_truncated(&mut self) {
        let (cut, kept): (Vec<Doubt>, Vec<Doubt>) = std::mem::take(&mut self.doubts)
            .into_iter()
            .partition(|d| matches!(d.kind, DoubtKind::Truncated { .. }));
        self.doubts = kept;
        for doubt in cut {
            self.notes
                .insert(0, super::doubts::truncation_note(&doubt.message));
        }
        self.verdict = super::doubts::verdict(&self.doubts, &self.summary);
    }

    /// The packages of the actions a cause affects, each once: the import path after the
    /// block's kind (`build example.com/x` → `example.com/x`), a test binary (`link
    /// example.com/x.test`) and an external test package (`example.com/x_test`) counted as
    /// their package's.
    pub fn cause_packages(&self, cause: &Cause) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for label in &cause.actions {
            let name = self
                .actions
                .iter()
                .find(|a| a.label == *label)
                .map_or(label.as_str(), |a| a.name.as_str());
            let Some((_, subject)) = name.split_once(' ') else {
                continue;
            };
            let subject = subject.trim_end_matches(" [test]");
            let package = subject
                .strip_suffix(".test")
                .or_else(|| subject.strip_suffix("_test"))
                .unwrap_or(subject);
            if !package.is_empty() && !package.contains(' ') && !out.iter().any(|p| p == package) {
                out.push(package.to_string());
            }
        }
        out
    }

    /// Categories present among the causes.
    pub fn categories(&self) -> Vec<Category> {
        let mut cats: Vec<Category> = self.causes.iter().map(|c| c.category).collect();
        cats.sort();
        cats.dedup();
        cats
    }
}
