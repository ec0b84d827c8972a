//! Loading a side's log for the rest of the pipeline: a file (a bare gocachehash log or a
//! capture, see [`super::capture`]) or a live run ([`SideRun`]), parsed into a [`BuildLog`], with
//! errors that name the file and line or the side. Every command, the scenario runner and the
//! benchmarks load logs through these functions.

use std::path::Path;

use crate::error::Error;
use crate::model::{BuildLog, SideInfo};
use crate::parse::{self, ParseOptions};

use super::capture;
use super::logfile::LogFile;
use super::run::SideRun;

/// How a command reads its logs: how much a file may hold, and how logs are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// The most a log read from a file may hold after inflating (`--max-log-size`).
    pub max_size: u64,
    /// `--keep-env-values`.
    pub parse: ParseOptions,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_size: crate::go::logfile::DEFAULT_MAX_LOG_SIZE,
            parse: ParseOptions::default(),
        }
    }
}

/// A log file as read from disk, with what it says about its side.
#[derive(Debug, Clone)]
pub struct SideFile {
    pub file: LogFile,
    /// A capture's header, or just the file's name and the label given to [`SideFile::read`].
    pub info: SideInfo,
    /// Where the log starts in `file.bytes` (after a capture's header).
    pub body: usize,
}

impl SideFile {
    /// Reads `path` (`-` for standard input, gzip inflated) as side `label`; a log larger than
    /// `max_size` bytes (after inflating) is an error.
    pub fn read(label: &str, path: &Path, max_size: u64) -> Result<SideFile, Error> {
        SideFile::from_file(label, LogFile::read_with_limit(path, max_size)?)
    }

    /// Reads what a file says about its side: a capture's header, or just its name.
    pub fn from_file(label: &str, file: LogFile) -> Result<SideFile, Error> {
        let (info, body) = side_of_file(label, &file)?;
        Ok(SideFile { file, info, body })
    }

    /// Parses the log part of the file, environment values tests read redacted.
    pub fn parse(&self) -> Result<BuildLog<'_>, Error> {
        self.parse_with(&ParseOptions::default())
    }

    /// Parses the log part of the file as `options` say.
    pub fn parse_with(&self, options: &ParseOptions) -> Result<BuildLog<'_>, Error> {
        parse_body(&self.file, self.body, options)
    }

    /// The side as the report shows it: a bare log tells its go version through the salt.
    pub fn info_for(&self, log: &BuildLog<'_>) -> SideInfo {
        let mut info = self.info.clone();
        if info.go_version.is_none() {
            info.go_version = log.go_version().map(str::to_string);
        }
        info
    }
}

/// Reads (and inflates) two files, one per thread; then reads what each says about its side.
/// A's errors are reported before B's. Each may hold at most `max_size` bytes after inflating.
pub fn read_pair(a: &Path, b: &Path, max_size: u64) -> Result<(SideFile, SideFile), Error> {
    let (fa, fb) = std::thread::scope(|scope| {
        let fb = scope.spawn(|| LogFile::read_with_limit(b, max_size));
        let fa = LogFile::read_with_limit(a, max_size);
        (fa, fb.join().expect("reader thread"))
    });
    let (fa, fb) = (fa?, fb?);
    Ok((SideFile::from_file("A", fa)?, SideFile::from_file("B", fb)?))
}

/// Parses two files, one per thread. A's errors are reported before B's.
pub fn parse_pair<'f>(
    a: &'f SideFile,
    b: &'f SideFile,
    options: &ParseOptions,
) -> Result<(BuildLog<'f>, BuildLog<'f>), Error> {
    let (la, lb) = std::thread::scope(|scope| {
        let lb = scope.spawn(|| b.parse_with(options));
        let la = a.parse_with(options);
        (la, lb.join().expect("parser thread"))
    });
    Ok((la?, lb?))
}

/// What a file says about its side: a capture's header, or just its name; and where the log
/// starts in it.
fn side_of_file(label: &str, file: &LogFile) -> Result<(SideInfo, usize), Error> {
    if capture::is_capture(&file.bytes) {
        let header = capture::read_capture(&file.path, &file.bytes)?;
        let mut info = header.info;
        info.source = file.display_name();
        if info.label.is_empty() {
            info.label = label.to_string();
        }
        Ok((info, header.body_offset))
    } else {
        Ok((
            SideInfo {
                label: label.to_string(),
                source: file.display_name(),
                ..SideInfo::default()
            },
            0,
        ))
    }
}

