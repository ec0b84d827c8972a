//! The go shim: whymiss started as `go` (a symbolic link named `go` first on PATH), so that
//! every go command a build script runs (`make build`, a shell script, a generator) reaches
//! whymiss, which runs the real go with what it needs and keeps each invocation's hash lines
//! apart. Used by `whymiss check --cmd` and for `whymiss check -- ARGS` alike (one engine).
//!
//! The API:
//! - [`ShimDir::create`] makes `<dir>/bin/go` (→ whymiss's own binary) and `<dir>/log/`;
//!   [`ShimDir::env`] gives the variables that turn it on for a child (PATH first, the real go,
//!   the mode, the dry cache).
//! - [`hidden_entry`] (called first thing by `main`) runs the shim when whymiss was started as
//!   `go` with those variables set.
//! - [`ShimDir::invocations`] reads what each go command noted, in the order they started;
//!   [`ShimDir::clear`] empties the log for the next run.
//!
//! What the shim does with a go command ([`observation`]): `build` and `install` run
//! dry in [`Mode::Dry`] (`-n` right after the subcommand, in the dry runs' own GOCACHE with
//! no GOCACHEPROG, so nothing is compiled and the user's cache is not touched) and for real in
//! [`Mode::Exact`]; `test`, `vet`, `run` and `list -export` always run for real (their
//! results or programs are needed), all with `GODEBUG=gocachehash=1,goindex=0` (and
//! `gocachetest=1` for tests). Their gocachehash and `testcache:` lines go to the invocation's
//! log file; what else go prints passes through (a dry run's `-n` script is dropped, its last
//! lines kept for the error tail). Any other go command is replaced by the real go (`exec`).
//!
//! `whymiss record` (issue 14) observes builds through a shim of the same shape
//! (`record/shim.rs`); the two share the go command line ([`GoArgs`], `go/args.rs`) and are
//! still to become one implementation.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use super::args::GoArgs;
use super::invocation::merge_godebug;
use super::run::error_tail;
use crate::model::Mode;

/// The real go binary the shim runs.
pub const REAL_GO_VAR: &str = "WHYMISS_SHIM_GO";
/// The directory each invocation writes its files into.
pub const LOG_VAR: &str = "WHYMISS_SHIM_LOG";
/// `dry` or `exact`.
pub const MODE_VAR: &str = "WHYMISS_SHIM_MODE";
/// The GOCACHE of dry invocations.
pub const DRY_CACHE_VAR: &str = "WHYMISS_SHIM_GOCACHE";

/// How many of the lines a dry run prints besides its hashes are kept for the error tail.
const KEPT_LINES: usize = 60;

/// An invocation's mode in the shim's note (JSON): `dry` or `exact`.
mod mode_serde {
    use crate::model::Mode;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(mode: &Mode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(mode.as_str())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Mode, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A shim's directory: `bin/go` and `log/`.
#[derive(Debug, Clone)]
pub struct ShimDir {
    root: PathBuf,
}

/// What one go command noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invocation {
    /// go's arguments as the script gave them (without `go`).
    pub argv: Vec<String>,
    /// The arguments the real go ran with (`build -n …` for a dry build).
    pub ran: Vec<String>,
    pub dir: String,
    /// How it ran: dry or exact.
    #[serde(with = "mode_serde")]
    pub mode: Mode,
    /// go's exit status (128 + signal when killed).
    pub exit_status: i32,
    /// Nanoseconds since the Unix epoch at its start, for ordering.
    pub started_ns: u128,
    /// What a failed command printed last (not its hash lines).
    pub error_tail: Vec<String>,
    /// The hash lines, read from the log file (not stored in the note).
    #[serde(skip)]
    pub log: Vec<u8>,
}

impl ShimDir {
    /// Creates the shim in `root` (which must exist): `root/bin/go` → this executable.
    pub fn create(root: &Path) -> std::io::Result<ShimDir> {
        let exe = std::env::current_exe()?;
        std::fs::create_dir_all(root.join("bin"))?;
        std::fs::create_dir_all(root.join("log"))?;
        let go = root.join("bin").join("go");
        if go.symlink_metadata().is_err() {
            std::os::unix::fs::symlink(&exe, &go)?;
        }
        Ok(ShimDir {
            root: root.to_path_buf(),
        })
    }

