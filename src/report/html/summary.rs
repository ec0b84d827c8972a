//! The parts of a page a reader needs without JavaScript, as views: the sides, the verdict and
//! counts, the settings that differ, each cause, the knock-on changes, a demo's scenario, and
//! `explain`'s overview and anatomy. The sentences are the text report's.

use rustc_hash::FxHashMap;

use super::graph::note_view;
use super::view::{
    ActionRef, AnatomyRow, AnatomyView, CauseView, ComparisonView, FailedSideView,
    InputSummaryView, OverviewView, ScenarioView, SettingView, SideView, TokenView, ValuesView,
    VerificationView,
};
use crate::demo::DemoRun;
use crate::diff::gate::Decision;
use crate::diff::{Cause, Comparison, Status, TokenSide, Verdict, changed_with_context};
use crate::explain::{self, Explanation};
use crate::model::SideInfo;
use crate::report::demo::{check_parts, module_name};
use crate::report::escape;
use crate::report::text::{headline_text, side_description};

/// How many equal tokens are kept around a change in a long value.
const TOKEN_CONTEXT: usize = 3;

fn text(s: &str) -> String {
    escape(s).into_owned()
}

/// A value for display: absent and empty values are named.
fn shown(v: Option<&str>) -> String {
    match v {
        None => "(absent)".into(),
        Some("") => "(empty)".into(),
        Some(v) => text(v),
    }
}

fn side(name: &'static str, info: &SideInfo) -> SideView {
    SideView {
        name,
        description: text(&side_description(name, info)),
        go_version: text(info.go_version.as_deref().unwrap_or("go version unknown")),
    }
}

/// Side A and side B of a comparison.
pub(super) fn sides(r: &Comparison) -> Vec<SideView> {
    vec![side("A", &r.a), side("B", &r.b)]
}

/// The sides, verdict, settings, causes and lists of a comparison.
pub(super) fn comparison(r: &Comparison, decision: &Decision) -> ComparisonView {
    let nodes: FxHashMap<&str, usize> = r
        .graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.label.as_str(), i))
        .collect();
    let action_ref = |label: &str| ActionRef {
        label: text(label),
        node: nodes.get(label).copied(),
    };
    let with_status = |status: Status| -> Vec<ActionRef> {
        r.actions
            .iter()
            .filter(|a| a.status == status)
            .map(|a| action_ref(&a.label))
            .collect()
    };
    let failed = [("A", &r.a), ("B", &r.b)]
        .into_iter()
        .filter(|(_, s)| s.exit_status.is_some_and(|c| c != 0))
        .map(|(name, s)| FailedSideView {
            name,
            exit_status: s.exit_status.unwrap_or_default(),
            tail: s.error_tail.iter().map(|l| text(l)).collect(),
        })
        .collect();
    ComparisonView {
        verdict: match r.verdict {
            Verdict::Same => "same",
            Verdict::Differ => "differ",
            Verdict::Unmatched => "unmatched",
            Verdict::Inconclusive => "inconclusive",
        },
        mode: r.mode.as_str(),
        knock_on_upper_bound: r.summary.knock_on_upper_bound,
        headline: headline_text(r),
        doubts: r.doubts.iter().map(|d| text(&d.message)).collect(),
        failed,
        settings: r
            .settings
            .iter()
            .map(|d| SettingView {
                setting: text(&d.setting),
                a: shown(d.a.as_deref()),
                b: shown(d.b.as_deref()),
            })
            .collect(),
        causes: r
            .causes
            .iter()
            .enumerate()
            .map(|(i, c)| cause(i + 1, c, decision, &action_ref))
            .collect(),
        knock_on: with_status(Status::KnockOn),
        nondeterministic: with_status(Status::Nondeterministic),
        only_a: with_status(Status::OnlyA),
        only_b: with_status(Status::OnlyB),
        notes: r.notes.iter().map(|n| text(n)).collect(),
        ignored: decision.ignored.iter().map(|c| c.as_str()).collect(),
        exit_code: decision.exit_code,
    }
}

