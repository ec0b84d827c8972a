//! What a difference is about, as causes are grouped: the same class, category and values in
//! several actions are one cause, and the class names the cause's field in the report. Every
//! class that grouping or the explanations single out is a variant of its own, so a rename is a
//! compile error rather than a silent regrouping; the open-ended ones (a tool, a field named by
//! its key, a module, a test input) carry their name.

use std::fmt;

use crate::model::{CLang, InputOp};

/// The class of an input difference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Class {
    // ---- toolchain ----
    /// The Go release as a whole: the salt and every tool ID that names a go version.
    Toolchain,
    /// The go command's version, which salts every key.
    Salt,
    /// A tool's ID, by the field that holds it (`compile tool`, `link tool`, `cgo`, `vet`, …).
    Tool(String),
    // ---- any field without a class of its own (compared by the table's generic rules) ----
    /// A field named by its key (`go`, `fuzz`, `GO_EXTLINK_ENABLED`, `vetflags`, `unknown x`).
    Field(String),
    // ---- paths and -trimpath ----
    /// The package directory, by where it lies.
    Dir(DirKind),
    /// The GOROOT the linker records.
    Goroot,
    /// An absolute path inside a C compiler's flags (`${SRCDIR}`).
    CFlagsPath(CLang),
    /// The absolute path of a file a test read.
    TestInputPath,
    /// `-trimpath`.
    Trimpath,
    /// `-trimpath` as the build information records it.
    ModinfoTrimpath,
    /// `omitdebug`/`standard`: the go subcommand.
    OmitDebug,
    /// `local`/`prefix`: a GOPATH-mode package imported by a relative path.
    LocalImport,
    /// The `module p@v` line, printed with -trimpath only.
    ModuleLine,
    // ---- target ----
    Goos,
    Goarch,
    /// `-buildmode`.
    Buildmode,
    /// `-linkshared`.
    Linkshared,
    /// An architecture variable (GOAMD64, GOARM64, …), whose name changes with GOARCH.
    ArchVar(String),
    /// The `=` line: no architecture variable.
    NoArchVar,
    // ---- flags ----
    /// `-gcflags` or `-asmflags`.
    Gcflags,
    Asmflags,
    /// Compiler or assembler flags the go command forces (build modes, instrumentation).
    ForcedGcflags,
    ForcedAsmflags,
    /// `-ldflags`, and the linker flags the go command forces.
    Ldflags,
    ForcedLdflags,
    /// `-tags`.
    Tags,
    /// `-pgo` with two absolute paths: the same profile elsewhere.
    Pgo,
    /// A PGO profile on one side only (`pgofile`, the preprocessing's `input`, `-pgo`).
    PgoOneSide,
    /// The PGO profile's content.
    PgoProfile,
    // ---- instrumentation ----
    Race,
    Msan,
    Asan,
    /// `-cover` (on or off), `-covermode`, `-coverpkg`.
    Cover,
    Covermode,
    Coverpkg,
    // ---- cgo ----
    /// `CGO_ENABLED`.
    CgoEnabled,
    /// The cgo tool line, present on one side only.
    Cgo,
    /// The C compiler command (`CC`, `CXX`, `FC`).
    CCompiler(CLang),
    /// The C compiler's identity (`CC ID`).
    CCompilerId(CLang),
    /// The C compiler could not be identified on one side (`CC ID ERROR=`, or before Go 1.25 a
    /// `CC ID` line missing where `CC=` is present).
    CCompilerIdError(CLang),
    /// A C flag list (`CGO_CFLAGS`, …).
    CgoFlags(CgoFlags),
    // ---- settings ----
    /// `GOEXPERIMENT`.
    Experiment,
    /// A compiler debug variable (`GOSSAFUNC`).
    DebugEnv(String),
    /// `defaultgodebug` (link) and `DefaultGODEBUG` (build information).
    DefaultGodebug,
    ModinfoDefaultGodebug,
    // ---- modules and sources ----
    /// A module's version.
    Module(String),
    /// A source file's content: package and name.
    File {
        package: String,
        name: String,
    },
    /// A package's set of files, when no one setting explains it.
    FileSet(String),
    /// The files of one or more packages, selected on one side only by one setting.
    FilesBy(Selection),
    // ---- build information ----
    /// `path` and `mod` of the build information.
    ModinfoPath,
    ModinfoMain,
    /// A version-control stamp (`vcs.revision`, `vcs.modified`, …, `-buildvcs`).
    Vcs(String),
    /// `-compiler`, `-gccgoflags`, `GOFIPS140` in the build information.
    Compiler,
    Gccgoflags,
    Fips140,
    /// A dependency's checksum in the build information (present on one side only).
    ModinfoDepSum(String),
    /// Another build setting, by its key.
    Modinfo(String),
    /// A line of the build information of another form.
    ModinfoLine,
    // ---- dependencies and order ----
    /// A dependency's output differs although its key does not (`absent`: it was built in
    /// neither log).
    Output {
        package: String,
        absent: bool,
    },
    /// A test binary whose link is in neither log.
    UnlinkedTestBinary,
    /// The same lines in another order.
    FieldOrder,
    // ---- tests ----
    /// Test caching off on one side (a non-cacheable flag).
    TestCaching,
    /// The cacheable test flags.
    TestFlags,
    /// `-exec`.
    Exec,
    /// A file a test read was modified too recently to cache the result.
    InputTooNew,
    /// A file a test read could not be keyed.
    InputRejected,
    /// An input a test read, by operation and name, and how it differs.
    TestInput {
        op: InputOp,
        name: String,
        change: InputChange,
    },
    /// Files a test read whose modification times are the same instant in another time zone.
    TimeZone,
    /// The GODEBUG a test read: since Go 1.23 every test's input.
    EnvGodebug,
}

