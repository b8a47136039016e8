//! Where the data lives and the centre's settings. Everything is in the
//! data directory: `store/` (sled), `config.json` and `catalog.json`
//! (both optional), `backups/`, `exports/`.
//!
//! `config.json` gives every setting's first value. The settings a
//! coordinator changes on the settings screen (`SCREEN_SETTINGS`) are kept
//! in the store from then on and win over the file; the rest (the data
//! directory's own: cache, code scheme, whether doorlog may be quit) are
//! only in the file. The same for the catalog: `catalog.json` is the first
//! one, the store keeps the one the catalog screen edits.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::visitor::CodeScheme;
use crate::domain::{Catalog, InvalidInput, ServiceDayRule};
use crate::i18n::Lang;
use crate::store::StoreOptions;

/// `directories`' data dir for the app, e.g. `~/.local/share/doorlog`.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "doorlog").map(|p| p.data_dir().to_path_buf())
}

/// The settings file, `config.json` in the data directory. Every field is
/// optional. The store keeps the same form for the settings screen's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The local hour (0-23) at which the running screen backs the day up
    /// again, so the day's backup has the day's work (after closing, say);
    /// without it, the day's backup is made at its first start only.
    pub backup_hour: Option<u8>,
    /// Where the day before's counts are written for a pickup job, and
    /// the screens' exports (relative to the data directory, or absolute);
    /// default `exports`.
    pub export_dir: Option<String>,
}

/// The settings the settings screen changes, in its order. What is not
/// here is set in `config.json` only.
pub const SCREEN_SETTINGS: [&str; 14] = [
    "centre",
    "language",
    "timezone",
    "cutover_hour",
    "idle_lock_minutes",
    "pin_max_failures",
    "pin_lockout_minutes",
    "note_retention_days",
    "anonymise_after_days",
    "hatch_shows_aliases",
    "backup_dir",
    "backups_kept",
    "backup_hour",
    "export_dir",
];

impl ConfigFile {
    /// The settings the screen changed, as the store keeps them.
    pub fn stored(store: &crate::store::Store) -> crate::store::Result<Option<ConfigFile>> {
        match store.stored_settings()? {
            Some(json) => serde_json::from_str(&json).map(Some).map_err(|e| {
                crate::store::StoreError::Invalid(
                    InvalidInput::new("config", "not_valid").arg("detail", e),
                )
            }),
            None => Ok(None),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// These settings, with `over`'s wherever it has one.
    pub fn overlay(&self, over: &ConfigFile) -> ConfigFile {
        macro_rules! pick {
            ($($f:ident),*) => {
                ConfigFile { $($f: over.$f.clone().or_else(|| self.$f.clone())),* }
            };
        }
        pick!(
            centre,
            timezone,
            cutover_hour,
            code_scheme,
            cache_mb,
            language,
            idle_lock_minutes,
            note_retention_days,
            anonymise_after_days,
            pin_max_failures,
            pin_lockout_minutes,
            hatch_shows_aliases,
            allow_quit,
            backup_dir,
            backups_kept,
            backup_hour,
            export_dir
        )
    }

    /// Only the settings the screen changes (what the store keeps).
    pub fn screen_part(&self) -> ConfigFile {
        ConfigFile {
            code_scheme: None,
            cache_mb: None,
            allow_quit: None,
            ..self.clone()
        }
    }

    /// Sets a screen setting from what was typed; empty text takes the
    /// setting back to its first value. A number that is not one, or a
    /// yes/no that is neither, is refused here; ranges are checked when
    /// the settings are taken into use (`Config::with_settings`).
    pub fn set(&mut self, field: &'static str, text: &str) -> Result<(), InvalidInput> {
        let text = text.trim();
        // A whole number; one too large for the setting is kept as the
        // largest, so the range check names the range.
        fn num<T: TryFrom<u64> + num_max::Max>(
            field: &'static str,
            t: &str,
        ) -> Result<Option<T>, InvalidInput> {
            if t.is_empty() {
                return Ok(None);
            }
            if !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(InvalidInput::new(field, "not_a_number"));
            }
            let n = t.parse::<u64>().unwrap_or(u64::MAX);
            Ok(Some(T::try_from(n).unwrap_or(T::MAX)))
        }
        // An hour: `22` or `22:00`.
        fn hour(field: &'static str, t: &str) -> Result<Option<u8>, InvalidInput> {
            let whole = t.strip_suffix(":00").unwrap_or(t);
            if whole.contains(':') || whole.contains('.') {
                return Err(InvalidInput::new(field, "whole_hour"));
            }
            num(field, whole)
        }
        let txt = |t: &str| (!t.is_empty()).then(|| t.to_string());
        let line = |max| match text {
            "" => Ok(None),
            t => crate::domain::text::one_line(field, t, max).map(Some),
        };
        match field {
            "centre" => self.centre = line(64)?,
            "language" => {
                if !text.is_empty() && Lang::parse(text).is_none() {
                    return Err(InvalidInput::new("lang", "lang_code"));
                }
                self.language = txt(text);
            }
            "timezone" => self.timezone = txt(text),
            "cutover_hour" => self.cutover_hour = hour(field, text)?,
            "idle_lock_minutes" => self.idle_lock_minutes = num(field, text)?,
            "pin_max_failures" => self.pin_max_failures = num(field, text)?,
            "pin_lockout_minutes" => self.pin_lockout_minutes = num(field, text)?,
            "note_retention_days" => self.note_retention_days = num(field, text)?,
            "anonymise_after_days" => self.anonymise_after_days = num(field, text)?,
            "hatch_shows_aliases" => {
                self.hatch_shows_aliases = match text.to_lowercase().as_str() {
                    "" => None,
                    "y" | "yes" | "j" | "ja" | "true" => Some(true),
                    "n" | "no" | "nei" | "nej" | "false" => Some(false),
                    _ => return Err(InvalidInput::new(field, "yes_no")),
                }
            }
            "backup_dir" => self.backup_dir = line(200)?,
            "backups_kept" => self.backups_kept = num(field, text)?,
            "backup_hour" => self.backup_hour = hour(field, text)?,
            "export_dir" => self.export_dir = line(200)?,
            _ => {}
        }
        Ok(())
    }
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
    pub backup_hour: Option<u8>,
    pub export_dir: PathBuf,
    /// The settings as `config.json` gave them (the store's come on top,
    /// `with_store`).
    pub file: ConfigFile,
    /// The language asked for on the command line, which wins over every
    /// setting.
    pub lang_arg: Option<String>,
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
        Config::build(data_dir, file, catalog, lang.map(str::to_string))
    }

