//! The markdown summary of a comparison, for a CI job's page (GitHub's job summary, a merge
//! request comment): a heading with the verdict and the exit status, one table row per cause
//! (its gate, category, field, where, variation and fix), then the details collapsed in a
//! `<details>` block. Every value from input is escaped for CommonMark: inline code with a fence
//! longer than any backtick run in it, text with every ASCII punctuation character
//! backslash-escaped, a table cell's `|` as `\|`, and invisible characters made visible
//! ([`super::escape`]).

use std::io::{self, Write};

use super::{escape, plural};
use crate::diff::gate::{CauseGate, Decision};
use crate::diff::{Cause, Comparison, Status, Verdict};

/// How many actions a table cell names before counting the rest.
const SHOWN_ACTIONS: usize = 2;

/// Writes the summary. `title` names the command (`whymiss check`).
pub(crate) fn write_report(
    w: &mut dyn Write,
    r: &Comparison,
    decision: &Decision,
    title: &str,
) -> io::Result<()> {
    writeln!(w, "### {}: {}", text(title), verdict_words(r, decision))?;
    writeln!(w)?;
    writeln!(w, "{}", status_line(r, decision))?;
    write_failed_builds(w, r)?;
    write_one_sided_allowed(w, r, decision)?;
    write_cause_table(w, r, decision)?;
    write_details(w, r, decision)
}

/// The heading's verdict, as the exit status decided it.
fn verdict_words(r: &Comparison, decision: &Decision) -> &'static str {
    match (decision.exit_code, r.verdict) {
        (2, _) if r.partial => "✗ trouble: a build failed, the comparison is partial",
        (2, _) => "✗ inconclusive: whymiss cannot say whether the cache would hit",
        (1, Verdict::Unmatched) => "✗ actions built on one side only",
        (1, _) => "✗ cache keys differ",
        (_, Verdict::Same) => "✓ cache keys match",
        (_, Verdict::Differ | Verdict::Unmatched | Verdict::Inconclusive) => {
            "✓ no failing difference"
        }
    }
}

/// The exit status and the counts behind it, in one paragraph.
fn status_line(r: &Comparison, decision: &Decision) -> String {
    let (failing, allowed, ignored) = decision.counts();
    let sm = &r.summary;
    let mut line = format!("**Exit status {}.** ", decision.exit_code);
    match r.verdict {
        Verdict::Same => line.push_str(&format!(
            "All {} actions built on both sides have the same key.",
            sm.compared
        )),
        Verdict::Unmatched => line.push_str(&format!(
            "The {} actions built on both sides have the same key, but {} were built on one side \
             only ({} only in A, {} only in B).",
            sm.compared,
            sm.only_a + sm.only_b,
            sm.only_a,
            sm.only_b
        )),
        Verdict::Inconclusive => line.push_str(&text(&decision.reason)),
        Verdict::Differ => {
            line.push_str(&format!(
                "{} of {} actions would miss the cache ({} with an input of their own, {} only \
                 through dependencies). ",
                sm.differ, sm.compared, sm.root_cause, sm.knock_on
            ));
            let mut parts = vec![format!("{failing} failing")];
            if allowed > 0 {
                parts.push(format!("{allowed} allowed"));
            }
            if ignored > 0 {
                parts.push(format!("{ignored} ignored"));
            }
            line.push_str(&format!(
                "{}: {}.",
                plural(r.causes.len(), "cause"),
                parts.join(", ")
            ));
        }
    }
    line
}

/// In a partial comparison, a paragraph for each side whose build failed, with its error tail.
fn write_failed_builds(w: &mut dyn Write, r: &Comparison) -> io::Result<()> {
    if !r.partial {
        return Ok(());
    }
    for (name, side) in [("A", &r.a), ("B", &r.b)] {
        if side.exit_status.is_some_and(|c| c != 0) {
            writeln!(w)?;
            writeln!(
                w,
                "Side {name}'s build failed (exit {}): {}",
                side.exit_status.unwrap_or_default(),
                code(&side.error_tail.join(" / "))
            )?;
        }
    }
    Ok(())
}

/// A paragraph saying that actions built on one side only are allowed, and by what.
fn write_one_sided_allowed(
    w: &mut dyn Write,
    r: &Comparison,
    decision: &Decision,
) -> io::Result<()> {
    let Some(a) = &decision.one_sided_allowed else {
        return Ok(());
    };
    writeln!(w)?;
    writeln!(
        w,
        "Actions built on one side only ({} in A, {} in B) are allowed: {} ({}).",
        r.summary.only_a,
        r.summary.only_b,
        text(&a.reason),
        text(&a.source)
    )
}

