//! Attributing each cause of a check to the factors that produce it.
//!
//! The full run varies every factor at once. Time cannot be held still (every later run is in a
//! later second), so one run varies time alone: a cause it shows is time's. The other causes are
//! narrowed down by bisection: the factors are split in two halves, each half is varied alone
//! (with time, whose causes are already known), and each cause follows the half (or halves)
//! whose run shows it, until one factor is left. A cause that neither half shows appears only
//! when factors of both vary together, and is attributed to them jointly.
//!
//! Causes are recognised across runs by category, field and the actions they affect (any in
//! common), never by value: values change from run to run (a timestamp, another temporary
//! directory).

use std::collections::BTreeMap;

use crate::model::{Attribution, Category, Factor};

/// What identifies a cause across runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CauseKey {
    pub category: Category,
    pub field: String,
    /// The actions it affects, by block name.
    pub actions: Vec<String>,
}

impl CauseKey {
    fn same_as(&self, other: &CauseKey) -> bool {
        self.category == other.category
            && self.field == other.field
            && (self.actions.is_empty() && other.actions.is_empty()
                || self.actions.iter().any(|a| other.actions.contains(a)))
    }
}

/// The runs narrowing needs: the causes of the reference against a build that varies `factors`
/// (which always include [`Factor::Time`]).
pub(crate) trait Runs {
    fn causes(&mut self, factors: &[Factor]) -> Result<Vec<CauseKey>, crate::error::Error>;
}

/// The attribution of each of `full` (the causes of the run that varied everything), given the
/// factors that were varied besides time. Runs each needed combination once.
pub(crate) fn attribute(
    full: &[CauseKey],
    varied: &[Factor],
    runs: &mut impl Runs,
) -> Result<Vec<Attribution>, crate::error::Error> {
    let mut cache = Cached {
        runs,
        seen: BTreeMap::new(),
    };
    let mut found: Vec<Vec<Factor>> = vec![Vec::new(); full.len()];
    let mut together: Vec<bool> = vec![false; full.len()];
    let time = cache.causes(&[])?;
    let mut rest = Vec::new();
    for (i, c) in full.iter().enumerate() {
        if time.iter().any(|t| t.same_as(c)) {
            found[i].push(Factor::Time);
        } else {
            rest.push(i);
        }
    }
    let varied: Vec<Factor> = varied
        .iter()
        .copied()
        .filter(|f| *f != Factor::Time)
        .collect();
    narrow(full, &varied, rest, &mut cache, &mut found, &mut together)?;
    Ok(found
        .into_iter()
        .zip(together)
        .map(|(mut factors, together)| {
            factors.sort();
            factors.dedup();
            Attribution { factors, together }
        })
        .collect())
}

fn narrow(
    full: &[CauseKey],
    factors: &[Factor],
    causes: Vec<usize>,
    runs: &mut Cached<'_, impl Runs>,
    found: &mut [Vec<Factor>],
    together: &mut [bool],
) -> Result<(), crate::error::Error> {
    if causes.is_empty() {
        return Ok(());
    }
    if factors.len() <= 1 {
        // With no factor left, the cause came from the full run alone: attributed to nothing
        // (cannot happen unless a run is not reproducible).
        for i in causes {
            found[i].extend(factors);
        }
        return Ok(());
    }
    let (left, right) = factors.split_at(factors.len().div_ceil(2));
    let in_left = runs.causes(left)?;
    let in_right = runs.causes(right)?;
    let shows = |keys: &[CauseKey], i: usize| keys.iter().any(|k| k.same_as(&full[i]));
    let l: Vec<usize> = causes
        .iter()
        .copied()
        .filter(|&i| shows(&in_left, i))
        .collect();
    let r: Vec<usize> = causes
        .iter()
        .copied()
        .filter(|&i| shows(&in_right, i))
        .collect();
    for &i in &causes {
        if !l.contains(&i) && !r.contains(&i) {
            found[i].extend(factors);
            together[i] = true;
        }
    }
    narrow(full, left, l, runs, found, together)?;
    narrow(full, right, r, runs, found, together)
}

/// Each combination of factors runs once.
struct Cached<'r, R: Runs> {
    runs: &'r mut R,
    seen: BTreeMap<Vec<Factor>, Vec<CauseKey>>,
}

