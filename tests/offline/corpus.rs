//! The parser on every real log in `corpus/logs`: every compile-graph block proven by its
//! SHA-256, no unknown fields, every subkey verified; and the model does not depend on how the
//! go command's goroutines happened to interleave their lines.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use whymiss::go::logfile::LogFile;
use whymiss::model::{BuildLog, Input};
use whymiss::parse::parse_log;

use crate::support::{corpus, files_under};

fn corpus_logs() -> Vec<PathBuf> {
    let logs = files_under(&corpus("logs"), &[".log.gz", ".log"]);
    assert!(
        logs.len() >= 42,
        "expected 7 versions × 6 logs, found {}",
        logs.len()
    );
    logs
}

fn read(path: &Path) -> Vec<u8> {
    LogFile::read(path).expect("read corpus log").bytes
}

#[test]
fn every_corpus_log_is_fully_verified() {
    let mut blocks = 0;
    for path in corpus_logs() {
        let bytes = read(&path);
        let log = parse_log(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let version = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert_eq!(log.go_versions, vec![version.clone()], "{}", path.display());
        for a in &log.actions {
            blocks += 1;
            // Same-name collisions may stay unverified, but only with a reason and only when
            // they were actually entangled; every other block must verify.
            assert!(
                a.is_verified() || a.disentangled,
                "{}: {} not verified: {:?}",
                path.display(),
                a.label(),
                a.verification
            );
            if a.kind.is_compile_graph() {
                assert!(
                    a.is_verified(),
                    "{}: {} {:?}",
                    path.display(),
                    a.label(),
                    a.verification
                );
            }
            for f in &a.fields {
                assert!(
                    !matches!(f.input, Input::Unknown(_)),
                    "{}: line {}: unknown field in {}: {}",
                    path.display(),
                    f.line,
                    a.label(),
                    f.text
                );
            }
        }
        assert!(log.subkeys.iter().all(|k| k.verified), "{}", path.display());
        assert_eq!(log.stats.skipped_lines, 0, "{}", path.display());
        // Every `file` line was linked to the `HASH <path>` line that printed its hash.
        let unresolved = log
            .actions
            .iter()
            .flat_map(|a| a.fields.iter())
            .filter(|f| matches!(&f.input, Input::File(file) if file.hash.is_none()))
            .count();
        assert_eq!(unresolved, 0, "{}", path.display());
    }
    assert!(blocks > 5000, "{blocks} blocks");
}

/// Version differences the model must show (reference §4).
#[test]
fn version_specific_fields() {
    let link_has = |version: &str, pred: &dyn Fn(&Input<'_>) -> bool| -> bool {
        let bytes = read(&corpus(&format!("logs/go{version}/tiny-build.log.gz")));
        let log = parse_log(&bytes).unwrap();
        let link = log
            .actions
            .iter()
            .find(|a| a.name == "link example.com/tiny")
            .unwrap();
        link.inputs().any(pred)
    };
    let defaultgodebug = |i: &Input<'_>| matches!(i, Input::DefaultGodebug(_));
    assert!(!link_has("1.23.9", &defaultgodebug));
    assert!(link_has("1.24.11", &defaultgodebug));
    let goroot_is_real = |i: &Input<'_>| matches!(i, Input::Goroot(g) if g.contains(".toolchains"));
    assert!(link_has("1.21.13", &goroot_is_real));
    assert!(link_has("1.27.3", &goroot_is_real));

    let vet_has_vetxonly = |version: &str| {
        let bytes = read(&corpus(&format!("logs/go{version}/lab-test.log.gz")));
        let log = parse_log(&bytes).unwrap();
        log.actions
            .iter()
            .filter(|a| a.kind == whymiss::model::ActionKind::Vet)
            .any(|a| a.inputs().any(|i| matches!(i, Input::VetxOnly(_))))
    };
    assert!(!vet_has_vetxonly("1.26.6"));
    assert!(vet_has_vetxonly("1.27.3"));
}

/// A canonical, order-independent projection of a parsed log: what must not change when the
/// lines of different blocks are interleaved differently.
fn canonical(log: &BuildLog<'_>) -> Vec<String> {
    let mut out: Vec<String> = log
        .actions
        .iter()
        .map(|a| {
            let fields: Vec<String> = a.fields.iter().map(|f| format!("{:?}", f.input)).collect();
            format!(
                "{} {:?} {:?} {:?} {:?} {} {:?}",
                a.label(),
                a.id,
                a.results,
                a.verification,
                a.salt,
                fields.join("|"),
                a.kind
            )
        })
        .collect();
    out.extend(
        log.file_hashes
            .iter()
            .map(|h| format!("file {} {}", h.path, h.sum)),
    );
    out.extend(
        log.subkeys
            .iter()
            .map(|k| format!("subkey {} {} {} {}", k.parent, k.desc, k.out, k.verified)),
    );
    out.extend(
        log.test_cache
            .iter()
            .map(|t| format!("testcache {:?}", t.event)),
    );
    out.push(format!(
        "stats {} {} {} {}",
        log.stats.hash_lines,
        log.stats.module_index_lines,
        log.stats.skipped_lines,
        log.stats.duplicate_blocks
    ));
    out.sort();
    out
}

/// Splits a log into units that must keep their internal order: one chain per block name (all
/// blocks of that name, in order, so same-name blocks never overlap) and one unit per other line.
fn units(text: &str) -> Vec<Vec<&str>> {
    let mut chains: Vec<Vec<&str>> = Vec::new();
    let mut by_name: std::collections::HashMap<&str, usize> = Default::default();
    for line in text.lines() {
        let name = line
            .strip_prefix("HASH[")
            // names contain no "]" in these logs
            .and_then(|r| r.find(']').map(|i| &r[..i]));
        match name {
            Some(n) => {
                let idx = *by_name.entry(n).or_insert_with(|| {
                    chains.push(Vec::new());
                    chains.len() - 1
                });
                chains[idx].push(line);
            }
            None => chains.push(vec![line]),
        }
    }
    chains
}

/// Interleaves the units at random, keeping each unit's own order.
fn interleave(units: &[Vec<&str>], choices: &[usize]) -> String {
    let mut pos = vec![0usize; units.len()];
    let mut live: Vec<usize> = (0..units.len()).collect();
    let mut out = String::new();
    let mut c = 0;
    while !live.is_empty() {
        let pick = choices[c % choices.len()] % live.len();
        c += 1;
        let u = live[pick];
        out.push_str(units[u][pos[u]]);
        out.push('\n');
        pos[u] += 1;
        if pos[u] == units[u].len() {
            live.swap_remove(pick);
        }
    }
    out
}

fn shuffle_keeps_model(rel: &str, choices: &[usize]) {
    let bytes = read(&corpus(rel));
    let text = String::from_utf8(bytes).unwrap();
    let original = canonical(&parse_log(text.as_bytes()).unwrap());
    let shuffled = interleave(&units(&text), choices);
    let parsed = parse_log(shuffled.as_bytes()).unwrap();
    assert!(parsed.actions.iter().all(|a| a.is_verified()));
    let now = canonical(&parsed);
    let missing: Vec<&String> = original
        .iter()
        .filter(|x| !now.contains(x))
        .take(3)
        .collect();
    let extra: Vec<&String> = now
        .iter()
        .filter(|x| !original.contains(x))
        .take(3)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && now.len() == original.len(),
        "{rel}: model changed\nmissing: {missing:#?}\nextra: {extra:#?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Reshuffling the interleaving of blocks (each block's own order kept) gives the same model.
    #[test]
    fn shuffled_interleaving_gives_the_same_model(choices in prop::collection::vec(0usize..1000, 1..200)) {
        shuffle_keeps_model("logs/go1.27.3/tiny-build.log.gz", &choices);
        shuffle_keeps_model("logs/go1.21.13/lab-test.log.gz", &choices);
    }

    /// Same-name blocks interleaved with each other (a package and its test variant hashed at
    /// the same time): every block the parser reports as verified is exactly one of the
    /// original blocks; none is silently given another block's lines.
    #[test]
    fn overlapping_same_name_blocks_are_disentangled_or_flagged(choices in prop::collection::vec(0usize..1000, 1..400)) {
        let bytes = read(&corpus("logs/go1.27.3/lab-coverpkg.log.gz"));
        let text = String::from_utf8(bytes).unwrap();
        let original = parse_log(text.as_bytes()).unwrap();
        // Put every block in its own unit: same-name blocks may now overlap.
        let mut units: Vec<Vec<&str>> = Vec::new();
        let mut current: std::collections::HashMap<&str, usize> = Default::default();
        for line in text.lines() {
            match line.strip_prefix("HASH[").and_then(|r| r.find(']').map(|i| &r[..i])) {
                Some(n) if line.ends_with(']') && line.len() == n.len() + 6 => {
                    units.push(vec![line]);
                    current.insert(n, units.len() - 1);
                }
                Some(n) => match current.get(n) {
                    Some(&u) => units[u].push(line),
                    None => units.push(vec![line]),
                },
                None => units.push(vec![line]),
            }
        }
        let shuffled = interleave(&units, &choices);
        let parsed = parse_log(shuffled.as_bytes()).unwrap();
        let originals: std::collections::HashSet<String> = original
            .actions
            .iter()
            .map(|a| format!("{} {:?} {:?}", a.name, a.id, a.fields.iter().map(|f| &f.text).collect::<Vec<_>>()))
            .collect();
        for a in parsed.actions.iter().filter(|a| a.is_verified()) {
            let key = format!("{} {:?} {:?}", a.name, a.id, a.fields.iter().map(|f| &f.text).collect::<Vec<_>>());
            prop_assert!(originals.contains(&key), "verified but not an original block: {}", a.label());
        }
        for a in parsed.actions.iter().filter(|a| !a.is_verified()) {
            prop_assert!(a.disentangled, "{} unverified without a same-name reason: {:?}", a.label(), a.verification);
        }
    }

    /// Go's %q quoting, then our unquoting, gives the bytes back.
    #[test]
    fn quote_then_unquote_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let q = whymiss::parse::unquote::quote(&bytes);
        prop_assert_eq!(whymiss::parse::unquote::unquote(q.as_bytes()).unwrap().into_owned(), bytes);
    }
}

