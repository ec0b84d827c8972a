//! Every kind of key input maps to its own explanation (issue 11): for every entry of every
//! field table, a difference in it (synthetic logs that verify, one field differing) goes
//! through the parser and the comparison, and the cause it gives is explained by that entry's
//! own advice, never by a text meant for another input. Every advice any entry or the
//! comparison holds is reached by some difference, texts are never shared between two
//! advices, and `docs/key-inputs.md` has a row for every advice and cites no row no advice
//! condenses.

use std::collections::BTreeSet;

use whymiss::diff::{self, Cause, KEY_WIDE};
use whymiss::model::fields::{
    self, Advice, FieldSpec, Order, buildinfo, compile, link, pgo, shared, test, vet,
};
use whymiss::model::{Digest, SideInfo, SourceFacts, SourceHeader};
use whymiss::parse::constraint::source_header;
use whymiss::parse::parse_log;

use crate::support::repo;
use crate::support::synth::{block, keyed, short_id, sum};

const SALT: &str = "go1.27.3";
const PKG: &str = "example.com/m/p";
const MAIN: &str = "example.com/m";
const H1: &str = "0101010101010101010101010101010101010101010101010101010101010101";
const H2: &str = "0202020202020202020202020202020202020202020202020202020202020202";

/// An entry named by its table and name.
type Owner = (&'static [FieldSpec], &'static str);

/// One difference, and the advice its cause must get.
struct Case {
    /// The entry the difference is in: its table and name.
    table: &'static [FieldSpec],
    field: &'static str,
    /// The two logs.
    a: String,
    b: String,
    /// The advice of every cause (`None`: the blocks are not action keys, so no cause).
    expect: Option<Advice>,
    /// The advice belongs to another entry that says the same thing (a build setting that
    /// repeats a key input, a dependency reference's non-determinism).
    owner: Option<(&'static [FieldSpec], &'static str)>,
    /// The advice of another cause the difference gives besides (a changed source file).
    beside: Option<Advice>,
    /// Source files on "this machine", by path: their build constraints.
    sources: Vec<(String, String)>,
}

/// The lines of a compile key, with `edits` applied: `-prefix` removes the lines starting with
/// it, `!line` the lines equal to it, any other line replaces the line of the same field (or is
/// added), in Go's order.
fn compile_lines(pkg: &str, edits: &[&str]) -> Vec<String> {
    let base = vec![
        "compile".to_string(),
        format!(
            "dir /src/m/{}",
            pkg.trim_start_matches(MAIN).trim_start_matches('/')
        ),
        "go 1.21".into(),
        "goos linux goarch amd64".into(),
        format!("import {:?}", pkg),
        r#"omitdebug false standard false local false prefix """#.into(),
        "compile compile version go1.27.3 [] []".into(),
        "GOAMD64=v1".into(),
        "file p.go 2KUJZNEzMeJljhnrVVCq".into(),
    ];
    edit(fields::COMPILE, base, edits)
}

fn link_lines(edits: &[&str]) -> Vec<String> {
    let base = vec![
        "link".to_string(),
        "buildmode exe goos linux goarch amd64".into(),
        format!("import {MAIN:?}"),
        r#"omitdebug false standard false local false prefix """#.into(),
        r#"defaultgodebug "panicnil=0""#.into(),
        "link link version go1.27.3 [] exe".into(),
        "GOAMD64=v1".into(),
        "GOROOT=/usr/local/go".into(),
        "packagefile runtime=fFi3DmMZ2pLM4KUT5V0z".into(),
    ];
    edit(fields::LINK, base, edits)
}

fn vet_lines(edits: &[&str]) -> Vec<String> {
    let base = vec![
        r#"vet "vet version go1.27.3""#.to_string(),
        "vetflags []".into(),
        r#"pkg "0123456789abcdef0123456789abcdef""#.into(),
    ];
    edit(fields::VET, base, edits)
}

fn pgo_lines(edits: &[&str]) -> Vec<String> {
    let base = vec![
        "preprocess PGO profile".to_string(),
        "preprofile preprofile version go1.27.3".into(),
        r#"input "evZa8bt7ayM3UXrNEPzr""#.into(),
    ];
    edit(fields::PGO, base, edits)
}

fn spec_of(table: &'static [FieldSpec], line: &str) -> &'static FieldSpec {
    fields::lookup(table, line.as_bytes())
        .map(|i| &table[i])
        .unwrap_or(&fields::UNKNOWN)
}

fn position(table: &'static [FieldSpec], line: &str) -> u16 {
    match spec_of(table, line).order {
        Order::Once(p) | Order::Repeated(p) => p,
        Order::Any => 0,
    }
}

fn edit(table: &'static [FieldSpec], mut lines: Vec<String>, edits: &[&str]) -> Vec<String> {
    for e in edits {
        if let Some(exact) = e.strip_prefix('!') {
            lines.retain(|l| l != exact);
            continue;
        }
        if let Some(prefix) = e.strip_prefix('-') {
            lines.retain(|l| !l.starts_with(prefix));
            continue;
        }
        let spec = spec_of(table, e);
        let repeated = matches!(spec.order, Order::Repeated(_));
        let same = lines.iter().position(|l| {
            std::ptr::eq(spec_of(table, l), spec)
                && (!repeated || l.rsplit_once(' ').map(|x| x.0) == e.rsplit_once(' ').map(|x| x.0))
        });
        match same {
            Some(i) => lines[i] = e.to_string(),
            None => lines.push(e.to_string()),
        }
    }
    // Go's order (a stable sort keeps the order of lines at the same position).
    lines.sort_by_key(|l| position(table, l));
    lines
}

fn build_block(pkg: &str, salt: &str, edits: &[&str]) -> String {
    let lines = compile_lines(pkg, edits);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    keyed(&format!("build {pkg}"), salt, &refs)
}

fn link_block(edits: &[&str]) -> String {
    let lines = link_lines(edits);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    keyed(&format!("link {MAIN}"), SALT, &refs)
}

/// A compile-key difference in `field`: side A with `a` applied, side B with `b`.
fn build_case(field: &'static str, a: &[&str], b: &[&str], expect: Advice) -> Case {
    Case {
        table: fields::COMPILE,
        field,
        a: build_block(PKG, SALT, a),
        b: build_block(PKG, SALT, b),
        expect: Some(expect),
        owner: None,
        beside: None,
        sources: Vec::new(),
    }
}

fn link_case(field: &'static str, a: &[&str], b: &[&str], expect: Advice) -> Case {
    Case {
        table: fields::LINK,
        field,
        a: link_block(a),
        b: link_block(b),
        expect: Some(expect),
        owner: None,
        beside: None,
        sources: Vec::new(),
    }
}

fn vet_case(field: &'static str, a: &[&str], b: &[&str], expect: Advice) -> Case {
    let log = |e: &[&str]| {
        let lines = vet_lines(e);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        keyed(&format!("vet {PKG}"), SALT, &refs)
    };
    Case {
        table: fields::VET,
        field,
        a: log(a),
        b: log(b),
        expect: Some(expect),
        owner: None,
        beside: None,
        sources: Vec::new(),
    }
}

fn pgo_case(field: &'static str, a: &[&str], b: &[&str], expect: Advice) -> Case {
    let log = |e: &[&str]| {
        let lines = pgo_lines(e);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        keyed("preprocess PGO profile /src/m/default.pgo", SALT, &refs)
    };
    Case {
        table: fields::PGO,
        field,
        a: log(a),
        b: log(b),
        expect: Some(expect),
        owner: None,
        beside: None,
        sources: Vec::new(),
    }
}

/// A main package's compile key whose build information differs in `a`/`b` (lines of
/// `debug.BuildInfo.String()`).
fn modinfo_case(a: &[&str], b: &[&str], expect: Advice) -> Case {
    let info = |lines: &[&str]| {
        let mut text = String::new();
        if !lines.iter().any(|l| l.starts_with("path\t")) {
            text.push_str(&format!("path\t{MAIN}\n"));
        }
        if !lines.iter().any(|l| l.starts_with("mod\t")) {
            text.push_str(&format!("mod\t{MAIN}\t(devel)\t\n"));
        }
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        format!("modinfo {}", crate::support::synth::go_quote(&text))
    };
    let (ia, ib) = (info(a), info(b));
    Case {
        table: fields::COMPILE,
        field: "modinfo",
        a: build_block(MAIN, SALT, &[&ia]),
        b: build_block(MAIN, SALT, &[&ib]),
        expect: Some(expect),
        owner: None,
        beside: None,
        sources: Vec::new(),
    }
}

impl Case {
    fn expecting_beside(mut self, expect: Advice, beside: Advice) -> Case {
        self.expect = Some(expect);
        self.beside = Some(beside);
        self
    }

    fn owned_by(mut self, table: &'static [FieldSpec], field: &'static str) -> Case {
        self.owner = Some((table, field));
        self
    }
}

/// A test run of package `PKG`: its test binary (the id, cacheable flags and -exec), the inputs
/// its test read (operation, name, the nested block's payloads after the salt), and more
/// `testcache:` lines.
struct Run<'r> {
    binary: &'r str,
    args: &'r [&'r str],
    execcmd: &'r [&'r str],
    inputs: &'r [(&'r str, &'r str, &'r [&'r str])],
    extra: &'r [&'r str],
}

