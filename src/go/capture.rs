//! Capture files: one side's gocachehash log with a header saying how it was produced, written by
//! `whymiss capture` on one machine and read by `whymiss compare` on another.
//!
//! The format (documented with an example in `docs/capture-format.md`) is text a person can read:
//!
//! ```text
//! capture    = magic header* marker log
//! magic      = "# whymiss capture 1" LF
//! header     = "#" LF                                   ; blank, ignored
//!            | "# " key [" " name] ":" [" " value] LF  ; key: [a-z0-9-]+, name: no space
//! marker     = "# ---" any LF                          ; ends the header
//! value      = raw | quoted                            ; quoted: Go strconv.Quote
//! log        = the go command's stderr, byte for byte
//! ```
//!
//! A value is written raw unless it is empty, starts with `"`, has leading or trailing white
//! space, or holds a control or invisible formatting character; then it is Go-quoted. `args` is
//! one line of space-separated words, each quoted the same way when it holds a space. Readers
//! ignore keys they do not know, so new keys do not need a new format version.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt as _, PermissionsExt as _};
use std::path::Path;

use crate::error::Error;
use crate::model::{Mode, SideInfo};
use crate::parse::unquote::{quote, unquote};

use super::run::SideRun;

/// The first line of every capture (format version 1).
pub(crate) const MAGIC: &str = "# whymiss capture 1";

const MAGIC_PREFIX: &str = "# whymiss capture ";

/// The line that ends the header; the log starts on the next line.
pub(crate) const MARKER: &str = "# --- log: the go command's stderr follows, byte for byte ---";

/// The marker of a dry capture, whose log holds only go's gocachehash lines: the shell script
/// `go build -n` prints on the same stream is left out while it is read.
pub(crate) const DRY_MARKER: &str = "# --- log: the go command's gocachehash lines follow (go build -n; its script is left out) ---";

const MARKER_PREFIX: &str = "# ---";

/// A capture's header, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureHeader {
    /// The side as recorded; `source` is the capture's path.
    pub info: SideInfo,
    /// The whymiss version that wrote the capture.
    pub whymiss_version: Option<String>,
    /// Where the log starts in the file's bytes.
    pub body_offset: usize,
    /// How many lines come before the log (add to a log line number to get a file line).
    pub header_lines: u32,
}

/// Whether `bytes` start like a capture file.
pub fn is_capture(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC_PREFIX.as_bytes())
}

/// Writes `run` as a capture to `path` as [`write_output`] does.
///
/// `-` (standard output) is the caller's: see [`write_capture_to`].
pub fn write_capture(path: &Path, run: &SideRun) -> Result<(), Error> {
    write_output(path, &|out| write_capture_to(out, &run.info, &run.stderr))
}

/// Writes what `write` writes to `path` the way a shell's `> path` would, but atomically for
/// regular files (a capture, a report written with `-o FILE`):
///
/// * a regular file, or a new one, is written to a temporary file in the same directory and
///   renamed over it; a new file gets the usual mode (0666 less the umask), an existing one
///   keeps its mode;
/// * a symbolic link is followed: its target is written (and created when missing), the link
///   stays;
/// * a FIFO or a character device (`/dev/null`, `/dev/stdout`) is written in place, never
///   replaced;
/// * a directory, a block device or a socket is refused.
pub(crate) fn write_output(
    path: &Path,
    write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let err = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    let target = resolve_links(path).map_err(err)?;
    let existing = match std::fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(err(e)),
    };
    match existing {
        Some(meta) if !meta.is_file() => {
            let kind = meta.file_type();
            if kind.is_fifo() || kind.is_char_device() {
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(err)?;
                write(&mut std::io::BufWriter::new(&mut file)).map_err(err)
            } else {
                let what = if kind.is_dir() {
                    "is a directory"
                } else if kind.is_block_device() {
                    "is a block device; not writing over it"
                } else {
                    "is a socket; not writing to it"
                };
                Err(err(std::io::Error::other(what)))
            }
        }
        existing => {
            let mode = existing.as_ref().map(|m| m.permissions().mode() & 0o7777);
            replace_file(&target, mode, write).map_err(err)
        }
    }
}

