//! The app: the gate in front, a stack of screens behind it (open pushes,
//! Esc pops), the help overlay, the idle lock and the day roll-over. Every
//! key and every paste comes in through `input`, and the gate sees it first.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Paragraph, Wrap};
use time::OffsetDateTime;

use super::env::Env;
use super::keys::{self, Binding, HelpLine, Key};
use super::nav::Nav;
use super::screens::gate::Gate;
use super::screens::home::Home;
use super::screens::{self, Screen, View};
use super::search::VisitorIndex;
use super::theme::Theme;
use super::widgets::{chrome, help};
use crate::config::Config;
use crate::domain::Staff;
use crate::i18n::Texts;
use crate::store::Store;

/// The smallest terminal the screens are drawn on.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// What comes from the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Paste(String),
}

/// The keys every screen behind the gate has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Global {
    Help,
    Lock,
    Quit,
}

pub const GLOBAL: &[Binding<Global>] = &[
    Binding::new(&[Key::Code(KeyCode::F(1))], Global::Help, "help.help").footer("foot.keys"),
    Binding::new(
        &[Key::Code(KeyCode::F(9)), Key::Ctrl('l')],
        Global::Lock,
        "help.lock",
    ),
    Binding::new(
        &[Key::Ctrl('q'), Key::Code(KeyCode::F(10)), Key::Ctrl('c')],
        Global::Quit,
        "help.quit",
    ),
];

pub struct App<'a> {
    pub env: Env<'a>,
    /// Setup, sign-in or lock, in front of everything else.
    gate: Option<Gate>,
    /// The screens, home at the bottom.
    stack: Vec<Box<dyn Screen>>,
    help: bool,
    pub quit: bool,
    /// Who was signed in when the screen locked.
    locked_by: Option<u64>,
    /// Unsaved screens put aside when someone else signed in, with their
    /// owner: they come back only to that staff member.
    stash: Option<(u64, Vec<Box<dyn Screen>>)>,
    /// The last key, for the idle lock.
    last_key: OffsetDateTime,
}

