//! Pieces the screens are drawn with: text fields and forms, lists that own
//! their selection, the chrome around every screen, the help overlay.

pub mod charts;
pub mod chrome;
pub mod contacts;
pub mod form;
pub mod grid;
pub mod help;
pub mod list;
pub mod visitor_form;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Item lines as a sentence says them, in the screen's language.
pub fn items_text(
    lines: &[crate::domain::ItemLine],
    cat: &crate::domain::Catalog,
    tx: &crate::i18n::Texts,
) -> String {
    let lang = tx.lang.code();
    let mut parts = Vec::new();
    for l in lines {
        let Some(item) = cat.item(&l.item) else {
            continue;
        };
        if l.out > 0 {
            parts.push(item.count_in(l.out.into(), lang));
        }
        if l.returned > 0 {
            let what = item.count_in(l.returned.into(), lang);
            parts.push(tx.f("contact.returned", &[("what", &what)]));
        }
    }
    parts.join(", ")
}

/// `s` cut to `n` terminal cells (a wide character or emoji takes two),
/// the last one an ellipsis when cut; never splits a character as the eye
/// sees it.
pub fn truncate(s: &str, n: usize) -> String {
    if s.width() <= n {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = g.width();
        if used + w + 1 > n {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if n > 0 {
        out.push('…');
    }
    out
}

/// `s` cut or padded with spaces to exactly `n` terminal cells.
pub fn fit(s: &str, n: usize) -> String {
    let mut out = truncate(s, n);
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', n.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_measured_in_terminal_cells() {
        assert_eq!(fit("Kari", 6), "Kari  ");
        // Two cells per Chinese character and per emoji.
        assert_eq!(fit("王小明", 8), "王小明  ");
        assert_eq!(fit("🦊🦊🦊🦊🦊", 6).width(), 6);
        assert_eq!(truncate("Åse Marie", 5), "Åse …");
        // An accented letter typed as two code points stays whole.
        assert_eq!(truncate("A\u{30a}se Marie", 3), "A\u{30a}s…");
    }
}
