//! [`parse_log`]: a whole log, line by line, into a [`BuildLog`]: the lines each go to the
//! demultiplexer or their own list, then every block is read into an action.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use sha2::{Digest as _, Sha256};

use super::demux::{Demux, RawBlock, Unverified};
use super::fields;
use super::line::{Line, classify, strip_decoration};
use super::test_runs;
use super::testcache;
use super::unquote::{bytes_to_text, unquote_body};
use crate::model::{
    Action, ActionKind, BuildLog, Digest, FileHash, FileHashError, Input, LogStats, Subkey,
    TestCacheEvent, TestCacheLine, Text, Truncation, Variant, Verification,
};

/// Why a log could not be read. `line` is 1-based; the message is one lowercase sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ParseError {
    pub line: Option<u32>,
    pub message: String,
}

/// How many skipped lines are kept as examples for the report.
const SKIPPED_EXAMPLES: usize = 5;

/// How to read a log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Keep the values of the environment variables tests read (`--keep-env-values`); by
    /// default they are replaced by a short SHA-256 ([`super::redact`]).
    pub keep_env_values: bool,
}

/// Parses a whole log (raw `go` stderr, a CI log, or a whymiss capture), with the values of
/// environment variables tests read redacted.
pub fn parse_log(src: &[u8]) -> Result<BuildLog<'_>, ParseError> {
    parse_log_with(src, &ParseOptions::default())
}

/// The demultiplexed blocks of a log, before they are read into actions.
pub(super) fn raw_blocks(src: &[u8]) -> Result<Vec<RawBlock<'_>>, ParseError> {
    Ok(read_lines(src)?.demux.finish())
}

/// Parses a whole log as `options` say.
pub fn parse_log_with<'a>(
    src: &'a [u8],
    options: &ParseOptions,
) -> Result<BuildLog<'a>, ParseError> {
    if src.is_empty() {
        return Err(ParseError {
            line: None,
            message: "the file is empty".into(),
        });
    }
    let Collected {
        demux,
        mut stats,
        file_hashes,
        file_errors,
        subkeys,
        test_cache,
        cut_line,
        ..
    } = read_lines(src)?;
    if stats.hash_lines == 0 && stats.test_cache_lines == 0 {
        return Err(ParseError {
            line: None,
            message: if looks_binary(src) {
                "binary data, not a gocachehash log".into()
            } else if cut_line {
                "the log is cut off inside its first gocachehash line".into()
            } else {
                "no gocachehash lines (HASH[…]): capture the go command's stderr with \
                 GODEBUG=gocachehash=1"
                    .into()
            },
        });
    }
    let (mut actions, go_versions, incomplete) = read_blocks(demux.finish(), &mut stats);
    let truncated = truncation(&mut actions, incomplete, cut_line, line_no(&stats));
    number_occurrences(&mut actions);
    resolve_files(&mut actions, &file_hashes);
    super::redact::redact_actions(&mut actions, options.keep_env_values);
    let tests = test_runs::test_cache(&actions, &test_cache, &subkeys);
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

/// The number of a log's last line.
fn line_no(stats: &LogStats) -> u32 {
    u32::try_from(stats.lines).unwrap_or(u32::MAX)
}

/// What the line-by-line pass collects: the blocks' lines (in the demultiplexer) and the lines
/// that stand alone.
struct Collected<'a> {
    demux: Demux<'a>,
    stats: LogStats,
    file_hashes: Vec<FileHash<'a>>,
    file_errors: Vec<FileHashError<'a>>,
    subkeys: Vec<Subkey<'a>>,
    test_cache: Vec<TestCacheLine<'a>>,
    /// Reused for the text a subkey hashes.
    scratch: Vec<u8>,
    /// The last line stops inside a gocachehash line (see [`Truncation::cut_line`]).
    cut_line: bool,
}

/// Reads the log line by line: block lines to the demultiplexer, the others to their lists.
fn read_lines(src: &[u8]) -> Result<Collected<'_>, ParseError> {
    let mut lines = Collected {
        demux: Demux::new(),
        stats: LogStats {
            bytes: src.len() as u64,
            ..LogStats::default()
        },
        file_hashes: Vec::new(),
        file_errors: Vec::new(),
        subkeys: Vec::new(),
        test_cache: Vec::new(),
        scratch: Vec::new(),
        cut_line: false,
    };
    // The last line lacks its newline: it may be cut off mid-line (see `Truncation`).
    let unterminated = !matches!(src.last(), Some(b'\n' | b'\r'));
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
        lines.read(raw, line_no, at_eof)?;
    }
    lines.stats.lines = u64::from(line_no);
    Ok(lines)
}

