//! Comparing two logs: match actions, compare their inputs field by field, tell root causes from
//! knock-on changes (divergence travels through dependencies' *content* IDs, reference §8),
//! group differences into causes with a category, a reason and a fix.

mod causes;
mod class;
mod classify;
pub mod gate;
mod knowledge;
mod matching;
mod paths;
mod report;
mod tests;
mod tokens;

pub use crate::model::Category;
pub use report::{
    ActionReport, Cause, Difference, Report, SettingDiff, Status, Summary, Token, TokenSide,
    Verdict,
};
pub use tokens::changed_with_context;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Action, ActionKind, BuildLog, Input, SideInfo};
use class::Class;
use classify::{CauseSeed, DepRef, Item, ItemKind};

/// Kinds whose keys are compared: the compile graph (and PGO preprocessing feeding it).
fn compared(kind: ActionKind) -> bool {
    kind.is_compile_graph() || kind == ActionKind::Pgo
}

/// Compares two parsed logs. `a` and `b` describe how each was produced (labels, settings).
pub fn compare(log_a: &BuildLog<'_>, log_b: &BuildLog<'_>, a: SideInfo, b: SideInfo) -> Report {
    let acts_a: Vec<&Action<'_>> = log_a.actions.iter().filter(|x| compared(x.kind)).collect();
    let acts_b: Vec<&Action<'_>> = log_b.actions.iter().filter(|x| compared(x.kind)).collect();
    let pairs = matching::match_actions(&acts_a, &acts_b);
    let get = |p: &(Option<usize>, Option<usize>)| (p.0.map(|i| acts_a[i]), p.1.map(|i| acts_b[i]));

    // One entry per compared action pair, then one per tested package.
    let mut entries: Vec<Entry> = Vec::with_capacity(pairs.len());
    for p in &pairs {
        let (x, y) = get(p);
        let act = x.or(y).expect("one side");
        let items = match (x, y) {
            (Some(x), Some(y)) => {
                if x.id.is_some() && x.id == y.id && x.is_verified() && y.is_verified() {
                    None
                } else {
                    let mut found = classify::compare_actions(x, y);
                    if found.is_empty() && x.id != y.id {
                        found.push(order_item(x, y));
                    }
                    (!found.is_empty()).then_some(found)
                }
            }
            _ => None,
        };
        entries.push(Entry {
            name: act.name.to_string(),
            package: act.package().map(str::to_string),
            label: act.label(),
            kind: act.kind.as_str(),
            only: match (x, y) {
                (Some(_), None) => Some(Status::OnlyA),
                (None, Some(_)) => Some(Status::OnlyB),
                _ => None,
            },
            a_id: x.and_then(|a| a.id).map(|d| d.to_string()),
            b_id: y.and_then(|a| a.id).map(|d| d.to_string()),
            unverified: x.is_some_and(|a| !a.is_verified()) || y.is_some_and(|a| !a.is_verified()),
            items,
            caused_by: Vec::new(),
        });
    }
    let order_pairs = dependency_order(&pairs, &acts_a, &acts_b);

    // Which packages' builds, links and vets differ or exist on one side only.
    let mut differing: FxHashMap<(ActionKind, &str), Vec<usize>> = FxHashMap::default();
    let mut present: FxHashSet<(ActionKind, &str)> = FxHashSet::default();
    for (i, p) in pairs.iter().enumerate() {
        let (x, y) = get(p);
        let act = x.or(y).expect("one side");
        if let Some(pkg) = act.package() {
            present.insert((act.kind, pkg));
            if entries[i].differs() {
                differing.entry((act.kind, pkg)).or_default().push(i);
            }
        }
    }

    // Tested packages whose cached result would not be reused.
    for t in tests::compare(&log_a.tests, &log_b.tests) {
        let name = format!("test {}", t.package);
        entries.push(Entry {
            package: None,
            label: name.clone(),
            name,
            kind: "test",
            only: t.only.map(|s| match s {
                tests::Side::A => Status::OnlyA,
                tests::Side::B => Status::OnlyB,
            }),
            a_id: t.a_id,
            b_id: t.b_id,
            unverified: false,
            items: (!t.items.is_empty()).then_some(t.items),
            caused_by: Vec::new(),
        });
    }

    // Dependency references: knock-on when the dependency differs, else non-determinism.
    for (i, entry) in entries.iter_mut().enumerate() {
        let mut caused_by = Vec::new();
        let Some(list) = entry.items.as_mut() else {
            continue;
        };
        for item in list.iter_mut() {
            let ItemKind::Dependency(dep) = &item.kind else {
                continue;
            };
            let key = match dep {
                DepRef::Build(p) => (ActionKind::Build, p.as_str()),
                DepRef::Vet(p) => (ActionKind::Vet, p.as_str()),
                DepRef::Link(p) => (ActionKind::Link, p.as_str()),
            };
            match differing.get(&key) {
                Some(deps) => caused_by.extend(deps.iter().copied().filter(|&d| d != i)),
                None if key.0 == ActionKind::Link => {
                    // A test binary whose link is not in either log: say so plainly.
                    item.kind = ItemKind::Input(CauseSeed::plain(
                        Category::Other,
                        Class::UnlinkedTestBinary,
                        item.a.clone(),
                        item.b.clone(),
                    ));
                }
                None => {
                    let absent = !present.contains(&key);
                    item.kind = ItemKind::Input(nondeterministic_seed(key.1, item, absent));
                }
            }
        }
        caused_by.sort_unstable();
        caused_by.dedup();
        entry.caused_by = caused_by;
    }

    let order: Vec<usize> = (0..entries.len())
        .map(|i| order_pairs.get(i).copied().unwrap_or(pairs.len() + i))
        .collect();
    let statuses: Vec<Option<Status>> = entries
        .iter()
        .map(|e| e.only.or_else(|| e.items.as_deref().map(status_of)))
        .collect();

    // Group the input differences of every differing entry into causes.
    let differing_idx: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].items.is_some())
        .collect();
    let action_items: Vec<causes::ActionItems<'_>> = differing_idx
        .iter()
        .map(|&i| causes::ActionItems {
            label: &entries[i].label,
            package: entries[i].package.as_deref(),
            order: order[i],
            items: entries[i].items.as_deref().unwrap_or(&[]),
        })
        .collect();
    let facts = causes::SideFacts {
        go_minor: go_minor(log_a.go_version()),
        both_trimpath: uses_trimpath(&acts_a) && uses_trimpath(&acts_b),
    };
    let (causes, assignment) = causes::group(&action_items, &facts);

    // Action reports in dependency order.
    let mut actions: Vec<(usize, ActionReport)> = Vec::new();
    for (i, status) in statuses.iter().enumerate() {
        let Some(status) = *status else { continue };
        let e = &entries[i];
        let differences = match differing_idx.binary_search(&i) {
            Ok(pos) => e
                .items
                .as_deref()
                .unwrap_or(&[])
                .iter()
                .zip(&assignment[pos])
                .map(|(item, cause)| difference(item, *cause))
                .collect(),
            Err(_) => Vec::new(),
        };
        actions.push((
            order[i],
            ActionReport {
                name: e.name.clone(),
                label: e.label.clone(),
                kind: e.kind,
                status,
                a_id: e.a_id.clone(),
                b_id: e.b_id.clone(),
                differences,
                caused_by: e
                    .caused_by
                    .iter()
                    .map(|&d| entries[d].label.clone())
                    .collect(),
                unverified: e.unverified,
            },
        ));
    }
    actions.sort_by_key(|(o, r)| (*o, r.status));
    let actions: Vec<ActionReport> = actions.into_iter().map(|(_, r)| r).collect();

    let mut summary = Summary {
        compared: entries.iter().filter(|e| e.only.is_none()).count(),
        ..Summary::default()
    };
    for s in &statuses {
        match s {
            None => summary.same += 1,
            Some(Status::OnlyA) => summary.only_a += 1,
            Some(Status::OnlyB) => summary.only_b += 1,
            Some(st) => {
                summary.differ += 1;
                match st {
                    Status::RootCause => summary.root_cause += 1,
                    Status::KnockOn => summary.knock_on += 1,
                    Status::Nondeterministic => summary.nondeterministic += 1,
                    Status::OnlyA | Status::OnlyB => {}
                }
            }
        }
    }
    let verdict = if summary.differ > 0 {
        Verdict::Differ
    } else {
        Verdict::Same
    };
    let settings = setting_diffs(&a, &b);
    let notes = notes(log_a, log_b, &a, &b, &summary);
    let partial = a.exit_status.is_some_and(|s| s != 0) || b.exit_status.is_some_and(|s| s != 0);
    Report {
        a,
        b,
        verdict,
        summary,
        settings,
        causes,
        actions,
        notes,
        partial,
    }
}

