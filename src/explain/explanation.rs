//! One log's keys explained: an overview of the machine-specific inputs the whole build's keys
//! depend on, and, for the selected actions and tested packages, every input with its note.

use std::collections::BTreeMap;

use super::annotate::{Note, Origin, Portability, about, annotate, annotate_test_input};

use crate::model::{Action, ActionKind, BuildLog, Field, TestInput, TestRun};

/// One annotated input of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainedField {
    pub line: u32,
    pub key: String,
    pub text: String,
    pub note: Note,
}

/// One action, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainedAction {
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub id: Option<String>,
    pub build_id_prefix: Option<String>,
    pub verified: bool,
    pub salt: String,
    pub fields: Vec<ExplainedField>,
}

/// A tested package's result key, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainedTest {
    pub package: String,
    pub binary_id: Option<String>,
    pub args: Vec<String>,
    /// What `go test` did: cached, ran and stored, or why it missed.
    pub outcome: String,
    pub inputs: Vec<(TestInput, Note)>,
}

/// An input kind that is not portable, with how many actions it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSummary {
    pub input: String,
    pub portability: Portability,
    pub what: String,
    pub knob: Option<String>,
    pub actions: usize,
    /// One value as it appears in the log.
    pub example: String,
}

/// Everything `explain` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub source: String,
    pub go_versions: Vec<String>,
    pub counts: Vec<(&'static str, usize)>,
    pub main_packages: Vec<String>,
    pub tested_packages: Vec<String>,
    /// Machine-specific and host-dependent inputs across the build, most specific first.
    pub inputs: Vec<InputSummary>,
    /// Actions selected by package or name.
    pub actions: Vec<ExplainedAction>,
    pub tests: Vec<ExplainedTest>,
    /// Lines this whymiss does not know (kept, still part of the keys).
    pub unknown: usize,
    pub verdict: String,
    /// Every action by a name `select` accepts (`--list`; empty unless asked for).
    pub listed: Vec<ListedAction>,
    /// Whether the fields' line numbers are lines of a log the user has (not of a live
    /// build's output, which nobody kept).
    pub log_lines: bool,
}

/// An action as `explain --list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedAction {
    /// The name to give `explain`: the block name, plus ` [test]` or ` #n` when needed.
    pub label: String,
    pub kind: &'static str,
    pub id: Option<String>,
}

/// The actions `explain` can explain input by input, in log order: those whose key is a
/// build output's (compile, link, vet, …).
pub fn list(log: &BuildLog<'_>) -> Vec<ListedAction> {
    log.actions
        .iter()
        .filter(|a| a.kind.keys_build_output())
        .map(|a| ListedAction {
            label: a.label(),
            kind: a.kind.as_str(),
            id: a.short_id(),
        })
        .collect()
}

/// The name under which the overview groups an input: the field table's overview name (all
/// the tool versions are one `toolchain version`), else its key.
fn overview_name(field: &Field<'_>) -> String {
    match field.spec.about.overview {
        Some(name) => name.to_string(),
        None => field.key().into_owned(),
    }
}

/// Explains a log. `select` names packages or actions to explain input by input.
pub fn explain(source: &str, log: &BuildLog<'_>, select: &[String]) -> Explanation {
    let keyed_actions: Vec<&Action<'_>> = log
        .actions
        .iter()
        .filter(|a| a.kind.keys_build_output())
        .collect();
    let counts = log
        .counts_by_kind()
        .into_iter()
        .map(|(k, n)| (k.as_str(), n))
        .collect();
    let main_packages: Vec<String> = log
        .actions
        .iter()
        .filter(|a| a.kind == ActionKind::Link)
        .filter_map(|a| a.package().map(str::to_string))
        .filter(|p| !p.ends_with(".test"))
        .collect();
    let tested_packages = log.tests.runs.iter().map(|r| r.package.clone()).collect();
    let (inputs, unknown) = overview(&keyed_actions, log);
    let verdict = verdict(&inputs);

    let mut actions = Vec::new();
    let mut tests = Vec::new();
    for wanted in select {
        for a in log.actions.iter().filter(|a| selects(a, wanted)) {
            actions.push(explain_action(a));
        }
        for run in log.tests.runs.iter().filter(|r| &r.package == wanted) {
            tests.push(explain_test(run));
        }
    }
    Explanation {
        source: source.to_string(),
        go_versions: log.go_versions.iter().map(|v| v.to_string()).collect(),
        counts,
        main_packages,
        tested_packages,
        inputs,
        actions,
        tests,
        unknown,
        verdict,
        listed: Vec::new(),
        log_lines: true,
    }
}

