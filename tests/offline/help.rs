//! The command line itself, walked through clap's `Command` tree: every option of every command
//! has a description, usage lines read naturally, examples never wrap at 80 or 100 columns,
//! every command users run has examples, one-build commands are worded for one build, `-q` is
//! accepted everywhere, and the maintenance commands stay hidden.

use clap::{CommandFactory, Parser};
use whymiss::cli::Cli;

use crate::support::whymiss;

/// The commands users run (the hidden ones are checked too, where it applies).
const VISIBLE: &[&str] = &["diff", "capture", "compare", "explain", "inspect", "demo"];
const HIDDEN: &[&str] = &["capture-pairs", "schema"];

/// The whole tree, built (global options propagated, bin names set).
fn built() -> clap::Command {
    let mut cmd = Cli::command();
    cmd.build();
    cmd
}

/// The top-level command and every subcommand (except clap's `help`), with their path.
fn every_command() -> Vec<(String, clap::Command)> {
    let root = built();
    let mut all = vec![("whymiss".to_string(), root.clone())];
    for sub in root.get_subcommands().filter(|s| s.get_name() != "help") {
        all.push((format!("whymiss {}", sub.get_name()), sub.clone()));
    }
    all
}

fn text(s: Option<&clap::builder::StyledStr>) -> String {
    s.map(|s| s.to_string()).unwrap_or_default()
}

