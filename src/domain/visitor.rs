//! Visitors: known by an alias, optionally by an anonymous code.

use serde::{Deserialize, Serialize};
use time::Date;

use super::InvalidInput;
use super::text::{self, MAX_ALIAS_CHARS};

/// Gender, kept only for statistics and only when the visitor offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    /// Accepts English, Norwegian and Danish words and their first letters.
    pub fn parse(raw: &str) -> Result<Gender, InvalidInput> {
        match text::fold(raw).as_str() {
            "f" | "female" | "woman" | "k" | "kvinne" | "kvinde" => Ok(Gender::Female),
            "m" | "male" | "man" | "mann" | "mand" => Ok(Gender::Male),
            "x" | "o" | "other" | "annet" | "andet" | "a" => Ok(Gender::Other),
            _ => Err(InvalidInput::new("gender", "gender_letter")),
        }
    }

    pub fn letter(self) -> char {
        match self {
            Gender::Female => 'f',
            Gender::Male => 'm',
            Gender::Other => 'x',
        }
    }
}

/// How an anonymous code is built: one character per position, `L` a
/// letter, `D` a digit, `A` either. The default `LLLLDDDD` is four letters
/// the visitor chooses plus a birth year, e.g. `MAKO1993`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeScheme(String);

impl Default for CodeScheme {
    fn default() -> Self {
        CodeScheme("LLLLDDDD".into())
    }
}

impl CodeScheme {
    pub fn new(template: &str) -> Result<CodeScheme, InvalidInput> {
        let t = template.trim().to_ascii_uppercase();
        if t.is_empty() || t.len() > 16 || !t.chars().all(|c| matches!(c, 'L' | 'D' | 'A')) {
            return Err(InvalidInput::new("code_scheme", "code_scheme_letters"));
        }
        Ok(CodeScheme(t))
    }

    pub fn template(&self) -> &str {
        &self.0
    }

    /// Normalises a code (upper case, no spaces) and checks it fits the scheme.
    pub fn check(&self, raw: &str) -> Result<String, InvalidInput> {
        let code: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let fits = code.chars().count() == self.0.len()
            && code.chars().zip(self.0.chars()).all(|(c, t)| match t {
                'L' => c.is_ascii_uppercase(),
                'D' => c.is_ascii_digit(),
                _ => c.is_ascii_alphanumeric(),
            });
        if fits {
            Ok(code)
        } else {
            Err(InvalidInput::new("code", "code_does_not_fit").arg("scheme", &self.0))
        }
    }
}

/// What staff type to register a visitor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewVisitor {
    pub alias: String,
    pub code: Option<String>,
    pub birth_year: Option<u16>,
    pub gender: Option<Gender>,
}

impl NewVisitor {
    /// Checks every field; `this_year` bounds the birth year.
    pub fn validated(
        self,
        scheme: &CodeScheme,
        this_year: i32,
    ) -> Result<NewVisitor, InvalidInput> {
        let alias = text::one_line("alias", &self.alias, MAX_ALIAS_CHARS)?;
        let code = match self.code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => Some(scheme.check(c)?),
        };
        if let Some(y) = self.birth_year
            && (i32::from(y) < 1900 || i32::from(y) > this_year)
        {
            return Err(InvalidInput::new("birth_year", "year_range").arg("max", this_year));
        }
        Ok(NewVisitor {
            alias,
            code,
            birth_year: self.birth_year,
            gender: self.gender,
        })
    }
}

/// A registered visitor. After erasure on request the record stays as a
/// tombstone (`erased`), with every personal field cleared, so counts keep
/// adding up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visitor {
    pub id: u64,
    pub alias: String,
    pub code: Option<String>,
    pub birth_year: Option<u16>,
    pub gender: Option<Gender>,
    /// The service day the visitor was registered (counts as a new visitor).
    #[serde(with = "super::day_serde")]
    pub registered: Date,
    #[serde(with = "super::day_serde::opt")]
    pub first_seen: Option<Date>,
    #[serde(with = "super::day_serde::opt")]
    pub last_seen: Option<Date>,
    pub erased: bool,
}

impl Visitor {
    pub fn alias_key(&self) -> String {
        text::fold(&self.alias)
    }

    /// The day the privacy rule counts from: the last contact, never before
    /// registration (a mistyped year on a back-dated contact must not cost
    /// a new visitor their alias).
    pub fn seen_or_registered(&self) -> Date {
        self.last_seen
            .unwrap_or(self.registered)
            .max(self.registered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_code_scheme_is_four_letters_and_a_year() {
        let s = CodeScheme::default();
        assert_eq!(s.check("mako 1993").unwrap(), "MAKO1993");
        assert!(s.check("MAK1993").is_err());
        assert!(s.check("MAKO199X").is_err());
        assert!(s.check("MÅKO1993").is_err());
    }

    #[test]
    fn new_visitor_needs_an_alias_and_a_plausible_year() {
        let s = CodeScheme::default();
        let ok = NewVisitor {
            alias: " Rev ".into(),
            birth_year: Some(1980),
            ..Default::default()
        };
        assert_eq!(ok.validated(&s, 2026).unwrap().alias, "Rev");
        let empty = NewVisitor::default();
        assert_eq!(empty.validated(&s, 2026).unwrap_err().field, "alias");
        let future = NewVisitor {
            alias: "x".into(),
            birth_year: Some(2030),
            ..Default::default()
        };
        assert_eq!(future.validated(&s, 2026).unwrap_err().field, "birth_year");
    }

    #[test]
    fn gender_words_in_three_languages() {
        assert_eq!(Gender::parse("Kvinne").unwrap(), Gender::Female);
        assert_eq!(Gender::parse("mand").unwrap(), Gender::Male);
        assert_eq!(Gender::parse("x").unwrap(), Gender::Other);
        assert!(Gender::parse("?").is_err());
    }
}
