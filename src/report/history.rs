//! `whymiss history`: the recorded builds as a table (text) or a list (JSON, `kind: "history"`).

use std::io::{self, Write};

use owo_colors::OwoColorize;
use serde::Serialize;

use super::{SCHEMA_VERSION, Styles, Untrusted, human_bytes, plural};
use crate::history::{Pruned, RecordSummary};

/// What `whymiss history` shows.
#[derive(Debug, Clone)]
pub(crate) struct HistoryView<'a> {
    pub path: &'a str,
    pub size: u64,
    /// The module listed, `None` for every module.
    pub module: Option<&'a str>,
    pub records: &'a [RecordSummary],
    pub pruned: Option<(Pruned, usize)>,
}

/// `2026-12-01T14:16:42Z` for milliseconds since the epoch.
pub(crate) fn time_of(ms: i64) -> String {
    crate::go::timestamp::rfc3339_utc(
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64),
    )
}

/// `hits of actions (rate%)`.
pub(crate) fn hit_rate(hits: u64, total: u64) -> String {
    match super::percent(hits as usize, total as usize) {
        Some(p) => format!("{hits} ({p}%)"),
        None => "0".into(),
    }
}

pub(crate) fn write_text(w: &mut dyn Write, v: &HistoryView<'_>, s: &Styles) -> io::Result<()> {
    if let Some((p, keep)) = v.pruned {
        writeln!(
            w,
            "pruned {} beyond the newest {keep} ({} and {} no longer used)",
            plural(p.records as usize, "record"),
            plural(p.actions as usize, "key"),
            plural(p.lines as usize, "input line"),
        )?;
    }
    writeln!(
        w,
        "{} {} ({}){}: {}",
        "history".style(s.header),
        Untrusted(v.path),
        human_bytes(v.size),
        match v.module {
            Some(m) => format!(", module {}", Untrusted(m)),
            None => ", every module".into(),
        },
        plural(v.records.len(), "record")
    )?;
    if v.records.is_empty() {
        return Ok(());
    }
    let cmd_width = v
        .records
        .iter()
        .map(|r| r.command.chars().count().min(40))
        .max()
        .unwrap_or(7)
        .max(7);
    writeln!(
        w,
        "{}",
        format!(
            "{:>5}  {:<20}  {:<cmd_width$}  {:<9}  {:>7}  {:>11}  {:>5}  {:>4}",
            "#", "started (UTC)", "command", "go", "actions", "from cache", "ran", "exit"
        )
        .style(s.dim)
    )?;
    for r in v.records {
        let mut command: String = r.command.chars().take(40).collect();
        if r.command.chars().count() > 40 {
            command.pop();
            command.push('…');
        }
        writeln!(
            w,
            "{:>5}  {:<20}  {:<cmd_width$}  {:<9}  {:>7}  {:>11}  {:>5}  {:>4}",
            r.id,
            time_of(r.started_ms),
            Untrusted(&command).to_string(),
            Untrusted(r.go_version.as_deref().unwrap_or("?")).to_string(),
            r.actions,
            hit_rate(r.hits, r.actions),
            r.ran,
            r.exit_status
        )?;
        if v.module.is_none() {
            writeln!(w, "{:>5}  {}", "", Untrusted(&r.module).style(s.dim))?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct HistoryJson<'a> {
    schema_version: u32,
    kind: &'static str,
    path: &'a str,
    size_bytes: u64,
    module: Option<&'a str>,
    pruned: Option<PrunedJson>,
    records: Vec<RecordJson<'a>>,
}

#[derive(Serialize)]
struct PrunedJson {
    keep: usize,
    records: u64,
    keys: u64,
    lines: u64,
}

#[derive(Serialize)]
struct RecordJson<'a> {
    id: i64,
    module: &'a str,
    dir: &'a str,
    started: String,
    duration_ms: i64,
    command: &'a str,
    go_version: Option<&'a str>,
    exit_status: i32,
    invocations: u64,
    actions: u64,
    hits: u64,
    ran: u64,
}

pub(crate) fn write_json(w: &mut dyn Write, v: &HistoryView<'_>) -> io::Result<()> {
    let doc = HistoryJson {
        schema_version: SCHEMA_VERSION,
        kind: "history",
        path: v.path,
        size_bytes: v.size,
        module: v.module,
        pruned: v.pruned.map(|(p, keep)| PrunedJson {
            keep,
            records: p.records,
            keys: p.actions,
            lines: p.lines,
        }),
        records: v
            .records
            .iter()
            .map(|r| RecordJson {
                id: r.id,
                module: &r.module,
                dir: &r.dir,
                started: time_of(r.started_ms),
                duration_ms: r.duration_ms,
                command: &r.command,
                go_version: r.go_version.as_deref(),
                exit_status: r.exit_status,
                invocations: r.invocations,
                actions: r.actions,
                hits: r.hits,
                ran: r.ran,
            })
            .collect(),
    };
    super::write_json_doc(w, &doc)
}
