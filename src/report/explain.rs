//! Rendering `whymiss explain`: the overview of machine-specific inputs and a verdict, then
//! each selected action's inputs in order with what they are and where they come from. Text
//! from the log is printed through [`Untrusted`].

use std::io::{self, Write};

use owo_colors::OwoColorize;
use serde::Serialize;

use super::{SCHEMA_VERSION, Styles, Untrusted, escape, write_json_doc};
use crate::explain::{ExplainedAction, ExplainedTest, Explanation, Note, Portability, salt_note};

pub(crate) fn write_text(w: &mut dyn Write, e: &Explanation, s: &Styles) -> io::Result<()> {
    writeln!(w, "{}", Untrusted(&e.source).style(s.header))?;
    let counts: Vec<String> = e.counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    writeln!(
        w,
        "  {:<10} {}",
        "go".style(s.label),
        if e.go_versions.is_empty() {
            "unknown".to_string()
        } else {
            escape(&e.go_versions.join(", ")).into_owned()
        }
    )?;
    writeln!(
        w,
        "  {:<10} {}",
        "actions".style(s.label),
        counts.join(", ")
    )?;
    if !e.main_packages.is_empty() {
        writeln!(
            w,
            "  {:<10} {}",
            "mains".style(s.label),
            Untrusted(&e.main_packages.join(", "))
        )?;
    }
    if !e.tested_packages.is_empty() {
        writeln!(
            w,
            "  {:<10} {}",
            "tested".style(s.label),
            Untrusted(&e.tested_packages.join(", "))
        )?;
    }
    if !e.inputs.is_empty() {
        writeln!(w)?;
        writeln!(
            w,
            "{}",
            "inputs that are not the same on every machine".style(s.header)
        )?;
        for i in &e.inputs {
            let level = match i.portability {
                Portability::MachineSpecific => i.portability.as_str().style(s.warning).to_string(),
                _ => i.portability.as_str().style(s.dim).to_string(),
            };
            writeln!(
                w,
                "  {}  {level}, {} {}",
                Untrusted(&i.input).style(s.field),
                i.actions,
                if i.actions == 1 { "action" } else { "actions" }
            )?;
            writeln!(w, "      {}", Untrusted(&i.what))?;
            if let Some(knob) = &i.knob {
                writeln!(w, "      {} {}", "knob:".style(s.label), Untrusted(knob))?;
            }
        }
    }
    if e.unknown > 0 {
        writeln!(
            w,
            "  {} {} line(s) this whymiss does not know; they are part of the keys all the same",
            "unknown:".style(s.warning),
            e.unknown
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "{} {}",
        "verdict:".style(s.header),
        Untrusted(&e.verdict)
    )?;
    if !e.listed.is_empty() {
        writeln!(w)?;
        writeln!(
            w,
            "{}",
            "actions (name one, or its package, to see its key input by input)".style(s.header)
        )?;
        for a in &e.listed {
            writeln!(w, "  {}", Untrusted(&a.label))?;
        }
    }
    for a in &e.actions {
        writeln!(w)?;
        write_action(w, a, e.log_lines, s)?;
    }
    for t in &e.tests {
        writeln!(w)?;
        write_test(w, t, s)?;
    }
    Ok(())
}

fn note_line(n: &Note, s: &Styles) -> String {
    let level = match n.portability {
        Portability::MachineSpecific => n.portability.as_str().style(s.warning).to_string(),
        Portability::HostDependent => n.portability.as_str().style(s.dim).to_string(),
        Portability::Portable => String::new(),
    };
    let mut out = format!("{} [{}", Untrusted(&n.what), n.origin.as_str());
    if !level.is_empty() {
        out.push_str(&format!(", {level}"));
    }
    out.push(']');
    if let Some(k) = &n.knob {
        out.push_str(&format!(" knob: {}", Untrusted(k)));
    }
    out
}

/// One action's key: its inputs numbered in the order go hashed them (the salt first), each
/// with its note below it, and, when they come from a log the user has, their line numbers in
/// that log (not consecutive: other actions' lines and file hashes lie between them).
fn write_action(
    w: &mut dyn Write,
    a: &ExplainedAction,
    log_lines: bool,
    s: &Styles,
) -> io::Result<()> {
    writeln!(w, "{}", Untrusted(&a.label).style(s.header))?;
    writeln!(
        w,
        "  {} {}{}",
        "key".style(s.label),
        Untrusted(a.id.as_deref().unwrap_or("(no result printed)")),
        if a.verified { "" } else { " (not verified)" }
    )?;
    let number = (a.fields.len() + 1).to_string().len();
    let line = a
        .fields
        .iter()
        .map(|f| f.line.to_string().len())
        .max()
        .unwrap_or(0)
        .max(LOG_LINE.len());
    // `  #  log line  ` or `  #  `: the columns before each input.
    let columns = |n: &str, l: &str| {
        if log_lines {
            format!("  {n:>number$}  {l:>line$}  ")
        } else {
            format!("  {n:>number$}  ")
        }
    };
    let under = " ".repeat(columns("", "").len());
    writeln!(
        w,
        "{}",
        format!(
            "{}input, in the order go hashed them",
            columns("#", LOG_LINE)
        )
        .style(s.dim)
    )?;
    writeln!(
        w,
        "{}{}",
        columns("1", "").style(s.dim),
        Untrusted(&a.salt).style(s.field)
    )?;
    writeln!(
        w,
        "{under}{}",
        note_line(&salt_note(), &Styles::default()).style(s.dim)
    )?;
    for (i, f) in a.fields.iter().enumerate() {
        writeln!(
            w,
            "{}{}",
            columns(&(i + 2).to_string(), &f.line.to_string()).style(s.dim),
            shorten(&f.text, 140).style(s.field)
        )?;
        writeln!(w, "{under}{}", note_line(&f.note, s))?;
    }
    Ok(())
}

/// The heading of the column of log line numbers.
const LOG_LINE: &str = "log line";

fn write_test(w: &mut dyn Write, t: &ExplainedTest, s: &Styles) -> io::Result<()> {
    writeln!(
        w,
        "{}",
        format!("test {}", Untrusted(&t.package)).style(s.header)
    )?;
    writeln!(
        w,
        "  {} test binary {} with flags [{}]: the first half of the test result's key",
        "key".style(s.label),
        Untrusted(t.binary_id.as_deref().unwrap_or("?")),
        Untrusted(&t.args.join(" "))
    )?;
    writeln!(
        w,
        "  {} {}",
        "outcome".style(s.label),
        Untrusted(&t.outcome)
    )?;
    if t.inputs.is_empty() {
        writeln!(
            w,
            "  {}",
            "no run-time inputs recorded (the test read no env vars or files)".style(s.dim)
        )?;
    }
    for (input, note) in &t.inputs {
        writeln!(
            w,
            "  {} {}",
            input.op.as_str().style(s.field),
            Untrusted(&input.name).style(s.field)
        )?;
        writeln!(w, "         {}", note_line(note, s))?;
    }
    Ok(())
}

/// `text` escaped (so on one line), cut after `max` characters.
fn shorten(text: &str, max: usize) -> String {
    let one = escape(text).into_owned();
    if one.chars().count() <= max {
        one
    } else {
        format!("{}…", one.chars().take(max).collect::<String>())
    }
}

#[derive(Serialize)]
struct ExplainJson<'e> {
    schema_version: u32,
    kind: &'static str,
    source: &'e str,
    go_versions: &'e [String],
    actions_by_kind: Vec<KindCount>,
    main_packages: &'e [String],
    tested_packages: &'e [String],
    inputs: Vec<InputJson<'e>>,
    unknown_lines: usize,
    verdict: &'e str,
    listed: Vec<ListedJson<'e>>,
    selected: Vec<ActionJson<'e>>,
    tests: Vec<TestJson<'e>>,
}

