//! A go command line as the two go shims see it (`whymiss check`'s in `go/shim.rs`,
//! `whymiss record`'s in `record/shim.rs`): the flags before the subcommand, the subcommand,
//! the rest.

use std::ffi::OsString;

use crate::model::Mode;

/// A go command line: flags before the subcommand (`-C dir`), the subcommand, the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoArgs {
    pub before: Vec<OsString>,
    pub subcommand: Option<String>,
    pub rest: Vec<OsString>,
}

impl GoArgs {
    /// Splits go's arguments. Only `-C dir` may precede the subcommand (cmd/go/main.go,
    /// `handleChdirFlag`).
    pub(crate) fn parse(args: &[OsString]) -> GoArgs {
        let mut i = 0;
        while i < args.len() {
            let a = args[i].to_string_lossy();
            if a == "-C" || a == "--C" {
                i += 2;
            } else if a.starts_with("-C=") || a.starts_with("--C=") {
                i += 1;
            } else {
                break;
            }
        }
        let i = i.min(args.len());
        GoArgs {
            before: args[..i].to_vec(),
            subcommand: args.get(i).map(|s| s.to_string_lossy().into_owned()),
            rest: args.get(i + 1..).map(<[_]>::to_vec).unwrap_or_default(),
        }
    }

    /// The flags after the subcommand, up to the first package.
    pub(crate) fn flags(&self) -> impl Iterator<Item = String> + '_ {
        self.rest
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .take_while(|a| a.starts_with('-'))
    }

    /// The user runs go dry already (`-n`): nothing worth observing.
    pub(crate) fn is_dry_run(&self) -> bool {
        self.flags().any(|a| a == Mode::DRY_FLAG)
    }

    pub(crate) fn is_test(&self) -> bool {
        self.subcommand.as_deref() == Some("test")
    }

    /// The same command as a dry run (`-n` right after the subcommand).
    pub(crate) fn dry(&self) -> Vec<OsString> {
        let mut out = self.before.clone();
        out.extend(self.subcommand.iter().map(OsString::from));
        out.push(Mode::DRY_FLAG.into());
        out.extend(self.rest.iter().cloned());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_subcommand_follows_dash_c_and_n_follows_the_subcommand() {
        let g = GoArgs::parse(&args(&["-C", "sub", "build", "-o", "x", "./..."]));
        assert_eq!(g.before, args(&["-C", "sub"]));
        assert_eq!(g.subcommand.as_deref(), Some("build"));
        assert_eq!(
            g.dry(),
            args(&["-C", "sub", "build", "-n", "-o", "x", "./..."])
        );
        assert_eq!(GoArgs::parse(&args(&[])).subcommand, None);
        assert!(GoArgs::parse(&args(&["build", "-n", "."])).is_dry_run());
        assert!(!GoArgs::parse(&args(&["build", ".", "-n"])).is_dry_run());
    }
}
