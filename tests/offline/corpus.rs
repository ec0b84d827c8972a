//! The parser on every real log in `corpus/logs`: every compile-graph block proven by its
//! SHA-256, no unknown fields, every subkey verified; and the model does not depend on how the
//! go command's goroutines happened to interleave their lines.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use whymiss::go::logfile::LogFile;
use whymiss::model::{ActionKind, BuildLog, Input};
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
            .filter(|a| a.kind == ActionKind::Vet)
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

/// The name of a `HASH[name]…` block line: open, input or result (names in these logs hold no
/// `]`).
fn block_name(line: &str) -> Option<&str> {
    line.strip_prefix("HASH[")
        .and_then(|r| r.find(']').map(|i| &r[..i]))
}

/// Names with two or more blocks in the log (other than `moduleIndex`, which is not demultiplexed).
pub(crate) fn repeated_block_names(text: &str) -> Vec<String> {
    let mut opens: std::collections::BTreeMap<&str, usize> = Default::default();
    for line in text.lines() {
        if let Some(n) = block_name(line)
            && line.len() == n.len() + 6
        {
            *opens.entry(n).or_default() += 1;
        }
    }
    opens
        .into_iter()
        .filter(|&(n, c)| c >= 2 && n != "moduleIndex")
        .map(|(n, _)| n.to_string())
        .collect()
}

/// Moves every block named one of `names` to where the first block of that name opens, its lines
/// interleaved line by line with the other blocks of the name as `choices` say: each block keeps
/// its own order, as when go hashes them on several goroutines at once (one line per `Write`).
/// Every other line stays where it was.
pub(crate) fn interleave_same_name(text: &str, names: &[String], choices: &[usize]) -> String {
    let mut blocks: std::collections::HashMap<&str, Vec<Vec<&str>>> = Default::default();
    for line in text.lines() {
        let Some(n) = block_name(line).filter(|n| names.iter().any(|x| x == n)) else {
            continue;
        };
        let list = blocks.entry(n).or_default();
        if line.len() == n.len() + 6 || list.is_empty() {
            list.push(Vec::new());
        }
        list.last_mut().expect("a block").push(line);
    }
    let mut out = String::with_capacity(text.len() + 1);
    let mut c = 0;
    for line in text.lines() {
        let Some(n) = block_name(line).filter(|n| names.iter().any(|x| x == n)) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        // The first line of the name: emit all of its blocks here, interleaved.
        let Some(list) = blocks.remove(n) else {
            continue;
        };
        let mut pos = vec![0usize; list.len()];
        let mut live: Vec<usize> = (0..list.len()).collect();
        while !live.is_empty() {
            let pick = choices[c % choices.len()] % live.len();
            c += 1;
            let b = live[pick];
            out.push_str(list[b][pos[b]]);
            out.push('\n');
            pos[b] += 1;
            if pos[b] == list[b].len() {
                live.remove(pick);
            }
        }
    }
    out
}

/// What must not change when same-name blocks interleave differently: each action's name,
/// variant, kind, ID, results, verification, salt and fields, as a sorted list (occurrence
/// numbers follow the order in which blocks open, which the interleaving changes).
fn actions_projection(log: &BuildLog<'_>) -> Vec<String> {
    let mut out: Vec<String> = log
        .actions
        .iter()
        .map(|a| {
            let fields: Vec<String> = a.fields.iter().map(|f| format!("{:?}", f.input)).collect();
            format!(
                "{} {:?} {:?} {:?} {:?} {:?} {:?} {}",
                a.name,
                a.variant,
                a.kind,
                a.id,
                a.results,
                a.verification,
                a.salt,
                fields.join("|")
            )
        })
        .collect();
    out.sort();
    out
}

/// Real logs in which go printed two or more blocks of one name.
const SAME_NAME_LOGS: [&str; 21] = [
    "go1.21.13/lab-coverpkg",
    "go1.21.13/lab-test",
    "go1.21.13/lab-test-cached",
    "go1.22.10/lab-coverpkg",
    "go1.22.10/lab-test",
    "go1.22.10/lab-test-cached",
    "go1.23.9/lab-coverpkg",
    "go1.23.9/lab-test",
    "go1.23.9/lab-test-cached",
    "go1.24.11/lab-coverpkg",
    "go1.24.11/lab-test",
    "go1.24.11/lab-test-cached",
    "go1.25.5/lab-coverpkg",
    "go1.25.5/lab-test",
    "go1.25.5/lab-test-cached",
    "go1.26.6/lab-coverpkg",
    "go1.26.6/lab-test",
    "go1.26.6/lab-test-cached",
    "go1.27.3/lab-coverpkg",
    "go1.27.3/lab-test",
    "go1.27.3/lab-test-cached",
];

