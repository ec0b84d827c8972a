//! `modinfo "<text>"`: the text of `debug.BuildInfo.String()` (`runtime/debug/mod.go`,
//! `(*BuildInfo).String`) that `(*Builder).buildActionID` hashes into a main package's key, read
//! line by line so each setting and module can be compared on its own.
//!
//! ```text
//! buildinfo = { line "\n" }
//! line      = "go\t" version | "path\t" path | ("mod" | "dep") "\t" path "\t" version "\t" sum
//!           | "=>\t" path "\t" version "\t" sum | "build\t" key "=" value | other
//! ```

use std::borrow::Cow;

use super::quoted::{go_string, whole};
use crate::model::{ModInfo, ModLine, Text};

/// Parses the text of `debug.BuildInfo.String()`.
pub(super) fn parse_modinfo(s: &str) -> ModInfo<'_> {
    let b = Cow::Borrowed;
    let mut info = ModInfo::default();
    // Which module line a following `=>` replacement belongs to.
    let mut last_is_main = None;
    let mut lines = s.split('\n').peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() && lines.peek().is_none() {
            break;
        }
        let mut parts = line.splitn(2, '\t');
        let word = parts.next().unwrap_or("");
        let rest = parts.next();
        match (word, rest) {
            ("go", Some(v)) => info.go_version = Some(b(v)),
            ("path", Some(p)) => info.path = Some(b(p)),
            ("mod" | "dep", Some(r)) => {
                let m = mod_line(r);
                if word == "mod" {
                    info.main = Some(m);
                    last_is_main = Some(true);
                } else {
                    info.deps.push(m);
                    last_is_main = Some(false);
                }
            }
            ("=>", Some(r)) => {
                let target = match last_is_main {
                    Some(true) => info.main.as_mut(),
                    Some(false) => info.deps.last_mut(),
                    None => None,
                };
                match target {
                    Some(module) => module.replace = Some(Box::new(mod_line(r))),
                    None => info.other.push(b(line)),
                }
            }
            ("build", Some(kv)) => match build_setting(kv) {
                Some((k, v)) => info.settings.push((k, v)),
                None => info.other.push(b(line)),
            },
            _ => info.other.push(b(line)),
        }
    }
    info
}

fn mod_line(r: &str) -> ModLine<'_> {
    let mut parts = r.split('\t');
    let b = Cow::Borrowed;
    ModLine {
        path: b(parts.next().unwrap_or("")),
        version: b(parts.next().unwrap_or("")),
        sum: b(parts.next().unwrap_or("")),
        replace: None,
    }
}

/// `key=value` where either side may be Go-quoted (`debug.BuildInfo` quotes keys and values
/// holding spaces, tabs, newlines, quotes or `=`).
fn build_setting(kv: &str) -> Option<(Text<'_>, Text<'_>)> {
    let (key, rest) = if kv.starts_with('"') {
        let (rest, key) = go_string(kv).ok()?;
        (key, rest.strip_prefix('=')?)
    } else {
        let (k, v) = kv.split_once('=')?;
        (Cow::Borrowed(k), v)
    };
    let value = if rest.starts_with('"') {
        whole(go_string, rest).unwrap_or(Cow::Borrowed(rest))
    } else {
        Cow::Borrowed(rest)
    };
    Some((key, value))
}
