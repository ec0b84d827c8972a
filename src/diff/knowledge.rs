//! Why each input is in the key, and how to make two builds agree on it: one sentence each per
//! category (and for the classes that need their own), written for the engineer reading a
//! report (sources: `cmd/go/internal/work/exec.go`, `cmd/go/internal/test/test.go`,
//! `go help build`, and measured builds of every Go release from 1.21 to 1.27). A field
//! compared by a generic rule may carry its own in the field table.

use super::class::Class;
use crate::model::Category;

/// What the explanation may depend on besides the category and field.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    /// Go version of the side that printed the field (GOROOT semantics changed in 1.23).
    pub go_minor: Option<u32>,
    /// Flags present on one side only for some packages, standard library included: the sides
    /// used different package patterns (`-gcflags=-N` vs `-gcflags=all=-N`).
    pub pattern_differs: bool,
    /// The differing value looks volatile (a time, a commit, a build number).
    pub volatile: bool,
    /// Both sides build with -trimpath.
    pub both_trimpath: bool,
}

/// `(why, fix)` for a cause.
pub fn explain(category: Category, class: &Class, facts: &Facts) -> (String, Option<String>) {
    let (why, fix): (&str, Option<String>) = match category {
        Category::AbsolutePath => return absolute_path(class, facts),
        Category::Trimpath => (
            "-trimpath changes which paths the compiler and linker record, so it is part of every key",
            Some("use -trimpath on both sides, or on neither (GOFLAGS=-trimpath sets it for every go command)".into()),
        ),
        Category::Toolchain => (
            "every key is salted with the go command's version and hashes each tool's version, so a cache written by one toolchain is never read by another",
            Some("build with the same Go release on both sides: pin it with a `toolchain` line in go.mod (or GOTOOLCHAIN=go1.x.y) and the same image or installer".into()),
        ),
        Category::GoVersion => (
            "the `go` line of the package's go.mod selects language semantics and GODEBUG defaults, and is hashed into every compile of the module",
            Some("build the same go.mod on both sides (the `go` directive differs)".into()),
        ),
        Category::Target => (
            "GOOS, GOARCH, the architecture level (GOAMD64, GOARM, …) and the build mode decide what code the compiler emits, so each is in every key",
            Some(format!(
                "set the same {class} on both sides (check `go env` and GOFLAGS on each machine)"
            )),
        ),
        Category::CompilerFlags => return compiler_flags(class, facts),
        Category::LinkerFlags => (
            "-ldflags are passed to the linker and recorded in the main package's build info, so a changed value rebuilds the main package and re-links; every other compile stays cached",
            Some(if facts.volatile {
                "a value that changes on every build (a version, commit or time) is fine here: only the main package and the link rerun; keep such values in -ldflags -X, never in -gcflags".into()
            } else {
                "pass the same -ldflags on both sides".into()
            }),
        ),
        Category::Cgo if matches!(class, Class::CgoEnabled | Class::Cgo) => (
            "CGO_ENABLED decides whether cgo files are compiled and which files a package uses, so it changes the keys of cgo packages and of every package depending on them",
            Some("set CGO_ENABLED explicitly and identically on both sides (it defaults to 1 only when a C compiler is found)".into()),
        ),
        Category::Cgo if matches!(class, Class::CCompilerId(_)) => (
            "the C compiler's identity (its version line) is hashed into every cgo package's key, so a compiler upgrade rebuilds them",
            Some("use the same C compiler version on both sides (same image or package)".into()),
        ),
        Category::Cgo if matches!(class, Class::CCompiler(_)) => (
            "the C compiler command is hashed into every cgo package's key",
            Some("use the same CC/CXX/FC on both sides".into()),
        ),
        Category::Cgo => (
            "C compiler flags (CGO_CFLAGS, CGO_CPPFLAGS, CGO_LDFLAGS and #cgo directives) are passed to the C compiler and hashed into every cgo package's key",
            Some("set the same CGO_* flags on both sides (compare `go env CGO_CFLAGS` and friends)".into()),
        ),
        Category::Experiment => (
            "GOEXPERIMENT switches compiler and runtime features, so it is hashed into every key and into each tool's ID",
            Some("set the same GOEXPERIMENT on both sides (compare `go env GOEXPERIMENT`)".into()),
        ),
        Category::Instrumentation => (
            "race, memory and address sanitizers, coverage and fuzzing instrument the compiled code, so they change the keys of every package they reach",
            Some("use the same -race/-msan/-asan/-cover flags on both sides; cache instrumented and plain builds separately".into()),
        ),
        Category::Source => (
            "every source, cgo, assembly and embedded file is hashed by content; a change recompiles the package, and dependents only when its compiled output changes",
            Some("make the file identical on both sides: commit generated files, or generate them deterministically before building".into()),
        ),
        Category::FileSet => (
            "the set of files in a package is in its key; build tags, GOOS/GOARCH and cgo availability select which files are compiled",
            Some("use the same -tags, target and CGO_ENABLED on both sides, and the same checkout (no untracked files)".into()),
        ),
        Category::VcsStamp => (
            "by default the main package records version-control information (revision, time, modified flag, and since Go 1.24 a pseudo-version); it is part of the main package's key and re-links the binary",
            Some("build from the same commit with a clean tree, or pass -buildvcs=false on both sides (a Docker build context without .git stamps nothing)".into()),
        ),
        Category::Godebug => (
            "the default GODEBUG settings, derived from the go.mod `go` line, godebug directives and the toolchain, are linked into the binary",
            Some("use the same go.mod `go` line, `godebug` lines and //go:debug directives on both sides".into()),
        ),
        Category::DebugEnv => (
            "compiler debug variables (GOSSAFUNC, GOSSADIR, GOCOMPILEDEBUG, GOCLOBBERDEADHASH) are read from the environment and hashed into every compile",
            Some(format!("unset {class} in the build environment")),
        ),
        Category::DependencyVersion => (
            "a dependency's module version decides its source, and (with -trimpath) is recorded as module@version in its key",
            Some("use the same go.sum/go.mod (or vendor directory) on both sides".into()),
        ),
        Category::Nondeterministic => (
            "this dependency's compiled output differs although its key is identical: the compile is not reproducible, or it read an input Go does not hash (a C library used by cgo, a file generated during the build)",
            Some("look for inputs outside the key in that package (cgo system headers and libraries, environment-dependent generators); make its build reproducible".into()),
        ),
        Category::TestFlags if *class == Class::TestCaching => (
            "go test caches results only when every test flag is cacheable (-benchtime, -cpu, -list, -parallel, -run, -short, -skip, -timeout, -failfast, -v, -fullpath; since Go 1.25 also -coverprofile and -outputdir); any other flag, such as -count=1 or -cpuprofile, turns caching off for the whole run",
            Some("drop the non-cacheable flag where a cached result is wanted (-count=1 exists to bypass the cache), or run such jobs separately".into()),
        ),
        Category::TestFlags => (
            "the cacheable test flags (-run, -short, -v, -timeout, …) are part of the test result's key, so any difference re-runs the test",
            Some("pass the same test flags on both sides".into()),
        ),
        Category::TestEnv if *class == Class::EnvGodebug => (
            "since Go 1.23 the value of GODEBUG is an input of every test result, so GODEBUG=gocachehash=1 (or any other setting) on one side changes every test key: the observer effect",
            Some("compare runs made with the same GODEBUG; whymiss's own runs add the same settings on both sides".into()),
        ),
        Category::TestEnv => (
            "the value of every environment variable a test reads is part of its cached result's key",
            Some(format!("give the test the same environment on both sides ({})", if let Class::TestInput { name, .. } = class {
                name.clone()
            } else {
                class.to_string()
            })),
        ),
        Category::TestFile if *class == Class::InputRejected => (
            "go test neither stores nor reuses a result when it cannot key a file the test read",
            Some("make the file readable, and stable while the test runs, on both sides (go test gives its reason above)".into()),
        ),
        Category::TestFile => (
            "the size, mode and modification time of every file a test opens or stats (and the entries of directories it lists) are part of its cached result's key; go test does not hash their content",
            Some("make the file identical on both sides, or keep tests from reading files that change between runs".into()),
        ),
        Category::TestMtime if *class == Class::InputTooNew => (
            "go test neither stores nor reuses a result when a file the test opened or stat'ed was modified less than 2 seconds before the test ran (it might still be changing), so tests run right after a checkout, a copy or a generator step miss",
            Some("let 2 seconds pass between writing the files a test reads and running it (or give them an older mtime); the next run caches".into()),
        ),
        Category::TestMtime => (
            "a test's cached result is keyed on the modification time of each file it opens, not only its content, so a fresh checkout misses",
            Some("keep file mtimes stable (restore them after checkout), or accept the re-run".into()),
        ),
        Category::Other => (
            "this line is part of the key",
            None,
        ),
    };
    (why.to_string(), fix)
}

