//! `whymiss why [RECORD] [--against RECORD]`: explain every action that ran in a recorded
//! build (default: the latest record of this module) against the history.

use std::io::Write;

use crate::cli::{RecordRef, ReportFormat, WhyOptions};
use crate::diff::gate::Decision;
use crate::diff::{Comparison, ComparisonMode, Verdict};
use crate::error::Error;
use crate::history::{History, module_of};
use crate::report::why::{self as render, write_json, write_text};
use crate::report::{self, Styles};
use crate::why::WhyReport;
use crate::why::{self, Reason};

use super::Outcome;

pub(crate) fn run(
    opts: &WhyOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    if opts.output.junit.is_some() {
        return Err(Error::Usage(
            "--junit is for one comparison (check, diff, compare); `why` writes text, json, \
             markdown or github"
                .into(),
        ));
    }
    let history = History::open_existing(&opts.history)?;
    let (module, _) = module_of(&opts.dir);
    let id = resolve(&history, opts.record, &module)?;
    let against = opts
        .against
        .map(|r| resolve(&history, r, &module))
        .transpose()?;
    if against == Some(id) {
        return Err(Error::Usage(format!(
            "--against names record {id}, the record being explained"
        )));
    }
    let loaded = history
        .load(id)?
        .ok_or_else(|| Error::NoRecord(format!("no record {id} in the history")))?;
    let report = why::explain(&history, &loaded, against)?;
    let decisions: Vec<_> = report
        .changed
        .iter()
        .map(|g| opts.output.gate.decide(&g.comparison))
        .collect();
    // Exit 1 when something ran because its key changed and the gate counts its category (a
    // change whose earlier inputs are unknown counts unless the gate is narrowed).
    let unknown = report
        .misses
        .iter()
        .any(|m| matches!(m.reason, Reason::ChangedInputsUnknown { .. }));
    let fails =
        decisions.iter().any(|d| d.exit_code == 1) || (unknown && opts.output.gate.is_default());
    let exit_code = i32::from(fails);
    match opts.output.format {
        ReportFormat::Text => write_text(
            out,
            &report,
            &decisions,
            render::WhyOptions {
                all: opts.output.all,
            },
            styles,
        ),
        ReportFormat::Json => write_json(out, &report, &opts.output.gate, &decisions, exit_code),
        ReportFormat::Markdown => write_markdown(out, &report, &decisions),
        ReportFormat::Github => report
            .changed
            .iter()
            .zip(&decisions)
            .try_for_each(|(g, d)| {
                report::github::write_report(out, &g.comparison, d, &group_title(&report, g))
            }),
        ReportFormat::Html => write_page(out, &history, &loaded, &report, &decisions),
    }
    .map_err(Error::Output)?;
    if let Some(path) = &opts.output.step_summary {
        let mut md = Vec::new();
        write_markdown(&mut md, &report, &decisions).map_err(Error::Output)?;
        super::compare::append(path, &md)?;
    }
    Ok(Outcome::of_gate(exit_code))
}

/// The record a command-line reference names.
fn resolve(history: &History, r: RecordRef, module: &str) -> Result<i64, Error> {
    match r {
        RecordRef::Id(id) => Ok(id),
        RecordRef::Latest(n) => {
            let latest = history.latest(module)?.ok_or_else(|| {
                Error::NoRecord(format!(
                    "no record of module {module} in {}: run `whymiss record` in it first \
                     (`whymiss history --all-modules` lists every module's records)",
                    history.path().display()
                ))
            })?;
            history.before(latest, n)?.ok_or_else(|| {
                Error::NoRecord(format!(
                    "module {module} has no record {n} before the latest (see `whymiss history`)"
                ))
            })
        }
    }
}

/// The markdown summary of a record: the hit rate, then each comparison as `compare` writes it.
fn write_markdown(
    w: &mut dyn Write,
    report: &WhyReport,
    decisions: &[Decision],
) -> std::io::Result<()> {
    writeln!(w, "### whymiss why: record {}\n", report.record.id)?;
    writeln!(
        w,
        "{} actions: {}.\n",
        report.summary.actions,
        what_ran(report)
    )?;
    for (g, d) in report.changed.iter().zip(decisions) {
        report::markdown::write_report(w, &g.comparison, d, &group_title(report, g))?;
        writeln!(w)?;
    }
    Ok(())
}

