//! The categories an input difference is filed under (kebab-case on the wire, exact spelling).
//! Which category a key input belongs to is a fact about the input, so it lives in the model,
//! below the comparison, the CI gate and the renderers that read it.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Package directory, link GOROOT, absolute paths inside cgo flags, PGO path, module cache.
    AbsolutePath,
    /// `-trimpath` on one side only.
    Trimpath,
    /// go command, compile, link, asm, cgo, vet versions or IDs.
    Toolchain,
    /// The go.mod `go` directive.
    GoVersion,
    /// GOOS, GOARCH, GOAMD64/GOARM/…, buildmode.
    Target,
    /// `-gcflags`, `-asmflags`.
    CompilerFlags,
    /// `-ldflags` (including `-X`), linkflags.
    LinkerFlags,
    /// CGO_ENABLED, CC/CXX/FC, C compiler identity, CGO_* flags other than paths.
    Cgo,
    /// GOEXPERIMENT.
    Experiment,
    /// `-race`, `-msan`, `-asan`, `-cover`, fuzzing.
    Instrumentation,
    /// Profile-guided optimisation: a PGO profile (`default.pgo` or `-pgo=file`) on one side, or
    /// another profile.
    Pgo,
    /// A file's content.
    Source,
    /// Files added to or removed from a package (build tags, GOOS- or cgo-dependent files).
    FileSet,
    /// `vcs.*` in modinfo.
    VcsStamp,
    /// defaultgodebug, `//go:debug`.
    Godebug,
    /// GOSSAFUNC and the other compiler debug variables.
    DebugEnv,
    /// A module dependency's version.
    DependencyVersion,
    /// A dependency's output differs although its key does not.
    Nondeterministic,
    /// A test flag outside the cacheable set, or a cacheable flag that differs.
    TestFlags,
    /// An environment variable a test read.
    TestEnv,
    /// The content of a file a test opened.
    TestFile,
    /// Only the modification time of a file a test opened.
    TestMtime,
    /// The go subcommand: `go run` or `go test` against `go build` (debug information omitted),
    /// a command tested against built, vet's command-line packages.
    GoCommand,
    /// Anything else; the cause carries the raw field.
    Other,
}

impl Category {
    pub const ALL: [Category; 24] = [
        Category::AbsolutePath,
        Category::Trimpath,
        Category::Toolchain,
        Category::GoVersion,
        Category::Target,
        Category::CompilerFlags,
        Category::LinkerFlags,
        Category::Cgo,
        Category::Experiment,
        Category::Instrumentation,
        Category::Pgo,
        Category::Source,
        Category::FileSet,
        Category::VcsStamp,
        Category::Godebug,
        Category::DebugEnv,
        Category::DependencyVersion,
        Category::Nondeterministic,
        Category::TestFlags,
        Category::TestEnv,
        Category::TestFile,
        Category::TestMtime,
        Category::GoCommand,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::AbsolutePath => "absolute-path",
            Category::Trimpath => "trimpath",
            Category::Toolchain => "toolchain",
            Category::GoVersion => "go-version",
            Category::Target => "target",
            Category::CompilerFlags => "compiler-flags",
            Category::LinkerFlags => "linker-flags",
            Category::Cgo => "cgo",
            Category::Experiment => "experiment",
            Category::Instrumentation => "instrumentation",
            Category::Pgo => "pgo",
            Category::Source => "source",
            Category::FileSet => "file-set",
            Category::VcsStamp => "vcs-stamp",
            Category::Godebug => "godebug",
            Category::DebugEnv => "debug-env",
            Category::DependencyVersion => "dependency-version",
            Category::Nondeterministic => "nondeterministic",
            Category::TestFlags => "test-flags",
            Category::TestEnv => "test-env",
            Category::TestFile => "test-file",
            Category::TestMtime => "test-mtime",
            Category::GoCommand => "go-command",
            Category::Other => "other",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                format!("unknown category `{s}` (one of: {})", names.join(", "))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(c));
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
        assert!("absolute_path".parse::<Category>().is_err());
    }
}
