//! How the proxy is started: `whymiss record` sets GOCACHEPROG to
//! `<whymiss> cacheprog-proxy --events FILE -- <the user's GOCACHEPROG>`, and the go command
//! (cmd/go/internal/cache/prog.go, `startCacheProg`) splits that with cmd/internal/quoted and
//! starts it. The user's value is appended verbatim, so go splits it exactly as it would have
//! without whymiss.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::event::EventLog;
use super::proxy::run_proxy;
use super::quoted::{self, QuoteError};

/// The hidden subcommand that runs the proxy.
pub const PROXY_SUBCOMMAND: &str = "cacheprog-proxy";

/// The GOCACHEPROG value that puts `whymiss` (at `exe`) in front of `user_gocacheprog`,
/// recording into `events`.
pub fn proxy_gocacheprog(
    exe: &Path,
    events: &Path,
    user_gocacheprog: &str,
) -> Result<String, QuoteError> {
    let ours = quoted::join(&[
        exe.to_string_lossy().as_ref(),
        PROXY_SUBCOMMAND,
        "--events",
        events.to_string_lossy().as_ref(),
        "--",
    ])?;
    Ok(format!("{ours} {user_gocacheprog}"))
}

/// `cacheprog-proxy --events FILE -- PROGRAM [ARGS…]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyArgs {
    pub events: PathBuf,
    pub program: Vec<String>,
}

impl ProxyArgs {
    /// Reads the arguments after the subcommand's name.
    pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<ProxyArgs, String> {
        let mut args = args.into_iter();
        let mut events = None;
        loop {
            let Some(arg) = args.next() else {
                return Err("missing `-- PROGRAM`".into());
            };
            match arg.to_str() {
                Some("--") => break,
                Some("--events") => {
                    events = Some(PathBuf::from(args.next().ok_or("--events needs a file")?))
                }
                Some(s) if s.starts_with("--events=") => {
                    events = Some(PathBuf::from(&s["--events=".len()..]))
                }
                _ => return Err(format!("unexpected argument {arg:?}")),
            }
        }
        let program = args
            .map(|a| {
                a.into_string()
                    .map_err(|a| format!("argument {a:?} is not UTF-8"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if program.is_empty() {
            return Err("no cache program after `--`".into());
        }
        Ok(ProxyArgs {
            events: events.ok_or("missing --events FILE")?,
            program,
        })
    }
}

/// The subcommand's whole run: returns the exit status. Errors go to stderr, which is go's
/// stderr, prefixed so the user sees who speaks.
pub fn proxy_main<I: IntoIterator<Item = OsString>>(args: I) -> i32 {
    let args = match ProxyArgs::parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("whymiss {PROXY_SUBCOMMAND}: {e}");
            return 2;
        }
    };
    let log = match EventLog::open(&args.events) {
        Ok(l) => l,
        Err(e) => {
            // Recording must never break the user's cache: hand the pipes to their program.
            eprintln!(
                "whymiss {PROXY_SUBCOMMAND}: cannot open {}: {e}; running the cache program unobserved",
                args.events.display()
            );
            let err = Command::new(&args.program[0])
                .args(&args.program[1..])
                .exec();
            eprintln!(
                "whymiss {PROXY_SUBCOMMAND}: cannot start the cache program {:?}: {err}",
                args.program[0]
            );
            return 1;
        }
    };
    match run_proxy(&args.program, &log) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("whymiss {PROXY_SUBCOMMAND}: {e}");
            1
        }
    }
}
