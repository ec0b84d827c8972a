//! `whymiss demo`: a catalogue of runnable cache-miss scenarios (`corpus/scenarios/`), each a
//! small module and two sides that differ in one way, with the lesson it teaches and the cause
//! categories whymiss must find. The scenarios and the shared modules are built into the binary.
pub mod catalogue;
pub mod embedded;
pub(crate) mod run;
pub mod scenario;
pub mod setup;

pub use run::{BASELINE_ENV, Check, DemoOptions, DemoRun, load, load_all};
pub use scenario::{Expectation, Scenario};
