//! The documentation describes what is there: every corpus module in corpus/README.md, and
//! what the JSON document says on trouble.

use crate::support::{corpus, repo};

/// Issue 11: corpus/README.md did not describe the depapp and nondet modules.
#[test]
fn the_corpus_readme_describes_every_module() {
    let readme = std::fs::read_to_string(corpus("README.md")).unwrap();
    for entry in std::fs::read_dir(corpus("modules")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            readme.contains(&format!("- `{name}/` (`example.com/{name}`")),
            "corpus/README.md does not describe modules/{name}"
        );
    }
}

/// Issue 11: docs/json-schema.md said trouble "writes no report", but a failed build writes a
/// partial one (`partial: true`, exit status 2; `tests/live` checks the behaviour).
#[test]
fn the_json_docs_say_a_failed_build_still_writes_a_partial_report() {
    let doc = std::fs::read_to_string(repo().join("docs/json-schema.md")).unwrap();
    let gate = doc
        .lines()
        .find(|l| l.starts_with("| `gate` |"))
        .expect("the gate row");
    assert!(
        gate.contains("the report is still written, with `partial: true`"),
        "{gate}"
    );
    assert!(
        !gate.contains("trouble is 2 and writes no report"),
        "{gate}"
    );
}

/// The README shows the toolchain search order exactly as `--help` does (one text, in
/// `go::toolchain::SEARCH_ORDER`).
#[test]
fn the_readme_shows_the_search_order_of_the_help() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains(&format!(
            "```text\n{}\n```",
            whymiss::go::toolchain::SEARCH_ORDER
        )),
        "README.md's `Which go` block differs from go::toolchain::SEARCH_ORDER"
    );
}
