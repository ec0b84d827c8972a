//! Integration tests: the `whymiss` binary on real logs from `corpus/` and on real builds.

mod cacheprog;
mod compare;
mod corpus;
mod demo;
mod explain;
mod inspect;
mod live;
mod pairs;
mod support;
mod testcache;
