//! The comparison of two logs, phase by phase: pair the actions, find what differs in each pair
//! and each tested package, tell knock-on changes (a dependency's output changed) from root
//! causes, group the differences into causes, order everything by dependency, and keep the
//! graph of every compared action for the renderers that draw it.
//!
//! Divergence travels through dependencies' *content* IDs: a compile's key holds
//! `import <path> <content id>` of each dependency and a link's `packagefile <path>=<content id>`
//! (`(*Builder).buildActionID`, `linkActionID` in `cmd/go/internal/work/exec.go`), so a
//! dependency whose output changed changes its dependents' keys without being their cause.
//! In a dry run (`go build -n`) those references are the dependencies' keys instead
//! ([`super::refs`]): a reference that is not a content reference on both sides is decided by
//! whether its dependency differs, in dependency order, and what differs through it is an upper
//! bound of what a real build would rebuild.

use rustc_hash::FxHashMap;

use super::causes::{self, ActionItems, SideFacts};
use super::class::Class;
use super::classify::{self, CauseSeed, DepRef, Item, ItemKind};
use super::comparison::{
    ActionDiff, Cause, Comparison, ComparisonMode, Difference, Status, Summary,
};
use super::doubts;
use super::filesets::{self, SideTags};
use super::graph::{ActionGraph, GraphNode, Source, test_binaries};
use super::matching;
use super::notes::notes;
use super::order::{compared_actions, dependencies, dependency_order};
use super::refs::{self, KeyIndex, RefKind, RefShape};
use super::settings::setting_diffs;
use super::test_runs::{self, Side};
use crate::model::{
    Action, ActionKind, BuildLog, Category, Input, NoSources, SideInfo, SourceFacts, Verification,
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
    let keys = [KeyIndex::new(&acts_a), KeyIndex::new(&acts_b)];

    let mut entries = pair_entries(&pairs, &index_a, &index_b);
    select_files(
        &mut entries,
        (uses_cgo(&acts_a), uses_cgo(&acts_b)),
        sources,
    );
    let pair_deps = dependencies(&pairs.pairs, &acts_a, &acts_b);
    let pair_order = dependency_order(&pair_deps);
    let targets = Targets::new(&pairs);
    let mut upper_bound = trace_dependencies(&mut entries, &pairs, &pair_order, &targets, &keys);
    let tests_from = entries.len();
    entries.extend(test_entries(log_a, log_b));
    upper_bound |= trace_tests(&mut entries, tests_from, &targets);

    let order: Vec<usize> = (0..entries.len())
        .map(|i| pair_order.get(i).copied().unwrap_or(pairs.len() + i))
        .collect();
    let statuses: Vec<Option<Status>> = entries
        .iter()
        .map(|e| {
            e.only.or_else(|| {
                e.items.as_deref().map(|items| {
                    if e.unproven {
                        Status::Unproven
                    } else {
                        status_of(items)
                    }
                })
            })
        })
        .collect();
    let facts = SideFacts {
        go_minor: (
            log_a.go_version().and_then(classify::go_minor),
            log_b.go_version().and_then(classify::go_minor),
        ),
        both_trimpath: uses_trimpath(&acts_a) && uses_trimpath(&acts_b),
        go_lines_equal: go_lines_equal(&pairs),
    };
    let (causes, assignment) = group_causes(&entries, &order, &facts);
    let (actions, diff_of) = action_diffs(&entries, &statuses, &order, &assignment);
    let mode = ComparisonMode::of(
        a.mode.or_else(|| keys[0].mode_of(&acts_a)),
        b.mode.or_else(|| keys[1].mode_of(&acts_b)),
    );
    let mut summary = summarize(&entries, &statuses);
    summary.knock_on_upper_bound =
        summary.knock_on > 0 && (upper_bound || mode.knock_on_is_bound());
    let graph = graph(&entries, &statuses, pair_deps, &diff_of);

    let unproven: Vec<String> = actions
        .iter()
        .filter(|x| x.status == Status::Unproven)
        .map(|x| x.label.clone())
        .collect();
    let doubts = doubts::doubts(
        &doubts::SideFacts {
            log: log_a,
            info: &a,
            actions: acts_a.len(),
        },
        &doubts::SideFacts {
            log: log_b,
            info: &b,
            actions: acts_b.len(),
        },
        &summary,
        unproven,
        actions.iter().any(|x| x.kind == "test"),
    );
    let verdict = doubts::verdict(&doubts, &summary);
    let settings = setting_diffs(&a, &b);
    let notes = notes(log_a, log_b, &a, &b, &summary, mode);
    let partial = a.exit_status.is_some_and(|s| s != 0) || b.exit_status.is_some_and(|s| s != 0);
    Comparison {
        a,
        b,
        mode,
        verdict,
        doubts,
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
    /// Both sides present and their printed IDs differ (or one is missing).
    ids_differ: bool,
    /// The keys differ as printed, but a side's block is not proven: its items make no cause.
    unproven: bool,
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
        // The same printed ID is the same key, whatever the lines say (Go printed both).
        let ids_differ = match (x, y) {
            (Some(x), Some(y)) => !(x.id.is_some() && x.id == y.id),
            (Some(_), None) | (None, Some(_)) | (None, None) => false,
        };
        // The IDs differ (or one is missing) and a side's lines are not proven by its SHA-256:
        // what the lines say differs may be an artefact of the broken block, so it is shown
        // but makes no cause.
        let unproven = match (x, y) {
            (Some(x), Some(y)) => ids_differ && !(x.is_verified() && y.is_verified()),
            (Some(_), None) | (None, Some(_)) | (None, None) => false,
        };
        let items = match (x, y) {
            (Some(x), Some(y)) if ids_differ => {
                let mut found = classify::compare_actions(x, y);
                if unproven {
                    found.push(result_item(x, y));
                }
                (!found.is_empty()).then_some(found)
            }
            (Some(_), Some(_)) | (Some(_), None) | (None, Some(_)) | (None, None) => None,
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
            ids_differ,
            unproven,
            items,
            caused_by: Vec::new(),
            a_src: ia.map(|i| Source::Action(index_a[i])),
            b_src: ib.map(|i| Source::Action(index_b[i])),
        });
    }
    entries
}

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
                ids_differ: false,
                unproven: false,
                items: (!t.items.is_empty()).then_some(t.items),
                caused_by: Vec::new(),
                a_src: a_src.filter(|_| t.only != Some(Side::B)),
                b_src: b_src.filter(|_| t.only != Some(Side::A)),
            }
        })
        .collect()
}

