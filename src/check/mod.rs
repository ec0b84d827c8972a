//! `whymiss check`: a regression test for cross-machine cache reuse, as reprotest is for
//! reproducible outputs. The reference build and one that differs from it as another machine
//! would ([`plan`]: path, HOME, TMPDIR, TZ, locale, USER, time, a minimal environment), each in
//! a copy of the module and through the go shim ([`runner`]), compared; each cause attributed to
//! its variation by re-running with the variations split ([`narrow`]); the flow in [`engine`].
pub(crate) mod engine;
pub(crate) mod narrow;
pub(crate) mod plan;
pub(crate) mod runner;

pub(crate) use engine::{CheckSpec, run};
pub(crate) use runner::BuildCommand;
