//! The contact at the hatch: items by hotkey (a number first sets how
//! many, `-` first makes it a return), "the usual", channel; the
//! conversation (topics, events, a short note) and the visitor's messages
//! are parts of it; a known visitor's card fills the empty rows. Enter
//! saves; Esc backs out (twice if something was keyed).

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::View;
use crate::domain::catalog::name_in;
use crate::domain::message::MAX_MESSAGE_CHARS;
use crate::domain::{Channel, ContactId};
use crate::ui::card::{Card, channel_key};
use crate::ui::draft::Draft;
use crate::ui::env::Env;
use crate::ui::keys::{Arg, Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::ops;
use crate::ui::widgets::form::TextField;
use crate::ui::widgets::grid::{self, Cell};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    AddItem,
    Digit,
    Returning,
    Usual,
    TakeBack,
    Talk,
    Channel,
    NewMessage,
    MessageDone,
    Open,
    Save,
    Back,
    Help,
    // The conversation
    Topic,
    Flag,
    Focus,
    Done,
    Drop,
    // Text (the note, a message)
    Type,
    Erase,
    SaveMessage,
    CancelMessage,
    // A contact that came back (after a lock or a restart)
    Resume,
    DropHeld,
    HeldKey,
}

use Action as A;
use KeyCode as K;

const ITEMS: &[Binding<Action>] = &[
    Binding::new(&[Key::Item], A::AddItem, "help.add_item").footer("foot.item"),
    Binding::new(&[Key::OneOf("0123456789")], A::Digit, "help.quantity").footer("foot.quantity"),
    Binding::new(&[Key::Char('-')], A::Returning, "help.return_next").footer("foot.return"),
    Binding::new(&[Key::Char('.')], A::Usual, "help.usual").footer("foot.usual"),
    Binding::new(&[Key::Code(K::Backspace)], A::TakeBack, "help.remove_last"),
    Binding::new(&[Key::Code(K::Tab)], A::Talk, "help.conversation").footer("foot.talk"),
    Binding::new(&[Key::Code(K::F(8))], A::Channel, "help.channel"),
    Binding::new(&[Key::Ctrl('p')], A::NewMessage, "help.new_message"),
    Binding::new(&[Key::Ctrl('d')], A::MessageDone, "help.message_done"),
    Binding::new(&[Key::Ctrl('n')], A::Open, "help.show_notes"),
    Binding::new(&[Key::Code(K::Enter)], A::Save, "help.save").main("foot.save"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.cancel_contact"),
    Binding::new(&[Key::Char('?')], A::Help, "help.help"),
];

const TOPICS: &[Binding<Action>] = &[
    Binding::new(&[Key::Topic], A::Topic, "help.toggle_topic").footer("foot.topic"),
    Binding::new(&[Key::OneOf("123")], A::Flag, "help.flags").footer("foot.event"),
    Binding::new(&[Key::Code(K::Tab)], A::Focus, "help.note_focus").footer("foot.note"),
    Binding::new(&[Key::Code(K::Enter)], A::Done, "help.done_conversation").footer("foot.done"),
    Binding::new(&[Key::Code(K::Esc)], A::Drop, "help.cancel_conversation").footer("foot.drop"),
];

const NOTE: &[Binding<Action>] = &[
    Binding::new(&[Key::Text], A::Type, "help.type_note"),
    Binding::new(&[Key::Code(K::Backspace)], A::Erase, "help.erase"),
    Binding::new(&[Key::Code(K::Tab)], A::Focus, "help.topics_focus").footer("foot.topics"),
    Binding::new(&[Key::Code(K::Enter)], A::Done, "help.done_conversation").footer("foot.done"),
    Binding::new(&[Key::Code(K::Esc)], A::Drop, "help.cancel_conversation").footer("foot.drop"),
];

const MESSAGE: &[Binding<Action>] = &[
    Binding::new(&[Key::Text], A::Type, "help.type_message"),
    Binding::new(&[Key::Code(K::Backspace)], A::Erase, "help.erase"),
    Binding::new(&[Key::Code(K::Enter)], A::SaveMessage, "help.save_message").main("foot.save"),
    Binding::new(
        &[Key::Code(K::Esc)],
        A::CancelMessage,
        "help.cancel_message",
    )
    .footer("foot.back"),
];

/// A contact that came back after a lock or a restart: nothing is typed
/// into it until staff say they go on with it (a name typed for the next
/// visitor would otherwise become items).
const HELD: &[Binding<Action>] = &[
    Binding::new(&[Key::Code(K::Enter)], A::Resume, "help.resume_contact").main("foot.continue"),
    Binding::new(&[Key::Code(K::Esc)], A::DropHeld, "help.drop_contact").footer("foot.drop"),
    // A letter or digit typed at a held contact is said, not taken.
    Binding::new(&[Key::Text], A::HeldKey, "help.held_key"),
];

/// Which part of the contact has the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Items,
    Talk { note: bool },
    Message(TextField),
}

