//! The tests that run real go builds (`cargo test --test live`): the relocation check,
//! `whymiss diff`, capture + compare, test-cache causes, Ctrl-C, every demo scenario, the
//! README's examples run as written, and the pair capture (`whymiss capture-pairs`). They
//! fail (never skip) when a toolchain is missing: `scripts/install-go.sh` installs them. The
//! tier without Go is `tests/offline`.

mod cacheprog;
mod capture_pairs;
mod check;
mod demo;
mod dry;
mod live;
mod readme;
mod record;
mod safety;
#[path = "../support/mod.rs"]
mod support;
mod testcache;
