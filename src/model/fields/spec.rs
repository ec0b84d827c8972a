//! What the table says about one key input: how its line is recognised and read, where Go writes
//! it, and what it means to the comparison and to `explain`.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use super::advice::Advice;
use super::grammar::Grammar;
use crate::model::{Category, Input};

/// One entry of a field table: everything whymiss knows about one kind of line of a block.
///
/// The demultiplexer reads [`matching`](Self::matching), [`order`](Self::order) and
/// [`required`](Self::required); the parser [`grammar`](Self::grammar); the comparison
/// [`compare`](Self::compare) and [`category`](Self::category); `explain`
/// [`explain`](Self::explain) and [`about`](Self::about). Equality is identity: two specs are
/// equal when they are the same entry.
pub struct FieldSpec {
    /// The field's name as reports show it (`dir`, `compile tool`, `GOROOT`). With the
    /// [`key`](Self::key) rule it gives the key that lines up the two sides' fields.
    pub name: &'static str,
    /// How a line is recognised as this field.
    pub matching: Match,
    /// Where `cmd/go` writes it among the block's fields.
    pub order: Order,
    /// `cmd/go` always writes it (for a block of this kind): a block cannot skip it.
    pub required: bool,
    /// What follows the prefix, read with the grammar's primitives into a typed [`Input`].
    ///
    /// [`Input`]: crate::model::Input
    pub grammar: Grammar,
    /// How the key is built from the name and the line (`file a.go` of `file a.go <id>`).
    pub key: Key,
    /// The category of a difference in this field, for the comparison rules that do not decide
    /// it from the values.
    pub category: Category,
    /// How two values of the field are compared.
    pub compare: Compare,
    /// How `explain` describes a value of the field.
    pub explain: Explain,
    /// The texts: what it is, where it comes from, which knob changes it.
    pub about: About,
}

impl FieldSpec {
    /// The text after the prefix (or the whole line, for fields without a fixed prefix).
    pub fn value_of<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.matching.prefix().len()..).unwrap_or("")
    }

    /// Whether a line (without its newline) is this field. A field without a fixed prefix
    /// ([`Match::ArchEnv`], [`Match::Any`]) takes a line only when no field with one does.
    #[inline(always)]
    pub fn matches(&self, line: &[u8]) -> bool {
        // Most fields of a table differ from a line in the first byte: compare it before the
        // rest (this runs for every line of every block).
        let starts = |p: &str| {
            let p = p.as_bytes();
            line.first() == p.first() && line.starts_with(p)
        };
        match self.matching {
            Match::Line(s) => line.first() == s.as_bytes().first() && line == s.as_bytes(),
            Match::Prefix(p) => starts(p),
            Match::PrefixThen(p, next) => starts(p) && line.get(p.len()) == Some(&next),
            Match::ArchEnv => is_arch_env(line),
            Match::Any => true,
        }
    }
}

impl fmt::Debug for FieldSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldSpec({})", self.name)
    }
}

impl PartialEq for FieldSpec {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for FieldSpec {}

/// How a line is recognised as a field. A line goes to the first field of its block's table whose
/// prefix it has, or, when none has, to the first field without a fixed prefix that takes it.
/// Consecutive fields with the same `Match` are alternatives: the first whose grammar reads the
/// line takes it (`asm "<id>" [..] [..]` is gc's assembler, `asm "<id>"` gccgo's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The line is exactly this (`compile`, `trimpath`).
    Line(&'static str),
    /// The line starts with this; the grammar reads what follows (`dir `).
    Prefix(&'static str),
    /// The line starts with this and the next byte is the given one, which the grammar reads:
    /// `import "p"` is the package's own import path, `import p <id>` a dependency.
    PrefixThen(&'static str, u8),
    /// `KEY=value` where KEY is empty or an upper-case `GO…` name: the architecture variable,
    /// whose name depends on GOARCH (`cmd/go/internal/cfg`, `GetArchEnv`).
    ArchEnv,
    /// Any line (the generated test main's source).
    Any,
}

impl Match {
    /// The fixed text a line starts with (empty for `ArchEnv` and `Any`).
    pub fn prefix(self) -> &'static str {
        match self {
            Match::Line(s) | Match::Prefix(s) | Match::PrefixThen(s, _) => s,
            Match::ArchEnv | Match::Any => "",
        }
    }

    /// Whether the field has a fixed prefix (see [`Match`] for the order of the two passes).
    pub fn has_prefix(self) -> bool {
        !self.prefix().is_empty()
    }
}

/// `KEY=value` where KEY is empty or `GO` followed by upper-case letters and digits.
fn is_arch_env(line: &[u8]) -> bool {
    let Some(eq) = memchr::memchr(b'=', line) else {
        return false;
    };
    let key = &line[..eq];
    key.is_empty()
        || (key.starts_with(b"GO")
            && key
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
}

/// Where `cmd/go` writes a field among its block's fields: positions count up in the order of
/// the `Fprintf` calls that write them, in tens, so that a field Go adds between two others
/// takes a position between theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Not constrained (blocks whose order whymiss does not check, or a field written anywhere).
    Any,
    /// Written at most once, at this position.
    Once(u16),
    /// Written any number of times in a row at this position (`file`, `import`); fields that
    /// share a position may interleave (`import`, `pgofile`).
    Repeated(u16),
}

/// How a field's key is made: its name, or its name and the subject it is about.
#[derive(Debug, Clone, Copy)]
pub enum Key {
    /// The field occurs once per block: the key is its name (`dir`, `GOROOT`).
    Name,
    /// Name, space, subject: `file a.go`, `import fmt`, `magic GOSSAFUNC`.
    Named(Cut),
    /// The subject alone (`GOAMD64`), or the name when the subject is empty (`=` → `arch env`).
    Subject(Cut),
}

/// Which part of the line names the subject of a repeated field.
#[derive(Debug, Clone, Copy)]
pub enum Cut {
    /// The text after the prefix up to the first `char` (`magic K=V` → `K`).
    First(char),
    /// The text after the prefix up to the last `char` (`file a b.go <id>` → `a b.go`).
    Last(char),
    /// All the text after the prefix (`dep <id>`).
    All,
    /// Computed from the text after the prefix and the typed value (a quoted path is escaped
    /// in the line; its typed value is not).
    With(for<'x> fn(&'x str, &'x Input<'_>) -> Option<Cow<'x, str>>),
}

impl Cut {
    fn apply<'x>(self, value: &'x str, input: &'x Input<'_>) -> Option<Cow<'x, str>> {
        match self {
            Cut::First(c) => value.split_once(c).map(|(s, _)| Cow::Borrowed(s)),
            Cut::Last(c) => value.rsplit_once(c).map(|(s, _)| Cow::Borrowed(s)),
            Cut::All => Some(Cow::Borrowed(value)),
            Cut::With(f) => f(value, input),
        }
    }
}

