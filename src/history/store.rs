//! The history database: storing a record, pruning old ones, and the queries `whymiss why` and
//! `whymiss history` ask.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::codes::Code;
use super::schema;
use crate::error::Error;
use crate::model::{
    ActionKey, Backend, BackendRequest, BackendSummary, Digest, Inputs, Invocation, Method,
    Observed, Outcome, Record, RequestKind, RequestOutcome, Variant, Work, render_block,
};

/// An open history.
pub struct History {
    conn: Connection,
    path: PathBuf,
}

/// A record in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSummary {
    pub id: i64,
    pub module: String,
    pub dir: String,
    pub started_ms: i64,
    pub duration_ms: i64,
    pub command: String,
    pub go_version: Option<String>,
    pub exit_status: i32,
    pub invocations: u64,
    /// Builds and tests (the actions a hit rate counts).
    pub actions: u64,
    pub hits: u64,
    pub ran: u64,
}

/// A record as loaded, with the row ids the queries take.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub record: Record,
    /// Per invocation: its row id.
    pub invocation_rows: Vec<i64>,
    /// Per invocation, per action: its row id and whether its inputs are stored.
    pub action_rows: Vec<Vec<(i64, bool)>>,
}

/// An earlier observation of the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    pub record: i64,
    pub started_ms: i64,
    pub command: String,
    pub outcome: Outcome,
    pub put: Option<RequestOutcome>,
}

/// The invocation of an earlier record to compare an action with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Baseline {
    pub record: i64,
    pub invocation: i64,
    /// The earlier action's inputs are stored (else only its key is known).
    pub has_inputs: bool,
}

/// What pruning removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub records: u64,
    pub actions: u64,
    pub lines: u64,
}

type Sql<T> = rusqlite::Result<T>;

