//! The whole pipeline on real builds: `whymiss` (the relocation check), `whymiss diff`,
//! `whymiss capture` + `whymiss compare`, a failing side, Ctrl-C, and the errors that stop a run.
//!
//! Every test builds a private copy of a corpus module (never the repository's tree) with a real
//! go toolchain from `test_toolchain`, which panics when one is missing: these tests fail rather
//! than skip. The child's environment is cleaned of `GO*`/`CGO_*`/`CC` settings and go's own
//! env file, so what the user has configured cannot change a verdict; each test sets what it
//! compares on the command line. The cache is the user's (warm after the first run), except for
//! the Ctrl-C test, which needs a build long enough to interrupt.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use whymiss::go::signals;

use crate::support::toolchains::test_toolchain;
use crate::support::validate;
use crate::support::{Run, corpus};

/// The go binary of an installed test toolchain (`"1.27.3"`), as an argument for `--go`.
pub(crate) fn go(version: &str) -> String {
    test_toolchain(version).display().to_string()
}

/// A private copy of `corpus/modules/<name>` at `$TMPDIR/.tmpXXXX/<name>`.
pub(crate) struct Module {
    _dir: tempfile::TempDir,
    pub(crate) path: PathBuf,
}

impl Module {
    pub(crate) fn copy(name: &str) -> Module {
        let dir = tempfile::Builder::new()
            .prefix("whymiss-live-")
            .tempdir()
            .unwrap();
        let path = dir.path().join(name);
        // Keeps mtimes: a test that reads a file written under 2 s ago is never cached.
        whymiss::go::workspace::copy_tree(&corpus(&format!("modules/{name}")), &path).unwrap();
        Module { _dir: dir, path }
    }

    pub(crate) fn dir(&self) -> String {
        self.path.display().to_string()
    }
}

/// Whether an inherited variable could change what go builds or how it keys it.
fn is_go_setting(name: &str) -> bool {
    let keep = ["GOCACHE", "GOMODCACHE", "GOPATH"];
    (name.starts_with("GO") && !keep.contains(&name))
        || name.starts_with("CGO_")
        || matches!(name, "CC" | "CXX" | "GCCGO" | "AR" | "PKG_CONFIG")
}

/// `whymiss ARGS` as a command with a clean go environment: no inherited go settings, no go env
/// file, no network (the corpus modules have no dependencies), no colour.
pub(crate) fn command<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_whymiss"));
    cmd.args(args);
    for (name, _) in std::env::vars_os() {
        if is_go_setting(&name.to_string_lossy()) {
            cmd.env_remove(&name);
        }
    }
    cmd.env("GOENV", "off")
        .env("GOPROXY", "off")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

/// Waits (up to 60 s) until the signal-handler debug log at `registry` satisfies `ready` (go
/// process groups registered), lets the go commands get going (compilers running, `$WORK`
/// made), and sends whymiss SIGINT.
pub(crate) fn interrupt_when(
    child: &mut std::process::Child,
    registry: &Path,
    ready: impl Fn(&str) -> bool,
) {
    let read_log = || std::fs::read_to_string(registry).unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready(&read_log()) {
        assert!(
            Instant::now() < deadline,
            "go never started:\n{}",
            read_log()
        );
        assert!(child.try_wait().unwrap().is_none(), "whymiss exited early");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::INT).unwrap();
}

/// Runs `whymiss ARGS` (see [`command`]) to the end.
pub(crate) fn live<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    Run::new(&args, command(&args).output().expect("run whymiss"))
}

/// `whymiss diff --go 1.27.3 -C DIR --quiet --format json ARGS`: exit status and the validated
/// report.
pub(crate) fn diff_json(module: &Module, args: &[&str]) -> (i32, Value) {
    json_run(Some("diff"), module, args)
}

/// The default relocation check, `whymiss --go 1.27.3 -C DIR --quiet --format json ARGS`.
pub(crate) fn check_json(module: &Module, args: &[&str]) -> (i32, Value) {
    json_run(None, module, args)
}