impl<'a> Collected<'a> {
    /// One line (without its newline), number `line_no`; `at_eof` when it is the last and has
    /// no newline (so it may be cut off).
    fn read(&mut self, raw: &'a [u8], line_no: u32, at_eof: bool) -> Result<(), ParseError> {
        let stats = &mut self.stats;
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
                self.cut_line = true;
                // Package-loading noise either way.
                if text.starts_with(MODULE_INDEX) {
                    stats.hash_lines += 1;
                    stats.module_index_lines += 1;
                }
                return Ok(());
            }
            Ok(line) => line,
            // Package-loading noise, not in any key: a broken one is counted, never fatal.
            Err(_) if text.starts_with(MODULE_INDEX) => {
                stats.hash_lines += 1;
                stats.module_index_lines += 1;
                self.cut_line |= at_eof;
                return Ok(());
            }
            Err(_) if at_eof => {
                self.cut_line = true;
                return Ok(());
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
                    self.demux.open(name, line_no);
                }
            }
            Line::Input { name, body } => {
                if name == b"moduleIndex" {
                    stats.hash_lines += 1;
                    stats.module_index_lines += 1;
                } else {
                    match self.demux.input(name, body, line_no) {
                        Ok(()) => stats.hash_lines += 1,
                        // Cut inside an escape.
                        Err(_) if at_eof => self.cut_line = true,
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
                    self.demux.result(name, sum, line_no);
                }
            }
            Line::Subkey { parent, desc, out } => {
                let desc = match unquote_body(desc) {
                    Ok(desc) => desc,
                    Err(_) if at_eof => {
                        self.cut_line = true;
                        return Ok(());
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
                let scratch = &mut self.scratch;
                scratch.clear();
                scratch.extend_from_slice(b"subkey:");
                scratch.extend_from_slice(&parent.0);
                scratch.extend_from_slice(&desc);
                let verified = Digest(Sha256::digest(&scratch).into()) == out;
                self.subkeys.push(Subkey {
                    line: line_no,
                    parent,
                    desc: owned_text(&desc),
                    out,
                    verified,
                });
            }
            Line::FileHash { path, sum } => {
                stats.hash_lines += 1;
                self.file_hashes.push(FileHash {
                    line: line_no,
                    path: bytes_to_text(path),
                    sum,
                });
            }
            Line::FileHashError { path, error } => {
                stats.hash_lines += 1;
                self.file_errors.push(FileHashError {
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
                self.test_cache.push(TestCacheLine {
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
        Ok(())
    }
}

/// Reads each demultiplexed block into an action, and notes the go versions that salted them
/// and the actions the log ends inside (indices into the actions, see
/// [`Truncation::incomplete`]).
fn read_blocks<'a>(
    blocks: Vec<RawBlock<'a>>,
    stats: &mut LogStats,
) -> (Vec<Action<'a>>, Vec<Text<'a>>, Vec<usize>) {
    let mut actions: Vec<Action<'_>> = Vec::with_capacity(blocks.len());
    let mut incomplete: Vec<usize> = Vec::new();
    let mut go_versions: Vec<Text<'_>> = Vec::new();
    let mut seen_keys: rustc_hash::FxHashSet<(Text<'_>, Digest)> = Default::default();
    for block in blocks {
        let name = bytes_to_text(block.name);
        let (kind, _) = ActionKind::from_name(&name);
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
        let action = read_action(&block, name, id);
        note_version(&mut go_versions, action.salt.clone());
        // Never summed, or written to after its last result: Go was still writing it.
        let open_at_end = block
            .results
            .last()
            .is_none_or(|r| (r.after_writes as usize) < block.writes.len());
        if open_at_end {
            incomplete.push(actions.len());
        }
        actions.push(action);
    }
    (actions, go_versions, incomplete)
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

/// One block as an action: its kind and subject from its name, its fields read with its kind's
/// table.
fn read_action<'a>(block: &RawBlock<'a>, name: Text<'a>, id: Option<Digest>) -> Action<'a> {
    let (kind, subject) = ActionKind::from_name(&name);
    let subject = subject.map(|s| match &name {
        Cow::Borrowed(n) => Cow::Borrowed(&n[n.len() - s.len()..]),
        Cow::Owned(_) => Cow::Owned(s.to_owned()),
    });
    let lines = fields::block_fields(block, kind);
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
    Action {
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
    }
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
        let dir = action.fields.iter().find_map(|f| {
            if let Input::Dir(d) = &f.input {
                Some(d.clone())
            } else {
                None
            }
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
