//! Pages of `compare` and `explain` opened in Chromium: no console error and no request but the
//! page itself; the DOM holds the causes and the nodes the JSON report says it should; a click
//! on a root node shows its differing inputs; hovering traces the path from a root cause; the
//! keyboard opens and closes an action's inputs; the page reads without JavaScript and prints.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use serde_json::{Value, json};

use crate::cdp::{Browser, Page};
use crate::support::synth::{block, go_quote};
use crate::support::toolchains::test_toolchain;
use crate::support::{corpus, repo, whymiss};

/// The file size the issue allows a page of a large build.
const MAX_PAGE_BYTES: u64 = 5_000_000;

/// One browser for the whole binary: the tests take turns.
static BROWSER: LazyLock<Mutex<Browser>> = LazyLock::new(|| Mutex::new(Browser::launch()));

fn browser() -> MutexGuard<'static, Browser> {
    BROWSER.lock().unwrap_or_else(PoisonError::into_inner)
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

/// Where screenshots go: `target/tmp/browser/NAME.png`.
fn screenshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(format!("{name}.png"))
}

/// `whymiss ARGS --format html -o PAGE` and the same with `--format json`.
fn page_and_json(args: &[&OsStr], page: &Path) -> Value {
    let mut html = args.to_vec();
    html.extend([os("--format"), os("html"), os("-o"), page.as_os_str()]);
    let run = whymiss(&html);
    assert!(
        matches!(run.output.status.code(), Some(0 | 1)),
        "{}",
        run.stderr()
    );
    let mut json = args.to_vec();
    json.extend([os("--format"), os("json")]);
    whymiss(&json).json()
}

/// The page sets `lastShownMs` once the frame showing a click's result is drawn.
const FORGET_SHOWN: &str = "delete document.getElementById('graph-app').dataset.lastShownMs";
const SHOWN: &str = "'lastShownMs' in document.getElementById('graph-app').dataset";

const READY: &str = "document.getElementById('graph-app').dataset.ready === 'true'";

/// Opens `path` and waits for the graph; no console error, and nothing requested but the page.
fn open_ready<'b>(browser: &'b mut Browser, path: &Path) -> Page<'b> {
    let mut page = browser.open(path, true);
    page.wait_for(READY);
    assert_clean(&mut page);
    page
}

fn assert_clean(page: &mut Page<'_>) {
    let problems = page.problems();
    assert!(problems.is_empty(), "{}: {problems:#?}", page.url);
    let requests = page.requests();
    assert!(
        requests.iter().all(|r| *r == page.url),
        "the page loaded something else: {requests:?}"
    );
}

/// Every node the graph shows, as `[label, status]`, after unfolding every group with a click.
fn unfold_all_and_list_nodes(page: &mut Page<'_>) -> Vec<(String, String)> {
    let groups = page.eval("document.querySelectorAll('#group-buttons button').length");
    for k in 1..=groups.as_u64().unwrap() {
        let selector = format!("#group-buttons button:nth-child({k})");
        let text = page.eval(&format!("document.querySelector('{selector}').textContent"));
        if text.as_str().unwrap().starts_with("Unfold") {
            page.eval(FORGET_SHOWN);
            page.click(&selector);
            page.wait_for(SHOWN);
            assert_eq!(
                page.eval(&format!(
                    "document.querySelector('{selector}').textContent.startsWith('Fold')"
                )),
                json!(true)
            );
        }
    }
    let nodes = page.eval(
        "[...document.querySelectorAll('#canvas .node[data-node]')].map(b =>
           [b.title, [...b.classList].find(c => c.startsWith('st-')).slice(3)])",
    );
    serde_json::from_value(nodes).unwrap()
}

