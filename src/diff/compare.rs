//! The comparison of two logs, phase by phase: pair the actions, find what differs in each pair
//! and each tested package, tell knock-on changes (a dependency's output changed) from root
//! causes, group the differences into causes, order everything by dependency, and keep the
//! graph of every compared action for the renderers that draw it.
//!
//! Divergence travels through dependencies' *content* IDs: a compile's key holds
//! `import <path> <content id>` of each dependency and a link's `packagefile <path>=<content id>`
//! (`(*Builder).buildActionID`, `linkActionID` in `cmd/go/internal/work/exec.go`), so a
//! dependency whose output changed changes its dependents' keys without being their cause.

use rustc_hash::{FxHashMap, FxHashSet};

use super::causes::{self, ActionItems, SideFacts};
use super::class::Class;
use super::classify::{self, CauseSeed, DepRef, Item, ItemKind};
use super::comparison::{ActionDiff, Cause, Comparison, Difference, Status, Summary, Verdict};
use super::filesets::{self, SideTags};
use super::graph::{ActionGraph, GraphNode, Source, test_binaries};
use super::matching;
use super::notes::notes;
use super::order::{compared_actions, dependencies, dependency_order};
use super::settings::setting_diffs;
use super::test_runs::{self, Side};
use crate::model::{
    Action, ActionKind, BuildLog, Category, Input, NoSources, SideInfo, SourceFacts,
};

/// Compares two parsed logs. `a` and `b` describe how each was produced (labels, settings).
/// What selects files present on one side only is inferred from the logs alone; see
/// [`compare_with_sources`].
pub fn compare(log_a: &BuildLog<'_>, log_b: &BuildLog<'_>, a: SideInfo, b: SideInfo) -> Comparison {
    compare_with_sources(log_a, log_b, a, b, &NoSources)
}

/// [`compare`], reading the build constraints of files present on one side only from
/// `sources` (the files on this machine whose content the logs hashed), so that a file-set
/// difference names the build tag or setting that selects it.
pub fn compare_with_sources(
    log_a: &BuildLog<'_>,
    log_b: &BuildLog<'_>,
    a: SideInfo,
    b: SideInfo,
    sources: &dyn SourceFacts,
) -> Comparison {
    let (acts_a, index_a) = compared_actions(log_a);
    let (acts_b, index_b) = compared_actions(log_b);
    let pairs = Pairs::new(&acts_a, &acts_b);

    let mut entries = pair_entries(&pairs, &index_a, &index_b);
    select_files(
        &mut entries,
        (uses_cgo(&acts_a), uses_cgo(&acts_b)),
        sources,
    );
    let (differing, present) = differing_packages(&pairs, &entries);
    entries.extend(test_entries(log_a, log_b));
    trace_dependencies(&mut entries, &differing, &present);

    let pair_deps = dependencies(&pairs.pairs, &acts_a, &acts_b);
    let pair_order = dependency_order(&pair_deps);
    let order: Vec<usize> = (0..entries.len())
        .map(|i| pair_order.get(i).copied().unwrap_or(pairs.len() + i))
        .collect();
    let statuses: Vec<Option<Status>> = entries
        .iter()
        .map(|e| e.only.or_else(|| e.items.as_deref().map(status_of)))
        .collect();
    let facts = SideFacts {
        go_minor: (go_minor(log_a.go_version()), go_minor(log_b.go_version())),
        both_trimpath: uses_trimpath(&acts_a) && uses_trimpath(&acts_b),
        go_lines_equal: go_lines_equal(&pairs),
    };
    let (causes, assignment) = group_causes(&entries, &order, &facts);
    let (actions, diff_of) = action_diffs(&entries, &statuses, &order, &assignment);
    let summary = summarize(&entries, &statuses);
    let graph = graph(&entries, &statuses, pair_deps, &diff_of);

    let verdict = if summary.differ > 0 {
        Verdict::Differ
    } else {
        Verdict::Same
    };
    let settings = setting_diffs(&a, &b);
    let notes = notes(log_a, log_b, &a, &b, &summary);
    let partial = a.exit_status.is_some_and(|s| s != 0) || b.exit_status.is_some_and(|s| s != 0);
    Comparison {
        a,
        b,
        verdict,
        summary,
        settings,
        causes,
        actions,
        graph,
        notes,
        partial,
    }
}

