//! Checks and folding for short texts typed at the hatch.

use super::InvalidInput;

/// The longest alias, in characters.
pub const MAX_ALIAS_CHARS: usize = 64;
/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// Trims a one-line text and checks its length and characters.
pub fn one_line(field: &'static str, raw: &str, max_chars: usize) -> Result<String, InvalidInput> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(InvalidInput::new(field, "not_empty"));
    }
    if text.chars().any(char::is_control) {
        return Err(InvalidInput::new(field, "control_characters"));
    }
    if text.chars().any(is_invisible) {
        return Err(InvalidInput::new(field, "invisible"));
    }
    let n = text.chars().count();
    if n > max_chars {
        return Err(InvalidInput::new(field, "too_long")
            .arg("n", n)
            .arg("max", max_chars));
    }
    Ok(text.to_string())
}

/// Characters that change how text looks or reads without being seen:
/// zero-width characters, direction controls and the byte-order mark. Two
/// aliases that differ only by one would look the same at the hatch.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
    )
}

/// Checks a note: line breaks are kept, other control characters refused.
pub fn note(raw: &str) -> Result<Option<String>, InvalidInput> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(InvalidInput::new("note", "control_characters_in_note"));
    }
    let n = text.chars().count();
    if n > MAX_NOTE_CHARS {
        return Err(InvalidInput::new("note", "too_long")
            .arg("n", n)
            .arg("max", MAX_NOTE_CHARS));
    }
    Ok(Some(text.to_string()))
}

/// The form of a name used to compare aliases: case, accents and spacing do
/// not matter (`Åse`, `ase` and ` ASE ` are one alias; `Bjørn` is `bjorn`).
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    for word in ascii.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_spacing() {
        assert_eq!(fold("  Åse  Marie "), "ase marie");
        assert_eq!(fold("BJØRN"), "bjorn");
        assert_eq!(fold("José"), fold("jose"));
        assert_ne!(fold("Per"), fold("Pål"));
    }

    #[test]
    fn one_line_refuses_control_characters_and_long_text() {
        assert!(one_line("alias", "a\u{1b}[2J", 64).is_err());
        assert!(one_line("alias", "a\tb", 64).is_err());
        assert!(one_line("alias", &"x".repeat(65), 64).is_err());
        assert!(one_line("alias", "   ", 64).is_err());
        assert_eq!(one_line("alias", " 🦊 Rev ", 64).unwrap(), "🦊 Rev");
        // Invisible characters: a zero-width space, a direction override.
        for sneaky in ["Re\u{200B}v", "\u{202E}veR", "Rev\u{FEFF}"] {
            assert_eq!(
                one_line("alias", sneaky, 64).unwrap_err().problem,
                "invisible"
            );
        }
        assert_eq!(one_line("alias", "مرحبا", 64).unwrap(), "مرحبا");
    }

    #[test]
    fn notes_keep_line_breaks_and_refuse_escape_codes() {
        assert_eq!(note("a\nb").unwrap().as_deref(), Some("a\nb"));
        assert_eq!(note("  ").unwrap(), None);
        assert!(note("a\u{7}b").is_err());
        assert!(note(&"n".repeat(1001)).is_err());
        assert!(note(&"n".repeat(1000)).is_ok());
    }
}