/// A log captured with `GODEBUG=gocachehash=1` but without `gocachetest=1` has the test-cache
/// blocks and no `testcache:` lines: every tested package is still found, through its test
/// binary's link and the `inputs:` subkey, with the keys the lines would have given (such logs
/// used to compare as "same" whatever their tests read).
#[test]
fn test_runs_are_traced_without_testcache_lines() {
    let mut traced = 0;
    for path in corpus_logs() {
        let bytes = read(&path);
        let with = parse_log(&bytes).unwrap();
        if with.tests.runs.is_empty() {
            continue;
        }
        let stripped: Vec<u8> = bytes
            .split_inclusive(|&b| b == b'\n')
            .filter(|l| !l.starts_with(b"testcache:"))
            .flatten()
            .copied()
            .collect();
        let without = parse_log(&stripped).unwrap();
        assert!(without.test_cache.is_empty());
        let keys = |log: &BuildLog<'_>| {
            let mut k: Vec<_> = log
                .tests
                .runs
                .iter()
                .filter(|r| r.test_id.is_some())
                .map(|r| (r.package.clone(), r.test_id, r.inputs_id, r.args.clone()))
                .collect();
            k.sort();
            k
        };
        // Runs whose test binary was never keyed (caching disabled) have no test ID either way.
        assert_eq!(keys(&without), keys(&with), "{}", path.display());
        traced += keys(&without).len();
    }
    assert!(traced >= 50, "{traced} runs traced");
}
