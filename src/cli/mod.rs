//! The command line: arguments (clap) and one file per subcommand.

mod backup;
mod catalog;
mod check;
mod demo;
mod export;
mod merge;
mod record;
mod staff;
mod visitor;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use time::{Date, OffsetDateTime};

use crate::config::Config;
use crate::domain::InvalidInput;
use crate::store::{Store, StoreError};

#[derive(Debug, Parser)]
#[command(
    name = "doorlog",
    version,
    about = "Door-hatch contact log for low-threshold drop-in centres",
    long_about = "Without a command, doorlog starts the terminal UI on the data directory."
)]
pub struct Cli {
    /// Data directory (default: the platform's data dir for doorlog).
    #[arg(long, global = true, env = "DOORLOG_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// UI language: en, nb (Norwegian bokmål) or da (Danish); default from
    /// config.json, then the locale.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Register, list or erase visitors.
    #[command(subcommand)]
    Visitor(visitor::VisitorCmd),
    /// Record one contact without the UI; prints its id once it is on disk.
    Record(record::RecordArgs),
    /// Take back a contact recorded by mistake (written to the audit log).
    Undo {
        /// The id `record` printed, e.g. 20260329-42.
        contact_id: String,
    },
    /// Add or list staff (PINs protect the shared screen).
    #[command(subcommand)]
    Staff(staff::StaffCmd),
    /// The audit log: who did what, when (UTC dates).
    Audit {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
    },
    /// Export daily counts (counts only) as CSV or JSON.
    Export(export::ExportArgs),
    /// Merge several centres' CSV exports into one city-wide table.
    Merge(merge::MergeArgs),
    /// List item and topic ids, or export or import the catalog (JSON, the
    /// form of `catalog.json`). The catalog lives in the store; an import
    /// replaces it (items it leaves out are retired, not deleted).
    Catalog(catalog::CatalogArgs),
    /// Verify the store: every record decodes, counters equal a recount.
    Check,
    /// Apply the privacy rules now (old notes deleted, long-unseen visitors
    /// anonymised) and rewrite the store's files; the UI does this at start.
    Sweep,
    /// Write a consistent copy of the store into a new or empty directory.
    Backup { dir: PathBuf },
    /// Replace the store with a backup (the old one is kept, renamed).
    Restore { dir: PathBuf },
    /// Fill an empty store with realistic synthetic data.
    Demo(demo::DemoArgs),
}

/// A failed command: bad input (exit 1), the store unavailable (exit 2:
/// damaged, missing, a disk that fails), or busy (exit 75, `EX_TEMPFAIL`:
/// the door screen holds the store; a scheduler should try again later).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Busy(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Input(_) => 1,
            Failure::Unavailable(_) => 2,
            Failure::Busy(_) => 75,
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        if e.is_busy() {
            Failure::Busy(e.to_string())
        } else if e.is_unavailable() {
            Failure::Unavailable(e.to_string())
        } else {
            Failure::Input(e.to_string())
        }
    }
}

impl From<InvalidInput> for Failure {
    fn from(e: InvalidInput) -> Self {
        Failure::Input(e.to_string())
    }
}

pub type CmdResult = Result<(), Failure>;

/// What every command gets: the settings and the way to open the store.
pub struct Ctx {
    pub config: Config,
}

impl Ctx {
    /// Opens the store, creating it on a first use (commands that write).
    /// An erasure that was cut short is finished first.
    pub fn open(&self) -> Result<Store, Failure> {
        let store = Store::open(&self.config.data_dir, &self.config.store)?;
        let (store, finished) = store.finish_rewrite(&self.config.store)?;
        if finished {
            eprintln!(
                "doorlog: finished an erasure that was cut short (the store's files are rewritten)"
            );
        }
        Ok(store)
    }

    /// Opens a store that must exist (commands that read): never creates one.
    pub fn open_existing(&self) -> Result<Store, Failure> {
        Ok(Store::open_existing(
            &self.config.data_dir,
            &self.config.store,
        )?)
    }

    /// Opens a store to read from (export, lists, check): on a full disk, a
    /// copy elsewhere is read, so data can still be copied off.
    pub fn open_for_reading(&self, scratch: Option<&std::path::Path>) -> Result<Store, Failure> {
        Ok(Store::open_for_reading(
            &self.config.data_dir,
            &self.config.store,
            scratch,
        )?)
    }

    /// Fails unless the data directory has a store (commands that need
    /// none of it but the settings, such as `catalog`).
    pub fn require_store(&self) -> Result<(), Failure> {
        if Store::exists(&self.config.data_dir) {
            Ok(())
        } else {
            Err(crate::store::StoreError::Missing {
                dir: self.config.data_dir.clone(),
            }
            .into())
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    pub fn today(&self) -> Date {
        self.config.day_rule.service_day(self.now())
    }
}

pub fn run(ctx: &Ctx, command: Command) -> CmdResult {
    match command {
        Command::Visitor(cmd) => visitor::run(ctx, cmd),
        Command::Record(args) => record::run(ctx, args),
        Command::Undo { contact_id } => record::undo(ctx, &contact_id),
        Command::Export(args) => export::run(ctx, args),
        Command::Merge(args) => merge::run(args),
        Command::Staff(cmd) => staff::run(ctx, cmd),
        Command::Audit { from, to } => staff::audit(ctx, from, to),
        Command::Catalog(a) => catalog::run(ctx, a),
        Command::Check => check::check(ctx),
        Command::Sweep => check::sweep(ctx),
        Command::Backup { dir } => backup::backup(ctx, &dir),
        Command::Restore { dir } => backup::restore(ctx, &dir),
        Command::Demo(args) => demo::run(ctx, args),
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
pub fn out(text: &str) -> CmdResult {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    match o.write_all(text.as_bytes()).and_then(|_| o.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Unavailable(format!("cannot write output: {e}"))),
    }
}

pub use crate::report::parse_date;
