//! Applying a scenario's setup steps to its working copy.

use std::fs;
use std::io;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use super::embedded;
use super::scenario::{CHECKOUT_TIME, EDIT_TIME, Step, parse_time};

/// Applies one step in the module root `root`; `scenario` names the scenario (for `put`).
pub fn apply(step: &Step, root: &Path, scenario: &str) -> io::Result<()> {
    let edited = parse_time(EDIT_TIME).expect("a valid constant");
    let write = |rel: &str, bytes: &[u8]| -> io::Result<()> {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)?;
        embedded::set_mtime(&path, edited)
    };
    match step {
        Step::Touch(paths) => {
            for rel in paths {
                let path = root.join(rel);
                if !path.exists() {
                    fs::write(&path, b"")?;
                }
                embedded::set_mtime(&path, SystemTime::now())?;
            }
            Ok(())
        }
        Step::Write { path, text } => write(path, text.as_bytes()),
        Step::Append { path, text } => {
            let mut bytes = fs::read(root.join(path))?;
            bytes.extend_from_slice(text.as_bytes());
            write(path, &bytes)
        }
        Step::Replace { path, old, new } => {
            let text = fs::read_to_string(root.join(path))?;
            if !text.contains(old.as_str()) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{path} does not contain {old:?}"),
                ));
            }
            write(path, text.replace(old.as_str(), new).as_bytes())
        }
        Step::Copy { from, to } => copy(&root.join(from), &root.join(to), edited),
        Step::Put { file, path } => {
            let source = format!("scenarios/{scenario}/{file}");
            let bytes = embedded::file(&source).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("no file {file} in the scenario"),
                )
            })?;
            write(path, &bytes)
        }
        Step::Remove(paths) => {
            for rel in paths {
                let path = root.join(rel);
                if path.is_dir() {
                    fs::remove_dir_all(&path)?;
                } else {
                    fs::remove_file(&path)?;
                }
            }
            Ok(())
        }
        Step::SetMtime { path, time } => embedded::set_mtime(&root.join(path), *time),
        Step::GitInit => git_init(root),
        Step::RemoveGit => fs::remove_dir_all(root.join(".git")),
        Step::WriteExternal { path, text } => {
            let path = Path::new(path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(path, text)?;
            embedded::set_mtime(path, parse_time(CHECKOUT_TIME).expect("a valid constant"))
        }
    }
}

/// Copies a file, or a directory recursively, over `to`; copied files get `mtime`.
fn copy(from: &Path, to: &Path, mtime: SystemTime) -> io::Result<()> {
    if from.is_dir() {
        fs::create_dir_all(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            copy(&entry.path(), &to.join(entry.file_name()), mtime)?;
        }
        Ok(())
    } else {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from, to)?;
        embedded::set_mtime(to, mtime)
    }
}

/// `git init` and one commit of everything, with a fixed author, committer and date, and no
/// configuration of the user's (hooks, signing) in the way.
fn git_init(root: &Path) -> io::Result<()> {
    let git = |args: &[&str]| -> io::Result<()> {
        let out = Command::new("git")
            .args([
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "core.hooksPath=/dev/null",
            ])
            .args(args)
            .current_dir(root)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "whymiss demo")
            .env("GIT_AUTHOR_EMAIL", "demo@whymiss.invalid")
            .env("GIT_AUTHOR_DATE", CHECKOUT_TIME)
            .env("GIT_COMMITTER_NAME", "whymiss demo")
            .env("GIT_COMMITTER_EMAIL", "demo@whymiss.invalid")
            .env("GIT_COMMITTER_DATE", CHECKOUT_TIME)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot run git: {e}")))?;
        if out.status.success() {
            Ok(())
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
            Err(io::Error::other(format!(
                "git {} failed: {}",
                args.join(" "),
                last.unwrap_or("no message")
            )))
        }
    };
    git(&["init", "-q"])?;
    git(&["add", "-A"])?;
    git(&["commit", "-q", "-m", "whymiss demo checkout"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::scenario::step;

    fn run(root: &Path, text: &str) -> io::Result<()> {
        apply(&step(text).unwrap(), root, "none")
    }

    #[test]
    fn file_steps_change_contents_and_mtimes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let edited = parse_time(EDIT_TIME).unwrap();
        run(root, "write a/b.txt 'one\\n'").unwrap();
        run(root, "append a/b.txt two").unwrap();
        run(root, "replace a/b.txt one ONE").unwrap();
        assert_eq!(
            fs::read_to_string(root.join("a/b.txt")).unwrap(),
            "ONE\ntwo"
        );
        let mtime = |p: &str| fs::metadata(root.join(p)).unwrap().modified().unwrap();
        assert_eq!(mtime("a/b.txt"), edited);
        let err = run(root, "replace a/b.txt missing x").unwrap_err();
        assert!(err.to_string().contains("does not contain"), "{err}");
        run(root, "copy a c").unwrap();
        assert_eq!(
            fs::read_to_string(root.join("c/b.txt")).unwrap(),
            "ONE\ntwo"
        );
        run(root, "set-mtime c/b.txt 2024-06-01").unwrap();
        assert_eq!(mtime("c/b.txt"), parse_time("2024-06-01").unwrap());
        let before = SystemTime::now() - std::time::Duration::from_secs(5);
        run(root, "touch c/b.txt new.txt").unwrap();
        assert!(mtime("c/b.txt") > before && mtime("new.txt") > before);
        run(root, "rm c new.txt").unwrap();
        assert!(!root.join("c").exists() && !root.join("new.txt").exists());
        assert!(run(root, "put nothing.txt x").is_err());
    }

    #[test]
    fn git_init_makes_one_commit_and_rm_git_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("go.mod"), "module example.com/x\n").unwrap();
        run(root, "git-init").unwrap();
        let out = Command::new("git")
            .args(["log", "--format=%H %an %cI"])
            .current_dir(root)
            .output()
            .unwrap();
        let log = String::from_utf8_lossy(&out.stdout);
        assert_eq!(log.lines().count(), 1, "{log}");
        assert!(log.contains("whymiss demo 2024-01-01T00:00:00Z"), "{log}");
        run(root, "rm-git").unwrap();
        assert!(!root.join(".git").exists());
    }
}
