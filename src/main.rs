//! The `whymiss` binary: parse arguments, run the library, map the outcome to an exit status.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;
use whymiss::cli::Cli;
use whymiss::{Error, Outcome};

fn main() -> ExitCode {
    // Started as `go` by a build script under `whymiss check`: the go shim of check (it needs
    // the variables check sets, so it never claims record's shim).
    if let Some(status) = whymiss::go::shim::hidden_entry() {
        return ExitCode::from(status.clamp(0, 255) as u8);
    }
    // The go shim and the GOCACHEPROG proxy (`whymiss record` sets them up): go or a build
    // script starts them, not a user, so they bypass the CLI.
    if let Some(status) = whymiss::record::hidden_entry() {
        return ExitCode::from(status.clamp(0, 255) as u8);
    }
    let result = Cli::parse().into_config().and_then(|config| {
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        let outcome = whymiss::run(&config, &mut out)?;
        match out.flush() {
            // The reader is gone (`| head`); the verdict still decides the exit status.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output(e)),
            Ok(()) | Err(_) => Ok(outcome),
        }
    });
    match result {
        Ok(outcome) => {
            if let Outcome::Partial(message)
            | Outcome::Inconclusive(message)
            | Outcome::Unexpected(message)
            | Outcome::Recorded { message, .. } = &outcome
                && !message.is_empty()
            {
                eprintln!("whymiss: {}", whymiss::report::escape(message));
            }
            ExitCode::from(outcome.exit_code().clamp(0, 255) as u8)
        }
        // `whymiss … | head` closes the pipe early: not an error worth a message.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("whymiss: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
