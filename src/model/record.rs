//! A recorded build: what a real `go` run did with the cache, action by action. `whymiss
//! record` observes it (`crate::record`), the history stores it (`crate::history`), and `whymiss
//! why` explains its misses (`crate::why`).

use std::collections::BTreeMap;

use super::Digest;
use super::action::Variant;

/// The key of an observed action. The action graph (`-debug-actiongraph`) names an action by
/// `buildid.HashToString` of its action ID (the first 15 bytes), gocachehash and GOCACHEPROG by
/// all 32: the 15 bytes identify it, the rest is known when gocachehash or the cache program
/// printed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActionKey {
    pub short: [u8; 15],
    pub full: Option<Digest>,
}

impl ActionKey {
    pub fn of_digest(d: Digest) -> ActionKey {
        let mut short = [0u8; 15];
        short.copy_from_slice(&d.0[..15]);
        ActionKey {
            short,
            full: Some(d),
        }
    }

    /// From a `HashToString` value (20 base64url characters), as the action graph prints it.
    pub fn from_short_id(id: &str) -> Option<ActionKey> {
        use base64::Engine;
        if !super::is_short_id(id) {
            return None;
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(id)
            .ok()?;
        let short: [u8; 15] = bytes.try_into().ok()?;
        Some(ActionKey { short, full: None })
    }

    /// The full key in hex when known, else the 15 known bytes in hex.
    pub fn hex(&self) -> String {
        match self.full {
            Some(d) => d.to_string(),
            None => self.short.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// What kind of work an observed action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Work {
    /// A compile (`build <package>`): its output is cached under its action ID.
    Build,
    /// A link (`link <package>`): `go build` and `go test` never cache executables
    /// (cmd/go/internal/work/buildid.go, `(*Builder).useCache`: only `go run` and `go tool`
    /// store them, 1.24+), so a link that ran is not a cache miss to explain.
    Link,
    /// A test run (`test <package>`): its result is cached under the key that `go test`
    /// prints as `test ID … => input ID … => <key>` (cmd/go/internal/test/test.go,
    /// `(*runCache).tryCacheWithID`, `testAndInputKey`).
    Test,
}

impl Work {
    pub fn as_str(self) -> &'static str {
        match self {
            Work::Build => "build",
            Work::Link => "link",
            Work::Test => "test",
        }
    }
}

/// What became of an action in the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Served from the cache (a compile's output, a cached test result), or a link whose
    /// target was already up to date.
    Hit,
    /// Ran, because the cache did not have it (or go could not use what it had); its output
    /// was stored.
    Ran,
    /// Ran and failed: nothing was stored.
    Failed,
    /// A test that ran but whose result was not stored: it failed, or go could not key it
    /// (an input file modified within 2 seconds of the run).
    NotSaved,
    /// Not needed: the link of a test binary whose result was cached.
    Skipped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Hit => "hit",
            Outcome::Ran => "ran",
            Outcome::Failed => "failed",
            Outcome::NotSaved => "not-saved",
            Outcome::Skipped => "skipped",
        }
    }

    /// The action did its work instead of taking it from the cache.
    pub fn ran(self) -> bool {
        matches!(self, Outcome::Ran | Outcome::Failed | Outcome::NotSaved)
    }
}

/// What the cache program (GOCACHEPROG) answered about an action's own key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Backend {
    pub get: Option<RequestOutcome>,
    pub put: Option<RequestOutcome>,
    /// The get's latency (from the request to its answer, through the proxy).
    pub get_us: Option<u64>,
}

/// A GOCACHEPROG request's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    Get,
    Put,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Get => "get",
            RequestKind::Put => "put",
        }
    }
}

/// What a GOCACHEPROG request came to, as go reads the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestOutcome {
    Hit,
    Miss,
    Stored,
    /// An `Err` answer, or one go rejects (a hit or put without `DiskPath`).
    Error,
    /// The program exited before answering.
    Unanswered,
}

impl RequestOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestOutcome::Hit => "hit",
            RequestOutcome::Miss => "miss",
            RequestOutcome::Stored => "stored",
            RequestOutcome::Error => "error",
            RequestOutcome::Unanswered => "unanswered",
        }
    }
}

/// A key's inputs, as needed to rebuild its gocachehash output for a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inputs {
    /// A build or link block: the salt (the go command's version), then every logical line
    /// Go wrote into the hash, each with its newline (a last line may have none). Concatenated,
    /// they are what Go hashed.
    Block { pieces: Vec<String> },
    /// A test run: gocachehash log lines (its `testResult`, `testInputs` and nested blocks, and
    /// its `testcache:` lines), without newlines.
    Lines(Vec<String>),
}

