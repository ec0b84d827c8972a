//! The human report of a comparison: the verdict and counts, what differs in how the sides
//! were produced, each root cause (category, field, token-level A vs B, affected actions, why,
//! fix), one line for knock-on changes, and notes. Short by default; `--all` expands lists.
//! Every value from the logs or how they were produced is printed through [`Untrusted`].

use std::io::{self, Write};

use owo_colors::OwoColorize;

use super::{Styles, Untrusted, escape, plural};
use crate::diff::gate::{CauseGate, Decision};
use crate::diff::{
    Category, Cause, Comparison, ComparisonMode, DoubtKind, Side, Status, TokenSide, Verdict,
    VerifyStatus, changed_with_context,
};

/// Rendering options.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TextOptions {
    /// List every affected action and every cause instead of collapsing.
    pub all: bool,
}

/// How many affected actions are named before collapsing into a count.
const SHOWN_ACTIONS: usize = 3;
/// How many causes of one category are shown before collapsing (source files, typically).
const SHOWN_PER_CATEGORY: usize = 3;

/// The whole report: the sides, the verdict with its doubts, then one section after another.
pub(crate) fn write_report(
    w: &mut dyn Write,
    r: &Comparison,
    decision: &Decision,
    opts: TextOptions,
    s: &Styles,
) -> io::Result<()> {
    side_line(w, "A", &r.a, s.side_a, s)?;
    side_line(w, "B", &r.b, s.side_b, s)?;
    writeln!(w)?;
    headline(w, r, s)?;
    write_doubts(w, r, s)?;
    if r.verdict == Verdict::Inconclusive && r.summary.compared > 0 {
        writeln!(w, "{}", known(r))?;
    }
    write_settings(w, r, s)?;
    write_causes(w, r, decision, opts, s)?;
    write_knock_on(w, r, opts, s)?;
    write_unproven(w, r, opts, s)?;
    write_only_one_side(w, r, opts, s)?;
    write_notes(w, r, s)?;
    write_gate_note(w, r, decision, s)
}

/// Each doubt under the headline, with the error tail of a side whose build failed.
fn write_doubts(w: &mut dyn Write, r: &Comparison, s: &Styles) -> io::Result<()> {
    for doubt in &r.doubts {
        writeln!(
            w,
            "  {} {}",
            "-".style(s.warning),
            Untrusted(&doubt.message)
        )?;
        if let DoubtKind::BuildFailed { side, .. } = doubt.kind {
            let info = if side == Side::A { &r.a } else { &r.b };
            for line in &info.error_tail {
                writeln!(w, "    {} {}", "│".style(s.dim), Untrusted(line))?;
            }
        }
    }
    Ok(())
}

/// The settings that differ in how the sides were produced, aligned in one column.
fn write_settings(w: &mut dyn Write, r: &Comparison, s: &Styles) -> io::Result<()> {
    if r.settings.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "{}", "settings that differ".style(s.header))?;
    let width = r
        .settings
        .iter()
        .map(|d| d.setting.len())
        .max()
        .unwrap_or(0);
    for d in &r.settings {
        writeln!(
            w,
            "  {:<width$}  {} {}  {} {}",
            Untrusted(&d.setting).style(s.field),
            "A".style(s.side_a),
            shown(d.a.as_deref()),
            "B".style(s.side_b),
            shown(d.b.as_deref()),
        )?;
    }
    Ok(())
}

