//! From a demultiplexed block to typed fields: split the writes into logical lines, then parse
//! each line with the grammar of its block kind (reference §3).
//!
//! Field grammar (after the outer `%q` has been removed; `Q` is a Go-quoted string, `L` a
//! `%q`-printed `[]string` such as `["-O2" "-g"]` or `[]`):
//!
//! ```text
//! build:  "compile" | "dir " path | "module " path "@" version | "go " version
//!         | "goos " word " goarch " word | "import " Q | "omitdebug " bool " standard " bool
//!           " local " bool " prefix " Q | "trimpath" | "forcelibrary" | "cgo " Q
//!         | "CC=" L " " L " " L " " L | ("CXX=" | "FC=") L " " L
//!         | ("CC" | "CXX" | "FC") (" ID=" | " ID ERROR=") Q | "cover " Q " " Q | "fuzz " L
//!         | "modinfo " Q | "compile " toolid " " L " " L | "asm " Q " " L " " L
//!         | "pkgpath " text | "ar " Q | "asm " Q | key "=" value | "GOEXPERIMENT=" Q
//!         | "magic " key "=" value | "file " name " " id | "pgofile " id | "import " path " " id
//! link:   "link" | "buildmode " word " goos " word " goarch " word | "import " Q | omitdebug
//!         | "defaultgodebug " Q | "trimpath" | "link " toolid " " L " " word | "link " id " " word
//!         | "linkflags " L | key "=" value | "GOEXPERIMENT=" Q | "GOROOT=" path
//!         | "GO_EXTLINK_ENABLED=" value | "packagefile " path "=" id | "packagemain " id "/" id
//!         | "packageshlib " path "=" id
//! linkShared: "linkShared" | "goos " word " goarch " word | link tool lines | "top " path "=" id
//! vet:    "vet " Q | "vetxonly " bool | "vetflags " L | "pkg " Q | "vetout " Q " " id
//! pgo:    "preprocess PGO profile" | "preprofile " toolid | "input " Q
//! testResult: "test binary " id " args " L " execcmd " L
//! testInputs: ("env " | "chdir " | "stat " | "open ") name " " hex64
//! open/stat:  "stat " size " " mode " " time " " bool | "file " name " " (stat | "err " text)
//!             | "err " text
//! getenv: "\x00" | "\x01" value          covermeta: "dep " id       testmain: "testmain" source
//! gccCompilerID: "gccCompilerID " Q | "gccCompilerID " L " " Q
//! ```

use std::borrow::Cow;

use nom::IResult;
use nom::Parser;
use nom::bytes::complete::tag;
use nom::multi::separated_list0;
use nom::sequence::delimited;

use super::demux::RawBlock;
use super::unquote::{bytes_into_text, unquote_body};
use crate::model::{
    ActionKind, CLang, Digest, Field, FileInput, Input, ModInfo, ModLine, StatInfo, Text,
};

/// The salt and logical lines of a block.
pub struct Lines<'a> {
    pub salt: Text<'a>,
    pub fields: Vec<Field<'a>>,
}

/// The salt: the first write, when the block's opening line was seen (else unknown, empty).
pub fn block_salt<'a>(block: &RawBlock<'a>) -> Text<'a> {
    match block.writes.first() {
        Some(w) if block.open_line.is_some() => payload_text(w.body, false),
        _ => Cow::Borrowed(""),
    }
}

