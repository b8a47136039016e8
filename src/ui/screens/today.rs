//! Today's contacts, the whole service day, newest at the top, with who
//! came: open one for correction, or undo one (asked once). Door staff
//! change only their own contacts; the store refuses the others.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;

use super::View;
use crate::domain::ContactId;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Hit, Key};
use crate::ui::nav::{Nav, Route};
use crate::ui::ops;
use crate::ui::widgets::contacts::{at_row, draw_contacts};
use crate::ui::widgets::list::Selection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move,
    Page,
    Correct,
    Undo,
    Back,
    Help,
}

use Action as A;
use KeyCode as K;

const KEYS: &[Binding<Action>] = &[
    Binding::new(
        &[Key::Code(K::Up), Key::Code(K::Down)],
        A::Move,
        "help.select",
    )
    .footer("foot.select"),
    Binding::new(
        &[Key::Code(K::PageUp), Key::Code(K::PageDown)],
        A::Page,
        "help.page",
    ),
    Binding::new(&[Key::Code(K::Enter)], A::Correct, "help.edit_selected").footer("foot.correct"),
    Binding::new(
        &[Key::Char('u'), Key::Code(K::Delete)],
        A::Undo,
        "help.undo_selected",
    )
    .footer("foot.undo"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.back").footer("foot.back"),
    Binding::new(&[Key::Char('?')], A::Help, "help.help"),
];

/// The selection counts rows from the top (the newest contact is row 0).
#[derive(Debug, Clone)]
pub struct TodayList {
    pub selection: Selection,
    /// `u` was pressed once on this contact: a second `u` undoes it.
    confirm_undo: Option<ContactId>,
}

impl TodayList {
    /// Opens with the newest contact selected.
    pub fn new(env: &Env) -> TodayList {
        TodayList {
            selection: Selection::new(env.today.contacts.len(), 0),
            confirm_undo: None,
        }
    }

    fn undo(&mut self, id: ContactId, env: &mut Env) {
        if self.confirm_undo != Some(id) {
            self.confirm_undo = Some(id);
            return ops::ask_undo(env, id, "today.undo_again");
        }
        self.confirm_undo = None;
        ops::undo(env, id);
        self.selection.set_len(env.today.contacts.len());
    }
}

impl View for TodayList {
    type Action = Action;
    const NAME: &'static str = "today";

    fn bindings(&self) -> &'static [Binding<Action>] {
        KEYS
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("today", KEYS)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        self.selection.set_len(env.today.contacts.len());
        let selected = self
            .selection
            .get()
            .and_then(|p| at_row(env, p))
            .map(|s| s.contact.id());
        if hit.action != A::Undo {
            self.confirm_undo = None;
        }
        let up = hit.arg.index() == 0;
        match (hit.action, selected) {
            (A::Move, _) => self.selection.step(if up { -1 } else { 1 }),
            (A::Page, _) => self.selection.step(if up { -10 } else { 10 }),
            (A::Correct, Some(id)) => return Nav::Push(Route::Correct(id)),
            (A::Undo, Some(id)) => self.undo(id, env),
            (A::Back, _) => return Nav::Pop,
            (A::Help, _) => return Nav::Help,
            _ => {}
        }
        Nav::Stay
    }

    fn refresh(&mut self, env: &Env) {
        self.selection.set_len(env.today.contacts.len());
    }

    fn interrupted(&mut self) {
        self.confirm_undo = None;
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        draw_contacts(f, env, area, Some(self.selection), true);
    }
}
