//! The privacy rules the store enforces: notes are deleted after the
//! retention period, visitors unseen for long are anonymised, and
//! `compact` rewrites the store so that nothing deleted lingers in sled's
//! log-structured files.

use std::path::Path;

use sled::Transactional;
use sled::transaction::ConflictableTransactionError;
use time::{Date, Duration};

use super::visitors::tx_error;
use super::{Result, STORE_SUBDIR, Store, StoreError, codec, keys, sled_error};
use crate::domain::{Contact, ContactId};

/// Where the note sweep has got to: every contact before this day is done.
const NOTES_SWEPT: &[u8] = b"notes_swept_before";
/// When the files were last rewritten (unix seconds).
pub(crate) const COMPACTED_AT: &[u8] = b"compacted_at";
/// Set with an erasure, cleared in the rewritten store: an erasure whose
/// rewrite did not happen yet (a kill, a full disk).
pub(crate) const REWRITE_DUE: &[u8] = b"rewrite_due";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrivacyPolicy {
    /// Notes are deleted this many days after their service day.
    pub note_days: u32,
    /// Visitors not seen for this many days are anonymised.
    pub anonymise_days: u32,
}

impl Default for PrivacyPolicy {
    fn default() -> Self {
        PrivacyPolicy {
            note_days: 90,
            anonymise_days: 730,
        }
    }
}

/// What a sweep changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub notes_deleted: u64,
    /// The visitors anonymised (their ids), so a screen can drop them.
    pub anonymised: Vec<u64>,
}

impl SweepReport {
    pub fn changed(&self) -> bool {
        self.notes_deleted > 0 || !self.anonymised.is_empty()
    }
}

impl Store {
    /// The daily upkeep as of service day `today`: the days that are over
    /// are counted once (see `close_days_before`), then the retention rules
    /// are applied. Counts do not change. Safe to run any number of times;
    /// each run looks only at what is due.
    pub fn privacy_sweep(&self, today: Date, p: &PrivacyPolicy, at: i64) -> Result<SweepReport> {
        self.close_days_before(today)?;
        let mut report = SweepReport::default();
        let cutoff = today - Duration::days(i64::from(p.note_days));
        let from = match self.t.meta.get(NOTES_SWEPT).map_err(|e| self.err(e))? {
            Some(v) => keys::day_from(&v).unwrap_or(Date::MIN),
            None => Date::MIN,
        };
        if from < cutoff {
            // A chunk at a time, streamed: a first sweep goes through ten
            // years of contacts and must not hold them.
            let last = cutoff.previous_day().unwrap_or(cutoff);
            let mut chunk: Vec<ContactId> = Vec::with_capacity(500);
            for kv in self.t.contacts.range(keys::contact_range(from, last)) {
                let (_, v) = kv.map_err(|e| self.err(e))?;
                let c: Contact = self.decode("dayseq_contact", &v)?;
                if c.note.is_some() {
                    chunk.push(c.id());
                }
                if chunk.len() == 500 {
                    report.notes_deleted += self.clear_notes(&chunk)?;
                    chunk.clear();
                }
            }
            report.notes_deleted += self.clear_notes(&chunk)?;
            self.t
                .meta
                .insert(NOTES_SWEPT, &keys::day(cutoff))
                .map_err(|e| self.err(e))?;
        }
        let unseen_before = today - Duration::days(i64::from(p.anonymise_days));
        // Only those due are read: `lastseen_visitor` is in order of the
        // day each was last seen (never before registration, see
        // `Visitor::seen_or_registered`).
        let mut stale = Vec::new();
        for kv in self.t.last_seen.range(..keys::day(unseen_before)) {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            stale.push(
                keys::day_id_from(&k).ok_or_else(|| self.damaged("a key in lastseen_visitor"))?,
            );
        }
        for (n, &(day, id)) in stale.iter().enumerate() {
            // A visitor who came back or was erased meanwhile is skipped (a
            // key left for one that is gone is removed).
            if self.visitor(id)?.is_none_or(|v| v.erased) {
                self.t
                    .last_seen
                    .remove(keys::day_id(day, id))
                    .map_err(|e| self.err(e))?;
            } else if self.forget_visitor(id, None, at, "anonymise", Some(unseen_before))? {
                report.anonymised.push(id);
            }
            if n % 500 == 499 {
                self.flush()?;
            }
        }
        if report.changed() {
            self.log("privacy-sweep", None, None, at)?;
        }
        self.flush()?;
        Ok(report)
    }