/// The `data-node` of the node labelled `label`.
fn node_index(page: &mut Page<'_>, label: &str) -> u64 {
    let i = page.eval(&format!(
        "[...document.querySelectorAll('#canvas .node[data-node]')]
           .find(b => b.title === {})?.dataset.node ?? null",
        json!(label)
    ));
    i.as_str()
        .unwrap_or_else(|| panic!("no node {label}"))
        .parse()
        .unwrap()
}

/// The panel's differing rows: `[key, A's value, B's value]`.
fn differing_rows(page: &mut Page<'_>) -> Vec<Vec<String>> {
    let rows = page.eval(
        "[...document.querySelectorAll('#inputs tbody.input.differs tr.values')]
           .map(tr => [...tr.cells].slice(1).map(c => c.textContent))",
    );
    serde_json::from_value(rows).unwrap()
}

/// What a comparison's page must show in the browser, checked against the JSON report.
fn check_comparison(name: &str, args: &[&OsStr]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.html"));
    let started = Instant::now();
    let json = page_and_json(args, &path);
    eprintln!(
        "{name}: page and JSON report written in {:.1?}",
        started.elapsed()
    );
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < MAX_PAGE_BYTES, "{name}: the page has {size} bytes");
    let mut browser = browser();
    let started = Instant::now();
    let mut page = open_ready(&mut browser, &path);
    let opened = started.elapsed();
    let app = |page: &mut Page<'_>, what: &str| {
        page.eval(&format!(
            "+document.getElementById('graph-app').dataset.{what}"
        ))
    };
    let (render, ready_at) = (app(&mut page, "renderMs"), app(&mut page, "readyAtMs"));

    // The causes, in the JSON report's order.
    let causes = page.eval(
        "[...document.querySelectorAll('#causes li.cause')].map(li =>
           [li.querySelector('.category').textContent, li.querySelector('.field').textContent])",
    );
    let expected: Vec<Value> = json["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!([c["category"], c["field"]]))
        .collect();
    assert_eq!(causes, Value::Array(expected), "{name}");
    page.screenshot(&screenshot_path(&format!("{name}-summary")));

    // A click on the first root cause's first action shows its inputs, its own differences
    // among the marked ones, with A's and B's values.
    let root = json["causes"][0]["actions"][0]
        .as_str()
        .unwrap()
        .to_string();
    let action = json["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["label"] == root.as_str())
        .unwrap()
        .clone();
    assert_eq!(action["status"], "root-cause");
    let started = Instant::now();
    let node = node_index(&mut page, &root);
    page.eval(FORGET_SHOWN);
    page.click(&format!("#canvas .node[data-node=\"{node}\"]"));
    page.wait_for(SHOWN);
    assert_eq!(
        page.eval("document.getElementById('panel').hidden"),
        json!(false)
    );
    let clicked = started.elapsed();
    let click_ms = app(&mut page, "lastShownMs");
    assert_eq!(
        page.eval("document.getElementById('panel-title').textContent"),
        json!(root)
    );
    let rows = differing_rows(&mut page);
    for d in action["differences"].as_array().unwrap() {
        if d["cause"].is_null() {
            continue;
        }
        // A row is the field's, or holds both values (the report's values may add a file's
        // path after its hash: compare the first word).
        let field = d["field"].as_str().unwrap();
        let word = |v: &Value| {
            v.as_str()
                .unwrap_or("")
                .split(' ')
                .next()
                .unwrap()
                .to_string()
        };
        let (a, b) = (word(&d["a"]), word(&d["b"]));
        assert!(
            rows.iter()
                .any(|r| r[0] == field || (r[1].contains(&a) && r[2].contains(&b))),
            "{name}: {root}: no marked row is {field} or holds {a} → {b}: {rows:?}"
        );
    }
    page.screenshot(&screenshot_path(&format!("{name}-inputs")));
    // Escape closes the inputs and gives the focus back to the node; Enter opens them again.
    page.press("Escape");
    page.wait_for("document.getElementById('panel').hidden");
    assert_eq!(
        page.eval("document.activeElement.dataset.node"),
        json!(node.to_string())
    );
    page.press("Enter");
    page.wait_for("!document.getElementById('panel').hidden");
    assert_eq!(
        page.eval("document.getElementById('panel-title').textContent"),
        json!(root)
    );
    page.press("Escape");

    // Hovering over a knock-on action lights the root causes that reach it.
    if let Some(knock) = json["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["status"] == "knock-on")
    {
        let label = knock["label"].as_str().unwrap();
        let node = node_index(&mut page, label);
        page.hover(&format!("#canvas .node[data-node=\"{node}\"]"));
        let lit = page.eval("[...document.querySelectorAll('#canvas .node.hl')].map(b => b.title)");
        let lit: Vec<String> = serde_json::from_value(lit).unwrap();
        assert!(lit.contains(&label.to_string()), "{lit:?}");
        for cause in knock["caused_by"].as_array().unwrap() {
            let cause = cause.as_str().unwrap();
            // A dependency in a folded group lights its group.
            assert!(
                lit.iter().any(|l| l == cause) || page_has_group_lit(&mut page),
                "{name}: hovering {label} does not light {cause}: {lit:?}"
            );
        }
    }

    // Every node the JSON report counts is in the graph, with its status.
    let unfold_started = Instant::now();
    let nodes = unfold_all_and_list_nodes(&mut page);
    let unfolded = unfold_started.elapsed();
    let unfold_ms = app(&mut page, "lastShownMs");
    let unfold_script_ms = app(&mut page, "lastActionMs");
    let s = &json["summary"];
    let count = |k: &str| s[k].as_u64().unwrap() as usize;
    assert_eq!(
        nodes.len(),
        count("compared") + count("only_a") + count("only_b"),
        "{name}"
    );
    let with = |status: &str| nodes.iter().filter(|(_, s)| s == status).count();
    assert_eq!(with("same"), count("same"), "{name}");
    assert_eq!(with("root-cause"), count("root_cause"), "{name}");
    assert_eq!(with("knock-on"), count("knock_on"), "{name}");
    assert_eq!(with("only-a"), count("only_a"), "{name}");
    assert_eq!(with("only-b"), count("only_b"), "{name}");
    for a in json["actions"].as_array().unwrap() {
        let label = a["label"].as_str().unwrap();
        assert!(
            nodes
                .iter()
                .any(|(l, s)| l == label && s == a["status"].as_str().unwrap()),
            "{name}: {label} is not a {} node",
            a["status"]
        );
    }
    assert_clean(&mut page);
    // Timings are printed, not asserted (a loaded machine is no benchmark): the page's own
    // (from navigation to a responsive graph, the graph's drawing, the click's and the last
    // unfolding's handlers) and, in brackets, as this test saw them through the protocol.
    eprintln!(
        "{name}: {} actions, page {size} bytes; graph ready {ready_at} ms after navigation \
         (drawn in {render} ms) [{opened:.2?}]; a click on a root node showed its inputs in \
         {click_ms} ms [{clicked:.2?}]; unfolding the last group {unfold_ms} ms \
         ({unfold_script_ms} ms of script) [everything {unfolded:.2?}]",
        nodes.len()
    );
    json
}

fn page_has_group_lit(page: &mut Page<'_>) -> bool {
    page.eval("!!document.querySelector('#canvas .node.group.hl')") == json!(true)
}

fn pair(name: &str) -> [PathBuf; 2] {
    let dir = corpus("pairs").join(name);
    [dir.join("a.log.gz"), dir.join("b.log.gz")]
}

fn check_pair(name: &str) -> Value {
    let [a, b] = pair(name);
    check_comparison(name, &[os("compare"), a.as_os_str(), b.as_os_str()])
}

#[test]
fn relocation_page_in_a_browser() {
    let json = check_pair("moved");
    assert_eq!(json["causes"][0]["field"], "dir");
}

#[test]
fn toolchain_page_in_a_browser() {
    let json = check_pair("toolchain");
    assert_eq!(json["causes"][0]["category"], "toolchain");
}

#[test]
fn cgo_page_in_a_browser() {
    let json = check_pair("cgo-enabled");
    assert_eq!(json["causes"][0]["category"], "cgo");
}

/// Dry logs (`go build -n`, which hashes every action as a build would) of a generated module
/// of 2,000 packages at two absolute paths: over 2,000 actions, every one of the module's a
/// root cause, so none is folded.
#[test]
fn a_build_of_over_2000_actions_in_a_browser() {
    let started = Instant::now();
    let [a, b] = large_dry_logs();
    eprintln!("large: dry logs ready in {:.1?}", started.elapsed());
    let json = check_comparison("large", &[os("compare"), a.as_os_str(), b.as_os_str()]);
    assert!(json["summary"]["compared"].as_u64().unwrap() >= 2000);
}

/// The two dry logs of the large case, made once per version of `scripts/gen-module.py` and
/// of Go and kept in `target/tmp/browser/` (writing and removing the 11,000 files of the two
/// modules and their caches takes about a minute on a loaded machine).
fn large_dry_logs() -> [PathBuf; 2] {
    use sha2::Digest as _;
    const PACKAGES: &str = "2000";
    let go = test_toolchain("1.27.3");
    let script = repo().join("scripts/gen-module.py");
    let mut key = sha2::Sha256::new();
    key.update(std::fs::read(&script).unwrap());
    key.update(format!("{} {PACKAGES}", go.display()));
    let key: String = key.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(format!("large-{key}"));
    let logs = [cache.join("a.log"), cache.join("b.log")];
    if logs.iter().all(|l| l.exists()) {
        return logs;
    }
    std::fs::create_dir_all(&cache).unwrap();
    let scratch = tempfile::tempdir_in(&cache).unwrap();
    for ((side, dir), log) in [("a", "a/genmod"), ("b", "elsewhere/deeper/genmod")]
        .into_iter()
        .zip(&logs)
    {
        let module = scratch.path().join(dir);
        let status = std::process::Command::new("python3")
            .arg(&script)
            .args(["--packages", PACKAGES, "--cgo", "4", "--seed", "1", "--out"])
            .arg(&module)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("python3 runs scripts/gen-module.py");
        assert!(status.success());
        let partial = scratch.path().join(format!("{side}.log"));
        let status = std::process::Command::new(&go)
            .args(["build", "-n", "./..."])
            .current_dir(&module)
            .env("GODEBUG", "gocachehash=1")
            .env("GOCACHE", scratch.path().join(format!("cache-{side}")))
            .env("GOFLAGS", "")
            .env("GOPROXY", "off")
            .env("GOTOOLCHAIN", "local")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&partial).unwrap())
            .status()
            .unwrap();
        assert!(
            status.success(),
            "go build -n failed: see {}",
            partial.display()
        );
        std::fs::rename(&partial, log).unwrap();
    }
    logs
}