    /// The `go` that leads to the shim.
    pub fn go(&self) -> PathBuf {
        self.root.join("bin").join("go")
    }

    fn log_dir(&self) -> PathBuf {
        self.root.join("log")
    }

    /// The variables that make a child's `go` the shim: PATH (the shim's `bin` first, then
    /// `path`), the real go, the log directory, the mode and, for dry runs, their GOCACHE.
    pub fn env(
        &self,
        real_go: &Path,
        path: Option<&OsStr>,
        mode: Mode,
        dry_cache: &Path,
    ) -> Vec<(String, OsString)> {
        let mut dirs = vec![self.root.join("bin")];
        if let Some(p) = path {
            dirs.extend(std::env::split_paths(p));
        }
        let path = std::env::join_paths(dirs).unwrap_or_default();
        vec![
            ("PATH".into(), path),
            (REAL_GO_VAR.into(), real_go.into()),
            (LOG_VAR.into(), self.log_dir().into()),
            (MODE_VAR.into(), mode.as_str().into()),
            (DRY_CACHE_VAR.into(), dry_cache.into()),
        ]
    }

    /// Removes every invocation's files.
    pub fn clear(&self) -> std::io::Result<()> {
        for entry in std::fs::read_dir(self.log_dir())? {
            std::fs::remove_file(entry?.path())?;
        }
        Ok(())
    }

    /// Every go command the shim noted, in the order they started, with its hash lines.
    pub fn invocations(&self) -> std::io::Result<Vec<Invocation>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.log_dir())? {
            let path = entry?.path();
            if path.extension() != Some(OsStr::new("json")) {
                continue;
            }
            let note = std::fs::read(&path)?;
            let mut inv: Invocation =
                serde_json::from_slice(&note).map_err(std::io::Error::other)?;
            inv.log = std::fs::read(path.with_extension("hash")).unwrap_or_default();
            out.push(inv);
        }
        out.sort_by_key(|a| a.started_ns);
        Ok(out)
    }
}

/// How the shim runs this go command in `mode`, or `None` to hand it to go as it is.
pub(crate) fn observation(args: &GoArgs, mode: Mode) -> Option<Mode> {
    // The user's own dry run prints nothing worth keeping.
    if args.is_dry_run() {
        return None;
    }
    match args.subcommand.as_deref()? {
        "build" | "install" => Some(mode),
        "test" | "vet" | "run" => Some(Mode::Exact),
        "list"
            if args
                .flags()
                .any(|a| a == "-export" || a.starts_with("-export=")) =>
        {
            Some(Mode::Exact)
        }
        _ => None,
    }
}

/// Whether this process was started as the go shim (its name is `go` and the shim's variables
/// are set); if so, runs it and returns the exit status.
pub fn hidden_entry() -> Option<i32> {
    let mut args = std::env::args_os();
    let argv0 = args.next()?;
    if Path::new(&argv0).file_name() != Some(OsStr::new("go")) {
        return None;
    }
    let real_go = std::env::var_os(REAL_GO_VAR)?;
    let log = std::env::var_os(LOG_VAR)?;
    let mode = match std::env::var(MODE_VAR).as_deref() {
        Ok("exact") => Mode::Exact,
        _ => Mode::Dry,
    };
    let dry_cache = std::env::var_os(DRY_CACHE_VAR).map(PathBuf::from);
    let rest: Vec<OsString> = args.collect();
    Some(shim_main(
        Path::new(&real_go),
        Path::new(&log),
        mode,
        dry_cache.as_deref(),
        &rest,
    ))
}

