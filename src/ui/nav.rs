//! Where screens ask to go. A screen never opens another screen itself: it
//! returns a `Nav`, naming the place with a `Route`, and the app does it.

use crate::domain::{ContactId, KeptContact};

/// A screen to open, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A new contact: a known visitor (id, alias) or anonymous.
    Contact(Option<(u64, String)>),
    /// One of today's contacts, opened for correction.
    Correct(ContactId),
    /// A contact kept when doorlog last had to stop, given back.
    Kept(KeptContact),
    /// The new-visitor form, the alias prefilled.
    NewVisitor(String),
    Tally,
    Today,
    Reports,
    Audit,
    /// The coordinator's staff screen.
    Staff,
    /// The coordinator's visitor register.
    Register,
    /// The coordinator's stock screen.
    Stock,
    /// The coordinator's catalog screen.
    Catalog,
    /// The coordinator's settings screen.
    Settings,
}

/// What should happen after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nav {
    Stay,
    /// Open a screen on top.
    Push(Route),
    /// Back to the screen below.
    Pop,
    /// Replace this screen.
    Replace(Route),
    /// Back to the home screen.
    Home,
    /// The help overlay for this screen.
    Help,
    Lock,
    Quit,
    /// The gate opened: someone signed in.
    Open,
}
