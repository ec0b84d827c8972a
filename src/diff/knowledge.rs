//! Which advice explains a cause. Every class of difference maps to the advice of the field it
//! comes from (the field tables hold the texts, `model::fields`), in one exhaustive `match`, so
//! no cause is explained by a text meant for another input. The texts of the few causes no
//! field carries (the order of lines, a test binary whose link is in no log) are here.

use super::class::{Class, DirKind, InputChange, Selection};
use crate::model::InputOp;
use crate::model::fields::{
    Advice, Compare, FieldSpec, UNKNOWN_LINE, buildinfo, compile, link, shared, test,
};

/// The same lines in another order.
pub const FIELD_ORDER: Advice = Advice::plain(
    &["W1"],
    "the two keys hold the same lines in another order, and Go hashes them in order; the go command writes them in a fixed order, so this points at a go command patched or newer than whymiss knows",
    "compare the two go commands (`go version -m $(go env GOROOT)/bin/go`) and report the logs to whymiss",
);

/// A test binary whose link is in neither log.
pub const UNLINKED_TEST_BINARY: Advice = Advice::plain(
    &["W2", "T01"],
    "the test binaries differ (the first level of the test cache's key), but their links are in neither log (they came from the cache), so whymiss cannot tell which input changed them",
    "capture both sides from an empty cache (GOCACHE=$(mktemp -d)), or with -a, so the test binaries' links are logged",
);

/// Advice that no one field carries.
pub const KEY_WIDE: &[Advice] = &[
    shared::RELEASE,
    shared::DEVEL_TOOL,
    FIELD_ORDER,
    UNLINKED_TEST_BINARY,
];

/// What the comparison found beyond a cause's class that decides its advice.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Found {
    /// Some compile on both sides has a `go` line (module mode), and none differs: the default
    /// GODEBUG settings did not come from the main module's go line.
    pub go_lines_equal: bool,
    /// A source file differs in the same action as the cause (for GODEBUG defaults: the main
    /// package's, which holds the //go:debug directives).
    pub source_beside: bool,
}

