//! CI gating: the exit status of a comparison, from its verdict and its causes. Every cause gets
//! one [`CauseGate`]: it fails, or a rule of the project's policy allows it (an [`Allowance`]
//! from whymiss.toml or a preset, matched by category, field and package, with the reason the
//! report prints), or `--ignore`/`--fail-on` ignores its category, or it comes only from a
//! variation `whymiss check` was told not to make. [`Decision`] is the one value every renderer
//! and the exit status read, so the text, the JSON and the exit status always say the same
//! thing.

use super::comparison::{Cause, Comparison, Verdict};
use crate::model::{Category, Factor};

/// What makes a comparison fail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gate {
    /// Only causes in these categories fail (empty: every category).
    pub fail_on: Vec<Category>,
    /// Causes in these categories never fail.
    pub ignore: Vec<Category>,
    /// Rules that let a cause pass, tried in order; the first that matches is the cause's.
    pub allow: Vec<Allowance>,
    /// Actions built on one side only (packages added or removed) are expected: why (a preset's
    /// reason).
    pub allow_one_sided: Option<Allowed>,
    /// `whymiss check`: factors it was told not to vary; a cause that only they produce is
    /// ignored.
    pub not_varied: Vec<Factor>,
}

/// A rule that lets matching causes pass, with the reason the report prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    pub category: Category,
    /// The field as reports name it (`CC flags`, `dir`, `-ldflags`); `None` for any.
    pub field: Option<String>,
    /// Every action of the cause must be of a package this matches; `None` for any.
    pub package: Option<PackagePattern>,
    /// The variations that must produce the cause (`whymiss check` only); `None` for any.
    pub variation: Option<Factor>,
    pub allowed: Allowed,
}

/// Why a rule allows a cause, and where the rule comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed {
    /// Required, and printed by every format.
    pub reason: String,
    /// `whymiss.toml:12`, `--preset pr`.
    pub source: String,
    /// A fix text that fits the situation the rule is for (a pull request), shown instead of
    /// the cause's own.
    pub fix: Option<String>,
}

/// What the gate decided for one cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CauseGate {
    Failing,
    Allowed(Allowed),
    Ignored(Ignored),
}

/// Why a cause is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ignored {
    /// `--ignore` names its category.
    IgnoreFlag,
    /// `--fail-on` does not name its category.
    NotFailOn,
    /// Only factors `whymiss check` was told not to vary produce it.
    NotVaried(Vec<Factor>),
}

impl CauseGate {
    /// `failing`, `allowed` or `ignored`, as JSON and the other formats say it.
    pub fn as_str(&self) -> &'static str {
        match self {
            CauseGate::Failing => "failing",
            CauseGate::Allowed(_) => "allowed",
            CauseGate::Ignored(_) => "ignored",
        }
    }

    /// Why it does not fail, in one line; `None` for a failing cause.
    pub fn reason(&self) -> Option<String> {
        match self {
            CauseGate::Failing => None,
            CauseGate::Allowed(a) => Some(format!("{} ({})", a.reason, a.source)),
            CauseGate::Ignored(Ignored::IgnoreFlag) => Some("--ignore names its category".into()),
            CauseGate::Ignored(Ignored::NotFailOn) => {
                Some("--fail-on does not name its category".into())
            }
            CauseGate::Ignored(Ignored::NotVaried(factors)) => {
                let names: Vec<&str> = factors.iter().map(|f| f.as_str()).collect();
                Some(format!(
                    "only {} produces it, which is not varied (--no-vary)",
                    names.join(" and ")
                ))
            }
        }
    }

    /// The fix to show: the rule's when it has one that fits, else the cause's.
    pub fn fix<'c>(&'c self, cause: &'c Cause) -> Option<&'c str> {
        match self {
            CauseGate::Allowed(Allowed { fix: Some(fix), .. }) => Some(fix),
            _ => cause.fix.as_deref(),
        }
    }

    pub fn fails(&self) -> bool {
        matches!(self, CauseGate::Failing)
    }
}

