//! One module per command: each owns its flow, from a resolved [`crate::cli::Command`] to an
//! [`Outcome`], and writes its report to the output it is given. [`crate::run`] only dispatches.
pub mod capture;
pub mod capture_pairs;
pub mod check;
pub mod compare;
pub mod demo;
pub mod explain;
pub mod inspect;
pub mod live;
mod outcome;
pub mod schema;

pub use outcome::Outcome;
