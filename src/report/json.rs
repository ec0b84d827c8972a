//! The JSON report of a comparison (schema_version 2, documented in docs/json-schema.md). Built
//! from view structs of its own, so internal refactors never change the wire format; the JSON
//! Schema in docs/report.schema.json is generated from the same structs ([`schema`], `whymiss
//! schema`), and a test fails when the committed file differs from it.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::diff::gate::{CauseGate, Decision, Gate};
use crate::diff::{
    Category, Comparison, ComparisonMode, DoubtKind, Side, Status, TokenSide, Verdict, VerifyStatus,
};
use crate::model::{Attribution, Mode, SideInfo};

/// The document `whymiss compare --format json` (and `whymiss`, `whymiss diff`, `whymiss check`
/// with --format json) writes. Within a schema_version fields may be added; none is renamed or
/// removed without raising the version.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "whymiss comparison report")]
struct ReportJson<'r> {
    #[schemars(schema_with = "schema_version")]
    schema_version: u32,
    #[schemars(schema_with = "kind_compare")]
    kind: &'static str,
    mode: ModeJson,
    verdict: VerdictJson,
    /// Why the verdict is `inconclusive` (empty otherwise).
    doubts: Vec<DoubtJson<'r>>,
    a: SideJson<'r>,
    b: SideJson<'r>,
    summary: SummaryJson,
    settings: Vec<SettingJson<'r>>,
    causes: Vec<CauseJson<'r>>,
    actions: Vec<ActionJson<'r>>,
    notes: &'r [String],
    partial: bool,
    gate: GateJson<'r>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "verdict")]
#[serde(rename_all = "kebab-case")]
enum VerdictJson {
    Same,
    Differ,
    Unmatched,
    Inconclusive,
}

/// Why a comparison cannot be trusted.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "doubt")]
struct DoubtJson<'r> {
    kind: DoubtKindJson,
    /// The side it is about, when it is about one.
    side: Option<SideNameJson>,
    #[schemars(length(min = 1))]
    message: &'r str,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "doubt-kind")]
#[serde(rename_all = "kebab-case")]
enum DoubtKindJson {
    Truncated,
    BuildFailed,
    NoActions,
    NothingInCommon,
    DifferentCommands,
    Unproven,
    TestsUnattributed,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "side-name")]
enum SideNameJson {
    A,
    B,
}

/// How the compared keys were computed: `dry` (both sides `go build -n`), `exact` (real
/// builds), `mixed` (one of each).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "mode")]
#[serde(rename_all = "kebab-case")]
enum ModeJson {
    Dry,
    Exact,
    Mixed,
}

/// How one side's keys were computed, when recorded (live runs, captures).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "side-mode")]
#[serde(rename_all = "kebab-case")]
enum SideModeJson {
    Dry,
    Exact,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "side")]
struct SideJson<'r> {
    label: &'r str,
    source: &'r str,
    go_version: Option<&'r str>,
    go_binary: Option<&'r str>,
    dir: Option<&'r str>,
    go_env: &'r BTreeMap<String, String>,
    env_overrides: &'r BTreeMap<String, String>,
    args: &'r [String],
    mode: Option<SideModeJson>,
    host: Option<&'r str>,
    time: Option<&'r str>,
    exit_status: Option<i32>,
    error_tail: &'r [String],
}

/// Counts of actions (and, in `causes`, of causes): `compared` = `same` + `differ`; `differ` =
/// `root_cause` + `knock_on` + `nondeterministic` + `unproven`.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "summary")]
struct SummaryJson {
    compared: usize,
    same: usize,
    differ: usize,
    only_a: usize,
    only_b: usize,
    /// Actions with an input of their own that differs (status `root-cause`).
    root_cause: usize,
    knock_on: usize,
    nondeterministic: usize,
    unproven: usize,
    /// The number of causes (the length of `causes`).
    causes: usize,
    knock_on_upper_bound: bool,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "setting")]
struct SettingJson<'r> {
    setting: &'r str,
    a: Option<&'r str>,
    b: Option<&'r str>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "cause")]
struct CauseJson<'r> {
    category: CategoryJson,
    field: &'r str,
    a: Option<&'r str>,
    b: Option<&'r str>,
    #[schemars(length(min = 1))]
    actions: Vec<&'r str>,
    #[schemars(length(min = 1))]
    why: &'r str,
    fix: Option<&'r str>,
    rewrite: Option<RewriteJson<'r>>,
    tokens: Vec<TokenJson<'r>>,
    also: &'r [String],
    verification: Option<VerificationJson<'r>>,
    gate: CauseGateJson,
    variation: Option<VariationJson>,
}

