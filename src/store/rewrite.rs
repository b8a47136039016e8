//! Rewriting the store's files into fresh ones, so nothing deleted lingers
//! in sled's log (erased aliases, old notes) and its space comes back.
//!
//! The copy is made while the store stays in use: every tree is watched
//! (sled's subscribers) before it is copied, and what changes meanwhile is
//! carried over into the copy in the order it happened. Only the last step,
//! putting the copy in the store's place, needs the store to itself; it
//! takes a fraction of a second (`Store::take_rewrite`).
//!
//! sled hands each change to a subscriber through a channel of 1,024 and
//! makes the writer wait when it is full, while holding a lock that every
//! write, the copy's too, needs. So the changes are taken off the
//! subscribers by a thread of their own that never writes to sled, into a
//! queue without a limit; the copy applies them from there.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::mpsc;
use std::time::Duration;

use super::{Result, STORE_SUBDIR, Store, StoreError, TREE_NAMES, open_sled, sled_error};

/// Keys copied between pauses.
const BATCH: usize = 2_000;

/// A copy of the store being made beside it (`store.compacting`).
pub struct Rewrite {
    dir: PathBuf,
    /// Where the copy's sled files are.
    path: PathBuf,
    fresh: sled::Db,
    trees: Vec<Copied>,
    /// The changes, tree by tree in the order they happened.
    changes: mpsc::Receiver<(usize, sled::Event)>,
    taking: Option<std::thread::JoinHandle<()>>,
    stop_taking: Arc<AtomicBool>,
    /// An erasure asked for a rewrite while this one was being made: the
    /// copy holds the erased data in its log too, so one stays due.
    due_again: bool,
}

struct Copied {
    into: sled::Tree,
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
        Ok(self
            .begin_rewrite(opts, true, &|| false)?
            .expect("never stopped"))
    }

    /// A copy for a backup, made the same way beside the running screen
    /// into `path` (a store directory); `Store::seal_backup` ends it.
    pub fn start_backup_copy(
        &self,
        opts: &super::StoreOptions,
        path: &std::path::Path,
        gently: bool,
        stop: &dyn Fn() -> bool,
    ) -> Result<Option<Rewrite>> {
        self.begin_copy(opts, gently, stop, path.to_path_buf())
    }

    /// The same, given up (`None`) as soon as `stop` says so: doorlog is
    /// quitting and must not wait for the copy.
    pub fn start_rewrite_until(
        &self,
        opts: &super::StoreOptions,
        stop: &dyn Fn() -> bool,
    ) -> Result<Option<Rewrite>> {
        self.begin_rewrite(opts, true, stop)
    }

    /// The copy of a rewrite; `gently` when the store is in use beside it
    /// (a command that has the store to itself copies at full speed).
    pub(crate) fn begin_rewrite(
        &self,
        opts: &super::StoreOptions,
        gently: bool,
        stop: &dyn Fn() -> bool,
    ) -> Result<Option<Rewrite>> {
        self.begin_copy(opts, gently, stop, fresh_path(&self.dir))
    }

    fn begin_copy(
        &self,
        opts: &super::StoreOptions,
        gently: bool,
        stop: &dyn Fn() -> bool,
        path: PathBuf,
    ) -> Result<Option<Rewrite>> {
        let dir = self.dir.clone();
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(|source| StoreError::Io {
                dir: dir.clone(),
                source,
            })?;
        }
        let fresh = open_sled(&dir, &path, opts)?;
        let sled = |e| sled_error(&self.dir, e);
        let mut trees = Vec::new();
        let mut watches = Vec::new();
        for name in TREE_NAMES {
            trees.push(Copied {
                into: fresh.open_tree(name).map_err(sled)?,
                held: Vec::new(),
                copied: false,
            });
            watches.push(self.db.open_tree(name).map_err(sled)?.watch_prefix(vec![]));
        }
        // A write that began before the watches and is still going on is
        // waited for (a batch takes sled's lock to itself): from here on,
        // every change is either in the trees as they are read, or watched.
        self.t
            .meta
            .apply_batch(sled::Batch::default())
            .map_err(sled)?;
        let (send, changes) = mpsc::channel();
        let stop_taking = Arc::new(AtomicBool::new(false));
        let taking = {
            let stop = Arc::clone(&stop_taking);
            std::thread::spawn(move || take_changes(watches, &send, &stop))
        };
        let mut rw = Rewrite {
            dir,
            path,
            fresh,
            trees,
            changes,
            taking: Some(taking),
            stop_taking,
            due_again: false,
        };
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
                    if stop() {
                        rw.abandon();
                        return Ok(None);
                    }
                    if gently {
                        rw.pause(&mut since)?;
                    }
                }
            }
            rw.trees[i].into.apply_batch(batch).map_err(sled)?;
            rw.trees[i].copied = true;
            let held = std::mem::take(&mut rw.trees[i].held);
            for e in held {
                apply(&rw.trees[i].into, e).map_err(sled)?;
            }
        }
        rw.carry_now()?;
        Ok(Some(rw))
    }
}

