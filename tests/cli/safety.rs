//! Input handling and safety (issue 9): package defaults, what counts as a log, workspaces,
//! coloured logs, where a capture is written, escaping of text from input, bounded reading, and
//! cleaning up after signals. Each test is named after the bug it pins.

use std::path::Path;

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
