//! `cargo bench --bench parse [-- FILTER…]`: how fast `parse_log` reads real logs, how much memory
//! it needs, and how long comparing two big logs takes.
//!
//! Cases (a FILTER picks the cases whose name contains it):
//! * `corpus`: the largest log under `corpus/logs` (gzip, inflated in memory first);
//! * `big`: `bench-data/big.log`, over 100 MB of real captures (`scripts/gen-bench-log.sh`);
//! * `compare`: read and parse `big.log` and `big-b.log`, then `whymiss::diff::compare`, against
//!   GNU `diff big.log big-b.log > /dev/null` on the same pair.
//!
//! Throughput is the median of several single-threaded runs of `parse_log` (MB = 10^6 bytes),
//! by the wall clock and by the CPU time of the thread (`CLOCK_THREAD_CPUTIME_ID`), which is what
//! one core delivers when other work shares the machine.
//! Peak memory is measured in a fresh child process (this binary run with `--memory FILE…`) as
//! `VmHWM` from `/proc/self/status` minus its value before the file is read, so it counts the
//! file's bytes, the parse and everything the parse keeps. The child first runs the same code on
//! the first 64 KiB of the log and then resets `VmHWM`, so that the pages of code it faults in
//! are not counted.
//!
//! `WHYMISS_BENCH_RUNS` overrides the number of runs of the big cases (default 7).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha256};
use whymiss::go::load::{self, SideFile};
use whymiss::go::logfile::{DEFAULT_MAX_LOG_SIZE, LogFile};
use whymiss::model::SideInfo;
use whymiss::parse::parse_log;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(pos) = args.iter().position(|a| a == "--memory") {
        measure_memory_child(&args[pos + 1..]);
        return;
    }
    // cargo passes `--bench`; everything else not starting with `-` is a filter.
    let filters: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let wanted = |case: &str| filters.is_empty() || filters.iter().any(|f| case.contains(f));

    let runs = std::env::var("WHYMISS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7usize);

    println!("whymiss parse benchmark (single thread; MB = 10^6 bytes; medians)");
    println!();
    println!(
        "{:<34} {:>10} {:>5} {:>10} {:>9} {:>10} {:>9} {:>11} {:>9}",
        "case", "size", "runs", "wall", "MB/s", "cpu", "MB/s", "peak mem", "peak/size"
    );
    if wanted("corpus") {
        let (path, bytes) = largest_corpus_log();
        let label = format!(
            "corpus {}",
            path.strip_prefix(repo().join("corpus/logs"))
                .unwrap_or(&path)
                .display()
        );
        parse_case(&label, &path, &bytes, corpus_runs(bytes.len()));
    }
    let big = big_log("big.log");
    if wanted("big") {
        match &big {
            Some(path) => {
                let bytes = std::fs::read(path).expect("read big.log");
                parse_case("bench-data/big.log", path, &bytes, runs);
                floors(&bytes);
            }
            None => missing("big.log"),
        }
    }
    if wanted("compare") {
        match (big, big_log("big-b.log")) {
            (Some(a), Some(b)) => compare_case(&a, &b, runs.min(5)),
            _ => missing("big.log and big-b.log"),
        }
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn big_log(name: &str) -> Option<PathBuf> {
    let path = repo().join("bench-data").join(name);
    path.is_file().then_some(path)
}

fn missing(what: &str) {
    println!(
        "{:<34} skipped: bench-data/{what} not found; generate it with scripts/gen-bench-log.sh",
        ""
    );
}

/// The corpus log with the most bytes once inflated.
fn largest_corpus_log() -> (PathBuf, Vec<u8>) {
    let mut files = Vec::new();
    collect_logs(&repo().join("corpus/logs"), &mut files);
    files
        .into_iter()
        .map(|p| {
            let bytes = LogFile::read(&p).expect("read corpus log").bytes;
            (p, bytes)
        })
        .max_by_key(|(p, b)| (b.len(), p.clone()))
        .expect("corpus/logs holds logs")
}

fn collect_logs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read corpus dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            collect_logs(&path, out);
        } else if path.to_string_lossy().ends_with(".log.gz") {
            out.push(path);
        }
    }
}