impl History {
    /// Opens (creating it and its directory if needed) the history at `path`.
    pub fn open(path: &Path) -> Result<History, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::History {
                path: path.to_path_buf(),
                message: format!(
                    "cannot create its directory: {}",
                    crate::error::io_message(&e)
                ),
            })?;
        }
        Self::connect(path, true)
    }

    /// Opens an existing history; a missing file is an error that says how to make one.
    pub fn open_existing(path: &Path) -> Result<History, Error> {
        if !path.exists() {
            return Err(Error::NoRecord(format!(
                "no history at {}: run `whymiss record -- build ./...` (or `--cmd 'make build'`) first",
                path.display()
            )));
        }
        Self::connect(path, false)
    }

    fn connect(path: &Path, create: bool) -> Result<History, Error> {
        let fail = |e: rusqlite::Error| Error::History {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let conn = Connection::open(path).map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(fail)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(fail)?;
        if version > schema::VERSION {
            return Err(Error::History {
                path: path.to_path_buf(),
                message: format!(
                    "written by a newer whymiss (schema {version}; this one reads {})",
                    schema::VERSION
                ),
            });
        }
        if version == 0 {
            let empty: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(fail)?;
            if empty != 0 {
                return Err(Error::History {
                    path: path.to_path_buf(),
                    message: "not a whymiss history (an SQLite file with other tables)".into(),
                });
            }
            if !create {
                return Err(Error::NoRecord(format!(
                    "the history at {} holds no records yet",
                    path.display()
                )));
            }
            conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL;")
                .map_err(fail)?;
        }
        // WAL: a commit appends to the log without syncing the database file (a record costs a
        // few milliseconds); the log is folded back and removed when the last connection
        // closes, so the history stays one file between runs.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )
        .map_err(fail)?;
        if version == 0 {
            conn.execute_batch(schema::CREATE).map_err(fail)?;
            conn.execute_batch(&format!("PRAGMA user_version = {}", schema::VERSION))
                .map_err(fail)?;
        }
        Ok(History {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn fail(&self, e: rusqlite::Error) -> Error {
        Error::History {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// The size of the history file in bytes (pages in use).
    pub fn size(&self) -> Result<u64, Error> {
        let pages: i64 = self
            .conn
            .query_row(
                "SELECT page_count - freelist_count FROM pragma_page_count, pragma_freelist_count",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.fail(e))?;
        let size: i64 = self
            .conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .map_err(|e| self.fail(e))?;
        Ok((pages * size) as u64)
    }

    /// Of these 15-byte keys, the ones whose inputs the history holds.
    pub fn known_inputs(&self, shorts: &[[u8; 15]]) -> Result<HashSet<[u8; 15]>, Error> {
        let run = || -> Sql<HashSet<[u8; 15]>> {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT lines IS NOT NULL FROM action WHERE short = ?1")?;
            let mut out = HashSet::new();
            for s in shorts {
                let known: Option<bool> = stmt.query_row([&s[..]], |r| r.get(0)).optional()?;
                if known == Some(true) {
                    out.insert(*s);
                }
            }
            Ok(out)
        };
        run().map_err(|e| self.fail(e))
    }

    /// Stores a record; returns its id.
    pub fn insert(&mut self, record: &Record) -> Result<i64, Error> {
        let path = self.path.clone();
        insert_record(&mut self.conn, record).map_err(|e| Error::History {
            path,
            message: e.to_string(),
        })
    }

    /// Keeps the newest `keep` records of `module` and deletes the rest, with the keys no
    /// remaining record observed and the lines no remaining key uses.
    pub fn prune(&mut self, module: &str, keep: usize) -> Result<Pruned, Error> {
        let path = self.path.clone();
        prune(&mut self.conn, module, keep).map_err(|e| Error::History {
            path,
            message: e.to_string(),
        })
    }

    /// Records, newest first: of `module`, or of every module.
    pub fn records(&self, module: Option<&str>) -> Result<Vec<RecordSummary>, Error> {
        let run = || -> Sql<Vec<RecordSummary>> {
            let mut stmt = self.conn.prepare(
                "SELECT r.id, r.module, r.dir, r.started_ms, r.duration_ms, r.command,
                        r.go_version, r.exit_status,
                        (SELECT count(*) FROM invocation i WHERE i.record_id = r.id),
                        (SELECT count(*) FROM observation o JOIN invocation i ON i.id = o.invocation_id
                           JOIN action a ON a.id = o.action_id
                         WHERE i.record_id = r.id AND a.work IN (?2, ?3)),
                        (SELECT count(*) FROM observation o JOIN invocation i ON i.id = o.invocation_id
                           JOIN action a ON a.id = o.action_id
                         WHERE i.record_id = r.id AND a.work IN (?2, ?3) AND o.outcome = ?4)
                 FROM record r WHERE ?1 IS NULL OR r.module = ?1 ORDER BY r.id DESC",
            )?;
            let rows = stmt.query_map(
                params![
                    module,
                    Work::Build.code(),
                    Work::Test.code(),
                    Outcome::Hit.code()
                ],
                |r| {
                    let actions: i64 = r.get(9)?;
                    let hits: i64 = r.get(10)?;
                    Ok(RecordSummary {
                        id: r.get(0)?,
                        module: r.get(1)?,
                        dir: r.get(2)?,
                        started_ms: r.get(3)?,
                        duration_ms: r.get(4)?,
                        command: r.get(5)?,
                        go_version: r.get(6)?,
                        exit_status: r.get(7)?,
                        invocations: r.get::<_, i64>(8)? as u64,
                        actions: actions as u64,
                        hits: hits as u64,
                        ran: (actions - hits) as u64,
                    })
                },
            )?;
            rows.collect()
        };
        run().map_err(|e| self.fail(e))
    }

    /// The newest record of `module`.
    pub fn latest(&self, module: &str) -> Result<Option<i64>, Error> {
        self.conn
            .query_row(
                "SELECT max(id) FROM record WHERE module = ?1",
                [module],
                |r| r.get(0),
            )
            .map_err(|e| self.fail(e))
    }

    /// The record `offset` places before `id` in the same module (`latest~1`).
    pub fn before(&self, id: i64, offset: usize) -> Result<Option<i64>, Error> {
        self.conn
            .query_row(
                "SELECT id FROM record WHERE module = (SELECT module FROM record WHERE id = ?1)
                 AND id <= ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2",
                params![id, offset as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.fail(e))
    }

    /// A whole record (inputs not loaded: see [`History::log_of`]).
    pub fn load(&self, id: i64) -> Result<Option<Loaded>, Error> {
        load(&self.conn, id).map_err(|e| self.fail(e))
    }

    /// Earlier observations of the action stored as row `action`, in records before `record`,
    /// newest first.
    pub fn sightings(&self, action: i64, record: i64) -> Result<Vec<Sighting>, Error> {
        let run = || -> Sql<Vec<Sighting>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT r.id, r.started_ms, r.command, o.outcome, o.put_outcome
                 FROM observation o JOIN invocation i ON i.id = o.invocation_id
                 JOIN record r ON r.id = i.record_id
                 WHERE o.action_id = ?1 AND r.id < ?2 ORDER BY r.id DESC, i.seq DESC",
            )?;
            let rows = stmt.query_map(params![action, record], |r| {
                Ok(Sighting {
                    record: r.get(0)?,
                    started_ms: r.get(1)?,
                    command: r.get(2)?,
                    outcome: Outcome::from_code(r.get(3)?).unwrap_or(Outcome::Ran),
                    put: r
                        .get::<_, Option<i64>>(4)?
                        .and_then(RequestOutcome::from_code),
                })
            })?;
            rows.collect()
        };
        run().map_err(|e| self.fail(e))
    }

    /// Whether a record before `record` had the cache program store `key` (any request, any
    /// action or subkey): the newest such record.
    pub fn stored_before(&self, key: &Digest, record: i64) -> Result<Option<i64>, Error> {
        self.conn
            .query_row(
                "SELECT max(i.record_id) FROM backend_request q JOIN invocation i ON i.id = q.invocation_id
                 WHERE q.key = ?1 AND q.kind = ?2 AND q.outcome = ?3 AND i.record_id < ?4",
                params![
                    &key.0[..],
                    RequestKind::Put.code(),
                    RequestOutcome::Stored.code(),
                    record
                ],
                |r| r.get(0),
            )
            .map_err(|e| self.fail(e))
    }

    /// The newest invocation, in a record of `module` before `record`, that observed an
    /// action named `name` (same variant). Among several in one record, the one with the same
    /// arguments as `argv`, else the last.
    pub fn baseline(
        &self,
        name: &str,
        variant: Variant,
        module: &str,
        record: i64,
        argv: &str,
    ) -> Result<Option<Baseline>, Error> {
        let run = || -> Sql<Option<Baseline>> {
            let mut stmt = self.conn.prepare_cached(
                "SELECT r.id, i.id, a.lines IS NOT NULL
                 FROM name n JOIN action a ON a.name_id = n.id
                 JOIN observation o ON o.action_id = a.id
                 JOIN invocation i ON i.id = o.invocation_id
                 JOIN record r ON r.id = i.record_id
                 WHERE n.text = ?1 AND a.variant = ?2 AND r.module = ?3 AND r.id < ?4
                 ORDER BY r.id DESC, a.lines IS NOT NULL DESC, i.argv = ?5 DESC, i.seq DESC
                 LIMIT 1",
            )?;
            stmt.query_row(params![name, variant.code(), module, record, argv], |r| {
                Ok(Baseline {
                    record: r.get(0)?,
                    invocation: r.get(1)?,
                    has_inputs: r.get(2)?,
                })
            })
            .optional()
        };
        run().map_err(|e| self.fail(e))
    }

    /// The invocation of record `record` to compare an invocation with arguments `argv` with:
    /// the one with the same arguments, else the one that observed `name`, else the first.
    pub fn invocation_like(
        &self,
        record: i64,
        argv: &str,
        name: &str,
    ) -> Result<Option<i64>, Error> {
        self.conn
            .query_row(
                "SELECT i.id FROM invocation i WHERE i.record_id = ?1
                 ORDER BY i.argv = ?2 DESC,
                   EXISTS (SELECT 1 FROM observation o JOIN action a ON a.id = o.action_id
                           JOIN name n ON n.id = a.name_id
                           WHERE o.invocation_id = i.id AND n.text = ?3) DESC,
                   i.seq
                 LIMIT 1",
                params![record, argv, name],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.fail(e))
    }

    /// The gocachehash output of an invocation, rebuilt from the stored inputs: every block
    /// whose inputs are known, then each test's lines. Parsing it gives back the blocks
    /// (verified by their SHA-256) and the test-cache decisions.
    pub fn log_of(&self, invocation: i64) -> Result<Vec<u8>, Error> {
        log_of(&self.conn, invocation).map_err(|e| self.fail(e))
    }

    /// When a record started and what it ran.
    pub fn record_head(&self, id: i64) -> Result<Option<(i64, String)>, Error> {
        self.conn
            .query_row(
                "SELECT started_ms, command FROM record WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.fail(e))
    }

    /// A record's `go env` values.
    pub fn record_env(&self, id: i64) -> Result<Option<BTreeMap<String, String>>, Error> {
        self.conn
            .query_row("SELECT env FROM record WHERE id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .map(|o| o.map(|s| from_json(&s)))
            .map_err(|e| self.fail(e))
    }

    /// The record and invocation an invocation row belongs to.
    pub fn invocation_record(&self, invocation: i64) -> Result<Option<(i64, u32)>, Error> {
        self.conn
            .query_row(
                "SELECT record_id, seq FROM invocation WHERE id = ?1",
                [invocation],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.fail(e))
    }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn from_json<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

fn insert_record(conn: &mut Connection, record: &Record) -> Sql<i64> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO record (module, dir, started_ms, duration_ms, command, go_version, exit_status, env, host)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            record.module,
            record.dir,
            record.started_ms,
            record.duration_ms,
            record.command,
            record.go_version,
            record.exit_status,
            json(&record.env),
            record.host
        ],
    )?;
    let record_id = tx.last_insert_rowid();
    let mut interner = Interner::default();
    for inv in &record.invocations {
        tx.execute(
            "INSERT INTO invocation (record_id, seq, argv, dir, env, go_version, exit_status,
               started_ms, duration_ms, method, not_reached, uncached_tests, notes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                record_id,
                inv.seq,
                json(&inv.argv),
                inv.dir,
                json(&inv.env),
                inv.go_version,
                inv.exit_status,
                inv.started_ms,
                inv.duration_ms,
                inv.method.code(),
                inv.not_reached,
                json(&inv.uncached_tests),
                json(&inv.notes)
            ],
        )?;
        let inv_id = tx.last_insert_rowid();
        for a in &inv.actions {
            let action_id = upsert_action(&tx, &mut interner, a)?;
            let b = a.backend.unwrap_or_default();
            tx.prepare_cached(
                "INSERT OR IGNORE INTO observation (invocation_id, action_id, outcome, duration_ms,
                   detail, get_outcome, put_outcome, get_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                inv_id,
                action_id,
                a.outcome.code(),
                a.duration_ms.map(|d| d as i64),
                a.detail,
                b.get.map(Code::code),
                b.put.map(Code::code),
                b.get_us.map(|u| u as i64)
            ])?;
        }
        if let Some(s) = &inv.backend {
            tx.execute(
                "INSERT INTO backend (invocation_id, program, gets, hits, misses, get_errors, puts,
                   put_errors, unanswered, bytes_got, bytes_put, p50_us, p99_us, max_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    inv_id,
                    s.program,
                    s.gets as i64,
                    s.hits as i64,
                    s.misses as i64,
                    s.get_errors as i64,
                    s.puts as i64,
                    s.put_errors as i64,
                    s.unanswered as i64,
                    s.bytes_got as i64,
                    s.bytes_put as i64,
                    s.p50_us as i64,
                    s.p99_us as i64,
                    s.max_us as i64
                ],
            )?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO backend_request (invocation_id, seq, kind, outcome, key, size, latency_us, err)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for (seq, q) in s.requests.iter().enumerate() {
                stmt.execute(params![
                    inv_id,
                    seq as i64,
                    q.kind.code(),
                    q.outcome.code(),
                    &q.key.0[..],
                    q.size,
                    q.latency_us as i64,
                    q.err
                ])?;
            }
        }
    }
    tx.commit()?;
    Ok(record_id)
}

/// Interned ids of names and lines seen in this transaction.
#[derive(Default)]
struct Interner {
    names: HashMap<String, i64>,
    lines: HashMap<String, i64>,
}

fn intern(
    tx: &rusqlite::Transaction<'_>,
    cache: &mut HashMap<String, i64>,
    table: &str,
    text: &str,
) -> Sql<i64> {
    if let Some(&id) = cache.get(text) {
        return Ok(id);
    }
    let found: Option<i64> = tx
        .prepare_cached(&format!("SELECT id FROM {table} WHERE text = ?1"))?
        .query_row([text], |r| r.get(0))
        .optional()?;
    let id = match found {
        Some(id) => id,
        None => {
            tx.prepare_cached(&format!("INSERT INTO {table} (text) VALUES (?1)"))?
                .execute([text])?;
            tx.last_insert_rowid()
        }
    };
    cache.insert(text.to_string(), id);
    Ok(id)
}

/// The row of an action's key: found by its 15 bytes, completed with its full key and inputs
/// when this observation knows them and the row does not; inserted when new.
fn upsert_action(
    tx: &rusqlite::Transaction<'_>,
    interner: &mut Interner,
    a: &Observed,
) -> Sql<i64> {
    let existing: Option<(i64, bool, bool)> = tx
        .prepare_cached(
            "SELECT id, key IS NOT NULL, lines IS NOT NULL FROM action WHERE short = ?1",
        )?
        .query_row([&a.key.short[..]], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let lines = |interner: &mut Interner| -> Sql<Option<Vec<u8>>> {
        let Some(inputs) = &a.inputs else {
            return Ok(None);
        };
        let texts = match inputs {
            Inputs::Block { pieces } => pieces,
            Inputs::Lines(lines) => lines,
        };
        let mut blob = Vec::with_capacity(texts.len() * 2);
        for t in texts {
            let id = intern(tx, &mut interner.lines, "line", t)?;
            put_varint(&mut blob, id as u64);
        }
        Ok(Some(blob))
    };
    let full = a.key.full.map(|d| d.0.to_vec());
    match existing {
        Some((id, has_key, has_lines)) => {
            if !has_lines && a.inputs.is_some() {
                let name_id = intern(tx, &mut interner.names, "name", &a.name)?;
                let blob = lines(interner)?;
                tx.prepare_cached(
                    "UPDATE action SET key = coalesce(?2, key), name_id = ?3, variant = ?4,
                       lines = ?5, exact = ?6 WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    full,
                    name_id,
                    a.variant.code(),
                    blob,
                    a.exact
                ])?;
            } else if !has_key && full.is_some() {
                tx.prepare_cached("UPDATE action SET key = ?2 WHERE id = ?1")?
                    .execute(params![id, full])?;
            }
            Ok(id)
        }
        None => {
            let name_id = intern(tx, &mut interner.names, "name", &a.name)?;
            let blob = lines(interner)?;
            tx.prepare_cached(
                "INSERT INTO action (short, key, work, name_id, variant, lines, exact)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                &a.key.short[..],
                full,
                a.work.code(),
                name_id,
                a.variant.code(),
                blob,
                a.exact
            ])?;
            Ok(tx.last_insert_rowid())
        }
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varints(mut b: &[u8]) -> Vec<u64> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let mut v = 0u64;
        let mut shift = 0;
        while let Some((&byte, rest)) = b.split_first() {
            b = rest;
            v |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 || shift > 63 {
                break;
            }
        }
        out.push(v);
    }
    out
}

