//! How a command that did its work ended, mapped to exit statuses like diff(1).

use crate::diff::gate::Decision;

/// How a successful run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A command that reports rather than compares.
    Done,
    /// The compared keys are identical (or differ only in categories the gate ignores).
    Same,
    /// The compared keys differ.
    Differ,
    /// A build failed (`whymiss capture`, `whymiss explain`): the report covers only what it
    /// hashed. The message (one line) says which side and why.
    Partial(String),
    /// The comparison cannot be trusted (a failed build, a truncated log, logs of different
    /// commands, …). The message (one line) says why.
    Inconclusive(String),
    /// `whymiss demo`: whymiss did not find exactly the categories the scenario expects. The
    /// message (one line) says what was expected and found.
    Unexpected(String),
    /// `whymiss record`: the recorded command's exit status, and a line for standard error
    /// (what was recorded, or why recording failed) unless it is empty.
    Recorded { status: i32, message: String },
}

impl Outcome {
    pub fn exit_code(&self) -> i32 {
        match self {
            Outcome::Done | Outcome::Same => 0,
            Outcome::Differ => 1,
            Outcome::Partial(_) | Outcome::Inconclusive(_) | Outcome::Unexpected(_) => 2,
            Outcome::Recorded { status, .. } => *status,
        }
    }

    /// The outcome of a command whose gate says only fail (1) or not (0): `why`.
    pub fn of_gate(exit_code: i32) -> Outcome {
        match exit_code {
            0 => Outcome::Same,
            1 => Outcome::Differ,
            _ => Outcome::Partial("a build failed; the comparison is partial".into()),
        }
    }

    /// The outcome of a comparison, as its gate decided: the exit status is the decision's.
    pub fn of_decision(decision: &Decision) -> Outcome {
        match decision.exit_code {
            0 => Outcome::Same,
            1 => Outcome::Differ,
            _ => Outcome::Inconclusive(decision.reason.clone()),
        }
    }
}
