//! One line of a gocachehash log, classified by the grammar at the top of `parse/mod.rs`.
//!
//! Every function named after a production parses a whole line (without its `\n`, and without a
//! trailing `\r`) with `complete` combinators and returns the remainder, which is empty on success.

use nom::bytes::complete::tag;
use nom::combinator::{map, rest, verify};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use crate::model::{Digest, is_lower_hex};

/// A classified line. Byte slices borrow from the log; quoted bodies are still escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Line<'a> {
    /// `HASH[name]`: a block opens (`cache.NewHash`).
    Open { name: &'a [u8] },
    /// `HASH[name]: "…"`: one `Write` to a block. `body` is the text between the quotes.
    Input { name: &'a [u8], body: &'a [u8] },
    /// `HASH[name]: <hex64>`: a block's `Sum`.
    Result { name: &'a [u8], sum: Digest },
    /// `HASH subkey <parent> "<desc>" = <out>`: `cache.Subkey`, not salted.
    Subkey {
        parent: Digest,
        desc: &'a [u8],
        out: Digest,
    },
    /// `HASH <path>: <hex64>`: `cache.FileHash`, printed once per path per process.
    FileHash { path: &'a [u8], sum: Digest },
    /// `HASH <path>: <error>`: `cache.FileHash` failed to open or read the file.
    FileHashError { path: &'a [u8], error: &'a [u8] },
    /// `testcache: …`: a test-cache decision (`GODEBUG=gocachetest=1`).
    TestCache { text: &'a [u8] },
    /// Anything else: compiler output, `-x` traces, test output. Skipped and counted.
    Other,
}

/// A line that starts like gocachehash output but does not follow its grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Malformed {
    pub reason: &'static str,
}

/// Classifies one line. `Err` only for lines that claim to be gocachehash output (`HASH[`,
/// `HASH subkey`) but are broken, e.g. cut off in the middle of a quoted payload.
pub(crate) fn classify(line: &[u8]) -> Result<Line<'_>, Malformed> {
    let line = strip_trailing_csi(line);
    if line.starts_with(b"HASH[") {
        return block_line(line).map_err(|reason| Malformed { reason });
    }
    if let Some(after) = line.strip_prefix(b"HASH subkey ") {
        // Only a line with a well-formed parent digest is claimed; "HASH subkey" followed by
        // something else is a file-hash line for a relative path, or not ours.
        if after.len() > 65 && after[..64].iter().all(|&b| is_lower_hex(b)) && after[64] == b' ' {
            return match subkey(line) {
                Ok((_, l)) => Ok(l),
                Err(_) => Err(Malformed {
                    reason: "subkey line does not end with `\" = <64 hex digits>`",
                }),
            };
        }
    }
    if line.starts_with(b"HASH ") {
        if let Ok((_, l)) = file_hash(line) {
            return Ok(l);
        }
        if let Ok((_, l)) = file_hash_error(line) {
            return Ok(l);
        }
        return Ok(Line::Other);
    }
    if let Ok((_, l)) = test_cache(line) {
        return Ok(l);
    }
    Ok(Line::Other)
}

/// Dispatches a `HASH[` line: result first, then input, then open: an input line always ends in
/// `"` and a result never does (cmd/go/internal/cache/hash.go, `(*Hash).Write` prints `%q`,
/// `(*Hash).Sum` prints `%x`).
fn block_line(line: &[u8]) -> Result<Line<'_>, &'static str> {
    if let Ok((_, l)) = result(line) {
        return Ok(l);
    }
    if let Ok((_, l)) = input(line) {
        return Ok(l);
    }
    if line.ends_with(b"]")
        && let Ok((_, l)) = open(line)
    {
        return Ok(l);
    }
    if INPUT_SEPARATOR.find(line).is_some() {
        return Err("quoted payload is not terminated (line cut off mid-quote?)");
    }
    Err("`HASH[` line is neither a block opening, an input nor a result")
}

/// `open = "HASH[" name "]"` — the name is everything up to the final `]` (names may contain `]`).
pub(crate) fn open(i: &[u8]) -> IResult<&[u8], Line<'_>> {
    map(
        preceded(
            tag("HASH["),
            verify(rest, |r: &[u8]| r.len() >= 2 && r.ends_with(b"]")),
        ),
        |r: &[u8]| Line::Open {
            name: &r[..r.len() - 1],
        },
    )
    .parse(i)
}

