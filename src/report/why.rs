//! `whymiss why`: the hit rate, then every action that ran with its reason: the key changed
//! (root causes and knock-on, rendered as `compare` renders causes), the same key as before
//! but not in the cache, or new; what the cache program did; notes. Text for people, JSON
//! (`kind: "why"`, documented in docs/json-schema.md, schema in docs/why.schema.json) for
//! machines.

use std::collections::BTreeMap;
use std::io::{self, Write};

use owo_colors::OwoColorize;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use super::history::time_of;
use super::text::{TextOptions, list, write_cause};
use super::{SCHEMA_VERSION, Styles, Untrusted, escape, human_bytes, plural};
use crate::diff::gate::{Decision, Gate};
use crate::diff::{SettingDiff, Status};
use crate::model::{BackendRequest, Invocation, Outcome, Record, Work};
use crate::why::{BackendView, ChangedGroup, Miss, Reason, RecordRef, WhyReport};

/// How `why` is rendered.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WhyOptions {
    pub all: bool,
}

fn when(r: &RecordRef) -> String {
    format!(
        "record {} ({}, {})",
        r.id,
        time_of(r.started_ms),
        escape(&r.command)
    )
}

fn ms(us: u64) -> String {
    if us >= 1_000_000 {
        format!("{:.1} s", us as f64 / 1e6)
    } else {
        format!("{:.1} ms", us as f64 / 1e3)
    }
}

/// Writes `why`'s text report: the record, the hit rate, one section per reason an action
/// ran (key changed, lost by the backend, same key, stored nothing before, earlier inputs
/// unknown, new), what each cache program did, and the notes.
pub(crate) fn write_text(
    w: &mut dyn Write,
    r: &WhyReport,
    decisions: &[Decision],
    opts: WhyOptions,
    s: &Styles,
) -> io::Result<()> {
    write_record_head(w, &r.record, s)?;
    writeln!(w)?;
    headline(w, r, s)?;
    for (g, group) in r.changed.iter().enumerate() {
        write_changed_group(w, r, g, group, decisions, opts, s)?;
    }
    write_lost_by_backend(w, r, opts, s)?;
    write_same_key(w, r, opts, s)?;
    write_failed_before(w, r, s)?;
    write_inputs_unknown(w, r, s)?;
    write_new(w, r, opts, s)?;
    for b in &r.backends {
        write_backend(w, r, b, opts, s)?;
    }
    write_notes(w, r, s)
}

/// The record's line (id, command, directory, go version, time, a failing exit status), then
/// its go commands when it ran more than one.
fn write_record_head(w: &mut dyn Write, rec: &Record, s: &Styles) -> io::Result<()> {
    writeln!(
        w,
        "{}  {}  in {}  {}  {}{}",
        format!("record {}", rec.id).style(s.label),
        Untrusted(&rec.command),
        Untrusted(&rec.dir),
        Untrusted(rec.go_version.as_deref().unwrap_or("go version unknown")).style(s.dim),
        time_of(rec.started_ms).style(s.dim),
        if rec.exit_status != 0 {
            format!("  {}", format!("exit {}", rec.exit_status).style(s.warning))
        } else {
            String::new()
        }
    )?;
    if rec.invocations.len() > 1 {
        for inv in &rec.invocations {
            writeln!(
                w,
                "  {} go {}  in {}{}",
                format!("{}.", inv.seq).style(s.dim),
                Untrusted(&inv.argv.join(" ")),
                Untrusted(&inv.dir),
                inv.exit_status
                    .filter(|&c| c != 0)
                    .map(|c| format!("  exit {c}"))
                    .unwrap_or_default()
            )?;
        }
    }
    Ok(())
}

