//! One observed go process, from its session files to an [`Invocation`]: the action graph says
//! which actions ran and which came from the cache; gocachehash (during the build, or from the
//! dry rerun) gives each action's full key and inputs; `testcache:` lines give the tests; the
//! proxy's events give what the cache program answered.
//!
//! The join: a graph node's `ActionID` is `buildid.HashToString` of the action ID, the first
//! 15 bytes of the result gocachehash prints for the same action's block; a cache program's
//! key is the full result (cmd/go/internal/work/buildid.go, `(*Builder).useCache`; cache
//! keys in cmd/go/internal/cache/cache.go). Nodes whose block is missing keep their 15 bytes.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use sha2::{Digest as _, Sha256};

use super::actiongraph::{self, KeyedNode};
use super::cacheprog::{self, Cmd, Event};
use super::goenv;
use super::session::{InvocationFiles, InvocationMeta, ShimMethod};
use crate::model::{
    Action, ActionKey, ActionKind, Backend, BackendRequest, BackendSummary, BuildLog, Digest,
    Inputs, Invocation, Method, Observed, Outcome, RequestKind, RequestOutcome, TestCacheEvent,
    TestRun, Variant, Work, render_block,
};
use crate::parse::parse_log;

/// The go-related environment variables a record keeps (the rest of the environment is not
/// stored: it may hold secrets).
pub const KEPT_ENV: &[&str] = &[
    "GOFLAGS",
    "GOOS",
    "GOARCH",
    "GOAMD64",
    "GOARM",
    "GOARM64",
    "GO386",
    "CGO_ENABLED",
    "CC",
    "CXX",
    "CGO_CFLAGS",
    "CGO_CPPFLAGS",
    "CGO_LDFLAGS",
    "GOEXPERIMENT",
    "GOCACHE",
    "GOCACHEPROG",
    "GODEBUG",
    "GOTOOLCHAIN",
    "GOROOT",
    "GOPATH",
    "GOWORK",
    "GOENV",
    "TMPDIR",
];

/// A request slower than this is worth a line in `why` (a remote backend answers in tens of
/// milliseconds).
pub const SLOW_US: u64 = 100_000;
/// How many of the slowest requests an invocation keeps.
const SLOWEST_KEPT: usize = 10;

/// Reads one invocation's files.
pub fn collect(seq: u32, files: &InvocationFiles, meta: &InvocationMeta) -> Invocation {
    let mut notes: Vec<String> = meta.problems.clone();
    let nodes = match std::fs::read(&files.graph) {
        Ok(bytes) => actiongraph::parse(&bytes).unwrap_or_else(|e| {
            notes.push(format!("the action graph is unreadable: {e}"));
            Vec::new()
        }),
        Err(_) => {
            notes.push("go wrote no action graph (it stopped before building)".into());
            Vec::new()
        }
    };
    let hash_bytes = std::fs::read(&files.hash).unwrap_or_default();
    let log = if hash_bytes.is_empty() {
        None
    } else {
        match parse_log(&hash_bytes) {
            Ok(log) => Some(log),
            Err(e) => {
                notes.push(format!("the gocachehash output is unreadable: {e}"));
                None
            }
        }
    };
    let method = match (meta.method, meta.rerun_status) {
        (ShimMethod::Gocachehash, _) => Method::Gocachehash,
        (ShimMethod::ActionGraph, Some(_)) => Method::Rerun,
        (ShimMethod::ActionGraph, None) => Method::ActionGraph,
    };
    if let Some(status) = meta.rerun_status.filter(|&s| s != 0) {
        notes.push(format!(
            "the dry rerun for the inputs exited {status}: some inputs may be unknown"
        ));
    }
    let mut actions = build_actions(&nodes, log.as_ref());
    let mut uncached_tests = Vec::new();
    if let Some(log) = &log {
        if log.tests.disabled.is_empty() {
            actions.extend(test_actions(log, &hash_bytes));
        } else {
            uncached_tests = actiongraph::tested_packages(&nodes);
        }
    }
    let backend = meta.gocacheprog.as_ref().map(|program| {
        let events = cacheprog::read_events(&files.events).unwrap_or_else(|e| {
            notes.push(format!("the cache program's events are unreadable: {e}"));
            Vec::new()
        });
        backend_summary(program, &events, &mut actions)
    });
    Invocation {
        seq,
        argv: meta.argv.clone(),
        dir: meta.dir.clone(),
        env: kept_env(&meta.env),
        go_version: log
            .as_ref()
            .and_then(|l| l.go_version())
            .map(str::to_string),
        exit_status: meta.exit_status,
        started_ms: meta.started_ms,
        duration_ms: meta.ended_ms - meta.started_ms,
        method,
        actions,
        not_reached: actiongraph::not_reached(&nodes),
        uncached_tests,
        notes,
        backend,
    }
}

