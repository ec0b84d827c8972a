//! Dry runs (the default: `go build -n`, nothing compiled) against real builds (`--exact`) on
//! the same comparisons: relocation, toolchains, env, flags and cgo must give equal root
//! causes; the dry knock-on count is an upper bound. Each fix whymiss proves is checked here
//! (-trimpath, cgo `${SRCDIR}` that -trimpath does not fix, GOFLAGS, the toolchain). A dry run
//! must compile nothing (a `-toolexec` recorder and a C compiler shim that fail on real work)
//! and write nothing into the user's GOCACHE.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::live::{Module, command, go, json_of, live};

/// `whymiss [SUBCOMMAND] --go 1.27.3 -C DIR --quiet --format json ARGS`, dry with
/// verification, and the same with `--exact --no-verify`.
fn both_modes(subcommand: Option<&str>, module: &Module, args: &[&str]) -> (Value, Value) {
    let run = |extra: &[&str]| {
        let mut all: Vec<String> = subcommand.into_iter().map(String::from).collect();
        all.extend(
            [
                "--go",
                &go("1.27.3"),
                "-C",
                &module.dir(),
                "--quiet",
                "--format",
                "json",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        // Options before `args`, which may end with `-- GO ARGS`.
        all.extend(extra.iter().map(|s| s.to_string()));
        all.extend(args.iter().map(|s| s.to_string()));
        json_of(live(all))
    };
    let (dry_code, dry) = run(&[]);
    let (exact_code, exact) = run(&["--exact", "--no-verify"]);
    assert_eq!(dry_code, exact_code, "{dry:#}\n{exact:#}");
    assert_eq!(dry["mode"], "dry");
    assert_eq!(exact["mode"], "exact");
    for side in ["a", "b"] {
        assert_eq!(dry[side]["mode"], "dry");
        assert_eq!(exact[side]["mode"], "exact");
        assert_eq!(dry[side]["args"][1], "-n", "{}", dry[side]);
        assert!(!strings(&exact[side]["args"]).contains("-n"));
    }
    (dry, exact)
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The root causes as (category, field, a, b) → actions, with each side's directory replaced
/// by `<A>`/`<B>` (a relocated side's directory differs from run to run).
fn roots(v: &Value) -> BTreeMap<(String, String, String, String), BTreeSet<String>> {
    let a_dir = v["a"]["dir"].as_str().unwrap_or("<none>").to_string();
    let b_dir = v["b"]["dir"].as_str().unwrap_or("<none>").to_string();
    let norm = |x: &Value| {
        x.as_str()
            .unwrap_or("(none)")
            .replace(&b_dir, "<B>")
            .replace(&a_dir, "<A>")
    };
    v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                (
                    norm(&c["category"]),
                    norm(&c["field"]),
                    norm(&c["a"]),
                    norm(&c["b"]),
                ),
                strings(&c["actions"]),
            )
        })
        .collect()
}

/// Equal root causes; dry knock-on at least exact's; the summary says which is a bound.
fn assert_same_roots(dry: &Value, exact: &Value) {
    assert!(!roots(dry).is_empty(), "{:#}", dry["causes"]);
    assert_eq!(roots(dry), roots(exact));
    let n = |v: &Value, k: &str| v["summary"][k].as_u64().unwrap();
    assert_eq!(n(dry, "root_cause"), n(exact, "root_cause"));
    assert!(n(dry, "knock_on") >= n(exact, "knock_on"));
    assert_eq!(n(dry, "nondeterministic"), 0);
    assert_eq!(n(exact, "nondeterministic"), 0);
    assert_eq!(
        dry["summary"]["knock_on_upper_bound"],
        n(dry, "knock_on") > 0
    );
    assert_eq!(exact["summary"]["knock_on_upper_bound"], false);
    for c in exact["causes"].as_array().unwrap() {
        assert!(c["verification"].is_null(), "--no-verify: {c:#}");
    }
}

/// The one cause with this field.
fn cause<'v>(v: &'v Value, field: &str) -> &'v Value {
    let found: Vec<&Value> = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["field"] == field)
        .collect();
    assert_eq!(found.len(), 1, "{field}: {:#}", v["causes"]);
    found[0]
}

fn assert_verified(c: &Value, fix: &str, change: &str) {
    let v = &c["verification"];
    assert_eq!(v["status"], "verified", "{c:#}");
    assert_eq!(v["fix"], fix, "{c:#}");
    assert_eq!(v["change"], change, "{c:#}");
    assert_eq!(v["still_differ"], 0);
    assert_eq!(v["actions"], c["actions"].as_array().unwrap().len());
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("verified: {change}, ")),
        "{v:#}"
    );
}