/// One "key changed" section: the actions of comparison `g` that ran, the settings that
/// differ, the causes (gated by `decisions[g]`), then the knock-on, other and failed actions.
/// Nothing when no miss belongs to the group.
fn write_changed_group(
    w: &mut dyn Write,
    r: &WhyReport,
    g: usize,
    group: &ChangedGroup,
    decisions: &[Decision],
    opts: WhyOptions,
    s: &Styles,
) -> io::Result<()> {
    let missed: Vec<&Miss> = r
        .misses
        .iter()
        .filter(|m| matches!(m.reason, Reason::Changed { group: x, .. } if x == g))
        .collect();
    if missed.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    let inv_note = if r.record.invocations.len() > 1 {
        format!(" (go command {})", group.invocation)
    } else {
        String::new()
    };
    writeln!(
        w,
        "{}{inv_note}: {} is {}, {} this record",
        format!("key changed: {}", plural(missed.len(), "action")).style(s.header),
        "A".style(s.side_a),
        when(&group.against),
        "B".style(s.side_b),
    )?;
    let c = &group.comparison;
    write_setting_diffs(w, &c.settings, s)?;
    for (n, cause) in c.causes.iter().enumerate() {
        write_cause(
            w,
            n + 1,
            cause,
            &decisions[g].causes[n],
            TextOptions { all: opts.all },
            s,
        )?;
    }
    write_knock_on(w, &missed, opts, s)?;
    write_also_changed(w, &missed, opts, s)?;
    write_failed_changed(w, &missed, opts, s)
}

/// The settings that differ between the two records, `(unset)` for an empty value.
fn write_setting_diffs(w: &mut dyn Write, settings: &[SettingDiff], s: &Styles) -> io::Result<()> {
    for d in settings {
        writeln!(
            w,
            "   {} {}: {} → {}",
            "setting".style(s.label),
            Untrusted(&d.setting).style(s.field),
            Untrusted(
                d.a.as_deref()
                    .filter(|v| !v.is_empty())
                    .unwrap_or("(unset)")
            )
            .style(s.side_a),
            Untrusted(
                d.b.as_deref()
                    .filter(|v| !v.is_empty())
                    .unwrap_or("(unset)")
            )
            .style(s.side_b),
        )?;
    }
    Ok(())
}

/// The group's actions that ran only because a dependency's output changed.
fn write_knock_on(
    w: &mut dyn Write,
    missed: &[&Miss],
    opts: WhyOptions,
    s: &Styles,
) -> io::Result<()> {
    let knock: Vec<&str> = missed
        .iter()
        .filter(|m| {
            matches!(
                m.reason,
                Reason::Changed {
                    status: Some(Status::KnockOn),
                    ..
                }
            )
        })
        .map(|m| m.label.as_str())
        .collect();
    if !knock.is_empty() {
        writeln!(
            w,
            "   {} {} ran only because a dependency's output changed: {}",
            "knock-on:".style(s.label),
            plural(knock.len(), "action"),
            list(&knock, opts.all)
        )?;
    }
    Ok(())
}

/// The group's actions that are neither a root cause nor knock-on, with their status.
fn write_also_changed(
    w: &mut dyn Write,
    missed: &[&Miss],
    opts: WhyOptions,
    s: &Styles,
) -> io::Result<()> {
    let other: Vec<String> = missed
        .iter()
        .filter(|m| {
            !matches!(
                m.reason,
                Reason::Changed {
                    status: Some(Status::KnockOn | Status::RootCause),
                    ..
                }
            )
        })
        .map(|m| match m.reason {
            Reason::Changed {
                status: Some(st), ..
            } => format!("{} ({})", m.label, st.as_str()),
            _ => m.label.clone(),
        })
        .collect();
    if !other.is_empty() {
        let other: Vec<&str> = other.iter().map(String::as_str).collect();
        writeln!(
            w,
            "   {} {}",
            "also:".style(s.label),
            list(&other, opts.all)
        )?;
    }
    Ok(())
}

