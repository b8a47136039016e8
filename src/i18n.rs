//! Texts people see, per language: the screens' texts and the messages of
//! errors raised in `domain` and `store`. They live in `assets/i18n/*.json`,
//! looked up by key; a missing text falls back to English, then to the key.
//! This module depends on nothing else of doorlog's but the error types it
//! renders.

use std::collections::HashMap;
use std::fmt::{self, Display};
use std::sync::OnceLock;

use crate::domain::InvalidInput;
use crate::store::StoreError;

const EN: &str = include_str!("../assets/i18n/en.json");
const NB: &str = include_str!("../assets/i18n/nb.json");
const DA: &str = include_str!("../assets/i18n/da.json");

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Nb,
    Da,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Nb, Lang::Da];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
            Lang::Da => "da",
        }
    }

    /// `en`, `nb` (also `no`, `nn`) or `da`, or a locale such as `nb_NO.UTF-8`.
    pub fn parse(raw: &str) -> Option<Lang> {
        let l = raw.trim().to_ascii_lowercase();
        let l = l.split(['_', '-', '.']).next().unwrap_or("");
        match l {
            "en" | "c" | "posix" => Some(Lang::En),
            "nb" | "no" | "nn" => Some(Lang::Nb),
            "da" => Some(Lang::Da),
            _ => None,
        }
    }

    /// From the environment's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`);
    /// English if none is set or known.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
            .unwrap_or(Lang::En)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => EN,
            Lang::Nb => NB,
            Lang::Da => DA,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Texts {
    pub lang: Lang,
    texts: HashMap<String, String>,
    english: HashMap<String, String>,
}

fn parse(src: &str) -> HashMap<String, String> {
    serde_json::from_str(src).expect("the shipped assets/i18n files are valid JSON")
}

/// The English texts, read once: the command line's language, and what
/// `InvalidInput` and `StoreError::Forbidden` display.
pub fn english() -> &'static Texts {
    static ENGLISH: OnceLock<Texts> = OnceLock::new();
    ENGLISH.get_or_init(|| Texts::new(Lang::En))
}

/// Fills `{name}` placeholders in one pass, so a value that itself contains
/// braces (an error message from a library) is left as it is. A placeholder
/// with no value is kept.
fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, v) = args.iter().find(|(n, _)| *n == name)?;
            Some((v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(&v.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// English, from the same texts the screens use: the command line prints
/// this.
impl Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&english().invalid(self))
    }
}

impl Texts {
    pub fn new(lang: Lang) -> Texts {
        Texts {
            lang,
            texts: parse(lang.source()),
            english: parse(EN),
        }
    }

    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts
            .get(key)
            .or_else(|| self.english.get(key))
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// A text with `{name}` placeholders filled in.
    pub fn f(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        fill(self.t(key), args)
    }

    /// A counted text: `KEY.one` when `n` is 1, `KEY.other` otherwise, with
    /// `{n}` and the other placeholders filled in.
    pub fn n(&self, key: &str, n: u64, args: &[(&str, &dyn Display)]) -> String {
        let form = if n == 1 { "one" } else { "other" };
        let mut all: Vec<(&str, &dyn Display)> = vec![("n", &n)];
        all.extend_from_slice(args);
        fill(self.t(&format!("{key}.{form}")), &all)
    }

    /// A date as people read it in this language (`26.11.2026`).
    pub fn date(&self, d: time::Date) -> String {
        let (y, m, day) = (d.year(), u8::from(d.month()), d.day());
        self.f(
            "date.day",
            &[
                ("y", &y),
                ("m", &format!("{m:02}")),
                ("d", &format!("{day:02}")),
            ],
        )
    }

    /// The ISO week of a date (`uke 48, 2026`).
    pub fn week(&self, d: time::Date) -> String {
        let (y, w, _) = d.to_iso_week_date();
        self.f("date.week", &[("w", &w), ("y", &y)])
    }

    /// The month of a date by name (`november 2026`).
    pub fn month(&self, d: time::Date) -> String {
        let name = self.text_of(format!("date.month.{}", u8::from(d.month())));
        self.f("date.month", &[("month", &name), ("y", &d.year())])
    }