/// The separator between a block name and its quoted payload, searched on every input line:
/// built once.
static INPUT_SEPARATOR: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"]: \""));

/// `input = "HASH[" name "]: " quoted` — split at the first `]: "`; `quoted` ends the line.
pub(crate) fn input(i: &[u8]) -> IResult<&[u8], Line<'_>> {
    let (i, _) = tag("HASH[").parse(i)?;
    let Some(end) = INPUT_SEPARATOR.find(i) else {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::TakeUntil,
        )));
    };
    let name = &i[..end];
    let (i, body) = quoted(&i[end + 3..])?;
    if name.is_empty() {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((i, Line::Input { name, body }))
}

/// `result = "HASH[" name "]: " hex64` — the line ends in 64 lowercase hex digits.
pub(crate) fn result(i: &[u8]) -> IResult<&[u8], Line<'_>> {
    let (after_tag, _) = tag("HASH[").parse(i)?;
    // The suffix is fixed-width: "]: " + 64 hex digits.
    if after_tag.len() < 68 {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Eof,
        )));
    }
    let split = after_tag.len() - 67;
    let (name, tail) = after_tag.split_at(split);
    let (rest, sum) = preceded(tag("]: "), hex64).parse(tail)?;
    Ok((rest, Line::Result { name, sum }))
}

/// `subkey = "HASH subkey " hex64 " " quoted " = " hex64`
pub(crate) fn subkey(i: &[u8]) -> IResult<&[u8], Line<'_>> {
    let (i, parent) = preceded(tag("HASH subkey "), hex64).parse(i)?;
    let (i, _) = tag(" ").parse(i)?;
    // The description is quoted; find the closing quote by scanning escapes, then " = " hex64.
    let (i, desc) = quoted_prefix(i)?;
    let (i, out) = preceded(tag(" = "), hex64).parse(i)?;
    if !i.is_empty() {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Eof,
        )));
    }
    Ok((i, Line::Subkey { parent, desc, out }))
}

/// `filehash = "HASH " path ": " hex64` — split at the last `": "` (the path is raw and could
/// contain one); the path must be absolute, as `cache.FileHash` is only given absolute paths.
pub(crate) fn file_hash(i: &[u8]) -> IResult<&[u8], Line<'_>> {
    let (after, _) = tag("HASH ").parse(i)?;
    if after.len() < 67 {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Eof,
        )));
    }
    let (path, tail) = after.split_at(after.len() - 66);
    let (rest, sum) = preceded(tag(": "), hex64).parse(tail)?;
    if !is_absolute(path) {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, Line::FileHash { path, sum }))
}

/// `filehash_error = "HASH " path ": " text` — `%v` of the error from opening or reading `path`.
/// Go's error text names the path again (`open /x/a.go: no such file or directory`), which is how
/// the split point is found when the path itself contains `": "`. Under `go build -n` the work
/// directory is the literal `$WORK` (`cmd/go/internal/work/action.go, NewBuilder`), and a file
/// the build would have produced there (the preprocessed PGO profile) cannot be opened.
pub(crate) fn file_hash_error(i: &[u8]) -> IResult<&[u8], Line<'_>> {
    let (after, _) = tag("HASH ").parse(i)?;
    let mut split = None;
    for pos in memchr::memmem::find_iter(after, b": ") {
        let (path, error) = (&after[..pos], &after[pos + 2..]);
        if (is_absolute(path) || path.starts_with(b"$WORK/")) && !error.is_empty() {
            split = Some(pos);
            // `%v` of an *fs.PathError: "<op> <path>: <err>".
            let repeats = error.iter().position(|&b| b == b' ').is_some_and(|sp| {
                error[sp + 1..].starts_with(path) && error[sp + 1 + path.len()..].starts_with(b": ")
            });
            if repeats {
                break;
            }
        }
    }
    match split {
        Some(pos) => Ok((
            &after[after.len()..],
            Line::FileHashError {
                path: &after[..pos],
                error: &after[pos + 2..],
            },
        )),
        None => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        ))),
    }
}

