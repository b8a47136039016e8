//! The terminal UI. For now it shows today's tally from the store; the door
//! screen (search, items by hotkey, save) comes with the UI issue.

use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};
use ratatui::{DefaultTerminal, Frame};

use crate::config::Config;
use crate::domain::DayCounts;
use crate::report::iso;
use crate::store::{Store, StoreError};

/// Runs the UI until the user quits. The terminal is restored on return and
/// on panic (ratatui's init installs that hook).
pub fn run(store: &Store, config: &Config) -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, store, config);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    store: &Store,
    config: &Config,
) -> std::io::Result<()> {
    loop {
        let today = config.day_rule.service_day(time::OffsetDateTime::now_utc());
        let counts = store.day_counts(today);
        terminal.draw(|f| draw(f, config, today, &counts))?;
        if event::poll(Duration::from_secs(1))?
            && let Event::Key(k) = event::read()?
            && k.kind == KeyEventKind::Press
            && (matches!(k.code, KeyCode::Char('q') | KeyCode::Esc)
                || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL)))
        {
            return Ok(());
        }
    }
}

/// The smallest terminal the screen is drawn on.
const MIN_W: u16 = 40;
const MIN_H: u16 = 8;

pub fn draw(
    f: &mut Frame,
    config: &Config,
    today: time::Date,
    counts: &Result<DayCounts, StoreError>,
) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        f.render_widget(Paragraph::new("terminal too small"), area);
        return;
    }
    let [main, footer] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let mut lines = vec![
        Line::from(format!("Service day {}", iso(today))),
        Line::from(""),
    ];
    match counts {
        Ok(c) => {
            let items: u32 = c.items_out.values().sum();
            lines.push(Line::from(format!(
                "Today: {} contacts, {} unique visitors, {} items out",
                c.contacts,
                c.unique_visitors(),
                items
            )));
        }
        Err(e) => lines.push(Line::from(format!("Cannot read today's counts: {e}"))),
    }
    lines.push(Line::from(""));
    lines.push(Line::from(
        "The door screen is not built yet. Record contacts with `doorlog record`",
    ));
    lines.push(Line::from(
        "(see `doorlog record --help`); this tally updates every second.",
    ));
    let title = match &config.centre {
        Some(c) => format!(" doorlog — {c} "),
        None => " doorlog ".to_string(),
    };
    f.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(Block::bordered().title(title)),
        main,
    );
    f.render_widget(Paragraph::new(" q / Esc quit"), footer);
}
