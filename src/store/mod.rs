//! The only place that knows sled and bincode.
//!
//! Trees (key layout beside each; integers big-endian, see `keys.rs`):
//! - `meta`                 b"schema" -> u32 schema version; b"next_id" -> u64 last id given
//! - `meta` (more)          b"kept:" ++ staff id (8) -> KeptContact (unsaved when doorlog
//!   stopped); b"rewrite_due" -> () (an erasure's rewrite not yet done);
//!   b"notes_swept_before", b"compacted_at" (the privacy sweep's state)
//! - `visitorid_visitor`    visitor id (8) -> Visitor
//! - `aliasfold_visitorid`  folded alias (utf-8) -> visitor id (8), active visitors only
//! - `code_visitorid`       anonymous code (utf-8) -> visitor id (8), active visitors only
//! - `dayseq_contact`       service day (4) ++ number in day (4) -> Contact
//! - `day_record`           service day (4) -> DayRecord (counts, visitors seen, last
//!   number), for a closed day
//! - `open_day`             service day (4) -> last number, new visitors, edits (3 x u32),
//!   for a day still going on: its counts are its contacts' (see `days.rs`)
//! - `lastseen_visitor`     day last seen or registered (4) ++ visitor id (8) -> (), active
//!   visitors: the privacy rule reads only those due
//! - `linkedvisitor_visitor` visitor id (8) -> visitor id (8): a record linked into another
//! - `stockat_move`         unix time (8, sign flipped) ++ seq (8) -> StockMove (deliveries,
//!   counts); `meta` b"level:" ++ item id -> u32 low-stock level
//! - `visitornote_contact`  visitor id (8) ++ day (4) ++ number (4) -> (), contacts with a note
//! - `visitormsg_message`   visitor id (8) ++ message id (8) -> Message (to pass on)
//! - `auditat_entry`        unix time (8, sign flipped) ++ seq (8) -> AuditEntry
//! - `staffid_staff`        staff id (8) -> Staff
//!
//! Few trees with few small entries on purpose: sled keeps memory per page,
//! so every index costs resident memory on a large store.
//!
//! Every value is `codec::encode`d (version byte + bincode). A write that
//! returns `Ok` has been flushed to disk.

mod backup;
mod check;
pub mod codec;
mod contacts;
mod days;
mod desk;
mod error;
pub mod keys;
mod link;
mod marker;
mod messages;
mod migrate;
mod privacy;
mod rewrite;
mod staff;
pub mod stock;
mod visitors;

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use time::Date;

use crate::domain::AuditEntry;

pub use backup::{daily_backup_name, newest_daily_backup, restore, rotate_backups};
pub use check::CheckReport;
pub(crate) use days::DayRecord;
pub use error::{Result, StoreError};
pub use link::Linked;
pub use migrate::SCHEMA_VERSION;
pub use privacy::{PrivacyPolicy, SweepReport};
pub use rewrite::Rewrite;
pub use staff::{SignIn, StaffChange};

/// The directory inside the data directory that holds sled's files.
pub const STORE_SUBDIR: &str = "store";
const LOCK_FILE: &str = "doorlog.lock";
const NEXT_ID: &[u8] = b"next_id";

#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// sled's page cache; sled's own default is 1 GiB. 8 MiB holds what
    /// the door screen works on (today, the visitors it opens); a larger
    /// cache made a first privacy sweep over ten years hold 40 MB more and
    /// run slower (`cargo bench --bench door`).
    pub cache_bytes: u64,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            cache_bytes: 8 * 1024 * 1024,
        }
    }
}

pub(crate) struct Trees {
    meta: sled::Tree,
    visitors: sled::Tree,
    alias_idx: sled::Tree,
    code_idx: sled::Tree,
    contacts: sled::Tree,
    days: sled::Tree,
    open_days: sled::Tree,
    links: sled::Tree,
    stock: sled::Tree,
    last_seen: sled::Tree,
    visitor_notes: sled::Tree,
    audit: sled::Tree,
    staff: sled::Tree,
    messages: sled::Tree,
}

pub(crate) const TREE_NAMES: [&str; 14] = [
    "meta",
    "visitorid_visitor",
    "aliasfold_visitorid",
    "code_visitorid",
    "dayseq_contact",
    "day_record",
    "visitornote_contact",
    "auditat_entry",
    "staffid_staff",
    "visitormsg_message",
    "open_day",
    "lastseen_visitor",
    "linkedvisitor_visitor",
    "stockat_move",
];