/// `testcache = "testcache: " text`
pub(crate) fn test_cache(i: &[u8]) -> IResult<&[u8], Line<'_>> {
    map(preceded(tag("testcache: "), rest), |text| Line::TestCache {
        text,
    })
    .parse(i)
}

/// `hex64 = 64 * [0-9a-f]`
pub(crate) fn hex64(i: &[u8]) -> IResult<&[u8], Digest> {
    match i.get(..64).and_then(Digest::from_hex) {
        Some(digest) => Ok((&i[64..], digest)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::TakeWhileMN,
        ))),
    }
}

/// `quoted = '"' { char | escape } '"'` ending the line: returns the body between the quotes.
pub(crate) fn quoted(i: &[u8]) -> IResult<&[u8], &[u8]> {
    let (r, body) = quoted_prefix(i)?;
    if r.is_empty() {
        Ok((r, body))
    } else {
        Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Eof,
        )))
    }
}

/// A quoted string followed by more text: returns the body and leaves the rest.
pub(crate) fn quoted_prefix(i: &[u8]) -> IResult<&[u8], &[u8]> {
    let (after, _) = tag("\"").parse(i)?;
    match closing_quote(after) {
        Some(end) => Ok((&after[end + 1..], &after[..end])),
        None => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Char,
        ))),
    }
}

/// Index of the first unescaped `"` in `s` (the text after an opening quote).
fn closing_quote(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'\\', b'"', &s[i..]) {
        i += off;
        if s[i] == b'"' {
            return Some(i);
        }
        i += 2;
        if i > s.len() {
            return None;
        }
    }
    None
}

/// Absolute on Unix (`/x`), Windows (`C:\x`, `C:/x`) or UNC (`\\host\x`).
fn is_absolute(path: &[u8]) -> bool {
    match path {
        [b'/', ..] => true,
        [b'\\', b'\\', ..] => true,
        [d, b':', b'\\' | b'/', ..] => d.is_ascii_alphabetic(),
        _ => false,
    }
}

/// Finds gocachehash output inside a line that a log collector decorated with a prefix
/// (`2024-05-01T12:00:00.1Z HASH[…]` in GitHub Actions, `#12 0.345 HASH[…]` in BuildKit) or
/// coloured with terminal escape sequences (`\x1b[36mHASH[…]\x1b[0m`, any mix of the two).
/// Without its escape sequences ([`csi`]), the prefix must be empty or end in a space or tab,
/// and it must hold no `"` and no other control character, so text that merely mentions `HASH[`
/// inside a quoted string is not taken for output. Escape sequences ending the line go too.
pub(crate) fn strip_decoration(line: &[u8]) -> Option<&[u8]> {
    let start = memchr::memmem::find(line, b"HASH")
        .into_iter()
        .chain(memchr::memmem::find(line, b"testcache: "))
        .min()?;
    if start == 0 || !plain_prefix(&line[..start]) {
        return None;
    }
    let rest = &line[start..];
    (rest.starts_with(b"HASH[") || rest.starts_with(b"HASH ") || rest.starts_with(b"testcache: "))
        .then(|| strip_trailing_csi(rest))
}

/// Whether `prefix` (the text before `HASH`) is a log collector's decoration: see
/// [`strip_decoration`].
fn plain_prefix(prefix: &[u8]) -> bool {
    let mut last = None;
    let mut i = 0;
    while i < prefix.len() {
        match prefix[i] {
            0x1b => match csi(&prefix[i..]) {
                Some(n) => i += n,
                None => return false,
            },
            b'"' => return false,
            b if b < 0x20 && b != b'\t' => return false,
            b => {
                last = Some(b);
                i += 1;
            }
        }
    }
    matches!(last, None | Some(b' ' | b'\t'))
}

