//! The terminal UI: the door screen and its panels. Data flows one way:
//! key -> `Action` (keymap.rs) -> `App::update` (app.rs, saving.rs) ->
//! store -> new state -> `view::draw`.

pub mod action;
pub mod app;
pub mod audit;
pub mod draft;
mod editing;
pub mod gate;
pub mod keymap;
mod panels;
pub mod reports;
mod reports_view;
mod saving;
pub mod search;
pub mod theme;
pub mod view;

use std::time::Duration;

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::execute;

use crate::config::Config;
pub use crate::i18n::{Lang, Texts};
use crate::store::Store;
pub use app::App;
pub use theme::Theme;

/// Runs the UI until staff quit. The terminal is restored on return and on
/// panic (ratatui's `init` installs that hook).
pub fn run(store: Store, config: &Config) -> Result<(), String> {
    let now = time::OffsetDateTime::now_utc();
    // The privacy rules first. What they remove is gone from the records at
    // once; the files are rewritten (so no old version stays on disk) at most
    // once a week, as that takes seconds on a large store.
    let today = config.day_rule.service_day(now);
    let at = now.unix_timestamp();
    let swept = store
        .privacy_sweep(today, &config.privacy, at)
        .map_err(|e| e.to_string())?;
    let due = store
        .days_since_compaction(at)
        .map_err(|e| e.to_string())?
        .is_none_or(|d| d >= 7);
    let store = if swept.changed() && due {
        eprintln!("doorlog: rewriting the store's files for the privacy rules, a moment...");
        store.compact(&config.store).map_err(|e| e.to_string())?
    } else {
        store
    };
    let mut app = App::new(
        &store,
        config,
        Texts::new(config.lang),
        Theme::from_env(),
        now,
    )
    .map_err(|e| e.to_string())?;
    let mut terminal = ratatui::init();
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app);
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result.map_err(|e| format!("the terminal failed: {e}"))
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> std::io::Result<()> {
    while !app.quit {
        terminal.draw(|f| view::draw(f, app))?;
        if event::poll(Duration::from_millis(500))? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => app.key(k),
                Event::Paste(text) => app.update(action::Action::Paste(text)),
                _ => {}
            }
        }
        app.tick(time::OffsetDateTime::now_utc());
    }
    Ok(())
}
