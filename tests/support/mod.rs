//! Shared by both test binaries (`tests/offline`, `tests/live`): a small fluent helper around
//! the `whymiss` binary (run it, check the exit status, read stdout as text or typed JSON), the
//! JSON Schema check of reports, and the test toolchains.
#![allow(dead_code)] // each binary uses its own part

pub mod synth;
pub mod toolchains;

pub use whymiss::go::toolchain::TOOLCHAINS_VAR;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Validates a comparison report against docs/report.schema.json.
pub fn validate(v: &serde_json::Value) {
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo().join("docs/report.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match the schema:\n{}",
        errors.join("\n")
    );
}

/// Validates a `why` report against docs/why.schema.json (whose comparisons refer to
/// docs/report.schema.json).
pub fn validate_why(v: &serde_json::Value) {
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(repo().join("docs").join(name)).unwrap()).unwrap()
    };
    let report = read("report.schema.json");
    let id = report["$id"].as_str().unwrap().to_string();
    let registry = jsonschema::Registry::new()
        .add(id, report)
        .expect("report schema")
        .prepare()
        .expect("registry");
    let validator = jsonschema::options()
        .with_registry(&registry)
        .build(&read("why.schema.json"))
        .expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "why report does not match the schema:\n{}",
        errors.join("\n")
    );
}

/// A path under `corpus/`.
pub fn corpus(rel: &str) -> PathBuf {
    repo().join("corpus").join(rel)
}

/// Every file under `dir` (recursively) whose name ends with one of `suffixes`, sorted.
pub fn files_under(dir: &Path, suffixes: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if suffixes.iter().any(|s| path.to_string_lossy().ends_with(s)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A finished run of the binary.
pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

/// Runs `whymiss ARGS` without colour.
pub fn whymiss<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let output = Command::new(env!("CARGO_BIN_EXE_whymiss"))
        .args(&args)
        .env("NO_COLOR", "1")
        .env_remove("GODEBUG")
        .output()
        .expect("run whymiss");
    Run::new(&args, output)
}

impl Run {
    /// The run of `whymiss ARGS` that printed `output`.
    pub fn new(args: &[std::ffi::OsString], output: Output) -> Run {
        Run {
            args: args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            output,
        }
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn context(&self) -> String {
        format!(
            "whymiss {}\n--- exit: {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.args.join(" "),
            self.output.status.code(),
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts the exit status.
    pub fn code(self, expected: i32) -> Self {
        assert_eq!(
            self.output.status.code(),
            Some(expected),
            "{}",
            self.context()
        );
        self
    }

    pub fn stdout_has(self, needle: &str) -> Self {
        assert!(
            self.stdout().contains(needle),
            "stdout lacks {needle:?}\n{}",
            self.context()
        );
        self
    }

    pub fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr().contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.context()
        );
        self
    }

    /// Asserts that stderr is exactly one line (an error message fit for a terminal).
    pub fn one_line_error(self) -> Self {
        let err = self.stderr();
        assert_eq!(err.trim_end().lines().count(), 1, "{}", self.context());
        assert!(err.starts_with("whymiss: "), "{}", self.context());
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{}", self.context()))
    }
}