#[test]
fn every_option_of_every_command_has_a_description() {
    let mut missing = Vec::new();
    for (path, cmd) in every_command() {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            let help = text(arg.get_help()) + &text(arg.get_long_help());
            if help.trim().is_empty() {
                missing.push(format!("{path}: {id}"));
            }
            for value in arg.get_possible_values() {
                if value.is_hide_set() {
                    continue;
                }
                if text(value.get_help()).trim().is_empty() {
                    missing.push(format!("{path}: {id} value {}", value.get_name()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "without a description: {missing:#?}");
}

#[test]
fn every_command_users_run_has_examples() {
    for (path, cmd) in every_command() {
        let after = text(cmd.get_after_help());
        assert!(after.starts_with("Examples"), "{path} has no examples");
        if let Some(long) = cmd.get_after_long_help() {
            assert!(
                long.to_string().starts_with(&after),
                "{path}: --help drops the examples of -h"
            );
        }
    }
}

/// Issue 11: in `diff --help` an example wrapped mid-command; the long texts were wrapped for
/// 100 columns and broke badly at 80.
#[test]
fn no_example_or_paragraph_wraps_at_80_or_100_columns() {
    for width in [80, 100] {
        for (path, cmd) in every_command() {
            // A subcommand's long about is its doc comment, whose paragraphs clap reflows; the
            // top level's is written out, wrapped for 80 columns.
            let long_about = if path == "whymiss" {
                text(cmd.get_long_about())
            } else {
                String::new()
            };
            let sources = [
                text(cmd.get_after_help()),
                text(cmd.get_after_long_help()),
                long_about,
            ];
            for (long, source) in [
                (false, &sources[0]),
                (true, &sources[1]),
                (true, &sources[2]),
            ] {
                let mut cmd = cmd.clone().term_width(width);
                let rendered = if long {
                    cmd.render_long_help().to_string()
                } else {
                    cmd.render_help().to_string()
                };
                let lines: Vec<&str> = rendered.lines().map(str::trim_end).collect();
                for line in source.lines().map(str::trim_end) {
                    assert!(
                        lines.contains(&line),
                        "{path} at {width} columns: `{line}` wraps:\n{rendered}"
                    );
                }
            }
        }
    }
}

/// Issue 11: the top-level usage read `whymiss [OPTIONS] [-- <GO ARGS>...] [COMMAND]`, and
/// `explain`'s `[LOG|PACKAGE]...`.
#[test]
fn usage_lines_read_naturally() {
    let mut root = built();
    let usage = root.render_usage().to_string();
    assert_eq!(
        usage,
        "Usage: whymiss [OPTIONS] [-- <GO ARGS>...]\n       whymiss <COMMAND> [OPTIONS] [ARGS]"
    );
    for (path, mut cmd) in every_command().into_iter().skip(1) {
        let usage = cmd.render_usage().to_string();
        let usage = usage.strip_prefix("Usage: ").unwrap();
        assert!(
            usage.starts_with(&format!("{path} ")) || usage == path,
            "{usage}"
        );
        assert!(
            !usage.contains('|'),
            "{path}: alternatives in one slot: {usage}"
        );
        assert!(!usage.contains("[COMMAND]"), "{usage}");
        if let Some(at) = usage.find("-- <GO ARGS>") {
            assert!(
                usage[at..] == *"-- <GO ARGS>...]",
                "{path}: the go arguments come last: {usage}"
            );
        }
    }
    let mut explain = built().find_subcommand("explain").unwrap().clone();
    assert_eq!(
        explain.render_usage().to_string(),
        "Usage: whymiss explain [OPTIONS] [LOG] [PACKAGE]... [-- <GO ARGS>...]"
    );
}

/// Issue 11: `diff --help` listed --color between --a-env and --b-env, and --b-label had no
/// text: a command's own options come first, the global ones after them.
#[test]
fn global_options_come_after_a_commands_own() {
    let mut diff = built()
        .find_subcommand("diff")
        .unwrap()
        .clone()
        .term_width(100);
    let help = diff.render_help().to_string();
    let at = |needle: &str| {
        help.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in\n{help}"))
    };
    assert!(at("--a-env") < at("--b-env"));
    assert!(at("--b-env") < at("--a-go"));
    assert!(at("--b-label") < at("--color"));
    assert!(at("--color") < at("--quiet"));
    for heading in ["Build options:", "Report options:"] {
        assert!(at("--quiet") < at(heading), "{heading}");
    }
    let b_label = help.lines().find(|l| l.contains("--b-label")).unwrap();
    assert!(b_label.contains("Side B's name"), "{b_label}");
}

/// Issue 11: `capture --help` and `explain --help` said "each side" and "both sides" about a
/// command that builds once.
#[test]
fn commands_that_build_once_are_not_worded_for_two_sides() {
    for name in ["capture", "explain"] {
        let cmd = built().find_subcommand(name).unwrap().clone();
        for arg in cmd.get_arguments() {
            let help = text(arg.get_help()) + &text(arg.get_long_help());
            for two in ["each side", "both sides"] {
                assert!(
                    !help.contains(two),
                    "{name} --{}: {help}",
                    arg.get_id().as_str()
                );
            }
        }
    }
    let diff = built().find_subcommand("diff").unwrap().clone();
    let cold = diff
        .get_arguments()
        .find(|a| a.get_id().as_str() == "cold")
        .unwrap();
    assert!(text(cold.get_help()).contains("each side"));
}

/// Issue 11: `compare -q` was rejected while the other commands accepted it.
#[test]
fn quiet_is_accepted_by_every_command() {
    let args: &[&[&str]] = &[
        &["whymiss", "-q"],
        &["whymiss", "diff", "-q"],
        &["whymiss", "capture", "-q", "-o", "x"],
        &["whymiss", "compare", "-q", "a", "b"],
        &["whymiss", "explain", "-q"],
        &["whymiss", "inspect", "-q", "a"],
        &["whymiss", "demo", "-q"],
        &["whymiss", "capture-pairs", "-q"],
        &["whymiss", "schema", "-q"],
        &["whymiss", "-q", "compare", "a", "b"],
    ];
    for args in args {
        let cli = Cli::try_parse_from(*args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert!(cli.quiet, "{args:?}");
    }
}

#[test]
fn format_is_described_with_its_values() {
    for name in ["diff", "compare", "explain", "inspect", "demo"] {
        let mut cmd = built()
            .find_subcommand(name)
            .unwrap()
            .clone()
            .term_width(100);
        let help = cmd.render_long_help().to_string();
        let at = help.find("--format <FORMAT>").unwrap();
        let section = &help[at..];
        assert!(section.contains("The output format"), "{name}:\n{help}");
        assert!(section.contains("- json:"), "{name}:\n{help}");
    }
}

#[test]
fn the_long_help_of_commands_that_run_go_says_how_go_is_found() {
    for name in ["", "diff", "capture", "explain", "demo"] {
        let mut args = vec!["whymiss"];
        if !name.is_empty() {
            args.push(name);
        }
        let mut cmd = built();
        let cmd = if name.is_empty() {
            &mut cmd
        } else {
            cmd.find_subcommand_mut(name).unwrap()
        };
        let help = cmd.render_long_help().to_string();
        assert!(
            help.contains(whymiss::go::toolchain::SEARCH_ORDER),
            "{args:?}:\n{help}"
        );
    }
}

#[test]
fn help_lists_the_commands_and_hides_the_maintenance_ones() {
    for flag in ["-h", "--help"] {
        let help = whymiss([flag]).code(0).stdout();
        for command in VISIBLE {
            assert!(
                help.lines().any(|l| l.trim_start().starts_with(command)),
                "{command} not in\n{help}"
            );
        }
        for hidden in HIDDEN {
            assert!(
                !help.lines().any(|l| l.trim_start().starts_with(hidden)),
                "{hidden} shown in\n{help}"
            );
        }
    }
    let root = built();
    for hidden in HIDDEN {
        assert!(root.find_subcommand(hidden).unwrap().is_hide_set());
    }
}

#[test]
fn an_unknown_pair_is_a_one_line_usage_error() {
    whymiss(["capture-pairs", "no-such-pair"])
        .code(2)
        .one_line_error()
        .stderr_has("no pair named `no-such-pair` in corpus/pairs");
}
