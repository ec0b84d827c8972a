//! Where the history is, and which module a directory belongs to.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable that names the history file.
pub const HISTORY_VAR: &str = "WHYMISS_HISTORY";

/// `--history PATH`, else `$WHYMISS_HISTORY`, else `whymiss/history.sqlite` in the user cache
/// directory (`$XDG_CACHE_HOME` or `~/.cache`; `~/Library/Caches` on macOS), like Go's own
/// `os.UserCacheDir`.
pub fn history_path(flag: Option<&Path>) -> Option<PathBuf> {
    history_path_with(flag, &|k| std::env::var_os(k))
}

fn history_path_with(
    flag: Option<&Path>,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    let var = |k: &str| env(k).filter(|v| !v.is_empty());
    if let Some(p) = var(HISTORY_VAR) {
        return Some(PathBuf::from(p));
    }
    let cache = if cfg!(target_os = "macos") {
        var("HOME").map(|h| PathBuf::from(h).join("Library/Caches"))
    } else {
        var("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache")))
    }?;
    Some(cache.join("whymiss").join("history.sqlite"))
}

/// The module a directory belongs to: the `module` path of the nearest `go.mod` above it (and
/// its directory), or the directory itself outside a module. Records are kept and compared per
/// module, so two checkouts of one module share a history (and `why` explains the difference
/// between them).
pub fn module_of(dir: &Path) -> (String, PathBuf) {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    for d in dir.ancestors() {
        let Ok(text) = std::fs::read_to_string(d.join("go.mod")) else {
            continue;
        };
        if let Some(path) = module_path(&text) {
            return (path, d.to_path_buf());
        }
    }
    (dir.display().to_string(), dir)
}

/// The path of a go.mod's `module` directive (quoted or not, comments dropped).
fn module_path(gomod: &str) -> Option<String> {
    gomod.lines().find_map(|line| {
        let line = line.split("//").next()?.trim();
        let rest = line.strip_prefix("module")?;
        if !rest.starts_with([' ', '\t', '"']) {
            return None;
        }
        let path = rest.trim().trim_matches(|c| c == '"' || c == '`');
        (!path.is_empty()).then(|| path.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_then_the_variable_then_the_cache_dir() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let flag = Path::new("/x/h.sqlite");
        assert_eq!(
            history_path_with(Some(flag), &env(&[(HISTORY_VAR, "/y")])),
            Some(flag.to_path_buf())
        );
        assert_eq!(
            history_path_with(None, &env(&[(HISTORY_VAR, "/y/h"), ("HOME", "/home/u")])),
            Some(PathBuf::from("/y/h"))
        );
        if !cfg!(target_os = "macos") {
            assert_eq!(
                history_path_with(None, &env(&[("HOME", "/home/u")])),
                Some(PathBuf::from("/home/u/.cache/whymiss/history.sqlite"))
            );
            assert_eq!(
                history_path_with(None, &env(&[("XDG_CACHE_HOME", "/c"), ("HOME", "/h")])),
                Some(PathBuf::from("/c/whymiss/history.sqlite"))
            );
        }
        assert_eq!(history_path_with(None, &env(&[])), None);
    }

    #[test]
    fn module_paths_are_read_from_go_mod() {
        assert_eq!(
            module_path("// x\nmodule example.com/app // c\n\ngo 1.21\n").as_deref(),
            Some("example.com/app")
        );
        assert_eq!(module_path("module \"a/b\"\n").as_deref(), Some("a/b"));
        assert_eq!(module_path("modules x\n"), None);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("go.mod"), "module example.com/m\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let (module, root) = module_of(&dir.path().join("sub"));
        assert_eq!(module, "example.com/m");
        assert_eq!(root, dir.path());
    }
}