/// Splits a block into logical lines and parses each with the grammar of `kind`.
pub fn block_fields<'a>(block: &RawBlock<'a>, kind: ActionKind) -> Lines<'a> {
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
            fields: getenv_fields(writes.as_slice()),
        };
    }
    for w in writes {
        if kind == ActionKind::GccCompilerId {
            // Its writes are not newline-terminated lines; each is a field.
            let newline = w.body.ends_with(b"\\n") && !ends_in_escaped_backslash(w.body);
            let text = payload_text(w.body, newline);
            let input = lift(&text, gcc_field);
            fields.push(Field {
                line: w.line,
                text,
                input,
            });
            continue;
        }
        let ends_line = w.body.ends_with(b"\\n") && !ends_in_escaped_backslash(w.body);
        match (&mut pending, ends_line) {
            (None, true) => {
                let text = payload_text(w.body, true);
                let input = parse_line(kind, &text);
                fields.push(Field {
                    line: w.line,
                    text,
                    input,
                });
            }
            (None, false) => {
                pending = Some((w.line, unquoted(w.body).into_owned()));
            }
            (Some((_, buf)), _) => {
                buf.extend_from_slice(&unquoted(w.body));
                if ends_line {
                    let (line, mut buf) = pending.take().expect("pending");
                    buf.pop();
                    let text = Cow::Owned(bytes_into_text(buf));
                    let input = parse_line(kind, &text);
                    fields.push(Field { line, text, input });
                }
            }
        }
    }
    // A last line without a newline (testResult has none).
    if let Some((line, buf)) = pending {
        let text: Text<'a> = Cow::Owned(bytes_into_text(buf));
        let input = parse_line(kind, &text);
        fields.push(Field { line, text, input });
    }
    Lines { salt, fields }
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

/// Runs `parse` on the text, borrowing from the log when the text does.
fn lift<'a>(text: &Text<'a>, parse: for<'s> fn(&'s str) -> Input<'s>) -> Input<'a> {
    match text {
        Cow::Borrowed(s) => parse(s),
        Cow::Owned(s) => parse(s).into_owned(),
    }
}

fn parse_line<'a>(kind: ActionKind, text: &Text<'a>) -> Input<'a> {
    let parse: for<'s> fn(&'s str) -> Input<'s> = match kind {
        ActionKind::Build => build_field,
        ActionKind::Link | ActionKind::LinkShared => link_field,
        ActionKind::Vet => vet_field,
        ActionKind::Pgo => pgo_field,
        ActionKind::TestResult => test_result_field,
        ActionKind::TestInputs => test_inputs_field,
        ActionKind::Open | ActionKind::Stat => stat_field,
        ActionKind::CoverMeta => covermeta_field,
        ActionKind::Testmain => testmain_field,
        ActionKind::Getenv | ActionKind::GccCompilerId | ActionKind::Other => unknown_field,
    };
    lift(text, parse)
}

fn unknown_field(s: &str) -> Input<'_> {
    Input::Unknown(Cow::Borrowed(s))
}

/// A field of a compile key (`buildActionID`).
pub fn build_field(s: &str) -> Input<'_> {
    parse_build(s).unwrap_or(Input::Unknown(Cow::Borrowed(s)))
}

