//! Test-result cache keys: would side B reuse side A's cached test result? For each package
//! tested on both sides: caching disabled by a flag, the test binary or cacheable flags
//! changed (the first-level key), or an input the test read changed (the second level: an
//! environment variable, a file's size or mode, or only its modification time).

use std::collections::BTreeMap;

use super::class::{Class, InputChange};
use super::classify::{CauseSeed, DepRef, Item, ItemKind};
use super::refs::RefShape;
use super::tokens::list_tokens;
use crate::model::Category;
use crate::model::{InputDetail, InputOp, StatInfo, TestCache, TestInput, TestRun};

/// The comparison of one tested package.
pub(super) struct TestEntry {
    pub package: String,
    /// The package was tested (with caching on) on one side only.
    pub only: Option<Side>,
    pub items: Vec<Item>,
    /// The test binary differs: the label of its link action (`link p.test`).
    pub binary_changed: bool,
    pub a_id: Option<String>,
    pub b_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    A,
    B,
}

/// Compares the test caches of two logs, package by package. Packages whose results would be
/// reused produce no entry.
pub(super) fn compare(a: &TestCache, b: &TestCache) -> Vec<TestEntry> {
    fn runs(c: &TestCache) -> BTreeMap<String, &TestRun> {
        c.runs.iter().map(|r| (r.package.clone(), r)).collect()
    }
    let (ra, rb) = (runs(a), runs(b));
    let mut packages: Vec<&String> = ra.keys().chain(rb.keys()).collect();
    packages.sort();
    packages.dedup();
    if !a.disabled.is_empty() || !b.disabled.is_empty() {
        return caching_disabled(a, b, &packages, &ra, &rb);
    }
    let mut out = Vec::new();
    for package in packages {
        let (x, y) = (ra.get(package), rb.get(package));
        let (Some(x), Some(y)) = (x, y) else {
            out.push(TestEntry {
                package: package.clone(),
                only: Some(if x.is_some() { Side::A } else { Side::B }),
                items: Vec::new(),
                binary_changed: false,
                a_id: x.and_then(|r| r.test_id).map(|d| d.to_string()),
                b_id: y.and_then(|r| r.test_id).map(|d| d.to_string()),
            });
            continue;
        };
        out.extend(compare_runs(package, x, y));
    }
    out
}

/// Caching disabled for the whole run on one or both sides (`-count=1`, `-cpuprofile`, …):
/// when the sides differ in that, every package tested on either side is affected (the lines
/// name no package).
fn caching_disabled(
    a: &TestCache,
    b: &TestCache,
    packages: &[&String],
    ra: &BTreeMap<String, &TestRun>,
    rb: &BTreeMap<String, &TestRun>,
) -> Vec<TestEntry> {
    let (da, db) = (a.disabled.join(" "), b.disabled.join(" "));
    if da == db {
        return Vec::new();
    }
    let state = |s: String| {
        Some(if s.is_empty() {
            "on".to_string()
        } else {
            format!("off ({s})")
        })
    };
    let (x, y) = (state(da), state(db));
    let id = |runs: &BTreeMap<String, &TestRun>, package: &String| {
        runs.get(package)
            .and_then(|r| r.test_id)
            .map(|d| d.to_string())
    };
    packages
        .iter()
        .map(|&package| TestEntry {
            package: package.clone(),
            only: None,
            items: vec![Item {
                field: "test caching".into(),
                a: x.clone(),
                b: y.clone(),
                kind: ItemKind::Input(CauseSeed::plain(
                    Category::TestFlags,
                    Class::TestCaching,
                    x.clone(),
                    y.clone(),
                )),
            }],
            binary_changed: false,
            a_id: id(ra, package),
            b_id: id(rb, package),
        })
        .collect()
}

