//! Test-result cache keys on real `go test` runs: which flag, variable, file or build change
//! makes a cached test result unusable, per Go version, and the GODEBUG observer effect.

use crate::live::{Module, categories, check_json, command, diff_json, go, json_of, live};

fn test_diff(module: &Module, version: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--test"];
    all.extend(args);
    let (_, v) = if version == "1.27.3" {
        diff_json(module, &all)
    } else {
        let mut full = vec![
            "diff".to_string(),
            "--go".into(),
            go(version),
            "-C".into(),
            module.dir(),
        ];
        full.extend(["--quiet", "--format", "json"].map(String::from));
        full.extend(all.iter().map(|s| s.to_string()));
        json_of(live(full))
    };
    v
}

#[test]
fn coverprofile_is_cacheable_since_go_1_25_but_instruments_the_test_binary() {
    let module = Module::copy("lab");
    let profile = module.path.join("cover.out");
    let flag = format!("--b-flags=-coverprofile={}", profile.display());
    // Go 1.27: -coverprofile is a cacheable flag; the test binary is built with coverage.
    let v = test_diff(&module, "1.27.3", &[&flag, "--", "./util/strs"]);
    let cats = categories(&v);
    assert!(cats.contains("instrumentation"), "{cats:?}");
    assert!(!cats.contains("test-flags"), "{cats:?}");
    // Go 1.21: -coverprofile turns test caching off.
    let v = test_diff(&module, "1.21.13", &[&flag, "--", "./util/strs"]);
    let cats = categories(&v);
    assert!(cats.contains("test-flags"), "{cats:?}");
    let cause = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "test-flags")
        .unwrap();
    assert!(
        cause["b"].as_str().unwrap().contains("-test.coverprofile"),
        "{cause}"
    );
}

#[test]
fn count_1_disables_caching_for_every_tested_package() {
    let module = Module::copy("lab");
    let v = test_diff(
        &module,
        "1.27.3",
        &["--a-flags=-count=1", "--", "./util/strs", "./util/set"],
    );
    assert_eq!(
        categories(&v).into_iter().collect::<Vec<_>>(),
        ["test-flags"]
    );
    let tested: Vec<&str> = v["causes"][0]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        tested,
        [
            "test example.com/lab/util/set",
            "test example.com/lab/util/strs"
        ]
    );
}

#[test]
fn identical_test_runs_are_reusable() {
    let module = Module::copy("lab");
    let v = test_diff(&module, "1.27.3", &["--", "./greet", "./util/strs"]);
    assert_eq!(v["verdict"], "same");
    assert!(v["causes"].as_array().unwrap().is_empty());
}

#[test]
fn a_godebug_override_keeps_gocachehash_and_shows_the_observer_effect() {
    // Regression: a side's GODEBUG used to replace the merged value, so go printed no hashes.
    let module = Module::copy("lab");
    // A GODEBUG setting on one side changes the value every test sees (Go 1.23+).
    let v = test_diff(
        &module,
        "1.27.3",
        &["--b-env", "GODEBUG=panicnil=1", "--", "./greet"],
    );
    let cause = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "env GODEBUG")
        .unwrap_or_else(|| panic!("no env GODEBUG cause: {:#}", v["causes"]));
    assert_eq!(cause["category"], "test-env");
    assert!(cause["why"].as_str().unwrap().contains("observer effect"));
    let notes = v["notes"].to_string();
    assert!(notes.contains("different GODEBUG values"), "{notes}");
}

#[test]
fn a_test_input_modified_under_2_s_ago_makes_the_result_uncacheable() {
    let module = Module::copy("lab");
    // go test refuses to key a result on a file modified less than 2 s before the run; a
    // modification time in the future is always that.
    let golden = module.path.join("greet/testdata/hello.txt");
    let future = std::time::SystemTime::now() + std::time::Duration::from_secs(86_400);
    std::fs::File::open(&golden)
        .unwrap()
        .set_modified(future)
        .unwrap();
    let v = test_diff(&module, "1.27.3", &["--", "./greet", "./util/strs"]);
    assert_eq!(v["verdict"], "differ", "{v:#}");
    let cause = only_cause_in_greet(&v);
    assert_eq!(cause["category"], "test-mtime");
    assert_eq!(cause["field"], "input file too new");
    let a = cause["a"].as_str().unwrap();
    assert!(
        a.starts_with("not cacheable: ")
            && a.ends_with("greet/testdata/hello.txt: file used as input is too new"),
        "{a}"
    );
}

#[test]
fn trimpath_does_not_make_a_test_that_opens_a_file_relocatable() {
    let module = Module::copy("lab");
    // The default check: here and in a relocated copy (mtimes kept, so both results cache).
    let (code, v) = check_json(
        &module,
        &["--test", "--", "-trimpath", "./greet", "./util/strs"],
    );
    assert_eq!(code, 1);
    let cause = only_cause_in_greet(&v);
    assert_eq!(cause["category"], "absolute-path");
    assert_eq!(cause["field"], "test input path");
    assert!(
        cause["a"]
            .as_str()
            .unwrap()
            .ends_with("/lab/greet/testdata/hello.txt"),
        "{cause}"
    );
    assert!(cause["why"].as_str().unwrap().contains("-trimpath or not"));
}

