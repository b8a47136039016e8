//! The app: the gate in front, a stack of screens behind it (open pushes,
//! Esc pops), the help overlay, the idle lock and the day roll-over. Every
//! key and every paste comes in through `input`, and the gate sees it first.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Paragraph, Wrap};
use time::OffsetDateTime;
use unicode_width::UnicodeWidthStr;

use super::env::Env;
use super::keys::{self, Binding, HelpLine, Key};
use super::nav::Nav;
use super::screens::gate::{Gate, Mode};
use super::screens::home::Home;
use super::screens::{self, Screen, View};
use super::search::VisitorIndex;
use super::theme::Theme;
use super::widgets::{chrome, help};
use crate::config::Config;
use crate::domain::Staff;
use crate::i18n::Texts;
use crate::store::Store;

/// Free space that counts as room again after a full disk: a few of
/// sled's 512 KiB segments (a quarter of a disk smaller than 16 MiB).
const ROOM_NEEDED: u64 = 4 * 1024 * 1024;

/// What the work beside the screen sends back (`work_beside`).
pub enum Done {
    /// The visitors for the search, read after the first frame.
    Visitors(crate::store::Result<VisitorIndex>),
    /// The day's upkeep: what it did, and whether the files are due a
    /// rewrite.
    Swept(crate::store::Result<(crate::store::SweepReport, bool)>),
    /// A copy of the store is made (and kept up to date): it takes the
    /// store's place when the screen is next locked and left alone.
    RewriteReady(crate::store::Result<()>),
    /// The day's backup is written (where), or why not.
    BackedUp(crate::store::Result<std::path::PathBuf>),
    /// The day before's counts are exported (where), or why not.
    Exported(crate::store::Result<std::path::PathBuf>),
}

/// What the screen asks of the work beside it.
pub enum Job {
    /// Rewrite the store's files (the privacy rules deleted things).
    Rewrite,
    /// The backup of this service day, if there is none yet.
    Backup(time::Date),
    /// The backup of this service day made again (at the set hour), so it
    /// has the day's work; it replaces the one made at the day's start.
    BackupAgain(time::Date),
}

/// How the work beside the screen ends, once the screen has stopped.
pub mod stop {
    pub const RUNNING: u8 = 0;
    /// The screen writes no more: finish the rewrite's copy, it takes
    /// the store's place.
    pub const FINISH_REWRITE: u8 = 1;
    pub const ABANDON: u8 = 2;
    /// The screen stopped for good (quit, a signal, the terminal gone):
    /// nothing is saved any more, so a backup under way is finished (the
    /// day then has one even if the screen was never left locked);
    /// anything else is given up.
    pub const FINISH_BACKUP: u8 = 3;
}

/// What the screen and the work beside it tell each other without waiting.
#[derive(Debug, Default)]
pub struct Signals {
    /// How the work is to end (`stop::*`).
    pub stopping: std::sync::atomic::AtomicU8,
    /// The screen is locked, so nothing is being saved: a backup's copy
    /// is finished then.
    pub quiet: std::sync::atomic::AtomicBool,
}

impl Signals {
    fn stopped(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst) != stop::RUNNING
    }

    /// Is a backup under way to be given up?
    fn backup_given_up(&self) -> bool {
        !matches!(
            self.stopping.load(std::sync::atomic::Ordering::SeqCst),
            stop::RUNNING | stop::FINISH_BACKUP
        )
    }

    /// The screen stopped for good and a backup under way is finished.
    fn finishing(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst) == stop::FINISH_BACKUP
    }

    /// May a backup's copy be sealed now: nothing is being saved?
    fn nothing_saved(&self) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        self.quiet.load(SeqCst) || self.stopping.load(SeqCst) == stop::FINISH_BACKUP
    }
}