fn cause(
    number: usize,
    c: &Cause,
    decision: &Decision,
    action_ref: &dyn Fn(&str) -> ActionRef,
) -> CauseView {
    let values = if let Some((a, b)) = &c.rewrite {
        ValuesView::Rewrite {
            a: text(a),
            b: text(b),
        }
    } else if c.tokens.iter().any(|t| t.side == TokenSide::Equal) && c.a.is_some() && c.b.is_some()
    {
        ValuesView::Tokens {
            tokens: changed_with_context(&c.tokens, TOKEN_CONTEXT)
                .into_iter()
                .map(|t| match t {
                    None => TokenView {
                        side: "gap",
                        text: "…".into(),
                    },
                    Some(t) => TokenView {
                        side: match t.side {
                            TokenSide::Equal => "equal",
                            TokenSide::A => "a",
                            TokenSide::B => "b",
                        },
                        text: text(&t.text),
                    },
                })
                .collect(),
        }
    } else {
        ValuesView::Plain {
            a: shown(c.a.as_deref()),
            b: shown(c.b.as_deref()),
        }
    };
    CauseView {
        number,
        category: c.category.as_str(),
        field: text(&c.field),
        ignored: decision.ignored.contains(&c.category),
        values,
        actions: c.actions.iter().map(|a| action_ref(a)).collect(),
        also: c.also.iter().map(|a| text(a)).collect(),
        why: text(&c.why),
        fix: c.fix.as_deref().map(text),
        verification: c.verification.as_ref().map(|v| VerificationView {
            status: v.status.as_str(),
            message: text(&v.message),
        }),
    }
}

/// A demo's scenario, lesson and check.
pub(super) fn scenario(demo: &DemoRun) -> ScenarioView {
    let x = &demo.scenario;
    let mut steps: Vec<String> = x.setup.iter().map(|s| format!("setup {s}")).collect();
    for side in [&x.a, &x.b] {
        steps.extend(
            side.setup
                .iter()
                .map(|s| format!("before {} {s}", side.label)),
        );
    }
    let (verdict, rest) = check_parts(&demo.check);
    ScenarioView {
        name: text(&x.name),
        title: text(&x.title),
        module: text(&module_name(&x.module)),
        steps: steps.iter().map(|s| text(s)).collect(),
        lesson: text(&x.lesson),
        met: demo.check.met,
        check: (verdict, text(&rest)),
    }
}

/// `explain`'s overview, and the anatomy of its selected keys; `node` finds an action's node
/// by label.
pub(super) fn overview(e: &Explanation, node: &dyn Fn(&str) -> Option<usize>) -> OverviewView {
    let mut anatomy: Vec<AnatomyView> = e
        .actions
        .iter()
        .map(|a| {
            let mut rows = vec![AnatomyRow {
                line: 0,
                text: text(&a.salt),
                note: note_view(&explain::salt_note()),
            }];
            rows.extend(a.fields.iter().map(|f| AnatomyRow {
                line: f.line,
                text: text(&f.text),
                note: note_view(&f.note),
            }));
            AnatomyView {
                label: text(&a.label),
                key: text(a.id.as_deref().unwrap_or("(no result printed)")),
                verified: a.verified,
                node: node(&a.label),
                rows,
            }
        })
        .collect();
    anatomy.extend(e.tests.iter().map(|t| {
        let label = format!("test {}", t.package);
        let mut rows = vec![AnatomyRow {
            line: 0,
            text: text(&format!(
                "test binary {} with flags [{}]",
                t.binary_id.as_deref().unwrap_or("?"),
                t.args.join(" ")
            )),
            note: note_view(&explain::test_binary_note()),
        }];
        rows.extend(t.inputs.iter().map(|(i, note)| AnatomyRow {
            line: 0,
            text: text(&format!("{} {}", i.op.as_str(), i.name)),
            note: note_view(note),
        }));
        AnatomyView {
            key: text(&t.outcome),
            verified: true,
            node: node(&label),
            label: text(&label),
            rows,
        }
    }));
    OverviewView {
        go_versions: if e.go_versions.is_empty() {
            "unknown".into()
        } else {
            text(&e.go_versions.join(", "))
        },
        counts: e
            .counts
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", "),
        mains: e.main_packages.iter().map(|m| text(m)).collect(),
        tested: e.tested_packages.iter().map(|m| text(m)).collect(),
        inputs: e
            .inputs
            .iter()
            .map(|i| InputSummaryView {
                input: text(&i.input),
                portability: i.portability.as_str(),
                what: text(&i.what),
                knob: i.knob.as_deref().map(text),
                actions: i.actions,
            })
            .collect(),
        unknown: e.unknown,
        verdict: text(&e.verdict),
        anatomy,
    }
}

/// The one log of `explain`.
pub(super) fn log_side(source: &str, go_versions: &[String]) -> SideView {
    SideView {
        name: "",
        description: text(source),
        go_version: text(&go_versions.join(", ")),
    }
}
