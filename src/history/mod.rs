//! The history of recorded builds: an SQLite file (one per user by default, or one a CI job
//! caches next to GOCACHE) holding every `whymiss record` run of each module, so `whymiss why`
//! can tell a key it has seen before from a changed one. What is stored and how is in
//! [`schema`]; [`store`] writes, prunes and queries it; [`location`] says where it is and which
//! module a directory belongs to.

mod codes;
pub(crate) mod location;
pub(crate) mod schema;
pub(crate) mod store;

pub use location::{HISTORY_VAR, history_path, module_of};
pub use store::{Baseline, History, Loaded, Pruned, RecordSummary, Sighting};

/// How many records of a module the history keeps by default.
pub const DEFAULT_KEEP: usize = 50;
