//! Running the builds: both sides of a comparison at the same time (or one side, for a capture),
//! each go command's stderr streamed into memory as the log.
//!
//! Per side, on its own thread: make the temporary directories (a cold `GOCACHE`, go's work
//! directory), describe the side with `go env`, copy the module when the side is relocated,
//! decide whether `go build` needs `-o /dev/null`, then run go and read its stderr as it
//! arrives (counting actions for the progress lines). The main thread draws progress, watches
//! for signals, and stops the other side when one side cannot even start. Another thread removes
//! the temporary directories of earlier runs that were killed ([`super::workspace::sweep_stale`]).
//!
//! A build or test that fails is not an error here: the side comes back with `success = false`,
//! its exit status and the last lines go printed, and the caller compares what was hashed.

use std::io::Read as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

use rustix::process::Signal;

use crate::error::Error;
use crate::model::{Mode, SideInfo};

use super::dry_cache::DryCache;
use super::invocation::{GoInvocation, Subcommand};
use super::progress::{Phase, Progress, ProgressMode, SideProgress, TICK, count_actions};
use super::side::{SideSpec, describe_side};
use super::signals::{self, Session};
use super::workspace::{TempTree, Workspace};

/// How many lines of a failed build's output are kept in [`SideInfo::error_tail`].
pub(crate) const ERROR_TAIL_LINES: usize = 15;

/// How much of go's standard output is kept (test results); the rest is discarded as it comes.
const STDOUT_TAIL_BYTES: usize = 64 * 1024;

/// What every side of a run shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Packages and flags given after `--`; no package (only flags, or nothing) means
    /// [`DEFAULT_PACKAGES`]. Each side's own flags go after the shared flags and before the
    /// first package.
    pub shared_args: Vec<String>,
    /// `go test` instead of `go build`.
    pub test: bool,
    /// Give each side its own empty `GOCACHE` (removed afterwards), so everything is rebuilt.
    pub cold: bool,
    /// Whether to draw progress lines.
    pub progress: ProgressMode,
    /// A dry run (`go build -n`: keys without compiling) or a real build. `go test` always
    /// builds for real: test results need the tests to run (see [`RunOptions::mode`]).
    pub mode: Mode,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            shared_args: vec!["./...".into()],
            test: false,
            cold: false,
            progress: ProgressMode::Auto,
            mode: Mode::Exact,
        }
    }
}

impl RunOptions {
    /// The mode the sides run in: [`Mode::Exact`] for `go test`, whose `-n` leaves out the
    /// vet facts and the test main's source (`(*Builder).vet` hashes `vetout` only for
    /// dependencies that were built), and runs no test.
    pub fn mode(&self) -> Mode {
        if self.test { Mode::Exact } else { self.mode }
    }
}

/// A comparison to run: two sides and what they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSpec {
    pub a: SideSpec,
    pub b: SideSpec,
    pub options: RunOptions,
}

/// One side after its go command finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideRun {
    /// How the side was produced, with `args`, `exit_status` and (on failure) `error_tail`.
    pub info: SideInfo,
    /// go's stderr, byte for byte: the gocachehash log.
    pub stderr: Vec<u8>,
    /// go exited with status 0.
    pub success: bool,
    /// From the start of the side's preparation to go's exit.
    pub elapsed: Duration,
}

/// Runs both sides at the same time. A side whose build fails still comes back (`success =
/// false`); errors are for sides that cannot run at all (go missing, not a module, spawn
/// failure) and for interruption ([`Error::Interrupted`], after both go process trees were
/// stopped and every temporary directory removed).
pub fn run_sides(spec: &RunSpec) -> Result<(SideRun, SideRun), Error> {
    let mut runs = run_all(&[&spec.a, &spec.b], &spec.options)?;
    let b = runs.pop().expect("two sides");
    let a = runs.pop().expect("two sides");
    Ok((a, b))
}

/// Runs one side (for `whymiss capture`), with the same guarantees as [`run_sides`].
pub fn run_side(side: &SideSpec, options: &RunOptions) -> Result<SideRun, Error> {
    let mut runs = run_all(&[side], options)?;
    Ok(runs.pop().expect("one side"))
}

/// What the main thread and a side's thread share.
struct SideSlot<'a> {
    progress: SideProgress,
    /// The running go command's process group, 0 when none.
    group: AtomicI32,
    /// The side returned an error (not: go failed).
    errored: AtomicBool,
    cancel: &'a AtomicBool,
}

