//! `whymiss inspect`: what one log holds — version, actions by kind, verification, noise — and,
//! on request, one action's key inputs in order. Text from the log is printed through
//! [`Untrusted`].

use std::collections::BTreeMap;
use std::io::{self, Write};

use owo_colors::OwoColorize;
use serde::Serialize;

use super::{SCHEMA_VERSION, Styles, Untrusted, escape, human_bytes, plural};
use crate::model::{Action, ActionKind, BuildLog, Input};

/// What `inspect` shows.
pub(crate) struct InspectView<'v, 'a> {
    pub source: &'v str,
    pub log: &'v BuildLog<'a>,
    /// Actions selected with `--action`.
    pub selected: Vec<&'v Action<'a>>,
    /// `--list`: every action on one line.
    pub list: bool,
}

/// Unknown fields: lines this whymiss cannot type (a newer Go version, or gccgo).
fn unknown_fields<'v, 'a>(log: &'v BuildLog<'a>) -> Vec<(&'v Action<'a>, u32, &'v str)> {
    let mut out = Vec::new();
    for a in &log.actions {
        for f in &a.fields {
            if let Input::Unknown(t) = &f.input {
                out.push((a, f.line, t.as_ref()));
            }
        }
    }
    out
}

/// The whole `inspect` text: what the log holds, what was not understood, and on request the
/// list of actions and the selected actions' inputs.
pub(crate) fn write_text(w: &mut dyn Write, v: &InspectView<'_, '_>, s: &Styles) -> io::Result<()> {
    let log = v.log;
    let unverified: Vec<&Action<'_>> = log.unverified().collect();
    writeln!(w, "{}", Untrusted(v.source).style(s.header))?;
    write_contents(w, log, s)?;
    write_proof(w, log, unverified.len(), s)?;
    write_noise(w, log, s)?;
    write_unverified(w, &unverified, s)?;
    write_unknown(w, log, s)?;
    if v.list {
        write_list(w, log, s)?;
    }
    for a in &v.selected {
        writeln!(w)?;
        write_action(w, a, s)?;
    }
    Ok(())
}

/// One labelled row of the summary, the label in a column of its own.
fn row(w: &mut dyn Write, label: &str, text: String, s: &Styles) -> io::Result<()> {
    writeln!(w, "  {:<12} {text}", label.style(s.label))
}

/// The rows for what the log is: its size, its Go versions, its actions by kind.
fn write_contents(w: &mut dyn Write, log: &BuildLog<'_>, s: &Styles) -> io::Result<()> {
    let st = &log.stats;
    row(
        w,
        "size",
        format!(
            "{}, {}",
            human_bytes(st.bytes),
            plural(st.lines as usize, "line")
        ),
        s,
    )?;
    let versions = if log.go_versions.is_empty() {
        "unknown (no block had a salt)".to_string()
    } else {
        escape(&log.go_versions.join(", ")).into_owned()
    };
    row(w, "go", versions, s)?;
    let counts = log.counts_by_kind();
    let by_kind: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    row(
        w,
        "actions",
        if by_kind.is_empty() {
            "none".into()
        } else {
            format!("{} ({})", log.actions.len(), by_kind.join(", "))
        },
        s,
    )
}

/// The rows for how much of the log is proven: blocks, a cut-off end, subkeys, file hashes.
fn write_proof(
    w: &mut dyn Write,
    log: &BuildLog<'_>,
    unverified: usize,
    s: &Styles,
) -> io::Result<()> {
    let verified = log.actions.len() - unverified;
    let disentangled = log.actions.iter().filter(|a| a.disentangled).count();
    let mut vtext = format!(
        "{verified} of {} blocks proven by SHA-256",
        log.actions.len()
    );
    if disentangled > 0 {
        vtext.push_str(&format!(
            " ({disentangled} told apart from same-name blocks open at once)"
        ));
    }
    let style = if unverified == 0 { s.ok } else { s.warning };
    row(w, "verified", vtext.style(style).to_string(), s)?;
    if let Some(cut) = &log.truncated {
        let text = format!(
            "the log is cut off: {} (head, a size limit, a killed build?)",
            cut.describe()
        );
        row(w, "truncated", text.style(s.warning).to_string(), s)?;
    }
    let bad_subkeys = log.subkeys.iter().filter(|k| !k.verified).count();
    row(
        w,
        "subkeys",
        if bad_subkeys == 0 {
            format!("{}, all verified", log.subkeys.len())
        } else {
            format!("{}, {bad_subkeys} not verified", log.subkeys.len())
        },
        s,
    )?;
    let unreadable = if log.file_errors.is_empty() {
        String::new()
    } else {
        format!(" ({} could not be read)", log.file_errors.len())
    };
    row(
        w,
        "file hashes",
        format!("{}{unreadable}", log.file_hashes.len()),
        s,
    )
}