fn absolute_path(class: &Class, facts: &Facts) -> (String, Option<String>) {
    let (why, fix) = if *class == Class::Goroot {
        (
            if facts.go_minor.is_some_and(|m| m < 23) {
                "before Go 1.23 the link key records GOROOT_FINAL (by default the GOROOT), so a toolchain installed at another path re-links every binary"
            } else {
                "without -trimpath the linker records the GOROOT path, so a toolchain installed at another path re-links every binary (compiles are not affected)"
            },
            "install Go at the same path on both sides, or build with -trimpath",
        )
    } else if matches!(class, Class::CFlagsPath(_) | Class::CgoFlags(_)) {
        (
            "cgo expands ${SRCDIR} in #cgo directives to the package's absolute directory, and C flags are hashed as they are, even with -trimpath",
            "-trimpath does not remove it: drop ${SRCDIR} from #cgo CFLAGS/LDFLAGS (put headers next to the .c files and include them by name), or build from the same absolute path on both sides",
        )
    } else if *class == Class::TestInputPath {
        (
            "a cached test result is keyed on the absolute path of every file the test opens or stats (and of its working directory), -trimpath or not, so the same test run from another checkout path re-runs",
            "run the tests from the same absolute path on both sides (for example /src in the container and on CI)",
        )
    } else if *class == Class::Pgo {
        (
            "the main package's build info records the absolute path of the PGO profile",
            "build from the same path on both sides, or use -trimpath",
        )
    } else {
        // The package directory (and any other path).
        (
            "without -trimpath the package directory is recorded in debug information, so it is part of the key of every package outside GOROOT",
            if facts.both_trimpath {
                "build from the same absolute path on both sides"
            } else {
                "build with -trimpath on both sides (GOFLAGS=-trimpath), or from the same absolute path (for example /app in the container and on CI)"
            },
        )
    };
    (why.to_string(), Some(fix.to_string()))
}

