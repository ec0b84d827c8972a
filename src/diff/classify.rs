//! Field-level comparison of two matched actions: which lines differ, and for each difference
//! its category, the field it belongs to, and the values to show.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::class::{CgoFlags, Class, DirKind};
use super::comparison::{Token, TokenSide};
use super::filesets::{FileSide, SetFile, SideTags};
use super::lineup::line_up;
use super::refs::RefShape;
use super::tokens::{list_tokens, tokens_of};
use crate::model::fields::{Compare, FieldSpec};
use crate::model::{Action, CLang, Category, Field, Input, ModInfo};

/// One difference between two matched actions, before grouping into causes.
#[derive(Debug, Clone)]
pub(super) struct Item {
    /// The field as shown in the action's difference list (`dir`, `file greet.go`, …).
    pub field: String,
    pub a: Option<String>,
    pub b: Option<String>,
    pub kind: ItemKind,
}

#[derive(Debug, Clone)]
pub(super) enum ItemKind {
    /// A key input: becomes (part of) a cause.
    Input(CauseSeed),
    /// A reference to a dependency's output (content ID) or key, and the form it takes.
    Dependency(DepRef, RefShape),
    /// A dependency added or removed (the import set changed): a consequence of another cause.
    DependencySet,
}

/// What a dependency reference points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum DepRef {
    /// The compile of this import path (`import P cid`, `packagefile P=cid`, vet `pkg`).
    Build(String),
    /// The vet of this import path (`vetout "P" id`).
    Vet(String),
    /// The link of this import path (a test binary, `link p.test`).
    Link(String),
    /// The preprocessed PGO profile (`pgofile`, 1.23+): the `preprocess PGO profile` actions.
    Pgo,
}

/// The dependency a key line references, the form of the reference and its value; `None` for
/// lines that are inputs of their own. `go_minor` is the go command's minor version (`pgofile`
/// names the preprocessed profile from 1.23, the profile itself before).
pub(super) fn reference<'x>(
    input: &'x Input<'_>,
    subject: Option<&str>,
    go_minor: Option<u32>,
) -> Option<(DepRef, RefShape, Cow<'x, str>)> {
    let build = |p: &str| DepRef::Build(p.to_string());
    Some(match input {
        Input::Import { path, content_id } | Input::PackageFile { path, content_id } => (
            build(path),
            RefShape::ContentId,
            Cow::Borrowed(content_id.as_ref()),
        ),
        Input::PackageMain {
            action_id,
            content_id,
        } => (
            build(subject.unwrap_or_default()),
            RefShape::BuildId,
            Cow::Owned(format!("{action_id}/{content_id}")),
        ),
        Input::VetOut { path, id } => (
            DepRef::Vet(path.to_string()),
            RefShape::FileHash,
            Cow::Borrowed(id.as_ref()),
        ),
        Input::PgoFile(id) if go_minor.is_some_and(|m| m >= PGO_ACTION_MINOR) => {
            (DepRef::Pgo, RefShape::FileHash, Cow::Borrowed(id.as_ref()))
        }
        Input::VetPkg(id) => (
            build(subject.unwrap_or_default()),
            RefShape::ActionId,
            Cow::Owned(id.map(|d| d.to_string()).unwrap_or_default()),
        ),
        _ => return None,
    })
}

/// The first minor version whose compiles reference a PGO preprocessing action (`pgofile
/// <fileHash(a1.built)>` in `(*Builder).buildActionID`) instead of hashing the profile.
pub(super) const PGO_ACTION_MINOR: u32 = 23;

/// Which broader difference a field difference is a consequence of, when that difference is
/// present: it is then folded into that cause instead of being a cause of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Absorb {
    None,
    /// Follows from a different toolchain (standard library files, defaults, GOROOT).
    Toolchain,
    /// Follows from -trimpath on one side (`dir` ↔ `module`, link GOROOT).
    Trimpath,
    /// Follows from CGO_ENABLED differing (cgo lines present on one side only).
    CgoEnabled,
    /// A file go generates (`_testmain.go`): folded into another cause of the same run.
    Generated,
    /// GODEBUG defaults, which follow from the toolchain and the go.mod `go` line.
    GoDefaults,
    /// Compiler flags forced by a build mode (`-shared` for pie).
    Buildmode,
}

/// The classification of one input difference.
#[derive(Debug, Clone)]
pub(super) struct CauseSeed {
    pub category: Category,
    /// What the difference is about, as causes are grouped (`dir`, `CC flags`, `salt`).
    pub class: Class,
    /// Values compared for grouping; for paths, the two paths (grouped by prefix rewrite).
    pub a: Option<String>,
    pub b: Option<String>,
    pub is_path: bool,
    pub tokens: Vec<Token>,
    pub absorb: Absorb,
    /// For toolchain differences: the two go versions (`go1.26.6`, `go1.27.3`).
    pub versions: Option<(String, String)>,
    /// The table entry the difference was read from: the advice of a field compared by a
    /// generic rule (and of a tool without a release version) is its own.
    pub field: Option<&'static FieldSpec>,
    /// For a file set: the files on one side only, and what each side's key says about its
    /// build tags (to tell which setting selects them).
    pub files: Vec<SetFile>,
    pub tags: Option<Box<(SideTags, SideTags)>>,
}

impl CauseSeed {
    /// A seed with no path grouping, tokens or absorption.
    pub(super) fn plain(
        category: Category,
        class: Class,
        a: Option<String>,
        b: Option<String>,
    ) -> Self {
        Self::new(category, class, a, b)
    }

    pub(super) fn with_tokens(self, tokens: Vec<Token>) -> Self {
        self.tokens(tokens)
    }

    fn new(category: Category, class: Class, a: Option<String>, b: Option<String>) -> Self {
        CauseSeed {
            category,
            class,
            a,
            b,
            is_path: false,
            tokens: Vec::new(),
            absorb: Absorb::None,
            versions: None,
            field: None,
            files: Vec::new(),
            tags: None,
        }
    }

    fn path(mut self) -> Self {
        self.is_path = true;
        self
    }

    fn absorb(mut self, absorb: Absorb) -> Self {
        self.absorb = absorb;
        self
    }

    fn tokens(mut self, tokens: Vec<Token>) -> Self {
        self.tokens = tokens;
        self
    }

    fn field(mut self, spec: &'static FieldSpec) -> Self {
        self.field = Some(spec);
        self
    }
}

/// Facts about the action pair that classification needs.
pub(super) struct Context<'x> {
    pub subject: Option<&'x str>,
    /// A standard-library package (`omitdebug … standard true`).
    pub standard: bool,
    /// The minor version of side A's go command (`go1.27.3` → 27).
    pub go_minor: Option<u32>,
    /// The package is in a module (its key has a `go` or `module` line): not GOPATH mode.
    pub module_mode: bool,
    /// Both sides have a `CC=` line: cgo is on for the package on both.
    pub c_compilers: bool,
    /// What each side's key says about its build tags.
    pub tags: (SideTags, SideTags),
}

/// Compares two matched actions field by field. Fields are lined up by key ([`line_up`]), so a
/// change of order alone is not reported here.
pub(super) fn compare_actions(a: &Action<'_>, b: &Action<'_>) -> Vec<Item> {
    let standard = [a, b].iter().any(|x| {
        x.inputs()
            .any(|i| matches!(i, Input::OmitDebug { standard: true, .. }))
    });
    let has = |x: &Action<'_>, f: &dyn Fn(&Input<'_>) -> bool| x.inputs().any(f);
    let ctx = Context {
        subject: a.subject.as_deref(),
        standard,
        go_minor: go_minor(&a.salt),
        module_mode: [a, b].iter().any(|x| {
            has(x, &|i| {
                matches!(i, Input::GoDirective(_) | Input::Module { .. })
            })
        }),
        c_compilers: [a, b]
            .iter()
            .all(|x| has(x, &|i| matches!(i, Input::CCompiler { lang: CLang::C, .. }))),
        tags: (side_tags(a), side_tags(b)),
    };
    let mut items = Vec::new();
    if a.salt != b.salt {
        let mut seed = CauseSeed::new(
            Category::Toolchain,
            Class::Salt,
            Some(a.salt.to_string()),
            Some(b.salt.to_string()),
        );
        seed.versions = Some((a.salt.to_string(), b.salt.to_string()));
        items.push(Item {
            field: "salt".into(),
            a: Some(a.salt.to_string()),
            b: Some(b.salt.to_string()),
            kind: ItemKind::Input(seed),
        });
    }
    for (fa, fb) in line_up(a, b) {
        if let (Some(x), Some(y)) = (fa, fb)
            && x.text == y.text
        {
            continue;
        }
        classify(fa, fb, &ctx, &mut items);
    }
    merge_file_sets(&mut items);
    merge_arch_vars(&mut items);
    items
}

