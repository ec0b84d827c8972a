//! Expected failures, each with a one-line lowercase message naming the file, line or side, and
//! an exit status (2, like diff(1) for trouble).

use std::path::PathBuf;

use crate::parse::ParseError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A log could not be read from disk.
    #[error("{}: {}", path.display(), io_message(source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A log was read but is not a gocachehash log, or is broken.
    #[error("{}:{}", path.display(), render_parse(source))]
    Parse { path: PathBuf, source: ParseError },
    /// A capture file's header is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Capture {
        path: PathBuf,
        line: u32,
        message: String,
    },
    /// Arguments that parse but cannot be acted on.
    #[error("{0}")]
    Usage(String),
    /// Writing the report failed (other than a closed pipe).
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
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
    /// Every expected failure is "trouble": exit status 2.
    pub fn exit_code(&self) -> i32 {
        2
    }
}
