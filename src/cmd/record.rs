//! `whymiss record [-- GO ARGS]` / `whymiss record --cmd 'make build'`: run the build for real,
//! in the user's own cache, observe which actions hit and which ran, and store it as a record
//! in the history. The build's output passes through untouched and whymiss exits with its
//! status; one line on standard error says what was recorded.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::go::toolchain::resolve_go;
use crate::history::{History, module_of};
use crate::model::{Invocation, Method, Outcome as Seen, Record, Work};
use crate::record::{self, BuildCommand, Launched};
use crate::report::plural;

use super::Outcome;

/// A resolved `whymiss record`.
#[derive(Debug, Clone)]
pub struct RecordOptions {
    pub command: BuildCommand,
    /// `--go`: the go every `go` of the command runs (default: `$GO`, else go on PATH).
    pub go: Option<String>,
    pub dir: PathBuf,
    /// The history file (resolved from `--history`, `$WHYMISS_HISTORY` or the default).
    pub history: PathBuf,
    pub keep: usize,
    pub quiet: bool,
}

pub(crate) fn run(opts: &RecordOptions) -> Result<Outcome, Error> {
    let real_go = resolve_go(opts.go.as_deref())?;
    let dir = std::path::absolute(&opts.dir).unwrap_or_else(|_| opts.dir.clone());
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "--dir {}: not a directory",
            dir.display()
        )));
    }
    let launched = record::launch(&opts.command, &real_go, &dir)?;
    let status = launched.exit_status;
    match store(opts, &dir, &launched) {
        Ok(message) => Ok(Outcome::Recorded {
            status,
            message: if opts.quiet { String::new() } else { message },
        }),
        // The build's own status comes first; a build that passed but could not be recorded
        // is trouble.
        Err(e) => Ok(Outcome::Recorded {
            status: if status == 0 { 2 } else { status },
            message: format!("the build ran, but recording it failed: {e}"),
        }),
    }
}

/// Collects every invocation, fills in missing inputs, stores the record and prunes; returns
/// the line for standard error.
fn store(opts: &RecordOptions, dir: &Path, launched: &Launched) -> Result<String, Error> {
    if launched.invocations.is_empty() {
        return Ok(format!(
            "recorded nothing: no go command that builds ran through whymiss's go shim \
             (a script that calls go by absolute path, or resets PATH, escapes it){}",
            if launched.exit_status != 0 {
                format!("; the command exited {}", launched.exit_status)
            } else {
                String::new()
            }
        ));
    }
    let mut history = History::open(&opts.history)?;
    let (module, _root) = module_of(dir);
    let mut invocations = Vec::new();
    for (i, (files, meta)) in launched.invocations.iter().enumerate() {
        let seq = i as u32 + 1;
        let mut inv = record::collect(seq, files, meta);
        if needs_rerun(&inv, &history)? && meta.signal.is_none() {
            // A build that took everything from the cache, with keys this history has never
            // seen the inputs of (the first record in a warm cache): the dry rerun shows them.
            let mut meta = meta.clone();
            match record::rerun_after(&launched.real_go, files, &meta) {
                Ok(status) => {
                    meta.rerun_status = Some(status);
                    inv = record::collect(seq, files, &meta);
                }
                Err(e) => inv
                    .notes
                    .push(format!("dry rerun for the inputs failed: {e}")),
            }
        }
        if inv.go_version.is_none() {
            inv.go_version = launched.go_env.get("GOVERSION").cloned();
        }
        invocations.push(inv);
    }
    let record = Record {
        id: 0,
        module: module.clone(),
        dir: dir.display().to_string(),
        started_ms: launched.started_ms,
        duration_ms: launched.duration_ms,
        command: opts.command.display(),
        go_version: launched.go_env.get("GOVERSION").cloned(),
        exit_status: launched.exit_status,
        env: launched.go_env.clone(),
        host: Some(crate::go::side::hostname()),
        invocations,
    };
    let id = history.insert(&record)?;
    history.prune(&module, opts.keep)?;
    Ok(summary_line(&record, id, history.path()))
}

/// Whether an invocation observed through the action graph alone holds compiles whose inputs
/// neither it nor the history knows.
fn needs_rerun(inv: &Invocation, history: &History) -> Result<bool, Error> {
    if inv.method != Method::ActionGraph {
        return Ok(false);
    }
    let unknown: Vec<[u8; 15]> = inv
        .actions
        .iter()
        .filter(|a| a.work == Work::Build && a.inputs.is_none())
        .map(|a| a.key.short)
        .collect();
    if unknown.is_empty() {
        return Ok(false);
    }
    let known = history.known_inputs(&unknown)?;
    Ok(unknown.iter().any(|s| !known.contains(s)))
}

/// `recorded go build ./...: 93 actions, 91 from the cache (98%), 2 ran; record 17 in …`
fn summary_line(record: &Record, id: i64, path: &Path) -> String {
    let (mut total, mut hits, mut ran) = (0usize, 0usize, 0usize);
    for a in record.invocations.iter().flat_map(|i| &i.actions) {
        if matches!(a.work, Work::Build | Work::Test) {
            total += 1;
            if a.outcome == Seen::Hit {
                hits += 1;
            } else if a.outcome.ran() {
                ran += 1;
            }
        }
    }
    let processes = if record.invocations.len() == 1 {
        String::new()
    } else {
        format!(" in {} go commands", record.invocations.len())
    };
    let rate = crate::report::percent(hits, total)
        .map(|p| format!(" ({p}%)"))
        .unwrap_or_default();
    let next = if ran > 0 {
        "; `whymiss why` explains what ran"
    } else {
        ""
    };
    format!(
        "record {id}: {}{processes}, {hits} from the cache{rate}, {ran} ran; history {}{next}",
        plural(total, "action"),
        path.display(),
    )
}