/// `explain` opens on the selected key: its inputs in the panel, the machine-specific ones
/// in the legend.
#[test]
fn explain_page_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("explain.html");
    let log = corpus("logs/go1.27.3/lab-build.log.gz");
    let run = whymiss([
        os("explain"),
        log.as_os_str(),
        os("example.com/lab/greet"),
        os("--format"),
        os("html"),
        os("-o"),
        path.as_os_str(),
    ]);
    assert_eq!(run.output.status.code(), Some(0), "{}", run.stderr());
    let mut browser = browser();
    let mut page = open_ready(&mut browser, &path);
    assert_eq!(
        page.eval("document.getElementById('panel-title').textContent"),
        json!("build example.com/lab/greet")
    );
    let keys = page.eval(
        "[...document.querySelectorAll('#inputs tbody.input td.key')].map(c => c.textContent)",
    );
    let keys: Vec<String> = serde_json::from_value(keys).unwrap();
    assert_eq!(keys[0], "salt", "{keys:?}");
    assert!(keys.iter().any(|k| k == "dir"), "{keys:?}");
    let legend = page.eval("document.getElementById('legend').textContent");
    assert!(
        legend.as_str().unwrap().contains("machine-specific"),
        "{legend}"
    );
    page.screenshot(&screenshot_path("explain"));
}

