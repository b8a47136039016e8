//! What is around every screen: the header (centre, date, clock), the
//! day's tally, the status line and the footer of keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::super::env::Env;

/// `doorlog · Centre` on the left, the service day and the clock on the right.
pub fn header(f: &mut Frame, env: &Env, area: Rect) {
    let local = env.cfg.day_rule.wall_clock(env.now);
    let clock = format!(
        "{} {:02}:{:02} ",
        env.tx.date(env.day),
        local.hour(),
        local.minute()
    );
    let name = match &env.cfg.centre {
        Some(c) => format!(" doorlog · {c}"),
        None => " doorlog".to_string(),
    };
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(clock.len() as u16)])
            .areas(area);
    f.render_widget(Paragraph::new(Span::styled(name, env.theme.title())), left);
    f.render_widget(Paragraph::new(clock), right);
}

/// Today's contacts, unique visitors and items out, always in view.
pub fn tally(f: &mut Frame, env: &Env, area: Rect) {
    let c = &env.today.counts;
    let items: u32 = c.items_out.values().sum();
    let tx = &env.tx;
    let line = |units: &str| {
        tx.f(
            "tally.today",
            &[
                ("contacts", &tx.n("count.contacts", c.contacts.into(), &[])),
                (
                    "visitors",
                    &tx.n("count.visitors", c.unique_visitors().into(), &[]),
                ),
                ("items", &tx.n(units, items.into(), &[])),
            ],
        )
    };
    // A narrow terminal gets the short word for items, not a cut one.
    let mut text = line("count.units");
    if text.width() + 1 > usize::from(area.width) {
        text = line("count.units_short");
    }
    f.render_widget(
        Paragraph::new(Span::styled(format!(" {text}"), env.theme.counted())),
        area,
    );
}

/// What just happened, green or red.
pub fn status(f: &mut Frame, env: &Env, area: Rect) {
    if let Some(s) = &env.status {
        let style = if s.ok {
            env.theme.ok()
        } else {
            env.theme.error()
        };
        f.render_widget(
            Paragraph::new(Span::styled(format!(" {}", s.text), style))
                .wrap(ratatui::widgets::Wrap { trim: false }),
            area,
        );
    }
}

/// The main keys of the screen, from its binding table: as many whole
/// parts as fit the width, in the table's order.
pub fn footer(f: &mut Frame, env: &Env, parts: &[String], area: Rect) {
    let text = footer_text(parts, area.width.saturating_sub(1) as usize);
    f.render_widget(
        Paragraph::new(Line::styled(format!(" {text}"), env.theme.dim())),
        area,
    );
}

/// The parts joined by ` · `, as many whole ones as fit in `width` columns.
pub fn footer_text(parts: &[String], width: usize) -> String {
    let mut text = String::new();
    for p in parts {
        let sep = if text.is_empty() { "" } else { " · " };
        if text.width() + sep.width() + p.width() > width {
            break;
        }
        text.push_str(sep);
        text.push_str(p);
    }
    text
}
