//! Which setting selects the files a package compiles on one side only. Go picks a package's
//! files by their names (`_GOOS`, `_GOARCH` suffixes) and build constraints against the build's
//! tags (`go/build`, `(*Context).goodOSArchFile`, `matchTag`); replaying that on the files
//! present on one side, with what each side's keys say about its tags (GOOS, GOARCH, cgo, the
//! release, experiments, the architecture level, -race), names the setting: a user build tag,
//! the target, cgo, the release. The files' constraints are read from the sources when they are
//! on this machine with the content the log hashed; else only their names speak.

use super::class::Selection;
use crate::model::{Digest, SourceFacts, SourceHeader};

/// Which side a file is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileSide {
    A,
    B,
}

/// A file a package compiles on one side only, with what the log says about it.
#[derive(Debug, Clone)]
pub(super) struct SetFile {
    pub side: FileSide,
    /// Relative to the package directory.
    pub name: String,
    /// Absolute path and content hash, from the log's `HASH <path>: <hex>` line.
    pub source: Option<(String, Digest)>,
}

/// What one side's key of a package says about the tags its build had.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct SideTags {
    pub goos: Option<String>,
    pub goarch: Option<String>,
    /// cgo on (a `cgo` line anywhere in the side's log), or unknown.
    pub cgo: Option<bool>,
    /// The release's minor version (`go1.27.3` → 27).
    pub release: Option<u32>,
    /// Tags the go command sets from settings: `goexperiment.X` of the non-default
    /// experiments, the architecture level's (`amd64.v1` … `amd64.v3`), `race`/`msan`/`asan`.
    pub tool_tags: Vec<String>,
    /// The architecture level is known (`GOAMD64=v3`): other levels of the family are off.
    pub level_family: Option<String>,
}

/// `syslist.KnownOS` (`internal/syslist`).
const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

/// `syslist.UnixOS`.
const UNIX_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];

/// `syslist.KnownArch`.
const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

impl SideTags {
    /// Whether `tag` is set on this side, when its keys say (`matchTag`); `None` for a user
    /// build tag or a tag whose setting the keys do not show.
    fn known(&self, tag: &str) -> Option<bool> {
        if tag == "cgo" {
            return self.cgo;
        }
        if KNOWN_OS.contains(&tag) || tag == "unix" {
            let goos = self.goos.as_deref()?;
            let implied = match goos {
                "android" => "linux",
                "illumos" => "solaris",
                "ios" => "darwin",
                _ => goos,
            };
            return Some(if tag == "unix" {
                UNIX_OS.contains(&goos)
            } else {
                tag == goos || tag == implied
            });
        }
        if KNOWN_ARCH.contains(&tag) {
            return self.goarch.as_deref().map(|a| a == tag);
        }
        match tag {
            "gc" => return Some(true),
            "gccgo" => return Some(false),
            _ => {}
        }
        if let Some(n) = tag.strip_prefix("go1.").and_then(|n| n.parse::<u32>().ok()) {
            return self.release.map(|r| n <= r);
        }
        if self.tool_tags.iter().any(|t| t == tag) {
            return Some(true);
        }
        if matches!(tag, "race" | "msan" | "asan") {
            // The forced flags are in every compile key: absent means off.
            return Some(false);
        }
        if let Some(family) = &self.level_family
            && tag.starts_with(family.as_str())
        {
            return Some(false);
        }
        None
    }
}

/// The GOOS/GOARCH tags a file's name requires (`name_GOOS_GOARCH.go`, `name_GOARCH_test.go`,
/// …), as `goodOSArchFile` reads it; files in subdirectories (embedded files) have none.
pub(super) fn name_tags(name: &str) -> Vec<&str> {
    if name.contains('/') {
        return Vec::new();
    }
    let stem = name.split('.').next().unwrap_or("");
    let Some(i) = stem.find('_') else {
        return Vec::new();
    };
    let mut parts: Vec<&str> = stem[i..].split('_').collect();
    if parts.last() == Some(&"test") {
        parts.pop();
    }
    let n = parts.len();
    if n >= 2 && KNOWN_OS.contains(&parts[n - 2]) && KNOWN_ARCH.contains(&parts[n - 1]) {
        return vec![parts[n - 2], parts[n - 1]];
    }
    if n >= 1 && (KNOWN_OS.contains(&parts[n - 1]) || KNOWN_ARCH.contains(&parts[n - 1])) {
        return vec![parts[n - 1]];
    }
    Vec::new()
}

