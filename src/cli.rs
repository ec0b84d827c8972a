//! Command-line arguments (clap), resolved once into a [`Config`]. Nothing past this module
//! sees clap types.
//!
//! How the help is laid out, so that a new option needs one edit: an option's help is its doc
//! comment (the first sentence is the short help; a value's help is the doc comment of its
//! `ValueEnum` variant). Each `Args` struct that groups options sets its heading (`Build
//! options`, `Report options`, `Input options`) with `next_help_heading`; a command's own
//! options and positionals come before its flattened groups, because clap keeps the last
//! group's heading for whatever follows. The options every command takes (`--color`, `-q`)
//! are global and shown last. Wording that depends on the command (one build or two sides) is
//! set where the command is declared (`mut_arg`). Help text is wrapped for 80 columns, and
//! `tests::help` checks that every option has a description and no example wraps.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diff::Category;
use crate::diff::gate::Gate;
use crate::error::Error;
use crate::go::progress::ProgressMode;
use crate::go::run::RunOptions;
use crate::go::side::SideSpec;
use crate::go::toolchain::SEARCH_ORDER;
use crate::model::{Factor, Mode};
use crate::policy::{Policy, Preset};
use crate::report::Styles;

const ABOUT: &str = "Explain why Go's build cache does not hit.";

const LONG_ABOUT: &str = "\
Explain why Go's build cache does not hit.

Go keys every compile and link on an action ID: a hash of the toolchain,
flags, environment, absolute paths, source-file hashes and the IDs of
dependencies. whymiss runs the go command with GODEBUG=gocachehash=1 (or reads
logs of such runs), matches the actions of two builds, and says which inputs
differ, why each is in the key, and how to make the two builds agree.

Without a command, whymiss checks whether the current module's build cache
would be reused on another machine: it computes the keys of the packages here
and in a temporary copy of the module at another absolute path (another
checkout, CI agent or container), and explains any difference.

By default whymiss compiles nothing: it runs `go build -n`, which computes
every key in seconds (a dry run). Every root cause is exactly what a real
build would show; only the count of actions that miss through dependencies is
an upper bound (a real build stops where a changed package's compiled output
stays the same). --exact runs the real builds instead; --test always does.
For each cause with a mechanical fix (-trimpath, an environment variable,
flags, the toolchain, -buildvcs=false, GOMODCACHE), whymiss then re-runs the
dry comparison with the fix applied and says whether the keys match
(--no-verify skips this).

Exit status: 0 the keys are the same, 1 they differ (or some actions were
built on one side only), 2 trouble (bad input, go failed, a comparison that
cannot be trusted), 130 interrupted (128 + the signal).";

/// The usage lines: the default check, then a command.
const USAGE: &str = "\
whymiss [OPTIONS] [-- <GO ARGS>...]
       whymiss <COMMAND> [OPTIONS] [ARGS]";

const MAIN_EXAMPLES: &str = "\
Examples:
  whymiss                         # would ./... hit the cache from another path?
  whymiss -- -trimpath ./cmd/app  # the same for ./cmd/app built with -trimpath
  whymiss --test -- ./pkg/...     # go test instead of go build
  whymiss diff --b-env CGO_ENABLED=0
  whymiss compare ci.capture laptop.capture
  whymiss demo                    # the built-in lessons, in a suggested order

`whymiss help COMMAND` (or `whymiss COMMAND --help`) shows a command's options.";

/// Where an option belongs in the help.
const BUILD_OPTIONS: &str = "Build options";
const REPORT_OPTIONS: &str = "Report options";
const INPUT_OPTIONS: &str = "Input options";
const GATE_OPTIONS: &str = "Gate options";

/// `whymiss check`'s wording of the build options: two builds, not two sides.
const CHECK_COLD: &str =
    "Give each build an empty GOCACHE of its own instead of yours; real builds (implies --exact)";
const CHECK_GO: &str = "The go command for both builds: a version (go1.27.3) or a path [default: \
$GO, else go on PATH, else the newest installed; see --help]";
const CHECK_ENV: &str =
    "An environment variable for both builds, kept in the minimal one too (repeatable)";

/// Global options are listed after a command's own.
const GLOBAL_ORDER: usize = 900;

/// The build options' help for the commands that build once (`capture`, `explain`); the
/// structs hold the two-sided wording of the default check and `diff`.
const ONE_BUILD_COLD: &str =
    "Build with an empty GOCACHE of its own (a cold build) instead of yours; a real build";
const ONE_BUILD_GO: &str = "The go command: a version (go1.27.3) or a path [default: $GO, else go \
on PATH, else the newest installed; see --help]";
const ONE_BUILD_ENV: &str = "An environment variable for the build (repeatable)";

#[derive(Parser, Debug)]
#[command(
    name = "whymiss",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    override_usage = USAGE,
    after_help = MAIN_EXAMPLES,
    after_long_help = with_search_order(MAIN_EXAMPLES),
)]
pub struct Cli {
    /// When to colour the output.
    #[arg(
        long,
        value_enum,
        default_value_t = ColorChoice::Auto,
        global = true,
        display_order = GLOBAL_ORDER
    )]
    pub color: ColorChoice,

    /// No progress lines on the terminal (commands that read logs show none anyway).
    #[arg(long, short, global = true, display_order = GLOBAL_ORDER + 1)]
    pub quiet: bool,

    /// Show the values of environment variables tests read; a capture stores them.
    ///
    /// By default each value is shown, and stored in a capture, as the first 12 hex digits of
    /// its SHA-256: enough to tell two values apart without showing either. GODEBUG, TZ,
    /// TMPDIR, HOME and Go's other run-time settings are always shown.
    #[arg(long, global = true, display_order = GLOBAL_ORDER + 2)]
    pub keep_env_values: bool,

    #[command(subcommand)]
    pub command: Option<Commands>,

    #[command(flatten)]
    pub check: CheckArgs,
}

/// The examples, then how whymiss finds go (the long help of commands that run go).
fn with_search_order(examples: &str) -> String {
    format!("{examples}\n\n{SEARCH_ORDER}")
}

