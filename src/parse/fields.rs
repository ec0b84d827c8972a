//! From a demultiplexed block to typed fields: split the writes into logical lines, then read
//! each line with its block kind's field table ([`crate::model::fields`]): the first field whose
//! prefix the line has (or, failing that, the first without a fixed prefix that takes it) reads
//! it with its grammar; a line no field reads is `unknown`.

use std::borrow::Cow;

use super::demux::RawBlock;
use super::grammar::{Borrow, Copied, Cursor};
use super::unquote::{bytes_into_text, unquote_body};
use crate::model::fields::{self, FieldSpec, Finder};
use crate::model::{ActionKind, Field, Input, Text};

/// The salt and logical lines of a block.
pub(crate) struct Lines<'a> {
    pub salt: Text<'a>,
    pub fields: Vec<Field<'a>>,
}

/// The salt: the first write, when the block's opening line was seen (else unknown, empty).
pub(crate) fn block_salt<'a>(block: &RawBlock<'a>) -> Text<'a> {
    match block.writes.first() {
        Some(w) if block.open_line.is_some() => payload_text(w.body, false),
        _ => Cow::Borrowed(""),
    }
}

/// Splits a block into logical lines and reads each with the field table of `kind`.
pub(crate) fn block_fields<'a>(block: &RawBlock<'a>, kind: ActionKind) -> Lines<'a> {
    let finder = Finder::new(fields::table(kind));
    let salt = block_salt(block);
    let mut writes = block.writes.iter();
    if block.open_line.is_some() {
        writes.next();
    }
    let mut pending: Option<(u32, Vec<u8>)> = None;
    let mut fields = Vec::with_capacity(block.writes.len());
    if kind == ActionKind::Getenv {
        return Lines {
            salt,
            fields: getenv_fields(finder, writes.as_slice()),
        };
    }
    let field = |line: u32, text: Text<'a>| {
        let (input, spec) = read_line(finder, &text);
        Field {
            line,
            text,
            input,
            spec,
        }
    };
    for w in writes {
        if kind == ActionKind::GccCompilerId {
            // Its writes are not newline-terminated lines; each is a field.
            let newline = w.body.ends_with(b"\\n") && !ends_in_escaped_backslash(w.body);
            fields.push(field(w.line, payload_text(w.body, newline)));
            continue;
        }
        let ends_line = w.body.ends_with(b"\\n") && !ends_in_escaped_backslash(w.body);
        match (&mut pending, ends_line) {
            (None, true) => fields.push(field(w.line, payload_text(w.body, true))),
            (None, false) => {
                pending = Some((w.line, unquoted(w.body).into_owned()));
            }
            (Some((_, buf)), _) => {
                buf.extend_from_slice(&unquoted(w.body));
                if ends_line {
                    let (line, mut buf) = pending.take().expect("pending");
                    buf.pop();
                    fields.push(field(line, Cow::Owned(bytes_into_text(buf))));
                }
            }
        }
    }
    // A last line without a newline (testResult has none).
    if let Some((line, buf)) = pending {
        fields.push(field(line, Cow::Owned(bytes_into_text(buf))));
    }
    Lines { salt, fields }
}

/// The field of `table` that reads `text`, and what it read; [`fields::UNKNOWN`] and the text
/// itself when no field reads it (the tests' way in; the parser keeps one finder per block).
#[cfg(test)]
pub(crate) fn read_field<'a>(
    table: &'static [FieldSpec],
    text: &Text<'a>,
) -> (Input<'a>, &'static FieldSpec) {
    read_line(Finder::new(table), text)
}

/// The field of the finder's table that reads `text`, and what it read.
fn read_line<'a>(finder: Finder, text: &Text<'a>) -> (Input<'a>, &'static FieldSpec) {
    let table = finder.table();
    if let Some(first) = finder.find(text.as_bytes()) {
        let matching = table[first].matching;
        // Fields that share a prefix are alternatives, tried in order.
        for spec in table[first..].iter().take_while(|f| f.matching == matching) {
            if let Some(input) = read_with(spec, text, spec.matching.prefix().len()) {
                return (input, spec);
            }
        }
    }
    let unknown = match text {
        Cow::Borrowed(s) => Input::Unknown(Cow::Borrowed(s)),
        Cow::Owned(s) => Input::Unknown(Cow::Owned(s.clone())),
    };
    (unknown, &fields::UNKNOWN)
}

