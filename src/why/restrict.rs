//! A comparison cut down to what explains a set of actions: those actions, the differing
//! dependencies the knock-on ones among them changed through (transitively, up to root
//! causes), and the causes of what is kept. Two
//! records differ in every action whose key changed between them, but an action whose new key
//! was already in the cache (a flag flipped back) did not miss; `why` shows only what made
//! the missed actions run.

use std::collections::HashSet;

use crate::diff::{Comparison, Status, Summary, Verdict};

/// `cmp` restricted to the actions labelled in `wanted` and what they were caused by.
pub fn restrict(cmp: &Comparison, wanted: &HashSet<String>) -> Comparison {
    let by_label: std::collections::HashMap<&str, usize> = cmp
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.label.as_str(), i))
        .collect();
    let mut keep: HashSet<usize> = HashSet::new();
    let mut stack: Vec<usize> = wanted
        .iter()
        .filter_map(|l| by_label.get(l.as_str()).copied())
        .collect();
    while let Some(i) = stack.pop() {
        // A root cause is explained by its own inputs; a knock-on by what it depends on.
        if keep.insert(i) && cmp.actions[i].status == Status::KnockOn {
            stack.extend(
                cmp.actions[i]
                    .caused_by
                    .iter()
                    .filter_map(|l| by_label.get(l.as_str()).copied()),
            );
        }
    }
    let kept_labels: HashSet<&str> = keep
        .iter()
        .map(|&i| cmp.actions[i].label.as_str())
        .collect();
    let mut used: Vec<usize> = keep
        .iter()
        .flat_map(|&i| cmp.actions[i].differences.iter().filter_map(|d| d.cause))
        .collect();
    used.sort_unstable();
    used.dedup();
    let new_index = |old: usize| used.iter().position(|&u| u == old);
    let causes = used
        .iter()
        .map(|&i| {
            let mut c = cmp.causes[i].clone();
            let own: Vec<String> = c
                .actions
                .iter()
                .filter(|a| kept_labels.contains(a.as_str()))
                .cloned()
                .collect();
            if !own.is_empty() {
                c.actions = own;
            }
            c
        })
        .collect();
    let actions: Vec<_> = cmp
        .actions
        .iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, a)| {
            let mut a = a.clone();
            for d in &mut a.differences {
                d.cause = d.cause.and_then(new_index);
            }
            a
        })
        .collect();
    let mut summary = Summary::default();
    for a in &actions {
        match a.status {
            Status::OnlyA => summary.only_a += 1,
            Status::OnlyB => summary.only_b += 1,
            Status::RootCause => summary.root_cause += 1,
            Status::KnockOn => summary.knock_on += 1,
            Status::Nondeterministic => summary.nondeterministic += 1,
            Status::Unproven => summary.unproven += 1,
        }
    }
    summary.differ =
        summary.root_cause + summary.knock_on + summary.nondeterministic + summary.unproven;
    summary.compared = summary.differ;
    summary.knock_on_upper_bound = cmp.summary.knock_on_upper_bound;
    Comparison {
        mode: cmp.mode,
        graph: cmp.graph.clone(),
        a: cmp.a.clone(),
        b: cmp.b.clone(),
        verdict: if !cmp.doubts.is_empty() {
            Verdict::Inconclusive
        } else if actions.is_empty() {
            Verdict::Same
        } else {
            Verdict::Differ
        },
        // The restriction keeps what differs; the whole comparison's doubts stay with it.
        doubts: cmp.doubts.clone(),
        summary,
        settings: cmp.settings.clone(),
        causes,
        actions,
        notes: cmp.notes.clone(),
        partial: cmp.partial,
    }
}