#[derive(Subcommand, Debug)]
pub enum Commands {
    /// Build twice, the sides differing in a way you choose, and explain the difference.
    ///
    /// Side A and side B run the same go build (or go test) at the same time, and differ by
    /// what --a-*/--b-* options say: environment variables, toolchain, directory or flags.
    /// whymiss then explains why their cache keys differ.
    #[command(
        after_help = DIFF_EXAMPLES,
        after_long_help = with_search_order(DIFF_EXAMPLES),
    )]
    Diff(Box<DiffArgs>),

    /// Build as this machine and as another would, and fail if any cache key differs.
    ///
    /// A regression test for cross-machine cache reuse, for CI: whymiss builds the module
    /// twice, each in a copy of its own (dry, go build -n, unless --test, --exact or --cold), the second
    /// varying what differs between two machines: the checkout path, HOME (so the default
    /// GOPATH, GOMODCACHE and GOCACHE), TMPDIR, TZ, the locale, USER, the time (a later second)
    /// and the environment (a minimal one). Any key difference fails, attributed to the
    /// variation that causes it (whymiss re-runs with the variations split to find it).
    /// Settings and allowances can be committed in whymiss.toml at the module root.
    #[command(
        override_usage = "whymiss check --cmd <CMD> [OPTIONS]\n       whymiss check [OPTIONS] [-- <GO ARGS>...]",
        mut_arg("cold", |a| a.help(CHECK_COLD)),
        mut_arg("go", |a| a.help(CHECK_GO)),
        mut_arg("env", |a| a.help(CHECK_ENV)),
        after_help = CHECK_EXAMPLES,
        after_long_help = with_search_order(CHECK_EXAMPLES),
    )]
    Check(Box<CheckCommandArgs>),

    /// Record one build's hash inputs, to compare with a capture made elsewhere.
    ///
    /// Run it on each machine (a CI runner and a laptop, two CI agents), then `whymiss
    /// compare` the two files.
    #[command(
        after_help = CAPTURE_EXAMPLES,
        after_long_help = with_search_order(CAPTURE_EXAMPLES),
        mut_arg("cold", |a| a.help(ONE_BUILD_COLD)),
        mut_arg("go", |a| a.help(ONE_BUILD_GO)),
        mut_arg("env", |a| a.help(ONE_BUILD_ENV)),
    )]
    Capture(CaptureArgs),

    /// Explain the difference between two logs or captures, e.g. from two machines.
    ///
    /// The report lists the root causes: each with a category, the field, A's and B's values,
    /// the actions affected, why the input is in the key and how to fix it.
    #[command(after_help = COMPARE_EXAMPLES)]
    Compare(CompareArgs),

    /// Explain one build's keys: what makes them machine-specific, input by input.
    ///
    /// The overview says which inputs are not the same on every machine; for a package, every
    /// input of its key is shown in order, with what it is, where it comes from and which knob
    /// changes it. Without a log, whymiss builds the module once.
    #[command(
        override_usage = "whymiss explain [OPTIONS] [LOG] [PACKAGE]... [-- <GO ARGS>...]",
        after_help = EXPLAIN_EXAMPLES,
        after_long_help = with_search_order(EXPLAIN_EXAMPLES),
        mut_arg("cold", |a| a.help(ONE_BUILD_COLD)),
        mut_arg("go", |a| a.help(ONE_BUILD_GO)),
        mut_arg("env", |a| a.help(ONE_BUILD_ENV)),
    )]
    Explain(ExplainArgs),

    /// Show what a gocachehash log holds.
    ///
    /// Go version, actions by kind, verification, lines that are not in any key, and (with
    /// --action) one action's key inputs in order.
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(InspectArgs),

    /// Run a built-in cache-miss scenario and its lesson; without a name, list them.
    ///
    /// Each scenario (a moved checkout, -trimpath, two toolchains, -gcflags, VCS stamping,
    /// test-cache inputs, …) builds a small module twice, differing in one way, and prints the
    /// report and the lesson it teaches. The list is in a suggested order for teaching.
    #[command(
        after_help = DEMO_EXAMPLES,
        after_long_help = with_search_order(DEMO_EXAMPLES),
    )]
    Demo(DemoArgs),

    /// Run a build for real, in your own GOCACHE (or GOCACHEPROG), and record which actions
    /// were served from the cache and which ran, with their keys' inputs, in a history of
    /// builds (for `whymiss why`). The build's output and exit status pass through unchanged.
    #[command(after_help = RECORD_EXAMPLES)]
    Record(RecordArgs),

    /// Explain every action that ran in a recorded build: the same key as in an earlier
    /// record but not in the cache (evicted, not restored, lost by the cache program), a
    /// changed key (root causes and knock-on, as `compare` finds them), or a new action.
    #[command(after_help = WHY_EXAMPLES)]
    Why(WhyArgs),

    /// List the recorded builds of this module (or of every module), or prune old ones.
    #[command(after_help = HISTORY_EXAMPLES)]
    History(HistoryArgs),

    /// Re-capture the log pairs of corpus/pairs (whymiss's own test corpus).
    ///
    /// Each pair is made from its case.txt file and checked against what it expects before
    /// its logs are replaced; see corpus/README.md.
    #[command(hide = true, after_help = CAPTURE_PAIRS_EXAMPLES)]
    CapturePairs(CapturePairsArgs),

    /// Print the JSON Schema of `compare --format json` or, with `why`, of `why --format json`.
    ///
    /// docs/report.schema.json and docs/why.schema.json are this output.
    #[command(hide = true, after_help = SCHEMA_EXAMPLES)]
    Schema(SchemaArgs),
}

/// `whymiss schema [compare|why]`.
#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// Which document: `compare` (docs/report.schema.json) or `why` (docs/why.schema.json).
    #[arg(value_enum, default_value_t = SchemaKind::Compare)]
    pub kind: SchemaKind,
}

/// A JSON document with a committed schema.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    /// `compare --format json` (and diff, check, demo): docs/report.schema.json.
    Compare,
    /// `why --format json`: docs/why.schema.json.
    Why,
}

const DIFF_EXAMPLES: &str = "\
Examples (shared go arguments go after --; default ./...):
  whymiss diff --b-flags=-trimpath           # what does -trimpath change?
  whymiss diff --a-flags=-trimpath --b-flags=-trimpath --b-relocate
                                   # does -trimpath make a moved checkout hit?
  whymiss diff --a-env CGO_ENABLED=1 --b-env CGO_ENABLED=0
  whymiss diff --a-go go1.26.6 --b-go go1.27.3   # two toolchains
  whymiss diff --a-env GOAMD64=v1 --b-env GOAMD64=v3
  whymiss diff --a-flags=-gcflags=-N --b-flags=-gcflags=all=-N
  whymiss diff --a-flags=-ldflags=-X=main.version=1 \\
               --b-flags=-ldflags=-X=main.version=2 -- ./cmd/app
  whymiss diff --b-dir /app                  # a Docker-style checkout at /app
  whymiss diff --test --b-env TZ=America/New_York -- ./...
  whymiss diff --exact --b-env CGO_CFLAGS=-O1   # real builds, not go build -n

Both sides are dry runs (go build -n: keys without compiling) unless --exact
or --test.";

const CHECK_EXAMPLES: &str = "\
Examples:
  whymiss check                          # go build ./..., every variation
  whymiss check -- -trimpath ./cmd/app   # these go arguments
  whymiss check --cmd 'make build'       # the project's own build script
  whymiss check --test -- ./...          # go test: test results too
  whymiss check --no-vary time           # the build stamps the time on purpose
  whymiss check --format github          # annotations in a GitHub Actions job

Variations (--vary/--no-vary): path, home, tmpdir, tz, locale, user, time,
env. whymiss.toml at the module root may set [check] args or cmd, vary,
no_vary, env and test, and [[allow]] rules. See docs/ci.md.";

const CAPTURE_EXAMPLES: &str = "\
Examples:
  # in CI, after restoring the cache:
  whymiss capture -o ci.capture --label ci -- -trimpath ./...
  # on a laptop:
  whymiss capture -o laptop.capture --label laptop -- -trimpath ./...
  whymiss compare ci.capture laptop.capture

The capture is text: a header of `# key: value` lines (whymiss version, label,
go version, go env values, arguments, mode, directory, host, time, exit
status), then go's stderr as it was printed: by default a dry run's
gocachehash lines (go build -n), with --exact a real build's stderr. See
docs/capture-format.md.";

const COMPARE_EXAMPLES: &str = "\
Examples:
  # on each machine (or in each CI job), capture the build's hash inputs:
  GODEBUG=gocachehash=1,goindex=0 go build ./... 2> ci.log
  GODEBUG=gocachehash=1,goindex=0 go build ./... 2> laptop.log
  whymiss compare ci.log laptop.log
  whymiss compare ci.log laptop.log --all     # list every affected action
  whymiss compare ci.log laptop.log --format json > why.json
  # CI: fail only when the build configuration breaks cache reuse:
  whymiss compare main.log pr.log --ignore vcs-stamp,source

Categories: absolute-path, trimpath, toolchain, go-version, target,
compiler-flags, linker-flags, cgo, experiment, instrumentation, source,
file-set, vcs-stamp, godebug, debug-env, dependency-version, nondeterministic,
test-flags, test-env, test-file, test-mtime, other.";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  whymiss explain                        # build ./... once, then the overview
  whymiss explain ./greet                # and greet's keys, input by input
  whymiss explain example.com/app/greet  # the same, by import path
  whymiss explain --list                 # the actions you can name
  whymiss explain build.log              # a log or capture you already have
  whymiss explain build.log example.com/app  # its compile and link keys
  whymiss explain --test -- ./greet      # go test: the test result's inputs too
  whymiss explain ci.capture --format json

The first argument is a log when it is `-`, an existing file, or ends in .log,
.gz or .capture; otherwise it names a package: an import path, a directory
(./greet, ../lib, /src/app/greet), a block name (`link example.com/app`) or a
tested package. The numbers on the left are each input's position in the key
(the order go hashed them), and with a log, the line it is on.";

const INSPECT_EXAMPLES: &str = "\
Examples:
  GODEBUG=gocachehash=1 go build ./... 2> build.log
  whymiss inspect build.log
  whymiss inspect build.log --list
  whymiss inspect build.log --action 'build example.com/app/greet'
  whymiss inspect ci-log.txt.gz --format json";