impl Key {
    /// The subject of a field (`a.go` of `file a.go <id>`), if its key has one, from the text
    /// after its prefix and its typed value.
    pub fn subject<'x>(self, value: &'x str, input: &'x Input<'_>) -> Option<Cow<'x, str>> {
        match self {
            Key::Name => None,
            Key::Named(cut) | Key::Subject(cut) => cut.apply(value, input),
        }
    }

    /// The key of a field named `name`: the same field of the same action has the same key in
    /// both logs.
    pub fn of<'x>(self, name: &'static str, value: &'x str, input: &'x Input<'_>) -> Cow<'x, str> {
        match (self, self.subject(value, input)) {
            (Key::Named(_), Some(s)) => {
                // Keys are made for every field of every compared action: no `format!`.
                let mut key = String::with_capacity(name.len() + 1 + s.len());
                key.push_str(name);
                key.push(' ');
                key.push_str(&s);
                Cow::Owned(key)
            }
            (Key::Subject(_), Some(s)) if !s.is_empty() => s,
            // A key with no subject (or an empty one, `=`) is the field's name.
            (Key::Name | Key::Named(_) | Key::Subject(_), _) => Cow::Borrowed(name),
        }
    }
}

/// How the comparison tells what a difference in a field means. Each rule is one arm of
/// `diff::classify`'s match (most a function of their own); most fields share the generic ones
/// (`Line`, `Value`, `Tool`, `Dependency`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// The whole line, in the field's category, named after its key.
    Line,
    /// The text after the prefix, in the field's category, named after its key.
    Value,
    /// A tool ID: a toolchain difference, or an experiment when only the `X:` suffix differs.
    Tool,
    /// A dependency's content ID: a knock-on of that dependency's difference (or an added or
    /// removed dependency).
    Dependency,
    /// `dir`: a path (grouped by prefix rewrite), a module version inside the module cache, or
    /// -trimpath on one side.
    Dir,
    /// `module p@v`: a dependency's version, or -trimpath on one side.
    Module,
    /// `goos/goarch`, `buildmode … goos … goarch …`: each part a target setting of its own.
    Target,
    /// `trimpath`: -trimpath on or off.
    Trimpath,
    /// `omitdebug … standard … local … prefix …`: the go subcommand (debug information
    /// omitted), or a GOPATH-mode relative import's directory.
    OmitDebug,
    /// The cgo tool: a toolchain difference, or cgo on one side only.
    CgoTool,
    /// `CC=`, `CXX=`, `FC=`: the compiler and each flag list; absolute paths from `${SRCDIR}`.
    CCompiler,
    /// `CC ID=`: the C compiler's identity.
    CCompilerId,
    /// `cover`: the coverage mode (or coverage on one side), else the cover tool.
    Cover,
    /// `modinfo`: setting by setting, module by module.
    ModInfo,
    /// `compile`/`asm` tool lines: the tool, forced flags (build modes, instrumentation) and
    /// the package's own flags.
    ToolFlags,
    /// The architecture variable (`GOAMD64=v1`): its value, named after the variable.
    ArchEnv,
    /// `GOEXPERIMENT=`: the experiment list.
    Experiment,
    /// `magic VAR=value`: a compiler debug variable.
    Magic,
    /// `file`: content (same name on both sides) or file set (one side).
    File,
    /// `pgofile`, `input`: the PGO profile's content.
    Profile,
    /// `packagemain`: the main package's build ID, a knock-on of its compile.
    PackageMain,
    /// vet `pkg`: the compile's action ID, a knock-on of the compile.
    VetPkg,
    /// `vetout`: a dependency's vet facts, a knock-on of that vet.
    VetOut,
    /// `defaultgodebug`: the GODEBUG defaults, token by token.
    DefaultGodebug,
    /// `link <tool> [forced] <mode>`: the linker, forced flags and link mode.
    LinkTool,
    /// `linkflags`: the package's -ldflags, flag by flag.
    LinkFlags,
    /// `GOROOT=`: -trimpath on one side, or the installation path.
    Goroot,
}

