//! The UI's state and `update`: one match that calls small named methods.
//! Failures become a message on screen; nothing here draws.

use ratatui::crossterm::event::KeyEvent;
use time::{Date, OffsetDateTime};

use super::action::Action;
pub use super::draft::{Draft, Press, VisitorForm};
use super::keymap;
use super::search::VisitorIndex;
use super::theme::Theme;
use crate::config::Config;
use crate::domain::{Contact, ContactId, DayCounts};
use crate::i18n::Texts;
use crate::store::Store;

/// How many of today's contacts the recent list keeps.
pub(super) const RECENT: usize = 50;
/// How many matches the visitor list shows at most.
pub const MATCHES: usize = 50;
/// Longest search text.
const MAX_SEARCH: usize = 64;
/// Longest message to pass on.
pub(super) const MAX_MESSAGE: usize = crate::domain::message::MAX_MESSAGE_CHARS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Home,
    Contact,
    Conversation {
        note_focus: bool,
    },
    NewVisitor(VisitorForm),
    Tally,
    Recent {
        selected: usize,
    },
    NewMessage(String),
    Reports,
    /// Typing a custom range on the reports screen.
    ReportRange,
    /// The audit log, filtered by what is typed.
    Audit {
        filter: String,
        selected: usize,
    },
}

/// The line under the panels: what just happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub ok: bool,
}

/// A saved contact as the recent list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub contact: Contact,
    pub alias: Option<String>,
}

pub struct App<'a> {
    pub store: &'a Store,
    pub cfg: &'a Config,
    pub tx: Texts,
    pub theme: Theme,
    pub now: OffsetDateTime,
    pub day: Date,
    pub today: DayCounts,
    pub index: VisitorIndex,
    pub mode: Mode,
    pub search: String,
    pub matches: Vec<usize>,
    pub selected: usize,
    pub draft: Option<Draft>,
    pub status: Option<Status>,
    /// Today's contacts, newest last (at most `RECENT`).
    pub recent: Vec<Saved>,
    /// Contacts saved in the current tally.
    pub tally: Vec<ContactId>,
    pub help: bool,
    pub quit: bool,
    /// Esc was pressed once on a contact with input: a second Esc discards.
    pub confirm_discard: bool,
    /// The reports screen, once opened.
    pub reports: Option<super::reports::Reports>,
    /// Who is signed in.
    pub signed_in: Option<crate::domain::Staff>,
    /// Setup, sign-in or lock in front of everything else.
    pub gate: super::gate::Gate,
    /// Who was signed in when the screen locked.
    pub locked_by: Option<u64>,
    /// The last key press, for the idle lock.
    pub last_key: OffsetDateTime,
    /// Lock after this long without a key.
    pub idle_lock: time::Duration,
    /// The audit log as loaded when its screen opened.
    pub audit: Vec<crate::report::audit::AuditRow>,
    /// An unsaved contact put aside when someone else signed in: (its
    /// staff member, the contact, the screen it was on).
    pub stash: Option<(u64, Draft, Mode)>,
}