/// What the gate decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// One entry per cause of the comparison, in its order.
    pub causes: Vec<CauseGate>,
    /// Categories with a failing cause.
    pub failing: Vec<Category>,
    /// Categories with a cause a rule allows.
    pub allowed: Vec<Category>,
    /// Categories with an ignored cause.
    pub ignored: Vec<Category>,
    /// Actions were built on one side only and a rule expects that.
    pub one_sided_allowed: Option<Allowed>,
    /// The exit status whymiss ends with: 0 nothing fails, 1 something does, 2 the comparison
    /// cannot be trusted (the verdict is inconclusive: a side's build failed, a log is cut
    /// off, …; or what is unproven could fail).
    pub exit_code: i32,
    /// Why, in one line (`keys differ: causes in absolute-path, file-set`).
    pub reason: String,
}

impl Decision {
    /// Causes by gate: (failing, allowed, ignored).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |s: &str| self.causes.iter().filter(|g| g.as_str() == s).count();
        (n("failing"), n("allowed"), n("ignored"))
    }
}

impl Gate {
    pub fn is_default(&self) -> bool {
        self.fail_on.is_empty()
            && self.ignore.is_empty()
            && self.allow.is_empty()
            && self.allow_one_sided.is_none()
            && self.not_varied.is_empty()
    }

    /// Rejects a gate that contradicts itself: a category both ignored and failed on.
    pub fn check(&self) -> Result<(), String> {
        let both: Vec<&str> = self
            .ignore
            .iter()
            .filter(|c| self.fail_on.contains(c))
            .map(|c| c.as_str())
            .collect();
        if both.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "--ignore and --fail-on both name {}: a category cannot both fail and not fail",
                both.join(", ")
            ))
        }
    }

    /// The gate of one cause of `report`.
    pub fn judge(&self, report: &Comparison, cause: &Cause) -> CauseGate {
        if let Some(rule) = self.allow.iter().find(|r| r.matches(report, cause)) {
            return CauseGate::Allowed(rule.allowed.clone());
        }
        if self.ignore.contains(&cause.category) {
            return CauseGate::Ignored(Ignored::IgnoreFlag);
        }
        if !self.fail_on.is_empty() && !self.fail_on.contains(&cause.category) {
            return CauseGate::Ignored(Ignored::NotFailOn);
        }
        if let Some(v) = &cause.variation
            && !v.factors.is_empty()
        {
            // Varying any one of them produces it: ignored only if none of them is varied on
            // purpose. Together: ignored if one of them is not varied.
            let unvaried = |f: &Factor| self.not_varied.contains(f);
            let ignored = if v.together {
                v.factors.iter().any(unvaried)
            } else {
                v.factors.iter().all(unvaried)
            };
            if ignored {
                let factors = v.factors.iter().copied().filter(unvaried).collect();
                return CauseGate::Ignored(Ignored::NotVaried(factors));
            }
        }
        CauseGate::Failing
    }

    pub fn decide(&self, report: &Comparison) -> Decision {
        let causes: Vec<CauseGate> = report
            .causes
            .iter()
            .map(|c| self.judge(report, c))
            .collect();
        let categories = |which: &str| {
            let mut cats: Vec<Category> = report
                .causes
                .iter()
                .zip(&causes)
                .filter(|(_, g)| g.as_str() == which)
                .map(|(c, _)| c.category)
                .collect();
            cats.sort();
            cats.dedup();
            cats
        };
        let failing = categories("failing");
        let allowed = categories("allowed");
        let ignored = categories("ignored");
        let sm = &report.summary;
        let one_sided = sm.only_a + sm.only_b;
        let one_sided_allowed = self.allow_one_sided.clone().filter(|_| one_sided > 0);
        let (exit_code, reason) = match report.verdict {
            Verdict::Inconclusive => {
                let reasons: Vec<&str> = report.doubts.iter().map(|d| d.message.as_str()).collect();
                (2, format!("inconclusive: {}", reasons.join("; ")))
            }
            Verdict::Same => (0, "same keys".to_string()),
            Verdict::Differ | Verdict::Unmatched => {
                // What has no category fails unless --fail-on names the only categories that
                // count: --ignore hides the categories it names, never actions built on one
                // side only (only a rule that expects them does: new packages in a pull
                // request) nor keys that differ without a cause.
                let uncaused = report.verdict == Verdict::Differ && report.causes.is_empty();
                let one_sided_fails =
                    one_sided > 0 && self.fail_on.is_empty() && one_sided_allowed.is_none();
                let uncaused_fails = uncaused && self.fail_on.is_empty();
                if !failing.is_empty() || one_sided_fails || uncaused_fails {
                    let mut parts = Vec::new();
                    if !failing.is_empty() {
                        parts.push(format!("causes in {}", names(&failing)));
                    }
                    if uncaused_fails {
                        parts.push("keys differ without a cause".to_string());
                    }
                    if one_sided_fails {
                        parts.push(format!("{} built on one side only", actions(one_sided)));
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
                            "inconclusive: the proven differences do not fail ({}), but {} not \
                             proven, so their categories are unknown",
                            not_failing(&allowed, &ignored, &causes),
                            if sm.unproven == 1 {
                                "1 action's differing key is".to_string()
                            } else {
                                format!("{} actions' differing keys are", sm.unproven)
                            }
                        ),
                    )
                } else {
                    let mut what = Vec::new();
                    if !allowed.is_empty() || !ignored.is_empty() {
                        what.push(not_failing(&allowed, &ignored, &causes));
                    }
                    if one_sided > 0 {
                        what.push(match &one_sided_allowed {
                            Some(_) => "actions built on one side only (allowed)".to_string(),
                            None => "actions built on one side only (--fail-on)".to_string(),
                        });
                    }
                    if uncaused {
                        what.push("keys that differ without a cause".to_string());
                    }
                    (0, format!("not failing on {}", what.join(", ")))
                }
            }
        };
        // A side whose build failed makes the comparison partial: never trusted, whatever the
        // causes (the verdict says inconclusive too).
        let (exit_code, reason) = if report.partial && exit_code != 2 {
            (
                2,
                "inconclusive: a side's build failed, so the comparison is partial".to_string(),
            )
        } else {
            (exit_code, reason)
        };
        Decision {
            failing,
            allowed,
            ignored,
            one_sided_allowed,
            causes,
            exit_code,
            reason,
        }
    }
}

