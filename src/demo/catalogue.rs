//! The catalogue `whymiss demo` lists: every scenario in the suggested order of
//! `corpus/scenarios/order.txt`, a path for a class from what a key is made of to cgo and the
//! test cache, grouped in chapters. Each scenario's one-line `summary:` is in its own
//! `scenario.txt`. The corpus README's table is derived from the same two files (a test checks
//! it).
//!
//! ```text
//! # comments and blank lines are ignored
//! ## What a key is made of
//! touch
//! comment-only
//! ```

use crate::error::Error;

use super::embedded;
use super::run::load;
use super::scenario::{FormatError, Scenario};

/// Where the order is, under `corpus/`.
pub const ORDER_FILE: &str = "scenarios/order.txt";

/// The longest summary, in characters, so that the list fits 100 columns.
pub const SUMMARY_WIDTH: usize = 72;

/// A chapter of the order: its title and its scenarios' names, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterNames {
    pub title: String,
    pub scenarios: Vec<String>,
}

/// A chapter with its scenarios loaded.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub title: String,
    pub scenarios: Vec<Scenario>,
}

/// Parses `order.txt`: `## TITLE` starts a chapter, any other line names a scenario.
pub fn parse_order(text: &str) -> Result<Vec<ChapterNames>, FormatError> {
    let mut chapters: Vec<ChapterNames> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let err = |message: String| FormatError {
            line: i + 1,
            message,
        };
        if line.is_empty() || (line.starts_with('#') && !line.starts_with("##")) {
            continue;
        }
        if let Some(title) = line.strip_prefix("##") {
            let title = title.trim();
            if title.is_empty() {
                return Err(err("a chapter needs a title".into()));
            }
            chapters.push(ChapterNames {
                title: title.to_string(),
                scenarios: Vec::new(),
            });
            continue;
        }
        let Some(chapter) = chapters.last_mut() else {
            return Err(err(format!("`{line}` before the first `## chapter` line")));
        };
        if line.contains(char::is_whitespace) || line.contains('/') {
            return Err(err(format!("expected a scenario name, got `{line}`")));
        }
        if !seen.insert(line.to_string()) {
            return Err(err(format!("`{line}` is listed twice")));
        }
        chapter.scenarios.push(line.to_string());
    }
    if let Some(empty) = chapters.iter().find(|c| c.scenarios.is_empty()) {
        return Err(FormatError {
            line: 0,
            message: format!("chapter `{}` names no scenario", empty.title),
        });
    }
    Ok(chapters)
}

/// The embedded catalogue: every scenario, once, in the suggested order, each with a summary.
/// Errors name `corpus/scenarios/order.txt` or the scenario's file.
pub fn load_catalogue() -> Result<Vec<Chapter>, Error> {
    let bad = |line: usize, message: String| {
        let at = if line == 0 {
            String::new()
        } else {
            format!("{line}:")
        };
        Error::Usage(format!("corpus/{ORDER_FILE}:{at} {message}"))
    };
    let bytes = embedded::file(ORDER_FILE).ok_or_else(|| bad(0, "not embedded".into()))?;
    let order =
        parse_order(&String::from_utf8_lossy(&bytes)).map_err(|e| bad(e.line, e.message))?;
    let names = embedded::scenario_names();
    let listed: Vec<&String> = order.iter().flat_map(|c| &c.scenarios).collect();
    if let Some(missing) = names.iter().find(|n| !listed.contains(n)) {
        return Err(bad(0, format!("scenario `{missing}` is not listed")));
    }
    if let Some(unknown) = listed.iter().find(|n| !names.contains(n)) {
        return Err(bad(0, format!("no scenario named `{unknown}`")));
    }
    order
        .into_iter()
        .map(|c| {
            let scenarios = c
                .scenarios
                .iter()
                .map(|name| {
                    let s = load(name)?;
                    match &s.summary {
                        Some(summary) if summary.chars().count() <= SUMMARY_WIDTH => Ok(s),
                        Some(_) => Err(Error::Usage(format!(
                            "corpus/scenarios/{name}/scenario.txt: the summary is longer than \
                             {SUMMARY_WIDTH} characters"
                        ))),
                        None => Err(Error::Usage(format!(
                            "corpus/scenarios/{name}/scenario.txt: no `summary:` line"
                        ))),
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Chapter {
                title: c.title,
                scenarios,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_chapters_of_names() {
        let order =
            parse_order("# c\n\n## Paths\nmoved\n trimpath-move \n## Tests\ntest-env\n").unwrap();
        assert_eq!(
            order,
            [
                ChapterNames {
                    title: "Paths".into(),
                    scenarios: vec!["moved".into(), "trimpath-move".into()]
                },
                ChapterNames {
                    title: "Tests".into(),
                    scenarios: vec!["test-env".into()]
                }
            ]
        );
    }

    #[test]
    fn a_broken_order_names_its_line() {
        let cases = [
            ("moved\n", 1, "`moved` before the first `## chapter` line"),
            ("## A\nmoved\nmoved\n", 3, "`moved` is listed twice"),
            (
                "## A\nmoved x\n",
                2,
                "expected a scenario name, got `moved x`",
            ),
            ("##\n", 1, "a chapter needs a title"),
            ("## A\n## B\nx\n", 0, "chapter `A` names no scenario"),
        ];
        for (text, line, message) in cases {
            let e = parse_order(text).unwrap_err();
            assert_eq!((e.line, e.message.as_str()), (line, message), "{text:?}");
        }
    }

    /// Issue 11: `whymiss demo` listed the scenarios alphabetically, without a path through
    /// them or a summary of each.
    #[test]
    fn the_embedded_catalogue_lists_every_scenario_once_with_a_summary() {
        let chapters = load_catalogue().unwrap();
        let mut listed: Vec<String> = chapters
            .iter()
            .flat_map(|c| c.scenarios.iter().map(|s| s.name.clone()))
            .collect();
        assert_eq!(listed.first().map(String::as_str), Some("touch"));
        assert_eq!(chapters.last().unwrap().title, "The test cache");
        listed.sort();
        assert_eq!(listed, embedded::scenario_names());
    }
}