fn prune(conn: &mut Connection, module: &str, keep: usize) -> Sql<Pruned> {
    let tx = conn.transaction()?;
    let records = tx.execute(
        "DELETE FROM record WHERE module = ?1 AND id NOT IN
           (SELECT id FROM record WHERE module = ?1 ORDER BY id DESC LIMIT ?2)",
        params![module, keep as i64],
    )? as u64;
    let mut pruned = Pruned {
        records,
        ..Pruned::default()
    };
    if records > 0 {
        pruned.actions = tx.execute(
            "DELETE FROM action WHERE NOT EXISTS
               (SELECT 1 FROM observation o WHERE o.action_id = action.id)",
            [],
        )? as u64;
    }
    if pruned.actions > 0 {
        let mut used: HashSet<u64> = HashSet::new();
        {
            let mut stmt = tx.prepare("SELECT lines FROM action WHERE lines IS NOT NULL")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let blob: Vec<u8> = row.get(0)?;
                used.extend(varints(&blob));
            }
        }
        let all: Vec<i64> = {
            let mut stmt = tx.prepare("SELECT id FROM line")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Sql<Vec<i64>>>()?
        };
        let mut del = tx.prepare("DELETE FROM line WHERE id = ?1")?;
        for id in all {
            if !used.contains(&(id as u64)) {
                del.execute([id])?;
                pruned.lines += 1;
            }
        }
        drop(del);
        tx.execute(
            "DELETE FROM name WHERE NOT EXISTS (SELECT 1 FROM action a WHERE a.name_id = name.id)",
            [],
        )?;
    }
    tx.commit()?;
    if pruned.records > 0 {
        conn.execute_batch("PRAGMA incremental_vacuum;")?;
    }
    Ok(pruned)
}

