//! `whymiss explain`: every field kind annotated, unknown lines named, snapshots of a build, a
//! link, a cgo and a test action.

use crate::support::{corpus, whymiss};

fn explain(args: &[&str]) -> crate::support::Run {
    let mut all = vec!["explain".to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    whymiss(all)
}

#[test]
fn overview_names_machine_specific_inputs_and_a_verdict() {
    let run = explain(&["corpus/pairs/moved/a.log.gz"]).code(0);
    let out = run.stdout();
    assert!(
        out.contains("dir (package directory)  machine-specific, 14 actions"),
        "{out}"
    );
    assert!(
        out.contains("verdict: this build's keys depend on 3 machine-specific inputs"),
        "{out}"
    );
    let run = explain(&["corpus/pairs/trimpath-both-cgo/b.log.gz"]).code(0);
    assert!(
        run.stdout()
            .contains("depend on 1 machine-specific input: CC flags"),
        "{}",
        run.stdout()
    );
}

#[test]
fn every_field_of_every_corpus_log_is_annotated() {
    for path in crate::support::files_under(&corpus("logs"), &[".log.gz"]) {
        let run = explain(&[path.to_str().unwrap(), "--format", "json"]).code(0);
        let v = run.json();
        assert_eq!(v["kind"], "explain");
        assert_eq!(v["unknown_lines"], 0, "{}", path.display());
    }
    // Every action of one log, field by field: each has what, origin and portability.
    let log = corpus("logs/go1.27.3/lab-test.log.gz");
    let v = explain(&[
        log.to_str().unwrap(),
        "example.com/lab/greet",
        "example.com/lab/util/strs",
        "--format",
        "json",
    ])
    .code(0)
    .json();
    let selected = v["selected"].as_array().unwrap();
    assert!(selected.len() >= 3, "{selected:#?}");
    for a in selected {
        for f in a["fields"].as_array().unwrap() {
            assert!(!f["what"].as_str().unwrap().is_empty());
            assert_ne!(f["origin"], "unknown", "{f}");
        }
    }
    assert_eq!(v["tests"][0]["package"], "example.com/lab/greet");
}

#[test]
fn unknown_lines_are_named_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let payloads: [&[u8]; 3] = [b"go1.99.0", b"compile\n", b"futurefield 42\n"];
    let mut h = sha2::Sha256::new();
    use sha2::Digest;
    let mut log = String::from("HASH[build example.com/x]\n");
    for p in payloads {
        h.update(p);
        log.push_str(&format!(
            "HASH[build example.com/x]: {}\n",
            whymiss::parse::unquote::quote(p)
        ));
    }
    let sum: [u8; 32] = h.finalize().into();
    log.push_str(&format!(
        "HASH[build example.com/x]: {}\n",
        whymiss::model::Digest(sum)
    ));
    let path = dir.path().join("future.log");
    std::fs::write(&path, log).unwrap();
    let run = explain(&[path.to_str().unwrap(), "example.com/x"]).code(0);
    let out = run.stdout();
    assert!(out.contains("futurefield 42"), "{out}");
    assert!(out.contains("does not know"), "{out}");
    assert!(
        out.contains("1 line(s) this whymiss does not know"),
        "{out}"
    );
}

#[test]
fn snapshots_of_build_link_cgo_and_test_actions() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        let build = explain(&[
            "corpus/logs/go1.27.3/lab-build.log.gz",
            "example.com/lab/greet",
        ])
        .code(0)
        .stdout();
        insta::assert_snapshot!("explain-build", build);
        let link = explain(&[
            "corpus/logs/go1.27.3/lab-build.log.gz",
            "link example.com/lab/cmd/labctl",
        ])
        .code(0)
        .stdout();
        insta::assert_snapshot!("explain-link", link);
        let cgo = explain(&[
            "corpus/logs/go1.21.13/lab-build.log.gz",
            "build example.com/lab/cgopkg",
        ])
        .code(0)
        .stdout();
        insta::assert_snapshot!("explain-cgo", cgo);
        let test = explain(&[
            "corpus/logs/go1.27.3/lab-test.log.gz",
            "example.com/lab/greet",
            "--format",
            "json",
        ])
        .code(0)
        .stdout();
        insta::assert_snapshot!("explain-test-json", test);
    });
}

