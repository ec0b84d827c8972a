//! Observing a real build: which actions went to the cache and which ran, for `whymiss
//! record`. The user's command runs with a go shim first in PATH ([`shim`]), so every go
//! process is observed, however the build starts it: its action graph, its gocachehash output
//! (during the build, or from a dry rerun afterwards), its `testcache:` lines and, with
//! GOCACHEPROG, every request to the cache program through a proxy ([`cacheprog`]). [`launch`]
//! runs the command, [`collect`] turns each process's files into a
//! [`crate::model::Invocation`].

mod actiongraph;
pub mod cacheprog;
mod child;
pub mod collect;
mod goenv;
pub(crate) mod launch;
pub(crate) mod session;
pub(crate) mod shim;

use std::ffi::OsString;

pub use collect::collect;
pub use launch::{BuildCommand, Launched, launch, rerun_after};

/// The entry points go starts rather than a user: the shim (whymiss run as `go`) and the
/// GOCACHEPROG proxy (`whymiss cacheprog-proxy …`). `None` for an ordinary command line.
pub fn hidden_entry() -> Option<i32> {
    let mut args = std::env::args_os();
    let argv0 = args.next()?;
    let rest: Vec<OsString> = args.collect();
    if shim::is_shim_name(&argv0) {
        return Some(shim::shim_main(rest));
    }
    if rest.first().map(|a| a.as_os_str()) == Some(cacheprog::PROXY_SUBCOMMAND.as_ref()) {
        return Some(cacheprog::proxy_main(rest.into_iter().skip(1)));
    }
    None
}

/// Milliseconds since the Unix epoch.
pub(crate) fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