/// An action pair or a tested package, on its way to the report.
struct Entry {
    name: String,
    /// Import path of a build, link or vet action.
    package: Option<String>,
    label: String,
    kind: &'static str,
    only: Option<Status>,
    a_id: Option<String>,
    b_id: Option<String>,
    unverified: bool,
    /// `None` when identical.
    items: Option<Vec<Item>>,
    /// Indices of the differing entries whose output changed this one's inputs.
    caused_by: Vec<usize>,
}

impl Entry {
    fn differs(&self) -> bool {
        self.items.is_some() || self.only.is_some()
    }
}

/// Root cause when any input other than a dependency reference differs; nondeterministic when
/// only non-determinism seeds remain; else knock-on.
fn status_of(items: &[Item]) -> Status {
    let mut nondet = false;
    for item in items {
        if let ItemKind::Input(seed) = &item.kind {
            if seed.category == Category::Nondeterministic {
                nondet = true;
            } else {
                return Status::RootCause;
            }
        }
    }
    if nondet {
        Status::Nondeterministic
    } else {
        Status::KnockOn
    }
}

fn nondeterministic_seed(pkg: &str, item: &Item, absent: bool) -> CauseSeed {
    let class = Class::Output {
        package: pkg.to_string(),
        absent,
    };
    CauseSeed::plain(
        Category::Nondeterministic,
        class,
        item.a.clone(),
        item.b.clone(),
    )
}