/// Runs `spec`'s grammar on `text` from byte `start`; `None` unless it reads all of it.
fn read_with<'a>(spec: &FieldSpec, text: &Text<'a>, start: usize) -> Option<Input<'a>> {
    match text {
        Cow::Borrowed(s) => {
            let mut cursor = Cursor::<Borrow>::new(s.get(start..)?);
            let input = (spec.grammar)(&mut cursor)?;
            crate::model::fields::Reader::is_empty(&cursor).then_some(input)
        }
        Cow::Owned(s) => {
            let mut cursor = Cursor::<Copied>::new(s.get(start..)?);
            let input = (spec.grammar)(&mut cursor)?;
            crate::model::fields::Reader::is_empty(&cursor).then_some(input)
        }
    }
}

/// True if the body ends with `\\n` where the backslash before `n` is itself escaped (`\\\\n`
/// is a backslash followed by the letter n, not a newline).
fn ends_in_escaped_backslash(body: &[u8]) -> bool {
    let before = &body[..body.len() - 2];
    let run = before.iter().rev().take_while(|&&b| b == b'\\').count();
    run % 2 == 1
}

fn unquoted(body: &[u8]) -> Cow<'_, [u8]> {
    // The demultiplexer already checked every escape.
    unquote_body(body).unwrap_or(Cow::Borrowed(body))
}

/// The text of one write, without its final newline when `strip_newline`. Borrowed from the
/// log when the body has no escape other than the final `\n`.
fn payload_text(body: &[u8], strip_newline: bool) -> Text<'_> {
    let core = if strip_newline {
        &body[..body.len() - 2]
    } else {
        body
    };
    if memchr::memchr2(b'\\', b'"', core).is_none()
        && let Ok(s) = std::str::from_utf8(core)
    {
        return Cow::Borrowed(s);
    }
    let mut bytes = unquoted(body).into_owned();
    if strip_newline {
        bytes.pop();
    }
    Cow::Owned(bytes_into_text(bytes))
}

