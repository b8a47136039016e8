//! Backups are a logical copy of every tree into a fresh sled store, so they
//! are consistent (we hold the lock, no one else writes) and compact.
//! A backup directory has the same layout as a data directory, plus
//! `config.json` and `catalog.json` when the centre has them, and is marked
//! complete last: it is written into a temporary directory, which gets the
//! mark `doorlog-backup.json` (what it holds, the schema, a checksum) and
//! only then its name. `restore` takes nothing without that mark.

use std::path::{Path, PathBuf};

use super::{
    Result, STORE_SUBDIR, Store, StoreError, StoreOptions, TREE_NAMES, lock_dir, open_sled,
    sled_error,
};
use crate::domain::InvalidInput;

/// The mark of a complete backup, written last.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BackupMark {
    pub complete: bool,
    /// The store schema of the copy.
    pub schema: u32,
    /// When it was made (UTC, unix seconds).
    pub created: i64,
    /// Records in the copy: visitors (all, erased too) and contacts.
    pub visitors: u64,
    pub contacts: u64,
    /// FNV-1a over every tree's keys and values, in order.
    pub checksum: String,
}

/// The daily backups the door screen writes: `doorlog-YYYY-MM-DD` (the
/// service day) in the backup directory.
pub fn daily_backup_name(day: time::Date) -> String {
    format!("doorlog-{}", crate::report::iso(day))
}

fn daily_backup_day(name: &str) -> Option<time::Date> {
    let rest = name.strip_prefix("doorlog-")?;
    let mut parts = rest.splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

/// The service day of the newest complete daily backup in `dir`.
pub fn newest_daily_backup(dir: &Path) -> Option<time::Date> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.path().join(MARK_FILE).is_file())
        .filter_map(|e| daily_backup_day(e.file_name().to_str()?))
        .max()
}

/// Keeps the newest `daily` of the daily backups in `dir`, and the first
/// one of each of the twelve months before; deletes the others (and
/// copies cut short, `*.partial`, of earlier days). Returns what it deleted.
pub fn rotate_backups(dir: &Path, daily: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut found: Vec<(time::Date, PathBuf)> = Vec::new();
    let mut partial = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let path = e?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Some(stem) = name.strip_suffix(".partial") {
            if daily_backup_day(stem).is_some() {
                partial.push((daily_backup_day(stem), path));
            }
        } else if let Some(day) = daily_backup_day(name) {
            found.push((day, path));
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    let newest = found.first().map(|f| f.0);
    let mut keep: std::collections::HashSet<PathBuf> =
        found.iter().take(daily).map(|f| f.1.clone()).collect();
    if let Some(newest) = newest {
        let months = |d: time::Date| d.year() * 12 + i32::from(u8::from(d.month()));
        let mut firsts: std::collections::BTreeMap<i32, (time::Date, PathBuf)> = Default::default();
        for (day, path) in &found {
            let m = months(*day);
            if (1..=12).contains(&(months(newest) - m)) || m == months(newest) {
                let e = firsts.entry(m).or_insert((*day, path.clone()));
                if *day < e.0 {
                    *e = (*day, path.clone());
                }
            }
        }
        keep.extend(firsts.into_values().map(|f| f.1));
    }
    let mut deleted = Vec::new();
    for (_, path) in found {
        if !keep.contains(&path) {
            std::fs::remove_dir_all(&path)?;
            deleted.push(path);
        }
    }
    for (day, path) in partial {
        if day < newest {
            std::fs::remove_dir_all(&path)?;
            deleted.push(path);
        }
    }
    Ok(deleted)
}

/// The name of the mark file in a backup directory.
pub const MARK_FILE: &str = "doorlog-backup.json";
/// Files of the data directory a backup carries along.
const SETTINGS_FILES: [&str; 2] = ["config.json", "catalog.json"];

/// What a logical copy of the trees held.
#[derive(Debug, Default)]
pub(crate) struct Copied {
    pub visitors: u64,
    pub contacts: u64,
    hash: u64,
}

impl Copied {
    fn feed(&mut self, bytes: &[u8]) {
        for chunk in [&(bytes.len() as u64).to_be_bytes()[..], bytes] {
            for b in chunk {
                self.hash ^= u64::from(*b);
                self.hash = self.hash.wrapping_mul(0x100_0000_01b3);
            }
        }
    }

    pub fn checksum(&self) -> String {
        format!("{:016x}", self.hash)
    }
}

/// The trees a store of this schema has (trees are only ever added at
/// the end of `TREE_NAMES`): a backup's checksum covers those.
pub(crate) fn trees_of(schema: u32) -> &'static [&'static str] {
    match schema {
        ..=2 => &TREE_NAMES[..10],
        3 => &TREE_NAMES[..12],
        4 => &TREE_NAMES[..13],
        _ => &TREE_NAMES,
    }
}