/// Enough runs of a small log for about a second of measurement.
fn corpus_runs(len: usize) -> usize {
    (400_000_000 / len.max(1)).clamp(20, 2000)
}

fn parse_case(label: &str, path: &Path, bytes: &[u8], runs: usize) {
    // One untimed run warms caches and checks that the log parses.
    let log = parse_log(bytes).expect("bench log parses");
    let actions = log.actions.len();
    drop(log);
    let times = time_runs(runs, || {
        let log = parse_log(black_box(bytes)).expect("parses");
        black_box(&log);
        log
    });
    let (peak, notes) = child_peak(&[path]);
    row(label, bytes.len(), &times, Some(peak));
    println!("{:<34} {actions} actions; in a child: {notes}", "");
}

/// One run's wall-clock time and the CPU time of the thread that ran it.
#[derive(Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Option<Duration>,
}

/// Times `f` `runs` times; the value `f` returns is dropped outside the timed region.
fn time_runs<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Timing> {
    (0..runs)
        .map(|_| {
            let (start, cpu) = (Instant::now(), thread_cpu());
            let value = f();
            let timing = Timing {
                wall: start.elapsed(),
                cpu: cpu.zip(thread_cpu()).map(|(a, b)| b.saturating_sub(a)),
            };
            drop(value);
            timing
        })
        .collect()
}

/// Time this thread has spent on a CPU.
fn thread_cpu() -> Option<Duration> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Some(Duration::new(
        u64::try_from(t.tv_sec).ok()?,
        u32::try_from(t.tv_nsec).ok()?,
    ))
}

/// Prints a table row: medians of wall and CPU time, throughput, and the peak memory if known.
fn row(label: &str, bytes: usize, times: &[Timing], peak: Option<u64>) {
    let rate = |d: Duration| bytes as f64 / d.as_secs_f64() / 1e6;
    let wall = median(&times.iter().map(|t| t.wall).collect::<Vec<_>>());
    let cpu: Option<Vec<Duration>> = times.iter().map(|t| t.cpu).collect();
    let cpu = cpu.map(|c| median(&c));
    println!(
        "{:<34} {:>10} {:>5} {:>10} {:>9.1} {:>10} {:>9} {:>11} {:>9}",
        label,
        mb(bytes),
        times.len(),
        ms(wall),
        rate(wall),
        cpu.map(ms).unwrap_or_default(),
        cpu.map(|c| format!("{:.1}", rate(c))).unwrap_or_default(),
        peak.map(mib).unwrap_or_default(),
        peak.map(|p| format!("{:.2}", p as f64 / bytes as f64))
            .unwrap_or_default(),
    );
}

/// What no parser can beat: one SHA-256 over every byte, and finding every line end.
fn floors(bytes: &[u8]) {
    let sha = time_runs(3, || Sha256::digest(black_box(bytes)));
    row("  floor: sha256 of all bytes", bytes.len(), &sha, None);
    let lines = time_runs(3, || memchr::memchr_iter(b'\n', black_box(bytes)).count());
    row(
        "  floor: find line ends (memchr)",
        bytes.len(),
        &lines,
        None,
    );
}

/// Reads and parses both logs (one after the other, or one per thread, as `whymiss compare`
/// does), then compares them.
fn read_parse_compare(a: &Path, b: &Path, threads: bool) -> whymiss::diff::Comparison {
    if !threads {
        let (fa, fb) = (
            SideFile::read("A", a, DEFAULT_MAX_LOG_SIZE).expect("read"),
            SideFile::read("B", b, DEFAULT_MAX_LOG_SIZE).expect("read"),
        );
        let (la, lb) = (fa.parse().expect("parses"), fb.parse().expect("parses"));
        return whymiss::diff::compare(&la, &lb, fa.info_for(&la), fb.info_for(&lb));
    }
    let (fa, fb) = load::read_pair(a, b, DEFAULT_MAX_LOG_SIZE).expect("read");
    let (la, lb) = load::parse_pair(&fa, &fb, &Default::default()).expect("parses");
    whymiss::diff::compare(&la, &lb, fa.info_for(&la), fb.info_for(&lb))
}