/// No architecture variable (`=`) on one side and a named one on the other: one difference (the
/// architecture, or a release that names the variable: arm64 and riscv64 have one since 1.23).
fn merge_arch_vars(items: &mut [Item]) {
    let none = items
        .iter()
        .any(|i| matches!(&i.kind, ItemKind::Input(s) if s.class == Class::NoArchVar));
    if !none {
        return;
    }
    let mut sides: (Option<String>, Option<String>) = (None, None);
    for item in items.iter() {
        let ItemKind::Input(s) = &item.kind else {
            continue;
        };
        let shown = |v: &Option<String>| {
            v.as_ref().map(|v| match &s.class {
                Class::ArchVar(name) => format!("{name}={v}"),
                _ => "none".to_string(),
            })
        };
        if matches!(s.class, Class::NoArchVar | Class::ArchVar(_))
            && (s.a.is_none() || s.b.is_none())
        {
            sides.0 = sides.0.take().or(shown(&s.a));
            sides.1 = sides.1.take().or(shown(&s.b));
        }
    }
    for item in items.iter_mut() {
        if let ItemKind::Input(s) = &mut item.kind
            && matches!(s.class, Class::NoArchVar | Class::ArchVar(_))
            && (s.a.is_none() || s.b.is_none())
        {
            s.class = Class::NoArchVar;
            s.a = sides.0.clone();
            s.b = sides.1.clone();
            s.absorb = Absorb::Toolchain;
        }
    }
}

/// Files added and removed in one package are one change of its file set: give their seeds
/// the same values (the files only in A, the files only in B) so they group into one cause.
fn merge_file_sets(items: &mut [Item]) {
    let is_file_set = |item: &Item| matches!(&item.kind, ItemKind::Input(s) if s.category == Category::FileSet && matches!(s.class, Class::FileSet(_)));
    let (mut only_a, mut only_b, mut files) = (Vec::new(), Vec::new(), Vec::new());
    for item in items.iter().filter(|i| is_file_set(i)) {
        if let ItemKind::Input(s) = &item.kind {
            only_a.extend(s.a.clone());
            only_b.extend(s.b.clone());
            files.extend(s.files.iter().cloned());
        }
    }
    let joined = |v: &[String]| (!v.is_empty()).then(|| v.join(" "));
    let (a, b) = (joined(&only_a), joined(&only_b));
    for item in items.iter_mut().filter(|i| is_file_set(i)) {
        if let ItemKind::Input(s) = &mut item.kind {
            s.a = a.clone();
            s.b = b.clone();
            s.files = files.clone();
        }
    }
}

/// What an action's key says about the build tags of its package (`go/build`'s `matchTag`):
/// the target, the release, the non-default experiments, the architecture level and the
/// instrumentation the go command forces. cgo is filled in by the comparison, from the whole log.
fn side_tags(act: &Action<'_>) -> SideTags {
    let mut tags = SideTags {
        release: act
            .salt
            .strip_prefix("go1.")
            .and_then(|r| r.split(['.', ' ', '-']).next())
            .and_then(|m| m.parse().ok()),
        ..SideTags::default()
    };
    for input in act.inputs() {
        if let Input::Target { goos, goarch } = input {
            tags.goos = Some(goos.to_string());
            tags.goarch = Some(goarch.to_string());
        } else if let Input::Experiment(list) = input {
            tags.tool_tags.extend(
                list.split(',')
                    .filter(|e| !e.is_empty() && !e.starts_with("no"))
                    .map(|e| format!("goexperiment.{e}")),
            );
        } else if let Input::ArchEnv { key, value } = input
            && let Some(family) = level_family(key)
        {
            tags.tool_tags.extend(level_tags(family, value));
            // The levels of these families are listed in full: the others are off.
            if matches!(family, "amd64" | "arm" | "ppc64") {
                tags.level_family = Some(format!("{family}."));
            }
        } else if let Input::CompileTool { forced, .. } = input {
            tags.tool_tags.extend(
                forced
                    .iter()
                    .filter_map(|f| f.strip_prefix('-'))
                    .filter(|f| matches!(*f, "race" | "msan" | "asan"))
                    .map(str::to_string),
            );
        }
    }
    tags
}

/// The tag family an architecture variable sets (`GOAMD64` → `amd64`).
fn level_family(var: &str) -> Option<&'static str> {
    Some(match var {
        "GOAMD64" => "amd64",
        "GOARM" => "arm",
        "GOARM64" => "arm64",
        "GO386" => "386",
        "GOPPC64" => "ppc64",
        "GORISCV64" => "riscv64",
        _ => return None,
    })
}

/// The tags an architecture level sets: every level up to it (`GOAMD64=v3` → `amd64.v1`,
/// `amd64.v2`, `amd64.v3`; internal/buildcfg, `gogoarchTags`). For GOARM64 and GORISCV64 only
/// the level itself (their minor levels are not listed here).
fn level_tags(family: &str, value: &str) -> Vec<String> {
    let value = value.split(',').next().unwrap_or("");
    match family {
        "amd64" | "arm" | "ppc64" => {
            let (prefix, n) = match family {
                "amd64" => ("v", value.trim_start_matches('v')),
                "ppc64" => ("power", value.trim_start_matches("power")),
                _ => ("", value),
            };
            let first = if family == "arm" {
                5
            } else if family == "ppc64" {
                8
            } else {
                1
            };
            match n.parse::<u32>() {
                Ok(n) if n >= first => (first..=n)
                    .map(|i| format!("{family}.{prefix}{i}"))
                    .collect(),
                _ => Vec::new(),
            }
        }
        _ if !value.is_empty() => vec![format!("{family}.{value}")],
        _ => Vec::new(),
    }
}

fn text(f: Option<&Field<'_>>) -> Option<String> {
    f.map(|f| f.text.to_string())
}

/// The text after the field's prefix, for showing values without their key.
fn value(f: Option<&Field<'_>>) -> Option<String> {
    f.map(|f| f.value().to_string())
}

fn push_seed(
    items: &mut Vec<Item>,
    field: &str,
    a: Option<String>,
    b: Option<String>,
    seed: CauseSeed,
) {
    items.push(Item {
        field: field.to_string(),
        a,
        b,
        kind: ItemKind::Input(seed),
    });
}

/// [`push_seed`] of a plain cause that carries the item's own two values.
fn push_plain(
    items: &mut Vec<Item>,
    field: &str,
    category: Category,
    class: Class,
    a: Option<String>,
    b: Option<String>,
) {
    let seed = CauseSeed::new(category, class, a.clone(), b.clone());
    push_seed(items, field, a, b, seed);
}

/// One differing field: its value on each side (absent on one side, perhaps), its key and the
/// table entry that read it.
struct Pair<'x, 'a> {
    a: Option<&'x Field<'a>>,
    b: Option<&'x Field<'a>>,
    /// The field present on either side.
    any: &'x Field<'a>,
    key: String,
    spec: &'static FieldSpec,
}

impl<'x, 'a> Pair<'x, 'a> {
    fn new(a: Option<&'x Field<'a>>, b: Option<&'x Field<'a>>) -> Self {
        let any = a.or(b).expect("one side present");
        Pair {
            a,
            b,
            any,
            key: any.key().into_owned(),
            spec: any.spec,
        }
    }

    /// Present on both sides.
    fn both(&self) -> bool {
        self.a.is_some() && self.b.is_some()
    }

    /// The whole lines.
    fn texts(&self) -> (Option<String>, Option<String>) {
        (text(self.a), text(self.b))
    }

    /// The texts after the prefix.
    fn values(&self) -> (Option<String>, Option<String>) {
        (value(self.a), value(self.b))
    }

