//! `whymiss check`: build as this machine and as another would, attribute each difference to
//! its variation, and report it through the gate.

use std::io::Write;

use crate::check::{self, CheckSpec};
use crate::cli::OutputOptions;
use crate::error::Error;
use crate::go::load;
use crate::report::Styles;

use super::Outcome;
use super::compare::{page_graph, write_comparison};

pub fn run(
    spec: &CheckSpec,
    notes: &[String],
    output: &OutputOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let mut found = check::run(spec)?;
    found.comparison.notes.extend(notes.iter().cloned());
    let graph = {
        let test = spec.command.is_test();
        let la = load::parse_side(&found.runs[0], test)?;
        let lb = load::parse_side(&found.runs[1], test)?;
        page_graph(output, &found.comparison, [&la, &lb])
    };
    let outcome = write_comparison(
        out,
        &found.comparison,
        graph,
        output,
        styles,
        "whymiss check",
    )?;
    Ok(match found.failed {
        None => outcome,
        Some(failed) => Outcome::Partial(format!("{failed}; the comparison above is partial")),
    })
}
