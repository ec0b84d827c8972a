//! Plain data describing what a gocachehash log holds: actions and their typed key inputs,
//! file hashes, subkeys and test-cache decisions; and the field tables, which say what each
//! line of a key is. Nothing here reads bytes or prints: a table writes a field's grammar with
//! primitives (`Q`, `L`, `hex64`) that `parse` implements.
mod action;
mod category;
mod constraint;
mod field;
pub mod fields;
mod ids;
mod input;
mod log;
mod mode;
mod modinfo;
mod record;
mod side;
mod testrun;
mod text;
mod variation;

pub use action::{Action, ActionKind, Variant, Verification};
pub use category::Category;
pub use constraint::{Constraint, NoSources, SourceFacts, SourceHeader};
pub use field::Field;
pub use ids::{Digest, is_lower_hex, is_short_id};
pub use input::{CLang, FileInput, Input, StatInfo};
pub use log::{
    BuildLog, FileHash, FileHashError, LogStats, Subkey, TestCacheEvent, TestCacheLine, Truncation,
};
pub use mode::Mode;
pub use modinfo::{ModInfo, ModLine};
pub use record::{
    ActionKey, Backend, BackendRequest, BackendSummary, Inputs, Invocation, Method, Observed,
    Outcome, Record, RequestKind, RequestOutcome, Work, go_quote, render_block,
};
pub use side::SideInfo;
pub use testrun::{InputDetail, InputOp, RejectedInput, TestCache, TestInput, TestRun};
pub use text::{Text, is_invisible};
pub use variation::{Attribution, Factor};
