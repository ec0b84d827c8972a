//! A live line per side on standard error while go runs: a spinner, the side's label, how many
//! build and link actions go has hashed so far, and the elapsed time. Drawn only when standard
//! error is a terminal and the user did not ask for quiet; cleared when the run ends, so the
//! report that follows starts on a clean screen.

use std::io::{IsTerminal as _, Write};
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Whether to draw progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProgressMode {
    /// When standard error is a terminal.
    #[default]
    Auto,
    /// Never (`--quiet`, or a caller that draws its own).
    Hidden,
}

impl ProgressMode {
    /// `Hidden` when `quiet`, else `Auto`.
    pub fn from_quiet(quiet: bool) -> ProgressMode {
        if quiet {
            ProgressMode::Hidden
        } else {
            ProgressMode::Auto
        }
    }
}

/// How often the lines are redrawn.
pub(crate) const TICK: Duration = Duration::from_millis(100);

const SPINNER: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Where a side is; shared between its worker thread and the drawing thread.
#[derive(Debug)]
pub(crate) struct SideProgress {
    label: String,
    started: Instant,
    phase: AtomicU8,
    actions: AtomicU64,
    finished_ms: AtomicU64,
}

/// The phases of a side, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Phase {
    /// Asking go about the side, copying the module.
    Preparing = 0,
    /// go build / go test is running.
    Running = 1,
    /// go exited 0.
    Done = 2,
    /// go exited non-zero, or the side could not be prepared.
    Failed = 3,
}

impl SideProgress {
    /// A side that starts now.
    pub(crate) fn new(label: &str) -> SideProgress {
        SideProgress {
            label: label.to_owned(),
            started: Instant::now(),
            phase: AtomicU8::new(Phase::Preparing as u8),
            actions: AtomicU64::new(0),
            finished_ms: AtomicU64::new(0),
        }
    }

    /// Moves to `phase`; the clock stops at `Done` or `Failed`.
    pub(crate) fn set_phase(&self, phase: Phase) {
        if matches!(phase, Phase::Done | Phase::Failed) {
            let ms = self.started.elapsed().as_millis() as u64;
            self.finished_ms.store(ms.max(1), Ordering::SeqCst);
        }
        self.phase.store(phase as u8, Ordering::SeqCst);
    }

    /// The current phase.
    pub(crate) fn phase(&self) -> Phase {
        match self.phase.load(Ordering::SeqCst) {
            0 => Phase::Preparing,
            1 => Phase::Running,
            2 => Phase::Done,
            _ => Phase::Failed,
        }
    }

    /// Adds build/link actions seen in the stream.
    pub(crate) fn add_actions(&self, n: u64) {
        self.actions.fetch_add(n, Ordering::Relaxed);
    }

    /// Build and link actions seen so far.
    pub(crate) fn actions(&self) -> u64 {
        self.actions.load(Ordering::Relaxed)
    }

    fn elapsed(&self) -> Duration {
        match self.finished_ms.load(Ordering::SeqCst) {
            0 => self.started.elapsed(),
            ms => Duration::from_millis(ms),
        }
    }

    /// One status line, e.g. `⠹ A  running  42 actions  3.1s`, the label padded to `width`.
    pub(crate) fn line(&self, tick: usize, width: usize) -> String {
        let (mark, what) = match self.phase() {
            Phase::Preparing => (SPINNER[tick % SPINNER.len()], "preparing"),
            Phase::Running => (SPINNER[tick % SPINNER.len()], "running"),
            Phase::Done => ('✓', "done"),
            Phase::Failed => ('✗', "failed"),
        };
        let n = self.actions();
        format!(
            "{mark} {:width$}  {what}  {n} action{}  {:.1}s",
            self.label,
            if n == 1 { "" } else { "s" },
            self.elapsed().as_secs_f64()
        )
    }
}

/// Counts the `HASH[build …]` and `HASH[link …]` open lines in complete lines of go's stderr.
pub(crate) fn count_actions(lines: &[u8]) -> u64 {
    lines
        .split(|&b| b == b'\n')
        .filter(|l| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            (l.starts_with(b"HASH[build ") || l.starts_with(b"HASH[link "))
                && l.ends_with(b"]")
                && memchr::memmem::find(l, b"]: ").is_none()
        })
        .count() as u64
}

/// The drawing side: redraws all lines in place on each [`Progress::draw`].
#[derive(Debug)]
pub(crate) struct Progress {
    lines_drawn: usize,
    tick: usize,
}

impl Progress {
    /// `Some` when progress should be drawn: `Auto` and standard error is a terminal.
    pub(crate) fn start(mode: ProgressMode) -> Option<Progress> {
        (mode == ProgressMode::Auto && std::io::stderr().is_terminal()).then_some(Progress {
            lines_drawn: 0,
            tick: 0,
        })
    }

    /// Redraws one line per side.
    pub(crate) fn draw(&mut self, sides: &[&SideProgress]) {
        let width = sides
            .iter()
            .map(|s| s.label.chars().count())
            .max()
            .unwrap_or(0);
        let mut buf = String::new();
        self.move_to_top(&mut buf);
        for (i, side) in sides.iter().enumerate() {
            if i > 0 {
                buf.push('\n');
            }
            buf.push_str("\r\x1b[2K");
            buf.push_str(&side.line(self.tick, width));
        }
        self.lines_drawn = sides.len();
        self.tick += 1;
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(buf.as_bytes());
        let _ = err.flush();
    }

    /// Erases the lines, leaving the cursor where the first one was.
    pub(crate) fn clear(&mut self) {
        if self.lines_drawn == 0 {
            return;
        }
        let mut buf = String::new();
        self.move_to_top(&mut buf);
        for i in 0..self.lines_drawn {
            if i > 0 {
                buf.push('\n');
            }
            buf.push_str("\r\x1b[2K");
        }
        self.move_to_top(&mut buf);
        self.lines_drawn = 0;
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(buf.as_bytes());
        let _ = err.flush();
    }

    fn move_to_top(&self, buf: &mut String) {
        if self.lines_drawn > 1 {
            buf.push_str(&format!("\x1b[{}A", self.lines_drawn - 1));
        }
        buf.push('\r');
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_build_and_link_open_lines() {
        let log = b"HASH[build example.com/a]\n\
            HASH[build example.com/a]: \"go1.27.3\"\n\
            HASH[link example.com/a]\r\n\
            HASH[moduleIndex]\n\
            HASH[build internal/abi]\n\
            HASH[vet example.com/a]\n\
            HASH[build a]: 0123\n";
        assert_eq!(count_actions(log), 3);
    }

    #[test]
    fn a_line_shows_label_count_and_time() {
        let side = SideProgress::new("B");
        side.add_actions(1);
        let line = side.line(0, 3);
        assert!(line.starts_with("⠋ B    preparing  1 action  0."), "{line}");
        side.set_phase(Phase::Running);
        side.add_actions(41);
        assert!(side.line(2, 1).starts_with("⠹ B  running  42 actions  "));
        side.set_phase(Phase::Failed);
        assert!(side.line(3, 1).starts_with("✗ B  failed  42 actions  "));
    }

    #[test]
    fn hidden_never_draws() {
        assert!(Progress::start(ProgressMode::Hidden).is_none());
        assert_eq!(ProgressMode::from_quiet(true), ProgressMode::Hidden);
        assert_eq!(ProgressMode::from_quiet(false), ProgressMode::Auto);
    }
}
