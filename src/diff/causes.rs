//! From field differences to causes: identical differences across actions become one cause,
//! paths become prefix rewrites, a toolchain change becomes one cause however many fields and
//! actions it touches, and consequences of a broader difference (-trimpath dropping `dir`, a
//! toolchain changing the standard library's files) are folded into it.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::class::{Class, DirKind, Selection};
use super::classify::{Absorb, CauseSeed, Item, ItemKind};
use super::comparison::{Cause, TokenSide};
use super::knowledge::{self, Found, differ_in_numbers_only, looks_volatile};
use super::paths;
use crate::model::Category;
use crate::model::fields::Facts;

/// A differing action as the grouping sees it.
pub(super) struct ActionItems<'r> {
    pub label: &'r str,
    /// The import path of a build, link or vet action.
    pub package: Option<&'r str>,
    /// Position in dependency order (dependencies first).
    pub order: usize,
    pub items: &'r [Item],
}

/// Facts about the two sides that explanations depend on.
pub(super) struct SideFacts {
    /// The Go release of each side (minor version).
    pub go_minor: (Option<u32>, Option<u32>),
    pub both_trimpath: bool,
    /// Some compile has a `go` line on both sides, and none differs.
    pub go_lines_equal: bool,
}

/// Groups the input differences of all actions into causes. Returns the causes (sorted by the
/// dependency order of their first action) and, for each action and item, the cause it belongs
/// to (`None` for dependency references).
pub(super) fn group(
    actions: &[ActionItems<'_>],
    facts: &SideFacts,
) -> (Vec<Cause>, Vec<Vec<Option<usize>>>) {
    let mut assignment: Vec<Vec<Option<usize>>> =
        actions.iter().map(|a| vec![None; a.items.len()]).collect();
    let seeds: Vec<Seed<'_>> = actions
        .iter()
        .enumerate()
        .flat_map(|(ai, a)| {
            a.items.iter().enumerate().filter_map(move |(ii, item)| {
                if let ItemKind::Input(seed) = &item.kind {
                    Some((ai, ii, seed))
                } else {
                    None
                }
            })
        })
        .collect();
    let (groups, generated) = form_groups(&seeds, actions);

    let mut causes: Vec<Cause> = Vec::new();
    for g in &groups {
        let members: Vec<&CauseSeed> = g.seeds.iter().map(|&si| seeds[si].2).collect();
        for &si in &g.seeds {
            let (ai, ii, _) = seeds[si];
            assignment[ai][ii] = Some(causes.len());
        }
        causes.push(build_cause(g, &members, &seeds, actions, facts));
    }
    fold_generated(&generated, &seeds, &mut causes, &mut assignment);
    let causes = sort_causes(causes, &mut assignment);
    (causes, assignment)
}

/// An input difference: the action it is in, its place among the action's items, its seed.
type Seed<'s> = (usize, usize, &'s CauseSeed);