impl<'a> App<'a> {
    /// The app as it starts: behind the gate (setup on a store without
    /// staff, sign-in otherwise).
    pub fn new(
        store: &'a Store,
        cfg: &'a Config,
        tx: Texts,
        theme: Theme,
        now: OffsetDateTime,
    ) -> crate::store::Result<App<'a>> {
        let mut env = Env::new(store, cfg, theme, now)?;
        env.tx = tx;
        let gate = if store.staff()?.iter().any(|s| s.active) {
            Gate::locked()
        } else {
            Gate::setup()
        };
        Ok(App {
            env,
            gate: Some(gate),
            stack: vec![Box::new(Home::default())],
            help: false,
            quit: false,
            locked_by: None,
            stash: None,
            last_key: now,
        })
    }

    /// Opens the gate for a staff member without a PIN: for tests and
    /// benchmarks, which start past the sign-in.
    pub fn signed_in_as(&mut self, staff: Staff) {
        self.env.staff = Some(staff);
        self.gate = None;
    }

    /// Is the gate closed (setup, sign-in or locked)?
    pub fn is_locked(&self) -> bool {
        self.gate.is_some()
    }

    pub fn gate(&self) -> Option<&Gate> {
        self.gate.as_ref()
    }

    /// The name of the screen in front (`gate` while locked).
    pub fn screen_name(&self) -> &'static str {
        match &self.gate {
            Some(_) => Gate::NAME,
            None => self.top().name(),
        }
    }

    /// The screen in front, as its own type, if it is that type.
    pub fn screen<T: 'static>(&self) -> Option<&T> {
        self.top().as_any().downcast_ref()
    }

    pub fn help_open(&self) -> bool {
        self.help
    }

    fn top(&self) -> &dyn Screen {
        self.stack
            .last()
            .map(|b| b.as_ref())
            .expect("home is never popped")
    }

    /// The one way in for keys and pastes.
    pub fn input(&mut self, input: Input) {
        let env = &mut self.env;
        if let Some(gate) = &mut self.gate {
            let nav = match input {
                Input::Key(k) => Screen::key(gate, k, env),
                Input::Paste(t) => Some(Screen::paste(gate, &t, env)),
            };
            return self.go(nav.unwrap_or(Nav::Stay));
        }
        self.last_key = env.now;
        if self.help {
            // Any key or paste closes the help, and does nothing else.
            self.help = false;
            return;
        }
        let top = self.stack.last_mut().expect("home is never popped");
        let nav = match input {
            Input::Key(k) => match keys::dispatch(GLOBAL, k, env.role(), &env.cfg.catalog) {
                Some(hit) => Some(match hit.action {
                    Global::Help => Nav::Help,
                    Global::Lock => Nav::Lock,
                    Global::Quit => Nav::Quit,
                }),
                None => top.key(k, env),
            },
            Input::Paste(t) => Some(top.paste(&t, env)),
        };
        self.go(nav.unwrap_or(Nav::Stay));
    }

    /// A key press (the event loop and tests).
    pub fn key(&mut self, key: KeyEvent) {
        self.input(Input::Key(key));
    }

    fn go(&mut self, nav: Nav) {
        match nav {
            Nav::Stay => {}
            Nav::Push(route) => {
                if let Some(s) = screens::open(route, &mut self.env) {
                    self.stack.push(s);
                }
            }
            Nav::Pop => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
            }
            Nav::Replace(route) => {
                if let Some(s) = screens::open(route, &mut self.env) {
                    if self.stack.len() > 1 {
                        self.stack.pop();
                    }
                    self.stack.push(s);
                }
            }
            // A fresh search line for the next visitor.
            Nav::Home => self.stack = vec![Box::new(Home::default())],
            Nav::Help => self.help = true,
            Nav::Lock => self.lock(),
            Nav::Quit => self.quit = true,
            Nav::Open => self.opened(),
        }
    }

    /// Locks at once (a key, or idle). What was being typed stays hidden
    /// and comes back only for the same staff member.
    pub fn lock(&mut self) {
        if self.gate.is_some() {
            return;
        }
        let env = &mut self.env;
        self.locked_by = env.staff_id();
        self.help = false;
        env.status = None;
        self.gate = Some(Gate::locked());
        if let Err(e) = env.store.log("lock", env.staff_id(), None, env.at()) {
            env.store_failed(&e);
        }
        env.staff = None;
    }

    /// Someone signed in. Their own unsaved work comes back; someone
    /// else's is put aside until its owner signs in again.
    fn opened(&mut self) {
        self.gate = None;
        self.last_key = self.env.now;
        let Some(id) = self.env.staff_id() else {
            return;
        };
        let unsaved = |stack: &[Box<dyn Screen>]| stack.iter().any(|s| s.unsaved());
        let owner = self.locked_by.take();
        if owner.is_some_and(|o| o != id) && unsaved(&self.stack) {
            let stack = std::mem::replace(&mut self.stack, vec![Box::new(Home::default())]);
            self.stash = owner.map(|o| (o, stack));
        }
        if !unsaved(&self.stack) {
            self.stack = vec![Box::new(Home::default())];
            if let Some((_, stack)) = self.stash.take_if(|(o, _)| *o == id) {
                self.stack = stack;
            }
        }
        if unsaved(&self.stack) {
            let name = self.env.staff.as_ref().map_or("", |s| s.name.as_str());
            let msg = self.env.tx.f("gate.hello_back", &[("name", &name)]);
            self.env.say(msg);
        }
    }

    /// The clock moved: a new service day starts a new tally; a terminal
    /// left alone locks itself.
    pub fn tick(&mut self, now: OffsetDateTime) {
        self.env.now = now;
        let idle = time::Duration::minutes(i64::from(self.env.cfg.idle_lock_minutes));
        if self.gate.is_none() && now - self.last_key >= idle {
            self.lock();
        }
        let env = &mut self.env;
        let day = env.cfg.day_rule.service_day(now);
        if day == env.day {
            return;
        }
        env.day = day;
        // A new day: the privacy rules again (the files are rewritten at
        // the next start).
        match env.store.privacy_sweep(day, &env.cfg.privacy, env.at()) {
            // Anonymised visitors leave the search at once.
            Ok(r) if r.visitors_anonymised > 0 => match env.store.visitors() {
                Ok(v) => env.index = VisitorIndex::new(v),
                Err(e) => env.store_failed(&e),
            },
            Ok(_) => {}
            Err(e) => env.store_failed(&e),
        }
        if let Err(e) = env.load_today() {
            env.store_failed(&e);
        }
    }

    /// The help lines of the screen in front, for the signed-in role.
    pub fn help_lines(&self) -> Vec<HelpLine> {
        let global: Vec<Binding<()>> = GLOBAL.iter().map(Binding::erased).collect();
        screens::help_lines(&self.env, &self.top().bindings(), &global)
    }

    /// The footer of the screen in front: its own parts, then the app's.
    pub fn footer_parts(&self) -> Vec<String> {
        let role = self.env.role();
        let mut parts = keys::footer(&self.env.tx, &self.top().bindings(), role);
        parts.extend(keys::footer(&self.env.tx, GLOBAL, role));
        parts
    }

    /// Draws everything; reads the state, never changes it.
    pub fn draw(&self, f: &mut Frame) {
        let env = &self.env;
        let area = f.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = env
                .tx
                .f("screen.too_small", &[("w", &MIN_WIDTH), ("h", &MIN_HEIGHT)]);
            f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
            return;
        }
        if let Some(gate) = &self.gate {
            return Screen::draw(gate, f, area, env);
        }
        let [header, tally, body, status, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(8),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        chrome::header(f, env, header);
        chrome::tally(f, env, tally);
        self.top().draw(f, body, env);
        chrome::status(f, env, status);
        chrome::footer(f, env, &self.footer_parts(), footer);
        if self.help {
            help::draw(f, env, body, &self.help_lines());
        }
    }
}
