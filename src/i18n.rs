//! Texts people see, per language: the screens' texts and the messages of
//! errors raised in `domain` and `store`. They live in `assets/i18n/*.json`,
//! looked up by key; a missing text falls back to English, then to the key.
//! This module depends on nothing else of doorlog's but the error types it
//! renders.

use std::collections::HashMap;

const EN: &str = include_str!("../assets/i18n/en.json");
const NB: &str = include_str!("../assets/i18n/nb.json");
const DA: &str = include_str!("../assets/i18n/da.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
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
    pub fn f(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut s = self.t(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), &value.to_string());
        }
        s
    }

    /// A rule broken by input, in this language.
    pub fn invalid(&self, e: &crate::domain::InvalidInput) -> String {
        e.to_string()
    }

    /// A store error, in this language.
    pub fn store_error(&self, e: &crate::store::StoreError) -> String {
        e.to_string()
    }

    /// An audit action as the audit screen shows it.
    pub fn audit_action(&self, id: &str) -> String {
        id.to_string()
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
    fn locale_names() {
        assert_eq!(Lang::parse("nb_NO.UTF-8"), Some(Lang::Nb));
        assert_eq!(Lang::parse("da_DK"), Some(Lang::Da));
        assert_eq!(Lang::parse("no"), Some(Lang::Nb));
        assert_eq!(Lang::parse("de_DE"), None);
    }
}
