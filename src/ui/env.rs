//! What every screen shares: the store and settings, the texts and theme,
//! the clock, who is signed in, today's numbers and contacts, the visitor
//! index and the status line. Screens read and change this; they never
//! reach into each other's state.

use time::{Date, OffsetDateTime};

use super::search::VisitorIndex;
use super::theme::Theme;
use crate::config::Config;
use crate::domain::{Contact, DayCounts, Role, Staff};
use crate::i18n::Texts;
use crate::store::{Store, StoreError};

/// The line under the screen: what just happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub ok: bool,
    /// When it was said: a good outcome (which may name a visitor) goes
    /// after `STATUS_SECONDS`.
    pub at: OffsetDateTime,
}

/// How long a good outcome stays on the status line.
pub const STATUS_SECONDS: i64 = 30;

/// A saved contact as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub contact: Contact,
    pub alias: Option<String>,
}

/// Today's service day: its counts and its contacts, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Today {
    pub counts: DayCounts,
    pub contacts: Vec<Saved>,
    /// Stock of the items that have any, today's hand-outs included.
    pub stock: Vec<crate::domain::StockLine>,
}

pub struct Env<'a> {
    pub store: &'a Store,
    /// The settings in force: the store's catalog and settings over the
    /// files' (the catalog and settings screens change them).
    pub cfg: Config,
    pub tx: Texts,
    pub theme: Theme,
    pub now: OffsetDateTime,
    /// The service day `now` falls on.
    pub day: Date,
    pub staff: Option<Staff>,
    pub today: Today,
    pub index: VisitorIndex,
    pub status: Option<Status>,
    /// The day's backup failed (when it was last tried, and why): shown to
    /// coordinators until one succeeds.
    pub backup_failed: Option<(OffsetDateTime, String)>,
    /// The service day of the newest daily backup, for coordinators.
    pub last_backup: Option<time::Date>,
    /// The same for the day before's export of counts.
    pub export_failed: Option<(OffsetDateTime, String)>,
    /// A screen erased a visitor: the files are to be rewritten (the app
    /// asks the work beside the screen).
    pub rewrite_wanted: bool,
    /// Staff initials by id, for the lists.
    pub initials: std::collections::HashMap<u64, String>,
    /// Wrong tries with initials nobody has, by the initials typed: wrong
    /// PINs, next try allowed at. They wait exactly as a real account does,
    /// so the sign-in does not tell which initials exist.
    pub unknown_tries: std::collections::HashMap<String, (u32, i64)>,
    /// A write failed because the disk is full: the app watches for room.
    pub disk_full: bool,
    /// The catalog before the catalog screen changed it: the app carries
    /// contacts put aside for someone else over to the new one.
    pub catalog_before: Option<crate::domain::Catalog>,
}

