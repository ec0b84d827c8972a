//! `whymiss why` without a toolchain: records built from the corpus's log pairs (side A, then
//! side B with every key A had served from the cache), stored in a history, explained. The
//! changed keys must be explained exactly as `whymiss compare` explains the pair: one engine.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use whymiss::diff;
use whymiss::go::logfile::LogFile;
use whymiss::history::History;
use whymiss::model::{Invocation, Method, Observed, Outcome, Record, SideInfo, Work};
use whymiss::parse::parse_log;
use whymiss::record::collect::observed_from_log;
use whymiss::why::{self, Reason};

use crate::support::{corpus, validate_why, whymiss};

/// A record of one invocation built from a log: every build and test whose key is in
/// `cached` was served from the cache, the rest ran.
fn record_of(bytes: &[u8], cached: &HashSet<[u8; 15]>, started_ms: i64) -> Record {
    let log = parse_log(bytes).unwrap();
    let mut actions: Vec<Observed> = observed_from_log(&log, bytes);
    for a in &mut actions {
        a.outcome = if cached.contains(&a.key.short) {
            Outcome::Hit
        } else {
            Outcome::Ran
        };
    }
    let go_version = log.go_version().map(str::to_string);
    Record {
        id: 0,
        module: "example.com/pair".into(),
        dir: "/src/pair".into(),
        started_ms,
        duration_ms: 1000,
        command: "go build ./...".into(),
        go_version: go_version.clone(),
        exit_status: 0,
        env: Default::default(),
        host: None,
        invocations: vec![Invocation {
            seq: 1,
            argv: vec!["build".into(), "./...".into()],
            dir: "/src/pair".into(),
            env: Default::default(),
            go_version,
            exit_status: Some(0),
            started_ms,
            duration_ms: 1000,
            method: Method::Gocachehash,
            actions,
            not_reached: 0,
            uncached_tests: Vec::new(),
            notes: Vec::new(),
            backend: None,
        }],
    }
}

fn keys(r: &Record) -> HashSet<[u8; 15]> {
    r.invocations
        .iter()
        .flat_map(|i| &i.actions)
        .map(|a| a.key.short)
        .collect()
}

fn read(path: &Path) -> Vec<u8> {
    LogFile::read_with_limit(path, 1 << 30)
        .unwrap()
        .bytes
        .to_vec()
}

/// The pair's two logs as records 1 and 2 of a new history.
fn history_of(pair: &Path, dir: &Path) -> (History, Record, Record, i64) {
    let (a, b) = (read(&pair.join("a.log.gz")), read(&pair.join("b.log.gz")));
    let mut history = History::open(&dir.join("history.sqlite")).unwrap();
    let ra = record_of(&a, &HashSet::new(), 1_000);
    history.insert(&ra).unwrap();
    let rb = record_of(&b, &keys(&ra), 2_000);
    let id = history.insert(&rb).unwrap();
    (history, ra, rb, id)
}