impl<R: Runs> Cached<'_, R> {
    /// The causes with `factors` and time varied.
    fn causes(&mut self, factors: &[Factor]) -> Result<Vec<CauseKey>, crate::error::Error> {
        let mut key: Vec<Factor> = factors.to_vec();
        key.push(Factor::Time);
        key.sort();
        key.dedup();
        if let Some(c) = self.seen.get(&key) {
            return Ok(c.clone());
        }
        let c = self.runs.causes(&key)?;
        self.seen.insert(key, c.clone());
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a cause appears when these factors vary.
    type Appears = fn(&[Factor]) -> bool;

    /// A fake build: each cause appears when its rule says so.
    struct Fake {
        rules: Vec<(CauseKey, Appears)>,
        ran: Vec<Vec<Factor>>,
    }

    impl Runs for Fake {
        fn causes(&mut self, factors: &[Factor]) -> Result<Vec<CauseKey>, crate::error::Error> {
            self.ran.push(factors.to_vec());
            Ok(self
                .rules
                .iter()
                .filter(|(_, appears)| appears(factors))
                .map(|(k, _)| k.clone())
                .collect())
        }
    }

    fn key(category: Category, field: &str, action: &str) -> CauseKey {
        CauseKey {
            category,
            field: field.into(),
            actions: vec![action.into()],
        }
    }

    fn all_but_time() -> Vec<Factor> {
        Factor::ALL
            .iter()
            .copied()
            .filter(|f| *f != Factor::Time)
            .collect()
    }

    #[test]
    fn each_cause_is_traced_to_the_factor_that_produces_it() {
        let dir = key(Category::AbsolutePath, "dir", "build example.com/m");
        let date = key(Category::LinkerFlags, "-ldflags", "link example.com/m");
        let tmp = key(Category::TestEnv, "env TMPDIR", "test example.com/m");
        let mut fake = Fake {
            rules: vec![
                (dir.clone(), |f| f.contains(&Factor::Path)),
                (date.clone(), |f| f.contains(&Factor::Time)),
                (tmp.clone(), |f| f.contains(&Factor::Tmpdir)),
            ],
            ran: Vec::new(),
        };
        let full = [dir, date, tmp];
        let got = attribute(&full, &all_but_time(), &mut fake).unwrap();
        let names: Vec<String> = got.iter().map(Attribution::describe).collect();
        assert_eq!(names, ["path", "time", "tmpdir"]);
        // Every run varies time; no combination runs twice.
        assert!(fake.ran.iter().all(|r| r.contains(&Factor::Time)));
        let mut unique = fake.ran.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), fake.ran.len());
        // The time run, then halves down to each factor: far fewer than one run per factor
        // pair.
        assert!(fake.ran.len() <= 9, "{:?}", fake.ran);
    }

    #[test]
    fn a_cause_two_factors_produce_alone_is_both_of_theirs() {
        let cache = key(Category::AbsolutePath, "dir", "build example.com/dep");
        let mut fake = Fake {
            rules: vec![(cache.clone(), |f| {
                f.contains(&Factor::Home) || f.contains(&Factor::Env)
            })],
            ran: Vec::new(),
        };
        let got = attribute(&[cache], &all_but_time(), &mut fake).unwrap();
        assert_eq!(got[0].factors, [Factor::Home, Factor::Env]);
        assert!(!got[0].together);
    }

    #[test]
    fn a_cause_only_two_factors_together_produce_is_theirs_jointly() {
        let joint = key(Category::Other, "x", "build example.com/m");
        let mut fake = Fake {
            rules: vec![(joint.clone(), |f| {
                f.contains(&Factor::Path) && f.contains(&Factor::Env)
            })],
            ran: Vec::new(),
        };
        let got = attribute(&[joint], &all_but_time(), &mut fake).unwrap();
        assert!(got[0].together);
        assert!(got[0].factors.contains(&Factor::Path) && got[0].factors.contains(&Factor::Env));
    }

    #[test]
    fn causes_match_by_actions_in_common_not_by_value() {
        let a = CauseKey {
            category: Category::AbsolutePath,
            field: "dir".into(),
            actions: vec!["build a".into(), "build b".into()],
        };
        let b = CauseKey {
            actions: vec!["build b".into()],
            ..a.clone()
        };
        assert!(a.same_as(&b));
        let other = CauseKey {
            field: "CC flags".into(),
            ..b.clone()
        };
        assert!(!a.same_as(&other));
    }
}
