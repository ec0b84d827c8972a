//! Ctrl-C (SIGINT), SIGTERM, SIGHUP (the terminal closed) and SIGQUIT while go runs: stop every
//! go process tree whymiss started and remove every temporary directory it made, so an
//! interrupted run leaves nothing behind. (After SIGKILL nothing can run; the next run removes
//! what was left, see [`super::workspace::sweep_stale`].)
//!
//! Each go command, builds and queries (`go env`) alike, runs in its own process group (see
//! [`super::invocation`]), so a terminal's Ctrl-C reaches only whymiss; the handler then forwards
//! the signal to each registered group, as if it were in the foreground (go removes its `$WORK`
//! on SIGINT; SIGTERM is forwarded as it is, the others as SIGINT), waits up to [`GRACE`], and
//! sends SIGKILL to what is left. The state it needs lives in one global [`Registry`] behind a
//! mutex: process groups of running go commands, temporary directories, and how many runs are
//! in flight.
//!
//! * While a run is in flight ([`Session`]), the handler cleans up in the background and the run
//!   returns [`crate::Error::Interrupted`]; the process should exit with 128 + signal (130 for
//!   Ctrl-C). If the run has not returned [`FORCE_EXIT_AFTER`] later, the handler exits itself.
//! * With no run in flight, or on a second signal, the handler cleans up at once and exits with
//!   128 + signal.
//!
//! For tests across a process boundary, set `WHYMISS_DEBUG_REGISTRY=<file>`: every change to the
//! registry is appended to that file as a line (`+group 1234`, `-group 1234` for builds,
//! `+query 1234`, `-query 1234` for `go env`, `+dir /tmp/…`, `-dir /tmp/…`, `signal 2`,
//! `cleaned`), so a test can wait for the groups to appear, send SIGINT, and check that each
//! group and each directory is gone.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

/// How long go gets to stop after the forwarded signal before SIGKILL.
pub const GRACE: Duration = Duration::from_secs(1);

/// How long an interrupted run may take to return before the handler exits the process itself.
pub const FORCE_EXIT_AFTER: Duration = Duration::from_secs(10);

/// The environment variable naming a file that receives every registry change (for tests).
pub const DEBUG_LOG_VAR: &str = "WHYMISS_DEBUG_REGISTRY";

/// What the signal handler would clean up right now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    /// Process groups (= the go command's pid) of running go commands.
    pub groups: Vec<i32>,
    /// Temporary directories: relocated copies, cold caches, go work directories.
    pub dirs: Vec<PathBuf>,
    /// Runs in flight.
    pub sessions: usize,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    groups: Vec::new(),
    dirs: Vec::new(),
    sessions: 0,
});

/// The signal that interrupted this process, 0 if none.
static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

fn registry() -> MutexGuard<'static, Registry> {
    // A panic while holding the lock leaves plain data behind; keep cleaning up.
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// The signals that stop a run and clean up.
pub const HANDLED: [i32; 4] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT];

/// `SIGINT` for 2, and so on for the [`HANDLED`] signals.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        SIGQUIT => "SIGQUIT",
        _ => "a signal",
    }
}

