//! The scenario format (`corpus/scenarios/<name>/scenario.txt`, documented in
//! `corpus/scenarios/README.md`): one `key: value` per line, `#` comments, a line that starts
//! with whitespace continues the previous value. Keys naming a side start with `a.` or `b.`.
//!
//! ```text
//! title: A moved checkout without -trimpath
//! module: tiny
//! args: .
//! b.relocate: yes
//! expect: absolute-path
//! lesson: Without -trimpath every package directory is recorded …
//!   … and the paragraph goes on here.
//! ```

use std::time::SystemTime;

use jiff::tz::TimeZone;
use jiff::{Timestamp, civil};

use crate::diff::Category;
use crate::model::Mode;

/// One runnable scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// The directory name under `corpus/scenarios/`.
    pub name: String,
    pub title: String,
    pub module: ModuleRef,
    /// Go arguments both sides share: flags, then packages (default `./...`).
    pub args: Vec<String>,
    /// `go test` instead of `go build`.
    pub test: bool,
    /// `mode: dry` computes the keys with `go build -n`; real builds by default (a scenario
    /// shows what a real build does, and a log pair records one).
    pub mode: Mode,
    /// Steps applied to the fresh working copy before side A runs.
    pub setup: Vec<Step>,
    /// Where the working copy is, relative to the scenario's directory (default: the module's
    /// directory name).
    pub dir: Option<String>,
    pub a: SideDef,
    pub b: SideDef,
    pub expect: Expectation,
    /// The main cause whymiss must report (log pairs, `corpus/pairs/`).
    pub main_cause: Option<MainCause>,
    /// Which build cache the sides use when a log pair is captured (`whymiss demo` uses the
    /// user's).
    pub cache: CacheMode,
    /// The paragraph `whymiss demo` prints after the report.
    pub lesson: String,
    /// What the scenario shows, in one line, for the list (`summary:`; every demo has one,
    /// log pairs need none).
    pub summary: Option<String>,
}

/// The cause a log pair is about: its field, an action it must name, and how many actions
/// must be root causes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainCause {
    pub field: String,
    pub action: String,
    pub root_causes: usize,
}

/// The build cache of a captured log pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CacheMode {
    /// One cache for both sides: a copy of the seed cache (the standard library and `lab`
    /// built once), warmed with side A's command before A and B are captured.
    #[default]
    Seed,
    /// One cache, initially empty: side A runs cold, side B warm.
    Empty,
    /// One empty cache per side, so side B really rebuilds.
    Separate,
}

impl CacheMode {
    /// As written in a scenario file.
    pub fn as_str(self) -> &'static str {
        match self {
            CacheMode::Seed => "seed",
            CacheMode::Empty => "empty",
            CacheMode::Separate => "separate",
        }
    }
}

/// Which module a scenario builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleRef {
    /// `corpus/modules/<name>`.
    Shared(String),
    /// A directory inside the scenario's own directory (`./<dir>`).
    Local(String),
}

impl ModuleRef {
    /// The module's path relative to `corpus/`.
    pub fn corpus_path(&self, scenario: &str) -> String {
        match self {
            ModuleRef::Shared(name) => format!("modules/{name}"),
            ModuleRef::Local(dir) => format!("scenarios/{scenario}/{dir}"),
        }
    }

    /// The working copy's directory name (what the report's paths end with).
    pub fn dir_name(&self) -> &str {
        match self {
            ModuleRef::Shared(name) => name,
            ModuleRef::Local(dir) => dir.rsplit('/').next().unwrap_or(dir),
        }
    }
}

/// How one side differs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SideDef {
    /// The side's name in the report (default `A`/`B`).
    pub label: String,
    /// A go version (`go1.26.6`) or path; `None` for the demo's default go.
    pub go: Option<String>,
    /// Variables for this side, on top of the scenario's `env:`.
    pub env: Vec<(String, String)>,
    /// Go flags for this side, after the shared flags.
    pub flags: Vec<String>,
    /// Build a copy of the working tree at another absolute path.
    pub relocate: bool,
    /// Build a copy of the working tree at this path, relative to the scenario's directory
    /// (made just before the side runs, after its setup).
    pub dir: Option<String>,
    /// Run a copy of the side's go installation (its GOROOT) at another path.
    pub relocate_goroot: bool,
    /// Steps applied to the working copy just before this side runs.
    pub setup: Vec<Step>,
}

