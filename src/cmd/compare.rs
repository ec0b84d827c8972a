//! `whymiss compare A B`: two logs or captures, read and parsed on two threads, compared and
//! reported through the gate.

use std::io::Write;
use std::path::Path;

use crate::cli::{Format, OutputOptions};
use crate::diff;
use crate::error::Error;
use crate::go::load::{self, ReadOptions};
use crate::go::sources::DiskSources;
use crate::report::{self, Styles};

use super::Outcome;

pub fn run(
    a: &Path,
    b: &Path,
    read: &ReadOptions,
    output: &OutputOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (fa, fb) = load::read_pair(a, b, read.max_size)?;
    let (la, lb) = load::parse_pair(&fa, &fb, &read.parse)?;
    // Files the logs hashed that are on this machine with that content say which build tag
    // selects them.
    let mut result =
        diff::compare_with_sources(&la, &lb, fa.info_for(&la), fb.info_for(&lb), &DiskSources);
    if output.allow_truncated {
        result.accept_truncated();
    }
    // A capture of a failed go command is a doubt of the comparison: its verdict is
    // inconclusive (exit 2), which the gate says.
    write_comparison(out, &result, output, styles)
}

/// Renders a comparison and maps it to an outcome through the gate.
pub(super) fn write_comparison(
    out: &mut dyn Write,
    result: &diff::Comparison,
    output: &OutputOptions,
    styles: &Styles,
) -> Result<Outcome, Error> {
    let decision = output.gate.decide(result);
    match output.format {
        Format::Text => report::text::write_report(
            out,
            result,
            &decision,
            report::text::TextOptions { all: output.all },
            styles,
        ),
        Format::Json => report::json::write_report(out, result, &output.gate, &decision),
    }
    .or_else(quiet_broken_pipe)?;
    Ok(Outcome::of_decision(&decision))
}

/// A reader that closes the pipe early (`| head`) does not change the exit status: the verdict
/// decides it, whatever was written.
pub(super) fn quiet_broken_pipe(e: std::io::Error) -> Result<(), Error> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(Error::Output(e))
    }
}
