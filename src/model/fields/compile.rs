//! The fields of a compile key, in the order `(*Builder).buildActionID`
//! (`cmd/go/internal/work/exec.go`) writes them.

use super::shared;
use super::spec::{About, Compare, Cut, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin::*, Portability::*};
use crate::model::{CLang, Category, FileInput, Input, Text};

/// The fields of `HASH[build <importpath>]`.
pub static COMPILE: &[FieldSpec] = &[
    FieldSpec {
        name: "compile",
        matching: Match::Line("compile"),
        order: Order::Once(10),
        required: true,
        grammar: |_| Some(Input::CompileAction),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new("marks a compile action", GoCommand, Portable),
    },
    FieldSpec {
        name: "dir",
        matching: Match::Prefix("dir "),
        order: Order::Once(20),
        required: false,
        grammar: |r| Some(Input::Dir(r.rest())),
        key: Key::Name,
        category: Category::AbsolutePath,
        compare: Compare::Dir,
        explain: Explain::Plain,
        about: About::new(
            "absolute package directory; in the key because -trimpath is off; differs on every machine with another checkout path",
            Location,
            MachineSpecific,
        )
        .knob("-trimpath (or the same checkout path everywhere)")
        .overview("dir (package directory)"),
    },
    FieldSpec {
        name: "module",
        matching: Match::Prefix("module "),
        order: Order::Once(20),
        required: false,
        grammar: |r| {
            let path = r.before_last("@")?;
            Some(Input::Module {
                path,
                version: r.rest(),
            })
        },
        key: Key::Name,
        category: Category::DependencyVersion,
        compare: Compare::Module,
        explain: Explain::Plain,
        about: About::new(
            "module path and version, recorded instead of the directory because -trimpath is on",
            GoMod,
            Portable,
        )
        .knob("the module's version in go.mod"),
    },
    FieldSpec {
        name: "go",
        matching: Match::Prefix("go "),
        order: Order::Once(30),
        required: false,
        grammar: |r| Some(Input::GoDirective(r.rest())),
        key: Key::Name,
        category: Category::GoVersion,
        compare: Compare::Value,
        explain: Explain::Plain,
        about: About::new(
            "the `go` line of the package's go.mod: language version and GODEBUG defaults",
            GoMod,
            Portable,
        )
        .knob("the go directive in go.mod"),
    },
    FieldSpec {
        order: Order::Once(40),
        required: true,
        ..shared::TARGET
    },
    FieldSpec {
        order: Order::Once(50),
        required: true,
        ..shared::IMPORT_PATH
    },
    FieldSpec {
        order: Order::Once(60),
        required: true,
        ..shared::OMITDEBUG
    },
    FieldSpec {
        order: Order::Once(70),
        ..shared::TRIMPATH
    },
    FieldSpec {
        name: "forcelibrary",
        matching: Match::Line("forcelibrary"),
        order: Order::Once(80),
        required: false,
        grammar: |_| Some(Input::ForceLibrary),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::Line,
        explain: Explain::Plain,
        about: About::new(
            "compiled as a library (a package under go test)",
            GoCommand,
            Portable,
        ),
    },
    FieldSpec {
        name: "cgo",
        matching: Match::Prefix("cgo "),
        order: Order::Once(90),
        required: false,
        grammar: |r| Some(Input::CgoTool(r.quoted()?)),
        key: Key::Name,
        category: Category::Cgo,
        compare: Compare::CgoTool,
        explain: Explain::Plain,
        about: About::new(
            "version of the cgo tool (the package has cgo files)",
            Toolchain,
            HostDependent,
        )
        .knob("the Go release")
        .overview("toolchain version"),
    },
    FieldSpec {
        name: "CC",
        matching: Match::Prefix("CC="),
        order: Order::Once(100),
        // `CC=[exe] [cppflags] [cflags] [ldflags]`
        grammar: |r| c_compiler(CLang::C, r.lists()?, 4),
        about: C_COMPILER.about.overview("CC flags"),
        ..C_COMPILER
    },
    FieldSpec {
        name: "CC ID",
        matching: Match::Prefix("CC ID"),
        order: Order::Once(110),
        grammar: |r| c_compiler_id(CLang::C, r),
        about: C_COMPILER_ID.about.overview("CC ID (C compiler identity)"),
        ..C_COMPILER_ID
    },
    FieldSpec {
        name: "CXX",
        matching: Match::Prefix("CXX="),
        order: Order::Once(120),
        // `CXX=[exe] [cxxflags]`
        grammar: |r| c_compiler(CLang::Cxx, r.lists()?, 2),
        about: C_COMPILER.about.overview("CXX flags"),
        ..C_COMPILER
    },
    FieldSpec {
        name: "CXX ID",
        matching: Match::Prefix("CXX ID"),
        order: Order::Once(130),
        grammar: |r| c_compiler_id(CLang::Cxx, r),
        about: C_COMPILER_ID.about.overview("CXX ID (C compiler identity)"),
        ..C_COMPILER_ID
    },
    FieldSpec {
        name: "FC",
        matching: Match::Prefix("FC="),
        order: Order::Once(140),
        // `FC=[exe] [fflags]`
        grammar: |r| c_compiler(CLang::Fortran, r.lists()?, 2),
        about: C_COMPILER.about.overview("FC flags"),
        ..C_COMPILER
    },
    FieldSpec {
        name: "FC ID",
        matching: Match::Prefix("FC ID"),
        order: Order::Once(150),
        grammar: |r| c_compiler_id(CLang::Fortran, r),
        about: C_COMPILER_ID.about.overview("FC ID (C compiler identity)"),
        ..C_COMPILER_ID
    },
    FieldSpec {
        name: "cover",
        matching: Match::Prefix("cover "),
        order: Order::Once(160),
        required: false,
        grammar: |r| {
            let mode = r.quoted()?;
            r.tag(" ")?;
            Some(Input::Cover {
                mode,
                tool: r.quoted()?,
            })
        },
        key: Key::Name,
        category: Category::Instrumentation,
        compare: Compare::Cover,
        explain: Explain::Plain,
        about: About::new(
            "coverage instrumentation mode and cover tool version",
            Flag,
            Portable,
        )
        .knob("-cover, -covermode, -coverpkg"),
    },
    FieldSpec {
        name: "fuzz",
        matching: Match::Prefix("fuzz "),
        order: Order::Once(170),
        required: false,
        grammar: |r| Some(Input::Fuzz(r.list()?)),
        key: Key::Name,
        category: Category::Instrumentation,
        compare: Compare::Value,
        explain: Explain::Plain,
        about: About::new("fuzzing instrumentation", Flag, Portable).knob("go test -fuzz"),
    },
    FieldSpec {
        name: "modinfo",
        matching: Match::Prefix("modinfo "),
        order: Order::Once(180),
        required: false,
        grammar: |r| Some(Input::ModInfo(r.build_info()?)),
        key: Key::Name,
        category: Category::Other,
        compare: Compare::ModInfo,
        explain: Explain::ModInfo(
            About::new("build information stamped into the main package", Vcs, MachineSpecific)
                .knob("-buildvcs=false, or the same commit and a clean tree"),
        ),
        about: About::new(
            "build information stamped into the main package",
            Flag,
            Portable,
        )
        .knob("the build flags and go.mod")
        .overview("modinfo (VCS stamp)"),
    },
    FieldSpec {
        name: "compile tool",
        matching: Match::Prefix("compile "),
        order: Order::Once(190),
        required: true,
        // gc: `compile <tool id> [forced gcflags] [gcflags]`; gccgo has the same shape.
        grammar: |r| {
            let (tool, mut lists) = r.tool_and_lists(2)?;
            let flags = lists.pop()?;
            Some(Input::CompileTool {
                tool,
                forced: lists.pop()?,
                flags,
            })
        },
        key: Key::Name,
        category: Category::Toolchain,
        compare: Compare::ToolFlags,
        explain: Explain::CompileTool,
        about: About::new("compiler version", Toolchain, HostDependent)
            .knob("the Go release; -gcflags")
            .overview("toolchain version"),
    },
    FieldSpec {
        name: "pkgpath",
        matching: Match::Prefix("pkgpath "),
        order: Order::Once(200),
        grammar: |r| Some(Input::GccgoPkgPath(r.rest())),
        ..GCCGO
    },
    FieldSpec {
        name: "ar",
        matching: Match::Prefix("ar "),
        order: Order::Once(210),
        grammar: |r| Some(Input::GccgoAr(r.quoted()?)),
        ..GCCGO
    },
    FieldSpec {
        name: "asm",
        matching: Match::Prefix("asm "),
        order: Order::Once(220),
        required: false,
        // gc: `asm "<tool id>" [forced asmflags] [asmflags]`, right after the compile tool.
        grammar: |r| {
            let tool = r.quoted()?;
            r.tag(" ")?;
            let mut lists = r.lists()?;
            (lists.len() == 2).then_some(())?;
            let flags = lists.pop()?;
            Some(Input::AsmTool {
                tool,
                forced: lists.pop()?,
                flags,
            })
        },
        key: Key::Name,
        category: Category::Toolchain,
        compare: Compare::ToolFlags,
        explain: Explain::Plain,
        about: About::new(
            "assembler version and -asmflags (the package has .s files)",
            Toolchain,
            HostDependent,
        )
        .knob("the Go release; -asmflags")
        .overview("toolchain version"),
    },
    FieldSpec {
        name: "asm",
        // gccgo: `asm "<tool id>"`.
        matching: Match::Prefix("asm "),
        order: Order::Once(220),
        grammar: |r| Some(Input::GccgoAsm(r.quoted()?)),
        ..GCCGO
    },
    FieldSpec {
        order: Order::Once(230),
        ..shared::ARCH_ENV
    },
    FieldSpec {
        order: Order::Once(240),
        ..shared::EXPERIMENT
    },
    FieldSpec {
        name: "magic",
        matching: Match::Prefix("magic "),
        order: Order::Repeated(250),
        required: false,
        grammar: |r| {
            let key = r.before("=")?;
            Some(Input::Magic {
                key,
                value: r.rest(),
            })
        },
        key: Key::Named(Cut::First('=')),
        category: Category::DebugEnv,
        compare: Compare::Magic,
        explain: Explain::Plain,
        about: About::new(
            "compiler debug variable {}, read from the environment",
            Environment,
            Portable,
        )
        .knob("unset {}"),
    },
    FieldSpec {
        name: "file",
        matching: Match::Prefix("file "),
        order: Order::Repeated(260),
        required: true,
        grammar: |r| {
            let name = r.before_last(" ")?;
            Some(Input::File(FileInput {
                name,
                id: r.rest(),
                path: None,
                hash: None,
            }))
        },
        key: Key::Named(Cut::Last(' ')),
        category: Category::Source,
        compare: Compare::File,
        explain: Explain::File,
        about: About::new(
            "content hash of {} (its content, not its path or time)",
            FileSystem,
            Portable,
        )
        .knob("the file's bytes"),
    },
    FieldSpec {
        name: "import",
        matching: Match::Prefix("import "),
        order: Order::Repeated(270),
        required: false,
        // `import <path> <content id>`; the content ID is empty for `unsafe`.
        grammar: |r| {
            let path = r.before_last(" ")?;
            Some(Input::Import {
                path,
                content_id: r.rest(),
            })
        },
        key: Key::Named(Cut::Last(' ')),
        category: Category::Nondeterministic,
        compare: Compare::Dependency,
        explain: Explain::Dependency,
        about: About::new(
            "dependency {}: only the content of its compiled output counts, not its key",
            Dependency,
            Portable,
        ),
    },
    FieldSpec {
        name: "pgofile",
        matching: Match::Prefix("pgofile "),
        order: Order::Repeated(270),
        required: false,
        grammar: |r| Some(Input::PgoFile(r.rest())),
        key: Key::Name,
        category: Category::Source,
        compare: Compare::Profile,
        explain: Explain::Plain,
        about: About::new("content of the PGO profile", FileSystem, Portable)
            .knob("-pgo, default.pgo"),
    },
];