/// Puts every seed in a group (umbrellas first, then toolchain pairs, path classes as prefix
/// rewrites, then by values), except the differences of files go generates, which are returned
/// apart when anything else differs. Groups are in the order of their first seed, path groups
/// last; each has at least one seed.
fn form_groups(seeds: &[Seed<'_>], actions: &[ActionItems<'_>]) -> (Vec<Group>, Vec<usize>) {
    let present = Present::new(seeds);
    // Files go generates (`_testmain.go`) change because of another cause: fold them into it.
    let has_other = seeds.iter().any(|(_, _, s)| s.absorb != Absorb::Generated);
    let mut generated: Vec<usize> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: FxHashMap<GroupKey, usize> = FxHashMap::default();
    let mut path_members: BTreeMap<(Category, String), Vec<usize>> = BTreeMap::new();
    for (si, &(ai, _, seed)) in seeds.iter().enumerate() {
        if seed.absorb == Absorb::Generated && has_other {
            generated.push(si);
            continue;
        }
        let key = if let Some(u) = present.umbrella(seed, actions[ai].package) {
            u
        } else if seed.category == Category::Toolchain {
            GroupKey::Toolchain {
                class: seed.class.clone(),
                a: seed.a.clone(),
                b: seed.b.clone(),
            }
        } else if seed.is_path {
            // Ordered by the class as shown, as the paths' causes are listed.
            path_members
                .entry((seed.category, seed.class.to_string()))
                .or_default()
                .push(si);
            continue;
        } else {
            plain_key(seed)
        };
        let g = *by_key.entry(key.clone()).or_insert_with(|| {
            groups.push(Group::new(key));
            groups.len() - 1
        });
        groups[g].seeds.push(si);
    }
    for members in path_members.into_values() {
        let pairs: Vec<(String, String)> = members
            .iter()
            .map(|&si| {
                let s = seeds[si].2;
                (
                    s.a.clone().unwrap_or_default(),
                    s.b.clone().unwrap_or_default(),
                )
            })
            .collect();
        let (rewrites, which) = paths::group(&pairs);
        let base = groups.len();
        for (i, rw) in rewrites.into_iter().enumerate() {
            let mut g = Group::new(GroupKey::Path(i));
            g.rewrite = Some(rw);
            groups.push(g);
        }
        for (m, &si) in members.iter().enumerate() {
            groups[base + which[m]].seeds.push(si);
        }
    }
    groups.retain(|g| !g.seeds.is_empty());
    (groups, generated)
}

