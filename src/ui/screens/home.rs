//! The home screen: the search line with the matching visitors on the
//! left, today's contacts on the right. From here every other screen opens.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::View;
use crate::ui::env::Env;
use crate::ui::keys::{Arg, Binding, Hit, Key};
use crate::ui::nav::{Nav, Route};
use crate::ui::ops;
use crate::ui::widgets::contacts::draw_contacts;
use crate::ui::widgets::form::TextField;
use crate::ui::widgets::list::Selection;

/// How many matches the visitor list shows at most.
pub const MATCHES: usize = 50;
/// Longest search text.
const MAX_SEARCH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Type,
    Erase,
    Move,
    Pick,
    Anonymous,
    NewVisitor,
    Tally,
    Today,
    Reports,
    Audit,
    Staff,
    Register,
    Stock,
    Catalog,
    Settings,
    UndoLast,
    Clear,
    Help,
}

use Action as A;
use KeyCode as K;

const KEYS: &[Binding<Action>] = &[
    Binding::new(&[Key::Text], A::Type, "help.search"),
    Binding::new(&[Key::Code(K::Backspace)], A::Erase, "help.search_erase"),
    Binding::new(
        &[Key::Code(K::Up), Key::Code(K::Down)],
        A::Move,
        "help.select",
    ),
    Binding::new(&[Key::Code(K::Enter)], A::Pick, "help.pick").main("foot.pick"),
    Binding::new(
        &[Key::Char(' '), Key::Code(K::F(2))],
        A::Anonymous,
        "help.anonymous",
    )
    .footer("foot.anonymous"),
    Binding::new(&[Key::Code(K::F(3))], A::NewVisitor, "help.new_visitor").footer("foot.new"),
    Binding::new(&[Key::Code(K::F(4))], A::Tally, "help.tally").footer("foot.tally"),
    Binding::new(&[Key::Code(K::F(5))], A::Today, "help.recent").footer("foot.today"),
    Binding::new(&[Key::Code(K::F(6))], A::Reports, "help.reports"),
    Binding::new(&[Key::Code(K::F(7))], A::Audit, "help.audit").coordinator(),
    Binding::new(&[Key::Code(K::F(11))], A::Staff, "help.staff").coordinator(),
    Binding::new(&[Key::Code(K::F(12))], A::Register, "help.register").coordinator(),
    Binding::new(&[Key::Ctrl('b')], A::Stock, "help.stock").coordinator(),
    Binding::new(&[Key::Ctrl('t')], A::Catalog, "help.catalog").coordinator(),
    Binding::new(&[Key::Ctrl('o')], A::Settings, "help.settings").coordinator(),
    Binding::new(&[Key::Ctrl('z')], A::UndoLast, "help.undo_last"),
    Binding::new(&[Key::Code(K::Esc)], A::Clear, "help.clear_search"),
    Binding::new(&[Key::Char('?')], A::Help, "help.help"),
];

#[derive(Debug, Clone)]
pub struct Home {
    /// Ctrl-Z was pressed once: a second one undoes this contact.
    confirm_undo: Option<crate::domain::ContactId>,
    pub search: TextField,
    /// Positions in the visitor index, best match first.
    pub matches: Vec<usize>,
    pub selection: Selection,
}

impl Default for Home {
    fn default() -> Self {
        Home {
            confirm_undo: None,
            search: TextField::new(MAX_SEARCH),
            matches: Vec::new(),
            selection: Selection::default(),
        }
    }
}

impl Home {
    fn refresh_matches(&mut self, env: &Env) {
        self.matches = env.index.search(&self.search.value, MATCHES);
        self.selection = Selection::new(self.matches.len(), 0);
    }

    /// Leaves the search empty for the next visitor.
    fn reset(&mut self) {
        self.search.clear();
        self.matches.clear();
        self.selection = Selection::default();
    }

    fn pick(&mut self, env: &mut Env) -> Nav {
        let Some(&i) = self.selection.get().and_then(|s| self.matches.get(s)) else {
            if !self.search.value.trim().is_empty() {
                env.fail_key("status.no_match");
            }
            return Nav::Stay;
        };
        let e = env.index.get(i);
        let visitor = Some((e.id, e.alias.to_string()));
        self.reset();
        Nav::Push(Route::Contact(visitor))
    }
}

impl View for Home {
    type Action = Action;
    const NAME: &'static str = "home";