/// The outcome of re-running the comparison with the cause's fix applied.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "verification")]
struct VerificationJson<'r> {
    status: VerifyStatusJson,
    fix: Option<&'r str>,
    change: Option<&'r str>,
    actions: usize,
    still_differ: usize,
    through_dependencies: usize,
    remaining: Vec<RemainingJson<'r>>,
    #[schemars(length(min = 1))]
    message: &'r str,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "verify-status")]
#[serde(rename_all = "kebab-case")]
enum VerifyStatusJson {
    Verified,
    NotEnough,
    NotTried,
    Failed,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "remaining")]
struct RemainingJson<'r> {
    category: CategoryJson,
    field: &'r str,
}

/// What the gate decided for one cause: `failing`, `allowed` by a rule (with its reason and
/// where the rule is), or `ignored` (by --ignore/--fail-on, or a variation not made).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "cause-gate")]
struct CauseGateJson {
    state: GateStateJson,
    /// Why it does not fail; `null` when it fails.
    reason: Option<String>,
    /// The rule that allows it (`whymiss.toml:12`, `--preset pr`); `null` unless allowed.
    source: Option<String>,
    /// The fix to show: the rule's fix when it has one that fits the comparison, else the
    /// cause's.
    fix: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "gate-state")]
#[serde(rename_all = "kebab-case")]
enum GateStateJson {
    Failing,
    Allowed,
    Ignored,
}

/// `whymiss check`: the varied factors that produce a cause.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "variation")]
struct VariationJson {
    /// Varying any one of them alone produces the cause (or, with `together`, only all at
    /// once); empty when no single variation reproduced it.
    factors: Vec<FactorJson>,
    together: bool,
}

/// A factor `whymiss check` varies, by its name.
#[derive(Serialize)]
#[serde(transparent)]
struct FactorJson(&'static str);

impl JsonSchema for FactorJson {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "factor".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = crate::model::Factor::ALL
            .iter()
            .map(|f| f.as_str())
            .collect();
        json_schema!({ "enum": names })
    }
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "rewrite")]
struct RewriteJson<'r> {
    a: &'r str,
    b: &'r str,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "token")]
struct TokenJson<'r> {
    side: TokenSideJson,
    text: &'r str,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "token-side")]
#[serde(rename_all = "kebab-case")]
enum TokenSideJson {
    Equal,
    A,
    B,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "action")]
struct ActionJson<'r> {
    name: &'r str,
    label: &'r str,
    kind: &'static str,
    status: StatusJson,
    #[schemars(regex(pattern = "^[0-9a-f]{64}$"))]
    a_id: Option<&'r str>,
    #[schemars(regex(pattern = "^[0-9a-f]{64}$"))]
    b_id: Option<&'r str>,
    differences: Vec<DifferenceJson<'r>>,
    caused_by: Vec<&'r str>,
    unverified: bool,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "status")]
#[serde(rename_all = "kebab-case")]
enum StatusJson {
    RootCause,
    KnockOn,
    Nondeterministic,
    OnlyA,
    OnlyB,
    Unproven,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "difference")]
struct DifferenceJson<'r> {
    field: &'r str,
    a: Option<&'r str>,
    b: Option<&'r str>,
    cause: Option<usize>,
    dependency: Option<&'r str>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "gate")]
struct GateJson<'r> {
    fail_on: Vec<CategoryJson>,
    ignore: Vec<CategoryJson>,
    failing: Vec<CategoryJson>,
    allowed: Vec<CategoryJson>,
    ignored: Vec<CategoryJson>,
    /// Actions built on one side only are allowed (`--preset pr`): why; else `null`.
    one_sided_allowed: Option<String>,
    /// `whymiss check`: the factors it did not vary.
    not_varied: Vec<FactorJson>,
    /// The exit status whymiss ends with: 0 nothing fails, 1 something does, 2 the comparison
    /// cannot be trusted (the verdict is inconclusive: a build failed, a log is cut off, …).
    #[schemars(range(min = 0, max = 2))]
    exit_code: i32,
    /// Why, in one line.
    #[schemars(length(min = 1))]
    reason: &'r str,
}

