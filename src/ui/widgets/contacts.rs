//! Today's contacts as a list, newest at the top: time, who (where aliases
//! may show), items, marks for a conversation, an event or a return, and
//! the initials of who saved it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::fit;
use super::list::Selection;
use crate::domain::Contact;
use crate::ui::env::{Env, Saved};
use crate::ui::widgets::items_text;

/// The position in `env.today.contacts` of the row drawn `pos` from the
/// top (newest first).
pub fn at_row<'e>(env: &'e Env, pos: usize) -> Option<&'e Saved> {
    let n = env.today.contacts.len();
    (pos < n).then(|| &env.today.contacts[n - 1 - pos])
}

/// Draws today's contacts newest first. `selection` counts rows from the
/// top; `aliases` shows who (the today screen), or not (the home screen,
/// which faces the hatch).
pub fn draw_contacts(
    f: &mut Frame,
    env: &Env,
    area: Rect,
    selection: Option<Selection>,
    aliases: bool,
) {
    let n = env.today.contacts.len();
    let title = if selection.is_some() {
        env.tx.f("today.title", &[("n", &n)])
    } else {
        env.tx.t("recent.title").to_string()
    };
    let mut block = Block::bordered().title(title);
    if aliases {
        // What the marks in the rows mean.
        block = block.title_bottom(
            Line::styled(format!(" {} ", env.tx.t("today.marks")), env.theme.dim()).right_aligned(),
        );
    }
    let rows = area.height.saturating_sub(2) as usize;
    let width = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    if n == 0 {
        lines.push(Line::styled(env.tx.t("recent.none"), env.theme.dim()));
    }
    let sel = selection.unwrap_or_else(|| Selection::new(n, 0));
    for pos in sel.window(rows) {
        let Some(s) = at_row(env, pos) else { break };
        let mut line = Line::from(row(env, s, aliases, width));
        if selection.is_some() && sel.get() == Some(pos) {
            line = line.style(env.theme.selected());
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// One row: `10:23 Kari       1 meal pack, 10 syringes   T!↩ KH`.
fn row(env: &Env, s: &Saved, aliases: bool, width: usize) -> String {
    let c = &s.contact;
    let local = env
        .cfg
        .day_rule
        .wall_clock(time::OffsetDateTime::from_unix_timestamp(c.at).unwrap_or(env.now));
    let mut head = format!(" {:02}:{:02} ", local.hour(), local.minute());
    if aliases {
        let who = s
            .alias
            .clone()
            .unwrap_or_else(|| env.tx.t("contact.anonymous").to_string());
        head.push_str(&fit(&who, 14));
        head.push(' ');
    }
    let tail = format!(" {} {}", marks(c), fit(env.initials_of(c.staff), 4));
    let items = items_text(&c.items, &env.cfg.catalog, &env.tx);
    let used = unicode_width::UnicodeWidthStr::width(head.as_str())
        + unicode_width::UnicodeWidthStr::width(tail.as_str());
    let room = width.saturating_sub(used);
    format!("{head}{}{tail}", fit(&items, room))
}

/// `T` a conversation, `!` an event, `↩` a return; blanks keep columns.
pub fn marks(c: &Contact) -> String {
    let talk = !c.topics.is_empty() || c.note.is_some();
    let event = c.events().iter().any(|f| *f);
    let back = c.items.iter().any(|l| l.returned > 0);
    [(talk, 'T'), (event, '!'), (back, '↩')]
        .iter()
        .map(|(on, m)| if *on { *m } else { ' ' })
        .collect()
}