/// The group's actions that failed or stored nothing.
fn write_failed_changed(
    w: &mut dyn Write,
    missed: &[&Miss],
    opts: WhyOptions,
    s: &Styles,
) -> io::Result<()> {
    let failed: Vec<&str> = missed
        .iter()
        .filter(|m| matches!(m.outcome, Outcome::Failed | Outcome::NotSaved))
        .map(|m| m.label.as_str())
        .collect();
    if !failed.is_empty() {
        writeln!(
            w,
            "   {} {} (nothing stored): {}",
            "failed:".style(s.warning),
            plural(failed.len(), "action"),
            list(&failed, opts.all)
        )?;
    }
    Ok(())
}

/// The "lost by the backend" section: same-key misses the cache program had acknowledged
/// storing in an earlier record.
fn write_lost_by_backend(
    w: &mut dyn Write,
    r: &WhyReport,
    opts: WhyOptions,
    s: &Styles,
) -> io::Result<()> {
    let lost: Vec<&Miss> = r
        .misses
        .iter()
        .filter(|m| {
            matches!(
                m.reason,
                Reason::SameKey {
                    lost_by_backend: Some(_),
                    ..
                }
            )
        })
        .collect();
    if lost.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    let names: Vec<String> = lost
        .iter()
        .map(|m| match m.reason {
            Reason::SameKey {
                lost_by_backend: Some(id),
                ..
            } => format!("{} (stored in record {id})", m.label),
            _ => m.label.clone(),
        })
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    writeln!(
        w,
        "{}",
        format!("lost by the backend: {}", plural(lost.len(), "action")).style(s.warning)
    )?;
    writeln!(
        w,
        "   {}",
        "the cache program acknowledged storing these keys in an earlier record, and now \
         answered a miss"
            .style(s.dim)
    )?;
    writeln!(w, "   {}", list(&names, opts.all))
}

/// The "same key as before, but not in the cache" section: one line per action (ten without
/// `--all`) saying where the key was seen and what happened to it then.
fn write_same_key(
    w: &mut dyn Write,
    r: &WhyReport,
    opts: WhyOptions,
    s: &Styles,
) -> io::Result<()> {
    let same: Vec<&Miss> = r
        .misses
        .iter()
        .filter(|m| {
            matches!(
                m.reason,
                Reason::SameKey {
                    lost_by_backend: None,
                    then: Outcome::Hit | Outcome::Ran | Outcome::Skipped,
                    ..
                }
            )
        })
        .collect();
    if same.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(
        w,
        "{}",
        format!(
            "same key as before, but not in the cache: {}",
            plural(same.len(), "action")
        )
        .style(s.header)
    )?;
    writeln!(
        w,
        "   {}",
        "the inputs did not change since an earlier record: the entry was evicted or \
         trimmed, never stored (or uploaded), or the cache was not restored"
            .style(s.dim)
    )?;
    let shown = if opts.all {
        same.len()
    } else {
        same.len().min(10)
    };
    let width = same[..shown]
        .iter()
        .map(|m| m.label.chars().count())
        .max()
        .unwrap_or(0);
    for m in &same[..shown] {
        write_same_key_line(w, m, width, s)?;
    }
    if shown < same.len() {
        writeln!(w, "   … and {} more (--all lists them)", same.len() - shown)?;
    }
    Ok(())
}

/// One action of the same-key section, its label padded to `width`.
fn write_same_key_line(w: &mut dyn Write, m: &Miss, width: usize, s: &Styles) -> io::Result<()> {
    let Reason::SameKey { earlier, then, .. } = &m.reason else {
        return Ok(());
    };
    let how = match then {
        Outcome::Hit => "served from the cache in",
        Outcome::Ran => "built and stored in",
        Outcome::Failed | Outcome::NotSaved => "ran but was not stored in",
        Outcome::Skipped => "seen in",
    };
    writeln!(
        w,
        "   {:<width$}  {}{}",
        Untrusted(&m.label).to_string(),
        format!("{how} {}", when(earlier)).style(s.dim),
        detail(m)
    )
}