#[test]
fn why_explains_every_corpus_pair_as_compare_does() {
    let mut checked = 0;
    for entry in std::fs::read_dir(corpus("pairs")).unwrap() {
        let pair = entry.unwrap().path();
        if !pair.join("a.log.gz").exists() {
            continue;
        }
        // A record holds what a real build ran: a dry pair's keys hide what only compiling
        // shows (a PGO profile), so it is not a history a record can have.
        let case = std::fs::read_to_string(pair.join("case.txt")).unwrap_or_default();
        if case.lines().any(|l| l.trim() == "mode: dry") {
            continue;
        }
        let name = pair.file_name().unwrap().to_string_lossy().into_owned();
        let tmp = tempfile::tempdir().unwrap();
        let (history, _, rb, id) = history_of(&pair, tmp.path());
        let loaded = history.load(id).unwrap().unwrap();
        let report = why::explain(&history, &loaded, None).unwrap();

        let (a, b) = (read(&pair.join("a.log.gz")), read(&pair.join("b.log.gz")));
        let (la, lb) = (parse_log(&a).unwrap(), parse_log(&b).unwrap());
        let direct = diff::compare(&la, &lb, SideInfo::default(), SideInfo::default());
        // Links are never cache misses (go build does not cache executables), so a cause
        // that changes only links (GOROOT moved, say) makes nothing run.
        let compiled: HashSet<String> = direct
            .actions
            .iter()
            .filter(|x| x.kind != "link")
            .map(|x| x.label.clone())
            .collect();
        let expected: BTreeSet<_> = why::restrict(&direct, &compiled)
            .categories()
            .into_iter()
            .collect();
        let found: BTreeSet<_> = report
            .changed
            .iter()
            .flat_map(|g| g.comparison.categories())
            .collect();
        assert_eq!(found, expected, "{name}: categories");

        // Every build or test that ran is explained; none has a key seen before.
        let ran = rb.invocations[0]
            .actions
            .iter()
            .filter(|x| x.work != Work::Link && x.outcome == Outcome::Ran)
            .count();
        assert_eq!(report.misses.len(), ran, "{name}");
        assert_eq!(report.summary.same_key, 0, "{name}");
        for m in &report.misses {
            assert!(
                matches!(m.reason, Reason::Changed { .. } | Reason::New),
                "{name}: {m:?}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked} pairs");
}

#[test]
fn an_evicted_key_is_the_same_key_not_a_change() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut history, ra, _, _) = history_of(&corpus("pairs/source"), tmp.path());
    // Side A's build again, with every action run: nothing changed, the cache was empty.
    let mut again = ra.clone();
    again.started_ms = 3_000;
    for a in &mut again.invocations[0].actions {
        a.outcome = Outcome::Ran;
    }
    let id = history.insert(&again).unwrap();
    let loaded = history.load(id).unwrap().unwrap();
    let report = why::explain(&history, &loaded, None).unwrap();
    assert!(report.changed.is_empty());
    assert!(report.summary.same_key > 50, "{:?}", report.summary);
    for m in &report.misses {
        let Reason::SameKey { earlier, then, .. } = &m.reason else {
            panic!("{m:?}")
        };
        // Side A's keys: record 1 built them (record 2 served most of them).
        assert!(earlier.id == 1 || earlier.id == 2, "{m:?}");
        assert!(matches!(then, Outcome::Ran | Outcome::Hit));
    }
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("the cache looks empty")),
        "{:?}",
        report.notes
    );
}

#[test]
fn why_on_the_command_line_text_json_and_exit_status() {
    let tmp = tempfile::tempdir().unwrap();
    let (history, _, _, id) = history_of(&corpus("pairs/trimpath-one-side"), tmp.path());
    let path = history.path().to_path_buf();
    drop(history);
    let text = whymiss([
        "why".as_ref(),
        id.to_string().as_ref(),
        "--history".as_ref(),
        path.as_os_str(),
    ])
    .code(1)
    .stdout();
    assert!(text.contains("key changed:"), "{text}");
    assert!(text.contains("trimpath"), "{text}");
    let run = whymiss([
        "why".as_ref(),
        "2".as_ref(),
        "--history".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .code(1);
    let v = run.json();
    validate_why(&v);
    assert_eq!(v["kind"], "why");
    assert_eq!(v["exit_code"], 1);
    assert_eq!(v["comparisons"][0]["against"]["id"], 1);
    assert_eq!(v["comparisons"][0]["report"]["kind"], "compare");
    // Ignoring the category makes the changed keys expected.
    whymiss([
        "why".as_ref(),
        "2".as_ref(),
        "--history".as_ref(),
        path.as_os_str(),
        "--ignore".as_ref(),
        "trimpath".as_ref(),
    ])
    .code(0);
}

/// Issue 13: the CI formats for `why` too: one annotation per cause, a markdown summary with a
/// table, appended to GitHub's job summary; --junit is refused in one line.
#[test]
fn why_writes_github_annotations_and_a_markdown_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let (history, _, _, id) = history_of(&corpus("pairs/trimpath-one-side"), tmp.path());
    let path = history.path().to_path_buf();
    drop(history);
    let id = id.to_string();
    let args = |format: &str| -> Vec<std::ffi::OsString> {
        ["why", &id, "--format", format, "--history"]
            .iter()
            .map(|s| s.into())
            .chain([path.clone().into_os_string()])
            .collect()
    };
    let github = whymiss(args("github")).code(1).stdout();
    let errors: Vec<&str> = github
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert!(!errors.is_empty(), "{github}");
    assert!(
        errors
            .iter()
            .all(|l| l.contains("record 2 against record 1")),
        "{github}"
    );
    let summary = tmp.path().join("summary.md");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_whymiss"))
        .args(args("markdown"))
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let markdown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        markdown.starts_with("### whymiss why: record 2"),
        "{markdown}"
    );
    assert!(markdown.contains("served from the cache"), "{markdown}");
    assert!(markdown.contains("| "), "no table: {markdown}");
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), markdown);
    let mut junit = args("text");
    junit.extend(["--junit".into(), tmp.path().join("j.xml").into_os_string()]);
    whymiss(junit)
        .code(2)
        .one_line_error()
        .stderr_has("--junit is for one comparison");
}

