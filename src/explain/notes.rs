//! What each key input is, where Go takes it from, whether it differs between machines, and
//! which knob changes it: the knowledge behind `whymiss explain`.

use serde::Serialize;

use crate::model::{Input, InputDetail, InputOp, TestInput};

/// Where the go command takes an input from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The go command itself (the kind of action, the package's identity).
    GoCommand,
    /// The installed Go toolchain (versions of go, compile, link, asm, cgo, vet).
    Toolchain,
    /// A build flag (`-trimpath`, `-gcflags`, `-ldflags`, `-cover`, …).
    Flag,
    /// An environment variable or `go env` setting (GOOS, GOAMD64, CGO_CFLAGS, …).
    Environment,
    /// go.mod (the `go` line, `godebug` lines, module versions).
    GoMod,
    /// Files: their content, or for test inputs their size and modification time.
    FileSystem,
    /// The package's location on disk.
    Location,
    /// The C toolchain installed on the machine.
    CCompiler,
    /// A dependency's compiled output.
    Dependency,
    /// Version control (git) state of the checkout.
    Vcs,
    /// Something a test read while it ran.
    TestRun,
    /// whymiss does not know this line.
    Unknown,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::GoCommand => "go command",
            Origin::Toolchain => "toolchain",
            Origin::Flag => "flag",
            Origin::Environment => "environment",
            Origin::GoMod => "go.mod",
            Origin::FileSystem => "file content",
            Origin::Location => "location on disk",
            Origin::CCompiler => "C compiler",
            Origin::Dependency => "dependency",
            Origin::Vcs => "version control",
            Origin::TestRun => "test run",
            Origin::Unknown => "unknown",
        }
    }
}

/// How an input behaves across machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Portability {
    /// The same wherever the same sources are built the same way.
    Portable,
    /// Defaults come from the machine (installed toolchain, C compiler, host architecture):
    /// equal on identical images, different across machines set up differently.
    HostDependent,
    /// Differs on every machine with another checkout path, installation path or clock.
    MachineSpecific,
}

impl Portability {
    pub fn as_str(self) -> &'static str {
        match self {
            Portability::Portable => "portable",
            Portability::HostDependent => "host-dependent",
            Portability::MachineSpecific => "machine-specific",
        }
    }
}

/// The annotation of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What it is, in a few words.
    pub what: String,
    pub origin: Origin,
    pub portability: Portability,
    /// What changes it.
    pub knob: Option<String>,
    /// For dependency references: the import path.
    pub dependency: Option<String>,
}

fn note(
    what: impl Into<String>,
    origin: Origin,
    portability: Portability,
    knob: Option<&str>,
) -> Note {
    Note {
        what: what.into(),
        origin,
        portability,
        knob: knob.map(str::to_string),
        dependency: None,
    }
}