/// Writes a new `target` (mode `mode`, else 0666 less the umask) through a temporary file in its
/// directory renamed over it. When the directory does not let us create the temporary file but
/// `target` exists, it is overwritten in place, as a shell would.
fn replace_file(
    target: &Path,
    mode: Option<u32>,
    write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".whymiss-")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir);
    let mut file = match temp {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && mode.is_some() => {
            let mut file = std::fs::File::create(target)?;
            write(&mut std::io::BufWriter::new(&mut file))?;
            return file.sync_all();
        }
        Err(e) => return Err(e),
    };
    write(&mut std::io::BufWriter::new(file.as_file_mut()))?;
    if let Some(mode) = mode {
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    file.as_file().sync_all()?;
    file.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Follows symbolic links from `path` to the path they finally name (which may not exist yet).
fn resolve_links(path: &Path) -> std::io::Result<std::path::PathBuf> {
    let mut current = path.to_owned();
    // Linux gives up after 40 links (ELOOP); so do we.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Writes a capture of `info` and `log` to `out`.
pub(crate) fn write_capture_to(
    out: &mut dyn Write,
    info: &SideInfo,
    log: &[u8],
) -> std::io::Result<()> {
    let mut header = String::new();
    let mut line = |key: &str, text: &str| {
        header.push_str("# ");
        header.push_str(key);
        header.push(':');
        if !text.is_empty() {
            header.push(' ');
            header.push_str(text);
        }
        header.push('\n');
    };
    line("whymiss-version", &value_text(env!("CARGO_PKG_VERSION")));
    line("label", &value_text(&info.label));
    let optional = [
        ("host", &info.host),
        ("time", &info.time),
        ("go-version", &info.go_version),
        ("go-binary", &info.go_binary),
        ("dir", &info.dir),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            line(key, &value_text(value));
        }
    }
    let args: Vec<String> = info.args.iter().map(|a| word_text(a)).collect();
    line("args", &args.join(" "));
    if let Some(mode) = info.mode {
        line("mode", mode.as_str());
    }
    if let Some(status) = info.exit_status {
        line("exit-status", &status.to_string());
    }
    for (name, value) in &info.go_env {
        line(&format!("go-env {name}"), &value_text(value));
    }
    for (name, value) in &info.env_overrides {
        line(&format!("env-override {name}"), &value_text(value));
    }
    for tail in &info.error_tail {
        line("error", &value_text(tail));
    }
    out.write_all(MAGIC.as_bytes())?;
    out.write_all(b"\n")?;
    out.write_all(header.as_bytes())?;
    out.write_all(match info.mode {
        Some(Mode::Dry) => DRY_MARKER.as_bytes(),
        Some(Mode::Exact) | None => MARKER.as_bytes(),
    })?;
    out.write_all(b"\n")?;
    out.write_all(log)?;
    out.flush()
}

fn needs_quote(value: &str) -> bool {
    value.is_empty()
        || value.starts_with('"')
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace)
        // Characters that would hide or garble a raw value in an editor or terminal.
        || value.chars().any(crate::model::is_invisible)
}

fn value_text(value: &str) -> String {
    if needs_quote(value) {
        quote(value.as_bytes())
    } else {
        value.to_owned()
    }
}

fn word_text(word: &str) -> String {
    if needs_quote(word) || word.contains(' ') {
        quote(word.as_bytes())
    } else {
        word.to_owned()
    }
}

