//! What each key input is, where Go takes it from, whether it differs between machines, and
//! which knob changes it: the field table's texts ([`crate::model::fields::About`]) filled in
//! with the field's subject and value, and the notes on the inputs a test read.

use crate::model::fields::{About, Explain};
use crate::model::{Field, Input, InputDetail, InputOp, TestInput, Text};

pub use crate::model::fields::{Origin, Portability};

/// The annotation of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What it is, in a few words.
    pub what: String,
    pub origin: Origin,
    pub portability: Portability,
    /// What changes it.
    pub knob: Option<String>,
    /// For dependency references: the import path.
    pub dependency: Option<String>,
}

fn note(
    what: impl Into<String>,
    origin: Origin,
    portability: Portability,
    knob: Option<&str>,
) -> Note {
    Note {
        what: what.into(),
        origin,
        portability,
        knob: knob.map(str::to_string),
        dependency: None,
    }
}

/// A table text with `{}` replaced by the field's subject. (`explain` annotates every field of
/// every key: most texts have no `{}` and are copied as they are.)
fn fill(text: &str, subject: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'{', rest.as_bytes()) {
        if rest.as_bytes().get(at + 1) == Some(&b'}') {
            out.push_str(&rest[..at]);
            out.push_str(subject);
            rest = &rest[at + 2..];
        } else {
            out.push_str(&rest[..=at]);
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// The note an [`About`] gives for a field about `subject`.
fn from_about(about: &About, subject: &str) -> Note {
    note(
        fill(about.what, subject),
        about.origin,
        about.portability,
        about.knob.map(|k| fill(k, subject)).as_deref(),
    )
}

/// Whether a flag list holds an absolute path (`-I/x`, `/x`), as cgo `${SRCDIR}` expands to.
fn has_absolute_path(list: &[Text<'_>]) -> bool {
    list.iter().any(|t| {
        t.find('/')
            .is_some_and(|i| i == 0 || (t.starts_with('-') && !t[..i].contains('=')))
    })
}

/// The texts that describe this value of a field: its table entry's, or the alternative its
/// `explain` rule picks for the value. Cheap: `explain`'s overview asks it of every field.
pub(super) fn about(field: &Field<'_>) -> About {
    let spec = field.spec;
    match spec.explain {
        Explain::UnlessNamed(none) if field.subject().is_none_or(|s| s.is_empty()) => none,
        Explain::UnlessTrimmed(trimmed) if matches!(field.value(), "" | "$GOROOT") => trimmed,
        Explain::UnlessAbsolutePath(with_path)
            if matches!(&field.input, Input::CCompiler { flags, .. }
                if flags.iter().any(|l| has_absolute_path(l))) =>
        {
            with_path
        }
        Explain::ModInfo(stamped)
            if matches!(&field.input, Input::ModInfo(m)
                if m.settings.iter().any(|(k, _)| k.starts_with("vcs"))) =>
        {
            stamped
        }
        Explain::Plain
        | Explain::Dependency
        | Explain::UnlessNamed(_)
        | Explain::UnlessTrimmed(_)
        | Explain::UnlessAbsolutePath(_)
        | Explain::UnlessError(_)
        | Explain::ModInfo(_)
        | Explain::CompileTool
        | Explain::File => spec.about,
    }
}

/// The note on a key's salt, the first thing every key holds: `cache.NewHash` writes
/// `runtime.Version()` of the go command before anything else (`cmd/go/internal/cache/hash.go`,
/// `NewHash`).
pub fn salt_note() -> Note {
    note(
        "the go command's version: salts every key",
        Origin::Toolchain,
        Portability::Portable,
        None,
    )
}

/// The note on the first half of a test result's key: the test binary (its link's action ID)
/// and the cacheable test flags (`cmd/go/internal/test/test.go`, `(*runCache).tryCacheWithID`).
pub fn test_binary_note() -> Note {
    note(
        "the test binary and the cacheable test flags: the first half of the test result's key",
        Origin::GoCommand,
        Portability::Portable,
        Some("the package, its dependencies, and the -test.* flags"),
    )
}

/// Annotates one key input, by its field table entry's texts and `explain` rule.
pub fn annotate(field: &Field<'_>) -> Note {
    annotate_as(field, None)
}

/// The note of one key input as a template: `{}` where [`annotate`] names the field's subject
/// (`fmt` of `import fmt …`, the file of `file greet.go …`), and the subject [`annotate`] fills
/// in there. A page showing every input of a large build stores each template once, not a
/// note per file.
pub fn annotate_template(field: &Field<'_>) -> (Note, String) {
    let subject = match &field.input {
        Input::File(f) if matches!(field.spec.explain, Explain::File) => {
            f.path.as_deref().unwrap_or(&f.name).to_string()
        }
        _ => field.subject().unwrap_or_default().into_owned(),
    };
    (annotate_as(field, Some("{}")), subject)
}

/// [`annotate`], with `{}` standing for the subject when `placeholder` is given.
fn annotate_as(field: &Field<'_>, placeholder: Option<&str>) -> Note {
    let about = about(field);
    let subject = field.subject().unwrap_or_default();
    let subject: &str = placeholder.unwrap_or(&subject);
    let mut note = from_about(&about, subject);
    match field.spec.explain {
        Explain::Plain
        | Explain::UnlessNamed(_)
        | Explain::UnlessTrimmed(_)
        | Explain::UnlessAbsolutePath(_) => {}
        Explain::Dependency => note.dependency = Some(subject.to_string()),
        Explain::UnlessError(what) => {
            if let Input::CCompilerId { error: true, .. } = &field.input {
                note.what = what.to_string();
            }
        }
        Explain::ModInfo(_) => {
            if let Input::ModInfo(m) = &field.input {
                let vcs = m.settings.iter().any(|(k, _)| k.starts_with("vcs"));
                note.what = format!(
                    "{}: {} module(s), {} build setting(s){}",
                    about.what,
                    usize::from(m.main.is_some()) + m.deps.len(),
                    m.settings.len(),
                    if vcs {
                        ", including the VCS revision and modified flag"
                    } else {
                        ""
                    }
                );
            }
        }
        Explain::CompileTool => {
            if let Input::CompileTool { flags, forced, .. } = &field.input {
                note.what = format!(
                    "{}{}{}",
                    about.what,
                    if forced.is_empty() {
                        ""
                    } else {
                        ", flags forced by the build mode or instrumentation"
                    },
                    if flags.is_empty() {
                        ""
                    } else {
                        ", and this package's -gcflags"
                    }
                );
            }
        }
        Explain::File => {
            // By its path when the log printed the file's hash, else by its name.
            if let Input::File(f) = &field.input {
                let path = f.path.as_deref().unwrap_or(&f.name);
                note.what = fill(about.what, placeholder.unwrap_or(path));
            }
        }
    }
    note
}

/// Annotates a run-time input of a test (from the test-result cache).
pub fn annotate_test_input(input: &TestInput) -> Note {
    let detail = match &input.detail {
        InputDetail::Unset => " (unset)".to_string(),
        InputDetail::Value(v) => format!(" (= {v:?})"),
        InputDetail::Redacted(sha) => format!(" (redacted, sha256 {sha}…)"),
        InputDetail::Stat(s) => format!(" ({} bytes, modified {})", s.size, s.mtime),
        InputDetail::Dir { entries, .. } => format!(" (directory, {} entries)", entries.len()),
        InputDetail::Error(e) => format!(" (error: {e})"),
        InputDetail::NotPrinted => String::new(),
    };
    match input.op {
        InputOp::Env if input.name == "GODEBUG" => note(
            format!(
                "GODEBUG{detail}: since Go 1.23 part of every test key, so gocachehash=1 itself changes it"
            ),
            Origin::TestRun,
            Portability::HostDependent,
            Some("GODEBUG"),
        ),
        InputOp::Env => note(
            format!(
                "environment variable {} read by the test{detail}",
                input.name
            ),
            Origin::TestRun,
            Portability::HostDependent,
            Some(&input.name),
        ),
        op => note(
            format!(
                "{} {} by the test{detail}: size, mode and modification time are hashed, not the content",
                match op {
                    InputOp::Open => "opened",
                    InputOp::Stat => "stat'ed",
                    InputOp::Chdir | InputOp::Env => "chdir'ed into",
                },
                input.name
            ),
            Origin::TestRun,
            Portability::MachineSpecific,
            Some("the file and its modification time"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields::{self, FieldSpec};
    use std::borrow::Cow;

    /// A field of `table` as the parser would make it from `text`, with the given input.
    fn field<'a>(table: &'static [FieldSpec], text: &'a str, input: Input<'a>) -> Field<'a> {
        let spec = &table[fields::lookup(table, text.as_bytes()).expect("a field")];
        Field {
            line: 1,
            text: Cow::Borrowed(text),
            input,
            spec,
        }
    }

    #[test]
    fn dir_is_machine_specific() {
        let n = annotate(&field(
            fields::COMPILE,
            "dir /a/b",
            Input::Dir(Cow::Borrowed("/a/b")),
        ));
        assert_eq!(n.portability, Portability::MachineSpecific);
        assert!(n.what.contains("-trimpath"));
    }

    #[test]
    fn cgo_flags_with_paths_are_machine_specific() {
        let flags = vec![vec![], vec![Cow::Borrowed("-I/x/include")], vec![]];
        let n = annotate(&field(
            fields::COMPILE,
            r#"CC=["gcc"] [] ["-I/x/include"] []"#,
            Input::CCompiler {
                lang: crate::model::CLang::C,
                exe: vec![Cow::Borrowed("gcc")],
                flags,
            },
        ));
        assert_eq!(n.portability, Portability::MachineSpecific);
        let plain = vec![vec![], vec![Cow::Borrowed("-O2")], vec![]];
        let n = annotate(&field(
            fields::COMPILE,
            r#"CC=["gcc"] [] ["-O2"] []"#,
            Input::CCompiler {
                lang: crate::model::CLang::C,
                exe: vec![Cow::Borrowed("gcc")],
                flags: plain,
            },
        ));
        assert_eq!(n.portability, Portability::HostDependent);
    }

    #[test]
    fn unknown_lines_say_so() {
        let n = annotate(&Field {
            line: 1,
            text: Cow::Borrowed("newfield 1"),
            input: Input::Unknown(Cow::Borrowed("newfield 1")),
            spec: &fields::UNKNOWN,
        });
        assert_eq!(n.origin, Origin::Unknown);
        assert!(n.what.contains("does not know"));
    }

    #[test]
    fn fill_replaces_each_placeholder() {
        assert_eq!(fill("a {} b {}", "x"), "a x b x");
        assert_eq!(fill("no placeholder", "x"), "no placeholder");
        assert_eq!(fill("${SRCDIR} {", "x"), "${SRCDIR} {");
    }

    #[test]
    fn subjects_fill_the_texts() {
        let n = annotate(&field(
            fields::COMPILE,
            "magic GOSSAFUNC=main",
            Input::Magic {
                key: Cow::Borrowed("GOSSAFUNC"),
                value: Cow::Borrowed("main"),
            },
        ));
        assert_eq!(
            n.what,
            "compiler debug variable GOSSAFUNC, read from the environment"
        );
        assert_eq!(n.knob.as_deref(), Some("unset GOSSAFUNC"));
        let n = annotate(&field(
            fields::LINK,
            "packagefile fmt=abc",
            Input::PackageFile {
                path: Cow::Borrowed("fmt"),
                content_id: Cow::Borrowed("abc"),
            },
        ));
        assert_eq!(n.dependency.as_deref(), Some("fmt"));
        let n = annotate(&field(
            fields::LINK,
            "GOROOT=",
            Input::Goroot(Cow::Borrowed("")),
        ));
        assert_eq!(n.what, "GOROOT, hidden by -trimpath");
    }
}