fn run_all(sides: &[&SideSpec], options: &RunOptions) -> Result<Vec<SideRun>, Error> {
    signals::install().map_err(|source| Error::SideIo {
        side: sides[0].label.clone(),
        context: "cannot watch for Ctrl-C".into(),
        source,
    })?;
    let _session = Session::begin();
    let cancel = AtomicBool::new(false);
    let slots: Vec<SideSlot<'_>> = sides
        .iter()
        .map(|side| SideSlot {
            progress: SideProgress::new(&side.label),
            group: AtomicI32::new(0),
            errored: AtomicBool::new(false),
            cancel: &cancel,
        })
        .collect();
    let mut first_error: Option<usize> = None;

    // Each side says when it is done, so the loop below wakes at once instead of on its
    // next progress tick.
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let results: Vec<Result<SideRun, Error>> = std::thread::scope(|scope| {
        // What earlier runs killed by SIGKILL left behind (a relocated copy can be GBs): removed
        // while the builds run; the scope waits for it.
        scope.spawn(|| super::workspace::sweep_stale(&std::env::temp_dir()));
        let handles: Vec<_> = sides
            .iter()
            .zip(&slots)
            .map(|(side, slot)| {
                let done = done_tx.clone();
                scope.spawn(move || {
                    let result = run_one(side, options, slot);
                    match &result {
                        Ok(run) => slot.progress.set_phase(if run.success {
                            Phase::Done
                        } else {
                            Phase::Failed
                        }),
                        Err(_) => {
                            slot.errored.store(true, Ordering::SeqCst);
                            slot.progress.set_phase(Phase::Failed);
                        }
                    }
                    let _ = done.send(());
                    result
                })
            })
            .collect();

        let mut progress = Progress::start(options.progress);
        loop {
            if signals::interrupted().is_some() {
                // The handler stops the go commands; make sure no new one starts.
                cancel.store(true, Ordering::SeqCst);
            }
            if first_error.is_none()
                && let Some(i) = slots.iter().position(|s| s.errored.load(Ordering::SeqCst))
            {
                first_error = Some(i);
                cancel.store(true, Ordering::SeqCst);
                let groups: Vec<i32> = slots
                    .iter()
                    .map(|s| s.group.load(Ordering::SeqCst))
                    .filter(|&g| g > 0)
                    .collect();
                signals::terminate_groups(&groups, Signal::INT, signals::GRACE);
            }
            if handles.iter().all(|h| h.is_finished()) {
                break;
            }
            if let Some(p) = &mut progress {
                let lines: Vec<&SideProgress> = slots.iter().map(|s| &s.progress).collect();
                p.draw(&lines);
            }
            let _ = done_rx.recv_timeout(TICK);
        }
        drop(progress);
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });

    if let Some(signal) = signals::interrupted() {
        return Err(Error::Interrupted { signal });
    }
    let mut runs = Vec::with_capacity(results.len());
    let mut errors: Vec<Error> = Vec::new();
    for (i, result) in results.into_iter().enumerate() {
        match result {
            Ok(run) => runs.push(run),
            // The side that failed first is the cause; the others were stopped because of it.
            Err(e) if Some(i) == first_error => errors.insert(0, e),
            Err(e) => errors.push(e),
        }
    }
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(runs),
    }
}

fn run_one(side: &SideSpec, options: &RunOptions, slot: &SideSlot<'_>) -> Result<SideRun, Error> {
    let started = Instant::now();
    let label = &side.label;
    let io = |context: String| {
        move |source| match signals::interrupted() {
            Some(signal) => Error::Interrupted { signal },
            None => Error::SideIo {
                side: label.clone(),
                context,
                source,
            },
        }
    };
    // Temporary directories live until this function returns.
    let mode = options.mode();
    let mut env = side.env.clone();
    // A dry run never touches the user's cache (and so reports it as it is, in `go env`).
    let dry_cache = match mode {
        Mode::Dry => {
            Some(DryCache::open().map_err(io("cannot create a GOCACHE for the dry run".into()))?)
        }
        Mode::Exact => None,
    };
    let _cache = if options.cold && mode == Mode::Exact {
        let cache = TempTree::new("whymiss-gocache-")
            .map_err(io("cannot create a temporary GOCACHE".into()))?;
        env.push(("GOCACHE".into(), cache.path().display().to_string()));
        Some(cache)
    } else {
        None
    };
    // go's $WORK goes inside a directory whymiss removes, even if go is killed.
    let user_gotmpdir = env.iter().any(|(k, _)| k == "GOTMPDIR")
        || std::env::var_os("GOTMPDIR").is_some_and(|v| !v.is_empty());
    let work = if user_gotmpdir {
        None
    } else {
        Some(TempTree::new("whymiss-work-").map_err(io("cannot create a work directory".into()))?)
    };

    let described = describe_side(&SideSpec {
        env: env.clone(),
        ..side.clone()
    })?;
    let mut info = described.info;
    // A dry run writes nothing into the tree: a link at another path is as good as a copy,
    // and costs nothing however large the module.
    let workspace = match (side.relocate, mode) {
        (false, _) => None,
        (true, Mode::Dry) => Some(Workspace::link(&described.module_root).map_err(io(format!(
            "cannot link {} for relocation",
            described.module_root.display()
        )))?),
        (true, Mode::Exact) => Some(Workspace::relocate(&described.module_root).map_err(io(
            format!(
                "cannot copy {} for relocation",
                described.module_root.display()
            ),
        ))?),
    };
    let run_dir = match &workspace {
        Some(ws) => ws.map(&side.dir),
        None => std::path::absolute(&side.dir).unwrap_or_else(|_| side.dir.clone()),
    };
    info.dir = Some(run_dir.display().to_string());

    let args = go_args(side, options, mode, work.as_ref().map(TempTree::path));
    let subcommand = if options.test {
        Subcommand::Test
    } else {
        Subcommand::Build
    };
    let mut invocation = GoInvocation::new(&described.go, subcommand)
        .dir(&run_dir)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .args(&args);
    // Not under go test: since Go 1.26 t.TempDir reads GOTMPDIR, so a directory of whymiss's
    // own, random per side, would be an input of every test that makes a temporary directory
    // (src/testing/testing.go, `(*common).makeTempDir`) and split their cached results.
    if let Some(work) = work.as_ref().filter(|_| !options.test) {
        invocation = invocation.env("GOTMPDIR", work.path());
    }
    if let Some(cache) = &dry_cache {
        // GOCACHEPROG (1.24+) would replace GOCACHE: no cache program is asked either.
        invocation = invocation
            .env("GOCACHE", cache.path())
            .env("GOCACHEPROG", "");
    }
    info.args = invocation.argv();
    info.mode = Some(mode);

    slot.progress.set_phase(Phase::Running);
    let finished = stream(&invocation, slot, label, mode)?;
    let success = finished.status == 0;
    info.exit_status = Some(finished.status);
    if !success {
        let printed = finished.other.as_deref().unwrap_or(&finished.stderr);
        info.error_tail = error_tail(printed, &finished.stdout_tail);
    }
    Ok(SideRun {
        info,
        stderr: finished.stderr,
        success,
        elapsed: started.elapsed(),
    })
}