fn load(conn: &Connection, id: i64) -> Sql<Option<Loaded>> {
    let Some(mut record) = conn
        .query_row(
            "SELECT id, module, dir, started_ms, duration_ms, command, go_version, exit_status, env, host
             FROM record WHERE id = ?1",
            [id],
            |r| {
                Ok(Record {
                    id: r.get(0)?,
                    module: r.get(1)?,
                    dir: r.get(2)?,
                    started_ms: r.get(3)?,
                    duration_ms: r.get(4)?,
                    command: r.get(5)?,
                    go_version: r.get(6)?,
                    exit_status: r.get(7)?,
                    env: from_json::<BTreeMap<String, String>>(&r.get::<_, String>(8)?),
                    host: r.get(9)?,
                    invocations: Vec::new(),
                })
            },
        )
        .optional()?
    else {
        return Ok(None);
    };
    let mut invocation_rows = Vec::new();
    let mut action_rows = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT id, seq, argv, dir, env, go_version, exit_status, started_ms, duration_ms, method,
                not_reached, uncached_tests, notes
         FROM invocation WHERE record_id = ?1 ORDER BY seq",
    )?;
    let invs: Vec<(i64, Invocation)> = stmt
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                Invocation {
                    seq: r.get(1)?,
                    argv: from_json(&r.get::<_, String>(2)?),
                    dir: r.get(3)?,
                    env: from_json(&r.get::<_, String>(4)?),
                    go_version: r.get(5)?,
                    exit_status: r.get(6)?,
                    started_ms: r.get(7)?,
                    duration_ms: r.get(8)?,
                    method: Method::from_code(r.get(9)?).unwrap_or(Method::ActionGraph),
                    actions: Vec::new(),
                    not_reached: r.get(10)?,
                    uncached_tests: from_json(&r.get::<_, String>(11)?),
                    notes: from_json(&r.get::<_, String>(12)?),
                    backend: None,
                },
            ))
        })?
        .collect::<Sql<_>>()?;
    let mut obs = conn.prepare_cached(
        "SELECT a.id, a.short, a.key, a.work, n.text, a.variant, a.lines IS NOT NULL, a.exact,
                o.outcome, o.duration_ms, o.detail, o.get_outcome, o.put_outcome, o.get_us
         FROM observation o JOIN action a ON a.id = o.action_id JOIN name n ON n.id = a.name_id
         WHERE o.invocation_id = ?1 ORDER BY a.id",
    )?;
    for (inv_id, mut inv) in invs {
        let mut rows = Vec::new();
        let actions = obs
            .query_map([inv_id], |r| {
                let short: Vec<u8> = r.get(1)?;
                let key: Option<Vec<u8>> = r.get(2)?;
                let get: Option<i64> = r.get(11)?;
                let put: Option<i64> = r.get(12)?;
                let get_us: Option<i64> = r.get(13)?;
                let backend = (get.is_some() || put.is_some()).then(|| Backend {
                    get: get.and_then(RequestOutcome::from_code),
                    put: put.and_then(RequestOutcome::from_code),
                    get_us: get_us.map(|u| u as u64),
                });
                let mut short15 = [0u8; 15];
                if short.len() == 15 {
                    short15.copy_from_slice(&short);
                }
                Ok((
                    (r.get::<_, i64>(0)?, r.get::<_, bool>(6)?),
                    Observed {
                        key: ActionKey {
                            short: short15,
                            full: key.and_then(|k| <[u8; 32]>::try_from(k).ok()).map(Digest),
                        },
                        work: Work::from_code(r.get(3)?).unwrap_or(Work::Build),
                        name: r.get(4)?,
                        variant: Variant::from_code(r.get(5)?).unwrap_or(Variant::Normal),
                        outcome: Outcome::from_code(r.get(8)?).unwrap_or(Outcome::Ran),
                        duration_ms: r.get::<_, Option<i64>>(9)?.map(|d| d as u64),
                        detail: r.get(10)?,
                        backend,
                        inputs: None,
                        exact: r.get(7)?,
                    },
                ))
            })?
            .collect::<Sql<Vec<_>>>()?;
        for (row, o) in actions {
            rows.push(row);
            inv.actions.push(o);
        }
        inv.backend = load_backend(conn, inv_id)?;
        invocation_rows.push(inv_id);
        action_rows.push(rows);
        record.invocations.push(inv);
    }
    Ok(Some(Loaded {
        record,
        invocation_rows,
        action_rows,
    }))
}