/// The table of causes: one row per cause, with a variation column when any cause has one.
fn write_cause_table(w: &mut dyn Write, r: &Comparison, decision: &Decision) -> io::Result<()> {
    if r.causes.is_empty() {
        return Ok(());
    }
    let check = r.causes.iter().any(|c| c.variation.is_some());
    writeln!(w)?;
    if check {
        writeln!(w, "| | Category | Field | Where | Variation | Fix |")?;
        writeln!(w, "|---|---|---|---|---|---|")?;
    } else {
        writeln!(w, "| | Category | Field | Where | Fix |")?;
        writeln!(w, "|---|---|---|---|---|")?;
    }
    for (cause, gate) in r.causes.iter().zip(&decision.causes) {
        let mut row = vec![
            mark(gate).to_string(),
            code(cause.category.as_str()),
            code(&cause.field),
            cell(&where_(r, cause)),
        ];
        if check {
            row.push(cell(
                &cause.variation.as_ref().map_or_else(String::new, variation),
            ));
        }
        let fix = gate.fix(cause).unwrap_or("");
        row.push(match gate.reason() {
            Some(reason) => format!("{} *({})*", cell(fix), cell(&reason)),
            None => cell(fix),
        });
        writeln!(w, "| {} |", row.join(" | "))?;
    }
    Ok(())
}

/// The collapsed `<details>` block: each cause in full, knock-on, settings, builds, notes.
fn write_details(w: &mut dyn Write, r: &Comparison, decision: &Decision) -> io::Result<()> {
    writeln!(w)?;
    writeln!(w, "<details><summary>Details</summary>")?;
    writeln!(w)?;
    for (n, (cause, gate)) in r.causes.iter().zip(&decision.causes).enumerate() {
        details(w, n + 1, r, cause, gate)?;
    }
    write_knock_on(w, r)?;
    write_settings(w, r)?;
    write_builds(w, r)?;
    write_notes(w, r)?;
    writeln!(w, "</details>")?;
    writeln!(w)
}

/// How many actions differ only because a dependency's output changed.
fn write_knock_on(w: &mut dyn Write, r: &Comparison) -> io::Result<()> {
    let knock = r
        .actions
        .iter()
        .filter(|a| a.status == Status::KnockOn)
        .count();
    if knock == 0 {
        return Ok(());
    }
    writeln!(
        w,
        "**Knock-on:** {} only because a dependency's output changed.",
        plural(knock, "action")
    )?;
    writeln!(w)
}

/// The settings that differ in how the sides were produced.
fn write_settings(w: &mut dyn Write, r: &Comparison) -> io::Result<()> {
    if r.settings.is_empty() {
        return Ok(());
    }
    writeln!(w, "**Settings that differ**")?;
    writeln!(w)?;
    for s in &r.settings {
        writeln!(
            w,
            "- {}: A {}, B {}",
            code(&s.setting),
            value(s.a.as_deref()),
            value(s.b.as_deref())
        )?;
    }
    writeln!(w)
}

/// What each side ran, where, with which Go.
fn write_builds(w: &mut dyn Write, r: &Comparison) -> io::Result<()> {
    writeln!(w, "**Builds**")?;
    writeln!(w)?;
    for (name, side) in [("A", &r.a), ("B", &r.b)] {
        writeln!(
            w,
            "- {name}: {} in {} ({})",
            code(&side_command(side)),
            code(side.dir.as_deref().unwrap_or("?")),
            text(side.go_version.as_deref().unwrap_or("go version unknown"))
        )?;
    }
    writeln!(w)
}

/// The comparison's notes.
fn write_notes(w: &mut dyn Write, r: &Comparison) -> io::Result<()> {
    if r.notes.is_empty() {
        return Ok(());
    }
    writeln!(w, "**Notes**")?;
    writeln!(w)?;
    for note in &r.notes {
        writeln!(w, "- {}", text(note))?;
    }
    writeln!(w)
}

fn details(
    w: &mut dyn Write,
    n: usize,
    r: &Comparison,
    cause: &Cause,
    gate: &CauseGate,
) -> io::Result<()> {
    writeln!(
        w,
        "**{n}. {} {}** ({})",
        code(cause.category.as_str()),
        code(&cause.field),
        gate.as_str()
    )?;
    writeln!(w)?;
    match &cause.rewrite {
        Some((a, b)) => {
            writeln!(w, "- A: {}", code(a))?;
            writeln!(w, "- B: {}", code(b))?;
        }
        None => {
            writeln!(w, "- A: {}", value(cause.a.as_deref()))?;
            writeln!(w, "- B: {}", value(cause.b.as_deref()))?;
        }
    }
    let names: Vec<String> = cause.actions.iter().map(|a| code(a)).collect();
    writeln!(w, "- in: {}", names.join(", "))?;
    if let Some(v) = &cause.variation {
        writeln!(w, "- variation: {}", text(&variation(v)))?;
    }
    writeln!(w, "- why: {}", text(&cause.why))?;
    if let Some(fix) = gate.fix(cause) {
        writeln!(w, "- fix: {}", text(fix))?;
    }
    if let Some(reason) = gate.reason() {
        writeln!(w, "- {}: {}", gate.as_str(), text(&reason))?;
    }
    let _ = r;
    writeln!(w)
}

/// The gate of a cause as a table's first cell.
fn mark(gate: &CauseGate) -> &'static str {
    match gate {
        CauseGate::Failing => "✗ fails",
        CauseGate::Allowed(_) => "✓ allowed",
        CauseGate::Ignored(_) => "– ignored",
    }
}

