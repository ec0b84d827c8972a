//! `whymiss` (the relocation check) and `whymiss diff`: build both sides, compare, report.

use std::io::Write;

use crate::cli::{LiveConfig, OutputOptions};
use crate::diff;
use crate::error::Error;
use crate::go::load;
use crate::go::run::{RunSpec, run_sides};
use crate::go::sources::DiskSources;
use crate::report::Styles;

use super::Outcome;
use super::compare::write_comparison;

pub fn run(
    live: &LiveConfig,
    output: &OutputOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = RunSpec {
        a: live.a.clone(),
        b: live.b.clone(),
        options: live.options.clone(),
    };
    let (ra, rb) = run_sides(&spec)?;
    let la = load::parse_side(&ra, live.options.test)?;
    let lb = load::parse_side(&rb, live.options.test)?;
    let mut result =
        diff::compare_with_sources(&la, &lb, ra.info.clone(), rb.info.clone(), &DiskSources);
    result.notes.extend(live.notes.iter().cloned());
    let outcome = write_comparison(out, &result, [&la, &lb], output, styles)?;
    Ok(match load::failed_sides(&[&ra, &rb]) {
        None => outcome,
        Some(failed) => Outcome::Partial(format!("{failed}; the comparison above is partial")),
    })
}
