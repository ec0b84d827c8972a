//! The graph part of a page: every compared action (or every action of one log) as a node with
//! its dependencies, status and group, and its inputs on both sides in key order with
//! `explain`'s note for each. Texts and notes are stored once and referenced by index: a build
//! of 2,000 packages repeats the same `import fmt …` line in hundreds of keys.

use rustc_hash::FxHashMap;

use super::view::{GraphView, GroupView, InputRow, LegendView, NodeView, NoteView};
use crate::diff::{self, ActionGraph, Comparison, GraphNode, Source, Status};
use crate::explain::{self, Note, Portability};
use crate::model::{Action, BuildLog, Field, Input, TestInput, TestRun};
use crate::report::escape;

/// Above this many actions outside the standard library, unchanged ones start folded.
const FOLD_UNCHANGED_ABOVE: usize = 300;

/// The legend of a comparison, in the order the page lists it.
const COMPARISON_LEGEND: [LegendView; 6] = [
    LegendView {
        status: "root-cause",
        label: "root cause",
        description: "an input of its own differs",
    },
    LegendView {
        status: "knock-on",
        label: "knock-on",
        description: "differs only because a dependency's output changed",
    },
    LegendView {
        status: "nondeterministic",
        label: "nondeterministic",
        description: "a dependency's output differs although its key does not",
    },
    LegendView {
        status: "same",
        label: "same",
        description: "the same key on both sides: a cache hit",
    },
    LegendView {
        status: "only-a",
        label: "only in A",
        description: "built on side A only",
    },
    LegendView {
        status: "only-b",
        label: "only in B",
        description: "built on side B only",
    },
];

/// The legend of one log (`explain`).
const LOG_LEGEND: [LegendView; 2] = [
    LegendView {
        status: "machine-specific",
        label: "machine-specific",
        description: "its key holds an input that differs on another machine (a path, a clock)",
    },
    LegendView {
        status: "portable",
        label: "portable",
        description: "no machine-specific input: the same on any machine set up alike",
    },
];

const STD_GROUP: GroupView = GroupView {
    name: "std",
    label: "standard library",
    collapsed: true,
};

fn status_name(status: Option<Status>) -> &'static str {
    match status {
        None => "same",
        Some(s) => s.as_str(),
    }
}

