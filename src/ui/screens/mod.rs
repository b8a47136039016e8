//! Every screen of the door program, one file each: its state, its key
//! bindings, what a key does (`update`) and how it is drawn. A screen asks
//! to go somewhere by returning a `Nav`; it never imports another screen.
//!
//! Adding a screen: write its file (a type that implements `View`), add it
//! to `SCREENS` and, if other screens open it, a `Route` and one arm in
//! `open`; put its texts in the three language files.

pub mod audit;
pub mod catalog;
pub mod contact;
pub mod gate;
pub mod home;
pub mod new_visitor;
pub mod register;
pub mod reports;
pub mod settings;
pub mod staff;
pub mod stock;
pub mod tally;
pub mod today;

use std::any::Any;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::env::Env;
use super::keys::{self, Binding, HelpLine, Hit};
use super::nav::{Nav, Route};

/// One screen: state, keys, update, drawing.
pub trait View: Any {
    type Action: Copy + 'static;
    /// The screen's name, for tests and the architecture notes.
    const NAME: &'static str;

    /// The keys in force now (a screen with parts answers for the part
    /// that has the keyboard).
    fn bindings(&self) -> &'static [Binding<Self::Action>];

    /// Every binding table the screen has, named, for the checks in tests.
    fn tables() -> Vec<(&'static str, &'static [Binding<Self::Action>])>;

    /// Carries out what a key meant.
    fn update(&mut self, hit: Hit<Self::Action>, env: &mut Env) -> Nav;

    /// Pasted text. By default a screen takes none and says so.
    fn paste(&mut self, _text: &str, env: &mut Env) -> Nav {
        env.fail_key("status.paste_here");
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env);

    /// Would something typed be lost if the screen closed now?
    fn unsaved(&self) -> bool {
        false
    }

    /// The screen is in front again, or what it shows from `Env` changed
    /// (a new day, a new visitor index): bring derived state in step.
    fn refresh(&mut self, _env: &Env) {}

    /// The app took a key for itself (help, lock): a half-done confirmation
    /// ("press Esc again") no longer stands.
    fn interrupted(&mut self) {}

    /// The screen locked with this screen in front: what it holds comes
    /// back to someone who may have forgotten it.
    fn locked(&mut self) {}

    /// What to keep in the store if doorlog has to stop now (a contact
    /// being typed).
    fn kept(&self, _cat: &crate::domain::Catalog) -> Option<crate::domain::KeptContact> {
        None
    }
}

/// A screen as the app's stack holds it.
pub trait Screen: Any {
    fn name(&self) -> &'static str;
    /// A key: `None` when it means nothing here (for this role).
    fn key(&mut self, key: KeyEvent, env: &mut Env) -> Option<Nav>;
    fn paste(&mut self, text: &str, env: &mut Env) -> Nav;
    fn draw(&self, f: &mut Frame, area: Rect, env: &Env);
    fn unsaved(&self) -> bool;
    fn refresh(&mut self, env: &Env);
    fn interrupted(&mut self);
    fn locked(&mut self);
    fn kept(&self, cat: &crate::domain::Catalog) -> Option<crate::domain::KeptContact>;
    /// The keys in force, without their actions.
    fn bindings(&self) -> Vec<Binding<()>>;
    fn as_any(&self) -> &dyn Any;
}

