//! Protocol edge cases against a fake cache program (a thread speaking the protocol over OS
//! pipes); the real `go` runs through the proxy in tests/cli/cacheprog.rs.

use std::io::{Read, Write};
use std::time::Duration;

use os_pipe::{PipeReader, PipeWriter, pipe};

use super::event::{Event, EventLog, Outcome, RequestEvent, read_events};
use super::protocol::{Cmd, Request, Response, body_line};
use super::proxy::{RelayStats, relay};
use super::quoted::{QuoteError, join, split};
use super::scan::ValueScanner;
use super::{ProxyArgs, proxy_gocacheprog};

// ---------------------------------------------------------------------------------------------
// cmd/internal/quoted

#[test]
fn split_follows_go_quoted_split() {
    let s = |v: &str| split(v).unwrap();
    assert_eq!(s("prog -dir /x"), ["prog", "-dir", "/x"]);
    assert_eq!(s("  prog\t-v\n"), ["prog", "-v"]);
    assert_eq!(
        s("'/my dir/prog' \"it's\" ''"),
        ["/my dir/prog", "it's", ""]
    );
    // A quote inside a field does not count; a quoted field ends at its closing quote.
    assert_eq!(s("a\"b 'c'd"), ["a\"b", "c", "d"]);
    assert_eq!(split("'open"), Err(QuoteError::Unterminated('\'')));
    assert_eq!(split("\"open"), Err(QuoteError::Unterminated('"')));
}

#[test]
fn join_round_trips_through_split() {
    let args = [
        "/usr/bin/prog",
        "with space",
        "it's",
        "say \"hi\"",
        "",
        "a\tb",
    ];
    let joined = join(&args).unwrap();
    assert_eq!(
        joined,
        "/usr/bin/prog 'with space' \"it's\" 'say \"hi\"' '' 'a\tb'"
    );
    assert_eq!(split(&joined).unwrap(), args);
    assert_eq!(
        join(&["it's \"x\""]),
        Err(QuoteError::BothQuotes("it's \"x\"".into()))
    );
}

#[test]
fn proxy_gocacheprog_keeps_the_users_value_verbatim() {
    let value = proxy_gocacheprog(
        "/opt/my tools/whymiss".as_ref(),
        "/tmp/ev.jsonl".as_ref(),
        "/usr/bin/gobuildcache -url 'https://x/y z'",
    )
    .unwrap();
    assert_eq!(
        value,
        "'/opt/my tools/whymiss' cacheprog-proxy --events /tmp/ev.jsonl -- \
         /usr/bin/gobuildcache -url 'https://x/y z'"
    );
    let argv = split(&value).unwrap();
    let parsed = ProxyArgs::parse(argv[2..].iter().map(Into::into)).unwrap();
    assert_eq!(parsed.events, std::path::PathBuf::from("/tmp/ev.jsonl"));
    assert_eq!(
        parsed.program,
        ["/usr/bin/gobuildcache", "-url", "https://x/y z"]
    );
}

#[test]
fn proxy_args_errors() {
    let parse = |args: &[&str]| ProxyArgs::parse(args.iter().map(Into::into));
    assert!(
        parse(&["--events", "f"])
            .unwrap_err()
            .contains("-- PROGRAM")
    );
    assert!(
        parse(&["--events", "f", "--"])
            .unwrap_err()
            .contains("no cache program")
    );
    assert!(parse(&["--", "prog"]).unwrap_err().contains("--events"));
    assert!(
        parse(&["-x", "--", "prog"])
            .unwrap_err()
            .contains("unexpected")
    );
    assert_eq!(
        parse(&["--events=e", "--", "p", "--events"])
            .unwrap()
            .program,
        ["p", "--events"]
    );
}

// ---------------------------------------------------------------------------------------------
// Messages

