//! `whymiss why [RECORD] [--against RECORD]`: explain every action that ran in a recorded
//! build (default: the latest record of this module) against the history.

use std::io::Write;

use crate::cli::{Format, RecordRef, WhyOptions};
use crate::error::Error;
use crate::history::{History, module_of};
use crate::report::Styles;
use crate::report::why::{self as render, write_json, write_text};
use crate::why::{self, Reason};

use super::Outcome;

pub fn run(opts: &WhyOptions, styles: &Styles, out: &mut dyn Write) -> Result<Outcome, Error> {
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
        Format::Text => write_text(
            out,
            &report,
            &decisions,
            render::WhyOptions {
                all: opts.output.all,
            },
            styles,
        ),
        Format::Json => write_json(out, &report, &opts.output.gate, &decisions, exit_code),
        Format::Html => return Err(no_page("why")),
    }
    .map_err(Error::Output)?;
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

/// `--format html` of a command that has no page.
pub fn no_page(command: &str) -> Error {
    Error::Usage(format!(
        "`whymiss {command}` writes text or json; the HTML page is for comparisons (the default \
check, diff, compare, demo) and explain"
    ))
}
