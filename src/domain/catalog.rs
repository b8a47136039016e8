//! What the centre hands out (items) and what people talk about (topics).
//! The default ships in `assets/catalog.json`; a `catalog.json` in the data
//! directory replaces it.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::InvalidInput;

const DEFAULT_CATALOG: &str = include_str!("../../assets/catalog.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Food,
    Injecting,
    Smoking,
    Naloxone,
    Hygiene,
    SexualHealth,
    Clothing,
    Other,
}

/// Names per language: `en`, `nb` (Norwegian bokmål), `da` (Danish).
pub type Names = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub id: String,
    pub category: Category,
    pub hotkey: char,
    pub names: Names,
    #[serde(default = "one")]
    pub doses_per_unit: u16,
    /// Used units can come back (sharps containers): exports count returns.
    #[serde(default)]
    pub returnable: bool,
    /// Retired items stay in old contacts and exports and leave the door
    /// screen.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
    /// How a count reads mid-sentence, per language: one and other
    /// (`["meal pack", "meal packs"]`). Without it, the name in lower case.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counted: BTreeMap<String, [String; 2]>,
}

impl CatalogItem {
    /// `n` of this item as a sentence says it: `1 meal pack`, `10 sprøyter`.
    pub fn count_in(&self, n: u32, lang: &str) -> String {
        let form = usize::from(n != 1);
        match self.counted.get(lang).or_else(|| self.counted.get("en")) {
            Some(forms) => format!("{n} {}", forms[form]),
            None => format!("{n} {}", lower_first(name_in(&self.names, lang, &self.id))),
        }
    }
}

/// The first letter in lower case (`Meal pack` -> `meal pack`).
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: String,
    pub hotkey: char,
    pub names: Names,
    /// Retired topics stay in old contacts and exports and leave the door
    /// screen.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
}

fn is_true(b: &bool) -> bool {
    *b
}

fn one() -> u16 {
    1
}
fn yes() -> bool {
    true
}

/// A type of referral (treatment, housing, ...). At the hatch the types
/// in use take the keys `3`-`9` in list order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub id: String,
    pub names: Names,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
}

/// The most referral types in use (they take the keys 3-9).
pub const MAX_REFERRALS: usize = 7;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub items: Vec<CatalogItem>,
    pub topics: Vec<Topic>,
    /// A catalog kept before referral types gets the shipped list.
    #[serde(default = "default_referrals")]
    pub referrals: Vec<Referral>,
}

fn default_referrals() -> Vec<Referral> {
    Catalog::default_catalog().referrals
}

impl Catalog {
    /// The catalog that ships with doorlog.
    pub fn default_catalog() -> Catalog {
        Catalog::from_json(DEFAULT_CATALOG).expect("the shipped assets/catalog.json is valid")
    }

    /// Reads and checks a catalog file's text.
    pub fn from_json(text: &str) -> Result<Catalog, InvalidInput> {
        let cat: Catalog = serde_json::from_str(text)
            .map_err(|e| InvalidInput::new("catalog", "not_valid").arg("detail", e))?;
        cat.check()?;
        Ok(cat)
    }

