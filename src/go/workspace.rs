//! Temporary directories that whymiss owns, and relocated copies of a module.
//!
//! A [`TempTree`] is a `tempfile` directory that is also registered with the signal handler, so
//! it disappears on drop *and* on Ctrl-C. Its name carries the owner's pid
//! (`$TMPDIR/whymiss-reloc-<pid>-XXXXXX`) and it holds an [`OWNER_FILE`] that the owner keeps
//! locked (`flock`) while it lives: the kernel drops the lock when the process dies, however it
//! dies, so a later run knows which directories a SIGKILL left behind and removes them
//! ([`sweep_stale`]). A [`Workspace`] is a copy of a module (or of a
//! `go.work` workspace) at another absolute path of the same shape
//! (`$TMPDIR/whymiss-reloc-XXXX/<module dir name>`), for asking "what if this were checked out
//! elsewhere?". whymiss never writes into the user's tree; a relocated side builds the copy.
//!
//! The copy keeps file contents, permissions and modification times (build keys ignore mtimes,
//! but a cached test result is keyed on the mtimes of the files the test reads, and go test
//! caches nothing a test read within 2 s of its last change), copies symlinks as symlinks, skips sockets and devices, and leaves out version-control metadata (`.git` and
//! friends): it can be large, and go must not see a repository that is not there.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use super::signals;

/// Names that are version-control metadata, as files or directories (go's `cmd/go/internal/vcs`
/// looks for the first five).
pub const VCS_NAMES: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".fslckout",
    "_FOSSIL_",
    "_darcs",
    ".jj",
    ".pijul",
    "CVS",
];

/// The file in each [`TempTree`] that its owner holds locked while it lives.
pub const OWNER_FILE: &str = ".whymiss-owner";

/// The kinds of temporary directory whymiss makes (`whymiss-<kind>-<pid>-XXXXXX`): relocated
/// copies, cold caches, go work directories, demo modules, `whymiss check`'s builds.
const KINDS: &[&str] = &["reloc", "gocache", "work", "demo", "check"];

/// A temporary directory removed on drop and on the signals the handler catches.
#[derive(Debug)]
pub struct TempTree {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
    /// [`OWNER_FILE`], locked: closing it (drop, or the process's death) releases the lock.
    _owner: Option<fs::File>,
}

impl TempTree {
    /// Creates `$TMPDIR/<prefix><pid>-XXXXXX` (prefix `whymiss-<kind>-`), registers it with the
    /// signal handler, and locks its [`OWNER_FILE`].
    pub fn new(prefix: &str) -> io::Result<TempTree> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("{prefix}{}-", std::process::id()))
            .tempdir()?;
        let path = dir.path().to_owned();
        signals::register_dir(&path);
        let mut tree = TempTree {
            dir: Some(dir),
            path,
            _owner: None,
        };
        let owner = fs::File::create_new(tree.path.join(OWNER_FILE))?;
        owner.lock()?;
        tree._owner = Some(owner);
        Ok(tree)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            // A module cache inside (a check's HOME) is read-only: close() alone cannot empty it.
            let path = dir.keep();
            let _ = super::tree::remove_tree(&path);
            signals::unregister_dir(&self.path);
        }
    }
}

/// A relocated copy of a module, removed on drop.
#[derive(Debug)]
pub struct Workspace {
    tree: TempTree,
    original: PathBuf,
    root: PathBuf,
}

impl Workspace {
    /// Copies the tree at `module_root` to `$TMPDIR/whymiss-reloc-XXXX/<its name>`.
    ///
    /// Stops with [`io::ErrorKind::Interrupted`] if a signal arrives while copying.
    pub fn relocate(module_root: &Path) -> io::Result<Workspace> {
        let original = module_root.canonicalize()?;
        let tree = TempTree::new("whymiss-reloc-")?;
        let name = original
            .file_name()
            .map_or_else(|| "module".into(), |n| n.to_owned());
        let root = tree.path().join(name);
        copy_tree(&original, &root)?;
        Ok(Workspace {
            tree,
            original,
            root,
        })
    }

    /// A symbolic link at `$TMPDIR/whymiss-reloc-XXXX/<its name>` to the tree at
    /// `module_root`: the same files at another absolute path, made at once whatever the
    /// module's size. Only for a go command that writes nothing into the tree, which `go build
    /// -n` does not; run it in the link (the go command sees the directory it is given through
    /// `PWD`, [`super::invocation::GoInvocation::dir`]). Unlike a copy, the link shows
    /// version-control metadata; the relocation check turns VCS stamping off.
    ///
    /// go finds a package by the path it is given and hashes its files by content: the keys
    /// of a dry run in the link are those of a dry run in a copy at the same path (checked on
    /// Go 1.21.13 and 1.27.3 for corpus/modules/lab, with cgo, assembly and `//go:embed`, and
    /// for a generated module of 1,000 packages). Removing the temporary directory removes the
    /// link, never what it points to.
    pub fn link(module_root: &Path) -> io::Result<Workspace> {
        let original = module_root.canonicalize()?;
        let tree = TempTree::new("whymiss-reloc-")?;
        let name = original
            .file_name()
            .map_or_else(|| "module".into(), |n| n.to_owned());
        let root = tree.path().join(name);
        std::os::unix::fs::symlink(&original, &root)?;
        Ok(Workspace {
            tree,
            original,
            root,
        })
    }

