//! The help overlay: every key of the current screen the signed-in role
//! may use, made from the screen's binding table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::super::env::Env;
use super::super::keys::HelpLine;

/// Draws the help over `area`, from line `scroll` on (↑ ↓ scroll it when
/// it is longer than the screen).
pub fn draw(f: &mut Frame, env: &Env, area: Rect, help: &[HelpLine], scroll: usize) {
    // Inside the screen's frame, not over its corners.
    let w = area.width.saturating_sub(4).min(90);
    // The keys' column is as wide as its widest entry.
    let w_keys = help
        .iter()
        .map(|l| l.keys.width())
        .max()
        .unwrap_or(0)
        .max(18)
        + 1;
    // Long texts wrap under themselves, not under the keys.
    let room = (w as usize).saturating_sub(w_keys + 3).max(10);
    let mut lines = Vec::new();
    for l in help {
        let pad = " ".repeat(w_keys - l.keys.width());
        for (n, part) in wrap(&l.text, room).into_iter().enumerate() {
            let keys = if n == 0 {
                format!(" {}{pad}", l.keys)
            } else {
                " ".repeat(w_keys + 1)
            };
            lines.push(Line::from(vec![
                Span::styled(keys, env.theme.key()),
                Span::raw(part),
            ]));
        }
    }
    lines.push(Line::styled(env.tx.t("help.close"), env.theme.dim()));
    let h = (lines.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    let inner = h.saturating_sub(2) as usize;
    let scroll = scroll.min(lines.len().saturating_sub(inner));
    let more = lines.len() > inner;
    f.render_widget(Clear, popup);
    let mut block = Block::bordered().title(env.tx.t("help.title"));
    if more {
        block = block.title_bottom(Line::from(env.tx.t("help.scroll")).right_aligned());
    }
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll as u16, 0)),
        popup,
    );
}

/// Words of `text` in lines of at most `width` cells (a word longer than
/// that has a line of its own).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for word in text.split(' ') {
        let last = out.last_mut().expect("one line at least");
        if !last.is_empty() && last.width() + 1 + word.width() > width {
            out.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    out
}
