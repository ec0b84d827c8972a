//! The `whymiss` binary: parse arguments, run the library, map the outcome to an exit status.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;
use whymiss::Error;
use whymiss::cli::Cli;

fn main() -> ExitCode {
    let config = Cli::parse().into_config();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = whymiss::run(&config, &mut out).and_then(|outcome| {
        out.flush().map_err(Error::Output)?;
        Ok(outcome)
    });
    match result {
        Ok(outcome) => ExitCode::from(outcome.exit_code() as u8),
        // `whymiss … | head` closes the pipe early: not an error worth a message.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            drop(out);
            eprintln!("whymiss: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
