//! The field tables: one entry per kind of line `cmd/go` writes into a hash, per block kind,
//! holding everything whymiss knows about it — how the line is recognised and read, where Go
//! writes it and whether it always does, how a difference in it is classified, and what
//! `explain` says about it. The demultiplexer, the parser, the comparison and `explain` all read
//! these tables; adding a field Go writes is one entry here (and, for a new shape of value, one
//! [`Input`](super::Input) variant). See `docs/architecture.md`.

mod advice;
pub mod buildinfo;
pub mod compile;
pub mod gcc;
mod grammar;
pub mod link;
pub mod pgo;
pub mod shared;
mod spec;
mod tables;
pub mod test;
pub mod vet;

pub use advice::{Advice, Facts, Wording, fill};
pub use compile::COMPILE;
pub use gcc::GCC;
pub use grammar::{Grammar, Reader};
pub use link::LINK;
pub use pgo::PGO;
pub use spec::{About, Compare, Cut, Explain, FieldSpec, Key, Match, Order, Origin, Portability};
pub use tables::{Finder, UNKNOWN, UNKNOWN_LINE, lookup, table, tables};
pub use test::{COVERMETA, GETENV, STAT, TEST_INPUTS, TEST_RESULT, TESTMAIN};
pub use vet::VET;
