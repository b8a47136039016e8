//! The UI's state and `update`: one match that calls small named methods.
//! Failures become a message on screen; nothing here draws.

use ratatui::crossterm::event::KeyEvent;
use time::{Date, OffsetDateTime};

use super::action::Action;
use super::i18n::Texts;
use super::keymap;
use super::search::VisitorIndex;
use super::theme::Theme;
use crate::config::Config;
use crate::domain::text::{MAX_ALIAS_CHARS, MAX_NOTE_CHARS};
use crate::domain::{Channel, Contact, ContactId, DayCounts, Flags, ItemLine, Message};
use crate::store::Store;

/// How many matches the visitor list shows at most.
pub const MATCHES: usize = 50;
/// Longest search text.
const MAX_SEARCH: usize = 64;
/// Longest message to pass on.
const MAX_MESSAGE: usize = crate::domain::message::MAX_MESSAGE_CHARS;

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

/// The new-visitor form: alias, code, birth year, gender.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitorForm {
    pub fields: [String; 4],
    pub focus: usize,
}

impl VisitorForm {
    pub const LABELS: [&'static str; 4] =
        ["form.alias", "form.code", "form.birth_year", "form.gender"];
    const MAX: [usize; 4] = [MAX_ALIAS_CHARS, 16, 4, 8];
}

/// A key press in the contact panel that Backspace can take back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    Out(usize),
    Returned(usize),
}

/// The contact being put together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub visitor: Option<(u64, String)>,
    pub channel: Channel,
    /// Units out and returned per catalog item (same order as the catalog).
    pub out: Vec<u16>,
    pub returned: Vec<u16>,
    pub topics: Vec<usize>,
    pub note: String,
    pub flags: Flags,
    pub presses: Vec<Press>,
    pub editing: Option<ContactId>,
    pub messages: Vec<Message>,
    /// Topics and note as they were when the conversation panel opened.
    saved_talk: (Vec<usize>, String),
}

impl Draft {
    fn new(items: usize, visitor: Option<(u64, String)>) -> Draft {
        Draft {
            visitor,
            channel: Channel::Door,
            out: vec![0; items],
            returned: vec![0; items],
            topics: Vec::new(),
            note: String::new(),
            flags: Flags::default(),
            presses: Vec::new(),
            editing: None,
            messages: Vec::new(),
            saved_talk: (Vec::new(), String::new()),
        }
    }

    pub(super) fn new_for_edit(
        items: usize,
        visitor: Option<(u64, String)>,
        id: ContactId,
    ) -> Draft {
        Draft {
            editing: Some(id),
            ..Draft::new(items, visitor)
        }
    }

    pub(super) fn new_for_tally(items: usize) -> Draft {
        Draft::new(items, None)
    }

    pub fn is_blank(&self) -> bool {
        self.presses.is_empty()
            && self.topics.is_empty()
            && self.note.trim().is_empty()
            && self.flags == Flags::default()
    }
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
    /// Today's contacts, newest last (at most 50).
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
    pub audit: Vec<super::audit::AuditRow>,
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
        let skip = contacts.len().saturating_sub(50);
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
            if let Err(e) = self
                .store
                .privacy_sweep(day, &self.cfg.privacy, now.unix_timestamp())
            {
                self.fail(e.to_string());
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

    fn search_edit(&mut self, f: impl FnOnce(&mut String)) {
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
        let mut d = Draft::new(self.cfg.catalog.items.len(), visitor);
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

    fn press(&mut self, p: Press) {
        let Some(d) = &mut self.draft else { return };
        let (list, i) = match p {
            Press::Out(i) => (&mut d.out, i),
            Press::Returned(i) => (&mut d.returned, i),
        };
        if list[i] >= crate::domain::contact::MAX_QUANTITY {
            return;
        }
        list[i] += 1;
        d.presses.push(p);
    }

    fn remove_last(&mut self) {
        let Some(d) = &mut self.draft else { return };
        match d.presses.pop() {
            Some(Press::Out(i)) => d.out[i] -= 1,
            Some(Press::Returned(i)) => d.returned[i] -= 1,
            None => {}
        }
    }

    fn toggle_flag(&mut self, i: usize) {
        let Some(d) = &mut self.draft else { return };
        let f = &mut d.flags;
        let flag = [
            &mut f.overdose_reported,
            &mut f.referral_made,
            &mut f.collecting_for_others,
        ];
        if let Some(b) = flag.into_iter().nth(i) {
            *b = !*b;
        }
    }

    fn cycle_channel(&mut self) {
        if let Some(d) = &mut self.draft {
            d.channel = Channel::ALL[(d.channel.index() + 1) % Channel::ALL.len()];
        }
    }

    fn open_conversation(&mut self) {
        if let Some(d) = &mut self.draft {
            d.saved_talk = (d.topics.clone(), d.note.clone());
            self.mode = Mode::Conversation { note_focus: false };
        }
    }

    fn toggle_topic(&mut self, i: usize) {
        if let Some(d) = &mut self.draft {
            match d.topics.iter().position(|t| *t == i) {
                Some(p) => {
                    d.topics.remove(p);
                }
                None => d.topics.push(i),
            }
        }
    }

    /// The text field that has the keyboard, with its limit in characters.
    fn field(&mut self) -> Option<(&mut String, usize)> {
        match &mut self.mode {
            Mode::Conversation { note_focus: true } => {
                self.draft.as_mut().map(|d| (&mut d.note, MAX_NOTE_CHARS))
            }
            Mode::NewVisitor(f) => {
                let max = VisitorForm::MAX[f.focus];
                Some((&mut f.fields[f.focus], max))
            }
            Mode::NewMessage(text) => Some((text, MAX_MESSAGE)),
            Mode::ReportRange => self
                .reports
                .as_mut()
                .map(|r| (&mut r.entry.fields[r.entry.focus], 10)),
            Mode::Audit { filter, .. } => Some((filter, 32)),
            _ => None,
        }
    }

    fn text_input(&mut self, text: &str) {
        let Some((field, max)) = self.field() else {
            return;
        };
        let room = max.saturating_sub(field.chars().count());
        let clean: Vec<char> = text
            .chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .filter(|c| !c.is_control())
            .collect();
        let dropped = clean.len() > room;
        field.extend(clean.into_iter().take(room));
        if dropped {
            let msg = self.tx.f("status.too_long", &[("max", &max)]);
            self.fail(msg);
        }
    }

    fn paste(&mut self, text: &str) {
        if self.field().is_some() {
            self.text_input(text);
        } else if self.mode == Mode::Home {
            let one_line: String = text.chars().filter(|c| !c.is_control()).collect();
            self.search_edit(|s| s.push_str(&one_line));
        } else {
            self.fail(self.tx.t("status.paste_here").to_string());
        }
    }

    fn text_backspace(&mut self) {
        if let Some((field, _)) = self.field() {
            field.pop();
        }
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

    /// The draft as catalog item lines.
    pub(super) fn item_lines(&self, d: &Draft) -> Vec<ItemLine> {
        self.cfg
            .catalog
            .items
            .iter()
            .enumerate()
            .filter(|(i, _)| d.out[*i] > 0 || d.returned[*i] > 0)
            .map(|(i, item)| ItemLine {
                item: item.id.clone(),
                out: d.out[i],
                returned: d.returned[i],
            })
            .collect()
    }
}
