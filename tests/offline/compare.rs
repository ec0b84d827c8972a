//! `whymiss compare` on real logs: verdicts, causes, symmetry, noise, the JSON contract.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{corpus, repo, validate, whymiss};

fn compare_json(a: &Path, b: &Path) -> (i32, Value) {
    let run = whymiss([
        "compare".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let code = run.output.status.code().expect("exit code");
    let v = run.json();
    validate(&v);
    (code, v)
}

fn categories(v: &Value) -> Vec<String> {
    let mut c: Vec<String> = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap().to_string())
        .collect();
    c.sort();
    c.dedup();
    c
}

fn log(rel: &str) -> PathBuf {
    corpus(&format!("logs/{rel}"))
}

#[test]
fn a_log_against_itself_is_same() {
    for rel in [
        "go1.27.3/lab-build.log.gz",
        "go1.21.13/lab-test.log.gz",
        "go1.26.6/lab-coverpkg.log.gz",
    ] {
        let (code, v) = compare_json(&log(rel), &log(rel));
        assert_eq!(code, 0, "{rel}");
        assert_eq!(v["verdict"], "same");
        assert_eq!(v["causes"].as_array().unwrap().len(), 0);
        assert_eq!(v["summary"]["differ"], 0);
    }
    whymiss([
        "compare".as_ref(),
        log("go1.27.3/tiny-build.log.gz").as_os_str(),
        log("go1.27.3/tiny-build.log.gz").as_os_str(),
    ])
    .code(0)
    .stdout_has("same keys");
}

#[test]
fn trimpath_on_one_side_is_one_cause() {
    let (code, v) = compare_json(
        &log("go1.27.3/lab-build.log.gz"),
        &log("go1.27.3/lab-trimpath.log.gz"),
    );
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "differ");
    assert_eq!(categories(&v), vec!["trimpath"]);
    assert_eq!(v["causes"].as_array().unwrap().len(), 1);
    assert_eq!(v["causes"][0]["a"], "off");
    assert_eq!(v["causes"][0]["b"], "on");
}

#[test]
fn two_toolchains_are_one_toolchain_cause() {
    let (code, v) = compare_json(
        &log("go1.26.6/tiny-build.log.gz"),
        &log("go1.27.3/tiny-build.log.gz"),
    );
    assert_eq!(code, 1);
    let toolchain: Vec<&Value> = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["category"] == "toolchain")
        .collect();
    assert_eq!(toolchain.len(), 1, "{:#}", v["causes"]);
    assert_eq!(toolchain[0]["a"], "go1.26.6");
    assert_eq!(toolchain[0]["b"], "go1.27.3");
    // The captures were made in per-version directories, which is a second, real cause.
    assert_eq!(categories(&v), vec!["absolute-path", "toolchain"]);
    // Logs of two Go versions compare fine: every action of B is accounted for.
    assert_eq!(
        v["summary"]["compared"].as_u64().unwrap() + v["summary"]["only_b"].as_u64().unwrap(),
        56
    );
}