/// Differences of files go generates join the cause of another difference in the same action,
/// else the first cause.
fn fold_generated(
    generated: &[usize],
    seeds: &[Seed<'_>],
    causes: &mut [Cause],
    assignment: &mut [Vec<Option<usize>>],
) {
    for &si in generated {
        let (ai, ii, seed) = seeds[si];
        let host = assignment[ai]
            .iter()
            .flatten()
            .copied()
            .next()
            .unwrap_or_else(|| {
                (0..causes.len())
                    .min_by_key(|&c| causes[c].order)
                    .unwrap_or(0)
            });
        if let Some(cause) = causes.get_mut(host) {
            let class = seed.class.to_string();
            let what = format!("generated {}", class.rsplit('/').next().unwrap_or(&class));
            if !cause.also.contains(&what) {
                cause.also.push(what);
            }
            assignment[ai][ii] = Some(host);
        }
    }
}

/// Sorts the causes by dependency order, then category, then field, and renumbers the
/// assignment to match.
fn sort_causes(causes: Vec<Cause>, assignment: &mut [Vec<Option<usize>>]) -> Vec<Cause> {
    let mut idx: Vec<usize> = (0..causes.len()).collect();
    idx.sort_by(|&x, &y| {
        let (a, b) = (&causes[x], &causes[y]);
        (a.order, a.category, &a.field).cmp(&(b.order, b.category, &b.field))
    });
    let mut remap = vec![0; causes.len()];
    for (new, &old) in idx.iter().enumerate() {
        remap[old] = new;
    }
    let mut sorted: Vec<Option<Cause>> = causes.into_iter().map(Some).collect();
    let causes: Vec<Cause> = idx
        .iter()
        .map(|&i| sorted[i].take().expect("each once"))
        .collect();
    for row in assignment.iter_mut() {
        for c in row.iter_mut().flatten() {
            *c = remap[*c];
        }
    }
    causes
}

/// The broad differences present, which absorb the differences that follow from them.
struct Present {
    toolchain: bool,
    trimpath: bool,
    cgo_enabled: bool,
    go_version: bool,
    buildmode: bool,
    /// GOOS or GOARCH differs: cross-compiling also turns cgo off and changes the default
    /// build mode.
    target: bool,
    /// The `-tags` setting of a main package's build information differs: its group.
    tags: Option<GroupKey>,
    /// Dependencies come from vendor/ on one side: the build information's checksums follow.
    vendor: bool,
    /// Modules whose version differs.
    modules: Vec<String>,
    /// The group that file-set changes fold into: the -tags, CGO_ENABLED, target, experiment
    /// or instrumentation difference that selects other files.
    file_set_host: Option<GroupKey>,
}

impl Present {
    fn new(seeds: &[Seed<'_>]) -> Self {
        let any = |f: &dyn Fn(&CauseSeed) -> bool| seeds.iter().any(|(_, _, s)| f(s));
        let mut present = Present {
            toolchain: any(&|s| s.category == Category::Toolchain && s.versions.is_some()),
            trimpath: any(&|s| s.class == Class::Trimpath && s.absorb == Absorb::None),
            cgo_enabled: any(&|s| s.class == Class::CgoEnabled || s.absorb == Absorb::CgoEnabled),
            go_version: any(&|s| s.category == Category::GoVersion),
            buildmode: any(&|s| s.class == Class::Buildmode && s.absorb == Absorb::None),
            target: any(&|s| {
                s.category == Category::Target && matches!(s.class, Class::Goos | Class::Goarch)
            }),
            tags: seeds
                .iter()
                .find(|(_, _, s)| s.class == Class::Tags)
                .map(|(_, _, s)| plain_key(s)),
            vendor: any(&|s| s.class == Class::Dir(DirKind::Vendor)),
            modules: seeds
                .iter()
                .filter(|(_, _, s)| s.category == Category::DependencyVersion)
                .filter_map(|(_, _, s)| {
                    if let Class::Module(m) = &s.class {
                        Some(m.clone())
                    } else {
                        None
                    }
                })
                .collect(),
            file_set_host: None,
        };
        // Which difference selects other files, in order of how directly it does.
        let hosts: [&dyn Fn(&CauseSeed) -> bool; 5] = [
            &|s| s.class == Class::Tags,
            &|s| s.class == Class::CgoEnabled || s.absorb == Absorb::CgoEnabled,
            &|s| s.category == Category::Target && matches!(s.class, Class::Goos | Class::Goarch),
            &|s| s.category == Category::Experiment,
            &|s| s.category == Category::Instrumentation,
        ];
        for is_host in hosts {
            if let Some((_, _, host)) = seeds.iter().find(|(_, _, s)| is_host(s)) {
                present.file_set_host = Some(
                    present
                        .umbrella(host, None)
                        .unwrap_or_else(|| plain_key(host)),
                );
                break;
            }
        }
        present
    }

    /// The umbrella cause a seed belongs to: the broad difference it names or follows from.
    fn umbrella(&self, s: &CauseSeed, package: Option<&str>) -> Option<GroupKey> {
        let key = |u: Umbrella| Some(GroupKey::Umbrella(u));
        // However many tools and actions a toolchain change touches, it is one cause.
        if s.category == Category::Toolchain && s.versions.is_some() {
            return key(Umbrella::Toolchain);
        }
        // Cross-compiling turns cgo off by default, and darwin, windows, android and ios link
        // pie by default: with the target, those differences are the target's.
        let absorbed = match s.absorb {
            Absorb::Toolchain if self.toolchain => Some(Umbrella::Toolchain),
            Absorb::GoDefaults if self.toolchain => Some(Umbrella::Toolchain),
            Absorb::GoDefaults if self.go_version => Some(Umbrella::GoVersion),
            Absorb::Trimpath if self.trimpath => Some(Umbrella::Trimpath),
            Absorb::CgoEnabled if self.target => Some(Umbrella::Target),
            Absorb::CgoEnabled if self.cgo_enabled => Some(Umbrella::Cgo),
            Absorb::Buildmode if self.target => Some(Umbrella::Target),
            Absorb::Buildmode if self.buildmode => Some(Umbrella::Buildmode),
            Absorb::None
            | Absorb::Toolchain
            | Absorb::Trimpath
            | Absorb::CgoEnabled
            | Absorb::Generated
            | Absorb::GoDefaults
            | Absorb::Buildmode => None,
        };
        if let Some(u) = absorbed {
            return key(u);
        }
        if s.class == Class::Trimpath && s.absorb == Absorb::None {
            return key(Umbrella::Trimpath);
        }
        // One cause per experiment set, VCS stamp, GODEBUG default set and PGO profile,
        // whichever lines (tool IDs, modinfo settings, link fields) show it.
        match s.category {
            Category::Experiment => return key(Umbrella::Experiment),
            Category::VcsStamp => return key(Umbrella::VcsStamp),
            Category::Godebug => return key(Umbrella::Godebug),
            Category::Pgo => return key(Umbrella::Pgo),
            Category::AbsolutePath
            | Category::Trimpath
            | Category::Toolchain
            | Category::GoVersion
            | Category::Target
            | Category::CompilerFlags
            | Category::LinkerFlags
            | Category::Cgo
            | Category::Instrumentation
            | Category::Source
            | Category::FileSet
            | Category::DebugEnv
            | Category::DependencyVersion
            | Category::Nondeterministic
            | Category::TestFlags
            | Category::TestEnv
            | Category::TestFile
            | Category::TestMtime
            | Category::GoCommand
            | Category::Other => {}
        }
        // However many lines show the target (compile, link, build information), it is one
        // cause; the architecture variable changes name with GOARCH (GOAMD64 → GOARM64).
        if s.category == Category::Target
            && (matches!(s.class, Class::Goos | Class::Goarch)
                || (self.target
                    && (s.a.is_none() || s.b.is_none())
                    && matches!(s.class, Class::ArchVar(_)))
                || (self.target && s.class == Class::NoArchVar))
        {
            return key(Umbrella::Target);
        }
        if self.target && matches!(s.class, Class::CgoEnabled | Class::Buildmode) {
            return key(Umbrella::Target);
        }
        if s.class == Class::CgoEnabled {
            return key(Umbrella::Cgo);
        }
        if s.class == Class::Dir(DirKind::Vendor)
            || (self.vendor && matches!(s.class, Class::ModinfoDepSum(_)))
        {
            return key(Umbrella::Vendor);
        }
        if s.category == Category::GoVersion {
            return key(Umbrella::GoVersion);
        }
        if s.class == Class::Buildmode && self.buildmode {
            return key(Umbrella::Buildmode);
        }
        if s.category == Category::DependencyVersion
            && let Class::Module(m) = &s.class
        {
            return key(Umbrella::Module(m.clone()));
        }
        // A dependency's files change with its version.
        if matches!(s.category, Category::Source | Category::FileSet)
            && let Some(pkg) = package
            && let Some(m) = self
                .modules
                .iter()
                .find(|m| pkg == m.as_str() || pkg.starts_with(&format!("{m}/")))
        {
            return key(Umbrella::Module(m.clone()));
        }
        if s.category == Category::FileSet {
            return self.file_set_group(&s.class);
        }
        None
    }

    /// Where files selected on one side only go: into the difference that selects them when
    /// it is visible (the -tags setting, the target, cgo, the release), else one cause per
    /// setting across packages. Files whose selection is unknown join the most direct visible
    /// difference that selects files, if any.
    fn file_set_group(&self, class: &Class) -> Option<GroupKey> {
        let files = |sel: &Selection| Some(GroupKey::Files(sel.clone()));
        match class {
            Class::FilesBy(sel) => match sel {
                Selection::Tag(_) => self.tags.clone().or_else(|| files(sel)),
                Selection::Target(_) if self.target => Some(GroupKey::Umbrella(Umbrella::Target)),
                Selection::Cgo if self.target => Some(GroupKey::Umbrella(Umbrella::Target)),
                Selection::Cgo if self.cgo_enabled => Some(GroupKey::Umbrella(Umbrella::Cgo)),
                Selection::Release if self.toolchain => {
                    Some(GroupKey::Umbrella(Umbrella::Toolchain))
                }
                Selection::Setting(_) | Selection::Unread => {
                    self.file_set_host.clone().or_else(|| files(sel))
                }
                Selection::Target(_) | Selection::Cgo | Selection::Release | Selection::Added => {
                    files(sel)
                }
            },
            Class::FileSet(_) => self.file_set_host.clone(),
            _ => None,
        }
    }
}

/// A broad difference that is one cause however many fields and actions show it, and that
/// absorbs the differences following from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Umbrella {
    Toolchain,
    GoVersion,
    Trimpath,
    /// GOOS and GOARCH, with what cross-compiling changes by itself.
    Target,
    Cgo,
    Buildmode,
    Experiment,
    VcsStamp,
    Godebug,
    Pgo,
    /// vendor/ on one side, the module cache on the other.
    Vendor,
    /// A module's version.
    Module(String),
}

/// What makes input differences one cause.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum GroupKey {
    Umbrella(Umbrella),
    /// A tool ID without a go version on both sides, by field and values.
    Toolchain {
        class: Class,
        a: Option<String>,
        b: Option<String>,
    },
    /// The n-th prefix rewrite of a class of paths.
    Path(usize),
    /// Files selected on one side only by one setting, across packages.
    Files(Selection),
    /// The same field, category and differing tokens (long values compared token by token).
    Tokens {
        category: Category,
        class: Class,
        changed: Vec<(TokenSide, String)>,
    },
    /// The same field, category and values.
    Values {
        category: Category,
        class: Class,
        a: Option<String>,
        b: Option<String>,
    },
}

