//! Backups are a logical copy of every tree into a fresh sled store, so they
//! are consistent (we hold the lock, no one else writes) and compact.
//! A backup directory has the same layout as a data directory.

use std::path::{Path, PathBuf};

use super::{
    Result, STORE_SUBDIR, Store, StoreError, StoreOptions, TREE_NAMES, lock_dir, open_sled,
    sled_error,
};
use crate::domain::InvalidInput;

pub(crate) fn copy_trees(from: &sled::Db, to: &sled::Db) -> sled::Result<()> {
    for name in TREE_NAMES {
        let src = from.open_tree(name)?;
        let dst = to.open_tree(name)?;
        let mut batch = sled::Batch::default();
        let mut n = 0;
        for kv in src.iter() {
            let (k, v) = kv?;
            batch.insert(k, v);
            n += 1;
            if n == 10_000 {
                dst.apply_batch(std::mem::take(&mut batch))?;
                n = 0;
            }
        }
        dst.apply_batch(batch)?;
    }
    to.flush()?;
    Ok(())
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
    std::fs::create_dir_all(dir).map_err(io)
}

impl Store {
    /// Writes a consistent copy of the whole store into `target` (a new or
    /// empty directory).
    pub fn backup_to(&self, target: &Path, opts: &StoreOptions) -> Result<()> {
        empty_target(target)?;
        let dst = open_sled(target, &target.join(STORE_SUBDIR), opts)?;
        copy_trees(&self.db, &dst).map_err(|e| sled_error(target, e))
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
    let lock = lock_dir(dir)?;
    let backup = Store::open(from, opts)?;
    let report = backup.check()?;
    if !report.is_ok() {
        return Err(StoreError::Damaged {
            dir: from.to_path_buf(),
            detail: format!("the backup fails its check: {}", report.problems.join("; ")),
        });
    }
    let live = dir.join(STORE_SUBDIR);
    let io = |source| StoreError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    // Copy beside the live store first; only a finished copy replaces it,
    // so a crash midway leaves the old store in place.
    let incoming = dir.join(format!("{STORE_SUBDIR}.restoring"));
    if incoming.exists() {
        std::fs::remove_dir_all(&incoming).map_err(io)?;
    }
    let dst = open_sled(dir, &incoming, opts)?;
    copy_trees(&backup.db, &dst).map_err(|e| sled_error(dir, e))?;
    drop(dst);
    let kept = if live.exists() {
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let aside = dir.join(format!("{STORE_SUBDIR}.replaced-{stamp}"));
        std::fs::rename(&live, &aside).map_err(io)?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&incoming, &live).map_err(io)?;
    drop(lock);
    Ok(kept)
}