/// A quantity or a return being keyed before its item (`10`, `-`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Pending {
    digits: String,
    returning: bool,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.digits.is_empty() && !self.returning
    }

    fn qty(&self) -> u16 {
        self.digits.parse().unwrap_or(1).max(1)
    }
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub draft: Draft,
    part: Part,
    pending: Pending,
    card: Card,
    /// Topics, flags and note as they were when the conversation opened.
    saved_talk: (Vec<usize>, crate::domain::Flags, TextField),
    /// Esc was pressed once on a contact with input: a second Esc discards.
    confirm_discard: bool,
    /// A correction as it was opened: leaving it unchanged needs no asking.
    original: Option<Draft>,
    /// Came back after a lock or a restart: Enter goes on, Esc twice drops
    /// it; nothing else reaches it until then.
    held: bool,
    /// Esc was pressed once on a held contact: a second one drops it.
    drop_asked: bool,
}

impl Contact {
    /// A new contact; a known visitor's card and messages are loaded.
    pub fn new(visitor: Option<(u64, String)>, env: &mut Env) -> Contact {
        let mut draft = Draft::new(visitor);
        let mut card = Card::default();
        if let Some((id, _)) = &draft.visitor {
            match env.store.open_messages(*id) {
                Ok(m) => draft.messages = m,
                Err(e) => env.store_failed(&e),
            }
            card = Card::load(*id, &draft.messages, env);
        }
        Contact::with(draft, card)
    }

    /// A contact kept when doorlog last had to stop, with the visitor's
    /// card and messages as a new pick would have them.
    pub fn from_kept(k: crate::domain::KeptContact, env: &mut Env) -> Contact {
        // A record linked into another since: the contact is the person
        // kept's.
        let alias = k
            .visitor
            .map(|id| env.store.linked_to(id).ok().flatten().unwrap_or(id))
            .and_then(|id| env.store.visitor(id).ok().flatten())
            .filter(|v| !v.erased)
            .map(|v| (v.id, v.alias));
        let mut c = Contact::new(alias, env);
        let cat = &env.cfg.catalog;
        let d = &mut c.draft;
        d.channel = k.channel;
        d.flags = k.flags;
        d.note = TextField::note(&k.note);
        d.editing = k.editing.and_then(|(day, seq)| {
            Some(ContactId {
                day: time::Date::from_julian_day(day).ok()?,
                seq,
            })
        });
        for line in k.items {
            let i = cat.item_position(&line.item);
            if i >= cat.items.len() {
                d.kept_items.push(line);
                continue;
            }
            for (qty, returned) in [(line.out, false), (line.returned, true)] {
                if qty > 0 {
                    let _ = d.add(i, qty, returned);
                }
            }
        }
        for t in k.topics {
            match cat.topic_position(&t) {
                i if i < cat.topics.len() => d.topics.push(i),
                _ => d.kept_topics.push(t),
            }
        }
        c.original = None;
        c.held = true;
        c
    }

