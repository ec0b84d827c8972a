//! How a side's go command computed its keys: a dry run (`go build -n`, nothing compiled) or a
//! real build. The two give the same *own* inputs for every action; they differ in how a
//! dependency is referenced (`cmd/go/internal/work/exec.go, (*Builder).buildActionID` writes
//! `contentID(a1.buildID)`, and under `-n` a dependency that was not found in the cache keeps
//! the placeholder build ID `actionID/actionID` that `cmd/go/internal/work/buildid.go,
//! (*Builder).useCache` gives it, so the reference is the dependency's action ID).

use std::fmt;
use std::str::FromStr;

/// How a side's keys were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// `go build -n`: every key computed, nothing compiled; dependencies are referenced by
    /// their keys ("dry keys").
    Dry,
    /// A real build: dependencies are referenced by the content IDs of their compiled output.
    Exact,
}

impl Mode {
    /// The go flag of a dry run, right after the subcommand in a side's recorded arguments.
    pub const DRY_FLAG: &'static str = "-n";

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Dry => "dry",
            Mode::Exact => "exact",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Mode, String> {
        match s {
            "dry" => Ok(Mode::Dry),
            "exact" => Ok(Mode::Exact),
            _ => Err(format!("unknown mode `{s}` (dry or exact)")),
        }
    }
}