impl Trees {
    fn open(db: &sled::Db) -> sled::Result<Trees> {
        let t = |i: usize| db.open_tree(TREE_NAMES[i]);
        Ok(Trees {
            meta: t(0)?,
            visitors: t(1)?,
            alias_idx: t(2)?,
            code_idx: t(3)?,
            contacts: t(4)?,
            days: t(5)?,
            visitor_notes: t(6)?,
            audit: t(7)?,
            staff: t(8)?,
            messages: t(9)?,
            open_days: t(10)?,
            last_seen: t(11)?,
            links: t(12)?,
            stock: t(13)?,
        })
    }
}

/// An open store. Only one process at a time may hold it.
pub struct Store {
    /// First, so it runs first at close: records what the store holds.
    on_close: marker::OnClose,
    dir: PathBuf,
    db: sled::Db,
    t: Trees,
    /// sled's log file, for a full `fdatasync` after sled's own flush.
    log_file: File,
    _lock: File,
    /// A copy opened for reading because the disk was full; removed last.
    _scratch: Option<ScratchDir>,
    /// Records decoded since opening (`records_decoded`).
    decoded: std::sync::atomic::AtomicU64,
}

/// A copy of a store made to read it when its own disk is full (sled
/// cannot open without writing): deleted when the store closes.
struct ScratchDir(PathBuf);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Takes the data directory's lock, so a second doorlog gets a clear
/// message instead of a second writer on the same files.
pub fn lock_dir(dir: &Path) -> Result<File> {
    let io = |source| StoreError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(StoreError::Locked {
            dir: dir.to_path_buf(),
        }),
        Err(TryLockError::Error(e)) => Err(io(e)),
    }
}

impl Store {
    /// Opens (or creates) the store in a data directory.
    pub fn open(dir: &Path, opts: &StoreOptions) -> Result<Store> {
        let lock = retry_locked(|| lock_dir(dir))?;
        Store::open_locked(dir, lock, opts)
    }

    /// Opens a store that must already exist (read-only commands): a
    /// mistyped data directory is said, not answered with an empty store.
    pub fn open_existing(dir: &Path, opts: &StoreOptions) -> Result<Store> {
        if !Store::exists(dir) {
            // A store that was there and lost its files is damaged, not
            // missing.
            marker::check_files(dir)?;
            return Err(StoreError::Missing {
                dir: dir.to_path_buf(),
            });
        }
        Store::open(dir, opts)
    }

    /// Opens a store to read from it (export, lists, backup). When its disk
    /// is full, sled cannot open it in place, so a copy in `scratch` (a
    /// directory on another disk; the system's temporary one by default)
    /// is read instead, and removed afterwards: data can be copied off a
    /// full disk.
    pub fn open_for_reading(
        dir: &Path,
        opts: &StoreOptions,
        scratch: Option<&Path>,
    ) -> Result<Store> {
        match Store::open_existing(dir, opts) {
            Err(StoreError::DiskFull { .. }) => {}
            Err(StoreError::Io { source, .. }) if is_disk_full(&source) => {}
            other => return other,
        }
        let parent = scratch.map_or_else(std::env::temp_dir, Path::to_path_buf);
        let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        let copy = parent.join(format!("doorlog-read-{}-{nanos}", std::process::id()));
        let io = |source| StoreError::Io {
            dir: copy.clone(),
            source,
        };
        std::fs::create_dir_all(&copy).map_err(io)?;
        let guard = ScratchDir(copy.clone());
        let lock = lock_dir(dir)?;
        copy_files(&dir.join(STORE_SUBDIR), &copy.join(STORE_SUBDIR)).map_err(io)?;
        for name in ["config.json", "catalog.json"] {
            if dir.join(name).is_file() {
                std::fs::copy(dir.join(name), copy.join(name)).map_err(io)?;
            }
        }
        drop(lock);
        let mut store = Store::open(&copy, opts)?;
        store._scratch = Some(guard);
        Ok(store)
    }

    /// Has this data directory a store (sled's files, or a store set aside
    /// by a rewrite that was cut short, which the next open puts back)?
    pub fn exists(dir: &Path) -> bool {
        [STORE_SUBDIR.to_string(), format!("{STORE_SUBDIR}.old")]
            .iter()
            .any(|d| dir.join(d).join("db").is_file())
    }

