//! The README's examples, run as written, so that a broken one fails CI.
//!
//! * Every line of every ` ```sh ` block in the README's `## Usage` section (subsections
//!   included) is a command, run in order with `bash -c` in one scratch copy of
//!   `corpus/modules/tiny`, as the README tells a reader to do after its set-up command:
//!   `whymiss` is the binary under test, found on `PATH`; no `go` is on `PATH` (whymiss finds
//!   the toolchains `scripts/install-go.sh` installed by version, or the newest of them), except
//!   for a line that runs `go` itself (a build you capture by hand), which gets the newest test
//!   toolchain as `go`. Blank lines and `#` comments are skipped; a `name$ ` prompt (`ci$ `,
//!   `laptop$ `: another machine) is removed; a line ending in `\` continues on the next. A
//!   command that needs a file makes it in an earlier line of the section (a capture, a log).
//!   A block fenced as ` ```sh no-run ` is not run.
//! * A command passes when it exits 0 or 1 (keys same or different: both are answers) and
//!   writes no error (`whymiss: …`, clap's `error: …`) to standard error.
//! * Every ` ```console ` block whose command is `$ whymiss …` is run from the repository root;
//!   its output must have the shape the README shows (the same unindented lines, numbers and
//!   paths aside), and the exit status shown by a following `$ echo $?` must be the real one.
//!
//! The scratch module and the user's cache (warm from the demo tests, which build the same
//! standard-library variants) keep this to a few seconds of builds.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::repo;
use crate::support::toolchains::test_toolchain;

/// One command of a ` ```sh ` block.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Example {
    /// The 1-based README line it starts on.
    line: usize,
    command: String,
}

/// A ` ```console ` block: the command after `$ `, what the README shows it printing, and the
/// exit status it shows (`$ echo $?`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Console {
    line: usize,
    command: String,
    output: Vec<String>,
    exit: Option<i32>,
}

/// The lines of `readme`'s `## Usage` section (to the next `## ` heading), numbered.
fn usage_section(readme: &str) -> Vec<(usize, &str)> {
    let mut inside = false;
    let mut out = Vec::new();
    for (i, line) in readme.lines().enumerate() {
        if line.starts_with("## ") {
            inside = line.trim() == "## Usage";
            continue;
        }
        if inside {
            out.push((i + 1, line));
        }
    }
    out
}

/// The fenced blocks among `lines` whose info string is `info`, each as its numbered lines.
fn blocks<'r>(lines: &[(usize, &'r str)], info: &str) -> Vec<Vec<(usize, &'r str)>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<(usize, &str)>> = None;
    let mut in_other = false;
    for &(n, line) in lines {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut current, fence) {
            (Some(block), Some(_)) => {
                out.push(std::mem::take(block));
                current = None;
            }
            (Some(block), None) => block.push((n, line)),
            (None, Some(rest)) if !in_other && rest.trim() == info => current = Some(Vec::new()),
            (None, Some(_)) => in_other = !in_other,
            (None, None) => {}
        }
    }
    out
}

/// The runnable commands of the README's usage section.
fn usage_examples(readme: &str) -> Vec<Example> {
    let mut out = Vec::new();
    for block in blocks(&usage_section(readme), "sh") {
        let mut pending: Option<Example> = None;
        for (n, raw) in block {
            let text = raw.trim();
            if let Some(mut e) = pending.take() {
                e.command.push(' ');
                e.command.push_str(text.trim_end_matches('\\').trim());
                if text.ends_with('\\') {
                    pending = Some(e);
                } else {
                    out.push(e);
                }
                continue;
            }
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let command = strip_prompt(text);
            let e = Example {
                line: n,
                command: command.trim_end_matches('\\').trim().to_string(),
            };
            if command.ends_with('\\') {
                pending = Some(e);
            } else {
                out.push(e);
            }
        }
        assert!(pending.is_none(), "a block ends in a continued line");
    }
    out
}

/// `ci$ whymiss …` → `whymiss …`: a prompt naming the machine.
fn strip_prompt(line: &str) -> &str {
    match line.split_once("$ ") {
        Some((name, rest))
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            rest.trim_start()
        }
        _ => line,
    }
}

