//! What doorlog knows about a store outside sled's own files: a small
//! marker, `doorlog-store.json` in the data directory, written when a
//! store closes cleanly. A store that lost files (sled's snapshot deleted,
//! `store/` emptied or gone) would otherwise open as a fresh, empty one and
//! be written to; with the marker, doorlog refuses it and points to
//! `doorlog restore` instead.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{NEXT_ID, STORE_SUBDIR, Store, StoreError, Trees, keys};

pub(crate) const MARKER_FILE: &str = "doorlog-store.json";

/// What a store held when it last closed: enough to tell a store that came
/// up empty or short, cheap to read (no scan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Marker {
    /// The last id given (visitors, staff, messages).
    pub next_id: u64,
    /// The last service day with a record, as a Julian day number.
    pub last_day: Option<i32>,
    /// The last contact's day (Julian) and number.
    pub last_contact: Option<(i32, u32)>,
    /// sled had written a snapshot file (`store/snap.*`) by then; sled
    /// writes one only now and then, and once there, one stays.
    #[serde(default)]
    pub snapshot: bool,
}

impl Marker {
    pub fn read(dir: &Path) -> Option<Marker> {
        let text = std::fs::read_to_string(dir.join(MARKER_FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    pub fn remove(dir: &Path) {
        let _ = std::fs::remove_file(dir.join(MARKER_FILE));
    }

    /// The marker of an open store, as it is now.
    pub fn of(store: &Store) -> Option<Marker> {
        Marker::of_trees(&store.dir, &store.t.meta, &store.t.days, &store.t.contacts)
    }

    fn of_trees(
        dir: &Path,
        meta: &sled::Tree,
        days: &sled::Tree,
        contacts: &sled::Tree,
    ) -> Option<Marker> {
        let next_id = meta
            .get(NEXT_ID)
            .ok()?
            .and_then(|v| keys::id_from(&v))
            .unwrap_or(0);
        let last_day = match days.last().ok()? {
            Some((k, _)) => Some(keys::day_from(&k)?.to_julian_day()),
            None => None,
        };
        let last_contact = match contacts.last().ok()? {
            Some((k, _)) => {
                let id = keys::contact_from(&k)?;
                Some((id.day.to_julian_day(), id.seq))
            }
            None => None,
        };
        Some(Marker {
            next_id,
            last_day,
            last_contact,
            snapshot: has_snapshot(&dir.join(STORE_SUBDIR)),
        })
    }

    pub fn write(&self, dir: &Path) {
        if let Ok(text) = serde_json::to_string(self) {
            let _ = crate::files::write_atomically(&dir.join(MARKER_FILE), text.as_bytes());
        }
    }

    /// Does `now` hold at least what this marker says was there? (The
    /// snapshot is checked before sled opens.)
    fn holds(&self, now: &Marker) -> bool {
        now.next_id >= self.next_id
            && now.last_day >= self.last_day
            && now.last_contact >= self.last_contact
    }
}

/// Before sled opens a store that was known to hold data: its files must
/// be there (sled would start afresh without them, and write over the
/// rest).
pub(crate) fn check_files(dir: &Path) -> Result<(), StoreError> {
    let Some(m) = Marker::read(dir) else {
        return Ok(());
    };
    if (Marker {
        snapshot: false,
        ..m
    }) == Marker::empty()
    {
        return Ok(());
    }
    let store = dir.join(STORE_SUBDIR);
    let lost = |detail: &str| StoreError::Damaged {
        dir: dir.to_path_buf(),
        detail: detail.to_string(),
    };
    if !store.join("db").is_file() || !store.join("conf").is_file() {
        return Err(lost(
            "its files are gone, though it held data when it last closed",
        ));
    }
    if m.snapshot && !has_snapshot(&store) {
        return Err(lost(
            "sled's snapshot file is gone, and without it the store would open empty",
        ));
    }
    Ok(())
}

fn has_snapshot(store: &Path) -> bool {
    std::fs::read_dir(store)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("snap."))
        })
        .unwrap_or(false)
}

/// After sled opened: the store holds at least what it held when it last
/// closed.
pub(crate) fn check_contents(store: &Store) -> Result<(), StoreError> {
    let (Some(before), Some(now)) = (Marker::read(&store.dir), Marker::of(store)) else {
        return Ok(());
    };
    if before.holds(&now) {
        Ok(())
    } else {
        Err(StoreError::Damaged {
            dir: store.dir.clone(),
            detail: "it came up with less than it held when it last closed".into(),
        })
    }
}

impl Marker {
    fn empty() -> Marker {
        Marker {
            next_id: 0,
            last_day: None,
            last_contact: None,
            snapshot: false,
        }
    }
}

/// Writes the marker when the store closes, unless frozen (a store that
/// came up short). Holds its own handles to the three trees it reads.
pub(crate) struct OnClose {
    dir: std::path::PathBuf,
    db: sled::Db,
    meta: sled::Tree,
    days: sled::Tree,
    contacts: sled::Tree,
    frozen: std::sync::atomic::AtomicBool,
}

impl OnClose {
    pub fn new(dir: &Path, db: &sled::Db, t: &Trees) -> OnClose {
        OnClose {
            dir: dir.to_path_buf(),
            db: db.clone(),
            meta: t.meta.clone(),
            days: t.days.clone(),
            contacts: t.contacts.clone(),
            frozen: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub fn freeze(&self) {
        self.frozen.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for OnClose {
    fn drop(&mut self) {
        if self.frozen.load(std::sync::atomic::Ordering::SeqCst) || self.db.flush().is_err() {
            return;
        }
        if let Some(m) = Marker::of_trees(&self.dir, &self.meta, &self.days, &self.contacts) {
            m.write(&self.dir);
        }
    }
}
