//! Wrong answers (issue 9): comparisons that used to say "same" (or exit with a status the
//! report contradicts) on logs an adversary or an accident produces: a side without actions,
//! logs of different modules or commands, failed builds, corrupt blocks, a closed pipe. The
//! verdict is the exit status's, in every format.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use whymiss::go::logfile::LogFile;

use crate::support::{Run, corpus, validate, whymiss};

fn log(rel: &str) -> PathBuf {
    corpus(&format!("logs/{rel}"))
}

/// A corpus log, inflated.
fn bytes(rel: &str) -> Vec<u8> {
    LogFile::read(&log(rel)).expect("read corpus log").bytes
}

/// Writes `content` to `name` in `dir`.
fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn compare<P: AsRef<Path>>(a: P, b: P, extra: &[&str]) -> Run {
    let mut args = vec![
        "compare".to_string(),
        a.as_ref().to_string_lossy().into_owned(),
        b.as_ref().to_string_lossy().into_owned(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    whymiss(args)
}

/// The JSON report (validated), and the exit status, which must be the one it reports.
fn compare_json<P: AsRef<Path>>(a: P, b: P, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let run = compare(a, b, &args);
    let code = run.output.status.code().expect("exit code");
    let v = run.json();
    validate(&v);
    assert_eq!(
        v["gate"]["exit_code"], code,
        "gate.exit_code is the exit status"
    );
    (code, v)
}

fn doubt_kinds(v: &Value) -> Vec<&str> {
    v["doubts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect()
}

#[test]
fn a_side_with_no_actions_is_inconclusive_not_same() {
    // `head -c 17 lab.log > t.log`: one cut moduleIndex line.
    let dir = tempfile::tempdir().unwrap();
    let full = write(dir.path(), "lab.log", &bytes("go1.27.3/lab-build.log.gz"));
    let cut = write(
        dir.path(),
        "t.log",
        &bytes("go1.27.3/lab-build.log.gz")[..17],
    );
    let (code, v) = compare_json(&full, &cut, &[]);
    assert_eq!(code, 2);
    assert_eq!(v["verdict"], "inconclusive");
    assert_eq!(doubt_kinds(&v), ["truncated", "no-actions"]);
    assert_eq!(v["doubts"][0]["side"], "B");
    assert_eq!(v["doubts"][1]["side"], "B");
    compare(&full, &cut, &[])
        .code(2)
        .one_line_error()
        .stdout_has("inconclusive:")
        .stdout_has("t.log) holds no compile, link or vet key");
    // Logs holding only moduleIndex lines, on both sides.
    let module_index: Vec<u8> = String::from_utf8(bytes("go1.27.3/lab-build.log.gz"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("HASH[moduleIndex]"))
        .take(40)
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect();
    let mi = write(dir.path(), "mi.log", &module_index);
    let (code, v) = compare_json(&mi, &mi, &[]);
    assert_eq!((code, v["verdict"].as_str()), (2, Some("inconclusive")));
    assert_eq!(doubt_kinds(&v), ["no-actions", "no-actions"]);
    assert!(
        v["doubts"][0]["message"]
            .as_str()
            .unwrap()
            .contains("only HASH[moduleIndex] lines")
    );
}

#[test]
fn packages_built_on_one_side_only_are_unmatched_not_same() {
    // Two different modules: the standard library they share matches, their own packages do not.
    let (tiny, lab) = (
        log("go1.27.3/tiny-build.log.gz"),
        log("go1.27.3/lab-build.log.gz"),
    );
    let (code, v) = compare_json(&tiny, &lab, &[]);
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "unmatched");
    assert_eq!(v["summary"]["differ"], 0);
    assert_eq!(v["summary"]["only_a"], 3);
    assert_eq!(v["summary"]["only_b"], 40);
    compare(&tiny, &lab, &[]).code(1).stdout_has(
        "unmatched: the 53 actions built on both sides match, but 43 were built on one side only",
    );
    // --ignore never hides what has no category.
    let (code, _) = compare_json(&tiny, &lab, &["--ignore", "toolchain,absolute-path"]);
    assert_eq!(code, 1);
    // --fail-on names the only categories that fail, and says what it let pass.
    let (code, v) = compare_json(&tiny, &lab, &["--fail-on", "toolchain"]);
    assert_eq!(code, 0);
    assert!(
        v["gate"]["reason"]
            .as_str()
            .unwrap()
            .contains("actions built on one side only"),
        "{}",
        v["gate"]
    );
    // A log concatenated with another build's is not the same as that build alone.
    let tiny_bytes = bytes("go1.27.3/tiny-build.log.gz");
    let mut both = tiny_bytes.clone();
    both.extend(bytes("go1.27.3/lab-build.log.gz"));
    let dir = tempfile::tempdir().unwrap();
    let cat = write(dir.path(), "cat.log", &both);
    let (code, v) = compare_json(&cat, &lab, &[]);
    assert_eq!((code, v["verdict"].as_str()), (1, Some("unmatched")));
}

/// A capture of `base`'s log whose header records `exit-status: <status>`.
fn capture(dir: &Path, name: &str, base: &str, status: i32) -> PathBuf {
    let mut content = format!(
        "# whymiss capture 1\n# label: {name}\n# args: build ./...\n# exit-status: {status}\n\
         # error: ./broken.go:2:17: undefined: x\n# --- log\n"
    )
    .into_bytes();
    content.extend(bytes(base));
    write(dir, &format!("{name}.capture"), &content)
}

#[test]
fn a_failed_build_exits_2_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let ok = capture(dir.path(), "laptop", "go1.27.3/lab-build.log.gz", 0);
    let failed = capture(dir.path(), "ci", "go1.27.3/lab-trimpath.log.gz", 1);
    for extra in [
        &[][..],
        &["--ignore", "trimpath,absolute-path,vcs-stamp"][..],
        &["--fail-on", "toolchain"][..],
    ] {
        let (code, v) = compare_json(&ok, &failed, extra);
        assert_eq!(code, 2, "{extra:?}");
        assert_eq!(v["verdict"], "inconclusive");
        assert_eq!(doubt_kinds(&v), ["build-failed"]);
        assert_eq!(v["partial"], true);
        let text = {
            let mut args = extra.to_vec();
            args.push("--all");
            compare(&ok, &failed, &args).code(2).one_line_error()
        };
        let stdout = text.stdout();
        assert!(
            stdout.contains("side B (ci): go build failed (exit 1)"),
            "{stdout}"
        );
        assert!(
            stdout.contains("./broken.go:2:17: undefined: x"),
            "{stdout}"
        );
        assert!(!stdout.contains("exit status 0"), "{stdout}");
        assert!(!stdout.contains("exit status 1"), "{stdout}");
    }
}

#[test]
fn a_closed_pipe_keeps_the_verdicts_exit_status() {
    // `whymiss compare … --format json --all | head -1`: the reader goes away first.
    for (a, b, want) in [
        (
            "go1.27.3/lab-build.log.gz",
            "go1.27.3/lab-trimpath.log.gz",
            1,
        ),
        ("go1.27.3/lab-build.log.gz", "go1.27.3/lab-build.log.gz", 0),
        ("go1.27.3/tiny-build.log.gz", "go1.27.3/lab-build.log.gz", 1),
    ] {
        for format in ["json", "text"] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_whymiss"))
                .args(["compare", "--all", "--format", format])
                .args([log(a), log(b)])
                .env("NO_COLOR", "1")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            drop(child.stdout.take());
            let output = child.wait_with_output().unwrap();
            assert_eq!(
                output.status.code(),
                Some(want),
                "{a} {b} {format}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(
                output.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

#[test]
fn logs_of_different_commands_say_so() {
    // A `go test` log against a `go build` log of the same module.
    let (test, build) = (
        log("go1.27.3/lab-test.log.gz"),
        log("go1.27.3/lab-build.log.gz"),
    );
    let (code, v) = compare_json(&test, &build, &[]);
    assert_eq!(code, 2);
    assert_eq!(doubt_kinds(&v), ["different-commands"]);
    let message = v["doubts"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("looks like a `go test` log") && message.contains("`go build` log"),
        "{message}"
    );
    // The text says it first, and does not list the causes it explains as if they were the
    // user's to fix.
    let run = compare(&test, &build, &[]).code(2).one_line_error();
    let stdout = run.stdout();
    assert!(
        stdout.contains("the logs are of different go commands"),
        "{stdout}"
    );
    assert!(!stdout.contains("\nfix "), "{stdout}");
    // Captures say what they ran.
    let dir = tempfile::tempdir().unwrap();
    let vet = {
        let mut c = b"# whymiss capture 1\n# args: vet ./...\n# --- log\n".to_vec();
        c.extend(bytes("go1.27.3/lab-build.log.gz"));
        write(dir.path(), "vet.capture", &c)
    };
    let build_capture = capture(dir.path(), "build", "go1.27.3/lab-build.log.gz", 0);
    let (code, v) = compare_json(&vet, &build_capture, &[]);
    assert_eq!(code, 2);
    let message = v["doubts"][0]["message"].as_str().unwrap();
    assert!(message.contains("ran `go vet`"), "{message}");
}

#[test]
fn a_corrupt_result_line_is_not_a_field_order_cause() {
    // Change one hex digit of one compile's result line in B.
    let text = String::from_utf8(bytes("go1.27.3/tiny-build.log.gz")).unwrap();
    let line = text
        .lines()
        .position(|l| {
            l.starts_with("HASH[build example.com/tiny/greet]: ")
                && l.len() == "HASH[build example.com/tiny/greet]: ".len() + 64
        })
        .expect("the result line of build example.com/tiny/greet");
    let corrupt: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == line {
                let (head, hex) = l.split_at(l.len() - 64);
                let flipped = if hex.starts_with('0') { "1" } else { "0" };
                format!("{head}{flipped}{}\n", &hex[1..])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "corrupt.log", corrupt.as_bytes());
    let (code, v) = compare_json(log("go1.27.3/tiny-build.log.gz").as_path(), &b, &[]);
    assert_eq!(code, 2);
    assert_eq!(v["verdict"], "inconclusive");
    assert_eq!(doubt_kinds(&v), ["unproven"]);
    assert!(
        v["causes"].as_array().unwrap().is_empty(),
        "{}",
        v["causes"]
    );
    let fields: Vec<&str> = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["differences"].as_array().unwrap())
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert!(!fields.contains(&"field order"), "{fields:?}");
    assert_eq!(v["actions"][0]["status"], "unproven");
    let run = compare(log("go1.27.3/tiny-build.log.gz").as_path(), &b, &[]).code(2);
    assert!(!run.stdout().contains("field order"), "{}", run.stdout());
}

#[test]
fn summary_counts_actions_and_causes_under_their_own_names() {
    // The gcflags-scope pair: 55 root-cause actions, 1 cause.
    let pair = |side: &str| corpus(&format!("pairs/gcflags-scope/{side}.log.gz"));
    let (code, v) = compare_json(pair("a"), pair("b"), &[]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["root_cause"], 55);
    assert_eq!(v["summary"]["causes"], 1);
    assert_eq!(v["causes"].as_array().unwrap().len(), 1);
    compare(pair("a"), pair("b"), &[])
        .code(1)
        .stdout_has("(55 with an input of their own, 1 only through dependencies)")
        .stdout_has("\ncause\n");
}

#[test]
fn test_result_keys_that_name_nothing_in_the_log_are_inconclusive() {
    // Without `testcache:` lines and subkeys, the second-level result keys of a run that missed
    // (keyed on the linked binary's content ID) name no block of the log: whymiss cannot tell
    // whether those results would be reused, so it does not say "same".
    let stripped: Vec<u8> = bytes("go1.27.3/lab-test.log.gz")
        .split_inclusive(|&b| b == b'\n')
        .filter(|l| !l.starts_with(b"testcache:") && !l.starts_with(b"HASH subkey "))
        .flatten()
        .copied()
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "stripped.log", &stripped);
    let (code, v) = compare_json(&log, &log, &[]);
    assert_eq!(code, 2);
    assert_eq!(doubt_kinds(&v), ["tests-unattributed"]);
    // With the subkeys, every key is traced, and the log is the same as itself.
    let kept: Vec<u8> = bytes("go1.27.3/lab-test.log.gz")
        .split_inclusive(|&b| b == b'\n')
        .filter(|l| !l.starts_with(b"testcache:"))
        .flatten()
        .copied()
        .collect();
    let log = write(dir.path(), "kept.log", &kept);
    let (code, v) = compare_json(&log, &log, &[]);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("same")));
}

/// Issue 9, item 2: `head -n 3000` of a log compared with the whole log gave 8 false root
/// causes ("toolchain A (empty) B go1.27.3", "other compile A (absent)") and exit 1. A cut-off
/// log is now said in one line and is inconclusive (exit 2); with --allow-truncated the blocks
/// it ends inside are left out and the rest is compared: no cause, `unmatched` (the actions the
/// log never reached), never `same`.
#[test]
fn a_truncated_log_is_said_in_one_line_and_invents_no_cause() {
    let dir = tempfile::tempdir().unwrap();
    let text = bytes("go1.27.3/lab-test.log.gz");
    let full = write(dir.path(), "lab-test.log", &text);
    let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
    let head_n = write(dir.path(), "head-n.log", &lines[..3000].concat());
    // Cut inside a line: `head -c`, a CI log's size limit.
    let head_c = write(dir.path(), "head-c.log", &text[..200_001]);
    for cut in [&head_n, &head_c] {
        let (code, v) = compare_json(&full, cut, &[]);
        assert_eq!((code, v["verdict"].as_str()), (2, Some("inconclusive")));
        assert_eq!(doubt_kinds(&v), ["truncated"], "{:#}", v["doubts"]);
        assert_eq!(
            v["causes"].as_array().unwrap().len(),
            0,
            "{:#}",
            v["causes"]
        );
        let message = v["doubts"][0]["message"].as_str().unwrap();
        assert!(message.contains("is cut off: it ends at line"), "{message}");
        compare(&full, cut, &[])
            .code(2)
            .one_line_error()
            .stdout_has("is cut off: it ends at line");

        let (code, v) = compare_json(&full, cut, &["--allow-truncated"]);
        assert_eq!((code, v["verdict"].as_str()), (1, Some("unmatched")));
        assert_eq!(
            v["causes"].as_array().unwrap().len(),
            0,
            "{:#}",
            v["causes"]
        );
        assert_eq!(v["summary"]["differ"], 0);
        assert!(v["summary"]["only_a"].as_u64().unwrap() > 0);
        assert!(
            v["notes"][0].as_str().unwrap().contains("is cut off"),
            "{:#}",
            v["notes"]
        );
    }
    let (_, v) = compare_json(&full, &head_c, &[]);
    assert!(
        v["doubts"][0]["message"]
            .as_str()
            .unwrap()
            .contains("in the middle of a line"),
        "{:#}",
        v["doubts"]
    );
    // Both cut at the same line: what both hold matches, and only with --allow-truncated.
    let (code, v) = compare_json(&head_n, &head_n, &[]);
    assert_eq!((code, doubt_kinds(&v)), (2, vec!["truncated", "truncated"]));
    let (code, v) = compare_json(&head_n, &head_n, &["--allow-truncated"]);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("same")));
}