/// The causes: a count only when the sides ran different commands (unless `--all`), else
/// each cause, a few per category, the rest collapsed per category.
fn write_causes(
    w: &mut dyn Write,
    r: &Comparison,
    decision: &Decision,
    opts: TextOptions,
    s: &Styles,
) -> io::Result<()> {
    if r.causes.is_empty() {
        return Ok(());
    }
    let commands_differ = r
        .doubts
        .iter()
        .any(|d| matches!(d.kind, DoubtKind::DifferentCommands { .. }));
    writeln!(w)?;
    if commands_differ && !opts.all {
        // Logs of different commands differ in many inputs that only say so.
        return writeln!(
            w,
            "{} {}, which mostly reflect the different commands (--all lists them)",
            "what differs:".style(s.header),
            plural(r.causes.len(), "cause"),
        );
    }
    let title = if r.causes.len() == 1 {
        "cause".to_string()
    } else {
        format!("{} causes, first divergent first", r.causes.len())
    };
    writeln!(w, "{}", title.style(s.header))?;
    let mut per_category: std::collections::BTreeMap<Category, usize> = Default::default();
    let mut hidden: std::collections::BTreeMap<Category, Vec<&Cause>> = Default::default();
    let mut n = 0;
    for (i, cause) in r.causes.iter().enumerate() {
        let seen = per_category.entry(cause.category).or_insert(0);
        *seen += 1;
        if !opts.all && *seen > SHOWN_PER_CATEGORY {
            hidden.entry(cause.category).or_default().push(cause);
            continue;
        }
        n += 1;
        let gate = decision.causes.get(i).unwrap_or(&CauseGate::Failing);
        write_cause(w, n, cause, gate, opts, s)?;
    }
    for (cat, causes) in hidden {
        write_hidden_causes(w, cat, &causes, s)?;
    }
    Ok(())
}

/// One line for the causes of a category beyond the first few: how many, and a few fields.
fn write_hidden_causes(
    w: &mut dyn Write,
    cat: Category,
    causes: &[&Cause],
    s: &Styles,
) -> io::Result<()> {
    let fields: Vec<&str> = causes.iter().take(3).map(|c| c.field.as_str()).collect();
    writeln!(
        w,
        "   … and {} more {} causes ({}{}; --all shows them)",
        causes.len(),
        cat.as_str().style(s.category),
        Untrusted(&fields.join(", ")),
        if causes.len() > 3 { ", …" } else { "" }
    )
}

/// The labels of the actions with this status, in report order.
fn labels_with(r: &Comparison, status: Status) -> Vec<&str> {
    r.actions
        .iter()
        .filter(|a| a.status == status)
        .map(|a| a.label.as_str())
        .collect()
}

/// One line for the knock-on actions; in a dry run only an upper bound is known.
fn write_knock_on(
    w: &mut dyn Write,
    r: &Comparison,
    opts: TextOptions,
    s: &Styles,
) -> io::Result<()> {
    let knock = labels_with(r, Status::KnockOn);
    if knock.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    if r.summary.knock_on_upper_bound {
        writeln!(
            w,
            "{} at most {} would miss through dependencies: {} (a dry run cannot tell \
             whether a dependency's compiled output changes; --exact builds to find out)",
            "knock-on:".style(s.header),
            plural(knock.len(), "action"),
            list(&knock, opts.all)
        )
    } else {
        writeln!(
            w,
            "{} {} only because a dependency's output changed: {}",
            "knock-on:".style(s.header),
            if knock.len() == 1 {
                "1 action differs".to_string()
            } else {
                format!("{} actions differ", knock.len())
            },
            list(&knock, opts.all)
        )
    }
}

/// One line for the actions whose keys differ but whose blocks are not proven.
fn write_unproven(
    w: &mut dyn Write,
    r: &Comparison,
    opts: TextOptions,
    s: &Styles,
) -> io::Result<()> {
    let unproven = labels_with(r, Status::Unproven);
    if unproven.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(
        w,
        "{} {} whose keys differ, but whose blocks are not proven by SHA-256, so what differs is not known: {}",
        "not proven:".style(s.header),
        plural(unproven.len(), "action"),
        list(&unproven, opts.all)
    )
}

/// One line each for the actions built only in A and only in B.
fn write_only_one_side(
    w: &mut dyn Write,
    r: &Comparison,
    opts: TextOptions,
    s: &Styles,
) -> io::Result<()> {
    for (status, side) in [(Status::OnlyA, "A"), (Status::OnlyB, "B")] {
        let only = labels_with(r, status);
        if !only.is_empty() {
            writeln!(
                w,
                "{} {}: {}",
                format!("only in {side}:").style(s.header),
                plural(only.len(), "action"),
                list(&only, opts.all)
            )?;
        }
    }
    Ok(())
}

/// The comparison's notes.
fn write_notes(w: &mut dyn Write, r: &Comparison, s: &Styles) -> io::Result<()> {
    if r.notes.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "{}", "notes".style(s.header))?;
    for note in &r.notes {
        writeln!(w, "  {} {}", "-".style(s.dim), Untrusted(note))?;
    }
    Ok(())
}