/// The section of same-key actions whose earlier run failed or stored nothing.
fn write_failed_before(w: &mut dyn Write, r: &WhyReport, s: &Styles) -> io::Result<()> {
    let failed_before: Vec<&Miss> = r
        .misses
        .iter()
        .filter(|m| {
            matches!(
                m.reason,
                Reason::SameKey {
                    lost_by_backend: None,
                    then: Outcome::Failed | Outcome::NotSaved,
                    ..
                }
            )
        })
        .collect();
    if failed_before.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(
        w,
        "{}",
        format!(
            "same key as an earlier run that stored nothing: {}",
            plural(failed_before.len(), "action")
        )
        .style(s.header)
    )?;
    writeln!(
        w,
        "   {}",
        "go stores no result for an action that failed (or a test it could not key), so the \
         same key runs again"
            .style(s.dim)
    )?;
    for m in &failed_before {
        if let Reason::SameKey { earlier, .. } = &m.reason {
            writeln!(
                w,
                "   {}  {}{}",
                Untrusted(&m.label),
                format!("as in {}", when(earlier)).style(s.dim),
                detail(m)
            )?;
        }
    }
    Ok(())
}

/// The section of changed keys whose earlier record kept only the key, not the inputs.
fn write_inputs_unknown(w: &mut dyn Write, r: &WhyReport, s: &Styles) -> io::Result<()> {
    let unknown: Vec<(&Miss, &RecordRef)> = r
        .misses
        .iter()
        .filter_map(|m| match &m.reason {
            Reason::ChangedInputsUnknown { earlier } => Some((m, earlier)),
            _ => None,
        })
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(
        w,
        "{}",
        format!(
            "key changed, earlier inputs unknown: {}",
            plural(unknown.len(), "action")
        )
        .style(s.header)
    )?;
    for (m, earlier) in unknown {
        writeln!(
            w,
            "   {}  another key in {} (only its key was recorded){}",
            Untrusted(&m.label),
            when(earlier),
            detail(m)
        )?;
    }
    Ok(())
}

/// The "new" section: actions never built in an earlier record.
fn write_new(w: &mut dyn Write, r: &WhyReport, opts: WhyOptions, s: &Styles) -> io::Result<()> {
    let new: Vec<&Miss> = r
        .misses
        .iter()
        .filter(|m| m.reason == Reason::New)
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    let names: Vec<&str> = new.iter().map(|m| m.label.as_str()).collect();
    writeln!(
        w,
        "{}",
        format!("new: {}", plural(new.len(), "action")).style(s.header)
    )?;
    writeln!(
        w,
        "   {}",
        "never built in an earlier record (a new package, or the first record of this module)"
            .style(s.dim)
    )?;
    writeln!(w, "   {}", list(&names, opts.all))
}

/// One cache program's section: its summary line, then unanswered requests, keys it lost,
/// errors and slow requests.
fn write_backend(
    w: &mut dyn Write,
    r: &WhyReport,
    b: &BackendView,
    opts: WhyOptions,
    s: &Styles,
) -> io::Result<()> {
    writeln!(w)?;
    write_backend_summary(w, r, b, s)?;
    if b.summary.unanswered > 0 {
        writeln!(
            w,
            "   {} {} never answered (the program exited)",
            "unanswered:".style(s.warning),
            plural(b.summary.unanswered as usize, "request")
        )?;
    }
    write_backend_lost(w, r, b, s)?;
    write_backend_errors(w, b, opts, s)?;
    write_backend_slow(w, b, s)
}

/// A cache program's summary line: requests, hits, errors, bytes and latency.
fn write_backend_summary(
    w: &mut dyn Write,
    r: &WhyReport,
    b: &BackendView,
    s: &Styles,
) -> io::Result<()> {
    let sm = &b.summary;
    writeln!(
        w,
        "{}{}: {} {}",
        "cache program".style(s.header),
        if r.record.invocations.len() > 1 {
            format!(" (go command {})", b.invocation)
        } else {
            String::new()
        },
        Untrusted(&sm.program),
        format!(
            "— {} gets ({} hits, {} misses, {} errors), {} puts ({} errors), {} in, {} out; \
             latency median {}, p99 {}, max {}",
            sm.gets,
            sm.hits,
            sm.misses,
            sm.get_errors,
            sm.puts,
            sm.put_errors,
            human_bytes(sm.bytes_got),
            human_bytes(sm.bytes_put),
            ms(sm.p50_us),
            ms(sm.p99_us),
            ms(sm.max_us)
        )
        .style(s.dim)
    )
}