/// Same lines, different ID: the lines are in another order (Go hashes them in order).
fn order_item(x: &Action<'_>, y: &Action<'_>) -> Item {
    let first = x
        .fields
        .iter()
        .zip(&y.fields)
        .position(|(p, q)| p.text != q.text)
        .unwrap_or(0);
    let at = |a: &Action<'_>| a.fields.get(first).map(|f| f.text.to_string());
    let (a, b) = (at(x), at(y));
    Item {
        field: "field order".into(),
        a: a.clone(),
        b: b.clone(),
        kind: ItemKind::Input(CauseSeed::plain(Category::Other, Class::FieldOrder, a, b)),
    }
}

fn difference(item: &Item, cause: Option<usize>) -> Difference {
    Difference {
        field: item.field.clone(),
        a: item.a.clone(),
        b: item.b.clone(),
        cause,
        dependency: match &item.kind {
            ItemKind::Dependency(DepRef::Build(p) | DepRef::Vet(p) | DepRef::Link(p)) => {
                Some(p.clone())
            }
            ItemKind::DependencySet => item.field.split_once(' ').map(|(_, p)| p.to_string()),
            ItemKind::Input(_) => None,
        },
    }
}

/// A topological order of the pairs (dependencies first), ties broken by A's log order: the
/// first divergent action of a chain comes first.
fn dependency_order(
    pairs: &[(Option<usize>, Option<usize>)],
    acts_a: &[&Action<'_>],
    acts_b: &[&Action<'_>],
) -> Vec<usize> {
    let act = |p: &(Option<usize>, Option<usize>)| -> &Action<'_> {
        p.0.map(|i| acts_a[i])
            .or(p.1.map(|i| acts_b[i]))
            .expect("one side")
    };
    let mut by_pkg: FxHashMap<(ActionKind, &str), Vec<usize>> = FxHashMap::default();
    for (i, p) in pairs.iter().enumerate() {
        if let Some(pkg) = act(p).package() {
            by_pkg.entry((act(p).kind, pkg)).or_default().push(i);
        }
    }
    let mut deps: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pairs.len()];
    for (i, p) in pairs.iter().enumerate() {
        for side in [p.0.map(|x| acts_a[x]), p.1.map(|x| acts_b[x])]
            .into_iter()
            .flatten()
        {
            for input in side.inputs() {
                let target =
                    if let Input::Import { path, .. } | Input::PackageFile { path, .. } = input {
                        (ActionKind::Build, path.as_ref())
                    } else if let Input::VetOut { path, .. } = input {
                        (ActionKind::Vet, path.as_ref())
                    } else if let Input::VetPkg(_) = input {
                        (
                            ActionKind::Build,
                            side.subject.as_deref().unwrap_or_default(),
                        )
                    } else {
                        continue;
                    };
                for &d in by_pkg.get(&target).into_iter().flatten() {
                    if d != i {
                        deps[i].insert(d);
                    }
                }
            }
        }
    }
    // Kahn's algorithm; ready actions taken in pair order (A's log order).
    let mut indegree: Vec<usize> = deps.iter().map(|d| d.len()).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); pairs.len()];
    for (i, d) in deps.iter().enumerate() {
        for &x in d {
            dependents[x].push(i);
        }
    }
    let mut ready: BTreeSet<usize> = (0..pairs.len()).filter(|&i| indegree[i] == 0).collect();
    let mut order = vec![usize::MAX; pairs.len()];
    let mut next = 0;
    while let Some(i) = ready.pop_first() {
        order[i] = next;
        next += 1;
        for &d in &dependents[i] {
            indegree[d] -= 1;
            if indegree[d] == 0 {
                ready.insert(d);
            }
        }
    }
    // A cycle cannot happen in a real build; keep any leftovers in pair order.
    let mut rest: VecDeque<usize> = (0..pairs.len())
        .filter(|&i| order[i] == usize::MAX)
        .collect();
    while let Some(i) = rest.pop_front() {
        order[i] = next;
        next += 1;
    }
    order
}

