//! Today's contacts as a list, newest first: time, who, items.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::truncate;
use crate::domain::catalog::name_in;
use crate::ui::env::Env;

/// Draws today's contacts newest first; `selected` is a position in
/// `env.today.contacts` and is kept in view.
pub fn draw_contacts(f: &mut Frame, env: &Env, area: Rect, selected: Option<usize>) {
    let block = Block::bordered().title(env.tx.t("recent.title"));
    let rows = area.height.saturating_sub(2) as usize;
    let contacts = &env.today.contacts;
    let mut lines = Vec::new();
    if contacts.is_empty() {
        lines.push(Line::styled(env.tx.t("recent.none"), env.theme.dim()));
    }
    // Newest first; keep the selected line in view.
    let shown = |i: usize| contacts.len() - 1 - i;
    let sel_pos = selected.map_or(0, shown);
    let first = sel_pos.saturating_sub(rows.saturating_sub(1));
    for pos in (first..contacts.len()).take(rows) {
        let i = shown(pos);
        let s = &contacts[i];
        let c = &s.contact;
        let who = s
            .alias
            .clone()
            .unwrap_or_else(|| env.tx.t("contact.anonymous").to_string());
        let local = env
            .cfg
            .day_rule
            .wall_clock(time::OffsetDateTime::from_unix_timestamp(c.at).unwrap_or(env.now));
        let items: Vec<String> = c
            .items
            .iter()
            .map(|l| {
                let name = match env.cfg.catalog.item(&l.item) {
                    Some(i) => name_in(&i.names, env.tx.lang.code(), &i.id),
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
            line = line.style(env.theme.selected());
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}