    /// What `get` takes from each side's typed input.
    fn typed<T>(&self, get: impl Fn(&Input<'_>) -> Option<T>) -> (Option<T>, Option<T>) {
        let side = |f: Option<&Field<'_>>| f.and_then(|f| get(&f.input));
        (side(self.a), side(self.b))
    }
}

/// Classifies one differing field (present on one or both sides) by its table entry's
/// comparison rule: each rule is one function.
pub(super) fn classify(
    fa: Option<&Field<'_>>,
    fb: Option<&Field<'_>>,
    ctx: &Context<'_>,
    items: &mut Vec<Item>,
) {
    let p = Pair::new(fa, fb);
    match p.spec.compare {
        Compare::Line => {
            let (a, b) = p.texts();
            field_item(items, &p, a, b);
        }
        Compare::Value => {
            let (a, b) = p.values();
            field_item(items, &p, a, b);
        }
        Compare::Tool => {
            let (a, b) = p.texts();
            tool_item(items, &p.key, p.spec, a, b);
        }
        Compare::Dependency => dependency_item(items, &p),
        Compare::Dir => dir_item(items, &p, ctx),
        Compare::Module => module_item(items, &p),
        Compare::Target => target_fields(fa, fb, items),
        Compare::Trimpath => trimpath_item(items, &p),
        Compare::OmitDebug => omit_debug_item(items, &p),
        Compare::CgoTool => cgo_tool_item(items, &p),
        Compare::CCompiler => {
            if let Input::CCompiler { lang, .. } = &p.any.input {
                c_compiler(*lang, fa, fb, ctx, items);
            }
        }
        Compare::CCompilerId => c_compiler_id_item(items, &p, ctx),
        Compare::Cover => cover_item(items, &p),
        Compare::ModInfo => {
            fn modinfo<'x, 'y>(f: Option<&'x Field<'y>>) -> Option<&'x ModInfo<'y>> {
                if let Input::ModInfo(m) = &f?.input {
                    Some(m)
                } else {
                    None
                }
            }
            modinfo_items(modinfo(fa), modinfo(fb), items);
        }
        Compare::ToolFlags => tool_with_flags(fa, fb, p.spec, ctx, items),
        Compare::ArchEnv => arch_env_item(items, &p),
        Compare::Experiment => {
            let (a, b) = p.typed(|i| {
                if let Input::Experiment(e) = i {
                    Some(e.to_string())
                } else {
                    None
                }
            });
            push_plain(items, &p.key, p.spec.category, Class::Experiment, a, b);
        }
        Compare::Magic => {
            let (a, b) = p.typed(|i| {
                if let Input::Magic { value, .. } = i {
                    Some(value.to_string())
                } else {
                    None
                }
            });
            let var = p.any.subject().unwrap_or_default().into_owned();
            push_plain(items, &p.key, p.spec.category, Class::DebugEnv(var), a, b);
        }
        Compare::File => file_item(fa, fb, ctx, items),
        Compare::Profile => profile_item(items, &p, ctx),
        Compare::PackageMain => package_main_item(items, &p, ctx),
        Compare::VetPkg => vet_pkg_item(items, &p, ctx),
        Compare::VetOut => vet_out_item(items, &p),
        Compare::DefaultGodebug => default_godebug_item(items, &p),
        Compare::LinkTool => link_tool(fa, fb, p.spec, items),
        Compare::LinkFlags => link_flags_item(items, &p),
        Compare::Goroot => goroot_item(items, &p),
    }
}

/// A dependency's content ID (`import p <id>`, `packagefile p=<id>`, …): a knock-on of that
/// dependency's compile, or an added or removed dependency.
fn dependency_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let (path, _) = dependency(&p.any.input).expect("dependency line");
    let (a, b) = p.typed(|i| dependency(i).map(|(_, c)| c.to_string()));
    items.push(Item {
        field: p.key.clone(),
        a,
        b,
        kind: if p.both() {
            ItemKind::Dependency(DepRef::Build(path.to_string()), RefShape::ContentId)
        } else {
            ItemKind::DependencySet
        },
    });
}

/// The PGO profile: the raw profile's hash (PGO preprocessing's `input`, and `pgofile` before
/// 1.23), an input of its own; or, from 1.23, a compile's reference to the preprocessed profile
/// (a dependency, empty in a dry run).
fn profile_item(items: &mut Vec<Item>, p: &Pair<'_, '_>, ctx: &Context<'_>) {
    // A reference on one side only is the profile itself on one side only (default.pgo found
    // by -pgo=auto): an input of each compile, not a dependency that differs.
    if p.both()
        && let Some((dep, shape, _)) = reference(&p.any.input, ctx.subject, ctx.go_minor)
    {
        let (a, b) = p.values();
        items.push(Item {
            field: p.key.clone(),
            a,
            b,
            kind: ItemKind::Dependency(dep, shape),
        });
        return;
    }
    // A profile on one side only (default.pgo, -pgo=auto), or another profile.
    let (a, b) = p.texts();
    let class = if p.both() {
        Class::PgoProfile
    } else {
        Class::PgoOneSide
    };
    push_plain(items, &p.key, p.spec.category, class, a, b);
}

/// `go1.27.3` → 27.
pub(super) fn go_minor(version: &str) -> Option<u32> {
    version
        .strip_prefix("go1.")?
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// `dir`: a module version inside the module cache, a moved module cache, vendor/ against the
/// module cache, a moved GOPATH, a moved checkout (grouped by prefix rewrite), or -trimpath on
/// one side.
fn dir_item(items: &mut Vec<Item>, p: &Pair<'_, '_>, ctx: &Context<'_>) {
    let (a, b) = p.values();
    let seed = match (a.as_deref(), b.as_deref()) {
        (Some(x), Some(y)) => module_cache_version(Some(x), Some(y))
            .unwrap_or_else(|| dir_seed(x, y, p.spec.category, ctx)),
        _ => CauseSeed::new(
            Category::Trimpath,
            Class::Dir(DirKind::OneSide),
            a.clone(),
            b.clone(),
        )
        .absorb(Absorb::Trimpath),
    };
    push_seed(items, &p.key, a, b, seed);
}

/// Where two directories of the same package lie: the roots that differ become the cause's
/// values (the two GOMODCACHEs, GOPATHs, or vendor/ and the module cache), so every package
/// under them is one cause; a checkout is a path, grouped by prefix rewrite.
fn dir_seed(a: &str, b: &str, category: Category, ctx: &Context<'_>) -> CauseSeed {
    let import = ctx.subject.unwrap_or_default();
    let cache = |p: &str| module_cache_root(p, import);
    let vendored = |p: &str| vendor_root(p, import);
    let gopath = |p: &str| (!ctx.module_mode).then(|| gopath_root(p, import)).flatten();
    let roots = |kind: DirKind, x: String, y: String| {
        CauseSeed::new(category, Class::Dir(kind), Some(x), Some(y))
    };
    if let (Some(x), Some(y)) = (cache(a), cache(b)) {
        roots(DirKind::ModuleCache, x, y)
    } else if let (Some(x), Some(y)) = (vendored(a), cache(b)) {
        roots(
            DirKind::Vendor,
            format!("vendor {x}"),
            format!("module cache {y}"),
        )
    } else if let (Some(x), Some(y)) = (cache(a), vendored(b)) {
        roots(
            DirKind::Vendor,
            format!("module cache {x}"),
            format!("vendor {y}"),
        )
    } else if let (Some(x), Some(y)) = (gopath(a), gopath(b)) {
        roots(DirKind::Gopath, x, y)
    } else {
        CauseSeed::new(
            category,
            Class::Dir(DirKind::Checkout),
            Some(a.to_string()),
            Some(b.to_string()),
        )
        .path()
    }
}

/// The module cache (GOMODCACHE) a package directory is in: the part before the module's path,
/// for a directory with a `module@version` component (`/root/go/pkg/mod/example.com/x@v1.2.3/sub`
/// of `example.com/x/sub` → `/root/go/pkg/mod`).
fn module_cache_root(dir: &str, import: &str) -> Option<String> {
    let parts: Vec<&str> = dir.split('/').collect();
    let at = parts.iter().rposition(|c| {
        c.split_once('@')
            .is_some_and(|(m, v)| !m.is_empty() && v.starts_with('v'))
    })?;
    // The module path has as many elements as the import path, less the package's
    // subdirectories below the module root.
    let below = parts.len() - at - 1;
    let module_elems = import.split('/').count().checked_sub(below)?;
    let start = (at + 1).checked_sub(module_elems)?;
    (start > 0).then(|| root_of(&parts[..start]))
}

/// The vendor directory a vendored package is in (`<root>/vendor/<import path>`).
fn vendor_root(dir: &str, import: &str) -> Option<String> {
    let root = dir.strip_suffix(import)?.strip_suffix('/')?;
    root.ends_with("/vendor").then(|| root.to_string())
}

/// The GOPATH a GOPATH-mode package is in (`<gopath>/src/<import path>`).
fn gopath_root(dir: &str, import: &str) -> Option<String> {
    let root = dir.strip_suffix(import)?.strip_suffix("/src/")?;
    (!root.is_empty()).then(|| root.to_string())
}

fn root_of(parts: &[&str]) -> String {
    let joined = parts.join("/");
    if joined.is_empty() {
        "/".to_string()
    } else {
        joined
    }
}

/// `module p@v`: a dependency's version, or -trimpath on one side.
fn module_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let (a, b) = p.values();
    let seed = if p.both() {
        let path = a
            .as_deref()
            .and_then(|m| m.rsplit_once('@'))
            .map_or("", |(p, _)| p);
        let class = Class::Module(path.to_string());
        CauseSeed::new(p.spec.category, class, a.clone(), b.clone())
    } else {
        CauseSeed::new(Category::Trimpath, Class::ModuleLine, a.clone(), b.clone())
            .absorb(Absorb::Trimpath)
    };
    push_seed(items, &p.key, a, b, seed);
}

