fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let t = std::time::Instant::now();
        match whymiss::parse::parse_log(&bytes) {
            Ok(log) => {
                let el = t.elapsed();
                let unver: Vec<_> = log
                    .unverified()
                    .map(|a| (a.label(), format!("{:?}", a.verification)))
                    .collect();
                let unknown: usize = log
                    .actions
                    .iter()
                    .flat_map(|a| a.fields.iter())
                    .filter(|f| matches!(f.input, whymiss::model::Input::Unknown(_)))
                    .count();
                println!(
                    "{path}: {:?} actions={} kinds={:?} unverified={} unknown_fields={} subkeys={} (bad {}) files={} tc={} skipped={} mi={} dup={} {:.1} MB/s",
                    log.go_versions,
                    log.actions.len(),
                    log.counts_by_kind(),
                    unver.len(),
                    unknown,
                    log.subkeys.len(),
                    log.subkeys.iter().filter(|s| !s.verified).count(),
                    log.file_hashes.len(),
                    log.test_cache.len(),
                    log.stats.skipped_lines,
                    log.stats.module_index_lines,
                    log.stats.duplicate_blocks,
                    bytes.len() as f64 / el.as_secs_f64() / 1e6
                );
                for u in unver.iter().take(5) {
                    println!("   UNVERIFIED {u:?}");
                }
                for a in &log.actions {
                    for f in &a.fields {
                        if let whymiss::model::Input::Unknown(t) = &f.input {
                            println!("   UNKNOWN {} :: {t}", a.name);
                        }
                    }
                }
            }
            Err(e) => println!("{path}: ERROR {e}"),
        }
    }
}
