//! Today's contacts, newest first: undo one or open it for correction.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;

use super::View;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Hit, Key};
use crate::ui::nav::{Nav, Route};
use crate::ui::ops;
use crate::ui::widgets::contacts::draw_contacts;
use crate::ui::widgets::list::Selection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move,
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

/// The selection is a position in `env.today.contacts` (oldest first).
#[derive(Debug, Clone)]
pub struct TodayList {
    pub selection: Selection,
}

impl TodayList {
    /// Opens with the newest contact selected.
    pub fn new(env: &Env) -> TodayList {
        let n = env.today.contacts.len();
        TodayList {
            selection: Selection::new(n, n.saturating_sub(1)),
        }
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
            .map(|i| env.today.contacts[i].contact.id());
        match (hit.action, selected) {
            (A::Move, _) => self
                .selection
                .step(if hit.arg.index() == 0 { -1 } else { 1 }),
            (A::Correct, Some(id)) => return Nav::Push(Route::Correct(id)),
            (A::Undo, Some(id)) => {
                ops::undo(env, id);
                self.selection.set_len(env.today.contacts.len());
            }
            (A::Back, _) => return Nav::Pop,
            (A::Help, _) => return Nav::Help,
            _ => {}
        }
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let mut s = self.selection;
        s.set_len(env.today.contacts.len());
        draw_contacts(f, env, area, s.get());
    }
}
