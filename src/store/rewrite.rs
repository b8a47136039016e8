//! Rewriting the store's files into fresh ones, so nothing deleted lingers
//! in sled's log (erased aliases, old notes) and its space comes back.
//!
//! The copy is made while the store stays in use: every tree is watched
//! (sled's subscribers) before it is copied, and what changes meanwhile is
//! carried over into the copy in the order it happened. Only the last step,
//! putting the copy in the store's place, needs the store to itself; it
//! takes a fraction of a second (`Store::take_rewrite`).

use std::path::PathBuf;
use std::time::Duration;

use super::{Result, STORE_SUBDIR, Store, StoreError, TREE_NAMES, open_sled, sled_error};

/// Keys copied between pauses.
const BATCH: usize = 2_000;

/// A copy of the store being made beside it (`store.compacting`).
pub struct Rewrite {
    dir: PathBuf,
    fresh: sled::Db,
    trees: Vec<Watched>,
}

struct Watched {
    into: sled::Tree,
    changes: sled::Subscriber,
    /// Changes seen before the tree was copied, carried over after it.
    held: Vec<sled::Event>,
    copied: bool,
}

/// Where a rewrite puts its copy.
pub(crate) fn fresh_path(dir: &std::path::Path) -> PathBuf {
    dir.join(format!("{STORE_SUBDIR}.compacting"))
}

impl Store {
    /// Starts a rewrite: the trees are watched, then copied (seconds for a
    /// large store) while the store stays in use, gently (see `pause`).
    pub fn start_rewrite(&self, opts: &super::StoreOptions) -> Result<Rewrite> {
        self.begin_rewrite(opts, true)
    }

    /// The copy of a rewrite; `gently` when the store is in use beside it
    /// (a command that has the store to itself copies at full speed).
    pub(crate) fn begin_rewrite(
        &self,
        opts: &super::StoreOptions,
        gently: bool,
    ) -> Result<Rewrite> {
        let dir = self.dir.clone();
        let path = fresh_path(&dir);
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(|source| StoreError::Io {
                dir: dir.clone(),
                source,
            })?;
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        self.t
            .meta
            .insert(super::privacy::COMPACTED_AT, &now.to_be_bytes())
            .map_err(|e| self.err(e))?;
        let fresh = open_sled(&dir, &path, opts)?;
        let sled = |e| sled_error(&self.dir, e);
        let mut trees = Vec::new();
        for name in TREE_NAMES {
            trees.push(Watched {
                into: fresh.open_tree(name).map_err(sled)?,
                changes: self.db.open_tree(name).map_err(sled)?.watch_prefix(vec![]),
                held: Vec::new(),
                copied: false,
            });
        }
        let mut rw = Rewrite { dir, fresh, trees };
        for (i, name) in TREE_NAMES.iter().enumerate() {
            let from = self.db.open_tree(name).map_err(sled)?;
            let mut batch = sled::Batch::default();
            let mut n = 0;
            let mut since = std::time::Instant::now();
            for kv in from.iter() {
                let (k, v) = kv.map_err(sled)?;
                batch.insert(k, v);
                n += 1;
                if n % BATCH == 0 {
                    rw.trees[i]
                        .into
                        .apply_batch(std::mem::take(&mut batch))
                        .map_err(sled)?;
                    if gently {
                        rw.pause(&mut since)?;
                    }
                }
            }
            rw.trees[i].into.apply_batch(batch).map_err(sled)?;
            rw.trees[i].copied = true;
            let held = std::mem::take(&mut rw.trees[i].held);
            for e in held {
                rw.trees[i].apply(e).map_err(sled)?;
            }
        }
        rw.carry_now()?;
        Ok(rw)
    }
}

impl Watched {
    fn apply(&self, e: sled::Event) -> sled::Result<()> {
        match e {
            sled::Event::Insert { key, value } => self.into.insert(key, value).map(drop),
            sled::Event::Remove { key } => self.into.remove(key).map(drop),
        }
    }
}

impl Rewrite {
    /// Between two batches of the copy: the batch is written out (small
    /// writes to the disk, not a large one a save's own write would queue
    /// behind), the changes saved meanwhile are taken from the watch (a
    /// full one would make saves wait), and the copy rests as long as it
    /// worked, so the disk and the processor are shared with the screen.
    fn pause(&mut self, since: &mut std::time::Instant) -> Result<()> {
        self.fresh.flush().map_err(|e| sled_error(&self.dir, e))?;
        self.carry_now()?;
        std::thread::sleep(since.elapsed());
        *since = std::time::Instant::now();
        Ok(())
    }

    /// Carries over every change made so far (holding those of trees not
    /// copied yet); returns how many.
    fn carry_now(&mut self) -> Result<usize> {
        let mut n = 0;
        for t in &mut self.trees {
            while let Ok(e) = t.changes.next_timeout(Duration::ZERO) {
                n += 1;
                if t.copied {
                    t.apply(e).map_err(|e| sled_error(&self.dir, e))?;
                } else {
                    t.held.push(e);
                }
            }
        }
        Ok(n)
    }

    /// Carries over what changed; waits a little when nothing did.
    pub fn carry(&mut self, wait: Duration) -> Result<()> {
        if self.carry_now()? == 0 {
            std::thread::sleep(wait);
        }
        Ok(())
    }

    /// Once the store is no longer written to: the last changes carried
    /// over and the copy on disk, ready to take the store's place. The
    /// rewrite an erasure promised is done in the copy.
    pub fn finish(mut self) -> Result<()> {
        while self.carry_now()? > 0 {}
        let sled = |e| sled_error(&self.dir, e);
        self.fresh
            .open_tree("meta")
            .and_then(|m| m.remove(super::privacy::REWRITE_DUE))
            .map_err(sled)?;
        self.fresh.flush().map_err(sled)?;
        Ok(())
    }

    /// Gives the copy up (doorlog is stopping): its files are removed;
    /// a copy left behind by a crash is removed at the next open.
    pub fn abandon(self) {
        let path = fresh_path(&self.dir);
        drop(self);
        let _ = std::fs::remove_dir_all(path);
    }
}
