//! CI gating: which causes make the exit status 1 (`--fail-on`, `--ignore`).

use super::comparison::{Comparison, Verdict};
use crate::model::Category;

/// The categories a CI run cares about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gate {
    /// Only causes in these categories fail (empty: every category).
    pub fail_on: Vec<Category>,
    /// Causes in these categories never fail.
    pub ignore: Vec<Category>,
}

/// What the gate decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Categories of the causes that fail the run.
    pub failing: Vec<Category>,
    /// Categories present but ignored (by --ignore, or outside --fail-on).
    pub ignored: Vec<Category>,
    /// 0 when nothing fails, 1 otherwise.
    pub exit_code: i32,
}

impl Gate {
    pub fn is_default(&self) -> bool {
        self.fail_on.is_empty() && self.ignore.is_empty()
    }

    pub fn decide(&self, report: &Comparison) -> Decision {
        let mut failing = Vec::new();
        let mut ignored = Vec::new();
        for cat in report.categories() {
            let counts = !self.ignore.contains(&cat)
                && (self.fail_on.is_empty() || self.fail_on.contains(&cat));
            if counts {
                failing.push(cat);
            } else {
                ignored.push(cat);
            }
        }
        // Keys that differ without a cause (cannot happen with a complete log) still fail an
        // ungated run.
        let uncaused = report.verdict == Verdict::Differ && report.causes.is_empty();
        let fails = !failing.is_empty() || (uncaused && self.is_default());
        Decision {
            failing,
            ignored,
            exit_code: i32::from(fails),
        }
    }
}