/// The go-related part of an environment, with GOFLAGS and GOCACHEPROG as go reads them (the
/// go env file's value when the variable is unset).
pub fn kept_env(env: &[(String, String)]) -> BTreeMap<String, String> {
    let lookup = |k: &str| {
        env.iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| std::ffi::OsString::from(v))
    };
    let mut out = BTreeMap::new();
    for &name in KEPT_ENV {
        let value = match name {
            "GOFLAGS" | "GOCACHEPROG" => goenv::effective(name, &lookup),
            _ => lookup(name)
                .map(|v| v.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        if !value.is_empty() {
            out.insert(name.to_string(), value);
        }
    }
    out
}

/// What a gocachehash log alone says (no action graph): every keyed build and link with its
/// inputs, marked as ran, and every tested package as the test cache decided. For tests and
/// tools that build records from logs.
pub fn observed_from_log(log: &BuildLog<'_>, bytes: &[u8]) -> Vec<Observed> {
    let mut out: Vec<Observed> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    for a in &log.actions {
        let work = match a.kind {
            ActionKind::Build => Work::Build,
            ActionKind::Link | ActionKind::LinkShared => Work::Link,
            _ => continue,
        };
        let Some(id) = a.id else { continue };
        let key = ActionKey::of_digest(id);
        if !seen.insert(key.short) {
            continue;
        }
        let node = KeyedNode {
            key,
            work,
            name: a.name.to_string(),
            outcome: Outcome::Ran,
            duration_ms: None,
        };
        out.push(observed(&node, Some(a)));
    }
    if log.tests.disabled.is_empty() {
        out.extend(test_actions(log, bytes));
    }
    out
}

/// Every keyed build and link of the graph, joined with its gocachehash block.
fn build_actions(nodes: &[actiongraph::Node], log: Option<&BuildLog<'_>>) -> Vec<Observed> {
    let mut blocks: FxHashMap<[u8; 15], &Action<'_>> = FxHashMap::default();
    if let Some(log) = log {
        for a in &log.actions {
            if matches!(
                a.kind,
                ActionKind::Build | ActionKind::Link | ActionKind::LinkShared
            ) && let Some(id) = a.id
            {
                blocks.entry(ActionKey::of_digest(id).short).or_insert(a);
            }
        }
    }
    let mut seen = rustc_hash::FxHashSet::default();
    let mut out = Vec::new();
    for node in nodes.iter().filter_map(actiongraph::keyed) {
        if !seen.insert(node.key.short) {
            continue;
        }
        out.push(observed(&node, blocks.get(&node.key.short).copied()));
    }
    out
}

fn observed(node: &KeyedNode, block: Option<&Action<'_>>) -> Observed {
    let mut o = Observed {
        key: node.key,
        work: node.work,
        name: node.name.clone(),
        variant: Variant::Normal,
        outcome: node.outcome,
        duration_ms: node.duration_ms,
        detail: None,
        backend: None,
        inputs: None,
        exact: false,
    };
    if let Some(a) = block {
        let (pieces, exact) = block_pieces(a);
        o.key.full = a.id;
        o.name = a.name.to_string();
        o.variant = a.variant;
        o.inputs = Some(Inputs::Block { pieces });
        o.exact = exact;
    }
    o
}

/// A block's salt and lines, each line with its newline; the last without one when that is
/// what hashes to the block's ID (`testResult` ends without a newline).
pub fn block_pieces(a: &Action<'_>) -> (Vec<String>, bool) {
    let mut pieces: Vec<String> = Vec::with_capacity(a.fields.len() + 1);
    pieces.push(a.salt.to_string());
    if a.kind == ActionKind::Getenv {
        // cmd/go/internal/test/test.go, `hashGetenv`: a presence byte, then the value, with no
        // newlines (the fields hold them escaped for display).
        for input in a.inputs() {
            match input {
                crate::model::Input::EnvUnset => pieces.push("\0".into()),
                crate::model::Input::EnvValue(v) => {
                    pieces.push("\u{1}".into());
                    pieces.push(v.to_string());
                }
                _ => {}
            }
        }
    } else {
        pieces.extend(a.fields.iter().map(|f| format!("{}\n", f.text)));
    }
    let Some(id) = a.id else {
        return (pieces, false);
    };
    let digest = |pieces: &[String]| {
        let mut h = Sha256::new();
        for p in pieces {
            h.update(p.as_bytes());
        }
        Digest(h.finalize().into())
    };
    if digest(&pieces) == id {
        return (pieces, true);
    }
    if let Some(last) = pieces.last_mut().filter(|_| !a.fields.is_empty()) {
        last.pop();
    }
    if digest(&pieces) == id {
        return (pieces, true);
    }
    if let Some(last) = pieces.last_mut().filter(|_| !a.fields.is_empty()) {
        last.push('\n');
    }
    (pieces, false)
}

/// One observed action per tested package, from its `testcache:` lines.
fn test_actions(log: &BuildLog<'_>, bytes: &[u8]) -> Vec<Observed> {
    let raw_lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    let blocks: FxHashMap<Digest, &Action<'_>> = log
        .actions
        .iter()
        .filter(|a| {
            matches!(
                a.kind,
                ActionKind::TestResult
                    | ActionKind::TestInputs
                    | ActionKind::Getenv
                    | ActionKind::Open
                    | ActionKind::Stat
            )
        })
        .flat_map(|a| a.results.iter().map(move |r| (*r, a)))
        .collect();
    let mut out = Vec::new();
    for run in &log.tests.runs {
        let Some((key, outcome)) = test_key(log, run) else {
            continue;
        };
        let mut lines: Vec<String> = Vec::new();
        let mut wanted: Vec<Digest> = Vec::new();
        for line in &log.test_cache {
            if line.event.package() != Some(run.package.as_str()) {
                continue;
            }
            match &line.event {
                TestCacheEvent::TestId { test_id, .. } => wanted.push(*test_id),
                TestCacheEvent::InputsLookup { inputs_id, .. }
                | TestCacheEvent::Save { inputs_id, .. } => wanted.push(*inputs_id),
                _ => {}
            }
        }
        let mut rendered = rustc_hash::FxHashSet::default();
        let mut text = Vec::new();
        let mut exact = true;
        while let Some(id) = wanted.pop() {
            let Some(block) = blocks.get(&id) else {
                continue;
            };
            if !rendered.insert(id) {
                continue;
            }
            let (pieces, block_exact) = block_pieces(block);
            exact &= block_exact;
            render_block(&block.name, &pieces, &id, &mut text);
            for input in block.inputs() {
                use crate::model::Input;
                if let Input::TestEnv { hash, .. }
                | Input::TestChdir { hash, .. }
                | Input::TestStat { hash, .. }
                | Input::TestOpen { hash, .. } = input
                {
                    wanted.push(*hash);
                }
            }
        }
        lines.extend(String::from_utf8_lossy(&text).lines().map(str::to_string));
        for &n in &run.lines {
            if let Some(raw) = raw_lines.get(n as usize - 1) {
                lines.push(String::from_utf8_lossy(raw).into_owned());
            }
        }
        let detail = run
            .rejected
            .as_ref()
            .map(|r| format!("input file {}: {}", r.path, r.reason))
            .or_else(|| run.miss.clone());
        out.push(Observed {
            key: ActionKey::of_digest(key),
            work: Work::Test,
            name: format!("test {}", run.package),
            variant: Variant::Normal,
            outcome,
            duration_ms: None,
            detail: (outcome != Outcome::Hit).then_some(detail).flatten(),
            backend: None,
            inputs: Some(Inputs::Lines(lines)),
            exact,
        })
    }
    out
}

/// The key a test's result is cached under, and what became of it: the key of the lookup (or
/// the save) for the first test ID, which is keyed on the test binary's action ID
/// (cmd/go/internal/test/test.go, `(*runCache).tryCacheWithID`; a second lookup after linking
/// uses its content ID).
fn test_key(log: &BuildLog<'_>, run: &TestRun) -> Option<(Digest, Outcome)> {
    let for_package = || {
        log.test_cache
            .iter()
            .filter(move |l| l.event.package() == Some(run.package.as_str()))
    };
    let lookup = for_package().find_map(|l| match &l.event {
        TestCacheEvent::InputsLookup { test_id, key, .. } if Some(*test_id) == run.test_id => {
            Some(*key)
        }
        _ => None,
    });
    let save = for_package()
        .filter_map(|l| match &l.event {
            TestCacheEvent::Save { test_id, key, .. } => Some((*test_id, *key)),
            _ => None,
        })
        .find(|(t, _)| Some(*t) == run.test_id || run.test_id.is_none())
        .map(|(_, k)| k);
    if run.cached {
        return lookup.map(|k| (k, Outcome::Hit));
    }
    if run.saved {
        return save.map(|k| (k, Outcome::Ran));
    }
    run.test_id.map(|t| (t, Outcome::NotSaved))
}

/// What the cache program did, and what it answered about each action's own key.
fn backend_summary(program: &str, events: &[Event], actions: &mut [Observed]) -> BackendSummary {
    let mut s = BackendSummary {
        program: program.to_string(),
        ..BackendSummary::default()
    };
    let by_key: FxHashMap<Digest, usize> = actions
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.key.full.map(|k| (k, i)))
        .collect();
    let mut latencies = Vec::new();
    let mut all: Vec<BackendRequest> = Vec::new();
    for e in events {
        let Event::Request(r) = e else { continue };
        let kind = match r.command {
            Cmd::Get => RequestKind::Get,
            Cmd::Put => RequestKind::Put,
            Cmd::Close | Cmd::Other(_) => continue,
        };
        use cacheprog::Outcome as P;
        let outcome = match r.outcome {
            P::Hit => RequestOutcome::Hit,
            P::Miss => RequestOutcome::Miss,
            P::Stored => RequestOutcome::Stored,
            P::Error => RequestOutcome::Error,
            P::Unanswered => RequestOutcome::Unanswered,
            P::Closed | P::Answered => continue,
        };
        let size = r.size.unwrap_or(0).max(0) as u64;
        match (kind, outcome) {
            (RequestKind::Get, o) => {
                s.gets += 1;
                match o {
                    RequestOutcome::Hit => {
                        s.hits += 1;
                        s.bytes_got += size;
                    }
                    RequestOutcome::Miss => s.misses += 1,
                    RequestOutcome::Error => s.get_errors += 1,
                    RequestOutcome::Unanswered => s.unanswered += 1,
                    RequestOutcome::Stored => {}
                }
            }
            (RequestKind::Put, o) => {
                s.puts += 1;
                match o {
                    RequestOutcome::Stored => s.bytes_put += size,
                    RequestOutcome::Error => s.put_errors += 1,
                    RequestOutcome::Unanswered => s.unanswered += 1,
                    RequestOutcome::Hit | RequestOutcome::Miss => {}
                }
            }
        }
        latencies.push(r.latency_us);
        let Some(key) = r
            .action_id
            .as_deref()
            .and_then(|h| Digest::from_hex(h.as_bytes()))
        else {
            continue;
        };
        if let Some(&i) = by_key.get(&key) {
            let b = actions[i].backend.get_or_insert_with(Backend::default);
            match kind {
                RequestKind::Get => {
                    b.get = Some(outcome);
                    b.get_us = Some(r.latency_us);
                }
                RequestKind::Put => b.put = Some(outcome),
            }
        }
        all.push(BackendRequest {
            kind,
            outcome,
            key,
            size: r.size,
            latency_us: r.latency_us,
            err: r.err.clone(),
        });
    }
    latencies.sort_unstable();
    let at = |q: f64| -> u64 {
        if latencies.is_empty() {
            0
        } else {
            latencies[((latencies.len() - 1) as f64 * q).round() as usize]
        }
    };
    s.p50_us = at(0.5);
    s.p99_us = at(0.99);
    s.max_us = latencies.last().copied().unwrap_or(0);
    let mut slow: Vec<&BackendRequest> = all
        .iter()
        .filter(|r| r.latency_us >= SLOW_US && r.outcome == RequestOutcome::Hit)
        .collect();
    slow.sort_by_key(|r| std::cmp::Reverse(r.latency_us));
    let slow: Vec<BackendRequest> = slow.into_iter().take(SLOWEST_KEPT).cloned().collect();
    s.requests = all
        .into_iter()
        .filter(|r| r.outcome != RequestOutcome::Hit)
        .chain(slow)
        .collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::go::logfile::LogFile;
    use crate::model::Verification;

    fn corpus_logs(name: &str) -> Vec<(String, Vec<u8>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/logs");
        let mut out = Vec::new();
        for version in std::fs::read_dir(&root).unwrap() {
            let path = version.unwrap().path().join(name);
            if path.exists() {
                let file = LogFile::read_with_limit(&path, 1 << 30).unwrap();
                out.push((path.display().to_string(), file.bytes.to_vec()));
            }
        }
        assert!(out.len() >= 5, "{name}: {}", out.len());
        out
    }

    /// The history rebuilds gocachehash output from stored pieces: every build and link block
    /// of every version must come back byte for byte (its SHA-256 is its ID).
    #[test]
    fn stored_pieces_rebuild_every_block() {
        for (path, bytes) in corpus_logs("lab-build.log.gz")
            .into_iter()
            .chain(corpus_logs("lab-test.log.gz"))
        {
            let log = parse_log(&bytes).unwrap();
            let mut text = Vec::new();
            let mut n = 0;
            for a in log.actions.iter().filter(|a| {
                a.is_verified() && matches!(a.kind, ActionKind::Build | ActionKind::Link)
            }) {
                let (pieces, exact) = block_pieces(a);
                assert!(exact, "{path}: {}", a.name);
                render_block(&a.name, &pieces, &a.id.unwrap(), &mut text);
                n += 1;
            }
            let again = parse_log(&text).unwrap();
            assert_eq!(again.actions.len(), n, "{path}");
            for a in &again.actions {
                assert_eq!(a.verification, Verification::Verified, "{path}: {}", a.name);
            }
        }
    }

    /// A test's stored lines give back its test-cache view: keys, flags and every input with
    /// its value (`test-env` and `test-file` causes need them).
    #[test]
    fn stored_test_lines_rebuild_the_test_cache() {
        for (path, bytes) in corpus_logs("lab-test.log.gz") {
            let log = parse_log(&bytes).unwrap();
            let tests = test_actions(&log, &bytes);
            assert!(!tests.is_empty(), "{path}");
            let mut text = Vec::new();
            for t in &tests {
                let Some(Inputs::Lines(lines)) = &t.inputs else {
                    panic!("{path}: {} has no lines", t.name)
                };
                for l in lines {
                    text.extend_from_slice(l.as_bytes());
                    text.push(b'\n');
                }
            }
            let again = parse_log(&text).unwrap();
            for a in again.actions.iter() {
                assert_eq!(a.verification, Verification::Verified, "{path}: {}", a.name);
            }
            let runs = |c: &crate::model::TestCache| {
                let mut r = c.runs.clone();
                for run in &mut r {
                    run.lines.clear();
                }
                r.sort_by(|x, y| x.package.cmp(&y.package));
                r
            };
            assert_eq!(runs(&again.tests), runs(&log.tests), "{path}");
        }
    }
}