/// The report's one cause, which must name only the test of greet (the package whose test reads
/// a file; util/strs reads none).
fn only_cause_in_greet(v: &serde_json::Value) -> &serde_json::Value {
    let causes = v["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 1, "{causes:#?}");
    let cause = &causes[0];
    assert_eq!(
        cause["actions"].to_string(),
        r#"["test example.com/lab/greet"]"#
    );
    cause
}

#[test]
fn a_run_without_gocachehash_never_shares_test_results() {
    let module = Module::copy("lab");
    let capture = module.path.join("with-hash.capture");
    let run = live([
        "capture".to_string(),
        "--go".into(),
        go("1.27.3"),
        "-C".into(),
        module.dir(),
        "-q".into(),
        "--test".into(),
        "-o".into(),
        capture.display().to_string(),
        "--".into(),
        "./util/strs".into(),
    ]);
    assert_eq!(run.output.status.code(), Some(0), "{}", run.stderr());
    // The same test, run the way a user would without whymiss: only gocachetest=1.
    let plain = std::process::Command::new(go("1.27.3"))
        .args(["test", "./util/strs"])
        .current_dir(&module.path)
        .env("GODEBUG", "gocachetest=1")
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "")
        .output()
        .unwrap();
    let log = module.path.join("plain.log");
    std::fs::write(&log, &plain.stderr).unwrap();
    let run = live([
        "compare".to_string(),
        capture.display().to_string(),
        log.display().to_string(),
        "--format".into(),
        "json".into(),
    ]);
    let v = run.json();
    let notes = v["notes"].to_string();
    assert!(notes.contains("observer effect"), "{notes}");
}

/// Two `go test` logs captured with `GODEBUG=gocachehash=1` but without `gocachetest=1` (no
/// `testcache:` lines), differing only in a variable the test reads: whymiss used to say "same
/// keys: all 209 actions match" although the second run re-ran the test. The tested package is
/// now traced through its test binary's link and the `inputs:` subkey.
#[test]
fn test_logs_without_testcache_lines_still_compare_what_the_tests_read() {
    let module = Module::copy("lab");
    let run = |mode: &str, name: &str| {
        let out = std::process::Command::new(go("1.27.3"))
            .args(["test", "./greet"])
            .current_dir(&module.path)
            .env("GODEBUG", "gocachehash=1,goindex=0")
            .env("GREET_MODE", mode)
            .env("GOTOOLCHAIN", "local")
            .env("GOFLAGS", "")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("testcache:"));
        let path = module.path.join(name);
        std::fs::write(&path, &out.stderr).unwrap();
        path.display().to_string()
    };
    let (x, y, y_again) = (run("x", "x.log"), run("y", "y.log"), run("y", "y2.log"));
    let (code, v) = json_of(live(["compare", &x, &y, "--format", "json"]));
    assert_eq!(code, 1);
    let cause = only_cause_in_greet(&v);
    assert_eq!(cause["category"], "test-env");
    assert_eq!(cause["field"], "env GREET_MODE");
    let (code, v) = json_of(live(["compare", &y, &y_again, "--format", "json"]));
    assert_eq!(code, 0, "{:#?}", v["causes"]);
    assert_eq!(v["verdict"], "same");
}

/// Issue 9, item 10: a test that reads a secret put its value into the capture
/// (`HASH[getenv]: "abc123"`) and the report (`A "abc123" B "prod-token-999"`). Values are now
/// a short SHA-256 in both, which still proves they differ; --keep-env-values keeps them.
#[test]
fn env_values_tests_read_stay_out_of_captures_and_reports() {
    use whymiss::parse::redact::short_sha256;
    let lab = Module::copy("lab");
    let scratch = tempfile::tempdir().unwrap();
    let capture = |label: &str, value: &str, keep: bool| {
        let file = scratch.path().join(format!("{label}.capture"));
        let mut args = vec![
            "capture".to_string(),
            "--test".into(),
            "--go".into(),
            go("1.27.3"),
            "-C".into(),
            lab.dir(),
            "--quiet".into(),
            "--label".into(),
            label.into(),
            "-o".into(),
            file.display().to_string(),
        ];
        if keep {
            args.push("--keep-env-values".into());
        }
        args.extend(["--".into(), "./greet".into()]);
        // The secret comes from the environment, as a CI job's token would.
        let out = command(&args).env("GREET_MODE", value).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (file.clone(), std::fs::read_to_string(&file).unwrap())
    };
    let (a, a_text) = capture("a", "abc123", false);
    let (b, b_text) = capture("b", "prod-token-999", false);
    let (sa, sb) = (short_sha256(b"abc123"), short_sha256(b"prod-token-999"));
    assert!(!a_text.contains("abc123"), "the secret is in the capture");
    assert!(
        !b_text.contains("prod-token-999"),
        "the secret is in the capture"
    );
    assert!(a_text.contains(&format!("whymiss-redacted sha256:{sa}")));

    let compare = |x: &std::path::Path, y: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["compare".to_string(), x.display().to_string()];
        args.push(y.display().to_string());
        args.extend(extra.iter().map(|s| s.to_string()));
        live(args).code(1)
    };
    let text = compare(&a, &b, &[]).stdout();
    assert!(
        !text.contains("abc123") && !text.contains("prod-token-999"),
        "{text}"
    );
    assert!(text.contains(&sa) && text.contains(&sb), "{text}");
    let (code, v) = json_of(compare(&a, &b, &["--format", "json"]));
    assert_eq!(code, 1);
    assert!(categories(&v).contains("test-env"), "{:?}", categories(&v));
    let json = v.to_string();
    assert!(!json.contains("abc123") && !json.contains("prod-token-999"));

    // Kept on request: in the capture, and in the report when asked for there too.
    let (kept, kept_text) = capture("kept", "abc123", true);
    assert!(kept_text.contains("HASH[getenv]: \"abc123\""));
    let shown = compare(&kept, &b, &["--keep-env-values"]).stdout();
    assert!(shown.contains("abc123") && shown.contains(&sb), "{shown}");
    let hidden = compare(&kept, &b, &[]).stdout();
    assert!(
        !hidden.contains("abc123") && hidden.contains(&sa),
        "{hidden}"
    );
}
