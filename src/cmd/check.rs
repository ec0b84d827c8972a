//! `whymiss check`: build as this machine and as another would, attribute each difference to
//! its variation, and report it through the gate.

use std::io::Write;

use crate::check::{self, CheckSpec};
use crate::cli::OutputOptions;
use crate::error::Error;
use crate::report::Styles;

use super::Outcome;
use super::compare::write_comparison;

pub fn run(
    spec: &CheckSpec,
    notes: &[String],
    output: &OutputOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let mut found = check::run(spec)?;
    found.comparison.notes.extend(notes.iter().cloned());
    let outcome = write_comparison(out, &found.comparison, output, styles, "whymiss check")?;
    Ok(match found.failed {
        None => outcome,
        Some(failed) => Outcome::Partial(format!("{failed}; the comparison above is partial")),
    })
}
