//! The selection in a list, owned by the list: it is clamped whenever the
//! number of items changes, so a filter that shortens the list never
//! leaves the selection (and the view) past its end.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::Line;

use crate::ui::theme::Theme;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    selected: usize,
    len: usize,
}

impl Selection {
    pub fn new(len: usize, selected: usize) -> Selection {
        let mut s = Selection { selected, len };
        s.set_len(len);
        s
    }

    /// The list now has `len` items.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The selected position; `None` in an empty list.
    pub fn get(&self) -> Option<usize> {
        (self.len > 0).then_some(self.selected)
    }

    pub fn select(&mut self, i: usize) {
        self.selected = i;
        self.set_len(self.len);
    }

    /// Moves by `by`, staying inside the list.
    pub fn step(&mut self, by: isize) {
        if self.len > 0 {
            self.selected = self.selected.saturating_add_signed(by).min(self.len - 1);
        }
    }

    /// The positions to draw in `rows` rows, the selection in view.
    pub fn window(&self, rows: usize) -> Range<usize> {
        let first = self.selected.saturating_sub(rows.saturating_sub(1));
        first.min(self.len)..(first + rows).min(self.len)
    }
}

/// A row of a list as every list draws it: in `style` (dim for a retired
/// entry or a leaver, red for a low item), reversed when it is the
/// selected one.
pub fn row(text: String, style: Style, selected: bool, theme: Theme) -> Line<'static> {
    let line = Line::styled(text, style);
    if selected {
        line.style(theme.selected())
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shorter_list_pulls_the_selection_and_the_view_back() {
        let mut s = Selection::new(500, 0);
        s.step(400);
        assert_eq!(s.window(20), 381..401);
        s.set_len(3);
        assert_eq!(s.get(), Some(2));
        assert_eq!(s.window(20), 0..3);
        s.set_len(0);
        assert_eq!(s.get(), None);
        assert_eq!(s.window(20), 0..0);
        s.step(-1);
        s.set_len(2);
        assert_eq!(s.get(), Some(0));
    }
}
