//! The HTML report without a browser (the browser tier, `tests/browser`, opens it): the graph
//! the comparison keeps, the page's embedded model against the JSON report, `-o FILE`, a page
//! that loads nothing from elsewhere, and text from a crafted log that stays text.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;
use whymiss::diff::{self, Status};
use whymiss::go::load;

use crate::support::synth::block;
use crate::support::{corpus, whymiss};

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

fn pair(name: &str) -> (PathBuf, PathBuf) {
    let dir = corpus("pairs").join(name);
    (dir.join("a.log.gz"), dir.join("b.log.gz"))
}

/// The model a page embeds for its script.
fn page_model(html: &str) -> Value {
    let start = r#"<script type="application/json" id="whymiss-data">"#;
    let from = html.find(start).expect("the page embeds its model") + start.len();
    let to = from + html[from..].find("</script>").unwrap();
    serde_json::from_str(&html[from..to]).expect("the embedded model is JSON")
}

fn html_of(args: &[&OsStr]) -> String {
    let mut all: Vec<&OsStr> = args.to_vec();
    all.extend([os("--format"), os("html")]);
    let run = whymiss(&all);
    assert!(
        matches!(run.output.status.code(), Some(0 | 1)),
        "{}",
        run.stderr()
    );
    run.stdout()
}

#[test]
fn the_graph_holds_every_compared_action_and_its_dependencies() {
    let (a, b) = pair("moved");
    let (fa, fb) = load::read_pair(&a, &b, 1 << 30).unwrap();
    let (la, lb) = load::parse_pair(&fa, &fb, &Default::default()).unwrap();
    let r = diff::compare(&la, &lb, fa.info_for(&la), fb.info_for(&lb));
    let nodes = &r.graph.nodes;
    let s = r.summary;
    assert_eq!(nodes.len(), s.compared + s.only_a + s.only_b);
    assert_eq!(nodes.iter().filter(|n| n.status.is_none()).count(), s.same);
    // Each differing action is a node with its status, pointing at its entry.
    for (i, action) in r.actions.iter().enumerate() {
        let node = nodes.iter().find(|n| n.diff == Some(i)).expect("a node");
        assert_eq!(node.label, action.label);
        assert_eq!(node.status, Some(action.status));
    }
    let index = |label: &str| nodes.iter().position(|n| n.label == label).unwrap();
    // greet imports util/strs (an `import` line), the link names every package it links.
    let greet = &nodes[index("build example.com/lab/greet")];
    assert!(
        greet
            .deps
            .contains(&index("build example.com/lab/util/strs"))
    );
    let link = &nodes[index("link example.com/lab/cmd/labctl")];
    assert_eq!(link.status, Some(Status::KnockOn));
    assert!(link.deps.contains(&index("build fmt")));
    assert!(!link.caused_by.is_empty());
    for n in nodes {
        assert!(
            n.caused_by.iter().all(|c| n.deps.contains(c)),
            "{}",
            n.label
        );
        assert!(n.deps.iter().all(|&d| d < nodes.len()));
        // Each node points at its key in each log it is in.
        for (source, log) in [(n.a, &la), (n.b, &lb)] {
            if let Some(diff::Source::Action(i)) = source {
                assert_eq!(log.actions[i].label(), n.label);
            }
        }
    }
}

#[test]
fn a_tested_package_hangs_off_its_test_binary() {
    let log = corpus("logs/go1.27.3/lab-test.log.gz");
    let file = load::SideFile::read("A", &log, 1 << 30).unwrap();
    let parsed = file.parse().unwrap();
    let graph = diff::ActionGraph::of_log(&parsed);
    let test = graph
        .nodes
        .iter()
        .find(|n| n.kind == "test")
        .expect("a tested package");
    let package = test.package.as_deref().unwrap();
    assert_eq!(test.deps.len(), 1, "{}", test.label);
    assert_eq!(
        graph.nodes[test.deps[0]].label,
        format!("link {package}.test")
    );
}

/// `-o FILE` writes the report there and nothing to standard output, for every format.
#[test]
fn output_file_takes_the_report() {
    let (a, b) = pair("moved");
    let dir = tempfile::tempdir().unwrap();
    for format in ["text", "json", "html"] {
        let out = dir.path().join(format!("report.{format}"));
        let run = whymiss([
            os("compare"),
            a.as_os_str(),
            b.as_os_str(),
            os("--format"),
            format.as_ref(),
            os("-o"),
            out.as_os_str(),
        ])
        .code(1);
        assert!(run.output.stdout.is_empty(), "{format}");
        let written = std::fs::read_to_string(&out).unwrap();
        let direct = whymiss([
            os("compare"),
            a.as_os_str(),
            b.as_os_str(),
            os("--format"),
            format.as_ref(),
        ])
        .stdout();
        assert_eq!(written, direct, "{format}");
    }
    // A directory is refused in one line, exit status 2.
    whymiss([
        os("compare"),
        a.as_os_str(),
        b.as_os_str(),
        os("-o"),
        dir.path().as_os_str(),
    ])
    .code(2)
    .one_line_error()
    .stderr_has("is a directory");
}

