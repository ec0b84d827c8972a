//! Every real log pair in `corpus/pairs`: the categories it must produce (exactly), the field
//! and the root-cause actions of its main cause, and a snapshot of the text and JSON reports.
//! What each pair must produce is read from its `case.txt` (the file `whymiss capture-pairs`
//! captures it from), never written here.

use serde_json::Value;
use whymiss::cmd::capture_pairs::load_pairs;
use whymiss::demo::scenario::{Expectation, Scenario};

use crate::support::validate;
use crate::support::{corpus, whymiss};

/// Every pair, as its `case.txt` declares it.
fn pairs() -> Vec<Scenario> {
    load_pairs(&corpus("pairs")).unwrap_or_else(|e| panic!("{e}"))
}

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
fn every_pair_directory_has_a_case_file_and_two_logs() {
    let mut dirs: Vec<String> = std::fs::read_dir(corpus("pairs"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let declared: Vec<String> = pairs().into_iter().map(|p| p.name).collect();
    assert_eq!(dirs, declared);
    assert!(declared.len() >= 28, "{declared:?}");
    for name in &declared {
        for side in ["a", "b"] {
            let log = corpus(&format!("pairs/{name}/{side}.log.gz"));
            assert!(log.is_file(), "{} is missing", log.display());
        }
    }
}

#[test]
fn each_pair_gives_its_category_field_and_actions() {
    for pair in pairs() {
        let Expectation::Differ(categories) = &pair.expect else {
            continue;
        };
        let name = pair.name.as_str();
        let main = pair
            .main_cause
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: a differing pair names its main cause"));
        let (field, action, root_causes) = (&main.field, &main.action, main.root_causes);
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
        let mut want: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
        want.sort();
        assert_eq!(got, want, "{name}: categories");
        let main = causes
            .iter()
            .find(|c| c["field"] == field.as_str())
            .unwrap_or_else(|| panic!("{name}: no cause with field {field}: {causes:#?}"));
        let actions: Vec<&str> = main["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(
            actions.contains(&action.as_str())
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
    let noise: Vec<Scenario> = pairs()
        .into_iter()
        .filter(|p| p.expect == Expectation::Same)
        .collect();
    assert!(noise.len() >= 5, "{} noise pairs", noise.len());
    for pair in &noise {
        let name = &pair.name;
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
        for pair in pairs() {
            let name = &pair.name;
            let text = whymiss(pair_args(name, false)).stdout();
            insta::assert_snapshot!(format!("pair-{name}-text"), text);
            let json = whymiss(pair_args(name, true)).stdout();
            insta::assert_snapshot!(format!("pair-{name}-json"), json);
        }
    });
}
