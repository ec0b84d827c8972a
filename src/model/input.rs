//! The typed inputs of an action key: one variant per shape of line that `cmd/go` writes into a
//! hash (`(*Builder).buildActionID`, `linkActionID`, `vet` in `cmd/go/internal/work/exec.go`, the
//! test cache's keys in `cmd/go/internal/test/test.go`), and `Unknown` for anything a future Go
//! version adds. Which line is which field, and what each means, is in the field tables
//! ([`super::fields`]).

use std::borrow::Cow;

use serde::Serialize;

use super::Digest;
use super::modinfo::ModInfo;
use super::text::Text;

/// Which C-family compiler a cgo line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CLang {
    #[serde(rename = "CC")]
    C,
    #[serde(rename = "CXX")]
    Cxx,
    #[serde(rename = "FC")]
    Fortran,
}

impl CLang {
    pub fn as_str(self) -> &'static str {
        match self {
            CLang::C => "CC",
            CLang::Cxx => "CXX",
            CLang::Fortran => "FC",
        }
    }
}

/// A file a test opened or a directory entry it listed (`HASH[open]`, `HASH[stat]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatInfo<'a> {
    pub size: u64,
    /// `os.FileMode` as hex, as Go prints it (`1a4`, `800001ed`).
    pub mode: Text<'a>,
    /// Modification time formatted by Go in the *local* time zone of the go command.
    pub mtime: Text<'a>,
    pub is_dir: bool,
}

impl StatInfo<'_> {
    /// Copies the borrowed strings.
    pub fn into_owned(self) -> StatInfo<'static> {
        StatInfo {
            size: self.size,
            mode: Cow::Owned(self.mode.into_owned()),
            mtime: Cow::Owned(self.mtime.into_owned()),
            is_dir: self.is_dir,
        }
    }
}