fn uses_trimpath(actions: &[&Action<'_>]) -> bool {
    actions
        .iter()
        .any(|a| a.kind == ActionKind::Build && a.inputs().any(|i| matches!(i, Input::Trimpath)))
}

/// `go1.22.10` → 22.
fn go_minor(version: Option<&str>) -> Option<u32> {
    version?
        .strip_prefix("go1.")?
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// Differences in how the sides were produced, for the report's first lines.
fn setting_diffs(a: &SideInfo, b: &SideInfo) -> Vec<SettingDiff> {
    let mut out = Vec::new();
    let mut push = |setting: &str, x: Option<String>, y: Option<String>| {
        if x != y {
            out.push(SettingDiff {
                setting: setting.to_string(),
                a: x,
                b: y,
            });
        }
    };
    push("go binary", a.go_binary.clone(), b.go_binary.clone());
    push("go version", a.go_version.clone(), b.go_version.clone());
    push("directory", a.dir.clone(), b.dir.clone());
    if !a.args.is_empty() || !b.args.is_empty() {
        push("arguments", Some(a.args.join(" ")), Some(b.args.join(" ")));
    }
    let keys: BTreeSet<&String> = a.go_env.keys().chain(b.go_env.keys()).collect();
    for k in keys {
        // Both sides list what they know; a key only one side reports is not a difference.
        if let (Some(x), Some(y)) = (a.go_env.get(k), b.go_env.get(k)) {
            push(k, Some(x.clone()), Some(y.clone()));
        }
    }
    let keys: BTreeSet<&String> = a
        .env_overrides
        .keys()
        .chain(b.env_overrides.keys())
        .collect();
    for k in keys {
        // `go env` already showed the value go saw.
        if a.go_env.contains_key(k) && b.go_env.contains_key(k) {
            continue;
        }
        push(
            &format!("env {k}"),
            a.env_overrides.get(k).cloned(),
            b.env_overrides.get(k).cloned(),
        );
    }
    out
}

/// What was ignored and what could not be verified, in a sentence each.
fn notes(
    a: &BuildLog<'_>,
    b: &BuildLog<'_>,
    ia: &SideInfo,
    ib: &SideInfo,
    summary: &Summary,
) -> Vec<String> {
    let mut notes = Vec::new();
    let mut ignored: BTreeMap<&str, u64> = BTreeMap::new();
    for log in [a, b] {
        *ignored.entry("moduleIndex lines").or_default() += log.stats.module_index_lines;
        *ignored.entry("subkeys").or_default() += log.subkeys.len() as u64;
        *ignored.entry("file-hash lines").or_default() += log.file_hashes.len() as u64;
        *ignored.entry("testcache lines").or_default() += log.test_cache.len() as u64;
        *ignored
            .entry("other blocks (gccCompilerID, test cache)")
            .or_default() += log.actions.iter().filter(|x| !compared(x.kind)).count() as u64;
        *ignored
            .entry("lines that are not gocachehash output")
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
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    if !parts.is_empty() {
        let mut s = format!("ignored (not in any action key): {}", parts.join(", "));
        if work > 0 {
            s.push_str(&format!("; {work} file-hash lines are $WORK temp paths"));
        }
        notes.push(s);
    }
    for (side, log, info) in [("A", a, ia), ("B", b, ib)] {
        let unverified: Vec<String> = log
            .actions
            .iter()
            .filter(|x| compared(x.kind) && !x.is_verified())
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
        if info.exit_status.is_some_and(|s| s != 0) {
            notes.push(format!(
                "side {side} ({}): the go command failed (exit {}); the comparison covers only what it hashed",
                info.label,
                info.exit_status.unwrap_or_default()
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
    let godebug = |l: &BuildLog<'_>| -> Option<crate::model::Digest> {
        l.tests
            .runs
            .iter()
            .flat_map(|r| r.inputs.iter())
            .find(|i| i.op == crate::model::InputOp::Env && i.name == "GODEBUG")
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
