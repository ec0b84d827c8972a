//! The HTML report in a real browser (`cargo test --test browser`): Debian's headless Chromium
//! (`scripts/install-chromium.sh`) opens pages whymiss wrote for recorded pairs (relocation,
//! toolchain, cgo), a build of over 2,000 actions (a generated module, dry `go build -n` logs),
//! `explain`, and logs crafted to inject markup, and drives them as a user would: real clicks,
//! hovers and keys. Screenshots go to `target/tmp/browser/`. The tier fails (never skips) when
//! chromium or a Go toolchain is missing. The tier without a browser is `tests/offline`
//! (`html.rs`).

mod cdp;
mod report;
#[path = "../support/mod.rs"]
mod support;