/// One package tested on both sides: the first-level key (test binary and cacheable flags)
/// differs, or else the inputs the test read; `None` when the result would be reused.
fn compare_runs(package: &str, x: &TestRun, y: &TestRun) -> Option<TestEntry> {
    let mut entry = TestEntry {
        package: package.to_string(),
        only: None,
        items: Vec::new(),
        binary_changed: false,
        a_id: x.test_id.map(|d| d.to_string()),
        b_id: y.test_id.map(|d| d.to_string()),
    };
    if x.test_id != y.test_id {
        if x.binary_id != y.binary_id {
            entry.binary_changed = true;
            entry.items.push(Item {
                field: "test binary".into(),
                a: x.binary_id.clone(),
                b: y.binary_id.clone(),
                kind: ItemKind::Dependency(
                    DepRef::Link(format!("{package}.test")),
                    RefShape::ContentId,
                ),
            });
        }
        if x.args != y.args {
            let (a, b) = (Some(x.args.join(" ")), Some(y.args.join(" ")));
            let seed =
                CauseSeed::plain(Category::TestFlags, Class::TestFlags, a.clone(), b.clone())
                    .with_tokens(list_tokens(Some(&x.args), Some(&y.args)));
            entry.items.push(Item {
                field: "test flags".into(),
                a,
                b,
                kind: ItemKind::Input(seed),
            });
        }
        if x.execcmd != y.execcmd {
            let (a, b) = (Some(x.execcmd.join(" ")), Some(y.execcmd.join(" ")));
            let seed = CauseSeed::plain(Category::TestFlags, Class::Exec, a.clone(), b.clone());
            entry.items.push(Item {
                field: "execcmd".into(),
                a,
                b,
                kind: ItemKind::Input(seed),
            });
        }
        if entry.items.is_empty() {
            // The key differs, but nothing the log shows of it does (its block is missing):
            // still a difference, never a reused result.
            entry
                .items
                .push(unexplained("test result key", x.test_id, y.test_id));
        }
    } else if let (Some(ia), Some(ib)) = (x.inputs_id, y.inputs_id)
        && ia != ib
    {
        entry.items = input_items(&x.inputs, &y.inputs);
        if entry.items.is_empty() {
            entry
                .items
                .push(unexplained("test inputs key", x.inputs_id, y.inputs_id));
        }
    }
    if let Some(item) = rejected_input(x, y) {
        entry.items.push(item);
    }
    (!entry.items.is_empty() || (x.test_id != y.test_id)).then_some(entry)
}

/// A test-cache key that differs without a block of the log to say why (the `testResult` or
/// `testInputs` block is not in the log).
fn unexplained(
    field: &str,
    a: Option<crate::model::Digest>,
    b: Option<crate::model::Digest>,
) -> Item {
    let shown = |d: Option<crate::model::Digest>| {
        Some(d.map_or_else(|| "none".to_string(), |d| d.to_string()))
    };
    let (a, b) = (shown(a), shown(b));
    Item {
        field: field.into(),
        a: a.clone(),
        b: b.clone(),
        kind: ItemKind::Input(CauseSeed::plain(
            Category::Other,
            Class::Field(field.into()),
            a,
            b,
        )),
    }
}

/// A side whose test read a file `go test` refused to key on (modified within 2 s of the run)
/// neither stores its result nor reuses one, whatever the keys say.
fn rejected_input(x: &TestRun, y: &TestRun) -> Option<Item> {
    if x.rejected.is_none() && y.rejected.is_none() {
        return None;
    }
    let too_new = [x, y]
        .iter()
        .any(|r| r.rejected.as_ref().is_some_and(|j| j.too_new()));
    let (category, class) = if too_new {
        (Category::TestMtime, Class::InputTooNew)
    } else {
        (Category::TestFile, Class::InputRejected)
    };
    let state = |r: &TestRun| {
        Some(match &r.rejected {
            Some(j) => format!("not cacheable: {}: {}", j.path, j.reason),
            None => "cacheable".to_string(),
        })
    };
    let (a, b) = (state(x), state(y));
    Some(Item {
        field: "test result".into(),
        a: a.clone(),
        b: b.clone(),
        kind: ItemKind::Input(CauseSeed::plain(category, class, a, b)),
    })
}

