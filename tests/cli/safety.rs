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
            .any(|l| l.starts_with("# args: build -trimpath") && l.ends_with(" ./...")),
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

/// `whymiss explain /nonexistent/a.log` took the path for a package name and ran a 20 s build.
#[test]
fn explain_of_a_missing_log_is_a_read_error_not_a_build() {
    let empty = tempfile::tempdir().unwrap();
    for path in ["/nonexistent/a.log", "missing.capture", "missing.log.gz"] {
        let started = std::time::Instant::now();
        live_in(empty.path(), &["explain", path])
            .code(2)
            .one_line_error()
            .stderr_has(&format!("whymiss: {path}: no such file or directory"));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}

/// `whymiss ARGS` run in `dir`, with no go on PATH: anything that tries to build fails.
fn live_in(dir: &Path, args: &[&str]) -> crate::support::Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_whymiss"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("PATH", "/nonexistent")
        .env_remove("GO")
        .output()
        .expect("run whymiss");
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    crate::support::Run::new(&args, output)
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

/// `whymiss inspect /dev/zero` grew without limit; an endless pipe of text did too.
#[test]
fn endless_input_stops_with_one_line() {
    crate::support::whymiss(["inspect", "/dev/zero"])
        .code(2)
        .one_line_error()
        .stderr_has("whymiss: /dev/zero: binary data, not a gocachehash log");

    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_whymiss"))
        .args(["inspect", "-", "--max-log-size", "1M"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let line = b"HASH[build a]: \"go1.27.3\"\n".repeat(1000);
        // Until whymiss stops reading (a broken pipe), or far past the bound.
        for _ in 0..10_000 {
            if stdin.write_all(&line).is_err() {
                return true;
            }
        }
        false
    });
    let output = child.wait_with_output().unwrap();
    assert!(feeder.join().unwrap(), "whymiss read 260 MB");
    let args = ["inspect", "-", "--max-log-size", "1M"].map(std::ffi::OsString::from);
    crate::support::Run::new(&args, output)
        .code(2)
        .one_line_error()
        .stderr_has(
            "whymiss: -: more than 1 MiB of log; stopped reading (--max-log-size raises the limit)",
        );
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

/// Go's `%q` of `s`, as gocachehash prints a payload.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\x07' => out.push_str("\\a"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A gocachehash block that verifies: its inputs and their SHA-256.
fn block(name: &str, payloads: &[&str]) -> String {
    use sha2::Digest as _;
    let mut text = format!("HASH[{name}]\n");
    let mut sha = sha2::Sha256::new();
    for p in payloads {
        text.push_str(&format!("HASH[{name}]: {}\n", go_quote(p)));
        sha.update(p.as_bytes());
    }
    let sum: String = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
    text.push_str(&format!("HASH[{name}]: {sum}\n"));
    text
}

const OSC_TITLE: &str = "\x1b]0;pwned\x07";
const OSC_CLIPBOARD: &str = "\x1b]52;c;ZWNobyBwd25lZA==\x07";
const CLEAR: &str = "\x1b[2J\x1b[H";
/// An SGR sequence (blink, reverse) that whymiss's own colours never use.
const BLINK: &str = "\x1b[5;7m";

/// A capture crafted to attack a terminal: escape sequences in every header field, in a
/// Go-quoted directory, in an action name, a file path and an unknown field, and raw in lines
/// that are not gocachehash output. `side` changes the directory.
fn crafted_capture(side: &str) -> Vec<u8> {
    let q = |s: &str| go_quote(s);
    let mut text = String::from("# whymiss capture 1\n# whymiss-version: 0.1.0\n");
    text.push_str(&format!(
        "# label: {}\n",
        q(&format!("{side}{OSC_TITLE}{CLEAR}{BLINK}"))
    ));
    text.push_str(&format!("# host: {}\n", q(&format!("h{OSC_CLIPBOARD}"))));
    text.push_str(&format!("# time: {}\n", q("\u{9b}2J")));
    text.push_str("# go-version: go1.27.3\n");
    text.push_str(&format!("# go-binary: {}\n", q("/usr/bin/go\x07")));
    text.push_str(&format!(
        "# dir: {}\n",
        q(&format!("/src/{CLEAR}\u{202e}live"))
    ));
    text.push_str(&format!(
        "# args: build {} ./...\n",
        q(&format!("-ldflags={CLEAR}"))
    ));
    text.push_str("# exit-status: 1\n");
    text.push_str(&format!(
        "# go-env GOFLAGS: {}\n",
        q(&format!("{side}{OSC_CLIPBOARD}"))
    ));
    text.push_str(&format!(
        "# go-env GOAMD64: {}\n",
        q(&format!("v1\u{9b}31m{side}"))
    ));
    text.push_str(&format!(
        "# env-override GOAMD64: {}\n",
        q(&format!("v1\u{9b}31m{side}"))
    ));
    text.push_str(&format!(
        "# error: {}\n",
        q(&format!("{OSC_TITLE}compile {BLINK}failed{CLEAR}"))
    ));
    text.push_str("# --- log\n");
    text.push_str(&format!("{OSC_TITLE}# example.com/evil\n"));
    text.push_str(&format!(
        "{CLEAR} cleared {BLINK}blink\n\u{9b}31m c1 csi\nbidi \u{202e}txet\x7f\n"
    ));
    let name = format!("build example.com/evil{CLEAR}\u{2066}");
    let dir = format!("dir /src/{side}{OSC_TITLE}{BLINK}\u{202e}evil\n");
    text.push_str(&format!("HASH /src/{CLEAR}/evil.go: {}\n", "ab".repeat(32)));
    text.push_str(&block(
        &name,
        &[
            "go1.27.3",
            "compile\n",
            &dir,
            "goos linux goarch amd64\n",
            &format!("import \"example.com/evil{CLEAR}\"\n"),
            &format!("unknownfield {OSC_CLIPBOARD}\n"),
            "file evil.go nLgt5iWHXXPsyCxFuFB1\n",
        ],
    ));
    let mut bytes = text.into_bytes();
    let tiny = crate::support::corpus("logs/go1.27.3/tiny-build.log.gz");
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(tiny).unwrap()),
        &mut bytes,
    )
    .unwrap();
    bytes
}