fn json_run(subcommand: Option<&str>, module: &Module, args: &[&str]) -> (i32, Value) {
    let mut all: Vec<String> = subcommand.into_iter().map(String::from).collect();
    all.extend([
        "--go".into(),
        go("1.27.3"),
        "-C".into(),
        module.dir(),
        "--quiet".into(),
        "--format".into(),
        "json".into(),
    ]);
    all.extend(args.iter().map(|a| a.to_string()));
    json_of(live(all))
}

pub(crate) fn json_of(run: Run) -> (i32, Value) {
    let code = run.output.status.code().expect("exit code");
    let v = run.json();
    validate(&v);
    assert_eq!(v["verdict"], if code == 0 { "same" } else { "differ" });
    (code, v)
}

fn causes(v: &Value) -> &Vec<Value> {
    v["causes"].as_array().unwrap()
}

/// (category, field, a, b) of every cause, sorted: what two reports of the same sides share.
fn cause_keys(v: &Value) -> BTreeSet<(String, String, String, String)> {
    let text = |x: &Value| x.as_str().unwrap_or("(none)").to_string();
    causes(v)
        .iter()
        .map(|c| {
            (
                text(&c["category"]),
                text(&c["field"]),
                text(&c["a"]),
                text(&c["b"]),
            )
        })
        .collect()
}

/// The actions of the causes, by (category, field, a, b).
fn cause_actions(v: &Value) -> BTreeMap<(String, String, String, String), BTreeSet<String>> {
    let text = |x: &Value| x.as_str().unwrap_or("(none)").to_string();
    let mut out: BTreeMap<_, BTreeSet<String>> = BTreeMap::new();
    for c in causes(v) {
        let key = (
            text(&c["category"]),
            text(&c["field"]),
            text(&c["a"]),
            text(&c["b"]),
        );
        out.entry(key).or_default().extend(strings(&c["actions"]));
    }
    out
}

pub(crate) fn categories(v: &Value) -> BTreeSet<String> {
    causes(v)
        .iter()
        .map(|c| c["category"].as_str().unwrap().to_string())
        .collect()
}

/// The one cause of `category` (panics when there are none or several).
fn only_cause<'v>(v: &'v Value, category: &str) -> &'v Value {
    let found: Vec<&Value> = causes(v)
        .iter()
        .filter(|c| c["category"] == category)
        .collect();
    assert_eq!(found.len(), 1, "{category} causes: {:#?}", v["causes"]);
    found[0]
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The setting row named `name` as (a, b).
fn setting(v: &Value, name: &str) -> Option<(Value, Value)> {
    v["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["setting"] == name)
        .map(|s| (s["a"].clone(), s["b"].clone()))
}

/// `build <import path>` for every package of the module copied at `root` (a directory with a
/// non-test .go file), named `<module path>/<relative dir>`.
fn build_actions_of(root: &Path, module_path: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut is_package = false;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "testdata" && name != "include" {
                    stack.push(path);
                }
            } else if name.ends_with(".go") && !name.ends_with("_test.go") {
                is_package = true;
            }
        }
        if is_package {
            let rel = dir
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(if rel.is_empty() {
                format!("build {module_path}")
            } else {
                format!("build {module_path}/{rel}")
            });
        }
    }
    out
}