/// Installs the handler for the [`HANDLED`] signals; later calls do nothing.
pub fn install() -> std::io::Result<()> {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    let result = INSTALLED.get_or_init(|| {
        let mut signals =
            signal_hook::iterator::Signals::new(HANDLED).map_err(|e| e.to_string())?;
        std::thread::Builder::new()
            .name("whymiss-signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    on_signal(signal);
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(())
    });
    result.clone().map_err(std::io::Error::other)
}

/// The signal (one of [`HANDLED`]) that arrived since the handler was installed, if any.
pub fn interrupted() -> Option<i32> {
    match INTERRUPTED.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// A copy of what the handler would clean up now.
pub fn snapshot() -> Registry {
    registry().clone()
}

fn on_signal(signal: i32) {
    let first = INTERRUPTED
        .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
        .is_ok();
    debug_log(&format!("signal {signal}"));
    let sessions = registry().sessions;
    if !first || sessions == 0 {
        // Nobody will clean up in order, or the user insists: do it now.
        let groups = registry().groups.clone();
        for group in groups {
            send(group, Signal::KILL);
        }
        remove_registered_dirs();
        exit(signal);
    }
    // Keep this thread free to see a second signal.
    std::thread::spawn(move || {
        let groups = registry().groups.clone();
        terminate_groups(&groups, forwarded(signal), GRACE);
        remove_registered_dirs();
        debug_log("cleaned");
        std::thread::sleep(FORCE_EXIT_AFTER);
        exit(signal);
    });
}

fn exit(signal: i32) -> ! {
    std::process::exit(128 + signal)
}

fn forwarded(signal: i32) -> Signal {
    if signal == SIGTERM {
        Signal::TERM
    } else {
        Signal::INT
    }
}

fn remove_registered_dirs() {
    let dirs = registry().dirs.clone();
    for dir in dirs {
        let _ = super::tree::remove_tree(&dir);
    }
}

/// Sends `first` to each process group, waits up to `grace` for the groups to empty, then sends
/// SIGKILL to the rest.
pub fn terminate_groups(groups: &[i32], first: Signal, grace: Duration) {
    for &group in groups {
        send(group, first);
    }
    let deadline = Instant::now() + grace;
    loop {
        let alive: Vec<i32> = groups.iter().copied().filter(|&g| group_alive(g)).collect();
        if alive.is_empty() {
            return;
        }
        if Instant::now() >= deadline {
            for group in alive {
                send(group, Signal::KILL);
            }
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn send(group: i32, signal: Signal) {
    if let Some(pid) = Pid::from_raw(group) {
        let _ = rustix::process::kill_process_group(pid, signal);
    }
}

/// Whether any process (zombies included) is still in the group.
pub fn group_alive(group: i32) -> bool {
    Pid::from_raw(group).is_some_and(|pid| rustix::process::test_kill_process_group(pid).is_ok())
}

/// Starts a go command and registers its process group, unless the process was interrupted or
/// `cancel` is set (then `Ok(None)`). The lock is held across the spawn, so a signal cannot slip
/// in between the spawn and the registration.
pub fn start_registered(
    expression: &duct::Expression,
    cancel: &AtomicBool,
) -> std::io::Result<Option<(duct::Handle, i32)>> {
    start_as(expression, cancel, "group")
}

/// [`start_registered`], logging the group as `+<word> <pid>` (`group` for builds, `query`
/// for `go env`).
fn start_as(
    expression: &duct::Expression,
    cancel: &AtomicBool,
    word: &str,
) -> std::io::Result<Option<(duct::Handle, i32)>> {
    let mut reg = registry();
    if interrupted().is_some() || cancel.load(Ordering::SeqCst) {
        return Ok(None);
    }
    let handle = expression.start()?;
    let group = handle.pids().first().map_or(0, |&pid| pid as i32);
    if group > 0 {
        reg.groups.push(group);
        debug_log(&format!("+{word} {group}"));
    }
    Ok(Some((handle, group)))
}

/// Runs a short go query (`go env`) to its end as a registered process group, so a signal
/// stops it like a build instead of leaving it behind. `Ok(None)` when the process was
/// interrupted (before or while it ran).
pub fn run_registered(
    expression: &duct::Expression,
) -> std::io::Result<Option<std::process::Output>> {
    static NEVER: AtomicBool = AtomicBool::new(false);
    let Some((handle, group)) = start_as(expression, &NEVER, "query")? else {
        return Ok(None);
    };
    let output = handle.into_output();
    forget_group(group, "query");
    if interrupted().is_some() {
        return Ok(None);
    }
    output.map(Some)
}

/// Forgets a process group once its leader has been reaped.
pub fn unregister_group(group: i32) {
    forget_group(group, "group");
}

fn forget_group(group: i32, word: &str) {
    let mut reg = registry();
    reg.groups.retain(|&g| g != group);
    debug_log(&format!("-{word} {group}"));
}

/// Registers a temporary directory for removal on a signal.
pub fn register_dir(dir: &Path) {
    let mut reg = registry();
    reg.dirs.push(dir.to_owned());
    debug_log(&format!("+dir {}", dir.display()));
}

/// Forgets a temporary directory (after it was removed).
pub fn unregister_dir(dir: &Path) {
    let mut reg = registry();
    reg.dirs.retain(|d| d != dir);
    debug_log(&format!("-dir {}", dir.display()));
}

/// A run in flight: while one exists, the handler leaves returning (and exiting) to the run.
#[derive(Debug)]
pub struct Session(());

impl Session {
    /// Marks a run as in flight until the guard is dropped.
    pub fn begin() -> Session {
        registry().sessions += 1;
        Session(())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let mut reg = registry();
        reg.sessions = reg.sessions.saturating_sub(1);
    }
}

fn debug_log(line: &str) {
    let Some(path) = std::env::var_os(DEBUG_LOG_VAR).filter(|p| !p.is_empty()) else {
        return;
    };
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{line}");
    }
}
