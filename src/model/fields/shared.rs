//! Fields that both compile and link keys hold (`(*Builder).buildActionID` and
//! `(*Builder).linkActionID`/`printLinkerConfig` in `cmd/go/internal/work/exec.go` print them
//! with the same format). Each table places them at its own position (`..shared::TRIMPATH`).

use super::spec::{About, Compare, Cut, Explain, FieldSpec, Key, Match, Order};
use super::spec::{Origin::*, Portability::*};
use crate::model::{Category, Input};

/// `goos <goos> goarch <goarch>` (compile and linkShared keys).
pub const TARGET: FieldSpec = FieldSpec {
    name: "goos/goarch",
    matching: Match::Prefix("goos "),
    order: Order::Any,
    required: false,
    grammar: |r| {
        let goos = r.before(" goarch ")?;
        Some(Input::Target {
            goos,
            goarch: r.rest(),
        })
    },
    key: Key::Name,
    category: Category::Target,
    compare: Compare::Target,
    explain: Explain::Plain,
    about: About::new(
        "target operating system and architecture (default: the host's)",
        Environment,
        HostDependent,
    )
    .knob("GOOS, GOARCH")
    .overview("GOOS/GOARCH"),
};

/// `import "<path>"`: the action's own import path.
pub const IMPORT_PATH: FieldSpec = FieldSpec {
    name: "import path",
    matching: Match::PrefixThen("import ", b'"'),
    order: Order::Any,
    required: false,
    grammar: |r| Some(Input::ImportPath(r.quoted()?)),
    key: Key::Name,
    category: Category::Other,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new("the package's import path", GoCommand, Portable),
};

/// `omitdebug <b> standard <b> local <b> prefix "<p>"`.
pub const OMITDEBUG: FieldSpec = FieldSpec {
    name: "omitdebug",
    matching: Match::Prefix("omitdebug "),
    order: Order::Any,
    required: false,
    grammar: |r| {
        let omit_debug = r.boolean()?;
        r.tag(" standard ")?;
        let standard = r.boolean()?;
        r.tag(" local ")?;
        let local = r.boolean()?;
        r.tag(" prefix ")?;
        Some(Input::OmitDebug {
            omit_debug,
            standard,
            local,
            prefix: r.quoted()?,
        })
    },
    key: Key::Name,
    category: Category::Other,
    compare: Compare::Line,
    explain: Explain::Plain,
    about: About::new(
        "whether debug information is omitted, whether the package is in the standard library, and GOPATH-mode relative imports",
        GoCommand,
        Portable,
    ),
};

/// `trimpath`: `-trimpath` is set.
pub const TRIMPATH: FieldSpec = FieldSpec {
    name: "trimpath",
    matching: Match::Line("trimpath"),
    order: Order::Any,
    required: false,
    grammar: |_| Some(Input::Trimpath),
    key: Key::Name,
    category: Category::Trimpath,
    compare: Compare::Trimpath,
    explain: Explain::Plain,
    about: About::new("-trimpath is on: paths are not recorded", Flag, Portable).knob("-trimpath"),
};

/// `<KEY>=<value>`: the architecture variable (GOAMD64, GOARM, …), or `=` when the architecture
/// has none (or, before Go 1.23, for arm64 and riscv64). `cmd/go/internal/cfg`, `GetArchEnv`.
pub const ARCH_ENV: FieldSpec = FieldSpec {
    name: "arch env",
    matching: Match::ArchEnv,
    order: Order::Any,
    required: false,
    grammar: |r| {
        let key = r.before("=")?;
        Some(Input::ArchEnv {
            key,
            value: r.rest(),
        })
    },
    key: Key::Subject(Cut::First('=')),
    category: Category::Target,
    compare: Compare::ArchEnv,
    explain: Explain::UnlessNamed(About::new(
        "architecture variable (none for this architecture)",
        Environment,
        Portable,
    )),
    about: About::new(
        "architecture level ({}): which instructions the compiler may use",
        Environment,
        Portable,
    )
    .knob("{}"),
};

/// `GOEXPERIMENT="<list>"`: the non-default experiments.
pub const EXPERIMENT: FieldSpec = FieldSpec {
    name: "GOEXPERIMENT",
    matching: Match::Prefix("GOEXPERIMENT="),
    order: Order::Any,
    required: false,
    grammar: |r| Some(Input::Experiment(r.quoted()?)),
    key: Key::Name,
    category: Category::Experiment,
    compare: Compare::Experiment,
    explain: Explain::Plain,
    about: About::new("non-default GOEXPERIMENT settings", Environment, Portable)
        .knob("GOEXPERIMENT"),
};
