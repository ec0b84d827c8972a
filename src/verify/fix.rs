//! Which fix a cause has, and how it changes the two sides' go commands.

use crate::diff::{Category, Cause, Class, DirKind, Selection};
use crate::go::run::{RunSpec, flag_name, leading_flags};
use crate::go::side::SideSpec;
use crate::model::SideInfo;

/// A fix whymiss can apply to the go commands by itself. Side A is the reference: B is changed
/// to match it, except where the fix is a flag for both sides.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Fix {
    /// `-trimpath` on both sides.
    Trimpath,
    /// B's environment variable set to A's effective value.
    Env(String),
    /// B's flags of this name (without the dash) replaced by A's.
    Flag(String),
    /// B runs A's go.
    Toolchain,
    /// `-buildvcs=false` on both sides.
    NoVcs,
    /// B uses A's module cache.
    Gomodcache,
}

impl Fix {
    /// The fix's name in JSON.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Fix::Trimpath => "trimpath",
            Fix::Env(_) => "env",
            Fix::Flag(_) => "flag",
            Fix::Toolchain => "toolchain",
            Fix::NoVcs => "buildvcs",
            Fix::Gomodcache => "gomodcache",
        }
    }
}

/// Why a cause's fix is not tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotTried {
    /// The fix is an edit of the source (a file, go.mod, a `#cgo` directive): what to edit.
    SourceEdit(&'static str),
    /// Only compiled output shows it.
    RealBuild,
    /// It is about test results, which need the tests to run.
    Tests,
    /// Anything else, said in a sentence.
    Other(String),
}

impl NotTried {
    pub(crate) fn message(&self) -> String {
        match self {
            NotTried::SourceEdit(what) => format!("not tried: needs a source edit ({what})"),
            NotTried::RealBuild => {
                "not tried: only compiled output shows this (--exact builds)".to_string()
            }
            NotTried::Tests => "not tried: test results need the tests to run".to_string(),
            NotTried::Other(why) => format!("not tried: {why}"),
        }
    }
}

/// What to do about a cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    Try(Fix),
    NotTried(NotTried),
}

/// What is known about how the sides were run.
pub(crate) struct Sides<'s> {
    pub spec: &'s RunSpec,
    pub a: &'s SideInfo,
    pub b: &'s SideInfo,
}

/// The fix of a cause, from what the cause is about.
pub(crate) fn plan(cause: &Cause, sides: &Sides<'_>) -> Plan {
    use Plan::Try;
    let source = |what| Plan::NotTried(NotTried::SourceEdit(what));
    let tests = Plan::NotTried(NotTried::Tests);
    let env = |name: &str| Try(Fix::Env(name.to_string()));
    let flag = |name: &str| Try(Fix::Flag(name.to_string()));
    match &cause.class {
        Class::Dir(DirKind::ModuleCache) => Try(Fix::Gomodcache),
        Class::Dir(DirKind::Vendor) => {
            source("vendor/ on both sides or on neither (go mod vendor, -mod)")
        }
        Class::Dir(DirKind::Checkout | DirKind::Gopath | DirKind::OneSide) => Try(Fix::Trimpath),
        Class::Goroot | Class::Trimpath | Class::ModinfoTrimpath | Class::ModuleLine => {
            Try(Fix::Trimpath)
        }
        Class::CFlagsPath(_) => source("drop ${SRCDIR} from the #cgo directives"),
        Class::TestInputPath => tests.clone(),
        Class::Toolchain | Class::Salt | Class::Tool(_) => Try(Fix::Toolchain),
        Class::Goos => env("GOOS"),
        Class::Goarch | Class::NoArchVar => env("GOARCH"),
        Class::ArchVar(var) => env(var),
        Class::Buildmode => flag("buildmode"),
        Class::Compiler => flag("compiler"),
        Class::Gccgoflags => flag("gccgoflags"),
        Class::Fips140 => env("GOFIPS140"),
        Class::OmitDebug => Plan::NotTried(NotTried::Other(
            "the go subcommand differs (build, test, vet): run the same one on both sides"
                .to_string(),
        )),
        Class::LocalImport => source("import the package by its path, not a relative one"),
        Class::Linkshared => flag("linkshared"),
        Class::Gcflags => flag("gcflags"),
        Class::Asmflags => flag("asmflags"),
        Class::Ldflags => flag("ldflags"),
        Class::Tags => flag("tags"),
        Class::Pgo => flag("pgo"),
        Class::ForcedGcflags | Class::ForcedAsmflags | Class::ForcedLdflags => {
            Plan::NotTried(NotTried::Other(
                "the go command forces these flags; the setting behind them is the cause to fix"
                    .to_string(),
            ))
        }
        Class::PgoProfile => source("make the PGO profile the same file"),
        Class::PgoOneSide => flag("pgo"),
        Class::Race => flag("race"),
        Class::Msan => flag("msan"),
        Class::Asan => flag("asan"),
        Class::Cover => flag("cover"),
        Class::Covermode => flag("covermode"),
        Class::Coverpkg => flag("coverpkg"),
        Class::CgoEnabled | Class::Cgo => env("CGO_ENABLED"),
        Class::CCompiler(lang) | Class::CCompilerId(lang) | Class::CCompilerIdError(lang) => {
            env(lang.as_str())
        }
        Class::CgoFlags(list) => env(list.as_str()),
        Class::Experiment => env("GOEXPERIMENT"),
        Class::DebugEnv(var) => env(var),
        Class::DefaultGodebug | Class::ModinfoDefaultGodebug => {
            source("the go and godebug lines of go.mod, or //go:debug directives")
        }
        Class::Module(_) => source("the module requirements in go.mod"),
        Class::File { .. } => source("the file's content"),
        Class::FileSet(_) => file_set_plan(sides),
        Class::FilesBy(selection) => match selection {
            Selection::Tag(_) => flag("tags"),
            Selection::Target(name) => env(name),
            Selection::Cgo => env("CGO_ENABLED"),
            Selection::Release => Try(Fix::Toolchain),
            Selection::Setting(tag) if tag.starts_with("goexperiment.") => env("GOEXPERIMENT"),
            Selection::Setting(tag) if tag == "race" => flag("race"),
            Selection::Added => source("files added or removed"),
            Selection::Setting(_) | Selection::Unread => file_set_plan(sides),
        },
        Class::ModinfoDepSum(_) => source("the module requirements in go.mod and go.sum"),
        Class::ModinfoPath | Class::ModinfoMain | Class::ModinfoLine => {
            source("the main module and its go.mod")
        }
        Class::Vcs(_) => Try(Fix::NoVcs),
        Class::Modinfo(key) => match key.strip_prefix('-') {
            Some(name) => flag(name),
            None if is_env_name(key) => env(key),
            None => Plan::NotTried(NotTried::Other(format!(
                "no mechanical fix for the build setting {key}"
            ))),
        },
        Class::Output { .. } => Plan::NotTried(NotTried::RealBuild),
        Class::UnlinkedTestBinary => tests.clone(),
        Class::FieldOrder => Plan::NotTried(NotTried::Other(
            "the same inputs in another order have no setting to fix".to_string(),
        )),
        Class::TestCaching
        | Class::TestFlags
        | Class::Exec
        | Class::InputTooNew
        | Class::InputRejected
        | Class::TestInput { .. }
        | Class::TimeZone
        | Class::EnvGodebug => tests,
        Class::Field(name) if is_env_name(name) => env(name),
        Class::Field(name) => match cause.category {
            Category::GoVersion => source("the go line of go.mod"),
            Category::Source | Category::FileSet | Category::DependencyVersion => {
                source("the sources")
            }
            _ => Plan::NotTried(NotTried::Other(format!("no mechanical fix for {name}"))),
        },
    }
}

