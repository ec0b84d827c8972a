//! `whymiss schema` (hidden): the JSON Schema of the comparison report, for
//! docs/report.schema.json (`cargo run -q -- schema > docs/report.schema.json`).

use std::io::Write;

use crate::error::Error;
use crate::report;

use super::Outcome;

pub fn run(out: &mut dyn Write) -> Result<Outcome, Error> {
    report::write_json_doc(out, &report::json::schema()).map_err(Error::Output)?;
    Ok(Outcome::Done)
}