/// A category by its kebab-case name; the schema lists [`Category::ALL`].
#[derive(Serialize)]
#[serde(transparent)]
struct CategoryJson(&'static str);

impl JsonSchema for CategoryJson {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "category".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        json_schema!({ "enum": names })
    }
}

impl From<Category> for CategoryJson {
    fn from(c: Category) -> CategoryJson {
        CategoryJson(c.as_str())
    }
}

fn schema_version(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "const": SCHEMA_VERSION })
}

fn kind_compare(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "const": "compare" })
}

/// Where the schema is published (its `$id`).
const SCHEMA_ID: &str = "https://github.com/whymiss/whymiss/docs/report.schema.json";

/// The JSON Schema (2020-12) of the comparison report, as committed in docs/report.schema.json.
/// Every field is always written, so every property is required, and no other property is
/// allowed: a field added to the view structs without regenerating the file fails the test.
pub(crate) fn schema() -> serde_json::Value {
    let strict = |schema: &mut Schema| {
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let names: Option<Vec<serde_json::Value>> = object
            .get("properties")
            .and_then(|p| p.as_object())
            .map(|p| p.keys().cloned().map(serde_json::Value::String).collect());
        if let Some(names) = names {
            object.insert("required".into(), names.into());
            object.insert("additionalProperties".into(), false.into());
        }
    };
    let generator = SchemaSettings::draft2020_12()
        .with_transform(RecursiveTransform(strict))
        .into_generator();
    let mut schema = generator.into_root_schema_for::<ReportJson<'static>>();
    if let Some(object) = schema.as_object_mut() {
        object.insert("$id".into(), SCHEMA_ID.into());
    }
    schema.to_value()
}

fn cause_gate(g: &CauseGate, c: &crate::diff::Cause) -> CauseGateJson {
    CauseGateJson {
        state: match g {
            CauseGate::Failing => GateStateJson::Failing,
            CauseGate::Allowed(_) => GateStateJson::Allowed,
            CauseGate::Ignored(_) => GateStateJson::Ignored,
        },
        reason: match g {
            CauseGate::Allowed(a) => Some(a.reason.clone()),
            other => other.reason(),
        },
        source: match g {
            CauseGate::Allowed(a) => Some(a.source.clone()),
            _ => None,
        },
        fix: g.fix(c).map(str::to_string),
    }
}

fn variation(v: &Attribution) -> VariationJson {
    VariationJson {
        factors: v.factors.iter().map(|f| FactorJson(f.as_str())).collect(),
        together: v.together,
    }
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
        mode: s.mode.map(|m| match m {
            Mode::Dry => SideModeJson::Dry,
            Mode::Exact => SideModeJson::Exact,
        }),
        host: s.host.as_deref(),
        time: s.time.as_deref(),
        exit_status: s.exit_status,
        error_tail: &s.error_tail,
    }
}

pub(crate) fn write_report(
    w: &mut dyn Write,
    r: &Comparison,
    gate: &Gate,
    decision: &Decision,
) -> io::Result<()> {
    super::write_json_doc(w, &document(r, gate, decision))
}

/// The comparison document as a JSON value, for documents that embed one (`why`'s).
pub(crate) fn report_value(r: &Comparison, gate: &Gate, decision: &Decision) -> serde_json::Value {
    serde_json::to_value(document(r, gate, decision)).unwrap_or_default()
}

