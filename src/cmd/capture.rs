//! `whymiss capture -o FILE`: build once, write the log with a header saying how it was made.

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::go::capture::{write_capture, write_capture_to};
use crate::go::load;
use crate::go::run::{RunOptions, run_side};
use crate::go::side::SideSpec;
use crate::model::Mode;
use crate::parse::{ParseOptions, redact};
use crate::report;

use super::Outcome;

pub(crate) fn run(
    output: &Path,
    side: &SideSpec,
    options: &RunOptions,
    parse: &ParseOptions,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let mut run = run_side(side, options)?;
    // The values of the environment variables tests read stay out of the file (and so off the
    // machine it is copied to) unless --keep-env-values says otherwise.
    if !parse.keep_env_values {
        run.stderr = redact::redact_env_values_or_lines(&run.stderr).into_owned();
    }
    let parsed = load::parse_side(&run, options.test, parse);
    // go failed before hashing anything: go's own error, and no capture to compare.
    if let Err(e @ Error::BuildFailed { .. }) = parsed {
        return Err(e);
    }
    if output.as_os_str() == "-" {
        // The capture is the output; no summary line to mix into it.
        write_capture_to(out, &run.info, &run.stderr).map_err(Error::Output)?;
        return Ok(if run.success {
            Outcome::Done
        } else {
            Outcome::Partial(load::build_failed(&run))
        });
    }
    write_capture(output, &run)?;
    let what = match parsed {
        Ok(log) => {
            let redacted = log
                .actions
                .iter()
                .filter(|a| a.verification == crate::model::Verification::Redacted)
                .count();
            format!(
                "{} actions ({} verified{})",
                log.actions.len(),
                log.actions.iter().filter(|a| a.is_verified()).count(),
                match redacted {
                    0 => String::new(),
                    n => format!(", {n} environment values redacted"),
                }
            )
        }
        Err(e) => format!("no usable log ({e})"),
    };
    let mode = match run.info.mode {
        Some(Mode::Dry) => ", dry run (nothing compiled)",
        Some(Mode::Exact) | None => "",
    };
    writeln!(
        out,
        "wrote {}: side `{}`, {}{mode}, {what}, {}",
        report::escape(&output.to_string_lossy()),
        report::Untrusted(&run.info.label),
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
