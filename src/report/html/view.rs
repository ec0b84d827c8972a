//! The HTML report's view model: what a page shows, as plain serde structs. The template
//! (`assets/report/report.html`) renders from them the parts a reader needs without
//! JavaScript (the sides, the verdict, the settings, the causes, a demo's scenario, `explain`'s
//! overview and the anatomy of the selected keys); the page embeds the whole model as JSON for
//! `assets/report/report.js`, which draws the graph and shows inputs side by side.
//!
//! Every text from a log or from how a side was produced is passed through
//! [`escape`](crate::report::escape) here, once: neither the template nor the script ever shows
//! an invisible or control character raw (the template then escapes HTML, the script sets
//! `textContent`).

use serde::Serialize;

/// Version of the embedded model, which `report.js` checks: raised when a field changes
/// meaning or goes, so a page never runs a script that misreads it.
pub(crate) const MODEL_VERSION: u32 = 1;

/// One page. A command fills the parts it has; the template shows the parts that are there.
#[derive(Debug, Serialize)]
pub(crate) struct PageView {
    pub version: u32,
    /// What made the page: `compare` (also the default check and `diff`), `demo`, `explain`.
    pub kind: &'static str,
    /// The document's title.
    pub title: String,
    /// The sides, as the report's first lines name them.
    pub sides: Vec<SideView>,
    /// `demo`: the scenario, its lesson and whether whymiss found what it expects.
    pub scenario: Option<ScenarioView>,
    /// A comparison: verdict, settings, causes, knock-on changes, notes.
    pub comparison: Option<ComparisonView>,
    /// `explain`: one build's keys, overview and selected actions.
    pub overview: Option<OverviewView>,
    pub graph: GraphView,
}