const DEMO_EXAMPLES: &str = "\
Examples:
  whymiss demo                      # the scenarios, in a suggested order
  whymiss demo moved                # a moved checkout without -trimpath
  whymiss demo moved --go go1.26.6  # sides that name no go use this one
  whymiss demo toolchain            # go1.26.6 vs go1.27.3, found by version
  whymiss demo test-env --format json

Each scenario copies its module into a temporary directory (removed
afterwards), runs side A, applies side B's changes, runs side B, and prints
the report, the lesson, and whether whymiss found the cause categories the
scenario expects. Exit status: 0 same keys, 1 keys differ, 2 a build failed or
whymiss did not find exactly the expected categories.";

const CAPTURE_PAIRS_EXAMPLES: &str = "\
Examples:
  cargo run -- capture-pairs            # every pair of corpus/pairs
  cargo run -- capture-pairs moved gcflags-scope --keep-temp";

const SCHEMA_EXAMPLES: &str = "\
Examples:
  cargo run -q -- schema > docs/report.schema.json
  cargo run -q -- schema why > docs/why.schema.json";

/// The default command: build here and in a relocated copy.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Arguments for `go build` (or `go test` with --test): flags and packages [default: ./...]
    #[arg(last = true, value_name = "GO ARGS")]
    pub go_args: Vec<String>,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub mode: ModeArgs,

    #[command(flatten)]
    pub verify: VerifyArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Dry run or real build.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = BUILD_OPTIONS)]
pub struct ModeArgs {
    /// Run the real builds (compiling what is not cached) instead of `go build -n`, which
    /// computes the same keys without compiling: for an exact knock-on count, compile errors,
    /// and non-reproducible output.
    #[arg(long)]
    pub exact: bool,
}

/// Proving the fixes.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = REPORT_OPTIONS)]
pub struct VerifyArgs {
    /// Do not re-run the comparison with each cause's mechanical fix applied.
    #[arg(long)]
    pub no_verify: bool,
}

impl CheckArgs {
    /// Whether any of the default check's own options was given.
    fn is_used(&self) -> bool {
        let r = &self.run;
        let p = &self.output;
        r.test
            || r.cold
            || self.mode.exact
            || self.verify.no_verify
            || r.go.is_some()
            || r.dir.is_some()
            || !r.env.is_empty()
            || p.format != ReportFormat::Text
            || p.output.is_some()
            || p.all
            || p.junit.is_some()
            || p.allow_truncated
            || !p.gate.fail_on.is_empty()
            || !p.gate.ignore.is_empty()
            || p.gate.preset.is_some()
            || p.gate.policy.is_some()
            || !self.go_args.is_empty()
    }
}

/// Options every live run shares, worded for two sides (the default check and `diff`);
/// `capture` and `explain` reword them for one build.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = BUILD_OPTIONS)]
pub struct RunArgs {
    /// Run `go test` instead of `go build`.
    #[arg(long)]
    pub test: bool,

    /// Give each side an empty GOCACHE of its own (a cold build) instead of yours; real
    /// builds (implies --exact).
    #[arg(long)]
    pub cold: bool,

    /// The go command for both sides: a version (go1.27.3) or a path [default: $GO, else go
    /// on PATH, else the newest installed; see --help].
    #[arg(long, value_name = "GO")]
    pub go: Option<String>,

    /// The module directory (or a package directory inside it) [default: .].
    #[arg(long = "dir", short = 'C', value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// An environment variable for both sides (repeatable).
    #[arg(long = "env", value_name = "K=V", value_parser = parse_env)]
    pub env: Vec<(String, String)>,
}

/// `whymiss diff`: two sides that differ in a controlled way.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Arguments for both sides' `go build` (or `go test`): flags and packages [default:
    /// ./...].
    #[arg(last = true, value_name = "GO ARGS")]
    pub go_args: Vec<String>,

    /// An environment variable for side A only (repeatable): --a-env CGO_ENABLED=1.
    #[arg(long = "a-env", value_name = "K=V", value_parser = parse_env)]
    pub a_env: Vec<(String, String)>,
    /// An environment variable for side B only (repeatable): --b-env GOAMD64=v3.
    #[arg(long = "b-env", value_name = "K=V", value_parser = parse_env)]
    pub b_env: Vec<(String, String)>,

    /// The go command for side A: a version (go1.26.6) or a path.
    #[arg(long = "a-go", value_name = "GO")]
    pub a_go: Option<String>,
    /// The go command for side B: a version (go1.27.3) or a path.
    #[arg(long = "b-go", value_name = "GO")]
    pub b_go: Option<String>,

    /// Side A's module directory [default: --dir, else .].
    #[arg(long = "a-dir", value_name = "DIR")]
    pub a_dir: Option<PathBuf>,
    /// Side B's module directory: a second checkout, e.g. /app [default: --dir, else .].
    #[arg(long = "b-dir", value_name = "DIR", conflicts_with = "b_relocate")]
    pub b_dir: Option<PathBuf>,
    /// Build side B in a temporary copy of the module at another absolute path.
    #[arg(long = "b-relocate")]
    pub b_relocate: bool,

    /// Extra go flags for side A, split like a shell: --a-flags '-trimpath -tags=x'.
    #[arg(long = "a-flags", value_name = "FLAGS", allow_hyphen_values = true)]
    pub a_flags: Option<String>,
    /// Extra go flags for side B, split like a shell: --b-flags=-race.
    #[arg(long = "b-flags", value_name = "FLAGS", allow_hyphen_values = true)]
    pub b_flags: Option<String>,

    /// Side A's name in the report.
    #[arg(long = "a-label", value_name = "LABEL", default_value = "A")]
    pub a_label: String,
    /// Side B's name in the report.
    #[arg(long = "b-label", value_name = "LABEL", default_value = "B")]
    pub b_label: String,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub mode: ModeArgs,

    #[command(flatten)]
    pub verify: VerifyArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `whymiss check`.
#[derive(Args, Debug)]
pub struct CheckCommandArgs {
    /// Arguments for `go build` (or `go test` with --test): flags and packages [default:
    /// whymiss.toml's [check] args, else ./...].
    #[arg(last = true, value_name = "GO ARGS")]
    pub go_args: Vec<String>,

    /// A shell command that runs go, instead of `go build`: `make build`. Every go it runs
    /// (found on PATH) is whymiss's, which runs the real go and keeps each command's keys.
    #[arg(long, value_name = "CMD", conflicts_with = "go_args")]
    pub cmd: Option<String>,

    /// Vary only these (comma-separated): path, home, tmpdir, tz, locale, user, time, env
    /// [default: whymiss.toml's [check] vary, else all].
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_factor)]
    pub vary: Vec<Factor>,

    /// Do not vary these (comma-separated). A cause that only they produce does not fail
    /// (time still passes between the builds: its causes are shown as ignored).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_factor)]
    pub no_vary: Vec<Factor>,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub mode: ModeArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `whymiss capture`.
#[derive(Args, Debug)]
pub struct CaptureArgs {
    /// Arguments for `go build` (or `go test`): flags and packages [default: ./...].
    #[arg(last = true, value_name = "GO ARGS")]
    pub go_args: Vec<String>,

    /// Where to write the capture: a file (replaced atomically; a symbolic link is followed, a
    /// FIFO or device is written in place), or `-` for standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,

    /// A name for this side in reports (ci, laptop, …) [default: the host name].
    #[arg(long)]
    pub label: Option<String>,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub mode: ModeArgs,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Side A: a gocachehash log (go's stderr with GODEBUG=gocachehash=1, a CI log holding it,
    /// gzip or not, `-` for stdin) or a capture written by `whymiss capture`.
    pub a: PathBuf,
    /// Side B, the same kinds of file.
    pub b: PathBuf,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub input: InputArgs,
}

/// How much of a log whymiss reads.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = INPUT_OPTIONS)]
pub struct InputArgs {
    /// The most a log may hold after inflating (gzip), in bytes with an optional K, M, G or T
    /// suffix (powers of 1024). Larger or endless input, and binary data, stop with an error.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = crate::go::logfile::parse_size)]
    pub max_log_size: u64,
}

/// `--format`, for every command that writes a report.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = REPORT_OPTIONS)]
pub struct FormatArg {
    /// The output format.
    #[arg(long = "format", value_name = "FORMAT", value_enum, default_value_t = Format::Text)]
    pub value: Format,