/// `csi = ESC "[" param* intermediate* final` (ECMA-48 §5.4; param 0x30–0x3F, intermediate
/// 0x20–0x2F, final 0x40–0x7E), such as SGR colours (`\x1b[1;36m`) and erase-line
/// (`\x1b[K`): the length of the sequence that starts `s`.
pub(crate) fn csi(s: &[u8]) -> Option<usize> {
    let body = s.strip_prefix(b"\x1b[")?;
    let params = body
        .iter()
        .take_while(|b| (0x30..=0x3f).contains(*b))
        .count();
    let inter = body[params..]
        .iter()
        .take_while(|b| (0x20..=0x2f).contains(*b))
        .count();
    match body.get(params + inter) {
        Some(0x40..=0x7e) => Some(2 + params + inter + 1),
        _ => None,
    }
}

/// `line` without the escape sequences ([`csi`]) that end it, as a colouriser's reset
/// (`\x1b[0m`) does. go quotes an ESC in any payload (`\x1b`), so a gocachehash line never
/// ends in one of its own.
fn strip_trailing_csi(mut line: &[u8]) -> &[u8] {
    // Cheap test first: every line goes through here, and almost none ends in a letter that
    // closes an escape sequence (hex digits end results; quotes end inputs).
    while matches!(line.last(), Some(b'm' | b'K')) {
        let from = line.len().saturating_sub(32);
        match memchr::memrchr(0x1b, &line[from..]) {
            Some(at) if csi(&line[from + at..]) == Some(line.len() - from - at) => {
                line = &line[..from + at];
            }
            _ => break,
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUM: &str = "6ead6fd962feece678d150cb7dcfcc6e26f2b41a095c9b0c85a582d0eca7eff8";

    fn d(hex: &str) -> Digest {
        Digest::from_hex(hex.as_bytes()).unwrap()
    }

    #[test]
    fn open_takes_greedy_name() {
        let (r, l) = open(b"HASH[build example.com/a]").unwrap();
        assert_eq!(
            l,
            Line::Open {
                name: b"build example.com/a"
            }
        );
        assert!(r.is_empty());
        let (_, l) = open(b"HASH[preprocess PGO profile /x/[y]/default.pgo]").unwrap();
        assert_eq!(
            l,
            Line::Open {
                name: b"preprocess PGO profile /x/[y]/default.pgo"
            }
        );
        assert!(open(b"HASH[]").is_err());
    }

    #[test]
    fn input_splits_at_first_bracket_colon_quote() {
        let (r, l) = input(br#"HASH[build example.com/a]: "dir /x\n""#).unwrap();
        assert_eq!(
            l,
            Line::Input {
                name: b"build example.com/a",
                body: br"dir /x\n"
            }
        );
        assert!(r.is_empty());
        let (_, l) = input(br#"HASH[vet p]: "pkg \"a\\xc5\"\n""#).unwrap();
        assert_eq!(
            l,
            Line::Input {
                name: b"vet p",
                body: br#"pkg \"a\\xc5\"\n"#
            }
        );
    }

    #[test]
    fn input_rejects_truncated_quote() {
        assert!(input(br#"HASH[build a]: "dir /x\n"#).is_err());
        assert!(input(br#"HASH[build a]: "dir \""#).is_err());
        assert_eq!(
            classify(br#"HASH[build a]: "dir /x"#).unwrap_err().reason,
            "quoted payload is not terminated (line cut off mid-quote?)"
        );
    }

    #[test]
    fn result_is_fixed_width_suffix() {
        let line = format!("HASH[link example.com/a]: {SUM}");
        let (r, l) = result(line.as_bytes()).unwrap();
        assert_eq!(
            l,
            Line::Result {
                name: b"link example.com/a",
                sum: d(SUM)
            }
        );
        assert!(r.is_empty());
        assert!(result(format!("HASH[x]: {}", &SUM[1..]).as_bytes()).is_err());
    }

    #[test]
    fn result_wins_over_open_for_names_ending_in_hex() {
        let line = format!("HASH[x]: {SUM}");
        assert!(matches!(classify(line.as_bytes()), Ok(Line::Result { .. })));
    }

    #[test]
    fn subkey_line() {
        let line = format!("HASH subkey {SUM} \"inputs:a \\\" b\" = {SUM}");
        let (r, l) = subkey(line.as_bytes()).unwrap();
        assert_eq!(
            l,
            Line::Subkey {
                parent: d(SUM),
                desc: br#"inputs:a \" b"#,
                out: d(SUM)
            }
        );
        assert!(r.is_empty());
        let cut = format!("HASH subkey {SUM} \"stdout\" = 12");
        assert!(classify(cut.as_bytes()).is_err());
    }

    #[test]
    fn file_hash_splits_at_last_colon_space() {
        let line = format!("HASH /a: b/c.go: {SUM}");
        let (r, l) = file_hash(line.as_bytes()).unwrap();
        assert_eq!(
            l,
            Line::FileHash {
                path: b"/a: b/c.go",
                sum: d(SUM)
            }
        );
        assert!(r.is_empty());
        assert!(file_hash(format!("HASH rel/c.go: {SUM}").as_bytes()).is_err());
    }

    #[test]
    fn file_hash_error_uses_path_repeated_in_error() {
        let (r, l) =
            file_hash_error(b"HASH /x: y/a.go: open /x: y/a.go: no such file or directory")
                .unwrap();
        assert_eq!(
            l,
            Line::FileHashError {
                path: b"/x: y/a.go",
                error: b"open /x: y/a.go: no such file or directory"
            }
        );
        assert!(r.is_empty());
    }

    /// A dry run (`go build -n`) of a PGO build hashes the preprocessed profile in `$WORK`,
    /// which it never wrote; the line was counted as not gocachehash output.
    #[test]
    fn a_dry_runs_work_file_error_is_a_file_hash_error() {
        let line = b"HASH $WORK/b003/pgo.preprofile: open $WORK/b003/pgo.preprofile: no such file or directory";
        assert_eq!(
            classify(line).unwrap(),
            Line::FileHashError {
                path: b"$WORK/b003/pgo.preprofile",
                error: b"open $WORK/b003/pgo.preprofile: no such file or directory"
            }
        );
    }

    #[test]
    fn test_cache_line() {
        let (r, l) = test_cache(b"testcache: p: test output not found: x").unwrap();
        assert_eq!(
            l,
            Line::TestCache {
                text: b"p: test output not found: x"
            }
        );
        assert!(r.is_empty());
    }

    #[test]
    fn other_lines() {
        for l in [
            &b"packagefile fmt=/cache/ab-d"[..],
            b"# example.com/a",
            b"HASH is a word",
            b"",
            b"\xff\xfe",
        ] {
            assert_eq!(classify(l), Ok(Line::Other), "{l:?}");
        }
    }

    #[test]
    fn quoted_and_prefix() {
        assert_eq!(quoted(br#""a\"b""#).unwrap().1, br#"a\"b"#);
        assert!(quoted(br#""a"b""#).is_err());
        assert_eq!(
            quoted_prefix(br#""a\\" = x"#).unwrap(),
            (&b" = x"[..], &br"a\\"[..])
        );
    }

    #[test]
    fn decorations_are_stripped() {
        assert_eq!(
            strip_decoration(b"2024-05-01T12:00:00.1234567Z HASH[build a]"),
            Some(&b"HASH[build a]"[..])
        );
        assert_eq!(
            strip_decoration(b"#12 0.345 testcache: p: x"),
            Some(&b"testcache: p: x"[..])
        );
        assert_eq!(strip_decoration(br#"t.Log("HASH[build a]")"#), None);
        assert_eq!(strip_decoration(b"HASH[build a]"), None);
        assert_eq!(strip_decoration(b"xHASH[build a]"), None);
    }

    #[test]
    fn csi_sequences() {
        assert_eq!(csi(b"\x1b[0m"), Some(4));
        assert_eq!(csi(b"\x1b[1;36mHASH"), Some(7));
        assert_eq!(csi(b"\x1b[K"), Some(3));
        assert_eq!(csi(b"\x1b[?25l"), Some(6));
        assert_eq!(csi(b"\x1b[36"), None);
        assert_eq!(csi(b"\x1b]0;title\x07"), None);
        assert_eq!(csi(b"[0m"), None);
    }

    /// Issue 9 item 15: ANSI-coloured CI logs gave "no gocachehash lines".
    #[test]
    fn colour_codes_are_stripped_like_other_decorations() {
        let inner = &br#"HASH[build a]: "dir /x\n""#[..];
        for line in [
            &b"\x1b[36mHASH[build a]: \"dir /x\\n\"\x1b[0m"[..],
            b"\x1b[1;36mHASH[build a]: \"dir /x\\n\"\x1b[0m\x1b[K",
            b"2026-01-01T00:00:00.0000000Z \x1b[36mHASH[build a]: \"dir /x\\n\"\x1b[0m",
            b"\x1b[2m2026-01-01T00:00:00.0000000Z\x1b[0m HASH[build a]: \"dir /x\\n\"",
            b"\x1b[2m#12 0.345 \x1b[0m\x1b[36mHASH[build a]: \"dir /x\\n\"\x1b[m",
        ] {
            assert_eq!(strip_decoration(line), Some(inner), "{line:?}");
        }
        // A reset after an undecorated line.
        assert_eq!(
            classify(b"HASH[build a]: \"dir /x\\n\"\x1b[0m"),
            classify(inner)
        );
        let result = format!("HASH[x]: {SUM}\x1b[0m");
        assert!(matches!(
            classify(result.as_bytes()),
            Ok(Line::Result { .. })
        ));
        // Not a colour code: OSC, a bare ESC, or a quote in the prefix.
        assert_eq!(strip_decoration(b"\x1b]0;t\x07 HASH[build a]"), None);
        assert_eq!(strip_decoration(b"\x1b HASH[build a]"), None);
        assert_eq!(strip_decoration(b"\x1b[31m\"x\" HASH[build a]"), None);
        assert_eq!(strip_decoration(b"\x1b[31mxHASH[build a]"), None);
    }

    /// A real log coloured line by line, with and without GitHub Actions timestamps, parses to
    /// exactly the same actions, all verified.
    #[test]
    fn a_coloured_corpus_log_parses_like_the_plain_one() {
        use std::io::Read as _;
        for name in ["tiny-build", "lab-coverpkg"] {
            let path = format!(
                "{}/corpus/logs/go1.27.3/{name}.log.gz",
                env!("CARGO_MANIFEST_DIR")
            );
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
                .read_to_end(&mut plain)
                .unwrap();
            let reference = crate::parse::parse_log(&plain).unwrap();
            let summary = |log: &crate::model::BuildLog<'_>| -> Vec<String> {
                log.actions
                    .iter()
                    .map(|a| format!("{} {:?} {}", a.name, a.id, a.is_verified()))
                    .collect()
            };
            assert!(reference.actions.iter().all(|a| a.is_verified()));
            let decorations: [(&str, &str); 3] = [
                ("2026-01-01T00:00:00.0000000Z \x1b[36m", "\x1b[0m"),
                ("\x1b[36m", "\x1b[0m"),
                (
                    "\x1b[2m2026-01-01T00:00:00.0000000Z\x1b[0m \x1b[1;36m",
                    "\x1b[0m\x1b[K",
                ),
            ];
            for (before, after) in decorations {
                let mut coloured = Vec::with_capacity(plain.len() * 2);
                for line in plain.split_inclusive(|&b| b == b'\n') {
                    let body = line.strip_suffix(b"\n").unwrap_or(line);
                    coloured.extend_from_slice(before.as_bytes());
                    coloured.extend_from_slice(body);
                    coloured.extend_from_slice(after.as_bytes());
                    coloured.push(b'\n');
                }
                let log = crate::parse::parse_log(&coloured)
                    .unwrap_or_else(|e| panic!("{name} with {before:?}: {e}"));
                assert_eq!(summary(&log), summary(&reference), "{name} with {before:?}");
                assert!(log.actions.iter().all(|a| a.is_verified()));
                assert_eq!(log.subkeys.len(), reference.subkeys.len());
                assert_eq!(log.file_hashes.len(), reference.file_hashes.len());
                assert_eq!(log.test_cache.len(), reference.test_cache.len());
                assert_eq!(log.stats.hash_lines, reference.stats.hash_lines);
            }
        }
    }
}