/// The keys a cache program had acknowledged storing and now answered a miss for, split into
/// keys of actions that ran and auxiliary entries.
fn write_backend_lost(
    w: &mut dyn Write,
    r: &WhyReport,
    b: &BackendView,
    s: &Styles,
) -> io::Result<()> {
    if b.lost.is_empty() {
        return Ok(());
    }
    let actions: std::collections::HashSet<&str> = r
        .misses
        .iter()
        .filter(|m| m.invocation == b.invocation)
        .map(|m| m.key.as_str())
        .collect();
    let own = b
        .lost
        .iter()
        .filter(|(q, _)| actions.contains(q.key.to_string().as_str()))
        .count();
    writeln!(
        w,
        "   {} {} the program had acknowledged storing in an earlier record answered a miss \
         ({} of actions that ran, {} of auxiliary entries such as compiler output)",
        "lost by the backend:".style(s.warning),
        plural(b.lost.len(), "key"),
        own,
        b.lost.len() - own
    )
}

/// A cache program's failed or unanswered requests (five without `--all`).
fn write_backend_errors(
    w: &mut dyn Write,
    b: &BackendView,
    opts: WhyOptions,
    s: &Styles,
) -> io::Result<()> {
    for q in b.errors.iter().take(if opts.all { usize::MAX } else { 5 }) {
        writeln!(
            w,
            "   {} {} {} after {}: {}",
            "error:".style(s.warning),
            q.kind.as_str(),
            q.key.abbrev(),
            ms(q.latency_us),
            Untrusted(q.err.as_deref().unwrap_or(q.outcome.as_str()))
        )?;
    }
    if b.errors.len() > 5 && !opts.all {
        writeln!(
            w,
            "   … and {} more errors (--all lists them)",
            b.errors.len() - 5
        )?;
    }
    Ok(())
}

/// A cache program's requests slower than `SLOW_US`, the five slowest named.
fn write_backend_slow(w: &mut dyn Write, b: &BackendView, s: &Styles) -> io::Result<()> {
    if b.slow.is_empty() {
        return Ok(());
    }
    let slow: Vec<String> = b
        .slow
        .iter()
        .take(5)
        .map(|q| {
            format!(
                "{} {} {}",
                q.kind.as_str(),
                q.key.abbrev(),
                ms(q.latency_us)
            )
        })
        .collect();
    writeln!(
        w,
        "   {} {} slower than {}: {}",
        "slow:".style(s.label),
        plural(b.slow.len(), "request"),
        ms(crate::record::collect::SLOW_US),
        slow.join(", ")
    )
}

/// The notes on the record as a whole.
fn write_notes(w: &mut dyn Write, r: &WhyReport, s: &Styles) -> io::Result<()> {
    if r.notes.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "{}", "notes".style(s.header))?;
    for n in &r.notes {
        writeln!(w, "  {} {}", "-".style(s.dim), Untrusted(n))?;
    }
    Ok(())
}

fn detail(m: &Miss) -> String {
    let mut out = String::new();
    if m.outcome == Outcome::Failed {
        out.push_str("; it failed");
    }
    if let Some(d) = &m.detail {
        out.push_str(&format!("; go test: {}", escape(d)));
    }
    out
}

