//! Colours: one `Styles` value, plain by default and filled once by `colorize()`; call sites
//! write `text.style(styles.x)` and never branch on colour.

use owo_colors::Style;

#[derive(Debug, Clone, Copy, Default)]
pub struct Styles {
    /// Section titles and the verdict line.
    pub header: Style,
    /// Left-column labels.
    pub label: Style,
    /// Side A's value (what was removed going from A to B).
    pub side_a: Style,
    /// Side B's value.
    pub side_b: Style,
    /// Secondary text: counts, line numbers, IDs.
    pub dim: Style,
    /// Problems: unverified blocks, unknown fields.
    pub warning: Style,
    /// Good news: identical keys, all verified.
    pub ok: Style,
    /// A cause's category.
    pub category: Style,
    /// A field name.
    pub field: Style,
    /// Whether the styles above colour anything (then the output may hold SGR sequences).
    pub colored: bool,
}

impl Styles {
    pub fn colorize(&mut self) {
        self.header = Style::new().bold();
        self.label = Style::new().bold();
        self.side_a = Style::new().red();
        self.side_b = Style::new().green();
        self.dim = Style::new().dimmed();
        self.warning = Style::new().yellow().bold();
        self.ok = Style::new().green().bold();
        self.category = Style::new().magenta().bold();
        self.field = Style::new().cyan();
        self.colored = true;
    }

    pub fn colored() -> Styles {
        let mut s = Styles::default();
        s.colorize();
        s
    }
}
