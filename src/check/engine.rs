//! `whymiss check`'s flow: the reference build (this machine, as it is), then a build varying
//! every chosen factor at once in a later second, compared; when their keys differ, more builds
//! with the factors split ([`super::narrow`]) say which factor each cause comes from. The
//! result is one [`Comparison`] (reference against the build that varied everything) whose
//! causes carry their attribution, for the gate and every renderer.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::diff::{self, Comparison};
use crate::error::Error;
use crate::go::load;
use crate::go::progress::ProgressMode;
use crate::go::run::SideRun;
use crate::go::side::{SideSpec, describe_side};
use crate::go::sources::DiskSources;
use crate::model::Mode;
use crate::model::{BuildLog, Factor, SideInfo};
use crate::parse::ParseOptions;

use super::narrow::{self, CauseKey, Runs};
use super::runner::{BuildCommand, Session};

/// One check, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSpec {
    /// The go command: a version or a path (see `go::toolchain::resolve_go`).
    pub go: Option<String>,
    /// The module directory (or a package directory inside it).
    pub dir: PathBuf,
    pub command: BuildCommand,
    /// The factors that vary, in [`Factor::ALL`] order.
    pub varied: Vec<Factor>,
    /// Variables for both builds.
    pub env: Vec<(String, String)>,
    /// Dry builds (`go build -n`) or real ones; tests always run for real.
    pub mode: Mode,
    /// Each build from an empty GOCACHE (else every build uses yours, or dry runs their own).
    pub cold: bool,
    pub progress: ProgressMode,
}

/// What a check found.
pub(crate) struct CheckOutcome {
    pub comparison: Comparison,
    /// The two builds compared (the reference, the varied one), for a renderer that needs their
    /// logs (the HTML page's graph).
    pub runs: [SideRun; 2],
}

/// Runs the check.
pub(crate) fn run(spec: &CheckSpec, parse: &ParseOptions) -> Result<CheckOutcome, Error> {
    let described = describe_side(&SideSpec {
        go: spec.go.clone(),
        env: spec.env.clone(),
        ..SideSpec::new("A", &spec.dir)
    })?;
    let mut session = Session::new(
        &described.module_root,
        &spec.dir,
        &described.go,
        spec.mode,
        spec.cold,
        spec.env.clone(),
        spec.progress,
    )?;
    let test = spec.command.is_test();
    let a = session.build(&spec.command, &[], "A")?;
    let mut everything = spec.varied.clone();
    if !everything.contains(&Factor::Time) {
        everything.push(Factor::Time);
    } else {
        later_second(a.ended);
    }
    everything.sort();
    let b = session.build(&spec.command, &everything, "B")?;
    let la = load::parse_side(&a.run, test, parse)?;
    let lb = load::parse_side(&b.run, test, parse)?;
    // The module's files on disk say which build tag selects a file present on one side only.
    let mut comparison = diff::compare_with_sources(
        &la,
        &lb,
        a.run.info.clone(),
        b.run.info.clone(),
        &DiskSources,
    );
    comparison
        .notes
        .push(varied_note(&spec.varied, &session, b.removed_vars));
    if let BuildCommand::Shell(cmd) = &spec.command {
        comparison.notes.push(format!(
            "`{cmd}` ran {} through whymiss's go shim on the reference build, {} on the varied \
             one; each build's logs are compared as one",
            match a.invocations {
                1 => "1 go command".to_string(),
                n => format!("{n} go commands"),
            },
            b.invocations
        ));
    }
    let failed = load::failed_sides(&[&a.run, &b.run]);
    if failed.is_none() && !comparison.causes.is_empty() {
        let full: Vec<CauseKey> = keys(&comparison);
        let mut runs = Narrowing {
            session: &mut session,
            command: &spec.command,
            reference: &la,
            reference_info: &a.run.info,
            test,
            parse,
            builds: 0,
        };
        match narrow::attribute(&full, &spec.varied, &mut runs) {
            Ok(found) => {
                let builds = runs.builds;
                for (cause, attribution) in comparison.causes.iter_mut().zip(found) {
                    cause.variation = Some(attribution);
                }
                comparison.notes.push(format!(
                    "each cause is attributed to the variation that produces it, by {} more \
                     build{}: time alone, then the other factors in halves as needed",
                    builds,
                    if builds == 1 { "" } else { "s" }
                ));
            }
            Err(e) => comparison.notes.push(format!(
                "the causes could not be attributed to a variation: {e}"
            )),
        }
    }
    drop((la, lb));
    Ok(CheckOutcome {
        comparison,
        runs: [a.run, b.run],
    })
}