/// A file with what decides whether it is compiled.
struct Judged<'f> {
    file: &'f SetFile,
    /// `None`: its header could not be read.
    header: Option<SourceHeader>,
    names: Vec<&'f str>,
}

impl Judged<'_> {
    /// Selected when `tag` says which tags are set.
    fn selected(&self, tag: &dyn Fn(&str) -> bool) -> bool {
        let header = self.header.as_ref();
        self.names.iter().all(|t| tag(t))
            && header
                .and_then(|h| h.constraint.as_ref())
                .is_none_or(|c| c.eval(tag))
            && (!header.is_some_and(|h| h.imports_c) || tag("cgo"))
    }

    fn constrained(&self) -> bool {
        !self.names.is_empty()
            || self
                .header
                .as_ref()
                .is_some_and(|h| h.constraint.is_some() || h.imports_c)
    }

    fn tags(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.names.clone();
        if let Some(h) = &self.header {
            if let Some(c) = &h.constraint {
                out.extend(c.tags());
            }
            if h.imports_c {
                out.push("cgo");
            }
        }
        out
    }
}

/// Source kinds whose files may carry build constraints (`go/build` reads them from every
/// source file it selects; embedded files and .syso objects have none).
fn constrainable(name: &str) -> bool {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext,
        "go" | "s"
            | "S"
            | "sx"
            | "c"
            | "h"
            | "cc"
            | "cpp"
            | "cxx"
            | "hh"
            | "hpp"
            | "hxx"
            | "m"
            | "f"
            | "F"
            | "for"
            | "f90"
            | "swig"
            | "swigcxx"
    )
}

/// What selects a file set's difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Selected {
    pub selection: Selection,
    /// For a tag whose value the keys do not show: whether it is set on side A and on side B.
    pub set: Option<(bool, bool)>,
}

impl Selected {
    fn by(selection: Selection) -> Self {
        Selected {
            selection,
            set: None,
        }
    }
}

