//! The verification loop: one dry re-run per distinct fix, each cause judged by the re-run of
//! its fix.

use crate::diff::{self, Comparison, Verification, VerifyStatus};
use crate::error::Error;
use crate::go::load;
use crate::go::run::{RunSpec, run_sides};
use crate::go::side::effective_var;
use crate::model::Mode;

use super::fix::{Fix, NotTried, Plan, Sides, groups_of, has_trimpath, plan};
use super::judge::{Outcome, judge};

/// Fills in each cause's verification: the causes with a mechanical fix are judged by a dry
/// re-run of `spec` (how `result` was produced) with the fix applied, one re-run per distinct
/// fix; the others say why they were not tried. Only an interruption is an error: a re-run
/// that fails is reported under the causes it was for.
pub(crate) fn verify(result: &mut Comparison, spec: &RunSpec) -> Result<(), Error> {
    if result.causes.is_empty() {
        return Ok(());
    }
    // A re-run of `go test` would run the tests again, and `go test -n` leaves inputs out of
    // its keys (vet facts, the test main): test comparisons are not verified.
    if spec.options.test {
        for cause in &mut result.causes {
            cause.verification = Some(not_tried(
                cause.actions.len(),
                NotTried::Other(
                    "whymiss proves fixes of go build comparisons; a go test comparison would \
                     have to run the tests again"
                        .into(),
                ),
            ));
        }
        return Ok(());
    }
    let sides = Sides {
        spec,
        a: &result.a,
        b: &result.b,
    };
    let plans: Vec<Plan> = result.causes.iter().map(|c| plan(c, &sides)).collect();
    let mut outcomes: Vec<(Fix, Outcome)> = Vec::new();
    for p in &plans {
        let Plan::Try(fix) = p else { continue };
        if outcomes.iter().any(|(f, _)| f == fix) {
            continue;
        }
        let outcome = match apply(fix, &sides) {
            Ok(Applied::NotApplicable(why)) => Outcome::NotApplicable(why),
            Ok(Applied::Changed { spec, change }) => rerun(*spec, fix, change)?,
            Err(e @ Error::Interrupted { .. }) => return Err(e),
            Err(e) => Outcome::Failed {
                change: format!("the {} fix", fix.name()),
                message: e.to_string(),
            },
        };
        outcomes.push((fix.clone(), outcome));
    }
    for (cause, p) in result.causes.iter_mut().zip(plans) {
        cause.verification = Some(match p {
            Plan::NotTried(why) => not_tried(cause.actions.len(), why),
            Plan::Try(fix) => {
                let (_, outcome) = outcomes
                    .iter()
                    .find(|(f, _)| *f == fix)
                    .expect("every fix was run");
                judge(cause, fix.name(), outcome)
            }
        });
    }
    Ok(())
}

fn not_tried(actions: usize, why: NotTried) -> Verification {
    Verification {
        status: VerifyStatus::NotTried,
        fix: None,
        change: None,
        actions,
        still_differ: 0,
        through_dependencies: 0,
        remaining: Vec::new(),
        message: why.message(),
    }
}

/// A fix applied to the go commands.
enum Applied {
    Changed {
        spec: Box<RunSpec>,
        change: String,
    },
    /// Nothing to change: why.
    NotApplicable(String),
}