/// What varied, and how, for the notes.
fn varied_note(varied: &[Factor], session: &Session, removed_vars: usize) -> String {
    let v = &session.plan.values;
    let mut parts = Vec::new();
    for f in varied {
        parts.push(match f {
            Factor::Path => "path (another copy of the module)".to_string(),
            Factor::Home => format!("home (HOME={})", v.home.display()),
            Factor::Tmpdir => format!("tmpdir (TMPDIR={})", v.tmpdir.display()),
            Factor::Tz => format!("tz (TZ={})", v.tz),
            Factor::Locale => format!("locale (LC_ALL=LANG={})", v.locale),
            Factor::User => format!("user (USER=LOGNAME={})", v.user),
            Factor::Time => "time (a later second)".to_string(),
            Factor::Env => format!(
                "env (a minimal environment: {} of this one's variables left out)",
                removed_vars
            ),
        });
    }
    let not: Vec<&str> = Factor::ALL
        .iter()
        .filter(|f| !varied.contains(f))
        .map(|f| f.as_str())
        .collect();
    let mut note = format!("B varies {}", parts.join(", "));
    if !not.is_empty() {
        note.push_str(&format!("; not varied: {}", not.join(", ")));
    }
    note
}

/// Waits until a later second than the one `ended` is in, so every clock a build reads is past
/// every clock the earlier build read (`date +%s` differs).
fn later_second(ended: SystemTime) {
    let since = ended.duration_since(UNIX_EPOCH).unwrap_or_default();
    let next = UNIX_EPOCH + Duration::from_secs(since.as_secs() + 1);
    if let Ok(wait) = next.duration_since(SystemTime::now()) {
        std::thread::sleep(wait + Duration::from_millis(10));
    }
}

/// Each cause of a comparison as narrowing recognises it.
fn keys(c: &Comparison) -> Vec<CauseKey> {
    c.causes
        .iter()
        .map(|cause| CauseKey {
            category: cause.category,
            field: cause.field.clone(),
            actions: cause
                .actions
                .iter()
                .map(|label| {
                    c.actions
                        .iter()
                        .find(|a| a.label == *label)
                        .map_or_else(|| label.clone(), |a| a.name.clone())
                })
                .collect(),
        })
        .collect()
}

/// The builds narrowing asks for, each compared with the reference.
struct Narrowing<'s, 'l> {
    session: &'s mut Session,
    command: &'s BuildCommand,
    reference: &'s BuildLog<'l>,
    reference_info: &'s SideInfo,
    test: bool,
    parse: &'s ParseOptions,
    builds: usize,
}

impl Runs for Narrowing<'_, '_> {
    fn causes(&mut self, factors: &[Factor]) -> Result<Vec<CauseKey>, Error> {
        let names: Vec<&str> = factors.iter().map(|f| f.as_str()).collect();
        let label = format!("B ({})", names.join(", "));
        self.builds += 1;
        let built = self.session.build(self.command, factors, &label)?;
        if !built.run.success {
            let tail = built
                .run
                .info
                .error_tail
                .last()
                .cloned()
                .unwrap_or_default();
            return Err(Error::Subprocess {
                what: format!("the build {label} ({tail})"),
                status: built.run.info.exit_status.unwrap_or(-1),
            });
        }
        let log = load::parse_side(&built.run, self.test, self.parse)?;
        let cmp = diff::compare(
            self.reference,
            &log,
            self.reference_info.clone(),
            built.run.info.clone(),
        );
        Ok(keys(&cmp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_build_starts_in_a_later_second() {
        let ended = SystemTime::now();
        later_second(ended);
        let secs = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_secs();
        assert!(secs(SystemTime::now()) > secs(ended));
    }
}