/// What whymiss must find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// The keys are the same.
    Same,
    /// The keys differ, with exactly these cause categories (sorted, no duplicates).
    Differ(Vec<Category>),
}

impl Expectation {
    /// `same`, or the categories joined by `, `.
    pub fn describe(&self) -> String {
        match self {
            Expectation::Same => "same".into(),
            Expectation::Differ(cats) => cats
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// A change to the working copy. Paths are relative to the module root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `touch PATH…`: set the modification time to now (creating empty files), like touch(1).
    Touch(Vec<String>),
    /// `write PATH TEXT`: replace (or create) the file.
    Write { path: String, text: String },
    /// `append PATH TEXT`.
    Append { path: String, text: String },
    /// `replace PATH OLD NEW`: every occurrence; OLD must occur.
    Replace {
        path: String,
        old: String,
        new: String,
    },
    /// `copy FROM TO`: a file or directory of the working copy, over TO.
    Copy { from: String, to: String },
    /// `put FILE PATH`: a file from the scenario's directory into the working copy.
    Put { file: String, path: String },
    /// `rm PATH…`: files or directories.
    Remove(Vec<String>),
    /// `set-mtime PATH DATE`: `2024-06-01` or `2024-06-01T12:00:00Z`.
    SetMtime { path: String, time: SystemTime },
    /// `git-init`: a repository holding everything in one commit (fixed author and dates).
    GitInit,
    /// `rm-git`: remove the repository (a Docker build context without `.git`).
    RemoveGit,
    /// `write-external PATH TEXT`: write a file outside the module, under `/tmp/whymiss-…/`
    /// (an input the go command does not hash); the directory is removed after the run.
    WriteExternal { path: String, text: String },
}

/// Where `write-external` may write: the directory must be named `/tmp/whymiss-…`.
pub const EXTERNAL_PREFIX: &str = "/tmp/whymiss-";

/// A syntax error, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub line: usize,
    pub message: String,
}

/// When the working copy's files were last modified: every file of a fresh copy gets this
/// time, so test results that read files can be cached (go test refuses files modified in the
/// last two seconds) and whatever mtimes go sees are the same on every run.
pub const CHECKOUT_TIME: &str = "2024-01-01T00:00:00Z";

/// The modification time of files that setup steps write (a later edit, still in the past).
pub const EDIT_TIME: &str = "2024-01-02T00:00:00Z";

/// Parses a scenario file.
pub fn parse(name: &str, text: &str) -> Result<Scenario, FormatError> {
    let mut fields: Vec<(usize, String, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        if raw.starts_with([' ', '\t']) {
            let Some(last) = fields.last_mut() else {
                return Err(err(line, "a continuation line before any field"));
            };
            if !last.2.is_empty() {
                last.2.push(' ');
            }
            last.2.push_str(raw.trim());
            continue;
        }
        let Some((key, value)) = raw.split_once(':') else {
            return Err(err(line, format!("expected `key: value`, got `{raw}`")));
        };
        fields.push((line, key.trim().to_string(), value.trim().to_string()));
    }

    let mut title = None;
    let mut module = None;
    let mut args = Vec::new();
    let mut test = false;
    let mut mode = Mode::Exact;
    let mut env = Vec::new();
    let mut setup = Vec::new();
    let mut a = SideDef::default();
    let mut b = SideDef::default();
    let mut expect = None;
    let mut lesson = None;
    let mut summary = None;
    let mut go = None;
    let mut dir = None;
    let mut cache = CacheMode::default();
    let (mut main_field, mut action, mut root_causes) = (None, None, None);
    for (line, key, value) in fields {
        let (side, field) = match key.split_once('.') {
            Some(("a", f)) => (Some(&mut a), f),
            Some(("b", f)) => (Some(&mut b), f),
            _ => (None, key.as_str()),
        };
        match (side, field) {
            (None, "title") => title = Some(value),
            (None, "module") => module = Some(module_ref(&value).map_err(|m| err(line, m))?),
            (None, "args") => args.extend(split(&value).map_err(|m| err(line, m))?),
            (None, "test") => test = yes_no(&value).map_err(|m| err(line, m))?,
            (None, "mode") => mode = value.parse().map_err(|m| err(line, m))?,
            (None, "env") => env.push(env_pair(&value).map_err(|m| err(line, m))?),
            (None, "setup") => setup.push(step(&value).map_err(|m| err(line, m))?),
            (None, "expect") => expect = Some(expectation(&value).map_err(|m| err(line, m))?),
            (None, "lesson") => lesson = Some(value),
            (None, "summary") => summary = Some(value),
            (None, "go") => go = Some(value),
            (None, "dir") => dir = Some(relative_dir(&value).map_err(|m| err(line, m))?),
            (None, "cache") => cache = cache_mode(&value).map_err(|m| err(line, m))?,
            (None, "field") => main_field = Some(value),
            (None, "action") => action = Some(value),
            (None, "root-causes") => {
                root_causes = Some(value.parse::<usize>().map_err(|_| {
                    err(
                        line,
                        format!("root-causes: expected a count, got `{value}`"),
                    )
                })?)
            }
            (Some(s), "label") => s.label = value,
            (Some(s), "go") => s.go = Some(value),
            (Some(s), "env") => s.env.push(env_pair(&value).map_err(|m| err(line, m))?),
            (Some(s), "flags") => s.flags.extend(split(&value).map_err(|m| err(line, m))?),
            (Some(s), "relocate") => s.relocate = yes_no(&value).map_err(|m| err(line, m))?,
            (Some(s), "setup") => s.setup.push(step(&value).map_err(|m| err(line, m))?),
            (Some(s), "dir") => s.dir = Some(relative_dir(&value).map_err(|m| err(line, m))?),
            (Some(s), "relocate-goroot") => {
                s.relocate_goroot = yes_no(&value).map_err(|m| err(line, m))?
            }
            _ => return Err(err(line, format!("unknown key `{key}`"))),
        }
    }
    let missing = |key: &str| err(0, format!("no `{key}:` line"));
    for (side, label) in [(&mut a, "A"), (&mut b, "B")] {
        if side.label.is_empty() {
            side.label = label.to_string();
        }
        let mut merged = env.clone();
        merged.append(&mut side.env);
        side.env = merged;
        if side.go.is_none() {
            side.go = go.clone();
        }
    }
    let main_cause = match (main_field, action, root_causes) {
        (None, None, None) => None,
        (Some(field), Some(action), Some(root_causes)) => Some(MainCause {
            field,
            action,
            root_causes,
        }),
        _ => {
            return Err(err(0, "`field:`, `action:` and `root-causes:` go together"));
        }
    };
    if main_cause.is_some() && expect == Some(Expectation::Same) {
        return Err(err(0, "`expect: same` has no main cause"));
    }
    if a.label == b.label {
        return Err(err(0, format!("both sides are labelled `{}`", a.label)));
    }
    if args.is_empty() {
        args.push("./...".into());
    }
    Ok(Scenario {
        name: name.to_string(),
        title: title.ok_or_else(|| missing("title"))?,
        module: module.ok_or_else(|| missing("module"))?,
        args,
        test,
        mode,
        setup,
        dir,
        a,
        b,
        expect: expect.ok_or_else(|| missing("expect"))?,
        main_cause,
        cache,
        lesson: lesson
            .filter(|l| !l.is_empty())
            .ok_or_else(|| missing("lesson"))?,
        summary: summary.filter(|s| !s.is_empty()),
    })
}

impl Step {
    /// The `/tmp/whymiss-NAME` directory a `write-external` step writes into.
    pub fn external_dir(&self) -> Option<&str> {
        let Step::WriteExternal { path, .. } = self else {
            return None;
        };
        let name_end = EXTERNAL_PREFIX.len() + path[EXTERNAL_PREFIX.len()..].find('/')?;
        Some(&path[..name_end])
    }
}

impl Scenario {
    /// Every step of the scenario, shared ones first.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.setup.iter().chain(&self.a.setup).chain(&self.b.setup)
    }
}