    pub(crate) fn open_locked(dir: &Path, lock: File, opts: &StoreOptions) -> Result<Store> {
        privacy::finish_interrupted_compaction(dir)?;
        drop_unfinished_snapshots(&dir.join(STORE_SUBDIR));
        // A store known to hold data must still have its files, before
        // sled opens it (and would start afresh without them).
        marker::check_files(dir)?;
        // We hold the data directory's lock, so no other doorlog is using
        // the store: if sled still finds its own file lock taken, a store
        // closed a moment ago is finishing (sled's threads let go a little
        // after the close). Wait for it, briefly.
        let db = retry_locked(|| open_sled(dir, &dir.join(STORE_SUBDIR), opts))?;
        let t = Trees::open(&db).map_err(|e| sled_error(dir, e))?;
        let log_file =
            File::open(dir.join(STORE_SUBDIR).join("db")).map_err(|source| StoreError::Io {
                dir: dir.to_path_buf(),
                source,
            })?;
        let store = Store {
            on_close: marker::OnClose::new(dir, &db, &t),
            dir: dir.to_path_buf(),
            db,
            t,
            log_file,
            _lock: lock,
            _scratch: None,
            decoded: Default::default(),
        };
        // ... and hold at least what it held, before anything is written.
        if let Err(e) = marker::check_contents(&store) {
            store.keep_marker();
            return Err(e);
        }
        migrate::run(&store)?;
        Ok(store)
    }

    /// The marker stays as it was when this store closes (a store that
    /// came up short must not teach the marker its shortness).
    fn keep_marker(&self) {
        self.on_close.freeze();
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes everything to disk and waits for it. sled's flush on Linux
    /// uses `sync_file_range`, which leaves the data in the drive's volatile
    /// write cache (sled issue #1452); the `fdatasync` after it makes the
    /// write survive a power cut.
    pub fn flush(&self) -> Result<()> {
        self.db.flush().map_err(|e| self.err(e))?;
        self.log_file.sync_data().map_err(|source| StoreError::Io {
            dir: self.dir.clone(),
            source,
        })
    }

    /// How many records this store has decoded since it was opened: what
    /// a piece of work reads, for tests and benchmarks.
    pub fn records_decoded(&self) -> u64 {
        self.decoded.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Bytes of sled's files on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        self.db.size_on_disk().map_err(|e| self.err(e))
    }

    pub(crate) fn err(&self, e: sled::Error) -> StoreError {
        sled_error(&self.dir, e)
    }

    pub(crate) fn damaged(&self, what: impl std::fmt::Display) -> StoreError {
        StoreError::Damaged {
            dir: self.dir.clone(),
            detail: what.to_string(),
        }
    }

    pub(crate) fn decode<T: codec::Stored>(&self, tree: &str, bytes: &[u8]) -> Result<T> {
        self.decoded
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        codec::decode(bytes).map_err(|e| self.damaged(format_args!("a record in {tree}: {e}")))
    }

    /// The next id (1, 2, 3, ...), shared by every kind of record. sled's
    /// own `generate_id` jumps by a million at each start, which would make
    /// ids long for staff to read. Log order makes the counter durable
    /// before any record that uses its value.
    pub(crate) fn new_id(&self) -> Result<u64> {
        let next = self
            .t
            .meta
            .update_and_fetch(NEXT_ID, |old| {
                let n = old
                    .and_then(|b| b.try_into().ok())
                    .map(u64::from_be_bytes)
                    .unwrap_or(0);
                Some((n + 1).to_be_bytes().to_vec())
            })
            .map_err(|e| self.err(e))?;
        next.as_deref()
            .and_then(keys::id_from)
            .ok_or_else(|| self.damaged("the id counter"))
    }

    /// Different registered visitors seen from `from` to `to` (inclusive):
    /// unique over the whole range, not a sum of daily uniques.
    pub fn unique_visitors(&self, from: Date, to: Date) -> Result<u32> {
        let mut seen = std::collections::HashSet::new();
        for (_, c) in self.counts_range(from, to)? {
            seen.extend(c.visitors.into_keys());
        }
        Ok(seen.len() as u32)
    }

    /// Writes an event to the audit log (`export`, `lock`, `sign-in`, ...).
    pub fn log(
        &self,
        action: &str,
        staff: Option<u64>,
        target: Option<u64>,
        at: i64,
    ) -> Result<()> {
        let (key, value) = self.audit_record(&AuditEntry::about(at, staff, action, target))?;
        self.t.audit.insert(key, value).map_err(|e| self.err(e))?;
        self.flush()
    }

    /// An audit entry as key (time ++ a fresh number) and value, made before
    /// a transaction that inserts it along with the change it records.
    pub(crate) fn audit_record(&self, entry: &AuditEntry) -> Result<([u8; 16], Vec<u8>)> {
        Ok((
            keys::time_seq(entry.at, self.new_id()?),
            codec::encode(entry),
        ))
    }

    /// The newest `limit` entries of the audit log, newest first: what a
    /// screen shows, read without the rest of the log.
    pub fn audit_newest(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for kv in self.t.audit.iter().rev().take(limit) {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(self.decode("auditat_entry", &v)?);
        }
        Ok(out)
    }

    /// The audit log, oldest first, between two instants (unix seconds).
    pub fn audit(&self, from: i64, to: i64) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for kv in self
            .t
            .audit
            .range(keys::time_seq(from, 0)..=keys::time_seq(to, u64::MAX))
        {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(self.decode("auditat_entry", &v)?);
        }
        Ok(out)
    }
}