/// The compared actions of both sides and how they pair up.
struct Pairs<'p, 'a> {
    acts_a: &'p [&'p Action<'a>],
    acts_b: &'p [&'p Action<'a>],
    /// Indices into `acts_a` and `acts_b`; `None` for an action on one side only.
    pairs: Vec<(Option<usize>, Option<usize>)>,
}

impl<'p, 'a> Pairs<'p, 'a> {
    fn new(acts_a: &'p [&'p Action<'a>], acts_b: &'p [&'p Action<'a>]) -> Self {
        Pairs {
            acts_a,
            acts_b,
            pairs: matching::match_actions(acts_a, acts_b),
        }
    }

    fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Each pair as its two actions, in pair order.
    fn iter(&self) -> impl Iterator<Item = (Option<&'p Action<'a>>, Option<&'p Action<'a>>)> {
        self.pairs
            .iter()
            .map(|p| (p.0.map(|i| self.acts_a[i]), p.1.map(|i| self.acts_b[i])))
    }
}

/// An action pair or a tested package, on its way into the comparison.
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
    /// Where its key is in each log.
    a_src: Option<Source>,
    b_src: Option<Source>,
}

impl Entry {
    fn differs(&self) -> bool {
        self.items.is_some() || self.only.is_some()
    }
}

/// Phase 1: one entry per action pair, with the fields that differ.
fn pair_entries(pairs: &Pairs<'_, '_>, index_a: &[usize], index_b: &[usize]) -> Vec<Entry> {
    let mut entries = Vec::with_capacity(pairs.len());
    for (&(ia, ib), (x, y)) in pairs.pairs.iter().zip(pairs.iter()) {
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
            (Some(_), None) | (None, Some(_)) | (None, None) => None,
        };
        entries.push(Entry {
            name: act.name.to_string(),
            package: act.package().map(str::to_string),
            label: act.label(),
            kind: act.kind.as_str(),
            only: match (x, y) {
                (Some(_), None) => Some(Status::OnlyA),
                (None, Some(_)) => Some(Status::OnlyB),
                (Some(_), Some(_)) | (None, None) => None,
            },
            a_id: x.and_then(|a| a.id).map(|d| d.to_string()),
            b_id: y.and_then(|a| a.id).map(|d| d.to_string()),
            unverified: x.is_some_and(|a| !a.is_verified()) || y.is_some_and(|a| !a.is_verified()),
            items,
            caused_by: Vec::new(),
            a_src: ia.map(|i| Source::Action(index_a[i])),
            b_src: ib.map(|i| Source::Action(index_b[i])),
        });
    }
    entries
}

/// A package's build, link or vet.
type PackageAction<'p> = (ActionKind, &'p str);

/// Phase 1b: for each package that compiles other files on the two sides, the setting that
/// selects them (a build tag, the target, cgo, the release), from the files' names and, where
/// `sources` has them, their build constraints. `cgo` says whether each log shows cgo on (a
/// `cgo` line anywhere; none leaves it unknown).
fn select_files(entries: &mut [Entry], cgo: (bool, bool), sources: &dyn SourceFacts) {
    let known = |on: bool| on.then_some(true);
    for entry in entries.iter_mut() {
        let package = entry.package.clone().unwrap_or_default();
        for item in entry.items.iter_mut().flatten() {
            let ItemKind::Input(seed) = &mut item.kind else {
                continue;
            };
            let Class::FileSet(_) = seed.class else {
                continue;
            };
            let Some(tags) = seed.tags.as_deref() else {
                continue;
            };
            let (mut ta, mut tb): (SideTags, SideTags) = tags.clone();
            ta.cgo = known(cgo.0);
            tb.cgo = known(cgo.1);
            let Some(found) = filesets::select(&seed.files, &ta, &tb, sources) else {
                continue;
            };
            if let Some((va, vb)) = found.set {
                let state = |on: bool| Some(if on { "set" } else { "not set" }.to_string());
                seed.a = state(va);
                seed.b = state(vb);
            } else {
                let listed = |v: &Option<String>| v.as_ref().map(|v| format!("{package}: {v}"));
                seed.a = listed(&seed.a);
                seed.b = listed(&seed.b);
            }
            seed.class = Class::FilesBy(found.selection);
        }
    }
}

