//! The graph of a comparison: every compared action, identical ones too, with the dependency
//! edges between them, for renderers that draw how a root cause spreads through the build.

use rustc_hash::FxHashMap;

use super::comparison::Status;
use super::order::{compared_actions, dependencies};
use crate::model::BuildLog;

/// Where a node's key is in a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An index into `BuildLog::actions`.
    Action(usize),
    /// An index into `BuildLog::tests.runs` (a tested package's result key).
    TestRun(usize),
}

/// One compared action or tested package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphNode {
    /// As [`ActionDiff::label`](super::ActionDiff::label): the block name, told apart from
    /// same-name actions.
    pub label: String,
    pub kind: &'static str,
    /// The import path of a build, link or vet; the package of a test result.
    pub package: Option<String>,
    /// `None` when the key is the same on both sides.
    pub status: Option<Status>,
    /// Its key in side A's log and side B's (`None` on a side that lacks it).
    pub a: Option<Source>,
    pub b: Option<Source>,
    /// The nodes whose output its key names (indices into [`ActionGraph::nodes`]), sorted.
    pub deps: Vec<usize>,
    /// The differing dependencies that changed its key (a subset of `deps`), sorted.
    pub caused_by: Vec<usize>,
    /// Its entry in `Comparison::actions` when it is not identical.
    pub diff: Option<usize>,
}

/// Every compared action, in the order of the pairs (A's log order, then B's unmatched
/// actions), then the tested packages whose results differ.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionGraph {
    pub nodes: Vec<GraphNode>,
}

impl ActionGraph {
    /// The graph of one log, every node without a status: what `explain` draws. The nodes are
    /// its build output keys in log order, then its tested packages.
    pub fn of_log(log: &BuildLog<'_>) -> ActionGraph {
        let (acts, index) = compared_actions(log);
        let pairs: Vec<(Option<usize>, Option<usize>)> =
            (0..acts.len()).map(|i| (Some(i), None)).collect();
        let deps = dependencies(&pairs, &acts, &[]);
        let mut nodes: Vec<GraphNode> = acts
            .iter()
            .zip(index)
            .zip(deps)
            .map(|((act, i), deps)| GraphNode {
                label: act.label(),
                kind: act.kind.as_str(),
                package: act.package().map(str::to_string),
                status: None,
                a: Some(Source::Action(i)),
                b: None,
                deps,
                caused_by: Vec::new(),
                diff: None,
            })
            .collect();
        let binaries = test_binaries(acts.iter().map(|a| {
            (a.kind == crate::model::ActionKind::Link)
                .then(|| a.package())
                .flatten()
        }));
        for (i, run) in log.tests.runs.iter().enumerate() {
            nodes.push(GraphNode {
                label: format!("test {}", run.package),
                kind: "test",
                package: Some(run.package.clone()),
                status: None,
                a: Some(Source::TestRun(i)),
                b: None,
                deps: binaries
                    .get(run.package.as_str())
                    .copied()
                    .into_iter()
                    .collect(),
                caused_by: Vec::new(),
                diff: None,
            });
        }
        ActionGraph { nodes }
    }
}

/// The test binaries among nodes given as the package each one links (`None` for nodes that
/// are no link): the node of `link p.test`, by the tested package `p`.
pub(super) fn test_binaries<'n>(
    links: impl Iterator<Item = Option<&'n str>>,
) -> FxHashMap<&'n str, usize> {
    links
        .enumerate()
        .filter_map(|(i, p)| Some((p?.strip_suffix(".test")?, i)))
        .collect()
}