/// Where a package directory lies, as the two sides' paths show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirKind {
    /// In the main module's checkout (or any other directory whymiss cannot place).
    Checkout,
    /// In the module cache (a `module@version` component): GOMODCACHE differs.
    ModuleCache,
    /// Under the main module's vendor/ on one side, in the module cache on the other.
    Vendor,
    /// In GOPATH mode, under `$GOPATH/src`.
    Gopath,
    /// On one side only: -trimpath on the other.
    OneSide,
}

/// What a test input's difference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputChange {
    /// An environment variable's value, or a file's size or mode.
    Value,
    /// An environment variable unset on one side, set on the other.
    Unset,
    /// Only a file's modification time.
    Mtime,
    /// The file exists (or is readable) on one side only.
    Missing,
    /// A directory's entries.
    Entries,
    /// Read on one side only.
    OneSide,
}

/// The setting that selects a file set's difference, inferred from the files' build
/// constraints and names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Selection {
    /// A user build tag (`-tags`).
    Tag(String),
    /// GOOS or GOARCH (the name of the one the constraints name).
    Target(String),
    /// cgo on or off.
    Cgo,
    /// A release tag (`go1.N`): the Go release.
    Release,
    /// A tag the go command sets from another setting (`goexperiment.X`, `amd64.v3`, `race`).
    Setting(String),
    /// Files without any constraint: the checkouts differ.
    Added,
    /// Files whose constraints whymiss could not read (not on this machine).
    Unread,
}

/// The C flag lists of a `CC=`, `CXX=` or `FC=` line, as cgo's environment names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CgoFlags {
    Cpp,
    C,
    Ld,
    Cxx,
    F,
}

impl CgoFlags {
    pub fn as_str(self) -> &'static str {
        match self {
            CgoFlags::Cpp => "CGO_CPPFLAGS",
            CgoFlags::C => "CGO_CFLAGS",
            CgoFlags::Ld => "CGO_LDFLAGS",
            CgoFlags::Cxx => "CGO_CXXFLAGS",
            CgoFlags::F => "CGO_FFLAGS",
        }
    }

    /// The lists of a compiler line after its executable, in order.
    pub fn of(lang: CLang) -> &'static [CgoFlags] {
        match lang {
            CLang::C => &[CgoFlags::Cpp, CgoFlags::C, CgoFlags::Ld],
            CLang::Cxx => &[CgoFlags::Cxx],
            CLang::Fortran => &[CgoFlags::F],
        }
    }
}

impl Class {
    /// The class of an input a test read (GODEBUG has its own: the observer effect).
    pub fn test_input(op: InputOp, name: &str, change: InputChange) -> Class {
        if op == InputOp::Env && name == "GODEBUG" {
            Class::EnvGodebug
        } else {
            Class::TestInput {
                op,
                name: name.to_string(),
                change,
            }
        }
    }