/// The work beside the screen, in its own thread for the screen's life:
/// first the visitors are read for the search (100,000 take a few hundred
/// milliseconds, so they come after the first frame, while staff sign in),
/// then the day's upkeep (closing past days, the privacy rules: the first
/// after years of notes takes seconds) and the day's backup, then what the
/// screen asks (a rewrite of the files, made while the screen keeps
/// saving; the next day's backup). Each result goes to the screen as it
/// is ready. Returns whether a rewrite is finished and ready to take the
/// store's place.
pub fn work_beside(
    store: &Store,
    cfg: &Config,
    now: OffsetDateTime,
    to: &std::sync::mpsc::Sender<Done>,
    jobs: &std::sync::mpsc::Receiver<Job>,
    signals: &Signals,
) -> crate::store::Result<bool> {
    use std::sync::atomic::Ordering::SeqCst;
    let index = VisitorIndex::read(store);
    let _ = to.send(Done::Visitors(index));
    let today = cfg.day_rule.service_day(now);
    let swept = store
        .privacy_sweep(today, &cfg.privacy, now.unix_timestamp())
        .and_then(|r| {
            // An erasure's promised rewrite that a stop cut short, or the
            // weekly one after the rules deleted something.
            let due =
                store.rewrite_due()? || (r.changed() && rewrite_due(store, now.unix_timestamp()));
            Ok((r, due))
        });
    let _ = to.send(Done::Swept(swept));
    // What cron would do for a service day: its backup, the day before's
    // counts for a pickup job.
    let daily = |day, again| {
        // The settings as the settings screen left them.
        let cfg = &cfg.with_store(store).unwrap_or_else(|_| cfg.clone());
        if let Some(done) = back_up(store, cfg, day, again, signals) {
            let _ = to.send(Done::BackedUp(done));
        }
        if let Some(done) = export_day_before(store, cfg, day) {
            let _ = to.send(Done::Exported(done));
        }
    };
    daily(today, false);
    loop {
        if signals.stopped() {
            return Ok(false);
        }
        match jobs.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(Job::Rewrite) => {}
            Ok(Job::Backup(day)) => {
                daily(day, false);
                continue;
            }
            Ok(Job::BackupAgain(day)) => {
                daily(day, true);
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(false),
        }
        let mut rewrite = match store.start_rewrite_until(&cfg.store, &|| signals.stopped()) {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(false),
            Err(e) => {
                let _ = to.send(Done::RewriteReady(Err(e)));
                continue;
            }
        };
        let _ = to.send(Done::RewriteReady(Ok(())));
        loop {
            match signals.stopping.load(SeqCst) {
                stop::RUNNING => {
                    if let Err(e) = rewrite.carry(std::time::Duration::from_millis(50)) {
                        rewrite.abandon();
                        let _ = to.send(Done::RewriteReady(Err(e)));
                        break;
                    }
                }
                stop::FINISH_REWRITE => return rewrite.finish().map(|()| true),
                _ => {
                    rewrite.abandon();
                    return Ok(false);
                }
            }
        }
    }
}

/// The counts of the service day before `day`, for a pickup job, into the
/// export directory (`exports/` in the data directory): the daily CSV as
/// `doorlog export` writes it, and the long format (`date,centre,metric,
/// value`), unless they are there. Counts only, like every export.
fn export_day_before(
    store: &Store,
    cfg: &Config,
    day: time::Date,
) -> Option<crate::store::Result<std::path::PathBuf>> {
    let before = day.previous_day()?;
    let dir = cfg.export_dir.clone();
    let name = format!("counts-{}", crate::report::iso(before));
    let (csv_path, long_path) = (
        dir.join(format!("{name}.csv")),
        dir.join(format!("{name}-long.csv")),
    );
    if csv_path.exists() && long_path.exists() {
        return None;
    }
    let run = || -> crate::store::Result<std::path::PathBuf> {
        let counts = store.report_counts(before, before)?;
        let opts = crate::report::ExportOptions {
            centre: cfg.centre_name(),
            ..Default::default()
        };
        let export =
            |format| crate::report::export(&counts, &cfg.catalog, before, before, format, &opts);
        let (csv, long) = (
            export(crate::report::Format::Csv),
            export(crate::report::Format::Long),
        );
        let at = OffsetDateTime::now_utc().unix_timestamp();
        for (path, bytes) in [(&csv_path, &csv[..]), (&long_path, &long[..])] {
            crate::files::write_export(store, path, bytes, "export", None, at).map_err(
                |e| match e {
                    crate::files::ExportError::Store(e) => e,
                    crate::files::ExportError::Write { path, source } => {
                        crate::store::StoreError::Io { dir: path, source }
                    }
                    crate::files::ExportError::NotAFile { path } => crate::store::StoreError::Io {
                        dir: path,
                        source: std::io::ErrorKind::InvalidInput.into(),
                    },
                },
            )?;
        }
        Ok(csv_path.clone())
    };
    Some(run())
}