    /// One of today's contacts, opened for correction.
    pub fn correct(id: ContactId, env: &mut Env) -> Option<Contact> {
        let saved = env.today.contacts.iter().find(|s| s.contact.id() == id)?;
        let draft = Draft::correcting(&saved.contact, saved.alias.clone(), &env.cfg.catalog);
        Some(Contact::with(draft, Card::default()))
    }

    fn with(draft: Draft, card: Card) -> Contact {
        let draft_original = draft.editing.is_some().then(|| draft.clone());
        Contact {
            saved_talk: (Vec::new(), draft.flags, draft.note.clone()),
            draft,
            part: Part::Items,
            pending: Pending::default(),
            card,
            confirm_discard: false,
            original: draft_original,
            held: false,
            drop_asked: false,
        }
    }

    /// Is the conversation open (and does the note have the keyboard)?
    pub fn talking(&self) -> Option<bool> {
        match self.part {
            Part::Talk { note } => Some(note),
            _ => None,
        }
    }

    fn back(&mut self, env: &mut Env) -> Nav {
        if !self.pending.is_empty() {
            self.pending = Pending::default();
            return Nav::Stay;
        }
        let unchanged = self.original.as_ref() == Some(&self.draft);
        if unchanged {
            env.say_key("status.not_changed");
            Nav::Pop
        } else if self.draft.is_blank() || self.confirm_discard {
            env.say_key("status.discarded");
            Nav::Pop
        } else {
            self.confirm_discard = true;
            env.fail_key(self.esc_again_key());
            Nav::Stay
        }
    }

    /// What a second Esc would do, said after the first.
    fn esc_again_key(&self) -> &'static str {
        match self.original {
            Some(_) => "status.esc_again_correction",
            None => "status.esc_again",
        }
    }

    fn add_item(&mut self, item: usize, env: &mut Env) {
        let pending = std::mem::take(&mut self.pending);
        let cat = &env.cfg.catalog;
        if pending.returning && !cat.items[item].returnable {
            let name = name_in(
                &cat.items[item].names,
                env.tx.lang.code(),
                &cat.items[item].id,
            );
            let msg = env.tx.f("status.not_returnable", &[("item", &name)]);
            return env.fail(msg);
        }
        // Too many is refused whole and said, never cut short.
        if self
            .draft
            .add(item, pending.qty(), pending.returning)
            .is_err()
        {
            let msg = env.tx.f(
                "status.too_many",
                &[("max", &crate::domain::contact::MAX_QUANTITY)],
            );
            env.fail(msg);
        }
    }

    fn digit(&mut self, d: usize, env: &mut Env) {
        let digits = &mut self.pending.digits;
        if digits.is_empty() && d == 0 {
            return; // a leading zero means nothing
        }
        if digits.len() >= 4 {
            let msg = env.tx.f(
                "status.too_many",
                &[("max", &crate::domain::contact::MAX_QUANTITY)],
            );
            return env.fail(msg);
        }
        digits.push(char::from(b'0' + d as u8));
    }

    fn usual(&mut self, env: &mut Env) {
        let usual = self.card.usual(&env.cfg.catalog);
        if usual.is_empty() {
            return env.fail_key("status.no_usual");
        }
        let cat = env.cfg.catalog.clone();
        for line in usual {
            let i = cat.item_position(&line.item);
            if i < cat.items.len() && self.draft.add(i, line.out, false).is_err() {
                let msg = env.tx.f(
                    "status.too_many",
                    &[("max", &crate::domain::contact::MAX_QUANTITY)],
                );
                env.fail(msg);
            }
        }
    }

    fn save(&mut self, env: &mut Env) -> Nav {
        // A number typed and not yet given an item is not dropped unseen.
        if !self.pending.is_empty() {
            env.fail_key("status.pending_number");
            return Nav::Stay;
        }
        if self.draft.is_blank() {
            env.fail_key("status.nothing_to_save");
            return Nav::Stay;
        }
        match ops::save_draft(env, &self.draft) {
            Some(_) => Nav::Home,
            None => Nav::Stay,
        }
    }

    fn save_message(&mut self, env: &mut Env) {
        let (Part::Message(text), Some((vid, _))) = (&self.part, &self.draft.visitor) else {
            return;
        };
        match env
            .store
            .add_message(*vid, &text.value, env.staff_id(), env.at())
        {
            Ok(m) => {
                self.draft.messages.push(m);
                let by = env
                    .staff
                    .as_ref()
                    .map_or("-".into(), |s| s.initials.clone());
                self.card.left_by.push(by);
                self.part = Part::Items;
                env.say_key("status.message_saved");
            }
            Err(e) => env.store_failed(&e),
        }
    }

    fn message_done(&mut self, env: &mut Env) {
        let d = &mut self.draft;
        let (Some((vid, _)), Some(m)) = (&d.visitor, d.messages.first()) else {
            return env.fail_key("status.no_message");
        };
        match env.store.message_done(*vid, m.id, env.at()) {
            Ok(()) => {
                d.messages.remove(0);
                if !self.card.left_by.is_empty() {
                    self.card.left_by.remove(0);
                }
                env.say_key("status.message_done");
            }
            Err(e) => env.store_failed(&e),
        }
    }

    /// The text field that has the keyboard, if any.
    fn field(&mut self) -> Option<&mut TextField> {
        match &mut self.part {
            Part::Talk { note: true } => Some(&mut self.draft.note),
            Part::Message(text) => Some(text),
            _ => None,
        }
    }
}

