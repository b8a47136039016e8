//! A grid of hotkeyed entries — catalog items, topics — in as many columns
//! as fit: `[m] Meal pack   2`. Entries that are on (counted, chosen) stand
//! out.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::truncate;
use crate::ui::env::Env;

/// One entry: its key, its text and, where the grid counts, its value.
pub struct Cell {
    pub key: char,
    pub text: String,
    pub value: String,
    pub on: bool,
}

/// The grid's lines for `width` columns of text, `cols` entries a row; with
/// `values`, each entry keeps room for a count after its name.
pub fn lines(
    env: &Env,
    cells: &[Cell],
    width: usize,
    cols: usize,
    values: bool,
) -> Vec<Line<'static>> {
    let col_w = (width / cols.max(1)).max(10);
    let text_w = col_w.saturating_sub(if values { 12 } else { 5 });
    cells
        .chunks(cols.max(1))
        .map(|row| {
            let mut spans = Vec::new();
            for c in row {
                let style = if c.on {
                    env.theme.counted()
                } else {
                    Style::new()
                };
                spans.push(Span::styled(format!("[{}] ", c.key), env.theme.key()));
                let text = format!("{:<text_w$} ", truncate(&c.text, text_w));
                if values {
                    spans.push(Span::raw(text));
                    spans.push(Span::styled(format!("{:<6}", c.value), style));
                } else {
                    spans.push(Span::styled(text, style));
                }
            }
            Line::from(spans)
        })
        .collect()
}