/// Without JavaScript the summary is all there and the graph says what it needs.
#[test]
fn a_page_reads_without_javascript() {
    let [a, b] = pair("moved");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("moved.html");
    let json = page_and_json(&[os("compare"), a.as_os_str(), b.as_os_str()], &path);
    let mut browser = browser();
    let mut page = browser.open(&path, false);
    assert_eq!(
        page.eval("document.documentElement.classList.contains('js')"),
        json!(false)
    );
    let causes = page.eval("document.querySelectorAll('#causes li.cause').length");
    assert_eq!(causes, json!(json["causes"].as_array().unwrap().len()));
    assert_eq!(
        page.eval("getComputedStyle(document.getElementById('graph-app')).display"),
        json!("none")
    );
    let headline = page.eval("document.querySelector('.headline').textContent");
    assert!(
        headline
            .as_str()
            .unwrap()
            .starts_with("keys differ: 15 of 77"),
        "{headline}"
    );
    assert_clean(&mut page);
    page.screenshot(&screenshot_path("no-javascript"));
}

/// Printed, the page keeps the summary and says the graph is interactive.
#[test]
fn a_page_prints() {
    let [a, b] = pair("moved");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("moved.html");
    page_and_json(&[os("compare"), a.as_os_str(), b.as_os_str()], &path);
    let mut browser = browser();
    let mut page = open_ready(&mut browser, &path);
    page.call("Emulation.setEmulatedMedia", json!({ "media": "print" }));
    let display = |page: &mut Page<'_>, selector: &str| {
        page.eval(&format!(
            "getComputedStyle(document.querySelector('{selector}')).display"
        ))
    };
    assert_eq!(display(&mut page, ".print-only"), json!("block"));
    assert_eq!(display(&mut page, ".toolbar"), json!("none"));
    assert_eq!(display(&mut page, ".viewport"), json!("none"));
    assert_ne!(display(&mut page, "#causes"), json!("none"));
    let pdf = page.pdf();
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
}