/// Parses the log part of a file, naming the file (and the line within the whole file) in
/// any error.
fn parse_body<'f>(
    file: &'f LogFile,
    offset: usize,
    options: &ParseOptions,
) -> Result<BuildLog<'f>, Error> {
    let header_lines = file.bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u32;
    parse::parse_log_with(&file.bytes[offset..], options).map_err(|mut source| {
        if let Some(line) = source.line.as_mut() {
            *line += header_lines;
        }
        Error::Parse {
            path: file.path.clone(),
            source,
        }
    })
}

/// Parses a live side's stderr; a build that failed before hashing anything is an error that
/// shows go's own message.
pub fn parse_side<'r>(
    run: &'r SideRun,
    test: bool,
    options: &ParseOptions,
) -> Result<BuildLog<'r>, Error> {
    parse::parse_log_with(&run.stderr, options).map_err(|source| {
        if run.success {
            Error::SideLog {
                side: run.info.label.clone(),
                source,
            }
        } else {
            Error::BuildFailed {
                side: run.info.label.clone(),
                subcommand: if test { "test" } else { "build" }.into(),
                status: run.info.exit_status.unwrap_or(-1),
                tail: run.info.error_tail.clone(),
            }
        }
    })
}

/// Parses a side's log kept in memory (a demo's, whose run is over), naming the side in any
/// error.
pub fn parse_log_of<'l>(side: &str, log: &'l [u8]) -> Result<BuildLog<'l>, Error> {
    parse::parse_log(log).map_err(|source| Error::SideLog {
        side: side.to_string(),
        source,
    })
}

/// `side B: go build failed (exit 1)`.
pub fn build_failed(run: &SideRun) -> String {
    if run.info.source == "command" {
        // `whymiss check --cmd`: the build script's command line.
        return format!(
            "side {}: `{}` failed (exit {})",
            run.info.label,
            run.info.args.join(" "),
            run.info.exit_status.unwrap_or(-1)
        );
    }
    format!(
        "side {}: go {} failed (exit {})",
        run.info.label,
        run.info.args.first().map(String::as_str).unwrap_or("build"),
        run.info.exit_status.unwrap_or(-1)
    )
}

/// Every side that failed, as one message (`side A: …; side B: …`), or `None`.
pub fn failed_sides(runs: &[&SideRun]) -> Option<String> {
    let failed: Vec<String> = runs
        .iter()
        .filter(|r| !r.success)
        .map(|r| build_failed(r))
        .collect();
    (!failed.is_empty()).then(|| failed.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bytes: &[u8]) -> LogFile {
        LogFile {
            path: "x.log".into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn a_bare_log_is_named_by_its_file() {
        let side = SideFile::from_file("B", file(b"HASH[build a]\n")).unwrap();
        assert_eq!((side.info.label.as_str(), side.body), ("B", 0));
        assert_eq!(side.info.source, "x.log");
    }

    #[test]
    fn a_parse_error_in_a_capture_names_the_line_of_the_whole_file() {
        let text = "# whymiss capture 1\n# label: ci\n# --- log\nnot a log line\n";
        let side = SideFile::from_file("A", file(text.as_bytes())).unwrap();
        assert_eq!(side.info.label, "ci");
        let err = side.parse().unwrap_err().to_string();
        assert!(err.starts_with("x.log:"), "{err}");
    }

    #[test]
    fn failed_sides_are_joined() {
        let run = |label: &str, success: bool| SideRun {
            info: SideInfo {
                label: label.into(),
                args: vec!["test".into()],
                exit_status: Some(if success { 0 } else { 1 }),
                ..SideInfo::default()
            },
            stderr: Vec::new(),
            success,
            elapsed: std::time::Duration::ZERO,
        };
        let (a, b) = (run("A", false), run("B", true));
        assert_eq!(
            failed_sides(&[&a, &b]).as_deref(),
            Some("side A: go test failed (exit 1)")
        );
        assert_eq!(failed_sides(&[&b]), None);
    }
}
