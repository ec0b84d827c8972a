//! Parsing gocachehash output into a [`BuildLog`].
//!
//! The grammar of one line (reference §2; bytes, split on `\n`, a trailing `\r` dropped):
//!
//! ```text
//! line           = open | input | result | subkey | filehash | filehash_err | testcache | other
//! open           = "HASH[" name "]"                         ; name: greedy, may contain "]"
//! input          = "HASH[" name "]: " quoted                ; split at the first `]: "`
//! result         = "HASH[" name "]: " hex64
//! subkey         = "HASH subkey " hex64 " " quoted " = " hex64
//! filehash       = "HASH " abspath ": " hex64               ; split at the last `": "`
//! filehash_err   = "HASH " abspath ": " text                ; %v of the os error
//! testcache      = "testcache: " text
//! quoted         = '"' { utf8-char | escape } '"'           ; Go strconv.Quote
//! escape         = "\" ( "a"|"b"|"f"|"n"|"r"|"t"|"v"|"\"|'"'|"'" | "x" hex hex
//!                       | "u" 4*hex | "U" 8*hex | octal octal octal )
//! hex64          = 64 * ( "0"…"9" | "a"…"f" )
//! other          = anything else: skipped and counted
//! ```
//!
//! A line may carry a log collector's prefix (a timestamp, `#12 0.345 `) before `HASH`; see
//! [`line::strip_decoration`]. A line that starts like gocachehash output but breaks this
//! grammar (for instance, cut off inside a quoted payload) is an error with its line number.
//!
//! Then: blocks are demultiplexed and verified ([`demux`]), split into logical lines and typed
//! ([`fields`]); `testcache:` lines are typed by [`testcache`].

pub mod demux;
pub mod fields;
pub mod line;
pub mod testcache;
pub mod tests;
pub mod unquote;

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use sha2::{Digest as _, Sha256};

use crate::model::{
    Action, ActionKind, BuildLog, Digest, FileHash, FileHashError, Input, LogStats, Subkey,
    TestCacheEvent, TestCacheLine, Text, Truncation, Variant, Verification,
};
use demux::{Demux, Unverified};
use line::{Line, classify, strip_decoration};
use unquote::{bytes_to_text, unquote_body};

/// Why a log could not be read. `line` is 1-based; the message is one lowercase sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ParseError {
    pub line: Option<u32>,
    pub message: String,
}

/// How many skipped lines are kept as examples for the report.
const SKIPPED_EXAMPLES: usize = 5;