fn shim_main(
    real_go: &Path,
    log: &Path,
    mode: Mode,
    dry_cache: Option<&Path>,
    args: &[OsString],
) -> i32 {
    let go_args = GoArgs::parse(args);
    let Some(how) = observation(&go_args, mode) else {
        let err = Command::new(real_go).args(args).exec();
        eprintln!("whymiss: cannot run {}: {err}", real_go.display());
        return 2;
    };
    let ran: Vec<OsString> = match how {
        Mode::Dry => go_args.dry(),
        Mode::Exact => args.to_vec(),
    };
    let mut cmd = Command::new(real_go);
    cmd.args(&ran);
    let mut keys = vec![("gocachehash", "1"), ("goindex", "0")];
    if go_args.is_test() {
        keys.push(("gocachetest", "1"));
    }
    let user = std::env::var("GODEBUG").unwrap_or_default();
    cmd.env("GODEBUG", merge_godebug(&user, &keys));
    if std::env::var_os("GOTOOLCHAIN").is_none_or(|v| v.is_empty()) {
        cmd.env("GOTOOLCHAIN", "local");
    }
    if how == Mode::Dry
        && let Some(cache) = dry_cache
    {
        // A dry run's keys depend on the cache's state (`go::dry_cache`): one only dry runs
        // use; and no cache program.
        cmd.env("GOCACHE", cache).env("GOCACHEPROG", "");
    }
    cmd.stderr(Stdio::piped());
    let started_ns = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let stem = log.join(format!("{started_ns:032}-{}", std::process::id()));
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("whymiss: cannot run {}: {e}", real_go.display());
            return 2;
        }
    };
    let stderr = child.stderr.take().expect("piped");
    let hash_path = stem.with_extension("hash");
    let pass_through = how == Mode::Exact;
    let splitter = std::thread::spawn(move || split(stderr, &hash_path, pass_through));
    let status = child.wait();
    let (others, split_error) = match splitter.join() {
        Ok(Ok(others)) => (others, None),
        Ok(Err(e)) => (Vec::new(), Some(e)),
        Err(_) => (Vec::new(), None),
    };
    let code = match &status {
        Ok(s) => exit_status(*s),
        Err(_) => 2,
    };
    let mut tail = if code == 0 {
        Vec::new()
    } else {
        error_tail(&others, &[])
    };
    if let Some(e) = split_error {
        tail.push(format!("whymiss: cannot keep go's hash lines: {e}"));
    }
    let note = Invocation {
        argv: args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
        ran: ran
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
        dir: std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default(),
        mode: how,
        exit_status: code,
        started_ns,
        error_tail: tail,
        log: Vec::new(),
    };
    let written = serde_json::to_vec(&note)
        .map_err(std::io::Error::other)
        .and_then(|bytes| std::fs::write(stem.with_extension("json"), bytes));
    if let Err(e) = written {
        eprintln!("whymiss: cannot note this go command: {e}");
        return 2;
    }
    code
}

/// The exit code, or 128 + signal for a go killed by a signal.
fn exit_status(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(2)
}

/// Copies go's stderr: gocachehash and `testcache:` lines into the file `hash`; the others to
/// this process's stderr when `pass_through`, else dropped. Returns the last lines that were not
/// hash lines (for the error tail).
fn split(mut from: impl Read, hash: &Path, pass_through: bool) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::create(hash)?;
    let mut hashes = std::io::BufWriter::new(file);
    let mut stderr = std::io::stderr();
    let mut lines = Lines::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        for (line, is_hash) in lines.feed(&buf[..n]) {
            if is_hash {
                hashes.write_all(&line)?;
            } else {
                if pass_through {
                    let _ = stderr.write_all(&line);
                }
                lines.keep(line);
            }
        }
    }
    if let Some((line, is_hash)) = lines.finish() {
        if is_hash {
            hashes.write_all(&line)?;
        } else {
            if pass_through {
                let _ = stderr.write_all(&line);
            }
            lines.keep(line);
        }
    }
    hashes.flush()?;
    Ok(lines.kept.into_iter().flatten().collect())
}

