//! The gate in front of every screen: the first coordinator on a new
//! store, the PIN sign-in and the lock, and quitting (a coordinator signs).
//! While the gate is closed nothing but the centre's name, the clock and
//! the prompt is drawn.

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
    Back,
}

use Action as A;
use KeyCode as K;

macro_rules! gate_keys {
    ($enter:literal, $esc:expr, $quit:expr $(,)?) => {
        crate::form_keys![
            A::Edit;
            Binding::new(&[Key::Code(K::Enter)], A::Enter, $enter).main($enter),
            $esc,
            $quit,
        ]
    };
}

const CLEAR: Binding<Action> =
    Binding::new(&[Key::Code(K::Esc)], A::Clear, "help.clear_fields").footer("foot.clear");
const QUIT: Binding<Action> =
    Binding::new(&[Key::Ctrl('q'), Key::Code(K::F(10))], A::Quit, "help.quit").footer("foot.quit");

const SIGN_IN: &[Binding<Action>] = gate_keys!("foot.sign_in", CLEAR, QUIT);
const SETUP: &[Binding<Action>] = gate_keys!("foot.create", CLEAR, QUIT);
const QUITTING: &[Binding<Action>] = crate::form_keys![
    A::Edit;
    Binding::new(&[Key::Code(K::Enter)], A::Enter, "help.confirm_quit").main("foot.confirm_quit"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.cancel_quit").footer("foot.back"),
];

const SETUP_FIELDS: &[FieldSpec] = &[
    FieldSpec::text("gate.name", 64),
    FieldSpec::initials("gate.initials", 4),
    FieldSpec::pin("gate.pin", 12),
    FieldSpec::pin("gate.pin_again", 12),
];

const SIGN_IN_FIELDS: &[FieldSpec] = &[
    FieldSpec::initials("gate.initials", 4),
    FieldSpec::pin("gate.pin", 12),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No staff yet: create the coordinator.
    Setup,
    /// Locked: sign in.
    SignIn,
    /// A coordinator signs to quit; Esc goes back to the lock (`true`) or
    /// to the open screen.
    Quit { locked: bool },
}

#[derive(Debug, Clone)]
pub struct Gate {
    pub mode: Mode,
    pub form: Form,
}

impl Gate {
    fn with(mode: Mode) -> Gate {
        let fields = if mode == Mode::Setup {
            SETUP_FIELDS
        } else {
            SIGN_IN_FIELDS
        };
        Gate {
            mode,
            form: Form::new(fields),
        }
    }

    /// The first start: create the coordinator.
    pub fn setup() -> Gate {
        Gate::with(Mode::Setup)
    }

    /// Locked: sign in with initials and PIN.
    pub fn locked() -> Gate {
        Gate::with(Mode::SignIn)
    }

    /// Quitting: a coordinator's initials and PIN.
    pub fn quitting(locked: bool) -> Gate {
        Gate::with(Mode::Quit { locked })
    }

    pub fn is_setup(&self) -> bool {
        self.mode == Mode::Setup
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
                env.initials.insert(s.id, s.initials.clone());
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

    /// Checks initials and PIN: the staff member, or why not (said).
    fn check(&mut self, env: &mut Env) -> Option<crate::domain::Staff> {
        let policy = env.cfg.pin_policy;
        let at = env.at();
        let (initials, pin) = (self.form.value(0), self.form.value(1));
        let wait = match env.store.sign_in(initials, pin, at, &policy) {
            Ok(SignIn::Ok(s)) => return Some(s),
            Ok(SignIn::Wrong { wait }) | Ok(SignIn::Wait { wait }) => wait,
            // As a real account: a count of wrong tries and a wait that
            // grows, then a lockout after which the count starts afresh.
            Ok(SignIn::Unknown) => {
                let key = initials.trim().to_uppercase();
                let (fails, until) = env.unknown_tries.entry(key).or_insert((0, 0));
                if at >= *until {
                    *fails += 1;
                    *until = at + policy.wait_after(*fails);
                    if *fails >= policy.max_failures {
                        *fails = 0;
                    }
                }
                *until - at
            }
            Err(e) => {
                env.store_failed(&e);
                return None;
            }
        };
        // Both fields afresh: whoever tries next starts with the initials.
        self.form.clear();
        // A lockout says until when; shorter waits read the same for
        // unknown initials and a wrong PIN.
        if wait >= 60 {
            let until = time::OffsetDateTime::from_unix_timestamp(at + wait)
                .map(|t| env.cfg.day_rule.wall_clock(t))
                .map(|t| format!("{:02}:{:02}", t.hour(), t.minute()))
                .unwrap_or_default();
            let msg = env.tx.f("gate.locked_out", &[("time", &until)]);
            env.fail(msg);
        } else {
            let msg = env.tx.f("gate.wrong", &[("s", &wait)]);
            env.fail(msg);
        }
        None
    }

    fn sign_in(&mut self, env: &mut Env) -> Nav {
        let Some(s) = self.check(env) else {
            return Nav::Stay;
        };
        let msg = env.tx.f("gate.hello", &[("name", &s.name)]);
        env.say(msg);
        env.staff = Some(s);
        Nav::Open
    }

    fn confirm_quit(&mut self, env: &mut Env) -> Nav {
        let Some(s) = self.check(env) else {
            return Nav::Stay;
        };
        if s.role != Role::Coordinator {
            self.form.clear();
            env.fail_key("gate.quit_denied");
            return Nav::Stay;
        }
        if let Err(e) = env.store.log("quit", Some(s.id), None, env.at()) {
            env.store_failed(&e);
        }
        Nav::Quit
    }
}

impl View for Gate {
    type Action = Action;
    const NAME: &'static str = "gate";

    fn bindings(&self) -> &'static [Binding<Action>] {
        match self.mode {
            Mode::Setup => SETUP,
            Mode::SignIn => SIGN_IN,
            Mode::Quit { .. } => QUITTING,
        }
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("setup", SETUP), ("sign_in", SIGN_IN), ("quit", QUITTING)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        let form = &mut self.form;
        match hit.action {
            A::Edit(e) => form.edit(e, hit.arg, env),
            A::Clear => form.clear(),
            // Only the setup quits at once (nothing to protect yet); from
            // the lock, the app asks for a coordinator.
            A::Quit => return Nav::Quit,
            A::Back => return Nav::Pop,
            A::Enter => {
                if !form.enter_moves_on() {
                    return match self.mode {
                        Mode::Setup => self.finish_setup(env),
                        Mode::SignIn => self.sign_in(env),
                        Mode::Quit { .. } => self.confirm_quit(env),
                    };
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
        let (title, hint) = match self.mode {
            Mode::Setup => ("gate.setup_title", "gate.setup_hint"),
            Mode::SignIn => ("gate.locked_title", "gate.locked_hint"),
            Mode::Quit { .. } => ("gate.quit_title", "gate.quit_hint"),
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