#[test]
fn swapping_sides_swaps_values_and_nothing_else() {
    let (a, b) = (
        log("go1.26.6/lab-build.log.gz"),
        log("go1.27.3/lab-trimpath.log.gz"),
    );
    let (c1, ab) = compare_json(&a, &b);
    let (c2, ba) = compare_json(&b, &a);
    assert_eq!(c1, c2);
    assert_eq!(ab["summary"]["only_a"], ba["summary"]["only_b"]);
    assert_eq!(ab["summary"]["differ"], ba["summary"]["differ"]);
    let causes = |v: &Value, swap: bool| -> Vec<String> {
        let mut out: Vec<String> = v["causes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let (x, y) = if swap {
                    (&c["b"], &c["a"])
                } else {
                    (&c["a"], &c["b"])
                };
                format!(
                    "{} {} {} {} {:?}",
                    c["category"],
                    c["field"],
                    x,
                    y,
                    c["actions"].as_array().unwrap().len()
                )
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(causes(&ab, false), causes(&ba, true));
    let statuses = |v: &Value, swap: bool| -> Vec<String> {
        let mut out: Vec<String> = v["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let s = a["status"].as_str().unwrap();
                let s = match (s, swap) {
                    ("only-a", true) => "only-b",
                    ("only-b", true) => "only-a",
                    (s, _) => s,
                };
                format!("{} {s}", a["label"])
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(statuses(&ab, false), statuses(&ba, true));
}

#[test]
fn gating_by_category() {
    let (a, b) = (
        log("go1.27.3/lab-build.log.gz"),
        log("go1.27.3/lab-trimpath.log.gz"),
    );
    let run = |extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> =
            vec!["compare".into(), a.clone().into(), b.clone().into()];
        args.extend(extra.iter().map(|s| s.into()));
        whymiss(args)
    };
    run(&[]).code(1);
    run(&["--ignore", "trimpath"])
        .code(0)
        .stdout_has("not failing on trimpath");
    run(&["--fail-on", "toolchain,cgo"]).code(0);
    run(&["--fail-on", "trimpath"]).code(1);
    run(&["--ignore", "trimpth"])
        .code(2)
        .stderr_has("unknown category `trimpth`");
}

#[test]
fn text_report_is_short() {
    let run = whymiss([
        "compare".as_ref(),
        log("go1.26.6/lab-build.log.gz").as_os_str(),
        log("go1.27.3/lab-build.log.gz").as_os_str(),
    ])
    .code(1)
    .stdout_has("toolchain")
    .stdout_has("why")
    .stdout_has("fix");
    let lines = run.stdout().lines().count();
    assert!(lines <= 40, "{lines} lines:\n{}", run.stdout());
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let generated = whymiss(["schema"]).code(0).stdout();
    let committed = std::fs::read_to_string(repo().join("docs/report.schema.json")).unwrap();
    assert!(
        generated == committed,
        "docs/report.schema.json differs from the schema of the JSON view structs \
         (src/report/json.rs); regenerate it with\n    \
         cargo run -q -- schema > docs/report.schema.json"
    );
}

#[test]
fn the_schema_rejects_fields_it_does_not_know() {
    let (_, mut v) = compare_json(
        &log("go1.27.3/lab-build.log.gz"),
        &log("go1.27.3/lab-trimpath.log.gz"),
    );
    let schema: Value =
        serde_json::from_slice(&std::fs::read(repo().join("docs/report.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    assert!(validator.is_valid(&v));
    v["causes"][0]["new_field"] = Value::Bool(true);
    assert!(
        !validator.is_valid(&v),
        "an unknown field in a cause passed"
    );
    v["causes"][0].as_object_mut().unwrap().remove("new_field");
    v["summary"].as_object_mut().unwrap().remove("knock_on");
    assert!(!validator.is_valid(&v), "a missing summary field passed");
}

/// Issue 9, item 3: two files holding the same lines of a real `go test -coverpkg` log, with the
/// package and test-variant blocks (`HASH[build P]` twice) interleaved differently. Line-by-line
/// interleavings once overflowed the assignment search and the fallback invented causes.
#[test]
fn interleaved_same_name_blocks_compare_same() {
    let text = String::from_utf8(
        whymiss::go::logfile::LogFile::read(&log("go1.27.3/lab-coverpkg.log.gz"))
            .unwrap()
            .bytes,
    )
    .unwrap();
    let names = crate::corpus::repeated_block_names(&text);
    assert!(names.iter().any(|n| n == "build example.com/lab/greet"));
    let dir = tempfile::tempdir().unwrap();
    let mut previous: Option<PathBuf> = None;
    for seed in 1..=8u64 {
        // A small LCG: reproducible line-by-line interleavings.
        let mut x = seed;
        let choices: Vec<usize> = (0..997)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 33) as usize
            })
            .collect();
        let path = dir.path().join(format!("mixed-{seed}.log"));
        std::fs::write(
            &path,
            crate::corpus::interleave_same_name(&text, &names, &choices),
        )
        .unwrap();
        let other = previous
            .replace(path.clone())
            .unwrap_or(log("go1.27.3/lab-coverpkg.log.gz"));
        let (code, v) = compare_json(&other, &path);
        assert_eq!(code, 0, "seed {seed}: {v:#}");
        assert_eq!(v["verdict"], "same", "seed {seed}");
        assert_eq!(v["causes"].as_array().unwrap().len(), 0, "seed {seed}");
    }
}
