//! Plain data describing what a gocachehash log holds: actions and their typed key inputs,
//! file hashes, subkeys and test-cache decisions. Nothing here parses or prints.
mod action;
mod ids;
mod input;
mod log;
mod modinfo;
mod side;
mod testrun;

pub use action::{Action, ActionKind, Variant, Verification};
pub use ids::{Digest, is_lower_hex, is_short_id};
pub use input::{CLang, Field, FileInput, Input, StatInfo, Text};
pub use log::{
    BuildLog, FileHash, FileHashError, LogStats, Subkey, TestCacheEvent, TestCacheLine, Truncation,
};
pub use modinfo::{ModInfo, ModLine};
pub use side::SideInfo;
pub use testrun::{InputDetail, InputOp, RejectedInput, TestCache, TestInput, TestRun};
