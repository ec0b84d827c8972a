//! The environments of a check: the reference build's (this machine as it is, plus the
//! variables given for both builds) and, for any set of factors, that of a build which differs
//! from it in exactly those factors, as another machine would.
//!
//! - `home`: `HOME` is an empty directory of whymiss's, and `XDG_CACHE_HOME`/`XDG_CONFIG_HOME`
//!   are unset, so go's default GOPATH, GOMODCACHE, GOCACHE and go env file move with it
//!   (`cmd/go/internal/cfg`, `envOr`/`gopath`; `os.UserCacheDir`, `os.UserConfigDir`). GOPATH,
//!   GOMODCACHE or GOCACHE set in the environment are configuration, not defaults, and stay
//!   (unless `env` varies too).
//! - `tmpdir`, `tz`, `locale`, `user`: `TMPDIR`, `TZ`, `LC_ALL` and `LANG`, `USER` and `LOGNAME`
//!   get values that differ from the reference's ([`Values::choose`]).
//! - `env`: only the variables a CI runner has too ([`KEPT`]) and those given for both builds
//!   are kept; everything else of this shell (GOFLAGS, CGO_CFLAGS, GOAMD64, CC, …) is dropped.
//! - `path` and `time` are not in the environment: the build runs in another copy of the
//!   module, and in a later second.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::model::Factor;

/// An environment, whole.
pub(crate) type Env = BTreeMap<OsString, OsString>;

/// What survives the minimal environment of the `env` factor: what any CI runner sets too.
/// `LC_*` is kept as well.
pub(crate) const KEPT: &[&str] = &[
    "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "TMPDIR", "TZ", "LANG",
];

/// The values a varied build gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Values {
    pub home: PathBuf,
    pub tmpdir: PathBuf,
    pub tz: String,
    pub locale: String,
    pub user: String,
}

/// Time zones far from most machines', with half- and quarter-hour offsets, so a local date
/// or hour differs from the reference's.
const ZONES: [&str; 2] = ["Pacific/Chatham", "Asia/Kathmandu"];
const USERS: [&str; 2] = ["whymiss-b", "whymiss-c"];

impl Values {
    /// Values that differ from the reference environment's, with the directories `home` and
    /// `tmpdir` (which the caller makes).
    pub(crate) fn choose(reference: &Env, home: PathBuf, tmpdir: PathBuf) -> Values {
        let get = |k: &str| {
            reference
                .get(&OsString::from(k))
                .map(|v| v.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let tz = get("TZ");
        let tz = ZONES
            .iter()
            .find(|z| **z != tz)
            .copied()
            .unwrap_or(ZONES[0]);
        // The effective locale: LC_ALL overrides LANG (LC_CTYPE aside, which only some
        // programs read).
        let locale = match get("LC_ALL") {
            l if !l.is_empty() => l,
            _ => get("LANG"),
        };
        let is_c_utf8 = matches!(locale.as_str(), "C.UTF-8" | "C.utf8" | "C.UTF8");
        let locale = if is_c_utf8 { "C" } else { "C.UTF-8" };
        let user = get("USER");
        let user = USERS
            .iter()
            .find(|u| **u != user)
            .copied()
            .unwrap_or(USERS[0]);
        Values {
            home,
            tmpdir,
            tz: tz.to_string(),
            locale: locale.to_string(),
            user: user.to_string(),
        }
    }
}

/// The reference environment and how to vary it.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// This process's environment with the variables given for both builds.
    pub reference: Env,
    /// The variables given for both builds (`--env`, whymiss.toml's `[check] env`).
    pub explicit: Vec<(String, String)>,
    pub values: Values,
}

impl Plan {
    /// A plan from this process's environment.
    pub(crate) fn new(explicit: Vec<(String, String)>, home: PathBuf, tmpdir: PathBuf) -> Plan {
        let mut reference: Env = std::env::vars_os().collect();
        for (k, v) in &explicit {
            reference.insert(k.into(), v.into());
        }
        let values = Values::choose(&reference, home, tmpdir);
        Plan {
            reference,
            explicit,
            values,
        }
    }