/// When the gate, not the verdict alone, decided the exit status, a note saying so (under
/// the notes heading, written here if there were no notes).
fn write_gate_note(
    w: &mut dyn Write,
    r: &Comparison,
    decision: &Decision,
    s: &Styles,
) -> io::Result<()> {
    let verdict_status = match r.verdict {
        Verdict::Same => 0,
        Verdict::Differ | Verdict::Unmatched => 1,
        Verdict::Inconclusive => 2,
    };
    let (_, allowed, ignored) = decision.counts();
    let gated = allowed + ignored > 0
        || decision.one_sided_allowed.is_some()
        || decision.exit_code != verdict_status;
    if !gated || r.verdict == Verdict::Inconclusive {
        return Ok(());
    }
    if r.notes.is_empty() {
        writeln!(w)?;
        writeln!(w, "{}", "notes".style(s.header))?;
    }
    let mut line = String::new();
    if let Some(a) = &decision.one_sided_allowed {
        line.push_str(&format!(
            "actions built on one side only allowed: {} ({}); ",
            a.reason, a.source
        ));
    }
    writeln!(
        w,
        "  {} {}exit status {}: {}",
        "-".style(s.dim),
        Untrusted(&line),
        decision.exit_code,
        Untrusted(&decision.reason)
    )
}

/// What is known despite the doubts: how many of the actions both sides hashed differ.
fn known(r: &Comparison) -> String {
    let sm = &r.summary;
    if sm.differ == 0 {
        format!(
            "what both sides hashed: all {} actions built on both sides match",
            sm.compared
        )
    } else {
        format!(
            "what both sides hashed: {} of {} actions differ ({})",
            sm.differ,
            sm.compared,
            differ_parts(sm).join(", ")
        )
    }
}

/// `2 with an input of their own, 1 only through dependencies`.
fn differ_parts(sm: &crate::diff::Summary) -> Vec<String> {
    let mut parts = Vec::new();
    if sm.root_cause > 0 {
        parts.push(format!("{} with an input of their own", sm.root_cause));
    }
    if sm.knock_on_upper_bound {
        parts.push(format!("at most {} more through dependencies", sm.knock_on));
    } else if sm.knock_on > 0 {
        parts.push(format!("{} only through dependencies", sm.knock_on));
    }
    if sm.nondeterministic > 0 {
        parts.push(format!(
            "{} through a nondeterministic dependency",
            sm.nondeterministic
        ));
    }
    if sm.unproven > 0 {
        parts.push(format!("{} not proven", sm.unproven));
    }
    parts
}

fn side_line(
    w: &mut dyn Write,
    name: &str,
    side: &crate::model::SideInfo,
    style: owo_colors::Style,
    s: &Styles,
) -> io::Result<()> {
    let text = side_description(name, side);
    let version = side.go_version.as_deref().unwrap_or("go version unknown");
    writeln!(
        w,
        "{}  {}  {}",
        name.style(style).style(s.label),
        Untrusted(&text),
        Untrusted(version).style(s.dim)
    )
}

/// What a side is, in a few words: what whymiss ran and where, or the file it read (with its
/// label). Not escaped.
pub(super) fn side_description(name: &str, side: &crate::model::SideInfo) -> String {
    if side.source == "command" {
        // A build script whymiss ran (`whymiss check --cmd`).
        let mut t = if side.label.is_empty() || side.label == name {
            format!("$ {}", side.args.join(" "))
        } else {
            format!("{}: $ {}", side.label, side.args.join(" "))
        };
        if let Some(dir) = &side.dir {
            t.push_str(&format!(" in {dir}"));
        }
        t
    } else if side.source == "live" {
        // A build whymiss ran: what it ran, and where; its label unless that is the side's
        // letter already in the first column.
        let mut t = if side.label.is_empty() || side.label == name {
            format!("go {}", side.args.join(" "))
        } else {
            format!("{}: go {}", side.label, side.args.join(" "))
        };
        if let Some(dir) = &side.dir {
            t.push_str(&format!(" in {dir}"));
        }
        t
    } else if !side.label.is_empty() && side.label != name && side.label != side.source {
        format!("{} ({})", side.label, side.source)
    } else {
        side.source.clone()
    }
}