/// A note as a template (one per kind of input on a page of a large build), filled with its
/// subject, is the note `explain` prints: on every field of every corpus log of two versions.
#[test]
fn note_templates_fill_into_the_notes() {
    use whymiss::explain::{annotate, annotate_template};
    for rel in [
        "go1.27.3/lab-test.log.gz",
        "go1.21.13/lab-build.log.gz",
        "go1.27.3/lab-trimpath.log.gz",
    ] {
        let path = crate::support::corpus(&format!("logs/{rel}"));
        let file = whymiss::go::load::SideFile::read("A", &path, 1 << 30).unwrap();
        let log = file.parse().unwrap();
        let mut fields = 0;
        for action in &log.actions {
            for field in &action.fields {
                let (template, subject) = annotate_template(field);
                let note = annotate(field);
                let fill = |t: &str| t.replace("{}", &subject);
                assert_eq!(fill(&template.what), note.what, "{rel}: {}", field.text);
                assert_eq!(
                    template.knob.as_deref().map(fill),
                    note.knob,
                    "{rel}: {}",
                    field.text
                );
                assert_eq!(
                    (template.origin, template.portability),
                    (note.origin, note.portability)
                );
                fields += 1;
            }
        }
        assert!(fields > 1000, "{rel}: {fields}");
    }
}

/// Issue 11: "no action named … (see --list)", but `explain --list` was rejected.
#[test]
fn explain_list_names_what_explain_accepts() {
    let log = "corpus/logs/go1.27.3/tiny-build.log.gz";
    let run = explain(&[log, "nosuch"]).code(2).one_line_error();
    assert!(
        run.stderr().contains("--list lists them"),
        "{}",
        run.stderr()
    );
    let out = explain(&[log, "--list"]).code(0).stdout();
    let (_, list) = out
        .split_once("actions (name one, or its package, to see its key input by input)\n")
        .unwrap_or_else(|| panic!("{out}"));
    let names: Vec<&str> = list.lines().map(str::trim).collect();
    assert!(names.contains(&"build example.com/tiny/greet"), "{out}");
    assert!(names.contains(&"link example.com/tiny"), "{out}");
    // Every listed name is accepted.
    for name in ["build example.com/tiny/greet", "link example.com/tiny"] {
        explain(&[log, name]).code(0);
    }
    let v = explain(&[log, "--list", "--format", "json"]).code(0).json();
    let listed = v["listed"].as_array().unwrap();
    assert_eq!(listed.len(), 56);
    assert!(
        listed
            .iter()
            .any(|a| a["label"] == "link example.com/tiny" && a["kind"] == "link")
    );
}

/// Issue 11: `whymiss explain ./greet` was not accepted; a package's directory names it.
#[test]
fn a_package_directory_names_its_package() {
    let log = "corpus/logs/go1.27.3/tiny-build.log.gz";
    let by_path = explain(&[log, "example.com/tiny/greet"]).code(0).stdout();
    let by_dir = explain(&[log, "./corpus/modules/tiny/greet"])
        .code(0)
        .stdout();
    assert_eq!(by_dir, by_path);
    let whole = explain(&[log, "./corpus/modules/tiny/../tiny/."]).code(0);
    assert!(whole.stdout().contains("\nlink example.com/tiny\n"));
    explain(&[log, "./corpus/modules/tiny/nope"])
        .code(2)
        .one_line_error()
        .stderr_has("./corpus/modules/tiny/nope: no such directory");
}

/// Issue 11: the numbers left of each input were log line numbers with gaps and no heading.
#[test]
fn the_numbers_left_of_each_input_are_labelled() {
    let log = "corpus/logs/go1.27.3/tiny-build.log.gz";
    let out = explain(&[log, "example.com/tiny/greet"]).code(0).stdout();
    let (_, action) = out.split_once("\nbuild example.com/tiny/greet\n").unwrap();
    let lines: Vec<&str> = action.lines().collect();
    assert_eq!(
        lines[1],
        "   #  log line  input, in the order go hashed them"
    );
    assert_eq!(lines[2], "   1            go1.27.3");
    // Positions are consecutive; log lines skip the file hash between GOAMD64 and the file.
    assert!(lines.contains(&"   9        10  GOAMD64=v1"), "{action}");
    assert!(
        lines.contains(&"  10        12  file greet.go nLgt5iWHXXPsyCxFuFB1"),
        "{action}"
    );
}
