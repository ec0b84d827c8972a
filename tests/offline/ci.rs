//! whymiss in CI (issue 13), on recorded logs: the GitHub annotations, the markdown summary
//! (rendered by a CommonMark parser: its table is a table), JUnit XML (parsed, its structure
//! and counts checked), the job summary GitHub names in `$GITHUB_STEP_SUMMARY`, the gate's exit
//! status in every format, policy files and `--preset pr`, and the workflow files of docs/ci.md
//! against the published GitHub and GitLab schemas.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser as _;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use crate::support::{Run, corpus, repo, validate, whymiss};

fn lab(log: &str) -> String {
    corpus(&format!("logs/go1.27.3/{log}.log.gz"))
        .display()
        .to_string()
}

fn pair(name: &str) -> (String, String) {
    let side = |s: &str| {
        corpus(&format!("pairs/{name}/{s}.log.gz"))
            .display()
            .to_string()
    };
    (side("a"), side("b"))
}

/// `whymiss compare A B ARGS`.
fn compare(a: &str, b: &str, args: &[&str]) -> Run {
    let mut all = vec!["compare", a, b];
    all.extend(args);
    whymiss(all)
}

fn json(a: &str, b: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let v = compare(a, b, &all).json();
    validate(&v);
    v
}

// ---- GitHub annotations ----

#[test]
fn github_format_is_one_annotation_per_cause_then_the_verdict() {
    let (a, b) = (lab("lab-build"), lab("lab-trimpath"));
    let causes = json(&a, &b, &[])["causes"].as_array().unwrap().len();
    let run = compare(&a, &b, &["--format", "github"]).code(1);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    let (last, commands) = lines.split_last().unwrap();
    assert_eq!(commands.len(), causes, "{out}");
    for line in commands {
        assert!(
            line.starts_with("::error title=whymiss compare%3A "),
            "{line}"
        );
        assert!(line.contains(". Fix: "), "{line}");
    }
    assert_eq!(
        *last,
        format!(
            "whymiss compare: keys differ ({causes} failing, 0 allowed, 0 ignored); exit status 1"
        )
    );
    // Ignored causes are warnings and do not fail.
    let run = compare(&a, &b, &["--format", "github", "--ignore", "trimpath"]).code(0);
    assert!(
        run.stdout()
            .starts_with("::warning title=whymiss compare%3A trimpath ")
    );
    assert!(
        run.stdout()
            .contains("ignored: --ignore names its category")
    );
    // Keys that match: one notice.
    let same = lab("lab-build");
    compare(&same, &same, &["--format", "github"])
        .code(0)
        .stdout_has("::notice title=whymiss compare::same keys: all ");
}

// ---- The markdown summary ----