    /// Write the report to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `--format` of `inspect`, which has no page.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = REPORT_OPTIONS)]
pub struct InspectFormatArg {
    /// The output format.
    #[arg(long = "format", value_name = "FORMAT", value_enum, default_value_t = InspectFormat::Text)]
    pub value: InspectFormat,
}

/// How a comparison is reported.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = REPORT_OPTIONS)]
pub struct OutputArgs {
    /// The output format.
    #[arg(long = "format", value_name = "FORMAT", value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Write the report to FILE instead of standard output (replaced atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// List every affected action and every cause instead of collapsing long lists.
    #[arg(long)]
    pub all: bool,

    /// Also write the result as JUnit XML to FILE: one test case per cause (one passing case
    /// when the keys match), for CI systems that show test reports.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Compare a log that is cut off (head, a CI log's size limit, a killed build) instead of
    /// exiting 2: the blocks it ends inside are left out, and actions it never reached count as
    /// built on one side only.
    #[arg(long)]
    pub allow_truncated: bool,

    #[command(flatten)]
    pub gate: GateArgs,
}

/// What makes the exit status 1.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = GATE_OPTIONS)]
pub struct GateArgs {
    /// Exit 1 only when a cause of one of these categories is present (comma-separated).
    #[arg(long, value_name = "CAT,...", value_delimiter = ',', value_parser = parse_category)]
    pub fail_on: Vec<Category>,

    /// Never exit 1 because of causes in these categories (comma-separated).
    #[arg(long, value_name = "CAT,...", value_delimiter = ',', value_parser = parse_category)]
    pub ignore: Vec<Category>,

    /// Allow what is expected in a given kind of comparison, with fix texts that fit it.
    #[arg(long, value_name = "NAME", value_enum)]
    pub preset: Option<PresetArg>,

    /// The policy file whose [[allow]] rules let causes pass [default: whymiss.toml at the
    /// module root, if there is one].
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A log or capture to explain (`-`, an existing file, or a name ending in .log, .gz or
    /// .capture). Without one, whymiss builds the module once (see Build options).
    #[arg(value_name = "LOG")]
    pub log: Option<String>,

    /// Packages to explain input by input: import paths, directories (./greet), block names
    /// (`link example.com/app`) or tested packages.
    #[arg(value_name = "PACKAGE")]
    pub packages: Vec<String>,

    /// Arguments for the live `go build` (or `go test`): flags and packages [default: ./...].
    #[arg(last = true, value_name = "GO ARGS")]
    pub go_args: Vec<String>,

    /// List the actions of the build, by the names explain accepts.
    #[arg(long)]
    pub list: bool,

    #[command(flatten)]
    pub format: FormatArg,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub input: InputArgs,
}

const RECORD_EXAMPLES: &str = "\
Examples:
  whymiss record                     # go build ./... (the default GO ARGS)
  whymiss record -- test ./...       # go test: also the test cache
  whymiss record --cmd 'make build'  # every go command the Makefile runs
  whymiss record --history ci/whymiss.sqlite -- build -trimpath ./cmd/app
  whymiss why                        # explain what ran in the latest record

Each go command that builds runs with -debug-actiongraph (and, for tests and
GOCACHEPROG builds, GODEBUG=gocachehash=1) through a go shim whymiss puts first
in PATH; when a compile ran, a dry rerun (`go build -n` with gocachehash)
records its inputs afterwards. With GOCACHEPROG, whymiss sits between go and
your cache program and forwards every request unchanged. The history is an
SQLite file: --history, else $WHYMISS_HISTORY, else
~/.cache/whymiss/history.sqlite; it keeps the last --keep records of each
module.";
const WHY_EXAMPLES: &str = "\
Examples:
  whymiss why                     # the latest record of this module
  whymiss why 17                  # record 17 (see `whymiss history`)
  whymiss why --against latest~3  # compare with a chosen earlier record
  whymiss why --format json > why.json

Exit status: 0 nothing ran, or everything that ran is explained without a
changed key (new actions, entries missing from the cache); 1 some action ran
because its key changed; 2 trouble.";
const HISTORY_EXAMPLES: &str = "\
Examples:
  whymiss history                    # this module's records, newest first
  whymiss history --all-modules
  whymiss history --prune --keep 10  # keep the newest 10 of this module";

/// Which history file (shared by record, why and history).
#[derive(Args, Debug, Clone)]
pub struct HistoryFileArgs {
    /// The history file (SQLite). Default: $WHYMISS_HISTORY, else whymiss/history.sqlite in
    /// the user cache directory (~/.cache).
    #[arg(long = "history", value_name = "PATH")]
    pub history: Option<PathBuf>,
}

/// `whymiss record`.
#[derive(Args, Debug)]
pub struct RecordArgs {
    /// Run this shell command (`sh -c CMD`) instead of one go command: every go command it
    /// starts is observed (a Makefile, a build script).
    #[arg(long, value_name = "CMD", conflicts_with = "go_args")]
    pub cmd: Option<String>,

    /// The go command every `go` of the build runs: a path, or a version such as go1.27.3.
    /// Default: $GO, else go on PATH.
    #[arg(long, value_name = "GO")]
    pub go: Option<String>,

    /// Run in this directory (default: the current directory).
    #[arg(long = "dir", short = 'C', value_name = "DIR")]
    pub dir: Option<PathBuf>,

    #[command(flatten)]
    pub history: HistoryFileArgs,

    /// How many records of this module the history keeps (the oldest go first).
    #[arg(long, value_name = "N", default_value_t = crate::history::DEFAULT_KEEP)]
    pub keep: usize,

    /// No line about the record on standard error.
    #[arg(long, short)]
    pub quiet: bool,

    /// go's arguments, subcommand first (`test -race ./...`). Default: build ./...
    #[arg(last = true, value_name = "GO ARGS")]
    pub go_args: Vec<String>,
}

/// `whymiss why`.
#[derive(Args, Debug)]
pub struct WhyArgs {
    /// The record to explain: its number (see `whymiss history`), `latest`, or `latest~N`
    /// (N records before the latest). Default: the latest record of this module.
    #[arg(value_name = "RECORD")]
    pub record: Option<String>,

    /// Compare changed keys with this record instead of the most recent one in which each
    /// action existed.
    #[arg(long, value_name = "RECORD")]
    pub against: Option<String>,

    /// The module directory (default: the current directory).
    #[arg(long = "dir", short = 'C', value_name = "DIR")]
    pub dir: Option<PathBuf>,

    #[command(flatten)]
    pub history: HistoryFileArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `whymiss history`.
#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// List the records of every module, not only this one's.
    #[arg(long)]
    pub all_modules: bool,

    /// Delete this module's records beyond the newest --keep (with --all-modules, every
    /// module's).
    #[arg(long)]
    pub prune: bool,

    /// With --prune: how many records of each module to keep.
    #[arg(long, value_name = "N", default_value_t = crate::history::DEFAULT_KEEP, requires = "prune")]
    pub keep: usize,

    /// The module directory (default: the current directory).
    #[arg(long = "dir", short = 'C', value_name = "DIR")]
    pub dir: Option<PathBuf>,

    #[command(flatten)]
    pub history: HistoryFileArgs,

    #[command(flatten)]
    pub format: FormatArg,
}

/// `whymiss demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// The scenario to run. Without one, the scenarios are listed.
    #[arg(value_name = "NAME", conflicts_with = "list")]
    pub name: Option<String>,

    /// List the scenarios in the suggested order, each with what it shows (with --format
    /// json: everything about them).
    #[arg(long)]
    pub list: bool,

    /// The go command for sides whose scenario names none: a version (go1.27.3) or a path
    /// [default: $GO, else go on PATH, else the newest installed; see --help].
    #[arg(long, value_name = "GO")]
    pub go: Option<String>,