/// How the keys were computed, as the headline says it.
fn mode_words(mode: ComparisonMode) -> &'static str {
    match mode {
        ComparisonMode::Exact => "",
        ComparisonMode::Dry => " (dry run, nothing compiled)",
        ComparisonMode::Mixed => " (a dry run against a real build)",
    }
}

fn headline(w: &mut dyn Write, r: &Comparison, s: &Styles) -> io::Result<()> {
    let style = match r.verdict {
        Verdict::Same => s.ok,
        Verdict::Differ | Verdict::Unmatched | Verdict::Inconclusive => s.warning,
    };
    writeln!(w, "{}", headline_text(r).style(style))
}

/// The verdict and counts in one sentence.
pub(super) fn headline_text(r: &Comparison) -> String {
    let sm = &r.summary;
    let mode = mode_words(r.mode);
    match r.verdict {
        Verdict::Same => match r.mode {
            ComparisonMode::Exact => format!(
                "same keys: all {} actions built on both sides match, so the cache would hit",
                sm.compared
            ),
            ComparisonMode::Dry | ComparisonMode::Mixed => format!(
                "same keys{mode}: all {} actions match, so with A's cache every action of B \
                 would hit",
                sm.compared
            ),
        },
        Verdict::Differ => {
            format!(
                "keys differ{mode}: {} of {} actions would miss the cache ({})",
                sm.differ,
                sm.compared,
                differ_parts(sm).join(", ")
            )
        }
        Verdict::Unmatched => {
            let mut sides = Vec::new();
            if sm.only_a > 0 {
                sides.push(format!("{} only in A", sm.only_a));
            }
            if sm.only_b > 0 {
                sides.push(format!("{} only in B", sm.only_b));
            }
            format!(
                "unmatched: the {} actions built on both sides match, but {} {} built on one \
                 side only ({}), so the other side's cache cannot answer for them",
                sm.compared,
                sm.only_a + sm.only_b,
                if sm.only_a + sm.only_b == 1 {
                    "was"
                } else {
                    "were"
                },
                sides.join(", ")
            )
        }
        Verdict::Inconclusive => {
            "inconclusive: whymiss cannot say whether the cache would hit".to_string()
        }
    }
}

pub(crate) fn write_cause(
    w: &mut dyn Write,
    n: usize,
    c: &Cause,
    gate: &CauseGate,
    opts: TextOptions,
    s: &Styles,
) -> io::Result<()> {
    let ignored = match gate {
        CauseGate::Failing => String::new(),
        other => format!(" {}", format!("({})", other.as_str()).style(s.dim)),
    };
    writeln!(
        w,
        "{:>2}. {}  {}{ignored}",
        n,
        c.category.as_str().style(s.category),
        Untrusted(&c.field).style(s.field)
    )?;
    let indent = "    ";
    if let Some((from, to)) = &c.rewrite {
        writeln!(
            w,
            "{indent}{} {}  {}  {} {}",
            "A".style(s.side_a),
            Untrusted(from).style(s.side_a),
            "→".style(s.dim),
            "B".style(s.side_b),
            Untrusted(to).style(s.side_b)
        )?;
    } else if c.tokens.iter().any(|t| t.side == TokenSide::Equal)
        && c.tokens.iter().any(|t| t.side != TokenSide::Equal)
        && c.a.is_some()
        && c.b.is_some()
    {
        // Long values with something in common: only the tokens that differ, in context.
        let mut line = String::new();
        for t in changed_with_context(&c.tokens, 2) {
            match t {
                None => line.push_str(&format!("{} ", "…".style(s.dim))),
                Some(t) => match t.side {
                    TokenSide::Equal => {
                        line.push_str(&format!("{} ", Untrusted(&t.text).style(s.dim)))
                    }
                    TokenSide::A => line.push_str(&format!(
                        "{} ",
                        format!("-{}", Untrusted(&t.text)).style(s.side_a)
                    )),
                    TokenSide::B => line.push_str(&format!(
                        "{} ",
                        format!("+{}", Untrusted(&t.text)).style(s.side_b)
                    )),
                },
            }
        }
        writeln!(w, "{indent}{}", line.trim_end())?;
    } else {
        writeln!(
            w,
            "{indent}{} {}",
            "A".style(s.side_a),
            shown(c.a.as_deref()).style(s.side_a)
        )?;
        writeln!(
            w,
            "{indent}{} {}",
            "B".style(s.side_b),
            shown(c.b.as_deref()).style(s.side_b)
        )?;
    }
    let names: Vec<&str> = c.actions.iter().map(|a| a.as_str()).collect();
    writeln!(
        w,
        "{indent}{} {}",
        "in".style(s.label),
        if names.len() == 1 {
            escape(names[0]).into_owned()
        } else {
            format!(
                "{}: {}",
                plural(names.len(), "action"),
                list(&names, opts.all)
            )
        }
    )?;
    if !c.also.is_empty() {
        writeln!(
            w,
            "{indent}{} {}",
            "also".style(s.label),
            Untrusted(&c.also.join(", "))
        )?;
    }
    if let Some(v) = &c.variation {
        writeln!(
            w,
            "{indent}{} {}",
            "from".style(s.label),
            Untrusted(&format!("varying {}", super::markdown::variation(v)))
        )?;
    }
    writeln!(w, "{indent}{} {}", "why".style(s.label), Untrusted(&c.why))?;
    if let Some(fix) = gate.fix(c) {
        writeln!(w, "{indent}{} {}", "fix".style(s.label), Untrusted(fix))?;
    }
    if let Some(v) = &c.verification {
        let style = match v.status {
            VerifyStatus::Verified => s.ok,
            VerifyStatus::NotEnough => s.warning,
            VerifyStatus::NotTried | VerifyStatus::Failed => s.dim,
        };
        writeln!(w, "{indent}{}", Untrusted(&v.message).style(style))?;
    }
    if let Some(reason) = gate.reason() {
        writeln!(
            w,
            "{indent}{} {}",
            gate.as_str().style(s.label),
            Untrusted(&reason)
        )?;
    }
    Ok(())
}