#[test]
fn relocation_dry_and_exact_agree_and_trimpath_is_not_enough_for_cgo_srcdir() {
    let lab = Module::copy("lab");
    let (dry, exact) = both_modes(None, &lab, &[]);
    assert_same_roots(&dry, &exact);
    assert_eq!(dry["summary"]["knock_on"], 2);
    assert_eq!(exact["summary"]["knock_on"], 2);

    // -trimpath removes every dir line but cgopkg's ${SRCDIR} include path.
    let dir = &cause(&dry, "dir")["verification"];
    assert_eq!(dir["status"], "not-enough", "{dir:#}");
    assert_eq!(dir["fix"], "trimpath");
    assert_eq!(dir["change"], "with -trimpath on both sides");
    assert_eq!(dir["still_differ"], 1);
    assert_eq!(dir["through_dependencies"], 1, "cmd/labctl imports cgopkg");
    assert_eq!(
        dir["remaining"],
        serde_json::json!([{"category": "absolute-path", "field": "CC flags"}])
    );
    let srcdir = &cause(&dry, "CC flags")["verification"];
    assert_eq!(srcdir["status"], "not-tried");
    assert!(srcdir["fix"].is_null());
    assert!(
        srcdir["message"]
            .as_str()
            .unwrap()
            .starts_with("not tried: needs a source edit (drop ${SRCDIR}"),
        "{srcdir:#}"
    );

    // The text says so under each cause, and the knock-on as an upper bound.
    let text = live(["--go", &go("1.27.3"), "-C", &lab.dir(), "--quiet"])
        .code(1)
        .stdout();
    for line in [
        "keys differ (dry run, nothing compiled): 26 of 93 actions would miss the cache (24 with \
         an input of their own, at most 2 more through dependencies)",
        "    not enough: with -trimpath on both sides, 1 of these 24 actions still differs \
         (absolute-path CC flags); 1 more differs through dependencies",
        "    not tried: needs a source edit (drop ${SRCDIR} from the #cgo directives)",
        "knock-on: at most 2 actions would miss through dependencies: ",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(line)),
            "no {line:?} in\n{text}"
        );
    }
}

#[test]
fn with_trimpath_the_cgo_srcdir_package_stops_a_real_build_but_not_a_dry_one() {
    let lab = Module::copy("lab");
    let (dry, exact) = both_modes(None, &lab, &["--", "-trimpath", "./..."]);
    assert_same_roots(&dry, &exact);
    // cgopkg's output does not depend on its include path: the real builds stop there.
    assert_eq!(exact["summary"]["differ"], 1);
    assert_eq!(dry["summary"]["differ"], 3);
    assert_eq!(dry["summary"]["knock_on_upper_bound"], true);
    let srcdir = &cause(&dry, "CC flags")["verification"];
    assert_eq!(srcdir["status"], "not-tried", "{srcdir:#}");
}

#[test]
fn two_toolchains_dry_and_exact_agree_and_one_toolchain_is_verified() {
    let tiny = Module::copy("tiny");
    let (dry, exact) = both_modes(
        Some("diff"),
        &tiny,
        &["--a-go", &go("1.26.6"), "--b-go", &go("1.27.3")],
    );
    assert_same_roots(&dry, &exact);
    assert_verified(
        cause(&dry, "toolchain"),
        "toolchain",
        "with side A's go1.26.6 on both sides",
    );
}

#[test]
fn env_differences_dry_and_exact_agree_and_are_verified() {
    let tiny = Module::copy("tiny");
    let (dry, exact) = both_modes(
        Some("diff"),
        &tiny,
        &["--a-env", "GOAMD64=v1", "--b-env", "GOAMD64=v3"],
    );
    assert_same_roots(&dry, &exact);
    assert_verified(
        cause(&dry, "GOAMD64"),
        "env",
        "with GOAMD64=v1 on both sides",
    );

    let lab = Module::copy("lab");
    let (dry, exact) = both_modes(
        Some("diff"),
        &lab,
        &["--a-env", "CGO_ENABLED=1", "--b-env", "CGO_ENABLED=0"],
    );
    assert_same_roots(&dry, &exact);
    assert_verified(
        cause(&dry, "CGO_ENABLED"),
        "env",
        "with CGO_ENABLED=1 on both sides",
    );
}