    /// The copy of the module root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary directory holding the copy (what is removed).
    pub fn temp_dir(&self) -> &Path {
        self.tree.path()
    }

    /// Where `dir` (inside the original module) is in the copy; the copy's root for a directory
    /// outside the module.
    pub fn map(&self, dir: &Path) -> PathBuf {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
        match dir.strip_prefix(&self.original) {
            Ok(rel) if rel.as_os_str().is_empty() => self.root.clone(),
            Ok(rel) => self.root.join(rel),
            Err(_) => self.root.clone(),
        }
    }
}

/// Removes whymiss's temporary directories directly under `dir` (the temporary directory) whose
/// owner is gone, and returns them. Only directories named `whymiss-<kind>-<pid>-<suffix>`
/// (a kind whymiss makes), owned by this user and not symbolic links, are candidates; one is
/// stale when its [`OWNER_FILE`] can be locked (nobody holds it), or, should it have none (its
/// owner died before making it), when no process `<pid>` exists. Stops early on a signal.
pub fn sweep_stale(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return removed;
    };
    let me = std::process::id();
    let uid = rustix::process::geteuid().as_raw();
    for entry in entries.flatten() {
        if signals::interrupted().is_some() {
            break;
        }
        let Some(pid) = entry.file_name().to_str().and_then(owner_pid) else {
            continue;
        };
        let path = entry.path();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        use std::os::unix::fs::MetadataExt as _;
        if pid == me || !meta.is_dir() || meta.uid() != uid {
            continue;
        }
        let stale = match fs::File::open(path.join(OWNER_FILE)) {
            // Held while the lock file is removed with the rest.
            Ok(owner) => match owner.try_lock() {
                Ok(()) => true,
                Err(fs::TryLockError::WouldBlock) => false,
                Err(fs::TryLockError::Error(_)) => !process_exists(pid),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => !process_exists(pid),
            Err(_) => false,
        };
        if stale && super::tree::remove_tree(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// `whymiss-reloc-1234-AbCdEf` → 1234, for the kinds whymiss makes; anything else → `None`.
fn owner_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("whymiss-")?;
    let (kind, rest) = rest.split_once('-')?;
    let (pid, suffix) = rest.split_once('-')?;
    if !KINDS.contains(&kind) || suffix.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok().filter(|&p| p > 0)
}

/// Whether a process `pid` exists (one of another user counts).
fn process_exists(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

/// Copies `src` to a new directory `dst`: see the module documentation for what is kept.
pub fn copy_tree(src: &Path, dst: &Path) -> io::Result<()> {
    let meta = fs::metadata(src)?;
    fs::create_dir(dst)?;
    for entry in fs::read_dir(src)? {
        if signals::interrupted().is_some() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "interrupted while copying",
            ));
        }
        let entry = entry?;
        let name = entry.file_name();
        if VCS_NAMES.iter().any(|v| name == *v) {
            continue;
        }
        let from = entry.path();
        let to = dst.join(&name);
        let kind = entry.file_type()?;
        let context = |e: io::Error| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot copy {}: {}",
                    from.display(),
                    crate::error::io_message(&e)
                ),
            )
        };
        if kind.is_dir() {
            copy_tree(&from, &to)?;
        } else if kind.is_file() {
            fs::copy(&from, &to).map_err(context)?;
            let modified = entry.metadata().and_then(|m| m.modified());
            modified.and_then(|t| set_mtime(&to, t)).map_err(context)?;
        } else if kind.is_symlink() {
            let target = fs::read_link(&from).map_err(context)?;
            std::os::unix::fs::symlink(target, &to).map_err(context)?;
        }
        // Sockets, FIFOs and devices are not source.
    }
    // Owner-writable so the copy can always be removed; directory modes feed no cache key.
    let mode = meta.permissions().mode() | 0o700;
    fs::set_permissions(dst, fs::Permissions::from_mode(mode))?;
    // Last: creating the entries above changed it.
    set_mtime(dst, meta.modified()?)
}

/// Sets the modification time of a file or directory (a read-only descriptor is enough for
/// its owner).
fn set_mtime(path: &Path, modified: std::time::SystemTime) -> io::Result<()> {
    fs::File::open(path)?.set_modified(modified)
}