/// The group key of a seed that is grouped by its values: for long values compared token by
/// token, by the tokens that differ (the same `-O2` → `-O1` in every package's C flags is one
/// cause, although each package's full flag list differs).
fn plain_key(seed: &CauseSeed) -> GroupKey {
    if seed.tokens.iter().any(|t| t.side != TokenSide::Equal) {
        return GroupKey::Tokens {
            category: seed.category,
            class: seed.class.clone(),
            changed: seed
                .tokens
                .iter()
                .filter(|t| t.side != TokenSide::Equal)
                .map(|t| (t.side, t.text.clone()))
                .collect(),
        };
    }
    GroupKey::Values {
        category: seed.category,
        class: seed.class.clone(),
        a: seed.a.clone(),
        b: seed.b.clone(),
    }
}

struct Group {
    key: GroupKey,
    seeds: Vec<usize>,
    rewrite: Option<(String, String)>,
}

impl Group {
    fn new(key: GroupKey) -> Self {
        Group {
            key,
            seeds: Vec::new(),
            rewrite: None,
        }
    }
}

fn build_cause(
    g: &Group,
    members: &[&CauseSeed],
    seeds: &[Seed<'_>],
    actions: &[ActionItems<'_>],
    facts: &SideFacts,
) -> Cause {
    // Affected actions, in dependency order, once each.
    let mut affected: Vec<(usize, &str)> = g
        .seeds
        .iter()
        .map(|&si| {
            let a = &actions[seeds[si].0];
            (a.order, a.label)
        })
        .collect();
    affected.sort();
    affected.dedup();
    let order = affected.first().map_or(usize::MAX, |x| x.0);
    let labels: Vec<String> = affected.iter().map(|x| x.1.to_string()).collect();

    let main = main_seed(g, members);
    let (category, class, a, b) = headline(g, main, members);
    let also = folded(category, main, members);

    let volatile = ([&a, &b]
        .iter()
        .any(|v| v.as_deref().is_some_and(looks_volatile))
        || differ_in_numbers_only(a.as_deref(), b.as_deref()))
        && matches!(category, Category::CompilerFlags | Category::LinkerFlags);
    // The standard library's import paths have no dot in their first element.
    let reaches_std = affected
        .iter()
        .filter_map(|(_, label)| label.split(' ').nth(1))
        .any(|pkg| !pkg.split('/').next().unwrap_or("").contains('.'));
    // -gcflags present for a package on one side only: the sides used different patterns.
    let one_sided = members.iter().any(|s| {
        s.a.as_deref().is_none_or(str::is_empty) || s.b.as_deref().is_none_or(str::is_empty)
    });
    // Test caching is about the side whose caching is off: its release's flags.
    let go_minor = if class == Class::TestCaching && b.as_deref().is_some_and(|v| v != "on") {
        facts.go_minor.1
    } else {
        facts.go_minor.0.or(facts.go_minor.1)
    };
    let explain_facts = Facts {
        go_minor,
        both_trimpath: facts.both_trimpath,
        volatile,
        pattern_differs: reaches_std && one_sided,
    };
    let source_beside = g.seeds.iter().any(|&si| {
        actions[seeds[si].0].items.iter().any(|item| {
            matches!(&item.kind, ItemKind::Input(s) if matches!(s.class, Class::File { .. }))
        })
    });
    let found = Found {
        go_lines_equal: facts.go_lines_equal,
        source_beside,
    };
    let advice = knowledge::advice(&class, main.field, &found);
    let subject = knowledge::subject(&class);
    let why = advice.why(&explain_facts, &subject);
    let fix = Some(advice.fix(&explain_facts, &subject));
    Cause {
        category,
        field: class.to_string(),
        class,
        a,
        b,
        rewrite: g.rewrite.clone(),
        tokens: main.tokens.clone(),
        actions: labels,
        why,
        fix,
        rows: advice.rows,
        also,
        order,
        verification: None,
        variation: None,
    }
}

/// The seed a cause is named after: the one that names its umbrella, else the first.
fn main_seed<'s>(g: &Group, members: &[&'s CauseSeed]) -> &'s CauseSeed {
    let umbrella = match &g.key {
        GroupKey::Umbrella(u) => Some(u),
        GroupKey::Toolchain { .. }
        | GroupKey::Path(_)
        | GroupKey::Files(_)
        | GroupKey::Tokens { .. }
        | GroupKey::Values { .. } => None,
    };
    match umbrella {
        Some(Umbrella::Toolchain) => members.iter().find(|s| s.category == Category::Toolchain),
        Some(Umbrella::Trimpath) => members
            .iter()
            .find(|s| s.class == Class::Trimpath && s.absorb == Absorb::None),
        Some(Umbrella::Cgo) => members.iter().find(|s| s.class == Class::CgoEnabled),
        Some(Umbrella::Target) => members
            .iter()
            .find(|s| s.class == Class::Goos)
            .or_else(|| members.iter().find(|s| s.class == Class::Goarch)),
        Some(Umbrella::Vendor) => members
            .iter()
            .find(|s| s.class == Class::Dir(DirKind::Vendor)),
        Some(Umbrella::Pgo) => [Class::PgoOneSide, Class::PgoProfile, Class::Pgo]
            .iter()
            .find_map(|c| members.iter().find(|s| s.class == *c)),
        Some(Umbrella::GoVersion) => members.iter().find(|s| s.category == Category::GoVersion),
        Some(Umbrella::Buildmode) => members.iter().find(|s| s.class == Class::Buildmode),
        Some(Umbrella::Module(_)) => members
            .iter()
            .find(|s| s.category == Category::DependencyVersion),
        Some(Umbrella::Experiment) => members
            .iter()
            .find(|s| s.class == Class::Experiment && s.a.is_some() && s.b.is_some()),
        Some(Umbrella::VcsStamp) => ["vcs.revision", "vcs.modified", "vcs.time"]
            .iter()
            .find_map(|c| {
                members
                    .iter()
                    .find(|s| matches!(&s.class, Class::Vcs(k) if k == c))
            }),
        Some(Umbrella::Godebug) => [
            Class::Fips140,
            Class::DefaultGodebug,
            Class::ModinfoDefaultGodebug,
        ]
        .iter()
        .find_map(|c| members.iter().find(|s| s.class == *c)),
        None => None,
    }
    .or(members.first())
    .copied()
    .expect("a group has members")
}