/// The pair entries a dependency reference may name: builds, links and vets by package, and
/// the PGO preprocessing actions.
struct Targets<'p> {
    /// Per kind (build, link, vet), the entries of each package.
    by_package: FxHashMap<ActionKind, FxHashMap<&'p str, Vec<usize>>>,
    pgo: Vec<usize>,
}

impl<'p> Targets<'p> {
    fn new(pairs: &Pairs<'p, '_>) -> Self {
        let mut by_package: FxHashMap<ActionKind, FxHashMap<&'p str, Vec<usize>>> =
            FxHashMap::default();
        let mut pgo = Vec::new();
        for (i, (x, y)) in pairs.iter().enumerate() {
            let act = x.or(y).expect("one side");
            match act.package() {
                Some(pkg) => by_package
                    .entry(act.kind)
                    .or_default()
                    .entry(pkg)
                    .or_default()
                    .push(i),
                None if act.kind == ActionKind::Pgo => pgo.push(i),
                None => {}
            }
        }
        Targets { by_package, pgo }
    }

    /// The entries `dep` names (none when it is in neither log).
    fn of(&self, dep: &DepRef) -> &[usize] {
        let (kind, package) = match dep {
            DepRef::Build(p) => (ActionKind::Build, p.as_str()),
            DepRef::Vet(p) => (ActionKind::Vet, p.as_str()),
            DepRef::Link(p) => (ActionKind::Link, p.as_str()),
            DepRef::Pgo => return &self.pgo,
        };
        self.by_package
            .get(&kind)
            .and_then(|m| m.get(package))
            .map_or(&[], Vec::as_slice)
    }
}

/// What one dependency reference comes to, given whether the entries it names differ.
enum Traced {
    /// A knock-on of these differing entries; `bound`: through a reference that stands in for
    /// a content ID (a dry run's key), so only an upper bound of what a real build rebuilds.
    KnockOn { deps: Vec<usize>, bound: bool },
    /// Two content references that differ although the dependency does not.
    Unexplained,
    /// Not a difference: a reference that cannot be compared by value, to a dependency that
    /// does not differ.
    Same,
}

