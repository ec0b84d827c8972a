//! Environment values that tests read, redacted. `go test` hashes the value of every variable a
//! test reads into a `getenv` block (`hashGetenv` in cmd/go/internal/test/test.go), and
//! `GODEBUG=gocachehash=1` prints it: a test that reads a token puts the token in the log.
//! Those values are inputs of the test-result key only, and the `testInputs` block hashes the
//! `getenv` block's result, never the value, so whymiss keeps the result and replaces the value
//! by the first 12 hex digits of its SHA-256: enough to prove that two values differ (or not)
//! without showing either.
//!
//! A capture (`whymiss capture`) is written with each value write replaced by a marker that no
//! real value can be (environment values hold no NUL byte):
//!
//! ```text
//! HASH[getenv]: "\x00whymiss-redacted sha256:<12 hex of the value> for:<16 hex of the result>"
//! ```
//!
//! The block then no longer matches its printed result, by design: it is read as
//! [`Verification::Redacted`], and the `for:` part ties the marker to the block it was written
//! for (concurrent `getenv` blocks cannot be told apart once their values are gone). Every log
//! is also shown redacted unless `--keep-env-values` is given ([`redact_actions`]).
//!
//! The variables of [`SHOWN`] (Go's own run-time settings and the time zone, which the runtime
//! and the time package read in every test) keep their values: they are settings, not secrets,
//! and their values explain the key (GODEBUG holds `gocachehash=1` itself).

use std::borrow::Cow;
use std::fmt::Write as _;

use sha2::{Digest as _, Sha256};

use super::ParseError;
use super::log::raw_blocks;
use super::unquote::unquote_body;
use crate::model::{Action, ActionKind, Digest, Input, Verification};

/// Variables whose values are kept: settings of the Go runtime (runtime/extern.go documents
/// them), of the time package (time/zoneinfo_unix.go, `initLocal`) and the directories the
/// standard library reads (os.TempDir: TMPDIR; os.UserHomeDir: HOME; os.Getwd: PWD; since Go
/// 1.26 testing's T.TempDir: GOTMPDIR), never credentials. Their values explain a key.
pub const SHOWN: &[&str] = &[
    "GODEBUG",
    "GOGC",
    "GOMAXPROCS",
    "GOMEMLIMIT",
    "GORACE",
    "GOTMPDIR",
    "GOTRACEBACK",
    "HOME",
    "PWD",
    "TMPDIR",
    "TZ",
    "ZONEINFO",
];

/// How a `getenv` write starts.
const GETENV_HEAD: &[u8] = b"HASH[getenv]: \"";

/// What a redacted value write holds, unquoted.
const MARKER: &str = "\0whymiss-redacted sha256:";