/// The advice that explains a cause of this class, read from `field` (the table entry the
/// difference was read from) where the class is the field's own.
pub(super) fn advice(class: &Class, field: Option<&'static FieldSpec>, found: &Found) -> Advice {
    let own = || field.and_then(|f| f.about.advice.first().copied());
    match class {
        Class::Toolchain | Class::Salt => shared::RELEASE,
        // A tool ID without a release version on both sides: gccgo's lines, -vettool and the
        // preprofile tool say what they are; the gc tools' lines are a development build.
        Class::Tool(_) => match field.map(|f| f.compare) {
            Some(Compare::Tool) => own().unwrap_or(shared::DEVEL_TOOL),
            _ => shared::DEVEL_TOOL,
        },
        Class::Field(_) => own().unwrap_or(UNKNOWN_LINE),
        Class::Dir(kind) => match kind {
            DirKind::Checkout => compile::DIR_CHECKOUT,
            DirKind::ModuleCache => compile::DIR_MODULE_CACHE,
            DirKind::Vendor => compile::DIR_VENDOR,
            DirKind::Gopath => compile::DIR_GOPATH,
            DirKind::OneSide => shared::TRIMPATH_ONE_SIDE,
        },
        Class::Goroot => link::GOROOT_MOVED,
        Class::CFlagsPath(_) => compile::C_FLAGS_SRCDIR,
        Class::TestInputPath => test::TEST_INPUT_MOVED,
        Class::Trimpath | Class::ModinfoTrimpath | Class::ModuleLine => shared::TRIMPATH_ONE_SIDE,
        Class::OmitDebug => shared::GO_COMMAND,
        Class::LocalImport => shared::LOCAL_IMPORT,
        Class::Goos => shared::GOOS,
        Class::Goarch => shared::GOARCH,
        Class::Buildmode => link::BUILDMODE,
        Class::Linkshared => buildinfo::LINKSHARED,
        Class::ArchVar(_) => shared::ARCH_LEVEL,
        Class::NoArchVar => shared::NO_ARCH_VAR,
        Class::Gcflags => compile::GCFLAGS,
        Class::Asmflags => compile::ASMFLAGS,
        Class::ForcedGcflags => compile::FORCED_GCFLAGS,
        Class::ForcedAsmflags => compile::FORCED_ASMFLAGS,
        Class::Ldflags => link::LDFLAGS,
        Class::ForcedLdflags => link::FORCED_LDFLAGS,
        Class::Tags => buildinfo::TAGS,
        Class::Pgo => buildinfo::PGO_PATH,
        Class::PgoOneSide => compile::PGO_ONE_SIDE,
        Class::PgoProfile => compile::PGO_CONTENT,
        Class::Race => compile::RACE,
        Class::Msan => compile::MSAN,
        Class::Asan => compile::ASAN,
        Class::Cover => compile::COVER,
        Class::Covermode => compile::COVERMODE,
        Class::Coverpkg => compile::COVERPKG,
        Class::CgoEnabled | Class::Cgo => compile::CGO_ENABLED,
        Class::CCompiler(_) => compile::C_COMMAND,
        Class::CCompilerId(_) => compile::C_IDENTITY,
        Class::CCompilerIdError(_) => compile::C_IDENTITY_ERROR,
        Class::CgoFlags(_) => compile::C_FLAGS,
        Class::Experiment => shared::EXPERIMENTS,
        Class::DebugEnv(_) => compile::DEBUG_VARIABLE,
        Class::DefaultGodebug | Class::ModinfoDefaultGodebug => {
            if found.source_beside {
                link::GODEBUG_DIRECTIVE
            } else if found.go_lines_equal {
                link::GODEBUG_WORKSPACE
            } else {
                link::GODEBUG_DEFAULTS
            }
        }
        Class::Module(_) => compile::MODULE_VERSION,
        Class::ModinfoDepSum(_) => buildinfo::DEPENDENCY_SUM,
        Class::File { name, .. } => source_advice(name),
        Class::FileSet(_) => compile::FILES_OTHER,
        Class::FilesBy(selection) => match selection {
            Selection::Tag(_) => compile::FILES_BY_TAG,
            // The target is always visible (every key has it): its cause explains the files.
            Selection::Target(var) if var == "GOOS" => shared::GOOS,
            Selection::Target(_) => shared::GOARCH,
            Selection::Cgo => compile::FILES_BY_CGO,
            // A release tag: the Go release differs (the toolchain's cause).
            Selection::Release => shared::RELEASE,
            Selection::Setting(_) => compile::FILES_BY_SETTING,
            Selection::Added => compile::FILES_ADDED,
            Selection::Unread => compile::FILES_UNREAD,
        },
        Class::ModinfoPath => buildinfo::MAIN_PATH,
        Class::ModinfoMain => buildinfo::MAIN_VERSION,
        Class::Vcs(_) => buildinfo::VCS_STAMP,
        Class::Compiler => buildinfo::COMPILER,
        Class::Gccgoflags => compile::GCCGO,
        Class::Fips140 => buildinfo::FIPS140,
        Class::Modinfo(_) => buildinfo::UNKNOWN_SETTING,
        Class::ModinfoLine => buildinfo::OTHER_LINE,
        Class::Output { absent: false, .. } => compile::NONDETERMINISTIC,
        Class::Output { absent: true, .. } => compile::NOT_BUILT,
        Class::UnlinkedTestBinary => UNLINKED_TEST_BINARY,
        Class::FieldOrder => FIELD_ORDER,
        Class::TestCaching => test::TEST_CACHING,
        Class::TestFlags => test::TEST_FLAGS,
        Class::Exec => test::TEST_EXEC,
        Class::InputTooNew => test::TEST_TOO_NEW,
        Class::InputRejected => test::TEST_REJECTED,
        Class::TestInput { op, name, change } => test_input_advice(*op, name, *change),
        Class::EnvGodebug => test::TEST_GODEBUG,
        Class::TimeZone => test::TEST_TIME_ZONE,
    }
}

/// A source file's content, by what kind of file it is.
fn source_advice(name: &str) -> Advice {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if name.ends_with("_test.go") {
        compile::SOURCE_TEST
    } else if ext == "go" {
        compile::SOURCE_GO
    } else if ext == "syso" {
        compile::SOURCE_SYSO
    } else if matches!(
        ext,
        "c" | "h"
            | "cc"
            | "cpp"
            | "cxx"
            | "hh"
            | "hpp"
            | "hxx"
            | "m"
            | "s"
            | "S"
            | "sx"
            | "f"
            | "F"
            | "for"
            | "f90"
            | "swig"
            | "swigcxx"
    ) {
        compile::SOURCE_C
    } else {
        compile::SOURCE_EMBED
    }
}