/// `54 served from the cache (98%), 1 ran: 1 with a changed key, …, 0 new`: the summary the
/// markdown and the page share.
fn what_ran(report: &WhyReport) -> String {
    let s = &report.summary;
    format!(
        "{} served from the cache ({}%), {} ran: {} with a changed key, {} with the same key as \
         before but not in the cache, {} new",
        s.hits,
        report::percent(s.hits, s.actions).unwrap_or(100),
        s.ran,
        s.changed,
        s.same_key,
        s.new
    )
}

/// `whymiss why: record 7 against record 5`.
fn group_title(report: &WhyReport, g: &crate::why::ChangedGroup) -> String {
    format!(
        "whymiss why: record {} against record {}",
        report.record.id, g.against.id
    )
}

/// The page of a record: the comparison of its first go command whose keys changed, as the
/// default check's page shows one, with the record's hit rate first among the notes (the text
/// report lists every go command's comparison; a page shows one graph).
fn write_page(
    w: &mut dyn Write,
    history: &History,
    loaded: &crate::history::Loaded,
    report: &WhyReport,
    decisions: &[Decision],
) -> std::io::Result<()> {
    let mut head = vec![format!(
        "record {}: {} actions, {}",
        report.record.id,
        report.summary.actions,
        what_ran(report)
    )];
    if report.changed.len() > 1 {
        head.push(format!(
            "this page shows the first of {} go commands whose keys changed; `whymiss why` \
             (text) lists them all",
            report.changed.len()
        ));
    }
    let Some((group, decision)) = report.changed.first().zip(decisions.first()) else {
        // Nothing ran because its key changed: the page says so, with no graph to show.
        let side = |label: String| crate::model::SideInfo {
            label,
            source: "record".into(),
            ..Default::default()
        };
        let empty = Comparison {
            a: side("earlier records".into()),
            b: side(format!("record {}", report.record.id)),
            mode: ComparisonMode::Exact,
            verdict: Verdict::Same,
            doubts: Vec::new(),
            summary: Default::default(),
            settings: Vec::new(),
            causes: Vec::new(),
            actions: Vec::new(),
            graph: Default::default(),
            notes: head,
            partial: false,
        };
        let none = crate::model::BuildLog::default();
        let graph = report::html::comparison_graph(&empty, [&none, &none]);
        let decision = crate::diff::gate::Gate::default().decide(&empty);
        let page = report::html::comparison_page(&empty, graph, &decision);
        return report::html::write_why(
            w,
            page,
            &format!("whymiss why: record {}", report.record.id),
        );
    };
    let logs = group_logs(history, loaded, group).map_err(std::io::Error::other)?;
    let (la, lb) = (
        crate::parse::parse_log(&logs[0]).map_err(|e| std::io::Error::other(e.to_string()))?,
        crate::parse::parse_log(&logs[1]).map_err(|e| std::io::Error::other(e.to_string()))?,
    );
    let mut comparison = group.comparison.clone();
    comparison.notes.splice(0..0, head);
    let graph = report::html::comparison_graph(&comparison, [&la, &lb]);
    let title = group_title(report, group);
    report::html::write_why(
        w,
        report::html::comparison_page(&comparison, graph, decision),
        &title,
    )
}

/// The two gocachehash logs a changed group compared (the earlier go command's, this one's),
/// rebuilt from the history as `why` rebuilt them.
fn group_logs(
    history: &History,
    loaded: &crate::history::Loaded,
    group: &crate::why::ChangedGroup,
) -> Result<[Vec<u8>; 2], Error> {
    let row = |l: &crate::history::Loaded, seq: u32| {
        l.record
            .invocations
            .iter()
            .position(|i| i.seq == seq)
            .map(|i| l.invocation_rows[i])
            .ok_or_else(|| Error::NoRecord(format!("record {}: no go command {seq}", l.record.id)))
    };
    let earlier = history.load(group.against.id)?.ok_or_else(|| {
        Error::NoRecord(format!(
            "record {} vanished from the history",
            group.against.id
        ))
    })?;
    Ok([
        history.log_of(row(&earlier, group.against_invocation)?)?,
        history.log_of(row(loaded, group.invocation)?)?,
    ])
}
