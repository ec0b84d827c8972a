//! The go shim: whymiss started as `go` (a symbolic link first in PATH, see
//! [`super::session`]). Every go process of the recorded command goes through it, whether
//! `record -- ARGS` started it or a Makefile did.
//!
//! A go command that builds nothing (`go version`, `go env`, `go mod`, plain `go list`) is
//! replaced by the real go at once (`exec`): gopls or a linter calling `go list` costs nothing.
//! For one that builds (`build`, `install`, `run`, `test`, `vet`, `list -export`), the shim
//! runs the real go with `-debug-actiongraph` added to GOFLAGS, and:
//!
//! - `build`, `install`, `run` without a cache program: nothing else during the build (gocachehash
//!   costs more than whymiss's 5 % budget on a warm build). When a compile ran, a dry rerun with
//!   the same arguments, directory and environment, `GODEBUG=gocachehash=1 go … -n`, prints the
//!   inputs of every action: after the build, every action ID it prints equals the one the
//!   build used (dependencies' content IDs are in the cache by then).
//! - `test` (whose `-n` runs no test), `vet`, `list -export`, and any build with GOCACHEPROG
//!   (where a dry rerun would ask the user's backend again): gocachehash (and, for tests,
//!   gocachetest) on during the build, its lines split off go's stderr into the session.
//! - with GOCACHEPROG: the proxy in front of the user's program, recording every request.
//!
//! Everything else go prints passes through unchanged, and the shim exits with go's status.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::cacheprog::{proxy_gocacheprog, quoted_join};
use super::child::{exit_code, wait_forwarding};
use super::goenv;
use super::session::{DIR_VAR, InvocationMeta, REAL_GO_VAR, SessionDir, ShimMethod};
use super::{actiongraph, unix_ms};
use crate::go::args::GoArgs;
use crate::go::invocation::merge_godebug;

/// How the shim observes this go command, or `None` to pass it straight to go.
pub(crate) fn observation(args: &GoArgs, has_cacheprog: bool) -> Option<ShimMethod> {
    // A dry run of the user's own does nothing worth recording.
    if args.is_dry_run() {
        return None;
    }
    match args.subcommand.as_deref()? {
        "build" | "install" | "run" if !has_cacheprog => Some(ShimMethod::ActionGraph),
        "build" | "install" | "run" | "test" | "vet" => Some(ShimMethod::Gocachehash),
        "list"
            if args.rest.iter().any(|a| {
                let a = a.to_string_lossy();
                a == "-export" || a.starts_with("-export=")
            }) =>
        {
            Some(ShimMethod::Gocachehash)
        }
        _ => None,
    }
}

/// The shim's whole run: returns go's exit status.
pub(crate) fn shim_main(args: Vec<OsString>) -> i32 {
    let (Some(real_go), Some(dir)) = (std::env::var_os(REAL_GO_VAR), std::env::var_os(DIR_VAR))
    else {
        eprintln!(
            "whymiss: started as `go` outside `whymiss record` ({REAL_GO_VAR} and {DIR_VAR} are not set)"
        );
        return 2;
    };
    let real_go = PathBuf::from(real_go);
    let session = SessionDir {
        root: PathBuf::from(dir),
    };
    let go_args = GoArgs::parse(&args);
    let user_cacheprog = goenv::effective_here("GOCACHEPROG");
    let Some(method) = observation(&go_args, !user_cacheprog.is_empty()) else {
        let err = Command::new(&real_go).args(&args).exec();
        eprintln!("whymiss: cannot run {}: {err}", real_go.display());
        return 2;
    };
    observe(&real_go, &session, &args, &go_args, method, &user_cacheprog)
}

