//! Removing a directory tree that whymiss made, also when go left read-only parts in it: the
//! module cache's files and directories are read-only (`cmd/go/internal/modfetch`, unless
//! `-modcacherw`), so a build with a module cache of its own (`whymiss check` moving HOME)
//! leaves a tree `remove_dir_all` cannot empty without write permission on its directories.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

/// Removes `dir` and everything in it; makes directories writable by their owner where that is
/// what stops it.
pub(crate) fn remove_tree(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            make_writable(dir);
            fs::remove_dir_all(dir)
        }
        other => other,
    }
}

/// Adds the owner's write and search bits to every directory under `dir` (symbolic links are
/// not followed).
fn make_writable(dir: &Path) {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let mode = meta.permissions().mode();
    if mode & 0o700 != 0o700 {
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(mode | 0o700));
    }
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            make_writable(&entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_with_read_only_directories_is_removed() {
        let scratch = tempfile::tempdir().unwrap();
        let root = scratch.path().join("t");
        let sub = root.join("pkg/mod/example.com/dep@v1.0.0");
        fs::create_dir_all(&sub).unwrap();
        fs::write(sub.join("dep.go"), "package dep\n").unwrap();
        for d in [&sub, &root.join("pkg/mod/example.com")] {
            fs::set_permissions(d, fs::Permissions::from_mode(0o555)).unwrap();
        }
        remove_tree(&root).unwrap();
        assert!(!root.exists());
    }
}
