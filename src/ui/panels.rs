//! The panels of the contact at hand: items, conversation, the new-visitor
//! form, tally mode.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::app::{App, Mode, VisitorForm};
use super::view::{field_line, truncate};
use crate::domain::catalog::name_in;

pub(super) fn draw_contact(f: &mut Frame, app: &App, area: Rect) {
    let Some(d) = &app.draft else { return };
    let lang = app.tx.lang.code();
    let who = match &d.visitor {
        Some((_, alias)) => alias.clone(),
        None => app.tx.t("contact.anonymous").to_string(),
    };
    let channel = app.tx.t(match d.channel.id() {
        "door" => "channel.door",
        "phone" => "channel.phone",
        _ => "channel.outreach",
    });
    let mut title = format!(" {who} · {channel} ");
    if let Some(id) = d.editing {
        title.push_str(&app.tx.f("contact.editing", &[("id", &id)]));
    }
    let block = Block::bordered().title(Span::styled(title, app.theme.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);

    let mut lines: Vec<Line> = Vec::new();
    for m in &d.messages {
        lines.push(Line::styled(
            app.tx.f("contact.message", &[("text", &m.text)]),
            app.theme.message(),
        ));
    }
    if let Mode::NewMessage(text) = &app.mode {
        lines.push(Line::from(vec![
            Span::raw(app.tx.t("contact.new_message")),
            Span::styled(format!("{text}▏"), app.theme.input()),
        ]));
    }
    let cat = &app.cfg.catalog;
    let cols = if inner.width >= 96 { 3 } else { 2 };
    let col_w = (inner.width as usize / cols).max(10);
    for row in cat.items.chunks(cols).enumerate().map(|(r, _)| r) {
        let mut spans = Vec::new();
        for c in 0..cols {
            let i = row * cols + c;
            let Some(item) = cat.items.get(i) else { break };
            let name = name_in(&item.names, lang, &item.id);
            let count = match (d.out(i), d.returned(i)) {
                (0, 0) => String::new(),
                (o, 0) => o.to_string(),
                (o, r) => format!("{o} ↩{r}"),
            };
            let name_w = col_w.saturating_sub(5 + 7);
            spans.push(Span::styled(format!("[{}] ", item.hotkey), app.theme.key()));
            spans.push(Span::raw(format!(
                "{:<w$} ",
                truncate(name, name_w),
                w = name_w
            )));
            let style = if count.is_empty() {
                Style::new()
            } else {
                app.theme.counted()
            };
            spans.push(Span::styled(format!("{count:<6}"), style));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    let flags = [
        ("1", "flag.overdose"),
        ("2", "flag.referral"),
        ("3", "flag.for_others"),
    ];
    let mut spans = vec![];
    for ((key, text), on) in flags.iter().zip(d.flags.as_array()) {
        spans.push(Span::styled(format!("[{key}] "), app.theme.key()));
        let mark = if on { "■ " } else { "□ " };
        spans.push(Span::styled(
            format!("{mark}{}  ", app.tx.t(text)),
            if on {
                app.theme.counted()
            } else {
                Style::new()
            },
        ));
    }
    lines.push(Line::from(spans));
    let topics: Vec<&str> = d
        .topics
        .iter()
        .map(|&i| name_in(&cat.topics[i].names, lang, &cat.topics[i].id))
        .collect();
    if !topics.is_empty() || !d.note.is_empty() {
        lines.push(Line::from(format!(
            "{} {}",
            app.tx.t("contact.topics"),
            topics.join(", ")
        )));
        lines.push(Line::from(format!(
            "{} {}",
            app.tx.t("contact.note"),
            d.note
        )));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

pub(super) fn draw_conversation(f: &mut Frame, app: &App, area: Rect, note_focus: bool) {
    let Some(d) = &app.draft else { return };
    let lang = app.tx.lang.code();
    let block = Block::bordered().title(Span::styled(app.tx.t("talk.title"), app.theme.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let cat = &app.cfg.catalog;
    let mut lines = Vec::new();
    for pair in cat.topics.chunks(2).enumerate() {
        let mut spans = Vec::new();
        for (k, t) in pair.1.iter().enumerate() {
            let i = pair.0 * 2 + k;
            let on = d.topics.contains(&i);
            spans.push(Span::styled(format!("[{}] ", t.hotkey), app.theme.key()));
            let text = format!(
                "{} {:<28}",
                if on { "■" } else { "□" },
                truncate(name_in(&t.names, lang, &t.id), 28)
            );
            spans.push(Span::styled(
                text,
                if on {
                    app.theme.counted()
                } else {
                    Style::new()
                },
            ));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    let label = if note_focus {
        app.theme.key()
    } else {
        Style::new()
    };
    let cursor = if note_focus { "▏" } else { "" };
    lines.push(Line::from(vec![
        Span::styled(app.tx.t("contact.note"), label),
        Span::raw(" "),
        Span::styled(format!("{}{cursor}", d.note), app.theme.input()),
    ]));
    let count = app.tx.f(
        "talk.count",
        &[
            ("n", &d.note.chars().count()),
            ("max", &crate::domain::text::MAX_NOTE_CHARS),
        ],
    );
    lines.push(Line::styled(count, app.theme.dim()));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

pub(super) fn draw_form(f: &mut Frame, app: &App, area: Rect, form: &VisitorForm) {
    let block = Block::bordered().title(Span::styled(app.tx.t("form.title"), app.theme.title()));
    let mut lines = vec![
        Line::styled(app.tx.t("form.hint"), app.theme.dim()),
        Line::from(""),
    ];
    for (i, label) in VisitorForm::LABELS.iter().enumerate() {
        lines.push(field_line(app, label, &form.fields[i], form.focus == i, 22));
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}

pub(super) fn draw_tally_mode(f: &mut Frame, app: &App, area: Rect) {
    let lang = app.tx.lang.code();
    let block =
        Block::bordered().title(Span::styled(app.tx.t("tallymode.title"), app.theme.title()));
    let mut lines = vec![
        Line::styled(
            app.tx.f("tallymode.count", &[("n", &app.tally.len())]),
            app.theme.counted(),
        ),
        Line::styled(app.tx.t("tallymode.hint"), app.theme.dim()),
        Line::from(""),
    ];
    for pair in app.cfg.catalog.items.chunks(2) {
        let mut spans = Vec::new();
        for item in pair {
            spans.push(Span::styled(format!("[{}] ", item.hotkey), app.theme.key()));
            spans.push(Span::raw(format!(
                "{:<30}",
                truncate(name_in(&item.names, lang, &item.id), 30)
            )));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}
