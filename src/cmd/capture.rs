//! `whymiss capture -o FILE`: build once, write the log with a header saying how it was made.

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::go::capture::write_capture;
use crate::go::load;
use crate::go::run::{RunOptions, run_side};
use crate::go::side::SideSpec;
use crate::parse;
use crate::report;

use super::Outcome;

pub fn run(
    output: &Path,
    side: &SideSpec,
    options: &RunOptions,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let run = run_side(side, options)?;
    write_capture(output, &run)?;
    let what = match parse::parse_log(&run.stderr) {
        Ok(log) => format!(
            "{} actions ({} verified)",
            log.actions.len(),
            log.actions.iter().filter(|a| a.is_verified()).count()
        ),
        Err(e) => format!("no usable log ({e})"),
    };
    writeln!(
        out,
        "wrote {}: side `{}`, {}, {what}, {}",
        output.display(),
        run.info.label,
        run.info
            .go_version
            .as_deref()
            .unwrap_or("go version unknown"),
        report::human_bytes(run.stderr.len() as u64)
    )
    .map_err(Error::Output)?;
    if run.success {
        Ok(Outcome::Done)
    } else {
        Ok(Outcome::Partial(load::build_failed(&run)))
    }
}
