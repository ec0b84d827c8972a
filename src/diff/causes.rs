//! From field differences to causes: identical differences across actions become one cause,
//! paths become prefix rewrites, a toolchain change becomes one cause however many fields and
//! actions it touches, and consequences of a broader difference (-trimpath dropping `dir`, a
//! toolchain changing the standard library's files) are folded into it.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::classify::{Absorb, CauseSeed, Item, ItemKind};
use super::knowledge::{Facts, differ_in_numbers_only, explain, looks_volatile};
use super::paths;
use super::report::{Cause, TokenSide};
use crate::model::Category;

/// A differing action as the grouping sees it.
pub struct ActionItems<'r> {
    pub label: &'r str,
    /// The import path of a build, link or vet action.
    pub package: Option<&'r str>,
    /// Position in dependency order (dependencies first).
    pub order: usize,
    pub items: &'r [Item],
}

/// Facts about the two sides that explanations depend on.
pub struct SideFacts {
    pub go_minor: Option<u32>,
    pub both_trimpath: bool,
}

/// Groups the input differences of all actions into causes. Returns the causes (sorted by the
/// dependency order of their first action) and, for each action and item, the cause it belongs
/// to (`None` for dependency references).
pub fn group(
    actions: &[ActionItems<'_>],
    facts: &SideFacts,
) -> (Vec<Cause>, Vec<Vec<Option<usize>>>) {
    let mut assignment: Vec<Vec<Option<usize>>> =
        actions.iter().map(|a| vec![None; a.items.len()]).collect();
    let seeds: Vec<(usize, usize, &CauseSeed)> = actions
        .iter()
        .enumerate()
        .flat_map(|(ai, a)| {
            a.items
                .iter()
                .enumerate()
                .filter_map(move |(ii, item)| match &item.kind {
                    ItemKind::Input(seed) => Some((ai, ii, seed)),
                    _ => None,
                })
        })
        .collect();

    let present = Present::new(&seeds);
    // Files go generates (`_testmain.go`) change because of another cause: fold them into it.
    let has_other = seeds.iter().any(|(_, _, s)| s.absorb != Absorb::Generated);
    let mut generated: Vec<usize> = Vec::new();

    // Group keys: umbrellas first, then toolchain pairs, path classes (rewrites), the rest.
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: FxHashMap<String, usize> = FxHashMap::default();
    let mut path_members: BTreeMap<(Category, String), Vec<usize>> = BTreeMap::new();
    let mut seed_group: Vec<Option<usize>> = vec![None; seeds.len()];
    for (si, &(_, _, seed)) in seeds.iter().enumerate() {
        if seed.absorb == Absorb::Generated && has_other {
            generated.push(si);
            continue;
        }
        let package = actions[seeds[si].0].package;
        let key = if let Some(u) = present.umbrella(seed, package) {
            u
        } else if seed.category == Category::Toolchain {
            format!("toolchain {} {:?} {:?}", seed.class, seed.a, seed.b)
        } else if seed.is_path {
            path_members
                .entry((seed.category, seed.class.clone()))
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
        seed_group[si] = Some(g);
    }
    for ((_, _), members) in path_members {
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
        for (i, rw) in rewrites.iter().enumerate() {
            let mut g = Group::new(format!("path {i}"));
            g.rewrite = Some(rw.clone());
            groups.push(g);
            let _ = base + i;
        }
        for (m, &si) in members.iter().enumerate() {
            seed_group[si] = Some(base + which[m]);
        }
    }
    for (si, g) in seed_group.iter().enumerate() {
        if let Some(g) = g {
            groups[*g].seeds.push(si);
        }
    }

    // Build causes.
    let mut causes: Vec<Cause> = Vec::new();
    let mut group_cause: Vec<Option<usize>> = vec![None; groups.len()];
    for (gi, g) in groups.iter().enumerate() {
        if g.seeds.is_empty() {
            continue;
        }
        let members: Vec<&CauseSeed> = g.seeds.iter().map(|&si| seeds[si].2).collect();
        let cause = build_cause(g, &members, &seeds, actions, facts);
        group_cause[gi] = Some(causes.len());
        causes.push(cause);
    }
    for (si, &(ai, ii, _)) in seeds.iter().enumerate() {
        assignment[ai][ii] = seed_group[si].and_then(|g| group_cause[g]);
    }
    for si in generated {
        let (ai, ii, seed) = seeds[si];
        // The cause of another difference in the same action, else the first cause.
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
            let what = format!(
                "generated {}",
                seed.class.rsplit('/').next().unwrap_or(&seed.class)
            );
            if !cause.also.contains(&what) {
                cause.also.push(what);
            }
            assignment[ai][ii] = Some(host);
        }
    }

    // Dependency order, then category, then field.
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
    for row in &mut assignment {
        for c in row.iter_mut().flatten() {
            *c = remap[*c];
        }
    }
    (causes, assignment)
}

/// The broad differences present, which absorb the differences that follow from them.
struct Present {
    toolchain: bool,
    trimpath: bool,
    cgo_enabled: bool,
    go_version: bool,
    buildmode: bool,
    /// Modules whose version differs.
    modules: Vec<String>,
    /// The group that file-set changes fold into: the -tags, CGO_ENABLED, target, experiment
    /// or instrumentation difference that selects other files.
    file_set_host: Option<String>,
    /// The group of a GOARCH difference, which architecture variables fold into.
    goarch_host: Option<String>,
}

impl Present {
    fn new(seeds: &[(usize, usize, &CauseSeed)]) -> Self {
        let any = |f: &dyn Fn(&CauseSeed) -> bool| seeds.iter().any(|(_, _, s)| f(s));
        let mut present = Present {
            toolchain: any(&|s| s.category == Category::Toolchain && s.versions.is_some()),
            trimpath: any(&|s| s.class == "-trimpath" && s.absorb == Absorb::None),
            cgo_enabled: any(&|s| s.class == "CGO_ENABLED" || s.absorb == Absorb::CgoEnabled),
            go_version: any(&|s| s.category == Category::GoVersion),
            buildmode: any(&|s| s.class == "-buildmode" && s.absorb == Absorb::None),
            modules: seeds
                .iter()
                .filter(|(_, _, s)| s.category == Category::DependencyVersion)
                .filter_map(|(_, _, s)| s.class.strip_prefix("module ").map(str::to_string))
                .collect(),
            file_set_host: None,
            goarch_host: None,
        };
        if let Some((_, _, host)) = seeds
            .iter()
            .find(|(_, _, s)| s.category == Category::Target && s.class == "GOARCH")
        {
            present.goarch_host = Some(plain_key(host));
        }
        // Which difference selects other files, in order of how directly it does.
        let hosts: [&dyn Fn(&CauseSeed) -> bool; 5] = [
            &|s| s.class == "-tags",
            &|s| s.class == "CGO_ENABLED" || s.absorb == Absorb::CgoEnabled,
            &|s| s.category == Category::Target && matches!(s.class.as_str(), "GOOS" | "GOARCH"),
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
    fn umbrella(&self, s: &CauseSeed, package: Option<&str>) -> Option<String> {
        let key = |k: &str| Some(format!("umbrella {k}"));
        // However many tools and actions a toolchain change touches, it is one cause.
        if s.category == Category::Toolchain && s.versions.is_some() {
            return key("toolchain");
        }
        match s.absorb {
            Absorb::Toolchain if self.toolchain => return key("toolchain"),
            Absorb::GoDefaults if self.toolchain => return key("toolchain"),
            Absorb::GoDefaults if self.go_version => return key("go-version"),
            Absorb::Trimpath if self.trimpath => return key("trimpath"),
            Absorb::CgoEnabled if self.cgo_enabled => return key("cgo"),
            Absorb::Buildmode if self.buildmode => return key("buildmode"),
            _ => {}
        }
        if s.class == "-trimpath" && s.absorb == Absorb::None {
            return key("trimpath");
        }
        // One cause per experiment set, VCS stamp and GODEBUG default set, whichever lines
        // (tool IDs, modinfo settings, link fields) show it.
        match s.category {
            Category::Experiment => return key("experiment"),
            Category::VcsStamp => return key("vcs-stamp"),
            Category::Godebug => return key("godebug"),
            _ => {}
        }
        // The architecture variable changes name with GOARCH (GOAMD64 → GOARM64).
        if s.category == Category::Target
            && (s.a.is_none() || s.b.is_none())
            && s.class.starts_with("GO")
            && !matches!(s.class.as_str(), "GOOS" | "GOARCH")
            && let Some(host) = &self.goarch_host
        {
            return Some(host.clone());
        }
        if s.class == "CGO_ENABLED" {
            return key("cgo");
        }
        if s.category == Category::GoVersion {
            return key("go-version");
        }
        if s.class == "-buildmode" && self.buildmode {
            return key("buildmode");
        }
        if s.category == Category::DependencyVersion
            && let Some(m) = s.class.strip_prefix("module ")
        {
            return key(&format!("module {m}"));
        }
        // Build tags, cgo, the target, experiments and instrumentation select other files.
        if s.category == Category::FileSet
            && s.class.starts_with("files of ")
            && let Some(host) = &self.file_set_host
        {
            return Some(host.clone());
        }
        // A dependency's files change with its version.
        if matches!(s.category, Category::Source | Category::FileSet)
            && let Some(pkg) = package
            && let Some(m) = self
                .modules
                .iter()
                .find(|m| pkg == m.as_str() || pkg.starts_with(&format!("{m}/")))
        {
            return key(&format!("module {m}"));
        }
        None
    }
}

/// The group key of a seed that is grouped by its values: for long values compared token by
/// token, by the tokens that differ (the same `-O2` → `-O1` in every package's C flags is one
/// cause, although each package's full flag list differs).
fn plain_key(seed: &CauseSeed) -> String {
    if seed.tokens.iter().any(|t| t.side != TokenSide::Equal) {
        let changed: Vec<String> = seed
            .tokens
            .iter()
            .filter(|t| t.side != TokenSide::Equal)
            .map(|t| format!("{:?}{}", t.side, t.text))
            .collect();
        return format!(
            "{:?}\u{0}{}\u{0}{}",
            seed.category,
            seed.class,
            changed.join("\u{0}")
        );
    }
    format!(
        "{:?}\u{0}{}\u{0}{:?}\u{0}{:?}",
        seed.category, seed.class, seed.a, seed.b
    )
}

struct Group {
    key: String,
    seeds: Vec<usize>,
    rewrite: Option<(String, String)>,
}

impl Group {
    fn new(key: String) -> Self {
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
    seeds: &[(usize, usize, &CauseSeed)],
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

    // The main seed: the one that names the umbrella, else the first.
    let main = match g.key.strip_prefix("umbrella ") {
        Some("toolchain") => members.iter().find(|s| s.category == Category::Toolchain),
        Some("trimpath") => members
            .iter()
            .find(|s| s.class == "-trimpath" && s.absorb == Absorb::None),
        Some("cgo") => members.iter().find(|s| s.class == "CGO_ENABLED"),
        Some("go-version") => members.iter().find(|s| s.category == Category::GoVersion),
        Some("buildmode") => members.iter().find(|s| s.class == "-buildmode"),
        Some(k) if k.starts_with("module ") => members
            .iter()
            .find(|s| s.category == Category::DependencyVersion),
        Some("experiment") => members
            .iter()
            .find(|s| s.class == "GOEXPERIMENT" && s.a.is_some() && s.b.is_some()),
        Some("vcs-stamp") => [
            "modinfo vcs.revision",
            "modinfo vcs.modified",
            "modinfo vcs.time",
        ]
        .iter()
        .find_map(|c| members.iter().find(|s| s.class == *c)),
        Some("godebug") => members.iter().find(|s| s.class == "defaultgodebug"),
        _ => None,
    }
    .or(members.first())
    .copied()
    .expect("a group has members");

    let (category, field, a, b) = if main.category == Category::Toolchain {
        match &main.versions {
            Some((x, y)) => (
                Category::Toolchain,
                "toolchain".to_string(),
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
    } else if g.key == "umbrella cgo" && main.class != "CGO_ENABLED" {
        // CGO_ENABLED itself is not printed (no main package): describe the visible effect.
        (
            Category::Cgo,
            "CGO_ENABLED".to_string(),
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
    };

    // Folded-in differences, summarised by field.
    let mut also_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut tools: Vec<&str> = Vec::new();
    for s in members {
        if category == Category::Toolchain && s.category == Category::Toolchain {
            if !tools.contains(&s.class.as_str()) {
                tools.push(&s.class);
            }
            continue;
        }
        if std::ptr::eq(*s, main) || (s.category == category && s.class == main.class) {
            continue;
        }
        let what = if s.class.starts_with("file ") {
            "source files".to_string()
        } else if s.class.starts_with("files of ") {
            "file sets".to_string()
        } else {
            s.class.clone()
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
    let explain_facts = Facts {
        pattern_differs: reaches_std && one_sided,
        go_minor: facts.go_minor,
        volatile,
        both_trimpath: facts.both_trimpath,
    };
    let (why, fix) = explain(category, &field, &explain_facts);
    Cause {
        category,
        field,
        a,
        b,
        rewrite: g.rewrite.clone(),
        tokens: main.tokens.clone(),
        actions: labels,
        why,
        fix,
        also,
        order,
    }
}
