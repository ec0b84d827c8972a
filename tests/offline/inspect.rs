//! `whymiss inspect`, and the errors every command gives for bad input.

use crate::support::{corpus, whymiss};

#[test]
fn summary_of_a_real_log() {
    let log = corpus("logs/go1.27.3/lab-build.log.gz");
    whymiss(["inspect".as_ref(), log.as_os_str()])
        .code(0)
        .stdout_has("go1.27.3")
        .stdout_has("91 build, 2 link, 1 gccCompilerID")
        .stdout_has("94 of 94 blocks proven by SHA-256")
        .stdout_has("moduleIndex lines");
}

#[test]
fn one_action_in_order() {
    let log = corpus("logs/go1.27.3/lab-build.log.gz");
    let run = whymiss([
        "inspect".as_ref(),
        log.as_os_str(),
        "--action".as_ref(),
        "build example.com/lab/greet".as_ref(),
    ])
    .code(0)
    .stdout_has("dir /tmp/whymiss-capture/go1.27.3/lab/greet")
    .stdout_has("file greet.go");
    let out = run.stdout();
    let compile = out.find(" compile\n").expect("compile line");
    let dir = out.find(" dir /").expect("dir line");
    assert!(compile < dir, "fields in Go's order");
}

#[test]
fn json_lists_actions_and_fields() {
    let log = corpus("logs/go1.27.3/tiny-build.log.gz");
    let run = whymiss([
        "inspect".as_ref(),
        log.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--list".as_ref(),
        "--action".as_ref(),
        "link example.com/tiny".as_ref(),
    ])
    .code(0);
    let v = run.json();
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["kind"], "inspect");
    assert_eq!(v["go_versions"][0], "go1.27.3");
    assert_eq!(v["actions"]["by_kind"]["link"], 1);
    assert_eq!(v["unverified"].as_array().unwrap().len(), 0);
    let fields = v["selected"][0]["fields"].as_array().unwrap();
    assert!(fields.iter().any(|f| f["key"] == "defaultgodebug"));
    assert!(fields.iter().any(|f| f["key"] == "packagemain"));
}

#[test]
fn unknown_action_is_an_error() {
    let log = corpus("logs/go1.27.3/tiny-build.log.gz");
    whymiss([
        "inspect".as_ref(),
        log.as_os_str(),
        "--action".as_ref(),
        "build nope".as_ref(),
    ])
    .code(2)
    .one_line_error()
    .stderr_has("no action named `build nope`");
}

/// Bad input: a one-line error naming the file (and line), exit status 2, for every command
/// that reads logs.
#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let empty = write("empty.log", b"");
    let garbage = write(
        "garbage.bin",
        &(0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect::<Vec<_>>(),
    );
    let text = write("nohash.log", b"# example.com/x\n./x.go:3: undefined: y\n");
    let cut = write(
        "cut.log",
        b"HASH[build example.com/x]\nHASH[build example.com/x]: \"go1.27.3\"\nHASH[build example.com/x]: \"dir /a\n",
    );
    let escape = write(
        "escape.log",
        b"HASH[build x]\nHASH[build x]: \"bad \\q escape\"\n",
    );
    let missing = dir.path().join("missing.log");
    let good = corpus("logs/go1.27.3/tiny-build.log.gz");
    let cases: Vec<(&std::path::Path, &str)> = vec![
        (&missing, "missing.log: no such file or directory"),
        (&empty, "empty.log: the file is empty"),
        (&garbage, "garbage.bin: binary data, not a gocachehash log"),
        (&text, "nohash.log: no gocachehash lines"),
        (&cut, "cut.log:3: quoted payload is not terminated"),
        (&escape, "escape.log:2: bad escape"),
    ];
    for (path, message) in cases {
        whymiss(["inspect".as_ref(), path.as_os_str()])
            .code(2)
            .one_line_error()
            .stderr_has(message);
        // compare names the bad side's file, whichever side it is.
        whymiss(["compare".as_ref(), good.as_os_str(), path.as_os_str()])
            .code(2)
            .one_line_error()
            .stderr_has(message);
        whymiss(["compare".as_ref(), path.as_os_str(), good.as_os_str()])
            .code(2)
            .one_line_error()
            .stderr_has(message);
    }
}

#[test]
fn logs_with_prefixes_and_crlf_are_accepted() {
    let bytes = whymiss::go::logfile::LogFile::read(&corpus("logs/go1.27.3/tiny-build.log.gz"))
        .unwrap()
        .bytes;
    let text = String::from_utf8(bytes).unwrap();
    let decorated: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| format!("2026-11-21T10:00:{:02}.1234567Z {l}\r\n", i % 60))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ci.txt");
    std::fs::write(&p, decorated).unwrap();
    whymiss(["inspect".as_ref(), p.as_os_str()])
        .code(0)
        .stdout_has("56 of 56 blocks proven by SHA-256")
        .stdout_has("lines had a log prefix before HASH");
}

/// Issue 11: "1 lines that are not gocachehash output", in inspect and in a comparison's notes.
#[test]
fn one_line_that_is_not_gocachehash_output_is_singular() {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(corpus("logs/go1.27.3/tiny-build.log.gz")).unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.log");
    std::fs::write(&plain, &text).unwrap();
    let noisy = dir.path().join("noisy.log");
    std::fs::write(&noisy, format!("# example.com/tiny\n{text}")).unwrap();
    whymiss(["inspect".as_ref(), noisy.as_os_str()])
        .code(0)
        .stdout_has("skipped      1 line that is not gocachehash output");
    whymiss(["inspect".as_ref(), plain.as_os_str()])
        .code(0)
        .stdout_has("skipped      0 lines that are not gocachehash output");
    whymiss(["compare".as_ref(), plain.as_os_str(), noisy.as_os_str()])
        .code(0)
        .stdout_has(", 1 line that is not gocachehash output");
}
