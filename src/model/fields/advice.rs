//! Why a difference in a key input misses the cache, and how to make two builds agree on it:
//! one [`Advice`] per kind of difference, each citing the rows of `docs/key-inputs.md` it
//! condenses. The field tables hold them ([`About::advice`](super::About::advice)); the
//! comparison picks one for each cause and renders it with the [`Facts`] it knows about the two
//! sides, so a text that depends on a setting (-trimpath, the Go release) says so in its type.

/// Why and how to fix one kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advice {
    /// The rows of `docs/key-inputs.md` this advice condenses (`B03`, `P1`, `M10`).
    pub rows: &'static [&'static str],
    /// Why the input is in the key: what changes in the output when it changes.
    pub why: Wording,
    /// How to make the two sides agree (or turn the feature off).
    pub fix: Wording,
}

impl Advice {
    /// An advice whose texts do not depend on the sides' settings.
    pub const fn plain(
        rows: &'static [&'static str],
        why: &'static str,
        fix: &'static str,
    ) -> Self {
        Advice {
            rows,
            why: Wording::Plain(why),
            fix: Wording::Plain(fix),
        }
    }

    /// The why, for these facts, with `{}` replaced by `subject`.
    pub fn why(&self, facts: &Facts, subject: &str) -> String {
        self.why.render(facts, subject)
    }

    /// The fix, for these facts, with `{}` replaced by `subject`.
    pub fn fix(&self, facts: &Facts, subject: &str) -> String {
        self.fix.render(facts, subject)
    }
}

/// A text, or the texts it chooses between by a fact about the two sides. `{}` stands for the
/// cause's subject (a variable, a module, a tag). Two wordings are equal when they give the same
/// texts.
#[derive(Debug, Clone, Copy)]
pub enum Wording {
    Plain(&'static str),
    /// One text when both sides build with -trimpath, another when neither or one does.
    Trimpath {
        trimmed: &'static str,
        untrimmed: &'static str,
    },
    /// One text before Go 1.`minor`, another from it on (by the side's release; a log whose
    /// release is unknown gets the newer text).
    Since {
        minor: u32,
        before: &'static str,
        since: &'static str,
    },
    /// A text computed from the facts (a list that changes from release to release).
    With(fn(&Facts) -> String),
}

impl PartialEq for Wording {
    fn eq(&self, other: &Self) -> bool {
        self.variants() == other.variants()
    }
}

impl Eq for Wording {}

impl Wording {
    pub fn render(&self, facts: &Facts, subject: &str) -> String {
        let text = match *self {
            Wording::Plain(t) => t,
            Wording::Trimpath { trimmed, untrimmed } => {
                if facts.both_trimpath {
                    trimmed
                } else {
                    untrimmed
                }
            }
            Wording::Since {
                minor,
                before,
                since,
            } => {
                if facts.go_minor.is_some_and(|m| m < minor) {
                    before
                } else {
                    since
                }
            }
            Wording::With(f) => return fill(&f(facts), subject),
        };
        fill(text, subject)
    }

    /// Every text this wording can give (for `With`, the texts of the releases whymiss reads).
    pub fn variants(&self) -> Vec<String> {
        match *self {
            Wording::Plain(t) => vec![t.to_string()],
            Wording::Trimpath { trimmed, untrimmed } => vec![trimmed.into(), untrimmed.into()],
            Wording::Since { before, since, .. } => vec![before.into(), since.into()],
            Wording::With(f) => {
                let mut out: Vec<String> = Vec::new();
                for go_minor in (21..=27).map(Some) {
                    for bits in 0..8u8 {
                        let text = f(&Facts {
                            go_minor,
                            both_trimpath: bits & 1 != 0,
                            volatile: bits & 2 != 0,
                            pattern_differs: bits & 4 != 0,
                        });
                        if !out.contains(&text) {
                            out.push(text);
                        }
                    }
                }
                out
            }
        }
    }
}

/// What the comparison knows about the two sides that a text may depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// The Go release (minor version) of the side the cause is about: the side whose test
    /// caching is off, else side A.
    pub go_minor: Option<u32>,
    /// Both sides build with -trimpath.
    pub both_trimpath: bool,
    /// The differing value looks like it changes on every build (a time, a commit, a number).
    pub volatile: bool,
    /// Compiler flags reach the standard library on one side only: the sides used different
    /// package patterns (`-gcflags=-N` against `-gcflags=all=-N`).
    pub pattern_differs: bool,
}

/// `text` with each `{}` replaced by `subject`.
pub fn fill(text: &str, subject: &str) -> String {
    if !text.contains("{}") {
        return text.to_string();
    }
    text.replace("{}", subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordings_read_their_fact() {
        let trimmed = Facts {
            both_trimpath: true,
            ..Facts::default()
        };
        let w = Wording::Trimpath {
            trimmed: "t",
            untrimmed: "u",
        };
        assert_eq!(w.render(&trimmed, ""), "t");
        assert_eq!(w.render(&Facts::default(), ""), "u");
        let w = Wording::Since {
            minor: 23,
            before: "old {}",
            since: "new {}",
        };
        let old = Facts {
            go_minor: Some(22),
            ..Facts::default()
        };
        assert_eq!(w.render(&old, "x"), "old x");
        assert_eq!(w.render(&Facts::default(), "x"), "new x");
        assert_eq!(w.variants(), vec!["old {}", "new {}"]);
    }
}