fn observe(
    real_go: &Path,
    session: &SessionDir,
    args: &[OsString],
    go_args: &GoArgs,
    method: ShimMethod,
    user_cacheprog: &str,
) -> i32 {
    let files = session.files(&SessionDir::new_stem());
    let mut problems = Vec::new();
    let original_env: Vec<(String, String)> = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let mut cmd = Command::new(real_go);
    cmd.args(args);
    match with_flag(
        &goenv::effective_here("GOFLAGS"),
        &format!("-debug-actiongraph={}", files.graph.display()),
    ) {
        Ok(goflags) => {
            cmd.env("GOFLAGS", goflags);
        }
        Err(e) => problems.push(format!("cannot add -debug-actiongraph to GOFLAGS: {e}")),
    }
    let test = go_args.subcommand.as_deref() == Some("test");
    if method == ShimMethod::Gocachehash {
        let mut keys = vec![("gocachehash", "1")];
        if test {
            keys.push(("gocachetest", "1"));
        }
        let user = std::env::var("GODEBUG").unwrap_or_default();
        cmd.env("GODEBUG", merge_godebug(&user, &keys));
    }
    let mut proxied = None;
    if !user_cacheprog.is_empty() {
        match std::env::current_exe()
            .map_err(|e| e.to_string())
            .and_then(|exe| {
                proxy_gocacheprog(&exe, &files.events, user_cacheprog).map_err(|e| e.to_string())
            }) {
            Ok(value) => {
                cmd.env("GOCACHEPROG", value);
                proxied = Some(user_cacheprog.to_string());
            }
            Err(e) => problems.push(format!("cannot put the GOCACHEPROG proxy in place: {e}")),
        }
    }
    let split = method == ShimMethod::Gocachehash;
    if split {
        cmd.stderr(Stdio::piped());
    }
    let started_ms = unix_ms();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("whymiss: cannot run {}: {e}", real_go.display());
            return 2;
        }
    };
    let splitter = child.stderr.take().map(|stderr| {
        let hash_path = files.hash.clone();
        std::thread::spawn(move || split_stderr(stderr, &hash_path))
    });
    let status = wait_forwarding(&mut child);
    if let Some(Err(e)) = splitter.map(|t| t.join().unwrap_or(Ok(()))) {
        problems.push(format!("cannot keep go's hash lines: {e}"));
    }
    let ended_ms = unix_ms();
    let (code, signal) = match &status {
        Ok(s) => {
            use std::os::unix::process::ExitStatusExt as _;
            (s.code(), s.signal())
        }
        Err(e) => {
            problems.push(format!("waiting for go: {e}"));
            (None, None)
        }
    };
    let mut rerun_status = None;
    if method == ShimMethod::ActionGraph
        && signal.is_none()
        && std::fs::read(&files.graph)
            .ok()
            .and_then(|b| actiongraph::parse(&b).ok())
            .is_some_and(|nodes| actiongraph::compile_ran(&nodes))
    {
        match rerun(real_go, go_args, &files.hash) {
            Ok(s) => rerun_status = Some(s),
            Err(e) => problems.push(format!("dry rerun for the inputs: {e}")),
        }
    }
    let meta = InvocationMeta {
        argv: args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
        dir: std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default(),
        env: original_env,
        pid: std::process::id(),
        started_ms,
        ended_ms,
        exit_status: code,
        signal,
        method,
        rerun_status,
        gocacheprog: proxied,
        problems,
    };
    if let Err(e) = meta.write(&files.meta) {
        eprintln!("whymiss: cannot note this go command for the record: {e}");
    }
    match status {
        Ok(s) => exit_code(s),
        Err(_) => 2,
    }
}

/// `GODEBUG=gocachehash=1 go <same> -n` in this process's directory and environment: stdout
/// (the commands) discarded, stderr (the hash lines) into `hash`.
pub(crate) fn rerun(real_go: &Path, go_args: &GoArgs, hash: &Path) -> std::io::Result<i32> {
    rerun_in(real_go, go_args, hash, None, None)
}

/// [`rerun`] in `dir` with exactly `env` (when given), for a rerun after the command ended.
pub(crate) fn rerun_in(
    real_go: &Path,
    go_args: &GoArgs,
    hash: &Path,
    dir: Option<&Path>,
    env: Option<&[(String, String)]>,
) -> std::io::Result<i32> {
    let out = std::fs::File::create(hash)?;
    let mut cmd = Command::new(real_go);
    cmd.args(go_args.dry())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(out);
    if let Some(dir) = dir {
        cmd.current_dir(dir).env("PWD", dir);
    }
    let user_godebug = match env {
        Some(env) => {
            cmd.env_clear();
            cmd.envs(env.iter().map(|(k, v)| (k, v)));
            env.iter()
                .rev()
                .find(|(k, _)| k == "GODEBUG")
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        }
        None => std::env::var("GODEBUG").unwrap_or_default(),
    };
    cmd.env(
        "GODEBUG",
        merge_godebug(&user_godebug, &[("gocachehash", "1"), ("goindex", "0")]),
    );
    Ok(exit_code(cmd.status()?))
}

/// GOFLAGS with one more flag, quoted as cmd/internal/quoted splits it
/// (cmd/go/internal/base/goflags.go, `InitGOFLAGS`).
fn with_flag(goflags: &str, flag: &str) -> Result<String, super::cacheprog::QuoteError> {
    let flag = quoted_join(&[flag])?;
    Ok(if goflags.trim().is_empty() {
        flag
    } else {
        format!("{goflags} {flag}")
    })
}

/// Copies go's stderr: gocachehash and `testcache:` lines into `hash`, everything else to this
/// process's stderr as it arrives.
fn split_stderr(mut from: impl Read, hash: &Path) -> std::io::Result<()> {
    let file = std::fs::File::create(hash)?;
    let mut splitter = Splitter::new(std::io::BufWriter::new(file), std::io::stderr());
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        splitter.feed(&buf[..n])?;
    }
    splitter.finish()
}

/// Where the bytes of the current line go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineState {
    /// Not enough of the line yet to tell.
    Undecided,
    Hash,
    User,
}

/// Splits a byte stream by line: lines that start with `HASH` or `testcache: ` to one writer,
/// the rest to another. A partial line that cannot become a hash line is passed on at once (a
/// prompt without a newline must show).
pub(crate) struct Splitter<H: Write, U: Write> {
    hash: H,
    user: U,
    line: Vec<u8>,
    state: LineState,
}