    fn bindings(&self) -> &'static [Binding<Action>] {
        KEYS
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("search", KEYS)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        if hit.action != A::UndoLast {
            self.confirm_undo = None;
        }
        // The next visitor is being served: the last one's "saved" goes.
        if matches!(hit.action, A::Type | A::Anonymous | A::Pick | A::NewVisitor) {
            env.clear_good_news();
        }
        match hit.action {
            A::Type => {
                if let Arg::Char(c) = hit.arg {
                    let _ = self.search.insert(&c.to_string());
                    self.refresh_matches(env);
                }
            }
            A::Erase => {
                self.search.backspace();
                self.refresh_matches(env);
            }
            A::Move => self
                .selection
                .step(if hit.arg.index() == 0 { -1 } else { 1 }),
            A::Pick => return self.pick(env),
            // Space is an anonymous contact only on an empty search line.
            A::Anonymous if hit.arg.index() == 0 && !self.search.is_empty() => {
                let _ = self.search.insert(" ");
                self.refresh_matches(env);
            }
            A::Anonymous => {
                self.reset();
                return Nav::Push(Route::Contact(None));
            }
            // What was typed in the search is most likely the new alias.
            A::NewVisitor => return Nav::Push(Route::NewVisitor(self.search.value.trim().into())),
            A::Tally => return Nav::Push(Route::Tally),
            A::Today => return Nav::Push(Route::Today),
            A::Reports => return Nav::Push(Route::Reports),
            A::Audit => return Nav::Push(Route::Audit),
            A::Staff => return Nav::Push(Route::Staff),
            A::Register => return Nav::Push(Route::Register),
            A::Stock => return Nav::Push(Route::Stock),
            A::Catalog => return Nav::Push(Route::Catalog),
            A::Settings => return Nav::Push(Route::Settings),
            A::UndoLast => match env.today.contacts.last().map(|s| s.contact.id()) {
                // Asked once: a slip must not take a contact back.
                Some(id) if self.confirm_undo == Some(id) => {
                    self.confirm_undo = None;
                    ops::undo(env, id);
                }
                Some(id) => {
                    self.confirm_undo = Some(id);
                    ops::ask_undo(env, id, "status.undo_again");
                }
                None => env.fail_key("status.nothing_to_undo"),
            },
            A::Clear => {
                self.reset();
                env.status = None;
            }
            A::Help => return Nav::Help,
        }
        Nav::Stay
    }

    /// Back in front, or the index changed: the matches are searched again
    /// (a visitor registered meanwhile, or anonymised at a new day).
    fn refresh(&mut self, env: &Env) {
        if !self.search.is_empty() {
            self.refresh_matches(env);
        } else {
            self.matches.clear();
            self.selection = Selection::default();
        }
    }

    fn interrupted(&mut self) {
        self.confirm_undo = None;
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        let _ = self.search.insert(text);
        self.refresh_matches(env);
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(area);
        let mut lines = vec![Line::from(vec![
            Span::raw(format!("{} ", env.tx.t("home.search"))),
            Span::styled(format!("{}▏", self.search.value), env.theme.input()),
        ])];
        if self.search.is_empty() {
            lines.push(Line::from(""));
            for key in ["home.hint_type", "home.hint_space", "home.hint_new"] {
                lines.push(Line::styled(env.tx.t(key), env.theme.dim()));
            }
            // Items that run out before the day is over at today's pace.
            let lang = env.tx.lang.code();
            let out: Vec<String> = env
                .running_out()
                .into_iter()
                .map(|(item, h, m)| {
                    let name = env.cfg.catalog.item(&item).map_or(item.clone(), |i| {
                        crate::domain::catalog::name_in(&i.names, lang, &i.id).to_string()
                    });
                    format!("{name} ≈ {h:02}:{m:02}")
                })
                .collect();
            if !out.is_empty() {
                lines.push(Line::from(""));
                lines.push(Line::styled(
                    env.tx.f("home.running_out", &[("items", &out.join(", "))]),
                    env.theme.error(),
                ));
            }
            // A failed daily backup stays in a coordinator's view until one
            // succeeds (door staff cannot mend it).
            if env.role() == Some(crate::domain::Role::Coordinator) {
                if let Some(day) = env.last_backup {
                    lines.push(Line::from(""));
                    lines.push(Line::styled(
                        env.tx.f("home.last_backup", &[("date", &env.tx.date(day))]),
                        env.theme.dim(),
                    ));
                }
                for (failed, key) in [
                    (&env.backup_failed, "home.backup_failed"),
                    (&env.export_failed, "home.export_failed"),
                ] {
                    if let Some((_, why)) = failed {
                        lines.push(Line::from(""));
                        lines.push(Line::styled(
                            env.tx.f(key, &[("error", why)]),
                            env.theme.error(),
                        ));
                    }
                }
            }
        } else if self.matches.is_empty() {
            lines.push(Line::styled(env.tx.t("home.no_match"), env.theme.dim()));
        }
        let rows = left.height.saturating_sub(3) as usize;
        for n in self.selection.window(rows) {
            let Some(e) = self.matches.get(n).and_then(|&i| env.index.entry(i)) else {
                continue;
            };
            let mut spans = vec![Span::raw(format!(" {} ", e.alias))];
            if let Some(code) = e.code {
                spans.push(Span::styled(format!("{code} "), env.theme.dim()));
            }
            if let Some(seen) = e.last_seen() {
                let seen = match (env.day - seen).whole_days() {
                    0 => env.tx.t("card.today").to_string(),
                    days => env.tx.f("home.seen_days", &[("n", &days)]),
                };
                spans.push(Span::styled(seen, env.theme.dim()));
            }
            let mut line = Line::from(spans);
            if Some(n) == self.selection.get() {
                line = line.style(env.theme.selected());
            }
            lines.push(line);
        }
        let block = Block::bordered().title(env.tx.t("home.visitors"));
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            left,
        );
        // The screen faces the hatch: no aliases unless the centre wants them.
        draw_contacts(f, env, right, None, env.cfg.hatch_shows_aliases);
    }
}
