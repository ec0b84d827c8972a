//! Running the user's build under observation: a session directory with the go shim first in
//! PATH, the command (`go ARGS` through the shim itself, or `sh -c CMD`) in the foreground with
//! the user's own stdin, stdout and stderr, and, meanwhile, one `go env` query for what the
//! record says about the toolchain and cache. One engine for both forms: `record -- ARGS` is
//! the shim too.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::child::{exit_code, wait_forwarding};
use super::session::{DIR_VAR, InvocationFiles, InvocationMeta, REAL_GO_VAR, SessionDir};
use super::shim::rerun_in;
use super::unix_ms;
use crate::error::Error;
use crate::go::args::GoArgs;

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildCommand {
    /// `go ARGS`.
    Go(Vec<String>),
    /// A shell command line that runs go (`make build`).
    Shell(String),
}

impl BuildCommand {
    /// As the record shows it.
    pub fn display(&self) -> String {
        match self {
            BuildCommand::Go(args) => {
                let quoted: Vec<String> = args
                    .iter()
                    .map(|a| shell_words::quote(a).into_owned())
                    .collect();
                format!("go {}", quoted.join(" "))
            }
            BuildCommand::Shell(cmd) => cmd.clone(),
        }
    }
}

/// The `go env` values a record keeps.
const GO_ENV_KEYS: &[&str] = &[
    "GOVERSION",
    "GOCACHE",
    "GOCACHEPROG",
    "GOFLAGS",
    "GOOS",
    "GOARCH",
    "CGO_ENABLED",
    "GOEXPERIMENT",
    "GOROOT",
    "GOTOOLCHAIN",
];

/// A finished run.
#[derive(Debug)]
pub struct Launched {
    pub exit_status: i32,
    pub started_ms: i64,
    pub duration_ms: i64,
    /// The session directory (removed when dropped).
    pub session: tempfile::TempDir,
    /// Every go process the shim observed, in order of start.
    pub invocations: Vec<(InvocationFiles, InvocationMeta)>,
    /// `go env` in the directory the command ran in (empty if the query failed).
    pub go_env: BTreeMap<String, String>,
    pub real_go: PathBuf,
}

/// Runs `command` in `dir` with `real_go` as the go every `go` on PATH leads to.
pub fn launch(command: &BuildCommand, real_go: &Path, dir: &Path) -> Result<Launched, Error> {
    let io = |context: &str, source: std::io::Error| Error::SideIo {
        side: "record".into(),
        context: context.to_string(),
        source,
    };
    let tmp = tempfile::Builder::new()
        .prefix("whymiss-record-")
        .tempdir()
        .map_err(|e| io("cannot create the session directory", e))?;
    let session = SessionDir {
        root: tmp.path().to_path_buf(),
    };
    std::fs::create_dir(session.bin()).map_err(|e| io("cannot create the shim directory", e))?;
    let exe = std::env::current_exe().map_err(|e| io("cannot find whymiss's own binary", e))?;
    let shim = session.bin().join("go");
    std::os::unix::fs::symlink(&exe, &shim).map_err(|e| io("cannot create the go shim", e))?;
    let mut path = vec![session.bin()];
    if let Some(p) = std::env::var_os("PATH") {
        path.extend(std::env::split_paths(&p));
    }
    let path = std::env::join_paths(path).map_err(|e| io("PATH", std::io::Error::other(e)))?;

    let go_env = {
        let (go, dir) = (real_go.to_path_buf(), dir.to_path_buf());
        std::thread::spawn(move || query_go_env(&go, &dir))
    };
    let mut cmd = match command {
        BuildCommand::Go(args) => {
            let mut c = Command::new(&shim);
            c.args(args);
            c
        }
        BuildCommand::Shell(line) => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(line);
            c
        }
    };
    cmd.current_dir(dir)
        .env("PATH", &path)
        .env(DIR_VAR, &session.root)
        .env(REAL_GO_VAR, real_go);
    let started_ms = unix_ms();
    let mut child = cmd.spawn().map_err(|source| Error::Spawn {
        side: "record".into(),
        program: match command {
            BuildCommand::Go(_) => shim.clone(),
            BuildCommand::Shell(_) => PathBuf::from("sh"),
        },
        source,
    })?;
    let status = wait_forwarding(&mut child).map_err(|e| io("waiting for the command", e))?;
    let duration_ms = unix_ms() - started_ms;
    let invocations = session
        .finished()
        .map_err(|e| io("reading what the go shim noted", e))?;
    let go_env = go_env.join().unwrap_or_default();
    Ok(Launched {
        exit_status: exit_code(status),
        started_ms,
        duration_ms,
        session: tmp,
        invocations,
        go_env,
        real_go: real_go.to_path_buf(),
    })
}

/// `go env -json` of the record's keys; empty on failure (the record then says less).
fn query_go_env(go: &Path, dir: &Path) -> BTreeMap<String, String> {
    let out = Command::new(go)
        .arg("env")
        .arg("-json")
        .args(GO_ENV_KEYS)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    out.ok()
        .filter(|o| o.status.success())
        .and_then(|o| serde_json::from_slice::<BTreeMap<String, String>>(&o.stdout).ok())
        .map(|m| m.into_iter().filter(|(_, v)| !v.is_empty()).collect())
        .unwrap_or_default()
}

/// A dry rerun after the command ended, for an invocation whose keys the history does not
/// know: same arguments, directory and environment as the shim saw. Returns its exit status.
pub fn rerun_after(
    real_go: &Path,
    files: &InvocationFiles,
    meta: &InvocationMeta,
) -> std::io::Result<i32> {
    let args: Vec<OsString> = meta.argv.iter().map(OsString::from).collect();
    rerun_in(
        real_go,
        &GoArgs::parse(&args),
        &files.hash,
        Some(Path::new(&meta.dir)),
        Some(&meta.env),
    )
}