/// One action of one go invocation, as observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub key: ActionKey,
    pub work: Work,
    /// The block name as Go prints it (`build example.com/app/greet`), or `test <package>`.
    pub name: String,
    pub variant: Variant,
    pub outcome: Outcome,
    /// From the action graph: how long the action's tools ran.
    pub duration_ms: Option<u64>,
    /// Why `go test` did not use a cached result, in its words.
    pub detail: Option<String>,
    pub backend: Option<Backend>,
    /// The inputs, when gocachehash printed them (`None`: only the key is known).
    pub inputs: Option<Inputs>,
    /// The inputs hash to the key (SHA-256 of the pieces); false when a line could not be
    /// kept byte for byte (bytes that are not UTF-8).
    pub exact: bool,
}

/// How an invocation was observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The action graph only: keys and outcomes, no inputs.
    ActionGraph,
    /// The action graph, then a dry run (`go … -n`) with gocachehash for the inputs.
    Rerun,
    /// The action graph and gocachehash during the build itself (tests, GOCACHEPROG).
    Gocachehash,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::ActionGraph => "action-graph",
            Method::Rerun => "action-graph+rerun",
            Method::Gocachehash => "action-graph+gocachehash",
        }
    }
}

/// One notable GOCACHEPROG request: a miss, a put, an error, or a slow one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendRequest {
    pub kind: RequestKind,
    pub outcome: RequestOutcome,
    pub key: Digest,
    pub size: Option<i64>,
    pub latency_us: u64,
    pub err: Option<String>,
}

/// What the cache program did during one go invocation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BackendSummary {
    /// The user's GOCACHEPROG value.
    pub program: String,
    pub gets: u64,
    pub hits: u64,
    pub misses: u64,
    pub get_errors: u64,
    pub puts: u64,
    pub put_errors: u64,
    pub unanswered: u64,
    pub bytes_got: u64,
    pub bytes_put: u64,
    pub p50_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
    /// Misses, puts, errors and the slowest requests (hits are counted, not kept).
    pub requests: Vec<BackendRequest>,
}

/// One go process of a record (a Makefile may run several).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// 1, 2, … in order of start.
    pub seq: u32,
    /// go's arguments after `go`.
    pub argv: Vec<String>,
    pub dir: String,
    /// The go-related environment it ran with (GOFLAGS, GOOS, CGO_ENABLED, …).
    pub env: BTreeMap<String, String>,
    pub go_version: Option<String>,
    pub exit_status: Option<i32>,
    pub started_ms: i64,
    pub duration_ms: i64,
    pub method: Method,
    pub actions: Vec<Observed>,
    /// Build and link actions go never reached (a dependency failed).
    pub not_reached: u32,
    /// Packages whose tests ran with the test cache off (`-count=1`, …).
    pub uncached_tests: Vec<String>,
    pub notes: Vec<String>,
    pub backend: Option<BackendSummary>,
}

/// One `whymiss record` run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The history's number for it (0 before it is stored).
    pub id: i64,
    /// The module path of the directory `record` ran in (or the directory, outside a module).
    pub module: String,
    pub dir: String,
    pub started_ms: i64,
    pub duration_ms: i64,
    /// What ran: `go build ./...` or the `--cmd` command line.
    pub command: String,
    pub go_version: Option<String>,
    pub exit_status: i32,
    /// `go env` values that decide where the cache is and what is built (GOCACHE,
    /// GOCACHEPROG, GOFLAGS, GOOS, GOARCH, …).
    pub env: BTreeMap<String, String>,
    pub host: Option<String>,
    pub invocations: Vec<Invocation>,
}

/// Writes one gocachehash block as Go prints it: `HASH[name]`, one `HASH[name]: "<quoted>"`
/// line per piece, and the result (cmd/go/internal/cache/hash.go, `NewHash`, `(*Hash).Write`,
/// `(*Hash).Sum`). Parsing the text gives back the block (`crate::parse::parse_log`).
pub fn render_block(name: &str, pieces: &[String], result: &Digest, out: &mut Vec<u8>) {
    use std::io::Write as _;
    let _ = writeln!(out, "HASH[{name}]");
    for piece in pieces {
        let _ = writeln!(out, "HASH[{name}]: {}", go_quote(piece));
    }
    let _ = writeln!(out, "HASH[{name}]: {result}");
}

/// A Go-quoted string (`strconv.Quote` escapes: what `%q` may print, and what the log parser
/// reads back to the same bytes).
pub fn go_quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            '\r' => q.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                q.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => q.push_str(&format!("\\u{:04x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_decode_to_the_first_15_bytes() {
        let d =
            Digest::from_hex(b"a32d0dd4f806aeb45beef1729cd034e100000000000000000000000000000000")
                .unwrap();
        let k = ActionKey::from_short_id("oy0N1PgGrrRb7vFynNA0").unwrap();
        assert_eq!(k.short, ActionKey::of_digest(d).short);
        assert_eq!(k.hex(), "a32d0dd4f806aeb45beef1729cd034");
        assert!(ActionKey::from_short_id("too-short").is_none());
    }

    #[test]
    fn quoting_escapes_what_go_escapes() {
        assert_eq!(go_quote("dir /a b\n"), r#""dir /a b\n""#);
        assert_eq!(go_quote("x\"y\\z\t\u{1}é"), r#""x\"y\\z\t\x01é""#);
    }
}
