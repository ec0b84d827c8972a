//! `whymiss schema [compare|why]` (hidden): the JSON Schema of a report, for
//! docs/report.schema.json (`cargo run -q -- schema > docs/report.schema.json`) and
//! docs/why.schema.json (`cargo run -q -- schema why > docs/why.schema.json`).

use std::io::Write;

use crate::cli::SchemaKind;
use crate::error::Error;
use crate::report;

use super::Outcome;

pub(crate) fn run(kind: SchemaKind, out: &mut dyn Write) -> Result<Outcome, Error> {
    let schema = match kind {
        SchemaKind::Compare => report::json::schema(),
        SchemaKind::Why => report::why::schema(),
    };
    report::write_json_doc(out, &schema).map_err(Error::Output)?;
    Ok(Outcome::Done)
}