/// An input a test read: the variables that CI systems or the go command set have their own.
fn test_input_advice(op: InputOp, name: &str, change: InputChange) -> Advice {
    match op {
        InputOp::Env => match (name, change) {
            ("TMPDIR", _) => test::TEST_TMPDIR,
            ("GOTMPDIR", _) => test::TEST_GOTMPDIR,
            ("PWD", _) => test::TEST_PWD,
            ("HOME" | "USER" | "LOGNAME" | "XDG_CACHE_HOME" | "XDG_CONFIG_HOME", _) => {
                test::TEST_USER
            }
            (_, InputChange::Unset) => test::TEST_ENV_UNSET,
            (_, InputChange::OneSide) => test::TEST_ENV_ONE_SIDE,
            (
                _,
                InputChange::Value
                | InputChange::Mtime
                | InputChange::Missing
                | InputChange::Entries,
            ) => test::TEST_ENV,
        },
        InputOp::Open | InputOp::Stat | InputOp::Chdir => match change {
            InputChange::Mtime => test::TEST_MTIME,
            InputChange::Missing => test::TEST_FILE_MISSING,
            InputChange::Entries => test::TEST_DIR_ENTRIES,
            InputChange::OneSide => test::TEST_INPUT_ONE_SIDE,
            InputChange::Value | InputChange::Unset => test::TEST_FILE_CHANGED,
        },
    }
}

/// What `{}` stands for in a class's advice.
pub(super) fn subject(class: &Class) -> String {
    match class {
        Class::DebugEnv(name) | Class::ArchVar(name) | Class::Modinfo(name) => name.clone(),
        Class::TestInput { name, .. } => name.clone(),
        Class::CgoFlags(list) => list.as_str().to_string(),
        Class::CCompiler(lang) | Class::CCompilerId(lang) | Class::CCompilerIdError(lang) => {
            lang.as_str().to_string()
        }
        Class::FilesBy(Selection::Tag(t) | Selection::Target(t) | Selection::Setting(t)) => {
            t.clone()
        }
        _ => String::new(),
    }
}

/// Two values that are the same but for their numbers (`/ci/job-101` vs `/ci/job-102`, `1.0.0`
/// vs `1.0.1`): a counter, version or date that changes from build to build.
pub(super) fn differ_in_numbers_only(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    let shape = |s: &str| {
        let mut out = String::new();
        let mut in_digits = false;
        for c in s.chars() {
            if c.is_ascii_digit() {
                if !in_digits {
                    out.push('#');
                }
                in_digits = true;
            } else {
                out.push(c);
                in_digits = false;
            }
        }
        out
    };
    a != b && shape(a) == shape(b)
}

/// A value that looks like it changes per build: a long run of digits (times, build numbers),
/// a hex string of 7+ characters (commits) or an ISO date.
pub(super) fn looks_volatile(value: &str) -> bool {
    let mut digits = 0usize;
    let mut hex = 0usize;
    for c in value.chars() {
        digits = if c.is_ascii_digit() { digits + 1 } else { 0 };
        hex = if c.is_ascii_hexdigit() { hex + 1 } else { 0 };
        if digits >= 6 || (hex >= 7 && value.chars().any(|c| c.is_ascii_digit())) {
            return true;
        }
    }
    value.contains("T") && value.contains(':') && value.chars().filter(|c| *c == '-').count() >= 2
}

#[cfg(test)]
mod tests {
    use super::super::class::CgoFlags;
    use super::*;
    use crate::model::CLang;
    use crate::model::fields::{self, Facts};

