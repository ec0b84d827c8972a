//! `whymiss demo [NAME] [--list]`: list the scenarios, or run one and report it.

use std::io::Write;

use crate::cli::{OutputOptions, ReportFormat};
use crate::demo::catalogue;
use crate::demo::run::{self, DemoOptions};
use crate::error::Error;
use crate::go::load;
use crate::report::demo as render;
use crate::report::{self, Styles};

use super::Outcome;

/// Lists the scenarios (`name` is `None`, or `list`), or runs the named one. Exit statuses:
/// those of the comparison (0 same, 1 differ), 2 when a side's build failed or whymiss did not
/// find exactly the categories the scenario expects.
pub(crate) fn run(
    name: Option<&str>,
    list: bool,
    options: &DemoOptions,
    output: &OutputOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let name = match name {
        Some(name) if !list => name,
        _ => {
            let all = catalogue::load_catalogue()?;
            match output.format {
                ReportFormat::Text => render::write_list_text(out, &all, styles),
                ReportFormat::Json => render::write_list_json(out, &all),
                ReportFormat::Markdown | ReportFormat::Github | ReportFormat::Html => {
                    return Err(Error::Usage(
                        "the scenario list is text or json; --format markdown, github and html \
                         are for a scenario's report: name a scenario"
                            .into(),
                    ));
                }
            }
            .map_err(Error::Output)?;
            return Ok(Outcome::Done);
        }
    };
    let scenario = run::load(name)?;
    let demo = run::run(&scenario, options)?;
    let decision = output.gate.decide(&demo.report);
    match output.format {
        ReportFormat::Text => render::write_text(out, &demo, &decision, output.all, styles),
        ReportFormat::Json => render::write_json(out, &demo, &output.gate, &decision),
        // The CI formats show the scenario's comparison as they show any.
        ReportFormat::Markdown | ReportFormat::Github => {
            let title = format!("whymiss demo {name}");
            super::compare::write_comparison(out, &demo.report, None, output, styles, &title)?;
            Ok(())
        }
        ReportFormat::Html => {
            let la = load::parse_log_of(&demo.report.a.label, &demo.logs[0])?;
            let lb = load::parse_log_of(&demo.report.b.label, &demo.logs[1])?;
            let graph = report::html::comparison_graph(&demo.report, [&la, &lb]);
            report::html::write_demo(out, &demo, graph, &decision)
        }
    }
    .or_else(super::compare::quiet_broken_pipe)?;
    Ok(if let Some(failed) = demo.failed {
        Outcome::Partial(format!("{failed}; the comparison above is partial"))
    } else if !demo.check.met {
        Outcome::Unexpected(render::unmet_message(&demo))
    } else {
        Outcome::of_decision(&decision)
    })
}
