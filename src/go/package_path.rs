//! A package named by its directory (`./greet`, `../lib`, `/src/app/greet`), turned into the
//! import path go gives it, without running go: the nearest `go.mod` at or above the directory,
//! its `module` line, and the directory's path below it (as `cmd/go/internal/modload`,
//! `(*MainModuleSet).DirImportPath` does for a main module's directory).

use std::path::{Path, PathBuf};

/// Whether `arg` names a package by its directory, as go's `build.IsLocalImport` says for a
/// relative one (`.`, `..`, `./…`, `../…`), or an absolute path.
pub(crate) fn is_directory_argument(arg: &str) -> bool {
    arg == "."
        || arg == ".."
        || arg.starts_with("./")
        || arg.starts_with("../")
        || arg.starts_with('/')
}

/// The import path of the package in `dir` (relative to `base`, the directory go would run
/// in). Errors are one-line messages naming `arg`.
pub(crate) fn import_path(base: &Path, arg: &str) -> Result<String, String> {
    let dir = normalize(&base.join(arg));
    if !dir.is_dir() {
        return Err(format!("{arg}: no such directory ({})", dir.display()));
    }
    let mut root: &Path = &dir;
    let gomod = loop {
        let candidate = root.join("go.mod");
        if candidate.is_file() {
            break candidate;
        }
        root = root.parent().ok_or_else(|| {
            format!(
                "{arg}: not inside a Go module (no go.mod in {} or above)",
                dir.display()
            )
        })?;
    };
    let text = std::fs::read_to_string(&gomod)
        .map_err(|e| format!("{}: {}", gomod.display(), crate::error::io_message(&e)))?;
    let module =
        module_line(&text).ok_or_else(|| format!("{}: no module line", gomod.display()))?;
    let below = dir.strip_prefix(root).unwrap_or(Path::new(""));
    let mut path = module.to_string();
    for part in below.components() {
        path.push('/');
        path.push_str(&part.as_os_str().to_string_lossy());
    }
    Ok(path)
}

/// `a/./b/../c` → `a/c`, without touching the file system (symlinks are kept, as go keeps the
/// directory it was given).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    std::path::absolute(&out).unwrap_or(out)
}

/// The module path of a go.mod: `module example.com/app`, possibly quoted, with a comment.
fn module_line(gomod: &str) -> Option<&str> {
    gomod.lines().find_map(|line| {
        let line = line.split("//").next()?.trim();
        let rest = line.strip_prefix("module")?;
        if !rest.starts_with([' ', '\t', '"', '`']) {
            return None;
        }
        let path = rest.trim().trim_matches(['"', '`']);
        (!path.is_empty()).then_some(path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_arguments_are_the_local_import_forms_and_absolute_paths() {
        for arg in [".", "..", "./greet", "../lib", "/src/app/greet"] {
            assert!(is_directory_argument(arg), "{arg}");
        }
        for arg in [
            "greet",
            "example.com/app/greet",
            "link example.com/app",
            ".hidden",
        ] {
            assert!(!is_directory_argument(arg), "{arg}");
        }
    }

    #[test]
    fn a_module_line_is_read_quoted_or_not() {
        assert_eq!(module_line("module example.com/x\n"), Some("example.com/x"));
        assert_eq!(
            module_line("// c\nmodule \"example.com/q\" // why\n\ngo 1.21\n"),
            Some("example.com/q")
        );
        assert_eq!(module_line("modules x\n"), None);
        assert_eq!(module_line("go 1.21\n"), None);
    }

    /// Issue 11: `whymiss explain ./greet` was not accepted.
    #[test]
    fn a_directory_is_its_module_path_and_the_path_below() {
        let root = tempfile::tempdir().unwrap();
        let module = root.path().join("app");
        std::fs::create_dir_all(module.join("greet/inner")).unwrap();
        std::fs::write(module.join("go.mod"), "module example.com/app\n\ngo 1.21\n").unwrap();
        assert_eq!(import_path(&module, ".").unwrap(), "example.com/app");
        assert_eq!(
            import_path(&module, "./greet").unwrap(),
            "example.com/app/greet"
        );
        assert_eq!(
            import_path(&module.join("greet/inner"), "..").unwrap(),
            "example.com/app/greet"
        );
        assert_eq!(
            import_path(
                root.path(),
                &module.join("greet/inner").display().to_string()
            )
            .unwrap(),
            "example.com/app/greet/inner"
        );
        let err = import_path(&module, "./nope").unwrap_err();
        assert!(err.starts_with("./nope: no such directory"), "{err}");
        let err = import_path(root.path(), ".").unwrap_err();
        assert!(err.contains("not inside a Go module"), "{err}");
    }
}
