//! Tally mode for a long queue: each item key saves one anonymous contact
//! with one unit of that item.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::View;
use crate::domain::ContactId;
use crate::domain::catalog::name_in;
use crate::ui::draft::Draft;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::ops;
use crate::ui::widgets::grid::{self, Cell};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Save,
    Digit,
    Undo,
    Leave,
    Help,
}

use Action as A;
use KeyCode as K;

const KEYS: &[Binding<Action>] = &[
    Binding::new(&[Key::Item], A::Save, "help.tally_item").footer("foot.save_one"),
    Binding::new(&[Key::OneOf("0123456789")], A::Digit, "help.quantity").footer("foot.quantity"),
    Binding::new(&[Key::Code(K::Backspace)], A::Undo, "help.tally_undo").footer("foot.undo"),
    Binding::new(&[Key::Code(K::Esc)], A::Leave, "help.leave_tally").footer("foot.leave"),
    Binding::new(&[Key::Char('?')], A::Help, "help.help"),
];

/// The contacts saved in this tally, newest last, and a quantity being
/// keyed for the next one.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub saved: Vec<ContactId>,
    digits: String,
}

impl View for Tally {
    type Action = Action;
    const NAME: &'static str = "tally";

    fn bindings(&self) -> &'static [Binding<Action>] {
        KEYS
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("tally", KEYS)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        match hit.action {
            A::Save => {
                let qty = std::mem::take(&mut self.digits).parse().unwrap_or(1);
                let mut d = Draft::new(None);
                if d.add(hit.arg.index(), qty, false).is_err() {
                    let msg = env.tx.f(
                        "status.too_many",
                        &[("max", &crate::domain::contact::MAX_QUANTITY)],
                    );
                    env.fail(msg);
                } else if let Some(id) = ops::save_draft(env, &d) {
                    self.saved.push(id);
                }
            }
            A::Digit => {
                let n = hit.arg.index();
                if (n > 0 || !self.digits.is_empty()) && self.digits.len() < 4 {
                    self.digits.push(char::from(b'0' + n as u8));
                }
            }
            A::Undo if !self.digits.is_empty() => {
                self.digits.pop();
            }
            // Only contacts of today's tally: after midnight, yesterday's stay.
            A::Undo => match self.saved.last().filter(|id| id.day == env.day) {
                Some(&id) => {
                    if ops::undo(env, id) {
                        self.saved.pop();
                    }
                }
                None => env.fail_key("status.nothing_to_undo"),
            },
            A::Leave if !self.digits.is_empty() => self.digits.clear(),
            A::Leave => return Nav::Pop,
            A::Help => return Nav::Help,
        }
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let lang = env.tx.lang.code();
        let block =
            Block::bordered().title(Span::styled(env.tx.t("tallymode.title"), env.theme.title()));
        let mut lines = vec![
            Line::styled(
                env.tx.n("tallymode.count", self.saved.len() as u64, &[]),
                env.theme.counted(),
            ),
            Line::styled(env.tx.t("tallymode.hint"), env.theme.dim()),
            if self.digits.is_empty() {
                Line::from("")
            } else {
                Line::styled(
                    env.tx.f("contact.pending", &[("n", &self.digits)]),
                    env.theme.key(),
                )
            },
        ];
        let cells: Vec<Cell> = (env.cfg.catalog.items.iter())
            .filter(|item| item.active)
            .map(|item| Cell {
                key: item.hotkey,
                text: name_in(&item.names, lang, &item.id).to_string(),
                value: String::new(),
                on: false,
            })
            .collect();
        let width = area.width.saturating_sub(2) as usize;
        lines.extend(grid::lines(env, &cells, width, 2, false));
        f.render_widget(Paragraph::new(lines).block(block), area);
    }
}