fn trace(
    shape: RefShape,
    kinds: (RefKind, RefKind),
    targets: &[usize],
    self_index: usize,
    differs: &[bool],
) -> Traced {
    let deps: Vec<usize> = targets
        .iter()
        .copied()
        .filter(|&d| d != self_index && differs[d])
        .collect();
    let comparable = refs::comparable(kinds.0, kinds.1);
    if !deps.is_empty() {
        let bound = !comparable && refs::stands_in_for_content(shape);
        Traced::KnockOn { deps, bound }
    } else if comparable {
        Traced::Unexplained
    } else {
        Traced::Same
    }
}

/// Phase 2: dependency references, in dependency order (so each dependency is decided before
/// its dependents). A differing reference is a knock-on of its dependency's difference; two
/// differing content references to a dependency that does not differ mean its output is not
/// reproducible (or it is in neither log), a cause of its own. A reference that is a key (or
/// empty) on either side cannot be compared by value: it differs exactly when its dependency
/// does, also when both sides print the same key (a dry key hides a difference of a PGO
/// profile, which no key holds). Returns whether a knock-on is only an upper bound.
fn trace_dependencies(
    entries: &mut [Entry],
    pairs: &Pairs<'_, '_>,
    order: &[usize],
    targets: &Targets<'_>,
    keys: &[KeyIndex; 2],
) -> bool {
    let mut differs: Vec<bool> = entries.iter().map(Entry::differs).collect();
    let mut by_order: Vec<usize> = (0..pairs.len()).collect();
    by_order.sort_by_key(|&i| order[i]);
    let mut upper_bound = false;
    for i in by_order {
        let (Some(x), Some(y)) = (
            pairs.pairs[i].0.map(|j| pairs.acts_a[j]),
            pairs.pairs[i].1.map(|j| pairs.acts_b[j]),
        ) else {
            continue;
        };
        let entry = &mut entries[i];
        let mut items = entry.items.take().unwrap_or_default();
        let mut caused_by: Vec<usize> = Vec::new();
        let mut dropped = false;
        let mut kept = Vec::with_capacity(items.len());
        for mut item in items.drain(..) {
            let ItemKind::Dependency(dep, shape) = &item.kind else {
                kept.push(item);
                continue;
            };
            let kind =
                |k: &KeyIndex, v: &Option<String>| k.kind(*shape, v.as_deref().unwrap_or(""));
            let kinds = (kind(&keys[0], &item.a), kind(&keys[1], &item.b));
            let found = targets.of(dep);
            match trace(*shape, kinds, found, i, &differs) {
                Traced::KnockOn { deps, bound } => {
                    upper_bound |= bound;
                    caused_by.extend(deps);
                }
                Traced::Unexplained => {
                    item.kind = ItemKind::Input(unexplained_seed(dep, &item, found.is_empty()));
                }
                // Two keys that differ, to a dependency in neither log: nothing shows the two
                // are the same, so it is a cause (never a silent 'same').
                Traced::Same if found.is_empty() => {
                    item.kind = ItemKind::Input(unexplained_seed(dep, &item, true));
                }
                Traced::Same => {
                    dropped = true;
                    continue;
                }
            }
            kept.push(item);
        }
        let mut items = kept;
        // References printed the same on both sides that still differ through their dependency.
        let go_minor = classify::go_minor(&x.salt);
        for field in &x.fields {
            let Some((dep, shape, value)) =
                classify::reference(&field.input, x.subject.as_deref(), go_minor)
            else {
                continue;
            };
            let kind = keys[0].kind(shape, &value);
            if kind == RefKind::Content {
                continue;
            }
            let found = targets.of(&dep);
            if !found.iter().any(|&d| d != i && differs[d]) {
                continue;
            }
            let key = field.key();
            if items.iter().any(|it| *it.field == *key)
                || !y.fields.iter().any(|f| f.text == field.text)
            {
                continue;
            }
            if let Traced::KnockOn { deps, bound } = trace(shape, (kind, kind), found, i, &differs)
            {
                upper_bound |= bound;
                caused_by.extend(deps);
                items.push(Item {
                    field: key.into_owned(),
                    a: Some(value.to_string()),
                    b: Some(value.to_string()),
                    kind: ItemKind::Dependency(dep, shape),
                });
            }
        }
        // Same lines, different ID: the lines are in another order (Go hashes them in order);
        // unless the lines differed only in references that cannot be compared.
        if items.is_empty() && entry.ids_differ && !dropped && x.id != y.id {
            items.push(order_item(x, y));
        }
        caused_by.sort_unstable();
        caused_by.dedup();
        entry.caused_by = caused_by;
        entry.items = (!items.is_empty()).then_some(items);
        differs[i] = entry.differs();
    }
    upper_bound
}