/// A private copy of `corpus/modules/<name>` for a test, so tests never touch the repository.
#[cfg(test)]
pub(crate) struct TestModule {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

#[cfg(test)]
impl TestModule {
    /// The copy's module root (`$TMPDIR/whymiss-test-XXXX/<name>`).
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
pub(crate) fn copy_tree_for_test(name: &str) -> TestModule {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/modules")
        .join(name);
    let dir = tempfile::Builder::new()
        .prefix("whymiss-test-")
        .tempdir()
        .unwrap();
    let path = dir.path().join(name);
    copy_tree(&src, &path).unwrap();
    TestModule { _dir: dir, path }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build_fixture(root: &Path) {
        fs::create_dir_all(root.join("pkg/sub")).unwrap();
        fs::create_dir_all(root.join(".git/objects")).unwrap();
        fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::create_dir_all(root.join("pkg/.hg")).unwrap();
        fs::write(root.join("go.mod"), "module example.com/x\n").unwrap();
        fs::write(root.join("pkg/a.go"), "package pkg\n").unwrap();
        fs::write(root.join("pkg/sub/run.sh"), "#!/bin/sh\n").unwrap();
        fs::set_permissions(
            root.join("pkg/sub/run.sh"),
            fs::Permissions::from_mode(0o751),
        )
        .unwrap();
        fs::write(root.join("pkg/ro.txt"), "read only").unwrap();
        fs::set_permissions(root.join("pkg/ro.txt"), fs::Permissions::from_mode(0o444)).unwrap();
        std::os::unix::fs::symlink("a.go", root.join("pkg/link.go")).unwrap();
    }

    #[test]
    fn relocation_copies_contents_modes_and_mtimes_but_not_vcs() {
        let src = tempfile::tempdir().unwrap();
        let root = src.path().join("mymod");
        build_fixture(&root);
        let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        for p in ["pkg/a.go", "pkg/ro.txt", "pkg/sub", "pkg"] {
            fs::File::open(root.join(p))
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        let ws = Workspace::relocate(&root).unwrap();
        let copy = ws.root().to_owned();
        assert_ne!(copy, root);
        assert_eq!(copy.file_name().unwrap(), "mymod");
        assert!(copy.starts_with(ws.temp_dir()));
        assert_eq!(fs::read(copy.join("pkg/a.go")).unwrap(), b"package pkg\n");
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&copy.join("pkg/sub/run.sh")), 0o751);
        assert_eq!(mode(&copy.join("pkg/ro.txt")), 0o444);
        // go test keys results on the mtimes of the files a test reads.
        let mtime = |p: &Path| fs::metadata(p).unwrap().modified().unwrap();
        for p in ["pkg/a.go", "pkg/ro.txt", "pkg/sub", "pkg"] {
            assert_eq!(mtime(&copy.join(p)), old, "{p}");
        }
        assert_eq!(mtime(&copy), mtime(&root));
        assert_eq!(
            fs::read_link(copy.join("pkg/link.go")).unwrap(),
            Path::new("a.go")
        );
        assert!(!copy.join(".git").exists());
        assert!(!copy.join("pkg/.hg").exists());
        assert_eq!(ws.map(&root.join("pkg/sub")), copy.join("pkg/sub"));
        assert_eq!(ws.map(Path::new("/")), copy);
        assert_eq!(ws.map(&root), copy);
        assert!(!ws.map(&root).to_string_lossy().ends_with('/'));
        // The user's tree is untouched.
        assert!(root.join(".git/HEAD").exists());
    }

    #[test]
    fn a_linked_relocation_is_the_same_tree_at_another_path_and_removing_it_keeps_the_tree() {
        let src = tempfile::tempdir().unwrap();
        let root = src.path().join("mymod");
        build_fixture(&root);
        let ws = Workspace::link(&root).unwrap();
        let link = ws.root().to_owned();
        assert_eq!(link.file_name().unwrap(), "mymod");
        assert!(link.starts_with(ws.temp_dir()));
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(link.join("pkg/a.go")).unwrap(), b"package pkg\n");
        assert_eq!(ws.map(&root.join("pkg/sub")), link.join("pkg/sub"));
        let temp = ws.temp_dir().to_owned();
        drop(ws);
        assert!(!temp.exists());
        assert!(root.join("pkg/a.go").is_file() && root.join(".git/HEAD").exists());
    }

    #[test]
    fn a_workspace_is_removed_on_drop_and_unregistered() {
        let src = tempfile::tempdir().unwrap();
        let root = src.path().join("m");
        build_fixture(&root);
        let ws = Workspace::relocate(&root).unwrap();
        let temp = ws.temp_dir().to_owned();
        assert!(signals::snapshot().dirs.contains(&temp));
        drop(ws);
        assert!(!temp.exists());
        assert!(!signals::snapshot().dirs.contains(&temp));
    }