    /// The catalog's rules: ids well formed and each once, hotkeys letters
    /// and each once among the items (topics) in use, doses at least 1.
    pub fn check(&self) -> Result<(), InvalidInput> {
        let items = self
            .items
            .iter()
            .map(|i| (i.id.as_str(), i.hotkey, i.active));
        if let Some(fault) = fault(items) {
            return Err(match fault {
                Fault::Id(id) => InvalidInput::new("catalog", "item_id_form").arg("id", id),
                Fault::IdTwice(id) => InvalidInput::new("catalog", "item_id_twice").arg("id", id),
                Fault::Hotkey(k) => {
                    InvalidInput::new("catalog", "item_hotkey_letter").arg("key", k)
                }
                Fault::HotkeyTwice(k) => {
                    InvalidInput::new("catalog", "item_hotkey_twice").arg("key", k)
                }
            });
        }
        let topics = self
            .topics
            .iter()
            .map(|t| (t.id.as_str(), t.hotkey, t.active));
        if let Some(fault) = fault(topics) {
            return Err(match fault {
                Fault::Id(id) => InvalidInput::new("catalog", "topic_id_form").arg("id", id),
                Fault::IdTwice(id) => InvalidInput::new("catalog", "topic_id_twice").arg("id", id),
                Fault::Hotkey(k) => {
                    InvalidInput::new("catalog", "topic_hotkey_letter").arg("key", k)
                }
                Fault::HotkeyTwice(k) => {
                    InvalidInput::new("catalog", "topic_hotkey_twice").arg("key", k)
                }
            });
        }
        // `returned_pct_ID` is the ratio column of item ID: an item id
        // starting `pct-` would give another item's ratio column's name.
        if let Some(i) = self.items.iter().find(|i| i.id.starts_with("pct-")) {
            return Err(
                InvalidInput::new("catalog", "item_id_reserved").arg("id", format!("{:?}", i.id))
            );
        }
        let mut seen = HashSet::new();
        for r in &self.referrals {
            if !is_id(&r.id) || r.id == super::contact::UNSPECIFIED_REFERRAL {
                return Err(InvalidInput::new("catalog", "referral_id_form")
                    .arg("id", format!("{:?}", r.id)));
            }
            if !seen.insert(r.id.as_str()) {
                return Err(InvalidInput::new("catalog", "referral_id_twice")
                    .arg("id", format!("{:?}", r.id)));
            }
        }
        if self.referrals.iter().filter(|r| r.active).count() > MAX_REFERRALS {
            return Err(
                InvalidInput::new("catalog", "referrals_too_many").arg("max", MAX_REFERRALS)
            );
        }
        if let Some(i) = self.items.iter().find(|i| i.doses_per_unit == 0) {
            return Err(
                InvalidInput::new("catalog", "item_doses_zero").arg("id", format!("{:?}", i.id))
            );
        }
        Ok(())
    }

    /// As JSON, the form `catalog.json` and `doorlog catalog --export` have.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// This catalog, with `old`'s items and topics it does not have added
    /// at the end, retired (old contacts and exports name them); and how
    /// many that was. An import never deletes.
    pub fn keeping_retired(mut self, old: &Catalog) -> (Catalog, usize) {
        let mut n = 0;
        for i in &old.items {
            if self.item(&i.id).is_none() {
                self.items.push(CatalogItem {
                    active: false,
                    ..i.clone()
                });
                n += 1;
            }
        }
        for t in &old.topics {
            if self.topic(&t.id).is_none() {
                self.topics.push(Topic {
                    active: false,
                    ..t.clone()
                });
                n += 1;
            }
        }
        for r in &old.referrals {
            if self.referral(&r.id).is_none() {
                self.referrals.push(Referral {
                    active: false,
                    ..r.clone()
                });
                n += 1;
            }
        }
        (self, n)
    }

    /// The item in use that a hotkey picks at the hatch.
    pub fn item_by_key(&self, key: char) -> Option<usize> {
        self.items.iter().position(|i| i.active && i.hotkey == key)
    }

    /// The topic in use that a hotkey picks at the hatch.
    pub fn topic_by_key(&self, key: char) -> Option<usize> {
        self.topics.iter().position(|t| t.active && t.hotkey == key)
    }

    pub fn item(&self, id: &str) -> Option<&CatalogItem> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Catalog order of an item; unknown ids sort last.
    pub fn item_position(&self, id: &str) -> usize {
        self.items
            .iter()
            .position(|i| i.id == id)
            .unwrap_or(usize::MAX)
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    pub fn topic_position(&self, id: &str) -> usize {
        self.topics
            .iter()
            .position(|t| t.id == id)
            .unwrap_or(usize::MAX)
    }

    pub fn referral(&self, id: &str) -> Option<&Referral> {
        self.referrals.iter().find(|r| r.id == id)
    }

    pub fn referral_position(&self, id: &str) -> usize {
        self.referrals
            .iter()
            .position(|r| r.id == id)
            .unwrap_or(usize::MAX)
    }

    /// The referral types in use with their keys at the hatch (`3`...).
    pub fn referral_keys(&self) -> impl Iterator<Item = (char, usize, &Referral)> {
        self.referrals
            .iter()
            .enumerate()
            .filter(|(_, r)| r.active)
            .take(MAX_REFERRALS)
            .zip('3'..='9')
            .map(|((i, r), k)| (k, i, r))
    }
}

/// What is wrong with a list of ids and hotkeys (items or topics): the
/// id or key, quoted as Rust's `{:?}` shows it.
enum Fault {
    Id(String),
    IdTwice(String),
    Hotkey(String),
    HotkeyTwice(String),
}

/// The first fault among ids (1-32 of a-z, 0-9 and -, each once) and then
/// hotkeys (a letter a-z, each once among the entries in use: a retired
/// entry's key may serve a new one).
fn fault<'a>(entries: impl Iterator<Item = (&'a str, char, bool)> + Clone) -> Option<Fault> {
    let mut seen = HashSet::new();
    for (id, _, _) in entries.clone() {
        if !is_id(id) {
            return Some(Fault::Id(format!("{id:?}")));
        }
        if !seen.insert(id) {
            return Some(Fault::IdTwice(format!("{id:?}")));
        }
    }
    let mut seen = HashSet::new();
    for (_, k, active) in entries {
        if !k.is_ascii_lowercase() {
            return Some(Fault::Hotkey(format!("{k:?}")));
        }
        if active && !seen.insert(k) {
            return Some(Fault::HotkeyTwice(format!("{k:?}")));
        }
    }
    None
}