/// Reads the header of a capture file's `bytes`; `path` names the file in errors and becomes
/// [`SideInfo::source`].
pub fn read_capture(path: &Path, bytes: &[u8]) -> Result<CaptureHeader, Error> {
    let fail = |line: u32, message: String| Error::Capture {
        path: path.to_owned(),
        line,
        message,
    };
    let mut info = SideInfo {
        source: path.display().to_string(),
        ..SideInfo::default()
    };
    let mut whymiss_version = None;
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut start = 0usize;
    let mut line_no: u32 = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let raw = &bytes[start..end];
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        start = end + 1;
        line_no += 1;
        let text = std::str::from_utf8(raw)
            .map_err(|_| fail(line_no, "header line is not valid UTF-8".into()))?;
        if line_no == 1 {
            if text == MAGIC {
                continue;
            }
            return Err(fail(
                1,
                match text.strip_prefix(MAGIC_PREFIX) {
                    Some(version) => format!(
                        "capture format version {version} is not supported (this whymiss reads \
                         version 1)"
                    ),
                    None => format!("not a whymiss capture: the first line must be `{MAGIC}`"),
                },
            ));
        }
        if text.starts_with(MARKER_PREFIX) {
            // Captures written before the mode was recorded were all real builds.
            info.mode.get_or_insert(Mode::Exact);
            return Ok(CaptureHeader {
                info,
                whymiss_version,
                body_offset: start.min(bytes.len()),
                header_lines: line_no,
            });
        }
        if text == "#" {
            continue;
        }
        let Some(rest) = text.strip_prefix("# ") else {
            return Err(fail(
                line_no,
                format!(
                    "expected a `# key: value` header line or the `{MARKER_PREFIX}` line that \
                     ends the header, found {}",
                    quote(raw)
                ),
            ));
        };
        let (key, value) = match rest.split_once(": ") {
            Some((k, v)) => (k, v),
            None => match rest.strip_suffix(':') {
                Some(k) => (k, ""),
                None => {
                    return Err(fail(
                        line_no,
                        format!("expected `key: value`, found {}", quote(raw)),
                    ));
                }
            },
        };
        let (word, name) = match key.split_once(' ') {
            Some((w, n)) => (w, Some(n)),
            None => (key, None),
        };
        let valid_word = !word.is_empty()
            && word
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_word || name.is_some_and(|n| n.is_empty() || n.contains(' ')) {
            return Err(fail(
                line_no,
                format!("malformed key {}", quote(key.as_bytes())),
            ));
        }
        let repeatable = word == "error";
        if !repeatable && let Some(first) = seen.insert(key.to_owned(), line_no) {
            return Err(fail(
                line_no,
                format!("`{key}` given twice (first on line {first})"),
            ));
        }
        let value_of = |v: &str| decode_value(v).map_err(|m| fail(line_no, format!("{key}: {m}")));
        match (word, name) {
            ("whymiss-version", None) => whymiss_version = Some(value_of(value)?),
            ("label", None) => info.label = value_of(value)?,
            ("host", None) => info.host = Some(value_of(value)?),
            ("time", None) => info.time = Some(value_of(value)?),
            ("go-version", None) => info.go_version = Some(value_of(value)?),
            ("go-binary", None) => info.go_binary = Some(value_of(value)?),
            ("dir", None) => info.dir = Some(value_of(value)?),
            ("args", None) => {
                info.args = split_words(value).map_err(|m| fail(line_no, format!("args: {m}")))?;
            }
            ("exit-status", None) => {
                let v = value_of(value)?;
                info.exit_status = Some(v.parse().map_err(|_| {
                    fail(
                        line_no,
                        format!("exit-status: not an integer: {}", quote(v.as_bytes())),
                    )
                })?);
            }
            ("error", None) => info.error_tail.push(value_of(value)?),
            ("mode", None) => {
                let v = value_of(value)?;
                info.mode = Some(
                    v.parse()
                        .map_err(|m: String| fail(line_no, format!("mode: {m}")))?,
                );
            }
            ("go-env", Some(name)) => {
                info.go_env.insert(name.to_owned(), value_of(value)?);
            }
            ("env-override", Some(name)) => {
                info.env_overrides.insert(name.to_owned(), value_of(value)?);
            }
            // Written by a newer whymiss: not needed to compare.
            _ => {}
        }
    }
    Err(fail(
        line_no.max(1),
        format!("the header never ends: no `{MARKER_PREFIX}` line before the end of the file"),
    ))
}