/// The setting that selects exactly these files on their sides, or `None` when no one setting
/// whymiss knows does.
pub(super) fn select(
    files: &[SetFile],
    a: &SideTags,
    b: &SideTags,
    sources: &dyn SourceFacts,
) -> Option<Selected> {
    if files.is_empty() {
        return None;
    }
    let judged: Vec<Judged<'_>> = files
        .iter()
        .map(|file| {
            let header = if !constrainable(&file.name) || file.name.contains('/') {
                // Embedded files and objects: nothing selects them but their presence.
                Some(SourceHeader::default())
            } else {
                file.source
                    .as_ref()
                    .and_then(|(path, sum)| sources.header(path, sum))
            };
            Judged {
                file,
                names: name_tags(&file.name),
                header,
            }
        })
        .collect();
    let all_read = judged.iter().all(|j| j.header.is_some());
    if all_read && !judged.iter().any(Judged::constrained) {
        return Some(Selected::by(Selection::Added));
    }
    let explains = |flip: Option<(&str, bool, bool)>| {
        let value = |side: &SideTags, on: bool, tag: &str| match flip {
            Some((t, va, vb)) if t == tag => {
                if on {
                    va
                } else {
                    vb
                }
            }
            _ => side.known(tag).unwrap_or(false),
        };
        let in_a = |tag: &str| value(a, true, tag);
        let in_b = |tag: &str| value(b, false, tag);
        judged.iter().all(|j| {
            let (sa, sb) = (j.selected(&in_a), j.selected(&in_b));
            match j.file.side {
                FileSide::A => sa && !sb,
                FileSide::B => sb && !sa,
            }
        })
    };
    if !all_read {
        // Only the names speak: a GOOS/GOARCH suffix on every file, explained by the targets.
        return Some(Selected::by(
            if judged.iter().all(|j| !j.names.is_empty()) && explains(None) {
                target_selection(a, b)
            } else {
                Selection::Unread
            },
        ));
    }
    let mut tags: Vec<&str> = Vec::new();
    for j in &judged {
        for t in j.tags() {
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
    }
    // The sides' known settings already explain the files: name the one that differs.
    if explains(None) {
        let differing = tags
            .iter()
            .copied()
            .find(|t| a.known(t).unwrap_or(false) != b.known(t).unwrap_or(false))?;
        return Some(Selected::by(visible_selection(differing, a, b)));
    }
    // A tag whose value the keys do not show, set on one side only.
    for t in tags.iter().copied() {
        if a.known(t).is_some() && b.known(t).is_some() {
            continue;
        }
        for (va, vb) in [(false, true), (true, false)] {
            if explains(Some((t, va, vb))) {
                let selection = if t == "cgo" {
                    Selection::Cgo
                } else if is_tool_tag(t) {
                    Selection::Setting(t.to_string())
                } else {
                    Selection::Tag(t.to_string())
                };
                return Some(Selected {
                    selection,
                    set: Some((va, vb)),
                });
            }
        }
    }
    None
}

/// Tags the go command derives from a setting rather than from -tags.
fn is_tool_tag(tag: &str) -> bool {
    tag.starts_with("goexperiment.")
        || ["amd64.", "arm.", "arm64.", "ppc64.", "riscv64.", "386."]
            .iter()
            .any(|p| tag.starts_with(p))
        || matches!(tag, "race" | "msan" | "asan")
}

fn target_selection(a: &SideTags, b: &SideTags) -> Selection {
    Selection::Target(if a.goos != b.goos { "GOOS" } else { "GOARCH" }.to_string())
}

/// The selection a known setting that differs between the sides makes.
fn visible_selection(tag: &str, a: &SideTags, b: &SideTags) -> Selection {
    if tag == "cgo" {
        Selection::Cgo
    } else if KNOWN_OS.contains(&tag) || KNOWN_ARCH.contains(&tag) || tag == "unix" {
        target_selection(a, b)
    } else if tag.starts_with("go1.") {
        Selection::Release
    } else {
        Selection::Setting(tag.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Constraint, NoSources};

    /// Sources whose headers are given, by path.
    struct Headers(Vec<(&'static str, SourceHeader)>);

    impl SourceFacts for Headers {
        fn header(&self, path: &str, _: &Digest) -> Option<SourceHeader> {
            self.0
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, h)| h.clone())
        }
    }

    fn headers(list: &[(&'static str, Option<Constraint>, bool)]) -> Headers {
        Headers(
            list.iter()
                .map(|(p, c, imports_c)| {
                    (
                        *p,
                        SourceHeader {
                            constraint: c.clone(),
                            imports_c: *imports_c,
                        },
                    )
                })
                .collect(),
        )
    }

    fn t(tag: &str) -> Constraint {
        Constraint::Tag(tag.into())
    }

    fn not(c: Constraint) -> Constraint {
        Constraint::Not(Box::new(c))
    }

    fn and(x: Constraint, y: Constraint) -> Constraint {
        Constraint::And(Box::new(x), Box::new(y))
    }

    fn or(x: Constraint, y: Constraint) -> Constraint {
        Constraint::Or(Box::new(x), Box::new(y))
    }

    fn linux(cgo: Option<bool>) -> SideTags {
        SideTags {
            goos: Some("linux".into()),
            goarch: Some("amd64".into()),
            cgo,
            release: Some(27),
            ..SideTags::default()
        }
    }

    fn file(side: FileSide, name: &str) -> SetFile {
        SetFile {
            side,
            name: name.into(),
            source: Some((format!("/src/{name}"), Digest([0; 32]))),
        }
    }

    #[test]
    fn names_as_go_build_reads_them() {
        assert_eq!(name_tags("a_linux.go"), vec!["linux"]);
        assert_eq!(name_tags("a_linux_amd64_test.go"), vec!["linux", "amd64"]);
        assert_eq!(name_tags("add_amd64.s"), vec!["amd64"]);
        assert!(name_tags("linux.go").is_empty());
        assert!(name_tags("plain.go").is_empty());
        assert!(name_tags("static/a_linux.go").is_empty());
    }

    #[test]
    fn a_user_tag_is_named_from_the_constraints() {
        let files = [
            file(FileSide::A, "extra_default.go"),
            file(FileSide::B, "extra_fancy.go"),
        ];
        let sources = headers(&[
            ("/src/extra_default.go", Some(not(t("fancy"))), false),
            ("/src/extra_fancy.go", Some(t("fancy")), false),
        ]);
        let (a, b) = (linux(Some(true)), linux(Some(true)));
        assert_eq!(
            select(&files, &a, &b, &sources),
            Some(Selected {
                selection: Selection::Tag("fancy".into()),
                set: Some((false, true)),
            })
        );
        // Without the sources, the names say nothing.
        assert_eq!(
            select(&files, &a, &b, &NoSources).map(|s| s.selection),
            Some(Selection::Unread)
        );
    }

    #[test]
    fn cgo_from_the_constraints_and_from_import_c() {
        let files = [
            file(FileSide::A, "cgo_unix.go"),
            file(FileSide::A, "cgo_linux.go"),
            file(FileSide::B, "cgo_stub.go"),
        ];
        // `!netgo && ((cgo && unix) || darwin)`, `import "C"`, and
        // `(netgo && unix) || (unix && !cgo && !darwin) || js || wasip1` (src/net).
        let sources = headers(&[
            (
                "/src/cgo_unix.go",
                Some(and(
                    not(t("netgo")),
                    or(and(t("cgo"), t("unix")), t("darwin")),
                )),
                false,
            ),
            ("/src/cgo_linux.go", None, true),
            (
                "/src/cgo_stub.go",
                Some(or(
                    or(
                        or(
                            and(t("netgo"), t("unix")),
                            and(and(t("unix"), not(t("cgo"))), not(t("darwin"))),
                        ),
                        t("js"),
                    ),
                    t("wasip1"),
                )),
                false,
            ),
        ]);
        // B shows no cgo line anywhere: its cgo setting is unknown, and flipping it explains.
        assert_eq!(
            select(&files, &linux(Some(true)), &linux(None), &sources).map(|s| s.selection),
            Some(Selection::Cgo)
        );
    }

    #[test]
    fn the_target_from_names_alone() {
        let files = [
            file(FileSide::A, "a_linux.go"),
            file(FileSide::B, "a_darwin.go"),
        ];
        let mut darwin = linux(None);
        darwin.goos = Some("darwin".into());
        assert_eq!(
            select(&files, &linux(None), &darwin, &NoSources).map(|s| s.selection),
            Some(Selection::Target("GOOS".into()))
        );
    }

    #[test]
    fn files_without_constraints_are_another_checkout() {
        let files = [file(FileSide::B, "new.go")];
        let sources = headers(&[("/src/new.go", None, false)]);
        assert_eq!(
            select(&files, &linux(None), &linux(None), &sources).map(|s| s.selection),
            Some(Selection::Added)
        );
    }

    #[test]
    fn a_release_tag() {
        let files = [file(FileSide::B, "new_api.go")];
        let sources = headers(&[("/src/new_api.go", Some(t("go1.27")), false)]);
        let mut old = linux(None);
        old.release = Some(26);
        assert_eq!(
            select(&files, &old, &linux(None), &sources).map(|s| s.selection),
            Some(Selection::Release)
        );
    }
}
