//! Explaining a recorded build's misses against the history (`whymiss why`): for each compile
//! or test that ran, the same key as in an earlier record (not in the cache), a changed key
//! (compared with the earlier record by [`crate::diff::compare`]), or a new action; and what
//! the cache program did.

mod explain;
mod report;
mod restrict;

pub use explain::explain;
pub use report::{BackendView, ChangedGroup, Miss, Reason, RecordRef, WhyReport, WhySummary};
pub use restrict::restrict;
