//! The explanation of a record's misses. For each compile or test that ran:
//!
//! 1. its key was observed in an earlier record → **same key**: the inputs did not change, the
//!    cache did not have the entry (with GOCACHEPROG: if the program had acknowledged storing
//!    it, the backend lost it);
//! 2. else an action of the same name (and variant) exists in an earlier record of the module
//!    → **key changed**: the invocation that held it and this one are rebuilt from the history
//!    as gocachehash logs, parsed, and compared by the same engine as `whymiss compare`
//!    ([`crate::diff::compare`]); the comparison is cut down to the actions that ran and what
//!    caused them ([`super::restrict`]);
//! 3. else → **new**.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::report::{BackendView, ChangedGroup, Miss, Reason, RecordRef, WhyReport, WhySummary};
use super::restrict::restrict;
use crate::diff::{self, Status};
use crate::error::Error;
use crate::history::{Baseline, History, Loaded};
use crate::model::{
    BackendSummary, BuildLog, Invocation, Observed, Outcome, Record, RequestKind, RequestOutcome,
    SideInfo, Work,
};
use crate::parse::parse_log;
use crate::record::collect::{KEPT_ENV, SLOW_US};

/// Misses to compare, by (earlier invocation row, this invocation's index): indexes into the
/// record's misses.
type Pending = BTreeMap<(i64, usize), Vec<usize>>;

/// Explains the record `loaded`; with `against`, changed keys are compared with that record.
pub fn explain(
    history: &History,
    loaded: &Loaded,
    against: Option<i64>,
) -> Result<WhyReport, Error> {
    let record = &loaded.record;
    let mut explainer = Explainer {
        history,
        loaded,
        against,
        refs: HashMap::new(),
    };
    let mut notes = Vec::new();
    let mut summary = WhySummary::default();
    let mut pending = Pending::new();
    let mut misses = explainer.misses(&mut summary, &mut pending)?;
    let changed = explainer.compare_pending(pending, &mut misses, &mut notes)?;
    let backends = backend_views(history, record, &mut misses)?;
    count_reasons(&misses, &mut summary);
    notes.extend(record_notes(history, record, &misses, &summary)?);
    Ok(WhyReport {
        record: record.clone(),
        summary,
        misses,
        changed,
        backends,
        notes,
    })
}

/// What explaining one record reads from, and the earlier records it has named so far.
struct Explainer<'h> {
    history: &'h History,
    loaded: &'h Loaded,
    against: Option<i64>,
    /// Earlier records by id, each looked up once.
    refs: HashMap<i64, RecordRef>,
}