/// The graph of a comparison of `logs` (A's, B's).
pub(crate) fn comparison_graph(r: &Comparison, logs: [&BuildLog<'_>; 2]) -> GraphView {
    let mut b = Builder::new(vec![r.a.label.clone(), r.b.label.clone()]);
    b.view.legend = COMPARISON_LEGEND.to_vec();
    // The standard library starts folded unless something in it differs (a toolchain change,
    // GOAMD64): then that is where the root causes are.
    let std_differs = r
        .graph
        .nodes
        .iter()
        .any(|n| n.status.is_some() && is_standard(n.package.as_deref()));
    b.view.groups = vec![GroupView {
        collapsed: !std_differs,
        ..STD_GROUP
    }];
    let std_group = Some(0);
    let outside_std = r
        .graph
        .nodes
        .iter()
        .filter(|n| !is_standard(n.package.as_deref()))
        .count();
    let same_group = if r.graph.nodes.iter().any(|n| n.status.is_none()) {
        b.view.groups.push(GroupView {
            name: "same",
            label: "unchanged",
            collapsed: outside_std > FOLD_UNCHANGED_ABOVE,
        });
        Some(1)
    } else {
        None
    };
    for node in &r.graph.nodes {
        let diff = node.diff.map(|d| &r.actions[d]);
        let mut causes: Vec<usize> = diff
            .into_iter()
            .flat_map(|d| d.differences.iter().filter_map(|x| x.cause))
            .collect();
        causes.sort_unstable();
        causes.dedup();
        let group = if is_standard(node.package.as_deref()) {
            std_group
        } else if node.status.is_none() {
            same_group
        } else {
            None
        };
        let ids = [(node.a, logs[0]), (node.b, logs[1])]
            .iter()
            .map(|(src, log)| src.and_then(|s| key_of(log, s)))
            .collect();
        let inputs = b.inputs(node, logs);
        let unverified = diff.is_some_and(|d| d.unverified);
        b.view.nodes.push(NodeView {
            label: escape(&node.label).into_owned(),
            kind: node.kind,
            status: status_name(node.status),
            group,
            deps: node.deps.clone(),
            caused_by: node.caused_by.clone(),
            causes,
            ids,
            unverified,
            inputs,
        });
    }
    b.finish()
}

/// The graph of one log (`explain`), and the nodes it was made from.
pub(super) fn log_graph(log: &BuildLog<'_>, label: &str) -> (GraphView, ActionGraph) {
    let graph = ActionGraph::of_log(log);
    let mut b = Builder::new(vec![label.to_string()]);
    b.view.legend = LOG_LEGEND.to_vec();
    b.view.groups = vec![STD_GROUP];
    for node in &graph.nodes {
        let inputs = b.inputs(node, [log, log]);
        let specific = inputs.iter().any(|row| {
            row.note_a >= 0
                && b.view.notes[row.note_a as usize].portability
                    == Portability::MachineSpecific.as_str()
        });
        b.view.nodes.push(NodeView {
            label: escape(&node.label).into_owned(),
            kind: node.kind,
            status: if specific {
                "machine-specific"
            } else {
                "portable"
            },
            group: is_standard(node.package.as_deref()).then_some(0),
            deps: node.deps.clone(),
            caused_by: Vec::new(),
            causes: Vec::new(),
            ids: vec![node.a.and_then(|s| key_of(log, s))],
            unverified: matches!(node.a, Some(Source::Action(i)) if !log.actions[i].is_verified()),
            inputs,
        });
    }
    (b.finish(), graph)
}

/// A standard-library package: the first element of its import path has no dot
/// (`cmd/go/internal/search`, `IsStandardImportPath`), except the names go gives packages of
/// files listed on the command line.
fn is_standard(package: Option<&str>) -> bool {
    let Some(p) = package else { return false };
    let first = p.split('/').next().unwrap_or_default();
    !first.contains('.') && !matches!(first, "command-line-arguments" | "main")
}

/// The key a source printed: the action ID, or a tested package's result key.
fn key_of(log: &BuildLog<'_>, source: Source) -> Option<String> {
    match source {
        Source::Action(i) => log.actions[i].id.map(|d| d.to_string()),
        Source::TestRun(i) => log.tests.runs[i].test_id.map(|d| d.to_string()),
    }
}

/// Builds a [`GraphView`], storing each text and note once.
struct Builder {
    view: GraphView,
    strings: FxHashMap<String, u32>,
    notes: FxHashMap<NoteView, i32>,
}

impl Builder {
    fn new(sides: Vec<String>) -> Builder {
        Builder {
            view: GraphView {
                sides: sides.iter().map(|s| escape(s).into_owned()).collect(),
                ..GraphView::default()
            },
            strings: FxHashMap::default(),
            notes: FxHashMap::default(),
        }
    }

    fn finish(self) -> GraphView {
        self.view
    }

    fn string(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.strings.get(text) {
            return i;
        }
        let i = self.view.strings.len() as u32;
        let shown = escape(text).into_owned();
        self.view.strings.push(shown);
        self.strings.insert(text.to_string(), i);
        i
    }

    fn opt_string(&mut self, text: Option<&str>) -> i32 {
        text.map_or(-1, |t| self.string(t) as i32)
    }

    fn note(&mut self, note: &Note) -> i32 {
        let view = note_view(note);
        if let Some(&i) = self.notes.get(&view) {
            return i;
        }
        let i = self.view.notes.len() as i32;
        self.view.notes.push(view.clone());
        self.notes.insert(view, i);
        i
    }

    /// Both notes of a row: B's only where it says something else than A's.
    fn notes_of(&mut self, a: Option<Note>, b: Option<Note>) -> (i32, i32) {
        match (a, b) {
            (Some(a), Some(b)) if a == b => (self.note(&a), -1),
            (Some(a), Some(b)) => (self.note(&a), self.note(&b)),
            (Some(a), None) => (self.note(&a), -1),
            (None, Some(b)) => (self.note(&b), -1),
            (None, None) => (-1, -1),
        }
    }

    /// A node's inputs, both sides lined up in key order.
    fn inputs(&mut self, node: &GraphNode, logs: [&BuildLog<'_>; 2]) -> Vec<InputRow> {
        match (node.a, node.b) {
            (Some(Source::Action(x)), Some(Source::Action(y))) => {
                self.action_rows(Some(&logs[0].actions[x]), Some(&logs[1].actions[y]))
            }
            (Some(Source::Action(x)), None) => self.action_rows(Some(&logs[0].actions[x]), None),
            (None, Some(Source::Action(y))) => self.action_rows(None, Some(&logs[1].actions[y])),
            (a, b) => {
                let run = |src: Option<Source>, log: &BuildLog<'_>| match src {
                    Some(Source::TestRun(i)) => log.tests.runs.get(i).cloned(),
                    Some(Source::Action(_)) | None => None,
                };
                let (x, y) = (run(a, logs[0]), run(b, logs[1]));
                self.test_rows(x.as_ref(), y.as_ref())
            }
        }
    }

    fn action_rows(&mut self, a: Option<&Action<'_>>, b: Option<&Action<'_>>) -> Vec<InputRow> {
        let rows: Vec<(Option<&Field<'_>>, Option<&Field<'_>>)> = match (a, b) {
            (Some(a), Some(b)) => diff::line_up(a, b),
            (Some(a), None) => a.fields.iter().map(|f| (Some(f), None)).collect(),
            (None, Some(b)) => b.fields.iter().map(|f| (None, Some(f))).collect(),
            (None, None) => Vec::new(),
        };
        let mut out = Vec::with_capacity(rows.len() + 1);
        // The salt comes first in every key.
        let (sa, sb) = (a.map(|x| x.salt.as_ref()), b.map(|x| x.salt.as_ref()));
        let salt = self.note(&explain::salt_note());
        let (ta, tb) = (self.opt_string(sa), self.opt_string(sb));
        out.push(InputRow {
            key: self.string("salt"),
            a: ta,
            b: tb,
            note_a: salt,
            subject_a: -1,
            note_b: -1,
            subject_b: -1,
            differs: a.is_some() && b.is_some() && ta != tb,
        });
        for (fa, fb) in rows {
            let any = fa.or(fb).expect("a row has a side");
            let key = self.string(&any.key());
            let ta = self.opt_string(fa.map(|f| f.text.as_ref()));
            let tb = self.opt_string(fb.map(|f| f.text.as_ref()));
            let (na, sa) = fa.map(note_template).unzip();
            let (nb, sb) = fb.map(note_template).unzip();
            let (na, nb) = self.notes_of(na, nb);
            let (sa, sb) = (non_empty(sa.as_deref()), non_empty(sb.as_deref()));
            // B's subject only where it is another (a file's path in a moved checkout).
            let (sa, sb) = match (sa, sb) {
                (Some(x), Some(y)) if x != y => (self.string(x) as i32, self.string(y) as i32),
                (x, y) => (self.opt_string(x.or(y)), -1),
            };
            let differs = a.is_some() && b.is_some() && ta != tb;
            out.push(InputRow {
                key,
                a: ta,
                b: tb,
                note_a: na,
                subject_a: sa,
                note_b: nb,
                subject_b: sb,
                differs,
            });
        }
        out
    }

    /// A tested package's result key: the test binary and flags, then what the test read,
    /// lined up by operation and name.
    fn test_rows(&mut self, a: Option<&TestRun>, b: Option<&TestRun>) -> Vec<InputRow> {
        let both = a.is_some() && b.is_some();
        let mut out = Vec::new();
        let binary = self.note(&explain::test_binary_note());
        for (key, get) in [
            (
                "test binary",
                (|r: &TestRun| r.binary_id.clone()) as fn(&TestRun) -> _,
            ),
            ("test flags", |r: &TestRun| Some(r.args.join(" "))),
        ] {
            let ta = self.opt_string(a.and_then(get).as_deref());
            let tb = self.opt_string(b.and_then(get).as_deref());
            let key = self.string(key);
            out.push(InputRow {
                key,
                a: ta,
                b: tb,
                note_a: binary,
                subject_a: -1,
                note_b: -1,
                subject_b: -1,
                differs: both && ta != tb,
            });
        }
        let inputs = |r: Option<&TestRun>| -> Vec<TestInput> {
            let mut seen: Vec<TestInput> = Vec::new();
            for i in r.into_iter().flat_map(|r| &r.inputs) {
                if !seen.contains(i) {
                    seen.push(i.clone());
                }
            }
            seen
        };
        let (ia, ib) = (inputs(a), inputs(b));
        let name = |i: &TestInput| format!("{} {}", i.op.as_str(), i.name);
        let mut keys: Vec<String> = ia.iter().map(name).collect();
        for k in ib.iter().map(name) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys {
            let xs: Vec<&TestInput> = ia.iter().filter(|i| name(i) == k).collect();
            let ys: Vec<&TestInput> = ib.iter().filter(|i| name(i) == k).collect();
            for n in 0..xs.len().max(ys.len()) {
                let (x, y) = (xs.get(n).copied(), ys.get(n).copied());
                let key = self.string(&k);
                let ta = self.opt_string(x.map(diff::describe_test_input).as_deref());
                let tb = self.opt_string(y.map(diff::describe_test_input).as_deref());
                let (na, nb) = self.notes_of(
                    x.map(explain::annotate_test_input),
                    y.map(explain::annotate_test_input),
                );
                out.push(InputRow {
                    key,
                    a: ta,
                    b: tb,
                    note_a: na,
                    subject_a: -1,
                    note_b: nb,
                    subject_b: -1,
                    differs: both && ta != tb,
                });
            }
        }
        out
    }
}

/// A field's note as a template and its subject. A file is named by its name, as the row's
/// key names it, where `explain` names its absolute path: the path is the package's `dir`,
/// and a page of a large build would hold every path once more.
fn note_template(field: &Field<'_>) -> (Note, String) {
    let (note, subject) = explain::annotate_template(field);
    match &field.input {
        Input::File(f) => (note, f.name.to_string()),
        _ => (note, subject),
    }
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

/// The view of a note.
pub(super) fn note_view(n: &Note) -> NoteView {
    NoteView {
        what: escape(&n.what).into_owned(),
        origin: n.origin.as_str(),
        portability: n.portability.as_str(),
        knob: n.knob.as_deref().map(|k| escape(k).into_owned()),
    }
}
