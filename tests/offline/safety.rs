//! Input handling and safety without a Go toolchain (issue 9): what counts as a log, escaping of
//! text from input, bounded reading. Each test is named after the bug it pins. The parts that
//! run go are in `tests/live/safety.rs`.

use std::path::Path;

use crate::support::synth::{block, go_quote};

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
    // `%0A` is a newline to the GitHub runner: it must not start a workflow command.
    let dir = format!("dir /src/{side}{OSC_TITLE}{BLINK}\u{202e}evil%0A::error::pwned\n");
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
        vec!["compare", a, b, "--format", "github"],
        vec!["compare", a, b, "--format", "markdown"],
        vec!["compare", a, b, "--format", "html"],
        vec!["inspect", a],
        vec!["inspect", a, "--list", "--action", &evil],
        vec![
            "inspect", a, "--format", "json", "--list", "--action", &evil,
        ],
        vec!["explain", a],
        vec!["explain", a, &evil],
        vec!["explain", a, "--format", "json", &evil],
        vec!["explain", a, "--format", "html", &evil],
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

/// A crafted capture cannot start a workflow command of its own in `--format github` (a value
/// holding a newline and `::set-output`), nor break the JUnit document or the markdown table.
#[test]
fn a_crafted_capture_cannot_inject_workflow_commands_or_break_junit() {
    let scratch = tempfile::tempdir().unwrap();
    let a = scratch.path().join("a.capture");
    let b = scratch.path().join("b.capture");
    std::fs::write(&a, crafted_capture("A")).unwrap();
    std::fs::write(&b, crafted_capture("B")).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let junit = scratch.path().join("j.xml");
    let run = crate::support::whymiss([
        "compare",
        a,
        b,
        "--format",
        "github",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    // The captures record a failed build: a partial comparison, trouble in every format.
    assert_eq!(run.output.status.code(), Some(2), "{}", run.stderr());
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    let (last, commands) = lines.split_last().unwrap();
    assert!(!commands.is_empty());
    for line in commands {
        assert!(
            line.starts_with("::error title=") || line.starts_with("::warning title="),
            "{line}"
        );
    }
    // The runner reads `%0A` in a message as a newline: whymiss writes `%` as `%25`.
    assert!(out.contains("evil%250A::error::pwned"), "{out}");
    assert!(!out.contains("evil%0A"), "{out}");
    assert!(
        last.starts_with("whymiss compare: partial comparison") && last.ends_with("exit status 2"),
        "{last}"
    );
    assert!(out.contains("::error title=whymiss compare%3A side A's build failed::"));
    let cases = crate::ci::junit_cases(&std::fs::read_to_string(&junit).unwrap());
    assert_eq!(cases.len(), commands.len());
}