/// `trimpath`: on one side, off on the other.
fn trimpath_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let on = |f: Option<&Field<'_>>| Some(if f.is_some() { "on" } else { "off" }.to_string());
    let (a, b) = (on(p.a), on(p.b));
    push_plain(items, &p.key, p.spec.category, Class::Trimpath, a, b);
}

/// `omitdebug … standard … local … prefix …`: the go subcommand (debug information omitted),
/// or a GOPATH-mode relative import's directory.
fn omit_debug_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let (a, b) = p.values();
    let parts = |f: Option<&Field<'_>>| match f.map(|f| &f.input) {
        Some(Input::OmitDebug {
            omit_debug,
            standard,
            local,
            prefix,
        }) => Some((*omit_debug, *standard, *local, prefix.to_string())),
        _ => None,
    };
    let (x, y) = (parts(p.a), parts(p.b));
    let command_differs = match (&x, &y) {
        (Some(x), Some(y)) => (x.0, x.1) != (y.0, y.1),
        _ => true,
    };
    let seed = if command_differs {
        let shown = |v: &Option<(bool, bool, bool, String)>| {
            v.as_ref().map(|v| {
                if v.0 {
                    "debug information omitted (go run, go test)"
                } else {
                    "debug information kept (go build, go test -c)"
                }
                .to_string()
            })
        };
        CauseSeed::new(Category::GoCommand, Class::OmitDebug, shown(&x), shown(&y))
    } else {
        let prefix = |v: &Option<(bool, bool, bool, String)>| v.as_ref().map(|v| v.3.clone());
        CauseSeed::new(
            Category::AbsolutePath,
            Class::LocalImport,
            prefix(&x),
            prefix(&y),
        )
    };
    push_seed(items, &p.key, a, b, seed.field(p.spec));
}

/// The cgo tool: a toolchain difference, or cgo on one side only.
fn cgo_tool_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    if p.both() {
        let (a, b) = p.texts();
        return tool_item(items, &p.key, p.spec, a, b);
    }
    let (a, b) = p.values();
    let seed = CauseSeed::new(p.spec.category, Class::Cgo, a.clone(), b.clone())
        .absorb(Absorb::CgoEnabled);
    push_seed(items, &p.key, a, b, seed);
}

/// `CC ID=`: the C compiler's identity, or the error identifying it (since Go 1.25; before,
/// the line is left out, which shows as `CC ID` on one side only while both have `CC=`).
fn c_compiler_id_item(items: &mut Vec<Item>, p: &Pair<'_, '_>, ctx: &Context<'_>) {
    let Input::CCompilerId { lang, .. } = &p.any.input else {
        return;
    };
    let (a, b) = p.typed(|i| {
        let Input::CCompilerId { id, error, .. } = i else {
            return None;
        };
        Some(if *error {
            format!("error: {id}")
        } else {
            id.to_string()
        })
    });
    let error = |f: Option<&Field<'_>>| {
        matches!(
            f.map(|f| &f.input),
            Some(Input::CCompilerId { error: true, .. })
        )
    };
    let probe_failed = error(p.a) || error(p.b) || (!p.both() && ctx.c_compilers);
    let class = if probe_failed {
        Class::CCompilerIdError(*lang)
    } else {
        Class::CCompilerId(*lang)
    };
    let mut seed = CauseSeed::new(p.spec.category, class, a.clone(), b.clone());
    if !p.both() && !probe_failed {
        seed = seed.absorb(Absorb::CgoEnabled);
    }
    push_seed(items, &p.key, a, b, seed);
}

/// `cover`: the coverage mode (or coverage on one side), else the cover tool.
fn cover_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let (mode_a, mode_b) = p.typed(|i| {
        if let Input::Cover { mode, .. } = i {
            Some(mode.to_string())
        } else {
            None
        }
    });
    if mode_a == mode_b {
        let (a, b) = p.typed(|i| {
            if let Input::Cover { tool, .. } = i {
                Some(tool.to_string())
            } else {
                None
            }
        });
        return tool_item(items, "cover tool", p.spec, a, b);
    }
    // Coverage on one side only is one cause, whatever mode each package got.
    let seed = if p.both() {
        CauseSeed::new(
            p.spec.category,
            Class::Covermode,
            mode_a.clone(),
            mode_b.clone(),
        )
    } else {
        let on = |v: &Option<String>| Some(if v.is_some() { "on" } else { "off" }.to_string());
        CauseSeed::new(p.spec.category, Class::Cover, on(&mode_a), on(&mode_b))
    };
    push_seed(items, &p.key, mode_a, mode_b, seed);
}

/// The architecture variable: its value, named after the variable (`=`: none).
fn arch_env_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let (a, b) = p.typed(|i| {
        if let Input::ArchEnv { value, .. } = i {
            Some(value.to_string())
        } else {
            None
        }
    });
    let class = match p.any.subject() {
        Some(var) if !var.is_empty() => Class::ArchVar(var.into_owned()),
        _ => Class::NoArchVar,
    };
    push_plain(items, &class.to_string(), p.spec.category, class, a, b);
}

/// `packagemain`: the main package's build ID, a knock-on of its compile.
fn package_main_item(items: &mut Vec<Item>, p: &Pair<'_, '_>, ctx: &Context<'_>) {
    let (a, b) = p.values();
    let main = ctx.subject.unwrap_or_default().to_string();
    items.push(Item {
        field: p.key.clone(),
        a,
        b,
        kind: if p.both() {
            ItemKind::Dependency(DepRef::Build(main), RefShape::BuildId)
        } else {
            ItemKind::DependencySet
        },
    });
}

/// Vet's `pkg`: the compile's action ID, a knock-on of the compile.
fn vet_pkg_item(items: &mut Vec<Item>, p: &Pair<'_, '_>, ctx: &Context<'_>) {
    let id = |f: Option<&Field<'_>>| {
        f.map(|f| {
            if let Input::VetPkg(Some(d)) = &f.input {
                d.to_string()
            } else {
                "?".to_string()
            }
        })
    };
    items.push(Item {
        field: p.key.clone(),
        a: id(p.a),
        b: id(p.b),
        kind: ItemKind::Dependency(
            DepRef::Build(ctx.subject.unwrap_or_default().to_string()),
            RefShape::ActionId,
        ),
    });
}

/// `vetout`: a dependency's vet facts, a knock-on of that vet.
fn vet_out_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let path = p.any.subject().unwrap_or_default().into_owned();
    let (a, b) = p.typed(|i| {
        if let Input::VetOut { id, .. } = i {
            Some(id.to_string())
        } else {
            None
        }
    });
    items.push(Item {
        field: p.key.clone(),
        a,
        b,
        kind: if p.both() {
            ItemKind::Dependency(DepRef::Vet(path), RefShape::FileHash)
        } else {
            ItemKind::DependencySet
        },
    });
}

