//! How the model's enums are stored: one small integer each, fixed for the schema version
//! (never reuse a code; add new ones at the end). `code` is an exhaustive `match`, so a new
//! variant without a code does not compile.

use crate::model::{Method, Outcome, RequestKind, RequestOutcome, Variant, Work};

/// An enum stored as an integer column.
pub(super) trait Code: Sized {
    fn code(self) -> i64;
    fn from_code(code: i64) -> Option<Self>;
}

macro_rules! codes {
    ($t:ty { $($v:path = $c:literal),* $(,)? }) => {
        impl Code for $t {
            fn code(self) -> i64 {
                match self {
                    $($v => $c,)*
                }
            }
            fn from_code(code: i64) -> Option<Self> {
                match code {
                    $($c => Some($v),)*
                    _ => None,
                }
            }
        }
    };
}

codes!(Work {
    Work::Build = 1,
    Work::Link = 2,
    Work::Test = 3,
});

codes!(Outcome {
    Outcome::Hit = 1,
    Outcome::Ran = 2,
    Outcome::Failed = 3,
    Outcome::NotSaved = 4,
    Outcome::Skipped = 5,
});

codes!(Variant {
    Variant::Normal = 0,
    Variant::Test = 1,
});

codes!(Method {
    Method::ActionGraph = 1,
    Method::Rerun = 2,
    Method::Gocachehash = 3,
});

codes!(RequestKind {
    RequestKind::Get = 1,
    RequestKind::Put = 2,
});

codes!(RequestOutcome {
    RequestOutcome::Hit = 1,
    RequestOutcome::Miss = 2,
    RequestOutcome::Stored = 3,
    RequestOutcome::Error = 4,
    RequestOutcome::Unanswered = 5,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for o in [
            Outcome::Hit,
            Outcome::Ran,
            Outcome::Failed,
            Outcome::NotSaved,
            Outcome::Skipped,
        ] {
            assert_eq!(Outcome::from_code(o.code()), Some(o));
        }
        for w in [Work::Build, Work::Link, Work::Test] {
            assert_eq!(Work::from_code(w.code()), Some(w));
        }
        assert_eq!(Outcome::from_code(99), None);
    }
}
