//! The visitor's fields as one form: registering a new visitor, and
//! correcting one in the visitor register.

use crate::domain::text::MAX_ALIAS_CHARS;
use crate::domain::{Gender, NewVisitor as Registration};
use crate::ui::env::Env;
use crate::ui::widgets::form::{FieldSpec, Form};

/// The domain's id of each field, in the form's order.
pub const FIELD_IDS: [&str; 4] = ["alias", "code", "birth_year", "gender"];

pub const FIELDS: &[FieldSpec] = &[
    FieldSpec::text("form.alias", MAX_ALIAS_CHARS),
    FieldSpec::text("form.code", 16),
    FieldSpec::text("form.birth_year", 4),
    FieldSpec::text("form.gender", 8),
];

/// The four fields as a registration (not yet validated); a birth year or
/// gender that does not read is said, and its field gets the keyboard.
/// The visitor register's edit form has the same fields (`FIELDS`).
pub fn read_form(form: &mut Form, env: &mut Env) -> Option<Registration> {
    let birth_year = match form.value(2).trim() {
        "" => None,
        y => match y.parse::<u16>() {
            Ok(y) => Some(y),
            Err(_) => {
                form.focus = 2;
                env.fail_key("status.bad_year");
                return None;
            }
        },
    };
    let gender = match form.value(3).trim() {
        "" => None,
        g => match Gender::parse(g) {
            Ok(g) => Some(g),
            Err(e) => {
                form.focus = 3;
                env.invalid(&e);
                return None;
            }
        },
    };
    Some(Registration {
        alias: form.value(0).to_string(),
        code: Some(form.value(1).to_string()),
        birth_year,
        gender,
    })
}
