//! `whymiss.toml`: the project's policy, committed at the module root. What `whymiss check`
//! builds and varies (`[check]`), and the differences the project accepts (`[[allow]]`), each as
//! precise as a cause (category, field, package pattern, variation) and with a reason the reports
//! print. `compare`, `diff` and the default check honour the same allowances.
//!
//! ```toml
//! [check]
//! args = ["-trimpath", "./..."]      # or: cmd = "make build"
//! no_vary = ["time"]
//! env = { CGO_ENABLED = "1" }
//!
//! [[allow]]
//! category = "absolute-path"
//! field = "CC flags"
//! package = "example.com/x/cgopkg"
//! reason = "we build it in one fixed container path"
//! ```
//!
//! Unknown keys, bad values and a missing reason are errors naming the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diff::gate::{Allowance, Allowed, PackagePattern};
use crate::error::Error;
use crate::model::{Category, Factor};

/// The file's name at the module root.
pub const POLICY_FILE: &str = "whymiss.toml";

/// The most a policy file may hold: it is a few lines.
const MAX_POLICY_BYTES: u64 = 1 << 20;

/// A parsed policy file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// Where it was read from (for messages and the report).
    pub path: PathBuf,
    pub check: CheckPolicy,
    pub allow: Vec<Allowance>,
}

/// `[check]`: what `whymiss check` builds and varies when the command line does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckPolicy {
    /// go build (or go test) arguments.
    pub args: Option<Vec<String>>,
    /// A shell command that runs go (`make build`), instead of `args`.
    pub cmd: Option<String>,
    /// `go test` instead of `go build`.
    pub test: Option<bool>,
    /// Only these factors vary (default: all).
    pub vary: Option<Vec<Factor>>,
    /// These factors do not vary.
    pub no_vary: Vec<Factor>,
    /// Environment variables for both builds (they survive the minimal environment).
    pub env: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    check: Option<CheckToml>,
    #[serde(default)]
    allow: Vec<toml::Spanned<AllowToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckToml {
    args: Option<Vec<String>>,
    cmd: Option<String>,
    test: Option<bool>,
    vary: Option<Vec<toml::Spanned<String>>>,
    #[serde(default)]
    no_vary: Vec<toml::Spanned<String>>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowToml {
    category: toml::Spanned<String>,
    field: Option<String>,
    package: Option<toml::Spanned<String>>,
    variation: Option<toml::Spanned<String>>,
    reason: Option<String>,
    fix: Option<String>,
}

impl Policy {
    /// Reads and parses a policy file.
    pub fn read(path: &Path) -> Result<Policy, Error> {
        use std::io::Read as _;
        let read_err = |source| Error::Read {
            path: path.to_owned(),
            source,
        };
        let mut text = String::new();
        std::fs::File::open(path)
            .map_err(read_err)?
            .take(MAX_POLICY_BYTES)
            .read_to_string(&mut text)
            .map_err(read_err)?;
        Policy::parse(path, &text)
    }

    /// Parses the text of a policy file read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Policy, Error> {
        let line_of = |offset: usize| -> u32 {
            let end = offset.min(text.len());
            1 + text.as_bytes()[..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u32
        };
        let err = |offset: usize, message: String| Error::Policy {
            path: path.to_owned(),
            line: line_of(offset),
            message,
        };
        let file: FileToml = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            err(offset, e.message().trim().to_string())
        })?;
        let factor = |s: &toml::Spanned<String>| {
            s.get_ref()
                .parse::<Factor>()
                .map_err(|m| err(s.span().start, m))
        };
        let mut check = CheckPolicy::default();
        if let Some(c) = file.check {
            if c.args.is_some() && c.cmd.is_some() {
                return Err(err(
                    0,
                    "[check] has both `args` and `cmd`: give one (go arguments, or a command \
                     that runs go)"
                        .into(),
                ));
            }
            check.args = c.args;
            check.cmd = c.cmd;
            check.test = c.test;
            check.vary = c
                .vary
                .as_ref()
                .map(|v| v.iter().map(factor).collect::<Result<Vec<_>, _>>())
                .transpose()?;
            check.no_vary = c.no_vary.iter().map(factor).collect::<Result<_, _>>()?;
            check.env = c.env.into_iter().collect();
        }
        let mut allow = Vec::new();
        for entry in &file.allow {
            let start = entry.span().start;
            let line = line_of(start);
            let a = entry.get_ref();
            let category = a
                .category
                .get_ref()
                .parse::<Category>()
                .map_err(|m| err(a.category.span().start, m))?;
            let reason = a.reason.as_deref().map(str::trim).unwrap_or_default();
            if reason.is_empty() {
                return Err(err(
                    start,
                    "[[allow]] needs a `reason`: the reports print it next to the cause it allows"
                        .into(),
                ));
            }
            let package = a
                .package
                .as_ref()
                .map(|p| PackagePattern::new(p.get_ref()).map_err(|m| err(p.span().start, m)))
                .transpose()?;
            let variation = a.variation.as_ref().map(factor).transpose()?;
            allow.push(Allowance {
                category,
                field: a.field.clone().filter(|f| !f.trim().is_empty()),
                package,
                variation,
                allowed: Allowed {
                    reason: reason.to_string(),
                    source: format!("{}:{line}", display_name(path)),
                    fix: a.fix.clone().filter(|f| !f.trim().is_empty()),
                },
            });
        }
        Ok(Policy {
            path: path.to_owned(),
            check,
            allow,
        })
    }
}

