//! The transparent proxy: go ⇄ whymiss ⇄ the user's cache program.
//!
//! Two threads relay the two directions. Every byte is forwarded as it was read, so the
//! program sees exactly what go wrote and go sees exactly what the program wrote; the proxy
//! only reads along:
//! - go → program: each request is one JSON line (cmd/go/internal/cache/prog.go,
//!   `writeToChild`); a put with `BodySize > 0` is followed by one line of base64, streamed
//!   through in chunks, never held whole. The request is noted as pending before it is
//!   forwarded, so an answer cannot overtake it.
//! - program → go: answers are JSON values in any layout and any order (`readLoop` uses a
//!   `json.Decoder` and matches by ID); [`ValueScanner`] cuts them out of the byte stream, and
//!   each is matched to its pending request by ID and logged.
//!
//! Go may have several requests in flight (its builder runs `-p` actions at once): pending
//! requests are a map by ID, and an answer's latency is measured from its own request.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::event::{Event, EventLog, Outcome, RequestEvent, hex};
use super::protocol::{Cmd, Request, Response};
use super::scan::ValueScanner;

/// What stopped the proxy.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("cannot start the cache program {program:?}: {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("relaying to the cache program: {0}")]
    Io(#[from] std::io::Error),
}

/// Counts of one relay, for the caller and for tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelayStats {
    pub requests: u64,
    pub responses: u64,
    pub request_bytes: u64,
    pub response_bytes: u64,
    /// Events that could not be written (the relay goes on without them).
    pub lost_events: u64,
    /// The program's side ended while go's was still open: go is still waiting, and only this
    /// process exiting (closing its stdout) tells it.
    pub go_side_open: bool,
}

/// A request waiting for its answer.
struct Pending {
    start: Instant,
    command: Cmd,
    action_id: Option<Vec<u8>>,
    output_id: Option<Vec<u8>>,
    body_size: i64,
}

/// Starts `program` (argv) with piped stdin/stdout (stderr stays go's, as go arranges for its
/// own cache program), relays this process's stdin/stdout to it, and returns the program's
/// exit status (1 if a signal ended it).
pub fn run_proxy(program: &[String], log: &EventLog) -> Result<i32, ProxyError> {
    let (name, args) = program.split_first().ok_or_else(|| ProxyError::Spawn {
        program: String::new(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "no program given"),
    })?;
    let pid = std::process::id();
    // Events are best effort from here on: a full disk must not break the user's build.
    let _ = log.write(&Event::Start {
        pid,
        go_pid: std::os::unix::process::parent_id(),
        program: program.to_vec(),
        unix_ms: unix_ms(),
    });
    let mut child = Command::new(name)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|source| ProxyError::Spawn {
            program: name.clone(),
            source,
        })?;
    let child_in = child.stdin.take().expect("piped stdin");
    let child_out = child.stdout.take().expect("piped stdout");
    let relayed = relay(
        std::io::stdin(),
        std::io::stdout(),
        child_in,
        child_out,
        log,
    );
    let stats = match relayed {
        // go went away (killed, Ctrl-C): nothing left to relay, and nothing worth a message.
        Err(ProxyError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            RelayStats::default()
        }
        other => other?,
    };
    // A program that closed its stdout but lives on would hold go (and us) forever: go is told
    // only by this process's exit, so don't wait for the program then.
    let status = if stats.go_side_open {
        child.try_wait()?
    } else {
        Some(child.wait()?)
    };
    let Some(status) = status else {
        let _ = log.write(&Event::End {
            pid,
            status: None,
            requests: stats.requests,
            unix_ms: unix_ms(),
        });
        return Ok(1);
    };
    // The end line is best effort: the relay itself already succeeded.
    let _ = log.write(&Event::End {
        pid,
        status: status.code(),
        requests: stats.requests,
        unix_ms: unix_ms(),
    });
    Ok(status.code().unwrap_or(1))
}

