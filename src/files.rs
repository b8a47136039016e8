//! Writing files that people open (exports): whole or not at all.

use std::io::Write;
use std::path::Path;

/// Writes beside the target, syncs, then renames over it: a reader never
/// sees a half-written file, and a crash leaves the old one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("doorlog-partial");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}
