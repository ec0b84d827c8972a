//! Running a scenario: write its module into a temporary working copy, apply the shared and
//! side A's setup, build side A, apply side B's setup, build side B in the same directory (or a
//! relocated copy of it), compare, and check the categories whymiss found against the
//! scenario's `expect:`.

use std::path::{Path, PathBuf};

use crate::diff::{self, Category, Verdict};
use crate::error::Error;
use crate::go::load;
use crate::go::run::{RunOptions, RunSpec, run_side};
use crate::go::side::SideSpec;
use crate::go::side::describe_side;
use crate::go::sources::DiskSources;
use crate::go::workspace::{TempTree, copy_tree};
use crate::go::{ProgressMode, signals};
use crate::verify;

use super::embedded;
use super::scenario::{
    self, CHECKOUT_TIME, CacheMode, Expectation, MainCause, Scenario, SideDef, Step,
};
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
    /// Prove each mechanical fix by a dry re-run with it applied (when side B's setup leaves
    /// the working copy as side A built it, so both sides can run again).
    pub verify: bool,
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

/// What is wrong with `report` for a pair whose main cause is `main`: no cause with its field,
/// the cause does not name its action, or another number of root-cause actions.
pub(crate) fn main_cause_problem(report: &diff::Comparison, main: &MainCause) -> Option<String> {
    let Some(cause) = report.causes.iter().find(|c| c.field == main.field) else {
        let fields: Vec<&str> = report.causes.iter().map(|c| c.field.as_str()).collect();
        return Some(format!(
            "no cause with field `{}` (causes: {})",
            main.field,
            fields.join(", ")
        ));
    };
    let names_action = cause
        .actions
        .iter()
        .any(|a| *a == main.action || a.starts_with(&format!("{} ", main.action)));
    if !names_action {
        return Some(format!(
            "the `{}` cause does not name `{}`: {}",
            main.field,
            main.action,
            cause.actions.join(", ")
        ));
    }
    let root_causes = report.summary.root_cause;
    (root_causes != main.root_causes).then(|| {
        format!(
            "{root_causes} root-cause actions, expected {}",
            main.root_causes
        )
    })
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
    /// The two sides' logs (go's stderr), A's first.
    pub logs: [Vec<u8>; 2],
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
    let text = String::from_utf8_lossy(&bytes);
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
    embedded::scenario_names().iter().map(|n| load(n)).collect()
}

/// Where a scenario runs.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place<'p> {
    /// `whymiss demo`: a fresh temporary directory, removed when the run returns (and on
    /// Ctrl-C); both sides use the user's build cache.
    Temporary,
    /// Capturing a log pair: `root` (which must not exist yet; the caller removes it) holds the
    /// working copy, the sides' copies and the scenario's own build caches, made as its
    /// `cache:` says from `seed` (a GOCACHE to copy).
    Fixed { root: &'p Path, seed: &'p Path },
}

/// Runs a scenario as `whymiss demo` does: in a temporary directory, on the user's cache.
pub(crate) fn run(scenario: &Scenario, options: &DemoOptions) -> Result<DemoRun, Error> {
    run_at(scenario, options, Place::Temporary)
}

/// Runs a scenario at `place`.
pub(crate) fn run_at(
    scenario: &Scenario,
    options: &DemoOptions,
    place: Place<'_>,
) -> Result<DemoRun, Error> {
    let (a, b) = (&scenario.a, &scenario.b);
    let io = |context: String| {
        let side = a.label.clone();
        move |source| Error::SideIo {
            side,
            context,
            source,
        }
    };
    let (_tree, root) = match place {
        Place::Temporary => {
            let tree = TempTree::new("whymiss-demo-")
                .map_err(io("cannot create a temporary working copy".into()))?;
            let root = tree.path().to_owned();
            (Some(tree), root)
        }
        Place::Fixed { root, .. } => {
            std::fs::create_dir_all(root)
                .map_err(io(format!("cannot create {}", root.display())))?;
            (None, root.to_owned())
        }
    };
    let copy = root.join(
        scenario
            .dir
            .as_deref()
            .unwrap_or(scenario.module.dir_name()),
    );
    let checkout = scenario::parse_time(CHECKOUT_TIME).expect("a valid constant");
    embedded::materialize(
        &scenario.module.corpus_path(&scenario.name),
        &copy,
        checkout,
    )
    .map_err(io(format!(
        "cannot write the working copy {}",
        copy.display()
    )))?;

    // The caches of a captured pair: (side A's, side B's, whether to warm A's first).
    let (cache_a, cache_b, warm) = match place {
        Place::Temporary => (None, None, false),
        Place::Fixed { seed, .. } => match scenario.cache {
            CacheMode::Seed => {
                let cache = root.join("gocache");
                copy_tree(seed, &cache)
                    .map_err(io(format!("cannot copy the seed cache {}", seed.display())))?;
                (Some(cache.clone()), Some(cache), true)
            }
            CacheMode::Empty => (
                Some(root.join("gocache")),
                Some(root.join("gocache")),
                false,
            ),
            CacheMode::Separate => (
                Some(root.join("gocache-a")),
                Some(root.join("gocache-b")),
                false,
            ),
        },
    };

    let run_options = RunOptions {
        shared_args: scenario.args.clone(),
        test: scenario.test,
        cold: false,
        progress: options.progress,
        mode: scenario.mode,
    };
    apply_steps(
        scenario.setup.iter().chain(&a.setup),
        a,
        &copy,
        &scenario.name,
    )?;
    let spec_a = side_spec(a, &side_dir(a, &root, &copy)?, &root, options, cache_a)?;
    if warm {
        let warmed = run_side(&spec_a, &run_options)?;
        if !warmed.success {
            return Err(Error::BuildFailed {
                side: a.label.clone(),
                subcommand: if scenario.test { "test" } else { "build" }.into(),
                status: warmed.info.exit_status.unwrap_or(-1),
                tail: warmed.info.error_tail,
            });
        }
    }
    let run_a = run_side(&spec_a, &run_options)?;
    apply_steps(b.setup.iter(), b, &copy, &scenario.name)?;
    let spec_b = side_spec(b, &side_dir(b, &root, &copy)?, &root, options, cache_b)?;
    let run_b = run_side(&spec_b, &run_options)?;

    // A scenario sets the variables its tests read: their values are the lesson, not secrets.
    let keep = crate::parse::ParseOptions {
        keep_env_values: true,
    };
    let log_a = load::parse_side(&run_a, scenario.test, &keep)?;
    let log_b = load::parse_side(&run_b, scenario.test, &keep)?;
    let mut report = diff::compare_with_sources(
        &log_a,
        &log_b,
        run_a.info.clone(),
        run_b.info.clone(),
        &DiskSources,
    );
    let check = Check::new(&scenario.expect, &report);
    let failed = load::failed_sides(&[&run_a, &run_b]);
    drop((log_a, log_b));
    // Both sides can run again only when B's setup left the working copy as A built it.
    if options.verify && failed.is_none() && b.setup.is_empty() {
        let spec = RunSpec {
            a: spec_a,
            b: spec_b,
            options: run_options,
        };
        verify::verify(&mut report, &spec)?;
    }
    Ok(DemoRun {
        scenario: scenario.clone(),
        dir: copy,
        report,
        check,
        failed,
        logs: [run_a.stderr, run_b.stderr],
    })
}