#[derive(Serialize)]
struct ListedJson<'e> {
    label: &'e str,
    kind: &'static str,
    id: Option<&'e str>,
}

#[derive(Serialize)]
struct KindCount {
    kind: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct InputJson<'e> {
    input: &'e str,
    portability: &'static str,
    what: &'e str,
    knob: Option<&'e str>,
    actions: usize,
    example: &'e str,
}

#[derive(Serialize)]
struct NoteJson<'e> {
    what: &'e str,
    origin: &'static str,
    portability: &'static str,
    knob: Option<&'e str>,
    dependency: Option<&'e str>,
}

fn note_json(n: &Note) -> NoteJson<'_> {
    NoteJson {
        what: &n.what,
        origin: n.origin.as_str(),
        portability: n.portability.as_str(),
        knob: n.knob.as_deref(),
        dependency: n.dependency.as_deref(),
    }
}

#[derive(Serialize)]
struct ActionJson<'e> {
    name: &'e str,
    label: &'e str,
    kind: &'static str,
    id: Option<&'e str>,
    build_id_prefix: Option<&'e str>,
    verified: bool,
    salt: &'e str,
    fields: Vec<FieldJson<'e>>,
}

#[derive(Serialize)]
struct FieldJson<'e> {
    line: u32,
    key: &'e str,
    text: &'e str,
    #[serde(flatten)]
    note: NoteJson<'e>,
}