/// How `explain` describes a value: most fields by their [`About`] texts alone.
#[derive(Debug, Clone, Copy)]
pub enum Explain {
    /// The `about` texts, with `{}` in `what` and `knob` replaced by the key's subject.
    Plain,
    /// As `Plain`, and the subject is a dependency's import path.
    Dependency,
    /// As `Plain`, but this text when the key has no subject (`=`: no architecture variable).
    UnlessNamed(About),
    /// As `Plain`, but this text when the value is empty or `$GOROOT` (hidden by -trimpath).
    UnlessTrimmed(About),
    /// As `Plain`, but this text when a flag holds an absolute path (cgo's `${SRCDIR}`).
    UnlessAbsolutePath(About),
    /// As `Plain`, but this `what` when the value is an error (`CC ID ERROR=`).
    UnlessError(&'static str),
    /// The build information: how many modules and settings it holds; this text when it holds
    /// VCS stamps.
    ModInfo(About),
    /// A compile tool line: the version, and which flags it carries.
    CompileTool,
    /// A source file, by its path when the log printed it.
    File,
}

/// What a field is, for `explain` and the report. `{}` stands for the key's subject.
#[derive(Debug, Clone, Copy)]
pub struct About {
    /// What it is, in a few words.
    pub what: &'static str,
    pub origin: Origin,
    pub portability: Portability,
    /// What changes it.
    pub knob: Option<&'static str>,
    /// The name `explain`'s overview groups it under, when not its key (`toolchain version`).
    pub overview: Option<&'static str>,
    /// Why a difference in it misses the cache and how to make two builds agree, one advice
    /// per kind of difference (the first is the field's own; the others are for the particular
    /// differences the comparison tells apart, such as a moved module cache in `dir`). Empty only
    /// in the alternative texts of an [`Explain`] rule.
    pub advice: &'static [Advice],
}

impl About {
    /// A field that says what it is and where it comes from; no knob, no overview name.
    pub const fn new(what: &'static str, origin: Origin, portability: Portability) -> About {
        About {
            what,
            origin,
            portability,
            knob: None,
            overview: None,
            advice: &[],
        }
    }

    pub const fn knob(mut self, knob: &'static str) -> About {
        self.knob = Some(knob);
        self
    }

    pub const fn overview(mut self, name: &'static str) -> About {
        self.overview = Some(name);
        self
    }

    pub const fn advice(mut self, advice: &'static [Advice]) -> About {
        self.advice = advice;
        self
    }
}

/// Where the go command takes an input from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// The go command itself (the kind of action, the package's identity).
    GoCommand,
    /// The installed Go toolchain (versions of go, compile, link, asm, cgo, vet).
    Toolchain,
    /// A build flag (`-trimpath`, `-gcflags`, `-ldflags`, `-cover`, …).
    Flag,
    /// An environment variable or `go env` setting (GOOS, GOAMD64, CGO_CFLAGS, …).
    Environment,
    /// go.mod (the `go` line, `godebug` lines, module versions).
    GoMod,
    /// Files: their content, or for test inputs their size and modification time.
    FileSystem,
    /// The package's location on disk.
    Location,
    /// The C toolchain installed on the machine.
    CCompiler,
    /// A dependency's compiled output.
    Dependency,
    /// Version control (git) state of the checkout.
    Vcs,
    /// Something a test read while it ran.
    TestRun,
    /// whymiss does not know this line.
    Unknown,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::GoCommand => "go command",
            Origin::Toolchain => "toolchain",
            Origin::Flag => "flag",
            Origin::Environment => "environment",
            Origin::GoMod => "go.mod",
            Origin::FileSystem => "file content",
            Origin::Location => "location on disk",
            Origin::CCompiler => "C compiler",
            Origin::Dependency => "dependency",
            Origin::Vcs => "version control",
            Origin::TestRun => "test run",
            Origin::Unknown => "unknown",
        }
    }
}

/// How an input behaves across machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Portability {
    /// The same wherever the same sources are built the same way.
    Portable,
    /// Defaults come from the machine (installed toolchain, C compiler, host architecture):
    /// equal on identical images, different across machines set up differently.
    HostDependent,
    /// Differs on every machine with another checkout path, installation path or clock.
    MachineSpecific,
}

impl Portability {
    pub fn as_str(self) -> &'static str {
        match self {
            Portability::Portable => "portable",
            Portability::HostDependent => "host-dependent",
            Portability::MachineSpecific => "machine-specific",
        }
    }
}
