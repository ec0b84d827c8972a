//! `modinfo`: the `runtime/debug.BuildInfo` text that `cmd/go` hashes into a main package's key.
//! Every setting in it (`-ldflags`, `CGO_ENABLED`, `vcs.revision`, `GOAMD64`, …) is a key input
//! of its own, so it is kept as a list rather than one long string.

use super::text::Text;
use std::borrow::Cow;

/// A parsed `debug.BuildInfo.String()`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModInfo<'a> {
    /// `go\t<version>` (absent in the form cmd/go hashes, present in binaries).
    pub go_version: Option<Text<'a>>,
    /// `path\t<main package path>`.
    pub path: Option<Text<'a>>,
    /// `mod\t<path>\t<version>\t<sum>`: the main module.
    pub main: Option<ModLine<'a>>,
    /// `dep\t…`: module dependencies, with their `=>` replacements.
    pub deps: Vec<ModLine<'a>>,
    /// `build\t<key>=<value>`, in order.
    pub settings: Vec<(Text<'a>, Text<'a>)>,
    /// Lines of another form, kept verbatim.
    pub other: Vec<Text<'a>>,
}

/// A `mod`/`dep` line and its replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModLine<'a> {
    pub path: Text<'a>,
    pub version: Text<'a>,
    pub sum: Text<'a>,
    pub replace: Option<Box<ModLine<'a>>>,
}

impl<'a> ModInfo<'a> {
    /// The value of a `build` setting.
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    pub fn into_owned(self) -> ModInfo<'static> {
        fn o(t: Text<'_>) -> Text<'static> {
            Cow::Owned(t.into_owned())
        }
        ModInfo {
            go_version: self.go_version.map(o),
            path: self.path.map(o),
            main: self.main.map(ModLine::into_owned),
            deps: self.deps.into_iter().map(ModLine::into_owned).collect(),
            settings: self
                .settings
                .into_iter()
                .map(|(k, v)| (o(k), o(v)))
                .collect(),
            other: self.other.into_iter().map(o).collect(),
        }
    }
}

impl ModLine<'_> {
    pub fn into_owned(self) -> ModLine<'static> {
        ModLine {
            path: Cow::Owned(self.path.into_owned()),
            version: Cow::Owned(self.version.into_owned()),
            sum: Cow::Owned(self.sum.into_owned()),
            replace: self.replace.map(|r| Box::new(r.into_owned())),
        }
    }

    /// `path@version`, or `path@version => path@version` when replaced.
    pub fn display(&self) -> String {
        let mut s = format!("{}@{}", self.path, self.version);
        if let Some(r) = &self.replace {
            s.push_str(" => ");
            if r.version.is_empty() {
                s.push_str(&r.path);
            } else {
                s.push_str(&r.display());
            }
        }
        s
    }
}
