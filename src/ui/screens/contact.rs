//! The contact at the hatch: items by hotkey, returns, flags, channel; the
//! conversation (topics and a short note) and the visitor's messages are
//! parts of it. Enter saves, Esc backs out (twice if something was keyed).

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::View;
use crate::domain::catalog::name_in;
use crate::domain::message::MAX_MESSAGE_CHARS;
use crate::domain::{Channel, ContactId};
use crate::ui::draft::{Draft, Press};
use crate::ui::env::Env;
use crate::ui::keys::{Arg, Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::ops;
use crate::ui::widgets::form::TextField;
use crate::ui::widgets::grid::{self, Cell};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    AddItem,
    ReturnItem,
    RemoveLast,
    Flag,
    Channel,
    Talk,
    NewMessage,
    MessageDone,
    Save,
    Back,
    Help,
    // The conversation
    Topic,
    Focus,
    Done,
    Drop,
    // Text (the note, a message)
    Type,
    Erase,
    SaveMessage,
    CancelMessage,
}

use Action as A;
use KeyCode as K;

const ITEMS: &[Binding<Action>] = &[
    Binding::new(&[Key::Item], A::AddItem, "help.add_item").footer("foot.item"),
    Binding::new(&[Key::Return], A::ReturnItem, "help.return_item").footer("foot.return"),
    Binding::new(
        &[Key::Code(K::Backspace)],
        A::RemoveLast,
        "help.remove_last",
    ),
    Binding::new(&[Key::OneOf("123")], A::Flag, "help.flags").footer("foot.flag"),
    Binding::new(&[Key::Code(K::Tab)], A::Channel, "help.channel").footer("foot.channel"),
    Binding::new(&[Key::Char(' ')], A::Talk, "help.conversation").footer("foot.talk"),
    Binding::new(&[Key::Code(K::F(6))], A::NewMessage, "help.new_message"),
    Binding::new(&[Key::Code(K::F(7))], A::MessageDone, "help.message_done"),
    Binding::new(&[Key::Code(K::Enter)], A::Save, "help.save").footer("foot.save"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.cancel_contact"),
    Binding::new(&[Key::Char('?')], A::Help, "help.help"),
];

const TOPICS: &[Binding<Action>] = &[
    Binding::new(&[Key::Topic], A::Topic, "help.toggle_topic").footer("foot.topic"),
    Binding::new(
        &[Key::Code(K::Tab), Key::Code(K::BackTab)],
        A::Focus,
        "help.note_focus",
    )
    .footer("foot.note"),
    Binding::new(&[Key::Code(K::Enter)], A::Done, "help.done_conversation").footer("foot.done"),
    Binding::new(&[Key::Code(K::Esc)], A::Drop, "help.cancel_conversation").footer("foot.drop"),
];

const NOTE: &[Binding<Action>] = &[
    Binding::new(&[Key::Text], A::Type, "help.type_note"),
    Binding::new(&[Key::Code(K::Backspace)], A::Erase, "help.erase"),
    Binding::new(
        &[Key::Code(K::Tab), Key::Code(K::BackTab)],
        A::Focus,
        "help.note_focus",
    )
    .footer("foot.topics"),
    Binding::new(&[Key::Code(K::Enter)], A::Done, "help.done_conversation").footer("foot.done"),
    Binding::new(&[Key::Code(K::Esc)], A::Drop, "help.cancel_conversation").footer("foot.drop"),
];

const MESSAGE: &[Binding<Action>] = &[
    Binding::new(&[Key::Text], A::Type, "help.type_message"),
    Binding::new(&[Key::Code(K::Backspace)], A::Erase, "help.erase"),
    Binding::new(&[Key::Code(K::Enter)], A::SaveMessage, "help.save_message").footer("foot.save"),
    Binding::new(
        &[Key::Code(K::Esc)],
        A::CancelMessage,
        "help.cancel_message",
    )
    .footer("foot.back"),
];

/// Which part of the contact has the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Items,
    Talk { note: bool },
    Message(TextField),
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub draft: Draft,
    part: Part,
    /// Topics and note as they were when the conversation opened.
    saved_talk: (Vec<usize>, TextField),
    /// Esc was pressed once on a contact with input: a second Esc discards.
    confirm_discard: bool,
}

