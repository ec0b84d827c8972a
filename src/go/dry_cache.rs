//! The GOCACHE of dry runs: a directory only `go build -n` ever uses, so a dry log depends on
//! the inputs alone and nothing is written into the user's cache.
//!
//! Under `-n` go still looks every action up in its cache (`cmd/go/internal/work/buildid.go,
//! (*Builder).useCache`) and, on a hit, takes the cached build ID, whose second half is the
//! real content ID of the output; dependents are then keyed on that. A dry run against the
//! user's cache would therefore print real content IDs for whatever happens to be cached, and
//! dry keys would depend on the cache's state. A cache that only dry runs touch never holds a
//! build output: `-n` stores nothing but the `srcfiles` entries of `(*Builder).build`
//! (`cacheSrcFiles`), whose keys are subkeys (`sha256("subkey:" + parent + desc)`) and cannot
//! equal an action ID. So every lookup misses and every dependency is referenced by its key,
//! exactly as in an empty cache, at less cost (the `srcfiles` entries are reused).
//!
//! The directory is `$WHYMISS_DRY_GOCACHE` when set, else `whymiss/dry-gocache` under the user's
//! cache directory (`$XDG_CACHE_HOME`, else `~/.cache`); go trims it like any cache (entries
//! unused for five days). When it cannot be created, a temporary one is used for the run.

use std::path::{Path, PathBuf};

use super::workspace::TempTree;

/// Overrides where dry runs keep their GOCACHE (tests, benchmarks, read-only home directories).
pub(crate) const DRY_CACHE_VAR: &str = "WHYMISS_DRY_GOCACHE";

/// What the directory holds, for whoever finds it.
const README: &str = "This directory is the GOCACHE of whymiss's dry runs (go build -n).\n\
Only dry runs may use it: a real build's output here would change what dry runs print.\n\
It is safe to delete.\n";

/// The dry runs' GOCACHE for one run of go.
#[derive(Debug)]
pub(crate) enum DryCache {
    /// The shared, persistent directory.
    Persistent(PathBuf),
    /// A temporary one, removed on drop, when the persistent one cannot be created.
    Temporary(TempTree),
}

impl DryCache {
    /// The persistent directory, created if needed; else a temporary one.
    pub(crate) fn open() -> std::io::Result<DryCache> {
        if let Some(dir) = persistent_dir()
            && prepare(&dir).is_ok()
        {
            return Ok(DryCache::Persistent(dir));
        }
        TempTree::new("whymiss-gocache-").map(DryCache::Temporary)
    }

    pub(crate) fn path(&self) -> &Path {
        match self {
            DryCache::Persistent(dir) => dir,
            DryCache::Temporary(tree) => tree.path(),
        }
    }
}

/// Where the persistent dry cache is, if there is a place for it.
pub(crate) fn persistent_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var(DRY_CACHE_VAR) {
        return Some(PathBuf::from(dir));
    }
    let base = var("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("whymiss").join("dry-gocache"))
}

fn prepare(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let readme = dir.join("README");
    if !readme.exists() {
        std::fs::write(readme, README)?;
    }
    // go writes its own README and trim marker; the directory must be writable for it.
    let probe = tempfile::NamedTempFile::new_in(dir)?;
    drop(probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unwritable_place_falls_back_to_a_temporary_cache() {
        // A file where the directory should be: creating it fails.
        let scratch = tempfile::tempdir().unwrap();
        let blocked = scratch.path().join("file");
        std::fs::write(&blocked, "x").unwrap();
        assert!(prepare(&blocked.join("dry-gocache")).is_err());
        let fine = scratch.path().join("cache");
        prepare(&fine).unwrap();
        assert!(fine.join("README").is_file());
        // Twice is fine.
        prepare(&fine).unwrap();
    }
}