/// Text colours keep at least 4.5:1 contrast on their backgrounds (3:1 for large or bold
/// text), as WCAG 2 asks, in the summary and in the graph.
#[test]
fn text_has_sensible_contrast() {
    let [a, b] = pair("moved");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("moved.html");
    let json = page_and_json(&[os("compare"), a.as_os_str(), b.as_os_str()], &path);
    let mut browser = browser();
    let mut page = open_ready(&mut browser, &path);
    // Open an action so that the panel's text is measured too.
    let root = json["causes"][0]["actions"][0]
        .as_str()
        .unwrap()
        .to_string();
    let node = node_index(&mut page, &root);
    page.click(&format!("#canvas .node[data-node=\"{node}\"]"));
    page.wait_for("!document.getElementById('panel').hidden");
    let low = page.eval(CONTRAST_SCRIPT);
    assert_eq!(low, json!([]), "text below the contrast WCAG asks for");
}

/// Lists visible text whose colour has less contrast with the background behind it than WCAG
/// 2's AA level: `[text, ratio, colour, background]`.
const CONTRAST_SCRIPT: &str = r#"(() => {
  const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (e) => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.textContent.trim()) continue;
    const e = t.parentElement;
    if (!e.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    if (e.closest('.visually-hidden')) continue;
    const style = getComputedStyle(e);
    const fg = rgb(style.color).slice(0, 3);
    const bg = background(e);
    const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      low.push([t.textContent.trim().slice(0, 40), Math.round(ratio * 100) / 100, style.color, `rgb(${bg})`]);
    }
  }
  return low.slice(0, 20);
})()"#;