/// Interleaves every repeated block name of a real log and checks that every block still
/// verifies and the model is the original's.
fn same_name_interleaving_keeps_model(rel: &str, choices: &[usize]) -> Result<(), TestCaseError> {
    let text = String::from_utf8(read(&corpus(&format!("logs/{rel}.log.gz")))).unwrap();
    let original = parse_log(text.as_bytes()).unwrap();
    prop_assert!(original.actions.iter().all(|a| a.is_verified()), "{rel}");
    let names = repeated_block_names(&text);
    prop_assert!(!names.is_empty(), "{rel}");
    let mixed = interleave_same_name(&text, &names, choices);
    let parsed = parse_log(mixed.as_bytes()).unwrap();
    for a in &parsed.actions {
        prop_assert!(
            a.is_verified(),
            "{rel}: {} not verified: {:?}",
            a.label(),
            a.verification
        );
    }
    let (was, now) = (actions_projection(&original), actions_projection(&parsed));
    let missing: Vec<&String> = was.iter().filter(|x| !now.contains(x)).take(2).collect();
    let extra: Vec<&String> = now.iter().filter(|x| !was.contains(x)).take(2).collect();
    prop_assert!(
        missing.is_empty() && extra.is_empty() && was.len() == now.len(),
        "{rel}: model changed\nmissing: {missing:#?}\nextra: {extra:#?}"
    );
    Ok(())
}

/// Real logs cut off by `head -c` (`bytes`) or `head -n` (`!bytes`) at `fraction` of their
/// length: the parse succeeds; every action of the full log that ends before the cut is still
/// there and proven; every action the log ends inside is listed in `truncated` and compared as
/// unproven; nothing else is.
fn cut_log_keeps_complete_actions(
    rel: &str,
    fraction: f64,
    bytes: bool,
) -> Result<(), TestCaseError> {
    let full_bytes = read(&corpus(rel));
    let full = parse_log(&full_bytes).unwrap();
    let cut: &[u8] = if bytes {
        &full_bytes[..((full_bytes.len() as f64 * fraction) as usize).max(1)]
    } else {
        let lines = full_bytes.iter().filter(|&&b| b == b'\n').count();
        let keep = ((lines as f64 * fraction) as usize).max(1);
        let end = full_bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(keep - 1)
            .map_or(full_bytes.len(), |(i, _)| i + 1);
        &full_bytes[..end]
    };
    let log = match parse_log(cut) {
        Ok(log) => log,
        // Cut before the first gocachehash line, or inside it.
        Err(e)
            if e.message.starts_with("no gocachehash lines")
                || e.message == "the log is cut off inside its first gocachehash line" =>
        {
            return Ok(());
        }
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "{rel} cut at {}: {e}",
                cut.len()
            )));
        }
    };
    // The last line that the cut log holds whole.
    let whole = if cut.ends_with(b"\n") {
        log.stats.lines as u32
    } else {
        log.stats.lines as u32 - 1
    };
    let key = |a: &whymiss::model::Action<'_>| format!("{} {:?} {:?}", a.name, a.variant, a.id);
    let kept: std::collections::HashSet<String> = log
        .actions
        .iter()
        .filter(|a| a.is_verified())
        .map(key)
        .collect();
    for a in &full.actions {
        let Some(result) = a.result_line else {
            continue;
        };
        // Blocks a concatenation repeats are kept once; a block with a second result (gccCompilerID)
        // after the cut is incomplete but proven by its first.
        if a.open_line.is_some_and(|l| l <= whole) && result <= whole {
            prop_assert!(
                kept.contains(&key(a)),
                "{rel} cut at {} bytes: {} (lines {:?}–{result}) lost",
                cut.len(),
                a.label(),
                a.open_line
            );
        }
    }
    let truncated = log.truncated.clone().unwrap_or_default();
    for (i, a) in log.actions.iter().enumerate() {
        let incomplete = truncated.incomplete.contains(&i);
        if a.results.is_empty() {
            // In these logs every block is summed: one never summed is cut off. A testInputs
            // or open block is one Go may abandon (computeTestInputsID), so a log that ends
            // after a whole line of one is not known to be cut; the block is still unproven.
            let abandonable = matches!(a.kind, ActionKind::TestInputs | ActionKind::Open);
            prop_assert!(
                (log.truncated.is_some() && incomplete) || (abandonable && log.truncated.is_none()),
                "{rel}: {} not listed",
                a.label()
            );
            prop_assert!(!a.is_verified());
        } else if !incomplete {
            prop_assert!(a.is_verified(), "{rel}: {} {:?}", a.label(), a.verification);
        }
    }
    if log.truncated.is_some() {
        prop_assert_eq!(truncated.last_line as u64, log.stats.lines);
    }
    // A cut inside a gocachehash line is seen as such.
    if !cut.ends_with(b"\n") && cut.len() < full_bytes.len() {
        let last = &cut[cut.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)..];
        let next = &full_bytes[cut.len() - last.len()..];
        let next = &next[..next.iter().position(|&b| b == b'\n').unwrap_or(next.len())];
        if last.starts_with(b"HASH") && last.len() < next.len() && !last.ends_with(b"\"") {
            prop_assert!(
                truncated.cut_line,
                "{rel}: cut line {:?} not seen",
                String::from_utf8_lossy(last)
            );
        }
    }
    Ok(())
}