/// Whether a log shows cgo on: a `cgo` line in any compile key.
fn uses_cgo(actions: &[&Action<'_>]) -> bool {
    actions
        .iter()
        .any(|a| a.inputs().any(|i| matches!(i, Input::CgoTool(_))))
}

/// Some compile has a `go` line on both sides, and none differs.
fn go_lines_equal(pairs: &Pairs<'_, '_>) -> bool {
    let go = |a: &Action<'_>| {
        a.inputs().find_map(|i| {
            if let Input::GoDirective(v) = i {
                Some(v.to_string())
            } else {
                None
            }
        })
    };
    let mut seen = false;
    for (x, y) in pairs.iter() {
        if let (Some(x), Some(y)) = (x, y)
            && x.kind == ActionKind::Build
        {
            match (go(x), go(y)) {
                (Some(gx), Some(gy)) if gx == gy => seen = true,
                (None, None) => {}
                _ => return false,
            }
        }
    }
    seen
}

/// Phase 2: which packages' builds, links and vets differ (the entries that do) or exist on one
/// side only, and which exist at all.
fn differing_packages<'p>(
    pairs: &Pairs<'p, '_>,
    entries: &[Entry],
) -> (
    FxHashMap<PackageAction<'p>, Vec<usize>>,
    FxHashSet<PackageAction<'p>>,
) {
    let mut differing: FxHashMap<PackageAction<'p>, Vec<usize>> = FxHashMap::default();
    let mut present: FxHashSet<PackageAction<'p>> = FxHashSet::default();
    for (i, (x, y)) in pairs.iter().enumerate() {
        let act = x.or(y).expect("one side");
        if let Some(pkg) = act.package() {
            present.insert((act.kind, pkg));
            if entries[i].differs() {
                differing.entry((act.kind, pkg)).or_default().push(i);
            }
        }
    }
    (differing, present)
}

/// Phase 3: one entry per tested package whose cached result would not be reused.
fn test_entries(log_a: &BuildLog<'_>, log_b: &BuildLog<'_>) -> Vec<Entry> {
    let run = |log: &BuildLog<'_>, package: &str| {
        log.tests
            .runs
            .iter()
            .position(|r| r.package == package)
            .map(Source::TestRun)
    };
    test_runs::compare(&log_a.tests, &log_b.tests)
        .into_iter()
        .map(|t| {
            let name = format!("test {}", t.package);
            let (a_src, b_src) = (run(log_a, &t.package), run(log_b, &t.package));
            Entry {
                package: None,
                label: name.clone(),
                name,
                kind: "test",
                only: t.only.map(|s| match s {
                    Side::A => Status::OnlyA,
                    Side::B => Status::OnlyB,
                }),
                a_id: t.a_id,
                b_id: t.b_id,
                unverified: false,
                items: (!t.items.is_empty()).then_some(t.items),
                caused_by: Vec::new(),
                a_src: a_src.filter(|_| t.only != Some(Side::B)),
                b_src: b_src.filter(|_| t.only != Some(Side::A)),
            }
        })
        .collect()
}