fn headline(w: &mut dyn Write, r: &WhyReport, s: &Styles) -> io::Result<()> {
    let sm = &r.summary;
    let rate = super::percent(sm.hits, sm.actions)
        .map(|p| format!(" ({p}%)"))
        .unwrap_or_default();
    let text = format!(
        "{}: {} served from the cache{rate}, {} ran",
        plural(sm.actions, "action"),
        sm.hits,
        sm.ran
    );
    if sm.ran == 0 {
        writeln!(w, "{}", text.style(s.ok))?;
    } else {
        writeln!(w, "{}", text.style(s.header))?;
        let mut parts = Vec::new();
        if sm.changed > 0 {
            parts.push(format!("{} with a changed key", sm.changed));
        }
        if sm.same_key > 0 {
            parts.push(format!(
                "{} with the same key as before but not in the cache{}",
                sm.same_key,
                if sm.lost_by_backend > 0 {
                    format!(" ({} lost by the backend)", sm.lost_by_backend)
                } else {
                    String::new()
                }
            ));
        }
        if sm.new > 0 {
            parts.push(format!("{} new", sm.new));
        }
        writeln!(w, "  {}", parts.join(", "))?;
    }
    let mut extra = Vec::new();
    if sm.tests > 0 {
        extra.push(format!(
            "{} of them {}: {} cached",
            sm.tests,
            if sm.tests == 1 {
                "a test run"
            } else {
                "test runs"
            },
            sm.tests_cached
        ));
    }
    if sm.links_ran > 0 {
        extra.push(format!(
            "and {} (not counted: go build and go test never cache executables)",
            plural(sm.links_ran, "link")
        ));
    }
    for e in extra {
        writeln!(w, "  {}", e.style(s.dim))?;
    }
    Ok(())
}

// ---- JSON ----

/// The document `whymiss why --format json` writes.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "whymiss why report")]
struct WhyJson<'r> {
    #[schemars(schema_with = "schema_version")]
    schema_version: u32,
    #[schemars(schema_with = "kind_why")]
    kind: &'static str,
    record: RecordJson<'r>,
    summary: SummaryJson,
    misses: Vec<MissJson<'r>>,
    comparisons: Vec<ComparisonJson>,
    cache_programs: Vec<CacheProgramJson<'r>>,
    notes: &'r [String],
    /// 0: nothing ran, or nothing ran because its key changed; 1: some action ran because its
    /// key changed (after --fail-on/--ignore).
    #[schemars(range(min = 0, max = 1))]
    exit_code: i32,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "why-record")]
struct RecordJson<'r> {
    id: i64,
    module: &'r str,
    dir: &'r str,
    command: &'r str,
    started: String,
    duration_ms: i64,
    go_version: Option<&'r str>,
    exit_status: i32,
    go_env: &'r BTreeMap<String, String>,
    invocations: Vec<InvocationJson<'r>>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "why-invocation")]
struct InvocationJson<'r> {
    seq: u32,
    argv: &'r [String],
    dir: &'r str,
    go_version: Option<&'r str>,
    exit_status: Option<i32>,
    duration_ms: i64,
    /// How whymiss saw it: `action-graph`, `action-graph+rerun` (a dry rerun recorded the
    /// inputs), `action-graph+gocachehash`.
    method: &'static str,
    env: &'r BTreeMap<String, String>,
    not_reached: u32,
    uncached_tests: &'r [String],
    notes: &'r [String],
}

/// `actions` = `hits` + `ran` (+ the few that neither hit nor ran); `ran` = `key_changed` +
/// `same_key` + `new`.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "why-summary")]
struct SummaryJson {
    actions: usize,
    hits: usize,
    ran: usize,
    #[schemars(range(min = 0.0, max = 1.0))]
    hit_rate: f64,
    tests: usize,
    tests_cached: usize,
    links: usize,
    links_ran: usize,
    key_changed: usize,
    same_key: usize,
    lost_by_backend: usize,
    new: usize,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "why-miss")]
