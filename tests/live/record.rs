//! `whymiss record` and `whymiss why` on real builds: the plain GOCACHE with Go 1.21.13 (a warm
//! rebuild, an edit, a GOFLAGS change, cache entries deleted by hand, a test whose environment
//! changed, a failing build), a Makefile that runs go twice, and GOCACHEPROG with Go 1.27.3 and
//! 1.26.6 behind corpus/cacheprog losing entries.

use std::path::PathBuf;

use serde_json::Value;

use crate::cacheprog::build_cacheprog;
use crate::live::{Module, command, go};
use crate::support::{Run, validate_why};

/// A module copy, a history and a toolchain.
struct Session {
    module: Module,
    history: PathBuf,
    go: String,
    /// A GOCACHE of the session's own, when set (else the user's).
    gocache: Option<PathBuf>,
    _tmp: tempfile::TempDir,
}

impl Session {
    fn new(module: &str, version: &str, own_cache: bool) -> Session {
        let tmp = tempfile::Builder::new()
            .prefix("whymiss-record-test-")
            .tempdir()
            .unwrap();
        Session {
            module: Module::copy(module),
            history: tmp.path().join("history.sqlite"),
            go: go(version),
            gocache: own_cache.then(|| tmp.path().join("gocache")),
            _tmp: tmp,
        }
    }

    fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = command(args);
        cmd.arg("--history").arg(&self.history);
        cmd.arg("-C").arg(&self.module.path);
        if let Some(c) = &self.gocache {
            cmd.env("GOCACHE", c);
        }
        cmd
    }

    /// `whymiss record --go GO ARGS` with `env` on top.
    fn record(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all = vec!["record", "--go", &self.go];
        let (ours, go_args) = match args.iter().position(|a| *a == "--") {
            Some(i) => (&args[..i], &args[i..]),
            None => (args, &[][..]),
        };
        all.extend(ours);
        let mut cmd = self.command(&all);
        cmd.args(go_args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let args: Vec<std::ffi::OsString> = all.iter().map(Into::into).collect();
        Run::new(&args, cmd.output().unwrap())
    }

    /// `whymiss why --format json ARGS`: exit status and the validated report.
    fn why(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["why", "--format", "json"];
        all.extend(args);
        let out = self.command(&all).output().unwrap();
        let run = Run::new(&all.iter().map(Into::into).collect::<Vec<_>>(), out.clone());
        let v = run.json();
        validate_why(&v);
        (out.status.code().unwrap_or(-1), v)
    }

    /// The GOCACHE go uses in this session.
    fn gocache(&self) -> PathBuf {
        if let Some(c) = &self.gocache {
            return c.clone();
        }
        let out = std::process::Command::new(&self.go)
            .args(["env", "GOCACHE"])
            .output()
            .unwrap();
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.module.path.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} lacks {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

fn misses(v: &Value) -> &Vec<Value> {
    v["misses"].as_array().unwrap()
}

fn miss<'v>(v: &'v Value, label: &str) -> &'v Value {
    misses(v)
        .iter()
        .find(|m| m["label"] == label)
        .unwrap_or_else(|| panic!("no miss {label}: {:#}", v["misses"]))
}