/// Phase 3b: the tested packages' references to their test binaries (`test binary <id>`),
/// traced like the builds' references. Returns whether a knock-on is only an upper bound.
fn trace_tests(entries: &mut [Entry], from: usize, targets: &Targets<'_>) -> bool {
    let differs: Vec<bool> = entries.iter().map(Entry::differs).collect();
    let mut upper_bound = false;
    for (i, entry) in entries.iter_mut().enumerate().skip(from) {
        let Some(items) = entry.items.as_mut() else {
            continue;
        };
        let mut caused_by = Vec::new();
        for item in items.iter_mut() {
            let ItemKind::Dependency(dep, shape) = &item.kind else {
                continue;
            };
            let found = targets.of(dep);
            // A test binary's ID is a content ID: tests always build for real.
            let kinds = (RefKind::Content, RefKind::Content);
            match trace(*shape, kinds, found, i, &differs) {
                Traced::KnockOn { deps, bound } => {
                    upper_bound |= bound;
                    caused_by.extend(deps);
                }
                Traced::Unexplained | Traced::Same => {
                    item.kind = ItemKind::Input(unexplained_seed(dep, item, found.is_empty()));
                }
            }
        }
        caused_by.sort_unstable();
        caused_by.dedup();
        entry.caused_by = caused_by;
    }
    upper_bound
}

/// Two content references that differ while their dependency does not: a test binary whose link
/// is in neither log, or output that is not reproducible (`absent`: the dependency is in neither
/// log).
fn unexplained_seed(dep: &DepRef, item: &Item, absent: bool) -> CauseSeed {
    match dep {
        DepRef::Link(_) if absent => CauseSeed::plain(
            Category::Other,
            Class::UnlinkedTestBinary,
            item.a.clone(),
            item.b.clone(),
        ),
        DepRef::Build(p) | DepRef::Vet(p) | DepRef::Link(p) => {
            nondeterministic_seed(p, item, absent)
        }
        // The preprocessed profile is a function of the profile alone
        // (cmd/go/internal/work/action.go, pgoActionID and pgoActor.Act), so with its action in neither
        // log the profile itself differs.
        DepRef::Pgo if absent => CauseSeed::plain(
            Category::Pgo,
            Class::PgoProfile,
            item.a.clone(),
            item.b.clone(),
        ),
        DepRef::Pgo => nondeterministic_seed("the PGO profile", item, false),
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
        .filter(|&i| entries[i].items.is_some() && !entries[i].unproven)
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
    // Entries without causes (unproven ones) list their items with no cause.
    let mut assignment: Assignment = entries
        .iter()
        .map(|e| vec![None; e.items.as_ref().map_or(0, Vec::len)])
        .collect();
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
                    Status::Unproven => summary.unproven += 1,
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

/// The printed results of a pair whose keys are not proven on both sides: what is known to
/// differ.
fn result_item(x: &Action<'_>, y: &Action<'_>) -> Item {
    let shown = |a: &Action<'_>| {
        Some(match (a.id, &a.verification) {
            (Some(id), Verification::Verified) => id.to_string(),
            (Some(id), Verification::Unverified(why)) => format!("{id} (not proven: {why})"),
            (None, Verification::Verified) => "no result".to_string(),
            (None, Verification::Unverified(why)) => format!("no result ({why})"),
            (Some(id), Verification::Redacted) => format!("{id} (redacted)"),
            (None, Verification::Redacted) => "no result (redacted)".to_string(),
        })
    };
    let (a, b) = (shown(x), shown(y));
    Item {
        field: "result".into(),
        a: a.clone(),
        b: b.clone(),
        kind: ItemKind::Input(CauseSeed::plain(
            Category::Other,
            Class::Field("result".into()),
            a,
            b,
        )),
    }
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
            ItemKind::Dependency(DepRef::Build(p) | DepRef::Vet(p) | DepRef::Link(p), _) => {
                Some(p.clone())
            }
            ItemKind::Dependency(DepRef::Pgo, _) => None,
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
