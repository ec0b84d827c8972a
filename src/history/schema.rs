//! The history's tables. Inputs are stored once per distinct action key (`action`, with its
//! lines interned in `line`), so a rebuild that changes nothing adds only its `record`,
//! `invocation` and `observation` rows.
//!
//! | table | one row per | holds |
//! |---|---|---|
//! | `name` | block name | `build example.com/app/greet`, `test example.com/app` |
//! | `line` | distinct input line | a piece of a block (`dir /src/app\n`) or a test's log line |
//! | `action` | distinct action key, ever | its first 15 bytes (the action graph's ID), the full key when known, kind, name, variant, and its inputs as varint `line` ids |
//! | `record` | `whymiss record` run | module, directory, command, time, go version, exit status, `go env` |
//! | `invocation` | go process of a record | arguments, directory, go-related environment, how it was observed |
//! | `observation` | action of an invocation | what became of it (hit, ran, …), how long it ran, what the cache program answered |
//! | `backend` | invocation with GOCACHEPROG | request counts, bytes, latencies |
//! | `backend_request` | notable request | misses, puts, errors, the slowest: kind, outcome, key, size, latency, error |

/// The schema version this whymiss writes (`PRAGMA user_version`).
pub(crate) const VERSION: i64 = 1;

pub(crate) const CREATE: &str = "
CREATE TABLE IF NOT EXISTS name (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS line (
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS action (
  id INTEGER PRIMARY KEY,
  short BLOB NOT NULL UNIQUE,
  key BLOB,
  work INTEGER NOT NULL,
  name_id INTEGER NOT NULL REFERENCES name(id),
  variant INTEGER NOT NULL,
  lines BLOB,
  exact INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS action_name ON action(name_id);
CREATE TABLE IF NOT EXISTS record (
  id INTEGER PRIMARY KEY,
  module TEXT NOT NULL,
  dir TEXT NOT NULL,
  started_ms INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  command TEXT NOT NULL,
  go_version TEXT,
  exit_status INTEGER NOT NULL,
  env TEXT NOT NULL,
  host TEXT
);
CREATE INDEX IF NOT EXISTS record_module ON record(module, id);
CREATE TABLE IF NOT EXISTS invocation (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  argv TEXT NOT NULL,
  dir TEXT NOT NULL,
  env TEXT NOT NULL,
  go_version TEXT,
  exit_status INTEGER,
  started_ms INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  method INTEGER NOT NULL,
  not_reached INTEGER NOT NULL,
  uncached_tests TEXT NOT NULL,
  notes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS invocation_record ON invocation(record_id);
CREATE TABLE IF NOT EXISTS observation (
  invocation_id INTEGER NOT NULL REFERENCES invocation(id) ON DELETE CASCADE,
  action_id INTEGER NOT NULL REFERENCES action(id),
  outcome INTEGER NOT NULL,
  duration_ms INTEGER,
  detail TEXT,
  get_outcome INTEGER,
  put_outcome INTEGER,
  get_us INTEGER,
  PRIMARY KEY (invocation_id, action_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS observation_action ON observation(action_id);
CREATE TABLE IF NOT EXISTS backend (
  invocation_id INTEGER PRIMARY KEY REFERENCES invocation(id) ON DELETE CASCADE,
  program TEXT NOT NULL,
  gets INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  misses INTEGER NOT NULL,
  get_errors INTEGER NOT NULL,
  puts INTEGER NOT NULL,
  put_errors INTEGER NOT NULL,
  unanswered INTEGER NOT NULL,
  bytes_got INTEGER NOT NULL,
  bytes_put INTEGER NOT NULL,
  p50_us INTEGER NOT NULL,
  p99_us INTEGER NOT NULL,
  max_us INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS backend_request (
  invocation_id INTEGER NOT NULL REFERENCES invocation(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  outcome INTEGER NOT NULL,
  key BLOB NOT NULL,
  size INTEGER,
  latency_us INTEGER NOT NULL,
  err TEXT,
  PRIMARY KEY (invocation_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS backend_request_key ON backend_request(key);
";