fn err(line: usize, message: impl Into<String>) -> FormatError {
    FormatError {
        line,
        message: message.into(),
    }
}

fn module_ref(value: &str) -> Result<ModuleRef, String> {
    let local = value.strip_prefix("./");
    let name = local.unwrap_or(value);
    if name.is_empty() || !relative_ok(name) {
        return Err(format!("bad module `{value}`"));
    }
    Ok(match local {
        Some(dir) => ModuleRef::Local(dir.trim_end_matches('/').to_string()),
        None => ModuleRef::Shared(name.to_string()),
    })
}

fn relative_dir(value: &str) -> Result<String, String> {
    let dir = value.trim_end_matches('/');
    if dir.is_empty() || !relative_ok(dir) {
        return Err(format!("`{value}` is not a relative path without `..`"));
    }
    Ok(dir.to_string())
}

fn cache_mode(value: &str) -> Result<CacheMode, String> {
    [CacheMode::Seed, CacheMode::Empty, CacheMode::Separate]
        .into_iter()
        .find(|c| c.as_str() == value)
        .ok_or_else(|| format!("expected seed, empty or separate, got `{value}`"))
}

fn yes_no(value: &str) -> Result<bool, String> {
    match value {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(format!("expected yes or no, got `{value}`")),
    }
}

