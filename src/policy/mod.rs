//! The project's policy for CI: `whymiss.toml` at the module root ([`file`]) and the built-in
//! presets ([`preset`]). Both become rules of the gate ([`crate::diff::gate`]) and, for `whymiss
//! check`, its defaults.
pub(crate) mod file;
pub(crate) mod preset;

pub use file::{CheckPolicy, POLICY_FILE, Policy};
pub use preset::Preset;
