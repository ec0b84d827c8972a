//! A typed builder for one go command, yielding a [`duct::Expression`].
//!
//! Whatever the caller asks for, a build or test invocation prints its cache-key inputs:
//! `gocachehash=1,goindex=0` (and `gocachetest=1` for `go test`) is merged into the inherited or
//! overridden `GODEBUG`, keeping the user's other settings (and an explicit `goindex`). `GOTOOLCHAIN=local` is set unless
//! the user or the side chose a `GOTOOLCHAIN`, so the toolchain asked for is the one that runs.
//! The child reads no standard input and runs in its own process group, so the whole tree
//! (compilers, test binaries) can be stopped at once (see [`super::signals`]).

use std::ffi::{OsStr, OsString};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};

/// The go subcommands whymiss runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subcommand {
    Build,
    Test,
    Env,
    List,
}

impl Subcommand {
    /// The word on go's command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Subcommand::Build => "build",
            Subcommand::Test => "test",
            Subcommand::Env => "env",
            Subcommand::List => "list",
        }
    }

    /// The GODEBUG settings this subcommand needs: hash printing for builds and tests, nothing
    /// for queries (whose stderr is not a log).
    fn godebug_keys(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Subcommand::Build => &[("gocachehash", "1"), ("goindex", "0")],
            Subcommand::Test => &[("gocachehash", "1"), ("goindex", "0"), ("gocachetest", "1")],
            Subcommand::Env | Subcommand::List => &[],
        }
    }
}

/// One go command: binary, subcommand, arguments, directory and environment changes.
#[derive(Debug, Clone)]
pub struct GoInvocation {
    go: PathBuf,
    subcommand: Subcommand,
    args: Vec<OsString>,
    dir: Option<PathBuf>,
    env: Vec<(OsString, OsString)>,
    env_remove: Vec<OsString>,
}

impl GoInvocation {
    /// `go <subcommand>` with the given go binary.
    pub fn new(go: impl Into<PathBuf>, subcommand: Subcommand) -> GoInvocation {
        GoInvocation {
            go: go.into(),
            subcommand,
            args: Vec::new(),
            dir: None,
            env: Vec::new(),
            env_remove: Vec::new(),
        }
    }

    /// Appends one argument.
    pub fn arg(mut self, arg: impl Into<OsString>) -> GoInvocation {
        self.args.push(arg.into());
        self
    }

    /// Appends arguments.
    pub fn args<I, S>(mut self, args: I) -> GoInvocation
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Runs in `dir` (and sets `PWD` to it, as a shell would, so go sees the same path).
    pub fn dir(mut self, dir: impl Into<PathBuf>) -> GoInvocation {
        self.dir = Some(dir.into());
        self
    }

    /// Sets an environment variable on top of the inherited environment.
    pub fn env(mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> GoInvocation {
        let name = name.into();
        self.env_remove.retain(|n| *n != name);
        self.env.retain(|(n, _)| *n != name);
        self.env.push((name, value.into()));
        self
    }

    /// Sets several environment variables.
    pub fn envs<I, K, V>(mut self, vars: I) -> GoInvocation
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        for (name, value) in vars {
            self = self.env(name, value);
        }
        self
    }

    /// Removes an inherited environment variable.
    pub fn env_remove(mut self, name: impl Into<OsString>) -> GoInvocation {
        let name = name.into();
        self.env.retain(|(n, _)| *n != name);
        self.env_remove.push(name);
        self
    }

    /// The go binary.
    pub fn program(&self) -> &Path {
        &self.go
    }

    /// The subcommand.
    pub fn subcommand(&self) -> Subcommand {
        self.subcommand
    }

    /// go's arguments as recorded in reports: the subcommand, then the arguments.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.subcommand.as_str().to_owned())
            .chain(self.args.iter().map(|a| a.to_string_lossy().into_owned()))
            .collect()
    }

    /// `go build -trimpath ./...`, for messages.
    pub fn display(&self) -> String {
        format!("go {}", self.argv().join(" "))
    }

    /// The value this invocation gives `GODEBUG`, or `None` to leave it as inherited.
    pub fn godebug(&self) -> Option<String> {
        let keys = self.subcommand.godebug_keys();
        if keys.is_empty() {
            return None;
        }
        let base = self
            .effective_var(OsStr::new("GODEBUG"))
            .map(|v| v.to_string_lossy().into_owned())
            .unwrap_or_default();
        // goindex=0 only keeps moduleIndex lines (in no action key) out of the log; a
        // GODEBUG that asks for goindex explicitly gets what it asks for.
        let asked_goindex = base.split(',').any(|p| {
            p.trim()
                .split_once('=')
                .is_some_and(|(k, _)| k == "goindex")
        });
        let keys: Vec<(&str, &str)> = keys
            .iter()
            .copied()
            .filter(|(k, _)| !(asked_goindex && *k == "goindex"))
            .collect();
        Some(merge_godebug(&base, &keys))
    }

    /// The value of `name` the child would see without whymiss's own additions.
    fn effective_var(&self, name: &OsStr) -> Option<OsString> {
        if let Some((_, v)) = self.env.iter().rev().find(|(n, _)| n == name) {
            return Some(v.clone());
        }
        if self.env_remove.iter().any(|n| n == name) {
            return None;
        }
        std::env::var_os(name)
    }

    /// The command as a duct expression: environment applied, stdin closed, its own process
    /// group, and `unchecked` so a failing go command still yields its output. Standard output
    /// and error are left to the caller (see [`GoInvocation::capture`]).
    pub fn expression(&self) -> duct::Expression {
        let mut expr = duct::cmd(&self.go, self.argv());
        if let Some(dir) = &self.dir {
            let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
            expr = expr.dir(&dir).env("PWD", &dir);
        }
        for name in &self.env_remove {
            expr = expr.env_remove(name);
        }
        // duct applies the first `env` call last (innermost wins), so a GODEBUG override of
        // the side must not be passed on next to the merged value: the merged value already
        // holds it.
        let godebug = self.godebug();
        for (name, value) in &self.env {
            if godebug.is_some() && name == OsStr::new("GODEBUG") {
                continue;
            }
            expr = expr.env(name, value);
        }
        if let Some(godebug) = godebug {
            expr = expr.env("GODEBUG", godebug);
        }
        if self
            .effective_var(OsStr::new("GOTOOLCHAIN"))
            .is_none_or(|v| v.is_empty())
        {
            expr = expr.env("GOTOOLCHAIN", "local");
        }
        expr.stdin_null().unchecked().before_spawn(|command| {
            command.process_group(0);
            Ok(())
        })
    }

    /// [`GoInvocation::expression`] with standard output and error captured separately, for
    /// short queries (`go env`, `go list`).
    pub fn capture(&self) -> duct::Expression {
        self.expression().stdout_capture().stderr_capture()
    }
}