#[test]
fn relocation_check_blames_the_directory_and_the_links_are_knock_on() {
    let lab = Module::copy("lab");
    let (code, v) = json_of(live([
        "--go",
        &go("1.27.3"),
        "-C",
        &lab.dir(),
        "--quiet",
        "--format",
        "json",
    ]));
    assert_eq!(code, 1);
    assert_eq!(v["a"]["label"], "here");
    assert_eq!(v["b"]["label"], "moved");
    assert_eq!(v["a"]["dir"], lab.dir());
    let moved = v["b"]["dir"].as_str().unwrap().to_string();
    assert!(moved.ends_with("/lab") && moved != lab.dir(), "{moved}");
    assert!(
        !Path::new(&moved).exists(),
        "the relocated copy was left behind"
    );
    let (a, b) = setting(&v, "directory").expect("directory setting");
    assert_eq!((a.as_str(), b.as_str()), (Some(&*lab.dir()), Some(&*moved)));

    let dir = causes(&v)
        .iter()
        .find(|c| c["category"] == "absolute-path" && c["field"] == "dir")
        .unwrap_or_else(|| panic!("no absolute-path dir cause: {:#?}", v["causes"]));
    assert_eq!(dir["rewrite"]["a"], lab.dir());
    assert_eq!(dir["rewrite"]["b"], moved);
    let packages = build_actions_of(&lab.path, "example.com/lab");
    assert!(packages.len() >= 20, "{packages:?}");
    assert_eq!(strings(&dir["actions"]), packages);
    // The rest is the cgo include path (see the -trimpath test): no other kind of cause.
    assert_eq!(
        categories(&v),
        BTreeSet::from(["absolute-path".to_string()])
    );

    let actions = v["actions"].as_array().unwrap();
    let links: BTreeSet<String> = actions
        .iter()
        .filter(|a| a["kind"] == "link")
        .map(|a| {
            assert_eq!(a["status"], "knock-on", "{a:#}");
            a["name"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        links,
        BTreeSet::from([
            "link example.com/lab/cmd/labctl".to_string(),
            "link example.com/lab/cmd/labd".to_string(),
        ])
    );
    for action in actions.iter().filter(|a| a["kind"] == "build") {
        assert_eq!(action["status"], "root-cause", "{action:#}");
    }
    assert_eq!(v["summary"]["knock_on"], 2);
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("-buildvcs=false"))
    );
}

#[test]
fn trimpath_leaves_only_the_cgo_include_path_and_a_pure_go_module_hits() {
    let lab = Module::copy("lab");
    let args = |m: &Module, format: &str| {
        live([
            "--go",
            &go("1.27.3"),
            "-C",
            &m.dir(),
            "--quiet",
            "--format",
            format,
            "--",
            "-trimpath",
            "./...",
        ])
    };
    let (code, v) = json_of(args(&lab, "json"));
    assert_eq!(code, 1);
    assert_eq!(causes(&v).len(), 1, "{:#?}", v["causes"]);
    let cause = &causes(&v)[0];
    assert_eq!(cause["category"], "absolute-path");
    assert_eq!(cause["field"], "CC flags");
    let include = format!("{}/cgopkg/include", lab.dir());
    assert_eq!(cause["a"], include);
    let moved = v["b"]["dir"].as_str().unwrap();
    assert_eq!(cause["b"], format!("{moved}/cgopkg/include"));
    assert_eq!(
        strings(&cause["actions"]),
        ["build example.com/lab/cgopkg".to_string()].into()
    );
    assert!(
        cause["why"].as_str().unwrap().contains("${SRCDIR}"),
        "{cause:#}"
    );
    // A dry run (the default) counts cmd/labctl and its link as knock-on, at most: it cannot
    // see that cgopkg's output does not change (tests/live/dry.rs has the real builds: 1).
    assert_eq!(v["summary"]["root_cause"], 1);
    assert_eq!(v["summary"]["differ"], 3);
    assert_eq!(v["summary"]["knock_on_upper_bound"], true);
    for side in ["a", "b"] {
        assert!(
            strings(&v[side]["args"]).contains("-trimpath"),
            "{}",
            v[side]
        );
    }
    // The text names the category, the field and the directive.
    let text = args(&lab, "text")
        .code(1)
        .stdout_has("${SRCDIR}")
        .stdout_has(&include)
        .stdout();
    assert!(
        text.lines()
            .any(|l| l.contains("absolute-path") && l.contains("CC flags")),
        "{text}"
    );

    let tiny = Module::copy("tiny");
    let (code, v) = json_of(args(&tiny, "json"));
    assert_eq!(code, 0, "{:#?}", v["causes"]);
    assert!(causes(&v).is_empty());
    assert_eq!(v["summary"]["differ"], 0);
    assert!(v["summary"]["compared"].as_u64().unwrap() > 0);
}

