//! The corpus files built into the binary (`corpus/modules/` and `corpus/scenarios/`), so
//! `whymiss demo` needs nothing from the source tree, and writing a module out into a working
//! copy.

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::Path;
use std::time::SystemTime;

/// `corpus/modules/` and `corpus/scenarios/`, built into the binary (also in debug builds, so
/// the tests run what `cargo install` ships).
#[derive(rust_embed::Embed)]
#[folder = "corpus/"]
#[include = "modules/**"]
#[include = "scenarios/**"]
#[exclude = "**/.git*"]
#[exclude = "*~"]
#[exclude = "*.swp"]
struct Corpus;

/// The contents of `corpus/<path>`, if embedded.
pub fn file(path: &str) -> Option<Cow<'static, [u8]>> {
    Corpus::get(path).map(|f| f.data)
}

/// The files under `corpus/<dir>/`, as (path relative to that directory, contents).
pub fn files_under(dir: &str) -> impl Iterator<Item = (String, Cow<'static, [u8]>)> + '_ {
    Corpus::iter().filter_map(move |path| {
        let rest = path.strip_prefix(dir)?.strip_prefix('/')?.to_string();
        Some((rest, file(&path)?))
    })
}

/// The names of the embedded scenarios (directories holding a `scenario.txt`), sorted.
pub fn scenario_names() -> Vec<String> {
    let mut names: Vec<String> = Corpus::iter()
        .filter_map(|p| {
            p.strip_prefix("scenarios/")?
                .strip_suffix("/scenario.txt")
                .filter(|name| !name.contains('/'))
                .map(str::to_string)
        })
        .collect();
    names.sort_unstable();
    names
}

/// Writes every file under `corpus/<dir>/` into `dest` (created), each file and directory with
/// the modification time `mtime`. Errors when nothing is embedded under `dir`.
pub fn materialize(dir: &str, dest: &Path, mtime: SystemTime) -> io::Result<()> {
    let mut written = 0;
    let mut dirs = vec![dest.to_path_buf()];
    fs::create_dir_all(dest)?;
    for (rel, bytes) in files_under(dir) {
        let path = dest.join(&rel);
        if let Some(parent) = path.parent()
            && !parent.exists()
        {
            fs::create_dir_all(parent)?;
            let mut d = parent;
            while d != dest && !dirs.iter().any(|x| x == d) {
                dirs.push(d.to_path_buf());
                d = d.parent().unwrap_or(dest);
            }
        }
        fs::write(&path, &bytes)?;
        set_mtime(&path, mtime)?;
        written += 1;
    }
    if written == 0 {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("nothing embedded under corpus/{dir}"),
        ));
    }
    // Deepest first, so setting a directory's time is not undone by creating its children.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        set_mtime(&d, mtime)?;
    }
    Ok(())
}

/// Sets a file's or directory's modification (and access) time.
pub fn set_mtime(path: &Path, time: SystemTime) -> io::Result<()> {
    let file = fs::File::open(path)?;
    file.set_times(fs::FileTimes::new().set_modified(time).set_accessed(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_modules_and_scenarios_are_embedded() {
        assert!(file("modules/tiny/go.mod").is_some());
        assert!(file("modules/lab/cgopkg/include/lab.h").is_some());
        assert!(file("modules/nope/go.mod").is_none());
        assert!(
            file("pairs/moved/case.txt").is_none(),
            "only modules and scenarios"
        );
        let names = scenario_names();
        assert!(names.len() >= 15, "{names:?}");
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn a_module_is_written_out_with_one_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("lab");
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_704_067_200);
        materialize("modules/lab", &dest, t).unwrap();
        let hello = dest.join("greet/testdata/hello.txt");
        assert_eq!(
            fs::read(&hello).unwrap(),
            file("modules/lab/greet/testdata/hello.txt")
                .unwrap()
                .into_owned()
        );
        for p in [
            &hello,
            &dest.join("greet/testdata"),
            &dest.join("greet"),
            &dest,
        ] {
            assert_eq!(
                fs::metadata(p).unwrap().modified().unwrap(),
                t,
                "{}",
                p.display()
            );
        }
        assert!(materialize("modules/nope", &dir.path().join("x"), t).is_err());
    }
}