struct Finished {
    /// The log: go's stderr, or (dry) its gocachehash lines.
    stderr: Vec<u8>,
    /// A dry run's last lines that were left out of the log (for the error tail).
    other: Option<Vec<u8>>,
    stdout_tail: Vec<u8>,
    status: i32,
}

/// How many of the lines a dry run leaves out of its log are kept for the error tail.
const DRY_KEPT_LINES: usize = 4 * ERROR_TAIL_LINES;

/// Starts go with its stderr and stdout on separate pipes, reads stderr to the end (counting
/// actions as they arrive), keeps the end of stdout, and waits.
///
/// A dry run prints its shell script on stderr, interleaved with the gocachehash lines (both go
/// to `os.Stderr`: `cmd/go/internal/load/printer.go, DefaultPrinter` on 1.24+, the builder's
/// printer before), a third or more of the bytes; only lines starting with `HASH` are kept. A
/// script line could start with `HASH` only as a heredoc line of a file named so, which would
/// then fail its block's SHA-256 rather than be taken silently.
fn stream(
    invocation: &GoInvocation,
    slot: &SideSlot<'_>,
    label: &str,
    mode: Mode,
) -> Result<Finished, Error> {
    let interrupted_or = |e: Error| match signals::interrupted() {
        Some(signal) => Error::Interrupted { signal },
        None => e,
    };
    let spawn_error = |source| {
        interrupted_or(Error::Spawn {
            side: label.to_owned(),
            program: invocation.program().to_owned(),
            source,
        })
    };
    let (mut err_reader, err_writer) = os_pipe::pipe().map_err(spawn_error)?;
    let (out_reader, out_writer) = os_pipe::pipe().map_err(spawn_error)?;
    let expression = invocation
        .expression()
        .stderr_file(err_writer)
        .stdout_file(out_writer);
    let started = signals::start_registered(&expression, slot.cancel).map_err(spawn_error)?;
    // The expression holds the pipes' write ends; only the child may keep them open.
    drop(expression);
    let Some((handle, group)) = started else {
        return Err(Error::Interrupted {
            signal: signals::interrupted().unwrap_or(rustix::process::Signal::INT.as_raw()),
        });
    };
    slot.group.store(group, Ordering::SeqCst);

    let stdout_thread = std::thread::spawn(move || keep_tail(out_reader, STDOUT_TAIL_BYTES));
    let mut stderr = Vec::new();
    let mut filter = (mode == Mode::Dry).then(HashLines::default);
    let mut counted = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match err_reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                match &mut filter {
                    Some(f) => f.push(&buf[..n], &mut stderr),
                    None => stderr.extend_from_slice(&buf[..n]),
                }
                if let Some(nl) = memchr::memrchr(b'\n', &stderr[counted..]) {
                    let end = counted + nl + 1;
                    slot.progress
                        .add_actions(count_actions(&stderr[counted..end]));
                    counted = end;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // Closing our end makes go fail on its next write; then wait as usual.
            Err(_) => break,
        }
    }
    drop(err_reader);
    let other = filter.map(|f| f.finish(&mut stderr));
    let waited = handle.wait().map(|output| output.status);
    slot.group.store(0, Ordering::SeqCst);
    signals::unregister_group(group);
    let status = waited.map_err(spawn_error)?;
    let stdout_tail = stdout_thread.join().unwrap_or_default();
    Ok(Finished {
        stderr,
        other,
        stdout_tail,
        status: exit_status(status),
    })
}

/// Splits a dry run's stderr into lines as it arrives: lines starting with `HASH` go to the
/// log, the last [`DRY_KEPT_LINES`] others are kept for the error tail.
#[derive(Debug, Default)]
struct HashLines {
    /// The start of a line whose end has not arrived yet.
    partial: Vec<u8>,
    others: std::collections::VecDeque<Vec<u8>>,
}