/// `defaultgodebug`: the GODEBUG defaults, setting by setting.
fn default_godebug_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let (a, b) = p.typed(|i| {
        if let Input::DefaultGodebug(v) = i {
            Some(v.to_string())
        } else {
            None
        }
    });
    let tokens = tokens_of(a.as_deref(), b.as_deref(), ',');
    let seed = CauseSeed::new(p.spec.category, Class::DefaultGodebug, a.clone(), b.clone())
        .tokens(tokens)
        .absorb(Absorb::GoDefaults);
    push_seed(items, &p.key, a, b, seed);
}

/// `linkflags`: the package's -ldflags, flag by flag.
fn link_flags_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let (la, lb) = p.typed(|i| {
        if let Input::LinkFlags(v) = i {
            Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        } else {
            None
        }
    });
    let (a, b) = (
        la.as_ref().map(|v| v.join(" ")),
        lb.as_ref().map(|v| v.join(" ")),
    );
    let seed = CauseSeed::new(p.spec.category, Class::Ldflags, a.clone(), b.clone())
        .tokens(list_tokens(la.as_deref(), lb.as_deref()));
    push_seed(items, &p.key, a, b, seed);
}

/// `GOROOT=`: -trimpath on one side (empty or `$GOROOT`), or the installation path.
fn goroot_item(items: &mut Vec<Item>, p: &Pair<'_, '_>) {
    let (a, b) = p.values();
    let trimmed = |v: &Option<String>| matches!(v.as_deref(), Some("" | "$GOROOT"));
    let seed = if trimmed(&a) != trimmed(&b) {
        CauseSeed::new(Category::Trimpath, Class::Trimpath, a.clone(), b.clone())
            .absorb(Absorb::Trimpath)
    } else {
        CauseSeed::new(p.spec.category, Class::Goroot, a.clone(), b.clone())
            .path()
            .absorb(Absorb::Toolchain)
    };
    push_seed(items, &p.key, a, b, seed);
}

/// A field compared by a generic rule: one cause named after its key, in its category, with
/// the table entry's why and fix.
fn field_item(items: &mut Vec<Item>, p: &Pair<'_, '_>, a: Option<String>, b: Option<String>) {
    let class = Class::Field(p.key.clone());
    let seed = CauseSeed::new(p.spec.category, class, a.clone(), b.clone()).field(p.spec);
    push_seed(items, &p.key, a, b, seed);
}

/// The dependency a dependency-reference line names, and its content ID.
fn dependency<'x>(input: &'x Input<'_>) -> Option<(&'x str, &'x str)> {
    if let Input::Import { path, content_id }
    | Input::PackageFile { path, content_id }
    | Input::PackageShlib { path, content_id }
    | Input::Top { path, content_id } = input
    {
        Some((path, content_id))
    } else {
        None
    }
}

/// `dir` lines under the module cache (`…/pkg/mod/example.com/x@v1.2.3/…`) whose module
/// version differs: a dependency version change, not a path change.
fn module_cache_version(a: Option<&str>, b: Option<&str>) -> Option<CauseSeed> {
    let module = |p: &str| -> Option<(String, String)> {
        let rest = &p[p.find("/pkg/mod/")? + "/pkg/mod/".len()..];
        let at = rest.find('@')?;
        let version_end = rest[at..].find('/').map_or(rest.len(), |i| at + i);
        Some((
            rest[..at].to_string(),
            rest[at + 1..version_end].to_string(),
        ))
    };
    let (ma, mb) = (module(a?)?, module(b?)?);
    (ma.0 == mb.0 && ma.1 != mb.1).then(|| {
        CauseSeed::new(
            Category::DependencyVersion,
            Class::Module(ma.0.clone()),
            Some(format!("{}@{}", ma.0, ma.1)),
            Some(format!("{}@{}", mb.0, mb.1)),
        )
    })
}

/// The go release inside a tool ID (`compile version go1.27.3 X:fieldtrack` → `go1.27.3`);
/// `None` for a development build (`compile version devel go1.28-abc…`), which only its build
/// ID identifies.
pub(super) fn tool_version(id: &str) -> Option<&str> {
    if id.split([' ', '"']).any(|w| w == "devel") {
        return None;
    }
    id.split([' ', '"']).find(|w| w.starts_with("go1"))
}

/// The experiment suffix of a tool ID (`X:fieldtrack`), or "".
fn tool_experiments(id: &str) -> &str {
    id.split(' ').find(|w| w.starts_with("X:")).unwrap_or("")
}

/// A tool ID that differs: a toolchain difference, or an experiment when only the `X:` suffix
/// differs.
fn tool_item(
    items: &mut Vec<Item>,
    field: &str,
    spec: &'static FieldSpec,
    a: Option<String>,
    b: Option<String>,
) {
    let tool = Class::Tool(field.to_string());
    let (va, vb) = (
        a.as_deref().and_then(tool_version).map(str::to_string),
        b.as_deref().and_then(tool_version).map(str::to_string),
    );
    let (ea, eb) = (
        a.as_deref().map(tool_experiments).unwrap_or(""),
        b.as_deref().map(tool_experiments).unwrap_or(""),
    );
    let seed = if va == vb && ea != eb {
        CauseSeed::new(
            Category::Experiment,
            Class::Experiment,
            Some(experiments_or_none(ea)),
            Some(experiments_or_none(eb)),
        )
    } else {
        let mut seed = CauseSeed::new(Category::Toolchain, tool, a.clone(), b.clone());
        if let (Some(x), Some(y)) = (va, vb) {
            seed.versions = Some((x, y));
        }
        seed
    };
    push_seed(items, field, a, b, seed.field(spec));
}

/// `X:a,b` → `a,b`; no suffix → `none`.
fn experiments_or_none(suffix: &str) -> String {
    match suffix.trim_start_matches("X:") {
        "" => "none".to_string(),
        e => e.to_string(),
    }
}

/// `goos/goarch` (build) and `buildmode … goos … goarch …` (link): each part is a target field.
fn target_fields(fa: Option<&Field<'_>>, fb: Option<&Field<'_>>, items: &mut Vec<Item>) {
    let parts = |f: Option<&Field<'_>>| -> Option<Vec<(Class, String)>> {
        f.map(|f| {
            if let Input::Target { goos, goarch } = &f.input {
                vec![
                    (Class::Goos, goos.to_string()),
                    (Class::Goarch, goarch.to_string()),
                ]
            } else if let Input::LinkTarget {
                buildmode,
                goos,
                goarch,
            } = &f.input
            {
                vec![
                    (Class::Buildmode, buildmode.to_string()),
                    (Class::Goos, goos.to_string()),
                    (Class::Goarch, goarch.to_string()),
                ]
            } else {
                Vec::new()
            }
        })
    };
    let (pa, pb) = (parts(fa), parts(fb));
    let names = pa.as_ref().or(pb.as_ref()).cloned().unwrap_or_default();
    for (class, _) in names {
        let get = |p: &Option<Vec<(Class, String)>>| {
            p.as_ref()
                .and_then(|v| v.iter().find(|(n, _)| *n == class).map(|(_, x)| x.clone()))
        };
        let (a, b) = (get(&pa), get(&pb));
        if a != b {
            push_plain(items, &class.to_string(), Category::Target, class, a, b);
        }
    }
}

