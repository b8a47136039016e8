//! Where the data lives and the centre's settings. Everything is in the
//! data directory: `store/` (sled), `config.json` and `catalog.json`
//! (both optional), `backups/`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::visitor::CodeScheme;
use crate::domain::{Catalog, InvalidInput, ServiceDayRule};
use crate::i18n::Lang;
use crate::store::StoreOptions;

/// `directories`' data dir for the app, e.g. `~/.local/share/doorlog`.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "doorlog").map(|p| p.data_dir().to_path_buf())
}

/// The settings file, `config.json` in the data directory. Every field is
/// optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The centre's name, shown on screen and used by `merge`.
    pub centre: Option<String>,
    /// IANA zone (`Europe/Oslo`) or POSIX TZ string; default: the machine's.
    pub timezone: Option<String>,
    /// Contacts before this local hour count for the day before (0-12).
    pub cutover_hour: Option<u8>,
    /// Anonymous code template, `L` letter, `D` digit, `A` either.
    pub code_scheme: Option<String>,
    /// sled's page cache in MiB (default 32).
    pub cache_mb: Option<u64>,
    /// UI language: `en`, `nb` or `da`.
    pub language: Option<String>,
    /// Lock the screen after this many minutes without a key (1-120, default 5).
    pub idle_lock_minutes: Option<u16>,
    /// Delete notes this many days after their service day (default 90).
    pub note_retention_days: Option<u32>,
    /// Anonymise visitors not seen for this many days (default 730).
    pub anonymise_after_days: Option<u32>,
    /// Wrong PINs in a row before an account locks (3-20, default 5).
    pub pin_max_failures: Option<u32>,
    /// How long a locked account stays locked, in minutes (1-1440, default 15).
    pub pin_lockout_minutes: Option<u32>,
    /// Show aliases in the home screen's list of today's contacts (the
    /// screen faces the hatch; default false).
    pub hatch_shows_aliases: Option<bool>,
    /// May doorlog be quit at all (with a coordinator's PIN)? Default true;
    /// false for a kiosk session that must stay up.
    pub allow_quit: Option<bool>,
    /// Where the door screen writes its daily backups (relative to the data
    /// directory, or absolute); default `backups`.
    pub backup_dir: Option<String>,
    /// How many daily backups are kept (besides one a month for a year).
    pub backups_kept: Option<u32>,
}

/// The settings in force.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub centre: Option<String>,
    pub day_rule: ServiceDayRule,
    pub code_scheme: CodeScheme,
    pub store: StoreOptions,
    /// The language of every text a person sees: `--lang`, else
    /// `language` in `config.json`, else the locale.
    pub lang: Lang,
    pub catalog: Catalog,
    pub idle_lock_minutes: u16,
    pub privacy: crate::store::PrivacyPolicy,
    pub pin_policy: crate::domain::PinPolicy,
    pub hatch_shows_aliases: bool,
    pub allow_quit: bool,
    pub backup_dir: PathBuf,
    pub backups_kept: u32,
}

impl Config {
    /// Reads `config.json` and `catalog.json` from the data directory, if
    /// they are there.
    pub fn load(data_dir: &Path) -> Result<Config, InvalidInput> {
        Config::load_with_lang(data_dir, None)
    }

    /// As `load`, with the language given on the command line (`--lang`),
    /// which wins over the file's.
    pub fn load_with_lang(data_dir: &Path, lang: Option<&str>) -> Result<Config, InvalidInput> {
        let file = match read_optional(&data_dir.join("config.json"))? {
            Some(text) => serde_json::from_str::<ConfigFile>(&text)
                .map_err(|e| InvalidInput::new("config_file", "not_valid").arg("detail", e))?,
            None => ConfigFile::default(),
        };
        let catalog = match read_optional(&data_dir.join("catalog.json"))? {
            Some(text) => Catalog::from_json(&text)?,
            None => Catalog::default_catalog(),
        };
        let cutover = file.cutover_hour.unwrap_or(0);
        let day_rule = match &file.timezone {
            Some(tz) => ServiceDayRule::new(tz, cutover)?,
            None => ServiceDayRule::local(cutover)?,
        };
        let code_scheme = match &file.code_scheme {
            Some(s) => CodeScheme::new(s)?,
            None => CodeScheme::default(),
        };
        let lang = match lang.or(file.language.as_deref()) {
            Some(l) => Lang::parse(l).ok_or_else(|| InvalidInput::new("lang", "lang_code"))?,
            None => Lang::from_env(),
        };
        let mut store = StoreOptions::default();
        if let Some(mb) = setting("cache_mb", file.cache_mb, 4..=4096)? {
            store.cache_bytes = mb * 1024 * 1024;
        }
        let idle_lock_minutes =
            setting("idle_lock_minutes", file.idle_lock_minutes, 1..=120)?.unwrap_or(5);
        let mut privacy = crate::store::PrivacyPolicy::default();
        if let Some(d) = setting("note_retention_days", file.note_retention_days, 1..=3650)? {
            privacy.note_days = d;
        }
        if let Some(d) = setting(
            "anonymise_after_days",
            file.anonymise_after_days,
            30..=36500,
        )? {
            privacy.anonymise_days = d;
        }
        let mut pin_policy = crate::domain::PinPolicy::default();
        if let Some(n) = setting("pin_max_failures", file.pin_max_failures, 3..=20)? {
            pin_policy.max_failures = n;
        }
        if let Some(m) = setting("pin_lockout_minutes", file.pin_lockout_minutes, 1..=1440)? {
            pin_policy.lockout_secs = i64::from(m) * 60;
        }
        let backups_kept = setting("backups_kept", file.backups_kept, 1..=365)?.unwrap_or(14);
        let backup_dir = data_dir.join(file.backup_dir.as_deref().unwrap_or("backups"));
        Ok(Config {
            backup_dir,
            backups_kept,
            hatch_shows_aliases: file.hatch_shows_aliases.unwrap_or(false),
            allow_quit: file.allow_quit.unwrap_or(true),
            pin_policy,
            privacy,
            idle_lock_minutes,
            data_dir: data_dir.to_path_buf(),
            centre: file.centre.filter(|c| !c.trim().is_empty()),
            day_rule,
            code_scheme,
            store,
            lang,
            catalog,
        })
    }
}

/// A number from `config.json`, checked against its allowed range.
fn setting<T>(
    field: &'static str,
    value: Option<T>,
    allowed: std::ops::RangeInclusive<T>,
) -> Result<Option<T>, InvalidInput>
where
    T: PartialOrd + std::fmt::Display + Copy,
{
    match value {
        Some(v) if !allowed.contains(&v) => Err(InvalidInput::new(field, "range")
            .arg("min", allowed.start())
            .arg("max", allowed.end())),
        other => Ok(other),
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, InvalidInput> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(InvalidInput::new("config", "cannot_read")
            .arg("path", path.display())
            .arg("detail", e)),
    }
}