    /// The text of a key built at run time (`field.<id>`, ...).
    fn text_of(&self, key: String) -> String {
        self.t(&key).to_string()
    }

    /// A rule broken by input, in this language: `field.<id>: invalid.<id>`
    /// with the error's values filled in.
    pub fn invalid(&self, e: &InvalidInput) -> String {
        let field = self.text_of(format!("field.{}", e.field));
        format!("{field}: {}", self.problem(e))
    }

    /// Only the rule broken (`must be from 1 to 120`), for a screen that
    /// names the field itself.
    pub fn problem(&self, e: &InvalidInput) -> String {
        let args: Vec<(&str, &dyn Display)> = e
            .args
            .iter()
            .map(|(name, value)| (*name, value as &dyn Display))
            .collect();
        self.f(&format!("invalid.{}", e.problem), &args)
    }

    /// A store error, in this language. Details that come from the system
    /// or a library (an I/O error, what is damaged) stay as they were given.
    pub fn store_error(&self, e: &StoreError) -> String {
        match e {
            StoreError::Invalid(e) => self.invalid(e),
            StoreError::Forbidden(action) => {
                let action = self.text_of(format!("forbidden.{action}"));
                self.f("store.forbidden", &[("action", &action)])
            }
            StoreError::Locked { dir } => self.f("store.locked", &[("dir", &dir.display())]),
            StoreError::Missing { dir } => self.f("store.missing", &[("dir", &dir.display())]),
            StoreError::DiskFull { dir } => self.f("store.disk_full", &[("dir", &dir.display())]),
            StoreError::Damaged { dir, detail } => self.f(
                "store.damaged",
                &[("dir", &dir.display()), ("detail", detail)],
            ),
            StoreError::TooNew { dir, found, known } => self.f(
                "store.too_new",
                &[("dir", &dir.display()), ("found", found), ("known", known)],
            ),
            StoreError::Io { dir, source } if crate::store::is_disk_full(source) => {
                self.f("store.disk_full", &[("dir", &dir.display())])
            }
            StoreError::Io { dir, source } => {
                self.f("store.io", &[("dir", &dir.display()), ("error", source)])
            }
        }
    }

    /// What an audit log action id (`sign-in`, `undo`, ...) means, in this
    /// language; an unknown id is shown as it is.
    pub fn audit_action(&self, id: &str) -> String {
        let key = format!("audit.action.{id}");
        self.texts
            .get(&key)
            .or_else(|| self.english.get(&key))
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    pub fn keys(lang: Lang) -> Vec<String> {
        let mut k: Vec<String> = parse(lang.source()).into_keys().collect();
        k.sort();
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_text() {
        let en = Texts::keys(Lang::En);
        for lang in [Lang::Nb, Lang::Da] {
            assert_eq!(Texts::keys(lang), en, "{} differs from en", lang.code());
        }
    }

    #[test]
    fn every_language_fills_the_same_placeholders() {
        fn names(text: &str) -> Vec<&str> {
            let mut n: Vec<&str> = text
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(name, _)| name))
                .collect();
            n.sort();
            n
        }
        let en = parse(EN);
        for lang in [Lang::Nb, Lang::Da] {
            for (key, text) in parse(lang.source()) {
                assert_eq!(
                    names(&text),
                    names(&en[&key]),
                    "{} {key}: {text}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn placeholders_are_filled_once_and_values_kept_as_given() {
        let detail = "expected `{` at line 1";
        assert_eq!(
            fill("{a} and {b}; {unknown} {", &[("a", &"{b}"), ("b", &detail)]),
            "{b} and expected `{` at line 1; {unknown} {"
        );
    }

    #[test]
    fn locale_names() {
        assert_eq!(Lang::parse("nb_NO.UTF-8"), Some(Lang::Nb));
        assert_eq!(Lang::parse("da_DK"), Some(Lang::Da));
        assert_eq!(Lang::parse("no"), Some(Lang::Nb));
        assert_eq!(Lang::parse("de_DE"), None);
    }
}
