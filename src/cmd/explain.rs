//! `whymiss explain [LOG] [PACKAGE…]`: one build's keys, from a log or capture or from one
//! live build, overview first and then the selected actions input by input.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::Format;
use crate::error::Error;
use crate::explain;
use crate::go::load::{self, SideFile};
use crate::go::run::{RunOptions, SideRun, run_side};
use crate::go::side::SideSpec;
use crate::report::{self, Styles};

use super::Outcome;
use super::inspect::not_found;

pub fn run(
    log: Option<&PathBuf>,
    max_log_size: u64,
    live: Option<&(SideSpec, RunOptions)>,
    select: &[String],
    format: Format,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    // Read a file, or build once; either way, parse and explain.
    let input = match (log, live) {
        (Some(path), _) => Input::File(SideFile::read("A", path, max_log_size)?),
        (None, Some((side, options))) => Input::Live(run_side(side, options)?),
        (None, None) => return Err(Error::Usage("explain needs a log or a module".into())),
    };
    let (parsed, source) = match &input {
        Input::File(file) => (file.parse()?, file.file.display_name()),
        Input::Live(run) => (
            load::parse_side(run, false)?,
            format!(
                "go {} in {}",
                run.info.args.join(" "),
                run.info.dir.as_deref().unwrap_or(".")
            ),
        ),
    };
    for wanted in select {
        if !explain::found(&parsed, wanted) {
            return Err(Error::Usage(not_found(wanted, &parsed)));
        }
    }
    let explanation = explain::explain(&source, &parsed, select);
    match format {
        Format::Text => report::explain::write_text(out, &explanation, styles),
        Format::Json => report::explain::write_json(out, &explanation),
        Format::Html => report::html::write_explain(out, &explanation, &parsed),
    }
    .map_err(Error::Output)?;
    Ok(match &input {
        Input::Live(run) if !run.success => Outcome::Partial(load::build_failed(run)),
        _ => Outcome::Done,
    })
}

/// Where the log comes from.
enum Input {
    File(SideFile),
    Live(SideRun),
}