    /// The environment of a build that varies `factors` from the reference.
    pub(crate) fn env(&self, factors: &[Factor]) -> Env {
        let has = |f: Factor| factors.contains(&f);
        let mut env = if has(Factor::Env) {
            let mut kept: Env = self
                .reference
                .iter()
                .filter(|(k, _)| {
                    let k = k.to_string_lossy();
                    KEPT.contains(&k.as_ref()) || k.starts_with("LC_")
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (k, v) in &self.explicit {
                kept.insert(k.into(), v.into());
            }
            kept
        } else {
            self.reference.clone()
        };
        let mut set = |k: &str, v: &OsString| {
            env.insert(k.into(), v.clone());
        };
        let v = &self.values;
        if has(Factor::Home) {
            set("HOME", &v.home.clone().into_os_string());
        }
        if has(Factor::Tmpdir) {
            set("TMPDIR", &v.tmpdir.clone().into_os_string());
        }
        if has(Factor::Tz) {
            set("TZ", &v.tz.clone().into());
        }
        if has(Factor::Locale) {
            set("LC_ALL", &v.locale.clone().into());
            set("LANG", &v.locale.clone().into());
        }
        if has(Factor::User) {
            set("USER", &v.user.clone().into());
            set("LOGNAME", &v.user.clone().into());
        }
        if has(Factor::Home) {
            // Else they would keep go's cache and env file where the reference has them.
            env.remove(&OsString::from("XDG_CACHE_HOME"));
            env.remove(&OsString::from("XDG_CONFIG_HOME"));
        }
        env
    }
}

/// The variables the factors set or remove. The reference build reports its own values of these,
/// so a report shows both sides of each (`env HOME  A /root  B /tmp/…/home`).
pub(crate) const VARIED_VARS: &[&str] = &[
    "HOME",
    "TMPDIR",
    "TZ",
    "LC_ALL",
    "LANG",
    "USER",
    "LOGNAME",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
];

/// The reference's values of [`VARIED_VARS`] (those it has).
pub(crate) fn reference_values(reference: &Env) -> BTreeMap<String, String> {
    VARIED_VARS
        .iter()
        .filter_map(|k| {
            reference
                .get(&OsString::from(k))
                .map(|v| (k.to_string(), v.to_string_lossy().into_owned()))
        })
        .collect()
}

/// What `env` sets or removes relative to `reference`, for the report (removed variables as
/// empty values would be ambiguous: they are counted apart).
pub(crate) fn overrides(reference: &Env, env: &Env) -> (BTreeMap<String, String>, usize) {
    let set = env
        .iter()
        .filter(|(k, v)| reference.get(*k) != Some(*v))
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let removed = reference.keys().filter(|k| !env.contains_key(*k)).count();
    (set, removed)
}

/// The proxy a build with another module cache fetches modules from: the reference's module
/// cache, whose `cache/download` tree is a module proxy (`cmd/go/internal/modfetch`, the
/// `file://` scheme of GOPROXY), so the moved cache is filled without a network, from exactly
/// the files the reference has. Checksums are still checked against go.sum; the checksum
/// database is not asked (it would need the network).
pub(crate) fn module_proxy(reference_modcache: &Path) -> Vec<(String, String)> {
    let download = reference_modcache.join("cache").join("download");
    vec![
        ("GOPROXY".into(), format!("file://{}", download.display())),
        ("GOSUMDB".into(), "off".into()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs.iter().map(|(k, v)| (k.into(), v.into())).collect()
    }

    fn plan(reference: Env) -> Plan {
        let values = Values::choose(&reference, "/s/home".into(), "/s/tmp".into());
        Plan {
            reference,
            explicit: vec![("CGO_ENABLED".into(), "1".into())],
            values,
        }
    }

    #[test]
    fn each_factor_changes_only_its_variables() {
        let p = plan(env(&[
            ("PATH", "/bin"),
            ("HOME", "/root"),
            ("TZ", "UTC"),
            ("LANG", "C.UTF-8"),
            ("USER", "root"),
            ("GOFLAGS", "-mod=mod"),
            ("XDG_CACHE_HOME", "/root/.cache"),
        ]));
        assert_eq!(p.env(&[]), p.reference);
        assert_eq!(p.env(&[Factor::Path, Factor::Time]), p.reference);
        let home = p.env(&[Factor::Home]);
        assert_eq!(home[&OsString::from("HOME")], "/s/home");
        assert!(!home.contains_key(&OsString::from("XDG_CACHE_HOME")));
        assert_eq!(home[&OsString::from("GOFLAGS")], "-mod=mod");
        let (set, removed) = overrides(&p.reference, &home);
        assert_eq!(set.keys().collect::<Vec<_>>(), ["HOME"]);
        assert_eq!(removed, 1);
        let tz = p.env(&[Factor::Tz]);
        assert_eq!(tz[&OsString::from("TZ")], "Pacific/Chatham");
        let locale = p.env(&[Factor::Locale]);
        assert_eq!(locale[&OsString::from("LC_ALL")], "C");
        assert_eq!(locale[&OsString::from("LANG")], "C");
        let user = p.env(&[Factor::User]);
        assert_eq!(user[&OsString::from("USER")], "whymiss-b");
        assert_eq!(user[&OsString::from("LOGNAME")], "whymiss-b");
    }

    #[test]
    fn the_minimal_environment_keeps_what_runners_have_and_what_was_given() {
        let p = plan(env(&[
            ("PATH", "/bin"),
            ("HOME", "/root"),
            ("LC_CTYPE", "C.UTF-8"),
            ("GOFLAGS", "-mod=mod"),
            ("CC", "clang"),
            ("CGO_ENABLED", "1"),
        ]));
        let min = p.env(&[Factor::Env]);
        let names: Vec<String> = min.keys().map(|k| k.to_string_lossy().into()).collect();
        assert_eq!(names, ["CGO_ENABLED", "HOME", "LC_CTYPE", "PATH"]);
    }

    #[test]
    fn varied_values_always_differ_from_the_reference() {
        let v = Values::choose(
            &env(&[
                ("TZ", "Pacific/Chatham"),
                ("USER", "whymiss-b"),
                ("LANG", "C"),
            ]),
            "/h".into(),
            "/t".into(),
        );
        assert_eq!(v.tz, "Asia/Kathmandu");
        assert_eq!(v.user, "whymiss-c");
        assert_eq!(v.locale, "C.UTF-8");
        let v = Values::choose(&env(&[("LC_ALL", "C.utf8")]), "/h".into(), "/t".into());
        assert_eq!(v.locale, "C");
    }

    #[test]
    fn the_module_proxy_is_the_reference_caches_download_tree() {
        assert_eq!(
            module_proxy(Path::new("/root/go/pkg/mod")),
            [
                (
                    "GOPROXY".to_string(),
                    "file:///root/go/pkg/mod/cache/download".to_string()
                ),
                ("GOSUMDB".to_string(), "off".to_string())
            ]
        );
    }
}