/// Where a side runs: the working copy, or (with `dir:`) a copy of it made now.
fn side_dir(side: &SideDef, root: &Path, copy: &Path) -> Result<PathBuf, Error> {
    let Some(dir) = &side.dir else {
        return Ok(copy.to_owned());
    };
    let target = root.join(dir);
    if target == copy {
        return Ok(target);
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::SideIo {
            side: side.label.clone(),
            context: format!("cannot create {}", parent.display()),
            source,
        })?;
    }
    copy_tree(copy, &target).map_err(|source| Error::SideIo {
        side: side.label.clone(),
        context: format!("cannot copy the working copy to {}", target.display()),
        source,
    })?;
    Ok(target)
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

/// The runner's description of a side: the scenario's settings over [`BASELINE_ENV`], in
/// `dir`, with `GOCACHE` when the place gives the side a cache of its own. A side with
/// `relocate-goroot` runs a copy of its go installation, made now under `root`.
fn side_spec(
    side: &SideDef,
    dir: &Path,
    root: &Path,
    options: &DemoOptions,
    cache: Option<PathBuf>,
) -> Result<SideSpec, Error> {
    let mut env: Vec<(String, String)> = BASELINE_ENV
        .iter()
        .filter(|(k, _)| !side.env.iter().any(|(s, _)| s == k))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (k, v) in &side.env {
        env.retain(|(e, _)| e != k);
        env.push((k.clone(), v.clone()));
    }
    if let Some(cache) = cache {
        env.retain(|(e, _)| e != "GOCACHE");
        env.push(("GOCACHE".into(), cache.display().to_string()));
    }
    let mut spec = SideSpec {
        label: side.label.clone(),
        go: side.go.clone().or_else(|| options.go.clone()),
        dir: dir.to_path_buf(),
        env,
        flags: side.flags.clone(),
        relocate: side.relocate,
    };
    if side.relocate_goroot {
        let goroot = describe_side(&spec)?
            .info
            .go_env
            .get("GOROOT")
            .cloned()
            .unwrap_or_default();
        let copy = root.join("goroot-copy/go");
        let io = |context: String| {
            let side = side.label.clone();
            move |source| Error::SideIo {
                side,
                context,
                source,
            }
        };
        std::fs::create_dir_all(root.join("goroot-copy"))
            .map_err(io(format!("cannot create {}", root.display())))?;
        copy_tree(Path::new(&goroot), &copy).map_err(io(format!("cannot copy GOROOT {goroot}")))?;
        spec.go = Some(copy.join("bin/go").display().to_string());
    }
    Ok(spec)
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
            rows: &[],
            also: Vec::new(),
            order: 0,
            class: diff::Class::Field("f".into()),
            verification: None,
            variation: None,
        };
        diff::Comparison {
            a: Default::default(),
            b: Default::default(),
            mode: diff::ComparisonMode::Exact,
            verdict,
            doubts: Vec::new(),
            summary: Default::default(),
            settings: Vec::new(),
            causes: cats.iter().copied().map(cause).collect(),
            actions: Vec::new(),
            graph: Default::default(),
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
            verify: false,
        };
        let spec = side_spec(&side, Path::new("/w/tiny"), Path::new("/w"), &options, None).unwrap();
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