impl Explainer<'_> {
    /// How the report names earlier record `id` (looked up once).
    fn record_ref(&mut self, id: i64) -> Result<RecordRef, Error> {
        if let Some(r) = self.refs.get(&id) {
            return Ok(r.clone());
        }
        let (started_ms, command) = self.history.record_head(id)?.unwrap_or_default();
        let r = RecordRef {
            id,
            started_ms,
            command,
        };
        self.refs.insert(id, r.clone());
        Ok(r)
    }

    /// Counts every action of the record into `summary` and gives each compile or test that
    /// ran a miss with its reason; a changed key's miss waits in `pending` for its comparison.
    fn misses(
        &mut self,
        summary: &mut WhySummary,
        pending: &mut Pending,
    ) -> Result<Vec<Miss>, Error> {
        let loaded = self.loaded;
        let mut misses: Vec<Miss> = Vec::new();
        for (i, inv) in loaded.record.invocations.iter().enumerate() {
            let argv = serde_json::to_string(&inv.argv).unwrap_or_default();
            for (j, a) in inv.actions.iter().enumerate() {
                if !count_action(a, summary) {
                    continue;
                }
                let (row, _) = loaded.action_rows[i][j];
                let reason = self.reason(row, i, a, &argv, misses.len(), pending)?;
                misses.push(miss(inv.seq, a, reason));
            }
        }
        Ok(misses)
    }

    /// Why action `a` (row `row`, of invocation `i`, with arguments `argv`) ran: its key seen
    /// in an earlier record, else an earlier action of its name to compare with (queued in
    /// `pending` as miss `index`), else new.
    fn reason(
        &mut self,
        row: i64,
        i: usize,
        a: &Observed,
        argv: &str,
        index: usize,
        pending: &mut Pending,
    ) -> Result<Reason, Error> {
        let sightings = self.history.sightings(row, self.loaded.record.id)?;
        let seen = sightings
            .iter()
            .find(|s| matches!(s.outcome, Outcome::Hit | Outcome::Ran))
            .or(sightings.first());
        if let Some(s) = seen {
            let earlier = self.record_ref(s.record)?;
            return Ok(Reason::SameKey {
                earlier,
                then: s.outcome,
                lost_by_backend: None,
            });
        }
        Ok(match self.baseline(a, argv)? {
            None => Reason::New,
            Some(b) if !b.has_inputs => Reason::ChangedInputsUnknown {
                earlier: self.record_ref(b.record)?,
            },
            Some(b) => {
                pending.entry((b.invocation, i)).or_default().push(index);
                Reason::Changed {
                    group: usize::MAX,
                    status: None,
                }
            }
        })
    }

    /// The earlier invocation to compare action `a` with: in record `against` when given,
    /// else the newest earlier record of the module that observed it (`History::baseline`).
    fn baseline(&self, a: &Observed, argv: &str) -> Result<Option<Baseline>, Error> {
        let record = &self.loaded.record;
        Ok(match self.against {
            Some(r) => self
                .history
                .invocation_like(r, argv, &a.name)?
                .map(|inv| Baseline {
                    record: r,
                    invocation: inv,
                    has_inputs: true,
                }),
            None => self
                .history
                .baseline(&a.name, a.variant, &record.module, record.id, argv)?,
        })
    }

    /// Compares every pending pair of invocations, one changed group each.
    fn compare_pending(
        &mut self,
        pending: Pending,
        misses: &mut [Miss],
        notes: &mut Vec<String>,
    ) -> Result<Vec<ChangedGroup>, Error> {
        let mut changed = Vec::new();
        for ((earlier_inv, i), idx) in pending {
            let group = changed.len();
            if let Some(g) = self.compare_group(earlier_inv, i, &idx, group, misses, notes)? {
                changed.push(g);
            }
        }
        Ok(changed)
    }

    /// Rebuilds the logs of earlier invocation row `earlier_inv` and this record's invocation
    /// `i`, compares them, and gives misses `idx` their label, group number `group` and status.
    /// When a stored log does not parse back: a note, the misses' earlier inputs unknown, and
    /// no group.
    fn compare_group(
        &mut self,
        earlier_inv: i64,
        i: usize,
        idx: &[usize],
        group: usize,
        misses: &mut [Miss],
        notes: &mut Vec<String>,
    ) -> Result<Option<ChangedGroup>, Error> {
        let (history, loaded) = (self.history, self.loaded);
        let record = &loaded.record;
        let inv = &record.invocations[i];
        let (earlier_record, earlier_seq) =
            history.invocation_record(earlier_inv)?.unwrap_or((0, 0));
        let earlier = history
            .load(earlier_record)?
            .ok_or_else(|| Error::NoRecord(format!("record {earlier_record} vanished")))?;
        let earlier_inv_model = earlier
            .record
            .invocations
            .iter()
            .find(|x| x.seq == earlier_seq)
            .cloned();
        let text_a = history.log_of(earlier_inv)?;
        let text_b = history.log_of(loaded.invocation_rows[i])?;
        let (log_a, log_b) = match (parse_log(&text_a), parse_log(&text_b)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                notes.push(format!(
                    "the stored inputs of record {earlier_record} or {} could not be read back ({e}); \
                     their changed keys are not explained",
                    record.id
                ));
                for &m in idx {
                    misses[m].reason = Reason::ChangedInputsUnknown {
                        earlier: self.record_ref(earlier_record)?,
                    };
                }
                return Ok(None);
            }
        };
        relabel(&log_b, idx, misses);
        let side_a = side_info(
            &earlier.record.module,
            earlier_record,
            earlier.record.started_ms,
            earlier_inv_model.as_ref(),
        );
        let side_b = side_info(&record.module, record.id, record.started_ms, Some(inv));
        let full = diff::compare(&log_a, &log_b, side_a, side_b);
        let wanted: HashSet<String> = idx.iter().map(|&m| misses[m].label.clone()).collect();
        let comparison = restrict(&full, &wanted);
        self.assign_group(&comparison, idx, group, misses);
        Ok(Some(ChangedGroup {
            against: self.record_ref(earlier_record)?,
            against_invocation: earlier_seq,
            invocation: inv.seq,
            comparison,
        }))
    }

    /// Gives misses `idx` group `group` and their status in `comparison`; with `against`, an
    /// action only this record has is new.
    fn assign_group(
        &self,
        comparison: &diff::Comparison,
        idx: &[usize],
        group: usize,
        misses: &mut [Miss],
    ) {
        for &m in idx {
            let status = comparison
                .actions
                .iter()
                .find(|a| a.label == misses[m].label)
                .map(|a| a.status);
            misses[m].reason = if status == Some(Status::OnlyB) && self.against.is_some() {
                Reason::New
            } else {
                Reason::Changed { group, status }
            };
        }
    }
}