impl View for Contact {
    type Action = Action;
    const NAME: &'static str = "contact";

    fn bindings(&self) -> &'static [Binding<Action>] {
        if self.held {
            return HELD;
        }
        match self.part {
            Part::Items => ITEMS,
            Part::Talk { note: false } => TOPICS,
            Part::Talk { note: true } => NOTE,
            Part::Message(_) => MESSAGE,
        }
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![
            ("items", ITEMS),
            ("topics", TOPICS),
            ("note", NOTE),
            ("message", MESSAGE),
            ("held", HELD),
        ]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        match hit.action {
            A::Resume => {
                self.held = false;
                self.drop_asked = false;
                return Nav::Stay;
            }
            // Held until the second Esc, which drops it; never half live.
            A::DropHeld if self.drop_asked => return Nav::Pop,
            A::DropHeld => {
                self.drop_asked = true;
                env.fail_key("contact.held_drop_again");
                return Nav::Stay;
            }
            A::HeldKey => {
                env.fail_key("contact.held_first");
                return Nav::Stay;
            }
            _ => {}
        }
        // After one Esc on a contact with input, only Esc (throw away) or
        // Enter (save) count: a search typed next must not become items.
        if self.confirm_discard
            && self.part == Part::Items
            && !matches!(hit.action, A::Back | A::Save | A::Help)
        {
            env.fail_key(self.esc_again_key());
            return Nav::Stay;
        }
        if !matches!(hit.action, A::Back | A::Drop) {
            self.confirm_discard = false;
        }
        let i = hit.arg.index();
        // A number or `-` waits only for its item key; any other key drops
        // it (Enter refuses, below).
        if !matches!(
            hit.action,
            A::AddItem | A::Digit | A::Returning | A::TakeBack | A::Save | A::Help
        ) {
            self.pending = Pending::default();
        }
        let d = &mut self.draft;
        match hit.action {
            A::Resume | A::DropHeld | A::HeldKey => {}
            A::AddItem => self.add_item(i, env),
            A::Digit => self.digit(i, env),
            A::Returning => self.pending.returning = !self.pending.returning,
            A::Usual => self.usual(env),
            // What was typed last goes first: the `-`, then digits, then
            // the last item line.
            A::TakeBack => {
                if self.pending.returning {
                    self.pending.returning = false;
                } else if self.pending.digits.pop().is_none() {
                    d.entries.pop();
                }
            }
            A::Talk => {
                self.pending = Pending::default();
                self.saved_talk = (d.topics.clone(), d.flags, d.note.clone());
                self.part = Part::Talk { note: false };
            }
            A::Channel => d.channel = Channel::ALL[(d.channel.index() + 1) % Channel::ALL.len()],
            A::NewMessage if d.visitor.is_some() => {
                self.part = Part::Message(TextField::new(MAX_MESSAGE_CHARS));
            }
            A::NewMessage => env.fail_key("status.message_needs_visitor"),
            A::MessageDone => self.message_done(env),
            A::Open if d.visitor.is_some() => self.card.toggle(env),
            A::Open => env.fail_key("status.message_needs_visitor"),
            A::Save => return self.save(env),
            A::Back => return self.back(env),
            A::Help => return Nav::Help,
            A::Topic => match d.topics.iter().position(|t| *t == i) {
                Some(p) => {
                    d.topics.remove(p);
                }
                None => d.topics.push(i),
            },
            A::Flag => {
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
            A::Focus => {
                if let Part::Talk { note } = &mut self.part {
                    *note = !*note;
                }
            }
            A::Done => self.part = Part::Items,
            // Something typed in the conversation is asked for once.
            A::Drop
                if !self.confirm_discard
                    && (d.topics.clone(), d.flags, d.note.clone()) != self.saved_talk =>
            {
                self.confirm_discard = true;
                env.fail_key("status.talk_esc_again");
            }
            A::Drop => {
                self.confirm_discard = false;
                (d.topics, d.flags, d.note) = self.saved_talk.clone();
                self.part = Part::Items;
            }
            A::Type => {
                if let (Arg::Char(c), Some(field)) = (hit.arg, self.field()) {
                    field.insert_or_say(&c.to_string(), env);
                }
            }
            A::Erase => {
                if let Some(field) = self.field() {
                    field.backspace();
                }
            }
            A::SaveMessage => self.save_message(env),
            A::CancelMessage => self.part = Part::Items,
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        match self.field() {
            Some(field) => field.insert_or_say(text, env),
            // Where letters are hotkeys, a paste is not typed as items.
            None => env.fail_key("status.paste_here"),
        }
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let block = Block::bordered().title(self.title(env));
        let inner = block.inner(area);
        f.render_widget(block, area);
        match self.part {
            Part::Talk { note } => {
                let lines = self.talk_lines(env, inner, note);
                f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            }
            // One row a line (the card is cut at the edge, not wrapped), so
            // the items always fit below it. A contact that came back says
            // so first.
            _ => {
                let mut lines = self.item_lines(env, inner);
                if self.held {
                    let who = self.draft.visitor.as_ref().map_or_else(
                        || env.tx.t("contact.anonymous").to_string(),
                        |v| v.1.clone(),
                    );
                    // Two lines, so the keys are never cut at the edge.
                    lines.insert(
                        0,
                        Line::styled(env.tx.t("contact.held_keys").to_string(), env.theme.error()),
                    );
                    lines.insert(
                        0,
                        Line::styled(
                            env.tx.f("contact.held", &[("who", &who)]),
                            env.theme.error(),
                        ),
                    );
                }
                f.render_widget(Paragraph::new(lines), inner);
            }
        }
    }

    fn unsaved(&self) -> bool {
        true
    }

    fn interrupted(&mut self) {
        self.confirm_discard = false;
    }

    fn locked(&mut self) {
        self.held = !self.draft.is_blank();
        self.drop_asked = false;
    }

    fn kept(&self, cat: &crate::domain::Catalog) -> Option<crate::domain::KeptContact> {
        let d = &self.draft;
        if d.is_blank() {
            return None;
        }
        let mut items = d.item_lines(cat);
        items.extend(d.kept_items.iter().cloned());
        let mut topics: Vec<String> = d.topics.iter().map(|&i| cat.topics[i].id.clone()).collect();
        topics.extend(d.kept_topics.iter().cloned());
        Some(crate::domain::KeptContact {
            visitor: d.visitor.as_ref().map(|(id, _)| *id),
            channel: d.channel,
            items,
            topics,
            note: d.note.value.clone(),
            flags: d.flags,
            editing: d.editing.map(|id| (id.day.to_julian_day(), id.seq)),
        })
    }
}

impl Contact {
    /// The visitor's name stands out, so a wrong pick is seen at once.
    fn title(&self, env: &Env) -> Line<'static> {
        let d = &self.draft;
        let who = match &d.visitor {
            Some((_, alias)) => alias.clone(),
            None => env.tx.t("contact.anonymous").to_string(),
        };
        let mut spans = vec![
            Span::styled(
                format!(" {who} "),
                env.theme.title().add_modifier(Modifier::REVERSED),
            ),
            Span::styled(
                format!(" {} ", env.tx.t(channel_key(d.channel))),
                env.theme.title(),
            ),
        ];
        if let Some(id) = d.editing {
            spans.push(Span::raw(env.tx.f("contact.editing", &[("id", &id)])));
        }
        Line::from(spans)
    }

