//! One side of a comparison as the user describes it ([`SideSpec`]), and what it effectively is
//! once go has been asked ([`describe_side`]): the go binary and version, the `go env` values
//! that feed cache keys, the module it builds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::SideInfo;

use super::invocation::{GoInvocation, Subcommand};
use super::signals;
use super::toolchain::resolve_go;

/// The `go env` variables recorded for every side: everything in `go env` that can change an
/// action ID or explain a miss. Unknown names print as empty strings on older toolchains
/// (checked on 1.21.13 for GOARM64 and GORISCV64).
pub(crate) const GO_ENV_VARS: &[&str] = &[
    "GOVERSION",
    "GOROOT",
    "GOFLAGS",
    "GOOS",
    "GOARCH",
    "CGO_ENABLED",
    "CC",
    "CXX",
    "GOAMD64",
    "GOARM",
    "GOARM64",
    "GO386",
    "GORISCV64",
    "GOEXPERIMENT",
    "GOCACHE",
    "GOMODCACHE",
    "GOTOOLCHAIN",
    "GODEBUG",
];

/// Asked for with [`GO_ENV_VARS`] but not recorded: they name the module, which
/// [`SideInfo::dir`] already shows, and would differ between a tree and its relocated copy.
const MODULE_VARS: &[&str] = &["GOMOD", "GOWORK"];

/// One side as given on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideSpec {
    /// `A`, `B`, or the user's name for the side.
    pub label: String,
    /// Which go: `None` for `$GO` or `go` on PATH, else a path or a version (see
    /// [`resolve_go`]).
    pub go: Option<String>,
    /// Where to run (a module directory or a package directory inside one).
    pub dir: PathBuf,
    /// Environment variables set for this side only.
    pub env: Vec<(String, String)>,
    /// Extra build flags for this side only, placed after the shared flags.
    pub flags: Vec<String>,
    /// Build a copy of the module at another absolute path (see [`super::workspace`]) instead of
    /// the tree in `dir`.
    pub relocate: bool,
}

impl SideSpec {
    /// A side with default go, no overrides, running in `dir`.
    pub fn new(label: impl Into<String>, dir: impl Into<PathBuf>) -> SideSpec {
        SideSpec {
            label: label.into(),
            dir: dir.into(),
            ..SideSpec::default()
        }
    }
}

/// What go says a side is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribedSide {
    /// `label`, `source = "live"`, go version and binary, dir, go env, env overrides, host and
    /// time; the run fills in arguments, exit status and error tail.
    pub info: SideInfo,
    /// The resolved go binary.
    pub go: PathBuf,
    /// The directory to copy when relocating: the workspace root when a `go.work` is in use,
    /// else the module root (the directory holding `go.mod`).
    pub module_root: PathBuf,
}

/// Resolves the side's go and asks it (`go env -json …` in the side's directory, with its
/// environment overrides) for the settings that feed cache keys.
///
/// Errors: go not found, a directory that does not exist or is not inside a module, or a
/// `go env` that fails (for example an invalid `GOFLAGS`).
pub fn describe_side(spec: &SideSpec) -> Result<DescribedSide, Error> {
    let label = &spec.label;
    let go = resolve_go(spec.go.as_deref()).map_err(|e| match e {
        Error::GoNotFound {
            side: None,
            message,
        } => Error::GoNotFound {
            side: Some(label.clone()),
            message,
        },
        other => other,
    })?;
    let dir = std::path::absolute(&spec.dir).map_err(|source| Error::SideIo {
        side: label.clone(),
        context: format!("cannot resolve {}", spec.dir.display()),
        source,
    })?;
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::SideIo {
                side: label.clone(),
                context: dir.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
            });
        }
        Err(source) => {
            return Err(Error::SideIo {
                side: label.clone(),
                context: dir.display().to_string(),
                source,
            });
        }
    }
    let time = super::timestamp::rfc3339_utc(std::time::SystemTime::now());
    let mut env = query_env(&go, &dir, spec)?;

    let gomod = env.remove("GOMOD").unwrap_or_default();
    let gowork = env.remove("GOWORK").unwrap_or_default();
    let in_workspace = !matches!(gowork.as_str(), "" | "off");
    // GOPATH mode, asked for by this side: no module, the directory is the root.
    let gopath_mode = spec
        .env
        .iter()
        .any(|(k, v)| k == "GO111MODULE" && v == "off");
    // At a go.work root outside every module, GOMOD is /dev/null (no module root, modules on:
    // cmd/go/internal/envcmd, ExtraEnvVars) but go builds the workspace's modules there.
    if !in_workspace && !gopath_mode && (gomod.is_empty() || gomod == "/dev/null") {
        return Err(Error::NotInModule {
            side: label.clone(),
            dir,
        });
    }
    let root_of = |file: &str| Path::new(file).parent().map(Path::to_path_buf);
    let module_root = if in_workspace {
        root_of(&gowork)
    } else {
        root_of(&gomod)
    }
    .unwrap_or_else(|| dir.clone());

    let info = SideInfo {
        label: label.clone(),
        source: "live".into(),
        go_version: env.get("GOVERSION").filter(|v| !v.is_empty()).cloned(),
        go_binary: Some(go.display().to_string()),
        dir: Some(dir.display().to_string()),
        go_env: env,
        env_overrides: spec.env.iter().cloned().collect(),
        args: Vec::new(),
        mode: None,
        host: Some(hostname()),
        time: Some(time),
        exit_status: None,
        error_tail: Vec::new(),
    };
    Ok(DescribedSide {
        info,
        go,
        module_root,
    })
}

