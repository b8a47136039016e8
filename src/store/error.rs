use std::path::PathBuf;

use crate::domain::InvalidInput;

/// What can go wrong in the store. Messages say what happened and what to
/// do; they carry ids and directories, never aliases, codes or notes.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "another doorlog has the store in {dir} open (the door screen, most likely); try again later, or close that one first"
    )]
    Locked { dir: PathBuf },

    /// A read-only command (or a check) found no store where one should be.
    #[error(
        "there is no doorlog store in {dir}; check --data-dir (the door screen creates one on its first start)"
    )]
    Missing { dir: PathBuf },

    #[error(
        "the store in {dir} is damaged ({detail}); nothing was changed. Restore the latest backup with `doorlog restore BACKUP_DIR`"
    )]
    Damaged { dir: PathBuf, detail: String },

    #[error(
        "the store in {dir} was written by a newer doorlog (schema {found}, this one knows up to {known}); use the newer doorlog"
    )]
    TooNew {
        dir: PathBuf,
        found: u32,
        known: u32,
    },

    /// The disk is full: nothing more can be written until space is freed.
    #[error(
        "the disk that holds {dir} is full: free some space (old exports or backups on it); what was being saved is not saved"
    )]
    DiskFull { dir: PathBuf },

    #[error(
        "cannot use the store in {dir}: {source}; check that the disk is not full and the directory is writable"
    )]
    Io {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Bad input: a rule of the domain was broken; nothing was written.
    #[error(transparent)]
    Invalid(#[from] InvalidInput),

    /// The signed-in staff member's role may not do this; nothing was
    /// written. It carries an action id (`add_staff`, text key
    /// `forbidden.<id>`), so the sentence reads in the screen's language.
    #[error("{}", crate::i18n::english().store_error(self))]
    Forbidden(&'static str),
}

impl StoreError {
    /// Another doorlog holds the store: try again later (exit code 75).
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Locked { .. })
    }

    /// The store cannot be used at all (exit code 2), as opposed to bad input.
    pub fn is_unavailable(&self) -> bool {
        !matches!(self, StoreError::Invalid(_) | StoreError::Forbidden(_))
    }

    /// Bad input with no values to name: a field id and a problem id. With
    /// values, build `InvalidInput::new(field, problem).arg(...)` instead.
    pub(crate) fn invalid(field: &'static str, problem: &'static str) -> StoreError {
        StoreError::Invalid(InvalidInput::new(field, problem))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