    fn item_lines(&self, env: &Env, inner: Rect) -> Vec<Line<'static>> {
        let d = &self.draft;
        let lang = env.tx.lang.code();
        let cat = &env.cfg.catalog;
        // Retired items are gone from the hatch, unless this contact (a
        // correction) has some.
        let cells: Vec<Cell> = (cat.items.iter().enumerate())
            .filter(|(i, item)| item.active || d.out(*i) + d.returned(*i) > 0)
            .map(|(i, item)| Cell {
                key: item.hotkey,
                // A quiet mark on an item low on stock.
                text: if env.is_low(&item.id) {
                    format!(
                        "{} ({})",
                        name_in(&item.names, lang, &item.id),
                        env.tx.t("stock.low")
                    )
                } else {
                    name_in(&item.names, lang, &item.id).to_string()
                },
                value: match (d.out(i), d.returned(i)) {
                    (0, 0) => String::new(),
                    (o, 0) => o.to_string(),
                    (0, r) => format!("↩{r}"),
                    (o, r) => format!("{o} ↩{r}"),
                },
                on: d.out(i) + d.returned(i) > 0,
            })
            .collect();
        let cols = if inner.width >= 96 { 3 } else { 2 };
        let grid = grid::lines(env, &cells, inner.width as usize, cols, true);
        // Below the items: what is being keyed, the conversation, messages
        // being written; above them, as much of the card as fits.
        let mut below = Vec::new();
        if !self.pending.is_empty() {
            let key = if self.pending.returning {
                "contact.pending_return"
            } else {
                "contact.pending"
            };
            let msg = env.tx.f(key, &[("n", &self.pending.digits)]);
            below.push(Line::styled(msg, env.theme.key()));
        }
        below.extend(self.talk_summary(env));
        if let Part::Message(text) = &self.part {
            // The end of what is typed stays in view as it grows.
            let label = env.tx.t("contact.new_message").to_string();
            let room = (inner.width as usize).saturating_sub(label.width() + 2);
            let chars: Vec<char> = text.value.chars().collect();
            let shown: String = chars[chars.len().saturating_sub(room)..].iter().collect();
            below.push(Line::from(vec![
                Span::raw(label),
                Span::styled(format!("{shown}▏"), env.theme.input()),
            ]));
        }
        let room = (inner.height as usize).saturating_sub(grid.len() + below.len());
        let mut lines: Vec<Line<'static>> = self
            .card
            .lines(env, &d.messages, inner.width as usize)
            .into_iter()
            .take(room)
            .collect();
        lines.extend(grid);
        lines.extend(below);
        lines
    }

    /// Topics, events and note on one or two lines, when there are any.
    fn talk_summary(&self, env: &Env) -> Vec<Line<'static>> {
        let d = &self.draft;
        let lang = env.tx.lang.code();
        let cat = &env.cfg.catalog;
        let said: Vec<String> = d
            .topics
            .iter()
            .map(|&i| name_in(&cat.topics[i].names, lang, &cat.topics[i].id).to_string())
            .collect();
        let keys = ["flag.overdose", "flag.referral", "flag.for_others"];
        let events: Vec<&str> = (keys.iter().zip(d.flags.as_array()))
            .filter(|(_, on)| *on)
            .map(|(k, _)| env.tx.t(k))
            .collect();
        let mut out = Vec::new();
        let mut parts = Vec::new();
        if !said.is_empty() {
            parts.push(format!(
                "{} {}",
                env.tx.t("contact.topics"),
                said.join(", ")
            ));
        }
        if !events.is_empty() {
            parts.push(format!(
                "{} {}",
                env.tx.t("contact.events"),
                events.join(", ")
            ));
        }
        if !parts.is_empty() {
            out.push(Line::styled(parts.join(" · "), env.theme.counted()));
        }
        if !d.note.is_empty() {
            out.push(Line::from(format!(
                "{} {}",
                env.tx.t("contact.note"),
                d.note.value
            )));
        }
        out
    }

    fn talk_lines(&self, env: &Env, inner: Rect, note_focus: bool) -> Vec<Line<'static>> {
        let d = &self.draft;
        let lang = env.tx.lang.code();
        let cat = &env.cfg.catalog;
        let cells: Vec<Cell> = (cat.topics.iter().enumerate())
            .filter(|(i, t)| t.active || d.topics.contains(i))
            .map(|(i, t)| {
                let on = d.topics.contains(&i);
                let mark = if on { "■" } else { "□" };
                Cell {
                    key: t.hotkey,
                    text: format!("{mark} {}", name_in(&t.names, lang, &t.id)),
                    value: String::new(),
                    on,
                }
            })
            .collect();
        let cols = if inner.width >= 96 { 3 } else { 2 };
        let mut lines = grid::lines(env, &cells, inner.width as usize, cols, false);
        // The events on one line where they fit, else one a line.
        let events = ["flag.overdose", "flag.referral", "flag.for_others"];
        let cells: Vec<Vec<Span<'static>>> = (events.iter().zip(d.flags.as_array()).enumerate())
            .map(|(n, (key, on))| {
                let mark = if on { "■ " } else { "□ " };
                let style = if on {
                    env.theme.counted()
                } else {
                    Style::new()
                };
                vec![
                    Span::styled(format!("[{}] ", n + 1), env.theme.key()),
                    Span::styled(format!("{mark}{}  ", env.tx.t(key)), style),
                ]
            })
            .collect();
        let width: usize = cells.iter().flatten().map(|s| s.content.width()).sum();
        if width <= inner.width as usize {
            lines.push(Line::from(cells.concat()));
        } else {
            lines.extend(cells.into_iter().map(Line::from));
        }
        let (label, cursor) = if note_focus {
            (env.theme.key(), "▏")
        } else {
            (Style::new(), "")
        };
        let count = env.tx.f(
            "talk.count",
            &[("n", &d.note.value.chars().count()), ("max", &d.note.max)],
        );
        lines.push(Line::from(vec![
            Span::styled(env.tx.t("contact.note").to_string(), label),
            Span::raw(" "),
            Span::styled(format!("{}{cursor}", d.note.value), env.theme.input()),
            Span::styled(format!("  {count}"), env.theme.dim()),
        ]));
        lines
    }
}