/// The backup of service day `day` into the backup directory, unless there
/// is one (`again`: it replaces the one there): copied and finished while
/// the screen is locked and left alone, or stopping (nothing is saved
/// then, so the copy is whole), marked, and the old ones rotated. `None`: nothing to do, or
/// doorlog stopped first.
fn back_up(
    store: &Store,
    cfg: &Config,
    day: time::Date,
    again: bool,
    signals: &Signals,
) -> Option<crate::store::Result<std::path::PathBuf>> {
    let target = cfg.backup_dir.join(crate::store::daily_backup_name(day));
    if target.exists() && !again {
        return None;
    }
    let io = |source| crate::store::StoreError::Io {
        dir: cfg.backup_dir.clone(),
        source,
    };
    let mut partial = target.clone().into_os_string();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let run = || -> crate::store::Result<Option<std::path::PathBuf>> {
        // The copy opens a second sled, whose page table grows to the
        // store's (60 MB at a million contacts): it is made while nothing
        // is saved (the screen locked and left alone, or stopping), not
        // while staff work.
        while !signals.nothing_saved() {
            if signals.backup_given_up() {
                return Ok(None);
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        std::fs::create_dir_all(&partial).map_err(io)?;
        let path = partial.join(crate::store::STORE_SUBDIR);
        // At full speed when doorlog is stopping: nothing waits beside it.
        let gently = !signals.finishing();
        let Some(mut copy) =
            store.start_backup_copy(&cfg.store, &path, gently, &|| signals.backup_given_up())?
        else {
            return Ok(None);
        };
        while !signals.nothing_saved() {
            if signals.backup_given_up() {
                copy.abandon();
                let _ = std::fs::remove_dir_all(&partial);
                return Ok(None);
            }
            copy.carry(std::time::Duration::from_millis(50))?;
        }
        // The one made earlier stays until the new one is whole.
        let mut earlier = partial.clone().into_os_string();
        earlier.push(".earlier");
        let earlier = std::path::PathBuf::from(earlier);
        let replacing = target.exists();
        if replacing {
            std::fs::rename(&target, &earlier).map_err(io)?;
        }
        if let Err(e) = store.seal_backup(copy, &target) {
            if replacing {
                let _ = std::fs::rename(&earlier, &target);
            }
            return Err(e);
        }
        if replacing {
            let _ = std::fs::remove_dir_all(&earlier);
        }
        // The backup is whole; old ones that cannot be removed are said in
        // the log, not taken for a failed backup.
        if let Err(e) = crate::store::rotate_backups(&cfg.backup_dir, cfg.backups_kept as usize) {
            log::warn!("old backups could not be removed: {e}");
        }
        Ok(Some(target.clone()))
    };
    match run() {
        Ok(done) => done.map(Ok),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            Some(Err(e))
        }
    }
}

/// A week since the files were last rewritten (or never)?
fn rewrite_due(store: &Store, now: i64) -> bool {
    store
        .days_since_compaction(now)
        .ok()
        .flatten()
        .is_none_or(|d| d >= 7)
}

/// How long a locked screen is left alone before a backup's copy is sealed.
const QUIET_AFTER: time::Duration = time::Duration::seconds(10);

/// How long the locked screen is left alone before a due rewrite runs.
const REWRITE_AFTER_IDLE: time::Duration = time::Duration::minutes(2);

/// The smallest terminal the screens are drawn on.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// What comes from the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Paste(String),
}

/// The keys every screen behind the gate has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Global {
    Help,
    Lock,
    Quit,
}

pub const GLOBAL: &[Binding<Global>] = &[
    Binding::new(&[Key::Code(KeyCode::F(1))], Global::Help, "help.help").footer("foot.keys"),
    Binding::new(
        &[Key::Code(KeyCode::F(9)), Key::Ctrl('l')],
        Global::Lock,
        "help.lock",
    ),
    Binding::new(
        &[Key::Ctrl('q'), Key::Code(KeyCode::F(10)), Key::Ctrl('c')],
        Global::Quit,
        "help.quit",
    ),
];