/// The categories of the causes of comparison `i`.
fn categories(v: &Value, i: usize) -> Vec<String> {
    v["comparisons"][i]["report"]["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn record_and_why_on_the_plain_cache_go_1_21() {
    let s = Session::new("lab", "1.21.13", false);

    // Fill the cache, then a warm rebuild: everything from the cache.
    s.record(&[], &[]).code(0).stderr_has("record 1:");
    let run = s.record(&[], &[]).code(0);
    assert!(run.stderr().contains("record 2:"), "{}", run.stderr());
    let (code, v) = s.why(&[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["record"]["id"], 2);
    assert!(v["summary"]["actions"].as_u64().unwrap() > 50, "{v:#}");
    assert_eq!(v["summary"]["ran"], 0);
    assert_eq!(v["summary"]["hits"], v["summary"]["actions"]);
    assert_eq!(v["record"]["invocations"][0]["method"], "action-graph");

    // An edit that changes greet's API: greet is the root cause, its importer knock-on.
    s.edit(
        "greet/greet.go",
        "// Mode returns",
        "// Extra is new.\nfunc Extra() int { return 1 }\n\n// Mode returns",
    );
    s.record(&[], &[]).code(0);
    let (code, v) = s.why(&[]);
    assert_eq!(code, 1, "{v:#}");
    let greet = miss(&v, "build example.com/lab/greet");
    assert_eq!(greet["reason"], "key-changed");
    assert_eq!(greet["status"], "root-cause");
    let labctl = miss(&v, "build example.com/lab/cmd/labctl");
    assert_eq!(labctl["status"], "knock-on", "{v:#}");
    assert_eq!(categories(&v, 0), ["source"]);
    assert_eq!(v["comparisons"][0]["against"]["id"], 2);
    assert_eq!(
        v["record"]["invocations"][0]["method"],
        "action-graph+rerun"
    );

    // A GOFLAGS change: its category, and the setting that differs.
    let goflags = "-gcflags=example.com/lab/util/...=-N";
    s.record(&[], &[("GOFLAGS", goflags)]).code(0);
    let (code, v) = s.why(&[]);
    assert_eq!(code, 1, "{v:#}");
    assert!(
        categories(&v, 0).contains(&"compiler-flags".to_string()),
        "{:?}",
        categories(&v, 0)
    );
    let settings = &v["comparisons"][0]["report"]["settings"];
    assert!(
        settings
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["setting"] == "GOFLAGS"),
        "{settings:#}"
    );
    let rebuilt: Vec<String> = misses(&v)
        .iter()
        .filter(|m| m["label"].as_str().unwrap().contains("/util/"))
        .map(|m| m["key"].as_str().unwrap().to_string())
        .collect();
    assert!(rebuilt.len() >= 3, "{v:#}");

    // Cache entries deleted by hand: the same keys as record 4, not in the cache.
    let cache = s.gocache();
    for key in &rebuilt[..2] {
        std::fs::remove_file(cache.join(&key[..2]).join(format!("{key}-a"))).unwrap();
    }
    s.record(&[], &[("GOFLAGS", goflags)]).code(0);
    let (code, v) = s.why(&[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["summary"]["ran"], 2, "{v:#}");
    for m in misses(&v) {
        assert_eq!(m["reason"], "same-key", "{m:#}");
        assert_eq!(m["earlier"]["id"], 4, "{m:#}");
        assert!(rebuilt[..2].contains(&m["key"].as_str().unwrap().to_string()));
    }
    // `--against` compares with a chosen record: record 2, before the edit.
    let (code, v) = s.why(&["4", "--against", "2"]);
    assert_eq!(code, 1);
    let mut cats = categories(&v, 0);
    cats.sort();
    assert!(cats.contains(&"source".to_string()), "{cats:?}");
    assert!(cats.contains(&"compiler-flags".to_string()), "{cats:?}");

    // A test that reads an environment variable: the cached result is reused until the
    // variable changes.
    s.record(&["--", "test", "./greet/"], &[]).code(0);
    s.record(&["--", "test", "./greet/"], &[]).code(0);
    let (_, v) = s.why(&[]);
    let test = v["summary"]["tests"].as_u64().unwrap();
    assert!(test >= 1 && v["summary"]["tests_cached"] == test, "{v:#}");
    s.record(&["--", "test", "./greet/"], &[("GREET_MODE", "shout")])
        .code(0);
    let (code, v) = s.why(&[]);
    assert_eq!(code, 1, "{v:#}");
    let t = miss(&v, "test example.com/lab/greet");
    assert_eq!(t["reason"], "key-changed");
    let group = t["comparison"].as_u64().unwrap() as usize;
    assert_eq!(categories(&v, group), ["test-env"], "{v:#}");

    // A failing build still records, and whymiss exits with go's status.
    s.edit(
        "greet/greet.go",
        "func Extra() int { return 1 }",
        "func Extra() int { return }",
    );
    let run = s.record(&[], &[]).code(1);
    assert!(run.stderr().contains("greet.go"), "{}", run.stderr());
    let (_, v) = s.why(&[]);
    assert_eq!(v["record"]["exit_status"], 1);
    assert_eq!(miss(&v, "build example.com/lab/greet")["outcome"], "failed");
}

#[test]
fn record_cmd_observes_every_go_command_of_a_makefile() {
    let s = Session::new("tiny", "1.21.13", false);
    std::fs::write(
        s.module.path.join("Makefile"),
        "build:\n\tgo build ./...\n\tgo test ./greet/\n",
    )
    .unwrap();
    let run = s.record(&["--cmd", "make build"], &[]).code(0);
    assert!(run.stdout().contains("go build ./..."), "{}", run.stdout());
    let (_, v) = s.why(&[]);
    let argv: Vec<String> = v["record"]["invocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["argv"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(argv, ["build ./...", "test ./greet/"]);
    assert_eq!(v["record"]["command"], "make build");
    assert_eq!(v["summary"]["tests"], 1);
    // The build's exit status passes through.
    s.record(&["--cmd", "make nosuchtarget"], &[]).code(2);
}

/// Behind a cache program that drops every second put, the next build misses exactly the
/// dropped keys, and `why` says the backend lost them.
fn lost_by_the_backend(version: &str) {
    let s = Session::new("tiny", version, true);
    let prog = build_cacheprog();
    let store = s._tmp.path().join("store");
    let gocacheprog = |extra: &str| format!("{} -dir {} {extra}", prog.display(), store.display());
    s.record(&[], &[("GOCACHEPROG", &gocacheprog("-drop-every 2"))])
        .code(0);
    s.record(&[], &[("GOCACHEPROG", &gocacheprog(""))]).code(0);
    let (code, v) = s.why(&[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        v["record"]["invocations"][0]["method"],
        "action-graph+gocachehash"
    );
    let ran = v["summary"]["ran"].as_u64().unwrap();
    assert!(ran >= 3, "{v:#}");
    assert_eq!(v["summary"]["lost_by_backend"], ran, "{v:#}");
    for m in misses(&v) {
        assert_eq!(m["reason"], "lost-by-backend", "{m:#}");
        assert_eq!(m["stored_in"], 1, "{m:#}");
    }
    let prog = &v["cache_programs"][0];
    assert!(
        prog["program"].as_str().unwrap().contains("-dir"),
        "{prog:#}"
    );
    assert!(prog["hits"].as_u64().unwrap() > 0, "{prog:#}");
    assert!(
        prog["lost"].as_array().unwrap().len() as u64 >= ran,
        "{prog:#}"
    );
}

#[test]
fn record_sees_what_a_cache_program_lost_go_1_27() {
    lost_by_the_backend("1.27.3");
}

#[test]
fn record_sees_what_a_cache_program_lost_go_1_26() {
    lost_by_the_backend("1.26.6");
}