#[test]
fn cgo_enabled_changes_cgo_and_the_file_set() {
    let lab = Module::copy("lab");
    let (code, v) = diff_json(
        &lab,
        &["--a-env", "CGO_ENABLED=1", "--b-env", "CGO_ENABLED=0"],
    );
    assert_eq!(code, 1);
    let cgo = only_cause(&v, "cgo");
    assert_eq!(cgo["field"], "CGO_ENABLED");
    assert_eq!(
        (cgo["a"].as_str(), cgo["b"].as_str()),
        (Some("1"), Some("0"))
    );
    assert!(strings(&cgo["actions"]).contains("build example.com/lab/cgopkg"));
    // cgo.go and lab.c build only with cgo, nocgo.go only without: the file set swaps, which is
    // explained by CGO_ENABLED (folded into the cgo cause) or as file-set causes of their own.
    let cgopkg = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "build example.com/lab/cgopkg")
        .expect("cgopkg action");
    for (file, only_in) in [("cgo.go", "a"), ("lab.c", "a"), ("nocgo.go", "b")] {
        let d = cgopkg["differences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["field"] == format!("file {file}"))
            .unwrap_or_else(|| panic!("no difference for {file}: {cgopkg:#}"));
        let other = if only_in == "a" { "b" } else { "a" };
        assert!(d[only_in].is_string() && d[other].is_null(), "{d:#}");
        let cause = &causes(&v)[d["cause"].as_u64().expect("attributed") as usize];
        assert!(
            cause["category"] == "cgo" || cause["category"] == "file-set",
            "{file} blamed on {cause:#}"
        );
    }
    let cats = categories(&v);
    assert!(
        cats.iter().all(|c| c == "cgo" || c == "file-set"),
        "{cats:?}"
    );
    let (a, b) = setting(&v, "CGO_ENABLED").expect("CGO_ENABLED setting");
    assert_eq!((a.as_str(), b.as_str()), (Some("1"), Some("0")));
}

#[test]
fn two_toolchains_are_one_toolchain_cause() {
    let tiny = Module::copy("tiny");
    let (code, v) = diff_json(&tiny, &["--a-go", &go("1.26.6"), "--b-go", &go("1.27.3")]);
    assert_eq!(code, 1);
    assert_eq!(causes(&v).len(), 1, "{:#?}", v["causes"]);
    let cause = only_cause(&v, "toolchain");
    assert_eq!(cause["a"], "go1.26.6");
    assert_eq!(cause["b"], "go1.27.3");
    assert!(strings(&cause["actions"]).contains("build example.com/tiny/greet"));
    assert_eq!(v["a"]["go_version"], "go1.26.6");
    assert_eq!(v["b"]["go_version"], "go1.27.3");
}

#[test]
fn goamd64_is_a_target_cause() {
    let tiny = Module::copy("tiny");
    let (code, v) = diff_json(&tiny, &["--a-env", "GOAMD64=v1", "--b-env", "GOAMD64=v3"]);
    assert_eq!(code, 1);
    assert_eq!(categories(&v), BTreeSet::from(["target".to_string()]));
    let cause = only_cause(&v, "target");
    assert_eq!(cause["field"], "GOAMD64");
    assert_eq!(
        (cause["a"].as_str(), cause["b"].as_str()),
        (Some("v1"), Some("v3"))
    );
    assert!(strings(&cause["actions"]).contains("build runtime"));
}