impl<'a> App<'a> {
    /// Loads what the screen needs: every active visitor for the search and
    /// today's counts and contacts.
    pub fn new(
        store: &'a Store,
        cfg: &'a Config,
        tx: Texts,
        theme: Theme,
        now: OffsetDateTime,
    ) -> crate::store::Result<App<'a>> {
        let day = cfg.day_rule.service_day(now);
        let index = VisitorIndex::new(store.visitors()?);
        let mut app = App {
            store,
            cfg,
            tx,
            theme,
            now,
            day,
            today: DayCounts::default(),
            index,
            mode: Mode::Home,
            search: String::new(),
            matches: Vec::new(),
            selected: 0,
            draft: None,
            status: None,
            recent: Vec::new(),
            tally: Vec::new(),
            help: false,
            quit: false,
            confirm_discard: false,
            reports: None,
            signed_in: None,
            gate: if store.staff()?.iter().any(|s| s.active) {
                super::gate::Gate::locked()
            } else {
                super::gate::Gate::Setup {
                    fields: Default::default(),
                    focus: 0,
                }
            },
            locked_by: None,
            last_key: now,
            idle_lock: time::Duration::minutes(i64::from(cfg.idle_lock_minutes)),
            audit: Vec::new(),
            stash: None,
        };
        app.load_today()?;
        Ok(app)
    }

    fn load_today(&mut self) -> crate::store::Result<()> {
        self.today = self.store.day_counts(self.day)?;
        let contacts = self.store.contacts(self.day, self.day)?;
        let skip = contacts.len().saturating_sub(RECENT);
        self.recent = contacts
            .into_iter()
            .skip(skip)
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

    /// The clock moved: a new service day starts a new tally; a terminal
    /// left alone locks itself.
    pub fn tick(&mut self, now: OffsetDateTime) {
        self.now = now;
        if self.gate.is_open() && now - self.last_key >= self.idle_lock {
            self.lock();
        }
        let day = self.cfg.day_rule.service_day(now);
        if day != self.day {
            self.day = day;
            // A new day: the privacy rules again (the files are rewritten at
            // the next start).
            match self
                .store
                .privacy_sweep(day, &self.cfg.privacy, now.unix_timestamp())
            {
                // Anonymised visitors leave the search at once.
                Ok(r) if r.visitors_anonymised > 0 => match self.store.visitors() {
                    Ok(v) => self.index = VisitorIndex::new(v),
                    Err(e) => self.fail(e.to_string()),
                },
                Ok(_) => {}
                Err(e) => self.fail(e.to_string()),
            }
            if let Err(e) = self.load_today() {
                self.fail(e.to_string());
            }
        }
    }

    pub fn key(&mut self, key: KeyEvent) {
        if !self.gate.is_open() {
            return self.gate_key(key);
        }
        self.last_key = self.now;
        let coordinator = self.is_coordinator();
        if let Some(a) = keymap::action(
            &self.mode,
            self.search.is_empty(),
            coordinator,
            key,
            &self.cfg.catalog,
        ) {
            self.update(a);
        }
    }

    pub fn update(&mut self, action: Action) {
        if action != Action::Back {
            self.confirm_discard = false;
        }
        if self.help {
            // Any key closes the help; F1 / ? toggle it.
            self.help = false;
            if matches!(action, Action::Help | Action::Back) {
                return;
            }
        }
        match action {
            Action::Help => self.help = true,
            Action::Lock => self.lock(),
            Action::Quit => self.quit = true,
            Action::Back => self.back(),
            Action::SearchChar(c) => self.search_edit(|s| s.push(c)),
            Action::SearchBackspace => self.search_edit(|s| {
                s.pop();
            }),
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::Pick => self.pick(),
            Action::Anonymous => self.start_contact(None),
            Action::NewVisitor => self.new_visitor(),
            Action::Tally => {
                self.tally.clear();
                self.mode = Mode::Tally;
            }
            Action::Recent => {
                self.mode = Mode::Recent {
                    selected: self.recent.len().saturating_sub(1),
                }
            }
            Action::UndoLast => self.undo_last(),
            Action::AddItem(i) => self.press(Press::Out(i)),
            Action::ReturnItem(i) => self.press(Press::Returned(i)),
            Action::RemoveLast => self.remove_last(),
            Action::ToggleFlag(i) => self.toggle_flag(i),
            Action::CycleChannel => self.cycle_channel(),
            Action::Conversation => self.open_conversation(),
            Action::NewMessage => self.new_message(),
            Action::MessageDone => self.message_done(),
            Action::Save => self.save(),
            Action::ToggleTopic(i) => self.toggle_topic(i),
            Action::SwitchFocus => {
                if let Mode::Conversation { note_focus } = &mut self.mode {
                    *note_focus = !*note_focus;
                }
            }
            Action::TextChar(c) => self.text_input(&c.to_string()),
            Action::Paste(s) => self.paste(&s),
            Action::TextBackspace => self.text_backspace(),
            Action::NextField | Action::PrevField => match &mut self.mode {
                Mode::NewVisitor(f) => {
                    let step = if action == Action::NextField { 1 } else { 3 };
                    f.focus = (f.focus + step) % 4;
                }
                Mode::ReportRange => {
                    if let Some(r) = &mut self.reports {
                        r.entry.focus = 1 - r.entry.focus;
                    }
                }
                _ => {}
            },
            Action::Reports => self.open_reports(),
            Action::Period(p) => self.set_period(p),
            Action::Step(by) => self.step_period(by),
            Action::ThisPeriod => self.this_period(),
            Action::Export(format) => self.export(format),
            Action::Audit => self.open_audit(),
            Action::AuditExport => self.export_audit(),
            Action::TallyItem(i) => self.tally_item(i),
            Action::TallyUndo => self.tally_undo(),
            Action::UndoSelected => self.undo_selected(),
            Action::EditSelected => self.edit_selected(),
        }
    }

    pub fn is_coordinator(&self) -> bool {
        self.signed_in
            .as_ref()
            .is_some_and(|s| s.role == crate::domain::Role::Coordinator)
    }

    pub fn staff_id(&self) -> Option<u64> {
        self.signed_in.as_ref().map(|s| s.id)
    }

    pub(super) fn say(&mut self, text: String) {
        self.status = Some(Status { text, ok: true });
    }

    pub(super) fn fail(&mut self, text: String) {
        self.status = Some(Status { text, ok: false });
    }

    fn back(&mut self) {
        match &self.mode {
            Mode::Home => {
                self.search.clear();
                self.refresh_matches();
                self.status = None;
            }
            Mode::Contact => {
                let blank = self.draft.as_ref().is_none_or(Draft::is_blank);
                if blank || self.confirm_discard {
                    self.confirm_discard = false;
                    self.draft = None;
                    self.mode = Mode::Home;
                    self.say(self.tx.t("status.discarded").to_string());
                } else {
                    self.confirm_discard = true;
                    self.fail(self.tx.t("status.esc_again").to_string());
                }
            }
            Mode::Conversation { .. } => {
                if let Some(d) = &mut self.draft {
                    (d.topics, d.note) = d.saved_talk.clone();
                }
                self.mode = Mode::Contact;
            }
            Mode::NewMessage(_) => self.mode = Mode::Contact,
            Mode::ReportRange => self.mode = Mode::Reports,
            Mode::NewVisitor(_)
            | Mode::Tally
            | Mode::Recent { .. }
            | Mode::Reports
            | Mode::Audit { .. } => self.mode = Mode::Home,
        }
    }

    pub(super) fn search_edit(&mut self, f: impl FnOnce(&mut String)) {
        f(&mut self.search);
        if self.search.chars().count() > MAX_SEARCH {
            self.search = self.search.chars().take(MAX_SEARCH).collect();
        }
        self.refresh_matches();
    }

    pub(super) fn refresh_matches(&mut self) {
        self.matches = self.index.search(&self.search, MATCHES);
        self.selected = 0;
    }

    fn move_selection(&mut self, by: isize) {
        let audit_len = self.audit_filtered().len();
        let (sel, len) = match &mut self.mode {
            Mode::Recent { selected } => (selected, self.recent.len()),
            Mode::Audit { selected, .. } => (selected, audit_len),
            _ => (&mut self.selected, self.matches.len()),
        };
        if len > 0 {
            *sel = (*sel as isize + by).clamp(0, len as isize - 1) as usize;
        }
    }

    fn pick(&mut self) {
        let Some(&i) = self.matches.get(self.selected) else {
            if !self.search.trim().is_empty() {
                self.fail(self.tx.t("status.no_match").to_string());
            }
            return;
        };
        let e = self.index.get(i);
        let (id, alias) = (e.id, e.alias.clone());
        self.start_contact(Some((id, alias)));
    }

    pub(super) fn start_contact(&mut self, visitor: Option<(u64, String)>) {
        let mut d = Draft::new(visitor);
        if let Some((id, _)) = &d.visitor {
            match self.store.open_messages(*id) {
                Ok(m) => d.messages = m,
                Err(e) => self.fail(e.to_string()),
            }
        }
        self.draft = Some(d);
        self.mode = Mode::Contact;
        self.search.clear();
        self.matches.clear();
    }

    fn new_visitor(&mut self) {
        let mut form = VisitorForm::default();
        // What was typed in the search is most likely the new alias.
        form.fields[0] = self.search.trim().to_string();
        self.mode = Mode::NewVisitor(form);
    }

    /// Enter: save whatever the current screen is making.
    fn save(&mut self) {
        match &self.mode {
            Mode::Contact => self.save_contact(),
            Mode::Conversation { .. } => self.mode = Mode::Contact,
            Mode::NewVisitor(_) => self.save_visitor(),
            Mode::NewMessage(_) => self.save_message(),
            Mode::ReportRange => self.apply_range(),
            _ => {}
        }
    }
}