/// A package's files differ: the setting that selects files, if the sides were run with
/// different ones (build tags, then CGO_ENABLED, GOOS, GOARCH, GOEXPERIMENT); else the files
/// themselves differ.
fn file_set_plan(sides: &Sides<'_>) -> Plan {
    if groups_of(&sides.spec.a.flags, "tags") != groups_of(&sides.spec.b.flags, "tags") {
        return Plan::Try(Fix::Flag("tags".into()));
    }
    for name in ["CGO_ENABLED", "GOOS", "GOARCH", "GOEXPERIMENT"] {
        if sides.a.go_env.get(name) != sides.b.go_env.get(name) {
            return Plan::Try(Fix::Env(name.into()));
        }
    }
    Plan::NotTried(NotTried::SourceEdit("files added or removed"))
}

/// An environment variable's name: capitals, digits and `_`, starting with a capital.
fn is_env_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The flag groups named `name` (`-tags x`, `-tags=x`) among `flags`, in order.
pub(super) fn groups_of<'f>(flags: &'f [String], name: &str) -> Vec<&'f [String]> {
    leading_flags(flags)
        .into_iter()
        .filter(|g| flag_name(&g[0]) == Some(name))
        .collect()
}

/// Whether a side runs with `-trimpath`: in the shared arguments, its own flags or GOFLAGS.
pub(super) fn has_trimpath(spec: &RunSpec, side: &SideSpec, info: &SideInfo) -> bool {
    let named = |flags: &[String]| !groups_of(flags, "trimpath").is_empty();
    named(&spec.options.shared_args)
        || named(&side.flags)
        || info
            .go_env
            .get("GOFLAGS")
            .is_some_and(|f| f.split_whitespace().any(|w| w == "-trimpath"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_are_capitals() {
        assert!(is_env_name("GOAMD64"));
        assert!(is_env_name("GO_EXTLINK_ENABLED"));
        assert!(!is_env_name("go"));
        assert!(!is_env_name("vetflags"));
        assert!(!is_env_name("1X"));
    }

    #[test]
    fn flag_groups_by_name() {
        let flags: Vec<String> = ["-tags", "a b", "-gcflags=-N", "--tags=c", "-trimpath"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let tags = groups_of(&flags, "tags");
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0], ["-tags", "a b"]);
        assert_eq!(tags[1], ["--tags=c"]);
        assert_eq!(groups_of(&flags, "gcflags")[0], ["-gcflags=-N"]);
        assert!(groups_of(&flags, "ldflags").is_empty());
    }
}