#[test]
fn formats_without_a_page_are_refused() {
    whymiss(["demo", "--list", "--format", "html"])
        .code(2)
        .one_line_error()
        .stderr_has("the scenario list is text or json");
    // history has no page either: a one-line usage error, before any history is read.
    whymiss([
        "history",
        "--format",
        "html",
        "--history",
        "/nonexistent/h.sqlite",
    ])
    .code(2)
    .one_line_error()
    .stderr_has("writes text or json");
    let log = corpus("logs/go1.27.3/tiny-build.log.gz");
    let run = whymiss([os("inspect"), log.as_os_str(), os("--format"), os("html")]).code(2);
    assert!(
        run.stderr().contains("invalid value 'html'"),
        "{}",
        run.stderr()
    );
}

/// The page loads nothing: no address outside it, a policy that forbids loading anything,
/// style and script inline.
#[test]
fn a_page_is_self_contained() {
    let (a, b) = pair("toolchain");
    let html = html_of(&[os("compare"), a.as_os_str(), b.as_os_str()]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100]);
    assert!(html.contains(
        "content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\""
    ));
    // The one address is SVG's namespace, a name rather than a place to load from.
    let page = html.replace("\"http://www.w3.org/2000/svg\"", "");
    for external in [
        "http:",
        "https:",
        "//cdn",
        "@import",
        "url(",
        " src=",
        "href=\"http",
    ] {
        assert!(!page.contains(external), "the page holds `{external}`");
    }
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the model and the script"
    );
    assert_eq!(html.matches("<style").count(), 1);
}

/// The embedded model and the summary hold what the JSON report says.
#[test]
fn a_page_says_what_the_json_report_says() {
    for name in ["moved", "toolchain", "cgo-enabled", "race"] {
        let (a, b) = pair(name);
        let args = [os("compare"), a.as_os_str(), b.as_os_str()];
        let html = html_of(&args);
        let mut json_args = args.to_vec();
        json_args.extend([os("--format"), os("json")]);
        let json = whymiss(&json_args).json();
        let model = page_model(&html);
        let c = &model["comparison"];
        assert_eq!(c["verdict"], json["verdict"], "{name}");
        let causes = c["causes"].as_array().unwrap();
        assert_eq!(causes.len(), json["causes"].as_array().unwrap().len());
        for (x, y) in causes.iter().zip(json["causes"].as_array().unwrap()) {
            assert_eq!(x["category"], y["category"], "{name}");
            assert_eq!(x["field"], y["field"], "{name}");
            assert_eq!(x["why"], y["why"], "{name}");
            assert_eq!(
                x["actions"].as_array().unwrap().len(),
                y["actions"].as_array().unwrap().len(),
                "{name}"
            );
            // Rendered without JavaScript too.
            assert!(html.contains(&format!(
                "<span class=\"category\">{}</span>",
                y["category"].as_str().unwrap()
            )));
        }
        assert_eq!(
            html.matches("<li class=\"cause\"").count(),
            causes.len(),
            "{name}"
        );
        let s = &json["summary"];
        let nodes = model["graph"]["nodes"].as_array().unwrap();
        assert_eq!(
            nodes.len() as u64,
            s["compared"].as_u64().unwrap()
                + s["only_a"].as_u64().unwrap()
                + s["only_b"].as_u64().unwrap(),
            "{name}"
        );
        // Every node's inputs: indices into the tables, the salt first.
        let strings = model["graph"]["strings"].as_array().unwrap();
        let notes = model["graph"]["notes"].as_array().unwrap();
        for n in nodes {
            for row in n["inputs"].as_array().unwrap() {
                let row: Vec<i64> = row
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_i64().unwrap())
                    .collect();
                // [key, a, b, note a, subject a, note b, subject b, differs], trailing
                // defaults left out.
                assert!((2..=8).contains(&row.len()), "{row:?}");
                if row.len() > 2 {
                    let default = if row.len() == 8 { 0 } else { -1 };
                    assert_ne!(row.last(), Some(&default), "not trimmed: {row:?}");
                }
                let mut row = row.clone();
                row.resize(7, -1);
                row.resize(8, 0);
                assert!((row[0] as usize) < strings.len());
                for text in [row[1], row[2], row[4], row[6]] {
                    assert!((-1..strings.len() as i64).contains(&text), "{row:?}");
                }
                for note in [row[3], row[5]] {
                    assert!((-1..notes.len() as i64).contains(&note), "{row:?}");
                }
                assert!(matches!(row[7], 0 | 1));
            }
            if n["kind"] == "build" {
                let first = &n["inputs"][0];
                assert_eq!(strings[first[0].as_u64().unwrap() as usize], "salt");
            }
        }
    }
}

