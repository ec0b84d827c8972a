//! The go toolchains the tests run: `$WHYMISS_TOOLCHAINS/bin/go<version>`, else
//! `<repo>/.toolchains/bin/go<version>` (where `scripts/install-go.sh` puts them). Compiled into
//! the integration tests (`tests/support/`) and, for its unit tests only, into the library
//! (`src/go/toolchain.rs`); never into whymiss itself.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use super::TOOLCHAINS_VAR;

/// The go binary of an installed test toolchain (`"1.27.3"` or `"go1.27.3"`).
///
/// It panics when the toolchain is missing, because a test that needs Go must fail, never
/// silently skip.
pub fn test_toolchain(version: &str) -> PathBuf {
    let version = version.strip_prefix("go").unwrap_or(version);
    let name = format!("go{version}");
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os(TOOLCHAINS_VAR).filter(|d| !d.is_empty()) {
        candidates.push(PathBuf::from(dir).join("bin").join(&name));
    }
    candidates.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(".toolchains")
            .join("bin")
            .join(&name),
    );
    let executable = |p: &Path| {
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    match candidates.iter().find(|c| executable(c)) {
        Some(found) => found.clone(),
        None => panic!(
            "Go {version} is not installed: run scripts/install-go.sh (or set {TOOLCHAINS_VAR}); \
             looked at {}",
            candidates
                .iter()
                .map(|c| c.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