fn parse_build(s: &str) -> Option<Input<'_>> {
    let b = Cow::Borrowed;
    Some(match s {
        "compile" => Input::CompileAction,
        "trimpath" => Input::Trimpath,
        "forcelibrary" => Input::ForceLibrary,
        _ => {
            if let Some(r) = s.strip_prefix("dir ") {
                Input::Dir(b(r))
            } else if let Some(r) = s.strip_prefix("module ") {
                let (path, version) = r.rsplit_once('@')?;
                Input::Module {
                    path: b(path),
                    version: b(version),
                }
            } else if let Some(r) = s.strip_prefix("go ") {
                Input::GoDirective(b(r))
            } else if let Some(r) = s.strip_prefix("goos ") {
                let (goos, goarch) = r.split_once(" goarch ")?;
                Input::Target {
                    goos: b(goos),
                    goarch: b(goarch),
                }
            } else if s.starts_with("import \"") {
                Input::ImportPath(whole(go_string, &s[7..])?)
            } else if let Some(r) = s.strip_prefix("import ") {
                let (path, content_id) = r.rsplit_once(' ')?;
                Input::Import {
                    path: b(path),
                    content_id: b(content_id),
                }
            } else if s.starts_with("omitdebug ") {
                omitdebug(s)?
            } else if let Some(r) = s.strip_prefix("cgo ") {
                Input::CgoTool(whole(go_string, r)?)
            } else if let Some(r) = s.strip_prefix("CC=") {
                let lists = whole(lists, r)?;
                (lists.len() == 4).then_some(())?;
                c_compiler(CLang::C, lists)
            } else if let Some(r) = s.strip_prefix("CXX=") {
                let lists = whole(lists, r)?;
                (lists.len() == 2).then_some(())?;
                c_compiler(CLang::Cxx, lists)
            } else if let Some(r) = s.strip_prefix("FC=") {
                let lists = whole(lists, r)?;
                (lists.len() == 2).then_some(())?;
                c_compiler(CLang::Fortran, lists)
            } else if let Some(id) = c_compiler_id(s) {
                id
            } else if let Some(r) = s.strip_prefix("cover ") {
                let (r, mode) = go_string(r).ok()?;
                let tool = whole(go_string, r.strip_prefix(' ')?)?;
                Input::Cover { mode, tool }
            } else if let Some(r) = s.strip_prefix("fuzz ") {
                Input::Fuzz(whole(list, r)?)
            } else if let Some(r) = s.strip_prefix("modinfo ") {
                let text = whole(go_string, r)?;
                Input::ModInfo(Box::new(match text {
                    Cow::Borrowed(t) => parse_modinfo(t),
                    Cow::Owned(t) => parse_modinfo(&t).into_owned(),
                }))
            } else if let Some(r) = s.strip_prefix("compile ") {
                let (tool, mut lists) = tool_and_lists(r, 2)?;
                let flags = lists.pop()?;
                let forced = lists.pop()?;
                Input::CompileTool {
                    tool: b(tool),
                    forced,
                    flags,
                }
            } else if let Some(r) = s.strip_prefix("asm ") {
                let (rest, tool) = go_string(r).ok()?;
                if rest.is_empty() {
                    Input::GccgoAsm(tool)
                } else {
                    let mut lists = whole(lists, rest.strip_prefix(' ')?)?;
                    (lists.len() == 2).then_some(())?;
                    let flags = lists.pop()?;
                    let forced = lists.pop()?;
                    Input::AsmTool {
                        tool,
                        forced,
                        flags,
                    }
                }
            } else if let Some(r) = s.strip_prefix("pkgpath ") {
                Input::GccgoPkgPath(b(r))
            } else if let Some(r) = s.strip_prefix("ar ") {
                Input::GccgoAr(whole(go_string, r)?)
            } else if let Some(r) = s.strip_prefix("GOEXPERIMENT=") {
                Input::Experiment(whole(go_string, r)?)
            } else if let Some(r) = s.strip_prefix("magic ") {
                let (key, value) = r.split_once('=')?;
                Input::Magic {
                    key: b(key),
                    value: b(value),
                }
            } else if let Some(r) = s.strip_prefix("file ") {
                let (name, id) = r.rsplit_once(' ')?;
                Input::File(FileInput {
                    name: b(name),
                    id: b(id),
                    path: None,
                    hash: None,
                })
            } else if let Some(r) = s.strip_prefix("pgofile ") {
                Input::PgoFile(b(r))
            } else {
                arch_env(s)?
            }
        }
    })
}

/// A field of a link key (`linkActionID`, `printLinkerConfig`, `linkSharedActionID`).
pub fn link_field(s: &str) -> Input<'_> {
    parse_link(s).unwrap_or(Input::Unknown(Cow::Borrowed(s)))
}

fn parse_link(s: &str) -> Option<Input<'_>> {
    let b = Cow::Borrowed;
    Some(match s {
        "link" => Input::LinkAction,
        "linkShared" => Input::LinkSharedAction,
        "trimpath" => Input::Trimpath,
        _ => {
            if let Some(r) = s.strip_prefix("buildmode ") {
                let (buildmode, r) = r.split_once(" goos ")?;
                let (goos, goarch) = r.split_once(" goarch ")?;
                Input::LinkTarget {
                    buildmode: b(buildmode),
                    goos: b(goos),
                    goarch: b(goarch),
                }
            } else if let Some(r) = s.strip_prefix("goos ") {
                let (goos, goarch) = r.split_once(" goarch ")?;
                Input::Target {
                    goos: b(goos),
                    goarch: b(goarch),
                }
            } else if let Some(r) = s.strip_prefix("import ") {
                Input::ImportPath(whole(go_string, r)?)
            } else if s.starts_with("omitdebug ") {
                omitdebug(s)?
            } else if let Some(r) = s.strip_prefix("defaultgodebug ") {
                Input::DefaultGodebug(whole(go_string, r)?)
            } else if let Some(r) = s.strip_prefix("linkflags ") {
                Input::LinkFlags(whole(list, r)?)
            } else if let Some(r) = s.strip_prefix("link ") {
                link_tool(r)?
            } else if let Some(r) = s.strip_prefix("GOEXPERIMENT=") {
                Input::Experiment(whole(go_string, r)?)
            } else if let Some(r) = s.strip_prefix("GOROOT=") {
                Input::Goroot(b(r))
            } else if let Some(r) = s.strip_prefix("GO_EXTLINK_ENABLED=") {
                Input::ExtLinkEnabled(b(r))
            } else if let Some(r) = s.strip_prefix("packagefile ") {
                let (path, content_id) = r.rsplit_once('=')?;
                Input::PackageFile {
                    path: b(path),
                    content_id: b(content_id),
                }
            } else if let Some(r) = s.strip_prefix("packagemain ") {
                let (action_id, content_id) = r.split_once('/')?;
                Input::PackageMain {
                    action_id: b(action_id),
                    content_id: b(content_id),
                }
            } else if let Some(r) = s.strip_prefix("packageshlib ") {
                let (path, content_id) = r.rsplit_once('=')?;
                Input::PackageShlib {
                    path: b(path),
                    content_id: b(content_id),
                }
            } else if let Some(r) = s.strip_prefix("top ") {
                let (path, content_id) = r.rsplit_once('=')?;
                Input::Top {
                    path: b(path),
                    content_id: b(content_id),
                }
            } else {
                arch_env(s)?
            }
        }
    })
}