/// The rows for lines that are in no key: test cache lines, noise, skipped lines (with a
/// few examples).
fn write_noise(w: &mut dyn Write, log: &BuildLog<'_>, s: &Styles) -> io::Result<()> {
    let st = &log.stats;
    if st.test_cache_lines > 0 {
        row(
            w,
            "test cache",
            plural(st.test_cache_lines as usize, "line"),
            s,
        )?;
    }
    let mut noise = Vec::new();
    if st.module_index_lines > 0 {
        noise.push(format!(
            "{} ({}: package loading, not in any key)",
            plural(st.module_index_lines as usize, "moduleIndex line"),
            plural(st.module_index_blocks as usize, "block")
        ));
    }
    if st.duplicate_blocks > 0 {
        noise.push(format!(
            "{} kept once",
            plural(st.duplicate_blocks as usize, "repeated block")
        ));
    }
    if st.decorated_lines > 0 {
        noise.push(format!(
            "{} a log prefix before HASH",
            if st.decorated_lines == 1 {
                "1 line had".to_string()
            } else {
                format!("{} lines had", st.decorated_lines)
            }
        ));
    }
    if !noise.is_empty() {
        row(w, "noise", noise.join("; "), s)?;
    }
    let skipped = if st.skipped_lines == 1 {
        "1 line that is".to_string()
    } else {
        format!("{} lines that are", st.skipped_lines)
    };
    row(w, "skipped", format!("{skipped} not gocachehash output"), s)?;
    for (line, text) in &st.skipped_examples {
        writeln!(
            w,
            "  {:<12} {} {}",
            "",
            format!("line {line}:").style(s.dim),
            truncate(text, 90)
        )?;
    }
    Ok(())
}

