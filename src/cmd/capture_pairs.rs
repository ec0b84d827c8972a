//! `whymiss capture-pairs [NAME…]` (hidden, for whymiss's own corpus): re-captures the log
//! pairs of `corpus/pairs/` from their `case.txt` files with the scenario runner
//! ([`crate::demo::run::run_at`]), checks each pair against what its file expects, and only
//! then replaces its `a.log.gz` and `b.log.gz`. The file format is documented in
//! corpus/README.md.
//!
//! Every go command runs in a clean environment (like `env -i`): whymiss runs itself again
//! with only `HOME` (a temporary directory), `PATH`, `TMPDIR`, `WHYMISS_TOOLCHAINS` and
//! [`CLEAN_ENV`], so nothing of the user's Go configuration reaches a log. The pairs are built
//! under the fixed directory `$TMPDIR/whymiss-pairs/p/<pair>/` (the paths in the logs, and so
//! in the reports, are the same on every capture), which is removed at the start and at the
//! end: do not run two captures at once.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::CapturePairs;
use crate::demo::run::{self, DemoOptions, DemoRun, Place, main_cause_problem};
use crate::demo::scenario::{self, CacheMode, Expectation, Scenario};
use crate::demo::{BASELINE_ENV, embedded};
use crate::error::Error;
use crate::go::progress::ProgressMode;
use crate::go::run::{RunOptions, run_side};
use crate::go::side::SideSpec;
use crate::go::signals;
use crate::go::toolchain::TOOLCHAINS_VAR;
use crate::model::Mode;
use crate::report;

use super::Outcome;

/// The variables every go command of a capture starts from (then the pair's own).
const CLEAN_ENV: &[(&str, &str)] = &[
    ("GOTOOLCHAIN", "local"),
    ("GOENV", "off"),
    ("GOFLAGS", ""),
    ("GOPROXY", "off"),
    ("GOWORK", "off"),
    ("GOSUMDB", "off"),
    ("GONOSUMDB", ""),
    ("TZ", "UTC"),
    ("CGO_ENABLED", "1"),
];

/// Set (to `1`) in the environment of the second, clean run of whymiss.
const CLEAN_MARK: &str = "WHYMISS_CAPTURE_CLEAN";

/// The module and arguments of the seed cache (pairs with `cache: seed` start from a copy).
const SEED_MODULE: &str = "lab";
const SEED_ARGS: &[&str] = &["./..."];