/// Relays requests from `go_in` to `child_in` and answers from `child_out` to `go_out`,
/// logging one event per request, until the program's side ends. Closing `child_in` when go's
/// side ends is what tells the program to exit (cmd/go closes the program's stdin after
/// "close").
///
/// When the program's side ends first (it exited or crashed while go still talks), the relay
/// does not wait for go: go only notices once this process exits and closes its stdout, so the
/// caller must then exit. Requests still pending are logged as [`Outcome::Unanswered`].
pub fn relay<GI, GO, CI, CO>(
    go_in: GI,
    go_out: GO,
    child_in: CI,
    child_out: CO,
    log: &EventLog,
) -> Result<RelayStats, ProxyError>
where
    GI: Read + Send + 'static,
    GO: Write,
    CI: Write + Send + 'static,
    CO: Read,
{
    let pending: Arc<Mutex<HashMap<i64, Pending>>> = Arc::default();
    let counts: Arc<[AtomicU64; 2]> = Arc::default();
    let started = Instant::now();
    let pid = std::process::id();
    let up = {
        let (pending, counts) = (Arc::clone(&pending), Arc::clone(&counts));
        std::thread::Builder::new()
            .name("cacheprog-requests".into())
            .spawn(move || relay_requests(go_in, child_in, &pending, &counts))?
    };
    let down = relay_responses(child_out, go_out, &pending, log, pid, started);
    // Normally go has closed its side by now (after "close"), or the request thread is about to
    // notice; if it stays open, the program went first.
    let deadline = Instant::now() + std::time::Duration::from_millis(200);
    while !up.is_finished() && Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let go_side_open = !up.is_finished();
    if !go_side_open {
        match up.join().expect("request relay thread") {
            // The program closed its stdin early: the answers side says what happened.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        }
    }
    let mut stats = down?;
    stats.go_side_open = go_side_open;
    stats.requests = counts[0].load(Ordering::Relaxed);
    stats.request_bytes = counts[1].load(Ordering::Relaxed);
    let mut left: Vec<(i64, Pending)> = pending
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .drain()
        .collect();
    left.sort_by_key(|(id, _)| *id);
    for (id, p) in left {
        let event = request_event(pid, id, &p, Outcome::Unanswered, None, None);
        if log.write(&Event::Request(event)).is_err() {
            stats.lost_events += 1;
        }
    }
    Ok(stats)
}

/// go → program. Returns the number of requests and bytes relayed.
fn relay_requests<GI: Read, CI: Write>(
    go_in: GI,
    child_in: CI,
    pending: &Mutex<HashMap<i64, Pending>>,
    counts: &[AtomicU64; 2],
) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(64 * 1024, go_in);
    let mut writer = BufWriter::with_capacity(64 * 1024, child_in);
    let mut line = Vec::with_capacity(512);
    let [requests, bytes] = counts;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        bytes.fetch_add(line.len() as u64, Ordering::Relaxed);
        // A line go wrote is a request; one the proxy cannot read is still forwarded (the
        // program will answer or fail as it would without the proxy).
        let request = Request::parse(&line).ok();
        if let Some(req) = &request {
            requests.fetch_add(1, Ordering::Relaxed);
            let waiting = Pending {
                start: Instant::now(),
                command: req.command.clone().unwrap_or(Cmd::Other(String::new())),
                action_id: req.action_id.clone(),
                output_id: req.output().map(<[u8]>::to_vec),
                body_size: req.body_size,
            };
            pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(req.id, waiting);
        }
        writer.write_all(&line)?;
        if request.as_ref().is_some_and(Request::has_body) {
            let body = copy_line(&mut reader, &mut writer)?;
            bytes.fetch_add(body, Ordering::Relaxed);
        }
        // Hold bytes back only while more input is already here: go waits for the answer.
        if reader.buffer().is_empty() {
            writer.flush()?;
        }
    }
    writer.flush()
}

/// Copies bytes up to and including the next newline, in chunks as they arrive.
fn copy_line<R: BufRead, W: Write>(reader: &mut R, writer: &mut W) -> std::io::Result<u64> {
    let mut copied = 0u64;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(copied); // go went away in the middle of a body
        }
        let (len, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        writer.write_all(&chunk[..len])?;
        reader.consume(len);
        copied += len as u64;
        if done {
            return Ok(copied);
        }
    }
}

