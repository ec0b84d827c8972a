//! The GOCACHEPROG proxy under a real `go build` (1.27.3 and 1.26.6): go starts
//! `whymiss cacheprog-proxy`, which starts corpus/cacheprog (built here from source) and relays.
//! Checks that the build works through it, that every key it records is an action ID or subkey
//! that gocachehash printed, that a warm rebuild is all hits, and that entries the backend loses
//! (`-drop-every`) come back as misses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::toolchains::test_toolchain;
use regex::Regex;
use whymiss::record::cacheprog::{
    Cmd, Event, Outcome, RequestEvent, proxy_gocacheprog, read_events,
};

use crate::support::corpus;

/// Copies a directory tree (files and directories only), keeping the files' mtimes: go does not
/// cache the module index of a directory holding a file modified under 2 s ago
/// (cmd/go/internal/modindex/read.go, `dirHash`), and its lookups would miss in the warm
/// build.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let mtime = entry.metadata().unwrap().modified().unwrap();
            std::fs::File::options()
                .write(true)
                .open(&target)
                .unwrap()
                .set_modified(mtime)
                .unwrap();
        }
    }
}

/// `go ARGS` in `dir` with nothing inherited that changes how go builds or caches.
fn go(version: &str, dir: &Path, gocache: &Path) -> Command {
    let mut cmd = Command::new(test_toolchain(version));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("GO") || name.starts_with("CGO_") {
            cmd.env_remove(name.as_ref());
        }
    }
    cmd.current_dir(dir)
        .env("GOTOOLCHAIN", "local")
        .env("GOENV", "off")
        .env("GOFLAGS", "")
        .env("GOPROXY", "off")
        .env("GOCACHE", gocache);
    cmd
}

/// corpus/cacheprog, built once per test run into cargo's target tmp directory (with a Go
/// cache of its own there, warm from the second run on), shared by every test.
pub(crate) fn build_cacheprog() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cacheprog");
            std::fs::create_dir_all(&dir).unwrap();
            let exe = dir.join("cacheprog");
            let out = go("1.27.3", &corpus("cacheprog"), &dir.join("gocache"))
                .args(["build", "-o"])
                .arg(&exe)
                .arg(".")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "building corpus/cacheprog: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            exe
        })
        .clone()
}

/// The keys gocachehash printed: results of build and link blocks, of other blocks that are
/// cache keys too (`moduleIndex`, `gccCompilerID`), and subkeys.
#[derive(Default)]
struct Hashes {
    build: BTreeSet<String>,
    link: BTreeSet<String>,
    other: BTreeSet<String>,
    subkey: BTreeSet<String>,
}

impl Hashes {
    fn contains(&self, key: &str) -> bool {
        [&self.build, &self.link, &self.other, &self.subkey]
            .iter()
            .any(|set| set.contains(key))
    }
}