impl Default for Run<'_> {
    fn default() -> Self {
        Run {
            binary: "F4ZO4M52_-IKy8okp89C",
            args: &["-test.timeout=10m0s"],
            execcmd: &[],
            inputs: &[],
            extra: &[],
        }
    }
}

fn quoted_list(items: &[&str]) -> String {
    let q: Vec<String> = items
        .iter()
        .map(|s| crate::support::synth::go_quote(s))
        .collect();
    format!("[{}]", q.join(" "))
}

fn test_log(run: &Run<'_>) -> String {
    let mut log = String::new();
    let result = format!(
        "test binary {} args {} execcmd {}",
        run.binary,
        quoted_list(run.args),
        quoted_list(run.execcmd)
    );
    log.push_str(&block("testResult", &[SALT, &result]));
    let test_id = sum(&[SALT, &result]);
    let hex_id: String = run.binary.bytes().map(|b| format!("{b:02x}")).collect();
    log.push_str(&format!(
        "testcache: {PKG}: test ID {hex_id} => {test_id}\n"
    ));
    let mut lines: Vec<String> = Vec::new();
    for (op, name, nested) in run.inputs {
        let kind = match *op {
            "env" => "getenv",
            "open" => "open",
            _ => "stat",
        };
        let mut payloads: Vec<&str> = vec![SALT];
        payloads.extend(nested.iter());
        log.push_str(&block(kind, &payloads));
        lines.push(format!("{op} {name} {}\n", sum(&payloads)));
    }
    let mut payloads: Vec<&str> = vec![SALT];
    payloads.extend(lines.iter().map(String::as_str));
    log.push_str(&block("testInputs", &payloads));
    let inputs_id = sum(&payloads);
    for extra in run.extra {
        log.push_str(&format!("testcache: {extra}\n"));
    }
    log.push_str(&format!(
        "testcache: {PKG}: save test ID {test_id} => input ID {inputs_id} => {H1}\n"
    ));
    log
}

fn test_case(
    table: &'static [FieldSpec],
    field: &'static str,
    a: Run<'_>,
    b: Run<'_>,
    expect: Advice,
) -> Case {
    Case {
        table,
        field,
        a: test_log(&a),
        b: test_log(&b),
        expect: Some(expect),
        owner: None,
        beside: None,
        sources: Vec::new(),
    }
}

const STAT_OLD: &str = "stat 11 1a4 2024-01-01 00:00:00 +0000 UTC false\n";
const STAT_NEW: &str = "stat 11 1a4 2024-01-02 00:00:00 +0000 UTC false\n";
const STAT_EST: &str = "stat 11 1a4 2023-12-31 19:00:00 -0500 EST false\n";
const STAT_BIG: &str = "stat 12 1a4 2024-01-01 00:00:00 +0000 UTC false\n";
const STAT_DIR: &str = "stat 4096 800001ed 2024-01-01 00:00:00 +0000 UTC true\n";

