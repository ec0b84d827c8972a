//! Running a scenario: write its module into a temporary working copy, apply the shared and
//! side A's setup, build side A, apply side B's setup, build side B in the same directory (or a
//! relocated copy of it), compare, and check the categories whymiss found against the
//! scenario's `expect:`.

use std::path::PathBuf;

use crate::diff::{self, Category, Verdict};
use crate::error::Error;
use crate::go::run::{RunOptions, run_side};
use crate::go::side::SideSpec;
use crate::go::workspace::TempTree;
use crate::go::{ProgressMode, signals};

use super::embedded;
use super::scenario::{self, CHECKOUT_TIME, Expectation, Scenario, SideDef, Step};
use super::setup;

/// Variables every side starts from, so the user's own Go configuration (a `go env -w
/// GOFLAGS=-trimpath`, an exported `GOEXPERIMENT`) cannot change a scenario's outcome. A
/// scenario's `env:` lines override them.
pub const BASELINE_ENV: &[(&str, &str)] = &[
    ("GOENV", "off"),
    ("GOFLAGS", ""),
    ("GOWORK", "off"),
    ("GOEXPERIMENT", ""),
    ("GOPROXY", "off"),
];

/// How to run a demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// The go command for sides whose scenario names none (`--go`; default `$GO`, else `go`).
    pub go: Option<String>,
    pub progress: ProgressMode,
}

/// What a scenario expects against what whymiss found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub expected: Expectation,
    pub verdict: Verdict,
    /// The categories of the causes whymiss found, sorted.
    pub found: Vec<Category>,
    /// Expected but not found.
    pub missing: Vec<Category>,
    /// Found but not expected.
    pub unexpected: Vec<Category>,
    pub met: bool,
}

impl Check {
    /// Compares a report against an expectation: `same` needs identical keys; categories must
    /// be exactly the categories of the report's causes.
    pub fn new(expected: &Expectation, report: &diff::Comparison) -> Check {
        let found = report.categories();
        let want: &[Category] = match expected {
            Expectation::Same => &[],
            Expectation::Differ(cats) => cats,
        };
        let missing: Vec<Category> = want
            .iter()
            .filter(|c| !found.contains(c))
            .copied()
            .collect();
        let unexpected: Vec<Category> = found
            .iter()
            .filter(|c| !want.contains(c))
            .copied()
            .collect();
        let verdict_ok = match expected {
            Expectation::Same => report.verdict == Verdict::Same,
            Expectation::Differ(_) => report.verdict == Verdict::Differ,
        };
        Check {
            expected: expected.clone(),
            verdict: report.verdict,
            met: verdict_ok && missing.is_empty() && unexpected.is_empty(),
            found,
            missing,
            unexpected,
        }
    }
}

/// A finished demo.
#[derive(Debug, Clone)]
pub struct DemoRun {
    pub scenario: Scenario,
    /// Where the working copy was (removed by now).
    pub dir: PathBuf,
    pub report: diff::Comparison,
    pub check: Check,
    /// A side's go command failed: which and how (the report is partial).
    pub failed: Option<String>,
}

/// Loads one embedded scenario by name.
pub fn load(name: &str) -> Result<Scenario, Error> {
    let path = format!("scenarios/{name}/scenario.txt");
    let bytes = embedded::file(&path)
        .filter(|_| !name.contains('/'))
        .ok_or_else(|| {
            Error::Usage(format!(
                "no scenario named `{name}` (`whymiss demo --list` lists them)"
            ))
        })?;
    let text = String::from_utf8_lossy(bytes);
    scenario::parse(name, &text).map_err(|e| {
        let at = if e.line == 0 {
            String::new()
        } else {
            format!("{}:", e.line)
        };
        Error::Usage(format!("corpus/{path}:{at} {}", e.message))
    })
}

/// Every embedded scenario, by name.
pub fn load_all() -> Result<Vec<Scenario>, Error> {
    embedded::scenario_names().into_iter().map(load).collect()
}

/// Runs a scenario. The working copy lives in a temporary directory that is removed when this
/// returns, and on Ctrl-C.
pub fn run(scenario: &Scenario, options: &DemoOptions) -> Result<DemoRun, Error> {
    signals::install()
        .map_err(|e| Error::Usage(format!("cannot install a signal handler: {e}")))?;
    let (a, b) = (&scenario.a, &scenario.b);
    let tree = TempTree::new("whymiss-demo-").map_err(|source| Error::SideIo {
        side: a.label.clone(),
        context: "cannot create a temporary working copy".into(),
        source,
    })?;
    let root = tree.path().join(scenario.module.dir_name());
    let checkout = scenario::parse_time(CHECKOUT_TIME).expect("a valid constant");
    embedded::materialize(
        &scenario.module.corpus_path(&scenario.name),
        &root,
        checkout,
    )
    .map_err(|source| Error::SideIo {
        side: a.label.clone(),
        context: format!("cannot write the working copy {}", root.display()),
        source,
    })?;

    let run_options = RunOptions {
        shared_args: scenario.args.clone(),
        test: scenario.test,
        cold: false,
        progress: options.progress,
    };
    let shared = scenario.setup.iter();
    apply_steps(shared.chain(&a.setup), a, &root, &scenario.name)?;
    let run_a = run_side(&side_spec(a, &root, options), &run_options)?;
    apply_steps(b.setup.iter(), b, &root, &scenario.name)?;
    let run_b = run_side(&side_spec(b, &root, options), &run_options)?;

    let log_a = crate::parse_side(&run_a, scenario.test)?;
    let log_b = crate::parse_side(&run_b, scenario.test)?;
    let report = diff::compare(&log_a, &log_b, run_a.info.clone(), run_b.info.clone());
    let failed: Vec<String> = [&run_a, &run_b]
        .into_iter()
        .filter(|r| !r.success)
        .map(crate::build_failed)
        .collect();
    let check = Check::new(&scenario.expect, &report);
    Ok(DemoRun {
        scenario: scenario.clone(),
        dir: root,
        report,
        check,
        failed: (!failed.is_empty()).then(|| failed.join("; ")),
    })
}