/// Compares the inputs two runs of the same test binary read.
fn input_items(a: &[TestInput], b: &[TestInput]) -> Vec<Item> {
    fn index(list: &[TestInput]) -> BTreeMap<(InputOp, String), &TestInput> {
        list.iter().map(|i| ((i.op, i.name.clone()), i)).collect()
    }
    let (ma, mb) = (index(a), index(b));
    let mut items = Vec::new();
    let mut only_a: Vec<&TestInput> = Vec::new();
    let mut only_b: Vec<&TestInput> = Vec::new();
    for (k, x) in &ma {
        match mb.get(k) {
            Some(y) if x.hash != y.hash => items.push(changed_input(x, y)),
            Some(_) => {}
            None => only_a.push(x),
        }
    }
    for (k, y) in &mb {
        if !ma.contains_key(k) {
            only_b.push(y);
        }
    }
    // A `t.TempDir` (`$TMPDIR/TestName123/001`) is random per run and gone when go test checks
    // it; B checks A's list, where A's directory is gone too, so the two lists' temporary
    // directories hash alike in a real lookup: not a cause (a TMPDIR difference is, as `env`).
    let mut kept_b: Vec<&TestInput> = Vec::new();
    for y in std::mem::take(&mut only_b) {
        match only_a
            .iter()
            .position(|x| vanished_temp_dir(x) && vanished_temp_dir(y) && same_temp_dir(x, y))
        {
            Some(p) => {
                only_a.remove(p);
            }
            None => kept_b.push(y),
        }
    }
    only_b = kept_b;
    // The same file at another absolute path (a moved checkout): test inputs are recorded by
    // absolute path, even with -trimpath.
    let suffix = |p: &str| p.rsplit('/').take(3).collect::<Vec<_>>().join("/");
    for x in std::mem::take(&mut only_a) {
        let twin = only_b.iter().position(|y| {
            y.op == x.op && x.op != InputOp::Env && suffix(&y.name) == suffix(&x.name)
        });
        match twin {
            Some(p) => {
                let y = only_b.remove(p);
                let mut seed = CauseSeed::plain(
                    Category::AbsolutePath,
                    Class::TestInputPath,
                    Some(x.name.clone()),
                    Some(y.name.clone()),
                );
                seed.is_path = true;
                items.push(Item {
                    field: format!("{} path", x.op.as_str()),
                    a: Some(x.name.clone()),
                    b: Some(y.name.clone()),
                    kind: ItemKind::Input(seed),
                });
            }
            None => only_a.push(x),
        }
    }
    for (side, list) in [(Side::A, only_a), (Side::B, only_b)] {
        for i in list {
            let shown = Some(describe(i));
            let (a, b) = if side == Side::A {
                (shown, None)
            } else {
                (None, shown)
            };
            let category = if i.op == InputOp::Env {
                Category::TestEnv
            } else {
                Category::TestFile
            };
            let field = format!("{} {}", i.op.as_str(), i.name);
            let class = Class::test_input(i.op, &i.name, InputChange::OneSide);
            let seed = CauseSeed::plain(category, class, a.clone(), b.clone());
            items.push(Item {
                field,
                a,
                b,
                kind: ItemKind::Input(seed),
            });
        }
    }
    items
}