/// `CC=`, `CXX=`, `FC=`: the compiler command and its flag lists.
const C_COMPILER: FieldSpec = FieldSpec {
    name: "CC",
    matching: Match::Prefix("CC="),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::Cgo,
    compare: Compare::CCompiler,
    explain: Explain::UnlessAbsolutePath(
        About::new(
            "C compiler and its flags (CGO_CPPFLAGS, CGO_CFLAGS, CGO_LDFLAGS and #cgo directives); holds an absolute path (cgo expands ${SRCDIR}), which -trimpath does not remove",
            Environment,
            MachineSpecific,
        )
        .knob("#cgo directives without ${SRCDIR}, or the same checkout path"),
    ),
    about: About::new(
        "C compiler and its flags (CGO_CPPFLAGS, CGO_CFLAGS, CGO_LDFLAGS and #cgo directives)",
        Environment,
        HostDependent,
    )
    .knob("CC, CGO_CFLAGS and friends"),
};

/// `CC ID="<version line>"`, or `CC ID ERROR="<error>"` (1.25+), and the CXX and FC forms.
const C_COMPILER_ID: FieldSpec = FieldSpec {
    name: "CC ID",
    matching: Match::Prefix("CC ID"),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::Cgo,
    compare: Compare::CCompilerId,
    explain: Explain::UnlessError(
        "the C compiler could not be identified; the error text is hashed",
    ),
    about: About::new(
        "identity of the C compiler (its version line): an upgrade rebuilds cgo packages",
        CCompiler,
        HostDependent,
    )
    .knob("the installed C compiler (CC)"),
};

