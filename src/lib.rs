//! whymiss: explain why Go's build cache does not hit.
//!
//! The pipeline is run (`go`) → parse → model → diff → report. [`run`] dispatches one resolved
//! command to its module in [`cmd`]; `main.rs` only maps the outcome to an exit status.

// Items no caller outside the crate can reach are pub(crate), so the public surface is what
// main.rs, the integration tests and the benches use.
#![warn(unreachable_pub)]

pub(crate) mod check;
pub mod cli;
pub mod cmd;
pub mod demo;
pub mod diff;
pub mod error;
pub mod explain;
pub mod go;
pub mod history;
pub mod model;
pub mod parse;
pub mod policy;
pub mod record;
pub mod report;
pub(crate) mod verify;
pub mod why;

use std::io::Write;

pub use cli::Config;
pub use cmd::Outcome;
pub use error::Error;

use cli::Command;

/// Runs one command, writing its report to `out`, or to the file of `-o FILE`.
pub fn run(config: &Config, out: &mut dyn Write) -> Result<Outcome, Error> {
    let Some(path) = &config.report_file else {
        return run_to(config, out);
    };
    // The report is written whole once the command is done: a failed run leaves an existing
    // file as it was.
    let mut report = Vec::new();
    let outcome = run_to(config, &mut report)?;
    go::capture::write_output(path, &|w| w.write_all(&report))?;
    Ok(outcome)
}

fn run_to(config: &Config, out: &mut dyn Write) -> Result<Outcome, Error> {
    if config.command.runs_go() {
        go::signals::install().map_err(Error::SignalHandler)?;
    }
    let styles = &config.styles;
    // Nothing read from input reaches the terminal raw (report::escape); a capture written to
    // stdout is data, byte for byte.
    let mut guarded;
    let out: &mut dyn Write = if matches!(config.command, Command::Capture { .. }) {
        out
    } else {
        guarded = report::TerminalSafe::new(out, config.styles.colored);
        &mut guarded
    };
    match &config.command {
        Command::Live { live, output } => {
            cmd::live::run(live, &config.read.parse, output, styles, out)
        }
        Command::Check {
            spec,
            notes,
            output,
        } => cmd::check::run(spec, notes, &config.read.parse, output, styles, out),
        Command::Capture {
            output,
            side,
            options,
        } => cmd::capture::run(output, side, options, &config.read.parse, out),
        Command::Compare { a, b, output } => {
            cmd::compare::run(a, b, &config.read, output, styles, out)
        }
        Command::Explain(explain) => cmd::explain::run(explain, &config.read, styles, out),
        Command::Inspect {
            log,
            actions,
            list,
            format,
        } => cmd::inspect::run(log, &config.read, actions, *list, *format, styles, out),
        Command::Demo {
            name,
            list,
            options,
            output,
        } => cmd::demo::run(name.as_deref(), *list, options, output, styles, out),
        Command::Record(options) => cmd::record::run(options),
        Command::Why(options) => cmd::why::run(options, styles, out),
        Command::History(options) => cmd::history::run(options, styles, out),
        Command::CapturePairs(what) => cmd::capture_pairs::run(what, out),
        Command::Schema(kind) => cmd::schema::run(*kind, out),
    }
}
