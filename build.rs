//! Embeds the files `whymiss demo` needs (`corpus/modules/` and `corpus/scenarios/`) in the
//! binary, so the scenarios run wherever whymiss is installed (`cargo install --path .`).
//!
//! Writes `$OUT_DIR/embedded_corpus.rs`: a sorted list of `(path relative to corpus/, bytes)`
//! with `include_bytes!` of each file. Version-control metadata and editor droppings are left
//! out. Cargo re-runs this script when anything under the two directories changes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The directories under `corpus/` that are embedded.
const EMBEDDED: &[&str] = &["modules", "scenarios"];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let corpus = root.join("corpus");
    let mut files = Vec::new();
    for dir in EMBEDDED {
        let path = corpus.join(dir);
        println!("cargo:rerun-if-changed={}", path.display());
        collect(&path, &mut files);
    }
    let mut entries: Vec<(String, String)> = files
        .iter()
        .map(|file| {
            let rel = file.strip_prefix(&corpus).expect("under corpus/");
            let utf8 = |p: &Path| p.to_str().expect("corpus paths are UTF-8").to_string();
            (utf8(rel), utf8(file))
        })
        .collect();
    // Sorted as strings (not as paths), for the binary search in src/demo/embedded.rs.
    entries.sort();
    let mut out = String::from("&[\n");
    for (rel, file) in &entries {
        writeln!(out, "    ({rel:?}, include_bytes!({file:?}) as &[u8]),")
            .expect("write to a String");
    }
    out.push(']');
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets it"))
        .join("embedded_corpus.rs");
    std::fs::write(&dest, out).expect("write the embedded file list");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.expect("read a corpus directory");
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".git") || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        let kind = entry.file_type().expect("stat a corpus entry");
        if kind.is_dir() {
            collect(&entry.path(), files);
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
}
