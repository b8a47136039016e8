//! The coordinator's staff screen: who may sign in, with what role; add a
//! temp, let a leaver go, give a new PIN, unlock an account locked by
//! wrong PINs. Every change is audited by the store, which also keeps at
//! least one active coordinator.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::View;
use crate::domain::{NewStaff, Role, Staff};
use crate::store::StaffChange;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::widgets::form::{Edit, FieldSpec, Form};
use crate::ui::widgets::list::{self, Selection};
use ratatui::style::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move,
    Add,
    Active,
    Role,
    Pin,
    Unlock,
    Back,
    Edit(Edit),
    Save,
    Cancel,
    Yes,
}

use Action as A;
use KeyCode as K;

const LIST: &[Binding<Action>] = &[
    Binding::new(
        &[Key::Code(K::Up), Key::Code(K::Down)],
        A::Move,
        "help.select",
    ),
    Binding::new(&[Key::Char('a')], A::Add, "help.staff_add").footer("foot.add"),
    Binding::new(&[Key::Char('d')], A::Active, "help.staff_active").footer("foot.leaver"),
    Binding::new(&[Key::Char('r')], A::Role, "help.staff_role").footer("foot.role"),
    Binding::new(&[Key::Char('p')], A::Pin, "help.staff_pin").footer("foot.pin"),
    Binding::new(&[Key::Char('u')], A::Unlock, "help.staff_unlock").footer("foot.unlock"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.back").footer("foot.back"),
];

const FORM: &[Binding<Action>] = crate::form_keys![
    A::Edit;
    Binding::new(&[Key::Code(K::Enter)], A::Save, "help.save_form").main("foot.save"),
    Binding::new(&[Key::Code(K::Esc)], A::Cancel, "help.staff_cancel").footer("foot.back"),
];

const CONFIRM: &[Binding<Action>] = &[
    Binding::new(&[Key::Code(K::Enter)], A::Yes, "help.staff_yes").main("foot.yes"),
    Binding::new(&[Key::Code(K::Esc)], A::Cancel, "help.staff_cancel").footer("foot.no"),
];

const ADD_FIELDS: &[FieldSpec] = &[
    FieldSpec::text("gate.name", 64),
    FieldSpec::initials("gate.initials", 4),
    FieldSpec::pin("gate.pin", 12),
    FieldSpec::pin("gate.pin_again", 12),
];

const PIN_FIELDS: &[FieldSpec] = &[
    FieldSpec::pin("gate.pin", 12),
    FieldSpec::pin("gate.pin_again", 12),
];

#[derive(Debug, Clone)]
enum Mode {
    List,
    /// A new staff member (door staff; the role is changed in the list).
    Add(Form),
    /// A new PIN for the staff member with this id.
    Pin(u64, Form),
    /// A change asked for, waiting for Enter.
    Confirm(u64, StaffChange),
}

#[derive(Debug, Clone)]
pub struct StaffScreen {
    staff: Vec<Staff>,
    selection: Selection,
    mode: Mode,
}

impl StaffScreen {
    /// The staff list, for a coordinator; anyone else is refused.
    pub fn open(env: &mut Env) -> Option<StaffScreen> {
        if let Err(e) = env
            .store
            .require_coordinator(env.staff_id(), "change_staff")
        {
            env.store_failed(&e);
            return None;
        }
        let mut s = StaffScreen {
            staff: Vec::new(),
            selection: Selection::default(),
            mode: Mode::List,
        };
        s.reload(env);
        Some(s)
    }

    /// Active staff first, coordinators before door staff, then by name.
    fn reload(&mut self, env: &mut Env) {
        match env.store.staff() {
            Ok(mut all) => {
                all.sort_by_key(|s| (!s.active, s.role != Role::Coordinator, s.name.clone()));
                self.staff = all;
                self.selection.set_len(self.staff.len());
                env.initials = self
                    .staff
                    .iter()
                    .map(|s| (s.id, s.initials.clone()))
                    .collect();
            }
            Err(e) => env.store_failed(&e),
        }
    }

    fn selected(&self) -> Option<&Staff> {
        self.selection.get().and_then(|i| self.staff.get(i))
    }

    fn role_word(env: &Env, role: Role) -> String {
        env.tx.t(&format!("staff.role.{}", role.id())).to_string()
    }

    /// Carries out a change; says what happened.
    fn apply(&mut self, id: u64, change: StaffChange, env: &mut Env) {
        let said = match &change {
            StaffChange::Deactivate => "staff.deactivated",
            StaffChange::Reactivate => "staff.reactivated",
            StaffChange::Role(_) => "staff.role_set",
            StaffChange::Pin(_) => "staff.pin_set",
            StaffChange::Unlock => "staff.unlocked",
        };
        match env.store.change_staff(id, change, env.staff_id(), env.at()) {
            Ok(s) => {
                let role = Self::role_word(env, s.role);
                let msg = env.tx.f(said, &[("name", &s.name), ("role", &role)]);
                env.say(msg);
                // Changed oneself: the screen follows at once (a role given
                // up is given up now).
                if env.staff_id() == Some(s.id) {
                    env.staff = Some(s);
                }
                self.reload(env);
                self.mode = Mode::List;
            }
            Err(e) => {
                env.store_failed(&e);
                self.mode = Mode::List;
            }
        }
    }

    /// The two PIN fields agree and make a PIN (returned as typed). Two
    /// that differ are both cleared, to be typed again.
    fn pin_from(form: &mut Form, first: usize, env: &mut Env) -> Option<String> {
        let (a, b) = (form.value(first), form.value(first + 1));
        if a != b {
            env.fail_key("gate.pins_differ");
            form.set(first, "");
            form.set(first + 1, "");
            return None;
        }
        match crate::domain::staff::check_pin(a) {
            Ok(()) => Some(a.to_string()),
            Err(e) => {
                env.invalid(&e);
                None
            }
        }
    }

    fn save(&mut self, env: &mut Env) {
        match &mut self.mode {
            Mode::Add(form) => {
                let Some(_) = Self::pin_from(form, 2, env) else {
                    form.focus = 2;
                    return;
                };
                let new =
                    match NewStaff::new(form.value(0), form.value(1), Role::Door, form.value(2)) {
                        Ok(n) => n,
                        Err(e) => {
                            env.invalid(&e);
                            return;
                        }
                    };
                match env.store.add_staff(new, env.staff_id(), env.at()) {
                    Ok(s) => {
                        let msg = env.tx.f(
                            "staff.added",
                            &[("name", &s.name), ("initials", &s.initials)],
                        );
                        env.say(msg);
                        self.reload(env);
                        self.mode = Mode::List;
                    }
                    Err(e) => env.store_failed(&e),
                }
            }
            Mode::Pin(id, form) => {
                let id = *id;
                if let Some(pin) = Self::pin_from(form, 0, env) {
                    let hash = crate::domain::staff::hash_pin(&pin);
                    self.apply(id, StaffChange::Pin(hash), env);
                } else {
                    form.focus = 0;
                }
            }
            _ => {}
        }
    }
}

impl View for StaffScreen {
    type Action = Action;
    const NAME: &'static str = "staff";

    fn bindings(&self) -> &'static [Binding<Action>] {
        match self.mode {
            Mode::List => LIST,
            Mode::Add(_) | Mode::Pin(..) => FORM,
            Mode::Confirm(..) => CONFIRM,
        }
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("list", LIST), ("form", FORM), ("confirm", CONFIRM)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        let chosen = self.selected().map(|s| (s.id, s.active, s.role));
        match hit.action {
            A::Move => self
                .selection
                .step(if hit.arg.index() == 0 { -1 } else { 1 }),
            A::Add => self.mode = Mode::Add(Form::new(ADD_FIELDS)),
            A::Active => {
                if let Some((id, active, _)) = chosen {
                    let change = if active {
                        StaffChange::Deactivate
                    } else {
                        StaffChange::Reactivate
                    };
                    self.mode = Mode::Confirm(id, change);
                }
            }
            A::Role => {
                if let Some((id, _, role)) = chosen {
                    let other = match role {
                        Role::Door => Role::Coordinator,
                        Role::Coordinator => Role::Door,
                    };
                    self.mode = Mode::Confirm(id, StaffChange::Role(other));
                }
            }
            A::Pin => {
                if let Some((id, ..)) = chosen {
                    self.mode = Mode::Pin(id, Form::new(PIN_FIELDS));
                }
            }
            A::Unlock => {
                let locked = self
                    .selected()
                    .is_some_and(|s| s.failed > 0 || s.not_before > env.at());
                match chosen {
                    Some((id, ..)) if locked => self.apply(id, StaffChange::Unlock, env),
                    Some(_) => env.fail_key("staff.not_locked"),
                    None => {}
                }
            }
            A::Back => return Nav::Pop,
            A::Edit(e) => {
                if let Mode::Add(form) | Mode::Pin(_, form) = &mut self.mode {
                    form.edit(e, hit.arg, env);
                }
            }
            // As at sign-in: Enter moves to the next field, and saves on
            // the last one.
            A::Save => {
                let moved = match &mut self.mode {
                    Mode::Add(form) | Mode::Pin(_, form) => form.enter_moves_on(),
                    _ => false,
                };
                if !moved {
                    self.save(env);
                }
            }
            A::Cancel => self.mode = Mode::List,
            A::Yes => {
                if let Mode::Confirm(id, change) = self.mode.clone() {
                    self.apply(id, change, env);
                }
            }
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        match &mut self.mode {
            Mode::Add(form) | Mode::Pin(_, form) => form.focused().insert_or_say(text, env),
            _ => env.fail_key("status.paste_here"),
        }
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let title = env.tx.n("staff.title", self.staff.len() as u64, &[]);
        let block = Block::bordered().title(Span::styled(title, env.theme.title()));
        let mut lines = Vec::new();
        match &self.mode {
            Mode::Add(form) => {
                lines.push(Line::styled(env.tx.t("staff.add_hint"), env.theme.dim()));
                lines.push(Line::from(""));
                lines.extend(form.lines(env, 20));
            }
            Mode::Pin(id, form) => {
                let name = self
                    .staff
                    .iter()
                    .find(|s| s.id == *id)
                    .map_or("", |s| s.name.as_str());
                lines.push(Line::styled(
                    env.tx.f("staff.pin_hint", &[("name", &name)]),
                    env.theme.dim(),
                ));
                lines.push(Line::from(""));
                lines.extend(form.lines(env, 20));
            }
            Mode::List | Mode::Confirm(..) => {
                let name_w = self
                    .staff
                    .iter()
                    .map(|s| s.name.width())
                    .max()
                    .unwrap_or(0)
                    .min(24);
                let height = area.height.saturating_sub(4) as usize;
                for n in self.selection.window(height) {
                    let s = &self.staff[n];
                    let mut name: String = s.name.clone();
                    while name.width() > name_w {
                        name.pop();
                    }
                    let pad = " ".repeat(name_w - name.width());
                    let mut marks = Vec::new();
                    if !s.active {
                        marks.push(env.tx.t("staff.inactive").to_string());
                    }
                    if s.not_before > env.at() {
                        let until = time::OffsetDateTime::from_unix_timestamp(s.not_before)
                            .map(|t| env.cfg.day_rule.wall_clock(t))
                            .map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
                            .unwrap_or_default();
                        marks.push(env.tx.f("staff.locked", &[("time", &until)]));
                    }
                    let text = format!(
                        " {:<4} {name}{pad}  {:<12} {}",
                        s.initials,
                        Self::role_word(env, s.role),
                        marks.join(" · ")
                    );
                    let style = if s.active {
                        Style::new()
                    } else {
                        env.theme.dim()
                    };
                    lines.push(list::row(
                        text,
                        style,
                        Some(n) == self.selection.get(),
                        env.theme,
                    ));
                }
                if let Mode::Confirm(id, change) = &self.mode {
                    let name = self
                        .staff
                        .iter()
                        .find(|s| s.id == *id)
                        .map_or("", |s| s.name.as_str());
                    let role = match change {
                        StaffChange::Role(r) => Self::role_word(env, *r),
                        _ => String::new(),
                    };
                    let key = match change {
                        StaffChange::Deactivate => "staff.confirm_deactivate",
                        StaffChange::Reactivate => "staff.confirm_reactivate",
                        _ => "staff.confirm_role",
                    };
                    lines.push(Line::from(""));
                    lines.push(Line::styled(
                        env.tx.f(key, &[("name", &name), ("role", &role)]),
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
        match &self.mode {
            Mode::Add(form) | Mode::Pin(_, form) => form.fields.iter().any(|f| !f.is_empty()),
            _ => false,
        }
    }
}
