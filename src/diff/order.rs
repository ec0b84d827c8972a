//! The dependency edges between the compared actions, and their order: dependencies first, so
//! the first divergent action of a chain comes first in the report.

use std::collections::{BTreeSet, VecDeque};

use rustc_hash::FxHashMap;

use crate::model::{Action, ActionKind, BuildLog, Input};

/// The actions of a log that the comparison pairs (build output keys), with their indices in
/// `BuildLog::actions`; not the incomplete blocks at the end of a log that was cut off (their
/// inputs are partly missing, so they would invent causes).
pub(super) fn compared_actions<'l, 'a>(log: &'l BuildLog<'a>) -> (Vec<&'l Action<'a>>, Vec<usize>) {
    log.actions
        .iter()
        .enumerate()
        .filter(|(i, x)| x.kind.keys_build_output() && !log.is_incomplete(*i))
        .map(|(i, x)| (x, i))
        .unzip()
}

/// The dependencies of each pair: the pairs whose output its key names on either side
/// (`import` and `packagefile` lines name a compile, `vetout` a vet, a vet's `pkg` its own
/// package's compile), as sorted indices into `pairs`.
pub(super) fn dependencies(
    pairs: &[(Option<usize>, Option<usize>)],
    acts_a: &[&Action<'_>],
    acts_b: &[&Action<'_>],
) -> Vec<Vec<usize>> {
    let act = |p: &(Option<usize>, Option<usize>)| -> &Action<'_> {
        p.0.map(|i| acts_a[i])
            .or(p.1.map(|i| acts_b[i]))
            .expect("one side")
    };
    let mut by_pkg: FxHashMap<(ActionKind, &str), Vec<usize>> = FxHashMap::default();
    // PGO preprocessing actions, which every compile of a PGO build references (`pgofile`).
    let mut pgo: Vec<usize> = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        if let Some(pkg) = act(p).package() {
            by_pkg.entry((act(p).kind, pkg)).or_default().push(i);
        } else if act(p).kind == ActionKind::Pgo {
            pgo.push(i);
        }
    }
    let mut deps: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pairs.len()];
    for (i, p) in pairs.iter().enumerate() {
        for side in [p.0.map(|x| acts_a[x]), p.1.map(|x| acts_b[x])]
            .into_iter()
            .flatten()
        {
            for input in side.inputs() {
                if let Input::PgoFile(_) = input {
                    deps[i].extend(pgo.iter().copied().filter(|&d| d != i));
                    continue;
                }
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
    deps.into_iter().map(|d| d.into_iter().collect()).collect()
}

/// A topological order of the pairs (dependencies first), ties broken by A's log order: the
/// first divergent action of a chain comes first. `deps` as [`dependencies`] gives them.
pub(super) fn dependency_order(deps: &[Vec<usize>]) -> Vec<usize> {
    // Kahn's algorithm; ready actions taken in pair order (A's log order).
    let mut indegree: Vec<usize> = deps.iter().map(|d| d.len()).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); deps.len()];
    for (i, d) in deps.iter().enumerate() {
        for &x in d {
            dependents[x].push(i);
        }
    }
    let mut ready: BTreeSet<usize> = (0..deps.len()).filter(|&i| indegree[i] == 0).collect();
    let mut order = vec![usize::MAX; deps.len()];
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
    let mut rest: VecDeque<usize> = (0..deps.len())
        .filter(|&i| order[i] == usize::MAX)
        .collect();
    while let Some(i) = rest.pop_front() {
        order[i] = next;
        next += 1;
    }
    order
}
