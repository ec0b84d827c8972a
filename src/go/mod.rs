//! Everything about the go command: finding toolchains, describing and running the two sides
//! of a comparison, relocated copies of a module, capture files, and reading and loading logs.
pub(crate) mod args;
pub(crate) mod capture;
pub(crate) mod dry_cache;
pub(crate) mod invocation;
pub mod load;
pub mod logfile;
pub(crate) mod package_path;
pub(crate) mod progress;
pub(crate) mod run;
pub mod shim;
pub(crate) mod side;
pub mod signals;
pub mod sources;
pub(crate) mod timestamp;
pub mod toolchain;
pub(crate) mod tree;
pub mod workspace;

pub use capture::{CaptureHeader, is_capture, read_capture, write_capture};
pub use invocation::{GoInvocation, Subcommand};
pub use progress::ProgressMode;
pub use run::{RunOptions, RunSpec, SideRun, run_side, run_sides};
pub use side::{DescribedSide, SideSpec, describe_side};
pub use toolchain::resolve_go;
pub use workspace::{TempTree, Workspace};
