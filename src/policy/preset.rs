//! Built-in policies for common comparisons, chosen with `--preset`. Each is a list of
//! allowances with reasons and fix texts that fit the situation.

use crate::diff::gate::{Allowance, Allowed, Gate};
use crate::model::Category;

/// A named policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// A pull request's build compared with main's: what a change to the code is expected to
    /// change (source edits, added or removed files and packages, VCS stamps) passes; what
    /// changes the build configuration fails.
    Pr,
}

impl Preset {
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Pr => "pr",
        }
    }

    /// Adds the preset's rules to `gate`, after the ones it has (a project's own rules win).
    pub fn apply(self, gate: &mut Gate) {
        let source = format!("--preset {}", self.as_str());
        let allowed = |reason: &str, fix: &str| Allowed {
            reason: reason.to_string(),
            source: source.clone(),
            fix: Some(fix.to_string()),
        };
        match self {
            Preset::Pr => {
                let rule = |category, reason: &str, fix: &str| Allowance {
                    category,
                    field: None,
                    package: None,
                    variation: None,
                    allowed: allowed(reason, fix),
                };
                gate.allow.extend([
                    rule(
                        Category::Source,
                        "a pull request edits source files",
                        "nothing to fix: the edited packages (and what depends on them) miss \
                         main's cache once, as any change does",
                    ),
                    rule(
                        Category::FileSet,
                        "a pull request adds or removes files",
                        "nothing to fix: a package whose list of files changed misses main's \
                         cache once",
                    ),
                    rule(
                        Category::VcsStamp,
                        "a pull request is another commit, so its VCS stamp differs",
                        "nothing to fix for a pull request; to reuse main's cache for binaries \
                         too, build with -buildvcs=false",
                    ),
                    rule(
                        Category::TestFile,
                        "a pull request edits files that tests read",
                        "nothing to fix: the tests that read the edited files run again",
                    ),
                ]);
                gate.allow_one_sided.get_or_insert(allowed(
                    "a pull request adds or removes packages",
                    "nothing to fix: a package that exists on one side only has nothing to \
                     reuse",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pr_preset_allows_what_a_change_to_the_code_changes() {
        let mut gate = Gate::default();
        Preset::Pr.apply(&mut gate);
        let cats: Vec<Category> = gate.allow.iter().map(|a| a.category).collect();
        assert_eq!(
            cats,
            [
                Category::Source,
                Category::FileSet,
                Category::VcsStamp,
                Category::TestFile
            ]
        );
        assert!(gate.allow.iter().all(|a| a.allowed.source == "--preset pr"));
        // Nothing about the build configuration.
        for c in [
            Category::AbsolutePath,
            Category::LinkerFlags,
            Category::Trimpath,
        ] {
            assert!(!cats.contains(&c));
        }
        assert!(gate.allow_one_sided.is_some());
    }
}
