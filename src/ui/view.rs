//! Drawing: reads the `App`, never changes it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::app::{App, Mode};
use super::keymap;
use super::panels;
use crate::domain::catalog::name_in;
use crate::report::iso;

/// The smallest terminal the screens are drawn on.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = app
            .tx
            .f("screen.too_small", &[("w", &MIN_WIDTH), ("h", &MIN_HEIGHT)]);
        f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    if !app.gate.is_open() {
        return draw_gate(f, app, area);
    }
    let [header, tally, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(8),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(f, app, header);
    draw_tally(f, app, tally);
    match &app.mode {
        Mode::Home => draw_home(f, app, body),
        Mode::Contact | Mode::NewMessage(_) => panels::draw_contact(f, app, body),
        Mode::Conversation { note_focus } => panels::draw_conversation(f, app, body, *note_focus),
        Mode::NewVisitor(form) => panels::draw_form(f, app, body, form),
        Mode::Tally => panels::draw_tally_mode(f, app, body),
        Mode::Recent { selected } => draw_recent(f, app, body, Some(*selected)),
        Mode::Reports | Mode::ReportRange => super::reports_view::draw(f, app, body),
        Mode::Audit { .. } => super::audit::draw(f, app, body),
    }
    draw_status(f, app, status);
    f.render_widget(Paragraph::new(footer_line(app)), footer);
    if app.help {
        draw_help(f, app, body);
    }
}

/// The gate: the centre's name, the clock and the prompt; no visitor data.
fn draw_gate(f: &mut Frame, app: &App, area: Rect) {
    use super::gate::Gate;
    let [header, _, body, _, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(10),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(f, app, header);
    let (title, hint) = match &app.gate {
        Gate::Setup { .. } => ("gate.setup_title", "gate.setup_hint"),
        Gate::Locked { .. } => ("gate.locked_title", "gate.locked_hint"),
        Gate::Open => return,
    };
    let (fields, focus) = app.gate.entered();
    let mut lines = vec![
        Line::styled(app.tx.t(hint), app.theme.dim()),
        Line::from(""),
    ];
    for (i, ((label, _, secret), value)) in app.gate.layout().iter().zip(fields).enumerate() {
        let shown = if *secret {
            "•".repeat(value.chars().count())
        } else {
            value.clone()
        };
        lines.push(field_line(app, label, &shown, focus == i, 20));
    }
    let w = body.width.min(64);
    let boxed = Rect {
        x: body.x + (body.width - w) / 2,
        width: w,
        ..body
    };
    let block = Block::bordered().title(Span::styled(app.tx.t(title), app.theme.title()));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        boxed,
    );
    draw_status(f, app, status);
    f.render_widget(
        Paragraph::new(Line::styled(
            format!(
                " {}",
                app.tx.t(if matches!(app.gate, Gate::Setup { .. }) {
                    "footer.setup"
                } else {
                    "footer.gate"
                })
            ),
            app.theme.dim(),
        )),
        footer,
    );
}

/// One labelled input line: `> Label   value▏` where it has the keyboard.
pub(super) fn field_line(
    app: &App,
    label: &str,
    value: &str,
    focused: bool,
    width: usize,
) -> Line<'static> {
    let (marker, style, cursor) = if focused {
        ("> ", app.theme.key(), "▏")
    } else {
        ("  ", Style::new(), "")
    };
    Line::from(vec![
        Span::styled(format!("{marker}{:<width$}", app.tx.t(label)), style),
        Span::styled(format!("{value}{cursor}"), app.theme.input()),
    ])
}

/// What just happened, green or red.
fn draw_status(f: &mut Frame, app: &App, area: Rect) {
    if let Some(s) = &app.status {
        let style = if s.ok {
            app.theme.ok()
        } else {
            app.theme.error()
        };
        f.render_widget(
            Paragraph::new(Span::styled(format!(" {}", s.text), style)),
            area,
        );
    }
}

fn draw_header(f: &mut Frame, app: &App, area: Rect) {
    let local = app.cfg.day_rule.wall_clock(app.now);
    let clock = format!(
        "{} {:02}:{:02} ",
        iso(app.day),
        local.hour(),
        local.minute()
    );
    let name = match &app.cfg.centre {
        Some(c) => format!(" doorlog · {c}"),
        None => " doorlog".to_string(),
    };
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(clock.len() as u16)])
            .areas(area);
    f.render_widget(Paragraph::new(Span::styled(name, app.theme.title())), left);
    f.render_widget(Paragraph::new(clock), right);
}

fn draw_tally(f: &mut Frame, app: &App, area: Rect) {
    let c = &app.today;
    let items: u32 = c.items_out.values().sum();
    let text = app.tx.f(
        "tally.today",
        &[
            ("contacts", &c.contacts),
            ("visitors", &c.unique_visitors()),
            ("items", &items),
        ],
    );
    f.render_widget(
        Paragraph::new(Span::styled(format!(" {text}"), app.theme.counted())),
        area,
    );
}

