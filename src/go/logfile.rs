//! Reading a log as its user has it: a file (plain or gzip-compressed) or standard input (`-`),
//! within bounds.
//!
//! Whatever the input, whymiss holds at most [`DEFAULT_MAX_LOG_SIZE`] bytes of it (after
//! inflating; `--max-log-size` raises or lowers the bound) and stops at the first chunk that is
//! binary, so a gzip bomb, `/dev/zero` or an endless pipe ends with a one-line error instead of
//! eating the machine's memory. A plain regular file is read into one buffer of its exact size
//! (no copy); gzip is inflated as it streams from the file into a buffer sized by the gzip
//! trailer, so a real log costs its own size once.

use std::io::{self, Read};
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::parse::ParseError;

/// The most a log may hold (after inflating) unless `--max-log-size` says otherwise: 1 GiB, some
/// 300 gocachehash logs of `go build std cmd` (3.3 MB each).
pub const DEFAULT_MAX_LOG_SIZE: u64 = 1 << 30;

/// How much of the start of the input decides whether it is binary.
const HEAD: usize = 8 * 1024;

/// The bytes of one log and where they came from.
#[derive(Debug, Clone)]
pub struct LogFile {
    /// As given on the command line (`-` for standard input).
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Why reading stopped early.
enum Stop {
    Io(io::Error),
    Binary,
    TooBig,
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        Stop::Io(e)
    }
}

impl LogFile {
    /// [`LogFile::read_with_limit`] with [`DEFAULT_MAX_LOG_SIZE`].
    pub fn read(path: &Path) -> Result<LogFile, Error> {
        LogFile::read_with_limit(path, DEFAULT_MAX_LOG_SIZE)
    }

    /// Reads `path` (`-` reads standard input), inflating gzip data (CI artifacts often are),
    /// and fails with a one-line error when the input is binary or holds more than `max` bytes.
    pub fn read_with_limit(path: &Path, max: u64) -> Result<LogFile, Error> {
        let read = if path == Path::new("-") {
            read_stream(&mut io::stdin().lock(), None, None, max)
        } else {
            std::fs::File::open(path)
                .map_err(Stop::Io)
                .and_then(|file| read_file(&file, max))
        };
        match read {
            Ok(bytes) => Ok(LogFile {
                path: path.to_owned(),
                bytes,
            }),
            Err(Stop::Io(source)) => Err(Error::Read {
                path: path.to_owned(),
                source,
            }),
            Err(Stop::Binary) => Err(Error::Parse {
                path: path.to_owned(),
                source: ParseError {
                    line: None,
                    message: "binary data, not a gocachehash log".into(),
                },
            }),
            Err(Stop::TooBig) => Err(Error::Read {
                path: path.to_owned(),
                source: io::Error::other(format!(
                    "more than {} of log{}; stopped reading (--max-log-size raises the limit)",
                    size_text(max),
                    if path == Path::new("-") {
                        ""
                    } else {
                        " after inflating"
                    }
                )),
            }),
        }
    }

    /// The name to show in reports.
    pub fn display_name(&self) -> String {
        if self.path == Path::new("-") {
            "<stdin>".into()
        } else {
            self.path.display().to_string()
        }
    }
}

/// A regular file of known size is checked against `max` before it is read; anything else
/// (a FIFO, a device such as `/dev/zero`) is read as a stream.
fn read_file(file: &std::fs::File, max: u64) -> Result<Vec<u8>, Stop> {
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(Stop::Io(io::Error::from(io::ErrorKind::IsADirectory)));
    }
    if !meta.is_file() {
        return read_stream(&mut &*file, None, None, max);
    }
    let len = meta.len();
    // gzip's trailer holds the inflated size (mod 2^32) of its last member: the buffer to
    // reserve for a real log. Nothing is committed until it is written.
    let mut trailer = [0u8; 4];
    let gzip_size = (len >= 18 && file.read_exact_at(&mut trailer, len - 4).is_ok())
        .then(|| u64::from(u32::from_le_bytes(trailer)));
    read_stream(&mut &*file, Some(len), gzip_size, max)
}