const HASH_PREFIXES: [&[u8]; 2] = [b"HASH", b"testcache: "];

impl<H: Write, U: Write> Splitter<H, U> {
    pub(crate) fn new(hash: H, user: U) -> Self {
        Splitter {
            hash,
            user,
            line: Vec::new(),
            state: LineState::Undecided,
        }
    }

    pub(crate) fn feed(&mut self, mut chunk: &[u8]) -> std::io::Result<()> {
        let mut to_user: Vec<u8> = Vec::new();
        while !chunk.is_empty() {
            let (part, ends) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (&chunk[..=i], true),
                None => (chunk, false),
            };
            chunk = &chunk[part.len()..];
            match self.state {
                LineState::User => to_user.extend_from_slice(part),
                LineState::Hash => {
                    self.hash.write_all(part)?;
                }
                LineState::Undecided => {
                    self.line.extend_from_slice(part);
                    let line = &self.line;
                    self.state = if HASH_PREFIXES.iter().any(|p| line.starts_with(p)) {
                        self.hash.write_all(line)?;
                        LineState::Hash
                    } else if !ends && HASH_PREFIXES.iter().any(|p| p.starts_with(line)) {
                        LineState::Undecided
                    } else {
                        to_user.extend_from_slice(line);
                        LineState::User
                    };
                    if self.state != LineState::Undecided {
                        self.line.clear();
                    }
                }
            }
            if ends {
                self.state = LineState::Undecided;
            }
        }
        if !to_user.is_empty() {
            self.user.write_all(&to_user)?;
            self.user.flush()?;
        }
        Ok(())
    }

    /// The end of the stream: a last partial line goes where it was going.
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            self.user.write_all(&self.line)?;
        }
        self.user.flush()?;
        self.hash.flush()
    }
}

/// Whether `name` (argv[0]'s file name) makes this process the shim.
pub(crate) fn is_shim_name(name: &OsStr) -> bool {
    Path::new(name).file_name() == Some(OsStr::new("go"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn only_commands_that_build_are_observed() {
        let method = |a: &[&str], prog| observation(&GoArgs::parse(&args(a)), prog);
        assert_eq!(
            method(&["build", "./..."], false),
            Some(ShimMethod::ActionGraph)
        );
        assert_eq!(
            method(&["build", "./..."], true),
            Some(ShimMethod::Gocachehash)
        );
        assert_eq!(
            method(&["test", "./..."], false),
            Some(ShimMethod::Gocachehash)
        );
        assert_eq!(
            method(&["list", "-export", "."], false),
            Some(ShimMethod::Gocachehash)
        );
        assert_eq!(method(&["list", "./..."], false), None);
        assert_eq!(method(&["env", "GOCACHE"], false), None);
        assert_eq!(method(&["version"], false), None);
        assert_eq!(method(&["build", "-n", "."], false), None);
        assert_eq!(
            method(&["run", ".", "-n"], false),
            Some(ShimMethod::ActionGraph)
        );
    }

    #[test]
    fn goflags_gain_a_quoted_flag() {
        assert_eq!(
            with_flag("", "-debug-actiongraph=/t/a").unwrap(),
            "-debug-actiongraph=/t/a"
        );
        assert_eq!(
            with_flag("-trimpath", "-debug-actiongraph=/t m/a").unwrap(),
            "-trimpath '-debug-actiongraph=/t m/a'"
        );
    }

    fn split(chunks: &[&[u8]]) -> (String, String) {
        let (mut hash, mut user) = (Vec::new(), Vec::new());
        let mut s = Splitter::new(&mut hash, &mut user);
        for c in chunks {
            s.feed(c).unwrap();
        }
        s.finish().unwrap();
        (
            String::from_utf8(hash).unwrap(),
            String::from_utf8(user).unwrap(),
        )
    }

    #[test]
    fn hash_lines_are_split_off_whatever_the_chunks() {
        let text = b"HASH[build a]\n# a\na.go:1: bad\nHASH[build a]: \"x\\n\"\ntestcache: a: test ID 1\nok\n";
        let whole = split(&[text]);
        assert_eq!(
            whole.0,
            "HASH[build a]\nHASH[build a]: \"x\\n\"\ntestcache: a: test ID 1\n"
        );
        assert_eq!(whole.1, "# a\na.go:1: bad\nok\n");
        for cut in 1..text.len() {
            assert_eq!(split(&[&text[..cut], &text[cut..]]), whole, "cut at {cut}");
        }
        let bytes: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(split(&bytes), whole);
    }

    #[test]
    fn a_prompt_without_newline_is_passed_on_at_once() {
        let (mut hash, mut user) = (Vec::new(), Vec::new());
        let mut s = Splitter::new(&mut hash, &mut user);
        s.feed(b"Password: ").unwrap();
        drop(s);
        assert_eq!(user, b"Password: ");
        assert_eq!(split(&[b"HAS"]), (String::new(), "HAS".into()));
    }
}
