//! `whymiss compare A B`: two logs or captures, read and parsed on two threads, compared and
//! reported through the gate.

use std::io::Write;
use std::path::Path;

use crate::cli::{Format, OutputOptions};
use crate::diff;
use crate::error::Error;
use crate::go::load;
use crate::go::sources::DiskSources;
use crate::model::BuildLog;
use crate::report::html::GraphView;
use crate::report::{self, Styles};

use super::Outcome;

pub fn run(
    a: &Path,
    b: &Path,
    max_log_size: u64,
    output: &OutputOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (fa, fb) = load::read_pair(a, b, max_log_size)?;
    let (la, lb) = load::parse_pair(&fa, &fb)?;
    // Files the logs hashed that are on this machine with that content say which build tag
    // selects them.
    let result =
        diff::compare_with_sources(&la, &lb, fa.info_for(&la), fb.info_for(&lb), &DiskSources);
    let graph = page_graph(output, &result, [&la, &lb]);
    let outcome = write_comparison(out, &result, graph, output, styles)?;
    Ok(if result.partial {
        Outcome::Partial("a capture records a failed go command; the comparison is partial".into())
    } else {
        outcome
    })
}

/// The graph of a page, made from the two logs (A's, B's) while they are at hand: only when
/// the report is a page.
pub(super) fn page_graph(
    output: &OutputOptions,
    result: &diff::Comparison,
    logs: [&BuildLog<'_>; 2],
) -> Option<GraphView> {
    (output.format == Format::Html).then(|| report::html::comparison_graph(result, logs))
}

/// Renders a comparison and maps it to an outcome through the gate. `graph` is
/// [`page_graph`]'s, which a page needs.
pub(super) fn write_comparison(
    out: &mut dyn Write,
    result: &diff::Comparison,
    graph: Option<GraphView>,
    output: &OutputOptions,
    styles: &Styles,
) -> Result<Outcome, Error> {
    let decision = output.gate.decide(result);
    match output.format {
        Format::Text => report::text::write_report(
            out,
            result,
            &decision,
            report::text::TextOptions { all: output.all },
            styles,
        ),
        Format::Json => report::json::write_report(out, result, &output.gate, &decision),
        Format::Html => match graph {
            Some(graph) => report::html::write_comparison(out, result, graph, &decision),
            None => Err(std::io::Error::other(
                "internal error: a page without its graph (see page_graph)",
            )),
        },
    }
    .map_err(Error::Output)?;
    Ok(Outcome::of_gate(decision.exit_code))
}
