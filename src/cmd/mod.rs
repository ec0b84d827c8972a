//! One module per command: each owns its flow, from a resolved [`crate::cli::Command`] to an
//! [`Outcome`], and writes its report to the output it is given. [`crate::run`] only dispatches.
pub(crate) mod capture;
pub mod capture_pairs;
pub(crate) mod check;
pub(crate) mod compare;
pub(crate) mod demo;
pub(crate) mod explain;
pub(crate) mod history;
pub(crate) mod inspect;
pub(crate) mod live;
mod outcome;
pub(crate) mod record;
pub(crate) mod schema;
pub(crate) mod why;

pub use outcome::Outcome;
