//! What a dependency reference in a key names: the dependency's compiled output (a *content*
//! reference, as in a real build) or its key (a *key* reference, as in a dry run).
//!
//! `(*Builder).buildActionID` writes `import P contentID(a1.buildID)` and `linkActionID`
//! writes `packagefile P=contentID(buildID)` and `packagemain <a1.buildID>`
//! (`cmd/go/internal/work/exec.go`). After a real build (or a cache hit) the build ID's second
//! half is the content ID of the output. Under `go build -n`, a dependency that is not in the
//! cache keeps the placeholder `actionID/actionID` that `(*Builder).useCache`
//! (`cmd/go/internal/work/buildid.go`) gives it, so the reference is `HashToString` of the
//! dependency's action ID: the result of its own block in the same log. And where go hashes
//! a file the build produces (`pgofile` of the preprocessed PGO profile on 1.23+, `vetout`),
//! `-n` leaves the value empty, since the file was never written.
//!
//! A key reference differs exactly when the dependency's key differs, which says nothing about
//! whether its output would; a content reference differs when the output does. So two key
//! references are compared through their dependency, and a key reference cannot be compared
//! with a content reference at all: both are decided by whether the dependency differs.

use rustc_hash::FxHashSet;

use crate::model::{Action, Input, Mode};

/// The form in which a line names its dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RefShape {
    /// `import P <id>`, `packagefile P=<id>`, `test binary <id>`: a content ID in a real
    /// build, the dependency's key in a dry run.
    ContentId,
    /// `packagemain <action id>/<content id>`: the main package's whole build ID; the two
    /// halves are equal in a dry run.
    BuildId,
    /// vet's `pkg`: the compile's action ID itself, a key in every mode.
    ActionId,
    /// `vetout`, `pgofile` (1.23+): the hash of a file the dependency produced, empty when the
    /// file was never written (a dry run).
    FileHash,
}

/// What one side's reference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RefKind {
    /// Names the dependency's key.
    Key,
    /// Names the dependency's output.
    Content,
    /// Names nothing (a file a dry run never produced, or `unsafe`).
    Empty,
}

/// The keys of one log's actions, as `HashToString` writes them into references.
pub(super) struct KeyIndex {
    shorts: FxHashSet<[u8; 20]>,
}

impl KeyIndex {
    pub(super) fn new(actions: &[&Action<'_>]) -> KeyIndex {
        KeyIndex {
            shorts: actions
                .iter()
                .flat_map(|a| a.results.iter())
                .map(|d| d.short_bytes())
                .collect(),
        }
    }

    /// What a reference of `shape` whose value is `value` names.
    pub(super) fn kind(&self, shape: RefShape, value: &str) -> RefKind {
        if value.is_empty() {
            return RefKind::Empty;
        }
        match shape {
            RefShape::ContentId => match <[u8; 20]>::try_from(value.as_bytes()) {
                Ok(short) if self.shorts.contains(&short) => RefKind::Key,
                Ok(_) | Err(_) => RefKind::Content,
            },
            RefShape::BuildId => match value.split_once('/') {
                Some((action, content)) if action == content => RefKind::Key,
                Some(_) | None => RefKind::Content,
            },
            RefShape::ActionId => RefKind::Key,
            RefShape::FileHash => RefKind::Content,
        }
    }

    /// How the log's keys were computed, from its `import` and `packagefile` references: all
    /// keys (a dry run), all contents (a real build), some of each (a dry run against a cache
    /// that held some of the dependencies: it is dry for what it did not hold). `None` when
    /// the log has no such reference.
    pub(super) fn mode_of(&self, actions: &[&Action<'_>]) -> Option<Mode> {
        let (mut key, mut content) = (false, false);
        for input in actions.iter().flat_map(|a| a.inputs()) {
            if let Input::Import { content_id, .. } | Input::PackageFile { content_id, .. } = input
            {
                match self.kind(RefShape::ContentId, content_id) {
                    RefKind::Key => key = true,
                    RefKind::Content => content = true,
                    RefKind::Empty => {}
                }
                if key {
                    return Some(Mode::Dry);
                }
            }
        }
        content.then_some(Mode::Exact)
    }
}

/// Whether two sides' references to the same dependency can be compared by value: only two
/// content references can (equal means the same output). Anything else differs exactly when
/// the dependency does.
pub(super) fn comparable(a: RefKind, b: RefKind) -> bool {
    a == RefKind::Content && b == RefKind::Content
}

/// Whether a reference of this shape, when not comparable, stands in for a content ID that a
/// real build would have used (so that a difference through it is an upper bound). vet's `pkg`
/// is a key in real builds too: vet reruns whenever the compile's key changes.
pub(super) fn stands_in_for_content(shape: RefShape) -> bool {
    match shape {
        RefShape::ContentId | RefShape::BuildId | RefShape::FileHash => true,
        RefShape::ActionId => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Digest;

    #[test]
    fn a_reference_is_a_key_when_it_is_an_action_of_the_same_log() {
        let hex = "d8a50964d13331e2658e19eb5550aa934586ef5f918b2d3196eabf7c46fc0a4b";
        let digest = Digest::from_hex(hex.as_bytes()).unwrap();
        let index = KeyIndex {
            shorts: [digest.short_bytes()].into_iter().collect(),
        };
        let key = digest.short();
        assert_eq!(index.kind(RefShape::ContentId, &key), RefKind::Key);
        assert_eq!(
            index.kind(RefShape::ContentId, "AAAAAAAAAAAAAAAAAAAA"),
            RefKind::Content
        );
        assert_eq!(index.kind(RefShape::ContentId, ""), RefKind::Empty);
        assert_eq!(
            index.kind(RefShape::BuildId, "abc/abc"),
            RefKind::Key,
            "dry: the placeholder build ID"
        );
        assert_eq!(index.kind(RefShape::BuildId, "abc/def"), RefKind::Content);
        assert_eq!(index.kind(RefShape::ActionId, hex), RefKind::Key);
        assert_eq!(index.kind(RefShape::FileHash, ""), RefKind::Empty);
        assert_eq!(index.kind(RefShape::FileHash, "x"), RefKind::Content);
        assert!(comparable(RefKind::Content, RefKind::Content));
        assert!(!comparable(RefKind::Key, RefKind::Content));
        assert!(!comparable(RefKind::Key, RefKind::Key));
    }
}