/// `CC=[exe] [cppflags] [cflags] [ldflags]` and the CXX/FC forms: compare the executable and
/// each flag list; absolute paths that differ only by a prefix are `absolute-path` (cgo expands
/// `${SRCDIR}` to the package directory, and -trimpath does not remove it).
fn c_compiler(
    lang: CLang,
    fa: Option<&Field<'_>>,
    fb: Option<&Field<'_>>,
    ctx: &Context<'_>,
    items: &mut Vec<Item>,
) {
    let parts = |f: Option<&Field<'_>>| {
        let Some(Input::CCompiler { exe, flags, .. }) = f.map(|f| &f.input) else {
            return None;
        };
        Some((
            exe.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            flags
                .iter()
                .map(|l| l.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
        ))
    };
    let (pa, pb) = (parts(fa), parts(fb));
    let name = lang.as_str();
    let (Some((ea, la)), Some((eb, lb))) = (&pa, &pb) else {
        // cgo on one side only.
        let (a, b) = (text(fa), text(fb));
        let seed = CauseSeed::new(Category::Cgo, Class::CCompiler(lang), a.clone(), b.clone())
            .absorb(Absorb::CgoEnabled);
        push_seed(items, name, a, b, seed);
        return;
    };
    if ea != eb {
        let (a, b) = (Some(ea.join(" ")), Some(eb.join(" ")));
        push_plain(items, name, Category::Cgo, Class::CCompiler(lang), a, b);
    }
    for (i, &list) in CgoFlags::of(lang).iter().enumerate() {
        let list_name = list.as_str();
        let (xa, xb) = (la.get(i), lb.get(i));
        if xa == xb {
            continue;
        }
        let field = format!("{name} {list_name}");
        let tokens = list_tokens(xa.map(|v| v.as_slice()), xb.map(|v| v.as_slice()));
        let (a, b) = (xa.map(|v| v.join(" ")), xb.map(|v| v.join(" ")));
        let seed = match path_tokens(xa, xb) {
            Some((pa, pb)) => {
                let class = Class::CFlagsPath(lang);
                CauseSeed::new(Category::AbsolutePath, class, Some(pa), Some(pb)).path()
            }
            // The standard library's own #cgo directives change between releases.
            None if ctx.standard => {
                CauseSeed::new(Category::Cgo, Class::CgoFlags(list), a.clone(), b.clone())
                    .absorb(Absorb::Toolchain)
            }
            None => CauseSeed::new(Category::Cgo, Class::CgoFlags(list), a.clone(), b.clone()),
        }
        .tokens(tokens);
        push_seed(items, &field, a, b, seed);
    }
}

/// When two flag lists differ only in absolute paths (same length, every differing pair is a
/// path or a flag with a path, `-I/x`), returns the first differing pair of paths.
fn path_tokens(a: Option<&Vec<String>>, b: Option<&Vec<String>>) -> Option<(String, String)> {
    let (a, b) = (a?, b?);
    if a.len() != b.len() {
        return None;
    }
    let mut first = None;
    for (x, y) in a.iter().zip(b) {
        if x == y {
            continue;
        }
        let (px, py) = (flag_path(x)?, flag_path(y)?);
        if x[..x.len() - px.len()] != y[..y.len() - py.len()] {
            return None;
        }
        first.get_or_insert((px.to_string(), py.to_string()));
    }
    first
}

/// The absolute path in a flag token: `/x`, `-I/x`, `-L/x`, `-isystem/x`, `-Wl,-rpath,/x`.
fn flag_path(token: &str) -> Option<&str> {
    let i = token.find('/')?;
    let path = &token[i..];
    (i == 0 || token[..i].starts_with('-')).then_some(path)
}

/// `compile <tool> [forced] [flags]` and `asm "<tool>" [forced] [flags]`.
fn tool_with_flags(
    fa: Option<&Field<'_>>,
    fb: Option<&Field<'_>>,
    spec: &'static FieldSpec,
    ctx: &Context<'_>,
    items: &mut Vec<Item>,
) {
    type Parts = (String, Vec<String>, Vec<String>);
    let parts = |f: Option<&Field<'_>>| -> Option<Parts> {
        let own =
            |v: &Vec<crate::model::Text<'_>>| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (Some(Input::CompileTool {
            tool,
            forced,
            flags,
        })
        | Some(Input::AsmTool {
            tool,
            forced,
            flags,
        })) = f.map(|f| &f.input)
        else {
            return None;
        };
        Some((tool.to_string(), own(forced), own(flags)))
    };
    let is_asm = matches!(fa.or(fb).map(|f| &f.input), Some(Input::AsmTool { .. }));
    let (tool_field, flag_name, flags, forced_flags_class) = if is_asm {
        (
            "asm tool",
            "-asmflags",
            Class::Asmflags,
            Class::ForcedAsmflags,
        )
    } else {
        (
            "compile tool",
            "-gcflags",
            Class::Gcflags,
            Class::ForcedGcflags,
        )
    };
    let (Some((ta, fa_, ga)), Some((tb, fb_, gb))) = (parts(fa), parts(fb)) else {
        // An `asm` line on one side: the package has assembly files on that side only; the
        // file lines say which (and which setting selects them).
        let (a, b) = (text(fa), text(fb));
        let pkg = ctx.subject.unwrap_or_default();
        let seed = CauseSeed::new(
            Category::FileSet,
            Class::FileSet(pkg.to_string()),
            None,
            None,
        )
        .absorb(if ctx.standard {
            Absorb::Toolchain
        } else {
            Absorb::None
        });
        push_seed(items, tool_field, a, b, seed);
        return;
    };
    if ta != tb {
        tool_item(items, tool_field, spec, Some(ta), Some(tb));
    }
    if fa_ != fb_ {
        forced_flags(&fa_, &fb_, flag_name, forced_flags_class, items);
    }
    finish_flags(ga, gb, flag_name, flags, items);
}

/// Compiler or assembler flags the go command forces: a sanitizer (`-race`, `-msan`,
/// `-asan`), named by its build flag, or the flags themselves (build modes: `-shared` for pie).
fn forced_flags(
    fa: &[String],
    fb: &[String],
    flag_name: &str,
    class: Class,
    items: &mut Vec<Item>,
) {
    let instrumented = fa
        .iter()
        .chain(fb)
        .any(|f| matches!(f.as_str(), "-race" | "-msan" | "-asan"));
    let field = format!("{flag_name} (forced)");
    if instrumented {
        // -race, -msan and -asan force their compiler flag: name the build flag.
        let flag = ["-race", "-msan", "-asan"]
            .into_iter()
            .find(|f| fa.iter().chain(fb).any(|x| x == f))
            .unwrap_or("-race");
        let sanitizer = Class::sanitizer(flag).unwrap_or(Class::Race);
        let on = |v: &[String]| {
            Some(
                if v.iter().any(|x| x == flag) {
                    "on"
                } else {
                    "off"
                }
                .to_string(),
            )
        };
        let (a, b) = (on(fa), on(fb));
        let seed = CauseSeed::new(Category::Instrumentation, sanitizer, a.clone(), b.clone());
        return push_seed(items, &field, a, b, seed);
    }
    let (a, b) = (Some(fa.join(" ")), Some(fb.join(" ")));
    // Position-independent code for -buildmode=pie/shared/plugin.
    let by_buildmode = fa
        .iter()
        .chain(fb)
        .any(|f| matches!(f.as_str(), "-shared" | "-dynlink"));
    let seed = CauseSeed::new(Category::CompilerFlags, class, a.clone(), b.clone())
        .tokens(list_tokens(Some(fa), Some(fb)))
        .absorb(if by_buildmode {
            Absorb::Buildmode
        } else {
            Absorb::None
        });
    push_seed(items, &field, a, b, seed);
}

/// The user's own -gcflags/-asmflags of one package.
fn finish_flags(
    ga: Vec<String>,
    gb: Vec<String>,
    flag_name: &str,
    class: Class,
    items: &mut Vec<Item>,
) {
    if ga != gb {
        let (a, b) = (Some(ga.join(" ")), Some(gb.join(" ")));
        let seed = CauseSeed::new(Category::CompilerFlags, class, a.clone(), b.clone())
            .tokens(list_tokens(Some(&ga), Some(&gb)));
        push_seed(items, flag_name, a, b, seed);
    }
}

