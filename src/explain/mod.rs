//! `whymiss explain`: one log's keys, input by input — what each input is, where it comes
//! from, whether it differs between machines, and which knob changes it — and an overview of
//! which machine-specific inputs the whole build's keys depend on.

mod annotate;
mod explanation;

pub use annotate::{
    Note, Origin, Portability, annotate, annotate_template, annotate_test_input, salt_note,
    test_binary_note,
};
pub use explanation::{
    ExplainedAction, ExplainedField, ExplainedTest, Explanation, InputSummary, ListedAction,
    explain, found, list,
};