/// A typed key input. Field names follow the Go source (`work/exec.go`, `test/test.go`); the
/// field tables say which line reads into which variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input<'a> {
    // ---- build: (*Builder).buildActionID ----
    /// `compile`: the first line of every compile key.
    CompileAction,
    /// `dir <abs dir>`: the package directory, without `-trimpath`, outside GOROOT.
    Dir(Text<'a>),
    /// `module <path>@<version>`: with `-trimpath`, instead of `dir`.
    Module { path: Text<'a>, version: Text<'a> },
    /// `go <version>`: the `go` directive of the package's go.mod.
    GoDirective(Text<'a>),
    /// `goos <goos> goarch <goarch>` (build and linkShared).
    Target { goos: Text<'a>, goarch: Text<'a> },
    /// `import "<path>"`: the action's own import path (build and link).
    ImportPath(Text<'a>),
    /// `omitdebug <b> standard <b> local <b> prefix "<p>"`.
    OmitDebug {
        omit_debug: bool,
        standard: bool,
        local: bool,
        prefix: Text<'a>,
    },
    /// `trimpath`: `-trimpath` is set (build and link).
    Trimpath,
    /// `forcelibrary`: a package compiled as a library (under `go test`).
    ForceLibrary,
    /// `cgo "<tool id>"`: the cgo tool, for packages with cgo files.
    CgoTool(Text<'a>),
    /// `CC=[exe] [cppflags] [cflags] [ldflags]`, `CXX=[exe] [flags]`, `FC=[exe] [flags]`.
    CCompiler {
        lang: CLang,
        exe: Vec<Text<'a>>,
        /// CC: cppflags, cflags, ldflags. CXX and FC: their one flag list.
        flags: Vec<Vec<Text<'a>>>,
    },
    /// `CC ID="<version line>"`, or `CC ID ERROR="<error>"` (1.25+).
    CCompilerId {
        lang: CLang,
        id: Text<'a>,
        error: bool,
    },
    /// `cover "<mode>" "<tool id>"`: coverage instrumentation.
    Cover { mode: Text<'a>, tool: Text<'a> },
    /// `fuzz [flags]`: fuzzing instrumentation.
    Fuzz(Vec<Text<'a>>),
    /// `modinfo "<debug.BuildInfo>"`: main packages (and test mains). Boxed: it is much larger
    /// than any other input and rare, and every field of every action is as large as this enum.
    ModInfo(Box<ModInfo<'a>>),
    /// `compile <tool id> [forced gcflags] [gcflags]` (gc; gccgo has the same shape).
    CompileTool {
        tool: Text<'a>,
        forced: Vec<Text<'a>>,
        flags: Vec<Text<'a>>,
    },
    /// `asm "<tool id>" [forced asmflags] [asmflags]`: packages with assembly.
    AsmTool {
        tool: Text<'a>,
        forced: Vec<Text<'a>>,
        flags: Vec<Text<'a>>,
    },
    /// gccgo: `pkgpath <path>`.
    GccgoPkgPath(Text<'a>),
    /// gccgo: `ar "<ar>"`.
    GccgoAr(Text<'a>),
    /// gccgo: `asm "<tool id>"`.
    GccgoAsm(Text<'a>),
    /// `<KEY>=<value>`: the architecture variable (GOAMD64, GOARM, …), or `=` when the
    /// architecture has none (or, before 1.23, for arm64 and riscv64).
    ArchEnv { key: Text<'a>, value: Text<'a> },
    /// `GOEXPERIMENT="<list>"`: non-default experiments.
    Experiment(Text<'a>),
    /// `magic <VAR>=<value>`: compiler debug variables (GOSSAFUNC, GOSSADIR, …).
    Magic { key: Text<'a>, value: Text<'a> },
    /// `file <name> <id>`: a source, cgo, assembly, syso or embedded file and its content hash.
    File(FileInput<'a>),
    /// `pgofile <id>`: the PGO profile (raw in 1.21–1.22, preprocessed in 1.23+).
    PgoFile(Text<'a>),
    /// `import <path> <content id>`: a dependency, by the content ID of its compiled output.
    Import {
        path: Text<'a>,
        content_id: Text<'a>,
    },

    // ---- link: (*Builder).linkActionID, printLinkerConfig, linkSharedActionID ----
    /// `link`: the first line of every link key.
    LinkAction,
    /// `linkShared`: the first line of a `-linkshared` key.
    LinkSharedAction,
    /// `buildmode <mode> goos <goos> goarch <goarch>`.
    LinkTarget {
        buildmode: Text<'a>,
        goos: Text<'a>,
        goarch: Text<'a>,
    },
    /// `defaultgodebug "<settings>"` (1.24+).
    DefaultGodebug(Text<'a>),
    /// `link <tool id> [forced ldflags] <ld buildmode>` (gc), `link <id> <mode>` (gccgo).
    LinkTool {
        tool: Text<'a>,
        forced: Option<Vec<Text<'a>>>,
        buildmode: Text<'a>,
    },
    /// `linkflags [ldflags]`: the package's `-ldflags`.
    LinkFlags(Vec<Text<'a>>),
    /// `GOROOT=<path>`: 1.21–1.22 GOROOT_FINAL or `$GOROOT`; 1.23+ the GOROOT, empty with
    /// `-trimpath`.
    Goroot(Text<'a>),
    /// `GO_EXTLINK_ENABLED=<value>`.
    ExtLinkEnabled(Text<'a>),
    /// `packagefile <path>=<content id>`: a package linked in.
    PackageFile {
        path: Text<'a>,
        content_id: Text<'a>,
    },
    /// `packagemain <action id>/<content id>`: the main package's full build ID.
    PackageMain {
        action_id: Text<'a>,
        content_id: Text<'a>,
    },
    /// `packageshlib <path>=<content id>`.
    PackageShlib {
        path: Text<'a>,
        content_id: Text<'a>,
    },
    /// `top <path>=<content id>` (linkShared).
    Top {
        path: Text<'a>,
        content_id: Text<'a>,
    },

    // ---- vet: (*Builder).vet ----
    /// `vet "<tool id or -vettool path>"`.
    VetTool(Text<'a>),
    /// `vetxonly <bool>` (1.27+).
    VetxOnly(bool),
    /// `vetflags [flags]`.
    VetFlags(Vec<Text<'a>>),
    /// `pkg "<32 raw bytes>"`: the action ID of the package's build.
    VetPkg(Option<Digest>),
    /// `vetout "<path>" <id>`: a dependency's vet facts.
    VetOut { path: Text<'a>, id: Text<'a> },

    // ---- PGO preprocessing (1.23+): (*Builder).pgoActionID ----
    /// `preprocess PGO profile`.
    PgoAction,
    /// `preprofile <tool id>`.
    PreprofileTool(Text<'a>),
    /// `input "<file id>"`: the raw profile's content hash.
    PgoInput(Text<'a>),

    // ---- test cache: test/test.go ----
    /// `test binary <id> args [flags] execcmd [cmd]` (no newline).
    TestBinary {
        id: Text<'a>,
        args: Vec<Text<'a>>,
        execcmd: Vec<Text<'a>>,
    },
    /// `env <NAME> <hash of getenv block>`.
    TestEnv { name: Text<'a>, hash: Digest },
    /// `chdir <dir> <hash of stat block>`.
    TestChdir { path: Text<'a>, hash: Digest },
    /// `stat <path> <hash of stat block>`.
    TestStat { path: Text<'a>, hash: Digest },
    /// `open <path> <hash of open block>`.
    TestOpen { path: Text<'a>, hash: Digest },
    /// `getenv`: `\x00` (unset).
    EnvUnset,
    /// `getenv`: `\x01` then the value (two writes).
    EnvValue(Text<'a>),
    /// `getenv`: `\x01` then a value whymiss redacted: the first 12 hex digits of its SHA-256
    /// (`parse/redact.rs`).
    EnvRedacted(Text<'a>),
    /// `stat <size> <mode> <mtime> <isdir>` (open/stat blocks).
    Stat(StatInfo<'a>),
    /// `file <name> stat …`: a directory entry (open of a directory).
    DirEntry {
        name: Text<'a>,
        stat: Option<StatInfo<'a>>,
        error: Option<Text<'a>>,
    },
    /// `err <message>`: the open or stat failed.
    StatError(Text<'a>),
    /// `dep <build action id>` (covermeta, 1.26+).
    CoverMetaDep(Text<'a>),
    /// `testmain` (go list -test).
    TestmainAction,
    /// The whole generated `_testmain.go`, written at once.
    TestmainSource(Text<'a>),

    // ---- gccCompilerID ----
    /// `gccCompilerID "<exe>"`: the lookup key (no newline).
    GccLookup(Text<'a>),
    /// `gccCompilerID [exe…] "<version line>"`.
    GccIdentity { exe: Vec<Text<'a>>, id: Text<'a> },

    /// A line this version of whymiss does not know. Kept verbatim and reported.
    Unknown(Text<'a>),
}

/// A `file` line, with what the log says elsewhere about the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInput<'a> {
    /// Name relative to the package directory.
    pub name: Text<'a>,
    /// `HashToString(sha256(content))`.
    pub id: Text<'a>,
    /// Absolute path, from the `HASH <path>: <hex>` line whose hash gives `id`, when printed.
    pub path: Option<Text<'a>>,
    /// Full SHA-256 of the content, from the same line.
    pub hash: Option<Digest>,
}