#[derive(Serialize)]
struct TestJson<'e> {
    package: &'e str,
    binary_id: Option<&'e str>,
    args: &'e [String],
    outcome: &'e str,
    inputs: Vec<TestInputJson<'e>>,
}

#[derive(Serialize)]
struct TestInputJson<'e> {
    op: &'static str,
    name: &'e str,
    hash: String,
    #[serde(flatten)]
    note: NoteJson<'e>,
}

pub(crate) fn write_json(w: &mut dyn Write, e: &Explanation) -> io::Result<()> {
    let doc = ExplainJson {
        schema_version: SCHEMA_VERSION,
        kind: "explain",
        source: &e.source,
        go_versions: &e.go_versions,
        actions_by_kind: e
            .counts
            .iter()
            .map(|&(kind, count)| KindCount { kind, count })
            .collect(),
        main_packages: &e.main_packages,
        tested_packages: &e.tested_packages,
        inputs: e
            .inputs
            .iter()
            .map(|i| InputJson {
                input: &i.input,
                portability: i.portability.as_str(),
                what: &i.what,
                knob: i.knob.as_deref(),
                actions: i.actions,
                example: &i.example,
            })
            .collect(),
        unknown_lines: e.unknown,
        verdict: &e.verdict,
        listed: e
            .listed
            .iter()
            .map(|a| ListedJson {
                label: &a.label,
                kind: a.kind,
                id: a.id.as_deref(),
            })
            .collect(),
        selected: e
            .actions
            .iter()
            .map(|a| ActionJson {
                name: &a.name,
                label: &a.label,
                kind: a.kind,
                id: a.id.as_deref(),
                build_id_prefix: a.build_id_prefix.as_deref(),
                verified: a.verified,
                salt: &a.salt,
                fields: a
                    .fields
                    .iter()
                    .map(|f| FieldJson {
                        line: f.line,
                        key: &f.key,
                        text: &f.text,
                        note: note_json(&f.note),
                    })
                    .collect(),
            })
            .collect(),
        tests: e
            .tests
            .iter()
            .map(|t| TestJson {
                package: &t.package,
                binary_id: t.binary_id.as_deref(),
                args: &t.args,
                outcome: &t.outcome,
                inputs: t
                    .inputs
                    .iter()
                    .map(|(i, n)| TestInputJson {
                        op: i.op.as_str(),
                        name: &i.name,
                        hash: i.hash.to_string(),
                        note: note_json(n),
                    })
                    .collect(),
            })
            .collect(),
    };
    write_json_doc(w, &doc)
}
