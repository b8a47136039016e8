//! Text fields and forms: every place a person types text. A field has a
//! label, a length limit and a secret flag; typing, Backspace and pastes go
//! through the same limits, and control characters never get in.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::super::env::Env;
use super::super::keys::Arg;

/// One line of text with a limit in characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    pub value: String,
    pub max: usize,
    /// Prefilled and not yet touched: the first key replaces the text.
    pub fresh: bool,
    /// Takes digits only (a PIN).
    pub digits: bool,
    /// Takes letters only (initials: a PIN typed there is not shown).
    pub letters: bool,
    /// Keeps line breaks (a note); one-line fields turn them into spaces.
    pub lines: bool,
}

/// Some of the text did not fit; this is the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong(pub usize);

impl TextField {
    pub fn new(max: usize) -> TextField {
        TextField {
            value: String::new(),
            max,
            fresh: false,
            digits: false,
            letters: false,
            lines: false,
        }
    }

    /// A note: line breaks kept, at most `MAX_NOTE_CHARS`.
    pub fn note(value: &str) -> TextField {
        let mut f = TextField {
            lines: true,
            ..TextField::new(crate::domain::text::MAX_NOTE_CHARS)
        };
        let _ = f.insert(value);
        f
    }

    pub fn with(value: &str, max: usize) -> TextField {
        let mut f = TextField::new(max);
        let _ = f.insert(value);
        f
    }

    /// Adds typed or pasted text: line breaks and tabs become spaces, other
    /// control characters are dropped, and what is past the limit is left
    /// out (and said).
    pub fn insert(&mut self, text: &str) -> Result<(), TooLong> {
        if std::mem::take(&mut self.fresh) {
            self.value.clear();
        }
        let room = self.max.saturating_sub(self.value.chars().count());
        let clean: Vec<char> = text
            .chars()
            .map(|c| match c {
                '\n' if self.lines => '\n',
                '\n' | '\t' => ' ',
                c => c,
            })
            .filter(|c| !c.is_control() || (self.lines && *c == '\n'))
            .filter(|c| !self.digits || c.is_ascii_digit())
            .filter(|c| !self.letters || c.is_alphabetic())
            .collect();
        let fits = clean.len() <= room;
        self.value.extend(clean.into_iter().take(room));
        if fits { Ok(()) } else { Err(TooLong(self.max)) }
    }

    /// Takes back one character as the eye sees it (an accented letter
    /// typed as two code points goes at once).
    pub fn backspace(&mut self) {
        use unicode_segmentation::UnicodeSegmentation;
        if std::mem::take(&mut self.fresh) {
            return self.value.clear();
        }
        if let Some((at, _)) = self.value.grapheme_indices(true).next_back() {
            self.value.truncate(at);
        }
    }

    pub fn clear(&mut self) {
        self.value.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Adds text and says on the status line when some did not fit, or
    /// was left out because the field takes only digits (a PIN) or only
    /// letters (initials): a key that does nothing says why.
    pub fn insert_or_say(&mut self, text: &str, env: &mut Env) {
        let shown = |c: &char| !c.is_control() && !c.is_whitespace();
        if self.digits && text.chars().filter(shown).any(|c| !c.is_ascii_digit()) {
            env.fail_key("status.digits_only");
        } else if self.letters && text.chars().filter(shown).any(|c| !c.is_alphabetic()) {
            env.fail_key("status.letters_only");
        }
        if let Err(TooLong(max)) = self.insert(text) {
            let msg = env.tx.f("status.too_long", &[("max", &max)]);
            env.fail(msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backspace_takes_a_whole_character_and_limits_hold() {
        let mut f = TextField::new(5);
        f.insert("A\u{30a}se").unwrap();
        f.backspace();
        f.backspace();
        assert_eq!(f.value, "A\u{30a}");
        f.backspace();
        assert_eq!(f.value, "");
        assert_eq!(f.insert("a\nb\u{1b}c\tdefgh"), Err(TooLong(5)));
        assert_eq!(f.value, "a bc ");
    }
}

/// A field of a form: its label's text key, its limit, and whether it
/// holds a PIN (drawn as dots).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub label: &'static str,
    pub max: usize,
    pub secret: bool,
    pub digits: bool,
    pub letters: bool,
}

impl FieldSpec {
    pub const fn text(label: &'static str, max: usize) -> FieldSpec {
        FieldSpec {
            label,
            max,
            secret: false,
            digits: false,
            letters: false,
        }
    }

    /// Initials: letters only.
    pub const fn initials(label: &'static str, max: usize) -> FieldSpec {
        FieldSpec {
            label,
            max,
            secret: false,
            digits: false,
            letters: true,
        }
    }

    /// A number: digits only.
    pub const fn number(label: &'static str, max: usize) -> FieldSpec {
        FieldSpec {
            label,
            max,
            secret: false,
            digits: true,
            letters: false,
        }
    }

    /// A PIN: digits only, drawn as dots.
    pub const fn pin(label: &'static str, max: usize) -> FieldSpec {
        FieldSpec {
            label,
            max,
            secret: true,
            digits: true,
            letters: false,
        }
    }
}

/// Several fields, one of which has the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub specs: &'static [FieldSpec],
    pub fields: Vec<TextField>,
    pub focus: usize,
}

impl Form {
    pub fn new(specs: &'static [FieldSpec]) -> Form {
        Form {
            specs,
            fields: specs
                .iter()
                .map(|s| TextField {
                    digits: s.digits,
                    letters: s.letters,
                    ..TextField::new(s.max)
                })
                .collect(),
            focus: 0,
        }
    }

    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.value.as_str())
    }

