//! The help overlay: every key of the current screen the signed-in role
//! may use, made from the screen's binding table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::super::env::Env;
use super::super::keys::HelpLine;

pub fn draw(f: &mut Frame, env: &Env, area: Rect, help: &[HelpLine]) {
    let h = (help.len() as u16 + 5).min(area.height);
    let w = area.width.saturating_sub(2).min(90);
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    // The keys' column is as wide as its widest entry.
    let w_keys = help
        .iter()
        .map(|l| l.keys.width())
        .max()
        .unwrap_or(0)
        .max(18)
        + 1;
    let mut lines = Vec::new();
    for l in help {
        let pad = " ".repeat(w_keys - l.keys.width());
        lines.push(Line::from(vec![
            Span::styled(format!(" {}{pad}", l.keys), env.theme.key()),
            Span::raw(l.text.clone()),
        ]));
    }
    lines.push(Line::styled(env.tx.t("help.close"), env.theme.dim()));
    f.render_widget(Clear, popup);
    let block = Block::bordered().title(env.tx.t("help.title"));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}