struct MissJson<'r> {
    invocation: u32,
    name: &'r str,
    label: &'r str,
    kind: &'static str,
    #[schemars(regex(pattern = "^[0-9a-f]{30}([0-9a-f]{34})?$"))]
    key: &'r str,
    outcome: &'static str,
    reason: ReasonJson,
    /// same-key and lost-by-backend: the most recent earlier record with this key; key-changed
    /// with unknown inputs: the record compared with.
    earlier: Option<RecordRefOwned>,
    /// same-key: what became of the key then (`ran`, `hit`, `failed`).
    earlier_outcome: Option<&'static str>,
    /// lost-by-backend: the record in which the cache program acknowledged storing it.
    stored_in: Option<i64>,
    /// key-changed: index into `comparisons`.
    comparison: Option<usize>,
    /// key-changed: the action's status in that comparison.
    status: Option<&'static str>,
    detail: Option<&'r str>,
    duration_ms: Option<u64>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "why-reason")]
#[serde(rename_all = "kebab-case")]
enum ReasonJson {
    KeyChanged,
    SameKey,
    LostByBackend,
    New,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "why-comparison")]
struct ComparisonJson {
    against: RecordRefOwned,
    against_invocation: u32,
    invocation: u32,
    /// The comparison, restricted to the actions that ran and what caused them, exactly as
    /// `whymiss compare --format json` writes it (docs/report.schema.json).
    #[schemars(schema_with = "compare_report")]
    report: serde_json::Value,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "record-ref")]
struct RecordRefOwned {
    id: i64,
    started: String,
    command: String,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "cache-program")]
struct CacheProgramJson<'r> {
    invocation: u32,
    program: &'r str,
    gets: u64,
    hits: u64,
    misses: u64,
    get_errors: u64,
    puts: u64,
    put_errors: u64,
    unanswered: u64,
    bytes_got: u64,
    bytes_put: u64,
    latency_p50_us: u64,
    latency_p99_us: u64,
    latency_max_us: u64,
    lost: Vec<RequestJson<'r>>,
    errors: Vec<RequestJson<'r>>,
    slow: Vec<RequestJson<'r>>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "cache-request")]
struct RequestJson<'r> {
    command: &'static str,
    outcome: &'static str,
    #[schemars(regex(pattern = "^[0-9a-f]{64}$"))]
    key: String,
    size: Option<i64>,
    latency_us: u64,
    err: Option<&'r str>,
    /// lost: the record in which the program acknowledged storing it.
    stored_in: Option<i64>,
}

fn schema_version(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "const": SCHEMA_VERSION })
}

fn kind_why(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "const": "why" })
}

fn compare_report(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "$ref": "report.schema.json" })
}

fn request<'r>(q: &'r BackendRequest, stored_in: Option<i64>) -> RequestJson<'r> {
    RequestJson {
        command: q.kind.as_str(),
        outcome: q.outcome.as_str(),
        key: q.key.to_string(),
        size: q.size,
        latency_us: q.latency_us,
        err: q.err.as_deref(),
        stored_in,
    }
}

fn invocation(inv: &Invocation) -> InvocationJson<'_> {
    InvocationJson {
        seq: inv.seq,
        argv: &inv.argv,
        dir: &inv.dir,
        go_version: inv.go_version.as_deref(),
        exit_status: inv.exit_status,
        duration_ms: inv.duration_ms,
        method: inv.method.as_str(),
        env: &inv.env,
        not_reached: inv.not_reached,
        uncached_tests: &inv.uncached_tests,
        notes: &inv.notes,
    }
}

