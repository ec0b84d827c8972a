//! `whymiss demo`: every scenario of the catalogue (`corpus/scenarios/`) run live with the real
//! toolchains and checked against the categories its `expect:` line declares, so the catalogue
//! cannot drift from what whymiss says. (The list, which runs no go, is `tests/offline/demo.rs`.)
//!
//! The default go is `test_toolchain("1.27.3")` (`--go`); scenarios that name a version find it
//! through `$WHYMISS_TOOLCHAINS`, set to the folder holding it. Both panic when the toolchains
//! are missing: these tests fail rather than skip. The child's environment is cleaned of go
//! settings, so the user's configuration cannot change a verdict; the cache is the user's.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;
use whymiss::demo::scenario::{self, Expectation, Scenario};
use whymiss::go::signals;

use crate::live::interrupt_when;
use crate::support::toolchains::test_toolchain;
use crate::support::validate;
use crate::support::{Run, corpus};

/// `whymiss demo ARGS` with the test toolchains and a clean go environment.
fn command<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let go = test_toolchain("1.27.3");
    let toolchains = go
        .parent()
        .and_then(Path::parent)
        .expect("<toolchains>/bin/go1.27.3");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_whymiss"));
    cmd.arg("demo").args(args).arg("--go").arg(&go);
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let keep = ["GOCACHE", "GOMODCACHE", "GOPATH"];
        if (name.starts_with("GO") && !keep.contains(&&*name))
            || name.starts_with("CGO_")
            || matches!(&*name, "CC" | "CXX" | "GREET_MODE")
        {
            cmd.env_remove(&*name);
        }
    }
    cmd.env("WHYMISS_TOOLCHAINS", toolchains)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

fn demo<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let output = command(&args).output().expect("run whymiss");
    let mut shown = vec!["demo".to_string()];
    shown.extend(args.iter().map(|a| a.to_string_lossy().into_owned()));
    Run {
        args: shown,
        output,
    }
}

