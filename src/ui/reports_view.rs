//! Drawing the reports screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Block, Paragraph};

use super::app::{App, Mode};
use super::reports::Period;
use super::view::truncate;
use crate::domain::catalog::name_in;
use crate::report::iso;

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Some(r) = &app.reports else { return };
    let tx = &app.tx;
    let lang = tx.lang.code();
    let [title, numbers, charts] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(6),
        Constraint::Length(8),
    ])
    .areas(area);

    let period = match r.period {
        Period::Day => tx.t("reports.day"),
        Period::Week => tx.t("reports.week"),
        Period::Month => tx.t("reports.month"),
        Period::Custom => tx.t("reports.custom"),
    };
    let mut head = vec![Span::styled(
        format!(" {period}: {} – {}", iso(r.from), iso(r.to)),
        app.theme.title(),
    )];
    if app.mode == Mode::ReportRange {
        let field = |i: usize| {
            let cursor = if r.entry.focus == i { "▏" } else { "" };
            Span::styled(format!("{}{cursor}", r.entry.fields[i]), app.theme.input())
        };
        head = vec![
            Span::raw(format!(" {} ", tx.t("reports.from"))),
            field(0),
            Span::raw(format!("  {} ", tx.t("reports.to"))),
            field(1),
        ];
    }
    f.render_widget(Paragraph::new(Line::from(head)), title);

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(numbers);
    let c = &r.total;
    let label_w = left.width.saturating_sub(10) as usize;
    let row = |key: &str, n: u32| {
        Line::from(format!(" {:<label_w$}{n:>7}", truncate(tx.t(key), label_w)))
    };
    let totals = vec![
        row("reports.contacts", c.contacts),
        {
            let n = format!("{}/{}/{}", c.channels[0], c.channels[1], c.channels[2]);
            let w = (label_w + 7).saturating_sub(n.len() + 2);
            Line::from(format!(
                "   {:<w$}{n}",
                truncate(tx.t("reports.channels"), w)
            ))
        },
        row("reports.unique", c.unique_visitors()),
        row("reports.new", c.new_visitors),
        row("reports.anonymous", c.anonymous_contacts),
        row("reports.conversations", c.conversations),
        row("flag.overdose", c.flags[0]),
        row("flag.referral", c.flags[1]),
        row("flag.for_others", c.flags[2]),
    ];
    f.render_widget(
        Paragraph::new(totals).block(Block::bordered().title(tx.t("reports.totals"))),
        left,
    );

    let cat = &app.cfg.catalog;
    let mut lines: Vec<Line> = Vec::new();
    let inner = right.width.saturating_sub(2) as usize;
    for item in &cat.items {
        let out = c.items_out.get(&item.id).copied().unwrap_or(0);
        let back = c.items_returned.get(&item.id).copied().unwrap_or(0);
        if out == 0 && back == 0 {
            continue;
        }
        let mut suffix = format!("{out:>7}");
        if back > 0 {
            suffix.push_str(&format!(" ↩{back}"));
        }
        if item.doses_per_unit > 1 {
            suffix.push_str(&format!(
                " ({} {})",
                out * u32::from(item.doses_per_unit),
                tx.t("reports.doses")
            ));
        }
        let w = inner.saturating_sub(suffix.chars().count() + 1);
        let name = truncate(name_in(&item.names, lang, &item.id), w);
        lines.push(Line::from(format!(" {name:<w$}{suffix}")));
    }
    if lines.is_empty() {
        lines.push(Line::styled(tx.t("reports.nothing"), app.theme.dim()));
    }
    let mut topics: Vec<(&str, u32)> = cat
        .topics
        .iter()
        .filter_map(|t| {
            c.topics
                .get(&t.id)
                .map(|n| (name_in(&t.names, lang, &t.id), *n))
        })
        .collect();
    topics.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    if !topics.is_empty() {
        let list: Vec<String> = topics.iter().map(|(t, n)| format!("{t} {n}")).collect();
        lines.push(Line::styled(
            format!(" {} {}", tx.t("reports.topics"), list.join(", ")),
            app.theme.counted(),
        ));
    }
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(tx.t("reports.items"))),
        right,
    );

    let [days_area, hours_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(charts);
    let max_day = r.last30.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let bars: Vec<Bar> = r
        .last30
        .iter()
        .map(|(_, n)| Bar::new(u64::from(*n)).text_value(""))
        .collect();
    let width = (days_area.width.saturating_sub(2) / 30).max(1);
    let title = tx.f("reports.last30", &[("max", &max_day)]);
    f.render_widget(
        BarChart::new(bars)
            .bar_width(width)
            .bar_gap(0)
            .bar_style(app.theme.counted())
            .block(Block::bordered().title(title)),
        days_area,
    );
    // The hours with contacts (opening hours, in practice), so bars can be
    // wide enough for their labels.
    let open: Vec<usize> = (0..24).filter(|h| c.hours[*h] > 0).collect();
    let (first, last) = match (open.first(), open.last()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => (0, 23),
    };
    let bars: Vec<Bar> = (first..=last)
        .map(|h| {
            Bar::new(u64::from(c.hours[h]))
                .label(Line::from(format!("{h:02}")))
                .text_value("")
        })
        .collect();
    let count = bars.len() as u16;
    let title = match r.busiest_hour() {
        Some((h, n)) => tx.f(
            "reports.busiest",
            &[
                ("from", &format!("{h:02}")),
                ("to", &format!("{:02}", h + 1)),
                ("n", &n),
            ],
        ),
        None => tx.t("reports.hours").to_string(),
    };
    let width = (hours_area.width.saturating_sub(2) / count.max(1)).clamp(1, 6);
    let gap = u16::from(width > 2);
    f.render_widget(
        BarChart::new(bars)
            .bar_width(width - gap)
            .bar_gap(gap)
            .bar_style(app.theme.counted())
            .block(Block::bordered().title(title)),
        hours_area,
    );
}