pub(crate) fn write_json(
    w: &mut dyn Write,
    r: &WhyReport,
    gate: &Gate,
    decisions: &[Decision],
    exit_code: i32,
) -> io::Result<()> {
    let rec = &r.record;
    let sm = &r.summary;
    let rref = |x: &RecordRef| RecordRefOwned {
        id: x.id,
        started: time_of(x.started_ms),
        command: x.command.clone(),
    };
    let doc = WhyJson {
        schema_version: SCHEMA_VERSION,
        kind: "why",
        record: RecordJson {
            id: rec.id,
            module: &rec.module,
            dir: &rec.dir,
            command: &rec.command,
            started: time_of(rec.started_ms),
            duration_ms: rec.duration_ms,
            go_version: rec.go_version.as_deref(),
            exit_status: rec.exit_status,
            go_env: &rec.env,
            invocations: rec.invocations.iter().map(invocation).collect(),
        },
        summary: SummaryJson {
            actions: sm.actions,
            hits: sm.hits,
            ran: sm.ran,
            hit_rate: if sm.actions == 0 {
                1.0
            } else {
                sm.hits as f64 / sm.actions as f64
            },
            tests: sm.tests,
            tests_cached: sm.tests_cached,
            links: sm.links,
            links_ran: sm.links_ran,
            key_changed: sm.changed,
            same_key: sm.same_key,
            lost_by_backend: sm.lost_by_backend,
            new: sm.new,
        },
        misses: r
            .misses
            .iter()
            .map(|m| {
                let mut j = MissJson {
                    invocation: m.invocation,
                    name: &m.name,
                    label: &m.label,
                    kind: match m.work {
                        Work::Build => "build",
                        Work::Link => "link",
                        Work::Test => "test",
                    },
                    key: &m.key,
                    outcome: m.outcome.as_str(),
                    reason: ReasonJson::New,
                    earlier: None,
                    earlier_outcome: None,
                    stored_in: None,
                    comparison: None,
                    status: None,
                    detail: m.detail.as_deref(),
                    duration_ms: m.duration_ms,
                };
                match &m.reason {
                    Reason::SameKey {
                        earlier,
                        then,
                        lost_by_backend,
                    } => {
                        j.reason = if lost_by_backend.is_some() {
                            ReasonJson::LostByBackend
                        } else {
                            ReasonJson::SameKey
                        };
                        j.earlier = Some(rref(earlier));
                        j.earlier_outcome = Some(then.as_str());
                        j.stored_in = *lost_by_backend;
                    }
                    Reason::Changed { group, status } => {
                        j.reason = ReasonJson::KeyChanged;
                        j.comparison = Some(*group);
                        j.status = status.map(|s| s.as_str());
                    }
                    Reason::ChangedInputsUnknown { earlier } => {
                        j.reason = ReasonJson::KeyChanged;
                        j.earlier = Some(rref(earlier));
                    }
                    Reason::New => {}
                }
                j
            })
            .collect(),
        comparisons: r
            .changed
            .iter()
            .zip(decisions)
            .map(|(g, d)| ComparisonJson {
                against: rref(&g.against),
                against_invocation: g.against_invocation,
                invocation: g.invocation,
                report: super::json::report_value(&g.comparison, gate, d),
            })
            .collect(),
        cache_programs: r
            .backends
            .iter()
            .map(|b| {
                let sm = &b.summary;
                CacheProgramJson {
                    invocation: b.invocation,
                    program: &sm.program,
                    gets: sm.gets,
                    hits: sm.hits,
                    misses: sm.misses,
                    get_errors: sm.get_errors,
                    puts: sm.puts,
                    put_errors: sm.put_errors,
                    unanswered: sm.unanswered,
                    bytes_got: sm.bytes_got,
                    bytes_put: sm.bytes_put,
                    latency_p50_us: sm.p50_us,
                    latency_p99_us: sm.p99_us,
                    latency_max_us: sm.max_us,
                    lost: b.lost.iter().map(|(q, r)| request(q, Some(*r))).collect(),
                    errors: b.errors.iter().map(|q| request(q, None)).collect(),
                    slow: b.slow.iter().map(|q| request(q, None)).collect(),
                }
            })
            .collect(),
        notes: &r.notes,
        exit_code,
    };
    super::write_json_doc(w, &doc)
}

/// The JSON Schema (2020-12) of `why --format json`, as committed in docs/why.schema.json:
/// every property required, no other allowed.
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
    let mut schema = generator.into_root_schema_for::<WhyJson<'static>>();
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "$id".into(),
            "https://github.com/whymiss/whymiss/docs/why.schema.json".into(),
        );
    }
    schema.to_value()
}
