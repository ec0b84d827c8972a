//! The last phase of a comparison: what makes it untrustworthy (a failed build, a side with
//! nothing to compare, logs of different go commands, keys that differ only in blocks whose
//! lines are not proven), and the verdict that follows. A wrong "same" is the worst answer
//! whymiss can give, so every one of these turns the verdict into [`Verdict::Inconclusive`]
//! rather than letting the remaining actions speak for the whole build.

use super::comparison::{Doubt, DoubtKind, GoCommand, Side, Summary, Verdict};
use rustc_hash::FxHashSet;

use crate::model::{ActionKind, BuildLog, Digest, SideInfo, TestCacheEvent};

/// What the doubts phase reads of each side.
pub(super) struct SideFacts<'l, 'a> {
    pub log: &'l BuildLog<'a>,
    pub info: &'l SideInfo,
    /// The side's compile, link, vet and PGO keys (the actions the comparison pairs).
    pub actions: usize,
}

/// Everything that makes the comparison of `a` and `b` untrustworthy, in the order a reader
/// should fix them.
/// `unproven` lists the actions whose keys differ as printed but whose blocks are not proven;
/// `tests_differ` says whether some tested package's result would not be reused.
pub(super) fn doubts(
    a: &SideFacts<'_, '_>,
    b: &SideFacts<'_, '_>,
    summary: &Summary,
    unproven: Vec<String>,
    tests_differ: bool,
) -> Vec<Doubt> {
    let mut out = Vec::new();
    for (side, facts) in [(Side::A, a), (Side::B, b)] {
        if let Some(cut) = &facts.log.truncated {
            let n = cut.incomplete.len();
            out.push(Doubt {
                kind: DoubtKind::Truncated {
                    side,
                    last_line: cut.last_line,
                    incomplete: n,
                },
                message: format!(
                    "{} is cut off: {}{}; {TRUNCATED_HINT}",
                    side_name(side, facts.info),
                    cut.describe(),
                    match n {
                        0 => "",
                        1 => ", which is left out of the comparison",
                        _ => ", which are left out of the comparison",
                    }
                ),
            });
        }
    }
    for (side, facts) in [(Side::A, a), (Side::B, b)] {
        if let Some(status) = facts.info.exit_status.filter(|&s| s != 0) {
            out.push(Doubt {
                kind: DoubtKind::BuildFailed { side, status },
                message: format!(
                    "{}: {} failed (exit {status}), so it may not have hashed every action it \
                     would have; only what both sides hashed is compared",
                    side_name(side, facts.info),
                    match facts.info.args.first() {
                        // `whymiss check --cmd`: a build script, which may fail after go did not.
                        _ if facts.info.source == "command" => {
                            format!("the build command `{}`", facts.info.args.join(" "))
                        }
                        Some(sub) => format!("go {sub}"),
                        None => "the go command".to_string(),
                    }
                ),
            });
        }
    }
    for (side, facts) in [(Side::A, a), (Side::B, b)] {
        if facts.actions == 0 {
            out.push(Doubt {
                kind: DoubtKind::NoActions { side },
                message: format!(
                    "{} holds no compile, link or vet key ({}), so there is nothing to compare",
                    side_name(side, facts.info),
                    what_it_holds(facts.log)
                ),
            });
        }
    }
    if a.actions > 0 && b.actions > 0 && summary.compared == 0 {
        out.push(Doubt {
            kind: DoubtKind::NothingInCommon,
            message: format!(
                "no action was built on both sides ({} in A, {} in B): the logs are of builds \
                 of different packages",
                a.actions, b.actions
            ),
        });
    }
    if let Some(doubt) = different_commands(a, b) {
        out.push(doubt);
    }
    let orphans = [
        (Side::A, a, orphan_test_keys(a.log)),
        (Side::B, b, orphan_test_keys(b.log)),
    ];
    if orphans.iter().any(|(_, _, n)| *n > 0) && !tests_differ {
        let which: Vec<String> = orphans
            .iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|(side, facts, n)| format!("{} has {n}", side_name(*side, facts.info)))
            .collect();
        out.push(Doubt {
            kind: DoubtKind::TestsUnattributed,
            message: format!(
                "test-result keys that name no test binary of the log and no test-cache \
                 decision ({}), so whymiss cannot tell whether their results would be reused; \
                 capture with GODEBUG=gocachehash=1,gocachetest=1",
                which.join(", ")
            ),
        });
    }
    // Proven differences make the verdict `differ` whatever the unproven ones hide (the gate
    // still refuses to pass them).
    if !unproven.is_empty() && summary.root_cause + summary.knock_on + summary.nondeterministic == 0
    {
        let shown: Vec<&str> = unproven.iter().take(3).map(String::as_str).collect();
        out.push(Doubt {
            message: format!(
                "{} ({}{}) whose printed IDs differ or are missing, but whose blocks are not \
                 proven by their SHA-256 (a corrupt or edited log, a block without its result): \
                 whymiss cannot tell what differs in them, nor whether anything does",
                if unproven.len() == 1 {
                    "1 action has keys".to_string()
                } else {
                    format!("{} actions have keys", unproven.len())
                },
                shown.join(", "),
                if unproven.len() > 3 { ", …" } else { "" }
            ),
            kind: DoubtKind::Unproven { actions: unproven },
        });
    }
    out
}