/// Issue 15: `why --format html` is the page of the record's changed keys (the first go
/// command's comparison), self-contained, titled for the record, its hit rate among the notes.
#[test]
fn why_writes_a_page_of_the_changed_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let (history, _, _, id) = history_of(&corpus("pairs/trimpath-one-side"), tmp.path());
    let path = history.path().to_path_buf();
    drop(history);
    let page = tmp.path().join("why.html");
    let id = id.to_string();
    let args: Vec<std::ffi::OsString> = ["why", &id, "--format", "html", "-o"]
        .iter()
        .map(|s| s.into())
        .chain([
            page.clone().into_os_string(),
            "--history".into(),
            path.into_os_string(),
        ])
        .collect();
    whymiss(args).code(1);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100]);
    assert!(html.contains("<title>whymiss why: record 2 against record 1</title>"));
    assert!(html.contains("served from the cache"));
    assert!(html.contains("trimpath"));
    assert!(
        !html.contains("https://"),
        "the page loads nothing from elsewhere"
    );
}

#[test]
fn why_without_a_history_or_record_is_a_one_line_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("none.sqlite");
    whymiss(["why".as_ref(), "--history".as_ref(), missing.as_os_str()])
        .code(2)
        .one_line_error()
        .stderr_has("no history at");
    let (history, _, _, _) = history_of(&corpus("pairs/source"), tmp.path());
    let path = history.path().to_path_buf();
    drop(history);
    whymiss([
        "why".as_ref(),
        "99".as_ref(),
        "--history".as_ref(),
        path.as_os_str(),
    ])
    .code(2)
    .one_line_error()
    .stderr_has("no record 99");
    // The current directory's module has no records.
    whymiss(["why".as_ref(), "--history".as_ref(), path.as_os_str()])
        .code(2)
        .one_line_error()
        .stderr_has("no record of module");
    whymiss([
        "why".as_ref(),
        "latest~x".as_ref(),
        "--history".as_ref(),
        path.as_os_str(),
    ])
    .code(2)
    .one_line_error();
}

#[test]
fn history_lists_and_prunes() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut history, ra, _, _) = history_of(&corpus("pairs/source"), tmp.path());
    for i in 0..3 {
        let mut r = ra.clone();
        r.started_ms = 10_000 + i;
        history.insert(&r).unwrap();
    }
    let path = history.path().to_path_buf();
    drop(history);
    let h = |extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> =
            vec!["history".into(), "--history".into(), path.clone().into()];
        args.extend(extra.iter().map(Into::into));
        whymiss(args)
    };
    let v = h(&["--all-modules", "--format", "json"]).code(0).json();
    assert_eq!(v["kind"], "history");
    assert_eq!(v["records"].as_array().unwrap().len(), 5);
    assert_eq!(v["records"][0]["id"], 5);
    let out = h(&["--all-modules", "--prune", "--keep", "2"])
        .code(0)
        .stdout();
    assert!(
        out.starts_with("pruned 3 records beyond the newest 2"),
        "{out}"
    );
    let v = h(&["--all-modules", "--format", "json"]).code(0).json();
    let ids: Vec<i64> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [5, 4]);
}

/// A rebuild that changes nothing adds its record, invocation and observation rows only: the
/// keys and their inputs are stored once. (Issue 14's target: at most 10 % of one log per
/// unchanged rebuild; the benchmark reports the figures.)
#[test]
fn an_unchanged_rebuild_adds_little_to_the_history() {
    let bytes = read(&corpus("logs/go1.27.3/lab-build.log.gz"));
    let tmp = tempfile::tempdir().unwrap();
    let mut history = History::open(&tmp.path().join("h.sqlite")).unwrap();
    let first = record_of(&bytes, &HashSet::new(), 1_000);
    history.insert(&first).unwrap();
    let before = history.size().unwrap();
    let mut warm = record_of(&bytes, &keys(&first), 2_000);
    for a in &mut warm.invocations[0].actions {
        // A warm build is observed through the action graph alone: keys, no inputs.
        a.inputs = None;
        a.key.full = None;
    }
    let n = 20;
    for i in 0..n {
        warm.started_ms = 2_000 + i;
        history.insert(&warm).unwrap();
    }
    let per_rebuild = (history.size().unwrap() - before) / n as u64;
    assert!(
        per_rebuild * 10 <= bytes.len() as u64,
        "{per_rebuild} bytes per unchanged rebuild, log {} bytes",
        bytes.len()
    );
    // The inputs are all there once, for the next changed build.
    let ids: Vec<i64> = history
        .records(None)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids.len(), n as usize + 1);
}