    /// The instrumentation flag the go command forces a compiler or linker flag for.
    pub fn sanitizer(flag: &str) -> Option<Class> {
        match flag {
            "-race" => Some(Class::Race),
            "-msan" => Some(Class::Msan),
            "-asan" => Some(Class::Asan),
            _ => None,
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Class::Toolchain => "toolchain",
            Class::Salt => "salt",
            Class::Tool(name) | Class::Field(name) | Class::ArchVar(name) => name,
            Class::DebugEnv(var) => var,
            Class::Dir(kind) => match kind {
                DirKind::Checkout | DirKind::OneSide => "dir",
                DirKind::ModuleCache => "dir (module cache)",
                DirKind::Vendor => "dir (vendor)",
                DirKind::Gopath => "dir (GOPATH)",
            },
            Class::Goroot => "GOROOT",
            Class::CFlagsPath(lang) => return write!(f, "{} flags", lang.as_str()),
            Class::TestInputPath => "test input path",
            Class::Trimpath => "-trimpath",
            Class::ModinfoTrimpath => "modinfo -trimpath",
            Class::OmitDebug => "omitdebug (go command)",
            Class::LocalImport => "omitdebug prefix (GOPATH local import)",
            Class::ModuleLine => "module",
            Class::Goos => "GOOS",
            Class::Goarch => "GOARCH",
            Class::Buildmode => "-buildmode",
            Class::Linkshared => "-linkshared",
            Class::NoArchVar => "architecture variable",
            Class::Gcflags => "-gcflags",
            Class::Asmflags => "-asmflags",
            Class::ForcedGcflags => "-gcflags (forced)",
            Class::ForcedAsmflags => "-asmflags (forced)",
            Class::Ldflags => "-ldflags",
            Class::ForcedLdflags => "-ldflags (forced)",
            Class::Tags => "-tags",
            Class::Pgo => "-pgo",
            Class::PgoOneSide => "PGO profile (default.pgo)",
            Class::PgoProfile => "PGO profile",
            Class::Race => "-race",
            Class::Msan => "-msan",
            Class::Asan => "-asan",
            Class::Cover => "-cover",
            Class::Covermode => "-covermode",
            Class::Coverpkg => "-coverpkg",
            Class::CgoEnabled => "CGO_ENABLED",
            Class::Cgo => "cgo",
            Class::CCompiler(lang) => lang.as_str(),
            Class::CCompilerId(lang) => return write!(f, "{} ID", lang.as_str()),
            Class::CCompilerIdError(lang) => return write!(f, "{} ID (error)", lang.as_str()),
            Class::CgoFlags(list) => list.as_str(),
            Class::Experiment => "GOEXPERIMENT",
            Class::DefaultGodebug => "defaultgodebug",
            Class::ModinfoDefaultGodebug => "DefaultGODEBUG",
            Class::Module(path) => return write!(f, "module {path}"),
            Class::File { package, name } => return write!(f, "file {package}/{name}"),
            Class::FileSet(package) => return write!(f, "files of {package}"),
            Class::FilesBy(selection) => {
                return match selection {
                    Selection::Tag(tag) => write!(f, "build tag {tag}"),
                    Selection::Target(var) => write!(f, "files by {var}"),
                    Selection::Cgo => f.write_str("files by cgo"),
                    Selection::Release => f.write_str("files by Go release"),
                    Selection::Setting(tag) => write!(f, "files by {tag}"),
                    Selection::Added => f.write_str("files in one checkout only"),
                    Selection::Unread => f.write_str("file sets"),
                };
            }
            Class::ModinfoPath => "modinfo path",
            Class::ModinfoMain => "modinfo mod",
            Class::Vcs(key) | Class::Modinfo(key) => return write!(f, "modinfo {key}"),
            Class::Compiler => "modinfo -compiler",
            Class::Gccgoflags => "modinfo -gccgoflags",
            Class::Fips140 => "GOFIPS140",
            Class::ModinfoDepSum(path) => return write!(f, "modinfo dep {path} (checksum)"),
            Class::ModinfoLine => "modinfo",
            Class::Output { package, absent } => {
                return if *absent {
                    write!(f, "output of {package} (not built in either log)")
                } else {
                    write!(f, "output of {package}")
                };
            }
            Class::UnlinkedTestBinary => "test binary (its link is not in the logs)",
            Class::FieldOrder => "field order",
            Class::TestCaching => "test caching",
            Class::TestFlags => "cacheable test flags",
            Class::Exec => "-exec",
            Class::InputTooNew => "input file too new",
            Class::InputRejected => "input file rejected",
            Class::TestInput { op, name, .. } => return write!(f, "{} {name}", op.as_str()),
            Class::TimeZone => "TZ (file times)",
            Class::EnvGodebug => "env GODEBUG",
        };
        f.write_str(s)
    }
}
