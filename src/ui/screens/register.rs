//! The coordinator's visitor register: find any active visitor by alias or
//! code, see what is known (code, birth year, first and last visit),
//! correct it, or erase the visitor on their request. Not for the hatch:
//! coordinators only, every change audited by the store.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::View;
use crate::domain::Visitor;
use crate::ui::env::Env;
use crate::ui::keys::{Arg, Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::widgets::fit;
use crate::ui::widgets::form::{Edit, Form, TextField};
use crate::ui::widgets::list::{self, Selection};
use crate::ui::widgets::visitor_form::{FIELD_IDS, FIELDS, read_form};
use ratatui::style::Style;

/// The most visitors a search lists.
const SHOWN: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Type,
    Erase,
    Move,
    Open,
    Forget,
    Link,
    Back,
    Edit(Edit),
    Save,
    Cancel,
    Yes,
}

use Action as A;
use KeyCode as K;

const LIST: &[Binding<Action>] = &[
    Binding::new(&[Key::Text], A::Type, "help.register_search"),
    Binding::new(&[Key::Code(K::Backspace)], A::Erase, "help.erase"),
    Binding::new(
        &[Key::Code(K::Up), Key::Code(K::Down)],
        A::Move,
        "help.select",
    ),
    Binding::new(&[Key::Code(K::Enter)], A::Open, "help.register_edit").main("foot.edit"),
    Binding::new(&[Key::Code(K::Delete)], A::Forget, "help.register_erase").footer("foot.erase"),
    Binding::new(&[Key::Ctrl('k')], A::Link, "help.register_link").footer("foot.link"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.back").footer("foot.back"),
];

/// Choosing the record a duplicate is linked into.
const LINK: &[Binding<Action>] = &[
    Binding::new(&[Key::Text], A::Type, "help.register_search"),
    Binding::new(&[Key::Code(K::Backspace)], A::Erase, "help.erase"),
    Binding::new(
        &[Key::Code(K::Up), Key::Code(K::Down)],
        A::Move,
        "help.select",
    ),
    Binding::new(&[Key::Code(K::Enter)], A::Open, "help.register_link_into").main("foot.link"),
    Binding::new(&[Key::Code(K::Esc)], A::Cancel, "help.register_cancel").footer("foot.back"),
];

const FORM: &[Binding<Action>] = crate::form_keys![
    A::Edit;
    Binding::new(&[Key::Code(K::Enter)], A::Save, "help.save_form").main("foot.save"),
    Binding::new(&[Key::Code(K::Esc)], A::Cancel, "help.register_cancel").footer("foot.back"),
];

/// Erasing and linking cannot be undone: a yes is its own key (`y`, or `j`
/// for ja), not the Enter that chose the record.
const CONFIRM: &[Binding<Action>] = &[
    Binding::new(&[Key::OneOf("yj")], A::Yes, "help.register_yes").main("foot.yes"),
    Binding::new(&[Key::Code(K::Esc)], A::Cancel, "help.register_cancel").footer("foot.no"),
];

#[derive(Debug, Clone)]
enum Mode {
    List,
    /// Correcting a visitor (with how many records were linked into it).
    Edit(u64, Form, usize),
    /// Erase this visitor on request? Waiting for Enter.
    Confirm(u64),
    /// Which record is this one (a duplicate) linked into?
    LinkInto(Visitor),
    /// Link the first into the second? Waiting for Enter.
    ConfirmLink(Visitor, Visitor),
}

#[derive(Debug, Clone)]
pub struct Register {
    search: TextField,
    /// The visitors matching the search, as the store has them.
    rows: Vec<Visitor>,
    selection: Selection,
    mode: Mode,
    /// Records linked into the one being corrected.
    linked: usize,
}

impl Register {
    /// For a coordinator; anyone else is refused.
    pub fn open(env: &mut Env) -> Option<Register> {
        if let Err(e) = env
            .store
            .require_coordinator(env.staff_id(), "edit_visitor")
        {
            env.store_failed(&e);
            return None;
        }
        let mut r = Register {
            search: TextField::new(64),
            rows: Vec::new(),
            selection: Selection::default(),
            mode: Mode::List,
            linked: 0,
        };
        r.refresh_rows(env);
        Some(r)
    }

    /// The search again, each match read from the store (birth year and
    /// first visit are not in the search index).
    fn refresh_rows(&mut self, env: &mut Env) {
        let found = match &self.mode {
            // Possible duplicates first, until something is typed; then
            // those seen last.
            Mode::LinkInto(gone) if self.search.is_empty() => {
                let mut found = env.index.look_alikes(gone.id, SHOWN);
                for i in env.index.recent(SHOWN + 1) {
                    if found.len() < SHOWN && !found.contains(&i) {
                        found.push(i);
                    }
                }
                found
            }
            // Nothing typed: those seen last, to browse.
            _ if self.search.is_empty() => env.index.recent(SHOWN),
            _ => env.index.search(&self.search.value, SHOWN),
        };
        let skip = match &self.mode {
            Mode::LinkInto(gone) => Some(gone.id),
            _ => None,
        };
        let ids: Vec<u64> = found
            .into_iter()
            .map(|i| env.index.get(i).id)
            .filter(|id| Some(*id) != skip)
            .collect();
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            match env.store.visitor(id) {
                Ok(Some(v)) if !v.erased => rows.push(v),
                Ok(_) => {}
                Err(e) => {
                    env.store_failed(&e);
                    break;
                }
            }
        }
        self.rows = rows;
        self.selection.set_len(self.rows.len());
    }

    fn selected(&self) -> Option<&Visitor> {
        self.selection.get().and_then(|i| self.rows.get(i))
    }

    fn edit(&mut self, v: &Visitor, env: &mut Env) {
        self.linked = match env.store.linked_into(v.id) {
            Ok(ids) => ids.len(),
            Err(e) => {
                env.store_failed(&e);
                0
            }
        };
        let mut form = Form::new(FIELDS);
        form.set(0, &v.alias);
        form.set(1, v.code.as_deref().unwrap_or(""));
        form.set(2, &v.birth_year.map(|y| y.to_string()).unwrap_or_default());
        form.set(
            3,
            &v.gender.map(|g| g.letter().to_string()).unwrap_or_default(),
        );
        self.mode = Mode::Edit(v.id, form, self.linked);
    }

    fn save(&mut self, env: &mut Env) {
        let Mode::Edit(id, form, _) = &mut self.mode else {
            return;
        };
        let id = *id;
        let Some(nv) = read_form(form, env) else {
            return;
        };
        let nv = match nv.validated(&env.cfg.code_scheme, env.now.year()) {
            Ok(nv) => nv,
            Err(e) => {
                if let Some(i) = FIELD_IDS.iter().position(|f| *f == e.field) {
                    form.focus = i;
                }
                env.invalid(&e);
                return;
            }
        };
        match env.store.edit_visitor(id, nv, env.staff_id(), env.at()) {
            Ok(v) => {
                env.index.upsert(&v);
                let msg = env.tx.f("register.saved", &[("alias", &v.alias)]);
                env.say(msg);
                self.mode = Mode::List;
                self.refresh_rows(env);
            }
            Err(e) => {
                if let crate::store::StoreError::Invalid(i) = &e
                    && let Some(n) = FIELD_IDS.iter().position(|f| *f == i.field)
                {
                    form.focus = n;
                }
                env.store_failed(&e);
            }
        }
    }

    fn link(&mut self, keep: &Visitor, gone: &Visitor, env: &mut Env) {
        match env
            .store
            .link_visitors(keep.id, gone.id, env.staff_id(), env.at())
        {
            Ok(l) => {
                env.index.remove(gone.id);
                if let Ok(Some(v)) = env.store.visitor(keep.id) {
                    env.index.upsert(&v);
                }
                // Today's numbers: both may have come today.
                if let Err(e) = env.load_today() {
                    env.store_failed(&e);
                }
                let msg = env.tx.n(
                    "register.linked",
                    l.contacts as u64,
                    &[("gone", &gone.alias), ("keep", &keep.alias)],
                );
                env.say(msg);
            }
            Err(e) => env.store_failed(&e),
        }
        self.mode = Mode::List;
        self.search.clear();
        self.refresh_rows(env);
    }

    fn forget(&mut self, id: u64, env: &mut Env) {
        let alias = self
            .rows
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.alias.clone())
            .unwrap_or_default();
        match env.store.erase_visitor(id, env.staff_id(), env.at()) {
            Ok(()) => {
                env.index.remove(id);
                // The files are rewritten too, so nothing of them stays on
                // disk (made beside the screen).
                env.rewrite_wanted = true;
                let msg = env.tx.f("register.erased", &[("alias", &alias)]);
                env.say(msg);
            }
            Err(e) => env.store_failed(&e),
        }
        self.mode = Mode::List;
        self.refresh_rows(env);
    }
}

