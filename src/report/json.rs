//! The JSON report of a comparison (schema_version 1, documented in docs/json-schema.md and
//! docs/report.schema.json). Built from view structs of its own, so internal refactors never
//! change the wire format.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::diff::gate::{Decision, Gate};
use crate::diff::{Comparison, SettingDiff, Summary, Token};
use crate::model::SideInfo;

#[derive(Serialize)]
struct ReportJson<'r> {
    schema_version: u32,
    kind: &'static str,
    verdict: &'static str,
    a: SideJson<'r>,
    b: SideJson<'r>,
    summary: &'r Summary,
    settings: &'r [SettingDiff],
    causes: Vec<CauseJson<'r>>,
    actions: Vec<ActionJson<'r>>,
    notes: &'r [String],
    partial: bool,
    gate: GateJson,
}

#[derive(Serialize)]
struct SideJson<'r> {
    label: &'r str,
    source: &'r str,
    go_version: Option<&'r str>,
    go_binary: Option<&'r str>,
    dir: Option<&'r str>,
    go_env: &'r BTreeMap<String, String>,
    env_overrides: &'r BTreeMap<String, String>,
    args: &'r [String],
    host: Option<&'r str>,
    time: Option<&'r str>,
    exit_status: Option<i32>,
    error_tail: &'r [String],
}

#[derive(Serialize)]
struct CauseJson<'r> {
    category: &'static str,
    field: &'r str,
    a: Option<&'r str>,
    b: Option<&'r str>,
    actions: Vec<&'r str>,
    why: &'r str,
    fix: Option<&'r str>,
    rewrite: Option<RewriteJson<'r>>,
    tokens: &'r [Token],
    also: &'r [String],
}

#[derive(Serialize)]
struct RewriteJson<'r> {
    a: &'r str,
    b: &'r str,
}

#[derive(Serialize)]
struct ActionJson<'r> {
    name: &'r str,
    label: &'r str,
    kind: &'static str,
    status: &'static str,
    a_id: Option<&'r str>,
    b_id: Option<&'r str>,
    differences: Vec<DifferenceJson<'r>>,
    caused_by: Vec<&'r str>,
    unverified: bool,
}

#[derive(Serialize)]
struct DifferenceJson<'r> {
    field: &'r str,
    a: Option<&'r str>,
    b: Option<&'r str>,
    cause: Option<usize>,
    dependency: Option<&'r str>,
}

#[derive(Serialize)]
struct GateJson {
    fail_on: Vec<&'static str>,
    ignore: Vec<&'static str>,
    failing: Vec<&'static str>,
    ignored: Vec<&'static str>,
    exit_code: i32,
}

fn side(s: &SideInfo) -> SideJson<'_> {
    SideJson {
        label: &s.label,
        source: &s.source,
        go_version: s.go_version.as_deref(),
        go_binary: s.go_binary.as_deref(),
        dir: s.dir.as_deref(),
        go_env: &s.go_env,
        env_overrides: &s.env_overrides,
        args: &s.args,
        host: s.host.as_deref(),
        time: s.time.as_deref(),
        exit_status: s.exit_status,
        error_tail: &s.error_tail,
    }
}

pub fn write_report(
    w: &mut dyn Write,
    r: &Comparison,
    gate: &Gate,
    decision: &Decision,
) -> io::Result<()> {
    // Causes and caused_by name actions by their block name, as Go printed it.
    let name_of: HashMap<&str, &str> = r
        .actions
        .iter()
        .map(|a| (a.label.as_str(), a.name.as_str()))
        .collect();
    fn names<'r>(labels: &'r [String], name_of: &HashMap<&'r str, &'r str>) -> Vec<&'r str> {
        let mut out: Vec<&str> = Vec::new();
        for l in labels {
            let n = name_of.get(l.as_str()).copied().unwrap_or(l.as_str());
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
    let cats = |v: &[crate::diff::Category]| v.iter().map(|c| c.as_str()).collect::<Vec<_>>();
    let doc = ReportJson {
        schema_version: SCHEMA_VERSION,
        kind: "compare",
        verdict: match r.verdict {
            crate::diff::Verdict::Same => "same",
            crate::diff::Verdict::Differ => "differ",
        },
        a: side(&r.a),
        b: side(&r.b),
        summary: &r.summary,
        settings: &r.settings,
        causes: r
            .causes
            .iter()
            .map(|c| CauseJson {
                category: c.category.as_str(),
                field: &c.field,
                a: c.a.as_deref(),
                b: c.b.as_deref(),
                actions: names(&c.actions, &name_of),
                why: &c.why,
                fix: c.fix.as_deref(),
                rewrite: c.rewrite.as_ref().map(|(a, b)| RewriteJson { a, b }),
                tokens: &c.tokens,
                also: &c.also,
            })
            .collect(),
        actions: r
            .actions
            .iter()
            .map(|a| ActionJson {
                name: &a.name,
                label: &a.label,
                kind: a.kind,
                status: a.status.as_str(),
                a_id: a.a_id.as_deref(),
                b_id: a.b_id.as_deref(),
                differences: a
                    .differences
                    .iter()
                    .map(|d| DifferenceJson {
                        field: &d.field,
                        a: d.a.as_deref(),
                        b: d.b.as_deref(),
                        cause: d.cause,
                        dependency: d.dependency.as_deref(),
                    })
                    .collect(),
                caused_by: names(&a.caused_by, &name_of),
                unverified: a.unverified,
            })
            .collect(),
        notes: &r.notes,
        partial: r.partial,
        gate: GateJson {
            fail_on: cats(&gate.fail_on),
            ignore: cats(&gate.ignore),
            failing: cats(&decision.failing),
            ignored: cats(&decision.ignored),
            exit_code: decision.exit_code,
        },
    };
    super::write_json_doc(w, &doc)
}
