//! Comparing two logs: match actions, compare their inputs field by field, tell root causes from
//! knock-on changes, group differences into causes with a category, a reason and a fix
//! ([`compare`]), and gate a CI run on their categories ([`gate`]).

mod causes;
mod class;
mod classify;
mod compare;
mod comparison;
mod doubts;
mod filesets;
pub(crate) mod gate;
mod graph;
mod knowledge;
mod lineup;
mod matching;
mod notes;
mod order;
mod paths;
mod refs;
mod settings;
mod test_runs;
mod tokens;

pub use crate::model::Category;
pub use class::{Class, DirKind, Selection};
pub use compare::{compare, compare_with_sources};
pub use comparison::{
    ActionDiff, Cause, Comparison, ComparisonMode, Difference, Doubt, DoubtKind, GoCommand,
    SettingDiff, Side, Status, Summary, Token, TokenSide, Verdict, Verification, VerifyStatus,
};
pub use graph::{ActionGraph, GraphNode, Source};
pub use knowledge::{FIELD_ORDER, KEY_WIDE, UNLINKED_TEST_BINARY};
pub use lineup::{Row, line_up};
pub use test_runs::describe as describe_test_input;
pub use tokens::changed_with_context;