    pub fn set(&mut self, i: usize, value: &str) {
        if let Some(f) = self.fields.get_mut(i) {
            f.clear();
            let _ = f.insert(value);
        }
    }

    /// A value the first key typed replaces (a date range's prefill).
    pub fn prefill(&mut self, i: usize, value: &str) {
        self.set(i, value);
        if let Some(f) = self.fields.get_mut(i) {
            f.fresh = true;
        }
    }

    pub fn focused(&mut self) -> &mut TextField {
        &mut self.fields[self.focus]
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    /// Enter in a form, as at sign-in: to the next field while that one is
    /// still empty (true); otherwise the form is to be sent (false).
    pub fn enter_moves_on(&mut self) -> bool {
        let next = self.focus + 1;
        let on = next < self.fields.len() && self.fields[next].is_empty();
        if on {
            self.focus = next;
        }
        on
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    pub fn clear(&mut self) {
        self.fields.iter_mut().for_each(TextField::clear);
        self.focus = 0;
    }

    /// One line per field, the label padded to `width`.
    pub fn lines(&self, env: &Env, width: usize) -> Vec<Line<'static>> {
        self.specs
            .iter()
            .zip(&self.fields)
            .enumerate()
            .map(|(i, (spec, field))| {
                let shown = if spec.secret {
                    "•".repeat(field.value.chars().count())
                } else {
                    field.value.clone()
                };
                field_line(env, env.tx.t(spec.label), &shown, self.focus == i, width)
            })
            .collect()
    }
}

/// The edits every form takes: typing, Backspace, next and previous field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Type,
    Erase,
    Next,
    Prev,
}

impl Form {
    /// Carries out an edit; `arg` is the typed character for `Type`.
    pub fn edit(&mut self, edit: Edit, arg: Arg, env: &mut Env) {
        match edit {
            Edit::Type => {
                if let Arg::Char(c) = arg {
                    self.focused().insert_or_say(&c.to_string(), env);
                }
            }
            Edit::Erase => self.focused().backspace(),
            Edit::Next => self.next(),
            Edit::Prev => self.prev(),
        }
    }
}

/// A form's binding table: the four edits (wrapped into the screen's
/// action by `$wrap`), then the screen's own bindings.
#[macro_export]
macro_rules! form_keys {
    ($wrap:path; $($own:expr),* $(,)?) => {
        &[
            $crate::ui::keys::Binding::new(
                &[$crate::ui::keys::Key::Text],
                $wrap($crate::ui::widgets::form::Edit::Type),
                "help.type_field",
            ),
            $crate::ui::keys::Binding::new(
                &[$crate::ui::keys::Key::Code(ratatui::crossterm::event::KeyCode::Backspace)],
                $wrap($crate::ui::widgets::form::Edit::Erase),
                "help.erase",
            ),
            $crate::ui::keys::Binding::new(
                &[
                    $crate::ui::keys::Key::Code(ratatui::crossterm::event::KeyCode::Tab),
                    $crate::ui::keys::Key::Code(ratatui::crossterm::event::KeyCode::Down),
                ],
                $wrap($crate::ui::widgets::form::Edit::Next),
                "help.next_field",
            )
            .footer("foot.next_field"),
            $crate::ui::keys::Binding::new(
                &[
                    $crate::ui::keys::Key::Code(ratatui::crossterm::event::KeyCode::BackTab),
                    $crate::ui::keys::Key::Code(ratatui::crossterm::event::KeyCode::Up),
                ],
                $wrap($crate::ui::widgets::form::Edit::Prev),
                "help.prev_field",
            ),
            $($own),*
        ]
    };
}

/// One labelled input line: `> Label   value▏` where it has the keyboard.
pub fn field_line(
    env: &Env,
    label: &str,
    value: &str,
    focused: bool,
    width: usize,
) -> Line<'static> {
    let (marker, style, cursor) = if focused {
        ("> ", env.theme.key(), "▏")
    } else {
        ("  ", Style::new(), "")
    };
    Line::from(vec![
        Span::styled(format!("{marker}{label:<width$}"), style),
        Span::styled(format!("{value}{cursor}"), env.theme.input()),
    ])
}
