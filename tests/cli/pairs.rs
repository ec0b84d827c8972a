//! Every real log pair in `corpus/pairs`: the categories it must produce (exactly), the field
//! and the root-cause actions of its main cause, and a snapshot of the text and JSON reports.

use serde_json::Value;

use crate::compare::validate;
use crate::support::{corpus, whymiss};

/// (pair, categories exactly, main cause's field, an action the main cause must name,
/// root-cause count).
const PAIRS: &[(&str, &[&str], &str, &str, usize)] = &[
    (
        "build-tags",
        &["file-set"],
        "files of example.com/lab/tagged",
        "build example.com/lab/tagged",
        1,
    ),
    (
        "buildmode",
        &["target"],
        "-buildmode",
        "link example.com/lab/cmd/labctl",
        77,
    ),
    (
        "cgo-cflags",
        &["cgo"],
        "CGO_CFLAGS",
        "build example.com/lab/cgopkg",
        2,
    ),
    (
        "cgo-enabled",
        &["cgo"],
        "CGO_ENABLED",
        "build example.com/lab/cgopkg",
        2,
    ),
    (
        "cover",
        &["instrumentation"],
        "-cover",
        "build example.com/lab/util/mathx",
        4,
    ),
    (
        "debug-env",
        &["debug-env"],
        "GOSSAFUNC",
        "build internal/goarch",
        37,
    ),
    (
        "dependency-version",
        &["dependency-version"],
        "module example.com/dep",
        "build example.com/dep",
        2,
    ),
    (
        "gcflags-scope",
        &["compiler-flags"],
        "-gcflags",
        "build example.com/lab/util/strs",
        55,
    ),
    (
        "go-directive",
        &["go-version"],
        "go",
        "build example.com/lab/greet",
        15,
    ),
    (
        "goamd64",
        &["target"],
        "GOAMD64",
        "build internal/goarch",
        37,
    ),
    ("goarch", &["target"], "GOARCH", "build internal/goarch", 37),
    (
        "godebug",
        &["godebug", "source"],
        "file example.com/lab/cmd/labctl/main.go",
        "build example.com/lab/cmd/labctl",
        2,
    ),
    (
        "goexperiment",
        &["experiment"],
        "GOEXPERIMENT",
        "build internal/goarch",
        37,
    ),
    (
        "goroot-moved",
        &["absolute-path"],
        "GOROOT",
        "link example.com/lab/cmd/labctl",
        1,
    ),
    (
        "ldflags-x",
        &["linker-flags"],
        "-ldflags",
        "link example.com/lab/cmd/labctl",
        2,
    ),
    (
        "moved",
        &["absolute-path"],
        "dir",
        "build example.com/lab/greet",
        14,
    ),
    (
        "nondeterministic",
        &["nondeterministic"],
        "output of example.com/nondet/cpkg",
        "build example.com/nondet",
        0,
    ),
    (
        "race",
        &["instrumentation"],
        "-race",
        "build internal/goarch",
        37,
    ),
    (
        "source",
        &["source"],
        "file example.com/lab/greet/greet.go",
        "build example.com/lab/greet",
        1,
    ),
    (
        "toolchain",
        &["toolchain"],
        "toolchain",
        "build example.com/lab/greet",
        56,
    ),
    (
        "trimpath-both-cgo",
        &["absolute-path"],
        "CC flags",
        "build example.com/lab/cgopkg",
        1,
    ),
    (
        "trimpath-one-side",
        &["trimpath"],
        "-trimpath",
        "build internal/goarch",
        37,
    ),
    (
        "vcs-stamp",
        &["vcs-stamp"],
        "modinfo vcs.modified",
        "build example.com/lab/cmd/labctl",
        1,
    ),
];

const NOISE: &[&str] = &[
    "noise-cold-warm",
    "noise-p1",
    "noise-repeat",
    "noise-touch",
    "noise-tz",
];

fn pair_args(name: &str, json: bool) -> Vec<String> {
    // Relative paths keep the reports (and snapshots) independent of the checkout's location.
    let mut args = vec![
        "compare".to_string(),
        format!("corpus/pairs/{name}/a.log.gz"),
        format!("corpus/pairs/{name}/b.log.gz"),
    ];
    if json {
        args.extend(["--format".to_string(), "json".to_string()]);
    }
    args
}