/// A side: `A`/`B` (or empty for `explain`'s one log), what it is, its go version.
#[derive(Debug, Serialize)]
pub(crate) struct SideView {
    pub name: &'static str,
    pub description: String,
    pub go_version: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ComparisonView {
    /// `same`, `differ`, `unmatched` or `inconclusive`.
    pub verdict: &'static str,
    /// Why the verdict is `inconclusive`, one sentence each.
    pub doubts: Vec<String>,
    /// How the keys were computed: `exact` (real builds), `dry` (`go build -n`), `mixed`.
    pub mode: &'static str,
    /// The knock-on count is an upper bound (dry keys reference dependencies by their key, not
    /// their output).
    pub knock_on_upper_bound: bool,
    /// The verdict and counts in a sentence, as the text report's headline.
    pub headline: String,
    /// Sides whose go command failed (the comparison is partial).
    pub failed: Vec<FailedSideView>,
    pub settings: Vec<SettingView>,
    pub causes: Vec<CauseView>,
    /// Actions that differ only because a dependency's output changed.
    pub knock_on: Vec<ActionRef>,
    pub nondeterministic: Vec<ActionRef>,
    pub only_a: Vec<ActionRef>,
    pub only_b: Vec<ActionRef>,
    pub notes: Vec<String>,
    /// Categories present that the gate does not fail on (`--ignore`, `--fail-on`).
    pub ignored: Vec<&'static str>,
    pub exit_code: i32,
}

#[derive(Debug, Serialize)]
pub(crate) struct FailedSideView {
    pub name: &'static str,
    pub exit_status: i32,
    pub tail: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SettingView {
    pub setting: String,
    pub a: String,
    pub b: String,
}

/// One root cause, as the text report shows it.
#[derive(Debug, Serialize)]
pub(crate) struct CauseView {
    /// 1-based, as the page numbers it (`cause-1`).
    pub number: usize,
    pub category: &'static str,
    pub field: String,
    /// The gate ignores its category.
    pub ignored: bool,
    pub values: ValuesView,
    /// The actions it changes directly (as root causes), in dependency order.
    pub actions: Vec<ActionRef>,
    pub also: Vec<String>,
    pub why: String,
    pub fix: Option<String>,
    /// Whether the fix, applied in a dry re-run, made the keys match (live runs).
    pub verification: Option<VerificationView>,
}

/// A fix's verification: `verified`, `not-enough`, `not-tried` or `failed`, and the text
/// report's sentence.
#[derive(Debug, Serialize)]
pub(crate) struct VerificationView {
    pub status: &'static str,
    pub message: String,
}

/// How a cause's two values are shown.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub(crate) enum ValuesView {
    /// A path rewrite: the prefix of A's values that became B's.
    Rewrite { a: String, b: String },
    /// A long value with something in common: its tokens, the changed ones in context.
    Tokens { tokens: Vec<TokenView> },
    /// Each side's value (`(absent)`, `(empty)` where there is none).
    Plain { a: String, b: String },
}

#[derive(Debug, Serialize)]
pub(crate) struct TokenView {
    /// `equal`, `a` (only in A), `b` (only in B), or `gap` (equal tokens left out).
    pub side: &'static str,
    pub text: String,
}

/// An action named in the summary, and its node in the graph.
#[derive(Debug, Serialize)]
pub(crate) struct ActionRef {
    pub label: String,
    pub node: Option<usize>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ScenarioView {
    pub name: String,
    pub title: String,
    pub module: String,
    /// The setup steps: `setup …` for both sides, `before B …` for one.
    pub steps: Vec<String>,
    pub lesson: String,
    /// Whymiss found exactly what the scenario expects.
    pub met: bool,
    /// `as expected:` or `NOT AS EXPECTED:`, and the rest of the sentence.
    pub check: (&'static str, String),
}

/// `explain`: one log's keys.
#[derive(Debug, Serialize)]
pub(crate) struct OverviewView {
    pub go_versions: String,
    /// `93 build, 3 link`.
    pub counts: String,
    pub mains: Vec<String>,
    pub tested: Vec<String>,
    /// The inputs that are not the same on every machine, most specific first.
    pub inputs: Vec<InputSummaryView>,
    /// Lines whymiss does not know (still part of the keys).
    pub unknown: usize,
    pub verdict: String,
    /// The selected actions and tested packages, input by input.
    pub anatomy: Vec<AnatomyView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct InputSummaryView {
    pub input: String,
    pub portability: &'static str,
    pub what: String,
    pub knob: Option<String>,
    pub actions: usize,
}

/// One key, input by input, for reading without the graph.
#[derive(Debug, Serialize)]
pub(crate) struct AnatomyView {
    pub label: String,
    /// The key (action ID); for a tested package, what `go test` did with its result.
    pub key: String,
    pub verified: bool,
    pub node: Option<usize>,
    pub rows: Vec<AnatomyRow>,
}

#[derive(Debug, Serialize)]
pub(crate) struct AnatomyRow {
    /// The line in the log (0 where there is none: the salt, a test input).
    pub line: u32,
    pub text: String,
    pub note: NoteView,
}

/// The graph and, for each node, its inputs: what `report.js` draws.
#[derive(Debug, Default, Serialize)]
pub(crate) struct GraphView {
    /// The sides' labels: two for a comparison, one for `explain`.
    pub sides: Vec<String>,
    /// The statuses nodes may have, in legend order.
    pub legend: Vec<LegendView>,
    /// Groups of nodes the page can fold into one (the standard library, unchanged
    /// actions).
    pub groups: Vec<GroupView>,
    pub nodes: Vec<NodeView>,
    /// The texts of input rows (keys and lines), each once: rows hold indices into it.
    pub strings: Vec<String>,
    /// The notes of input rows, each once.
    pub notes: Vec<NoteView>,
    /// The node whose inputs the page opens with.
    pub open: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LegendView {
    /// The status name, also the CSS class of its nodes.
    pub status: &'static str,
    pub label: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct GroupView {
    pub name: &'static str,
    pub label: &'static str,
    /// Folded when the page opens.
    pub collapsed: bool,
}

/// One action or tested package. Empty lists, no group and `unverified: false` are left out
/// of the JSON: a large build has thousands of nodes.
#[derive(Debug, Serialize)]
pub(crate) struct NodeView {
    pub label: String,
    pub kind: &'static str,
    /// A [`LegendView::status`].
    pub status: &'static str,
    /// Index into [`GraphView::groups`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<usize>,
    /// The nodes whose output its key names.
    pub deps: Vec<usize>,
    /// The differing dependencies that changed its key.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub caused_by: Vec<usize>,
    /// Indices into the comparison's causes (0-based) of its own differences.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<usize>,
    /// The key on each side (`None` where the side lacks the action or printed no result).
    pub ids: Vec<Option<String>>,
    /// A side's block could not be proven by its SHA-256.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    /// Its inputs in key order, the two sides lined up.
    pub inputs: Vec<InputRow>,
}

/// One input of a node on each side. Texts are indices into [`GraphView::strings`], notes into
/// [`GraphView::notes`]; -1 where a side lacks the input, where B's note is A's, or where there
/// is no subject (B's: where it is A's). A note's `{}` stands for the row's subject.
///
/// In the JSON a row is an array, `[key, a, b, note_a, subject_a, note_b, subject_b,
/// differs]`, without its trailing defaults (-1, and 0 for `differs`): a build of 2,000
/// packages has 40,000 rows, most of them `[key, a, b, note_a]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InputRow {
    pub key: u32,
    pub a: i32,
    pub b: i32,
    pub note_a: i32,
    pub subject_a: i32,
    pub note_b: i32,
    pub subject_b: i32,
    /// Both sides have the action and the input's text differs (or one side lacks it).
    pub differs: bool,
}

impl Serialize for InputRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let tail = [
            self.b,
            self.note_a,
            self.subject_a,
            self.note_b,
            self.subject_b,
            i32::from(self.differs),
        ];
        let defaults = [-1, -1, -1, -1, -1, 0];
        let kept = (0..tail.len())
            .rev()
            .find(|&i| tail[i] != defaults[i])
            .map_or(0, |i| i + 1);
        let mut seq = serializer.serialize_seq(Some(2 + kept))?;
        seq.serialize_element(&self.key)?;
        seq.serialize_element(&self.a)?;
        for v in &tail[..kept] {
            seq.serialize_element(v)?;
        }
        seq.end()
    }
}

/// What an input is (`explain`'s note).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub(crate) struct NoteView {
    pub what: String,
    pub origin: &'static str,
    pub portability: &'static str,
    pub knob: Option<String>,
}
