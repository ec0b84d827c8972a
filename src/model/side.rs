//! What is known about how one side of a comparison was produced: the go command, its
//! environment, directory and arguments. Filled from a live run, a capture header, or (for a
//! bare log) only from what the log itself says.

use std::collections::BTreeMap;

use super::Mode;

/// One side of a comparison (A or B).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideInfo {
    /// Short name shown in reports (`A`, `B`, `ci`, `laptop`).
    pub label: String,
    /// Where the log came from: a file path, a capture path, or `live`.
    pub source: String,
    /// `go1.27.3`, from `go env GOVERSION` or the log's salt.
    pub go_version: Option<String>,
    /// Absolute path of the go binary used.
    pub go_binary: Option<String>,
    /// Working directory of the build (the module root for whymiss's own runs).
    pub dir: Option<String>,
    /// Relevant `go env` values (GOROOT, GOFLAGS, GOOS, GOARCH, CGO_ENABLED, CC, GOAMD64, …,
    /// GOEXPERIMENT, GOCACHE, GODEBUG, GOTOOLCHAIN).
    pub go_env: BTreeMap<String, String>,
    /// Environment variables this side set on top of the inherited environment.
    pub env_overrides: BTreeMap<String, String>,
    /// The go command's arguments (`build -trimpath ./...`).
    pub args: Vec<String>,
    /// A dry run (`go build -n`) or a real build; `None` for a bare log, whose references tell
    /// (see `diff`).
    pub mode: Option<Mode>,
    /// Host name and start time (RFC 3339), for captures.
    pub host: Option<String>,
    pub time: Option<String>,
    /// The go command's exit status, when known.
    pub exit_status: Option<i32>,
    /// The last lines of a failed build's stderr that are not gocachehash output.
    pub error_tail: Vec<String>,
}