/// `getenv` writes (`hashGetenv` in `cmd/go/internal/test/test.go`): a presence byte (`\x00`
/// unset, `\x01` set), then the raw value when set. The pair becomes one field whose text is the
/// Go-escaped bytes of both writes.
fn getenv_fields<'a>(finder: Finder, writes: &[super::demux::WriteRef<'a>]) -> Vec<Field<'a>> {
    let mut fields = Vec::new();
    let mut i = 0;
    while i < writes.len() {
        let w = writes[i];
        let presence = payload_text(w.body, false);
        let (input, spec) = read_line(finder, &presence);
        let (input, text) = if let Input::EnvValue(_) = input {
            let value = writes.get(i + 1).map(|v| v.body).unwrap_or(b"");
            i += usize::from(i + 1 < writes.len());
            let value_text = payload_text(value, false);
            let mut shown = String::from("\\x01");
            super::unquote::push_escaped(&unquoted(value), &mut shown);
            let input = read_with(spec, &value_text, 0).unwrap_or(input);
            (input, Cow::Owned(shown))
        } else if let Input::EnvUnset = input {
            (input, Cow::Borrowed("\\x00"))
        } else {
            (input, presence)
        };
        fields.push(Field {
            line: w.line,
            text,
            input,
            spec,
        });
        i += 1;
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CLang, Digest, FileInput, StatInfo};

    fn s(x: &str) -> Text<'_> {
        Cow::Borrowed(x)
    }

    fn read<'a>(table: &'static [FieldSpec], line: &'a str) -> Input<'a> {
        read_field(table, &Cow::Borrowed(line)).0
    }

    fn build_field(line: &str) -> Input<'_> {
        read(fields::COMPILE, line)
    }

    fn link_field(line: &str) -> Input<'_> {
        read(fields::LINK, line)
    }

    fn vet_field(line: &str) -> Input<'_> {
        read(fields::VET, line)
    }

    fn test_result_field(line: &str) -> Input<'_> {
        read(fields::TEST_RESULT, line)
    }

    fn test_inputs_field(line: &str) -> Input<'_> {
        read(fields::TEST_INPUTS, line)
    }

    fn stat_field(line: &str) -> Input<'_> {
        read(fields::STAT, line)
    }

    fn pgo_field(line: &str) -> Input<'_> {
        read(fields::PGO, line)
    }

    fn gcc_field(line: &str) -> Input<'_> {
        read(fields::GCC, line)
    }

    #[test]
    fn build_simple_fields() {
        assert_eq!(build_field("compile"), Input::CompileAction);
        assert_eq!(build_field("dir /a b/c"), Input::Dir(s("/a b/c")));
        assert_eq!(
            build_field("module example.com/a@v1.2.3"),
            Input::Module {
                path: s("example.com/a"),
                version: s("v1.2.3")
            }
        );
        assert_eq!(build_field("go 1.21"), Input::GoDirective(s("1.21")));
        assert_eq!(
            build_field("goos linux goarch amd64"),
            Input::Target {
                goos: s("linux"),
                goarch: s("amd64")
            }
        );
        assert_eq!(
            build_field(r#"import "example.com/a""#),
            Input::ImportPath(s("example.com/a"))
        );
        assert_eq!(
            build_field("import fmt tlINFtZ4xP8L8iEZbR7i"),
            Input::Import {
                path: s("fmt"),
                content_id: s("tlINFtZ4xP8L8iEZbR7i")
            }
        );
        assert_eq!(
            build_field("import unsafe "),
            Input::Import {
                path: s("unsafe"),
                content_id: s("")
            }
        );
        assert_eq!(
            build_field(r#"omitdebug false standard true local false prefix """#),
            Input::OmitDebug {
                omit_debug: false,
                standard: true,
                local: false,
                prefix: s("")
            }
        );
        assert_eq!(build_field("trimpath"), Input::Trimpath);
        assert_eq!(build_field("forcelibrary"), Input::ForceLibrary);
    }

    #[test]
    fn build_tool_fields() {
        assert_eq!(
            build_field(r#"compile compile version go1.27.3 X:fieldtrack [] ["-N" "-l"]"#),
            Input::CompileTool {
                tool: s("compile version go1.27.3 X:fieldtrack"),
                forced: vec![],
                flags: vec![s("-N"), s("-l")]
            }
        );
        assert_eq!(
            build_field(r#"asm "asm version go1.27.3" [] []"#),
            Input::AsmTool {
                tool: s("asm version go1.27.3"),
                forced: vec![],
                flags: vec![]
            }
        );
        assert_eq!(
            build_field(r#"asm "gcc version 12""#),
            Input::GccgoAsm(s("gcc version 12"))
        );
        assert_eq!(
            build_field(r#"cgo "cgo version go1.27.3""#),
            Input::CgoTool(s("cgo version go1.27.3"))
        );
        assert_eq!(
            build_field(r#"cover "set" "cover version go1.27.3""#),
            Input::Cover {
                mode: s("set"),
                tool: s("cover version go1.27.3")
            }
        );
        assert_eq!(
            build_field(r#"fuzz ["-d=libfuzzer"]"#),
            Input::Fuzz(vec![s("-d=libfuzzer")])
        );
    }

    #[test]
    fn build_cgo_fields() {
        assert_eq!(
            build_field(r#"CC=["gcc"] [] ["-O2" "-g" "-I/x/include"] ["-O2" "-g"]"#),
            Input::CCompiler {
                lang: CLang::C,
                exe: vec![s("gcc")],
                flags: vec![
                    vec![],
                    vec![s("-O2"), s("-g"), s("-I/x/include")],
                    vec![s("-O2"), s("-g")]
                ]
            }
        );
        assert_eq!(
            build_field(r#"CXX=["g++"] ["-O2"]"#),
            Input::CCompiler {
                lang: CLang::Cxx,
                exe: vec![s("g++")],
                flags: vec![vec![s("-O2")]]
            }
        );
        assert_eq!(
            build_field(r#"CC ID="gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) ""#),
            Input::CCompilerId {
                lang: CLang::C,
                id: s("gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) "),
                error: false
            }
        );
        assert_eq!(
            build_field(r#"FC ID ERROR="exec: \"gfortran\": not found""#),
            Input::CCompilerId {
                lang: CLang::Fortran,
                id: Cow::Owned("exec: \"gfortran\": not found".into()),
                error: true
            }
        );
    }

    #[test]
    fn build_env_and_files() {
        assert_eq!(
            build_field("GOAMD64=v3"),
            Input::ArchEnv {
                key: s("GOAMD64"),
                value: s("v3")
            }
        );
        assert_eq!(
            build_field("="),
            Input::ArchEnv {
                key: s(""),
                value: s("")
            }
        );
        assert_eq!(
            build_field(r#"GOEXPERIMENT="fieldtrack""#),
            Input::Experiment(s("fieldtrack"))
        );
        assert_eq!(
            build_field("magic GOSSAFUNC=main"),
            Input::Magic {
                key: s("GOSSAFUNC"),
                value: s("main")
            }
        );
        assert_eq!(
            build_field("file my file.go 2KUJZNEzMeJljhnrVVCq"),
            Input::File(FileInput {
                name: s("my file.go"),
                id: s("2KUJZNEzMeJljhnrVVCq"),
                path: None,
                hash: None
            })
        );
        assert_eq!(
            build_field("pgofile evZa8bt7ayM3UXrNEPzr"),
            Input::PgoFile(s("evZa8bt7ayM3UXrNEPzr"))
        );
        assert_eq!(
            build_field("weird new line"),
            Input::Unknown(s("weird new line"))
        );
        assert_eq!(build_field("lower=x"), Input::Unknown(s("lower=x")));
    }

    #[test]
    fn build_modinfo() {
        let line = r#"modinfo "path\texample.com/a\nmod\texample.com/a\t(devel)\t\ndep\texample.com/d\tv1.0.0\th1:x=\n=>\t../d\t\t\nbuild\t-ldflags=\"-X main.v=1\"\nbuild\tCGO_ENABLED=1\nbuild\tvcs.modified=false\n""#;
        let Input::ModInfo(m) = build_field(line) else {
            panic!("not modinfo")
        };
        assert_eq!(m.path.as_deref(), Some("example.com/a"));
        assert_eq!(m.main.as_ref().unwrap().version, "(devel)");
        assert_eq!(m.deps.len(), 1);
        assert_eq!(m.deps[0].replace.as_ref().unwrap().path, "../d");
        assert_eq!(m.deps[0].display(), "example.com/d@v1.0.0 => ../d");
        assert_eq!(m.setting("-ldflags"), Some("-X main.v=1"));
        assert_eq!(m.setting("CGO_ENABLED"), Some("1"));
        assert_eq!(m.settings.len(), 3);
        assert!(m.other.is_empty());
    }

    #[test]
    fn link_fields() {
        assert_eq!(link_field("link"), Input::LinkAction);
        assert_eq!(
            link_field("buildmode exe goos linux goarch arm64"),
            Input::LinkTarget {
                buildmode: s("exe"),
                goos: s("linux"),
                goarch: s("arm64")
            }
        );
        assert_eq!(
            link_field(r#"defaultgodebug "a=1,b=0""#),
            Input::DefaultGodebug(s("a=1,b=0"))
        );
        assert_eq!(
            link_field("link link version go1.27.3 X:fieldtrack [] exe"),
            Input::LinkTool {
                tool: s("link version go1.27.3 X:fieldtrack"),
                forced: Some(vec![]),
                buildmode: s("exe")
            }
        );
        assert_eq!(
            link_field("link gccgo-id exe"),
            Input::LinkTool {
                tool: s("gccgo-id"),
                forced: None,
                buildmode: s("exe")
            }
        );
        assert_eq!(
            link_field(r#"linkflags ["-X=main.v=1"]"#),
            Input::LinkFlags(vec![s("-X=main.v=1")])
        );
        assert_eq!(link_field("GOROOT="), Input::Goroot(s("")));
        assert_eq!(link_field("GOROOT=$GOROOT"), Input::Goroot(s("$GOROOT")));
        assert_eq!(
            link_field("GO_EXTLINK_ENABLED="),
            Input::ExtLinkEnabled(s(""))
        );
        assert_eq!(
            link_field("packagefile example.com/a=fFi3DmMZ2pLM4KUT5V0z"),
            Input::PackageFile {
                path: s("example.com/a"),
                content_id: s("fFi3DmMZ2pLM4KUT5V0z")
            }
        );
        assert_eq!(
            link_field("packagemain JsXCgZk0wK2GANlJrMwC/fFi3DmMZ2pLM4KUT5V0z"),
            Input::PackageMain {
                action_id: s("JsXCgZk0wK2GANlJrMwC"),
                content_id: s("fFi3DmMZ2pLM4KUT5V0z")
            }
        );
        assert_eq!(
            link_field("top a=b"),
            Input::Top {
                path: s("a"),
                content_id: s("b")
            }
        );
        assert_eq!(
            link_field("GOARM64=v8.0"),
            Input::ArchEnv {
                key: s("GOARM64"),
                value: s("v8.0")
            }
        );
    }

    #[test]
    fn vet_fields() {
        assert_eq!(
            vet_field(r#"vet "vet version go1.27.3""#),
            Input::VetTool(s("vet version go1.27.3"))
        );
        assert_eq!(vet_field("vetxonly true"), Input::VetxOnly(true));
        assert_eq!(
            vet_field(r#"vetflags ["-unsafeptr=false"]"#),
            Input::VetFlags(vec![s("-unsafeptr=false")])
        );
        assert_eq!(
            vet_field(r#"vetout "fmt" abc"#),
            Input::VetOut {
                path: s("fmt"),
                id: s("abc")
            }
        );
        let raw = [7u8; 32];
        let inner = crate::parse::unquote::quote(&raw);
        match vet_field(&format!("pkg {inner}")) {
            Input::VetPkg(Some(d)) => assert_eq!(d.0, raw),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn test_fields() {
        assert_eq!(
            test_result_field(
                r#"test binary F4ZO4M52_-IKy8okp89C args ["-test.timeout=10m0s"] execcmd []"#
            ),
            Input::TestBinary {
                id: s("F4ZO4M52_-IKy8okp89C"),
                args: vec![s("-test.timeout=10m0s")],
                execcmd: vec![]
            }
        );
        let hex = "03baa8ec10e7f0dc2f24ccb9fb05b89f0363b88b0c9861a26a80dcccb444a7f4";
        assert_eq!(
            test_inputs_field(&format!("open /a b/hello.txt {hex}")),
            Input::TestOpen {
                path: s("/a b/hello.txt"),
                hash: Digest::from_hex(hex.as_bytes()).unwrap()
            }
        );
        assert_eq!(
            stat_field("stat 14 1a4 2024-01-01 00:00:00 +0000 UTC false"),
            Input::Stat(StatInfo {
                size: 14,
                mode: s("1a4"),
                mtime: s("2024-01-01 00:00:00 +0000 UTC"),
                is_dir: false
            })
        );
        assert!(matches!(
            stat_field("file x.txt stat 1 1a4 2024-01-01 00:00:00 +0000 UTC false"),
            Input::DirEntry { stat: Some(_), .. }
        ));
        assert_eq!(
            stat_field("err open /x: no such file"),
            Input::StatError(s("open /x: no such file"))
        );
        assert_eq!(
            pgo_field(r#"input "evZa8bt7ayM3UXrNEPzr""#),
            Input::PgoInput(s("evZa8bt7ayM3UXrNEPzr"))
        );
        assert_eq!(
            gcc_field(r#"gccCompilerID ["/usr/bin/gcc" ""] "gcc version 12""#),
            Input::GccIdentity {
                exe: vec![s("/usr/bin/gcc"), s("")],
                id: s("gcc version 12")
            }
        );
        assert_eq!(
            gcc_field(r#"gccCompilerID "/usr/bin/gcc""#),
            Input::GccLookup(s("/usr/bin/gcc"))
        );
    }

    /// A line of every field of every table, as Go prints it. (A function: a constant would
    /// hold copies of the tables, not the tables.)
    fn examples() -> Vec<(&'static [FieldSpec], &'static str)> {
        vec![
            (fields::COMPILE, "compile"),
            (fields::COMPILE, "dir /src/app/greet"),
            (fields::COMPILE, "module example.com/a@v1.2.3"),
            (fields::COMPILE, "go 1.21"),
            (fields::COMPILE, "goos linux goarch amd64"),
            (fields::COMPILE, r#"import "example.com/a""#),
            (
                fields::COMPILE,
                r#"omitdebug false standard true local false prefix """#,
            ),
            (fields::COMPILE, "trimpath"),
            (fields::COMPILE, "forcelibrary"),
            (fields::COMPILE, r#"cgo "cgo version go1.27.3""#),
            (
                fields::COMPILE,
                r#"CC=["gcc"] [] ["-O2" "-g"] ["-O2" "-g"]"#,
            ),
            (fields::COMPILE, r#"CC ID="gcc version 12.2.0""#),
            (fields::COMPILE, r#"CXX=["g++"] ["-O2"]"#),
            (
                fields::COMPILE,
                r#"CXX ID ERROR="exec: \"g++\": not found""#,
            ),
            (fields::COMPILE, r#"FC=["gfortran"] []"#),
            (fields::COMPILE, r#"FC ID="GNU Fortran 12""#),
            (fields::COMPILE, r#"cover "set" "cover version go1.27.3""#),
            (fields::COMPILE, r#"fuzz ["-d=libfuzzer"]"#),
            (fields::COMPILE, r#"modinfo "path\texample.com/a\n""#),
            (fields::COMPILE, "compile compile version go1.27.3 [] []"),
            (fields::COMPILE, "pkgpath example.com/a"),
            (fields::COMPILE, r#"ar "ar""#),
            (fields::COMPILE, r#"asm "asm version go1.27.3" [] []"#),
            (fields::COMPILE, r#"asm "gcc version 12""#),
            (fields::COMPILE, "GOAMD64=v1"),
            (fields::COMPILE, r#"GOEXPERIMENT="fieldtrack""#),
            (fields::COMPILE, "magic GOSSAFUNC=main"),
            (fields::COMPILE, "file greet.go 2KUJZNEzMeJljhnrVVCq"),
            (fields::COMPILE, "import fmt tlINFtZ4xP8L8iEZbR7i"),
            (fields::COMPILE, "pgofile evZa8bt7ayM3UXrNEPzr"),
            (fields::LINK, "link"),
            (fields::LINK, "linkShared"),
            (fields::LINK, "buildmode exe goos linux goarch amd64"),
            (fields::LINK, "goos linux goarch amd64"),
            (fields::LINK, r#"import "example.com/a""#),
            (
                fields::LINK,
                r#"omitdebug false standard false local false prefix """#,
            ),
            (fields::LINK, r#"defaultgodebug "a=1""#),
            (fields::LINK, "trimpath"),
            (fields::LINK, "link link version go1.27.3 [] exe"),
            (fields::LINK, r#"linkflags ["-X=main.v=1"]"#),
            (fields::LINK, "GOAMD64=v1"),
            (fields::LINK, r#"GOEXPERIMENT="fieldtrack""#),
            (fields::LINK, "GOROOT=/usr/local/go"),
            (fields::LINK, "GO_EXTLINK_ENABLED="),
            (fields::LINK, "packagefile fmt=fFi3DmMZ2pLM4KUT5V0z"),
            (
                fields::LINK,
                "packagemain JsXCgZk0wK2GANlJrMwC/fFi3DmMZ2pLM4KUT5V0z",
            ),
            (fields::LINK, "packageshlib fmt=fFi3DmMZ2pLM4KUT5V0z"),
            (fields::LINK, "top fmt=fFi3DmMZ2pLM4KUT5V0z"),
            (fields::VET, r#"vet "vet version go1.27.3""#),
            (fields::VET, "vetxonly false"),
            (fields::VET, r#"vetflags ["-unsafeptr=false"]"#),
            (fields::VET, r#"pkg "0123456789abcdef0123456789abcdef""#),
            (fields::VET, r#"vetout "fmt" 2KUJZNEzMeJljhnrVVCq"#),
            (fields::PGO, "preprocess PGO profile"),
            (fields::PGO, "preprofile preprofile version go1.27.3"),
            (fields::PGO, r#"input "evZa8bt7ayM3UXrNEPzr""#),
            (
                fields::TEST_RESULT,
                r#"test binary F4ZO4M52_-IKy8okp89C args ["-test.timeout=10m0s"] execcmd []"#,
            ),
            (
                fields::TEST_INPUTS,
                "env HOME 03baa8ec10e7f0dc2f24ccb9fb05b89f0363b88b0c9861a26a80dcccb444a7f4",
            ),
            (
                fields::TEST_INPUTS,
                "chdir /a 03baa8ec10e7f0dc2f24ccb9fb05b89f0363b88b0c9861a26a80dcccb444a7f4",
            ),
            (
                fields::TEST_INPUTS,
                "stat /a 03baa8ec10e7f0dc2f24ccb9fb05b89f0363b88b0c9861a26a80dcccb444a7f4",
            ),
            (
                fields::TEST_INPUTS,
                "open /a 03baa8ec10e7f0dc2f24ccb9fb05b89f0363b88b0c9861a26a80dcccb444a7f4",
            ),
            (
                fields::STAT,
                "stat 14 1a4 2024-01-01 00:00:00 +0000 UTC false",
            ),
            (fields::STAT, "err open /x: no such file"),
            (
                fields::STAT,
                "file x.txt stat 1 1a4 2024-01-01 00:00:00 +0000 UTC false",
            ),
            (fields::GETENV, "\u{0}"),
            (fields::GETENV, "\u{1}"),
            (fields::COVERMETA, "dep 2KUJZNEzMeJljhnrVVCq"),
            (fields::TESTMAIN, "testmain"),
            (fields::TESTMAIN, "package main"),
            (
                fields::GCC,
                r#"gccCompilerID ["/usr/bin/gcc" ""] "gcc version 12""#,
            ),
            (fields::GCC, r#"gccCompilerID "/usr/bin/gcc""#),
        ]
    }

    #[test]
    fn every_field_of_every_table_reads_a_line_of_its_own() {
        let mut reached: Vec<*const FieldSpec> = Vec::new();
        for (table, line) in examples() {
            let (input, spec) = read_field(table, &Cow::Borrowed(line));
            assert!(
                !matches!(input, Input::Unknown(_)),
                "{line:?} is not read by any field"
            );
            reached.push(spec);
        }
        for table in [
            fields::COMPILE,
            fields::LINK,
            fields::VET,
            fields::PGO,
            fields::TEST_RESULT,
            fields::TEST_INPUTS,
            fields::STAT,
            fields::GETENV,
            fields::COVERMETA,
            fields::TESTMAIN,
            fields::GCC,
        ] {
            for spec in table {
                assert!(
                    reached.contains(&(spec as *const FieldSpec)),
                    "no example line reaches field `{}` ({:?}): add one to examples()",
                    spec.name,
                    spec.matching
                );
            }
        }
    }

    #[test]
    fn tables_list_fields_in_go_order() {
        // Within a table, positions never go back (alternatives share theirs).
        for table in [fields::COMPILE, fields::LINK, fields::VET] {
            let mut last = 0;
            for spec in table {
                let at = match spec.order {
                    fields::Order::Any => continue,
                    fields::Order::Once(at) | fields::Order::Repeated(at) => at,
                };
                assert!(at >= last, "`{}` at {at} comes after {last}", spec.name);
                last = at;
            }
        }
    }

    #[test]
    fn escaped_backslash_before_n_is_not_a_newline() {
        assert!(ends_in_escaped_backslash(br"abc\\n"));
        assert!(!ends_in_escaped_backslash(br"abc\n"));
        assert!(!ends_in_escaped_backslash(br"abc\\\n"));
    }
}
