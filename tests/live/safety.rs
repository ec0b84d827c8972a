//! Input handling and safety (issue 9): package defaults, what counts as a log, workspaces,
//! coloured logs, where a capture is written, escaping of text from input, bounded reading, and
//! cleaning up after signals. Each test is named after the bug it pins.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::live::{Module, check_json, go, live};

/// `whymiss -- -trimpath` (flags, no package) built only the package in the module root: "no
/// Go files" in a module without one. Packages default to `./...`.
#[test]
fn flags_without_packages_build_every_package() {
    let lab = Module::copy("lab");
    let (code, v) = check_json(&lab, &["--", "-trimpath"]);
    assert!(code == 0 || code == 1, "{v}");
    for side in ["a", "b"] {
        let args: Vec<&str> = v[side]["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(args.first(), Some(&"build"), "{args:?}");
        assert_eq!(args.last(), Some(&"./..."), "{args:?}");
        assert!(args.contains(&"-trimpath"), "{args:?}");
    }
    assert!(v["summary"]["compared"].as_u64().unwrap() > 50, "{v}");

    let (code, v) = crate::live::diff_json(&lab, &["--", "-trimpath"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["a"]["args"].as_array().unwrap().last().unwrap(), "./...");
}

/// `whymiss capture -- -trimpath` wrote a 27-byte capture of go's "no Go files" and advised
/// setting GODEBUG=gocachehash=1, which whymiss had set.
#[test]
fn capture_with_flags_only_captures_every_package() {
    let lab = Module::copy("lab");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("lab.capture");
    let file_arg = file.display().to_string();
    live([
        "capture",
        "-o",
        &file_arg,
        "--go",
        &go("1.27.3"),
        "-C",
        &lab.dir(),
        "--quiet",
        "--",
        "-trimpath",
    ])
    .code(0)
    .stdout_has("verified");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.lines()
            .any(|l| (l.starts_with("# args: build -trimpath")
                || l.starts_with("# args: build -n -trimpath"))
                && l.ends_with(" ./...")),
        "{}",
        &text[..text.len().min(2000)]
    );
    assert!(text.contains("HASH[link example.com/lab/cmd/labd]"));
}

/// A capture whose go command fails before hashing anything shows go's own error (exit 2) and
/// writes no capture.
#[test]
fn a_failed_capture_shows_gos_error_and_writes_nothing() {
    let lab = Module::copy("lab");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("bad.capture");
    let file_arg = file.display().to_string();
    live([
        "capture",
        "-o",
        &file_arg,
        "--go",
        &go("1.27.3"),
        "-C",
        &lab.dir(),
        "--quiet",
        "--",
        "./nonexistent",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("go build failed (exit 1) before hashing anything")
    .stderr_has("nonexistent");
    assert!(!Path::new(&file).exists(), "a capture was written");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

/// At a go.work root (no go.mod of its own) `whymiss -- ./tiny/...` failed "not inside a Go
/// module", although go builds it; the relocated copy is the whole workspace.
#[test]
fn a_go_work_root_builds_its_modules() {
    let tiny = Module::copy("tiny");
    let root = tiny.path.parent().unwrap().join("ws");
    std::fs::create_dir(&root).unwrap();
    whymiss::go::workspace::copy_tree(&tiny.path, &root.join("tiny")).unwrap();
    std::fs::write(root.join("go.work"), "go 1.21\n\nuse ./tiny\n").unwrap();
    let run = live([
        "--go",
        &go("1.27.3"),
        "-C",
        &root.display().to_string(),
        "--quiet",
        "--format",
        "json",
        "--",
        "-trimpath",
        "./tiny/...",
    ]);
    let (code, v) = crate::live::json_of(run);
    assert_eq!(code, 0, "{v}");
    assert!(v["summary"]["compared"].as_u64().unwrap() > 10, "{v}");
    let moved = v["b"]["dir"].as_str().unwrap();
    assert!(moved.ends_with("/ws"), "{moved}");
}

/// `capture -o -` writes the capture to standard output (and nothing else there).
#[test]
fn capture_to_stdout() {
    let tiny = Module::copy("tiny");
    let run = live([
        "capture",
        "-o",
        "-",
        "--go",
        &go("1.27.3"),
        "-C",
        &tiny.dir(),
        "--quiet",
    ])
    .code(0);
    let out = &run.output.stdout;
    assert!(
        out.starts_with(b"# whymiss capture 1\n"),
        "{}",
        run.stdout()
    );
    assert!(!run.stdout().contains("wrote "));
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("tiny.capture");
    std::fs::write(&file, out).unwrap();
    crate::support::whymiss(["inspect", file.to_str().unwrap()])
        .code(0)
        .stdout_has("verified");
}

/// `whymiss ARGS` with a clean go environment (see `live`), a private TMPDIR and the signal
/// handler's debug log, started in the background.
fn spawn_logged(args: &[&str], tmpdir: &Path, registry: &Path) -> std::process::Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_whymiss"));
    cmd.args(args);
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("GO") && name != "GOCACHE" && name != "GOMODCACHE" && name != "GOPATH" {
            cmd.env_remove(&name);
        }
    }
    cmd.env("GOENV", "off")
        .env("GOPROXY", "off")
        .env("NO_COLOR", "1")
        .env("TMPDIR", tmpdir)
        .env(whymiss::go::signals::DEBUG_LOG_VAR, registry)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits (up to 60 s) until the registry log shows `groups` go process groups and `dirs`
/// temporary directories, then half a second more for go to get going.
fn wait_for(child: &mut std::process::Child, registry: &Path, groups: usize, dirs: usize) {
    let count = |log: &str, prefix: &str| log.lines().filter(|l| l.starts_with(prefix)).count();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let log = std::fs::read_to_string(registry).unwrap_or_default();
        if count(&log, "+group ") >= groups && count(&log, "+dir ") >= dirs {
            break;
        }
        assert!(Instant::now() < deadline, "go never started:\n{log}");
        assert!(child.try_wait().unwrap().is_none(), "whymiss exited early");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
}

fn groups_in(registry: &Path) -> Vec<i32> {
    std::fs::read_to_string(registry)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("+group "))
        .map(|g| g.parse().unwrap())
        .collect()
}

fn whymiss_dirs(tmpdir: &Path) -> Vec<String> {
    std::fs::read_dir(tmpdir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("whymiss-"))
        .collect()
}

fn send(pid: u32, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(pid as i32).unwrap();
    rustix::process::kill_process(pid, signal).unwrap();
}

/// SIGHUP and SIGQUIT left every temporary directory (5 for a cold relocated run) and the go
/// processes behind. Now they clean up like SIGINT and exit with 128 + the signal.
#[test]
fn sighup_and_sigquit_clean_up_like_sigint() {
    use rustix::process::Signal;
    let tiny = Module::copy("tiny");
    for (signal, name) in [(Signal::HUP, "SIGHUP"), (Signal::QUIT, "SIGQUIT")] {
        let scratch = tempfile::tempdir().unwrap();
        let tmpdir = scratch.path().join("tmp");
        std::fs::create_dir(&tmpdir).unwrap();
        let registry = scratch.path().join("registry.log");
        let go = go("1.27.3");
        let args = [
            "diff",
            "--go",
            &go,
            "-C",
            &tiny.dir(),
            "--quiet",
            "--cold",
            "--b-relocate",
        ];
        let mut child = spawn_logged(&args, &tmpdir, &registry);
        wait_for(&mut child, &registry, 2, 5);
        let sent = Instant::now();
        send(child.id(), signal);
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(128 + signal.as_raw()),
            "{name}: {stderr}"
        );
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "{:?}",
            sent.elapsed()
        );
        assert_eq!(stderr.trim_end(), format!("whymiss: interrupted by {name}"));
        let deadline = Instant::now() + Duration::from_secs(2);
        for g in groups_in(&registry) {
            while whymiss::go::signals::group_alive(g) {
                assert!(Instant::now() < deadline, "{name}: go group {g} survived");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let left: Vec<_> = std::fs::read_dir(&tmpdir).unwrap().collect();
        assert!(left.is_empty(), "{name}: left in TMPDIR: {left:?}");
    }
}

/// After SIGKILL nothing can clean up; no later run removed the leftovers (a relocated copy can
/// be GBs). Now the next run removes the directories whose owner is gone.
#[test]
fn a_later_run_removes_what_a_killed_run_left() {
    let tiny = Module::copy("tiny");
    let scratch = tempfile::tempdir().unwrap();
    let tmpdir = scratch.path().join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    let registry = scratch.path().join("registry.log");
    let go = go("1.27.3");
    let args = [
        "diff",
        "--go",
        &go,
        "-C",
        &tiny.dir(),
        "--quiet",
        "--cold",
        "--b-relocate",
    ];
    let mut child = spawn_logged(&args, &tmpdir, &registry);
    wait_for(&mut child, &registry, 2, 5);
    send(child.id(), rustix::process::Signal::KILL);
    child.wait().unwrap();
    // The go commands, in process groups of their own, outlive whymiss: stop them.
    whymiss::go::signals::terminate_groups(
        &groups_in(&registry),
        rustix::process::Signal::KILL,
        Duration::from_secs(2),
    );
    let left = whymiss_dirs(&tmpdir);
    assert_eq!(left.len(), 5, "{left:?}");

    let registry2 = scratch.path().join("registry2.log");
    let mut again = spawn_logged(
        &["--go", &go, "-C", &tiny.dir(), "--quiet", "--", "./greet"],
        &tmpdir,
        &registry2,
    );
    let status = again.wait().unwrap();
    assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
    let left = whymiss_dirs(&tmpdir);
    assert!(left.is_empty(), "still there: {left:?}");
}

/// SIGINT while `go env` hung took 10 s, printed nothing and left `go env` running: it ran
/// outside the process-group discipline of builds. A go wrapper whose `env` hangs stands in.
#[test]
fn sigint_stops_a_hanging_go_env_at_once() {
    let tiny = Module::copy("tiny");
    let scratch = tempfile::tempdir().unwrap();
    let mark = scratch.path().join("env.pid");
    let fake = scratch.path().join("go");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\nif [ \"$1\" = env ]; then echo $$ > '{}'; exec sleep 60; fi\nexec '{}' \"$@\"\n",
            mark.display(),
            go("1.27.3")
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let tmpdir = scratch.path().join("tmp");
    std::fs::create_dir(&tmpdir).unwrap();
    let registry = scratch.path().join("registry.log");
    let out = scratch.path().join("x.capture");
    let args = [
        "capture",
        "-o",
        out.to_str().unwrap(),
        "--go",
        fake.to_str().unwrap(),
        "-C",
        &tiny.dir(),
        "--quiet",
    ];
    let mut child = spawn_logged(&args, &tmpdir, &registry);
    let deadline = Instant::now() + Duration::from_secs(30);
    let env_pid: u32 = loop {
        if let Some(pid) = std::fs::read_to_string(&mark)
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            break pid;
        }
        assert!(Instant::now() < deadline, "go env never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    std::thread::sleep(Duration::from_millis(200));
    let sent = Instant::now();
    send(child.id(), rustix::process::Signal::INT);
    // Bounded wait, so a regression fails instead of hanging.
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if sent.elapsed() > Duration::from_secs(15) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = sent.elapsed();
    let env_alive = || {
        rustix::process::Pid::from_raw(env_pid as i32)
            .is_some_and(|p| rustix::process::test_kill_process(p).is_ok())
    };
    if status.is_none() || env_alive() {
        let _ = child.kill();
        let _ = rustix::process::kill_process(
            rustix::process::Pid::from_raw(env_pid as i32).unwrap(),
            rustix::process::Signal::KILL,
        );
    }
    let status = status.expect("whymiss did not exit within 15 s of SIGINT");
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(elapsed < Duration::from_millis(1500), "took {elapsed:?}");
    assert_eq!(stderr.trim_end(), "whymiss: interrupted by SIGINT");
    let deadline = Instant::now() + Duration::from_secs(2);
    while env_alive() {
        assert!(Instant::now() < deadline, "go env (pid {env_pid}) survived");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!out.exists());
    assert!(whymiss_dirs(&tmpdir).is_empty());
}
