//! What the proxy records: one JSON line per event, appended to an events file.
//!
//! Each line is written with a single `write(2)` on a file opened with `O_APPEND`, so several
//! proxies (one per go process, e.g. the two go commands of a Makefile) can share one file
//! without tearing lines; every line names its proxy's `pid`, and the `start` line ties that
//! pid to the go process (`go_pid`) that started it.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::protocol::Cmd;

/// One line of the events file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The proxy started the cache program.
    Start {
        pid: u32,
        /// The go command that started the proxy (its parent).
        go_pid: u32,
        program: Vec<String>,
        unix_ms: u64,
    },
    /// The program's first message (ID 0): the commands it supports, and how long after its
    /// start it said so.
    Hello {
        pid: u32,
        known_commands: Vec<Cmd>,
        latency_us: u64,
    },
    /// One request and its answer.
    Request(RequestEvent),
    /// The program exited (after go closed the pipe, or on its own).
    End {
        pid: u32,
        /// The program's exit status (None: killed by a signal).
        status: Option<i32>,
        requests: u64,
        unix_ms: u64,
    },
}

/// What a request came to, as the go command reads the answer
/// (cmd/go/internal/cache/prog.go, `(*ProgCache).Get`, `Put`, `Close`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A get answered with a body (OutputID, Size, DiskPath).
    Hit,
    /// A get answered `Miss`.
    Miss,
    /// A put the program acknowledged with a DiskPath.
    Stored,
    /// The close was answered.
    Closed,
    /// The program answered `Err`, or an answer go rejects (a hit without DiskPath, a put
    /// without DiskPath, an OutputID that is not 32 bytes): go treats a failed get as a miss.
    Error,
    /// The program exited without answering.
    Unanswered,
    /// An answer to a command whymiss does not know (go sends only get, put and close).
    Answered,
}

/// One request: what go asked, what the program answered, how long it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestEvent {
    pub pid: u32,
    /// The request's ID (unique per go process).
    pub id: i64,
    pub command: Cmd,
    /// Hex of the cache key: a gocachehash action ID or subkey.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub action_id: Option<String>,
    /// Hex of the output ID: a put's (sent by go) or a get hit's (answered by the program).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub output_id: Option<String>,
    pub outcome: Outcome,
    /// Body bytes: a put's BodySize, a hit's Size.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub size: Option<i64>,
    /// From the request's arrival at the proxy to the end of its answer (a put's time includes
    /// relaying its body).
    pub latency_us: u64,
    /// The program's `Err`, or why go would reject the answer.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub err: Option<String>,
    /// A hit's `Time`: when the backend says the entry was stored.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stored_at: Option<String>,
}

/// The events file, shared by the proxy's threads.
#[derive(Debug)]
pub struct EventLog {
    path: PathBuf,
    file: Mutex<File>,
}

impl EventLog {
    /// Opens `path` for appending (created if missing).
    pub fn open(path: &Path) -> std::io::Result<EventLog> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(EventLog {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one event as one line, in one write.
    pub fn write(&self, event: &Event) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(event).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(&line)
    }
}

/// Reads an events file. A line that is not an event (a torn last line after a crash) is an
/// error naming the file and line.
pub fn read_events(path: &Path) -> std::io::Result<Vec<Event>> {
    let reader = BufReader::new(File::open(path)?);
    let mut events = Vec::new();
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        let event = serde_json::from_str(&line).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}:{}: not a cacheprog event: {e}", path.display(), n + 1),
            )
        })?;
        events.push(event);
    }
    Ok(events)
}

/// Lower-case hex of an ID, as gocachehash prints it.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from_digit((b >> 4) as u32, 16).unwrap_or('0'));
        s.push(char::from_digit((b & 15) as u32, 16).unwrap_or('0'));
    }
    s
}