/// A header value: Go-quoted when it starts with `"`, else as written.
fn decode_value(value: &str) -> Result<String, String> {
    if !value.starts_with('"') {
        return Ok(value.to_owned());
    }
    let bytes = unquote(value.as_bytes())
        .map_err(|e| format!("bad quoted value at byte {}: {}", e.offset + 1, e.reason))?;
    String::from_utf8(bytes.into_owned()).map_err(|_| "quoted value is not valid UTF-8".into())
}

/// Splits an `args` value into words; a word starting with `"` is Go-quoted.
fn split_words(value: &str) -> Result<Vec<String>, String> {
    let bytes = value.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let start = i;
        if bytes[i] == b'"' {
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return Err(format!("unterminated quoted word at byte {}", start + 1)),
                    Some(b'\\') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            if bytes.get(i).is_some_and(|&b| b != b' ') {
                return Err(format!(
                    "text right after the quoted word at byte {}",
                    start + 1
                ));
            }
        } else {
            while i < bytes.len() && bytes[i] != b' ' {
                i += 1;
            }
        }
        words.push(decode_value(&value[start..i])?);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn sample() -> SideInfo {
        SideInfo {
            label: "ci runner".into(),
            source: "live".into(),
            go_version: Some("go1.27.3".into()),
            go_binary: Some("/usr/local/go/bin/go".into()),
            dir: Some("/home/u/src/app".into()),
            go_env: BTreeMap::from([
                ("CGO_ENABLED".into(), "1".into()),
                (
                    "GOFLAGS".into(),
                    "-ldflags=\"-X main.v=1\" -trimpath".into(),
                ),
                ("GOEXPERIMENT".into(), String::new()),
                ("CC".into(), " gcc\t-m64\n".into()),
                ("GODEBUG".into(), "\"quoted\"".into()),
            ]),
            env_overrides: BTreeMap::from([("GOAMD64".into(), "v3".into())]),
            args: vec![
                "build".into(),
                "-ldflags=-X main.v=a b".into(),
                String::new(),
                "\"".into(),
                "café\u{200b}".into(),
                "./...".into(),
            ],
            mode: Some(Mode::Dry),
            host: Some("runner-7".into()),
            time: Some("2026-11-21T18:20:05Z".into()),
            exit_status: Some(1),
            error_tail: vec!["# example.com/app".into(), "\tbad: \"x\"".into()],
        }
    }

    #[test]
    fn a_capture_without_a_mode_is_a_real_build_and_a_bad_mode_is_an_error() {
        let old = b"# whymiss capture 1\n# label: ci\n# args: build ./...\n# --- log\nHASH[x]\n";
        let header = read_capture(Path::new("old.capture"), old).unwrap();
        assert_eq!(header.info.mode, Some(Mode::Exact));
        let mut exact = Vec::new();
        let info = SideInfo {
            mode: Some(Mode::Exact),
            ..sample()
        };
        write_capture_to(&mut exact, &info, b"").unwrap();
        let text = String::from_utf8(exact).unwrap();
        assert!(text.contains("# mode: exact\n") && text.ends_with(&format!("{MARKER}\n")));
        let bad = b"# whymiss capture 1\n# mode: wet\n# --- log\n";
        let err = read_capture(Path::new("bad.capture"), bad).unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.capture:2: mode: unknown mode `wet` (dry or exact)"
        );
    }

    #[test]
    fn write_then_read_round_trips_header_and_log() {
        let info = sample();
        let log = b"HASH[build a]\nHASH[build a]: \"go1.27.3\"\n\xff\x00 raw bytes\r\n# --- not a marker\n";
        let mut bytes = Vec::new();
        write_capture_to(&mut bytes, &info, log).unwrap();
        assert!(is_capture(&bytes));
        let path = Path::new("ci.capture");
        let header = read_capture(path, &bytes).unwrap();
        assert_eq!(
            header.info,
            SideInfo {
                source: "ci.capture".into(),
                ..info
            }
        );
        assert_eq!(&bytes[header.body_offset..], log);
        assert_eq!(
            header.whymiss_version.as_deref(),
            Some(env!("CARGO_PKG_VERSION"))
        );
        let lines_before = bytes[..header.body_offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        assert_eq!(header.header_lines as usize, lines_before);
    }

    #[test]
    fn the_header_is_readable_text() {
        let mut bytes = Vec::new();
        write_capture_to(&mut bytes, &sample(), b"").unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("# whymiss capture 1\n# whymiss-version: "));
        for expected in [
            "# label: ci runner\n",
            "# go-env GOFLAGS: -ldflags=\"-X main.v=1\" -trimpath\n",
            "# go-env GOEXPERIMENT: \"\"\n",
            "# go-env CC: \" gcc\\t-m64\\n\"\n",
            "# go-env GODEBUG: \"\\\"quoted\\\"\"\n",
            "# args: build \"-ldflags=-X main.v=a b\" \"\" \"\\\"\" \"café\\u200b\" ./...\n",
            "# exit-status: 1\n",
            "# mode: dry\n",
            "# error: \"\\tbad: \\\"x\\\"\"\n",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        assert!(text.ends_with(&format!("{DRY_MARKER}\n")));
    }

    #[test]
    fn a_file_written_to_disk_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.capture");
        let run = SideRun {
            info: sample(),
            stderr: b"HASH[link x]\n".to_vec(),
            success: false,
            elapsed: Duration::from_secs(1),
        };
        write_capture(&path, &run).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let header = read_capture(&path, &bytes).unwrap();
        assert_eq!(&bytes[header.body_offset..], run.stderr);
        assert_eq!(header.info.error_tail, run.info.error_tail);
        // Only the capture is left in the directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    fn sample_run() -> SideRun {
        SideRun {
            info: sample(),
            stderr: b"HASH[link x]\n".to_vec(),
            success: true,
            elapsed: Duration::from_secs(1),
        }
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    /// This process's umask, from /proc (reading it with umask(2) would change it for every
    /// thread).
    fn umask() -> u32 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("Umask:")).unwrap();
        u32::from_str_radix(line["Umask:".len()..].trim(), 8).unwrap()
    }

    /// Issue 9 item 7: the capture was a 0600 temporary file renamed over whatever was at the
    /// path, so a symbolic link became a regular file.
    #[test]
    fn a_symlink_is_written_through_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.capture");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.capture");
        std::os::unix::fs::symlink("real.capture", &link).unwrap();
        write_capture(&link, &sample_run()).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert!(
            std::fs::read(&target)
                .unwrap()
                .starts_with(MAGIC.as_bytes())
        );
        assert_eq!(mode(&target), 0o640, "an existing file keeps its mode");

        // A dangling link: its target is created.
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink("sub/new.capture", &dangling).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write_capture(&dangling, &sample_run()).unwrap();
        assert!(std::fs::symlink_metadata(&dangling).unwrap().is_symlink());
        assert!(dir.path().join("sub/new.capture").is_file());
        // Nothing else was left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with(".whymiss"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    /// Issue 9 item 7: a FIFO (or a device such as /dev/null) was replaced by a regular file.
    #[test]
    fn a_fifo_is_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_capture(&fifo, &sample_run()).unwrap();
        // First: had the FIFO been replaced, the reader would wait for a writer forever.
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        let read = reader.join().unwrap();
        assert!(read.starts_with(MAGIC.as_bytes()));
        assert!(read.ends_with(b"HASH[link x]\n"));
    }

    /// Issue 9 item 7: as root, `-o /dev/null` replaced the system's /dev/null. The test writes
    /// to a null device of its own when it may make one (as root), so a regression cannot
    /// damage the machine; otherwise to /dev/null, which it could not replace.
    #[test]
    fn a_character_device_is_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("null");
        let made = std::process::Command::new("mknod")
            .arg(&own)
            .args(["c", "1", "3"])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let device = if made {
            own.as_path()
        } else {
            Path::new("/dev/null")
        };
        write_capture(device, &sample_run()).unwrap();
        let meta = std::fs::metadata(device).unwrap();
        assert!(meta.file_type().is_char_device(), "{}", device.display());
    }

    /// Issue 9 item 7: a new capture was 0600 whatever the umask.
    #[test]
    fn a_new_capture_gets_the_usual_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.capture");
        write_capture(&path, &sample_run()).unwrap();
        assert_eq!(mode(&path), 0o666 & !umask());
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_capture(dir.path(), &sample_run()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}: is a directory", dir.path().display())
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    fn capture_error(text: &str) -> (u32, String) {
        match read_capture(Path::new("x.capture"), text.as_bytes()) {
            Err(Error::Capture { line, message, .. }) => (line, message),
            other => panic!("expected a capture error, got {other:?}"),
        }
    }

    #[test]
    fn malformed_headers_name_the_line() {
        let (line, message) = capture_error("HASH[build a]\n");
        assert_eq!(line, 1);
        assert!(message.starts_with("not a whymiss capture"), "{message}");

        let (line, message) = capture_error("# whymiss capture 2\n");
        assert_eq!(
            (line, message.as_str()),
            (
                1,
                "capture format version 2 is not supported (this whymiss reads version 1)"
            )
        );

        let (line, message) =
            capture_error("# whymiss capture 1\n# label: a\nlabel: b\n# --- log\n");
        assert_eq!(line, 3);
        assert!(
            message.starts_with("expected a `# key: value` header line"),
            "{message}"
        );

        let (line, message) =
            capture_error("# whymiss capture 1\n# label: a\n#\n# exit-status: one\n# --- log\n");
        assert_eq!(
            (line, message.as_str()),
            (4, "exit-status: not an integer: \"one\"")
        );

        let (line, message) = capture_error("# whymiss capture 1\n# go-env CC: \"gcc\n# ---\n");
        assert_eq!(line, 2);
        assert!(
            message.starts_with("go-env CC: bad quoted value"),
            "{message}"
        );

        let (line, message) = capture_error("# whymiss capture 1\n# label: a\n# label: b\n# ---\n");
        assert_eq!(
            (line, message.as_str()),
            (3, "`label` given twice (first on line 2)")
        );

        let (line, message) = capture_error("# whymiss capture 1\n# Label: a\n# ---\n");
        assert_eq!((line, message.as_str()), (2, "malformed key \"Label\""));

        let (line, message) = capture_error("# whymiss capture 1\n# args: build \"a\"b\n# ---\n");
        assert_eq!(line, 2);
        assert!(
            message.starts_with("args: text right after the quoted word"),
            "{message}"
        );

        let (line, message) = capture_error("# whymiss capture 1\n# label: a\nHASH[build a]\n");
        assert_eq!(line, 3);
        assert!(
            message.starts_with("expected a `# key: value`"),
            "{message}"
        );

        let (line, message) = capture_error("# whymiss capture 1\n# label: a\n");
        assert_eq!(line, 2);
        assert!(message.starts_with("the header never ends"), "{message}");

        let err = read_capture(
            Path::new("x.capture"),
            b"# whymiss capture 1\n# label: a\n# x\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.capture:3: expected `key: value`, found \"# x\""
        );
    }

    #[test]
    fn unknown_keys_and_blank_lines_are_ignored() {
        let text =
            "# whymiss capture 1\n#\n# future-key: 1\n# future-map X: y\n# label:\n# ---\nlog";
        let header = read_capture(Path::new("f"), text.as_bytes()).unwrap();
        assert_eq!(header.info.label, "");
        assert_eq!(&text.as_bytes()[header.body_offset..], b"log");
        assert_eq!(header.header_lines, 6);
    }
}
