//! `whymiss inspect LOG`: what a log holds, and (with `--action`) one action's inputs in order.

use std::io::Write;
use std::path::Path;

use crate::cli::InspectFormat;
use crate::error::Error;
use crate::go::load::{ReadOptions, SideFile};
use crate::model::BuildLog;
use crate::report::inspect::InspectView;
use crate::report::{self, Styles};

use super::Outcome;

pub(crate) fn run(
    log: &Path,
    read: &ReadOptions,
    actions: &[String],
    list: bool,
    format: InspectFormat,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let file = SideFile::read("A", log, read.max_size)?;
    let parsed = file.parse_with(&read.parse)?;
    let mut selected = Vec::new();
    for name in actions {
        let found = parsed.find(name);
        if found.is_empty() {
            return Err(Error::Usage(not_found(name, &parsed)));
        }
        selected.extend(found);
    }
    let source = file.file.display_name();
    let view = InspectView {
        source: &source,
        log: &parsed,
        selected,
        list,
    };
    match format {
        InspectFormat::Text => report::inspect::write_text(out, &view, styles),
        InspectFormat::Json => report::inspect::write_json(out, &view),
    }
    .map_err(Error::Output)?;
    Ok(Outcome::Done)
}

/// "no action named X" with up to three actions whose names contain X's last word.
pub(super) fn not_found(name: &str, log: &BuildLog<'_>) -> String {
    let needle = name.rsplit(' ').next().unwrap_or(name);
    let similar: Vec<String> = log
        .actions
        .iter()
        .filter(|a| a.name.contains(needle))
        .map(|a| format!("`{}`", a.label()))
        .take(3)
        .collect();
    if similar.is_empty() {
        format!("no action named `{name}` in the log (--list lists them)")
    } else {
        format!(
            "no action named `{name}` in the log; similar: {}",
            similar.join(", ")
        )
    }
}