/// Splits a byte stream into whole lines, telling hash lines (`HASH…`, `testcache: …`) from the
/// rest, and keeps the last [`KEPT_LINES`] of the rest.
#[derive(Debug, Default)]
struct Lines {
    partial: Vec<u8>,
    kept: std::collections::VecDeque<Vec<u8>>,
}

impl Lines {
    fn feed(&mut self, mut bytes: &[u8]) -> Vec<(Vec<u8>, bool)> {
        let mut out = Vec::new();
        while let Some(nl) = memchr::memchr(b'\n', bytes) {
            let (head, rest) = bytes.split_at(nl + 1);
            bytes = rest;
            let mut line = std::mem::take(&mut self.partial);
            line.extend_from_slice(head);
            let is_hash = is_hash_line(&line);
            out.push((line, is_hash));
        }
        self.partial.extend_from_slice(bytes);
        out
    }

    fn finish(&mut self) -> Option<(Vec<u8>, bool)> {
        let last = std::mem::take(&mut self.partial);
        (!last.is_empty()).then(|| {
            let is_hash = is_hash_line(&last);
            (last, is_hash)
        })
    }

    fn keep(&mut self, line: Vec<u8>) {
        if self.kept.len() == KEPT_LINES {
            self.kept.pop_front();
        }
        self.kept.push_back(line);
    }
}

fn is_hash_line(line: &[u8]) -> bool {
    line.starts_with(b"HASH") || line.starts_with(b"testcache: ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn only_builds_run_dry_and_only_commands_that_build_are_observed() {
        let how = |a: &[&str], mode| observation(&GoArgs::parse(&args(a)), mode);
        assert_eq!(how(&["build", "./..."], Mode::Dry), Some(Mode::Dry));
        assert_eq!(how(&["install", "."], Mode::Dry), Some(Mode::Dry));
        assert_eq!(how(&["build", "."], Mode::Exact), Some(Mode::Exact));
        assert_eq!(how(&["test", "./..."], Mode::Dry), Some(Mode::Exact));
        assert_eq!(how(&["run", "./gen"], Mode::Dry), Some(Mode::Exact));
        assert_eq!(how(&["list", "-export", "."], Mode::Dry), Some(Mode::Exact));
        assert_eq!(how(&["list", "./..."], Mode::Dry), None);
        assert_eq!(how(&["env", "GOCACHE"], Mode::Dry), None);
        assert_eq!(how(&["version"], Mode::Dry), None);
        assert_eq!(how(&["build", "-n", "."], Mode::Dry), None);
        assert_eq!(how(&["generate", "./..."], Mode::Dry), None);
    }

    #[test]
    fn hash_lines_are_split_off_whatever_the_chunks() {
        let text: &[u8] =
            b"HASH[build a]\n# a\nmkdir -p $WORK/b001/\nHASH[build a]: \"x\"\ntestcache: a: 1\nend";
        for size in [1, 2, 5, 64] {
            let mut lines = Lines::default();
            let mut hash = Vec::new();
            let mut other = Vec::new();
            for chunk in text.chunks(size) {
                for (line, is_hash) in lines.feed(chunk) {
                    if is_hash { &mut hash } else { &mut other }.extend(line);
                }
            }
            let (last, is_hash) = lines.finish().unwrap();
            assert!(!is_hash);
            other.extend(last);
            assert_eq!(
                String::from_utf8(hash).unwrap(),
                "HASH[build a]\nHASH[build a]: \"x\"\ntestcache: a: 1\n"
            );
            assert_eq!(
                String::from_utf8(other).unwrap(),
                "# a\nmkdir -p $WORK/b001/\nend"
            );
        }
    }

    #[test]
    fn only_the_last_other_lines_are_kept() {
        let mut lines = Lines::default();
        for i in 0..500 {
            for (line, _) in lines.feed(format!("script line {i}\n").as_bytes()) {
                lines.keep(line);
            }
        }
        assert_eq!(lines.kept.len(), KEPT_LINES);
        assert_eq!(lines.kept.back().unwrap(), b"script line 499\n");
    }
}
