//! Running one build of a check: a fresh copy of the module (at the reference's path, or at the
//! other path when `path` varies), the environment of its factors, the build (`go ARGS` or a
//! shell command) with the go shim first on PATH, and its go commands' logs, concatenated in
//! the order they started, as the side's log.
//!
//! Everything lives in one temporary directory of the check (`$TMPDIR/whymiss-check-<pid>-…`):
//! `a/<module>` and `b/<module>` (two paths of the same length and shape), `home`, `tmp` and the
//! shim. Dry runs use the persistent dry GOCACHE of `go::dry_cache`. The builds run one
//! after another, so each path is reused: removed and copied again for every build.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::{Duration, Instant, SystemTime};

use crate::error::Error;
use crate::go::dry_cache::DryCache;
use crate::go::progress::{Phase, Progress, ProgressMode, SideProgress, TICK};
use crate::go::run::SideRun;
use crate::go::shim::{Invocation as ShimInvocation, ShimDir};
use crate::go::side::GO_ENV_VARS;
use crate::go::signals;
use crate::go::workspace::{TempTree, copy_tree};
use crate::model::{Factor, Mode, SideInfo};

use super::plan::{Env, Plan, module_proxy, overrides, reference_values};

/// What a check builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildCommand {
    /// `go build ARGS` (or `go test ARGS`).
    Go { test: bool, args: Vec<String> },
    /// A shell command line that runs go (`make build`).
    Shell(String),
}

impl BuildCommand {
    /// `go test`: the logs hold test results.
    pub fn is_test(&self) -> bool {
        matches!(self, BuildCommand::Go { test: true, .. })
    }

    /// As reports show it.
    pub fn display(&self) -> String {
        match self {
            BuildCommand::Go { test, args } => {
                let quoted: Vec<String> = args
                    .iter()
                    .map(|a| shell_words::quote(a).into_owned())
                    .collect();
                let sub = if *test { "test" } else { "build" };
                format!("go {sub} {}", quoted.join(" "))
            }
            BuildCommand::Shell(cmd) => cmd.clone(),
        }
    }
}

/// The check's temporary directory and what every build shares.
pub(crate) struct Session {
    tree: TempTree,
    /// The module (or workspace) root being checked, and the directory inside it to run in.
    module_root: PathBuf,
    rel_dir: PathBuf,
    name: OsString,
    go: PathBuf,
    shim: ShimDir,
    mode: Mode,
    cold: bool,
    /// The GOCACHE of dry runs (`go::dry_cache`): only dry runs use it.
    dry_cache: DryCache,
    pub plan: Plan,
    progress: ProgressMode,
    /// `go env` of the reference build.
    reference_env: Option<BTreeMap<String, String>>,
}

/// One finished build.
pub(crate) struct Built {
    pub run: SideRun,
    /// When the build's command exited.
    pub ended: SystemTime,
    /// How many go commands it ran.
    pub invocations: usize,
    /// How many variables of the reference environment it does not have.
    pub removed_vars: usize,
}

impl Session {
    /// Makes the check's directory for the module at `module_root`, run in `dir` (inside it),
    /// built with `go` in `mode`, given `explicit` variables for both builds.
    pub(crate) fn new(
        module_root: &Path,
        dir: &Path,
        go: &Path,
        mode: Mode,
        cold: bool,
        explicit: Vec<(String, String)>,
        progress: ProgressMode,
    ) -> Result<Session, Error> {
        let io = |context: &str| {
            let context = context.to_string();
            move |source| Error::SideIo {
                side: "check".into(),
                context,
                source,
            }
        };
        let tree = TempTree::new("whymiss-check-")
            .map_err(io("cannot create the check's temporary directory"))?;
        let module_root = module_root
            .canonicalize()
            .map_err(io("cannot resolve the module root"))?;
        let dir = dir.canonicalize().map_err(io("cannot resolve --dir"))?;
        let rel_dir = dir
            .strip_prefix(&module_root)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let name = module_root
            .file_name()
            .map_or_else(|| "module".into(), |n| n.to_owned());
        for sub in ["a", "b", "home", "tmp", "shim"] {
            std::fs::create_dir(tree.path().join(sub))
                .map_err(io("cannot lay out the check's directory"))?;
        }
        let shim =
            ShimDir::create(&tree.path().join("shim")).map_err(io("cannot create the go shim"))?;
        let dry_cache = DryCache::open().map_err(io("cannot create a GOCACHE for the dry runs"))?;
        let plan = Plan::new(explicit, tree.path().join("home"), tree.path().join("tmp"));
        Ok(Session {
            dry_cache,
            module_root,
            rel_dir,
            name,
            go: go.to_path_buf(),
            shim,
            mode,
            cold,
            plan,
            progress,
            reference_env: None,
            tree,
        })
    }