/// What a truncation doubt says about the way on.
const TRUNCATED_HINT: &str = "--allow-truncated compares the rest";

/// A truncation doubt's message as a note, once `--allow-truncated` accepted it.
pub(super) fn truncation_note(message: &str) -> String {
    let what = message
        .strip_suffix(TRUNCATED_HINT)
        .map_or(message, |m| m.trim_end_matches("; "));
    format!("{what} (--allow-truncated: the rest is compared)")
}

/// `testResult` blocks the log says nothing else about: not keyed on a test binary's link in
/// the log, not the parent of an `inputs:` subkey, not named by a `testcache:` line. A test
/// whose result key is one of these cannot be compared (the first-level key of every test that
/// ran is traced through its link, the second through its subkey).
fn orphan_test_keys(log: &BuildLog<'_>) -> usize {
    let mut known: FxHashSet<Digest> = log.tests.runs.iter().filter_map(|r| r.test_id).collect();
    known.extend(
        log.subkeys
            .iter()
            .filter(|k| k.desc.starts_with("inputs:"))
            .map(|k| k.parent),
    );
    for line in &log.test_cache {
        if let TestCacheEvent::TestId { test_id, .. }
        | TestCacheEvent::InputsLookup { test_id, .. }
        | TestCacheEvent::Save { test_id, .. } = &line.event
        {
            known.insert(*test_id);
        }
    }
    log.actions
        .iter()
        .filter(|a| a.kind == ActionKind::TestResult)
        .filter(|a| a.id.is_none_or(|id| !known.contains(&id)))
        .count()
}

/// The verdict: inconclusive when anything is in doubt; else differ when a key of an action
/// built on both sides differs; else unmatched when some action was built on one side only;
/// else same.
pub(super) fn verdict(doubts: &[Doubt], summary: &Summary) -> Verdict {
    if !doubts.is_empty() {
        Verdict::Inconclusive
    } else if summary.differ > 0 {
        Verdict::Differ
    } else if summary.only_a + summary.only_b > 0 {
        Verdict::Unmatched
    } else {
        Verdict::Same
    }
}

/// `side B (ci.capture)`, or `side B` when the label says nothing more.
fn side_name(side: Side, info: &SideInfo) -> String {
    let name = side.as_str();
    let more = if !info.label.is_empty() && info.label != name {
        &info.label
    } else {
        &info.source
    };
    // A live side is named by its label alone.
    if more.is_empty() || more == name || more == "live" || more == "command" {
        format!("side {name}")
    } else {
        format!("side {name} ({more})")
    }
}

/// What a log without compile, link or vet keys holds instead, for the message.
fn what_it_holds(log: &BuildLog<'_>) -> String {
    let s = &log.stats;
    if log.actions.is_empty() && s.module_index_lines > 0 && s.module_index_lines == s.hash_lines {
        return format!(
            "only HASH[moduleIndex] lines ({}), which go prints while loading packages; capture \
             the stderr of a go command that builds",
            s.module_index_lines
        );
    }
    if log.actions.is_empty() {
        return format!("{} lines, none of them a block of a key", s.lines);
    }
    let kinds: Vec<&str> = log
        .counts_by_kind()
        .keys()
        .map(|k| k.as_str())
        .collect::<Vec<_>>();
    format!("only {} blocks", kinds.join(", "))
}