fn load_backend(conn: &Connection, inv: i64) -> Sql<Option<BackendSummary>> {
    let Some(mut s) = conn
        .query_row(
            "SELECT program, gets, hits, misses, get_errors, puts, put_errors, unanswered,
                    bytes_got, bytes_put, p50_us, p99_us, max_us
             FROM backend WHERE invocation_id = ?1",
            [inv],
            |r| {
                let n = |i: usize| r.get::<_, i64>(i).map(|v| v as u64);
                Ok(BackendSummary {
                    program: r.get(0)?,
                    gets: n(1)?,
                    hits: n(2)?,
                    misses: n(3)?,
                    get_errors: n(4)?,
                    puts: n(5)?,
                    put_errors: n(6)?,
                    unanswered: n(7)?,
                    bytes_got: n(8)?,
                    bytes_put: n(9)?,
                    p50_us: n(10)?,
                    p99_us: n(11)?,
                    max_us: n(12)?,
                    requests: Vec::new(),
                })
            },
        )
        .optional()?
    else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT kind, outcome, key, size, latency_us, err FROM backend_request
         WHERE invocation_id = ?1 ORDER BY seq",
    )?;
    s.requests = stmt
        .query_map([inv], |r| {
            let key: Vec<u8> = r.get(2)?;
            Ok(BackendRequest {
                kind: RequestKind::from_code(r.get(0)?).unwrap_or(RequestKind::Get),
                outcome: RequestOutcome::from_code(r.get(1)?).unwrap_or(RequestOutcome::Error),
                key: Digest(<[u8; 32]>::try_from(key).unwrap_or([0; 32])),
                size: r.get(3)?,
                latency_us: r.get::<_, i64>(4)? as u64,
                err: r.get(5)?,
            })
        })?
        .collect::<Sql<Vec<_>>>()?;
    Ok(Some(s))
}