/// The README's ` ```console ` blocks that run whymiss.
fn console_examples(readme: &str) -> Vec<Console> {
    let numbered: Vec<(usize, &str)> = readme
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .collect();
    let mut out = Vec::new();
    for block in blocks(&numbered, "console") {
        let mut current: Option<Console> = None;
        let mut awaiting_status = false;
        for (n, line) in block {
            if let Some(command) = line.strip_prefix("$ ") {
                if command.trim() == "echo $?" {
                    awaiting_status = true;
                    continue;
                }
                out.extend(current.take());
                current = command.starts_with("whymiss").then(|| Console {
                    line: n,
                    command: command.to_string(),
                    output: Vec::new(),
                    exit: None,
                });
            } else if awaiting_status {
                awaiting_status = false;
                if let Some(c) = current.as_mut() {
                    c.exit = line.trim().parse().ok();
                }
            } else if let Some(c) = current.as_mut() {
                c.output.push(line.to_string());
            }
        }
        out.extend(current.take());
    }
    out
}

/// The shape of a report: its unindented lines, each reduced to its first two words with digits
/// masked (`keys differ:`, `N root`, `knock-on: N`, `notes`), so paths, counts and hashes may
/// differ between the README and a real run.
fn shape(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !l.is_empty() && !l.starts_with(' '))
        .map(|l| {
            l.split_whitespace()
                .take(2)
                .map(|w| {
                    if w.chars().any(|c| c.is_ascii_digit()) {
                        "N"
                    } else {
                        w
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Where and how examples run: a directory, `PATH` with whymiss and without go, and a folder
/// holding `go` for lines that run go themselves.
struct Machine {
    _scratch: tempfile::TempDir,
    dir: PathBuf,
    path_without_go: OsString,
    go_bin: PathBuf,
}

impl Machine {
    /// A scratch copy of `corpus/modules/<module>`.
    fn new(module: &str) -> Machine {
        let scratch = tempfile::Builder::new()
            .prefix("whymiss-readme-")
            .tempdir()
            .unwrap();
        let dir = scratch.path().join(module);
        whymiss::go::workspace::copy_tree(&repo().join("corpus/modules").join(module), &dir)
            .unwrap();
        let bin = scratch.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_whymiss"), bin.join("whymiss")).unwrap();
        let go_bin = scratch.path().join("go-bin");
        std::fs::create_dir(&go_bin).unwrap();
        std::os::unix::fs::symlink(test_toolchain("1.27.3"), go_bin.join("go")).unwrap();
        // The user's PATH minus any directory with a go in it: "without a system go".
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![bin];
        dirs.extend(std::env::split_paths(&inherited).filter(|d| !d.join("go").exists()));
        Machine {
            _scratch: scratch,
            dir,
            path_without_go: std::env::join_paths(dirs).unwrap(),
            go_bin,
        }
    }

    /// Runs `command` with `bash -c` in `cwd`.
    fn run(&self, command: &str, cwd: &Path) -> Output {
        let mut path = self.path_without_go.clone();
        if runs_go_itself(command) {
            let mut dirs = vec![self.go_bin.clone()];
            dirs.extend(std::env::split_paths(&path));
            path = std::env::join_paths(dirs).unwrap();
        }
        let mut cmd = Command::new("bash");
        cmd.arg("-c").arg(command).current_dir(cwd);
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            let keep = ["GOCACHE", "GOMODCACHE", "GOPATH"];
            if (name.starts_with("GO") && !keep.contains(&&*name))
                || name.starts_with("CGO_")
                || matches!(&*name, "CC" | "CXX" | "GREET_MODE")
            {
                cmd.env_remove(&*name);
            }
        }
        cmd.env("PATH", path)
            .env("GOENV", "off")
            .env("GOPROXY", "off")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run bash")
    }
}

/// Whether a command line runs go itself: `go …` after any `NAME=value` assignments.
fn runs_go_itself(command: &str) -> bool {
    command.split_whitespace().find(|w| !is_assignment(w)) == Some("go")
}

/// `NAME=value` before a command.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Why a finished example is broken, if it is.
fn broken(output: &Output) -> Option<String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    let error = stderr
        .lines()
        .find(|l| l.starts_with("whymiss: ") || l.starts_with("error: "));
    if !matches!(code, Some(0 | 1)) {
        Some(format!("exit status {code:?}; stderr:\n{stderr}"))
    } else {
        error.map(|e| format!("an error on stderr: {e}\n{stderr}"))
    }
}

/// Runs every usage example of `readme` on a fresh machine; the broken ones, described.
fn run_usage_examples(readme: &str) -> Vec<String> {
    let machine = Machine::new("tiny");
    let mut failures = Vec::new();
    for e in usage_examples(readme) {
        let started = std::time::Instant::now();
        let output = machine.run(&e.command, &machine.dir);
        eprintln!(
            "README:{} {} ({:.1}s, exit {:?})",
            e.line,
            e.command,
            started.elapsed().as_secs_f64(),
            output.status.code()
        );
        if let Some(why) = broken(&output) {
            failures.push(format!("README.md:{}: `{}`: {why}", e.line, e.command));
        }
    }
    failures
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

/// Issue 11: the README's usage examples must run as written after its set-up command.
#[test]
fn the_readme_usage_examples_run_as_written() {
    let readme = readme();
    let examples = usage_examples(&readme);
    assert!(examples.len() >= 10, "{examples:#?}");
    assert!(
        examples.iter().all(|e| !e.command.contains("$ ")),
        "a prompt was left in: {examples:#?}"
    );
    let failures = run_usage_examples(&readme);
    assert!(
        failures.is_empty(),
        "broken README examples:\n{}",
        failures.join("\n\n")
    );
}

/// Issue 11: the README's first command exits 1 by design; the README says so and shows what
/// the output holds (the sides, the verdict, the settings that differ, the causes, the notes).
#[test]
fn the_readme_console_examples_show_what_whymiss_prints() {
    let consoles = console_examples(&readme());
    assert!(!consoles.is_empty());
    let machine = Machine::new("tiny");
    for c in consoles {
        let output = machine.run(&c.command, &repo());
        let stdout = String::from_utf8_lossy(&output.stdout);
        let real: Vec<String> = stdout.lines().map(str::to_string).collect();
        assert_eq!(
            shape(&c.output),
            shape(&real),
            "README.md:{}: `{}` prints another report than the README shows:\n{stdout}",
            c.line,
            c.command
        );
        let status = c
            .exit
            .unwrap_or_else(|| panic!("README.md:{}: no `$ echo $?` after it", c.line));
        assert_eq!(output.status.code(), Some(status), "README.md:{}", c.line);
    }
}

/// The runner itself: it finds the commands the README shows, and a broken one fails it.
#[test]
fn a_broken_example_fails_the_runner() {
    let readme = "\
# x

## Usage

```sh
whymiss --version              # fine
ci$ whymiss --no-such-option
whymiss compare nothing.log \\
  nothing-either.log
```

```sh no-run
whymiss --never-run
```

```text
whymiss --not-a-command-block
```

## Next

```sh
whymiss --not-in-usage
```
";
    let examples = usage_examples(readme);
    let commands: Vec<&str> = examples.iter().map(|e| e.command.as_str()).collect();
    assert_eq!(
        commands,
        [
            "whymiss --version              # fine",
            "whymiss --no-such-option",
            "whymiss compare nothing.log nothing-either.log"
        ]
    );
    assert_eq!(
        examples.iter().map(|e| e.line).collect::<Vec<_>>(),
        [6, 7, 8]
    );
    let failures = run_usage_examples(readme);
    assert_eq!(failures.len(), 2, "{failures:#?}");
    assert!(
        failures[0].starts_with("README.md:7: `whymiss --no-such-option`: exit status Some(2)")
    );
    assert!(failures[1].contains("nothing.log"), "{}", failures[1]);
    assert!(runs_go_itself(
        "GODEBUG=gocachehash=1 go build ./... 2> x.log"
    ));
    assert!(!runs_go_itself("whymiss diff --b-env GOAMD64=v3"));
}

#[test]
fn a_console_block_is_a_command_its_output_and_its_status() {
    let readme = "\
```console
$ whymiss -C x
A  here: go build
keys differ: 3 of 9

notes
  - n
$ echo $?
1
```
";
    let c = console_examples(readme);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].command, "whymiss -C x");
    assert_eq!(c[0].exit, Some(1));
    assert_eq!(shape(&c[0].output), ["A here:", "keys differ:", "notes"]);
}