impl<V: View> Screen for V {
    fn name(&self) -> &'static str {
        V::NAME
    }

    fn key(&mut self, key: KeyEvent, env: &mut Env) -> Option<Nav> {
        let table = View::bindings(self);
        let cat = &env.cfg.catalog;
        match keys::dispatch(table, key, env.role(), cat) {
            Some(hit) => Some(self.update(hit, env)),
            // A coordinator's key pressed by door staff: said, not ignored.
            None if keys::dispatch(table, key, Some(crate::domain::Role::Coordinator), cat)
                .is_some() =>
            {
                env.fail_key("status.coordinator_key");
                Some(Nav::Stay)
            }
            None => None,
        }
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        View::paste(self, text, env)
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        View::draw(self, f, area, env)
    }

    fn unsaved(&self) -> bool {
        View::unsaved(self)
    }

    fn refresh(&mut self, env: &Env) {
        View::refresh(self, env)
    }

    fn interrupted(&mut self) {
        View::interrupted(self)
    }

    fn locked(&mut self) {
        View::locked(self)
    }

    fn kept(&self, cat: &crate::domain::Catalog) -> Option<crate::domain::KeptContact> {
        View::kept(self, cat)
    }

    fn bindings(&self) -> Vec<Binding<()>> {
        View::bindings(self).iter().map(Binding::erased).collect()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Opens the screen a route names; says why on the status line if it
/// cannot be opened.
pub fn open(route: Route, env: &mut Env) -> Option<Box<dyn Screen>> {
    let screen: Box<dyn Screen> = match route {
        Route::Contact(visitor) => Box::new(contact::Contact::new(visitor, env)),
        Route::Correct(id) => Box::new(contact::Contact::correct(id, env)?),
        Route::Kept(kept) => Box::new(contact::Contact::from_kept(kept, env)),
        Route::NewVisitor(alias) => Box::new(new_visitor::NewVisitor::new(&alias, env)),
        Route::Tally => Box::new(tally::Tally::default()),
        Route::Today => Box::new(today::TodayList::new(env)),
        Route::Reports => Box::new(reports::Reports::open(env)?),
        Route::Audit => Box::new(audit::Audit::open(env)?),
        Route::Staff => Box::new(staff::StaffScreen::open(env)?),
        Route::Register => Box::new(register::Register::open(env)?),
        Route::Stock => Box::new(stock::Stock::open(env)?),
        Route::Catalog => Box::new(catalog::CatalogScreen::open(env)?),
        Route::Settings => Box::new(settings::SettingsScreen::open(env)?),
    };
    Some(screen)
}

/// A named binding table with its actions erased.
pub struct Table {
    pub screen: &'static str,
    pub part: &'static str,
    pub bindings: Vec<Binding<()>>,
}

fn tables_of<V: View>() -> Vec<Table> {
    V::tables()
        .into_iter()
        .map(|(part, t)| Table {
            screen: V::NAME,
            part,
            bindings: t.iter().map(Binding::erased).collect(),
        })
        .collect()
}

/// Every screen, for the checks that run over all of them.
pub const SCREENS: &[fn() -> Vec<Table>] = &[
    tables_of::<gate::Gate>,
    tables_of::<home::Home>,
    tables_of::<contact::Contact>,
    tables_of::<new_visitor::NewVisitor>,
    tables_of::<tally::Tally>,
    tables_of::<today::TodayList>,
    tables_of::<reports::Reports>,
    tables_of::<audit::Audit>,
    tables_of::<staff::StaffScreen>,
    tables_of::<register::Register>,
    tables_of::<stock::Stock>,
    tables_of::<catalog::CatalogScreen>,
    tables_of::<settings::SettingsScreen>,
];

/// Every binding table of every screen.
pub fn all_tables() -> Vec<Table> {
    SCREENS.iter().flat_map(|t| t()).collect()
}

/// The help lines of a screen's bindings plus the app's own, for a role;
/// two bindings with the same help text are one line (`? / F1`).
pub fn help_lines(env: &Env, screen: &[Binding<()>], global: &[Binding<()>]) -> Vec<HelpLine> {
    let mut all: Vec<Binding<()>> = Vec::new();
    let mut keys_of: Vec<Vec<keys::Key>> = Vec::new();
    for b in screen.iter().chain(global) {
        match all.iter().position(|a| a.help == b.help) {
            Some(i) => keys_of[i].extend_from_slice(b.keys),
            None => {
                all.push(*b);
                keys_of.push(b.keys.to_vec());
            }
        }
    }
    all.iter()
        .zip(keys_of)
        .filter(|(b, _)| b.allowed(env.role()))
        .map(|(b, ks)| HelpLine {
            keys: keys::keys_text(&env.tx, &ks),
            text: env.tx.t(b.help).to_string(),
        })
        .collect()
}
