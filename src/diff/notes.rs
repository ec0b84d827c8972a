//! The comparison's notes: what was left out of it (lines in no action key, blocks not
//! verified, actions on one side only) and the observer effect of GODEBUG on test results. A
//! failed build is a doubt of the verdict (`diff/doubts.rs`), not a note.

use std::collections::BTreeMap;

use super::comparison::{ComparisonMode, Summary};
use crate::model::{BuildLog, Digest, InputOp, Mode, SideInfo};

/// What was ignored and what could not be verified, in a sentence each.
pub(super) fn notes(
    a: &BuildLog<'_>,
    b: &BuildLog<'_>,
    ia: &SideInfo,
    ib: &SideInfo,
    summary: &Summary,
    mode: ComparisonMode,
) -> Vec<String> {
    let mut notes = Vec::new();
    notes.extend(mode_note(mode, ia, ib));
    // (plural, singular): ordered by the plural, as the note lists them.
    let mut ignored: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for log in [a, b] {
        *ignored
            .entry(("moduleIndex lines", "moduleIndex line"))
            .or_default() += log.stats.module_index_lines;
        *ignored.entry(("subkeys", "subkey")).or_default() += log.subkeys.len() as u64;
        *ignored
            .entry(("file-hash lines", "file-hash line"))
            .or_default() += log.file_hashes.len() as u64;
        *ignored
            .entry(("testcache lines", "testcache line"))
            .or_default() += log.test_cache.len() as u64;
        *ignored
            .entry((
                "other blocks (gccCompilerID, test cache)",
                "other block (gccCompilerID, test cache)",
            ))
            .or_default() += log
            .actions
            .iter()
            .filter(|x| !x.kind.keys_build_output())
            .count() as u64;
        *ignored
            .entry((
                "lines that are not gocachehash output",
                "line that is not gocachehash output",
            ))
            .or_default() += log.stats.skipped_lines;
    }
    let work: usize = [a, b]
        .iter()
        .flat_map(|l| l.file_hashes.iter())
        .filter(|h| h.path.contains("/go-build"))
        .count();
    let parts: Vec<String> = ignored
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|((plural, singular), n)| format!("{n} {}", if *n == 1 { singular } else { plural }))
        .collect();
    if !parts.is_empty() {
        let mut s = format!("ignored (not in any action key): {}", parts.join(", "));
        if work > 0 {
            s.push_str(&format!("; {work} file-hash lines are $WORK temp paths"));
        }
        notes.push(s);
    }
    for (side, log, info) in [("A", a, ia), ("B", b, ib)] {
        // The blocks a cut-off log ends inside are not compared at all (the doubt says so).
        let unverified: Vec<String> = log
            .actions
            .iter()
            .enumerate()
            .filter(|(i, x)| {
                x.kind.keys_build_output() && !x.is_verified() && !log.is_incomplete(*i)
            })
            .map(|(_, x)| x)
            .map(|x| x.label())
            .collect();
        if !unverified.is_empty() {
            let shown: Vec<&str> = unverified.iter().take(5).map(|s| s.as_str()).collect();
            notes.push(format!(
                "side {side} ({}): {} not verified by SHA-256, compared as reconstructed: {}{}",
                info.label,
                if unverified.len() == 1 {
                    "1 block is".to_string()
                } else {
                    format!("{} blocks are", unverified.len())
                },
                shown.join(", "),
                if unverified.len() > 5 { ", …" } else { "" }
            ));
        }
    }
    if summary.only_a + summary.only_b > 0 {
        notes.push(format!(
            "{} actions only in A and {} only in B (the two builds did not build the same set of packages)",
            summary.only_a, summary.only_b
        ));
    }
    notes.extend(observer_effect(a, b));
    notes
}

/// What a dry run does not show, and which side was which in a mixed comparison.
fn mode_note(mode: ComparisonMode, a: &SideInfo, b: &SideInfo) -> Option<String> {
    match mode {
        ComparisonMode::Exact => None,
        ComparisonMode::Dry => Some(
            "dry run (go build -n): nothing was compiled, so compile errors are not detected, \
             and the IDs are keys computed without compiling; --exact builds for real"
                .to_string(),
        ),
        ComparisonMode::Mixed => {
            let what = |side: &SideInfo| match side.mode {
                Some(Mode::Dry) => "a dry run",
                Some(Mode::Exact) => "a real build",
                None => "a log",
            };
            Some(format!(
                "side A is {} and side B {}: the root causes compare, and what differs only \
                 through dependencies is an upper bound",
                what(a),
                what(b)
            ))
        }
    }
}

/// Since Go 1.23 the value of GODEBUG is a test input, so a run with GODEBUG=gocachehash=1
/// and one without it never share test results: warn when the sides differ in that way.
fn observer_effect(a: &BuildLog<'_>, b: &BuildLog<'_>) -> Vec<String> {
    let mut notes = Vec::new();
    let hashed = |l: &BuildLog<'_>| l.stats.hash_lines > 0;
    let tested = |l: &BuildLog<'_>| !l.tests.runs.is_empty();
    if (tested(a) || tested(b)) && hashed(a) != hashed(b) {
        notes.push(
            "one side was run with GODEBUG=gocachehash=1 and the other without: since Go 1.23 \
             GODEBUG is a test input, so their test results never match (the observer effect); \
             compare runs made with the same GODEBUG"
                .to_string(),
        );
    }
    let godebug = |l: &BuildLog<'_>| -> Option<Digest> {
        l.tests
            .runs
            .iter()
            .flat_map(|r| r.inputs.iter())
            .find(|i| i.op == InputOp::Env && i.name == "GODEBUG")
            .map(|i| i.hash)
    };
    if let (Some(x), Some(y)) = (godebug(a), godebug(b))
        && x != y
    {
        notes.push(
            "the two sides ran tests with different GODEBUG values: since Go 1.23 GODEBUG is a \
             test input, so this alone changes every test key (gocachehash=1 itself counts)"
                .to_string(),
        );
    }
    notes
}