pub struct App<'a> {
    pub env: Env<'a>,
    /// Setup, sign-in or lock, in front of everything else.
    gate: Option<Gate>,
    /// The screens, home at the bottom.
    stack: Vec<Box<dyn Screen>>,
    help: bool,
    /// How far the help is scrolled (on a small terminal).
    help_scroll: usize,
    pub quit: bool,
    /// The disk has room again after it was full: the store is to be
    /// opened afresh (`ui::run` does it and starts the app over).
    pub reopen: bool,
    /// When free space was last looked at.
    space_checked: OffsetDateTime,
    /// The work beside the screen (`work_beside`): its results, and the
    /// way to ask it for more.
    beside: Option<std::sync::mpsc::Receiver<Done>>,
    jobs: Option<std::sync::mpsc::Sender<Job>>,
    signals: Option<std::sync::Arc<Signals>>,
    /// A rewrite was asked for; its copy is ready.
    rewrite_asked: bool,
    pub rewrite_ready: bool,
    /// The screen stopped for the rewrite's copy to take the store's place
    /// (not for a full disk: a save that failed there may be in the copy).
    pub reopen_for_rewrite: bool,
    /// The sweep changed records and the files are due a rewrite (so no old
    /// version stays on disk): done while the screen is locked and idle.
    pub rewrite_wanted: bool,
    /// Who was signed in when the screen locked.
    locked_by: Option<u64>,
    /// The service day whose backup was made again at the set hour.
    backed_up_at_hour: Option<time::Date>,
    /// Unsaved screens put aside when someone else signed in, with their
    /// owner: they come back only to that staff member.
    stash: std::collections::HashMap<u64, Vec<Box<dyn Screen>>>,
    /// The last key, for the idle lock.
    last_key: OffsetDateTime,
    /// Which screen said the status line's text: a number given to each
    /// screen as it opens. A status belongs to the screen it was said on.
    serials: Vec<u64>,
    next_serial: u64,
    status_owner: u64,
}