/// Parses a whole log (raw `go` stderr, a CI log, or a whymiss capture).
pub fn parse_log(src: &[u8]) -> Result<BuildLog<'_>, ParseError> {
    if src.is_empty() {
        return Err(ParseError {
            line: None,
            message: "the file is empty".into(),
        });
    }
    let mut demux = Demux::new();
    let mut stats = LogStats {
        bytes: src.len() as u64,
        ..LogStats::default()
    };
    let mut file_hashes = Vec::new();
    let mut file_errors = Vec::new();
    let mut subkeys = Vec::new();
    let mut test_cache = Vec::new();
    let mut scratch = Vec::new();

    // The last line lacks its newline: it may be cut off mid-line (see `Truncation`).
    let unterminated = !matches!(src.last(), Some(b'\n' | b'\r'));
    let mut cut_line = false;

    let mut start = 0usize;
    let mut line_no: u32 = 0;
    while start < src.len() {
        let end = memchr::memchr(b'\n', &src[start..]).map_or(src.len(), |i| start + i);
        let at_eof = end == src.len() && unterminated;
        let mut raw = &src[start..end];
        start = end + 1;
        line_no += 1;
        if let [rest @ .., b'\r'] = raw {
            raw = rest;
        }
        let text = if raw.starts_with(b"HASH") || raw.starts_with(b"testcache: ") {
            raw
        } else if let Some(inner) = strip_decoration(raw) {
            stats.decorated_lines += 1;
            inner
        } else {
            raw
        };
        let line = match classify(text) {
            Ok(line) if at_eof && !ends_complete(&line, text) => {
                cut_line = true;
                continue;
            }
            Ok(line) => line,
            // Package-loading noise, not in any key: a broken one is counted, never fatal.
            Err(_) if text.starts_with(MODULE_INDEX) => {
                stats.hash_lines += 1;
                stats.module_index_lines += 1;
                cut_line |= at_eof;
                continue;
            }
            Err(_) if at_eof => {
                cut_line = true;
                continue;
            }
            Err(m) => {
                return Err(ParseError {
                    line: Some(line_no),
                    message: format!("{}: {}", m.reason, excerpt(raw)),
                });
            }
        };
        match line {
            Line::Open { name } => {
                stats.hash_lines += 1;
                if name == b"moduleIndex" {
                    stats.module_index_lines += 1;
                    stats.module_index_blocks += 1;
                } else {
                    demux.open(name, line_no);
                }
            }
            Line::Input { name, body } => {
                if name == b"moduleIndex" {
                    stats.hash_lines += 1;
                    stats.module_index_lines += 1;
                } else {
                    match demux.input(name, body, line_no) {
                        Ok(()) => stats.hash_lines += 1,
                        // Cut inside an escape.
                        Err(_) if at_eof => cut_line = true,
                        Err(e) => {
                            return Err(ParseError {
                                line: Some(line_no),
                                message: format!(
                                    "bad escape in quoted payload ({}): {}",
                                    e.reason,
                                    excerpt(raw)
                                ),
                            });
                        }
                    }
                }
            }
            Line::Result { name, sum } => {
                stats.hash_lines += 1;
                if name == b"moduleIndex" {
                    stats.module_index_lines += 1;
                } else {
                    demux.result(name, sum, line_no);
                }
            }
            Line::Subkey { parent, desc, out } => {
                let desc = match unquote_body(desc) {
                    Ok(desc) => desc,
                    Err(_) if at_eof => {
                        cut_line = true;
                        continue;
                    }
                    Err(e) => {
                        return Err(ParseError {
                            line: Some(line_no),
                            message: format!(
                                "bad escape in subkey ({}): {}",
                                e.reason,
                                excerpt(raw)
                            ),
                        });
                    }
                };
                stats.hash_lines += 1;
                scratch.clear();
                scratch.extend_from_slice(b"subkey:");
                scratch.extend_from_slice(&parent.0);
                scratch.extend_from_slice(&desc);
                let verified = Digest(Sha256::digest(&scratch).into()) == out;
                subkeys.push(Subkey {
                    line: line_no,
                    parent,
                    desc: owned_text(&desc),
                    out,
                    verified,
                });
            }
            Line::FileHash { path, sum } => {
                stats.hash_lines += 1;
                file_hashes.push(FileHash {
                    line: line_no,
                    path: bytes_to_text(path),
                    sum,
                });
            }
            Line::FileHashError { path, error } => {
                stats.hash_lines += 1;
                file_errors.push(FileHashError {
                    line: line_no,
                    path: bytes_to_text(path),
                    error: bytes_to_text(error),
                });
            }
            Line::TestCache { text } => {
                stats.test_cache_lines += 1;
                let event = match bytes_to_text(text) {
                    Cow::Borrowed(s) => testcache::test_cache_event(s),
                    Cow::Owned(s) => TestCacheEvent::Other(Cow::Owned(s)),
                };
                test_cache.push(TestCacheLine {
                    line: line_no,
                    event,
                });
            }
            Line::Other => {
                stats.skipped_lines += 1;
                if stats.skipped_examples.len() < SKIPPED_EXAMPLES && !raw.is_empty() {
                    stats
                        .skipped_examples
                        .push((line_no, bytes_to_text(raw).into_owned()));
                }
            }
        }
    }
    stats.lines = u64::from(line_no);

    if stats.hash_lines == 0 && stats.test_cache_lines == 0 {
        return Err(ParseError {
            line: None,
            message: if looks_binary(src) {
                "binary data, not a gocachehash log".into()
            } else {
                "no gocachehash lines (HASH[…]): capture the go command's stderr with \
                 GODEBUG=gocachehash=1"
                    .into()
            },
        });
    }

    let blocks = demux.finish();
    let mut actions: Vec<Action<'_>> = Vec::with_capacity(blocks.len());
    // Actions the log ends inside (see `Truncation::incomplete`).
    let mut incomplete: Vec<usize> = Vec::new();
    let mut go_versions: Vec<Text<'_>> = Vec::new();
    let mut seen_keys: rustc_hash::FxHashSet<(Text<'_>, Digest)> = Default::default();
    for block in blocks {
        let name = bytes_to_text(block.name);
        let (kind, subject) = ActionKind::from_name(&name);
        let id = block.id().or(block.results.first().map(|r| r.sum));
        // `go install` hashes an up-to-date link twice, and a concatenation of logs repeats
        // blocks: a compile or link whose verified key equals an earlier one of the same name
        // is the same action, kept once. Its lines are not typed at all.
        if kind.is_compile_graph()
            && block.unverified.is_none()
            && let Some(id) = id
            && !seen_keys.insert((name.clone(), id))
        {
            note_version(&mut go_versions, fields::block_salt(&block));
            stats.duplicate_blocks += 1;
            continue;
        }
        let subject = subject.map(|s| match &name {
            Cow::Borrowed(n) => Cow::Borrowed(&n[n.len() - s.len()..]),
            Cow::Owned(_) => Cow::Owned(s.to_owned()),
        });
        let lines = fields::block_fields(&block, kind);
        note_version(&mut go_versions, lines.salt.clone());
        let variant = if kind == ActionKind::Build
            && lines
                .fields
                .iter()
                .any(|f| matches!(&f.input, Input::File(file) if file.name.ends_with("_test.go")))
        {
            Variant::Test
        } else {
            Variant::Normal
        };
        let verification = match &block.unverified {
            None => Verification::Verified,
            Some(reason) => Verification::Unverified(reason.to_string()),
        };
        // Never summed, or written to after its last result: Go was still writing it.
        let open_at_end = block
            .results
            .last()
            .is_none_or(|r| (r.after_writes as usize) < block.writes.len());
        if open_at_end {
            incomplete.push(actions.len());
        }
        actions.push(Action {
            name,
            kind,
            subject,
            variant,
            occurrence: 0,
            id,
            results: block.results.iter().map(|r| r.sum).collect(),
            salt: lines.salt,
            fields: lines.fields,
            verification,
            open_line: block.open_line,
            result_line: block.results.first().map(|r| r.line),
            disentangled: block.disentangled,
        });
    }
    let truncated = truncation(&mut actions, incomplete, cut_line, line_no);
    number_occurrences(&mut actions);
    resolve_files(&mut actions, &file_hashes);
    let tests = tests::test_cache(&actions, &test_cache);

    Ok(BuildLog {
        go_versions,
        actions,
        file_hashes,
        file_errors,
        subkeys,
        test_cache,
        tests,
        stats,
        truncated,
    })
}

