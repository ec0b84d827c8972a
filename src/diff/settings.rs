//! Differences in how the two sides were produced (go binary, version, directory, arguments,
//! `go env` values and overrides), shown before the causes.

use std::collections::BTreeSet;

use super::comparison::SettingDiff;
use crate::model::SideInfo;

/// Differences in how the sides were produced, for the report's first lines.
pub fn setting_diffs(a: &SideInfo, b: &SideInfo) -> Vec<SettingDiff> {
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
    if !a.args.is_empty() || !b.args.is_empty() {
        push("arguments", Some(a.args.join(" ")), Some(b.args.join(" ")));
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