/// `link <tool id> [forced] <mode>` (gc) or `link <id> <mode>` (gccgo).
fn link_tool(r: &str) -> Option<Input<'_>> {
    for (pos, _) in r.match_indices(" [") {
        if let Ok((rest, forced)) = list(&r[pos + 1..])
            && let Some(mode) = rest.strip_prefix(' ')
            && !mode.contains(' ')
        {
            return Some(Input::LinkTool {
                tool: Cow::Borrowed(&r[..pos]),
                forced: Some(forced),
                buildmode: Cow::Borrowed(mode),
            });
        }
    }
    let (tool, mode) = r.rsplit_once(' ')?;
    Some(Input::LinkTool {
        tool: Cow::Borrowed(tool),
        forced: None,
        buildmode: Cow::Borrowed(mode),
    })
}

/// A field of a vet key.
pub fn vet_field(s: &str) -> Input<'_> {
    parse_vet(s).unwrap_or(Input::Unknown(Cow::Borrowed(s)))
}

fn parse_vet(s: &str) -> Option<Input<'_>> {
    Some(if let Some(r) = s.strip_prefix("vet ") {
        Input::VetTool(whole(go_string, r)?)
    } else if let Some(r) = s.strip_prefix("vetxonly ") {
        Input::VetxOnly(boolean(r)?)
    } else if let Some(r) = s.strip_prefix("vetflags ") {
        Input::VetFlags(whole(list, r)?)
    } else if let Some(r) = s.strip_prefix("pkg ") {
        // `%q` of a [32]byte: after the outer unquote, one more unquote gives the raw ID.
        let (rest, _) = go_string(r).ok()?;
        rest.is_empty().then_some(())?;
        let raw = unquote_body(&r.as_bytes()[1..r.len() - 1]).ok()?;
        Input::VetPkg(<[u8; 32]>::try_from(&*raw).ok().map(Digest))
    } else if let Some(r) = s.strip_prefix("vetout ") {
        let (rest, path) = go_string(r).ok()?;
        Input::VetOut {
            path,
            id: Cow::Borrowed(rest.strip_prefix(' ')?),
        }
    } else {
        return None;
    })
}

/// A field of a PGO preprocessing key.
pub fn pgo_field(s: &str) -> Input<'_> {
    let parsed = if s == "preprocess PGO profile" {
        Some(Input::PgoAction)
    } else if let Some(r) = s.strip_prefix("preprofile ") {
        Some(Input::PreprofileTool(Cow::Borrowed(r)))
    } else if let Some(r) = s.strip_prefix("input ") {
        whole(go_string, r).map(Input::PgoInput)
    } else {
        None
    };
    parsed.unwrap_or(Input::Unknown(Cow::Borrowed(s)))
}