/// `HASH[moduleIndex]`: package loading's index blocks, in no action key.
const MODULE_INDEX: &[u8] = b"HASH[moduleIndex]";

/// Whether a line read at the end of a log without a final newline ends as that kind of line
/// ends, so that it is complete and not cut off: a quoted payload by its closing quote (a raw
/// `"` never occurs inside, `strconv.Quote`), a result, subkey or file hash by its 64 hex
/// digits, a `testcache:` line by a digest, a line of noise anyhow. An opening line never ends
/// a complete log (Go writes the salt right after it, cmd/go/internal/cache/hash.go, NewHash),
/// a file-hash error may be a file hash cut inside its digest, and a line that starts like
/// gocachehash output but is not one was cut.
fn ends_complete(line: &Line<'_>, text: &[u8]) -> bool {
    match line {
        Line::Input { .. } | Line::Result { .. } | Line::Subkey { .. } | Line::FileHash { .. } => {
            true
        }
        // Noise, unless it is the start of a gocachehash line.
        Line::Other => {
            !(text.starts_with(b"HASH")
                || text.starts_with(b"testcache:")
                || (!text.is_empty()
                    && (b"HASH".starts_with(text) || b"testcache: ".starts_with(text))))
        }
        Line::Open { .. } | Line::FileHashError { .. } => false,
        Line::TestCache { text } => {
            text.len() > 65 && {
                let (head, hex) = text.split_at(text.len() - 64);
                head.ends_with(b" ") && hex.iter().all(|&b| crate::model::is_lower_hex(b))
            }
        }
    }
}