    #[command(flatten)]
    pub verify: VerifyArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `whymiss capture-pairs`.
#[derive(Args, Debug)]
pub struct CapturePairsArgs {
    /// The pairs to capture (directory names under corpus/pairs/) [default: every pair].
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// The corpus directory, holding pairs/.
    #[arg(long, value_name = "DIR", default_value = "corpus")]
    pub corpus: PathBuf,

    /// Leave the working directory ($TMPDIR/whymiss-pairs) for debugging.
    #[arg(long)]
    pub keep_temp: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The log: go's stderr captured with GODEBUG=gocachehash=1, a CI log holding it (line
    /// prefixes such as timestamps, and colour codes, are tolerated), gzip-compressed or not, a
    /// capture; `-` reads stdin.
    pub log: PathBuf,

    /// Show this action's key inputs in order: its block name as Go printed it
    /// (`build example.com/app/greet`, `link example.com/app`), or its label from --list.
    /// Repeatable.
    #[arg(long = "action", value_name = "NAME")]
    pub actions: Vec<String>,

    /// List every action with its ID.
    #[arg(long)]
    pub list: bool,

    #[command(flatten)]
    pub format: InspectFormatArg,

    #[command(flatten)]
    pub input: InputArgs,
}

fn parse_category(s: &str) -> Result<Category, String> {
    s.trim().parse()
}

fn parse_factor(s: &str) -> Result<Factor, String> {
    s.trim().parse()
}

fn parse_env(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got `{s}`")),
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// When standard output is a terminal, NO_COLOR is unset and TERM is not dumb.
    Auto,
    /// Always, also into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// How a report is written.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A report for people.
    Text,
    /// A versioned JSON document for programs (docs/json-schema.md).
    Json,
    /// A self-contained page with the action graph and each action's inputs side by side,
    /// for a browser, a projector or a pull request (with -o FILE).
    Html,
}

/// What `inspect` writes (it has no page).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InspectFormat {
    /// A report for people.
    Text,
    /// A versioned JSON document for programs (docs/json-schema.md).
    Json,
}

/// The formats of a comparison's report.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// A report for people.
    Text,
    /// A versioned JSON document for programs (docs/json-schema.md).
    Json,
    /// A compact summary for a CI job page: the verdict, a table of causes with their fixes,
    /// details collapsed (GitHub's job summary, a merge-request comment).
    Markdown,
    /// GitHub Actions workflow commands: one ::error (or ::warning, when it does not fail) per
    /// cause, with a title and the fix.
    Github,
    /// A self-contained page with the action graph and each action's inputs side by side,
    /// for a browser, a projector or a pull request (with -o FILE).
    Html,
}

/// `--preset`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresetArg {
    /// A pull request's build against main's: source edits, added or removed files and
    /// packages, and VCS stamps are expected; changes to the build configuration fail.
    Pr,
}

impl From<PresetArg> for Preset {
    fn from(p: PresetArg) -> Preset {
        match p {
            PresetArg::Pr => Preset::Pr,
        }
    }
}

/// Everything the library needs to run one command.
#[derive(Debug)]
pub struct Config {
    pub styles: Styles,
    pub command: Command,
    /// How logs are read (`--max-log-size`, `--keep-env-values`).
    pub read: crate::go::load::ReadOptions,
    /// Where the report goes instead of standard output (`-o FILE` of a report command).
    pub report_file: Option<PathBuf>,
}

/// How a comparison is written (format, every action or a summary) and gated (exit status).
#[derive(Debug, Clone)]
pub struct OutputOptions {
    pub format: ReportFormat,
    pub all: bool,
    pub gate: Gate,
    /// `--allow-truncated`: see [`crate::diff::Comparison::accept_truncated`].
    pub allow_truncated: bool,
    /// Also write JUnit XML here.
    pub junit: Option<PathBuf>,
    /// GitHub Actions' job summary file (`$GITHUB_STEP_SUMMARY`): the markdown summary is
    /// appended to it, whatever the format.
    pub step_summary: Option<PathBuf>,
}

impl Default for OutputOptions {
    fn default() -> OutputOptions {
        OutputOptions {
            format: ReportFormat::Text,
            all: false,
            gate: Gate::default(),
            allow_truncated: false,
            junit: None,
            step_summary: None,
        }
    }
}

/// The variable GitHub Actions sets to the job summary's file.
pub const STEP_SUMMARY_VAR: &str = "GITHUB_STEP_SUMMARY";

/// Resolves report and gate options: the gate's rules are the policy's (`--policy`, else
/// whymiss.toml at the module root of `policy_dir`; none when `policy_dir` is `None` and no
/// `--policy` is given), then the preset's. `policy` is the policy file already read, if the
/// caller needed it for more.
fn output_options(a: OutputArgs, policy: Option<&Policy>) -> Result<OutputOptions, Error> {
    let g = a.gate;
    let mut gate = Gate {
        fail_on: g.fail_on,
        ignore: g.ignore,
        ..Gate::default()
    };
    gate.check().map_err(Error::Usage)?;
    if let Some(policy) = policy {
        gate.allow.extend(policy.allow.iter().cloned());
    }
    if let Some(preset) = g.preset {
        Preset::from(preset).apply(&mut gate);
    }
    Ok(OutputOptions {
        format: a.format,
        all: a.all,
        gate,
        allow_truncated: a.allow_truncated,
        junit: a.junit,
        step_summary: std::env::var_os(STEP_SUMMARY_VAR)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
    })
}

/// The policy for a command run in `dir` (`None`: only an explicit `--policy`).
fn load_policy(gate: &GateArgs, dir: Option<&std::path::Path>) -> Result<Option<Policy>, Error> {
    match (&gate.policy, dir) {
        (Some(path), _) => Policy::read(path).map(Some),
        (None, Some(dir)) => crate::policy::file::find(dir, None),
        (None, None) => Ok(None),
    }
}

/// Two live builds to compare.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    pub a: SideSpec,
    pub b: SideSpec,
    pub options: RunOptions,
    /// Notes whymiss adds about choices it made for the run (VCS stamping off, …).
    pub notes: Vec<String>,
    /// The command, as CI reports name it (`whymiss diff`).
    pub title: &'static str,
    /// Re-run the comparison with each cause's mechanical fix applied.
    pub verify: bool,
}

/// What `whymiss explain` explains, and how.
#[derive(Debug)]
pub struct ExplainConfig {
    /// A log or capture; `None` builds once with `live`.
    pub log: Option<PathBuf>,
    pub live: Option<(SideSpec, RunOptions)>,
    /// Packages (import paths or directories) and block names to explain input by input.
    pub select: Vec<String>,
    /// List the actions by the names `select` accepts (`--list`).
    pub list: bool,
    pub format: Format,
}

/// A record named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordRef {
    /// Record number N.
    Id(i64),
    /// The latest record of the module, or the one N before it.
    Latest(usize),
}

impl std::str::FromStr for RecordRef {
    type Err = String;

    fn from_str(s: &str) -> Result<RecordRef, String> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix("latest") {
            return match rest.strip_prefix('~') {
                None if rest.is_empty() => Ok(RecordRef::Latest(0)),
                Some(n) => n
                    .parse()
                    .map(RecordRef::Latest)
                    .map_err(|_| format!("`{s}`: expected latest~N")),
                None => Err(format!(
                    "`{s}`: expected a record number, latest or latest~N"
                )),
            };
        }
        s.parse::<i64>()
            .ok()
            .filter(|&n| n > 0)
            .map(RecordRef::Id)
            .ok_or_else(|| format!("`{s}`: expected a record number, latest or latest~N"))
    }
}

/// `whymiss why`, resolved.
#[derive(Debug, Clone)]
pub struct WhyOptions {
    pub record: RecordRef,
    pub against: Option<RecordRef>,
    pub dir: PathBuf,
    pub history: PathBuf,
    pub output: OutputOptions,
}

/// `whymiss history`, resolved.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    pub dir: PathBuf,
    pub history: PathBuf,
    pub all_modules: bool,
    /// `--prune --keep N`.
    pub prune: Option<usize>,
    pub format: Format,
}