#[test]
fn every_pair_directory_is_covered() {
    let mut dirs: Vec<String> = std::fs::read_dir(corpus("pairs"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut known: Vec<String> = PAIRS
        .iter()
        .map(|p| p.0.to_string())
        .chain(NOISE.iter().map(|s| s.to_string()))
        .collect();
    known.sort();
    assert_eq!(dirs, known);
}

#[test]
fn each_pair_gives_its_category_field_and_actions() {
    for &(name, categories, field, action, root_causes) in PAIRS {
        let run = whymiss(pair_args(name, true)).code(1);
        let v = run.json();
        validate(&v);
        let causes = v["causes"].as_array().unwrap();
        let mut got: Vec<&str> = causes
            .iter()
            .map(|c| c["category"].as_str().unwrap())
            .collect();
        got.sort();
        got.dedup();
        let mut want = categories.to_vec();
        want.sort();
        assert_eq!(got, want, "{name}: categories");
        let main = causes
            .iter()
            .find(|c| c["field"] == field)
            .unwrap_or_else(|| panic!("{name}: no cause with field {field}: {causes:#?}"));
        let actions: Vec<&str> = main["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&action)
                || name == "nondeterministic" && actions.iter().any(|a| a.starts_with(action)),
            "{name}: {field} does not name {action}: {actions:?}"
        );
        assert!(!main["why"].as_str().unwrap().is_empty(), "{name}: why");
        assert_eq!(
            v["summary"]["root_cause"], root_causes,
            "{name}: root causes"
        );
        // Every root-cause action names a cause; knock-on actions name what caused them.
        for a in v["actions"].as_array().unwrap() {
            match a["status"].as_str().unwrap() {
                "root-cause" => assert!(
                    a["differences"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|d| !d["cause"].is_null()),
                    "{name}: {} has no cause",
                    a["name"]
                ),
                "knock-on" => assert!(
                    !a["caused_by"].as_array().unwrap().is_empty(),
                    "{name}: {}",
                    a["name"]
                ),
                _ => {}
            }
        }
    }
}

#[test]
fn noise_pairs_are_same() {
    for name in NOISE {
        let run = whymiss(pair_args(name, true)).code(0);
        let v = run.json();
        validate(&v);
        assert_eq!(v["verdict"], "same", "{name}");
        assert_eq!(v["summary"]["differ"], 0, "{name}");
    }
}

#[test]
fn nondeterministic_output_is_not_a_root_cause() {
    let v: Value = whymiss(pair_args("nondeterministic", true)).code(1).json();
    // The cgo package's key is identical on both sides; its output is not.
    let statuses: Vec<(&str, &str)> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["status"].as_str().unwrap()))
        .collect();
    assert!(
        statuses
            .iter()
            .all(|(n, _)| *n != "build example.com/nondet/cpkg"),
        "{statuses:?}"
    );
    assert!(
        statuses.iter().any(|(_, s)| *s == "nondeterministic"),
        "{statuses:?}"
    );
}

#[test]
fn moved_module_is_one_prefix_rewrite_with_knock_on_link() {
    let v: Value = whymiss(pair_args("moved", true)).code(1).json();
    let dir = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "dir")
        .unwrap();
    let (a, b) = (
        dir["rewrite"]["a"].as_str().unwrap(),
        dir["rewrite"]["b"].as_str().unwrap(),
    );
    assert!(
        a.ends_with("/x/lab") && b.ends_with("/elsewhere/deeper/lab"),
        "{a} → {b}"
    );
    assert_eq!(dir["actions"].as_array().unwrap().len(), 14);
    let link = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "link example.com/lab/cmd/labctl")
        .unwrap();
    assert_eq!(link["status"], "knock-on");
}

#[test]
fn snapshots_of_every_pair() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for name in PAIRS.iter().map(|p| p.0).chain(NOISE.iter().copied()) {
            let text = whymiss(pair_args(name, false)).stdout();
            insta::assert_snapshot!(format!("pair-{name}-text"), text);
            let json = whymiss(pair_args(name, true)).stdout();
            insta::assert_snapshot!(format!("pair-{name}-json"), json);
        }
    });
}
