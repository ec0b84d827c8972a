//! Reading a log as its user has it: a file (plain or gzip-compressed) or standard input (`-`).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The bytes of one log and where they came from.
#[derive(Debug, Clone)]
pub struct LogFile {
    /// As given on the command line (`-` for standard input).
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl LogFile {
    /// Reads `path`; `-` reads standard input. Gzip data (CI artifacts often are) is inflated.
    pub fn read(path: &Path) -> Result<LogFile, Error> {
        let err = |source| Error::Read {
            path: path.to_owned(),
            source,
        };
        let raw = if path == Path::new("-") {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(err)?;
            buf
        } else {
            std::fs::read(path).map_err(err)?
        };
        let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::with_capacity(raw.len() * 8);
            flate2::read::MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .map_err(|e| {
                    err(std::io::Error::new(
                        e.kind(),
                        format!("not valid gzip data: {e}"),
                    ))
                })?;
            out
        } else {
            raw
        };
        Ok(LogFile {
            path: path.to_owned(),
            bytes,
        })
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