fn env_pair(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((k, v)) if !k.is_empty() && !k.contains(' ') => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got `{value}`")),
    }
}

fn split(value: &str) -> Result<Vec<String>, String> {
    shell_words::split(value).map_err(|e| format!("{e} in `{value}`"))
}

fn expectation(value: &str) -> Result<Expectation, String> {
    if value == "same" {
        return Ok(Expectation::Same);
    }
    let mut cats = value
        .split(',')
        .map(|c| c.trim().parse::<Category>())
        .collect::<Result<Vec<_>, _>>()?;
    if cats.is_empty() {
        return Err("expect: needs `same` or categories".into());
    }
    cats.sort();
    cats.dedup();
    Ok(Expectation::Differ(cats))
}

/// A path inside the working copy: relative, no `..`.
fn relative_ok(path: &str) -> bool {
    !path.starts_with('/') && path.split('/').all(|c| c != "..")
}

/// `\n` and `\t` in step texts become a newline and a tab; `\\` a backslash.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// One setup step: a verb and arguments split like a shell.
pub fn step(value: &str) -> Result<Step, String> {
    let words = split(value)?;
    let Some((verb, rest)) = words.split_first() else {
        return Err("an empty step".into());
    };
    let n = rest.len();
    let arity = |want: usize, usage: &str| {
        if n == want {
            Ok(())
        } else {
            Err(format!("`{verb}` takes {usage}, got {n} arguments"))
        }
    };
    for path in rest.iter().take(match verb.as_str() {
        // Texts are not paths.
        "write" | "append" | "replace" => 1,
        "set-mtime" => 1,
        "write-external" => 0,
        _ => n,
    }) {
        if path.is_empty() || !relative_ok(path) {
            return Err(format!("`{path}` is not a path inside the module"));
        }
    }
    let s = |i: usize| rest[i].clone();
    match verb.as_str() {
        "touch" if n > 0 => Ok(Step::Touch(rest.to_vec())),
        "touch" => Err("`touch` takes one or more paths".into()),
        "write" => arity(2, "PATH TEXT").map(|()| Step::Write {
            path: s(0),
            text: unescape(&rest[1]),
        }),
        "append" => arity(2, "PATH TEXT").map(|()| Step::Append {
            path: s(0),
            text: unescape(&rest[1]),
        }),
        "replace" => {
            arity(3, "PATH OLD NEW")?;
            if rest[1].is_empty() {
                return Err("`replace` needs a non-empty OLD".into());
            }
            Ok(Step::Replace {
                path: s(0),
                old: unescape(&rest[1]),
                new: unescape(&rest[2]),
            })
        }
        "copy" => arity(2, "FROM TO").map(|()| Step::Copy {
            from: s(0),
            to: s(1),
        }),
        "put" => arity(2, "FILE PATH").map(|()| Step::Put {
            file: s(0),
            path: s(1),
        }),
        "rm" if n > 0 => Ok(Step::Remove(rest.to_vec())),
        "rm" => Err("`rm` takes one or more paths".into()),
        "set-mtime" => {
            arity(2, "PATH DATE")?;
            Ok(Step::SetMtime {
                path: s(0),
                time: parse_time(&rest[1])?,
            })
        }
        "git-init" => arity(0, "no arguments").map(|()| Step::GitInit),
        "write-external" => {
            arity(2, "PATH TEXT")?;
            let dir = rest[0]
                .strip_prefix(EXTERNAL_PREFIX)
                .and_then(|r| r.split_once('/'));
            match dir {
                Some((name, file)) if !name.is_empty() && !file.is_empty() && relative_ok(file) => {
                    Ok(Step::WriteExternal {
                        path: s(0),
                        text: unescape(&rest[1]),
                    })
                }
                _ => Err(format!(
                    "`write-external` writes only under {EXTERNAL_PREFIX}NAME/, not `{}`",
                    rest[0]
                )),
            }
        }
        "rm-git" => arity(0, "no arguments").map(|()| Step::RemoveGit),
        _ => Err(format!(
            "unknown step `{verb}` (touch, write, append, replace, copy, put, rm, set-mtime, \
             git-init, rm-git, write-external)"
        )),
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q =
            |s: &str| shell_words::quote(&s.replace('\n', "\\n").replace('\t', "\\t")).into_owned();
        match self {
            Step::Touch(paths) => write!(f, "touch {}", paths.join(" ")),
            Step::Write { path, text } => write!(f, "write {path} {}", q(text)),
            Step::Append { path, text } => write!(f, "append {path} {}", q(text)),
            Step::Replace { path, old, new } => write!(f, "replace {path} {} {}", q(old), q(new)),
            Step::Copy { from, to } => write!(f, "copy {from} {to}"),
            Step::Put { file, path } => write!(f, "put {file} {path}"),
            Step::Remove(paths) => write!(f, "rm {}", paths.join(" ")),
            Step::SetMtime { path, time } => write!(f, "set-mtime {path} {}", format_time(*time)),
            Step::GitInit => f.write_str("git-init"),
            Step::RemoveGit => f.write_str("rm-git"),
            Step::WriteExternal { path, text } => write!(f, "write-external {path} {}", q(text)),
        }
    }
}