/// One line per block not proven by its SHA-256, with its lines and the reason.
fn write_unverified(w: &mut dyn Write, unverified: &[&Action<'_>], s: &Styles) -> io::Result<()> {
    for a in unverified {
        let reason = match &a.verification {
            crate::model::Verification::Unverified(r) => r.as_str(),
            crate::model::Verification::Redacted => crate::model::Verification::REDACTED,
            crate::model::Verification::Verified => "",
        };
        writeln!(
            w,
            "  {} {} (lines {}): {}",
            "unverified".style(s.warning),
            Untrusted(&a.label()),
            line_ref(a),
            Untrusted(reason)
        )?;
    }
    Ok(())
}

/// The fields this whymiss cannot type: how many, and the first five.
fn write_unknown(w: &mut dyn Write, log: &BuildLog<'_>, s: &Styles) -> io::Result<()> {
    let unknown = unknown_fields(log);
    if unknown.is_empty() {
        return Ok(());
    }
    writeln!(
        w,
        "  {} {} this whymiss does not know (kept verbatim, still compared):",
        "unknown".style(s.warning),
        plural(unknown.len(), "field")
    )?;
    for (a, line, text) in unknown.iter().take(5) {
        writeln!(
            w,
            "  {:<12} {} {}: {}",
            "",
            format!("line {line}").style(s.dim),
            Untrusted(&a.label()),
            truncate(text, 80)
        )?;
    }
    Ok(())
}

/// `--list`: every action on one line (kind, abbreviated ID, label).
fn write_list(w: &mut dyn Write, log: &BuildLog<'_>, s: &Styles) -> io::Result<()> {
    writeln!(w)?;
    for a in &log.actions {
        writeln!(
            w,
            "  {:<12} {} {}{}",
            a.kind.as_str().style(s.dim),
            a.id.map(|d| d.abbrev()).unwrap_or_else(|| "-".repeat(12)),
            Untrusted(&a.label()),
            if a.is_verified() {
                String::new()
            } else {
                format!(" {}", "(unverified)".style(s.warning))
            }
        )?;
    }
    Ok(())
}

fn line_ref(a: &Action<'_>) -> String {
    match (a.open_line, a.result_line) {
        (Some(o), Some(r)) => format!("{o}–{r}"),
        (Some(o), None) => format!("opened at line {o}"),
        (None, Some(r)) => format!("result at line {r}"),
        (None, None) => "no opening or result line".into(),
    }
}

/// One action's key, field by field.
pub(crate) fn write_action(w: &mut dyn Write, a: &Action<'_>, s: &Styles) -> io::Result<()> {
    writeln!(w, "{}", Untrusted(&a.label()).style(s.header))?;
    let id = match a.id {
        Some(d) => format!("{d} (build ID {}…)", d.short()),
        None => "none printed".into(),
    };
    writeln!(w, "  {:<10} {id}", "action ID".style(s.label))?;
    let proof = match &a.verification {
        crate::model::Verification::Verified => "verified by SHA-256".style(s.ok).to_string(),
        crate::model::Verification::Unverified(r) => {
            format!("{}: {}", "not verified".style(s.warning), Untrusted(r))
        }
        crate::model::Verification::Redacted => format!(
            "{}: {}",
            "redacted".style(s.warning),
            crate::model::Verification::REDACTED
        ),
    };
    writeln!(
        w,
        "  {:<10} {} ({proof})",
        "lines".style(s.label),
        line_ref(a)
    )?;
    writeln!(w, "  {:<10} {}", "salt".style(s.label), Untrusted(&a.salt))?;
    for f in &a.fields {
        let mut extra = String::new();
        match &f.input {
            Input::File(file) => {
                if let (Some(path), Some(hash)) = (&file.path, file.hash) {
                    extra = format!(
                        "  {} {} (sha256 {})",
                        "←".style(s.dim),
                        Untrusted(path),
                        hash.abbrev()
                    );
                }
            }
            Input::Unknown(_) => extra = format!("  {}", "(unknown to whymiss)".style(s.warning)),
            _ => {}
        }
        writeln!(
            w,
            "  {:>10} {}{extra}",
            f.line.style(s.dim),
            truncate(&f.text, 400)
        )?;
    }
    Ok(())
}

/// `text` escaped (so on one line), cut after `max` characters.
fn truncate(text: &str, max: usize) -> String {
    let one_line = escape(text);
    if one_line.chars().count() <= max {
        one_line.into_owned()
    } else {
        let cut: String = one_line.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[derive(Serialize)]
struct InspectJson<'v> {
    schema_version: u32,
    kind: &'static str,
    source: &'v str,
    bytes: u64,
    lines: u64,
    go_versions: Vec<&'v str>,
    actions: ActionCounts,
    verified: usize,
    unverified: Vec<UnverifiedJson>,
    subkeys: SubkeyCounts,
    file_hashes: usize,
    file_hash_errors: usize,
    test_cache_lines: u64,
    noise: NoiseJson,
    unknown_fields: Vec<UnknownJson<'v>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action_list: Option<Vec<ActionSummaryJson>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    selected: Vec<ActionJson<'v>>,
}

#[derive(Serialize)]
struct ActionCounts {
    total: usize,
    by_kind: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct UnverifiedJson {
    name: String,
    open_line: Option<u32>,
    reason: String,
}

#[derive(Serialize)]
struct SubkeyCounts {
    total: usize,
    verified: usize,
}

#[derive(Serialize)]
struct NoiseJson {
    module_index_lines: u64,
    module_index_blocks: u64,
    skipped_lines: u64,
    decorated_lines: u64,
    duplicate_blocks: u64,
}

#[derive(Serialize)]
struct UnknownJson<'v> {
    action: String,
    line: u32,
    text: &'v str,
}

#[derive(Serialize)]
struct ActionSummaryJson {
    name: String,
    label: String,
    kind: &'static str,
    id: Option<String>,
    verified: bool,
}

#[derive(Serialize)]
struct ActionJson<'v> {
    name: &'v str,
    label: String,
    kind: &'static str,
    package: Option<&'v str>,
    variant: crate::model::Variant,
    id: Option<String>,
    build_id_prefix: Option<String>,
    verified: bool,
    unverified_reason: Option<&'v str>,
    open_line: Option<u32>,
    result_line: Option<u32>,
    salt: &'v str,
    fields: Vec<FieldJson<'v>>,
}

#[derive(Serialize)]
struct FieldJson<'v> {
    line: u32,
    key: String,
    text: &'v str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_path: Option<&'v str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_sha256: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unknown: bool,
}

