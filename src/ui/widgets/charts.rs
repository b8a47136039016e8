//! The reports' bar charts: contacts per day over the last 30 days, and
//! contacts by hour of the day.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, Block};
use time::Date;

use crate::ui::env::Env;

/// Contacts per day, one bar a day.
pub fn days(f: &mut Frame, env: &Env, area: Rect, last30: &[(Date, u32)]) {
    let max_day = last30.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let bars: Vec<Bar> = last30
        .iter()
        .map(|(_, n)| Bar::new(u64::from(*n)).text_value(""))
        .collect();
    let width = (area.width.saturating_sub(2) / 30).max(1);
    // The box as wide as its bars, so the last day's label stands under
    // the last bar.
    let area = Rect {
        width: (width * 30 + 2).min(area.width),
        ..area
    };
    let title = env.tx.f("reports.last30", &[("max", &max_day)]);
    // The date axis: the first and the last day shown, under the bars.
    let mut block = Block::bordered().title(title);
    if let (Some((first, _)), Some((last, _))) = (last30.first(), last30.last()) {
        block = block
            .title_bottom(Line::from(short_date(env, *first)).left_aligned())
            .title_bottom(Line::from(short_date(env, *last)).right_aligned());
    }
    f.render_widget(
        BarChart::new(bars)
            .bar_width(width)
            .bar_gap(0)
            .bar_style(env.theme.counted())
            .block(block),
        area,
    );
}

/// A day without its year, as the screen's language writes it (`26.11.`).
fn short_date(env: &Env, d: Date) -> String {
    let full = env.tx.date(d);
    let year = d.year().to_string();
    full.replace(&year, "")
        .trim_matches(|c| c == '-' || c == ' ')
        .to_string()
}

/// The local hour with the most contacts, if any.
pub fn busiest_hour(hours: &[u32; 24]) -> Option<(usize, u32)> {
    hours
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(h, n)| (*n, std::cmp::Reverse(*h)))
}

/// Contacts by hour: only the hours with contacts (opening hours, in
/// practice), so bars can be wide enough for their labels.
pub fn hours(f: &mut Frame, env: &Env, area: Rect, hours: &[u32; 24]) {
    let open: Vec<usize> = (0..24).filter(|h| hours[*h] > 0).collect();
    let (first, last) = match (open.first(), open.last()) {
        (Some(a), Some(b)) => (*a, *b),
        // No contacts: said, not a row of 24 squeezed hour labels.
        _ => {
            let block = Block::bordered().title(env.tx.t("reports.hours"));
            f.render_widget(
                ratatui::widgets::Paragraph::new(Line::styled(
                    env.tx.t("reports.no_hours"),
                    env.theme.dim(),
                ))
                .block(block),
                area,
            );
            return;
        }
    };
    let bars: Vec<Bar> = (first..=last)
        .map(|h| {
            Bar::new(u64::from(hours[h]))
                .label(Line::from(format!("{h:02}")))
                .text_value("")
        })
        .collect();
    let count = bars.len() as u16;
    let title = match busiest_hour(hours) {
        Some((h, n)) => env.tx.f(
            "reports.busiest",
            &[
                ("from", &format!("{h:02}")),
                ("to", &format!("{:02}", h + 1)),
                ("n", &n),
            ],
        ),
        None => env.tx.t("reports.hours").to_string(),
    };
    let width = (area.width.saturating_sub(2) / count.max(1)).clamp(1, 6);
    let gap = u16::from(width > 2);
    f.render_widget(
        BarChart::new(bars)
            .bar_width(width - gap)
            .bar_gap(gap)
            .bar_style(env.theme.counted())
            .block(Block::bordered().title(title)),
        area,
    );
}