/// Markup and script in every place a log or capture puts text (labels, the host, go env
/// values, a directory, file and package names, an unknown line, the error tail) stays text:
/// nothing runs, no element is added, and the texts read as they were.
#[test]
fn markup_from_a_crafted_capture_stays_text_in_a_browser() {
    const IMG: &str = "<img src=x onerror=\"window.pwned=1\">";
    const SCRIPT: &str = "</script><script>window.pwned=2</script>";
    const SVG: &str = "\"><svg onload=window.pwned=3>";
    let evil = format!("{IMG}{SCRIPT}{SVG}");
    let capture = |side: &str| -> String {
        let q = |s: &str| go_quote(s);
        let mut text = String::from("# whymiss capture 1\n# whymiss-version: 0.1.0\n");
        text.push_str(&format!("# label: {}\n", q(&format!("{side}{IMG}"))));
        text.push_str(&format!("# host: {}\n", q(&format!("h{SCRIPT}"))));
        text.push_str("# go-version: go1.27.3\n");
        text.push_str(&format!("# dir: {}\n", q(&format!("/src/{SVG}"))));
        text.push_str(&format!(
            "# args: build {} ./...\n",
            q(&format!("-ldflags={IMG}"))
        ));
        text.push_str("# exit-status: 1\n");
        text.push_str(&format!(
            "# go-env GOFLAGS: {}\n",
            q(&format!("{side}{evil}"))
        ));
        text.push_str(&format!(
            "# error: {}\n",
            q(&format!("compile {evil} failed"))
        ));
        text.push_str("# --- log\n");
        text.push_str(&format!("# example.com/evil{SCRIPT}\n"));
        text.push_str(&block(
            &format!("build example.com/evil{evil}"),
            &[
                "go1.27.3",
                "compile\n",
                &format!("dir /src/{side}/{evil}\n"),
                "goos linux goarch amd64\n",
                &format!("import \"example.com/{SVG}\"\n"),
                &format!("unknownfield {evil}\n"),
                &format!("file {IMG}.go nLgt5iWHXXPsyCxFuFB1\n"),
            ],
        ));
        text
    };
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.capture"), dir.path().join("b.capture"));
    std::fs::write(&a, capture("A")).unwrap();
    std::fs::write(&b, capture("B")).unwrap();
    let path = dir.path().join("evil.html");
    let run = whymiss([
        os("compare"),
        a.as_os_str(),
        b.as_os_str(),
        os("--format"),
        os("html"),
        os("-o"),
        path.as_os_str(),
    ]);
    assert!(path.exists(), "{}", run.stderr());
    let mut browser = browser();
    let mut page = open_ready(&mut browser, &path);
    assert_eq!(page.eval("window.pwned === undefined"), json!(true));
    assert_eq!(
        page.eval("document.querySelectorAll('img').length"),
        json!(0)
    );
    assert_eq!(
        page.eval("document.querySelectorAll('script').length"),
        json!(2)
    );
    assert_eq!(
        page.eval("document.querySelectorAll('svg').length"),
        json!(1)
    );
    let label = format!("build example.com/evil{evil}");
    let node = node_index(&mut page, &label);
    page.click(&format!("#canvas .node[data-node=\"{node}\"]"));
    page.wait_for("!document.getElementById('panel').hidden");
    assert_eq!(
        page.eval("document.getElementById('panel-title').textContent"),
        json!(label)
    );
    let body = page.eval("document.body.textContent");
    let body = body.as_str().unwrap();
    for text in [format!("A{IMG}"), format!("{IMG}.go"), format!("B{evil}")] {
        assert!(body.contains(&text), "the page does not read {text:?}");
    }
    assert_eq!(page.eval("window.pwned === undefined"), json!(true));
    assert_clean(&mut page);
}