/// Tries again for up to two seconds while the store is locked. A lock can
/// outlive its holder for a moment: a process that closed the store may
/// still be letting go, and a program starting another one (a scheduler, a
/// test) can hold a copy of the lock until that one starts. A door screen
/// that really holds the store still gets `Locked` after the wait.
fn retry_locked<T>(mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let mut tries = 0;
    loop {
        match f() {
            Err(StoreError::Locked { .. }) if tries < 40 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// Opens sled, turning its errors and panics on damaged files into a clear
/// `Damaged` message.
fn open_sled(dir: &Path, path: &Path, opts: &StoreOptions) -> Result<sled::Db> {
    let config = sled::Config::new()
        .path(path)
        .cache_capacity(opts.cache_bytes)
        .mode(sled::Mode::LowSpace)
        .flush_every_ms(Some(1000));
    let opened = quietly(move || config.open());
    match opened {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(e)) => Err(sled_error(dir, e)),
        Err(_) => Err(StoreError::Damaged {
            dir: dir.to_path_buf(),
            detail: "sled could not read its files".into(),
        }),
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err` without printing it (sled panics on
/// some damaged files). The panic hook is wrapped once, process-wide, and
/// stays quiet only on this thread while `f` runs; other threads' panics
/// are reported as before.
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static WRAP: std::sync::Once = std::sync::Once::new();
    WRAP.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result
}

/// Copies a directory tree (a closed store's files).
fn copy_files(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_files(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}

/// sled writes a snapshot as `snap.N.generating`, then renames it. One
/// left behind (its writer stopped: a full disk, a kill) is empty or cut
/// short, and sled would take the store for corrupt; it is removed before
/// sled opens (we hold the lock: nobody is writing one).
fn drop_unfinished_snapshots(store: &Path) {
    let Ok(entries) = std::fs::read_dir(store) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// No space left on the device (sled sometimes passes it on as text).
pub fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.raw_os_error() == Some(28)
        || e.to_string().contains("No space left on device")
}

pub(crate) fn sled_error(dir: &Path, e: sled::Error) -> StoreError {
    match e {
        // sled's own file lock: taken by another process (its message is
        // the only sign; the kind is `Other`).
        sled::Error::Io(source)
            if source.kind() == std::io::ErrorKind::WouldBlock
                || source.to_string().contains("could not acquire lock") =>
        {
            StoreError::Locked {
                dir: dir.to_path_buf(),
            }
        }
        sled::Error::Io(source) if is_disk_full(&source) => StoreError::DiskFull {
            dir: dir.to_path_buf(),
        },
        sled::Error::Io(source) => StoreError::Io {
            dir: dir.to_path_buf(),
            source,
        },
        sled::Error::Corruption { .. } => StoreError::Damaged {
            dir: dir.to_path_buf(),
            detail: "sled found a corrupt page".into(),
        },
        other => StoreError::Damaged {
            dir: dir.to_path_buf(),
            detail: other.to_string(),
        },
    }
}
