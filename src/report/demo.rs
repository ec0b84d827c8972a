//! Output of `whymiss demo`: the scenario list, and a demo as the usual comparison report
//! (`report::text` / `report::json`) framed by what the scenario does, its lesson, and whether
//! whymiss found what the scenario expects.

use std::io::{self, Write};

use owo_colors::OwoColorize;
use serde::Serialize;

use super::{self as report, Styles};
use crate::diff::Category;
use crate::diff::gate::{Decision, Gate};

use crate::demo::catalogue::Chapter;
use crate::demo::run::{Check, DemoRun};
use crate::demo::scenario::{Expectation, ModuleRef, Scenario, SideDef};

/// Width the lesson is wrapped to.
const WRAP: usize = 96;

/// The catalogue in its suggested order: each chapter's title, then one line per scenario
/// (number, name, summary).
pub(crate) fn write_list_text(
    w: &mut dyn Write,
    chapters: &[Chapter],
    s: &Styles,
) -> io::Result<()> {
    let all = || chapters.iter().flat_map(|c| &c.scenarios);
    let width = all().map(|x| x.name.len()).max().unwrap_or(0);
    let digits = all().count().to_string().len();
    writeln!(
        w,
        "{}",
        "Scenarios in a suggested order for teaching; `whymiss demo NAME` runs one."
            .style(s.header)
    )?;
    let mut number = 0;
    for c in chapters {
        writeln!(w)?;
        writeln!(w, "{}", c.title.style(s.header))?;
        for x in &c.scenarios {
            number += 1;
            writeln!(
                w,
                "  {number:>digits$}  {}  {}",
                format!("{:<width$}", x.name).style(s.label),
                x.summary.as_deref().unwrap_or(&x.title)
            )?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct ListJson<'a> {
    schema_version: u32,
    kind: &'static str,
    /// Every scenario, in the suggested order.
    scenarios: Vec<ScenarioJson<'a>>,
    /// The order's chapters: a title and the names of its scenarios.
    chapters: Vec<ChapterJson<'a>>,
}

#[derive(Serialize)]
struct ChapterJson<'a> {
    title: &'a str,
    scenarios: Vec<&'a str>,
}

#[derive(Serialize)]
struct ScenarioJson<'a> {
    name: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    module: String,
    args: &'a [String],
    test: bool,
    setup: Vec<String>,
    a: SideJson<'a>,
    b: SideJson<'a>,
    expect: ExpectJson,
    lesson: &'a str,
}

#[derive(Serialize)]
struct SideJson<'a> {
    label: &'a str,
    go: Option<&'a str>,
    env: Vec<String>,
    flags: &'a [String],
    relocate: bool,
    setup: Vec<String>,
}

#[derive(Serialize)]
struct ExpectJson {
    verdict: &'static str,
    categories: Vec<&'static str>,
}

fn expect_json(e: &Expectation) -> ExpectJson {
    match e {
        Expectation::Same => ExpectJson {
            verdict: "same",
            categories: Vec::new(),
        },
        Expectation::Differ(cats) => ExpectJson {
            verdict: "differ",
            categories: names(cats),
        },
    }
}

fn names(cats: &[Category]) -> Vec<&'static str> {
    cats.iter().map(|c| c.as_str()).collect()
}

pub(super) fn module_name(m: &ModuleRef) -> String {
    match m {
        ModuleRef::Shared(name) => name.clone(),
        ModuleRef::Local(dir) => format!("./{dir}"),
    }
}

fn side_json(d: &SideDef) -> SideJson<'_> {
    SideJson {
        label: &d.label,
        go: d.go.as_deref(),
        env: d.env.iter().map(|(k, v)| format!("{k}={v}")).collect(),
        flags: &d.flags,
        relocate: d.relocate,
        setup: d.setup.iter().map(ToString::to_string).collect(),
    }
}

fn scenario_json(x: &Scenario) -> ScenarioJson<'_> {
    ScenarioJson {
        name: &x.name,
        title: &x.title,
        summary: x.summary.as_deref(),
        module: module_name(&x.module),
        args: &x.args,
        test: x.test,
        setup: x.setup.iter().map(ToString::to_string).collect(),
        a: side_json(&x.a),
        b: side_json(&x.b),
        expect: expect_json(&x.expect),
        lesson: &x.lesson,
    }
}

/// `{"schema_version": …, "kind": "demo-list", "scenarios": [...], "chapters": [...]}`.
pub(crate) fn write_list_json(w: &mut dyn Write, chapters: &[Chapter]) -> io::Result<()> {
    let doc = ListJson {
        schema_version: report::SCHEMA_VERSION,
        kind: "demo-list",
        scenarios: chapters
            .iter()
            .flat_map(|c| &c.scenarios)
            .map(scenario_json)
            .collect(),
        chapters: chapters
            .iter()
            .map(|c| ChapterJson {
                title: &c.title,
                scenarios: c.scenarios.iter().map(|x| x.name.as_str()).collect(),
            })
            .collect(),
    };
    report::write_json_doc(w, &doc)
}

