//! `whymiss check` on real builds (issue 13): a clean module passes; each way of breaking
//! cross-machine reuse fails and is attributed to the variation that causes it, with the right
//! category; an allowance in whymiss.toml turns exactly its cause into "allowed" with its
//! reason; `--cmd 'make …'` runs a Makefile project's own build; a failed build is trouble in
//! every format. Builds are dry (`go build -n`) except the `--test` one, and the modules small
//! (`corpus/modules/stamp`, one package of `lab`).

use serde_json::Value;

use crate::live::{Module, go, live};
use crate::support::{Run, validate};

/// `whymiss check --go 1.27.3 -C DIR --quiet ARGS`.
fn check(module: &Module, args: &[&str]) -> Run {
    let mut all = vec![
        "check".to_string(),
        "--go".into(),
        go("1.27.3"),
        "-C".into(),
        module.dir(),
        "--quiet".into(),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    live(all)
}

/// The check's JSON report, validated against the schema, and its exit status.
fn check_json(module: &Module, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend(args);
    let run = check(module, &all);
    let code = run.output.status.code().expect("exit code");
    let v = run.json();
    validate(&v);
    assert_eq!(v["gate"]["exit_code"], code, "{v:#}");
    (code, v)
}

fn causes(v: &Value) -> &Vec<Value> {
    v["causes"].as_array().unwrap()
}

/// The factors a cause is attributed to.
fn factors(cause: &Value) -> Vec<&str> {
    cause["variation"]["factors"]
        .as_array()
        .unwrap_or_else(|| panic!("no variation: {cause:#}"))
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn check_a_makefile_build_that_is_the_same_everywhere_passes() {
    let m = Module::copy("stamp");
    let (code, v) = check_json(&m, &["--cmd", "make build"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["verdict"], "same");
    assert!(causes(&v).is_empty());
    // The Makefile's go ran through the shim, dry, with every variation.
    assert_eq!(v["a"]["source"], "command");
    assert_eq!(strs(&v["a"]["args"]), ["make build"]);
    assert!(v["summary"]["compared"].as_u64().unwrap() > 10, "{v:#}");
    let notes = strs(&v["notes"]).join("\n");
    assert!(
        notes.contains("ran 1 go command through whymiss's go shim"),
        "{notes}"
    );
    for f in [
        "path", "home", "tmpdir", "tz", "locale", "user", "time", "env",
    ] {
        assert!(notes.contains(&format!("{f} (")), "{f}: {notes}");
    }
    // The module itself is untouched: the builds ran in copies.
    assert!(!m.path.join("bin").exists());
}

#[test]
fn check_an_ldflags_date_stamp_fails_on_time_and_only_the_link_differs() {
    let m = Module::copy("stamp");
    let (code, v) = check_json(&m, &["--cmd", "make stamp"]);
    assert_eq!(code, 1, "{v:#}");
    let c = causes(&v);
    assert_eq!(c.len(), 1, "{v:#}");
    assert_eq!(c[0]["category"], "linker-flags");
    assert_eq!(c[0]["field"], "-ldflags");
    assert_eq!(factors(&c[0]), ["time"]);
    assert_eq!(c[0]["gate"]["state"], "failing");
    assert_eq!(strs(&c[0]["actions"]), ["link example.com/stamp"]);
    assert_eq!(v["summary"]["differ"], 1, "only the link differs: {v:#}");
}

#[test]
fn check_a_generated_go_file_holding_the_time_fails_on_time() {
    let m = Module::copy("stamp");
    let (code, v) = check_json(&m, &["--cmd", "make gen-build"]);
    assert_eq!(code, 1, "{v:#}");
    let c = causes(&v);
    assert_eq!(c.len(), 1, "{v:#}");
    assert_eq!(c[0]["category"], "source");
    assert!(
        c[0]["field"].as_str().unwrap().ends_with("zz_time.go"),
        "{v:#}"
    );
    assert_eq!(factors(&c[0]), ["time"]);
    assert_eq!(
        strs(&c[0]["actions"]),
        ["build example.com/stamp/buildinfo"]
    );
}

#[test]
fn check_a_test_reading_tmpdir_fails_on_tmpdir() {
    let m = Module::copy("stamp");
    let (code, v) = check_json(&m, &["--test", "--", "-trimpath", "./scratch"]);
    assert_eq!(code, 1, "{v:#}");
    let c = causes(&v);
    assert_eq!(c.len(), 1, "{v:#}");
    assert_eq!(c[0]["category"], "test-env");
    assert_eq!(c[0]["field"], "env TMPDIR");
    assert_eq!(factors(&c[0]), ["tmpdir"]);
    // go test runs for real.
    assert_eq!(strs(&v["a"]["args"])[0], "test");
}

/// Without -trimpath the package directory is in every key, and a cgo `${SRCDIR}` is in the C
/// flags even with it: both are the path's. An allowance for the C flags of one package allows
/// exactly that cause, with its reason, and leaves the other failing.
#[test]
fn check_paths_fail_on_path_and_an_allowance_allows_exactly_its_cause() {
    let m = Module::copy("lab");
    let (code, v) = check_json(&m, &["--", "-trimpath", "./cgopkg"]);
    assert_eq!(code, 1, "{v:#}");
    let c = causes(&v);
    assert_eq!(c.len(), 1, "{v:#}");
    assert_eq!(
        (c[0]["category"].as_str(), c[0]["field"].as_str()),
        (Some("absolute-path"), Some("CC flags"))
    );
    assert_eq!(factors(&c[0]), ["path"]);

    std::fs::write(
        m.path.join("whymiss.toml"),
        "# CI builds cgopkg in one fixed container path.\n\
         [[allow]]\n\
         category = \"absolute-path\"\n\
         field = \"CC flags\"\n\
         package = \"example.com/lab/cgopkg\"\n\
         reason = \"we build it in one fixed container path\"\n",
    )
    .unwrap();
    let (code, v) = check_json(&m, &["--", "./cgopkg", "./util/strs"]);
    assert_eq!(code, 1, "{v:#}");
    let mut gates: Vec<(String, String, String)> = causes(&v)
        .iter()
        .map(|c| {
            assert_eq!(factors(c), ["path"], "{c:#}");
            (
                c["field"].as_str().unwrap().to_string(),
                c["gate"]["state"].as_str().unwrap().to_string(),
                c["gate"]["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    gates.sort();
    assert_eq!(
        gates,
        [
            (
                "CC flags".to_string(),
                "allowed".to_string(),
                "we build it in one fixed container path".to_string()
            ),
            ("dir".to_string(), "failing".to_string(), String::new()),
        ]
    );
    assert_eq!(v["gate"]["allowed"], serde_json::json!(["absolute-path"]));

    // With -trimpath only the allowed cause is left: exit 0, and the text says why.
    let run = check(&m, &["--", "-trimpath", "./cgopkg"])
        .code(0)
        .stdout_has("(allowed)")
        .stdout_has("allowed we build it in one fixed container path (whymiss.toml:2)")
        .stdout_has("policy: ");
    assert!(
        run.stdout().contains("from varying path"),
        "{}",
        run.stdout()
    );
}

/// Issue 13: a comparison where one side's build failed never reports exit 0, in any format.
#[test]
fn check_a_build_that_fails_on_the_varied_side_is_trouble_in_every_format() {
    let m = Module::copy("stamp");
    // go succeeds on both sides; the script fails when TMPDIR is the check's own.
    let cmd = "go build -trimpath . && case \"$TMPDIR\" in */whymiss-check-*/tmp) exit 3;; esac";
    let (code, v) = check_json(&m, &["--cmd", cmd]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(v["partial"], true);
    assert_eq!(v["b"]["exit_status"], 3);
    let junit = m.path.parent().unwrap().join("junit.xml");
    let run = check(
        &m,
        &[
            "--cmd",
            cmd,
            "--format",
            "github",
            "--junit",
            junit.to_str().unwrap(),
        ],
    )
    .code(2)
    .stdout_has("::error title=whymiss check%3A side B's build failed::exit 3")
    .stdout_has("partial comparison (0 failing, 0 allowed, 0 ignored); exit status 2")
    .stderr_has("side B: the build command `go build -trimpath . && case");
    assert!(!run.stdout().contains("exit status 0"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("errors=\"1\""), "{xml}");
    // A script that runs no go at all is trouble before anything is compared.
    check(&m, &["--cmd", "true"])
        .code(2)
        .one_line_error()
        .stderr_has("`true` ran no go command");
    check(&m, &["--", "./nosuch"]).code(2).one_line_error();
}
