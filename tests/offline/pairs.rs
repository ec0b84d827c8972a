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

/// The main cause of a pair, as the JSON report gives it.
fn main_cause(name: &str, field: &str) -> Value {
    let v: Value = whymiss(pair_args(name, true)).code(1).json();
    v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("{name}: no cause {field}: {:#?}", v["causes"]))
        .clone()
}

/// A cause that comes from a Go feature the user may not know is on names the feature and how
/// to turn it off or make both sides agree (issue 11), on real recorded builds.
#[test]
fn hidden_switches_are_named_with_their_way_out() {
    let cases: &[(&str, &str, &[&str])] = &[
        // -buildvcs=auto stamps the commit by itself.
        (
            "vcs-stamp",
            "modinfo vcs.modified",
            &["-buildvcs defaults to auto", "-buildvcs=false"],
        ),
        // A //go:debug directive in the main package.
        ("godebug", "defaultgodebug", &["//go:debug"]),
        // A go.work puts the go command in workspace mode.
        (
            "go-work",
            "defaultgodebug",
            &["workspace mode", "go.work", "GOWORK=off"],
        ),
        // default.pgo and -pgo=auto.
        (
            "default-pgo",
            "PGO profile (default.pgo)",
            &["-pgo defaults to auto", "default.pgo", "-pgo=off"],
        ),
        // vendor/ switches -mod=vendor.
        (
            "vendor-modcache",
            "dir (vendor)",
            &[
                "-mod=vendor by itself",
                "vendor on both sides",
                "or on neither",
            ],
        ),
        // GOFLAGS in the go env file.
        (
            "trimpath-one-side",
            "-trimpath",
            &["go env -w GOFLAGS=-trimpath", "GOENV=off"],
        ),
        // An experiment baked into the toolchain.
        (
            "goexperiment",
            "GOEXPERIMENT",
            &["carries its experiments by default", "GOEXPERIMENT=noX"],
        ),
        // -race forces compiler and linker flags and atomic coverage.
        ("race", "-race", &["coverage becomes atomic", "needs cgo"]),
        // Cross-compiling turns cgo off, darwin links pie by default: one cause.
        ("goos-darwin", "GOOS", &["turns cgo off", "pie by default"]),
        // cgo's default without a C compiler.
        (
            "cgo-enabled",
            "CGO_ENABLED",
            &["no C compiler", "set CGO_ENABLED explicitly"],
        ),
        // t.TempDir reads TMPDIR (and GOTMPDIR since 1.26).
        (
            "test-tmpdir",
            "env TMPDIR",
            &["t.TempDir", "TMPDIR=/tmp", "GOTMPDIR"],
        ),
        // The module cache follows HOME.
        (
            "module-cache-moved",
            "dir (module cache)",
            &["GOMODCACHE", "$HOME/go", "-trimpath"],
        ),
        // GOPATH mode.
        (
            "gopath-moved",
            "dir (GOPATH)",
            &["GOPATH mode", "GO111MODULE=off"],
        ),
        // Go installed elsewhere: only links, and not "the same checkout path".
        (
            "goroot-moved",
            "GOROOT",
            &["install Go at the same path", "-trimpath"],
        ),
    ];
    for (name, field, phrases) in cases {
        let cause = main_cause(name, field);
        let text = format!("{} / {}", cause["why"], cause["fix"]);
        for phrase in *phrases {
            assert!(text.contains(phrase), "{name}: `{phrase}` not in: {text}");
        }
    }
}

