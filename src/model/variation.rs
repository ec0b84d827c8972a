//! What `whymiss check` varies between its two builds, as reprotest does for outputs: each
//! [`Factor`] is one way two machines differ. A cause of a check is attributed to the factors
//! whose variation produces it ([`Attribution`]); the comparison, the gate and the renderers read
//! that as plain data.

use std::fmt;
use std::str::FromStr;

/// One way two machines differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Factor {
    /// The checkout's absolute path.
    Path,
    /// `HOME`, and with it the default GOPATH, GOMODCACHE, GOCACHE and go env file.
    Home,
    /// `TMPDIR`.
    Tmpdir,
    /// `TZ`.
    Tz,
    /// `LC_ALL` and `LANG`.
    Locale,
    /// `USER` and `LOGNAME`.
    User,
    /// The wall clock: the second build runs in a later second than the first.
    Time,
    /// The rest of the environment: the second build has only a minimal one.
    Env,
}

impl Factor {
    /// Every factor, in the order reports list them.
    pub const ALL: [Factor; 8] = [
        Factor::Path,
        Factor::Home,
        Factor::Tmpdir,
        Factor::Tz,
        Factor::Locale,
        Factor::User,
        Factor::Time,
        Factor::Env,
    ];

    /// The name on the command line, in whymiss.toml and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Factor::Path => "path",
            Factor::Home => "home",
            Factor::Tmpdir => "tmpdir",
            Factor::Tz => "tz",
            Factor::Locale => "locale",
            Factor::User => "user",
            Factor::Time => "time",
            Factor::Env => "env",
        }
    }

    /// What varying it means, for help and reports.
    pub fn description(self) -> &'static str {
        match self {
            Factor::Path => "the checkout's absolute path",
            Factor::Home => "HOME (so the default GOPATH, GOMODCACHE, GOCACHE and go env file)",
            Factor::Tmpdir => "TMPDIR",
            Factor::Tz => "the time zone (TZ)",
            Factor::Locale => "the locale (LC_ALL, LANG)",
            Factor::User => "the user name (USER, LOGNAME)",
            Factor::Time => "the time: the second build runs in a later second",
            Factor::Env => {
                "the environment: the second build gets a minimal one (no stray variables)"
            }
        }
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Factor {
    type Err = String;

    fn from_str(s: &str) -> Result<Factor, String> {
        Factor::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Factor::ALL.iter().map(|f| f.as_str()).collect();
                format!("unknown variation `{s}` (one of: {})", names.join(", "))
            })
    }
}

/// Which varied factors produce a cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// The factors, in [`Factor::ALL`] order. With `together` unset, varying any one of them
    /// alone produces the cause.
    pub factors: Vec<Factor>,
    /// The cause appears only when all of `factors` vary at once (none alone produces it).
    pub together: bool,
}

impl Attribution {
    /// `path`, `path, home`, `path + home (together)`.
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.factors.iter().map(|f| f.as_str()).collect();
        if self.together && names.len() > 1 {
            format!("{} (only together)", names.join(" + "))
        } else {
            names.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Factor::ALL {
            assert_eq!(f.as_str().parse::<Factor>(), Ok(f));
        }
        let err = "clock".parse::<Factor>().unwrap_err();
        assert!(
            err.contains("path, home, tmpdir, tz, locale, user, time, env"),
            "{err}"
        );
    }

    #[test]
    fn attributions_read_as_the_factors() {
        let one = Attribution {
            factors: vec![Factor::Time],
            together: false,
        };
        assert_eq!(one.describe(), "time");
        let joint = Attribution {
            factors: vec![Factor::Path, Factor::Home],
            together: true,
        };
        assert_eq!(joint.describe(), "path + home (only together)");
    }
}
