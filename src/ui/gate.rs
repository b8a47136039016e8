//! The gate in front of the door screen: the first coordinator on a new
//! store, the PIN sign-in, and the lock. While the gate is closed nothing
//! but the centre's name, the clock and the prompt is drawn.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Mode};
use crate::domain::staff::check_pin;
use crate::domain::{NewStaff, Role};
use crate::store::SignIn;

/// Setup: name, initials, PIN, PIN again. Sign-in: initials, PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Open,
    Setup { fields: [String; 4], focus: usize },
    Locked { fields: [String; 2], focus: usize },
}

impl Gate {
    pub fn is_open(&self) -> bool {
        *self == Gate::Open
    }

    pub fn locked() -> Gate {
        Gate::Locked {
            fields: Default::default(),
            focus: 0,
        }
    }

    /// The fields: the label's text key, the most characters, and whether
    /// it holds a PIN (drawn as dots).
    pub fn layout(&self) -> &'static [(&'static str, usize, bool)] {
        match self {
            Gate::Setup { .. } => &[
                ("gate.name", 64, false),
                ("gate.initials", 4, false),
                ("gate.pin", 12, true),
                ("gate.pin_again", 12, true),
            ],
            Gate::Locked { .. } => &[("gate.initials", 4, false), ("gate.pin", 12, true)],
            Gate::Open => &[],
        }
    }

    /// What was typed, and which field has the keyboard.
    pub fn entered(&self) -> (&[String], usize) {
        match self {
            Gate::Setup { fields, focus } => (&fields[..], *focus),
            Gate::Locked { fields, focus } => (&fields[..], *focus),
            Gate::Open => (&[], 0),
        }
    }

    fn fields(&mut self) -> Option<(&mut [String], &mut usize)> {
        match self {
            Gate::Setup { fields, focus } => Some((&mut fields[..], focus)),
            Gate::Locked { fields, focus } => Some((&mut fields[..], focus)),
            Gate::Open => None,
        }
    }
}

impl App<'_> {
    /// Locks at once (a key, or idle). What was being typed stays hidden
    /// and comes back only for the same staff member.
    pub fn lock(&mut self) {
        if !self.gate.is_open() {
            return;
        }
        self.locked_by = self.staff_id();
        self.help = false;
        self.status = None;
        self.gate = Gate::locked();
        if let Err(e) = self
            .store
            .log("lock", self.staff_id(), None, self.now.unix_timestamp())
        {
            self.fail(e.to_string());
        }
        self.signed_in = None;
    }

    pub(super) fn gate_key(&mut self, key: KeyEvent) {
        if key.code == KeyCode::Char('q') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        let layout = self.gate.layout();
        let setup = matches!(self.gate, Gate::Setup { .. });
        let Some((fields, focus)) = self.gate.fields() else {
            return;
        };
        let max = |i: usize| layout[i].1;
        match key.code {
            KeyCode::Tab | KeyCode::Down => *focus = (*focus + 1) % fields.len(),
            KeyCode::BackTab | KeyCode::Up => *focus = (*focus + fields.len() - 1) % fields.len(),
            KeyCode::Backspace => {
                fields[*focus].pop();
            }
            KeyCode::Esc => {
                for f in fields.iter_mut() {
                    f.clear();
                }
                *focus = 0;
            }
            KeyCode::Enter => {
                if *focus + 1 < fields.len() && fields[*focus + 1].is_empty() {
                    *focus += 1;
                } else if setup {
                    self.finish_setup();
                } else {
                    self.try_sign_in();
                }
            }
            KeyCode::Char(c) if !c.is_control() && fields[*focus].chars().count() < max(*focus) => {
                fields[*focus].push(c);
            }
            _ => {}
        }
    }

    fn finish_setup(&mut self) {
        let Gate::Setup { fields, .. } = &self.gate else {
            return;
        };
        let [name, initials, pin, again] = fields.clone();
        if let Err(e) = check_pin(&pin) {
            return self.fail(e.to_string());
        }
        if pin != again {
            return self.fail(self.tx.t("gate.pins_differ").to_string());
        }
        let new = match NewStaff::new(&name, &initials, Role::Coordinator, &pin) {
            Ok(n) => n,
            Err(e) => return self.fail(e.to_string()),
        };
        match self.store.add_staff(new, None, self.now.unix_timestamp()) {
            Ok(s) => {
                let msg = self.tx.f("gate.welcome", &[("name", &s.name)]);
                self.signed_in = Some(s);
                self.gate = Gate::Open;
                self.last_key = self.now;
                self.say(msg);
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    fn try_sign_in(&mut self) {
        let Gate::Locked { fields, .. } = &self.gate else {
            return;
        };
        let [initials, pin] = fields.clone();
        let policy = self.cfg.pin_policy;
        match self
            .store
            .sign_in(&initials, &pin, self.now.unix_timestamp(), &policy)
        {
            Ok(SignIn::Ok(s)) => {
                // Someone else's unsaved input is kept out of sight until
                // its owner signs in again; one's own comes back.
                if let (Some(owner), Some(draft)) = (self.locked_by, self.draft.take()) {
                    if owner != s.id {
                        self.stash = Some((owner, draft, self.mode.clone()));
                        self.mode = Mode::Home;
                    } else {
                        self.draft = Some(draft);
                    }
                }
                if self.draft.is_none()
                    && let Some((_, draft, mode)) = self.stash.take_if(|st| st.0 == s.id)
                {
                    self.draft = Some(draft);
                    self.mode = mode;
                }
                let key = if self.draft.is_some() {
                    "gate.hello_back"
                } else {
                    "gate.hello"
                };
                let msg = self.tx.f(key, &[("name", &s.name)]);
                self.say(msg);
                if self.draft.is_none() && !matches!(self.mode, Mode::Home) {
                    self.mode = Mode::Home;
                }
                self.signed_in = Some(s);
                self.gate = Gate::Open;
                self.last_key = self.now;
            }
            Ok(SignIn::Wrong { wait }) | Ok(SignIn::Wait { wait }) => {
                if let Gate::Locked { fields, focus } = &mut self.gate {
                    fields[1].clear();
                    *focus = 1;
                }
                let msg = self.tx.f("gate.wrong", &[("s", &wait)]);
                self.fail(msg);
            }
            Ok(SignIn::Unknown) => self.fail(self.tx.t("gate.unknown").to_string()),
            Err(e) => self.fail(e.to_string()),
        }
    }
}