/// An item or topic id: 1-32 of a-z, 0-9 and `-`.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An id made from a name (`Sterile water` -> `sterile-water`,
/// `Røykepipe` -> `roykepipe`): letters and digits kept, spelled in ASCII
/// as `deunicode` spells them, the rest one `-`.
pub fn id_from_name(name: &str) -> String {
    let mut id = String::new();
    for c in deunicode::deunicode(name).to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let mut id: String = id.trim_end_matches('-').chars().take(32).collect();
    while id.ends_with('-') {
        id.pop();
    }
    id
}

/// The name in `lang`, falling back to English, then to any name it has
/// (an item named in Norwegian only), then to the id.
pub fn name_in<'a>(names: &'a Names, lang: &str, id: &'a str) -> &'a str {
    names
        .get(lang)
        .or_else(|| names.get("en"))
        .or_else(|| names.values().next())
        .map(String::as_str)
        .unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_with_plural_forms_in_every_language() {
        let c = Catalog::default_catalog();
        let meal = c.item("meal-pack").unwrap();
        assert_eq!(meal.count_in(1, "en"), "1 meal pack");
        assert_eq!(meal.count_in(10, "en"), "10 meal packs");
        assert_eq!(c.item("syringe").unwrap().count_in(10, "nb"), "10 sprøyter");
        assert_eq!(c.item("foil").unwrap().count_in(2, "da"), "2 sølvpapir");
        for item in &c.items {
            for lang in ["en", "nb", "da"] {
                assert!(item.counted.contains_key(lang), "{} {lang}", item.id);
            }
        }
    }

    #[test]
    fn default_catalog_has_what_the_spec_names_in_three_languages() {
        let c = Catalog::default_catalog();
        for id in [
            "meal-pack",
            "naloxone",
            "syringe",
            "needle",
            "foil",
            "cooker",
            "filter",
            "swab",
            "sterile-water",
            "ascorbic-acid",
            "condom",
            "sharps-container",
            "hygiene-kit",
        ] {
            let item = c.item(id).unwrap_or_else(|| panic!("{id} missing"));
            for lang in ["en", "nb", "da"] {
                assert!(item.names.contains_key(lang), "{id} has no {lang} name");
            }
        }
        assert_eq!(c.item("naloxone").unwrap().doses_per_unit, 2);
        assert!(c.item("sharps-container").unwrap().returnable);
        for id in [
            "housing",
            "treatment",
            "health",
            "overdose",
            "testing",
            "money",
            "food",
            "loneliness",
            "legal",
            "family",
            "other",
        ] {
            assert!(c.topic(id).is_some(), "topic {id} missing");
        }
    }

    #[test]
    fn a_broken_catalog_file_is_refused_with_the_reason() {
        assert!(Catalog::from_json("{").is_err());
        let dup = r#"{"items":[
            {"id":"a","category":"food","hotkey":"a","names":{}},
            {"id":"a","category":"food","hotkey":"b","names":{}}],"topics":[]}"#;
        assert!(Catalog::from_json(dup).unwrap_err().problem == "item_id_twice");
        let bad =
            r#"{"items":[{"id":"A B","category":"food","hotkey":"a","names":{}}],"topics":[]}"#;
        assert!(Catalog::from_json(bad).is_err());
    }
}