/// `link <tool> [forced] <mode>`.
fn link_tool(
    fa: Option<&Field<'_>>,
    fb: Option<&Field<'_>>,
    spec: &'static FieldSpec,
    items: &mut Vec<Item>,
) {
    let parts = |f: Option<&Field<'_>>| {
        let Some(Input::LinkTool {
            tool,
            forced,
            buildmode,
        }) = f.map(|f| &f.input)
        else {
            return None;
        };
        Some((
            tool.to_string(),
            forced
                .as_ref()
                .map(|v| v.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            buildmode.to_string(),
        ))
    };
    let (Some((ta, xa, ma)), Some((tb, xb, mb))) = (parts(fa), parts(fb)) else {
        return tool_item(items, "link tool", spec, text(fa), text(fb));
    };
    if ta != tb {
        tool_item(items, "link tool", spec, Some(ta), Some(tb));
    }
    if xa != xb {
        // The go command forces linker flags for instrumentation (-race, -asan, -msan) and
        // some build modes; name the build flag rather than the forced linker flag.
        let all: Vec<&String> = xa.iter().chain(&xb).flatten().collect();
        let instrument = ["-race", "-msan", "-asan"]
            .into_iter()
            .find(|f| all.iter().any(|x| x.as_str() == *f));
        let (a, b) = (
            xa.as_ref().map(|v| v.join(" ")),
            xb.as_ref().map(|v| v.join(" ")),
        );
        let seed = match instrument {
            Some(flag) => {
                let on = |v: &Option<Vec<String>>| {
                    let has = v.as_ref().is_some_and(|v| v.iter().any(|x| x == flag));
                    Some(if has { "on" } else { "off" }.to_string())
                };
                let class = Class::sanitizer(flag).unwrap_or(Class::Race);
                CauseSeed::new(Category::Instrumentation, class, on(&xa), on(&xb))
            }
            None => CauseSeed::new(
                Category::LinkerFlags,
                Class::ForcedLdflags,
                a.clone(),
                b.clone(),
            ),
        };
        push_seed(items, "-ldflags (forced)", a, b, seed);
    }
    if ma != mb {
        let (a, b) = (Some(ma), Some(mb));
        push_plain(
            items,
            "link buildmode",
            Category::Target,
            Class::Buildmode,
            a,
            b,
        );
    }
}

/// `file <name> <id>`: content (same name) or file set (name on one side only).
fn file_item(
    fa: Option<&Field<'_>>,
    fb: Option<&Field<'_>>,
    ctx: &Context<'_>,
    items: &mut Vec<Item>,
) {
    fn file<'x, 'y>(f: Option<&'x Field<'y>>) -> Option<&'x crate::model::FileInput<'y>> {
        if let Some(Input::File(file)) = f.map(|f| &f.input) {
            Some(file)
        } else {
            None
        }
    }
    let (xa, xb) = (file(fa), file(fb));
    let name = xa.or(xb).map(|f| f.name.to_string()).unwrap_or_default();
    let pkg = ctx.subject.unwrap_or_default();
    let show = |f: Option<&crate::model::FileInput<'_>>| {
        f.map(|f| match &f.path {
            Some(p) => format!("{} ({p})", f.id),
            None => f.id.to_string(),
        })
    };
    let (a, b) = (show(xa), show(xb));
    let field = format!("file {name}");
    let absorb = if ctx.standard {
        Absorb::Toolchain
    } else if name == "_testmain.go" {
        // go test generates it from the test flags and coverage settings.
        Absorb::Generated
    } else {
        Absorb::None
    };
    let seed = if xa.is_some() && xb.is_some() {
        CauseSeed::new(
            Category::Source,
            Class::File {
                package: pkg.to_string(),
                name: name.clone(),
            },
            xa.map(|f| f.id.to_string()),
            xb.map(|f| f.id.to_string()),
        )
    } else {
        let present = |f: Option<&crate::model::FileInput<'_>>| f.map(|f| f.name.to_string());
        let mut seed = CauseSeed::new(
            Category::FileSet,
            Class::FileSet(pkg.to_string()),
            present(xa),
            present(xb),
        );
        if let Some(f) = xa.or(xb) {
            seed.files.push(SetFile {
                side: if xa.is_some() {
                    FileSide::A
                } else {
                    FileSide::B
                },
                name: f.name.to_string(),
                source: f.path.as_ref().zip(f.hash).map(|(p, h)| (p.to_string(), h)),
            });
        }
        seed.tags = Some(Box::new(ctx.tags.clone()));
        seed
    }
    .absorb(absorb);
    push_seed(items, &field, a, b, seed);
}

/// Compares two `modinfo` values setting by setting, module by module.
fn modinfo_items(a: Option<&ModInfo<'_>>, b: Option<&ModInfo<'_>>, items: &mut Vec<Item>) {
    let empty = ModInfo::default();
    let (ma, mb) = (a.unwrap_or(&empty), b.unwrap_or(&empty));
    if ma.path != mb.path {
        let (x, y) = (
            ma.path.as_ref().map(|s| s.to_string()),
            mb.path.as_ref().map(|s| s.to_string()),
        );
        push_plain(
            items,
            "modinfo path",
            Category::Other,
            Class::ModinfoPath,
            x,
            y,
        );
    }
    if ma.main != mb.main {
        let (x, y) = (
            ma.main.as_ref().map(|m| m.display()),
            mb.main.as_ref().map(|m| m.display()),
        );
        // Since Go 1.24 the main module's version is derived from VCS (a pseudo-version,
        // `+dirty` with uncommitted changes).
        push_plain(
            items,
            "modinfo mod",
            Category::VcsStamp,
            Class::ModinfoMain,
            x,
            y,
        );
    }
    // Each dependency by path: what it resolved to, and its checksum (the whole line
    // counts: since Go 1.23 -mod=vendor leaves the checksums out).
    let deps = |m: &ModInfo<'_>| -> BTreeMap<String, (String, String)> {
        m.deps
            .iter()
            .map(|d| {
                let sum = match &d.replace {
                    Some(r) => format!("{} {}", d.sum, r.sum),
                    None => d.sum.to_string(),
                };
                (d.path.to_string(), (d.display(), sum))
            })
            .collect()
    };
    let (da, db) = (deps(ma), deps(mb));
    for path in da.keys().chain(db.keys().filter(|k| !da.contains_key(*k))) {
        let (x, y) = (da.get(path), db.get(path));
        if x == y {
            continue;
        }
        let field = format!("modinfo dep {path}");
        let same_version = matches!((x, y), (Some(x), Some(y)) if x.0 == y.0);
        let class = if same_version {
            Class::ModinfoDepSum(path.clone())
        } else {
            Class::Module(path.clone())
        };
        let shown = |v: Option<&(String, String)>| {
            v.map(|(module, sum)| {
                if !same_version {
                    module.clone()
                } else if sum.trim().is_empty() {
                    format!("{module} (no checksum)")
                } else {
                    format!("{module} {}", sum.trim())
                }
            })
        };
        push_plain(
            items,
            &field,
            Category::DependencyVersion,
            class,
            shown(x),
            shown(y),
        );
    }
    let settings = |m: &ModInfo<'_>| -> Vec<(String, String)> {
        m.settings
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let (sa, sb) = (settings(ma), settings(mb));
    let get =
        |s: &[(String, String)], k: &str| s.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone());
    let mut keys: Vec<String> = sa.iter().map(|(k, _)| k.clone()).collect();
    keys.extend(
        sb.iter()
            .map(|(k, _)| k.clone())
            .filter(|k| !sa.iter().any(|(x, _)| x == k)),
    );
    let cgo_differs = get(&sa, "CGO_ENABLED") != get(&sb, "CGO_ENABLED");
    for key in keys {
        let (x, y) = (get(&sa, &key), get(&sb, &key));
        if x == y {
            continue;
        }
        let field = format!("modinfo {key}");
        let seed = setting_seed(&key, x.clone(), y.clone(), cgo_differs);
        push_seed(items, &field, x, y, seed);
    }
    for line in ma.other.iter().chain(&mb.other) {
        if !(ma.other.contains(line) && mb.other.contains(line)) {
            let (x, y) = (
                ma.other.contains(line).then(|| line.to_string()),
                mb.other.contains(line).then(|| line.to_string()),
            );
            push_plain(items, "modinfo", Category::Other, Class::ModinfoLine, x, y);
        }
    }
}