/// Log pairs to re-capture (`whymiss capture-pairs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturePairs {
    /// The pairs (directory names under `corpus/pairs/`); empty for all.
    pub names: Vec<String>,
    /// The corpus directory (holding `pairs/`).
    pub corpus: PathBuf,
    /// Leave the working directory for debugging.
    pub keep_temp: bool,
    pub progress: ProgressMode,
}

#[derive(Debug)]
pub enum Command {
    /// Build both sides, then compare (default command and `diff`).
    Live {
        live: Box<LiveConfig>,
        output: OutputOptions,
    },
    /// `whymiss check`.
    Check {
        spec: Box<crate::check::CheckSpec>,
        /// Notes about how the check was set up (the policy file).
        notes: Vec<String>,
        output: OutputOptions,
    },
    Capture {
        output: PathBuf,
        side: SideSpec,
        options: RunOptions,
    },
    Compare {
        a: PathBuf,
        b: PathBuf,
        output: OutputOptions,
    },
    Inspect {
        log: PathBuf,
        actions: Vec<String>,
        list: bool,
        format: InspectFormat,
    },
    Explain(ExplainConfig),
    /// Run a built-in scenario, or list them (`name` is `None` or `list` is set).
    Demo {
        name: Option<String>,
        list: bool,
        options: crate::demo::DemoOptions,
        output: OutputOptions,
    },
    /// Run a build under observation and store it in the history.
    Record(crate::cmd::record::RecordOptions),
    /// Explain a recorded build's misses.
    Why(WhyOptions),
    /// List or prune the history.
    History(HistoryOptions),
    /// Re-capture log pairs.
    CapturePairs(CapturePairs),
    /// Print the JSON Schema of a report.
    Schema(SchemaKind),
}

impl Command {
    /// Whether the command may run go (and so must stop go and remove its temporary
    /// directories on Ctrl-C).
    pub fn runs_go(&self) -> bool {
        match self {
            Command::Live { .. }
            | Command::Check { .. }
            | Command::Capture { .. }
            | Command::CapturePairs(_) => true,
            Command::Explain(e) => e.live.is_some(),
            Command::Demo { name, list, .. } => name.is_some() && !list,
            // `record` waits for the user's command itself, passing signals on to it.
            Command::Compare { .. }
            | Command::Inspect { .. }
            | Command::Schema(_)
            | Command::Record(_)
            | Command::Why(_)
            | Command::History(_) => false,
        }
    }
}

/// The flag that keeps VCS stamping out of a relocated comparison.
const NO_VCS: &str = "-buildvcs=false";
const NO_VCS_NOTE: &str = "VCS stamping is off on both sides (-buildvcs=false): the check is \
about the path alone, and a relocated copy has no .git (see `whymiss compare` of two captures to \
check stamping)";

impl Cli {
    /// Resolves arguments and the environment into a `Config`.
    pub fn into_config(self) -> Result<Config, Error> {
        let styles = if use_color(self.color) {
            Styles::colored()
        } else {
            Styles::default()
        };
        if self.command.is_some() && self.check.is_used() {
            return Err(Error::Usage(
                "options before the subcommand belong to the default check; put them after it \
                 (e.g. `whymiss diff --test`), except --color and --quiet"
                    .into(),
            ));
        }
        let max_log_size = max_log_size(self.command.as_ref());
        let report_file = report_file(self.command.as_ref(), &self.check);
        let command = match self.command {
            None => default_check_config(self.check, self.quiet)?,
            Some(subcommand) => subcommand_config(subcommand, self.quiet)?,
        };
        Ok(Config {
            styles,
            command,
            read: crate::go::load::ReadOptions {
                max_size: max_log_size,
                parse: crate::parse::ParseOptions {
                    keep_env_values: self.keep_env_values,
                },
            },
            report_file,
        })
    }
}

/// `--max-log-size` of the commands that read logs; the default for the others.
fn max_log_size(command: Option<&Commands>) -> u64 {
    match command {
        Some(Commands::Compare(c)) => c.input.max_log_size,
        Some(Commands::Explain(e)) => e.input.max_log_size,
        Some(Commands::Inspect(i)) => i.input.max_log_size,
        _ => crate::go::logfile::DEFAULT_MAX_LOG_SIZE,
    }
}

/// `--output FILE` of the commands that write a report; `None` for the others.
fn report_file(command: Option<&Commands>, check: &CheckArgs) -> Option<PathBuf> {
    match command {
        None => check.output.output.clone(),
        Some(Commands::Diff(d)) => d.output.output.clone(),
        Some(Commands::Compare(c)) => c.output.output.clone(),
        Some(Commands::Explain(e)) => e.format.output.clone(),
        Some(Commands::Demo(d)) => d.output.output.clone(),
        Some(Commands::Why(w)) => w.output.output.clone(),
        Some(Commands::Check(c)) => c.output.output.clone(),
        Some(Commands::History(h)) => h.format.output.clone(),
        Some(
            Commands::Capture(_)
            | Commands::Inspect(_)
            | Commands::Record(_)
            | Commands::CapturePairs(_)
            | Commands::Schema(_),
        ) => None,
    }
}

/// The `Command` of a subcommand, each resolved by its own function where that takes more than
/// a few lines.
fn subcommand_config(subcommand: Commands, quiet: bool) -> Result<Command, Error> {
    let progress = ProgressMode::from_quiet(quiet);
    Ok(match subcommand {
        Commands::Diff(d) => diff_config(*d, quiet)?,
        Commands::Check(c) => check_config(*c, quiet)?,
        Commands::Capture(c) => capture_config(c, quiet),
        Commands::Compare(c) => compare_config(c)?,
        Commands::Explain(e) => explain_config(e, quiet),
        Commands::Inspect(a) => Command::Inspect {
            log: a.log,
            actions: a.actions,
            list: a.list,
            format: a.format.value,
        },
        Commands::Demo(d) => demo_config(d, progress)?,
        Commands::Record(r) => record_config(r)?,
        Commands::Why(w) => why_config(w)?,
        Commands::History(h) => history_config(h)?,
        Commands::CapturePairs(c) => Command::CapturePairs(CapturePairs {
            names: c.names,
            corpus: c.corpus,
            keep_temp: c.keep_temp,
            progress,
        }),
        Commands::Schema(a) => Command::Schema(a.kind),
    })
}

/// `whymiss` with no subcommand: the module here against a relocated copy, VCS stamping off.
fn default_check_config(check: CheckArgs, quiet: bool) -> Result<Command, Error> {
    let CheckArgs {
        run,
        mode,
        verify,
        output,
        go_args,
    } = check;
    let dir = run.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let policy = load_policy(&output.gate, Some(&dir))?;
    let output = output_options(output, policy.as_ref())?;
    let side = |label: &str, relocate: bool| SideSpec {
        label: label.to_string(),
        go: run.go.clone(),
        dir: dir.clone(),
        env: run.env.clone(),
        flags: vec![NO_VCS.to_string()],
        relocate,
    };
    Ok(Command::Live {
        live: Box::new(LiveConfig {
            a: side("here", false),
            b: side("moved", true),
            options: run_options(&run, go_args, quiet, Some(&mode)),
            notes: vec![NO_VCS_NOTE.to_string()],
            title: "whymiss",
            verify: !verify.no_verify,
        }),
        output,
    })
}

/// `whymiss capture`: one build, labelled with `--label` or the host's name.
fn capture_config(c: CaptureArgs, quiet: bool) -> Command {
    let label = c.label.unwrap_or_else(crate::go::side::hostname);
    Command::Capture {
        output: c.output,
        side: SideSpec {
            label,
            go: c.run.go.clone(),
            dir: c.run.dir.clone().unwrap_or_else(|| PathBuf::from(".")),
            env: c.run.env.clone(),
            flags: Vec::new(),
            relocate: false,
        },
        options: run_options(&c.run, c.go_args, quiet, Some(&c.mode)),
    }
}

/// `whymiss compare`: two logs, gated by the policy of the current directory.
fn compare_config(c: CompareArgs) -> Result<Command, Error> {
    let policy = load_policy(&c.output.gate, Some(std::path::Path::new(".")))?;
    Ok(Command::Compare {
        a: c.a,
        b: c.b,
        output: output_options(c.output, policy.as_ref())?,
    })
}