/// The first 12 hex digits of the SHA-256 of a value.
pub fn short_sha256(value: &[u8]) -> String {
    let mut out = String::with_capacity(12);
    for b in &Sha256::digest(value)[..6] {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A marker's two parts: the value's short SHA-256 and the result prefix it was written for.
fn read_marker(value: &str) -> Option<(&str, &str)> {
    let rest = value.strip_prefix(MARKER)?;
    let (sha, result) = rest.split_once(" for:")?;
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(sha, 12) && hex(result, 16)).then_some((sha, result))
}

/// Replaces, in every `getenv` block of `actions`, the value a test read by its short SHA-256
/// (unless `keep`); reads the markers of a redacted capture whatever `keep` says, and marks
/// their blocks [`Verification::Redacted`].
pub fn redact_actions(actions: &mut [Action<'_>], keep: bool) {
    // The results of the getenv blocks of variables whose values are shown, as testInputs
    // blocks name them (`env NAME <result>`).
    let shown: Vec<Digest> = actions
        .iter()
        .filter(|a| a.kind == ActionKind::TestInputs)
        .flat_map(|a| &a.fields)
        .filter_map(|f| match &f.input {
            Input::TestEnv { name, hash } if SHOWN.contains(&name.as_ref()) => Some(*hash),
            _ => None,
        })
        .collect();
    for action in actions.iter_mut().filter(|a| a.kind == ActionKind::Getenv) {
        let keep = keep || action.id.is_some_and(|id| shown.contains(&id));
        let result = action.id.map(|d| d.to_string());
        let mut marked = false;
        for field in &mut action.fields {
            let Input::EnvValue(value) = &field.input else {
                continue;
            };
            let sha = match read_marker(value) {
                Some((sha, written_for)) => {
                    marked = true;
                    // A marker tied to another block's result (lines of concurrent blocks
                    // that could not be told apart) says nothing about this one.
                    if !result
                        .as_deref()
                        .is_some_and(|r| r.starts_with(written_for))
                    {
                        field.input = Input::Unknown(Cow::Owned(field.text.to_string()));
                        continue;
                    }
                    sha.to_string()
                }
                // An empty value hides nothing, and says "set, to the empty string".
                None if keep || value.is_empty() => continue,
                None => short_sha256(value.as_bytes()),
            };
            field.text = Cow::Owned(format!("\\x01[redacted sha256:{sha}]"));
            field.input = Input::EnvRedacted(Cow::Owned(sha));
        }
        if marked && !action.is_verified() {
            action.verification = Verification::Redacted;
        }
    }
}

/// `src` (a go command's stderr) with the value of each environment variable a test read
/// replaced by a marker (see the module's documentation). Borrowed when there is none.
pub fn redact_env_values(src: &[u8]) -> Result<Cow<'_, [u8]>, ParseError> {
    // Which lines hold a value: the write after a `\x01` presence byte, in each block as the
    // demultiplexer rebuilt (and verified) it.
    let mut values: Vec<(u32, String)> = Vec::new();
    let blocks = raw_blocks(src)?;
    let shown = shown_results(&blocks);
    for block in &blocks {
        if block.name != b"getenv" {
            continue;
        }
        let Some(result) = block.id().or(block.results.first().map(|r| r.sum)) else {
            continue;
        };
        if shown.contains(&result) {
            continue;
        }
        let result = result.to_string();
        let mut writes = block.writes.iter();
        if block.open_line.is_some() {
            writes.next(); // the salt
        }
        let mut after_presence = false;
        for w in writes {
            let body = unquote_body(w.body).unwrap_or(Cow::Borrowed(w.body));
            if after_presence && !body.is_empty() && !body.starts_with(MARKER.as_bytes()) {
                values.push((
                    w.line,
                    format!("{MARKER}{} for:{}", short_sha256(&body), &result[..16]),
                ));
            }
            after_presence = body.as_ref() == b"\x01";
        }
    }
    if values.is_empty() {
        return Ok(Cow::Borrowed(src));
    }
    values.sort();
    let mut out = Vec::with_capacity(src.len());
    let mut next = values.iter().peekable();
    for (i, line) in src.split_inclusive(|&b| b == b'\n').enumerate() {
        let number = i as u32 + 1;
        match next.peek() {
            Some((at, marker)) if *at == number => {
                next.next();
                out.extend_from_slice(&rewrite(line, marker));
            }
            _ => out.extend_from_slice(line),
        }
    }
    Ok(Cow::Owned(out))
}

/// [`redact_env_values`], or, for a log whose blocks cannot be read (an escape Go never
/// writes), every `getenv` write other than a presence byte or a salt replaced line by line:
/// a capture never holds a value, whatever its log.
pub fn redact_env_values_or_lines(src: &[u8]) -> Cow<'_, [u8]> {
    match redact_env_values(src) {
        Ok(out) => out,
        Err(_) => {
            let mut out = Vec::with_capacity(src.len());
            for line in src.split_inclusive(|&b| b == b'\n') {
                let body = line
                    .windows(GETENV_HEAD.len())
                    .position(|w| w == GETENV_HEAD)
                    .map(|at| &line[at + GETENV_HEAD.len()..]);
                let keep = body.is_none_or(|b| {
                    [&b"\\x00\""[..], b"\\x01\"", b"go1.", b"devel "]
                        .iter()
                        .any(|p| b.starts_with(p))
                });
                if keep {
                    out.extend_from_slice(line);
                } else {
                    let marker = format!("{MARKER}{} for:{}", "0".repeat(12), "0".repeat(16));
                    out.extend_from_slice(&rewrite(line, &marker));
                }
            }
            Cow::Owned(out)
        }
    }
}