/// Reads `input` to its end: the first chunk decides gzip and binary, the rest is bounded by
/// `max`. `len` is the input's size when known, `gzip_size` the inflated size a gzip trailer
/// claims.
fn read_stream(
    input: &mut dyn Read,
    len: Option<u64>,
    gzip_size: Option<u64>,
    max: u64,
) -> Result<Vec<u8>, Stop> {
    let mut head = Vec::with_capacity(HEAD);
    input.take(HEAD as u64).read_to_end(&mut head)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let chained = io::Cursor::new(head).chain(input);
        let mut gz = flate2::read::MultiGzDecoder::new(chained);
        let reserve = gzip_size
            .filter(|&n| n <= max)
            .or(len.map(|n| n.saturating_mul(8).min(max)))
            .unwrap_or(0);
        let out = read_bounded(&mut gz, reserve, max).map_err(|stop| match stop {
            Stop::Io(e) => Stop::Io(io::Error::new(
                e.kind(),
                format!("not valid gzip data: {e}"),
            )),
            other => other,
        })?;
        return Ok(out);
    }
    if looks_binary(&head) {
        return Err(Stop::Binary);
    }
    if len.is_some_and(|n| n > max) {
        return Err(Stop::TooBig);
    }
    let reserve = len.unwrap_or(0).max(head.len() as u64);
    let mut out = Vec::with_capacity(reserve as usize);
    out.extend_from_slice(&head);
    drop(head);
    read_rest(input, &mut out, max)?;
    Ok(out)
}

/// Reads `input` into a buffer of `reserve` bytes, checking its first [`HEAD`] bytes for binary
/// data.
fn read_bounded(input: &mut dyn Read, reserve: u64, max: u64) -> Result<Vec<u8>, Stop> {
    let mut out = Vec::with_capacity(reserve.max(HEAD as u64) as usize);
    input.take(HEAD as u64).read_to_end(&mut out)?;
    if looks_binary(&out) {
        return Err(Stop::Binary);
    }
    read_rest(input, &mut out, max)?;
    Ok(out)
}

/// Appends the rest of `input` to `out`, failing once `out` would hold more than `max` bytes.
/// Slack left by the buffer's growth is returned to the allocator.
fn read_rest(input: &mut dyn Read, out: &mut Vec<u8>, max: u64) -> Result<(), Stop> {
    let room = max.saturating_sub(out.len() as u64);
    input.take(room.saturating_add(1)).read_to_end(out)?;
    if out.len() as u64 > max {
        return Err(Stop::TooBig);
    }
    if out.capacity() > out.len() + out.len() / 8 {
        out.shrink_to_fit();
    }
    Ok(())
}

/// NUL bytes or mostly invalid UTF-8 in `head` (the first [`HEAD`] bytes): no gocachehash log
/// looks like that, and reading on would only waste memory.
pub fn looks_binary(head: &[u8]) -> bool {
    let head = &head[..head.len().min(HEAD)];
    if head.contains(&0) {
        return true;
    }
    let invalid: usize = head.utf8_chunks().map(|c| c.invalid().len()).sum();
    invalid * 10 > head.len()
}

/// `1 GiB`, `512 MiB`, `1500 bytes`: a size as `--max-log-size` takes it.
pub fn size_text(n: u64) -> String {
    for (unit, name) in [
        (1u64 << 40, "TiB"),
        (1 << 30, "GiB"),
        (1 << 20, "MiB"),
        (1 << 10, "KiB"),
    ] {
        if n >= unit && n.is_multiple_of(unit) {
            return format!("{} {name}", n / unit);
        }
    }
    format!("{n} bytes")
}

