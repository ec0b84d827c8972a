//! `whymiss capture-pairs` on a corpus of its own: a pair is captured from its `case.txt` in a
//! clean environment, checked against what the file expects, and written only when every
//! requested pair passed; the working directory under `$TMPDIR` is removed.

use std::path::Path;

use crate::support::toolchains::test_toolchain;
use crate::support::{Run, validate};

/// A pair on the tiny module: the same checkout at two paths, from an empty cache.
fn case(expect: &str) -> String {
    format!(
        "title: tiny at two absolute paths\n\
         module: tiny\n\
         go: {}\n\
         args: -o /dev/null .\n\
         cache: empty\n\
         dir: x/tiny\n\
         b.dir: elsewhere/tiny\n\
         {expect}\n\
         lesson: Without -trimpath the directory is in every main-module key.\n",
        test_toolchain("1.27.3").display()
    )
}

fn capture(corpus: &Path, tmp: &Path, names: &[&str]) -> Run {
    let mut args = vec!["capture-pairs".to_string(), "-q".into(), "--corpus".into()];
    args.push(corpus.display().to_string());
    args.extend(names.iter().map(|n| n.to_string()));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_whymiss"))
        .args(&args)
        .env("TMPDIR", tmp)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    Run::new(&args, output)
}

#[test]
fn a_pair_is_captured_from_its_case_file_and_checked_before_it_is_written() {
    let scratch = tempfile::tempdir().unwrap();
    let (corpus, tmp) = (scratch.path().join("corpus"), scratch.path().join("tmp"));
    std::fs::create_dir(&tmp).unwrap();
    for (name, expect) in [
        (
            "tiny-moved",
            "expect: absolute-path\nfield: dir\naction: build example.com/tiny/greet\nroot-causes: 2",
        ),
        // Wrong on purpose: the directories differ, so the keys do too.
        ("a-wrong", "expect: same"),
    ] {
        let dir = corpus.join("pairs").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("case.txt"), case(expect)).unwrap();
    }
    let logs = |name: &str| corpus.join("pairs").join(name).join("a.log.gz");

    // The wrong pair stops the capture, and nothing is written.
    capture(&corpus, &tmp, &[])
        .code(2)
        .stderr_has("pair a-wrong: expected same, whymiss found absolute-path");
    assert!(!logs("a-wrong").exists() && !logs("tiny-moved").exists());

    let run = capture(&corpus, &tmp, &["tiny-moved"]).code(0);
    assert!(run.stdout().starts_with("tiny-moved "), "{}", run.stdout());
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "left in TMPDIR: {left:?}");

    let pair = corpus.join("pairs/tiny-moved");
    let compared = crate::support::whymiss([
        "compare".as_ref(),
        pair.join("a.log.gz").as_os_str(),
        pair.join("b.log.gz").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .code(1);
    let v = compared.json();
    validate(&v);
    let dir = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "dir")
        .unwrap_or_else(|| panic!("no dir cause: {:#}", v["causes"]));
    // The sides ran at the paths the case file names, under the fixed capture directory.
    let (a, b) = (
        dir["rewrite"]["a"].as_str().unwrap(),
        dir["rewrite"]["b"].as_str().unwrap(),
    );
    assert!(
        a.ends_with("whymiss-pairs/p/tiny-moved/x/tiny")
            && b.ends_with("whymiss-pairs/p/tiny-moved/elsewhere/tiny"),
        "{a} → {b}"
    );
}
