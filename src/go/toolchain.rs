//! Finding a go toolchain: for a side that names none, `$GO`, `go` on `PATH`, else the newest
//! installed toolchain; for a version such as `go1.26.6`, the folder of toolchains
//! (`$WHYMISS_TOOLCHAINS`, else the `.toolchains` of the checkout whymiss was built from, where
//! `scripts/install-go.sh` installs), the `golang.org/dl` wrapper on `PATH`, its `~/sdk`
//! download, and a `$GO` or `go` on `PATH` that is that version. [`SEARCH_ORDER`] says so in
//! `--help`; a failed search names every place it looked.

use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The environment variable naming a folder whose `bin/go<version>` are toolchains
/// (`scripts/install-go.sh` fills `<checkout>/.toolchains` unless it is set).
pub const TOOLCHAINS_VAR: &str = "WHYMISS_TOOLCHAINS";

/// The folder of toolchains when `$WHYMISS_TOOLCHAINS` is not set: `.toolchains` in the
/// checkout whymiss was built from (`cargo install --path .`, `cargo run`), the installer's
/// default. Only that checkout is trusted this way, never a folder found from the current
/// directory, so building a module someone else wrote cannot run a `go` it ships.
pub const CHECKOUT_TOOLCHAINS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/.toolchains");

/// The search order, as `--help` shows it (wrapped for 80 columns). One text, so help and the
/// code cannot drift: the tests below check each step.
pub const SEARCH_ORDER: &str = "\
Finding go: --go (--a-go, --b-go) names a version or a path. Without it,
whymiss uses $GO, else go on PATH, else the newest toolchain installed in the
folder of step 1, else in ~/sdk (step 3). A version such as go1.26.6 is looked
up in this order:
  1. $WHYMISS_TOOLCHAINS/bin/go1.26.6, or without that variable
     .toolchains/bin/go1.26.6 in the checkout whymiss was built from (where
     its scripts/install-go.sh installs Go)
  2. go1.26.6 on PATH (the golang.org/dl wrapper)
  3. ~/sdk/go1.26.6/bin/go (where that wrapper downloads Go)
  4. $GO, then go on PATH, if its GOROOT holds go1.26.6
A path (./go, ~/go1.26/bin/go) is used as it is; another word (gotip) is
looked up on PATH. When nothing is found, the error lists every place.";

/// Finds the go binary for a side (`None`: the default go), in the order of [`SEARCH_ORDER`].
///
/// The result is absolute but symlinks are kept, so reports show the path the user knows.
/// Errors are [`Error::GoNotFound`] without a side; callers add it.
pub fn resolve_go(spec: Option<&str>) -> Result<PathBuf, Error> {
    let env = |name: &str| std::env::var_os(name);
    Places {
        env: &env,
        checkout: Some(PathBuf::from(CHECKOUT_TOOLCHAINS)),
    }
    .resolve(spec)
}

/// Where to look: an environment and the checkout's folder of toolchains (the process's, or a
/// test's).
struct Places<'e> {
    env: &'e dyn Fn(&str) -> Option<OsString>,
    checkout: Option<PathBuf>,
}