/// A value for display: absent values are named, long ones shortened, all escaped.
fn shown(v: Option<&str>) -> String {
    match v {
        None => "(absent)".into(),
        Some("") => "(empty)".into(),
        Some(v) if v.chars().count() > 160 => {
            let cut: String = v.chars().take(160).collect();
            format!("{}…", escape(&cut))
        }
        Some(v) => escape(v).into_owned(),
    }
}

/// `a, b, c, … (+N; --all lists them)`, escaped.
pub(crate) fn list(items: &[&str], all: bool) -> String {
    if all || items.len() <= SHOWN_ACTIONS {
        return escape(&items.join(", ")).into_owned();
    }
    format!(
        "{}, … (+{} more; --all lists them)",
        escape(&items[..SHOWN_ACTIONS].join(", ")),
        items.len() - SHOWN_ACTIONS
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Token;

    fn cause(a: &str, b: &str, tokens: Vec<Token>) -> Cause {
        Cause {
            category: Category::CompilerFlags,
            field: "-gcflags".into(),
            a: Some(a.into()),
            b: Some(b.into()),
            rewrite: None,
            tokens,
            actions: vec!["build example.com/tiny".into()],
            why: "why".into(),
            fix: None,
            rows: &[],
            also: Vec::new(),
            order: 0,
            class: crate::diff::Class::Field("-gcflags".into()),
            verification: None,
            variation: None,
        }
    }

    fn rendered(c: &Cause) -> String {
        let mut out = Vec::new();
        write_cause(
            &mut out,
            1,
            c,
            &CauseGate::Failing,
            TextOptions::default(),
            &Styles::default(),
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn values_whose_tokens_show_no_change_are_printed_whole() {
        // The tokens of `-N` against `all=-N` compared without the pattern were all equal, and
        // the report printed `…` instead of either value.
        let equal = |t: &str| Token {
            side: TokenSide::Equal,
            text: t.into(),
        };
        let text = rendered(&cause("-N", "all=-N", vec![equal("-N")]));
        assert!(text.contains("    A -N\n"), "{text}");
        assert!(text.contains("    B all=-N\n"), "{text}");
        assert!(!text.contains('…'), "{text}");
        // Tokens that do show the change are used.
        let changed = vec![
            equal("-O2"),
            Token {
                side: TokenSide::A,
                text: "-g".into(),
            },
        ];
        let text = rendered(&cause("-O2 -g", "-O2", changed));
        assert!(text.contains("-O2 --g"), "{text}");
    }
}
