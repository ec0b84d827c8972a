//! An action: one demultiplexed `HASH[...]` block, with its typed inputs in the order Go wrote
//! them and the ID Go printed for it.

use serde::Serialize;

use super::Digest;
use super::field::Field;
use super::input::Input;
use super::text::Text;

/// What kind of hash a block is, from its name: the name each `cache.NewHash` call site gives
/// (`cmd/go/internal/work/exec.go` and `action.go`, `cmd/go/internal/test/test.go`,
/// `cmd/go/internal/list/list.go`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ActionKind {
    /// `build <importpath>`: a compile.
    Build,
    /// `link <importpath>`: a link.
    Link,
    /// `linkShared`.
    LinkShared,
    /// `vet <importpath>`.
    Vet,
    /// `preprocess PGO profile <path>` (1.23+).
    Pgo,
    /// `testResult`: the test-result cache key.
    TestResult,
    /// `testInputs`: the run-time inputs of a test.
    TestInputs,
    /// `getenv`, `open`, `stat`: nested under `testInputs`.
    Getenv,
    Open,
    Stat,
    /// `covermeta` (1.26+).
    CoverMeta,
    /// `testmain` (`go list -test`).
    Testmain,
    /// `gccCompilerID`: the C compiler identity probe.
    GccCompilerId,
    /// A block name this version of whymiss does not know.
    Other,
}

impl ActionKind {
    /// Splits a block name into its kind and subject (import path or profile path).
    pub fn from_name(name: &str) -> (ActionKind, Option<&str>) {
        if let Some(p) = name.strip_prefix("build ") {
            return (ActionKind::Build, Some(p));
        }
        if let Some(p) = name.strip_prefix("link ") {
            return (ActionKind::Link, Some(p));
        }
        if let Some(p) = name.strip_prefix("vet ") {
            return (ActionKind::Vet, Some(p));
        }
        if let Some(p) = name.strip_prefix("preprocess PGO profile ") {
            return (ActionKind::Pgo, Some(p));
        }
        let kind = match name {
            "linkShared" => ActionKind::LinkShared,
            "testResult" => ActionKind::TestResult,
            "testInputs" => ActionKind::TestInputs,
            "getenv" => ActionKind::Getenv,
            "open" => ActionKind::Open,
            "stat" => ActionKind::Stat,
            "covermeta" => ActionKind::CoverMeta,
            "testmain" => ActionKind::Testmain,
            "gccCompilerID" => ActionKind::GccCompilerId,
            _ => ActionKind::Other,
        };
        (kind, None)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Build => "build",
            ActionKind::Link => "link",
            ActionKind::LinkShared => "linkShared",
            ActionKind::Vet => "vet",
            ActionKind::Pgo => "pgo",
            ActionKind::TestResult => "testResult",
            ActionKind::TestInputs => "testInputs",
            ActionKind::Getenv => "getenv",
            ActionKind::Open => "open",
            ActionKind::Stat => "stat",
            ActionKind::CoverMeta => "covermeta",
            ActionKind::Testmain => "testmain",
            ActionKind::GccCompilerId => "gccCompilerID",
            ActionKind::Other => "other",
        }
    }

    /// Build, link and vet keys are the cache keys of compiled output: these must verify.
    pub fn is_compile_graph(self) -> bool {
        matches!(
            self,
            ActionKind::Build | ActionKind::Link | ActionKind::LinkShared | ActionKind::Vet
        )
    }

    /// The keys of compiled output and of the PGO preprocessing that feeds it: the keys the
    /// comparison pairs and `explain` describes (test-cache keys are compared per package).
    pub fn keys_build_output(self) -> bool {
        self.is_compile_graph() || self == ActionKind::Pgo
    }

    /// Every kind, in display order.
    pub const ALL: [ActionKind; 14] = [
        ActionKind::Build,
        ActionKind::Link,
        ActionKind::LinkShared,
        ActionKind::Vet,
        ActionKind::Pgo,
        ActionKind::TestResult,
        ActionKind::TestInputs,
        ActionKind::Getenv,
        ActionKind::Open,
        ActionKind::Stat,
        ActionKind::CoverMeta,
        ActionKind::Testmain,
        ActionKind::GccCompilerId,
        ActionKind::Other,
    ];
}

