//! Pieces the screens are drawn with: text fields and forms, lists that own
//! their selection, the chrome around every screen, the help overlay.

pub mod charts;
pub mod chrome;
pub mod contacts;
pub mod form;
pub mod grid;
pub mod help;
pub mod list;

/// `s` cut to `n` characters, the last one an ellipsis when cut.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else if n == 0 {
        String::new()
    } else {
        s.chars().take(n - 1).chain(['…']).collect()
    }
}