impl HashLines {
    fn push(&mut self, mut bytes: &[u8], log: &mut Vec<u8>) {
        while let Some(nl) = memchr::memchr(b'\n', bytes) {
            let (line, rest) = bytes.split_at(nl + 1);
            bytes = rest;
            if self.partial.is_empty() {
                self.take(line, log);
            } else {
                let mut whole = std::mem::take(&mut self.partial);
                whole.extend_from_slice(line);
                self.take(&whole, log);
            }
        }
        self.partial.extend_from_slice(bytes);
    }

    fn take(&mut self, line: &[u8], log: &mut Vec<u8>) {
        if line.starts_with(b"HASH") {
            log.extend_from_slice(line);
        } else {
            if self.others.len() == DRY_KEPT_LINES {
                self.others.pop_front();
            }
            self.others.push_back(line.to_vec());
        }
    }

    /// Takes the last line (without a newline) and returns the kept other lines.
    fn finish(mut self, log: &mut Vec<u8>) -> Vec<u8> {
        let last = std::mem::take(&mut self.partial);
        if !last.is_empty() {
            self.take(&last, log);
        }
        self.others.into_iter().flatten().collect()
    }
}

/// The exit code, or 128 + signal for a go killed by a signal.
fn exit_status(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(-1)
}

/// Reads `reader` to the end, keeping at most the last `max` bytes.
fn keep_tail(mut reader: impl std::io::Read, max: usize) -> Vec<u8> {
    let mut tail = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                tail.extend_from_slice(&buf[..n]);
                if tail.len() > 2 * max {
                    tail.drain(..tail.len() - max);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    if tail.len() > max {
        tail.drain(..tail.len() - max);
    }
    tail
}

/// What a failed build printed, at most [`ERROR_TAIL_LINES`] lines of stderr that are not
/// gocachehash output: all of them when few, else the start of the last `# package` block (where
/// the first error is; a bad compiler flag is followed by the whole usage text), else the last
/// lines. For a failed `go test` whose stderr holds nothing else, the end of stdout (where test
/// failures go).
pub(crate) fn error_tail(stderr: &[u8], stdout: &[u8]) -> Vec<String> {
    let pick = |bytes: &[u8]| -> Vec<String> {
        let text = String::from_utf8_lossy(bytes);
        let lines: Vec<&str> = text
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| !l.trim().is_empty())
            .filter(|l| !l.starts_with("HASH") && !l.starts_with("testcache: "))
            .collect();
        let start = match lines.iter().rposition(|l| l.starts_with("# ")) {
            Some(block) if lines.len() > ERROR_TAIL_LINES => block,
            _ => lines.len().saturating_sub(ERROR_TAIL_LINES),
        };
        lines[start..]
            .iter()
            .take(ERROR_TAIL_LINES)
            .map(|l| (*l).to_owned())
            .collect()
    };
    let from_stderr = pick(stderr);
    if from_stderr.is_empty() {
        pick(stdout)
    } else {
        from_stderr
    }
}

/// go's flags that take a value as the next argument (`-o file`, `-tags x`); other flags are
/// booleans or written `-flag=value`. Covers `go build` and `go test`.
const VALUE_FLAGS: &[&str] = &[
    "C",
    "o",
    "p",
    "asmflags",
    "buildmode",
    "compiler",
    "gccgoflags",
    "gcflags",
    "installsuffix",
    "ldflags",
    "mod",
    "modfile",
    "overlay",
    "pgo",
    "pkgdir",
    "tags",
    "toolexec",
    "covermode",
    "coverpkg",
    "debug-actiongraph",
    "debug-runtime-trace",
    "debug-trace",
    "exec",
    "vet",
    "run",
    "bench",
    "benchtime",
    "count",
    "cpu",
    "list",
    "parallel",
    "skip",
    "timeout",
    "shuffle",
    "fuzz",
    "fuzztime",
    "fuzzminimizetime",
    "blockprofile",
    "blockprofilerate",
    "coverprofile",
    "cpuprofile",
    "memprofile",
    "memprofilerate",
    "mutexprofile",
    "mutexprofilefraction",
    "outputdir",
    "trace",
];

/// `-name`, `--name`, `-name=value` → `name`; not a flag → `None`.
pub(crate) fn flag_name(arg: &str) -> Option<&str> {
    let name = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-'))?;
    let name = name.split_once('=').map_or(name, |(n, _)| n);
    (!name.is_empty()).then_some(name)
}

/// Splits go arguments into (flag, its separate value if any) groups up to the first package.
pub(crate) fn leading_flags(args: &[String]) -> Vec<&[String]> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let Some(name) = flag_name(&args[i]) else {
            break;
        };
        let takes_next = !args[i].contains('=') && VALUE_FLAGS.contains(&name);
        let end = (i + if takes_next { 2 } else { 1 }).min(args.len());
        groups.push(&args[i..end]);
        i = end;
    }
    groups
}

/// The packages built when the user names none (only flags, or nothing, after `--`): go itself
/// would build only the package in the current directory.
pub(crate) const DEFAULT_PACKAGES: &str = "./...";

