//! Command-line arguments (clap), resolved once into a [`Config`]. Nothing past this module
//! sees clap types.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diff::Category;
use crate::diff::gate::Gate;
use crate::report::Styles;

const ABOUT: &str = "Explain why Go's build cache does not hit.";

const LONG_ABOUT: &str = "\
Explain why Go's build cache does not hit.

Go keys every compile and link on an action ID: a hash of the toolchain, flags, environment,
absolute paths, source-file hashes and the IDs of dependencies. whymiss reads the hash inputs
that `GODEBUG=gocachehash=1` makes the go command print, and explains them.";

#[derive(Parser, Debug)]
#[command(name = "whymiss", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    /// When to colour the output: auto (a terminal, NO_COLOR unset, TERM not dumb), always,
    /// never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Commands,
}

#[derive(Subcommand, Debug)]
pub enum Commands {
    /// Compare two logs (or captures) and explain why their keys differ: root causes with a
    /// category, the field, A's and B's values, the actions affected, why the input is in the
    /// key and how to fix it. Exit status: 0 same keys, 1 keys differ, 2 trouble.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),
    /// Show what a gocachehash log holds: Go version, actions by kind, verification, noise,
    /// and (with --action) one action's key inputs in order.
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(InspectArgs),
}

const INSPECT_EXAMPLES: &str = "\
Examples:
  GODEBUG=gocachehash=1 go build ./... 2> build.log
  whymiss inspect build.log
  whymiss inspect build.log --list
  whymiss inspect build.log --action 'build example.com/app/greet'
  whymiss inspect ci-log.txt.gz --format json";

const COMPARE_EXAMPLES: &str = "\
Examples:
  # on each machine (or in each CI job), capture the build's hash inputs:
  GODEBUG=gocachehash=1,goindex=0 go build ./... 2> ci.log
  GODEBUG=gocachehash=1,goindex=0 go build ./... 2> laptop.log
  whymiss compare ci.log laptop.log
  whymiss compare ci.log laptop.log --all                  # list every affected action
  whymiss compare ci.log laptop.log --format json > why.json
  # CI: fail only when the build configuration breaks cache reuse, not on VCS stamps:
  whymiss compare main.log pr.log --ignore vcs-stamp,source

Categories: absolute-path, trimpath, toolchain, go-version, target, compiler-flags,
linker-flags, cgo, experiment, instrumentation, source, file-set, vcs-stamp, godebug,
debug-env, dependency-version, nondeterministic, test-flags, test-env, test-file,
test-mtime, other.";

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Side A: a gocachehash log (go's stderr with GODEBUG=gocachehash=1, a CI log holding it,
    /// gzip or not, `-` for stdin) or a capture written by `whymiss capture`.
    pub a: PathBuf,
    /// Side B, the same kinds of file.
    pub b: PathBuf,

    #[command(flatten)]
    pub report: ReportArgs,
}

/// How a comparison is reported and gated.
#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// List every affected action and every cause instead of collapsing long lists.
    #[arg(long)]
    pub all: bool,

    /// Exit 1 only when a cause of one of these categories is present (comma-separated).
    #[arg(long, value_name = "CAT,...", value_delimiter = ',', value_parser = parse_category)]
    pub fail_on: Vec<Category>,

    /// Never exit 1 because of causes in these categories (comma-separated).
    #[arg(long, value_name = "CAT,...", value_delimiter = ',', value_parser = parse_category)]
    pub ignore: Vec<Category>,
}

fn parse_category(s: &str) -> Result<Category, String> {
    s.trim().parse()
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The log: go's stderr captured with GODEBUG=gocachehash=1, a CI log holding it (line
    /// prefixes such as timestamps are tolerated), gzip-compressed or not; `-` reads stdin.
    pub log: PathBuf,

    /// Show this action's key inputs in order: its block name as Go printed it
    /// (`build example.com/app/greet`, `link example.com/app`), or its label from --list.
    /// Repeatable.
    #[arg(long = "action", value_name = "NAME")]
    pub actions: Vec<String>,

    /// List every action with its ID.
    #[arg(long)]
    pub list: bool,

    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Everything the library needs to run one command.
#[derive(Debug)]
pub struct Config {
    pub styles: Styles,
    pub command: Command,
}

/// Report format and gate of a comparison.
#[derive(Debug, Clone)]
pub struct ReportConfig {
    pub format: Format,
    pub all: bool,
    pub gate: Gate,
}

impl From<ReportArgs> for ReportConfig {
    fn from(a: ReportArgs) -> Self {
        ReportConfig {
            format: a.format,
            all: a.all,
            gate: Gate {
                fail_on: a.fail_on,
                ignore: a.ignore,
            },
        }
    }
}

#[derive(Debug)]
pub enum Command {
    Compare {
        a: PathBuf,
        b: PathBuf,
        report: ReportConfig,
    },
    Inspect {
        log: PathBuf,
        actions: Vec<String>,
        list: bool,
        format: Format,
    },
}

impl Cli {
    /// Resolves arguments and the environment into a `Config`.
    pub fn into_config(self) -> Config {
        let styles = if use_color(self.color) {
            Styles::colored()
        } else {
            Styles::default()
        };
        let command = match self.command {
            Commands::Compare(c) => Command::Compare {
                a: c.a,
                b: c.b,
                report: c.report.into(),
            },
            Commands::Inspect(a) => Command::Inspect {
                log: a.log,
                actions: a.actions,
                list: a.list,
                format: a.format,
            },
        };
        Config { styles, command }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}