impl Places<'_> {
    /// A variable, if set and not empty.
    fn var(&self, name: &str) -> Option<OsString> {
        (self.env)(name).filter(|v| !v.is_empty())
    }

    /// The folder of toolchains, and where its name came from (for messages).
    fn toolchains(&self) -> Option<(PathBuf, &'static str)> {
        match self.var(TOOLCHAINS_VAR) {
            Some(dir) => Some((PathBuf::from(dir), "$WHYMISS_TOOLCHAINS")),
            None => self
                .checkout
                .clone()
                .map(|dir| (dir, "whymiss's checkout; $WHYMISS_TOOLCHAINS names another")),
        }
    }

    fn home(&self) -> Option<PathBuf> {
        self.var("HOME").map(PathBuf::from)
    }

    fn on_path(&self, name: &str) -> Option<PathBuf> {
        find_in(self.var("PATH"), OsStr::new(name))
    }

    fn resolve(&self, spec: Option<&str>) -> Result<PathBuf, Error> {
        match spec {
            Some(spec) => self.resolve_spec(spec),
            None => self.default_go(),
        }
    }

    /// `$GO`, `go` on PATH, the newest toolchain in the folder, the newest in `~/sdk`.
    fn default_go(&self) -> Result<PathBuf, Error> {
        if let Some(go) = self.var("GO") {
            return self
                .resolve_spec(&go.to_string_lossy())
                .map_err(|e| match e {
                    Error::GoNotFound { side, message } => Error::GoNotFound {
                        side,
                        message: format!("$GO: {message}"),
                    },
                    other => other,
                });
        }
        if let Some(go) = self.on_path("go") {
            return Ok(go);
        }
        let folder = self.toolchains();
        if let Some((dir, _)) = &folder
            && let Some(go) = newest(installed_in_folder(&dir.join("bin")))
        {
            return Ok(go);
        }
        let sdk = self.home().map(|h| h.join("sdk"));
        if let Some(sdk) = &sdk
            && let Some(go) = newest(installed_in_sdk(sdk))
        {
            return Ok(go);
        }
        let mut looked = vec!["$GO (not set)".to_string(), "go on PATH".to_string()];
        if let Some((dir, from)) = folder {
            looked.push(format!("{}/go1.* ({from})", dir.join("bin").display()));
        }
        if let Some(sdk) = sdk {
            looked.push(format!("{}/go1.*/bin/go", sdk.display()));
        }
        Err(not_found(format!(
            "go not found: looked at {}; install Go from https://go.dev/dl/, or run \
             scripts/install-go.sh in whymiss's checkout, or name a go binary with --go or $GO",
            looked.join(", ")
        )))
    }

    fn resolve_spec(&self, spec: &str) -> Result<PathBuf, Error> {
        let spec = spec.trim();
        if spec.is_empty() {
            return Err(not_found(
                "empty go toolchain name: name a version (go1.27.3) or a go binary".into(),
            ));
        }
        if spec.contains('/') {
            let path = match (spec.strip_prefix("~/"), self.home()) {
                (Some(rest), Some(home)) => home.join(rest),
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
            return self.resolve_version(&name);
        }
        self.on_path(spec).ok_or_else(|| {
            not_found(format!(
                "`{spec}` not found on PATH; name a version (go1.27.3) or a go binary by path"
            ))
        })
    }

    /// A version (`go1.26.6`): the steps of [`SEARCH_ORDER`] in order; the error lists each
    /// place it looked.
    fn resolve_version(&self, name: &str) -> Result<PathBuf, Error> {
        let mut looked: Vec<String> = Vec::new();
        // 1. The folder of toolchains.
        if let Some((dir, from)) = self.toolchains() {
            let candidate = dir.join("bin").join(name);
            if is_executable(&candidate) {
                return Ok(std::path::absolute(&candidate).unwrap_or(candidate));
            }
            looked.push(format!("{} ({from})", candidate.display()));
        }
        // 2. The golang.org/dl wrapper.
        if let Some(found) = self.on_path(name) {
            return Ok(found);
        }
        looked.push(format!("{name} on PATH"));
        // 3. Its download.
        if let Some(home) = self.home() {
            let candidate = home.join("sdk").join(name).join("bin").join("go");
            if is_executable(&candidate) {
                return Ok(candidate);
            }
            looked.push(candidate.display().to_string());
        }
        // 4. An installed go of that version.
        let installed = [
            (
                "$GO",
                self.var("GO")
                    .map(PathBuf::from)
                    .filter(|p| p.is_absolute()),
            ),
            ("go on PATH", self.on_path("go")),
        ];
        for (what, go) in installed {
            match go.filter(|go| is_executable(go)) {
                Some(go) => match goroot_version(&go) {
                    Some(v) if v == name => return Ok(go),
                    Some(v) => looked.push(format!("{what} ({} is {v})", go.display())),
                    None => looked.push(format!("{what} ({}: no GOROOT/VERSION)", go.display())),
                },
                None if what == "$GO" => {}
                None => looked.push(format!("{what} (none)")),
            }
        }
        let version = &name[2..];
        Err(not_found(format!(
            "{name} not found: looked at {}; install it with scripts/install-go.sh {version} \
             (in whymiss's checkout) or `go install golang.org/dl/{name}@latest && {name} \
             download`, or name its go binary by path",
            looked.join(", ")
        )))
    }
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

/// How Go orders its release names: `go1.27.3` after `go1.27rc2` after `go1.27beta1` after
/// `go1.26.6`; `go1.21` is `go1.21.0` (the name before Go 1.21). `None` for other names.
fn version_order(name: &str) -> Option<(u32, u32, u32, u32, u32)> {
    let rest = version_command(name)?;
    let rest = &rest["go1.".len()..];
    let number = |s: &str| s.parse::<u32>().ok();
    for (marker, stage) in [("beta", 0), ("rc", 1)] {
        if let Some((minor, n)) = rest.split_once(marker) {
            return Some((1, number(minor)?, 0, stage, number(n)?));
        }
    }
    match rest.split_once('.') {
        Some((minor, patch)) => Some((1, number(minor)?, number(patch)?, 2, 0)),
        None => Some((1, number(rest)?, 0, 2, 0)),
    }
}

/// The newest of `(name, go binary)` by Go's release order.
fn newest(found: Vec<(String, PathBuf)>) -> Option<PathBuf> {
    found
        .into_iter()
        .filter_map(|(name, go)| Some((version_order(&name)?, go)))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, go)| go)
}