impl<'a> App<'a> {
    /// The app as it starts: behind the gate (setup on a store without
    /// staff, sign-in otherwise), in the language of `tx` (`run` gives the
    /// settings' language; tests choose).
    pub fn new(
        store: &'a Store,
        cfg: &'a Config,
        tx: Texts,
        theme: Theme,
        now: OffsetDateTime,
    ) -> crate::store::Result<App<'a>> {
        let mut app = App::without_visitors(store, cfg, tx, theme, now)?;
        app.env.index = VisitorIndex::read(store)?;
        Ok(app)
    }

    /// The app before the visitors are read for the search: they come from
    /// `work_beside`, after the first frame.
    pub fn without_visitors(
        store: &'a Store,
        cfg: &'a Config,
        tx: Texts,
        theme: Theme,
        now: OffsetDateTime,
    ) -> crate::store::Result<App<'a>> {
        let env = Env::new(store, cfg, tx, theme, now)?;
        let gate = if store.staff()?.iter().any(|s| s.active) {
            Gate::locked()
        } else {
            Gate::setup()
        };
        Ok(App {
            env,
            gate: Some(gate),
            stack: vec![Box::new(Home::default())],
            help: false,
            help_scroll: 0,
            quit: false,
            reopen: false,
            space_checked: now,
            beside: None,
            jobs: None,
            signals: None,
            rewrite_asked: false,
            rewrite_ready: false,
            reopen_for_rewrite: false,
            rewrite_wanted: false,
            locked_by: None,
            backed_up_at_hour: None,
            stash: Default::default(),
            last_key: now,
            serials: vec![0],
            next_serial: 1,
            status_owner: 0,
        })
    }

    /// Opens the gate for a staff member without a PIN: for tests and
    /// benchmarks, which start past the sign-in.
    pub fn signed_in_as(&mut self, staff: Staff) {
        self.env.initials.insert(staff.id, staff.initials.clone());
        self.env.staff = Some(staff);
        self.gate = None;
    }

    /// The work beside the screen (`work_beside`): its results come here,
    /// the screen asks it for a rewrite or a backup through `jobs`, and
    /// tells it through `signals` when it is locked.
    pub fn working_beside(
        &mut self,
        results: std::sync::mpsc::Receiver<Done>,
        jobs: std::sync::mpsc::Sender<Job>,
        signals: std::sync::Arc<Signals>,
    ) {
        self.beside = Some(results);
        self.jobs = Some(jobs);
        self.signals = Some(signals);
    }

    /// Starts over after the store was opened afresh (a full disk had
    /// room again): the same person signed in, their kept contact back.
    pub fn resume(&mut self, staff: Staff) {
        self.signed_in_as(staff);
        self.opened();
        let msg = self.env.tx.t("status.disk_room_again").to_string();
        self.env.say(msg);
        // Said to the screen in front now, so the next key keeps it.
        self.status_owner = self.serials.last().copied().unwrap_or(0);
    }

    /// Is the gate closed (setup, sign-in or locked)?
    pub fn is_locked(&self) -> bool {
        self.gate.is_some()
    }

    pub fn gate(&self) -> Option<&Gate> {
        self.gate.as_ref()
    }

    /// The name of the screen in front (`gate` while locked).
    pub fn screen_name(&self) -> &'static str {
        match &self.gate {
            Some(_) => Gate::NAME,
            None => self.top().name(),
        }
    }

    /// The screen in front, as its own type, if it is that type.
    pub fn screen<T: 'static>(&self) -> Option<&T> {
        self.top().as_any().downcast_ref()
    }

    pub fn help_open(&self) -> bool {
        self.help
    }

    fn top(&self) -> &dyn Screen {
        self.stack
            .last()
            .map(|b| b.as_ref())
            .expect("home is never popped")
    }

    /// The one way in for keys and pastes.
    pub fn input(&mut self, input: Input) {
        let env = &mut self.env;
        if let Some(gate) = &mut self.gate {
            let nav = match input {
                Input::Key(k) => Screen::key(gate, k, env),
                Input::Paste(t) => Some(Screen::paste(gate, &t, env)),
            };
            match (gate.mode, nav.unwrap_or(Nav::Stay)) {
                // Leaving the first start quits at once; from the lock a
                // coordinator must sign; a signed quit quits.
                (Mode::Setup, Nav::Quit) if !env.cfg.allow_quit => env.fail_key("gate.quit_off"),
                (Mode::Setup, Nav::Quit) | (Mode::Quit { .. }, Nav::Quit) => self.quit = true,
                (Mode::SignIn, Nav::Quit) => self.ask_to_quit(true),
                (Mode::Quit { locked }, Nav::Pop) => {
                    env.status = None;
                    self.gate = locked.then(Gate::locked);
                }
                (_, nav) => self.go(nav),
            }
            // What the gate said (signed in, kept for) stays in front.
            self.status_owner = self.serials.last().copied().unwrap_or(0);
            return;
        }
        self.last_key = env.now;
        // Someone is at the keyboard: no backup is sealed now.
        if let Some(signals) = &self.signals {
            signals
                .quiet
                .store(false, std::sync::atomic::Ordering::SeqCst);
        }
        let top = self.stack.last_mut().expect("home is never popped");
        let global = match &input {
            Input::Key(k) => keys::dispatch(GLOBAL, *k, env.role(), &env.cfg.catalog),
            Input::Paste(_) => None,
        };
        if let Some(hit) = global {
            // Lock and quit work with the help open too; F1 toggles it.
            top.interrupted();
            let help = std::mem::take(&mut self.help);
            return self.go(match hit.action {
                Global::Help if help => Nav::Stay,
                Global::Help => Nav::Help,
                Global::Lock => Nav::Lock,
                Global::Quit => Nav::Quit,
            });
        }
        if self.help {
            // Arrows scroll it; any other key or paste closes the help, and
            // does nothing else: a key pressed to close it must not save or
            // add anything.
            match &input {
                Input::Key(k) if k.code == KeyCode::Down => {
                    let lines = self.help_lines().len();
                    self.help_scroll = (self.help_scroll + 1).min(lines);
                }
                Input::Key(k) if k.code == KeyCode::Up => {
                    self.help_scroll = self.help_scroll.saturating_sub(1)
                }
                _ => self.help = false,
            }
            return;
        }
        let before = env.status.clone();
        let nav = match input {
            Input::Key(k) => top.key(k, env),
            Input::Paste(t) => Some(top.paste(&t, env)),
        };
        self.go(nav.unwrap_or(Nav::Stay));
        self.own_status(before);
        if let Some(old) = self.env.catalog_before.take() {
            self.carry_over_catalog(&old);
        }
    }

    /// The catalog changed: contacts put aside for someone else hold items
    /// and topics by their place in the old one, so each is taken over to
    /// the new one by id (as a contact kept when doorlog stops is).
    fn carry_over_catalog(&mut self, old: &crate::domain::Catalog) {
        for stack in self.stash.values_mut() {
            for screen in stack.iter_mut() {
                if let Some(kept) = screen.kept(old) {
                    *screen = Box::new(super::screens::contact::Contact::from_kept(
                        kept,
                        &mut self.env,
                    ));
                }
            }
        }
    }

    /// A status said now belongs to the screen in front after the key (a
    /// save says "saved" on the home screen it returns to); an older one
    /// goes when its screen is no longer in front.
    fn own_status(&mut self, before: Option<super::env::Status>) {
        let top = self.serials.last().copied().unwrap_or(0);
        if self.env.status != before {
            self.status_owner = top;
        } else if self.status_owner != top {
            self.env.status = None;
        }
    }

    /// A key press (the event loop and tests).
    pub fn key(&mut self, key: KeyEvent) {
        self.input(Input::Key(key));
    }

    fn go(&mut self, nav: Nav) {
        match nav {
            Nav::Stay => {}
            Nav::Push(route) => {
                if let Some(s) = screens::open(route, &mut self.env) {
                    self.push(s);
                }
            }
            Nav::Pop => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                    self.serials.pop();
                    self.refresh();
                }
            }
            Nav::Replace(route) => {
                if let Some(s) = screens::open(route, &mut self.env) {
                    if self.stack.len() > 1 {
                        self.stack.pop();
                        self.serials.pop();
                    }
                    self.push(s);
                }
            }
            // A fresh search line for the next visitor.
            Nav::Home => self.reset_stack(),
            Nav::Help => {
                self.help = true;
                self.help_scroll = 0;
            }
            Nav::Lock => self.lock(),
            Nav::Quit => self.ask_to_quit(false),
            Nav::Open => self.opened(),
        }
    }

    fn push(&mut self, s: Box<dyn Screen>) {
        self.stack.push(s);
        self.serials.push(self.next_serial);
        self.next_serial += 1;
    }

    /// Just a fresh home screen.
    fn reset_stack(&mut self) {
        self.stack = vec![Box::new(Home::default())];
        self.serials = vec![self.next_serial];
        self.next_serial += 1;
    }

    /// Quitting leaves the kiosk for the computer's shell: a coordinator
    /// with nothing unsaved quits at once; anyone else, a locked screen or
    /// unsaved work needs a coordinator's PIN (which is the "are you
    /// sure"); a centre can forbid it (`allow_quit`).
    fn ask_to_quit(&mut self, locked: bool) {
        if !self.env.cfg.allow_quit {
            return self.env.fail_key("gate.quit_off");
        }
        // Anyone's unsaved work, kept aside included, is asked for.
        let unsaved = self.stack.iter().any(|s| s.unsaved()) || !self.stash.is_empty();
        if !locked && self.env.is_coordinator() && !unsaved {
            let env = &mut self.env;
            if let Err(e) = env.store.log("quit", env.staff_id(), None, env.at()) {
                env.store_failed(&e);
            }
            self.quit = true;
            return;
        }
        self.help = false;
        self.env.status = None;
        self.gate = Some(Gate::quitting(locked));
    }

    /// The screen in front brings what it shows in step with `Env`.
    fn refresh(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            top.refresh(&self.env);
        }
    }

    /// Locks at once (a key, or idle). What was being typed stays hidden
    /// and comes back only for the same staff member.
    pub fn lock(&mut self) {
        // Already locked; but the quit prompt over an open screen locks too.
        if self
            .gate
            .as_ref()
            .is_some_and(|g| g.mode != Mode::Quit { locked: false })
        {
            return;
        }
        if let Some(top) = self.stack.last_mut() {
            top.interrupted();
            top.locked();
        }
        let env = &mut self.env;
        self.locked_by = env.staff_id();
        self.help = false;
        env.status = None;
        self.gate = Some(Gate::locked());
        if let Err(e) = env.store.log("lock", env.staff_id(), None, env.at()) {
            env.store_failed(&e);
        }
        env.staff = None;
    }

    /// Someone signed in. Their own unsaved work comes back; someone
    /// else's is put aside until its owner signs in again.
    fn opened(&mut self) {
        self.gate = None;
        self.last_key = self.env.now;
        let Some(id) = self.env.staff_id() else {
            return;
        };
        let unsaved = |stack: &[Box<dyn Screen>]| stack.iter().any(|s| s.unsaved());
        let owner = self.locked_by.take();
        if let Some(o) = owner.filter(|o| *o != id)
            && unsaved(&self.stack)
        {
            let stack = std::mem::take(&mut self.stack);
            self.reset_stack();
            // One stash per owner: a second one never overwrites the first.
            self.stash.insert(o, stack);
            // Said, so nobody wonders where it went.
            let name = self.env.staff.as_ref().map_or("", |s| s.name.as_str());
            let msg = self.env.tx.f(
                "gate.kept_for",
                &[("name", &name), ("owner", &self.env.initials_of(Some(o)))],
            );
            self.env.say(msg);
        }
        if !unsaved(&self.stack) {
            self.reset_stack();
            if let Some(stack) = self.stash.remove(&id) {
                self.serials = (0..stack.len() as u64)
                    .map(|n| self.next_serial + n)
                    .collect();
                self.next_serial += stack.len() as u64;
                self.stack = stack;
                for s in &mut self.stack {
                    s.refresh(&self.env);
                }
            }
        }
        // A contact kept when doorlog last had to stop comes back too.
        if !unsaved(&self.stack) {
            match self.env.store.take_kept_contact(id) {
                Ok(Some(k)) => self.go(Nav::Push(super::nav::Route::Kept(k))),
                Ok(None) => {}
                Err(e) => self.env.store_failed(&e),
            }
        }
        if unsaved(&self.stack) {
            let name = self.env.staff.as_ref().map_or("", |s| s.name.as_str());
            let msg = self.env.tx.f("gate.hello_back", &[("name", &name)]);
            self.env.say(msg);
        }
    }

    /// doorlog has to stop (a signal, the terminal gone): every contact
    /// being typed is kept in the store for whoever was typing it, and
    /// comes back at their next sign-in.
    pub fn keep_unsaved(&mut self) {
        for (owner, k) in self.unsaved_contacts() {
            if let Err(e) = self.env.store.keep_contact(owner, &k) {
                self.env.store_failed(&e);
            }
        }
    }

    /// Every contact being typed, with whoever is typing it.
    pub fn unsaved_contacts(&self) -> Vec<(u64, crate::domain::KeptContact)> {
        let here = self.env.staff_id().or(self.locked_by);
        let cat = &self.env.cfg.catalog;
        let open = self
            .stack
            .iter()
            .filter_map(|s| Some((here?, s.kept(cat)?)));
        let aside = self
            .stash
            .iter()
            .flat_map(|(owner, stack)| stack.iter().filter_map(|s| Some((*owner, s.kept(cat)?))));
        open.chain(aside).collect()
    }

    /// The clock moved: a new service day starts a new tally; a terminal
    /// left alone locks itself.
    pub fn tick(&mut self, now: OffsetDateTime) {
        self.env.now = now;
        // What the work beside the screen has ready.
        while let Some(rx) = &self.beside {
            match rx.try_recv() {
                Ok(Done::Visitors(Ok(index))) => {
                    self.env.index = index;
                    for s in &mut self.stack {
                        s.refresh(&self.env);
                    }
                }
                Ok(Done::Swept(Ok((report, due)))) => {
                    // Anonymised visitors leave the search.
                    self.forget_in_search(&report.anonymised);
                    self.rewrite_wanted |= due;
                }
                Ok(Done::RewriteReady(Ok(()))) => self.rewrite_ready = true,
                Ok(Done::RewriteReady(Err(e))) => {
                    // Not a matter for the hatch (the store is as it was);
                    // the next start tries again.
                    log::warn!("the rewrite of the store's files failed: {e}");
                    self.rewrite_wanted = false;
                    self.rewrite_ready = false;
                }
                Ok(Done::BackedUp(Ok(_))) => {
                    self.env.backup_failed = None;
                    self.env.last_backup =
                        crate::store::newest_daily_backup(&self.env.cfg.backup_dir);
                }
                Ok(Done::Exported(Ok(_))) => self.env.export_failed = None,
                // Shown to coordinators until it succeeds; tried again in
                // half an hour.
                Ok(Done::BackedUp(Err(e))) => {
                    log::warn!("the daily backup failed: {e}");
                    self.env.backup_failed = Some((now, self.env.tx.store_error(&e)));
                }
                Ok(Done::Exported(Err(e))) => {
                    log::warn!("the daily export failed: {e}");
                    self.env.export_failed = Some((now, self.env.tx.store_error(&e)));
                }
                Ok(Done::Visitors(Err(e)) | Done::Swept(Err(e))) => self.env.store_failed(&e),
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.beside = None,
            }
        }
        // The work beside finishes a backup only while nothing is saved.
        // Locked and left alone for a while: nothing is being saved.
        if let Some(signals) = &self.signals {
            let quiet = self.is_locked() && now - self.last_key >= QUIET_AFTER;
            signals
                .quiet
                .store(quiet, std::sync::atomic::Ordering::SeqCst);
        }
        let env = &mut self.env;
        let due = |f: &Option<(OffsetDateTime, String)>| {
            f.as_ref()
                .is_some_and(|(t, _)| now - *t >= time::Duration::minutes(30))
        };
        if (due(&env.backup_failed) || due(&env.export_failed))
            && let Some(jobs) = &self.jobs
        {
            for (t, _) in [&mut env.backup_failed, &mut env.export_failed]
                .into_iter()
                .flatten()
            {
                *t = now;
            }
            let _ = jobs.send(Job::Backup(env.day));
        }
        // At the set hour, the day is backed up again: its backup then has
        // the day's work.
        if let Some(hour) = env.cfg.backup_hour
            && env.cfg.day_rule.wall_clock(now).hour() == hour
            && self.backed_up_at_hour != Some(env.day)
            && let Some(jobs) = &self.jobs
        {
            self.backed_up_at_hour = Some(env.day);
            let _ = jobs.send(Job::BackupAgain(env.day));
        }
        // A due rewrite is made beside the screen; its copy takes the
        // store's place when the screen is locked and left alone.
        self.rewrite_wanted |= std::mem::take(&mut self.env.rewrite_wanted);
        if self.rewrite_wanted
            && !self.rewrite_asked
            && let Some(jobs) = &self.jobs
        {
            self.rewrite_asked = jobs.send(Job::Rewrite).is_ok();
        }
        if self.rewrite_ready
            && !self.env.disk_full
            && self.is_locked()
            && now - self.last_key >= REWRITE_AFTER_IDLE
        {
            self.reopen = true;
            self.reopen_for_rewrite = true;
        }
        // After a full disk: every few seconds, is there room again?
        if self.env.disk_full && now - self.space_checked >= time::Duration::seconds(3) {
            self.space_checked = now;
            // Room: a few of sled's segments, or a quarter of a small disk.
            if crate::files::disk_space(&self.env.cfg.data_dir)
                .is_some_and(|(free, total)| free >= ROOM_NEEDED.min(total / 4))
            {
                self.reopen = true;
            }
        }
        // "Saved: Kari — ..." does not stay up for the next visitors.
        if self.env.status.as_ref().is_some_and(|s| {
            s.ok && now - s.at >= time::Duration::seconds(super::env::STATUS_SECONDS)
        }) {
            self.env.status = None;
        }
        let idle = time::Duration::minutes(i64::from(self.env.cfg.idle_lock_minutes));
        if now - self.last_key >= idle {
            self.lock();
        }
        let env = &mut self.env;
        let day = env.cfg.day_rule.service_day(now);
        if day == env.day {
            return;
        }
        env.day = day;
        // A new day: its backup, made beside the screen.
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Job::Backup(day));
        }
        // The privacy rules again (the files are rewritten when the screen
        // is next locked and left alone, if a week has passed).
        match env.store.privacy_sweep(day, &env.cfg.privacy, env.at()) {
            Ok(r) => {
                self.rewrite_wanted |= r.changed() && rewrite_due(env.store, env.at());
                // Anonymised visitors leave the search at once.
                self.forget_in_search(&r.anonymised);
            }
            Err(e) => self.env.store_failed(&e),
        }
        let env = &mut self.env;
        if let Err(e) = env.load_today() {
            env.store_failed(&e);
        }
        for s in &mut self.stack {
            s.refresh(&self.env);
        }
    }

    /// Anonymised visitors leave the search (without reading the others).
    fn forget_in_search(&mut self, ids: &[u64]) {
        if ids.is_empty() {
            return;
        }
        for &id in ids {
            self.env.index.remove(id);
        }
        for s in &mut self.stack {
            s.refresh(&self.env);
        }
    }

    /// The help lines of the screen in front, for the signed-in role.
    pub fn help_lines(&self) -> Vec<HelpLine> {
        let global: Vec<Binding<()>> = GLOBAL.iter().map(Binding::erased).collect();
        screens::help_lines(&self.env, &self.top().bindings(), &global)
    }

    /// The footer of the screen in front: its own parts, then the app's.
    pub fn footer_parts(&self) -> Vec<String> {
        let role = self.env.role();
        let mut parts = keys::footer(&self.env.tx, &self.top().bindings(), role);
        parts.extend(keys::footer(&self.env.tx, GLOBAL, role));
        parts
    }

    /// Draws everything; reads the state, never changes it.
    pub fn draw(&self, f: &mut Frame) {
        let env = &self.env;
        let area = f.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = env
                .tx
                .f("screen.too_small", &[("w", &MIN_WIDTH), ("h", &MIN_HEIGHT)]);
            f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
            return;
        }
        if let Some(gate) = &self.gate {
            return Screen::draw(gate, f, area, env);
        }
        // A long status (an error that explains itself) takes two rows.
        let status_rows = match &env.status {
            Some(s) if s.text.width() + 1 > area.width as usize => 2,
            _ => 1,
        };
        let [header, tally, body, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(8),
            Constraint::Length(status_rows),
            Constraint::Length(1),
        ])
        .areas(area);
        chrome::header(f, env, header);
        chrome::tally(f, env, tally);
        self.top().draw(f, body, env);
        chrome::status(f, env, status);
        chrome::footer(f, env, &self.footer_parts(), footer);
        if self.help {
            help::draw(f, env, body, &self.help_lines(), self.help_scroll);
        }
    }
}