/// Which build of a package an action is. Go gives a package and its test variant the same
/// block name (`build p`); the test variant is the one compiled with the package's `_test.go`
/// files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    Normal,
    Test,
}

/// Whether the block's lines are proven to be the ones Go hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// SHA-256 of the reconstructed lines equals the printed result.
    Verified,
    /// Not proven; the reason says why (see `parse::demux::Unverified`).
    Unverified(String),
    /// A `getenv` block whose value whymiss redacted in a capture (`parse/redact.rs`): its lines
    /// cannot match its printed result, which is Go's; the blocks that hash that result still
    /// verify.
    Redacted,
}

/// One hash block: a compile, link, vet, test-cache or helper key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action<'a> {
    /// The block name exactly as Go printed it (`build example.com/app/greet`).
    pub name: Text<'a>,
    pub kind: ActionKind,
    /// Import path for build/link/vet, profile path for PGO.
    pub subject: Option<Text<'a>>,
    pub variant: Variant,
    /// 0 for the first action with this name and variant, 1 for the next, … (a package
    /// rebuilt for a test, or a concatenated log).
    pub occurrence: u32,
    /// The action ID: the first verified result (or the first result, if none verified).
    pub id: Option<Digest>,
    /// Every result line (gccCompilerID prints two).
    pub results: Vec<Digest>,
    /// The salt: `runtime.Version()` of the go command.
    pub salt: Text<'a>,
    /// Logical lines after the salt, in order.
    pub fields: Vec<Field<'a>>,
    pub verification: Verification,
    /// Line of `HASH[name]` (None if the log starts inside the block) and of the first result.
    pub open_line: Option<u32>,
    pub result_line: Option<u32>,
    /// The block's lines had to be told apart from a concurrent same-name block's.
    pub disentangled: bool,
}

impl Verification {
    /// What a block whose lines are redacted says instead of a proof.
    pub const REDACTED: &'static str = "its value was redacted by whymiss (an environment \
        variable a test read); the printed result is Go's, and the testInputs block that hashes \
        it verifies";
}

impl<'a> Action<'a> {
    pub fn is_verified(&self) -> bool {
        self.verification == Verification::Verified
    }

    /// The import path of build, link and vet actions.
    pub fn package(&self) -> Option<&str> {
        match self.kind {
            ActionKind::Build | ActionKind::Link | ActionKind::Vet => self.subject.as_deref(),
            ActionKind::LinkShared
            | ActionKind::Pgo
            | ActionKind::TestResult
            | ActionKind::TestInputs
            | ActionKind::Getenv
            | ActionKind::Open
            | ActionKind::Stat
            | ActionKind::CoverMeta
            | ActionKind::Testmain
            | ActionKind::GccCompilerId
            | ActionKind::Other => None,
        }
    }

    /// Typed inputs in order.
    pub fn inputs(&self) -> impl Iterator<Item = &Input<'a>> {
        self.fields.iter().map(|f| &f.input)
    }

    /// The first field whose input satisfies `pred`.
    pub fn find(&self, pred: impl Fn(&Input<'a>) -> bool) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| pred(&f.input))
    }

    /// `HashToString` of the action ID: the first half of the build ID of its output.
    pub fn short_id(&self) -> Option<String> {
        self.id.map(|d| d.short())
    }

    /// A label that tells same-name actions apart: the name, plus ` [test]` for a test variant
    /// and `#n` for repeats.
    pub fn label(&self) -> String {
        let mut s = self.name.to_string();
        // An external test package (`p_test`) says so in its name already.
        if self.variant == Variant::Test && !self.name.ends_with("_test") {
            s.push_str(" [test]");
        }
        if self.occurrence > 0 {
            s.push_str(&format!(" #{}", self.occurrence + 1));
        }
        s
    }
}
