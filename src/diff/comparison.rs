//! The outcome of comparing two logs: one [`Comparison`] value that every renderer reads.

use serde::Serialize;

use super::graph::ActionGraph;
use crate::model::Category;
use crate::model::SideInfo;

/// Are the compared keys the same?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Same,
    Differ,
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
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::RootCause => "root-cause",
            Status::KnockOn => "knock-on",
            Status::Nondeterministic => "nondeterministic",
            Status::OnlyA => "only-a",
            Status::OnlyB => "only-b",
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

/// Counts for the headline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Actions present on both sides.
    pub compared: usize,
    pub same: usize,
    pub differ: usize,
    pub only_a: usize,
    pub only_b: usize,
    pub root_cause: usize,
    pub knock_on: usize,
    pub nondeterministic: usize,
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
    pub verdict: Verdict,
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
    /// Categories present among the causes.
    pub fn categories(&self) -> Vec<Category> {
        let mut cats: Vec<Category> = self.causes.iter().map(|c| c.category).collect();
        cats.sort();
        cats.dedup();
        cats
    }
}