impl Allowance {
    /// Whether the rule covers `cause`: its category, its field (when the rule names one),
    /// the package of every action it affects (when the rule names a pattern), and the
    /// variation that produces it (when the rule names one).
    pub fn matches(&self, report: &Comparison, cause: &Cause) -> bool {
        if cause.category != self.category {
            return false;
        }
        if let Some(field) = &self.field
            && *field != cause.field
        {
            return false;
        }
        if let Some(pattern) = &self.package {
            let packages = report.cause_packages(cause);
            if packages.is_empty() || !packages.iter().all(|p| pattern.matches(p)) {
                return false;
            }
        }
        if let Some(factor) = self.variation {
            match &cause.variation {
                Some(v) if v.factors == [factor] => {}
                _ => return false,
            }
        }
        true
    }
}

/// An import-path pattern as go reads one (`cmd/go/internal/search, MatchPattern`): `...`
/// matches any string, and a pattern ending in `/...` also matches the path before it
/// (`example.com/x/...` matches `example.com/x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagePattern {
    pattern: String,
}

impl PackagePattern {
    pub fn new(pattern: &str) -> Result<PackagePattern, String> {
        let p = pattern.trim();
        if p.is_empty() || p.chars().any(char::is_whitespace) {
            return Err(format!("`{pattern}` is not an import-path pattern"));
        }
        Ok(PackagePattern {
            pattern: p.to_string(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    pub fn matches(&self, path: &str) -> bool {
        let p = &self.pattern;
        if let Some(prefix) = p.strip_suffix("/...")
            && !prefix.contains("...")
            && path == prefix
        {
            return true;
        }
        wildcard(p.as_bytes(), path.as_bytes())
    }
}

/// `...` in `pattern` matches any run of bytes (also `/`); everything else literally.
fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    if pattern.is_empty() {
        return text.is_empty();
    }
    if let Some(rest) = pattern.strip_prefix(b"...") {
        return (0..=text.len()).any(|i| wildcard(rest, &text[i..]));
    }
    text.first() == pattern.first() && wildcard(&pattern[1..], &text[1..])
}

/// `3 actions`, `1 action`.
fn actions(n: usize) -> String {
    if n == 1 {
        "1 action".to_string()
    } else {
        format!("{n} actions")
    }
}

/// `source, vcs-stamp (1 allowed by a rule, 2 ignored)`.
fn not_failing(allowed: &[Category], ignored: &[Category], causes: &[CauseGate]) -> String {
    let mut cats: Vec<Category> = allowed.iter().chain(ignored).copied().collect();
    cats.sort();
    cats.dedup();
    let n = |s: &str| causes.iter().filter(|g| g.as_str() == s).count();
    let mut parts = Vec::new();
    if n("allowed") > 0 {
        parts.push(format!("{} allowed by a rule", n("allowed")));
    }
    if n("ignored") > 0 {
        parts.push(format!("{} ignored", n("ignored")));
    }
    format!("{} ({})", names(&cats), parts.join(", "))
}

fn names(categories: &[Category]) -> String {
    categories
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::comparison::{ActionDiff, Status, Summary};
    use crate::model::Attribution;

    fn cause(category: Category, field: &str, actions: &[&str]) -> Cause {
        Cause {
            category,
            field: field.into(),
            a: None,
            b: None,
            rewrite: None,
            tokens: Vec::new(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
            why: "why".into(),
            fix: Some("the cause's fix".into()),
            also: Vec::new(),
            order: 0,
            rows: &[],
            class: crate::diff::Class::Field(field.into()),
            verification: None,
            variation: None,
        }
    }

    fn report(causes: Vec<Cause>) -> Comparison {
        let mut actions = Vec::new();
        for c in &causes {
            for label in &c.actions {
                actions.push(ActionDiff {
                    name: label.trim_end_matches(" [test]").into(),
                    label: label.clone(),
                    kind: "build",
                    status: Status::RootCause,
                    a_id: None,
                    b_id: None,
                    differences: Vec::new(),
                    caused_by: Vec::new(),
                    unverified: false,
                });
            }
        }
        Comparison {
            mode: crate::diff::ComparisonMode::Exact,
            doubts: Vec::new(),
            graph: Default::default(),
            a: Default::default(),
            b: Default::default(),
            verdict: if causes.is_empty() {
                Verdict::Same
            } else {
                Verdict::Differ
            },
            summary: Summary::default(),
            settings: Vec::new(),
            causes,
            actions,
            notes: Vec::new(),
            partial: false,
        }
    }

    fn allowance(category: Category, field: Option<&str>, package: Option<&str>) -> Allowance {
        Allowance {
            category,
            field: field.map(str::to_string),
            package: package.map(|p| PackagePattern::new(p).unwrap()),
            variation: None,
            allowed: Allowed {
                reason: "we build it in one fixed container path".into(),
                source: "whymiss.toml:3".into(),
                fix: None,
            },
        }
    }

    #[test]
    fn package_patterns_match_as_go_matches_them() {
        let p = |s: &str| PackagePattern::new(s).unwrap();
        assert!(p("example.com/x/cgopkg").matches("example.com/x/cgopkg"));
        assert!(!p("example.com/x/cgopkg").matches("example.com/x/cgopkg2"));
        assert!(p("example.com/x/...").matches("example.com/x"));
        assert!(p("example.com/x/...").matches("example.com/x/a/b"));
        assert!(!p("example.com/x/...").matches("example.com/xy"));
        assert!(p("example.com/.../cgo...").matches("example.com/a/b/cgopkg"));
        assert!(p("...").matches("fmt"));
        assert!(PackagePattern::new("a b").is_err());
        assert!(PackagePattern::new(" ").is_err());
    }

    #[test]
    fn an_allowance_turns_exactly_its_cause_into_allowed() {
        let r = report(vec![
            cause(
                Category::AbsolutePath,
                "CC flags",
                &["build example.com/x/cgopkg"],
            ),
            cause(
                Category::AbsolutePath,
                "dir",
                &["build example.com/x/cgopkg"],
            ),
            cause(
                Category::AbsolutePath,
                "CC flags",
                &["build example.com/x/other"],
            ),
        ]);
        let gate = Gate {
            allow: vec![allowance(
                Category::AbsolutePath,
                Some("CC flags"),
                Some("example.com/x/cgopkg"),
            )],
            ..Gate::default()
        };
        let d = gate.decide(&r);
        let states: Vec<&str> = d.causes.iter().map(CauseGate::as_str).collect();
        assert_eq!(states, ["allowed", "failing", "failing"]);
        assert_eq!(d.exit_code, 1);
        assert_eq!(
            d.causes[0].reason().unwrap(),
            "we build it in one fixed container path (whymiss.toml:3)"
        );
        assert_eq!(d.failing, [Category::AbsolutePath]);
        assert_eq!(d.allowed, [Category::AbsolutePath]);
        // Only the allowed one: exit 0.
        let only = report(vec![r.causes[0].clone()]);
        assert_eq!(gate.decide(&only).exit_code, 0);
    }

    #[test]
    fn a_package_pattern_must_cover_every_action_of_the_cause() {
        let r = report(vec![cause(
            Category::LinkerFlags,
            "-ldflags",
            &["link example.com/x/cmd/a", "link example.com/y/cmd/b"],
        )]);
        let rule = allowance(Category::LinkerFlags, None, Some("example.com/x/..."));
        assert!(!rule.matches(&r, &r.causes[0]));
        let rule = allowance(Category::LinkerFlags, None, Some("example.com/..."));
        assert!(rule.matches(&r, &r.causes[0]));
        // Test binaries and external test packages are their package's.
        let t = report(vec![cause(
            Category::TestEnv,
            "env TMPDIR",
            &[
                "test example.com/x",
                "link example.com/x.test",
                "build example.com/x_test",
            ],
        )]);
        let rule = allowance(Category::TestEnv, Some("env TMPDIR"), Some("example.com/x"));
        assert!(rule.matches(&t, &t.causes[0]));
    }

    #[test]
    fn ignore_and_fail_on_of_one_category_contradict() {
        let gate = Gate {
            ignore: vec![Category::Source, Category::VcsStamp],
            fail_on: vec![Category::VcsStamp],
            ..Gate::default()
        };
        assert_eq!(
            gate.check().unwrap_err(),
            "--ignore and --fail-on both name vcs-stamp: a category cannot both fail and not fail"
        );
        assert!(Gate::default().check().is_ok());
    }

    #[test]
    fn causes_of_an_unvaried_factor_are_ignored() {
        let mut c = cause(Category::LinkerFlags, "-ldflags", &["link example.com/x"]);
        c.variation = Some(Attribution {
            factors: vec![Factor::Time],
            together: false,
        });
        let r = report(vec![c]);
        let gate = Gate {
            not_varied: vec![Factor::Time],
            ..Gate::default()
        };
        let d = gate.decide(&r);
        assert_eq!(
            d.causes[0],
            CauseGate::Ignored(Ignored::NotVaried(vec![Factor::Time]))
        );
        assert_eq!(d.exit_code, 0);
        assert!(Gate::default().decide(&r).causes[0].fails());
    }

    #[test]
    fn a_partial_comparison_is_trouble_whatever_its_causes() {
        let mut r = report(Vec::new());
        r.partial = true;
        assert_eq!(Gate::default().decide(&r).exit_code, 2);
    }
}
