//! The action graph go writes with `-debug-actiongraph=FILE` (cmd/go/internal/work/action.go,
//! `actionGraphJSON`; written by `(*Builder).Do` in exec.go before the build and again after
//! it), and what each node says about the cache.
//!
//! A node's JSON is built once, before anything runs, so the fields copied then (`Failed`,
//! `Built`, `NeedBuild`) describe the plan. The fields updated while the build runs are the
//! useful ones: `ActionID` (set by `(*Builder).useCache` in buildid.go, `HashToString` of the
//! action ID), `BuildID` (set on a cache hit, or by `updateBuildID` after a successful run) and
//! `Cmd` (every tool invocation, appended by the shell's `runOut`): empty exactly when nothing
//! ran.

use serde::Deserialize;

use crate::model::{ActionKey, Outcome, Work};

/// One node, with the fields whymiss reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub(super) struct Node {
    #[serde(rename = "ID")]
    pub id: i64,
    pub mode: String,
    pub package: String,
    pub deps: Vec<i64>,
    #[serde(rename = "ActionID")]
    pub action_id: String,
    #[serde(rename = "BuildID")]
    pub build_id: String,
    pub cmd: Option<Vec<String>>,
    pub time_start: Option<String>,
    pub time_done: Option<String>,
}

/// Reads a graph file's text.
pub(super) fn parse(bytes: &[u8]) -> Result<Vec<Node>, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// What a node says: a keyed build or link and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KeyedNode {
    pub key: ActionKey,
    pub work: Work,
    /// The block name gocachehash gives the action (`build p`, `link p`).
    pub name: String,
    pub outcome: Outcome,
    pub duration_ms: Option<u64>,
}

/// The keyed build or link a node is, and what became of it:
///
/// | `ActionID` | `Cmd` | `BuildID` | outcome |
/// |---|---|---|---|
/// | set | non-empty | set | ran |
/// | set | non-empty | empty | ran and failed |
/// | set | empty | set | hit (or an up-to-date target) |
/// | set | empty | empty | skipped (a test binary whose result was cached) |
///
/// `None` for nodes without an action ID (not reached because a dependency failed, or a kind
/// go does not key: vet, test runs, 1.26's `build check cache`).
pub(super) fn keyed(node: &Node) -> Option<KeyedNode> {
    let work = match node.mode.as_str() {
        "build" => Work::Build,
        "link" => Work::Link,
        _ => return None,
    };
    let key = ActionKey::from_short_id(&node.action_id)?;
    let ran = node.cmd.as_ref().is_some_and(|c| !c.is_empty());
    let outcome = match (ran, node.build_id.is_empty()) {
        (true, false) => Outcome::Ran,
        (true, true) => Outcome::Failed,
        (false, false) => Outcome::Hit,
        (false, true) => Outcome::Skipped,
    };
    Some(KeyedNode {
        key,
        work,
        name: format!("{} {}", node.mode, node.package),
        outcome,
        duration_ms: duration_ms(node),
    })
}

/// Build and link nodes that had no action ID: go never got to them.
pub(super) fn not_reached(nodes: &[Node]) -> u32 {
    nodes
        .iter()
        .filter(|n| matches!(n.mode.as_str(), "build" | "link") && n.action_id.is_empty())
        .count() as u32
}

/// Whether a compile ran (a miss to explain, whose inputs the dry rerun can show).
pub(super) fn compile_ran(nodes: &[Node]) -> bool {
    nodes
        .iter()
        .filter_map(keyed)
        .any(|k| k.work == Work::Build && k.outcome.ran())
}

/// The packages of `test run` nodes.
pub(super) fn tested_packages(nodes: &[Node]) -> Vec<String> {
    let mut out: Vec<String> = nodes
        .iter()
        .filter(|n| n.mode == "test run")
        .map(|n| n.package.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// From `TimeStart` to `TimeDone`, when the node ran (Go writes the zero time otherwise).
fn duration_ms(node: &Node) -> Option<u64> {
    let parse = |t: &Option<String>| -> Option<jiff::Timestamp> {
        let t: jiff::Timestamp = t.as_deref()?.parse().ok()?;
        (t.as_second() > 0).then_some(t)
    };
    let (start, done) = (parse(&node.time_start)?, parse(&node.time_done)?);
    let ms = done.as_millisecond() - start.as_millisecond();
    u64::try_from(ms).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRAPH: &str = r#"[
      {"ID":0,"Mode":"build","Package":"example.com/a","ActionID":"oy0N1PgGrrRb7vFynNA0","BuildID":"oy0N1PgGrrRb7vFynNA0/x","Cmd":["compile"],
       "TimeStart":"2026-01-01T10:00:00.100Z","TimeDone":"2026-01-01T10:00:00.350Z"},
      {"ID":1,"Mode":"build","Package":"fmt","ActionID":"AAAAAAAAAAAAAAAAAAAA","BuildID":"AAAAAAAAAAAAAAAAAAAA/y","Cmd":null},
      {"ID":2,"Mode":"build","Package":"example.com/bad","ActionID":"BBBBBBBBBBBBBBBBBBBB","Cmd":["compile"]},
      {"ID":3,"Mode":"link","Package":"example.com/a.test","ActionID":"CCCCCCCCCCCCCCCCCCCC","Cmd":null},
      {"ID":4,"Mode":"build","Package":"example.com/dep","Cmd":null,"TimeStart":"0001-01-01T00:00:00Z"},
      {"ID":5,"Mode":"vet","Package":"example.com/a","Cmd":["vet"]},
      {"ID":6,"Mode":"test run","Package":"example.com/a","Deps":[3]}
    ]"#;

    #[test]
    fn nodes_say_ran_hit_failed_and_skipped() {
        let nodes = parse(GRAPH.as_bytes()).unwrap();
        let keyed: Vec<KeyedNode> = nodes.iter().filter_map(keyed).collect();
        let outcomes: Vec<(&str, Outcome)> =
            keyed.iter().map(|k| (k.name.as_str(), k.outcome)).collect();
        assert_eq!(
            outcomes,
            [
                ("build example.com/a", Outcome::Ran),
                ("build fmt", Outcome::Hit),
                ("build example.com/bad", Outcome::Failed),
                ("link example.com/a.test", Outcome::Skipped),
            ]
        );
        assert_eq!(keyed[0].duration_ms, Some(250));
        assert_eq!(keyed[1].duration_ms, None);
        assert_eq!(not_reached(&nodes), 1);
        assert!(compile_ran(&nodes));
        assert_eq!(tested_packages(&nodes), ["example.com/a"]);
    }
}