fn draw_home(f: &mut Frame, app: &App, area: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    let mut lines = vec![Line::from(vec![
        Span::raw(format!("{} ", app.tx.t("home.search"))),
        Span::styled(format!("{}▏", app.search), app.theme.input()),
    ])];
    if app.search.is_empty() {
        lines.push(Line::from(""));
        for key in ["home.hint_type", "home.hint_space", "home.hint_new"] {
            lines.push(Line::styled(app.tx.t(key), app.theme.dim()));
        }
    } else if app.matches.is_empty() {
        lines.push(Line::styled(app.tx.t("home.no_match"), app.theme.dim()));
    }
    let rows = left.height.saturating_sub(3) as usize;
    let first = app.selected.saturating_sub(rows.saturating_sub(1));
    for (n, &i) in app.matches.iter().enumerate().skip(first).take(rows) {
        let e = app.index.get(i);
        let mut spans = vec![Span::raw(format!(" {} ", e.alias))];
        if let Some(code) = &e.code {
            spans.push(Span::styled(format!("{code} "), app.theme.dim()));
        }
        if let Some(seen) = e.last_seen() {
            let days = (app.day - seen).whole_days();
            spans.push(Span::styled(
                app.tx.f("home.seen_days", &[("n", &days)]),
                app.theme.dim(),
            ));
        }
        let mut line = Line::from(spans);
        if n == app.selected {
            line = line.style(app.theme.selected());
        }
        lines.push(line);
    }
    let block = Block::bordered().title(app.tx.t("home.visitors"));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        left,
    );
    draw_recent(f, app, right, None);
}

fn draw_recent(f: &mut Frame, app: &App, area: Rect, selected: Option<usize>) {
    let block = Block::bordered().title(app.tx.t("recent.title"));
    let rows = area.height.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if app.recent.is_empty() {
        lines.push(Line::styled(app.tx.t("recent.none"), app.theme.dim()));
    }
    // Newest first; keep the selected line in view.
    let order: Vec<usize> = (0..app.recent.len()).rev().collect();
    let sel_pos = selected
        .and_then(|s| order.iter().position(|&i| i == s))
        .unwrap_or(0);
    let first = sel_pos.saturating_sub(rows.saturating_sub(1));
    for &i in order.iter().skip(first).take(rows) {
        let s = &app.recent[i];
        let c = &s.contact;
        let who = s
            .alias
            .clone()
            .unwrap_or_else(|| app.tx.t("contact.anonymous").to_string());
        let local = app
            .cfg
            .day_rule
            .wall_clock(time::OffsetDateTime::from_unix_timestamp(c.at).unwrap_or(app.now));
        let items: Vec<String> = c
            .items
            .iter()
            .map(|l| {
                let name = match app.cfg.catalog.item(&l.item) {
                    Some(i) => name_in(&i.names, app.tx.lang.code(), &i.id),
                    None => &l.item,
                };
                format!("{} {name}", l.out)
            })
            .collect();
        let text = format!(
            " {:02}:{:02} {:<14} {}",
            local.hour(),
            local.minute(),
            truncate(&who, 14),
            items.join(", ")
        );
        let mut line = Line::from(text);
        if selected == Some(i) {
            line = line.style(app.theme.selected());
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}

pub(super) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}

fn draw_help(f: &mut Frame, app: &App, area: Rect) {
    let help = keymap::help_for(&app.mode, app.is_coordinator());
    let h = (help.len() as u16 + 5).min(area.height);
    let w = area.width.saturating_sub(2).min(90);
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    let mut lines = Vec::new();
    for (key, text) in &help {
        lines.push(Line::from(vec![
            Span::styled(format!(" {key:<19}"), app.theme.key()),
            Span::raw(app.tx.t(text)),
        ]));
    }
    lines.push(Line::styled(app.tx.t("help.close"), app.theme.dim()));
    f.render_widget(Clear, popup);
    let block = Block::bordered().title(app.tx.t("help.title"));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}

fn footer_line(app: &App) -> Line<'static> {
    let key = match app.mode {
        Mode::Home => "footer.home",
        Mode::Contact => "footer.contact",
        Mode::Conversation { .. } => "footer.conversation",
        Mode::NewVisitor(_) => "footer.form",
        Mode::Tally => "footer.tally",
        Mode::Recent { .. } => "footer.recent",
        Mode::NewMessage(_) => "footer.message",
        Mode::Reports if app.is_coordinator() => "footer.reports",
        Mode::Reports => "footer.reports_door",
        Mode::ReportRange => "footer.range",
        Mode::Audit { .. } => "footer.audit",
    };
    Line::styled(format!(" {}", app.tx.t(key)), app.theme.dim())
}