    /// Where the module is copied for a build: the other path when `path` varies.
    fn root_for(&self, factors: &[Factor]) -> PathBuf {
        let side = if factors.contains(&Factor::Path) {
            "b"
        } else {
            "a"
        };
        self.tree.path().join(side).join(&self.name)
    }

    /// Runs `command` as a build that varies `factors` (none: the reference build, which must
    /// run first). `label` names it in reports and errors.
    pub(crate) fn build(
        &mut self,
        command: &BuildCommand,
        factors: &[Factor],
        label: &str,
    ) -> Result<Built, Error> {
        let started = Instant::now();
        let time = crate::go::timestamp::rfc3339_utc(SystemTime::now());
        let root = self.root_for(factors);
        self.copy_module(&root, label)?;
        let run_dir = root.join(&self.rel_dir);
        // Holds the --cold GOCACHE until the build is over.
        let env = self.build_env(factors, &run_dir, label)?;
        let output = self.tree.path().join("output.txt");
        let (status, ended) = self.run_command(command, &run_dir, &env.full, &output, label)?;
        let code = exit_code(status);
        let invocations = self.take_invocations(label)?;
        let log = concat_logs(&invocations);
        ran_go(command, &invocations, code, &output, label)?;
        let failed_go = invocations.iter().find(|i| i.exit_status != 0);
        let success = code == 0 && failed_go.is_none() && !invocations.is_empty();
        let info = SideInfo {
            label: label.to_string(),
            source: match command {
                BuildCommand::Go { .. } => "live".into(),
                BuildCommand::Shell(_) => "command".into(),
            },
            go_version: env
                .go_env
                .get("GOVERSION")
                .filter(|v| !v.is_empty())
                .cloned(),
            go_binary: Some(self.go.display().to_string()),
            dir: Some(run_dir.display().to_string()),
            go_env: env.go_env,
            env_overrides: env.overrides,
            args: side_args(command, &invocations),
            host: Some(crate::go::side::hostname()),
            time: Some(time),
            exit_status: Some(if code == 0 {
                failed_go.map_or(0, |i| i.exit_status)
            } else {
                code
            }),
            error_tail: if success {
                Vec::new()
            } else {
                error_tail(failed_go, &output)
            },
            mode: side_mode(&invocations),
        };
        Ok(Built {
            run: SideRun {
                info,
                stderr: log,
                success,
                elapsed: started.elapsed(),
            },
            ended,
            invocations: invocations.len(),
            removed_vars: env.removed,
        })
    }

    /// Puts a fresh copy of the module at `root`, removing what an earlier build left there.
    fn copy_module(&self, root: &Path, label: &str) -> Result<(), Error> {
        if root.exists() {
            crate::go::tree::remove_tree(root)
                .map_err(build_io(label, format!("cannot remove {}", root.display())))?;
        }
        copy_tree(&self.module_root, root).map_err(build_io(
            label,
            format!(
                "cannot copy {} to {}",
                self.module_root.display(),
                root.display()
            ),
        ))
    }

