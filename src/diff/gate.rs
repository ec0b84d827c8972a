//! CI gating: the exit status of a comparison, from its verdict and the categories of its
//! causes (`--fail-on`, `--ignore`). [`Decision`] is the one value every format reads, so the
//! text, the JSON and the exit status always say the same thing.

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
    /// The exit status whymiss ends with: 0 nothing fails, 1 something does, 2 the comparison
    /// cannot be trusted (the verdict is inconclusive, or what is unproven could fail).
    pub exit_code: i32,
    /// Why, in one line (`keys differ: causes in absolute-path, file-set`).
    pub reason: String,
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
        let sm = &report.summary;
        let (exit_code, reason) = match report.verdict {
            Verdict::Inconclusive => {
                let reasons: Vec<&str> = report.doubts.iter().map(|d| d.message.as_str()).collect();
                (2, format!("inconclusive: {}", reasons.join("; ")))
            }
            Verdict::Same => (0, "same keys".to_string()),
            Verdict::Differ | Verdict::Unmatched => {
                // What has no category fails unless --fail-on names the only categories that
                // count: --ignore hides the categories it names, never actions built on one
                // side only nor keys that differ without a cause.
                let one_sided = sm.only_a + sm.only_b;
                let uncaused = report.verdict == Verdict::Differ && report.causes.is_empty();
                let uncategorized = (one_sided > 0 || uncaused) && self.fail_on.is_empty();
                if !failing.is_empty() || uncategorized {
                    let mut parts = Vec::new();
                    if !failing.is_empty() {
                        parts.push(format!("causes in {}", names(&failing)));
                    }
                    if uncaused {
                        parts.push("keys differ without a cause".to_string());
                    }
                    if one_sided > 0 && self.fail_on.is_empty() {
                        parts.push(format!(
                            "{} built on one side only",
                            if one_sided == 1 {
                                "1 action".to_string()
                            } else {
                                format!("{one_sided} actions")
                            }
                        ));
                    }
                    let what = if report.verdict == Verdict::Differ {
                        "keys differ"
                    } else {
                        "unmatched"
                    };
                    (1, format!("{what}: {}", parts.join("; ")))
                } else if sm.unproven > 0 {
                    // The categories of unproven differences are unknown: they may be failing
                    // ones.
                    (
                        2,
                        format!(
                            "inconclusive: the proven differences are only in categories that do \
                             not fail ({}), but {} not proven, so their categories are unknown",
                            names(&ignored),
                            if sm.unproven == 1 {
                                "1 action's differing key is".to_string()
                            } else {
                                format!("{} actions' differing keys are", sm.unproven)
                            }
                        ),
                    )
                } else {
                    let mut what = Vec::new();
                    if !ignored.is_empty() {
                        what.push(names(&ignored));
                    }
                    if one_sided > 0 {
                        what.push("actions built on one side only".to_string());
                    }
                    if uncaused {
                        what.push("keys that differ without a cause".to_string());
                    }
                    (
                        0,
                        format!("not failing on {} (--ignore/--fail-on)", what.join(", ")),
                    )
                }
            }
        };
        Decision {
            failing,
            ignored,
            exit_code,
            reason,
        }
    }
}

fn names(categories: &[Category]) -> String {
    categories
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