/// `2024-06-01` or `2024-06-01T12:00:00Z` (UTC, 1970 to 9999) → a time.
pub fn parse_time(text: &str) -> Result<SystemTime, String> {
    let bad = || format!("expected a date like 2024-06-01 or 2024-06-01T12:00:00Z, got `{text}`");
    let time = match text.split_once('T') {
        // Only UTC, written `Z`: an offset would make the file's meaning depend on reading it.
        Some((_, clock)) if clock.len() == 9 && clock.ends_with('Z') => {
            text.parse::<Timestamp>().map_err(|_| bad())?
        }
        Some(_) => return Err(bad()),
        None => text
            .parse::<civil::Date>()
            .and_then(|date| TimeZone::UTC.to_timestamp(date.to_datetime(civil::Time::midnight())))
            .map_err(|_| bad())?,
    };
    if !(1970..=9999).contains(&TimeZone::UTC.to_datetime(time).year()) {
        return Err(bad());
    }
    SystemTime::try_from(time).map_err(|_| bad())
}

/// A time as `2024-06-01T12:00:00Z` (UTC, to the second).
pub fn format_time(time: SystemTime) -> String {
    crate::go::timestamp::rfc3339_utc(time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const FULL: &str = "\
# a comment
title: Two toolchains
module: tiny
args: -trimpath .
test: no
env: CGO_ENABLED=0
setup: write gen.go 'package main\\n'
a.label: old
a.go: go1.26.6
b.label: new
b.go: go1.27.3
b.flags: -gcflags=-N '-ldflags=-X main.v=1'
b.relocate: yes
b.env: GOAMD64=v3
b.setup: replace go.mod 'go 1.21' 'go 1.22'
expect: toolchain, absolute-path
lesson: Every key starts
  with the go version.
";

    #[test]
    fn a_full_scenario_parses() {
        let s = parse("toolchain", FULL).unwrap();
        assert_eq!(s.title, "Two toolchains");
        assert_eq!(s.module, ModuleRef::Shared("tiny".into()));
        assert_eq!(s.args, ["-trimpath", "."]);
        assert!(!s.test);
        assert_eq!(
            s.setup,
            [Step::Write {
                path: "gen.go".into(),
                text: "package main\n".into()
            }]
        );
        assert_eq!(s.a.label, "old");
        assert_eq!(s.a.go.as_deref(), Some("go1.26.6"));
        assert_eq!(s.a.env, [("CGO_ENABLED".to_string(), "0".to_string())]);
        assert_eq!(s.b.env.len(), 2);
        assert_eq!(s.b.flags, ["-gcflags=-N", "-ldflags=-X main.v=1"]);
        assert!(s.b.relocate && !s.a.relocate);
        assert_eq!(
            s.expect,
            Expectation::Differ(vec![Category::AbsolutePath, Category::Toolchain])
        );
        assert_eq!(s.lesson, "Every key starts with the go version.");
        assert_eq!(
            s.b.setup[0].to_string(),
            "replace go.mod 'go 1.21' 'go 1.22'"
        );
    }

    #[test]
    fn defaults_and_same() {
        let s = parse("x", "title: t\nmodule: ./mod\nexpect: same\nlesson: l\n").unwrap();
        assert_eq!(s.args, ["./..."]);
        assert_eq!(s.module, ModuleRef::Local("mod".into()));
        assert_eq!(s.module.corpus_path("x"), "scenarios/x/mod");
        assert_eq!((s.a.label.as_str(), s.b.label.as_str()), ("A", "B"));
        assert_eq!(s.expect, Expectation::Same);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("x", "title: t\nmodule: tiny\nexpect: bogus\nlesson: l\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.starts_with("unknown category `bogus`"), "{e:?}");
        let e = parse("x", "title: t\nc.go: x\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (2, "unknown key `c.go`"));
        let e = parse("x", "title: t\nmodule: tiny\nexpect: same\n").unwrap_err();
        assert_eq!(e.message, "no `lesson:` line");
        let e = parse("x", "  continued\n").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn steps_parse_and_reject_paths_outside_the_module() {
        assert_eq!(
            step("touch a.go b/c.go").unwrap(),
            Step::Touch(vec!["a.go".into(), "b/c.go".into()])
        );
        assert_eq!(step("git-init").unwrap(), Step::GitInit);
        assert_eq!(step("rm-git").unwrap(), Step::RemoveGit);
        assert!(
            step("touch ../x")
                .unwrap_err()
                .contains("not a path inside")
        );
        assert!(step("rm /etc").unwrap_err().contains("not a path inside"));
        assert!(step("write a").unwrap_err().contains("PATH TEXT"));
        assert!(step("frobnicate").unwrap_err().starts_with("unknown step"));
        assert_eq!(
            step("append t.txt 'x\\ty\\n'").unwrap(),
            Step::Append {
                path: "t.txt".into(),
                text: "x\ty\n".into()
            }
        );
    }

    #[test]
    fn times_round_trip() {
        let t = parse_time("2024-06-01T12:34:56Z").unwrap();
        assert_eq!(format_time(t), "2024-06-01T12:34:56Z");
        assert_eq!(
            parse_time("2024-01-01").unwrap(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_067_200)
        );
        assert_eq!(
            format_time(parse_time(CHECKOUT_TIME).unwrap()),
            CHECKOUT_TIME
        );
        assert_eq!(
            format_time(parse_time("2000-02-29").unwrap()),
            "2000-02-29T00:00:00Z"
        );
        for bad in [
            "2024-13-01",
            "2024-06-01T25:00:00Z",
            "yesterday",
            "2024-06-01T12:00:00",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