/// A GOOS difference is one cause: cross-compiling's cgo default and darwin's pie build mode
/// fold into it instead of being causes of their own (the report used to list three).
#[test]
fn another_goos_is_one_cause_with_its_cgo_and_buildmode() {
    let v: Value = whymiss(pair_args("goos-darwin", true)).code(1).json();
    let causes = v["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 1, "{causes:#?}");
    let also: Vec<&str> = causes[0]["also"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    for folded in ["-buildmode", "CGO_ENABLED"] {
        assert!(also.contains(&folded), "{also:?}");
    }
}

/// A moved module cache was explained as "build from the same absolute path (/app)": the
/// rewrite ends in /pkg/mod, so it is GOMODCACHE (or HOME) that differs.
#[test]
fn a_moved_module_cache_is_not_a_moved_checkout() {
    let cause = main_cause("module-cache-moved", "dir (module cache)");
    assert_eq!(
        cause["a"],
        "/tmp/whymiss-module-cache-moved/home-a/go/pkg/mod"
    );
    assert_eq!(
        cause["b"],
        "/tmp/whymiss-module-cache-moved/home-b/go/pkg/mod"
    );
    assert!(!cause["fix"].as_str().unwrap().contains("/app"));
}

/// The random `t.TempDir` directories of two runs (`$TMPDIR/TestTemp123/001`) were two
/// test-file causes; they are gone when go test checks them, so only TMPDIR is a cause.
#[test]
fn random_temp_dirs_of_a_test_are_not_causes() {
    let v: Value = whymiss(pair_args("test-tmpdir", true)).code(1).json();
    let fields: Vec<&str> = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["env TMPDIR"]);
}

/// Files in several packages that one build tag selects are one cause: from the logs alone a
/// likely -tags difference, and with the sources (here the module and the pair's setup,
/// replayed) the tag, read from the files' //go:build lines.
#[test]
fn files_several_packages_compile_on_one_side_only_are_one_cause_naming_the_tag() {
    use whymiss::demo::{embedded, scenario, setup};
    use whymiss::go::load;
    use whymiss::go::sources::DiskSources;
    use whymiss::model::{Digest, SourceFacts, SourceHeader};

    let name = "tags-several";
    let pair = pairs().into_iter().find(|p| p.name == name).unwrap();
    let copy = tempfile::tempdir().unwrap();
    let root = copy.path().join("lab");
    let checkout = scenario::parse_time(scenario::CHECKOUT_TIME).unwrap();
    embedded::materialize("modules/lab", &root, checkout).unwrap();
    for step in pair.steps() {
        setup::apply(step, &root, name).unwrap();
    }
    /// The pair's working copy, rebuilt elsewhere: paths are mapped, content still checked.
    struct Replayed(std::path::PathBuf);
    impl SourceFacts for Replayed {
        fn header(&self, path: &str, sum: &Digest) -> Option<SourceHeader> {
            let rel = path.strip_prefix("/tmp/whymiss-pairs/p/tags-several/lab/")?;
            DiskSources.header(self.0.join(rel).to_str()?, sum)
        }
    }
    let (fa, fb) = load::read_pair(
        &corpus("pairs/tags-several/a.log.gz"),
        &corpus("pairs/tags-several/b.log.gz"),
        u64::MAX,
    )
    .unwrap();
    let (la, lb) = load::parse_pair(&fa, &fb).unwrap();
    let report = whymiss::diff::compare_with_sources(
        &la,
        &lb,
        fa.info_for(&la),
        fb.info_for(&lb),
        &Replayed(root),
    );
    assert_eq!(report.causes.len(), 1, "{:#?}", report.causes);
    let cause = &report.causes[0];
    assert_eq!(cause.field, "build tag labextra");
    assert_eq!(cause.a.as_deref(), Some("not set"));
    assert_eq!(cause.b.as_deref(), Some("set"));
    assert_eq!(cause.actions.len(), 2, "{:?}", cause.actions);
    assert!(cause.fix.as_deref().unwrap().contains("-tags"));
    // From the logs alone: the same one cause, saying what is likely.
    let alone = whymiss::diff::compare(&la, &lb, fa.info_for(&la), fb.info_for(&lb));
    assert_eq!(alone.causes.len(), 1);
    assert!(
        alone.causes[0]
            .why
            .contains("most likely one -tags difference")
    );
}