fn kind_name(k: ActionKind) -> &'static str {
    k.as_str()
}

pub(crate) fn write_json(w: &mut dyn Write, v: &InspectView<'_, '_>) -> io::Result<()> {
    let log = v.log;
    let st = &log.stats;
    let doc = InspectJson {
        schema_version: SCHEMA_VERSION,
        kind: "inspect",
        source: v.source,
        bytes: st.bytes,
        lines: st.lines,
        go_versions: log.go_versions.iter().map(|s| s.as_ref()).collect(),
        actions: ActionCounts {
            total: log.actions.len(),
            by_kind: log
                .counts_by_kind()
                .into_iter()
                .map(|(k, n)| (kind_name(k), n))
                .collect(),
        },
        verified: log.actions.iter().filter(|a| a.is_verified()).count(),
        unverified: log
            .unverified()
            .map(|a| UnverifiedJson {
                name: a.label(),
                open_line: a.open_line,
                reason: match &a.verification {
                    crate::model::Verification::Unverified(r) => r.clone(),
                    crate::model::Verification::Redacted => {
                        crate::model::Verification::REDACTED.to_string()
                    }
                    crate::model::Verification::Verified => String::new(),
                },
            })
            .collect(),
        subkeys: SubkeyCounts {
            total: log.subkeys.len(),
            verified: log.subkeys.iter().filter(|k| k.verified).count(),
        },
        file_hashes: log.file_hashes.len(),
        file_hash_errors: log.file_errors.len(),
        test_cache_lines: st.test_cache_lines,
        noise: NoiseJson {
            module_index_lines: st.module_index_lines,
            module_index_blocks: st.module_index_blocks,
            skipped_lines: st.skipped_lines,
            decorated_lines: st.decorated_lines,
            duplicate_blocks: st.duplicate_blocks,
        },
        unknown_fields: unknown_fields(log)
            .into_iter()
            .map(|(a, line, text)| UnknownJson {
                action: a.label(),
                line,
                text,
            })
            .collect(),
        action_list: v.list.then(|| {
            log.actions
                .iter()
                .map(|a| ActionSummaryJson {
                    name: a.name.to_string(),
                    label: a.label(),
                    kind: kind_name(a.kind),
                    id: a.id.map(|d| d.to_string()),
                    verified: a.is_verified(),
                })
                .collect()
        }),
        selected: v.selected.iter().map(|a| action_json(a)).collect(),
    };
    super::write_json_doc(w, &doc)
}

fn action_json<'v>(a: &'v Action<'_>) -> ActionJson<'v> {
    ActionJson {
        name: &a.name,
        label: a.label(),
        kind: kind_name(a.kind),
        package: a.package(),
        variant: a.variant,
        id: a.id.map(|d| d.to_string()),
        build_id_prefix: a.short_id(),
        verified: a.is_verified(),
        unverified_reason: match &a.verification {
            crate::model::Verification::Unverified(r) => Some(r.as_str()),
            crate::model::Verification::Redacted => Some(crate::model::Verification::REDACTED),
            crate::model::Verification::Verified => None,
        },
        open_line: a.open_line,
        result_line: a.result_line,
        salt: &a.salt,
        fields: a
            .fields
            .iter()
            .map(|f| {
                let (file_path, file_sha256) = match &f.input {
                    Input::File(file) => (file.path.as_deref(), file.hash.map(|h| h.to_string())),
                    _ => (None, None),
                };
                FieldJson {
                    line: f.line,
                    key: f.key().into_owned(),
                    text: &f.text,
                    file_path,
                    file_sha256,
                    unknown: matches!(f.input, Input::Unknown(_)),
                }
            })
            .collect(),
    }
}
