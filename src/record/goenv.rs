//! The value the go command will use for a setting it reads through `cfg.Getenv`
//! (cmd/go/internal/cfg/cfg.go): the environment variable when it is set and not empty, else
//! the user's go env file (`go env -w`), `$GOENV` or `os.UserConfigDir()/go/env`
//! (`EnvFile`). whymiss changes GOFLAGS and GOCACHEPROG for the go processes it observes, and a
//! value it sets in the environment hides the file's: so it starts from the effective value,
//! never from the bare environment.

use std::ffi::OsString;
use std::path::PathBuf;

/// The effective value of `key` (GOFLAGS, GOCACHEPROG, …), reading the environment through
/// `env`. Empty when neither the environment nor the go env file sets it.
pub(super) fn effective(key: &str, env: &dyn Fn(&str) -> Option<OsString>) -> String {
    if let Some(v) = env(key).filter(|v| !v.is_empty()) {
        return v.to_string_lossy().into_owned();
    }
    env_file(env)
        .and_then(|path| std::fs::read_to_string(path).ok())
        .and_then(|text| file_value(&text, key))
        .unwrap_or_default()
}

/// [`effective`] from this process's environment.
pub(super) fn effective_here(key: &str) -> String {
    effective(key, &|k| std::env::var_os(k))
}

/// cfg.EnvFile: `$GOENV` (`off` for none), else the user config directory's `go/env`.
fn env_file(env: &dyn Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    if let Some(file) = env("GOENV").filter(|v| !v.is_empty()) {
        return (file != "off").then(|| PathBuf::from(file));
    }
    let config = if cfg!(target_os = "macos") {
        env("HOME").map(|h| PathBuf::from(h).join("Library/Application Support"))
    } else {
        env("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".config")))
    }?;
    Some(config.join("go").join("env"))
}

/// The last `KEY=value` line for `key` in a go env file (cfg.readEnvFile: later lines win,
/// values are taken verbatim).
fn file_value(text: &str, key: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.to_string())
        .next_back()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_wins_unless_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("env");
        std::fs::write(&file, "GOFLAGS=-mod=mod\nGOCACHEPROG=/bin/prog -v\n").unwrap();
        let env = |set: Option<&'static str>| {
            let file = file.clone();
            move |k: &str| match k {
                "GOENV" => Some(file.clone().into_os_string()),
                "GOFLAGS" => set.map(OsString::from),
                _ => None,
            }
        };
        assert_eq!(effective("GOFLAGS", &env(Some("-trimpath"))), "-trimpath");
        assert_eq!(effective("GOFLAGS", &env(Some(""))), "-mod=mod");
        assert_eq!(effective("GOFLAGS", &env(None)), "-mod=mod");
        assert_eq!(effective("GOCACHEPROG", &env(None)), "/bin/prog -v");
        assert_eq!(effective("GOEXPERIMENT", &env(None)), "");
    }

    #[test]
    fn goenv_off_reads_no_file() {
        let env = |k: &str| (k == "GOENV").then(|| OsString::from("off"));
        assert_eq!(effective("GOFLAGS", &env), "");
    }
}