/// Counts action `a` into `summary`; true when it is a compile or test that ran (a miss to
/// explain).
fn count_action(a: &Observed, summary: &mut WhySummary) -> bool {
    match a.work {
        Work::Link => {
            summary.links += 1;
            summary.links_ran += usize::from(a.outcome.ran());
            return false;
        }
        Work::Build | Work::Test => {}
    }
    summary.actions += 1;
    if a.work == Work::Test {
        summary.tests += 1;
    }
    if a.outcome == Outcome::Hit {
        summary.hits += 1;
        summary.tests_cached += usize::from(a.work == Work::Test);
        return false;
    }
    if !a.outcome.ran() {
        return false;
    }
    summary.ran += 1;
    true
}

/// The miss of action `a` of go command `seq`.
fn miss(seq: u32, a: &Observed, reason: Reason) -> Miss {
    // The label the comparison gives it (`Action::label`): a test variant says so.
    let label = if a.variant == crate::model::Variant::Test && !a.name.ends_with("_test") {
        format!("{} [test]", a.name)
    } else {
        a.name.clone()
    };
    Miss {
        invocation: seq,
        name: a.name.clone(),
        label,
        work: a.work,
        key: a.key.hex(),
        outcome: a.outcome,
        detail: a.detail.clone(),
        duration_ms: a.duration_ms,
        reason,
    }
}

/// Gives misses `idx` the labels of their actions in the rebuilt log (`build p [test]`).
fn relabel(log: &BuildLog<'_>, idx: &[usize], misses: &mut [Miss]) {
    let labels: HashMap<String, String> = log
        .actions
        .iter()
        .filter_map(|a| a.id.map(|id| (id.to_string(), a.label())))
        .collect();
    for &m in idx {
        if let Some(l) = labels.get(&misses[m].key) {
            misses[m].label = l.clone();
        }
    }
}

/// What each go command's cache program did; the same-key misses whose key it had stored
/// before are marked lost by the backend.
fn backend_views(
    history: &History,
    record: &Record,
    misses: &mut [Miss],
) -> Result<Vec<BackendView>, Error> {
    let mut backends = Vec::new();
    for inv in &record.invocations {
        let Some(s) = &inv.backend else { continue };
        let view = backend_view(history, record.id, inv.seq, s)?;
        let lost: HashMap<String, i64> = view
            .lost
            .iter()
            .map(|(q, r)| (q.key.to_string(), *r))
            .collect();
        for m in misses.iter_mut().filter(|m| m.invocation == inv.seq) {
            if let Reason::SameKey {
                lost_by_backend, ..
            } = &mut m.reason
            {
                *lost_by_backend = lost.get(&m.key).copied();
            }
        }
        backends.push(view);
    }
    Ok(backends)
}