    /// The environment of a build that varies `factors`, run in `run_dir`: the plan's, a
    /// module proxy when the module cache moved, the shared (or --cold, an empty) GOCACHE, and
    /// the go shim's variables. The first call (the reference build) records the reference's
    /// `go env`.
    fn build_env(
        &mut self,
        factors: &[Factor],
        run_dir: &Path,
        label: &str,
    ) -> Result<BuildEnv, Error> {
        let mut env = self.plan.env(factors);
        let mut go_env = query_go_env(&self.go, run_dir, &env, label)?;
        let reference = self.reference_env.get_or_insert_with(|| go_env.clone());
        add_module_proxy(reference, &go_env, &mut env);
        // The cache's place is in no key: every build uses the reference's (warm) one, so real
        // builds do not start from an empty cache; or, --cold, an empty one of its own.
        let cold_cache = if self.cold {
            Some(
                TempTree::new("whymiss-gocache-")
                    .map_err(build_io(label, "cannot create an empty GOCACHE".into()))?,
            )
        } else {
            None
        };
        let cache = match &cold_cache {
            Some(tree) => Some(tree.path().display().to_string()),
            None => reference.get("GOCACHE").filter(|c| !c.is_empty()).cloned(),
        };
        if let Some(cache) = cache {
            env.insert("GOCACHE".into(), cache.clone().into());
            // As the build sees it (the query ran before it was set).
            go_env.insert("GOCACHE".into(), cache);
        }
        for p in [&self.plan.values.home, &self.plan.values.tmpdir] {
            std::fs::create_dir_all(p)
                .map_err(build_io(label, format!("cannot create {}", p.display())))?;
        }
        let (mut overrides, removed) = overrides(&self.plan.reference, &env);
        if factors.is_empty() {
            overrides.extend(reference_values(&self.plan.reference));
        }
        Ok(BuildEnv {
            full: self.with_shim(env, run_dir),
            go_env,
            overrides,
            removed,
            _cold_cache: cold_cache,
        })
    }

    /// `env` with the go shim's variables (its directory first on PATH) and `PWD`.
    fn with_shim(&self, mut env: Env, run_dir: &Path) -> Env {
        let path = env.get(&OsString::from("PATH")).cloned();
        for (k, v) in self
            .shim
            .env(&self.go, path.as_deref(), self.mode, self.dry_cache.path())
        {
            env.insert(k.into(), v);
        }
        env.insert("PWD".into(), run_dir.to_path_buf().into_os_string());
        env
    }

    /// Runs `command` in `run_dir` with exactly `env`, its output to `output`, drawing its
    /// progress line until it exits: its exit status and when it exited. A signal kills it.
    fn run_command(
        &self,
        command: &BuildCommand,
        run_dir: &Path,
        env: &Env,
        output: &Path,
        label: &str,
    ) -> Result<(ExitStatus, SystemTime), Error> {
        let output_file = std::fs::File::create(output).map_err(build_io(
            label,
            "cannot create the build's output file".into(),
        ))?;
        let output_err = output_file.try_clone().map_err(build_io(
            label,
            "cannot create the build's output file".into(),
        ))?;
        let (program, args) = self.program_and_args(command);
        let expression = duct::cmd(&program, &args)
            .dir(run_dir)
            .full_env(env)
            .stdin_null()
            .stdout_file(output_file)
            .stderr_file(output_err)
            .unchecked()
            .before_spawn(|c| {
                use std::os::unix::process::CommandExt as _;
                c.process_group(0);
                Ok(())
            });
        let progress_line = SideProgress::new(label);
        let mut progress = Progress::start(self.progress);
        let never = std::sync::atomic::AtomicBool::new(false);
        let spawn_err = |source| Error::Spawn {
            side: label.to_string(),
            program: PathBuf::from(&program),
            source,
        };
        let Some((handle, group)) =
            signals::start_registered(&expression, &never).map_err(spawn_err)?
        else {
            return Err(interrupted());
        };
        drop(expression);
        progress_line.set_phase(Phase::Running);
        let Some(status) = wait_drawing(&handle, group, &progress_line, &mut progress) else {
            return Err(interrupted());
        };
        signals::unregister_group(group);
        let status = status.map_err(spawn_err)?;
        let ended = SystemTime::now();
        progress_line.set_phase(if status.success() {
            Phase::Done
        } else {
            Phase::Failed
        });
        drop(progress);
        if signals::interrupted().is_some() {
            return Err(interrupted());
        }
        Ok((status, ended))
    }