/// `test binary <id> args [..] execcmd [..]`.
pub fn test_result_field(s: &str) -> Input<'_> {
    let parsed = (|| {
        let r = s.strip_prefix("test binary ")?;
        let (id, r) = r.split_once(" args ")?;
        let (r, args) = list(r).ok()?;
        let r = r.strip_prefix(" execcmd ")?;
        let execcmd = whole(list, r)?;
        Some(Input::TestBinary {
            id: Cow::Borrowed(id),
            args,
            execcmd,
        })
    })();
    parsed.unwrap_or(Input::Unknown(Cow::Borrowed(s)))
}

/// `env|chdir|stat|open <name> <hex>` in testInputs.
pub fn test_inputs_field(s: &str) -> Input<'_> {
    let parsed = (|| {
        let (verb, r) = s.split_once(' ')?;
        let (name, hex) = r.rsplit_once(' ')?;
        let hash = Digest::from_hex(hex.as_bytes())?;
        let name = Cow::Borrowed(name);
        Some(match verb {
            "env" => Input::TestEnv { name, hash },
            "chdir" => Input::TestChdir { path: name, hash },
            "stat" => Input::TestStat { path: name, hash },
            "open" => Input::TestOpen { path: name, hash },
            _ => return None,
        })
    })();
    parsed.unwrap_or(Input::Unknown(Cow::Borrowed(s)))
}

/// Lines of `open` and `stat` blocks.
pub fn stat_field(s: &str) -> Input<'_> {
    let parsed = if let Some(r) = s.strip_prefix("stat ") {
        stat_info(r).map(Input::Stat)
    } else if let Some(r) = s.strip_prefix("err ") {
        Some(Input::StatError(Cow::Borrowed(r)))
    } else if let Some(r) = s.strip_prefix("file ") {
        if let Some(pos) = r.rfind(" stat ") {
            stat_info(&r[pos + 6..]).map(|st| Input::DirEntry {
                name: Cow::Borrowed(&r[..pos]),
                stat: Some(st),
                error: None,
            })
        } else {
            r.find(" err ").map(|pos| Input::DirEntry {
                name: Cow::Borrowed(&r[..pos]),
                stat: None,
                error: Some(Cow::Borrowed(&r[pos + 5..])),
            })
        }
    } else {
        None
    };
    parsed.unwrap_or(Input::Unknown(Cow::Borrowed(s)))
}

/// `<size> <mode hex> <mtime with spaces> <isdir>`.
fn stat_info(r: &str) -> Option<StatInfo<'_>> {
    let (size, r) = r.split_once(' ')?;
    let (mode, r) = r.split_once(' ')?;
    let (mtime, is_dir) = r.rsplit_once(' ')?;
    Some(StatInfo {
        size: size.parse().ok()?,
        mode: Cow::Borrowed(mode),
        mtime: Cow::Borrowed(mtime),
        is_dir: boolean(is_dir)?,
    })
}

fn covermeta_field(s: &str) -> Input<'_> {
    match s.strip_prefix("dep ") {
        Some(id) => Input::CoverMetaDep(Cow::Borrowed(id)),
        None => Input::Unknown(Cow::Borrowed(s)),
    }
}

fn testmain_field(s: &str) -> Input<'_> {
    if s == "testmain" {
        Input::TestmainAction
    } else {
        Input::TestmainSource(Cow::Borrowed(s))
    }
}

/// `getenv` writes: a presence byte (`\x00` unset, `\x01` set), then the raw value when set.
/// The pair becomes one field whose text is the Go-escaped bytes of both writes.
fn getenv_fields<'a>(writes: &[super::demux::WriteRef<'a>]) -> Vec<Field<'a>> {
    let mut fields = Vec::new();
    let mut i = 0;
    while i < writes.len() {
        let w = writes[i];
        let presence = unquoted(w.body);
        let (input, text) = match &*presence {
            [0] => (Input::EnvUnset, Cow::Borrowed("\\x00")),
            [1] => {
                let value = writes.get(i + 1).map(|v| v.body).unwrap_or(b"");
                i += usize::from(i + 1 < writes.len());
                let value_text = payload_text(value, false);
                let mut shown = String::from("\\x01");
                super::unquote::push_escaped(&unquoted(value), &mut shown);
                (Input::EnvValue(value_text), Cow::Owned(shown))
            }
            _ => {
                let text = payload_text(w.body, false);
                (Input::Unknown(text.clone()), text)
            }
        };
        fields.push(Field {
            line: w.line,
            text,
            input,
        });
        i += 1;
    }
    fields
}