/// The scenario as its file in the repository declares it.
fn declared(name: &str) -> Scenario {
    let path = corpus(&format!("scenarios/{name}/scenario.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    scenario::parse(name, &text)
        .unwrap_or_else(|e| panic!("{}:{}: {}", path.display(), e.line, e.message))
}

/// The scenario directories in the repository.
fn scenario_dirs() -> BTreeSet<String> {
    std::fs::read_dir(corpus("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("scenario.txt").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// Runs one scenario with `--format json` and checks the verdict and categories against its
/// file, the exit status, and the nested comparison report (against the JSON schema). Prints
/// how long it took (`--nocapture`).
fn check_scenario(name: &str) {
    let want = declared(name);
    let started = Instant::now();
    // The fixes are proven in demo_verifies_fixes_when_both_sides_can_run_again.
    let run = demo([name, "--format", "json", "-q", "--no-verify"]);
    let elapsed = started.elapsed();
    let doc = run.json();
    let (verdict, cats): (&str, Vec<String>) = match &want.expect {
        Expectation::Same => ("same", Vec::new()),
        Expectation::Differ(c) => ("differ", c.iter().map(|c| c.to_string()).collect()),
    };
    let found = strings(&doc["found"]["categories"]);
    assert!(
        doc["met"] == true && doc["found"]["verdict"] == verdict && found == cats,
        "scenario {name} expects {verdict} {cats:?}, whymiss found {} {found:?}\n{}",
        doc["found"]["verdict"],
        serde_json::to_string_pretty(&doc["report"]["causes"]).unwrap()
    );
    assert_eq!(doc["kind"], "demo");
    assert_eq!(doc["scenario"]["name"], name);
    assert!(doc["missing"].as_array().unwrap().is_empty());
    assert!(doc["unexpected"].as_array().unwrap().is_empty());
    let report = &doc["report"];
    validate(report);
    assert_eq!(report["verdict"], verdict);
    let mut in_report: Vec<String> = report["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap().to_string())
        .collect();
    in_report.sort();
    in_report.dedup();
    assert_eq!(in_report, cats, "{name}: the report's causes");
    assert_eq!(report["partial"], false);
    for side in ["a", "b"] {
        assert_eq!(report[side]["exit_status"], 0, "{name}: side {side}");
    }
    assert_eq!(report["a"]["label"], want.a.label.as_str());
    assert_eq!(report["b"]["label"], want.b.label.as_str());
    let code = if verdict == "same" { 0 } else { 1 };
    run.code(code);
    eprintln!("demo {name}: {:.1}s", elapsed.as_secs_f64());
}

/// One test per scenario; [`every_scenario_has_a_test`] keeps the list complete.
macro_rules! scenarios {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_scenario($name);
            }
        )*
        const TESTED: &[&str] = &[$($name),*];
    };
}

scenarios! {
    scenario_build_tags => "build-tags",
    scenario_cgo_enabled => "cgo-enabled",
    scenario_cgo_fixed => "cgo-fixed",
    scenario_cgo_srcdir => "cgo-srcdir",
    scenario_comment_only => "comment-only",
    scenario_dependency_version => "dependency-version",
    scenario_gcflags_scope => "gcflags-scope",
    scenario_generated_version => "generated-version",
    scenario_go_directive => "go-directive",
    scenario_goamd64 => "goamd64",
    scenario_goexperiment => "goexperiment",
    scenario_moved => "moved",
    scenario_race => "race",
    scenario_test_count => "test-count",
    scenario_test_env => "test-env",
    scenario_test_file => "test-file",
    scenario_test_mtime => "test-mtime",
    scenario_test_source => "test-source",
    scenario_toolchain => "toolchain",
    scenario_touch => "touch",
    scenario_trimpath_move => "trimpath-move",
    scenario_trimpath_one_side => "trimpath-one-side",
    scenario_vcs_dirty => "vcs-dirty",
    scenario_vcs_docker => "vcs-docker",
    scenario_volatile_gcflags => "volatile-gcflags",
    scenario_volatile_ldflags => "volatile-ldflags",
}

/// A demo proves each mechanical fix with a dry re-run when side B's setup left the working copy
/// as side A built it (`moved`: B is a relocated copy); when B's setup edited it
/// (`comment-only`), both sides cannot run again and nothing is tried.
#[test]
fn demo_verifies_fixes_when_both_sides_can_run_again() {
    let doc = demo(["moved", "--format", "json", "-q"]).code(1).json();
    let cause = &doc["report"]["causes"][0];
    assert_eq!(cause["field"], "dir");
    assert_eq!(cause["verification"]["status"], "verified", "{cause:#}");
    assert_eq!(
        cause["verification"]["change"],
        "with -trimpath on both sides"
    );
    let text = demo(["moved", "-q"]).code(1).stdout();
    assert!(
        text.contains(
            "    verified: with -trimpath on both sides, the keys of these 2 actions match"
        ),
        "{text}"
    );
    let doc = demo(["comment-only", "--format", "json", "-q"])
        .code(1)
        .json();
    for cause in doc["report"]["causes"].as_array().unwrap() {
        assert!(cause["verification"].is_null(), "{cause:#}");
    }
}

#[test]
fn every_scenario_has_a_test() {
    let tested: BTreeSet<String> = TESTED.iter().map(|s| s.to_string()).collect();
    assert_eq!(tested, scenario_dirs());
}

/// Spaces collapsed, for comparing wrapped text.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_text_report_is_followed_by_the_lesson_and_the_check() {
    for name in ["vcs-docker", "touch"] {
        let want = declared(name);
        let run = demo([name, "-q"]);
        let text = run.stdout();
        assert!(
            text.starts_with(&format!("demo {name}: {}\n", want.title)),
            "{text}"
        );
        let (report, lesson) = text.split_once("\nlesson\n").expect("a lesson section");
        assert!(report.contains("\nA  "), "{text}");
        let (lesson, check) = lesson.split_once("\n\n").expect("a check line");
        assert_eq!(words(lesson), words(&want.lesson));
        assert_eq!(
            check.trim_end(),
            format!(
                "as expected: whymiss found {}",
                match want.expect {
                    Expectation::Same => "same keys".to_string(),
                    Expectation::Differ(_) => want.expect.describe(),
                }
            )
        );
        for step in want.setup.iter().chain(&want.b.setup) {
            assert!(
                text.contains(&step.to_string()),
                "{step} not shown:\n{text}"
            );
        }
        run.code(if want.expect == Expectation::Same {
            0
        } else {
            1
        });
    }
}

/// `demo NAME --format html`: the scenario, its lesson and check, the comparison's graph, how the
/// keys were computed and each fix's verification on one page.
#[test]
fn a_demo_page_holds_the_scenario_the_graph_and_the_verification() {
    let name = "moved";
    let want = declared(name);
    let run = demo([name, "--format", "html", "-q"]);
    let html = run.stdout();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", run.stderr());
    let start = r#"<script type="application/json" id="whymiss-data">"#;
    let from = html.find(start).expect("the page embeds its model") + start.len();
    let to = from + html[from..].find("</script>").unwrap();
    let model: Value = serde_json::from_str(&html[from..to]).unwrap();
    assert_eq!(model["kind"], "demo");
    assert_eq!(model["scenario"]["name"], name);
    assert_eq!(model["scenario"]["title"], want.title.as_str());
    assert_eq!(model["scenario"]["met"], true);
    assert!(html.contains("<section id=\"lesson\""));
    assert!(html.contains("<strong>as expected:</strong>"));
    let nodes = model["graph"]["nodes"].as_array().unwrap();
    assert!(
        nodes.iter().any(|n| n["status"] == "root-cause"),
        "{nodes:?}"
    );
    let c = &model["comparison"];
    assert_eq!(c["causes"][0]["field"], "dir");
    assert_eq!(c["causes"][0]["verification"]["status"], "verified");
    assert!(html.contains("<div class=\"verification verify-verified\"><dt>checked</dt>"));
    // A demo builds for real: the page says nothing of dry runs (moved-dry's page does).
    assert_eq!(c["mode"], "exact");
    assert!(!html.contains("<p class=\"mode\">"));
    run.code(if want.expect == Expectation::Same {
        0
    } else {
        1
    });
}

#[test]
fn an_unknown_scenario_is_a_one_line_error() {
    demo(["no-such-scenario"])
        .code(2)
        .one_line_error()
        .stderr_has("no scenario named `no-such-scenario` (`whymiss demo --list` lists them)");
}

#[test]
fn a_missing_toolchain_names_the_side_and_how_to_install_it() {
    // `toolchain` names go1.26.6 for side A; with no folder of toolchains and nothing on PATH
    // there is none.
    let empty = tempfile::tempdir().unwrap();
    let output = command(["toolchain", "-q"])
        .env("WHYMISS_TOOLCHAINS", empty.path())
        .env("PATH", empty.path())
        .env("HOME", empty.path())
        .output()
        .unwrap();
    let run = Run {
        args: vec!["demo".into(), "toolchain".into()],
        output,
    };
    run.code(2)
        .one_line_error()
        .stderr_has("side go1.26.6: go1.26.6 not found: looked at ")
        .stderr_has(&format!(
            "{}/bin/go1.26.6 ($WHYMISS_TOOLCHAINS)",
            empty.path().display()
        ));
}

#[test]
fn sigint_stops_the_demo_and_removes_its_working_copy() {
    let scratch = tempfile::tempdir().unwrap();
    let tmpdir = scratch.path().join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    let registry = scratch.path().join("registry.log");
    // An empty cache: long enough a build to be interrupted.
    let cache = scratch.path().join("gocache");
    let mut child = command(["moved", "-q"])
        .env(signals::DEBUG_LOG_VAR, &registry)
        .env("TMPDIR", &tmpdir)
        .env("GOCACHE", &cache)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    interrupt_when(&mut child, &registry, |log| log.contains("+group "));
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "stderr: {stderr}");
    let log = std::fs::read_to_string(&registry).unwrap_or_default();
    let dirs: Vec<PathBuf> = log
        .lines()
        .filter_map(|l| l.strip_prefix("+dir "))
        .map(PathBuf::from)
        .collect();
    assert!(
        dirs.iter()
            .any(|d| d.to_string_lossy().contains("whymiss-demo-")),
        "{log}"
    );
    for dir in &dirs {
        assert!(!dir.exists(), "{} survived", dir.display());
    }
    let left: Vec<_> = std::fs::read_dir(&tmpdir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left in TMPDIR: {left:?}");
}
