//! Driving the UI in tests: an `App` over a temporary store, keys from a
//! short script, the screen as text.
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::OffsetDateTime;
use time::macros::datetime;

use doorlog::domain::{NewStaff, Role};
use doorlog::ui::{App, Lang, Texts, Theme};

/// 10:15 in Oslo on a Thursday.
pub const NOW: OffsetDateTime = datetime!(2026-11-26 09:15 UTC);

/// The door screen, signed in as a coordinator (initials TC, PIN 1234),
/// who is created on first use.
pub fn app<'a>(
    store: &'a doorlog::store::Store,
    cfg: &'a doorlog::config::Config,
    lang: Lang,
) -> App<'a> {
    let mut a = App::new(store, cfg, Texts::new(lang), Theme { color: false }, NOW).unwrap();
    a.signed_in_as(coordinator(store));
    a
}

/// The test coordinator (initials TC, PIN 1234), created on first use.
pub fn coordinator(store: &doorlog::store::Store) -> doorlog::domain::Staff {
    match store.staff_by_initials("TC").unwrap() {
        Some(s) => s,
        None => {
            let new = NewStaff::new("Test Coordinator", "TC", Role::Coordinator, "1234").unwrap();
            store.add_staff(new, None, 0).unwrap()
        }
    }
}

/// The app as it starts: no one signed in.
pub fn app_at_gate<'a>(
    store: &'a doorlog::store::Store,
    cfg: &'a doorlog::config::Config,
) -> App<'a> {
    App::new(
        store,
        cfg,
        Texts::new(Lang::En),
        Theme { color: false },
        NOW,
    )
    .unwrap()
}

/// Records an anonymous contact with a meal pack at 11:00 on `day`.
pub fn record_anonymous(
    store: &doorlog::store::Store,
    cfg: &doorlog::config::Config,
    day: time::Date,
) {
    let at = day.with_hms(11, 0, 0).unwrap().assume_utc();
    crate::common::record_items(store, cfg, at, None, &[("meal-pack", 1)], None);
}

/// Registers a visitor with an alias only, on 1 November.
pub fn register(store: &doorlog::store::Store, alias: &str) -> u64 {
    let nv = doorlog::domain::NewVisitor {
        alias: alias.into(),
        ..Default::default()
    };
    store
        .add_visitor(nv, time::macros::date!(2026 - 11 - 01), 0)
        .unwrap()
        .id
}

/// Pastes text as a terminal's bracketed paste does.
pub fn paste(app: &mut App, text: &str) {
    app.input(doorlog::ui::Input::Paste(text.to_string()));
}

/// The aliases the home screen's search lists, best first.
pub fn matches(app: &App) -> Vec<String> {
    let home = app
        .screen::<doorlog::ui::screens::home::Home>()
        .expect("the home screen is in front");
    home.matches
        .iter()
        .map(|&i| app.env.index.get(i).alias.to_string())
        .collect()
}

/// The contact being made, if the contact screen is in front.
pub fn draft<'a>(app: &'a App) -> Option<&'a doorlog::ui::draft::Draft> {
    app.screen::<doorlog::ui::screens::contact::Contact>()
        .map(|c| &c.draft)
}

/// The status line's text, if any.
pub fn status(app: &App) -> Option<(String, bool)> {
    app.env.status.as_ref().map(|s| (s.text.clone(), s.ok))
}

/// Presses keys: words like `Enter`, `Space`, `Esc`, `Tab`, `BackTab`,
/// `Backspace`, `Up`, `Down`, `Left`, `Right`, `Delete`, `F1`..`F10`, `C-z` (Ctrl), or
/// `lit:TEXT` for each character of TEXT (`_` types a space); any other
/// word is typed as is.
/// Returns how many keys were pressed.
pub fn keys(app: &mut App, script: &str) -> usize {
    let mut n = 0;
    for word in script.split_whitespace() {
        let code = |c| KeyEvent::new(c, KeyModifiers::NONE);
        let events: Vec<KeyEvent> = match word {
            "Enter" => vec![code(KeyCode::Enter)],
            "Space" => vec![code(KeyCode::Char(' '))],
            "Esc" => vec![code(KeyCode::Esc)],
            "Tab" => vec![code(KeyCode::Tab)],
            "BackTab" => vec![KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)],
            "Backspace" => vec![code(KeyCode::Backspace)],
            "Up" => vec![code(KeyCode::Up)],
            "Down" => vec![code(KeyCode::Down)],
            "Left" => vec![code(KeyCode::Left)],
            "Right" => vec![code(KeyCode::Right)],
            "Delete" => vec![code(KeyCode::Delete)],
            "PageUp" => vec![code(KeyCode::PageUp)],
            "PageDown" => vec![code(KeyCode::PageDown)],
            w if w.starts_with("C-") => {
                vec![KeyEvent::new(
                    KeyCode::Char(w.chars().nth(2).unwrap()),
                    KeyModifiers::CONTROL,
                )]
            }
            w if w.len() > 1 && w.starts_with('F') && w[1..].parse::<u8>().is_ok() => {
                vec![code(KeyCode::F(w[1..].parse().unwrap()))]
            }
            w => w
                .strip_prefix("lit:")
                .map(|t| t.replace('_', " "))
                .unwrap_or(w.to_string())
                .chars()
                .map(|c| {
                    let m = if c.is_uppercase() {
                        KeyModifiers::SHIFT
                    } else {
                        KeyModifiers::NONE
                    };
                    KeyEvent::new(KeyCode::Char(c), m)
                })
                .collect(),
        };
        for e in events {
            app.key(e);
            n += 1;
        }
    }
    n
}

/// The screen as text, one line per row, trailing spaces trimmed.
pub fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