fn cases() -> Vec<Case> {
    use fields::{COMPILE, GCC, GETENV, LINK, STAT, TEST_INPUTS, TEST_RESULT, TESTMAIN};
    let mut cases = vec![
        // ---- the salt, and tools: the release ----
        Case {
            table: COMPILE,
            field: "compile tool",
            a: build_block(PKG, "go1.26.6", &["compile compile version go1.26.6 [] []"]),
            b: build_block(PKG, SALT, &[]),
            expect: Some(shared::RELEASE),
            owner: None,
            beside: None,
            sources: Vec::new(),
        },
        build_case(
            "compile tool",
            &["compile compile version devel go1.28-0123 [] []"],
            &["compile compile version devel go1.28-4567 [] []"],
            shared::DEVEL_TOOL,
        ),
        // ---- compile ----
        build_case(
            "compile",
            &["compile"],
            &["!compile"],
            compile::COMPILE_MARKER,
        ),
        build_case(
            "dir",
            &["dir /home/a/src/m/p"],
            &["dir /ci/work/m/p"],
            compile::DIR_CHECKOUT,
        ),
        build_case(
            "dir",
            &["dir /root/go/pkg/mod/example.com/m@v1.0.0/p"],
            &["dir /home/runner/go/pkg/mod/example.com/m@v1.0.0/p"],
            compile::DIR_MODULE_CACHE,
        ),
        build_case(
            "dir",
            &["dir /src/app/vendor/example.com/m/p"],
            &["dir /root/go/pkg/mod/example.com/m@v1.0.0/p"],
            compile::DIR_VENDOR,
        ),
        build_case(
            "dir",
            &["-go ", "dir /home/a/go/src/example.com/m/p"],
            &["-go ", "dir /home/b/go/src/example.com/m/p"],
            compile::DIR_GOPATH,
        ),
        build_case(
            "module",
            &["-dir ", "trimpath", "module example.com/m@v1.0.0"],
            &["-dir ", "trimpath", "module example.com/m@v1.1.0"],
            compile::MODULE_VERSION,
        ),
        build_case(
            "trimpath",
            &["-dir ", "trimpath", "module example.com/m@"],
            &[],
            shared::TRIMPATH_ONE_SIDE,
        ),
        build_case("go", &["go 1.21"], &["go 1.21.0"], compile::GO_LINE),
        build_case(
            "goos/goarch",
            &["goos linux goarch amd64"],
            &["goos darwin goarch amd64"],
            shared::GOOS,
        ),
        build_case(
            "goos/goarch",
            &["goos linux goarch amd64"],
            &["goos linux goarch 386", "-GOAMD64", "GO386=sse2"],
            shared::GOARCH,
        ),
        build_case(
            "import path",
            &[r#"import "_/home/a/p""#],
            &[r#"import "_/home/b/p""#],
            shared::OWN_IMPORT_PATH,
        ),
        build_case(
            "omitdebug",
            &[r#"omitdebug false standard false local false prefix """#],
            &[r#"omitdebug true standard false local false prefix """#],
            shared::GO_COMMAND,
        ),
        build_case(
            "omitdebug",
            &[r#"omitdebug false standard false local true prefix "_/home/a/p""#],
            &[r#"omitdebug false standard false local true prefix "_/home/b/p""#],
            shared::LOCAL_IMPORT,
        ),
        build_case(
            "forcelibrary",
            &["forcelibrary"],
            &[],
            compile::FORCELIBRARY,
        ),
        build_case(
            "cgo",
            &[
                r#"cgo "cgo version go1.27.3""#,
                r#"CC=["gcc"] [] ["-O2" "-g"] ["-O2" "-g"]"#,
            ],
            &[],
            compile::CGO_ENABLED,
        ),
        build_case(
            "CC",
            &[r#"CC=["gcc"] [] ["-O2" "-g"] ["-O2" "-g"]"#],
            &[r#"CC=["/usr/bin/gcc"] [] ["-O2" "-g"] ["-O2" "-g"]"#],
            compile::C_COMMAND,
        ),
        build_case(
            "CC",
            &[r#"CC=["gcc"] [] ["-O2" "-g"] ["-O2" "-g"]"#],
            &[r#"CC=["gcc"] [] ["-g" "-O2"] ["-O2" "-g"]"#],
            compile::C_FLAGS,
        ),
        build_case(
            "CC",
            &[r#"CC=["gcc"] [] ["-O2" "-g" "-I/a/m/p/include"] ["-O2" "-g"]"#],
            &[r#"CC=["gcc"] [] ["-O2" "-g" "-I/b/m/p/include"] ["-O2" "-g"]"#],
            compile::C_FLAGS_SRCDIR,
        ),
        build_case(
            "CC ID",
            &[r#"CC=["gcc"] [] [] []"#, r#"CC ID="gcc version 12.2.0""#],
            &[r#"CC=["gcc"] [] [] []"#, r#"CC ID="gcc version 13.1.0""#],
            compile::C_IDENTITY,
        ),
        build_case(
            "CC ID",
            &[r#"CC=["gcc"] [] [] []"#, r#"CC ID="gcc version 12.2.0""#],
            &[
                r#"CC=["gcc"] [] [] []"#,
                r#"CC ID ERROR="exec: \"gcc\": not found""#,
            ],
            compile::C_IDENTITY_ERROR,
        ),
        build_case(
            "CXX",
            &[r#"CXX=["g++"] ["-O2" "-g"]"#],
            &[r#"CXX=["clang++"] ["-O2" "-g"]"#],
            compile::C_COMMAND,
        ),
        build_case(
            "CXX ID",
            &[r#"CXX ID="g++ 12""#],
            &[r#"CXX ID="g++ 13""#],
            compile::C_IDENTITY,
        ),
        build_case(
            "FC",
            &[r#"FC=["gfortran"] ["-O2" "-g"]"#],
            &[r#"FC=["gfortran"] ["-O3"]"#],
            compile::C_FLAGS,
        ),
        build_case(
            "FC ID",
            &[r#"FC ID="GNU Fortran 12""#],
            &[r#"FC ID ERROR="exec: \"gfortran\": not found""#],
            compile::C_IDENTITY_ERROR,
        ),
        build_case(
            "cover",
            &[r#"cover "set" "cover version go1.27.3""#],
            &[],
            compile::COVER,
        ),
        build_case(
            "cover",
            &[r#"cover "set" "cover version go1.27.3""#],
            &[r#"cover "atomic" "cover version go1.27.3""#],
            compile::COVERMODE,
        ),
        build_case("fuzz", &[r#"fuzz ["-d=libfuzzer"]"#], &[], compile::FUZZ),
        build_case(
            "compile tool",
            &["compile compile version go1.27.3 [] []"],
            &["compile compile version go1.27.3 [] [\"-N\" \"-l\"]"],
            compile::GCFLAGS,
        ),
        build_case(
            "compile tool",
            &["compile compile version go1.27.3 [] []"],
            &["compile compile version go1.27.3 [\"-shared\"] []"],
            compile::FORCED_GCFLAGS,
        ),
        build_case(
            "compile tool",
            &["compile compile version go1.27.3 [] []"],
            &["compile compile version go1.27.3 [\"-race\"] []"],
            compile::RACE,
        ),
        build_case(
            "compile tool",
            &["compile compile version go1.27.3 [] []"],
            &["compile compile version go1.27.3 [\"-msan\"] []"],
            compile::MSAN,
        ),
        build_case(
            "compile tool",
            &["compile compile version go1.27.3 [] []"],
            &["compile compile version go1.27.3 [\"-asan\"] []"],
            compile::ASAN,
        ),
        build_case(
            "compile tool",
            &["compile compile version go1.27.3 [] []"],
            &["compile compile version go1.27.3 X:fieldtrack [] []"],
            shared::EXPERIMENTS,
        )
        .owned_by(COMPILE, "GOEXPERIMENT"),
        build_case(
            "asm",
            &[r#"asm "asm version go1.27.3" [] []"#],
            &[r#"asm "asm version go1.27.3" [] ["-D" "X"]"#],
            compile::ASMFLAGS,
        ),
        build_case(
            "asm",
            &[r#"asm "asm version go1.27.3" [] []"#],
            &[r#"asm "asm version go1.27.3" ["-shared"] []"#],
            compile::FORCED_ASMFLAGS,
        ),
        build_case(
            "pkgpath",
            &["pkgpath example.com/m/p"],
            &["pkgpath example.com/m/q"],
            compile::GCCGO,
        ),
        build_case("ar", &[r#"ar "ar""#], &[r#"ar "gcc-ar""#], compile::GCCGO),
        build_case(
            "asm#2",
            &[r#"asm "gcc version 12""#],
            &[r#"asm "gcc version 13""#],
            compile::GCCGO,
        ),
        build_case(
            "arch env",
            &["GOAMD64=v1"],
            &["GOAMD64=v3"],
            shared::ARCH_LEVEL,
        ),
        build_case(
            "arch env",
            &["-GOAMD64", "="],
            &["GOAMD64=v1"],
            shared::NO_ARCH_VAR,
        ),
        build_case(
            "GOEXPERIMENT",
            &[],
            &[r#"GOEXPERIMENT="fieldtrack""#],
            shared::EXPERIMENTS,
        ),
        build_case(
            "magic",
            &[],
            &["magic GOSSAFUNC=main"],
            compile::DEBUG_VARIABLE,
        ),
        build_case(
            "file",
            &["file p.go 2KUJZNEzMeJljhnrVVCq"],
            &["file p.go 3KUJZNEzMeJljhnrVVCq"],
            compile::SOURCE_GO,
        ),
        build_case(
            "file",
            &["file p_test.go 2KUJZNEzMeJljhnrVVCq"],
            &["file p_test.go 3KUJZNEzMeJljhnrVVCq"],
            compile::SOURCE_TEST,
        ),
        build_case(
            "file",
            &["file p.h 2KUJZNEzMeJljhnrVVCq"],
            &["file p.h 3KUJZNEzMeJljhnrVVCq"],
            compile::SOURCE_C,
        ),
        build_case(
            "file",
            &["file rsrc_windows_amd64.syso 2KUJZNEzMeJljhnrVVCq"],
            &["file rsrc_windows_amd64.syso 3KUJZNEzMeJljhnrVVCq"],
            compile::SOURCE_SYSO,
        ),
        build_case(
            "file",
            &["file static/app.js 2KUJZNEzMeJljhnrVVCq"],
            &["file static/app.js 3KUJZNEzMeJljhnrVVCq"],
            compile::SOURCE_EMBED,
        ),
        build_case(
            "file",
            &["file extra.go 4KUJZNEzMeJljhnrVVCq"],
            &[],
            compile::FILES_UNREAD,
        ),
        build_case(
            "file",
            &["file static/new.js 4KUJZNEzMeJljhnrVVCq"],
            &[],
            compile::FILES_ADDED,
        ),
        build_case(
            "file",
            &["file a_linux.go 4KUJZNEzMeJljhnrVVCq"],
            &[
                "goos darwin goarch amd64",
                "file a_darwin.go 5KUJZNEzMeJljhnrVVCq",
            ],
            shared::GOOS,
        )
        .owned_by(COMPILE, "goos/goarch"),
        build_case(
            "pgofile",
            &[],
            &["pgofile evZa8bt7ayM3UXrNEPzr"],
            compile::PGO_ONE_SIDE,
        ),
        build_case(
            "pgofile",
            &["pgofile evZa8bt7ayM3UXrNEPzr"],
            &["pgofile fvZa8bt7ayM3UXrNEPzr"],
            compile::PGO_CONTENT,
        ),
    ];
    // Files on one side only, whose sources say which setting selects them.
    let file_set = |a: &[(&str, &str)], b: &[(&str, &str)], a_extra: &str, expect: Advice| {
        let mut sources = Vec::new();
        let side = |files: &[(&str, &str)], extra: &str, sources: &mut Vec<(String, String)>| {
            let mut log = extra.to_string();
            let mut lines = Vec::new();
            for (name, text) in files {
                let path = format!("/src/m/p/{name}");
                let hex = sum(&[text]);
                log.push_str(&format!("HASH {path}: {hex}\n"));
                lines.push(format!("file {name} {}", short_id(&hex)));
                sources.push((path, text.to_string()));
            }
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            log.push_str(&build_block(PKG, SALT, &refs));
            log
        };
        let a = side(a, a_extra, &mut sources);
        let b = side(b, "", &mut sources);
        Case {
            table: COMPILE,
            field: "file",
            a,
            b,
            expect: Some(expect),
            owner: None,
            beside: None,
            sources,
        }
    };
    cases.extend([
        file_set(
            &[("extra_default.go", "//go:build !fancy\n\npackage p\n")],
            &[("extra_fancy.go", "//go:build fancy\n\npackage p\n")],
            "",
            compile::FILES_BY_TAG,
        ),
        // cgo shows on side A only, in a package built on that side only (runtime/cgo).
        file_set(
            &[("c_on.go", "//go:build cgo\n\npackage p\n")],
            &[("c_off.go", "//go:build !cgo\n\npackage p\n")],
            &build_block("runtime/cgo", SALT, &[r#"cgo "cgo version go1.27.3""#]),
            compile::FILES_BY_CGO,
        ),
        file_set(
            &[("exp_on.go", "//go:build goexperiment.foo\n\npackage p\n")],
            &[("exp_off.go", "//go:build !goexperiment.foo\n\npackage p\n")],
            "",
            compile::FILES_BY_SETTING,
        ),
        file_set(
            &[("x.go", "//go:build a\n\npackage p\n")],
            &[("y.go", "//go:build b\n\npackage p\n")],
            "",
            compile::FILES_OTHER,
        ),
        file_set(
            &[("extra.go", "package p\n")],
            &[],
            "",
            compile::FILES_ADDED,
        ),
    ]);
    // A dependency whose output differs although its own key does not (the dependency's
    // compile is in both logs, identical), and one in neither log.
    let dep = build_block("example.com/m/dep", SALT, &[]);
    for (with_dep, expect) in [
        (true, compile::NONDETERMINISTIC),
        (false, compile::NOT_BUILT),
    ] {
        let side = |id: &str| {
            let import = format!("import example.com/m/dep {id}");
            let mut log = if with_dep { dep.clone() } else { String::new() };
            log.push_str(&build_block(PKG, SALT, &[&import]));
            log
        };
        cases.push(Case {
            table: COMPILE,
            field: "import",
            a: side("aaaaaaaaaaaaaaaaaaaa"),
            b: side("bbbbbbbbbbbbbbbbbbbb"),
            expect: Some(expect),
            owner: None,
            beside: None,
            sources: Vec::new(),
        });
    }
    // The same lines in another order.
    cases.push(build_case(
        "import",
        &[
            "import a aaaaaaaaaaaaaaaaaaaa",
            "import b bbbbbbbbbbbbbbbbbbbb",
        ],
        &[
            "import b bbbbbbbbbbbbbbbbbbbb",
            "import a aaaaaaaaaaaaaaaaaaaa",
        ],
        diff::FIELD_ORDER,
    ));

    // ---- the build information, setting by setting ----
    /// A's build settings, B's, the advice, and the entry it belongs to if not `modinfo`.
    type Setting<'s> = (&'s [&'s str], &'s [&'s str], Advice, Option<Owner>);
    let settings: Vec<Setting<'_>> = vec![
        (
            &["path\tcommand-line-arguments"],
            &[],
            buildinfo::MAIN_PATH,
            None,
        ),
        (
            &[
                "build\tvcs=git",
                "build\tvcs.revision=abc",
                "build\tvcs.modified=false",
            ],
            &[
                "build\tvcs=git",
                "build\tvcs.revision=def",
                "build\tvcs.modified=true",
            ],
            buildinfo::VCS_STAMP,
            None,
        ),
        (
            &["dep\texample.com/dep\tv1.0.0\th1:abc="],
            &["dep\texample.com/dep\tv1.0.0\t"],
            buildinfo::DEPENDENCY_SUM,
            None,
        ),
        (
            &["dep\texample.com/dep\tv1.0.0\th1:abc="],
            &["dep\texample.com/dep\tv1.1.0\th1:def="],
            compile::MODULE_VERSION,
            Some((COMPILE, "module")),
        ),
        (
            &["build\t-tags=a,b"],
            &["build\t-tags=b,a"],
            buildinfo::TAGS,
            None,
        ),
        (&[], &["build\tGOFIPS140=latest"], buildinfo::FIPS140, None),
        (
            &[],
            &["build\t-linkshared=true"],
            buildinfo::LINKSHARED,
            None,
        ),
        (&[], &["build\t-compiler=gccgo"], buildinfo::COMPILER, None),
        (
            &["build\t-pgo=/a/m/default.pgo"],
            &["build\t-pgo=/b/m/default.pgo"],
            buildinfo::PGO_PATH,
            None,
        ),
        (
            &[],
            &["build\tNEWSETTING=1"],
            buildinfo::UNKNOWN_SETTING,
            None,
        ),
        (&[], &["something else"], buildinfo::OTHER_LINE, None),
        (
            &["build\t-gcflags=-N"],
            &["build\t-gcflags=-l"],
            compile::GCFLAGS,
            Some((COMPILE, "compile tool")),
        ),
        (
            &["build\t-asmflags=-D=X"],
            &[],
            compile::ASMFLAGS,
            Some((COMPILE, "asm")),
        ),
        (
            &["build\t-gccgoflags=-O2"],
            &[],
            compile::GCCGO,
            Some((COMPILE, "pkgpath")),
        ),
        (
            &["build\t-ldflags=-X main.v=1"],
            &["build\t-ldflags=-X main.v=2"],
            link::LDFLAGS,
            Some((LINK, "linkflags")),
        ),
        (
            &["build\t-buildmode=exe"],
            &["build\t-buildmode=pie"],
            link::BUILDMODE,
            Some((LINK, "buildmode")),
        ),
        (
            &["build\tCGO_ENABLED=1"],
            &["build\tCGO_ENABLED=0"],
            compile::CGO_ENABLED,
            Some((COMPILE, "cgo")),
        ),
        (
            &["build\tCGO_CFLAGS=-O2 -g"],
            &["build\tCGO_CFLAGS=-g -O2"],
            compile::C_FLAGS,
            Some((COMPILE, "CC")),
        ),
        (
            &["build\tGOOS=linux"],
            &["build\tGOOS=windows"],
            shared::GOOS,
            Some((COMPILE, "goos/goarch")),
        ),
        (
            &["build\tGOAMD64=v1"],
            &["build\tGOAMD64=v2"],
            shared::ARCH_LEVEL,
            Some((COMPILE, "arch env")),
        ),
        (
            &[],
            &["build\tGOEXPERIMENT=fieldtrack"],
            shared::EXPERIMENTS,
            Some((COMPILE, "GOEXPERIMENT")),
        ),
        (
            &["build\t-trimpath=true"],
            &[],
            shared::TRIMPATH_ONE_SIDE,
            Some((COMPILE, "trimpath")),
        ),
        (
            &[],
            &["build\t-race=true"],
            compile::RACE,
            Some((COMPILE, "compile tool")),
        ),
        (
            &[],
            &["build\t-cover=true"],
            compile::COVER,
            Some((COMPILE, "cover")),
        ),
        (
            &["build\t-coverpkg=./..."],
            &["build\t-coverpkg=./a"],
            compile::COVERPKG,
            Some((COMPILE, "cover")),
        ),
        (
            &[],
            &["build\t-pgo=default.pgo"],
            compile::PGO_ONE_SIDE,
            Some((COMPILE, "pgofile")),
        ),
        (
            &["build\tDefaultGODEBUG=panicnil=0"],
            &["build\tDefaultGODEBUG=panicnil=1"],
            link::GODEBUG_WORKSPACE,
            Some((LINK, "defaultgodebug")),
        ),
    ];
    for (a, b, expect, owner) in settings {
        let mut case = modinfo_case(a, b, expect);
        case.owner = owner;
        cases.push(case);
    }
    // The GODEBUG defaults and the main package's source differ: a //go:debug directive.
    let modinfo = |godebug: &str| {
        let info =
            format!("path\t{MAIN}\nmod\t{MAIN}\t(devel)\t\nbuild\tDefaultGODEBUG={godebug}\n");
        format!("modinfo {}", crate::support::synth::go_quote(&info))
    };
    cases.push(
        Case {
            table: COMPILE,
            field: "modinfo",
            a: build_block(MAIN, SALT, &[&modinfo("panicnil=0")]),
            b: build_block(
                MAIN,
                SALT,
                &[&modinfo("panicnil=1"), "file p.go 9KUJZNEzMeJljhnrVVCq"],
            ),
            expect: None,
            owner: None,
            beside: None,
            sources: Vec::new(),
        }
        .expecting_beside(link::GODEBUG_DIRECTIVE, compile::SOURCE_GO)
        .owned_by(LINK, "defaultgodebug"),
    );
    // The main module's version (from VCS since 1.24).
    cases.push(modinfo_case(
        &[],
        &["mod\texample.com/m\tv0.0.0-20260101000000-0123456789ab+dirty\t"],
        buildinfo::MAIN_VERSION,
    ));

    // ---- link ----
    cases.extend([
        link_case("link", &["link"], &["!link"], link::LINK_MARKER),
        link_case(
            "buildmode",
            &["buildmode exe goos linux goarch amd64"],
            &["buildmode pie goos linux goarch amd64"],
            link::BUILDMODE,
        ),
        link_case(
            "buildmode",
            &["buildmode exe goos linux goarch amd64"],
            &["buildmode exe goos windows goarch amd64"],
            shared::GOOS,
        )
        .owned_by(COMPILE, "goos/goarch"),
        link_case(
            "import path",
            &[r#"import "_/home/a/m""#],
            &[r#"import "_/home/b/m""#],
            shared::OWN_IMPORT_PATH,
        ),
        link_case(
            "omitdebug",
            &[],
            &[r#"omitdebug true standard false local false prefix """#],
            shared::GO_COMMAND,
        ),
        link_case(
            "trimpath",
            &[],
            &["trimpath", "GOROOT="],
            shared::TRIMPATH_ONE_SIDE,
        ),
        link_case("arch env", &[], &["GOAMD64=v3"], shared::ARCH_LEVEL),
        link_case(
            "GOEXPERIMENT",
            &[],
            &[r#"GOEXPERIMENT="fieldtrack""#],
            shared::EXPERIMENTS,
        ),
        link_case(
            "defaultgodebug",
            &[r#"defaultgodebug "panicnil=0""#],
            &[r#"defaultgodebug "panicnil=1""#],
            link::GODEBUG_DEFAULTS,
        ),
        link_case(
            "link tool",
            &["link link version go1.27.3 [] exe"],
            &["link link version go1.27.3 [\"-linkshared\" \"-w\"] exe"],
            link::FORCED_LDFLAGS,
        ),
        link_case(
            "link tool",
            &["link link version go1.27.3 [] exe"],
            &["link link version go1.27.3 [] pie"],
            link::BUILDMODE,
        )
        .owned_by(LINK, "buildmode"),
        link_case(
            "linkflags",
            &[r#"linkflags ["-X=main.v=1"]"#],
            &[r#"linkflags ["-X=main.v=2"]"#],
            link::LDFLAGS,
        ),
        link_case(
            "GOROOT",
            &["GOROOT=/usr/local/go"],
            &["GOROOT=/opt/go"],
            link::GOROOT_MOVED,
        ),
        link_case(
            "GO_EXTLINK_ENABLED",
            &[],
            &["GO_EXTLINK_ENABLED=1"],
            link::EXTERNAL_LINKING,
        ),
        link_case(
            "packagefile",
            &["packagefile runtime=fFi3DmMZ2pLM4KUT5V0z"],
            &["packagefile runtime=gFi3DmMZ2pLM4KUT5V0z"],
            compile::NOT_BUILT,
        )
        .owned_by(COMPILE, "import"),
    ]);
    // `linkShared` keys: the marker, and `top`/`packageshlib` references.
    let shared_log = |lines: &[&str]| keyed("linkShared", SALT, lines);
    cases.push(Case {
        table: LINK,
        field: "linkShared",
        a: shared_log(&["linkShared", "goos linux goarch amd64"]),
        b: shared_log(&["goos linux goarch amd64"]),
        expect: Some(link::LINKSHARED_MARKER),
        owner: None,
        beside: None,
        sources: Vec::new(),
    });
    cases.push(Case {
        table: LINK,
        field: "goos/goarch",
        a: shared_log(&["linkShared", "goos linux goarch amd64"]),
        b: shared_log(&["linkShared", "goos linux goarch arm64"]),
        expect: Some(shared::GOARCH),
        owner: None,
        beside: None,
        sources: Vec::new(),
    });
    for (field, a, b) in [
        (
            "top",
            "top example.com/m=aaaaaaaaaaaaaaaaaaaa",
            "top example.com/m=bbbbbbbbbbbbbbbbbbbb",
        ),
        (
            "packageshlib",
            "packageshlib example.com/m=aaaaaaaaaaaaaaaaaaaa",
            "packageshlib example.com/m=bbbbbbbbbbbbbbbbbbbb",
        ),
        (
            "packagemain",
            "packagemain aaaaaaaaaaaaaaaaaaaa/aaaaaaaaaaaaaaaaaaaa",
            "packagemain bbbbbbbbbbbbbbbbbbbb/bbbbbbbbbbbbbbbbbbbb",
        ),
    ] {
        let log = |line: &str| {
            if field == "packagemain" {
                link_block(&[line])
            } else {
                shared_log(&["linkShared", "goos linux goarch amd64", line])
            }
        };
        cases.push(
            Case {
                table: LINK,
                field,
                a: log(a),
                b: log(b),
                expect: Some(compile::NOT_BUILT),
                owner: None,
                beside: None,
                sources: Vec::new(),
            }
            .owned_by(COMPILE, "import"),
        );
    }

    // ---- vet ----
    cases.extend([
        vet_case(
            "vet",
            &[r#"vet "/usr/local/bin/myvet""#],
            &[r#"vet "/opt/myvet""#],
            vet::VETTOOL,
        ),
        vet_case(
            "vetxonly",
            &["vetxonly false"],
            &["vetxonly true"],
            vet::VETXONLY,
        ),
        vet_case(
            "vetflags",
            &["vetflags []"],
            &[r#"vetflags ["-json"]"#],
            vet::VETFLAGS,
        ),
        vet_case(
            "pkg",
            &[r#"pkg "0123456789abcdef0123456789abcdef""#],
            &[r#"pkg "1123456789abcdef0123456789abcdef""#],
            compile::NOT_BUILT,
        )
        .owned_by(COMPILE, "import"),
        vet_case(
            "vetout",
            &[r#"vetout "fmt" 2KUJZNEzMeJljhnrVVCq"#],
            &[r#"vetout "fmt" 3KUJZNEzMeJljhnrVVCq"#],
            compile::NOT_BUILT,
        )
        .owned_by(COMPILE, "import"),
        // ---- PGO preprocessing ----
        pgo_case(
            "preprocess PGO profile",
            &["preprocess PGO profile"],
            &["!preprocess PGO profile"],
            pgo::PGO_MARKER,
        ),
        pgo_case(
            "preprofile",
            &["preprofile preprofile version devel a"],
            &["preprofile preprofile version devel b"],
            pgo::PREPROFILE_TOOL,
        ),
        pgo_case(
            "input",
            &[r#"input "evZa8bt7ayM3UXrNEPzr""#],
            &[r#"input "fvZa8bt7ayM3UXrNEPzr""#],
            compile::PGO_CONTENT,
        )
        .owned_by(COMPILE, "pgofile"),
    ]);

    // ---- test results ----
    let env = |name: &'static str,
               value: &'static str|
     -> (&'static str, &'static str, &'static [&'static str]) {
        let nested: &'static [&'static str] = Box::leak(Box::new(["\u{1}", value]));
        ("env", name, nested)
    };
    let unset: &'static [&'static str] = &["\u{0}"];
    let leak = |v: Vec<(&'static str, &'static str, &'static [&'static str])>| -> &'static [(&'static str, &'static str, &'static [&'static str])] {
        Box::leak(v.into_boxed_slice())
    };
    cases.extend([
        test_case(
            TEST_RESULT,
            "test binary",
            Run::default(),
            Run {
                args: &["-test.timeout=10m0s", "-test.v=true"],
                ..Run::default()
            },
            test::TEST_FLAGS,
        ),
        test_case(
            TEST_RESULT,
            "test binary",
            Run::default(),
            Run {
                execcmd: &["qemu-arm"],
                ..Run::default()
            },
            test::TEST_EXEC,
        ),
        test_case(
            TEST_RESULT,
            "test binary",
            Run::default(),
            Run {
                binary: "G4ZO4M52_-IKy8okp89C",
                ..Run::default()
            },
            diff::UNLINKED_TEST_BINARY,
        ),
        test_case(
            TEST_RESULT,
            "test binary",
            Run::default(),
            Run {
                extra: &["caching disabled for test argument: -test.count=1"],
                ..Run::default()
            },
            test::TEST_CACHING,
        ),
        test_case(
            TEST_INPUTS,
            "env",
            Run {
                inputs: leak(vec![env("GREET_MODE", "a")]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![env("GREET_MODE", "b")]),
                ..Run::default()
            },
            test::TEST_ENV,
        ),
        test_case(
            TEST_INPUTS,
            "env",
            Run::default(),
            Run {
                inputs: leak(vec![env("GREET_MODE", "b")]),
                ..Run::default()
            },
            test::TEST_ENV_ONE_SIDE,
        ),
        test_case(
            TEST_INPUTS,
            "env",
            Run {
                inputs: leak(vec![env("TMPDIR", "/tmp/job-1")]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![env("TMPDIR", "/tmp/job-2")]),
                ..Run::default()
            },
            test::TEST_TMPDIR,
        ),
        test_case(
            TEST_INPUTS,
            "env",
            Run {
                inputs: leak(vec![("env", "GOTMPDIR", unset)]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![env("GOTMPDIR", "/tmp/go")]),
                ..Run::default()
            },
            test::TEST_GOTMPDIR,
        ),
        test_case(
            TEST_INPUTS,
            "env",
            Run {
                inputs: leak(vec![env("PWD", "/a/m/p")]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![env("PWD", "/b/m/p")]),
                ..Run::default()
            },
            test::TEST_PWD,
        ),
        test_case(
            TEST_INPUTS,
            "env",
            Run {
                inputs: leak(vec![env("HOME", "/root")]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![env("HOME", "/home/runner")]),
                ..Run::default()
            },
            test::TEST_USER,
        ),
        test_case(
            TEST_INPUTS,
            "env",
            Run {
                inputs: leak(vec![env("GODEBUG", "")]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![env("GODEBUG", "gocachehash=1")]),
                ..Run::default()
            },
            test::TEST_GODEBUG,
        ),
        test_case(
            GETENV,
            "value",
            Run {
                inputs: leak(vec![("env", "GREET_MODE", unset)]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![env("GREET_MODE", "")]),
                ..Run::default()
            },
            test::TEST_ENV_UNSET,
        ),
        test_case(
            GETENV,
            "value#2",
            Run {
                inputs: leak(vec![env("GREET_MODE", "")]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![("env", "GREET_MODE", unset)]),
                ..Run::default()
            },
            test::TEST_ENV_UNSET,
        ),
        test_case(
            TEST_INPUTS,
            "open",
            Run {
                inputs: leak(vec![("open", "/src/m/p/testdata/a.txt", &[STAT_OLD])]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![("open", "/src/m/p/testdata/a.txt", &[STAT_BIG])]),
                ..Run::default()
            },
            test::TEST_FILE_CHANGED,
        ),
        test_case(
            TEST_INPUTS,
            "stat",
            Run {
                inputs: leak(vec![("stat", "/a/m/p/testdata/a.txt", &[STAT_OLD])]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![("stat", "/b/m/p/testdata/a.txt", &[STAT_OLD])]),
                ..Run::default()
            },
            test::TEST_INPUT_MOVED,
        ),
        test_case(
            TEST_INPUTS,
            "chdir",
            Run::default(),
            Run {
                inputs: leak(vec![("chdir", "/src/m/p/testdata", &[STAT_DIR])]),
                ..Run::default()
            },
            test::TEST_INPUT_ONE_SIDE,
        ),
        test_case(
            TEST_INPUTS,
            "open",
            Run::default(),
            Run {
                extra: &["example.com/m/p: input file /src/m/p/testdata/a.txt: file used as input is too new"],
                ..Run::default()
            },
            test::TEST_TOO_NEW,
        ),
        test_case(
            TEST_INPUTS,
            "open",
            Run::default(),
            Run {
                extra: &["example.com/m/p: input file /src/m/p/testdata/a.txt: permission denied"],
                ..Run::default()
            },
            test::TEST_REJECTED,
        ),
        test_case(
            STAT,
            "stat",
            Run {
                inputs: leak(vec![("open", "/src/m/p/testdata/a.txt", &[STAT_OLD])]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![("open", "/src/m/p/testdata/a.txt", &[STAT_NEW])]),
                ..Run::default()
            },
            test::TEST_MTIME,
        ),
        test_case(
            STAT,
            "stat",
            Run {
                inputs: leak(vec![("open", "/src/m/p/testdata/a.txt", &[STAT_OLD])]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![("open", "/src/m/p/testdata/a.txt", &[STAT_EST])]),
                ..Run::default()
            },
            test::TEST_TIME_ZONE,
        ),
        test_case(
            STAT,
            "err",
            Run {
                inputs: leak(vec![("stat", "/src/m/p/testdata/a.txt", &[STAT_OLD])]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![(
                    "stat",
                    "/src/m/p/testdata/a.txt",
                    &["err stat /src/m/p/testdata/a.txt: no such file or directory\n"],
                )]),
                ..Run::default()
            },
            test::TEST_FILE_MISSING,
        ),
        test_case(
            STAT,
            "file",
            Run {
                inputs: leak(vec![(
                    "open",
                    "/src/m/p/testdata",
                    &[STAT_DIR, "file a.txt stat 11 1a4 2024-01-01 00:00:00 +0000 UTC false\n"],
                )]),
                ..Run::default()
            },
            Run {
                inputs: leak(vec![(
                    "open",
                    "/src/m/p/testdata",
                    &[
                        STAT_DIR,
                        "file a.txt stat 11 1a4 2024-01-01 00:00:00 +0000 UTC false\n",
                        "file b.txt stat 11 1a4 2024-01-01 00:00:00 +0000 UTC false\n",
                    ],
                )]),
                ..Run::default()
            },
            test::TEST_DIR_ENTRIES,
        ),
    ]);
    // ---- blocks that are no action key: they never cause a miss ----
    let not_keys = [
        (
            fields::COVERMETA,
            "dep",
            block("covermeta", &[SALT, &format!("dep {H1}\n")]),
            block("covermeta", &[SALT, &format!("dep {H2}\n")]),
        ),
        (
            TESTMAIN,
            "testmain",
            block("testmain", &[SALT, "testmain\n", "package main\n"]),
            block("testmain", &[SALT, "testmain\n", "package main // b\n"]),
        ),
        (
            GCC,
            "gccCompilerID",
            block("gccCompilerID", &[SALT, r#"gccCompilerID "/usr/bin/gcc""#]),
            block(
                "gccCompilerID",
                &[SALT, r#"gccCompilerID "/usr/local/bin/gcc""#],
            ),
        ),
        (
            GCC,
            "gccCompilerID identity",
            block(
                "gccCompilerID",
                &[SALT, r#"gccCompilerID ["/usr/bin/gcc"] "gcc version 12""#],
            ),
            block(
                "gccCompilerID",
                &[SALT, r#"gccCompilerID ["/usr/bin/gcc"] "gcc version 13""#],
            ),
        ),
        (
            TESTMAIN,
            "source",
            block("testmain", &[SALT, "testmain\n", "package main\n"]),
            block("testmain", &[SALT, "testmain\n", "package x\n"]),
        ),
    ];
    for (table, field, a, b) in not_keys {
        cases.push(Case {
            table,
            field,
            a,
            b,
            expect: None,
            owner: None,
            beside: None,
            sources: Vec::new(),
        });
    }
    // An unknown line.
    cases.push(build_case(
        "unknown",
        &[],
        &["newfield 1"],
        fields::UNKNOWN_LINE,
    ));
    cases
}

/// Whether `text` is one of the wording's texts, `{}` standing for any subject.
fn says(wording_variants: &[String], text: &str) -> bool {
    wording_variants.iter().any(|v| {
        let mut rest = text;
        let parts: Vec<&str> = v.split("{}").collect();
        for (i, part) in parts.iter().enumerate() {
            if i == 0 {
                let Some(r) = rest.strip_prefix(part) else {
                    return false;
                };
                rest = r;
            } else if i == parts.len() - 1 {
                return rest.ends_with(part);
            } else {
                let Some(at) = rest.find(part) else {
                    return false;
                };
                rest = &rest[at + part.len()..];
            }
        }
        rest.is_empty()
    })
}

fn explains(advice: &Advice, cause: &Cause) -> bool {
    cause.rows == advice.rows
        && says(&advice.why.variants(), &cause.why)
        && cause
            .fix
            .as_deref()
            .is_some_and(|f| says(&advice.fix.variants(), f))
}

/// The entry named `name` (`asm#2`: the second entry of that name, gccgo's `asm`).
fn entry(table: &'static [FieldSpec], name: &str) -> &'static FieldSpec {
    let (name, nth) = match name.split_once('#') {
        Some((n, i)) => (n, i.parse::<usize>().unwrap() - 1),
        None => (name, 0),
    };
    table
        .iter()
        .chain(std::iter::once(&fields::UNKNOWN))
        .filter(|s| s.name == name)
        .nth(nth)
        .unwrap_or_else(|| panic!("no field `{name}` in its table"))
}

/// Sources given by path and text, as if on this machine.
struct Sources<'s>(&'s [(String, String)]);

impl SourceFacts for Sources<'_> {
    fn header(&self, path: &str, _: &Digest) -> Option<SourceHeader> {
        let (_, text) = self.0.iter().find(|(p, _)| p == path)?;
        Some(source_header(text))
    }
}

fn compare(case: &Case) -> Vec<Cause> {
    let (a, b) = (&case.a, &case.b);
    let la = parse_log(a.as_bytes()).unwrap_or_else(|e| panic!("{e:?}\n{a}"));
    let lb = parse_log(b.as_bytes()).unwrap_or_else(|e| panic!("{e:?}\n{b}"));
    let sources = Sources(&case.sources);
    diff::compare_with_sources(&la, &lb, SideInfo::default(), SideInfo::default(), &sources).causes
}

/// Every advice there is: the entries' and the key-wide ones.
fn all_advice() -> Vec<(Option<&'static FieldSpec>, Advice)> {
    let mut out: Vec<(Option<&'static FieldSpec>, Advice)> = Vec::new();
    for (_, table) in fields::tables() {
        for spec in table {
            for a in spec.about.advice {
                out.push((Some(spec), *a));
            }
        }
    }
    out.extend(KEY_WIDE.iter().map(|a| (None, *a)));
    out
}

#[test]
fn every_field_kind_maps_to_its_own_explanation() {
    let cases = cases();
    assert!(cases.len() > 100, "{} cases", cases.len());
    let mut reached_entries: Vec<*const FieldSpec> = Vec::new();
    let mut reached_advice: Vec<Advice> = Vec::new();
    for case in &cases {
        let spec = entry(case.table, case.field);
        reached_entries.push(spec);
        let causes = compare(case);
        let Some(expect) = case.expect else {
            assert!(
                causes.is_empty(),
                "{}: a block that is no action key gave causes: {causes:#?}",
                case.field
            );
            for a in spec.about.advice {
                reached_advice.push(*a);
            }
            continue;
        };
        assert!(
            !causes.is_empty(),
            "{}: no cause for\n{}\n{}",
            case.field,
            case.a,
            case.b
        );
        for cause in causes
            .iter()
            .filter(|c| !case.beside.is_some_and(|b| explains(&b, c)))
        {
            assert!(
                explains(&expect, cause),
                "{}: the cause `{}` is not explained by its own advice {:?}:\nwhy {}\nfix {:?}",
                case.field,
                cause.field,
                expect.rows,
                cause.why,
                cause.fix
            );
        }
        // The advice is the entry's own, that of the entry the case names as its owner, or
        // one no field carries.
        let owner = case.owner.map_or(spec, |(t, f)| entry(t, f));
        assert!(
            owner.about.advice.contains(&expect) || KEY_WIDE.contains(&expect),
            "{}: {:?} is not an advice of `{}`",
            case.field,
            expect.rows,
            owner.name
        );
        reached_advice.push(expect);
    }
    for (name, table) in fields::tables() {
        for spec in table {
            assert!(
                reached_entries.contains(&(spec as *const FieldSpec)),
                "no case differs in `{}` of the {name} table",
                spec.name
            );
        }
    }
    for (owner, advice) in all_advice() {
        assert!(
            reached_advice.contains(&advice),
            "no case reaches the advice {:?} of {}",
            advice.rows,
            owner.map_or("the comparison", |s| s.name)
        );
    }
}

#[test]
fn no_two_advices_share_a_text_and_every_entry_has_its_own() {
    let all = all_advice();
    let mut whys: Vec<(String, &[&str])> = Vec::new();
    let mut fixes: Vec<(String, &[&str])> = Vec::new();
    let mut distinct: Vec<Advice> = Vec::new();
    for (_, a) in &all {
        if !distinct.contains(a) {
            distinct.push(*a);
        }
    }
    assert!(distinct.len() > 90, "{} advices", distinct.len());
    for a in &distinct {
        assert!(!a.rows.is_empty());
        for (list, wording) in [(&mut whys, a.why), (&mut fixes, a.fix)] {
            for text in wording.variants() {
                assert!(
                    text.len() > 30,
                    "{:?}: too short to explain: {text}",
                    a.rows
                );
                if let Some((_, other)) = list.iter().find(|(t, _)| *t == text) {
                    panic!("{:?} and {:?} share the text: {text}", a.rows, other);
                }
                list.push((text, a.rows));
            }
        }
    }
    // Entries that share an advice are the same kind of field: the same advice list, the same
    // category (CC, CXX and FC; compile's and link's trimpath; the dependency references).
    for (_, table) in fields::tables() {
        for spec in table {
            assert!(
                !spec.about.advice.is_empty(),
                "`{}` has no advice",
                spec.name
            );
        }
    }
    for (x, ax) in all.iter().filter_map(|(s, a)| s.map(|s| (s, a))) {
        for (y, ay) in all.iter().filter_map(|(s, a)| s.map(|s| (s, a))) {
            if ax == ay && !std::ptr::eq(x, y) {
                assert!(
                    x.about.advice == y.about.advice && x.category == y.category,
                    "`{}` and `{}` share the advice {:?} but are not the same kind of field",
                    x.name,
                    y.name,
                    ax.rows
                );
            }
        }
    }
}

/// The first cells of the table rows of `docs/key-inputs.md`: `B03`, `M10`, `P1`, …, and the
/// numbers of its section 2 headings (`2.6`).
fn doc_ids() -> (BTreeSet<String>, BTreeSet<String>) {
    let text = std::fs::read_to_string(repo().join("docs/key-inputs.md")).unwrap();
    let mut rows = BTreeSet::new();
    let mut sections = BTreeSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("| ") {
            let id = rest.split(" |").next().unwrap_or("").trim();
            if !id.is_empty()
                && id.len() <= 4
                && id.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && id.chars().skip(1).all(|c| c.is_ascii_alphanumeric())
                && id.chars().any(|c| c.is_ascii_digit())
            {
                rows.insert(id.to_string());
            }
        } else if let Some(rest) = line.strip_prefix("### ")
            && let Some(number) = rest.split(' ').next()
            && number.starts_with("2.")
        {
            sections.insert(number.to_string());
        }
    }
    (rows, sections)
}

#[test]
fn the_key_inputs_doc_has_a_row_for_every_advice_and_no_row_without_one() {
    let (rows, sections) = doc_ids();
    assert!(rows.len() > 100, "{} rows", rows.len());
    let mut cited: BTreeSet<String> = BTreeSet::new();
    for (owner, advice) in all_advice() {
        for id in advice.rows {
            assert!(
                rows.contains(*id) || sections.contains(*id),
                "the advice {:?} of {} cites {id}, which docs/key-inputs.md does not have",
                advice.rows,
                owner.map_or("the comparison", |s| s.name)
            );
            cited.insert(id.to_string());
        }
    }
    let uncited: Vec<&String> = rows.difference(&cited).collect();
    assert!(
        uncited.is_empty(),
        "rows of docs/key-inputs.md that no advice condenses: {uncited:?}"
    );
}

/// The tables of `docs/key-inputs.md`: each row's cells by the column names of its header.
fn doc_tables() -> Vec<Vec<Vec<(String, String)>>> {
    let text = std::fs::read_to_string(repo().join("docs/key-inputs.md")).unwrap();
    let cells = |line: &str| -> Vec<String> {
        let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
        let mut out = vec![String::new()];
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' && chars.peek() == Some(&'|') {
                out.last_mut().unwrap().push('|');
                chars.next();
            } else if c == '|' {
                out.push(String::new());
            } else {
                out.last_mut().unwrap().push(c);
            }
        }
        out.into_iter().map(|c| c.trim().to_string()).collect()
    };
    let mut tables = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i + 1 < lines.len() {
        if lines[i].trim_start().starts_with('|') && lines[i + 1].trim_start().starts_with("|---") {
            let header = cells(lines[i]);
            let mut rows = Vec::new();
            i += 2;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                rows.push(header.iter().cloned().zip(cells(lines[i])).collect());
                i += 1;
            }
            tables.push(rows);
        } else {
            i += 1;
        }
    }
    tables
}

fn cell<'r>(row: &'r [(String, String)], name: &str) -> Option<&'r str> {
    row.iter().find(|(h, _)| h == name).map(|(_, v)| v.as_str())
}

/// Each entry's category is the one its rows give (a row may list several, by case).
#[test]
fn the_key_inputs_doc_gives_each_entry_its_category() {
    let tables = doc_tables();
    let category_of = |id: &str| -> Option<String> {
        tables
            .iter()
            .flatten()
            .find(|row| cell(row, "id") == Some(id))
            .and_then(|row| cell(row, "category").map(str::to_string))
    };
    let mut checked = 0;
    for (_, table) in fields::tables() {
        for spec in table {
            let cells: Vec<String> = spec
                .about
                .advice
                .iter()
                .flat_map(|a| a.rows.iter())
                .filter_map(|id| category_of(id))
                .collect();
            assert!(
                cells.iter().any(|c| c.contains(spec.category.as_str())),
                "`{}` is {} but its rows say {cells:?}",
                spec.name,
                spec.category
            );
            checked += 1;
        }
    }
    assert!(checked > 70, "{checked}");
}

/// `docs/key-inputs.tsv` is the rows of section 1 of `docs/key-inputs.md`, machine-readable.
/// `WHYMISS_BLESS=1` rewrites it.
#[test]
fn key_inputs_tsv_is_generated_from_the_md() {
    let mut out = String::from("id\tblock\tformat\tversions\tsource\tcategory\tknob\twhy\tfix\n");
    let tsv_cell = |s: &str| s.replace(['\t', '\n'], " ");
    let mut rows = 0;
    for table in doc_tables() {
        for row in &table {
            let get = |name: &str| cell(row, name).map(tsv_cell).unwrap_or_default();
            let line = if cell(row, "format (as in the Go source)").is_some() {
                [
                    get("id"),
                    get("block"),
                    get("format (as in the Go source)"),
                    get("Go versions"),
                    get("source (`$GOROOT/src/cmd/go/internal/…`)"),
                    get("category"),
                    get("knob"),
                    get("why it is in the key"),
                    get("fix when the sides differ"),
                ]
            } else if cell(row, "modinfo line").is_some() {
                [
                    get("id"),
                    "build (modinfo line)".to_string(),
                    get("modinfo line"),
                    get("Go versions"),
                    "load/pkg.go: (*Package).setBuildInfo".to_string(),
                    get("category"),
                    get("knob"),
                    get("why"),
                    get("fix"),
                ]
            } else {
                continue;
            };
            out.push_str(&line.join("\t"));
            out.push('\n');
            rows += 1;
        }
    }
    assert!(rows > 100, "{rows} rows");
    let path = repo().join("docs/key-inputs.tsv");
    if std::env::var_os("WHYMISS_BLESS").is_some() {
        std::fs::write(&path, &out).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == out,
        "docs/key-inputs.tsv is not generated from docs/key-inputs.md: run \
         WHYMISS_BLESS=1 cargo test --test offline key_inputs_tsv"
    );
}

/// The -ldflags text said the main package is recompiled, which is true only without
/// -trimpath: with -trimpath on both sides the build information leaves -ldflags out and only
/// the link reruns.
#[test]
fn the_ldflags_text_reads_whether_both_sides_trim_paths() {
    let side = |trimpath: bool, value: &str| {
        let flags = format!(r#"linkflags ["-X=main.v={value}"]"#);
        let mut edits = vec![flags.as_str()];
        let mut compile = vec![];
        if trimpath {
            edits.extend(["trimpath", "GOROOT="]);
            compile.extend(["-dir ", "trimpath", "module example.com/m@"]);
        }
        let mut log = build_block(PKG, SALT, &compile);
        log.push_str(&link_block(&edits));
        log
    };
    let why = |trimpath: bool| {
        let case = Case {
            table: fields::LINK,
            field: "linkflags",
            a: side(trimpath, "1"),
            b: side(trimpath, "2"),
            expect: None,
            owner: None,
            beside: None,
            sources: Vec::new(),
        };
        let causes = compare(&case);
        assert_eq!(causes.len(), 1, "{causes:#?}");
        causes[0].why.clone()
    };
    assert!(why(true).contains("only re-links"), "{}", why(true));
    assert!(
        why(false).contains("recompiles the main package"),
        "{}",
        why(false)
    );
}

/// The list of cacheable test flags in the text was Go 1.25's whatever the release: it is the
/// release of the side whose caching is off (-skip is cacheable since 1.25).
#[test]
fn the_cacheable_test_flags_are_those_of_the_side_whose_caching_is_off() {
    let text = |salt: &str| {
        let log = |extra: &'static [&'static str]| {
            test_log(&Run {
                extra,
                ..Run::default()
            })
            .replace(SALT, salt)
        };
        // The blocks no longer verify with another salt: they are compared as reconstructed.
        let case = Case {
            table: fields::TEST_RESULT,
            field: "test binary",
            a: log(&[]),
            b: log(&["caching disabled for test argument: -test.skip=X"]),
            expect: None,
            owner: None,
            beside: None,
            sources: Vec::new(),
        };
        let causes = compare(&case);
        let cause = causes.iter().find(|c| c.field == "test caching").unwrap();
        (cause.why.clone(), cause.fix.clone().unwrap())
    };
    let (why, fix) = text("go1.24.11");
    assert!(why.contains("in Go 1.24 are"), "{why}");
    assert!(!why.contains("-skip"), "{why}");
    assert!(fix.contains("before Go 1.25"), "{fix}");
    let (why, fix) = text("go1.25.5");
    assert!(
        why.contains("-skip") && why.contains("-coverprofile"),
        "{why}"
    );
    assert!(!fix.contains("before Go 1.25"), "{fix}");
}
