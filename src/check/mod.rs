//! `whymiss check`: a regression test for cross-machine cache reuse, as reprotest is for
//! reproducible outputs. The reference build and one that differs from it as another machine
//! would ([`plan`]: path, HOME, TMPDIR, TZ, locale, USER, time, a minimal environment), each in
//! a copy of the module and through the go shim ([`runner`]), compared; each cause attributed to
//! its variation by re-running with the variations split ([`narrow`]); the flow in [`engine`].
pub mod engine;
pub mod narrow;
pub mod plan;
pub mod runner;

pub use engine::{CheckOutcome, CheckSpec, run};
pub use runner::BuildCommand;