fn compiler_flags(_class: &Class, facts: &Facts) -> (String, Option<String>) {
    let why = "-gcflags and -asmflags are compiler arguments, hashed into the key of every package they reach; `-gcflags=X` reaches only the packages named on the command line, `-gcflags=all=X` every package including the standard library";
    let fix = if facts.volatile {
        "a value that changes per build in -gcflags recompiles every package it reaches: move it to -ldflags -X, which only re-links"
    } else if facts.pattern_differs {
        "pass the same -gcflags on both sides, with the same package pattern: the flags reach the standard library on one side only, so one side used all= (or a pattern matching it)"
    } else {
        "pass the same -gcflags/-asmflags on both sides, with the same package pattern (`-gcflags=-N` and `-gcflags=all=-N` reach different packages)"
    };
    (why.to_string(), Some(fix.to_string()))
}

/// Two values that are the same but for their numbers (`/ci/job-101` vs `/ci/job-102`, `1.0.0`
/// vs `1.0.1`): a counter, version or date that changes from build to build.
pub fn differ_in_numbers_only(a: Option<&str>, b: Option<&str>) -> bool {
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
pub fn looks_volatile(value: &str) -> bool {
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
    use super::*;

    #[test]
    fn every_category_explains() {
        for c in Category::ALL {
            let (why, _) = explain(c, &Class::Field("x".into()), &Facts::default());
            assert!(!why.is_empty());
        }
    }

    #[test]
    fn goroot_wording_follows_version() {
        let old = Facts {
            go_minor: Some(21),
            ..Facts::default()
        };
        assert!(
            explain(Category::AbsolutePath, &Class::Goroot, &old)
                .0
                .contains("GOROOT_FINAL")
        );
        assert!(
            !explain(Category::AbsolutePath, &Class::Goroot, &Facts::default())
                .0
                .contains("GOROOT_FINAL")
        );
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
}
