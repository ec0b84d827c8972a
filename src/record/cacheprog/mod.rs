//! GOCACHEPROG: the protocol between the go command and a cache program, and a transparent
//! proxy that sits between them and records every request.
//!
//! `whymiss record` puts the proxy in front of the user's own cache program (see
//! [`invoke::proxy_gocacheprog`]): go starts `whymiss cacheprog-proxy --events FILE -- <user's
//! GOCACHEPROG>`, the proxy starts the user's program, relays every byte both ways unchanged and
//! appends one [`Event`] per request to FILE. The user's backend (S3, HTTP, …) keeps working as
//! before; the proxy only watches.

mod event;
mod invoke;
mod protocol;
mod proxy;
mod quoted;
mod scan;

#[cfg(test)]
mod tests;

pub use event::{Event, EventLog, Outcome, RequestEvent, read_events};
pub use invoke::{PROXY_SUBCOMMAND, ProxyArgs, proxy_gocacheprog, proxy_main};
pub use protocol::{Cmd, ProtocolError, Request, Response, body_line};
pub use proxy::{ProxyError, RelayStats, relay, run_proxy};
pub use quoted::{QuoteError, join as quoted_join, split as quoted_split};
