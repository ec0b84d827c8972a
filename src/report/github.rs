//! GitHub Actions workflow commands: one `::error` per failing cause and one `::warning` per
//! allowed or ignored cause, each titled with its category and field, its message saying where,
//! what differs and the fix; a `::notice` when the keys match and an `::error` when a build
//! failed; then one plain line with the verdict and exit status for the log. Values are escaped
//! as the runner reads them (`%`, CR and LF in messages; also `:` and `,` in properties,
//! `@actions/core`'s `escapeData`/`escapeProperty`), after invisible characters are made
//! visible ([`super::escape`]).

use std::io::{self, Write};

use super::escape;
use super::markdown::{variation, where_};
use crate::diff::gate::{CauseGate, Decision};
use crate::diff::{Comparison, Verdict};

pub(crate) fn write_report(
    w: &mut dyn Write,
    r: &Comparison,
    decision: &Decision,
    title: &str,
) -> io::Result<()> {
    if r.partial {
        for (name, side) in [("A", &r.a), ("B", &r.b)] {
            if side.exit_status.is_some_and(|c| c != 0) {
                command(
                    w,
                    "error",
                    &format!("{title}: side {name}'s build failed"),
                    &if side.error_tail.is_empty() {
                        format!("exit {}", side.exit_status.unwrap_or_default())
                    } else {
                        format!(
                            "exit {}: {}",
                            side.exit_status.unwrap_or_default(),
                            side.error_tail.join(" / ")
                        )
                    },
                )?;
            }
        }
    }
    for (cause, gate) in r.causes.iter().zip(&decision.causes) {
        let kind = if gate.fails() { "error" } else { "warning" };
        let mut head = format!("{title}: {} {}", cause.category, cause.field);
        if let Some(v) = &cause.variation {
            head.push_str(&format!(" (varying {})", variation(v)));
        }
        let mut message = format!("in {}", where_(r, cause));
        match &cause.rewrite {
            Some((a, b)) => message.push_str(&format!("; A {a} → B {b}")),
            None => message.push_str(&format!(
                "; A {} → B {}",
                cause.a.as_deref().unwrap_or("(absent)"),
                cause.b.as_deref().unwrap_or("(absent)")
            )),
        }
        if let Some(fix) = gate.fix(cause) {
            message.push_str(&format!(". Fix: {fix}"));
        }
        match gate {
            CauseGate::Failing => {}
            other => {
                message.push_str(&format!(
                    ". {}: {}",
                    other.as_str(),
                    other.reason().unwrap_or_default()
                ));
            }
        }
        command(w, kind, &head, &message)?;
    }
    if r.verdict == Verdict::Same && !r.partial {
        command(
            w,
            "notice",
            title,
            &format!(
                "same keys: all {} actions built on both sides match",
                r.summary.compared
            ),
        )?;
    }
    let (failing, allowed, ignored) = decision.counts();
    writeln!(
        w,
        "{}: {} ({failing} failing, {allowed} allowed, {ignored} ignored); exit status {}",
        escape(title),
        match (decision.exit_code, r.verdict) {
            _ if r.partial => "partial comparison",
            (_, Verdict::Inconclusive) => "inconclusive",
            (2, _) => "inconclusive: unproven differences",
            (_, Verdict::Same) => "same keys",
            (_, Verdict::Differ) => "keys differ",
            (_, Verdict::Unmatched) => "unmatched: actions built on one side only",
        },
        decision.exit_code
    )
}

/// `::kind title=…::message`.
fn command(w: &mut dyn Write, kind: &str, title: &str, message: &str) -> io::Result<()> {
    writeln!(
        w,
        "::{kind} title={}::{}",
        property(&escape(title)),
        data(&escape(message))
    )
}

fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_as_the_runner_reads_them() {
        let mut out = Vec::new();
        command(&mut out, "error", "a: b, c", "100% done\nnext").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error title=a%3A b%2C c::100%25 done\\nnext\n"
        );
    }
}