    /// One class of each kind. The `match` has no catch-all: a new class does not compile
    /// until it is added here.
    fn samples() -> Vec<Class> {
        let all = vec![
            Class::Toolchain,
            Class::Salt,
            Class::Tool("vet".into()),
            Class::Field("go".into()),
            Class::Dir(DirKind::Checkout),
            Class::Dir(DirKind::ModuleCache),
            Class::Dir(DirKind::Vendor),
            Class::Dir(DirKind::Gopath),
            Class::Dir(DirKind::OneSide),
            Class::Goroot,
            Class::CFlagsPath(CLang::C),
            Class::TestInputPath,
            Class::Trimpath,
            Class::ModinfoTrimpath,
            Class::OmitDebug,
            Class::LocalImport,
            Class::ModuleLine,
            Class::Goos,
            Class::Goarch,
            Class::Buildmode,
            Class::Linkshared,
            Class::ArchVar("GOAMD64".into()),
            Class::NoArchVar,
            Class::Gcflags,
            Class::Asmflags,
            Class::ForcedGcflags,
            Class::ForcedAsmflags,
            Class::Ldflags,
            Class::ForcedLdflags,
            Class::Tags,
            Class::Pgo,
            Class::PgoOneSide,
            Class::PgoProfile,
            Class::Race,
            Class::Msan,
            Class::Asan,
            Class::Cover,
            Class::Covermode,
            Class::Coverpkg,
            Class::CgoEnabled,
            Class::Cgo,
            Class::CCompiler(CLang::C),
            Class::CCompilerId(CLang::C),
            Class::CCompilerIdError(CLang::C),
            Class::CgoFlags(CgoFlags::C),
            Class::Experiment,
            Class::DebugEnv("GOSSAFUNC".into()),
            Class::DefaultGodebug,
            Class::ModinfoDefaultGodebug,
            Class::Module("m".into()),
            Class::File {
                package: "p".into(),
                name: "p.go".into(),
            },
            Class::FileSet("p".into()),
            Class::FilesBy(Selection::Tag("t".into())),
            Class::FilesBy(Selection::Cgo),
            Class::FilesBy(Selection::Setting("race".into())),
            Class::FilesBy(Selection::Added),
            Class::FilesBy(Selection::Unread),
            Class::FilesBy(Selection::Release),
            Class::FilesBy(Selection::Target("GOOS".into())),
            Class::ModinfoPath,
            Class::ModinfoMain,
            Class::Vcs("vcs.revision".into()),
            Class::Compiler,
            Class::Gccgoflags,
            Class::Fips140,
            Class::ModinfoDepSum("m".into()),
            Class::Modinfo("X".into()),
            Class::ModinfoLine,
            Class::Output {
                package: "p".into(),
                absent: false,
            },
            Class::UnlinkedTestBinary,
            Class::FieldOrder,
            Class::TestCaching,
            Class::TestFlags,
            Class::Exec,
            Class::InputTooNew,
            Class::InputRejected,
            Class::TestInput {
                op: InputOp::Env,
                name: "TMPDIR".into(),
                change: InputChange::Value,
            },
            Class::EnvGodebug,
            Class::TimeZone,
        ];
        for c in &all {
            match c {
                Class::Toolchain
                | Class::Salt
                | Class::Tool(_)
                | Class::Field(_)
                | Class::Dir(_)
                | Class::Goroot
                | Class::CFlagsPath(_)
                | Class::TestInputPath
                | Class::Trimpath
                | Class::ModinfoTrimpath
                | Class::OmitDebug
                | Class::LocalImport
                | Class::ModuleLine
                | Class::Goos
                | Class::Goarch
                | Class::Buildmode
                | Class::Linkshared
                | Class::ArchVar(_)
                | Class::NoArchVar
                | Class::Gcflags
                | Class::Asmflags
                | Class::ForcedGcflags
                | Class::ForcedAsmflags
                | Class::Ldflags
                | Class::ForcedLdflags
                | Class::Tags
                | Class::Pgo
                | Class::PgoOneSide
                | Class::PgoProfile
                | Class::Race
                | Class::Msan
                | Class::Asan
                | Class::Cover
                | Class::Covermode
                | Class::Coverpkg
                | Class::CgoEnabled
                | Class::Cgo
                | Class::CCompiler(_)
                | Class::CCompilerId(_)
                | Class::CCompilerIdError(_)
                | Class::CgoFlags(_)
                | Class::Experiment
                | Class::DebugEnv(_)
                | Class::DefaultGodebug
                | Class::ModinfoDefaultGodebug
                | Class::Module(_)
                | Class::File { .. }
                | Class::FileSet(_)
                | Class::FilesBy(_)
                | Class::ModinfoPath
                | Class::ModinfoMain
                | Class::Vcs(_)
                | Class::Compiler
                | Class::Gccgoflags
                | Class::Fips140
                | Class::ModinfoDepSum(_)
                | Class::Modinfo(_)
                | Class::ModinfoLine
                | Class::Output { .. }
                | Class::UnlinkedTestBinary
                | Class::FieldOrder
                | Class::TestCaching
                | Class::TestFlags
                | Class::Exec
                | Class::InputTooNew
                | Class::InputRejected
                | Class::TestInput { .. }
                | Class::EnvGodebug
                | Class::TimeZone => {}
            }
        }
        all
    }