/// Merges `keys` into a GODEBUG value: the user's other settings keep their order, any earlier
/// setting of one of `keys` is dropped, and `keys` are appended.
pub(crate) fn merge_godebug(user: &str, keys: &[(&str, &str)]) -> String {
    let mut parts: Vec<String> = user
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split_once('=').map_or(*p, |(k, _)| k);
            !keys.iter().any(|(k, _)| *k == key)
        })
        .map(str::to_owned)
        .collect();
    parts.extend(keys.iter().map(|(k, v)| format!("{k}={v}")));
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::go::toolchain::test_toolchain;

    const HASH_KEYS: &[(&str, &str)] = &[("gocachehash", "1"), ("goindex", "0")];

    #[test]
    fn godebug_is_appended_to_the_users() {
        assert_eq!(merge_godebug("", HASH_KEYS), "gocachehash=1,goindex=0");
        assert_eq!(
            merge_godebug("http2client=0", HASH_KEYS),
            "http2client=0,gocachehash=1,goindex=0"
        );
        assert_eq!(
            merge_godebug("gocachehash=0,x=1,goindex=1", HASH_KEYS),
            "x=1,gocachehash=1,goindex=0"
        );
        assert_eq!(
            merge_godebug(" a=1 ,, b=2", HASH_KEYS),
            "a=1,b=2,gocachehash=1,goindex=0"
        );
    }

    #[test]
    fn a_side_override_is_the_base_for_godebug() {
        let inv = GoInvocation::new("go", Subcommand::Test).env("GODEBUG", "panicnil=1");
        assert_eq!(
            inv.godebug().as_deref(),
            Some("panicnil=1,gocachehash=1,goindex=0,gocachetest=1")
        );
        let inv = GoInvocation::new("go", Subcommand::Env);
        assert_eq!(inv.godebug(), None);
        let inv = GoInvocation::new("go", Subcommand::Build).env_remove("GODEBUG");
        assert_eq!(inv.godebug().as_deref(), Some("gocachehash=1,goindex=0"));
    }

    #[test]
    fn an_explicit_goindex_is_kept_so_module_index_lines_can_be_asked_for() {
        let inv = GoInvocation::new("go", Subcommand::Build).env("GODEBUG", "goindex=1");
        assert_eq!(inv.godebug().as_deref(), Some("goindex=1,gocachehash=1"));
    }

    #[test]
    fn argv_starts_with_the_subcommand() {
        let inv = GoInvocation::new("go", Subcommand::Build).args(["-trimpath", "./..."]);
        assert_eq!(inv.argv(), ["build", "-trimpath", "./..."]);
        assert_eq!(inv.display(), "go build -trimpath ./...");
    }

    /// The environment a real go child sees, via `go env`.
    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn the_child_sees_godebug_gotoolchain_and_overrides() {
        let go = test_toolchain("1.27.3");
        let dir = tempfile::tempdir().unwrap();
        let out = GoInvocation::new(&go, Subcommand::Env)
            .args(["GOTOOLCHAIN", "CGO_ENABLED", "GOFLAGS"])
            .dir(dir.path())
            .env("CGO_ENABLED", "0")
            .env_remove("GOFLAGS")
            .capture()
            .run()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines, ["local", "0", ""], "{text}");

        let out = GoInvocation::new(&go, Subcommand::Env)
            .arg("GOTOOLCHAIN")
            .env("GOTOOLCHAIN", "go1.27.3")
            .capture()
            .run()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "go1.27.3");
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn a_failing_command_is_collected_not_an_error() {
        let go = test_toolchain("1.27.3");
        let out = GoInvocation::new(&go, Subcommand::List)
            .arg("-bogus-flag")
            .capture()
            .run()
            .unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("bogus"));
    }

    #[test]
    #[cfg_attr(feature = "skip-go-tests", ignore = "runs go")]
    fn the_child_leads_its_own_process_group() {
        let go = test_toolchain("1.27.3");
        let handle = GoInvocation::new(&go, Subcommand::Env)
            .arg("GOVERSION")
            .capture()
            .start()
            .unwrap();
        let pid = handle.pids()[0] as i32;
        let pgid = rustix::process::getpgid(rustix::process::Pid::from_raw(pid));
        let output = handle.wait().unwrap();
        assert!(output.status.success());
        // The child may already have exited; when it had not, its group was its own pid.
        if let Ok(pgid) = pgid {
            assert_eq!(pgid.as_raw_nonzero().get(), pid);
        }
    }
}