/// Copies every tree of `from` into `to`; what was copied.
pub(crate) fn copy_trees(from: &sled::Db, to: &sled::Db) -> sled::Result<Copied> {
    let mut batch = sled::Batch::default();
    let mut current = String::new();
    let mut n = 0;
    let copied = walk_trees(from, &TREE_NAMES, |tree, k, v| {
        if tree != current {
            if !current.is_empty() {
                to.open_tree(&current)?
                    .apply_batch(std::mem::take(&mut batch))?;
            }
            current = tree.to_string();
            n = 0;
        }
        batch.insert(k, v);
        n += 1;
        if n == 10_000 {
            to.open_tree(&current)?
                .apply_batch(std::mem::take(&mut batch))?;
            n = 0;
        }
        Ok(())
    })?;
    if !current.is_empty() {
        to.open_tree(&current)?.apply_batch(batch)?;
    }
    for name in TREE_NAMES {
        to.open_tree(name)?;
    }
    to.flush()?;
    Ok(copied)
}

pub(crate) fn walk_trees(
    db: &sled::Db,
    names: &[&str],
    mut each: impl FnMut(&str, &[u8], &[u8]) -> sled::Result<()>,
) -> sled::Result<Copied> {
    let mut c = Copied {
        hash: 0xcbf2_9ce4_8422_2325,
        ..Copied::default()
    };
    for &name in names {
        c.feed(name.as_bytes());
        for kv in db.open_tree(name)?.iter() {
            let (k, v) = kv?;
            c.feed(&k);
            c.feed(&v);
            match name {
                "visitorid_visitor" => c.visitors += 1,
                "dayseq_contact" => c.contacts += 1,
                _ => {}
            }
            each(name, &k, &v)?;
        }
    }
    Ok(c)
}

/// Reads a backup's mark; why not, if it is not a complete backup.
pub fn read_mark(from: &Path) -> Result<BackupMark> {
    let bad = || {
        StoreError::Invalid(
            InvalidInput::new("backup_dir", "not_a_backup").arg("dir", from.display()),
        )
    };
    let text = std::fs::read_to_string(from.join(MARK_FILE)).map_err(|_| bad())?;
    let mark: BackupMark = serde_json::from_str(&text).map_err(|_| bad())?;
    if !mark.complete {
        return Err(bad());
    }
    Ok(mark)
}

fn empty_target(dir: &Path) -> Result<()> {
    let io = |source| StoreError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io)?;
        if entries.next().is_some() {
            return Err(StoreError::Invalid(
                InvalidInput::new("backup_dir", "dir_not_empty").arg("dir", dir.display()),
            ));
        }
    }
    Ok(())
}

impl Store {
    /// Writes a consistent copy of the whole store, with the centre's
    /// settings, into `target` (a new or empty directory), marked complete
    /// last. An interrupted backup leaves only `TARGET.partial`, which is
    /// not a backup (and is replaced by the next try).
    pub fn backup_to(&self, target: &Path, opts: &StoreOptions) -> Result<BackupMark> {
        empty_target(target)?;
        let io = |source| StoreError::Io {
            dir: target.to_path_buf(),
            source,
        };
        let mut partial = target.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        if partial.exists() {
            std::fs::remove_dir_all(&partial).map_err(io)?;
        }
        std::fs::create_dir_all(&partial).map_err(io)?;
        let dst = open_sled(&partial, &partial.join(STORE_SUBDIR), opts)?;
        let copied = copy_trees(&self.db, &dst).map_err(|e| sled_error(target, e))?;
        drop(dst);
        self.mark_backup(&partial, target, &copied)
    }

    /// Finishes a copy in `partial` as a backup named `target`: the
    /// centre's settings files beside it, the mark written last, then the
    /// rename (a backup cut short is never taken for one).
    pub(crate) fn mark_backup(
        &self,
        partial: &Path,
        target: &Path,
        copied: &Copied,
    ) -> Result<BackupMark> {
        let io = |source| StoreError::Io {
            dir: target.to_path_buf(),
            source,
        };
        for name in SETTINGS_FILES {
            let from = self.dir.join(name);
            if from.is_file() {
                std::fs::copy(&from, partial.join(name)).map_err(io)?;
            }
        }
        let mark = BackupMark {
            complete: true,
            schema: super::SCHEMA_VERSION,
            created: time::OffsetDateTime::now_utc().unix_timestamp(),
            visitors: copied.visitors,
            contacts: copied.contacts,
            checksum: copied.checksum(),
        };
        let text = serde_json::to_string_pretty(&mark).expect("a mark is plain data");
        crate::files::write_atomically(&partial.join(MARK_FILE), text.as_bytes()).map_err(io)?;
        crate::files::sync_dir(partial).map_err(io)?;
        if target.exists() {
            std::fs::remove_dir(target).map_err(io)?;
        }
        std::fs::rename(partial, target).map_err(io)?;
        if let Some(parent) = target.parent() {
            crate::files::sync_dir(parent).map_err(io)?;
        }
        Ok(mark)
    }
}