    /// The program and arguments of `command`: `go build|test ARGS` through the shim, or
    /// `sh -c LINE`.
    fn program_and_args(&self, command: &BuildCommand) -> (OsString, Vec<OsString>) {
        // An OsString, not a Path: duct resolves a relative Path against the child's directory,
        // and `sh` must be found on PATH.
        match command {
            BuildCommand::Go { test, args } => (
                self.shim.go().into_os_string(),
                std::iter::once(OsString::from(if *test { "test" } else { "build" }))
                    .chain(args.iter().map(OsString::from))
                    .collect(),
            ),
            BuildCommand::Shell(line) => ("sh".into(), vec!["-c".into(), line.into()]),
        }
    }

    /// The go commands the build ran, as the shim noted them; the shim's log is cleared for
    /// the next build.
    fn take_invocations(&self, label: &str) -> Result<Vec<ShimInvocation>, Error> {
        let invocations = self.shim.invocations().map_err(build_io(
            label,
            "cannot read what the go commands noted".into(),
        ))?;
        self.shim
            .clear()
            .map_err(build_io(label, "cannot clear the go shim's log".into()))?;
        Ok(invocations)
    }
}

/// A build's environment, as `Session::build_env` makes it.
struct BuildEnv {
    /// Everything the build runs with, the shim's variables and `PWD` included.
    full: Env,
    /// `go env` as the build sees it.
    go_env: BTreeMap<String, String>,
    /// The variables that differ from the reference environment (all varied ones for the
    /// reference build itself).
    overrides: BTreeMap<String, String>,
    /// How many variables of the reference environment it does not have.
    removed: usize,
    /// The empty GOCACHE of a --cold build, removed when this is dropped.
    _cold_cache: Option<TempTree>,
}

/// The error for an I/O failure of build `label`: the interruption when a signal came (the
/// failure is its consequence), else `context` with the failure.
fn build_io(label: &str, context: String) -> impl FnOnce(std::io::Error) -> Error {
    let label = label.to_string();
    move |source| match signals::interrupted() {
        Some(signal) => Error::Interrupted { signal },
        None => Error::SideIo {
            side: label,
            context,
            source,
        },
    }
}

/// Adds a module proxy over the reference's module cache to `env` when the build's module
/// cache (`go_env`) is elsewhere.
fn add_module_proxy(
    reference: &BTreeMap<String, String>,
    go_env: &BTreeMap<String, String>,
    env: &mut Env,
) {
    // A build whose HOME (or environment) moved the module cache fills it from the
    // reference's, as a CI runner fills its own from a proxy.
    let modcache = |e: &BTreeMap<String, String>| e.get("GOMODCACHE").cloned();
    if let Some(theirs) = modcache(reference)
        && modcache(go_env) != Some(theirs.clone())
        && !theirs.is_empty()
    {
        for (k, v) in module_proxy(Path::new(&theirs)) {
            env.insert(k.into(), v.into());
        }
    }
}

/// Waits for the build's process, drawing progress every tick: its exit status (or the
/// failure to wait), or `None` when a signal came (the process group is killed).
fn wait_drawing(
    handle: &duct::Handle,
    group: i32,
    progress_line: &SideProgress,
    progress: &mut Option<Progress>,
) -> Option<std::io::Result<ExitStatus>> {
    loop {
        match handle.try_wait() {
            Ok(Some(out)) => return Some(Ok(out.status)),
            Ok(None) => {}
            Err(e) => return Some(Err(e)),
        }
        if signals::interrupted().is_some() {
            let _ = handle.kill();
            signals::unregister_group(group);
            return None;
        }
        if let Some(p) = progress {
            p.draw(&[progress_line]);
        }
        std::thread::sleep(TICK.min(Duration::from_millis(50)));
    }
}

/// The exit code of a build's command; a signal `n` shows as 128 + n.
fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(-1)
}

