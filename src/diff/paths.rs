//! Path differences as prefix rewrites: `/home/runner/work/app/greet` vs `/app/greet` across
//! forty packages is one rewrite, `/home/runner/work/app` → `/app`.

use std::collections::HashMap;

/// The ways to explain `a` → `b` by rewriting a prefix: for each common trailing run of path
/// components, the two prefixes before it. Longest prefixes first (the least shared suffix).
pub(super) fn rewrites(a: &str, b: &str) -> Vec<(String, String)> {
    if a == b {
        return Vec::new();
    }
    let ca: Vec<&str> = a.split('/').collect();
    let cb: Vec<&str> = b.split('/').collect();
    let mut out = vec![(a.to_string(), b.to_string())];
    let mut k = 0;
    while k < ca.len().min(cb.len()) && ca[ca.len() - 1 - k] == cb[cb.len() - 1 - k] {
        k += 1;
        let pa = ca[..ca.len() - k].join("/");
        let pb = cb[..cb.len() - k].join("/");
        if pa == pb {
            break;
        }
        out.push((root(pa), root(pb)));
    }
    out
}

/// An empty prefix of an absolute path is the root.
fn root(p: String) -> String {
    if p.is_empty() { "/".to_string() } else { p }
}

/// Whether rewriting `from` → `to` turns `a` into `b` (at a component boundary).
#[cfg(test)]
pub(super) fn applies(from: &str, to: &str, a: &str, b: &str) -> bool {
    let strip = |p: &str, prefix: &str| -> Option<String> {
        if prefix == "/" {
            return p.strip_prefix('/').map(|r| r.to_string());
        }
        let rest = p.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| rest.trim_start_matches('/').to_string())
    };
    match (strip(a, from), strip(b, to)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Groups path pairs into as few rewrites as possible: repeatedly takes the rewrite that
/// explains the most remaining pairs (ties: the longest prefixes, i.e. the least shared
/// suffix), and returns for each pair the index of its rewrite.
///
/// A rewrite explains a pair exactly when it is one of the pair's own candidates, so counting
/// candidates is enough: linear in the number of pairs times their depth.
pub(super) fn group(pairs: &[(String, String)]) -> (Vec<(String, String)>, Vec<usize>) {
    let candidates: Vec<Vec<(String, String)>> =
        pairs.iter().map(|(a, b)| rewrites(a, b)).collect();
    let mut assigned: Vec<Option<usize>> = vec![None; pairs.len()];
    let mut chosen: Vec<(String, String)> = Vec::new();
    loop {
        // candidate -> (pairs it explains, smallest depth at which it appears, first seen)
        let mut counts: HashMap<&(String, String), (usize, usize, usize)> = HashMap::new();
        let mut seen = 0;
        for (i, cands) in candidates.iter().enumerate() {
            if assigned[i].is_some() {
                continue;
            }
            for (depth, cand) in cands.iter().enumerate() {
                let e = counts.entry(cand).or_insert((0, depth, seen));
                seen += 1;
                e.0 += 1;
                e.1 = e.1.min(depth);
            }
        }
        let best = counts
            .into_iter()
            .max_by(|x, y| {
                (x.1.0, std::cmp::Reverse(x.1.1), std::cmp::Reverse(x.1.2)).cmp(&(
                    y.1.0,
                    std::cmp::Reverse(y.1.1),
                    std::cmp::Reverse(y.1.2),
                ))
            })
            .map(|(c, _)| c.clone());
        let Some(rewrite) = best else { break };
        let idx = chosen.len();
        for (i, cands) in candidates.iter().enumerate() {
            if assigned[i].is_none() && cands.contains(&rewrite) {
                assigned[i] = Some(idx);
            }
        }
        chosen.push(rewrite);
    }
    let assignment = assigned.into_iter().map(|a| a.unwrap_or(0)).collect();
    (chosen, assignment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn docker_app_rewrite() {
        let pairs = vec![
            p("/home/runner/work/app/greet", "/app/greet"),
            p("/home/runner/work/app", "/app"),
            p("/home/runner/work/app/internal/x", "/app/internal/x"),
        ];
        let (rewrites, assignment) = group(&pairs);
        assert_eq!(rewrites, vec![p("/home/runner/work/app", "/app")]);
        assert_eq!(assignment, vec![0, 0, 0]);
    }

    #[test]
    fn two_unrelated_rewrites() {
        let pairs = vec![p("/a/x/p", "/b/x/p"), p("/usr/local/go", "/opt/go")];
        let (rewrites, assignment) = group(&pairs);
        assert_eq!(rewrites.len(), 2);
        assert_ne!(assignment[0], assignment[1]);
        // One pair alone: the least shared suffix, i.e. the whole paths.
        assert_eq!(rewrites[assignment[0]], p("/a/x/p", "/b/x/p"));
    }

    #[test]
    fn applies_only_at_component_boundaries() {
        assert!(applies("/a/b", "/c", "/a/b/x", "/c/x"));
        assert!(!applies("/a/b", "/c", "/a/bx", "/cx"));
        assert!(applies("/home/w", "/", "/home/w/app", "/app"));
    }
}