    /// Deletes the notes of these contacts, read again inside the
    /// transaction (the door screen may have corrected one meanwhile), and
    /// writes them out: what is on disk can leave the memory again.
    fn clear_notes(&self, ids: &[ContactId]) -> Result<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        let t = &self.t;
        let cleared = (&t.contacts, &t.visitor_notes)
            .transaction(|(contacts, visitor_notes)| {
                let mut cleared = 0;
                for &id in ids {
                    let k = keys::contact(id);
                    let Some(v) = contacts.get(k)? else {
                        continue; // undone meanwhile
                    };
                    let mut c: Contact = self
                        .decode("dayseq_contact", &v)
                        .map_err(ConflictableTransactionError::Abort)?;
                    if c.note.take().is_some() {
                        contacts.insert(&k, codec::encode(&c))?;
                        cleared += 1;
                    }
                    if let Some(vid) = c.visitor {
                        visitor_notes.remove(&keys::visitor_contact(vid, id))?;
                    }
                }
                Ok(cleared)
            })
            .map_err(|e| tx_error(self, e))?;
        self.flush()?;
        Ok(cleared)
    }

    /// Is an erasure's rewrite still due (the process stopped before it)?
    pub fn rewrite_due(&self) -> Result<bool> {
        Ok(self
            .t
            .meta
            .get(REWRITE_DUE)
            .map_err(|e| self.err(e))?
            .is_some())
    }

    /// Does the rewrite an interrupted erasure promised, if one is due.
    pub fn finish_rewrite(self, opts: &super::StoreOptions) -> Result<(Store, bool)> {
        if self.rewrite_due()? {
            Ok((self.compact(opts)?, true))
        } else {
            Ok((self, false))
        }
    }

    /// Days since the files were last rewritten (`None`: never).
    pub fn days_since_compaction(&self, now: i64) -> Result<Option<i64>> {
        let at = self.t.meta.get(COMPACTED_AT).map_err(|e| self.err(e))?;
        Ok(at
            .and_then(|v| v.as_ref().try_into().ok().map(i64::from_be_bytes))
            .map(|t| (now - t) / 86_400))
    }

    /// Rewrites the whole store into fresh files and deletes the old ones,
    /// so erased aliases, codes and notes are gone from the disk too (sled
    /// keeps old versions in its log until it happens to rewrite them).
    /// The door screen does it beside its work (`start_rewrite`); this is
    /// the same, all at once, for commands.
    pub fn compact(self, opts: &super::StoreOptions) -> Result<Store> {
        self.begin_rewrite(opts, false, &|| false)?
            .expect("a rewrite that is never stopped finishes")
            .finish()?;
        self.take_rewrite(opts)
    }

    /// Puts a finished rewrite (`Rewrite::finish`) in the store's place and
    /// opens it; the old files are overwritten and deleted.
    pub fn take_rewrite(self, opts: &super::StoreOptions) -> Result<Store> {
        let dir = self.dir.clone();
        let fresh_path = super::rewrite::fresh_path(&dir);
        let io = |source| StoreError::Io {
            dir: dir.clone(),
            source,
        };
        // Only a copy that is there takes the store's place.
        if !fresh_path.join("db").is_file() {
            return Err(io(std::io::ErrorKind::NotFound.into()));
        }
        let Store {
            on_close,
            db,
            t,
            _lock: lock,
            log_file,
            dir: _,
            _scratch: _,
            decoded: _,
        } = self;
        // The rewritten store has new files: its marker is made afresh
        // when it closes.
        on_close.freeze();
        drop(on_close);
        super::marker::Marker::remove(&dir);
        drop(t);
        drop(log_file);
        db.flush().map_err(|e| sled_error(&dir, e))?;
        drop(db);
        let live = dir.join(STORE_SUBDIR);
        let old = dir.join(format!("{STORE_SUBDIR}.old"));
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(io)?;
        }
        std::fs::rename(&live, &old).map_err(io)?;
        std::fs::rename(&fresh_path, &live).map_err(io)?;
        // The new names on disk before the old files go.
        crate::files::sync_dir(&dir).map_err(io)?;
        remove_dir_overwriting(&old).map_err(io)?;
        Store::open_locked(&dir, lock, opts)
    }
}

/// A rewrite stopped by a crash or power cut is settled before opening:
/// with the old store set aside and no new one in place, the old one comes
/// back (it is complete); with both in place, the old one is removed.
/// A half-made copy (`store.compacting`, `store.restoring`,
/// `store.migrating`) is dropped.
pub(crate) fn finish_interrupted_compaction(dir: &Path) -> Result<()> {
    let io = |source| StoreError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    let live = dir.join(STORE_SUBDIR);
    let old = dir.join(format!("{STORE_SUBDIR}.old"));
    if old.exists() {
        if live.exists() {
            remove_dir_overwriting(&old).map_err(io)?;
        } else {
            std::fs::rename(&old, &live).map_err(io)?;
        }
    }
    for half in ["compacting", "restoring", "migrating"] {
        let p = dir.join(format!("{STORE_SUBDIR}.{half}"));
        if p.exists() {
            std::fs::remove_dir_all(&p).map_err(io)?;
        }
    }
    Ok(())
}

/// Overwrites every file with zeros before deleting it, so the old
/// contents do not stay readable in the freed blocks of simple file systems.
fn remove_dir_overwriting(dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            remove_dir_overwriting(&path)?;
        } else {
            let len = std::fs::metadata(&path)?.len();
            let mut f = std::fs::OpenOptions::new().write(true).open(&path)?;
            let zeros = vec![0u8; 64 * 1024];
            let mut left = len;
            while left > 0 {
                let n = left.min(zeros.len() as u64) as usize;
                f.write_all(&zeros[..n])?;
                left -= n as u64;
            }
            f.sync_all()?;
        }
    }
    std::fs::remove_dir_all(dir)
}
