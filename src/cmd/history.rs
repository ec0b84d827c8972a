//! `whymiss history [--all-modules] [--prune --keep N]`: list the recorded builds of this module
//! (or of every module), after pruning when asked.

use std::io::Write;

use crate::cli::{Format, HistoryOptions};
use crate::error::Error;
use crate::history::{History, Pruned, module_of};
use crate::report::Styles;
use crate::report::history::{HistoryView, write_json, write_text};

use super::Outcome;

pub(crate) fn run(
    opts: &HistoryOptions,
    styles: &Styles,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    // Refused before the history is read: the list has no page.
    let json = match opts.format {
        Format::Text => false,
        Format::Json => true,
        Format::Html => {
            return Err(Error::Usage(
                "`whymiss history` writes text or json; the HTML page is for comparisons \
                 (whymiss, diff, check, compare, why, demo) and explain"
                    .into(),
            ));
        }
    };
    let mut history = History::open_existing(&opts.history)?;
    let (module, _) = module_of(&opts.dir);
    let pruned = match opts.prune {
        None => None,
        Some(keep) => {
            let modules: Vec<String> = if opts.all_modules {
                let mut m: Vec<String> = history
                    .records(None)?
                    .into_iter()
                    .map(|r| r.module)
                    .collect();
                m.sort();
                m.dedup();
                m
            } else {
                vec![module.clone()]
            };
            let mut total = Pruned::default();
            for m in &modules {
                let p = history.prune(m, keep)?;
                total.records += p.records;
                total.actions += p.actions;
                total.lines += p.lines;
            }
            Some((total, keep))
        }
    };
    let listed = (!opts.all_modules).then_some(module.as_str());
    let records = history.records(listed)?;
    let path = opts.history.display().to_string();
    let view = HistoryView {
        path: &path,
        size: history.size()?,
        module: listed,
        records: &records,
        pruned,
    };
    if json {
        write_json(out, &view)
    } else {
        write_text(out, &view, styles)
    }
    .map_err(Error::Output)?;
    Ok(Outcome::Done)
}