    /// The settings in force for this store: its catalog and the settings
    /// the screen changed, over what the files gave.
    pub fn with_store(&self, store: &crate::store::Store) -> crate::store::Result<Config> {
        use crate::store::StoreError;
        let mut cfg = match ConfigFile::stored(store)? {
            Some(stored) => self.with_settings(&stored).map_err(StoreError::Invalid)?,
            None => self.clone(),
        };
        if let Some(catalog) = store.stored_catalog()? {
            cfg.catalog = catalog;
        }
        Ok(cfg)
    }

    /// As `with_store`, for the door screen as it starts: a store that has
    /// no catalog or settings yet takes the files' (audited as taken by
    /// the command line), so they are in the store and its backups from
    /// then on.
    pub fn settle_in(&self, store: &crate::store::Store, at: i64) -> crate::store::Result<Config> {
        if store.stored_catalog()?.is_none() {
            store.put_catalog(&self.catalog, "catalog-import", "catalog.json", None, at)?;
        }
        if store.stored_settings()?.is_none() {
            store.put_settings(&self.file.screen_part().to_json(), "config.json", None, at)?;
        }
        self.with_store(store)
    }

    /// The centre's name as exports give it (`doorlog` when none is set).
    pub fn centre_name(&self) -> String {
        self.centre.clone().unwrap_or_else(|| "doorlog".into())
    }

    /// These settings with the screen's `stored` over the file's: checked
    /// as the file's are, with the same messages.
    pub fn with_settings(&self, stored: &ConfigFile) -> Result<Config, InvalidInput> {
        Config::build(
            &self.data_dir,
            self.file.overlay(stored),
            self.catalog.clone(),
            self.lang_arg.clone(),
        )
        .map(|c| Config {
            file: self.file.clone(),
            ..c
        })
    }

    fn build(
        data_dir: &Path,
        file: ConfigFile,
        catalog: Catalog,
        lang_arg: Option<String>,
    ) -> Result<Config, InvalidInput> {
        let lang = lang_arg.as_deref();
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
        let export_dir = data_dir.join(file.export_dir.as_deref().unwrap_or("exports"));
        let backup_hour = setting("backup_hour", file.backup_hour, 0..=23)?;
        Ok(Config {
            backup_hour,
            export_dir,
            lang_arg,
            backup_dir,
            backups_kept,
            hatch_shows_aliases: file.hatch_shows_aliases.unwrap_or(false),
            allow_quit: file.allow_quit.unwrap_or(true),
            pin_policy,
            privacy,
            idle_lock_minutes,
            data_dir: data_dir.to_path_buf(),
            centre: file.centre.clone().filter(|c| !c.trim().is_empty()),
            day_rule,
            code_scheme,
            store,
            lang,
            catalog,
            file,
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

/// The largest value of the integer types settings use.
mod num_max {
    pub trait Max {
        const MAX: Self;
    }
    impl Max for u8 {
        const MAX: u8 = u8::MAX;
    }
    impl Max for u16 {
        const MAX: u16 = u16::MAX;
    }
    impl Max for u32 {
        const MAX: u32 = u32::MAX;
    }
}