/// An input read on both sides whose hash differs.
fn changed_input(x: &TestInput, y: &TestInput) -> Item {
    let field = format!("{} {}", x.op.as_str(), x.name);
    let mtimes =
        |s: &StatInfo<'_>, t: &StatInfo<'_>| (Some(s.mtime.to_string()), Some(t.mtime.to_string()));
    let (category, change, (a, b)) = match (&x.detail, &y.detail) {
        (InputDetail::Stat(s), InputDetail::Stat(t)) if only_mtime(s, t) => {
            (Category::TestMtime, InputChange::Mtime, mtimes(s, t))
        }
        (
            InputDetail::Dir {
                stat: s,
                entries: e,
            },
            InputDetail::Dir {
                stat: t,
                entries: f,
            },
        ) if e == f && only_mtime(s, t) => (Category::TestMtime, InputChange::Mtime, mtimes(s, t)),
        (InputDetail::Dir { entries: e, .. }, InputDetail::Dir { entries: f, .. }) if e != f => (
            Category::TestFile,
            InputChange::Entries,
            (Some(describe(x)), Some(describe(y))),
        ),
        (InputDetail::Error(_), _) | (_, InputDetail::Error(_)) if x.op != InputOp::Env => (
            Category::TestFile,
            InputChange::Missing,
            (Some(describe(x)), Some(describe(y))),
        ),
        (InputDetail::Unset, InputDetail::Value(_) | InputDetail::Redacted(_))
        | (InputDetail::Value(_) | InputDetail::Redacted(_), InputDetail::Unset) => (
            Category::TestEnv,
            InputChange::Unset,
            (Some(describe(x)), Some(describe(y))),
        ),
        _ if x.op == InputOp::Env => (
            Category::TestEnv,
            InputChange::Value,
            (Some(describe(x)), Some(describe(y))),
        ),
        _ => (
            Category::TestFile,
            InputChange::Value,
            (Some(describe(x)), Some(describe(y))),
        ),
    };
    // The same instant printed in another zone: the sides' TZ differ, whatever the files.
    let class = if change == InputChange::Mtime && same_instant(a.as_deref(), b.as_deref()) {
        Class::TimeZone
    } else {
        // GODEBUG is a test input from Go 1.23 on: a difference is usually the observer effect
        // of turning gocachehash on for one run only.
        Class::test_input(x.op, &x.name, change)
    };
    let seed = CauseSeed::plain(category, class, a.clone(), b.clone());
    Item {
        field,
        a,
        b,
        kind: ItemKind::Input(seed),
    }
}

/// Go prints `os.FileMode` in hex (`1a4`); people read permissions in octal (`0644`).
fn permissions(hex: &str) -> String {
    match u32::from_str_radix(hex, 16) {
        Ok(mode) => format!("{:04o}", mode & 0o7777),
        Err(_) => hex.to_string(),
    }
}

/// A directory made by `t.TempDir` (`<temp>/<TestName><digits>/<NNN>`) that was gone when go
/// test hashed it.
fn vanished_temp_dir(i: &TestInput) -> bool {
    let mut parts = i.name.rsplit('/');
    let (Some(last), Some(test)) = (parts.next(), parts.next()) else {
        return false;
    };
    matches!(i.detail, InputDetail::Error(_))
        && last.len() == 3
        && last.bytes().all(|c| c.is_ascii_digit())
        && test.starts_with("Test")
        && test.ends_with(|c: char| c.is_ascii_digit())
}

/// Two `t.TempDir` directories of the same test (the same name before its random digits).
fn same_temp_dir(x: &TestInput, y: &TestInput) -> bool {
    let test = |i: &TestInput| {
        i.name
            .rsplit('/')
            .nth(1)
            .map(|t| t.trim_end_matches(|c: char| c.is_ascii_digit()).to_string())
    };
    x.op == y.op && test(x) == test(y)
}

/// Two modification times as Go prints them (`2024-01-01 00:00:00 +0000 UTC`, perhaps with a
/// fraction of a second) that are the same instant in different zones.
fn same_instant(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.and_then(instant), b.and_then(instant)) {
        (Some(x), Some(y)) => x == y && a != b,
        _ => false,
    }
}

/// Seconds and nanoseconds since the epoch of a time printed by Go's `time.Time.String`.
fn instant(text: &str) -> Option<(i64, u32)> {
    let mut words = text.split(' ');
    let (date, time, offset) = (words.next()?, words.next()?, words.next()?);
    let mut d = date.splitn(3, '-').map(|n| n.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut c = clock.splitn(3, ':').map(|n| n.parse::<i64>().ok());
    let (hour, minute, second) = (c.next()??, c.next()??, c.next()??);
    let nanos: u32 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<9}").get(..9)?.parse().ok()?
    };
    let sign = match offset.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (oh, om) = (
        offset.get(1..3)?.parse::<i64>().ok()?,
        offset.get(3..5)?.parse::<i64>().ok()?,
    );
    // Days from the civil date (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    let local = days * 86400 + hour * 3600 + minute * 60 + second;
    Some((local - sign * (oh * 3600 + om * 60), nanos))
}

