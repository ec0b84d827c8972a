//! `whymiss demo`'s catalogue, which runs no go: the list in the suggested order of
//! `corpus/scenarios/order.txt` with each scenario's summary, as text and JSON, and the table in
//! `corpus/scenarios/README.md`, which is derived from the same files. (Running the scenarios is
//! `tests/live/demo.rs`.)

use std::collections::BTreeSet;

use whymiss::demo::catalogue::{Chapter, load_catalogue};
use whymiss::demo::scenario::{self, Expectation, Scenario};

use crate::support::{corpus, whymiss};

/// The scenario as its file in the repository declares it.
fn declared(name: &str) -> Scenario {
    let path = corpus(&format!("scenarios/{name}/scenario.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    scenario::parse(name, &text)
        .unwrap_or_else(|e| panic!("{}:{}: {}", path.display(), e.line, e.message))
}

/// The scenario directories in the repository.
fn scenario_dirs() -> BTreeSet<String> {
    std::fs::read_dir(corpus("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("scenario.txt").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The order as `corpus/scenarios/order.txt` in the repository says (not the embedded copy).
fn declared_order() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(corpus("scenarios/order.txt")).unwrap();
    whymiss::demo::catalogue::parse_order(&text)
        .unwrap()
        .into_iter()
        .map(|c| (c.title, c.scenarios))
        .collect()
}

/// Issue 11: `whymiss demo` listed the scenarios alphabetically; now by chapter, numbered, in
/// the order of order.txt, each with its summary.
#[test]
fn the_list_follows_the_suggested_order_with_a_summary_each() {
    let text = whymiss(["demo"]).code(0).stdout();
    assert_eq!(whymiss(["demo", "--list"]).code(0).stdout(), text);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("Scenarios in a suggested order for teaching; `whymiss demo NAME` runs one.")
    );
    let mut number = 0;
    let mut listed = BTreeSet::new();
    for (title, names) in declared_order() {
        assert_eq!(lines.next(), Some(""));
        assert_eq!(lines.next(), Some(title.as_str()));
        for name in names {
            number += 1;
            let line = lines.next().unwrap();
            let words: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(words[0], number.to_string(), "{line}");
            assert_eq!(words[1], name, "{line}");
            let summary = declared(&name).summary.expect("a summary");
            assert_eq!(words[2..].join(" "), summary, "{line}");
            assert!(line.chars().count() <= 100, "{line}");
            listed.insert(name);
        }
    }
    assert_eq!(lines.next(), None);
    assert_eq!(listed, scenario_dirs(), "every scenario, once");
}

#[test]
fn the_list_as_json_carries_the_order_and_what_each_scenario_expects() {
    let doc = whymiss(["demo", "--list", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(doc["kind"], "demo-list");
    let order = declared_order();
    let names: Vec<&str> = doc["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    let in_order: Vec<&str> = order
        .iter()
        .flat_map(|(_, n)| n.iter().map(String::as_str))
        .collect();
    assert_eq!(names, in_order);
    let chapters = doc["chapters"].as_array().unwrap();
    assert_eq!(chapters.len(), order.len());
    for (c, (title, names)) in chapters.iter().zip(&order) {
        assert_eq!(c["title"], title.as_str());
        assert_eq!(c["scenarios"], serde_json::json!(names));
    }
    for s in doc["scenarios"].as_array().unwrap() {
        let want = declared(s["name"].as_str().unwrap());
        assert_eq!(s["title"], want.title.as_str());
        assert_eq!(s["summary"], want.summary.as_deref().unwrap());
        assert_eq!(s["lesson"], want.lesson.as_str());
        let cats: Vec<String> = s["expect"]["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        match &want.expect {
            Expectation::Same => {
                assert_eq!(s["expect"]["verdict"], "same");
                assert!(cats.is_empty());
            }
            Expectation::Differ(c) => {
                assert_eq!(s["expect"]["verdict"], "differ");
                assert_eq!(cats, c.iter().map(|c| c.to_string()).collect::<Vec<_>>());
            }
        }
    }
}

/// The README's table, as the catalogue makes it.
fn table(chapters: &[Chapter]) -> String {
    let mut out = String::from("| # | scenario | what it shows | expect |\n|---|---|---|---|\n");
    let mut number = 0;
    for c in chapters {
        out.push_str(&format!("| | **{}** | | |\n", c.title));
        for s in &c.scenarios {
            number += 1;
            out.push_str(&format!(
                "| {number} | `{}` | {} | {} |\n",
                s.name,
                s.summary.as_deref().unwrap().replace('|', "\\|"),
                s.expect.describe()
            ));
        }
    }
    out
}

const TABLE_START: &str = "<!-- scenario table: made from order.txt and the summaries; \
tests/offline/demo.rs checks it -->\n";
const TABLE_END: &str = "<!-- end of scenario table -->";

#[test]
fn the_corpus_readme_table_is_made_from_the_order_and_the_summaries() {
    let readme = std::fs::read_to_string(corpus("scenarios/README.md")).unwrap();
    let want = table(&load_catalogue().unwrap());
    let (_, rest) = readme
        .split_once(TABLE_START)
        .unwrap_or_else(|| panic!("no `{TABLE_START}` in corpus/scenarios/README.md"));
    let (got, _) = rest.split_once(TABLE_END).expect("the table's end marker");
    if got != want && std::env::var_os("WHYMISS_BLESS").is_some() {
        let path = corpus("scenarios/README.md");
        let old = format!("{TABLE_START}{got}{TABLE_END}");
        let new = format!("{TABLE_START}{want}{TABLE_END}");
        std::fs::write(&path, readme.replacen(&old, &new, 1)).unwrap();
        return;
    }
    assert!(
        got == want,
        "corpus/scenarios/README.md's table is out of date (WHYMISS_BLESS=1 cargo test-offline \
         demo rewrites it); it should read:\n{want}"
    );
}