    #[test]
    fn a_temp_tree_carries_its_pid_and_a_locked_owner_file() {
        let tree = TempTree::new("whymiss-work-").unwrap();
        let name = tree
            .path()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(owner_pid(&name), Some(std::process::id()), "{name}");
        let owner = fs::File::open(tree.path().join(OWNER_FILE)).unwrap();
        assert!(matches!(
            owner.try_lock(),
            Err(fs::TryLockError::WouldBlock)
        ));
        let path = tree.path().to_owned();
        drop(tree);
        assert!(!path.exists());
    }

    #[test]
    fn owner_pids_come_only_from_whymiss_names() {
        assert_eq!(owner_pid("whymiss-reloc-1234-AbCdEf"), Some(1234));
        assert_eq!(owner_pid("whymiss-gocache-7-x"), Some(7));
        for name in [
            "whymiss-reloc-AbCdEf",
            "whymiss-reloc-1234-",
            "whymiss-test-1234-AbCdEf",
            "whymiss-live-1-a",
            "whymiss-reloc-12a4-AbCdEf",
            "whymiss-reloc-0-x",
            "other-reloc-1-x",
            "whymiss-reloc--x",
        ] {
            assert_eq!(owner_pid(name), None, "{name}");
        }
    }

    /// A pid that no process has (one that just exited).
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!process_exists(pid));
        pid
    }

    /// Issue 9 item 11: after SIGKILL no later run removed the leftovers. Only whymiss's own
    /// directories whose owner is gone go; nothing else in the temporary directory is touched.
    #[test]
    fn stale_directories_of_dead_owners_are_swept_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let make = |name: &str, with_owner: bool| -> PathBuf {
            let dir = tmp.path().join(name);
            fs::create_dir_all(dir.join("copy/pkg")).unwrap();
            fs::write(dir.join("copy/pkg/a.go"), "package pkg\n").unwrap();
            if with_owner {
                fs::write(dir.join(OWNER_FILE), "").unwrap();
            }
            dir
        };
        // Stale: an unlocked owner file, or none and a dead pid.
        let stale = [
            make(&format!("whymiss-reloc-{dead}-aaaaaa"), true),
            make(&format!("whymiss-gocache-{dead}-bbbbbb"), false),
            // The pid is alive (pid 1) but nobody holds the lock: its owner was another process.
            make("whymiss-work-1-cccccc", true),
        ];
        // Alive: locked by a live owner (this process, through another open file), or no owner
        // file and a live pid.
        let held = make(&format!("whymiss-reloc-{dead}-dddddd"), true);
        let lock = fs::File::open(held.join(OWNER_FILE)).unwrap();
        lock.lock().unwrap();
        let alive_pid = make("whymiss-gocache-1-eeeeee", false);
        // Not whymiss's: other names, a file, a symbolic link to a directory.
        let others = [
            make("whymiss-reloc-Wf16UU", true),
            make(&format!("whymiss-test-{dead}-ffffff"), true),
            make("unrelated", true),
        ];
        let file = tmp.path().join(format!("whymiss-work-{dead}-gggggg"));
        fs::write(&file, "x").unwrap();
        let target = make("target", true);
        let link = tmp.path().join(format!("whymiss-demo-{dead}-hhhhhh"));
        std::os::unix::fs::symlink(&target, &link).unwrap();

        let mut removed = sweep_stale(tmp.path());
        removed.sort();
        let mut expected = stale.to_vec();
        expected.sort();
        assert_eq!(removed, expected);
        for dir in &stale {
            assert!(!dir.exists(), "{}", dir.display());
        }
        for kept in [
            &held, &alive_pid, &others[0], &others[1], &others[2], &target,
        ] {
            assert!(kept.join("copy/pkg/a.go").exists(), "{}", kept.display());
        }
        assert!(file.exists());
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        drop(lock);
        assert_eq!(sweep_stale(tmp.path()), vec![held]);
    }

    #[test]
    fn a_read_only_directory_does_not_block_removal() {
        let src = tempfile::tempdir().unwrap();
        let root = src.path().join("m");
        fs::create_dir_all(root.join("vendor/x")).unwrap();
        fs::write(root.join("vendor/x/x.go"), "package x\n").unwrap();
        fs::set_permissions(root.join("vendor/x"), fs::Permissions::from_mode(0o555)).unwrap();
        let ws = Workspace::relocate(&root).unwrap();
        let temp = ws.temp_dir().to_owned();
        drop(ws);
        assert!(!temp.exists());
        fs::set_permissions(root.join("vendor/x"), fs::Permissions::from_mode(0o755)).unwrap();
    }
}
