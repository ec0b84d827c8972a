//! The sources a log names, read from this machine: the header of a file present on one side
//! only says which build tag or setting selects it. A file is read only when its content is
//! what the log hashed (`HASH <path>: <sha256>`), so a log from another machine, or a file
//! changed since, never lends it another file's constraint.

use std::io::Read;

use sha2::{Digest as _, Sha256};

use crate::model::{Digest, SourceFacts, SourceHeader};
use crate::parse::constraint::source_header;

/// Source files larger than this are not read (a Go source file this large is generated, and
/// its constraint is not worth the time).
const MAX_SOURCE: u64 = 8 << 20;

/// Reads sources from the file system.
pub struct DiskSources;

impl SourceFacts for DiskSources {
    fn header(&self, path: &str, sum: &Digest) -> Option<SourceHeader> {
        if !path.ends_with(".go") {
            return None;
        }
        let file = std::fs::File::open(path).ok()?;
        let mut bytes = Vec::new();
        file.take(MAX_SOURCE + 1).read_to_end(&mut bytes).ok()?;
        if bytes.len() as u64 > MAX_SOURCE || Sha256::digest(&bytes)[..] != sum.0[..] {
            return None;
        }
        Some(source_header(&String::from_utf8_lossy(&bytes)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_with_the_hashed_content_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("extra.go");
        let text = "//go:build fancy\n\npackage a\n";
        std::fs::write(&path, text).unwrap();
        let sum = Digest(Sha256::digest(text.as_bytes()).into());
        let path = path.to_str().unwrap();
        let header = DiskSources.header(path, &sum).unwrap();
        assert_eq!(
            header.constraint,
            Some(crate::model::Constraint::Tag("fancy".into()))
        );
        assert!(DiskSources.header(path, &Digest([0; 32])).is_none());
        assert!(DiskSources.header("/nonexistent/x.go", &sum).is_none());
    }
}