/// The name a rule's source shows: `whymiss.toml` at a module root, else the path as given.
fn display_name(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == POLICY_FILE) {
        POLICY_FILE.to_string()
    } else {
        path.display().to_string()
    }
}

/// The module root of `dir`: the nearest directory at or above it holding a `go.mod`.
pub(crate) fn module_root(dir: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(dir).ok()?;
    start
        .ancestors()
        .find(|d| d.join("go.mod").is_file())
        .map(Path::to_path_buf)
}

/// The policy that applies in `dir`: `explicit` when given (it must exist), else
/// `whymiss.toml` at the module root of `dir` when there is one.
pub(crate) fn find(dir: &Path, explicit: Option<&Path>) -> Result<Option<Policy>, Error> {
    if let Some(path) = explicit {
        return Policy::read(path).map(Some);
    }
    match module_root(dir).map(|root| root.join(POLICY_FILE)) {
        Some(path) if path.is_file() => Policy::read(&path).map(Some),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Policy, String> {
        Policy::parse(Path::new("/m/whymiss.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn a_full_policy_reads_into_check_settings_and_allowances() {
        let p = parse(
            r#"
[check]
args = ["-trimpath", "./..."]
no_vary = ["time"]
env = { CGO_ENABLED = "1" }

[[allow]]
category = "absolute-path"
field = "CC flags"
package = "example.com/x/cgopkg"
reason = "we build it in one fixed container path"

[[allow]]
category = "linker-flags"
variation = "time"
reason = "release builds stamp the date"
fix = "nothing to fix"
"#,
        )
        .unwrap();
        assert_eq!(
            p.check.args.as_deref(),
            Some(&["-trimpath".to_string(), "./...".into()][..])
        );
        assert_eq!(p.check.no_vary, [Factor::Time]);
        assert_eq!(p.check.env, [("CGO_ENABLED".to_string(), "1".to_string())]);
        assert_eq!(p.allow.len(), 2);
        let a = &p.allow[0];
        assert_eq!(a.category, Category::AbsolutePath);
        assert_eq!(a.field.as_deref(), Some("CC flags"));
        assert_eq!(a.package.as_ref().unwrap().as_str(), "example.com/x/cgopkg");
        assert_eq!(a.allowed.source, "whymiss.toml:7");
        assert_eq!(p.allow[1].variation, Some(Factor::Time));
        assert_eq!(p.allow[1].allowed.fix.as_deref(), Some("nothing to fix"));
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        assert_eq!(
            parse("[[allow]]\ncategory = \"absolute-path\"\n").unwrap_err(),
            "/m/whymiss.toml:1: [[allow]] needs a `reason`: the reports print it next to the \
             cause it allows"
        );
        let e = parse("[[allow]]\ncategory = \"absolute_path\"\nreason = \"x\"\n").unwrap_err();
        assert!(
            e.starts_with("/m/whymiss.toml:2: unknown category `absolute_path`"),
            "{e}"
        );
        let e = parse("[check]\nvary = [\"clock\"]\n").unwrap_err();
        assert!(
            e.starts_with("/m/whymiss.toml:2: unknown variation `clock`"),
            "{e}"
        );
        let e = parse("[check]\nargz = []\n").unwrap_err();
        assert!(
            e.starts_with("/m/whymiss.toml:2: unknown field `argz`"),
            "{e}"
        );
        let e = parse("[check\n").unwrap_err();
        assert!(e.starts_with("/m/whymiss.toml:1: "), "{e}");
        let e = parse("[check]\nargs = []\ncmd = \"make\"\n").unwrap_err();
        assert!(e.contains("both `args` and `cmd`"), "{e}");
    }

    #[test]
    fn the_policy_is_found_at_the_module_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("m");
        std::fs::create_dir_all(root.join("pkg/sub")).unwrap();
        std::fs::write(root.join("go.mod"), "module example.com/m\n").unwrap();
        assert_eq!(find(&root.join("pkg/sub"), None).unwrap(), None);
        std::fs::write(
            root.join(POLICY_FILE),
            "[[allow]]\ncategory = \"source\"\nreason = \"r\"\n",
        )
        .unwrap();
        let p = find(&root.join("pkg/sub"), None).unwrap().unwrap();
        assert_eq!(p.allow.len(), 1);
        assert_eq!(module_root(&root.join("pkg")).unwrap(), root);
        // An explicit file must exist.
        assert!(find(&root, Some(&root.join("nope.toml"))).is_err());
    }
}