/// The tables of a CommonMark document: each a list of rows, each row a list of cell texts.
fn tables(markdown: &str) -> Vec<Vec<Vec<String>>> {
    let mut out = Vec::new();
    let (mut table, mut row, mut cell): (Vec<Vec<String>>, Vec<String>, Option<String>) =
        (Vec::new(), Vec::new(), None);
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => table = Vec::new(),
            Event::End(TagEnd::Table) => out.push(std::mem::take(&mut table)),
            Event::Start(Tag::TableHead | Tag::TableRow) => row = Vec::new(),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                table.push(std::mem::take(&mut row))
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.push(cell.take().unwrap()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn markdown_summary_holds_one_table_row_per_cause() {
    let (a, b) = (lab("lab-build"), lab("lab-trimpath"));
    let v = json(&a, &b, &["--ignore", "trimpath"]);
    let causes = v["causes"].as_array().unwrap();
    let md = compare(&a, &b, &["--format", "markdown", "--ignore", "trimpath"])
        .code(0)
        .stdout();
    assert!(
        md.starts_with("### whymiss compare: ✓ no failing difference\n"),
        "{md}"
    );
    let t = tables(&md);
    assert_eq!(t.len(), 1, "{md}");
    let rows = &t[0];
    assert_eq!(rows[0], ["", "Category", "Field", "Where", "Fix"]);
    assert_eq!(rows.len() - 1, causes.len(), "{md}");
    for (row, cause) in rows[1..].iter().zip(causes) {
        assert_eq!(row.len(), 5, "{row:?}");
        assert_eq!(row[1], cause["category"].as_str().unwrap());
        assert_eq!(row[2], cause["field"].as_str().unwrap());
        let state = cause["gate"]["state"].as_str().unwrap();
        assert!(row[0].contains(state.trim_end_matches("ing")), "{row:?}");
        // The fix cell holds the fix itself, unescaped by the parser.
        if let Some(fix) = cause["gate"]["fix"].as_str() {
            assert!(row[4].starts_with(fix), "{:?} vs {fix}", row[4]);
        }
    }
    assert!(md.contains("<details><summary>Details</summary>"));
    // No table when the keys match.
    let same = lab("lab-build");
    let md = compare(&same, &same, &["--format", "markdown"])
        .code(0)
        .stdout();
    assert!(tables(&md).is_empty(), "{md}");
    assert!(
        md.starts_with("### whymiss compare: ✓ cache keys match\n"),
        "{md}"
    );
}

#[test]
fn github_step_summary_gets_the_markdown_appended_whatever_the_format() {
    let scratch = tempfile::tempdir().unwrap();
    let summary = scratch.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let (a, b) = (lab("lab-build"), lab("lab-trimpath"));
    let out = Command::new(env!("CARGO_BIN_EXE_whymiss"))
        .args(["compare", &a, &b, "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("::error "));
    let text = std::fs::read_to_string(&summary).unwrap();
    let md = text.strip_prefix("earlier step\n").expect("appended");
    assert!(
        md.starts_with("### whymiss compare: ✗ cache keys differ\n"),
        "{md}"
    );
    assert_eq!(tables(md).len(), 1);
}

// ---- JUnit ----

/// Checks a JUnit document's structure as JUnit consumers read it (the Ant/Surefire schema
/// that Jenkins, GitLab and Buildkite accept): `testsuites` → `testsuite` → `testcase`, each
/// with its required attributes, a case holding at most one of `failure`, `error`, `skipped`
/// (plus `system-out`), and every count attribute equal to what it counts. Returns the cases
/// as (classname, name, outcome).
pub(crate) fn junit_cases(xml: &str) -> Vec<(String, String, &'static str)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let count = |n: roxmltree::Node, attr: &str| -> usize {
        n.attribute(attr)
            .unwrap_or_else(|| panic!("{} lacks {attr}", n.tag_name().name()))
            .parse()
            .unwrap()
    };
    let mut cases = Vec::new();
    let mut totals = [0usize; 4];
    for suite in root.children().filter(|n| n.is_element()) {
        assert_eq!(suite.tag_name().name(), "testsuite");
        assert!(!suite.attribute("name").unwrap_or("").is_empty());
        let mut n = [0usize; 4]; // tests, failures, errors, skipped
        for case in suite.children().filter(|n| n.is_element()) {
            assert_eq!(case.tag_name().name(), "testcase");
            let name = case.attribute("name").expect("name").to_string();
            let class = case.attribute("classname").expect("classname").to_string();
            assert!(!name.is_empty() && !class.is_empty());
            n[0] += 1;
            let mut outcome = "passed";
            for child in case.children().filter(|n| n.is_element()) {
                let tag = child.tag_name().name();
                match tag {
                    "failure" | "error" | "skipped" => {
                        assert_eq!(outcome, "passed", "two outcomes in {name}");
                        assert!(child.attribute("message").is_some(), "{tag} lacks message");
                        outcome = match tag {
                            "failure" => {
                                assert!(child.attribute("type").is_some());
                                n[1] += 1;
                                "failure"
                            }
                            "error" => {
                                n[2] += 1;
                                "error"
                            }
                            _ => {
                                n[3] += 1;
                                "skipped"
                            }
                        };
                    }
                    "system-out" => {}
                    other => panic!("unexpected <{other}> in a testcase"),
                }
            }
            cases.push((class, name, outcome));
        }
        for (i, attr) in ["tests", "failures", "errors", "skipped"]
            .iter()
            .enumerate()
        {
            assert_eq!(count(suite, attr), n[i], "testsuite {attr}");
            totals[i] += n[i];
        }
    }
    for (i, attr) in ["tests", "failures", "errors", "skipped"]
        .iter()
        .enumerate()
    {
        assert_eq!(count(root, attr), totals[i], "testsuites {attr}");
    }
    cases
}

fn junit(a: &str, b: &str, args: &[&str], code: i32) -> Vec<(String, String, &'static str)> {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("whymiss.xml");
    let mut all = args.to_vec();
    all.extend(["--junit", file.to_str().unwrap()]);
    compare(a, b, &all).code(code);
    junit_cases(&std::fs::read_to_string(&file).unwrap())
}

#[test]
fn junit_is_one_case_per_cause_skipped_when_not_failing() {
    let (a, b) = (lab("lab-build"), lab("lab-trimpath"));
    let v = json(&a, &b, &[]);
    let causes = v["causes"].as_array().unwrap();
    let cases = junit(&a, &b, &[], 1);
    assert_eq!(cases.len(), causes.len());
    for ((class, _, outcome), cause) in cases.iter().zip(causes) {
        assert_eq!(
            *class,
            format!("whymiss.{}", cause["category"].as_str().unwrap())
        );
        assert_eq!(*outcome, "failure");
    }
    let cases = junit(&a, &b, &["--ignore", "trimpath"], 0);
    assert!(
        cases
            .iter()
            .all(|(c, _, o)| (c == "whymiss.trimpath") == (*o == "skipped")),
        "{cases:?}"
    );
    let same = lab("lab-build");
    assert_eq!(
        junit(&same, &same, &[], 0)
            .iter()
            .map(|c| c.2)
            .collect::<Vec<_>>(),
        ["passed"]
    );
}

// ---- The gate: every format, policies, presets ----

#[test]
fn the_gate_exit_status_is_the_same_in_every_format() {
    let (la, lb) = (lab("lab-build"), lab("lab-trimpath"));
    let (sa, sb) = pair("source");
    let (va, vb) = pair("vcs-stamp");
    let cases: [(&str, &str, &[&str], i32); 6] = [
        (&la, &lb, &[], 1),
        (&la, &lb, &["--ignore", "trimpath"], 0),
        (&la, &lb, &["--fail-on", "source"], 0),
        (&sa, &sb, &[], 1),
        (&sa, &sb, &["--preset", "pr"], 0),
        (&va, &vb, &["--preset", "pr"], 0),
    ];
    for (a, b, args, code) in cases {
        for format in ["text", "json", "markdown", "github"] {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            let run = compare(a, b, &all).code(code);
            if format == "json" {
                assert_eq!(run.json()["gate"]["exit_code"], code);
            }
        }
    }
}

#[test]
fn preset_pr_allows_a_source_edit_with_a_fix_for_a_pull_request() {
    let (a, b) = pair("source");
    let v = json(&a, &b, &["--preset", "pr"]);
    let c = &v["causes"][0];
    assert_eq!(c["category"], "source");
    assert_eq!(c["gate"]["state"], "allowed");
    assert_eq!(c["gate"]["reason"], "a pull request edits source files");
    assert_eq!(c["gate"]["source"], "--preset pr");
    assert!(
        c["gate"]["fix"]
            .as_str()
            .unwrap()
            .starts_with("nothing to fix"),
        "{c:#}"
    );
    // The cause's own fix is still there, for a comparison of two machines.
    assert_ne!(c["fix"], c["gate"]["fix"]);
    assert_eq!(v["gate"]["allowed"], serde_json::json!(["source"]));
    compare(&a, &b, &["--preset", "pr"])
        .code(0)
        .stdout_has("allowed a pull request edits source files (--preset pr)");
    // A change to the build configuration still fails.
    let (a, b) = pair("ldflags-x");
    compare(&a, &b, &["--preset", "pr"]).code(1);
}

fn policy(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("whymiss.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn a_policy_file_allows_exactly_the_causes_its_rules_match() {
    let (a, b) = pair("ldflags-x");
    let v = json(&a, &b, &[]);
    let cause = &v["causes"][0];
    let (category, field) = (
        cause["category"].as_str().unwrap(),
        cause["field"].as_str().unwrap(),
    );
    let (_d, path) = policy(&format!(
        "# the release stamps the version\n\n[[allow]]\ncategory = \"{category}\"\nfield = \"{field}\"\nreason = \"release builds stamp the version\"\n"
    ));
    let p = path.to_str().unwrap();
    let v = json(&a, &b, &["--policy", p]);
    assert_eq!(v["gate"]["exit_code"], 0);
    assert_eq!(v["causes"][0]["gate"]["state"], "allowed");
    assert_eq!(v["causes"][0]["gate"]["source"], "whymiss.toml:3");
    // A rule for another package or another field matches nothing.
    for rule in [
        format!("field = \"{field}\"\npackage = \"example.com/other/...\""),
        "field = \"-gcflags\"".to_string(),
    ] {
        let (_d, path) = policy(&format!(
            "[[allow]]\ncategory = \"{category}\"\n{rule}\nreason = \"r\"\n"
        ));
        let v = json(&a, &b, &["--policy", path.to_str().unwrap()]);
        assert_eq!(v["causes"][0]["gate"]["state"], "failing", "{rule}");
        assert_eq!(v["gate"]["exit_code"], 1);
    }
}

#[test]
fn policy_and_gate_mistakes_are_one_line_usage_errors() {
    let (a, b) = pair("source");
    compare(&a, &b, &["--ignore", "source", "--fail-on", "source"])
        .code(2)
        .one_line_error()
        .stderr_has("--ignore and --fail-on both name source");
    let (_d, path) = policy("[[allow]]\ncategory = \"source\"\n");
    compare(&a, &b, &["--policy", path.to_str().unwrap()])
        .code(2)
        .one_line_error()
        .stderr_has("whymiss.toml:1: [[allow]] needs a `reason`");
    let (_d, path) = policy("[[allow]]\ncategory = \"sauce\"\nreason = \"r\"\n");
    compare(&a, &b, &["--policy", path.to_str().unwrap()])
        .code(2)
        .one_line_error()
        .stderr_has("whymiss.toml:2: unknown category `sauce`");
    whymiss(["check", "--vary", "time", "--no-vary", "time"])
        .code(2)
        .one_line_error()
        .stderr_has("--vary and --no-vary both name time");
    whymiss(["check", "--vary", "clock"])
        .code(2)
        .stderr_has("unknown variation `clock`");
}

// ---- docs/ci.md ----

/// The yaml blocks of docs/ci.md, each with the path its first line names.
fn workflows() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    for line in text.lines() {
        if block.is_none() {
            if line == "```yaml" {
                block = Some(String::new());
            }
        } else if line == "```" {
            let b = block.take().unwrap();
            let path = b
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# "))
                .unwrap_or_else(|| panic!("a yaml block without its path:\n{b}"))
                .to_string();
            out.push((path, b));
        } else if let Some(b) = block.as_mut() {
            b.push_str(line);
            b.push('\n');
        }
    }
    out
}

fn validate_with(schema: &Path, doc: &Value, what: &str) {
    let schema: Value = serde_json::from_slice(&std::fs::read(schema).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

/// Every `whymiss …` command in a block: from `whymiss` to the end of the line, or to a shell
/// operator.
fn whymiss_commands(block: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in block.lines() {
        let Some(at) = line.find("whymiss ") else {
            continue;
        };
        let before = line[..at].trim_end();
        if !(before.ends_with("run:") || before.ends_with('-')) {
            continue; // a name or a path, not a command
        }
        let words = shell_words::split(&line[at..]).unwrap();
        let words: Vec<String> = words
            .into_iter()
            .take_while(|w| !matches!(w.as_str(), "|" | "&&" | ">" | ";"))
            .collect();
        out.push(words);
    }
    out
}

#[test]
fn the_workflow_files_of_docs_ci_md_are_valid_for_their_ci() {
    let schemas = repo().join("tests/schemas");
    let blocks = workflows();
    let mut github = 0;
    let mut gitlab = 0;
    let mut commands = 0;
    for (path, text) in &blocks {
        let doc: Value = serde_norway::from_str(text)
            .unwrap_or_else(|e| panic!("{path}: not YAML: {e}\n{text}"));
        if path.starts_with(".github/workflows/") {
            github += 1;
            validate_with(&schemas.join("github-workflows.json"), &doc, path);
        } else if path == ".gitlab-ci.yml" {
            gitlab += 1;
            validate_with(&schemas.join("gitlab-ci.json"), &doc, path);
        } else {
            panic!("a yaml block for an unknown CI: {path}");
        }
        for words in whymiss_commands(text) {
            commands += 1;
            if let Err(e) = whymiss::cli::Cli::try_parse_from(&words) {
                panic!("{path}: `{}` does not parse:\n{e}", words.join(" "));
            }
        }
    }
    // check on every pull request, capture on main + compare on the pull request, and record +
    // why.
    assert_eq!((github, gitlab), (4, 3), "{blocks:?}");
    assert_eq!(commands, 12);
}

/// The whymiss.toml of docs/ci.md is a valid policy.
#[test]
fn the_policy_example_of_docs_ci_md_parses() {
    let text = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let start = text.find("```toml\n# whymiss.toml\n").expect("the example") + 8;
    let end = start + text[start..].find("```").unwrap();
    let policy = whymiss::policy::Policy::parse(Path::new("whymiss.toml"), &text[start..end])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.allow.len(), 2);
    assert_eq!(policy.check.cmd.as_deref(), Some("make build"));
}