/// The go commands with `fix` applied, and what changed as a phrase (`with -trimpath on both
/// sides`).
fn apply(fix: &Fix, sides: &Sides<'_>) -> Result<Applied, Error> {
    let mut spec = sides.spec.clone();
    let change = match fix {
        Fix::Trimpath => {
            let on_a = has_trimpath(sides.spec, &sides.spec.a, sides.a);
            let on_b = has_trimpath(sides.spec, &sides.spec.b, sides.b);
            if on_a && on_b {
                return Ok(Applied::NotApplicable(
                    "-trimpath is already on both sides".into(),
                ));
            }
            for (side, on) in [(&mut spec.a, on_a), (&mut spec.b, on_b)] {
                if !on {
                    side.flags.push("-trimpath".into());
                }
            }
            "with -trimpath on both sides".to_string()
        }
        Fix::Env(name) => {
            // What a side sets itself; go records some variables as they are in the
            // environment (`CGO_CFLAGS` in the build information, `cmd/go/internal/load,
            // setBuildInfo`), so B gets A's setting, unset included, not A's effective value.
            let set = |side: &crate::go::side::SideSpec| {
                side.env
                    .iter()
                    .rev()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            let (a_set, b_set) = (set(&sides.spec.a), set(&sides.spec.b));
            if a_set != b_set {
                spec.b.env.retain(|(k, _)| k != name);
                match a_set {
                    Some(v) => {
                        spec.b.env.push((name.clone(), v.clone()));
                        format!("with {name}={v} on both sides")
                    }
                    None => match std::env::var(name) {
                        Ok(v) => format!("with {name}={v} on both sides (as side A inherits it)"),
                        Err(_) => format!("with {name} unset on both sides (as on side A)"),
                    },
                }
            } else {
                // Set the same way, seen differently (a go env file, another toolchain):
                // B gets the value go reports for A.
                let value_of =
                    |side: &crate::go::side::SideSpec, info: &crate::model::SideInfo| match info
                        .go_env
                        .get(name)
                    {
                        Some(v) => Ok(v.clone()),
                        None => effective_var(side, name),
                    };
                let a = value_of(&sides.spec.a, sides.a)?;
                let b = value_of(&sides.spec.b, sides.b)?;
                if a == b {
                    return Ok(Applied::NotApplicable(format!(
                        "{name} is already {} on both sides; the difference comes from \
                         elsewhere",
                        shown(&a)
                    )));
                }
                spec.b.env.retain(|(k, _)| k != name);
                spec.b.env.push((name.clone(), a.clone()));
                if a.is_empty() {
                    format!("with {name} empty on both sides")
                } else {
                    format!("with {name}={a} on both sides")
                }
            }
        }
        Fix::Flag(name) => {
            let a = groups_of(&sides.spec.a.flags, name);
            let b = groups_of(&sides.spec.b.flags, name);
            if a == b {
                // Not given by whymiss's sides: GOFLAGS, if that differs.
                if sides.a.go_env.get("GOFLAGS") != sides.b.go_env.get("GOFLAGS") {
                    return apply(&Fix::Env("GOFLAGS".into()), sides);
                }
                return Ok(Applied::NotApplicable(format!(
                    "both sides were given the same -{name}; the difference comes from elsewhere"
                )));
            }
            let a_words: Vec<String> = a.iter().flat_map(|g| g.iter().cloned()).collect();
            spec.b.flags = replace_groups(&sides.spec.b.flags, name, &a_words);
            if a_words.is_empty() {
                format!("without -{name} on side B (as on side A)")
            } else {
                format!("with A's -{name} ({}) on both sides", a_words.join(" "))
            }
        }
        Fix::Toolchain => {
            let (a, b) = (&sides.a.go_binary, &sides.b.go_binary);
            let Some(go) = a.clone().filter(|_| a != b) else {
                return Ok(Applied::NotApplicable(
                    "both sides run the same go command".into(),
                ));
            };
            spec.b.go = Some(go.clone());
            format!(
                "with side A's {} on both sides",
                sides.a.go_version.as_deref().unwrap_or(&go)
            )
        }
        Fix::NoVcs => {
            let off = |flags: &[String]| {
                groups_of(flags, "buildvcs")
                    .iter()
                    .any(|g| g.len() == 1 && g[0].ends_with("=false"))
            };
            let shared = off(&sides.spec.options.shared_args);
            let (on_a, on_b) = (off(&sides.spec.a.flags), off(&sides.spec.b.flags));
            if shared || (on_a && on_b) {
                return Ok(Applied::NotApplicable(
                    "VCS stamping is already off on both sides".into(),
                ));
            }
            for (side, on) in [(&mut spec.a, on_a), (&mut spec.b, on_b)] {
                if !on {
                    side.flags.push("-buildvcs=false".into());
                }
            }
            "with -buildvcs=false on both sides".to_string()
        }
        Fix::Gomodcache => {
            let (a, b) = (
                sides.a.go_env.get("GOMODCACHE"),
                sides.b.go_env.get("GOMODCACHE"),
            );
            let Some(cache) = a.filter(|_| a != b) else {
                return Ok(Applied::NotApplicable(
                    "both sides use the same GOMODCACHE".into(),
                ));
            };
            spec.b.env.retain(|(k, _)| k != "GOMODCACHE");
            spec.b.env.push(("GOMODCACHE".into(), cache.clone()));
            format!("with GOMODCACHE={cache} on both sides")
        }
    };
    Ok(Applied::Changed {
        spec: Box::new(spec),
        change,
    })
}

/// `flags` with every group named `name` removed and `with` appended.
fn replace_groups(flags: &[String], name: &str, with: &[String]) -> Vec<String> {
    let groups = crate::go::run::leading_flags(flags);
    let grouped: usize = groups.iter().map(|g| g.len()).sum();
    let mut out: Vec<String> = groups
        .into_iter()
        .filter(|g| crate::go::run::flag_name(&g[0]) != Some(name))
        .flat_map(|g| g.iter().cloned())
        .collect();
    out.extend(with.iter().cloned());
    out.extend(flags[grouped..].iter().cloned());
    out
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        "empty".into()
    } else {
        format!("`{value}`")
    }
}