#[test]
fn flag_differences_dry_and_exact_agree_and_are_verified() {
    let tiny = Module::copy("tiny");
    let (dry, exact) = both_modes(
        Some("diff"),
        &tiny,
        &["--a-flags=-gcflags=-N", "--b-flags=-gcflags=all=-N"],
    );
    assert_same_roots(&dry, &exact);
    for c in dry["causes"].as_array().unwrap() {
        assert_verified(c, "flag", "with A's -gcflags (-gcflags=-N) on both sides");
    }

    let lab = Module::copy("lab");
    let (dry, exact) = both_modes(
        Some("diff"),
        &lab,
        &["--b-flags=-ldflags=-X=main.version=2", "--", "./cmd/labctl"],
    );
    assert_same_roots(&dry, &exact);
    assert_verified(
        cause(&dry, "-ldflags"),
        "flag",
        "without -ldflags on side B (as on side A)",
    );
}

/// `GOFLAGS=-trimpath` on one side is a trimpath cause; -trimpath on both sides fixes it.
#[test]
fn goflags_trimpath_on_one_side_is_verified_by_trimpath_on_both() {
    let tiny = Module::copy("tiny");
    let (code, v) = json_of(live([
        "diff",
        "--go",
        &go("1.27.3"),
        "-C",
        &tiny.dir(),
        "--quiet",
        "--format",
        "json",
        "--b-env",
        "GOFLAGS=-trimpath",
    ]));
    assert_eq!(code, 1);
    let c = cause(&v, "-trimpath");
    assert_eq!(c["category"], "trimpath");
    assert_verified(c, "trimpath", "with -trimpath on both sides");
    // --no-verify: no verification, and no re-run.
    let (_, v) = json_of(live([
        "diff",
        "--go",
        &go("1.27.3"),
        "-C",
        &tiny.dir(),
        "--quiet",
        "--format",
        "json",
        "--no-verify",
        "--b-env",
        "GOFLAGS=-trimpath",
    ]));
    assert!(cause(&v, "-trimpath")["verification"].is_null());
}

