//! `whymiss check`: build as this machine and as another would, attribute each difference to
//! its variation, and report it through the gate.

use std::io::Write;

use crate::check::{self, CheckSpec};
use crate::cli::{OutputOptions, ReportFormat};
use crate::error::Error;
use crate::go::load;
use crate::parse::ParseOptions;
use crate::report::Styles;

use super::Outcome;
use super::compare::{page_graph, write_comparison};

pub(crate) fn run(
    spec: &CheckSpec,
    notes: &[String],
    parse: &ParseOptions,
    output: &OutputOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let mut found = check::run(spec, parse)?;
    found.comparison.notes.extend(notes.iter().cloned());
    // The engine parsed the logs already and dropped them; only a page needs them again.
    let graph = if output.format == ReportFormat::Html {
        let test = spec.command.is_test();
        let la = load::parse_side(&found.runs[0], test, parse)?;
        let lb = load::parse_side(&found.runs[1], test, parse)?;
        page_graph(output, &found.comparison, [&la, &lb])
    } else {
        None
    };
    // A build that failed is a doubt of the comparison: its verdict is inconclusive, and the
    // gate exits 2.
    write_comparison(
        out,
        &found.comparison,
        graph,
        output,
        styles,
        "whymiss check",
    )
}
