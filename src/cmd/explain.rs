//! `whymiss explain [LOG] [PACKAGE…]`: one build's keys, from a log or capture or from one
//! live build, overview first and then the selected actions input by input.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{ExplainConfig, Format};
use crate::error::Error;
use crate::explain;
use crate::go::load::{self, ReadOptions, SideFile};
use crate::go::package_path;
use crate::go::run::{SideRun, run_side};
use crate::report::{self, Styles};

use super::Outcome;
use super::inspect::not_found;

pub(crate) fn run(
    config: &ExplainConfig,
    read: &ReadOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let ExplainConfig {
        log,
        live,
        select,
        list,
        format,
    } = config;
    let (log, live) = (log.as_ref(), live.as_ref());
    // Read a file, or build once; either way, parse and explain.
    let input = match (log, live) {
        (Some(path), _) => Input::File(SideFile::read("A", path, read.max_size)?),
        (None, Some((side, options))) => Input::Live(run_side(side, options)?),
        (None, None) => return Err(Error::Usage("explain needs a log or a module".into())),
    };
    let (parsed, source) = match &input {
        Input::File(file) => (file.parse_with(&read.parse)?, file.file.display_name()),
        Input::Live(run) => (
            load::parse_side(run, false, &read.parse)?,
            format!(
                "go {} in {}",
                run.info.args.join(" "),
                run.info.dir.as_deref().unwrap_or(".")
            ),
        ),
    };
    // A directory names its package, relative to where go ran (or ran here, for a log).
    let base = match live {
        Some((side, _)) if log.is_none() => side.dir.clone(),
        _ => PathBuf::from("."),
    };
    let select = resolve_directories(&base, select)?;
    for wanted in &select {
        if !explain::found(&parsed, wanted) {
            return Err(Error::Usage(not_found(wanted, &parsed)));
        }
    }
    let mut explanation = explain::explain(&source, &parsed, &select);
    explanation.log_lines = matches!(input, Input::File(_));
    if *list {
        explanation.listed = explain::list(&parsed);
    }
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

/// `./greet` → `example.com/app/greet`; other names as they are.
fn resolve_directories(base: &Path, select: &[String]) -> Result<Vec<String>, Error> {
    select
        .iter()
        .map(|name| {
            if package_path::is_directory_argument(name) {
                package_path::import_path(base, name).map_err(Error::Usage)
            } else {
                Ok(name.clone())
            }
        })
        .collect()
}

/// Where the log comes from.
enum Input {
    File(SideFile),
    Live(SideRun),
}