/// `whymiss explain`: a log given, or a build run here; the rest of the arguments select.
fn explain_config(e: ExplainArgs, quiet: bool) -> Command {
    // clap fills LOG first; it is a log only if it looks like one.
    let mut targets = e.packages;
    let log = match e.log {
        Some(first) if is_log_path(&first) => Some(PathBuf::from(first)),
        Some(package) => {
            targets.insert(0, package);
            None
        }
        None => None,
    };
    let live = log.is_none().then(|| {
        (
            SideSpec {
                label: "here".to_string(),
                go: e.run.go.clone(),
                dir: e.run.dir.clone().unwrap_or_else(|| PathBuf::from(".")),
                env: e.run.env.clone(),
                flags: Vec::new(),
                relocate: false,
            },
            run_options(&e.run, e.go_args, quiet, None),
        )
    });
    Command::Explain(ExplainConfig {
        log,
        live,
        select: targets,
        list: e.list,
        format: e.format.value,
    })
}

/// `whymiss demo`: a scenario, gated only by an explicit `--policy`.
fn demo_config(d: DemoArgs, progress: ProgressMode) -> Result<Command, Error> {
    // A scenario is whymiss's own: only an explicit --policy applies to it.
    let policy = load_policy(&d.output.gate, None)?;
    Ok(Command::Demo {
        name: d.name,
        list: d.list,
        options: crate::demo::DemoOptions {
            go: d.go,
            progress,
            verify: !d.verify.no_verify,
        },
        output: output_options(d.output, policy.as_ref())?,
    })
}

/// `whymiss record`: the build to run (`--cmd`, the go arguments, or `go build ./...`).
fn record_config(r: RecordArgs) -> Result<Command, Error> {
    Ok(Command::Record(crate::cmd::record::RecordOptions {
        command: match r.cmd {
            Some(line) => crate::record::BuildCommand::Shell(line),
            None if r.go_args.is_empty() => {
                crate::record::BuildCommand::Go(vec!["build".into(), "./...".into()])
            }
            None => crate::record::BuildCommand::Go(r.go_args),
        },
        go: r.go,
        dir: r.dir.unwrap_or_else(|| PathBuf::from(".")),
        history: history_file(&r.history)?,
        keep: r.keep.max(1),
        quiet: r.quiet,
    }))
}

/// `whymiss why`: which record, against which, gated by the record's module's policy.
fn why_config(w: WhyArgs) -> Result<Command, Error> {
    let record = parse_record_ref(w.record.as_deref())?.unwrap_or(RecordRef::Latest(0));
    let against = parse_record_ref(w.against.as_deref())?;
    // The record's module root has the whymiss.toml, as for the default check.
    let dir = w.dir.as_deref().unwrap_or(std::path::Path::new("."));
    let policy = load_policy(&w.output.gate, Some(dir))?;
    let output = output_options(w.output, policy.as_ref())?;
    Ok(Command::Why(WhyOptions {
        record,
        against,
        output,
        dir: w.dir.unwrap_or_else(|| PathBuf::from(".")),
        history: history_file(&w.history)?,
    }))
}

/// `whymiss history`: the history file, and whether to prune it.
fn history_config(h: HistoryArgs) -> Result<Command, Error> {
    Ok(Command::History(HistoryOptions {
        dir: h.dir.unwrap_or_else(|| PathBuf::from(".")),
        history: history_file(&h.history)?,
        all_modules: h.all_modules,
        prune: h.prune.then_some(h.keep.max(1)),
        format: h.format.value,
    }))
}

/// The history file: `--history`, `$WHYMISS_HISTORY`, or the user cache directory's.
fn history_file(args: &HistoryFileArgs) -> Result<PathBuf, Error> {
    crate::history::history_path(args.history.as_deref()).ok_or_else(|| {
        Error::Usage(format!(
            "no user cache directory ($HOME is not set) for the history: give --history PATH or set {}",
            crate::history::HISTORY_VAR
        ))
    })
}

fn parse_record_ref(arg: Option<&str>) -> Result<Option<RecordRef>, Error> {
    arg.map(|a| a.parse().map_err(Error::Usage)).transpose()
}

/// Whether `whymiss explain`'s first argument names a log rather than a package: `-`, an
/// existing path that is not a directory (a file, or a pipe such as `<(zcat ci.log.gz)`), or
/// a name ending in `.log`, `.gz` or `.capture` (which then fails as a missing file, not as a
/// package nobody built). A directory is a package (`./greet`).
fn is_log_path(arg: &str) -> bool {
    let path = std::path::Path::new(arg);
    arg == "-"
        || (path.exists() && !path.is_dir())
        || [".log", ".gz", ".capture"]
            .iter()
            .any(|ext| arg.len() > ext.len() && arg.ends_with(ext))
}

/// The run options of a command; `mode` is `None` for commands that always build for real
/// (`explain`). Dry unless --exact, or --cold (which asks for real builds in empty caches);
/// `go test` always builds for real ([`RunOptions::mode`]).
fn run_options(
    run: &RunArgs,
    go_args: Vec<String>,
    quiet: bool,
    mode: Option<&ModeArgs>,
) -> RunOptions {
    let dry = mode.is_some_and(|m| !m.exact) && !run.cold;
    RunOptions {
        shared_args: if go_args.is_empty() {
            vec!["./...".to_string()]
        } else {
            go_args
        },
        test: run.test,
        cold: run.cold,
        progress: ProgressMode::from_quiet(quiet),
        mode: if dry { Mode::Dry } else { Mode::Exact },
    }
}

fn split_flags(side: &str, flags: Option<&str>) -> Result<Vec<String>, Error> {
    match flags {
        None => Ok(Vec::new()),
        Some(f) => {
            shell_words::split(f).map_err(|e| Error::Usage(format!("--{side}-flags: {e} in `{f}`")))
        }
    }
}

fn diff_config(d: DiffArgs, quiet: bool) -> Result<Command, Error> {
    let base_dir = d.run.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let mut env_a = d.run.env.clone();
    env_a.extend(d.a_env);
    let mut env_b = d.run.env.clone();
    env_b.extend(d.b_env);
    let mut flags_a = split_flags("a", d.a_flags.as_deref())?;
    let mut flags_b = split_flags("b", d.b_flags.as_deref())?;
    let mut notes = Vec::new();
    if d.b_relocate {
        flags_a.insert(0, NO_VCS.to_string());
        flags_b.insert(0, NO_VCS.to_string());
        notes.push(NO_VCS_NOTE.to_string());
    }
    let policy = load_policy(&d.output.gate, Some(&base_dir))?;
    let output = output_options(d.output, policy.as_ref())?;
    let live = LiveConfig {
        a: SideSpec {
            label: d.a_label,
            go: d.a_go.or(d.run.go.clone()),
            dir: d.a_dir.unwrap_or_else(|| base_dir.clone()),
            env: env_a,
            flags: flags_a,
            relocate: false,
        },
        b: SideSpec {
            label: d.b_label,
            go: d.b_go.or(d.run.go.clone()),
            dir: d.b_dir.unwrap_or(base_dir),
            env: env_b,
            flags: flags_b,
            relocate: d.b_relocate,
        },
        options: run_options(&d.run, d.go_args, quiet, Some(&d.mode)),
        notes,
        title: "whymiss diff",
        verify: !d.verify.no_verify,
    };
    Ok(Command::Live {
        live: Box::new(live),
        output,
    })
}

