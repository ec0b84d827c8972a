//! What a re-run with the fix applied says about a cause: whether its actions' keys match now.

use rustc_hash::FxHashMap;

use crate::diff::{Category, Cause, Comparison, Status, Verification, VerifyStatus};

/// How a fix's re-run went.
#[derive(Debug)]
pub(super) enum Outcome {
    /// The fix could not be applied as a change (it is in place already, or there is nothing
    /// to change): why.
    NotApplicable(String),
    /// The re-run could not be made, or a side failed: what was changed, and what happened.
    Failed { change: String, message: String },
    /// The comparison with the fix applied.
    Ran {
        change: String,
        report: Box<Comparison>,
    },
}

/// The verification of `cause` by `outcome`, the outcome of its fix `fix`.
pub(super) fn judge(cause: &Cause, fix: &'static str, outcome: &Outcome) -> Verification {
    let base = Verification {
        status: VerifyStatus::NotTried,
        fix: Some(fix),
        change: None,
        actions: cause.actions.len(),
        still_differ: 0,
        through_dependencies: 0,
        remaining: Vec::new(),
        message: String::new(),
    };
    let (change, report) = match outcome {
        Outcome::NotApplicable(why) => {
            return Verification {
                fix: None,
                message: format!("not tried: {why}"),
                ..base
            };
        }
        Outcome::Failed { change, message } => {
            return Verification {
                status: VerifyStatus::Failed,
                change: Some(change.clone()),
                message: format!("could not verify {change}: {message}"),
                ..base
            };
        }
        Outcome::Ran { change, report } => (change, report),
    };
    let status_of: FxHashMap<&str, Status> = report
        .actions
        .iter()
        .map(|a| (a.label.as_str(), a.status))
        .collect();
    let (mut still, mut through) = (Vec::new(), 0);
    for label in &cause.actions {
        match status_of.get(label.as_str()) {
            None => {}
            Some(Status::KnockOn) => through += 1,
            // An unproven key differs too (what in it is not known).
            Some(
                Status::RootCause
                | Status::Nondeterministic
                | Status::OnlyA
                | Status::OnlyB
                | Status::Unproven,
            ) => still.push(label.as_str()),
        }
    }
    // The causes of the re-run that still touch this cause's actions.
    let remaining: Vec<(Category, String)> = report
        .causes
        .iter()
        .filter(|c| c.actions.iter().any(|a| still.contains(&a.as_str())))
        .map(|c| (c.category, c.field.clone()))
        .collect();
    let n = cause.actions.len();
    let these = |n: usize| {
        if n == 1 {
            "this action".to_string()
        } else {
            format!("these {n} actions")
        }
    };
    let upstream = describe(
        &report
            .causes
            .iter()
            .map(|c| (c.category, c.field.clone()))
            .collect::<Vec<_>>(),
    );
    if still.is_empty() {
        let message = if through == 0 {
            if n == 1 {
                format!("verified: {change}, the key of this action matches")
            } else {
                format!("verified: {change}, the keys of {} match", these(n))
            }
        } else {
            format!(
                "verified: {change}, the own inputs of {} match; {} still {} through \
                 dependencies ({upstream})",
                these(n),
                through,
                if through == 1 { "differs" } else { "differ" }
            )
        };
        return Verification {
            status: VerifyStatus::Verified,
            change: Some(change.clone()),
            through_dependencies: through,
            message,
            ..base
        };
    }
    let mut message = if n == 1 {
        format!(
            "not enough: {change}, this action still differs ({})",
            describe(&remaining)
        )
    } else {
        format!(
            "not enough: {change}, {} of {} still {} ({})",
            still.len(),
            these(n),
            if still.len() == 1 {
                "differs"
            } else {
                "differ"
            },
            describe(&remaining)
        )
    };
    if through > 0 {
        message.push_str(&format!(
            "; {through} more {} through dependencies",
            if through == 1 { "differs" } else { "differ" }
        ));
    }
    Verification {
        status: VerifyStatus::NotEnough,
        change: Some(change.clone()),
        still_differ: still.len(),
        through_dependencies: through,
        remaining,
        message,
        ..base
    }
}

/// `absolute-path CC flags, cgo CGO_ENABLED` (at most three, then `…`).
fn describe(causes: &[(Category, String)]) -> String {
    let mut parts: Vec<String> = causes
        .iter()
        .take(3)
        .map(|(c, f)| format!("{} {f}", c.as_str()))
        .collect();
    if causes.len() > 3 {
        parts.push(format!("{} more", causes.len() - 3));
    }
    if parts.is_empty() {
        "no cause named".to_string()
    } else {
        parts.join(", ")
    }
}
