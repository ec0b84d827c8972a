//! The HTML report: one self-contained page (style, script and data inlined; nothing loaded
//! from elsewhere) with the summary a reader needs without JavaScript, and the action graph
//! with each action's inputs side by side for the script to show. The page's HTML, CSS and
//! JavaScript are real files in `assets/report/`, compiled in at build time.
mod graph;
mod page;
mod summary;
mod view;

pub(crate) use graph::comparison_graph;
pub(crate) use page::{comparison_page, write_comparison, write_demo, write_explain, write_why};
pub(crate) use view::*;