/// Writes an executable shell script.
fn script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Every file under `dir`, relative to it.
fn files(dir: &Path) -> BTreeSet<String> {
    crate::support::files_under(dir, &[""])
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

/// The toolexec recorder lets the tool-ID probes (`<tool> -V=full`, the C compiler's `-###`)
/// through and fails everything else; a `gcc` first on PATH does the same for the C compiles
/// cgo runs without toolexec. The dry check (with its verification re-run) must succeed with
/// both in place and record only probes; the same check with --exact must fail on real work
/// (the control, without which the recorders might never have been called). And the user's
/// GOCACHE must not change, where even a `go list -deps -export=false` of the same packages
/// writes package-loading index entries.
#[test]
fn a_dry_run_compiles_nothing_and_leaves_the_users_cache_alone() {
    let lab = Module::copy("lab");
    let scratch = tempfile::tempdir().unwrap();
    let gcc = String::from_utf8(
        std::process::Command::new("sh")
            .args(["-c", "command -v gcc"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    assert!(gcc.starts_with('/'), "gcc not found: {gcc:?}");
    let toolexec = scratch.path().join("toolexec.sh");
    script(
        &toolexec,
        "#!/bin/sh\n\
         if [ \"$#\" -eq 2 ] && [ \"$2\" = \"-V=full\" ]; then echo \"probe $*\" >> \"$LOG\"; exec \"$@\"; fi\n\
         case \" $* \" in *\" -### \"*) echo \"probe $*\" >> \"$LOG\"; exec \"$@\";; esac\n\
         echo \"work $*\" >> \"$LOG\"; exit 97\n",
    );
    let shims = scratch.path().join("bin");
    std::fs::create_dir(&shims).unwrap();
    script(
        &shims.join("gcc"),
        &format!(
            "#!/bin/sh\n\
             case \" $* \" in *\" -### \"*|*\" --version \"*) echo \"probe cc $*\" >> \"$LOG\"; exec {gcc} \"$@\";; esac\n\
             echo \"work cc $*\" >> \"$LOG\"; exit 97\n"
        ),
    );
    let path = format!(
        "{}:{}",
        shims.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let cache = scratch.path().join("gocache");
    std::fs::create_dir(&cache).unwrap();
    std::fs::write(cache.join("seed"), "a file the user had\n").unwrap();
    let before = files(&cache);
    let run = |extra: &[&str], log: &Path| {
        let mut args = vec![
            "--go".to_string(),
            go("1.27.3"),
            "-C".into(),
            lab.dir(),
            "--quiet".into(),
            "--format".into(),
            "json".into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.extend([
            "--".into(),
            format!("-toolexec={}", toolexec.display()),
            "./...".into(),
        ]);
        command(&args)
            .env("LOG", log)
            .env("PATH", &path)
            .env("GOCACHE", &cache)
            .output()
            .unwrap()
    };

    let dry_log = scratch.path().join("dry.log");
    let out = run(&[], &dry_log);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["mode"], "dry");
    assert_eq!(
        cause(&v, "dir")["verification"]["status"],
        "not-enough",
        "the verification re-run ran with the recorders too"
    );
    let log = std::fs::read_to_string(&dry_log).unwrap();
    for line in log.lines() {
        assert!(
            line.starts_with("probe "),
            "a dry run did real work: {line}\n{log}"
        );
    }
    for tool in ["compile", "asm", "cgo", "link"] {
        assert!(
            log.lines().any(|l| l.contains(&format!("/{tool} -V=full"))),
            "no {tool} probe:\n{log}"
        );
    }
    assert!(
        log.contains("probe cc -### "),
        "no C compiler probe:\n{log}"
    );
    assert_eq!(files(&cache), before, "the dry run wrote into GOCACHE");

    // What package loading alone writes (the module index is on without GODEBUG=goindex=0).
    let listed = scratch.path().join("listed");
    whymiss::go::workspace::copy_tree(&cache, &listed).unwrap();
    let list = std::process::Command::new(go("1.27.3"))
        .args(["list", "-deps", "-export=false", "./..."])
        .current_dir(&lab.path)
        .env("GOCACHE", &listed)
        .env("GOFLAGS", "")
        .env("GOTOOLCHAIN", "local")
        .env_remove("GODEBUG")
        .output()
        .unwrap();
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    let list_growth = files(&listed).len() - before.len();
    assert!(list_growth > 0, "go list wrote nothing");
    assert!(files(&cache).len() - before.len() <= list_growth);

    // The control: real builds reach the recorders and fail on the first compile.
    let exact_log = scratch.path().join("exact.log");
    let out = run(&["--exact"], &exact_log);
    assert_eq!(out.status.code(), Some(2));
    let log = std::fs::read_to_string(&exact_log).unwrap();
    assert!(
        log.lines()
            .any(|l| l.starts_with("work ") && l.contains("/compile ")),
        "the recorders never saw a compile:\n{log}"
    );
}

/// A dry capture against an exact one of the same tree: every dependency reference differs in
/// text (keys against content IDs), yet nothing differs.
#[test]
fn a_dry_capture_compared_with_an_exact_one_says_so_and_finds_nothing() {
    let tiny = Module::copy("tiny");
    let scratch = tempfile::tempdir().unwrap();
    let capture = |name: &str, extra: &[&str]| {
        let file = scratch.path().join(name);
        let mut args = vec![
            "capture".to_string(),
            "--go".into(),
            go("1.27.3"),
            "-C".into(),
            tiny.dir(),
            "--quiet".into(),
            "-o".into(),
            file.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let run = live(args).code(0);
        (file, run.stdout())
    };
    let (dry, said) = capture("dry.capture", &[]);
    assert!(said.contains(", dry run (nothing compiled), "), "{said}");
    let (exact, said) = capture("exact.capture", &["--exact"]);
    assert!(!said.contains("dry run"), "{said}");
    let header = std::fs::read_to_string(&dry).unwrap();
    assert!(header.contains("\n# mode: dry\n"), "{header}");
    assert!(
        std::fs::read_to_string(&exact)
            .unwrap()
            .contains("\n# mode: exact\n")
    );

    let (code, v) = json_of(live([
        "compare".as_ref(),
        dry.as_os_str(),
        exact.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]));
    assert_eq!(code, 0, "{:#}", v["causes"]);
    assert_eq!(v["mode"], "mixed");
    assert_eq!(v["summary"]["nondeterministic"], 0);
    assert_eq!(
        v["settings"],
        serde_json::json!([{"setting": "mode", "a": "dry", "b": "exact"}])
    );
    let text = live(["compare".as_ref(), dry.as_os_str(), exact.as_os_str()])
        .code(0)
        .stdout();
    assert!(
        text.contains("same keys (a dry run against a real build): all ")
            && text
                .contains("side A is a dry run and side B a real build: the root causes compare"),
        "{text}"
    );
}
