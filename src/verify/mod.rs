//! Proving a fix: for each cause whose fix is mechanical (-trimpath on both sides, an
//! environment variable made equal, the same flags, the same toolchain, no VCS stamping, the
//! same module cache), re-run the comparison as a dry run with the fix applied and say whether
//! the keys of the cause's actions then match. Causes that need the source edited, or that
//! only a real build or a test run can check, are not tried. Above `go` and `diff`: the live
//! commands and the scenario runner call [`verify`].
mod engine;
mod fix;
mod judge;

pub(crate) use engine::verify;