    /// Every class is explained by an advice a field holds (or one no field carries), and
    /// classes about different inputs never share one: no class falls back on another's text.
    #[test]
    fn every_class_maps_to_its_own_advice() {
        let held: Vec<Advice> = fields::tables()
            .iter()
            .flat_map(|(_, t)| t.iter().flat_map(|s| s.about.advice.iter().copied()))
            .chain(KEY_WIDE.iter().copied())
            .collect();
        let vet = fields::vet::VET.first();
        let go = fields::COMPILE.iter().find(|s| s.name == "go");
        let found = Found::default();
        let mut seen: Vec<(Advice, &Class)> = Vec::new();
        let samples = samples();
        for class in &samples {
            let field = match class {
                Class::Tool(_) => vet,
                Class::Field(_) => go,
                _ => None,
            };
            let a = advice(class, field, &found);
            assert!(
                held.contains(&a),
                "{class:?}: {:?} is held by no field",
                a.rows
            );
            seen.push((a, class));
        }
        // Classes that are the same input seen in two lines share their advice; no others do.
        let same_input = [
            (Class::Toolchain, Class::Salt),
            (Class::Trimpath, Class::ModinfoTrimpath),
            (Class::Trimpath, Class::ModuleLine),
            (Class::ModinfoTrimpath, Class::ModuleLine),
            (Class::Trimpath, Class::Dir(DirKind::OneSide)),
            (Class::ModinfoTrimpath, Class::Dir(DirKind::OneSide)),
            (Class::ModuleLine, Class::Dir(DirKind::OneSide)),
            (Class::CgoEnabled, Class::Cgo),
            (Class::DefaultGodebug, Class::ModinfoDefaultGodebug),
            (Class::Toolchain, Class::FilesBy(Selection::Release)),
            (Class::Salt, Class::FilesBy(Selection::Release)),
            (
                Class::Goos,
                Class::FilesBy(Selection::Target("GOOS".into())),
            ),
        ];
        for (i, (a, x)) in seen.iter().enumerate() {
            for (b, y) in &seen[i + 1..] {
                if a == b {
                    let pair = |p: &(Class, Class)| {
                        (&p.0 == *x && &p.1 == *y) || (&p.0 == *y && &p.1 == *x)
                    };
                    assert!(
                        same_input.iter().any(pair),
                        "{x:?} and {y:?} share the advice {:?}",
                        a.rows
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_only() {
        assert!(differ_in_numbers_only(
            Some("-trimpath=/ci/job-101"),
            Some("-trimpath=/ci/job-102")
        ));
        assert!(!differ_in_numbers_only(Some("-N"), Some("-l")));
        assert!(!differ_in_numbers_only(Some("a1"), None));
    }

    #[test]
    fn volatile_values() {
        assert!(looks_volatile("-X=main.build=20261121"));
        assert!(looks_volatile("-X main.commit=eed2f5df0059"));
        assert!(!looks_volatile("-X=main.v=1"));
        assert!(!looks_volatile("-N -l"));
    }

    #[test]
    fn goroot_wording_follows_version() {
        let a = advice(&Class::Goroot, None, &Found::default());
        let old = Facts {
            go_minor: Some(21),
            ..Facts::default()
        };
        assert!(a.why(&old, "").contains("GOROOT_FINAL"));
        assert!(a.fix(&old, "").contains("GOROOT_FINAL"));
        assert!(!a.why(&Facts::default(), "").contains("GOROOT_FINAL"));
    }

    #[test]
    fn source_files_by_kind() {
        let file = |name: &str| Class::File {
            package: "p".into(),
            name: name.into(),
        };
        let found = Found::default();
        assert_eq!(advice(&file("a.go"), None, &found), compile::SOURCE_GO);
        assert_eq!(
            advice(&file("a_test.go"), None, &found),
            compile::SOURCE_TEST
        );
        assert_eq!(advice(&file("a.h"), None, &found), compile::SOURCE_C);
        assert_eq!(
            advice(&file("add_amd64.s"), None, &found),
            compile::SOURCE_C
        );
        assert_eq!(
            advice(&file("rsrc.syso"), None, &found),
            compile::SOURCE_SYSO
        );
        assert_eq!(
            advice(&file("static/app.js"), None, &found),
            compile::SOURCE_EMBED
        );
    }

    #[test]
    fn subjects_fill_the_texts() {
        let class = Class::CgoFlags(super::super::class::CgoFlags::C);
        let a = advice(&class, None, &Found::default());
        assert!(
            a.fix(&Facts::default(), &subject(&class))
                .starts_with("leave CGO_CFLAGS unset")
        );
        let class = Class::CCompilerIdError(CLang::C);
        assert_eq!(subject(&class), "CC");
    }
}