/// Replaces the store in `dir` with the backup in `from`, which must pass
/// `check` first. The replaced store is kept beside it, renamed; its path is
/// returned. Works when the current store is damaged, and refuses while
/// another doorlog has `dir` open.
pub fn restore(dir: &Path, from: &Path, opts: &StoreOptions) -> Result<Option<PathBuf>> {
    if !from.join(STORE_SUBDIR).is_dir() {
        return Err(StoreError::Invalid(
            InvalidInput::new("backup_dir", "no_backup")
                .arg("dir", from.display())
                .arg("subdir", STORE_SUBDIR),
        ));
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(dir, from) {
        return Err(StoreError::invalid("backup_dir", "is_data_dir"));
    }
    // Only a complete backup, of this schema or an older one, that holds
    // something, and holds what its mark says.
    let mark = read_mark(from)?;
    if mark.schema > super::SCHEMA_VERSION {
        return Err(StoreError::Invalid(
            InvalidInput::new("backup_dir", "backup_schema")
                .arg("dir", from.display())
                .arg("found", mark.schema)
                .arg("known", super::SCHEMA_VERSION),
        ));
    }
    if mark.visitors == 0 && mark.contacts == 0 {
        return Err(StoreError::Invalid(
            InvalidInput::new("backup_dir", "backup_empty").arg("dir", from.display()),
        ));
    }
    let lock = lock_dir(dir)?;
    let holds_its_mark = |db: &sled::Db| {
        let found = walk_trees(db, trees_of(mark.schema), |_, _, _| Ok(()))
            .map_err(|e| sled_error(from, e))?;
        if (found.visitors, found.contacts, found.checksum())
            != (mark.visitors, mark.contacts, mark.checksum.clone())
        {
            return Err(StoreError::Damaged {
                dir: from.to_path_buf(),
                detail: "the backup does not hold what its mark says".into(),
            });
        }
        Ok(())
    };
    let io = |source| StoreError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    // A backup from an earlier doorlog is migrated in a copy beside the
    // store (removed afterwards): the backup itself is never changed.
    let _migrating;
    let backup = if mark.schema == super::SCHEMA_VERSION {
        let backup = Store::open_existing(from, opts)?;
        holds_its_mark(&backup.db)?;
        backup
    } else {
        let copy = dir.join(format!("{STORE_SUBDIR}.migrating"));
        if copy.exists() {
            std::fs::remove_dir_all(&copy).map_err(io)?;
        }
        _migrating = super::ScratchDir(copy.clone());
        super::copy_files(&from.join(STORE_SUBDIR), &copy.join(STORE_SUBDIR)).map_err(io)?;
        holds_its_mark(&open_sled(&copy, &copy.join(STORE_SUBDIR), opts)?)?;
        Store::open(&copy, opts)?
    };
    let report = backup.check()?;
    if !report.is_ok() {
        return Err(StoreError::Damaged {
            dir: from.to_path_buf(),
            detail: format!("the backup fails its check: {}", report.problems.join("; ")),
        });
    }
    let live = dir.join(STORE_SUBDIR);
    // Copy beside the live store first; only a finished copy replaces it,
    // so a crash midway leaves the old store in place.
    let incoming = dir.join(format!("{STORE_SUBDIR}.restoring"));
    if incoming.exists() {
        std::fs::remove_dir_all(&incoming).map_err(io)?;
    }
    let dst = open_sled(dir, &incoming, opts)?;
    copy_trees(&backup.db, &dst).map_err(|e| sled_error(dir, e))?;
    drop(dst);
    // The restored store may hold less than the one it replaces: the
    // marker goes before the swap (a kill between leaves the old store, now
    // without a marker), and is made afresh when the new one first closes.
    super::marker::Marker::remove(dir);
    // The replaced store (and settings) kept beside, under a name no other
    // restore took, even within the same second.
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let free = |base: String| {
        (1..)
            .map(|n| match n {
                1 => base.clone(),
                n => format!("{base}-{n}"),
            })
            .find(|name| !dir.join(name).exists())
            .expect("some name is free")
    };
    let kept = if live.exists() {
        let aside = dir.join(free(format!("{STORE_SUBDIR}.replaced-{stamp}")));
        std::fs::rename(&live, &aside).map_err(io)?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&incoming, &live).map_err(io)?;
    for name in SETTINGS_FILES {
        let carried = from.join(name);
        if carried.is_file() {
            let current = dir.join(name);
            if current.is_file() {
                std::fs::rename(&current, dir.join(free(format!("{name}.replaced-{stamp}"))))
                    .map_err(io)?;
            }
            std::fs::copy(&carried, &current).map_err(io)?;
        }
    }
    crate::files::sync_dir(dir).map_err(io)?;
    drop(lock);
    Ok(kept)
}