/// The scenario, the report, the lesson, the check.
pub(crate) fn write_text(
    w: &mut dyn Write,
    demo: &DemoRun,
    decision: &Decision,
    all: bool,
    s: &Styles,
) -> io::Result<()> {
    let x = &demo.scenario;
    writeln!(
        w,
        "{} {}",
        format!("demo {}:", x.name).style(s.header),
        x.title
    )?;
    writeln!(
        w,
        "  {} {} ({}, a temporary copy)",
        "module".style(s.label),
        module_name(&x.module),
        demo.dir.display()
    )?;
    for step in &x.setup {
        writeln!(w, "  {} {step}", "setup".style(s.label))?;
    }
    for (side, style) in [(&x.a, s.side_a), (&x.b, s.side_b)] {
        for step in &side.setup {
            writeln!(
                w,
                "  {} {step}",
                format!("before {}", side.label).style(style).style(s.label)
            )?;
        }
    }
    writeln!(w)?;
    report::text::write_report(
        w,
        &demo.report,
        decision,
        report::text::TextOptions { all },
        s,
    )?;
    writeln!(w)?;
    writeln!(w, "{}", "lesson".style(s.header))?;
    for line in wrap(&x.lesson, WRAP - 2) {
        writeln!(w, "  {line}")?;
    }
    writeln!(w)?;
    writeln!(w, "{}", check_line(&demo.check, s))
}

/// One line: did whymiss find what the scenario expects?
fn check_line(c: &Check, s: &Styles) -> String {
    let (verdict, rest) = check_parts(c);
    let style = if c.met { s.ok } else { s.warning };
    format!("{} {rest}", verdict.style(style))
}

/// Did whymiss find what the scenario expects: `as expected:` or `NOT AS EXPECTED:`, and the
/// rest of the sentence.
pub(super) fn check_parts(c: &Check) -> (&'static str, String) {
    let found = if c.found.is_empty() {
        match c.verdict {
            crate::diff::Verdict::Same => "same keys".to_string(),
            crate::diff::Verdict::Differ => "keys that differ without a cause".to_string(),
            crate::diff::Verdict::Unmatched => "actions built on one side only".to_string(),
            crate::diff::Verdict::Inconclusive => "an inconclusive comparison".to_string(),
        }
    } else {
        names(&c.found).join(", ")
    };
    if c.met {
        ("as expected:", format!("whymiss found {found}"))
    } else {
        let mut detail = Vec::new();
        if !c.missing.is_empty() {
            detail.push(format!("missing {}", names(&c.missing).join(", ")));
        }
        if !c.unexpected.is_empty() {
            detail.push(format!("unexpected {}", names(&c.unexpected).join(", ")));
        }
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", detail.join("; "))
        };
        (
            "NOT AS EXPECTED:",
            format!(
                "the scenario expects {}, but whymiss found {found}{detail}",
                c.expected.describe()
            ),
        )
    }
}

/// The one-line message for the exit status when the expectation is not met.
pub(crate) fn unmet_message(demo: &DemoRun) -> String {
    let c = &demo.check;
    let found = if c.found.is_empty() {
        "no cause".to_string()
    } else {
        names(&c.found).join(", ")
    };
    format!(
        "demo {}: expected {}, whymiss found {found}",
        demo.scenario.name,
        c.expected.describe()
    )
}

#[derive(Serialize)]
struct DemoJson<'a> {
    schema_version: u32,
    kind: &'static str,
    scenario: ScenarioJson<'a>,
    expected: ExpectJson,
    found: ExpectJson,
    missing: Vec<&'static str>,
    unexpected: Vec<&'static str>,
    met: bool,
}

/// `{"schema_version": …, "kind": "demo", "scenario": …, "expected": …, "found": …, "met": …,
/// "report": <the comparison document of `whymiss diff --format json`>}`.
pub(crate) fn write_json(
    w: &mut dyn Write,
    demo: &DemoRun,
    gate: &Gate,
    decision: &Decision,
) -> io::Result<()> {
    let c = &demo.check;
    let head = DemoJson {
        schema_version: report::SCHEMA_VERSION,
        kind: "demo",
        scenario: scenario_json(&demo.scenario),
        expected: expect_json(&c.expected),
        found: ExpectJson {
            verdict: c.verdict.as_str(),
            categories: names(&c.found),
        },
        missing: names(&c.missing),
        unexpected: names(&c.unexpected),
        met: c.met,
    };
    let mut head_bytes = Vec::new();
    report::write_json_doc(&mut head_bytes, &head)?;
    let mut report_bytes = Vec::new();
    report::json::write_report(&mut report_bytes, &demo.report, gate, decision)?;
    w.write_all(&nest(&head_bytes, "report", &report_bytes))
}

/// Adds `"key": inner` as the last member of the pretty-printed object `outer`, indenting
/// `inner` one level (both are whole documents ending in a newline). Splicing keeps the
/// comparison document byte for byte as `report::json` writes it, member order included.
fn nest(outer: &[u8], key: &str, inner: &[u8]) -> Vec<u8> {
    let outer = std::str::from_utf8(outer)
        .expect("JSON is UTF-8")
        .trim_end();
    let inner = std::str::from_utf8(inner)
        .expect("JSON is UTF-8")
        .trim_end();
    let body = outer.strip_suffix('}').expect("an object").trim_end();
    // Raw newlines cannot occur inside JSON strings, so every line break is structure.
    let indented = inner.replace('\n', "\n  ");
    format!("{body},\n  {key:?}: {indented}\n}}\n").into_bytes()
}

/// Words of `text` in lines of at most `width` characters (longer words stand alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_keeps_both_documents() {
        let outer = b"{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}\n";
        let inner = b"{\n  \"x\": \"line\\nbreak\",\n  \"y\": {}\n}\n";
        let out = nest(outer, "report", inner);
        let text = String::from_utf8(out).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["a"], 1);
        assert_eq!(v["report"]["x"], "line\nbreak");
        assert!(text.contains("\n  \"report\": {\n    \"x\""), "{text}");
        assert!(text.ends_with("\n  }\n}\n"), "{text}");
    }

    #[test]
    fn lessons_wrap_at_word_boundaries() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(wrap("averyverylongword x", 5), ["averyverylongword", "x"]);
        assert!(wrap("", 5).is_empty());
    }
}
