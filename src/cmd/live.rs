//! `whymiss` (the relocation check) and `whymiss diff`: build both sides (dry by default),
//! compare, prove each mechanical fix by re-running with it applied, report.

use std::io::Write;

use crate::cli::{LiveConfig, OutputOptions};
use crate::diff;
use crate::error::Error;
use crate::go::load;
use crate::go::run::{RunSpec, run_sides};
use crate::go::sources::DiskSources;
use crate::parse::ParseOptions;
use crate::report::Styles;
use crate::verify;

use super::Outcome;
use super::compare::{page_graph, write_comparison};

pub(crate) fn run(
    live: &LiveConfig,
    parse: &ParseOptions,
    output: &OutputOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = RunSpec {
        a: live.a.clone(),
        b: live.b.clone(),
        options: live.options.clone(),
    };
    // The logs are dropped once compared (and a page's graph made from them): a verification
    // run holds its own.
    let (mut result, failed, graph) = {
        let (ra, rb) = run_sides(&spec)?;
        let la = load::parse_side(&ra, live.options.test, parse)?;
        let lb = load::parse_side(&rb, live.options.test, parse)?;
        let result =
            diff::compare_with_sources(&la, &lb, ra.info.clone(), rb.info.clone(), &DiskSources);
        let graph = page_graph(output, &result, [&la, &lb]);
        (result, load::failed_sides(&[&ra, &rb]), graph)
    };
    result.notes.extend(live.notes.iter().cloned());
    if output.allow_truncated {
        result.accept_truncated();
    }
    // A partial comparison has no fix to prove: the builds themselves failed.
    if live.verify && failed.is_none() {
        verify::verify(&mut result, &spec)?;
    }
    // A side whose build failed is a doubt of the comparison: its verdict is inconclusive,
    // and the gate exits 2.
    write_comparison(out, &result, graph, output, styles, live.title)
}