/// Parses `--max-log-size`: a number of bytes with an optional `K`, `M`, `G` or `T` suffix
/// (powers of 1024; `KiB`, `MB` and the like are read the same way).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = t.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("expected a size such as 4G or 512M, got `{text}`"))?;
    let unit = unit.trim().to_ascii_uppercase();
    let shift = match unit.trim_end_matches('B').trim_end_matches('I') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("unknown size unit in `{text}` (use K, M, G or T)")),
    };
    number
        .checked_mul(1 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{text}` is not a usable size"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn read(bytes: &[u8], max: u64) -> Result<LogFile, Error> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        std::fs::write(&path, bytes).unwrap();
        LogFile::read_with_limit(&path, max)
    }

    const LOG: &[u8] = b"HASH[build a]\nHASH[build a]: \"go1.27.3\"\n";

    #[test]
    fn plain_and_gzip_logs_read_the_same() {
        assert_eq!(read(LOG, 1000).unwrap().bytes, LOG);
        assert_eq!(read(&gzip(LOG), 1000).unwrap().bytes, LOG);
        // Two gzip members, as `cat a.gz b.gz` makes.
        let mut two = gzip(LOG);
        two.extend(gzip(LOG));
        assert_eq!(read(&two, 1000).unwrap().bytes, [LOG, LOG].concat());
        // Longer than the first chunk.
        let long: Vec<u8> = LOG.iter().copied().cycle().take(100_000).collect();
        assert_eq!(read(&long, 1 << 20).unwrap().bytes, long);
        assert_eq!(read(&gzip(&long), 1 << 20).unwrap().bytes, long);
        assert_eq!(read(&long, long.len() as u64).unwrap().bytes, long);
    }

    /// Issue 9 item 9: a gzip of zeros was inflated whole before it was found to be binary.
    #[test]
    fn binary_input_stops_at_the_first_chunk() {
        for bytes in [vec![0u8; 100_000], gzip(&vec![0u8; 1 << 20])] {
            let err = read(&bytes, 1 << 30).unwrap_err();
            assert!(
                err.to_string()
                    .ends_with(": binary data, not a gocachehash log"),
                "{err}"
            );
        }
        let mut invalid = LOG.to_vec();
        invalid.extend(std::iter::repeat_n(0xffu8, 2000));
        assert!(read(&invalid, 1 << 20).is_err());
    }

    #[test]
    fn input_beyond_the_bound_is_an_error() {
        let long: Vec<u8> = LOG.iter().copied().cycle().take(100_000).collect();
        for bytes in [long.clone(), gzip(&long)] {
            let err = read(&bytes, 50_000).unwrap_err();
            assert!(
                err.to_string().contains("more than 50000 bytes of log"),
                "{err}"
            );
        }
        let err = read(&gzip(&long), 1 << 14).unwrap_err().to_string();
        assert!(
            err.ends_with(
                ": more than 16 KiB of log after inflating; stopped reading (--max-log-size \
                 raises the limit)"
            ),
            "{err}"
        );
    }

    /// Issue 9 item 9: `whymiss inspect /dev/zero` grew without limit.
    #[test]
    fn endless_devices_stop() {
        let err = LogFile::read_with_limit(Path::new("/dev/zero"), 1 << 30).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/dev/zero: binary data, not a gocachehash log"
        );
    }

    #[test]
    fn a_gzip_trailer_sizes_the_buffer_exactly() {
        let long: Vec<u8> = LOG.iter().copied().cycle().take(300_000).collect();
        let file = read(&gzip(&long), 1 << 30).unwrap();
        assert_eq!(file.bytes, long);
        assert_eq!(file.bytes.capacity(), long.len());
        let plain = read(&long, 1 << 30).unwrap();
        assert_eq!(plain.bytes.capacity(), long.len());
    }

    #[test]
    fn broken_gzip_and_directories_are_read_errors() {
        let mut cut = gzip(LOG);
        cut.truncate(cut.len() - 10);
        let err = read(&cut, 1000).unwrap_err().to_string();
        assert!(err.contains("not valid gzip data"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let err = LogFile::read(dir.path()).unwrap_err().to_string();
        assert_eq!(err, format!("{}: is a directory", dir.path().display()));
    }

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("64 kb"), Ok(64 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("G").is_err());
        assert!(parse_size("4X").is_err());
        assert!(parse_size("99999999999T").is_err());
        assert_eq!(size_text(DEFAULT_MAX_LOG_SIZE), "1 GiB");
        assert_eq!(size_text(1500), "1500 bytes");
    }
}