/// The thread that takes the changes off sled's subscribers as they come,
/// without ever writing to sled, until told to stop.
fn take_changes(
    mut watches: Vec<sled::Subscriber>,
    to: &mpsc::Sender<(usize, sled::Event)>,
    stop: &AtomicBool,
) {
    loop {
        let mut any = false;
        for (i, w) in watches.iter_mut().enumerate() {
            while let Ok(e) = w.next_timeout(Duration::ZERO) {
                any = true;
                if to.send((i, e)).is_err() {
                    return;
                }
            }
        }
        if !any {
            if stop.load(SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

fn apply(into: &sled::Tree, e: sled::Event) -> sled::Result<()> {
    match e {
        sled::Event::Insert { key, value } => into.insert(key, value).map(drop),
        sled::Event::Remove { key } => into.remove(key).map(drop),
    }
}

impl Rewrite {
    /// Between two batches of the copy: the batch is written out (small
    /// writes to the disk, not a large one a save's own write would queue
    /// behind), the changes saved meanwhile are carried over, and the copy
    /// rests as long as it worked, so the disk and the processor are
    /// shared with the screen.
    fn pause(&mut self, since: &mut std::time::Instant) -> Result<()> {
        self.fresh.flush().map_err(|e| sled_error(&self.dir, e))?;
        self.carry_now()?;
        std::thread::sleep(since.elapsed());
        *since = std::time::Instant::now();
        Ok(())
    }

    /// Carries over every change taken so far (holding those of trees not
    /// copied yet); returns how many.
    fn carry_now(&mut self) -> Result<usize> {
        let mut n = 0;
        while let Ok((i, e)) = self.changes.try_recv() {
            n += 1;
            if TREE_NAMES[i] == "meta"
                && matches!(&e, sled::Event::Insert { key, .. } if key == super::privacy::REWRITE_DUE)
            {
                self.due_again = true;
            }
            let t = &mut self.trees[i];
            if t.copied {
                apply(&t.into, e).map_err(|e| sled_error(&self.dir, e))?;
            } else {
                t.held.push(e);
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
    /// over and the copy on disk (flushed and `fdatasync`ed before the old
    /// files are overwritten), ready to take the store's place. The rewrite
    /// an erasure promised is done in the copy, unless an erasure came
    /// while it was being made.
    pub fn finish(mut self) -> Result<()> {
        self.stop_taking.store(true, SeqCst);
        if let Some(t) = self.taking.take() {
            let _ = t.join();
        }
        self.carry_now()?;
        let sled = |e| sled_error(&self.dir, e);
        let meta = self.fresh.open_tree("meta").map_err(sled)?;
        if !self.due_again {
            meta.remove(super::privacy::REWRITE_DUE).map_err(sled)?;
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        meta.insert(super::privacy::COMPACTED_AT, &now.to_be_bytes())
            .map_err(sled)?;
        self.write_out()
    }

    /// The last changes carried over, the copy flushed and `fdatasync`ed.
    fn write_out(&mut self) -> Result<()> {
        self.stop_taking.store(true, SeqCst);
        if let Some(t) = self.taking.take() {
            let _ = t.join();
        }
        self.carry_now()?;
        self.fresh.flush().map_err(|e| sled_error(&self.dir, e))?;
        std::fs::File::open(self.path.join("db"))
            .and_then(|f| f.sync_data())
            .map_err(|source| StoreError::Io {
                dir: self.dir.clone(),
                source,
            })
    }

    /// Gives the copy up (doorlog is stopping): its files are removed;
    /// a copy left behind by a crash is removed at the next open.
    pub fn abandon(mut self) {
        self.stop_taking.store(true, SeqCst);
        if let Some(t) = self.taking.take() {
            let _ = t.join();
        }
        let path = self.path.clone();
        drop(self);
        let _ = std::fs::remove_dir_all(path);
    }
}

impl Store {
    /// Ends a backup's copy (`start_backup_copy`) while nothing is being
    /// saved (the screen is locked): writes that were under way are waited
    /// for, their changes carried over, the copy written out; then it is
    /// marked complete like `backup_to`'s and given its name `target`.
    pub fn seal_backup(
        &self,
        mut copy: Rewrite,
        target: &std::path::Path,
    ) -> Result<super::backup::BackupMark> {
        self.t
            .meta
            .apply_batch(sled::Batch::default())
            .map_err(|e| self.err(e))?;
        copy.write_out()?;
        let copied = super::backup::walk_trees(&copy.fresh, &TREE_NAMES, |_, _, _| Ok(()))
            .map_err(|e| sled_error(&self.dir, e))?;
        let partial = copy
            .path
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        drop(copy);
        self.mark_backup(&partial, target, &copied)
    }
}

impl Drop for Rewrite {
    fn drop(&mut self) {
        // The thread taking changes ends with the rewrite.
        self.stop_taking.store(true, SeqCst);
    }
}