/// Every byte a terminal would act on: C0 but newline, DEL, C1 (also as the byte 0x9b), and
/// the bidirectional controls. `colour`: SGR sequences are allowed (and nothing else).
fn unsafe_for_terminal(bytes: &[u8], colour: bool) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut bad = Vec::new();
    let mut rest: &str = &text;
    while let Some(c) = rest.chars().next() {
        if colour && rest.starts_with("\x1b[") {
            let body = &rest[2..];
            let n = body
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b';')
                .count();
            if body[n..].starts_with('m') {
                rest = &body[n + 1..];
                continue;
            }
        }
        let code = c as u32;
        if (code < 0x20 && c != '\n')
            || (0x7f..=0x9f).contains(&code)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
        {
            let at = text.len() - rest.len();
            let before: Vec<char> = text[..at].chars().rev().take(30).collect();
            let before: String = before.into_iter().rev().collect();
            bad.push(format!("{c:?} at {at}, after {before:?}"));
        }
        rest = &rest[c.len_utf8()..];
    }
    if bytes.contains(&0x9b) {
        bad.push("a 0x9b byte".into());
    }
    if text.contains(BLINK) {
        bad.push("the log's own SGR sequence".into());
    }
    bad
}

/// ESC/BEL/OSC sequences from a log or a capture header reached the terminal raw: a crafted
/// capture set the window title, cleared the screen and wrote the clipboard (OSC 52).
#[test]
fn nothing_from_a_crafted_capture_reaches_the_terminal_raw() {
    let scratch = tempfile::tempdir().unwrap();
    let a = scratch.path().join("a.capture");
    let b = scratch.path().join("b.capture");
    std::fs::write(&a, crafted_capture("A")).unwrap();
    std::fs::write(&b, crafted_capture("B")).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let evil = format!("build example.com/evil{CLEAR}\u{2066}");
    let missing = format!("{}/{OSC_TITLE}.log", scratch.path().display());
    let cut = scratch.path().join("cut.log");
    std::fs::write(&cut, format!("HASH[build a]: \"cut {OSC_CLIPBOARD}\n")).unwrap();
    let cut = cut.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["compare", a, b],
        vec!["compare", a, b, "--all"],
        vec!["compare", a, b, "--format", "json"],
        vec!["inspect", a],
        vec!["inspect", a, "--list", "--action", &evil],
        vec![
            "inspect", a, "--format", "json", "--list", "--action", &evil,
        ],
        vec!["explain", a],
        vec!["explain", a, &evil],
        vec!["explain", a, "--format", "json", &evil],
        // Errors that quote input: a similar action name, a path, a parse excerpt.
        vec!["inspect", a, "--action", "evil"],
        vec!["inspect", &missing],
        vec!["inspect", cut],
    ];
    for colour in ["never", "always"] {
        for args in &runs {
            let mut all = args.clone();
            all.extend(["--color", colour]);
            let run = crate::support::whymiss(&all);
            let code = run.output.status.code();
            assert!(matches!(code, Some(0..=2)), "{code:?} for {all:?}");
            for (what, bytes) in [
                ("stdout", &run.output.stdout),
                ("stderr", &run.output.stderr),
            ] {
                let bad = unsafe_for_terminal(bytes, colour == "always");
                assert!(
                    bad.is_empty(),
                    "whymiss {all:?}: raw terminal controls in {what}:\n{}",
                    bad.join("\n")
                );
            }
        }
    }
    // The escaped text is still there to read.
    crate::support::whymiss(["inspect", a, "--list"])
        .code(0)
        .stdout_has("example.com/evil\\x1b[2J\\x1b[H\\u{2066}")
        .stdout_has("line 1: \\x1b]0;pwned\\x07# example.com/evil");
    crate::support::whymiss(["compare", a, b])
        .stdout_has("A\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H")
        .stdout_has("\\u{202e}evil");
}
