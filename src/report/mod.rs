//! Rendering: every output is written to a `&mut dyn Write` from one value (a report or a
//! parsed log), as text for people (coloured through `Styles`), JSON for machines, or a
//! self-contained HTML page (`html`).
pub(crate) mod demo;
pub mod escape;
pub(crate) mod explain;
pub(crate) mod github;
pub(crate) mod history;
pub(crate) mod html;
pub(crate) mod inspect;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod markdown;
pub(crate) mod styles;
pub(crate) mod text;
pub(crate) mod why;

pub use escape::{TerminalSafe, Untrusted, escape};
pub use styles::Styles;

/// Version of every JSON document whymiss writes. Fields may be added; none is renamed or
/// removed without raising it.
pub const SCHEMA_VERSION: u32 = 2;

/// `1234567` → `1.2 MB`, for sizes in summaries.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// `hits` as a whole percentage of `total` (`None` when there is nothing to count).
pub fn percent(hits: usize, total: usize) -> Option<usize> {
    (hits * 100).checked_div(total)
}

/// `n thing` / `n things`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else if let Some(stem) = word
        .strip_suffix('y')
        .filter(|stem| !stem.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {word}s")
    }
}

/// Writes a JSON document and a newline. Serializes first, so a closed pipe surfaces as the
/// plain `BrokenPipe` error that `main` treats as a quiet exit. Strings hold no raw control or
/// invisible character ([`escape::JsonFormatter`]).
pub fn write_json_doc(
    w: &mut dyn std::io::Write,
    doc: &impl serde::Serialize,
) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut bytes, escape::JsonFormatter::new());
    doc.serialize(&mut ser).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    w.write_all(&bytes)
}