fn only_mtime(s: &StatInfo<'_>, t: &StatInfo<'_>) -> bool {
    s.size == t.size && s.mode == t.mode && s.is_dir == t.is_dir && s.mtime != t.mtime
}

/// A short description of what the test saw.
pub fn describe(i: &TestInput) -> String {
    match &i.detail {
        InputDetail::Unset => "unset".into(),
        InputDetail::Value(v) => format!("{v:?}"),
        InputDetail::Redacted(sha) => format!("redacted, sha256 {sha}…"),
        InputDetail::Stat(s) => format!(
            "size {}, mode {}, modified {}",
            s.size,
            permissions(&s.mode),
            s.mtime
        ),
        InputDetail::Dir { stat, entries } => format!(
            "directory, {} entries, modified {}",
            entries.len(),
            stat.mtime
        ),
        InputDetail::Error(e) => format!("error: {e}"),
        InputDetail::NotPrinted => format!("hash {}", i.hash.abbrev()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Digest;

    fn digest(c: char) -> Option<Digest> {
        Digest::from_hex(c.to_string().repeat(64).as_bytes())
    }

    fn run(test_id: char, inputs_id: char) -> TestRun {
        TestRun {
            package: "p".into(),
            binary_id: Some("bin".into()),
            test_id: digest(test_id),
            inputs_id: digest(inputs_id),
            ..TestRun::default()
        }
    }

    fn cache(r: TestRun) -> TestCache {
        TestCache {
            runs: vec![r],
            disabled: Vec::new(),
        }
    }

    #[test]
    fn keys_that_differ_without_a_block_to_say_why_are_still_a_difference() {
        // The same test binary and flags as far as the log shows, another result key: the
        // entry used to have no item, and the comparison counted the test as the same.
        let entries = compare(&cache(run('a', 'c')), &cache(run('b', 'c')));
        assert_eq!(entries.len(), 1);
        let fields: Vec<&str> = entries[0].items.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["test result key"]);
        // The same result key, other inputs, and no testInputs block to compare.
        let entries = compare(&cache(run('a', 'c')), &cache(run('a', 'd')));
        let fields: Vec<&str> = entries[0].items.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["test inputs key"]);
        assert!(compare(&cache(run('a', 'c')), &cache(run('a', 'c'))).is_empty());
    }

    #[test]
    fn instants_across_zones() {
        assert!(same_instant(
            Some("2024-01-01 00:00:00 +0000 UTC"),
            Some("2023-12-31 19:00:00 -0500 EST")
        ));
        assert!(same_instant(
            Some("2024-01-01 00:00:00.5 +0000 UTC"),
            Some("2024-01-01 01:00:00.500000000 +0100 CET")
        ));
        assert!(!same_instant(
            Some("2024-01-01 00:00:00 +0000 UTC"),
            Some("2024-01-02 00:00:00 +0000 UTC")
        ));
        assert!(!same_instant(
            Some("2024-01-01 00:00:00 +0000 UTC"),
            Some("2024-01-01 00:00:00 +0000 UTC")
        ));
        assert_eq!(instant("1970-01-01 00:00:00 +0000 UTC"), Some((0, 0)));
        assert_eq!(instant("not a time"), None);
    }

    #[test]
    fn random_temp_dirs_are_not_a_cause() {
        let gone = |path: &str| TestInput {
            op: InputOp::Chdir,
            name: path.to_string(),
            hash: crate::model::Digest([1; 32]),
            detail: InputDetail::Error(format!("stat {path}: no such file or directory")),
        };
        let a = [gone("/tmp/a/TestC2842213201/001")];
        let b = [gone("/tmp/b/TestC49393296/001")];
        assert!(input_items(&a, &b).is_empty());
        // Another test's directory is another input.
        let c = [gone("/tmp/b/TestD49393296/001")];
        assert_eq!(input_items(&a, &c).len(), 2);
    }
}