fn compare_case(a: &Path, b: &Path, runs: usize) {
    let size = file_len(a) + file_len(b);
    println!();
    let times = time_runs(runs, || black_box(read_parse_compare(a, b, false)));
    let (peak, phases) = child_peak(&[a, b]);
    row("compare big.log big-b.log", size, &times, Some(peak));
    println!("{:<34} in a child: {phases}", "");
    let times = time_runs(runs, || black_box(read_parse_compare(a, b, true)));
    row("  the same, one log per thread", size, &times, None);
    println!("{:<34} (the cpu column counts the main thread only)", "");
    let start = Instant::now();
    let status = Command::new("diff")
        .arg(a)
        .arg(b)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let took = Timing {
        wall: start.elapsed(),
        cpu: None,
    };
    match status {
        Ok(s) if s.code().is_some_and(|c| c <= 1) => {
            row("GNU diff big.log big-b.log", size, &[took], None)
        }
        Ok(s) => println!("GNU diff failed: {s}"),
        Err(e) => println!("GNU diff not run: {e}"),
    }
}

fn file_len(path: &Path) -> usize {
    std::fs::metadata(path).expect("stat").len() as usize
}

/// Runs this binary as `--memory FILE…` and returns its peak growth in bytes and its notes.
fn child_peak(files: &[&Path]) -> (u64, String) {
    let exe = std::env::current_exe().expect("current exe");
    let out = Command::new(exe)
        .arg("--memory")
        .args(files)
        .stderr(Stdio::inherit())
        .output()
        .expect("run memory child");
    assert!(out.status.success(), "memory child failed: {}", out.status);
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.trim().splitn(2, ' ');
    let peak = words.next().and_then(|w| w.parse().ok()).expect("peak");
    (peak, words.next().unwrap_or("").to_string())
}

/// The child: reads and parses one file, or reads, parses and compares two, and prints how much
/// `VmHWM` grew, with the time of each phase.
fn measure_memory_child(files: &[String]) {
    warm_up(Path::new(&files[0]));
    reset_peak();
    let base = vm_hwm();
    let t = Instant::now();
    let read: Vec<SideFile> = files
        .iter()
        .map(|f| SideFile::read("A", Path::new(f), DEFAULT_MAX_LOG_SIZE).expect("read"))
        .collect();
    let (read_time, after_read) = (t.elapsed(), vm_hwm());
    let t = Instant::now();
    let logs: Vec<_> = read.iter().map(|f| f.parse().expect("parses")).collect();
    let parse_time = t.elapsed();
    let mut notes = format!(
        "files {}; read {}, parse {}",
        mib(after_read - base),
        ms(read_time),
        ms(parse_time)
    );
    if let [a, b] = &logs[..] {
        let t = Instant::now();
        let report = whymiss::diff::compare(a, b, SideInfo::default(), SideInfo::default());
        black_box(&report);
        notes.push_str(&format!(", compare {}", ms(t.elapsed())));
    }
    black_box(&logs);
    println!("{} {notes}", vm_hwm() - base);
}

/// Runs the code to be measured on the start of a log, so that the pages of code it faults in are
/// not counted as memory the log needs (they are most of the peak for a small log).
fn warm_up(path: &Path) {
    let file = LogFile::read(path).expect("read");
    let head = &file.bytes[..file.bytes.len().min(64 * 1024)];
    let head = &head[..head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)];
    if let (Ok(a), Ok(b)) = (parse_log(head), parse_log(head)) {
        black_box(whymiss::diff::compare(
            &a,
            &b,
            SideInfo::default(),
            SideInfo::default(),
        ));
    }
}

/// Resets `VmHWM` to the current resident set size (Linux 4.0+); without it, the peak includes
/// the warm-up, which is small.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident set size of this process, in bytes.
fn vm_hwm() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status");
    kb * 1024
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn mb(bytes: usize) -> String {
    format!("{:.2} MB", bytes as f64 / 1e6)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