/// A page of dry logs says how the keys were computed, and that the knock-on count is an upper
/// bound, as the JSON report does.
#[test]
fn a_page_of_dry_logs_says_so() {
    let (a, b) = pair("moved-dry");
    let args = [os("compare"), a.as_os_str(), b.as_os_str()];
    let html = html_of(&args);
    let mut json_args = args.to_vec();
    json_args.extend([os("--format"), os("json")]);
    let json = whymiss(&json_args).json();
    let model = page_model(&html);
    assert_eq!(model["comparison"]["mode"], json["mode"]);
    assert_eq!(model["comparison"]["mode"], "dry");
    assert_eq!(
        model["comparison"]["knock_on_upper_bound"],
        json["summary"]["knock_on_upper_bound"]
    );
    assert!(html.contains("<p class=\"mode\">Keys computed by dry runs"));
    let text = whymiss(&args[..]).stdout();
    let headline = text.lines().find(|l| l.starts_with("keys differ")).unwrap();
    assert!(html.contains(headline), "{headline}");
}

/// A differing node's differing rows are the inputs the JSON report lists for it.
#[test]
fn the_marked_inputs_are_the_differing_ones() {
    let (a, b) = pair("moved");
    let html = html_of(&[os("compare"), a.as_os_str(), b.as_os_str()]);
    let model = page_model(&html);
    let g = &model["graph"];
    let strings = g["strings"].as_array().unwrap();
    let greet = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["label"] == "build example.com/lab/greet")
        .unwrap();
    let marked: Vec<&str> = greet["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get(7).is_some_and(|d| d == 1))
        .map(|r| strings[r[0].as_u64().unwrap() as usize].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["dir", "import example.com/lab/util/strs"]);
    assert_eq!(greet["status"], "root-cause");
    assert_eq!(greet["causes"], serde_json::json!([0]));
}

/// A page of `explain` opens on the selected key and lists it input by input without
/// JavaScript.
#[test]
fn explain_page_shows_the_anatomy_of_the_selected_key() {
    let log = corpus("logs/go1.27.3/tiny-build.log.gz");
    let html = html_of(&[os("explain"), log.as_os_str(), os("example.com/tiny/greet")]);
    let model = page_model(&html);
    assert_eq!(model["kind"], "explain");
    let open = model["graph"]["open"].as_u64().unwrap() as usize;
    assert_eq!(
        model["graph"]["nodes"][open]["label"],
        "build example.com/tiny/greet"
    );
    assert_eq!(model["graph"]["nodes"][open]["status"], "machine-specific");
    assert!(html.contains("<h2 id=\"anatomy-1\">"));
    assert!(html.contains("absolute package directory"));
    assert!(html.contains("the go command&#39;s version: salts every key"));
}

/// Markup in a log (an action name, a directory, a label) stays text: the page's only
/// elements are its own, and the model cannot end its `<script>` element.
#[test]
fn markup_from_a_log_stays_text() {
    let evil = "</script><script>window.pwned=1</script><img src=x onerror=alert(1)>";
    let dir = tempfile::tempdir().unwrap();
    let log = |side: &str| -> PathBuf {
        let path = dir.path().join(format!("{side}.log"));
        let text = block(
            &format!("build example.com/x{evil}"),
            &[
                "go1.27.3",
                "compile\n",
                &format!("dir /src/{side}/{evil}\u{202e}\n"),
                "goos linux goarch amd64\n",
                "file x.go nLgt5iWHXXPsyCxFuFB1\n",
            ],
        );
        std::fs::write(&path, text).unwrap();
        path
    };
    let (a, b) = (log("a"), log("b"));
    let html = html_of(&[os("compare"), a.as_os_str(), b.as_os_str()]);
    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the page's own scripts"
    );
    assert!(!html.contains("<img"), "no element from the log");
    assert!(html.contains("&#60;/script&#62;&#60;script&#62;window.pwned=1"));
    assert!(!html.contains('\u{202e}'), "no bidirectional override raw");
    assert!(html.contains("\\u{202e}"), "shown escaped");
    let model = page_model(&html);
    let label = model["graph"]["nodes"][0]["label"].as_str().unwrap();
    assert_eq!(label, format!("build example.com/x{evil}"));
    let explain = html_of(&[os("explain"), a.as_os_str()]);
    assert_eq!(explain.matches("<script").count(), 2);
}

/// Files the page is made of are real files, compiled in: a page holds them as they are.
#[test]
fn the_page_inlines_its_assets() {
    let root = crate::support::repo().join("assets/report");
    let (a, b) = pair("moved");
    let html = html_of(&[os("compare"), a.as_os_str(), b.as_os_str()]);
    for asset in ["report.css", "report.js"] {
        let text = std::fs::read_to_string(root.join(asset)).unwrap();
        assert!(
            html.contains(text.trim()),
            "{asset} is not in the page as it is"
        );
    }
    assert!(Path::new(&root.join("report.html")).exists());
}