/// A broken `HASH[moduleIndex]` line (package-loading noise, in no key) is counted, never an
/// error, anywhere in the log.
#[test]
fn broken_module_index_lines_are_noise() {
    let bytes = read(&corpus("logs/go1.27.3/lab-build.log.gz"));
    let full = parse_log(&bytes).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let at = text.find("HASH[moduleIndex]: \"").unwrap();
    let mut broken = text[..at].to_string();
    broken.push_str("HASH[moduleIndex]: \"modroot /x\\q\n");
    broken.push_str("HASH[moduleIndex]: \"cut off\n");
    broken.push_str(&text[at..]);
    let log = parse_log(broken.as_bytes()).unwrap();
    assert_eq!(
        log.stats.module_index_lines,
        full.stats.module_index_lines + 2
    );
    assert_eq!(log.truncated, None);
    assert_eq!(log.actions.len(), full.actions.len());
    assert!(log.actions.iter().all(|a| a.is_verified()));
}

/// Logs the truncation proptests cut: builds (with moduleIndex noise), tests, -coverpkg.
const CUT_LOGS: [&str; 6] = [
    "logs/go1.27.3/lab-build.log.gz",
    "logs/go1.27.3/lab-coverpkg.log.gz",
    "logs/go1.21.13/lab-test.log.gz",
    "logs/go1.24.11/lab-test-cached.log.gz",
    "logs/go1.26.6/lab-trimpath.log.gz",
    "logs/go1.22.10/tiny-build.log.gz",
];

/// Issue 9, item 2 (the parse side): `head -n 3000` of a real log ends inside blocks; they are
/// listed as incomplete and no longer verified, and every block before them still is.
#[test]
fn head_n_3000_marks_the_blocks_it_cuts() {
    let bytes = read(&corpus("logs/go1.27.3/lab-test.log.gz"));
    let end = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .nth(2999)
        .map(|(i, _)| i + 1)
        .unwrap();
    let log = parse_log(&bytes[..end]).unwrap();
    let t = log.truncated.as_ref().expect("truncated");
    assert_eq!(t.last_line, 3000);
    assert!(!t.cut_line);
    assert!(!t.incomplete.is_empty());
    for &i in &t.incomplete {
        assert!(log.is_incomplete(i));
        let a = &log.actions[i];
        assert!(!a.is_verified(), "{}", a.label());
    }
    let verified = log.actions.iter().filter(|a| a.is_verified()).count();
    assert_eq!(verified + t.incomplete.len(), log.actions.len());
}

/// A log cut in the middle of a quoted payload (`head -c`) is not an error: the cut line is
/// left out and the log is marked truncated.
#[test]
fn head_c_inside_a_payload_is_a_truncation_not_an_error() {
    let bytes = read(&corpus("logs/go1.27.3/lab-build.log.gz"));
    let text = String::from_utf8(bytes.clone()).unwrap();
    // Inside a moduleIndex payload, then inside a build payload.
    for needle in ["HASH[moduleIndex]: \"", "HASH[build internal/asan]: \"comp"] {
        let at = text.find(needle).unwrap() + needle.len() + 2;
        let log = parse_log(&bytes[..at]).unwrap_or_else(|e| panic!("{needle}: {e}"));
        let t = log.truncated.as_ref().expect("truncated");
        assert!(t.cut_line, "{needle}");
        assert_eq!(t.last_line as u64, log.stats.lines);
    }
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

    /// Issue 9, item 3: a package block and its test-variant block (same name), or any other
    /// same-name blocks of a real log, interleaved line by line in any order: every block is
    /// still proven by its SHA-256 and the model is unchanged.
    #[test]
    fn interleaved_same_name_blocks_of_real_logs_verify(
        log in 0..SAME_NAME_LOGS.len(),
        choices in prop::collection::vec(0usize..1000, 1..300),
    ) {
        same_name_interleaving_keeps_model(SAME_NAME_LOGS[log], &choices)?;
    }

    /// Issue 9, item 2: real logs cut by `head -c` and `head -n` anywhere parse; complete actions
    /// keep verifying and the ones the cut leaves open are listed as incomplete.
    #[test]
    fn cut_logs_keep_complete_actions_and_list_incomplete_ones(
        log in 0..CUT_LOGS.len(),
        fraction in 0.0f64..1.0,
        bytes in any::<bool>(),
    ) {
        cut_log_keeps_complete_actions(CUT_LOGS[log], fraction, bytes)?;
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