impl Contact {
    /// A new contact; a known visitor's messages are loaded to show.
    pub fn new(visitor: Option<(u64, String)>, env: &mut Env) -> Contact {
        let mut draft = Draft::new(visitor);
        if let Some((id, _)) = &draft.visitor {
            match env.store.open_messages(*id) {
                Ok(m) => draft.messages = m,
                Err(e) => env.store_failed(&e),
            }
        }
        Contact::with(draft)
    }

    /// One of today's contacts, opened for correction.
    pub fn correct(id: ContactId, env: &mut Env) -> Option<Contact> {
        let saved = env.today.contacts.iter().find(|s| s.contact.id() == id)?;
        let draft = Draft::correcting(&saved.contact, saved.alias.clone(), &env.cfg.catalog);
        Some(Contact::with(draft))
    }

    fn with(draft: Draft) -> Contact {
        Contact {
            saved_talk: (Vec::new(), draft.note.clone()),
            draft,
            part: Part::Items,
            confirm_discard: false,
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
        if self.draft.is_blank() || self.confirm_discard {
            env.say_key("status.discarded");
            Nav::Pop
        } else {
            self.confirm_discard = true;
            env.fail_key("status.esc_again");
            Nav::Stay
        }
    }

    fn save_message(&mut self, env: &mut Env) {
        let (Part::Message(text), Some((vid, _))) = (&self.part, &self.draft.visitor) else {
            return;
        };
        match env.store.add_message(*vid, &text.value, env.at()) {
            Ok(m) => {
                self.draft.messages.push(m);
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
        ]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        if hit.action != A::Back {
            self.confirm_discard = false;
        }
        let d = &mut self.draft;
        match hit.action {
            A::AddItem => d.press(Press::Out(hit.arg.index())),
            A::ReturnItem => d.press(Press::Returned(hit.arg.index())),
            A::RemoveLast => {
                d.presses.pop();
            }
            A::Flag => {
                let f = &mut d.flags;
                let flag = [
                    &mut f.overdose_reported,
                    &mut f.referral_made,
                    &mut f.collecting_for_others,
                ];
                if let Some(b) = flag.into_iter().nth(hit.arg.index()) {
                    *b = !*b;
                }
            }
            A::Channel => d.channel = Channel::ALL[(d.channel.index() + 1) % Channel::ALL.len()],
            A::Talk => {
                self.saved_talk = (d.topics.clone(), d.note.clone());
                self.part = Part::Talk { note: false };
            }
            A::NewMessage if d.visitor.is_some() => {
                self.part = Part::Message(TextField::new(MAX_MESSAGE_CHARS));
            }
            A::NewMessage => env.fail_key("status.message_needs_visitor"),
            A::MessageDone => self.message_done(env),
            A::Save => {
                if ops::save_draft(env, &self.draft).is_some() {
                    return Nav::Home;
                }
            }
            A::Back => return self.back(env),
            A::Help => return Nav::Help,
            A::Topic => {
                let i = hit.arg.index();
                match d.topics.iter().position(|t| *t == i) {
                    Some(p) => {
                        d.topics.remove(p);
                    }
                    None => d.topics.push(i),
                }
            }
            A::Focus => {
                if let Part::Talk { note } = &mut self.part {
                    *note = !*note;
                }
            }
            A::Done => self.part = Part::Items,
            A::Drop => {
                (d.topics, d.note) = self.saved_talk.clone();
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
        match self.part {
            Part::Talk { note } => draw_talk(f, env, area, &self.draft, note),
            _ => self.draw_items(f, env, area),
        }
    }

    fn unsaved(&self) -> bool {
        true
    }
}

impl Contact {
    fn draw_items(&self, f: &mut Frame, env: &Env, area: Rect) {
        let d = &self.draft;
        let lang = env.tx.lang.code();
        let who = match &d.visitor {
            Some((_, alias)) => alias.clone(),
            None => env.tx.t("contact.anonymous").to_string(),
        };
        let channel = env.tx.t(match d.channel {
            Channel::Door => "channel.door",
            Channel::Phone => "channel.phone",
            Channel::Outreach => "channel.outreach",
        });
        let mut title = format!(" {who} · {channel} ");
        if let Some(id) = d.editing {
            title.push_str(&env.tx.f("contact.editing", &[("id", &id)]));
        }
        let block = Block::bordered().title(Span::styled(title, env.theme.title()));
        let inner = block.inner(area);
        f.render_widget(block, area);

        let mut lines: Vec<Line> = Vec::new();
        for m in &d.messages {
            lines.push(Line::styled(
                env.tx.f("contact.message", &[("text", &m.text)]),
                env.theme.message(),
            ));
        }
        if let Part::Message(text) = &self.part {
            lines.push(Line::from(vec![
                Span::raw(env.tx.t("contact.new_message")),
                Span::styled(format!("{}▏", text.value), env.theme.input()),
            ]));
        }
        let cat = &env.cfg.catalog;
        let cells: Vec<Cell> = (cat.items.iter().enumerate())
            .map(|(i, item)| Cell {
                key: item.hotkey,
                text: name_in(&item.names, lang, &item.id).to_string(),
                value: match (d.out(i), d.returned(i)) {
                    (0, 0) => String::new(),
                    (o, 0) => o.to_string(),
                    (o, r) => format!("{o} ↩{r}"),
                },
                on: d.out(i) + d.returned(i) > 0,
            })
            .collect();
        let cols = if inner.width >= 96 { 3 } else { 2 };
        lines.extend(grid::lines(env, &cells, inner.width as usize, cols, true));
        lines.push(Line::from(""));
        let flags = [
            ("1", "flag.overdose"),
            ("2", "flag.referral"),
            ("3", "flag.for_others"),
        ];
        let mut spans = vec![];
        for ((key, text), on) in flags.iter().zip(d.flags.as_array()) {
            spans.push(Span::styled(format!("[{key}] "), env.theme.key()));
            let mark = if on { "■ " } else { "□ " };
            let style = if on {
                env.theme.counted()
            } else {
                Style::new()
            };
            spans.push(Span::styled(format!("{mark}{}  ", env.tx.t(text)), style));
        }
        lines.push(Line::from(spans));
        let topics: Vec<&str> = d
            .topics
            .iter()
            .map(|&i| name_in(&cat.topics[i].names, lang, &cat.topics[i].id))
            .collect();
        if !topics.is_empty() || !d.note.is_empty() {
            lines.push(Line::from(format!(
                "{} {}",
                env.tx.t("contact.topics"),
                topics.join(", ")
            )));
            lines.push(Line::from(format!(
                "{} {}",
                env.tx.t("contact.note"),
                d.note.value
            )));
        }
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

fn draw_talk(f: &mut Frame, env: &Env, area: Rect, d: &Draft, note_focus: bool) {
    let lang = env.tx.lang.code();
    let block = Block::bordered().title(Span::styled(env.tx.t("talk.title"), env.theme.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let cat = &env.cfg.catalog;
    let cells: Vec<Cell> = (cat.topics.iter().enumerate())
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
    lines.push(Line::from(""));
    let (label, cursor) = if note_focus {
        (env.theme.key(), "▏")
    } else {
        (Style::new(), "")
    };
    lines.push(Line::from(vec![
        Span::styled(env.tx.t("contact.note"), label),
        Span::raw(" "),
        Span::styled(format!("{}{cursor}", d.note.value), env.theme.input()),
    ]));
    let count = env.tx.f(
        "talk.count",
        &[("n", &d.note.value.chars().count()), ("max", &d.note.max)],
    );
    lines.push(Line::styled(count, env.theme.dim()));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