/// `<bin>/go1.*` that are executable.
fn installed_in_folder(bin: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(bin) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            let path = e.path();
            (name.starts_with("go1.") && is_executable(&path)).then_some((name, path))
        })
        .collect()
}

/// `<sdk>/go1.*/bin/go` that are executable (the golang.org/dl downloads).
fn installed_in_sdk(sdk: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(sdk) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            let go = e.path().join("bin").join("go");
            (name.starts_with("go1.") && is_executable(&go)).then_some((name, go))
        })
        .collect()
}

/// The release a go binary belongs to, from its GOROOT's `VERSION` file (first line, such as
/// `go1.27.3`), without running it: `<GOROOT>/bin/go`, symlinks followed.
fn goroot_version(go: &Path) -> Option<String> {
    let real = std::fs::canonicalize(go).ok()?;
    let goroot = real.parent()?.parent()?;
    let text = std::fs::read_to_string(goroot.join("VERSION")).ok()?;
    let first = text.lines().next()?.trim();
    first.starts_with("go").then(|| first.to_string())
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
#[allow(unreachable_pub)]
mod test_support;
#[cfg(test)]
pub(crate) use test_support::test_toolchain;

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch machine: an environment holding only `vars` and, as the checkout's folder of
    /// toolchains, `checkout`.
    struct Machine {
        vars: Vec<(String, OsString)>,
        checkout: Option<PathBuf>,
    }

    impl Machine {
        fn new(vars: &[(&str, &Path)]) -> Machine {
            Machine {
                vars: vars
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.as_os_str().to_owned()))
                    .collect(),
                checkout: None,
            }
        }

        fn checkout(mut self, dir: &Path) -> Machine {
            self.checkout = Some(dir.to_path_buf());
            self
        }

        fn resolve(&self, spec: Option<&str>) -> Result<PathBuf, Error> {
            let env = |name: &str| {
                self.vars
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            Places {
                env: &env,
                checkout: self.checkout.clone(),
            }
            .resolve(spec)
        }

        fn error(&self, spec: Option<&str>) -> String {
            self.resolve(spec).unwrap_err().to_string()
        }
    }

    /// A fake go installation: `<root>/<dir>/bin/go`, a script, with a GOROOT `VERSION` file
    /// saying `version`.
    fn fake_goroot(root: &Path, dir: &str, version: &str) -> PathBuf {
        let goroot = root.join(dir);
        std::fs::create_dir_all(goroot.join("bin")).unwrap();
        std::fs::write(goroot.join("VERSION"), format!("{version}\ntime x\n")).unwrap();
        let go = goroot.join("bin/go");
        std::fs::write(&go, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
        go
    }

    /// A folder of toolchains, `<root>/<dir>/bin/go<version>` for each version, linked to fake
    /// installations.
    fn fake_folder(root: &Path, dir: &str, versions: &[&str]) -> PathBuf {
        let folder = root.join(dir);
        std::fs::create_dir_all(folder.join("bin")).unwrap();
        for v in versions {
            let go = fake_goroot(&folder, v, v);
            std::os::unix::fs::symlink(go, folder.join("bin").join(v)).unwrap();
        }
        folder
    }

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
    fn versions_order_as_go_releases_do() {
        let mut names = vec![
            "go1.27.3",
            "go1.9.2",
            "go1.27rc2",
            "go1.21",
            "go1.27beta1",
            "go1.26.10",
            "go1.26.6",
            "go1.21.13",
        ];
        names.sort_by_key(|n| version_order(n).unwrap());
        assert_eq!(
            names,
            [
                "go1.9.2",
                "go1.21",
                "go1.21.13",
                "go1.26.6",
                "go1.26.10",
                "go1.27beta1",
                "go1.27rc2",
                "go1.27.3"
            ]
        );
        assert_eq!(version_order("gotip"), None);
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

    /// Issue 11: the toolchains the README installs (`scripts/install-go.sh` into
    /// `<checkout>/.toolchains`) were not found by name unless WHYMISS_TOOLCHAINS was set.
    #[test]
    fn the_checkout_toolchains_are_found_by_name_without_whymiss_toolchains() {
        let root = tempfile::tempdir().unwrap();
        let checkout = fake_folder(root.path(), "checkout/.toolchains", &["go1.26.6"]);
        let empty = root.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let machine = Machine::new(&[("PATH", &empty), ("HOME", &empty)]).checkout(&checkout);
        let want = checkout.join("bin/go1.26.6");
        assert_eq!(machine.resolve(Some("go1.26.6")).unwrap(), want);
        assert_eq!(machine.resolve(Some("1.26.6")).unwrap(), want);
        // And the real one: this build's checkout holds the test toolchains.
        assert_eq!(
            CHECKOUT_TOOLCHAINS,
            concat!(env!("CARGO_MANIFEST_DIR"), "/.toolchains")
        );
    }

    #[test]
    fn whymiss_toolchains_replaces_the_checkout_folder() {
        let root = tempfile::tempdir().unwrap();
        let checkout = fake_folder(root.path(), "checkout", &["go1.26.6"]);
        let mine = fake_folder(root.path(), "mine", &["go1.26.6", "go1.25.5"]);
        let machine = Machine::new(&[(TOOLCHAINS_VAR, &mine)]).checkout(&checkout);
        assert_eq!(
            machine.resolve(Some("go1.26.6")).unwrap(),
            mine.join("bin/go1.26.6")
        );
        // The checkout's folder is not a fallback for the one the variable names.
        let machine = Machine::new(&[(TOOLCHAINS_VAR, &mine)]).checkout(&checkout);
        let err = machine.error(Some("go1.24.11"));
        assert!(!err.contains(&*checkout.to_string_lossy()), "{err}");
    }

    #[test]
    fn the_search_order_is_folder_then_dl_wrapper_then_sdk_then_installed_go() {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let sdk_go = fake_goroot(&home.join("sdk"), "go1.26.6", "go1.26.6");
        let path_dir = root.path().join("path");
        let wrapper = fake_goroot(root.path(), "wrapper", "go1.26.6");
        std::fs::create_dir(&path_dir).unwrap();
        std::os::unix::fs::symlink(&wrapper, path_dir.join("go1.26.6")).unwrap();
        let folder = fake_folder(root.path(), "folder", &["go1.26.6"]);
        let vars = |with_folder: bool, with_wrapper: bool| {
            let mut v: Vec<(&str, &Path)> = vec![("HOME", &home)];
            if with_folder {
                v.push((TOOLCHAINS_VAR, &folder));
            }
            if with_wrapper {
                v.push(("PATH", &path_dir));
            }
            v
        };
        let m = |with_folder, with_wrapper| Machine::new(&vars(with_folder, with_wrapper));
        // 1. the folder of toolchains first,
        assert_eq!(
            m(true, true).resolve(Some("go1.26.6")).unwrap(),
            folder.join("bin/go1.26.6")
        );
        // 2. then the wrapper on PATH,
        assert_eq!(
            m(false, true).resolve(Some("go1.26.6")).unwrap(),
            path_dir.join("go1.26.6")
        );
        // 3. then its download in ~/sdk.
        assert_eq!(m(false, false).resolve(Some("go1.26.6")).unwrap(), sdk_go);
    }

    #[test]
    fn an_installed_go_of_the_wanted_version_is_used() {
        let root = tempfile::tempdir().unwrap();
        let system = fake_goroot(root.path(), "usr/local/go", "go1.27.3");
        let bin = system.parent().unwrap();
        let machine = Machine::new(&[("PATH", bin), ("HOME", root.path())]);
        assert_eq!(machine.resolve(Some("go1.27.3")).unwrap(), system);
        let other = fake_goroot(root.path(), "opt/go", "go1.26.6");
        let machine = Machine::new(&[("GO", &other), ("PATH", bin), ("HOME", root.path())]);
        assert_eq!(machine.resolve(Some("go1.26.6")).unwrap(), other);
        // Another version is not taken for the one asked for, and the error says what it is.
        let err = machine.error(Some("go1.25.5"));
        assert!(
            err.contains(&format!("$GO ({} is go1.26.6)", other.display())),
            "{err}"
        );
        assert!(
            err.contains(&format!(
                "go on PATH ({} is go1.27.3)",
                bin.join("go").display()
            )),
            "{err}"
        );
    }

    #[test]
    fn a_missing_version_lists_every_place_it_looked() {
        let root = tempfile::tempdir().unwrap();
        let checkout = fake_folder(root.path(), "checkout", &[]);
        let empty = root.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let machine = Machine::new(&[("PATH", &empty), ("HOME", &empty)]).checkout(&checkout);
        let err = machine.error(Some("go1.3.99"));
        let want = format!(
            "go1.3.99 not found: looked at {c}/bin/go1.3.99 (whymiss's checkout; \
             $WHYMISS_TOOLCHAINS names another), go1.3.99 on PATH, \
             {h}/sdk/go1.3.99/bin/go, go on PATH (none); install it with \
             scripts/install-go.sh 1.3.99 (in whymiss's checkout) or `go install \
             golang.org/dl/go1.3.99@latest && go1.3.99 download`, or name its go binary by path",
            c = checkout.display(),
            h = empty.display()
        );
        assert_eq!(err, want);
        assert_eq!(err.lines().count(), 1);
        let machine = Machine::new(&[(TOOLCHAINS_VAR, &checkout)]);
        let err = machine.error(Some("go1.3.99"));
        assert!(
            err.starts_with(&format!(
                "go1.3.99 not found: looked at {}/bin/go1.3.99 ($WHYMISS_TOOLCHAINS), ",
                checkout.display()
            )),
            "{err}"
        );
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_version_is_found_in_the_toolchains_folder() {
        let go = test_toolchain("1.26.6");
        let folder = go.parent().unwrap().parent().unwrap();
        let empty = tempfile::tempdir().unwrap();
        let machine = Machine::new(&[("PATH", empty.path()), (TOOLCHAINS_VAR, folder)]);
        assert_eq!(machine.resolve(Some("1.26.6")).unwrap(), go);
        assert_eq!(machine.resolve(Some("go1.26.6")).unwrap(), go);
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn go_env_var_overrides_path() {
        let go = test_toolchain("1.21.13");
        let machine = Machine::new(&[("GO", &go)]);
        assert_eq!(machine.resolve(None).unwrap(), go);
        let machine = Machine::new(&[("GO", Path::new("/nope/go"))]);
        assert_eq!(
            machine.error(None),
            "$GO: go toolchain not found at /nope/go"
        );
    }

    /// Issue 11: without a system go every usage example failed, although the README had just
    /// installed toolchains.
    #[test]
    fn without_go_on_path_the_newest_installed_toolchain_is_the_default() {
        let root = tempfile::tempdir().unwrap();
        let folder = fake_folder(
            root.path(),
            "checkout",
            &["go1.21.13", "go1.27.3", "go1.26.6"],
        );
        let empty = root.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let machine = Machine::new(&[("PATH", &empty), ("HOME", &empty)]).checkout(&folder);
        assert_eq!(machine.resolve(None).unwrap(), folder.join("bin/go1.27.3"));
        // go on PATH wins over the folder.
        let system = fake_goroot(root.path(), "usr/local/go", "go1.22.1");
        let machine = Machine::new(&[("PATH", system.parent().unwrap())]).checkout(&folder);
        assert_eq!(machine.resolve(None).unwrap(), system);
        // Without a folder, the newest download in ~/sdk.
        let home = root.path().join("home");
        fake_goroot(&home.join("sdk"), "go1.25.5", "go1.25.5");
        let newest = fake_goroot(&home.join("sdk"), "go1.26.6", "go1.26.6");
        let machine = Machine::new(&[("PATH", &empty), ("HOME", &home)]);
        assert_eq!(machine.resolve(None).unwrap(), newest);
    }

    #[test]
    fn no_go_anywhere_lists_the_places_and_how_to_install() {
        let root = tempfile::tempdir().unwrap();
        let folder = fake_folder(root.path(), "checkout", &[]);
        let empty = root.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let machine = Machine::new(&[("PATH", &empty), ("HOME", &empty)]).checkout(&folder);
        let err = machine.error(None);
        assert_eq!(
            err,
            format!(
                "go not found: looked at $GO (not set), go on PATH, {}/bin/go1.* (whymiss's \
                 checkout; $WHYMISS_TOOLCHAINS names another), \
                 {}/sdk/go1.*/bin/go; install Go from https://go.dev/dl/, or run \
                 scripts/install-go.sh in whymiss's checkout, or name a go binary with --go \
                 or $GO",
                folder.display(),
                empty.display()
            )
        );
    }

    #[test]
    fn the_search_order_text_fits_80_columns() {
        for line in SEARCH_ORDER.lines() {
            assert!(line.chars().count() < 80, "{line}");
        }
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