/// A shell command that ran no go command (exit status `code`, output in `output`) is an
/// error: there is no log to compare.
fn ran_go(
    command: &BuildCommand,
    invocations: &[ShimInvocation],
    code: i32,
    output: &Path,
    label: &str,
) -> Result<(), Error> {
    if invocations.is_empty() && matches!(command, BuildCommand::Shell(_)) {
        let printed = std::fs::read(output).unwrap_or_default();
        return Err(Error::NoGoCommand {
            side: label.to_string(),
            command: command.display(),
            status: code,
            tail: crate::go::run::error_tail(&printed, &[]),
        });
    }
    Ok(())
}

/// The logs of the go commands, in the order they started, as one log.
fn concat_logs(invocations: &[ShimInvocation]) -> Vec<u8> {
    let mut log = Vec::new();
    for inv in invocations {
        log.extend_from_slice(&inv.log);
        if !inv.log.is_empty() && !inv.log.ends_with(b"\n") {
            log.push(b'\n');
        }
    }
    log
}

/// The last lines of a failed build's errors: those of the go command that failed, else of
/// what the command printed (`output`).
fn error_tail(failed_go: Option<&ShimInvocation>, output: &Path) -> Vec<String> {
    match failed_go {
        Some(inv) if !inv.error_tail.is_empty() => inv.error_tail.clone(),
        _ => {
            let printed = std::fs::read(output).unwrap_or_default();
            crate::go::run::error_tail(&printed, &[])
        }
    }
}

/// The arguments a side shows: those the first go command ran with, or the shell command.
fn side_args(command: &BuildCommand, invocations: &[ShimInvocation]) -> Vec<String> {
    match command {
        BuildCommand::Go { .. } => invocations
            .first()
            .map(|i| i.ran.clone())
            .unwrap_or_default(),
        BuildCommand::Shell(line) => vec![line.clone()],
    }
}

/// Every go command dry, or every one real; a script mixing both (go build and go test)
/// leaves it to the comparison to tell from the log.
fn side_mode(invocations: &[ShimInvocation]) -> Option<Mode> {
    match invocations.first().map(|i| i.mode) {
        Some(first) if invocations.iter().all(|i| i.mode == first) => Some(first),
        _ => None,
    }
}

fn interrupted() -> Error {
    Error::Interrupted {
        signal: signals::interrupted().unwrap_or(signal_hook::consts::SIGINT),
    }
}

/// `go env -json` of the variables whymiss records, in `dir` with exactly `env`.
fn query_go_env(
    go: &Path,
    dir: &Path,
    env: &Env,
    label: &str,
) -> Result<BTreeMap<String, String>, Error> {
    let mut full = env.clone();
    full.insert("PWD".into(), dir.as_os_str().to_owned());
    if full
        .get(&OsString::from("GOTOOLCHAIN"))
        .is_none_or(|v| v.is_empty())
    {
        full.insert("GOTOOLCHAIN".into(), "local".into());
    }
    let expression = duct::cmd(
        go,
        std::iter::once("env")
            .chain(std::iter::once("-json"))
            .chain(GO_ENV_VARS.iter().copied()),
    )
    .dir(dir)
    .full_env(&full)
    .stdin_null()
    .stdout_capture()
    .stderr_capture()
    .unchecked()
    .before_spawn(|c| {
        use std::os::unix::process::CommandExt as _;
        c.process_group(0);
        Ok(())
    });
    let out = match signals::run_registered(&expression) {
        Ok(Some(out)) => out,
        Ok(None) => return Err(interrupted()),
        Err(source) => {
            return Err(Error::Spawn {
                side: label.to_string(),
                program: go.to_path_buf(),
                source,
            });
        }
    };
    if !out.status.success() {
        return Err(Error::GoQuery {
            side: label.to_string(),
            command: format!("{} env -json …", go.display()),
            message: crate::go::side::last_line(&out.stderr),
        });
    }
    serde_json::from_slice(&out.stdout).map_err(|e| Error::GoQuery {
        side: label.to_string(),
        command: format!("{} env -json …", go.display()),
        message: e.to_string(),
    })
}
