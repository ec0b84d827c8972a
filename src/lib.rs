//! whymiss: explain why Go's build cache does not hit.
//!
//! The pipeline is run (`go`) → parse → model → diff → report. [`run`] executes one resolved
//! command and writes its output; `main.rs` only maps the outcome to an exit status.

pub mod cli;
pub mod diff;
pub mod error;
pub mod go;
pub mod model;
pub mod parse;
pub mod report;

use std::io::Write;

pub use cli::Config;
pub use error::Error;

use cli::{Command, Format};
use go::logfile::LogFile;
use report::inspect::InspectView;

/// How a successful run ended, mapped to exit statuses like diff(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A command that reports rather than compares.
    Done,
    /// The compared keys are identical.
    Same,
    /// The compared keys differ.
    Differ,
}

impl Outcome {
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Done | Outcome::Same => 0,
            Outcome::Differ => 1,
        }
    }
}

/// Runs one command, writing its report to `out`.
pub fn run(config: &Config, out: &mut dyn Write) -> Result<Outcome, Error> {
    match &config.command {
        Command::Compare { a, b, report } => {
            let (fa, fb) = (LogFile::read(a)?, LogFile::read(b)?);
            let (la, lb) = (parse_file(&fa)?, parse_file(&fb)?);
            let (ia, ib) = (side_info("A", &fa, &la), side_info("B", &fb, &lb));
            let result = diff::compare(&la, &lb, ia, ib);
            write_comparison(out, &result, report, &config.styles)
        }
        Command::Inspect {
            log,
            actions,
            list,
            format,
        } => {
            let file = LogFile::read(log)?;
            let parsed = parse::parse_log(&file.bytes).map_err(|source| Error::Parse {
                path: file.path.clone(),
                source,
            })?;
            let mut selected = Vec::new();
            for name in actions {
                let found = parsed.find(name);
                if found.is_empty() {
                    return Err(Error::Usage(not_found(name, &parsed)));
                }
                selected.extend(found);
            }
            let source = file.display_name();
            let view = InspectView {
                source: &source,
                log: &parsed,
                selected,
                list: *list,
            };
            match format {
                Format::Text => report::inspect::write_text(out, &view, &config.styles),
                Format::Json => report::inspect::write_json(out, &view),
            }
            .map_err(Error::Output)?;
            Ok(Outcome::Done)
        }
    }
}

/// Parses a log file, naming the file in any error.
fn parse_file(file: &LogFile) -> Result<model::BuildLog<'_>, Error> {
    parse::parse_log(&file.bytes).map_err(|source| Error::Parse {
        path: file.path.clone(),
        source,
    })
}

/// What a bare log says about the side that produced it.
fn side_info(label: &str, file: &LogFile, log: &model::BuildLog<'_>) -> model::SideInfo {
    model::SideInfo {
        label: label.to_string(),
        source: file.display_name(),
        go_version: log.go_version().map(str::to_string),
        ..model::SideInfo::default()
    }
}

/// Renders a comparison and maps it to an outcome through the gate.
fn write_comparison(
    out: &mut dyn Write,
    result: &diff::Report,
    report: &cli::ReportConfig,
    styles: &report::Styles,
) -> Result<Outcome, Error> {
    let decision = report.gate.decide(result);
    match report.format {
        Format::Text => report::text::write_report(
            out,
            result,
            &decision,
            report::text::TextOptions { all: report.all },
            styles,
        ),
        Format::Json => report::json::write_report(out, result, &report.gate, &decision),
    }
    .map_err(Error::Output)?;
    Ok(if decision.exit_code == 0 {
        Outcome::Same
    } else {
        Outcome::Differ
    })
}

/// "no action named X" with up to three actions whose names contain X's last word.
fn not_found(name: &str, log: &model::BuildLog<'_>) -> String {
    let needle = name.rsplit(' ').next().unwrap_or(name);
    let similar: Vec<String> = log
        .actions
        .iter()
        .filter(|a| a.name.contains(needle))
        .map(|a| format!("`{}`", a.label()))
        .take(3)
        .collect();
    if similar.is_empty() {
        format!("no action named `{name}` in the log (see --list)")
    } else {
        format!(
            "no action named `{name}` in the log; similar: {}",
            similar.join(", ")
        )
    }
}
