//! whymiss: explain why Go's build cache does not hit.
//!
//! The pipeline is run (`go`) → parse → model → diff → report. [`run`] executes one resolved
//! command and writes its output; `main.rs` only maps the outcome to an exit status.

pub mod cacheprog;
pub mod cli;
pub mod demo;
pub mod diff;
pub mod error;
pub mod explain;
pub mod go;
pub mod model;
pub mod parse;
pub mod report;

use std::io::Write;

pub use cli::Config;
pub use error::Error;

use cli::{Command, Format, LiveConfig, ReportConfig};
use go::logfile::LogFile;
use go::run::{RunSpec, SideRun};
use model::{BuildLog, SideInfo};
use report::inspect::InspectView;

/// How a successful run ended, mapped to exit statuses like diff(1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A command that reports rather than compares.
    Done,
    /// The compared keys are identical (or differ only in categories the gate ignores).
    Same,
    /// The compared keys differ.
    Differ,
    /// A build failed on one side: the report covers only what both sides hashed. The message
    /// (one line) says which side and why.
    Partial(String),
    /// `whymiss demo`: whymiss did not find exactly the categories the scenario expects. The
    /// message (one line) says what was expected and found.
    Unexpected(String),
}

impl Outcome {
    pub fn exit_code(&self) -> i32 {
        match self {
            Outcome::Done | Outcome::Same => 0,
            Outcome::Differ => 1,
            Outcome::Partial(_) | Outcome::Unexpected(_) => 2,
        }
    }
}

/// Runs one command, writing its report to `out`.
pub fn run(config: &Config, out: &mut dyn Write) -> Result<Outcome, Error> {
    match &config.command {
        Command::Live { live, report } => run_live(live, report, config, out),
        Command::Capture {
            output,
            side,
            options,
        } => {
            go::signals::install()
                .map_err(|e| Error::Usage(format!("cannot install a signal handler: {e}")))?;
            let run = go::run::run_side(side, options)?;
            go::capture::write_capture(output, &run)?;
            let what = match parse::parse_log(&run.stderr) {
                Ok(log) => format!(
                    "{} actions ({} verified)",
                    log.actions.len(),
                    log.actions.iter().filter(|a| a.is_verified()).count()
                ),
                Err(e) => format!("no usable log ({e})"),
            };
            writeln!(
                out,
                "wrote {}: side `{}`, {}, {what}, {}",
                output.display(),
                run.info.label,
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
                Ok(Outcome::Partial(build_failed(&run)))
            }
        }
        Command::Compare { a, b, report } => {
            // The two files are independent: read (and inflate) them, then parse them, on two
            // cores.
            let (fa, fb) = std::thread::scope(|scope| {
                let fb = scope.spawn(|| LogFile::read(b));
                let fa = LogFile::read(a);
                (fa, fb.join().expect("reader thread"))
            });
            let (fa, fb) = (fa?, fb?);
            let (ia, body_a) = side_of_file("A", &fa)?;
            let (ib, body_b) = side_of_file("B", &fb)?;
            let (la, lb) = std::thread::scope(|scope| {
                let b = scope.spawn(|| parse_body(&fb, body_b));
                let a = parse_body(&fa, body_a);
                (a, b.join().expect("parser thread"))
            });
            let (la, lb) = (la?, lb?);
            let result = diff::compare(
                &la,
                &lb,
                with_log_version(ia, &la),
                with_log_version(ib, &lb),
            );
            let outcome = write_comparison(out, &result, report, &config.styles)?;
            Ok(if result.partial {
                Outcome::Partial(
                    "a capture records a failed go command; the comparison is partial".into(),
                )
            } else {
                outcome
            })
        }
        Command::Explain {
            log,
            live,
            select,
            format,
        } => {
            // Read a file, or build once; either way, parse and explain.
            let (bytes, offset, source, run) = match (log, live) {
                (Some(path), _) => {
                    let file = LogFile::read(path)?;
                    let (_, body) = side_of_file("A", &file)?;
                    let name = file.display_name();
                    (file, body, name, None)
                }
                (None, Some((side, options))) => {
                    go::signals::install().map_err(|e| {
                        Error::Usage(format!("cannot install a signal handler: {e}"))
                    })?;
                    let run = go::run::run_side(side, options)?;
                    let name = format!(
                        "go {} in {}",
                        run.info.args.join(" "),
                        run.info.dir.as_deref().unwrap_or(".")
                    );
                    let file = LogFile {
                        path: "live".into(),
                        bytes: run.stderr.clone(),
                    };
                    (file, 0, name, Some(run))
                }
                (None, None) => return Err(Error::Usage("explain needs a log or a module".into())),
            };
            let parsed = match &run {
                Some(r) => parse_side(r, false)?,
                None => parse_body(&bytes, offset)?,
            };
            for wanted in select {
                if !explain::found(&parsed, wanted) {
                    return Err(Error::Usage(not_found(wanted, &parsed)));
                }
            }
            let explanation = explain::explain(&source, &parsed, select);
            match format {
                Format::Text => report::explain::write_text(out, &explanation, &config.styles),
                Format::Json => report::explain::write_json(out, &explanation),
            }
            .map_err(Error::Output)?;
            Ok(match &run {
                Some(r) if !r.success => Outcome::Partial(build_failed(r)),
                _ => Outcome::Done,
            })
        }
        Command::Inspect {
            log,
            actions,
            list,
            format,
        } => {
            let file = LogFile::read(log)?;
            let (_, body) = side_of_file("A", &file)?;
            let parsed = parse_body(&file, body)?;
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
        Command::Demo {
            name,
            list,
            options,
            report,
        } => demo::execute(name.as_deref(), *list, options, report, &config.styles, out),
    }
}

/// Builds both sides, compares, reports.
fn run_live(
    live: &LiveConfig,
    report: &ReportConfig,
    config: &Config,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    go::signals::install()
        .map_err(|e| Error::Usage(format!("cannot install a signal handler: {e}")))?;
    let spec = RunSpec {
        a: live.a.clone(),
        b: live.b.clone(),
        options: live.options.clone(),
    };
    let (ra, rb) = go::run::run_sides(&spec)?;
    let la = parse_side(&ra, live.options.test)?;
    let lb = parse_side(&rb, live.options.test)?;
    let mut result = diff::compare(&la, &lb, ra.info.clone(), rb.info.clone());
    result.notes.extend(live.notes.iter().cloned());
    let outcome = write_comparison(out, &result, report, &config.styles)?;
    let failed: Vec<String> = [&ra, &rb]
        .iter()
        .filter(|r| !r.success)
        .map(|r| build_failed(r))
        .collect();
    Ok(if failed.is_empty() {
        outcome
    } else {
        Outcome::Partial(format!(
            "{}; the comparison above is partial",
            failed.join("; ")
        ))
    })
}

/// `side B: go build failed (exit 1)`.
pub(crate) fn build_failed(run: &SideRun) -> String {
    format!(
        "side {}: go {} failed (exit {})",
        run.info.label,
        run.info.args.first().map(String::as_str).unwrap_or("build"),
        run.info.exit_status.unwrap_or(-1)
    )
}

/// Parses a live side's stderr; a build that failed before hashing anything is an error that
/// shows go's own message.
pub(crate) fn parse_side(run: &SideRun, test: bool) -> Result<BuildLog<'_>, Error> {
    parse::parse_log(&run.stderr).map_err(|source| {
        if run.success {
            Error::SideLog {
                side: run.info.label.clone(),
                source,
            }
        } else {
            Error::BuildFailed {
                side: run.info.label.clone(),
                subcommand: if test { "test" } else { "build" }.into(),
                status: run.info.exit_status.unwrap_or(-1),
                tail: run.info.error_tail.clone(),
            }
        }
    })
}