/// Decides whether the log is cut off, from its last line and the blocks still open at its end
/// (`incomplete`, indices into `actions`), and says so on the actions never summed.
fn truncation(
    actions: &mut [Action<'_>],
    incomplete: Vec<usize>,
    cut_line: bool,
    last_line: u32,
) -> Option<Truncation> {
    // Go sums every block it opens, except `testInputs` and `open` blocks it abandons when a
    // test input cannot be cached (cmd/go/internal/test/test.go, computeTestInputsID, hashOpen).
    let always_summed =
        |a: &Action<'_>| !matches!(a.kind, ActionKind::TestInputs | ActionKind::Open);
    if !cut_line && !incomplete.iter().any(|&i| always_summed(&actions[i])) {
        return None;
    }
    let cut_off = Unverified::NoResult.to_string();
    for &i in &incomplete {
        if actions[i].verification == Verification::Unverified(cut_off.clone()) {
            actions[i].verification = Verification::Unverified(Unverified::CutOff.to_string());
        }
    }
    Some(Truncation {
        last_line,
        cut_line,
        incomplete,
    })
}

/// Records a salt (the go command's version) the first time it is seen.
fn note_version<'a>(versions: &mut Vec<Text<'a>>, salt: Text<'a>) {
    if !salt.is_empty() && !versions.contains(&salt) {
        versions.push(salt);
    }
}

/// Numbers actions that share a name and variant, in log order.
fn number_occurrences(actions: &mut [Action<'_>]) {
    let mut seen: FxHashMap<(String, Variant), u32> = FxHashMap::default();
    for a in actions.iter_mut() {
        let n = seen.entry((a.name.to_string(), a.variant)).or_insert(0);
        a.occurrence = *n;
        *n += 1;
    }
}

/// Links each `file <name> <id>` to the `HASH <path>: <hex>` line whose hash gives `id`.
fn resolve_files<'a>(actions: &mut [Action<'a>], hashes: &[FileHash<'a>]) {
    let mut by_short: FxHashMap<[u8; 20], Vec<usize>> = FxHashMap::default();
    for (i, h) in hashes.iter().enumerate() {
        by_short.entry(h.sum.short_bytes()).or_default().push(i);
    }
    for action in actions.iter_mut() {
        let dir = action.fields.iter().find_map(|f| match &f.input {
            Input::Dir(d) => Some(d.clone()),
            _ => None,
        });
        for field in &mut action.fields {
            let Input::File(file) = &mut field.input else {
                continue;
            };
            let Some(candidates) = <[u8; 20]>::try_from(file.id.as_bytes())
                .ok()
                .and_then(|id| by_short.get(&id))
            else {
                continue;
            };
            // Prefer the path in the package directory, then any path ending in `/<name>`.
            let name: &str = &file.name;
            let pick = candidates
                .iter()
                .find(|&&i| {
                    dir.as_deref().is_some_and(|d| {
                        hashes[i]
                            .path
                            .strip_prefix(d)
                            .and_then(|r| r.strip_prefix('/'))
                            == Some(name)
                    })
                })
                .or_else(|| {
                    candidates.iter().find(|&&i| {
                        hashes[i]
                            .path
                            .strip_suffix(name)
                            .is_some_and(|p| p.ends_with('/'))
                    })
                })
                .or(candidates.first());
            if let Some(&i) = pick {
                file.path = Some(hashes[i].path.clone());
                file.hash = Some(hashes[i].sum);
            }
        }
    }
}

fn owned_text(bytes: &[u8]) -> Text<'static> {
    Cow::Owned(bytes_to_text(bytes).into_owned())
}

/// The start of a line for an error message, escaped so control bytes cannot garble a terminal.
fn excerpt(raw: &[u8]) -> String {
    const MAX: usize = 100;
    let mut s = String::new();
    for chunk in raw[..raw.len().min(MAX)].utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                s.push_str(&c.escape_default().to_string());
            } else {
                s.push(c);
            }
        }
        for b in chunk.invalid() {
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    if raw.len() > MAX {
        s.push('…');
    }
    s
}

/// NUL bytes or mostly invalid UTF-8 in the first 8 KiB.
fn looks_binary(src: &[u8]) -> bool {
    let head = &src[..src.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let invalid: usize = head.utf8_chunks().map(|c| c.invalid().len()).sum();
    invalid * 10 > head.len()
}