fn apply_steps<'s>(
    steps: impl Iterator<Item = &'s Step>,
    side: &SideDef,
    root: &std::path::Path,
    scenario: &str,
) -> Result<(), Error> {
    for step in steps {
        if let Some(signal) = signals::interrupted() {
            return Err(Error::Interrupted { signal });
        }
        setup::apply(step, root, scenario).map_err(|source| Error::SideIo {
            side: side.label.clone(),
            context: format!("setup `{step}`"),
            source,
        })?;
    }
    Ok(())
}

/// The runner's description of a side: the scenario's settings over [`BASELINE_ENV`].
fn side_spec(side: &SideDef, root: &std::path::Path, options: &DemoOptions) -> SideSpec {
    let mut env: Vec<(String, String)> = BASELINE_ENV
        .iter()
        .filter(|(k, _)| !side.env.iter().any(|(s, _)| s == k))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (k, v) in &side.env {
        env.retain(|(e, _)| e != k);
        env.push((k.clone(), v.clone()));
    }
    SideSpec {
        label: side.label.clone(),
        go: side.go.clone().or_else(|| options.go.clone()),
        dir: root.to_path_buf(),
        env,
        flags: side.flags.clone(),
        relocate: side.relocate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_scenario_parses() {
        let all = load_all().unwrap();
        assert!(all.len() >= 15, "{}", all.len());
        for s in &all {
            let module = s.module.corpus_path(&s.name);
            assert!(
                embedded::file(&format!("{module}/go.mod")).is_some(),
                "{}: no module {module}",
                s.name
            );
        }
    }

    #[test]
    fn an_unknown_scenario_is_a_usage_error() {
        let err = load("no-such-scenario").unwrap_err();
        assert_eq!(
            err.to_string(),
            "no scenario named `no-such-scenario` (`whymiss demo --list` lists them)"
        );
        assert!(load("../modules/tiny").is_err());
    }

    fn report(verdict: Verdict, cats: &[Category]) -> diff::Comparison {
        let cause = |category: Category| diff::Cause {
            category,
            field: "f".into(),
            a: None,
            b: None,
            rewrite: None,
            tokens: Vec::new(),
            actions: Vec::new(),
            why: String::new(),
            fix: None,
            also: Vec::new(),
            order: 0,
        };
        diff::Comparison {
            a: Default::default(),
            b: Default::default(),
            verdict,
            summary: Default::default(),
            settings: Vec::new(),
            causes: cats.iter().copied().map(cause).collect(),
            actions: Vec::new(),
            notes: Vec::new(),
            partial: false,
        }
    }

    #[test]
    fn the_check_wants_exactly_the_expected_categories() {
        use Category::{AbsolutePath, Cgo, LinkerFlags};
        let want = Expectation::Differ(vec![AbsolutePath, Cgo]);
        let c = Check::new(&want, &report(Verdict::Differ, &[Cgo, AbsolutePath, Cgo]));
        assert!(c.met, "{c:?}");
        assert_eq!(c.found, [AbsolutePath, Cgo]);
        let c = Check::new(&want, &report(Verdict::Differ, &[Cgo, LinkerFlags]));
        assert!(!c.met);
        assert_eq!(
            (c.missing, c.unexpected),
            (vec![AbsolutePath], vec![LinkerFlags])
        );
        let c = Check::new(&Expectation::Same, &report(Verdict::Same, &[]));
        assert!(c.met);
        // Keys that differ without a cause are not `same`.
        assert!(!Check::new(&Expectation::Same, &report(Verdict::Differ, &[])).met);
        assert!(!Check::new(&Expectation::Same, &report(Verdict::Differ, &[Cgo])).met);
    }

    #[test]
    fn scenario_env_overrides_the_baseline() {
        let side = SideDef {
            label: "B".into(),
            env: vec![
                ("GOEXPERIMENT".into(), "fieldtrack".into()),
                ("GOAMD64".into(), "v3".into()),
            ],
            ..SideDef::default()
        };
        let options = DemoOptions {
            go: Some("go1.27.3".into()),
            progress: ProgressMode::Hidden,
        };
        let spec = side_spec(&side, std::path::Path::new("/w/tiny"), &options);
        let get = |k: &str| {
            spec.env
                .iter()
                .filter(|(e, _)| e == k)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(get("GOEXPERIMENT"), ["fieldtrack"]);
        assert_eq!(get("GOAMD64"), ["v3"]);
        assert_eq!(get("GOFLAGS"), [""]);
        assert_eq!(spec.go.as_deref(), Some("go1.27.3"));
    }
}