/// Runs the comparison of `spec` dry, with the sides named after the fix on the progress lines.
fn rerun(mut spec: RunSpec, fix: &Fix, change: String) -> Result<Outcome, Error> {
    spec.options.mode = Mode::Dry;
    for side in [&mut spec.a, &mut spec.b] {
        side.label = format!("{} (verifying the {} fix)", side.label, fix.name());
    }
    let (ra, rb) = match run_sides(&spec) {
        Ok(runs) => runs,
        Err(e @ Error::Interrupted { .. }) => return Err(e),
        Err(e) => {
            return Ok(Outcome::Failed {
                change,
                message: e.to_string(),
            });
        }
    };
    if let Some(failed) = load::failed_sides(&[&ra, &rb]) {
        let first = [&ra, &rb]
            .iter()
            .find(|r| !r.success)
            .and_then(|r| r.info.error_tail.first().cloned());
        return Ok(Outcome::Failed {
            change,
            message: match first {
                Some(line) => format!("{failed}: {line}"),
                None => failed,
            },
        });
    }
    // Keys only: environment values stay redacted (they are never shown from here).
    let options = crate::parse::ParseOptions::default();
    let parsed = load::parse_side(&ra, false, &options)
        .and_then(|la| Ok((la, load::parse_side(&rb, false, &options)?)));
    let (la, lb) = match parsed {
        Ok(logs) => logs,
        Err(e) => {
            return Ok(Outcome::Failed {
                change,
                message: e.to_string(),
            });
        }
    };
    let report = diff::compare(&la, &lb, ra.info.clone(), rb.info.clone());
    Ok(Outcome::Ran {
        change,
        report: Box::new(report),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_flag_is_replaced_by_the_other_sides() {
        let b = strings(&["-buildvcs=false", "-gcflags", "all=-N", "-tags=x"]);
        assert_eq!(
            replace_groups(&b, "gcflags", &strings(&["-gcflags=-N"])),
            ["-buildvcs=false", "-tags=x", "-gcflags=-N"]
        );
        assert_eq!(
            replace_groups(&b, "ldflags", &[]),
            ["-buildvcs=false", "-gcflags", "all=-N", "-tags=x"]
        );
        assert_eq!(
            replace_groups(&b, "tags", &[]),
            ["-buildvcs=false", "-gcflags", "all=-N"]
        );
    }
}
