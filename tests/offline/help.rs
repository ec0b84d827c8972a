//! The command line itself: `--help` lists the commands users run, not the hidden ones that
//! maintain whymiss's own corpus and schema.

use crate::support::whymiss;

#[test]
fn help_lists_the_commands_and_hides_the_maintenance_ones() {
    let help = whymiss(["--help"]).code(0).stdout();
    for command in ["diff", "capture", "compare", "explain", "inspect", "demo"] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(command)),
            "{command} not in\n{help}"
        );
    }
    for hidden in ["capture-pairs", "schema"] {
        assert!(!help.contains(hidden), "{hidden} shown in\n{help}");
    }
}

#[test]
fn an_unknown_pair_is_a_one_line_usage_error() {
    whymiss(["capture-pairs", "no-such-pair"])
        .code(2)
        .one_line_error()
        .stderr_has("no pair named `no-such-pair` in corpus/pairs");
}