/// The overview: the inputs that are not portable, by how many actions they reach, most
/// specific first; and how many lines of the keys whymiss does not know.
fn overview(keyed_actions: &[&Action<'_>], log: &BuildLog<'_>) -> (Vec<InputSummary>, usize) {
    let mut summary: BTreeMap<(Portability, String), (Note, usize, String)> = BTreeMap::new();
    let mut unknown = 0;
    for a in keyed_actions {
        let mut seen_here: Vec<String> = Vec::new();
        for f in &a.fields {
            let about = about(f);
            if about.origin == Origin::Unknown {
                unknown += 1;
            }
            if about.portability == Portability::Portable {
                continue;
            }
            let name = overview_name(f);
            if seen_here.contains(&name) {
                continue;
            }
            seen_here.push(name.clone());
            let entry = summary.entry((about.portability, name)).or_insert_with(|| {
                let mut note = annotate(f);
                if note.origin == Origin::Toolchain {
                    // The overview speaks of all the tools at once.
                    note.what = "versions of the compiler, linker, assembler, cgo and vet: one \
                                 Go release must build both sides"
                        .into();
                    note.knob = Some("the Go release (go.mod toolchain line, GOTOOLCHAIN)".into());
                }
                (note, 0, f.text.to_string())
            });
            entry.1 += 1;
        }
    }
    // Test inputs read by file path and mtime are machine-specific too.
    let test_files: usize = log
        .tests
        .runs
        .iter()
        .filter(|r| r.inputs.iter().any(|i| i.op != crate::model::InputOp::Env))
        .count();
    if test_files > 0 {
        let example = log
            .tests
            .runs
            .iter()
            .flat_map(|r| &r.inputs)
            .find(|i| i.op != crate::model::InputOp::Env)
            .map(|i| format!("{} {}", i.op.as_str(), i.name))
            .unwrap_or_default();
        summary.insert(
            (Portability::MachineSpecific, "test file inputs".into()),
            (
                Note {
                    what: "files tests read, by absolute path, size and modification time".into(),
                    origin: Origin::TestRun,
                    portability: Portability::MachineSpecific,
                    knob: Some(
                        "keep tests from reading files whose mtime changes; same checkout path"
                            .into(),
                    ),
                    dependency: None,
                },
                test_files,
                example,
            ),
        );
    }
    let mut inputs: Vec<InputSummary> = summary
        .into_iter()
        .map(
            |((portability, input), (note, actions, example))| InputSummary {
                input,
                portability,
                what: note.what,
                knob: note.knob,
                actions,
                example,
            },
        )
        .collect();
    inputs.sort_by(|x, y| {
        (
            std::cmp::Reverse(x.portability),
            std::cmp::Reverse(x.actions),
            &x.input,
        )
            .cmp(&(
                std::cmp::Reverse(y.portability),
                std::cmp::Reverse(y.actions),
                &y.input,
            ))
    });
    (inputs, unknown)
}

/// One sentence: which machine-specific inputs the build's keys depend on.
fn verdict(inputs: &[InputSummary]) -> String {
    let machine: Vec<&str> = inputs
        .iter()
        .filter(|i| i.portability == Portability::MachineSpecific)
        .map(|i| i.input.as_str())
        .collect();
    if machine.is_empty() {
        "this build's keys depend on no machine-specific input: the same sources, toolchain and \
         settings give the same keys on any machine"
            .to_string()
    } else {
        format!(
            "this build's keys depend on {} machine-specific input{}: {}",
            machine.len(),
            if machine.len() == 1 { "" } else { "s" },
            machine.join(", ")
        )
    }
}

/// `wanted` is a package (its build, link and vet), a block name or a label.
fn selects(a: &Action<'_>, wanted: &str) -> bool {
    if a.name == wanted || a.label() == wanted {
        return true;
    }
    a.kind.keys_build_output()
        && a.package()
            .is_some_and(|p| p == wanted || p == format!("{wanted}.test"))
}

/// Whether `wanted` names anything in the log.
pub fn found(log: &BuildLog<'_>, wanted: &str) -> bool {
    log.actions.iter().any(|a| selects(a, wanted))
        || log.tests.runs.iter().any(|r| r.package == wanted)
}

fn explain_action(a: &Action<'_>) -> ExplainedAction {
    ExplainedAction {
        name: a.name.to_string(),
        label: a.label(),
        kind: a.kind.as_str(),
        id: a.id.map(|d| d.to_string()),
        build_id_prefix: a.short_id(),
        verified: a.is_verified(),
        salt: a.salt.to_string(),
        fields: a
            .fields
            .iter()
            .map(|f| ExplainedField {
                line: f.line,
                key: f.key().into_owned(),
                text: f.text.to_string(),
                note: annotate(f),
            })
            .collect(),
    }
}

fn explain_test(run: &TestRun) -> ExplainedTest {
    let outcome = if run.cached {
        "the result came from the test cache (cached)".to_string()
    } else if let Some(miss) = &run.miss {
        format!(
            "not cached: {miss}{}",
            if run.saved {
                "; the test ran and its result was stored"
            } else {
                ""
            }
        )
    } else if run.saved {
        "the test ran and its result was stored".to_string()
    } else {
        "no test-cache decision in the log".to_string()
    };
    ExplainedTest {
        package: run.package.clone(),
        binary_id: run.binary_id.clone(),
        args: run.args.clone(),
        outcome,
        inputs: {
            // A test often reads the same variable or file many times; each read is a line of
            // its input list, but one explanation is enough.
            let mut inputs: Vec<(TestInput, Note, usize)> = Vec::new();
            for i in &run.inputs {
                match inputs.iter_mut().find(|(x, _, _)| x == i) {
                    Some(seen) => seen.2 += 1,
                    None => inputs.push((i.clone(), annotate_test_input(i), 1)),
                }
            }
            inputs
                .into_iter()
                .map(|(i, mut note, n)| {
                    if n > 1 {
                        note.what.push_str(&format!(" (read {n} times)"));
                    }
                    (i, note)
                })
                .collect()
        },
    }
}