/// `gccCompilerID "<exe>"` or `gccCompilerID [exe…] "<id>"`.
fn gcc_field(s: &str) -> Input<'_> {
    let parsed = (|| {
        let r = s.strip_prefix("gccCompilerID ")?;
        if r.starts_with('[') {
            let (r, exe) = list(r).ok()?;
            let id = whole(go_string, r.strip_prefix(' ')?)?;
            Some(Input::GccIdentity { exe, id })
        } else {
            whole(go_string, r).map(Input::GccLookup)
        }
    })();
    parsed.unwrap_or(Input::Unknown(Cow::Borrowed(s)))
}

/// `omitdebug <b> standard <b> local <b> prefix "<p>"`.
fn omitdebug(s: &str) -> Option<Input<'_>> {
    let r = s.strip_prefix("omitdebug ")?;
    let (omit, r) = r.split_once(" standard ")?;
    let (standard, r) = r.split_once(" local ")?;
    let (local, prefix) = r.split_once(" prefix ")?;
    Some(Input::OmitDebug {
        omit_debug: boolean(omit)?,
        standard: boolean(standard)?,
        local: boolean(local)?,
        prefix: whole(go_string, prefix)?,
    })
}

fn c_compiler<'a>(lang: CLang, mut lists: Vec<Vec<Text<'a>>>) -> Input<'a> {
    let exe = lists.remove(0);
    Input::CCompiler {
        lang,
        exe,
        flags: lists,
    }
}

/// `CC ID="…"`, `CC ID ERROR="…"` and the CXX/FC forms.
fn c_compiler_id(s: &str) -> Option<Input<'_>> {
    let (lang, r) = if let Some(r) = s.strip_prefix("CC ID") {
        (CLang::C, r)
    } else if let Some(r) = s.strip_prefix("CXX ID") {
        (CLang::Cxx, r)
    } else if let Some(r) = s.strip_prefix("FC ID") {
        (CLang::Fortran, r)
    } else {
        return None;
    };
    let (error, q) = match r.strip_prefix(" ERROR=") {
        Some(q) => (true, q),
        None => (false, r.strip_prefix('=')?),
    };
    Some(Input::CCompilerId {
        lang,
        id: whole(go_string, q)?,
        error,
    })
}

/// `<KEY>=<value>` where KEY is empty or an upper-case `GO…` architecture variable.
fn arch_env(s: &str) -> Option<Input<'_>> {
    let (key, value) = s.split_once('=')?;
    let ok = key.is_empty()
        || (key.starts_with("GO")
            && key
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    ok.then_some(Input::ArchEnv {
        key: Cow::Borrowed(key),
        value: Cow::Borrowed(value),
    })
}

/// A tool ID (which may contain spaces) followed by `n` lists: try each ` [` as the start.
fn tool_and_lists(r: &str, n: usize) -> Option<(&str, Vec<Vec<Text<'_>>>)> {
    for (pos, _) in r.match_indices(" [") {
        if let Some(ls) = whole(lists, &r[pos + 1..])
            && ls.len() == n
        {
            return Some((&r[..pos], ls));
        }
    }
    None
}

fn boolean(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Runs a parser that must consume all of `s`.
fn whole<'s, T>(p: fn(&'s str) -> IResult<&'s str, T>, s: &'s str) -> Option<T> {
    match p(s) {
        Ok(("", v)) => Some(v),
        _ => None,
    }
}

/// `Q = '"' chars '"'` — a Go-quoted string, unquoted (borrowed when it has no escapes).
pub fn go_string(i: &str) -> IResult<&str, Text<'_>> {
    let fail = || nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Char));
    let body_and_rest = i.strip_prefix('"').ok_or_else(fail)?;
    let bytes = body_and_rest.as_bytes();
    let mut j = 0;
    let end = loop {
        match memchr::memchr2(b'\\', b'"', &bytes[j..]) {
            None => return Err(fail()),
            Some(off) if bytes[j + off] == b'"' => break j + off,
            Some(off) => j += off + 2,
        }
        if j > bytes.len() {
            return Err(fail());
        }
    };
    let body = &body_and_rest[..end];
    let rest = &body_and_rest[end + 1..];
    let text = match unquote_body(body.as_bytes()).map_err(|_| fail())? {
        Cow::Borrowed(_) => Cow::Borrowed(body),
        Cow::Owned(v) => Cow::Owned(bytes_into_text(v)),
    };
    Ok((rest, text))
}