impl<'a> Env<'a> {
    /// Loads every active visitor for the search, and today.
    pub fn new(
        store: &'a Store,
        cfg: &'a Config,
        tx: Texts,
        theme: Theme,
        now: OffsetDateTime,
    ) -> crate::store::Result<Env<'a>> {
        let mut env = Env {
            store,
            cfg: cfg.clone(),
            tx,
            theme,
            now,
            day: cfg.day_rule.service_day(now),
            staff: None,
            today: Today::default(),
            index: VisitorIndex::default(),
            status: None,
            unknown_tries: Default::default(),
            disk_full: false,
            catalog_before: None,
            backup_failed: None,
            last_backup: crate::store::newest_daily_backup(&cfg.backup_dir),
            export_failed: None,
            rewrite_wanted: false,
            initials: store
                .staff()?
                .into_iter()
                .map(|s| (s.id, s.initials))
                .collect(),
        };
        env.load_today()?;
        Ok(env)
    }

    /// Takes a changed catalog into use (it is in the store already).
    pub fn set_catalog(&mut self, catalog: crate::domain::Catalog) {
        let before = std::mem::replace(&mut self.cfg.catalog, catalog);
        self.catalog_before.get_or_insert(before);
    }

    /// Reads today's counts and contacts again.
    pub fn load_today(&mut self) -> crate::store::Result<()> {
        self.today.counts = self.store.day_counts(self.day)?;
        self.today.stock = self.store.stock(self.day)?;
        self.today.contacts = self
            .store
            .contacts(self.day, self.day)?
            .into_iter()
            .map(|c| {
                let alias = c
                    .visitor
                    .and_then(|v| self.store.visitor(v).ok().flatten())
                    .map(|v| v.alias);
                Saved { contact: c, alias }
            })
            .collect();
        Ok(())
    }

    /// Reads today's counts again (after a write). What is on hand
    /// follows the items handed out, without reading the stock again.
    pub fn refresh_counts(&mut self) {
        match self.store.day_counts(self.day) {
            Ok(c) => {
                for l in &mut self.today.stock {
                    if l.since <= self.day {
                        let n = |counts: &DayCounts| {
                            i64::from(counts.items_out.get(&l.item).copied().unwrap_or(0))
                        };
                        l.on_hand -= n(&c) - n(&self.today.counts);
                    }
                }
                self.today.counts = c;
            }
            Err(e) => self.store_failed(&e),
        }
    }

    /// Reads the stock again (after a delivery or a count).
    pub fn reload_stock(&mut self) {
        match self.store.stock(self.day) {
            Ok(s) => self.today.stock = s,
            Err(e) => self.store_failed(&e),
        }
    }

    /// Is this item low on stock?
    pub fn is_low(&self, item: &str) -> bool {
        self.today
            .stock
            .iter()
            .any(|l| l.item == item && l.is_low())
    }

    /// The items that run out before the day is over at today's pace, with
    /// the local time they would: (item, hour, minute).
    pub fn running_out(&self) -> Vec<(String, u8, u8)> {
        let local = self.cfg.day_rule.wall_clock(self.now);
        let mut out = Vec::new();
        // The pace since the day's first contact, once there is half an
        // hour of it.
        let Some(first) = self.today.contacts.iter().map(|s| s.contact.at).min() else {
            return out;
        };
        let hours = (self.now.unix_timestamp() - first) as f64 / 3600.0;
        if hours < 0.5 {
            return out;
        }
        for l in &self.today.stock {
            let used = f64::from(
                self.today
                    .counts
                    .items_out
                    .get(&l.item)
                    .copied()
                    .unwrap_or(0),
            );
            if used <= 0.0 || l.on_hand <= 0 {
                continue;
            }
            let left = time::Duration::seconds_f64(l.on_hand as f64 / (used / hours) * 3600.0);
            // Before this service day is over (it may run past midnight).
            if self.cfg.day_rule.service_day(self.now + left) == self.day {
                let at = local + left;
                out.push((l.item.clone(), at.hour(), at.minute()));
            }
        }
        out
    }

    /// The initials of whoever saved a contact, `-` if unknown.
    pub fn initials_of(&self, staff: Option<u64>) -> &str {
        staff
            .and_then(|id| self.initials.get(&id))
            .map_or("-", String::as_str)
    }

    pub fn role(&self) -> Option<Role> {
        self.staff.as_ref().map(|s| s.role)
    }

    pub fn staff_id(&self) -> Option<u64> {
        self.staff.as_ref().map(|s| s.id)
    }

    pub fn is_coordinator(&self) -> bool {
        self.role() == Some(Role::Coordinator)
    }

    pub fn at(&self) -> i64 {
        self.now.unix_timestamp()
    }

    /// A good outcome, in words.
    pub fn say(&mut self, text: String) {
        self.status = Some(Status {
            text,
            ok: true,
            at: self.now,
        });
    }

    /// A good outcome goes from the line: it may name the visitor before.
    pub fn clear_good_news(&mut self) {
        if self.status.as_ref().is_some_and(|s| s.ok) {
            self.status = None;
        }
    }

    /// A text of the language file as a good outcome.
    pub fn say_key(&mut self, key: &str) {
        self.say(self.tx.t(key).to_string());
    }

    /// Something went wrong, in words.
    pub fn fail(&mut self, text: String) {
        self.status = Some(Status {
            text,
            ok: false,
            at: self.now,
        });
    }

    /// A text of the language file as a failure.
    pub fn fail_key(&mut self, key: &str) {
        self.fail(self.tx.t(key).to_string());
    }

    /// A store error, in the screen's language, as a sentence.
    pub fn store_failed(&mut self, e: &StoreError) {
        let full = match e {
            StoreError::DiskFull { .. } => true,
            StoreError::Io { source, .. } => crate::store::is_disk_full(source),
            _ => false,
        };
        self.disk_full |= full;
        self.fail(sentence(&self.tx.store_error(e)));
    }

    /// A broken input rule, in the screen's language, as a sentence.
    pub fn invalid(&mut self, e: &crate::domain::InvalidInput) {
        self.fail(sentence(&self.tx.invalid(e)));
    }
}

/// A message as a sentence on screen: its first letter upper case
/// (`alias: ...` -> `Alias: ...`).
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
