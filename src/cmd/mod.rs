//! One module per command: each owns its flow, from a resolved [`crate::cli::Command`] to an
//! [`Outcome`], and writes its report to the output it is given. [`crate::run`] only dispatches.
pub mod capture;
pub mod capture_pairs;
pub mod check;
pub mod compare;
pub mod demo;
pub mod explain;
pub mod history;
pub mod inspect;
pub mod live;
mod outcome;
pub mod record;
pub mod schema;
pub mod why;

pub use outcome::Outcome;