/// `L = "[" [ Q { " " Q } ] "]"` — a `%q`-printed `[]string`.
pub fn list(i: &str) -> IResult<&str, Vec<Text<'_>>> {
    delimited(tag("["), separated_list0(tag(" "), go_string), tag("]")).parse(i)
}

/// `L { " " L }` — one or more lists separated by spaces.
pub fn lists(i: &str) -> IResult<&str, Vec<Vec<Text<'_>>>> {
    separated_list0(tag(" "), list).parse(i)
}

/// Parses the text of `debug.BuildInfo.String()`.
pub fn parse_modinfo(s: &str) -> ModInfo<'_> {
    let b = Cow::Borrowed;
    let mut info = ModInfo::default();
    // Which module line a following `=>` replacement belongs to.
    let mut last_is_main = None;
    let mut lines = s.split('\n').peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() && lines.peek().is_none() {
            break;
        }
        let mut parts = line.splitn(2, '\t');
        let word = parts.next().unwrap_or("");
        let rest = parts.next();
        match (word, rest) {
            ("go", Some(v)) => info.go_version = Some(b(v)),
            ("path", Some(p)) => info.path = Some(b(p)),
            ("mod" | "dep", Some(r)) => {
                let m = mod_line(r);
                if word == "mod" {
                    info.main = Some(m);
                    last_is_main = Some(true);
                } else {
                    info.deps.push(m);
                    last_is_main = Some(false);
                }
            }
            ("=>", Some(r)) => {
                let target = match last_is_main {
                    Some(true) => info.main.as_mut(),
                    Some(false) => info.deps.last_mut(),
                    None => None,
                };
                match target {
                    Some(module) => module.replace = Some(Box::new(mod_line(r))),
                    None => info.other.push(b(line)),
                }
            }
            ("build", Some(kv)) => match build_setting(kv) {
                Some((k, v)) => info.settings.push((k, v)),
                None => info.other.push(b(line)),
            },
            _ => info.other.push(b(line)),
        }
    }
    info
}

fn mod_line(r: &str) -> ModLine<'_> {
    let mut parts = r.split('\t');
    let b = Cow::Borrowed;
    ModLine {
        path: b(parts.next().unwrap_or("")),
        version: b(parts.next().unwrap_or("")),
        sum: b(parts.next().unwrap_or("")),
        replace: None,
    }
}

/// `key=value` where either side may be Go-quoted (`debug.BuildInfo` quotes keys and values
/// holding spaces, tabs, newlines, quotes or `=`).
fn build_setting(kv: &str) -> Option<(Text<'_>, Text<'_>)> {
    let (key, rest) = if kv.starts_with('"') {
        let (rest, key) = go_string(kv).ok()?;
        (key, rest.strip_prefix('=')?)
    } else {
        let (k, v) = kv.split_once('=')?;
        (Cow::Borrowed(k), v)
    };
    let value = if rest.starts_with('"') {
        whole(go_string, rest).unwrap_or(Cow::Borrowed(rest))
    } else {
        Cow::Borrowed(rest)
    };
    Some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Text<'_> {
        Cow::Borrowed(x)
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

    #[test]
    fn lists_and_strings() {
        assert_eq!(list("[]"), Ok(("", vec![])));
        assert_eq!(
            list(r#"["a b" "c\"d"] x"#),
            Ok((" x", vec![s("a b"), Cow::Owned("c\"d".into())]))
        );
        assert!(list(r#"["a"#).is_err());
        assert_eq!(
            go_string(r#""a\\" b"#),
            Ok((" b", Cow::Owned("a\\".into())))
        );
    }

    #[test]
    fn escaped_backslash_before_n_is_not_a_newline() {
        assert!(ends_in_escaped_backslash(br"abc\\n"));
        assert!(!ends_in_escaped_backslash(br"abc\n"));
        assert!(!ends_in_escaped_backslash(br"abc\\\n"));
    }
}