/// `go env -json` for [`GO_ENV_VARS`] and the module variables. Should a toolchain reject the
/// list, each variable is asked for on its own and the ones it does not know are left out.
fn query_env(go: &Path, dir: &Path, spec: &SideSpec) -> Result<BTreeMap<String, String>, Error> {
    let names: Vec<&str> = GO_ENV_VARS.iter().chain(MODULE_VARS).copied().collect();
    let base = || {
        GoInvocation::new(go, Subcommand::Env)
            .dir(dir)
            .envs(spec.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    };
    let spawn_err = |source| Error::Spawn {
        side: spec.label.clone(),
        program: go.to_owned(),
        source,
    };
    // Like a build, each query runs as a registered process group: Ctrl-C stops it too.
    let run = |inv: &GoInvocation| match signals::run_registered(&inv.capture()) {
        Ok(Some(out)) => Ok(out),
        Ok(None) => Err(Error::Interrupted {
            signal: signals::interrupted().unwrap_or(signal_hook::consts::SIGINT),
        }),
        Err(source) => Err(spawn_err(source)),
    };
    let all = base().arg("-json").args(&names);
    let out = run(&all)?;
    if out.status.success()
        && let Ok(map) = serde_json::from_slice::<BTreeMap<String, String>>(&out.stdout)
    {
        return Ok(map);
    }
    // One at a time; GOVERSION must work, anything else may be unknown to this toolchain.
    let mut map = BTreeMap::new();
    for name in names {
        let one = base().arg(name);
        let out = run(&one)?;
        if out.status.success() {
            let value = String::from_utf8_lossy(&out.stdout);
            map.insert(name.to_owned(), value.trim_end_matches('\n').to_owned());
        } else if name == "GOVERSION" || name == "GOMOD" {
            return Err(Error::GoQuery {
                side: spec.label.clone(),
                command: one.display(),
                message: last_line(&out.stderr),
            });
        }
    }
    Ok(map)
}

/// The value go sees for the variable `name` on a side (`go env NAME` in its directory, with
/// its overrides): its effective value for a setting go knows (`CGO_CFLAGS` unset is `-O2
/// -g`), else the environment's (`GOSSAFUNC`). Empty when unset.
pub(crate) fn effective_var(spec: &SideSpec, name: &str) -> Result<String, Error> {
    if let Some((_, v)) = spec.env.iter().rev().find(|(k, _)| k == name) {
        return Ok(v.clone());
    }
    let go = resolve_go(spec.go.as_deref())?;
    let query = GoInvocation::new(&go, Subcommand::Env)
        .dir(&spec.dir)
        .envs(spec.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .arg(name);
    let out = match signals::run_registered(&query.capture()) {
        Ok(Some(out)) => out,
        Ok(None) => {
            return Err(Error::Interrupted {
                signal: signals::interrupted().unwrap_or(signal_hook::consts::SIGINT),
            });
        }
        Err(source) => {
            return Err(Error::Spawn {
                side: spec.label.clone(),
                program: go,
                source,
            });
        }
    };
    let known = String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_string();
    if out.status.success() && !known.is_empty() {
        return Ok(known);
    }
    Ok(std::env::var(name).unwrap_or_default())
}

/// The last non-empty line of go's stderr, or a note that there was none.
pub(crate) fn last_line(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map_or_else(|| "no message".to_owned(), str::to_owned)
}

/// This machine's host name.
pub(crate) fn hostname() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::go::toolchain::test_toolchain;
    use crate::go::workspace::copy_tree_for_test;

    fn spec(dir: &Path, version: &str) -> SideSpec {
        SideSpec {
            go: Some(test_toolchain(version).display().to_string()),
            ..SideSpec::new("A", dir)
        }
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn describes_a_module_on_every_test_toolchain() {
        let module = copy_tree_for_test("tiny");
        for version in ["1.27.3", "1.26.6", "1.21.13"] {
            let side = describe_side(&spec(module.path(), version)).unwrap();
            assert_eq!(
                side.info.go_version.as_deref(),
                Some(&*format!("go{version}"))
            );
            assert_eq!(side.info.source, "live");
            let names: Vec<&str> = side.info.go_env.keys().map(String::as_str).collect();
            let mut expected = GO_ENV_VARS.to_vec();
            expected.sort_unstable();
            assert_eq!(names, expected, "{version}");
            assert!(!side.info.go_env.contains_key("GOMOD"));
            assert_eq!(side.info.go_env["GOTOOLCHAIN"], "local");
            assert_eq!(
                side.module_root.canonicalize().unwrap(),
                module.path().canonicalize().unwrap()
            );
        }
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn env_overrides_show_in_go_env() {
        let module = copy_tree_for_test("tiny");
        let mut s = spec(module.path(), "1.27.3");
        s.env = vec![
            ("CGO_ENABLED".into(), "0".into()),
            ("GOAMD64".into(), "v3".into()),
        ];
        let side = describe_side(&s).unwrap();
        assert_eq!(side.info.go_env["CGO_ENABLED"], "0");
        assert_eq!(side.info.go_env["GOAMD64"], "v3");
        assert_eq!(side.info.env_overrides["CGO_ENABLED"], "0");
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_package_directory_finds_its_module_root() {
        let module = copy_tree_for_test("tiny");
        let side = describe_side(&spec(&module.path().join("greet"), "1.27.3")).unwrap();
        assert_eq!(
            side.module_root.canonicalize().unwrap(),
            module.path().canonicalize().unwrap()
        );
    }

    /// Issue 9 item 14: at a go.work root (no go.mod of its own) whymiss said "not inside a Go
    /// module", although go builds the workspace's modules there.
    #[test]
    fn a_go_work_root_is_a_workspace_not_an_error() {
        let module = copy_tree_for_test("tiny");
        let root = module.path().parent().unwrap().join("ws");
        std::fs::create_dir(&root).unwrap();
        std::fs::rename(module.path(), root.join("tiny")).unwrap();
        std::fs::write(root.join("go.work"), "go 1.21\n\nuse ./tiny\n").unwrap();
        let side = describe_side(&spec(&root, "1.27.3")).unwrap();
        assert_eq!(
            side.module_root.canonicalize().unwrap(),
            root.canonicalize().unwrap()
        );
        // GOWORK=off at the same root: no module.
        let mut off = spec(&root, "1.27.3");
        off.env = vec![("GOWORK".into(), "off".into())];
        let err = describe_side(&off).unwrap_err();
        assert!(matches!(err, Error::NotInModule { .. }), "{err:?}");
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_directory_outside_any_module_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = describe_side(&spec(dir.path(), "1.27.3")).unwrap_err();
        assert!(matches!(err, Error::NotInModule { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "side A: not inside a Go module: {} (no go.mod found)",
                dir.path().display()
            )
        );
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_missing_directory_is_an_error() {
        let err = describe_side(&spec(Path::new("/nonexistent/whymiss"), "1.27.3")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "side A: /nonexistent/whymiss: no such file or directory"
        );
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_missing_toolchain_names_the_side() {
        let mut s = SideSpec::new("B", ".");
        s.go = Some("/x/go".into());
        let err = describe_side(&s).unwrap_err();
        assert_eq!(err.to_string(), "side B: go toolchain not found at /x/go");
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn an_invalid_goflags_is_reported() {
        let module = copy_tree_for_test("tiny");
        let mut s = spec(module.path(), "1.27.3");
        s.env = vec![("GOFLAGS".into(), "-notaflag".into())];
        match describe_side(&s) {
            // go env itself tolerates a bad GOFLAGS on some versions; then it is recorded.
            Ok(side) => assert_eq!(side.info.go_env["GOFLAGS"], "-notaflag"),
            Err(err) => assert!(matches!(err, Error::GoQuery { .. }), "{err:?}"),
        }
    }
}