#[test]
fn gcflags_pattern_is_a_compiler_flags_cause_reaching_the_standard_library() {
    let tiny = Module::copy("tiny");
    let (code, v) = diff_json(
        &tiny,
        &["--a-flags=-gcflags=-N", "--b-flags=-gcflags=all=-N"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        categories(&v),
        BTreeSet::from(["compiler-flags".to_string()])
    );
    let affected: BTreeSet<String> = causes(&v)
        .iter()
        .flat_map(|c| strings(&c["actions"]))
        .collect();
    // all=-N reaches every package; -N only those named on the command line.
    for stdlib in ["build runtime", "build os"] {
        assert!(
            affected.contains(stdlib),
            "{stdlib} not affected: {affected:?}"
        );
    }
    assert!(
        causes(&v)
            .iter()
            .any(|c| c["b"].as_str().is_some_and(|b| b.contains("-N"))),
        "{:#?}",
        v["causes"]
    );
}

#[test]
fn ldflags_x_is_a_linker_flags_cause() {
    let lab = Module::copy("lab");
    let (code, v) = diff_json(
        &lab,
        &[
            "--a-flags=-ldflags=-X=main.version=1",
            "--b-flags=-ldflags=-X=main.version=2",
            "--",
            "./cmd/labctl",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(causes(&v).len(), 1, "{:#?}", v["causes"]);
    let cause = only_cause(&v, "linker-flags");
    assert_eq!(cause["field"], "-ldflags");
    assert_eq!(cause["a"], "-X=main.version=1");
    assert_eq!(cause["b"], "-X=main.version=2");
    assert!(strings(&cause["actions"]).contains("link example.com/lab/cmd/labctl"));
    // One main package: whymiss writes the binary nowhere near the module.
    for side in ["a", "b"] {
        assert!(
            strings(&v[side]["args"]).contains("/dev/null"),
            "{}",
            v[side]
        );
    }
    assert!(!lab.path.join("labctl").exists());
}

/// A build tag on one side, no main package to record it: a live diff reads the //go:build
/// lines of the files that appear and disappear (they are on disk, with the content the logs
/// hashed) and names the tag, in one cause for every package it selects files in.
#[test]
fn a_live_diff_names_the_build_tag_from_the_files_it_selects() {
    let lab = Module::copy("lab");
    std::fs::write(
        lab.path.join("util/mathx/extra_on.go"),
        "//go:build labextra\n\npackage mathx\n\nconst Extra = true\n",
    )
    .unwrap();
    std::fs::write(
        lab.path.join("util/mathx/extra_off.go"),
        "//go:build !labextra\n\npackage mathx\n\nconst Extra = false\n",
    )
    .unwrap();
    let (code, v) = diff_json(
        &lab,
        &["--b-flags=-tags=labextra", "--", "./tagged", "./util/mathx"],
    );
    assert_eq!(code, 1);
    assert_eq!(causes(&v).len(), 1, "{:#?}", v["causes"]);
    let cause = only_cause(&v, "file-set");
    assert_eq!(cause["field"], "build tag labextra");
    assert_eq!(
        (cause["a"].as_str(), cause["b"].as_str()),
        (Some("not set"), Some("set"))
    );
    assert_eq!(
        strings(&cause["actions"]),
        BTreeSet::from([
            "build example.com/lab/tagged".to_string(),
            "build example.com/lab/util/mathx".to_string()
        ])
    );
}

#[test]
fn go_vet_logs_with_other_analyzer_flags_are_a_vetflags_cause() {
    // whymiss runs build and test; logs of any go command compare, `go vet` included.
    let lab = Module::copy("lab");
    let vet = |flags: &[&str], log: &str| {
        let out = Command::new(go("1.27.3"))
            .arg("vet")
            .args(flags)
            .arg("./util/...")
            .current_dir(&lab.path)
            .env("GODEBUG", "gocachehash=1")
            .env("GOTOOLCHAIN", "local")
            .env("GOFLAGS", "")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = lab.path.join(log);
        std::fs::write(&path, &out.stderr).unwrap();
        path.display().to_string()
    };
    let (a, b) = (vet(&[], "a.log"), vet(&["-printf=false"], "b.log"));
    let (code, v) = json_of(live(["compare", &a, &b, "--format", "json"]));
    assert_eq!(code, 1);
    assert_eq!(categories(&v), BTreeSet::from(["other".to_string()]));
    let vetted = causes(&v)
        .iter()
        .inspect(|c| {
            assert_eq!(c["field"], "vetflags");
            assert!(c["b"].as_str().unwrap().contains("-printf=false"), "{c}");
            assert!(
                c["why"].as_str().unwrap().contains("every vet action"),
                "{c}"
            );
        })
        .flat_map(|c| strings(&c["actions"]))
        .collect::<BTreeSet<_>>();
    assert!(
        vetted.contains("vet example.com/lab/util/strs"),
        "{vetted:?}"
    );
    assert!(vetted.iter().all(|a| a.starts_with("vet ")), "{vetted:?}");
}

#[test]
fn go_test_with_trimpath_on_one_side_differs_and_identical_sides_are_same() {
    let tiny = Module::copy("tiny");
    let (code, v) = diff_json(&tiny, &["--test", "--b-flags=-trimpath", "--", "./greet"]);
    assert_eq!(code, 1);
    assert_eq!(categories(&v), BTreeSet::from(["trimpath".to_string()]));
    let cause = only_cause(&v, "trimpath");
    assert!(strings(&cause["actions"]).contains("build example.com/tiny/greet"));
    assert_eq!(v["a"]["args"][0], "test");
    assert_eq!(v["b"]["args"][0], "test");
    assert!(
        v["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"].as_str().unwrap().contains("greet.test")),
        "no test binary action"
    );

    let (code, v) = diff_json(&tiny, &["--test", "--", "./greet"]);
    assert_eq!(code, 0, "{:#?}", v["causes"]);
    assert!(causes(&v).is_empty());
    assert!(
        v["settings"].as_array().unwrap().is_empty(),
        "{}",
        v["settings"]
    );
}

#[test]
fn compare_of_two_captures_finds_what_diff_finds() {
    let lab = Module::copy("lab");
    let scratch = tempfile::tempdir().unwrap();
    let capture = |label: &str, cgo: &str| {
        let file = scratch.path().join(format!("{label}.capture"));
        live([
            "capture",
            "--go",
            &go("1.27.3"),
            "-C",
            &lab.dir(),
            "--quiet",
            "--env",
            &format!("CGO_ENABLED={cgo}"),
            "--label",
            label,
            "-o",
            file.to_str().unwrap(),
        ])
        .code(0)
        .stdout_has(&format!("side `{label}`, go1.27.3"));
        file
    };
    let a = capture("laptop", "1");
    let b = capture("ci", "0");
    let (code, compared) = json_of(live([
        "compare".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]));
    assert_eq!(code, 1);
    assert_eq!(compared["a"]["label"], "laptop");
    assert_eq!(compared["b"]["label"], "ci");
    let (sa, sb) = setting(&compared, "CGO_ENABLED").expect("CGO_ENABLED setting");
    assert_eq!((sa.as_str(), sb.as_str()), (Some("1"), Some("0")));

    let (code, diffed) = diff_json(
        &lab,
        &["--a-env", "CGO_ENABLED=1", "--b-env", "CGO_ENABLED=0"],
    );
    assert_eq!(code, 1);
    assert_eq!(cause_keys(&compared), cause_keys(&diffed));
    assert!(categories(&compared).contains("cgo"));
    assert_eq!(cause_actions(&compared), cause_actions(&diffed));
    assert_eq!(compared["summary"], diffed["summary"]);
}

#[test]
fn a_failing_side_is_exit_2_with_a_partial_report() {
    let tiny = Module::copy("tiny");
    let args = |mode: &str| {
        live([
            "diff",
            "--go",
            &go("1.27.3"),
            "-C",
            &tiny.dir(),
            "--quiet",
            mode,
            "--b-flags=-gcflags=-bogus",
            "--",
            "./greet",
        ])
    };
    // A dry run compiles nothing, so it cannot see that the compiler rejects the flag: it
    // reports the flag as a cause, and says that compile errors are not detected.
    args("--no-verify")
        .code(1)
        .stdout_has("compiler-flags  -gcflags")
        .stdout_has("compile errors are not detected");
    let run = args("--exact")
        .code(2)
        .one_line_error()
        .stderr_has("side B: go build failed (exit 1)")
        .stdout_has("# example.com/tiny/greet")
        .stdout_has("flag provided but not defined: -bogus");
    assert!(!run.stderr().contains("side A"), "{}", run.stderr());
    let stdout = run.stdout();
    // Issue 11: the header read "A  A: go build …" when the label is the side's letter.
    assert!(stdout.starts_with("A  go build "), "{stdout}");
    assert!(stdout.contains("\nB  go build "), "{stdout}");
    let partial = stdout
        .lines()
        .find(|l| l.starts_with("partial: "))
        .unwrap_or_else(|| panic!("no partial: section\n{stdout}"));
    assert!(
        partial.contains("side B") && partial.contains("(exit 1)"),
        "{partial}"
    );
    // The JSON document is written too, marked partial, and the exit status is 2 whatever the
    // gate decided (docs/json-schema.md, `gate`).
    let (code, v) = diff_json(
        &tiny,
        &["--exact", "--b-flags=-gcflags=-bogus", "--", "./greet"],
    );
    assert_eq!(code, 2);
    assert_eq!(v["partial"], true);
    assert!(
        matches!(v["gate"]["exit_code"].as_i64(), Some(0 | 1)),
        "{}",
        v["gate"]
    );
}

/// Ctrl-C while both sides build (cold caches, B relocated): whymiss exits 130 after stopping
/// both go process trees and removing every temporary directory it made.
#[test]
fn sigint_stops_both_builds_and_leaves_no_temporary_directory() {
    let tiny = Module::copy("tiny");
    let scratch = tempfile::tempdir().unwrap();
    let tmpdir = scratch.path().join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    let registry = scratch.path().join("registry.log");
    let mut child = command([
        "diff",
        "--go",
        &go("1.27.3"),
        "-C",
        &tiny.dir(),
        "--quiet",
        "--cold",
        "--b-relocate",
    ])
    .env(signals::DEBUG_LOG_VAR, &registry)
    .env("TMPDIR", &tmpdir)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let read_log = || std::fs::read_to_string(&registry).unwrap_or_default();
    let groups_of = |log: &str| -> Vec<i32> {
        log.lines()
            .filter_map(|l| l.strip_prefix("+group "))
            .map(|g| g.parse().unwrap())
            .collect()
    };
    interrupt_when(&mut child, &registry, |log| groups_of(log).len() >= 2);
    let sent = Instant::now();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "stderr: {stderr}");
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "took {:?}",
        sent.elapsed()
    );
    assert_eq!(stderr.trim_end(), "whymiss: interrupted by SIGINT");

    let log = read_log();
    let groups = groups_of(&log);
    assert_eq!(groups.len(), 2, "{log}");
    let deadline = Instant::now() + Duration::from_secs(2);
    while let Some(g) = groups.iter().find(|&&g| signals::group_alive(g)) {
        assert!(
            Instant::now() < deadline,
            "go process group {g} survived\n{log}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let dirs: Vec<&str> = log
        .lines()
        .filter_map(|l| l.strip_prefix("+dir "))
        .collect();
    // Both cold caches, both go work directories, B's relocated copy.
    assert_eq!(dirs.len(), 5, "{log}");
    for dir in &dirs {
        assert!(
            dir.starts_with(tmpdir.to_str().unwrap()),
            "{dir} outside TMPDIR"
        );
        assert!(!Path::new(dir).exists(), "{dir} survived");
    }
    let left: Vec<_> = std::fs::read_dir(&tmpdir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left in TMPDIR: {left:?}\n{log}");
}

#[test]
fn a_directory_outside_any_module_is_one_line_exit_2() {
    let outside = tempfile::tempdir().unwrap();
    let dir = outside.path().display().to_string();
    live(["--go", &go("1.27.3"), "-C", &dir, "--quiet"])
        .code(2)
        .one_line_error()
        .stderr_has("not inside a Go module")
        .stderr_has(&dir);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn a_missing_toolchain_is_one_line_exit_2_naming_the_side() {
    let tiny = Module::copy("tiny");
    live([
        "diff",
        "--go",
        &go("1.27.3"),
        "-C",
        &tiny.dir(),
        "--quiet",
        "--a-go",
        "/nonexistent/go",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("side A: go toolchain not found at /nonexistent/go");
}
