//! Parsing gocachehash output into a [`BuildLog`].
//!
//! The grammar of one line (bytes, split on `\n`, a trailing `\r` dropped), as
//! `cmd/go/internal/cache/hash.go` prints it (`NewHash`, `(*Hash).Write`, `(*Hash).Sum`,
//! `Subkey`, `FileHash`) and `cmd/go/internal/test/test.go` its `testcache:` lines:
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
//! grammar is an error with its line number, except a `HASH[moduleIndex]` line (noise) and the
//! last line of a log cut off without its newline, which is left out and recorded in
//! [`crate::model::Truncation`] with the blocks the log ends inside.
//!
//! Then: blocks are demultiplexed and verified ([`demux`], with the field order of [`order`]),
//! split into logical lines and read with the field tables ([`fields`], whose grammars use the
//! primitives of [`grammar`] and [`quoted`]); `testcache:` lines are typed by [`testcache`] and linked to the
//! test-cache blocks by [`test_runs`]. [`log`] drives it all. [`constraint`] reads the build
//! constraint of a Go source file (not part of the log: the comparison reads it from the sources).

pub mod constraint;
pub(crate) mod demux;
pub(crate) mod fields;
mod grammar;
pub(crate) mod line;
mod log;
mod modinfo;
mod order;
mod quoted;
pub mod redact;
mod test_runs;
pub(crate) mod testcache;
pub mod unquote;

pub use log::{ParseError, ParseOptions, parse_log, parse_log_with};
