//! Writing a page: the template `assets/report/report.html` (askama, compiled in at build time)
//! with the style and script of `assets/report/` inlined and the view model embedded as JSON,
//! so the file is self-contained: it loads nothing from anywhere when opened.

use std::io::{self, Write};

use askama::Template;
use serde::Serialize;

use super::graph::log_graph;
use super::summary;
use super::view::{GraphView, MODEL_VERSION, PageView, ValuesView};
use crate::demo::DemoRun;
use crate::diff::Comparison;
use crate::diff::gate::Decision;
use crate::explain::Explanation;
use crate::model::BuildLog;
use crate::report::escape::is_invisible;

/// The page's style and script, inlined into every page.
const STYLE: &str = include_str!("../../../assets/report/report.css");
const SCRIPT: &str = include_str!("../../../assets/report/report.js");

#[derive(Template)]
#[template(path = "report/report.html")]
struct PageTemplate<'p> {
    page: &'p PageView,
    style: &'static str,
    script: &'static str,
    /// The page as JSON that is safe inside a `<script>` element.
    data: String,
}

/// Writes `page` as a self-contained HTML document.
pub(crate) fn write_page(w: &mut dyn Write, page: &PageView) -> io::Result<()> {
    let template = PageTemplate {
        page,
        style: STYLE,
        script: SCRIPT,
        data: script_json(page)?,
    };
    // Render whole, so that a closed pipe surfaces as the plain `BrokenPipe` of the write.
    let html = template.render().map_err(io::Error::other)?;
    w.write_all(html.as_bytes())
}

/// A comparison (`compare`, `diff`, the default check) with its `graph`
/// ([`comparison_graph`](super::comparison_graph) of the two logs, which a live run makes
/// before it drops them to verify the fixes).
pub(crate) fn write_comparison(
    w: &mut dyn Write,
    r: &Comparison,
    graph: GraphView,
    decision: &Decision,
) -> io::Result<()> {
    write_page(w, &comparison_page(r, graph, decision))
}

/// The page of a comparison.
pub(crate) fn comparison_page(r: &Comparison, graph: GraphView, decision: &Decision) -> PageView {
    PageView {
        version: MODEL_VERSION,
        kind: "compare",
        title: format!(
            "whymiss: {} vs {}",
            crate::report::escape(&r.a.label),
            crate::report::escape(&r.b.label)
        ),
        sides: summary::sides(r),
        scenario: None,
        comparison: Some(summary::comparison(r, decision)),
        overview: None,
        graph,
    }
}

/// A demo: its scenario around the comparison of its two builds.
pub(crate) fn write_demo(
    w: &mut dyn Write,
    demo: &DemoRun,
    graph: GraphView,
    decision: &Decision,
) -> io::Result<()> {
    let mut page = comparison_page(&demo.report, graph, decision);
    page.kind = "demo";
    page.title = format!(
        "whymiss demo {}: {}",
        crate::report::escape(&demo.scenario.name),
        crate::report::escape(&demo.scenario.title)
    );
    page.scenario = Some(summary::scenario(demo));
    write_page(w, &page)
}

/// `explain` of one log: the overview, the anatomy of the selected keys, and the graph of the
/// whole build, which opens on the first selected key.
pub(crate) fn write_explain(
    w: &mut dyn Write,
    e: &Explanation,
    log: &BuildLog<'_>,
) -> io::Result<()> {
    let (mut graph, nodes) = log_graph(log, &e.source);
    let node = |label: &str| nodes.nodes.iter().position(|n| n.label == label);
    let overview = summary::overview(e, &node);
    graph.open = overview.anatomy.iter().find_map(|a| a.node);
    let page = PageView {
        version: MODEL_VERSION,
        kind: "explain",
        title: format!("whymiss explain: {}", crate::report::escape(&e.source)),
        sides: vec![summary::log_side(&e.source, &e.go_versions)],
        scenario: None,
        comparison: None,
        overview: Some(overview),
        graph,
    };
    write_page(w, &page)
}

/// `value` as compact JSON that can stand inside a `<script>` element: `<`, `>` and `&` (so
/// no `</script>` or `<!--` can end or change it) and the characters of [`is_invisible`] are
/// written as `\uXXXX`, which means the same to JSON.
fn script_json(value: &impl Serialize) -> io::Result<String> {
    let mut bytes = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut bytes, ScriptFormatter);
    value.serialize(&mut ser).map_err(io::Error::other)?;
    String::from_utf8(bytes).map_err(io::Error::other)
}

/// serde_json's compact formatter, escaping what [`script_json`] says.
struct ScriptFormatter;

impl serde_json::ser::Formatter for ScriptFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if matches!(c, '<' | '>' | '&') || is_invisible(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// `whymiss why`: the page of one comparison of a record, titled for the record.
pub(crate) fn write_why(w: &mut dyn Write, mut page: PageView, title: &str) -> io::Result<()> {
    page.kind = "why";
    page.title = crate::report::escape(title).into_owned();
    write_page(w, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_element() {
        let json = script_json(&["</script><!-- & \u{2028} \u{202e}"]).unwrap();
        assert_eq!(
            json,
            r#"["\u003c/script\u003e\u003c!-- \u0026 \u2028 \u202e"]"#
        );
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ["</script><!-- & \u{2028} \u{202e}"]);
    }

    #[test]
    fn the_assets_cannot_end_their_elements_early() {
        assert!(!STYLE.to_ascii_lowercase().contains("</style"));
        assert!(!SCRIPT.to_ascii_lowercase().contains("</script"));
    }
}