/// The logs are of different go commands: their keys are not meant to match, and what differs
/// would only say so in many words (`forcelibrary`, missing build information, vet keys on one
/// side). From the captures' arguments when both have them, else from what each log holds.
fn different_commands(a: &SideFacts<'_, '_>, b: &SideFacts<'_, '_>) -> Option<Doubt> {
    let (ca, cb, how) = match (from_args(a.info), from_args(b.info)) {
        (Some(x), Some(y)) => (x, y, "ran"),
        // A log cut off lacks the blocks that tell its command (a test binary's link comes
        // late): the truncation doubt says enough.
        _ if a.log.truncated.is_some() || b.log.truncated.is_some() => return None,
        _ => (from_log(a.log)?, from_log(b.log)?, "looks like"),
    };
    if ca == cb {
        return None;
    }
    let phrase = |side: Side, facts: &SideFacts<'_, '_>, command: GoCommand| {
        if how == "ran" {
            format!("{} ran `{}`", side_name(side, facts.info), command.as_str())
        } else {
            format!(
                "{} looks like a `{}` log ({})",
                side_name(side, facts.info),
                command.as_str(),
                evidence(facts.log, command)
            )
        }
    };
    Some(Doubt {
        kind: DoubtKind::DifferentCommands { a: ca, b: cb },
        message: format!(
            "the logs are of different go commands: {} and {}; their keys are not meant to \
             match: compare logs of the same command",
            phrase(Side::A, a, ca),
            phrase(Side::B, b, cb)
        ),
    })
}

/// The command a capture or live side ran, from its arguments (`build -trimpath ./...`).
fn from_args(info: &SideInfo) -> Option<GoCommand> {
    Some(match info.args.first()?.as_str() {
        "build" | "install" => GoCommand::Build,
        "run" => GoCommand::Run,
        "test" => GoCommand::Test,
        "vet" => GoCommand::Vet,
        "list" => GoCommand::List,
        _ => return None,
    })
}

/// The command a bare log is of, from the blocks only that command writes: a test binary's
/// link or the test cache (`go test`), `testmain` (`go list -test`), vet keys without a test
/// (`go vet`), else compiles and links (`go build`). `None` for a log without any of them.
fn from_log(log: &BuildLog<'_>) -> Option<GoCommand> {
    let has = |k: ActionKind| log.actions.iter().any(|a| a.kind == k);
    if is_test_log(log) {
        Some(GoCommand::Test)
    } else if has(ActionKind::Testmain) {
        Some(GoCommand::List)
    } else if has(ActionKind::Vet) {
        Some(GoCommand::Vet)
    } else if has(ActionKind::Build) || has(ActionKind::Link) {
        Some(GoCommand::Build)
    } else {
        None
    }
}

fn is_test_log(log: &BuildLog<'_>) -> bool {
    !log.test_cache.is_empty() || log.actions.iter().any(is_test_block)
}

/// A test binary's link (`link p.test`) or a test-cache key: blocks only `go test` writes.
fn is_test_block(a: &crate::model::Action<'_>) -> bool {
    match a.kind {
        ActionKind::Link => a.subject.as_deref().is_some_and(|s| s.ends_with(".test")),
        ActionKind::TestResult | ActionKind::TestInputs => true,
        ActionKind::Build
        | ActionKind::LinkShared
        | ActionKind::Vet
        | ActionKind::Pgo
        | ActionKind::Getenv
        | ActionKind::Open
        | ActionKind::Stat
        | ActionKind::CoverMeta
        | ActionKind::Testmain
        | ActionKind::GccCompilerId
        | ActionKind::Other => false,
    }
}

/// Why a log looks like `command`'s, in a few words.
fn evidence(log: &BuildLog<'_>, command: GoCommand) -> String {
    let count = |k: ActionKind| log.actions.iter().filter(|a| a.kind == k).count();
    match command {
        GoCommand::Test => {
            let binaries = log
                .actions
                .iter()
                .filter(|a| a.kind == ActionKind::Link && is_test_block(a))
                .count();
            if binaries > 0 {
                format!("{} test binary links", binaries)
            } else {
                "test-cache keys".to_string()
            }
        }
        GoCommand::List => "testmain keys".to_string(),
        GoCommand::Vet => format!("{} vet keys, no test binary", count(ActionKind::Vet)),
        GoCommand::Build | GoCommand::Run => format!(
            "{} compiles, {} links, no vet key",
            count(ActionKind::Build),
            count(ActionKind::Link)
        ),
    }
}
