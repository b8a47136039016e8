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
use crate::domain::contact::MAX_COLLECTING_FOR;
use crate::domain::message::MAX_MESSAGE_CHARS;
use crate::domain::{Channel, ContactId, Naloxone};
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
    Referral,
    Naloxone,
    Fewer,
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
    Binding::new(&[Key::OneOf(",;")], A::Naloxone, "help.naloxone"),
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
    Binding::new(&[Key::OneOf("12")], A::Flag, "help.flags").footer("foot.event"),
    Binding::new(&[Key::OneOf("3456789")], A::Referral, "help.referral").footer("foot.referral"),
    Binding::new(
        &[Key::Code(K::Backspace)],
        A::Fewer,
        "help.collecting_fewer",
    ),
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

/// What the conversation part changes: topics, flags, referrals, note.
type Talk = (Vec<usize>, crate::domain::Flags, Vec<String>, TextField);

fn talk_of(d: &Draft) -> Talk {
    (
        d.topics.clone(),
        d.flags,
        d.referrals.clone(),
        d.note.clone(),
    )
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub draft: Draft,
    part: Part,
    pending: Pending,
    card: Card,
    /// Topics, flags, referrals and note as they were when the
    /// conversation opened.
    saved_talk: Talk,
    /// Esc was pressed once on a contact with input: a second Esc discards.
    confirm_discard: bool,
    /// A correction as it was opened: leaving it unchanged needs no asking.
    original: Option<Draft>,
    /// Came back after a lock or a restart: Enter goes on, Esc twice drops
    /// it; nothing else reaches it until then.
    held: bool,
    /// Esc was pressed once on a held contact: a second one drops it.
    drop_asked: bool,
    /// Enter was pressed once with naloxone and no first kit or refill
    /// said: the second saves it as it is.
    naloxone_asked: bool,
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
        d.referrals = k.referrals;
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
            saved_talk: talk_of(&draft),
            draft,
            part: Part::Items,
            pending: Pending::default(),
            card,
            confirm_discard: false,
            original: draft_original,
            held: false,
            drop_asked: false,
            naloxone_asked: false,
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
        // Funders count first kits and refills: asked once, never forced.
        let d = &self.draft;
        if d.naloxone_out(&env.cfg.catalog)
            && d.flags.naloxone.is_none()
            && d.editing.is_none()
            && !self.naloxone_asked
        {
            self.naloxone_asked = true;
            env.fail_key("status.naloxone_ask");
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
                    d.take_back(&env.cfg.catalog);
                    // A kit added again is asked about again.
                    if !d.naloxone_out(&env.cfg.catalog) {
                        self.naloxone_asked = false;
                    }
                }
            }
            A::Talk => {
                self.pending = Pending::default();
                self.saved_talk = talk_of(d);
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
            A::Flag if i == 0 => d.flags.overdose_reported = !d.flags.overdose_reported,
            // One more person each press, back to none after the most.
            A::Flag => {
                let n = &mut d.flags.collecting_for;
                *n = if *n >= MAX_COLLECTING_FOR { 0 } else { *n + 1 };
            }
            A::Fewer => d.flags.collecting_for = d.flags.collecting_for.saturating_sub(1),
            A::Referral => {
                let id = (env.cfg.catalog.referral_keys().nth(i)).map(|(_, _, r)| r.id.clone());
                match id {
                    Some(id) => match d.referrals.iter().position(|x| *x == id) {
                        Some(p) => {
                            d.referrals.remove(p);
                        }
                        None => d.referrals.push(id),
                    },
                    None => env.fail_key("status.no_referral_key"),
                }
            }
            // `,` the next, `;` the one before.
            A::Naloxone if d.naloxone_out(&env.cfg.catalog) => {
                d.flags.naloxone = match i {
                    0 => Naloxone::step(d.flags.naloxone),
                    _ => Naloxone::step_back(d.flags.naloxone),
                };
            }
            A::Naloxone => env.fail_key("status.naloxone_first"),
            A::Focus => {
                if let Part::Talk { note } = &mut self.part {
                    *note = !*note;
                }
            }
            A::Done => self.part = Part::Items,
            // Something typed in the conversation is asked for once.
            A::Drop if !self.confirm_discard && talk_of(d) != self.saved_talk => {
                self.confirm_discard = true;
                env.fail_key("status.talk_esc_again");
            }
            A::Drop => {
                self.confirm_discard = false;
                (d.topics, d.flags, d.referrals, d.note) = self.saved_talk.clone();
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
            referrals: d.referrals.clone(),
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
        if d.naloxone_out(&env.cfg.catalog) {
            let kind = match d.flags.naloxone {
                Some(n) => env.tx.t(naloxone_key(n)),
                None => env.tx.t("naloxone.ask"),
            };
            below.push(Line::from(vec![
                Span::styled("[,] ", env.theme.key()),
                Span::raw(format!("{} ", env.tx.t("naloxone.label"))),
                Span::styled(
                    kind.to_string(),
                    if d.flags.naloxone.is_some() {
                        env.theme.counted()
                    } else {
                        env.theme.dim()
                    },
                ),
            ]));
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

    /// The events of the contact, as the summary names them: overdose,
    /// collecting for N, referrals by type, naloxone first or refill.
    fn events(&self, env: &Env) -> Vec<String> {
        let d = &self.draft;
        let cat = &env.cfg.catalog;
        let lang = env.tx.lang.code();
        let mut out = Vec::new();
        if d.flags.overdose_reported {
            out.push(env.tx.t("flag.overdose").to_string());
        }
        if d.flags.collecting_for > 0 {
            out.push(
                env.tx
                    .n("flag.for_others_n", u64::from(d.flags.collecting_for), &[]),
            );
        }
        if !d.referrals.is_empty() {
            let names: Vec<&str> = d
                .referrals
                .iter()
                .map(|id| {
                    cat.referral(id)
                        .map_or(id.as_str(), |r| name_in(&r.names, lang, &r.id))
                })
                .collect();
            out.push(
                env.tx
                    .f("contact.referred_names", &[("names", &names.join(", "))]),
            );
        }
        out
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
        let events = self.events(env);
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
        // The note right below the topics: on a small screen what is cut
        // is the last referral types, never what is being typed.
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
        // The events on one line where they fit, else as many as it takes.
        let n = d.flags.collecting_for;
        let collecting = if n == 0 {
            env.tx.t("flag.for_others").to_string()
        } else {
            env.tx.n("flag.for_others_n", u64::from(n), &[])
        };
        let toggle = |key: char, on: bool, text: String| {
            let mark = if on { "■ " } else { "□ " };
            let style = if on {
                env.theme.counted()
            } else {
                Style::new()
            };
            vec![
                Span::styled(format!("[{key}] "), env.theme.key()),
                Span::styled(format!("{mark}{text}  "), style),
            ]
        };
        let events = vec![
            toggle(
                '1',
                d.flags.overdose_reported,
                env.tx.t("flag.overdose").to_string(),
            ),
            toggle('2', n > 0, collecting),
        ];
        spans_in_lines(&mut lines, events, inner.width as usize);
        let mut referrals = vec![vec![Span::raw(format!(
            "{} ",
            env.tx.t("contact.referred_to")
        ))]];
        referrals.extend(cat.referral_keys().map(|(key, _, r)| {
            toggle(
                key,
                d.referrals.contains(&r.id),
                name_in(&r.names, lang, &r.id).to_string(),
            )
        }));
        spans_in_lines(&mut lines, referrals, inner.width as usize);
        lines
    }
}

/// Groups of spans on one line where they fit, else as many lines as it
/// takes, never cutting a group.
fn spans_in_lines(lines: &mut Vec<Line<'static>>, groups: Vec<Vec<Span<'static>>>, width: usize) {
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for g in groups {
        let w: usize = g.iter().map(|s| s.content.width()).sum();
        if used > 0 && used + w > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        used += w;
        line.extend(g);
    }
    if !line.is_empty() {
        lines.push(Line::from(line));
    }
}

/// The words for a naloxone kind.
pub fn naloxone_key(n: Naloxone) -> &'static str {
    match n {
        Naloxone::First => "naloxone.first",
        Naloxone::RefillUsed => "naloxone.used",
        Naloxone::RefillLost => "naloxone.lost",
        Naloxone::RefillTaken => "naloxone.taken",
        Naloxone::RefillExpired => "naloxone.expired",
    }
}
