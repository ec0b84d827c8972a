//! The typed inputs of an action key: one variant per kind of line that `cmd/go` writes into a
//! hash (reference §3), and `Unknown` for anything a future Go version adds.

use std::borrow::Cow;

use serde::Serialize;

use super::Digest;
use super::modinfo::ModInfo;

/// Text from the log: borrowed when it needed no unescaping, owned otherwise. Bytes that are not
/// UTF-8 are shown as `\xNN` (see `parse::unquote::bytes_to_text`).
pub type Text<'a> = Cow<'a, str>;

/// One logical line of a block: its text exactly as Go wrote it (without the final newline),
/// the line number of its first write in the log, and its typed meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    pub line: u32,
    pub text: Text<'a>,
    pub input: Input<'a>,
}

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

/// A typed key input. Field names follow the Go source (`work/exec.go`, `test/test.go`).
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

impl<'a> Input<'a> {
    /// A stable name for the field, used to line up the two sides of a comparison: the same
    /// field of the same action has the same key in both logs (`dir`, `file greet.go`,
    /// `import fmt`, `GOAMD64`, `CC`, `magic GOSSAFUNC`, …).
    pub fn key(&self) -> Cow<'_, str> {
        use Input::*;
        let k: &str = match self {
            CompileAction => "compile",
            Dir(_) => "dir",
            Module { .. } => "module",
            GoDirective(_) => "go",
            Target { .. } => "goos/goarch",
            ImportPath(_) => "import path",
            OmitDebug { .. } => "omitdebug",
            Trimpath => "trimpath",
            ForceLibrary => "forcelibrary",
            CgoTool(_) => "cgo",
            CCompiler { lang, .. } => lang.as_str(),
            CCompilerId { lang, .. } => return Cow::Owned(format!("{} ID", lang.as_str())),
            Cover { .. } => "cover",
            Fuzz(_) => "fuzz",
            ModInfo(_) => "modinfo",
            CompileTool { .. } => "compile tool",
            AsmTool { .. } => "asm",
            GccgoPkgPath(_) => "pkgpath",
            GccgoAr(_) => "ar",
            GccgoAsm(_) => "asm",
            ArchEnv { key, .. } => {
                return if key.is_empty() {
                    Cow::Borrowed("arch env")
                } else {
                    Cow::Borrowed(key.as_ref())
                };
            }
            Experiment(_) => "GOEXPERIMENT",
            Magic { key, .. } => return Cow::Owned(format!("magic {key}")),
            File(f) => return Cow::Owned(format!("file {}", f.name)),
            PgoFile(_) => "pgofile",
            Import { path, .. } => return Cow::Owned(format!("import {path}")),
            LinkAction => "link",
            LinkSharedAction => "linkShared",
            LinkTarget { .. } => "buildmode",
            DefaultGodebug(_) => "defaultgodebug",
            LinkTool { .. } => "link tool",
            LinkFlags(_) => "linkflags",
            Goroot(_) => "GOROOT",
            ExtLinkEnabled(_) => "GO_EXTLINK_ENABLED",
            PackageFile { path, .. } => return Cow::Owned(format!("packagefile {path}")),
            PackageMain { .. } => "packagemain",
            PackageShlib { path, .. } => return Cow::Owned(format!("packageshlib {path}")),
            Top { path, .. } => return Cow::Owned(format!("top {path}")),
            VetTool(_) => "vet",
            VetxOnly(_) => "vetxonly",
            VetFlags(_) => "vetflags",
            VetPkg(_) => "pkg",
            VetOut { path, .. } => return Cow::Owned(format!("vetout {path}")),
            PgoAction => "preprocess PGO profile",
            PreprofileTool(_) => "preprofile",
            PgoInput(_) => "input",
            TestBinary { .. } => "test binary",
            TestEnv { name, .. } => return Cow::Owned(format!("env {name}")),
            TestChdir { path, .. } => return Cow::Owned(format!("chdir {path}")),
            TestStat { path, .. } => return Cow::Owned(format!("stat {path}")),
            TestOpen { path, .. } => return Cow::Owned(format!("open {path}")),
            EnvUnset | EnvValue(_) => "value",
            Stat(_) => "stat",
            DirEntry { name, .. } => return Cow::Owned(format!("file {name}")),
            StatError(_) => "err",
            CoverMetaDep(id) => return Cow::Owned(format!("dep {id}")),
            TestmainAction => "testmain",
            TestmainSource(_) => "source",
            GccLookup(_) => "gccCompilerID",
            GccIdentity { .. } => "gccCompilerID identity",
            Unknown(text) => {
                let word = text.split([' ', '=']).next().unwrap_or("");
                return Cow::Owned(format!("unknown {word}"));
            }
        };
        Cow::Borrowed(k)
    }

    /// True for lines that name a dependency by the content ID of its output (`import P cid`,
    /// `packagefile P=cid`, `packageshlib`, `top`): they change when a dependency's output does.
    pub fn is_dependency_ref(&self) -> bool {
        matches!(
            self,
            Input::Import { .. }
                | Input::PackageFile { .. }
                | Input::PackageShlib { .. }
                | Input::Top { .. }
        )
    }

    /// The dependency a dependency-reference line names.
    pub fn dependency(&self) -> Option<(&str, &str)> {
        match self {
            Input::Import { path, content_id }
            | Input::PackageFile { path, content_id }
            | Input::PackageShlib { path, content_id }
            | Input::Top { path, content_id } => Some((path, content_id)),
            _ => None,
        }
    }

    /// Copies every borrowed string, so the value outlives the log text.
    pub fn into_owned(self) -> Input<'static> {
        use Input::*;
        fn o(t: Text<'_>) -> Text<'static> {
            Cow::Owned(t.into_owned())
        }
        fn ov(v: Vec<Text<'_>>) -> Vec<Text<'static>> {
            v.into_iter().map(o).collect()
        }
        fn os(s: StatInfo<'_>) -> StatInfo<'static> {
            StatInfo {
                size: s.size,
                mode: o(s.mode),
                mtime: o(s.mtime),
                is_dir: s.is_dir,
            }
        }
        match self {
            CompileAction => CompileAction,
            Dir(t) => Dir(o(t)),
            Module { path, version } => Module {
                path: o(path),
                version: o(version),
            },
            GoDirective(t) => GoDirective(o(t)),
            Target { goos, goarch } => Target {
                goos: o(goos),
                goarch: o(goarch),
            },
            ImportPath(t) => ImportPath(o(t)),
            OmitDebug {
                omit_debug,
                standard,
                local,
                prefix,
            } => OmitDebug {
                omit_debug,
                standard,
                local,
                prefix: o(prefix),
            },
            Trimpath => Trimpath,
            ForceLibrary => ForceLibrary,
            CgoTool(t) => CgoTool(o(t)),
            CCompiler { lang, exe, flags } => CCompiler {
                lang,
                exe: ov(exe),
                flags: flags.into_iter().map(ov).collect(),
            },
            CCompilerId { lang, id, error } => CCompilerId {
                lang,
                id: o(id),
                error,
            },
            Cover { mode, tool } => Cover {
                mode: o(mode),
                tool: o(tool),
            },
            Fuzz(v) => Fuzz(ov(v)),
            ModInfo(m) => ModInfo(Box::new(m.into_owned())),
            CompileTool {
                tool,
                forced,
                flags,
            } => CompileTool {
                tool: o(tool),
                forced: ov(forced),
                flags: ov(flags),
            },
            AsmTool {
                tool,
                forced,
                flags,
            } => AsmTool {
                tool: o(tool),
                forced: ov(forced),
                flags: ov(flags),
            },
            GccgoPkgPath(t) => GccgoPkgPath(o(t)),
            GccgoAr(t) => GccgoAr(o(t)),
            GccgoAsm(t) => GccgoAsm(o(t)),
            ArchEnv { key, value } => ArchEnv {
                key: o(key),
                value: o(value),
            },
            Experiment(t) => Experiment(o(t)),
            Magic { key, value } => Magic {
                key: o(key),
                value: o(value),
            },
            File(f) => File(FileInput {
                name: o(f.name),
                id: o(f.id),
                path: f.path.map(o),
                hash: f.hash,
            }),
            PgoFile(t) => PgoFile(o(t)),
            Import { path, content_id } => Import {
                path: o(path),
                content_id: o(content_id),
            },
            LinkAction => LinkAction,
            LinkSharedAction => LinkSharedAction,
            LinkTarget {
                buildmode,
                goos,
                goarch,
            } => LinkTarget {
                buildmode: o(buildmode),
                goos: o(goos),
                goarch: o(goarch),
            },
            DefaultGodebug(t) => DefaultGodebug(o(t)),
            LinkTool {
                tool,
                forced,
                buildmode,
            } => LinkTool {
                tool: o(tool),
                forced: forced.map(ov),
                buildmode: o(buildmode),
            },
            LinkFlags(v) => LinkFlags(ov(v)),
            Goroot(t) => Goroot(o(t)),
            ExtLinkEnabled(t) => ExtLinkEnabled(o(t)),
            PackageFile { path, content_id } => PackageFile {
                path: o(path),
                content_id: o(content_id),
            },
            PackageMain {
                action_id,
                content_id,
            } => PackageMain {
                action_id: o(action_id),
                content_id: o(content_id),
            },
            PackageShlib { path, content_id } => PackageShlib {
                path: o(path),
                content_id: o(content_id),
            },
            Top { path, content_id } => Top {
                path: o(path),
                content_id: o(content_id),
            },
            VetTool(t) => VetTool(o(t)),
            VetxOnly(b) => VetxOnly(b),
            VetFlags(v) => VetFlags(ov(v)),
            VetPkg(d) => VetPkg(d),
            VetOut { path, id } => VetOut {
                path: o(path),
                id: o(id),
            },
            PgoAction => PgoAction,
            PreprofileTool(t) => PreprofileTool(o(t)),
            PgoInput(t) => PgoInput(o(t)),
            TestBinary { id, args, execcmd } => TestBinary {
                id: o(id),
                args: ov(args),
                execcmd: ov(execcmd),
            },
            TestEnv { name, hash } => TestEnv {
                name: o(name),
                hash,
            },
            TestChdir { path, hash } => TestChdir {
                path: o(path),
                hash,
            },
            TestStat { path, hash } => TestStat {
                path: o(path),
                hash,
            },
            TestOpen { path, hash } => TestOpen {
                path: o(path),
                hash,
            },
            EnvUnset => EnvUnset,
            EnvValue(t) => EnvValue(o(t)),
            Stat(s) => Stat(os(s)),
            DirEntry { name, stat, error } => DirEntry {
                name: o(name),
                stat: stat.map(os),
                error: error.map(o),
            },
            StatError(t) => StatError(o(t)),
            CoverMetaDep(t) => CoverMetaDep(o(t)),
            TestmainAction => TestmainAction,
            TestmainSource(t) => TestmainSource(o(t)),
            GccLookup(t) => GccLookup(o(t)),
            GccIdentity { exe, id } => GccIdentity {
                exe: ov(exe),
                id: o(id),
            },
            Unknown(t) => Unknown(o(t)),
        }
    }
}