/// The arguments after the subcommand: `-n` for a dry run (first, so it precedes every user
/// flag and cannot be taken for a package), shared flags, the side's flags, `-o` when needed,
/// then the packages (and, for `go test`, whatever followed them); [`DEFAULT_PACKAGES`] when
/// the shared arguments name no package.
fn go_args(
    side: &SideSpec,
    options: &RunOptions,
    mode: Mode,
    out_dir: Option<&Path>,
) -> Vec<String> {
    let shared = &options.shared_args;
    let split: usize = leading_flags(shared).iter().map(|g| g.len()).sum();
    let (shared_flags, rest) = shared.split_at(split);
    let default = [DEFAULT_PACKAGES.to_owned()];
    let rest = if rest.is_empty() { &default[..] } else { rest };
    let mut args: Vec<String> = shared_flags.to_vec();
    args.extend(side.flags.iter().cloned());
    let groups = leading_flags(&args);
    let has = |name: &str| groups.iter().any(|g| flag_name(&g[0]) == Some(name));
    if !has("o") {
        if options.test {
            // `go test -c` writes the test binary into the current directory.
            if has("c") {
                args.push("-o".into());
                args.push(match out_dir {
                    // A directory takes one test binary per package.
                    Some(dir) => format!("{}/", dir.display()),
                    None => "/dev/null".into(),
                });
            }
        } else {
            // A single main package would be written to the current directory; /dev/null
            // is accepted for any set of packages (and changes no key).
            args.push("-o".into());
            args.push("/dev/null".into());
        }
    }
    args.extend(rest.iter().cloned());
    if mode == Mode::Dry {
        args.insert(0, Mode::DRY_FLAG.into());
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::go::toolchain::test_toolchain;
    use crate::go::workspace::copy_tree_for_test;
    use crate::model::{ActionKind, Input};
    use std::path::PathBuf;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    fn side(label: &str, dir: &Path, version: &str) -> SideSpec {
        SideSpec {
            go: Some(test_toolchain(version).display().to_string()),
            ..SideSpec::new(label, dir)
        }
    }

    fn options(shared: &[&str]) -> RunOptions {
        RunOptions {
            shared_args: strings(shared),
            progress: ProgressMode::Hidden,
            ..RunOptions::default()
        }
    }

    /// The `dir` lines of every build action.
    fn dirs(log: &crate::model::BuildLog<'_>) -> Vec<String> {
        log.actions
            .iter()
            .flat_map(|a| a.fields.iter())
            .filter_map(|f| match &f.input {
                Input::Dir(d) => Some(d.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn flags_split_before_the_first_package() {
        let args = strings(&[
            "-trimpath",
            "-tags",
            "x y",
            "-gcflags=-N",
            "./...",
            "-run",
            "X",
        ]);
        let groups = leading_flags(&args);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[1], ["-tags", "x y"]);
        assert_eq!(flag_name("--ldflags=-s"), Some("ldflags"));
        assert_eq!(flag_name("./..."), None);
        assert_eq!(flag_name("-"), None);
    }

    #[test]
    fn error_tail_skips_hash_lines_and_keeps_the_end() {
        let mut stderr = String::from("HASH[build a]\ngo: some note\n");
        for i in 0..20 {
            stderr.push_str(&format!("HASH[build a]: \"x\"\nerror {i}\n"));
        }
        stderr.push_str("testcache: a: test ID abc\n");
        let tail = error_tail(stderr.as_bytes(), b"");
        assert_eq!(tail.len(), ERROR_TAIL_LINES);
        assert_eq!(tail.last().unwrap(), "error 19");
        assert_eq!(
            error_tail(b"HASH[x]\n", b"--- FAIL: T\nFAIL\n"),
            ["--- FAIL: T", "FAIL"]
        );
        let mut usage = String::from("# example.com/a\nflag provided but not defined: -bogus\n");
        for i in 0..40 {
            usage.push_str(&format!("  -flag{i}\n"));
        }
        let tail = error_tail(usage.as_bytes(), b"");
        assert_eq!(tail.len(), ERROR_TAIL_LINES);
        assert_eq!(
            tail[..2],
            ["# example.com/a", "flag provided but not defined: -bogus"]
        );
    }

    #[test]
    fn a_dry_run_puts_n_before_every_other_argument() {
        let spec = SideSpec {
            flags: strings(&["-gcflags=-N"]),
            ..SideSpec::new("A", ".")
        };
        assert_eq!(
            go_args(&spec, &options(&["-trimpath", "./x"]), Mode::Dry, None),
            ["-n", "-trimpath", "-gcflags=-N", "-o", "/dev/null", "./x"]
        );
        // go test builds for real, whatever the options say.
        let test = RunOptions {
            test: true,
            mode: Mode::Dry,
            ..options(&[])
        };
        assert_eq!(test.mode(), Mode::Exact);
    }

    #[test]
    fn a_dry_runs_log_keeps_only_hash_lines_however_the_reads_split_them() {
        let stderr = b"#\n# example.com/a\n#\nmkdir -p $WORK/b001/\nHASH[build a]\nHASH[build a]: \"go1.27.3\"\ncat >$WORK/b001/importcfg << 'EOF'\nHASH subkey x\nno newline at the end";
        for chunk in [1, 2, 7, 64, stderr.len()] {
            let mut filter = HashLines::default();
            let mut log = Vec::new();
            for part in stderr.chunks(chunk) {
                filter.push(part, &mut log);
            }
            let others = filter.finish(&mut log);
            assert_eq!(
                String::from_utf8(log).unwrap(),
                "HASH[build a]\nHASH[build a]: \"go1.27.3\"\nHASH subkey x\n",
                "chunks of {chunk}"
            );
            let others = String::from_utf8(others).unwrap();
            assert!(others.starts_with("#\n# example.com/a\n"), "{others}");
            assert!(others.ends_with("EOF'\nno newline at the end"), "{others}");
        }
        // Only the last lines that are not hash lines are kept.
        let mut filter = HashLines::default();
        let mut log = Vec::new();
        for i in 0..1000 {
            filter.push(format!("script line {i}\n").as_bytes(), &mut log);
        }
        let others = String::from_utf8(filter.finish(&mut log)).unwrap();
        assert_eq!(others.lines().count(), DRY_KEPT_LINES);
        assert!(others.ends_with("script line 999\n"));
        assert!(log.is_empty());
    }

    #[test]
    fn keep_tail_keeps_the_last_bytes() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(keep_tail(&data[..], 1000), &data[data.len() - 1000..]);
        assert_eq!(keep_tail(&b"short"[..], 1000), b"short");
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn side_flags_go_after_shared_flags_and_before_packages() {
        let module = copy_tree_for_test("tiny");
        let mut spec = side("B", module.path(), "1.27.3");
        spec.flags = strings(&["-gcflags=-N"]);
        let args = go_args(&spec, &options(&["-trimpath", "./..."]), Mode::Exact, None);
        assert_eq!(
            args,
            ["-trimpath", "-gcflags=-N", "-o", "/dev/null", "./..."]
        );
        // Builds write nothing: -o /dev/null for one main package, a library or several.
        let args = go_args(&spec, &options(&["."]), Mode::Exact, None);
        assert_eq!(args, ["-gcflags=-N", "-o", "/dev/null", "."]);
        let args = go_args(&spec, &options(&["./greet"]), Mode::Exact, None);
        assert_eq!(args, ["-gcflags=-N", "-o", "/dev/null", "./greet"]);
        // The user's own -o is kept.
        let args = go_args(&spec, &options(&["-o", "/tmp/x", "."]), Mode::Exact, None);
        assert_eq!(args, ["-o", "/tmp/x", "-gcflags=-N", "."]);
        // Tests never get -o, unless -c would write a binary.
        let test = RunOptions {
            test: true,
            ..options(&["-c", "./greet"])
        };
        let args = go_args(&spec, &test, Mode::Exact, Some(Path::new("/tmp/out")));
        assert_eq!(args, ["-c", "-gcflags=-N", "-o", "/tmp/out/", "./greet"]);
    }

    /// Issue 9 item 12: `whymiss -- -trimpath` built only the package in the current directory
    /// ("no Go files" at a module root without one).
    #[test]
    fn flags_without_packages_default_to_all_packages() {
        let spec = SideSpec::new("A", ".");
        let test = |shared: &[&str]| RunOptions {
            test: true,
            ..options(shared)
        };
        assert_eq!(
            go_args(&spec, &options(&["-trimpath"]), Mode::Exact, None),
            ["-trimpath", "-o", "/dev/null", "./..."]
        );
        assert_eq!(
            go_args(
                &spec,
                &options(&["-tags", "x y", "-gcflags=-N"]),
                Mode::Exact,
                None
            ),
            ["-tags", "x y", "-gcflags=-N", "-o", "/dev/null", "./..."]
        );
        assert_eq!(
            go_args(&spec, &options(&[]), Mode::Exact, None),
            ["-o", "/dev/null", "./..."]
        );
        assert_eq!(
            go_args(
                &spec,
                &test(&["-run", "TestX", "-count=1"]),
                Mode::Exact,
                None
            ),
            ["-run", "TestX", "-count=1", "./..."]
        );
        // Packages given: kept as they are.
        assert_eq!(
            go_args(
                &spec,
                &test(&["-count=1", "./greet", "-args", "-v"]),
                Mode::Exact,
                None
            ),
            ["-count=1", "./greet", "-args", "-v"]
        );
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_relocated_side_builds_a_copy_and_both_logs_verify() {
        let module = copy_tree_for_test("tiny");
        let mut b = side("B", module.path(), "1.27.3");
        b.relocate = true;
        let spec = RunSpec {
            a: side("A", module.path(), "1.27.3"),
            b,
            options: options(&["."]),
        };
        let (a, b) = run_sides(&spec).unwrap();
        assert!(a.success && b.success, "{:?} {:?}", a.info, b.info);
        assert_eq!(a.info.exit_status, Some(0));
        assert!(a.info.error_tail.is_empty());
        assert_eq!(a.info.args, ["build", "-o", "/dev/null", "."]);
        assert_ne!(a.info.dir, b.info.dir);
        let b_dir = b.info.dir.clone().unwrap();
        assert!(b_dir.ends_with("/tiny"), "{b_dir}");
        assert!(!Path::new(&b_dir).exists(), "the relocated copy is removed");

        let log_a = crate::parse::parse_log(&a.stderr).unwrap();
        let log_b = crate::parse::parse_log(&b.stderr).unwrap();
        for log in [&log_a, &log_b] {
            assert!(log.actions.iter().any(|x| x.kind == ActionKind::Link));
            assert!(
                log.actions
                    .iter()
                    .filter(|x| x.kind == ActionKind::Build)
                    .count()
                    >= 2
            );
            for action in &log.actions {
                assert!(action.is_verified(), "{} unverified", action.name);
            }
        }
        // go sees the directory as given (PWD is set), not its canonical form.
        let module_dir = module.path().display().to_string();
        let dirs_a = dirs(&log_a);
        let dirs_b = dirs(&log_b);
        assert!(dirs_a.contains(&module_dir), "{dirs_a:?}");
        assert!(dirs_b.contains(&b_dir), "{dirs_b:?}");
        assert!(!dirs_b.contains(&module_dir), "{dirs_b:?}");
        // No binary was written into the module.
        assert!(!module.path().join("tiny").exists());
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn an_env_override_shows_in_that_sides_go_env() {
        let module = copy_tree_for_test("tiny");
        let mut b = side("B", module.path(), "1.27.3");
        b.env = vec![("CGO_ENABLED".into(), "0".into())];
        let spec = RunSpec {
            a: side("A", module.path(), "1.27.3"),
            b,
            options: options(&["./..."]),
        };
        let (a, b) = run_sides(&spec).unwrap();
        assert!(a.success && b.success);
        assert_eq!(b.info.go_env["CGO_ENABLED"], "0");
        assert_eq!(b.info.env_overrides["CGO_ENABLED"], "0");
        assert!(a.info.env_overrides.is_empty());
        assert_eq!(a.info.args, ["build", "-o", "/dev/null", "./..."]);
        // Nothing is written into the module.
        assert!(!module.path().join("tiny").exists());
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn two_toolchains_report_their_versions() {
        let module = copy_tree_for_test("tiny");
        let spec = RunSpec {
            a: side("A", module.path(), "1.26.6"),
            b: side("B", module.path(), "1.27.3"),
            options: options(&["."]),
        };
        let (a, b) = run_sides(&spec).unwrap();
        assert_eq!(a.info.go_version.as_deref(), Some("go1.26.6"));
        assert_eq!(b.info.go_version.as_deref(), Some("go1.27.3"));
        let log_a = crate::parse::parse_log(&a.stderr).unwrap();
        let log_b = crate::parse::parse_log(&b.stderr).unwrap();
        assert_eq!(log_a.go_versions, ["go1.26.6"]);
        assert_eq!(log_b.go_versions, ["go1.27.3"]);
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn the_oldest_supported_toolchain_runs_and_its_log_verifies() {
        let module = copy_tree_for_test("tiny");
        let run = run_side(&side("A", module.path(), "1.21.13"), &options(&["."])).unwrap();
        assert!(run.success, "{:?}", run.info.error_tail);
        assert_eq!(run.info.go_version.as_deref(), Some("go1.21.13"));
        let log = crate::parse::parse_log(&run.stderr).unwrap();
        assert_eq!(log.go_versions, ["go1.21.13"]);
        assert!(log.actions.iter().all(|a| a.is_verified()));
        assert!(log.actions.iter().any(|x| x.kind == ActionKind::Link));
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_failing_build_is_a_result_not_an_error() {
        let module = copy_tree_for_test("tiny");
        let mut b = side("B", module.path(), "1.27.3");
        b.flags = strings(&["-gcflags=-bogus"]);
        let spec = RunSpec {
            a: side("A", module.path(), "1.27.3"),
            b,
            options: options(&["./..."]),
        };
        let (a, b) = run_sides(&spec).unwrap();
        assert!(a.success);
        assert!(!b.success);
        assert_eq!(b.info.exit_status, Some(1));
        assert!(!b.info.error_tail.is_empty());
        assert!(
            b.info.error_tail.iter().any(|l| l.contains("bogus")),
            "{:?}",
            b.info.error_tail
        );
        assert!(b.info.error_tail.iter().all(|l| !l.starts_with("HASH")));
        // What B hashed before failing still parses.
        crate::parse::parse_log(&b.stderr).unwrap();
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn go_test_logs_test_cache_lines_without_test_output() {
        let module = copy_tree_for_test("tiny");
        let side_a = side("A", module.path(), "1.27.3");
        let opts = RunOptions {
            test: true,
            ..options(&["-count=1", "./greet"])
        };
        let run = run_side(&side_a, &opts).unwrap();
        assert!(run.success, "{:?}", run.info.error_tail);
        assert_eq!(run.info.args, ["test", "-count=1", "./greet"]);
        let text = String::from_utf8_lossy(&run.stderr);
        assert!(text.contains("testcache: "), "no testcache lines");
        assert!(!text.contains("\nok "), "test output leaked into the log");
        let log = crate::parse::parse_log(&run.stderr).unwrap();
        assert!(!log.test_cache.is_empty());
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_cold_run_leaves_no_temporary_directory() {
        let module = copy_tree_for_test("tiny");
        let mut b = side("B", module.path(), "1.27.3");
        b.relocate = true;
        let spec = RunSpec {
            a: side("A", module.path(), "1.27.3"),
            b,
            options: RunOptions {
                cold: true,
                ..options(&["./greet"])
            },
        };
        let (a, b) = run_sides(&spec).unwrap();
        assert!(a.success && b.success);
        let cache_a = PathBuf::from(&a.info.go_env["GOCACHE"]);
        let cache_b = PathBuf::from(&b.info.go_env["GOCACHE"]);
        assert_ne!(cache_a, cache_b);
        assert_eq!(a.info.env_overrides["GOCACHE"], a.info.go_env["GOCACHE"]);
        for gone in [
            &cache_a,
            &cache_b,
            Path::new(b.info.dir.as_deref().unwrap()),
        ] {
            assert!(!gone.exists(), "{} still exists", gone.display());
        }
        let log = crate::parse::parse_log(&a.stderr).unwrap();
        assert!(
            log.actions
                .iter()
                .any(|x| x.name == "build example.com/tiny/greet")
        );
        // Nothing of this run is left registered with the signal handler.
        let reg = signals::snapshot();
        assert!(!reg.dirs.contains(&cache_a) && !reg.dirs.contains(&cache_b));
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_side_that_cannot_start_is_an_error_naming_it() {
        let module = copy_tree_for_test("tiny");
        let outside = tempfile::tempdir().unwrap();
        let spec = RunSpec {
            a: side("A", module.path(), "1.27.3"),
            b: side("B", outside.path(), "1.27.3"),
            options: options(&["./..."]),
        };
        let err = run_sides(&spec).unwrap_err();
        assert!(
            matches!(&err, Error::NotInModule { side, .. } if side == "B"),
            "{err:?}"
        );
    }

    /// Set by [`sigint_stops_go_and_removes_every_temporary_directory`] for its child process:
    /// the module to build.
    const SIGINT_CHILD_VAR: &str = "WHYMISS_TEST_SIGINT_CHILD";

    /// The child half of the SIGINT test, run in a process of its own by the parent test (a
    /// signal must not reach the test harness's other tests). Without the variable it has
    /// nothing to do.
    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn sigint_child() {
        let Some(module) = std::env::var_os(SIGINT_CHILD_VAR) else {
            return;
        };
        let module = PathBuf::from(module);
        let mut b = side("B", &module, "1.27.3");
        b.relocate = true;
        let spec = RunSpec {
            a: side("A", &module, "1.27.3"),
            b,
            // Cold: long enough to be interrupted mid-build.
            options: RunOptions {
                cold: true,
                ..options(&["."])
            },
        };
        let err = run_sides(&spec).unwrap_err();
        println!("run_sides: {err}");
        assert!(matches!(err, Error::Interrupted { signal: 2 }), "{err:?}");
        std::process::exit(128 + 2);
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn sigint_stops_go_and_removes_every_temporary_directory() {
        use std::time::Instant;
        let module = copy_tree_for_test("tiny");
        let scratch = tempfile::tempdir().unwrap();
        let tmpdir = scratch.path().join("tmp");
        std::fs::create_dir(&tmpdir).unwrap();
        let registry_log = scratch.path().join("registry.log");
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "go::run::tests::sigint_child", "--nocapture"])
            .env(SIGINT_CHILD_VAR, module.path())
            .env(signals::DEBUG_LOG_VAR, &registry_log)
            .env("TMPDIR", &tmpdir)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let read_log = || std::fs::read_to_string(&registry_log).unwrap_or_default();
        let deadline = Instant::now() + Duration::from_secs(60);
        while read_log()
            .lines()
            .filter(|l| l.starts_with("+group "))
            .count()
            < 2
        {
            assert!(
                Instant::now() < deadline,
                "go never started:\n{}",
                read_log()
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "the child exited early"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // Let go get going: compiles, and go's work directories, exist now.
        std::thread::sleep(Duration::from_millis(500));
        let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
        rustix::process::kill_process(pid, Signal::INT).unwrap();
        let started = Instant::now();
        let status = child.wait().unwrap();
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        assert_eq!(status.code(), Some(130), "{stdout}");
        assert!(
            stdout.contains("run_sides: interrupted by SIGINT"),
            "{stdout}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );

        let log = read_log();
        let groups: Vec<i32> = log
            .lines()
            .filter_map(|l| l.strip_prefix("+group "))
            .map(|g| g.parse().unwrap())
            .collect();
        let dirs: Vec<&str> = log
            .lines()
            .filter_map(|l| l.strip_prefix("+dir "))
            .collect();
        assert_eq!(groups.len(), 2, "{log}");
        // Cold caches and work directories for both sides, and B's relocated copy.
        assert_eq!(dirs.len(), 5, "{log}");
        let deadline = Instant::now() + Duration::from_secs(2);
        while groups.iter().any(|&g| signals::group_alive(g)) {
            assert!(Instant::now() < deadline, "a go process group survived");
            std::thread::sleep(Duration::from_millis(20));
        }
        for dir in &dirs {
            assert!(!Path::new(dir).exists(), "{dir} survived");
        }
        let left: Vec<_> = std::fs::read_dir(&tmpdir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "left in TMPDIR: {left:?}");
        assert!(log.contains("signal 2"), "{log}");
    }
}