/// What a file says about its side: a capture's header, or just its name; and where the log
/// starts in it.
fn side_of_file(label: &str, file: &LogFile) -> Result<(SideInfo, usize), Error> {
    if go::capture::is_capture(&file.bytes) {
        let header = go::capture::read_capture(&file.path, &file.bytes)?;
        let mut info = header.info;
        info.source = file.display_name();
        if info.label.is_empty() {
            info.label = label.to_string();
        }
        Ok((info, header.body_offset))
    } else {
        Ok((
            SideInfo {
                label: label.to_string(),
                source: file.display_name(),
                ..SideInfo::default()
            },
            0,
        ))
    }
}

/// Parses the log part of a file, naming the file (and the line within the whole file) in
/// any error.
fn parse_body(file: &LogFile, offset: usize) -> Result<BuildLog<'_>, Error> {
    let header_lines = file.bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u32;
    parse::parse_log(&file.bytes[offset..]).map_err(|mut source| {
        if let Some(line) = source.line.as_mut() {
            *line += header_lines;
        }
        Error::Parse {
            path: file.path.clone(),
            source,
        }
    })
}

/// A bare log tells its go version through the salt.
fn with_log_version(mut info: SideInfo, log: &BuildLog<'_>) -> SideInfo {
    if info.go_version.is_none() {
        info.go_version = log.go_version().map(str::to_string);
    }
    info
}

/// Renders a comparison and maps it to an outcome through the gate.
fn write_comparison(
    out: &mut dyn Write,
    result: &diff::Report,
    report: &ReportConfig,
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
fn not_found(name: &str, log: &BuildLog<'_>) -> String {
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