fn document<'r>(r: &'r Comparison, gate: &Gate, decision: &'r Decision) -> ReportJson<'r> {
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
    let cats = |v: &[Category]| v.iter().map(|&c| c.into()).collect::<Vec<CategoryJson>>();
    ReportJson {
        schema_version: SCHEMA_VERSION,
        kind: "compare",
        mode: match r.mode {
            ComparisonMode::Dry => ModeJson::Dry,
            ComparisonMode::Exact => ModeJson::Exact,
            ComparisonMode::Mixed => ModeJson::Mixed,
        },
        verdict: match r.verdict {
            Verdict::Same => VerdictJson::Same,
            Verdict::Differ => VerdictJson::Differ,
            Verdict::Unmatched => VerdictJson::Unmatched,
            Verdict::Inconclusive => VerdictJson::Inconclusive,
        },
        doubts: r
            .doubts
            .iter()
            .map(|d| DoubtJson {
                kind: match d.kind {
                    DoubtKind::Truncated { .. } => DoubtKindJson::Truncated,
                    DoubtKind::BuildFailed { .. } => DoubtKindJson::BuildFailed,
                    DoubtKind::NoActions { .. } => DoubtKindJson::NoActions,
                    DoubtKind::NothingInCommon => DoubtKindJson::NothingInCommon,
                    DoubtKind::DifferentCommands { .. } => DoubtKindJson::DifferentCommands,
                    DoubtKind::Unproven { .. } => DoubtKindJson::Unproven,
                    DoubtKind::TestsUnattributed => DoubtKindJson::TestsUnattributed,
                },
                side: d.kind.side().map(|s| match s {
                    Side::A => SideNameJson::A,
                    Side::B => SideNameJson::B,
                }),
                message: &d.message,
            })
            .collect(),
        a: side(&r.a),
        b: side(&r.b),
        summary: SummaryJson {
            compared: r.summary.compared,
            same: r.summary.same,
            differ: r.summary.differ,
            only_a: r.summary.only_a,
            only_b: r.summary.only_b,
            root_cause: r.summary.root_cause,
            knock_on: r.summary.knock_on,
            nondeterministic: r.summary.nondeterministic,
            unproven: r.summary.unproven,
            causes: r.causes.len(),
            knock_on_upper_bound: r.summary.knock_on_upper_bound,
        },
        settings: r
            .settings
            .iter()
            .map(|s| SettingJson {
                setting: &s.setting,
                a: s.a.as_deref(),
                b: s.b.as_deref(),
            })
            .collect(),
        causes: r
            .causes
            .iter()
            .enumerate()
            .map(|(i, c)| CauseJson {
                category: c.category.into(),
                field: &c.field,
                a: c.a.as_deref(),
                b: c.b.as_deref(),
                actions: names(&c.actions, &name_of),
                why: &c.why,
                fix: c.fix.as_deref(),
                rewrite: c.rewrite.as_ref().map(|(a, b)| RewriteJson { a, b }),
                tokens: c
                    .tokens
                    .iter()
                    .map(|t| TokenJson {
                        side: match t.side {
                            TokenSide::Equal => TokenSideJson::Equal,
                            TokenSide::A => TokenSideJson::A,
                            TokenSide::B => TokenSideJson::B,
                        },
                        text: &t.text,
                    })
                    .collect(),
                also: &c.also,
                verification: c.verification.as_ref().map(|v| VerificationJson {
                    status: match v.status {
                        VerifyStatus::Verified => VerifyStatusJson::Verified,
                        VerifyStatus::NotEnough => VerifyStatusJson::NotEnough,
                        VerifyStatus::NotTried => VerifyStatusJson::NotTried,
                        VerifyStatus::Failed => VerifyStatusJson::Failed,
                    },
                    fix: v.fix,
                    change: v.change.as_deref(),
                    actions: v.actions,
                    still_differ: v.still_differ,
                    through_dependencies: v.through_dependencies,
                    remaining: v
                        .remaining
                        .iter()
                        .map(|(category, field)| RemainingJson {
                            category: (*category).into(),
                            field,
                        })
                        .collect(),
                    message: &v.message,
                }),
                gate: cause_gate(decision.causes.get(i).unwrap_or(&CauseGate::Failing), c),
                variation: c.variation.as_ref().map(variation),
            })
            .collect(),
        actions: r
            .actions
            .iter()
            .map(|a| ActionJson {
                name: &a.name,
                label: &a.label,
                kind: a.kind,
                status: match a.status {
                    Status::RootCause => StatusJson::RootCause,
                    Status::KnockOn => StatusJson::KnockOn,
                    Status::Nondeterministic => StatusJson::Nondeterministic,
                    Status::OnlyA => StatusJson::OnlyA,
                    Status::OnlyB => StatusJson::OnlyB,
                    Status::Unproven => StatusJson::Unproven,
                },
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
            allowed: cats(&decision.allowed),
            ignored: cats(&decision.ignored),
            one_sided_allowed: decision
                .one_sided_allowed
                .as_ref()
                .map(|a| format!("{} ({})", a.reason, a.source)),
            not_varied: gate
                .not_varied
                .iter()
                .map(|f| FactorJson(f.as_str()))
                .collect(),
            exit_code: decision.exit_code,
            reason: &decision.reason,
        },
    }
}