/// The category, field and values a cause shows: its main seed's, but the go versions for a
/// toolchain, the prefix rewrite for paths, and CGO_ENABLED for cgo on one side.
fn headline(
    g: &Group,
    main: &CauseSeed,
    members: &[&CauseSeed],
) -> (Category, Class, Option<String>, Option<String>) {
    if let GroupKey::Files(selection) = &g.key
        && !matches!(selection, Selection::Tag(_))
    {
        // Every package's files, one after the other.
        let joined = |side: fn(&CauseSeed) -> &Option<String>| {
            let mut parts: Vec<&str> = Vec::new();
            for part in members.iter().filter_map(|s| side(s).as_deref()) {
                if !parts.contains(&part) {
                    parts.push(part);
                }
            }
            (!parts.is_empty()).then(|| parts.join("; "))
        };
        return (
            main.category,
            main.class.clone(),
            joined(|s| &s.a),
            joined(|s| &s.b),
        );
    }
    if main.category == Category::Toolchain {
        match &main.versions {
            Some((x, y)) => (
                Category::Toolchain,
                Class::Toolchain,
                Some(x.clone()),
                Some(y.clone()),
            ),
            None => (
                Category::Toolchain,
                main.class.clone(),
                main.a.clone(),
                main.b.clone(),
            ),
        }
    } else if let Some((x, y)) = &g.rewrite {
        (
            main.category,
            main.class.clone(),
            Some(x.clone()),
            Some(y.clone()),
        )
    } else if g.key == GroupKey::Umbrella(Umbrella::Cgo) && main.class != Class::CgoEnabled {
        // CGO_ENABLED itself is not printed (no main package): describe the visible effect.
        (
            Category::Cgo,
            Class::CgoEnabled,
            Some(
                if main.a.is_some() {
                    "1 (cgo compiled)"
                } else {
                    "0 (no cgo)"
                }
                .to_string(),
            ),
            Some(
                if main.b.is_some() {
                    "1 (cgo compiled)"
                } else {
                    "0 (no cgo)"
                }
                .to_string(),
            ),
        )
    } else {
        (
            main.category,
            main.class.clone(),
            main.a.clone(),
            main.b.clone(),
        )
    }
}

/// The differences folded into a cause besides its main one, summarised by field (and the
/// tools a toolchain change was hashed as).
fn folded(category: Category, main: &CauseSeed, members: &[&CauseSeed]) -> Vec<String> {
    let mut also_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut tools: Vec<String> = Vec::new();
    for s in members {
        if category == Category::Toolchain && s.category == Category::Toolchain {
            let tool = s.class.to_string();
            if !tools.contains(&tool) {
                tools.push(tool);
            }
            continue;
        }
        if std::ptr::eq(*s, main) || (s.category == category && s.class == main.class) {
            continue;
        }
        let what = if let Class::File { .. } = s.class {
            "source files".to_string()
        } else if let Class::FileSet(_) | Class::FilesBy(_) = s.class {
            "file sets".to_string()
        } else {
            s.class.to_string()
        };
        *also_counts.entry(what).or_insert(0) += 1;
    }
    let mut also: Vec<String> = Vec::new();
    if tools.len() > 1 {
        also.push(format!("hashed as: {}", tools.join(", ")));
    }
    also.extend(also_counts.into_iter().map(|(what, n)| {
        if n == 1 {
            what
        } else {
            format!("{what} ×{n}")
        }
    }));

    also
}