/// The cache program of go command `seq` of record `record_id`: the misses it answered for
/// keys stored in an earlier record, its errors, and its slow requests (slowest first).
fn backend_view(
    history: &History,
    record_id: i64,
    seq: u32,
    s: &BackendSummary,
) -> Result<BackendView, Error> {
    let mut view = BackendView {
        invocation: seq,
        summary: s.clone(),
        lost: Vec::new(),
        errors: Vec::new(),
        slow: Vec::new(),
    };
    for q in &s.requests {
        match (q.kind, q.outcome) {
            (RequestKind::Get, RequestOutcome::Miss) => {
                if let Some(r) = history.stored_before(&q.key, record_id)? {
                    view.lost.push((q.clone(), r));
                }
            }
            (_, RequestOutcome::Error | RequestOutcome::Unanswered) => view.errors.push(q.clone()),
            _ => {}
        }
        if q.latency_us >= SLOW_US {
            view.slow.push(q.clone());
        }
    }
    view.slow.sort_by_key(|q| std::cmp::Reverse(q.latency_us));
    Ok(view)
}

/// Counts the misses into `summary` by reason.
fn count_reasons(misses: &[Miss], summary: &mut WhySummary) {
    for m in misses {
        match &m.reason {
            Reason::SameKey {
                lost_by_backend, ..
            } => {
                summary.same_key += 1;
                summary.lost_by_backend += usize::from(lost_by_backend.is_some());
            }
            Reason::Changed { .. } | Reason::ChangedInputsUnknown { .. } => summary.changed += 1,
            Reason::New => summary.new += 1,
        }
    }
}

/// How an invocation of a record shows as a side of a comparison.
fn side_info(module: &str, id: i64, started_ms: i64, inv: Option<&Invocation>) -> SideInfo {
    let mut info = SideInfo {
        label: format!("record {id}"),
        source: format!("record {id} ({module})"),
        time: Some(crate::report::history::time_of(started_ms)),
        ..SideInfo::default()
    };
    if let Some(inv) = inv {
        info.go_version = inv.go_version.clone();
        info.dir = Some(inv.dir.clone());
        info.args = inv.argv.clone();
        info.exit_status = inv.exit_status;
        // Every kept variable on both sides (empty when unset), so one set on one side only
        // shows as a setting that differs.
        info.go_env = KEPT_ENV
            .iter()
            .map(|&k| (k.to_string(), inv.env.get(k).cloned().unwrap_or_default()))
            .collect();
    }
    info
}

/// What the record as a whole suggests: an empty or different cache, tests that could not be
/// cached, actions go never reached, inputs whymiss could not see.
fn record_notes(
    history: &History,
    record: &Record,
    misses: &[Miss],
    summary: &WhySummary,
) -> Result<Vec<String>, Error> {
    let mut notes = Vec::new();
    if summary.same_key > 0 && summary.hits == 0 {
        notes.push(
            "nothing came from the cache although earlier records built the same keys: the \
             cache looks empty (not restored in CI, a new GOCACHE, or `go clean -cache`)"
                .to_string(),
        );
    }
    let mut earlier: Vec<i64> = misses
        .iter()
        .filter_map(|m| match &m.reason {
            Reason::SameKey { earlier, .. } => Some(earlier.id),
            _ => None,
        })
        .collect();
    earlier.sort_unstable();
    earlier.dedup();
    for id in earlier {
        let Some(env) = history.record_env(id)? else {
            continue;
        };
        for key in ["GOCACHE", "GOCACHEPROG"] {
            let (then, now) = (env.get(key), record.env.get(key));
            if then != now {
                notes.push(format!(
                    "{key} differs from record {id}'s, where the same keys were seen: {} then, {} now",
                    then.map_or("unset", String::as_str),
                    now.map_or("unset", String::as_str)
                ));
            }
        }
    }
    for inv in &record.invocations {
        if inv.not_reached > 0 {
            notes.push(format!(
                "go command {}: {} {} never reached (a dependency failed)",
                inv.seq,
                crate::report::plural(inv.not_reached as usize, "action"),
                if inv.not_reached == 1 { "was" } else { "were" }
            ));
        }
        if !inv.uncached_tests.is_empty() {
            notes.push(format!(
                "go command {}: {} ran with the test cache off (-count=1 or another flag outside \
                 the cacheable set): not cache misses",
                inv.seq,
                crate::report::plural(inv.uncached_tests.len(), "test")
            ));
        }
        for n in &inv.notes {
            notes.push(format!("go command {}: {n}", inv.seq));
        }
    }
    Ok(notes)
}