/// `whymiss check`: the command line over whymiss.toml's `[check]` over the defaults.
fn check_config(c: CheckCommandArgs, quiet: bool) -> Result<Command, Error> {
    use crate::check::{BuildCommand, CheckSpec};
    let dir = c.run.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let policy = load_policy(&c.output.gate, Some(&dir))?;
    let defaults = policy.as_ref().map(|p| p.check.clone()).unwrap_or_default();
    let both: Vec<&str> = c
        .vary
        .iter()
        .filter(|f| c.no_vary.contains(f))
        .map(|f| f.as_str())
        .collect();
    if !both.is_empty() {
        return Err(Error::Usage(format!(
            "--vary and --no-vary both name {}",
            both.join(", ")
        )));
    }
    let mut varied: Vec<Factor> = if !c.vary.is_empty() {
        c.vary.clone()
    } else {
        let base = defaults
            .vary
            .clone()
            .unwrap_or_else(|| Factor::ALL.to_vec());
        base.into_iter()
            .filter(|f| !defaults.no_vary.contains(f))
            .collect()
    };
    varied.retain(|f| !c.no_vary.contains(f));
    varied.sort();
    varied.dedup();
    if varied.is_empty() {
        return Err(Error::Usage(
            "nothing to vary: --vary/--no-vary (or whymiss.toml) leave no variation".into(),
        ));
    }
    let test = c.run.test || defaults.test.unwrap_or(false);
    let command = match (c.cmd, c.go_args.is_empty()) {
        (Some(cmd), _) => BuildCommand::Shell(cmd),
        (None, false) => BuildCommand::Go {
            test,
            args: c.go_args,
        },
        (None, true) => match (defaults.cmd, defaults.args) {
            (Some(cmd), _) => BuildCommand::Shell(cmd),
            (None, Some(args)) if !args.is_empty() => BuildCommand::Go { test, args },
            _ => BuildCommand::Go {
                test,
                args: vec![crate::go::run::DEFAULT_PACKAGES.to_string()],
            },
        },
    };
    let mut env = defaults.env.clone();
    env.extend(c.run.env.iter().cloned());
    let mut notes = Vec::new();
    if let Some(p) = &policy {
        notes.push(format!(
            "policy: {} ({} allowance{})",
            p.path.display(),
            p.allow.len(),
            if p.allow.len() == 1 { "" } else { "s" }
        ));
    }
    let mut output = output_options(c.output, policy.as_ref())?;
    output.gate.not_varied = Factor::ALL
        .iter()
        .copied()
        .filter(|f| !varied.contains(f))
        .collect();
    let mode = if test || c.run.cold || c.mode.exact {
        Mode::Exact
    } else {
        Mode::Dry
    };
    Ok(Command::Check {
        spec: Box::new(CheckSpec {
            go: c.run.go,
            dir,
            command,
            varied,
            env,
            mode,
            cold: c.run.cold,
            progress: ProgressMode::from_quiet(quiet),
        }),
        notes,
        output,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }

    fn config(args: &[&str]) -> Command {
        Cli::try_parse_from(args)
            .unwrap()
            .into_config()
            .unwrap()
            .command
    }

    #[test]
    fn default_is_a_relocation_check() {
        let Command::Live { live, .. } = config(&["whymiss", "--", "-trimpath", "./cmd/x"]) else {
            panic!()
        };
        assert!(!live.a.relocate && live.b.relocate);
        assert_eq!(live.options.shared_args, vec!["-trimpath", "./cmd/x"]);
        assert_eq!(live.a.flags, vec!["-buildvcs=false"]);
    }

    #[test]
    fn dry_runs_unless_exact_cold_or_test_and_verification_unless_no_verify() {
        let live = |args: &[&str]| {
            let Command::Live { live, .. } = config(args) else {
                panic!()
            };
            live
        };
        let check = live(&["whymiss"]);
        assert_eq!((check.options.mode(), check.verify), (Mode::Dry, true));
        assert_eq!(live(&["whymiss", "--exact"]).options.mode(), Mode::Exact);
        assert_eq!(live(&["whymiss", "--cold"]).options.mode(), Mode::Exact);
        assert_eq!(live(&["whymiss", "--test"]).options.mode(), Mode::Exact);
        assert!(!live(&["whymiss", "diff", "--no-verify"]).verify);
        assert_eq!(live(&["whymiss", "diff"]).options.mode(), Mode::Dry);
        let Command::Capture { options, .. } = config(&["whymiss", "capture", "-o", "x"]) else {
            panic!()
        };
        assert_eq!(options.mode(), Mode::Dry);
        let Command::Capture { options, .. } =
            config(&["whymiss", "capture", "-o", "x", "--exact"])
        else {
            panic!()
        };
        assert_eq!(options.mode(), Mode::Exact);
        // explain builds for real: it shows real action IDs.
        let Command::Explain(e) = config(&["whymiss", "explain", "example.com/x"]) else {
            panic!()
        };
        assert_eq!(e.live.unwrap().1.mode(), Mode::Exact);
    }

    #[test]
    fn diff_sides() {
        let Command::Live { live, output } = config(&[
            "whymiss",
            "diff",
            "--a-env",
            "CGO_ENABLED=1",
            "--b-env",
            "CGO_ENABLED=0",
            "--b-flags",
            "-gcflags='all=-N -l' -trimpath",
            "--b-go",
            "go1.26.6",
            "--ignore",
            "vcs-stamp",
        ]) else {
            panic!()
        };
        assert_eq!(live.a.env, vec![("CGO_ENABLED".into(), "1".into())]);
        assert_eq!(live.b.flags, vec!["-gcflags=all=-N -l", "-trimpath"]);
        assert_eq!(live.b.go.as_deref(), Some("go1.26.6"));
        assert_eq!(live.options.shared_args, vec!["./..."]);
        assert_eq!(output.gate.ignore, vec![Category::VcsStamp]);
    }

    #[test]
    fn only_commands_that_may_run_go_watch_for_signals() {
        assert!(config(&["whymiss"]).runs_go());
        assert!(config(&["whymiss", "capture", "-o", "x"]).runs_go());
        assert!(config(&["whymiss", "demo", "moved"]).runs_go());
        assert!(!config(&["whymiss", "demo", "--list"]).runs_go());
        assert!(!config(&["whymiss", "compare", "a", "b"]).runs_go());
        assert!(!config(&["whymiss", "inspect", "a"]).runs_go());
        assert!(!config(&["whymiss", "explain", "Cargo.toml"]).runs_go());
        assert!(config(&["whymiss", "explain", "example.com/x"]).runs_go());
    }

    /// Issue 9 item 13: `whymiss explain /nonexistent/a.log` took the path for a package and ran
    /// a build.
    #[test]
    fn explain_takes_path_like_arguments_for_logs() {
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("build");
        std::fs::write(&existing, "HASH[x]\n").unwrap();
        let existing = existing.display().to_string();
        for arg in [
            "/nonexistent/a.log",
            "a.log",
            "ci.log.gz",
            "b.capture",
            "-",
            existing.as_str(),
        ] {
            let Command::Explain(ExplainConfig {
                log, live, select, ..
            }) = config(&["whymiss", "explain", arg, "example.com/x"])
            else {
                panic!()
            };
            assert_eq!(log.as_deref(), Some(std::path::Path::new(arg)), "{arg}");
            assert!(live.is_none(), "{arg}");
            assert_eq!(select, ["example.com/x"]);
        }
        for arg in [
            "example.com/app/greet",
            "greet",
            "link example.com/app",
            ".log",
        ] {
            let Command::Explain(ExplainConfig { log, select, .. }) =
                config(&["whymiss", "explain", arg])
            else {
                panic!()
            };
            assert_eq!(log, None, "{arg}");
            assert_eq!(select, [arg]);
        }
    }

    /// Issue 11: `whymiss explain ./greet` took the package's directory for a log ("is a
    /// directory").
    #[test]
    fn explain_takes_a_directory_for_a_package() {
        let dir = tempfile::tempdir().unwrap();
        let greet = dir.path().join("greet");
        std::fs::create_dir(&greet).unwrap();
        let greet = greet.display().to_string();
        for args in [
            vec!["whymiss", "explain", greet.as_str()],
            vec!["whymiss", "explain", "."],
        ] {
            let Command::Explain(ExplainConfig {
                log, live, select, ..
            }) = config(&args)
            else {
                panic!()
            };
            assert_eq!(log, None, "{args:?}");
            assert!(live.is_some(), "{args:?}");
            assert_eq!(select, [args[2]]);
        }
        let Command::Explain(e) = config(&["whymiss", "explain", "--list"]) else {
            panic!()
        };
        assert!(e.list);
    }

    #[test]
    fn bad_env_and_flags_are_usage_errors() {
        assert!(Cli::try_parse_from(["whymiss", "diff", "--a-env", "NOEQUALS"]).is_err());
        let cli = Cli::try_parse_from(["whymiss", "diff", "--a-flags", "'unterminated"]).unwrap();
        assert!(cli.into_config().is_err());
    }
}