/// The results of the getenv blocks of the variables of [`SHOWN`], from the raw lines of the
/// testInputs blocks (`env NAME <result>`).
fn shown_results(blocks: &[super::demux::RawBlock<'_>]) -> Vec<Digest> {
    blocks
        .iter()
        .filter(|b| b.name == b"testInputs")
        .flat_map(|b| &b.writes)
        .filter_map(|w| {
            let body = unquote_body(w.body).ok()?;
            let line = std::str::from_utf8(&body).ok()?;
            let (name, hex) = line.strip_prefix("env ")?.trim_end().rsplit_once(' ')?;
            let digest = Digest::from_hex(hex.as_bytes())?;
            SHOWN.contains(&name).then_some(digest)
        })
        .collect()
}

/// A `HASH[getenv]: "<value>"` line with `marker` as its write, anything before `HASH` (a log
/// collector's prefix) and after the closing quote (`\r`, the newline) kept.
fn rewrite(line: &[u8], marker: &str) -> Vec<u8> {
    const HEAD: &[u8] = GETENV_HEAD;
    let Some(start) = line.windows(HEAD.len()).position(|w| w == HEAD) else {
        return line.to_vec();
    };
    let end_of_line = line
        .iter()
        .rposition(|&b| b == b'"')
        .filter(|&q| q >= start + HEAD.len());
    let Some(close) = end_of_line else {
        return line.to_vec();
    };
    let mut out = line[..start + HEAD.len()].to_vec();
    // The marker's only byte that needs quoting is its NUL.
    out.extend_from_slice(marker.replace('\0', "\\x00").as_bytes());
    out.extend_from_slice(&line[close..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse_log_with};

    /// A testInputs block reading one variable, as go prints it.
    fn log(value: &str) -> String {
        let salt = "go1.27.3";
        let mut getenv = Sha256::new();
        getenv.update(salt);
        getenv.update("\x01");
        getenv.update(value);
        let getenv: [u8; 32] = getenv.finalize().into();
        let getenv = crate::model::Digest(getenv).to_string();
        let line = format!("env FAKE_SECRET_TOKEN {getenv}\n");
        let mut inputs = Sha256::new();
        inputs.update(salt);
        inputs.update(&line);
        let inputs = crate::model::Digest(inputs.finalize().into()).to_string();
        format!(
            "HASH[testInputs]\nHASH[testInputs]: \"{salt}\"\nHASH[getenv]\n\
             HASH[getenv]: \"{salt}\"\nHASH[getenv]: \"\\x01\"\nHASH[getenv]: \"{value}\"\n\
             HASH[getenv]: {getenv}\nHASH[testInputs]: \"env FAKE_SECRET_TOKEN {getenv}\\n\"\n\
             HASH[testInputs]: {inputs}\n"
        )
    }

    fn getenv<'l>(log: &'l crate::model::BuildLog<'_>) -> &'l Action<'l> {
        log.actions
            .iter()
            .find(|a| a.kind == ActionKind::Getenv)
            .unwrap()
    }

    #[test]
    fn a_capture_keeps_no_value_and_still_verifies_the_test_inputs() {
        let plain = log("abc123");
        let redacted = redact_env_values(plain.as_bytes()).unwrap();
        let text = String::from_utf8(redacted.to_vec()).unwrap();
        assert!(!text.contains("abc123"), "{text}");
        let sha = short_sha256(b"abc123");
        assert!(
            text.contains(&format!(
                "HASH[getenv]: \"\\x00whymiss-redacted sha256:{sha} for:"
            )),
            "{text}"
        );
        // Redacting twice changes nothing.
        assert_eq!(redact_env_values(&redacted).unwrap(), redacted);
        for keep in [false, true] {
            let parsed = parse_log_with(
                &redacted,
                &ParseOptions {
                    keep_env_values: keep,
                },
            )
            .unwrap();
            let inputs = parsed
                .actions
                .iter()
                .find(|a| a.kind == ActionKind::TestInputs)
                .unwrap();
            assert!(inputs.is_verified(), "{:?}", inputs.verification);
            let block = getenv(&parsed);
            assert_eq!(block.verification, Verification::Redacted);
            assert_eq!(
                block.fields[0].input,
                Input::EnvRedacted(Cow::Borrowed(&*sha))
            );
            assert!(!format!("{parsed:?}").contains("abc123"));
        }
    }

    #[test]
    fn any_log_is_shown_redacted_unless_values_are_kept() {
        let plain = log("prod-token-999");
        let parsed = parse_log_with(plain.as_bytes(), &ParseOptions::default()).unwrap();
        let block = getenv(&parsed);
        assert!(block.is_verified());
        let sha = short_sha256(b"prod-token-999");
        assert_eq!(
            block.fields[0].input,
            Input::EnvRedacted(Cow::Borrowed(&*sha))
        );
        assert_eq!(
            block.fields[0].text,
            format!("\\x01[redacted sha256:{sha}]")
        );
        assert!(!format!("{parsed:?}").contains("prod-token-999"));
        let kept = parse_log_with(
            plain.as_bytes(),
            &ParseOptions {
                keep_env_values: true,
            },
        )
        .unwrap();
        assert_eq!(
            getenv(&kept).fields[0].input,
            Input::EnvValue(Cow::Borrowed("prod-token-999"))
        );
    }

    #[test]
    fn a_marker_written_for_another_block_is_not_read_as_this_ones() {
        let plain = log("abc123");
        let redacted =
            String::from_utf8(redact_env_values(plain.as_bytes()).unwrap().to_vec()).unwrap();
        let at = redacted.find(" for:").unwrap() + 5;
        let mut other = redacted.clone();
        let flipped = if &redacted[at..at + 1] == "0" {
            "1"
        } else {
            "0"
        };
        other.replace_range(at..at + 1, flipped);
        let parsed = parse_log_with(other.as_bytes(), &ParseOptions::default()).unwrap();
        assert!(matches!(getenv(&parsed).fields[0].input, Input::Unknown(_)));
    }
}
