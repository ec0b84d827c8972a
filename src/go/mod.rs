//! Everything about the go command and its output files: reading logs.
pub mod logfile;
