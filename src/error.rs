//! Expected failures, each with a one-line lowercase message naming the file, line or side, and
//! an exit status (2, like diff(1) for trouble). Every part of a message that comes from input
//! (paths, labels, go's output, text from a log) is shown escaped ([`crate::report::escape`]),
//! so an error cannot carry a terminal escape sequence or break its line.

use std::path::PathBuf;

use crate::parse::ParseError;
use crate::report::Untrusted;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A log could not be read from disk.
    #[error("{}: {}", shown(path), esc(&io_message(source)))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A log was read but is not a gocachehash log, or is broken.
    #[error("{}:{}", shown(path), esc(&render_parse(source)))]
    Parse { path: PathBuf, source: ParseError },
    /// A capture file's header is malformed.
    #[error("{}:{line}: {}", shown(path), esc(message))]
    Capture {
        path: PathBuf,
        line: u32,
        message: String,
    },
    /// A policy file (`whymiss.toml`) is malformed.
    #[error("{}:{line}: {}", shown(path), esc(message))]
    Policy {
        path: PathBuf,
        line: u32,
        message: String,
    },
    /// Arguments that parse but cannot be acted on.
    #[error("{}", esc(.0))]
    Usage(String),
    /// The handler that stops go and removes temporary directories on Ctrl-C could not be
    /// installed, so whymiss does not start go.
    #[error("cannot install the handler for Ctrl-C (SIGINT) and SIGTERM: {}", io_message(.0))]
    SignalHandler(std::io::Error),
    /// Writing the report failed (other than a closed pipe).
    #[error("cannot write output: {}", esc(&.0.to_string()))]
    Output(std::io::Error),
    /// No usable go command: not on PATH, or the given path or version is not installed.
    #[error("{}{}", side.as_ref().map(|s| format!("side {}: ", esc(s))).unwrap_or_default(), esc(message))]
    GoNotFound {
        side: Option<String>,
        message: String,
    },
    /// The side's directory is not inside a Go module (`go env GOMOD` is empty or /dev/null).
    #[error(
        "side {}: not inside a Go module: {} (no go.mod found)",
        esc(side),
        shown(dir)
    )]
    NotInModule { side: String, dir: PathBuf },
    /// The go command could not be started.
    #[error("side {}: cannot run {}: {}", esc(side), shown(program), esc(&io_message(source)))]
    Spawn {
        side: String,
        program: PathBuf,
        source: std::io::Error,
    },
    /// A query the side needs (`go env`, `go list`) failed; `message` is go's last stderr line.
    #[error("side {}: `{}` failed: {}", esc(side), esc(command), esc(message))]
    GoQuery {
        side: String,
        command: String,
        message: String,
    },
    /// Preparing a side on disk failed (its directory, a relocated copy, a temporary cache).
    #[error("side {}: {}: {}", esc(side), esc(context), esc(&io_message(source)))]
    SideIo {
        side: String,
        context: String,
        source: std::io::Error,
    },
    /// A file could not be written (a capture, a report with `-o FILE`).
    #[error("{}: {}", shown(path), esc(&io_message(source)))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// SIGINT, SIGTERM, SIGHUP or SIGQUIT arrived while go was running; the children were killed
    /// and the temporary directories removed. The conventional exit status is 128 + `signal`
    /// (130 for Ctrl-C).
    #[error("interrupted by {}", crate::go::signals::signal_name(*signal))]
    Interrupted { signal: i32 },
    /// A side's build failed before it hashed anything, so there is nothing to compare.
    #[error("side {}: go {subcommand} failed (exit {status}) before hashing anything: {}", esc(side), esc(&tail.join(" / ")))]
    BuildFailed {
        side: String,
        subcommand: String,
        status: i32,
        tail: Vec<String>,
    },
    /// `whymiss check --cmd`: the build command ran no go command through whymiss's go shim.
    #[error("side {}: {}", esc(side), esc(&no_go_message(command, *status, tail)))]
    NoGoCommand {
        side: String,
        command: String,
        status: i32,
        tail: Vec<String>,
    },
    /// A command whymiss ran itself failed; it has said why on standard error.
    #[error("{what} failed (exit {status})")]
    Subprocess { what: String, status: i32 },
    /// A captured log pair is not what its `case.txt` expects (`whymiss capture-pairs`).
    #[error("pair {pair}: {message}")]
    PairCheck { pair: String, message: String },
    /// A side's build output is not a usable log.
    #[error("side {}: {}", esc(side), esc(&source.to_string()))]
    SideLog { side: String, source: ParseError },
    /// The history of recorded builds could not be opened, read or written.
    #[error("history {}: {}", shown(path), esc(message))]
    History { path: PathBuf, message: String },
    /// `whymiss why` or `history` asked for a record the history does not hold.
    #[error("{}", esc(.0))]
    NoRecord(String),
}

/// Input text for a message: escaped, never raw.
fn esc(text: &str) -> Untrusted<'_> {
    Untrusted(text)
}

/// A path for a message, escaped.
fn shown(path: &std::path::Path) -> String {
    crate::report::escape(&path.to_string_lossy()).into_owned()
}

/// `No such file or directory (os error 2)` → `no such file or directory`.
pub fn io_message(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

fn render_parse(e: &ParseError) -> String {
    match e.line {
        Some(line) => format!("{line}: {}", e.message),
        None => format!(" {}", e.message),
    }
}

impl Error {
    /// Trouble is exit status 2, like diff(1); an interrupt is 128 + the signal (130 for
    /// Ctrl-C), as shells expect.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Interrupted { signal } => 128 + signal,
            _ => 2,
        }
    }
}

/// Why a build command gave no log: it failed before running go, or ran none whymiss saw.
fn no_go_message(command: &str, status: i32, tail: &[String]) -> String {
    if status == 0 {
        format!(
            "`{command}` ran no go command: whymiss sees the go it finds first on PATH, not one \
             called by an absolute path"
        )
    } else {
        format!(
            "`{command}` failed (exit {status}) before running go: {}",
            tail.join(" / ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_handler_failure_is_trouble_not_a_usage_error() {
        let e = Error::SignalHandler(std::io::Error::from_raw_os_error(24));
        assert_eq!(
            e.to_string(),
            "cannot install the handler for Ctrl-C (SIGINT) and SIGTERM: too many open files"
        );
        assert_eq!(e.exit_code(), 2);
    }
}