fn log_of(conn: &Connection, invocation: i64) -> Sql<Vec<u8>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.work, n.text, a.key, a.lines FROM observation o
         JOIN action a ON a.id = o.action_id JOIN name n ON n.id = a.name_id
         WHERE o.invocation_id = ?1 AND a.lines IS NOT NULL ORDER BY a.id",
    )?;
    type Row = (i64, String, Option<Vec<u8>>, Vec<u8>);
    let rows: Vec<Row> = stmt
        .query_map([invocation], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Sql<_>>()?;
    let mut texts: HashMap<u64, String> = HashMap::new();
    let mut line = conn.prepare_cached("SELECT text FROM line WHERE id = ?1")?;
    let mut blocks = Vec::new();
    let mut tests = Vec::new();
    for (work, name, key, blob) in rows {
        let mut pieces = Vec::new();
        for id in varints(&blob) {
            let text = match texts.entry(id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(line.query_row([id as i64], |r| r.get(0))?)
                }
            };
            pieces.push(text.clone());
        }
        match Work::from_code(work) {
            Some(Work::Test) => {
                for l in pieces {
                    tests.extend_from_slice(l.as_bytes());
                    tests.push(b'\n');
                }
            }
            Some(Work::Build | Work::Link) | None => {
                let Some(key) = key.and_then(|k| <[u8; 32]>::try_from(k).ok()) else {
                    continue;
                };
                render_block(&name, &pieces, &Digest(key), &mut blocks);
            }
        }
    }
    blocks.extend_from_slice(&tests);
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let values = [0u64, 1, 127, 128, 300, 16_384, u32::MAX as u64, 1 << 40];
        let mut blob = Vec::new();
        for v in values {
            put_varint(&mut blob, v);
        }
        assert_eq!(varints(&blob), values);
    }
}
