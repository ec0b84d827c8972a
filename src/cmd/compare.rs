//! `whymiss compare A B`: two logs or captures, read and parsed on two threads, compared and
//! reported through the gate.

use std::io::Write;
use std::path::Path;

use crate::cli::{OutputOptions, ReportFormat};
use crate::diff;
use crate::error::Error;
use crate::go::load::{self, ReadOptions};
use crate::go::sources::DiskSources;
use crate::model::BuildLog;
use crate::report::html::GraphView;
use crate::report::{self, Styles};

use super::Outcome;

pub(crate) fn run(
    a: &Path,
    b: &Path,
    read: &ReadOptions,
    output: &OutputOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (fa, fb) = load::read_pair(a, b, read.max_size)?;
    let (la, lb) = load::parse_pair(&fa, &fb, &read.parse)?;
    // Files the logs hashed that are on this machine with that content say which build tag
    // selects them.
    let mut result =
        diff::compare_with_sources(&la, &lb, fa.info_for(&la), fb.info_for(&lb), &DiskSources);
    if output.allow_truncated {
        result.accept_truncated();
    }
    // A capture of a failed go command is a doubt of the comparison: its verdict is
    // inconclusive (exit 2), which the gate says.
    let graph = page_graph(output, &result, [&la, &lb]);
    write_comparison(out, &result, graph, output, styles, "whymiss compare")
}

/// The graph of a page, made from the two logs (A's, B's) while they are at hand: only when
/// the report is a page.
pub(super) fn page_graph(
    output: &OutputOptions,
    result: &diff::Comparison,
    logs: [&BuildLog<'_>; 2],
) -> Option<GraphView> {
    (output.format == ReportFormat::Html).then(|| report::html::comparison_graph(result, logs))
}

/// Renders a comparison and maps it to an outcome through the gate: in the chosen format on
/// `out`, as JUnit XML into `--junit`'s file, and as markdown appended to GitHub's job summary
/// when `$GITHUB_STEP_SUMMARY` names one. `title` names the command in those (`whymiss check`);
/// `graph` is [`page_graph`]'s, which a page needs.
pub(super) fn write_comparison(
    out: &mut dyn Write,
    result: &diff::Comparison,
    graph: Option<GraphView>,
    output: &OutputOptions,
    styles: &Styles,
    title: &str,
) -> Result<Outcome, Error> {
    let decision = output.gate.decide(result);
    match output.format {
        ReportFormat::Text => report::text::write_report(
            out,
            result,
            &decision,
            report::text::TextOptions { all: output.all },
            styles,
        ),
        ReportFormat::Json => report::json::write_report(out, result, &output.gate, &decision),
        ReportFormat::Markdown => report::markdown::write_report(out, result, &decision, title),
        ReportFormat::Github => report::github::write_report(out, result, &decision, title),
        ReportFormat::Html => match graph {
            Some(graph) => report::html::write_comparison(out, result, graph, &decision),
            None => Err(std::io::Error::other(
                "internal error: a page without its graph (see page_graph)",
            )),
        },
    }
    .or_else(quiet_broken_pipe)?;
    if let Some(path) = &output.junit {
        let mut xml = Vec::new();
        report::junit::write_report(&mut xml, result, &decision, title).map_err(Error::Output)?;
        std::fs::write(path, xml).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    if let Some(path) = &output.step_summary {
        let mut md = Vec::new();
        report::markdown::write_report(&mut md, result, &decision, title).map_err(Error::Output)?;
        append(path, &md)?;
    }
    Ok(Outcome::of_decision(&decision))
}

/// A reader that closes the pipe early (`| head`) does not change the exit status: the verdict
/// decides it, whatever was written.
pub(super) fn quiet_broken_pipe(e: std::io::Error) -> Result<(), Error> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(Error::Output(e))
    }
}

/// Appends to a file (GitHub's job summary), creating it if needed.
pub(super) fn append(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|source| Error::Write {
            path: path.to_owned(),
            source,
        })
}