/// gccgo's own lines (`pkgpath`, `ar`, `asm`).
const GCCGO: FieldSpec = FieldSpec {
    name: "pkgpath",
    matching: Match::Prefix("pkgpath "),
    order: Order::Any,
    required: false,
    grammar: |_| None,
    key: Key::Name,
    category: Category::Toolchain,
    compare: Compare::Tool,
    explain: Explain::Plain,
    about: About::new("gccgo toolchain setting", Toolchain, HostDependent).knob("-compiler=gccgo"),
};

/// `<exe list> <flag lists…>` with `n` lists in all.
fn c_compiler(lang: CLang, mut lists: Vec<Vec<Text<'_>>>, n: usize) -> Option<Input<'_>> {
    (lists.len() == n).then_some(())?;
    let exe = lists.remove(0);
    Some(Input::CCompiler {
        lang,
        exe,
        flags: lists,
    })
}

/// `("=" | " ERROR=") Q` after `CC ID`.
fn c_compiler_id<'a>(lang: CLang, r: &mut dyn super::grammar::Reader<'a>) -> Option<Input<'a>> {
    let error = if r.tag(" ERROR=").is_some() {
        true
    } else {
        r.tag("=")?;
        false
    };
    Some(Input::CCompilerId {
        lang,
        id: r.quoted()?,
        error,
    })
}
