//! `whymiss demo [NAME] [--list]`: list the scenarios, or run one and report it.

use std::io::Write;

use crate::cli::{OutputOptions, ReportFormat};
use crate::demo::catalogue;
use crate::demo::run::{self, DemoOptions};
use crate::error::Error;
use crate::report::Styles;
use crate::report::demo as render;

use super::Outcome;

/// Lists the scenarios (`name` is `None`, or `list`), or runs the named one. Exit statuses:
/// those of the comparison (0 same, 1 differ), 2 when a side's build failed or whymiss did not
/// find exactly the categories the scenario expects.
pub fn run(
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
                ReportFormat::Markdown | ReportFormat::Github => {
                    return Err(Error::Usage(
                        "the scenario list is text or json; --format markdown and github are \
                         for a scenario's report"
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
            super::compare::write_comparison(out, &demo.report, output, styles, &title)?;
            Ok(())
        }
    }
    .map_err(Error::Output)?;
    Ok(if let Some(failed) = demo.failed {
        Outcome::Partial(format!("{failed}; the comparison above is partial"))
    } else if !demo.check.met {
        Outcome::Unexpected(render::unmet_message(&demo))
    } else {
        Outcome::of_gate(decision.exit_code)
    })
}
