//! JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Buildkite, …): one test
//! suite, one test case per cause (a `<failure>` when it fails, `<skipped>` with the reason when
//! a rule allows it or it is ignored), one passing case when the keys match, and an `<error>`
//! case when a build failed. Text is escaped for XML after invisible characters are made
//! visible ([`super::escape`]), so the document holds no character XML 1.0 forbids.

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
    let mut cases = String::new();
    let (mut failures, mut errors, mut skipped, mut tests) = (0, 0, 0, 0);
    if r.partial {
        for (name, side) in [("A", &r.a), ("B", &r.b)] {
            if side.exit_status.is_some_and(|c| c != 0) {
                tests += 1;
                errors += 1;
                cases.push_str(&format!(
                    "    <testcase classname=\"whymiss\" name=\"{}\">\n      <error message=\"{}\">{}</error>\n    </testcase>\n",
                    xml(&format!("side {name}'s build")),
                    xml(&format!(
                        "side {name}'s build failed (exit {}): the comparison is partial",
                        side.exit_status.unwrap_or_default()
                    )),
                    xml(&side.error_tail.join("\n"))
                ));
            }
        }
    }
    for (cause, gate) in r.causes.iter().zip(&decision.causes) {
        tests += 1;
        let name = format!("{} in {}", cause.field, where_(r, cause));
        let mut body = String::new();
        match &cause.rewrite {
            Some((a, b)) => body.push_str(&format!("A: {a}\nB: {b}\n")),
            None => body.push_str(&format!(
                "A: {}\nB: {}\n",
                cause.a.as_deref().unwrap_or("(absent)"),
                cause.b.as_deref().unwrap_or("(absent)")
            )),
        }
        body.push_str(&format!("in: {}\n", cause.actions.join(", ")));
        if let Some(v) = &cause.variation {
            body.push_str(&format!("variation: {}\n", variation(v)));
        }
        body.push_str(&format!("why: {}\n", cause.why));
        if let Some(fix) = gate.fix(cause) {
            body.push_str(&format!("fix: {fix}\n"));
        }
        let inner = match gate {
            CauseGate::Failing => {
                failures += 1;
                format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    xml(cause.category.as_str()),
                    xml(gate.fix(cause).unwrap_or(&cause.why)),
                    xml(&body)
                )
            }
            other => {
                skipped += 1;
                format!(
                    "      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n",
                    xml(&format!(
                        "{}: {}",
                        other.as_str(),
                        other.reason().unwrap_or_default()
                    )),
                    xml(&body)
                )
            }
        };
        cases.push_str(&format!(
            "    <testcase classname=\"whymiss.{}\" name=\"{}\">\n{inner}    </testcase>\n",
            xml(cause.category.as_str()),
            xml(&name)
        ));
    }
    if r.verdict == Verdict::Same && !r.partial {
        tests += 1;
        cases.push_str(&format!(
            "    <testcase classname=\"whymiss\" name=\"{}\"/>\n",
            xml(&format!(
                "cache keys match ({} actions)",
                r.summary.compared
            ))
        ));
    }
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        w,
        "<testsuites name=\"whymiss\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">"
    )?;
    writeln!(
        w,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
        xml(title)
    )?;
    write!(w, "{cases}")?;
    writeln!(w, "  </testsuite>")?;
    writeln!(w, "</testsuites>")
}

/// Text for an XML attribute or element: invisible characters made visible (newlines kept in
/// element text), then `& < > " '` as entities.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split('\n').enumerate() {
        if line.0 > 0 {
            out.push('\n');
        }
        for c in escape(line.1).chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                c => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(xml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(xml("x\u{1b}y\nz"), "x\\x1by\nz");
    }
}
