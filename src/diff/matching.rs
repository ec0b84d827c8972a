//! Matching actions across the two logs: by kind, package and variant; same-name repeats by
//! identical ID first, then by similarity.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Action, ActionKind, Input, Variant};

/// The identity of an action across logs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct MatchKey {
    kind: ActionKind,
    subject: String,
    variant: Variant,
}

fn match_key(a: &Action<'_>) -> MatchKey {
    let subject = match a.kind {
        // The PGO block's name holds the profile's absolute path, which differs when the module
        // moved: match it by file name.
        ActionKind::Pgo => a
            .subject
            .as_deref()
            .and_then(|p| p.rsplit('/').next())
            .unwrap_or_default()
            .to_string(),
        ActionKind::Build
        | ActionKind::Link
        | ActionKind::LinkShared
        | ActionKind::Vet
        | ActionKind::TestResult
        | ActionKind::TestInputs
        | ActionKind::Getenv
        | ActionKind::Open
        | ActionKind::Stat
        | ActionKind::CoverMeta
        | ActionKind::Testmain
        | ActionKind::GccCompilerId
        | ActionKind::Other => a.subject.as_deref().unwrap_or_default().to_string(),
    };
    MatchKey {
        kind: a.kind,
        subject,
        variant: a.variant,
    }
}

/// Pairs actions of A and B. Each index appears once; `None` marks an action on one side only.
/// The result follows A's order, then B's unmatched actions.
pub(super) fn match_actions(
    a: &[&Action<'_>],
    b: &[&Action<'_>],
) -> Vec<(Option<usize>, Option<usize>)> {
    let mut b_groups: FxHashMap<MatchKey, Vec<usize>> = FxHashMap::default();
    for (i, x) in b.iter().enumerate() {
        b_groups.entry(match_key(x)).or_default().push(i);
    }
    let mut a_groups: FxHashMap<MatchKey, Vec<usize>> = FxHashMap::default();
    let mut a_order: Vec<MatchKey> = Vec::new();
    for (i, x) in a.iter().enumerate() {
        let k = match_key(x);
        let g = a_groups.entry(k.clone()).or_default();
        if g.is_empty() {
            a_order.push(k);
        }
        g.push(i);
    }
    let mut partner_of_a: Vec<Option<usize>> = vec![None; a.len()];
    let mut b_taken = vec![false; b.len()];
    for key in &a_order {
        let ga = &a_groups[key];
        let Some(gb) = b_groups.get(key) else {
            continue;
        };
        for (ia, ib) in pair_group(ga, gb, a, b) {
            partner_of_a[ia] = Some(ib);
            b_taken[ib] = true;
        }
    }
    let mut out: Vec<(Option<usize>, Option<usize>)> = partner_of_a
        .iter()
        .enumerate()
        .map(|(i, p)| (Some(i), *p))
        .collect();
    out.extend(
        b_taken
            .iter()
            .enumerate()
            .filter(|(_, t)| !**t)
            .map(|(i, _)| (None, Some(i))),
    );
    out
}

/// Pairs one group of same-identity actions: equal IDs first; then, for small groups, by
/// fewest differing lines; for large groups (concatenated logs), in log order.
fn pair_group(
    ga: &[usize],
    gb: &[usize],
    a: &[&Action<'_>],
    b: &[&Action<'_>],
) -> Vec<(usize, usize)> {
    if ga.len() == 1 && gb.len() == 1 {
        return vec![(ga[0], gb[0])];
    }
    let mut pairs = Vec::new();
    let mut free_b: Vec<usize> = gb.to_vec();
    let mut free_a: Vec<usize> = Vec::new();
    for &ia in ga {
        let hit = free_b
            .iter()
            .position(|&ib| a[ia].id.is_some() && a[ia].id == b[ib].id);
        match hit {
            Some(p) => pairs.push((ia, free_b.remove(p))),
            None => free_a.push(ia),
        }
    }
    // Same-name actions built for different targets or by different toolchains (a log that
    // concatenates several builds) pair with their own kind first, in order.
    if free_a.len() > 1 && free_b.len() > 1 {
        let mut rest_a = Vec::new();
        for ia in free_a {
            let sig = signature(a[ia]);
            match free_b.iter().position(|&ib| signature(b[ib]) == sig) {
                Some(p) => pairs.push((ia, free_b.remove(p))),
                None => rest_a.push(ia),
            }
        }
        free_a = rest_a;
    }
    if free_a.len() <= 6 && free_b.len() <= 6 {
        while !free_a.is_empty() && !free_b.is_empty() {
            let mut best = (usize::MAX, 0, 0);
            for (pa, &ia) in free_a.iter().enumerate() {
                for (pb, &ib) in free_b.iter().enumerate() {
                    let d = distance(a[ia], b[ib]);
                    if d < best.0 {
                        best = (d, pa, pb);
                    }
                }
            }
            pairs.push((free_a.remove(best.1), free_b.remove(best.2)));
        }
    } else {
        pairs.extend(free_a.into_iter().zip(free_b));
    }
    pairs
}

/// What tells apart builds of one package for different targets in one log: the toolchain,
/// GOOS/GOARCH and which architecture variable applies (not its value, so that a GOAMD64
/// difference between the sides still pairs the actions).
fn signature<'x>(x: &'x Action<'_>) -> (&'x str, Vec<&'x str>) {
    let mut parts = Vec::new();
    for input in x.inputs() {
        if let Input::Target { goos, goarch } | Input::LinkTarget { goos, goarch, .. } = input {
            parts.extend([goos.as_ref(), goarch.as_ref()]);
        } else if let Input::ArchEnv { key, .. } = input {
            parts.push(key.as_ref());
        }
    }
    (x.salt.as_ref(), parts)
}

/// Number of lines of one action missing from the other, both ways.
fn distance(x: &Action<'_>, y: &Action<'_>) -> usize {
    let sx: FxHashSet<&str> = x.fields.iter().map(|f| f.text.as_ref()).collect();
    let sy: FxHashSet<&str> = y.fields.iter().map(|f| f.text.as_ref()).collect();
    sx.symmetric_difference(&sy).count() + usize::from(x.salt != y.salt)
}