/// program → go. Forwards every chunk as read, then logs the answers completed by it.
fn relay_responses<CO: Read, GO: Write>(
    child_out: CO,
    mut go_out: GO,
    pending: &Mutex<HashMap<i64, Pending>>,
    log: &EventLog,
    pid: u32,
    started: Instant,
) -> Result<RelayStats, ProxyError> {
    let mut child_out = child_out;
    let mut scanner = ValueScanner::new();
    let mut stats = RelayStats::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut answers: Vec<Vec<u8>> = Vec::new();
    loop {
        let n = match child_out.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        let chunk = &buf[..n];
        stats.response_bytes += n as u64;
        // Forward first: go is waiting; the log can wait.
        go_out.write_all(chunk)?;
        go_out.flush()?;
        scanner.feed(chunk, |value| answers.push(value.to_vec()));
        for value in answers.drain(..) {
            stats.responses += 1;
            if let Some(event) = answer_event(&value, pending, pid, started)
                && log.write(&event).is_err()
            {
                stats.lost_events += 1;
            }
        }
    }
    scanner.end(|value| answers.push(value.to_vec()));
    for value in answers.drain(..) {
        stats.responses += 1;
        if let Some(event) = answer_event(&value, pending, pid, started)
            && log.write(&event).is_err()
        {
            stats.lost_events += 1;
        }
    }
    Ok(stats)
}

/// The event for one answer from the program.
fn answer_event(
    value: &[u8],
    pending: &Mutex<HashMap<i64, Pending>>,
    pid: u32,
    started: Instant,
) -> Option<Event> {
    let response = match Response::parse(value) {
        Ok(r) => r,
        Err(e) => {
            // Go fails on this too ("error reading JSON from GOCACHEPROG"); say what it was.
            return Some(Event::Request(RequestEvent {
                pid,
                id: -1,
                command: Cmd::Other(String::new()),
                action_id: None,
                output_id: None,
                outcome: Outcome::Error,
                size: None,
                latency_us: 0,
                err: Some(format!("unreadable answer: {e}")),
                stored_at: None,
            }));
        }
    };
    let waiting = pending
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&response.id);
    let Some(p) = waiting else {
        if response.id == 0 {
            return Some(Event::Hello {
                pid,
                known_commands: response.known_commands.unwrap_or_default(),
                latency_us: micros(started),
            });
        }
        // Go exits on this ("GOCACHEPROG sent response for unknown request ID").
        return Some(Event::Request(RequestEvent {
            pid,
            id: response.id,
            command: Cmd::Other(String::new()),
            action_id: None,
            output_id: None,
            outcome: Outcome::Error,
            size: None,
            latency_us: 0,
            err: Some("answer to a request go did not send".into()),
            stored_at: None,
        }));
    };
    let (outcome, err) = judge(&p.command, &response);
    let mut event = request_event(pid, response.id, &p, outcome, err, response.time.clone());
    if p.command == Cmd::Get && outcome == Outcome::Hit {
        event.output_id = response.output_id.as_deref().map(hex);
        event.size = Some(response.size);
    }
    Some(Event::Request(event))
}

/// What go makes of an answer (cmd/go/internal/cache/prog.go, `Get`, `Put`, `Close`).
fn judge(command: &Cmd, r: &Response) -> (Outcome, Option<String>) {
    if let Some(e) = r.error() {
        return (Outcome::Error, Some(e.to_string()));
    }
    match command {
        Cmd::Get if r.miss => (Outcome::Miss, None),
        Cmd::Get if r.disk_path.as_deref().unwrap_or("").is_empty() => (
            Outcome::Error,
            Some("GOCACHEPROG didn't populate DiskPath on get hit".into()),
        ),
        // Go copies OutputID into 32 bytes and rejects only a longer one.
        Cmd::Get if r.output_id.as_ref().is_some_and(|o| o.len() > 32) => (
            Outcome::Error,
            Some("incomplete ProgResponse OutputID".into()),
        ),
        Cmd::Get => (Outcome::Hit, None),
        Cmd::Put if r.disk_path.as_deref().unwrap_or("").is_empty() => (
            Outcome::Error,
            Some("GOCACHEPROG didn't return DiskPath in put response".into()),
        ),
        Cmd::Put => (Outcome::Stored, None),
        Cmd::Close => (Outcome::Closed, None),
        Cmd::Other(_) => (Outcome::Answered, None),
    }
}

fn request_event(
    pid: u32,
    id: i64,
    p: &Pending,
    outcome: Outcome,
    err: Option<String>,
    stored_at: Option<String>,
) -> RequestEvent {
    RequestEvent {
        pid,
        id,
        command: p.command.clone(),
        action_id: p.action_id.as_deref().map(hex),
        output_id: p.output_id.as_deref().map(hex),
        outcome,
        size: (p.command == Cmd::Put).then_some(p.body_size),
        latency_us: micros(p.start),
        err,
        stored_at: if outcome == Outcome::Hit {
            stored_at
        } else {
            None
        },
    }
}

fn micros(since: Instant) -> u64 {
    since.elapsed().as_micros().min(u64::MAX as u128) as u64
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
