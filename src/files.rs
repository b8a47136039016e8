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

/// Why an export file was not written (or not audited).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// The one way an export leaves doorlog, for the screens and the command
/// line alike: the file is written whole (its directory made if needed),
/// then the audit log records `action` — only once the file is there.
pub fn write_export(
    store: &crate::store::Store,
    path: &Path,
    bytes: &[u8],
    action: &str,
    staff: Option<u64>,
    at: i64,
) -> Result<(), ExportError> {
    let write = |path: &Path| {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        write_atomically(path, bytes)
    };
    write(path).map_err(|source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    store.log(action, staff, None, at)?;
    Ok(())
}
