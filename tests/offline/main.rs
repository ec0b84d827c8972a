//! The tests that need no Go toolchain (`cargo test --lib --test offline`, seconds): the
//! `whymiss` binary on recorded logs, captures and log pairs from `corpus/`, the parser on
//! every corpus log, the JSON Schema, and the command line. The live tier is `tests/live`.

mod ci;
mod compare;
mod corpus;
mod demo;
mod docs;
mod dry;
mod explain;
mod help;
mod html;
mod inspect;
mod knowledge;
mod pairs;
mod safety;
#[path = "../support/mod.rs"]
mod support;
mod verdict;
mod why;
