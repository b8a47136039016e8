//! The gate in front of every screen: the first coordinator on a new
//! store, the PIN sign-in, and the lock. While the gate is closed nothing
//! but the centre's name, the clock and the prompt is drawn.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::View;
use crate::domain::staff::check_pin;
use crate::domain::{NewStaff, Role};
use crate::store::SignIn;
use crate::ui::env::Env;
use crate::ui::keys::{self, Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::widgets::chrome;
use crate::ui::widgets::form::{Edit, FieldSpec, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Edit(Edit),
    Enter,
    Clear,
    Quit,
}

use Action as A;
use KeyCode as K;

macro_rules! gate_keys {
    ($enter:literal) => {
        crate::form_keys![
            A::Edit;
            Binding::new(&[Key::Code(K::Enter)], A::Enter, $enter).footer($enter),
            Binding::new(&[Key::Code(K::Esc)], A::Clear, "help.clear_fields").footer("foot.clear"),
            Binding::new(&[Key::Ctrl('q')], A::Quit, "help.quit").footer("foot.quit"),
        ]
    };
}

const SIGN_IN: &[Binding<Action>] = gate_keys!("foot.sign_in");
const SETUP: &[Binding<Action>] = gate_keys!("foot.create");

const SETUP_FIELDS: &[FieldSpec] = &[
    FieldSpec::text("gate.name", 64),
    FieldSpec::text("gate.initials", 4),
    FieldSpec::secret("gate.pin", 12),
    FieldSpec::secret("gate.pin_again", 12),
];

const SIGN_IN_FIELDS: &[FieldSpec] = &[
    FieldSpec::text("gate.initials", 4),
    FieldSpec::secret("gate.pin", 12),
];

/// Setup: name, initials, PIN, PIN again. Sign-in: initials, PIN.
#[derive(Debug, Clone)]
pub struct Gate {
    pub form: Form,
}

impl Gate {
    /// The first start: create the coordinator.
    pub fn setup() -> Gate {
        Gate {
            form: Form::new(SETUP_FIELDS),
        }
    }

    /// Locked: sign in with initials and PIN.
    pub fn locked() -> Gate {
        Gate {
            form: Form::new(SIGN_IN_FIELDS),
        }
    }

    pub fn is_setup(&self) -> bool {
        self.form.specs == SETUP_FIELDS
    }

    fn finish_setup(&mut self, env: &mut Env) -> Nav {
        let f = &self.form;
        let (name, initials, pin, again) = (f.value(0), f.value(1), f.value(2), f.value(3));
        if let Err(e) = check_pin(pin) {
            env.invalid(&e);
            return Nav::Stay;
        }
        if pin != again {
            env.fail_key("gate.pins_differ");
            return Nav::Stay;
        }
        let new = match NewStaff::new(name, initials, Role::Coordinator, pin) {
            Ok(n) => n,
            Err(e) => {
                env.invalid(&e);
                return Nav::Stay;
            }
        };
        match env.store.add_staff(new, None, env.at()) {
            Ok(s) => {
                let msg = env.tx.f("gate.welcome", &[("name", &s.name)]);
                env.staff = Some(s);
                env.say(msg);
                Nav::Open
            }
            Err(e) => {
                env.store_failed(&e);
                Nav::Stay
            }
        }
    }

    fn sign_in(&mut self, env: &mut Env) -> Nav {
        let policy = env.cfg.pin_policy;
        let (initials, pin) = (self.form.value(0), self.form.value(1));
        match env.store.sign_in(initials, pin, env.at(), &policy) {
            Ok(SignIn::Ok(s)) => {
                let msg = env.tx.f("gate.hello", &[("name", &s.name)]);
                env.say(msg);
                env.staff = Some(s);
                Nav::Open
            }
            Ok(SignIn::Wrong { wait }) | Ok(SignIn::Wait { wait }) => {
                self.form.fields[1].clear();
                self.form.focus = 1;
                let msg = env.tx.f("gate.wrong", &[("s", &wait)]);
                env.fail(msg);
                Nav::Stay
            }
            Ok(SignIn::Unknown) => {
                env.fail_key("gate.unknown");
                Nav::Stay
            }
            Err(e) => {
                env.store_failed(&e);
                Nav::Stay
            }
        }
    }
}

impl View for Gate {
    type Action = Action;
    const NAME: &'static str = "gate";

    fn bindings(&self) -> &'static [Binding<Action>] {
        if self.is_setup() { SETUP } else { SIGN_IN }
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("setup", SETUP), ("sign_in", SIGN_IN)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        let form = &mut self.form;
        match hit.action {
            A::Edit(e) => form.edit(e, hit.arg, env),
            A::Clear => form.clear(),
            A::Quit => return Nav::Quit,
            A::Enter => {
                let next = form.focus + 1;
                if next < form.fields.len() && form.fields[next].is_empty() {
                    form.focus = next;
                } else if self.is_setup() {
                    return self.finish_setup(env);
                } else {
                    return self.sign_in(env);
                }
            }
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        self.form.focused().insert_or_say(text, env);
        Nav::Stay
    }

    /// The whole terminal: the centre's name, the clock and the prompt.
    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let [header, _, body, _, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(10),
            Constraint::Min(0),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        chrome::header(f, env, header);
        let (title, hint) = if self.is_setup() {
            ("gate.setup_title", "gate.setup_hint")
        } else {
            ("gate.locked_title", "gate.locked_hint")
        };
        let mut lines = vec![
            Line::styled(env.tx.t(hint), env.theme.dim()),
            Line::from(""),
        ];
        lines.extend(self.form.lines(env, 20));
        let w = body.width.min(64);
        let boxed = Rect {
            x: body.x + (body.width - w) / 2,
            width: w,
            ..body
        };
        let block = Block::bordered().title(Span::styled(env.tx.t(title), env.theme.title()));
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            boxed,
        );
        chrome::status(f, env, status);
        let parts = keys::footer(&env.tx, View::bindings(self), None);
        chrome::footer(f, env, &parts, footer);
    }
}