/// The category and class of one `build` setting of modinfo (`runtime/debug/mod.go` and
/// `cmd/go/internal/load/pkg.go`, `setBuildInfo`, name them).
fn setting_seed(key: &str, a: Option<String>, b: Option<String>, cgo_differs: bool) -> CauseSeed {
    let split_tokens = {
        let (a, b) = (a.clone(), b.clone());
        move |sep: char| tokens_of(a.as_deref(), b.as_deref(), sep)
    };
    // Build settings that are only ever "true" when on.
    let on = |v: &Option<String>| {
        Some(
            if v.as_deref() == Some("true") {
                "on"
            } else {
                "off"
            }
            .to_string(),
        )
    };
    let cgo_flags = |list: CgoFlags| {
        let class = Class::CgoFlags(list);
        if a.is_some() && b.is_some() {
            CauseSeed::new(Category::Cgo, class, a.clone(), b.clone()).tokens(split_tokens(' '))
        } else if cgo_differs {
            CauseSeed::new(Category::Cgo, class, a.clone(), b.clone()).absorb(Absorb::CgoEnabled)
        } else {
            // -trimpath leaves the CGO_* flags out of the build info (they may hold paths).
            CauseSeed::new(Category::Cgo, class, a.clone(), b.clone()).absorb(Absorb::Trimpath)
        }
    };
    let target = |class: Class| CauseSeed::new(Category::Target, class, a.clone(), b.clone());
    match key {
        "-ldflags" => {
            CauseSeed::new(Category::LinkerFlags, Class::Ldflags, a, b).tokens(split_tokens(' '))
        }
        "-gcflags" => compiler_flags_setting(Class::Gcflags, a, b),
        "-asmflags" => compiler_flags_setting(Class::Asmflags, a, b),
        "-tags" => CauseSeed::new(Category::FileSet, Class::Tags, a, b).tokens(split_tokens(',')),
        "-trimpath" => CauseSeed::new(Category::Trimpath, Class::ModinfoTrimpath, a, b)
            .absorb(Absorb::Trimpath),
        "-buildmode" => target(Class::Buildmode),
        "-linkshared" => target(Class::Linkshared),
        "GOOS" => target(Class::Goos),
        "GOARCH" => target(Class::Goarch),
        "GO386" | "GOAMD64" | "GOARM" | "GOARM64" | "GOMIPS" | "GOMIPS64" | "GOPPC64"
        | "GORISCV64" | "GOWASM" => target(Class::ArchVar(key.to_string())),
        // GOFIPS140 also adds fips140=on to the default GODEBUG settings.
        "GOFIPS140" => CauseSeed::new(Category::Godebug, Class::Fips140, a, b),
        "-compiler" => CauseSeed::new(Category::Toolchain, Class::Compiler, a, b),
        "-gccgoflags" => CauseSeed::new(Category::CompilerFlags, Class::Gccgoflags, a, b)
            .tokens(split_tokens(' ')),
        "-cover" => CauseSeed::new(Category::Instrumentation, Class::Cover, on(&a), on(&b)),
        "-race" | "-msan" | "-asan" => {
            let class = Class::sanitizer(key).unwrap_or(Class::Race);
            CauseSeed::new(Category::Instrumentation, class, on(&a), on(&b))
        }
        "-covermode" => CauseSeed::new(Category::Instrumentation, Class::Covermode, a, b),
        "-coverpkg" => CauseSeed::new(Category::Instrumentation, Class::Coverpkg, a, b),
        "CGO_ENABLED" => CauseSeed::new(Category::Cgo, Class::CgoEnabled, a, b),
        "CGO_CFLAGS" => cgo_flags(CgoFlags::C),
        "CGO_CPPFLAGS" => cgo_flags(CgoFlags::Cpp),
        "CGO_CXXFLAGS" => cgo_flags(CgoFlags::Cxx),
        "CGO_LDFLAGS" => cgo_flags(CgoFlags::Ld),
        "CGO_FFLAGS" => cgo_flags(CgoFlags::F),
        "GOEXPERIMENT" => CauseSeed::new(Category::Experiment, Class::Experiment, a, b),
        "DefaultGODEBUG" => CauseSeed::new(Category::Godebug, Class::ModinfoDefaultGodebug, a, b)
            .tokens(split_tokens(','))
            .absorb(Absorb::GoDefaults),
        "-pgo" => match (&a, &b) {
            (Some(x), Some(y)) if x.starts_with('/') && y.starts_with('/') => {
                CauseSeed::new(Category::AbsolutePath, Class::Pgo, a, b).path()
            }
            (Some(_), Some(_)) => CauseSeed::new(Category::Pgo, Class::PgoProfile, a, b),
            _ => CauseSeed::new(Category::Pgo, Class::PgoOneSide, a, b),
        },
        k if k == "vcs" || k.starts_with("vcs.") || k == "-buildvcs" => {
            CauseSeed::new(Category::VcsStamp, Class::Vcs(key.to_string()), a, b)
        }
        // A setting this whymiss does not know, by its name.
        _ => CauseSeed::new(Category::Other, Class::Modinfo(key.to_string()), a, b),
    }
}

/// `-gcflags`/`-asmflags` as the build information records them. `-gcflags=all=-N` reaches the
/// compiler as `-N`: compare the flags without their package pattern so the setting and the
/// compile lines make one cause.
fn compiler_flags_setting(class: Class, a: Option<String>, b: Option<String>) -> CauseSeed {
    let unpattern = |v: &Option<String>| {
        v.as_ref().map(|v| {
            v.split(' ')
                .map(|t| match t.split_once('=') {
                    Some((pattern, flag)) if !pattern.starts_with('-') => flag,
                    _ => t,
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let mut tokens = tokens_of(unpattern(&a).as_deref(), unpattern(&b).as_deref(), ' ');
    if tokens.iter().all(|t| t.side == TokenSide::Equal) {
        // Only the pattern differs (`-N` against `all=-N`): the tokens must show it.
        tokens = tokens_of(a.as_deref(), b.as_deref(), ' ');
    }
    CauseSeed::new(Category::CompilerFlags, class, a, b).tokens(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_versions() {
        assert_eq!(
            tool_version("compile version go1.27.3 X:fieldtrack"),
            Some("go1.27.3")
        );
        assert_eq!(tool_version("\"asm version go1.21.13\""), Some("go1.21.13"));
        assert_eq!(
            tool_experiments("compile version go1.27.3 X:fieldtrack"),
            "X:fieldtrack"
        );
    }

    #[test]
    fn flag_paths() {
        assert_eq!(flag_path("-I/x/y"), Some("/x/y"));
        assert_eq!(flag_path("/x"), Some("/x"));
        assert_eq!(flag_path("-O2"), None);
        assert_eq!(flag_path("a/b"), None);
        let a = vec!["-O2".to_string(), "-I/a/p/include".to_string()];
        let b = vec!["-O2".to_string(), "-I/b/c/p/include".to_string()];
        assert_eq!(
            path_tokens(Some(&a), Some(&b)),
            Some(("/a/p/include".into(), "/b/c/p/include".into()))
        );
        let c = vec!["-O3".to_string(), "-I/a/p/include".to_string()];
        assert_eq!(path_tokens(Some(&a), Some(&c)), None);
    }

    #[test]
    fn module_cache_dirs() {
        let s = module_cache_version(
            Some("/root/go/pkg/mod/example.com/x@v1.0.0/sub"),
            Some("/root/go/pkg/mod/example.com/x@v1.1.0/sub"),
        )
        .unwrap();
        assert_eq!(s.category, Category::DependencyVersion);
        assert_eq!(s.a.as_deref(), Some("example.com/x@v1.0.0"));
        assert!(
            module_cache_version(Some("/a/pkg/mod/x@v1/y"), Some("/b/pkg/mod/x@v1/y")).is_none()
        );
    }

    #[test]
    fn gcflags_that_differ_only_in_their_pattern_keep_the_pattern_in_their_tokens() {
        // `-gcflags=-N` against `-gcflags=all=-N`, as the build information records them: the
        // tokens used to be only `[equal "-N"]`, and the text showed `…` for both sides.
        let seed = compiler_flags_setting(Class::Gcflags, Some("-N".into()), Some("all=-N".into()));
        let changed: Vec<(TokenSide, &str)> = seed
            .tokens
            .iter()
            .filter(|t| t.side != TokenSide::Equal)
            .map(|t| (t.side, t.text.as_str()))
            .collect();
        assert_eq!(changed, [(TokenSide::A, "-N"), (TokenSide::B, "all=-N")]);
        // Flags that differ themselves are still compared without their pattern.
        let seed = compiler_flags_setting(
            Class::Gcflags,
            Some("all=-N -l".into()),
            Some("all=-N".into()),
        );
        let changed: Vec<&str> = seed
            .tokens
            .iter()
            .filter(|t| t.side != TokenSide::Equal)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(changed, ["-l"]);
    }
}
