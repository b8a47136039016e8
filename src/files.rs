//! Files: writing those people open (exports) whole or not at all, and
//! keeping the data directory readable by this computer account only.

use std::io::Write;
use std::path::Path;

/// Writes beside the target, syncs, then renames over it: a reader never
/// sees a half-written file, and a crash leaves the old one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("doorlog-partial");
    // A leftover of an interrupted write goes; anything else there is not
    // followed (a link planted there would point the write elsewhere).
    if std::fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_file()) {
        std::fs::remove_file(&tmp)?;
    }
    let mut f = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
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
    /// Only a regular file (or a new path) is replaced by an export: never a
    /// link, a pipe or a device (as root, `--out /dev/null` would replace
    /// `/dev/null`).
    #[error("{path} is not a regular file; give a new file name or an existing file")]
    NotAFile { path: std::path::PathBuf },
}

/// An output path must be a regular file or new: never a link, a pipe or
/// a device.
pub fn refuse_special(path: &Path) -> Result<(), ExportError> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(ExportError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    Ok(())
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
    refuse_special(path)?;
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

/// New files and directories for the owner only (umask 077), whatever the
/// umask doorlog was started with.
pub fn private_umask() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file creation mask.
    unsafe {
        libc::umask(0o077);
    }
}

/// Tightens an existing data directory that others could open: to 0700,
/// so nothing in it can be reached by another account (files doorlog makes
/// are 0600 besides). Says what it did (one line), or nothing when it was
/// already private.
pub fn tighten(dir: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir).ok().filter(|m| m.is_dir())?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 == 0 {
            return None;
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).ok()?;
        Some(format!(
            "{} was open to other accounts ({mode:o}); made it 700, for this computer account only",
            dir.display()
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Makes the names in a directory durable (after a rename or a new file):
/// the directory itself is synced.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Free and total bytes of the disk that holds `path` (free as an
/// unprivileged user sees it).
pub fn disk_space(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        // SAFETY: `c` is a valid C string and `st` a valid out-pointer.
        let rc = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
        let unit = st.f_frsize;
        (rc == 0).then(|| {
            (
                st.f_bavail.saturating_mul(unit),
                st.f_blocks.saturating_mul(unit),
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}