/// Phase 4: each dependency reference that differs is a knock-on of that dependency's own
/// difference; when the dependency does not differ, its output is not reproducible (or it is
/// in neither log), which is a cause of its own.
fn trace_dependencies(
    entries: &mut [Entry],
    differing: &FxHashMap<PackageAction<'_>, Vec<usize>>,
    present: &FxHashSet<PackageAction<'_>>,
) {
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

/// The cause of each item of each entry (`None` for dependency references), by entry.
type Assignment = Vec<Vec<Option<usize>>>;

/// Phase 5: the input differences of every differing entry, grouped into causes. The
/// assignment has a row per entry (empty for identical ones).
fn group_causes(entries: &[Entry], order: &[usize], facts: &SideFacts) -> (Vec<Cause>, Assignment) {
    let differing: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].items.is_some())
        .collect();
    let action_items: Vec<ActionItems<'_>> = differing
        .iter()
        .map(|&i| ActionItems {
            label: &entries[i].label,
            package: entries[i].package.as_deref(),
            order: order[i],
            items: entries[i].items.as_deref().unwrap_or(&[]),
        })
        .collect();
    let (causes, rows) = causes::group(&action_items, facts);
    let mut assignment: Assignment = vec![Vec::new(); entries.len()];
    for (i, row) in differing.into_iter().zip(rows) {
        assignment[i] = row;
    }
    (causes, assignment)
}

/// Phase 6: every entry that is not identical, in dependency order, with its differences and
/// the cause of each; and where each entry went in that list.
fn action_diffs(
    entries: &[Entry],
    statuses: &[Option<Status>],
    order: &[usize],
    assignment: &Assignment,
) -> (Vec<ActionDiff>, Vec<Option<usize>>) {
    let mut actions: Vec<(usize, usize, ActionDiff)> = Vec::new();
    for (i, status) in statuses.iter().enumerate() {
        let Some(status) = *status else { continue };
        let e = &entries[i];
        let differences = e
            .items
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .zip(&assignment[i])
            .map(|(item, cause)| difference(item, *cause))
            .collect();
        actions.push((
            order[i],
            i,
            ActionDiff {
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
    actions.sort_by_key(|(o, _, r)| (*o, r.status));
    let mut diff_of = vec![None; entries.len()];
    for (at, (_, i, _)) in actions.iter().enumerate() {
        diff_of[*i] = Some(at);
    }
    (actions.into_iter().map(|(_, _, r)| r).collect(), diff_of)
}

/// Phase 7: the counts of the headline.
fn summarize(entries: &[Entry], statuses: &[Option<Status>]) -> Summary {
    let mut summary = Summary {
        compared: entries.iter().filter(|e| e.only.is_none()).count(),
        ..Summary::default()
    };
    for s in statuses {
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
    summary
}

/// Phase 8: every entry as a node of the build graph, with its dependencies: the pairs' own
/// (`pair_deps`), and for a tested package the link of its test binary.
fn graph(
    entries: &[Entry],
    statuses: &[Option<Status>],
    mut pair_deps: Vec<Vec<usize>>,
    diff_of: &[Option<usize>],
) -> ActionGraph {
    let binaries = test_binaries(entries.iter().take(pair_deps.len()).map(|e| {
        (e.kind == ActionKind::Link.as_str())
            .then_some(e.package.as_deref())
            .flatten()
    }));
    let nodes = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let deps = if i < pair_deps.len() {
                std::mem::take(&mut pair_deps[i])
            } else {
                let tested = e.name.strip_prefix("test ").unwrap_or_default();
                binaries.get(tested).copied().into_iter().collect()
            };
            GraphNode {
                label: e.label.clone(),
                kind: e.kind,
                package: e
                    .package
                    .clone()
                    .or_else(|| e.name.strip_prefix("test ").map(str::to_string)),
                status: statuses[i],
                a: e.a_src,
                b: e.b_src,
                deps,
                caused_by: e.caused_by.clone(),
                diff: diff_of[i],
            }
        })
        .collect();
    ActionGraph { nodes }
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
