//! Differences in how the two sides were produced (go binary, version, directory, arguments,
//! `go env` values and overrides), shown before the causes.

use std::collections::BTreeSet;

use super::comparison::SettingDiff;
use crate::model::{Mode, SideInfo};

/// The arguments as shown: without a dry run's `-n`.
fn args_of(side: &SideInfo) -> String {
    let dry = side.mode == Some(Mode::Dry)
        && side.args.get(1).map(String::as_str) == Some(Mode::DRY_FLAG);
    let args = side
        .args
        .iter()
        .enumerate()
        .filter(|&(i, _)| !(dry && i == 1));
    args.map(|(_, a)| a.as_str()).collect::<Vec<_>>().join(" ")
}

/// Differences in how the sides were produced, for the report's first lines.
pub(super) fn setting_diffs(a: &SideInfo, b: &SideInfo) -> Vec<SettingDiff> {
    let mut out = Vec::new();
    let mut push = |setting: &str, x: Option<String>, y: Option<String>| {
        if x != y {
            out.push(SettingDiff {
                setting: setting.to_string(),
                a: x,
                b: y,
            });
        }
    };
    push("go binary", a.go_binary.clone(), b.go_binary.clone());
    push("go version", a.go_version.clone(), b.go_version.clone());
    push("directory", a.dir.clone(), b.dir.clone());
    // A dry run's `-n` is its mode, shown as such.
    push(
        "mode",
        a.mode.map(|m| m.as_str().to_string()),
        b.mode.map(|m| m.as_str().to_string()),
    );
    if !a.args.is_empty() || !b.args.is_empty() {
        push("arguments", Some(args_of(a)), Some(args_of(b)));
    }
    let keys: BTreeSet<&String> = a.go_env.keys().chain(b.go_env.keys()).collect();
    for k in keys {
        // Both sides list what they know; a key only one side reports is not a difference.
        if let (Some(x), Some(y)) = (a.go_env.get(k), b.go_env.get(k)) {
            push(k, Some(x.clone()), Some(y.clone()));
        }
    }
    let keys: BTreeSet<&String> = a
        .env_overrides
        .keys()
        .chain(b.env_overrides.keys())
        .collect();
    for k in keys {
        // `go env` already showed the value go saw.
        if a.go_env.contains_key(k) && b.go_env.contains_key(k) {
            continue;
        }
        push(
            &format!("env {k}"),
            a.env_overrides.get(k).cloned(),
            b.env_overrides.get(k).cloned(),
        );
    }
    out
}