/// Whether a flag list holds an absolute path (`-I/x`, `/x`), as cgo `${SRCDIR}` expands to.
fn has_absolute_path(list: &[crate::model::Text<'_>]) -> bool {
    list.iter().any(|t| {
        t.find('/')
            .is_some_and(|i| i == 0 || (t.starts_with('-') && !t[..i].contains('=')))
    })
}

/// Annotates one key input.
pub fn annotate(input: &Input<'_>) -> Note {
    use Origin::*;
    use Portability::*;
    match input {
        Input::CompileAction => note("marks a compile action", GoCommand, Portable, None),
        Input::LinkAction => note("marks a link action", GoCommand, Portable, None),
        Input::LinkSharedAction => note("marks a shared-library link", GoCommand, Portable, None),
        Input::Dir(_) => note(
            "absolute package directory; in the key because -trimpath is off; differs on every machine with another checkout path",
            Location,
            MachineSpecific,
            Some("-trimpath (or the same checkout path everywhere)"),
        ),
        Input::Module { .. } => note(
            "module path and version, recorded instead of the directory because -trimpath is on",
            GoMod,
            Portable,
            Some("the module's version in go.mod"),
        ),
        Input::GoDirective(_) => note(
            "the `go` line of the package's go.mod: language version and GODEBUG defaults",
            GoMod,
            Portable,
            Some("the go directive in go.mod"),
        ),
        Input::Target { .. } => note(
            "target operating system and architecture (default: the host's)",
            Environment,
            HostDependent,
            Some("GOOS, GOARCH"),
        ),
        Input::LinkTarget { .. } => note(
            "build mode and target (default: the host's OS and architecture)",
            Environment,
            HostDependent,
            Some("-buildmode, GOOS, GOARCH"),
        ),
        Input::ImportPath(_) => note("the package's import path", GoCommand, Portable, None),
        Input::OmitDebug { .. } => note(
            "whether debug information is omitted, whether the package is in the standard library, and GOPATH-mode relative imports",
            GoCommand,
            Portable,
            None,
        ),
        Input::Trimpath => note(
            "-trimpath is on: paths are not recorded",
            Flag,
            Portable,
            Some("-trimpath"),
        ),
        Input::ForceLibrary => note(
            "compiled as a library (a package under go test)",
            GoCommand,
            Portable,
            None,
        ),
        Input::CgoTool(_) => note(
            "version of the cgo tool (the package has cgo files)",
            Toolchain,
            HostDependent,
            Some("the Go release"),
        ),
        Input::CCompiler { flags, .. } => {
            let abs = flags.iter().any(|l| has_absolute_path(l));
            if abs {
                note(
                    "C compiler and its flags (CGO_CPPFLAGS, CGO_CFLAGS, CGO_LDFLAGS and #cgo directives); holds an absolute path (cgo expands ${SRCDIR}), which -trimpath does not remove",
                    Environment,
                    MachineSpecific,
                    Some("#cgo directives without ${SRCDIR}, or the same checkout path"),
                )
            } else {
                note(
                    "C compiler and its flags (CGO_CPPFLAGS, CGO_CFLAGS, CGO_LDFLAGS and #cgo directives)",
                    Environment,
                    HostDependent,
                    Some("CC, CGO_CFLAGS and friends"),
                )
            }
        }
        Input::CCompilerId { error, .. } => note(
            if *error {
                "the C compiler could not be identified; the error text is hashed"
            } else {
                "identity of the C compiler (its version line): an upgrade rebuilds cgo packages"
            },
            CCompiler,
            HostDependent,
            Some("the installed C compiler (CC)"),
        ),
        Input::Cover { .. } => note(
            "coverage instrumentation mode and cover tool version",
            Flag,
            Portable,
            Some("-cover, -covermode, -coverpkg"),
        ),
        Input::Fuzz(_) => note(
            "fuzzing instrumentation",
            Flag,
            Portable,
            Some("go test -fuzz"),
        ),
        Input::ModInfo(m) => {
            let vcs = m.settings.iter().any(|(k, _)| k.starts_with("vcs"));
            let what = format!(
                "build information stamped into the main package: {} module(s), {} build setting(s){}",
                usize::from(m.main.is_some()) + m.deps.len(),
                m.settings.len(),
                if vcs {
                    ", including the VCS revision and modified flag"
                } else {
                    ""
                }
            );
            note(
                what,
                if vcs { Vcs } else { Flag },
                if vcs { MachineSpecific } else { Portable },
                Some(if vcs {
                    "-buildvcs=false, or the same commit and a clean tree"
                } else {
                    "the build flags and go.mod"
                }),
            )
        }
        Input::CompileTool { flags, forced, .. } => note(
            format!(
                "compiler version{}{}",
                if forced.is_empty() {
                    ""
                } else {
                    ", flags forced by the build mode or instrumentation"
                },
                if flags.is_empty() {
                    ""
                } else {
                    ", and this package's -gcflags"
                }
            ),
            Toolchain,
            HostDependent,
            Some("the Go release; -gcflags"),
        ),
        Input::AsmTool { .. } => note(
            "assembler version and -asmflags (the package has .s files)",
            Toolchain,
            HostDependent,
            Some("the Go release; -asmflags"),
        ),
        Input::GccgoPkgPath(_) | Input::GccgoAr(_) | Input::GccgoAsm(_) => note(
            "gccgo toolchain setting",
            Toolchain,
            HostDependent,
            Some("-compiler=gccgo"),
        ),
        Input::ArchEnv { key, .. } if key.is_empty() => note(
            "architecture variable (none for this architecture)",
            Environment,
            Portable,
            None,
        ),
        Input::ArchEnv { key, .. } => note(
            format!("architecture level ({key}): which instructions the compiler may use"),
            Environment,
            Portable,
            Some(key.as_ref()),
        ),
        Input::Experiment(_) => note(
            "non-default GOEXPERIMENT settings",
            Environment,
            Portable,
            Some("GOEXPERIMENT"),
        ),
        Input::Magic { key, .. } => Note {
            knob: Some(format!("unset {key}")),
            ..note(
                format!("compiler debug variable {key}, read from the environment"),
                Environment,
                Portable,
                None,
            )
        },
        Input::File(f) => note(
            match &f.path {
                Some(p) => format!("content hash of {p} (its content, not its path or time)"),
                None => format!(
                    "content hash of {} (its content, not its path or time)",
                    f.name
                ),
            },
            FileSystem,
            Portable,
            Some("the file's bytes"),
        ),
        Input::PgoFile(_) | Input::PgoInput(_) => note(
            "content of the PGO profile",
            FileSystem,
            Portable,
            Some("-pgo, default.pgo"),
        ),
        Input::Import { path, .. } => Note {
            dependency: Some(path.to_string()),
            ..note(
                format!(
                    "dependency {path}: only the content of its compiled output counts, not its key"
                ),
                Dependency,
                Portable,
                None,
            )
        },
        Input::DefaultGodebug(_) => note(
            "default GODEBUG settings (from the go.mod go line, godebug lines, //go:debug directives and the toolchain)",
            GoMod,
            Portable,
            Some("go.mod go/godebug lines, //go:debug"),
        ),
        Input::LinkTool { .. } => note(
            "linker version, forced linker flags and link mode",
            Toolchain,
            HostDependent,
            Some("the Go release"),
        ),
        Input::LinkFlags(_) => note(
            "-ldflags (including -X values)",
            Flag,
            Portable,
            Some("-ldflags"),
        ),
        Input::Goroot(g) if g.is_empty() || g == "$GOROOT" => note(
            "GOROOT, hidden by -trimpath",
            Flag,
            Portable,
            Some("-trimpath"),
        ),
        Input::Goroot(_) => note(
            "absolute GOROOT path recorded by the linker; differs when Go is installed elsewhere",
            Location,
            MachineSpecific,
            Some("-trimpath, or the same Go installation path"),
        ),
        Input::ExtLinkEnabled(_) => note(
            "GO_EXTLINK_ENABLED (external linking)",
            Environment,
            Portable,
            Some("GO_EXTLINK_ENABLED"),
        ),
        Input::PackageFile { path, .. }
        | Input::PackageShlib { path, .. }
        | Input::Top { path, .. } => Note {
            dependency: Some(path.to_string()),
            ..note(
                format!("linked package {path}: only the content of its compiled output counts"),
                Dependency,
                Portable,
                None,
            )
        },
        Input::PackageMain { .. } => note(
            "the main package's full build ID (its action ID too): the link reruns whenever the main package's key changes, even if its output does not",
            Dependency,
            Portable,
            None,
        ),
        Input::VetTool(_) => note(
            "vet tool version (or -vettool path)",
            Toolchain,
            HostDependent,
            Some("the Go release, -vettool"),
        ),
        Input::VetxOnly(_) => note(
            "whether vet only computes facts for dependents",
            GoCommand,
            Portable,
            None,
        ),
        Input::VetFlags(_) => note("vet flags", Flag, Portable, Some("go vet flags")),
        Input::VetPkg(_) => note(
            "the action ID of the package's compile",
            Dependency,
            Portable,
            None,
        ),
        Input::VetOut { path, .. } => Note {
            dependency: Some(path.to_string()),
            ..note(
                format!("vet facts of dependency {path} (their content)"),
                Dependency,
                Portable,
                None,
            )
        },
        Input::PgoAction => note("marks PGO profile preprocessing", GoCommand, Portable, None),
        Input::PreprofileTool(_) => note(
            "preprofile tool version",
            Toolchain,
            HostDependent,
            Some("the Go release"),
        ),
        Input::TestBinary { .. } => note(
            "the test binary (its link's action ID) and the cacheable test flags",
            GoCommand,
            Portable,
            Some("anything that changes the test binary; -run, -short, -v, -timeout, …"),
        ),
        Input::TestEnv { name, .. } => note(
            format!("environment variable {name}, read by the test: its value is hashed"),
            TestRun,
            HostDependent,
            Some(name.as_ref()),
        ),
        Input::TestChdir { path, .. }
        | Input::TestStat { path, .. }
        | Input::TestOpen { path, .. } => note(
            format!(
                "{path}, used by the test: its size, mode and modification time are hashed (mtimes differ after every fresh checkout)"
            ),
            TestRun,
            MachineSpecific,
            Some("the file, and its modification time"),
        ),
        Input::EnvUnset | Input::EnvValue(_) => note(
            "value of an environment variable",
            TestRun,
            HostDependent,
            None,
        ),
        Input::Stat(_) | Input::DirEntry { .. } | Input::StatError(_) => note(
            "size, mode and modification time of a file",
            TestRun,
            MachineSpecific,
            None,
        ),
        Input::CoverMetaDep(_) => note(
            "a covered package's build action ID (-coverpkg)",
            Dependency,
            Portable,
            None,
        ),
        Input::TestmainAction | Input::TestmainSource(_) => note(
            "generated test main (go list -test)",
            GoCommand,
            Portable,
            None,
        ),
        Input::GccLookup(_) | Input::GccIdentity { .. } => note(
            "C compiler identity probe",
            CCompiler,
            HostDependent,
            Some("CC"),
        ),
        Input::Unknown(_) => note(
            "a line this version of whymiss does not know (a newer Go?): it is part of the key all the same",
            Unknown,
            Portable,
            None,
        ),
    }
}

/// Annotates a run-time input of a test (from the test-result cache).
pub fn annotate_test_input(input: &TestInput) -> Note {
    let detail = match &input.detail {
        InputDetail::Unset => " (unset)".to_string(),
        InputDetail::Value(v) => format!(" (= {v:?})"),
        InputDetail::Stat(s) => format!(" ({} bytes, modified {})", s.size, s.mtime),
        InputDetail::Dir { entries, .. } => format!(" (directory, {} entries)", entries.len()),
        InputDetail::Error(e) => format!(" (error: {e})"),
        InputDetail::NotPrinted => String::new(),
    };
    match input.op {
        InputOp::Env if input.name == "GODEBUG" => note(
            format!(
                "GODEBUG{detail}: since Go 1.23 part of every test key, so gocachehash=1 itself changes it"
            ),
            Origin::TestRun,
            Portability::HostDependent,
            Some("GODEBUG"),
        ),
        InputOp::Env => note(
            format!(
                "environment variable {} read by the test{detail}",
                input.name
            ),
            Origin::TestRun,
            Portability::HostDependent,
            Some(&input.name),
        ),
        op => note(
            format!(
                "{} {} by the test{detail}: size, mode and modification time are hashed, not the content",
                match op {
                    InputOp::Open => "opened",
                    InputOp::Stat => "stat'ed",
                    _ => "chdir'ed into",
                },
                input.name
            ),
            Origin::TestRun,
            Portability::MachineSpecific,
            Some("the file and its modification time"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn dir_is_machine_specific() {
        let n = annotate(&Input::Dir(Cow::Borrowed("/a/b")));
        assert_eq!(n.portability, Portability::MachineSpecific);
        assert!(n.what.contains("-trimpath"));
    }

    #[test]
    fn cgo_flags_with_paths_are_machine_specific() {
        let flags = vec![vec![], vec![Cow::Borrowed("-I/x/include")], vec![]];
        let n = annotate(&Input::CCompiler {
            lang: crate::model::CLang::C,
            exe: vec![Cow::Borrowed("gcc")],
            flags,
        });
        assert_eq!(n.portability, Portability::MachineSpecific);
        let plain = vec![vec![], vec![Cow::Borrowed("-O2")], vec![]];
        let n = annotate(&Input::CCompiler {
            lang: crate::model::CLang::C,
            exe: vec![Cow::Borrowed("gcc")],
            flags: plain,
        });
        assert_eq!(n.portability, Portability::HostDependent);
    }

    #[test]
    fn unknown_lines_say_so() {
        let n = annotate(&Input::Unknown(Cow::Borrowed("newfield 1")));
        assert_eq!(n.origin, Origin::Unknown);
        assert!(n.what.contains("does not know"));
    }
}