pub fn run(what: &CapturePairs, out: &mut dyn Write) -> Result<Outcome, Error> {
    let all = load_pairs(&what.corpus.join("pairs"))?;
    let selected: Vec<&Scenario> = if what.names.is_empty() {
        all.iter().collect()
    } else {
        what.names
            .iter()
            .map(|name| {
                all.iter().find(|p| &p.name == name).ok_or_else(|| {
                    Error::Usage(format!(
                        "no pair named `{name}` in {}",
                        what.corpus.join("pairs").display()
                    ))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let root = std::env::temp_dir().join("whymiss-pairs");
    if std::env::var_os(CLEAN_MARK).is_none() {
        return rerun_clean(&root, &what.corpus);
    }
    remove_tree(&root)?;
    signals::register_dir(&root);
    let result = capture_all(&selected, what, &root, out);
    if what.keep_temp {
        writeln!(out, "kept {}", root.display()).map_err(Error::Output)?;
    } else {
        remove_tree(&root)?;
    }
    signals::unregister_dir(&root);
    result
}

/// Runs this whymiss again with the same arguments in a clean environment.
fn rerun_clean(root: &Path, corpus: &Path) -> Result<Outcome, Error> {
    let exe = std::env::current_exe().map_err(|source| Error::Read {
        path: "/proc/self/exe".into(),
        source,
    })?;
    let mut command = std::process::Command::new(&exe);
    command
        .args(std::env::args_os().skip(1))
        .env_clear()
        .envs(CLEAN_ENV.iter().copied())
        .env(CLEAN_MARK, "1")
        .env("HOME", root.join("home"));
    for name in ["PATH", "TMPDIR", TOOLCHAINS_VAR] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    let toolchains = corpus.join("../.toolchains");
    if std::env::var_os(TOOLCHAINS_VAR).is_none() && toolchains.is_dir() {
        command.env(
            TOOLCHAINS_VAR,
            std::path::absolute(&toolchains).unwrap_or(toolchains),
        );
    }
    let status = command.status().map_err(|source| Error::Spawn {
        side: "capture".into(),
        program: exe.clone(),
        source,
    })?;
    match status.code() {
        Some(0) => Ok(Outcome::Done),
        code => Err(Error::Subprocess {
            what: "capturing the pairs".into(),
            status: code.unwrap_or(-1),
        }),
    }
}

fn capture_all(
    pairs: &[&Scenario],
    what: &CapturePairs,
    root: &Path,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let io = |context: String| {
        move |source| Error::Write {
            path: PathBuf::from(&context),
            source,
        }
    };
    let stage = root.join("stage");
    for dir in [root.join("home"), stage.clone()] {
        std::fs::create_dir_all(&dir).map_err(io(dir.display().to_string()))?;
    }
    let seed = root.join("seed/gocache");
    if let Some(first) = pairs.iter().find(|p| p.cache == CacheMode::Seed) {
        let started = Instant::now();
        build_seed(root, &seed, first.a.go.clone(), what.progress)?;
        writeln!(
            out,
            "seed cache built in {:.0} s",
            started.elapsed().as_secs_f64()
        )
        .map_err(Error::Output)?;
    }
    let options = DemoOptions {
        go: None,
        progress: what.progress,
        verify: false,
    };
    let started_all = Instant::now();
    for pair in pairs {
        let started = Instant::now();
        let externals: Vec<&str> = pair.steps().filter_map(|s| s.external_dir()).collect();
        for dir in &externals {
            remove_tree(Path::new(dir))?;
        }
        let place = Place::Fixed {
            root: &root.join("p").join(&pair.name),
            seed: &seed,
        };
        let demo = run::run_at(pair, &options, place);
        for dir in &externals {
            remove_tree(Path::new(dir))?;
        }
        let mut demo = demo?;
        from_logs_alone(&mut demo)?;
        if let Some(problem) = problem(&demo) {
            return Err(Error::PairCheck {
                pair: pair.name.clone(),
                message: problem,
            });
        }
        let dir = stage.join(&pair.name);
        std::fs::create_dir_all(&dir).map_err(io(dir.display().to_string()))?;
        let mut sizes = Vec::new();
        for (side, log) in ["a", "b"].iter().zip(&demo.logs) {
            let path = dir.join(format!("{side}.log.gz"));
            let gz = gzip(log).map_err(io(path.display().to_string()))?;
            std::fs::write(&path, &gz).map_err(io(path.display().to_string()))?;
            let lines = log.iter().filter(|&&b| b == b'\n').count();
            sizes.push(format!(
                "{side} {} gz, {lines} lines",
                report::human_bytes(gz.len() as u64)
            ));
        }
        writeln!(
            out,
            "{:<19} {} | {:.0} s",
            pair.name,
            sizes.join(" | "),
            started.elapsed().as_secs_f64()
        )
        .map_err(Error::Output)?;
    }
    // Only now, every pair captured and checked, is the corpus touched.
    for pair in pairs {
        for side in ["a", "b"] {
            let name = format!("{side}.log.gz");
            let to = what.corpus.join("pairs").join(&pair.name).join(&name);
            std::fs::rename(stage.join(&pair.name).join(&name), &to)
                .or_else(|_| std::fs::copy(stage.join(&pair.name).join(&name), &to).map(|_| ()))
                .map_err(io(to.display().to_string()))?;
        }
    }
    writeln!(
        out,
        "captured {} pairs into {} in {:.0} s",
        pairs.len(),
        what.corpus.join("pairs").display(),
        started_all.elapsed().as_secs_f64()
    )
    .map_err(Error::Output)?;
    Ok(Outcome::Done)
}

/// A pair is replayed from its two logs, on machines where its sources are not: check what
/// the logs alone say (the live report may have read the working copy's build constraints).
fn from_logs_alone(demo: &mut DemoRun) -> Result<(), Error> {
    fn parse<'l>(pair: &str, log: &'l [u8]) -> Result<crate::model::BuildLog<'l>, Error> {
        crate::parse::parse_log(log).map_err(|e| Error::PairCheck {
            pair: pair.to_string(),
            message: format!("its log does not parse: {e:?}"),
        })
    }
    let name = demo.scenario.name.clone();
    let (a, b) = (parse(&name, &demo.logs[0])?, parse(&name, &demo.logs[1])?);
    let report = crate::diff::compare(&a, &b, demo.report.a.clone(), demo.report.b.clone());
    demo.check = run::Check::new(&demo.scenario.expect, &report);
    demo.report = report;
    Ok(())
}

/// What is wrong with a captured pair, if anything: a failed build, categories other than
/// its `expect:`, or a main cause other than its `field:`, `action:` and `root-causes:`.
fn problem(demo: &DemoRun) -> Option<String> {
    if let Some(failed) = &demo.failed {
        return Some(failed.clone());
    }
    if !demo.check.met {
        let found = match demo.check.found.is_empty() {
            true => format!("{:?} keys", demo.check.verdict).to_lowercase(),
            false => Expectation::Differ(demo.check.found.clone()).describe(),
        };
        return Some(format!(
            "expected {}, whymiss found {found}",
            demo.check.expected.describe()
        ));
    }
    demo.scenario
        .main_cause
        .as_ref()
        .and_then(|main| main_cause_problem(&demo.report, main))
}

/// The seed cache: the standard library and [`SEED_MODULE`] built once.
fn build_seed(
    root: &Path,
    cache: &Path,
    go: Option<String>,
    progress: ProgressMode,
) -> Result<(), Error> {
    let module = root.join("seed").join(SEED_MODULE);
    let checkout = scenario::parse_time(scenario::CHECKOUT_TIME).expect("a valid constant");
    embedded::materialize(&format!("modules/{SEED_MODULE}"), &module, checkout).map_err(
        |source| Error::Write {
            path: module.clone(),
            source,
        },
    )?;
    let mut env: Vec<(String, String)> = BASELINE_ENV
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    env.push(("GOCACHE".into(), cache.display().to_string()));
    let side = SideSpec {
        label: "seed".into(),
        go,
        dir: module,
        env,
        flags: Vec::new(),
        relocate: false,
    };
    let options = RunOptions {
        shared_args: SEED_ARGS.iter().map(|a| a.to_string()).collect(),
        test: false,
        cold: false,
        progress,
        mode: Mode::Exact,
    };
    let seeded = run_side(&side, &options)?;
    if seeded.success {
        Ok(())
    } else {
        Err(Error::BuildFailed {
            side: "seed".into(),
            subcommand: "build".into(),
            status: seeded.info.exit_status.unwrap_or(-1),
            tail: seeded.info.error_tail,
        })
    }
}

/// Every `corpus/pairs/<name>/case.txt`, by name.
pub fn load_pairs(dir: &Path) -> Result<Vec<Scenario>, Error> {
    let read_dir = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut pairs = Vec::new();
    for entry in read_dir {
        let entry = entry.map_err(|source| Error::Read {
            path: dir.to_owned(),
            source,
        })?;
        let path = entry.path().join("case.txt");
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let pair = scenario::parse(&name, &text).map_err(|e| {
            let at = if e.line == 0 {
                String::new()
            } else {
                format!("{}:", e.line)
            };
            Error::Usage(format!("{}:{at} {}", path.display(), e.message))
        })?;
        pairs.push(pair);
    }
    pairs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(pairs)
}

/// `gzip -9n`: best compression, no name, no time.
fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Removes a directory tree if it exists, making it writable first (go's module cache is
/// read-only).
fn remove_tree(dir: &Path) -> Result<(), Error> {
    if !dir.exists() {
        return Ok(());
    }
    make_writable(dir);
    std::fs::remove_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })
}

fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let _ = std::fs::set_permissions(
        dir,
        std::fs::Permissions::from_mode(meta.permissions().mode() | 0o700),
    );
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            make_writable(&entry.path());
        }
    }
}
