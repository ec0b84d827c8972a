//! What whymiss reads from a source file that the log names but does not hold: its build
//! constraint and whether it imports "C", which say which setting selects it
//! (`go/build`, `(*Context).shouldBuild` and `matchTag`). The comparison asks a
//! [`SourceFacts`] for them; where the sources are not on this machine it gets nothing.

use super::Digest;

/// A build constraint expression (`//go:build linux && !cgo`, or the `// +build` lines it
/// replaced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    Tag(String),
    Not(Box<Constraint>),
    And(Box<Constraint>, Box<Constraint>),
    Or(Box<Constraint>, Box<Constraint>),
}

impl Constraint {
    /// Whether the constraint holds when `tag` says which tags are set.
    pub fn eval(&self, tag: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Constraint::Tag(t) => tag(t),
            Constraint::Not(x) => !x.eval(tag),
            Constraint::And(x, y) => x.eval(tag) && y.eval(tag),
            Constraint::Or(x, y) => x.eval(tag) || y.eval(tag),
        }
    }

    /// The tags it names, in order, each once.
    pub fn tags(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'s>(&'s self, out: &mut Vec<&'s str>) {
        match self {
            Constraint::Tag(t) => {
                if !out.contains(&t.as_str()) {
                    out.push(t);
                }
            }
            Constraint::Not(x) => x.collect(out),
            Constraint::And(x, y) | Constraint::Or(x, y) => {
                x.collect(out);
                y.collect(out);
            }
        }
    }
}

/// What the build constraint lines of a source file say, read from the file itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceHeader {
    /// The file's `//go:build` line (or its `// +build` lines), if it has one.
    pub constraint: Option<Constraint>,
    /// The file imports "C": it is compiled only with cgo on.
    pub imports_c: bool,
}

/// Reads the header of a source file the log names, by its absolute path, when the file on
/// this machine has the content the log hashed (so a file of the same name elsewhere, or one
/// changed since, is never mistaken for it).
pub trait SourceFacts {
    fn header(&self, path: &str, sum: &Digest) -> Option<SourceHeader>;
}

/// No sources: everything is inferred from the log alone.
pub struct NoSources;

impl SourceFacts for NoSources {
    fn header(&self, _: &str, _: &Digest) -> Option<SourceHeader> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_and_lists_tags() {
        let c = Constraint::And(
            Box::new(Constraint::Tag("linux".into())),
            Box::new(Constraint::Not(Box::new(Constraint::Tag("cgo".into())))),
        );
        assert!(c.eval(&|t| t == "linux"));
        assert!(!c.eval(&|t| t == "linux" || t == "cgo"));
        assert_eq!(c.tags(), vec!["linux", "cgo"]);
    }
}
