//! Linking the test-cache lines to the blocks they name: `testcache: P: test ID …` gives the
//! `testResult` digest of package P, `… => input ID …` the `testInputs` digest, and each
//! `testInputs` line names its nested `getenv`/`open`/`stat` block by digest.

use rustc_hash::FxHashMap;

use crate::model::{
    Action, ActionKind, Digest, Input, InputDetail, InputOp, RejectedInput, Subkey, TestCache,
    TestCacheEvent, TestCacheLine, TestInput, TestRun,
};

/// Builds the per-package test-cache view of a log.
pub(super) fn test_cache(
    actions: &[Action<'_>],
    lines: &[TestCacheLine<'_>],
    subkeys: &[Subkey<'_>],
) -> TestCache {
    let mut by_id: FxHashMap<Digest, &Action<'_>> = FxHashMap::default();
    for a in actions {
        if matches!(
            a.kind,
            ActionKind::TestResult
                | ActionKind::TestInputs
                | ActionKind::Getenv
                | ActionKind::Open
                | ActionKind::Stat
        ) {
            for r in &a.results {
                by_id.entry(*r).or_insert(a);
            }
        }
    }
    let mut cache = TestCache::default();
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    for line in lines {
        use TestCacheEvent::*;
        let event = &line.event;
        if let DisabledLocalDirectory = event {
            push_unique(&mut cache.disabled, "local directory mode");
        } else if let DisabledByArgument { argument } = event {
            push_unique(&mut cache.disabled, argument);
        }
        let Some(package) = event.package() else {
            continue;
        };
        let i = *index.entry(package.to_string()).or_insert_with(|| {
            cache.runs.push(TestRun {
                package: package.to_string(),
                ..TestRun::default()
            });
            cache.runs.len() - 1
        });
        let run = &mut cache.runs[i];
        run.lines.push(line.line);
        record(run, event);
    }
    traced_runs(&mut cache, &mut index, actions, subkeys);
    for run in &mut cache.runs {
        if let Some(result) = run.test_id.and_then(|d| by_id.get(&d)) {
            for input in result.inputs() {
                if let Input::TestBinary { args, execcmd, .. } = input {
                    run.args = args.iter().map(|a| a.to_string()).collect();
                    run.execcmd = execcmd.iter().map(|a| a.to_string()).collect();
                }
            }
        }
        if let Some(list) = run.inputs_id.and_then(|d| by_id.get(&d)) {
            run.inputs = list
                .inputs()
                .filter_map(|i| test_input(i, &by_id))
                .collect();
        }
    }
    cache
}

/// The runs a log shows without `testcache:` lines (`GODEBUG=gocachehash=1` without
/// `gocachetest=1`), traced through the blocks themselves: a `testResult` block keyed on a test
/// binary's action ID (`test binary <id>`, the `HashToString` of its `link p.test` block's ID)
/// is package p's first-level key, and the subkey go derives from it and the inputs ID
/// (`HASH subkey <testResult> "inputs:<testInputs>"`, `testAndInputKey` in
/// cmd/go/internal/test/test.go) names the second level. The second `testResult` of a run that
/// missed is keyed on the linked binary's content ID, which names no block: it is left out,
/// as `testcache:` lines would leave it. The last such subkey wins, as a `save` line does.
/// Packages the `testcache:` lines already describe are kept as those lines say.
fn traced_runs(
    cache: &mut TestCache,
    index: &mut FxHashMap<String, usize>,
    actions: &[Action<'_>],
    subkeys: &[Subkey<'_>],
) {
    let binaries: FxHashMap<String, &str> = actions
        .iter()
        .filter(|a| a.kind == ActionKind::Link)
        .filter_map(|a| {
            let package = a.subject.as_deref()?.strip_suffix(".test")?;
            Some((a.short_id()?, package))
        })
        .collect();
    let mut traced: Vec<usize> = Vec::new();
    for result in actions.iter().filter(|a| a.kind == ActionKind::TestResult) {
        let (Some(test_id), Some(binary_id)) = (result.id, test_binary(result)) else {
            continue;
        };
        let Some(&package) = binaries.get(binary_id) else {
            continue;
        };
        let i = *index.entry(package.to_string()).or_insert_with(|| {
            cache.runs.push(TestRun {
                package: package.to_string(),
                ..TestRun::default()
            });
            cache.runs.len() - 1
        });
        let run = &mut cache.runs[i];
        if run.test_id.is_none() {
            run.binary_id = Some(binary_id.to_string());
            run.test_id = Some(test_id);
            traced.push(i);
        }
    }
    for subkey in subkeys {
        let Some(inputs) = subkey.desc.strip_prefix("inputs:") else {
            continue;
        };
        let Some(inputs) = Digest::from_hex(inputs.as_bytes()) else {
            continue;
        };
        for &i in &traced {
            if cache.runs[i].test_id == Some(subkey.parent) {
                cache.runs[i].inputs_id = Some(inputs);
            }
        }
    }
}

/// The test binary's ID a `testResult` block is keyed on (`test binary <id> args …`).
fn test_binary<'x>(result: &'x Action<'_>) -> Option<&'x str> {
    result.inputs().find_map(|i| {
        if let Input::TestBinary { id, .. } = i {
            Some(id.as_ref())
        } else {
            None
        }
    })
}

/// What one `testcache:` line says about its package's run.
fn record(run: &mut TestRun, event: &TestCacheEvent<'_>) {
    use TestCacheEvent::*;
    let mut miss = |why: String| {
        run.cached = false;
        run.miss.get_or_insert(why);
    };
    match event {
        TestId {
            binary_id, test_id, ..
        } => {
            // The first is keyed on the test binary's action ID; a second one (after a run) on
            // its content ID.
            if run.test_id.is_none() {
                run.binary_id = Some(binary_id.to_string());
                run.test_id = Some(*test_id);
            }
        }
        InputsLookup { inputs_id, .. } => {
            run.inputs_id = Some(*inputs_id);
            run.cached = true;
        }
        Save {
            test_id, inputs_id, ..
        } => {
            if Some(*test_id) == run.test_id || run.test_id.is_none() {
                run.inputs_id = Some(*inputs_id);
            }
            run.saved = true;
        }
        DisabledOutsideModule { .. } => miss("the package is outside any module".into()),
        InputListNotFound { .. } => miss(
            "no earlier run of this test binary with these flags (input list not found)".into(),
        ),
        InputListMalformed { .. } => miss("the cached input list is malformed".into()),
        InputFileRejected { path, reason, .. } => {
            miss(format!("input file {path}: {reason}"));
            run.rejected.get_or_insert(RejectedInput {
                path: path.to_string(),
                reason: reason.to_string(),
            });
        }
        OutputNotFound { .. } => {
            miss("an earlier run exists, but with other inputs (test output not found)".into())
        }
        OutputMalformed { .. } => miss("the cached test output is malformed".into()),
        OutputExpired { .. } => miss("go clean -testcache expired the cached output".into()),
        CoverProfileMissing { .. } => miss("the cached cover profile is missing".into()),
        CoverageMetadataChanged { .. } => miss("coverage metadata changed".into()),
        TestlogUnreadable { detail, .. } => miss(format!("reading the test log: {detail}")),
        CoverProfileUnreadable { detail, .. } => {
            miss(format!("reading the cover profile: {detail}"))
        }
        DisabledLocalDirectory | DisabledByArgument { .. } | Other(_) => {}
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

fn test_input(input: &Input<'_>, by_id: &FxHashMap<Digest, &Action<'_>>) -> Option<TestInput> {
    let (op, name, hash) = if let Input::TestEnv { name, hash } = input {
        (InputOp::Env, name, *hash)
    } else if let Input::TestChdir { path, hash } = input {
        (InputOp::Chdir, path, *hash)
    } else if let Input::TestStat { path, hash } = input {
        (InputOp::Stat, path, *hash)
    } else if let Input::TestOpen { path, hash } = input {
        (InputOp::Open, path, *hash)
    } else {
        return None;
    };
    let detail = match by_id.get(&hash) {
        None => InputDetail::NotPrinted,
        Some(block) => nested_detail(block),
    };
    Some(TestInput {
        op,
        name: name.to_string(),
        hash,
        detail,
    })
}

fn nested_detail(block: &Action<'_>) -> InputDetail {
    let mut stat = None;
    let mut entries = Vec::new();
    for input in block.inputs() {
        if let Input::EnvUnset = input {
            return InputDetail::Unset;
        } else if let Input::EnvValue(v) = input {
            return InputDetail::Value(v.to_string());
        } else if let Input::EnvRedacted(sha) = input {
            return InputDetail::Redacted(sha.to_string());
        } else if let Input::StatError(e) = input {
            return InputDetail::Error(e.to_string());
        } else if let Input::Stat(s) = input
            && stat.is_none()
        {
            stat = Some(s.clone().into_owned());
        } else if let Input::DirEntry { name, stat, .. } = input {
            entries.push((name.to_string(), stat.clone().map(|s| s.into_owned())));
        }
    }
    match (stat, entries.is_empty()) {
        (Some(stat), true) => InputDetail::Stat(stat),
        (Some(stat), false) => InputDetail::Dir { stat, entries },
        (None, _) => InputDetail::NotPrinted,
    }
}
