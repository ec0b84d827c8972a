//! The contract between `whymiss record` and its go shim: a private directory holding `bin/go`
//! (a symbolic link to whymiss, first in PATH) and, for each go process the shim observed, a
//! set of files named by a stem unique to that process:
//!
//! | file | written by | holds |
//! |---|---|---|
//! | `<stem>.json` | the shim, after go exited | [`InvocationMeta`]: argv, directory, environment, times, exit status, method |
//! | `<stem>.graph.json` | go (`-debug-actiongraph`) | every action, its ID and whether it ran |
//! | `<stem>.hash` | the shim | gocachehash and `testcache:` lines (split off go's stderr, or from the dry rerun) |
//! | `<stem>.cacheprog.jsonl` | the GOCACHEPROG proxy | one event per request |
//!
//! The environment variables [`DIR_VAR`] and [`REAL_GO_VAR`] tell the shim where the directory
//! is and which go to run.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The session directory.
pub(crate) const DIR_VAR: &str = "WHYMISS_RECORD_DIR";
/// The go binary the shim runs (the one PATH would have found, or `--go`).
pub(crate) const REAL_GO_VAR: &str = "WHYMISS_REAL_GO";

/// A session directory.
#[derive(Debug, Clone)]
pub(crate) struct SessionDir {
    pub root: PathBuf,
}

/// The files of one observed go process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvocationFiles {
    pub stem: String,
    pub meta: PathBuf,
    pub graph: PathBuf,
    pub hash: PathBuf,
    pub events: PathBuf,
}

impl SessionDir {
    /// The directory put first in PATH, holding `go`.
    pub(crate) fn bin(&self) -> PathBuf {
        self.root.join("bin")
    }

    pub(crate) fn files(&self, stem: &str) -> InvocationFiles {
        let at = |suffix: &str| self.root.join(format!("{stem}{suffix}"));
        InvocationFiles {
            stem: stem.to_string(),
            meta: at(".json"),
            graph: at(".graph.json"),
            hash: at(".hash"),
            events: at(".cacheprog.jsonl"),
        }
    }

    /// A stem no other process of the session uses: the start time and the pid.
    pub(crate) fn new_stem() -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        format!("inv-{nanos:024}-{}", std::process::id())
    }

    /// Every invocation that finished (its meta file exists), in order of start.
    pub(crate) fn finished(&self) -> std::io::Result<Vec<(InvocationFiles, InvocationMeta)>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&self.root)? {
            let name = entry?.file_name();
            let name = name.to_string_lossy();
            let Some(stem) = name.strip_suffix(".json") else {
                continue;
            };
            if !stem.starts_with("inv-") || stem.ends_with(".graph") {
                continue;
            }
            let files = self.files(stem);
            let meta = InvocationMeta::read(&files.meta)?;
            out.push((files, meta));
        }
        out.sort_by_key(|(_, m)| (m.started_ms, m.pid));
        Ok(out)
    }
}

/// How the shim observed a go process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShimMethod {
    /// The action graph only; `rerun` says whether the dry rerun ran.
    ActionGraph,
    /// gocachehash on during the build (tests, vet, `go list -export`, GOCACHEPROG).
    Gocachehash,
}

/// What the shim knows about one go process, written when go exits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvocationMeta {
    /// go's arguments (after `go`).
    pub argv: Vec<String>,
    /// The working directory.
    pub dir: String,
    /// The environment go would have had without whymiss (for a later dry rerun).
    pub env: Vec<(String, String)>,
    pub pid: u32,
    pub started_ms: i64,
    pub ended_ms: i64,
    /// go's exit status; `None` when a signal ended it.
    pub exit_status: Option<i32>,
    pub signal: Option<i32>,
    pub method: ShimMethod,
    /// The dry rerun's exit status, when it ran.
    pub rerun_status: Option<i32>,
    /// The user's GOCACHEPROG, when the proxy sat in front of it.
    pub gocacheprog: Option<String>,
    /// Something the shim could not do (start the proxy, write a file); the build went on.
    pub problems: Vec<String>,
}

impl InvocationMeta {
    pub fn read(path: &Path) -> std::io::Result<InvocationMeta> {
        let bytes = std::fs::read(path)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })
    }

    /// Written to a temporary name and renamed, so `record` never reads half a file.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension("json.tmp");
        std::fs::write(
            &tmp,
            serde_json::to_vec(self).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(&tmp, path)
    }

    /// The value of an environment variable go had.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}