impl View for Register {
    type Action = Action;
    const NAME: &'static str = "register";

    fn bindings(&self) -> &'static [Binding<Action>] {
        match self.mode {
            Mode::List => LIST,
            Mode::Edit(..) => FORM,
            Mode::Confirm(_) | Mode::ConfirmLink(..) => CONFIRM,
            Mode::LinkInto(_) => LINK,
        }
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![
            ("list", LIST),
            ("form", FORM),
            ("confirm", CONFIRM),
            ("link", LINK),
        ]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        match hit.action {
            A::Type => {
                if let Arg::Char(c) = hit.arg {
                    self.search.insert_or_say(&c.to_string(), env);
                    self.refresh_rows(env);
                }
            }
            A::Erase => {
                self.search.backspace();
                self.refresh_rows(env);
            }
            A::Move => self
                .selection
                .step(if hit.arg.index() == 0 { -1 } else { 1 }),
            A::Open => match (&self.mode, self.selected().cloned()) {
                (Mode::LinkInto(gone), Some(keep)) => {
                    self.mode = Mode::ConfirmLink(gone.clone(), keep);
                }
                (_, Some(v)) => self.edit(&v, env),
                _ => {}
            },
            A::Link => {
                if let Some(v) = self.selected().cloned() {
                    self.mode = Mode::LinkInto(v);
                    self.search.clear();
                    self.refresh_rows(env);
                }
            }
            A::Forget => {
                if let Some(v) = self.selected() {
                    self.mode = Mode::Confirm(v.id);
                }
            }
            A::Back => return Nav::Pop,
            A::Edit(e) => {
                if let Mode::Edit(_, form, _) = &mut self.mode {
                    form.edit(e, hit.arg, env);
                }
            }
            A::Save => self.save(env),
            A::Cancel => {
                let linking = matches!(self.mode, Mode::LinkInto(_) | Mode::ConfirmLink(..));
                self.mode = Mode::List;
                if linking {
                    self.refresh_rows(env);
                }
            }
            A::Yes => match self.mode.clone() {
                Mode::Confirm(id) => self.forget(id, env),
                Mode::ConfirmLink(gone, keep) => self.link(&keep, &gone, env),
                _ => {}
            },
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        match &mut self.mode {
            Mode::Edit(_, form, _) => form.focused().insert_or_say(text, env),
            Mode::List | Mode::LinkInto(_) => {
                self.search.insert_or_say(text, env);
                self.refresh_rows(env);
            }
            Mode::Confirm(_) | Mode::ConfirmLink(..) => env.fail_key("status.paste_here"),
        }
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let title = env.tx.n("register.title", env.index.len() as u64, &[]);
        let block = Block::bordered().title(Span::styled(title, env.theme.title()));
        let mut lines = Vec::new();
        match &self.mode {
            Mode::Edit(_, form, linked) => {
                lines.push(Line::styled(
                    env.tx.t("register.edit_hint"),
                    env.theme.dim(),
                ));
                if *linked > 0 {
                    lines.push(Line::styled(
                        env.tx.n("register.linked_from", *linked as u64, &[]),
                        env.theme.dim(),
                    ));
                }
                lines.push(Line::from(""));
                lines.extend(form.lines(env, 22));
            }
            Mode::List | Mode::Confirm(_) | Mode::LinkInto(_) | Mode::ConfirmLink(..) => {
                if let Mode::LinkInto(gone) | Mode::ConfirmLink(gone, _) = &self.mode {
                    lines.push(Line::styled(
                        env.tx.f("register.link_hint", &[("alias", &gone.alias)]),
                        env.theme.key(),
                    ));
                }
                lines.push(Line::from(vec![
                    Span::raw(format!("{} ", env.tx.t("home.search"))),
                    Span::styled(format!("{}▏", self.search.value), env.theme.input()),
                ]));
                if self.search.is_empty() && matches!(self.mode, Mode::List) {
                    lines.push(Line::styled(env.tx.t("register.hint"), env.theme.dim()));
                }
                let width = area.width.saturating_sub(2) as usize;
                let height = area.height.saturating_sub(6) as usize;
                let col = |k: &str| env.tx.t(k).to_string();
                // The nickname gives way on a narrow terminal, so the last
                // visit's date stays whole.
                let alias_w = width.saturating_sub(41).clamp(8, 18);
                let header = format!(
                    " {} {} {} {} {}",
                    fit(&col("register.col_alias"), alias_w),
                    fit(&col("register.col_code"), 10),
                    fit(&col("register.col_born"), 5),
                    fit(&col("register.col_first"), 11),
                    col("register.col_last"),
                );
                lines.push(Line::styled(fit(&header, width), env.theme.dim()));
                let date = |d: Option<time::Date>| d.map_or("-".to_string(), |d| env.tx.date(d));
                for n in self.selection.window(height) {
                    let v = &self.rows[n];
                    let text = format!(
                        " {} {} {} {} {}",
                        fit(&v.alias, alias_w),
                        fit(v.code.as_deref().unwrap_or("-"), 10),
                        fit(&v.birth_year.map_or("-".into(), |y| y.to_string()), 5),
                        fit(&date(v.first_seen), 11),
                        date(v.last_seen),
                    );
                    let line = list::row(
                        fit(&text, width),
                        Style::new(),
                        Some(n) == self.selection.get(),
                        env.theme,
                    );
                    lines.push(line);
                }
                if let Mode::ConfirmLink(gone, keep) = &self.mode {
                    lines.push(Line::from(""));
                    lines.push(Line::styled(
                        env.tx.f(
                            "register.confirm_link",
                            &[("gone", &gone.alias), ("keep", &keep.alias)],
                        ),
                        env.theme.key(),
                    ));
                }
                if let Mode::Confirm(id) = &self.mode {
                    let alias = self
                        .rows
                        .iter()
                        .find(|v| v.id == *id)
                        .map_or("", |v| v.alias.as_str());
                    lines.push(Line::from(""));
                    lines.push(Line::styled(
                        env.tx.f("register.confirm_erase", &[("alias", &alias)]),
                        env.theme.key(),
                    ));
                }
            }
        }
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
    }

    fn unsaved(&self) -> bool {
        matches!(self.mode, Mode::Edit(..))
    }
}