/// Where a cause is: its actions, the first few named.
pub(crate) fn where_(r: &Comparison, cause: &Cause) -> String {
    let _ = r;
    let n = cause.actions.len();
    if n <= SHOWN_ACTIONS {
        cause.actions.join(", ")
    } else {
        format!(
            "{} (+{} more)",
            cause.actions[..SHOWN_ACTIONS].join(", "),
            n - SHOWN_ACTIONS
        )
    }
}

/// `time`, `path + home (only together)`, or what a cause nobody reproduced is.
pub(crate) fn variation(v: &crate::model::Attribution) -> String {
    if v.factors.is_empty() {
        "not reproduced by any single variation".to_string()
    } else {
        v.describe()
    }
}

/// How a side's build was run, as one line.
pub(crate) fn side_command(side: &crate::model::SideInfo) -> String {
    if side.source == "command" {
        side.args.join(" ")
    } else if side.source == "live" {
        format!("go {}", side.args.join(" "))
    } else {
        side.source.clone()
    }
}

fn value(v: Option<&str>) -> String {
    match v {
        None => "(absent)".into(),
        Some("") => "(empty)".into(),
        Some(v) if v.chars().count() > 200 => {
            let cut: String = v.chars().take(200).collect();
            format!("{}…", code(&cut))
        }
        Some(v) => code(v),
    }
}

/// Inline code: a fence longer than any backtick run inside, `|` escaped (a table cell ends at
/// an unescaped `|`, also inside code), and invisible characters made visible.
fn code(s: &str) -> String {
    let s = escape(s).replace('|', "\\|");
    if s.is_empty() {
        return "` `".into();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// Plain text: every ASCII punctuation character that CommonMark may read as markup escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape(s).chars() {
        if c.is_ascii_punctuation()
            && !matches!(
                c,
                '.' | ',' | ':' | ';' | '\'' | '"' | '/' | '=' | '%' | '?' | '@' | '$'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for a table cell.
fn cell(s: &str) -> String {
    text(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("\u{1b}[2J"), "`\\x1b[2J`");
        assert_eq!(code(""), "` `");
    }

    #[test]
    fn text_escapes_markup() {
        assert_eq!(
            text("*a* <b> [c](d) | e_f"),
            "\\*a\\* \\<b\\> \\[c\\]\\(d\\) \\| e\\_f"
        );
        assert_eq!(text("go build ./..."), "go build ./...");
    }

    /// Issue 13: the summary's table must stay a table whatever a value holds (`|`,
    /// backticks, newlines, markup), with the variation column of a check.
    #[test]
    fn a_checks_table_is_a_table_whatever_the_values() {
        use crate::diff::Summary;
        use crate::diff::gate::Gate;
        use crate::model::{Attribution, Category, Factor};
        use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

        let hostile = "a|b `c` <d>\n| e | *f*";
        let cause = |field: &str, factors: Vec<Factor>| Cause {
            category: Category::LinkerFlags,
            field: field.into(),
            a: Some(hostile.into()),
            b: Some("x".into()),
            rewrite: None,
            tokens: Vec::new(),
            actions: vec![format!("link example.com/{hostile}")],
            why: "why".into(),
            fix: Some(format!("fix {hostile}")),
            also: Vec::new(),
            order: 0,
            rows: &[],
            class: crate::diff::Class::Field(field.into()),
            verification: None,
            variation: Some(Attribution {
                factors,
                together: false,
            }),
        };
        let r = Comparison {
            mode: crate::diff::ComparisonMode::Exact,
            doubts: Vec::new(),
            graph: Default::default(),
            a: Default::default(),
            b: Default::default(),
            verdict: Verdict::Differ,
            summary: Summary::default(),
            settings: Vec::new(),
            causes: vec![
                cause("-ldflags", vec![Factor::Time]),
                cause(hostile, vec![Factor::Path, Factor::Home]),
            ],
            actions: Vec::new(),
            notes: Vec::new(),
            partial: false,
        };
        let decision = Gate::default().decide(&r);
        let mut out = Vec::new();
        write_report(&mut out, &r, &decision, "whymiss check").unwrap();
        let md = String::from_utf8(out).unwrap();
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut cell: Option<String> = None;
        for event in Parser::new_ext(&md, Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => cell = Some(String::new()),
                Event::End(TagEnd::TableCell) => {
                    rows.last_mut().unwrap().push(cell.take().unwrap())
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(c) = cell.as_mut() {
                        c.push_str(&t);
                    }
                }
                _ => {}
            }
        }
        assert_eq!(rows.len(), 3, "{md}");
        assert_eq!(
            rows[0],
            ["", "Category", "Field", "Where", "Variation", "Fix"]
        );
        for row in &rows[1..] {
            assert_eq!(row.len(), 6, "{row:?}\n{md}");
        }
        assert_eq!(rows[1][4], "time");
        assert_eq!(rows[2][4], "path, home");
        // The parser reads back the value, only its newline made visible.
        assert_eq!(rows[2][2], hostile.replace('\n', "\\n"));
        assert_eq!(rows[1][5], format!("fix {}", hostile.replace('\n', "\\n")));
    }
}