#[test]
fn request_parse_matches_field_names_like_encoding_json() {
    // Exactly what go 1.27 writes for a put.
    let r = Request::parse(
        br#"{"ID":7,"Command":"put","ActionID":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","OutputID":"//79/Pv6+fj39vX08/Lx8O/u7ezr6uno5+bl5OPi4eA=","BodySize":3}"#,
    )
    .unwrap();
    assert_eq!(r.id, 7);
    assert_eq!(r.command, Some(Cmd::Put));
    assert_eq!(
        r.action_id.as_deref(),
        Some(&(0u8..32).collect::<Vec<_>>()[..])
    );
    assert_eq!(r.output().unwrap()[0], 0xff);
    assert!(r.has_body());
    // Go 1.21–1.23 experiment builds: ObjectID; any case; null is absent.
    let old =
        Request::parse(br#"{"id":1,"command":"put","objectid":"AQI=","OutputID":null}"#).unwrap();
    assert_eq!(old.output(), Some(&[1u8, 2][..]));
    assert!(!old.has_body(), "BodySize 0: no body line follows");
}

#[test]
fn response_parse_reads_what_programs_write() {
    let hit = Response::parse(
        b"{\"ID\":3,\"OutputID\":\"AQID\\nBA==\",\"Size\":9,\"Time\":\"2025-01-02T03:04:05Z\",\"DiskPath\":\"/c/o/1\",\"Extra\":[1]}",
    )
    .unwrap();
    assert_eq!(hit.output_id.as_deref(), Some(&[1u8, 2, 3, 4][..]));
    assert_eq!(
        (hit.size, hit.time.as_deref(), hit.disk_path.as_deref()),
        (9, Some("2025-01-02T03:04:05Z"), Some("/c/o/1"))
    );
    let hello =
        Response::parse(br#"{"id":0,"knownCommands":["get","put","close","get2"]}"#).unwrap();
    assert_eq!(
        hello.known_commands.unwrap(),
        [Cmd::Get, Cmd::Put, Cmd::Close, Cmd::Other("get2".into())]
    );
    assert!(Response::parse(b"[1]").is_err());
    assert!(Response::parse(br#"{"ID":1,"OutputID":"not base64!"}"#).is_err());
    assert_eq!(
        Response::parse(br#"{"ID":1,"Err":""}"#).unwrap().error(),
        None
    );
}

// ---------------------------------------------------------------------------------------------
// Scanner

fn scan_in_chunks(stream: &[u8], chunk: usize) -> Vec<Vec<u8>> {
    let mut scanner = ValueScanner::new();
    let mut values = Vec::new();
    for part in stream.chunks(chunk) {
        scanner.feed(part, |v| values.push(v.to_vec()));
    }
    assert_eq!(scanner.end(|v| values.push(v.to_vec())), None);
    values
}

#[test]
fn scanner_cuts_values_at_any_chunk_boundary() {
    let stream = b"{\"ID\":0,\"KnownCommands\":[\"get\"]}\n{\"ID\":2,\"Miss\":true} {\"ID\":1,\n  \"Err\":\"a } \\\" {\"\n}\n\n[1,{\"a\":[]}]\"top\"  42 true\n";
    let expected: Vec<&[u8]> = vec![
        b"{\"ID\":0,\"KnownCommands\":[\"get\"]}",
        b"{\"ID\":2,\"Miss\":true}",
        b"{\"ID\":1,\n  \"Err\":\"a } \\\" {\"\n}",
        b"[1,{\"a\":[]}]",
        b"\"top\"",
        b"42",
        b"true",
    ];
    for chunk in 1..=stream.len() {
        assert_eq!(
            scan_in_chunks(stream, chunk),
            expected,
            "chunk size {chunk}"
        );
    }
}

#[test]
fn scanner_reports_a_value_cut_off_by_the_end() {
    let mut scanner = ValueScanner::new();
    let mut values = Vec::new();
    scanner.feed(b"{\"ID\":1} {\"ID\":", |v| values.push(v.to_vec()));
    assert_eq!(values, [b"{\"ID\":1}".to_vec()]);
    assert_eq!(scanner.end(|_| unreachable!()), Some(b"{\"ID\":".to_vec()));
    let mut scanner = ValueScanner::new();
    scanner.feed(b"12", |_| unreachable!());
    scanner.end(|v| values.push(v.to_vec()));
    assert_eq!(values[1], b"12");
}

// ---------------------------------------------------------------------------------------------
// The relay, against a scripted fake program

/// Four pipes: go → proxy → program → proxy → go.
struct Wires {
    /// What the test writes as go.
    go_send: PipeWriter,
    /// What the test reads as go.
    go_recv: PipeReader,
    /// What the fake program reads.
    prog_recv: PipeReader,
    /// What the fake program writes.
    prog_send: PipeWriter,
}

/// Runs the relay on its own thread while `script` plays go and the program; returns the
/// relay's result and the events it logged.
fn with_relay(script: impl FnOnce(Wires)) -> (RelayStats, Vec<Event>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.jsonl");
    let log = EventLog::open(&path).unwrap();
    let (go_in, go_send) = pipe().unwrap();
    let (go_recv, go_out) = pipe().unwrap();
    let (prog_recv, child_in) = pipe().unwrap();
    let (child_out, prog_send) = pipe().unwrap();
    let stats = std::thread::scope(|scope| {
        let relayed = scope.spawn(|| relay(go_in, go_out, child_in, child_out, &log));
        script(Wires {
            go_send,
            go_recv,
            prog_recv,
            prog_send,
        });
        relayed.join().unwrap().unwrap()
    });
    (stats, read_events(&path).unwrap())
}

fn requests(events: &[Event]) -> Vec<&RequestEvent> {
    let mut r: Vec<&RequestEvent> = events
        .iter()
        .filter_map(|e| match e {
            Event::Request(r) => Some(r),
            _ => None,
        })
        .collect();
    r.sort_by_key(|r| r.id);
    r
}

/// Reads from `r` until `n` bytes have come.
fn read_exactly(r: &mut impl Read, n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    r.read_exact(&mut buf).unwrap();
    buf
}

const AID1: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; // 32 × 0x01
const AID2: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="; // 32 × 0x02
const OID: &str = "//////////////////////////////////////////8="; // 32 × 0xff

#[test]
fn relay_is_byte_faithful_with_pipelined_requests_and_out_of_order_answers() {
    let body: Vec<u8> = (0..=255u8).cycle().take(3 * 65536 + 17).collect();
    let mut to_program = Vec::new();
    to_program.extend_from_slice(
        format!("{{\"ID\":1,\"Command\":\"get\",\"ActionID\":\"{AID1}\"}}\n").as_bytes(),
    );
    to_program.extend_from_slice(
        format!(
            "{{\"ID\":2,\"Command\":\"put\",\"ActionID\":\"{AID2}\",\"OutputID\":\"{OID}\",\"BodySize\":{}}}\n",
            body.len()
        )
        .as_bytes(),
    );
    to_program.extend_from_slice(&body_line(&body));
    to_program.extend_from_slice(
        format!("{{\"ID\":3,\"Command\":\"get\",\"ActionID\":\"{AID2}\"}}\n").as_bytes(),
    );
    let close = b"{\"ID\":4,\"Command\":\"close\"}\n";
    // Answers out of order, two on one line, one spread over lines, odd spacing.
    let answers: &[&[u8]] = &[
        b"{\"ID\":0,\"KnownCommands\":[\"get\",\"put\",\"close\"]}\n",
        b"{\"ID\":2,\"DiskPath\":\"/store/o/ff\"}\n",
        b"{\"ID\":3,\"OutputID\":\"//////////////////////////////////////////8=\",\n \"Size\":196625,\"Time\":\"2025-01-01T00:00:00Z\",\"DiskPath\":\"/store/o/ff\"} {\"ID\":1,\"Miss\":true}\n",
    ];
    let to_program_len = to_program.len();
    let (stats, events) = with_relay(|mut w| {
        let expected_to_go: Vec<u8> = answers.concat();
        std::thread::scope(|s| {
            // go writes everything at once, without waiting for answers.
            s.spawn(|| {
                let mut go_send = w.go_send;
                go_send.write_all(&to_program).unwrap();
                // …then, once everything is answered, closes.
                let got = read_exactly(&mut w.go_recv, expected_to_go.len());
                assert_eq!(got, expected_to_go, "go gets the program's bytes unchanged");
                go_send.write_all(close).unwrap();
                let closed = read_exactly(&mut w.go_recv, 10);
                assert_eq!(closed, b"{\"ID\":4}\n\n");
                drop(go_send);
            });
            let mut prog_send = w.prog_send;
            prog_send.write_all(answers[0]).unwrap();
            let got = read_exactly(&mut w.prog_recv, to_program_len);
            assert!(got == to_program, "the program gets go's bytes unchanged");
            std::thread::sleep(Duration::from_millis(20));
            for a in &answers[1..] {
                prog_send.write_all(a).unwrap();
            }
            let got = read_exactly(&mut w.prog_recv, close.len());
            assert_eq!(got, close);
            prog_send.write_all(b"{\"ID\":4}\n\n").unwrap();
            // The program exits when its stdin closes.
            let mut rest = Vec::new();
            w.prog_recv.read_to_end(&mut rest).unwrap();
            assert!(rest.is_empty());
            drop(prog_send);
        });
    });
    assert_eq!(
        (stats.requests, stats.responses, stats.lost_events),
        (4, 5, 0)
    );
    assert!(!stats.go_side_open, "go closed first");
    assert!(matches!(&events[0], Event::Hello { known_commands, .. } if known_commands.len() == 3));
    let r = requests(&events);
    let hex1 = "01".repeat(32);
    let hex2 = "02".repeat(32);
    let ff = "ff".repeat(32);
    let summary: Vec<_> = r
        .iter()
        .map(|e| {
            (
                e.id,
                e.command.clone(),
                e.outcome,
                e.action_id.clone(),
                e.output_id.clone(),
                e.size,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, Cmd::Get, Outcome::Miss, Some(hex1), None, None),
            (
                2,
                Cmd::Put,
                Outcome::Stored,
                Some(hex2.clone()),
                Some(ff.clone()),
                Some(196625)
            ),
            (
                3,
                Cmd::Get,
                Outcome::Hit,
                Some(hex2),
                Some(ff),
                Some(196625)
            ),
            (4, Cmd::Close, Outcome::Closed, None, None, None),
        ]
    );
    assert_eq!(r[2].stored_at.as_deref(), Some("2025-01-01T00:00:00Z"));
    // Each latency is its own request's: the answers came after a 20 ms pause.
    assert!(r.iter().take(3).all(|e| e.latency_us >= 20_000), "{r:?}");
}

#[test]
fn relay_records_errors_as_go_reads_them() {
    let (_, events) = with_relay(|mut w| {
        let reqs = format!(
            "{{\"ID\":1,\"Command\":\"get\",\"ActionID\":\"{AID1}\"}}\n\
             {{\"ID\":2,\"Command\":\"get\",\"ActionID\":\"{AID1}\"}}\n\
             {{\"ID\":3,\"Command\":\"put\",\"ActionID\":\"{AID1}\",\"OutputID\":\"{OID}\"}}\n\
             {{\"ID\":4,\"Command\":\"get\",\"ActionID\":\"{AID1}\"}}\n"
        );
        w.go_send.write_all(reqs.as_bytes()).unwrap();
        let answers = "{\"ID\":1,\"Err\":\"s3: timeout\"}\n\
                       {\"ID\":2,\"OutputID\":\"AQ==\",\"Size\":1}\n\
                       {\"ID\":3}\n\
                       {\"ID\":99,\"Miss\":true}\n\
                       {\"ID\":4,\"Miss\":tru}\n";
        let _ = read_exactly(&mut w.prog_recv, reqs.len());
        w.prog_send.write_all(answers.as_bytes()).unwrap();
        assert_eq!(
            read_exactly(&mut w.go_recv, answers.len()),
            answers.as_bytes()
        );
        drop(w.go_send);
        drop(w.prog_send);
    });
    let r = requests(&events);
    let got: Vec<_> = r
        .iter()
        .map(|e| (e.id, e.outcome, e.err.clone().unwrap_or_default()))
        .collect();
    assert_eq!(got[0].0, -1, "the unreadable answer");
    assert!(got[0].2.starts_with("unreadable answer"), "{got:?}");
    assert_eq!(
        got[1..],
        [
            (1, Outcome::Error, "s3: timeout".to_string()),
            (
                2,
                Outcome::Error,
                "GOCACHEPROG didn't populate DiskPath on get hit".to_string()
            ),
            (
                3,
                Outcome::Error,
                "GOCACHEPROG didn't return DiskPath in put response".to_string()
            ),
            // ID 4's answer was unreadable, so ID 4 is still waiting when the program ends.
            (4, Outcome::Unanswered, String::new()),
            (
                99,
                Outcome::Error,
                "answer to a request go did not send".to_string()
            ),
        ]
    );
}

#[test]
fn relay_ends_when_the_program_dies_while_go_still_talks() {
    // go keeps its side open (it would wait for answers); the relay must still return.
    let (keep_open, stats, events) = {
        let mut keep = None;
        let (stats, events) = with_relay(|mut w| {
            w.go_send
                .write_all(
                    format!("{{\"ID\":1,\"Command\":\"get\",\"ActionID\":\"{AID1}\"}}\n")
                        .as_bytes(),
                )
                .unwrap();
            let _ = read_exactly(&mut w.prog_recv, 10);
            drop(w.prog_send);
            drop(w.prog_recv);
            keep = Some(w.go_send);
            let mut rest = Vec::new();
            w.go_recv.read_to_end(&mut rest).unwrap();
            assert!(rest.is_empty(), "go sees the end of the answers");
        });
        (keep, stats, events)
    };
    drop(keep_open);
    assert!(stats.go_side_open);
    let r = requests(&events);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].id, r[0].outcome), (1, Outcome::Unanswered));
}