fn hashes(stderr: &str) -> Hashes {
    let result = Regex::new(r"^HASH\[(.+)\]: ([0-9a-f]{64})$").unwrap();
    let subkey = Regex::new(r#"^HASH subkey [0-9a-f]{64} ".*" = ([0-9a-f]{64})$"#).unwrap();
    let mut h = Hashes::default();
    for line in stderr.lines() {
        if let Some(c) = result.captures(line) {
            let set = match c[1].split(' ').next() {
                Some("build") => &mut h.build,
                Some("link") => &mut h.link,
                _ => &mut h.other,
            };
            set.insert(c[2].to_string());
        } else if let Some(c) = subkey.captures(line) {
            h.subkey.insert(c[1].to_string());
        }
    }
    h
}

/// One `go build ./...` through the proxy; returns its gocachehash keys and its requests.
struct Built {
    hashes: Hashes,
    requests: Vec<RequestEvent>,
    stderr: String,
}

impl Built {
    fn keys(&self, command: Cmd, outcome: Outcome) -> BTreeSet<String> {
        self.requests
            .iter()
            .filter(|r| r.command == command && r.outcome == outcome)
            .filter_map(|r| r.action_id.clone())
            .collect()
    }
}

struct Setup {
    version: &'static str,
    tmp: tempfile::TempDir,
    module: PathBuf,
    cacheprog: PathBuf,
    runs: usize,
}

impl Setup {
    fn build(&mut self, prog_flags: &str) -> Built {
        self.runs += 1;
        let events = self.tmp.path().join(format!("events-{}.jsonl", self.runs));
        let store = self.tmp.path().join("store");
        let user = format!(
            "{} -dir {} {prog_flags}",
            self.cacheprog.display(),
            store.display()
        );
        let value =
            proxy_gocacheprog(Path::new(env!("CARGO_BIN_EXE_whymiss")), &events, &user).unwrap();
        let out = go(self.version, &self.module, &self.tmp.path().join("gocache"))
            .env("GODEBUG", "gocachehash=1")
            .env("GOCACHEPROG", value)
            .args(["build", "./..."])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "go{} build through the proxy failed:\n{}",
            self.version,
            stderr
                .lines()
                .filter(|l| !l.starts_with("HASH"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let events = read_events(&events).unwrap();
        assert!(
            matches!(events.first(), Some(Event::Start { .. })),
            "{events:?}"
        );
        assert!(
            events.iter().any(|e| matches!(e, Event::Hello { known_commands, .. } if known_commands.contains(&Cmd::Put))),
            "no handshake recorded"
        );
        assert!(matches!(
            events.last(),
            Some(Event::End {
                status: Some(0),
                ..
            })
        ));
        let requests: Vec<RequestEvent> = events
            .into_iter()
            .filter_map(|e| match e {
                Event::Request(r) => Some(r),
                _ => None,
            })
            .collect();
        let built = Built {
            hashes: hashes(&stderr),
            requests,
            stderr,
        };
        // Every key go sent is one gocachehash printed.
        for r in &built.requests {
            let Some(key) = &r.action_id else { continue };
            assert!(
                built.hashes.contains(key),
                "go{}: {:?} of {key} is not in the gocachehash output",
                self.version,
                r.command
            );
            assert_ne!(r.outcome, Outcome::Error, "{r:?}");
            assert_ne!(r.outcome, Outcome::Unanswered, "{r:?}");
        }
        let closes = built
            .requests
            .iter()
            .filter(|r| r.command == Cmd::Close)
            .count();
        assert_eq!(closes, 1, "one close per go process");
        built
    }
}

fn proxy_under_real_go(version: &'static str) {
    let tmp = tempfile::Builder::new()
        .prefix("whymiss-cacheprog-")
        .tempdir()
        .unwrap();
    let cacheprog = build_cacheprog();
    let module = tmp.path().join("lab");
    copy_tree(&corpus("modules/lab"), &module);
    let mut setup = Setup {
        version,
        tmp,
        module,
        cacheprog,
        runs: 0,
    };

    // Cold: every build action is looked up, misses, and is stored.
    let cold = setup.build("");
    assert!(cold.hashes.build.len() > 50, "{}", cold.stderr.len());
    assert_eq!(cold.keys(Cmd::Get, Outcome::Hit), BTreeSet::new());
    assert!(
        cold.hashes
            .build
            .is_subset(&cold.keys(Cmd::Put, Outcome::Stored))
    );

    // Warm: every lookup of a compile (and of its subkeys) hits; only the links, which go
    // build never stores, miss.
    let warm = setup.build("");
    assert_eq!(warm.hashes.build, cold.hashes.build);
    assert!(
        warm.hashes
            .build
            .is_subset(&warm.keys(Cmd::Get, Outcome::Hit))
    );
    assert_eq!(warm.keys(Cmd::Get, Outcome::Miss), warm.hashes.link);
    let stored = warm.keys(Cmd::Put, Outcome::Stored);
    assert!(
        stored.is_subset(&warm.hashes.subkey),
        "warm puts only link-stdout: {stored:?}"
    );

    // An edit rebuilds greet and what depends on it, and the backend loses every put…
    let greet = setup.module.join("greet/greet.go");
    let source = std::fs::read_to_string(&greet).unwrap();
    std::fs::write(
        &greet,
        source.replacen("package greet", "package greet // edited\n", 1),
    )
    .unwrap();
    let edited = setup.build("-drop-every 1");
    let rebuilt: BTreeSet<String> = edited
        .hashes
        .build
        .difference(&warm.hashes.build)
        .cloned()
        .collect();
    assert!(!rebuilt.is_empty());
    assert!(rebuilt.is_subset(&edited.keys(Cmd::Put, Outcome::Stored)));

    // …so the next build asks again for exactly those keys and misses: lost by the backend.
    let after = setup.build("");
    let lost: BTreeSet<String> = after
        .keys(Cmd::Get, Outcome::Miss)
        .intersection(&edited.keys(Cmd::Put, Outcome::Stored))
        .cloned()
        .collect();
    assert!(
        rebuilt.is_subset(&lost),
        "rebuilt {rebuilt:?}, lost {lost:?}"
    );
    // The rest of the build still hits.
    let unchanged: BTreeSet<String> = after.hashes.build.difference(&rebuilt).cloned().collect();
    assert!(unchanged.is_subset(&after.keys(Cmd::Get, Outcome::Hit)));
}

#[test]
fn cacheprog_proxy_under_go_1_27() {
    proxy_under_real_go("1.27.3");
}

#[test]
fn cacheprog_proxy_under_go_1_26() {
    proxy_under_real_go("1.26.6");
}

/// `whymiss cacheprog-proxy ARGS` with `input` on stdin.
fn proxy_with_input(args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_whymiss"))
        .arg("cacheprog-proxy")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn cacheprog_proxy_runs_the_program_unobserved_when_it_cannot_record() {
    let input = b"{\"ID\":1,\"Command\":\"get\"}\n";
    let out = proxy_with_input(
        &[
            "--events",
            "/nonexistent-whymiss-dir/events.jsonl",
            "--",
            "cat",
        ],
        input,
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(out.stdout, input, "the program still gets go's bytes");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "whymiss cacheprog-proxy: cannot open /nonexistent-whymiss-dir/events.jsonl"
        ) && stderr.contains("running the cache program unobserved"),
        "{stderr}"
    );
}

#[test]
fn cacheprog_proxy_bad_arguments_exit_2() {
    let out = proxy_with_input(&["--events", "x.jsonl"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "whymiss cacheprog-proxy: missing `-- PROGRAM`\n"
    );
}
